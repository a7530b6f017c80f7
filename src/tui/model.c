/*
 * The TUI's model of a run (tui layer, no curses).  One pass over the log
 * (the index, kept up to date by model_refresh) records what never changes
 * (who exists, their kinds and parents, the output, exceptions, the end),
 * each actor's and queue's history for the timeline, and a checkpoint every
 * MODEL_CHECKPOINT_EVERY records.  The cursor is a second state replayed
 * from the nearest checkpoint.  Views (view-*.c) draw from here; nothing
 * here draws, and nothing outside log/evlog.h and util is included.
 */
#include "config.h"

#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ids index arrays here; anything larger is taken for corruption. */
#define MODEL_MAX_ID (1 << 20)

/* The state at a moment: the cursor's, the head's (the end of the index)
 * or a checkpoint's.  Owned by its container; state_fini frees. */
struct state {
    struct model_actor_at *actors;
    int nactors;                /* entries in use (the model's count when
                                 * last fitted) */
    int cap_actors;
    struct model_obj_at *objs;
    int nobjs;
    int cap_objs;
    struct model_watch_at *watches;
    int nwatches;
    int cap_watches;
    uint64_t seq;               /* records applied */
    uint64_t step;              /* of the last record applied */
    int64_t time;
    uint64_t moment;            /* seq where the current moment began */
    uint64_t switches;
};

struct checkpoint {
    struct evlog_pos pos;       /* the first record not in st */
    struct state st;
};

/* A growable array of marks: one actor's or queue's history. */
struct hist {
    struct model_mark *p;
    size_t n, cap;
};

struct notable {
    uint64_t seq, step;
};

struct model {
    struct evlog_reader *r;     /* borrowed */
    struct diag err;
    bool has_err;

    /* The index: what never changes once read. */
    struct model_actor *actors;
    struct hist *ahist;
    int nactors, cap_actors;
    struct model_obj *objs;
    struct hist *ohist;
    int64_t *opeak;
    int nobjs, cap_objs;
    struct model_code *codes;
    int ncodes, cap_codes;
    struct model_decision *decisions;
    size_t ndecisions, cap_decisions;
    struct model_text *watch_names;     /* by watch number */
    int nwatch_names, cap_watch_names;
    struct model_out *out;
    size_t nout, cap_out;
    size_t *lines;              /* index into out of each line's first */
    size_t nlines, cap_lines;
    bool line_open;             /* the last line has no '\n' yet */
    struct model_note *exc;
    size_t nexc, cap_exc;
    struct model_note *notes;
    size_t nnotes, cap_notes;
    struct model_note deadlock; /* seq MODEL_NOWHERE: none */
    struct model_note end;
    struct notable *notable;
    size_t nnotable, cap_notable;
    struct model_text run;
    uint64_t first_step;
    struct checkpoint *cps;
    size_t ncps, cap_cps;
    struct state head;          /* the state after the whole index */
    struct evlog_pos head_pos;
    struct model_row *rows;
    size_t nrows, cap_rows;
    bool rows_dirty;

    /* The cursor. */
    struct state cur;
    struct evlog_pos cur_pos;
};

/* Make room for need elements of size elem in *p (capacity *cap). */
static void *
grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need > *cap) {
        size_t n = *cap > 0 ? *cap * 2 : 16;

        while (n < need) {
            n *= 2;
        }
        p = xrealloc(p, n * elem);
        *cap = n;
    }
    return p;
}

static void *
grow_int(void *p, int *cap, int need, size_t elem)
{
    size_t c = (size_t)*cap;

    p = grow(p, &c, (size_t)need, elem);
    *cap = (int)c;
    return p;
}

bool
model_is_queue_kind(int k)
{
    return k == EV_OBJ_QUEUE || k == EV_OBJ_SIMPLEQUEUE || k == EV_OBJ_AQUEUE;
}

bool
model_is_lock_kind(int k)
{
    return k == EV_OBJ_LOCK || k == EV_OBJ_RLOCK || k == EV_OBJ_CONDITION
           || k == EV_OBJ_GIL;
}

/* ---- States ------------------------------------------------------------- */

/* Give st an entry for every actor and object the index knows. */
static void
state_fit(const struct model *m, struct state *st)
{
    if (st->nactors < m->nactors) {
        st->actors = grow_int(st->actors, &st->cap_actors, m->nactors,
                              sizeof *st->actors);
        for (int i = st->nactors; i < m->nactors; i++) {
            st->actors[i] = (struct model_actor_at){
                .state = MODEL_ST_NONE, .wait_obj = -1,
                .deadline = EVLOG_NEVER,
            };
        }
        st->nactors = m->nactors;
    }
    if (st->nobjs < m->nobjs) {
        st->objs = grow_int(st->objs, &st->cap_objs, m->nobjs,
                            sizeof *st->objs);
        for (int i = st->nobjs; i < m->nobjs; i++) {
            st->objs[i] = (struct model_obj_at){
                .holder = -1, .last_actor = -1, .last_op = -1,
            };
        }
        st->nobjs = m->nobjs;
    }
    if (st->nwatches < m->nwatch_names) {
        st->watches = grow_int(st->watches, &st->cap_watches,
                               m->nwatch_names, sizeof *st->watches);
        for (int i = st->nwatches; i < m->nwatch_names; i++) {
            st->watches[i] = (struct model_watch_at){ .actor = -1 };
        }
        st->nwatches = m->nwatch_names;
    }
}

/* Copy src into dst, reusing dst's arrays. */
static void
state_copy(struct state *dst, const struct state *src)
{
    struct model_actor_at *a = dst->actors;
    struct model_obj_at *o = dst->objs;
    struct model_watch_at *w = dst->watches;
    int ca = dst->cap_actors, co = dst->cap_objs, cw = dst->cap_watches;

    a = grow_int(a, &ca, src->nactors, sizeof *a);
    o = grow_int(o, &co, src->nobjs, sizeof *o);
    w = grow_int(w, &cw, src->nwatches, sizeof *w);
    *dst = *src;
    dst->actors = a;
    dst->cap_actors = ca;
    dst->objs = o;
    dst->cap_objs = co;
    dst->watches = w;
    dst->cap_watches = cw;
    if (src->nactors > 0) {
        memcpy(a, src->actors, sizeof *a * (size_t)src->nactors);
    }
    if (src->nobjs > 0) {
        memcpy(o, src->objs, sizeof *o * (size_t)src->nobjs);
    }
    if (src->nwatches > 0) {
        memcpy(w, src->watches, sizeof *w * (size_t)src->nwatches);
    }
}

static void
state_fini(struct state *st)
{
    free(st->actors);
    free(st->objs);
    free(st->watches);
}

/* Apply one record to st.  Every id in it is known to the index. */
static void
state_apply(const struct model *m, struct state *st, const struct ev *ev)
{
    struct model_actor_at *a = NULL;
    struct model_obj_at *o = NULL;

    state_fit(m, st);
    if (st->seq == 0 || ev->step != st->step) {
        st->moment = st->seq;
    }
    st->seq++;
    st->step = ev->step;
    st->time = ev->time;
    if (ev->actor >= 0 && ev->actor < st->nactors) {
        a = &st->actors[ev->actor];
    }
    if (ev->obj >= 0 && ev->obj < st->nobjs) {
        o = &st->objs[ev->obj];
    }
    switch (ev->kind) {
    case EV_ACTOR_NEW:
        if (a != NULL) {
            if (a->state == MODEL_ST_NONE) {
                a->state = MODEL_ST_ALIVE;
            }
            a->name = (struct model_text){ ev->str, ev->len };
        }
        break;
    case EV_ACTOR_NAME:
        if (a != NULL) {
            a->name = (struct model_text){ ev->str, ev->len };
        }
        break;
    case EV_STATE:
        if (a != NULL) {
            a->state = (int)ev->a;
            a->wait_obj = ev->obj;
            a->deadline = ev->x;
        }
        break;
    case EV_SWITCH:
        st->switches++;
        break;
    case EV_OBJ_NEW:
        if (o != NULL) {
            o->exists = true;
            o->label = (struct model_text){ ev->str, ev->len };
        }
        break;
    case EV_OBJ_NAME:
        if (o != NULL) {
            o->label = (struct model_text){ ev->str, ev->len };
        }
        break;
    case EV_OBJ_OP:
        if (o == NULL) {
            break;
        }
        o->exists = true;
        o->last_actor = ev->actor;
        o->last_op = (int)ev->a;
        switch (ev->a) {
        case EV_OP_ACQUIRE:
            if (m->objs[ev->obj].kind == EV_OBJ_SEMAPHORE) {
                o->value = ev->x;
            } else if (ev->x != 0) {
                o->holder = ev->actor;
            }
            break;
        case EV_OP_RELEASE:
            if (m->objs[ev->obj].kind == EV_OBJ_SEMAPHORE) {
                o->value = ev->x;
            } else {
                o->holder = -1;
            }
            break;
        case EV_OP_PUT:
        case EV_OP_GET:
            o->value = ev->x;
            break;
        case EV_OP_SET:
            o->value = 1;
            break;
        case EV_OP_CLEAR:
            o->value = 0;
            break;
        default:
            break;
        }
        break;
    case EV_POS:
        if (a != NULL) {
            a->code = (int)ev->a;
            a->line = (int)ev->b;
            a->offset = (int)ev->c;
        }
        break;
    case EV_WATCH:
        if (ev->a >= 0 && ev->a < st->nwatches) {
            const char *eq = memchr(ev->str, '=', ev->len);
            size_t skip = eq != NULL ? (size_t)(eq - ev->str) + 1 : 0;

            st->watches[ev->a] = (struct model_watch_at){
                .value = { ev->str + skip, ev->len - skip },
                .actor = ev->actor, .step = ev->step,
            };
        }
        break;
    default:
        break;
    }
}

/* ---- The index ---------------------------------------------------------- */

static int
check_id(struct model *m, int id, const char *what, struct diag *d)
{
    (void)m;
    if (id < 0 || id >= MODEL_MAX_ID) {
        diag_set(d, _("event log: %s id %d out of range"), what, id);
        return -1;
    }
    return 0;
}

static void
known_actor(struct model *m, int id)
{
    if (id >= m->nactors) {
        m->actors = grow_int(m->actors, &m->cap_actors, id + 1,
                             sizeof *m->actors);
        m->ahist = xrealloc(m->ahist, sizeof *m->ahist
                                          * (size_t)m->cap_actors);
        for (int i = m->nactors; i <= id; i++) {
            m->actors[i] = (struct model_actor){
                .kind = EV_ACTOR_THREAD, .parent = -1,
                .born = MODEL_NOWHERE,
            };
            m->ahist[i] = (struct hist){ 0 };
        }
        m->nactors = id + 1;
        m->rows_dirty = true;
    }
}

static void
known_obj(struct model *m, int id)
{
    if (id >= m->nobjs) {
        m->objs = grow_int(m->objs, &m->cap_objs, id + 1, sizeof *m->objs);
        m->ohist = xrealloc(m->ohist, sizeof *m->ohist
                                          * (size_t)m->cap_objs);
        m->opeak = xrealloc(m->opeak, sizeof *m->opeak
                                          * (size_t)m->cap_objs);
        for (int i = m->nobjs; i <= id; i++) {
            m->objs[i] = (struct model_obj){ .kind = EV_OBJ_LOCK,
                                             .born = MODEL_NOWHERE };
            m->ohist[i] = (struct hist){ 0 };
            m->opeak[i] = 0;
        }
        m->nobjs = id + 1;
    }
}

static void
hist_add(struct hist *h, const struct ev *ev, int64_t value)
{
    if (h->n > 0 && h->p[h->n - 1].value == value) {
        return;                 /* no change */
    }
    h->p = grow(h->p, &h->cap, h->n + 1, sizeof *h->p);
    h->p[h->n++] = (struct model_mark){ ev->step, ev->time, value };
}

static void
add_notable(struct model *m, const struct ev *ev)
{
    if (m->nnotable > 0 && m->notable[m->nnotable - 1].step == ev->step) {
        return;
    }
    m->notable = grow(m->notable, &m->cap_notable, m->nnotable + 1,
                      sizeof *m->notable);
    m->notable[m->nnotable++] = (struct notable){ m->head.seq, ev->step };
}

static bool
is_waiting_state(int st)
{
    return st == EV_ST_BLOCKED || st == EV_ST_SLEEPING
           || st == EV_ST_WAITING;
}

/* Split an EV_OUTPUT record into pieces, one per line it touches. */
static void
add_output(struct model *m, const struct ev *ev)
{
    const char *p = ev->str, *end = ev->str + ev->len;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl != NULL ? nl : end;

        if (!m->line_open) {
            m->lines = grow(m->lines, &m->cap_lines, m->nlines + 1,
                            sizeof *m->lines);
            m->lines[m->nlines++] = m->nout;
            m->line_open = true;
        }
        m->out = grow(m->out, &m->cap_out, m->nout + 1, sizeof *m->out);
        m->out[m->nout++] = (struct model_out){
            .seq = m->head.seq, .actor = ev->actor >= 0 ? ev->actor : -1,
            .fd = (int)ev->a,
            .text = { p, (size_t)(stop - p) },
        };
        if (nl == NULL) {
            break;
        }
        m->line_open = false;
        p = nl + 1;
    }
}

static void
add_note(struct model_note **list, size_t *n, size_t *cap, uint64_t seq,
         const struct ev *ev)
{
    *list = grow(*list, cap, *n + 1, sizeof **list);
    (*list)[(*n)++] = (struct model_note){
        .seq = seq, .step = ev->step, .actor = ev->actor,
        .text = { ev->str, ev->len },
    };
}

/* The entry of code id, made (zeroed) on first use. */
static struct model_code *
code_slot(struct model *m, int id)
{
    if (id >= m->ncodes) {
        m->codes = grow_int(m->codes, &m->cap_codes, id + 1,
                            sizeof *m->codes);
        memset(m->codes + m->ncodes, 0,
               sizeof *m->codes * (size_t)(id + 1 - m->ncodes));
        m->ncodes = id + 1;
    }
    return &m->codes[id];
}

/* Record in the index what ev says once and for all; called before the
 * head applies it.  -1 with d on a record that makes no sense. */
static int
index_record(struct model *m, const struct ev *ev, struct diag *d)
{
    int old;

    switch (ev->kind) {
    case EV_ACTOR_NEW:
    case EV_ACTOR_NAME:
    case EV_STATE:
    case EV_POS:
    case EV_EXCEPTION:
        if (check_id(m, ev->actor, "actor", d) < 0) {
            return -1;
        }
        known_actor(m, ev->actor);
        break;
    case EV_OBJ_NEW:
    case EV_OBJ_NAME:
    case EV_OBJ_OP:
        if (check_id(m, ev->obj, "object", d) < 0) {
            return -1;
        }
        known_obj(m, ev->obj);
        break;
    default:
        break;
    }
    /* Other actor fields (output, switches, ops) may be -1: nobody. */
    if (ev->actor >= MODEL_MAX_ID) {
        return check_id(m, ev->actor, "actor", d);
    }
    if (ev->actor >= 0) {
        known_actor(m, ev->actor);
    }
    state_fit(m, &m->head);

    switch (ev->kind) {
    case EV_RUN:
        m->run = (struct model_text){ ev->str, ev->len };
        break;
    case EV_ACTOR_NEW: {
        struct model_actor *a = &m->actors[ev->actor];

        a->kind = (enum ev_actor_kind)ev->a;
        a->parent = ev->b >= 0 && ev->b < MODEL_MAX_ID && ev->b != ev->actor
                        ? (int)ev->b
                        : -1;
        a->proc = (int)ev->c;
        a->born = m->head.seq;
        m->rows_dirty = true;
        if (m->head.actors[ev->actor].state == MODEL_ST_NONE) {
            hist_add(&m->ahist[ev->actor], ev, MODEL_ST_ALIVE);
        }
        break;
    }
    case EV_STATE:
        old = m->head.actors[ev->actor].state;
        hist_add(&m->ahist[ev->actor], ev, ev->a);
        if ((is_waiting_state((int)ev->a) && old != ev->a)
            || (is_waiting_state(old) && !is_waiting_state((int)ev->a))
            || ev->a == EV_ST_DONE || ev->a == EV_ST_FAILED
            || ev->a == EV_ST_CANCELLED) {
            add_notable(m, ev);
        }
        break;
    case EV_OBJ_NEW: {
        struct model_obj *o = &m->objs[ev->obj];

        o->known = true;
        o->kind = (enum ev_obj_kind)ev->a;
        o->capacity = ev->b > 0 ? ev->b : 0;
        o->born = m->head.seq;
        if (model_is_queue_kind(o->kind)) {
            hist_add(&m->ohist[ev->obj], ev, 0);
        }
        break;
    }
    case EV_OBJ_OP:
        /* A GIL's history is who holds it: the hand-offs the timeline
         * draws. */
        if (m->objs[ev->obj].kind == EV_OBJ_GIL && m->objs[ev->obj].known
            && (ev->a == EV_OP_ACQUIRE || ev->a == EV_OP_RELEASE)) {
            hist_add(&m->ohist[ev->obj], ev,
                     ev->a == EV_OP_ACQUIRE && ev->x != 0 ? ev->actor : -1);
        }
        if (model_is_queue_kind(m->objs[ev->obj].kind)
            && m->objs[ev->obj].known
            && (ev->a == EV_OP_PUT || ev->a == EV_OP_GET)) {
            hist_add(&m->ohist[ev->obj], ev, ev->x);
            if (ev->x > m->opeak[ev->obj]) {
                m->opeak[ev->obj] = ev->x;
            }
        }
        break;
    case EV_OUTPUT:
        if (ev->len > 0) {
            add_output(m, ev);
            add_notable(m, ev);
        }
        break;
    case EV_CODE:
        if (ev->a > 0 && ev->a < MODEL_MAX_ID) {
            struct model_code *c = code_slot(m, (int)ev->a);
            const char *nul = memchr(ev->str, '\0', ev->len);

            c->known = true;
            c->first_line = (int)ev->b;
            if (nul != NULL) {
                c->file = (struct model_text){ ev->str,
                                               (size_t)(nul - ev->str) };
                c->func = (struct model_text){
                    nul + 1, ev->len - (size_t)(nul - ev->str) - 1 };
            } else {
                c->file = (struct model_text){ ev->str, ev->len };
                c->func = (struct model_text){ "", 0 };
            }
        }
        break;
    case EV_WATCH:
        if (ev->a >= 0 && ev->a < MODEL_MAX_ID) {
            const char *eq = memchr(ev->str, '=', ev->len);
            int n = (int)ev->a;

            if (n >= m->nwatch_names) {
                m->watch_names = grow_int(m->watch_names,
                                          &m->cap_watch_names, n + 1,
                                          sizeof *m->watch_names);
                for (int i = m->nwatch_names; i <= n; i++) {
                    m->watch_names[i] = (struct model_text){ "?", 1 };
                }
                m->nwatch_names = n + 1;
                state_fit(m, &m->head);
            }
            m->watch_names[n] = (struct model_text){
                ev->str, eq != NULL ? (size_t)(eq - ev->str) : ev->len };
        }
        break;
    case EV_BYTECODE:
        if (ev->a > 0 && ev->a < MODEL_MAX_ID) {
            code_slot(m, (int)ev->a)->bytecode =
                (struct model_text){ ev->str, ev->len };
        }
        break;
    case EV_SWITCH:
        /* A decision the schedule string records: c says how many steps
         * before this switch it was taken, plus one. */
        if (ev->c > 0 && (uint64_t)(ev->c - 1) <= ev->step
            && ev->actor >= 0) {
            m->decisions = grow(m->decisions, &m->cap_decisions,
                                m->ndecisions + 1, sizeof *m->decisions);
            m->decisions[m->ndecisions++] = (struct model_decision){
                ev->step - (uint64_t)(ev->c - 1), ev->step, ev->actor };
        }
        break;
    case EV_EXCEPTION:
        add_note(&m->exc, &m->nexc, &m->cap_exc, m->head.seq, ev);
        add_notable(m, ev);
        break;
    case EV_NOTE:
        add_note(&m->notes, &m->nnotes, &m->cap_notes, m->head.seq, ev);
        add_notable(m, ev);
        break;
    case EV_DEADLOCK:
        m->deadlock = (struct model_note){
            .seq = m->head.seq, .step = ev->step, .actor = -1,
            .text = { ev->str, ev->len },
        };
        add_notable(m, ev);
        break;
    case EV_END:
        m->end = (struct model_note){
            .seq = m->head.seq, .step = ev->step, .actor = -1,
            .status = ev->a, .why = ev->b, .text = { ev->str, ev->len },
        };
        add_notable(m, ev);
        break;
    default:
        break;
    }
    return 0;
}

static void
add_checkpoint(struct model *m, const struct evlog_pos *pos)
{
    struct checkpoint *cp;

    m->cps = grow(m->cps, &m->cap_cps, m->ncps + 1, sizeof *m->cps);
    cp = &m->cps[m->ncps++];
    memset(cp, 0, sizeof *cp);
    cp->pos = *pos;
    state_copy(&cp->st, &m->head);
}

long
model_refresh(struct model *m, struct diag *d)
{
    struct evlog_pos before;
    struct ev ev;
    long n = 0;
    int rc;

    if (m->has_err) {
        *d = m->err;
        return -1;
    }
    evlog_seek(m->r, &m->head_pos);
    for (;;) {
        evlog_tell(m->r, &before);
        rc = evlog_next(m->r, &ev, d);
        if (rc <= 0) {
            break;
        }
        if (m->ncps == 0
            || ((m->head.seq == 0 || ev.step != m->head.step)
                && m->head.seq - m->cps[m->ncps - 1].st.seq
                       >= MODEL_CHECKPOINT_EVERY)) {
            add_checkpoint(m, &before);
        }
        if (index_record(m, &ev, d) < 0) {
            rc = -1;
            break;
        }
        if (m->head.seq == 0) {
            m->first_step = ev.step;
        }
        state_apply(m, &m->head, &ev);
        n++;
    }
    if (m->ncps == 0) {
        add_checkpoint(m, &before);     /* an empty log so far */
    }
    if (rc < 0) {
        /* Keep what came before; the cursor never reads past the head. */
        evlog_seek(m->r, &before);
        m->err = *d;
        m->has_err = true;
    }
    evlog_tell(m->r, &m->head_pos);
    return rc < 0 ? -1 : n;
}

const struct diag *
model_error(const struct model *m)
{
    return m->has_err ? &m->err : NULL;
}

int
model_check_end(struct model *m)
{
    struct diag d;

    if (m->has_err) {
        return -1;
    }
    evlog_seek(m->r, &m->head_pos);
    if (evlog_check_end(m->r, &d) < 0) {
        m->err = d;
        m->has_err = true;
        return -1;
    }
    return 0;
}

/* ---- The cursor --------------------------------------------------------- */

enum until {
    UNTIL_SEQ,                  /* stop with limit records applied */
    THROUGH_STEP,               /* apply every record with step <= limit */
    ONE_MOMENT,                 /* apply the next moment */
};

/* Apply records to the cursor, never past the head. */
static void
cur_advance(struct model *m, enum until until, uint64_t limit)
{
    struct evlog_pos before;
    struct diag d;
    struct ev ev;
    bool first = true;
    uint64_t moment_step = 0;

    evlog_seek(m->r, &m->cur_pos);
    while (m->cur.seq < m->head.seq) {
        evlog_tell(m->r, &before);
        if (evlog_next(m->r, &ev, &d) != 1) {
            break;              /* cannot happen: the index read it */
        }
        if ((until == UNTIL_SEQ && m->cur.seq >= limit)
            || (until == THROUGH_STEP && ev.step > limit)
            || (until == ONE_MOMENT && !first && ev.step != moment_step)) {
            evlog_seek(m->r, &before);
            break;
        }
        if (first) {
            moment_step = ev.step;
            first = false;
        }
        state_apply(m, &m->cur, &ev);
    }
    evlog_tell(m->r, &m->cur_pos);
}

static void
cur_restore(struct model *m, const struct checkpoint *cp)
{
    state_copy(&m->cur, &cp->st);
    m->cur_pos = cp->pos;
}

/* The last checkpoint at or before seq. */
static const struct checkpoint *
cp_by_seq(const struct model *m, uint64_t seq)
{
    size_t lo = 0, hi = m->ncps;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (m->cps[mid].st.seq <= seq) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return &m->cps[lo];
}

/* The last checkpoint after which every record has a step above step (or
 * the time above t, when by_time). */
static const struct checkpoint *
cp_by_key(const struct model *m, bool by_time, uint64_t step, int64_t t)
{
    size_t lo = 0, hi = m->ncps;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        const struct state *st = &m->cps[mid].st;

        if (by_time ? st->time <= t : st->step <= step) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return &m->cps[lo];
}

/* Put the cursor on the moment ending with seq records applied. */
static void
cur_goto_seq(struct model *m, uint64_t seq)
{
    const struct checkpoint *cp = cp_by_seq(m, seq);

    if (seq < m->cur.seq || cp->st.seq > m->cur.seq) {
        cur_restore(m, cp);
    }
    cur_advance(m, UNTIL_SEQ, seq);
}

bool
model_next(struct model *m)
{
    uint64_t seq = m->cur.seq;

    cur_advance(m, ONE_MOMENT, 0);
    return m->cur.seq != seq;
}

bool
model_prev(struct model *m)
{
    if (m->cur.moment == 0) {
        return false;           /* on the first moment */
    }
    cur_goto_seq(m, m->cur.moment);
    return true;
}

void
model_first(struct model *m)
{
    cur_restore(m, &m->cps[0]);
    cur_advance(m, ONE_MOMENT, 0);
}

void
model_last(struct model *m)
{
    cur_goto_seq(m, m->head.seq);
}

void
model_seek_step(struct model *m, uint64_t step)
{
    const struct checkpoint *cp = cp_by_key(m, false, step, 0);

    if (m->cur.seq == 0 || step < m->cur.step || cp->st.seq > m->cur.seq) {
        cur_restore(m, cp);
    }
    cur_advance(m, THROUGH_STEP, step);
    if (m->cur.seq == 0) {
        cur_advance(m, ONE_MOMENT, 0);
    }
}

void
model_seek_time(struct model *m, int64_t t)
{
    const struct checkpoint *cp = cp_by_key(m, true, 0, t);
    uint64_t step = cp->st.seq > 0 ? cp->st.step : m->first_step;
    uint64_t seq = cp->st.seq;
    struct diag d;
    struct ev ev;

    /* Find the step of the last record at or before t, then go there. */
    evlog_seek(m->r, &cp->pos);
    while (seq < m->head.seq && evlog_next(m->r, &ev, &d) == 1
           && ev.time <= t) {
        step = ev.step;
        seq++;
    }
    model_seek_step(m, step);
}

bool
model_next_notable(struct model *m)
{
    size_t lo = 0, hi = m->nnotable;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (m->notable[mid].step <= m->cur.step) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == m->nnotable || m->cur.seq == 0) {
        return false;
    }
    model_seek_step(m, m->notable[lo].step);
    return true;
}

bool
model_prev_notable(struct model *m)
{
    size_t lo = 0, hi = m->nnotable;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (m->notable[mid].step < m->cur.step) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return false;
    }
    model_seek_step(m, m->notable[lo - 1].step);
    return true;
}

uint64_t
model_step(const struct model *m)
{
    return m->cur.step;
}

int64_t
model_time(const struct model *m)
{
    return m->cur.time;
}

uint64_t
model_seq(const struct model *m)
{
    return m->cur.seq;
}

bool
model_is_at_end(const struct model *m)
{
    return m->cur.seq >= m->head.seq;
}

bool
model_is_at_start(const struct model *m)
{
    return m->cur.moment == 0;
}

/* ---- Creating and freeing ----------------------------------------------- */

struct model *
model_new(struct evlog_reader *r, struct diag *d)
{
    struct model *m = xcalloc(1, sizeof *m);

    m->r = r;
    m->deadlock.seq = MODEL_NOWHERE;
    m->end.seq = MODEL_NOWHERE;
    evlog_rewind(r);
    evlog_tell(r, &m->head_pos);
    if (model_refresh(m, d) < 0 && m->head.seq == 0) {
        model_free(m);
        return NULL;
    }
    model_first(m);
    return m;
}

void
model_free(struct model *m)
{
    if (m == NULL) {
        return;
    }
    for (int i = 0; i < m->nactors; i++) {
        free(m->ahist[i].p);
    }
    for (int i = 0; i < m->nobjs; i++) {
        free(m->ohist[i].p);
    }
    for (size_t i = 0; i < m->ncps; i++) {
        state_fini(&m->cps[i].st);
    }
    state_fini(&m->head);
    state_fini(&m->cur);
    free(m->actors);
    free(m->ahist);
    free(m->objs);
    free(m->ohist);
    free(m->opeak);
    free(m->codes);
    free(m->decisions);
    free(m->watch_names);
    free(m->out);
    free(m->lines);
    free(m->exc);
    free(m->notes);
    free(m->notable);
    free(m->cps);
    free(m->rows);
    free(m);
}

/* ---- Queries ------------------------------------------------------------ */

uint64_t
model_nrecords(const struct model *m)
{
    return m->head.seq;
}

uint64_t
model_first_step(const struct model *m)
{
    return m->first_step;
}

uint64_t
model_last_step(const struct model *m)
{
    return m->head.step;
}

int64_t
model_last_time(const struct model *m)
{
    return m->head.time;
}

uint64_t
model_nswitches(const struct model *m)
{
    return m->cur.switches;
}

struct model_text
model_run_info(const struct model *m)
{
    return m->run;
}

bool
model_run_value(const struct model *m, const char *key, char *buf,
                size_t size)
{
    const char *p = m->run.p, *end = m->run.p + m->run.len;
    size_t klen = strlen(key);

    while (p != NULL && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl != NULL ? nl : end;

        if ((size_t)(stop - p) > klen && memcmp(p, key, klen) == 0
            && p[klen] == '=') {
            size_t n = (size_t)(stop - p) - klen - 1;

            if (size == 0) {
                return true;
            }
            n = n < size - 1 ? n : size - 1;
            memcpy(buf, p + klen + 1, n);
            buf[n] = '\0';
            return true;
        }
        p = nl != NULL ? nl + 1 : NULL;
    }
    return false;
}

int
model_nactors(const struct model *m)
{
    return m->nactors;
}

int
model_nobjs(const struct model *m)
{
    return m->nobjs;
}

const struct model_actor *
model_actor(const struct model *m, int id)
{
    return &m->actors[id];
}

const struct model_actor_at *
model_actor_at(const struct model *m, int id)
{
    static const struct model_actor_at none = {
        .state = MODEL_ST_NONE, .wait_obj = -1, .deadline = EVLOG_NEVER,
    };

    /* The cursor's arrays grow when it applies records; an actor the
     * index knows but the cursor has not met yet does not exist there. */
    return id < m->cur.nactors ? &m->cur.actors[id] : &none;
}

const struct model_obj *
model_obj(const struct model *m, int id)
{
    return &m->objs[id];
}

const struct model_obj_at *
model_obj_at(const struct model *m, int id)
{
    static const struct model_obj_at none = {
        .holder = -1, .last_actor = -1, .last_op = -1,
    };

    return id < m->cur.nobjs ? &m->cur.objs[id] : &none;
}

/* Copy text into buf, cut on a UTF-8 boundary to fit, NUL-terminated. */
static void
copy_text(char *buf, size_t size, const char *p, size_t len)
{
    if (size == 0) {
        return;
    }
    if (len >= size) {
        len = size - 1;
        while (len > 0 && ((unsigned char)p[len] & 0xc0) == 0x80) {
            len--;
        }
    }
    memcpy(buf, p, len);
    buf[len] = '\0';
}

const char *
model_actor_name(const struct model *m, int id, char *buf, size_t size)
{
    const struct model_actor_at *a = model_actor_at(m, id);

    if (a->name.len == 0 && id < m->head.nactors) {
        a = &m->head.actors[id];    /* not born yet: its final name */
    }
    if (a->name.len > 0) {
        copy_text(buf, size, a->name.p, a->name.len);
    } else {
        snprintf(buf, size, "#%d", id);
    }
    return buf;
}

const char *
model_obj_name(const struct model *m, int id, char *buf, size_t size)
{
    const struct model_obj_at *o = model_obj_at(m, id);

    if (o->label.len == 0 && id < m->head.nobjs) {
        o = &m->head.objs[id];
    }
    if (o->label.len > 0) {
        copy_text(buf, size, o->label.p, o->label.len);
    } else if (id >= 0 && id < m->nobjs && m->objs[id].known) {
        snprintf(buf, size, "%s #%d",
                 evlog_obj_kind_name(m->objs[id].kind), id);
    } else {
        snprintf(buf, size, "#%d", id);
    }
    return buf;
}

const struct model_code *
model_code_info(const struct model *m, int code)
{
    if (code <= 0 || code >= m->ncodes || !m->codes[code].known) {
        return NULL;
    }
    return &m->codes[code];
}

size_t
model_decisions(const struct model *m, const struct model_decision **list)
{
    *list = m->decisions;
    return m->ndecisions;
}

/* Depth-first from the roots, children in id order, without recursion:
 * a deep chain of tasks must not overflow the stack. */
static void
build_rows(struct model *m)
{
    int n = m->nactors;
    int *first = xmalloc(sizeof *first * (size_t)(n + 1));
    int *kids = xmalloc(sizeof *kids * (size_t)(n > 0 ? n : 1));
    int *fill = xcalloc((size_t)(n + 1), sizeof *fill);
    bool *placed = xcalloc((size_t)(n > 0 ? n : 1), sizeof *placed);
    int *stack = xmalloc(sizeof *stack * (size_t)(n > 0 ? n : 1));
    int *sdepth = xmalloc(sizeof *sdepth * (size_t)(n > 0 ? n : 1));

    /* Children lists (CSR): count, prefix sums, fill in id order. */
    memset(first, 0, sizeof *first * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        int p = m->actors[i].parent;

        if (p >= 0 && p < n) {
            first[p + 1]++;
        }
    }
    for (int i = 0; i < n; i++) {
        first[i + 1] += first[i];
    }
    for (int i = 0; i < n; i++) {
        int p = m->actors[i].parent;

        if (p >= 0 && p < n) {
            kids[first[p] + fill[p]++] = i;
        }
    }
    m->rows = grow(m->rows, &m->cap_rows, (size_t)(n > 0 ? n : 1),
                   sizeof *m->rows);
    m->nrows = 0;
    /* Roots first; then whatever a cycle kept from every root. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n; i++) {
            int p = m->actors[i].parent, top = 0;

            if (placed[i] || (pass == 0 && p >= 0 && p < n)) {
                continue;
            }
            stack[top] = i;
            sdepth[top++] = 0;
            while (top > 0) {
                int id = stack[--top], depth = sdepth[top];

                if (placed[id]) {
                    continue;
                }
                placed[id] = true;
                m->rows[m->nrows++] = (struct model_row){ id, depth };
                for (int k = first[id + 1] - 1; k >= first[id]; k--) {
                    if (!placed[kids[k]]) {
                        stack[top] = kids[k];
                        sdepth[top++] = depth + 1;
                    }
                }
            }
        }
    }
    free(first);
    free(kids);
    free(fill);
    free(placed);
    free(stack);
    free(sdepth);
    m->rows_dirty = false;
}

size_t
model_rows(struct model *m, const struct model_row **rows)
{
    if (m->rows_dirty || m->rows == NULL) {
        build_rows(m);
    }
    *rows = m->rows;
    return m->nrows;
}

const struct model_mark *
model_actor_history(const struct model *m, int id, size_t *n)
{
    *n = m->ahist[id].n;
    return m->ahist[id].p;
}

const struct model_mark *
model_obj_history(const struct model *m, int id, size_t *n)
{
    if (!m->objs[id].known || (!model_is_queue_kind(m->objs[id].kind)
                               && m->objs[id].kind != EV_OBJ_GIL)) {
        *n = 0;
        return NULL;
    }
    *n = m->ohist[id].n;
    return m->ohist[id].p;
}

int64_t
model_obj_peak(const struct model *m, int id)
{
    return m->opeak[id];
}

/* ---- Lists cut at the cursor -------------------------------------------- */

/* How many output pieces the cursor has written. */
static size_t
out_written(const struct model *m)
{
    size_t lo = 0, hi = m->nout;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (m->out[mid].seq < m->cur.seq) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

size_t
model_out_lines(const struct model *m)
{
    size_t written = out_written(m), lo = 0, hi = m->nlines;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (m->lines[mid] < written) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

const struct model_out *
model_out_line(const struct model *m, size_t i, size_t *npieces)
{
    size_t written = out_written(m);
    size_t start = m->lines[i];
    size_t stop = i + 1 < m->nlines ? m->lines[i + 1] : m->nout;

    *npieces = (stop < written ? stop : written) - start;
    return &m->out[start];
}

static size_t
notes_before(const struct model_note *list, size_t n, uint64_t seq)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (list[mid].seq < seq) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

size_t
model_exceptions(const struct model *m, const struct model_note **list)
{
    *list = m->exc;
    return notes_before(m->exc, m->nexc, m->cur.seq);
}

size_t
model_notes(const struct model *m, const struct model_note **list)
{
    *list = m->notes;
    return notes_before(m->notes, m->nnotes, m->cur.seq);
}

const struct model_note *
model_deadlock(const struct model *m)
{
    return m->deadlock.seq < m->cur.seq ? &m->deadlock : NULL;
}

const struct model_note *
model_end(const struct model *m)
{
    return m->end.seq < m->cur.seq ? &m->end : NULL;
}

const struct model_note *
model_final_end(const struct model *m)
{
    return m->end.seq != MODEL_NOWHERE ? &m->end : NULL;
}

/* ---- Columns for the timeline ------------------------------------------- */

static inline int64_t
mark_x(const struct model_mark *k, bool by_time)
{
    return by_time ? k->time : (int64_t)k->step;
}

/* The first mark at or after x. */
static size_t
mark_find(const struct model_mark *h, size_t n, bool by_time, int64_t x)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (mark_x(&h[mid], by_time) < x) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Ties between equally long states go to the earlier one here. */
static const int state_rank[] = {
    EV_ST_BLOCKED, EV_ST_WAITING, EV_ST_SLEEPING, EV_ST_READY,
    MODEL_ST_ALIVE, EV_ST_DONE,
};

void
model_columns(const struct model_mark *h, size_t n, bool by_time,
              int64_t x0, int64_t width, int ncols, signed char *out)
{
    size_t i = mark_find(h, n, by_time, x0);
    int st = i > 0 ? (int)h[i - 1].value : MODEL_ST_NONE;

    for (int c = 0; c < ncols; c++) {
        int64_t lo = x0 + width * c, hi = lo + width, at = lo;
        int64_t dur[MODEL_NSTATES] = { 0 };
        bool ran = st == EV_ST_RUNNING;
        int mark = MODEL_ST_NONE, best = st;
        int64_t best_dur = 0;

        for (; i < n && mark_x(&h[i], by_time) < hi; i++) {
            int64_t x = mark_x(&h[i], by_time);

            if (st >= 0 && x > at) {
                dur[st] += x - at;
            }
            at = x > at ? x : at;
            st = (int)h[i].value;
            ran |= st == EV_ST_RUNNING;
            if (st == EV_ST_FAILED || st == EV_ST_CANCELLED) {
                mark = st;
            }
        }
        if (st >= 0) {
            dur[st] += hi - at;
        }
        /* An ending is the news of its column; then having run at all:
         * a short burst of work must not vanish under a long wait. */
        if (mark != MODEL_ST_NONE) {
            out[c] = (signed char)mark;
            continue;
        }
        if (ran) {
            out[c] = EV_ST_RUNNING;
            continue;
        }
        for (size_t k = 0; k < sizeof state_rank / sizeof state_rank[0];
             k++) {
            if (dur[state_rank[k]] > best_dur) {
                best = state_rank[k];
                best_dur = dur[state_rank[k]];
            }
        }
        out[c] = (signed char)(best_dur > 0 ? best : st);
    }
}

void
model_levels(const struct model_mark *h, size_t n, bool by_time, int64_t x0,
             int64_t width, int ncols, int64_t *out)
{
    size_t i = mark_find(h, n, by_time, x0);
    int64_t level = i > 0 ? h[i - 1].value : -1;

    for (int c = 0; c < ncols; c++) {
        int64_t hi = x0 + width * (c + 1), most = level;

        for (; i < n && mark_x(&h[i], by_time) < hi; i++) {
            level = h[i].value;
            most = level > most ? level : most;
        }
        out[c] = most;
    }
}

void
model_holders(const struct model_mark *h, size_t n, bool by_time,
              int64_t x0, int64_t width, int ncols, int64_t *out,
              unsigned char *handoff)
{
    size_t i = mark_find(h, n, by_time, x0);
    int64_t holder = i > 0 ? h[i - 1].value : -1;

    for (int c = 0; c < ncols; c++) {
        int64_t lo = x0 + width * c, hi = lo + width, at = lo;
        int64_t who[8], dur[8], first = -1;
        int nwho = 0, best = -1;
        bool changed = false;

        for (;;) {
            bool more = i < n && mark_x(&h[i], by_time) < hi;
            int64_t x = more ? mark_x(&h[i], by_time) : hi;

            /* holder had [at, x) of this column */
            if (holder >= 0) {
                int k = 0;

                while (k < nwho && who[k] != holder) {
                    k++;
                }
                if (k == nwho && nwho < 8) {
                    who[nwho] = holder;
                    dur[nwho++] = 0;
                }
                if (k < nwho) {
                    dur[k] += x > at ? x - at : 0;
                }
                if (first < 0) {
                    first = holder;
                }
                changed |= holder != first;
            }
            at = x > at ? x : at;
            if (!more) {
                break;
            }
            holder = h[i++].value;
        }
        for (int k = 0; k < nwho; k++) {
            if (dur[k] > 0 && (best < 0 || dur[k] > dur[best])) {
                best = k;
            }
        }
        out[c] = best >= 0 ? who[best] : -1;
        handoff[c] = changed;
    }
}

uint64_t
model_schedule(const struct model *m, uint64_t step, struct str *out)
{
    uint64_t prev = 0;

    for (size_t i = 0; i < m->ndecisions; i++) {
        const struct model_decision *d = &m->decisions[i];

        if (d->switch_step > step) {
            break;
        }
        if (i > 0) {
            str_addc(out, ',');
        }
        str_add_base36(out, d->step - prev);
        str_addc(out, '-');
        str_add_base36(out, (uint64_t)d->actor);
        prev = d->step;
    }
    return prev;
}

int
model_nwatches(const struct model *m)
{
    return m->nwatch_names;
}

struct model_text
model_watch_name(const struct model *m, int i)
{
    return m->watch_names[i];
}

const struct model_watch_at *
model_watch_at(const struct model *m, int i)
{
    static const struct model_watch_at none = { .actor = -1 };

    return i < m->cur.nwatches ? &m->cur.watches[i] : &none;
}
