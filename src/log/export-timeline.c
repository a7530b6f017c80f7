/*
 * The text timeline (log layer): `telar run --timeline` prints it to stderr
 * after a run.  One row per actor, indented under its parent, and one per
 * queue; each column is an equal slice of the run's virtual time showing the
 * state that took most of it.  It reads the log twice, once for the names,
 * the tree and the extent, once to add up time per state and column, and
 * keeps only per-row counters, so a long log costs no more memory than a
 * short one.  Reads only log/evlog.h; the TUI's timeline view is separate.
 */
#include "config.h"

#include "export.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "log/export-common.h"

#ifndef ENABLE_NLS
#define ngettext(s, p, n) ((n) == 1 ? (s) : (p))
#endif

/* An actor that exists but has reported no state yet. */
#define TL_ALIVE EV_ST__COUNT
#define TL_NSTATES (EV_ST__COUNT + 1)
#define TL_NONE (-1)
#define TL_MAX_DEPTH 8
#define TL_MIN_LABEL 6

/* The glyph of each state; blank ones are not drawn as alive. */
static const char state_glyph[TL_NSTATES] = {
    [EV_ST_READY] = '-',
    [EV_ST_RUNNING] = '#',
    [EV_ST_BLOCKED] = '.',
    [EV_ST_SLEEPING] = 'z',
    [EV_ST_WAITING] = '~',
    [EV_ST_DONE] = ' ',
    [EV_ST_FAILED] = ' ',
    [EV_ST_CANCELLED] = ' ',
    [TL_ALIVE] = '=',
};

/* Ties in a column go to the earlier state here: running is the news. */
static const int state_rank[] = {
    EV_ST_RUNNING, EV_ST_BLOCKED, EV_ST_WAITING, EV_ST_SLEEPING,
    EV_ST_READY, TL_ALIVE,
};

struct tl_actor {
    bool known;
    int parent;
    char *name;
    int state;                  /* TL_NONE before it is created */
    int64_t since;              /* x where state began */
    int64_t *dur;               /* [col * TL_NSTATES + state] */
    signed char *point;         /* last state set in a column, or TL_NONE */
    char *mark;                 /* '!' failed, 'c' cancelled here, or 0 */
    int depth;
    bool placed;
};

struct tl_queue {
    bool known;
    int64_t cap;                /* 0: unbounded */
    char *label;
    bool alive;
    int64_t level;
    int64_t since;
    int64_t peak;               /* the largest size over the run */
    int64_t *max;               /* per column, -1 before it exists */
};

/* The whole export's state.  Lives on export_timeline_write's stack. */
struct tl {
    struct tl_actor *actors;
    int nactors;                /* highest id + 1 */
    struct tl_queue *queues;
    int nqueues;
    uint64_t steps;
    int64_t max_time;
    uint64_t switches;
    bool use_steps;             /* no virtual time passed: x is the step */
    int64_t span;               /* x runs over [0, span] */
    int ncols;
};

static struct tl_actor *
tl_actor(struct tl *t, int id)
{
    t->actors = export_grow(t->actors, &t->nactors, id, sizeof *t->actors);
    if (!t->actors[id].known) {
        t->actors[id].known = true;
        t->actors[id].parent = TL_NONE;
        t->actors[id].state = TL_NONE;
        t->actors[id].name = xasprintf("#%d", id);
    }
    return &t->actors[id];
}

static struct tl_queue *
tl_queue(struct tl *t, int id)
{
    t->queues = export_grow(t->queues, &t->nqueues, id, sizeof *t->queues);
    return &t->queues[id];
}

/* First pass: who exists, what they are called, how long the run is. */
static int
tl_scan(struct tl *t, struct evlog_reader *r, struct diag *d)
{
    struct ev ev;
    int rc;

    evlog_rewind(r);
    while ((rc = evlog_next(r, &ev, d)) > 0) {
        struct tl_actor *a;
        struct tl_queue *q;

        export_extent(&ev, &t->steps, &t->max_time);
        switch (ev.kind) {
        case EV_ACTOR_NEW:
        case EV_ACTOR_NAME:
        case EV_STATE:
            if (export_check_id(ev.actor, "actor", d) < 0) {
                return -1;
            }
            a = tl_actor(t, ev.actor);
            if (ev.kind == EV_ACTOR_NEW) {
                a->parent = ev.b >= 0 && ev.b < EXPORT_MAX_ID ? (int)ev.b
                                                              : TL_NONE;
            }
            if (ev.kind != EV_STATE && ev.len > 0) {
                export_set_name(&a->name, ev.str, ev.len);
            }
            break;
        case EV_SWITCH:
            t->switches++;
            break;
        case EV_OBJ_NEW:
        case EV_OBJ_NAME:
            if (ev.kind == EV_OBJ_NEW && !export_is_queue_kind(ev.a)) {
                break;
            }
            if (export_check_id(ev.obj, "object", d) < 0) {
                return -1;
            }
            q = tl_queue(t, ev.obj);
            if (ev.kind == EV_OBJ_NEW) {
                q->known = true;
                q->cap = ev.b > 0 ? ev.b : 0;
            }
            if (ev.str != NULL && ev.len > 0) {
                export_set_name(&q->label, ev.str, ev.len);
            }
            break;
        case EV_OBJ_OP:
            if (ev.obj >= 0 && ev.obj < t->nqueues
                && t->queues[ev.obj].known
                && (ev.a == EV_OP_PUT || ev.a == EV_OP_GET)
                && ev.x > t->queues[ev.obj].peak) {
                t->queues[ev.obj].peak = ev.x;
            }
            break;
        default:
            break;
        }
    }
    return rc;
}

/* ---- Columns ------------------------------------------------------------ */

/* Where column i begins: floor(span * i / ncols) without overflow. */
static int64_t
col_start(const struct tl *t, int i)
{
    int64_t n = t->ncols;

    return t->span / n * i + t->span % n * i / n;
}

/* The column holding x, for 0 <= x <= span; x == span is the last one. */
static int
col_of(const struct tl *t, int64_t x)
{
    int i;

    if (x <= 0) {
        return 0;
    }
    if (x >= t->span) {
        return t->ncols - 1;
    }
    i = (int)((double)x / (double)t->span * t->ncols);
    if (i >= t->ncols) {
        i = t->ncols - 1;
    }
    while (i > 0 && col_start(t, i) > x) {
        i--;
    }
    while (i + 1 < t->ncols && col_start(t, i + 1) <= x) {
        i++;
    }
    return i;
}

static int64_t
clamp_x(const struct tl *t, int64_t x)
{
    return x < 0 ? 0 : x > t->span ? t->span : x;
}

/* Credit state st with the time from x0 to x1 in every column it covers. */
static void
actor_span(struct tl *t, struct tl_actor *a, int st, int64_t x0, int64_t x1)
{
    x0 = clamp_x(t, x0);
    x1 = clamp_x(t, x1);
    a->point[col_of(t, x0)] = (signed char)st;
    if (x1 <= x0) {
        return;
    }
    for (int i = col_of(t, x0), last = col_of(t, x1 - 1); i <= last; i++) {
        int64_t lo = col_start(t, i), hi = i + 1 < t->ncols
                                               ? col_start(t, i + 1)
                                               : t->span;

        lo = lo > x0 ? lo : x0;
        hi = hi < x1 ? hi : x1;
        if (hi > lo) {
            a->dur[(size_t)i * TL_NSTATES + (size_t)st] += hi - lo;
        }
    }
}

static void
actor_set(struct tl *t, struct tl_actor *a, int st, int64_t x)
{
    if (x < a->since) {
        x = a->since;           /* time never runs backwards in a row */
    }
    if (a->state != TL_NONE) {
        actor_span(t, a, a->state, a->since, x);
    }
    a->state = st;
    a->since = x;
    a->point[col_of(t, clamp_x(t, x))] = (signed char)st;
    if (st == EV_ST_FAILED) {
        a->mark[col_of(t, clamp_x(t, x))] = '!';
    } else if (st == EV_ST_CANCELLED) {
        a->mark[col_of(t, clamp_x(t, x))] = 'c';
    }
}

/* Raise the per-column maximum to level over [x0, x1], ends included. */
static void
queue_span(struct tl *t, struct tl_queue *q, int64_t level, int64_t x0,
           int64_t x1)
{
    int last = col_of(t, clamp_x(t, x1));

    for (int i = col_of(t, clamp_x(t, x0)); i <= last; i++) {
        if (level > q->max[i]) {
            q->max[i] = level;
        }
    }
}

static void
queue_set(struct tl *t, struct tl_queue *q, int64_t level, int64_t x)
{
    if (x < q->since) {
        x = q->since;
    }
    /* The old level held until just before x; the new one is seen at x. */
    queue_span(t, q, q->level, q->since, x > q->since ? x - 1 : x);
    queue_span(t, q, level, x, x);
    q->level = level;
    q->since = x;
}

/* Second pass: add up each row's time per state and column. */
static int
tl_fill(struct tl *t, struct evlog_reader *r, struct diag *d)
{
    struct ev ev;
    int rc;

    evlog_rewind(r);
    while ((rc = evlog_next(r, &ev, d)) > 0) {
        int64_t x = t->use_steps ? (int64_t)ev.step : ev.time;
        struct tl_queue *q;

        switch (ev.kind) {
        case EV_ACTOR_NEW:
            if (t->actors[ev.actor].state == TL_NONE) {
                actor_set(t, &t->actors[ev.actor], TL_ALIVE, x);
            }
            break;
        case EV_STATE:
            actor_set(t, &t->actors[ev.actor], (int)ev.a, x);
            break;
        case EV_OBJ_NEW:
            if (export_is_queue_kind(ev.a)) {
                q = &t->queues[ev.obj];
                q->alive = true;
                q->level = 0;
                q->since = x;
                queue_span(t, q, 0, x, x);
            }
            break;
        case EV_OBJ_OP:
            if (ev.obj >= 0 && ev.obj < t->nqueues
                && t->queues[ev.obj].alive
                && (ev.a == EV_OP_PUT || ev.a == EV_OP_GET)) {
                queue_set(t, &t->queues[ev.obj], ev.x, x);
            }
            break;
        default:
            break;
        }
    }
    if (rc < 0) {
        return -1;
    }
    for (int i = 0; i < t->nactors; i++) {
        struct tl_actor *a = &t->actors[i];

        if (a->known && a->state != TL_NONE) {
            actor_span(t, a, a->state, a->since, t->span);
        }
    }
    for (int i = 0; i < t->nqueues; i++) {
        struct tl_queue *q = &t->queues[i];

        if (q->known && q->alive) {
            queue_span(t, q, q->level, q->since, t->span);
        }
    }
    return 0;
}

/* ---- Drawing ------------------------------------------------------------ */

static char
actor_glyph(const struct tl *t, const struct tl_actor *a, int col)
{
    const int64_t *dur = a->dur + (size_t)col * TL_NSTATES;
    int best = TL_NONE;
    int64_t best_dur = 0;

    if (a->mark[col] != 0) {
        return a->mark[col];
    }
    /* Having run at all in a slice is what a reader looks for first: a
     * short burst of work must not vanish under a long wait. */
    if (dur[EV_ST_RUNNING] > 0) {
        return state_glyph[EV_ST_RUNNING];
    }
    for (size_t k = 0; k < sizeof state_rank / sizeof state_rank[0]; k++) {
        if (dur[state_rank[k]] > best_dur) {
            best = state_rank[k];
            best_dur = dur[state_rank[k]];
        }
    }
    if (best == TL_NONE) {
        /* Alive for no measurable time here: show the state it was seen
         * in, if that is a living one. */
        best = a->point[col];
        if (best == TL_NONE) {
            return ' ';
        }
    }
    return state_glyph[best];
}

static char
queue_glyph(const struct tl_queue *q, int col)
{
    int64_t v = q->max[col];
    int64_t scale = q->cap > 0 ? q->cap : q->peak;

    if (v < 0) {
        return ' ';
    }
    if (scale > 9) {
        /* Round up, so that one item never reads as empty. */
        v = v >= scale ? 9 : (v * 9 + scale - 1) / scale;
    }
    return (char)('0' + (v > 9 ? 9 : v));
}

/* Terminal columns of a UTF-8 string: one per code point. */
static size_t
text_width(const char *s)
{
    size_t w = 0;

    for (; *s != '\0'; s++) {
        w += ((unsigned char)*s & 0xc0) != 0x80;
    }
    return w;
}

/* Append s with control bytes made visible, cut to at most w columns (on a
 * code point boundary), then pad with blanks to exactly w. */
static void
add_cell(struct str *out, const char *s, size_t w)
{
    size_t used = 0;

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        bool lead = (c & 0xc0) != 0x80;

        if (lead && used == w) {
            break;
        }
        used += lead;
        str_addc(out, c < 0x20 || c == 0x7f ? '?' : (char)c);
    }
    for (; used < w; used++) {
        str_addc(out, ' ');
    }
}

/* A length of virtual time in its best unit: "12.5 ms", "3 s", "0". */
static void
format_ns(char *buf, size_t size, double ns)
{
    static const struct {
        double div;
        const char *unit;
    } units[] = { { 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" }, { 1, "ns" } };
    size_t k = 0;
    double v;
    char *p;

    if (ns == 0) {
        snprintf(buf, size, "0");
        return;
    }
    while (k + 1 < sizeof units / sizeof units[0] && ns < units[k].div) {
        k++;
    }
    v = ns / units[k].div;
    snprintf(buf, size, "%.*f", v >= 100 ? 0 : v >= 10 ? 1 : 2, v);
    if (strchr(buf, '.') != NULL) {
        p = buf + strlen(buf) - 1;
        while (*p == '0') {
            *p-- = '\0';
        }
        if (*p == '.') {
            *p = '\0';
        }
    }
    snprintf(buf + strlen(buf), size - strlen(buf), " %s", units[k].unit);
}

static void
format_x(const struct tl *t, char *buf, size_t size, double x)
{
    if (t->use_steps) {
        snprintf(buf, size, "%.*f", x == (double)(int64_t)x ? 0 : 1, x);
    } else {
        format_ns(buf, size, x);
    }
}

/* Depth-first from the roots, children in id order: the rows' order. */
static void
place(struct tl *t, int id, int depth, int *order, int *n)
{
    struct tl_actor *a = &t->actors[id];

    a->placed = true;
    a->depth = depth < TL_MAX_DEPTH ? depth : TL_MAX_DEPTH;
    order[(*n)++] = id;
    for (int c = 0; c < t->nactors; c++) {
        struct tl_actor *ch = &t->actors[c];

        if (ch->known && !ch->placed && ch->parent == id) {
            place(t, c, depth + 1, order, n);
        }
    }
}

static bool
is_root(const struct tl *t, int id)
{
    int p = t->actors[id].parent;

    return p < 0 || p >= t->nactors || !t->actors[p].known || p == id;
}

static char *
queue_label(const struct tl *t, int id)
{
    const struct tl_queue *q = &t->queues[id];
    const char *name = q->label;
    char fallback[32];

    if (name == NULL) {
        snprintf(fallback, sizeof fallback, "queue#%d", id);
        name = fallback;
    }
    if (q->cap > 0) {
        return xasprintf("%s (cap %lld)", name, (long long)q->cap);
    }
    return xstrdup(name);
}

static void
tl_draw(struct tl *t, struct str *out, int *order, int norder, size_t lw)
{
    char a[64], b[64];
    size_t w;

    if (t->use_steps) {
        format_x(t, b, sizeof b, (double)t->span / t->ncols);
        str_addf(out, _("steps 0 to %llu (the run took no virtual time), "
                        "%s per column\n"),
                 (unsigned long long)t->span, b);
    } else {
        format_ns(a, sizeof a, (double)t->span);
        format_ns(b, sizeof b, (double)t->span / t->ncols);
        str_addf(out, _("virtual time 0 to %s, %s per column\n"), a, b);
    }

    for (int i = 0; i < norder; i++) {
        struct tl_actor *ac = &t->actors[order[i]];
        char *label = xasprintf("%*s%s", ac->depth * 2, "", ac->name);

        add_cell(out, label, lw - 1);
        str_addc(out, ' ');
        free(label);
        str_addc(out, '|');
        for (int c = 0; c < t->ncols; c++) {
            str_addc(out, actor_glyph(t, ac, c));
        }
        str_adds(out, "|\n");
    }
    for (int i = 0; i < t->nqueues; i++) {
        char *label;

        if (!t->queues[i].known) {
            continue;
        }
        label = queue_label(t, i);
        add_cell(out, label, lw - 1);
        str_addc(out, ' ');
        free(label);
        str_addc(out, '|');
        for (int c = 0; c < t->ncols; c++) {
            str_addc(out, queue_glyph(&t->queues[i], c));
        }
        str_adds(out, "|\n");
    }

    /* The axis: the start under the first column, the end under the
     * last, when both fit. */
    format_x(t, b, sizeof b, (double)t->span);
    w = strlen(b);
    add_cell(out, "", lw + 1);
    str_addc(out, '0');
    if ((size_t)t->ncols >= w + 2) {
        add_cell(out, "", (size_t)t->ncols - w - 1);
    } else {
        str_addc(out, ' ');
    }
    str_adds(out, b);
    str_addc(out, '\n');

    str_adds(out, _("legend: # running  - ready  . blocked  z sleeping  "
                    "~ waiting (task)\n"
                    "        = alive, no state yet  ! failed  c cancelled  "
                    "blank: not alive\n"
                    "        queues: the most items in the slice, 0-9; scaled "
                    "so that 9 is the\n"
                    "        capacity (or the peak, if unbounded) when that "
                    "is above 9\n"));
    if (t->use_steps) {
        str_adds(out, _("total: no virtual time, "));
    } else {
        format_ns(a, sizeof a, (double)t->max_time);
        str_addf(out, _("total: %s of virtual time, "), a);
    }
    str_addf(out, ngettext("%llu step, ", "%llu steps, ", t->steps),
             (unsigned long long)t->steps);
    str_addf(out, ngettext("%llu switch\n", "%llu switches\n", t->switches),
             (unsigned long long)t->switches);
}

static void
tl_fini(struct tl *t)
{
    for (int i = 0; i < t->nactors; i++) {
        free(t->actors[i].name);
        free(t->actors[i].dur);
        free(t->actors[i].point);
        free(t->actors[i].mark);
    }
    for (int i = 0; i < t->nqueues; i++) {
        free(t->queues[i].label);
        free(t->queues[i].max);
    }
    free(t->actors);
    free(t->queues);
}

/*
 * Runs on: the caller's thread, after the run (or on a finished log).  The
 * chart gets what is left of width after the widest label (at most a third
 * of the line) and the two borders, and never more columns than the run
 * has units of time, so that every column covers at least one.
 */
int
export_timeline_write(struct evlog_reader *r, FILE *out, int width,
                      struct diag *d)
{
    struct tl t = { 0 };
    struct str s;
    int *order = NULL;
    int norder = 0;
    size_t lw = TL_MIN_LABEL;
    int rc = -1;

    if (width < EXPORT_TIMELINE_MIN_WIDTH) {
        width = EXPORT_TIMELINE_MIN_WIDTH;
    }
    str_init(&s);
    if (tl_scan(&t, r, d) < 0) {
        goto out;
    }
    t.use_steps = t.max_time == 0;
    t.span = t.use_steps ? (int64_t)(t.steps > INT64_MAX ? INT64_MAX
                                                          : t.steps)
                         : t.max_time;

    /* Rows in tree order; actors a cycle keeps from any root come last. */
    order = xmalloc(sizeof *order * (size_t)(t.nactors + 1));
    for (int i = 0; i < t.nactors; i++) {
        if (t.actors[i].known && !t.actors[i].placed && is_root(&t, i)) {
            place(&t, i, 0, order, &norder);
        }
    }
    for (int i = 0; i < t.nactors; i++) {
        if (t.actors[i].known && !t.actors[i].placed) {
            place(&t, i, 0, order, &norder);
        }
    }

    for (int i = 0; i < norder; i++) {
        const struct tl_actor *a = &t.actors[order[i]];
        size_t w = (size_t)a->depth * 2 + text_width(a->name);

        lw = w > lw ? w : lw;
    }
    for (int i = 0; i < t.nqueues; i++) {
        if (t.queues[i].known) {
            char *label = queue_label(&t, i);
            size_t w = text_width(label);

            lw = w > lw ? w : lw;
            free(label);
        }
    }
    lw += 1;                    /* a blank before the chart's border,
                                 * kept when a long label is cut */
    if (lw > (size_t)width / 3) {
        lw = (size_t)width / 3;
    }
    t.ncols = width - (int)lw - 2;
    if (t.span < t.ncols) {
        t.ncols = t.span > 0 ? (int)t.span : 1;
    }

    for (int i = 0; i < t.nactors; i++) {
        struct tl_actor *a = &t.actors[i];

        if (a->known) {
            a->dur = xcalloc((size_t)t.ncols * TL_NSTATES, sizeof *a->dur);
            a->point = xmalloc((size_t)t.ncols);
            memset(a->point, TL_NONE, (size_t)t.ncols);
            a->mark = xcalloc((size_t)t.ncols, 1);
        }
    }
    for (int i = 0; i < t.nqueues; i++) {
        if (t.queues[i].known) {
            t.queues[i].max = xmalloc(sizeof (int64_t) * (size_t)t.ncols);
            for (int c = 0; c < t.ncols; c++) {
                t.queues[i].max[c] = -1;
            }
        }
    }
    if (tl_fill(&t, r, d) < 0) {
        goto out;
    }
    tl_draw(&t, &s, order, norder, lw);
    if (fwrite(s.p, 1, s.len, out) != s.len || fflush(out) != 0) {
        diag_set(d, _("cannot write the timeline: %s"), strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(order);
    tl_fini(&t);
    str_fini(&s);
    return rc;
}
