/*
 * _telar: the built-in module that replaces every point where CPython's
 * threading, queue, concurrent.futures, asyncio and time would block or
 * read the clock (the map is in shared/reference/cpython-runtime.md).  The
 * bootstrap (boot.py) installs these in _thread, _queue, time, os and
 * selectors before the scenario imports anything.  A blocked actor hands
 * the baton on (baton.c); nothing here ever blocks for real while holding
 * it.  The replacements are judged by identical behaviour to CPython's own:
 * same type names, same return values, same error messages.
 */
#include "config.h"

#include "engine/internal.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <structmember.h>
#include <string.h>
#include <unistd.h>

/* A fixed, documented epoch: time.time() at virtual time 0 is
 * 2026-01-01T00:00:00Z, and time.monotonic() starts at 10000 s. */
#define WALL_EPOCH_S 1767225600LL
#define MONO_EPOCH_S 10000LL
#define NS 1000000000LL
/* Reading a clock costs virtual time, as the real call does (~50 ns): a
 * loop that polls the clock with zero timeouts (concurrent.futures'
 * as_completed, multiprocessing's waits) then still reaches its deadline,
 * where a frozen clock would spin forever. */
#define CLOCK_READ_NS 50

struct telarmod_state {
    struct engine *e;                   /* borrowed: outlives the module */
    PyTypeObject *lock_type;            /* strong */
    PyTypeObject *rlock_type;           /* strong */
    PyTypeObject *sq_type;              /* strong */
    PyObject *empty_error;              /* strong: _queue.Empty */
    PyObject *real_excepthook;          /* strong */
    PyObject *trampoline;               /* strong */
};

static inline struct telarmod_state *
get_state(PyObject *module)
{
    return PyModule_GetState(module);
}

static inline struct telarmod_state *
type_state(PyObject *self)
{
    return PyType_GetModuleState(Py_TYPE(self));
}

/* Is the run's engine attached?  Outside a run (or once finalizing) the
 * replacements behave as if uncontended and time stands still. */
static inline struct engine *
engine_of(struct telarmod_state *st)
{
    /* A forked child runs CPython's at-fork hooks (threading re-creates
     * its main thread's locks) before its first turn: it must not touch
     * the shared scheduler or log then, the parent is running. */
    return st->e != NULL && st->e->forking ? NULL : st->e;
}

/* ---- Timeouts ----------------------------------------------------------- */

/* Seconds (int or float) to ns, rounding up as _PyTime_ROUND_TIMEOUT does.
 * -1 with an exception on error.  *ns = -1 means "no timeout" when allowed
 * by the caller. */
static int
seconds_to_ns(PyObject *obj, int64_t *ns)
{
    double d;

    if (PyFloat_Check(obj)) {
        d = PyFloat_AS_DOUBLE(obj);
        if (isnan(d)) {
            PyErr_SetString(PyExc_ValueError, "Invalid value NaN (not a number)");
            return -1;
        }
    } else {
        long long v = PyLong_AsLongLong(obj);

        if (v == -1 && PyErr_Occurred()) {
            if (PyErr_ExceptionMatches(PyExc_TypeError)) {
                PyErr_Format(PyExc_TypeError,
                             "'%s' object cannot be interpreted as an integer",
                             Py_TYPE(obj)->tp_name);
            } else if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
                PyErr_SetString(PyExc_OverflowError,
                                "timestamp too large to convert to C _PyTime_t");
            }
            return -1;
        }
        d = (double)v;
    }
    if (d * 1e9 >= 9.2e18 || d * 1e9 <= -9.2e18) {
        PyErr_SetString(PyExc_OverflowError,
                        "timestamp too large to convert to C _PyTime_t");
        return -1;
    }
    *ns = (int64_t)ceil(d * 1e9);
    return 0;
}

static int64_t
deadline_after(struct engine *e, int64_t ns)
{
    int64_t now;

    tracer__settle(e);          /* the work before the wait comes first */
    now = sched_now(e->sched);

    return ns >= SCHED_NEVER - now ? SCHED_NEVER : now + ns;
}

/* ---- Waitables: the part Lock, RLock share --------------------------- */

struct waitable {
    bool locked;
    int owner;                  /* actor, for deadlock reports */
    int obj;                    /* scheduler object, or -1 until waited on */
    int64_t chan;               /* --races: its channel, 0 until used */
    /* Every waitable alive in the process, so that one that ran a run
     * can put those born before it back as they were (reuse.c): their
     * index among the saved ones, or -1. */
    struct waitable *prev, *next;
    unsigned long *rowner;      /* an RLock's owner and count, or NULL */
    unsigned long *rcount;
    int saved;
};

static struct waitable *waitables;

/* What a waitable born before a run was when the run began. */
struct waitable_saved {
    struct waitable *w;         /* NULL once it died */
    bool locked;
    int owner, obj;
    int64_t chan;
    unsigned long rcount[2];
};

static struct waitable_saved *wsaved;
static size_t nwsaved;

static void
waitable_init(struct waitable *w, unsigned long *rowner,
              unsigned long *rcount)
{
    w->locked = false;
    w->owner = SCHED_NONE;
    w->obj = SCHED_NONE;
    w->chan = 0;
    w->rowner = rowner;
    w->rcount = rcount;
    w->saved = -1;
    w->prev = NULL;
    w->next = waitables;
    if (waitables != NULL) {
        waitables->prev = w;
    }
    waitables = w;
}

static void
waitable_fini(struct waitable *w)
{
    if (w->saved >= 0 && (size_t)w->saved < nwsaved
        && wsaved[w->saved].w == w) {
        wsaved[w->saved].w = NULL;
    }
    if (w->prev != NULL) {
        w->prev->next = w->next;
    } else if (waitables == w) {
        waitables = w->next;
    }
    if (w->next != NULL) {
        w->next->prev = w->prev;
    }
    w->prev = w->next = NULL;
}

void
telarmod_locks_save(void)
{
    size_t n = 0, i = 0;

    for (struct waitable *w = waitables; w != NULL; w = w->next) {
        n++;
    }
    free(wsaved);
    wsaved = xcalloc(n > 0 ? n : 1, sizeof *wsaved);
    nwsaved = n;
    for (struct waitable *w = waitables; w != NULL; w = w->next, i++) {
        struct waitable_saved *sv = &wsaved[i];

        w->saved = (int)i;
        sv->w = w;
        sv->locked = w->locked;
        sv->owner = w->owner;
        sv->obj = w->obj;
        sv->chan = w->chan;
        if (w->rcount != NULL) {
            sv->rcount[0] = *w->rowner;
            sv->rcount[1] = *w->rcount;
        }
    }
}

void
telarmod_locks_restore(void)
{
    /* A lock born in a run and still alive names a scheduler object of
     * that run: it gets one anew when it is first waited on. */
    for (struct waitable *w = waitables; w != NULL; w = w->next) {
        if (w->saved < 0) {
            w->obj = SCHED_NONE;
        }
    }
    for (size_t i = 0; i < nwsaved; i++) {
        struct waitable_saved *sv = &wsaved[i];
        struct waitable *w = sv->w;

        if (w == NULL) {
            continue;
        }
        w->locked = sv->locked;
        w->owner = sv->owner;
        w->obj = sv->obj;
        w->chan = sv->chan;
        if (w->rcount != NULL) {
            *w->rowner = sv->rcount[0];
            *w->rcount = sv->rcount[1];
        }
    }
}

/* --races: a lock a library makes for its own bookkeeping (threading's
 * list of threads, importlib's module locks) orders nothing the scenario
 * asked for: its channel is -1, never used.  A thread's end and the next
 * start both take threading's list lock, and would hide every race
 * between threads that never overlap. */
static void
waitable_born(struct engine *e, struct waitable *w)
{
    if (e != NULL && e->races && tracer__in_library_setup(e)) {
        w->chan = -1;
    }
}

/* --races: a release hands what its thread did to the next acquire of
 * the same lock, contended or not. */
static void
waitable_sync(struct engine *e, struct waitable *w, enum ev_sync kind)
{
    if (e->races_armed && w->chan >= 0) {
        if (w->chan == 0) {
            w->chan = access__chan_new(e);
        }
        access__sync(e, sched_current(e->sched), kind, w->chan);
    }
}

/* The lock's scheduler object, made at its first contention: labelled
 * with the scenario's name for it, and with its holder recorded as an
 * acquire (a view learns who holds it from the log alone). */
static int
waitable_obj(struct engine *e, struct waitable *w, enum ev_obj_kind kind,
             PyObject *self)
{
    if (w->obj < 0) {
        char label[96];
        struct ev ev = { .kind = EV_OBJ_OP, .a = EV_OP_ACQUIRE, .x = 1 };

        w->obj = sched_obj_new(e->sched, kind,
                               tracer__label(e, self, label, sizeof label),
                               0);
        sched_obj_set_holder(e->sched, w->obj, w->owner);
        if (w->owner >= 0) {
            ev.obj = w->obj;
            ev.actor = w->owner;
            evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
        }
    }
    return w->obj;
}

/* Take w, waiting for it when blocking.  timeout < 0: forever.
 * Returns 1 if taken, 0 if not. */
static int
waitable_acquire(struct engine *e, struct waitable *w, enum ev_obj_kind kind,
                 PyObject *pyobj, bool blocking, int64_t timeout)
{
    int self, obj;
    int64_t deadline;

    if (e == NULL) {
        if (w->locked) {
            return 0;
        }
        w->locked = true;
        return 1;
    }
    self = sched_current(e->sched);
    if (!w->locked) {
        goto take;
    }
    if (!blocking || timeout == 0) {
        return 0;
    }
    deadline = timeout < 0 ? SCHED_NEVER : deadline_after(e, timeout);
    obj = waitable_obj(e, w, kind, pyobj);
    for (;;) {
        bool woke = engine__block(e, obj, deadline);

        if (!w->locked) {
            goto take;
        }
        if (!woke || e->finishing) {
            sched_obj_op(e->sched, obj, EV_OP_TIMEOUT, 0);
            return 0;
        }
    }
take:
    w->locked = true;
    w->owner = self;
    waitable_sync(e, w, EV_SYNC_ACQUIRE);
    if (w->obj >= 0) {
        sched_obj_set_holder(e->sched, w->obj, self);
        sched_obj_op(e->sched, w->obj, EV_OP_ACQUIRE, 1);
    }
    return 1;
}

static void
waitable_release(struct engine *e, struct waitable *w)
{
    w->locked = false;
    w->owner = SCHED_NONE;
    if (e != NULL) {
        waitable_sync(e, w, EV_SYNC_RELEASE);
    }
    if (e != NULL && w->obj >= 0) {
        sched_obj_set_holder(e->sched, w->obj, SCHED_NONE);
        sched_obj_op(e->sched, w->obj, EV_OP_RELEASE, 0);
        sched_wake(e->sched, w->obj, 1);
    }
}

/* acquire(blocking=True, timeout=-1), parsed as _threadmodule.c does. */
static int
parse_acquire(PyObject *args, PyObject *kwds, int *blocking, int64_t *timeout)
{
    static char *kwlist[] = { "blocking", "timeout", NULL };
    PyObject *timeout_obj = NULL;

    *blocking = 1;
    *timeout = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|pO:acquire", kwlist,
                                     blocking, &timeout_obj)) {
        return -1;
    }
    if (timeout_obj != NULL) {
        double d;

        if (seconds_to_ns(timeout_obj, timeout) < 0) {
            return -1;
        }
        d = PyFloat_Check(timeout_obj) ? PyFloat_AS_DOUBLE(timeout_obj)
                                       : (double)*timeout / 1e9;
        if (d == -1.0) {
            *timeout = -1;
        } else if (!*blocking) {
            PyErr_SetString(PyExc_ValueError,
                            "can't specify a timeout for a non-blocking call");
            return -1;
        } else if (d < 0) {
            PyErr_SetString(PyExc_ValueError,
                            "timeout value must be positive");
            return -1;
        } else if (d > 9223372036.0) {
            PyErr_SetString(PyExc_OverflowError,
                            "timeout value is too large");
            return -1;
        }
    }
    return 0;
}

/* ---- _thread.lock --------------------------------------------------- */

struct lockobj {
    PyObject_HEAD
    struct waitable w;
    PyObject *weakreflist;
};

static void
lock_dealloc(struct lockobj *self)
{
    PyTypeObject *tp = Py_TYPE(self);

    waitable_fini(&self->w);
    if (self->weakreflist != NULL) {
        PyObject_ClearWeakRefs((PyObject *)self);
    }
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
lock_new_impl(PyTypeObject *tp)
{
    struct lockobj *self = (struct lockobj *)tp->tp_alloc(tp, 0);

    if (self == NULL) {
        return NULL;
    }
    waitable_init(&self->w, NULL, NULL);
    waitable_born(engine_of(type_state((PyObject *)self)), &self->w);
    self->weakreflist = NULL;
    return (PyObject *)self;
}

/* New reference. */
static PyObject *
lock_acquire(struct lockobj *self, PyObject *args, PyObject *kwds)
{
    struct telarmod_state *st = type_state((PyObject *)self);
    int blocking;
    int64_t timeout;

    if (parse_acquire(args, kwds, &blocking, &timeout) < 0) {
        return NULL;
    }
    return PyBool_FromLong(waitable_acquire(engine_of(st), &self->w,
                                            EV_OBJ_LOCK, (PyObject *)self,
                                            blocking, timeout));
}

static PyObject *
lock_enter(struct lockobj *self, PyObject *Py_UNUSED(ignored))
{
    struct telarmod_state *st = type_state((PyObject *)self);

    return PyBool_FromLong(waitable_acquire(engine_of(st), &self->w,
                                            EV_OBJ_LOCK, (PyObject *)self,
                                            true, -1));
}

static PyObject *
lock_release(struct lockobj *self, PyObject *Py_UNUSED(ignored))
{
    struct telarmod_state *st = type_state((PyObject *)self);

    if (!self->w.locked) {
        PyErr_SetString(PyExc_RuntimeError, "release unlocked lock");
        return NULL;
    }
    waitable_release(engine_of(st), &self->w);
    Py_RETURN_NONE;
}

static PyObject *
lock_exit(struct lockobj *self, PyObject *args)
{
    (void)args;
    return lock_release(self, NULL);
}

static PyObject *
lock_locked(struct lockobj *self, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(self->w.locked);
}

static PyObject *
lock_at_fork_reinit(struct lockobj *self, PyObject *Py_UNUSED(ignored))
{
    self->w.locked = false;
    self->w.owner = SCHED_NONE;
    Py_RETURN_NONE;
}

static PyObject *
lock_repr(struct lockobj *self)
{
    return PyUnicode_FromFormat("<%s %s object at %p>",
                                self->w.locked ? "locked" : "unlocked",
                                Py_TYPE(self)->tp_name, self);
}

PyDoc_STRVAR(lock_acquire_doc,
"acquire(blocking=True, timeout=-1) -> bool\n\
(acquire_lock() is an obsolete synonym)\n\
\n\
Lock the lock, waiting under telar's scheduler while another holds it.");

static PyMethodDef lock_methods[] = {
    {"acquire_lock", (PyCFunction)(void (*)(void))lock_acquire,
     METH_VARARGS | METH_KEYWORDS, lock_acquire_doc},
    {"acquire", (PyCFunction)(void (*)(void))lock_acquire,
     METH_VARARGS | METH_KEYWORDS, lock_acquire_doc},
    {"release_lock", (PyCFunction)lock_release, METH_NOARGS, NULL},
    {"release", (PyCFunction)lock_release, METH_NOARGS, NULL},
    {"locked_lock", (PyCFunction)lock_locked, METH_NOARGS, NULL},
    {"locked", (PyCFunction)lock_locked, METH_NOARGS, NULL},
    {"__enter__", (PyCFunction)lock_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)lock_exit, METH_VARARGS, NULL},
    {"_at_fork_reinit", (PyCFunction)lock_at_fork_reinit, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef lock_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(struct lockobj, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyType_Slot lock_slots[] = {
    {Py_tp_dealloc, (destructor)lock_dealloc},
    {Py_tp_repr, (reprfunc)lock_repr},
    {Py_tp_methods, lock_methods},
    {Py_tp_members, lock_members},
    {0, NULL}
};

static PyType_Spec lock_spec = {
    .name = "_thread.lock",
    .basicsize = sizeof(struct lockobj),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE
             | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = lock_slots,
};

/* ---- _thread.RLock -------------------------------------------------- */

struct rlockobj {
    PyObject_HEAD
    struct waitable w;
    unsigned long owner_ident;
    unsigned long count;
    PyObject *weakreflist;
};

static PyObject *
rlock_new(PyTypeObject *tp, PyObject *args, PyObject *kwds)
{
    struct rlockobj *self = (struct rlockobj *)tp->tp_alloc(tp, 0);

    (void)args;
    (void)kwds;
    if (self == NULL) {
        return NULL;
    }
    waitable_init(&self->w, &self->owner_ident, &self->count);
    waitable_born(engine_of(type_state((PyObject *)self)), &self->w);
    self->owner_ident = 0;
    self->count = 0;
    self->weakreflist = NULL;
    return (PyObject *)self;
}

static void
rlock_dealloc(struct rlockobj *self)
{
    PyTypeObject *tp = Py_TYPE(self);

    waitable_fini(&self->w);
    if (self->weakreflist != NULL) {
        PyObject_ClearWeakRefs((PyObject *)self);
    }
    tp->tp_free(self);
    Py_DECREF(tp);
}

static int
rlock_take(struct rlockobj *self, bool blocking, int64_t timeout)
{
    struct telarmod_state *st = type_state((PyObject *)self);
    unsigned long tid = PyThread_get_thread_ident();

    if (self->count > 0 && self->owner_ident == tid) {
        if (self->count == ULONG_MAX) {
            PyErr_SetString(PyExc_OverflowError,
                            "Internal lock count overflowed");
            return -1;
        }
        self->count++;
        return 1;
    }
    if (!waitable_acquire(engine_of(st), &self->w, EV_OBJ_RLOCK,
                          (PyObject *)self, blocking, timeout)) {
        return 0;
    }
    self->owner_ident = tid;
    self->count = 1;
    return 1;
}

static PyObject *
rlock_acquire(struct rlockobj *self, PyObject *args, PyObject *kwds)
{
    int blocking, r;
    int64_t timeout;

    if (parse_acquire(args, kwds, &blocking, &timeout) < 0) {
        return NULL;
    }
    r = rlock_take(self, blocking, timeout);
    return r < 0 ? NULL : PyBool_FromLong(r);
}

static PyObject *
rlock_enter(struct rlockobj *self, PyObject *Py_UNUSED(ignored))
{
    int r = rlock_take(self, true, -1);

    return r < 0 ? NULL : PyBool_FromLong(r);
}

static PyObject *
rlock_release(struct rlockobj *self, PyObject *Py_UNUSED(ignored))
{
    struct telarmod_state *st = type_state((PyObject *)self);

    if (self->count == 0
        || self->owner_ident != PyThread_get_thread_ident()) {
        PyErr_SetString(PyExc_RuntimeError,
                        "cannot release un-acquired lock");
        return NULL;
    }
    if (--self->count == 0) {
        self->owner_ident = 0;
        waitable_release(engine_of(st), &self->w);
    }
    Py_RETURN_NONE;
}

static PyObject *
rlock_exit(struct rlockobj *self, PyObject *args)
{
    (void)args;
    return rlock_release(self, NULL);
}

static PyObject *
rlock_acquire_restore(struct rlockobj *self, PyObject *args)
{
    struct telarmod_state *st = type_state((PyObject *)self);
    unsigned long owner, count;

    if (!PyArg_ParseTuple(args, "(kk):_acquire_restore", &count, &owner)) {
        return NULL;
    }
    waitable_acquire(engine_of(st), &self->w, EV_OBJ_RLOCK, (PyObject *)self,
                     true, -1);
    self->owner_ident = owner;
    self->count = count;
    Py_RETURN_NONE;
}

static PyObject *
rlock_release_save(struct rlockobj *self, PyObject *Py_UNUSED(ignored))
{
    struct telarmod_state *st = type_state((PyObject *)self);
    unsigned long owner, count;

    if (self->count == 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "cannot release un-acquired lock");
        return NULL;
    }
    owner = self->owner_ident;
    count = self->count;
    self->count = 0;
    self->owner_ident = 0;
    waitable_release(engine_of(st), &self->w);
    return Py_BuildValue("kk", count, owner);
}

static PyObject *
rlock_is_owned(struct rlockobj *self, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(self->count > 0
                           && self->owner_ident == PyThread_get_thread_ident());
}

static PyObject *
rlock_at_fork_reinit(struct rlockobj *self, PyObject *Py_UNUSED(ignored))
{
    self->w.locked = false;
    self->w.owner = SCHED_NONE;
    self->owner_ident = 0;
    self->count = 0;
    Py_RETURN_NONE;
}

static PyObject *
rlock_repr(struct rlockobj *self)
{
    return PyUnicode_FromFormat("<%s %s object owner=%lu count=%lu at %p>",
                                self->count ? "locked" : "unlocked",
                                Py_TYPE(self)->tp_name, self->owner_ident,
                                self->count, self);
}

static PyMethodDef rlock_methods[] = {
    {"acquire", (PyCFunction)(void (*)(void))rlock_acquire,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"release", (PyCFunction)rlock_release, METH_NOARGS, NULL},
    {"_is_owned", (PyCFunction)rlock_is_owned, METH_NOARGS, NULL},
    {"_acquire_restore", (PyCFunction)rlock_acquire_restore, METH_VARARGS,
     NULL},
    {"_release_save", (PyCFunction)rlock_release_save, METH_NOARGS, NULL},
    {"__enter__", (PyCFunction)rlock_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)rlock_exit, METH_VARARGS, NULL},
    {"_at_fork_reinit", (PyCFunction)rlock_at_fork_reinit, METH_NOARGS,
     NULL},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef rlock_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(struct rlockobj, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyType_Slot rlock_slots[] = {
    {Py_tp_dealloc, (destructor)rlock_dealloc},
    {Py_tp_repr, (reprfunc)rlock_repr},
    {Py_tp_methods, rlock_methods},
    {Py_tp_members, rlock_members},
    {Py_tp_new, rlock_new},
    {0, NULL}
};

static PyType_Spec rlock_spec = {
    .name = "_thread.RLock",
    .basicsize = sizeof(struct rlockobj),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = rlock_slots,
};

/* ---- _queue.SimpleQueue --------------------------------------------- */

struct sqobj {
    PyObject_HEAD
    PyObject *lst;              /* strong: items from index head on */
    Py_ssize_t head;
    int obj;
    /* --races: each item's channel (its put -> its get), beside lst. */
    int64_t *chans;
    Py_ssize_t chans_cap;
    PyObject *weakreflist;
};

static PyObject *
sq_new(PyTypeObject *tp, PyObject *args, PyObject *kwds)
{
    struct sqobj *self;

    if (!_PyArg_NoPositional("SimpleQueue", args)
        || !_PyArg_NoKeywords("SimpleQueue", kwds)) {
        return NULL;
    }
    self = (struct sqobj *)tp->tp_alloc(tp, 0);
    if (self == NULL) {
        return NULL;
    }
    self->lst = PyList_New(0);
    self->head = 0;
    self->obj = SCHED_NONE;
    self->chans = NULL;
    self->chans_cap = 0;
    self->weakreflist = NULL;
    if (self->lst == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int
sq_traverse(struct sqobj *self, visitproc visit, void *arg)
{
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->lst);
    return 0;
}

static int
sq_clear(struct sqobj *self)
{
    Py_CLEAR(self->lst);
    return 0;
}

static void
sq_dealloc(struct sqobj *self)
{
    PyTypeObject *tp = Py_TYPE(self);

    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL) {
        PyObject_ClearWeakRefs((PyObject *)self);
    }
    sq_clear(self);
    PyMem_Free(self->chans);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static Py_ssize_t
sq_size(struct sqobj *self)
{
    return PyList_GET_SIZE(self->lst) - self->head;
}

static int
sq_obj(struct engine *e, struct sqobj *self)
{
    if (self->obj < 0) {
        self->obj = sched_obj_new(e->sched, EV_OBJ_SIMPLEQUEUE, "", 0);
    }
    return self->obj;
}

static PyObject *
sq_put_impl(struct sqobj *self, PyObject *item)
{
    struct engine *e = engine_of(type_state((PyObject *)self));

    if (PyList_Append(self->lst, item) < 0) {
        return NULL;
    }
    if (e != NULL && e->races) {
        /* A channel per item: a get learns what the put of its own item
         * knew, not what other producers did. */
        Py_ssize_t n = PyList_GET_SIZE(self->lst);

        if (n > self->chans_cap) {
            Py_ssize_t cap = n < 16 ? 16 : n * 2;
            int64_t *c = PyMem_Realloc(self->chans,
                                       (size_t)cap * sizeof *c);

            if (c == NULL) {
                PyList_SetSlice(self->lst, n - 1, n, NULL);
                return PyErr_NoMemory();
            }
            self->chans = c;
            self->chans_cap = cap;
        }
        self->chans[n - 1] = e->races_armed ? access__chan_new(e) : 0;
        if (self->chans[n - 1] != 0) {
            access__sync(e, sched_current(e->sched), EV_SYNC_RELEASE,
                         self->chans[n - 1]);
        }
    }
    if (e != NULL && self->obj >= 0) {
        sched_obj_op(e->sched, self->obj, EV_OP_PUT, sq_size(self));
        sched_wake(e->sched, self->obj, 1);
    }
    Py_RETURN_NONE;
}

static PyObject *
sq_put(struct sqobj *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "item", "block", "timeout", NULL };
    PyObject *item, *block = NULL, *timeout = NULL;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|OO:put", kwlist, &item,
                                     &block, &timeout)) {
        return NULL;
    }
    return sq_put_impl(self, item);
}

static PyObject *
sq_put_nowait(struct sqobj *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "item", NULL };
    PyObject *item;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:put_nowait", kwlist,
                                     &item)) {
        return NULL;
    }
    return sq_put_impl(self, item);
}

/* Take the head item: new reference; *chan is its channel (0: none). */
static PyObject *
sq_pop(struct sqobj *self, int64_t *chan)
{
    PyObject *item = PyList_GET_ITEM(self->lst, self->head);

    *chan = self->chans != NULL ? self->chans[self->head] : 0;
    Py_INCREF(item);
    Py_INCREF(Py_None);
    PyList_SET_ITEM(self->lst, self->head, Py_None);
    Py_DECREF(item);            /* the list's reference, now None's */
    self->head++;
    if (self->head > 128 && self->head * 2 > PyList_GET_SIZE(self->lst)) {
        if (PyList_SetSlice(self->lst, 0, self->head, NULL) < 0) {
            PyErr_Clear();
        } else {
            if (self->chans != NULL) {
                memmove(self->chans, self->chans + self->head,
                        (size_t)PyList_GET_SIZE(self->lst)
                        * sizeof *self->chans);
            }
            self->head = 0;
        }
    }
    return item;
}

static PyObject *
sq_get_impl(struct sqobj *self, int block, PyObject *timeout_obj)
{
    struct telarmod_state *st = type_state((PyObject *)self);
    struct engine *e = engine_of(st);
    int64_t timeout = -1, deadline, chan;
    PyObject *item;

    if (block && timeout_obj != NULL && timeout_obj != Py_None) {
        if (seconds_to_ns(timeout_obj, &timeout) < 0) {
            return NULL;
        }
        if (timeout < 0) {
            PyErr_SetString(PyExc_ValueError,
                            "'timeout' must be a non-negative number");
            return NULL;
        }
    }
    if (sq_size(self) == 0 && block && e != NULL && timeout != 0) {
        int obj = sq_obj(e, self);

        deadline = timeout < 0 ? SCHED_NEVER : deadline_after(e, timeout);
        while (sq_size(self) == 0) {
            if (!engine__block(e, obj, deadline)) {
                break;
            }
        }
    }
    if (sq_size(self) == 0) {
        PyErr_SetNone(st->empty_error);
        return NULL;
    }
    item = sq_pop(self, &chan);
    if (e != NULL && chan != 0) {
        access__sync(e, sched_current(e->sched), EV_SYNC_ACQUIRE, chan);
    }
    if (e != NULL && self->obj >= 0) {
        sched_obj_op(e->sched, self->obj, EV_OP_GET, sq_size(self));
    }
    return item;
}

static PyObject *
sq_get(struct sqobj *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "block", "timeout", NULL };
    int block = 1;
    PyObject *timeout = Py_None;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|pO:get", kwlist, &block,
                                     &timeout)) {
        return NULL;
    }
    return sq_get_impl(self, block, timeout);
}

static PyObject *
sq_get_nowait(struct sqobj *self, PyObject *Py_UNUSED(ignored))
{
    return sq_get_impl(self, 0, NULL);
}

static PyObject *
sq_empty(struct sqobj *self, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(sq_size(self) == 0);
}

static PyObject *
sq_qsize(struct sqobj *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromSsize_t(sq_size(self));
}

static PyMethodDef sq_methods[] = {
    {"empty", (PyCFunction)sq_empty, METH_NOARGS, NULL},
    {"get", (PyCFunction)(void (*)(void))sq_get,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"get_nowait", (PyCFunction)sq_get_nowait, METH_NOARGS, NULL},
    {"put", (PyCFunction)(void (*)(void))sq_put,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"put_nowait", (PyCFunction)(void (*)(void))sq_put_nowait,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"qsize", (PyCFunction)sq_qsize, METH_NOARGS, NULL},
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef sq_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(struct sqobj, weakreflist),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyType_Slot sq_slots[] = {
    {Py_tp_dealloc, (destructor)sq_dealloc},
    {Py_tp_traverse, (traverseproc)sq_traverse},
    {Py_tp_clear, (inquiry)sq_clear},
    {Py_tp_methods, sq_methods},
    {Py_tp_members, sq_members},
    {Py_tp_new, sq_new},
    {0, NULL}
};

static PyType_Spec sq_spec = {
    .name = "_queue.SimpleQueue",
    .basicsize = sizeof(struct sqobj),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = sq_slots,
};

/* ---- Threads ----------------------------------------------------------- */

/* The name threading gave the Thread whose _bootstrap func is, or NULL;
 * that Thread into *thread (borrowed, only to be compared), or NULL. */
static char *
thread_name_of(PyObject *func, PyObject **thread)
{
    PyObject *self = PyObject_GetAttrString(func, "__self__");
    PyObject *name = NULL;
    char *r = NULL;

    *thread = self;
    if (self == NULL) {
        PyErr_Clear();
        return NULL;
    }
    name = PyObject_GetAttrString(self, "name");
    if (name != NULL && PyUnicode_Check(name)) {
        const char *s = PyUnicode_AsUTF8(name);

        r = s != NULL ? xstrdup(s) : NULL;
    }
    PyErr_Clear();
    Py_XDECREF(name);
    Py_DECREF(self);
    return r;
}

/* An attribute read as object.__getattribute__ reads it, so that a
 * scenario's __getattr__ never runs from here.  New reference or NULL
 * (no error set). */
static PyObject *
plain_attr(PyObject *o, const char *name)
{
    PyObject *key = PyUnicode_FromString(name);
    PyObject *v = key != NULL ? PyObject_GenericGetAttr(o, key) : NULL;

    Py_XDECREF(key);
    PyErr_Clear();
    return v;
}

/* The function a threading.Thread runs: its target, or the run() its
 * class defines if not threading's own.  New reference, or NULL. */
static PyObject *
thread_target(PyObject *thread)
{
    PyObject *target = plain_attr(thread, "_target");
    PyObject *run = NULL, *key;

    if (target != NULL && target != Py_None) {
        return target;
    }
    Py_XDECREF(target);
    key = PyUnicode_FromString("run");
    if (key != NULL) {
        run = _PyType_Lookup(Py_TYPE(thread), key);     /* borrowed */
        Py_DECREF(key);
    }
    PyErr_Clear();
    if (run != NULL && PyFunction_Check(run)) {
        PyCodeObject *co = (PyCodeObject *)PyFunction_GET_CODE(run);
        const char *q = PyUnicode_AsUTF8(co->co_qualname);
        const char *f = PyUnicode_AsUTF8(co->co_filename);
        size_t n = f != NULL ? strlen(f) : 0;

        PyErr_Clear();
        if (q != NULL && f != NULL
            && !(strcmp(q, "Thread.run") == 0 && n >= 13
                 && strcmp(f + n - 13, "/threading.py") == 0)) {
            return Py_NewRef(run);
        }
    }
    return NULL;
}

/* EV_THREAD: whether a new thread is a daemon, and what it runs. */
static void
log_thread(struct engine *e, int actor, PyObject *thread)
{
    struct ev ev = { .kind = EV_THREAD, .actor = actor, .obj = -1 };
    PyObject *daemon = plain_attr(thread, "_daemonic");
    PyObject *fn = thread_target(thread);
    struct str s;

    ev.a = daemon == Py_True;
    Py_XDECREF(daemon);
    /* Down to a function, through bound methods and functools.partial. */
    for (int depth = 0; fn != NULL && depth < 4 && !PyFunction_Check(fn);
         depth++) {
        PyObject *inner = NULL;

        if (PyMethod_Check(fn)) {
            inner = Py_NewRef(PyMethod_GET_FUNCTION(fn));
        } else if (strcmp(Py_TYPE(fn)->tp_name, "functools.partial") == 0) {
            inner = plain_attr(fn, "func");
        }
        Py_DECREF(fn);
        fn = inner;
    }
    str_init(&s);
    if (fn != NULL && PyFunction_Check(fn)) {
        PyCodeObject *co = (PyCodeObject *)PyFunction_GET_CODE(fn);
        const char *file = PyUnicode_AsUTF8(co->co_filename);
        const char *qual = PyUnicode_AsUTF8(co->co_qualname);

        if (file != NULL && qual != NULL) {
            str_adds(&s, file);
            str_addc(&s, '\0');
            str_adds(&s, qual);
            ev.b = co->co_firstlineno;
        }
        PyErr_Clear();
    }
    Py_XDECREF(fn);
    ev.str = s.p;
    ev.len = s.len;
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    str_fini(&s);
}

/* _telar._trampoline(actor): the body of every new thread.  Runs on: the
 * new pthread, which holds the GIL on entry (CPython's t_bootstrap). */
static PyObject *
telarmod_trampoline(PyObject *module, PyObject *arg)
{
    struct telarmod_state *st = get_state(module);
    struct engine *e = st->e;
    int actor = (int)PyLong_AsLong(arg);
    struct engine_thread *t = engine__thread(e, actor);
    PyObject *res, *func, *args, *kwargs;
    bool failed = false;
    int next;

    t->tstate = PyThreadState_Get();
    tracer__install(e, t);
    engine__park_new(e, t);
    /* The baton is ours: run the thread's function as t_bootstrap would. */
    func = t->boot_func;
    args = t->boot_args;
    kwargs = t->boot_kwargs;
    res = PyObject_Call(func, args, kwargs);
    if (res == NULL) {
        if (PyErr_ExceptionMatches(PyExc_SystemExit)) {
            PyErr_Clear();
        } else {
            failed = true;
            _PyErr_WriteUnraisableMsg("in thread started by", func);
        }
    }
    Py_XDECREF(res);
    Py_CLEAR(t->boot_func);
    Py_CLEAR(t->boot_args);
    Py_CLEAR(t->boot_kwargs);
    /* CPython releases the sentinel when the thread state is deleted;
     * join() waits on it. */
    if (t->sentinel != NULL) {
        struct lockobj *l = (struct lockobj *)t->sentinel;

        if (l->w.locked) {
            waitable_release(e, &l->w);
        }
        t->end_chan = l->w.chan;
        Py_CLEAR(t->sentinel);
    }
    if (t->failed) {
        failed = true;
    }
    PyEval_SetTrace(NULL, NULL);
    t->finished = true;
    engine__gil_drop(e, actor);
    sched_finish(e->sched, failed);
    tracer__update_mode(e);
    next = sched_next(e->sched, EV_WHY_EXIT);
    if (next < 0) {
        engine__stop(e, next);
    }
    engine__gil_take(e, next);
    engine__handoff(e, actor, next);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(start_new_thread_doc,
"start_new_thread(function, args[, kwargs])\n\
\n\
Start a new thread under telar's scheduler and return its identifier.");

static PyObject *
telarmod_start_new_thread(PyObject *module, PyObject *fargs)
{
    struct telarmod_state *st = get_state(module);
    struct engine *e = st->e;
    PyObject *func, *args, *kwargs = NULL, *ident = NULL, *targs = NULL;
    PyObject *thread_obj;
    struct engine_thread *t;
    char *name;
    char buf[32];
    int actor;

    if (!PyArg_UnpackTuple(fargs, "start_new_thread", 2, 3, &func, &args,
                           &kwargs)) {
        return NULL;
    }
    if (!PyCallable_Check(func)) {
        PyErr_SetString(PyExc_TypeError, "first arg must be callable");
        return NULL;
    }
    if (!PyTuple_Check(args)) {
        PyErr_SetString(PyExc_TypeError, "2nd arg must be a tuple");
        return NULL;
    }
    if (kwargs != NULL && !PyDict_Check(kwargs)) {
        PyErr_SetString(PyExc_TypeError,
                        "optional 3rd arg must be a dictionary");
        return NULL;
    }
    name = thread_name_of(func, &thread_obj);
    if (name == NULL) {
        snprintf(buf, sizeof buf, "thread-%zu", sched_nactors(e->sched));
    }
    actor = sched_actor_new(e->sched, EV_ACTOR_THREAD,
                            sched_current(e->sched), e->proc,
                            name != NULL ? name : buf, true);
    free(name);
    if (actor < 0 || (size_t)actor >= e->nthreads_cap) {
        PyErr_SetString(PyExc_RuntimeError,
                        "can't start new thread: telar's actor table is full");
        return NULL;
    }
    engine__actor_cv_init(e->sh, actor);
    t = &e->threads[actor];
    memset(t, 0, sizeof *t);
    t->used = true;
    t->actor = actor;
    t->selector_obj = SCHED_NONE;
    t->cur_task = SCHED_NONE;
    t->thread_obj = thread_obj;
    if (thread_obj != NULL) {
        log_thread(e, actor, thread_obj);
    }
    if (e->races) {
        /* From now on threads can race: log accesses and the facts that
         * order them, beginning with this start. */
        e->races_armed = true;
        access__sync(e, sched_current(e->sched), EV_SYNC_START, actor);
    }
    Py_INCREF(func);
    Py_INCREF(args);
    Py_XINCREF(kwargs);
    t->boot_func = func;
    t->boot_args = args;
    t->boot_kwargs = kwargs;
    targs = Py_BuildValue("(O(i))", st->trampoline, actor);
    if (targs == NULL) {
        goto error;
    }
    ident = PyObject_Call(e->real_start_new_thread, targs, NULL);
    Py_DECREF(targs);
    if (ident == NULL) {
        goto error;
    }
    /* Wait, with the GIL released, until the new thread parks: a baton
     * handed to a thread that has not started yet would be lost. */
    Py_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&e->sh->mu);
    while (!e->sh->parked[actor]) {
        pthread_cond_wait(&e->sh->park_cv, &e->sh->mu);
    }
    pthread_mutex_unlock(&e->sh->mu);
    Py_END_ALLOW_THREADS
    tracer__update_mode(e);
    return ident;
error:
    Py_CLEAR(t->boot_func);
    Py_CLEAR(t->boot_args);
    Py_CLEAR(t->boot_kwargs);
    t->finished = true;
    return NULL;
}

static PyObject *
telarmod_allocate_lock(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return lock_new_impl(get_state(module)->lock_type);
}

/* _thread._set_sentinel(): a lock the current thread holds until it ends. */
static PyObject *
telarmod_set_sentinel(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    struct telarmod_state *st = get_state(module);
    struct engine *e = st->e;
    PyObject *lock = lock_new_impl(st->lock_type);
    struct engine_thread *t;

    if (lock == NULL) {
        return NULL;
    }
    if (e->forking) {
        return lock;            /* a child's at-fork hook: not yet its turn */
    }
    t = engine__thread(e, sched_current(e->sched));
    /* join() waits on this lock: name it after the thread, so a wait on it
     * reads as a wait for the thread to end. */
    ((struct lockobj *)lock)->w.obj =
        sched_obj_new(e->sched, EV_OBJ_THREAD,
                      sched_actor(e->sched, t->actor)->name, 0);
    Py_INCREF(lock);
    Py_XSETREF(t->sentinel, lock);
    return lock;
}

/* threading.excepthook: note the failure, then CPython's own hook. */
static PyObject *
telarmod_excepthook(PyObject *module, PyObject *args)
{
    struct telarmod_state *st = get_state(module);
    struct engine *e = st->e;
    int actor = sched_current(e->sched);
    PyObject *exc_type = PyObject_GetAttrString(args, "exc_type");
    PyObject *exc_value = PyObject_GetAttrString(args, "exc_value");

    if (exc_type != NULL && exc_type != PyExc_SystemExit) {
        PyObject *s = exc_value ? PyObject_Str(exc_value) : NULL;
        const char *tn = ((PyTypeObject *)exc_type)->tp_name;
        const char *msg = s ? PyUnicode_AsUTF8(s) : NULL;
        char *text = xasprintf("%s: %s", tn, msg ? msg : "");

        engine__thread(e, actor)->failed = true;
        evlog_str(e->log, sched_step(e->sched), sched_now(e->sched),
                  EV_EXCEPTION, actor, text, strlen(text));
        free(text);
        Py_XDECREF(s);
    }
    PyErr_Clear();
    Py_XDECREF(exc_type);
    Py_XDECREF(exc_value);
    return PyObject_CallOneArg(st->real_excepthook, args);
}

/* ---- Time ------------------------------------------------------------- */

static PyObject *
telarmod_sleep(PyObject *module, PyObject *secs)
{
    struct telarmod_state *st = get_state(module);
    struct engine *e = st->e;
    int64_t ns;

    if (!PyFloat_Check(secs) && !PyLong_Check(secs)) {
        /* Let CPython's sleep raise its own TypeError for the argument. */
        return PyObject_CallOneArg(e->real_sleep, secs);
    }
    if (seconds_to_ns(secs, &ns) < 0) {
        return NULL;
    }
    if (ns < 0) {
        PyErr_SetString(PyExc_ValueError, "sleep length must be non-negative");
        return NULL;
    }
    if (e->finishing) {
        sched_charge(e->sched, ns);
        Py_RETURN_NONE;
    }
    if (ns == 0) {
        int self = sched_current(e->sched);

        sched_relinquish(e->sched);
        engine__switch(e, self, EV_WHY_YIELD);
        if (PyErr_CheckSignals() < 0) {
            return NULL;
        }
    } else {
        int64_t deadline = deadline_after(e, ns);

        /* Woken early by a signal: run its handler and, if it returns,
         * sleep the rest (PEP 475), as CPython's time.sleep does. */
        while (engine__block(e, SCHED_NONE, deadline)) {
            if (PyErr_CheckSignals() < 0) {
                return NULL;
            }
            if (sched_now(e->sched) >= deadline || e->finishing) {
                break;
            }
        }
        if (PyErr_CheckSignals() < 0) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

/* The virtual time, charging the cost of the read. */
static int64_t
clock_read(struct engine *e)
{
    int64_t now;

    tracer__settle(e);          /* the clock sees the work before it */
    now = sched_now(e->sched);
    if (!e->forking) {
        sched_charge(e->sched, CLOCK_READ_NS);
    }
    return now;
}

static PyObject *
telarmod_monotonic(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    int64_t now = clock_read(get_state(module)->e);

    return PyFloat_FromDouble((double)MONO_EPOCH_S + (double)now / 1e9);
}

static PyObject *
telarmod_monotonic_ns(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    int64_t now = clock_read(get_state(module)->e);

    return PyLong_FromLongLong(MONO_EPOCH_S * NS + now);
}

static PyObject *
telarmod_time(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    int64_t now = clock_read(get_state(module)->e);

    return PyFloat_FromDouble((double)WALL_EPOCH_S + (double)now / 1e9);
}

static PyObject *
telarmod_time_ns(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    int64_t now = clock_read(get_state(module)->e);

    return PyLong_FromLongLong(WALL_EPOCH_S * NS + now);
}

PyDoc_STRVAR(cpu_doc,
"cpu(seconds)\n\
\n\
Declare CPU-bound work: the calling thread computes for that long in\n\
virtual time, holding its GIL, and may be preempted as CPython would.");

static PyObject *
telarmod_cpu(PyObject *module, PyObject *secs)
{
    struct engine *e = get_state(module)->e;
    int64_t ns;

    if (seconds_to_ns(secs, &ns) < 0) {
        return NULL;
    }
    if (ns < 0) {
        PyErr_SetString(PyExc_ValueError, "cpu time must be non-negative");
        return NULL;
    }
    engine__cpu(e, ns);
    Py_RETURN_NONE;
}

/* ---- Output, randomness, exit ------------------------------------------ */

/* _telar.output(fd, text): record what the current actor wrote. */
static PyObject *
telarmod_output(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    struct engine *e = get_state(module)->e;
    struct ev ev = { .kind = EV_OUTPUT, .obj = -1 };
    Py_ssize_t len;
    const char *s;

    if (nargs != 2 || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "output(fd, str)");
        return NULL;
    }
    s = PyUnicode_AsUTF8AndSize(args[1], &len);
    if (s == NULL) {
        /* Lone surrogates: record a replacement, never fail the write. */
        PyErr_Clear();
        s = "\xef\xbf\xbd";
        len = 3;
    }
    if (e->forking) {
        Py_RETURN_NONE;         /* a child's at-fork hook printed */
    }
    ev.actor = sched_current(e->sched);
    if (engine__thread(e, ev.actor)->cur_task >= 0) {
        ev.actor = engine__thread(e, ev.actor)->cur_task;
    }
    ev.a = PyLong_AsLong(args[0]);
    ev.str = s;
    ev.len = (size_t)len;
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    Py_RETURN_NONE;
}

/* os.urandom(n) from the run's seed: one seed, one run. */
static PyObject *
telarmod_urandom(PyObject *module, PyObject *arg)
{
    struct engine *e = get_state(module)->e;
    Py_ssize_t n = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
    PyObject *b;
    unsigned char *p;

    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "negative argument not allowed");
        return NULL;
    }
    b = PyBytes_FromStringAndSize(NULL, n);
    if (b == NULL) {
        return NULL;
    }
    p = (unsigned char *)PyBytes_AS_STRING(b);
    for (Py_ssize_t i = 0; i < n; i += 8) {
        uint64_t r = rng_next(&e->urandom_state);

        for (Py_ssize_t j = 0; j < 8 && i + j < n; j++) {
            p[i + j] = (unsigned char)(r >> (8 * j));
        }
    }
    return b;
}

/* os._exit(n): end the run now, as CPython would (no flush of Python's
 * buffers), after the log and the reports are written. */
static PyObject *
telarmod_exit(PyObject *module, PyObject *arg)
{
    struct engine *e = get_state(module)->e;
    int status = _PyLong_AsInt(arg);

    if (status == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (e->proc != 0) {
        engine__proc_exit(e, status);
    }
    sched_finish(e->sched, false);
    engine__reap_all(e);
    engine__end(e, status, EV_END_EXIT, "os._exit");
    fflush(NULL);
    engine__reap_helpers(e);
    _exit(status);
}

/* Called by atexit, last: threading._shutdown has joined every thread. */
static PyObject *
telarmod_finishing(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    struct engine *e = get_state(module)->e;

    e->finishing = true;
    if (e->explore) {
        engine__fast_exit(e);   /* returns unless it can skip the rest */
    }
    Py_RETURN_NONE;
}

/* ---- Processes (process.c does the work) ---------------------------------- */

/* os.cpu_count(): the run's virtual cores. */
static PyObject *
telarmod_cpu_count(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(get_state(module)->e->sched_cfg.cores);
}

static PyObject *
telarmod_fork(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return engine__fork(get_state(module)->e);
}

/* spawn(joins, args, pass_fds): fork_exec of sys.executable for
 * multiprocessing (exec.c). */
static PyObject *
telarmod_spawn(PyObject *module, PyObject *args)
{
    PyObject *pyargs, *passfds;
    int joins;

    if (!PyArg_ParseTuple(args, "pOO:spawn", &joins, &pyargs, &passfds)) {
        return NULL;
    }
    return engine__spawn(get_state(module)->e, joins, pyargs, passfds);
}

static PyObject *
telarmod_after_fork_child(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    engine__after_fork_child(get_state(module)->e);
    Py_RETURN_NONE;
}

static PyObject *
telarmod_waitpid(PyObject *module, PyObject *args)
{
    int pid, options;

    if (!PyArg_ParseTuple(args, "ii:waitpid", &pid, &options)) {
        return NULL;
    }
    return engine__waitpid(get_state(module)->e, (pid_t)pid, options);
}

static PyObject *
telarmod_kill(PyObject *module, PyObject *args)
{
    int pid, sig;

    if (!PyArg_ParseTuple(args, "ii:kill", &pid, &sig)) {
        return NULL;
    }
    return engine__kill(get_state(module)->e, (pid_t)pid, sig);
}

static PyObject *
telarmod_read(PyObject *module, PyObject *args)
{
    int fd;
    Py_ssize_t n;

    if (!PyArg_ParseTuple(args, "in:read", &fd, &n)) {
        return NULL;
    }
    return engine__read(get_state(module)->e, fd, n);
}

/* wait_readable(fd): wait in virtual time until fd can be read (a
 * listening socket: until a connection waits to be accepted). */
static PyObject *
telarmod_wait_readable(PyObject *module, PyObject *arg)
{
    int fd = _PyLong_AsInt(arg);

    if (fd == -1 && PyErr_Occurred()) {
        return NULL;
    }
    engine__wait_fd(get_state(module)->e, fd, POLLIN);
    Py_RETURN_NONE;
}

static PyObject *
telarmod_close(PyObject *module, PyObject *arg)
{
    int fd = _PyLong_AsInt(arg);

    if (fd == -1 && PyErr_Occurred()) {
        return NULL;
    }
    return engine__close(get_state(module)->e, fd);
}

static PyObject *
telarmod_write(PyObject *module, PyObject *args)
{
    Py_buffer data;
    PyObject *r;
    int fd;

    if (!PyArg_ParseTuple(args, "iy*:write", &fd, &data)) {
        return NULL;
    }
    r = engine__write(get_state(module)->e, fd, &data);
    PyBuffer_Release(&data);
    return r;
}

/* ---- Selector waits ----------------------------------------------------- */

static int
poll_now(struct engine_thread *t)
{
    int n;

    do {
        n = poll(t->fds, (nfds_t)t->nfds, 0);
    } while (n < 0 && errno == EINTR);
    return n;
}

bool
telarmod_poll(void *ctx, int actor)
{
    struct engine *e = ctx;
    struct actor *a = sched_actor(e->sched, actor);
    struct sched_obj *o = a->obj >= 0 ? sched_obj(e->sched, a->obj) : NULL;
    struct engine_thread *t;

    if (o != NULL && o->kind == EV_OBJ_PROCESS) {
        return engine__proc_poll(e, a->obj);
    }
    if (a->proc != e->proc) {
        /* A descriptor of another process cannot be polled from here: it
         * checks again in its own process when something was written,
         * closed or ended since it began to wait. */
        return e->sh->poll_gen[actor] != e->sh->fd_gen;
    }
    t = engine__thread(e, actor);
    return t->nfds > 0 && poll_now(t) > 0;
}

/* selector_wait([(fd, events)...], timeout) -> [(fd, events)...]: what a
 * real epoll would report, waiting in virtual time.  timeout < 0: none.
 * events use selectors' EVENT_READ = 1, EVENT_WRITE = 2. */
static PyObject *
telarmod_selector_wait(PyObject *module, PyObject *const *args,
                       Py_ssize_t nargs)
{
    struct engine *e = get_state(module)->e;
    int self = sched_current(e->sched);
    struct engine_thread *t = engine__thread(e, self);
    PyObject *seq, *out = NULL;
    double timeout;
    Py_ssize_t n;
    int ready;

    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "selector_wait(fds, timeout)");
        return NULL;
    }
    timeout = PyFloat_AsDouble(args[1]);
    if (timeout == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    seq = PySequence_Fast(args[0], "fds must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    n = PySequence_Fast_GET_SIZE(seq);
    if (n > t->fds_cap) {
        t->fds_cap = (int)n + 8;
        t->fds = xrealloc(t->fds, (size_t)t->fds_cap * sizeof *t->fds);
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int fd, ev;

        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "ii", &fd,
                              &ev)) {
            Py_DECREF(seq);
            return NULL;
        }
        t->fds[i].fd = fd;
        t->fds[i].events = (short)(((ev & 1) ? POLLIN : 0)
                                   | ((ev & 2) ? POLLOUT : 0));
        t->fds[i].revents = 0;
    }
    Py_DECREF(seq);
    t->nfds = (int)n;
    ready = poll_now(t);
    if (ready != 0 || timeout == 0) {
        /* epoll_wait and poll release the GIL even when they return at
         * once: a thread that became ready may run first. */
        engine__gil_release(e);
        ready = poll_now(t);
    }
    if (ready == 0 && timeout != 0 && !e->finishing) {
        int64_t deadline = SCHED_NEVER;

        if (timeout > 0) {
            deadline = deadline_after(e, (int64_t)ceil(timeout * 1e9));
        }
        if (t->selector_obj < 0) {
            t->selector_obj = sched_obj_new(e->sched, EV_OBJ_SELECTOR,
                                            "selector", 0);
            sched_obj_set_poller(e->sched, t->selector_obj, true);
        }
        for (;;) {
            bool woke;

            e->sh->poll_gen[self] = e->sh->fd_gen;
            woke = engine__block(e, t->selector_obj, deadline);

            ready = poll_now(t);
            if (ready != 0 || !woke) {
                break;
            }
        }
    }
    out = PyList_New(0);
    for (int i = 0; out != NULL && ready > 0 && i < t->nfds; i++) {
        int mask = 0;
        PyObject *item;

        if (t->fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
            mask |= 1;
        }
        if (t->fds[i].revents & (POLLOUT | POLLHUP | POLLERR)) {
            mask |= 2;
        }
        if (mask == 0) {
            continue;
        }
        item = Py_BuildValue("(ii)", t->fds[i].fd, mask);
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(out);
            break;
        }
        Py_DECREF(item);
    }
    t->nfds = 0;
    return out;
}

/* _telar._(text): the translation of a message of the bootstrap. */
static PyObject *
telarmod_gettext(PyObject *module, PyObject *arg)
{
    const char *s = PyUnicode_AsUTF8(arg);

    (void)module;
    if (s == NULL) {
        return NULL;
    }
    return PyUnicode_FromString(_(s));
}

/* ---- Deadlock reports ----------------------------------------------------- */

/* New reference: the frame an actor's thread is executing, or None. */
static PyObject *
actor_frame(struct engine *e, int actor)
{
    struct engine_thread *t = engine__thread(e, actor);
    PyObject *f = NULL;

    if (t->used && !t->finished && t->tstate != NULL) {
        if (t->tstate == PyThreadState_Get()) {
            f = (PyObject *)PyEval_GetFrame();
            Py_XINCREF(f);
        } else {
            f = (PyObject *)PyThreadState_GetFrame(t->tstate);
        }
    }
    if (f == NULL) {
        Py_RETURN_NONE;
    }
    return f;
}

/* An actor's name in a report: every process has a MainThread, so the
 * threads of a child are "Process-1/MainThread". */
static const char *
actor_label(struct engine *e, const struct actor *a, char *buf, size_t size)
{
    if (a->proc > 0 && a->proc < e->sh->nprocs) {
        const struct actor *pa = sched_actor(e->sched,
                                             e->sh->procs[a->proc].pactor);

        snprintf(buf, size, "%s/%s", pa->name, a->name);
    } else {
        snprintf(buf, size, "%s", a->name);
    }
    return buf;
}

PyObject *
telarmod_describe_deadlock(struct engine *e)
{
    PyObject *actors = PyList_New(0), *cycle = PyList_New(0), *res = NULL;
    int ids[SCHED_MAX_ACTORS > 256 ? 256 : SCHED_MAX_ACTORS];
    size_t ncycle;

    if (actors == NULL || cycle == NULL) {
        goto out;
    }
    for (size_t i = 0; i < sched_nactors(e->sched); i++) {
        struct actor *a = sched_actor(e->sched, (int)i);
        struct sched_obj *o;
        PyObject *item, *frame;
        const char *holder = NULL;
        char name[200], hname[200];

        if (!a->schedulable || a->state == EV_ST_DONE
            || a->state == EV_ST_FAILED) {
            continue;
        }
        o = a->obj >= 0 ? sched_obj(e->sched, a->obj) : NULL;
        if (o != NULL && o->holder >= 0) {
            holder = actor_label(e, sched_actor(e->sched, o->holder), hname,
                                 sizeof hname);
        }
        frame = actor_frame(e, a->id);
        actor_label(e, a, name, sizeof name);
        item = Py_BuildValue("{s:i,s:s,s:s,s:s,s:s,s:N,s:L}",
                             "id", a->id, "name", name,
                             "state", evlog_state_name(a->state),
                             "kind", o ? evlog_obj_kind_name(o->kind) : "",
                             "holder", holder ? holder : "",
                             "frame", frame,
                             "deadline", (long long)a->deadline);
        if (item == NULL || PyList_Append(actors, item) < 0) {
            Py_XDECREF(item);
            goto out;
        }
        Py_DECREF(item);
    }
    ncycle = sched_deadlock_cycle(e->sched, ids, sizeof ids / sizeof ids[0]);
    for (size_t i = 0; i < ncycle; i++) {
        PyObject *v = PyLong_FromLong(ids[i]);

        if (v == NULL || PyList_Append(cycle, v) < 0) {
            Py_XDECREF(v);
            goto out;
        }
        Py_DECREF(v);
    }
    res = PyObject_CallMethod(e->boot, "describe_deadlock", "OO", actors,
                              cycle);
out:
    Py_XDECREF(actors);
    Py_XDECREF(cycle);
    return res;
}

/* ---- The module ----------------------------------------------------------- */

static PyMethodDef telarmod_methods[] = {
    {"start_new_thread", telarmod_start_new_thread, METH_VARARGS,
     start_new_thread_doc},
    {"_trampoline", telarmod_trampoline, METH_O, NULL},
    {"allocate_lock", telarmod_allocate_lock, METH_NOARGS, NULL},
    {"_set_sentinel", telarmod_set_sentinel, METH_NOARGS, NULL},
    {"_excepthook", telarmod_excepthook, METH_O, NULL},
    {"sleep", telarmod_sleep, METH_O, NULL},
    {"monotonic", telarmod_monotonic, METH_NOARGS, NULL},
    {"monotonic_ns", telarmod_monotonic_ns, METH_NOARGS, NULL},
    {"perf_counter", telarmod_monotonic, METH_NOARGS, NULL},
    {"perf_counter_ns", telarmod_monotonic_ns, METH_NOARGS, NULL},
    {"time", telarmod_time, METH_NOARGS, NULL},
    {"time_ns", telarmod_time_ns, METH_NOARGS, NULL},
    {"cpu", telarmod_cpu, METH_O, cpu_doc},
    {"output", (PyCFunction)(void (*)(void))telarmod_output, METH_FASTCALL,
     NULL},
    {"urandom", telarmod_urandom, METH_O, NULL},
    {"_exit", telarmod_exit, METH_O, NULL},
    {"finishing", telarmod_finishing, METH_NOARGS, NULL},
    {"selector_wait", (PyCFunction)(void (*)(void))telarmod_selector_wait,
     METH_FASTCALL, NULL},
    {"_", telarmod_gettext, METH_O, NULL},
    {"fork", telarmod_fork, METH_NOARGS, NULL},
    {"spawn", telarmod_spawn, METH_VARARGS, NULL},
    {"cpu_count", telarmod_cpu_count, METH_NOARGS, NULL},
    {"_after_fork_child", telarmod_after_fork_child, METH_NOARGS, NULL},
    {"waitpid", telarmod_waitpid, METH_VARARGS, NULL},
    {"kill", telarmod_kill, METH_VARARGS, NULL},
    {"read", telarmod_read, METH_VARARGS, NULL},
    {"write", telarmod_write, METH_VARARGS, NULL},
    {"close", telarmod_close, METH_O, NULL},
    {"wait_readable", telarmod_wait_readable, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static int
telarmod_exec(PyObject *m)
{
    struct telarmod_state *st = get_state(m);
    PyObject *queue_mod;

    st->lock_type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &lock_spec,
                                                             NULL);
    st->rlock_type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &rlock_spec,
                                                              NULL);
    st->sq_type = (PyTypeObject *)PyType_FromModuleAndSpec(m, &sq_spec, NULL);
    if (st->lock_type == NULL || st->rlock_type == NULL
        || st->sq_type == NULL) {
        return -1;
    }
    {
        /* _multiprocessing.SemLock, with CPython's SEM_VALUE_MAX. */
        PyObject *semlock = PyType_FromModuleAndSpec(m, &semlock_spec, NULL);
        PyObject *max = PyLong_FromLong(2147483647);

        if (semlock == NULL || max == NULL
            || PyObject_SetAttrString(semlock, "SEM_VALUE_MAX", max) < 0
            || PyModule_AddObjectRef(m, "SemLock", semlock) < 0) {
            Py_XDECREF(semlock);
            Py_XDECREF(max);
            return -1;
        }
        Py_DECREF(semlock);
        Py_DECREF(max);
    }
    if (PyModule_AddObjectRef(m, "LockType", (PyObject *)st->lock_type) < 0
        || PyModule_AddObjectRef(m, "RLock", (PyObject *)st->rlock_type) < 0
        || PyModule_AddObjectRef(m, "SimpleQueue",
                                 (PyObject *)st->sq_type) < 0) {
        return -1;
    }
    queue_mod = PyImport_ImportModule("_queue");
    if (queue_mod == NULL) {
        return -1;
    }
    st->empty_error = PyObject_GetAttrString(queue_mod, "Empty");
    Py_DECREF(queue_mod);
    if (st->empty_error == NULL) {
        return -1;
    }
    st->trampoline = PyObject_GetAttrString(m, "_trampoline");
    return st->trampoline != NULL ? 0 : -1;
}

static int
telarmod_traverse(PyObject *m, visitproc visit, void *arg)
{
    struct telarmod_state *st = get_state(m);

    Py_VISIT(st->lock_type);
    Py_VISIT(st->rlock_type);
    Py_VISIT(st->sq_type);
    Py_VISIT(st->empty_error);
    Py_VISIT(st->real_excepthook);
    Py_VISIT(st->trampoline);
    return 0;
}

static int
telarmod_clear(PyObject *m)
{
    struct telarmod_state *st = get_state(m);

    Py_CLEAR(st->lock_type);
    Py_CLEAR(st->rlock_type);
    Py_CLEAR(st->sq_type);
    Py_CLEAR(st->empty_error);
    Py_CLEAR(st->real_excepthook);
    Py_CLEAR(st->trampoline);
    /* The watched values are Python objects too: they go while the
     * interpreter still runs (engine_free comes after it). */
    if (st->e != NULL) {
        watch__fini(st->e);
    }
    return 0;
}

static void
telarmod_free(void *m)
{
    telarmod_clear((PyObject *)m);
}

static PyModuleDef_Slot telarmod_slots[] = {
    {Py_mod_exec, telarmod_exec},
    {0, NULL}
};

PyDoc_STRVAR(telarmod_doc,
"telar's engine: scheduler-aware replacements for CPython's blocking\n\
and clock-reading primitives.");

static struct PyModuleDef telarmod_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_telar",
    .m_doc = telarmod_doc,
    .m_size = sizeof(struct telarmod_state),
    .m_methods = telarmod_methods,
    .m_slots = telarmod_slots,
    .m_traverse = telarmod_traverse,
    .m_clear = telarmod_clear,
    .m_free = telarmod_free,
};

PyMODINIT_FUNC
telarmod_init(void)
{
    return PyModuleDef_Init(&telarmod_def);
}

/* Give the module its engine and keep what it replaces.  0 or -1. */
int
telarmod_attach(PyObject *module, struct engine *e)
{
    struct telarmod_state *st = get_state(module);
    PyObject *thread_mod = NULL, *time_mod = NULL;

    st->e = e;
    thread_mod = PyImport_ImportModule("_thread");
    time_mod = PyImport_ImportModule("time");
    if (thread_mod == NULL || time_mod == NULL) {
        goto error;
    }
    e->real_start_new_thread = PyObject_GetAttrString(thread_mod,
                                                      "start_new_thread");
    {
        PyObject *os_mod = PyImport_ImportModule("os");

        e->real_fork = os_mod ? PyObject_GetAttrString(os_mod, "fork")
                              : NULL;
        Py_XDECREF(os_mod);
        if (e->real_fork == NULL) {
            goto error;
        }
    }
    st->real_excepthook = PyObject_GetAttrString(thread_mod, "_excepthook");
    e->real_sleep = PyObject_GetAttrString(time_mod, "sleep");
    if (e->real_start_new_thread == NULL || st->real_excepthook == NULL
        || e->real_sleep == NULL) {
        goto error;
    }
    Py_DECREF(thread_mod);
    Py_DECREF(time_mod);
    return 0;
error:
    Py_XDECREF(thread_mod);
    Py_XDECREF(time_mod);
    return -1;
}
