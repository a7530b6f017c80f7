/*
 * The "fifo" policy: run until blocked.  The baton never leaves an actor
 * that can go on, and the oldest ready actor gets it next, so a run shows
 * each thread's work in one piece.  Layer: sched; sched.c lists it.
 */
#include "config.h"

#include "sched/internal.h"
#include "sched/policy.h"

/* The oldest ready actor; on a yield the oldest other one. */
static size_t
policy_fifo_pick(struct sched *s, const int *cand, size_t n,
                 enum ev_reason reason)
{
    (void)reason;
    return sched__first_other(s, cand, n);
}

static bool
policy_fifo_point(struct sched *s, unsigned flags, size_t others)
{
    (void)s;
    (void)flags;
    (void)others;
    return false;
}

const struct policy policy_fifo = {
    .name = "fifo",
    .usage = "fifo",
    .init = NULL,
    .pick = policy_fifo_pick,
    .point = policy_fifo_point,
    .slice = NULL,
};
