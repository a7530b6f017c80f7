/*
 * A scenario run started from the TUI (tui layer).  The engine is another
 * process, this very binary as "telar run FILE --headless --log LOG", so a
 * crashing or runaway scenario never takes the terminal with it; the TUI
 * learns what happened from the event log alone, through two callbacks on
 * the libuv loop.  Nothing here includes engine/ or sched/: the options
 * cross as command-line arguments.
 */
#ifndef TELAR_TUI_RUN_H
#define TELAR_TUI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "util/util.h"

/* What to run and how.  Borrowed by run_start, which copies what it
 * keeps. */
struct run_spec {
    const char *file;           /* the scenario, as seen from dir */
    const char *dir;            /* the child's working directory, or NULL */
    char *const *argv;          /* the scenario's sys.argv[1:] */
    int argc;
    const char *policy;         /* NULL: telar run's default */
    uint64_t seed;
    int cores;                  /* 0: the default */
    const char *schedule;       /* replay these decisions, or NULL */
    double preempt_rate;        /* < 0: the default */
    uint64_t max_steps;         /* 0: no bound */
    const char *log_path;       /* keep the log there, or NULL: a
                                   temporary file removed by run_free */
    const char *trace_path;     /* a Chrome trace too, or NULL */
    const char *title;          /* what the screen calls the run */
    char *const *watch;         /* the lesson's watched variables */
    size_t nwatch;
    bool races;                 /* race detection (telar run --races) */
};

/* How a run ended. */
struct run_end {
    int status;                 /* the exit status, or -1 */
    int signal;                 /* the signal that ended it, or 0 */
    /* The last line the child wrote on stderr (telar's own messages:
     * "telar: x.py: No such file or directory"), or "" */
    const char *last_line;
};

struct run;

/* Runs on: the loop thread.  Both may free nothing of the run; they may
 * call run_log_path and run_spec. */
struct run_callbacks {
    /* The log has new records since the last call (or exists at last). */
    void (*log)(struct run *r, void *arg);
    /* The run is over: the child exited and its stderr is closed.  Called
     * once, after the last log call. */
    void (*end)(struct run *r, const struct run_end *e, void *arg);
    void *arg;
};

/* Start the run: make the log file, spawn the child.  The callbacks come
 * from uv's loop.  Returns the run, or NULL with d when the child could not
 * be started (no temporary file, spawn failed).  Owned by the caller;
 * run_free ends it. */
struct run *run_start(uv_loop_t *uv, const struct run_spec *spec,
                      const struct run_callbacks *cb, struct diag *d);

/* Kill the child if it still runs (it and every process it forked), stop
 * the callbacks, remove a temporary log.  The memory goes when libuv has
 * closed the handles: the loop must run again (it does until it ends). */
void run_free(struct run *r);

/* Let the engine run until its step reaches step (it stops there and the
 * log callback says so); a smaller step than before changes nothing.  The
 * engine starts stopped at step 0. */
void run_allow(struct run *r, uint64_t step);
/* Stopped at its gate, waiting for run_allow. */
bool run_is_paused(const struct run *r);

/* The event log's path (it may still be empty). */
const char *run_log_path(const struct run *r);
/* The spec as given to run_start (a copy owned by the run). */
const struct run_spec *run_spec(const struct run *r);
/* true until the end callback. */
bool run_is_running(const struct run *r);

#endif
