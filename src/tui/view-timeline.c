/*
 * The timeline view (tui layer): a row per actor as a tree (threads, their
 * asyncio tasks), its state per column of virtual time or of steps, and a
 * row per queue with its fill against its capacity.  The cursor's column is
 * drawn in reverse and what lies ahead of it dimmed.  The columns' contents
 * come from model_columns/model_levels (model.c); this file only lays them
 * out and turns states into the theme's cells.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"

#define MAX_ZOOM 48
#define TREE_MAX_DEPTH 12
#define MIN_LABEL 6
#define TICK_MIN 12             /* columns between ruler labels, at least */

struct timeline {
    struct view base;
    bool by_step;               /* columns of steps, not of virtual time */
    int zoom;                   /* 0: the whole run fits; +1 halves columns */
    int64_t x0;                 /* the first column's start, when zoomed */
    int sel;                    /* the selected row (actors, then queues) */
    /* Scratch, grown as needed. */
    signed char *cells;
    int64_t *levels;
    unsigned char *handoff;
    cchar_t *line;
    int cap;
    int *queues;
    int nqueues, cap_queues;
    unsigned char *more;        /* per row: a later sibling follows */
    size_t cap_more;
    /* The last frame's geometry, for the mouse. */
    int header, body_h, top, label_w, chart_x, ncols, nrows;
    int64_t per_col, first_x;
};

static void
ensure_cols(struct timeline *tl, int n)
{
    if (n > tl->cap) {
        tl->cap = n;
        tl->cells = xrealloc(tl->cells, (size_t)n);
        tl->levels = xrealloc(tl->levels, sizeof *tl->levels * (size_t)n);
        tl->handoff = xrealloc(tl->handoff, (size_t)n);
        tl->line = xrealloc(tl->line, sizeof *tl->line * (size_t)n);
    }
}

/* The object rows: the GIL of each process once two threads exist (its
 * hand-offs are the point of a GIL lesson), then the queues, in id
 * order. */
static void
find_queues(struct timeline *tl, const struct model *m)
{
    int threads = 0;

    for (int i = 0; i < model_nactors(m) && threads < 2; i++) {
        threads += model_actor(m, i)->kind == EV_ACTOR_THREAD;
    }
    tl->nqueues = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < model_nobjs(m); i++) {
            const struct model_obj *o = model_obj(m, i);
            bool want = pass == 0 ? o->kind == EV_OBJ_GIL && threads >= 2
                                  : model_is_queue_kind(o->kind);

            if (!o->known || !want) {
                continue;
            }
            if (tl->nqueues == tl->cap_queues) {
                tl->cap_queues = tl->cap_queues ? tl->cap_queues * 2 : 8;
                tl->queues = xrealloc(tl->queues,
                                      sizeof *tl->queues
                                          * (size_t)tl->cap_queues);
            }
            tl->queues[tl->nqueues++] = i;
        }
    }
}

/* For each row, whether a later sibling follows it: a backward scan that
 * remembers, per depth, if a row of that depth was seen since the last
 * shallower one. */
static void
find_siblings(struct timeline *tl, const struct model_row *rows, size_t n)
{
    unsigned char seen[TREE_MAX_DEPTH + 2] = { 0 };

    if (n > tl->cap_more) {
        tl->cap_more = n;
        tl->more = xrealloc(tl->more, n);
    }
    for (size_t i = n; i-- > 0;) {
        int d = rows[i].depth > TREE_MAX_DEPTH ? TREE_MAX_DEPTH
                                               : rows[i].depth;

        tl->more[i] = seen[d];
        seen[d] = 1;
        for (int k = d + 1; k < TREE_MAX_DEPTH + 2; k++) {
            seen[k] = 0;
        }
    }
}

static void
queue_label(const struct model *m, int id, char *buf, size_t size)
{
    char name[64];
    const struct model_obj *o = model_obj(m, id);
    const struct model_obj_at *at = model_obj_at(m, id);

    model_obj_name(m, id, name, sizeof name);
    if (!at->exists) {
        snprintf(buf, size, "%s", name);
    } else if (o->kind == EV_OBJ_GIL) {
        char holder[64];

        if (at->holder >= 0) {
            model_actor_name(m, at->holder, holder, sizeof holder);
        } else {
            snprintf(holder, sizeof holder, "-");
        }
        snprintf(buf, size, "%s %s", name, holder);
    } else if (o->capacity > 0) {
        snprintf(buf, size, "%s %lld/%lld", name, (long long)at->value,
                 (long long)o->capacity);
    } else {
        snprintf(buf, size, "%s %lld", name, (long long)at->value);
    }
}

static short
actor_pair(const struct tty_theme *th, int actor)
{
    return th->actor_pair[(actor < 0 ? 0 : actor) % th->nactor_colors];
}

/* Draw the ruler: the axis' unit on the left, x at every few columns. */
static void
draw_ruler(struct timeline *tl, WINDOW *win, bool by_time)
{
    const struct tty_theme *th = tl->base.tui->theme;
    char buf[40];

    view_str(win, 0, 0, tl->label_w, by_time ? _("time") : _("step"),
             th->dim, 0);
    for (int c = 0; c < tl->ncols;) {
        int64_t x = tl->first_x + tl->per_col * c;
        int len;

        if (by_time) {
            view_format_ns(buf, sizeof buf, x, th->ascii);
        } else {
            snprintf(buf, sizeof buf, "%lld", (long long)x);
        }
        len = view_width(buf, strlen(buf));
        if (c + len >= tl->ncols) {
            break;
        }
        view_str(win, 0, tl->chart_x + c, len + 1, buf, th->dim, 0);
        c += len + 2 > TICK_MIN ? len + 2 : TICK_MIN;
    }
}

static void
draw_legend(struct timeline *tl, WINDOW *win, int y, int w)
{
    const struct tty_theme *th = tl->base.tui->theme;
    static const int order[] = {
        EV_ST_RUNNING, EV_ST_READY, EV_ST_BLOCKED, EV_ST_SLEEPING,
        EV_ST_WAITING, EV_ST_FAILED, EV_ST_CANCELLED,
    };
    int x = 0;

    for (size_t i = 0; i < sizeof order / sizeof order[0] && x < w; i++) {
        int s = order[i] + 1;
        const char *word = view_state_word(order[i]);

        x += view_str(win, y, x, w - x, th->glyph[s], th->state_attr[s],
                      th->state_pair[s]);
        x += view_str(win, y, x, w - x, " ", A_NORMAL, 0);
        x += view_str(win, y, x, w - x, word, th->dim, 0);
        x += view_str(win, y, x, w - x, "  ", A_NORMAL, 0);
    }
    {
        const struct model *m = tl->base.tui->model;
        bool gil = false, queue = false;

        for (int i = 0; i < tl->nqueues; i++) {
            bool g = model_obj(m, tl->queues[i])->kind == EV_OBJ_GIL;

            gil |= g;
            queue |= !g;
        }
        if (queue && x < w) {
            x += view_str(win, y, x, w - x,
                          th->ascii ? "0-8" : "\u00b7\u2581\u2584\u2588",
                          A_NORMAL, th->heading_pair);
            x += view_str(win, y, x, w - x, " ", A_NORMAL, 0);
            x += view_str(win, y, x, w - x, _("queue fill"), th->dim, 0);
            x += view_str(win, y, x, w - x, "  ", A_NORMAL, 0);
        }
        if (gil && x < w) {
            x += view_str(win, y, x, w - x, th->ascii ? "#|" : "\u2588\u2590",
                          A_NORMAL, th->heading_pair);
            x += view_str(win, y, x, w - x, " ", A_NORMAL, 0);
            x += view_str(win, y, x, w - x,
                          _("GIL: its holder's colour, | a hand-off"),
                          th->dim, 0);
        }
    }
}

/* Where the columns start and how wide they are, for this frame. */
static void
place_columns(struct timeline *tl, const struct model *m, bool by_time)
{
    const struct tui *t = tl->base.tui;
    int64_t first = by_time ? 0 : (int64_t)model_first_step(m);
    int64_t last = by_time ? model_last_time(m) : (int64_t)model_last_step(m);

    if (by_time && t->span_time > last) {
        last = t->span_time;
    } else if (!by_time && (int64_t)t->span_step > last) {
        last = (int64_t)t->span_step;
    }
    int64_t span = last - first + 1, fit, per, shown, cx;
    int n = tl->ncols > 0 ? tl->ncols : 1;

    fit = (span + n - 1) / n;
    fit = fit > 0 ? fit : 1;
    per = fit;
    for (int z = 0; z < tl->zoom; z++) {
        if (per == 1) {
            tl->zoom = z;       /* one unit per column: as far as it goes */
            break;
        }
        per = (per + 1) / 2;
    }
    tl->per_col = per;
    shown = per * n;
    if (shown >= span) {
        tl->first_x = first;
        return;
    }
    /* Zoomed in: follow the cursor, keeping columns aligned. */
    cx = by_time ? model_time(m) : (int64_t)model_step(m);
    if (cx < tl->x0 || cx >= tl->x0 + shown) {
        tl->x0 = cx - shown / 2;
    }
    if (tl->x0 > last + 1 - shown) {
        tl->x0 = last + 1 - shown;
    }
    if (tl->x0 < first) {
        tl->x0 = first;
    }
    tl->x0 = first + (tl->x0 - first) / per * per;
    tl->first_x = tl->x0;
}

static void
draw_tree_label(struct timeline *tl, WINDOW *win, int y, size_t row,
                const struct model_row *rows, const unsigned char *anc)
{
    const struct tty_theme *th = tl->base.tui->theme;
    const struct model *m = tl->base.tui->model;
    int id = rows[row].actor, d = rows[row].depth, x = 0;
    char name[128];
    attr_t attr = A_NORMAL;
    bool born = model_actor_at(m, id)->state != MODEL_ST_NONE;

    d = d > TREE_MAX_DEPTH ? TREE_MAX_DEPTH : d;
    for (int k = 1; k < d && x < tl->label_w; k++) {
        x += view_str(win, y, x, tl->label_w - x,
                      anc[k] ? th->tree_pipe : "  ", th->dim, 0);
    }
    if (d > 0) {
        x += view_str(win, y, x, tl->label_w - x,
                      tl->more[row] ? th->tree_mid : th->tree_last, th->dim,
                      0);
    }
    model_actor_name(m, id, name, sizeof name);
    if (tl->base.tui->manual) {
        /* The digit that hands this thread the baton. */
        int digit = view_pick_digit((struct model *)m, id);
        char tag[4] = "  ";

        if (digit > 0) {
            tag[0] = (char)('0' + digit);
        }
        x += view_str(win, y, x, tl->label_w - 1 - x, tag, A_BOLD,
                      th->heading_pair);
    }
    if ((int)row == tl->sel) {
        attr = tl->base.focused ? th->select : A_BOLD | A_UNDERLINE;
    } else if (!born) {
        attr = th->dim;
    }
    x += view_str(win, y, x, tl->label_w - 1 - x, name, attr,
                  actor_pair(th, id));
}

static void
draw_cells(struct timeline *tl, WINDOW *win, int y, int curcol,
           bool is_queue, int64_t scale, int64_t cap)
{
    const struct tty_theme *th = tl->base.tui->theme;

    for (int c = 0; c < tl->ncols; c++) {
        int k = c == curcol ? TTY_CELL_CURSOR
                            : c > curcol ? TTY_CELL_FUTURE : TTY_CELL_PAST;

        if (!is_queue) {
            tl->line[c] = th->cell[tl->cells[c] + 1][k];
        } else if (tl->levels[c] < 0) {
            tl->line[c] = th->cell[0][k];
        } else if (cap > 0 && tl->levels[c] >= cap) {
            tl->line[c] = th->level_full[k];
        } else {
            int64_t v = tl->levels[c];
            int idx;

            if (th->ascii && scale <= TTY_NLEVELS - 1) {
                idx = (int)v;
            } else {
                /* Round up, so that one item never reads as empty. */
                idx = v <= 0 ? 0
                             : (int)((v * (TTY_NLEVELS - 1) + scale - 1)
                                     / scale);
            }
            idx = idx < 0 ? 0 : idx >= TTY_NLEVELS ? TTY_NLEVELS - 1 : idx;
            tl->line[c] = th->level[idx][k];
        }
    }
    mvwadd_wchnstr(win, y, tl->chart_x, tl->line, tl->ncols);
}

/* A GIL's row: each column in the colour of the thread that held it
 * longest there, a half block where it changed hands. */
static void
draw_gil_cells(struct timeline *tl, WINDOW *win, int y, int curcol)
{
    const struct tty_theme *th = tl->base.tui->theme;

    for (int c = 0; c < tl->ncols; c++) {
        attr_t attr = c == curcol ? A_REVERSE : c > curcol ? A_DIM
                                                           : A_NORMAL;
        wchar_t g[2] = { L' ', 0 };
        short pair = 0;

        if (tl->levels[c] >= 0) {
            g[0] = th->ascii ? (tl->handoff[c] ? L'|' : L'#')
                             : (tl->handoff[c] ? L'\u2590' : L'\u2588');
            pair = actor_pair(th, (int)tl->levels[c]);
        } else if (c == curcol) {
            g[0] = L' ';
        }
        setcchar(&tl->line[c], g, attr, pair, NULL);
    }
    mvwadd_wchnstr(win, y, tl->chart_x, tl->line, tl->ncols);
}

static void
timeline_draw(struct view *v, WINDOW *win)
{
    struct timeline *tl = (struct timeline *)v;
    struct tui *t = v->tui;
    struct model *m = t->model;
    const struct tty_theme *th = t->theme;
    const struct model_row *rows;
    size_t nrows = model_rows(m, &rows);
    bool by_time = !tl->by_step && model_last_time(m) > 0;
    unsigned char anc[TREE_MAX_DEPTH + 2] = { 0 };
    int h, w, total, lw = MIN_LABEL, legend, curcol;
    int64_t cx;

    getmaxyx(win, h, w);
    werase(win);
    find_queues(tl, m);
    find_siblings(tl, rows, nrows);
    total = (int)nrows + tl->nqueues;
    tl->nrows = total;

    /* Labels take what the widest needs, up to a third of the width. */
    for (size_t i = 0; i < nrows; i++) {
        char name[128];
        int d = rows[i].depth > TREE_MAX_DEPTH ? TREE_MAX_DEPTH
                                               : rows[i].depth;
        int lwi;

        model_actor_name(m, rows[i].actor, name, sizeof name);
        lwi = 2 * d + view_width(name, strlen(name)) + 1
              + (t->manual ? 2 : 0);
        lw = lwi > lw ? lwi : lw;
    }
    for (int i = 0; i < tl->nqueues; i++) {
        char label[128];
        int lwi;

        queue_label(m, tl->queues[i], label, sizeof label);
        lwi = view_width(label, strlen(label)) + 1;
        lw = lwi > lw ? lwi : lw;
    }
    lw = lw > w / 3 ? w / 3 : lw;
    tl->label_w = lw;
    tl->chart_x = lw + 1;
    tl->ncols = w - tl->chart_x;
    tl->header = h >= 4 ? 1 : 0;
    legend = h >= 5 ? 1 : 0;
    tl->body_h = h - tl->header - legend;
    if (tl->ncols < 1 || tl->body_h < 1) {
        wnoutrefresh(win);
        return;
    }
    ensure_cols(tl, tl->ncols);
    place_columns(tl, m, by_time);
    cx = by_time ? model_time(m) : (int64_t)model_step(m);
    curcol = (int)((cx - tl->first_x) / tl->per_col);

    /* Keep the selection in range and on screen. */
    if (tl->sel >= total) {
        tl->sel = total - 1;
    }
    if (tl->sel < 0 && total > 0) {
        tl->sel = 0;
    }
    if (tl->sel < tl->top) {
        tl->top = tl->sel;
    }
    if (tl->sel >= tl->top + tl->body_h) {
        tl->top = tl->sel - tl->body_h + 1;
    }
    if (tl->top > total - tl->body_h) {
        tl->top = total - tl->body_h;
    }
    if (tl->top < 0) {
        tl->top = 0;
    }
    t->selected = tl->sel >= 0 && tl->sel < (int)nrows ? rows[tl->sel].actor
                                                       : -1;

    if (tl->header) {
        draw_ruler(tl, win, by_time);
    }
    for (int r = 0; r < total && r < tl->top + tl->body_h; r++) {
        int y = tl->header + r - tl->top;

        if (r < (int)nrows) {
            int d = rows[r].depth > TREE_MAX_DEPTH ? TREE_MAX_DEPTH
                                                   : rows[r].depth;
            /* anc[k]: the ancestor at depth k has a later sibling. */
            anc[d] = tl->more[r];
            if (r < tl->top) {
                continue;
            }
            draw_tree_label(tl, win, y, (size_t)r, rows, anc);
            {
                size_t n;
                const struct model_mark *hist =
                    model_actor_history(m, rows[r].actor, &n);

                model_columns(hist, n, by_time, tl->first_x, tl->per_col,
                              tl->ncols, tl->cells);
            }
            draw_cells(tl, win, y, curcol, false, 0, 0);
        } else {
            int q = tl->queues[r - (int)nrows];
            const struct model_obj *o = model_obj(m, q);
            int64_t scale = o->capacity > 0 ? o->capacity
                                            : model_obj_peak(m, q);
            char label[128];
            size_t n;
            const struct model_mark *hist;

            if (r < tl->top) {
                continue;
            }
            queue_label(m, q, label, sizeof label);
            view_str(win, y, 0, lw - 1, label,
                     r == tl->sel ? (v->focused ? th->select : A_BOLD)
                                  : A_NORMAL,
                     th->heading_pair);
            hist = model_obj_history(m, q, &n);
            if (o->kind == EV_OBJ_GIL) {
                model_holders(hist, n, by_time, tl->first_x, tl->per_col,
                              tl->ncols, tl->levels, tl->handoff);
                draw_gil_cells(tl, win, y, curcol);
                view_str(win, y, lw, 1, th->vline, th->dim, 0);
                continue;
            }
            model_levels(hist, n, by_time, tl->first_x, tl->per_col,
                         tl->ncols, tl->levels);
            draw_cells(tl, win, y, curcol, true, scale > 0 ? scale : 1,
                       o->capacity);
        }
        view_str(win, y, lw, 1, th->vline, th->dim, 0);
    }
    if (t->has_mark) {
        /* Where two compared runs part ways: its column lit on every
         * row, an arrow on the ruler. */
        int64_t mx = by_time ? t->mark_time : (int64_t)t->mark_step;
        int mc = (int)((mx - tl->first_x) / tl->per_col);

        if (mx >= tl->first_x && mc >= 0 && mc < tl->ncols) {
            for (int y = tl->header; y < tl->header + tl->body_h; y++) {
                mvwchgat(win, y, tl->chart_x + mc, 1, A_REVERSE | A_BOLD,
                         th->error_pair, NULL);
            }
            if (tl->header) {
                view_str(win, 0, tl->chart_x + mc, 1,
                         th->ascii ? "v" : "\u25bc", A_BOLD,
                         th->error_pair);
            }
        }
    }
    if (legend) {
        draw_legend(tl, win, h - 1, w);
    }
    wnoutrefresh(win);
}

static int
timeline_key(struct view *v, const struct view_input *in)
{
    struct timeline *tl = (struct timeline *)v;
    struct model *m = v->tui->model;
    int page = tl->body_h > 1 ? tl->body_h - 1 : 1;

    if (in->fn && in->key == KEY_MOUSE) {
        int row = tl->top + in->y - tl->header;

        if (in->y >= tl->header && row < tl->nrows && in->x < tl->chart_x) {
            v->tui->chosen = true;
        }

        if (in->bstate & BUTTON4_PRESSED) {
            tl->sel = tl->sel > 3 ? tl->sel - 3 : 0;
            return REACT_REDRAW;
        }
        if (in->bstate & BUTTON5_PRESSED) {
            tl->sel += 3;
            return REACT_REDRAW;
        }
        if (in->y < tl->header || row >= tl->nrows) {
            return REACT_DONE;
        }
        tl->sel = row;
        /* In manual scheduling a click on a thread's name hands it the
         * baton (the page does it). */
        if (v->tui->manual && in->x < tl->chart_x && (in->bstate
                                                      & BUTTON1_PRESSED)) {
            const struct model_row *rows;
            size_t nrows = model_rows(m, &rows);

            if ((size_t)row >= nrows) {
                return REACT_REDRAW;    /* a queue's row */
            }
            v->tui->selected = rows[row].actor;
            return REACT_REDRAW | REACT_PICK;
        }
        if (in->x >= tl->chart_x && tl->per_col > 0) {
            int64_t x = tl->first_x + tl->per_col * (in->x - tl->chart_x)
                        + tl->per_col - 1;
            bool by_time = !tl->by_step && model_last_time(m) > 0;

            if (by_time) {
                model_seek_time(m, x);
            } else {
                model_seek_step(m, x < 0 ? 0 : (uint64_t)x);
            }
        }
        return REACT_REDRAW;
    }
    switch (in->fn ? in->key : -in->key) {
    case KEY_UP: case KEY_DOWN: case KEY_PPAGE: case KEY_NPAGE:
    case -'k': case -'j': case -'g': case -'G':
        v->tui->chosen = true;
        break;
    default:
        break;
    }
    switch (in->fn ? in->key : -in->key) {
    case KEY_UP:
    case -'k':
        tl->sel = tl->sel > 0 ? tl->sel - 1 : 0;
        return REACT_REDRAW;
    case KEY_DOWN:
    case -'j':
        tl->sel++;
        return REACT_REDRAW;
    case KEY_PPAGE:
        tl->sel = tl->sel > page ? tl->sel - page : 0;
        return REACT_REDRAW;
    case KEY_NPAGE:
        tl->sel += page;
        return REACT_REDRAW;
    case -'g':
        tl->sel = 0;
        return REACT_REDRAW;
    case -'G':
        tl->sel = tl->nrows > 0 ? tl->nrows - 1 : 0;
        return REACT_REDRAW;
    default:
        return 0;
    }
}

static void
timeline_free(struct view *v)
{
    struct timeline *tl = (struct timeline *)v;

    free(tl->cells);
    free(tl->levels);
    free(tl->handoff);
    free(tl->line);
    free(tl->queues);
    free(tl->more);
    free(tl);
}

static const struct view_ops timeline_ops = {
    .name = N_("Timeline"),
    .draw = timeline_draw,
    .key = timeline_key,
    .free = timeline_free,
};

struct view *
view_timeline_new(struct tui *t)
{
    struct timeline *tl = xcalloc(1, sizeof *tl);

    tl->base.ops = &timeline_ops;
    tl->base.tui = t;
    return &tl->base;
}

/* z / Z: halve or double the columns' width; 0 is "the run fits". */
void
view_timeline_zoom(struct view *v, int dir)
{
    struct timeline *tl = (struct timeline *)v;

    tl->zoom += dir > 0 ? 1 : -1;
    tl->zoom = tl->zoom < 0 ? 0 : tl->zoom > MAX_ZOOM ? MAX_ZOOM : tl->zoom;
    tl->x0 = INT64_MIN / 2;     /* recentre on the cursor */
}

/* t: columns of steps or of virtual time. */
void
view_timeline_toggle_axis(struct view *v)
{
    struct timeline *tl = (struct timeline *)v;

    tl->by_step = !tl->by_step;
    tl->x0 = INT64_MIN / 2;
}
