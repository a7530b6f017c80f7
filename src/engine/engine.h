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

/* "Python 3.11.2" of the embedded interpreter; static storage. */
const char *engine_python_version(void);

#endif
