/*
 * telar run FILE.py [OPTIONS] [-- ARGS...]: run a scenario.  With
 * --headless the engine runs in this process and the scenario's output goes
 * straight to stdout and stderr, as python3's would.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/engine.h"
#include "tui/loop.h"
#include "tui/page-scenario.h"
#include "tui/tty.h"
#include "util/util.h"

enum {
    OPT_HEADLESS = 256,
    OPT_SEED,
    OPT_POLICY,
    OPT_PREEMPT_RATE,
    OPT_SCHEDULE,
    OPT_PRINT_SCHEDULE,
    OPT_MAX_STEPS,
    OPT_TIMELINE,
    OPT_TRACE,
    OPT_LOG,
    OPT_MAX_MEMORY,
    OPT_STATS,
    OPT_CORES,
    OPT_LINT,
    OPT_CONTROL,
    OPT_LOG_POSITIONS,
    OPT_WATCH,
    OPT_RACES,
    OPT_HELP,
};

#define RUN_MAX_WATCH 16         /* --watch names */

static const struct option run_options[] = {
    { "headless", no_argument, NULL, OPT_HEADLESS },
    { "seed", required_argument, NULL, OPT_SEED },
    { "policy", required_argument, NULL, OPT_POLICY },
    { "preempt-rate", required_argument, NULL, OPT_PREEMPT_RATE },
    { "schedule", required_argument, NULL, OPT_SCHEDULE },
    { "print-schedule", no_argument, NULL, OPT_PRINT_SCHEDULE },
    { "max-steps", required_argument, NULL, OPT_MAX_STEPS },
    { "timeline", no_argument, NULL, OPT_TIMELINE },
    { "trace", required_argument, NULL, OPT_TRACE },
    { "log", required_argument, NULL, OPT_LOG },
    { "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
    { "stats", no_argument, NULL, OPT_STATS },
    { "cores", required_argument, NULL, OPT_CORES },
    { "lint", no_argument, NULL, OPT_LINT },
    { "control", required_argument, NULL, OPT_CONTROL },
    { "log-positions", no_argument, NULL, OPT_LOG_POSITIONS },
    { "watch", required_argument, NULL, OPT_WATCH },
    { "races", no_argument, NULL, OPT_RACES },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 }
};

static void
run_usage(FILE *f)
{
    fprintf(f, "%s", _(
"Usage: telar run FILE.py [OPTION]... [-- ARG...]\n"
"Run a Python scenario under telar's deterministic scheduler.\n"
"\n"
"  --headless          no user interface: print what python3 would print\n"
"  --seed N            seed of every random decision (default 0)\n"
"  --policy P          gil (default), fifo, preempt, rr:N\n"
"  --preempt-rate R    preempt: chance of a switch per instruction (0.05)\n"
"  --cores N           virtual cores the processes run on (default 4)\n"
"  --schedule STR      replay the decisions of an earlier run\n"
"  --print-schedule    print the run's schedule string to stderr at the end\n"
"  --max-steps N       stop after N scheduler steps (exit 4; 0: no bound)\n"
"  --timeline          print an ASCII timeline to stderr at the end\n"
"  --trace FILE.json   write a Chrome trace (Perfetto) of the run\n"
"  --log FILE          keep the binary event log in FILE\n"
"  --log-positions     log where every actor is at every step and the\n"
"                      bytecode it runs (what 'telar view' steps through)\n"
"  --watch NAME        log the value of the global NAME whenever it\n"
"                      changes (the TUI's state pane shows it)\n"
"  --stats             print steps, switches and log size at the end\n"
"  --lint              report the anti-patterns of 'telar lint' at the end\n"
"  --races             report data races (accesses no lock, queue, start\n"
"                      or join orders) at the end\n"
"  --max-memory SIZE   stop a scenario holding more (exit 4; K, M, G\n"
"                      suffixes; default 2G; 0: no bound)\n"
"  --help              show this help and exit\n"
"\n"
"Exit status: the scenario's own; 1 for an uncaught exception; 2 for a\n"
"usage error; 3 for a deadlock; 4 when --max-steps stops the run.\n"));
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "telar run: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s\n",
            _("Try 'telar run --help' for more information."));
    return ENGINE_EXIT_USAGE;
}

/* "512M", "2G", "1048576": a size in bytes. */
static int
parse_size(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    if (*s == '-' || *s == '\0') {
        return -1;
    }
    v = strtoull(s, &end, 10);
    if (errno != 0 || end == s) {
        return -1;
    }
    switch (*end) {
    case 'K': case 'k': v <<= 10; end++; break;
    case 'M': case 'm': v <<= 20; end++; break;
    case 'G': case 'g': v <<= 30; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b') {
        end++;
    }
    if (*end != '\0') {
        return -1;
    }
    *out = v;
    return 0;
}

/* cmd_tui's opener for telar run FILE in a terminal: the scenario page
 * starts the run (a child: tui/run.c) and shows it. */
static int
open_run(struct loop *l, void *arg, struct diag *d)
{
    (void)d;
    if (l != NULL) {
        loop_push(l, page_scenario_new_run(l, arg, NULL));
    }
    return 0;
}

/* telar run FILE in a terminal: the scenario page on a live run in a
 * child process (its output goes to the log, not the screen), where every
 * step can be visited forwards and backwards. */
static int
run_in_tui(const struct engine_opts *o, const char *keep_log,
           bool cores_given, bool rate_given)
{
    struct tty_options to = { 0 };
    struct run_spec spec = {
        .file = o->file,
        .argv = o->argv,
        .argc = o->argc,
        .policy = o->sched.policy,
        .seed = o->sched.seed,
        .cores = cores_given ? o->sched.cores : 0,
        .schedule = o->sched.schedule,
        .preempt_rate = rate_given ? o->sched.preempt_rate : -1,
        .max_steps = o->sched.max_steps,
        .log_path = keep_log,
        .trace_path = o->trace_path,
        .title = o->file,
        .watch = o->watch,
        .nwatch = (size_t)o->nwatch,
    };

    return cmd_tui(&to, open_run, &spec);
}

static int
cmd_run_exec(int argc, char **argv)
{
    struct engine_opts o;
    struct diag d;
    char *watch[RUN_MAX_WATCH];
    bool headless = false, cores_given = false, rate_given = false;
    int c, status;
    char **full_argv = argv - 1;    /* "telar" "run" ... for re-exec */

    engine_opts_init(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "", run_options, NULL)) != -1) {
        switch (c) {
        case OPT_HEADLESS:
            headless = true;
            break;
        case OPT_SEED:
            if (cmd_parse_u64(optarg, &o.sched.seed) < 0) {
                return usage_error(_("--seed needs a non-negative integer, "
                                     "not '%s'"), optarg);
            }
            break;
        case OPT_POLICY:
            o.sched.policy = optarg;
            break;
        case OPT_PREEMPT_RATE: {
            char *end;

            rate_given = true;
            o.sched.preempt_rate = strtod(optarg, &end);
            if (*end != '\0' || o.sched.preempt_rate < 0
                || o.sched.preempt_rate > 1) {
                return usage_error(_("--preempt-rate needs a number from 0 "
                                     "to 1, not '%s'"), optarg);
            }
            break;
        }
        case OPT_SCHEDULE:
            o.sched.schedule = optarg;
            break;
        case OPT_PRINT_SCHEDULE:
            o.print_schedule = true;
            break;
        case OPT_MAX_STEPS:
            if (cmd_parse_u64(optarg, &o.sched.max_steps) < 0) {
                return usage_error(_("--max-steps needs a non-negative "
                                     "integer, not '%s'"), optarg);
            }
            break;
        case OPT_TIMELINE:
            o.timeline = true;
            break;
        case OPT_TRACE:
            o.trace_path = optarg;
            break;
        case OPT_LOG:
            o.log_path = optarg;
            break;
        case OPT_CORES: {
            uint64_t n;

            if (cmd_parse_u64(optarg, &n) < 0 || n < 1 || n > 256) {
                return usage_error(_("--cores needs a number from 1 to 256, "
                                     "not '%s'"), optarg);
            }
            o.sched.cores = (int)n;
            cores_given = true;
            break;
        }
        case OPT_LINT:
            o.lint = true;
            break;
        case OPT_RACES:
            o.races = true;
            break;
        case OPT_STATS:
            o.stats = true;
            break;
        case OPT_LOG_POSITIONS:
            o.log_lines = true;
            break;
        case OPT_WATCH: {
            const char *p = optarg;

            /* A Python identifier (ASCII is enough for lessons). */
            if (!(isalpha((unsigned char)*p) || *p == '_')) {
                p = NULL;
            }
            while (p != NULL && *p != '\0'
                   && (isalnum((unsigned char)*p) || *p == '_')) {
                p++;
            }
            if (p == NULL || *p != '\0' || o.nwatch >= RUN_MAX_WATCH) {
                return usage_error(_("--watch needs the name of a global "
                                     "variable (at most %d), not '%s'"),
                                   RUN_MAX_WATCH, optarg);
            }
            watch[o.nwatch++] = optarg;
            o.watch = watch;
            o.log_lines = true;
            break;
        }
        case OPT_CONTROL: {
            /* Not in --help: the TUI's own channel to a live run
             * (src/engine/control.c has the protocol). */
            char *end;
            long in = strtol(optarg, &end, 10), out = -1;

            if (*end == ',') {
                out = strtol(end + 1, &end, 10);
            }
            if (*end != '\0' || in < 0 || out < 0 || in > 1024
                || out > 1024) {
                return usage_error(_("--control needs two descriptors, "
                                     "IN,OUT, not '%s'"), optarg);
            }
            o.control_in = (int)in;
            o.control_out = (int)out;
            o.log_lines = true;
            break;
        }
        case OPT_MAX_MEMORY:
            if (parse_size(optarg, &o.max_memory) < 0) {
                return usage_error(_("--max-memory needs a size such as "
                                     "512M or 2G, not '%s'"), optarg);
            }
            break;
        case OPT_HELP:
            run_usage(stdout);
            return 0;
        default:
            fprintf(stderr, "%s\n",
                    _("Try 'telar run --help' for more information."));
            return ENGINE_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        return usage_error("%s", _("missing the scenario FILE.py"));
    }
    o.file = argv[optind];
    o.argc = argc - optind - 1;
    o.argv = argv + optind + 1;
    if (!headless) {
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            return usage_error("%s", _("no terminal to draw on: use "
                                       "--headless to run without the "
                                       "user interface"));
        }
        if (o.stats || o.timeline || o.print_schedule || o.lint) {
            return usage_error("%s", _("--stats, --timeline, "
                                       "--print-schedule and --lint print "
                                       "at the end of a run: use them with "
                                       "--headless"));
        }
        return run_in_tui(&o, o.log_path, cores_given, rate_given);
    }
    cmd_reexec_without_aslr(full_argv);
    status = engine_run(&o, &d);
    if (status == ENGINE_EXIT_USAGE && d.msg[0] != '\0') {
        char buf[1024];

        diag_format(&d, buf, sizeof buf);
        fprintf(stderr, "telar: %s\n", buf);
    }
    return status;
}

const struct cmd_entry cmd_run_entry = {
    .name = "run",
    .summary = N_("run a Python scenario"),
    .exec = cmd_run_exec,
};
