/*
 * Walking every object the cyclic collector tracks, without touching
 * them: gc.get_objects() would build a list, and the reference it takes
 * to each object writes to it, which in a fork()ed run copies the page
 * the object sits on.  This walks CPython 3.11's generation lists
 * (Include/internal/pycore_gc.h) and only reads.  Layer: engine; zygote.c
 * uses it to decide whether a run can skip CPython's teardown.  The only
 * file of telar built against CPython's internal headers.
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

bool
engine__gc_any(bool (*fn)(PyObject *o, void *ctx), void *ctx)
{
    struct _gc_runtime_state *gc = &PyInterpreterState_Get()->gc;

    for (int i = 0; i <= NUM_GENERATIONS; i++) {
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
