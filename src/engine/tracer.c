/*
 * The tracer: a C trace function installed on every thread actor, and the
 * PEP 523 frame evaluator that decides, frame by frame, how scenario code
 * is watched.  It is where the scheduler gets its preemption points and
 * where CPU work costs virtual time.  Frames of the standard library, of
 * site-packages and of telar's bootstrap run untraced unless the engine
 * reads their calls (asyncio, queues, events).  While two or more threads
 * are alive, scenario frames get opcode events: any instruction may be a
 * switch.  While one thread runs, nobody can take its place, and scenario
 * frames run untraced: "sparse" frames looked at only where CPython checks
 * its eval breaker (see "Sparse frames"; the simplest range loops not even
 * there, see "Precharged loops"), and functions without loops charged in
 * full when they are called.  Generators and coroutines that
 * asyncio steps keep their events (tasks are followed through them), and
 * so does every scenario frame when the run logs each line (the scenario
 * view).
 *
 * Cost model (documented in telar.1): every bytecode instruction of scenario
 * code costs SCHED_INSTR_COST_NS of virtual time.  With opcode events on,
 * each instruction is charged as it runs.  A sparse frame is charged at each
 * eval-breaker check for the instructions between the previous check and
 * this one (a forward jump between them as if not taken).  With line events
 * only, a line is charged for its instructions when it starts (a forward
 * jump inside a line as if not taken).
 */
#include "config.h"

#include "engine/internal.h"

#include <opcode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/breaker.h"
#include "util/ptrmap.h"


/* What the tracer knows of a code object, kept in its co_extra slot and
 * freed with it.  Owned by the code object. */
struct code_info {
    struct code_info *prev, *next;  /* every live one, in the engine */
    struct engine *e;
    bool scenario;
    bool loop_free;             /* no backward jump: it always ends */
    bool needs_events;          /* a scenario generator, any coroutine, or
                                   a frame whose return the engine reads */
    bool coroutine;
    bool sparse_ok;             /* scenario code that asyncio does not step:
                                   it may run sparse */
    bool create_task;           /* asyncio's BaseEventLoop.create_task */
    const struct sync_role *role;   /* a method whose calls are logged */
    unsigned char race_role;    /* --races: RACE_ROLE_* */
    uint32_t static_cost;       /* its instructions, charged at entry when
                                   it runs untraced */
    int code_id;                /* EV_CODE id, 0 until logged */
    Py_ssize_t nbytes;
    PyObject *code;             /* strong: the deoptimised bytes */
    uint16_t *line_cost;        /* per 2-byte unit: instructions to the end
                                   of the line that starts there */
    uint32_t *upto;             /* per unit u: instructions before u, and
                                   upto[nbytes / 2] = static_cost */
    int16_t *depth;             /* lazily: stack depth before each unit, -1
                                   where not known */
    struct check_at *checks;    /* lazily, per unit: a check made there */
};

/* What an eval-breaker check at a unit means (sparse_check): where the
 * frame goes on, the last unit charged (a fused COMPARE_OP's jump lies
 * after it), and whether the loop it closes may be precharged. */
struct check_at {
    int32_t next;
    uint8_t known;
    uint8_t end;                /* last unit charged - the unit */
    bool pre;
};

/* The trace object passed to the C trace function.  Owned by its thread's
 * engine_thread (strong reference). */
struct tracer {
    PyObject_HEAD
    struct engine *e;
    int actor;
};

static PyTypeObject tracer_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_telar.tracer",
    .tp_basicsize = sizeof(struct tracer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = NULL,
};

static void
code_info_unlink(struct code_info *ci)
{
    if (ci->prev != NULL) {
        ci->prev->next = ci->next;
    } else {
        ci->e->code_infos = ci->next;
    }
    if (ci->next != NULL) {
        ci->next->prev = ci->prev;
    }
}

/* co_extra's free function: CPython frees a code object. */
static void
code_info_free(void *p)
{
    struct code_info *ci = p;

    if (ci == NULL) {
        return;
    }
    code_info_unlink(ci);
    Py_XDECREF(ci->code);
    free(ci->line_cost);
    free(ci->upto);
    free(ci->depth);
    free(ci->checks);
    free(ci);
}

static bool
is_scenario_file(struct engine *e, const char *file)
{
    if (file[0] == '<') {
        return false;           /* <frozen ...>, <string>, <telar> */
    }
    if (e->stdlib_prefix != NULL
        && strncmp(file, e->stdlib_prefix, strlen(e->stdlib_prefix)) == 0) {
        return false;
    }
    return strstr(file, "/site-packages/") == NULL
           && strstr(file, "/dist-packages/") == NULL;
}

static inline bool
is_backward_jump(int op)
{
    return op == JUMP_BACKWARD || op == POP_JUMP_BACKWARD_IF_NOT_NONE
           || op == POP_JUMP_BACKWARD_IF_NONE
           || op == POP_JUMP_BACKWARD_IF_FALSE
           || op == POP_JUMP_BACKWARD_IF_TRUE;
}

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --races: asyncio's hand-over from other threads to a loop's thread.
 * call_soon_threadsafe runs on the calling thread, Handle._run on the
 * loop's, for every callback (a task's step among them). */
enum {
    RACE_ROLE_NONE = 0,
    RACE_ROLE_THREADSAFE,       /* BaseEventLoop.call_soon_threadsafe */
    RACE_ROLE_HANDLE_RUN,       /* Handle._run */
    RACE_ROLE_JOINED,           /* Thread._wait_for_tstate_lock, is_alive */
};

static unsigned char
race_role_of(PyCodeObject *co, const char *file)
{
    const char *q = PyUnicode_AsUTF8(co->co_qualname);

    if (q == NULL) {
        PyErr_Clear();
        return RACE_ROLE_NONE;
    }
    if (strcmp(q, "BaseEventLoop.call_soon_threadsafe") == 0
        && ends_with(file, "/asyncio/base_events.py")) {
        return RACE_ROLE_THREADSAFE;
    }
    if (strcmp(q, "Handle._run") == 0
        && ends_with(file, "/asyncio/events.py")) {
        return RACE_ROLE_HANDLE_RUN;
    }
    if ((strcmp(q, "Thread._wait_for_tstate_lock") == 0
         || strcmp(q, "Thread.is_alive") == 0)
        && ends_with(file, "/threading.py")) {
        return RACE_ROLE_JOINED;
    }
    return RACE_ROLE_NONE;
}

/* Methods of the standard library's synchronisation objects whose calls
 * are logged as operations (EV_OBJ_OP), with the value after the call:
 * the attribute named, or its length for a queue's container.  asyncio's
 * Queue.put/get coroutines go through put_nowait/get_nowait. */
struct sync_role {
    const char *file;           /* suffix of the stdlib file */
    const char *qualname;
    enum ev_obj_kind kind;
    enum ev_op op;
    const char *value;          /* attribute read after the call */
    bool length;                /* its len() rather than its value */
    const char *capacity;       /* attribute with the capacity, or NULL */
    bool coroutine;             /* async def: logged when it returns */
};

static const struct sync_role sync_roles[] = {
    { "/queue.py", "Queue.put", EV_OBJ_QUEUE, EV_OP_PUT, "queue", true,
      "maxsize" },
    { "/queue.py", "Queue.get", EV_OBJ_QUEUE, EV_OP_GET, "queue", true,
      "maxsize" },
    { "/asyncio/queues.py", "Queue.put_nowait", EV_OBJ_AQUEUE, EV_OP_PUT,
      "_queue", true, "_maxsize" },
    { "/asyncio/queues.py", "Queue.get_nowait", EV_OBJ_AQUEUE, EV_OP_GET,
      "_queue", true, "_maxsize" },
    { "/threading.py", "Event.set", EV_OBJ_EVENT, EV_OP_SET, "_flag",
      false, NULL },
    { "/threading.py", "Event.clear", EV_OBJ_EVENT, EV_OP_CLEAR, "_flag",
      false, NULL },
    { "/threading.py", "Condition.notify", EV_OBJ_CONDITION, EV_OP_NOTIFY,
      "_waiters", true, NULL },
    { "/threading.py", "Semaphore.acquire", EV_OBJ_SEMAPHORE, EV_OP_ACQUIRE,
      "_value", false, NULL },
    { "/threading.py", "Semaphore.release", EV_OBJ_SEMAPHORE, EV_OP_RELEASE,
      "_value", false, NULL },
    { "/threading.py", "BoundedSemaphore.release", EV_OBJ_SEMAPHORE,
      EV_OP_RELEASE, "_value", false, NULL },
    { "/asyncio/locks.py", "Event.set", EV_OBJ_EVENT, EV_OP_SET, "_value",
      false, NULL },
    { "/asyncio/locks.py", "Event.clear", EV_OBJ_EVENT, EV_OP_CLEAR,
      "_value", false, NULL },
    { "/asyncio/locks.py", "Condition.notify", EV_OBJ_CONDITION,
      EV_OP_NOTIFY, "_waiters", true, NULL },
    { "/asyncio/locks.py", "Semaphore.release", EV_OBJ_SEMAPHORE,
      EV_OP_RELEASE, "_value", false, NULL },
    { "/asyncio/locks.py", "Lock.acquire", EV_OBJ_LOCK, EV_OP_ACQUIRE,
      "_locked", false, NULL, true },
    { "/asyncio/locks.py", "Lock.release", EV_OBJ_LOCK, EV_OP_RELEASE,
      "_locked", false, NULL },
};

static const struct sync_role *
sync_role_of(PyCodeObject *co, const char *file)
{
    const char *q = PyUnicode_AsUTF8(co->co_qualname);

    if (q == NULL) {
        PyErr_Clear();
        return NULL;
    }
    for (size_t i = 0; i < sizeof sync_roles / sizeof sync_roles[0]; i++) {
        if (strcmp(q, sync_roles[i].qualname) == 0
            && ends_with(file, sync_roles[i].file)) {
            return &sync_roles[i];
        }
    }
    return NULL;
}

static struct code_info *
code_info_build(struct engine *e, PyCodeObject *co)
{
    struct code_info *ci = xcalloc(1, sizeof *ci);
    const char *file = PyUnicode_AsUTF8(co->co_filename);

    ci->e = e;
    ci->next = e->code_infos;
    if (ci->next != NULL) {
        ci->next->prev = ci;
    }
    e->code_infos = ci;
    const unsigned char *b;
    Py_ssize_t n;

    if (file == NULL) {
        PyErr_Clear();
        file = "<unknown>";
    }
    ci->scenario = is_scenario_file(e, file);
    ci->coroutine = (co->co_flags & (CO_COROUTINE
                                     | CO_ITERABLE_COROUTINE)) != 0;
    if (!ci->scenario) {
        ci->create_task = ends_with(file, "/asyncio/base_events.py")
            && PyUnicode_CompareWithASCIIString(co->co_name,
                                                "create_task") == 0;
        ci->role = sync_role_of(co, file);
        ci->race_role = e->races ? race_role_of(co, file) : RACE_ROLE_NONE;
        ci->needs_events = ci->coroutine || ci->create_task
                           || ci->role != NULL;
        return ci;
    }
    ci->needs_events = (co->co_flags & (CO_GENERATOR | CO_COROUTINE
                                        | CO_ASYNC_GENERATOR
                                        | CO_ITERABLE_COROUTINE)) != 0;
    ci->sparse_ok = (co->co_flags & (CO_COROUTINE | CO_ASYNC_GENERATOR
                                     | CO_ITERABLE_COROUTINE)) == 0;
    ci->code = PyCode_GetCode(co);
    if (ci->code == NULL) {
        code_info_free(ci);
        return NULL;
    }
    b = (const unsigned char *)PyBytes_AS_STRING(ci->code);
    n = PyBytes_GET_SIZE(ci->code);
    ci->nbytes = n;
    ci->line_cost = xcalloc((size_t)n / 2 + 1, sizeof *ci->line_cost);
    ci->upto = xcalloc((size_t)n / 2 + 1, sizeof *ci->upto);
    /* Walk backwards: an instruction costs 1 plus the cost of the next
     * instruction when both are on the same line.  CACHE units (opcode 0)
     * are not instructions. */
    ci->loop_free = true;
    for (Py_ssize_t off = 0; off < n; off += 2) {
        ci->upto[off / 2] = ci->static_cost;
        if (b[off] != CACHE) {
            ci->static_cost++;
            if (is_backward_jump(b[off]) || b[off] == JUMP_BACKWARD_NO_INTERRUPT) {
                ci->loop_free = false;
            }
        }
    }
    ci->upto[n / 2] = ci->static_cost;
    {
        int next_line = -1;
        uint16_t next_cost = 0;

        for (Py_ssize_t off = n - 2; off >= 0; off -= 2) {
            int line;

            if (b[off] == CACHE) {
                continue;
            }
            line = PyCode_Addr2Line(co, (int)off);
            ci->line_cost[off / 2] = (uint16_t)(
                line == next_line && next_cost < UINT16_MAX ? next_cost + 1
                                                            : 1);
            next_line = line;
            next_cost = ci->line_cost[off / 2];
        }
    }
    return ci;
}

/* CPython 3.11's co_extra block (Include/internal/pycore_code.h,
 * _PyCodeObjectExtra): read on every frame and event, so read directly
 * rather than through _PyCode_GetExtra. */
struct code_extra311 {
    Py_ssize_t size;
    void *extras[1];
};

static int code_id_of(struct engine *e, struct code_info *ci,
                      PyCodeObject *co);

static struct code_info *
code_info_get(struct engine *e, PyCodeObject *co)
{
    struct code_extra311 *x = co->co_extra;
    struct code_info *ci;

    if (x != NULL && e->code_extra < x->size
        && x->extras[e->code_extra] != NULL) {
        return x->extras[e->code_extra];
    }
    ci = code_info_build(e, co);
    if (ci == NULL) {
        return NULL;
    }
    if (_PyCode_SetExtra((PyObject *)co, e->code_extra, ci) < 0) {
        code_info_free(ci);
        return NULL;
    }
    /* With positions, every piece of scenario code is in the log with its
     * bytecode, also one that runs untraced and so never has a position
     * of its own (a loop-free function while one thread runs). */
    if (e->opts->log_lines && ci->scenario) {
        code_id_of(e, ci, co);
    }
    return ci;
}

/* ---- asyncio tasks ---------------------------------------------------------
 * A task is an actor of its own that the scheduler never picks: it runs on
 * its loop's thread.  It is born when BaseEventLoop.create_task returns,
 * runs while its coroutine is stepped (a CALL event of the coroutine's
 * frame), waits when the coroutine yields, and ends when it returns or
 * raises.  The map from coroutine to task compares pointers only: it holds
 * no reference, so it never changes when CPython frees anything. */

static void
task_created(struct engine *e, struct engine_thread *t, PyObject *task)
{
    PyObject *coro = PyObject_CallMethod(task, "get_coro", NULL);
    PyObject *name = PyObject_CallMethod(task, "get_name", NULL);
    const char *s = name != NULL && PyUnicode_Check(name)
                        ? PyUnicode_AsUTF8(name) : NULL;
    int parent = t->cur_task >= 0 ? t->cur_task : t->actor;
    int actor;

    if (coro != NULL && coro != Py_None) {
        actor = sched_actor_new(e->sched, EV_ACTOR_TASK, parent, e->proc,
                                s != NULL ? s : "Task", false);
        if (actor >= 0) {
            ptrmap_put(&e->tasks, coro, actor);
        }
    }
    PyErr_Clear();
    Py_XDECREF(coro);
    Py_XDECREF(name);
}

/* asyncio.create_task names a task after loop.create_task returned: read
 * the name again when the task runs (it is asyncio's current task then). */
static void
task_refresh_name(struct engine *e, int actor)
{
    PyObject *loop = NULL, *name = NULL, *task;
    const char *s;

    /* asyncio.current_task() is Python in 3.11: the running loop's entry
     * in _asyncio._current_tasks. */
    if (e->current_tasks == NULL) {
        PyObject *mod = PyImport_ImportModule("_asyncio");

        e->current_tasks = mod ? PyObject_GetAttrString(mod, "_current_tasks")
                               : NULL;
        e->get_running_loop = mod ? PyObject_GetAttrString(mod,
                                                           "get_running_loop")
                                  : NULL;
        Py_XDECREF(mod);
        if (e->current_tasks == NULL || e->get_running_loop == NULL) {
            Py_CLEAR(e->current_tasks);
            PyErr_Clear();
            return;
        }
    }
    loop = PyObject_CallNoArgs(e->get_running_loop);
    task = loop != NULL ? PyDict_GetItemWithError(e->current_tasks, loop)
                        : NULL;                     /* borrowed */
    name = task != NULL ? PyObject_CallMethod(task, "get_name", NULL) : NULL;
    s = name != NULL && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
    if (s != NULL && strcmp(s, sched_actor(e->sched, actor)->name) != 0) {
        sched_actor_rename(e->sched, actor, s);
    }
    PyErr_Clear();
    Py_XDECREF(name);
    Py_XDECREF(loop);
}

static void
task_resumed(struct engine *e, struct engine_thread *t, PyFrameObject *f)
{
    PyObject *gen = PyFrame_GetGenerator(f);
    int actor;

    if (gen == NULL) {
        return;
    }
    actor = ptrmap_get(&e->tasks, gen, -1);
    if (actor >= 0 && actor != t->cur_task) {
        t->cur_task = actor;
        t->task_coro = gen;
        t->task_cancelled = false;
        task_refresh_name(e, actor);
        sched_actor_state(e->sched, actor, EV_ST_RUNNING, SCHED_NONE);
    }
    Py_DECREF(gen);
}

static void
task_returned(struct engine *e, struct engine_thread *t, PyFrameObject *f,
              PyObject *arg)
{
    PyObject *gen = PyFrame_GetGenerator(f);
    enum ev_state st;
    int lasti, actor = t->cur_task;

    if (gen == NULL) {
        return;
    }
    Py_DECREF(gen);             /* only compared below */
    if (gen != t->task_coro) {
        return;                 /* a coroutine the task awaits */
    }
    lasti = frame_lasti(f);
    if (arg == NULL) {
        st = t->task_cancelled ? EV_ST_CANCELLED : EV_ST_FAILED;
    } else if (lasti >= 0
               && _Py_OPCODE(((struct iframe311 *)FRAME(f)->f_frame)
                                 ->prev_instr[0]) == YIELD_VALUE) {
        st = EV_ST_WAITING;
    } else {
        st = EV_ST_DONE;
    }
    if (st == EV_ST_WAITING) {
        tracer__log_pos(e, actor, f);
    }
    sched_actor_state(e->sched, actor, st, SCHED_NONE);
    if (st != EV_ST_WAITING) {
        ptrmap_del(&e->tasks, gen);
    }
    t->cur_task = SCHED_NONE;
    t->task_coro = NULL;
}

/* ---- Queues and positions ------------------------------------------------ */

/* The innermost scenario frame from f outwards, or NULL.  Borrowed: the
 * frames of a running thread's stack stay alive while it runs.  (3.11
 * fills f_back lazily: PyFrame_GetBack makes the outer frame objects.) */
static PyFrameObject *
scenario_frame(struct engine *e, PyFrameObject *f)
{
    while (f != NULL) {
        struct code_info *ci = code_info_get(e, FRAME(f)->f_frame->f_code);
        PyFrameObject *back;

        if (ci == NULL) {
            PyErr_Clear();
            return NULL;
        }
        if (ci->scenario) {
            return f;
        }
        back = PyFrame_GetBack(f);
        Py_XDECREF(back);       /* still referenced by f->f_back */
        f = back;
    }
    return NULL;
}

/* The name a scenario frame gives obj (a local, then a global), or NULL.
 * New reference. */
static PyObject *
name_in_frame(PyFrameObject *f, PyObject *obj)
{
    PyObject *scopes[2] = { PyFrame_GetLocals(f), PyFrame_GetGlobals(f) };
    PyObject *found = NULL;

    for (int i = 0; i < 2 && found == NULL; i++) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;

        if (scopes[i] == NULL || !PyDict_Check(scopes[i])) {
            continue;
        }
        while (PyDict_Next(scopes[i], &pos, &key, &value)) {
            if (value == obj && PyUnicode_Check(key)) {
                found = Py_NewRef(key);
                break;
            }
        }
    }
    Py_XDECREF(scopes[0]);
    Py_XDECREF(scopes[1]);
    PyErr_Clear();
    return found;
}

const char *
tracer__label(struct engine *e, PyObject *obj, char *buf, size_t size)
{
    PyFrameObject *sf = scenario_frame(e, PyEval_GetFrame());
    PyObject *name = sf != NULL ? name_in_frame(sf, obj) : NULL;
    const char *s = name != NULL ? PyUnicode_AsUTF8(name) : NULL;

    snprintf(buf, size, "%s", s != NULL ? s : "");
    PyErr_Clear();
    Py_XDECREF(name);
    return buf;
}

/* The engine of this process, for sync_forget (one engine a process). */
static struct engine *sync_engine;

/* A weak reference's callback: the object it named is gone, and its
 * address may soon hold another one, which must get an object of its own
 * (a new Event where a Condition was).  self is the old address. */
static PyObject *
sync_forget(PyObject *self, PyObject *wr)
{
    void *o = PyLong_AsVoidPtr(self);

    if (sync_engine != NULL && o != NULL) {
        ptrmap_del(&sync_engine->syncs, o);
    }
    PyErr_Clear();
    Py_DECREF(wr);              /* the reference sync_obj kept */
    Py_RETURN_NONE;
}

static PyMethodDef sync_forget_def = {
    "_telar_sync_forget", sync_forget, METH_O, NULL
};

/* Forget o's scheduler object when o dies.  Objects without weak
 * references keep theirs (none of threading's and queue's classes). */
static void
sync_watch_death(struct engine *e, PyObject *o)
{
    PyObject *addr = PyLong_FromVoidPtr(o);
    PyObject *cb = addr != NULL ? PyCFunction_New(&sync_forget_def, addr)
                                : NULL;
    PyObject *wr = cb != NULL ? PyWeakref_NewRef(o, cb) : NULL;

    sync_engine = e;
    /* wr stays referenced until its callback runs. */
    (void)wr;
    Py_XDECREF(cb);
    Py_XDECREF(addr);
    PyErr_Clear();
}

/* A synchronisation object's scheduler object, made the first time it is
 * used, labelled with the scenario's variable for it. */
static int
sync_obj(struct engine *e, PyObject *o, const struct sync_role *r,
         PyFrameObject *f)
{
    int obj = ptrmap_get(&e->syncs, o, -1);
    PyObject *max, *name = NULL;
    PyFrameObject *sf;
    long cap = 0;

    if (obj >= 0) {
        return obj;
    }
    if (r->capacity != NULL) {
        max = PyObject_GetAttrString(o, r->capacity);
        cap = max != NULL ? PyLong_AsLong(max) : 0;
        Py_XDECREF(max);
        PyErr_Clear();
    }
    sf = scenario_frame(e, f);
    if (sf != NULL) {
        name = name_in_frame(sf, o);
    }
    obj = sched_obj_new(e->sched, r->kind,
                        name != NULL ? PyUnicode_AsUTF8(name) : "",
                        cap > 0 ? cap : 0);
    PyErr_Clear();
    Py_XDECREF(name);
    ptrmap_put(&e->syncs, o, obj);
    /* Exploring, no log shows objects: spare each run the weak
     * references (they doubled the page faults of a forked run). */
    if (!e->explore) {
        sync_watch_death(e, o);
    }
    return obj;
}

static void
sync_op(struct engine *e, struct engine_thread *t, PyFrameObject *f,
        const struct sync_role *r)
{
    struct ev ev = { .kind = EV_OBJ_OP };
    PyObject *self = FRAME(f)->f_frame->localsplus[0];  /* borrowed */
    PyObject *v;
    long long value;

    if (self == NULL) {
        return;
    }
    v = PyObject_GetAttrString(self, r->value);
    if (v == NULL) {
        PyErr_Clear();
        return;
    }
    value = r->length ? (long long)PyObject_Length(v) : PyLong_AsLongLong(v);
    Py_DECREF(v);
    if (value == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return;
    }
    /* The actor is the task when one is running: asyncio's locks are
     * held by tasks, not by the loop's thread. */
    ev.obj = sync_obj(e, self, r, f);
    ev.actor = t->cur_task >= 0 ? t->cur_task : t->actor;
    ev.a = r->op;
    ev.x = value;
    if (r->kind == EV_OBJ_LOCK) {
        sched_obj_set_holder(e->sched, ev.obj,
                             r->op == EV_OP_ACQUIRE ? ev.actor : SCHED_NONE);
    }
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
}

/* The EV_CODE id of a code object, logged the first time it is asked. */
static int
code_id_of(struct engine *e, struct code_info *ci, PyCodeObject *co)
{
    if (ci->code_id == 0) {
        const char *file = PyUnicode_AsUTF8(co->co_filename);
        const char *qual = PyUnicode_AsUTF8(co->co_qualname);
        struct ev code = { .kind = EV_CODE, .actor = -1, .obj = -1 };
        struct str s;

        PyErr_Clear();
        ci->code_id = ++e->sh->next_code_id;
        str_init(&s);
        str_adds(&s, file != NULL ? file : "?");
        str_addc(&s, '\0');
        str_adds(&s, qual != NULL ? qual : "?");
        code.a = ci->code_id;
        code.b = co->co_firstlineno;
        code.str = s.p;
        code.len = s.len;
        evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &code);
        str_fini(&s);
        if (e->opts->log_lines) {
            struct ev bc = { .kind = EV_BYTECODE, .actor = -1, .obj = -1,
                             .a = ci->code_id };

            str_init(&s);
            if (engine__disasm(co, &s) == 0) {
                bc.str = s.p;
                bc.len = s.len;
                evlog_put(e->log, sched_step(e->sched), sched_now(e->sched),
                          &bc);
            }
            str_fini(&s);
        }
    }
    return ci->code_id;
}

/* --races: the loop a call_soon_threadsafe or Handle._run frame is about,
 * and the fact its call stands for.  Called as the frame starts (its
 * arguments are in place), so these frames need no tracing. */
static void
race_loop(struct engine *e, struct engine_thread *t, struct iframe311 *fr,
          unsigned char role)
{
    PyObject *self = fr->localsplus[0];                     /* borrowed */
    PyObject *loop;

    if (self == NULL) {
        return;
    }
    if (role == RACE_ROLE_JOINED) {
        /* Found stopped: seen to end by someone before, whose join took
         * the end's edge; this one takes it too. */
        loop = PyObject_GetAttrString(self, "_is_stopped");
        if (loop == Py_True) {
            access__joined(e, t->actor, self);
        }
        PyErr_Clear();
        Py_XDECREF(loop);
        return;
    }
    if (role == RACE_ROLE_THREADSAFE) {
        access__loop(e, t->actor, self, false);
        return;
    }
    loop = PyObject_GetAttrString(self, "_loop");
    if (loop != NULL && loop != Py_None) {
        access__loop(e, t->actor, loop, true);
    }
    PyErr_Clear();
    Py_XDECREF(loop);
}

bool
tracer__in_library_setup(struct engine *e)
{
    /* The interpreter's own frames, not frame objects: asking for those
     * would make them, and move every object allocated after. */
    struct iframe311 *fr =
        (struct iframe311 *)PyThreadState_Get()->cframe->current_frame;

    for (; fr != NULL; fr = fr->previous) {
        PyCodeObject *co = fr->f_code;
        struct code_info *ci = code_info_get(e, co);
        const char *file = PyUnicode_AsUTF8(co->co_filename);

        if (ci == NULL || file == NULL) {
            PyErr_Clear();
            return false;
        }
        if (ci->scenario) {
            return false;       /* the scenario asked for it */
        }
        if (strncmp(file, "<frozen ", 8) == 0
            || PyUnicode_CompareWithASCIIString(co->co_name,
                                                "<module>") == 0) {
            return true;        /* importlib, or a module's own body */
        }
    }
    return false;
}

/* Whether the frame being run would run untraced without --races: it is
 * traced only to see its accesses, and must make no points (tracer_eval_
 * frame charged them at its entry, as a run without --races does). */
static inline bool
virtually_untraced(const struct engine *e, const struct engine_thread *t)
{
    return e->races_armed && t->vtrace == 0;
}

/* Log where an actor is: EV_CODE the first time a code object appears,
 * then EV_POS with its line and bytecode offset. */
void
tracer__log_pos(struct engine *e, int actor, PyFrameObject *f)
{
    struct code_info *ci;
    struct ev ev = { .kind = EV_POS, .obj = -1 };
    PyCodeObject *co;

    f = scenario_frame(e, f);
    if (f == NULL) {
        return;
    }
    co = FRAME(f)->f_frame->f_code;
    ci = code_info_get(e, co);
    if (ci == NULL) {
        PyErr_Clear();
        return;
    }
    ev.actor = actor;
    ev.a = code_id_of(e, ci, co);
    ev.b = PyFrame_GetLineNumber(f);
    ev.c = frame_lasti(f);
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    watch__check(e, actor);
}

/* ---- Sparse frames ------------------------------------------------------
 * Tracing a frame costs more than the tracer does: CPython 3.11 sends every
 * instruction of a traced frame through DO_TRACING, unspecialised.  While
 * one thread runs, nobody can take its place, so a scenario frame only
 * needs to be charged and, if it loops forever, stopped.  Such a frame runs
 * untraced, "sparse": it is looked at only where CPython checks its eval
 * breaker (a function's start, a backward jump, after a call that is not
 * inlined; ceval.c, CHECK_EVAL_BREAKER).  A pending call (breaker.c) keeps
 * the breaker set, so each of those checks runs sparse_check, which charges
 * the instructions that lie between the previous check and this one
 * (forward jumps between them count as not taken), makes a point and
 * queues itself again.  CPython runs pending calls on its main thread only,
 * which is the thread left when one runs. */
struct sparse_frame {
    struct iframe311 *frame;    /* borrowed: it lives while it runs */
    struct code_info *ci;
    int resume;                 /* the unit where the uncharged part
                                   begins */
    bool closed;                /* opcode mode took over: charged */
    /* A precharged loop (see below): the iterator (strong), how many items
     * it had left after the last check, the loop's FOR_ITER and backward
     * jump, and the instructions of one iteration. */
    PyObject *pre_iter;
    Py_ssize_t pre_left;
    int pre_head, pre_jump;
    uint32_t pre_body;
};

/* The sparse frames of the engine's main thread, innermost last.  Owned by
 * the engine (tracer__init, tracer__fini). */
struct sparse {
    struct engine *e;
    PyThreadState *ts;          /* borrowed: CPython's main thread */
    int actor;                  /* its actor */
    struct breaker_queue *queue;
    bool armed;                 /* sparse_check is queued */
    bool no_precharge;          /* TELAR_NO_PRECHARGE: check every loop */
    struct sparse_frame *v;
    int n, cap;
};

/* The unit of the instruction a frame runs or last ran (-1 before its
 * first). */
static inline int
frame_unit(const struct iframe311 *fr)
{
    return (int)(fr->prev_instr
                 - (_Py_CODEUNIT *)fr->f_code->co_code_adaptive);
}

/* The instructions in units [from, to] of the code, 0 if to < from. */
static inline uint64_t
code_cost(const struct code_info *ci, int from, int to)
{
    int last = (int)(ci->nbytes / 2) - 1;

    if (from < 0) {
        from = 0;
    }
    if (to > last) {
        to = last;
    }
    return to < from ? 0 : ci->upto[to + 1] - ci->upto[from];
}

/* Where the backward jump at unit u goes (its oparg counts units back from
 * the next one, EXTENDED_ARG prefixes included). */
static int
jump_target(const unsigned char *b, int u)
{
    int oparg = b[2 * u + 1], shift = 8;

    for (int k = u - 1; k >= 0 && b[2 * k] == EXTENDED_ARG; k--) {
        oparg |= b[2 * k + 1] << shift;
        shift += 8;
    }
    return u + 1 - oparg;
}

/* The check CPython made at unit u: the last unit it charges (*end) and
 * where the frame goes on (*next).  A specialised COMPARE_OP makes the
 * conditional jump after its caches itself (COMPARE_OP_*_JUMP), and checks
 * when that one goes back. */
static void
check_span(const struct code_info *ci, int u, int *end, int *next)
{
    const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(
        ci->code);
    int n = (int)(ci->nbytes / 2);

    *end = u;
    *next = u + 1;
    if (u < 0 || u >= n) {
        return;
    }
    if (b[2 * u] == COMPARE_OP) {
        int j = u + 1;

        while (j < n && b[2 * j] == CACHE) {
            j++;
        }
        if (j < n && is_backward_jump(b[2 * j])) {
            u = j;
            *end = j;
        }
    }
    if (is_backward_jump(b[2 * u])) {
        *next = jump_target(b, u);
    }
}

static int sparse_check(void *arg);

/* Queue the breaker callback; false if CPython's queue is full. */
static inline bool
sparse_arm(struct sparse *sp)
{
    if (!sp->armed) {
        sp->armed = breaker__push(sp->queue, sparse_check, sp);
    }
    return sp->armed;
}

static void pre_settle(struct sparse *sp, struct sparse_frame *sf);

/* Charge what the sparse frames ran since their last check.  Each one is
 * at its latest instruction (the outer ones at the call to the next). */
static void
sparse_settle(struct sparse *sp)
{
    uint64_t n = 0;

    for (int i = 0; i < sp->n; i++) {
        struct sparse_frame *sf = &sp->v[i];
        int here = frame_unit(sf->frame);

        if (sf->pre_iter != NULL) {
            pre_settle(sp, sf);
        } else if (!sf->closed) {
            n += code_cost(sf->ci, sf->resume, here);
            sf->resume = here + 1;
        }
    }
    sched_advance(sp->e->sched, n);
}

/* ---- Precharged loops ---------------------------------------------------
 * The commonest CPU-bound loop, `for i in range(n):` around a body without
 * branches or calls, costs less than its checks do.  What it will run is
 * known: every iteration runs the same instructions, and the range
 * iterator knows how many items are left.  So after one check of such a
 * loop the callback is not queued again, the loop runs with no check at
 * all, and what it ran is counted afterwards from how far its iterator
 * went: when the frame calls Python (a dunder method of an operand, a
 * finaliser), when a clock is read, when it returns, yields or raises.
 * The instructions charged and the steps taken are those the checks would
 * have made, and sched_is_quiet makes sure that no slow path (the step
 * bound, a deadline) was due among them.  Nothing may run unchecked after
 * the loop: no backward jump follows it in the code. */
/* Opcodes a precharged loop body may hold: no jump, no call, no exit.  A
 * dunder method they call is Python, and the evaluator sees it. */
static bool
pre_body_op(int op)
{
    switch (op) {
    case CACHE: case NOP: case EXTENDED_ARG: case POP_TOP: case COPY:
    case SWAP: case PUSH_NULL:
    case LOAD_FAST: case STORE_FAST: case LOAD_CONST: case LOAD_GLOBAL:
    case STORE_GLOBAL: case LOAD_NAME: case STORE_NAME: case LOAD_DEREF:
    case STORE_DEREF: case LOAD_CLOSURE: case LOAD_ATTR: case STORE_ATTR:
    case BINARY_OP: case BINARY_SUBSCR: case STORE_SUBSCR: 
    case UNARY_POSITIVE: case UNARY_NEGATIVE: case UNARY_NOT:
    case UNARY_INVERT: case COMPARE_OP: case IS_OP: case CONTAINS_OP:
    case BUILD_TUPLE: case BUILD_LIST: case BUILD_SET: case BUILD_MAP:
    case BUILD_CONST_KEY_MAP: case BUILD_STRING: case BUILD_SLICE:
    case LIST_APPEND: case SET_ADD: case MAP_ADD: case LIST_EXTEND:
    case SET_UPDATE: case DICT_UPDATE: case UNPACK_SEQUENCE:
    case FORMAT_VALUE:
        return true;
    default:
        return false;
    }
}

/* The oparg of the instruction at unit u, EXTENDED_ARG prefixes included. */
static int
code_oparg(const unsigned char *b, int u)
{
    int oparg = b[2 * u + 1], shift = 8;

    for (int k = u - 1; k >= 0 && b[2 * k] == EXTENDED_ARG; k--) {
        oparg |= b[2 * k + 1] << shift;
        shift += 8;
    }
    return oparg;
}

/* The stack depth before each unit of the code, along normal control flow
 * (CPython's compiler keeps it the same on every path), from
 * PyCompile_OpcodeStackEffectWithJump.  -1 where not known: code reached
 * only through an exception handler, or after an opcode it does not know. */
static const int16_t *
code_depths(struct code_info *ci)
{
    const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(
        ci->code);
    int n = (int)(ci->nbytes / 2);

    if (ci->depth != NULL) {
        return ci->depth;
    }
    ci->depth = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *ci->depth);
    for (int u = 0; u < n; u++) {
        ci->depth[u] = -1;
    }
    if (n > 0) {
        ci->depth[0] = 0;
    }
    for (int u = 0; u < n; u++) {
        int op = b[2 * u], arg, next = u + 1, target = -1, fall = 1;
        int d = ci->depth[u];

        if (op == CACHE || d < 0) {
            continue;
        }
        while (next < n && b[2 * next] == CACHE) {
            next++;
        }
        if (op == EXTENDED_ARG) {
            if (next < n && ci->depth[next] < 0) {
                ci->depth[next] = (int16_t)d;
            }
            continue;
        }
        arg = code_oparg(b, u);
        switch (op) {
        case JUMP_FORWARD:
            fall = 0;
            target = u + 1 + arg;
            break;
        case JUMP_BACKWARD: case JUMP_BACKWARD_NO_INTERRUPT:
            fall = 0;
            break;
        case POP_JUMP_FORWARD_IF_FALSE: case POP_JUMP_FORWARD_IF_TRUE:
        case POP_JUMP_FORWARD_IF_NONE: case POP_JUMP_FORWARD_IF_NOT_NONE:
        case JUMP_IF_FALSE_OR_POP: case JUMP_IF_TRUE_OR_POP:
        case FOR_ITER: case SEND:
            target = u + 1 + arg;
            break;
        case RETURN_VALUE: case RAISE_VARARGS: case RERAISE:
            fall = 0;
            break;
        default:
            break;
        }
        if (fall && next < n && ci->depth[next] < 0) {
            int eff = PyCompile_OpcodeStackEffectWithJump(op, arg, 0);

            if (eff == PY_INVALID_STACK_EFFECT || d + eff < 0) {
                break;
            }
            ci->depth[next] = (int16_t)(d + eff);
        }
        if (target >= 0 && target < n && ci->depth[target] < 0) {
            int eff = PyCompile_OpcodeStackEffectWithJump(op, arg, 1);

            if (eff == PY_INVALID_STACK_EFFECT || d + eff < 0) {
                break;
            }
            ci->depth[target] = (int16_t)(d + eff);
        }
    }
    return ci->depth;
}

/* Whether the loop that the backward jump at unit j closes may be
 * precharged: a FOR_ITER at its head whose exit is right after j, a body of
 * pre_body_op opcodes, and no backward jump after it. */
static bool
pre_loop_ok(struct code_info *ci, int j)
{
    const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(
        ci->code);
    int n = (int)(ci->nbytes / 2), head;

    if (b[2 * j] != JUMP_BACKWARD) {
        return false;
    }
    head = jump_target(b, j);
    if (head < 0 || head >= j || b[2 * head] != FOR_ITER
        || head + 1 + code_oparg(b, head) != j + 1) {
        return false;
    }
    for (int u = head + 1; u < j; u++) {
        if (!pre_body_op(b[2 * u])) {
            return false;
        }
    }
    for (int u = j + 1; u < n; u++) {
        if (is_backward_jump(b[2 * u])
            || b[2 * u] == JUMP_BACKWARD_NO_INTERRUPT) {
            return false;
        }
    }
    return code_depths(ci)[head] >= 1;
}

/* What a check at unit u of the code means, worked out once; NULL outside
 * the code. */
static const struct check_at *
check_get(struct code_info *ci, int u)
{
    int n = (int)(ci->nbytes / 2), end, next;
    struct check_at *c;

    if (u < 0 || u >= n) {
        return NULL;
    }
    if (ci->checks == NULL) {
        ci->checks = xcalloc((size_t)n, sizeof *ci->checks);
    }
    c = &ci->checks[u];
    if (!c->known) {
        check_span(ci, u, &end, &next);
        c->known = 1;
        c->next = next;
        c->end = (uint8_t)(end - u);
        c->pre = next < u && pre_loop_ok(ci, u);
    }
    return c;
}

/* After a check at the backward jump j of sf that closes a loop
 * pre_loop_ok allows, which goes on at the loop's head: precharge the loop
 * if its iterator is a range and nothing can be due before it ends.  True
 * if it is precharged (the callback stays unqueued). */
static bool
pre_start(struct sparse *sp, struct sparse_frame *sf, int j)
{
    PyCodeObject *co = sf->frame->f_code;
    PyObject *it;
    Py_ssize_t left;
    int head = sf->resume;
    uint32_t body;

    it = sf->frame->localsplus[co->co_nlocalsplus
                               + code_depths(sf->ci)[head] - 1];
    if (it == NULL || (!Py_IS_TYPE(it, &PyRangeIter_Type)
                       && !Py_IS_TYPE(it, &PyLongRangeIter_Type))) {
        return false;
    }
    left = PyObject_LengthHint(it, -1);
    if (left < 0) {
        PyErr_Clear();
        return false;
    }
    body = (uint32_t)code_cost(sf->ci, head, j);
    if (left < 2 || (uint64_t)left > UINT32_MAX
        || !sched_is_quiet(sp->e->sched, (uint64_t)left,
                           (uint64_t)left * body + sf->ci->static_cost)) {
        return false;
    }
    sf->pre_iter = Py_NewRef(it);
    sf->pre_left = left;
    sf->pre_head = head;
    sf->pre_jump = j;
    sf->pre_body = body;
    return true;
}

/* Count what a precharged loop ran, up to where its frame is now: the
 * iterations its iterator gave, each charged and stepped as its check
 * would have been, then the instructions from the loop's head to here
 * (linearly, as a check would).  The frame goes back to checks. */
static void
pre_settle(struct sparse *sp, struct sparse_frame *sf)
{
    PyObject *et, *ev, *tb;
    Py_ssize_t left;
    uint64_t iters, full, n;
    int at = frame_unit(sf->frame);

    PyErr_Fetch(&et, &ev, &tb);
    left = PyObject_LengthHint(sf->pre_iter, 0);
    if (left < 0) {
        PyErr_Clear();
        left = 0;
    }
    PyErr_Restore(et, ev, tb);
    iters = sf->pre_left > left ? (uint64_t)(sf->pre_left - left) : 0;
    /* Inside the body, the last iteration is not over. */
    full = at > sf->pre_head && at <= sf->pre_jump && iters > 0 ? iters - 1
                                                                 : iters;
    n = full * sf->pre_body + code_cost(sf->ci, sf->pre_head, at);
    Py_CLEAR(sf->pre_iter);
    sf->resume = at + 1;
    sparse_arm(sp);
    if (sched_points(sp->e->sched, full, n)) {
        tracer__point_slow(sp->e, &sp->e->threads[sp->actor],
                           SCHED_POINT_LINE | SCHED_POINT_BREAKER);
    }
}

/* A check of the innermost sparse frame: charge, point, queue again.  A
 * check in another frame (one that it called) only disarms: the evaluator
 * queues the callback again when that frame returns. */
static int
sparse_check(void *arg)
{
    struct sparse *sp = arg;
    struct engine *e = sp->e;
    struct sparse_frame *top;
    const struct check_at *c;
    int at;
    uint64_t n;

    sp->armed = false;
    if (sp->n == 0 || e->opcode_mode || e->finishing || e->forking) {
        return 0;
    }
    if (sched_nalive(e->sched) >= 2) {
        tracer__update_mode(e);     /* another actor came: trace all */
        return 0;
    }
    top = &sp->v[sp->n - 1];
    if (top->closed
        || (void *)sp->ts->cframe->current_frame != (void *)top->frame) {
        return 0;
    }
    at = frame_unit(top->frame);
    c = check_get(top->ci, at);
    n = code_cost(top->ci, top->resume, c != NULL ? at + c->end : at);
    top->resume = c != NULL ? c->next : at + 1;
    if (sched_point(e->sched, n)) {
        tracer__point_slow(e, &e->threads[sp->actor],
                           SCHED_POINT_LINE | SCHED_POINT_BREAKER);
    }
    if (c == NULL || !c->pre || sp->no_precharge
        || !pre_start(sp, top, at)) {
        sparse_arm(sp);
    }
    return 0;
}

void
tracer__settle(struct engine *e)
{
    if (e->sparse->n > 0 && PyThreadState_Get() == e->sparse->ts) {
        sparse_settle(e->sparse);
    }
}

/* Opcode mode begins: charge the sparse frames for what they ran and leave
 * them to opcode events. */
static void
sparse_close_all(struct sparse *sp)
{
    sparse_settle(sp);
    for (int i = 0; i < sp->n; i++) {
        sp->v[i].closed = true;
    }
}

/* Whether the innermost sparse frame is caller, which runs now. */
static inline bool
sparse_is_top(const struct sparse *sp, const struct iframe311 *caller)
{
    return sp->n > 0 && caller == sp->v[sp->n - 1].frame
           && !sp->v[sp->n - 1].closed;
}

/* Run a sparse frame: untraced, with the breaker callback queued; charge
 * what it ran after its last check when it returns, yields or raises. */
static PyObject *
sparse_eval(struct sparse *sp, PyThreadState *ts, struct iframe311 *frame,
            struct code_info *ci)
{
    struct engine *e = sp->e;
    _PyCFrame *cf = ts->cframe;
    struct iframe311 *caller = (struct iframe311 *)cf->current_frame;
    uint8_t saved = cf->use_tracing;
    uint64_t gen = e->trace_gen;
    int depth;
    struct sparse_frame *sf;
    PyObject *res;

    if (sp->n == sp->cap) {
        sp->cap = sp->cap ? 2 * sp->cap : 16;
        sp->v = xrealloc(sp->v, (size_t)sp->cap * sizeof *sp->v);
    }
    sf = &sp->v[sp->n++];
    depth = sp->n;
    sf->frame = frame;
    sf->ci = ci;
    sf->resume = frame_unit(frame) + 1;
    sf->pre_iter = NULL;
    /* Without a callback (CPython's queue is full) it runs traced, with
     * line events. */
    sf->closed = !sparse_arm(sp);
    cf->use_tracing = sf->closed ? 255 : 0;
    res = _PyEval_EvalFrameDefault(ts, (struct _PyInterpreterFrame *)frame,
                                   0);
    sf = &sp->v[depth - 1];
    if (sf->pre_iter != NULL) {
        pre_settle(sp, sf);
    }
    sp->n = depth - 1;
    if (!sf->closed) {
        sched_advance(e->sched, code_cost(ci, sf->resume,
                                          frame_unit(frame)));
    }
    cf->use_tracing = e->trace_gen != gen ? 255 : saved;
    if (e->trace_gen == gen && sparse_is_top(sp, caller)) {
        sparse_arm(sp);
    }
    return res;
}

/* The base opcode of the instruction that called the frame f is
 * returning from (CALL, FOR_ITER, SEND...), or -1 when it returns by an
 * exception or no Python frame called it.  A callee's opcode events
 * overwrite the thread's last_opcode; the caller's next instruction must
 * see its own last one again, or the eval-breaker check that CPython 3.11
 * makes after a CALL (ceval.c: CHECK_EVAL_BREAKER at the end of CALL) is
 * lost whenever the callee is scenario code. */
static int
caller_opcode(struct engine *e, PyFrameObject *f, PyObject *arg)
{
    struct iframe311 *caller = FRAME(f)->f_frame->previous;
    struct code_info *ci;
    Py_ssize_t off;

    if (arg == NULL || caller == NULL) {
        return -1;
    }
    ci = code_info_get(e, caller->f_code);
    if (ci == NULL) {
        PyErr_Clear();
        return -1;
    }
    if (!ci->scenario) {
        return -1;              /* it has no opcode events anyway */
    }
    off = (caller->prev_instr
           - (_Py_CODEUNIT *)caller->f_code->co_code_adaptive)
          * (Py_ssize_t)sizeof(_Py_CODEUNIT);
    if (off < 0 || off >= ci->nbytes) {
        return -1;
    }
    return (unsigned char)PyBytes_AS_STRING(ci->code)[off];
}

PyObject **
tracer__stack(PyFrameObject *f, int *depth)
{
    struct iframe311 *fr = FRAME(f)->f_frame;

    *depth = fr->stacktop - fr->f_code->co_nlocalsplus;
    if (fr->stacktop < 0 || *depth < 0) {
        *depth = 0;             /* not being traced: no stack to read */
    }
    return fr->localsplus + (fr->stacktop > 0 ? fr->stacktop : 0);
}

bool
tracer__is_scenario_code(struct engine *e, PyCodeObject *co)
{
    struct code_info *ci = code_info_get(e, co);

    if (ci == NULL) {
        PyErr_Clear();
        return false;
    }
    return ci->scenario;
}

int
tracer__point_slow(struct engine *e, struct engine_thread *t, unsigned flags)
{
    if (e->finishing || t->finished) {
        return 0;
    }
    engine__check_memory(e);
    if (sched_point_slow(e->sched, flags)) {
        engine__switch(e, t->actor, EV_WHY_PREEMPT);
    }
    return 0;
}

static int
tracer_trace(PyObject *obj, PyFrameObject *f, int what, PyObject *arg)
{
    struct tracer *tr = (struct tracer *)obj;
    struct engine *e = tr->e;
    struct engine_thread *t = &e->threads[tr->actor];
    struct code_info *ci;
    int lasti, op;
    unsigned flags;

    (void)arg;
    if (e->finishing || e->forking || t->finished) {
        return 0;
    }
    switch (what) {
    case PyTrace_CALL:
        ci = code_info_get(e, FRAME(f)->f_frame->f_code);
        if (ci == NULL) {
            return -1;
        }
        if (virtually_untraced(e, t)) {
            /* A run without --races has no event here: only the
             * accesses of a scenario frame are wanted. */
            FRAME(f)->f_trace_lines = 0;
            FRAME(f)->f_trace_opcodes = ci->scenario;
            return 0;
        }
        if (ci->coroutine) {
            task_resumed(e, t, f);
        }
        if (!ci->scenario) {
            FRAME(f)->f_trace_lines = 0;
            FRAME(f)->f_trace_opcodes = 0;
            return 0;
        }
        FRAME(f)->f_trace_opcodes = e->opcode_mode || e->races_armed;
        t->last_frame = f;
        lasti = frame_lasti(f);
        t->last_lasti = lasti;
        t->last_opcode = -1;
        /* RESUME with oparg < 2 (entry, resumption after yield) checks
         * CPython's eval breaker; resumption after await does not. */
        flags = SCHED_POINT_LINE;
        if (lasti < 0 || lasti + 1 >= ci->nbytes
            || PyBytes_AS_STRING(ci->code)[lasti + 1] < 2) {
            flags |= SCHED_POINT_BREAKER;
        }
        if (sched_point(e->sched, 1)) {
            return tracer__point_slow(e, t, flags);
        }
        return 0;

    case PyTrace_LINE:
        ci = code_info_get(e, FRAME(f)->f_frame->f_code);
        if (ci == NULL) {
            return -1;
        }
        if (!ci->scenario) {
            FRAME(f)->f_trace_lines = 0;
            return 0;
        }
        lasti = frame_lasti(f);
        flags = SCHED_POINT_LINE;
        if (f == t->last_frame && lasti <= t->last_lasti) {
            flags |= SCHED_POINT_BREAKER;
        }
        t->last_frame = f;
        t->last_lasti = lasti;
        if (FRAME(f)->f_trace_opcodes && e->opcode_mode) {
            return 0;           /* the opcode event that follows counts */
        }
        if (e->opts->log_lines) {
            tracer__log_pos(e, t->cur_task >= 0 ? t->cur_task : t->actor, f);
        }
        if (lasti < 0 || lasti >= ci->nbytes) {
            return 0;
        }
        /* A process whose one thread runs at line granularity while
         * another process is alive: its lines are its switch points. */
        if (e->explore && sched_nalive(e->sched) >= 2) {
            flags |= SCHED_POINT_VISIBLE;
        }
        if (sched_point(e->sched, ci->line_cost[lasti / 2])) {
            return tracer__point_slow(e, t, flags);
        }
        return 0;

    case PyTrace_OPCODE:
        ci = code_info_get(e, FRAME(f)->f_frame->f_code);
        if (ci == NULL) {
            return -1;
        }
        if (!ci->scenario) {
            FRAME(f)->f_trace_opcodes = 0;
            return 0;
        }
        lasti = frame_lasti(f);
        if (lasti < 0 || lasti >= ci->nbytes) {
            return 0;
        }
        op = (unsigned char)PyBytes_AS_STRING(ci->code)[lasti];
        if (e->races_armed) {
            if (access__ops[op] != 0) {
                access__opcode(e, t, f,
                               (const unsigned char *)PyBytes_AS_STRING(
                                   ci->code),
                               lasti, op,
                               code_id_of(e, ci, FRAME(f)->f_frame->f_code));
            }
            if (!e->opcode_mode || virtually_untraced(e, t)) {
                return 0;       /* here only to see the access */
            }
        }
        flags = SCHED_POINT_OPCODE;
        if (is_backward_jump(op) || t->last_opcode == CALL
            || t->last_opcode == CALL_FUNCTION_EX) {
            flags |= SCHED_POINT_BREAKER;
        }
        t->last_opcode = op;
        t->last_frame = f;
        t->last_lasti = lasti;
        /* The TUI steps instruction by instruction: where each one is. */
        if (e->opts->log_lines) {
            tracer__log_pos(e, t->cur_task >= 0 ? t->cur_task : t->actor, f);
        }
        if (e->explore) {
            flags |= tracer__visible(
                e, f, (const unsigned char *)PyBytes_AS_STRING(ci->code),
                lasti);
        }
        if (sched_point(e->sched, 1)) {
            return tracer__point_slow(e, t, flags);
        }
        return 0;

    case PyTrace_RETURN:
        ci = code_info_get(e, FRAME(f)->f_frame->f_code);
        if (ci == NULL) {
            return -1;
        }
        if (virtually_untraced(e, t)) {
            return 0;           /* a run without --races has no event here */
        }
        if (ci->scenario) {
            t->last_opcode = caller_opcode(e, f, arg);
        }
        if (ci->role != NULL && arg != NULL) {
            if (!ci->role->coroutine
                || _Py_OPCODE(FRAME(f)->f_frame->prev_instr[0])
                       == RETURN_VALUE) {
                sync_op(e, t, f, ci->role);
            }
        } else if (ci->create_task && arg != NULL) {
            task_created(e, t, arg);
        } else if (ci->coroutine && t->cur_task >= 0) {
            task_returned(e, t, f, arg);
        }
        if (e->explore && ci->scenario) {
            engine__main_returned(e, t, f, arg);
        }
        return 0;

    case PyTrace_EXCEPTION:
        if (e->explore) {
            engine__main_raised(e, t, f, arg);
        }
        /* CPython traces exceptions in untraced frames too, and turns
         * tracing on in the frame afterwards (call_trace, then
         * PyThreadState_LeaveTracing): a frame that was untraced is now
         * traced, with line events. */
        if (e->races) {
            if (virtually_untraced(e, t)) {
                ci = code_info_get(e, FRAME(f)->f_frame->f_code);
                if (ci != NULL && ci->scenario) {
                    FRAME(f)->f_trace_lines = 1;
                }
                PyErr_Clear();
            }
            t->vtrace = 255;
        }
        if (t->cur_task >= 0 && PyTuple_Check(arg) && PyTuple_GET_SIZE(arg)) {
            PyObject *type = PyTuple_GET_ITEM(arg, 0);

            t->task_cancelled = PyType_Check(type)
                && strcmp(((PyTypeObject *)type)->tp_name,
                          "CancelledError") == 0;
        }
        return 0;

    default:
        return 0;
    }
}

/* Whether a frame may run with tracing off: nothing can be decided or
 * learnt inside it.  Frames outside scenario code never are points (their
 * line events are off anyway), and while a single thread is alive a
 * scenario function without loops always ends, so it is charged its
 * instructions at entry instead.  Generators and coroutines keep their
 * events (asyncio's tasks are followed through them). */
static inline bool
may_run_untraced(const struct engine *e, const struct code_info *ci)
{
    if (!ci->scenario) {
        return !ci->needs_events;
    }
    return ci->loop_free && !ci->needs_events && !e->opcode_mode;
}

/* tracer_eval_frame under --races.  t->vtrace follows what the cframe's
 * use_tracing would be in a run without --races, and the points are made
 * as that run makes them; but once a second thread has started, scenario
 * frames run traced whatever it says, to show their accesses (the tracer
 * then makes no points in those that would run untraced). */
static PyObject *
race_eval_frame(struct engine *e, PyThreadState *ts,
                struct _PyInterpreterFrame *frame, const struct code_info *ci)
{
    _PyCFrame *cf = ts->cframe;
    struct engine_thread *t =
        &e->threads[((struct tracer *)ts->c_traceobj)->actor];
    uint8_t saved = cf->use_tracing, vsaved = t->vtrace;
    uint8_t vwant = may_run_untraced(e, ci) ? 0 : 255;
    uint8_t want = e->races_armed && ci->scenario ? 255 : vwant;
    bool real = want != saved, virt = vwant != vsaved;
    uint64_t gen;
    PyObject *res;

    if (ci->race_role != RACE_ROLE_NONE && e->races_armed) {
        race_loop(e, t, (struct iframe311 *)frame, ci->race_role);
    }
    /* Each side as tracer_eval_frame does it: set and restore only on a
     * change; otherwise what the callee leaves (an exception traced in it
     * turns tracing on, see PyTrace_EXCEPTION) stays, as in CPython. */
    if (!real && !virt) {
        return _PyEval_EvalFrameDefault(ts, frame, 0);
    }
    if (virt && vwant == 0 && ci->scenario) {
        if (sched_point(e->sched, ci->static_cost)) {
            tracer__point_slow(e, t, SCHED_POINT_LINE | SCHED_POINT_BREAKER);
        }
    }
    gen = e->trace_gen;
    if (real) {
        cf->use_tracing = want;
    }
    if (virt) {
        t->vtrace = vwant;
    }
    res = _PyEval_EvalFrameDefault(ts, frame, 0);
    if (real) {
        cf->use_tracing = e->trace_gen != gen ? 255 : saved;
    }
    if (virt) {
        t->vtrace = e->trace_gen != gen ? 255 : vsaved;
    }
    return res;
}

/* Whether a frame runs sparse (see "Sparse frames"): scenario code that
 * loops, on the one thread that runs while it is alone. */
static inline bool
may_run_sparse(const struct engine *e, const struct code_info *ci,
               PyThreadState *ts)
{
    return ci->scenario && ci->sparse_ok && ts == e->sparse->ts
           && !e->opcode_mode;
}

/* The PEP 523 frame evaluator: every Python frame starts here (CPython then
 * does not inline Python-to-Python calls; measured free).  It turns
 * tracing off for frames that need none and back on for those that do,
 * and runs sparse frames. */
static PyObject *
tracer_eval_frame(PyThreadState *ts, struct _PyInterpreterFrame *frame,
                  int throwflag)
{
    _PyCFrame *cf = ts->cframe;
    struct iframe311 *caller = (struct iframe311 *)cf->current_frame;
    struct engine *e;
    struct engine_thread *t;
    struct code_info *ci;
    uint8_t saved, want;
    uint64_t gen;
    bool rearm;
    PyObject *res;

    /* A frame entered to throw into it (a generator being closed) carries
     * its pending exception in the thread state: leave it untouched. */
    if (ts->c_tracefunc != tracer_trace || throwflag) {
        return _PyEval_EvalFrameDefault(ts, frame, throwflag);
    }
    e = ((struct tracer *)ts->c_traceobj)->e;
    t = &e->threads[((struct tracer *)ts->c_traceobj)->actor];
    ci = e->finishing || e->forking ? NULL
                      : code_info_get(e, ((struct iframe311 *)frame)->f_code);
    if (ci == NULL) {
        PyErr_Clear();
        return _PyEval_EvalFrameDefault(ts, frame, throwflag);
    }
    /* A process that runs several runs keeps what the main module starts
     * from (reuse.c): its first frame called from C, on the main thread. */
    if (e->reuse_want_main && caller == NULL && ci->scenario) {
        engine__reuse_main_start(e, t, ((struct iframe311 *)frame)->f_code,
                                 ((struct iframe311 *)frame)->f_globals);
    }
    /* Until a second thread starts, a run with --races is a run without
     * it (sparse frames included): nothing can race yet. */
    if (e->races_armed) {
        return race_eval_frame(e, ts, frame, ci);
    }
    /* Called from a precharged loop: count it first, and check it again
     * from here on. */
    if (sparse_is_top(e->sparse, caller)
        && e->sparse->v[e->sparse->n - 1].pre_iter != NULL) {
        pre_settle(e->sparse, &e->sparse->v[e->sparse->n - 1]);
    }
    saved = cf->use_tracing;
    want = may_run_untraced(e, ci) ? 0 : 255;
    if (want != 0 && may_run_sparse(e, ci, ts)) {
        return sparse_eval(e->sparse, ts, (struct iframe311 *)frame, ci);
    }
    /* A scenario function without loops is charged in full at its start,
     * whoever calls it. */
    if (want == 0 && ci->scenario) {
        if (sched_point(e->sched, ci->static_cost)) {
            tracer__point_slow(e, t, SCHED_POINT_LINE | SCHED_POINT_BREAKER);
        }
    }
    /* Called by the innermost sparse frame, this frame takes the callback
     * queued for it at its first check: queue it again on the way back. */
    rearm = sparse_is_top(e->sparse, caller);
    if (want == saved && !rearm) {
        return _PyEval_EvalFrameDefault(ts, frame, throwflag);
    }
    gen = e->trace_gen;
    cf->use_tracing = want;
    res = _PyEval_EvalFrameDefault(ts, frame, throwflag);
    /* Back in the caller's C frame.  If opcode mode began meanwhile, every
     * frame of every thread is traced from now on. */
    cf->use_tracing = e->trace_gen != gen ? 255 : saved;
    if (rearm && e->trace_gen == gen && sparse_is_top(e->sparse, caller)) {
        sparse_arm(e->sparse);
    }
    return res;
}

/* After CPython's finalization: the code objects it never freed keep
 * pointers to these in co_extra, but nothing reads them any more. */
void
tracer__fini(struct engine *e)
{
    while (e->code_infos != NULL) {
        struct code_info *ci = e->code_infos;

        e->code_infos = ci->next;
        free(ci->line_cost);
        free(ci->upto);
        free(ci->depth);
        free(ci->checks);
        free(ci);
    }
    free(e->stdlib_prefix);
    e->stdlib_prefix = NULL;
    if (e->sparse != NULL) {
        free(e->sparse->v);
        free(e->sparse);
        e->sparse = NULL;
    }
}

int
tracer__init(struct engine *e)
{
    PyObject *sys_prefix;
    const char *prefix;

    if (tracer_type.tp_flags & Py_TPFLAGS_READY) {
        /* static type, ready once per process */
    } else if (PyType_Ready(&tracer_type) < 0) {
        PyErr_Print();
        return -1;
    }
    e->sparse = xcalloc(1, sizeof *e->sparse);
    e->sparse->e = e;
    /* For tests: precharged loops must charge what checks would. */
    e->sparse->no_precharge = getenv("TELAR_NO_PRECHARGE") != NULL;
    e->code_extra = (int)_PyEval_RequestCodeExtraIndex(code_info_free);
    if (e->code_extra < 0) {
        return -1;
    }
    sys_prefix = PySys_GetObject("base_prefix");    /* borrowed */
    prefix = sys_prefix ? PyUnicode_AsUTF8(sys_prefix) : NULL;
    if (prefix == NULL) {
        PyErr_Clear();
        prefix = TELAR_PYTHON_PREFIX;
    }
    e->stdlib_prefix = xasprintf("%s/lib/python%d.%d/", prefix,
                                 PY_MAJOR_VERSION, PY_MINOR_VERSION);
    _PyInterpreterState_SetEvalFrameFunc(PyInterpreterState_Get(),
                                         tracer_eval_frame);
    return 0;
}

PyObject *
tracer__new(struct engine *e, int actor)
{
    struct tracer *tr = PyObject_New(struct tracer, &tracer_type);

    if (tr == NULL) {
        return NULL;
    }
    tr->e = e;
    tr->actor = actor;
    return (PyObject *)tr;
}

bool
tracer__sparse_idle(const struct engine *e)
{
    return e->sparse->n == 0 && !e->sparse->armed;
}

void
tracer__install(struct engine *e, struct engine_thread *t)
{
    if (t->tracer == NULL) {
        t->tracer = tracer__new(e, t->actor);
        if (t->tracer == NULL) {
            fatal("cannot create the tracer");
        }
    }
    PyEval_SetTrace(tracer_trace, t->tracer);
    t->vtrace = 255;            /* what PyEval_SetTrace did to the cframe */
    if (_PyOS_IsMainThread()) {
        /* The thread that runs pending calls (a forked child's only). */
        e->sparse->ts = PyThreadState_Get();
        e->sparse->actor = t->actor;
        e->sparse->queue = breaker__queue();
    }
    /* Frames already running got no CALL event: mark them now. */
    tracer__update_mode(e);
}

/* Set the opcode flag on every scenario frame of one thread's stack. */
static void
mark_stack(struct engine *e, PyFrameObject *f)
{
    while (f != NULL) {
        struct code_info *ci = code_info_get(e, FRAME(f)->f_frame->f_code);
        PyFrameObject *back;

        if (ci == NULL) {
            PyErr_Clear();
        } else if (ci->scenario) {
            FRAME(f)->f_trace_opcodes = e->opcode_mode || e->races_armed;
            FRAME(f)->f_trace_lines = 1;
        }
        back = PyFrame_GetBack(f);
        Py_DECREF(f);
        f = back;
    }
}

void
tracer__update_mode(struct engine *e)
{
    bool mode = sched_nalive(e->sched) >= 2;
    PyThreadState *cur = PyThreadState_Get();
    PyFrameObject *f;

    if (mode && !e->opcode_mode) {
        e->trace_gen++;
        sparse_close_all(e->sparse);
    }
    e->opcode_mode = mode;
    /* Ids at or past sched_nactors were never used: their records are
     * untouched pages, and reading them would cost a run from a zygote a
     * page fault each. */
    for (size_t i = 0; i < e->nthreads_cap && i < sched_nactors(e->sched);
         i++) {
        struct engine_thread *t = &e->threads[i];

        if (!t->used || t->finished || t->tstate == NULL) {
            continue;
        }
        if (mode) {
            /* Frames that started untraced get their events back. */
            for (_PyCFrame *cf = t->tstate->cframe; cf != NULL;
                 cf = cf->previous) {
                cf->use_tracing = 255;
            }
            t->vtrace = 255;
        }
        f = t->tstate == cur ? PyEval_GetFrame() : NULL;
        if (f != NULL) {
            Py_INCREF(f);
        } else if (t->tstate != cur) {
            f = PyThreadState_GetFrame(t->tstate);
        }
        mark_stack(e, f);
    }
}
