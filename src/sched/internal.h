/*
 * What the files of src/sched share and nothing outside it sees: the whole
 * of struct sched, the schedule string codec (schedule.c) and the helpers
 * policies use to arm the hot path.  Like Lua's lstate.h, this is where the
 * invariants of the scheduler's state are written down.
 */
#ifndef TELAR_SCHED_INTERNAL_H
#define TELAR_SCHED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sched/policy.h"
#include "sched/sched.h"
#include "util/util.h"

/* Guards at the layer boundary (lapi.c's api_check), compiled in by
 * --enable-debug.  A failed check is our bug, never the user's. */
#ifdef TELAR_DEBUG
#define SCHED_CHECK(cond, why)                                             \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fatal("%s: %s", #cond, why);                                   \
        }                                                                  \
    } while (0)
#else
#define SCHED_CHECK(cond, why) ((void)0)
#endif

/* ---- Schedule strings (schedule.c) -------------------------------------- */

/* One recorded decision: at step, the actor that got the baton. */
struct schedule_entry {
    uint64_t step;
    int actor;
};

/* A list of decisions in step order.  Owned by whoever embeds it;
 * schedule_fini frees. */
struct schedule {
    struct schedule_entry *v;
    size_t n;
    size_t cap;
    const struct allocator *alloc;  /* borrowed; NULL: the C heap */
};

void schedule_init(struct schedule *sc);
void schedule_fini(struct schedule *sc);
void schedule_add(struct schedule *sc, uint64_t step, int actor);
/* Parse "T1:<policy>:<seed>:<entries>".  On success fills policy (a new
 * string the caller frees), seed and sc (which must be empty) and returns
 * 0; otherwise -1 with d saying "schedule: expected ... at column N". */
int schedule_parse(const char *text, char **policy, uint64_t *seed,
                   struct schedule *sc, struct diag *d);
/* Append the string form of sc to out. */
void schedule_format(const struct schedule *sc, const char *policy,
                     uint64_t seed, struct str *out);

/* ---- The scheduler's state ---------------------------------------------- */

/*
 * Invariants:
 * - actors[0..nactors) and objs[0..nobjs) are indexed by id; ids are never
 *   reused, so an id in the event log names one actor for the whole run.
 * - ready[0..nready) holds exactly the schedulable actors in state READY,
 *   in increasing seq order (seq is assigned on insertion from one counter,
 *   so appending keeps the order).  The RUNNING actor is never in it.
 * - blocked[0..nblocked) holds the schedulable actors in BLOCKED or
 *   SLEEPING, in increasing wait_seq order.
 * - hot.check_step never exceeds the step bound, the gate nor the step of
 *   the next replayed decision, so the slow path runs there
 *   (sched_arm_bounds); with a chooser and a READY actor it is the next
 *   step.
 * - decision is set exactly when a decision was recorded in record and the
 *   switch that carries it out has not been logged yet.
 */
struct sched {
    struct sched_hot hot;       /* first: sched_point() casts to it */

    struct evlog *log;          /* borrowed; NULL: nothing is written */
    const struct policy *policy;
    char *policy_spec;          /* as configured: "rr:3" */
    const struct allocator *alloc;  /* borrowed: where this struct lives */
    uint64_t seed;
    uint64_t rng;               /* rng_next() state, from seed */
    double preempt_rate;
    int64_t switch_interval;
    int64_t switch_jitter;
    int64_t instr_cost;         /* ns per instruction, on a core alone */
    int cores;
    int share;                  /* min(cores, processes that can run) */
    uint64_t max_steps;         /* 0: no bound */
    int halt;                   /* 0, or SCHED_LIMIT / SCHED_DIVERGED */

    sched_poll_fn poll_fn;
    void *poll_ctx;
    sched_gate_fn gate_fn;      /* live mode; NULL: no gate */
    void *gate_ctx;
    uint64_t gate;              /* call gate_fn when the step reaches it */
    uint64_t decision;          /* step of the decision that the next
                                   switch carries out, or UINT64_MAX */
    sched_choose_fn choose_fn;  /* exploration: takes every decision */
    void *choose_ctx;
    int64_t next_poll;          /* when pollers are asked again */

    int current;                /* the baton holder, SCHED_NONE at first */
    int pending;                /* chosen at a preemption point, or NONE */
    uint64_t seq;               /* source of seq and wait_seq */
    size_t nalive;

    /* Per-policy state; only the policy in use touches its member. */
    union {
        struct {
            int64_t slice_start;    /* now when the holder took the GIL */
            int64_t proc_start;     /* now when its process's turn began */
            int proc;               /* the process whose turn it is */
            int64_t latency;        /* the waiters' wake-up latency, drawn
                                       when the GIL changes hands */
        } gil;
        struct {
            uint64_t target;        /* step of the next successful trial */
            uint64_t unit;          /* -log2(1 - rate), 2^-32 units */
        } preempt;
        struct {
            uint64_t n;             /* slice length in points */
            uint64_t slice_start;   /* step when the slice began */
        } rr;
    } pol;

    struct schedule record;     /* decisions taken so far */
    struct schedule replay;     /* decisions to take, from cfg->schedule */
    size_t replay_pos;          /* the next entry of replay */
    struct str text;            /* sched_schedule()'s result */

    size_t nactors;
    size_t nobjs;
    size_t nready;
    size_t nblocked;
    int ready[SCHED_MAX_ACTORS];
    int blocked[SCHED_MAX_ACTORS];
    /* Work space, so nothing big lands on a scenario thread's stack (a
     * scenario may shrink it with threading.stack_size).  pollsnap is
     * separate because the poll hook may call back into sched_wake. */
    int scratch[SCHED_MAX_ACTORS];
    int pollsnap[SCHED_MAX_ACTORS];
    struct actor actors[SCHED_MAX_ACTORS];
    struct sched_obj objs[SCHED_MAX_OBJS];
};

/* ---- Helpers for policies (sched.c) ------------------------------------- */

/* Make the slow path run when the step reaches at (or earlier, if something
 * else asked for that).  sched_point_slow and sched_next clear both hot
 * checks before they ask the policy, so a policy re-arms every time. */
void sched__arm_step(struct sched *s, uint64_t at);
/* The same for virtual time: the slow path runs once now >= at. */
void sched__arm_time(struct sched *s, int64_t at);

/* The READY queue, oldest first (n set to its length).  Borrowed. */
const int *sched__ready(const struct sched *s, size_t *n);
/* The earliest ready_since among READY actors, or SCHED_NEVER. */
int64_t sched__oldest_ready_since(const struct sched *s);

/* The earliest ready_since among READY actors of process proc (others:
 * of every other process), or SCHED_NEVER. */
int64_t sched__oldest_ready_in(const struct sched *s, int proc, bool others);
/* How many READY actors belong to another process than the current's. */
size_t sched__ready_elsewhere(const struct sched *s);
/* The process of the current actor (0 without one). */
int sched__current_proc(const struct sched *s);

/* The index of the first candidate other than the current actor (the
 * oldest other, since cand is oldest first), or 0 when it is alone. */
static inline size_t
sched__first_other(const struct sched *s, const int *cand, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cand[i] != s->current) {
            return i;
        }
    }
    return 0;
}

/* Uniform in [0, n), from the run's seeded PRNG. */
static inline uint64_t
sched__rand_below(struct sched *s, uint64_t n)
{
    return rng_below(&s->rng, n);
}

#endif
