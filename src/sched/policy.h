/*
 * The policy interface: a strategy plugged into the scheduler.  Each
 * policy-*.c exports one const struct policy; sched.c lists them.
 * Runs on: the baton holder, inside sched_next and sched_point_slow.
 */
#ifndef TELAR_POLICY_H
#define TELAR_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "sched/sched.h"

struct policy {
    const char *name;           /* as given to --policy, before any ':' */
    const char *usage;          /* for messages: "rr:N" */
    /* Parse the part after ':' ("rr:N"), or NULL.  0, or -1 with d set. */
    int (*init)(struct sched *s, const char *arg, struct diag *d);
    /* Choose among cand[0..n-1] (READY actors, oldest first; n >= 1).  The
     * current actor is among them only when reason is PREEMPT or YIELD.
     * Returns an index into cand. */
    size_t (*pick)(struct sched *s, const int *cand, size_t n,
                   enum ev_reason reason);
    /* At a point of the running actor, after sched.c has woken sleepers
     * whose deadline passed.  others is the number of other READY actors.
     * Returns true to preempt now.  Must re-arm the hot check fields it uses
     * (through sched__arm_step / sched__arm_time).  It may be called at
     * more points than it armed (a deadline, a new ready actor, a replayed
     * decision), so its answer and its use of the PRNG must depend on the
     * state only, never on how often it was asked: replay relies on it. */
    bool (*point)(struct sched *s, unsigned flags, size_t others);
    /* A new actor got the baton: start its slice. */
    void (*slice)(struct sched *s);
};

extern const struct policy policy_gil;
extern const struct policy policy_fifo;
extern const struct policy policy_preempt;
extern const struct policy policy_rr;

#endif
