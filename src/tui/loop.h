/*
 * The TUI's event loop (tui layer): libuv, one thread.  Keys from stdin,
 * the signals a terminal program must handle, a timer only while the top
 * page asks for one (paused, nothing ticks), and the stack of pages
 * (page.h) that takes turns at the screen.
 */
#ifndef TELAR_TUI_LOOP_H
#define TELAR_TUI_LOOP_H

#include <stdint.h>

#include <uv.h>

#include "tui/page.h"

/* Make the loop.  th (from tty_start) is borrowed and must outlive it.
 * NULL with d when libuv cannot start.  Runs on: the main thread, after
 * tty_start. */
struct loop *loop_new(const struct tty_theme *th, struct diag *d);
/* Free the pages still on the stack, close every handle and the loop. */
void loop_free(struct loop *l);

/* The libuv loop, for the pages' own handles (a run's child process). */
uv_loop_t *loop_uv(struct loop *l);

/* Put p on top (the loop owns it from now on); it gets the screen at the
 * next frame.  May be called from a page's key handler. */
void loop_push(struct loop *l, struct page *p);
/* The top page, or NULL. */
struct page *loop_top(struct loop *l);
/* Is the help overlay open? */
bool loop_help_is_open(const struct loop *l);

/* Do what flags ask for page p, from outside a key handler (a child's
 * exit, new records): nothing is drawn unless p is on top. */
void loop_react(struct loop *l, struct page *p, int flags);

/* Draw the first frame and run until the last page closes or the user
 * quits.  Returns 0, the number of the signal (SIGINT, SIGTERM, SIGHUP)
 * that ended it, or -1 with d.  Runs on: the main thread, between
 * tty_start and tty_stop. */
int loop_run(struct loop *l, struct diag *d);

#endif
