/*
 * The screen (tui layer), after tmux's screen.c and htop's ScreenManager:
 * it owns the windows, decides the layout for the terminal's size, keeps
 * the focus, routes the mouse, and ends every frame with one doupdate().
 * The views (view-*.c) draw inside the windows it gives them; tty.c owns
 * the terminal itself.
 */
#include "config.h"

#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tty.h"

struct screen {
    struct tui *tui;            /* borrowed */
    struct view *pane[PANE__COUNT];
    struct view *status;
    WINDOW *body[PANE__COUNT];
    WINDOW *title[PANE__COUNT]; /* split layout: a title line per pane */
    WINDOW *tabs;               /* tabbed layout */
    WINDOW *sep;                /* split layout: between output and state */
    WINDOW *status_win;
    /* Comparing two runs: the other run's timeline under this one's. */
    struct view *other;         /* borrowed, or NULL */
    WINDOW *other_title, *other_body, *this_title;
    char this_label[128], other_label[128];
    int tab_x[PANE__COUNT + 1]; /* where each tab starts on the tab line */
    int focus;
    bool tabbed;
};

static void
win_free(WINDOW **w)
{
    if (*w != NULL) {
        delwin(*w);
        *w = NULL;
    }
}

static void
windows_free(struct screen *s)
{
    for (int i = 0; i < PANE__COUNT; i++) {
        win_free(&s->body[i]);
        win_free(&s->title[i]);
    }
    win_free(&s->tabs);
    win_free(&s->sep);
    win_free(&s->status_win);
    win_free(&s->other_title);
    win_free(&s->other_body);
    win_free(&s->this_title);
}

struct screen *
screen_new(struct tui *t)
{
    struct screen *s = xcalloc(1, sizeof *s);

    s->tui = t;
    s->pane[PANE_TIMELINE] = view_timeline_new(t);
    s->pane[PANE_OUTPUT] = view_output_new(t);
    s->pane[PANE_STATE] = view_state_new(t);
    s->pane[PANE_CODE] = view_code_new(t);
    s->status = view_status_new(t);
    s->pane[0]->focused = true;
    t->screen = s;
    return s;
}

void
screen_free(struct screen *s)
{
    if (s == NULL) {
        return;
    }
    windows_free(s);
    for (int i = 0; i < PANE__COUNT; i++) {
        s->pane[i]->ops->free(s->pane[i]);
    }
    s->status->ops->free(s->status);
    free(s);
}

/* Rows the timeline wants: its actors and queues, a ruler, a legend. */
static int
timeline_wants(const struct model *m)
{
    int n = model_nactors(m) + 2;

    for (int i = 0; i < model_nobjs(m); i++) {
        const struct model_obj *o = model_obj(m, i);

        n += o->known && model_is_queue_kind(o->kind);
    }
    return n;
}

/* Comparing: the timeline's rows y0..y0+h split in two, this run above
 * the other, each under a title line. */
static void
layout_compare(struct screen *s, int y0, int h, int cols)
{
    int half = (h - 2) / 2;

    win_free(&s->body[PANE_TIMELINE]);
    s->this_title = newwin(1, cols, y0, 0);
    s->body[PANE_TIMELINE] = newwin(half, cols, y0 + 1, 0);
    s->other_title = newwin(1, cols, y0 + 1 + half, 0);
    s->other_body = newwin(h - 2 - half, cols, y0 + 2 + half, 0);
}

void
screen_layout(struct screen *s)
{
    int cols = COLS, lines = LINES, body = lines - 1;

    windows_free(s);
    s->status_win = newwin(1, cols, lines - 1, 0);
    s->tabbed = cols < SCREEN_SPLIT_COLS || lines < SCREEN_SPLIT_LINES;
    if (s->tabbed) {
        s->tabs = newwin(1, cols, 0, 0);
        for (int i = 0; i < PANE__COUNT; i++) {
            s->body[i] = newwin(body - 1, cols, 1, 0);
        }
        if (s->other != NULL) {
            layout_compare(s, 1, body - 1, cols);
        }
    } else {
        int th = timeline_wants(s->tui->model);
        int most = body * 3 / 5 - 1, low, left = cols / 2;

        if (s->other != NULL) {
            th = th * 2 + 2;    /* two timelines and their titles */
        }
        th = th < 6 ? 6 : th > most ? most : th;
        low = body - th - 2;
        /* Below the timeline: the code on the left; the output above the
         * state on the right. */
        {
            int rw = cols - left - 1, oh = (low + 1) * 2 / 5, sh;

            oh = oh < 3 ? 3 : oh;
            sh = low - oh - 1;
            s->title[PANE_TIMELINE] = newwin(1, cols, 0, 0);
            s->body[PANE_TIMELINE] = newwin(th, cols, 1, 0);
            s->title[PANE_CODE] = newwin(1, left, th + 1, 0);
            s->body[PANE_CODE] = newwin(low, left, th + 2, 0);
            s->sep = newwin(low + 1, 1, th + 1, left);
            s->title[PANE_OUTPUT] = newwin(1, rw, th + 1, left + 1);
            s->body[PANE_OUTPUT] = newwin(oh, rw, th + 2, left + 1);
            s->title[PANE_STATE] = newwin(1, rw, th + 2 + oh, left + 1);
            s->body[PANE_STATE] = newwin(sh, rw, th + 3 + oh, left + 1);
        }
        if (s->other != NULL) {
            layout_compare(s, 1, th, cols);
        }
    }
}

void
screen_set_compare(struct screen *s, struct view *other,
                   const char *this_label, const char *other_label)
{
    s->other = other;
    snprintf(s->this_label, sizeof s->this_label, "%s",
             this_label != NULL ? this_label : "");
    snprintf(s->other_label, sizeof s->other_label, "%s",
             other_label != NULL ? other_label : "");
}

static void
draw_compare_title(struct screen *s, WINDOW *w, const char *label)
{
    const struct tty_theme *th = s->tui->theme;

    werase(w);
    view_str(w, 0, 0, getmaxx(w), label, th->heading | A_BOLD,
             th->heading_pair);
    wnoutrefresh(w);
}

static void
draw_title(struct screen *s, int p)
{
    const struct tty_theme *th = s->tui->theme;
    WINDOW *w = s->title[p];
    char buf[64];
    int width = getmaxx(w), x;

    werase(w);
    snprintf(buf, sizeof buf, " %d %s ", p + 1, _(s->pane[p]->ops->name));
    x = view_str(w, 0, 0, width, buf,
                 p == s->focus ? th->title_focus : th->title, 0);
    /* The run's name, right-aligned over the timeline. */
    if (p == PANE_TIMELINE && s->tui->title != NULL) {
        const char *title = s->tui->title;
        int tw = view_width(title, strlen(title));

        tw = tw < width - x - 4 ? tw : width - x - 4;
        if (tw > 8) {
            view_str(w, 0, width - tw - 1, tw, title, th->dim, 0);
        }
    }
    wnoutrefresh(w);
}

static void
draw_tabs(struct screen *s)
{
    const struct tty_theme *th = s->tui->theme;
    int x = 0, width = getmaxx(s->tabs);

    werase(s->tabs);
    for (int p = 0; p < PANE__COUNT; p++) {
        char buf[64];

        snprintf(buf, sizeof buf, " %d %s ", p + 1,
                 _(s->pane[p]->ops->name));
        s->tab_x[p] = x;
        x += view_str(s->tabs, 0, x, width - x, buf,
                      p == s->focus ? th->tab_active : th->tab, 0);
        x += view_str(s->tabs, 0, x, width - x, th->vline, th->dim, 0);
    }
    s->tab_x[PANE__COUNT] = x;
    if (width - x > 20) {
        const char *hint = _("Tab: next pane");
        int hw = view_width(hint, strlen(hint));

        view_str(s->tabs, 0, width - hw - 1, hw, hint, th->dim, 0);
    }
    wnoutrefresh(s->tabs);
}

void
screen_draw(struct screen *s)
{
    bool compare = s->other != NULL && s->other_body != NULL;

    if (s->tabbed) {
        draw_tabs(s);
        s->pane[s->focus]->ops->draw(s->pane[s->focus], s->body[s->focus]);
        if (compare && s->focus == PANE_TIMELINE) {
            draw_compare_title(s, s->this_title, s->this_label);
            draw_compare_title(s, s->other_title, s->other_label);
            s->other->ops->draw(s->other, s->other_body);
        }
    } else {
        if (compare) {
            draw_compare_title(s, s->this_title, s->this_label);
            draw_compare_title(s, s->other_title, s->other_label);
            s->other->ops->draw(s->other, s->other_body);
        }
        for (int p = 0; p < PANE__COUNT; p++) {
            draw_title(s, p);
            s->pane[p]->ops->draw(s->pane[p], s->body[p]);
        }
        werase(s->sep);
        for (int y = 0; y < getmaxy(s->sep); y++) {
            view_str(s->sep, y, 0, 1, s->tui->theme->vline,
                     s->tui->theme->dim, 0);
        }
        wnoutrefresh(s->sep);
    }
    s->status->ops->draw(s->status, s->status_win);
}

int
screen_key(struct screen *s, const struct view_input *in)
{
    struct view *v = s->pane[s->focus];

    return v->ops->key(v, in);
}

/* Is (y, x) inside w?  Then make it relative. */
static bool
inside(WINDOW *w, int y, int x, struct view_input *rel)
{
    int by, bx, h, wd;

    if (w == NULL) {
        return false;
    }
    getbegyx(w, by, bx);
    getmaxyx(w, h, wd);
    if (y < by || y >= by + h || x < bx || x >= bx + wd) {
        return false;
    }
    rel->y = y - by;
    rel->x = x - bx;
    return true;
}

int
screen_mouse(struct screen *s, const struct view_input *in)
{
    struct view_input rel = *in;

    if (inside(s->tabs, in->y, in->x, &rel)) {
        for (int p = 0; p < PANE__COUNT; p++) {
            if (rel.x >= s->tab_x[p] && rel.x < s->tab_x[p + 1]
                && (in->bstate & BUTTON1_PRESSED)) {
                screen_focus(s, (enum pane)p);
                return REACT_REDRAW;
            }
        }
        return REACT_DONE;
    }
    for (int p = 0; p < PANE__COUNT; p++) {
        if (s->tabbed && p != s->focus) {
            continue;
        }
        if (inside(s->title[p], in->y, in->x, &rel)) {
            screen_focus(s, (enum pane)p);
            return REACT_REDRAW;
        }
        if (inside(s->body[p], in->y, in->x, &rel)) {
            if (in->bstate & BUTTON1_PRESSED) {
                screen_focus(s, (enum pane)p);
            }
            return s->pane[p]->ops->key(s->pane[p], &rel) | REACT_REDRAW;
        }
    }
    return REACT_DONE;
}

void
screen_focus(struct screen *s, enum pane p)
{
    s->pane[s->focus]->focused = false;
    s->focus = (int)p;
    s->pane[s->focus]->focused = true;
}

void
screen_focus_next(struct screen *s, int dir)
{
    screen_focus(s, (enum pane)((s->focus + PANE__COUNT + (dir < 0 ? -1 : 1))
                                % PANE__COUNT));
}

struct view *
screen_view(struct screen *s, enum pane p)
{
    return s->pane[p];
}
