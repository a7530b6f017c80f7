/*
 * Systematic exploration with a preemption bound, as CHESS does
 * (Musuvathi and Qadeer, "Iterative context bounding", PLDI 2007).  The
 * runs form a tree: the first takes fifo's choice everywhere; a run with a
 * prefix of p forced choices has a child for every other candidate of
 * every choice it met past p, forcing that choice and everything before
 * it.  Taking another actor at a point preempts the running one and costs
 * one preemption; choosing among ready actors after a block, an exit or a
 * yield costs none.  Children over the bound are never made, so the tree
 * is every schedule within the bound, each run once.
 *
 * Iterative bounding: keys put every run with c preemptions before any
 * with c + 1.  A child that costs nothing continues its parent's key (the
 * parent's key and its child number: depth-first order); one that
 * preempts starts a key of its own, c + 1 followed by its parent's key
 * and child number, so the runs with one more preemption come after, in
 * the order their parents came.  Layer: explore.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "explore/internal.h"

static int
dfs_init(struct explore *ex, struct diag *d)
{
    uint32_t key = 0;
    struct explore__node *root = explore__node_new(ex, &key, 1);

    (void)d;
    root->parent = NULL;
    root->start = 0;
    root->cost = 0;
    return 0;
}

/* The actors a run's prefix forces, choice by choice: each ancestor
 * supplies the choices it made between its own prefix and the branch of
 * the next one down. */
static void
dfs_plan(struct explore *ex, struct explore__node *n, struct str *plan)
{
    struct explore__plan h = { .mode = EXPLORE__DEFAULT, .record = 1 };
    int32_t *prefix = xcalloc(n->start > 0 ? n->start : 1, sizeof *prefix);

    (void)ex;
    for (struct explore__node *x = n; x->parent != NULL; x = x->parent) {
        struct explore__node *p = x->parent;
        uint32_t branch = x->start - 1;

        prefix[branch] = x->actor;
        for (uint32_t j = p->start; j < branch; j++) {
            prefix[j] = p->chosen[j - p->start];
        }
    }
    h.nprefix = n->start;
    explore__plan_head(plan, &h);
    str_add(plan, prefix, n->start * sizeof *prefix);
    free(prefix);
}

/* A child of n that takes actor at choice `at`, costing cost. */
static void
dfs_child(struct explore *ex, struct explore__node *n, uint32_t at,
          int32_t actor, uint32_t cost)
{
    uint32_t digit = n->nkids++;
    uint32_t keylen = cost == n->cost ? n->keylen + 1 : n->keylen + 2;
    uint32_t *key = xmalloc(keylen * sizeof *key);
    struct explore__node *c;

    if (cost == n->cost) {
        memcpy(key, n->key, n->keylen * sizeof *key);
    } else {
        key[0] = cost;
        memcpy(key + 1, n->key, n->keylen * sizeof *key);
    }
    key[keylen - 1] = digit;
    c = explore__node_new(ex, key, keylen);
    free(key);
    c->parent = n;
    c->start = at + 1;
    c->actor = actor;
    c->cost = cost;
}

static int
dfs_done(struct explore *ex, struct explore__node *n,
         const struct explore_result *r, struct diag *d)
{
    const unsigned char *p = r->trace, *end = r->trace + r->trace_len;
    uint32_t at = n->start, cap = 0;

    /* First the actors it chose (its children's prefixes need them),
     * then the children, in the order of the choices. */
    for (int pass = 0; pass < 2; pass++) {
        p = r->trace;
        at = n->start;
        while (p < end) {
            struct explore__rec rec;
            int32_t cand;

            if ((size_t)(end - p) < sizeof rec) {
                goto bad;
            }
            memcpy(&rec, p, sizeof rec);
            p += sizeof rec;
            if ((size_t)(end - p) < rec.n * sizeof cand || rec.chosen >= rec.n
                || rec.n < 2) {
                goto bad;
            }
            if (pass == 0) {
                if (n->nchosen == cap) {
                    cap = cap != 0 ? cap * 2 : 64;
                    n->chosen = xrealloc(n->chosen, cap * sizeof *n->chosen);
                }
                memcpy(&cand, p + rec.chosen * sizeof cand, sizeof cand);
                n->chosen[n->nchosen++] = cand;
            } else {
                for (uint16_t i = 0; i < rec.n; i++) {
                    uint32_t cost = n->cost;

                    if (i == rec.chosen) {
                        continue;
                    }
                    memcpy(&cand, p + i * sizeof cand, sizeof cand);
                    if (rec.kind == SCHED_CHOICE_POINT
                        && cand != rec.current) {
                        cost++;
                    }
                    if (cost <= (uint32_t)ex->cfg.preemptions) {
                        dfs_child(ex, n, at, cand, cost);
                    }
                }
            }
            p += rec.n * sizeof cand;
            at++;
        }
    }
    return 0;
bad:
    diag_set(d, "explore: a damaged trace (run %llu, choice %u)",
             (unsigned long long)n->id, at);
    return -1;
}

static void
dfs_no_more(struct explore *ex)
{
    (void)ex;
}

const struct explore__strategy explore_dfs_strategy = {
    .name = "systematic",
    .init = dfs_init,
    .more = dfs_no_more,
    .plan = dfs_plan,
    .done = dfs_done,
};
