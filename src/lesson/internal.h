/*
 * Shared by the files of src/lesson and nothing else: the tree that
 * lesson-fm.c makes of a front matter and lesson.c reads, and the position
 * helpers both use.
 */
#ifndef TELAR_LESSON_INTERNAL_H
#define TELAR_LESSON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

enum lesson_fm_kind {
    LESSON_FM_MAP,
    LESSON_FM_LIST,
    LESSON_FM_STR,
    LESSON_FM_INT,
    LESSON_FM_BOOL,
};

struct lesson_fm_node;

struct lesson_fm_entry {
    char *key;
    int line, col;              /* of the key */
    struct lesson_fm_node *value;
};

/* One value of the front matter.  Owned by its parent; the root by the
 * caller of lesson__fm_parse, freed with lesson__fm_free. */
struct lesson_fm_node {
    enum lesson_fm_kind kind;
    int line, col;              /* where the value starts */
    char *str;                  /* STR: the text; INT, BOOL: as written */
    bool quoted;                /* STR: written in quotes */
    bool ambiguous;             /* STR, plain: YAML reads it otherwise
                                   (null, yes, 1.5): a string key wants it
                                   quoted */
    int64_t num;                /* INT */
    bool truth;                 /* BOOL */
    struct lesson_fm_entry *entries;    /* MAP, in the order written */
    size_t nentries;
    struct lesson_fm_node **items;      /* LIST */
    size_t nitems;
};

/* Parses the lines between the two "---" of a front matter.  text holds
 * them (len bytes, no NUL needed); first_line is the file's line number of
 * the first one.  Returns the root map, or NULL with d set to
 * "file:line:col: expected ...". */
struct lesson_fm_node *lesson__fm_parse(const char *file, const char *text,
                                        size_t len, int first_line,
                                        struct diag *d);
void lesson__fm_free(struct lesson_fm_node *n);

/* The column, in characters from 1, of byte p of a line starting at line. */
int lesson__col(const char *line, const char *p);

/* The first invalid UTF-8 byte of s[0..len), or NULL. */
const char *lesson__bad_utf8(const char *s, size_t len);

#endif
