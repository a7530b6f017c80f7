/*
 * The scheduler: who runs next, and when.  Plain C with no Python in it.
 *
 * It keeps the actors (threads, which hold the baton in turn, and asyncio
 * tasks, which are recorded but never scheduled on their own), the objects
 * actors block on, and the virtual clock.  Every decision and every state
 * change is written to the event log.  Policies (policy-*.c) are strategies
 * plugged into one interface; sched.c lists them.
 *
 * Threading: the scheduler is not thread-safe and needs no lock of its own.
 * Only the actor holding the baton calls it; the engine (src/engine) owns
 * the baton and the condition variables that pass it.  The scheduler state
 * is a fixed-size struct with indices, no pointers between actors, so a
 * later engine can place it in memory shared across fork().
 */
#ifndef TELAR_SCHED_H
#define TELAR_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/evlog.h"
#include "util/arena.h"
#include "util/util.h"

#define SCHED_MAX_ACTORS 4096
#define SCHED_MAX_OBJS 65536
#define SCHED_NEVER INT64_MAX
#define SCHED_NONE (-1)

/* Special results of sched_next(). */
#define SCHED_DEADLOCK (-2)     /* nothing can run and no timer is pending */
#define SCHED_LIMIT (-3)        /* the step bound was reached */
#define SCHED_DIVERGED (-4)     /* replay: the run left the recorded schedule */

/* Defaults, documented in the man page and README. */
#define SCHED_INSTR_COST_NS 10          /* virtual ns per bytecode instruction */
#define SCHED_SWITCH_INTERVAL_NS 5000000 /* CPython's sys.getswitchinterval() */
#define SCHED_SWITCH_JITTER_NS 50000    /* gil: a waiter's wake-up latency */
#define SCHED_POLL_PERIOD_NS 1000000    /* how often pollers re-check fds */
#define SCHED_PREEMPT_RATE 0.05         /* preempt: chance per opcode point */
#define SCHED_CORES 4                   /* virtual cores */
#define SCHED_PROC_QUANTUM_NS 1000000   /* processes take turns this often */

/* Flags of a point (a place in scenario code where a switch may happen). */
#define SCHED_POINT_LINE 0x1    /* a new line or a backward jump */
#define SCHED_POINT_OPCODE 0x2  /* an instruction (opcode events are on) */
#define SCHED_POINT_BREAKER 0x4 /* CPython 3.11 checks its eval breaker here */
/* The instruction about to run can observe or change what another actor
 * sees (a shared read or write, a call out of scenario code, a
 * synchronisation operation).  Only set while a chooser is installed
 * (exploration): a switch anywhere else cannot change the outcome. */
#define SCHED_POINT_VISIBLE 0x8

struct actor {
    /* read-only for callers */
    int id;
    enum ev_actor_kind kind;
    int parent;                 /* SCHED_NONE for the first actor */
    int proc;                   /* virtual process number, 0 = the first */
    enum ev_state state;
    bool schedulable;           /* threads: yes; tasks: no */
    int obj;                    /* what it blocks on, or SCHED_NONE */
    int64_t deadline;           /* wake-up time, or SCHED_NEVER */
    bool timed_out;             /* its last wake-up came from the deadline */
    int64_t ready_since;        /* when it last became ready */
    uint64_t seq;               /* order of becoming ready: ties break here */
    uint64_t wait_seq;          /* order of blocking on obj: FIFO waiters */
    char name[96];
};

struct sched_obj {
    int id;
    enum ev_obj_kind kind;
    int holder;                 /* the actor that holds it, or SCHED_NONE */
    bool poller;                /* waiters re-check real descriptors */
    int64_t capacity;           /* as given to sched_obj_new (0: none) */
    char label[96];
};

struct sched_config {
    const char *policy;         /* "gil" (default), "fifo", "preempt", "rr:N" */
    uint64_t seed;
    double preempt_rate;        /* preempt: chance to switch per opcode point */
    int64_t switch_interval;    /* gil: ns a waiter waits before it asks */
    int64_t switch_jitter;      /* gil: up to this many ns more (seeded) */
    int64_t instr_cost;         /* virtual ns per instruction */
    const char *schedule;       /* replay this schedule string, or NULL */
    int cores;                  /* virtual cores processes run on */
    uint64_t max_steps;         /* 0: no bound */
    /* Where the scheduler's state and its recorded schedule live: NULL for
     * the C heap, or a shared arena so that it spans fork()ed processes. */
    const struct allocator *alloc;
};

void sched_config_init(struct sched_config *cfg);

/* Called by sched_next for every actor blocked on a poller object, so the
 * engine can check its real descriptors.  Returns true if the actor should
 * wake up.  Runs on: the baton holder. */
typedef bool (*sched_poll_fn)(void *ctx, int actor);

struct sched;

/* A scheduler writing to log (borrowed: the log outlives it; NULL writes
 * nothing, for tests and exploration).  NULL with d set for an unknown
 * policy, a bad policy argument, an out-of-range option or a malformed
 * schedule string ("schedule: expected ... at column N").  With
 * cfg->schedule set, the policy and seed named in the string replace
 * cfg->policy and cfg->seed (read them back with sched_policy and
 * sched_seed); the other fields still come from cfg. */
struct sched *sched_new(const struct sched_config *cfg, struct evlog *log,
                        struct diag *d);
void sched_free(struct sched *s);

void sched_set_poll(struct sched *s, sched_poll_fn fn, void *ctx);

/* Called when the step reaches the gate (live mode: a viewer lets the run
 * go a number of steps at a time).  It may block; it returns the next
 * gate, which must lie beyond step.  Runs on: the baton holder, before
 * anything of that step is logged. */
typedef uint64_t (*sched_gate_fn)(void *ctx, uint64_t step);

/* Pause the run through fn whenever the step reaches gate (a step number;
 * UINT64_MAX: never).  fn NULL: no gate. */
void sched_set_gate(struct sched *s, uint64_t gate, sched_gate_fn fn,
                    void *ctx);

/* From now on the poll hook and the gate are called with ctx.  A
 * scheduler in memory shared by several programs (multiprocessing's
 * spawn) is run by each in turn, and each has its own context. */
void sched_set_ctx(struct sched *s, void *ctx);

/* The seed and the policy ("rr:3") in force: cfg's, or the schedule
 * string's when replaying.  The policy string is owned by the scheduler. */
uint64_t sched_seed(const struct sched *s);
const char *sched_policy(const struct sched *s);

/* ---- Actors and objects --------------------------------------------- */

/* A new actor, READY (schedulable ones join the ready queue; the very first
 * one is RUNNING).  Returns its id, or SCHED_NONE when the table is full. */
int sched_actor_new(struct sched *s, enum ev_actor_kind kind, int parent,
                    int proc, const char *name, bool schedulable);
void sched_actor_rename(struct sched *s, int actor, const char *name);
struct actor *sched_actor(struct sched *s, int id);
size_t sched_nactors(const struct sched *s);
/* Schedulable actors that have not ended. */
size_t sched_nalive(const struct sched *s);
int sched_current(const struct sched *s);

/* Record a state of an unschedulable actor (a task: running, waiting...). */
void sched_actor_state(struct sched *s, int actor, enum ev_state st, int obj);

int sched_obj_new(struct sched *s, enum ev_obj_kind kind, const char *label,
                  int64_t capacity);
void sched_obj_label(struct sched *s, int obj, const char *label);
struct sched_obj *sched_obj(struct sched *s, int id);
void sched_obj_set_holder(struct sched *s, int obj, int actor);
void sched_obj_set_poller(struct sched *s, int obj, bool poller);
/* Log an operation by the current actor on obj. */
void sched_obj_op(struct sched *s, int obj, enum ev_op op, int64_t value);

/* ---- What the running actor does ------------------------------------ */

/* The current actor blocks on obj until woken, or until deadline (absolute
 * virtual ns; SCHED_NEVER for none).  obj may be SCHED_NONE with a deadline:
 * a sleep.  The caller then calls sched_next() and passes the baton. */
void sched_block(struct sched *s, int obj, int64_t deadline);
/* The current actor ends. */
void sched_finish(struct sched *s, bool failed);
/* End an actor that is not running (its process died under it): it leaves
 * the ready queue or its wait.  Nothing happens for the current actor or
 * one that already ended. */
void sched_kill(struct sched *s, int actor, bool failed);
/* The current actor offers to give way (time.sleep(0)): it stays READY. */
void sched_relinquish(struct sched *s);
/* Wake up to n actors blocked on obj, oldest waiter first (n < 0: all).
 * They become READY; the current actor keeps running.  Returns how many.
 * Waiters whose deadline had already passed time out first (they were
 * earlier in virtual time) and do not count. */
int sched_wake(struct sched *s, int obj, int n);
/* Wake one particular blocked actor (a poller whose descriptor is ready). */
void sched_wake_actor(struct sched *s, int actor);

/* Choose the actor to run after the current one blocked, finished, yielded
 * or was preempted (reason says which).  Advances the clock to the earliest
 * deadline when nothing is ready.  Returns the actor id (it is now RUNNING
 * and the switch is logged), or SCHED_DEADLOCK, SCHED_LIMIT or
 * SCHED_DIVERGED.
 *
 * Each call is one step.  It first wakes sleepers whose deadline passed and
 * asks the poll hook once about every actor blocked on a poller object.  A
 * call that would make the step reach cfg->max_steps returns SCHED_LIMIT
 * instead, leaving sched_step() == max_steps.  SCHED_LIMIT and
 * SCHED_DIVERGED are final: every later call returns them again.
 * SCHED_DEADLOCK also covers "no actor is alive" (see sched_nalive). */
int sched_next(struct sched *s, enum ev_reason reason);

/* ---- Points: the hot path -------------------------------------------- */

/* The running actor reached a point after executing ninstr instructions.
 * Returns true when the slow path must look (a deadline or a policy check is
 * due); the fast path is two compares. */
static inline bool sched_point(struct sched *s, uint64_t ninstr);

/* Charge ninstr instructions of the running actor without making a point:
 * no step is taken and nothing is decided.  For work counted after it ran
 * (the tracer's sparse frames); the next point sees any deadline it
 * crossed. */
static inline void sched_advance(struct sched *s, uint64_t ninstr);

/* npoints points at once, ninstr instructions in all: for points counted
 * after they passed (the tracer's precharged loops).  Call it only when
 * sched_is_quiet said no slow path was due within them; returns
 * sched_point's answer for the last one. */
static inline bool sched_points(struct sched *s, uint64_t npoints,
                                uint64_t ninstr);

/* Whether npoints more points with ninstr instructions in all would all
 * take sched_point's fast path: no check step (the step bound, a replayed
 * decision, a policy's) and no check time falls among them. */
static inline bool sched_is_quiet(struct sched *s, uint64_t npoints,
                                  uint64_t ninstr);

/* The slow half of a point.  Returns true if the current actor must give
 * the baton away now: the caller then calls sched_next(s, EV_WHY_PREEMPT).
 * flags are SCHED_POINT_*.  Call it only when sched_point has just returned
 * true: every point takes its own step there, and replay finds recorded
 * preemptions by step.  For CPU work outside bytecode, sched_charge and
 * then sched_point(s, 0) make the point.  It also returns true when the run must stop:
 * the step reached cfg->max_steps, or a replay left its schedule; that
 * sched_next then returns SCHED_LIMIT or SCHED_DIVERGED instead of an
 * actor, so the caller needs no second check. */
bool sched_point_slow(struct sched *s, unsigned flags);

/* Charge CPU work that is not bytecode (telar.cpu(seconds)). */
void sched_charge(struct sched *s, int64_t ns);

/* ---- Choosers: exploration ---------------------------------------------
 * A chooser takes every decision of a run in place of the policy and of a
 * replayed schedule, and sees the candidates of each: telar explore drives
 * runs through it.  Two kinds of choices reach it:
 * - SCHED_CHOICE_NEXT: sched_next among two or more READY actors (after a
 *   block, an exit or a yield; on a yield the yielding actor is among
 *   them);
 * - SCHED_CHOICE_POINT: a point with SCHED_POINT_VISIBLE while other actors
 *   are READY; the running actor is the last candidate, and choosing it
 *   means "no preemption here".
 * Decisions are recorded as usual, so sched_schedule() replays the run
 * with the base policy, which must be "fifo": once the recorded entries
 * run out, fifo takes the single-candidate decisions a chooser never sees
 * and never preempts, exactly as the chooser's run did. */
enum sched_choice_kind {
    SCHED_CHOICE_NEXT,
    SCHED_CHOICE_POINT,
};

struct sched_choice {
    enum sched_choice_kind kind;
    enum ev_reason reason;      /* NEXT: why the previous actor stopped */
    uint64_t step;              /* the step the decision is recorded at */
    int current;                /* POINT: the running actor; NEXT: the one
                                   that stopped, or SCHED_NONE */
    const int *cand;            /* borrowed: READY actors oldest first */
    size_t n;                   /* >= 2 */
};

/* Returns the index into c->cand of the actor to run.  Runs on: the baton
 * holder, in whichever process of the run holds it; ctx must be reachable
 * there (shared memory when the scenario forks). */
typedef size_t (*sched_choose_fn)(void *ctx, const struct sched_choice *c);

/* Install (fn != NULL) or remove a chooser.  While one is installed the
 * slow path runs at every point where another actor is READY, so that
 * every visible point reaches it. */
void sched_set_chooser(struct sched *s, sched_choose_fn fn, void *ctx);

/* ---- Reading the state ----------------------------------------------- */

int64_t sched_now(const struct sched *s);
uint64_t sched_step(const struct sched *s);
struct evlog *sched_log(struct sched *s);

/* The decisions so far as a schedule string that --schedule replays:
 * "T1:<policy>:<seed>:<entries>", each entry "<step delta>-<actor>" in
 * base 36, joined by ','.  An entry is written for every decision among two
 * or more candidates and for every preemption.  Owned by the scheduler;
 * valid until the next call. */
const char *sched_schedule(struct sched *s);

/* What of a scheduler lives on the process's heap rather than in its
 * allocator's memory: telar explore copies that memory back between two
 * runs of one process (engine/reuse.c) and keeps these as they are. */
struct sched_heap {
    struct str text;
};
void sched_heap_get(const struct sched *s, struct sched_heap *h);
void sched_heap_set(struct sched *s, const struct sched_heap *h);

/* After SCHED_DEADLOCK: a wait-for cycle through lock holders, if there is
 * one.  Fills up to max actor ids in cycle order; returns the length (0 when
 * the blocked actors form no cycle, as when all wait on events). */
size_t sched_deadlock_cycle(struct sched *s, int *actors, size_t max);

/* ---- Inline part ------------------------------------------------------- */

/* Only the fields the hot path reads; the rest of struct sched is private to
 * src/sched.  The engine must not write these. */
struct sched_hot {
    uint64_t step;
    int64_t now;
    /* Virtual time per instruction in 1/1024 ns, already divided by how
     * many processes share the cores (see sched.c, "Time"), and the
     * fraction of a ns carried over. */
    uint64_t cost_q10;
    uint64_t frac;
    uint64_t check_step;        /* slow path when step reaches this */
    int64_t check_time;         /* ... or when now reaches this */
};

static inline struct sched_hot *
sched_hot(struct sched *s)
{
    return (struct sched_hot *)s;   /* the first member of struct sched */
}

static inline void
sched_advance(struct sched *s, uint64_t ninstr)
{
    struct sched_hot *h = sched_hot(s);

    h->frac += ninstr * h->cost_q10;
    h->now += (int64_t)(h->frac >> 10);
    h->frac &= 1023;
}

static inline bool
sched_points(struct sched *s, uint64_t npoints, uint64_t ninstr)
{
    struct sched_hot *h = sched_hot(s);

    h->step += npoints;
    sched_advance(s, ninstr);
    return h->step >= h->check_step || h->now >= h->check_time;
}

static inline bool
sched_is_quiet(struct sched *s, uint64_t npoints, uint64_t ninstr)
{
    struct sched_hot *h = sched_hot(s);

    if (ninstr >= (uint64_t)1 << 40 || h->check_step <= h->step) {
        return false;
    }
    return npoints < h->check_step - h->step
           && (int64_t)((ninstr * h->cost_q10) >> 10) + 1
                  < h->check_time - h->now;
}

static inline bool
sched_point(struct sched *s, uint64_t ninstr)
{
    struct sched_hot *h = sched_hot(s);

    h->step++;
    sched_advance(s, ninstr);
    return h->step >= h->check_step || h->now >= h->check_time;
}

#endif
