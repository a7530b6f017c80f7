/*
 * The scenario page (tui layer): a run's timeline, output and state, over
 * a recorded log or a child started through run.c.
 */
#ifndef TELAR_TUI_PAGE_SCENARIO_H
#define TELAR_TUI_PAGE_SCENARIO_H

#include <stdbool.h>

#include "tui/page.h"
#include "tui/run.h"

/* What the opener of a run wants to hear.  Borrowed: copied by value. */
struct page_scenario_hooks {
    /* The run is over; completed when it reached its own end (the log
     * says how it ended) rather than being killed or failing to start.
     * Runs on: the loop thread. */
    void (*ended)(void *arg, const struct run_spec *spec, bool completed);
    void *arg;
    bool lesson;                /* opened from a lesson: l goes back */
};

/* A page over the recorded log at path.  NULL with d when the log cannot
 * be read at all.  Needs no terminal yet (the windows come when it is
 * pushed). */
struct page *page_scenario_new_log(const char *path, struct diag *d);

/* A page that starts spec now (on l's libuv loop) and shows it when its
 * log can be read; when the child cannot start, the page says why.  hooks
 * may be NULL.  Push it onto l. */
struct page *page_scenario_new_run(struct loop *l, const struct run_spec *spec,
                                   const struct page_scenario_hooks *hooks);

#endif
