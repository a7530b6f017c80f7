/*
 * telar view LOG: a full-screen viewer of a recorded run (the event log
 * written by 'telar run --log').  This file wires the TUI's layers
 * together (model, terminal, screen, loop: src/tui/) and, behind the
 * hidden --bench flag, measures them for 'make bench'.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/engine.h"
#include "log/evlog.h"
#include "tui/internal.h"
#include "tui/loop.h"
#include "tui/model.h"
#include "tui/page-scenario.h"
#include "tui/screen.h"
#include "tui/tty.h"
#include "util/util.h"

#define DEFAULT_SPEED 3         /* action.c's speeds[3]: 10 steps/s */

static void
usage(FILE *f)
{
    fprintf(f, "%s", _(
"Usage: telar view LOG [OPTION]...\n"
"Show a run recorded with 'telar run --log LOG' full screen: a timeline of\n"
"every thread, task and queue, the program's output and the state of its\n"
"locks and queues, step by step, forwards and backwards.  Press ? inside\n"
"for the keys.\n"
"\n"
"  --no-color   no colours (as does a non-empty NO_COLOR)\n"
"  --ascii      ASCII glyphs only (automatic when the locale is not UTF-8)\n"
"  --no-mouse   leave the mouse to the terminal\n"
"  --help       show this help and exit\n"));
}

/* ---- Measurements (--bench) --------------------------------------------- */

static double
now_s(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static off_t
file_size(FILE *f)
{
    struct stat st;

    fflush(f);
    return fstat(fileno(f), &st) == 0 ? st.st_size : 0;
}

/* A run of 50 actors (10 threads with 4 tasks each) over 100,000 steps:
 * switches, blocks, sleeps, a bounded queue, output every few steps. */
static int
bench_write_log(const char *path, struct diag *d)
{
    struct evlog *log = evlog_new(path, d);
    char name[32], line[64];

    if (log == NULL) {
        return -1;
    }
    for (int i = 0; i < 50; i++) {
        struct ev ev = { .kind = EV_ACTOR_NEW, .actor = i };

        ev.a = i < 10 ? EV_ACTOR_THREAD : EV_ACTOR_TASK;
        ev.b = i == 0 ? -1 : i < 10 ? 0 : (i - 10) / 4;
        snprintf(name, sizeof name, i == 0 ? "MainThread"
                                    : i < 10 ? "worker-%d" : "Task-%d", i);
        ev.str = name;
        ev.len = strlen(name);
        evlog_put(log, 0, 0, &ev);
        evlog_state(log, 0, 0, i, EV_ST_READY, -1, EVLOG_NEVER);
    }
    {
        struct ev q = { .kind = EV_OBJ_NEW, .obj = 0, .a = EV_OBJ_QUEUE,
                        .b = 10, .str = "jobs", .len = 4 };
        struct ev lk = { .kind = EV_OBJ_NEW, .obj = 1, .a = EV_OBJ_LOCK,
                         .str = "mu", .len = 2 };

        evlog_put(log, 0, 0, &q);
        evlog_put(log, 0, 0, &lk);
    }
    for (uint64_t s = 1; s <= 100000; s++) {
        int who = (int)(s * 7 % 50), prev = (int)((s - 1) * 7 % 50);
        int64_t t = (int64_t)s * 1000;
        enum ev_state ps = s % 13 == 0 ? EV_ST_BLOCKED
                           : s % 7 == 0 ? EV_ST_SLEEPING : EV_ST_READY;

        evlog_state(log, s, t, prev, ps, ps == EV_ST_BLOCKED ? 1 : -1,
                    ps == EV_ST_SLEEPING ? t + 50000 : EVLOG_NEVER);
        evlog_state(log, s, t, who, EV_ST_RUNNING, -1, EVLOG_NEVER);
        if (s % 3 == 0) {
            struct ev op = { .kind = EV_OBJ_OP, .obj = 0, .actor = who,
                             .a = s % 2 ? EV_OP_PUT : EV_OP_GET,
                             .x = (int64_t)(s / 3 % 11) };

            evlog_put(log, s, t, &op);
        }
        if (s % 10 == 0) {
            int n = snprintf(line, sizeof line, "step %llu from %d\n",
                             (unsigned long long)s, who);

            evlog_str(log, s, t, EV_OUTPUT, who, line, (size_t)n);
        }
    }
    {
        struct ev end = { .kind = EV_END, .a = 0, .b = EV_END_EXIT };

        evlog_put(log, 100000, 100000000, &end);
    }
    if (evlog_flush(log, d) < 0) {
        evlog_free(log);
        return -1;
    }
    evlog_free(log);
    return 0;
}

static int
bench(const char *given, const struct tty_options *o)
{
    const char *dir = getenv("TMPDIR");
    char *path = NULL;
    struct diag d;
    struct evlog_reader *r = NULL;
    struct model *m = NULL;
    struct tty_theme th;
    struct tui t;
    FILE *out = NULL;
    double w0, wi, w1, c0, c1;
    off_t b0;
    int frames = 500, backs = 2000, rc = 1;

    if (given == NULL) {
        int fd;

        path = xasprintf("%s/telar-bench-XXXXXX",
                         dir != NULL && dir[0] != '\0' ? dir : "/tmp");
        fd = mkstemp(path);
        if (fd >= 0) {
            close(fd);
        }
        if (fd < 0 || bench_write_log(path, &d) < 0) {
            fprintf(stderr, "telar: bench: cannot write a log in %s\n",
                    path);
            goto out;
        }
        given = path;
    }
    out = tmpfile();
    if (out == NULL) {
        perror("telar: bench: tmpfile");
        goto out;
    }

    /* From opening the log to the first frame on the terminal. */
    w0 = now_s(CLOCK_MONOTONIC);
    c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    r = evlog_open(given, &d);
    if (r == NULL || (m = model_new(r, &d)) == NULL) {
        fprintf(stderr, "telar: %s\n", d.msg);
        goto out;
    }
    wi = now_s(CLOCK_MONOTONIC);
    if (tty_start_offscreen(out, 200, 60, o, &th, &d) < 0) {
        fprintf(stderr, "telar: %s\n", d.msg);
        goto out;
    }
    t = (struct tui){ .model = m, .theme = &th, .speed = DEFAULT_SPEED,
                      .selected = -1, .title = given };
    screen_new(&t);
    screen_layout(t.screen);
    screen_draw(t.screen);
    doupdate();
    w1 = now_s(CLOCK_MONOTONIC);
    c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    printf("log: %llu records, %llu steps, %d actors\n",
           (unsigned long long)model_nrecords(m),
           (unsigned long long)model_last_step(m), model_nactors(m));
    printf("start to first frame (open, index, draw at 200x60): %.2f ms "
           "(goal <= 50; %.2f ms CPU): index %.2f ms, curses and the "
           "frame %.2f ms\n", (w1 - w0) * 1e3, (c1 - c0) * 1e3,
           (wi - w0) * 1e3, (w1 - wi) * 1e3);

    /* Frames while playing: one step, one frame. */
    model_seek_step(m, model_last_step(m) / 2);
    screen_draw(t.screen);
    doupdate();
    b0 = file_size(out);
    c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    for (int i = 0; i < frames; i++) {
        model_next(m);
        screen_draw(t.screen);
        doupdate();
    }
    c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    printf("frame at 200x60, playing (step + draw): %.3f ms CPU "
           "(goal <= 1), %.0f bytes written\n",
           (c1 - c0) * 1e3 / frames,
           (double)(file_size(out) - b0) / frames);

    /* The same with the timeline zoomed in all the way (one step per
     * column: the busiest picture). */
    for (int z = 0; z < 40; z++) {
        view_timeline_zoom(screen_view(t.screen, PANE_TIMELINE), 1);
    }
    screen_draw(t.screen);
    doupdate();
    b0 = file_size(out);
    c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    for (int i = 0; i < frames; i++) {
        model_next(m);
        screen_draw(t.screen);
        doupdate();
    }
    c1 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    printf("frame at 200x60, zoomed to 1 step/column: %.3f ms CPU, "
           "%.0f bytes written\n", (c1 - c0) * 1e3 / frames,
           (double)(file_size(out) - b0) / frames);

    /* Step back from the end: CPU time of each, so that a busy machine
     * does not count. */
    {
        double *each = xmalloc(sizeof *each * (size_t)backs), sum = 0;

        model_last(m);
        for (int i = 0; i < backs; i++) {
            double s0 = now_s(CLOCK_THREAD_CPUTIME_ID);

            model_prev(m);
            each[i] = now_s(CLOCK_THREAD_CPUTIME_ID) - s0;
            sum += each[i];
        }
        qsort(each, (size_t)backs, sizeof *each, cmp_double);
        printf("step back (from the end, %d times): %.1f us mean, %.1f us "
               "at the 99th percentile, %.1f us worst (goal <= 1 ms)\n",
               backs, sum * 1e6 / backs, each[backs * 99 / 100] * 1e6,
               each[backs - 1] * 1e6);
        free(each);
    }
    c0 = now_s(CLOCK_MONOTONIC);
    model_first(m);
    model_last(m);
    c1 = now_s(CLOCK_MONOTONIC);
    printf("Home then End: %.1f us\n", (c1 - c0) * 1e6);
    rc = 0;
    screen_free(t.screen);
    tty_stop();
out:
    model_free(m);
    evlog_close(r);
    if (out != NULL) {
        fclose(out);
    }
    if (path != NULL) {
        unlink(path);
        free(path);
    }
    return rc;
}

/* ---- The full-screen interface ------------------------------------------- */

int
cmd_tui(const struct tty_options *o,
        int (*open)(struct loop *l, void *arg, struct diag *d), void *arg)
{
    struct tty_theme th;
    struct loop *l;
    struct diag d;
    int rc;

    if (tty_start(o, &th, &d) < 0) {
        fprintf(stderr, "telar: %s\n", d.msg);
        open(NULL, arg, &d);    /* let it free what it holds */
        return 1;
    }
    l = loop_new(&th, &d);
    if (l == NULL) {
        open(NULL, arg, &d);
        rc = -1;
    } else if ((rc = open(l, arg, &d)) == 0) {
        rc = loop_run(l, &d);
    }
    /* Pages may own children and handles: gone before the terminal is
     * given back. */
    loop_free(l);
    tty_stop();
    if (rc < 0) {
        fprintf(stderr, "telar: %s\n", d.msg);
        return 1;
    }
    if (rc > 0) {
        /* Ended by a signal: the terminal is back; die of it, as the
         * shell expects. */
        signal(rc, SIG_DFL);
        raise(rc);
        return 128 + rc;
    }
    return 0;
}

/* ---- The command -------------------------------------------------------- */

/* cmd_tui's opener for telar view: the one page made beforehand (or, with
 * no loop, only freed). */
static int
open_page(struct loop *l, void *arg, struct diag *d)
{
    struct page *page = arg;

    (void)d;
    if (l == NULL) {
        page->ops->free(page);
        return 0;
    }
    loop_push(l, page);
    return 0;
}

static int
cmd_view_exec(int argc, char **argv)
{
    static const struct option opts[] = {
        { "no-color", no_argument, NULL, 'c' },
        { "ascii", no_argument, NULL, 'a' },
        { "no-mouse", no_argument, NULL, 'm' },
        { "bench", no_argument, NULL, 'B' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    struct tty_options o = { 0 };
    struct page *page;
    struct diag d;
    bool do_bench = false;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': o.no_color = true; break;
        case 'a': o.ascii = true; break;
        case 'm': o.no_mouse = true; break;
        case 'B': do_bench = true; break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            fprintf(stderr, "%s\n", _("Try 'telar view --help' for more "
                                      "information."));
            return ENGINE_EXIT_USAGE;
        }
    }
    if (do_bench && argc - optind <= 1) {
        return bench(optind < argc ? argv[optind] : NULL, &o);
    }
    if (argc - optind != 1) {
        fprintf(stderr, "%s\n", argc - optind == 0
                                    ? _("telar view: which log? "
                                        "(telar view LOG)")
                                    : _("telar view: one log at a time"));
        return ENGINE_EXIT_USAGE;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "%s\n",
                _("telar view: needs a terminal on stdin and stdout "
                  "('telar log LOG' prints a log as text)"));
        return ENGINE_EXIT_USAGE;
    }
    page = page_scenario_new_log(argv[optind], &d);
    if (page == NULL) {
        char msg[1024];

        diag_format(&d, msg, sizeof msg);
        fprintf(stderr, "telar: %s\n", msg);
        return 1;
    }
    return cmd_tui(&o, open_page, page);
}

const struct cmd_entry cmd_view_entry = {
    .name = "view",
    .summary = N_("show a recorded run full screen, step by step"),
    .exec = cmd_view_exec,
};
