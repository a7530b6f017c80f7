/*
 * The TUI's event loop (tui layer): libuv, one thread.  Keys from stdin,
 * the signals a terminal program must handle, and a timer only while the
 * run plays: paused, nothing ticks.
 */
#ifndef TELAR_TUI_LOOP_H
#define TELAR_TUI_LOOP_H

#include "tui/internal.h"

/* Draw the first frame and run until the user quits.  Returns 0, the
 * number of the signal (SIGINT, SIGTERM, SIGHUP) that ended it, or -1
 * with d when the loop cannot start.  Runs on: the main thread, between
 * tty_start and tty_stop. */
int loop_run(struct tui *t, struct diag *d);

#endif
