/*
 * The "preempt" policy: seeded random preemption.  At every point with an
 * instruction the running actor loses the baton with probability
 * cfg->preempt_rate, to a uniformly chosen other ready actor; after a block
 * any ready actor is equally likely.  Different seeds explore different
 * interleavings, the same seed repeats one.  Layer: sched; sched.c lists
 * it.
 *
 * The hot path stays two compares: instead of a coin per point, the number
 * of points until the next success is drawn once (a geometric draw) and
 * armed as check_step.
 */
#include "config.h"

#include "sched/internal.h"
#include "sched/policy.h"

/* -log2(v / 2^64) for v >= 1, in units of 2^-32.  Integer operations only:
 * libm's log may differ in the last bit between C libraries and FPUs, and
 * one bit can change a schedule. */
static uint64_t
policy_preempt_nlog2(uint64_t v)
{
    int top = 0;
    uint64_t x, frac = 0;

    while (top < 63 && (v >> (top + 1)) != 0) {
        top++;
    }
    /* x = v / 2^top in [1, 2), as a Q31 fixed-point number; x * x then
     * fits in 64 bits.  Squaring doubles the logarithm: each overflow past
     * 2 is the next bit of the fraction. */
    x = top >= 31 ? v >> (top - 31) : v << (31 - top);
    for (int i = 0; i < 32; i++) {
        x = (x * x) >> 31;
        frac <<= 1;
        if (x >= (2ULL << 31)) {
            x >>= 1;
            frac |= 1;
        }
    }
    return ((uint64_t)(64 - top) << 32) - frac;
}

/* Points until the next success, >= 1 (a geometric draw), or UINT64_MAX
 * for a rate of 0.  P(k = 1) = P(r / 2^64 > 1 - rate) = rate. */
static uint64_t
policy_preempt_draw(struct sched *s)
{
    uint64_t r, k;

    if (s->pol.preempt.unit == 0) {
        return UINT64_MAX;
    }
    r = rng_next(&s->rng);
    k = policy_preempt_nlog2(r != 0 ? r : 1) / s->pol.preempt.unit;
    return k + 1;
}

/* The next success k points after step from. */
static void
policy_preempt_arm(struct sched *s, uint64_t from)
{
    uint64_t k = policy_preempt_draw(s);

    s->pol.preempt.target = k > UINT64_MAX - from ? UINT64_MAX : from + k;
}

static int
policy_preempt_init(struct sched *s, const char *arg, struct diag *d)
{
    double q = (1.0 - s->preempt_rate) * 18446744073709551616.0;

    if (arg != NULL) {
        diag_set(d, _("policy 'preempt' takes no argument (got "
                      "'preempt:%s')"), arg);
        return -1;
    }
    if (s->preempt_rate <= 0.0) {
        s->pol.preempt.unit = 0;
    } else if (s->preempt_rate >= 1.0) {
        s->pol.preempt.unit = UINT64_MAX;
    } else {
        /* One double product, exact to IEEE rounding everywhere; 1 - rate
         * rounds to 1 below 2^-53, and then nothing ever preempts. */
        s->pol.preempt.unit = q >= 18446744073709551615.0
                              ? 0 : policy_preempt_nlog2((uint64_t)q);
    }
    policy_preempt_arm(s, 0);
    return 0;
}

/* Preemption: a uniformly chosen other candidate.  Otherwise (a block, an
 * exit, a yield) any candidate, the current one included on a yield. */
static size_t
policy_preempt_pick(struct sched *s, const int *cand, size_t n,
                    enum ev_reason reason)
{
    size_t k, cur = n;

    if (reason == EV_WHY_PREEMPT) {
        for (size_t i = 0; i < n; i++) {
            if (cand[i] == s->current) {
                cur = i;
            }
        }
    }
    if (cur == n || n == 1) {
        return (size_t)sched__rand_below(s, n);
    }
    k = (size_t)sched__rand_below(s, n - 1);
    return k < cur ? k : k + 1;
}

static bool
policy_preempt_point(struct sched *s, unsigned flags, size_t others)
{
    if (s->hot.step < s->pol.preempt.target) {
        sched__arm_step(s, s->pol.preempt.target);
        return false;
    }
    /* The success fell on a point without an instruction: it goes to the
     * next point that has one. */
    if (!(flags & SCHED_POINT_OPCODE)) {
        sched__arm_step(s, s->hot.step + 1);
        return false;
    }
    /* A preemption's decision takes the next step, which is no point:
     * count the draw from there. */
    policy_preempt_arm(s, others > 0 ? s->hot.step + 1 : s->hot.step);
    sched__arm_step(s, s->pol.preempt.target);
    return others > 0;
}

/* The draw is memoryless, so a new slice keeps the pending target.  When
 * the decision's own step overtook it, the next point takes the success. */
static void
policy_preempt_slice(struct sched *s)
{
    sched__arm_step(s, s->pol.preempt.target);
}

const struct policy policy_preempt = {
    .name = "preempt",
    .usage = "preempt",
    .init = policy_preempt_init,
    .pick = policy_preempt_pick,
    .point = policy_preempt_point,
    .slice = policy_preempt_slice,
};
