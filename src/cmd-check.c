/*
 * telar check [PATH...]: validate lessons and run their scenarios to the
 * outcome each declares.  The lesson layer (src/lesson) parses and checks
 * what needs nothing run; here every scenario runs in a child
 * "telar run --headless" (this very binary), with a timeout, and its
 * stdout and exit status are held to the front matter's expect:.  With
 * --python, scenarios also run under a plain python3.  Prints "ok" or
 * "FAIL" per scenario and a summary; exits 1 if anything failed.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/engine.h"
#include "lesson/catalog.h"
#include "lesson/lesson.h"
#include "util/spawn.h"
#include "util/util.h"

#define CHECK_DEFAULT_TIMEOUT 60        /* seconds per run */
/* Steps per run: a run that never ends is stopped here, deterministically
 * (the timeout is only the last resort of a machine too slow or too busy;
 * the longest written scenario takes about 10 million steps). */
#define CHECK_DEFAULT_MAX_STEPS 100000000ULL
#define CHECK_MAX_CAPTURE (1 << 20)     /* bytes kept of stdout, stderr */
#define CHECK_SHOW_LINES 6              /* stderr lines shown on failure */

enum {
    OPT_PYTHON = 256,
    OPT_TIMEOUT,
    OPT_MAX_STEPS,
    OPT_HELP,
};

static const struct option check_options[] = {
    { "python", required_argument, NULL, OPT_PYTHON },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "max-steps", required_argument, NULL, OPT_MAX_STEPS },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 }
};

/* A catalogue found beside some lessons, loaded once. */
struct check_dir {
    char *dir;                  /* real path of the lessons directory */
    struct catalog *cat;        /* NULL: none there, or it failed */
};

/* The whole run; on cmd_check_exec's stack. */
struct checker {
    char exe[32];               /* this binary */
    const char *python;         /* --python, or NULL */
    int timeout;                /* seconds per run */
    unsigned long long max_steps;   /* steps per run under telar */
    struct check_dir *roots;
    size_t nroots;
    size_t nlessons, lessons_failed;
    size_t nscenarios, scenarios_failed;
    size_t errors;              /* a bad catalogue, a missing PATH */
};

static void
check_usage(FILE *f)
{
    fprintf(f, "%s", _(
"Usage: telar check [OPTION]... [PATH]...\n"
"Validate lessons and run every scenario to the outcome it declares.\n"
"PATH is a lesson (.md) or a directory of lessons; with none, telar\n"
"checks its own lessons.\n"
"\n"
"  --python PYTHON     also run each scenario under PYTHON (python3):\n"
"                      its exit status must match, and its output too\n"
"                      where the scenario says 'python: same'\n"
"  --max-steps N       stop a run that never ends after N scheduler steps\n"
"                      (default 100000000)\n"
"  --timeout SECONDS   stop a run after this long (default 60)\n"
"  --help              show this help and exit\n"
"\n"
"Exit status: 0 if everything passed, 1 if anything failed, 2 for a\n"
"usage error.  lessons/FORMAT.md describes the lesson format.\n"));
}

const char *
cmd_lessonsdir(void)
{
    static char dir[PATH_MAX];

    return cmd_finddir("TELAR_LESSONSDIR", "lessons",
                       TELAR_DATADIR "/lessons", dir, sizeof dir);
}

/* ---- output -------------------------------------------------------------- */

/* "file:line:col: error: msg" on stderr, after what stdout holds. */
static void
print_diag(const struct diag *d)
{
    fflush(stdout);
    if (d->file[0] != '\0' && d->line > 0) {
        fprintf(stderr, "%s:%d:%d: %s: %s\n", d->file, d->line,
                d->col > 0 ? d->col : 1, _("error"), d->msg);
    } else if (d->file[0] != '\0') {
        fprintf(stderr, "%s: %s: %s\n", d->file, _("error"), d->msg);
    } else {
        fprintf(stderr, "telar check: %s\n", d->msg);
    }
}

/* The last lines of a child's stderr, indented, for a failure. */
static void
print_tail(const struct str *err)
{
    const char *s = err->p, *e = err->p + err->len;
    int lines = 0;

    if (err->len == 0) {
        return;
    }
    if (e > s && e[-1] == '\n') {
        e--;
    }
    for (const char *q = e; q > s; q--) {
        if (q[-1] == '\n' && ++lines == CHECK_SHOW_LINES) {
            s = q;
            break;
        }
    }
    fflush(stdout);
    while (s < e) {
        const char *nl = memchr(s, '\n', (size_t)(e - s));
        const char *le = nl != NULL ? nl : e;

        fprintf(stderr, "  | %.*s\n", (int)(le - s), s);
        s = le + 1;
    }
}

/* A C-style quoted excerpt of s[0..len), at most 60 characters' worth. */
static void
add_quoted(struct str *out, const char *s, size_t len)
{
    size_t shown = 0;

    str_addc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (shown >= 60 && (c & 0xc0) != 0x80) {
            str_adds(out, "...");
            break;
        }
        if (c == '\n') {
            str_adds(out, "\\n");
        } else if (c == '"' || c == '\\') {
            str_addf(out, "\\%c", c);
        } else if (c < 0x20 || c == 0x7f) {
            str_addf(out, "\\x%02x", c);
        } else {
            str_addc(out, (char)c);
        }
        if ((c & 0xc0) != 0x80) {
            shown++;
        }
    }
    str_addc(out, '"');
}

/* stdout as compared: one final newline removed. */
static size_t
output_len(const struct str *out)
{
    return out->len > 0 && out->p[out->len - 1] == '\n' ? out->len - 1
                                                         : out->len;
}

static bool
output_is(const struct str *out, const char *want)
{
    size_t n = output_len(out);

    return strlen(want) == n && memcmp(want, out->p, n) == 0;
}

/* "expected output "…", got "…"", from the first line that differs. */
static void
describe_output(struct str *msg, const char *want, const struct str *out)
{
    const char *w = want, *g = out->p;
    size_t glen = output_len(out), wlen = strlen(want);
    int line = 1;

    /* Skip the lines both share, so the excerpt shows the difference. */
    for (;;) {
        const char *wn = memchr(w, '\n', wlen - (size_t)(w - want));
        const char *gn = memchr(g, '\n', glen - (size_t)(g - out->p));

        if (wn == NULL || gn == NULL || wn - w != gn - g
            || memcmp(w, g, (size_t)(wn - w)) != 0) {
            break;
        }
        w = wn + 1;
        g = gn + 1;
        line++;
    }
    if (line > 1) {
        str_addf(msg, _("output differs at line %d: expected "), line);
    } else {
        str_adds(msg, _("expected output "));
    }
    add_quoted(msg, w, wlen - (size_t)(w - want));
    str_adds(msg, _(", got "));
    add_quoted(msg, g, glen - (size_t)(g - out->p));
}

/* ---- running a child ----------------------------------------------------- */

/* Runs argv (argv[0] found on PATH when it has no '/') in dir, with the
 * given "NAME=value" settings added to the environment, stdin from
 * /dev/null, stdout and stderr captured, killed after timeout seconds.
 * Why a run could not start goes to its stderr too, for the report. */
static void
run_child(char *const argv[], const char *dir, char *const env[],
          int timeout, struct spawn_result *r)
{
    struct spawn_req req = {
        .path = argv[0],
        .argv = argv,
        .dir = dir,
        .env = env,
        .timeout = timeout,
        .cap = CHECK_MAX_CAPTURE,
        .who = NULL,
    };

    spawn_run(&req, r);
    if (r->failed != NULL) {
        str_addf(&r->err, "%s\n", r->failed);
    }
}

/* Where and under what name a scenario runs: the lesson's folder and the
 * file's name, or a temporary folder holding the block as <id>.py. */
struct scenario_file {
    char *dir;
    char *name;
    char *tmpdir;               /* to remove afterwards, or NULL */
};

static int
scenario_file_init(struct scenario_file *sf, const struct lesson *l,
                   const struct lesson_scenario *sc, const char *src,
                   struct diag *d)
{
    const char *tmp = getenv("TMPDIR");
    char *path;
    FILE *f;
    bool ok = false;

    memset(sf, 0, sizeof *sf);
    if (sc->file != NULL) {
        sf->dir = lesson_dir(l);
        sf->name = xstrdup(sc->file);
        return 0;
    }
    sf->tmpdir = xasprintf("%s/telar-check-XXXXXX",
                           tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(sf->tmpdir) == NULL) {
        diag_set_at(d, sf->tmpdir, 0, 0, "%s", strerror(errno));
        free(sf->tmpdir);
        sf->tmpdir = NULL;
        return -1;
    }
    sf->dir = xstrdup(sf->tmpdir);
    sf->name = xasprintf("%s.py", sc->block);
    path = xasprintf("%s/%s", sf->dir, sf->name);
    if ((f = fopen(path, "w")) != NULL) {
        ok = fputs(src, f) != EOF;
        ok = fclose(f) == 0 && ok;
    }
    if (!ok) {
        diag_set_at(d, path, 0, 0, "%s", strerror(errno));
    }
    free(path);
    return ok ? 0 : -1;
}

/* Also on a zeroed or half-made one. */
static void
scenario_file_fini(struct scenario_file *sf)
{
    if (sf->tmpdir != NULL) {
        char *path = xasprintf("%s/%s", sf->tmpdir, sf->name);

        unlink(path);
        free(path);
        rmdir(sf->tmpdir);
        free(sf->tmpdir);
    }
    free(sf->dir);
    free(sf->name);
}

static void
run_telar(struct checker *ck, const struct scenario_file *sf,
          const char *policy, uint64_t seed, struct spawn_result *r)
{
    char seedbuf[32], stepbuf[32];
    char *argv[] = { ck->exe, "run", "--headless", "--policy",
                     (char *)policy, "--seed", seedbuf, "--max-steps",
                     stepbuf, sf->name, NULL };

    snprintf(seedbuf, sizeof seedbuf, "%llu", (unsigned long long)seed);
    snprintf(stepbuf, sizeof stepbuf, "%llu", ck->max_steps);
    spawn_result_init(r);
    run_child(argv, sf->dir, NULL, ck->timeout, r);
}

static void
run_python(struct checker *ck, const struct scenario_file *sf,
           struct spawn_result *r)
{
    char *pypath = xasprintf("PYTHONPATH=%s/python", cmd_datadir());
    char *env[] = { pypath, "PYTHONHASHSEED=0", "PYTHONUTF8=1",
                    "PYTHONDONTWRITEBYTECODE=1", NULL };
    char *argv[] = { (char *)ck->python, sf->name, NULL };

    spawn_result_init(r);
    run_child(argv, sf->dir, env, ck->timeout, r);
    free(pypath);
}

/* ---- judging a run ------------------------------------------------------- */

/* The exit status the scenario must end with. */
static int
want_status(const struct lesson_expect *x)
{
    return x->deadlock ? ENGINE_EXIT_DEADLOCK
                       : x->has_exit ? x->exit_status : 0;
}

/* Did the run end as it should, status-wise?  If not, says how in msg. */
static bool
judge_status(const struct spawn_result *r, int want, int timeout,
             unsigned long long max_steps, struct str *msg)
{
    if (r->failed != NULL) {
        str_adds(msg, _("could not start the run"));
        return false;
    }
    if (r->timed_out) {
        str_addf(msg, _("expected the run to end, but it was still going "
                        "after %d s"), timeout);
        return false;
    }
    if (r->signal != 0) {
        str_addf(msg, _("expected exit status %d, but the run was killed by "
                        "signal %d (%s)"), want, r->signal,
                 strsignal(r->signal));
        return false;
    }
    if (r->status == ENGINE_EXIT_LIMIT && want != ENGINE_EXIT_LIMIT
        && strstr(r->err.p != NULL ? r->err.p : "", "--max-steps") != NULL) {
        str_addf(msg, _("expected the run to end, but it was stopped after "
                        "%llu steps (--max-steps)"), max_steps);
        return false;
    }
    if (r->status != want) {
        str_addf(msg, _("expected exit status %d, got %d"), want,
                 r->status);
        if (r->status == ENGINE_EXIT_DEADLOCK) {
            str_adds(msg, _(" (a deadlock)"));
        }
        return false;
    }
    return true;
}

static void
report_fail(const struct lesson *l, struct lesson_pos pos, const char *label,
            const struct str *msg, const struct str *err)
{
    struct diag d;

    printf("FAIL %s: %s\n", l->path, label);
    diag_set_at(&d, l->path, pos.line, pos.col, "%s", msg->p);
    print_diag(&d);
    if (err != NULL) {
        print_tail(err);
    }
}

/* Runs seeds 0..seeds-1 and compares the set of outputs. */
static bool
check_outcomes(struct checker *ck, const struct lesson *l,
               const struct lesson_scenario *sc, const struct scenario_file *sf,
               const char *label)
{
    const struct lesson_expect *x = &sc->expect;
    bool *seen = xcalloc(x->noutcomes, sizeof *seen);
    struct str msg;
    bool ok = true;

    str_init(&msg);
    for (int seed = 0; seed < x->seeds && ok; seed++) {
        struct spawn_result r;
        size_t k;

        run_telar(ck, sf, sc->policy, (uint64_t)seed, &r);
        if (!judge_status(&r, want_status(x), ck->timeout, ck->max_steps, &msg)) {
            struct str m2;

            str_init(&m2);
            str_addf(&m2, _("seed %d: %s"), seed, msg.p);
            report_fail(l, x->pos, label, &m2, &r.err);
            str_fini(&m2);
            ok = false;
        } else {
            for (k = 0; k < x->noutcomes; k++) {
                if (output_is(&r.out, x->outcomes[k])) {
                    seen[k] = true;
                    break;
                }
            }
            if (k == x->noutcomes) {
                str_addf(&msg, _("expected one of the outcomes, but seed %d "
                                 "printed "), seed);
                add_quoted(&msg, r.out.p, output_len(&r.out));
                report_fail(l, x->pos, label, &msg, NULL);
                ok = false;
            }
        }
        spawn_result_fini(&r);
    }
    for (size_t k = 0; k < x->noutcomes && ok; k++) {
        if (!seen[k]) {
            str_addf(&msg, _("expected the outcome "));
            add_quoted(&msg, x->outcomes[k], strlen(x->outcomes[k]));
            str_addf(&msg, _(" among seeds 0 to %d under %s, but no seed "
                             "gave it"), x->seeds - 1, sc->policy);
            report_fail(l, x->pos, label, &msg, NULL);
            ok = false;
        }
    }
    str_fini(&msg);
    free(seen);
    return ok;
}

/* One run with the scenario's seed: status, deadlock report, output. */
static bool
check_single(struct checker *ck, const struct lesson *l,
             const struct lesson_scenario *sc, const struct scenario_file *sf,
             const char *label)
{
    const struct lesson_expect *x = &sc->expect;
    struct spawn_result r;
    struct str msg;
    bool ok = false;

    str_init(&msg);
    run_telar(ck, sf, sc->policy, sc->seed, &r);
    if (!judge_status(&r, want_status(x), ck->timeout, ck->max_steps, &msg)) {
        report_fail(l, x->pos, label, &msg, &r.err);
    } else if (x->deadlock
               && strstr(r.err.p, _(ENGINE_DEADLOCK_LINE)) == NULL) {
        /* The child speaks the same locale, through the same catalogue,
         * so the translated first line of its report is what it wrote. */
        str_adds(&msg, _("expected telar's deadlock report on stderr"));
        report_fail(l, x->pos, label, &msg, &r.err);
    } else if (x->output != NULL && !output_is(&r.out, x->output)) {
        describe_output(&msg, x->output, &r.out);
        report_fail(l, x->pos, label, &msg, NULL);
    } else {
        ok = true;
    }
    spawn_result_fini(&r);
    str_fini(&msg);
    return ok;
}

/* Under plain python3: the same exit status; the same output when the
 * scenario says python: same. */
static bool
check_python(struct checker *ck, const struct lesson *l,
             const struct lesson_scenario *sc, const struct scenario_file *sf,
             const char *label)
{
    const struct lesson_expect *x = &sc->expect;
    struct spawn_result r;
    struct str msg;
    bool ok = false;

    str_init(&msg);
    str_addf(&msg, "%s: ", ck->python);
    run_python(ck, sf, &r);
    if (!judge_status(&r, want_status(x), ck->timeout, ck->max_steps, &msg)) {
        report_fail(l, x->pos, label, &msg, &r.err);
    } else if (sc->python == LESSON_PYTHON_SAME
               && !output_is(&r.out, x->output)) {
        describe_output(&msg, x->output, &r.out);
        report_fail(l, x->pos, label, &msg, NULL);
    } else {
        ok = true;
    }
    spawn_result_fini(&r);
    str_fini(&msg);
    return ok;
}

/* "contador.py", "#bloque (preempt, seed 31)", "x.py (gil, seeds 0-39)". */
static char *
scenario_label(const struct lesson_scenario *sc)
{
    struct str s;

    str_init(&s);
    if (sc->file != NULL) {
        str_adds(&s, sc->file);
    } else {
        str_addf(&s, "#%s", sc->block);
    }
    if (sc->expect.noutcomes > 0) {
        str_addf(&s, " (%s, seeds 0-%d)", sc->policy, sc->expect.seeds - 1);
    } else if (sc->seed != 0) {
        str_addf(&s, " (%s, seed %llu)", sc->policy,
                 (unsigned long long)sc->seed);
    } else if (strcmp(sc->policy, "gil") != 0) {
        str_addf(&s, " (%s)", sc->policy);
    }
    return s.p;
}

static bool
check_scenario(struct checker *ck, const struct lesson *l,
               const struct lesson_scenario *sc)
{
    char *label = scenario_label(sc);
    struct scenario_file sf;
    struct diag d;
    char *src, *name;
    size_t len;
    int first_line = 1;
    bool ok = false;

    if ((src = lesson_scenario_source(l, sc, &len, &d)) == NULL) {
        printf("FAIL %s: %s\n", l->path, label);
        print_diag(&d);
        free(label);
        return false;
    }
    if (sc->file != NULL) {
        char *dir = lesson_dir(l);

        name = xasprintf("%s/%s", dir, sc->file);
        free(dir);
    } else {
        name = xstrdup(l->path);
        first_line = lesson_block_find(l, sc->block)->pos.line + 1;
    }
    memset(&sf, 0, sizeof sf);
    if (lesson_check_source(l, sc, src, name, first_line, &d) < 0
        || scenario_file_init(&sf, l, sc, src, &d) < 0) {
        printf("FAIL %s: %s\n", l->path, label);
        print_diag(&d);
        goto out;
    }
    if (sc->expect.noutcomes > 0) {
        ok = check_outcomes(ck, l, sc, &sf, label);
    } else {
        ok = check_single(ck, l, sc, &sf, label);
    }
    if (ok && ck->python != NULL && !sc->expect.deadlock) {
        ok = check_python(ck, l, sc, &sf, label);
    }
    if (ok) {
        printf("ok   %s: %s\n", l->path, label);
    }
out:
    scenario_file_fini(&sf);
    free(name);
    free(src);
    free(label);
    return ok;
}

/* ---- lessons and catalogues ---------------------------------------------- */

/* The catalogue of the lessons directory real (a real path), loaded once
 * and named in messages as shown/catalog.txt; NULL if there is none or it
 * does not parse (reported once). */
static struct catalog *
root_catalog(struct checker *ck, const char *real, const char *shown)
{
    struct check_dir *r;
    char *path;
    struct diag d;
    struct stat st;

    for (size_t i = 0; i < ck->nroots; i++) {
        if (strcmp(ck->roots[i].dir, real) == 0) {
            return ck->roots[i].cat;
        }
    }
    ck->roots = xrealloc(ck->roots, (ck->nroots + 1) * sizeof *ck->roots);
    r = &ck->roots[ck->nroots++];
    r->dir = xstrdup(real);
    r->cat = NULL;
    path = xasprintf("%s/catalog.txt", shown);
    if (stat(path, &st) == 0) {
        r->cat = catalog_load(path, &d);
        if (r->cat == NULL) {
            printf("FAIL %s\n", path);
            print_diag(&d);
            ck->errors++;
        }
    }
    free(path);
    return r->cat;
}

/* The lesson's place in the catalogue: folder, order, title, and the
 * curriculum's .py as a scenario. */
static int
check_against(const struct lesson *l, const struct catalog_lesson *le,
              const char *cat_path, struct diag *d)
{
    if (!le->written) {
        diag_set_at(d, cat_path, le->line, 1, _("expected 'written' for "
                                                "%s: the lesson exists"),
                    le->id);
        return -1;
    }
    if (strcmp(l->chapter, le->chapter) != 0) {
        diag_set_at(d, l->path, l->chapter_pos.line, l->chapter_pos.col,
                    _("expected 'chapter: %s', the lesson's folder"),
                    le->chapter);
        return -1;
    }
    if (l->order != le->order) {
        diag_set_at(d, l->path, l->order_pos.line, l->order_pos.col,
                    _("expected 'order: %d', the lesson's place in its "
                      "chapter in %s"), le->order, cat_path);
        return -1;
    }
    if (strcmp(l->title, le->title) != 0) {
        diag_set_at(d, l->path, l->title_pos.line, l->title_pos.col,
                    _("expected the title given in %s: \"%s\""), cat_path,
                    le->title);
        return -1;
    }
    if (le->from_py) {
        size_t i;
        char *want = xasprintf("%s.py", le->name);

        for (i = 0; i < l->nscenarios; i++) {
            if (l->scenarios[i].file != NULL
                && strcmp(l->scenarios[i].file, want) == 0) {
                break;
            }
        }
        if (i == l->nscenarios) {
            diag_set_at(d, l->path, 1, 1, _("expected a scenario 'file: %s' "
                                            "(the curriculum's %s)"), want,
                        le->entry);
            free(want);
            return -1;
        }
        free(want);
    }
    return 0;
}

/* Checks one lesson file and runs its scenarios. */
static void
check_lesson(struct checker *ck, const char *path)
{
    char real[PATH_MAX], *chapter, *name, *id, *cat_path = NULL;
    const struct catalog_lesson *le = NULL;
    struct catalog *cat = NULL;
    struct lesson *l;
    struct diag d;
    size_t failed_before = ck->scenarios_failed;

    ck->nlessons++;
    if (realpath(path, real) == NULL) {
        diag_set_at(&d, path, 0, 0, "%s", strerror(errno));
        printf("FAIL %s\n", path);
        print_diag(&d);
        ck->lessons_failed++;
        return;
    }
    /* real is <root>/<chapter>/<name>.md: find the catalogue there. */
    name = strrchr(real, '/');
    *name++ = '\0';
    chapter = strrchr(real, '/');
    if (chapter != NULL && chapter != real) {
        char *p1 = xstrdup(path), *p2, *shown;

        *chapter++ = '\0';
        /* The same folder as the user wrote it, for messages. */
        p2 = xstrdup(dirname(p1));
        shown = strcmp(p2, ".") == 0 ? ".." : dirname(p2);
        cat = root_catalog(ck, real, shown);
        free(p1);
        free(p2);
    }
    if (cat != NULL) {
        size_t n = strlen(name);

        id = xasprintf("%s/%.*s", chapter, (int)(n > 3 ? n - 3 : n), name);
        le = catalog_find(cat, id);
        cat_path = cat->path;
        if (le == NULL) {
            printf("FAIL %s\n", path);
            diag_set_at(&d, path, 0, 0, _("expected '%s' in %s"), id,
                        cat_path);
            print_diag(&d);
            ck->lessons_failed++;
            free(id);
            return;
        }
        free(id);
    }
    if ((l = lesson_load(path, &d)) == NULL
        || (le != NULL && check_against(l, le, cat_path, &d) < 0)) {
        printf("FAIL %s\n", path);
        print_diag(&d);
        ck->lessons_failed++;
        lesson_free(l);
        return;
    }
    for (size_t i = 0; i < l->nscenarios; i++) {
        ck->nscenarios++;
        if (!check_scenario(ck, l, &l->scenarios[i])) {
            ck->scenarios_failed++;
        }
    }
    if (ck->scenarios_failed > failed_before) {
        ck->lessons_failed++;
    } else if (l->nscenarios == 0) {
        printf("ok   %s\n", path);
    }
    lesson_free(l);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the .md files under dir (recursing depth levels) to *v, sorted per
 * directory. */
static void
collect_md(const char *dir, int depth, char ***v, size_t *n)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t nn = 0;

    if (dp == NULL) {
        return;
    }
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] != '.') {
            names = xrealloc(names, (nn + 1) * sizeof *names);
            names[nn++] = xstrdup(de->d_name);
        }
    }
    closedir(dp);
    qsort(names, nn, sizeof *names, cmp_str);
    for (size_t i = 0; i < nn; i++) {
        char *p = xasprintf("%s/%s", dir, names[i]);
        struct stat st;
        size_t len = strlen(names[i]);

        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth > 0) {
            collect_md(p, depth - 1, v, n);
        } else if (S_ISREG(st.st_mode) && len > 3
                   && strcmp(names[i] + len - 3, ".md") == 0) {
            *v = xrealloc(*v, (*n + 1) * sizeof **v);
            (*v)[(*n)++] = p;
            p = NULL;
        }
        free(p);
        free(names[i]);
    }
    free(names);
}

/* The lesson files of a lessons directory: <dir>/<chapter>/<name>.md,
 * sorted.  Files at the top (FORMAT.md) are not lessons. */
static void
collect_root(const char *dir, char ***files, size_t *nfiles)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    char **subs = NULL;
    size_t nsubs = 0;

    if (dp == NULL) {
        return;
    }
    while ((de = readdir(dp)) != NULL) {
        char *p = xasprintf("%s/%s", dir, de->d_name);
        struct stat st;

        if (de->d_name[0] != '.' && stat(p, &st) == 0
            && S_ISDIR(st.st_mode)) {
            subs = xrealloc(subs, (nsubs + 1) * sizeof *subs);
            subs[nsubs++] = p;
            p = NULL;
        }
        free(p);
    }
    closedir(dp);
    qsort(subs, nsubs, sizeof *subs, cmp_str);
    for (size_t i = 0; i < nsubs; i++) {
        collect_md(subs[i], 0, files, nfiles);
        free(subs[i]);
    }
    free(subs);
}

/* A lessons directory with a catalogue: the written lessons in course
 * order, then any lesson file the catalogue does not list as written (or,
 * when the catalogue is broken, every lesson file). */
static void
check_root(struct checker *ck, const char *dir, struct catalog *cat)
{
    char **files = NULL;
    size_t nfiles = 0;

    for (size_t i = 0; cat != NULL && i < cat->nlessons; i++) {
        const struct catalog_lesson *le = &cat->lessons[i];
        char *p;
        struct stat st;
        struct diag d;

        if (!le->written) {
            continue;
        }
        p = xasprintf("%s/%s/%s.md", dir, le->chapter, le->name);
        if (stat(p, &st) < 0) {
            ck->nlessons++;
            ck->lessons_failed++;
            printf("FAIL %s\n", p);
            diag_set_at(&d, cat->path, le->line, 1,
                        _("expected the lesson %s, marked written: %s"), p,
                        strerror(errno));
            print_diag(&d);
        } else {
            check_lesson(ck, p);
        }
        free(p);
    }
    collect_root(dir, &files, &nfiles);
    for (size_t i = 0; i < nfiles; i++) {
        const char *name = strrchr(files[i], '/') + 1;
        const char *chap = name - 1;
        const struct catalog_lesson *le = NULL;
        char *id;

        while (chap > files[i] && chap[-1] != '/') {
            chap--;
        }
        id = xasprintf("%.*s%.*s", (int)(name - chap), chap,
                       (int)strlen(name) - 3, name);
        if (cat != NULL) {
            le = catalog_find(cat, id);
        }
        if (le == NULL || !le->written) {
            check_lesson(ck, files[i]);         /* reports it */
        }
        free(id);
        free(files[i]);
    }
    free(files);
}

static void
check_path(struct checker *ck, const char *arg)
{
    char *path = xstrdup(arg);
    size_t len = strlen(path);
    struct stat st;
    struct diag d;
    char real[PATH_MAX];

    while (len > 1 && path[len - 1] == '/') {
        path[--len] = '\0';     /* "lessons/" names "lessons/x.md" */
    }
    if (stat(path, &st) < 0) {
        ck->errors++;
        printf("FAIL %s\n", path);
        diag_set_at(&d, path, 0, 0, "%s", strerror(errno));
        print_diag(&d);
        free(path);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        char *catp = xasprintf("%s/catalog.txt", path);
        bool is_root = access(catp, F_OK) == 0;

        free(catp);
        if (is_root) {
            struct catalog *cat = NULL;

            if (realpath(path, real) != NULL) {
                cat = root_catalog(ck, real, path);
            }
            check_root(ck, path, cat);
        } else {
            char **files = NULL;
            size_t n = 0;

            collect_md(path, 8, &files, &n);
            for (size_t i = 0; i < n; i++) {
                check_lesson(ck, files[i]);
                free(files[i]);
            }
            free(files);
        }
    } else {
        check_lesson(ck, path);
    }
    free(path);
}

static int
cmd_check_exec(int argc, char **argv)
{
    struct checker ck;
    int c;

    memset(&ck, 0, sizeof ck);
    ck.timeout = CHECK_DEFAULT_TIMEOUT;
    ck.max_steps = CHECK_DEFAULT_MAX_STEPS;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", check_options, NULL)) != -1) {
        switch (c) {
        case OPT_PYTHON:
            ck.python = optarg;
            break;
        case OPT_TIMEOUT: {
            char *end;
            long v;

            errno = 0;
            v = strtol(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || v < 1 || v > 86400) {
                fprintf(stderr, _("telar check: --timeout needs a number of "
                                  "seconds from 1 to 86400, not '%s'\n"),
                        optarg);
                return ENGINE_EXIT_USAGE;
            }
            ck.timeout = (int)v;
            break;
        }
        case OPT_MAX_STEPS: {
            char *end;
            unsigned long long v;

            errno = 0;
            v = strtoull(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || optarg[0] == '-' || v < 1) {
                fprintf(stderr, _("telar check: --max-steps needs a positive "
                                  "number of steps, not '%s'\n"), optarg);
                return ENGINE_EXIT_USAGE;
            }
            ck.max_steps = v;
            break;
        }
        case OPT_HELP:
            check_usage(stdout);
            return 0;
        default:
            fprintf(stderr, "%s\n",
                    _("Try 'telar check --help' for more information."));
            return ENGINE_EXIT_USAGE;
        }
    }
    /* Not the path readlink gives: a rebuild may replace that file while
     * the check runs; /proc/self/exe stays this binary. */
    snprintf(ck.exe, sizeof ck.exe, "/proc/self/exe");
    if (optind == argc) {
        check_path(&ck, cmd_lessonsdir());
    }
    for (int i = optind; i < argc; i++) {
        check_path(&ck, argv[i]);
    }
    printf(_("lessons: %zu checked, %zu failed; scenarios: %zu run, %zu "
             "failed\n"), ck.nlessons, ck.lessons_failed, ck.nscenarios,
           ck.scenarios_failed);
    if (ck.errors > 0) {
        printf(_("other errors: %zu\n"), ck.errors);
    }
    for (size_t i = 0; i < ck.nroots; i++) {
        catalog_free(ck.roots[i].cat);
        free(ck.roots[i].dir);
    }
    free(ck.roots);
    return ck.lessons_failed + ck.scenarios_failed + ck.errors > 0;
}

const struct cmd_entry cmd_check_entry = {
    .name = "check",
    .summary = N_("validate lessons and run their scenarios"),
    .exec = cmd_check_exec,
};
