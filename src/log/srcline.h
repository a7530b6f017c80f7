/*
 * Source lines for reports: the line of a scenario that a log position
 * names, and the file's path as the user would type it.  Shared by the
 * log readers that print positions (lint.c, diff.c) and cmd-diff.c.
 */
#ifndef TELAR_SRCLINE_H
#define TELAR_SRCLINE_H

/* Line n of file without its indentation and newline, or NULL when the
 * file or the line is not there.  Caller frees. */
char *srcline_read(const char *file, int n);
/* The path as the user would type it from here: relative when it lies
 * under cwd (which may be NULL).  Points into file. */
const char *srcline_path(const char *file, const char *cwd);

#endif
