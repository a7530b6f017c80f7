/*
 * One process, many runs.  telar explore forks each run from the zygote;
 * where a fork and every page it copies cost what they cost on the
 * machines telar is measured on (a page fault ~20 us, fork and exit
 * ~1.3 ms), the fork is most of a run.  So a process forked for a run may
 * go on to the next run itself, when what the run left behind is known to
 * be put back as the zygote had it:
 *
 * - the engine's own state (the shared arena with the scheduler and the
 *   log, the thread table, the maps from Python objects to scheduler
 *   objects, the Locks born before the run) is copied when the process
 *   starts and copied back;
 * - the interpreter's is checked: the run must have ended as a plain run
 *   ends (the main module returned, every other thread ended, one
 *   process, nothing that could run code at teardown), imported nothing,
 *   and left as they were every module's namespace, every module-level
 *   list, set and dictionary, every class, the instance dictionaries of
 *   module-level objects (dictionary and type version tags), the signal
 *   handlers, timers and mask, the lowest free descriptor, the working
 *   directory, the limits, the collector's settings, the atexit and audit
 *   hooks.  The few things every run changes are put back: threading's
 *   counter of thread names (any module-level itertools.count), random's
 *   state, the collector's counts, and __main__, which each run gets anew
 *   from the dictionary its module began with, running the same code.
 *
 * A run that fails a check ends as every run ends (threading._shutdown,
 * CPython's finalization or the fast exit of zygote.c), and the process
 * with it; the next run is forked from the zygote again.  The check
 * happens where CPython's finalization would begin: threading._shutdown,
 * which this process replaces with reuse_shutdown.
 *
 * What cannot be put back is where objects lie in memory and which of
 * them the collector holds in which generation.  So a run is "tainted"
 * when the collector freed objects during it, or objects that may run
 * code when freed are left at its end (a finalizer or a weak reference's
 * callback could have run at another moment in a forked run):
 * cmd-explore.c then runs it again in a fork, and forks every run of
 * that worker after it.  And each worker runs its first job three times,
 * forked, first in a process that may go on, and gone on to, and forks
 * every run if they differ (output that shows addresses or thread
 * idents).  TELAR_NO_REUSE turns all this off.  Layer: engine; zygote.c
 * starts it.
 */
#include "config.h"

#include "engine/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "engine/breaker.h"

/* A dictionary that must look the same after a run: by its version tag,
 * or, for the tables that change and come back (threading's _active and
 * _limbo), by its contents (copy). */
struct wdict {
    PyObject *d;                /* strong */
    uint64_t version;
    PyObject *copy;             /* strong, or NULL */
};

/* A list or set: its length and the identities of its items. */
struct wseq {
    PyObject *o;                /* strong */
    Py_ssize_t len;
    uintptr_t sum;
};

struct wtype {
    PyTypeObject *tp;           /* strong */
    unsigned int tag;
};

/* A module-level itertools.count (or its bound __next__): threading's
 * _counter names threads "Thread-N". */
struct wcount {
    PyObject *dict;             /* strong: the module's namespace */
    PyObject *key;              /* strong */
    PyObject *repr;             /* strong: "count(N)" when the run began */
    long long start;
    bool bound;                 /* the value is count(N).__next__ */
};

#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec, x)                                                   \
    do {                                                                   \
        if ((vec).n == (vec).cap) {                                        \
            (vec).cap = (vec).cap ? (vec).cap * 2 : 64;                    \
            (vec).v = xrealloc((vec).v, (vec).cap * sizeof *(vec).v);      \
        }                                                                  \
        (vec).v[(vec).n++] = (x);                                          \
    } while (0)

#define REUSE_COLLECT 64

struct reuse {
    int go_fd, done_fd;
    uint64_t runs;
    /* the engine as the first run found it */
    char *arena;                /* the pages resident then, at their place */
    size_t arena_used, page, npages;
    unsigned char *resident, *now;      /* pages held, then and now */
    struct arena *arena_now;
    struct engine_thread *threads;
    size_t nactors;
    struct ptrmap syncs, tasks;
    uint64_t urandom_state;
    bool opcode_mode;
    int use_tracing;            /* the main thread's root C frame's */
    struct engine_gc_state gc;
    /* the interpreter */
    PyObject *shutdown;         /* strong: threading's own _shutdown */
    PyObject *pristine;         /* strong: __main__'s namespace at its start */
    PyObject *code;             /* strong: the main module's code */
    PyObject *random_inst;      /* strong */
    PyObject *random_state;     /* strong */
    PyObject *count_type;       /* strong: itertools.count */
    PyObject *sys_modules;      /* strong */
    uint64_t sys_modules_version;
    VEC(struct wdict) dicts;
    VEC(struct wseq) seqs;
    VEC(struct wtype) types;
    VEC(struct wcount) counts;
    int atexit_n;
    struct engine_interp_mark mark;
    int lowest_fd;              /* the descriptor open() would give */
    PyObject *getsignal;        /* strong: _signal.getsignal */
    PyObject *signals;          /* strong: each signal's handler, a list */
    sigset_t sigmask;
    int recursion_limit;
    unsigned long switch_interval;
    char *cwd;
    struct rusage last;
    Py_ssize_t gc_found;        /* engine__gc_found when the run began */
};

/* One engine a process. */
static struct engine *reuse_engine;

/* TELAR_REUSE_DEBUG=FILE: why a run could not be followed by another. */
static bool
refuse(const char *why)
{
    const char *path = getenv("TELAR_REUSE_DEBUG");

    if (path != NULL) {
        int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

        if (fd >= 0) {
            dprintf(fd, "reuse: no: %s\n", why);
            close(fd);
        }
    }
    return false;
}

static uint64_t
dict_version(PyObject *d)
{
    return ((PyDictObject *)d)->ma_version_tag;
}

static void
watch_dict(struct reuse *r, PyObject *d, bool copy)
{
    struct wdict w = { d, dict_version(d), NULL };

    if (copy) {
        w.copy = PyDict_Copy(d);
        if (w.copy == NULL) {
            PyErr_Clear();
        }
    }
    Py_INCREF(d);
    VEC_PUSH(r->dicts, w);
}

static void
seq_shape(PyObject *o, Py_ssize_t *len, uintptr_t *sum)
{
    uintptr_t s = 0;

    if (PyList_CheckExact(o)) {
        *len = PyList_GET_SIZE(o);
        for (Py_ssize_t i = 0; i < *len; i++) {
            s += (uintptr_t)PyList_GET_ITEM(o, i) * (uintptr_t)(2 * i + 1);
        }
    } else {
        Py_ssize_t pos = 0;
        PyObject *key;
        Py_hash_t hash;

        *len = PySet_GET_SIZE(o);
        while (_PySet_NextEntry(o, &pos, &key, &hash)) {
            s += (uintptr_t)key;
        }
    }
    *sum = s;
}

static void
watch_seq(struct reuse *r, PyObject *o)
{
    struct wseq w = { o, 0, 0 };

    seq_shape(o, &w.len, &w.sum);
    Py_INCREF(o);
    VEC_PUSH(r->seqs, w);
}

/* The count behind v (a count, or its bound __next__), borrowed; NULL. */
static PyObject *
count_of(struct reuse *r, PyObject *v, bool *bound)
{
    if (Py_TYPE(v) == (PyTypeObject *)r->count_type) {
        *bound = false;
        return v;
    }
    if (strcmp(Py_TYPE(v)->tp_name, "method-wrapper") == 0) {
        PyObject *self = PyObject_GetAttrString(v, "__self__");
        bool is = self != NULL
                  && Py_TYPE(self) == (PyTypeObject *)r->count_type;

        PyErr_Clear();
        Py_XDECREF(self);       /* the method-wrapper keeps it alive */
        if (is) {
            *bound = true;
            return self;
        }
    }
    return NULL;
}

/* "count(N)" -> N; -1 when it has a step or is not that. */
static long long
count_start(PyObject *repr)
{
    const char *s = PyUnicode_AsUTF8(repr);
    char *end;
    long long n;

    if (s == NULL || strncmp(s, "count(", 6) != 0) {
        PyErr_Clear();
        return -1;
    }
    errno = 0;
    n = strtoll(s + 6, &end, 10);
    return errno == 0 && end != s + 6 && strcmp(end, ")") == 0 ? n : -1;
}

static void
watch_count(struct reuse *r, PyObject *dict, PyObject *key, PyObject *cnt,
            bool bound)
{
    struct wcount w = { dict, key, PyObject_Repr(cnt), 0, bound };

    if (w.repr == NULL) {
        PyErr_Clear();
        return;
    }
    w.start = count_start(w.repr);
    Py_INCREF(dict);
    Py_INCREF(key);
    VEC_PUSH(r->counts, w);
}

/* A module-level value: what of it must be the same after a run. */
static void
watch_value(struct reuse *r, PyObject *dict, PyObject *key, PyObject *v,
            int depth)
{
    PyTypeObject *tp = Py_TYPE(v);
    bool bound;
    PyObject *cnt;

    if (PyList_CheckExact(v) || PySet_CheckExact(v)) {
        watch_seq(r, v);
    } else if (PyDict_CheckExact(v)) {
        /* sys.modules is checked apart: each run has its own __main__. */
        if (v != r->sys_modules) {
            watch_dict(r, v, true);
        }
    } else if (depth == 0 && (cnt = count_of(r, v, &bound)) != NULL) {
        watch_count(r, dict, key, cnt, bound);
    } else if (depth == 0 && (tp->tp_flags & Py_TPFLAGS_HEAPTYPE)
               && !PyType_Check(v) && !PyModule_Check(v)
               && v != r->random_inst) {
        /* An object of a class: the attributes in its __dict__, one level
         * down (os.environ's _data, threading's main thread). */
        PyObject **dp = _PyObject_GetDictPtr(v);
        PyObject *k, *x;
        Py_ssize_t pos = 0;

        if (dp == NULL || *dp == NULL || !PyDict_Check(*dp)) {
            PyErr_Clear();
            return;
        }
        watch_dict(r, *dp, false);
        while (PyDict_Next(*dp, &pos, &k, &x)) {
            watch_value(r, *dp, k, x, depth + 1);
        }
    }
}

static void
watch_types(struct reuse *r, PyTypeObject *tp, PyObject *probe)
{
    PyObject *subs;
    struct wtype w;

    /* A lookup gives the type a version tag; changing the class takes it
     * away (PyType_Modified). */
    (void)_PyType_Lookup(tp, probe);
    w.tp = tp;
    w.tag = (tp->tp_flags & Py_TPFLAGS_VALID_VERSION_TAG)
            ? tp->tp_version_tag : 0;
    Py_INCREF(tp);
    VEC_PUSH(r->types, w);
    subs = PyObject_CallMethod((PyObject *)tp, "__subclasses__", NULL);
    if (subs == NULL) {
        PyErr_Clear();
        return;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(subs); i++) {
        watch_types(r, (PyTypeObject *)PyList_GET_ITEM(subs, i), probe);
    }
    Py_DECREF(subs);
}

static int
atexit_count(void)
{
    PyObject *m = PyImport_ImportModule("atexit");
    PyObject *n = m != NULL ? PyObject_CallMethod(m, "_ncallbacks", NULL)
                            : NULL;
    int k = n != NULL ? (int)PyLong_AsLong(n) : -1;

    Py_XDECREF(n);
    Py_XDECREF(m);
    PyErr_Clear();
    return k;
}

static PyMethodDef reuse_shutdown_def;

static int
lowest_fd(void)
{
    int fd = fcntl(0, F_DUPFD_CLOEXEC, 0);

    if (fd >= 0) {
        close(fd);
    }
    return fd;
}

/* The handler of every signal, in a list (_signal.getsignal). */
static PyObject *
signal_handlers(struct reuse *r)
{
    PyObject *list = PyList_New(0);

    if (list == NULL || r->getsignal == NULL) {
        PyErr_Clear();
        return list;
    }
    for (int sig = 1; sig < NSIG; sig++) {
        PyObject *h = PyObject_CallFunction(r->getsignal, "i", sig);

        if (h == NULL) {
            PyErr_Clear();
            h = Py_NewRef(Py_None);
        }
        if (PyList_Append(list, h) < 0) {
            PyErr_Clear();
        }
        Py_DECREF(h);
    }
    return list;
}

/* Timers (signal.alarm, setitimer) and the blocked signals: none of the
 * first, and the second as they were. */
static bool
timers_and_mask_same(struct reuse *r)
{
    static const int which[] = { ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF };
    sigset_t mask;

    for (size_t i = 0; i < sizeof which / sizeof which[0]; i++) {
        struct itimerval it;

        if (getitimer(which[i], &it) < 0 || it.it_value.tv_sec != 0
            || it.it_value.tv_usec != 0) {
            return false;
        }
    }
    sigemptyset(&mask);
    if (pthread_sigmask(SIG_BLOCK, NULL, &mask) != 0) {
        return false;
    }
    for (int sig = 1; sig < NSIG; sig++) {
        if (sigismember(&mask, sig) != sigismember(&r->sigmask, sig)) {
            return false;
        }
    }
    return true;
}

static bool
signals_same(struct reuse *r)
{
    PyObject *now = signal_handlers(r);
    bool same = now != NULL && r->signals != NULL
                && PyList_GET_SIZE(now) == PyList_GET_SIZE(r->signals);

    for (Py_ssize_t i = 0; same && i < PyList_GET_SIZE(now); i++) {
        same = PyList_GET_ITEM(now, i) == PyList_GET_ITEM(r->signals, i);
    }
    Py_XDECREF(now);
    return same;
}

/* Everything a run must leave as it found it, noted before the first. */
static int
watch_all(struct reuse *r)
{
    PyObject *threading = PyImport_ImportModule("threading");
    PyObject *random = PyImport_ImportModule("random");
    PyObject *itertools = PyImport_ImportModule("itertools");
    /* Imported now, before sys.modules is noted (gc.freeze below). */
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *atexit = PyImport_ImportModule("atexit");
    PyObject *signal = PyImport_ImportModule("_signal");
    PyObject *fn = NULL, *key, *mod, *probe;
    Py_ssize_t pos = 0;
    char buf[PATH_MAX];

    if (threading == NULL || random == NULL || itertools == NULL
        || gc == NULL || atexit == NULL || signal == NULL) {
        goto error;
    }
    r->shutdown = PyObject_GetAttrString(threading, "_shutdown");
    fn = PyCFunction_New(&reuse_shutdown_def, NULL);
    r->random_inst = PyObject_GetAttrString(random, "_inst");
    r->count_type = PyObject_GetAttrString(itertools, "count");
    if (r->shutdown == NULL || fn == NULL || r->random_inst == NULL
        || r->count_type == NULL) {
        goto error;
    }
    r->random_state = PyObject_CallMethod(r->random_inst, "getstate", NULL);
    if (r->random_state == NULL
        || PyObject_SetAttrString(threading, "_shutdown", fn) < 0) {
        goto error;
    }
    r->sys_modules = PyImport_GetModuleDict();
    Py_INCREF(r->sys_modules);
    while (PyDict_Next(r->sys_modules, &pos, &key, &mod)) {
        PyObject *d, *k, *v;
        Py_ssize_t p = 0;

        if (!PyModule_Check(mod)
            || PyUnicode_CompareWithASCIIString(key, "__main__") == 0) {
            continue;
        }
        d = PyModule_GetDict(mod);
        watch_dict(r, d, false);
        while (PyDict_Next(d, &p, &k, &v)) {
            watch_value(r, d, k, v, 0);
        }
    }
    /* Versions last: making instance dictionaries bumped some. */
    r->sys_modules_version = dict_version(r->sys_modules);
    for (size_t i = 0; i < r->dicts.n; i++) {
        r->dicts.v[i].version = dict_version(r->dicts.v[i].d);
    }
    probe = PyUnicode_InternFromString("__telar_reuse_probe__");
    if (probe == NULL) {
        goto undo;
    }
    watch_types(r, &PyBaseObject_Type, probe);
    Py_DECREF(probe);
    r->atexit_n = atexit_count();
    r->getsignal = PyObject_GetAttrString(signal, "getsignal");
    PyErr_Clear();
    r->signals = signal_handlers(r);
    sigemptyset(&r->sigmask);
    pthread_sigmask(SIG_BLOCK, NULL, &r->sigmask);
    r->recursion_limit = Py_GetRecursionLimit();
    r->switch_interval = _PyEval_GetSwitchInterval();
    r->cwd = xstrdup(getcwd(buf, sizeof buf) != NULL ? buf : "");
    Py_DECREF(fn);
    Py_DECREF(threading);
    Py_DECREF(random);
    Py_DECREF(itertools);
    Py_XDECREF(gc);
    Py_XDECREF(atexit);
    Py_XDECREF(signal);
    return 0;
undo:
    PyErr_Clear();
    PyObject_SetAttrString(threading, "_shutdown", r->shutdown);
error:
    PyErr_Clear();
    Py_XDECREF(fn);
    Py_XDECREF(threading);
    Py_XDECREF(random);
    Py_XDECREF(itertools);
    Py_XDECREF(gc);
    Py_XDECREF(atexit);
    Py_XDECREF(signal);
    return -1;
}

static void
mark_pages(size_t first, size_t n, void *ctx)
{
    memset((unsigned char *)ctx + first, 1, n);
}

/* Pages [first, first + n) of the arena, held now: as they were when the
 * first run began, or zero if they were holes then. */
static void
restore_pages(size_t first, size_t n, void *ctx)
{
    struct reuse *r = ctx;

    for (size_t i = first; i < first + n && i < r->npages; i++) {
        char *p = (char *)r->arena_now + i * r->page;

        if (r->resident[i] & 1) {
            memcpy(p, r->arena + i * r->page, r->page);
        } else {
            memset(p, 0, r->page);
        }
    }
}

/* CPython's arena allocator (obmalloc's arenas, and each new thread's
 * frame stack) maps and unmaps memory; every page of a fresh mapping
 * costs a fault when first written.  Runs one after another make and
 * drop the same blocks: keep a few of those given back. */
#define REUSE_CACHED 64

static PyObjectArenaAllocator cache_real;
static struct {
    void *p;
    size_t n;
} cache_v[REUSE_CACHED];
static size_t cache_n;

static void *
cache_alloc(void *ctx, size_t n)
{
    (void)ctx;
    for (size_t i = cache_n; i-- > 0;) {
        if (cache_v[i].n == n) {
            void *p = cache_v[i].p;

            cache_v[i] = cache_v[--cache_n];
            return p;
        }
    }
    return cache_real.alloc(cache_real.ctx, n);
}

static void
cache_free(void *ctx, void *p, size_t n)
{
    (void)ctx;
    if (p != NULL && cache_n < REUSE_CACHED) {
        cache_v[cache_n].p = p;
        cache_v[cache_n].n = n;
        cache_n++;
        return;
    }
    cache_real.free(cache_real.ctx, p, n);
}

int
engine__reuse_start(struct engine *e, int go_fd, int done_fd)
{
    struct reuse *r;
    struct engine_gc_state gc;
    PyObject *m, *res;

    if (getenv("TELAR_NO_REUSE") != NULL || e->proc != 0) {
        return -1;
    }
    /* As engine_exec will (again, to the same effect): the main thread's
     * tracer is part of what every run starts with. */
    tracer__install(e, &e->threads[sched_current(e->sched)]);
    r = xcalloc(1, sizeof *r);
    r->go_fd = go_fd;
    r->done_fd = done_fd;
    /* What follows makes and drops objects: the first run must find the
     * collector's counts as a forked run would. */
    engine__gc_save(&gc);
    if (watch_all(r) < 0) {
        /* Half watched: this process runs one run and ends, as it would
         * have without reuse (what was noted is never read). */
        engine__gc_restore(&gc);
        return -1;
    }
    /* The zygote's objects, and what was just noted, into the permanent
     * generation: a run's collections and the check for objects that may
     * run code at teardown then see only what runs made. */
    m = PyImport_ImportModule("gc");
    res = m != NULL ? PyObject_CallMethod(m, "freeze", NULL) : NULL;
    Py_XDECREF(res);
    Py_XDECREF(m);
    PyErr_Clear();
    engine__gc_restore(&gc);
    r->gc = gc;
    telarmod_locks_save();
    r->arena_used = arena_used(e->arena);
    r->page = (size_t)sysconf(_SC_PAGESIZE);
    r->npages = (r->arena_used + r->page - 1) / r->page;
    r->resident = xcalloc(r->npages, 1);
    r->now = xmalloc(r->npages);
    if (arena_extents(e->arena, r->npages * r->page, mark_pages,
                      r->resident) < 0
        && mincore((void *)e->arena, r->npages * r->page, r->resident) < 0) {
        memset(r->resident, 1, r->npages);
    }
    /* Only the pages ever touched: the others are zero (and the log's
     * buffer is most of the arena). */
    r->arena = xmalloc(r->npages * r->page);
    for (size_t i = 0; i < r->npages; i++) {
        if (r->resident[i] & 1) {
            memcpy(r->arena + i * r->page, (char *)e->arena + i * r->page,
                   r->page);
        }
    }
    r->nactors = sched_nactors(e->sched);
    r->threads = xmalloc(e->nthreads_cap * sizeof *r->threads);
    memcpy(r->threads, e->threads, e->nthreads_cap * sizeof *r->threads);
    ptrmap_copy(&r->syncs, &e->syncs);
    ptrmap_copy(&r->tasks, &e->tasks);
    r->urandom_state = e->urandom_state;
    r->opcode_mode = e->opcode_mode;
    r->use_tracing = PyThreadState_Get()->cframe->use_tracing;
    getrusage(RUSAGE_SELF, &r->last);
    r->gc_found = engine__gc_found();
    /* Under the memory bound's count, when there is one: a block kept
     * here was given back as far as the bound knows. */
    {
        PyObjectArenaAllocator cache = { NULL, cache_alloc, cache_free };

        if (e->memory != NULL) {
            memory__swap_arena_below(e, &cache_real, &cache);
        } else {
            PyObject_GetArenaAllocator(&cache_real);
            PyObject_SetArenaAllocator(&cache);
        }
    }
    e->reuse = r;
    e->reuse_want_main = true;
    reuse_engine = e;
    return 0;
}

void
engine__reuse_main_start(struct engine *e, struct engine_thread *t,
                         PyCodeObject *code, PyObject *globals)
{
    struct reuse *r = e->reuse;

    if (t->actor != e->sh->procs[0].actor
        || PyUnicode_CompareWithASCIIString(code->co_name, "<module>") != 0
        || globals == NULL || !PyDict_Check(globals)) {
        return;
    }
    e->reuse_want_main = false;
    /* What Py_RunMain did before the module began (sys.path[0], the
     * importer cache, __main__) every run finds done: watch from here. */
    r->sys_modules_version = dict_version(r->sys_modules);
    for (size_t i = 0; i < r->dicts.n; i++) {
        r->dicts.v[i].version = dict_version(r->dicts.v[i].d);
    }
    for (size_t i = 0; i < r->seqs.n; i++) {
        seq_shape(r->seqs.v[i].o, &r->seqs.v[i].len, &r->seqs.v[i].sum);
    }
    engine__interp_mark(&r->mark);
    r->lowest_fd = lowest_fd();
    for (size_t i = 0; i < r->dicts.n; i++) {
        if (r->dicts.v[i].copy != NULL) {
            Py_SETREF(r->dicts.v[i].copy, PyDict_Copy(r->dicts.v[i].d));
            if (r->dicts.v[i].copy == NULL) {
                PyErr_Clear();
            }
        }
    }
    r->pristine = PyDict_Copy(globals);
    if (r->pristine == NULL) {
        PyErr_Clear();
        return;
    }
    Py_INCREF(code);
    r->code = (PyObject *)code;
}

/* ---- The check ----------------------------------------------------------- */

static bool
dict_same(struct wdict *w)
{
    PyObject *k, *v;
    Py_ssize_t pos = 0;

    if (dict_version(w->d) == w->version) {
        return true;
    }
    if (w->copy == NULL || PyDict_GET_SIZE(w->d) != PyDict_GET_SIZE(w->copy)) {
        return false;
    }
    while (PyDict_Next(w->copy, &pos, &k, &v)) {
        PyObject *now = PyDict_GetItemWithError(w->d, k);

        if (now != v) {
            PyErr_Clear();
            return false;
        }
    }
    w->version = dict_version(w->d);
    return true;
}

static bool
young_may_run_code(PyObject *o, void *ctx)
{
    return engine__may_run_code(ctx, o);
}

/* Let the threads that ended leave CPython (they delete their thread
 * states with the GIL, after giving the baton away).  False if one does
 * not. */
static bool
threads_gone(void)
{
    PyInterpreterState *interp = PyInterpreterState_Get();

    for (int i = 0; i < 100000; i++) {
        PyThreadState *ts = PyInterpreterState_ThreadHead(interp);
        int n = 0;

        for (; ts != NULL; ts = PyThreadState_Next(ts)) {
            n++;
        }
        if (n <= 1) {
            return true;
        }
        Py_BEGIN_ALLOW_THREADS
        if (i < 1000) {
            sched_yield();
        } else {
            usleep(100);
        }
        Py_END_ALLOW_THREADS
    }
    return false;
}

/* A fresh __main__, as CPython made it for the first run. */
static int
fresh_main(struct reuse *r)
{
    PyObject *m = PyModule_New("__main__");
    PyObject *d, *k, *v;
    Py_ssize_t pos = 0;

    if (m == NULL) {
        return -1;
    }
    d = PyModule_GetDict(m);
    PyDict_Clear(d);
    while (PyDict_Next(r->pristine, &pos, &k, &v)) {
        PyObject *x = PyDict_CheckExact(v) ? PyDict_Copy(v) : Py_NewRef(v);

        if (x == NULL || PyDict_SetItem(d, k, x) < 0) {
            Py_XDECREF(x);
            Py_DECREF(m);
            return -1;
        }
        Py_DECREF(x);
    }
    if (PyDict_SetItemString(r->sys_modules, "__main__", m) < 0) {
        Py_DECREF(m);
        return -1;
    }
    Py_DECREF(m);               /* sys.modules has it */
    return 0;
}

static bool tables_same(struct reuse *r);

/* Whether the run that just ended left everything as reuse_reset can put
 * it back; when true, the streams have been flushed.  left: objects that
 * may run code when freed are left (reuse_shutdown looked). */
static bool
reuse_gate(struct engine *e, struct reuse *r, bool left)
{
    char buf[PATH_MAX];
    int main_actor = e->sh->procs[0].actor;
    struct engine_interp_mark mark;
    PyObject *old;

    if (r->code == NULL || r->pristine == NULL || e->proc != 0
        || e->sh->nprocs != 1 || e->sh->nhelpers != 0 || !e->main_known
        || e->main_status != 0 || e->main_raised != NULL || e->ended
        || e->finishing || PyErr_Occurred()
        || sched_nalive(e->sched) != 1
        || sched_current(e->sched) != main_actor) {
        return refuse("how the run ended");
    }
    for (size_t i = 0; i < r->nactors; i++) {
        const struct engine_thread *a = &e->threads[i], *b = &r->threads[i];

        if (a->tracer != b->tracer || a->sentinel != b->sentinel
            || a->boot_func != b->boot_func || a->fds != b->fds) {
            return refuse("a thread of the zygote changed");
        }
    }
    for (size_t i = r->nactors; i < sched_nactors(e->sched)
                                && i < e->nthreads_cap; i++) {
        if (e->threads[i].used && !e->threads[i].finished) {
            return refuse("a thread goes on");
        }
    }
    if (Py_MakePendingCalls() < 0) {
        PyErr_Clear();
        return refuse("a pending call failed");
    }
    if (!tracer__sparse_idle(e) || !threads_gone()) {
        return refuse("sparse frames or threads left");
    }
    if (dict_version(r->sys_modules) != r->sys_modules_version) {
        return refuse("a module was imported");
    }
    for (size_t i = 0; i < r->dicts.n; i++) {
        if (r->dicts.v[i].copy == NULL && !dict_same(&r->dicts.v[i])) {
            return refuse("a module's namespace or an object's "
                          "attributes changed");
        }
    }
    for (size_t i = 0; i < r->types.n; i++) {
        PyTypeObject *tp = r->types.v[i].tp;

        if (r->types.v[i].tag != 0
            && (!(tp->tp_flags & Py_TPFLAGS_VALID_VERSION_TAG)
                || tp->tp_version_tag != r->types.v[i].tag)) {
            return refuse(tp->tp_name);
        }
    }
    for (size_t i = 0; i < r->counts.n; i++) {
        if (r->counts.v[i].start < 0) {
            /* A count with a step: only unchanged will do. */
            PyObject *v = PyDict_GetItemWithError(r->counts.v[i].dict,
                                                  r->counts.v[i].key);
            bool bound;
            PyObject *c = v != NULL ? count_of(r, v, &bound) : NULL;
            PyObject *repr = c != NULL ? PyObject_Repr(c) : NULL;
            bool same = repr != NULL
                        && PyUnicode_Compare(repr, r->counts.v[i].repr) == 0;

            Py_XDECREF(repr);
            PyErr_Clear();
            if (!same) {
                return false;
            }
        }
    }
    if (atexit_count() != r->atexit_n
        || Py_GetRecursionLimit() != r->recursion_limit
        || _PyEval_GetSwitchInterval() != r->switch_interval
        || !engine__gc_settings_same(&r->gc)
        || getcwd(buf, sizeof buf) == NULL || strcmp(buf, r->cwd) != 0) {
        return refuse("atexit, limits, gc settings or cwd");
    }
    engine__interp_mark(&mark);
    if (memcmp(&mark, &r->mark, sizeof mark) != 0) {
        return refuse("gc.freeze or an audit hook");
    }
    if (lowest_fd() != r->lowest_fd) {
        return refuse("a descriptor left open or closed");
    }
    if (!signals_same(r)) {
        return refuse("a signal handler");
    }
    if (!timers_and_mask_same(r)) {
        return refuse("a timer or the signal mask");
    }
    if (left) {
        return refuse("an object may run code at teardown");
    }
    if (engine__flush_std_streams() < 0) {
        return refuse("the streams");
    }
    /* The run's objects go (none of them runs code), with the weak
     * references to them in the standard library's tables: the next run's
     * __main__ takes its place.  Whatever follows, the run's outcome is
     * known already and nothing of it can print. */
    /* The first run's __main__ is the zygote's, among the objects
     * gc.freeze() set aside: its namespace would keep the run's objects
     * alive.  CPython's finalization clears module namespaces too. */
    old = PyDict_GetItemString(r->sys_modules, "__main__");
    old = old != NULL && PyModule_Check(old) ? PyModule_GetDict(old) : NULL;
    Py_XINCREF(old);
    if (fresh_main(r) < 0) {
        Py_XDECREF(old);
        return refuse("a new __main__");
    }
    if (old != NULL) {
        PyDict_Clear(old);
        Py_DECREF(old);
    }
    /* Clearing the namespace freed most of the run's objects; cycles (a
     * class, a frame kept by a traceback) wait for the collector, at the
     * latest every REUSE_COLLECT runs, and now if the tables below still
     * name some of them. */
    if (++r->runs % REUSE_COLLECT == 0 || !tables_same(r)) {
        (void)PyGC_Collect();
        if (!tables_same(r)) {
            return refuse("a table or module-level list changed");
        }
    }
    return true;
}

/* The tables and module-level lists and sets hold what they held (the
 * run's objects gone). */
static bool
tables_same(struct reuse *r)
{
    for (size_t i = 0; i < r->dicts.n; i++) {
        if (r->dicts.v[i].copy != NULL && !dict_same(&r->dicts.v[i])) {
            return false;
        }
    }
    for (size_t i = 0; i < r->seqs.n; i++) {
        Py_ssize_t len;
        uintptr_t sum;

        seq_shape(r->seqs.v[i].o, &len, &sum);
        if (len != r->seqs.v[i].len || sum != r->seqs.v[i].sum) {
            return false;
        }
    }
    return true;
}

/* ---- Between two runs ----------------------------------------------------- */

/* Tell the parent the run ended; wait for the next.  False: no next. */
static bool
reuse_report(struct reuse *r, int status)
{
    struct engine_reuse_done msg;
    struct rusage ru;
    char go;
    ssize_t n;

    getrusage(RUSAGE_SELF, &ru);
    memset(&msg, 0, sizeof msg);
    msg.status = status;
    msg.minflt = ru.ru_minflt - r->last.ru_minflt;
    msg.cpu_us = (ru.ru_utime.tv_sec - r->last.ru_utime.tv_sec
                  + ru.ru_stime.tv_sec - r->last.ru_stime.tv_sec) * 1000000L
                 + (ru.ru_utime.tv_usec - r->last.ru_utime.tv_usec)
                 + (ru.ru_stime.tv_usec - r->last.ru_stime.tv_usec);
    r->last = ru;
    do {
        n = write(r->done_fd, &msg, sizeof msg);
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof msg) {
        return false;
    }
    do {
        n = read(r->go_fd, &go, 1);
    } while (n < 0 && errno == EINTR);
    return n == 1;
}

static void
restore_counts(struct reuse *r)
{
    for (size_t i = 0; i < r->counts.n; i++) {
        struct wcount *w = &r->counts.v[i];
        PyObject *v, *c, *repr, *fresh;
        bool bound;

        if (w->start < 0) {
            continue;
        }
        v = PyDict_GetItemWithError(w->dict, w->key);
        c = v != NULL ? count_of(r, v, &bound) : NULL;
        repr = c != NULL ? PyObject_Repr(c) : NULL;
        if (repr != NULL && PyUnicode_Compare(repr, w->repr) == 0) {
            Py_DECREF(repr);
            continue;
        }
        Py_XDECREF(repr);
        fresh = PyObject_CallFunction(r->count_type, "L", w->start);
        if (fresh != NULL && w->bound) {
            Py_SETREF(fresh, PyObject_GetAttrString(fresh, "__next__"));
        }
        if (fresh == NULL || PyDict_SetItem(w->dict, w->key, fresh) < 0) {
            fatal("explore: cannot reset %s", PyUnicode_AsUTF8(w->repr));
        }
        Py_DECREF(fresh);
    }
    PyErr_Clear();
}

/* Put the engine back as the first run found it. */
static void
restore_engine(struct engine *e, struct reuse *r)
{
    size_t used = arena_used(e->arena);
    size_t nactors = sched_nactors(e->sched);
    struct sched_heap heap;

    for (size_t i = r->nactors; i < nactors && i < e->nthreads_cap; i++) {
        struct engine_thread *t = &e->threads[i];

        Py_CLEAR(t->boot_func);
        Py_CLEAR(t->boot_args);
        Py_CLEAR(t->boot_kwargs);
        Py_CLEAR(t->sentinel);
        Py_CLEAR(t->tracer);
        free(t->fds);
        memset(t, 0, sizeof *t);
    }
    memcpy(e->threads, r->threads, r->nactors * sizeof *e->threads);
    sched_heap_get(e->sched, &heap);
    /* Pages written since: back as they were, or to zero.  The memfd
     * says which pages it holds for a few system calls; mincore looks at
     * each page (a tenth of a run, here). */
    r->arena_now = e->arena;
    if (arena_extents(e->arena, r->npages * r->page, restore_pages, r) < 0) {
        if (mincore((void *)e->arena, r->npages * r->page, r->now) < 0) {
            memset(r->now, 1, r->npages);
        }
        for (size_t i = 0; i < r->npages; i++) {
            if (r->now[i] & 1) {
                restore_pages(i, 1, r);
            }
        }
    }
    if (used > r->npages * r->page) {
        memset((char *)e->arena + r->npages * r->page, 0,
               used - r->npages * r->page);
    }
    sched_heap_set(e->sched, &heap);
    ptrmap_fini(&e->syncs);
    ptrmap_copy(&e->syncs, &r->syncs);
    ptrmap_fini(&e->tasks);
    ptrmap_copy(&e->tasks, &r->tasks);
    e->urandom_state = r->urandom_state;
    e->opcode_mode = r->opcode_mode;
    e->main_known = false;
    e->main_status = 0;
    e->main_raised = NULL;
    e->main_raised_status = 0;
    e->finishing = false;
    e->forking = false;
    e->ended = false;
    e->exit_status = 0;
    e->races_armed = false;
    PyThreadState_Get()->cframe->use_tracing = r->use_tracing;
    telarmod_locks_restore();
}

static void
reuse_reset(struct engine *e, struct reuse *r)
{
    PyObject *res;

    res = PyObject_CallMethod(r->random_inst, "setstate", "(O)",
                              r->random_state);
    if (res == NULL) {
        PyErr_Print();
        fatal("explore: cannot reset random's state");
    }
    Py_DECREF(res);
    restore_counts(r);
    restore_engine(e, r);
    tracer__update_mode(e);
    r->sys_modules_version = dict_version(r->sys_modules);
    for (size_t i = 0; i < r->dicts.n; i++) {
        r->dicts.v[i].version = dict_version(r->dicts.v[i].d);
    }
    engine__gc_restore(&r->gc);
    r->gc_found = engine__gc_found();
    /* The parent emptied the output files. */
    lseek(STDOUT_FILENO, 0, SEEK_SET);
    lseek(STDERR_FILENO, 0, SEEK_SET);
}

/* Flush sys.stderr and sys.stdout, keeping the exception (flush_io in
 * Python/pythonrun.c). */
static void
flush_io(void)
{
    PyObject *type, *value, *tb;
    static const char *const names[] = { "stderr", "stdout" };

    PyErr_Fetch(&type, &value, &tb);
    for (size_t i = 0; i < 2; i++) {
        PyObject *f = PySys_GetObject(names[i]);
        PyObject *res = f != NULL && f != Py_None
                        ? PyObject_CallMethod(f, "flush", NULL) : NULL;

        if (res == NULL) {
            PyErr_Clear();
        }
        Py_XDECREF(res);
    }
    PyErr_Restore(type, value, tb);
}

/* A copy of code and of the code objects among its constants (functions,
 * classes, comprehensions), as compiling the file again would give them:
 * not yet specialised by CPython, without telar's notes on them
 * (co_extra), which a forked run starts without too.  New reference. */
static PyObject *
fresh_code(PyObject *code)
{
    PyObject *consts = ((PyCodeObject *)code)->co_consts;
    PyObject *copy = NULL, *kw = NULL, *args = NULL, *replace = NULL;
    PyObject *res = NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(consts);

    copy = PyTuple_New(n);
    if (copy == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyTuple_GET_ITEM(consts, i);
        PyObject *x = PyCode_Check(c) ? fresh_code(c) : Py_NewRef(c);

        if (x == NULL) {
            goto out;
        }
        PyTuple_SET_ITEM(copy, i, x);
    }
    kw = Py_BuildValue("{sO}", "co_consts", copy);
    args = PyTuple_New(0);
    replace = PyObject_GetAttrString(code, "replace");
    if (kw != NULL && args != NULL && replace != NULL) {
        res = PyObject_Call(replace, args, kw);
    }
out:
    Py_XDECREF(replace);
    Py_XDECREF(args);
    Py_XDECREF(kw);
    Py_DECREF(copy);
    return res;
}

/* The main module again, as _PyRun_SimpleFileObject runs it: its status. */
static int
reuse_run_main(struct reuse *r)
{
    PyObject *m = PyDict_GetItemString(r->sys_modules, "__main__");
    PyObject *d = m != NULL ? PyModule_GetDict(m) : NULL;
    PyObject *v = NULL, *code;
    int status = 0;

    if (d == NULL) {
        fatal("explore: no __main__");
    }
    Py_INCREF(d);
    code = fresh_code(r->code);
    if (code == NULL) {
        fatal("explore: cannot copy the main module's code");
    }
    if (PySys_Audit("exec", "O", code) == 0) {
        v = PyEval_EvalCode(code, d, d);
        if (v == NULL && PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
            breaker__unhandled_keyboard_interrupt();
        }
    }
    flush_io();
    if (v == NULL) {
        PyErr_Print();
        status = 1;
    }
    Py_XDECREF(v);
    Py_DECREF(code);
    if (PyDict_DelItemString(d, "__file__") < 0) {
        PyErr_Clear();
    }
    if (PyDict_DelItemString(d, "__cached__") < 0) {
        PyErr_Clear();
    }
    Py_DECREF(d);
    return status;
}

static void
unfreeze(void)
{
    PyObject *m = PyImport_ImportModule("gc");
    PyObject *res = m != NULL ? PyObject_CallMethod(m, "unfreeze", NULL)
                              : NULL;

    Py_XDECREF(res);
    Py_XDECREF(m);
    PyErr_Clear();
}

bool
engine__reuse_tainted(struct engine *e)
{
    return e->reuse != NULL && engine__gc_found() != e->reuse->gc_found;
}

/* threading._shutdown in a process that may run again: CPython calls it
 * when the main module has ended, before its finalization. */
static PyObject *
reuse_shutdown(PyObject *self, PyObject *noargs)
{
    struct engine *e = reuse_engine;
    struct reuse *r = e != NULL ? e->reuse : NULL;

    (void)self;
    (void)noargs;
    while (r != NULL) {
        /* Objects that may run code when freed, left for the collector or
         * CPython's teardown: in a forked run, whose heap was another, the
         * collector may have freed them earlier, their code with them.
         * Looked for after every run, the ones that went on too. */
        bool left = engine__gc_any_young(young_may_run_code, e);

        if (left && e->outcome != NULL) {
            e->outcome->tainted = true;
        }
        if (!reuse_gate(e, r, left)) {
            break;
        }
        engine__finish(e, 0);
        fflush(NULL);
        if (!reuse_report(r, 0)) {
            _exit(0);
        }
        reuse_reset(e, r);
        e->reuse_status = reuse_run_main(r);
        e->reused = true;
    }
    if (r == NULL) {
        Py_RETURN_NONE;
    }
    /* This run ends as any run ends: with the collector seeing every
     * object again (CPython's finalization collects __main__'s cycles
     * while sys.stdout still works, and a __del__ there prints). */
    unfreeze();
    return PyObject_CallNoArgs(r->shutdown);
}

static PyMethodDef reuse_shutdown_def = {
    "_shutdown", reuse_shutdown, METH_NOARGS,
    "Wait until the Python thread state of all non-daemon threads get "
    "deleted (telar explore: or run the scenario again)."
};
