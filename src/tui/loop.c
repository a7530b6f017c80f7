/*
 * The TUI's event loop (tui layer).  A poll handle on stdin reads every
 * key curses has (wget_wch until ERR) before one frame is drawn; signal
 * handles take over SIGWINCH from curses (read the size, resizeterm,
 * relayout) and handle SIGINT/TERM/HUP (quit) and SIGTSTP/SIGCONT
 * (give the terminal back, stop, take it again).  The play timer runs
 * only while playing.  Actions (action.c) decide; this file draws through
 * screen.c and nothing else.
 */
#include "config.h"

#include "loop.h"

#include <signal.h>
#include <string.h>

#include <uv.h>

#include "tui/screen.h"
#include "tui/tty.h"

#define FRAME_MS 16             /* the fastest the timer ticks */
#define IDLE_WAKEUPS_MAX 1000   /* readable, yet no key: stdin is gone */

static const int handled_signals[] = {
    SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT,
};
#define NSIGNALS (sizeof handled_signals / sizeof handled_signals[0])

/* Lives on loop_run's stack. */
struct loop {
    uv_loop_t uv;
    uv_poll_t input;
    uv_signal_t sig[NSIGNALS];
    uv_timer_t play;
    struct tui *tui;
    uint64_t last_tick;
    double due;                 /* steps owed to the timer */
    int quit_signal;
    int idle;
    bool closing;
};

static void
close_all(struct loop *l)
{
    if (l->closing) {
        return;
    }
    l->closing = true;
    uv_poll_stop(&l->input);
    uv_close((uv_handle_t *)&l->input, NULL);
    for (size_t i = 0; i < NSIGNALS; i++) {
        uv_close((uv_handle_t *)&l->sig[i], NULL);
    }
    uv_close((uv_handle_t *)&l->play, NULL);
}

static void on_tick(uv_timer_t *h);

/* Arm the timer for the speed, or stop it when paused. */
static void
timer_update(struct loop *l)
{
    struct tui *t = l->tui;

    if (t->playing && !l->closing) {
        int speed = action_speed(t->speed);
        uint64_t every = (uint64_t)(1000 / speed);

        every = every < FRAME_MS ? FRAME_MS : every;
        l->last_tick = uv_now(&l->uv);
        l->due = 0;
        uv_timer_start(&l->play, on_tick, every, every);
    } else {
        uv_timer_stop(&l->play);
    }
}

/* Do what the flags ask; at most one frame. */
static void
react(struct loop *l, int flags)
{
    struct tui *t = l->tui;

    if (flags & REACT_QUIT) {
        t->playing = false;
        close_all(l);
        return;
    }
    if (flags & REACT_PLAY) {
        timer_update(l);
    }
    if (flags & REACT_RELAYOUT) {
        screen_layout(t->screen);
    }
    if (flags & REACT_FULL) {
        clearok(curscr, TRUE);
    }
    if (flags & (REACT_REDRAW | REACT_RELAYOUT | REACT_FULL)) {
        screen_draw(t->screen);
    }
}

static void
on_tick(uv_timer_t *h)
{
    struct loop *l = h->data;
    struct tui *t = l->tui;
    uint64_t now = uv_now(&l->uv);
    int speed = action_speed(t->speed), n;

    l->due += (double)(now - l->last_tick) * speed / 1000.0;
    l->last_tick = now;
    /* After a stall (suspended, a slow terminal) do not leap ahead. */
    if (l->due > speed / 2.0 + 1) {
        l->due = speed / 2.0 + 1;
    }
    n = (int)l->due;
    l->due -= n;
    for (int i = 0; i < n; i++) {
        if (!model_next(t->model)) {
            t->playing = false;
            break;
        }
    }
    if (model_is_at_end(t->model)) {
        t->playing = false;
    }
    react(l, REACT_REDRAW | (t->playing ? 0 : REACT_PLAY));
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
        flags |= action_key(l->tui, &in);
        if (flags & REACT_QUIT) {
            break;
        }
    }
    l->idle = got > 0 ? 0 : l->idle + 1;
    if (l->idle > IDLE_WAKEUPS_MAX) {
        flags |= REACT_QUIT;    /* end of file: the terminal went away */
    }
    react(l, flags);
}

static void on_signal(uv_signal_t *h, int sig);

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

int
loop_run(struct tui *t, struct diag *d)
{
    struct loop l;
    int rc;

    memset(&l, 0, sizeof l);
    l.tui = t;
    if ((rc = uv_loop_init(&l.uv)) != 0) {
        diag_set(d, _("cannot start the event loop: %s"), uv_strerror(rc));
        return -1;
    }
    if ((rc = uv_poll_init(&l.uv, &l.input, 0)) != 0) {
        diag_set(d, _("cannot watch the terminal: %s"), uv_strerror(rc));
        uv_loop_close(&l.uv);
        return -1;
    }
    l.input.data = &l;
    uv_poll_start(&l.input, UV_READABLE, on_input);
    for (size_t i = 0; i < NSIGNALS; i++) {
        uv_signal_init(&l.uv, &l.sig[i]);
        l.sig[i].data = &l;
        uv_signal_start(&l.sig[i], on_signal, handled_signals[i]);
    }
    uv_timer_init(&l.uv, &l.play);
    l.play.data = &l;

    /* The size may have changed since curses started. */
    tty_resize();
    react(&l, REACT_RELAYOUT | REACT_PLAY);
    uv_run(&l.uv, UV_RUN_DEFAULT);
    uv_loop_close(&l.uv);
    return l.quit_signal;
}
