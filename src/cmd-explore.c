/*
 * telar explore FILE.py [OPTIONS] [-- ARGS...]: run a scenario under many
 * schedules and print the histogram of its outcomes (stdout, exit status,
 * deadlock or not), each with a schedule string that `telar run --headless
 * --schedule` replays to that very outcome.  This file is the glue: the
 * search lives in src/explore, the runs in src/engine/zygote.c; here the
 * options are read, the workers fed (each forks its runs from a zygote
 * and sends back what the run printed and the choices it met), and the
 * answer printed, as a table or as one JSON object, and checked against
 * --expect.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/engine.h"
#include "explore/explore.h"
#include "log/evlog.h"
#include "util/util.h"

/* Exit statuses beyond the headless ones (engine.h). */
#define EXPLORE_EXIT_UNEXPECTED 1      /* --expect: a counter-example */

/* Defaults, documented in --help, README and telar.1. */
#define EXPLORE_PREEMPTIONS 2
#define EXPLORE_MAX_EXECUTIONS 10000
#define EXPLORE_MAX_STEPS 100000
#define EXPLORE_PCT_RUNS 1000
#define EXPLORE_TIMEOUT_MS 60000        /* real time per run */
/* A run's shared region: its outcome, its schedule string, its plan and
 * trace.  Reserved, not allocated: only the pages a run writes cost. */
#define EXPLORE_REGION_SIZE ((size_t)256 << 20)
#define EXPLORE_SCHEDULE_CAP ((size_t)1 << 20)

enum {
    OPT_PREEMPTIONS = 256,
    OPT_RANDOM,
    OPT_PCT,
    OPT_SEED,
    OPT_MAX_EXECUTIONS,
    OPT_MAX_STEPS,
    OPT_JOBS,
    OPT_JSON,
    OPT_EXPECT,
    OPT_CORES,
    OPT_STATS,
    OPT_HELP,
};

static const struct option explore_options[] = {
    { "preemptions", required_argument, NULL, OPT_PREEMPTIONS },
    { "random", required_argument, NULL, OPT_RANDOM },
    { "pct", required_argument, NULL, OPT_PCT },
    { "seed", required_argument, NULL, OPT_SEED },
    { "max-executions", required_argument, NULL, OPT_MAX_EXECUTIONS },
    { "max-steps", required_argument, NULL, OPT_MAX_STEPS },
    { "jobs", required_argument, NULL, OPT_JOBS },
    { "json", no_argument, NULL, OPT_JSON },
    { "expect", required_argument, NULL, OPT_EXPECT },
    { "cores", required_argument, NULL, OPT_CORES },
    { "stats", no_argument, NULL, OPT_STATS },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 }
};

static void
explore_usage(FILE *f)
{
    fprintf(f, "%s", _(
"Usage: telar explore FILE.py [OPTION]... [-- ARG...]\n"
"Run a Python scenario under many schedules and print every outcome it\n"
"can reach (stdout, exit status, deadlock), how often, and a schedule\n"
"that reproduces each: telar run FILE.py --headless --schedule 'STRING'.\n"
"\n"
"Strategies (the default is --preemptions 2):\n"
"  --preemptions K     every schedule with at most K preemptions (CHESS);\n"
"                      says whether that space was exhausted\n"
"  --random N          N runs taking random choices, seeded by --seed\n"
"  --pct D             probabilistic concurrency testing with bug depth D;\n"
"                      with --random N, N runs (default 1000)\n"
"\n"
"Options:\n"
"  --seed N            seed of the runs and of random choices (default 0)\n"
"  --max-executions N  stop after N runs (default 10000; 0: no cap)\n"
"  --max-steps N       stop a run after N steps (default 100000): it\n"
"                      counts as an outcome with exit status 4\n"
"  --jobs N            worker processes (default: the CPUs there are);\n"
"                      the answer does not depend on it\n"
"  --cores N           virtual cores the processes run on (default 4)\n"
"  --json              print one JSON object instead of the table\n"
"  --expect OUTCOME    exit 0 if every outcome is one of those expected,\n"
"                      1 with a counter-example otherwise; repeatable\n"
"  --stats             print runs per second and page faults per run\n"
"  --help              show this help and exit\n"
"\n"
"OUTCOME is what the scenario prints, with the final newline implied\n"
"(\\n for a newline inside), for a run that exits 0 without deadlock;\n"
"or 'exit N' (any output, exit status N), 'exit N: TEXT', 'deadlock'\n"
"(any run that deadlocks), 'no deadlock' (any run that does not), or\n"
"'text: TEXT' for a TEXT that reads like one of these.\n"
"\n"
"Switch points are the instructions of scenario code where another thread\n"
"could see a difference (shared reads and writes, calls out of scenario\n"
"code, locks) and every choice among ready threads.  Runs read no\n"
"standard input.\n"
"\n"
"Exit status: 0; 1 when --expect finds a counter-example or the scenario\n"
"cannot start (its error is shown); 2 for a usage error; 4 when a run\n"
"takes more than 60 s of real time.\n"));
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "telar explore: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s\n",
            _("Try 'telar explore --help' for more information."));
    return ENGINE_EXIT_USAGE;
}

/* ---- Expected outcomes -------------------------------------------------- */

enum expect_kind {
    EXPECT_TEXT,                /* this stdout, exit 0, no deadlock */
    EXPECT_EXIT,                /* any stdout, this exit, no deadlock */
    EXPECT_EXIT_TEXT,           /* this stdout and exit, no deadlock */
    EXPECT_DEADLOCK,
    EXPECT_NO_DEADLOCK,
};

struct expect {
    enum expect_kind kind;
    int status;
    struct str text;            /* with its final newline */
};

/* TEXT as the scenario prints it: \n, \t and \\ unescaped, and the final
 * newline print() adds (none for an empty TEXT: a silent run). */
static void
expect_text(struct str *out, const char *s)
{
    for (; *s != '\0'; s++) {
        if (s[0] == '\\' && (s[1] == 'n' || s[1] == 't' || s[1] == '\\')) {
            s++;
            str_addc(out, *s == 'n' ? '\n' : *s == 't' ? '\t' : '\\');
        } else {
            str_addc(out, *s);
        }
    }
    if (out->len > 0) {
        str_addc(out, '\n');
    }
}

/* Parse one --expect.  0, or -1 with d set. */
static int
expect_parse(struct expect *x, const char *s, struct diag *d)
{
    str_init(&x->text);
    x->status = 0;
    if (strcmp(s, "deadlock") == 0) {
        x->kind = EXPECT_DEADLOCK;
    } else if (strcmp(s, "no deadlock") == 0) {
        x->kind = EXPECT_NO_DEADLOCK;
    } else if (strncmp(s, "text:", 5) == 0) {
        x->kind = EXPECT_TEXT;
        expect_text(&x->text, s + 5 + (s[5] == ' '));
    } else if (strncmp(s, "exit ", 5) == 0) {
        char *end;
        long v;

        errno = 0;
        v = strtol(s + 5, &end, 10);
        if (end == s + 5 || errno != 0 || v < 0 || v > 255
            || (*end != '\0' && *end != ':')) {
            diag_set(d, _("--expect '%s': 'exit' needs a status from 0 to "
                          "255, as in 'exit 1' or 'exit 1: TEXT'"), s);
            str_fini(&x->text);
            return -1;
        }
        x->status = (int)v;
        if (*end == ':') {
            x->kind = EXPECT_EXIT_TEXT;
            expect_text(&x->text, end + 1 + (end[1] == ' '));
        } else {
            x->kind = EXPECT_EXIT;
        }
    } else {
        x->kind = EXPECT_TEXT;
        expect_text(&x->text, s);
    }
    return 0;
}

static bool
expect_match(const struct expect *x, const struct explore_outcome *o)
{
    bool same_text = o->out_len == x->text.len
                     && memcmp(o->out, x->text.p, o->out_len) == 0;

    switch (x->kind) {
    case EXPECT_DEADLOCK:
        return o->deadlock;
    case EXPECT_NO_DEADLOCK:
        return !o->deadlock;
    case EXPECT_EXIT:
        return !o->deadlock && o->status == x->status;
    case EXPECT_EXIT_TEXT:
        return !o->deadlock && o->status == x->status && same_text;
    case EXPECT_TEXT:
    default:
        return !o->deadlock && o->status == 0 && same_text;
    }
}

/* ---- The workers' side -------------------------------------------------- */

/* What a worker sends back for one run: this head, then its stdout, its
 * stderr (only when the scenario never started: the error that stopped
 * it), its schedule string and its trace. */
struct wire {
    int32_t status;
    int32_t signal;
    uint8_t ended;
    uint8_t why;
    uint8_t timed_out;
    uint8_t diverged;
    uint8_t truncated;
    uint8_t reused;             /* it ran in the process of the run before */
    uint8_t pad[2];
    uint64_t steps;
    uint64_t nchoices;
    uint64_t out_len;
    uint64_t err_len;
    uint64_t schedule_len;
    uint64_t trace_len;
    int64_t minflt;
    int64_t cpu_us;
};

/* Shared by the coordinator and (copied by fork) every worker. */
struct explore_ctx {
    struct engine_opts opts;
    struct zygote *zygote;      /* the middle process's, inherited */
    char *region;               /* a worker's: outcome, schedule, run */
    struct engine_outcome *outcome;
    void *run;
    size_t run_size;
    int out_fd;
    int err_fd;
    bool probed;                /* this worker's first job was run thrice */
};

/* In the middle process: the zygote.  0, or the exit status to end with. */
static int
ctx_setup(void *arg)
{
    struct explore_ctx *ctx = arg;
    struct diag d;

    d.msg[0] = '\0';
    ctx->zygote = zygote_new(&ctx->opts, &d);
    if (ctx->zygote == NULL) {
        if (d.msg[0] != '\0') {
            char buf[1024];

            diag_format(&d, buf, sizeof buf);
            fprintf(stderr, "telar: %s\n", buf);
        }
        return ENGINE_EXIT_USAGE;
    }
    return 0;
}

static void
ctx_start(void *arg, int worker)
{
    struct explore_ctx *ctx = arg;

    zygote_pin(worker);
    ctx->region = mmap(NULL, EXPLORE_REGION_SIZE, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    ctx->out_fd = memfd_create("telar-stdout", MFD_CLOEXEC);
    ctx->err_fd = memfd_create("telar-stderr", MFD_CLOEXEC);
    /* Out of the way of the scenario's own descriptors (pool.c). */
    if (ctx->out_fd >= 0) {
        ctx->out_fd = fd_move_high(ctx->out_fd);
    }
    if (ctx->err_fd >= 0) {
        ctx->err_fd = fd_move_high(ctx->err_fd);
    }
    if (ctx->region == MAP_FAILED || ctx->out_fd < 0 || ctx->err_fd < 0) {
        fprintf(stderr, "telar: %s\n", strerror(errno));
        _exit(ENGINE_EXIT_USAGE);
    }
    ctx->outcome = (struct engine_outcome *)ctx->region;
    ctx->outcome->schedule = ctx->region + 4096;
    ctx->outcome->schedule_cap = EXPLORE_SCHEDULE_CAP;
    ctx->run = ctx->region + 4096 + EXPLORE_SCHEDULE_CAP;
    ctx->run_size = EXPLORE_REGION_SIZE - 4096 - EXPLORE_SCHEDULE_CAP;
}

/* Append the contents of a run's output file to out. */
static uint64_t
add_file(struct str *out, int fd)
{
    struct stat st;
    uint64_t n = 0;

    if (fstat(fd, &st) < 0 || st.st_size <= 0) {
        return 0;
    }
    while (n < (uint64_t)st.st_size) {
        char buf[65536];
        size_t want = (uint64_t)st.st_size - n < sizeof buf
                      ? (size_t)((uint64_t)st.st_size - n) : sizeof buf;
        ssize_t k = pread(fd, buf, want, (off_t)n);

        if (k <= 0) {
            break;
        }
        str_add(out, buf, (size_t)k);
        n += (uint64_t)k;
    }
    return n;
}

/* Run one job; its result, as the coordinator reads it, onto out.  fresh:
 * in a child of its own that ends with the run. */
static void
ctx_run(struct explore_ctx *ctx, const void *job, size_t len, bool fresh,
        struct str *out)
{
    struct zygote_run run = {
        .choose = explore_choose, .choose_ctx = ctx->run,
        .outcome = ctx->outcome, .out_fd = ctx->out_fd,
        .err_fd = ctx->err_fd, .timeout_ms = EXPLORE_TIMEOUT_MS,
        .fresh = fresh,
    };
    struct zygote_result res;
    struct wire w;
    struct diag d;
    const unsigned char *trace;
    size_t head;

    for (;;) {
        explore_run_init(ctx->run, ctx->run_size, job, len);
        if (zygote_run(ctx->zygote, &run, &res, &d) < 0) {
            fprintf(stderr, "telar: %s\n", d.msg);
            _exit(ENGINE_EXIT_USAGE);
        }
        /* A run that went on from another one and may not be what a
         * forked run is (the collector freed objects in it): again, in a
         * fork, and so every run of this worker from now on. */
        if (!ctx->outcome->tainted || run.fresh) {
            break;
        }
        zygote_no_reuse(ctx->zygote);
        run.fresh = true;
    }
    memset(&w, 0, sizeof w);
    w.status = res.status;
    w.signal = res.signal;
    w.timed_out = res.timed_out;
    w.minflt = res.minflt;
    w.cpu_us = res.cpu_us;
    w.reused = res.reused;
    w.ended = ctx->outcome->ended;
    w.why = (uint8_t)ctx->outcome->why;
    w.steps = ctx->outcome->steps;
    w.nchoices = explore_run_nchoices(ctx->run);
    w.diverged = explore_run_diverged(ctx->run);
    w.truncated = explore_run_truncated(ctx->run)
                  || ctx->outcome->schedule_len >= EXPLORE_SCHEDULE_CAP;
    head = out->len;
    str_add(out, &w, sizeof w);
    w.out_len = add_file(out, ctx->out_fd);
    if (!w.ended || w.steps == 0) {
        w.err_len = add_file(out, ctx->err_fd);
    }
    if (w.ended) {
        /* With its NUL: the coordinator reads it in place. */
        w.schedule_len = strlen(ctx->outcome->schedule) + 1;
        str_add(out, ctx->outcome->schedule, w.schedule_len);
    }
    trace = explore_run_trace(ctx->run, &len);
    w.trace_len = len;
    str_add(out, trace, len);
    memcpy(out->p + head, &w, sizeof w);
}

/* Two results of the same job: the same run, measurements aside. */
static bool
results_same(const struct str *a, size_t at, const struct str *b)
{
    struct wire x, y;

    if (a->len - at != b->len || b->len < sizeof y) {
        return false;
    }
    memcpy(&x, a->p + at, sizeof x);
    memcpy(&y, b->p, sizeof y);
    x.minflt = y.minflt = 0;
    x.cpu_us = y.cpu_us = 0;
    x.reused = y.reused = 0;
    return memcmp(&x, &y, sizeof x) == 0
           && memcmp(a->p + at + sizeof x, b->p + sizeof y,
                     b->len - sizeof y) == 0;
}

/* A worker's first job runs in a child of its own, as every run did
 * before runs could go on in one process (engine/reuse.c); then twice
 * more: as the first run of a child that may go on, and as the run it
 * goes on to.  A scenario whose output depends on where objects lie in
 * memory (an address in a repr, a thread's ident, a set of objects in
 * id order) differs there, and this worker then forks every run. */
static void
ctx_work(void *arg, int worker, const void *job, size_t len, struct str *out)
{
    struct explore_ctx *ctx = arg;
    size_t at = out->len;
    struct str again;
    bool same;

    (void)worker;
    ctx_run(ctx, job, len, !ctx->probed, out);
    if (ctx->probed) {
        return;
    }
    ctx->probed = true;
    str_init(&again);
    ctx_run(ctx, job, len, false, &again);
    same = results_same(out, at, &again);
    if (same && zygote_goes_on(ctx->zygote)) {
        again.len = 0;
        ctx_run(ctx, job, len, false, &again);
        same = results_same(out, at, &again);
    }
    if (!same) {
        zygote_no_reuse(ctx->zygote);
    }
    str_fini(&again);
}

/* ---- Printing ------------------------------------------------------------- */

/* A run's stdout on one line: the final newline dropped, other newlines,
 * tabs and control characters escaped, cut at width characters. */
static void
add_compact(struct str *s, const char *p, size_t n, size_t width)
{
    size_t shown = 0;

    if (n > 0 && p[n - 1] == '\n') {
        n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];

        if (shown >= width) {
            str_adds(s, "...");
            return;
        }
        if (c == '\n') {
            str_adds(s, "\\n");
        } else if (c == '\t') {
            str_adds(s, "\\t");
        } else if (c == '\\') {
            str_adds(s, "\\\\");
        } else if (c < 0x20 || c == 0x7f) {
            str_addf(s, "\\x%02x", c);
        } else {
            str_addc(s, (char)c);
        }
        /* UTF-8 continuation bytes take no column. */
        shown += (c & 0xc0) != 0x80;
    }
}

/* The exit column: "0", "3 deadlock", "4 bound", "139 signal 11". */
static void
add_exit(struct str *s, const struct explore_outcome *o)
{
    str_addf(s, "%d", o->status);
    if (o->deadlock) {
        str_addf(s, " %s", _("deadlock"));
    } else if (o->limit) {
        str_addf(s, " %s", _("bound"));
    }
}

/* Quote a word for a POSIX shell when it needs it. */
static void
add_shell_word(struct str *s, const char *w)
{
    if (*w != '\0' && strspn(w, "abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                "_-./=:,+@%") == strlen(w)) {
        str_adds(s, w);
        return;
    }
    str_addc(s, '\'');
    for (; *w != '\0'; w++) {
        if (*w == '\'') {
            str_adds(s, "'\\''");
        } else {
            str_addc(s, *w);
        }
    }
    str_addc(s, '\'');
}

/* The command that replays an outcome. */
static void
add_replay(struct str *s, const struct explore_ctx *ctx,
           const struct explore_outcome *o)
{
    str_adds(s, "telar run ");
    add_shell_word(s, ctx->opts.file);
    str_adds(s, " --headless");
    if (ctx->opts.sched.cores != SCHED_CORES) {
        str_addf(s, " --cores %d", ctx->opts.sched.cores);
    }
    str_adds(s, " --schedule ");
    add_shell_word(s, o->schedule != NULL ? o->schedule : "");
    if (ctx->opts.argc > 0) {
        str_adds(s, " --");
        for (int i = 0; i < ctx->opts.argc; i++) {
            str_addc(s, ' ');
            add_shell_word(s, ctx->opts.argv[i]);
        }
    }
}

static const char *
strategy_line(const struct explore_config *cfg, char *buf, size_t size)
{
    switch (cfg->strategy) {
    case EXPLORE_RANDOM:
        snprintf(buf, size, _("random choices, seed %" PRIu64), cfg->seed);
        break;
    case EXPLORE_PCT:
        snprintf(buf, size, _("PCT with depth %d, seed %" PRIu64),
                 cfg->depth, cfg->seed);
        break;
    case EXPLORE_SYSTEMATIC:
    default:
        snprintf(buf, size, _("systematic, at most %d preemptions per run"),
                 cfg->preemptions);
        break;
    }
    return buf;
}

static void
print_table(FILE *f, const struct explore_ctx *ctx,
            const struct explore_config *cfg, const struct explore *ex)
{
    uint64_t total = explore_executions(ex);
    size_t n = explore_noutcomes(ex);
    struct str s;
    char buf[200];

    str_init(&s);
    str_addf(&s, "telar explore: %s\n", ctx->opts.file);
    str_addf(&s, "  %s\n", strategy_line(cfg, buf, sizeof buf));
    str_addf(&s, _("  %" PRIu64 " executions, %zu distinct outcomes; "),
             total, n);
    if (explore_exhausted(ex)) {
        str_adds(&s, _("the space was exhausted\n"));
    } else if (cfg->strategy == EXPLORE_SYSTEMATIC) {
        str_adds(&s, _("the space was NOT exhausted\n"));
        if (explore_capped(ex)) {
            str_addf(&s, _("  (stopped by --max-executions %" PRIu64 ")\n"),
                     cfg->max_executions);
        }
        for (size_t i = 0; i < n; i++) {
            if (explore_outcome(ex, i)->limit) {
                str_adds(&s, _("  (some runs were stopped by a bound, "
                               "--max-steps or --max-memory)\n"));
                break;
            }
        }
    } else {
        str_adds(&s, _("a sample, not every schedule\n"));
    }
    str_addf(&s, "\n  %3s  %8s  %6s  %-16s  %s\n", "#", _("count"),
             _("share"), _("exit"), _("stdout"));
    for (size_t i = 0; i < n; i++) {
        const struct explore_outcome *o = explore_outcome(ex, i);
        struct str ex_col;

        str_init(&ex_col);
        add_exit(&ex_col, o);
        str_addf(&s, "  %3zu  %8" PRIu64 "  %5.1f%%  %-16s  ", i + 1,
                 o->count, total ? 100.0 * (double)o->count / (double)total
                                 : 0.0, ex_col.p);
        add_compact(&s, o->out, o->out_len, 60);
        str_addc(&s, '\n');
        str_fini(&ex_col);
    }
    str_addf(&s, "\n  %s\n", _("Each outcome, reproduced:"));
    for (size_t i = 0; i < n; i++) {
        str_addf(&s, "  %3zu  ", i + 1);
        add_replay(&s, ctx, explore_outcome(ex, i));
        str_addc(&s, '\n');
    }
    fputs(s.p, f);
    str_fini(&s);
}

static void
print_json(FILE *f, const struct explore *ex)
{
    size_t n = explore_noutcomes(ex);
    struct str s;

    str_init(&s);
    str_addf(&s, "{\"executions\": %" PRIu64 ", \"exhausted\": %s, "
             "\"outcomes\": [", explore_executions(ex),
             explore_exhausted(ex) ? "true" : "false");
    for (size_t i = 0; i < n; i++) {
        const struct explore_outcome *o = explore_outcome(ex, i);
        const char *sch = o->schedule != NULL ? o->schedule : "";

        str_adds(&s, i > 0 ? ", {\"stdout\": " : "{\"stdout\": ");
        str_add_json(&s, o->out, o->out_len);
        str_addf(&s, ", \"exit\": %d, \"deadlock\": %s, \"count\": %" PRIu64
                 ", \"schedule\": ", o->status,
                 o->deadlock ? "true" : "false", o->count);
        str_add_json(&s, sch, strlen(sch));
        str_addc(&s, '}');
    }
    str_adds(&s, "]}\n");
    fputs(s.p, f);
    str_fini(&s);
}

/* ---- The coordinator -------------------------------------------------------- */

struct explore_stats {
    struct timespec t0;
    struct timespec t1;         /* the first result came */
    uint64_t runs;
    uint64_t minflt;
    uint64_t cpu_us;
    uint64_t reused;
};

/* Decode a worker's message into r (pointing into msg).  0, or -1. */
static int
wire_decode(const struct str *msg, struct wire *w, struct explore_result *r)
{
    const char *p = msg->p;
    size_t left;

    if (msg->len < sizeof *w) {
        return -1;
    }
    memcpy(w, p, sizeof *w);
    left = msg->len - sizeof *w;
    if (w->out_len + w->err_len + w->schedule_len + w->trace_len != left) {
        return -1;
    }
    p += sizeof *w;
    memset(r, 0, sizeof *r);
    r->status = w->status;
    r->deadlock = w->ended && w->why == EV_END_DEADLOCK;
    r->limit = w->ended && w->why == EV_END_LIMIT;
    r->crashed = !w->ended;
    r->timed_out = w->timed_out;
    r->diverged = w->diverged;
    r->truncated = w->truncated;
    r->steps = w->steps;
    r->nchoices = w->nchoices;
    r->out = p;
    r->out_len = w->out_len;
    p += w->out_len + w->err_len;
    r->schedule = w->schedule_len > 0 ? p : "";
    p += w->schedule_len;
    r->trace = (const unsigned char *)p;
    r->trace_len = w->trace_len;
    return 0;
}

/* Run the search to its end.  Returns an exit status; *done says the
 * search completed (the answer can be printed). */
static int
coordinate(struct explore_ctx *ctx, struct explore *ex, int jobs,
           struct explore_stats *stats, bool *done)
{
    struct explore_pool_ops ops = {
        .setup = ctx_setup, .start = ctx_start, .work = ctx_work,
    };
    struct explore_pool *pool;
    struct str plan, msg;
    struct diag d;
    int rc = 0, st;

    *done = false;
    pool = explore_pool_new(jobs, &ops, ctx, &d);
    if (pool == NULL) {
        fprintf(stderr, "telar explore: %s\n", d.msg);
        return ENGINE_EXIT_USAGE;
    }
    str_init(&plan);
    str_init(&msg);
    for (;;) {
        struct explore_result r;
        struct wire w;
        uint64_t id;
        int worker, k = 0;

        while (explore_pool_idle(pool) >= 0) {
            plan.len = 0;
            k = explore_next(ex, &id, &plan);
            if (k != 1) {
                break;
            }
            if (explore_pool_submit(pool, explore_pool_idle(pool), id,
                                    plan.p, plan.len, &d) < 0) {
                rc = -1;
                break;
            }
        }
        if (rc < 0 || (k == -1 && explore_running(ex) == 0)) {
            break;
        }
        if (k == -1) {
            break;              /* capped: what still runs is not needed */
        }
        if (explore_pool_wait(pool, &worker, &id, &msg, &d) < 0) {
            rc = -1;
            break;
        }
        if (wire_decode(&msg, &w, &r) < 0) {
            fprintf(stderr, "telar explore: %s\n",
                    _("a worker sent a damaged result"));
            rc = ENGINE_EXIT_USAGE;
            goto out;
        }
        if (stats->runs++ == 0) {
            clock_gettime(CLOCK_MONOTONIC, &stats->t1);
        }
        stats->minflt += (uint64_t)w.minflt;
        stats->cpu_us += (uint64_t)w.cpu_us;
        stats->reused += w.reused;
        if (w.ended && w.steps == 0 && w.status != 0) {
            /* Nothing of the scenario ran: CPython could not compile or
             * read it.  Its own message, once, and its status. */
            fwrite(msg.p + sizeof w + w.out_len, 1, w.err_len, stderr);
            rc = w.status;
            goto out;
        }
        if (w.timed_out) {
            fprintf(stderr, _("telar explore: a run took more than %d s of "
                              "real time and was stopped: the scenario "
                              "waits for something outside telar, or "
                              "loops in C code.\n"),
                    EXPLORE_TIMEOUT_MS / 1000);
            rc = ENGINE_EXIT_LIMIT;
            goto out;
        }
        if (explore_done(ex, id, &r, &d) < 0) {
            fprintf(stderr, "telar explore: %s\n", d.msg);
            rc = ENGINE_EXIT_USAGE;
            goto out;
        }
    }
    if (rc < 0) {
        st = explore_pool_free(pool);
        pool = NULL;
        rc = st != 0 ? st : ENGINE_EXIT_USAGE;
        if (st == 0) {
            fprintf(stderr, "telar explore: %s\n", d.msg);
        }
        goto out;
    }
    *done = true;
out:
    str_fini(&plan);
    str_fini(&msg);
    if (pool != NULL) {
        explore_pool_free(pool);
    }
    return rc;
}

/* The CPUs this process may run on. */
static int
available_cpus(void)
{
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) {
        return CPU_COUNT(&set);
    }
    return 1;
}

static int
cmd_explore_exec(int argc, char **argv)
{
    struct explore_ctx ctx;
    struct explore_config cfg;
    struct explore_stats stats;
    struct explore *ex;
    struct expect *expects = NULL;
    size_t nexpects = 0;
    struct diag d;
    bool json = false, want_stats = false, random_set = false, done;
    bool preempt_set = false;
    uint64_t v;
    int c, jobs = available_cpus(), rc;
    char **full_argv = argv - 1;    /* "telar" "explore" ... for re-exec */

    memset(&ctx, 0, sizeof ctx);
    engine_opts_init(&ctx.opts);
    memset(&cfg, 0, sizeof cfg);
    cfg.strategy = EXPLORE_SYSTEMATIC;
    cfg.preemptions = EXPLORE_PREEMPTIONS;
    cfg.max_executions = EXPLORE_MAX_EXECUTIONS;
    ctx.opts.sched.max_steps = EXPLORE_MAX_STEPS;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", explore_options, NULL)) != -1) {
        switch (c) {
        case OPT_PREEMPTIONS:
            if (cmd_parse_u64(optarg, &v) < 0 || v > 1000) {
                return usage_error(_("--preemptions needs a number from 0 "
                                     "to 1000, not '%s'"), optarg);
            }
            cfg.preemptions = (int)v;
            preempt_set = true;
            break;
        case OPT_RANDOM:
            if (cmd_parse_u64(optarg, &v) < 0 || v == 0) {
                return usage_error(_("--random needs a positive number of "
                                     "runs, not '%s'"), optarg);
            }
            cfg.runs = v;
            random_set = true;
            break;
        case OPT_PCT:
            if (cmd_parse_u64(optarg, &v) < 0 || v < 1
                || v > EXPLORE_MAX_DEPTH) {
                return usage_error(_("--pct needs a depth from 1 to %d, not "
                                     "'%s'"), EXPLORE_MAX_DEPTH, optarg);
            }
            cfg.depth = (int)v;
            break;
        case OPT_SEED:
            if (cmd_parse_u64(optarg, &cfg.seed) < 0) {
                return usage_error(_("--seed needs a non-negative integer, "
                                     "not '%s'"), optarg);
            }
            break;
        case OPT_MAX_EXECUTIONS:
            if (cmd_parse_u64(optarg, &cfg.max_executions) < 0) {
                return usage_error(_("--max-executions needs a non-negative "
                                     "integer, not '%s'"), optarg);
            }
            break;
        case OPT_MAX_STEPS:
            if (cmd_parse_u64(optarg, &ctx.opts.sched.max_steps) < 0) {
                return usage_error(_("--max-steps needs a non-negative "
                                     "integer, not '%s'"), optarg);
            }
            break;
        case OPT_JOBS:
            if (cmd_parse_u64(optarg, &v) < 0 || v < 1 || v > 256) {
                return usage_error(_("--jobs needs a number from 1 to 256, "
                                     "not '%s'"), optarg);
            }
            jobs = (int)v;
            break;
        case OPT_CORES:
            if (cmd_parse_u64(optarg, &v) < 0 || v < 1 || v > 256) {
                return usage_error(_("--cores needs a number from 1 to 256, "
                                     "not '%s'"), optarg);
            }
            ctx.opts.sched.cores = (int)v;
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_STATS:
            want_stats = true;
            break;
        case OPT_EXPECT:
            expects = xrealloc(expects, (nexpects + 1) * sizeof *expects);
            if (expect_parse(&expects[nexpects], optarg, &d) < 0) {
                rc = usage_error("%s", d.msg);
                goto out_expects;
            }
            nexpects++;
            break;
        case OPT_HELP:
            explore_usage(stdout);
            rc = 0;
            goto out_expects;
        default:
            fprintf(stderr, "%s\n",
                    _("Try 'telar explore --help' for more information."));
            rc = ENGINE_EXIT_USAGE;
            goto out_expects;
        }
    }
    if (optind >= argc) {
        rc = usage_error("%s", _("missing the scenario FILE.py"));
        goto out_expects;
    }
    if (cfg.depth > 0) {
        cfg.strategy = EXPLORE_PCT;
        if (!random_set) {
            cfg.runs = EXPLORE_PCT_RUNS;
        }
    } else if (random_set) {
        cfg.strategy = EXPLORE_RANDOM;
    }
    if (preempt_set && cfg.strategy != EXPLORE_SYSTEMATIC) {
        rc = usage_error("%s", _("--preemptions bounds the systematic "
                                 "search; --random and --pct take none"));
        goto out_expects;
    }
    ctx.opts.file = argv[optind];
    ctx.opts.argc = argc - optind - 1;
    ctx.opts.argv = argv + optind + 1;
    /* Runs are replayed by `telar run --schedule` with these: fifo under
     * the chooser, the seed in the schedule string. */
    ctx.opts.sched.policy = "fifo";
    ctx.opts.sched.seed = cfg.seed;
    ctx.opts.log_path = "/dev/null";
    cmd_reexec_without_aslr(full_argv);
    ex = explore_new(&cfg, &d);
    if (ex == NULL) {
        rc = usage_error("%s", d.msg);
        goto out_expects;
    }
    memset(&stats, 0, sizeof stats);
    clock_gettime(CLOCK_MONOTONIC, &stats.t0);
    rc = coordinate(&ctx, ex, jobs, &stats, &done);
    if (done) {
        struct timespec t1;
        double secs, after;

        clock_gettime(CLOCK_MONOTONIC, &t1);
        secs = (double)(t1.tv_sec - stats.t0.tv_sec)
               + (double)(t1.tv_nsec - stats.t0.tv_nsec) / 1e9;
        after = (double)(t1.tv_sec - stats.t1.tv_sec)
                + (double)(t1.tv_nsec - stats.t1.tv_nsec) / 1e9;
        if (json) {
            print_json(stdout, ex);
        } else {
            print_table(stdout, &ctx, &cfg, ex);
        }
        if (explore_diverged(ex) > 0) {
            fprintf(stderr, _("telar explore: %" PRIu64 " runs could not "
                              "follow the schedule they were given: the "
                              "scenario does not run the same way every "
                              "time under telar (it reads the real clock, "
                              "the network or files that change?).\n"),
                    explore_diverged(ex));
        }
        if (want_stats) {
            fprintf(stderr, _("telar explore: %" PRIu64 " runs in %.3f s: "
                              "%.0f runs/s with %d jobs; %.0f page faults "
                              "and %.2f ms of CPU per run; %" PRIu64
                              " runs went on in the process of the run "
                              "before\n"),
                    stats.runs, secs, secs > 0 ? (double)stats.runs / secs
                                               : 0.0,
                    jobs, stats.runs ? (double)stats.minflt
                                       / (double)stats.runs : 0.0,
                    stats.runs ? (double)stats.cpu_us / 1000.0
                                 / (double)stats.runs : 0.0,
                    stats.reused);
            if (stats.runs > 1 && after > 0) {
                fprintf(stderr, _("telar explore: after the first result "
                                  "(%.3f s: the interpreter's start, the "
                                  "first schedule): %.0f runs/s\n"),
                        secs - after, (double)(stats.runs - 1) / after);
            }
        }
        rc = 0;
        for (size_t i = 0; nexpects > 0 && i < explore_noutcomes(ex); i++) {
            const struct explore_outcome *o = explore_outcome(ex, i);
            bool ok = false;

            for (size_t j = 0; j < nexpects && !ok; j++) {
                ok = expect_match(&expects[j], o);
            }
            if (!ok) {
                struct str s;

                str_init(&s);
                str_addf(&s, _("telar explore: unexpected outcome #%zu "
                               "(%" PRIu64 " of %" PRIu64 " runs): exit "),
                         i + 1, o->count, explore_executions(ex));
                add_exit(&s, o);
                str_adds(&s, _(", stdout \""));
                add_compact(&s, o->out, o->out_len, 200);
                str_adds(&s, "\"\n  ");
                str_adds(&s, _("reproduce it with: "));
                add_replay(&s, &ctx, o);
                str_addc(&s, '\n');
                fputs(s.p, json ? stderr : stdout);
                str_fini(&s);
                rc = EXPLORE_EXIT_UNEXPECTED;
                break;
            }
        }
        if (nexpects > 0 && rc == 0 && !json) {
            printf("%s\n", _("telar explore: every outcome is expected."));
        }
    }
    explore_free(ex);
out_expects:
    for (size_t i = 0; i < nexpects; i++) {
        str_fini(&expects[i].text);
    }
    free(expects);
    return rc;
}

const struct cmd_entry cmd_explore_entry = {
    .name = "explore",
    .summary = N_("run a scenario under many schedules: all its outcomes"),
    .exec = cmd_explore_exec,
};
