/*
 * Pointer-to-int map: the engine uses it to find the asyncio task a
 * coroutine belongs to.  Deterministic: nothing iterates it.
 */
#include "config.h"

#include "util/ptrmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static const char gone_marker;
#define PTRMAP_GONE ((const void *)&gone_marker)

static size_t
slot_of(const struct ptrmap *m, const void *key)
{
    uintptr_t h = (uintptr_t)key;

    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h & (m->cap - 1);
}

void
ptrmap_init(struct ptrmap *m)
{
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->used = m->n = 0;
}

void
ptrmap_fini(struct ptrmap *m)
{
    free(m->keys);
    free(m->vals);
    ptrmap_init(m);
}

static void
grow(struct ptrmap *m)
{
    struct ptrmap old = *m;

    m->cap = old.cap ? old.cap * 2 : 64;
    while (old.n * 2 >= m->cap) {
        m->cap *= 2;
    }
    m->keys = xcalloc(m->cap, sizeof *m->keys);
    m->vals = xcalloc(m->cap, sizeof *m->vals);
    m->used = m->n = 0;
    for (size_t i = 0; i < old.cap; i++) {
        if (old.keys[i] != NULL && old.keys[i] != PTRMAP_GONE) {
            ptrmap_put(m, old.keys[i], old.vals[i]);
        }
    }
    free(old.keys);
    free(old.vals);
}

void
ptrmap_put(struct ptrmap *m, const void *key, int val)
{
    size_t i;

    if ((m->used + 1) * 4 >= m->cap * 3) {
        grow(m);
    }
    for (i = slot_of(m, key); m->keys[i] != NULL; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) {
            m->vals[i] = val;
            return;
        }
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->used++;
    m->n++;
}

int
ptrmap_get(const struct ptrmap *m, const void *key, int def)
{
    if (m->cap == 0) {
        return def;
    }
    for (size_t i = slot_of(m, key); m->keys[i] != NULL;
         i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) {
            return m->vals[i];
        }
    }
    return def;
}

bool
ptrmap_del(struct ptrmap *m, const void *key)
{
    if (m->cap == 0) {
        return false;
    }
    for (size_t i = slot_of(m, key); m->keys[i] != NULL;
         i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) {
            m->keys[i] = PTRMAP_GONE;
            m->n--;
            return true;
        }
    }
    return false;
}

void
ptrmap_copy(struct ptrmap *dst, const struct ptrmap *src)
{
    ptrmap_init(dst);
    if (src->cap == 0) {
        return;
    }
    dst->keys = xmalloc(src->cap * sizeof *dst->keys);
    dst->vals = xmalloc(src->cap * sizeof *dst->vals);
    memcpy(dst->keys, src->keys, src->cap * sizeof *dst->keys);
    memcpy(dst->vals, src->vals, src->cap * sizeof *dst->vals);
    dst->cap = src->cap;
    dst->used = src->used;
    dst->n = src->n;
}
