/*
 * telar lint LOG: the lints of log/lint.c over an event log written by
 * `telar run --log LOG`: blocking steps of asyncio tasks, coroutines never
 * awaited, lost tasks, locks held across awaits and sleeps, queues that
 * only grow, threads nobody joined, saturated thread pools.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log/evlog.h"
#include "log/lint.h"
#include "util/util.h"

#define CMD_LINT_USAGE 2

enum {
    OPT_BLOCKING_MS = 256,
    OPT_QUEUE_GROWTH,
    OPT_POOL_MS,
    OPT_HELP,
};

static const struct option lint_options[] = {
    { "blocking-ms", required_argument, NULL, OPT_BLOCKING_MS },
    { "queue-growth", required_argument, NULL, OPT_QUEUE_GROWTH },
    { "pool-ms", required_argument, NULL, OPT_POOL_MS },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 }
};

static void
lint_usage(FILE *f)
{
    fprintf(f, "%s", _(
"Usage: telar lint [OPTION]... LOG\n"
"Look for the mistakes of concurrent code in an event log written by\n"
"'telar run --log LOG', and print one warning for each.\n"
"\n"
"  --blocking-ms N     an asyncio task that runs N ms of virtual time in\n"
"                      one step blocks its loop (default 100)\n"
"  --queue-growth N    an unbounded queue that grows to N items without\n"
"                      its consumers catching up (default 100)\n"
"  --pool-ms N         a thread pool with every worker busy and requests\n"
"                      waiting for N ms (default 100)\n"
"  --help              show this help and exit\n"
"\n"
"Checks: blocking-step, never-awaited, lost-task, lock-await,\n"
"queue-growth, unjoined-thread, pool-saturated.\n"
"\n"
"Exit status: 0 with no warnings, 1 with warnings, 2 for a usage error\n"
"or a log that cannot be read.\n"));
}

static int
usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "telar lint: ");
    fprintf(stderr, _("%s needs a positive integer, not '%s'"), what, arg);
    fprintf(stderr, "\n%s\n",
            _("Try 'telar lint --help' for more information."));
    return CMD_LINT_USAGE;
}

static int
parse_positive(const char *s, int64_t max, int64_t *out)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

static int
cmd_lint_exec(int argc, char **argv)
{
    struct lint_opts o;
    struct evlog_reader *r;
    struct diag d;
    int64_t v;
    int c, n;

    lint_opts_init(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "", lint_options, NULL)) != -1) {
        switch (c) {
        case OPT_BLOCKING_MS:
            if (parse_positive(optarg, INT64_MAX / 1000000, &v) < 0) {
                return usage_error("--blocking-ms", optarg);
            }
            o.blocking_ns = v * 1000000;
            break;
        case OPT_QUEUE_GROWTH:
            if (parse_positive(optarg, INT32_MAX, &v) < 0) {
                return usage_error("--queue-growth", optarg);
            }
            o.queue_growth = v;
            break;
        case OPT_POOL_MS:
            if (parse_positive(optarg, INT64_MAX / 1000000, &v) < 0) {
                return usage_error("--pool-ms", optarg);
            }
            o.pool_ns = v * 1000000;
            break;
        case OPT_HELP:
            lint_usage(stdout);
            return 0;
        default:
            fprintf(stderr, "%s\n",
                    _("Try 'telar lint --help' for more information."));
            return CMD_LINT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "telar lint: %s\n%s\n",
                optind >= argc ? _("missing the event LOG")
                               : _("only one LOG at a time"),
                _("Try 'telar lint --help' for more information."));
        return CMD_LINT_USAGE;
    }
    r = evlog_open(argv[optind], &d);
    if (r == NULL) {
        fprintf(stderr, "telar lint: %s: %s\n", argv[optind], d.msg);
        return CMD_LINT_USAGE;
    }
    n = lint_report(r, stdout, &o, &d);
    evlog_close(r);
    if (n < 0) {
        fprintf(stderr, "telar lint: %s: %s\n", argv[optind], d.msg);
        return CMD_LINT_USAGE;
    }
    return n > 0 ? 1 : 0;
}

const struct cmd_entry cmd_lint_entry = {
    .name = "lint",
    .summary = N_("look for concurrency mistakes in an event log"),
    .exec = cmd_lint_exec,
};
