/*
 * The baton: only the actor holding it runs Python.  Every thread actor has
 * a condition variable; passing the baton sets engine.baton and signals the
 * receiver, then waits on the giver's own variable with the GIL released.
 * The scheduler decides who gets it (sched_next); this file only moves it.
 * Never hold engine.mu across PyEval_RestoreThread: a finalizing CPython
 * may end the thread there (pthread_exit), and the mutex would stay locked.
 */
#include "config.h"

#include "engine/internal.h"

#include <errno.h>
#include <time.h>

/* The shared part of the engine, in the arena, with process-shared
 * synchronisation.  NULL when the arena cannot be had. */
struct engine_shared *
engine__shared_new(struct arena *ar)
{
    struct engine_shared *sh = alloc_calloc(arena_allocator(ar), 1,
                                            sizeof *sh);
    pthread_mutexattr_t ma;
    pthread_condattr_t ca;

    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&sh->mu, &ma);
    pthread_mutexattr_destroy(&ma);
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&sh->park_cv, &ca);
    pthread_condattr_destroy(&ca);
    sh->baton = SCHED_NONE;
    sh->lost = SCHED_NONE;
    return sh;
}

/* Each actor's condition variable is made when the actor is, not all
 * SCHED_MAX_ACTORS of them up front: 200 KB written at every start is
 * what a run from a zygote (telar explore) would pay for most. */
void
engine__actor_cv_init(struct engine_shared *sh, int actor)
{
    pthread_condattr_t ca;

    if (actor < 0 || actor >= SCHED_MAX_ACTORS) {
        return;
    }
    pthread_condattr_init(&ca);
    pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&sh->cv[actor], &ca);
    pthread_condattr_destroy(&ca);
}

/* Lock the shared mutex; a process that died holding it leaves it
 * consistent (nothing but the baton changes under it). */
static void
lock_shared(struct engine_shared *sh)
{
    if (pthread_mutex_lock(&sh->mu) == EOWNERDEAD) {
        pthread_mutex_consistent(&sh->mu);
    }
}

/* Under the mutex: the baton's holder belongs to a process that died
 * without passing it on (killed by a signal, crashed).  End that process
 * in the scheduler and pass the baton to whoever runs next, as its last
 * act would have.  Returns true when it did. */
static bool
recover_lost_baton(struct engine *e)
{
    struct engine_shared *sh = e->sh;
    struct actor *holder;
    struct engine_proc *p;
    int next;

    if (sh->baton < 0 || e->sched == NULL) {
        return false;
    }
    holder = sched_actor(e->sched, sh->baton);
    if (holder == NULL || holder->proc == 0 || holder->proc >= sh->nprocs) {
        return false;
    }
    p = &sh->procs[holder->proc];
    if (p->exited || p->pid <= 0 || !engine__proc_is_dead(p->pid)) {
        return false;
    }
    sched_set_ctx(e->sched, e);         /* this process runs it now */
    engine__proc_died(e, p);
    next = sched_next(e->sched, EV_WHY_EXIT);
    if (next < 0) {
        /* Nobody can run: the first process's main thread reports it. */
        next = sh->procs[0].actor;
        sh->lost = next;
    }
    sh->baton = next;
    pthread_cond_signal(&sh->cv[next]);
    return true;
}

/* Wait with the GIL released until the baton is ours.  Once the run has
 * several processes, every 200 ms of real time the waiter checks that the
 * holder's process is alive. */
static void
wait_for_baton(struct engine *e, struct engine_thread *t)
{
    struct engine_shared *sh = e->sh;

    lock_shared(sh);
    while (sh->baton != t->actor) {
        struct timespec ts;

        if (sh->nprocs <= 1) {
            /* One process: nobody else can die holding the baton, and a
             * paused run must cost no CPU. */
            pthread_cond_wait(&sh->cv[t->actor], &sh->mu);
            continue;
        }

        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        if (pthread_cond_timedwait(&sh->cv[t->actor], &sh->mu, &ts)
            == ETIMEDOUT) {
            if (e->proc != 0 && engine__proc_is_dead(sh->procs[0].pid)) {
                /* The run is over (the first process was killed from
                 * outside): nothing is left to wait for. */
                pthread_mutex_unlock(&sh->mu);
                _exit(1);
            }
            recover_lost_baton(e);
        }
    }
    /* The scheduler lives in shared memory; its poll hook and its gate
     * must see the engine of the process that runs it now (a spawned
     * child has its engine at another address). */
    sched_set_ctx(e->sched, e);
    pthread_mutex_unlock(&sh->mu);
}

static void
give_baton(struct engine *e, int next)
{
    struct engine_shared *sh = e->sh;

    lock_shared(sh);
    sh->baton = next;
    pthread_cond_signal(&sh->cv[next]);
    pthread_mutex_unlock(&sh->mu);
}

void
engine__pass(struct engine *e, int self, int next)
{
    PyThreadState *ts;

    if (next == self) {
        return;
    }
    ts = PyEval_SaveThread();
    give_baton(e, next);
    wait_for_baton(e, engine__thread(e, self));
    PyEval_RestoreThread(ts);
    engine__halted(e);
    if (e->sh->lost == self) {
        /* A process died with the baton and nothing else can run. */
        e->sh->lost = SCHED_NONE;
        engine__stop(e, SCHED_DEADLOCK);
    }
}

void
engine__handoff(struct engine *e, int self, int next)
{
    (void)self;
    give_baton(e, next);
}

void
engine__park_new(struct engine *e, struct engine_thread *t)
{
    PyThreadState *ts = PyEval_SaveThread();

    lock_shared(e->sh);
    e->sh->parked[t->actor] = true;
    pthread_cond_broadcast(&e->sh->park_cv);
    pthread_mutex_unlock(&e->sh->mu);
    wait_for_baton(e, t);
    PyEval_RestoreThread(ts);
}

/* Turn a special result of sched_next into the end of the run. */
void
engine__stop(struct engine *e, int next)
{
    PyObject *report;
    const char *text;
    char line[256];

    switch (next) {
    case SCHED_DEADLOCK:
        report = telarmod_describe_deadlock(e);
        text = report != NULL ? PyUnicode_AsUTF8(report) : NULL;
        if (text == NULL) {
            PyErr_Print();
            snprintf(line, sizeof line, "%s\n", _(ENGINE_DEADLOCK_LINE));
            text = line;
        }
        engine__abort_run(e, ENGINE_EXIT_DEADLOCK, EV_END_DEADLOCK, text);
    case SCHED_LIMIT: {
        char msg[256];

        snprintf(msg, sizeof msg,
                 _("telar: stopped after %llu steps (--max-steps); the "
                   "scenario may never end.\n"),
                 (unsigned long long)e->opts->sched.max_steps);
        engine__abort_run(e, ENGINE_EXIT_LIMIT, EV_END_LIMIT, msg);
    }
    case SCHED_DIVERGED:
    default:
        engine__abort_run(e, ENGINE_EXIT_USAGE, EV_END_LIMIT,
                          _("telar: the run left the replayed schedule: "
                            "the scenario or its input changed since it was "
                            "recorded.\n"));
    }
}

void
engine__switch(struct engine *e, int self, enum ev_reason why)
{
    int next;

    /* Where the actor stops: the code pane marks it there. */
    tracer__log_pos(e, self, PyEval_GetFrame());
    if (why == EV_WHY_BLOCK) {
        engine__gil_drop(e, self);      /* CPython releases it to wait */
    }
    next = sched_next(e->sched, why);

    if (next < 0) {
        engine__stop(e, next);
    }
    engine__gil_take(e, next);
    engine__pass(e, self, next);
}

bool
engine__block(struct engine *e, int obj, int64_t deadline)
{
    int self = sched_current(e->sched);
    struct actor *a;

    if (e->finishing) {
        /* During interpreter finalization nobody else may run: a wait
         * that cannot be satisfied now times out at once. */
        return false;
    }
    sched_block(e->sched, obj, deadline);
    engine__switch(e, self, EV_WHY_BLOCK);
    a = sched_actor(e->sched, self);
    return !a->timed_out;
}

void
engine__cpu(struct engine *e, int64_t ns)
{
    int self = sched_current(e->sched);

    /* Charge in slices so the policy can preempt long work as CPython's
     * eval breaker would (telar.cpu is a call: a breaker point). */
    while (ns > 0) {
        int64_t slice = ns < 1000000 ? ns : 1000000;

        sched_charge(e->sched, slice);
        ns -= slice;
        /* Each slice is a point of its own (a step), as the scheduler's
         * contract asks: replay counts points, not charges. */
        if (!e->finishing && sched_point(e->sched, 0)
            && sched_point_slow(e->sched, SCHED_POINT_OPCODE
                                | SCHED_POINT_BREAKER)) {
            engine__switch(e, self, EV_WHY_PREEMPT);
        }
    }
}

void
engine__gil_release(struct engine *e)
{
    int self = sched_current(e->sched);

    /* A system call costs virtual time too, so a loop that polls reaches
     * its deadlines; and CPython drops the GIL around it, so a thread
     * that became ready (a reader whose data arrived) may run now. */
    sched_charge(e->sched, ENGINE_SYSCALL_NS);
    if (e->finishing || e->forking) {
        return;
    }
    sched_relinquish(e->sched);
    engine__switch(e, self, EV_WHY_YIELD);
}

static int
gil_obj_of(struct engine *e, int proc)
{
    struct engine_shared *sh = e->sh;

    if (sh->gil_obj[proc] == 0) {
        /* 0 is "not made yet": objects are numbered from 0, so store +1. */
        sh->gil_obj[proc] = sched_obj_new(e->sched, EV_OBJ_GIL, "GIL", 1) + 1;
        sh->gil_holder[proc] = SCHED_NONE;
    }
    return sh->gil_obj[proc] - 1;
}

void
engine__gil_take(struct engine *e, int actor)
{
    struct actor *a = sched_actor(e->sched, actor);
    struct engine_shared *sh = e->sh;
    struct ev ev = { .kind = EV_OBJ_OP };
    int obj;

    if (a == NULL || !a->schedulable) {
        return;
    }
    obj = gil_obj_of(e, a->proc);
    if (sh->gil_holder[a->proc] == actor) {
        return;
    }
    if (sh->gil_holder[a->proc] >= 0) {
        ev.obj = obj;
        ev.actor = sh->gil_holder[a->proc];
        ev.a = EV_OP_RELEASE;
        ev.x = 0;
        evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    }
    sh->gil_holder[a->proc] = actor;
    sched_obj_set_holder(e->sched, obj, actor);
    ev.obj = obj;
    ev.actor = actor;
    ev.a = EV_OP_ACQUIRE;
    ev.x = 1;
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
}

void
engine__gil_drop(struct engine *e, int actor)
{
    struct actor *a = sched_actor(e->sched, actor);
    struct engine_shared *sh = e->sh;
    struct ev ev = { .kind = EV_OBJ_OP, .a = EV_OP_RELEASE };

    if (a == NULL) {
        return;
    }
    ev.obj = gil_obj_of(e, a->proc);
    if (sh->gil_holder[a->proc] != actor) {
        return;
    }
    sh->gil_holder[a->proc] = SCHED_NONE;
    ev.actor = actor;
    sched_obj_set_holder(e->sched, ev.obj, SCHED_NONE);
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
}
