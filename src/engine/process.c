/*
 * Processes under the one scheduler (issue 4).  os.fork is replaced: the
 * child's main thread becomes an actor (under an actor for the process) in
 * the shared scheduler before the real fork, and the child waits for the
 * baton before it runs anything of the scenario.  waitpid and kill of our
 * children are answered from a process table in shared memory, so a
 * child's end is seen at a deterministic point; os.read and os.write wait
 * in virtual time for a pipe to become readable or writable, because the
 * other end is written by another process that can only run once this one
 * gives the baton away.  Any write by any actor lets every actor waiting on
 * a descriptor check it again (the scheduler's poll hook).
 */
#include "config.h"

#include "engine/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The process whose pid this is, among the children of this process, or
 * NULL. */
static struct engine_proc *
proc_by_pid(struct engine *e, pid_t pid)
{
    for (int i = 1; i < e->sh->nprocs; i++) {
        struct engine_proc *p = &e->sh->procs[i];

        if (p->pid == pid && p->parent == e->proc) {
            return p;
        }
    }
    return NULL;
}

/* The name multiprocessing gave the process being started: the
 * process_obj argument of popen_fork.Popen._launch (or of
 * popen_spawn_posix's, a few frames up from fork_exec). */
static char *
process_name_from_caller(void)
{
    PyFrameObject *f = PyEval_GetFrame();      /* borrowed */
    PyObject *name = NULL;
    char *r = NULL;

    Py_XINCREF(f);
    for (int depth = 0; f != NULL && depth < 6 && name == NULL; depth++) {
        PyObject *locals = PyFrame_GetLocals(f);
        PyObject *obj = locals != NULL && PyDict_Check(locals)
                            ? PyDict_GetItemString(locals, "process_obj")
                            : NULL;
        PyFrameObject *back;

        if (obj != NULL) {
            name = PyObject_GetAttrString(obj, "name");
        }
        Py_XDECREF(locals);
        back = PyFrame_GetBack(f);
        Py_DECREF(f);
        f = back;
    }
    Py_XDECREF(f);
    if (name != NULL && PyUnicode_Check(name)) {
        const char *s = PyUnicode_AsUTF8(name);

        r = s != NULL ? xstrdup(s) : NULL;
    }
    PyErr_Clear();
    Py_XDECREF(name);
    return r;
}

/* A process has ended (exit status, or -signal): its threads end with
 * it, and whoever waits for it wakes. */
static void
proc_ended(struct engine *e, struct engine_proc *p, int status, bool normal)
{
    struct sched *s = e->sched;

    p->exited = true;
    p->status = status;
    e->sh->fd_gen++;            /* its descriptors closed: EOF for readers */
    for (size_t i = 0; i < sched_nactors(s); i++) {
        struct actor *a = sched_actor(s, (int)i);

        if (a->proc == p->number && a->id != sched_current(s)) {
            sched_kill(s, a->id, !normal || status != 0);
        }
    }
    sched_actor_state(s, p->pactor,
                      normal && status == 0 ? EV_ST_DONE : EV_ST_FAILED,
                      SCHED_NONE);
    sched_wake(s, p->obj, -1);
}

struct engine_proc *
engine__proc_new(struct engine *e)
{
    struct sched *s = e->sched;
    struct engine_shared *sh = e->sh;
    struct engine_proc *p;
    int self = sched_current(s), number;
    char *name, buf[32];

    if (sh->nprocs >= ENGINE_MAX_PROCS) {
        char msg[200];

        snprintf(msg, sizeof msg,
                 _("telar: the scenario started more than %d processes and "
                   "was stopped (a fork bomb?).\n"), ENGINE_MAX_PROCS - 1);
        engine__abort_run(e, ENGINE_EXIT_LIMIT, EV_END_LIMIT, msg);
    }
    number = sh->nprocs;
    name = process_name_from_caller();
    if (name == NULL) {
        snprintf(buf, sizeof buf, "process-%d", number);
    }
    p = &sh->procs[number];
    memset(p, 0, sizeof *p);
    p->number = number;
    p->parent = e->proc;
    p->pactor = sched_actor_new(s, EV_ACTOR_PROCESS, self, number,
                                name != NULL ? name : buf, false);
    p->actor = sched_actor_new(s, EV_ACTOR_THREAD, p->pactor, number,
                               "MainThread", true);
    p->obj = sched_obj_new(s, EV_OBJ_PROCESS, name != NULL ? name : buf, 0);
    sched_obj_set_poller(s, p->obj, true);
    free(name);
    if (p->pactor < 0 || p->actor < 0) {
        PyErr_SetString(PyExc_BlockingIOError,
                        "telar's actor table is full");
        return NULL;
    }
    engine__actor_cv_init(sh, p->actor);
    sh->nprocs++;
    /* The child's thread is alive: opcode events from here, in the parent
     * and (copied) in the child, with what ran so far charged once. */
    tracer__update_mode(e);
    return p;
}

void
engine__proc_failed(struct engine *e, struct engine_proc *p)
{
    e->sh->nprocs--;
    proc_ended(e, p, 1, false);
    tracer__update_mode(e);
}

/* _telar.fork(): os.fork under the scheduler.  New reference. */
PyObject *
engine__fork(struct engine *e)
{
    struct engine_proc *p = engine__proc_new(e);
    PyObject *res;
    long pid;

    if (p == NULL) {
        return NULL;
    }
    /* The child copies this flag: it stays quiet (no scheduler calls from
     * CPython's at-fork hooks) until the baton comes to it. */
    e->forking = true;
    res = PyObject_CallNoArgs(e->real_fork);
    e->forking = false;
    if (res == NULL) {
        engine__proc_failed(e, p);
        return NULL;
    }
    pid = PyLong_AsLong(res);
    if (pid != 0) {
        p->pid = (pid_t)pid;
        /* fork() copies the page tables while the parent waits. */
        sched_charge(e->sched, ENGINE_FORK_NS);
        return res;
    }
    /* The child: its only thread is the one that forked. */
    e->proc = p->number;
    e->forking = true;
    for (size_t i = 0; i < e->nthreads_cap && i < sched_nactors(e->sched); i++) {
        e->threads[i].used = false;
    }
    {
        struct engine_thread *t = &e->threads[p->actor];

        memset(t, 0, sizeof *t);
        t->used = true;
        t->actor = p->actor;
        t->selector_obj = SCHED_NONE;
        t->cur_task = SCHED_NONE;
        t->tstate = PyThreadState_Get();
        tracer__install(e, t);
        engine__park_new(e, t);
    }
    e->forking = false;
    /* Its first turn: the child's own start-up (CPython's at-fork hooks
     * have run; multiprocessing's _bootstrap is next), in parallel with
     * the other processes. */
    engine__cpu(e, ENGINE_FORK_CHILD_NS);
    return res;
}

/* After CPython's own at-fork hooks have run in a child (random reseeds
 * itself there): give the child its own stream of "OS randomness". */
void
engine__after_fork_child(struct engine *e)
{
    e->urandom_state ^= 0x9e3779b97f4a7c15ULL * (uint64_t)e->sh->nprocs;
}

/* Read /proc/PID/stat: its state letter ('?' when it is gone) and the
 * status it ended with (field 52, exit_code: waitpid's form, valid for a
 * zombie). */
static char
proc_stat(pid_t pid, int *wstatus)
{
    char path[64], buf[1024];
    FILE *f;
    char *rp, *tok, *save = NULL;
    char state = '?';

    *wstatus = -1;
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    f = fopen(path, "r");
    if (f == NULL) {
        return state;
    }
    if (fgets(buf, sizeof buf, f) != NULL && (rp = strrchr(buf, ')')) != NULL
        && rp[1] == ' ') {
        state = rp[2];
        tok = strtok_r(rp + 2, " ", &save);
        for (int field = 3; tok != NULL; field++) {
            if (field == 52) {
                *wstatus = atoi(tok);
                break;
            }
            tok = strtok_r(NULL, " ", &save);
        }
    }
    fclose(f);
    return state;
}

/* Whether the process behind a blocked waitpid ended without telling us
 * (killed by a signal, crashed): its /proc entry shows a zombie. */
bool
engine__proc_is_dead(pid_t pid)
{
    int wstatus;
    char st = proc_stat(pid, &wstatus);

    return st == '?' || st == 'Z' || st == 'X';
}

/* How a process that ended without telling us ended: -signal, or its exit
 * status (a crash in C calls no Python).  SIGKILL when its zombie is gone
 * already. */
static int
proc_dead_status(pid_t pid)
{
    int wstatus;

    proc_stat(pid, &wstatus);
    if (wstatus >= 0 && WIFSIGNALED(wstatus)) {
        return -WTERMSIG(wstatus);
    }
    if (wstatus >= 0 && WIFEXITED(wstatus)) {
        return WEXITSTATUS(wstatus);
    }
    return -SIGKILL;
}

void
engine__proc_died(struct engine *e, struct engine_proc *p)
{
    struct sched *s = e->sched;
    int cur = sched_current(s);

    /* The dead process's thread may be the scheduler's current actor: it
     * ends as if it had finished. */
    if (cur >= 0 && sched_actor(s, cur)->proc == p->number) {
        sched_finish(s, true);
    }
    proc_ended(e, p, proc_dead_status(p->pid), false);
}

/* The scheduler's poll hook, for an actor waiting on a process. */
bool
engine__proc_poll(struct engine *e, int obj)
{
    for (int i = 1; i < e->sh->nprocs; i++) {
        struct engine_proc *p = &e->sh->procs[i];

        if (p->obj == obj) {
            if (!p->exited && p->pid > 0 && engine__proc_is_dead(p->pid)) {
                proc_ended(e, p, proc_dead_status(p->pid), false);
            }
            return p->exited;
        }
    }
    return false;
}

/* _telar.waitpid(pid, options). New reference. */
PyObject *
engine__waitpid(struct engine *e, pid_t pid, int options)
{
    struct engine_proc *p = pid > 0 ? proc_by_pid(e, pid) : NULL;
    int status = 0;
    pid_t r;

    if (p == NULL) {
        /* Not a child of the run (a subprocess): CPython's own wait. */
        Py_BEGIN_ALLOW_THREADS
        r = waitpid(pid, &status, options);
        Py_END_ALLOW_THREADS
        if (r < 0) {
            return PyErr_SetFromErrno(PyExc_OSError);
        }
        return Py_BuildValue("(ii)", (int)r, status);
    }
    while (!p->exited) {
        if (options & WNOHANG) {
            return Py_BuildValue("(ii)", 0, 0);
        }
        engine__block(e, p->obj, SCHED_NEVER);
        if (e->finishing) {
            break;
        }
    }
    /* Reap it for real: it has left the scheduler and is in _exit. */
    do {
        r = waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        return PyErr_SetFromErrno(PyExc_ChildProcessError);
    }
    p->pid = -1;                /* reaped: never again ours */
    return Py_BuildValue("(ii)", (int)r, status);
}

/* What a process does with signal sig, read from /proc/PID/status:
 * 'i' ignores it, 'c' catches it (a Python handler), 'd' default. */
static char
signal_disposition(pid_t pid, int sig)
{
    char path[64], line[256];
    unsigned long long ign = 0, cgt = 0;
    unsigned long long bit = 1ULL << (sig - 1);
    FILE *f;

    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
    f = fopen(path, "r");
    if (f == NULL) {
        return 'd';
    }
    while (fgets(line, sizeof line, f) != NULL) {
        sscanf(line, "SigIgn: %llx", &ign);
        sscanf(line, "SigCgt: %llx", &cgt);
    }
    fclose(f);
    return sig == SIGKILL ? 'd' : (ign & bit) ? 'i' : (cgt & bit) ? 'c' : 'd';
}

static bool
fatal_by_default(int sig)
{
    switch (sig) {
    case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
        return false;
    default:
        return true;
    }
}

/* _telar.kill(pid, sig): a signal to a child of the run.  A fatal one
 * ends it at once (it is parked, waiting for its turn); one it catches
 * wakes its main thread so that CPython runs the handler; one it ignores
 * changes nothing.  Which is which is the child's own disposition. */
PyObject *
engine__kill(struct engine *e, pid_t pid, int sig)
{
    struct engine_proc *p = pid > 0 ? proc_by_pid(e, pid) : NULL;
    char disp = 'd';
    siginfo_t si;

    if (p != NULL && !p->exited && sig > 0) {
        disp = signal_disposition(pid, sig);
    }
    if (kill(pid, sig) < 0) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    if (p == NULL || p->exited || sig <= 0) {
        Py_RETURN_NONE;
    }
    if (disp == 'd' && fatal_by_default(sig)) {
        memset(&si, 0, sizeof si);
        while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0
               && errno == EINTR) {
            continue;
        }
        proc_ended(e, p, -sig, false);
    } else if (disp == 'c') {
        struct actor *a = sched_actor(e->sched, p->actor);

        if (a != NULL && (a->state == EV_ST_BLOCKED
                          || a->state == EV_ST_SLEEPING)) {
            sched_wake_actor(e->sched, p->actor);
        }
    }
    Py_RETURN_NONE;
}

void
engine__close_fds_but_log(struct engine *e)
{
    int keep = evlog_fd(e->log);

    if (keep > 3) {
        close_range(3, (unsigned)keep - 1, 0);
    }
    close_range((unsigned)(keep >= 3 ? keep + 1 : 3), ~0U, 0);
}

/* A child process ends: os._exit, or the end of Py_RunMain in a child.
 * Never returns. */
void
engine__proc_exit(struct engine *e, int status)
{
    struct engine_proc *p = &e->sh->procs[e->proc];
    int self = sched_current(e->sched), next;

    arena_leak_root(e->arena);
    engine__gil_drop(e, self);
    /* Close its descriptors now, not at _exit after the hand-off: the
     * ends of pipes it held (its sentinel among them) reach EOF before
     * anyone polls them again.  All but the log's: the records of this
     * end fill the buffer in the arena, and a full buffer is written out
     * by whoever fills it (closing it too lost the log with an EBADF,
     * seen when stdin was /dev/null). */
    engine__close_fds_but_log(e);
    proc_ended(e, p, status, true);
    sched_finish(e->sched, status != 0);
    next = sched_next(e->sched, EV_WHY_EXIT);
    if (next < 0) {
        engine__stop(e, next);
    }
    engine__gil_take(e, next);
    engine__handoff(e, self, next);
    _exit(status);
}

/* Kill every process of the run still alive and reap it: nothing
 * outlives the run.  Runs in the first process, which is the subreaper
 * of the run (engine_run): a grandchild whose parent is killed here
 * becomes its child, and a parent comes before its children in the
 * table. */
void
engine__reap_all(struct engine *e)
{
    for (int i = 1; i < e->sh->nprocs; i++) {
        if (e->sh->procs[i].pid > 0) {
            kill(e->sh->procs[i].pid, SIGKILL);
        }
    }
    for (int i = 1; i < e->sh->nprocs; i++) {
        struct engine_proc *p = &e->sh->procs[i];
        int status;

        if (p->pid > 0) {
            while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR) {
                continue;
            }
            p->pid = -1;
        }
    }
}

/* Wait, in virtual time, until fd is ready for events (POLLIN/POLLOUT). */
void
engine__wait_fd(struct engine *e, int fd, short events)
{
    int self = sched_current(e->sched);
    struct engine_thread *t = engine__thread(e, self);
    struct pollfd pfd = { .fd = fd, .events = events };

    while (!e->finishing) {
        int n;

        do {
            n = poll(&pfd, 1, 0);
        } while (n < 0 && errno == EINTR);
        if (n != 0) {
            engine__gil_release(e);
            return;             /* ready, or an error the call will report */
        }
        if (t->fds_cap < 1) {
            t->fds_cap = 8;
            t->fds = xrealloc(t->fds, (size_t)t->fds_cap * sizeof *t->fds);
        }
        t->fds[0] = pfd;
        t->nfds = 1;
        e->sh->poll_gen[self] = e->sh->fd_gen;
        if (t->selector_obj < 0) {
            t->selector_obj = sched_obj_new(e->sched, EV_OBJ_PIPE, "pipe", 0);
            sched_obj_set_poller(e->sched, t->selector_obj, true);
        }
        engine__block(e, t->selector_obj, SCHED_NEVER);
        t->nfds = 0;
    }
}

/* _telar.read(fd, n): os.read, waiting in virtual time.  New reference. */
PyObject *
engine__read(struct engine *e, int fd, Py_ssize_t n)
{
    PyObject *b;
    ssize_t r;

    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "negative length");
        return NULL;
    }
    engine__wait_fd(e, fd, POLLIN);
    b = PyBytes_FromStringAndSize(NULL, n);
    if (b == NULL) {
        return NULL;
    }
    do {
        r = read(fd, PyBytes_AS_STRING(b), (size_t)n);
    } while (r < 0 && errno == EINTR && PyErr_CheckSignals() == 0);
    if (r < 0) {
        Py_DECREF(b);
        return PyErr_Occurred() ? NULL : PyErr_SetFromErrno(PyExc_OSError);
    }
    /* A read frees room in a pipe: a writer waiting for it checks again. */
    e->sh->fd_gen++;
    if (r > 0) {
        access__pipe(e, sched_current(e->sched), fd, false);
    }
    sched_charge(e->sched, (int64_t)r * ENGINE_BYTE_NS);
    if (r != n && _PyBytes_Resize(&b, r) < 0) {
        return NULL;
    }
    return b;
}

/* _telar.write(fd, data): os.write, waiting in virtual time for room.  A
 * pipe takes only what fits (a partial write, as os.write may return and
 * multiprocessing's Connection loops on): a blocking write of more than
 * the pipe holds would wait, for real, for a reader that cannot run.  The
 * descriptor is made non-blocking just for the call; only the baton holder
 * runs, so no other process sees the flag. */
PyObject *
engine__write(struct engine *e, int fd, Py_buffer *data)
{
    int flags = fcntl(fd, F_GETFL);
    ssize_t r;

    for (;;) {
        engine__wait_fd(e, fd, POLLOUT);
        if (flags >= 0 && !(flags & O_NONBLOCK)) {
            fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        }
        r = write(fd, data->buf, (size_t)data->len);
        if (flags >= 0 && !(flags & O_NONBLOCK)) {
            int err = errno;

            fcntl(fd, F_SETFL, flags);
            errno = err;
        }
        if (r >= 0 || (errno != EINTR && errno != EAGAIN)
            || (flags >= 0 && (flags & O_NONBLOCK) && errno == EAGAIN)
            || e->finishing) {
            break;
        }
        if (errno == EINTR && PyErr_CheckSignals() < 0) {
            return NULL;
        }
    }
    if (r < 0) {
        return PyErr_Occurred() ? NULL : PyErr_SetFromErrno(PyExc_OSError);
    }
    e->sh->fd_gen++;
    if (r > 0) {
        access__pipe(e, sched_current(e->sched), fd, true);
    }
    sched_charge(e->sched, (int64_t)r * ENGINE_BYTE_NS);
    return PyLong_FromSsize_t(r);
}

/* _telar.close(fd): os.close; the other end of a pipe may see EOF. */
PyObject *
engine__close(struct engine *e, int fd)
{
    int r;

    Py_BEGIN_ALLOW_THREADS
    r = close(fd);
    Py_END_ALLOW_THREADS
    if (r < 0) {
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    e->sh->fd_gen++;
    Py_RETURN_NONE;
}
