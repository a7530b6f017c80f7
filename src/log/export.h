/*
 * Exporters: render a whole event log in another form.  Each reads the log
 * through an evlog_reader and nothing else (no scheduler, no engine), so it
 * works the same on a live run's log, a finished one, or a file on disk.
 * export-timeline.c draws text for a terminal; export-trace.c writes Chrome
 * trace-event JSON for Perfetto.
 */
#ifndef TELAR_EXPORT_H
#define TELAR_EXPORT_H

#include <stdio.h>

#include "log/evlog.h"
#include "util/util.h"

/* Lines of the timeline are at most this wide when asked for less. */
#define EXPORT_TIMELINE_MIN_WIDTH 40

/*
 * Write an ASCII timeline of the run in r to out: a scale line, one row per
 * actor (a tree under its parent) and per queue, a legend, and a footer with
 * the totals.  width is the width of the whole line in terminal columns
 * (label included, at least EXPORT_TIMELINE_MIN_WIDTH); each chart column is
 * an equal slice of virtual time, or of steps when the run took no virtual
 * time.  The output depends only on the log.  r is rewound and read to its
 * current end; a record still incomplete there is left out.  Returns 0, or
 * -1 with d on a corrupt log or a write error.
 */
int export_timeline_write(struct evlog_reader *r, FILE *out, int width,
                          struct diag *d);

/*
 * Write the run in r to out as Chrome trace-event JSON (object form), which
 * Perfetto and chrome://tracing open: process and thread names, a slice per
 * running span of each thread, an async track per asyncio task, a counter
 * per queue and instants for exceptions, deadlocks, output and notes.
 * Times are virtual microseconds (steps, when the run took no virtual time).
 * r is rewound and read to its current end.  Returns 0, or -1 with d on a
 * corrupt log or a write error.
 */
int export_trace_write(struct evlog_reader *r, FILE *out, struct diag *d);

#endif
