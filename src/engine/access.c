/*
 * Race detection, the engine's half (telar run --races): what scenario
 * bytecode reads and writes, and the happens-before facts between threads,
 * written to the event log as EV_LOC, EV_ACCESS and EV_SYNC records.  The
 * analysis that turns them into reports is log/races.c; this file decides
 * nothing about races.  The tracer calls access__opcode from its opcode
 * events; telarmod.c and semlock.c call access__sync where locks, queues
 * and threads hand knowledge from one thread to another.
 *
 * Nothing is logged until a second thread starts (e->races_armed): before
 * that the first thread is alone, and every later thread starts after all
 * it did, so none of it can race.  From then on every scenario frame runs
 * with opcode events, but the scheduler still sees the points a run
 * without --races has (tracer.c), so the run itself does not change.
 *
 * A location is (object, kind, name or key).  Objects are known by their
 * address, which CPython reuses after a free: the object allocator is
 * wrapped, and so are the deallocators of dict and list (their free lists
 * bypass the allocator), so that a freed object's locations are forgotten
 * and a new object at the same address gets new ones.
 */
#include "config.h"

#include "engine/internal.h"

#include <opcode.h>
#include <string.h>
#include <sys/stat.h>

#include "util/keymap.h"

/* Accesses a thread remembers having logged in its current epoch: a
 * direct-mapped cache, so a collision only costs a repeated record. */
#define ACCESS_SEEN 512

struct access_seen {
    int64_t loc;
    uint64_t epoch;             /* the thread's epoch + 1; 0: empty */
    int code;
    int offset;
    int actor;
};

/* A location.  Its key is (object address | kind, discriminator); id 0
 * means "seen, not tracked" (a builtin object's attributes cannot
 * change), so the question is not asked again. */
struct access_loc {
    uint64_t k1, k2;
    int64_t id;
    int next;                   /* the next of the same object; free list */
};

/* An object some location belongs to, by its allocation block. */
struct access_base {
    int head;                   /* its first location, or -1 */
};

/* An asyncio event loop: the channel of call_soon_threadsafe. */
struct access_loop {
    int64_t chan;
    uint64_t released;          /* releases so far */
    uint64_t acquired;          /* ... when its thread last acquired */
};

/* Owned by the engine (e->access); access__uninstall frees it. */
struct access {
    PyMemAllocatorEx obj;       /* CPython's object allocator, wrapped */
    destructor dict_dealloc;    /* CPython's, wrapped */
    destructor list_dealloc;
    struct keymap lockey;       /* location key -> locs[] */
    struct access_loc *locs;
    int nlocs, caplocs, free_loc;
    struct ptrmap bases;        /* allocation block -> bases[] */
    struct access_base *bases_v;
    int nbases, capbases, free_base;
    struct ptrmap loop_index;   /* event loop -> loops[] */
    struct access_loop *loops;
    int nloops;
    struct keymap pipes;        /* (device, inode) of a pipe -> channel */
};

const unsigned char access__ops[256] = {
    [LOAD_GLOBAL] = EV_ACC_LOAD_GLOBAL + 1,
    [STORE_GLOBAL] = EV_ACC_STORE_GLOBAL + 1,
    [DELETE_GLOBAL] = EV_ACC_DELETE_GLOBAL + 1,
    [LOAD_NAME] = EV_ACC_LOAD_NAME + 1,
    [STORE_NAME] = EV_ACC_STORE_NAME + 1,
    [DELETE_NAME] = EV_ACC_DELETE_NAME + 1,
    [LOAD_ATTR] = EV_ACC_LOAD_ATTR + 1,
    [LOAD_METHOD] = EV_ACC_LOAD_METHOD + 1,
    [STORE_ATTR] = EV_ACC_STORE_ATTR + 1,
    [DELETE_ATTR] = EV_ACC_DELETE_ATTR + 1,
    [BINARY_SUBSCR] = EV_ACC_BINARY_SUBSCR + 1,
    [STORE_SUBSCR] = EV_ACC_STORE_SUBSCR + 1,
    [DELETE_SUBSCR] = EV_ACC_DELETE_SUBSCR + 1,
    [CONTAINS_OP] = EV_ACC_CONTAINS_OP + 1,
    [LOAD_DEREF] = EV_ACC_LOAD_DEREF + 1,
    [STORE_DEREF] = EV_ACC_STORE_DEREF + 1,
    [DELETE_DEREF] = EV_ACC_DELETE_DEREF + 1,
};

/* ---- Forgetting freed objects ------------------------------------------- */

/* Where CPython 3.11 allocated o: objects of GC types are preceded by
 * their PyGC_Head (two words), and instances with a managed __dict__ by
 * two more words (Include/internal/pycore_object.h,
 * _PyType_PreHeaderSize). */
static void *
block_of(PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);
    size_t pre = 0;

    if (PyType_IS_GC(tp)) {
        pre += 2 * sizeof(void *);
    }
    if (tp->tp_flags & Py_TPFLAGS_MANAGED_DICT) {
        pre += 2 * sizeof(PyObject *);
    }
    return (char *)o - pre;
}

/* The block is freed (or about to be reused): drop its locations. */
static void
forget(struct access *a, void *block)
{
    int b = ptrmap_get(&a->bases, block, -1);
    int i, next;

    if (b < 0) {
        return;
    }
    for (i = a->bases_v[b].head; i >= 0; i = next) {
        next = a->locs[i].next;
        keymap_del(&a->lockey, a->locs[i].k1, a->locs[i].k2);
        a->locs[i].next = a->free_loc;
        a->free_loc = i;
    }
    ptrmap_del(&a->bases, block);
    a->bases_v[b].head = a->free_base;
    a->free_base = b;
}

static void *
obj_malloc(void *ctx, size_t n)
{
    struct access *a = ctx;

    return a->obj.malloc(a->obj.ctx, n);
}

static void *
obj_calloc(void *ctx, size_t nelem, size_t elsize)
{
    struct access *a = ctx;

    return a->obj.calloc(a->obj.ctx, nelem, elsize);
}

static void *
obj_realloc(void *ctx, void *p, size_t n)
{
    struct access *a = ctx;
    void *q = a->obj.realloc(a->obj.ctx, p, n);

    if (q != NULL && q != p && p != NULL) {
        forget(a, p);
    }
    return q;
}

static void
obj_free(void *ctx, void *p)
{
    struct access *a = ctx;

    if (p != NULL) {
        forget(a, p);
    }
    a->obj.free(a->obj.ctx, p);
}

/* The deallocators below find their state through the allocator, the one
 * place CPython lets a hook keep a context pointer. */
static struct access *
hooks(void)
{
    PyMemAllocatorEx al;

    PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &al);
    if (al.free != obj_free) {
        fatal("access: the object allocator is not ours");
    }
    return al.ctx;
}

/* dict and list keep freed objects on free lists, out of the allocator's
 * sight.  These run first; the trashcan is kept as CPython's own
 * deallocators keep it (an exact dict or list only), so deeply nested
 * containers are still freed without deep C recursion.  The object is
 * untracked first, as the trashcan requires. */
static void
dict_dealloc(PyObject *o)
{
    struct access *a = hooks();

    PyObject_GC_UnTrack(o);
    Py_TRASHCAN_BEGIN(o, dict_dealloc)
    forget(a, block_of(o));
    a->dict_dealloc(o);
    Py_TRASHCAN_END
}

static void
list_dealloc(PyObject *o)
{
    struct access *a = hooks();

    PyObject_GC_UnTrack(o);
    Py_TRASHCAN_BEGIN(o, list_dealloc)
    forget(a, block_of(o));
    a->list_dealloc(o);
    Py_TRASHCAN_END
}

void
access__install(struct engine *e)
{
    struct access *a = xcalloc(1, sizeof *a);
    PyMemAllocatorEx mine = { a, obj_malloc, obj_calloc, obj_realloc,
                              obj_free };

    keymap_init(&a->lockey);
    ptrmap_init(&a->bases);
    ptrmap_init(&a->loop_index);
    keymap_init(&a->pipes);
    a->free_loc = -1;
    a->free_base = -1;
    PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &a->obj);
    PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &mine);
    a->dict_dealloc = PyDict_Type.tp_dealloc;
    a->list_dealloc = PyList_Type.tp_dealloc;
    PyDict_Type.tp_dealloc = dict_dealloc;
    PyList_Type.tp_dealloc = list_dealloc;
    e->access = a;
}

void
access__uninstall(struct engine *e)
{
    struct access *a = e->access;

    if (a == NULL) {
        return;
    }
    PyDict_Type.tp_dealloc = a->dict_dealloc;
    PyList_Type.tp_dealloc = a->list_dealloc;
    PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &a->obj);
    keymap_fini(&a->lockey);
    ptrmap_fini(&a->bases);
    ptrmap_fini(&a->loop_index);
    keymap_fini(&a->pipes);
    free(a->locs);
    free(a->bases_v);
    free(a->loops);
    free(a);
    e->access = NULL;
    for (size_t i = 0; i < e->nthreads_cap; i++) {
        free(e->threads[i].access_seen);
        e->threads[i].access_seen = NULL;
    }
}

/* ---- Happens-before facts ----------------------------------------------- */

int64_t
access__chan_new(struct engine *e)
{
    return ++e->sh->next_chan;
}

void
access__sync(struct engine *e, int actor, enum ev_sync kind, int64_t arg)
{
    struct ev ev = { .kind = EV_SYNC, .actor = actor, .obj = -1,
                     .a = kind, .b = arg };

    if (!e->races_armed || actor < 0) {
        return;
    }
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    /* What the thread knows, or what others know of it, changed: its
     * accesses from now on are new facts. */
    engine__thread(e, actor)->access_epoch++;
}

void
access__joined(struct engine *e, int actor, PyObject *thread_obj)
{
    /* The newest thread of that Thread object: an older one at the same
     * address was freed, and nobody can join a freed Thread. */
    for (size_t i = sched_nactors(e->sched); i-- > 0;) {
        struct engine_thread *t = engine__thread(e, (int)i);

        if (t->used && t->thread_obj == thread_obj) {
            if (t->finished && t->end_chan > 0) {
                access__sync(e, actor, EV_SYNC_ACQUIRE, t->end_chan);
            }
            return;
        }
    }
}

void
access__pipe(struct engine *e, int actor, int fd, bool write)
{
    struct access *a = e->access;
    struct stat st;
    int chan;

    /* Both ends of an os.pipe() are one inode (multiprocessing's Queue
     * and one-way Pipe): the pipe is the channel.  Sockets are left out:
     * the two ends of a socketpair are not one file. */
    if (a == NULL || !e->races_armed || fstat(fd, &st) < 0
        || !S_ISFIFO(st.st_mode)) {
        return;
    }
    chan = keymap_get(&a->pipes, (uint64_t)st.st_dev, (uint64_t)st.st_ino,
                      0);
    if (chan == 0) {
        if (!write) {
            return;             /* nothing was ever written to it */
        }
        chan = (int)access__chan_new(e);
        keymap_put(&a->pipes, (uint64_t)st.st_dev, (uint64_t)st.st_ino,
                   chan);
    }
    access__sync(e, actor, write ? EV_SYNC_RELEASE : EV_SYNC_ACQUIRE, chan);
}

void
access__loop(struct engine *e, int actor, PyObject *loop, bool run)
{
    struct access *a = e->access;
    struct access_loop *l;
    int i;

    if (a == NULL || !e->races_armed) {
        return;
    }
    i = ptrmap_get(&a->loop_index, loop, -1);
    if (i < 0) {
        a->loops = xrealloc(a->loops, (size_t)(a->nloops + 1)
                                      * sizeof *a->loops);
        i = a->nloops++;
        a->loops[i] = (struct access_loop){ access__chan_new(e), 0, 0 };
        ptrmap_put(&a->loop_index, loop, i);
    }
    l = &a->loops[i];
    if (!run) {
        l->released++;
        access__sync(e, actor, EV_SYNC_RELEASE, l->chan);
    } else if (l->acquired != l->released) {
        /* Only the loop's thread runs its callbacks: one acquire after
         * each batch of releases says all there is to say. */
        l->acquired = l->released;
        access__sync(e, actor, EV_SYNC_ACQUIRE, l->chan);
    }
}

/* ---- Locations ---------------------------------------------------------- */

/* oparg of the instruction at lasti, with its EXTENDED_ARG prefixes. */
static int
oparg_at(const unsigned char *code, int lasti)
{
    int arg = code[lasti + 1];

    for (int i = lasti - 2, shift = 8; i >= 0 && code[i] == EXTENDED_ARG
                                       && shift < 32; i -= 2, shift += 8) {
        arg |= (int)code[i + 1] << shift;
    }
    return arg;
}

/* Can o's attributes change?  Not those of builtin objects without a
 * __dict__ (a list's append, a str's upper), nor of static or immutable
 * types, nor of a threading.local (each thread sees its own). */
static bool
attrs_may_change(PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);

    if (PyType_Check(o)) {
        unsigned long f = ((PyTypeObject *)o)->tp_flags;

        return (f & Py_TPFLAGS_HEAPTYPE) && !(f & Py_TPFLAGS_IMMUTABLETYPE);
    }
    for (PyTypeObject *b = tp; b != NULL; b = b->tp_base) {
        if (strcmp(b->tp_name, "_thread._local") == 0) {
            return false;
        }
    }
    return (tp->tp_flags & Py_TPFLAGS_HEAPTYPE) || tp->tp_dictoffset != 0;
}

/* Containers whose items never change: no race can be on them. */
static bool
items_may_change(PyObject *c)
{
    return !(PyTuple_Check(c) || PyUnicode_Check(c) || PyBytes_Check(c)
             || PyFrozenSet_Check(c) || PyRange_Check(c) || PyType_Check(c)
             || PyLong_Check(c) || PyFloat_Check(c) || c == Py_None
             || Py_IS_TYPE(c, &PyDictProxy_Type));
}

/* A key simple enough to name and compare without running Python code:
 * None, int, float, str, bytes, and tuples of those. */
static bool
is_simple_key(PyObject *k, int depth)
{
    if (k == Py_None || PyLong_CheckExact(k) || PyBool_Check(k)
        || PyFloat_CheckExact(k) || PyUnicode_CheckExact(k)
        || PyBytes_CheckExact(k)) {
        return true;
    }
    if (PyTuple_CheckExact(k) && depth < 3) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(k); i++) {
            if (!is_simple_key(PyTuple_GET_ITEM(k, i), depth + 1)) {
                return false;
            }
        }
        return true;
    }
    return false;
}

/* The key's part of an item's location: equal keys (1, 1.0, True; a list
 * index counted from either end) give equal numbers.  false: not a key
 * we follow. */
static bool
key_disc(PyObject *cont, PyObject *key, uint64_t *disc)
{
    Py_hash_t h;

    if (!is_simple_key(key, 0)) {
        return false;
    }
    if (PyLong_Check(key)) {
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(key, &overflow);

        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return false;
        }
        if (!overflow) {
            if (v < 0 && PyList_Check(cont)) {
                v += PyList_GET_SIZE(cont);
            }
            *disc = (uint64_t)v;
            return true;
        }
    } else if (PyFloat_CheckExact(key)) {
        double d = PyFloat_AS_DOUBLE(key);

        if (d == (double)(long long)d && d > -9e18 && d < 9e18) {
            *disc = (uint64_t)(long long)d;
            return true;
        }
    }
    h = PyObject_Hash(key);
    if (h == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return false;
    }
    /* Apart from small ints, where a string's hash could fall. */
    *disc = (uint64_t)h ^ 0x8000000000000000ULL;
    return true;
}

/* The scenario's name for o, seen from frame fr: a global first (shared
 * data usually has one), then a local other than self.  "" if none. */
static const char *
label_of(struct iframe311 *fr, PyObject *o)
{
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    PyCodeObject *co = fr->f_code;

    if (fr->f_globals != NULL && PyDict_Check(fr->f_globals)) {
        while (PyDict_Next(fr->f_globals, &pos, &key, &value)) {
            const char *s;

            if (value == o && PyUnicode_Check(key)
                && (s = PyUnicode_AsUTF8(key)) != NULL
                && strncmp(s, "__", 2) != 0) {
                return s;
            }
        }
    }
    for (int i = 0; i < co->co_nlocalsplus; i++) {
        const char *s;

        if (fr->localsplus[i] == o
            && (s = PyUnicode_AsUTF8(PyTuple_GET_ITEM(co->co_localsplusnames,
                                                      i))) != NULL
            && strcmp(s, "self") != 0) {
            return s;
        }
    }
    PyErr_Clear();
    return "";
}

/* Log what a new location is: EV_LOC. */
static void
log_loc(struct engine *e, int64_t id, enum ev_loc_kind kind,
        const char *name, const char *label, const char *type)
{
    struct ev ev = { .kind = EV_LOC, .actor = -1, .obj = -1, .a = id,
                     .b = kind };
    struct str s;

    str_init(&s);
    str_adds(&s, name);
    str_addc(&s, '\0');
    str_adds(&s, label);
    str_addc(&s, '\0');
    str_adds(&s, type);
    ev.str = s.p;
    ev.len = s.len;
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    str_fini(&s);
}

/* A new location entry for key (k1, k2) of object base; its id is 0
 * (not tracked) until the caller sets one. */
static struct access_loc *
loc_new(struct access *a, PyObject *base, uint64_t k1, uint64_t k2)
{
    void *block = block_of(base);
    int b = ptrmap_get(&a->bases, block, -1);
    int i;

    if (b < 0) {
        if (a->free_base >= 0) {
            b = a->free_base;
            a->free_base = a->bases_v[b].head;
        } else {
            if (a->nbases == a->capbases) {
                a->capbases = a->capbases ? a->capbases * 2 : 256;
                a->bases_v = xrealloc(a->bases_v, (size_t)a->capbases
                                                  * sizeof *a->bases_v);
            }
            b = a->nbases++;
        }
        a->bases_v[b].head = -1;
        ptrmap_put(&a->bases, block, b);
    }
    if (a->free_loc >= 0) {
        i = a->free_loc;
        a->free_loc = a->locs[i].next;
    } else {
        if (a->nlocs == a->caplocs) {
            a->caplocs = a->caplocs ? a->caplocs * 2 : 256;
            a->locs = xrealloc(a->locs, (size_t)a->caplocs * sizeof *a->locs);
        }
        i = a->nlocs++;
    }
    a->locs[i] = (struct access_loc){ k1, k2, 0, a->bases_v[b].head };
    a->bases_v[b].head = i;
    keymap_put(&a->lockey, k1, k2, i);
    return &a->locs[i];
}

/* The text of a key, as Python prints it, cut to a readable length. */
static void
key_text(PyObject *key, char *buf, size_t size)
{
    PyObject *r = PyObject_Repr(key);
    const char *s = r != NULL ? PyUnicode_AsUTF8(r) : NULL;
    size_t n;

    if (s == NULL) {
        PyErr_Clear();
        s = "?";
    }
    n = strlen(s);
    if (n >= size) {
        /* Cut at a character boundary and say so. */
        n = size - 4;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) {
            n--;
        }
        memcpy(buf, s, n);
        memcpy(buf + n, "...", 4);
    } else {
        memcpy(buf, s, n + 1);
    }
    Py_XDECREF(r);
}

/* What the access at hand touches.  Filled by find_target. */
struct target {
    enum ev_loc_kind kind;
    PyObject *base;             /* borrowed: the object it belongs to */
    PyObject *name;             /* borrowed: a str (global, attribute,
                                   cell), or the key of an item */
    uint64_t disc;
};

static const char *
utf8_or(PyObject *s, const char *dflt)
{
    const char *r = s != NULL && PyUnicode_Check(s) ? PyUnicode_AsUTF8(s)
                                                    : NULL;

    if (r == NULL) {
        PyErr_Clear();
        return dflt;
    }
    return r;
}

/* The location id of target t, made (and logged) the first time; 0 when
 * it is not one to follow. */
static int64_t
loc_id(struct engine *e, struct iframe311 *fr, const struct target *t)
{
    struct access *a = e->access;
    uint64_t k1 = (uint64_t)(uintptr_t)t->base | (uint64_t)t->kind;
    int i = keymap_get(&a->lockey, k1, t->disc, -1);
    struct access_loc *l;
    char keybuf[64];
    const char *name, *label = "", *type = "";

    if (i >= 0) {
        return a->locs[i].id;
    }
    l = loc_new(a, t->base, k1, t->disc);
    switch (t->kind) {
    case EV_LOC_GLOBAL:
        name = utf8_or(t->name, "?");
        label = utf8_or(PyDict_GetItemString(t->base, "__name__"), "");
        break;
    case EV_LOC_ATTR:
        if (!attrs_may_change(t->base)) {
            return 0;
        }
        name = utf8_or(t->name, "?");
        if (PyType_Check(t->base)) {
            label = ((PyTypeObject *)t->base)->tp_name;
            type = "type";
        } else {
            label = label_of(fr, t->base);
            type = Py_TYPE(t->base)->tp_name;
        }
        break;
    case EV_LOC_ITEM:
        if (!items_may_change(t->base)) {
            return 0;
        }
        key_text(t->name, keybuf, sizeof keybuf);
        name = keybuf;
        label = label_of(fr, t->base);
        type = Py_TYPE(t->base)->tp_name;
        break;
    case EV_LOC_CELL:
    default:
        name = utf8_or(t->name, "?");
        break;
    }
    l->id = ++e->sh->next_loc;
    log_loc(e, l->id, t->kind, name, label, type);
    return l->id;
}

/* A global variable (or a module's attribute): the module's dict and the
 * name.  A read of a name the dict lacks reads a builtin (print, range):
 * false, nothing to follow. */
static bool
global_target(struct target *t, PyObject *globals, PyObject *name,
              bool reads)
{
    Py_hash_t h;

    if (globals == NULL || !PyDict_Check(globals) || !PyUnicode_Check(name)
        || (h = PyObject_Hash(name)) == -1) {
        PyErr_Clear();
        return false;
    }
    if (reads && PyDict_GetItemWithError(globals, name) == NULL) {
        PyErr_Clear();
        return false;
    }
    t->kind = EV_LOC_GLOBAL;
    t->base = globals;
    t->name = name;
    t->disc = (uint64_t)h;
    return true;
}

static bool
attr_target(struct target *t, PyObject *owner, PyObject *name)
{
    Py_hash_t h;

    if (PyModule_Check(owner)) {
        /* config.x and config's own `global x` are one variable. */
        PyObject *dict = PyModule_GetDict(owner);       /* borrowed */

        return dict != NULL && global_target(t, dict, name, false);
    }
    if (!PyUnicode_Check(name) || (h = PyObject_Hash(name)) == -1) {
        PyErr_Clear();
        return false;
    }
    t->kind = EV_LOC_ATTR;
    t->base = owner;
    t->name = name;
    t->disc = (uint64_t)h;
    return true;
}

static bool
item_target(struct target *t, PyObject *cont, PyObject *key)
{
    if (!key_disc(cont, key, &t->disc)) {
        return false;
    }
    t->kind = EV_LOC_ITEM;
    t->base = cont;
    t->name = key;
    return true;
}

/* What instruction op of frame fr is about to touch.  The operands are on
 * the value stack: CPython stored its pointer before calling the tracer
 * (Python/ceval.c, DO_TRACING). */
static bool
find_target(struct iframe311 *fr, const unsigned char *code, int lasti,
            int op, struct target *t)
{
    PyCodeObject *co = fr->f_code;
    int oparg = oparg_at(code, lasti);
    int depth = fr->stacktop - co->co_nlocalsplus;
    PyObject **sp = fr->localsplus + fr->stacktop;
    PyObject *names = co->co_names;

#define NAME(i) ((i) >= 0 && (i) < PyTuple_GET_SIZE(names) \
                 ? PyTuple_GET_ITEM(names, i) : NULL)
    switch (op) {
    case LOAD_GLOBAL:
        return NAME(oparg >> 1) != NULL
               && global_target(t, fr->f_globals, NAME(oparg >> 1), true);
    case STORE_GLOBAL:
    case DELETE_GLOBAL:
        return NAME(oparg) != NULL
               && global_target(t, fr->f_globals, NAME(oparg), false);
    case LOAD_NAME:
    case STORE_NAME:
    case DELETE_NAME:
        /* Only at module level, where the names are the globals. */
        return fr->f_locals == fr->f_globals && NAME(oparg) != NULL
               && global_target(t, fr->f_globals, NAME(oparg),
                                op == LOAD_NAME);
    case LOAD_ATTR:
    case LOAD_METHOD:
    case STORE_ATTR:
    case DELETE_ATTR:
        return depth >= 1 && sp[-1] != NULL && NAME(oparg) != NULL
               && attr_target(t, sp[-1], NAME(oparg));
    case BINARY_SUBSCR:
    case STORE_SUBSCR:
    case DELETE_SUBSCR:
        return depth >= 2 && sp[-2] != NULL && sp[-1] != NULL
               && item_target(t, sp[-2], sp[-1]);
    case CONTAINS_OP:
        /* `k in d`: whether d has k is a read of d[k]. */
        return depth >= 2 && sp[-1] != NULL && PyDict_Check(sp[-1])
               && sp[-2] != NULL && item_target(t, sp[-1], sp[-2]);
    case LOAD_DEREF:
    case STORE_DEREF:
    case DELETE_DEREF:
        if (oparg < 0 || oparg >= co->co_nlocalsplus
            || fr->localsplus[oparg] == NULL
            || !PyCell_Check(fr->localsplus[oparg])) {
            return false;
        }
        t->kind = EV_LOC_CELL;
        t->base = fr->localsplus[oparg];
        t->name = PyTuple_GET_ITEM(co->co_localsplusnames, oparg);
        t->disc = 0;
        return true;
    default:
        return false;
    }
#undef NAME
}

void
access__opcode(struct engine *e, struct engine_thread *t, PyFrameObject *f,
               const unsigned char *code, int lasti, int op, int code_id)
{
    struct iframe311 *fr = FRAME(f)->f_frame;
    struct access_seen *s;
    struct target tg;
    int64_t loc;
    int actor = t->cur_task >= 0 ? t->cur_task : t->actor;
    uint64_t h;
    struct ev ev = { .kind = EV_ACCESS, .obj = -1 };

    if (e->access == NULL || fr->stacktop < fr->f_code->co_nlocalsplus
        || !find_target(fr, code, lasti, op, &tg)) {
        PyErr_Clear();
        return;
    }
    loc = loc_id(e, fr, &tg);
    if (loc <= 0) {
        return;
    }
    if (t->access_seen == NULL) {
        t->access_seen = xcalloc(ACCESS_SEEN, sizeof *t->access_seen);
    }
    h = (uint64_t)loc * 0x9e3779b97f4a7c15ULL
        ^ ((uint64_t)code_id << 32 | (uint32_t)lasti)
        ^ (uint64_t)actor * 0xff51afd7ed558ccdULL;
    h ^= h >> 29;
    s = &t->access_seen[h & (ACCESS_SEEN - 1)];
    if (s->epoch == t->access_epoch + 1 && s->loc == loc
        && s->code == code_id && s->offset == lasti && s->actor == actor) {
        return;                 /* already said in this epoch */
    }
    *s = (struct access_seen){ loc, t->access_epoch + 1, code_id, lasti,
                               actor };
    ev.actor = actor;
    ev.a = loc;
    ev.b = access__ops[op] - 1;
    ev.c = code_id;
    ev.d = PyCode_Addr2Line(fr->f_code, lasti);
    ev.x = lasti;
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
}
