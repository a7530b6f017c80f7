/*
 * The chooser: the run's side of exploration.  explore_run_init lays a
 * plan out in a region of shared memory (the worker's, mapped before the
 * run forks, so every process of the run sees it); explore_choose is the
 * sched_choose_fn the run's scheduler calls at each choice, in whichever
 * process holds the baton.  It forces the plan's prefix, then chooses as
 * the plan's mode says (fifo's choice, uniform, or PCT's priorities), and
 * writes down each choice past the prefix with its candidates: the trace
 * the search makes the next plans from.  Layer: explore, plain C.
 */
#include "config.h"

#include "explore/explore.h"

#include <string.h>

#include "explore/internal.h"

#define RUN_MAGIC 0x74656c72u   /* "telr" */

/* PCT's priority of an actor, valid when gen matches the run's. */
struct run_prio {
    uint64_t prio;
    uint32_t gen;
};

/* The head of the region; the prefix, the priorities and the trace follow
 * at the offsets it names. */
struct run {
    uint32_t magic;
    uint32_t gen;               /* bumped by every explore_run_init */
    struct explore__plan plan;
    uint64_t nchoices;
    uint64_t rng;
    uint64_t change[EXPLORE_MAX_DEPTH];
    bool diverged;
    bool truncated;
    size_t prefix_off;
    size_t prio_off;
    size_t trace_off;
    size_t trace_len;
    size_t trace_cap;
};

static size_t
align64(size_t n)
{
    return (n + 63) & ~(size_t)63;
}

void
explore_run_init(void *region, size_t size, const void *plan, size_t len)
{
    struct run *r = region;
    uint32_t gen = r->magic == RUN_MAGIC ? r->gen + 1 : 1;
    const struct explore__plan *h = plan;
    size_t nprefix;

    if (len < sizeof *h) {
        fatal("explore: a plan of %zu bytes", len);
    }
    nprefix = (len - sizeof *h) / sizeof(int32_t);
    if (nprefix != h->nprefix) {
        fatal("explore: a plan with %zu of %u prefix choices", nprefix,
              h->nprefix);
    }
    /* Only the head is written: the priorities of an older run are told
     * apart by their generation, so no page is touched for nothing. */
    memset(r, 0, sizeof *r);
    r->magic = RUN_MAGIC;
    r->gen = gen;
    r->plan = *h;
    r->rng = h->seed;
    r->prefix_off = align64(sizeof *r);
    r->prio_off = align64(r->prefix_off + nprefix * sizeof(int32_t));
    r->trace_off = align64(r->prio_off
                           + (h->mode == EXPLORE__PCT
                              ? SCHED_MAX_ACTORS * sizeof(struct run_prio)
                              : 0));
    if (r->trace_off > size) {
        fatal("explore: a plan of %zu bytes in a region of %zu", len, size);
    }
    r->trace_cap = size - r->trace_off;
    memcpy((char *)region + r->prefix_off, h + 1,
           nprefix * sizeof(int32_t));
    if (h->mode == EXPLORE__PCT) {
        /* d - 1 change points, uniform over the choices of a run
         * (Burckhardt et al. 2010: change point i lowers the running
         * actor's priority to i, below every starting priority). */
        uint64_t horizon = h->horizon > 0 ? h->horizon : 1;

        for (uint32_t i = 0; i + 1 < h->depth && i < EXPLORE_MAX_DEPTH; i++) {
            r->change[i] = rng_below(&r->rng, horizon);
        }
    }
}

/* fifo's choice: at a point, go on; otherwise the oldest other than the
 * actor that stopped (policy-fifo.c). */
static size_t
run_default(const struct sched_choice *c)
{
    if (c->kind == SCHED_CHOICE_POINT) {
        return c->n - 1;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (c->cand[i] != c->current) {
            return i;
        }
    }
    return 0;
}

static uint64_t
run_prio_of(struct run *r, int actor)
{
    struct run_prio *p = (struct run_prio *)((char *)r + r->prio_off);

    if (actor < 0 || actor >= SCHED_MAX_ACTORS) {
        return 0;
    }
    if (p[actor].gen != r->gen) {
        /* A starting priority above every change point's, in random
         * order among actors. */
        p[actor].gen = r->gen;
        p[actor].prio = ((uint64_t)1 << 32) | (rng_next(&r->rng) >> 32);
    }
    return p[actor].prio;
}

static size_t
run_pct(struct run *r, const struct sched_choice *c, uint64_t k)
{
    size_t best = 0;
    uint64_t bp = 0;

    for (uint32_t i = 0; i + 1 < r->plan.depth && i < EXPLORE_MAX_DEPTH;
         i++) {
        if (r->change[i] == k && c->current >= 0
            && c->current < SCHED_MAX_ACTORS) {
            struct run_prio *p = (struct run_prio *)((char *)r + r->prio_off);

            (void)run_prio_of(r, c->current);
            p[c->current].prio = i + 1;
        }
    }
    for (size_t i = 0; i < c->n; i++) {
        uint64_t p = run_prio_of(r, c->cand[i]);

        /* Ties (never between starting priorities in practice): the
         * older candidate. */
        if (i == 0 || p > bp) {
            best = i;
            bp = p;
        }
    }
    return best;
}

/* Write down one choice; a full trace is marked and stops growing. */
static void
run_record(struct run *r, const struct sched_choice *c, size_t chosen)
{
    struct explore__rec rec;
    size_t need = sizeof rec + c->n * sizeof(int32_t);
    unsigned char *p;

    if (r->truncated || r->trace_len + need > r->trace_cap
        || c->n > UINT16_MAX) {
        r->truncated = true;
        return;
    }
    memset(&rec, 0, sizeof rec);
    rec.step = c->step;
    rec.current = c->current;
    rec.n = (uint16_t)c->n;
    rec.chosen = (uint16_t)chosen;
    rec.kind = (uint8_t)c->kind;
    rec.reason = (uint8_t)c->reason;
    p = (unsigned char *)r + r->trace_off + r->trace_len;
    memcpy(p, &rec, sizeof rec);
    for (size_t i = 0; i < c->n; i++) {
        int32_t id = c->cand[i];

        memcpy(p + sizeof rec + i * sizeof id, &id, sizeof id);
    }
    r->trace_len += need;
}

size_t
explore_choose(void *region, const struct sched_choice *c)
{
    struct run *r = region;
    uint64_t k = r->nchoices++;
    size_t idx;

    if (k < r->plan.nprefix) {
        const int32_t *prefix =
            (const int32_t *)((char *)region + r->prefix_off);

        idx = c->n;
        for (size_t i = 0; i < c->n; i++) {
            if (c->cand[i] == prefix[k]) {
                idx = i;
                break;
            }
        }
        if (idx == c->n) {
            /* The run is not where its parent was: the scenario did
             * something else this time.  Go on, and say so. */
            r->diverged = true;
            idx = run_default(c);
        }
        return idx;
    }
    switch (r->plan.mode) {
    case EXPLORE__RANDOM:
        idx = (size_t)rng_below(&r->rng, c->n);
        break;
    case EXPLORE__PCT:
        idx = run_pct(r, c, k);
        break;
    default:
        idx = run_default(c);
        break;
    }
    if (r->plan.record) {
        run_record(r, c, idx);
    }
    return idx;
}

const unsigned char *
explore_run_trace(const void *region, size_t *len)
{
    const struct run *r = region;

    *len = r->trace_len;
    return (const unsigned char *)region + r->trace_off;
}

uint64_t
explore_run_nchoices(const void *region)
{
    return ((const struct run *)region)->nchoices;
}

bool
explore_run_diverged(const void *region)
{
    return ((const struct run *)region)->diverged;
}

bool
explore_run_truncated(const void *region)
{
    return ((const struct run *)region)->truncated;
}
