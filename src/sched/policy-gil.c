/*
 * The "gil" policy, the default: CPython 3.11's GIL hand-off
 * (Python/ceval_gil.h).  A thread that wants the GIL waits one switch
 * interval at a time; when a whole interval passes without the GIL changing
 * hands it sets the drop request, and the holder lets go at its next
 * eval-breaker check (SCHED_POINT_BREAKER).  Who wins among waiters is up
 * to the OS in CPython; here it is the oldest, so runs are repeatable.
 * Layer: sched; sched.c lists it.
 */
#include "config.h"

#include "sched/internal.h"
#include "sched/policy.h"

/* Oldest first; a thread that yields or is made to drop the GIL never
 * takes it straight back while another waits (FORCE_SWITCHING). */
static size_t
policy_gil_pick(struct sched *s, const int *cand, size_t n,
                enum ev_reason reason)
{
    (void)reason;
    return sched__first_other(s, cand, n);
}

/* When a waiter sets the drop request, or SCHED_NEVER without waiters.
 * take_gil restarts its timed wait whenever the GIL changes hands, so the
 * request comes one interval after the later of "the oldest waiter started
 * waiting" and "the holder took the GIL". */
static int64_t
policy_gil_due(const struct sched *s)
{
    int64_t since = sched__oldest_ready_since(s);

    if (since == SCHED_NEVER) {
        return SCHED_NEVER;
    }
    if (since < s->pol.gil.slice_start) {
        since = s->pol.gil.slice_start;
    }
    return since > SCHED_NEVER - s->switch_interval
           ? SCHED_NEVER : since + s->switch_interval;
}

static bool
policy_gil_point(struct sched *s, unsigned flags, size_t others)
{
    int64_t due;

    /* Without a waiter nobody asks for the GIL.  A waiter that shows up
     * later makes sched.c check again at the next point. */
    if (others == 0) {
        return false;
    }
    due = policy_gil_due(s);
    if (s->hot.now < due) {
        sched__arm_time(s, due);
        return false;
    }
    if (flags & SCHED_POINT_BREAKER) {
        return true;
    }
    /* The request is set; look at every point until one checks it. */
    sched__arm_step(s, s->hot.step + 1);
    return false;
}

static void
policy_gil_slice(struct sched *s)
{
    s->pol.gil.slice_start = s->hot.now;
    sched__arm_time(s, policy_gil_due(s));
}

const struct policy policy_gil = {
    .name = "gil",
    .usage = "gil",
    .init = NULL,
    .pick = policy_gil_pick,
    .point = policy_gil_point,
    .slice = policy_gil_slice,
};
