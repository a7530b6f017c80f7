/*
 * A bump allocator over a MAP_SHARED region, with free lists per power-of-
 * two size class so that growing vectors (the recorded schedule) reuse
 * what they give back.  Its header lives at the start of the region, so
 * every process that shares the mapping sees the same state.  The region
 * is a memfd: a process that exec'd (multiprocessing's spawn) maps it
 * again, at the same address, from the descriptor it kept.
 */
#include "config.h"

#include "util/arena.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/util.h"

#ifdef TELAR_SANITIZERS
#include <sanitizer/lsan_interface.h>
#endif

#define ARENA_ALIGN 64
#define ARENA_CLASSES 48

struct arena_block {
    struct arena_block *next;
};

struct arena {
    struct allocator alloc;
    size_t reserve;
    size_t used;                /* from the start of the region */
    int fd;                     /* the memfd behind it, or -1 */
    void *root;                 /* what an attaching process looks up */
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
    struct arena *ar;
    int fd = memfd_create("telar-arena", MFD_CLOEXEC);

    if (fd >= 0) {
        fd = fd_move_high(fd);
    }

    /* Without memfd (an old kernel) the region is anonymous: it still
     * spans fork, but nothing can attach to it after an exec. */
    if (fd >= 0 && ftruncate(fd, (off_t)reserve) < 0) {
        close(fd);
        fd = -1;
    }
    ar = mmap(NULL, reserve, PROT_READ | PROT_WRITE,
              MAP_SHARED | MAP_NORESERVE | (fd < 0 ? MAP_ANONYMOUS : 0), fd,
              0);
    if (ar == MAP_FAILED) {
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    ar->fd = fd;
    ar->reserve = reserve;
    ar->used = (sizeof *ar + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    ar->alloc.calloc = arena_calloc_cb;
    ar->alloc.realloc = arena_realloc_cb;
    ar->alloc.free = arena_free_cb;
    ar->alloc.ctx = ar;
    return ar;
}

struct arena *
arena_attach(int fd, void *addr, size_t reserve)
{
    struct arena *ar;

    /* MAP_FIXED_NOREPLACE: never over something this process already
     * mapped there.  A kernel older than 4.17 takes the address as a mere
     * hint, hence the check. */
    ar = mmap(addr, reserve, PROT_READ | PROT_WRITE,
              MAP_SHARED | MAP_NORESERVE | MAP_FIXED_NOREPLACE, fd, 0);
    if (ar == MAP_FAILED) {
        return NULL;
    }
    if ((void *)ar != addr || ar->reserve != reserve || ar->fd != fd) {
        munmap(ar, reserve);
        errno = EEXIST;
        return NULL;
    }
    return ar;
}

void
arena_free(struct arena *ar)
{
    if (ar != NULL) {
        int fd = ar->fd;

        munmap(ar, ar->reserve);
        if (fd >= 0) {
            close(fd);
        }
    }
}

int
arena_fd(const struct arena *ar)
{
    return ar->fd;
}

size_t
arena_size(const struct arena *ar)
{
    return ar->reserve;
}

void
arena_set_root(struct arena *ar, void *root)
{
    ar->root = root;
}

void *
arena_root(const struct arena *ar)
{
    return ar->root;
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
    int fd;

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
    /* A memfd of its own, under the descriptor number the header names
     * (the zygote's is closed here, not there): an exec'd child attaches
     * to this copy, and arena_extents can ask it which pages it has.
     * MAP_FIXED replaces the old mapping in one step, at the same address,
     * so every pointer into the arena stays valid. */
    fd = ar->fd >= 0 ? memfd_create("telar-arena", MFD_CLOEXEC) : -1;
    if (fd >= 0 && (ftruncate(fd, (off_t)reserve) < 0
                    || dup3(fd, ar->fd, O_CLOEXEC) < 0)) {
        close(fd);
        fd = -1;
    }
    if (fd >= 0) {
        close(fd);
        fd = ar->fd;
    }
    p = mmap(base, reserve, PROT_READ | PROT_WRITE,
             MAP_SHARED | MAP_NORESERVE | MAP_FIXED
             | (fd < 0 ? MAP_ANONYMOUS : 0), fd, 0);
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

int
arena_extents(const struct arena *ar, size_t span,
              void (*fn)(size_t first, size_t n, void *ctx), void *ctx)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    off_t at = 0, end = (off_t)span;

    if (ar->fd < 0) {
        return -1;
    }
    while (at < end) {
        off_t data = lseek(ar->fd, at, SEEK_DATA), hole;

        if (data < 0) {
            return errno == ENXIO ? 0 : -1;
        }
        if (data >= end) {
            break;
        }
        hole = lseek(ar->fd, data, SEEK_HOLE);
        if (hole < 0) {
            return -1;
        }
        if (hole > end) {
            hole = end;
        }
        fn((size_t)data / page, (size_t)(hole - data + (off_t)page - 1)
                                / page, ctx);
        at = hole;
    }
    return 0;
}

void
arena_leak_root(const struct arena *ar)
{
#ifdef TELAR_SANITIZERS
    /* LeakSanitizer scans the heap, stacks and globals, not a shared
     * mapping: what only the arena points to (the scheduler's text) would
     * read as leaked when a run ends through exit() with the engine
     * alive (sys.exit). */
    __lsan_register_root_region(ar, ar->used);
#else
    (void)ar;
#endif
}
