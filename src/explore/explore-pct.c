/*
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi
 * and Nagarakatte, "A randomized scheduler with probabilistic guarantees
 * of finding bugs", ASPLOS 2010).  Each run gives the actors random
 * priorities, always runs the highest-priority ready one, and at d - 1
 * change points, drawn uniformly among the k choices a run meets, lowers
 * the running actor below every other.  A bug of depth d is then found by
 * each run with probability at least 1 / (n k^(d-1)).  k is measured by
 * the first of the cfg.runs runs, which takes fifo's choices; the others
 * are PCT runs with seeds drawn from --seed.  Keys: the run's number.
 * Layer: explore.
 */
#include "config.h"

#include "explore/internal.h"

static int
pct_init(struct explore *ex, struct diag *d)
{
    uint32_t key = 0;
    struct explore__node *n;

    (void)d;
    if (ex->cfg.runs == 0) {
        return 0;
    }
    n = explore__node_new(ex, &key, 1);
    n->mode = EXPLORE__DEFAULT;
    ex->next = 1;
    return 0;
}

/* The PCT runs, on demand, once the first run measured k. */
static void
pct_more(struct explore *ex)
{
    uint32_t key;
    struct explore__node *n;

    if (ex->horizon == 0 || ex->next >= ex->cfg.runs
        || ex->next > UINT32_MAX) {
        return;
    }
    key = (uint32_t)ex->next;
    n = explore__node_new(ex, &key, 1);
    n->mode = EXPLORE__PCT;
    n->seed = explore__seed(ex, ex->next);
    ex->next++;
}

static void
pct_plan(struct explore *ex, struct explore__node *n, struct str *plan)
{
    struct explore__plan h = {
        .mode = n->mode, .seed = n->seed, .depth = (uint32_t)ex->cfg.depth,
        .horizon = ex->horizon,
    };

    explore__plan_head(plan, &h);
}

static int
pct_done(struct explore *ex, struct explore__node *n,
         const struct explore_result *r, struct diag *d)
{
    (void)d;
    if (n->mode == EXPLORE__DEFAULT) {
        ex->horizon = r->nchoices > 0 ? r->nchoices : 1;
    }
    return 0;
}

const struct explore__strategy explore_pct_strategy = {
    .name = "pct",
    .init = pct_init,
    .more = pct_more,
    .plan = pct_plan,
    .done = pct_done,
};
