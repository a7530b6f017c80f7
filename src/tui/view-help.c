/*
 * The help overlay (tui layer): the keys, from action.c's own table so the
 * two cannot drift apart, in a box over the panes.  Esc, ? or q close it.
 * screen.c sizes and places its window.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"

static void
help_draw(struct view *v, WINDOW *win)
{
    const struct tty_theme *th = v->tui->theme;
    const struct action_help *list;
    size_t n = action_help(&list);
    int h, w, kw = 0, y = 1;

    getmaxyx(win, h, w);
    werase(win);
    if (th->ascii) {
        wborder(win, '|', '|', '-', '-', '+', '+', '+', '+');
    } else {
        box(win, 0, 0);
    }
    view_str(win, 0, 2, w - 4, _(" telar view: keys "), A_BOLD,
             th->heading_pair);
    for (size_t i = 0; i < n; i++) {
        int kwi = view_width(list[i].keys, strlen(list[i].keys));

        kw = kwi > kw ? kwi : kw;
    }
    kw = kw > w / 2 ? w / 2 : kw;
    for (size_t i = 0; i < n && y < h - 2; i++, y++) {
        view_str(win, y, 2, kw, _(list[i].keys), A_BOLD, 0);
        view_str(win, y, 4 + kw, w - 6 - kw, _(list[i].what), A_NORMAL, 0);
    }
    if (h >= 3) {
        view_str(win, h - 1, 2, w - 4, _(" Esc closes "), th->dim, 0);
    }
    wnoutrefresh(win);
}

static int
help_key(struct view *v, const struct view_input *in)
{
    if ((!in->fn && (in->key == 27 || in->key == '?' || in->key == 'q'))
        || (in->fn && in->key == KEY_F(1))) {
        v->tui->help = false;
        return REACT_REDRAW;
    }
    return REACT_DONE;          /* the overlay swallows the rest */
}

static void
help_free(struct view *v)
{
    free(v);
}

static const struct view_ops help_ops = {
    .name = N_("Help"),
    .draw = help_draw,
    .key = help_key,
    .free = help_free,
};

struct view *
view_help_new(struct tui *t)
{
    struct view *v = xcalloc(1, sizeof *v);

    v->ops = &help_ops;
    v->tui = t;
    return v;
}
