/*
 * What the files of src/explore share: the search's nodes, the plan a run
 * follows and the trace it writes back, and the interface each strategy
 * (explore-dfs.c, explore-random.c, explore-pct.c) plugs into explore.c.
 *
 * Canonical order.  Every run is a node with a key, a vector of integers
 * fixed when the node is made; keys compare lexicographically, a prefix
 * first.  The histogram counts runs in key order and each outcome keeps
 * the schedule of its first run in that order, so the answer does not
 * depend on how many workers ran the nodes, nor on when they finished.  A
 * node's children always have greater keys than the node itself, so once
 * every node made so far with a key below k is done, nothing made later
 * can come before k: explore.c commits runs in key order up to the
 * smallest key not done yet, and the --max-executions cap cuts that order
 * at the same place every time.
 */
#ifndef TELAR_EXPLORE_INTERNAL_H
#define TELAR_EXPLORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "explore/explore.h"

/* ---- Plans: what a run is told (explore.c writes, explore-run.c reads) */

enum explore__mode {
    EXPLORE__DEFAULT,           /* the prefix, then fifo's choice */
    EXPLORE__RANDOM,            /* the prefix, then uniform choices */
    EXPLORE__PCT,               /* the prefix, then PCT's priorities */
};

/* The head of a plan; nprefix int32 actor ids follow it. */
struct explore__plan {
    uint32_t mode;              /* enum explore__mode */
    uint32_t nprefix;           /* choices forced by the prefix */
    uint32_t depth;             /* PCT: d */
    uint32_t record;            /* write the trace of choices after it */
    uint64_t seed;              /* RANDOM, PCT */
    uint64_t horizon;           /* PCT: choices the change points fall in */
};

/* ---- Traces: the choices a run met past its prefix, one record each:
 * this head, then n int32 candidate ids. */
struct explore__rec {
    uint64_t step;
    int32_t current;            /* POINT: the running actor */
    uint16_t n;                 /* candidates */
    uint16_t chosen;            /* index of the one taken */
    uint8_t kind;               /* enum sched_choice_kind */
    uint8_t reason;             /* enum ev_reason */
    uint8_t pad[2];
};

/* ---- Nodes: one per run of the search ------------------------------------- */

enum explore__state {
    EXPLORE__PENDING,           /* made, not yet handed out */
    EXPLORE__RUNNING,
    EXPLORE__DONE,              /* result in, not yet counted */
    EXPLORE__COUNTED,
};

/* Owned by the search (ex->nodes), freed with it. */
struct explore__node {
    uint64_t id;                /* its index in ex->nodes */
    enum explore__state state;
    uint32_t *key;              /* canonical order */
    uint32_t keylen;
    /* systematic: the run's place in the tree */
    struct explore__node *parent;
    uint32_t start;             /* its prefix length: first choice it records */
    int32_t actor;              /* the actor its last prefix choice takes */
    uint32_t cost;              /* preemptions in its prefix */
    uint32_t nkids;             /* children made so far (their key digit) */
    int32_t *chosen;            /* after it ran: actors at choices start.. */
    uint32_t nchosen;
    /* random, pct */
    uint64_t seed;
    enum explore__mode mode;
    /* after it ran, until counted */
    size_t outcome;             /* index into ex->outcomes */
    char *schedule;
};

struct explore__strategy {
    const char *name;
    /* Make the first nodes.  0, or -1 with d set. */
    int (*init)(struct explore *ex, struct diag *d);
    /* Make more nodes, if the strategy makes them on demand. */
    void (*more)(struct explore *ex);
    /* The plan of node n (a head and its prefix). */
    void (*plan)(struct explore *ex, struct explore__node *n,
                 struct str *plan);
    /* Node n ran: make its children.  0, or -1 with d set. */
    int (*done)(struct explore *ex, struct explore__node *n,
                const struct explore_result *r, struct diag *d);
};

extern const struct explore__strategy explore_dfs_strategy;
extern const struct explore__strategy explore_random_strategy;
extern const struct explore__strategy explore_pct_strategy;

/* The search's state.  Owned by its creator; explore_free frees. */
struct explore {
    struct explore_config cfg;
    const struct explore__strategy *strategy;
    struct explore__node **nodes;
    size_t nnodes, cap_nodes;
    /* pending nodes, a heap by key */
    struct explore__node **pending;
    size_t npending, cap_pending;
    /* done but not yet counted, a heap by key */
    struct explore__node **done;
    size_t ndone, cap_done;
    struct explore__node **running_v;   /* handed out, not yet done */
    size_t running, cap_running;
    uint64_t counted;
    bool capped;                /* the cap stopped the search */
    bool incomplete;            /* a trace was cut: children are missing */
    uint64_t diverged;
    /* outcomes, in order of first appearance, and a hash index */
    struct explore_outcome *outcomes;
    size_t noutcomes, cap_outcomes;
    size_t *order;              /* counted outcomes, first seen first */
    size_t norder;
    size_t *slots;              /* open addressing: index + 1, 0 empty */
    uint64_t *slot_hash;
    size_t nslots;
    /* strategy state */
    uint64_t next;              /* random, pct: the next run's number */
    uint64_t horizon;           /* pct: measured by the first run */
};

/* explore.c, for the strategies: a new pending node with the given key
 * (copied), parent and prefix place. */
struct explore__node *explore__node_new(struct explore *ex,
                                        const uint32_t *key, uint32_t keylen);
/* Append a plan head to plan. */
void explore__plan_head(struct str *plan, const struct explore__plan *h);
/* A seed for run i of a random strategy, from the configured one. */
uint64_t explore__seed(const struct explore *ex, uint64_t i);

#endif
