/*
 * Pair-of-numbers-to-int map (see keymap.h).  Removed slots stay as
 * tombstones until the table grows, as in ptrmap.c, so a lookup never
 * stops early on a hole another key's probe went past.
 */
#include "config.h"

#include "util/keymap.h"

#include <stdlib.h>

#include "util/util.h"

enum { SLOT_EMPTY = 0, SLOT_USED, SLOT_GONE };

static size_t
slot_of(const struct keymap *m, uint64_t k1, uint64_t k2)
{
    uint64_t h = k1 * 0x9e3779b97f4a7c15ULL ^ k2;

    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h & (m->cap - 1);
}

void
keymap_init(struct keymap *m)
{
    m->k1 = m->k2 = NULL;
    m->vals = NULL;
    m->state = NULL;
    m->cap = m->used = m->n = 0;
}

void
keymap_fini(struct keymap *m)
{
    free(m->k1);
    free(m->k2);
    free(m->vals);
    free(m->state);
    keymap_init(m);
}

static void
grow(struct keymap *m)
{
    struct keymap old = *m;

    /* Sized for the live entries only: a map whose keys come and go
     * (locations of short-lived objects) rebuilds at the same size
     * instead of growing with every tombstone. */
    m->cap = 64;
    while (old.n * 4 >= m->cap) {
        m->cap *= 2;
    }
    m->k1 = xcalloc(m->cap, sizeof *m->k1);
    m->k2 = xcalloc(m->cap, sizeof *m->k2);
    m->vals = xcalloc(m->cap, sizeof *m->vals);
    m->state = xcalloc(m->cap, 1);
    m->used = m->n = 0;
    for (size_t i = 0; i < old.cap; i++) {
        if (old.state[i] == SLOT_USED) {
            keymap_put(m, old.k1[i], old.k2[i], old.vals[i]);
        }
    }
    free(old.k1);
    free(old.k2);
    free(old.vals);
    free(old.state);
}

void
keymap_put(struct keymap *m, uint64_t k1, uint64_t k2, int val)
{
    size_t i;

    if ((m->used + 1) * 4 >= m->cap * 3) {
        grow(m);
    }
    for (i = slot_of(m, k1, k2); m->state[i] != SLOT_EMPTY;
         i = (i + 1) & (m->cap - 1)) {
        if (m->state[i] == SLOT_USED && m->k1[i] == k1 && m->k2[i] == k2) {
            m->vals[i] = val;
            return;
        }
    }
    m->k1[i] = k1;
    m->k2[i] = k2;
    m->vals[i] = val;
    m->state[i] = SLOT_USED;
    m->used++;
    m->n++;
}

/* The slot holding (k1, k2), or cap when absent. */
static size_t
find(const struct keymap *m, uint64_t k1, uint64_t k2)
{
    if (m->cap == 0) {
        return 0;
    }
    for (size_t i = slot_of(m, k1, k2); m->state[i] != SLOT_EMPTY;
         i = (i + 1) & (m->cap - 1)) {
        if (m->state[i] == SLOT_USED && m->k1[i] == k1 && m->k2[i] == k2) {
            return i;
        }
    }
    return m->cap;
}

int
keymap_get(const struct keymap *m, uint64_t k1, uint64_t k2, int def)
{
    size_t i = find(m, k1, k2);

    return i < m->cap ? m->vals[i] : def;
}

bool
keymap_del(struct keymap *m, uint64_t k1, uint64_t k2)
{
    size_t i = find(m, k1, k2);

    if (i >= m->cap) {
        return false;
    }
    m->state[i] = SLOT_GONE;
    m->n--;
    return true;
}
