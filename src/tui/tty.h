/*
 * The terminal (tui layer): the only place that calls initscr and endwin,
 * chooses colours and glyphs, and puts the terminal back however telar
 * leaves (normal exit, fatal(), SIGINT/TERM/HUP through the loop, a crash).
 */
#ifndef TELAR_TUI_TTY_H
#define TELAR_TUI_TTY_H

#include <stdbool.h>
#include <stdio.h>

#include <curses.h>

#include "tui/model.h"
#include "util/util.h"

struct tty_options {
    bool no_color;              /* --no-color (NO_COLOR does the same) */
    bool ascii;                 /* --ascii (automatic without UTF-8) */
    bool no_mouse;
};

/* How a timeline cell looks: as the cursor column, in the past, ahead. */
enum tty_cell {
    TTY_CELL_PAST = 0,
    TTY_CELL_FUTURE,
    TTY_CELL_CURSOR,
    TTY_CELL__COUNT
};

#define TTY_NLEVELS 9           /* queue fill glyphs: empty to full */
#define TTY_NACTOR_COLORS 12
#define TTY_NSYNTAX 8           /* code colours, by enum pyhl_kind */

/* Colours and glyphs, chosen once by tty_start.  Owned by the caller
 * (usually on its stack); views read it through struct tui. */
struct tty_theme {
    int colors;                 /* 0 (monochrome), 8, 16 or 256 */
    bool ascii;
    bool mouse;
    /* Timeline cells: [state + 1][kind]; state MODEL_ST_NONE is blank. */
    cchar_t cell[MODEL_NSTATES + 1][TTY_CELL__COUNT];
    /* Queue cells: [level][kind], and the colour of a full queue. */
    cchar_t level[TTY_NLEVELS][TTY_CELL__COUNT];
    cchar_t level_full[TTY_CELL__COUNT];
    const char *glyph[MODEL_NSTATES + 1];   /* for legends, [state + 1] */
    attr_t state_attr[MODEL_NSTATES + 1];
    short state_pair[MODEL_NSTATES + 1];
    attr_t actor_attr[TTY_NACTOR_COLORS];
    short actor_pair[TTY_NACTOR_COLORS];
    int nactor_colors;
    attr_t title, title_focus, status, status_key, error, dim, heading,
        select, tab, tab_active;
    short error_pair, heading_pair, status_pair;
    /* Lesson text: code by token kind, inline code, links, emphasis. */
    attr_t syntax_attr[TTY_NSYNTAX];
    short syntax_pair[TTY_NSYNTAX];
    attr_t code, link, emph;
    short code_pair, link_pair;
    /* Drawing characters (UTF-8 or ASCII). */
    const char *vline, *ellipsis, *tree_mid, *tree_last, *tree_pipe,
        *bar_full, *bar_empty, *play, *pause;
};

/* Take the terminal: locale checks, curses, colours, keypad, mouse, the
 * crash handlers; stderr is kept in a file until tty_stop.  Fills *th.
 * 0, or -1 with d (the terminal is left as it was).  Runs on: the main
 * thread, before the loop. */
int tty_start(const struct tty_options *o, struct tty_theme *th,
              struct diag *d);
/* Give the terminal back, then print what was written to stderr
 * meanwhile.  Safe to call twice. */
void tty_stop(void);

/* Draw off screen into out, at cols x lines, for measurements: no tty,
 * no signal handlers.  Colours as a 256-colour xterm. */
int tty_start_offscreen(FILE *out, int cols, int lines,
                        const struct tty_options *o, struct tty_theme *th,
                        struct diag *d);

/* SIGTSTP: give the terminal back before stopping; SIGCONT: take it again
 * (the next frame repaints every cell). */
void tty_suspend(void);
void tty_resume(void);
/* SIGWINCH: read the size from the terminal and tell curses.  true if it
 * changed. */
bool tty_resize(void);

/* A 1x1 window that reads the keys (reading through stdscr would repaint
 * it over the views). */
WINDOW *tty_input(void);

#endif
