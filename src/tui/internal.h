/*
 * What the files of the TUI share and nothing outside it needs: the
 * reaction flags actions and views return, the input a view is given, the
 * view interface, and struct tui, the handful of fields every part reads.
 * One thread (the loop's) touches all of it.
 */
#ifndef TELAR_TUI_INTERNAL_H
#define TELAR_TUI_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <curses.h>

#include "log/lint.h"
#include "tui/model.h"
#include "tui/tty.h"

/* What the loop does after an action or a view handled a key.  0: the key
 * was not handled (the next handler gets it). */
enum react {
    REACT_DONE = 1 << 0,        /* handled; nothing to show */
    REACT_REDRAW = 1 << 1,      /* draw a frame */
    REACT_RELAYOUT = 1 << 2,    /* rebuild the windows, then draw */
    REACT_FULL = 1 << 3,        /* repaint every cell (Ctrl-L) */
    REACT_PLAY = 1 << 4,        /* the page's timer may have changed */
    REACT_QUIT = 1 << 5,        /* leave telar */
    REACT_BACK = 1 << 6,        /* close the top page (quit on the last) */
    REACT_HELP = 1 << 7,        /* open the help overlay */
    REACT_PICK = 1 << 8,        /* manual scheduling: the selected actor
                                   runs next (a click on its row) */
};

/* The panes, in Tab order. */
enum pane {
    PANE_TIMELINE = 0,
    PANE_OUTPUT,
    PANE_STATE,
    PANE_CODE,
    PANE__COUNT
};

/* The state every part of the scenario screen reads.  Lives in the
 * scenario page (page-scenario.c) or, for measurements, in cmd-view.c's
 * frame; the pointers are borrowed. */
struct tui {
    struct model *model;
    struct screen *screen;
    const struct tty_theme *theme;
    bool playing;
    int speed;                  /* index into action.c's speeds */
    bool help;                  /* the help overlay is open */
    bool nested;                /* q goes back to a page beneath */
    bool lesson;                /* l goes back to a lesson's text */
    int selected;               /* the selected actor, or -1 */
    bool chosen;                /* ... chosen by the user (a key or a
                                   click on its name), not the default */
    const char *title;          /* the run's name, for the status bar */
    bool growing;               /* a live run that can still log more */
    bool manual;                /* m: a digit picks who runs next */
    char notice[160];           /* a message for the status bar, until the
                                   next key ("" for none) */
    char died[160];             /* how a run that logged no end ended */
    /* The lints of the run so far (log/lint.h), in time order; the
     * state pane shows those the cursor has reached.  Owned by the page. */
    struct lint_item *lints;
    int nlints;
    /* Data races found so far (r: telar run --races), each shown from the
     * step of its later access.  Owned by the page. */
    struct tui_race *races;
    int nraces;
    bool races_on;              /* the run looks for them */
    /* Comparing runs: the first step (and its virtual time) at which
     * they part ways, marked on the timeline. */
    bool has_mark;
    uint64_t mark_step;
    int64_t mark_time;
    /* ... and the length both timelines are drawn to (0: the run's own),
     * so that a column means the same in both. */
    uint64_t span_step;
    int64_t span_time;
    char compare_note[200];     /* where they part ways, in words */
};

/* A data race, for the state pane. */
struct tui_race {
    uint64_t step;              /* of the later of the two accesses */
    char *text;                 /* the sentence; owned */
};

/* A key or a mouse event, as a view receives it. */
struct view_input {
    int key;                    /* a character, or a KEY_* code if fn */
    bool fn;
    /* key == KEY_MOUSE: where, relative to the view's window, and what */
    int y, x;
    mmask_t bstate;
};

/* A view draws the model into its window and may handle keys.  One file
 * each (view-*.c), one const ops table each. */
struct view;

struct view_ops {
    const char *name;
    /* Draw into win (the whole window, at its current size) and
     * wnoutrefresh it.  Runs on: the loop thread. */
    void (*draw)(struct view *v, WINDOW *win);
    /* React to in; REACT_* flags, or 0 to let others have it.  Never
     * draws. */
    int (*key)(struct view *v, const struct view_input *in);
    void (*free)(struct view *v);
};

/* The base every view embeds first.  Owned by the screen; its ops->free
 * frees it. */
struct view {
    const struct view_ops *ops;
    struct tui *tui;            /* borrowed */
    bool focused;
};

struct view *view_timeline_new(struct tui *t);
struct view *view_output_new(struct tui *t);
struct view *view_state_new(struct tui *t);
struct view *view_status_new(struct tui *t);
struct view *view_code_new(struct tui *t);

/* The code view's x: show the bytecode of the focused actor's line. */
void view_code_toggle_bytecode(struct view *v);
bool view_code_is_expanded(struct view *v);

/* The timeline's own settings, changed by actions. */
void view_timeline_zoom(struct view *v, int dir);
void view_timeline_toggle_axis(struct view *v);

/* ---- Helpers for every view (view.c) ------------------------------------ */

/* Draw len bytes of UTF-8 text at (y, x) in at most maxw columns, control
 * characters shown as '?', and (in ASCII mode) anything else non-ASCII
 * too.  Returns the columns used. */
int view_text(WINDOW *w, int y, int x, int maxw, const char *s, size_t len,
              attr_t attr, short pair);
/* The same for a NUL-terminated string. */
int view_str(WINDOW *w, int y, int x, int maxw, const char *s, attr_t attr,
             short pair);
/* s wrapped at spaces from (y, x) to the window's right edge, as many
 * lines as it takes and the window has.  Returns the next line. */
int view_wrapped(WINDOW *w, int y, int x, const char *s, attr_t attr,
                 short pair);
/* A line of rendered Markdown (doc.h) at (y, x) in at most maxw columns,
 * coloured by th.  Returns the columns used. */
struct doc;
struct doc_line;
int view_doc_line(WINDOW *w, int y, int x, int maxw,
                  const struct tty_theme *th, const struct doc *d,
                  const struct doc_line *line);
/* Columns that len bytes of UTF-8 take. */
int view_width(const char *s, size_t len);
/* A length of virtual time: "12.5 ms", "3 s", "0". */
void view_format_ns(char *buf, size_t size, int64_t ns, bool ascii);
/* An actor's state as a word ("running", "blocked"). */
const char *view_state_word(int state);
/* Manual scheduling names threads by digits 1-9, in timeline order: the
 * digit of actor (0: none), and the actor of a digit (-1: none). */
int view_pick_digit(struct model *m, int actor);
int view_pick_actor(struct model *m, int digit);

/* One line of the help overlay. */
struct action_help {
    const char *keys;           /* N_() */
    const char *what;           /* N_() */
};

/* The help overlay (view-help.c): title and lines in a box filling win,
 * which view_help_size sized for them. */
void view_help_draw(WINDOW *win, const struct tty_theme *th,
                    const char *title, const struct action_help *list,
                    size_t n);
void view_help_size(const struct action_help *list, size_t n, int *h,
                    int *w);

/* ---- Keys and actions (action.c) ---------------------------------------- */

/* Handle one key or mouse event of the scenario screen: the global
 * actions, the mouse, then the focused view.  REACT_* flags. */
int action_key(struct tui *t, const struct view_input *in);
/* The scenario screen's help overlay lines. */
size_t action_help(const struct action_help **list);
/* Playing speed number index, in steps per second (clamped to the
 * table). */
int action_speed(int index);

#endif
