/*
 * The screen (tui layer): which panes show where, which has the focus, and
 * the frame that draws them all.  At 80x24 the panes are tabs; from
 * SCREEN_SPLIT_COLS x SCREEN_SPLIT_LINES the timeline sits above the output
 * and the state, side by side.  The scenario page (page-scenario.c) owns
 * it; sizes below the minimum never reach it (page.h).
 */
#ifndef TELAR_TUI_SCREEN_H
#define TELAR_TUI_SCREEN_H

#include <stdbool.h>

#include "tui/internal.h"

#define SCREEN_SPLIT_COLS 120
#define SCREEN_SPLIT_LINES 32

/* Owns the views and their windows.  screen_free frees. */
struct screen;

/* Make the views; the windows come with the first screen_layout.  Runs
 * on: the loop thread, after tty_start. */
struct screen *screen_new(struct tui *t);
void screen_free(struct screen *s);

/* Rebuild the windows for the terminal's current size. */
void screen_layout(struct screen *s);
/* Draw every visible view (wnoutrefresh); the caller ends the frame with
 * doupdate(). */
void screen_draw(struct screen *s);

/* Give a key to the focused pane; REACT_* flags or 0. */
int screen_key(struct screen *s, const struct view_input *in);
/* Route a mouse event (y, x on the screen) to what is under it. */
int screen_mouse(struct screen *s, const struct view_input *in);

/* Compare with another run: its timeline view (borrowed; NULL ends the
 * comparison) is drawn under this run's, each under its label.  Call
 * screen_layout next. */
void screen_set_compare(struct screen *s, struct view *other,
                        const char *this_label, const char *other_label);

void screen_focus(struct screen *s, enum pane p);
/* Tab / Shift-Tab: the next or previous pane. */
void screen_focus_next(struct screen *s, int dir);
struct view *screen_view(struct screen *s, enum pane p);

#endif
