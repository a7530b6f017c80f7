/*
 * _multiprocessing.SemLock under the scheduler: the semaphore under
 * multiprocessing's Lock, RLock, Semaphore, BoundedSemaphore, Condition,
 * Event and Queue.  CPython's is a POSIX semaphore shared across fork; this
 * one keeps its value in the engine's shared arena (the same address in
 * every process of the run), so a value changed by one process is seen by
 * all, and a process that has to wait blocks on a scheduler object instead
 * of in sem_wait.  As in Modules/_multiprocessing/semaphore.c, the owner
 * and the recursion count belong to the Python object of each process.
 */
#include "config.h"

#include "engine/internal.h"

#include <structmember.h>

#define RECURSIVE_MUTEX 0
#define SEMAPHORE 1

/* The shared part: in the arena, reached through the handle. */
struct semval {
    int value;
    int obj;                    /* scheduler object waiters block on */
    int64_t chan;               /* --races: release -> acquire */
};

struct semlockobj {
    PyObject_HEAD
    struct semval *sem;         /* shared, in the arena */
    int kind;
    int maxvalue;
    unsigned long last_tid;     /* the owner, in this process */
    int count;                  /* its recursion count, in this process */
    PyObject *name;             /* None: unlinked at once (fork) */
};

static struct engine *
sem_engine(PyObject *self)
{
    struct engine **ep = PyType_GetModuleState(Py_TYPE(self));

    return *ep;                 /* struct telarmod_state starts with e */
}

static bool
is_mine(const struct semlockobj *s)
{
    return s->count > 0 && PyThread_get_thread_ident() == s->last_tid;
}

static struct semval *
semval_new(struct engine *e, int value, int kind, int maxvalue,
           const char *label)
{
    struct semval *v = alloc_calloc(arena_allocator(e->arena), 1, sizeof *v);

    v->value = value;
    v->obj = sched_obj_new(e->sched,
                           kind == RECURSIVE_MUTEX ? EV_OBJ_RLOCK
                           : maxvalue == 1 ? EV_OBJ_LOCK : EV_OBJ_SEMAPHORE,
                           label, 0);
    v->chan = e->races ? access__chan_new(e) : 0;
    return v;
}

static PyObject *
semlock_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "kind", "value", "maxvalue", "name", "unlink",
                              NULL };
    struct semlockobj *self;
    int kind, value, maxvalue, unlink;
    const char *name;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "iiisp:SemLock", kwlist,
                                     &kind, &value, &maxvalue, &name,
                                     &unlink)) {
        return NULL;
    }
    if (kind != RECURSIVE_MUTEX && kind != SEMAPHORE) {
        PyErr_SetString(PyExc_ValueError, "unrecognized kind");
        return NULL;
    }
    self = (struct semlockobj *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->kind = kind;
    self->maxvalue = maxvalue;
    self->sem = semval_new(sem_engine((PyObject *)self), value, kind,
                           maxvalue, "");
    if (unlink) {
        self->name = Py_NewRef(Py_None);
    } else if ((self->name = PyUnicode_FromString(name)) == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
semlock_dealloc(struct semlockobj *self)
{
    PyTypeObject *tp = Py_TYPE(self);

    /* The shared value stays: another process may still use it. */
    Py_XDECREF(self->name);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
semlock_acquire(struct semlockobj *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = { "block", "timeout", NULL };
    struct engine *e = sem_engine((PyObject *)self);
    int blocking = 1;
    PyObject *timeout_obj = Py_None;
    int64_t deadline = SCHED_NEVER;
    struct semval *v = self->sem;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|pO:acquire", kwlist,
                                     &blocking, &timeout_obj)) {
        return NULL;
    }
    if (self->kind == RECURSIVE_MUTEX && is_mine(self)) {
        ++self->count;
        Py_RETURN_TRUE;
    }
    if (timeout_obj != Py_None) {
        double t = PyFloat_AsDouble(timeout_obj);

        if (t == -1.0 && PyErr_Occurred()) {
            return NULL;
        }
        if (t < 0) {
            t = 0;
        }
        deadline = sched_now(e->sched) + (int64_t)(t * 1e9);
    }
    while (v->value == 0) {
        if (!blocking || deadline <= sched_now(e->sched)) {
            Py_RETURN_FALSE;
        }
        if (!engine__block(e, v->obj, deadline) && v->value == 0) {
            sched_obj_op(e->sched, v->obj, EV_OP_TIMEOUT, 0);
            Py_RETURN_FALSE;
        }
        if (PyErr_CheckSignals() < 0) {
            return NULL;
        }
    }
    v->value--;
    ++self->count;
    self->last_tid = PyThread_get_thread_ident();
    access__sync(e, sched_current(e->sched), EV_SYNC_ACQUIRE, v->chan);
    if (self->maxvalue == 1) {
        sched_obj_set_holder(e->sched, v->obj, sched_current(e->sched));
    }
    sched_obj_op(e->sched, v->obj, EV_OP_ACQUIRE, v->value);
    Py_RETURN_TRUE;
}

static PyObject *
semlock_release(struct semlockobj *self, PyObject *Py_UNUSED(ignored))
{
    struct engine *e = sem_engine((PyObject *)self);
    struct semval *v = self->sem;

    if (self->kind == RECURSIVE_MUTEX) {
        if (!is_mine(self)) {
            PyErr_SetString(PyExc_AssertionError,
                            "attempt to release recursive lock not owned "
                            "by thread");
            return NULL;
        }
        if (self->count > 1) {
            --self->count;
            Py_RETURN_NONE;
        }
    } else if (v->value >= self->maxvalue) {
        PyErr_SetString(PyExc_ValueError,
                        "semaphore or lock released too many times");
        return NULL;
    }
    access__sync(e, sched_current(e->sched), EV_SYNC_RELEASE, v->chan);
    v->value++;
    --self->count;
    if (self->maxvalue == 1) {
        sched_obj_set_holder(e->sched, v->obj, SCHED_NONE);
    }
    sched_obj_op(e->sched, v->obj, EV_OP_RELEASE, v->value);
    sched_wake(e->sched, v->obj, 1);
    Py_RETURN_NONE;
}

static PyObject *
semlock_enter(struct semlockobj *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *noargs = PyTuple_New(0), *r;

    if (noargs == NULL) {
        return NULL;
    }
    r = semlock_acquire(self, noargs, NULL);
    Py_DECREF(noargs);
    return r;
}

static PyObject *
semlock_exit(struct semlockobj *self, PyObject *args)
{
    (void)args;
    return semlock_release(self, NULL);
}

static PyObject *
semlock_count(struct semlockobj *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(self->count);
}

static PyObject *
semlock_is_mine(struct semlockobj *self, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(is_mine(self));
}

static PyObject *
semlock_get_value(struct semlockobj *self, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(self->sem->value);
}

static PyObject *
semlock_is_zero(struct semlockobj *self, PyObject *Py_UNUSED(ignored))
{
    return PyBool_FromLong(self->sem->value == 0);
}

static PyObject *
semlock_after_fork(struct semlockobj *self, PyObject *Py_UNUSED(ignored))
{
    self->count = 0;
    Py_RETURN_NONE;
}

/* _rebuild(handle, kind, maxvalue, name): the same semaphore in another
 * object (unpickling).  The handle is the shared value's address. */
static PyObject *
semlock_rebuild(PyTypeObject *type, PyObject *args)
{
    struct semlockobj *self;
    unsigned long long handle;
    int kind, maxvalue;
    PyObject *name;

    if (!PyArg_ParseTuple(args, "KiiO:_rebuild", &handle, &kind, &maxvalue,
                          &name)) {
        return NULL;
    }
    self = (struct semlockobj *)type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    self->sem = (struct semval *)(uintptr_t)handle;
    self->kind = kind;
    self->maxvalue = maxvalue;
    self->name = Py_NewRef(name);
    return (PyObject *)self;
}

static PyObject *
semlock_get_handle(struct semlockobj *self, void *closure)
{
    (void)closure;
    return PyLong_FromUnsignedLongLong((uintptr_t)self->sem);
}

static PyObject *
semlock_get_name(struct semlockobj *self, void *closure)
{
    (void)closure;
    return Py_NewRef(self->name);
}

static PyMethodDef semlock_methods[] = {
    {"acquire", (PyCFunction)(void (*)(void))semlock_acquire,
     METH_VARARGS | METH_KEYWORDS, "Acquire the semaphore/lock."},
    {"release", (PyCFunction)semlock_release, METH_NOARGS,
     "Release the semaphore/lock."},
    {"__enter__", (PyCFunction)semlock_enter, METH_NOARGS,
     "Enter the semaphore/lock."},
    {"__exit__", (PyCFunction)semlock_exit, METH_VARARGS,
     "Exit the semaphore/lock."},
    {"_count", (PyCFunction)semlock_count, METH_NOARGS,
     "Num of `acquire()`s minus num of `release()`s for this process."},
    {"_is_mine", (PyCFunction)semlock_is_mine, METH_NOARGS,
     "Whether the lock is owned by this thread."},
    {"_get_value", (PyCFunction)semlock_get_value, METH_NOARGS,
     "Get the value of the semaphore."},
    {"_is_zero", (PyCFunction)semlock_is_zero, METH_NOARGS,
     "Return whether semaphore has value zero."},
    {"_rebuild", (PyCFunction)semlock_rebuild, METH_VARARGS | METH_CLASS,
     NULL},
    {"_after_fork", (PyCFunction)semlock_after_fork, METH_NOARGS,
     "Rezero the net acquisition count after fork()."},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef semlock_members[] = {
    {"kind", T_INT, offsetof(struct semlockobj, kind), READONLY, ""},
    {"maxvalue", T_INT, offsetof(struct semlockobj, maxvalue), READONLY, ""},
    {NULL, 0, 0, 0, NULL}
};

static PyGetSetDef semlock_getset[] = {
    {"handle", (getter)semlock_get_handle, NULL, "", NULL},
    {"name", (getter)semlock_get_name, NULL, "", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyType_Slot semlock_slots[] = {
    {Py_tp_new, semlock_new},
    {Py_tp_dealloc, (destructor)semlock_dealloc},
    {Py_tp_methods, semlock_methods},
    {Py_tp_members, semlock_members},
    {Py_tp_getset, semlock_getset},
    {Py_tp_doc, "Semaphore/Mutex type"},
    {0, NULL}
};

PyType_Spec semlock_spec = {
    .name = "_multiprocessing.SemLock",
    .basicsize = sizeof(struct semlockobj),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = semlock_slots,
};
