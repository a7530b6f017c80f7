/*
 * A map from pointers to ints (open addressing, linear probing).  Keys are
 * only compared, never dereferenced.  Owned by its embedder; ptrmap_fini
 * frees it.
 */
#ifndef TELAR_PTRMAP_H
#define TELAR_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct ptrmap {
    const void **keys;          /* NULL: empty; PTRMAP_GONE: removed */
    int *vals;
    size_t cap;                 /* a power of two, or 0 */
    size_t used;                /* live plus removed slots */
    size_t n;                   /* live entries */
};

void ptrmap_init(struct ptrmap *m);
void ptrmap_fini(struct ptrmap *m);
void ptrmap_put(struct ptrmap *m, const void *key, int val);
/* The value for key, or def when absent. */
int ptrmap_get(const struct ptrmap *m, const void *key, int def);
bool ptrmap_del(struct ptrmap *m, const void *key);
/* dst (not initialised) becomes a copy of src. */
void ptrmap_copy(struct ptrmap *dst, const struct ptrmap *src);

#endif
