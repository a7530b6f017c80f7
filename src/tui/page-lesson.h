/*
 * The lesson page (tui layer): a lesson's text rendered from its Markdown
 * (doc.c), its scenarios listed below it; Enter runs the selected one in a
 * scenario page.  Runs and openings are recorded in the progress file.
 */
#ifndef TELAR_TUI_PAGE_LESSON_H
#define TELAR_TUI_PAGE_LESSON_H

#include "lesson/progress.h"
#include "tui/page.h"

/* A page for the lesson file at path, whose catalogue id is id (NULL for a
 * lesson outside the catalogue: nothing is recorded then).  progress is
 * borrowed and must outlive the page; opening is recorded at once.  NULL
 * with d when the lesson cannot be read or parsed. */
struct page *page_lesson_new(const char *path, const char *id,
                             struct progress *progress, struct diag *d);

#endif
