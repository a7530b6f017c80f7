/*
 * telar diff FILE.py OPTION... [-- ARG...]: run a scenario twice, under
 * two run configurations, and say where the runs first part ways and how
 * their outcomes differ.  Each run is this binary's own `telar run
 * --headless --log`, started as a child with its output captured; the
 * comparison of the two logs is log/diff.c's.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "log/diff.h"
#include "log/evlog.h"
#include "log/srcline.h"
#include "util/spawn.h"
#include "util/util.h"

/* diff(1)'s exit statuses: alike, different, trouble. */
#define CMD_DIFF_SAME 0
#define CMD_DIFF_DIFFER 1
#define CMD_DIFF_TROUBLE 2
#define CMD_DIFF_TIMEOUT 120
/* Lines of differing output shown per run. */
#define CMD_DIFF_LINES 10

enum {
    OPT_SEED = 256,
    OPT_POLICY,
    OPT_PREEMPT_RATE,
    OPT_SCHEDULE,
    OPT_CORES,
    OPT_MAX_STEPS,
    OPT_MAX_MEMORY,
    OPT_JSON,
    OPT_TIMEOUT,
    OPT_HELP,
};

/* The options of `telar run` that make a configuration, in the order
 * they are passed on. */
static const char *const run_option[] = {
    [OPT_SEED - OPT_SEED] = "--seed",
    [OPT_POLICY - OPT_SEED] = "--policy",
    [OPT_PREEMPT_RATE - OPT_SEED] = "--preempt-rate",
    [OPT_SCHEDULE - OPT_SEED] = "--schedule",
    [OPT_CORES - OPT_SEED] = "--cores",
    [OPT_MAX_STEPS - OPT_SEED] = "--max-steps",
    [OPT_MAX_MEMORY - OPT_SEED] = "--max-memory",
};
#define NRUNOPTS (sizeof run_option / sizeof run_option[0])

static const struct option diff_options[] = {
    { "seed", required_argument, NULL, OPT_SEED },
    { "policy", required_argument, NULL, OPT_POLICY },
    { "preempt-rate", required_argument, NULL, OPT_PREEMPT_RATE },
    { "schedule", required_argument, NULL, OPT_SCHEDULE },
    { "cores", required_argument, NULL, OPT_CORES },
    { "max-steps", required_argument, NULL, OPT_MAX_STEPS },
    { "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
    { "json", no_argument, NULL, OPT_JSON },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 }
};

/* One of the two runs.  Lives in cmd_diff_exec. */
struct diff_run {
    const char *exe;            /* this binary */
    char **argv;                /* for execv; strings borrowed */
    size_t argc;
    struct str args;            /* its own options, as shown */
    char *log;                  /* the log's path */
    struct spawn_result res;    /* what it wrote, how it ended */
};

static void
diff_usage(FILE *f)
{
    fprintf(f, "%s", _(
"Usage: telar diff FILE.py OPTION... [-- ARG...]\n"
"Run a scenario twice and show where the two runs part ways: the first\n"
"step at which they differ, who ran there in each and on which line, and\n"
"how their output, exit status and deadlocks differ.\n"
"\n"
"Run options, given once for both runs or twice (first for run A, then\n"
"for run B):\n"
"  --seed N, --policy P, --preempt-rate R, --schedule STR, --cores N,\n"
"  --max-steps N, --max-memory SIZE   as for 'telar run'\n"
"\n"
"  --json              print the comparison as JSON\n"
"  --timeout SECONDS   stop a run that takes longer (default 120)\n"
"  --help              show this help and exit\n"
"\n"
"Example: telar diff counter.py --policy preempt --seed 1 --seed 2\n"
"\n"
"Exit status: 0 when the runs are alike, 1 when they differ, 2 for a\n"
"usage error or a run that could not be made.\n"));
}

static int
usage_error(const char *msg)
{
    fprintf(stderr, "telar diff: %s\n%s\n", msg,
            _("Try 'telar diff --help' for more information."));
    return CMD_DIFF_TROUBLE;
}

/* Run r->argv as a child: stdin from /dev/null, stdout and stderr into
 * r->res, killed after timeout seconds. */
static void
run_child(struct diff_run *r, int timeout)
{
    struct spawn_req req = {
        .path = r->exe,
        .argv = r->argv,
        .dir = NULL,
        .env = NULL,
        .timeout = timeout,
        .cap = 0,
        .who = "telar diff",
    };

    spawn_run(&req, &r->res);
}

static void
push_arg(struct diff_run *r, char *arg)
{
    r->argv = xrealloc(r->argv, sizeof *r->argv * (r->argc + 2));
    r->argv[r->argc++] = arg;
    r->argv[r->argc] = NULL;
}

/* ---- Printing ----------------------------------------------------------- */

/* "830 ns", "1.25 ms", "2.000 s": a virtual time. */
static void
format_time(char *buf, size_t size, int64_t ns)
{
    if (ns < 1000000) {
        snprintf(buf, size, "%" PRId64 " ns", ns);
    } else if (ns < 1000000000) {
        snprintf(buf, size, "%.2f ms", (double)ns / 1e6);
    } else {
        snprintf(buf, size, "%.3f s", (double)ns / 1e9);
    }
}

/* Count the lines of s (a last line without '\n' counts). */
static size_t
count_lines(const struct str *s)
{
    size_t n = 0;

    for (size_t i = 0; i < s->len; i++) {
        n += s->p[i] == '\n';
    }
    return n + (s->len > 0 && s->p[s->len - 1] != '\n');
}

/* The offset of line k (0-based) of s. */
static size_t
line_at(const struct str *s, size_t k)
{
    size_t off = 0;

    while (k > 0 && off < s->len) {
        if (s->p[off++] == '\n') {
            k--;
        }
    }
    return off;
}

static bool
same_line(const struct str *a, size_t oa, const struct str *b, size_t ob)
{
    while (oa < a->len && ob < b->len && a->p[oa] == b->p[ob]) {
        if (a->p[oa] == '\n') {
            return true;
        }
        oa++;
        ob++;
    }
    return (oa == a->len || a->p[oa] == '\n')
           && (ob == b->len || b->p[ob] == '\n');
}

/* Print the lines of s from first to (not including) last, each after
 * mark, at most CMD_DIFF_LINES of them. */
static void
print_lines(const struct str *s, size_t first, size_t last, char mark)
{
    size_t off = line_at(s, first);

    for (size_t k = first; k < last; k++) {
        size_t end = off;

        if (k - first == CMD_DIFF_LINES) {
            printf(_("    %c ... (%zu more lines)\n"), mark, last - k);
            return;
        }
        while (end < s->len && s->p[end] != '\n') {
            end++;
        }
        printf("    %c %.*s\n", mark, (int)(end - off), s->p + off);
        off = end + 1;
    }
}

/* The lines of the two outputs that differ: what is left once the lines
 * both start with and both end with are set aside. */
static void
print_output_diff(const struct str *a, const struct str *b)
{
    size_t na = count_lines(a), nb = count_lines(b), pre = 0, post = 0;

    while (pre < na && pre < nb
           && same_line(a, line_at(a, pre), b, line_at(b, pre))) {
        pre++;
    }
    while (post < na - pre && post < nb - pre
           && same_line(a, line_at(a, na - 1 - post), b,
                        line_at(b, nb - 1 - post))) {
        post++;
    }
    printf(_("  stdout differs from line %zu:\n"), pre + 1);
    print_lines(a, pre, na - post, 'A');
    print_lines(b, pre, nb - post, 'B');
}

static bool
str_equal(const struct str *a, const struct str *b)
{
    return a->len == b->len && (a->len == 0
                                || memcmp(a->p, b->p, a->len) == 0);
}

/* Why the baton changed hands, as the end of a sentence. */
static char *
reason_words(const struct logdiff_run *run)
{
    const char *from = run->from_name != NULL ? run->from_name : "?";

    switch (run->why) {
    case 0:
        return xstrdup(_("the run starts"));
    case 1:
        return xasprintf(_("%s blocked or went to sleep"), from);
    case 2:
        return xasprintf(_("%s ended"), from);
    case 3:
        return xasprintf(_("the policy preempted %s"), from);
    case 4:
        return xasprintf(_("%s yielded"), from);
    case 5:
        return xstrdup(_("a timer fired"));
    default:
        return xstrdup("?");
    }
}

static void
print_side(const struct logdiff_run *run, char which, const char *cwd)
{
    if (run->actor < 0) {
        printf(_("  %c: nobody holds the baton\n"), which);
    } else if (!run->switched) {
        printf(_("  %c: %s keeps the baton\n"), which, run->actor_name);
    } else {
        char *why = reason_words(run);

        printf(_("  %c: %s takes the baton: %s\n"), which,
               run->actor_name, why);
        free(why);
    }
    if (run->file != NULL) {
        printf("       %s:%d", srcline_path(run->file, cwd), run->line);
        if (run->func != NULL) {
            printf(" (%s)", run->func);
        }
        if (run->text != NULL) {
            printf(": %s", run->text);
        }
        putchar('\n');
    } else if (run->actor >= 0) {
        printf("       %s\n", _("(no position in the scenario yet)"));
    }
    if (run->has_record) {
        printf(_("       first different record, at step %" PRIu64
                 ": %s\n"), run->record_step, run->record);
    } else {
        printf("       %s\n", _("its log ends here"));
    }
}

static void
print_text(const struct logdiff *ld, struct diff_run runs[2])
{
    char ta[32], tb[32];

    printf(_("Run A: %s\n"), runs[0].args.len > 0 ? runs[0].args.p
                                                  : _("(defaults)"));
    printf(_("Run B: %s\n"), runs[1].args.len > 0 ? runs[1].args.p
                                                  : _("(defaults)"));
    if (!ld->differ) {
        printf(_("The runs are alike: %" PRIu64 " steps, the same "
                 "decisions, states and output.\n"), ld->run[0].steps);
    } else {
        format_time(ta, sizeof ta, ld->run[0].at_time);
        format_time(tb, sizeof tb, ld->run[1].at_time);
        if (ld->run[0].at_time == ld->run[1].at_time) {
            printf(_("The runs part ways at step %" PRIu64 " (virtual "
                     "time %s):\n"), ld->step, ta);
        } else {
            printf(_("The runs part ways at step %" PRIu64 " (virtual "
                     "time %s in A, %s in B):\n"), ld->step, ta, tb);
        }
        char *cwd = getcwd(NULL, 0);

        print_side(&ld->run[0], 'A', cwd);
        print_side(&ld->run[1], 'B', cwd);
        free(cwd);
    }
    printf("%s\n", _("Outcomes:"));
    if (str_equal(&runs[0].res.out, &runs[1].res.out)) {
        printf("  %s\n", _("stdout is the same"));
    } else {
        print_output_diff(&runs[0].res.out, &runs[1].res.out);
    }
    if (!str_equal(&runs[0].res.err, &runs[1].res.err)) {
        printf("  %s\n", _("stderr differs"));
    }
    if (runs[0].res.status == runs[1].res.status) {
        printf(_("  exit status %d in both\n"), runs[0].res.status);
    } else {
        printf(_("  exit status %d in A, %d in B\n"), runs[0].res.status,
               runs[1].res.status);
    }
    if (ld->run[0].deadlock == ld->run[1].deadlock) {
        printf("  %s\n", ld->run[0].deadlock ? _("deadlock in both")
                                             : _("no deadlock in either"));
    } else {
        printf("  %s\n", ld->run[0].deadlock ? _("deadlock in A only")
                                             : _("deadlock in B only"));
    }
}

static void
json_str(struct str *j, const char *s)
{
    if (s == NULL) {
        str_adds(j, "null");
    } else {
        str_add_json(j, s, strlen(s));
    }
}

static void
json_run(struct str *j, const struct logdiff *ld, int i,
         const struct diff_run *r)
{
    const struct logdiff_run *run = &ld->run[i];

    str_adds(j, "{\"args\":");
    json_str(j, r->args.len > 0 ? r->args.p : "");
    str_addf(j, ",\"exit_status\":%d,\"deadlock\":%s,\"steps\":%" PRIu64
             ",\"time_ns\":%" PRId64 ",\"stdout\":",
             r->res.status, run->deadlock ? "true" : "false", run->steps,
             run->time);
    str_add_json(j, r->res.out.p != NULL ? r->res.out.p : "", r->res.out.len);
    str_adds(j, ",\"stderr\":");
    str_add_json(j, r->res.err.p != NULL ? r->res.err.p : "", r->res.err.len);
    if (ld->differ) {
        str_addf(j, ",\"at\":{\"time_ns\":%" PRId64 ",\"actor\":%d,"
                 "\"name\":", run->at_time, run->actor);
        json_str(j, run->actor_name);
        str_addf(j, ",\"switched\":%s,\"from\":%d,\"reason\":",
                 run->switched ? "true" : "false", run->from);
        json_str(j, run->switched ? logdiff_reason_name(run->why) : NULL);
        str_adds(j, ",\"file\":");
        json_str(j, run->file);
        str_addf(j, ",\"line\":%d,\"function\":", run->line);
        json_str(j, run->func);
        str_adds(j, ",\"text\":");
        json_str(j, run->text);
        if (run->has_record) {
            str_addf(j, ",\"record_step\":%" PRIu64 ",\"record\":",
                     run->record_step);
            json_str(j, run->record);
        } else {
            str_adds(j, ",\"record_step\":null,\"record\":null");
        }
        str_addc(j, '}');
    }
    str_addc(j, '}');
}

/* The runs are alike: the same records, output and exit status. */
static bool
runs_alike(const struct logdiff *ld, struct diff_run runs[2])
{
    return !ld->differ && str_equal(&runs[0].res.out, &runs[1].res.out)
           && str_equal(&runs[0].res.err, &runs[1].res.err)
           && runs[0].res.status == runs[1].res.status;
}

static void
print_json(const struct logdiff *ld, struct diff_run runs[2])
{
    struct str j;

    str_init(&j);
    str_addf(&j, "{\"identical\":%s,\"divergence\":",
             runs_alike(ld, runs) ? "true" : "false");
    if (ld->differ) {
        str_addf(&j, "{\"step\":%" PRIu64 ",\"same_records\":%" PRIu64 "}",
                 ld->step, ld->same);
    } else {
        str_adds(&j, "null");
    }
    str_addf(&j, ",\"stdout_identical\":%s,\"stderr_identical\":%s",
             str_equal(&runs[0].res.out, &runs[1].res.out) ? "true" : "false",
             str_equal(&runs[0].res.err, &runs[1].res.err) ? "true" : "false");
    str_adds(&j, ",\"runs\":[");
    for (int i = 0; i < 2; i++) {
        if (i > 0) {
            str_addc(&j, ',');
        }
        json_run(&j, ld, i, &runs[i]);
    }
    str_adds(&j, "]}\n");
    fputs(j.p, stdout);
    str_fini(&j);
}

/* ---- The command -------------------------------------------------------- */

/* Whether r made a log worth comparing; else say why not and false. */
static bool
run_ok(struct diff_run *r, char which)
{
    struct evlog_reader *rd;
    struct diag d;
    struct ev ev;
    bool ok;

    if (r->res.failed != NULL) {
        fprintf(stderr, _("telar diff: run %c could not start: %s\n"),
                which, r->res.failed);
        return false;
    }
    if (r->res.timed_out) {
        fprintf(stderr, _("telar diff: run %c took too long and was "
                          "stopped (--timeout)\n"), which);
        return false;
    }
    rd = evlog_open(r->log, &d);
    ok = rd != NULL && evlog_next(rd, &ev, &d) == 1 && ev.kind == EV_RUN;
    if (rd != NULL) {
        evlog_close(rd);
    }
    if (!ok) {
        fprintf(stderr, _("telar diff: run %c did not run the scenario "
                          "(exit status %d):\n"), which,
                r->res.signal != 0 ? 128 + r->res.signal : r->res.status);
        fwrite(r->res.err.p != NULL ? r->res.err.p : "", 1, r->res.err.len,
               stderr);
        return false;
    }
    return true;
}

static int
compare_logs(struct diff_run runs[2], bool json)
{
    struct evlog_reader *rd[2] = { NULL, NULL };
    struct logdiff ld;
    struct diag d;
    int rc = CMD_DIFF_TROUBLE;

    memset(&ld, 0, sizeof ld);
    for (int i = 0; i < 2; i++) {
        if ((rd[i] = evlog_open(runs[i].log, &d)) == NULL) {
            fprintf(stderr, "telar diff: %s: %s\n", runs[i].log, d.msg);
            goto out;
        }
    }
    if (logdiff_compare(rd[0], rd[1], &ld, &d) < 0) {
        fprintf(stderr, "telar diff: %s\n", d.msg);
        goto out;
    }
    if (json) {
        print_json(&ld, runs);
    } else {
        print_text(&ld, runs);
    }
    rc = runs_alike(&ld, runs) ? CMD_DIFF_SAME : CMD_DIFF_DIFFER;
out:
    logdiff_fini(&ld);
    for (int i = 0; i < 2; i++) {
        if (rd[i] != NULL) {
            evlog_close(rd[i]);
        }
    }
    return rc;
}

static int
cmd_diff_exec(int argc, char **argv)
{
    const char *val[NRUNOPTS][2];
    int nval[NRUNOPTS] = { 0 };
    struct diff_run runs[2];
    const char *file, *tmp = getenv("TMPDIR");
    char *dir;
    int dd = argc, nargs, c, rc = CMD_DIFF_TROUBLE;
    int timeout = CMD_DIFF_TIMEOUT;
    bool json = false;
    char exe[PATH_MAX];
    ssize_t len;

    /* "--" ends the options; what follows is the scenario's argv. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            dd = i;
            break;
        }
    }
    nargs = argc - dd - (dd < argc);
    optind = 1;
    while ((c = getopt_long(dd, argv, "", diff_options, NULL)) != -1) {
        switch (c) {
        case OPT_JSON:
            json = true;
            break;
        case OPT_TIMEOUT: {
            char *end;
            long v = strtol(optarg, &end, 10);

            if (*end != '\0' || end == optarg || v <= 0 || v > 86400) {
                return usage_error(_("--timeout needs a number of seconds "
                                     "from 1 to 86400"));
            }
            timeout = (int)v;
            break;
        }
        case OPT_HELP:
            diff_usage(stdout);
            return CMD_DIFF_SAME;
        default:
            if (c >= OPT_SEED && c < OPT_SEED + (int)NRUNOPTS) {
                int k = c - OPT_SEED;

                if (nval[k] == 2) {
                    fprintf(stderr, _("telar diff: %s given more than "
                                      "twice\n"), run_option[k]);
                    fprintf(stderr, "%s\n", _("Try 'telar diff --help' "
                                              "for more information."));
                    return CMD_DIFF_TROUBLE;
                }
                val[k][nval[k]++] = optarg;
                break;
            }
            fprintf(stderr, "%s\n",
                    _("Try 'telar diff --help' for more information."));
            return CMD_DIFF_TROUBLE;
        }
    }
    if (optind >= dd) {
        return usage_error(_("missing the scenario FILE.py"));
    }
    if (optind + 1 < dd) {
        return usage_error(_("one scenario at a time (its arguments go "
                             "after '--')"));
    }
    file = argv[optind];
    /* The runs are this very binary, found before anything forks. */
    len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        fprintf(stderr, "telar diff: /proc/self/exe: %s\n", strerror(errno));
        return CMD_DIFF_TROUBLE;
    }
    exe[len] = '\0';
    dir = xasprintf("%s/telar-diff-XXXXXX",
                    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "telar diff: %s: %s\n", dir, strerror(errno));
        free(dir);
        return CMD_DIFF_TROUBLE;
    }
    memset(runs, 0, sizeof runs);
    for (int i = 0; i < 2; i++) {
        struct diff_run *r = &runs[i];

        str_init(&r->args);
        spawn_result_init(&r->res);
        r->exe = exe;
        r->log = xasprintf("%s/%c.log", dir, 'a' + i);
        push_arg(r, "telar");
        push_arg(r, "run");
        push_arg(r, "--headless");
        push_arg(r, "--log");
        push_arg(r, r->log);
        for (size_t k = 0; k < NRUNOPTS; k++) {
            const char *v;

            if (nval[k] == 0) {
                continue;
            }
            v = val[k][nval[k] == 2 ? i : 0];
            push_arg(r, (char *)run_option[k]);
            push_arg(r, (char *)v);
            str_addf(&r->args, "%s%s %s", r->args.len > 0 ? " " : "",
                     run_option[k], v);
        }
        push_arg(r, (char *)file);
        if (nargs > 0) {
            push_arg(r, "--");
            for (int k = dd + 1; k < argc; k++) {
                push_arg(r, argv[k]);
            }
        }
    }
    for (int i = 0; i < 2; i++) {
        run_child(&runs[i], timeout);
    }
    if (run_ok(&runs[0], 'A') && run_ok(&runs[1], 'B')) {
        rc = compare_logs(runs, json);
    }
    for (int i = 0; i < 2; i++) {
        unlink(runs[i].log);
        free(runs[i].log);
        free(runs[i].argv);
        str_fini(&runs[i].args);
        spawn_result_fini(&runs[i].res);
    }
    rmdir(dir);
    free(dir);
    return rc;
}

const struct cmd_entry cmd_diff_entry = {
    .name = "diff",
    .summary = N_("run a scenario twice and show where the runs part ways"),
    .exec = cmd_diff_exec,
};
