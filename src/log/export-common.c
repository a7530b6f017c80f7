/*
 * Helpers the exporters share while folding a log; see export-common.h.
 */
#include "config.h"

#include "log/export-common.h"

#include <stdlib.h>
#include <string.h>

bool
export_is_queue_kind(int64_t kind)
{
    return kind == EV_OBJ_QUEUE || kind == EV_OBJ_SIMPLEQUEUE
           || kind == EV_OBJ_AQUEUE;
}

int
export_check_id(int id, const char *what, struct diag *d)
{
    if (id < 0 || id >= EXPORT_MAX_ID) {
        diag_set(d, _("event log: %s id %d out of range"), what, id);
        return -1;
    }
    return 0;
}

void *
export_grow(void *arr, int *n, int id, size_t size)
{
    if (id >= *n) {
        int m = id + 1;

        arr = xrealloc(arr, size * (size_t)m);
        memset((char *)arr + size * (size_t)*n, 0,
               size * (size_t)(m - *n));
        *n = m;
    }
    return arr;
}

void
export_extent(const struct ev *ev, uint64_t *steps, int64_t *max_time)
{
    if (ev->step > *steps) {
        *steps = ev->step;
    }
    if (ev->time > *max_time) {
        *max_time = ev->time;
    }
}

char *
export_dup_bytes(const char *s, size_t len)
{
    char *p = xmalloc(len + 1);

    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void
export_set_name(char **dst, const char *s, size_t len)
{
    free(*dst);
    *dst = export_dup_bytes(s, len);
}
