/*
 * A map from a pair of 64-bit numbers to an int (open addressing, linear
 * probing), for keys that are not one pointer: a location (object, name),
 * a channel (process, number).  Owned by its embedder; keymap_fini frees
 * it.  Deterministic: nothing iterates it.
 */
#ifndef TELAR_KEYMAP_H
#define TELAR_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct keymap {
    uint64_t *k1, *k2;
    int *vals;
    unsigned char *state;       /* 0 empty, 1 in use, 2 removed */
    size_t cap;                 /* a power of two, or 0 */
    size_t used;                /* live plus removed slots */
    size_t n;                   /* live entries */
};

void keymap_init(struct keymap *m);
void keymap_fini(struct keymap *m);
void keymap_put(struct keymap *m, uint64_t k1, uint64_t k2, int val);
/* The value for (k1, k2), or def when absent. */
int keymap_get(const struct keymap *m, uint64_t k1, uint64_t k2, int def);
bool keymap_del(struct keymap *m, uint64_t k1, uint64_t k2);

#endif
