/*
 * The help overlay (tui layer): a page's keys, from the page's own table so
 * the two cannot drift apart, in a box over the page.  The loop (loop.c)
 * opens and closes it, sizes its window with view_help_size and draws it
 * last in the frame.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"

#define HELP_MAX_WIDTH 72

/* The widest translated key column. */
static int
keys_width(const struct action_help *list, size_t n)
{
    int kw = 0;

    for (size_t i = 0; i < n; i++) {
        const char *k = _(list[i].keys);
        int w = view_width(k, strlen(k));

        kw = w > kw ? w : kw;
    }
    return kw;
}

void
view_help_size(const struct action_help *list, size_t n, int *h, int *w)
{
    int want = 0;

    for (size_t i = 0; i < n; i++) {
        const char *what = _(list[i].what);
        int ww = view_width(what, strlen(what));

        want = ww > want ? ww : want;
    }
    want += keys_width(list, n) + 6;
    *w = want < HELP_MAX_WIDTH ? want : HELP_MAX_WIDTH;
    *h = (int)n + 3;
}

void
view_help_draw(WINDOW *win, const struct tty_theme *th, const char *title,
               const struct action_help *list, size_t n)
{
    int h, w, kw, y = 1;

    getmaxyx(win, h, w);
    werase(win);
    if (th->ascii) {
        wborder(win, '|', '|', '-', '-', '+', '+', '+', '+');
    } else {
        box(win, 0, 0);
    }
    view_str(win, 0, 2, w - 4, title, A_BOLD, th->heading_pair);
    kw = keys_width(list, n);
    kw = kw > w / 2 ? w / 2 : kw;
    for (size_t i = 0; i < n && y < h - 1; i++, y++) {
        view_str(win, y, 2, kw, _(list[i].keys), A_BOLD, 0);
        view_str(win, y, 4 + kw, w - 6 - kw, _(list[i].what), A_NORMAL, 0);
    }
    if (h >= 3) {
        view_str(win, h - 1, 2, w - 4, _(" Esc closes "), th->dim, 0);
    }
    wnoutrefresh(win);
}
