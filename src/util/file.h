/*
 * Files the user owns (util layer): where XDG puts telar's state and data,
 * making the directories above a path, and writing a file so that a crash
 * never leaves it half written (a temporary file beside it, renamed).
 */
#ifndef TELAR_FILE_H
#define TELAR_FILE_H

#include <stddef.h>

#include "util/util.h"

/* $var/telar/name when var is set to an absolute path (the XDG spec: a
 * relative one is ignored), else $HOME/home_rel/telar/name.  New string,
 * or NULL when neither is there. */
char *file_xdg_path(const char *var, const char *home_rel, const char *name);

/* mkdir -p for the directories above path (not path itself), private to
 * the user.  0, or -1 with d. */
int file_make_dirs(const char *path, struct diag *d);

/* Replace path with len bytes of data: written to a temporary file in the
 * same directory, synced, then renamed over path.  0, or -1 with d (path
 * untouched). */
int file_write_atomic(const char *path, const void *data, size_t len,
                      struct diag *d);

#endif
