/*
 * Data races over a finished event log (log layer; the model is in
 * races.h).  One pass: actors, code objects and locations are named as
 * their records come; EV_SYNC moves vector clocks; every EV_ACCESS is
 * checked against the latest accesses of the other threads to the same
 * location and then becomes one of them.  Sentences are written once the
 * whole log is read, so they use the actors' final names.  Reads only
 * log/evlog.h; cmd-races.c and the engine print.
 */
#include "config.h"

#include "log/races.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log/srcline.h"
#include "util/keymap.h"

#ifndef ENABLE_NLS
#define ngettext(s, p, n) ((n) == 1 ? (s) : (p))
#endif

/* Actor and code ids index arrays here; anything larger is corruption. */
#define RACES_MAX_ID (1 << 20)

/* A vector clock: entry i is how much of thread i's history is known. */
struct vc {
    uint32_t *c;
    int n;
};

static uint32_t
vc_get(const struct vc *v, int i)
{
    return i < v->n ? v->c[i] : 0;
}

static void
vc_fit(struct vc *v, int n)
{
    if (n <= v->n) {
        return;
    }
    v->c = xrealloc(v->c, (size_t)n * sizeof *v->c);
    memset(v->c + v->n, 0, (size_t)(n - v->n) * sizeof *v->c);
    v->n = n;
}

static void
vc_join(struct vc *dst, const struct vc *src)
{
    vc_fit(dst, src->n);
    for (int i = 0; i < src->n; i++) {
        if (src->c[i] > dst->c[i]) {
            dst->c[i] = src->c[i];
        }
    }
}

static void
vc_tick(struct vc *v, int i)
{
    vc_fit(v, i + 1);
    v->c[i]++;
}

struct rc_actor {
    bool known;                 /* its EV_ACTOR_NEW was seen */
    int kind;                   /* enum ev_actor_kind */
    int proc;
    int thread;                 /* whose clock it uses: itself, or the
                                   thread that runs a task */
    char *name;
    struct vc clock;            /* threads only */
};

/* What an EV_LOC says of a location. */
struct rc_loc {
    int kind;                   /* enum ev_loc_kind */
    char *name, *label, *type;
};

/* One access, as a location's history keeps it. */
struct rc_access {
    int thread;
    int actor;                  /* the thread, or the task it ran */
    int acc;                    /* enum ev_access */
    int code, line, offset;
    uint32_t epoch;             /* the thread's own clock entry then */
    uint64_t step;
};

/* The latest access of each (thread, bytecode) to one location. */
struct rc_shadow {
    struct rc_access *v;
    size_t n, cap;
};

struct rc_race {
    int64_t loc;
    struct rc_access later, earlier;
    char *where;                /* the location, as the sentence names it */
    char *text;                 /* the sentence */
};

struct races {
    bool recorded;
    struct rc_actor *actors;
    int nactors;
    char **files;               /* by code id: the file of a code object */
    int ncodes;
    struct rc_loc *locs;
    size_t nlocs;
    struct keymap loc_index;    /* location id -> locs[] */
    struct rc_shadow *shadows;
    size_t nshadows;
    struct keymap shadow_index; /* (process, location id) -> shadows[] */
    struct vc *chans;
    size_t nchans;
    struct keymap chan_index;   /* (process, channel) -> chans[] */
    struct keymap seen;         /* (location, positions) already judged */
    struct rc_race *races;
    size_t nraces;
};

struct races *
races_new(void)
{
    struct races *rs = xcalloc(1, sizeof *rs);

    keymap_init(&rs->loc_index);
    keymap_init(&rs->shadow_index);
    keymap_init(&rs->chan_index);
    keymap_init(&rs->seen);
    return rs;
}

void
races_free(struct races *rs)
{
    if (rs == NULL) {
        return;
    }
    for (int i = 0; i < rs->nactors; i++) {
        free(rs->actors[i].name);
        free(rs->actors[i].clock.c);
    }
    free(rs->actors);
    for (int i = 0; i < rs->ncodes; i++) {
        free(rs->files[i]);
    }
    free(rs->files);
    for (size_t i = 0; i < rs->nlocs; i++) {
        free(rs->locs[i].name);
        free(rs->locs[i].label);
        free(rs->locs[i].type);
    }
    free(rs->locs);
    for (size_t i = 0; i < rs->nshadows; i++) {
        free(rs->shadows[i].v);
    }
    free(rs->shadows);
    for (size_t i = 0; i < rs->nchans; i++) {
        free(rs->chans[i].c);
    }
    free(rs->chans);
    for (size_t i = 0; i < rs->nraces; i++) {
        free(rs->races[i].where);
        free(rs->races[i].text);
    }
    free(rs->races);
    keymap_fini(&rs->loc_index);
    keymap_fini(&rs->shadow_index);
    keymap_fini(&rs->chan_index);
    keymap_fini(&rs->seen);
    free(rs);
}

/* ---- Reading the records ------------------------------------------------ */

/* The i-th NUL-separated part of a record's string, or "". */
static char *
str_part(const struct ev *ev, int i)
{
    const char *p = ev->str, *end = ev->str + ev->len;

    if (ev->str == NULL) {
        return xstrdup("");
    }
    while (i-- > 0) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));

        if (nul == NULL) {
            return xstrdup("");
        }
        p = nul + 1;
    }
    {
        const char *nul = memchr(p, '\0', (size_t)(end - p));

        return xstrndup(p, (size_t)((nul != NULL ? nul : end) - p));
    }
}

static int
check_id(int64_t id, const char *what, struct diag *d)
{
    if (id < 0 || id >= RACES_MAX_ID) {
        diag_set(d, _("bad %s id %lld in the log"), what, (long long)id);
        return -1;
    }
    return 0;
}

/* The record of actor id, made on first mention: an actor the log never
 * introduced is a thread of its own in the first process. */
static struct rc_actor *
get_actor(struct races *rs, int id)
{
    if (id >= rs->nactors) {
        int n = rs->nactors ? rs->nactors : 16;

        while (n <= id) {
            n *= 2;
        }
        rs->actors = xrealloc(rs->actors, (size_t)n * sizeof *rs->actors);
        memset(rs->actors + rs->nactors, 0,
               (size_t)(n - rs->nactors) * sizeof *rs->actors);
        for (int i = rs->nactors; i < n; i++) {
            rs->actors[i].thread = i;
        }
        rs->nactors = n;
    }
    return &rs->actors[id];
}

/* The thread whose clock actor id uses, with the clock started. */
static struct rc_actor *
thread_of(struct races *rs, int id)
{
    struct rc_actor *t = get_actor(rs, get_actor(rs, id)->thread);

    if (vc_get(&t->clock, t->thread) == 0) {
        vc_tick(&t->clock, t->thread);
    }
    return t;
}

static void
on_actor_new(struct races *rs, const struct ev *ev)
{
    int parent_thread = ev->b >= 0 ? get_actor(rs, (int)ev->b)->thread : -1;
    struct rc_actor *a = get_actor(rs, ev->actor);

    a->known = true;
    a->kind = (int)ev->a;
    a->proc = (int)ev->c;
    free(a->name);
    a->name = xstrndup(ev->str != NULL ? ev->str : "", ev->len);
    /* A task runs on the thread of whoever created it (a thread, or a
     * task of the same loop). */
    if (a->kind == EV_ACTOR_TASK && ev->b >= 0 && ev->b != ev->actor) {
        a->thread = parent_thread;
    } else {
        a->thread = ev->actor;
    }
}

static void
on_code(struct races *rs, const struct ev *ev)
{
    int id = (int)ev->a;

    if (id >= rs->ncodes) {
        int n = rs->ncodes ? rs->ncodes : 64;

        while (n <= id) {
            n *= 2;
        }
        rs->files = xrealloc(rs->files, (size_t)n * sizeof *rs->files);
        memset(rs->files + rs->ncodes, 0,
               (size_t)(n - rs->ncodes) * sizeof *rs->files);
        rs->ncodes = n;
    }
    free(rs->files[id]);
    rs->files[id] = str_part(ev, 0);
}

static void
on_loc(struct races *rs, const struct ev *ev)
{
    int i = keymap_get(&rs->loc_index, (uint64_t)ev->a, 0, -1);
    struct rc_loc *l;

    if (i < 0) {
        rs->locs = xrealloc(rs->locs, (rs->nlocs + 1) * sizeof *rs->locs);
        i = (int)rs->nlocs++;
        keymap_put(&rs->loc_index, (uint64_t)ev->a, 0, i);
    } else {
        free(rs->locs[i].name);
        free(rs->locs[i].label);
        free(rs->locs[i].type);
    }
    l = &rs->locs[i];
    l->kind = (int)ev->b;
    l->name = str_part(ev, 0);
    l->label = str_part(ev, 1);
    l->type = str_part(ev, 2);
}

/* The clock of channel chan of process proc, made empty when new. */
static struct vc *
get_chan(struct races *rs, int proc, int64_t chan)
{
    int i = keymap_get(&rs->chan_index, (uint64_t)proc, (uint64_t)chan, -1);

    if (i < 0) {
        rs->chans = xrealloc(rs->chans, (rs->nchans + 1) * sizeof *rs->chans);
        i = (int)rs->nchans++;
        rs->chans[i] = (struct vc){ NULL, 0 };
        keymap_put(&rs->chan_index, (uint64_t)proc, (uint64_t)chan, i);
    }
    return &rs->chans[i];
}

static int
on_sync(struct races *rs, const struct ev *ev, struct diag *d)
{
    struct rc_actor *t = thread_of(rs, ev->actor);

    switch (ev->a) {
    case EV_SYNC_RELEASE:
        vc_join(get_chan(rs, t->proc, ev->b), &t->clock);
        vc_tick(&t->clock, t->thread);
        break;
    case EV_SYNC_ACQUIRE:
        vc_join(&t->clock, get_chan(rs, t->proc, ev->b));
        break;
    case EV_SYNC_START: {
        struct rc_actor *child;

        if (check_id(ev->b, "actor", d) < 0) {
            return -1;
        }
        child = thread_of(rs, (int)ev->b);
        t = thread_of(rs, ev->actor);   /* the array may have moved */
        vc_join(&child->clock, &t->clock);
        vc_tick(&t->clock, t->thread);
        break;
    }
    default:
        break;
    }
    return 0;
}

/* ---- Judging accesses --------------------------------------------------- */

static const char *
file_of(const struct races *rs, int code)
{
    if (code >= 0 && code < rs->ncodes && rs->files[code] != NULL) {
        return rs->files[code];
    }
    return "?";
}

/* The location as a sentence names it: "global 'contador'".  Caller
 * frees. */
static char *
describe(const struct races *rs, int64_t loc)
{
    int i = keymap_get(&rs->loc_index, (uint64_t)loc, 0, -1);
    const struct rc_loc *l;

    if (i < 0) {
        return xasprintf(_("location %lld"), (long long)loc);
    }
    l = &rs->locs[i];
    switch (l->kind) {
    case EV_LOC_GLOBAL:
        if (l->label[0] == '\0' || strcmp(l->label, "__main__") == 0) {
            return xasprintf(_("global '%s'"), l->name);
        }
        return xasprintf(_("global '%s' of module %s"), l->name, l->label);
    case EV_LOC_ATTR:
        if (strcmp(l->type, "type") == 0 && l->label[0] != '\0') {
            return xasprintf(_("attribute '%s' of class %s"), l->name,
                             l->label);
        }
        if (l->label[0] != '\0') {
            return xasprintf(_("attribute '%s' of %s (a %s object)"),
                             l->name, l->label, l->type);
        }
        return xasprintf(_("attribute '%s' of a %s object"), l->name,
                         l->type);
    case EV_LOC_ITEM:
        if (l->label[0] != '\0') {
            return xasprintf(_("item [%s] of %s (a %s)"), l->name, l->label,
                             l->type);
        }
        return xasprintf(_("item [%s] of a %s"), l->name, l->type);
    case EV_LOC_CELL:
    default:
        return xasprintf(_("closure variable '%s'"), l->name);
    }
}

static bool
same_line(const struct races *rs, const struct rc_access *x,
          const struct rc_access *y)
{
    return x->line == y->line
           && strcmp(file_of(rs, x->code), file_of(rs, y->code)) == 0;
}

/* Two positions as one number, the same in either order, when both fit
 * in 16 bits each (else 0: no quick answer). */
static uint64_t
pair_key(const struct rc_access *x, const struct rc_access *y)
{
    uint64_t a, b;

    if (x->code >= 0xffff || y->code >= 0xffff || x->offset >= 0xffff
        || y->offset >= 0xffff || x->code < 0 || y->code < 0
        || x->offset < 0 || y->offset < 0) {
        return 0;
    }
    a = (uint64_t)x->code << 16 | (uint64_t)x->offset;
    b = (uint64_t)y->code << 16 | (uint64_t)y->offset;
    return a < b ? (a << 32 | b) + 1 : (b << 32 | a) + 1;
}

/* A racing pair: keep it unless the same location (by description) and
 * the same two lines were reported already. */
static void
found(struct races *rs, int64_t loc, const struct rc_access *later,
      const struct rc_access *earlier)
{
    uint64_t key = pair_key(later, earlier);
    struct rc_race *r;
    char *where;

    if (key != 0) {
        if (keymap_get(&rs->seen, (uint64_t)loc, key, 0)) {
            return;
        }
        keymap_put(&rs->seen, (uint64_t)loc, key, 1);
    }
    where = describe(rs, loc);
    for (size_t i = 0; i < rs->nraces; i++) {
        const struct rc_race *o = &rs->races[i];

        if (strcmp(o->where, where) == 0
            && ((same_line(rs, &o->later, later)
                 && same_line(rs, &o->earlier, earlier))
                || (same_line(rs, &o->later, earlier)
                    && same_line(rs, &o->earlier, later)))) {
            free(where);
            return;
        }
    }
    rs->races = xrealloc(rs->races, (rs->nraces + 1) * sizeof *rs->races);
    r = &rs->races[rs->nraces++];
    r->loc = loc;
    r->later = *later;
    r->earlier = *earlier;
    r->where = where;
    r->text = NULL;
}

static int
on_access(struct races *rs, const struct ev *ev, struct diag *d)
{
    struct rc_actor *t;
    struct rc_shadow *sh;
    struct rc_access cur;
    bool writes;
    int i;

    if (check_id(ev->c, "code", d) < 0) {
        return -1;
    }
    t = thread_of(rs, ev->actor);
    cur = (struct rc_access){
        .thread = t->thread, .actor = ev->actor, .acc = (int)ev->b,
        .code = (int)ev->c, .line = (int)ev->d, .offset = (int)ev->x,
        .epoch = vc_get(&t->clock, t->thread), .step = ev->step,
    };
    writes = evlog_access_writes((enum ev_access)ev->b);
    i = keymap_get(&rs->shadow_index, (uint64_t)t->proc, (uint64_t)ev->a,
                   -1);
    if (i < 0) {
        rs->shadows = xrealloc(rs->shadows,
                               (rs->nshadows + 1) * sizeof *rs->shadows);
        i = (int)rs->nshadows++;
        rs->shadows[i] = (struct rc_shadow){ NULL, 0, 0 };
        keymap_put(&rs->shadow_index, (uint64_t)t->proc, (uint64_t)ev->a,
                   i);
    }
    sh = &rs->shadows[i];
    for (size_t k = 0; k < sh->n; k++) {
        const struct rc_access *o = &sh->v[k];

        if (o->thread == cur.thread
            || (!writes && !evlog_access_writes((enum ev_access)o->acc))
            || o->epoch <= vc_get(&t->clock, o->thread)) {
            continue;           /* same thread, two reads, or ordered */
        }
        found(rs, ev->a, &cur, o);
    }
    for (size_t k = 0; k < sh->n; k++) {
        struct rc_access *o = &sh->v[k];

        if (o->thread == cur.thread && o->code == cur.code
            && o->offset == cur.offset) {
            *o = cur;
            return 0;
        }
    }
    if (sh->n == sh->cap) {
        sh->cap = sh->cap ? sh->cap * 2 : 4;
        sh->v = xrealloc(sh->v, sh->cap * sizeof *sh->v);
    }
    sh->v[sh->n++] = cur;
    return 0;
}

/* ---- Sentences ---------------------------------------------------------- */

static const char *
actor_name(const struct races *rs, int id)
{
    if (id >= 0 && id < rs->nactors && rs->actors[id].name != NULL) {
        return rs->actors[id].name;
    }
    return "?";
}

/* "Thread-2 (work) writes it at file.py:14 (STORE_GLOBAL)": the later
 * access in the present, the earlier one in the past. */
static char *
clause(const struct races *rs, const struct rc_access *x, bool now,
       const char *cwd)
{
    const char *who = actor_name(rs, x->actor);
    const char *file = srcline_path(file_of(rs, x->code), cwd);
    const char *op = evlog_access_name((enum ev_access)x->acc);

    if (evlog_access_writes((enum ev_access)x->acc)) {
        return now ? xasprintf(_("%s writes it at %s:%d (%s)"), who, file,
                               x->line, op)
                   : xasprintf(_("%s wrote it at %s:%d (%s)"), who, file,
                               x->line, op);
    }
    return now ? xasprintf(_("%s reads it at %s:%d (%s)"), who, file,
                           x->line, op)
               : xasprintf(_("%s read it at %s:%d (%s)"), who, file, x->line,
                           op);
}

static void
write_sentences(struct races *rs)
{
    char *cwd = getcwd(NULL, 0);

    for (size_t i = 0; i < rs->nraces; i++) {
        struct rc_race *r = &rs->races[i];
        char *now = clause(rs, &r->later, true, cwd);
        char *past = clause(rs, &r->earlier, false, cwd);

        free(r->text);
        r->text = xasprintf(_("data race on %s: %s while %s, with nothing "
                              "ordering the two."), r->where, now, past);
        free(now);
        free(past);
    }
    free(cwd);
}

/* ---- The pass ----------------------------------------------------------- */

static bool
run_says_races(const struct ev *ev)
{
    static const char key[] = "races=on\n";
    const char *p = ev->str, *end = ev->str + ev->len;

    while (p != NULL && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));

        if ((size_t)(end - p) >= sizeof key - 1
            && memcmp(p, key, sizeof key - 1) == 0) {
            return true;
        }
        p = nl != NULL ? nl + 1 : NULL;
    }
    return false;
}

int
races_scan(struct races *rs, struct evlog_reader *r, struct diag *d)
{
    struct ev ev;
    int rc;

    evlog_rewind(r);
    while ((rc = evlog_next(r, &ev, d)) == 1) {
        switch (ev.kind) {
        case EV_RUN:
            rs->recorded |= run_says_races(&ev);
            break;
        case EV_ACTOR_NEW:
            if (check_id(ev.actor, "actor", d) < 0
                || (ev.b >= 0 && check_id(ev.b, "actor", d) < 0)) {
                return -1;
            }
            on_actor_new(rs, &ev);
            break;
        case EV_ACTOR_NAME:
            if (check_id(ev.actor, "actor", d) < 0) {
                return -1;
            }
            free(get_actor(rs, ev.actor)->name);
            get_actor(rs, ev.actor)->name =
                xstrndup(ev.str != NULL ? ev.str : "", ev.len);
            break;
        case EV_CODE:
            if (check_id(ev.a, "code", d) < 0) {
                return -1;
            }
            on_code(rs, &ev);
            break;
        case EV_LOC:
            on_loc(rs, &ev);
            break;
        case EV_SYNC:
            if (check_id(ev.actor, "actor", d) < 0
                || on_sync(rs, &ev, d) < 0) {
                return -1;
            }
            rs->recorded = true;
            break;
        case EV_ACCESS:
            if (check_id(ev.actor, "actor", d) < 0
                || on_access(rs, &ev, d) < 0) {
                return -1;
            }
            rs->recorded = true;
            break;
        default:
            break;
        }
    }
    if (rc < 0) {
        return -1;
    }
    write_sentences(rs);
    return 0;
}

bool
races_recorded(const struct races *rs)
{
    return rs->recorded;
}

size_t
races_count(const struct races *rs)
{
    return rs->nraces;
}

void
races_record(const struct races *rs, size_t i, struct ev *ev)
{
    const struct rc_race *r = &rs->races[i];

    memset(ev, 0, sizeof *ev);
    ev->kind = EV_RACE;
    ev->actor = r->later.actor;
    ev->obj = -1;
    ev->a = (int64_t)r->later.step;
    ev->b = r->earlier.actor;
    ev->c = (int64_t)r->earlier.step;
    ev->d = r->loc;
    ev->str = r->text != NULL ? r->text : "";
    ev->len = strlen(ev->str);
}

void
races_print(const struct races *rs, FILE *out)
{
    for (size_t i = 0; i < rs->nraces; i++) {
        fprintf(out, "telar: %s\n", rs->races[i].text);
    }
    if (rs->nraces == 0) {
        fputs(_("telar: no data races found\n"), out);
    } else {
        fprintf(out, ngettext("telar: %d data race found\n",
                              "telar: %d data races found\n",
                              (unsigned long)rs->nraces),
                (int)rs->nraces);
    }
}
