/*
 * The "rr:N" policy: round robin.  Every N points with an instruction the
 * baton moves to the next ready actor in id order after the current one,
 * wrapping around; the same order decides after a block.  Exact and
 * predictable, for lessons that show interleaving step by step.  Layer:
 * sched; sched.c lists it.
 */
#include "config.h"

#include <string.h>

#include "sched/internal.h"
#include "sched/policy.h"

static int
policy_rr_init(struct sched *s, const char *arg, struct diag *d)
{
    uint64_t n = 0;
    const char *p = arg;

    if (arg == NULL) {
        diag_set(d, _("policy 'rr' needs a slice length: rr:N with "
                      "N >= 1"));
        return -1;
    }
    while (*p >= '0' && *p <= '9') {
        if (n > (UINT64_MAX - 9) / 10) {
            break;
        }
        n = n * 10 + (uint64_t)(*p - '0');
        p++;
    }
    if (p == arg || *p != '\0' || n < 1) {
        diag_set(d, _("rr:N: N must be a whole number >= 1 (got '%s')"),
                 arg);
        return -1;
    }
    s->pol.rr.n = n;
    return 0;
}

/* The candidate with the lowest id above the current actor's, else the
 * lowest id.  On a preemption or yield the current actor is passed over
 * while another can run. */
static size_t
policy_rr_pick(struct sched *s, const int *cand, size_t n,
               enum ev_reason reason)
{
    size_t next = n, low = n;

    (void)reason;
    for (size_t i = 0; i < n; i++) {
        if (cand[i] == s->current && n > 1) {
            continue;
        }
        if (cand[i] > s->current && (next == n || cand[i] < cand[next])) {
            next = i;
        }
        if (low == n || cand[i] < cand[low]) {
            low = i;
        }
    }
    return next != n ? next : low;
}

static bool
policy_rr_point(struct sched *s, unsigned flags, size_t others)
{
    uint64_t end = s->pol.rr.slice_start + s->pol.rr.n;

    /* Steps count points: only sched_next, which starts a slice, takes a
     * step that is not one, so step - slice_start is the points so far. */
    if (s->hot.step < end) {
        sched__arm_step(s, end);
        return false;
    }
    if (!(flags & SCHED_POINT_OPCODE)) {
        sched__arm_step(s, s->hot.step + 1);
        return false;
    }
    if (others == 0) {
        s->pol.rr.slice_start = s->hot.step;
        sched__arm_step(s, s->hot.step + s->pol.rr.n);
        return false;
    }
    return true;
}

static void
policy_rr_slice(struct sched *s)
{
    s->pol.rr.slice_start = s->hot.step;
    sched__arm_step(s, s->hot.step + s->pol.rr.n);
}

const struct policy policy_rr = {
    .name = "rr",
    .usage = "rr:N",
    .init = policy_rr_init,
    .pick = policy_rr_pick,
    .point = policy_rr_point,
    .slice = policy_rr_slice,
};
