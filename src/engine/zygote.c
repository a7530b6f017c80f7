/*
 * The zygote: a process where CPython has been initialised and telar's
 * bootstrap installed once, which then fork()s one child per run.  The
 * child takes the state engine_new made (the shared arena with the
 * scheduler, the log and the first actor) as its own copy, gives the
 * scheduler its chooser, and runs the scenario with engine_exec: a run
 * from the zygote is the run `telar run` makes, minus the interpreter
 * start.  Its
 * stdout and stderr go to descriptors the caller reads afterwards; how it
 * ended goes to an engine_outcome in the caller's shared memory.  Layer:
 * engine; telar explore (cmd-explore.c) drives it.
 */
#include "config.h"

#include "engine/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A child of the zygote: the parent's ends of its pipes (reuse.c; -1 for
 * a child that ends with its run), and what it said it used for the runs
 * it went on to. */
struct zygote_child {
    pid_t pid;                  /* 0: none */
    int go_fd, done_fd;
    long cpu_reported, minflt_reported;
};

/* Owned by its creator; lives as long as the process. */
struct zygote {
    struct engine *e;
    struct zygote_child worker; /* the child that may run the next run */
    bool no_reuse;              /* zygote_no_reuse was called */
};

static void teardown_baseline(struct engine *e);

struct zygote *
zygote_new(const struct engine_opts *o, struct diag *d)
{
    struct zygote *z;
    struct engine *e;
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);

    /* CPython decides at start-up how to buffer stdout (a terminal: by
     * line; anything else: by block).  Runs write to a file: start it as
     * `telar run > file` starts.  A run never reads the terminal. */
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        close(null);
    }
    e = engine_new(o, d);
    if (e == NULL) {
        return NULL;
    }
    teardown_baseline(e);
    z = xcalloc(1, sizeof *z);
    z->e = e;
    z->worker.go_fd = z->worker.done_fd = -1;
    return z;
}

void
zygote_pin(int index)
{
    cpu_set_t allowed, one;
    int n, k;

    if (getenv("TELAR_NO_PIN") != NULL
        || sched_getaffinity(0, sizeof allowed, &allowed) < 0) {
        return;
    }
    n = CPU_COUNT(&allowed);
    if (n <= 0) {
        return;
    }
    k = index % n;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &allowed) && k-- == 0) {
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            (void)sched_setaffinity(0, sizeof one, &one);
            return;
        }
    }
}

/* Point fd (1 or 2) at file, from its start. */
static void
redirect(int file, int fd)
{
    if (file >= 0 && file != fd) {
        dup2(file, fd);
        lseek(fd, 0, SEEK_SET);
    }
}

/* The child: a run of its own (and, from reuse.c, maybe the next ones),
 * then _exit with its status.  go_fd, done_fd: its ends of the pipes to
 * the parent, or -1. */
static void __attribute__((noreturn))
zygote_child(struct zygote *z, const struct zygote_run *r, int go_fd,
             int done_fd)
{
    struct engine *e = z->e;

    /* Its own process group: a run that outlives its time is killed with
     * every process it forked. */
    setpgid(0, 0);
    redirect(r->out_fd, STDOUT_FILENO);
    redirect(r->err_fd, STDERR_FILENO);
    /* The run goes on from the zygote's state (its scheduler, log and
     * first actor, and whatever the bootstrap did to them), on a copy
     * of its own: sibling runs must not see each other. */
    if (arena_unshare(e->arena) < 0) {
        dprintf(STDERR_FILENO, "telar: %s\n",
                _("cannot map the engine's shared memory"));
        _exit(ENGINE_EXIT_USAGE);
    }
    e->sh->procs[0].pid = getpid();
    if (r->choose != NULL) {
        sched_set_chooser(e->sched, r->choose, r->choose_ctx);
        e->explore = true;
    }
    e->outcome = r->outcome;
    /* Without reuse the pipes stay open until the run's end: the parent
     * takes their closing for it. */
    if (go_fd >= 0) {
        (void)engine__reuse_start(e, go_fd, done_fd);
    }
    _exit(engine_exec(e));
}

/* ---- A run's end without CPython's finalization ---------------------------
 * After the atexit callbacks, Py_FinalizeEx tears the interpreter down:
 * every module cleared, every object freed.  In a fork()ed run that writes
 * to nearly every page the zygote had, and each write copies a page: the
 * teardown costs more than a small scenario's whole run.  It only matters
 * to the outcome if code runs during it (a __del__, a weakref callback, a
 * generator's finally) or the exit status is still to be decided.  So,
 * exploring, the last atexit callback (_telar.finishing) ends the run on
 * the spot when neither can be: the status is known because the tracer
 * saw the main module end, and no object that may run code when freed
 * exists but the zygote's own (the standard streams and the like, which
 * every run has and whose teardown prints nothing).  Otherwise CPython
 * finishes as usual. */

/* The scenario's main module: the outermost scenario frame of the first
 * process's main thread, with no Python frame under it. */
static bool
is_main_module_frame(struct engine *e, struct engine_thread *t,
                     PyFrameObject *f)
{
    PyFrameObject *back;
    PyCodeObject *co;
    bool is;

    if (e->proc != 0 || t->actor != e->sh->procs[0].actor || e->main_known) {
        return false;
    }
    back = PyFrame_GetBack(f);
    if (back != NULL) {
        Py_DECREF(back);
        return false;
    }
    /* Module code, not a scenario function called from C (an atexit
     * callback has no Python frame under it either). */
    co = PyFrame_GetCode(f);
    is = PyUnicode_CompareWithASCIIString(co->co_name, "<module>") == 0
         && tracer__is_scenario_code(e, co);
    Py_DECREF(co);
    return is;
}

/* The exit status CPython gives an exception that ends the main module
 * (Python/pythonrun.c, _Py_HandleSystemExit): SystemExit's code, 1 for
 * any other; -1 for those whose exit cannot be taken early (a
 * KeyboardInterrupt kills the process with SIGINT; a SystemExit whose
 * code is not an int prints it first). */
static int
exit_status_of(PyObject *type, PyObject *value)
{
    PyObject *code;
    int status = -1;

    if (PyType_Check(type)
        && PyType_IsSubtype((PyTypeObject *)type,
                            (PyTypeObject *)PyExc_KeyboardInterrupt)) {
        return -1;
    }
    if (!PyType_Check(type)
        || !PyType_IsSubtype((PyTypeObject *)type,
                             (PyTypeObject *)PyExc_SystemExit)) {
        return 1;
    }
    if (value == NULL || !PyExceptionInstance_Check(value)) {
        return -1;
    }
    code = ((PySystemExitObject *)value)->code;   /* borrowed */
    if (code == NULL || code == Py_None) {
        return 0;
    }
    if (PyLong_CheckExact(code)) {
        long v = PyLong_AsLong(code);

        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return -1;
        }
        status = (int)v;
    }
    return status;
}

void
engine__main_raised(struct engine *e, struct engine_thread *t,
                    PyFrameObject *f, PyObject *arg)
{
    if (!PyTuple_Check(arg) || PyTuple_GET_SIZE(arg) < 2
        || !is_main_module_frame(e, t, f)) {
        return;
    }
    e->main_raised = f;
    e->main_raised_status = exit_status_of(PyTuple_GET_ITEM(arg, 0),
                                           PyTuple_GET_ITEM(arg, 1));
}

void
engine__main_returned(struct engine *e, struct engine_thread *t,
                      PyFrameObject *f, PyObject *arg)
{
    if (!is_main_module_frame(e, t, f)) {
        return;
    }
    if (arg != NULL) {
        e->main_known = true;
        e->main_status = 0;
    } else if (e->main_raised == f && e->main_raised_status >= 0) {
        e->main_known = true;
        e->main_status = e->main_raised_status;
    }
}

/* Whether a weakref callback may do anything visible when it runs at
 * teardown: anything but the standard library's own bookkeeping
 * (WeakSet's _remove, the weak dictionaries', threading.local's) may.
 * weakref.finalize's callback runs the user's function. */
static bool
callback_may_run_code(struct engine *e, PyObject *cb)
{
    PyObject *func = cb;

    if (PyMethod_Check(cb)) {
        PyObject *self = PyMethod_GET_SELF(cb);

        if (strcmp(Py_TYPE(self)->tp_name, "finalize") == 0) {
            return true;
        }
        func = PyMethod_GET_FUNCTION(cb);
    }
    return !PyFunction_Check(func)
           || tracer__is_scenario_code(
               e, (PyCodeObject *)PyFunction_GET_CODE(func));
}

/* Whether freeing o may run code: an object with a finalizer (a suspended
 * generator, a coroutine not finished, an instance of a class with
 * __del__, a file, a future), or a weakref whose callback is not the
 * standard library's.  It only reads o (a generator's state from its
 * struct: asking for gi_frame would make a frame object). */
bool
engine__may_run_code(struct engine *e, PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);

    if (PyWeakref_CheckRef(o)) {
        PyObject *cb = ((PyWeakReference *)o)->wr_callback;

        return cb != NULL && callback_may_run_code(e, cb);
    }
    if (tp->tp_finalize == NULL && tp->tp_del == NULL) {
        return false;
    }
    /* Frame states (Include/internal/pycore_frame.h): -2 created, -1
     * suspended, 0 executing, 1 completed, 4 cleared.  Closing a
     * generator that never started runs nothing; a coroutine that never
     * started warns that it was never awaited. */
    if (PyGen_CheckExact(o)) {
        int state = ((PyGenObject *)o)->gi_frame_state;

        return state == -1 || state == 0;
    }
    if (PyCoro_CheckExact(o) || PyAsyncGen_CheckExact(o)) {
        return ((PyGenObject *)o)->gi_frame_state < 1;
    }
    return true;
}

/* The zygote's own objects that may run code at teardown: the standard
 * streams, the bootstrap's generators.  Every run has them, telar run
 * too, and what they do at teardown writes nothing to stdout (a stream
 * flushes, and the fast exit flushes first).  Kept sorted by address. */
struct teardown_set {
    struct engine *e;
    uintptr_t *v;
    size_t n, cap;
};

static bool
teardown_collect(PyObject *o, void *ctx)
{
    struct teardown_set *set = ctx;

    if (engine__may_run_code(set->e, o)) {
        if (set->n == set->cap) {
            set->cap = set->cap != 0 ? set->cap * 2 : 64;
            set->v = xrealloc(set->v, set->cap * sizeof *set->v);
        }
        set->v[set->n++] = (uintptr_t)o;
    }
    return false;
}

static int
uintptr_cmp(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

    return x < y ? -1 : x > y;
}

/* Record the zygote's set (zygote_new). */
static void
teardown_baseline(struct engine *e)
{
    struct teardown_set set = { .e = e };

    engine__gc_any(teardown_collect, &set);
    qsort(set.v, set.n, sizeof *set.v, uintptr_cmp);
    e->teardown_known = set.v;
    e->nteardown_known = set.n;
}

/* An object that may run code at teardown and was not the zygote's. */
static bool
teardown_new(PyObject *o, void *ctx)
{
    struct engine *e = ctx;
    uintptr_t key = (uintptr_t)o;

    if (!engine__may_run_code(e, o)) {
        return false;
    }
    return e->teardown_known == NULL
           || bsearch(&key, e->teardown_known, e->nteardown_known,
                      sizeof key, uintptr_cmp) == NULL;
}

void
engine__fast_exit(struct engine *e)
{
    if (e->proc != 0 || !e->main_known || e->teardown_known == NULL
        || engine__gc_any(teardown_new, e)
        || engine__flush_std_streams() < 0) {
        return;
    }
    engine__finish(e, e->main_status);
    fflush(NULL);
    _exit(e->main_status);
}

/* Reap pid after it ended or was killed, with whatever is left of its
 * process group (a run whose engine crashed cannot reap the processes it
 * forked).  cpu_us and minflt: what it used, less what it reported for
 * earlier runs. */
static void
zygote_reap(pid_t pid, struct zygote_result *res, long cpu_before,
            long minflt_before)
{
    struct rusage ru;
    int status = 0;

    kill(-pid, SIGKILL);
    if (res->timed_out) {
        kill(pid, SIGKILL);
    }
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
        continue;
    }
    res->minflt = ru.ru_minflt - minflt_before;
    res->cpu_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L
                  + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec - cpu_before;
    if (WIFSIGNALED(status)) {
        res->signal = WTERMSIG(status);
        res->status = 128 + res->signal;
    } else {
        res->status = WEXITSTATUS(status);
    }
}

static void
zygote_drop(struct zygote_child *c)
{
    if (c->go_fd >= 0) {
        close(c->go_fd);
    }
    if (c->done_fd >= 0) {
        close(c->done_fd);
    }
    memset(c, 0, sizeof *c);
    c->go_fd = c->done_fd = -1;
}

/* Wait until the child says its run ended (it then waits for the next)
 * or it exits, killing it after timeout_ms (0: never). */
static void
zygote_wait(struct zygote_child *c, int timeout_ms, struct zygote_result *res)
{
    int pfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
    struct pollfd p[2] = {
        { .fd = c->done_fd, .events = POLLIN },
        { .fd = pfd, .events = POLLIN },
    };
    int n;

    if (c->done_fd < 0 && pfd < 0) {
        zygote_reap(c->pid, res, 0, 0);
        zygote_drop(c);
        return;
    }
    if (c->done_fd < 0) {
        p[0] = p[1];
    }
    do {
        n = poll(p, c->done_fd >= 0 && pfd >= 0 ? 2 : 1,
                 timeout_ms > 0 ? timeout_ms : -1);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
        res->timed_out = true;
    } else if (n > 0 && c->done_fd >= 0 && (p[0].revents & POLLIN)) {
        struct engine_reuse_done msg;
        ssize_t k;

        do {
            k = read(c->done_fd, &msg, sizeof msg);
        } while (k < 0 && errno == EINTR);
        if (k == (ssize_t)sizeof msg) {
            if (pfd >= 0) {
                close(pfd);
            }
            res->status = msg.status;
            res->cpu_us = msg.cpu_us;
            res->minflt = msg.minflt;
            c->cpu_reported += msg.cpu_us;
            c->minflt_reported += msg.minflt;
            return;
        }
    }
    if (pfd >= 0) {
        close(pfd);
    }
    zygote_reap(c->pid, res, c->cpu_reported, c->minflt_reported);
    zygote_drop(c);
}

void
zygote_no_reuse(struct zygote *z)
{
    struct zygote_result res;

    z->no_reuse = true;
    if (z->worker.pid > 0) {
        /* Its end of the pipe closed: it exits. */
        memset(&res, 0, sizeof res);
        close(z->worker.go_fd);
        z->worker.go_fd = -1;
        zygote_wait(&z->worker, 0, &res);
    }
}

bool
zygote_goes_on(const struct zygote *z)
{
    return z->worker.pid > 0;
}

int
zygote_run(struct zygote *z, const struct zygote_run *r,
           struct zygote_result *res, struct diag *d)
{
    pid_t pid;
    int go[2] = { -1, -1 }, done[2] = { -1, -1 };

    memset(res, 0, sizeof *res);
    if (r->out_fd >= 0 && ftruncate(r->out_fd, 0) < 0) {
        diag_set(d, _("cannot reset the output of a run: %s"),
                 strerror(errno));
        return -1;
    }
    if (r->err_fd >= 0 && ftruncate(r->err_fd, 0) < 0) {
        diag_set(d, _("cannot reset the output of a run: %s"),
                 strerror(errno));
        return -1;
    }
    if (r->outcome != NULL) {
        r->outcome->ended = false;
        r->outcome->status = 0;
        r->outcome->why = 0;
        r->outcome->steps = 0;
        r->outcome->schedule_len = 0;
        r->outcome->tainted = false;
        if (r->outcome->schedule_cap > 0) {
            r->outcome->schedule[0] = '\0';
        }
    }
    /* The child of the last run goes on, when it can (reuse.c). */
    if (z->worker.pid > 0 && !r->fresh) {
        char go_byte = 'g';
        ssize_t k;

        do {
            k = write(z->worker.go_fd, &go_byte, 1);
        } while (k < 0 && errno == EINTR);
        if (k == 1) {
            zygote_wait(&z->worker, r->timeout_ms, res);
            res->reused = true;
            return 0;
        }
        zygote_wait(&z->worker, r->timeout_ms, res);   /* it ended */
        memset(res, 0, sizeof *res);
    }
    /* Runs that take a chooser (telar explore) may go on in their child;
     * the others (and a child whose pipes could not be made) end with
     * their run. */
    if (r->choose != NULL && !r->fresh && !z->no_reuse
        && (pipe2(go, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0)) {
        if (go[0] >= 0) {
            close(go[0]);
            close(go[1]);
        }
        go[0] = go[1] = done[0] = done[1] = -1;
    }
    /* Out of the scenario's way: the descriptors it opens get the numbers
     * they get in any run. */
    for (int i = 0; i < 2 && go[0] >= 0; i++) {
        go[i] = fd_move_high(go[i]);
        done[i] = fd_move_high(done[i]);
    }
    pid = fork();
    if (pid < 0) {
        diag_set(d, _("cannot start a run: fork: %s"), strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (go[1] >= 0) {
            close(go[1]);
            close(done[0]);
        }
        zygote_child(z, r, go[0], done[1]);
    }
    if (go[0] >= 0) {
        close(go[0]);
        close(done[1]);
    }
    if (r->fresh || z->no_reuse || r->choose == NULL) {
        struct zygote_child c = { pid, -1, -1, 0, 0 };

        zygote_wait(&c, r->timeout_ms, res);
        return 0;
    }
    z->worker.pid = pid;
    z->worker.go_fd = go[1];
    z->worker.done_fd = done[0];
    zygote_wait(&z->worker, r->timeout_ms, res);
    return 0;
}
