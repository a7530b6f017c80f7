/*
 * Unit tests for src/explore, with no Python and no scheduler: a fake
 * program (the unlocked counter, modelled as a little state machine)
 * meets its choices through the real chooser, explore_choose, and the
 * real search makes the next plans from its traces.  An independent
 * enumerator, which copies the fake's state at every choice, counts what
 * the search must find.  The pool is tested with fake workers.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explore/explore.h"
#include "explore/internal.h"
#include "harness/tap.h"

/* ---- The fake program ----------------------------------------------------
 * n threads each run k times "tmp = counter; counter = tmp + 1", each
 * half a visible instruction.  Before a visible instruction, while others
 * are ready, the running thread meets a POINT choice; when a thread ends
 * with two or more ready, a NEXT choice.  A thread switched away from at a
 * point runs that instruction first when it comes back, with no new
 * point, as the engine's threads do. */

#define FAKE_MAX 4

struct fake {
    int n, k;
    int counter;
    int pc[FAKE_MAX], tmp[FAKE_MAX];
    bool held[FAKE_MAX];        /* stopped at a point, its op not done */
    int ready[FAKE_MAX], nready;
    int cur, last;
    uint64_t step;
    /* the choice being asked */
    struct sched_choice c;
    int cand[FAKE_MAX + 1];
};

static void
fake_init(struct fake *f, int n, int k)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    f->k = k;
    for (int i = 0; i < n; i++) {
        f->ready[f->nready++] = i;
    }
    f->cur = -1;
    f->last = -1;
}

static void
fake_op(struct fake *f, int t)
{
    if (f->pc[t] % 2 == 0) {
        f->tmp[t] = f->counter;
    } else {
        f->counter = f->tmp[t] + 1;
    }
    f->pc[t]++;
}

static void
fake_take(struct fake *f, int t)
{
    for (int i = 0; i < f->nready; i++) {
        if (f->ready[i] == t) {
            memmove(&f->ready[i], &f->ready[i + 1],
                    (size_t)(f->nready - i - 1) * sizeof *f->ready);
            f->nready--;
            break;
        }
    }
    f->cur = t;
    if (f->held[t]) {
        f->held[t] = false;
        fake_op(f, t);
    }
}

/* Run to the next choice: true with f->c set, false at the end. */
static bool
fake_next(struct fake *f)
{
    for (;;) {
        if (f->cur < 0) {
            if (f->nready == 0) {
                return false;
            }
            f->step++;
            if (f->nready == 1) {
                fake_take(f, f->ready[0]);
                continue;
            }
            memcpy(f->cand, f->ready, (size_t)f->nready * sizeof *f->cand);
            f->c.kind = SCHED_CHOICE_NEXT;
            f->c.reason = EV_WHY_EXIT;
            f->c.current = f->last;
            f->c.n = (size_t)f->nready;
            break;
        }
        if (f->pc[f->cur] == 2 * f->k) {
            f->last = f->cur;
            f->cur = -1;
            continue;
        }
        f->step++;
        if (f->nready == 0) {
            fake_op(f, f->cur);
            continue;
        }
        memcpy(f->cand, f->ready, (size_t)f->nready * sizeof *f->cand);
        f->cand[f->nready] = f->cur;
        f->c.kind = SCHED_CHOICE_POINT;
        f->c.reason = EV_WHY_PREEMPT;
        f->c.current = f->cur;
        f->c.n = (size_t)f->nready + 1;
        break;
    }
    f->c.step = f->step;
    f->c.cand = f->cand;
    return true;
}

/* Take candidate idx of the choice asked.  Returns whether it preempted. */
static bool
fake_apply(struct fake *f, size_t idx)
{
    int t = f->cand[idx];

    if (f->c.kind == SCHED_CHOICE_NEXT) {
        fake_take(f, t);
        return false;
    }
    if (t == f->cur) {
        fake_op(f, t);
        return false;
    }
    f->held[f->cur] = true;
    f->ready[f->nready++] = f->cur;
    fake_take(f, t);
    return true;
}

/* ---- Running the search on it ------------------------------------------- */

#define REGION_SIZE (1 << 20)

/* One run of the fake under a plan, as a worker would: its result, with
 * its stdout and schedule string in out/sched (caller's buffers). */
static void
fake_run(void *region, int n, int k, const struct str *plan,
         struct explore_result *r, char *out, size_t outsize,
         struct str *sched)
{
    struct fake f;
    size_t len;

    explore_run_init(region, REGION_SIZE, plan->p, plan->len);
    fake_init(&f, n, k);
    sched->len = 0;
    sched->p[0] = '\0';
    str_adds(sched, "F:");
    while (fake_next(&f)) {
        size_t idx = explore_choose(region, &f.c);
        int t = f.cand[idx];

        if (fake_apply(&f, idx) || f.c.kind == SCHED_CHOICE_NEXT) {
            str_addf(sched, "%llu-%d,", (unsigned long long)f.c.step, t);
        }
    }
    snprintf(out, outsize, "%d\n", f.counter);
    memset(r, 0, sizeof *r);
    r->out = out;
    r->out_len = strlen(out);
    r->schedule = sched->p;
    r->steps = f.step;
    r->nchoices = explore_run_nchoices(region);
    r->diverged = explore_run_diverged(region);
    r->truncated = explore_run_truncated(region);
    r->trace = explore_run_trace(region, &len);
    r->trace_len = len;
}

/* A finished search, flattened for comparison. */
struct answer {
    uint64_t executions;
    bool exhausted;
    size_t n;
    char out[16][16];
    uint64_t count[16];
    uint64_t first[16];
    char sched[16][256];
};

static void
answer_of(const struct explore *ex, struct answer *a)
{
    memset(a, 0, sizeof *a);
    a->executions = explore_executions(ex);
    a->exhausted = explore_exhausted(ex);
    a->n = explore_noutcomes(ex);
    ASSERT(a->n <= 16);
    for (size_t i = 0; i < a->n; i++) {
        const struct explore_outcome *o = explore_outcome(ex, i);

        snprintf(a->out[i], sizeof a->out[i], "%s", o->out);
        a->count[i] = o->count;
        a->first[i] = o->first;
        snprintf(a->sched[i], sizeof a->sched[i], "%s", o->schedule);
    }
}

static void
answer_eq(const struct answer *a, const struct answer *b)
{
    ASSERT_EQ(a->executions, b->executions);
    ASSERT_EQ(a->exhausted, b->exhausted);
    ASSERT_EQ(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        ASSERT_STR(a->out[i], b->out[i]);
        ASSERT_EQ(a->count[i], b->count[i]);
        ASSERT_EQ(a->first[i], b->first[i]);
        ASSERT_STR(a->sched[i], b->sched[i]);
    }
}

/* Run a whole search with `width` runs in flight, finishing them in an
 * order scrambled by seed (0: first in, first out). */
static void
search(const struct explore_config *cfg, int n, int k, int width,
       uint64_t seed, struct answer *a)
{
    struct diag d;
    struct explore *ex = explore_new(cfg, &d);
    void *region = xcalloc(1, REGION_SIZE);
    struct str plan, sched;
    struct str plans[8];
    uint64_t ids[8];
    int inflight = 0;
    uint64_t rng = seed;

    ASSERT(ex != NULL);
    ASSERT(width >= 1 && width <= 8);
    str_init(&plan);
    str_init(&sched);
    for (int i = 0; i < 8; i++) {
        str_init(&plans[i]);
    }
    for (;;) {
        int rc = 1, pick;
        struct explore_result r;
        char out[32];

        while (inflight < width) {
            plans[inflight].len = 0;
            rc = explore_next(ex, &ids[inflight], &plans[inflight]);
            if (rc != 1) {
                break;
            }
            inflight++;
        }
        if (inflight == 0 || (rc == -1 && explore_running(ex) == 0)) {
            break;
        }
        if (rc == -1) {
            break;              /* capped */
        }
        pick = seed != 0 ? (int)rng_below(&rng, (uint64_t)inflight) : 0;
        fake_run(region, n, k, &plans[pick], &r, out, sizeof out, &sched);
        ASSERT(!r.diverged);
        ASSERT_EQ(explore_done(ex, ids[pick], &r, &d), 0);
        /* Close the gap, keeping the order of the rest. */
        str_fini(&plans[pick]);
        for (int i = pick; i + 1 < inflight; i++) {
            plans[i] = plans[i + 1];
            ids[i] = ids[i + 1];
        }
        inflight--;
        str_init(&plans[inflight]);
    }
    answer_of(ex, a);
    for (int i = 0; i < 8; i++) {
        str_fini(&plans[i]);
    }
    str_fini(&plan);
    str_fini(&sched);
    free(region);
    explore_free(ex);
}

/* ---- The independent enumerator ----------------------------------------- */

struct tally {
    uint64_t runs;
    uint64_t by_counter[16];
};

static void
enumerate(struct fake f, int cost, int bound, struct tally *t)
{
    if (!fake_next(&f)) {
        t->runs++;
        t->by_counter[f.counter]++;
        return;
    }
    for (size_t i = 0; i < f.c.n; i++) {
        struct fake g = f;
        int c = cost;

        /* f.c.cand points into f: aim it at g's copy. */
        g.c.cand = g.cand;
        if (g.c.kind == SCHED_CHOICE_POINT && g.cand[i] != g.cur) {
            c++;
        }
        if (c > bound) {
            continue;
        }
        fake_apply(&g, i);
        enumerate(g, c, bound, t);
    }
}

static void
systematic(struct explore_config *cfg, int bound)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->strategy = EXPLORE_SYSTEMATIC;
    cfg->preemptions = bound;
}

static uint64_t
count_of(const struct answer *a, const char *out)
{
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(a->out[i], out) == 0) {
            return a->count[i];
        }
    }
    return 0;
}

TEST(explore_counter_exhaustive)
{
    for (int bound = 0; bound <= 3; bound++) {
        struct explore_config cfg;
        struct answer a;
        struct tally t;
        struct fake f;

        systematic(&cfg, bound);
        search(&cfg, 2, 2, 1, 0, &a);
        memset(&t, 0, sizeof t);
        fake_init(&f, 2, 2);
        enumerate(f, 0, bound, &t);
        /* Every schedule within the bound, each once, nothing else. */
        ASSERT(a.exhausted);
        ASSERT_EQ(a.executions, t.runs);
        for (int v = 0; v <= 4; v++) {
            char out[8];

            snprintf(out, sizeof out, "%d\n", v);
            ASSERT_EQ(count_of(&a, out), t.by_counter[v]);
        }
        /* The first run takes fifo's choices: no lost update. */
        ASSERT_STR(a.out[0], "4\n");
        ASSERT_EQ(a.first[0], 0);
        if (bound == 0) {
            ASSERT_EQ(a.n, 1);
        }
        if (bound >= 2) {
            /* {2, 3, 4}, as the real counter. */
            ASSERT_EQ(a.n, 3);
        }
    }
}

TEST(explore_three_threads)
{
    struct explore_config cfg;
    struct answer a;
    struct tally t;
    struct fake f;

    systematic(&cfg, 2);
    search(&cfg, 3, 1, 1, 0, &a);
    memset(&t, 0, sizeof t);
    fake_init(&f, 3, 1);
    enumerate(f, 0, 2, &t);
    ASSERT(a.exhausted);
    ASSERT_EQ(a.executions, t.runs);
    ASSERT_EQ(count_of(&a, "1\n"), t.by_counter[1]);
}

/* The answer does not depend on how many runs are in flight, nor on the
 * order they finish in: with and without the cap. */
TEST(explore_order_independent)
{
    uint64_t caps[] = { 0, 1, 7, 40 };

    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        struct explore_config cfg;
        struct answer ref, a;

        systematic(&cfg, 2);
        cfg.max_executions = caps[c];
        search(&cfg, 2, 2, 1, 0, &ref);
        for (int width = 1; width <= 4; width++) {
            for (uint64_t seed = 1; seed <= 5; seed++) {
                search(&cfg, 2, 2, width, seed, &a);
                answer_eq(&ref, &a);
            }
        }
        if (caps[c] != 0) {
            ASSERT_EQ(ref.executions, caps[c]);
            ASSERT(!ref.exhausted);
        }
    }
}

TEST(explore_cap_counts_first_runs)
{
    struct explore_config cfg;
    struct answer all, cut;
    uint64_t sum = 0;

    systematic(&cfg, 2);
    search(&cfg, 2, 2, 1, 0, &all);
    cfg.max_executions = all.executions - 1;
    search(&cfg, 2, 2, 3, 9, &cut);
    ASSERT_EQ(cut.executions, all.executions - 1);
    ASSERT(!cut.exhausted);
    for (size_t i = 0; i < cut.n; i++) {
        sum += cut.count[i];
    }
    ASSERT_EQ(sum, cut.executions);
    /* A cap at the size of the space exhausts it. */
    cfg.max_executions = all.executions;
    search(&cfg, 2, 2, 2, 3, &cut);
    ASSERT(cut.exhausted);
}

TEST(explore_random_and_pct)
{
    struct explore_config cfg;
    struct answer a, b;

    memset(&cfg, 0, sizeof cfg);
    cfg.strategy = EXPLORE_RANDOM;
    cfg.runs = 200;
    cfg.seed = 7;
    search(&cfg, 2, 2, 1, 0, &a);
    search(&cfg, 2, 2, 3, 4, &b);
    answer_eq(&a, &b);
    ASSERT_EQ(a.executions, 200);
    ASSERT(!a.exhausted);
    /* Random choices at every point lose updates. */
    ASSERT(count_of(&a, "4\n") < 200);
    for (size_t i = 0; i < a.n; i++) {
        ASSERT(strcmp(a.out[i], "2\n") == 0 || strcmp(a.out[i], "3\n") == 0
               || strcmp(a.out[i], "4\n") == 0);
    }
    cfg.seed = 8;
    search(&cfg, 2, 2, 1, 0, &b);
    ASSERT(strcmp(a.sched[a.n - 1], b.sched[b.n - 1]) != 0
           || a.count[0] != b.count[0]);

    cfg.strategy = EXPLORE_PCT;
    cfg.depth = 2;
    cfg.runs = 300;
    search(&cfg, 2, 2, 1, 0, &a);
    search(&cfg, 2, 2, 2, 5, &b);
    answer_eq(&a, &b);
    ASSERT_EQ(a.executions, 300);
    /* The first run is fifo's; depth 2 finds a lost update. */
    ASSERT_STR(a.out[0], "4\n");
    ASSERT(a.n >= 2);
}

TEST(explore_bad_config)
{
    struct explore_config cfg;
    struct diag d;

    memset(&cfg, 0, sizeof cfg);
    cfg.strategy = EXPLORE_PCT;
    cfg.depth = 0;
    ASSERT(explore_new(&cfg, &d) == NULL);
    ASSERT(strstr(d.msg, "depth") != NULL);
    cfg.depth = EXPLORE_MAX_DEPTH + 1;
    ASSERT(explore_new(&cfg, &d) == NULL);
}

/* A run that cannot follow its prefix says so, and the search counts it
 * without making children of it. */
TEST(explore_chooser_diverged)
{
    static unsigned char region[4096];
    struct str plan;
    int cand[2] = { 5, 6 };
    struct sched_choice c = {
        .kind = SCHED_CHOICE_NEXT, .reason = EV_WHY_BLOCK, .step = 3,
        .current = 5, .cand = cand, .n = 2,
    };
    struct explore__plan h = {
        .mode = EXPLORE__DEFAULT, .nprefix = 1, .record = 1,
    };
    int32_t prefix = 9;

    str_init(&plan);
    explore__plan_head(&plan, &h);
    str_add(&plan, &prefix, sizeof prefix);
    explore_run_init(region, sizeof region, plan.p, plan.len);
    /* Actor 9 is not a candidate: the default (the oldest other). */
    ASSERT_EQ(explore_choose(region, &c), 1);
    ASSERT(explore_run_diverged(region));
    ASSERT_EQ(explore_run_nchoices(region), 1);
    str_fini(&plan);
}

/* ---- The pool --------------------------------------------------------------- */

static int
pool_setup_ok(void *arg)
{
    (void)arg;
    return 0;
}

static int
pool_setup_fails(void *arg)
{
    (void)arg;
    return 7;
}

static void
pool_work(void *arg, int worker, const void *job, size_t len,
          struct str *out)
{
    (void)arg;
    (void)worker;
    /* The job back, twice: results longer than jobs. */
    str_add(out, job, len);
    str_add(out, job, len);
}

TEST(explore_pool_roundtrip)
{
    struct explore_pool_ops ops = {
        .setup = pool_setup_ok, .start = NULL, .work = pool_work,
    };
    struct diag d;
    struct explore_pool *p = explore_pool_new(2, &ops, NULL, &d);
    struct str out;
    char big[100000];
    int seen = 0;

    ASSERT(p != NULL);
    str_init(&out);
    memset(big, 'x', sizeof big);
    for (int round = 0; round < 20; round++) {
        int w;
        uint64_t tag;

        while ((w = explore_pool_idle(p)) >= 0) {
            size_t len = (size_t)(round * 997 + w) % sizeof big;

            ASSERT_EQ(explore_pool_submit(p, w, (uint64_t)len, big, len, &d),
                      0);
        }
        ASSERT_EQ(explore_pool_wait(p, &w, &tag, &out, &d), 0);
        ASSERT_EQ(out.len, 2 * tag);
        seen++;
    }
    ASSERT_EQ(seen, 20);
    ASSERT_EQ(explore_pool_free(p), 0);
    str_fini(&out);
}

TEST(explore_pool_setup_fails)
{
    struct explore_pool_ops ops = {
        .setup = pool_setup_fails, .start = NULL, .work = pool_work,
    };
    struct diag d;
    struct explore_pool *p = explore_pool_new(2, &ops, NULL, &d);
    struct str out;
    int w;
    uint64_t tag;

    ASSERT(p != NULL);
    str_init(&out);
    /* The workers never start: a job cannot be answered. */
    if (explore_pool_submit(p, 0, 1, "a", 1, &d) == 0) {
        ASSERT_EQ(explore_pool_wait(p, &w, &tag, &out, &d), -1);
    }
    ASSERT_EQ(explore_pool_free(p), 7);
    str_fini(&out);
}
