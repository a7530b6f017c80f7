/*
 * Allocators.  struct allocator lets a layer (the scheduler, the event log
 * writer) take its memory from somewhere else than the C heap; arena.c
 * provides one over a region of memory shared across fork(): mapped once,
 * before the first fork, at the same address in every process, so pointers
 * into it are valid everywhere.  An arena is not thread-safe: the engine
 * only allocates from it while holding the baton.
 */
#ifndef TELAR_ARENA_H
#define TELAR_ARENA_H

#include <stddef.h>

struct allocator {
    void *(*calloc)(void *ctx, size_t n, size_t size);
    void *(*realloc)(void *ctx, void *p, size_t old_size, size_t size);
    void (*free)(void *ctx, void *p, size_t size);
    void *ctx;
};

/* The C heap (xcalloc and friends: never NULL). */
extern const struct allocator allocator_heap;

static inline void *
alloc_calloc(const struct allocator *a, size_t n, size_t size)
{
    return (a ? a : &allocator_heap)->calloc(a ? a->ctx : NULL, n, size);
}

static inline void *
alloc_realloc(const struct allocator *a, void *p, size_t old_size,
              size_t size)
{
    return (a ? a : &allocator_heap)->realloc(a ? a->ctx : NULL, p, old_size,
                                              size);
}

static inline void
alloc_free(const struct allocator *a, void *p, size_t size)
{
    (a ? a : &allocator_heap)->free(a ? a->ctx : NULL, p, size);
}

/* A shared arena reserving `reserve` bytes of address space (only touched
 * pages use memory).  NULL when mmap fails.  Owned by its creator;
 * arena_free unmaps it in the calling process. */
struct arena;

struct arena *arena_new(size_t reserve);
/* The arena of another process of the run, after an exec: fd is the
 * descriptor it was created with (arena_fd, kept open across the exec,
 * the same number), mapped at the address it has there (the arena's own
 * address) so that pointers into it stay valid.  NULL with errno set
 * when that range is taken here (EEXIST) or the mapping fails. */
struct arena *arena_attach(int fd, void *addr, size_t reserve);
/* Unmap ar here and close its descriptor. */
void arena_free(struct arena *ar);
/* Its descriptor (-1 when it has none: anonymous), and its size. */
int arena_fd(const struct arena *ar);
size_t arena_size(const struct arena *ar);
/* The one pointer an attaching process starts from. */
void arena_set_root(struct arena *ar, void *root);
void *arena_root(const struct arena *ar);
/* The allocator that takes from ar (freed memory is kept for reuse by
 * allocations of the same size class). */
const struct allocator *arena_allocator(struct arena *ar);
size_t arena_used(const struct arena *ar);
/* In a process forked after ar was made: replace this process's mapping
 * of ar by a new one, at the same address and with the same contents,
 * that it no longer shares with the process it was forked from (but will
 * share with its own children).  0, or -1 with errno set (the old mapping
 * is then still in place).  A zygote's child does this to run on its own
 * copy of the zygote's state. */
int arena_unshare(struct arena *ar);

/* Call fn on each run of pages [first, first + n) that the arena's memory
 * holds within its first span bytes (pages never written are holes).  0,
 * or -1 when it cannot tell (no memfd behind it). */
int arena_extents(const struct arena *ar, size_t span,
                  void (*fn)(size_t first, size_t n, void *ctx), void *ctx);

/* Built with sanitizers: LeakSanitizer scans the used part of the arena
 * for pointers to the heap from now on (a process about to exit() with
 * the arena in use).  Otherwise nothing. */
void arena_leak_root(const struct arena *ar);

#endif
