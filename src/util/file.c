/*
 * Files the user owns (util layer): XDG paths, mkdir -p, atomic writes.
 * See file.h.
 */
#include "config.h"

#include "util/file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *
file_xdg_path(const char *var, const char *home_rel, const char *name)
{
    const char *dir = getenv(var);
    const char *home = getenv("HOME");

    if (dir != NULL && dir[0] == '/') {
        return xasprintf("%s/telar/%s", dir, name);
    }
    if (home != NULL && home[0] != '\0') {
        return xasprintf("%s/%s/telar/%s", home, home_rel, name);
    }
    return NULL;
}

int
file_make_dirs(const char *path, struct diag *d)
{
    char *dir = xstrdup(path);

    for (char *s = dir + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
            diag_set(d, "%s: %s", dir, strerror(errno));
            free(dir);
            return -1;
        }
        *s = '/';
    }
    free(dir);
    return 0;
}

int
file_write_atomic(const char *path, const void *data, size_t len,
                  struct diag *d)
{
    char *tmp = xasprintf("%s.XXXXXX", path);
    const char *p = data;
    size_t done = 0;
    int fd = mkstemp(tmp);
    bool ok;

    if (fd < 0) {
        diag_set(d, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            break;
        }
        done += (size_t)w;
    }
    ok = done == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) < 0) {
        diag_set(d, "%s: %s", path, strerror(errno != 0 ? errno : EIO));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
