/*
 * Random exploration: cfg.runs runs, each with its own seed drawn from
 * --seed, taking a uniformly random candidate at every choice (at a
 * visible point, the running actor is one of the candidates).  Runs are
 * independent: run i's key is i, and its plan only carries its seed.
 * Layer: explore.
 */
#include "config.h"

#include "explore/internal.h"

static int
random_init(struct explore *ex, struct diag *d)
{
    (void)d;
    ex->next = 0;
    return 0;
}

/* Runs are made on demand, so a million of them cost no memory up front. */
static void
random_more(struct explore *ex)
{
    uint32_t key;
    struct explore__node *n;

    if (ex->next >= ex->cfg.runs || ex->next > UINT32_MAX) {
        return;
    }
    key = (uint32_t)ex->next;
    n = explore__node_new(ex, &key, 1);
    n->mode = EXPLORE__RANDOM;
    n->seed = explore__seed(ex, ex->next);
    ex->next++;
}

static void
random_plan(struct explore *ex, struct explore__node *n, struct str *plan)
{
    struct explore__plan h = { .mode = n->mode, .seed = n->seed };

    (void)ex;
    explore__plan_head(plan, &h);
}

static int
random_done(struct explore *ex, struct explore__node *n,
            const struct explore_result *r, struct diag *d)
{
    (void)ex;
    (void)n;
    (void)r;
    (void)d;
    return 0;
}

const struct explore__strategy explore_random_strategy = {
    .name = "random",
    .init = random_init,
    .more = random_more,
    .plan = random_plan,
    .done = random_done,
};
