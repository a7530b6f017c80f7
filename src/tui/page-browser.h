/*
 * The lesson browser (tui layer): the course's chapters and lessons in
 * order, with progress marks; Enter opens a lesson page.
 */
#ifndef TELAR_TUI_PAGE_BROWSER_H
#define TELAR_TUI_PAGE_BROWSER_H

#include "lesson/catalog.h"
#include "lesson/progress.h"
#include "tui/page.h"

/* The browser over cat, whose lessons are under dir.  cat, dir and
 * progress are borrowed and must outlive the page.  select: the id of the
 * lesson to select first, or NULL.  note: a message for the status line
 * (the progress file could not be read), or NULL. */
struct page *page_browser_new(const struct catalog *cat, const char *dir,
                              struct progress *progress, const char *select,
                              const char *note);

#endif
