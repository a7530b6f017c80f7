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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/loop.h"
#include "tui/screen.h"

#define FRAME_MS 16             /* the fastest the timer ticks */
#define DEFAULT_SPEED 3         /* action.c's speeds[3]: 10 steps/s */

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
    struct diag error;          /* SC_FAILED */
    struct page_scenario_hooks hooks;
    WINDOW *head, *body, *status;       /* not SC_READY */
    double due;                 /* steps owed to the timer */
};

/* ---- The run and its log ------------------------------------------------ */

/* Open the log and index it; 0, or -1 (with d).  A run's log is not
 * worth showing (not yet, or ever) before its first record. */
static int
open_log(struct page_scenario *ps, const char *path, bool need_records,
         struct diag *d)
{
    ps->reader = evlog_open(path, d);
    if (ps->reader == NULL) {
        return -1;
    }
    ps->model = model_new(ps->reader, d);
    if (ps->model == NULL
        || (need_records && model_nrecords(ps->model) == 0)) {
        model_free(ps->model);
        ps->model = NULL;
        evlog_close(ps->reader);
        ps->reader = NULL;
        return -1;
    }
    ps->tui.model = ps->model;
    screen_new(&ps->tui);
    ps->state = SC_READY;
    return 0;
}

static void
on_log(struct run *r, void *arg)
{
    struct page_scenario *ps = arg;
    struct diag d;

    if (ps->model == NULL) {
        if (open_log(ps, run_log_path(r), true, &d) == 0) {
            loop_react(ps->base.loop, &ps->base,
                       REACT_RELAYOUT | REACT_PLAY);
        }
        return;
    }
    if (evlog_refresh(ps->reader, &d) > 0 && model_refresh(ps->model, &d) > 0) {
        loop_react(ps->base.loop, &ps->base, REACT_REDRAW);
    }
}

static void
on_end(struct run *r, const struct run_end *e, void *arg)
{
    struct page_scenario *ps = arg;
    bool completed = false;

    if (ps->model != NULL) {
        /* The writer is done: a log cut inside a record shows in the
         * status bar. */
        model_check_end(ps->model);
        /* Reached its own end: the log says how it ended. */
        completed = e->signal == 0 && model_final_end(ps->model) != NULL;
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

/* Text wrapped at spaces into w columns from line y; the next line. */
static int
draw_wrapped(WINDOW *win, int y, int x, const char *s, attr_t attr,
             short pair)
{
    int h = getmaxy(win), w = getmaxx(win) - x;

    while (*s != '\0' && y < h) {
        size_t len = strlen(s), n = len, fit = 0;

        /* The longest prefix that fits, cut at a space if there is one. */
        while (fit < len && view_width(s, fit + 1) <= w) {
            fit++;
        }
        if (fit < len) {
            n = fit;
            while (n > 0 && s[n] != ' ') {
                n--;
            }
            n = n > 0 ? n : fit > 0 ? fit : 1;
        }
        view_text(win, y++, x, w, s, n, attr, pair);
        s += n;
        while (*s == ' ') {
            s++;
        }
    }
    return y;
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
        y = draw_wrapped(ps->body, y, 2, msg, A_BOLD, th->heading_pair);
        if (ps->detail != NULL) {
            y = draw_wrapped(ps->body, y, 2, ps->detail, th->dim, 0);
        }
        draw_wrapped(ps->body, y + 1, 2,
                     _("The timeline opens when the run ends.  q stops "
                       "it."), A_NORMAL, 0);
    } else {
        char buf[1024];

        y = draw_wrapped(ps->body, y, 2, _("The scenario could not run:"),
                         A_BOLD, 0);
        diag_format(&ps->error, buf, sizeof buf);
        draw_wrapped(ps->body, y + 1, 2, buf, th->error, th->error_pair);
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
        screen_draw(ps->tui.screen);
    } else {
        draw_waiting(ps);
    }
}

/* ---- Input and time ----------------------------------------------------- */

static int
scenario_key(struct page *p, const struct view_input *in)
{
    struct page_scenario *ps = (struct page_scenario *)p;
    int r;

    if (ps->state == SC_READY) {
        bool was = ps->tui.playing;

        r = action_key(&ps->tui, in);
        if (ps->tui.playing && !was) {
            ps->due = 0;
        }
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

    return ps->state == SC_READY ? screen_mouse(ps->tui.screen, in)
                                 : REACT_DONE;
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
            t->playing = false;
            break;
        }
    }
    if (model_is_at_end(t->model)) {
        t->playing = false;
    }
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
    screen_free(ps->tui.screen);
    model_free(ps->model);
    evlog_close(ps->reader);
    run_free(ps->run);
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
    ps->detail = xasprintf(_("%s, policy %s, seed %llu"), spec->file,
                           spec->policy != NULL ? spec->policy : "gil",
                           (unsigned long long)spec->seed);
    ps->state = SC_RUNNING;
    ps->run = run_start(loop_uv(l), spec, &cb, &ps->error);
    if (ps->run == NULL) {
        ps->state = SC_FAILED;
    }
    return &ps->base;
}
