/*
 * The search: nodes (one per run) handed out in key order, results taken
 * back in any order, and the histogram of outcomes counted in key order
 * (internal.h says why that makes the answer independent of --jobs).  The
 * strategies (explore-dfs.c, explore-random.c, explore-pct.c) decide which
 * nodes exist; this file keeps them, orders them and counts.  Layer:
 * explore, plain C.
 */
#include "config.h"

#include "explore/explore.h"

#include <stdlib.h>
#include <string.h>

#include "explore/internal.h"

/* ---- Keys and heaps --------------------------------------------------- */

static int
key_cmp(const struct explore__node *a, const struct explore__node *b)
{
    uint32_t n = a->keylen < b->keylen ? a->keylen : b->keylen;

    for (uint32_t i = 0; i < n; i++) {
        if (a->key[i] != b->key[i]) {
            return a->key[i] < b->key[i] ? -1 : 1;
        }
    }
    return a->keylen < b->keylen ? -1 : a->keylen > b->keylen;
}

static void
heap_push(struct explore__node ***heap, size_t *n, size_t *cap,
          struct explore__node *x)
{
    size_t i;

    if (*n == *cap) {
        *cap = *cap != 0 ? *cap * 2 : 64;
        *heap = xrealloc(*heap, *cap * sizeof **heap);
    }
    i = (*n)++;
    while (i > 0 && key_cmp(x, (*heap)[(i - 1) / 2]) < 0) {
        (*heap)[i] = (*heap)[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    (*heap)[i] = x;
}

static struct explore__node *
heap_pop(struct explore__node **heap, size_t *n)
{
    struct explore__node *top = heap[0], *last = heap[--*n];
    size_t i = 0;

    for (;;) {
        size_t c = 2 * i + 1;

        if (c >= *n) {
            break;
        }
        if (c + 1 < *n && key_cmp(heap[c + 1], heap[c]) < 0) {
            c++;
        }
        if (key_cmp(last, heap[c]) <= 0) {
            break;
        }
        heap[i] = heap[c];
        i = c;
    }
    if (*n > 0) {
        heap[i] = last;
    }
    return top;
}

/* ---- Nodes ---------------------------------------------------------------- */

struct explore__node *
explore__node_new(struct explore *ex, const uint32_t *key, uint32_t keylen)
{
    struct explore__node *n = xcalloc(1, sizeof *n);

    n->id = ex->nnodes;
    n->state = EXPLORE__PENDING;
    n->key = xmalloc((keylen > 0 ? keylen : 1) * sizeof *n->key);
    memcpy(n->key, key, keylen * sizeof *key);
    n->keylen = keylen;
    if (ex->nnodes == ex->cap_nodes) {
        ex->cap_nodes = ex->cap_nodes != 0 ? ex->cap_nodes * 2 : 256;
        ex->nodes = xrealloc(ex->nodes, ex->cap_nodes * sizeof *ex->nodes);
    }
    ex->nodes[ex->nnodes++] = n;
    heap_push(&ex->pending, &ex->npending, &ex->cap_pending, n);
    return n;
}

void
explore__plan_head(struct str *plan, const struct explore__plan *h)
{
    str_add(plan, h, sizeof *h);
}

uint64_t
explore__seed(const struct explore *ex, uint64_t i)
{
    uint64_t st = ex->cfg.seed ^ (0x6a09e667f3bcc909ULL * (i + 1));

    return rng_next(&st);
}

/* ---- Outcomes ------------------------------------------------------------- */

/* FNV-1a over what makes two outcomes the same. */
static uint64_t
outcome_hash(const struct explore_result *r)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < r->out_len; i++) {
        h = (h ^ (unsigned char)r->out[i]) * 0x100000001b3ULL;
    }
    h = (h ^ (uint64_t)(unsigned)r->status) * 0x100000001b3ULL;
    h = (h ^ (uint64_t)r->deadlock) * 0x100000001b3ULL;
    h = (h ^ (uint64_t)r->limit) * 0x100000001b3ULL;
    return h;
}

static bool
outcome_is(const struct explore_outcome *o, const struct explore_result *r)
{
    return o->status == r->status && o->deadlock == r->deadlock
           && o->limit == r->limit && o->out_len == r->out_len
           && memcmp(o->out, r->out, r->out_len) == 0;
}

static void
outcome_rehash(struct explore *ex)
{
    size_t nslots = ex->nslots != 0 ? ex->nslots * 2 : 64;
    size_t *slots = xcalloc(nslots, sizeof *slots);
    uint64_t *hashes = xcalloc(nslots, sizeof *hashes);

    for (size_t i = 0; i < ex->nslots; i++) {
        size_t j;

        if (ex->slots[i] == 0) {
            continue;
        }
        for (j = ex->slot_hash[i] & (nslots - 1); slots[j] != 0;
             j = (j + 1) & (nslots - 1)) {
            continue;
        }
        slots[j] = ex->slots[i];
        hashes[j] = ex->slot_hash[i];
    }
    free(ex->slots);
    free(ex->slot_hash);
    ex->slots = slots;
    ex->slot_hash = hashes;
    ex->nslots = nslots;
}

/* The outcome r belongs to, made (with a count of 0) if it is new. */
static size_t
outcome_intern(struct explore *ex, const struct explore_result *r)
{
    uint64_t h = outcome_hash(r);
    struct explore_outcome *o;
    size_t j;

    if (2 * (ex->noutcomes + 1) > ex->nslots) {
        outcome_rehash(ex);
    }
    for (j = h & (ex->nslots - 1); ex->slots[j] != 0;
         j = (j + 1) & (ex->nslots - 1)) {
        if (ex->slot_hash[j] == h
            && outcome_is(&ex->outcomes[ex->slots[j] - 1], r)) {
            return ex->slots[j] - 1;
        }
    }
    if (ex->noutcomes == ex->cap_outcomes) {
        ex->cap_outcomes = ex->cap_outcomes != 0 ? ex->cap_outcomes * 2 : 16;
        ex->outcomes = xrealloc(ex->outcomes,
                                ex->cap_outcomes * sizeof *ex->outcomes);
        ex->order = xrealloc(ex->order,
                             ex->cap_outcomes * sizeof *ex->order);
    }
    o = &ex->outcomes[ex->noutcomes];
    memset(o, 0, sizeof *o);
    o->out = xmalloc(r->out_len + 1);
    memcpy(o->out, r->out, r->out_len);
    o->out[r->out_len] = '\0';
    o->out_len = r->out_len;
    o->status = r->status;
    o->deadlock = r->deadlock;
    o->limit = r->limit;
    o->first = UINT64_MAX;
    ex->slots[j] = ++ex->noutcomes;
    ex->slot_hash[j] = h;
    return ex->noutcomes - 1;
}

/* ---- Counting in key order ---------------------------------------------- */

/* The smallest key not yet done, or NULL when every node made is done. */
static const struct explore__node *
first_not_done(const struct explore *ex)
{
    const struct explore__node *m = ex->npending > 0 ? ex->pending[0] : NULL;

    for (size_t i = 0; i < ex->running; i++) {
        const struct explore__node *n = ex->running_v[i];

        if (m == NULL || key_cmp(n, m) < 0) {
            m = n;
        }
    }
    return m;
}

/* Count every done node that nothing unknown can precede. */
static void
count_ready(struct explore *ex)
{
    const struct explore__node *limit = first_not_done(ex);

    while (ex->ndone > 0 && !ex->capped
           && (limit == NULL || key_cmp(ex->done[0], limit) < 0)) {
        struct explore__node *n;
        struct explore_outcome *o;

        if (ex->cfg.max_executions != 0
            && ex->counted >= ex->cfg.max_executions) {
            ex->capped = true;
            break;
        }
        n = heap_pop(ex->done, &ex->ndone);
        o = &ex->outcomes[n->outcome];
        if (o->count++ == 0) {
            o->first = ex->counted;
            o->schedule = n->schedule;
            n->schedule = NULL;
            ex->order[ex->norder++] = n->outcome;
        }
        free(n->schedule);
        n->schedule = NULL;
        n->state = EXPLORE__COUNTED;
        ex->counted++;
    }
    if (ex->cfg.max_executions != 0 && ex->counted >= ex->cfg.max_executions
        && (ex->ndone > 0 || ex->npending > 0 || ex->running > 0)) {
        ex->capped = true;
    }
}

/* ---- The interface -------------------------------------------------------- */

struct explore *
explore_new(const struct explore_config *cfg, struct diag *d)
{
    struct explore *ex;

    if (cfg->strategy == EXPLORE_SYSTEMATIC && cfg->preemptions < 0) {
        diag_set(d, _("the preemption bound must not be negative"));
        return NULL;
    }
    if (cfg->strategy == EXPLORE_PCT
        && (cfg->depth < 1 || cfg->depth > EXPLORE_MAX_DEPTH)) {
        diag_set(d, _("the PCT depth must be from 1 to %d, not %d"),
                 EXPLORE_MAX_DEPTH, cfg->depth);
        return NULL;
    }
    ex = xcalloc(1, sizeof *ex);
    ex->cfg = *cfg;
    switch (cfg->strategy) {
    case EXPLORE_SYSTEMATIC:
        ex->strategy = &explore_dfs_strategy;
        break;
    case EXPLORE_RANDOM:
        ex->strategy = &explore_random_strategy;
        break;
    case EXPLORE_PCT:
        ex->strategy = &explore_pct_strategy;
        break;
    }
    if (ex->strategy->init(ex, d) < 0) {
        explore_free(ex);
        return NULL;
    }
    return ex;
}

void
explore_free(struct explore *ex)
{
    if (ex == NULL) {
        return;
    }
    for (size_t i = 0; i < ex->nnodes; i++) {
        free(ex->nodes[i]->key);
        free(ex->nodes[i]->chosen);
        free(ex->nodes[i]->schedule);
        free(ex->nodes[i]);
    }
    for (size_t i = 0; i < ex->noutcomes; i++) {
        free(ex->outcomes[i].out);
        free(ex->outcomes[i].schedule);
    }
    free(ex->nodes);
    free(ex->pending);
    free(ex->done);
    free(ex->outcomes);
    free(ex->order);
    free(ex->running_v);
    free(ex->slots);
    free(ex->slot_hash);
    free(ex);
}

int
explore_next(struct explore *ex, uint64_t *id, struct str *plan)
{
    struct explore__node *n;

    count_ready(ex);
    if (ex->capped) {
        return -1;
    }
    if (ex->npending == 0 && ex->strategy->more != NULL) {
        ex->strategy->more(ex);
    }
    if (ex->npending == 0) {
        return ex->running > 0 ? 0 : -1;
    }
    n = heap_pop(ex->pending, &ex->npending);
    n->state = EXPLORE__RUNNING;
    if (ex->running == ex->cap_running) {
        ex->cap_running = ex->cap_running != 0 ? ex->cap_running * 2 : 8;
        ex->running_v = xrealloc(ex->running_v,
                                 ex->cap_running * sizeof *ex->running_v);
    }
    ex->running_v[ex->running++] = n;
    *id = n->id;
    ex->strategy->plan(ex, n, plan);
    return 1;
}

int
explore_done(struct explore *ex, uint64_t id, const struct explore_result *r,
             struct diag *d)
{
    struct explore__node *n;

    if (id >= ex->nnodes || ex->nodes[id]->state != EXPLORE__RUNNING) {
        diag_set(d, "explore: result for run %llu, which is not running",
                 (unsigned long long)id);
        return -1;
    }
    n = ex->nodes[id];
    n->state = EXPLORE__DONE;
    for (size_t i = 0; i < ex->running; i++) {
        if (ex->running_v[i] == n) {
            ex->running_v[i] = ex->running_v[--ex->running];
            break;
        }
    }
    n->outcome = outcome_intern(ex, r);
    n->schedule = xstrdup(r->schedule != NULL ? r->schedule : "");
    heap_push(&ex->done, &ex->ndone, &ex->cap_done, n);
    if (r->diverged) {
        ex->diverged++;
    } else {
        if (r->truncated) {
            ex->incomplete = true;
        }
        if (ex->strategy->done(ex, n, r, d) < 0) {
            return -1;
        }
    }
    count_ready(ex);
    return 0;
}

size_t
explore_running(const struct explore *ex)
{
    return ex->running;
}

uint64_t
explore_executions(const struct explore *ex)
{
    return ex->counted;
}

bool
explore_exhausted(const struct explore *ex)
{
    /* A run a bound stopped (--max-steps) had more schedules after the
     * cut than the search could see. */
    for (size_t i = 0; i < ex->norder; i++) {
        if (ex->outcomes[ex->order[i]].limit) {
            return false;
        }
    }
    return ex->cfg.strategy == EXPLORE_SYSTEMATIC && !ex->capped
           && !ex->incomplete && ex->diverged == 0 && ex->npending == 0
           && ex->running == 0 && ex->ndone == 0;
}

bool
explore_capped(const struct explore *ex)
{
    return ex->capped || ex->incomplete;
}

uint64_t
explore_diverged(const struct explore *ex)
{
    return ex->diverged;
}

size_t
explore_noutcomes(const struct explore *ex)
{
    return ex->norder;
}

const struct explore_outcome *
explore_outcome(const struct explore *ex, size_t i)
{
    return i < ex->norder ? &ex->outcomes[ex->order[i]] : NULL;
}
