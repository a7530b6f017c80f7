/*
 * Comparing two runs (log layer; see diff.h).  Three passes over each
 * log: one for the run's totals and end, one that walks both logs side by
 * side over the records that say what happened until a pair differs, and
 * one that rebuilds, up to that step, the actors' names, the baton and
 * the last position of every actor.  Reads only log/evlog.h; cmd-diff.c
 * makes the runs and prints.
 */
#include "config.h"

#include "log/diff.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/srcline.h"

/* Ids index arrays here; anything larger is taken for corruption. */
#define LD_MAX_ID (1 << 20)
/* Output quoted in a record's description is cut here. */
#define LD_QUOTE_MAX 48

struct ld_actor {
    char *name;                 /* owned; NULL until EV_ACTOR_NEW */
    bool has_pos;
    uint64_t pos_step;
    int code;
    int line;
};

struct ld_code {
    char *file;                 /* owned */
    char *func;
};

/* One log replayed up to a step.  Lives in logdiff_compare. */
struct ld_state {
    struct ld_actor *actors;
    int nactors;
    struct ld_code *codes;
    int ncodes;
    int holder;                 /* who runs, -1: nobody */
    int64_t time;
    bool switched;              /* at the step asked for */
    int from;
    int why;
};

static const char *const reason_name[] = {
    "start", "block", "exit", "preempt", "yield", "wake",
};

const char *
logdiff_reason_name(int why)
{
    if (why < 0 || (size_t)why >= sizeof reason_name / sizeof *reason_name) {
        return "?";
    }
    return reason_name[why];
}

static bool
is_compared(enum ev_kind k)
{
    switch (k) {
    case EV_ACTOR_NEW:
    case EV_ACTOR_NAME:
    case EV_STATE:
    case EV_SWITCH:
    case EV_OUTPUT:
    case EV_EXCEPTION:
    case EV_DEADLOCK:
    case EV_END:
        return true;
    default:
        return false;
    }
}

static bool
same_ev(const struct ev *x, const struct ev *y)
{
    return x->kind == y->kind && x->step == y->step && x->time == y->time
           && x->actor == y->actor && x->obj == y->obj && x->a == y->a
           && x->b == y->b && x->c == y->c && x->x == y->x
           && x->len == y->len
           && (x->len == 0 || memcmp(x->str, y->str, x->len) == 0);
}

/* ---- Pass 1: the run as a whole ----------------------------------------- */

static int
summarize(struct evlog_reader *r, struct logdiff_run *run, struct diag *d)
{
    struct ev ev;
    int rc;

    evlog_rewind(r);
    while ((rc = evlog_next(r, &ev, d)) == 1) {
        run->steps = ev.step;
        run->time = ev.time;
        if (ev.kind == EV_DEADLOCK) {
            run->deadlock = true;
        } else if (ev.kind == EV_END) {
            run->ended = true;
            run->end_status = (int)ev.a;
            run->end_why = (int)ev.b;
            if (ev.b == EV_END_DEADLOCK) {
                run->deadlock = true;
            }
        }
    }
    return rc;
}

/* ---- Pass 2: side by side ----------------------------------------------- */

static int
next_compared(struct evlog_reader *r, struct ev *ev, struct diag *d)
{
    int rc;

    while ((rc = evlog_next(r, ev, d)) == 1) {
        if (is_compared(ev->kind)) {
            return 1;
        }
    }
    return rc;
}

/* ---- Pass 3: the state at the divergence -------------------------------- */

static struct ld_actor *
ld_actor(struct ld_state *st, int id)
{
    if (id >= st->nactors) {
        int n = id + 1;

        st->actors = xrealloc(st->actors, sizeof *st->actors * (size_t)n);
        memset(st->actors + st->nactors, 0,
               sizeof *st->actors * (size_t)(n - st->nactors));
        st->nactors = n;
    }
    return &st->actors[id];
}

static int
check_id(int64_t id, const char *what, struct diag *d)
{
    if (id < 0 || id >= LD_MAX_ID) {
        diag_set(d, _("event log: %s id %d out of range"), what, (int)id);
        return -1;
    }
    return 0;
}

static int
ld_code(struct ld_state *st, const struct ev *ev, struct diag *d)
{
    struct ld_code *c;
    size_t flen;

    if (check_id(ev->a, "code", d) < 0) {
        return -1;
    }
    if (ev->a >= st->ncodes) {
        int n = (int)ev->a + 1;

        st->codes = xrealloc(st->codes, sizeof *st->codes * (size_t)n);
        memset(st->codes + st->ncodes, 0,
               sizeof *st->codes * (size_t)(n - st->ncodes));
        st->ncodes = n;
    }
    c = &st->codes[ev->a];
    free(c->file);
    free(c->func);
    flen = ev->len > 0 ? strnlen(ev->str, ev->len) : 0;
    c->file = xstrndup(ev->str, flen);
    c->func = flen < ev->len ? xstrndup(ev->str + flen + 1,
                                       ev->len - flen - 1)
                             : NULL;
    return 0;
}

/* Replay r up to and including step s. */
static int
state_at(struct evlog_reader *r, uint64_t s, struct ld_state *st,
         struct diag *d)
{
    struct evlog_pos before;
    struct ev ev;
    int rc;

    st->holder = -1;
    st->from = -1;
    evlog_rewind(r);
    for (;;) {
        evlog_tell(r, &before);
        if ((rc = evlog_next(r, &ev, d)) != 1) {
            break;
        }
        if (ev.step > s) {
            evlog_seek(r, &before);
            break;
        }
        st->time = ev.time;
        switch (ev.kind) {
        case EV_ACTOR_NEW:
        case EV_ACTOR_NAME:
            if (check_id(ev.actor, "actor", d) < 0) {
                return -1;
            }
            free(ld_actor(st, ev.actor)->name);
            ld_actor(st, ev.actor)->name = xstrndup(ev.str, ev.len);
            break;
        case EV_SWITCH:
            st->holder = ev.actor;
            if (ev.step == s) {
                st->switched = true;
                st->from = (int)ev.b;
                st->why = (int)ev.a;
            }
            break;
        case EV_CODE:
            if (ld_code(st, &ev, d) < 0) {
                return -1;
            }
            break;
        case EV_POS: {
            struct ld_actor *a;

            if (check_id(ev.actor, "actor", d) < 0) {
                return -1;
            }
            a = ld_actor(st, ev.actor);
            a->has_pos = true;
            a->pos_step = ev.step;
            a->code = (int)ev.a;
            a->line = (int)ev.b;
            break;
        }
        default:
            break;
        }
    }
    return rc < 0 ? -1 : 0;
}

static void
state_fini(struct ld_state *st)
{
    for (int i = 0; i < st->nactors; i++) {
        free(st->actors[i].name);
    }
    free(st->actors);
    for (int i = 0; i < st->ncodes; i++) {
        free(st->codes[i].file);
        free(st->codes[i].func);
    }
    free(st->codes);
}

static char *
name_of(const struct ld_state *st, int id)
{
    if (id >= 0 && id < st->nactors && st->actors[id].name != NULL) {
        return xstrdup(st->actors[id].name);
    }
    return id >= 0 ? xasprintf("#%d", id) : NULL;
}

/* Where actor was at the divergence: its latest position in either log.
 * Up to that step the runs agree, so the log that recorded a stop there
 * speaks for both. */
static void
place_actor(struct logdiff_run *run, int actor, struct ld_state st[2],
            int self)
{
    const struct ld_state *best = NULL;
    const struct ld_actor *ba = NULL;

    for (int i = 0; i < 2; i++) {
        int k = i == 0 ? self : 1 - self;   /* ties: its own log */
        const struct ld_actor *a;

        if (actor < 0 || actor >= st[k].nactors) {
            continue;
        }
        a = &st[k].actors[actor];
        if (a->has_pos && (ba == NULL || a->pos_step > ba->pos_step)) {
            best = &st[k];
            ba = a;
        }
    }
    if (ba == NULL || ba->code < 0 || ba->code >= best->ncodes
        || best->codes[ba->code].file == NULL) {
        return;
    }
    run->file = xstrdup(best->codes[ba->code].file);
    if (best->codes[ba->code].func != NULL) {
        run->func = xstrdup(best->codes[ba->code].func);
    }
    run->line = ba->line;
    run->text = srcline_read(run->file, run->line);
}

static const char *
state_word(int64_t s)
{
    switch (s) {
    case EV_ST_READY:
        return _("ready");
    case EV_ST_RUNNING:
        return _("running");
    case EV_ST_BLOCKED:
        return _("blocked");
    case EV_ST_SLEEPING:
        return _("sleeping");
    case EV_ST_WAITING:
        return _("waiting");
    case EV_ST_DONE:
        return _("done");
    case EV_ST_FAILED:
        return _("failed");
    case EV_ST_CANCELLED:
        return _("cancelled");
    default:
        return "?";
    }
}

/* A record in words, with the actor names of st. */
static char *
describe(const struct ev *ev, const char *str, const struct ld_state *st)
{
    char *who = name_of(st, ev->actor), *s;
    struct str q;

    switch (ev->kind) {
    case EV_SWITCH:
        s = xasprintf(_("%s takes the baton (%s)"), who,
                      logdiff_reason_name((int)ev->a));
        break;
    case EV_STATE:
        s = xasprintf(_("%s becomes %s"), who, state_word(ev->a));
        break;
    case EV_OUTPUT:
        str_init(&q);
        str_add_json(&q, str, ev->len < LD_QUOTE_MAX ? ev->len
                                                     : LD_QUOTE_MAX);
        s = xasprintf(ev->a == 2 ? _("%s writes %s%s to stderr")
                                 : _("%s writes %s%s to stdout"),
                      who, q.p, ev->len > LD_QUOTE_MAX ? "..." : "");
        str_fini(&q);
        break;
    case EV_ACTOR_NEW:
        s = xasprintf(_("%s starts (%s)"), str,
                      evlog_actor_kind_name((enum ev_actor_kind)ev->a));
        break;
    case EV_ACTOR_NAME:
        s = xasprintf(_("%s is renamed %s"), who, str);
        break;
    case EV_EXCEPTION:
        s = xasprintf(_("%s raises %s"), who, str);
        break;
    case EV_DEADLOCK:
        s = xstrdup(_("the run deadlocks"));
        break;
    case EV_END:
        s = xasprintf(_("the run ends with exit status %d"), (int)ev->a);
        break;
    default:
        s = xstrdup(evlog_kind_name(ev->kind));
        break;
    }
    free(who);
    return s;
}

int
logdiff_compare(struct evlog_reader *a, struct evlog_reader *b,
                struct logdiff *res, struct diag *d)
{
    struct evlog_reader *r[2] = { a, b };
    struct ev ev[2];
    char *str[2] = { NULL, NULL };
    int rc[2];
    struct ld_state st[2];
    int ret = -1;

    memset(res, 0, sizeof *res);
    memset(st, 0, sizeof st);
    for (int i = 0; i < 2; i++) {
        res->run[i].actor = -1;
        res->run[i].from = -1;
        if (summarize(r[i], &res->run[i], d) < 0) {
            return -1;
        }
        evlog_rewind(r[i]);
    }
    for (;;) {
        for (int i = 0; i < 2; i++) {
            if ((rc[i] = next_compared(r[i], &ev[i], d)) < 0) {
                return -1;
            }
        }
        if (rc[0] == 0 && rc[1] == 0) {
            return 0;           /* alike to the end */
        }
        if (rc[0] == 1 && rc[1] == 1 && same_ev(&ev[0], &ev[1])) {
            res->same++;
            continue;
        }
        break;
    }
    res->differ = true;
    if (rc[0] == 1 && rc[1] == 1) {
        res->step = ev[0].step < ev[1].step ? ev[0].step : ev[1].step;
    } else {
        res->step = rc[0] == 1 ? ev[0].step : ev[1].step;
    }
    /* The records' strings live in the mapping; keep them past rewinds. */
    for (int i = 0; i < 2; i++) {
        if (rc[i] == 1) {
            str[i] = xstrndup(ev[i].str, ev[i].len);
        }
    }
    for (int i = 0; i < 2; i++) {
        if (state_at(r[i], res->step, &st[i], d) < 0) {
            goto out;
        }
    }
    for (int i = 0; i < 2; i++) {
        struct logdiff_run *run = &res->run[i];

        /* The time at the step: a record there says it; the replay only
         * knows the time of the last record before. */
        if (rc[i] == 1 && ev[i].step == res->step) {
            run->at_time = ev[i].time;
        } else if (rc[1 - i] == 1 && ev[1 - i].step == res->step) {
            run->at_time = ev[1 - i].time;
        } else {
            run->at_time = st[i].time;
        }
        run->actor = st[i].holder;
        run->actor_name = name_of(&st[i], st[i].holder);
        run->switched = st[i].switched;
        run->from = st[i].switched ? st[i].from : -1;
        run->from_name = name_of(&st[i], run->from);
        run->why = st[i].why;
        place_actor(run, run->actor, st, i);
        run->has_record = rc[i] == 1;
        if (rc[i] == 1) {
            run->record_step = ev[i].step;
            run->record = describe(&ev[i], str[i], &st[i]);
        }
    }
    ret = 0;
out:
    for (int i = 0; i < 2; i++) {
        free(str[i]);
        state_fini(&st[i]);
    }
    return ret;
}

void
logdiff_fini(struct logdiff *res)
{
    for (int i = 0; i < 2; i++) {
        struct logdiff_run *run = &res->run[i];

        free(run->actor_name);
        free(run->from_name);
        free(run->file);
        free(run->func);
        free(run->text);
        free(run->record);
    }
    memset(res, 0, sizeof *res);
}
