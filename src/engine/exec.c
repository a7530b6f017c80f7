/*
 * Processes that start by exec (issue 4).  multiprocessing's spawn start
 * method, and the resource tracker it needs, launch sys.executable through
 * _posixsubprocess.fork_exec (util.spawnv_passfds).  telar runs its own
 * binary instead, in a hidden mode (ENGINE_CHILD_ARG; engine.c has the
 * child's half, engine_child_main):
 *   - a spawned child is a fresh engine.  Its process and main-thread
 *     actors are made here, before the fork, exactly as a forked child's
 *     are (process.c); it maps the run's arena at the same address, waits
 *     for its first turn, and runs `-c CMD` as python3 would, which
 *     re-imports the main module as __mp_main__;
 *   - the resource tracker is a plain interpreter outside the scheduler:
 *     CPython's bookkeeping, not the scenario's code.  It ends when the
 *     last process of the run closes its pipe; the first process waits
 *     for it at the end of the run (engine__reap_helpers).
 */
#include "config.h"

#include "engine/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXEC_MAX_FDS 256

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return (x > y) - (x < y);
}

/* The pipe_handle=N of spawn's command, the pipe the child reads its
 * preparation data and process object from; -1 if there is none. */
static int
pipe_handle_of(char **args, int nargs)
{
    for (int i = 0; i + 1 < nargs; i++) {
        const char *p;

        if (strcmp(args[i], "-c") == 0
            && (p = strstr(args[i + 1], "pipe_handle=")) != NULL) {
            return atoi(p + strlen("pipe_handle="));
        }
    }
    return -1;
}

/* In the child between fork and exec: only async-signal-safe calls.  The
 * descriptors to keep (sorted) lose close-on-exec, every other one from 3
 * up is closed, as fork_exec's close_fds=True does; errfd (close-on-exec)
 * reports a failed exec to the parent. */
static void
exec_child(char **argv, const int *keep, int nkeep, int errfd)
{
    int err, lo = 3;

    for (int i = 0; i < nkeep; i++) {
        if (keep[i] >= lo) {
            if (keep[i] > lo) {
                close_range((unsigned)lo, (unsigned)keep[i] - 1, 0);
            }
            lo = keep[i] + 1;
        }
        if (keep[i] != errfd) {
            fcntl(keep[i], F_SETFD, 0);
        }
    }
    close_range((unsigned)lo, ~0U, 0);
    execv("/proc/self/exe", argv);
    err = errno;
    (void)!write(errfd, &err, sizeof err);
    _exit(127);
}

/* Fork and exec argv keeping the descriptors in keep.  The pid, or -1
 * with errno set (the exec's own errno when the exec failed). */
static pid_t
exec_start(char **argv, int *keep, int nkeep)
{
    int errp[2], err = 0;
    ssize_t n;
    pid_t pid;

    if (pipe2(errp, O_CLOEXEC) < 0) {
        return -1;
    }
    keep[nkeep++] = errp[1];
    qsort(keep, (size_t)nkeep, sizeof *keep, cmp_int);
    pid = fork();
    if (pid == 0) {
        exec_child(argv, keep, nkeep, errp[1]);
    }
    err = errno;
    close(errp[1]);
    if (pid < 0) {
        close(errp[0]);
        errno = err;
        return -1;
    }
    do {
        n = read(errp[0], &err, sizeof err);
    } while (n < 0 && errno == EINTR);
    close(errp[0]);
    if (n == (ssize_t)sizeof err) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
            continue;
        }
        errno = err;
        return -1;
    }
    return pid;
}

/* _telar.spawn(joins, args, pass_fds): fork_exec of sys.executable for
 * multiprocessing.  args are the interpreter's arguments (bytes) after
 * the executable; joins says whether the child joins the run (spawn) or
 * runs apart (the resource tracker).  Returns the pid, as fork_exec does.
 * New reference. */
PyObject *
engine__spawn(struct engine *e, bool joins, PyObject *args, PyObject *passfds)
{
    struct engine_proc *p = NULL;
    char **argv = NULL, numbuf[32], pipebuf[32], arenabuf[64];
    int keep[EXEC_MAX_FDS + 8], nkeep = 0, nargs;
    PyObject *seq = NULL, *fds = NULL, *res = NULL;
    pid_t pid;

    seq = PySequence_Fast(args, "spawn: args must be a sequence");
    fds = seq != NULL ? PySequence_Fast(passfds, "spawn: pass_fds") : NULL;
    if (fds == NULL) {
        goto out;
    }
    if (PySequence_Fast_GET_SIZE(fds) > EXEC_MAX_FDS) {
        PyErr_SetString(PyExc_ValueError, "spawn: too many pass_fds");
        goto out;
    }
    keep[nkeep++] = 0;
    keep[nkeep++] = 1;
    keep[nkeep++] = 2;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fds); i++) {
        int fd = _PyLong_AsInt(PySequence_Fast_GET_ITEM(fds, i));

        if (fd == -1 && PyErr_Occurred()) {
            goto out;
        }
        keep[nkeep++] = fd;
    }
    /* telar ENGINE_CHILD_ARG MODE ARENA NUMBER PIPE -- ARGS... */
    nargs = (int)PySequence_Fast_GET_SIZE(seq);
    argv = xcalloc((size_t)nargs + 8, sizeof *argv);
    for (int i = 0; i < nargs; i++) {
        PyObject *a = PySequence_Fast_GET_ITEM(seq, i);

        if (!PyBytes_Check(a)) {
            PyErr_SetString(PyExc_TypeError, "spawn: args must be bytes");
            goto out;
        }
        argv[7 + i] = PyBytes_AS_STRING(a);
    }
    argv[0] = "telar";
    argv[1] = ENGINE_CHILD_ARG;
    argv[2] = joins ? "run" : "python";
    argv[3] = arenabuf;
    argv[4] = numbuf;
    argv[5] = pipebuf;
    argv[6] = "--";
    snprintf(pipebuf, sizeof pipebuf, "%d", pipe_handle_of(argv + 7, nargs));
    snprintf(arenabuf, sizeof arenabuf, "-");
    snprintf(numbuf, sizeof numbuf, "-1");
    if (joins && arena_fd(e->arena) < 0) {
        PyErr_SetString(PyExc_OSError,
                        _("this system cannot pass telar's shared memory "
                          "to a new program (no memfd_create): use the "
                          "'fork' start method"));
        goto out;
    }
    if (joins) {
        p = engine__proc_new(e);
        if (p == NULL) {
            goto out;
        }
        snprintf(numbuf, sizeof numbuf, "%d", p->number);
        snprintf(arenabuf, sizeof arenabuf, "%d:%p:%zu", arena_fd(e->arena),
                 (void *)e->arena, arena_size(e->arena));
        keep[nkeep++] = arena_fd(e->arena);
        keep[nkeep++] = evlog_fd(e->log);
        if (e->opts->control_in >= 0) {
            /* Live mode: whoever holds the baton answers the viewer. */
            keep[nkeep++] = e->opts->control_in;
            keep[nkeep++] = e->opts->control_out;
        }
    }
    pid = exec_start(argv, keep, nkeep);
    if (pid < 0) {
        PyErr_SetFromErrnoWithFilename(PyExc_OSError, "/proc/self/exe");
        if (p != NULL) {
            engine__proc_failed(e, p);
        }
        goto out;
    }
    /* fork and exec, while the parent waits (a spawned child's own
     * start-up is charged to it, at its first turn). */
    sched_charge(e->sched, ENGINE_SPAWN_NS);
    if (p != NULL) {
        p->pid = pid;
    } else if (e->sh->nhelpers < ENGINE_MAX_HELPERS) {
        e->sh->helpers[e->sh->nhelpers++] = pid;
    }
    res = PyLong_FromLong((long)pid);
out:
    free(argv);
    Py_XDECREF(seq);
    Py_XDECREF(fds);
    return res;
}

/* Wait for the helpers (the resource tracker) once every process of the
 * run is gone: closing this process's descriptors lets them end by
 * themselves (the tracker at the end of its pipe, after it warned about
 * leaked resources as CPython's does).  One still there after two
 * seconds is killed.  Runs in the first process, at the very end. */
void
engine__reap_helpers(struct engine *e)
{
    struct timespec nap = { 0, 5000000 };

    if (e->sh->nhelpers == 0) {
        return;
    }
    /* The tracker reads until the last write end of its pipe closes, and
     * this process holds one (resource_tracker._fd): every descriptor
     * goes, the run is over; all but the log's, which engine_free still
     * flushes and closes. */
    engine__close_fds_but_log(e);
    for (int i = 0; i < e->sh->nhelpers; i++) {
        pid_t pid = e->sh->helpers[i];
        int waited = 0, status;
        pid_t r;

        while ((r = waitpid(pid, &status, WNOHANG)) == 0 && waited < 400) {
            nanosleep(&nap, NULL);
            waited++;
        }
        if (r == 0) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                continue;
            }
        }
    }
    e->sh->nhelpers = 0;
}
