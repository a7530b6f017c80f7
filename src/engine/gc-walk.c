/*
 * Walking every object the cyclic collector tracks, without touching
 * them: gc.get_objects() would build a list, and the reference it takes
 * to each object writes to it, which in a fork()ed run copies the page
 * the object sits on.  This walks CPython 3.11's generation lists
 * (Include/internal/pycore_gc.h) and only reads.  Also the collector's
 * counts and statistics, which reuse.c saves and puts back between runs
 * of one process.  Layer: engine; zygote.c uses it to decide whether a
 * run can skip CPython's teardown, reuse.c whether a run may be followed
 * by another in its process.  Built against CPython's internal headers,
 * as breaker.c is.
 */
#define Py_BUILD_CORE 1

#include "config.h"

#include <Python.h>

#include "internal/pycore_gc.h"
#include "internal/pycore_interp.h"

#include "engine/internal.h"

#if PY_VERSION_HEX < 0x030b0000 || PY_VERSION_HEX >= 0x030c0000
#error "gc-walk.c reads CPython 3.11's collector state"
#endif

/* The object after its collector head (Modules/gcmodule.c, FROM_GC). */
static inline PyObject *
object_of(PyGC_Head *g)
{
    return (PyObject *)(g + 1);
}

/* fn on the objects of the generations 0 to last (NUM_GENERATIONS: the
 * permanent one too) until it returns true. */
static bool
gc_walk(int last, bool (*fn)(PyObject *o, void *ctx), void *ctx)
{
    struct _gc_runtime_state *gc = &PyInterpreterState_Get()->gc;

    for (int i = 0; i <= last; i++) {
        PyGC_Head *head = i < NUM_GENERATIONS
                          ? &gc->generations[i].head
                          : &gc->permanent_generation.head;

        for (PyGC_Head *g = _PyGCHead_NEXT(head); g != head;
             g = _PyGCHead_NEXT(g)) {
            if (fn(object_of(g), ctx)) {
                return true;
            }
        }
    }
    return false;
}

bool
engine__gc_any(bool (*fn)(PyObject *o, void *ctx), void *ctx)
{
    return gc_walk(NUM_GENERATIONS, fn, ctx);
}

bool
engine__gc_any_young(bool (*fn)(PyObject *o, void *ctx), void *ctx)
{
    return gc_walk(NUM_GENERATIONS - 1, fn, ctx);
}

void
engine__gc_save(struct engine_gc_state *s)
{
    struct _gc_runtime_state *gc = &PyInterpreterState_Get()->gc;

    for (int i = 0; i < ENGINE_GC_GENERATIONS; i++) {
        s->count[i] = gc->generations[i].count;
        s->threshold[i] = gc->generations[i].threshold;
    }
    s->enabled = gc->enabled;
    s->long_lived_total = gc->long_lived_total;
    s->long_lived_pending = gc->long_lived_pending;
}

void
engine__gc_restore(const struct engine_gc_state *s)
{
    struct _gc_runtime_state *gc = &PyInterpreterState_Get()->gc;

    for (int i = 0; i < ENGINE_GC_GENERATIONS; i++) {
        gc->generations[i].count = s->count[i];
    }
    gc->long_lived_total = s->long_lived_total;
    gc->long_lived_pending = s->long_lived_pending;
}

bool
engine__gc_settings_same(const struct engine_gc_state *s)
{
    struct _gc_runtime_state *gc = &PyInterpreterState_Get()->gc;

    for (int i = 0; i < ENGINE_GC_GENERATIONS; i++) {
        if (gc->generations[i].threshold != s->threshold[i]) {
            return false;
        }
    }
    return gc->enabled == s->enabled;
}

void
engine__interp_mark(struct engine_interp_mark *m)
{
    PyInterpreterState *interp = PyInterpreterState_Get();
    PyGC_Head *perm = &interp->gc.permanent_generation.head;

    m->perm_first = (uintptr_t)_PyGCHead_NEXT(perm);
    m->perm_last = (uintptr_t)_PyGCHead_PREV(perm);
    m->audit_hooks = interp->audit_hooks != NULL
                     && PyList_Check(interp->audit_hooks)
                     ? PyList_GET_SIZE(interp->audit_hooks) : 0;
}

Py_ssize_t
engine__gc_found(void)
{
    struct _gc_runtime_state *gc = &PyInterpreterState_Get()->gc;
    Py_ssize_t n = 0;

    for (int i = 0; i < NUM_GENERATIONS; i++) {
        n += gc->generation_stats[i].collected
             + gc->generation_stats[i].uncollectable;
    }
    return n;
}
