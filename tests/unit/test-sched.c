/*
 * Unit tests for src/sched: the scheduler driven by hand, with no Python
 * and no threads.  Each test plays the engine: it creates actors, blocks,
 * wakes and finishes them, calls sched_point in loops, and checks what the
 * scheduler decided.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/tap.h"
#include "log/evlog.h"
#include "sched/sched.h"
#include "tui/model.h"

#define MS 1000000LL            /* virtual ns */
#define OPCODE SCHED_POINT_OPCODE
#define LINE SCHED_POINT_LINE
#define BREAKER SCHED_POINT_BREAKER

static struct sched *
new_sched_cfg(const struct sched_config *cfg, struct evlog *log)
{
    struct diag d;
    struct sched *s = sched_new(cfg, log, &d);

    if (s == NULL) {
        TAP_FAIL_("sched_new: %s", d.msg);
    }
    return s;
}

static struct sched *
new_sched(const char *policy, uint64_t seed)
{
    struct sched_config cfg;

    sched_config_init(&cfg);
    cfg.policy = policy;
    cfg.seed = seed;
    return new_sched_cfg(&cfg, NULL);
}

/* The gil policy without wake-up latency: hand-offs at exact intervals. */
static struct sched *
new_gil_exact(void)
{
    struct sched_config cfg;

    sched_config_init(&cfg);
    cfg.policy = "gil";
    cfg.seed = 1;
    cfg.switch_jitter = 0;
    return new_sched_cfg(&cfg, NULL);
}

static int
thread(struct sched *s, const char *name)
{
    int id = sched_actor_new(s, EV_ACTOR_THREAD, SCHED_NONE, 0, name, true);

    ASSERT(id >= 0);
    return id;
}

/* One point of the running actor; the decision if it gave the baton away,
 * else SCHED_NONE. */
static int
point(struct sched *s, uint64_t ninstr, unsigned flags)
{
    if (sched_point(s, ninstr) && sched_point_slow(s, flags)) {
        return sched_next(s, EV_WHY_PREEMPT);
    }
    return SCHED_NONE;
}

/* ---- Basic decisions ---------------------------------------------------- */

TEST(sched_fifo_order)
{
    struct sched *s = new_sched("fifo", 1);
    int a = thread(s, "A"), b = thread(s, "B"), c = thread(s, "C");
    int d = thread(s, "D");
    int lock = sched_obj_new(s, EV_OBJ_LOCK, "L", 0);

    ASSERT_EQ(sched_current(s), a);
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_RUNNING);
    ASSERT_EQ(sched_actor(s, b)->state, EV_ST_READY);
    ASSERT(sched_actor(s, b)->seq < sched_actor(s, c)->seq);
    ASSERT_EQ(sched_nalive(s), 4);

    /* Equal in every way but insertion: the oldest goes first. */
    sched_block(s, lock, SCHED_NEVER);
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_BLOCKED);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), b);
    ASSERT_EQ(sched_step(s), 1);
    sched_block(s, lock, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), c);

    /* Waiters wake oldest first and queue behind D. */
    ASSERT_EQ(sched_wake(s, lock, 1), 1);
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_READY);
    ASSERT_EQ(sched_actor(s, b)->state, EV_ST_BLOCKED);
    ASSERT_EQ(sched_wake(s, lock, -1), 1);
    ASSERT_EQ(sched_wake(s, lock, -1), 0);
    sched_finish(s, false);
    ASSERT_EQ(sched_nalive(s), 3);
    ASSERT_EQ(sched_actor(s, c)->state, EV_ST_DONE);
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), d);
    sched_finish(s, true);
    ASSERT_EQ(sched_actor(s, d)->state, EV_ST_FAILED);
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), a);
    ASSERT_EQ(sched_actor(s, a)->timed_out, false);

    /* A yield gives way to the oldest other, or keeps running alone. */
    sched_relinquish(s);
    ASSERT_EQ(sched_next(s, EV_WHY_YIELD), b);
    sched_finish(s, false);
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), a);
    sched_relinquish(s);
    ASSERT_EQ(sched_next(s, EV_WHY_YIELD), a);

    /* fifo never preempts, whatever the points. */
    ASSERT_EQ(thread(s, "E"), 4);
    for (int i = 0; i < 10000; i++) {
        ASSERT_EQ(point(s, 1000, OPCODE | BREAKER), SCHED_NONE);
    }
    ASSERT_EQ(sched_current(s), a);
    sched_free(s);
}

TEST(sched_sleep_clock)
{
    struct sched *s = new_sched("fifo", 1);
    int a = thread(s, "A"), b = thread(s, "B"), c = thread(s, "C");

    sched_block(s, SCHED_NONE, 300);
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_SLEEPING);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), b);
    sched_block(s, SCHED_NONE, 100);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), c);
    sched_block(s, SCHED_NONE, 100);
    ASSERT_EQ(sched_now(s), 0);

    /* Nothing ready: the clock jumps to the earliest deadline, and of the
     * two sleepers due at 100 the one that slept first runs first. */
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), b);
    ASSERT_EQ(sched_now(s), 100);
    ASSERT_EQ(sched_actor(s, b)->timed_out, true);
    ASSERT_EQ(sched_actor(s, b)->ready_since, 100);
    ASSERT_EQ(sched_actor(s, c)->state, EV_ST_READY);
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_SLEEPING);
    sched_finish(s, false);
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), c);
    ASSERT_EQ(sched_now(s), 100);

    /* A deadline that passes while C runs wakes A at the next point, as of
     * its deadline; the hot path notices by itself. */
    for (int i = 0; i < 19; i++) {
        ASSERT_EQ(sched_point(s, 1), false);     /* 10 ns each */
    }
    ASSERT_EQ(sched_now(s), 290);
    ASSERT_EQ(sched_point(s, 3), true);
    ASSERT_EQ(sched_point_slow(s, OPCODE), false);
    ASSERT_EQ(sched_now(s), 320);
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_READY);
    ASSERT_EQ(sched_actor(s, a)->timed_out, true);
    ASSERT_EQ(sched_actor(s, a)->ready_since, 300);
    sched_finish(s, false);
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), a);
    sched_free(s);
}

TEST(sched_timed_out_flag)
{
    struct sched *s = new_sched("fifo", 1);
    int a = thread(s, "A"), b = thread(s, "B"), c = thread(s, "C");
    int ev = sched_obj_new(s, EV_OBJ_EVENT, "ev", 0);

    sched_block(s, ev, 1000);                   /* A: event.wait(1us) */
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_BLOCKED);
    ASSERT_EQ(sched_actor(s, a)->obj, ev);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), b);
    sched_block(s, ev, 5000);                   /* B: event.wait(5us) */
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), c);
    sched_charge(s, 2000);                      /* C: telar.cpu() */
    ASSERT_EQ(sched_now(s), 2000);
    ASSERT_EQ(sched_wake(s, ev, -1), 1);        /* event.set(): only B */
    ASSERT_EQ(sched_actor(s, b)->timed_out, false);
    ASSERT_EQ(sched_actor(s, b)->obj, SCHED_NONE);
    sched_finish(s, false);
    /* A's deadline passed first, so it became ready first. */
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), a);
    ASSERT_EQ(sched_actor(s, a)->timed_out, true);
    ASSERT_EQ(sched_actor(s, a)->ready_since, 1000);
    ASSERT_EQ(sched_actor(s, b)->ready_since, 2000);
    sched_free(s);
}

TEST(sched_deadlock_cycle)
{
    struct sched *s = new_sched("fifo", 1);
    int a = thread(s, "A"), b = thread(s, "B");
    int l1 = sched_obj_new(s, EV_OBJ_LOCK, "L1", 0);
    int l2 = sched_obj_new(s, EV_OBJ_LOCK, "L2", 0);
    int cyc[8];

    sched_obj_set_holder(s, l1, a);
    sched_block(s, l2, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), b);
    sched_obj_set_holder(s, l2, b);
    ASSERT_EQ(sched_deadlock_cycle(s, cyc, 8), 0);  /* B still runs */
    sched_block(s, l1, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), SCHED_DEADLOCK);
    ASSERT_EQ(sched_deadlock_cycle(s, cyc, 8), 2);
    ASSERT_EQ(cyc[0], a);
    ASSERT_EQ(cyc[1], b);
    ASSERT_EQ(sched_deadlock_cycle(s, cyc, 1), 1);
    ASSERT_EQ(cyc[0], a);
    sched_free(s);

    /* The lowest actor waits into a cycle it is not part of: the cycle
     * alone is reported, starting from its lowest id. */
    s = new_sched("fifo", 1);
    int x = thread(s, "X"), y = thread(s, "Y"), z = thread(s, "Z");
    int la = sched_obj_new(s, EV_OBJ_LOCK, "La", 0);
    int lb = sched_obj_new(s, EV_OBJ_RLOCK, "Lb", 0);
    int lc = sched_obj_new(s, EV_OBJ_LOCK, "Lc", 0);

    sched_obj_set_holder(s, la, z);
    sched_obj_set_holder(s, lb, y);
    sched_obj_set_holder(s, lc, z);
    sched_block(s, la, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), y);
    sched_block(s, lc, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), z);
    sched_block(s, lb, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), SCHED_DEADLOCK);
    ASSERT_EQ(sched_deadlock_cycle(s, cyc, 8), 2);
    ASSERT_EQ(cyc[0], y);
    ASSERT_EQ(cyc[1], z);
    (void)x;
    sched_free(s);

    /* Everybody waits on an event nobody holds: a deadlock, no cycle. */
    s = new_sched("fifo", 1);
    thread(s, "A");
    thread(s, "B");
    int e = sched_obj_new(s, EV_OBJ_EVENT, "done", 0);

    sched_block(s, e, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), 1);
    sched_block(s, e, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), SCHED_DEADLOCK);
    ASSERT_EQ(sched_deadlock_cycle(s, cyc, 8), 0);
    sched_free(s);
}

TEST(sched_unschedulable)
{
    struct sched *s = new_sched("preempt", 3);
    int a = thread(s, "loop");
    int t1 = sched_actor_new(s, EV_ACTOR_TASK, a, 0, "Task-1", false);
    int t2 = sched_actor_new(s, EV_ACTOR_TASK, a, 0, "Task-2", false);
    int fut = sched_obj_new(s, EV_OBJ_FUTURE, "fut", 0);
    int sel = sched_obj_new(s, EV_OBJ_SELECTOR, "sel", 0);

    ASSERT_EQ(sched_nactors(s), 3);
    ASSERT_EQ(sched_nalive(s), 1);
    ASSERT_EQ(sched_actor(s, t1)->schedulable, false);
    ASSERT_EQ(sched_actor(s, t1)->state, EV_ST_READY);
    sched_actor_state(s, t1, EV_ST_RUNNING, SCHED_NONE);
    sched_actor_state(s, t1, EV_ST_WAITING, fut);
    ASSERT_EQ(sched_actor(s, t1)->state, EV_ST_WAITING);
    ASSERT_EQ(sched_actor(s, t1)->obj, fut);
    /* A wake on the future is the engine's business for tasks. */
    ASSERT_EQ(sched_wake(s, fut, -1), 0);
    /* The random policy has no other thread to pick, however hard it
     * tries: ready tasks are not candidates. */
    for (int i = 0; i < 5000; i++) {
        ASSERT_EQ(point(s, 1, OPCODE | BREAKER), SCHED_NONE);
    }
    sched_relinquish(s);
    ASSERT_EQ(sched_next(s, EV_WHY_YIELD), a);
    sched_block(s, sel, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), SCHED_DEADLOCK);
    ASSERT_EQ(sched_actor(s, t2)->state, EV_ST_READY);
    sched_free(s);
}

/* ---- Policies ----------------------------------------------------------- */

TEST(sched_gil_no_waiter)
{
    struct sched *s = new_sched("gil", 1);
    int a = thread(s, "A");

    /* Alone, a thread is never asked to drop the GIL, and the hot path
     * never even takes the slow branch. */
    for (int i = 0; i < 100000; i++) {
        ASSERT_EQ(sched_point(s, 100), false);
    }
    ASSERT(sched_now(s) >= 100 * MS);
    ASSERT_EQ(sched_point_slow(s, BREAKER), false);
    ASSERT_EQ(sched_current(s), a);
    sched_free(s);
}

TEST(sched_gil_breaker)
{
    struct sched *s = new_gil_exact();
    int a = thread(s, "A"), b = thread(s, "B");
    int hot = 0;

    /* B waits from t=0; until 5 ms A keeps the GIL, at points of any
     * kind, and the slow path runs only when B arrives and when the
     * interval is up. */
    while (sched_now(s) < 5 * MS) {
        if (sched_point(s, 100)) {             /* 1 us a point */
            hot++;
            ASSERT_EQ(sched_point_slow(s, OPCODE | LINE), false);
        }
    }
    ASSERT_EQ(hot, 2);
    ASSERT_EQ(sched_now(s), 5 * MS);
    /* The drop request is set: every point looks, but only a breaker
     * point lets go. */
    for (int i = 0; i < 3; i++) {
        ASSERT_EQ(sched_point(s, 1), true);
        ASSERT_EQ(sched_point_slow(s, OPCODE | LINE), false);
    }
    ASSERT_EQ(sched_point(s, 1), true);
    ASSERT_EQ(sched_point_slow(s, OPCODE | BREAKER), true);
    ASSERT_EQ(sched_next(s, EV_WHY_PREEMPT), b);
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_READY);
    ASSERT_EQ(sched_actor(s, a)->ready_since, sched_now(s));
    sched_free(s);

    /* Three busy threads, breaker everywhere: every holder gets one full
     * interval, since take_gil's wait restarts when the GIL changes hands
     * (C has waited 5 ms when B gets the GIL, but B still runs 5 ms). */
    s = new_gil_exact();
    int ids[3] = { thread(s, "A"), thread(s, "B"), thread(s, "C") };
    int expect[4] = { ids[1], ids[2], ids[0], ids[1] };
    int n = 0;

    while (n < 4) {
        int r = point(s, 100, BREAKER);

        if (r != SCHED_NONE) {
            ASSERT_EQ(r, expect[n]);
            n++;
            ASSERT_EQ(sched_now(s), n * 5 * MS);
        }
    }
    /* sleep(0) hands the GIL to the oldest waiter. */
    sched_relinquish(s);
    ASSERT_EQ(sched_next(s, EV_WHY_YIELD), ids[2]);
    sched_free(s);
}

/* The times of the first n hand-offs between two busy threads whose every
 * point (1 us apart) checks the breaker. */
static void
gil_handoffs(uint64_t seed, int64_t *when, int n)
{
    struct sched *s = new_sched("gil", seed);
    int i = 0;

    thread(s, "A");
    thread(s, "B");
    while (i < n) {
        if (point(s, 100, BREAKER) != SCHED_NONE) {
            when[i++] = sched_now(s);
        }
    }
    sched_free(s);
}

TEST(sched_gil_latency)
{
    int64_t a[8], b[8], c[8];
    bool varies = false, differs = false;

    /* Each slice lasts the interval plus a wake-up latency drawn from the
     * seed: at most SCHED_SWITCH_JITTER_NS more, rounded up to the next
     * point.  It varies from slice to slice (so a loop does not lose the
     * GIL at the same instruction every time), the same seed repeats it,
     * and another seed does not. */
    gil_handoffs(7, a, 8);
    gil_handoffs(7, b, 8);
    gil_handoffs(8, c, 8);
    for (int i = 0; i < 8; i++) {
        int64_t len = a[i] - (i > 0 ? a[i - 1] : 0);

        ASSERT(len >= 5 * MS);
        ASSERT(len <= 5 * MS + SCHED_SWITCH_JITTER_NS + 1000);
        ASSERT_EQ(a[i], b[i]);
        if (i > 0 && len != a[0]) {
            varies = true;
        }
        if (a[i] != c[i]) {
            differs = true;
        }
    }
    ASSERT(varies);
    ASSERT(differs);
}

/* The decisions of a busy 3-thread run under "preempt": (step, actor). */
static size_t
preempt_run(uint64_t seed, double rate, uint64_t *steps, int *who,
            size_t npoints)
{
    struct sched_config cfg;
    struct sched *s;
    size_t n = 0;

    sched_config_init(&cfg);
    cfg.policy = "preempt";
    cfg.seed = seed;
    cfg.preempt_rate = rate;
    s = new_sched_cfg(&cfg, NULL);
    thread(s, "A");
    thread(s, "B");
    thread(s, "C");
    for (size_t i = 0; i < npoints; i++) {
        int prev = sched_current(s);
        int r = point(s, 1, OPCODE);

        if (r != SCHED_NONE) {
            ASSERT(r >= 0 && r != prev);
            steps[n] = sched_step(s);
            who[n++] = r;
        }
    }
    sched_free(s);
    return n;
}

TEST(sched_preempt_seeded)
{
    enum { NPOINTS = 20000, MAXD = 20000 };
    uint64_t *s1 = calloc(MAXD, sizeof *s1), *s2 = calloc(MAXD, sizeof *s2);
    int *w1 = calloc(MAXD, sizeof *w1), *w2 = calloc(MAXD, sizeof *w2);
    size_t n1, n2, per[3] = { 0 };

    n1 = preempt_run(42, 0.05, s1, w1, NPOINTS);
    n2 = preempt_run(42, 0.05, s2, w2, NPOINTS);
    ASSERT_EQ(n1, n2);
    ASSERT(memcmp(s1, s2, n1 * sizeof *s1) == 0);
    ASSERT(memcmp(w1, w2, n1 * sizeof *w1) == 0);
    /* 5% of 20000 points: 1000 expected, sd about 31. */
    ASSERT(n1 > 850 && n1 < 1150);
    for (size_t i = 0; i < n1; i++) {
        per[w1[i]]++;
    }
    for (int i = 0; i < 3; i++) {
        ASSERT(per[i] > n1 / 4);
    }

    n2 = preempt_run(43, 0.05, s2, w2, NPOINTS);
    ASSERT(n2 > 850 && n2 < 1150);
    ASSERT(n1 != n2 || memcmp(s1, s2, n1 * sizeof *s1) != 0
           || memcmp(w1, w2, n1 * sizeof *w1) != 0);

    ASSERT_EQ(preempt_run(42, 0.0, s2, w2, NPOINTS), 0);
    ASSERT_EQ(preempt_run(42, 1.0, s2, w2, 100), 100);
    n2 = preempt_run(42, 0.5, s2, w2, 4000);
    ASSERT(n2 > 1800 && n2 < 2200);
    free(s1);
    free(s2);
    free(w1);
    free(w2);
}

TEST(sched_rr_exact)
{
    struct sched *s = new_sched("rr:3", 1);
    int a = thread(s, "A"), b = thread(s, "B"), c = thread(s, "C");
    int d;
    char got[32];

    for (int i = 0; i < 15; i++) {
        got[i] = (char)('0' + sched_current(s));
        point(s, 1, OPCODE | LINE);
    }
    got[15] = '\0';
    ASSERT_STR(got, "000111222000111");
    sched_free(s);

    /* The slice ends at a point without an instruction: the switch waits
     * for the next point that has one. */
    s = new_sched("rr:2", 1);
    a = thread(s, "A");
    b = thread(s, "B");
    ASSERT_EQ(point(s, 1, OPCODE), SCHED_NONE);
    ASSERT_EQ(point(s, 1, LINE), SCHED_NONE);
    ASSERT_EQ(point(s, 1, LINE), SCHED_NONE);
    ASSERT_EQ(point(s, 1, OPCODE), b);
    sched_free(s);

    /* After a block: the next id after the one that ran, wrapping. */
    s = new_sched("rr:1000", 1);
    a = thread(s, "A");
    b = thread(s, "B");
    c = thread(s, "C");
    d = thread(s, "D");
    int lock = sched_obj_new(s, EV_OBJ_LOCK, "L", 0);

    sched_block(s, lock, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), b);
    sched_block(s, lock, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), c);
    ASSERT_EQ(sched_wake(s, lock, 1), 1);           /* A, behind D */
    sched_block(s, lock, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), d);      /* not A, the oldest */
    ASSERT_EQ(sched_wake(s, lock, -1), 2);          /* B, C */
    sched_relinquish(s);
    ASSERT_EQ(sched_next(s, EV_WHY_YIELD), a);      /* wraps past D */
    sched_free(s);
}

static void
expect_bad_config(const char *policy, const char *schedule, const char *msg)
{
    struct sched_config cfg;
    struct diag d;

    sched_config_init(&cfg);
    cfg.policy = policy;
    cfg.schedule = schedule;
    memset(&d, 0, sizeof d);
    ASSERT_PTR(sched_new(&cfg, NULL, &d), NULL);
    ASSERT_STR(d.msg, msg);
}

TEST(sched_bad_policy)
{
    struct sched_config cfg;
    struct diag d;
    struct sched *s;

    expect_bad_config("round-robin", NULL,
                      "unknown policy 'round-robin' (valid policies: gil, "
                      "fifo, preempt, rr:N)");
    expect_bad_config("", NULL,
                      "unknown policy '' (valid policies: gil, fifo, "
                      "preempt, rr:N)");
    expect_bad_config("rr", NULL,
                      "policy 'rr' needs a slice length: rr:N with N >= 1");
    expect_bad_config("rr:0", NULL,
                      "rr:N: N must be a whole number >= 1 (got '0')");
    expect_bad_config("rr:", NULL,
                      "rr:N: N must be a whole number >= 1 (got '')");
    expect_bad_config("rr:3x", NULL,
                      "rr:N: N must be a whole number >= 1 (got '3x')");
    expect_bad_config("rr:-1", NULL,
                      "rr:N: N must be a whole number >= 1 (got '-1')");
    expect_bad_config("rr:99999999999999999999999", NULL,
                      "rr:N: N must be a whole number >= 1 (got "
                      "'99999999999999999999999')");
    expect_bad_config("gil:2", NULL,
                      "policy 'gil' takes no argument (got 'gil:2')");
    expect_bad_config("fifo:", NULL,
                      "policy 'fifo' takes no argument (got 'fifo:')");
    expect_bad_config("preempt:0.5", NULL,
                      "policy 'preempt' takes no argument (got "
                      "'preempt:0.5')");

    sched_config_init(&cfg);
    cfg.preempt_rate = 1.5;
    ASSERT_PTR(sched_new(&cfg, NULL, &d), NULL);
    ASSERT_STR(d.msg, "preempt rate must be between 0 and 1 (got 1.5)");
    sched_config_init(&cfg);
    cfg.switch_interval = 0;
    ASSERT_PTR(sched_new(&cfg, NULL, &d), NULL);
    ASSERT_STR(d.msg, "switch interval must be positive (got 0 ns)");

    sched_config_init(&cfg);
    cfg.policy = NULL;                          /* the default */
    s = new_sched_cfg(&cfg, NULL);
    ASSERT_STR(sched_policy(s), "gil");
    sched_free(s);
    s = new_sched("rr:1", 9);
    ASSERT_STR(sched_policy(s), "rr:1");
    ASSERT_EQ(sched_seed(s), 9);
    ASSERT_STR(sched_schedule(s), "T1:rr:1:9:");
    sched_free(s);
}

/* ---- Record and replay -------------------------------------------------- */

/*
 * A toy program whose every move depends only on the scheduler's
 * decisions: each of 4 threads runs `work` points; every 7th it waits on a
 * shared condition with a timeout, every 5th it notifies one waiter, every
 * 11th it sleeps (0 = sleep(0)), every 4th it also does CPU work outside
 * bytecode (sched_charge, then a point of no instructions, as telar.cpu
 * does), and it ends after `work` points.  The trace is every sched_next result
 * with its step.
 */
struct toy_trace {
    size_t n;
    uint64_t step[4096];
    int64_t now[4096];
    int who[4096];
    char schedule[16384];
};

/* A chooser for toy runs: seeded choices, and checks of what it is
 * asked. */
struct toy_chooser {
    uint64_t rng;
    bool visible;               /* the point being made is visible */
    int points, nexts, preemptions;
};

static size_t
toy_choose(void *ctx, const struct sched_choice *c)
{
    struct toy_chooser *tc = ctx;
    size_t i;

    ASSERT(c->n >= 2);
    if (c->kind == SCHED_CHOICE_POINT) {
        /* Only at visible points, the running actor last. */
        ASSERT(tc->visible);
        ASSERT_EQ(c->cand[c->n - 1], c->current);
        tc->points++;
    } else {
        tc->nexts++;
    }
    /* Preempt at one visible point in four or so. */
    i = c->kind == SCHED_CHOICE_POINT && rng_below(&tc->rng, 4) != 0
        ? c->n - 1 : (size_t)rng_below(&tc->rng, c->n);
    tc->preemptions += c->kind == SCHED_CHOICE_POINT
                       && c->cand[i] != c->current;
    return i;
}

/* The gate of a toy run: every call noted, the next gate `every` on. */
struct toy_gate {
    uint64_t every;
    size_t n;
    uint64_t at[4096];
};

static uint64_t
toy_gate_fn(void *ctx, uint64_t step)
{
    struct toy_gate *g = ctx;

    ASSERT(g->n < 4096);
    g->at[g->n++] = step;
    return step + g->every;
}

/* toy_run with a gate (g NULL: none), a log (NULL: none) and a chooser
 * (NULL: none). */
static void
toy_run_with(const struct sched_config *cfg, int work, struct toy_trace *t,
             struct toy_gate *g, struct evlog *log, struct toy_chooser *tc)
{
    struct sched *s = new_sched_cfg(cfg, log);
    int count[4] = { 0 }, obj, r = 0;
    int charged = 0;

    if (g != NULL) {
        sched_set_gate(s, g->every, toy_gate_fn, g);
    }
    if (tc != NULL) {
        sched_set_chooser(s, toy_choose, tc);
    }
    for (int i = 0; i < 4; i++) {
        thread(s, "T");
    }
    obj = sched_obj_new(s, EV_OBJ_CONDITION, "cond", 0);
    t->n = 0;
    while (r >= 0 || r == SCHED_NONE) {
        int me = sched_current(s);
        int k = ++count[me];

        r = SCHED_NONE;
        if (k >= work) {
            sched_wake(s, obj, -1);
            sched_finish(s, false);
            r = sched_next(s, EV_WHY_EXIT);
        } else if (k % 7 == 0) {
            sched_block(s, obj, sched_now(s) + 300);
            r = sched_next(s, EV_WHY_BLOCK);
        } else if (k % 11 == 0) {
            sched_relinquish(s);
            r = sched_next(s, EV_WHY_YIELD);
        } else {
            if (k % 5 == 0) {
                sched_wake(s, obj, 1);
            }
            if (tc != NULL) {
                tc->visible = k % 2 == 0;
            }
            r = point(s, 2, OPCODE | (k % 3 == 0 ? BREAKER : 0)
                               | (k % 2 == 0 ? SCHED_POINT_VISIBLE : 0));
            if (r == SCHED_NONE && k % 4 == 0) {
                sched_charge(s, 40);
                charged++;
                r = point(s, 0, OPCODE | BREAKER);
            }
        }
        if (r != SCHED_NONE) {
            ASSERT(t->n < 4096);
            t->step[t->n] = sched_step(s);
            t->now[t->n] = sched_now(s);
            t->who[t->n++] = r;
        }
    }
    ASSERT(charged > 20);
    ASSERT_EQ(r, SCHED_DEADLOCK);               /* everybody ended */
    ASSERT_EQ(sched_nalive(s), 0);
    snprintf(t->schedule, sizeof t->schedule, "%s", sched_schedule(s));
    sched_free(s);
}

static void
toy_run(const struct sched_config *cfg, int work, struct toy_trace *t)
{
    toy_run_with(cfg, work, t, NULL, NULL, NULL);
}

static void
toy_same(const struct toy_trace *x, const struct toy_trace *y)
{
    ASSERT_EQ(x->n, y->n);
    for (size_t i = 0; i < x->n; i++) {
        ASSERT_EQ(x->step[i], y->step[i]);
        ASSERT_EQ(x->now[i], y->now[i]);
        ASSERT_EQ(x->who[i], y->who[i]);
    }
    ASSERT_STR(x->schedule, y->schedule);
}

TEST(sched_replay_identical)
{
    static const char *const policies[] = { "preempt", "gil", "rr:3",
                                            "fifo" };
    struct toy_trace *orig = malloc(sizeof *orig);
    struct toy_trace *again = malloc(sizeof *again);
    struct sched_config cfg;
    char *cut;

    for (size_t p = 0; p < sizeof policies / sizeof *policies; p++) {
        sched_config_init(&cfg);
        cfg.policy = policies[p];
        cfg.seed = 7;
        cfg.preempt_rate = 0.2;
        cfg.switch_interval = 50;               /* gil: switch often */
        toy_run(&cfg, 60, orig);
        ASSERT(orig->n > 20);
        ASSERT_EQ(orig->who[orig->n - 1], SCHED_DEADLOCK);  /* all done */
        ASSERT(strncmp(orig->schedule, "T1:", 3) == 0);
        ASSERT(strchr(orig->schedule, '-') != NULL);

        /* Replaying the string, under another policy and seed in cfg,
         * takes the same decisions and records the same string. */
        cfg.schedule = orig->schedule;
        cfg.policy = "fifo";
        cfg.seed = 99;
        toy_run(&cfg, 60, again);
        toy_same(orig, again);

        /* With only the first half of the records, the policy takes over
         * after them, from the state the recorded run had: still the
         * same run. */
        cut = strrchr(orig->schedule, ',');
        for (int i = 0; i < 8 && cut != NULL; i++) {
            *cut = '\0';
            cut = strrchr(orig->schedule, ',');
        }
        toy_run(&cfg, 60, again);
        cfg.schedule = NULL;
        cfg.policy = policies[p];
        cfg.seed = 7;
        toy_run(&cfg, 60, orig);
        toy_same(orig, again);
    }
    free(orig);
    free(again);
}

/* A chooser takes every decision; the string it leaves replays the run
 * exactly under plain fifo, as telar run --schedule does. */
TEST(sched_chooser_replays)
{
    struct toy_trace *orig = malloc(sizeof *orig);
    struct toy_trace *again = malloc(sizeof *again);
    struct sched_config cfg;

    for (uint64_t seed = 1; seed <= 6; seed++) {
        struct toy_chooser tc = { .rng = seed };

        sched_config_init(&cfg);
        cfg.policy = "fifo";
        toy_run_with(&cfg, 60, orig, NULL, NULL, &tc);
        ASSERT(tc.points > 10);
        ASSERT(tc.nexts > 3);
        ASSERT(tc.preemptions > 3);
        cfg.schedule = orig->schedule;
        toy_run(&cfg, 60, again);
        toy_same(orig, again);
    }
    free(orig);
    free(again);
}

TEST(sched_replay_override)
{
    struct sched_config cfg;
    struct sched *s;

    /* fifo would run B after A blocks; the schedule says C (actor 2). */
    sched_config_init(&cfg);
    cfg.schedule = "T1:fifo:5:1-2";
    s = new_sched_cfg(&cfg, NULL);
    ASSERT_EQ(sched_seed(s), 5);
    ASSERT_STR(sched_policy(s), "fifo");
    thread(s, "A");
    thread(s, "B");
    thread(s, "C");
    sched_block(s, SCHED_NONE, 10);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), 2);
    sched_finish(s, false);
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), 1);      /* alone: no record */
    ASSERT_STR(sched_schedule(s), "T1:fifo:5:1-2");
    sched_charge(s, 15);                            /* A's sleep is over */
    ASSERT_EQ(thread(s, "D"), 3);
    sched_block(s, SCHED_NONE, 20);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), 3);      /* fifo again */
    ASSERT_STR(sched_schedule(s), "T1:fifo:5:1-2,2-3");
    sched_free(s);

    /* A preemption fifo never makes: at step 1000 ("rs"), to B. */
    cfg.schedule = "T1:fifo:42:rs-1";
    s = new_sched_cfg(&cfg, NULL);
    thread(s, "A");
    thread(s, "B");
    for (int i = 1; i < 1000; i++) {
        ASSERT_EQ(point(s, 1, OPCODE), SCHED_NONE);
    }
    ASSERT_EQ(sched_point(s, 1), true);
    ASSERT_EQ(sched_step(s), 1000);
    ASSERT_EQ(sched_point_slow(s, LINE), true);
    ASSERT_EQ(sched_next(s, EV_WHY_PREEMPT), 1);
    ASSERT_STR(sched_schedule(s), "T1:fifo:42:rs-1");
    for (int i = 0; i < 5000; i++) {
        ASSERT_EQ(point(s, 1, OPCODE), SCHED_NONE);
    }
    sched_free(s);

    /* The seed in the string drives the policy's PRNG, not cfg's. */
    cfg.schedule = "T1:preempt:1234:";
    cfg.seed = 1;
    s = new_sched_cfg(&cfg, NULL);
    ASSERT_EQ(sched_seed(s), 1234);
    ASSERT_STR(sched_schedule(s), "T1:preempt:1234:");
    sched_free(s);
    cfg.schedule = "T1:rr:4:0:";
    s = new_sched_cfg(&cfg, NULL);
    ASSERT_STR(sched_policy(s), "rr:4");
    ASSERT_STR(sched_schedule(s), "T1:rr:4:0:");
    sched_free(s);
}

/* A fifo run whose first decision (step 1) is among B and C. */
static int
diverge_run(const char *schedule)
{
    struct sched_config cfg;
    struct sched *s;
    int r;

    sched_config_init(&cfg);
    cfg.schedule = schedule;
    s = new_sched_cfg(&cfg, NULL);
    thread(s, "A");
    thread(s, "B");
    thread(s, "C");
    sched_block(s, SCHED_NONE, 10);
    r = sched_next(s, EV_WHY_BLOCK);
    if (r == SCHED_DIVERGED) {
        /* Final: the run is over. */
        ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), SCHED_DIVERGED);
        ASSERT_EQ(sched_point_slow(s, OPCODE), true);
    }
    sched_free(s);
    return r;
}

TEST(sched_replay_diverged)
{
    struct sched_config cfg;
    struct sched *s;

    ASSERT_EQ(diverge_run("T1:fifo:0:1-1"), 1);
    ASSERT_EQ(diverge_run("T1:fifo:0:1-2"), 2);
    /* A recorded actor that is not a candidate (A sleeps; 5 is unknown). */
    ASSERT_EQ(diverge_run("T1:fifo:0:1-0"), SCHED_DIVERGED);
    ASSERT_EQ(diverge_run("T1:fifo:0:1-5"), SCHED_DIVERGED);
    /* Two candidates at step 1 and no record there. */
    ASSERT_EQ(diverge_run("T1:fifo:0:2-1"), SCHED_DIVERGED);
    /* No records at all: plain fifo. */
    ASSERT_EQ(diverge_run("T1:fifo:0:"), 1);

    /* A preemption to an actor that is not ready. */
    sched_config_init(&cfg);
    cfg.schedule = "T1:fifo:0:3-1";
    s = new_sched_cfg(&cfg, NULL);
    thread(s, "A");
    ASSERT_EQ(point(s, 1, OPCODE), SCHED_NONE);
    ASSERT_EQ(point(s, 1, OPCODE), SCHED_NONE);
    ASSERT_EQ(point(s, 1, OPCODE), SCHED_DIVERGED);
    sched_free(s);
}

TEST(sched_schedule_malformed)
{
    expect_bad_config("gil", "",
                      "schedule: expected \"T1:\" at column 1");
    expect_bad_config("gil", "T2:gil:0:",
                      "schedule: expected \"T1:\" at column 1");
    expect_bad_config("gil", "T1::0:",
                      "schedule: expected a policy name at column 4");
    expect_bad_config("gil", "T1:gil:x:",
                      "schedule: expected a decimal seed at column 8");
    expect_bad_config("gil", "T1:gil:99999999999999999999:",
                      "schedule: expected a decimal seed at column 8");
    expect_bad_config("gil", "T1:gil:1",
                      "schedule: expected ':' at column 9");
    expect_bad_config("gil", "T1:gil",
                      "schedule: expected ':' at column 7");
    expect_bad_config("gil", "T1:gil:1:1-",
                      "schedule: expected a base-36 actor id at column 12");
    expect_bad_config("gil", "T1:gil:1:1x",
                      "schedule: expected '-' at column 12");
    expect_bad_config("gil", "T1:gil:1:1-0,",
                      "schedule: expected a base-36 step delta at column "
                      "14");
    expect_bad_config("gil", "T1:gil:1:1-0;2-1",
                      "schedule: expected ',' or the end at column 13");
    expect_bad_config("gil", "T1:gil:1:1-0 ",
                      "schedule: expected ',' or the end at column 13");
    expect_bad_config("gil", "T1:gil:1:0-0",
                      "schedule: expected a step delta from 1 to the end "
                      "of time at column 10");
    expect_bad_config("gil", "T1:gil:1:1-zzz",
                      "schedule: expected a base-36 actor id at column 12");
    expect_bad_config("gil", "T1:rr::1:",
                      "schedule: expected a policy argument at column 7");
    expect_bad_config("gil", "T1:nope:1:",
                      "unknown policy 'nope' (valid policies: gil, fifo, "
                      "preempt, rr:N)");
    expect_bad_config("gil", "T1:rr:0:1:",
                      "rr:N: N must be a whole number >= 1 (got '0')");
}

/* ---- Bounds, polling, the log ------------------------------------------- */

TEST(sched_max_steps)
{
    struct sched_config cfg;
    struct sched *s;

    sched_config_init(&cfg);
    cfg.max_steps = 10;
    s = new_sched_cfg(&cfg, NULL);
    thread(s, "A");
    for (int i = 1; i < 10; i++) {
        ASSERT_EQ(sched_point(s, 1), false);
    }
    ASSERT_EQ(sched_point(s, 1), true);
    ASSERT_EQ(sched_point_slow(s, OPCODE), true);
    ASSERT_EQ(sched_next(s, EV_WHY_PREEMPT), SCHED_LIMIT);
    ASSERT_EQ(sched_next(s, EV_WHY_PREEMPT), SCHED_LIMIT);
    ASSERT_EQ(sched_step(s), 10);
    sched_free(s);

    /* Decisions count too: the one that would be step 3 stops instead. */
    cfg.max_steps = 3;
    cfg.policy = "fifo";
    s = new_sched_cfg(&cfg, NULL);
    thread(s, "A");
    thread(s, "B");
    sched_relinquish(s);
    ASSERT_EQ(sched_next(s, EV_WHY_YIELD), 1);
    sched_relinquish(s);
    ASSERT_EQ(sched_next(s, EV_WHY_YIELD), 0);
    sched_relinquish(s);
    ASSERT_EQ(sched_next(s, EV_WHY_YIELD), SCHED_LIMIT);
    ASSERT_EQ(sched_step(s), 3);
    sched_free(s);
}

struct poll_ctx {
    int calls;
    int actor[8];
    int64_t when[8];
    int ready_at;               /* the call that says "ready" */
    struct sched *s;
};

static bool
poll_hook(void *ctx, int actor)
{
    struct poll_ctx *p = ctx;

    ASSERT(p->calls < 8);
    p->actor[p->calls] = actor;
    p->when[p->calls] = sched_now(p->s);
    return ++p->calls == p->ready_at;
}

TEST(sched_poll)
{
    struct sched *s = new_sched("fifo", 1);
    struct poll_ctx pc = { .ready_at = 3, .s = s };
    int a = thread(s, "A"), b = thread(s, "B");
    int sel = sched_obj_new(s, EV_OBJ_SELECTOR, "selector", 0);
    int hot = 0;

    sched_obj_set_poller(s, sel, true);
    ASSERT_EQ(sched_obj(s, sel)->poller, true);
    sched_set_poll(s, poll_hook, &pc);
    sched_block(s, sel, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), b);
    ASSERT_EQ(pc.calls, 1);
    ASSERT_EQ(pc.actor[0], a);
    ASSERT_EQ(pc.when[0], 0);
    /* B runs; every poll period of virtual time the hook is asked again
     * about A, until it says ready.  Points of 100 us. */
    for (int i = 0; i < 40; i++) {
        hot += sched_point(s, 10000) && !sched_point_slow(s, OPCODE);
    }
    ASSERT_EQ(hot, 2);
    ASSERT_EQ(pc.calls, 3);
    ASSERT_EQ(pc.when[1], SCHED_POLL_PERIOD_NS);
    ASSERT_EQ(pc.when[2], 2 * SCHED_POLL_PERIOD_NS);
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_READY);
    ASSERT_EQ(sched_actor(s, a)->timed_out, false);
    sched_finish(s, false);
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), a);

    /* Alone on the poller with the hook saying no: a deadlock, after one
     * more question. */
    sched_block(s, sel, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), SCHED_DEADLOCK);
    ASSERT_EQ(pc.calls, 4);
    ASSERT_EQ(pc.actor[3], a);
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_BLOCKED);
    sched_free(s);
}

/* Read every record of log into out; returns how many. */
static size_t
read_log(struct evlog *log, struct ev *out, size_t max)
{
    struct diag d;
    struct evlog_reader *r;
    size_t n = 0;
    int rc;

    ASSERT_EQ(evlog_flush(log, &d), 0);
    r = evlog_open_fd(evlog_fd(log), &d);
    ASSERT(r != NULL);
    while ((rc = evlog_next(r, &out[n], &d)) == 1) {
        /* Strings point into the reader's mapping: keep a copy. */
        if (out[n].str != NULL) {
            char *copy = malloc(out[n].len + 1);

            memcpy(copy, out[n].str, out[n].len);
            copy[out[n].len] = '\0';
            out[n].str = copy;
        }
        ASSERT(++n < max);
    }
    ASSERT_EQ(rc, 0);
    evlog_close(r);
    return n;
}

struct want {
    enum ev_kind kind;
    int actor, obj;
    int64_t a, b, x;
    const char *str;
    uint64_t step;
    int64_t time;
};

TEST(sched_evlog)
{
    static const struct want want[] = {
        { EV_ACTOR_NEW, 0, -1, EV_ACTOR_THREAD, -1, 0, "MainThread", 0, 0 },
        { EV_STATE, 0, -1, EV_ST_RUNNING, 0, EVLOG_NEVER, NULL, 0, 0 },
        { EV_SWITCH, 0, -1, EV_WHY_START, -1, 0, NULL, 0, 0 },
        { EV_ACTOR_NEW, 1, -1, EV_ACTOR_TASK, 0, 0, "Task-1", 0, 0 },
        { EV_STATE, 1, -1, EV_ST_READY, 0, EVLOG_NEVER, NULL, 0, 0 },
        { EV_ACTOR_NEW, 2, -1, EV_ACTOR_THREAD, 0, 0, "Thread-1", 0, 0 },
        { EV_STATE, 2, -1, EV_ST_READY, 0, EVLOG_NEVER, NULL, 0, 0 },
        { EV_ACTOR_NAME, 2, -1, 0, 0, 0, "worker", 0, 0 },
        { EV_OBJ_NEW, -1, 0, EV_OBJ_QUEUE, 3, 0, "q", 0, 0 },
        { EV_OBJ_NAME, -1, 0, 0, 0, 0, "jobs", 0, 0 },
        { EV_OBJ_OP, 0, 0, EV_OP_PUT, 0, 1, NULL, 0, 0 },
        { EV_STATE, 1, 0, EV_ST_WAITING, 0, EVLOG_NEVER, NULL, 0, 0 },
        { EV_STATE, 0, -1, EV_ST_SLEEPING, 0, 500, NULL, 0, 0 },
        { EV_STATE, 2, -1, EV_ST_RUNNING, 0, EVLOG_NEVER, NULL, 1, 0 },
        { EV_SWITCH, 2, -1, EV_WHY_BLOCK, 0, 0, NULL, 1, 0 },
        { EV_STATE, 2, 0, EV_ST_BLOCKED, 0, 200, NULL, 1, 0 },
        { EV_STATE, 2, -1, EV_ST_READY, 0, EVLOG_NEVER, NULL, 2, 200 },
        { EV_STATE, 2, -1, EV_ST_RUNNING, 0, EVLOG_NEVER, NULL, 2, 200 },
        { EV_SWITCH, 2, -1, EV_WHY_WAKE, 2, 0, NULL, 2, 200 },
        { EV_STATE, 2, -1, EV_ST_DONE, 0, EVLOG_NEVER, NULL, 2, 200 },
        { EV_STATE, 0, -1, EV_ST_READY, 0, EVLOG_NEVER, NULL, 3, 500 },
        { EV_STATE, 0, -1, EV_ST_RUNNING, 0, EVLOG_NEVER, NULL, 3, 500 },
        { EV_SWITCH, 0, -1, EV_WHY_EXIT, 2, 0, NULL, 3, 500 },
    };
    enum { NWANT = sizeof want / sizeof want[0] };
    struct diag d;
    struct evlog *log = evlog_new(NULL, &d);
    struct sched_config cfg;
    struct sched *s;
    struct ev got[64];
    size_t n;
    int q;

    ASSERT(log != NULL);
    sched_config_init(&cfg);
    cfg.policy = "fifo";
    s = new_sched_cfg(&cfg, log);
    ASSERT_PTR(sched_log(s), log);
    sched_actor_new(s, EV_ACTOR_THREAD, SCHED_NONE, 0, "MainThread", true);
    sched_actor_new(s, EV_ACTOR_TASK, 0, 0, "Task-1", false);
    sched_actor_new(s, EV_ACTOR_THREAD, 0, 0, "Thread-1", true);
    sched_actor_rename(s, 2, "worker");
    q = sched_obj_new(s, EV_OBJ_QUEUE, "q", 3);
    sched_obj_label(s, q, "jobs");
    sched_obj_op(s, q, EV_OP_PUT, 1);
    sched_actor_state(s, 1, EV_ST_WAITING, q);
    sched_block(s, SCHED_NONE, 500);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), 2);
    sched_block(s, q, 200);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), 2);
    sched_finish(s, false);
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), 0);

    n = read_log(log, got, 64);
    ASSERT_EQ(n, NWANT);
    for (size_t i = 0; i < n; i++) {
        const struct want *w = &want[i];
        const struct ev *e = &got[i];

        if (e->kind != w->kind || e->actor != w->actor || e->obj != w->obj
            || e->a != w->a || e->b != w->b || e->x != w->x
            || e->step != w->step || e->time != w->time
            || (w->str != NULL && strcmp(e->str, w->str) != 0)) {
            TAP_FAIL_("record %zu: got %s actor %d obj %d a %lld b %lld "
                      "x %lld step %llu time %lld \"%s\"", i,
                      evlog_kind_name(e->kind), e->actor, e->obj,
                      (long long)e->a, (long long)e->b, (long long)e->x,
                      (unsigned long long)e->step, (long long)e->time,
                      e->str != NULL ? e->str : "");
        }
        free((char *)e->str);
    }
    sched_free(s);
    evlog_free(log);
}

TEST(sched_names)
{
    struct sched *s = new_sched("fifo", 1);
    char longname[200];
    int a;

    /* 95 bytes fit; a two-byte character across the limit is dropped
     * whole, not cut in half. */
    memset(longname, 'x', sizeof longname);
    memcpy(longname + 94, "\xc3\xb1", 2);       /* U+00F1 at 94..95 */
    longname[150] = '\0';
    a = thread(s, longname);
    ASSERT_EQ(strlen(sched_actor(s, a)->name), 94);
    sched_actor_rename(s, a, "hilo-ñ");
    ASSERT_STR(sched_actor(s, a)->name, "hilo-ñ");
    ASSERT_PTR(sched_actor(s, 7), NULL);
    ASSERT_PTR(sched_actor(s, -1), NULL);
    ASSERT_PTR(sched_obj(s, 0), NULL);
    ASSERT_EQ(sched_obj_new(s, EV_OBJ_SEMAPHORE, NULL, 2), 0);
    ASSERT_STR(sched_obj(s, 0)->label, "");
    ASSERT_EQ(sched_obj(s, 0)->capacity, 2);
    ASSERT_EQ(sched_obj(s, 0)->holder, SCHED_NONE);
    sched_free(s);
}

TEST(sched_kill)
{
    struct sched_config cfg;
    struct diag d;
    struct sched *s;
    int a, b, c;

    sched_config_init(&cfg);
    cfg.policy = "fifo";
    s = sched_new(&cfg, NULL, &d);
    ASSERT(s != NULL);
    a = sched_actor_new(s, EV_ACTOR_THREAD, SCHED_NONE, 0, "a", true);
    b = sched_actor_new(s, EV_ACTOR_THREAD, a, 1, "b", true);
    c = sched_actor_new(s, EV_ACTOR_THREAD, a, 1, "c", true);
    ASSERT_EQ(sched_nalive(s), 3);
    /* a runs (the first actor); b is ready, c will be blocked: both die
     * with their process. */
    ASSERT_EQ(sched_current(s), a);
    sched_kill(s, b, true);
    ASSERT_EQ(sched_actor(s, b)->state, EV_ST_FAILED);
    sched_kill(s, a, false);                /* the current one: no */
    ASSERT_EQ(sched_actor(s, a)->state, EV_ST_RUNNING);
    sched_block(s, SCHED_NONE, 1000);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), c);
    sched_block(s, 7, SCHED_NEVER);
    ASSERT_EQ(sched_next(s, EV_WHY_BLOCK), a);    /* the sleeper wakes */
    sched_kill(s, c, false);
    ASSERT_EQ(sched_actor(s, c)->state, EV_ST_DONE);
    ASSERT_EQ(sched_nalive(s), 1);
    ASSERT_EQ(sched_wake(s, 7, -1), 0);     /* c no longer waits */
    sched_kill(s, c, true);                 /* twice: nothing */
    ASSERT_EQ(sched_actor(s, c)->state, EV_ST_DONE);
    sched_finish(s, false);
    ASSERT_EQ(sched_next(s, EV_WHY_EXIT), SCHED_DEADLOCK);
    sched_free(s);
}

/* A gate stops the run at every gate step, before anything of that step,
 * and changes nothing of what the run decides. */
TEST(sched_gate)
{
    static const char *const policies[] = { "preempt", "gil", "rr:3" };
    struct toy_trace *plain = malloc(sizeof *plain);
    struct toy_trace *gated = malloc(sizeof *gated);
    struct toy_gate *g = malloc(sizeof *g);
    struct sched_config cfg;

    for (size_t p = 0; p < sizeof policies / sizeof *policies; p++) {
        sched_config_init(&cfg);
        cfg.policy = policies[p];
        cfg.seed = 3;
        cfg.preempt_rate = 0.2;
        cfg.switch_interval = 50;
        toy_run(&cfg, 60, plain);
        memset(g, 0, sizeof *g);
        g->every = 7;
        toy_run_with(&cfg, 60, gated, g, NULL, NULL);
        toy_same(plain, gated);
        /* Called at each multiple of 7 the run reached, once each. */
        ASSERT(g->n > 10);
        for (size_t i = 0; i < g->n; i++) {
            ASSERT_EQ(g->at[i], 7 * (i + 1));
        }
        ASSERT(plain->step[plain->n - 1] < 7 * (g->n + 1));
    }
    free(plain);
    free(gated);
    free(g);
}

/* The switches in the log name the decisions they carry out, so the TUI's
 * model rebuilds the schedule string of the run, and of any prefix of it
 * that replays to the same moment. */
TEST(sched_decisions_in_log)
{
    static const char *const policies[] = { "preempt", "gil", "rr:3",
                                            "fifo" };
    struct toy_trace *orig = malloc(sizeof *orig);
    struct toy_trace *again = malloc(sizeof *again);
    struct sched_config cfg;

    for (size_t p = 0; p < sizeof policies / sizeof *policies; p++) {
        struct diag d;
        struct evlog *log = evlog_new(NULL, &d);
        struct evlog_reader *r;
        struct model *m;
        struct str sched;
        const char *entries;

        ASSERT(log != NULL);
        sched_config_init(&cfg);
        cfg.policy = policies[p];
        cfg.seed = 11;
        cfg.preempt_rate = 0.2;
        cfg.switch_interval = 50;
        toy_run_with(&cfg, 60, orig, NULL, log, NULL);
        ASSERT_EQ(evlog_flush(log, &d), 0);
        r = evlog_open_fd(evlog_fd(log), &d);
        ASSERT(r != NULL);
        m = model_new(r, &d);
        ASSERT(m != NULL);
        str_init(&sched);
        model_schedule(m, model_last_step(m), &sched);
        entries = strrchr(orig->schedule, ':') + 1;
        ASSERT_STR(sched.p != NULL ? sched.p : "", entries);

        /* A prefix: the decisions switched by the middle of the run,
         * replayed under fifo, give the same run up to there. */
        str_fini(&sched);
        str_init(&sched);
        str_adds(&sched, "T1:fifo:11:");
        model_schedule(m, orig->step[orig->n / 2], &sched);
        cfg.schedule = sched.p;
        toy_run(&cfg, 60, again);
        for (size_t i = 0; i <= orig->n / 2; i++) {
            ASSERT_EQ(again->step[i], orig->step[i]);
            ASSERT_EQ(again->who[i], orig->who[i]);
        }
        str_fini(&sched);
        model_free(m);
        evlog_close(r);
        evlog_free(log);
    }
    free(orig);
    free(again);
}
