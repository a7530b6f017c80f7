/*
 * bench-evlog: how fast the event log writes and reads, and how compact it
 * is.  Writes N events of a typical mix (positions, states, switches, queue
 * operations, some output) to an anonymous log, reads them back, and prints
 * events per second each way and bytes per event.  Wall-clock numbers, for
 * people; no test asserts on them.
 *
 *   tests/bench/bench-evlog [N]        (default 10000000)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "harness/evmix.h"
#include "log/evlog.h"
#include "util/util.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;
    struct diag d;
    struct evlog *log;
    struct evlog_reader *r;
    struct ev ev;
    uint64_t got = 0, sum = 0;
    double t0, t1, t2;
    char msg[1024];

    if (n == 0) {
        fprintf(stderr, "usage: bench-evlog [N > 0]\n");
        return 2;
    }
    log = evlog_new(NULL, &d);
    if (log == NULL) {
        diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "bench-evlog: %s\n", msg);
        return 1;
    }
    t0 = now();
    evmix_write(log, n);
    if (evlog_flush(log, &d) < 0) {
        diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "bench-evlog: %s\n", msg);
        evlog_free(log);
        return 1;
    }
    t1 = now();
    r = evlog_open_fd(evlog_fd(log), &d);
    if (r == NULL) {
        diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "bench-evlog: %s\n", msg);
        evlog_free(log);
        return 1;
    }
    while (evlog_next(r, &ev, &d) == 1) {
        got++;
        sum += (uint64_t)ev.actor + ev.step;    /* touch what was decoded */
    }
    t2 = now();
    printf("events:       %llu (read back %llu, checksum %llu)\n",
           (unsigned long long)n, (unsigned long long)got,
           (unsigned long long)sum);
    printf("write:        %.1f M events/s\n", (double)n / (t1 - t0) / 1e6);
    printf("read:         %.1f M events/s\n", (double)got / (t2 - t1) / 1e6);
    printf("bytes/event:  %.2f (%llu bytes)\n",
           (double)(evlog_bytes(log) - 16) / (double)n,
           (unsigned long long)evlog_bytes(log));
    evlog_close(r);
    evlog_free(log);
    return got == n ? 0 : 1;
}
