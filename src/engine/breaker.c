/*
 * CPython's eval breaker as a hook: the pending-call queue of the main
 * interpreter, written directly.  tracer.c's sparse frames need a call at
 * every eval-breaker check; Py_AddPendingCall gives one, but it takes a
 * lock whose every use reads the monotonic clock (3.11's
 * PyThread_acquire_lock_timed), which at one call per loop iteration costs
 * more than the iteration.  This file is the only one built against
 * CPython's internal headers (Include/internal, Py_BUILD_CORE): it knows
 * struct _pending_calls and the breaker flag.  Layer: engine.
 */
#define Py_BUILD_CORE 1
#include "config.h"

#include "engine/breaker.h"

#include <Python.h>
#include <internal/pycore_atomic.h>
#include <internal/pycore_interp.h>
#include <internal/pycore_pylifecycle.h>

#if PY_VERSION_HEX < 0x030b0000 || PY_VERSION_HEX >= 0x030c0000
#error "breaker.c writes CPython 3.11's pending-call queue"
#endif

struct breaker_queue *
breaker__queue(void)
{
    return (struct breaker_queue *)PyInterpreterState_Get();
}

bool
breaker__push(struct breaker_queue *q, int (*fn)(void *), void *arg)
{
    PyInterpreterState *interp = (PyInterpreterState *)q;
    struct _pending_calls *p = &interp->ceval.pending;
    int i = p->last, j = (i + 1) % NPENDINGCALLS;
    int k = (j + 1) % NPENDINGCALLS;

    if (j == p->first || k == p->first) {
        return false;           /* full */
    }
    p->calls[i].func = fn;
    p->calls[i].arg = arg;
    p->calls[j].func = NULL;
    p->calls[j].arg = NULL;
    p->last = k;
    /* SIGNAL_PENDING_CALLS for the main thread (ceval.c): it always may
     * handle them, so the breaker is set. */
    _Py_atomic_store_relaxed(&p->calls_to_do, 1);
    _Py_atomic_store_relaxed(&interp->ceval.eval_breaker, 1);
    return true;
}

void
breaker__unhandled_keyboard_interrupt(void)
{
    /* What run_eval_code_obj notes (Python/pythonrun.c): Py_RunMain then
     * ends the process with SIGINT. */
    _Py_UnhandledKeyboardInterrupt = 1;
}
