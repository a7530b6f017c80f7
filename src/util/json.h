/*
 * Reading JSON (util layer): what telar's own commands print with --json
 * (telar explore), parsed into a tree for the TUI.  RFC 8259, strictly:
 * objects, arrays, strings with every escape (\uXXXX pairs too, into
 * UTF-8), numbers as doubles, true, false, null; bounded depth.
 */
#ifndef TELAR_JSON_H
#define TELAR_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

enum json_type {
    JSON_NULL = 0,
    JSON_BOOL,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
};

/* A value.  Arrays and objects hold n items (objects: keys[i] names
 * items[i]).  Owned by the root that json_parse returned. */
struct json {
    enum json_type type;
    bool b;
    double num;
    char *str;                  /* JSON_STRING: NUL-terminated UTF-8 */
    size_t len;                 /* its length (it may hold NULs) */
    struct json *items;
    char **keys;
    size_t n;
};

/* Parse len bytes of text.  A new tree (json_free it), or NULL with d set
 * to "offset N: expected ...". */
struct json *json_parse(const char *text, size_t len, struct diag *d);
void json_free(struct json *j);

/* The member key of object j, or NULL (also when j is not an object). */
const struct json *json_get(const struct json *j, const char *key);

#endif
