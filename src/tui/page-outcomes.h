/*
 * The outcomes page (tui layer): every outcome a scenario can reach, from
 * "telar explore FILE --json" run as a child on the loop; Enter hands the
 * chosen outcome's schedule back to the page beneath, which replays it
 * step by step.
 */
#ifndef TELAR_TUI_PAGE_OUTCOMES_H
#define TELAR_TUI_PAGE_OUTCOMES_H

#include "tui/page.h"
#include "tui/run.h"

/* Called with the schedule string of the outcome the user chose and a
 * label for it ("outcome 2 of 3: prints 2"); both borrowed for the call.
 * Runs on: the loop thread, from the page's key handler, just before the
 * page closes. */
typedef void page_outcomes_chosen_fn(void *arg, const char *schedule,
                                     const char *label);

/* A page that explores spec's scenario (its file, folder and arguments)
 * now.  Push it onto l. */
struct page *page_outcomes_new(struct loop *l, const struct run_spec *spec,
                               page_outcomes_chosen_fn *chosen, void *arg);

#endif
