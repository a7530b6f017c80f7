/*
 * The scenario page (tui layer): one run on the screen of screen.c
 * (timeline, output, state, status bar), driven by action.c's keys.  The
 * run is a recorded log (telar view LOG) or a child started through run.c
 * (telar run FILE, a lesson's scenario); until the child's log can be read
 * the page says the run is under way, and if it cannot start, why.  The
 * model follows the log as it grows (model_refresh).  It never includes
 * engine/ or sched/: the log is all it knows of the run.
 */
#include "config.h"

#include "page-scenario.h"

#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lesson/lesson.h"
#include "log/diff.h"
#include "log/races.h"
#include "tui/loop.h"
#include "tui/page-outcomes.h"
#include "tui/screen.h"
#include "util/file.h"

#define FRAME_MS 16             /* the fastest the timer ticks */
#define DEFAULT_SPEED 3         /* action.c's speeds[3]: 10 steps/s */
/* A live run is let go this many steps beyond the cursor (and two
 * seconds' worth at the playing speed): enough that stepping and playing
 * never wait for it, little enough that a run that never ends costs
 * nothing while nobody watches. */
#define AHEAD_STEPS 20000
/* End follows a live run to its end in bites of this many steps, so a run
 * that never ends stops soon after the user stops following it. */
#define FOLLOW_STEPS 1000000

/* A run and what reads its log: the one about to replace the run on
 * screen, or the one it replaced.  Owned by the page; side_drop frees. */
struct side {
    struct run *run;
    struct evlog_reader *reader;
    struct model *model;
    char label[128];            /* what it is, for a comparison */
};

static void
side_drop(struct side *s)
{
    model_free(s->model);
    evlog_close(s->reader);
    run_free(s->run);
    memset(s, 0, sizeof *s);
}

enum scenario_state {
    SC_RUNNING,                 /* the child runs; no log to read yet */
    SC_READY,                   /* the model is there */
    SC_FAILED,                  /* no run to show: error says why */
};

struct page_scenario {
    struct page base;
    struct tui tui;
    enum scenario_state state;
    struct run *run;            /* owned, or NULL */
    struct evlog_reader *reader;
    struct model *model;
    char *title;
    char *detail;               /* policy and seed, for the waiting text */
    char policy[32];            /* the policy outside manual scheduling */
    struct diag error;          /* SC_FAILED */
    struct page_scenario_hooks hooks;
    WINDOW *head, *body, *status;       /* not SC_READY */
    double due;                 /* steps owed to the timer */
    bool follow;                /* End on a live run: stay at its end */
    char *log_path;             /* a recorded log's path (no run) */
    uint64_t linted;            /* records in the log when last linted */
    /* A run started to take the place of this one (a manual choice,
     * another policy or seed, an edit): the screen keeps showing this one
     * until the new one's log reaches next_target. */
    struct side next;
    uint64_t next_target;       /* the step to show it at */
    int next_pick;              /* the actor that must run there, or -1 */
    bool next_edit;             /* an edited scenario: a version that does
                                   not even start is not shown */
    /* The run it replaced, kept (its engine paused) for d: the two
     * timelines one above the other, the first step where they part ways
     * marked. */
    struct side prev;
    struct tui prev_tui;        /* the other timeline's view of prev */
    struct view *prev_view;     /* owned */
    bool compare;
    char label[128];            /* what the run on screen is */
};

/* A message in the status bar; true (the key was handled). */
static bool
notice(struct page_scenario *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
notice(struct page_scenario *ps, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ps->tui.notice, sizeof ps->tui.notice, fmt, ap);
    va_end(ap);
    return true;
}

/* Keep a live run going a little ahead of the cursor (or, when following,
 * ahead of its end). */
static void
scenario_feed(struct page_scenario *ps)
{
    uint64_t at;

    if (ps->run == NULL || !run_is_running(ps->run)) {
        return;
    }
    if (ps->model == NULL) {
        run_allow(ps->run, AHEAD_STEPS);
        return;
    }
    if (ps->follow) {
        at = model_last_step(ps->model) + FOLLOW_STEPS;
    } else {
        at = model_step(ps->model) + AHEAD_STEPS
             + 2 * (uint64_t)action_speed(ps->tui.speed);
    }
    run_allow(ps->run, at);
}

/* ---- The run and its log ------------------------------------------------ */

/* Open the log at path and index it into *rp and *mp; 0, or -1 (with d).
 * A run's log is not worth showing (not yet, or ever) before its first
 * record. */
static int
log_open(const char *path, bool need_records, struct evlog_reader **rp,
         struct model **mp, struct diag *d)
{
    *rp = evlog_open(path, d);
    if (*rp == NULL) {
        return -1;
    }
    *mp = model_new(*rp, d);
    if (*mp == NULL || (need_records && model_nrecords(*mp) == 0)) {
        model_free(*mp);
        *mp = NULL;
        evlog_close(*rp);
        *rp = NULL;
        return -1;
    }
    return 0;
}

/* Read what the writer added since; true if there was anything. */
static bool
log_refresh(struct evlog_reader *r, struct model *m)
{
    struct diag d;

    return evlog_refresh(r, &d) > 0 && model_refresh(m, &d) > 0;
}

static void
races_clear(struct tui *t)
{
    for (int i = 0; i < t->nraces; i++) {
        free(t->races[i].text);
    }
    free(t->races);
    t->races = NULL;
    t->nraces = 0;
}

/* The data races of the run so far (log/races.h), when it looks for
 * them: the analysis reads the log from its start. */
static void
scenario_races(struct page_scenario *ps, const char *path)
{
    struct evlog_reader *r;
    struct races *rs;
    struct diag d;

    ps->tui.races_on = ps->run != NULL && run_spec(ps->run)->races;
    if (!ps->tui.races_on || (r = evlog_open(path, &d)) == NULL) {
        races_clear(&ps->tui);
        return;
    }
    rs = races_new();
    if (races_scan(rs, r, &d) == 0) {
        size_t n = races_count(rs);

        races_clear(&ps->tui);
        ps->tui.races = xcalloc(n + 1, sizeof *ps->tui.races);
        for (size_t i = 0; i < n; i++) {
            struct ev ev;
            const char *s;

            races_record(rs, i, &ev);
            s = ev.str;
            /* The sentence as telar run prints it, without "telar: ". */
            if (strncmp(s, "telar: ", 7) == 0) {
                s += 7;
            }
            ps->tui.races[i].step = (uint64_t)ev.a;
            ps->tui.races[i].text = xstrndup(s, ev.len - (size_t)(s - ev.str));
        }
        ps->tui.nraces = (int)n;
    }
    races_free(rs);
    evlog_close(r);
}

/* The lints of the run so far, for the state pane, when the log grew
 * since the last time.  A reader of their own: lint rewinds it. */
static void
scenario_lint(struct page_scenario *ps)
{
    const char *path = ps->run != NULL ? run_log_path(ps->run)
                                       : ps->log_path;
    struct evlog_reader *r;
    struct lint_item *items;
    struct diag d;
    int n;

    if (ps->model == NULL || path == NULL
        || model_nrecords(ps->model) == ps->linted) {
        return;
    }
    ps->linted = model_nrecords(ps->model);
    if ((r = evlog_open(path, &d)) == NULL) {
        return;
    }
    n = lint_items(r, NULL, &items, &d);
    evlog_close(r);
    if (n < 0) {
        return;
    }
    lint_items_free(ps->tui.lints, ps->tui.nlints);
    ps->tui.lints = items;
    ps->tui.nlints = n;
    scenario_races(ps, path);
}

static int
open_log(struct page_scenario *ps, const char *path, bool need_records,
         struct diag *d)
{
    if (log_open(path, need_records, &ps->reader, &ps->model, d) < 0) {
        return -1;
    }
    ps->tui.model = ps->model;
    screen_new(&ps->tui);
    ps->state = SC_READY;
    return 0;
}

/* ---- Replacing the run --------------------------------------------------- */

static void
next_drop(struct page_scenario *ps)
{
    side_drop(&ps->next);
    ps->next_target = 0;
    ps->next_pick = -1;
    ps->next_edit = false;
}

/* The next run takes the screen: the cursor at its target, where the
 * picked actor runs. */
static void scenario_compare(struct page_scenario *ps);

static void
next_swap(struct page_scenario *ps)
{
    struct model *m = ps->next.model;
    int pick = ps->next_pick;
    uint64_t target = ps->next_target;

    /* The run on screen becomes the one to compare with. */
    side_drop(&ps->prev);
    ps->prev.run = ps->run;
    ps->prev.reader = ps->reader;
    ps->prev.model = ps->model;
    snprintf(ps->prev.label, sizeof ps->prev.label, "%s", ps->label);
    snprintf(ps->label, sizeof ps->label, "%s", ps->next.label);
    ps->prev_tui.model = ps->prev.model;
    ps->prev_tui.growing = false;
    ps->run = ps->next.run;
    ps->reader = ps->next.reader;
    ps->model = m;
    ps->tui.model = m;
    ps->tui.growing = run_is_running(ps->run);
    memset(&ps->next, 0, sizeof ps->next);     /* moved, not freed */
    ps->next_target = 0;
    ps->next_pick = -1;
    ps->next_edit = false;
    model_first(m);
    if (target > 0) {
        model_seek_step(m, target);
        /* A preemption logs where the preempted actor stopped, then the
         * switch: go on to the moment the picked one runs. */
        for (int i = 0; i < 4 && pick >= 0
                        && model_actor_at(m, pick)->state != EV_ST_RUNNING;
             i++) {
            if (!model_next(m)) {
                break;
            }
        }
    }
    ps->follow = false;
    ps->tui.notice[0] = '\0';
    ps->tui.died[0] = '\0';
    lint_items_free(ps->tui.lints, ps->tui.nlints);
    ps->tui.lints = NULL;
    ps->tui.nlints = 0;
    races_clear(&ps->tui);
    ps->linted = 0;
    scenario_lint(ps);
    scenario_compare(ps);
    scenario_feed(ps);
}

/* d: how the run on screen differs from the one before it.  Marks the
 * first step where they part ways on both timelines and says it in the
 * status bar. */
static void
scenario_compare(struct page_scenario *ps)
{
    struct evlog_reader *a, *b;
    struct logdiff res;
    struct diag d;
    char la[160], lb[160];

    ps->tui.has_mark = ps->prev_tui.has_mark = false;
    ps->tui.compare_note[0] = '\0';
    if (!ps->compare || ps->prev.model == NULL || ps->run == NULL) {
        if (ps->tui.screen != NULL) {
            screen_set_compare(ps->tui.screen, NULL, NULL, NULL);
        }
        return;
    }
    snprintf(la, sizeof la, _("this run: %s"), ps->label);
    snprintf(lb, sizeof lb, _("the run before: %s"), ps->prev.label);
    screen_set_compare(ps->tui.screen, ps->prev_view, la, lb);
    a = evlog_open(run_log_path(ps->run), &d);
    b = a != NULL ? evlog_open(run_log_path(ps->prev.run), &d) : NULL;
    memset(&res, 0, sizeof res);
    if (b != NULL && logdiff_compare(a, b, &res, &d) == 0) {
        if (!res.differ) {
            snprintf(ps->tui.compare_note, sizeof ps->tui.compare_note,
                     "%s", _("the two runs are the same, as far as both "
                             "go"));
        } else {
            ps->tui.has_mark = ps->prev_tui.has_mark = true;
            ps->tui.mark_step = ps->prev_tui.mark_step = res.step;
            ps->tui.mark_time = res.run[0].at_time;
            ps->prev_tui.mark_time = res.run[1].at_time;
            snprintf(ps->tui.compare_note, sizeof ps->tui.compare_note,
                     _("they part ways at step %llu: now %s runs, before "
                       "%s did"), (unsigned long long)res.step,
                   res.run[0].actor_name != NULL ? res.run[0].actor_name
                                                 : "-",
                   res.run[1].actor_name != NULL ? res.run[1].actor_name
                                                 : "-");
        }
    }
    logdiff_fini(&res);
    evlog_close(a);
    evlog_close(b);
}

/* Why an edited scenario did not start: its traceback's place and last
 * line, from what it wrote on stderr. */
static void
edit_failure(struct page_scenario *ps, struct model *m)
{
    char where[160] = "", what[200] = "";

    model_last(m);
    for (size_t i = 0; i < model_out_lines(m); i++) {
        size_t np;
        const struct model_out *p = model_out_line(m, i, &np);
        char line[200];
        size_t n = 0;

        for (size_t k = 0; k < np && n < sizeof line - 1; k++) {
            size_t take = p[k].text.len < sizeof line - 1 - n
                              ? p[k].text.len : sizeof line - 1 - n;

            if (p[k].fd != 2) {
                continue;
            }
            memcpy(line + n, p[k].text.p, take);
            n += take;
        }
        line[n] = '\0';
        if (n == 0) {
            continue;
        }
        if (strstr(line, "File \"") != NULL
            && strstr(line, ", line ") != NULL) {
            /* '  File "x.py", line 7': the line is what the user needs. */
            snprintf(where, sizeof where, _("line %d: "),
                     atoi(strstr(line, ", line ") + 7));
        } else if (line[0] != ' ') {
            snprintf(what, sizeof what, "%s", line);
        }
    }
    snprintf(ps->tui.notice, sizeof ps->tui.notice,
             _("your edit does not run, the last version stays: %s%.90s"),
             where, what);
}

/* The next run's log grew (or the run ended): swap once it has reached
 * its target. */
static void
next_progress(struct page_scenario *ps, bool ended)
{
    struct diag d;

    if (ps->next.model == NULL) {
        if (log_open(run_log_path(ps->next.run), true, &ps->next.reader,
                     &ps->next.model, &d) < 0) {
            return;
        }
    } else {
        log_refresh(ps->next.reader, ps->next.model);
    }
    if (ps->next_edit && ended && model_code_info(ps->next.model, 1) == NULL
        && model_final_end(ps->next.model) != NULL
        && model_final_end(ps->next.model)->status != 0) {
        /* It never reached a line of its own: a syntax error, a bad
         * encoding.  Say why and keep what is on screen. */
        edit_failure(ps, ps->next.model);
        next_drop(ps);
        loop_react(ps->base.loop, &ps->base, REACT_REDRAW);
        return;
    }
    if (ended || model_last_step(ps->next.model) > ps->next_target) {
        next_swap(ps);
        loop_react(ps->base.loop, &ps->base, REACT_REDRAW | REACT_PLAY);
    } else {
        run_allow(ps->next.run, ps->next_target + AHEAD_STEPS);
    }
}

static void on_log(struct run *r, void *arg);
static void on_end(struct run *r, const struct run_end *e, void *arg);

/* Start spec to take this run's place at step target, where pick (or
 * nobody, -1) must run. */
static void
next_start(struct page_scenario *ps, const struct run_spec *spec,
           uint64_t target, int pick)
{
    struct run_callbacks cb = { .log = on_log, .end = on_end, .arg = ps };
    struct diag d;

    next_drop(ps);
    ps->next_target = target;
    ps->next_pick = pick;
    ps->next.run = run_start(loop_uv(ps->base.loop), spec, &cb, &d);
    if (ps->next.run == NULL) {
        snprintf(ps->tui.notice, sizeof ps->tui.notice, "%.*s",
                 (int)sizeof ps->tui.notice - 1, d.msg);
        return;
    }
    run_allow(ps->next.run, target + AHEAD_STEPS);
    if (target > 0) {
        snprintf(ps->tui.notice, sizeof ps->tui.notice,
                 _("replaying to step %llu\u2026"),
                 (unsigned long long)target);
    } else {
        snprintf(ps->tui.notice, sizeof ps->tui.notice, "%s",
                 _("starting again\u2026"));
    }
}

/* The seed of the run on screen. */
static uint64_t
run_seed(const struct page_scenario *ps)
{
    char buf[32];

    return model_run_value(ps->model, "seed", buf, sizeof buf)
           ? strtoull(buf, NULL, 10) : run_spec(ps->run)->seed;
}

/* A replay of the run on screen up to the cursor, under fifo (nothing
 * switches that is not chosen), then pick at the next step if pick >= 0,
 * shown from there. */
static void
replay_with(struct page_scenario *ps, int pick)
{
    struct run_spec spec = *run_spec(ps->run);
    uint64_t at = model_step(ps->model), last;
    struct str sched;
    size_t head;

    str_init(&sched);
    str_addf(&sched, "T1:fifo:%llu:", (unsigned long long)run_seed(ps));
    head = sched.len;
    last = model_schedule(ps->model, at, &sched);
    if (pick >= 0) {
        if (sched.len > head) {
            str_addc(&sched, ',');
        }
        str_add_base36(&sched, at + 1 - last);
        str_addc(&sched, '-');
        str_add_base36(&sched, (uint64_t)pick);
    }
    spec.schedule = sched.p;
    spec.policy = NULL;
    next_start(ps, &spec, pick >= 0 ? at + 1 : at, pick);
    if (pick >= 0) {
        char name[64];

        model_actor_name(ps->model, pick, name, sizeof name);
        snprintf(ps->next.label, sizeof ps->next.label,
                 _("manual, %s runs at step %llu"), name,
                 (unsigned long long)(at + 1));
    } else {
        snprintf(ps->next.label, sizeof ps->next.label,
                 _("manual, from step %llu"), (unsigned long long)at);
    }
    str_fini(&sched);
}

static void
on_log(struct run *r, void *arg)
{
    struct page_scenario *ps = arg;
    struct diag d;

    if (r == ps->next.run) {
        next_progress(ps, false);
        return;
    }
    if (r == ps->prev.run) {
        log_refresh(ps->prev.reader, ps->prev.model);
        return;
    }
    if (ps->model == NULL) {
        if (open_log(ps, run_log_path(r), true, &d) == 0) {
            ps->tui.growing = true;
            scenario_feed(ps);
            loop_react(ps->base.loop, &ps->base,
                       REACT_RELAYOUT | REACT_PLAY);
        }
        return;
    }
    if (log_refresh(ps->reader, ps->model)) {
        if (ps->follow) {
            model_last(ps->model);
        }
        /* At a pause the log stands still: a good time for the lints. */
        if (run_is_paused(r)) {
            scenario_lint(ps);
        }
        scenario_feed(ps);
        loop_react(ps->base.loop, &ps->base, REACT_REDRAW);
    }
}

static void
on_end(struct run *r, const struct run_end *e, void *arg)
{
    struct page_scenario *ps = arg;
    bool completed = false;

    if (r == ps->next.run) {
        if (e->signal == 0) {
            next_progress(ps, true);    /* swaps if it left a log */
        }
        if (ps->next.run == r) {
            snprintf(ps->tui.notice, sizeof ps->tui.notice,
                     _("the new run could not start: %s"),
                     e->last_line[0] != '\0' ? e->last_line : "?");
            next_drop(ps);
            loop_react(ps->base.loop, &ps->base, REACT_REDRAW);
        }
        return;
    }
    if (r == ps->prev.run) {
        log_refresh(ps->prev.reader, ps->prev.model);
        return;
    }
    ps->tui.growing = false;
    if (ps->model == NULL
        && open_log(ps, run_log_path(r), true, &ps->error) == 0) {
        /* It ended before the first look at its log. */
    }
    if (ps->model != NULL) {
        log_refresh(ps->reader, ps->model);
        if (ps->follow) {
            model_last(ps->model);
        }
        /* The writer is done: a log cut inside a record shows in the
         * status bar. */
        model_check_end(ps->model);
        scenario_lint(ps);
        /* Reached its own end: the log says how it ended. */
        completed = e->signal == 0 && model_final_end(ps->model) != NULL;
        if (model_final_end(ps->model) == NULL) {
            /* The engine died without writing its end (a signal, the
             * kernel's OOM killer, a crash): say so where it stopped. */
            if (e->signal != 0) {
                snprintf(ps->tui.died, sizeof ps->tui.died,
                         _("the engine died of signal %d (%s)"), e->signal,
                         strsignal(e->signal));
            } else {
                snprintf(ps->tui.died, sizeof ps->tui.died,
                         _("the engine ended (status %d) without finishing "
                           "its log"), e->status);
            }
        }
    } else if (e->last_line[0] != '\0') {
        diag_set(&ps->error, "%s", e->last_line);
        ps->state = SC_FAILED;
    } else if (e->signal != 0) {
        diag_set(&ps->error, _("the run was killed by signal %d before "
                               "it wrote anything"), e->signal);
        ps->state = SC_FAILED;
    } else {
        diag_set(&ps->error, _("the run ended with status %d and left no "
                               "event log"), e->status);
        ps->state = SC_FAILED;
    }
    if (ps->hooks.ended != NULL) {
        ps->hooks.ended(ps->hooks.arg, run_spec(r), completed);
    }
    loop_react(ps->base.loop, &ps->base,
               REACT_RELAYOUT | REACT_PLAY | REACT_REDRAW);
}

/* ---- Drawing ------------------------------------------------------------ */

static void
wins_free(struct page_scenario *ps)
{
    WINDOW **w[] = { &ps->head, &ps->body, &ps->status };

    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        if (*w[i] != NULL) {
            delwin(*w[i]);
            *w[i] = NULL;
        }
    }
}

static void
scenario_layout(struct page *p)
{
    struct page_scenario *ps = (struct page_scenario *)p;

    ps->tui.theme = p->theme;
    ps->tui.nested = p->below != NULL;
    wins_free(ps);
    if (ps->state == SC_READY) {
        screen_layout(ps->tui.screen);
        return;
    }
    ps->head = newwin(1, COLS, 0, 0);
    ps->body = newwin(LINES - 2, COLS, 1, 0);
    ps->status = newwin(1, COLS, LINES - 1, 0);
}

static void
draw_waiting(struct page_scenario *ps)
{
    const struct tty_theme *th = ps->base.theme;
    char msg[512];
    const char *keys;
    int y = 1;

    werase(ps->head);
    view_str(ps->head, 0, 0, COLS, " ", th->title_focus, 0);
    view_str(ps->head, 0, 1, COLS - 1, ps->title, th->title_focus, 0);
    wnoutrefresh(ps->head);

    werase(ps->body);
    if (ps->state == SC_RUNNING) {
        snprintf(msg, sizeof msg, _("Running %s\u2026"), ps->title);
        y = view_wrapped(ps->body, y, 2, msg, A_BOLD, th->heading_pair);
        if (ps->detail != NULL) {
            y = view_wrapped(ps->body, y, 2, ps->detail, th->dim, 0);
        }
        view_wrapped(ps->body, y + 1, 2,
                     _("Starting the interpreter\u2026  q stops it."),
                     A_NORMAL, 0);
    } else {
        char buf[1024];

        y = view_wrapped(ps->body, y, 2, _("The scenario could not run:"),
                         A_BOLD, 0);
        diag_format(&ps->error, buf, sizeof buf);
        view_wrapped(ps->body, y + 1, 2, buf, th->error, th->error_pair);
    }
    wnoutrefresh(ps->body);

    wbkgdset(ps->status, ' ' | th->status);
    werase(ps->status);
    view_str(ps->status, 0, 1, COLS - 1,
             ps->state == SC_RUNNING ? _("running\u2026") : _("error"),
             ps->state == SC_RUNNING ? th->status_key
                                     : th->error | A_REVERSE,
             ps->state == SC_RUNNING ? 0 : th->error_pair);
    keys = ps->tui.lesson ? _("? help  l lesson  q back")
           : ps->tui.nested ? _("? help  q back") : _("? help  q quit");
    {
        int kw = view_width(keys, strlen(keys));

        if (COLS - kw - 1 > 12) {
            view_str(ps->status, 0, COLS - kw - 1, kw, keys, th->status_key,
                     0);
        }
    }
    wnoutrefresh(ps->status);
}

static void
scenario_draw(struct page *p)
{
    struct page_scenario *ps = (struct page_scenario *)p;

    ps->tui.help = loop_help_is_open(p->loop);
    if (ps->state == SC_READY) {
        if (ps->compare && ps->prev.model != NULL) {
            struct model *a = ps->model, *b = ps->prev.model;

            /* The other run at the same step as this one, both drawn to
             * the same length. */
            model_seek_step(b, model_step(a));
            ps->prev_tui.theme = ps->tui.theme;
            ps->tui.span_step = ps->prev_tui.span_step =
                model_last_step(a) > model_last_step(b) ? model_last_step(a)
                                                        : model_last_step(b);
            ps->tui.span_time = ps->prev_tui.span_time =
                model_last_time(a) > model_last_time(b) ? model_last_time(a)
                                                        : model_last_time(b);
        } else {
            ps->tui.span_step = 0;
            ps->tui.span_time = 0;
        }
        screen_draw(ps->tui.screen);
    } else {
        draw_waiting(ps);
    }
}

/* ---- Input and time ----------------------------------------------------- */

/* The policies p goes through, in order. */
static const char *const policies[] = { "gil", "preempt", "fifo", "rr:3" };
#define NPOLICIES (sizeof policies / sizeof policies[0])

/* Manual scheduling: actor runs next. */
static void
scenario_pick(struct page_scenario *ps, int actor)
{
    const struct model_actor_at *a = model_actor_at(ps->model, actor);
    char name[64];

    model_actor_name(ps->model, actor, name, sizeof name);
    ps->tui.playing = false;
    if (a->state == EV_ST_RUNNING) {
        model_next(ps->model);  /* it runs next anyway: one step */
    } else if (a->state != EV_ST_READY) {
        notice(ps, _("%s is %s: it cannot run now"), name,
               a->state == MODEL_ST_NONE ? _("not started yet")
                                         : view_state_word(a->state));
    } else {
        replay_with(ps, actor);
    }
}

/* The user's copy of the scenario at src: telar/scenarios/<folder>/<name>
 * in the XDG data directory, made from src the first time.  src itself
 * when it is such a copy already.  New string, or NULL with d. */
static char *
edit_copy(const char *src, struct diag *d)
{
    char *base = file_xdg_path("XDG_DATA_HOME", ".local/share", "scenarios");
    char *dup1, *dup2, *copy, *text;
    size_t len;
    struct stat st;

    if (base == NULL) {
        diag_set(d, "%s", _("no place for your copy: neither XDG_DATA_HOME "
                            "nor HOME is set"));
        return NULL;
    }
    if (strncmp(src, base, strlen(base)) == 0 && src[strlen(base)] == '/') {
        free(base);
        return xstrdup(src);
    }
    dup1 = xstrdup(src);
    dup2 = xstrdup(src);
    copy = xasprintf("%s/%s/%s", base, basename(dirname(dup1)),
                     basename(dup2));
    free(dup1);
    free(dup2);
    free(base);
    if (stat(copy, &st) == 0) {
        return copy;            /* edited before: the user's version */
    }
    text = lesson_read_file(src, &len, d);
    if (text == NULL || file_make_dirs(copy, d) < 0
        || file_write_atomic(copy, text, len, d) < 0) {
        free(text);
        free(copy);
        return NULL;
    }
    free(text);
    return copy;
}

/* Give the terminal to $VISUAL or $EDITOR on path until it exits.  0, or
 * -1 with d. */
static int
run_editor(const char *path, struct diag *d)
{
    const char *ed = getenv("VISUAL");
    char *cmd;
    pid_t pid;
    int status = 0;

    if (ed == NULL || ed[0] == '\0') {
        ed = getenv("EDITOR");
    }
    if (ed == NULL || ed[0] == '\0') {
        ed = access("/usr/bin/editor", X_OK) == 0 ? "/usr/bin/editor"
                                                  : "vi";
    }
    /* Through the shell, as EDITOR may carry arguments ("code -w"). */
    cmd = xasprintf("%s \"$1\"", ed);
    tty_suspend();
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        if (isatty(STDOUT_FILENO)) {
            dup2(STDOUT_FILENO, STDERR_FILENO);     /* not the capture */
        }
        execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
        _exit(127);
    }
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        continue;
    }
    tty_resume();
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) == 127) {
        diag_set(d, _("could not run the editor '%s'"), ed);
        free(cmd);
        return -1;
    }
    free(cmd);
    return 0;
}

/* e: edit the user's copy of the scenario, then run it again if it
 * changed (a version that does not start is not shown). */
static int
scenario_edit(struct page_scenario *ps)
{
    struct run_spec spec;
    char *src, *copy, *before, *after, *dir;
    size_t blen = 0, alen = 0;
    struct diag d;

    if (ps->run == NULL) {
        notice(ps, "%s", _("a recorded run cannot be edited: open the "
                           "scenario with telar run"));
        return REACT_REDRAW;
    }
    spec = *run_spec(ps->run);
    src = spec.file[0] == '/' || spec.dir == NULL
              ? xstrdup(spec.file)
              : xasprintf("%s/%s", spec.dir, spec.file);
    copy = edit_copy(src, &d);
    free(src);
    if (copy == NULL) {
        notice(ps, "%.150s", d.msg);
        return REACT_REDRAW;
    }
    before = lesson_read_file(copy, &blen, &d);
    if (run_editor(copy, &d) < 0) {
        notice(ps, "%.150s", d.msg);
        free(before);
        free(copy);
        return REACT_RELAYOUT | REACT_FULL | REACT_REDRAW;
    }
    after = lesson_read_file(copy, &alen, &d);
    if (before != NULL && after != NULL && blen == alen
        && memcmp(before, after, blen) == 0) {
        notice(ps, _("no changes in %.130s"), copy);
    } else {
        dir = xstrdup(copy);
        spec.file = copy;
        spec.dir = dirname(dir);
        spec.schedule = NULL;
        spec.policy = ps->policy;
        ps->tui.manual = false;
        ps->tui.playing = false;
        next_start(ps, &spec, 0, -1);
        ps->next_edit = true;
        snprintf(ps->next.label, sizeof ps->next.label, "%s",
                 _("your edited copy"));
        free(dir);
    }
    free(before);
    free(after);
    free(copy);
    return REACT_RELAYOUT | REACT_FULL | REACT_REDRAW | REACT_PLAY;
}

/* The outcome chosen on the outcomes page (o): its schedule replays here,
 * from the start. */
static void
outcome_chosen(void *arg, const char *schedule, const char *label)
{
    struct page_scenario *ps = arg;
    struct run_spec spec;

    if (ps->run == NULL) {
        return;
    }
    spec = *run_spec(ps->run);
    spec.policy = NULL;
    spec.schedule = schedule;
    ps->tui.manual = false;
    ps->tui.playing = false;
    next_start(ps, &spec, 0, -1);
    snprintf(ps->next.label, sizeof ps->next.label, "%s", label);
}

/* The keys that start a run again: m, a digit in manual mode, p, s; and o,
 * which explores every outcome first.  0 when key is none of them. */
static int
scenario_run_key(struct page_scenario *ps, const struct view_input *in)
{
    struct tui *t = &ps->tui;
    int key = in->fn ? -1 : in->key;

    if (key == 'e') {
        return scenario_edit(ps);
    }
    if (key == 'd') {
        if (ps->prev.model == NULL) {
            notice(ps, "%s", _("nothing to compare with yet: change the "
                               "run first (m and a digit, p, s or e)"));
            return REACT_REDRAW;
        }
        ps->compare = !ps->compare;
        scenario_compare(ps);
        return REACT_RELAYOUT | REACT_REDRAW;
    }
    if (key != 'm' && key != 'p' && key != 's' && key != 'o' && key != 'r'
        && !(t->manual && key >= '1' && key <= '9')) {
        return 0;
    }
    if (ps->run == NULL) {
        notice(ps, "%s", _("a recorded run cannot change: open the "
                           "scenario with telar run to schedule it"));
        return REACT_REDRAW;
    }
    if (key == 'r') {
        /* The same run again, looking for data races, or no longer. */
        struct run_spec spec = *run_spec(ps->run);

        spec.races = !spec.races;
        t->playing = false;
        next_start(ps, &spec, model_step(ps->model), -1);
        snprintf(ps->next.label, sizeof ps->next.label, "%s",
                 spec.races ? _("looking for data races")
                            : _("not looking for data races"));
        notice(ps, "%s", spec.races
                             ? _("race detection on: every access to shared "
                                 "data is checked (r turns it off)")
                             : _("race detection off"));
        return REACT_REDRAW | REACT_PLAY;
    }
    if (key == 'o') {
        t->playing = false;
        loop_push(ps->base.loop, page_outcomes_new(ps->base.loop,
                                                   run_spec(ps->run),
                                                   outcome_chosen, ps));
        return REACT_RELAYOUT | REACT_PLAY;
    }
    if (key == 'm') {
        t->manual = !t->manual;
        if (t->manual) {
            replay_with(ps, -1);
            notice(ps, "%s", _("manual scheduling: a digit picks the "
                               "thread that runs next; m leaves"));
        } else {
            notice(ps, "%s", _("manual scheduling off"));
        }
        return REACT_REDRAW | REACT_RELAYOUT;
    }
    if (key >= '1' && key <= '9') {
        int actor = view_pick_actor(t->model, key - '0');

        if (actor < 0) {
            notice(ps, _("there is no thread %c"), key);
        } else {
            scenario_pick(ps, actor);
        }
        return REACT_REDRAW | REACT_PLAY;
    }
    {
        struct run_spec spec = *run_spec(ps->run);
        uint64_t seed = run_seed(ps);

        if (key == 'p') {
            size_t i = 0;

            while (i < NPOLICIES && strcmp(policies[i], ps->policy) != 0) {
                i++;
            }
            snprintf(ps->policy, sizeof ps->policy, "%s",
                     policies[i < NPOLICIES ? (i + 1) % NPOLICIES : 0]);
        } else {
            seed++;
        }
        t->manual = false;
        t->playing = false;
        spec.policy = ps->policy;
        spec.seed = seed;
        spec.schedule = NULL;
        next_start(ps, &spec, 0, -1);
        snprintf(ps->next.label, sizeof ps->next.label,
                 _("policy %s, seed %llu"), ps->policy,
                 (unsigned long long)seed);
        return REACT_REDRAW | REACT_PLAY | REACT_RELAYOUT;
    }
}

static int
scenario_key(struct page *p, const struct view_input *in)
{
    struct page_scenario *ps = (struct page_scenario *)p;
    int r;

    if (ps->state == SC_READY) {
        bool was = ps->tui.playing;

        ps->tui.notice[0] = '\0';
        /* End on a live run follows it to its end; any other key lets
         * it go. */
        if (in->fn && in->key == KEY_END && ps->tui.growing) {
            ps->follow = true;
        } else if (!(in->fn && in->key == KEY_MOUSE)) {
            ps->follow = false;
        }
        r = scenario_run_key(ps, in);
        if (r == 0) {
            r = action_key(&ps->tui, in);
        }
        if (ps->tui.playing && !was) {
            ps->due = 0;
        }
        scenario_feed(ps);
        return r;
    }
    if (in->fn) {
        return in->key == KEY_F(1) ? REACT_HELP
               : in->key == KEY_F(10) ? REACT_QUIT : REACT_DONE;
    }
    switch (in->key) {
    case 'q': case 'Q': case 27:
        return REACT_BACK;
    case 'l':
        return ps->tui.lesson ? REACT_BACK : REACT_DONE;
    case '?': case 'h':
        return REACT_HELP;
    case 'L' & 0x1f:
        return REACT_FULL | REACT_REDRAW;
    default:
        return REACT_DONE;
    }
}

static int
scenario_mouse(struct page *p, const struct view_input *in)
{
    struct page_scenario *ps = (struct page_scenario *)p;
    int r;

    if (ps->state != SC_READY) {
        return REACT_DONE;
    }
    r = screen_mouse(ps->tui.screen, in);
    if ((r & REACT_PICK) && ps->run != NULL) {
        ps->tui.notice[0] = '\0';
        if (ps->tui.selected >= 0
            && model_actor(ps->model, ps->tui.selected)->kind
                   == EV_ACTOR_THREAD) {
            scenario_pick(ps, ps->tui.selected);
        }
        r = (r & ~REACT_PICK) | REACT_PLAY;
    }
    return r;
}

static int
scenario_timer(struct page *p)
{
    struct page_scenario *ps = (struct page_scenario *)p;
    int every;

    if (ps->state != SC_READY || !ps->tui.playing) {
        return 0;
    }
    every = 1000 / action_speed(ps->tui.speed);
    return every < FRAME_MS ? FRAME_MS : every;
}

static int
scenario_tick(struct page *p, uint64_t elapsed)
{
    struct page_scenario *ps = (struct page_scenario *)p;
    struct tui *t = &ps->tui;
    int speed = action_speed(t->speed), n;

    if (ps->state != SC_READY || !t->playing) {
        return 0;
    }
    ps->due += (double)elapsed * speed / 1000.0;
    /* After a stall (suspended, a slow terminal) do not leap ahead. */
    if (ps->due > speed / 2.0 + 1) {
        ps->due = speed / 2.0 + 1;
    }
    n = (int)ps->due;
    ps->due -= n;
    for (int i = 0; i < n; i++) {
        if (!model_next(t->model)) {
            /* A live run's next records are on their way: wait. */
            t->playing = t->growing;
            break;
        }
    }
    if (model_is_at_end(t->model) && !t->growing) {
        t->playing = false;
    }
    scenario_feed(ps);
    return REACT_REDRAW;
}

static size_t
scenario_help(struct page *p, const struct action_help **list)
{
    (void)p;
    return action_help(list);
}

static void
scenario_free(struct page *p)
{
    struct page_scenario *ps = (struct page_scenario *)p;

    wins_free(ps);
    next_drop(ps);
    side_drop(&ps->prev);
    if (ps->prev_view != NULL) {
        ps->prev_view->ops->free(ps->prev_view);
    }
    screen_free(ps->tui.screen);
    model_free(ps->model);
    evlog_close(ps->reader);
    run_free(ps->run);
    lint_items_free(ps->tui.lints, ps->tui.nlints);
    races_clear(&ps->tui);
    free(ps->log_path);
    free(ps->title);
    free(ps->detail);
    free(ps);
}

static const struct page_ops scenario_ops = {
    .name = N_("telar view: keys"),
    .layout = scenario_layout,
    .draw = scenario_draw,
    .key = scenario_key,
    .mouse = scenario_mouse,
    .timer = scenario_timer,
    .tick = scenario_tick,
    .help = scenario_help,
    .free = scenario_free,
};

static struct page_scenario *
scenario_alloc(const char *title)
{
    struct page_scenario *ps = xcalloc(1, sizeof *ps);

    ps->base.ops = &scenario_ops;
    ps->title = xstrdup(title);
    ps->tui = (struct tui){ .speed = DEFAULT_SPEED, .selected = -1,
                            .title = ps->title };
    ps->prev_tui = (struct tui){ .speed = DEFAULT_SPEED, .selected = -1,
                                 .title = ps->title };
    ps->prev_view = view_timeline_new(&ps->prev_tui);
    return ps;
}

struct page *
page_scenario_new_log(const char *path, struct diag *d)
{
    struct page_scenario *ps = scenario_alloc(path);

    if (open_log(ps, path, false, d) < 0) {
        scenario_free(&ps->base);
        return NULL;
    }
    /* A recorded log: its writer is done. */
    model_check_end(ps->model);
    ps->log_path = xstrdup(path);
    scenario_lint(ps);
    return &ps->base;
}

struct page *
page_scenario_new_run(struct loop *l, const struct run_spec *spec,
                      const struct page_scenario_hooks *hooks)
{
    struct page_scenario *ps = scenario_alloc(spec->title != NULL
                                              ? spec->title : spec->file);
    struct run_callbacks cb = { .log = on_log, .end = on_end, .arg = ps };

    if (hooks != NULL) {
        ps->hooks = *hooks;
        ps->tui.lesson = hooks->lesson;
    }
    snprintf(ps->policy, sizeof ps->policy, "%s",
             spec->policy != NULL ? spec->policy : "gil");
    snprintf(ps->label, sizeof ps->label, _("policy %s, seed %llu"),
             ps->policy, (unsigned long long)spec->seed);
    ps->detail = xasprintf(_("%s, policy %s, seed %llu"), spec->file,
                           spec->policy != NULL ? spec->policy : "gil",
                           (unsigned long long)spec->seed);
    ps->state = SC_RUNNING;
    ps->run = run_start(loop_uv(l), spec, &cb, &ps->error);
    if (ps->run == NULL) {
        ps->state = SC_FAILED;
    } else {
        scenario_feed(ps);
    }
    return &ps->base;
}
