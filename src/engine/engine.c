/*
 * Embedding CPython for one run.  The interpreter starts from a controlled
 * configuration (hash seed 0, UTF-8 mode, no user site, no PYTHON*
 * variables, the standard library of the prefix configure found), the
 * bootstrap (boot.py, compiled into the binary) replaces the blocking and
 * clock points with _telar's, and Py_RunMain runs the scenario exactly as
 * python3 would: sys.argv, __file__, sys.path[0], tracebacks and exit codes
 * are CPython's own.  Reports (timeline, trace, schedule) are written from
 * the event log once the run has ended.
 */
#include "config.h"

#include "engine/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/boot-py.h"
#include "log/export.h"
#include "log/lint.h"
#include "log/races.h"

void
engine_opts_init(struct engine_opts *o)
{
    memset(o, 0, sizeof *o);
    sched_config_init(&o->sched);
    o->timeline_width = 100;
    o->max_memory = (uint64_t)2 << 30;
    o->control_in = -1;
    o->control_out = -1;
}

const char *
engine_python_version(void)
{
    return "Python " PY_VERSION;
}

struct engine_thread *
engine__thread(struct engine *e, int actor)
{
    /* The table has a record for every possible actor (it is allocated
     * once at SCHED_MAX_ACTORS): an id outside it is our bug. */
    if (actor < 0 || (size_t)actor >= e->nthreads_cap) {
        fatal("no thread record for actor %d", actor);
    }
    return &e->threads[actor];
}

/* --stats: what the run did, counted from its log. */
static void
write_stats(struct engine *e, struct evlog_reader *r)
{
    uint64_t switches = 0, events = 0;
    struct diag d;
    struct ev ev;

    while (evlog_next(r, &ev, &d) == 1) {
        events++;
        switches += ev.kind == EV_SWITCH;
    }
    fprintf(stderr,
            _("telar: %llu steps, %llu switches, %.6f s of virtual time; "
              "log: %llu records, %llu bytes (%.1f bytes/record)\n"),
            (unsigned long long)sched_step(e->sched),
            (unsigned long long)switches,
            (double)sched_now(e->sched) / 1e9,
            (unsigned long long)evlog_count(e->log),
            (unsigned long long)evlog_bytes(e->log),
            evlog_count(e->log)
                ? (double)evlog_bytes(e->log) / (double)evlog_count(e->log)
                : 0.0);
    (void)events;
}

/* Write the reports the options ask for.  Runs once, at the end; rs is
 * the races found (--races), or NULL. */
static void
write_reports(struct engine *e, const struct races *rs)
{
    struct diag d;
    struct evlog_reader *r;

    if (evlog_flush(e->log, &d) < 0) {
        fprintf(stderr, "telar: %s\n", d.msg);
        return;
    }
    if (e->opts->print_schedule) {
        fprintf(stderr, "telar: schedule: %s\n", sched_schedule(e->sched));
    }
    if (rs != NULL) {
        races_print(rs, stderr);
    }
    if (!e->opts->timeline && e->opts->trace_path == NULL
        && !e->opts->stats && !e->opts->lint) {
        return;
    }
    r = evlog_open_fd(evlog_fd(e->log), &d);
    if (r == NULL) {
        fprintf(stderr, "telar: %s\n", d.msg);
        return;
    }
    if (e->opts->stats) {
        write_stats(e, r);
        evlog_rewind(r);
    }
    if (e->opts->lint) {
        if (lint_report(r, stderr, NULL, &d) < 0) {
            fprintf(stderr, "telar: lint: %s\n", d.msg);
        }
        evlog_rewind(r);
    }
    if (e->opts->timeline) {
        if (export_timeline_write(r, stderr, e->opts->timeline_width, &d) < 0) {
            fprintf(stderr, "telar: timeline: %s\n", d.msg);
        }
    }
    if (e->opts->trace_path != NULL) {
        char tmp[PATH_MAX];
        FILE *f;

        snprintf(tmp, sizeof tmp, "%s.tmp", e->opts->trace_path);
        evlog_rewind(r);
        f = fopen(tmp, "w");
        if (f == NULL) {
            fprintf(stderr, "telar: cannot write %s: %s\n", tmp,
                    strerror(errno));
        } else if (export_trace_write(r, f, &d) < 0) {
            fprintf(stderr, "telar: trace: %s\n", d.msg);
            fclose(f);
            unlink(tmp);
        } else if (fclose(f) != 0 || rename(tmp, e->opts->trace_path) != 0) {
            fprintf(stderr, "telar: cannot write %s: %s\n",
                    e->opts->trace_path, strerror(errno));
            unlink(tmp);
        }
    }
    evlog_close(r);
}

/* --races: the races in the log so far, each also logged as EV_RACE so
 * that a view of the log finds them.  NULL (said on stderr) when the log
 * cannot be read back. */
static struct races *
find_races(struct engine *e)
{
    struct evlog_reader *r;
    struct races *rs;
    struct diag d;

    if (evlog_flush(e->log, &d) < 0
        || (r = evlog_open_fd(evlog_fd(e->log), &d)) == NULL) {
        fprintf(stderr, "telar: races: %s\n", d.msg);
        return NULL;
    }
    rs = races_new();
    if (races_scan(rs, r, &d) < 0) {
        fprintf(stderr, "telar: races: %s\n", d.msg);
        races_free(rs);
        rs = NULL;
    }
    for (size_t i = 0; rs != NULL && i < races_count(rs); i++) {
        struct ev ev;

        races_record(rs, i, &ev);
        evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    }
    evlog_close(r);
    return rs;
}

void
engine__end(struct engine *e, int status, enum ev_end why, const char *msg)
{
    struct ev ev = { .kind = EV_END, .actor = -1, .obj = -1 };
    struct races *rs = NULL;

    if (e->ended) {
        return;
    }
    e->ended = true;
    if (e->outcome != NULL) {
        struct engine_outcome *out = e->outcome;
        const char *sch = sched_schedule(e->sched);
        size_t len = strlen(sch);

        out->status = status;
        out->why = why;
        out->steps = sched_step(e->sched);
        out->schedule_len = len;
        if (e->reuse != NULL && engine__reuse_tainted(e)) {
            out->tainted = true;
        }
        if (out->schedule_cap > 0) {
            len = len < out->schedule_cap ? len : out->schedule_cap - 1;
            memcpy(out->schedule, sch, len);
            out->schedule[len] = '\0';
        }
        out->ended = true;
    }
    if (e->races) {
        rs = find_races(e);
    }
    ev.a = status;
    ev.b = why;
    ev.str = msg != NULL ? msg : "";
    ev.len = strlen(ev.str);
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    write_reports(e, rs);
    races_free(rs);
    engine__control_end(e, status);
}

/* Flush sys.stdout and sys.stderr as CPython would before exiting. */
int
engine__flush_std_streams(void)
{
    static const char *const names[] = { "stdout", "stderr" };
    int rc = 0;

    for (size_t i = 0; i < 2; i++) {
        PyObject *f = PySys_GetObject(names[i]);   /* borrowed */
        PyObject *r;

        if (f == NULL || f == Py_None) {
            continue;
        }
        r = PyObject_CallMethod(f, "flush", NULL);
        if (r == NULL) {
            PyErr_Clear();
            rc = -1;
        }
        Py_XDECREF(r);
    }
    return rc;
}

/* In a process other than the first: hand the end of the run to the
 * first one, whose main thread writes it with the reports (it has the
 * options and the exit status the user sees), and leave. */
static void
halt_in_first(struct engine *e, int status, enum ev_end why,
              const char *report)
{
    struct engine_shared *sh = e->sh;
    size_t len = strlen(report);

    sh->halt_report = alloc_calloc(arena_allocator(e->arena), 1, len + 1);
    memcpy(sh->halt_report, report, len);
    sh->halt_status = status;
    sh->halt_why = why;
    sh->halt = true;
    fflush(NULL);
    engine__handoff(e, sched_current(e->sched), sh->procs[0].actor);
    _exit(status);
}

void
engine__abort_run(struct engine *e, int status, enum ev_end why,
                  const char *report)
{
    struct ev ev = { .kind = EV_DEADLOCK, .actor = -1, .obj = -1 };

    engine__flush_std_streams();
    if (e->proc != 0) {
        halt_in_first(e, status, why, report);
    }
    if (why == EV_END_DEADLOCK) {
        ev.str = report;
        ev.len = strlen(report);
        evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    }
    fputs(report, stderr);
    fflush(stderr);
    e->finishing = true;
    engine__reap_all(e);
    engine__end(e, status, why, report);
    fflush(NULL);
    engine__reap_helpers(e);
    _exit(status);
}

void
engine__halted(struct engine *e)
{
    struct engine_shared *sh = e->sh;

    if (sh->halt && e->proc == 0) {
        sh->halt = false;
        engine__abort_run(e, sh->halt_status, (enum ev_end)sh->halt_why,
                          sh->halt_report);
    }
}

static const char *
memory_message(struct engine *e)
{
    static char msg[256];

    snprintf(msg, sizeof msg,
             _("telar: the scenario went past the memory bound of %llu MiB "
               "(--max-memory) and was stopped.\n"),
             (unsigned long long)(e->opts->max_memory >> 20));
    return msg;
}

void
engine__check_memory(struct engine *e)
{
    if (memory__exceeded(e) && !e->finishing) {
        PyErr_Clear();
        engine__abort_run(e, ENGINE_EXIT_LIMIT, EV_END_LIMIT,
                          memory_message(e));
    }
}

/* Check the scenario before CPython sees it, so a missing file or a
 * directory gets one clear line instead of CPython's own wording. */
static int
check_file(const char *path, struct diag *d)
{
    struct stat st;
    int fd;

    if (stat(path, &st) < 0) {
        diag_set(d, _("cannot open %s: %s"), path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_set(d, _("%s is a directory, not a Python file"), path);
        return -1;
    }
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        diag_set(d, _("cannot open %s: %s"), path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

static int
config_set(PyConfig *c, wchar_t **field, const char *value, struct diag *d)
{
    PyStatus st = PyConfig_SetBytesString(c, field, value);

    if (PyStatus_Exception(st)) {
        diag_set(d, "python: %s", st.err_msg ? st.err_msg : "config error");
        return -1;
    }
    return 0;
}

/* What the interpreter runs, as python3's command line would say it. */
struct engine_pyrun {
    const char *file;           /* python3 FILE, or NULL */
    const char *command;        /* python3 -c COMMAND, or NULL */
    int argc;                   /* sys.argv */
    char **argv;
    int optimize;               /* -O, -OO */
    int bytes_warning;          /* -b */
    int quiet;                  /* -q */
    int verbose;                /* -v */
    int nwarn;                  /* -W */
    char **warn;
    int nxopt;                  /* -X */
    char **xopt;
};

/* Append items to a list of the configuration (-W, -X). */
static int
config_set_list(PyWideStringList *list, int n, char **items, struct diag *d)
{
    for (int i = 0; i < n; i++) {
        wchar_t *w = Py_DecodeLocale(items[i], NULL);
        PyStatus st;

        if (w == NULL) {
            diag_set(d, "python: cannot decode '%s'", items[i]);
            return -1;
        }
        st = PyWideStringList_Append(list, w);
        PyMem_RawFree(w);
        if (PyStatus_Exception(st)) {
            diag_set(d, "python: %s", st.err_msg ? st.err_msg : "config");
            return -1;
        }
    }
    return 0;
}

/* Start CPython from telar's controlled configuration.  with_telar: the
 * engine's built-in module is there to import (not in the resource
 * tracker, which runs apart). */
static int
start_python(const struct engine_pyrun *run, bool with_telar, struct diag *d)
{
    PyPreConfig pre;
    PyConfig c;
    PyStatus st;
    int rc = -1;

    PyPreConfig_InitPythonConfig(&pre);
    pre.utf8_mode = 1;
    pre.use_environment = 0;
    pre.parse_argv = 0;
    st = Py_PreInitialize(&pre);
    if (PyStatus_Exception(st)) {
        diag_set(d, "python: %s", st.err_msg ? st.err_msg : "pre-init");
        return -1;
    }
    if (with_telar && PyImport_AppendInittab("_telar", telarmod_init) < 0) {
        diag_set(d, "python: cannot register _telar");
        return -1;
    }
    PyConfig_InitPythonConfig(&c);
    c.use_environment = 0;
    c.user_site_directory = 0;
    c.use_hash_seed = 1;
    c.hash_seed = 0;
    c.safe_path = 0;
    c.parse_argv = 0;
    c.write_bytecode = 0;
    c.buffered_stdio = 1;
    c.install_signal_handlers = 1;
    c.optimization_level = run->optimize;
    c.bytes_warning = run->bytes_warning;
    c.quiet = run->quiet;
    c.verbose = run->verbose;
    if (config_set(&c, &c.home, TELAR_PYTHON_PREFIX, d) < 0
        || config_set(&c, &c.program_name,
                      TELAR_PYTHON_PREFIX "/bin/python" TELAR_PYTHON_VERSION,
                      d) < 0
        || (run->file != NULL
            && config_set(&c, &c.run_filename, run->file, d) < 0)
        || config_set_list(&c.warnoptions, run->nwarn, run->warn, d) < 0
        || config_set_list(&c.xoptions, run->nxopt, run->xopt, d) < 0) {
        goto out;
    }
    if (run->command != NULL) {
        /* As python3 -c: the command with a newline added. */
        char *cmd = xasprintf("%s\n", run->command);
        int r = config_set(&c, &c.run_command, cmd, d);

        free(cmd);
        if (r < 0) {
            goto out;
        }
    }
    st = PyConfig_SetBytesArgv(&c, run->argc, run->argv);
    if (PyStatus_Exception(st)) {
        diag_set(d, "python: %s", st.err_msg ? st.err_msg : "argv");
        goto out;
    }
    st = Py_InitializeFromConfig(&c);
    if (PyStatus_Exception(st)) {
        diag_set(d, "python: %s", st.err_msg ? st.err_msg : "init");
        goto out;
    }
    rc = 0;
out:
    PyConfig_Clear(&c);
    return rc;
}

/* Py_RunMain first asks whether the script is a zip file or a directory
 * to run: PyImport_GetImporter on its path, which tries every path hook
 * (zipimport opens and reads the file, in Python code).  The answer is
 * cached in sys.path_importer_cache, so asking once here, with the same
 * path, leaves Py_RunMain the state it would have made and a dictionary
 * lookup.  telar run does it too, so that a run forked from the zygote
 * (telar explore) and telar run start the scenario from the same state;
 * in a forked run it was a fifth of the run's time. */
static void
warm_main_importer(void)
{
    const PyConfig *c = _Py_GetConfig();
    PyObject *path, *importer;

    /* The path as Py_RunMain passes it: the configuration's, made
     * absolute when CPython read it. */
    if (c->run_filename == NULL) {
        return;
    }
    path = PyUnicode_FromWideChar(c->run_filename, -1);
    importer = path != NULL ? PyImport_GetImporter(path) : NULL;
    Py_XDECREF(importer);
    Py_XDECREF(path);
    PyErr_Clear();
}

/* Import _telar, attach the engine, run the bootstrap.  0 or -1 (printed). */
static int
boot(struct engine *e, int spawn_pipe)
{
    PyObject *code = NULL, *mod = NULL, *dict, *res = NULL;
    PyObject *seed = NULL;

    e->module = PyImport_ImportModule("_telar");
    if (e->module == NULL || telarmod_attach(e->module, e) < 0) {
        goto error;
    }
    code = Py_CompileString(telar_boot_py, "<telar>", Py_file_input);
    if (code == NULL) {
        goto error;
    }
    mod = PyImport_AddModule("_telar_boot");    /* borrowed */
    if (mod == NULL) {
        goto error;
    }
    Py_INCREF(mod);
    dict = PyModule_GetDict(mod);
    if (PyDict_SetItemString(dict, "__builtins__", PyEval_GetBuiltins()) < 0) {
        goto error;
    }
    res = PyEval_EvalCode(code, dict, dict);
    if (res == NULL) {
        goto error;
    }
    Py_DECREF(res);
    seed = PyLong_FromUnsignedLongLong(sched_seed(e->sched));
    res = seed ? PyObject_CallMethod(mod, "install", "O", seed) : NULL;
    if (res == NULL) {
        goto error;
    }
    Py_DECREF(res);
    if (spawn_pipe >= 0) {
        res = PyObject_CallMethod(mod, "install_spawned", "i", spawn_pipe);
        if (res == NULL) {
            goto error;
        }
        Py_DECREF(res);
    }
    Py_DECREF(seed);
    Py_DECREF(code);
    e->boot = mod;
    return 0;
error:
    PyErr_Print();
    Py_XDECREF(seed);
    Py_XDECREF(code);
    Py_XDECREF(mod);
    return -1;
}

/* Free the engine after CPython's finalization.  Daemon threads may still
 * be parked on their condition variables, as CPython's own daemon threads
 * are left behind at exit: their records are kept, the rest goes. */
void
engine_free(struct engine *e)
{
    bool parked = false;

    for (size_t i = 0; i < e->nthreads_cap; i++) {
        struct engine_thread *t = &e->threads[i];

        free(t->fds);
        t->fds = NULL;
        parked |= i > 0 && t->used && !t->finished;
    }
    tracer__fini(e);
    access__uninstall(e);
    memory__uninstall(e);
    ptrmap_fini(&e->tasks);
    ptrmap_fini(&e->syncs);
    if (e->sched != NULL) {
        sched_free(e->sched);
    }
    if (e->log != NULL) {
        evlog_free(e->log);
    }
    free(e->path);
    if (!parked) {
        /* Daemon threads may still wait on the shared condition
         * variables: the arena goes only with the last thread. */
        arena_free(e->arena);
        free(e->threads);
        free(e);
    }
}

/* Only the baton holder ever runs, so the engine's threads gain nothing
 * from a second CPU, while a hand-off to a thread on another CPU costs an
 * inter-processor wake-up (measured on this project's VMs: 20 us against
 * 2 us).  Keep every thread of the run (and the processes it forks) on the
 * CPU it started on. */
static void
pin_to_one_cpu(void)
{
    cpu_set_t set;
    int cpu = sched_getcpu();

    if (cpu < 0 || getenv("TELAR_NO_PIN") != NULL) {
        return;
    }
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    (void)sched_setaffinity(0, sizeof set, &set);
}

/* The state of one run: the shared arena (the scheduler, the log writer
 * and the baton live in it, so that they span fork()ed processes), the
 * log, the scheduler and the first actor with its process and its GIL.
 * Nothing here touches Python.  0, or -1 with d set. */
static int
run_state_new(struct engine *e, struct diag *d)
{
    const struct engine_opts *o = e->opts;
    struct engine_proc *p;
    int main_actor;

    e->arena = arena_new((size_t)4 << 30);
    if (e->arena == NULL) {
        diag_set(d, _("cannot map the engine's shared memory"));
        return -1;
    }
    e->sh = engine__shared_new(e->arena);
    e->sched_cfg = o->sched;
    e->sched_cfg.alloc = arena_allocator(e->arena);
    e->log = evlog_new_in(o->log_path, arena_allocator(e->arena), d);
    if (e->log == NULL) {
        return -1;
    }
    e->sched = sched_new(&e->sched_cfg, e->log, d);
    if (e->sched == NULL) {
        return -1;
    }
    sched_set_poll(e->sched, telarmod_poll, e);
    e->sh->sched = e->sched;
    e->sh->log = e->log;
    e->sh->cores = e->sched_cfg.cores;
    e->sh->max_memory = o->max_memory;
    e->sh->max_steps = o->sched.max_steps;
    e->sh->log_lines = o->log_lines;
    e->sh->control_in = o->control_in;
    e->sh->control_out = o->control_out;
    arena_set_root(e->arena, e->sh);
    /* Orphans of the run (a grandchild whose parent was killed) come to
     * this process, which reaps them at the end. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    {
        struct str info;
        struct ev ev = { .kind = EV_RUN, .actor = -1, .obj = -1 };

        str_init(&info);
        str_addf(&info,
                 "file=%s\nseed=%llu\npolicy=%s\ncores=%d\npython=%s\n",
                 e->path, (unsigned long long)sched_seed(e->sched),
                 sched_policy(e->sched), o->sched.cores,
                 engine_python_version());
        if (o->races) {
            str_adds(&info, "races=on\n");
        }
        ev.str = info.p;
        ev.len = info.len;
        evlog_put(e->log, 0, 0, &ev);
        str_fini(&info);
    }
    main_actor = sched_actor_new(e->sched, EV_ACTOR_THREAD, SCHED_NONE, 0,
                                 "MainThread", true);
    engine__actor_cv_init(e->sh, main_actor);
    e->sh->baton = main_actor;
    p = &e->sh->procs[0];
    p->number = 0;
    p->parent = -1;
    p->pid = getpid();
    p->pactor = SCHED_NONE;
    p->actor = main_actor;
    p->obj = SCHED_NONE;
    e->sh->nprocs = 1;
    engine__gil_take(e, main_actor);
    e->threads[main_actor].used = true;
    e->threads[main_actor].actor = main_actor;
    e->threads[main_actor].selector_obj = SCHED_NONE;
    e->threads[main_actor].cur_task = SCHED_NONE;
    return 0;
}

struct engine *
engine_new(const struct engine_opts *o, struct diag *d)
{
    struct engine *e;
    char *abs;

    if (check_file(o->file, d) < 0) {
        return NULL;
    }
    e = xcalloc(1, sizeof *e);
    e->opts = o;
    e->exit_status = 0;
    e->nthreads_cap = SCHED_MAX_ACTORS;
    e->threads = xcalloc(e->nthreads_cap, sizeof *e->threads);
    abs = realpath(o->file, NULL);
    e->path = abs != NULL ? abs : xstrdup(o->file);
    if (run_state_new(e, d) < 0) {
        engine_free(e);
        return NULL;
    }
    e->urandom_state = sched_seed(e->sched) ^ 0x74656c6172ULL;
    ptrmap_init(&e->tasks);
    ptrmap_init(&e->syncs);

    if (o->max_memory != 0) {
        memory__install(e, o->max_memory);
    }
    e->races = o->races;
    if (e->races) {
        access__install(e);
    }
    {
        struct engine_pyrun run = { .file = o->file, .argc = o->argc + 1 };
        int r;

        run.argv = xcalloc((size_t)o->argc + 2, sizeof *run.argv);
        run.argv[0] = (char *)o->file;
        for (int i = 0; i < o->argc; i++) {
            run.argv[i + 1] = o->argv[i];
        }
        r = start_python(&run, true, d);
        free(run.argv);
        if (r < 0) {
            return NULL;
        }
    }
    e->main_tstate = PyThreadState_Get();
    e->threads[sched_current(e->sched)].tstate = e->main_tstate;
    if (tracer__init(e) < 0 || boot(e, -1) < 0 || watch__init(e) < 0) {
        diag_set(d, _("cannot start the engine (see above)"));
        return NULL;
    }
    warm_main_importer();
    return e;
}

void
engine__finish(struct engine *e, int status)
{
    arena_leak_root(e->arena);
    e->finishing = true;
    engine__reap_all(e);
    if (!e->ended) {
        sched_finish(e->sched, status != 0);
    }
    engine__end(e, status, status == 1 ? EV_END_EXCEPTION : EV_END_EXIT,
                NULL);
    fflush(NULL);
    engine__reap_helpers(e);
}

/* sys.exit(n) ends CPython through Py_Exit, which calls exit(n) without
 * returning from Py_RunMain (a spawned child always ends so: spawn_main
 * calls sys.exit): this on_exit hook ends the run, or the process, then.
 * *arg is the engine, or NULL once Py_RunMain has returned (the engine
 * may be freed by then). */
static void
engine_at_exit(int status, void *arg)
{
    struct engine *e = *(struct engine **)arg;

    if (e == NULL || e->ended) {
        return;
    }
    if (e->proc != 0) {
        engine__proc_exit(e, status);       /* does not return */
    }
    engine__finish(e, status);
}

/* Run the scenario's main module with tracing installed, and end the run
 * (or, in a process other than the first, the process: never returns
 * then). */
static int
exec_main(struct engine *e)
{
    /* One per run, never freed: exit() reads it after Py_RunMain. */
    struct engine **hook = xmalloc(sizeof *hook);
    int status;

    *hook = e;
    on_exit(engine_at_exit, hook);
    status = Py_RunMain();
    /* Runs after the first in this process (reuse.c): theirs is the
     * status, unless CPython's finalization failed (120). */
    if (e->reused && status != 120) {
        status = e->reuse_status;
    }
    if (e->proc != 0) {
        /* A child that returned from the scenario instead of calling
         * os._exit: CPython finalized it as it would. */
        engine__proc_exit(e, status);
    }
    /* CPython has been finalized: no Python from here on. */
    *hook = NULL;
    if (memory__exceeded(e)) {
        e->finishing = true;
        engine__reap_all(e);
        fputs(memory_message(e), stderr);
        engine__end(e, ENGINE_EXIT_LIMIT, EV_END_LIMIT, "memory bound");
        fflush(NULL);
        engine__reap_helpers(e);
        return ENGINE_EXIT_LIMIT;
    }
    engine__finish(e, status);
    return status;
}

int
engine_exec(struct engine *e)
{
    tracer__install(e, &e->threads[sched_current(e->sched)]);
    return exec_main(e);
}

int
engine_run(const struct engine_opts *o, struct diag *d)
{
    struct engine *e;
    int status;

    pin_to_one_cpu();
    e = engine_new(o, d);
    if (e == NULL || engine__control_start(e, d) < 0) {
        return ENGINE_EXIT_USAGE;
    }
    status = engine_exec(e);
    engine_free(e);
    return status;
}

/* ---- Processes started by exec (exec.c writes their command line) ------ */

/* Read python3's options up to -c COMMAND or a script: the few that
 * change what a program sees are kept (-O, -b, -q, -v, -W, -X); the rest
 * (-B, -E, -s, -I, -u...) are what telar's configuration does anyway.
 * n and args are the words after "--"; run->argv borrows from them.
 * 0, or -1 with d set. */
static int
parse_python_args(int n, char **args, struct engine_pyrun *run,
                  struct diag *d)
{
    int i = 0;

    run->warn = xcalloc((size_t)n + 1, sizeof *run->warn);
    run->xopt = xcalloc((size_t)n + 1, sizeof *run->xopt);
    for (; i < n && args[i][0] == '-' && args[i][1] != '\0'; i++) {
        const char *a = args[i] + 1;

        if (strcmp(args[i], "-c") == 0) {
            break;
        }
        for (; *a != '\0'; a++) {
            char **list = *a == 'W' ? run->warn : run->xopt;
            int *count = *a == 'W' ? &run->nwarn : &run->nxopt;

            switch (*a) {
            case 'O': run->optimize++; continue;
            case 'b': run->bytes_warning++; continue;
            case 'q': run->quiet = 1; continue;
            case 'v': run->verbose++; continue;
            case 'B': case 'E': case 's': case 'S': case 'I': case 'u':
            case 'd': case 'P': case 'R':
                continue;
            case 'W':
            case 'X':
                if (a[1] != '\0') {
                    list[(*count)++] = (char *)a + 1;
                } else if (i + 1 < n) {
                    list[(*count)++] = args[++i];
                } else {
                    diag_set(d, _("option -%c needs an argument"), *a);
                    return -1;
                }
                break;
            default:
                diag_set(d, _("unknown Python option -%c"), *a);
                return -1;
            }
            break;
        }
    }
    if (i < n && strcmp(args[i], "-c") == 0) {
        if (i + 1 >= n) {
            diag_set(d, _("option -%c needs an argument"), 'c');
            return -1;
        }
        /* sys.argv: "-c" and what follows the command, as python3's. */
        run->command = args[i + 1];
        args[i + 1] = args[i];
        run->argc = n - i - 1;
        run->argv = args + i + 1;
        return 0;
    }
    if (i < n) {
        run->file = args[i];
        run->argc = n - i;
        run->argv = args + i;
        return 0;
    }
    diag_set(d, _("nothing to run"));
    return -1;
}

/* A process that multiprocessing spawned, joining the run as process
 * number `number`: map the arena, build an engine over the shared state
 * (the scheduler, the log, the options), start a fresh interpreter, and
 * wait for the first turn before anything of it reaches the scheduler.
 * Never returns: it ends as a process of the run ends. */
static int
child_join(const char *arena_spec, int number, int spawn_pipe,
           struct engine_pyrun *run)
{
    struct engine *e;
    struct engine_opts *o;
    struct engine_thread *t;
    struct engine_shared *sh;
    struct arena *ar;
    struct diag d;
    void *addr;
    size_t size;
    int afd;

    if (sscanf(arena_spec, "%d:%p:%zu", &afd, &addr, &size) != 3
        || number < 1 || number >= ENGINE_MAX_PROCS) {
        fprintf(stderr, "telar: %s\n",
                _("bad arguments for a spawned process"));
        return ENGINE_EXIT_USAGE;
    }
    ar = arena_attach(afd, addr, size);
    if (ar == NULL) {
        fprintf(stderr, _("telar: a spawned process cannot map the run's "
                          "shared memory at %p: %s\n"), addr,
                strerror(errno));
        return 1;
    }
    sh = arena_root(ar);
    o = xcalloc(1, sizeof *o);
    engine_opts_init(o);
    o->file = run->file;
    o->max_memory = sh->max_memory;
    o->log_lines = sh->log_lines;
    o->control_in = sh->control_in;
    o->control_out = sh->control_out;
    o->sched.max_steps = sh->max_steps;
    o->sched.cores = sh->cores;
    e = xcalloc(1, sizeof *e);
    e->opts = o;
    e->arena = ar;
    e->sh = sh;
    e->sched = sh->sched;
    e->log = sh->log;
    e->sched_cfg = o->sched;
    e->proc = number;
    e->forking = true;          /* quiet until the first turn */
    e->path = xstrdup("");
    e->nthreads_cap = SCHED_MAX_ACTORS;
    e->threads = xcalloc(e->nthreads_cap, sizeof *e->threads);
    /* Its own stream of "OS randomness", from the seed and its number. */
    e->urandom_state = (sched_seed(e->sched) ^ 0x74656c6172ULL)
                       ^ 0x9e3779b97f4a7c15ULL * (uint64_t)(number + 1);
    ptrmap_init(&e->tasks);
    ptrmap_init(&e->syncs);
    t = &e->threads[sh->procs[number].actor];
    t->used = true;
    t->actor = sh->procs[number].actor;
    t->selector_obj = SCHED_NONE;
    t->cur_task = SCHED_NONE;
    if (o->max_memory != 0) {
        memory__install(e, o->max_memory);
    }
    if (start_python(run, true, &d) < 0) {
        fprintf(stderr, "telar: %s\n", d.msg);
        return 1;
    }
    e->main_tstate = PyThreadState_Get();
    t->tstate = e->main_tstate;
    if (tracer__init(e) < 0 || boot(e, spawn_pipe) < 0) {
        return 1;
    }
    /* The interpreter started while others ran; from here on this
     * process is an actor like any other. */
    engine__park_new(e, t);
    e->forking = false;
    tracer__install(e, t);
    engine__cpu(e, ENGINE_SPAWN_CHILD_NS);
    return exec_main(e);        /* does not return: e->proc != 0 */
}

/* The resource tracker: a plain interpreter outside the scheduler. */
static int
child_plain(struct engine_pyrun *run)
{
    struct diag d;

    if (start_python(run, false, &d) < 0) {
        fprintf(stderr, "telar: %s\n", d.msg);
        return 1;
    }
    return Py_RunMain();
}

int
engine_child_main(int argc, char **argv)
{
    struct engine_pyrun run;
    struct diag d;
    int rc;

    memset(&run, 0, sizeof run);
    /* ENGINE_CHILD_ARG MODE ARENA NUMBER PIPE -- ARGS... */
    if (argc < 7 || strcmp(argv[5], "--") != 0
        || parse_python_args(argc - 6, argv + 6, &run, &d) < 0) {
        fprintf(stderr, "telar: %s\n",
                argc < 7 ? _("bad arguments for a spawned process") : d.msg);
        return ENGINE_EXIT_USAGE;
    }
    if (strcmp(argv[1], "run") == 0) {
        rc = child_join(argv[2], atoi(argv[3]), atoi(argv[4]), &run);
    } else {
        rc = child_plain(&run);
    }
    free(run.warn);
    free(run.xopt);
    return rc;
}
