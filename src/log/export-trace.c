/*
 * Chrome trace-event JSON (log layer), for Perfetto and chrome://tracing:
 * `telar run --trace FILE`.  A virtual process is a trace process (pid =
 * number + 1), a thread is a thread track (tid = actor id + 1), an asyncio
 * task an async track (cat "task", id = actor id) since tasks interleave on
 * one thread and overlapping slices on one track would be dropped.  Queues
 * become counters.  The first pass learns names and the extent of the run,
 * the second streams events out; nothing grows with the log but the output.
 * Reads only log/evlog.h; ../shared/reference/formats.md has the format.
 */
#include "config.h"

#include "export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log/export-common.h"

#define TR_OUTPUT_MAX 200       /* bytes of printed text kept per instant */
#define TR_FLUSH_AT (64 * 1024)

struct tr_actor {
    bool known;
    int kind;                   /* enum ev_actor_kind; THREAD if unknown */
    int parent;
    int64_t proc;
    char *name;
    bool running;
    int64_t run_since;          /* x where the running span began */
    bool task_open;             /* a task's outer async slice is open */
};

struct tr_queue {
    bool known;
    char *label;
    char *counter;              /* the counter's name, unique per queue */
    int64_t pid;                /* all of a queue's samples on one track */
};

/* The export's state.  Lives on export_trace_write's stack. */
struct tr {
    struct tr_actor *actors;
    int nactors;
    struct tr_queue *queues;
    int nqueues;
    int64_t *procs;             /* the process numbers, sorted */
    int nprocs;
    int64_t max_time;
    uint64_t steps;
    bool use_steps;             /* no virtual time: one step is 1 us */
    char *run;                  /* the EV_RUN text, if any */
    size_t run_len;
    struct str out;
    FILE *fp;
    bool first;                 /* no event written yet: no comma */
};

static bool
is_track_kind(int kind)
{
    return kind == EV_ACTOR_THREAD || kind == EV_ACTOR_LOOP;
}

static struct tr_actor *
tr_actor(struct tr *t, int id)
{
    t->actors = export_grow(t->actors, &t->nactors, id, sizeof *t->actors);
    if (!t->actors[id].known) {
        t->actors[id].known = true;
        t->actors[id].kind = EV_ACTOR_THREAD;
        t->actors[id].parent = -1;
        t->actors[id].name = xasprintf("actor %d", id);
    }
    return &t->actors[id];
}

static struct tr_queue *
tr_queue(struct tr *t, int id)
{
    t->queues = export_grow(t->queues, &t->nqueues, id, sizeof *t->queues);
    return &t->queues[id];
}

/* First pass: actors, processes, queues, and how long the run was. */
static int
tr_scan(struct tr *t, struct evlog_reader *r, struct diag *d)
{
    struct ev ev;
    int rc;

    evlog_rewind(r);
    while ((rc = evlog_next(r, &ev, d)) > 0) {
        struct tr_actor *a;
        struct tr_queue *q;

        export_extent(&ev, &t->steps, &t->max_time);
        switch (ev.kind) {
        case EV_RUN:
            if (t->run == NULL) {
                t->run = export_dup_bytes(ev.str, ev.len);
                t->run_len = ev.len;
            }
            break;
        case EV_ACTOR_NEW:
        case EV_ACTOR_NAME:
        case EV_STATE:
            if (export_check_id(ev.actor, "actor", d) < 0) {
                return -1;
            }
            a = tr_actor(t, ev.actor);
            if (ev.kind == EV_ACTOR_NEW) {
                a->kind = (int)ev.a;
                a->parent = ev.b >= 0 && ev.b < EXPORT_MAX_ID ? (int)ev.b : -1;
                a->proc = ev.c >= 0 && ev.c < INT32_MAX ? ev.c : 0;
            }
            if (ev.kind != EV_STATE && ev.len > 0) {
                export_set_name(&a->name, ev.str, ev.len);
            }
            break;
        case EV_OBJ_NEW:
        case EV_OBJ_NAME:
            if (ev.kind == EV_OBJ_NEW && !export_is_queue_kind(ev.a)) {
                break;
            }
            if (export_check_id(ev.obj, "object", d) < 0) {
                return -1;
            }
            q = tr_queue(t, ev.obj);
            q->known = true;
            q->pid = -1;
            if (ev.len > 0) {
                export_set_name(&q->label, ev.str, ev.len);
            }
            break;
        default:
            break;
        }
    }
    return rc;
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* The sorted, distinct process numbers; 0 is always one of them. */
static void
tr_collect_procs(struct tr *t)
{
    int n = 0;

    t->procs = xmalloc(sizeof *t->procs * (size_t)(t->nactors + 1));
    t->procs[n++] = 0;
    for (int i = 0; i < t->nactors; i++) {
        if (t->actors[i].known) {
            t->procs[n++] = t->actors[i].proc;
        }
    }
    qsort(t->procs, (size_t)n, sizeof *t->procs, cmp_i64);
    t->nprocs = 0;
    for (int i = 0; i < n; i++) {
        if (t->nprocs == 0 || t->procs[t->nprocs - 1] != t->procs[i]) {
            t->procs[t->nprocs++] = t->procs[i];
        }
    }
}

/* Counters are named by label; a label two queues share gets the id. */
static void
tr_name_queues(struct tr *t)
{
    for (int i = 0; i < t->nqueues; i++) {
        struct tr_queue *q = &t->queues[i];
        bool shared = false;

        if (!q->known) {
            continue;
        }
        if (q->label == NULL) {
            q->counter = xasprintf("queue #%d", i);
            continue;
        }
        for (int j = 0; j < t->nqueues && !shared; j++) {
            shared = j != i && t->queues[j].known
                     && t->queues[j].label != NULL
                     && strcmp(t->queues[j].label, q->label) == 0;
        }
        q->counter = shared ? xasprintf("%s #%d", q->label, i)
                            : xstrdup(q->label);
    }
}

/* ---- Output ------------------------------------------------------------- */

static void
tr_flush(struct tr *t)
{
    if (t->out.len > 0) {
        fwrite(t->out.p, 1, t->out.len, t->fp);
        t->out.len = 0;
    }
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf;

    if (s[0] < 0x80) {
        return 1;
    } else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        len = 2;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        len = 3;
        lo = s[0] == 0xe0 ? 0xa0 : 0x80;    /* no overlong forms */
        hi = s[0] == 0xed ? 0x9f : 0xbf;    /* no surrogates */
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        len = 4;
        lo = s[0] == 0xf0 ? 0x90 : 0x80;
        hi = s[0] == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi) {
        return 0;
    }
    for (size_t i = 2; i < len; i++) {
        if (s[i] < 0x80 || s[i] > 0xbf) {
            return 0;
        }
    }
    return len;
}

/* A JSON string of at most max bytes of data, cut on a character boundary,
 * with invalid UTF-8 replaced by U+FFFD: JSON readers demand UTF-8, and a
 * scenario may print any bytes. */
static void
add_text(struct str *out, const char *data, size_t len, size_t max)
{
    const unsigned char *s = (const unsigned char *)data;
    struct str clean;
    size_t i = 0;

    str_init(&clean);
    while (i < len) {
        size_t k = utf8_seq(s + i, len - i);

        if (clean.len + (k ? k : 3) > max) {
            break;
        }
        if (k == 0) {
            str_add(&clean, "\xef\xbf\xbd", 3);
            i++;
        } else {
            str_add(&clean, s + i, k);
            i += k;
        }
    }
    str_add_json(out, clean.p != NULL ? clean.p : "", clean.len);
    str_fini(&clean);
}

static void
add_cstr(struct str *out, const char *s)
{
    add_text(out, s, strlen(s), SIZE_MAX);
}

/* A microsecond timestamp: exact decimals of the virtual nanoseconds. */
static void
add_us(struct tr *t, int64_t x)
{
    uint64_t m;

    if (t->use_steps) {
        str_addf(&t->out, "%lld", (long long)x);
        return;
    }
    if (x < 0) {
        str_addc(&t->out, '-');
    }
    m = x < 0 ? -(uint64_t)x : (uint64_t)x;
    str_addf(&t->out, "%llu.%03u", (unsigned long long)(m / 1000),
             (unsigned)(m % 1000));
}

/* Open an event object with its name, phase, pid and tid; the caller adds
 * the rest and closes it with end_event. */
static void
begin_event(struct tr *t, const char *name, const char *ph, int64_t pid,
            int64_t tid)
{
    if (!t->first) {
        str_adds(&t->out, ",\n");
    }
    t->first = false;
    str_adds(&t->out, "{\"name\":");
    add_cstr(&t->out, name);
    str_addf(&t->out, ",\"ph\":\"%s\",\"pid\":%lld,\"tid\":%lld", ph,
             (long long)pid, (long long)tid);
}

static void
end_event(struct tr *t)
{
    str_adds(&t->out, "}");
    if (t->out.len >= TR_FLUSH_AT) {
        tr_flush(t);
    }
}

static void
add_ts(struct tr *t, int64_t x)
{
    str_adds(&t->out, ",\"ts\":");
    add_us(t, x);
}

static void
meta(struct tr *t, const char *what, int64_t pid, int64_t tid,
     const char *name, long long sort)
{
    begin_event(t, what, "M", pid, tid);
    str_adds(&t->out, ",\"ts\":0,\"args\":{");
    if (name != NULL) {
        str_adds(&t->out, "\"name\":");
        add_cstr(&t->out, name);
    } else {
        str_addf(&t->out, "\"sort_index\":%lld", sort);
    }
    str_adds(&t->out, "}");
    end_event(t);
}

static void
tr_metadata(struct tr *t)
{
    for (int i = 0; i < t->nprocs; i++) {
        int64_t p = t->procs[i];
        const char *name = NULL;
        char fallback[48];

        for (int a = 0; a < t->nactors && name == NULL; a++) {
            if (t->actors[a].known && t->actors[a].kind == EV_ACTOR_PROCESS
                && t->actors[a].proc == p) {
                name = t->actors[a].name;
            }
        }
        if (name == NULL && p == 0) {
            name = "MainProcess";
        } else if (name == NULL) {
            snprintf(fallback, sizeof fallback, "Process-%lld",
                     (long long)p);
            name = fallback;
        }
        meta(t, "process_name", p + 1, 0, name, 0);
        meta(t, "process_sort_index", p + 1, 0, NULL, (long long)p);
    }
    for (int a = 0; a < t->nactors; a++) {
        const struct tr_actor *ac = &t->actors[a];

        if (ac->known && is_track_kind(ac->kind)) {
            meta(t, "thread_name", ac->proc + 1, a + 1, ac->name, 0);
            meta(t, "thread_sort_index", ac->proc + 1, a + 1, NULL, a);
        }
    }
}

/* The thread track a task's or process's instants go on: the nearest
 * ancestor with a track (tid 0, the process's own, if none). */
static int64_t
track_of(const struct tr *t, int id)
{
    for (int hops = 0; id >= 0 && id < t->nactors && hops < 64; hops++) {
        const struct tr_actor *a = &t->actors[id];

        if (!a->known) {
            break;
        }
        if (is_track_kind(a->kind)) {
            return id + 1;
        }
        id = a->parent;
    }
    return 0;
}

static int64_t
pid_of(const struct tr *t, int id)
{
    if (id >= 0 && id < t->nactors && t->actors[id].known) {
        return t->actors[id].proc + 1;
    }
    return 1;
}

/* An async begin/end of task id on its process's track. */
static void
task_edge(struct tr *t, int id, const char *ph, const char *name, int64_t x,
          const char *state)
{
    begin_event(t, name, ph, pid_of(t, id), track_of(t, id));
    str_addf(&t->out, ",\"cat\":\"task\",\"id\":%d", id);
    add_ts(t, x);
    if (state != NULL) {
        str_adds(&t->out, ",\"args\":{\"state\":");
        add_cstr(&t->out, state);
        str_adds(&t->out, "}");
    }
    end_event(t);
}

/* Close a running span at x: a complete slice for a thread, the inner
 * async slice for a task. */
static void
stop_running(struct tr *t, int id, int64_t x, const char *next)
{
    struct tr_actor *a = &t->actors[id];

    if (!a->running) {
        return;
    }
    a->running = false;
    if (a->kind == EV_ACTOR_TASK) {
        task_edge(t, id, "e", "running", x, NULL);
        return;
    }
    begin_event(t, "running", "X", a->proc + 1, id + 1);
    str_adds(&t->out, ",\"cat\":\"thread\"");
    add_ts(t, a->run_since);
    str_adds(&t->out, ",\"dur\":");
    add_us(t, x - a->run_since);
    if (next != NULL) {
        str_adds(&t->out, ",\"args\":{\"then\":");
        add_cstr(&t->out, next);
        str_adds(&t->out, "}");
    }
    end_event(t);
}

static void
on_state(struct tr *t, const struct ev *ev, int64_t x)
{
    struct tr_actor *a = &t->actors[ev->actor];
    int st = (int)ev->a;
    bool ended = st == EV_ST_DONE || st == EV_ST_FAILED
                 || st == EV_ST_CANCELLED;

    if (a->kind == EV_ACTOR_PROCESS) {
        return;                 /* its threads have the tracks */
    }
    if (st != EV_ST_RUNNING) {
        stop_running(t, ev->actor, x, evlog_state_name(st));
    }
    if (a->kind == EV_ACTOR_TASK) {
        if (st == EV_ST_RUNNING && !a->task_open) {
            task_edge(t, ev->actor, "b", a->name, x, NULL);
            a->task_open = true;
        }
        if (ended && a->task_open) {
            task_edge(t, ev->actor, "e", a->name, x, evlog_state_name(st));
            a->task_open = false;
        }
        if (st == EV_ST_RUNNING && !a->running) {
            task_edge(t, ev->actor, "b", "running", x, NULL);
        }
    }
    if (st == EV_ST_RUNNING && !a->running) {
        a->running = true;
        a->run_since = x;
    }
}

static void
instant(struct tr *t, const char *name, int actor, int64_t x,
        const char *key, const char *text, size_t len, size_t max,
        const char *extra)
{
    int64_t tid = actor >= 0 ? track_of(t, actor) : 0;

    if (actor < 0) {
        /* No actor (a deadlock): the first thread's track. */
        for (int i = 0; i < t->nactors && tid == 0; i++) {
            if (t->actors[i].known && is_track_kind(t->actors[i].kind)
                && t->actors[i].proc == 0) {
                tid = i + 1;
            }
        }
    }
    begin_event(t, name, "i", actor >= 0 ? pid_of(t, actor) : 1, tid);
    str_adds(&t->out, ",\"s\":\"t\"");
    add_ts(t, x);
    str_adds(&t->out, ",\"args\":{");
    add_cstr(&t->out, key);
    str_addc(&t->out, ':');
    add_text(&t->out, text != NULL ? text : "", len, max);
    if (extra != NULL) {
        str_adds(&t->out, extra);
    }
    str_adds(&t->out, "}");
    end_event(t);
}

static void
on_queue_op(struct tr *t, const struct ev *ev, int64_t x)
{
    struct tr_queue *q;

    if (ev->obj < 0 || ev->obj >= t->nqueues || !t->queues[ev->obj].known
        || (ev->a != EV_OP_PUT && ev->a != EV_OP_GET)) {
        return;                 /* only put and get carry the size */
    }
    q = &t->queues[ev->obj];
    if (q->pid < 0) {
        q->pid = pid_of(t, ev->actor);
    }
    begin_event(t, q->counter, "C", q->pid, 0);
    add_ts(t, x);
    str_addf(&t->out, ",\"args\":{\"size\":%lld}", (long long)ev->x);
    end_event(t);
}

/* Second pass: stream the events. */
static int
tr_emit(struct tr *t, struct evlog_reader *r, struct diag *d)
{
    struct ev ev;
    int rc;
    int64_t x = 0;

    evlog_rewind(r);
    while ((rc = evlog_next(r, &ev, d)) > 0) {
        x = t->use_steps ? (int64_t)ev.step : ev.time;
        switch (ev.kind) {
        case EV_STATE:
            on_state(t, &ev, x);
            break;
        case EV_OBJ_OP:
            on_queue_op(t, &ev, x);
            break;
        case EV_OUTPUT:
            instant(t, "print", ev.actor, x, "text", ev.str, ev.len,
                    TR_OUTPUT_MAX, ev.a == 2 ? ",\"stream\":\"stderr\""
                                             : ",\"stream\":\"stdout\"");
            break;
        case EV_EXCEPTION:
            instant(t, "exception", ev.actor, x, "text", ev.str, ev.len,
                    SIZE_MAX, NULL);
            break;
        case EV_DEADLOCK:
            instant(t, "deadlock", -1, x, "report", ev.str, ev.len,
                    SIZE_MAX, NULL);
            break;
        case EV_NOTE:
            instant(t, "note", ev.actor, x, "text", ev.str, ev.len,
                    SIZE_MAX, NULL);
            break;
        default:
            break;
        }
    }
    if (rc < 0) {
        return -1;
    }
    /* The run stopped with these still open: close them where it ended. */
    for (int i = 0; i < t->nactors; i++) {
        struct tr_actor *a = &t->actors[i];

        if (!a->known) {
            continue;
        }
        stop_running(t, i, x, NULL);
        if (a->task_open) {
            task_edge(t, i, "e", a->name, x, NULL);
            a->task_open = false;
        }
    }
    return 0;
}

static void
tr_fini(struct tr *t)
{
    for (int i = 0; i < t->nactors; i++) {
        free(t->actors[i].name);
    }
    for (int i = 0; i < t->nqueues; i++) {
        free(t->queues[i].label);
        free(t->queues[i].counter);
    }
    free(t->actors);
    free(t->queues);
    free(t->procs);
    free(t->run);
    str_fini(&t->out);
}

/*
 * Runs on: the caller's thread.  The output is written as it is made, in
 * 64 KiB pieces; on an error part of it may already be in out.
 */
int
export_trace_write(struct evlog_reader *r, FILE *out, struct diag *d)
{
    struct tr t = { 0 };
    int rc = -1;

    str_init(&t.out);
    t.fp = out;
    t.first = true;
    if (tr_scan(&t, r, d) < 0) {
        goto out;
    }
    t.use_steps = t.max_time == 0;
    tr_collect_procs(&t);
    tr_name_queues(&t);

    str_adds(&t.out, "{\"traceEvents\":[\n");
    tr_metadata(&t);
    if (tr_emit(&t, r, d) < 0) {
        goto out;
    }
    str_adds(&t.out, "\n],\"displayTimeUnit\":\"ms\",\"otherData\":{"
                     "\"generator\":\"telar\",\"clock\":");
    str_adds(&t.out, t.use_steps ? "\"steps as microseconds\""
                                 : "\"virtual time\"");
    if (t.run != NULL) {
        str_adds(&t.out, ",\"run\":");
        add_text(&t.out, t.run, t.run_len, SIZE_MAX);
    }
    str_adds(&t.out, "}}\n");
    tr_flush(&t);
    if (ferror(out) || fflush(out) != 0) {
        diag_set(d, _("cannot write the trace: %s"), strerror(errno));
        goto out;
    }
    rc = 0;
out:
    tr_fini(&t);
    return rc;
}
