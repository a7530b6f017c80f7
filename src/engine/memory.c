/*
 * The memory bound: CPython's raw allocator and its arena allocator are
 * wrapped so the engine knows how much the interpreter holds.  Past the
 * bound an allocation fails (CPython raises MemoryError) and the engine
 * stops the run at its next point with exit status 4, instead of letting a
 * runaway scenario take the machine down.  Runs on: any thread (the raw
 * domain is called without the GIL), hence the atomics.
 */
#include "config.h"

#include "engine/internal.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdlib.h>

struct memory {
    PyMemAllocatorEx raw;       /* the allocator we wrap */
    PyObjectArenaAllocator arena;
    _Atomic uint64_t used;
    uint64_t limit;
    atomic_bool exceeded;
};

static bool
charge(struct memory *m, size_t n)
{
    uint64_t used = atomic_fetch_add(&m->used, n) + n;

    if (m->limit != 0 && used > m->limit) {
        atomic_fetch_sub(&m->used, n);
        atomic_store(&m->exceeded, true);
        return false;
    }
    return true;
}

static void
uncharge(struct memory *m, size_t n)
{
    atomic_fetch_sub(&m->used, n);
}

static void *
raw_malloc(void *ctx, size_t n)
{
    struct memory *m = ctx;
    void *p;

    if (!charge(m, n)) {
        return NULL;
    }
    p = m->raw.malloc(m->raw.ctx, n);
    uncharge(m, n);
    if (p != NULL) {
        atomic_fetch_add(&m->used, malloc_usable_size(p));
    }
    return p;
}

static void *
raw_calloc(void *ctx, size_t nelem, size_t elsize)
{
    struct memory *m = ctx;
    size_t n = nelem * elsize;
    void *p;

    if (elsize != 0 && n / elsize != nelem) {
        return NULL;
    }
    if (!charge(m, n)) {
        return NULL;
    }
    p = m->raw.calloc(m->raw.ctx, nelem, elsize);
    uncharge(m, n);
    if (p != NULL) {
        atomic_fetch_add(&m->used, malloc_usable_size(p));
    }
    return p;
}

static void *
raw_realloc(void *ctx, void *old, size_t n)
{
    struct memory *m = ctx;
    size_t before = old != NULL ? malloc_usable_size(old) : 0;
    void *p;

    if (n > before && !charge(m, n - before)) {
        return NULL;
    }
    if (n > before) {
        uncharge(m, n - before);
    }
    p = m->raw.realloc(m->raw.ctx, old, n);
    if (p != NULL) {
        uncharge(m, before);
        atomic_fetch_add(&m->used, malloc_usable_size(p));
    }
    return p;
}

static void
raw_free(void *ctx, void *p)
{
    struct memory *m = ctx;

    if (p != NULL) {
        uncharge(m, malloc_usable_size(p));
    }
    m->raw.free(m->raw.ctx, p);
}

static void *
mem_arena_alloc(void *ctx, size_t n)
{
    struct memory *m = ctx;
    void *p;

    if (!charge(m, n)) {
        return NULL;
    }
    p = m->arena.alloc(m->arena.ctx, n);
    if (p == NULL) {
        uncharge(m, n);
    }
    return p;
}

static void
mem_arena_free(void *ctx, void *p, size_t n)
{
    struct memory *m = ctx;

    uncharge(m, n);
    m->arena.free(m->arena.ctx, p, n);
}

void
memory__install(struct engine *e, uint64_t limit)
{
    struct memory *m = xcalloc(1, sizeof *m);
    PyMemAllocatorEx raw = { m, raw_malloc, raw_calloc, raw_realloc,
                             raw_free };
    PyObjectArenaAllocator arena = { m, mem_arena_alloc, mem_arena_free };

    m->limit = limit;
    PyMem_GetAllocator(PYMEM_DOMAIN_RAW, &m->raw);
    PyObject_GetArenaAllocator(&m->arena);
    PyMem_SetAllocator(PYMEM_DOMAIN_RAW, &raw);
    PyObject_SetArenaAllocator(&arena);
    e->memory = m;
}

/* Give CPython its own allocators back and free the wrapper.  Only once
 * CPython has been finalized. */
void
memory__uninstall(struct engine *e)
{
    if (e->memory == NULL) {
        return;
    }
    PyMem_SetAllocator(PYMEM_DOMAIN_RAW, &e->memory->raw);
    PyObject_SetArenaAllocator(&e->memory->arena);
    free(e->memory);
    e->memory = NULL;
}

void
memory__swap_arena_below(struct engine *e, PyObjectArenaAllocator *old,
                         const PyObjectArenaAllocator *now)
{
    *old = e->memory->arena;
    e->memory->arena = *now;
}

bool
memory__exceeded(const struct engine *e)
{
    return e->memory != NULL && atomic_load(&e->memory->exceeded);
}

uint64_t
memory__used(const struct engine *e)
{
    return e->memory != NULL ? atomic_load(&e->memory->used) : 0;
}
