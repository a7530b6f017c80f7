/*
 * A learner's progress (lesson layer): which lessons were opened and which
 * scenarios ran to their end, kept in a small text file in the XDG state
 * directory ($XDG_STATE_HOME/telar/progress, by default
 * ~/.local/state/telar/progress).  The format is described in progress.c.
 * Saving writes a temporary file in the same directory and renames it, so
 * the file is always whole.  A damaged or unreadable file never stops
 * telar: see progress_load.
 */
#ifndef TELAR_PROGRESS_H
#define TELAR_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

struct lesson_scenario;

/* Owned by the caller of progress_new; progress_free. */
struct progress;

/* Empty progress kept in path (borrowed, copied), or in memory only when
 * path is NULL. */
struct progress *progress_new(const char *path);
void progress_free(struct progress *p);

/* The file's place: $XDG_STATE_HOME/telar/progress when XDG_STATE_HOME is
 * an absolute path, else $HOME/.local/state/telar/progress; NULL when
 * neither is set.  New string. */
char *progress_default_path(void);

/* Read the file.  0 when it was read or does not exist yet.  -1 with d
 * when it cannot be used; the progress is then empty, and:
 *  - a damaged file (not in the format) is moved aside to PATH.bad by the
 *    next successful save, which starts afresh;
 *  - an unreadable one, or one written by a newer telar, is never
 *    overwritten: nothing is saved this session. */
int progress_load(struct progress *p, struct diag *d);

/* Write the file (creating its directory).  0, or -1 with d. */
int progress_save(struct progress *p, struct diag *d);

/* Parse text as the file's contents (path for messages), replacing what p
 * holds.  0, or -1 with d ("path:line:col: expected ..."); p is then
 * empty. */
int progress_parse(struct progress *p, const char *path, const char *text,
                   size_t len, struct diag *d);
/* The file's contents for p: records sorted.  New string. */
char *progress_format(const struct progress *p);

/* Record that lesson id was opened / that the scenario with key ran to
 * its end.  true if it is news (the caller saves then); false if it was
 * known, or the names cannot be kept (a tab or a newline in them). */
bool progress_mark_opened(struct progress *p, const char *lesson);
bool progress_mark_done(struct progress *p, const char *lesson,
                        const char *key);
bool progress_is_opened(const struct progress *p, const char *lesson);
bool progress_is_done(const struct progress *p, const char *lesson,
                      const char *key);

/* What names a scenario in the file: "FILE<tab>POLICY<tab>SEED", the
 * file being "#id" for a runnable block.  New string. */
char *progress_scenario_key(const struct lesson_scenario *sc);

#endif
