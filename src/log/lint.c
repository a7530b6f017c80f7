/*
 * Lints over a finished event log (log layer; see lint.h for the checks).
 * One pass over the log rebuilds what each actor and object was doing,
 * gathers each check's evidence in small per-actor and per-object records
 * and, at the end, turns it into warnings.  Positions come from EV_POS;
 * where the record that matters comes before the position that explains it
 * (a thread's state, then where it stopped), a "place" slot is filled by
 * the actor's next EV_POS.  Reads only log/evlog.h; cmd-lint.c prints.
 */
#include "config.h"

#include "log/lint.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log/srcline.h"

#ifndef ENABLE_NLS
#define ngettext(s, p, n) ((n) == 1 ? (s) : (p))
#endif

#define LINT_NONE (-1)
/* Ids index arrays here; anything larger is taken for corruption. */
#define LINT_MAX_ID (1 << 20)
/* Stderr lines longer than this are cut: the messages we look for are
 * short, and a scenario may write a long line without a newline. */
#define LINT_MAX_LINE 4096

enum lint_check {
    LC_BLOCKING = 0,
    LC_NEVER_AWAITED,
    LC_LOST_TASK,
    LC_LOCK_AWAIT,
    LC_QUEUE_GROWTH,
    LC_UNJOINED,
    LC_POOL,
    LC__COUNT
};

static const char *const check_name[LC__COUNT] = {
    [LC_BLOCKING] = "blocking-step",
    [LC_NEVER_AWAITED] = "never-awaited",
    [LC_LOST_TASK] = "lost-task",
    [LC_LOCK_AWAIT] = "lock-await",
    [LC_QUEUE_GROWTH] = "queue-growth",
    [LC_UNJOINED] = "unjoined-thread",
    [LC_POOL] = "pool-saturated",
};

/* Threads that a library starts and ends on its own: pool workers have
 * their own check, and the feeder of a multiprocessing queue is its
 * queue's business. */
static const char *const library_thread[] = {
    "ThreadPoolExecutor-", "asyncio_", "QueueFeederThread",
};

/* A place in the scenario: an interned code object and a line, or a file
 * and line named by a message (file non-NULL). */
struct lint_place {
    char *file;                 /* owned, or NULL: use code */
    int code;                   /* LINT_NONE: unknown */
    int line;
};

/* "Fill place slot with the next EV_POS of actor." */
struct lint_want {
    int actor;
    int slot;
};

struct lint_code {
    char *file;                 /* owned; NULL until EV_CODE */
    char *func;
};

/* What the checks know of one actor.  Owned by struct lint. */
struct lint_actor {
    bool known;
    int kind;                   /* enum ev_actor_kind */
    int parent;
    int proc;
    char *name;
    int state;                  /* enum ev_state, LINT_NONE before any */
    int state_obj;              /* what it is blocked on, or LINT_NONE */
    int64_t end_time;           /* when it ended */
    uint64_t end_step;
    int last_alive;             /* its last state before it ended */
    int first_code;             /* where it first stopped in the scenario */
    struct lint_place pos;      /* the last EV_POS (code, line) */
    /* threads */
    int own;                    /* its own thread object, or LINT_NONE */
    bool past_main;             /* released it: the thread is ending */
    bool joined;
    int pool;                   /* index into pools, or LINT_NONE */
    int start_slot;             /* where its parent started it */
    int sleep_slot;             /* where its last sleep began */
    int64_t sleep_from;         /* its last sleep, LINT_NONE: never */
    int64_t sleep_to;           /* INT64_MAX while asleep */
    int *held;                  /* locks it holds (object ids) */
    size_t nheld;
    /* tasks */
    int span;                   /* open blocking span, or LINT_NONE */
    int blocking;               /* its blocking aggregate, or LINT_NONE */
    int64_t wait_from;          /* awaiting with locks held, or LINT_NONE */
    /* stderr */
    struct str err;             /* the line being written */
    int err_expect;             /* the line after a task message */
    bool lost_reported;         /* a task message named it */
};

/* What the checks know of one object. */
struct lint_obj {
    bool known;
    int kind;                   /* enum ev_obj_kind */
    int64_t cap;
    char *label;
    int64_t created;
    int holder;                 /* locks: who holds it, LINT_NONE */
    int thread_of;              /* thread objects: whose it is */
    bool waiter;                /* a Condition waiter's private lock */
    /* unbounded queues */
    int64_t peak;               /* the largest length */
    bool rising;                /* above half the threshold since it
                                   last crossed it upwards */
    bool grew;                  /* rose from half to the threshold */
    int64_t grew_time;
    int put_slot;               /* who pushed it over the threshold */
    int user;                   /* the first actor to use it */
    bool shared;                /* another one used it too */
};

/* A task step still running: time is added while its thread is not
 * waiting for the baton, and given to the position the task was at. */
struct lint_span {
    int task;
    int host;                   /* the thread it runs on */
    int64_t last;               /* time accounted up to */
    int64_t busy;
    int64_t gap;                /* time since the last position */
    int64_t best_gap;
    struct lint_place cur, best;
};

/* Per task: its steps over the threshold. */
struct lint_blocking {
    int task;
    int count;
    int64_t longest;
    struct lint_place where;
};

#define LINT_HOLDERS 3

/* Per lock: awaits or sleeps of its holders while they held it. */
struct lint_hold {
    int obj;
    int holders[LINT_HOLDERS]; /* the first few, in order */
    int nholders;               /* how many different ones */
    bool task;                  /* the first is a task: an asyncio lock */
    int count;
    int64_t total;
    bool placed;
    struct lint_place where;
};

/* A release of a lock by a thread the log did not see take it: either
 * it held the lock since the lock entered the log, or it is waking a
 * threading.Condition waiter, whose private lock the waiter took.  The
 * thread's next operations tell which (Condition.notify logs a notify). */
struct lint_pending {
    int actor;
    int obj;
    int64_t slept;              /* sleep while holding it, or LINT_NONE */
    struct lint_place where;
};

/* A thread pool: workers named PREFIX_N in one process. */
struct lint_pool {
    char *prefix;
    int proc;
    int *workers;
    size_t nworkers;
    int sem;                    /* its idle semaphore, or LINT_NONE */
    int queue;                  /* its work queue once seen, or LINT_NONE */
    int64_t backlog;            /* requests waiting in the queue */
    bool sat;
    int64_t sat_from;
    int64_t sat_max;            /* most requests waiting in this span */
    int sat_workers;            /* most workers busy in it */
    int sat_slot;
    int64_t best;               /* the longest saturated span */
    int64_t best_max;
    int64_t best_from;
    int best_slot;
    int best_workers;
};

/* A warning, ready to print. */
struct lint_finding {
    int check;
    int64_t time;
    size_t seq;                 /* ties keep the order found */
    char *text;
    struct lint_place where;
};

/* The whole analysis.  Lives on lint_report's stack; lint_fini frees. */
struct lint {
    const struct lint_opts *o;
    struct lint_actor *actors;
    int nactors;
    struct lint_obj *objs;
    int nobjs;
    struct lint_code *codes;
    int ncodes;
    struct lint_place *slots;
    size_t nslots;
    struct lint_want *wants;
    size_t nwants;
    struct lint_span *spans;
    size_t nspans;
    struct lint_blocking *blocking;
    size_t nblocking;
    struct lint_hold *holds;
    size_t nholds;
    struct lint_pool *pools;
    size_t npools;
    struct lint_finding *finds;
    size_t nfinds;
    int64_t now;
    uint64_t step;
    bool ended;
    int end_why;                /* enum ev_end, when ended */
    int last_op_obj;            /* the last semaphore op: for pools */
    int last_op;
    struct lint_pending *pending;
    size_t npending;
};

/* Grow a vector by one element, zeroed; returns its index. */
static size_t
grow_one(void **v, size_t *n, size_t size)
{
    *v = xrealloc(*v, size * (*n + 1));
    memset((char *)*v + size * *n, 0, size);
    return (*n)++;
}

static int
check_id(int id, const char *what, struct diag *d)
{
    if (id < 0 || id >= LINT_MAX_ID) {
        diag_set(d, _("event log: %s id %d out of range"), what, id);
        return -1;
    }
    return 0;
}

static struct lint_actor *
get_actor(struct lint *l, int id)
{
    struct lint_actor *a;

    if (id >= l->nactors) {
        int n = id + 1;

        l->actors = xrealloc(l->actors, sizeof *l->actors * (size_t)n);
        memset(l->actors + l->nactors, 0,
               sizeof *l->actors * (size_t)(n - l->nactors));
        l->nactors = n;
    }
    a = &l->actors[id];
    if (!a->known) {
        a->known = true;
        a->parent = LINT_NONE;
        a->state = LINT_NONE;
        a->state_obj = LINT_NONE;
        a->name = xasprintf("#%d", id);
        a->pos.code = LINT_NONE;
        a->first_code = LINT_NONE;
        a->last_alive = LINT_NONE;
        a->own = LINT_NONE;
        a->pool = LINT_NONE;
        a->start_slot = LINT_NONE;
        a->sleep_slot = LINT_NONE;
        a->sleep_from = LINT_NONE;
        a->span = LINT_NONE;
        a->blocking = LINT_NONE;
        a->wait_from = LINT_NONE;
        str_init(&a->err);
    }
    return a;
}

static struct lint_obj *
get_obj(struct lint *l, int id)
{
    struct lint_obj *ob;

    if (id >= l->nobjs) {
        int n = id + 1;

        l->objs = xrealloc(l->objs, sizeof *l->objs * (size_t)n);
        memset(l->objs + l->nobjs, 0,
               sizeof *l->objs * (size_t)(n - l->nobjs));
        l->nobjs = n;
    }
    ob = &l->objs[id];
    if (!ob->known) {
        ob->known = true;
        ob->kind = EV_OBJ__COUNT;
        ob->created = l->now;
        ob->holder = LINT_NONE;
        ob->thread_of = LINT_NONE;
        ob->put_slot = LINT_NONE;
        ob->user = LINT_NONE;
    }
    return ob;
}

static bool
is_queue_kind(int kind)
{
    return kind == EV_OBJ_QUEUE || kind == EV_OBJ_SIMPLEQUEUE
           || kind == EV_OBJ_AQUEUE;
}

static bool
is_ended(int state)
{
    return state == EV_ST_DONE || state == EV_ST_FAILED
           || state == EV_ST_CANCELLED;
}

/* ---- Places ------------------------------------------------------------ */

static int
new_slot(struct lint *l)
{
    size_t i = grow_one((void **)&l->slots, &l->nslots, sizeof *l->slots);

    l->slots[i].code = LINT_NONE;
    return (int)i;
}

/* Fill slot with actor's next position (or its last one, if it ends
 * first).  A slot waits for one actor at a time. */
static void
want_pos(struct lint *l, int actor, int slot)
{
    size_t i;

    for (i = 0; i < l->nwants; i++) {
        if (l->wants[i].slot == slot) {
            l->wants[i].actor = actor;
            return;
        }
    }
    i = grow_one((void **)&l->wants, &l->nwants, sizeof *l->wants);
    l->wants[i].actor = actor;
    l->wants[i].slot = slot;
}

/* Forget what a slot held or waited for, to use it again. */
static void
clear_slot(struct lint *l, int slot)
{
    for (size_t i = 0; i < l->nwants; i++) {
        if (l->wants[i].slot == slot) {
            l->wants[i] = l->wants[--l->nwants];
            break;
        }
    }
    l->slots[slot].code = LINT_NONE;
    l->slots[slot].line = 0;
}

/* Give the actor's position to every slot waiting for it (all = -1:
 * every slot, each from its own actor). */
static void
fill_wants(struct lint *l, int actor)
{
    size_t i = 0;

    while (i < l->nwants) {
        struct lint_want *w = &l->wants[i];

        if (actor == LINT_NONE || w->actor == actor) {
            struct lint_actor *a = get_actor(l, w->actor);

            l->slots[w->slot].code = a->pos.code;
            l->slots[w->slot].line = a->pos.line;
            *w = l->wants[--l->nwants];
        } else {
            i++;
        }
    }
}

static struct lint_place
slot_place(const struct lint *l, int slot)
{
    struct lint_place p = { NULL, LINT_NONE, 0 };

    if (slot != LINT_NONE) {
        p.code = l->slots[slot].code;
        p.line = l->slots[slot].line;
    }
    return p;
}

/* ---- Findings ---------------------------------------------------------- */

static void add_finding(struct lint *l, int check, int64_t time,
                        struct lint_place where, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
add_finding(struct lint *l, int check, int64_t time, struct lint_place where,
            const char *fmt, ...)
{
    size_t i = grow_one((void **)&l->finds, &l->nfinds, sizeof *l->finds);
    struct lint_finding *f = &l->finds[i];
    struct str s;
    va_list ap;

    str_init(&s);
    va_start(ap, fmt);
    str_vaddf(&s, fmt, ap);
    va_end(ap);
    f->check = check;
    f->time = time;
    f->seq = i;
    f->text = s.p != NULL ? s.p : xstrdup("");
    f->where = where;
}

/* "300 ms", "1.5 s", "250 us": a virtual duration for a sentence. */
static void
format_dur(char *buf, size_t size, int64_t ns)
{
    if (ns >= 10 * 1000000000LL) {
        snprintf(buf, size, "%.0f s", (double)ns / 1e9);
    } else if (ns >= 1000000000LL) {
        snprintf(buf, size, "%.1f s", (double)ns / 1e9);
    } else if (ns >= 1000000) {
        snprintf(buf, size, "%.0f ms", (double)ns / 1e6);
    } else if (ns >= 1000) {
        snprintf(buf, size, "%.0f us", (double)ns / 1e3);
    } else {
        snprintf(buf, size, "%" PRId64 " ns", ns);
    }
}

static const char *
obj_desc(struct lint *l, int id, char *buf, size_t size)
{
    struct lint_obj *ob = get_obj(l, id);

    if (ob->label != NULL && ob->label[0] != '\0') {
        snprintf(buf, size, "'%s'", ob->label);
    } else {
        snprintf(buf, size, _("#%d (unnamed)"), id);
    }
    return buf;
}

/* ---- Blocking steps of tasks ------------------------------------------- */

/* The thread a task runs on: its first ancestor that is a thread. */
static int
host_of(struct lint *l, int task)
{
    int id = task;

    for (int depth = 0; depth < 64 && id != LINT_NONE; depth++) {
        struct lint_actor *a = get_actor(l, id);

        if (a->kind == EV_ACTOR_THREAD && id != task) {
            return id;
        }
        id = a->parent;
    }
    return LINT_NONE;
}

/* Account the time up to t to every running task step. */
static void
advance_spans(struct lint *l, int64_t t)
{
    for (size_t i = 0; i < l->nspans; i++) {
        struct lint_span *s = &l->spans[i];
        int64_t delta = t - s->last;

        s->last = t;
        if (delta <= 0 || (s->host != LINT_NONE
                           && get_actor(l, s->host)->state == EV_ST_READY)) {
            continue;
        }
        s->busy += delta;
        s->gap += delta;
        if (s->gap > s->best_gap) {
            s->best_gap = s->gap;
            s->best = s->cur;
        }
    }
}

static void
open_span(struct lint *l, int task)
{
    struct lint_actor *a = get_actor(l, task);
    size_t i = grow_one((void **)&l->spans, &l->nspans, sizeof *l->spans);
    struct lint_span *s = &l->spans[i];

    s->task = task;
    s->host = host_of(l, task);
    s->last = l->now;
    s->best_gap = -1;
    s->cur = a->pos;
    s->best = a->pos;
    a->span = (int)i;
}

static void
close_span(struct lint *l, int task)
{
    struct lint_actor *a = get_actor(l, task);
    struct lint_span s;
    size_t i = (size_t)a->span;

    s = l->spans[i];
    /* Keep the open spans dense: move the last one into the hole. */
    l->spans[i] = l->spans[--l->nspans];
    if (i < l->nspans) {
        get_actor(l, l->spans[i].task)->span = (int)i;
    }
    a->span = LINT_NONE;
    if (s.busy < l->o->blocking_ns) {
        return;
    }
    if (s.best.code == LINT_NONE) {
        s.best = a->pos;        /* where it stopped, at least */
    }
    if (a->blocking == LINT_NONE) {
        a->blocking = (int)grow_one((void **)&l->blocking, &l->nblocking,
                                    sizeof *l->blocking);
        l->blocking[a->blocking].task = task;
    }
    {
        struct lint_blocking *b = &l->blocking[a->blocking];

        b->count++;
        if (s.busy > b->longest) {
            b->longest = s.busy;
            b->where = s.best;
        }
    }
}

/* A position of a task or of the thread it runs on moves its span on. */
static void
span_pos(struct lint *l, int actor)
{
    struct lint_actor *a = get_actor(l, actor);

    for (size_t i = 0; i < l->nspans; i++) {
        struct lint_span *s = &l->spans[i];

        if (s->task == actor || s->host == actor) {
            s->cur = a->pos;
            s->gap = 0;
        }
    }
}

/* ---- Locks held across awaits and sleeps ------------------------------- */

static struct lint_hold *
get_hold(struct lint *l, int obj)
{
    size_t i;

    for (i = 0; i < l->nholds; i++) {
        if (l->holds[i].obj == obj) {
            return &l->holds[i];
        }
    }
    i = grow_one((void **)&l->holds, &l->nholds, sizeof *l->holds);
    l->holds[i].obj = obj;
    l->holds[i].where.code = LINT_NONE;
    return &l->holds[i];
}

static void
hold_add(struct lint *l, struct lint_hold *h, int actor, int64_t dur,
         struct lint_place where)
{
    int i;

    for (i = 0; i < h->nholders && i < LINT_HOLDERS; i++) {
        if (h->holders[i] == actor) {
            break;
        }
    }
    if (i == h->nholders || i == LINT_HOLDERS) {
        /* Not among the first few: a new one, unless it was beyond them
         * (then it is counted once per episode; a bound, not a census). */
        if (h->nholders < LINT_HOLDERS) {
            h->holders[h->nholders] = actor;
        }
        if (h->nholders == 0) {
            h->task = get_actor(l, actor)->kind == EV_ACTOR_TASK;
        }
        h->nholders++;
    }
    h->count++;
    h->total += dur > 0 ? dur : 0;
    if (!h->placed && where.code != LINT_NONE) {
        h->placed = true;
        h->where = where;
    }
}

static void
held_push(struct lint_actor *a, int obj)
{
    for (size_t i = 0; i < a->nheld; i++) {
        if (a->held[i] == obj) {
            return;
        }
    }
    a->held = xrealloc(a->held, sizeof *a->held * (a->nheld + 1));
    a->held[a->nheld++] = obj;
}

static void
held_drop(struct lint_actor *a, int obj)
{
    for (size_t i = 0; i < a->nheld; i++) {
        if (a->held[i] == obj) {
            a->held[i] = a->held[--a->nheld];
            return;
        }
    }
}

/* A task stops awaiting: the time it awaited counts for each lock. */
static void
end_wait(struct lint *l, struct lint_actor *a, int id)
{
    for (size_t i = 0; i < a->nheld; i++) {
        hold_add(l, get_hold(l, a->held[i]), id, l->now - a->wait_from,
                 a->pos);
    }
    a->wait_from = LINT_NONE;
}

/* A thread wakes: its sleep counts for each lock it held throughout. */
static void
end_sleep(struct lint *l, struct lint_actor *a, int id)
{
    a->sleep_to = l->now;
    for (size_t i = 0; i < a->nheld; i++) {
        hold_add(l, get_hold(l, a->held[i]), id, l->now - a->sleep_from,
                 slot_place(l, a->sleep_slot));
    }
}

/* ---- Pools ------------------------------------------------------------- */

/* The pool a thread's name puts it in ("ThreadPoolExecutor-0_1" is in
 * "ThreadPoolExecutor-0", "asyncio_3" in "asyncio"), or LINT_NONE. */
static int
pool_of(struct lint *l, const char *name, int proc)
{
    const char *us = strrchr(name, '_');
    size_t n;
    size_t i;

    if ((strncmp(name, "ThreadPoolExecutor-", 19) != 0
         && strncmp(name, "asyncio_", 8) != 0) || us == NULL) {
        return LINT_NONE;
    }
    n = (size_t)(us - name);
    for (i = 0; i < l->npools; i++) {
        if (l->pools[i].proc == proc && strlen(l->pools[i].prefix) == n
            && strncmp(l->pools[i].prefix, name, n) == 0) {
            return (int)i;
        }
    }
    i = grow_one((void **)&l->pools, &l->npools, sizeof *l->pools);
    l->pools[i].prefix = xmalloc(n + 1);
    memcpy(l->pools[i].prefix, name, n);
    l->pools[i].prefix[n] = '\0';
    l->pools[i].proc = proc;
    l->pools[i].sem = LINT_NONE;
    l->pools[i].queue = LINT_NONE;
    l->pools[i].sat_slot = LINT_NONE;
    l->pools[i].best_slot = LINT_NONE;
    return (int)i;
}

/* Saturated: requests wait and every live worker is busy, that is, not
 * waiting on the pool's queue for work. */
static void
pool_update(struct lint *l, struct lint_pool *p, int cause)
{
    int alive = 0, busy = 0;
    bool sat;

    for (size_t i = 0; i < p->nworkers; i++) {
        struct lint_actor *w = get_actor(l, p->workers[i]);

        if (w->state == LINT_NONE || is_ended(w->state)) {
            continue;
        }
        alive++;
        if (!(w->state == EV_ST_BLOCKED && p->queue != LINT_NONE
              && w->state_obj == p->queue)) {
            busy++;
        }
    }
    sat = p->backlog > 0 && alive > 0 && busy == alive;
    if (sat && !p->sat) {
        p->sat = true;
        p->sat_from = l->now;
        p->sat_max = p->backlog;
        p->sat_workers = alive;
        if (p->sat_slot == LINT_NONE) {
            p->sat_slot = new_slot(l);
        }
        if (cause != LINT_NONE) {
            want_pos(l, cause, p->sat_slot);
        } else {
            clear_slot(l, p->sat_slot);
        }
    } else if (sat) {
        p->sat_max = p->backlog > p->sat_max ? p->backlog : p->sat_max;
        p->sat_workers = alive > p->sat_workers ? alive : p->sat_workers;
    } else if (p->sat) {
        int64_t dur = l->now - p->sat_from;

        p->sat = false;
        if (dur > p->best) {
            p->best = dur;
            p->best_max = p->sat_max;
            p->best_from = p->sat_from;
            p->best_workers = p->sat_workers;
            p->best_slot = p->sat_slot;
            p->sat_slot = LINT_NONE;
        }
    }
}

/* ---- Messages CPython writes to stderr --------------------------------- */

/* "FILE:LINE" at s (up to one of the stop characters): a place with its
 * own file.  false when there is no ":LINE". */
static bool
parse_file_line(const char *s, size_t n, struct lint_place *p)
{
    const char *colon = NULL;
    long line;
    char *end;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == ':') {
            colon = s + i;
        }
    }
    if (colon == NULL || colon == s) {
        return false;
    }
    errno = 0;
    line = strtol(colon + 1, &end, 10);
    if (errno != 0 || end == colon + 1 || end != s + n || line <= 0
        || line > INT32_MAX) {
        return false;
    }
    p->file = xmalloc((size_t)(colon - s) + 1);
    memcpy(p->file, s, (size_t)(colon - s));
    p->file[colon - s] = '\0';
    p->code = LINT_NONE;
    p->line = (int)line;
    return true;
}

/* The text between `key` and `stop` in line, or NULL.  Caller frees. */
static char *
between(const char *line, const char *key, char stop)
{
    const char *s = strstr(line, key), *e;
    char *out;

    if (s == NULL) {
        return NULL;
    }
    s += strlen(key);
    e = strchr(s, stop);
    if (e == NULL) {
        return NULL;
    }
    out = xmalloc((size_t)(e - s) + 1);
    memcpy(out, s, (size_t)(e - s));
    out[e - s] = '\0';
    return out;
}

/* "/x.py:8: RuntimeWarning: coroutine 'guardar' was never awaited" */
static void
line_never_awaited(struct lint *l, const char *line)
{
    static const char key[] = "RuntimeWarning: coroutine '";
    const char *k = strstr(line, key);
    struct lint_place where = { NULL, LINT_NONE, 0 };
    char *name;

    if (k == NULL || strstr(k, "' was never awaited") == NULL) {
        return;
    }
    name = between(k, "coroutine '", '\'');
    if (k - line >= 2 && k[-2] == ':' && k[-1] == ' ') {
        parse_file_line(line, (size_t)(k - line - 2), &where);
    }
    for (size_t i = 0; i < l->nfinds; i++) {
        struct lint_finding *f = &l->finds[i];

        if (f->check == LC_NEVER_AWAITED && where.file != NULL
            && f->where.file != NULL && strcmp(f->where.file, where.file) == 0
            && f->where.line == where.line) {
            free(where.file);
            free(name);
            return;             /* CPython says it once per place, too */
        }
    }
    add_finding(l, LC_NEVER_AWAITED, l->now, where,
                _("coroutine %s() was called but never awaited, so its "
                  "body never ran (CPython: \"coroutine '%s' was never "
                  "awaited\")."), name != NULL ? name : "?",
                name != NULL ? name : "?");
    free(name);
}

/* The line after "Task exception was never retrieved" (expect 1) or
 * "Task was destroyed but it is pending!" (expect 2). */
static void
line_task(struct lint *l, const char *line, int expect)
{
    struct lint_place where = { NULL, LINT_NONE, 0 };
    char *name = between(line, "name='", '\'');
    char *coro = between(line, "coro=<", '(');
    char *at = between(line, "running at ", '>');
    const char *shown = name != NULL ? name : "?";

    if (at == NULL) {
        at = between(line, "defined at ", '>');
    }
    /* CPython may say it twice of one task (the task, then its
     * coroutine, as they are collected): once is enough. */
    if (name != NULL) {
        for (int i = 0; i < l->nactors; i++) {
            struct lint_actor *a = &l->actors[i];

            if (a->known && a->kind == EV_ACTOR_TASK && a->lost_reported
                && strcmp(a->name, name) == 0) {
                free(name);
                free(coro);
                free(at);
                return;
            }
        }
    }

    if (at != NULL) {
        char *sp = strchr(at, ' ');

        parse_file_line(at, sp != NULL ? (size_t)(sp - at) : strlen(at),
                        &where);
    }
    if (expect == 1) {
        const char *e = strstr(line, "exception=");
        char *exc = NULL;

        if (e != NULL) {
            size_t n = strlen(e + 10);

            exc = xmalloc(n + 1);
            memcpy(exc, e + 10, n + 1);
            if (n > 0 && exc[n - 1] == '>') {
                exc[n - 1] = '\0';
            }
        }
        add_finding(l, LC_LOST_TASK, l->now, where,
                    _("task %s (%s) ended with %s and nobody awaited it "
                      "or asked for its result (CPython: \"Task exception "
                      "was never retrieved\")."), shown,
                    coro != NULL ? coro : "?",
                    exc != NULL ? exc : "?");
        free(exc);
    } else {
        add_finding(l, LC_LOST_TASK, l->now, where,
                    _("task %s (%s) was destroyed while still pending: "
                      "nothing kept a reference to it or awaited it "
                      "(CPython: \"Task was destroyed but it is "
                      "pending!\")."), shown, coro != NULL ? coro : "?");
    }
    /* Remember whom it named, so the end of the run does not report the
     * same task again. */
    if (name != NULL) {
        for (int i = 0; i < l->nactors; i++) {
            struct lint_actor *a = &l->actors[i];

            if (a->known && a->kind == EV_ACTOR_TASK
                && strcmp(a->name, name) == 0) {
                a->lost_reported = true;
            }
        }
    }
    free(name);
    free(coro);
    free(at);
}

static void
stderr_line(struct lint *l, struct lint_actor *a, const char *line)
{
    int expect = a->err_expect;

    if (expect > 0) {
        a->err_expect = 0;
        line_task(l, line, expect);
    }
    if (strstr(line, "Task exception was never retrieved") != NULL) {
        a->err_expect = 1;
    } else if (strstr(line, "Task was destroyed but it is pending!")
               != NULL) {
        a->err_expect = 2;
    } else {
        line_never_awaited(l, line);
    }
}

/* Cut what an actor writes to stderr into lines. */
static void
on_stderr(struct lint *l, struct lint_actor *a, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            str_addc(&a->err, '\0');
            stderr_line(l, a, a->err.p);
            a->err.len = 0;
        } else if (a->err.len < LINT_MAX_LINE) {
            str_addc(&a->err, s[i]);
        }
    }
}

/* ---- Releases that need the next record ---------------------------- */

/* The thread an actor's operations run on: itself, or a task's host.
 * The log gives some operations in a task to the task and others (a
 * threading lock's) to its thread. */
static int
thread_of(struct lint *l, int actor)
{
    int host;

    if (get_actor(l, actor)->kind != EV_ACTOR_TASK) {
        return actor;
    }
    host = host_of(l, actor);
    return host != LINT_NONE ? host : actor;
}

/* Settle the pending releases made on a thread (all: LINT_NONE): as
 * Condition waiter locks (waiter) or as locks it held (and slept with). */
static void
settle(struct lint *l, int actor, bool waiter)
{
    size_t i = 0;

    while (i < l->npending) {
        struct lint_pending *p = &l->pending[i];

        if (actor != LINT_NONE && thread_of(l, p->actor) != actor) {
            i++;
            continue;
        }
        if (waiter) {
            struct lint_obj *ob = get_obj(l, p->obj);

            ob->waiter = true;
            if (ob->holder != LINT_NONE) {
                held_drop(get_actor(l, ob->holder), p->obj);
                ob->holder = LINT_NONE;
            }
        } else if (p->slept != LINT_NONE) {
            hold_add(l, get_hold(l, p->obj), p->actor, p->slept, p->where);
        }
        *p = l->pending[--l->npending];
    }
}

/* ---- The pass over the log --------------------------------------------- */

static bool
is_main_thread(struct lint *l, const struct lint_actor *a)
{
    return a->kind == EV_ACTOR_THREAD
           && (a->parent == LINT_NONE
               || get_actor(l, a->parent)->kind == EV_ACTOR_PROCESS);
}

static void
on_actor_new(struct lint *l, const struct ev *ev)
{
    struct lint_actor *a = get_actor(l, ev->actor);
    int pi;

    a->kind = (int)ev->a;
    a->parent = ev->b >= 0 ? (int)ev->b : LINT_NONE;
    a->proc = (int)ev->c;
    free(a->name);
    a->name = xstrndup(ev->str, ev->len);
    if (a->parent != LINT_NONE) {
        a->start_slot = new_slot(l);
        want_pos(l, a->parent, a->start_slot);
    }
    if (a->kind != EV_ACTOR_THREAD) {
        return;
    }
    pi = pool_of(l, a->name, a->proc);
    a->pool = pi;
    if (pi != LINT_NONE) {
        struct lint_pool *p = &l->pools[pi];

        p->workers = xrealloc(p->workers,
                              sizeof *p->workers * (p->nworkers + 1));
        p->workers[p->nworkers++] = ev->actor;
        /* ThreadPoolExecutor._adjust_thread_count: a worker starts right
         * after a failed try on the pool's idle semaphore; every later
         * try on it is a request. */
        if (p->sem == LINT_NONE) {
            if (l->last_op == EV_OP_ACQUIRE && l->last_op_obj != LINT_NONE) {
                p->sem = l->last_op_obj;
            }
        } else if (p->queue == LINT_NONE && p->backlog > 0) {
            p->backlog--;       /* the new worker takes that request */
        }
        pool_update(l, p, LINT_NONE);
    }
}

static void
on_state(struct lint *l, const struct ev *ev)
{
    struct lint_actor *a = get_actor(l, ev->actor);
    int old = a->state, st = (int)ev->a;

    if (a->kind == EV_ACTOR_TASK) {
        if (old == EV_ST_RUNNING && st != EV_ST_RUNNING
            && a->span != LINT_NONE) {
            close_span(l, ev->actor);
        }
        if (old == EV_ST_WAITING && st != EV_ST_WAITING
            && a->wait_from != LINT_NONE) {
            end_wait(l, a, ev->actor);
        }
    } else if (a->kind == EV_ACTOR_THREAD && old == EV_ST_SLEEPING
               && st != EV_ST_SLEEPING) {
        end_sleep(l, a, ev->actor);
    }
    /* Condition.notify cannot block or sleep between a waiter's release
     * and its own record; a preemption (ready) may come between. */
    if (l->npending > 0 && st != EV_ST_READY && st != EV_ST_RUNNING
        && a->kind == EV_ACTOR_THREAD) {
        settle(l, ev->actor, false);
    }
    a->state = st;
    a->state_obj = ev->obj >= 0 ? ev->obj : LINT_NONE;
    if (a->kind == EV_ACTOR_TASK) {
        if (st == EV_ST_RUNNING && a->span == LINT_NONE) {
            open_span(l, ev->actor);
        } else if (st == EV_ST_WAITING && a->nheld > 0) {
            a->wait_from = l->now;
        }
    } else if (a->kind == EV_ACTOR_THREAD) {
        if (st == EV_ST_SLEEPING) {
            a->sleep_from = l->now;
            a->sleep_to = INT64_MAX;
            if (a->sleep_slot == LINT_NONE) {
                a->sleep_slot = new_slot(l);
            }
            /* A thread's position follows its state change. */
            want_pos(l, ev->actor, a->sleep_slot);
        } else if (st == EV_ST_BLOCKED && a->state_obj != LINT_NONE) {
            struct lint_obj *ob = get_obj(l, a->state_obj);

            /* Waiting on a lock it holds itself: the private lock of a
             * threading.Condition waiter (Condition.wait takes it twice),
             * not a lock that guards anything. */
            if ((ob->kind == EV_OBJ_LOCK || ob->kind == EV_OBJ_RLOCK)
                && ob->holder == ev->actor) {
                ob->waiter = true;
                ob->holder = LINT_NONE;
                held_drop(a, a->state_obj);
            }

            if (ob->kind == EV_OBJ_THREAD && ob->thread_of != LINT_NONE
                && ob->thread_of != ev->actor && !a->past_main) {
                get_actor(l, ob->thread_of)->joined = true;
            }
            if (a->pool != LINT_NONE && is_queue_kind(ob->kind)
                && l->pools[a->pool].queue == LINT_NONE) {
                /* A worker waits for work: this is the pool's queue, and
                 * it is empty.  Its operations count from now on. */
                l->pools[a->pool].queue = a->state_obj;
                l->pools[a->pool].backlog = 0;
            }
        }
    }
    if (is_ended(st)) {
        if (!is_ended(old)) {
            a->last_alive = old;
        }
        a->end_time = l->now;
        a->end_step = l->step;
        fill_wants(l, ev->actor);
    }
    if (a->pool != LINT_NONE) {
        pool_update(l, &l->pools[a->pool], LINT_NONE);
    }
}

static void
op_thread(struct lint *l, const struct ev *ev)
{
    struct lint_actor *a = get_actor(l, ev->actor);
    struct lint_obj *ob = get_obj(l, ev->obj);

    if (ev->a == EV_OP_ACQUIRE) {
        /* A thread takes its own thread object (its tstate lock) first
         * thing; anyone else taking it is joining it. */
        if (ob->thread_of == LINT_NONE) {
            if (a->own == LINT_NONE && a->kind == EV_ACTOR_THREAD) {
                a->own = ev->obj;
                ob->thread_of = ev->actor;
            }
        } else if (ob->thread_of != ev->actor && ev->x != 0
                   && !a->past_main) {
            get_actor(l, ob->thread_of)->joined = true;
        }
        if (ev->x != 0) {
            ob->holder = ev->actor;
        }
    } else if (ev->a == EV_OP_RELEASE) {
        /* threading._shutdown releases the main thread's own object before
         * it joins whatever is left: those joins are the interpreter's,
         * not the program's.  A forked child releases one it never took. */
        if (ev->obj == a->own || ob->holder != ev->actor) {
            a->past_main = true;
        }
        ob->holder = LINT_NONE;
    }
}

static void
op_lock(struct lint *l, const struct ev *ev)
{
    struct lint_actor *a = get_actor(l, ev->actor);
    struct lint_obj *ob = get_obj(l, ev->obj);

    if (ob->waiter) {
        return;
    }
    if (ev->a == EV_OP_ACQUIRE && ev->x != 0) {
        if (ob->holder != LINT_NONE && ob->holder != ev->actor) {
            held_drop(get_actor(l, ob->holder), ev->obj);
        }
        ob->holder = ev->actor;
        held_push(a, ev->obj);
    } else if (ev->a == EV_OP_RELEASE && ev->x == 0) {
        /* A lock enters the log when first contended, while someone holds
         * it.  When the log does not name the holder, the release tells
         * who, and that they held it since. */
        if (ob->holder != ev->actor && a->kind == EV_ACTOR_THREAD) {
            size_t i = grow_one((void **)&l->pending, &l->npending,
                                sizeof *l->pending);
            struct lint_pending *p = &l->pending[i];

            p->actor = ev->actor;
            p->obj = ev->obj;
            p->slept = LINT_NONE;
            if (ob->holder == LINT_NONE && a->sleep_from != LINT_NONE
                && a->sleep_to > ob->created) {
                int64_t from = a->sleep_from > ob->created ? a->sleep_from
                                                           : ob->created;
                int64_t to = a->sleep_to < l->now ? a->sleep_to : l->now;

                p->slept = to - from;
                p->where = slot_place(l, a->sleep_slot);
            }
        }
        if (ob->holder != LINT_NONE) {
            held_drop(get_actor(l, ob->holder), ev->obj);
        }
        ob->holder = LINT_NONE;
    }
}

static void
op_semaphore(struct lint *l, const struct ev *ev)
{
    struct lint_actor *a = get_actor(l, ev->actor);

    for (size_t i = 0; i < l->npools; i++) {
        struct lint_pool *p = &l->pools[i];

        if (p->sem != ev->obj) {
            continue;
        }
        if (ev->a == EV_OP_ACQUIRE && a->pool != (int)i) {
            if (p->queue == LINT_NONE) {
                p->backlog++;   /* submit(): a request is queued */
            }
            pool_update(l, p, ev->actor);
        } else if (ev->a == EV_OP_RELEASE && a->pool == (int)i) {
            /* _worker: one item done; with requests queued, it takes the
             * next without waiting. */
            if (p->queue == LINT_NONE && p->backlog > 0) {
                p->backlog--;
            }
            pool_update(l, p, LINT_NONE);
        }
    }
}

static void
op_queue(struct lint *l, const struct ev *ev)
{
    struct lint_obj *ob = get_obj(l, ev->obj);
    int64_t t = l->o->queue_growth;

    if (ev->a != EV_OP_PUT && ev->a != EV_OP_GET) {
        return;
    }
    if (ob->user == LINT_NONE) {
        ob->user = ev->actor;
    } else if (ob->user != ev->actor) {
        ob->shared = true;
    }
    if (ob->cap == 0 && t > 0) {
        if (ev->x > ob->peak) {
            ob->peak = ev->x;
        }
        if (ev->x * 2 < t) {
            ob->rising = false;
        } else if (!ob->rising && ev->a == EV_OP_PUT && (ev->x - 1) * 2 < t) {
            ob->rising = true;  /* crossed half the threshold upwards */
        }
        if (ob->rising && !ob->grew && ev->x >= t && ev->a == EV_OP_PUT) {
            ob->grew = true;
            ob->grew_time = l->now;
            ob->put_slot = new_slot(l);
            want_pos(l, ev->actor, ob->put_slot);
        }
    }
    for (size_t i = 0; i < l->npools; i++) {
        if (l->pools[i].queue == ev->obj) {
            l->pools[i].backlog = ev->x;
            pool_update(l, &l->pools[i],
                        ev->a == EV_OP_PUT ? ev->actor : LINT_NONE);
        }
    }
}

static void
on_op(struct lint *l, const struct ev *ev)
{
    int kind = get_obj(l, ev->obj)->kind;

    /* Kinds after EV_OBJ_PROCESS (the GIL) say nothing about the
     * program's own synchronisation. */
    if (kind > EV_OBJ_PROCESS) {
        return;
    }
    if (l->npending > 0) {
        if (ev->a == EV_OP_NOTIFY) {
            settle(l, thread_of(l, ev->actor), true);
        } else if (!((kind == EV_OBJ_LOCK || kind == EV_OBJ_RLOCK)
                     && ev->a == EV_OP_RELEASE)) {
            settle(l, thread_of(l, ev->actor), false);
        }
    }
    if (kind == EV_OBJ_THREAD) {
        op_thread(l, ev);
    } else if (kind == EV_OBJ_LOCK || kind == EV_OBJ_RLOCK) {
        op_lock(l, ev);
    } else if (kind == EV_OBJ_SEMAPHORE) {
        op_semaphore(l, ev);
    } else if (is_queue_kind(kind)) {
        op_queue(l, ev);
    }
    if (kind == EV_OBJ_SEMAPHORE) {
        l->last_op_obj = ev->obj;
        l->last_op = (int)ev->a;
    }
}

static int
on_code(struct lint *l, const struct ev *ev, struct diag *d)
{
    struct lint_code *c;
    size_t flen;

    if (ev->a < 0 || ev->a >= LINT_MAX_ID) {
        diag_set(d, _("event log: %s id %d out of range"), "code",
                 (int)ev->a);
        return -1;
    }
    if (ev->a >= l->ncodes) {
        int n = (int)ev->a + 1;

        l->codes = xrealloc(l->codes, sizeof *l->codes * (size_t)n);
        memset(l->codes + l->ncodes, 0,
               sizeof *l->codes * (size_t)(n - l->ncodes));
        l->ncodes = n;
    }
    c = &l->codes[ev->a];
    free(c->file);
    free(c->func);
    flen = strnlen(ev->str != NULL ? ev->str : "", ev->len);
    c->file = xmalloc(flen + 1);
    if (flen > 0) {
        memcpy(c->file, ev->str, flen);
    }
    c->file[flen] = '\0';
    if (flen < ev->len) {
        size_t n = ev->len - flen - 1;

        c->func = xmalloc(n + 1);
        memcpy(c->func, ev->str + flen + 1, n);
        c->func[n] = '\0';
    } else {
        c->func = NULL;
    }
    return 0;
}

static int
lint_scan(struct lint *l, struct evlog_reader *r, struct diag *d)
{
    struct ev ev;
    int rc;

    evlog_rewind(r);
    while ((rc = evlog_next(r, &ev, d)) == 1) {
        advance_spans(l, ev.time);
        l->now = ev.time;
        l->step = ev.step;
        /* Make every id of the record exist first: pointers taken below
         * then stay valid while the record is handled. */
        switch (ev.kind) {
        case EV_ACTOR_NEW:
            if (ev.b >= 0 && (check_id((int)ev.b, "actor", d) < 0
                              || get_actor(l, (int)ev.b) == NULL)) {
                return -1;
            }
            /* fall through */
        case EV_ACTOR_NAME:
        case EV_STATE:
        case EV_OUTPUT:
        case EV_POS:
            if (check_id(ev.actor, "actor", d) < 0) {
                return -1;
            }
            get_actor(l, ev.actor);
            if (ev.kind == EV_STATE && ev.obj >= 0) {
                if (check_id(ev.obj, "object", d) < 0) {
                    return -1;
                }
                get_obj(l, ev.obj);
            }
            break;
        case EV_OBJ_NEW:
        case EV_OBJ_NAME:
        case EV_OBJ_OP:
            if (check_id(ev.obj, "object", d) < 0
                || (ev.kind == EV_OBJ_OP
                    && check_id(ev.actor, "actor", d) < 0)) {
                return -1;
            }
            get_obj(l, ev.obj);
            if (ev.kind == EV_OBJ_OP) {
                get_actor(l, ev.actor);
            }
            break;
        default:
            break;
        }
        switch (ev.kind) {
        case EV_ACTOR_NEW:
            on_actor_new(l, &ev);
            break;
        case EV_ACTOR_NAME:
            free(l->actors[ev.actor].name);
            l->actors[ev.actor].name = xstrndup(ev.str, ev.len);
            break;
        case EV_STATE:
            on_state(l, &ev);
            break;
        case EV_OBJ_NEW: {
            struct lint_obj *ob = &l->objs[ev.obj];

            ob->kind = (int)ev.a;
            ob->cap = ev.b;
            ob->created = l->now;
            free(ob->label);
            ob->label = xstrndup(ev.str, ev.len);
            break;
        }
        case EV_OBJ_NAME:
            free(l->objs[ev.obj].label);
            l->objs[ev.obj].label = xstrndup(ev.str, ev.len);
            break;
        case EV_OBJ_OP:
            on_op(l, &ev);
            break;
        case EV_OUTPUT:
            if (ev.a == 2) {
                on_stderr(l, &l->actors[ev.actor], ev.str, ev.len);
            }
            break;
        case EV_CODE:
            if (on_code(l, &ev, d) < 0) {
                return -1;
            }
            break;
        case EV_POS:
            l->actors[ev.actor].pos.code = (int)ev.a;
            l->actors[ev.actor].pos.line = (int)ev.b;
            if (l->actors[ev.actor].first_code == LINT_NONE) {
                l->actors[ev.actor].first_code = (int)ev.a;
            }
            fill_wants(l, ev.actor);
            span_pos(l, ev.actor);
            break;
        case EV_END:
            l->ended = true;
            l->end_why = (int)ev.b;
            break;
        default:
            break;
        }
    }
    return rc < 0 ? -1 : 0;
}

/* Close what the end of the log leaves open. */
static void
lint_close(struct lint *l)
{
    settle(l, LINT_NONE, false);
    while (l->nspans > 0) {
        close_span(l, l->spans[0].task);
    }
    for (int i = 0; i < l->nactors; i++) {
        struct lint_actor *a = &l->actors[i];

        if (!a->known) {
            continue;
        }
        if (a->wait_from != LINT_NONE) {
            end_wait(l, a, i);
        }
        if (a->kind == EV_ACTOR_THREAD && a->state == EV_ST_SLEEPING) {
            end_sleep(l, a, i);
        }
        if (a->err.len > 0) {
            str_addc(&a->err, '\0');
            stderr_line(l, a, a->err.p);
            a->err.len = 0;
        }
    }
    fill_wants(l, LINT_NONE);
    for (size_t i = 0; i < l->npools; i++) {
        l->pools[i].backlog = 0;
        pool_update(l, &l->pools[i], LINT_NONE);
    }
}

/* ---- From evidence to warnings ----------------------------------------- */

static const char *
state_words(int st)
{
    switch (st) {
    case EV_ST_READY:
        return _("ready to run");
    case EV_ST_RUNNING:
        return _("running");
    case EV_ST_BLOCKED:
        return _("blocked");
    case EV_ST_SLEEPING:
        return _("sleeping");
    case EV_ST_WAITING:
        return _("awaiting");
    default:
        return _("alive");
    }
}

static bool
is_library_thread(const char *name)
{
    for (size_t i = 0; i < sizeof library_thread / sizeof *library_thread;
         i++) {
        if (strncmp(name, library_thread[i], strlen(library_thread[i]))
            == 0) {
            return true;
        }
    }
    return false;
}

/* Whether the run ran to its own end, so what is still pending was left
 * so by the program (not cut by --max-steps or a crash). */
static bool
ran_to_end(const struct lint *l)
{
    return l->ended && (l->end_why == EV_END_EXIT
                        || l->end_why == EV_END_EXCEPTION);
}

static void
find_blocking(struct lint *l)
{
    char dur[32], thr[32];

    format_dur(thr, sizeof thr, l->o->blocking_ns);
    for (size_t i = 0; i < l->nblocking; i++) {
        struct lint_blocking *b = &l->blocking[i];

        format_dur(dur, sizeof dur, b->longest);
        if (b->count == 1) {
            add_finding(l, LC_BLOCKING, 0, b->where,
                        _("task %s ran %s in one step without awaiting, so "
                          "its event loop ran nothing else meanwhile "
                          "(threshold %s)."),
                        l->actors[b->task].name, dur, thr);
        } else {
            add_finding(l, LC_BLOCKING, 0, b->where,
                        _("task %s ran up to %s in one step without "
                          "awaiting, %d times, so its event loop ran "
                          "nothing else meanwhile (threshold %s)."),
                        l->actors[b->task].name, dur, b->count, thr);
        }
    }
}

/* "Task-2", "Task-2 and Task-3", "Task-2, Task-3, Task-4 and 2 more" */
static void
holder_names(struct lint *l, const struct lint_hold *h, struct str *out)
{
    int shown = h->nholders < LINT_HOLDERS ? h->nholders : LINT_HOLDERS;

    for (int i = 0; i < shown; i++) {
        if (i > 0) {
            str_adds(out, i + 1 == shown && h->nholders == shown
                              ? _(" and ") : ", ");
        }
        str_adds(out, l->actors[h->holders[i]].name);
    }
    if (h->nholders > shown) {
        str_addf(out, _(" and %d more"), h->nholders - shown);
    }
}

static void
find_holds(struct lint *l)
{
    char dur[32], what[64];

    for (size_t i = 0; i < l->nholds; i++) {
        struct lint_hold *h = &l->holds[i];
        struct str who;

        if (h->count == 0) {
            continue;
        }
        str_init(&who);
        holder_names(l, h, &who);
        format_dur(dur, sizeof dur, h->total);
        obj_desc(l, h->obj, what, sizeof what);
        if (h->task) {
            add_finding(l, LC_LOCK_AWAIT, 0, h->where,
                        ngettext("asyncio lock %s was held across %d await "
                                 "(%s) by %s: every other task that wanted "
                                 "it waited that long too.",
                                 "asyncio lock %s was held across %d awaits "
                                 "(%s in all) by %s: every other task that "
                                 "wanted it waited that long too.",
                                 h->count),
                        what, h->count, dur, who.p);
        } else {
            add_finding(l, LC_LOCK_AWAIT, 0, h->where,
                        ngettext("lock %s was held through %d sleep (%s) "
                                 "by %s: every other thread that wanted it "
                                 "waited that long too.",
                                 "lock %s was held through %d sleeps (%s in "
                                 "all) by %s: every other thread that "
                                 "wanted it waited that long too.",
                                 h->count),
                        what, h->count, dur, who.p);
        }
        str_fini(&who);
    }
}

static void
find_queues(struct lint *l)
{
    char what[64];

    for (int i = 0; i < l->nobjs; i++) {
        struct lint_obj *ob = &l->objs[i];

        /* A queue that one actor fills and empties is a list, not a
         * pipeline with producers outrunning consumers. */
        if (!ob->known || !ob->grew || !ob->shared) {
            continue;
        }
        add_finding(l, LC_QUEUE_GROWTH, ob->grew_time,
                    slot_place(l, ob->put_slot),
                    _("unbounded queue %s grew to %lld items and its "
                      "consumers never caught up (threshold %lld): give it "
                      "a maxsize so that producers wait."),
                    obj_desc(l, i, what, sizeof what), (long long)ob->peak,
                    (long long)l->o->queue_growth);
    }
}

/* Whether the scenario started this thread to run its own code: it ran
 * scenario code, and a default name "Thread-N (target)" names the function
 * it first ran.  Threads a library starts for itself (a Manager's server,
 * the workers of multiprocessing.pool.ThreadPool, which the library never
 * joins) are its business. */
static bool
is_scenario_thread(struct lint *l, const struct lint_actor *a)
{
    const char *open, *func, *dot;
    size_t n;

    if (a->first_code == LINT_NONE || a->first_code >= l->ncodes
        || l->codes[a->first_code].func == NULL) {
        return false;
    }
    if (strncmp(a->name, "Thread-", 7) != 0
        || (open = strstr(a->name, " (")) == NULL) {
        return true;
    }
    open += 2;
    n = strlen(open);
    if (n == 0 || open[n - 1] != ')') {
        return true;
    }
    func = l->codes[a->first_code].func;
    dot = strrchr(func, '.');
    func = dot != NULL ? dot + 1 : func;
    return strlen(func) == n - 1 && strncmp(func, open, n - 1) == 0;
}

/* A thread that ended in the step its process ended was ended by it. */
static bool
died_with_process(struct lint *l, const struct lint_actor *a)
{
    int id = a->parent;

    for (int depth = 0; depth < 64 && id != LINT_NONE; depth++) {
        const struct lint_actor *p = &l->actors[id];

        if (p->kind == EV_ACTOR_PROCESS) {
            return is_ended(p->state) && p->end_step == a->end_step;
        }
        id = p->parent;
    }
    return false;
}

static void
find_threads_and_tasks(struct lint *l)
{
    for (int i = 0; i < l->nactors; i++) {
        struct lint_actor *a = &l->actors[i];

        if (!a->known || a->state == LINT_NONE) {
            continue;
        }
        if (a->kind == EV_ACTOR_THREAD && !is_main_thread(l, a)
            && a->pool == LINT_NONE && !is_library_thread(a->name)
            && !a->joined && is_scenario_thread(l, a)) {
            if (is_ended(a->state) && died_with_process(l, a)) {
                add_finding(l, LC_UNJOINED, a->end_time,
                            slot_place(l, a->start_slot),
                            _("thread %s was still %s when its process "
                              "ended, and nobody joined it: its work may "
                              "be lost."), a->name,
                            state_words(a->last_alive));
            } else if (is_ended(a->state)) {
                add_finding(l, LC_UNJOINED, a->end_time,
                            slot_place(l, a->start_slot),
                            _("thread %s ended without anyone joining it: "
                              "nothing waited for its work to be done."),
                            a->name);
            } else if (ran_to_end(l)) {
                add_finding(l, LC_UNJOINED, l->now,
                            slot_place(l, a->start_slot),
                            _("thread %s was still %s when the run ended, "
                              "and nobody joined it: its work may be "
                              "lost."), a->name, state_words(a->state));
            }
        }
        if (a->kind == EV_ACTOR_TASK && !is_ended(a->state)
            && !a->lost_reported && ran_to_end(l)) {
            add_finding(l, LC_LOST_TASK, l->now, a->pos,
                        _("task %s was still %s when the run ended: "
                          "nothing awaited it to the end."), a->name,
                        state_words(a->state));
        }
    }
}

static void
find_pools(struct lint *l)
{
    char dur[32], thr[32];

    format_dur(thr, sizeof thr, l->o->pool_ns);
    for (size_t i = 0; i < l->npools; i++) {
        struct lint_pool *p = &l->pools[i];

        if (p->best < l->o->pool_ns || p->best == 0) {
            continue;
        }
        format_dur(dur, sizeof dur, p->best);
        add_finding(l, LC_POOL, p->best_from, slot_place(l, p->best_slot),
                    ngettext("pool %s had its %d worker busy for %s while "
                             "up to %lld requests waited in its queue "
                             "(threshold %s).",
                             "pool %s had all %d workers busy for %s while "
                             "up to %lld requests waited in its queue "
                             "(threshold %s).", p->best_workers),
                    p->prefix, p->best_workers, dur,
                    (long long)p->best_max, thr);
    }
}

/* ---- Printing ---------------------------------------------------------- */

static int
cmp_finding(const void *pa, const void *pb)
{
    const struct lint_finding *a = pa, *b = pb;

    if (a->check != b->check) {
        return a->check < b->check ? -1 : 1;
    }
    if (a->time != b->time) {
        return a->time < b->time ? -1 : 1;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
print_finding(struct lint *l, const struct lint_finding *f, FILE *out,
              const char *cwd)
{
    const char *file = f->where.file, *func = NULL;
    char *text;

    fprintf(out, "warning[%s]: %s\n", check_name[f->check], f->text);
    if (file == NULL && f->where.code >= 0 && f->where.code < l->ncodes) {
        file = l->codes[f->where.code].file;
        func = l->codes[f->where.code].func;
    }
    if (file == NULL || f->where.line <= 0) {
        fprintf(out, "  --> %s\n", _("(no position in the scenario)"));
        return;
    }
    if (func != NULL && func[0] != '\0') {
        fprintf(out, "  --> %s:%d (%s)\n", srcline_path(file, cwd),
                f->where.line, func);
    } else {
        fprintf(out, "  --> %s:%d\n", srcline_path(file, cwd), f->where.line);
    }
    text = srcline_read(file, f->where.line);
    if (text != NULL) {
        fprintf(out, "%6d | %s\n", f->where.line, text);
        free(text);
    }
}

static void
lint_fini(struct lint *l)
{
    for (int i = 0; i < l->nactors; i++) {
        free(l->actors[i].name);
        free(l->actors[i].held);
        str_fini(&l->actors[i].err);
    }
    free(l->actors);
    for (int i = 0; i < l->nobjs; i++) {
        free(l->objs[i].label);
    }
    free(l->objs);
    for (int i = 0; i < l->ncodes; i++) {
        free(l->codes[i].file);
        free(l->codes[i].func);
    }
    free(l->codes);
    free(l->slots);
    free(l->wants);
    free(l->spans);
    free(l->blocking);
    free(l->holds);
    free(l->pending);
    for (size_t i = 0; i < l->npools; i++) {
        free(l->pools[i].prefix);
        free(l->pools[i].workers);
    }
    free(l->pools);
    for (size_t i = 0; i < l->nfinds; i++) {
        free(l->finds[i].text);
        free(l->finds[i].where.file);
    }
    free(l->finds);
}

void
lint_opts_init(struct lint_opts *o)
{
    o->blocking_ns = LINT_BLOCKING_NS_DEFAULT;
    o->queue_growth = LINT_QUEUE_GROWTH_DEFAULT;
    o->pool_ns = LINT_POOL_NS_DEFAULT;
}

/* o, or the default thresholds put in *defaults when o is NULL. */
static const struct lint_opts *
opts_or_defaults(const struct lint_opts *o, struct lint_opts *defaults)
{
    if (o != NULL) {
        return o;
    }
    lint_opts_init(defaults);
    return defaults;
}

/* Scan r and run every check: l holds the findings, sorted.  0, or -1
 * with d (l is to be finished either way). */
static int
lint_analyse(struct lint *l, struct evlog_reader *r,
             const struct lint_opts *o, struct diag *d)
{
    memset(l, 0, sizeof *l);
    l->o = o;
    l->last_op_obj = LINT_NONE;
    l->last_op = LINT_NONE;
    if (lint_scan(l, r, d) < 0) {
        return -1;
    }
    lint_close(l);
    find_blocking(l);
    find_holds(l);
    find_queues(l);
    find_threads_and_tasks(l);
    find_pools(l);
    if (l->nfinds > 0) {
        qsort(l->finds, l->nfinds, sizeof *l->finds, cmp_finding);
    }
    return 0;
}

int
lint_report(struct evlog_reader *r, FILE *out, const struct lint_opts *o,
            struct diag *d)
{
    struct lint l;
    struct lint_opts defaults;
    char *cwd;
    int n;

    if (lint_analyse(&l, r, opts_or_defaults(o, &defaults), d) < 0) {
        lint_fini(&l);
        return -1;
    }
    cwd = getcwd(NULL, 0);
    for (size_t i = 0; i < l.nfinds; i++) {
        print_finding(&l, &l.finds[i], out, cwd);
        fputc('\n', out);
    }
    free(cwd);
    if (l.nfinds == 0) {
        fprintf(out, "%s\n", _("no warnings"));
    } else {
        fprintf(out, ngettext("%zu warning\n", "%zu warnings\n", l.nfinds),
                l.nfinds);
    }
    n = (int)l.nfinds;
    lint_fini(&l);
    if (fflush(out) != 0 || ferror(out)) {
        diag_set(d, "%s", strerror(errno));
        return -1;
    }
    return n;
}

int
lint_items(struct evlog_reader *r, const struct lint_opts *o,
           struct lint_item **items, struct diag *d)
{
    struct lint l;
    struct lint_opts defaults;
    struct lint_item *v;
    int n;

    *items = NULL;
    if (lint_analyse(&l, r, opts_or_defaults(o, &defaults), d) < 0) {
        lint_fini(&l);
        return -1;
    }
    v = xcalloc(l.nfinds + 1, sizeof *v);
    for (size_t i = 0; i < l.nfinds; i++) {
        const struct lint_finding *f = &l.finds[i];
        const char *file = f->where.file;
        const char *base;

        if (file == NULL && f->where.code >= 0 && f->where.code < l.ncodes) {
            file = l.codes[f->where.code].file;
        }
        v[i].check = check_name[f->check];
        v[i].time = f->time;
        v[i].text = xstrdup(f->text);
        if (file != NULL && f->where.line > 0) {
            base = strrchr(file, '/');
            v[i].where = xasprintf("%s:%d", base != NULL ? base + 1 : file,
                                   f->where.line);
        }
    }
    n = (int)l.nfinds;
    lint_fini(&l);
    *items = v;
    return n;
}

void
lint_items_free(struct lint_item *items, int n)
{
    for (int i = 0; i < n; i++) {
        free(items[i].text);
        free(items[i].where);
    }
    free(items);
}
