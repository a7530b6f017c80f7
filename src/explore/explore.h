/*
 * Exploration: run a scenario under many schedules and collect the
 * outcomes.  Plain C, no Python: the runs themselves happen elsewhere (a
 * zygote's children, src/engine/zygote.c); this layer decides which runs
 * to make and what they mean.
 *
 * Three parts, used by cmd-explore.c:
 * - the search (explore.c and one file per strategy): it hands out plans,
 *   takes back results, and keeps the histogram of outcomes in one
 *   canonical order, whatever order the results come back in, so that
 *   --jobs never changes the answer;
 * - the chooser (explore-run.c): the sched_choose_fn a run decides with,
 *   following its plan and writing down the choices it met (its trace);
 * - the pool (explore-pool.c): worker processes that run plans.
 */
#ifndef TELAR_EXPLORE_H
#define TELAR_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sched/sched.h"
#include "util/util.h"

/* ---- The search ----------------------------------------------------------- */

enum explore_strategy {
    EXPLORE_SYSTEMATIC,         /* every schedule within a preemption bound */
    EXPLORE_RANDOM,             /* seeded random choices at every point */
    EXPLORE_PCT,                /* probabilistic concurrency testing */
};

struct explore_config {
    enum explore_strategy strategy;
    int preemptions;            /* systematic: the bound (CHESS's K) */
    uint64_t runs;              /* random, pct: how many runs */
    int depth;                  /* pct: the bug depth d (>= 1) */
    uint64_t seed;              /* random, pct: seed of their choices */
    uint64_t max_executions;    /* stop after this many (0: no cap) */
};

#define EXPLORE_MAX_DEPTH 64

/* What a run reports back, as the worker read it.  Borrowed pointers. */
struct explore_result {
    int status;                 /* exit status (128 + signal if killed) */
    bool deadlock;
    bool limit;                 /* a bound stopped it (steps, memory) */
    bool crashed;               /* the engine died without ending it */
    bool timed_out;             /* killed after its real-time bound */
    bool diverged;              /* it could not follow its plan */
    bool truncated;             /* its trace did not fit */
    uint64_t steps;
    uint64_t nchoices;          /* choices met (all of them) */
    const char *out;            /* its stdout */
    size_t out_len;
    const char *schedule;       /* the string that replays it */
    const unsigned char *trace; /* choices past its plan's prefix */
    size_t trace_len;
};

/* One outcome of the histogram, in order of first appearance (canonical
 * order).  Owned by the search. */
struct explore_outcome {
    char *out;                  /* stdout */
    size_t out_len;
    int status;
    bool deadlock;
    bool limit;
    uint64_t count;
    uint64_t first;             /* canonical index of its first run */
    char *schedule;             /* of that first run */
};

struct explore;

/* NULL with d set for a bad configuration. */
struct explore *explore_new(const struct explore_config *cfg, struct diag *d);
void explore_free(struct explore *ex);

/* The next run to make: 1 with *id set and the plan appended to plan
 * (opaque bytes for explore_run_init), 0 when nothing can start before a
 * result comes back, -1 when the search is over. */
int explore_next(struct explore *ex, uint64_t *id, struct str *plan);
/* The result of run id.  0, or -1 with d set when the run could not be
 * understood (a damaged trace: our bug). */
int explore_done(struct explore *ex, uint64_t id,
                 const struct explore_result *r, struct diag *d);
/* Runs handed out but not yet done. */
size_t explore_running(const struct explore *ex);

/* The answer so far (final once explore_next returns -1). */
uint64_t explore_executions(const struct explore *ex);
/* Every schedule of the strategy's space was run (systematic only, and
 * no run was stopped by a bound). */
bool explore_exhausted(const struct explore *ex);
/* The space was cut short: the cap, or runs that could not be followed
 * (diverged, truncated traces). */
bool explore_capped(const struct explore *ex);
uint64_t explore_diverged(const struct explore *ex);
size_t explore_noutcomes(const struct explore *ex);
const struct explore_outcome *explore_outcome(const struct explore *ex,
                                              size_t i);

/* ---- The chooser (explore-run.c) ------------------------------------------
 * A run's side: explore_run_init lays a plan out in a region of memory
 * the run can reach from every process it forks (MAP_SHARED), and
 * explore_choose, installed with sched_set_chooser(s, explore_choose,
 * region), follows it. */
void explore_run_init(void *region, size_t size, const void *plan,
                      size_t len);
size_t explore_choose(void *region, const struct sched_choice *c);
/* After the run: its trace (into the region) and counts. */
const unsigned char *explore_run_trace(const void *region, size_t *len);
uint64_t explore_run_nchoices(const void *region);
bool explore_run_diverged(const void *region);
bool explore_run_truncated(const void *region);

/* ---- The pool (explore-pool.c) --------------------------------------------
 * n worker processes forked from a middle process that runs setup once
 * (the zygote).  Jobs and results are byte strings with a tag. */
struct explore_pool_ops {
    /* In the middle process, once: 0, or the exit status to end with. */
    int (*setup)(void *arg);
    /* In each worker, once, before its first job. */
    void (*start)(void *arg, int worker);
    /* In a worker: the result of one job, appended to out. */
    void (*work)(void *arg, int worker, const void *job, size_t len,
                 struct str *out);
};

struct explore_pool;

/* Fork the middle process and its n workers.  NULL with d set.  From
 * here on the calling process ignores SIGPIPE. */
struct explore_pool *explore_pool_new(int n, const struct explore_pool_ops *ops,
                                      void *arg, struct diag *d);
/* A worker with nothing to do, or -1. */
int explore_pool_idle(const struct explore_pool *p);
/* Give worker w a job.  0, or -1 with d set (the worker is gone). */
int explore_pool_submit(struct explore_pool *p, int w, uint64_t tag,
                        const void *job, size_t len, struct diag *d);
/* Wait for the next result: 0 with *w, *tag and out (replaced) set, or
 * -1 with d set when the workers are gone (see explore_pool_free). */
int explore_pool_wait(struct explore_pool *p, int *w, uint64_t *tag,
                      struct str *out, struct diag *d);
/* Stop the workers and wait for them.  Returns the middle process's exit
 * status: 0, or what setup returned, or 128 + a signal. */
int explore_pool_free(struct explore_pool *p);

#endif
