/*
 * A bump allocator over a MAP_SHARED region, with free lists per power-of-
 * two size class so that growing vectors (the recorded schedule) reuse
 * what they give back.  Its header lives at the start of the region, so
 * every process that shares the mapping sees the same state.
 */
#include "config.h"

#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/util.h"

#define ARENA_ALIGN 64
#define ARENA_CLASSES 48

struct arena_block {
    struct arena_block *next;
};

struct arena {
    struct allocator alloc;
    size_t reserve;
    size_t used;                /* from the start of the region */
    struct arena_block *free[ARENA_CLASSES];
};

static void *
heap_calloc(void *ctx, size_t n, size_t size)
{
    (void)ctx;
    return xcalloc(n, size);
}

static void *
heap_realloc(void *ctx, void *p, size_t old_size, size_t size)
{
    (void)ctx;
    (void)old_size;
    return xrealloc(p, size);
}

static void
heap_free(void *ctx, void *p, size_t size)
{
    (void)ctx;
    (void)size;
    free(p);
}

const struct allocator allocator_heap = {
    heap_calloc, heap_realloc, heap_free, NULL
};

/* Size class: the smallest power of two >= size (and >= the alignment). */
static unsigned
size_class(size_t size, size_t *rounded)
{
    unsigned c = 6;             /* 64 bytes */

    while (((size_t)1 << c) < size) {
        c++;
    }
    *rounded = (size_t)1 << c;
    return c;
}

static void *
arena_take(struct arena *ar, size_t size)
{
    size_t rounded;
    unsigned c = size_class(size, &rounded);
    void *p;

    if (c < ARENA_CLASSES && ar->free[c] != NULL) {
        struct arena_block *b = ar->free[c];

        ar->free[c] = b->next;
        memset(b, 0, rounded);
        return b;
    }
    if (ar->used + rounded > ar->reserve) {
        fatal("shared arena exhausted (%zu of %zu bytes)", ar->used,
              ar->reserve);
    }
    p = (char *)ar + ar->used;
    ar->used += rounded;
    return p;                   /* fresh pages of the mapping are zero */
}

static void
arena_give(struct arena *ar, void *p, size_t size)
{
    size_t rounded;
    unsigned c = size_class(size, &rounded);

    if (p == NULL || c >= ARENA_CLASSES) {
        return;
    }
    ((struct arena_block *)p)->next = ar->free[c];
    ar->free[c] = p;
}

static void *
arena_calloc_cb(void *ctx, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        fatal("arena allocation overflow");
    }
    return arena_take(ctx, n * size != 0 ? n * size : 1);
}

static void *
arena_realloc_cb(void *ctx, void *p, size_t old_size, size_t size)
{
    void *q = arena_take(ctx, size ? size : 1);

    if (p != NULL) {
        memcpy(q, p, old_size < size ? old_size : size);
        arena_give(ctx, p, old_size);
    }
    return q;
}

static void
arena_free_cb(void *ctx, void *p, size_t size)
{
    arena_give(ctx, p, size);
}

struct arena *
arena_new(size_t reserve)
{
    struct arena *ar = mmap(NULL, reserve, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    if (ar == MAP_FAILED) {
        return NULL;
    }
    ar->reserve = reserve;
    ar->used = (sizeof *ar + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    ar->alloc.calloc = arena_calloc_cb;
    ar->alloc.realloc = arena_realloc_cb;
    ar->alloc.free = arena_free_cb;
    ar->alloc.ctx = ar;
    return ar;
}

void
arena_free(struct arena *ar)
{
    if (ar != NULL) {
        munmap(ar, ar->reserve);
    }
}

const struct allocator *
arena_allocator(struct arena *ar)
{
    return &ar->alloc;
}

size_t
arena_used(const struct arena *ar)
{
    return ar->used;
}

int
arena_unshare(struct arena *ar)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t reserve = ar->reserve;
    size_t span = (ar->used + page - 1) / page * page, npages = span / page;
    size_t nres = 0, k = 0;
    unsigned char *vec = xmalloc(npages > 0 ? npages : 1);
    char *copy, *base = (char *)ar;
    void *p;

    /* Only the pages ever touched are resident: copying those is copying
     * everything, and untouched ones would cost a fault each to read. */
    if (mincore(base, span, vec) < 0) {
        free(vec);
        return -1;
    }
    for (size_t i = 0; i < npages; i++) {
        nres += vec[i] & 1;
    }
    copy = xmalloc(nres > 0 ? nres * page : 1);
    for (size_t i = 0; i < npages; i++) {
        if (vec[i] & 1) {
            memcpy(copy + k++ * page, base + i * page, page);
        }
    }
    /* MAP_FIXED replaces the old mapping in one step, at the same address,
     * so every pointer into the arena stays valid. */
    p = mmap(base, reserve, PROT_READ | PROT_WRITE,
             MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    if (p == MAP_FAILED) {
        free(copy);
        free(vec);
        return -1;
    }
    k = 0;
    for (size_t i = 0; i < npages; i++) {
        if (vec[i] & 1) {
            memcpy(base + i * page, copy + k++ * page, page);
        }
    }
    free(copy);
    free(vec);
    return 0;
}
