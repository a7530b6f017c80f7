/*
 * Source lines for reports; see srcline.h.
 */
#include "config.h"

#include "log/srcline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "util/util.h"

char *
srcline_read(const char *file, int n)
{
    FILE *f;
    char *buf = NULL, *s = NULL;
    size_t cap = 0;
    ssize_t len;
    int i = 0;

    if (file == NULL || n <= 0 || (f = fopen(file, "r")) == NULL) {
        return NULL;
    }
    while ((len = getline(&buf, &cap, f)) >= 0) {
        if (++i == n) {
            char *p = buf;

            while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'
                               || buf[len - 1] == ' ')) {
                buf[--len] = '\0';
            }
            while (*p == ' ' || *p == '\t') {
                p++;
            }
            s = xstrdup(p);
            break;
        }
    }
    free(buf);
    fclose(f);
    return s;
}

const char *
srcline_path(const char *file, const char *cwd)
{
    size_t n = cwd != NULL ? strlen(cwd) : 0;

    if (n > 1 && strncmp(file, cwd, n) == 0 && file[n] == '/') {
        return file + n + 1;
    }
    return file;
}
