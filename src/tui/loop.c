/*
 * The TUI's event loop (tui layer).  A poll handle on stdin reads every
 * key curses has (wget_wch until ERR) before one frame is drawn; signal
 * handles take over SIGWINCH from curses (read the size, resizeterm,
 * relayout) and handle SIGINT/TERM/HUP (quit) and SIGTSTP/SIGCONT
 * (give the terminal back, stop, take it again).  The timer runs only
 * while the top page asks for it.  The pages (page.h) decide; this file
 * owns their stack, the help overlay and the "too small" screen, and ends
 * every frame with one doupdate().
 */
#include "config.h"

#include "loop.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tty.h"

#define IDLE_WAKEUPS_MAX 1000   /* readable, yet no key: stdin is gone */

static const int handled_signals[] = {
    SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT,
};
#define NSIGNALS (sizeof handled_signals / sizeof handled_signals[0])

/* Owned by the caller of loop_new; loop_free frees. */
struct loop {
    uv_loop_t uv;
    uv_poll_t input;
    uv_signal_t sig[NSIGNALS];
    uv_timer_t timer;
    const struct tty_theme *theme;
    struct page *top;
    WINDOW *small, *help_win;
    int period;                 /* the timer's, in ms; 0: stopped */
    uint64_t last_tick;
    int quit_signal;
    int idle;
    bool changed;               /* the top page changed since the frame */
    bool too_small, help, running, closing;
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
page_pop(struct loop *l)
{
    struct page *p = l->top;

    l->top = p->below;
    p->ops->free(p);
    l->changed = true;
    l->help = false;
}

/* Close everything: the pages first (they own handles too), then ours.
 * uv_run returns once the last close is done. */
static void
close_all(struct loop *l)
{
    if (l->closing) {
        return;
    }
    l->closing = true;
    while (l->top != NULL) {
        page_pop(l);
    }
    uv_poll_stop(&l->input);
    uv_close((uv_handle_t *)&l->input, NULL);
    for (size_t i = 0; i < NSIGNALS; i++) {
        uv_close((uv_handle_t *)&l->sig[i], NULL);
    }
    uv_close((uv_handle_t *)&l->timer, NULL);
    win_free(&l->small);
    win_free(&l->help_win);
}

static void on_tick(uv_timer_t *h);

/* Arm the timer for what the top page wants now, or stop it. */
static void
timer_update(struct loop *l)
{
    struct page *p = l->top;
    int period = 0;

    if (!l->closing && p != NULL && p->ops->timer != NULL) {
        period = p->ops->timer(p);
    }
    if (period == l->period) {
        return;
    }
    l->period = period;
    if (period > 0) {
        l->last_tick = uv_now(&l->uv);
        uv_timer_start(&l->timer, on_tick, (uint64_t)period,
                       (uint64_t)period);
    } else {
        uv_timer_stop(&l->timer);
    }
}

static size_t
page_help(struct page *p, const struct action_help **list)
{
    if (p == NULL || p->ops->help == NULL) {
        *list = NULL;
        return 0;
    }
    return p->ops->help(p, list);
}

static void
layout(struct loop *l)
{
    const struct action_help *list;
    size_t n;
    int h, w;

    win_free(&l->small);
    win_free(&l->help_win);
    l->too_small = COLS < PAGE_MIN_COLS || LINES < PAGE_MIN_LINES;
    if (l->too_small) {
        l->small = newwin(LINES, COLS, 0, 0);
        return;
    }
    if (l->top != NULL) {
        l->top->ops->layout(l->top);
    }
    n = page_help(l->top, &list);
    if (n > 0) {
        view_help_size(list, n, &h, &w);
        h = h < LINES - 2 ? h : LINES - 2;
        w = w < COLS - 4 ? w : COLS - 4;
        l->help_win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
    }
}

static void
draw_small(struct loop *l)
{
    char msg[128];
    int len, y, w = COLS, h = LINES;

    werase(l->small);
    snprintf(msg, sizeof msg, _("too small: have %dx%d, need %dx%d"), COLS,
             LINES, PAGE_MIN_COLS, PAGE_MIN_LINES);
    len = (int)strlen(msg);
    /* Wrapped at spaces over as many lines as it takes, centred. */
    y = h / 2 - (len / (w > 0 ? w : 1)) / 2;
    y = y < 0 ? 0 : y;
    for (int off = 0; off < len && y < h; y++) {
        int n = len - off;

        if (n > w) {
            n = w;
            while (n > 0 && msg[off + n] != ' ') {
                n--;
            }
            n = n > 0 ? n : w;  /* one word longer than the line: cut */
        }
        mvwaddnstr(l->small, y, n < w ? (w - n) / 2 : 0, msg + off, n);
        off += n;
        while (off < len && msg[off] == ' ') {
            off++;
        }
    }
    wnoutrefresh(l->small);
}

static void
draw(struct loop *l)
{
    wnoutrefresh(tty_input());  /* never "modified": wgetch won't paint */
    if (l->too_small) {
        draw_small(l);
    } else if (l->top != NULL) {
        l->top->ops->draw(l->top);
        if (l->help && l->help_win != NULL) {
            const struct action_help *list;
            size_t n = page_help(l->top, &list);
            char title[96];

            snprintf(title, sizeof title, " %s ", _(l->top->ops->name));
            view_help_draw(l->help_win, l->theme, title, list, n);
        }
    }
    doupdate();
}

/* Do what the flags ask; at most one frame. */
static void
react(struct loop *l, int flags)
{
    if (l->closing) {
        return;
    }
    if (flags & REACT_QUIT) {
        close_all(l);
        return;
    }
    if ((flags & REACT_BACK) && l->top != NULL) {
        page_pop(l);
    }
    if (l->top == NULL) {
        close_all(l);
        return;
    }
    if (flags & REACT_HELP) {
        const struct action_help *list;

        l->help = page_help(l->top, &list) > 0;
        flags |= REACT_REDRAW;
    }
    if (l->changed) {
        l->changed = false;
        flags |= REACT_RELAYOUT | REACT_PLAY;
    }
    if (!l->running) {
        return;                 /* loop_run draws the first frame */
    }
    if (flags & REACT_PLAY) {
        timer_update(l);
    }
    if (flags & REACT_RELAYOUT) {
        layout(l);
    }
    if (flags & REACT_FULL) {
        clearok(curscr, TRUE);
    }
    if (flags & (REACT_REDRAW | REACT_RELAYOUT | REACT_FULL)) {
        draw(l);
    }
}

void
loop_react(struct loop *l, struct page *p, int flags)
{
    if (p != l->top) {
        return;                 /* drawn when it comes back on top */
    }
    react(l, flags);
}

static void
on_tick(uv_timer_t *h)
{
    struct loop *l = h->data;
    uint64_t now = uv_now(&l->uv), elapsed = now - l->last_tick;

    l->last_tick = now;
    if (l->top == NULL || l->top->ops->tick == NULL) {
        return;
    }
    react(l, l->top->ops->tick(l->top, elapsed) | REACT_PLAY);
}

/* The help overlay has the keys while it is open. */
static int
help_key(struct loop *l, const struct view_input *in)
{
    if ((!in->fn && (in->key == 27 || in->key == '?' || in->key == 'q'
                     || in->key == 'h'))
        || (in->fn && in->key == KEY_F(1))) {
        l->help = false;
        return REACT_REDRAW;
    }
    if (in->fn && in->key == KEY_F(10)) {
        return REACT_QUIT;
    }
    return REACT_DONE;          /* the overlay swallows the rest */
}

static int
dispatch(struct loop *l, const struct view_input *in)
{
    struct page *p = l->top;

    if (p == NULL) {
        return 0;
    }
    if (in->fn && in->key == KEY_RESIZE) {
        return REACT_RELAYOUT;
    }
    if (l->help) {
        return in->fn && in->key == KEY_MOUSE ? REACT_DONE
                                              : help_key(l, in);
    }
    if (in->fn && in->key == KEY_MOUSE) {
        return l->too_small || p->ops->mouse == NULL
                   ? REACT_DONE : p->ops->mouse(p, in);
    }
    return p->ops->key(p, in);
}

static void
on_input(uv_poll_t *h, int status, int events)
{
    struct loop *l = h->data;
    int flags = 0, rc, got = 0;
    wint_t wch;

    (void)events;
    if (status < 0) {
        react(l, REACT_QUIT);
        return;
    }
    while ((rc = wget_wch(tty_input(), &wch)) != ERR) {
        struct view_input in = { .key = (int)wch, .fn = rc == KEY_CODE_YES };

        got++;
        if (in.fn && in.key == KEY_MOUSE) {
            MEVENT me;

            if (getmouse(&me) != OK) {
                continue;
            }
            in.y = me.y;
            in.x = me.x;
            in.bstate = me.bstate;
        }
        flags |= dispatch(l, &in);
        /* A page closing or opening changes who gets the next key. */
        if (flags & (REACT_QUIT | REACT_BACK) || l->changed) {
            react(l, flags);
            flags = 0;
            if (l->closing) {
                return;
            }
        }
    }
    l->idle = got > 0 ? 0 : l->idle + 1;
    if (l->idle > IDLE_WAKEUPS_MAX) {
        flags |= REACT_QUIT;    /* end of file: the terminal went away */
    }
    react(l, flags);
}

static void
on_signal(uv_signal_t *h, int sig)
{
    struct loop *l = h->data;

    switch (sig) {
    case SIGWINCH:
        tty_resize();
        react(l, REACT_RELAYOUT);
        break;
    case SIGTSTP:
        /* Give the terminal back, stop with the default action (libuv
         * restores it when the last watcher stops), and on waking take
         * the terminal again and repaint everything. */
        tty_suspend();
        uv_signal_stop(h);
        raise(SIGTSTP);
        uv_signal_start(h, on_signal, SIGTSTP);
        tty_resume();
        l->last_tick = uv_now(&l->uv);
        react(l, REACT_RELAYOUT | REACT_FULL);
        break;
    case SIGCONT:
        tty_resume();
        react(l, REACT_RELAYOUT | REACT_FULL);
        break;
    default:
        l->quit_signal = sig;
        react(l, REACT_QUIT);
        break;
    }
}

struct loop *
loop_new(const struct tty_theme *th, struct diag *d)
{
    struct loop *l = xcalloc(1, sizeof *l);
    int rc;

    l->theme = th;
    if ((rc = uv_loop_init(&l->uv)) != 0) {
        diag_set(d, _("cannot start the event loop: %s"), uv_strerror(rc));
        free(l);
        return NULL;
    }
    if ((rc = uv_poll_init(&l->uv, &l->input, 0)) != 0) {
        diag_set(d, _("cannot watch the terminal: %s"), uv_strerror(rc));
        uv_loop_close(&l->uv);
        free(l);
        return NULL;
    }
    l->input.data = l;
    for (size_t i = 0; i < NSIGNALS; i++) {
        uv_signal_init(&l->uv, &l->sig[i]);
        l->sig[i].data = l;
    }
    uv_timer_init(&l->uv, &l->timer);
    l->timer.data = l;
    return l;
}

void
loop_free(struct loop *l)
{
    if (l == NULL) {
        return;
    }
    close_all(l);
    /* Let the closes (and a killed child's exit) complete. */
    uv_run(&l->uv, UV_RUN_DEFAULT);
    uv_loop_close(&l->uv);
    free(l);
}

uv_loop_t *
loop_uv(struct loop *l)
{
    return &l->uv;
}

void
loop_push(struct loop *l, struct page *p)
{
    p->loop = l;
    p->below = l->top;
    p->theme = l->theme;
    l->top = p;
    l->changed = true;
    l->help = false;
}

struct page *
loop_top(struct loop *l)
{
    return l->top;
}

bool
loop_help_is_open(const struct loop *l)
{
    return l->help;
}

int
loop_run(struct loop *l, struct diag *d)
{
    (void)d;
    uv_poll_start(&l->input, UV_READABLE, on_input);
    for (size_t i = 0; i < NSIGNALS; i++) {
        uv_signal_start(&l->sig[i], on_signal, handled_signals[i]);
    }
    l->running = true;
    /* The size may have changed since curses started. */
    tty_resize();
    l->changed = false;
    react(l, REACT_RELAYOUT | REACT_PLAY);
    uv_run(&l->uv, UV_RUN_DEFAULT);
    l->running = false;
    return l->quit_signal;
}
