/*
 * Comparing two runs (log layer): align the event logs of two runs of one
 * scenario record by record and find the first place where they part ways,
 * with who held the baton there in each run and where that actor was in
 * the scenario.  `telar diff` (cmd-diff.c) makes the two runs and prints
 * the result.  Reads only log/evlog.h.
 *
 * The prefix is logdiff_: the file is log/diff.c, and a bare diff_ would
 * read as the command's (cmd_diff_).
 *
 * Alignment: the records that say what happened (EV_ACTOR_NEW,
 * EV_ACTOR_NAME, EV_STATE, EV_SWITCH, EV_OUTPUT, EV_EXCEPTION, EV_DEADLOCK,
 * EV_END) are compared in order, with their step and virtual time; the
 * rest (EV_RUN, positions, code, objects and their operations) follows
 * from them and is not compared.  The first pair that differs, or a log
 * that ends before the other, marks the divergence; its step is the
 * smaller of the two records' steps, the first scheduler step at which
 * the runs are no longer alike.
 */
#ifndef TELAR_LOGDIFF_H
#define TELAR_LOGDIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "log/evlog.h"
#include "util/util.h"

/* One run's side of a comparison.  Strings are owned by the struct
 * logdiff that holds it; NULL when unknown. */
struct logdiff_run {
    /* The whole run */
    uint64_t steps;             /* the last step in the log */
    int64_t time;               /* virtual ns at its end */
    bool ended;                 /* the log has its EV_END */
    int end_status;             /* EV_END: the exit status */
    int end_why;                /* EV_END: enum ev_end */
    bool deadlock;              /* an EV_DEADLOCK, or ended by one */
    /* At the divergence (struct logdiff.differ) */
    int64_t at_time;            /* virtual ns at that step */
    int actor;                  /* who holds the baton after that step,
                                   or -1: nobody */
    char *actor_name;
    bool switched;              /* the baton changed hands at that step */
    int from;                   /* from whom (-1: nobody) */
    char *from_name;
    int why;                    /* enum ev_reason of that switch */
    char *file;                 /* where the actor was (EV_POS/EV_CODE) */
    char *func;
    int line;                   /* 0: unknown */
    char *text;                 /* that line of the file, trimmed */
    bool has_record;            /* false: the log ended there */
    uint64_t record_step;       /* the first record that differs */
    char *record;               /* ... said in words */
};

/* The result of logdiff_compare.  Owned by the caller; logdiff_fini
 * frees what it holds. */
struct logdiff {
    bool differ;
    uint64_t step;              /* the first step that differs */
    uint64_t same;              /* records alike before it */
    struct logdiff_run run[2];
};

/*
 * Compare the runs in a and b (both rewound and read to their current
 * end) and fill *res.  Source lines are read from the files the logs
 * name, when they are still there.  Returns 0, or -1 with d set on a
 * corrupt log (res is then empty, still to be freed).
 */
int logdiff_compare(struct evlog_reader *a, struct evlog_reader *b,
                    struct logdiff *res, struct diag *d);

void logdiff_fini(struct logdiff *res);

/* A word for an ev_reason: "start", "block", "exit", "preempt", "yield",
 * "wake" (untranslated, for scripts). */
const char *logdiff_reason_name(int why);

#endif
