/*
 * The typical record stream shared by the density test and the benchmark.
 */
#include "config.h"

#include "evmix.h"

#include "util/util.h"

void
evmix_write(struct evlog *log, uint64_t n)
{
    uint64_t seed = 7, step = 0;
    int64_t time = 0;
    int cur = 0;

    for (uint64_t i = 0; i < n; i++) {
        uint64_t dice = rng_below(&seed, 100);
        struct ev ev = { .kind = EV_POS, .actor = cur, .obj = -1 };

        step++;
        time += 10 * (int64_t)(1 + rng_below(&seed, 4));
        if (dice < 70) {
            ev.a = (int64_t)rng_below(&seed, 40);
            ev.b = 10 + (int64_t)rng_below(&seed, 200);
            ev.c = 2 * (int64_t)rng_below(&seed, 120);
        } else if (dice < 85) {
            ev.kind = EV_STATE;
            ev.a = (int64_t)rng_below(&seed, EV_ST_DONE);
            ev.obj = dice < 80 ? -1 : (int)rng_below(&seed, 20);
            ev.x = ev.a == EV_ST_SLEEPING ? time + 100000000 : EVLOG_NEVER;
        } else if (dice < 95) {
            int next = (int)rng_below(&seed, 8);

            ev.kind = EV_SWITCH;
            ev.b = cur;
            ev.actor = next;
            ev.a = EV_WHY_PREEMPT;
            cur = next;
        } else if (dice < 99) {
            ev.kind = EV_OBJ_OP;
            ev.obj = (int)rng_below(&seed, 20);
            ev.a = EV_OP_PUT + (int64_t)rng_below(&seed, 2);
            ev.x = (int64_t)rng_below(&seed, 10);
        } else {
            ev.kind = EV_OUTPUT;
            ev.a = 1;
            ev.str = "item 17 done\n";
            ev.len = 13;
        }
        evlog_put(log, step, time, &ev);
    }
}
