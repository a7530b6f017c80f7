/*
 * Lints over a finished event log (log layer): the mistakes of concurrent
 * Python that a run shows but does not stop on.  `telar lint LOG` prints
 * them for a log on disk; `telar run --lint` calls lint_report on the log
 * of the run it just made.  Reads only log/evlog.h.
 *
 * Each finding is one warning, in the manner of tokio-console: the check's
 * name, one sentence that says what happened, with its threshold where the
 * check has one, the place in the scenario (file:line and the line's text)
 * and, at the end, a summary line ("3 warnings").  The checks:
 *
 *   blocking-step   an asyncio task ran longer than the threshold in one
 *                   step, so its event loop ran nothing else meanwhile
 *   never-awaited   CPython's "coroutine '...' was never awaited" warning
 *   lost-task       "Task exception was never retrieved", "Task was
 *                   destroyed but it is pending!", or a task still pending
 *                   when the run ended
 *   lock-await      an asyncio lock held by a task across an await, or a
 *                   threading lock held by a thread while it sleeps
 *   queue-growth    an unbounded queue that grew past the threshold while
 *                   its consumers never caught up
 *   unjoined-thread a thread that nobody joined (ended or still alive)
 *   pool-saturated  a thread pool with every worker busy while requests
 *                   waited in its queue, for longer than the threshold
 */
#ifndef TELAR_LINT_H
#define TELAR_LINT_H

#include <stdint.h>
#include <stdio.h>

#include "log/evlog.h"
#include "util/util.h"

/* Default thresholds (virtual time is in ns). */
#define LINT_BLOCKING_NS_DEFAULT (100 * 1000000LL)
#define LINT_QUEUE_GROWTH_DEFAULT 100
#define LINT_POOL_NS_DEFAULT (100 * 1000000LL)

/* Thresholds of the checks.  Owned by the caller; lint_opts_init fills in
 * the defaults. */
struct lint_opts {
    int64_t blocking_ns;        /* blocking-step: one task step this long */
    int64_t queue_growth;       /* queue-growth: this many items waiting */
    int64_t pool_ns;            /* pool-saturated: saturated this long */
};

void lint_opts_init(struct lint_opts *o);

/*
 * Analyse the finished run in r and write its warnings to out, followed by
 * the summary line ("no warnings", "1 warning", "3 warnings"); o NULL
 * means the default thresholds.  Source lines are read from the files the
 * log names, when they are still there.
 * r is rewound and read to its current end.  Returns the number of
 * warnings, or -1 with d set on a corrupt log or a write error.  Runs on:
 * the caller's thread; keeps no state between calls.
 */
int lint_report(struct evlog_reader *r, FILE *out, const struct lint_opts *o,
                struct diag *d);

/* One warning, as a viewer shows it while the run goes on (the TUI). */
struct lint_item {
    const char *check;          /* "blocking-step"...: static storage */
    int64_t time;               /* virtual ns when it became true */
    char *text;                 /* the sentence; owned */
    char *where;                /* "file.py:12", or NULL; owned */
};

/*
 * The same analysis as lint_report, as data: the warnings, in order of
 * time, into *items (free them with lint_items_free).  r is rewound: give
 * it a reader of its own.  The count, or -1 with d.
 */
int lint_items(struct evlog_reader *r, const struct lint_opts *o,
               struct lint_item **items, struct diag *d);
void lint_items_free(struct lint_item *items, int n);

#endif
