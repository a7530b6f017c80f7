/*
 * The status bar (tui layer): one line saying whether the run plays, at
 * what speed, the cursor's step and virtual time, how things stand there
 * (finished, deadlock, error), and the keys that matter now.  Reads the
 * model and struct tui; screen.c gives it the bottom line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"

/* How things stand at the cursor, and whether that is bad news. */
static const char *
outcome(const struct tui *t, bool *bad, char *buf, size_t size)
{
    const struct model *m = t->model;
    const struct model_note *end = model_end(m);
    const struct model_note *exc;
    size_t nexc = model_exceptions(m, &exc);

    *bad = true;
    if (model_error(m) != NULL && model_is_at_end(m)) {
        snprintf(buf, size, _("log damaged: %s"), model_error(m)->msg);
        return buf;
    }
    if (model_deadlock(m) != NULL) {
        return _("DEADLOCK");
    }
    if (end != NULL) {
        switch (end->why) {
        case EV_END_EXIT:
            *bad = end->status != 0;
            snprintf(buf, size, _("finished, exit %lld"),
                     (long long)end->status);
            return buf;
        case EV_END_EXCEPTION:
            if (nexc > 0) {
                snprintf(buf, size, _("error: %.*s"),
                         (int)(exc[nexc - 1].text.len > 60
                                   ? 60 : exc[nexc - 1].text.len),
                         exc[nexc - 1].text.p);
                return buf;
            }
            return _("error: uncaught exception");
        case EV_END_LIMIT:
            return _("stopped at the step limit");
        case EV_END_KILLED:
            return _("the engine died");
        default:
            return _("ended");
        }
    }
    *bad = false;
    if (model_is_at_end(m)) {
        if (!t->growing && t->died[0] != '\0') {
            *bad = true;
            return t->died;
        }
        return t->growing ? _("running\u2026") : _("end of the log");
    }
    return NULL;
}

static void
status_draw(struct view *v, WINDOW *win)
{
    struct tui *t = v->tui;
    const struct model *m = t->model;
    const struct tty_theme *th = t->theme;
    char left[200], when[32], news[256], keybuf[160], pol[40], seed[24];
    const char *out, *keys, *back;
    bool bad;
    int h, w, x;

    getmaxyx(win, h, w);
    (void)h;
    wbkgdset(win, ' ' | th->status);
    werase(win);
    if (model_last_time(m) > 0) {
        view_format_ns(when, sizeof when, model_time(m), th->ascii);
    } else {
        snprintf(when, sizeof when, "-");
    }
    if (t->manual) {
        snprintf(pol, sizeof pol, "%s", _("manual"));
    } else if (!model_run_value(m, "policy", pol, sizeof pol)) {
        snprintf(pol, sizeof pol, "?");
    }
    if (!model_run_value(m, "seed", seed, sizeof seed)) {
        snprintf(seed, sizeof seed, "?");
    }
    snprintf(left, sizeof left, " %s %s %d/s %s %s %llu/%llu %s %s %s %s "
             "%s %s ",
             t->playing ? th->play : th->pause,
             t->playing ? _("playing") : _("paused"),
             action_speed(t->speed), th->vline, _("step"),
             (unsigned long long)model_step(m),
             (unsigned long long)model_last_step(m), th->vline, when,
             th->vline, pol, _("seed"), seed);
    x = view_str(win, 0, 0, w, left, th->status, th->status_pair);
    if (t->races_on) {
        /* This run looks for data races (r). */
        x += view_str(win, 0, x, w - x, _("races "), th->status,
                      th->status_pair);
    }
    if (t->notice[0] != '\0') {
        out = t->notice;
        bad = false;
    } else if (t->compare_note[0] != '\0') {
        out = t->compare_note;
        bad = false;
    } else {
        out = outcome(t, &bad, news, sizeof news);
    }
    if (out != NULL && x < w) {
        x += view_str(win, 0, x, w - x, out,
                      bad ? th->error | A_REVERSE : th->status_key,
                      bad ? th->error_pair : th->status_pair);
        x += view_str(win, 0, x, w - x, " ", th->status, th->status_pair);
    }
    if (t->help) {
        keys = _("Esc close help");
    } else {
        const char *now;

        if (t->manual) {
            now = _("1-9 who runs  . step  m leave  ? help");
        } else if (t->playing) {
            now = _("space pause  +/- speed  ? help");
        } else if (model_is_at_end(m)) {
            now = th->ascii ? _("<- back  Home start  n/N notable  ? help")
                            : _("\u2190 back  Home start  n/N notable  "
                                "? help");
        } else {
            now = th->ascii ? _("space play  <- -> step  n next  ? help")
                            : _("space play  \u2190\u2192 step  n next  "
                                "? help");
        }
        back = t->lesson ? _("l lesson  q back")
               : t->nested ? _("q back") : _("q quit");
        snprintf(keybuf, sizeof keybuf, "%s  %s", now, back);
        keys = keybuf;
        /* Too long for what is left: the way out matters most. */
        if (w - x < view_width(keys, strlen(keys)) + 1) {
            snprintf(keybuf, sizeof keybuf, "%s  %s", _("? help"), back);
        }
    }
    {
        int kw = view_width(keys, strlen(keys));

        /* Right-aligned when it fits, else what fits after the rest. */
        if (w - x >= kw + 1) {
            view_str(win, 0, w - kw - 1, kw, keys, th->status_key,
                     th->status_pair);
        } else if (w - x > 8) {
            view_str(win, 0, x + 1, w - x - 1, keys, th->status_key,
                     th->status_pair);
        }
    }
    wnoutrefresh(win);
}

static int
status_key(struct view *v, const struct view_input *in)
{
    (void)v;
    (void)in;
    return 0;
}

static void
status_free(struct view *v)
{
    free(v);
}

static const struct view_ops status_ops = {
    .name = N_("Status"),
    .draw = status_draw,
    .key = status_key,
    .free = status_free,
};

struct view *
view_status_new(struct tui *t)
{
    struct view *v = xcalloc(1, sizeof *v);

    v->ops = &status_ops;
    v->tui = t;
    return v;
}
