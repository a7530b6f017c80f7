/*
 * Running a child process to completion: stdin from /dev/null, stdout and
 * stderr captured, killed after a timeout.  telar check and telar diff
 * both run this very binary ("telar run --headless ...") this way.
 */
#ifndef TELAR_SPAWN_H
#define TELAR_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

/* What to run. */
struct spawn_req {
    const char *path;           /* searched on PATH when it has no '/' */
    char *const *argv;
    const char *dir;            /* to run in, or NULL: here */
    char *const *env;           /* "NAME=value" to add, or NULL */
    int timeout;                /* seconds */
    size_t cap;                 /* bytes kept of each stream; 0: all */
    const char *who;            /* prefix of an exec failure, or NULL */
};

/* What a child run gave.  Owned by the caller: spawn_result_init before
 * spawn_run, spawn_result_fini after. */
struct spawn_result {
    struct str out, err;        /* what it wrote */
    int status;                 /* exit status, or -1 */
    int signal;                 /* the signal that ended it, or 0 */
    bool timed_out;
    char *failed;               /* why it could not start, or NULL */
};

void spawn_result_init(struct spawn_result *r);
void spawn_result_fini(struct spawn_result *r);
/* Runs req to its end (or its timeout) and fills r.  When the child could
 * not be started, r->failed says why ("pipe: ...", "fork: ..."). */
void spawn_run(const struct spawn_req *req, struct spawn_result *r);

#endif
