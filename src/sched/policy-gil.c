/*
 * The "gil" policy, the default: CPython 3.11's GIL hand-off
 * (Python/ceval_gil.h), one GIL per process.  Processes do not share a
 * GIL: they run on their own virtual cores, so when threads of several
 * processes can run they take turns every SCHED_PROC_QUANTUM_NS, at any
 * point (sched.c's "Time" explains how the clock stays parallel).  A thread
 * that wants the GIL waits one switch interval at a time; when a whole
 * interval passes without the GIL changing hands it sets the drop request,
 * and the holder lets go at its next eval-breaker check
 * (SCHED_POINT_BREAKER).  Who wins among waiters is up to the OS in
 * CPython; here it is the oldest, so runs are repeatable.
 *
 * A waiter's timed wait in take_gil ends a little after the interval: the
 * OS wakes it late by its timer slack and scheduling latency.  That noise
 * is what makes the place where a busy loop loses the GIL vary from one
 * hand-off to the next.  Without it, a loop whose iterations divide the
 * interval would always lose the GIL at the same instruction, and a race
 * that CPython shows at once (a call between a read and a write) would
 * never show.  So every slice draws a latency from the run's seed, up to
 * switch_jitter: one seed is still one run.
 * Layer: sched; sched.c lists it.
 */
#include "config.h"

#include "sched/internal.h"
#include "sched/policy.h"

/* Oldest first; a thread that yields or is made to drop the GIL never
 * takes it straight back while another waits (FORCE_SWITCHING). */
static bool
policy_gil_turn_over(const struct sched *s)
{
    return sched__ready_elsewhere(s) > 0
           && s->hot.now >= s->pol.gil.proc_start + SCHED_PROC_QUANTUM_NS;
}

static size_t
policy_gil_pick(struct sched *s, const int *cand, size_t n,
                enum ev_reason reason)
{
    if (reason == EV_WHY_PREEMPT && policy_gil_turn_over(s)) {
        /* The next process's turn: its oldest ready thread. */
        int proc = sched__current_proc(s);

        for (size_t i = 0; i < n; i++) {
            if (cand[i] != s->current
                && sched_actor(s, cand[i])->proc != proc) {
                return i;
            }
        }
    }
    return sched__first_other(s, cand, n);
}

/* When a waiter sets the drop request, or SCHED_NEVER without waiters.
 * take_gil restarts its timed wait whenever the GIL changes hands, so the
 * request comes one interval (and the slice's latency) after the later of
 * "the oldest waiter started waiting" and "the holder took the GIL". */
static int64_t
policy_gil_due(const struct sched *s)
{
    int64_t since = sched__oldest_ready_in(s, sched__current_proc(s), false);
    int64_t wait;

    if (since == SCHED_NEVER) {
        return SCHED_NEVER;
    }
    if (since < s->pol.gil.slice_start) {
        since = s->pol.gil.slice_start;
    }
    wait = s->switch_interval + s->pol.gil.latency;
    return since > SCHED_NEVER - wait ? SCHED_NEVER : since + wait;
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
    if (policy_gil_turn_over(s)) {
        return true;            /* another process's turn: no GIL between */
    }
    if (sched__ready_elsewhere(s) > 0) {
        sched__arm_time(s, s->pol.gil.proc_start + SCHED_PROC_QUANTUM_NS);
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
    int proc = sched__current_proc(s);

    s->pol.gil.slice_start = s->hot.now;
    s->pol.gil.latency = (int64_t)sched__rand_below(
        s, (uint64_t)s->switch_jitter + 1);
    if (proc != s->pol.gil.proc || s->pol.gil.proc_start == 0) {
        s->pol.gil.proc = proc;
        s->pol.gil.proc_start = s->hot.now;
    }
    if (sched__ready_elsewhere(s) > 0) {
        sched__arm_time(s, s->pol.gil.proc_start + SCHED_PROC_QUANTUM_NS);
    }
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
