/*
 * Data races in an event log (log layer): pairs of conflicting accesses
 * to shared data that no happens-before edge orders.  `telar run --races`
 * records the facts (EV_LOC, EV_ACCESS, EV_SYNC: see evlog.h); this file
 * computes vector clocks over them and reports, and `telar races LOG`
 * does the same for a log on disk.  Reads only log/evlog.h.
 *
 * The model.  Each thread has a vector clock; an EV_SYNC release joins the
 * thread's clock into its channel and then ticks the thread's own entry,
 * an acquire joins the channel's clock into the thread's, a start gives
 * the new thread its parent's clock.  Asyncio tasks count as the thread
 * that runs them: tasks of one loop never race with each other.  Two
 * accesses to one location conflict when they come from different threads
 * of one process and at least one of them writes; they race when neither
 * happens before the other.  For every location the analysis keeps, per
 * thread, bytecode and kind of access, the latest access (its epoch: the
 * thread's own clock entry then); a later access is checked against all of
 * them.  That finds every racing pair of code positions: the latest access
 * of a (thread, position) is the one least likely to be ordered before
 * the access being checked.  Races are reported once per location
 * description and pair of source lines, in the order they are found.
 */
#ifndef TELAR_RACES_H
#define TELAR_RACES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "log/evlog.h"
#include "util/util.h"

/* The races of one log.  Owned by its creator; races_free frees it. */
struct races;

struct races *races_new(void);
void races_free(struct races *rs);

/* Read r from its start to its current end and find its races.  0, or -1
 * with d set on a corrupt log.  Call it once per struct races.  Runs on:
 * the caller's thread. */
int races_scan(struct races *rs, struct evlog_reader *r, struct diag *d);

/* Whether the log was recorded with race detection on (telar run
 * --races): without it there is nothing to find. */
bool races_recorded(const struct races *rs);
size_t races_count(const struct races *rs);

/* Race i as an EV_RACE record (see evlog.h); its str, the sentence that
 * races_print prints, stays valid until races_free. */
void races_record(const struct races *rs, size_t i, struct ev *ev);

/* Print one sentence a race, "telar: data race on ...", then the summary
 * line ("telar: 1 data race found", "telar: no data races found"). */
void races_print(const struct races *rs, FILE *out);

#endif
