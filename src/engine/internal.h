/*
 * What the files of the engine share and nothing outside src/engine sees.
 * struct engine is the root of all engine state (no mutable globals):
 * the scheduler, the baton, and one record per thread actor.
 */
#ifndef TELAR_ENGINE_INTERNAL_H
#define TELAR_ENGINE_INTERNAL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "log/evlog.h"
#include "sched/sched.h"
#include "util/arena.h"
#include "util/ptrmap.h"

struct engine;
struct code_info;
struct watch;
struct access;

#if PY_VERSION_HEX < 0x030b0000 || PY_VERSION_HEX >= 0x030c0000
#error "the engine reads CPython 3.11 frame objects"
#endif

/* The head of CPython 3.11's PyFrameObject and _PyInterpreterFrame
 * (Include/internal/pycore_frame.h): the fields the tracer reads and the
 * two flags it writes, without building against internal headers. */
struct frame311 {
    PyObject_HEAD
    PyFrameObject *f_back;
    struct iframe311 *f_frame;
    PyObject *f_trace;
    int f_lineno;
    char f_trace_lines;
    char f_trace_opcodes;
};

struct iframe311 {
    PyFunctionObject *f_func;
    PyObject *f_globals;
    PyObject *f_builtins;
    PyObject *f_locals;
    PyCodeObject *f_code;
    PyFrameObject *frame_obj;
    struct iframe311 *previous;
    _Py_CODEUNIT *prev_instr;
    int stacktop;
    bool is_entry;
    char owner;
    PyObject *localsplus[1];
};

/* PyFrame_GetLasti without the call: the byte offset of the instruction
 * being traced (Include/internal/pycore_frame.h, _PyInterpreterFrame_LASTI). */
static inline int
frame_lasti(PyFrameObject *f)
{
    struct iframe311 *fr = ((struct frame311 *)f)->f_frame;

    return (int)(fr->prev_instr
                 - (_Py_CODEUNIT *)fr->f_code->co_code_adaptive)
           * (int)sizeof(_Py_CODEUNIT);
}

#define FRAME(f) ((struct frame311 *)(f))

struct sparse;

#define ENGINE_MAX_PROCS 256
#define ENGINE_MAX_HELPERS 16

/* A process of the run, in the shared table (process.c). */
struct engine_proc {
    int number;                 /* 0: the first process */
    int parent;                 /* the number of the process that forked it */
    pid_t pid;                  /* 0 before fork returns; -1 once reaped */
    int pactor;                 /* its actor (kind process) */
    int actor;                  /* its main thread's actor */
    int obj;                    /* what waitpid waits on */
    bool exited;
    int status;                 /* exit status, or -signal */
};

/* What every process of a run shares, in the arena: the baton and the
 * condition variables that pass it (process-shared).  Indexed by actor. */
struct engine_shared {
    pthread_mutex_t mu;
    int baton;                  /* the actor that may run Python */
    int lost;                   /* given the baton to report a deadlock
                                   after a process died holding it */
    pthread_cond_t park_cv;     /* a new thread parked */
    bool parked[SCHED_MAX_ACTORS];
    pthread_cond_t cv[SCHED_MAX_ACTORS];
    /* Readiness of descriptors shared between processes changes only when
     * some actor reads, writes, closes or ends: fd_gen counts those, and a waiter
     * in another process checks again only when it moved since it began
     * to wait (poll_gen). */
    uint64_t fd_gen;
    uint64_t poll_gen[SCHED_MAX_ACTORS];
    /* Ids that must be unique in the run's log, whichever process makes
     * them: code objects (EV_CODE), locations and channels (--races). */
    int next_code_id;
    int64_t next_loc;
    int64_t next_chan;
    int nprocs;                 /* procs[0] is the first process */
    int gil_obj[ENGINE_MAX_PROCS];      /* each process's GIL object */
    int gil_holder[ENGINE_MAX_PROCS];   /* its holder, or SCHED_NONE */
    struct engine_proc procs[ENGINE_MAX_PROCS];
    /* A process that exec'd (spawn; exec.c) inherits nothing but this
     * arena: the scheduler, the log, and the options it needs. */
    struct sched *sched;
    struct evlog *log;
    int cores;
    uint64_t max_memory;
    uint64_t max_steps;
    bool log_lines;
    int control_in, control_out;        /* live mode's pipes, or -1 */
    /* The run was ended in another process than the first (a deadlock or
     * a bound found there): the first one's main thread, given the
     * baton, writes the end and the reports (engine__abort_run). */
    bool halt;
    int halt_status;
    int halt_why;               /* enum ev_end */
    char *halt_report;          /* in the arena */
    /* Processes outside the scheduler (the resource tracker), waited for
     * at the end of the run. */
    int nhelpers;
    pid_t helpers[ENGINE_MAX_HELPERS];
};

/* One per thread actor.  Owned by the engine (its table), freed with it. */
struct engine_thread {
    int actor;
    bool used;                  /* a thread of this process */
    bool finished;
    bool failed;                /* ended through threading.excepthook */
    PyObject *boot_func;        /* strong until the thread runs it */
    PyObject *boot_args;
    PyObject *boot_kwargs;
    int selector_obj;           /* scheduler object of its selector waits */
    int cur_task;               /* the asyncio task it is stepping, or -1 */
    PyObject *task_coro;        /* borrowed, only compared: its coroutine */
    bool task_cancelled;        /* its last exception was CancelledError */
    PyThreadState *tstate;      /* borrowed: CPython owns it */
    PyObject *sentinel;         /* strong: the lock join() waits on */
    PyObject *tracer;           /* strong: the trace object of the thread */
    /* tracer state */
    PyFrameObject *last_frame;  /* borrowed: only compared */
    int last_lasti;
    int last_opcode;
    /* --races: whether the frame being run would run traced in a run
     * without it (255) or not (0), as cframe->use_tracing would be; the
     * thread's epoch (bumped at each of its EV_SYNC) and the accesses it
     * logged in it (access.c, owned). */
    uint8_t vtrace;
    uint64_t access_epoch;
    struct access_seen *access_seen;
    PyObject *thread_obj;       /* borrowed, only compared: its Thread */
    int64_t end_chan;           /* its sentinel's channel, once it ended */
    /* selector waits: the descriptors to check */
    struct pollfd *fds;
    int nfds;
    int fds_cap;
};

struct engine {
    const struct engine_opts *opts;
    struct sched *sched;
    struct sched_config sched_cfg;  /* opts->sched, allocating in the arena */
    struct evlog *log;
    char *path;                 /* absolute path of the scenario */
    char *dir;                  /* its directory */

    /* the baton: who may run Python now (shared across processes) */
    struct engine_shared *sh;
    struct arena *arena;        /* owned by the first process */

    struct engine_thread *threads;  /* indexed by actor id */
    size_t nthreads_cap;

    /* tracing */
    int code_extra;             /* co_extra index for struct code_info */
    bool opcode_mode;           /* opcode events in scenario frames */
    struct sparse *sparse;      /* owned: tracer.c's sparse frames */
    uint64_t trace_gen;         /* bumped when opcode mode begins */
    struct ptrmap tasks;        /* coroutine -> task actor (tracer.c) */
    struct ptrmap syncs;        /* queue, event... -> scheduler object */
    struct code_info *code_infos;   /* owned: every code_info (tracer.c) */
    PyObject *current_tasks;    /* strong: _asyncio._current_tasks */
    PyObject *get_running_loop; /* strong: _asyncio.get_running_loop */
    bool explore;               /* a chooser decides: mark visible points */
    /* exploring: the exit status the main module's end gives (zygote.c) */
    bool main_known;
    int main_status;
    PyFrameObject *main_raised; /* only compared: the frame it saw raise */
    int main_raised_status;     /* -1: an exit that must run its course */
    uintptr_t *teardown_known;  /* owned: the zygote's objects that may run
                                   code at teardown, sorted; NULL outside
                                   a zygote */
    size_t nteardown_known;
    bool finishing;             /* after threading._shutdown: no switches */
    bool forking;               /* between fork and the child's first turn */
    int proc;                   /* this process's number (0: the first) */
    PyObject *real_fork;        /* strong: os.fork */
    char *stdlib_prefix;        /* frames under here are not scenario code */

    /* determinism */
    uint64_t urandom_state;

    PyObject *module;           /* strong: _telar */
    PyObject *boot;             /* strong: the bootstrap module */
    PyObject *real_start_new_thread;  /* strong */
    PyObject *real_sleep;       /* strong: for argument errors */
    PyThreadState *main_tstate;

    struct watch *watches;      /* owned: --watch (watch.c) */
    int nwatch;

    /* race detection (--races, access.c) */
    bool races;                 /* asked for */
    bool races_armed;           /* a second thread was started: accesses
                                   and happens-before facts are logged */
    struct access *access;      /* owned */

    int exit_status;
    bool ended;                 /* the run's end was logged */
    struct engine_outcome *outcome; /* borrowed: written at the end */
    struct memory *memory;      /* owned: the memory bound (memory.c) */

    /* telar explore's runs one after another in one process (reuse.c) */
    struct reuse *reuse;        /* owned, or NULL */
    bool reuse_want_main;       /* note the main module when it starts */
    bool reused;                /* a run after the first ran: its status */
    int reuse_status;
};

/* engine.c */
struct engine_thread *engine__thread(struct engine *e, int actor);
/* The end of a run in its first process, after the scenario: every child
 * reaped, the last actor finished, the end logged. */
void engine__finish(struct engine *e, int status);
/* Flush sys.stdout and sys.stderr: -1 if either raised (cleared). */
int engine__flush_std_streams(void);
void engine__end(struct engine *e, int status, enum ev_end why,
                 const char *msg);
/* Flush Python's std streams, print the report, write the log, _exit. */
void engine__abort_run(struct engine *e, int status, enum ev_end why,
                       const char *report) __attribute__((noreturn));
/* The first process's main thread, given the baton: if another process
 * ended the run (shared.halt), end it here.  Needs the GIL. */
void engine__halted(struct engine *e);

/* baton.c */
struct engine_shared *engine__shared_new(struct arena *ar);
/* Make the condition variable of a new schedulable actor, before anyone
 * can wait on it or signal it. */
void engine__actor_cv_init(struct engine_shared *sh, int actor);
/* Called with the GIL held by the current actor: */
/* Give the baton to next and wait until it comes back. */
void engine__pass(struct engine *e, int self, int next);
/* The current actor blocked, finished or yields: choose and pass.  Handles
 * deadlock and the step bound (they end the run). */
void engine__switch(struct engine *e, int self, enum ev_reason why);
/* Give the baton away for good (the thread is ending); do not wait. */
void engine__handoff(struct engine *e, int self, int next);
/* A new thread's first wait, after its creator was told it parked. */
void engine__park_new(struct engine *e, struct engine_thread *t);
/* End the run for a special result of sched_next (deadlock, limit). */
void engine__stop(struct engine *e, int next) __attribute__((noreturn));
/* Wait on obj until woken or deadline; true if woken (not timed out). */
bool engine__block(struct engine *e, int obj, int64_t deadline);
/* A call CPython makes with the GIL released (poll, read, write on a
 * pipe): it costs ENGINE_SYSCALL_NS and other ready threads may run. */
#define ENGINE_SYSCALL_NS 1000
/* What processes cost in virtual time (README "Virtual time", telar(1)
 * "THE COST MODEL").  Round figures near what python3.11 takes on the
 * machines this project is built on (tests/bench/run.sh measures the real
 * ones): fork() of a small interpreter and its pipes costs the parent
 * about a millisecond, and the child as much again before its target
 * runs (CPython's at-fork hooks, multiprocessing's _bootstrap).  A spawned
 * child is a fresh interpreter that imports multiprocessing and unpickles
 * its process object before it re-imports the main module (whose own code
 * is charged per instruction, as everywhere): about 40 ms of CPU.  Data
 * between processes is pickled, copied through the kernel and unpickled:
 * a byte written to or read from a pipe or socket costs 1 ns on each side
 * (about 500 MB/s end to end, what a Pipe carries for large bytes). */
#define ENGINE_FORK_NS 1000000
#define ENGINE_FORK_CHILD_NS 1000000
#define ENGINE_SPAWN_NS 1000000
#define ENGINE_SPAWN_CHILD_NS 40000000
#define ENGINE_BYTE_NS 1
void engine__gil_release(struct engine *e);
/* The GIL of actor's process changes hands: logged as operations on a
 * per-process "gil" object whose holder is the thread that runs its
 * Python.  gil_drop: the actor gives it up (it blocks or ends). */
void engine__gil_take(struct engine *e, int actor);
void engine__gil_drop(struct engine *e, int actor);
/* Charge CPU work outside bytecode and let the policy preempt. */
void engine__cpu(struct engine *e, int64_t ns);

/* memory.c: wrap CPython's allocators before it starts. */
void memory__install(struct engine *e, uint64_t limit);
void memory__uninstall(struct engine *e);
bool memory__exceeded(const struct engine *e);
/* The arena allocator the bound's wrapper calls: *old gets it, now takes
 * its place (reuse.c keeps blocks there, still counted as given back). */
void memory__swap_arena_below(struct engine *e, PyObjectArenaAllocator *old,
                              const PyObjectArenaAllocator *now);
uint64_t memory__used(const struct engine *e);
/* Stop the run (exit 4) once the bound was hit.  Needs the GIL. */
void engine__check_memory(struct engine *e);

/* tracer.c */
int tracer__init(struct engine *e);
void tracer__fini(struct engine *e);
PyObject *tracer__new(struct engine *e, int actor);  /* new reference */
void tracer__install(struct engine *e, struct engine_thread *t);
/* No sparse frame runs and no check is queued (reuse.c). */
bool tracer__sparse_idle(const struct engine *e);
/* Re-evaluate opcode mode after the number of live threads changed. */
void tracer__update_mode(struct engine *e);
/* The scenario's variable name for obj, as seen from the running scenario
 * frame (a local, then a global), into buf; "" when it has none. */
const char *tracer__label(struct engine *e, PyObject *obj, char *buf,
                          size_t size);
/* Log the position of actor (the innermost scenario frame from f). */
void tracer__log_pos(struct engine *e, int actor, PyFrameObject *f);
/* --races: is the running code a library setting itself up (a module's
 * body outside the scenario, or importlib) rather than something the
 * scenario called?  Its locks are bookkeeping. */
bool tracer__in_library_setup(struct engine *e);
/* Called on the hot path when sched_point asks: decide and maybe switch. */
int tracer__point_slow(struct engine *e, struct engine_thread *t,
                       unsigned flags);
/* The value stack of a frame inside an opcode event: a pointer just past
 * its top item, and how many items it holds.  Borrowed. */
PyObject **tracer__stack(PyFrameObject *f, int *depth);
/* Whether co is scenario code (traced, with points of its own). */
bool tracer__is_scenario_code(struct engine *e, PyCodeObject *co);

/* tracer-visible.c: SCHED_POINT_VISIBLE when the instruction at lasti of
 * f (code: its deoptimised bytes) can observe or change what another
 * actor sees, else 0.  Called inside an opcode event, exploring only. */
unsigned tracer__visible(struct engine *e, PyFrameObject *f,
                         const unsigned char *code, int lasti);

/* Charge now what the running thread's sparse frames ran since their last
 * check, before something reads the clock or waits on it. */
void tracer__settle(struct engine *e);

/* disasm.c: f's instructions as EV_BYTECODE's text, appended to out.
 * 0, or -1 when the code cannot be read. */
int engine__disasm(PyCodeObject *co, struct str *out);

/* watch.c: the globals --watch names, logged when they change. */
int watch__init(struct engine *e);
void watch__check(struct engine *e, int actor);
void watch__fini(struct engine *e);

/* control.c: live mode (a viewer lets the run go step by step). */
int engine__control_start(struct engine *e, struct diag *d);
void engine__control_end(struct engine *e, int status);

/* access.c: race detection (--races).  Nothing here runs unless
 * e->races; accesses and facts are logged only once e->races_armed. */
/* Before CPython starts: watch the allocator and the free lists so that a
 * freed object's locations are never taken for a new object's. */
void access__install(struct engine *e);
/* After CPython's finalization. */
void access__uninstall(struct engine *e);
/* The engine's bytecodes that touch shared data, as enum ev_access + 1
 * (0: not an access); indexed by CPython 3.11 opcode. */
extern const unsigned char access__ops[256];
/* Log the access that instruction op at lasti of frame f is about to
 * make, unless the thread logged it already in this epoch.  code is the
 * frame's deoptimised bytecode, code_id its EV_CODE id. */
void access__opcode(struct engine *e, struct engine_thread *t,
                    PyFrameObject *f, const unsigned char *code, int lasti,
                    int op, int code_id);
/* A happens-before fact of thread actor (EV_SYNC); arg is the channel,
 * or the thread started. */
void access__sync(struct engine *e, int actor, enum ev_sync kind,
                  int64_t arg);
/* A fresh channel number. */
int64_t access__chan_new(struct engine *e);
/* Thread actor learns that the threading.Thread thread_obj has ended (a
 * join or is_alive() that finds it stopped: the sentinel's own edge went
 * to whoever saw the end first). */
void access__joined(struct engine *e, int actor, PyObject *thread_obj);
/* A read from (write: false) or a write to fd by thread actor: through a
 * pipe, what the writer did before reaches the reader. */
void access__pipe(struct engine *e, int actor, int fd, bool write);
/* asyncio: a thread schedules a callback on loop (call_soon_threadsafe)
 * or the loop's thread runs one (Handle._run). */
void access__loop(struct engine *e, int actor, PyObject *loop, bool run);

/* process.c */
/* A new process in the table with its process and main-thread actors,
 * named after the Process being started (the caller's process_obj).
 * NULL with an exception set when the actor table is full; ends the run
 * past ENGINE_MAX_PROCS (a fork bomb). */
struct engine_proc *engine__proc_new(struct engine *e);
/* The process could not be started after all. */
void engine__proc_failed(struct engine *e, struct engine_proc *p);
PyObject *engine__fork(struct engine *e);
void engine__after_fork_child(struct engine *e);
bool engine__proc_poll(struct engine *e, int obj);
bool engine__proc_is_dead(pid_t pid);
/* A process ended without telling the scheduler: end its actors. */
void engine__proc_died(struct engine *e, struct engine_proc *p);
PyObject *engine__waitpid(struct engine *e, pid_t pid, int options);
PyObject *engine__kill(struct engine *e, pid_t pid, int sig);
void engine__proc_exit(struct engine *e, int status)
    __attribute__((noreturn));
void engine__reap_all(struct engine *e);
PyObject *engine__read(struct engine *e, int fd, Py_ssize_t n);
void engine__wait_fd(struct engine *e, int fd, short events);
PyObject *engine__write(struct engine *e, int fd, Py_buffer *data);
PyObject *engine__close(struct engine *e, int fd);

/* zygote.c: how the scenario's main module ended, seen by the tracer
 * while exploring (the status a run will exit with, before CPython's
 * finalization), and the end of a run that can skip that finalization. */
void engine__main_raised(struct engine *e, struct engine_thread *t,
                         PyFrameObject *f, PyObject *arg);
void engine__main_returned(struct engine *e, struct engine_thread *t,
                           PyFrameObject *f, PyObject *arg);
void engine__fast_exit(struct engine *e);
/* Whether freeing o may run code (a finalizer, a weakref callback that is
 * not the standard library's own bookkeeping). */
bool engine__may_run_code(struct engine *e, PyObject *o);

/* reuse.c: telar explore runs one run after another in the process it
 * forked from the zygote, when what a run leaves behind is known to be
 * put back as it was.  go_fd: the parent says "run again" (a byte) or
 * "stop" (end of file); done_fd: this process says a run ended. */
int engine__reuse_start(struct engine *e, int go_fd, int done_fd);
void engine__reuse_main_start(struct engine *e, struct engine_thread *t,
                              PyCodeObject *code, PyObject *globals);
/* Whether the run that ends may not be what a forked run would have been:
 * the collector freed objects during it (when it does depends on the heap
 * the run began with: a finalizer or a weak reference's callback may then
 * run at another moment). */
bool engine__reuse_tainted(struct engine *e);
/* What a run that went on in the same process writes to done_fd. */
struct engine_reuse_done {
    int status;
    long minflt;
    long cpu_us;
};

/* gc-walk.c: call fn on every object the collector tracks (reading them
 * only) until it returns true; true if it did. */
bool engine__gc_any(bool (*fn)(PyObject *o, void *ctx), void *ctx);
/* The same over the three generations, not the permanent one (what
 * gc.freeze() set aside). */
bool engine__gc_any_young(bool (*fn)(PyObject *o, void *ctx), void *ctx);
/* The collector's counts and settings (telar explore's reuse of a run's
 * process: reuse.c). */
#define ENGINE_GC_GENERATIONS 3
struct engine_gc_state {
    int count[ENGINE_GC_GENERATIONS];
    int threshold[ENGINE_GC_GENERATIONS];
    int enabled;
    Py_ssize_t long_lived_total;
    Py_ssize_t long_lived_pending;
};
void engine__gc_save(struct engine_gc_state *s);
/* Put the counts back (not the settings). */
void engine__gc_restore(const struct engine_gc_state *s);
bool engine__gc_settings_same(const struct engine_gc_state *s);
/* What changes when a run calls gc.freeze() or gc.unfreeze(), or adds an
 * audit hook (sys.addaudithook): both outlive the run. */
struct engine_interp_mark {
    uintptr_t perm_first, perm_last;
    Py_ssize_t audit_hooks;
};
void engine__interp_mark(struct engine_interp_mark *m);
/* How many objects the collector has found unreachable so far. */
Py_ssize_t engine__gc_found(void);

/* Close every descriptor from 3 up but the event log's.  process.c */
void engine__close_fds_but_log(struct engine *e);

/* exec.c */
PyObject *engine__spawn(struct engine *e, bool joins, PyObject *args,
                        PyObject *passfds);
void engine__reap_helpers(struct engine *e);

/* semlock.c */
extern PyType_Spec semlock_spec;

/* telarmod.c */
PyMODINIT_FUNC telarmod_init(void);
int telarmod_attach(PyObject *module, struct engine *e);
/* True if the actor's descriptors are ready (the scheduler's poll hook). */
bool telarmod_poll(void *ctx, int actor);
/* Note the state of every Lock and RLock alive; put the ones still alive
 * back as they were (reuse.c, between runs of one process). */
void telarmod_locks_save(void);
void telarmod_locks_restore(void);
/* Python-level description of the deadlock; new reference or NULL. */
PyObject *telarmod_describe_deadlock(struct engine *e);

#endif
