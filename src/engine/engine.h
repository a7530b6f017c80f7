/*
 * The engine: an embedded CPython whose threads run one at a time under the
 * scheduler.  engine.c embeds the interpreter and runs a scenario; baton.c
 * passes the right to run between threads; telarmod.c is the built-in
 * module `_telar` that replaces every place where CPython would block or
 * read the clock; tracer.c is the C trace function that gives the scheduler
 * its preemption points.  The engine never includes a TUI header.
 */
#ifndef TELAR_ENGINE_H
#define TELAR_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sched/sched.h"
#include "util/util.h"

/* Headless exit statuses beyond the scenario's own. */
#define ENGINE_EXIT_USAGE 2
#define ENGINE_EXIT_DEADLOCK 3
#define ENGINE_EXIT_LIMIT 4

/* The first line of a deadlock report (translated through gettext);
 * telar check recognises a deadlock by it. */
#define ENGINE_DEADLOCK_LINE \
    N_("telar: deadlock: no thread can run and no timer is pending.")

/* What to run and how.  Owned by the caller (cmd-run.c). */
struct engine_opts {
    const char *file;           /* the scenario */
    int argc;                   /* its sys.argv[1:] */
    char **argv;
    struct sched_config sched;
    const char *log_path;       /* keep the event log here, or NULL */
    uint64_t max_memory;        /* bytes the interpreter may hold; 0: none */
    bool print_schedule;        /* the schedule string to stderr at the end */
    bool timeline;              /* an ASCII timeline to stderr at the end */
    int timeline_width;
    const char *trace_path;     /* Chrome trace JSON, or NULL */
    bool log_lines;             /* an EV_POS record at every line (TUI) */
    bool stats;                 /* steps, switches, log size to stderr */
    bool lint;                  /* the lints of telar lint, at the end */
    /* Live mode: a viewer's command pipe and answer pipe (control.c), or
     * -1.  Implies log_lines. */
    int control_in, control_out;
    /* Globals of the scenario whose values are logged as they change
     * (EV_WATCH), or none.  Borrowed.  Implies log_lines. */
    char **watch;
    int nwatch;
    bool races;                 /* data races: log accesses and
                                   happens-before facts, report at the end */
};

void engine_opts_init(struct engine_opts *o);

/* Run the scenario to the end in this process, writing its output through
 * to stdout and stderr.  Returns the headless exit status: the scenario's
 * own, 1 for an uncaught exception, ENGINE_EXIT_DEADLOCK,
 * ENGINE_EXIT_LIMIT; or ENGINE_EXIT_USAGE with d set when the run could not
 * start (missing file, bad schedule).  May not return at all when the
 * scenario calls os._exit: the process then exits with its status after
 * the log and the requested reports are written.  Runs on: the main
 * thread, once per process (CPython cannot be initialised twice). */
int engine_run(const struct engine_opts *o, struct diag *d);

/* engine_run in parts, for callers that run a prepared interpreter many
 * times (zygote.c).  engine_new checks the file, makes the run's state,
 * starts CPython and installs the bootstrap: NULL with d set when it
 * cannot (exit status ENGINE_EXIT_USAGE).  engine_exec runs the scenario
 * to its end and returns engine_run's status (or never returns, as
 * engine_run may not); engine_free then frees what is left.  Runs on: the
 * main thread, once per process. */
struct engine;
struct engine *engine_new(const struct engine_opts *o, struct diag *d);
int engine_exec(struct engine *e);
void engine_free(struct engine *e);

/* The first argument of a process that multiprocessing's spawn start
 * method started (exec.c): telar runs in a hidden mode then. */
#define ENGINE_CHILD_ARG "--engine-child"

/* Run as such a process: argv[0] is ENGINE_CHILD_ARG, the rest what
 * exec.c wrote.  A child that joins the run ends as a process of it does
 * and never returns; the status of a plain interpreter (the resource
 * tracker) is returned.  Runs on: the main thread of a fresh process. */
int engine_child_main(int argc, char **argv);

/* "Python 3.11.2" of the embedded interpreter; static storage. */
const char *engine_python_version(void);

/* ---- Many runs from one prepared interpreter (zygote.c) ------------------
 * A zygote is a process where CPython is initialised and the bootstrap
 * installed; each run is a fork() of it that makes its own scheduler,
 * shared arena and log, so a run costs a fork and the scenario itself,
 * not an interpreter start.  telar explore uses it. */

/* How a run ended, written by the engine at the end of the run into
 * memory the caller provides (shared, since the run may fork and end in
 * any of its processes). */
struct engine_outcome {
    bool ended;                 /* the engine saw the end (no crash) */
    int status;                 /* the exit status the run ended with */
    int why;                    /* enum ev_end */
    uint64_t steps;             /* 0: no scenario code ran (it did not
                                   compile, or could not be read) */
    size_t schedule_len;        /* strlen of the schedule string; may be
                                   >= schedule_cap, then it is cut */
    size_t schedule_cap;
    char *schedule;             /* the caller's buffer, schedule_cap bytes */
    bool tainted;               /* it did not run in a fresh fork, and may
                                   not be what one would do (reuse.c) */
};

/* One run of a zygote.  Everything is the caller's. */
struct zygote_run {
    sched_choose_fn choose;     /* takes every decision; NULL: the policy */
    void *choose_ctx;           /* shared memory (the run may fork) */
    struct engine_outcome *outcome;     /* shared memory, or NULL */
    int out_fd;                 /* the run's stdout, rewritten from 0 */
    int err_fd;                 /* its stderr, the same way */
    int timeout_ms;             /* real time before it is killed; 0: none */
    bool fresh;                 /* a child of its own that ends with the
                                   run, even if the last run's goes on */
};

struct zygote_result {
    int status;                 /* exit status, or 128 + signal */
    int signal;                 /* the signal that killed it, or 0 */
    bool timed_out;             /* killed after timeout_ms */
    long minflt;                /* its page faults (measurements) */
    long cpu_us;                /* its CPU time, user and system */
    bool reused;                /* it ran in the process of the run before */
};

struct zygote;

/* Prepare a zygote in this process (engine_new with o, whose policy must
 * be "fifo" when runs take a chooser).  Standard input becomes /dev/null
 * and standard output too until each run's out_fd replaces it, so that
 * CPython buffers stdout as it does for `telar run > file`.  NULL with d
 * set when the run could not start (exit status ENGINE_EXIT_USAGE).  o
 * must outlive the zygote.  The process must not have started threads. */
struct zygote *zygote_new(const struct engine_opts *o, struct diag *d);
/* Pin this process (and its runs) to the index-th CPU it may use, modulo
 * their number: parallel workers each get their own. */
void zygote_pin(int index);
/* Fork a run, wait for it (killing it and its processes after
 * r->timeout_ms) and fill res.  0, or -1 with d set when fork fails. */
int zygote_run(struct zygote *z, const struct zygote_run *r,
               struct zygote_result *res, struct diag *d);
/* Whether the child of the last run waits to run the next one. */
bool zygote_goes_on(const struct zygote *z);
/* From now on every run is forked from the zygote (telar explore: runs
 * going on in one process did not behave as forked ones). */
void zygote_no_reuse(struct zygote *z);

#endif
