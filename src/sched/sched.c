/*
 * The scheduler proper: actors, the objects they block on, the ready queue,
 * the virtual clock, and the two entry points that decide who runs
 * (sched_next after a block, exit, yield or preemption; sched_point_slow at
 * a point of the running actor).  The policies (policy-*.c) only answer
 * "preempt now?" and "which candidate?"; schedule.c encodes the decisions
 * as a replayable string.  Layer: sched, no Python, no threads of its own.
 * Every state change and decision goes to the event log, stamped with the
 * step and virtual time in force.
 */
#include "config.h"

#include "sched/sched.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log/evlog.h"
#include "sched/internal.h"
#include "sched/policy.h"

/* The policies --policy accepts, in the order messages list them. */
static const struct policy *const sched_policies[] = {
    &policy_gil,
    &policy_fifo,
    &policy_preempt,
    &policy_rr,
};

#define SCHED_NPOLICIES (sizeof sched_policies / sizeof sched_policies[0])

void
sched_config_init(struct sched_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->policy = "gil";
    cfg->seed = 0;
    cfg->preempt_rate = SCHED_PREEMPT_RATE;
    cfg->switch_interval = SCHED_SWITCH_INTERVAL_NS;
    cfg->switch_jitter = SCHED_SWITCH_JITTER_NS;
    cfg->instr_cost = SCHED_INSTR_COST_NS;
    cfg->cores = SCHED_CORES;
    cfg->schedule = NULL;
    cfg->max_steps = 0;
}

/* ---- Logging ------------------------------------------------------------ */

static void
sched_emit(struct sched *s, const struct ev *ev)
{
    if (s->log != NULL) {
        evlog_put(s->log, s->hot.step, s->hot.now, ev);
    }
}

static void
sched_emit_state(struct sched *s, const struct actor *a)
{
    if (s->log != NULL) {
        evlog_state(s->log, s->hot.step, s->hot.now, a->id, a->state, a->obj,
                    a->deadline);
    }
}

/* Copy a name into a fixed field, cutting at a UTF-8 character boundary so
 * a long Spanish label never ends in half a character. */
static void
sched_copy_name(char *dst, size_t size, const char *src)
{
    size_t n = src != NULL ? strlen(src) : 0;

    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80) {
            n--;
        }
    }
    if (n > 0) {
        memcpy(dst, src, n);
    }
    dst[n] = '\0';
}

/* ---- Arming the hot path ------------------------------------------------ */

void
sched__arm_step(struct sched *s, uint64_t at)
{
    if (at < s->hot.check_step) {
        s->hot.check_step = at;
    }
}

void
sched__arm_time(struct sched *s, int64_t at)
{
    if (at < s->hot.check_time) {
        s->hot.check_time = at;
    }
}

/* Forget every armed check; the caller re-arms what still matters. */
static void
sched_disarm(struct sched *s)
{
    s->hot.check_step = UINT64_MAX;
    s->hot.check_time = SCHED_NEVER;
}

/* The slow path must run at the step bound and at the next replayed
 * decision, whatever the policy armed. */
static void
sched_arm_bounds(struct sched *s)
{
    if (s->max_steps != 0) {
        sched__arm_step(s, s->max_steps);
    }
    if (s->replay_pos < s->replay.n) {
        sched__arm_step(s, s->replay.v[s->replay_pos].step);
    }
    if (s->gate_fn != NULL) {
        sched__arm_step(s, s->gate);
    }
    if (s->choose_fn != NULL && s->nready > 0) {
        sched__arm_step(s, s->hot.step + 1);
    }
}

/* The step reached the gate: let the viewer decide when to go on. */
static void
sched_gate_check(struct sched *s)
{
    while (s->gate_fn != NULL && s->hot.step >= s->gate) {
        s->gate = s->gate_fn(s->gate_ctx, s->hot.step);
    }
}

/* Record the decision taken at the current step. */
static void
sched_record(struct sched *s, int actor)
{
    schedule_add(&s->record, s->hot.step, actor);
    s->decision = s->hot.step;
}

/* ---- Queues ------------------------------------------------------------- */

const int *
sched__ready(const struct sched *s, size_t *n)
{
    *n = s->nready;
    return s->ready;
}

int64_t
sched__oldest_ready_since(const struct sched *s)
{
    int64_t oldest = SCHED_NEVER;

    for (size_t i = 0; i < s->nready; i++) {
        const struct actor *a = &s->actors[s->ready[i]];

        if (a->ready_since < oldest) {
            oldest = a->ready_since;
        }
    }
    return oldest;
}

int64_t
sched__oldest_ready_in(const struct sched *s, int proc, bool others)
{
    int64_t oldest = SCHED_NEVER;

    for (size_t i = 0; i < s->nready; i++) {
        const struct actor *a = &s->actors[s->ready[i]];

        if ((a->proc == proc) != others && a->ready_since < oldest) {
            oldest = a->ready_since;
        }
    }
    return oldest;
}

int
sched__current_proc(const struct sched *s)
{
    return s->current != SCHED_NONE ? s->actors[s->current].proc : 0;
}

size_t
sched__ready_elsewhere(const struct sched *s)
{
    int proc = sched__current_proc(s);
    size_t n = 0;

    for (size_t i = 0; i < s->nready; i++) {
        n += s->actors[s->ready[i]].proc != proc;
    }
    return n;
}

/* ---- Time ----------------------------------------------------------------
 * Processes run in parallel on the virtual cores; threads of one process
 * share its GIL.  The engine runs one actor at a time, so parallelism is
 * modelled by sharing: while k processes can run (a thread READY or
 * RUNNING), a unit of work advances the clock by 1/min(k, cores) of its
 * cost.  Four CPU-bound processes on four cores take a quarter of the
 * time of one after the other; four threads of one process do not (k is
 * 1).  The gil policy lets processes take turns often enough that the
 * order of events follows the clock. */
static void
sched_update_share(struct sched *s)
{
    uint64_t seen[4] = { 0, 0, 0, 0 };
    int k = 0, share;

    for (size_t i = 0; i <= s->nready; i++) {
        int id = i < s->nready ? s->ready[i] : s->current;
        unsigned p;

        if (id == SCHED_NONE || (i == s->nready
                                 && s->actors[id].state != EV_ST_RUNNING)) {
            continue;
        }
        p = (unsigned)s->actors[id].proc & 255;
        if (!(seen[p / 64] & ((uint64_t)1 << (p % 64)))) {
            seen[p / 64] |= (uint64_t)1 << (p % 64);
            k++;
        }
    }
    share = k < 1 ? 1 : k > s->cores ? s->cores : k;
    if (share != s->share) {
        s->share = share;
        s->hot.cost_q10 = ((uint64_t)s->instr_cost << 10) / (uint64_t)share;
    }
}

static void
sched_list_remove(int *list, size_t *n, int id)
{
    for (size_t i = 0; i < *n; i++) {
        if (list[i] == id) {
            memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof *list);
            (*n)--;
            return;
        }
    }
}

static bool
sched_is_ready(const struct sched *s, int id)
{
    return id >= 0 && (size_t)id < s->nactors
           && s->actors[id].schedulable
           && s->actors[id].state == EV_ST_READY;
}

static bool
sched_is_blocked(const struct actor *a)
{
    return a->schedulable
           && (a->state == EV_ST_BLOCKED || a->state == EV_ST_SLEEPING);
}

/* Actor id joins the ready queue, youngest, as of virtual time since.  A
 * running actor's policy gets to look at the newcomer at its next point. */
static void
sched_make_ready(struct sched *s, int id, int64_t since, bool timed_out)
{
    struct actor *a = &s->actors[id];

    if (sched_is_blocked(a)) {
        sched_list_remove(s->blocked, &s->nblocked, id);
    }
    a->state = EV_ST_READY;
    a->obj = SCHED_NONE;
    a->deadline = SCHED_NEVER;
    a->timed_out = timed_out;
    a->ready_since = since;
    a->seq = ++s->seq;
    s->ready[s->nready++] = id;
    sched_update_share(s);
    sched_emit_state(s, a);
    if (s->current != SCHED_NONE && s->current != id
        && s->actors[s->current].state == EV_ST_RUNNING) {
        sched__arm_step(s, s->hot.step + 1);
    }
}

/* Wake every sleeper whose deadline has passed, earliest deadline first and
 * by wait_seq among equal deadlines, so their seq order is deterministic.
 * Each becomes ready as of its deadline, not of now: a GIL waiter's wait
 * starts when its timer fired. */
static void
sched_wake_due(struct sched *s)
{
    int *due = s->scratch;
    size_t n = 0;

    for (size_t i = 0; i < s->nblocked; i++) {
        int id = s->blocked[i];
        int64_t dl = s->actors[id].deadline;
        size_t j = n;

        if (dl > s->hot.now) {
            continue;
        }
        /* blocked[] is in wait_seq order: a stable insertion by deadline
         * keeps wait_seq order among ties. */
        while (j > 0 && s->actors[due[j - 1]].deadline > dl) {
            due[j] = due[j - 1];
            j--;
        }
        due[j] = id;
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        sched_make_ready(s, due[i], s->actors[due[i]].deadline, true);
    }
}

/* The earliest deadline of a blocked actor (the lowest wait_seq among
 * ties), or SCHED_NEVER. */
static int64_t
sched_earliest_deadline(const struct sched *s)
{
    int64_t dl = SCHED_NEVER;

    for (size_t i = 0; i < s->nblocked; i++) {
        int64_t d = s->actors[s->blocked[i]].deadline;

        if (d < dl) {
            dl = d;
        }
    }
    return dl;
}

static bool
sched_is_poller_blocked(const struct sched *s, const struct actor *a)
{
    return a->state == EV_ST_BLOCKED && a->obj >= 0
           && s->objs[a->obj].poller;
}

static bool
sched_has_pollers(const struct sched *s)
{
    for (size_t i = 0; i < s->nblocked; i++) {
        if (sched_is_poller_blocked(s, &s->actors[s->blocked[i]])) {
            return true;
        }
    }
    return false;
}

/* Ask the poll hook about every actor blocked on a poller object, in
 * wait_seq order, and wake those it says are ready.  The hook may call back
 * into the scheduler, so it runs over a snapshot and wakes come after. */
static void
sched_poll(struct sched *s)
{
    int *snap = s->pollsnap;
    size_t n = 0, nwake = 0;

    s->next_poll = s->hot.now + SCHED_POLL_PERIOD_NS;
    if (s->poll_fn == NULL) {
        return;
    }
    for (size_t i = 0; i < s->nblocked; i++) {
        if (sched_is_poller_blocked(s, &s->actors[s->blocked[i]])) {
            snap[n++] = s->blocked[i];
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (s->poll_fn(s->poll_ctx, snap[i])) {
            snap[nwake++] = snap[i];
        }
    }
    for (size_t i = 0; i < nwake; i++) {
        if (sched_is_blocked(&s->actors[snap[i]])) {
            sched_make_ready(s, snap[i], s->hot.now, false);
        }
    }
}

/* Arm the clock checks that belong to sched.c: sleepers and pollers. */
static void
sched_arm_timers(struct sched *s)
{
    sched__arm_time(s, sched_earliest_deadline(s));
    if (s->poll_fn != NULL && sched_has_pollers(s)) {
        sched__arm_time(s, s->next_poll);
    }
}

/* ---- Life cycle --------------------------------------------------------- */

/* Select the policy named by spec ("name" or "name:arg") and initialise
 * it.  0, or -1 with d set. */
static int
sched_set_policy(struct sched *s, const char *spec, struct diag *d)
{
    const char *colon = strchr(spec, ':');
    size_t len = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
    const char *arg = colon != NULL ? colon + 1 : NULL;
    struct str valid;

    for (size_t i = 0; i < SCHED_NPOLICIES; i++) {
        const struct policy *p = sched_policies[i];

        if (strlen(p->name) != len || strncmp(p->name, spec, len) != 0) {
            continue;
        }
        if (arg != NULL && p->init == NULL) {
            diag_set(d, _("policy '%s' takes no argument (got '%s')"),
                     p->name, spec);
            return -1;
        }
        s->policy = p;
        s->policy_spec = xstrdup(spec);
        if (p->init != NULL && p->init(s, arg, d) < 0) {
            return -1;
        }
        return 0;
    }
    str_init(&valid);
    for (size_t i = 0; i < SCHED_NPOLICIES; i++) {
        str_adds(&valid, i > 0 ? ", " : "");
        str_adds(&valid, sched_policies[i]->usage);
    }
    diag_set(d, _("unknown policy '%s' (valid policies: %s)"), spec, valid.p);
    str_fini(&valid);
    return -1;
}

/* Reject option values no run could use; 0, or -1 with d set. */
static int
sched_check_config(const struct sched_config *cfg, struct diag *d)
{
    if (isnan(cfg->preempt_rate) || cfg->preempt_rate < 0.0
        || cfg->preempt_rate > 1.0) {
        diag_set(d, _("preempt rate must be between 0 and 1 (got %g)"),
                 cfg->preempt_rate);
        return -1;
    }
    if (cfg->switch_interval <= 0) {
        diag_set(d, _("switch interval must be positive (got %lld ns)"),
                 (long long)cfg->switch_interval);
        return -1;
    }
    if (cfg->cores < 1 || cfg->cores > 256) {
        diag_set(d, _("cores must be from 1 to 256, not %d"), cfg->cores);
        return -1;
    }
    if (cfg->instr_cost < 0) {
        diag_set(d, _("instruction cost must not be negative (got %lld ns)"),
                 (long long)cfg->instr_cost);
        return -1;
    }
    return 0;
}

struct sched *
sched_new(const struct sched_config *cfg, struct evlog *log, struct diag *d)
{
    struct sched *s;
    const char *spec = cfg->policy != NULL ? cfg->policy : "gil";
    char *replay_policy = NULL;
    uint64_t seed = cfg->seed;

    if (sched_check_config(cfg, d) < 0) {
        return NULL;
    }
    /* calloc: the tables are large but only the touched pages cost. */
    s = alloc_calloc(cfg->alloc, 1, sizeof *s);
    s->alloc = cfg->alloc;
    schedule_init(&s->record);
    s->record.alloc = cfg->alloc;
    schedule_init(&s->replay);
    str_init(&s->text);
    if (cfg->schedule != NULL) {
        if (schedule_parse(cfg->schedule, &replay_policy, &seed, &s->replay,
                           d) < 0) {
            goto fail;
        }
        spec = replay_policy;
    }
    s->log = log;
    s->seed = seed;
    s->rng = seed;
    s->preempt_rate = cfg->preempt_rate;
    s->switch_interval = cfg->switch_interval;
    s->switch_jitter = cfg->switch_jitter > 0 ? cfg->switch_jitter : 0;
    s->max_steps = cfg->max_steps;
    s->instr_cost = cfg->instr_cost;
    s->cores = cfg->cores > 0 ? cfg->cores : 1;
    s->share = 1;
    s->hot.cost_q10 = (uint64_t)cfg->instr_cost << 10;
    s->current = SCHED_NONE;
    s->pending = SCHED_NONE;
    s->decision = UINT64_MAX;
    s->gate = UINT64_MAX;
    sched_disarm(s);
    if (sched_set_policy(s, spec, d) < 0) {
        goto fail;
    }
    free(replay_policy);
    sched_arm_bounds(s);
    return s;
fail:
    free(replay_policy);
    sched_free(s);
    return NULL;
}

void
sched_free(struct sched *s)
{
    if (s == NULL) {
        return;
    }
    schedule_fini(&s->record);
    schedule_fini(&s->replay);
    str_fini(&s->text);
    free(s->policy_spec);
    alloc_free(s->alloc, s, sizeof *s);
}

void
sched_set_poll(struct sched *s, sched_poll_fn fn, void *ctx)
{
    s->poll_fn = fn;
    s->poll_ctx = ctx;
}

void
sched_set_ctx(struct sched *s, void *ctx)
{
    s->poll_ctx = ctx;
    s->gate_ctx = ctx;
}

void
sched_set_gate(struct sched *s, uint64_t gate, sched_gate_fn fn, void *ctx)
{
    s->gate_fn = fn;
    s->gate_ctx = ctx;
    s->gate = fn != NULL ? gate : UINT64_MAX;
    sched_arm_bounds(s);
}

void
sched_set_chooser(struct sched *s, sched_choose_fn fn, void *ctx)
{
    SCHED_CHECK(fn == NULL || strcmp(s->policy->name, "fifo") == 0,
                "a chooser needs the fifo policy under it");
    s->choose_fn = fn;
    s->choose_ctx = ctx;
    sched_arm_bounds(s);
}

uint64_t
sched_seed(const struct sched *s)
{
    return s->seed;
}

const char *
sched_policy(const struct sched *s)
{
    return s->policy_spec;
}

/* ---- Actors and objects ------------------------------------------------- */

/* chosen takes the baton from prev: log it and start its slice. */
static void
sched_run(struct sched *s, int chosen, int prev, enum ev_reason reason)
{
    struct actor *a = &s->actors[chosen];
    struct ev ev = { .kind = EV_SWITCH, .actor = chosen, .obj = SCHED_NONE,
                     .a = reason, .b = prev };

    /* A recorded decision says at which step it was taken (a preemption
     * is decided at the point, one step before its switch), so a viewer
     * can rebuild the schedule string of any prefix of the run. */
    if (s->decision != UINT64_MAX) {
        ev.c = (int64_t)(s->hot.step - s->decision) + 1;
        s->decision = UINT64_MAX;
    }

    sched_list_remove(s->ready, &s->nready, chosen);
    a->state = EV_ST_RUNNING;
    sched_emit_state(s, a);
    sched_emit(s, &ev);
    s->current = chosen;
    sched_update_share(s);
    sched_disarm(s);
    sched_arm_timers(s);
    if (s->policy->slice != NULL) {
        s->policy->slice(s);
    }
    sched_arm_bounds(s);
}

int
sched_actor_new(struct sched *s, enum ev_actor_kind kind, int parent,
                int proc, const char *name, bool schedulable)
{
    struct actor *a;
    struct ev ev = { .kind = EV_ACTOR_NEW, .obj = SCHED_NONE };

    if (s->nactors >= SCHED_MAX_ACTORS) {
        return SCHED_NONE;
    }
    a = &s->actors[s->nactors];
    memset(a, 0, sizeof *a);
    a->id = (int)s->nactors++;
    a->kind = kind;
    a->parent = parent;
    a->proc = proc;
    a->schedulable = schedulable;
    a->obj = SCHED_NONE;
    a->deadline = SCHED_NEVER;
    a->ready_since = s->hot.now;
    sched_copy_name(a->name, sizeof a->name, name);

    ev.actor = a->id;
    ev.a = kind;
    ev.b = parent;
    ev.c = proc;
    ev.str = name != NULL ? name : "";
    ev.len = strlen(ev.str);
    sched_emit(s, &ev);

    if (!schedulable) {
        a->state = EV_ST_READY;
        sched_emit_state(s, a);
        return a->id;
    }
    s->nalive++;
    if (s->current == SCHED_NONE) {
        /* The first actor starts at once: there is nobody to decide
         * against, so this is no decision and no step. */
        a->seq = ++s->seq;
        s->ready[s->nready++] = a->id;
        sched_run(s, a->id, SCHED_NONE, EV_WHY_START);
    } else {
        sched_make_ready(s, a->id, s->hot.now, false);
    }
    return a->id;
}

void
sched_actor_rename(struct sched *s, int actor, const char *name)
{
    struct actor *a = sched_actor(s, actor);

    SCHED_CHECK(a != NULL, "no such actor");
    if (a == NULL) {
        return;
    }
    sched_copy_name(a->name, sizeof a->name, name);
    if (s->log != NULL) {
        evlog_str(s->log, s->hot.step, s->hot.now, EV_ACTOR_NAME, actor,
                  name != NULL ? name : "", name != NULL ? strlen(name) : 0);
    }
}

struct actor *
sched_actor(struct sched *s, int id)
{
    if (id < 0 || (size_t)id >= s->nactors) {
        return NULL;
    }
    return &s->actors[id];
}

size_t
sched_nactors(const struct sched *s)
{
    return s->nactors;
}

size_t
sched_nalive(const struct sched *s)
{
    return s->nalive;
}

int
sched_current(const struct sched *s)
{
    return s->current;
}

void
sched_actor_state(struct sched *s, int actor, enum ev_state st, int obj)
{
    struct actor *a = sched_actor(s, actor);

    SCHED_CHECK(a != NULL && !a->schedulable,
                "only unschedulable actors take a state from outside");
    if (a == NULL || a->schedulable) {
        return;
    }
    a->state = st;
    a->obj = obj;
    sched_emit_state(s, a);
}

int
sched_obj_new(struct sched *s, enum ev_obj_kind kind, const char *label,
              int64_t capacity)
{
    struct sched_obj *o;
    struct ev ev = { .kind = EV_OBJ_NEW, .actor = SCHED_NONE };

    if (s->nobjs >= SCHED_MAX_OBJS) {
        return SCHED_NONE;
    }
    o = &s->objs[s->nobjs];
    memset(o, 0, sizeof *o);
    o->id = (int)s->nobjs++;
    o->kind = kind;
    o->holder = SCHED_NONE;
    o->capacity = capacity;
    sched_copy_name(o->label, sizeof o->label, label);

    ev.obj = o->id;
    ev.a = kind;
    ev.b = capacity;
    ev.str = label != NULL ? label : "";
    ev.len = strlen(ev.str);
    sched_emit(s, &ev);
    return o->id;
}

void
sched_obj_label(struct sched *s, int obj, const char *label)
{
    struct sched_obj *o = sched_obj(s, obj);
    struct ev ev = { .kind = EV_OBJ_NAME, .actor = SCHED_NONE, .obj = obj };

    SCHED_CHECK(o != NULL, "no such object");
    if (o == NULL) {
        return;
    }
    sched_copy_name(o->label, sizeof o->label, label);
    ev.str = label != NULL ? label : "";
    ev.len = strlen(ev.str);
    sched_emit(s, &ev);
}

struct sched_obj *
sched_obj(struct sched *s, int id)
{
    if (id < 0 || (size_t)id >= s->nobjs) {
        return NULL;
    }
    return &s->objs[id];
}

void
sched_obj_set_holder(struct sched *s, int obj, int actor)
{
    struct sched_obj *o = sched_obj(s, obj);

    SCHED_CHECK(o != NULL, "no such object");
    if (o != NULL) {
        o->holder = actor;
    }
}

void
sched_obj_set_poller(struct sched *s, int obj, bool poller)
{
    struct sched_obj *o = sched_obj(s, obj);

    SCHED_CHECK(o != NULL, "no such object");
    if (o != NULL) {
        o->poller = poller;
    }
}

void
sched_obj_op(struct sched *s, int obj, enum ev_op op, int64_t value)
{
    struct ev ev = { .kind = EV_OBJ_OP, .actor = s->current, .obj = obj,
                     .a = op, .x = value };

    sched_emit(s, &ev);
}

/* ---- What the running actor does ---------------------------------------- */

/* The current actor stops running (it blocks or ends): true if it was
 * running.  After sched_relinquish it already sits in the ready queue, and
 * leaves it again. */
static bool
sched_stop_current(struct sched *s, struct actor *a)
{
    if (a == NULL) {
        return false;
    }
    if (a->schedulable && a->state == EV_ST_READY) {
        sched_list_remove(s->ready, &s->nready, a->id);
        return true;
    }
    return a->state == EV_ST_RUNNING;
}

void
sched_block(struct sched *s, int obj, int64_t deadline)
{
    struct actor *a = sched_actor(s, s->current);

    SCHED_CHECK(a != NULL && (a->state == EV_ST_RUNNING
                              || a->state == EV_ST_READY),
                "only the running actor blocks");
    if (!sched_stop_current(s, a)) {
        return;
    }
    a->state = obj == SCHED_NONE && deadline != SCHED_NEVER
               ? EV_ST_SLEEPING : EV_ST_BLOCKED;
    a->obj = obj;
    a->deadline = deadline;
    a->timed_out = false;
    a->wait_seq = ++s->seq;
    s->blocked[s->nblocked++] = a->id;
    sched_update_share(s);
    sched_emit_state(s, a);
}

void
sched_finish(struct sched *s, bool failed)
{
    struct actor *a = sched_actor(s, s->current);

    SCHED_CHECK(a != NULL && (a->state == EV_ST_RUNNING
                              || a->state == EV_ST_READY),
                "only the running actor finishes");
    if (!sched_stop_current(s, a)) {
        return;
    }
    a->state = failed ? EV_ST_FAILED : EV_ST_DONE;
    a->obj = SCHED_NONE;
    a->deadline = SCHED_NEVER;
    s->nalive--;
    sched_update_share(s);
    sched_emit_state(s, a);
}

void
sched_kill(struct sched *s, int actor, bool failed)
{
    struct actor *a = sched_actor(s, actor);

    if (a == NULL || actor == s->current || a->state == EV_ST_DONE
        || a->state == EV_ST_FAILED || a->state == EV_ST_CANCELLED) {
        return;
    }
    if (a->schedulable) {
        if (a->state == EV_ST_READY) {
            sched_list_remove(s->ready, &s->nready, a->id);
        } else if (sched_is_blocked(a)) {
            sched_list_remove(s->blocked, &s->nblocked, a->id);
        }
        s->nalive--;
    }
    a->state = failed ? EV_ST_FAILED : EV_ST_DONE;
    a->obj = SCHED_NONE;
    a->deadline = SCHED_NEVER;
    sched_update_share(s);
    sched_emit_state(s, a);
}

void
sched_relinquish(struct sched *s)
{
    struct actor *a = sched_actor(s, s->current);

    if (a != NULL && a->state == EV_ST_RUNNING) {
        sched_make_ready(s, a->id, s->hot.now, false);
    }
}

int
sched_wake(struct sched *s, int obj, int n)
{
    int *woken = s->scratch;
    int count = 0;

    if (obj < 0) {
        return 0;
    }
    /* A timeout that passed before this wake (the clock moved with no
     * point since) happened first in virtual time: it wins. */
    sched_wake_due(s);
    /* Collect first: waking edits blocked[], which is in wait_seq order,
     * so the oldest waiters come first. */
    for (size_t i = 0; i < s->nblocked && (n < 0 || count < n); i++) {
        const struct actor *a = &s->actors[s->blocked[i]];

        if (a->state == EV_ST_BLOCKED && a->obj == obj) {
            woken[count++] = a->id;
        }
    }
    for (int i = 0; i < count; i++) {
        sched_make_ready(s, woken[i], s->hot.now, false);
    }
    return count;
}

void
sched_wake_actor(struct sched *s, int actor)
{
    struct actor *a = sched_actor(s, actor);

    sched_wake_due(s);
    if (a != NULL && sched_is_blocked(a)) {
        sched_make_ready(s, actor, s->hot.now, false);
    }
}

/* ---- Decisions ---------------------------------------------------------- */

/* Ask the policy to choose among cand[0..n); its answer, checked. */
static size_t
sched_pick(struct sched *s, const int *cand, size_t n, enum ev_reason reason)
{
    size_t i = s->policy->pick(s, cand, n, reason);

    if (i >= n) {
        fatal("policy %s picked %zu of %zu candidates", s->policy->name, i,
              n);
    }
    return i;
}

/* Ask the chooser; its answer, checked. */
static size_t
sched_ask_chooser(struct sched *s, const struct sched_choice *c)
{
    size_t i = s->choose_fn(s->choose_ctx, c);

    if (i >= c->n) {
        fatal("the chooser picked %zu of %zu candidates", i, c->n);
    }
    return i;
}

/* The actor sched_next gives the baton to, from the ready queue (not
 * empty), or SCHED_DIVERGED. */
static int
sched_choose(struct sched *s, enum ev_reason reason)
{
    const int *cand = s->ready;
    size_t n = s->nready, idx = 0;
    int pending = s->pending;

    s->pending = SCHED_NONE;
    if (reason == EV_WHY_PREEMPT && sched_is_ready(s, pending)) {
        return pending;         /* chosen and recorded at the point */
    }
    if (s->choose_fn != NULL) {
        if (n >= 2) {
            struct sched_choice c = {
                .kind = SCHED_CHOICE_NEXT, .reason = reason,
                .step = s->hot.step, .current = s->current, .cand = cand,
                .n = n,
            };

            idx = sched_ask_chooser(s, &c);
            sched_record(s, cand[idx]);
        }
        return cand[idx];
    }
    /* In replay the policy is still asked, so that its PRNG draws and its
     * state stay where the recorded run had them when the records end. */
    if (n >= 2) {
        idx = sched_pick(s, cand, n, reason);
    }
    if (s->replay_pos < s->replay.n) {
        const struct schedule_entry *e = &s->replay.v[s->replay_pos];

        if (e->step == s->hot.step) {
            s->replay_pos++;
            if (!sched_is_ready(s, e->actor)) {
                return SCHED_DIVERGED;
            }
            sched_record(s, e->actor);
            return e->actor;
        }
        if (e->step < s->hot.step || n >= 2) {
            return SCHED_DIVERGED;
        }
        return cand[0];
    }
    if (n >= 2) {
        sched_record(s, cand[idx]);
    }
    return cand[idx];
}

int
sched_next(struct sched *s, enum ev_reason reason)
{
    int prev = s->current, chosen;
    bool waited = false;

    if (s->halt != 0) {
        return s->halt;
    }
    if (s->max_steps != 0 && s->hot.step + 1 >= s->max_steps) {
        /* This call would be step max_steps: the run stops there. */
        if (s->hot.step < s->max_steps) {
            s->hot.step = s->max_steps;
        }
        s->halt = SCHED_LIMIT;
        return s->halt;
    }
    s->hot.step++;
    sched_gate_check(s);
    if ((reason == EV_WHY_PREEMPT || reason == EV_WHY_YIELD)
        && prev != SCHED_NONE && s->actors[prev].state == EV_ST_RUNNING) {
        sched_make_ready(s, prev, s->hot.now, false);
    }
    SCHED_CHECK(prev == SCHED_NONE
                || s->actors[prev].state != EV_ST_RUNNING,
                "sched_next while the current actor still runs");
    sched_wake_due(s);
    sched_poll(s);
    if (s->nready == 0) {
        int64_t dl = sched_earliest_deadline(s);

        if (dl == SCHED_NEVER) {
            return SCHED_DEADLOCK;
        }
        /* Nothing can run before the next timer: jump the clock there. */
        if (dl > s->hot.now) {
            s->hot.now = dl;
        }
        sched_wake_due(s);
        waited = true;
    }
    chosen = sched_choose(s, reason);
    if (chosen < 0) {
        s->halt = chosen;
        return chosen;
    }
    if (waited && reason == EV_WHY_BLOCK) {
        reason = EV_WHY_WAKE;
    }
    sched_run(s, chosen, prev, reason);
    return chosen;
}

/* sched_point_slow under a chooser: it decides at visible points where
 * someone else could run, and nowhere else. */
static bool
sched_point_choose(struct sched *s, unsigned flags, size_t others)
{
    struct sched_choice c = {
        .kind = SCHED_CHOICE_POINT, .reason = EV_WHY_PREEMPT,
        .step = s->hot.step, .current = s->current, .cand = s->ready,
        .n = others + 1,
    };
    int chosen;

    if (!(flags & SCHED_POINT_VISIBLE) || others == 0) {
        sched_arm_bounds(s);
        return false;
    }
    /* The current actor is the youngest candidate, as in policy.h. */
    s->ready[others] = s->current;
    chosen = s->ready[sched_ask_chooser(s, &c)];
    if (chosen == s->current) {
        sched_arm_bounds(s);
        return false;
    }
    sched_record(s, chosen);
    s->pending = chosen;
    return true;
}

bool
sched_point_slow(struct sched *s, unsigned flags)
{
    size_t others;
    bool ask;
    int chosen;

    if (s->halt != 0) {
        return true;
    }
    if (s->max_steps != 0 && s->hot.step >= s->max_steps) {
        s->halt = SCHED_LIMIT;
        return true;
    }
    sched_gate_check(s);
    sched_wake_due(s);
    if (s->poll_fn != NULL && s->hot.now >= s->next_poll
        && sched_has_pollers(s)) {
        sched_poll(s);
    }
    /* Disarm after waking: the policy sees the newcomers right now, so the
     * extra check sched_make_ready armed for them is not needed. */
    sched_disarm(s);
    sched_arm_timers(s);
    others = s->nready;
    if (s->choose_fn != NULL) {
        return sched_point_choose(s, flags, others);
    }
    ask = s->policy->point(s, flags, others) && others > 0;
    chosen = SCHED_NONE;
    if (ask) {
        /* The current actor is a candidate too (the policy.h contract), as
         * the youngest; ready[] has room since it is not in there. */
        s->ready[others] = s->current;
        chosen = s->ready[sched_pick(s, s->ready, others + 1,
                                     EV_WHY_PREEMPT)];
    }
    if (s->replay_pos < s->replay.n) {
        const struct schedule_entry *e = &s->replay.v[s->replay_pos];

        if (e->step > s->hot.step) {
            sched_arm_bounds(s);
            return false;       /* no record here: never preempt */
        }
        if (e->step < s->hot.step || !sched_is_ready(s, e->actor)) {
            s->halt = SCHED_DIVERGED;
            return true;
        }
        s->replay_pos++;
        chosen = e->actor;
    } else if (!ask || chosen == s->current) {
        sched_arm_bounds(s);
        return false;
    }
    sched_record(s, chosen);
    s->pending = chosen;
    return true;
}

void
sched_charge(struct sched *s, int64_t ns)
{
    if (ns > 0) {
        s->hot.frac += ((uint64_t)ns << 10) / (uint64_t)s->share;
        s->hot.now += (int64_t)(s->hot.frac >> 10);
        s->hot.frac &= 1023;
    }
}

/* ---- Reading the state -------------------------------------------------- */

int64_t
sched_now(const struct sched *s)
{
    return s->hot.now;
}

uint64_t
sched_step(const struct sched *s)
{
    return s->hot.step;
}

struct evlog *
sched_log(struct sched *s)
{
    return s->log;
}

const char *
sched_schedule(struct sched *s)
{
    s->text.len = 0;
    s->text.p[0] = '\0';
    schedule_format(&s->record, s->policy_spec, s->seed, &s->text);
    return s->text.p;
}

void
sched_heap_get(const struct sched *s, struct sched_heap *h)
{
    h->text = s->text;
}

void
sched_heap_set(struct sched *s, const struct sched_heap *h)
{
    s->text = h->text;
}

/* The holder an actor waits for, or SCHED_NONE when the wait is not on a
 * held object. */
static int
sched_waits_for(const struct sched *s, int id)
{
    const struct actor *a = &s->actors[id];

    if (a->state != EV_ST_BLOCKED || a->obj < 0
        || (size_t)a->obj >= s->nobjs) {
        return SCHED_NONE;
    }
    return s->objs[a->obj].holder;
}

size_t
sched_deadlock_cycle(struct sched *s, int *actors, size_t max)
{
    /* mark[id]: 0 unvisited, else 1 + the start the walk came from.  Each
     * actor has one out-edge, so a walk ends in a cycle, in a dead end, or
     * in an actor an earlier walk visited (which found nothing there). */
    unsigned *mark = xcalloc(s->nactors, sizeof *mark);
    size_t len = 0;

    for (size_t start = 0; start < s->nactors && len == 0; start++) {
        int id = (int)start;

        if (mark[start] != 0 || sched_waits_for(s, id) == SCHED_NONE) {
            continue;
        }
        while (id != SCHED_NONE && (size_t)id < s->nactors
               && mark[id] == 0) {
            mark[id] = (unsigned)start + 1;
            id = sched_waits_for(s, id);
        }
        if (id == SCHED_NONE || (size_t)id >= s->nactors
            || mark[id] != (unsigned)start + 1) {
            continue;
        }
        /* id is on the cycle: walk it once, starting from its lowest id so
         * the report reads the same whichever actor blocked last. */
        int low = id;
        for (int j = sched_waits_for(s, id); j != id;
             j = sched_waits_for(s, j)) {
            low = j < low ? j : low;
        }
        int j = low;
        do {
            if (len < max) {
                actors[len] = j;
            }
            len++;
            j = sched_waits_for(s, j);
        } while (j != low);
    }
    free(mark);
    return len < max ? len : max;
}
