/*
 * A scenario run started from the TUI (tui layer): this binary spawned
 * with uv_spawn as "telar run --headless --log LOG --control 3,4 ... --
 * FILE ARGS", in a process group of its own so that it and whatever it
 * forks die together.  Its stdout goes to /dev/null (the output is in the
 * log); the tail of its stderr is kept for the one case the log cannot
 * explain, a run that never started.
 *
 * The run is live: through descriptors 3 and 4 (src/engine/control.c has
 * the protocol) the engine stops at a gate, says "P <step>" with its log
 * flushed, and goes on when told "G <step>".  run_allow moves the gate;
 * the page keeps it a little ahead of what the user looks at, so a run
 * that never ends costs nothing while nobody watches it.  While the engine
 * runs, a timer tells the page to read the log every RUN_POLL_MS; paused,
 * nothing ticks.  The page that shows the run (page-scenario.c) opens the
 * log.
 */
#include "config.h"

#include "run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUN_TAIL 2048           /* bytes of stderr kept */
#define RUN_POLL_MS 40          /* read the log this often while it runs */
#define RUN_ANSWER_MAX 64       /* the longest line the engine says */
#define RUN_MAX_ARGS 64         /* telar's own arguments, without the
                                   scenario's */

struct run {
    uv_loop_t *uv;
    uv_process_t proc;
    uv_pipe_t err;
    uv_pipe_t cmd;              /* we write commands: the child's fd 3 */
    uv_pipe_t ans;              /* we read its answers: the child's fd 4 */
    uv_timer_t poll;
    struct run_spec spec;       /* every string a copy, freed with the run */
    struct run_callbacks cb;
    char *log_path;
    bool log_temp;              /* ours to remove */
    char tail[RUN_TAIL + 1];
    size_t tail_len;
    char last[RUN_TAIL + 1];    /* the last line of tail, for run_end */
    char rbuf[4096];            /* what one read brings */
    char abuf[RUN_ANSWER_MAX + 1];  /* an answer line being read */
    size_t alen;
    char arbuf[256];
    bool paused;                /* stopped at its gate, waiting for us */
    uint64_t paused_at;         /* the step it stopped at */
    uint64_t want;              /* where the gate should be */
    bool polling;
    int64_t status;
    int term_signal;
    bool exited, err_eof, ended, freed;
    int open;                   /* handles not yet closed */
};

static char *
dup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

static char **
dup_vec(char *const *v, size_t n)
{
    char **out = xcalloc(n + 1, sizeof *out);

    for (size_t i = 0; i < n; i++) {
        out[i] = xstrdup(v[i]);
    }
    return out;
}

static void
free_vec(char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free((void *)v);
}

static void
spec_copy(struct run_spec *to, const struct run_spec *from)
{
    *to = *from;
    to->file = xstrdup(from->file);
    to->dir = dup_or_null(from->dir);
    to->argv = dup_vec(from->argv, (size_t)from->argc);
    to->policy = dup_or_null(from->policy);
    to->schedule = dup_or_null(from->schedule);
    to->log_path = dup_or_null(from->log_path);
    to->trace_path = dup_or_null(from->trace_path);
    to->title = dup_or_null(from->title != NULL ? from->title : from->file);
    to->watch = dup_vec(from->watch, from->nwatch);
}

static void
spec_free(struct run_spec *s)
{
    free((char *)s->file);
    free((char *)s->dir);
    free_vec(s->argv, (size_t)s->argc);
    free((char *)s->policy);
    free((char *)s->schedule);
    free((char *)s->log_path);
    free((char *)s->trace_path);
    free((char *)s->title);
    free_vec(s->watch, s->nwatch);
}

static void
run_release(struct run *r)
{
    if (r->log_temp && r->log_path != NULL) {
        unlink(r->log_path);
    }
    free(r->log_path);
    spec_free(&r->spec);
    free(r);
}

static void
on_close(uv_handle_t *h)
{
    struct run *r = h->data;

    if (--r->open == 0 && r->freed) {
        run_release(r);
    }
}

/* The last non-empty line of what stderr said. */
static void
last_line(struct run *r)
{
    size_t end = r->tail_len, start;

    while (end > 0 && (r->tail[end - 1] == '\n' || r->tail[end - 1] == ' '
                       || r->tail[end - 1] == '\r')) {
        end--;
    }
    start = end;
    while (start > 0 && r->tail[start - 1] != '\n') {
        start--;
    }
    memcpy(r->last, r->tail + start, end - start);
    r->last[end - start] = '\0';
}

/* Both the exit and the end of stderr are in: say so, once. */
static void
maybe_end(struct run *r)
{
    struct run_end e;

    if (!r->exited || !r->err_eof || r->ended) {
        return;
    }
    r->ended = true;
    if (r->freed) {
        return;
    }
    last_line(r);
    e.status = r->term_signal != 0 ? -1 : (int)r->status;
    e.signal = r->term_signal;
    e.last_line = r->last;
    if (r->cb.log != NULL) {
        r->cb.log(r, r->cb.arg);
    }
    if (r->cb.end != NULL) {
        r->cb.end(r, &e, r->cb.arg);
    }
}

/* The control pipes and the poll timer, once the child is gone. */
static void
close_control(struct run *r)
{
    uv_handle_t *h[] = { (uv_handle_t *)&r->cmd, (uv_handle_t *)&r->ans,
                         (uv_handle_t *)&r->poll };

    for (size_t i = 0; i < sizeof h / sizeof h[0]; i++) {
        if (!uv_is_closing(h[i])) {
            uv_close(h[i], on_close);
        }
    }
    r->polling = false;
}

static void
on_exit_cb(uv_process_t *p, int64_t status, int sig)
{
    struct run *r = p->data;

    r->exited = true;
    r->paused = false;
    r->status = status;
    r->term_signal = sig;
    /* Whatever the scenario forked and left behind is in the child's
     * process group: it must not outlive the run (nor hold stderr open). */
    kill(-p->pid, SIGKILL);
    uv_close((uv_handle_t *)p, on_close);
    close_control(r);
    maybe_end(r);
}

/* ---- Control ------------------------------------------------------------ */

static void
on_poll(uv_timer_t *t)
{
    struct run *r = t->data;

    if (!r->freed && r->cb.log != NULL) {
        r->cb.log(r, r->cb.arg);
    }
}

/* Tell the paused engine to go on to r->want. */
static void
send_go(struct run *r)
{
    char line[40];
    uv_buf_t b;
    int n;

    if (!r->paused || r->want <= r->paused_at || r->exited) {
        return;
    }
    n = snprintf(line, sizeof line, "G %llu\n", (unsigned long long)r->want);
    b = uv_buf_init(line, (unsigned)n);
    /* A few bytes into an empty socket: never short, never blocking. */
    if (uv_try_write((uv_stream_t *)&r->cmd, &b, 1) != n) {
        return;
    }
    r->paused = false;
    if (!r->polling) {
        uv_timer_start(&r->poll, on_poll, RUN_POLL_MS, RUN_POLL_MS);
        r->polling = true;
    }
}

/* One line the engine said: it stopped at its gate ("P <step>") or
 * ended ("E <status>"), its log flushed either way. */
static void
on_answer(struct run *r, const char *line)
{
    if ((line[0] != 'P' && line[0] != 'E') || line[1] != ' ') {
        return;
    }
    if (line[0] == 'P') {
        r->paused = true;
        r->paused_at = strtoull(line + 2, NULL, 10);
    }
    if (r->polling) {
        uv_timer_stop(&r->poll);
        r->polling = false;
    }
    if (!r->freed && r->cb.log != NULL) {
        r->cb.log(r, r->cb.arg);
    }
    if (line[0] == 'P') {
        send_go(r);
    }
}

static void
on_answer_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct run *r = s->data;

    if (n < 0) {
        uv_read_stop(s);
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
        char c = buf->base[i];

        if (c == '\n') {
            r->abuf[r->alen] = '\0';
            r->alen = 0;
            on_answer(r, r->abuf);
            if (r->freed) {
                return;
            }
        } else if (r->alen < RUN_ANSWER_MAX) {
            r->abuf[r->alen++] = c;
        }
    }
}

void
run_allow(struct run *r, uint64_t step)
{
    if (step > r->want) {
        r->want = step;
        send_go(r);
    }
}

bool
run_is_paused(const struct run *r)
{
    return r->paused;
}

/* A buffer for what stderr or the answer pipe brings. */
static void
on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    struct run *r = h->data;

    (void)hint;
    *buf = h == (uv_handle_t *)&r->ans
               ? uv_buf_init(r->arbuf, sizeof r->arbuf)
               : uv_buf_init(r->rbuf, sizeof r->rbuf);
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct run *r = s->data;

    if (n > 0) {
        size_t len = (size_t)n;
        const char *p = buf->base;

        if (len >= RUN_TAIL) {
            p += len - RUN_TAIL;
            len = RUN_TAIL;
        }
        if (r->tail_len + len > RUN_TAIL) {
            size_t drop = r->tail_len + len - RUN_TAIL;

            memmove(r->tail, r->tail + drop, r->tail_len - drop);
            r->tail_len -= drop;
        }
        memcpy(r->tail + r->tail_len, p, len);
        r->tail_len += len;
        return;
    }
    if (n < 0) {
        uv_read_stop(s);
        uv_close((uv_handle_t *)s, on_close);
        r->err_eof = true;
        maybe_end(r);
    }
}

/* A temporary file for the log in $TMPDIR. */
static char *
temp_log(struct diag *d)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/telar-run-XXXXXX",
                           dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    int fd = mkstemp(path);

    if (fd < 0) {
        diag_set(d, _("cannot make a temporary file %s: %s"), path,
                 strerror(errno));
        free(path);
        return NULL;
    }
    close(fd);
    return path;
}

struct run *
run_start(uv_loop_t *uv, const struct run_spec *spec,
          const struct run_callbacks *cb, struct diag *d)
{
    struct run *r = xcalloc(1, sizeof *r);
    uv_process_options_t po;
    uv_stdio_container_t stdio[5];
    char *args[RUN_MAX_ARGS + 2], seed[32], cores[16], rate[32],
        steps[32];
    char **argv;
    size_t n = 0;
    int rc;

    r->uv = uv;
    r->cb = *cb;
    spec_copy(&r->spec, spec);
    if (spec->log_path != NULL) {
        r->log_path = xstrdup(spec->log_path);
    } else if ((r->log_path = temp_log(d)) != NULL) {
        r->log_temp = true;
    } else {
        spec_free(&r->spec);
        free(r);
        return NULL;
    }

    args[n++] = "telar";
    args[n++] = "run";
    args[n++] = "--headless";
    args[n++] = "--log";
    args[n++] = r->log_path;
    args[n++] = "--control";
    args[n++] = "3,4";
    if (spec->policy != NULL) {
        args[n++] = "--policy";
        args[n++] = (char *)spec->policy;
    }
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)spec->seed);
    args[n++] = "--seed";
    args[n++] = seed;
    if (spec->cores > 0) {
        snprintf(cores, sizeof cores, "%d", spec->cores);
        args[n++] = "--cores";
        args[n++] = cores;
    }
    if (spec->schedule != NULL) {
        args[n++] = "--schedule";
        args[n++] = (char *)spec->schedule;
    }
    if (spec->preempt_rate >= 0) {
        snprintf(rate, sizeof rate, "%.17g", spec->preempt_rate);
        args[n++] = "--preempt-rate";
        args[n++] = rate;
    }
    if (spec->max_steps > 0) {
        snprintf(steps, sizeof steps, "%llu",
                 (unsigned long long)spec->max_steps);
        args[n++] = "--max-steps";
        args[n++] = steps;
    }
    if (spec->races) {
        args[n++] = "--races";
    }
    if (spec->trace_path != NULL) {
        args[n++] = "--trace";
        args[n++] = (char *)spec->trace_path;
    }
    for (size_t i = 0; i < spec->nwatch && n + 4 < RUN_MAX_ARGS; i++) {
        args[n++] = "--watch";
        args[n++] = spec->watch[i];
    }
    args[n++] = "--";
    args[n++] = (char *)spec->file;
    argv = xcalloc(n + (size_t)spec->argc + 1, sizeof *argv);
    memcpy(argv, args, n * sizeof *argv);
    for (int i = 0; i < spec->argc; i++) {
        argv[n + (size_t)i] = spec->argv[i];
    }

    uv_pipe_init(uv, &r->err, 0);
    r->err.data = r;
    r->open++;
    uv_pipe_init(uv, &r->cmd, 0);
    r->cmd.data = r;
    r->open++;
    uv_pipe_init(uv, &r->ans, 0);
    r->ans.data = r;
    r->open++;
    uv_timer_init(uv, &r->poll);
    r->poll.data = r;
    r->open++;
    memset(stdio, 0, sizeof stdio);
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_IGNORE;
    stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[2].data.stream = (uv_stream_t *)&r->err;
    /* Directions as the child sees them: it reads commands on 3 and
     * writes answers on 4. */
    stdio[3].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
    stdio[3].data.stream = (uv_stream_t *)&r->cmd;
    stdio[4].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[4].data.stream = (uv_stream_t *)&r->ans;
    memset(&po, 0, sizeof po);
    po.exit_cb = on_exit_cb;
    po.file = "/proc/self/exe";
    po.args = argv;
    po.cwd = spec->dir;
    po.stdio = stdio;
    po.stdio_count = 5;
    /* A session and process group of its own: no signal from the
     * terminal reaches it, and kill(-pid) reaches all of it. */
    po.flags = UV_PROCESS_DETACHED;
    r->proc.data = r;
    rc = uv_spawn(uv, &r->proc, &po);
    free(argv);
    if (rc != 0) {
        diag_set(d, _("cannot start the scenario: %s"), uv_strerror(rc));
        /* uv_spawn leaves the handle to close even when it fails. */
        r->open++;
        uv_close((uv_handle_t *)&r->proc, on_close);
        uv_close((uv_handle_t *)&r->err, on_close);
        close_control(r);
        r->freed = true;
        r->ended = true;
        if (r->log_temp) {
            unlink(r->log_path);
            r->log_temp = false;
        }
        return NULL;
    }
    r->open++;
    uv_read_start((uv_stream_t *)&r->err, on_alloc, on_read);
    uv_read_start((uv_stream_t *)&r->ans, on_alloc, on_answer_read);
    return r;
}

void
run_free(struct run *r)
{
    if (r == NULL) {
        return;
    }
    r->freed = true;
    if (!r->exited) {
        /* The exit callback closes the process handle once the kernel
         * has reaped it; no zombie is left behind. */
        kill(-r->proc.pid, SIGKILL);
    }
    if (r->open == 0) {
        run_release(r);
    }
}

const char *
run_log_path(const struct run *r)
{
    return r->log_path;
}

const struct run_spec *
run_spec(const struct run *r)
{
    return &r->spec;
}

bool
run_is_running(const struct run *r)
{
    return !r->ended;
}
