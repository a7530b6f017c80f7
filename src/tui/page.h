/*
 * Pages (tui layer): what fills the whole screen at one time, the lesson
 * browser, a lesson, a scenario.  The loop (loop.c) keeps them in a stack:
 * the top one gets the keys, the mouse and the frame; q or Esc closes it
 * and shows the one beneath; closing the last ends telar.  A page is a
 * const struct page_ops plus its own state, with struct page first, in
 * the shape of struct view_ops.  The loop also owns what every page shares:
 * the help overlay (from the page's own key list) and the "too small"
 * screen, so a page lays out only sizes it can use.
 */
#ifndef TELAR_TUI_PAGE_H
#define TELAR_TUI_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui/internal.h"

/* Below this, every page gives way to the "too small" screen. */
#define PAGE_MIN_COLS 50
#define PAGE_MIN_LINES 12

struct page;
struct loop;

/* Every function runs on the loop thread; none of them calls doupdate. */
struct page_ops {
    const char *name;           /* N_(): the help overlay's title */
    /* Make the page's windows for the terminal's size (COLS x LINES, at
     * least the minimum).  Called when the page comes to the top and on
     * every resize. */
    void (*layout)(struct page *p);
    /* Draw every window (wnoutrefresh each).  The loop ends the frame. */
    void (*draw)(struct page *p);
    /* A key: REACT_* flags (REACT_BACK closes this page). */
    int (*key)(struct page *p, const struct view_input *in);
    /* A mouse event at in->y, in->x on the screen. */
    int (*mouse)(struct page *p, const struct view_input *in);
    /* The period, in ms, at which the page wants ticks now, or 0 for none
     * (asked after every REACT_PLAY and when the page comes to the top).
     * NULL: never. */
    int (*timer)(struct page *p);
    /* A tick: ms since the previous one (or since the timer started). */
    int (*tick)(struct page *p, uint64_t elapsed_ms);
    /* The keys of the help overlay; NULL: no help. */
    size_t (*help)(struct page *p, const struct action_help **list);
    /* Free the page and its windows; it is off the stack. */
    void (*free)(struct page *p);
};

/* The base every page embeds first.  Owned by the loop once pushed. */
struct page {
    const struct page_ops *ops;
    struct loop *loop;          /* set by loop_push */
    struct page *below;         /* the page under it, or NULL */
    const struct tty_theme *theme;      /* borrowed from the loop */
};

#endif
