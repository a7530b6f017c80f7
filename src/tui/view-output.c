/*
 * The output view (tui layer): what the scenario printed by the cursor,
 * each piece in its actor's colour, stderr in bold, with the writer's name
 * in a gutter when there is room (so monochrome still tells them apart).
 * It follows the newest line until the user scrolls up; G follows again.
 * The lines come from model_out_line (model.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"

#define GUTTER_MIN_WIDTH 60     /* narrower: no gutter */
#define GUTTER_MAX 17

struct output {
    struct view base;
    size_t top;                 /* first line shown when not following */
    bool follow;
    int h;                      /* the last frame's height */
    size_t nlines;              /* the last frame's line count */
};

static void
output_draw(struct view *v, WINDOW *win)
{
    struct output *o = (struct output *)v;
    const struct model *m = v->tui->model;
    const struct tty_theme *th = v->tui->theme;
    size_t n = model_out_lines(m);
    int h, w, gutter = 0;

    getmaxyx(win, h, w);
    werase(win);
    o->h = h;
    o->nlines = n;
    if (n == 0) {
        view_str(win, 0, 0, w, _("(no output yet)"), th->dim, 0);
        wnoutrefresh(win);
        return;
    }
    if (o->follow || o->top + (size_t)h > n) {
        o->top = n > (size_t)h ? n - (size_t)h : 0;
    }
    if (w >= GUTTER_MIN_WIDTH) {
        /* As wide as the longest writer's name on screen, within bounds,
         * so "MainThread" is not cut to "MainThrea". */
        int cap = w / 4 < GUTTER_MAX ? w / 4 : GUTTER_MAX;

        for (int y = 0; y < h && o->top + (size_t)y < n; y++) {
            size_t np;
            const struct model_out *p = model_out_line(m, o->top + (size_t)y,
                                                       &np);
            char name[64];

            if (np > 0 && p[0].actor >= 0 && p[0].actor < model_nactors(m)) {
                int nw;

                model_actor_name(m, p[0].actor, name, sizeof name);
                nw = view_width(name, strlen(name)) + 1;
                gutter = nw > gutter ? nw : gutter;
            }
        }
        gutter = gutter > cap ? cap : gutter < 4 ? 4 : gutter;
    }
    for (int y = 0; y < h && o->top + (size_t)y < n; y++) {
        size_t np;
        const struct model_out *p = model_out_line(m, o->top + (size_t)y,
                                                   &np);
        int x = 0;

        if (np == 0) {
            continue;
        }
        if (gutter > 0) {
            char name[64];
            int a = p[0].actor;

            if (a >= 0 && a < model_nactors(m)) {
                model_actor_name(m, a, name, sizeof name);
            } else {
                snprintf(name, sizeof name, "?");
            }
            view_str(win, y, 0, gutter - 1, name, th->dim,
                     th->actor_pair[(a < 0 ? 0 : a) % th->nactor_colors]);
            view_str(win, y, gutter - 1, 1, th->vline, th->dim, 0);
            x = gutter;
        }
        for (size_t k = 0; k < np && x < w; k++) {
            int a = p[k].actor < 0 ? 0 : p[k].actor;
            attr_t attr = p[k].fd == 2 ? A_BOLD : A_NORMAL;

            if (p[k].actor >= 0 && p[k].actor == v->tui->selected) {
                attr |= A_UNDERLINE;
            }
            x += view_text(win, y, x, w - x, p[k].text.p, p[k].text.len,
                           attr, th->actor_pair[a % th->nactor_colors]);
        }
    }
    wnoutrefresh(win);
}

static void
scroll_by(struct output *o, long d)
{
    size_t last = o->nlines > (size_t)o->h ? o->nlines - (size_t)o->h : 0;

    if (d < 0) {
        o->top = (size_t)-d > o->top ? 0 : o->top - (size_t)-d;
    } else {
        o->top += (size_t)d;
    }
    if (o->top >= last) {
        o->top = last;
        o->follow = true;       /* at the bottom: follow new lines again */
    } else {
        o->follow = false;
    }
}

static int
output_key(struct view *v, const struct view_input *in)
{
    struct output *o = (struct output *)v;
    long page = o->h > 1 ? o->h - 1 : 1;

    if (in->fn && in->key == KEY_MOUSE) {
        if (in->bstate & BUTTON4_PRESSED) {
            scroll_by(o, -3);
        } else if (in->bstate & BUTTON5_PRESSED) {
            scroll_by(o, 3);
        }
        return REACT_REDRAW;
    }
    switch (in->fn ? in->key : -in->key) {
    case KEY_UP:
    case -'k':
        scroll_by(o, -1);
        return REACT_REDRAW;
    case KEY_DOWN:
    case -'j':
        scroll_by(o, 1);
        return REACT_REDRAW;
    case KEY_PPAGE:
        scroll_by(o, -page);
        return REACT_REDRAW;
    case KEY_NPAGE:
        scroll_by(o, page);
        return REACT_REDRAW;
    case -'g':
        o->top = 0;
        o->follow = o->nlines <= (size_t)o->h;
        return REACT_REDRAW;
    case -'G':
        o->follow = true;
        return REACT_REDRAW;
    default:
        return 0;
    }
}

static void
output_free(struct view *v)
{
    free(v);
}

static const struct view_ops output_ops = {
    .name = N_("Output"),
    .draw = output_draw,
    .key = output_key,
    .free = output_free,
};

struct view *
view_output_new(struct tui *t)
{
    struct output *o = xcalloc(1, sizeof *o);

    o->base.ops = &output_ops;
    o->base.tui = t;
    o->follow = true;
    return &o->base;
}
