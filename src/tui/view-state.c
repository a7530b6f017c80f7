/*
 * The state view (tui layer): the world at the cursor in words.  The
 * deadlock report first when there is one, then how the run ended, every
 * actor with what it waits on, locks with holder and waiters, queues with
 * their fill, other objects someone waits on, exceptions and notes.  A
 * scrolling list of lines; everything comes from model.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"

#define BAR_WIDTH 10

struct state_view {
    struct view base;
    int top;                    /* first line shown */
    int h;                      /* the last frame's height */
    int nlines;                 /* the last frame's line count */
};

/* Lines are numbered from the top of the list; only those in the window
 * are drawn.  pr->y is the next line's number. */
struct printer {
    WINDOW *win;
    int y, top, h, w;
};

/* The window row for the next line, or -1 when it is off screen. */
static int
pr_line(struct printer *pr)
{
    int row = pr->y++ - pr->top;

    return row >= 0 && row < pr->h ? row : -1;
}

static void
pr_heading(struct printer *pr, const struct tty_theme *th, const char *text,
           bool error)
{
    int row;

    if (pr->y > 0) {
        pr_line(pr);            /* a blank line between sections */
    }
    row = pr_line(pr);
    if (row >= 0) {
        view_str(pr->win, row, 0, pr->w, text,
                 error ? th->error | A_REVERSE : th->heading,
                 error ? th->error_pair : th->heading_pair);
    }
}

/* Each line of text (a report, a message) on its own row. */
static void
pr_lines(struct printer *pr, struct model_text text, attr_t attr,
         short pair)
{
    const char *p = text.p, *end = text.p + text.len;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl != NULL ? nl : end;
        int row = pr_line(pr);

        if (row >= 0) {
            view_text(pr->win, row, 1, pr->w - 1, p, (size_t)(stop - p),
                      attr, pair);
        }
        p = stop + 1;
    }
}

static short
actor_pair(const struct tty_theme *th, int a)
{
    return th->actor_pair[(a < 0 ? 0 : a) % th->nactor_colors];
}

static const char *
end_word(int64_t why)
{
    switch (why) {
    case EV_END_EXIT: return _("Finished");
    case EV_END_EXCEPTION: return _("Ended by an uncaught exception");
    case EV_END_DEADLOCK: return _("Ended in a deadlock");
    case EV_END_LIMIT: return _("Stopped at the step limit");
    case EV_END_KILLED: return _("The engine died");
    default: return _("Ended");
    }
}

/* Base name of a code object's file, and its line. */
static void
position(const struct model *m, const struct model_actor_at *a, char *buf,
         size_t size)
{
    const struct model_code *c = model_code_info(m, a->code);
    struct model_text file, func;
    size_t i;

    buf[0] = '\0';
    if (c == NULL) {
        return;
    }
    file = c->file;
    func = c->func;
    for (i = file.len; i > 0 && file.p[i - 1] != '/'; i--) {
    }
    snprintf(buf, size, "%.*s:%d %.*s", (int)(file.len - i), file.p + i,
             a->line, (int)(func.len > 40 ? 40 : func.len), func.p);
}

static void
draw_actors(struct printer *pr, struct tui *t, int *waiters)
{
    struct model *m = t->model;
    const struct tty_theme *th = t->theme;
    const struct model_row *rows;
    size_t n = model_rows(m, &rows);
    bool any = false;

    for (size_t i = 0; i < n; i++) {
        int id = rows[i].actor, row, x, d;
        const struct model_actor_at *a = model_actor_at(m, id);
        char name[64], what[256], where[128], tbuf[32];

        if (a->state == MODEL_ST_NONE) {
            continue;
        }
        if (!any) {
            pr_heading(pr, th, _("Actors"), false);
            any = true;
        }
        if ((a->state == EV_ST_BLOCKED || a->state == EV_ST_WAITING)
            && a->wait_obj >= 0 && a->wait_obj < model_nobjs(m)) {
            waiters[a->wait_obj]++;
        }
        row = pr_line(pr);
        if (row < 0) {
            continue;
        }
        d = rows[i].depth > 6 ? 6 : rows[i].depth;
        x = 2 * d;
        x += view_str(pr->win, row, x, pr->w - x, th->glyph[a->state + 1],
                      th->state_attr[a->state + 1],
                      th->state_pair[a->state + 1]);
        x += 1;
        model_actor_name(m, id, name, sizeof name);
        x += view_str(pr->win, row, x, pr->w - x, name,
                      id == t->selected ? th->select : A_BOLD,
                      actor_pair(th, id));
        what[0] = '\0';
        if (a->wait_obj >= 0 && (a->state == EV_ST_BLOCKED
                                 || a->state == EV_ST_WAITING)) {
            char obj[64];
            const struct model_obj_at *o = a->wait_obj < model_nobjs(m)
                                               ? model_obj_at(m, a->wait_obj)
                                               : NULL;

            model_obj_name(m, a->wait_obj, obj, sizeof obj);
            if (o != NULL && o->holder >= 0
                && model_is_lock_kind(model_obj(m, a->wait_obj)->kind)) {
                char holder[64];

                model_actor_name(m, o->holder, holder, sizeof holder);
                snprintf(what, sizeof what, _(" on %s, held by %s"), obj,
                         holder);
            } else if (a->wait_obj < model_nobjs(m)
                       && model_obj(m, a->wait_obj)->kind == EV_OBJ_THREAD) {
                snprintf(what, sizeof what, _(" joining %s"), obj);
            } else {
                snprintf(what, sizeof what, _(" on %s"), obj);
            }
        }
        if ((a->state == EV_ST_SLEEPING || a->state == EV_ST_BLOCKED)
            && a->deadline != EVLOG_NEVER) {
            size_t len = strlen(what);

            view_format_ns(tbuf, sizeof tbuf, a->deadline, th->ascii);
            snprintf(what + len, sizeof what - len, _(" until %s"), tbuf);
        }
        position(m, a, where, sizeof where);
        x += view_str(pr->win, row, x, pr->w - x, " ", A_NORMAL, 0);
        x += view_str(pr->win, row, x, pr->w - x, view_state_word(a->state),
                      th->state_attr[a->state + 1],
                      th->state_pair[a->state + 1]);
        x += view_str(pr->win, row, x, pr->w - x, what, A_NORMAL, 0);
        if (where[0] != '\0' && x + 3 < pr->w) {
            x += view_str(pr->win, row, x, pr->w - x, "  ", A_NORMAL, 0);
            view_str(pr->win, row, x, pr->w - x, where, th->dim, 0);
        }
    }
}

/* "waiting: a, b" for obj, appended to buf. */
static void
list_waiters(const struct model *m, int obj, char *buf, size_t size)
{
    size_t len = strlen(buf);
    bool first = true;

    for (int i = 0; i < model_nactors(m) && len + 1 < size; i++) {
        const struct model_actor_at *a = model_actor_at(m, i);
        char name[64];

        if (a->wait_obj != obj || (a->state != EV_ST_BLOCKED
                                   && a->state != EV_ST_WAITING)) {
            continue;
        }
        model_actor_name(m, i, name, sizeof name);
        snprintf(buf + len, size - len, "%s%s", first ? _("; waiting: ")
                                                      : ", ", name);
        len = strlen(buf);
        first = false;
    }
}

static void
draw_objects(struct printer *pr, struct tui *t, const int *waiters)
{
    const struct model *m = t->model;
    const struct tty_theme *th = t->theme;
    int nfree = 0, ninternal = 0;
    bool any = false;

    /* Locks that someone holds or waits for.  A lock no variable of the
     * scenario names and nobody waits for is the standard library's own
     * business (the waiter lock of a Condition, held once notified, for
     * good): counted, not listed. */
    for (int i = 0; i < model_nobjs(m); i++) {
        const struct model_obj *o = model_obj(m, i);
        const struct model_obj_at *at = model_obj_at(m, i);
        char name[64], line[512];
        int row;

        if (!at->exists || !model_is_lock_kind(o->kind)) {
            continue;
        }
        if (at->holder < 0 && waiters[i] == 0) {
            nfree++;
            continue;
        }
        if (at->label.len == 0 && waiters[i] == 0) {
            ninternal++;
            continue;
        }
        if (!any) {
            pr_heading(pr, th, _("Locks"), false);
            any = true;
        }
        model_obj_name(m, i, name, sizeof name);
        if (at->holder >= 0) {
            char holder[64];

            model_actor_name(m, at->holder, holder, sizeof holder);
            snprintf(line, sizeof line, _("%s: held by %s"), name, holder);
        } else {
            snprintf(line, sizeof line, _("%s: free"), name);
        }
        list_waiters(m, i, line, sizeof line);
        if ((row = pr_line(pr)) >= 0) {
            view_str(pr->win, row, 1, pr->w - 1, line, A_NORMAL, 0);
        }
    }
    if (any && (nfree > 0 || ninternal > 0)) {
        char line[128];
        int row;

        if (ninternal == 0) {
            snprintf(line, sizeof line, _("(and %d free)"), nfree);
        } else {
            snprintf(line, sizeof line, _("(and %d free, %d held inside "
                                          "the standard library)"),
                     nfree, ninternal);
        }
        if ((row = pr_line(pr)) >= 0) {
            view_str(pr->win, row, 1, pr->w - 1, line, th->dim, 0);
        }
    }

    /* Queues, with a bar of their fill. */
    any = false;
    for (int i = 0; i < model_nobjs(m); i++) {
        const struct model_obj *o = model_obj(m, i);
        const struct model_obj_at *at = model_obj_at(m, i);
        char name[64], line[128];
        int row, x;
        int64_t scale;

        if (!at->exists || !o->known || !model_is_queue_kind(o->kind)) {
            continue;
        }
        if (!any) {
            pr_heading(pr, th, _("Queues"), false);
            any = true;
        }
        if ((row = pr_line(pr)) < 0) {
            continue;
        }
        model_obj_name(m, i, name, sizeof name);
        if (o->capacity > 0) {
            snprintf(line, sizeof line, "%s %lld/%lld ", name,
                     (long long)at->value, (long long)o->capacity);
        } else {
            snprintf(line, sizeof line, "%s %lld ", name,
                     (long long)at->value);
        }
        x = 1 + view_str(pr->win, row, 1, pr->w - 1, line, A_NORMAL, 0);
        scale = o->capacity > 0 ? o->capacity : model_obj_peak(m, i);
        scale = scale > 0 ? scale : 1;
        for (int k = 0; k < BAR_WIDTH && x < pr->w; k++) {
            bool on = at->value * BAR_WIDTH > (int64_t)k * scale;
            bool full = o->capacity > 0 && at->value >= o->capacity;

            x += view_str(pr->win, row, x, pr->w - x,
                          on ? th->bar_full : th->bar_empty,
                          full ? th->error : A_NORMAL,
                          full ? th->error_pair
                               : (on ? th->heading_pair : 0));
        }
    }

    /* Anything else someone waits on: events, futures, joins. */
    any = false;
    for (int i = 0; i < model_nobjs(m); i++) {
        const struct model_obj *o = model_obj(m, i);
        char name[64], line[512];
        int row;

        if (waiters[i] == 0 || model_is_lock_kind(o->kind)
            || model_is_queue_kind(o->kind)) {
            continue;
        }
        if (!any) {
            pr_heading(pr, th, _("Waited on"), false);
            any = true;
        }
        model_obj_name(m, i, name, sizeof name);
        snprintf(line, sizeof line, "%s", name);
        list_waiters(m, i, line, sizeof line);
        if ((row = pr_line(pr)) >= 0) {
            view_str(pr->win, row, 1, pr->w - 1, line, A_NORMAL, 0);
        }
    }
}

static void
draw_notes(struct printer *pr, struct tui *t, const char *heading,
           const struct model_note *list, size_t n, bool error)
{
    const struct tty_theme *th = t->theme;

    if (n == 0) {
        return;
    }
    pr_heading(pr, th, heading, false);
    for (size_t i = 0; i < n; i++) {
        char name[64];
        int row = pr_line(pr), x = 1;

        if (row < 0) {
            continue;
        }
        if (list[i].actor >= 0 && list[i].actor < model_nactors(t->model)) {
            model_actor_name(t->model, list[i].actor, name, sizeof name);
            x += view_str(pr->win, row, x, pr->w - x, name, A_BOLD,
                          actor_pair(th, list[i].actor));
            x += view_str(pr->win, row, x, pr->w - x, ": ", A_NORMAL, 0);
        }
        view_text(pr->win, row, x, pr->w - x, list[i].text.p,
                  list[i].text.len, error ? th->error : A_NORMAL,
                  error ? th->error_pair : 0);
    }
}

/* text wrapped at spaces to the pane's width, from column 1. */
static void
pr_wrapped(struct printer *pr, const char *text, attr_t attr, short pair)
{
    int w = pr->w - 1;

    while (*text != '\0') {
        size_t len = strlen(text), fit = 0, n;
        int row;

        while (fit < len && view_width(text, fit + 1) <= w) {
            fit++;
        }
        n = fit;
        if (fit < len) {
            while (n > 0 && text[n] != ' ') {
                n--;
            }
            n = n > 0 ? n : fit > 0 ? fit : 1;
        }
        if ((row = pr_line(pr)) >= 0) {
            view_text(pr->win, row, 1, w, text, n, attr, pair);
        }
        text += n;
        while (*text == ' ') {
            text++;
        }
    }
}

/* A wait-for cycle at the cursor: actors[i] waits on objs[i], which
 * actors[i + 1] (and, for the last, actors[0]) holds.  Its length, 0 if
 * there is none.  The first found from the lowest actor id, so it does not
 * jump between frames. */
static int
find_cycle(const struct model *m, int *actors, int *objs, int max)
{
    int n = model_nactors(m);

    for (int start = 0; start < n; start++) {
        int len = 0, a = start;

        while (len < max) {
            const struct model_actor_at *at = model_actor_at(m, a);
            const struct model_obj_at *o;
            int holder;

            if (at->state != EV_ST_BLOCKED || at->wait_obj < 0
                || at->wait_obj >= model_nobjs(m)) {
                break;
            }
            o = model_obj_at(m, at->wait_obj);
            holder = o->holder;
            if (holder < 0 || holder >= n || holder == a) {
                break;
            }
            actors[len] = a;
            objs[len] = at->wait_obj;
            len++;
            if (holder == start) {
                return len;
            }
            for (int k = 0; k < len; k++) {
                if (actors[k] == holder) {
                    len = 0;    /* a cycle that does not pass start: found
                                   again from its lowest member */
                    break;
                }
            }
            if (len == 0) {
                break;
            }
            a = holder;
        }
    }
    return 0;
}

/* Draw the cycle as a ring of arrows, the locks on them:
 *   banco-A ──cuenta_b──▶ banco-B
 *      ▲                     │
 *      └──────cuenta_a───────┘
 * then say what it means in one sentence.  Falls back to one line per
 * wait when the ring is wider than the pane. */
static void
draw_cycle(struct printer *pr, struct tui *t)
{
    const struct model *m = t->model;
    const struct tty_theme *th = t->theme;
    int actors[16], objs[16], n = find_cycle(m, actors, objs, 16);
    char names[16][48], locks[16][48];
    int col[16], width = 1, row;
    const char *dash = th->ascii ? "-" : "\u2500";
    const char *head = th->ascii ? ">" : "\u25b6";

    if (n == 0) {
        return;
    }
    pr_heading(pr, th, _("Wait-for cycle"), true);
    for (int i = 0; i < n; i++) {
        model_actor_name(m, actors[i], names[i], sizeof names[i]);
        model_obj_name(m, objs[i], locks[i], sizeof locks[i]);
    }
    for (int i = 0; i < n; i++) {
        col[i] = width;
        width += view_width(names[i], strlen(names[i]));
        if (i + 1 < n) {
            width += 6 + view_width(locks[i], strlen(locks[i]));
        }
    }
    if (width + 2 > pr->w || n == 1) {
        for (int i = 0; i < n; i++) {
            char line[200];

            if ((row = pr_line(pr)) < 0) {
                continue;
            }
            snprintf(line, sizeof line, _("%s waits for %s, held by %s"),
                     names[i], locks[i], names[(i + 1) % n]);
            view_str(pr->win, row, 1, pr->w - 1, line, th->error,
                     th->error_pair);
        }
    } else {
        int first = col[0] + view_width(names[0], strlen(names[0])) / 2;
        int last = col[n - 1]
                   + view_width(names[n - 1], strlen(names[n - 1])) / 2;

        /* The chain: A ──lock──▶ B ──lock──▶ C */
        if ((row = pr_line(pr)) >= 0) {
            int x = 1;

            for (int i = 0; i < n; i++) {
                x += view_str(pr->win, row, x, pr->w - x, names[i], A_BOLD,
                              th->actor_pair[actors[i] % th->nactor_colors]);
                if (i + 1 < n) {
                    x += view_str(pr->win, row, x, pr->w - x, " ", A_NORMAL,
                                  0);
                    x += view_str(pr->win, row, x, pr->w - x, dash,
                                  th->error, th->error_pair);
                    x += view_str(pr->win, row, x, pr->w - x, dash,
                                  th->error, th->error_pair);
                    x += view_str(pr->win, row, x, pr->w - x, locks[i],
                                  A_BOLD, th->heading_pair);
                    x += view_str(pr->win, row, x, pr->w - x, dash,
                                  th->error, th->error_pair);
                    x += view_str(pr->win, row, x, pr->w - x, head,
                                  th->error, th->error_pair);
                    x += view_str(pr->win, row, x, pr->w - x, " ", A_NORMAL,
                                  0);
                }
            }
        }
        /* Up into the first, down from the last. */
        if ((row = pr_line(pr)) >= 0) {
            view_str(pr->win, row, first, 1, th->ascii ? "^" : "\u25b2",
                     th->error, th->error_pair);
            view_str(pr->win, row, last, 1, th->ascii ? "|" : "\u2502",
                     th->error, th->error_pair);
        }
        /* The way back: └──lock──┘ */
        if ((row = pr_line(pr)) >= 0) {
            const char *lk = locks[n - 1];
            int lw = view_width(lk, strlen(lk));
            int span = last - first - 1, before = (span - lw) / 2;

            view_str(pr->win, row, first, 1, th->ascii ? "+" : "\u2514",
                     th->error, th->error_pair);
            for (int x = first + 1; x < last; x++) {
                view_str(pr->win, row, x, 1, dash, th->error,
                         th->error_pair);
            }
            if (lw <= span - 2) {
                view_str(pr->win, row, first + 1 + before, lw, lk, A_BOLD,
                         th->heading_pair);
            }
            view_str(pr->win, row, last, 1, th->ascii ? "+" : "\u2518",
                     th->error, th->error_pair);
        }
    }
    pr_wrapped(pr, n == 1 ? _("It waits for what it holds itself: it can "
                              "never go on.")
                          : _("Each one holds what the next waits for, and "
                              "none lets go: none of them can ever go on."),
               A_NORMAL, 0);
}

/* The watched variables (a lesson's watch:): value, and who changed it
 * last and when; a change at the cursor's very step is lit. */
static void
draw_watches(struct printer *pr, struct tui *t)
{
    const struct model *m = t->model;
    const struct tty_theme *th = t->theme;
    int n = model_nwatches(m);

    if (n == 0) {
        return;
    }
    pr_heading(pr, th, _("Watched"), false);
    for (int i = 0; i < n; i++) {
        const struct model_watch_at *wa = model_watch_at(m, i);
        struct model_text name = model_watch_name(m, i);
        int row = pr_line(pr), x = 1;
        bool now = wa->actor >= 0 && wa->step == model_step(m);

        if (row < 0) {
            continue;
        }
        x += view_text(pr->win, row, x, pr->w - x, name.p, name.len, A_BOLD,
                       0);
        x += view_str(pr->win, row, x, pr->w - x, " = ", A_NORMAL, 0);
        if (wa->actor < 0) {
            view_str(pr->win, row, x, pr->w - x, _("(not set yet)"),
                     th->dim, 0);
            continue;
        }
        x += view_text(pr->win, row, x, pr->w - x, wa->value.p,
                       wa->value.len, now ? th->select | A_BOLD : A_BOLD,
                       now ? 0 : th->heading_pair);
        if (pr->w - x > 8) {
            char who[96], name_buf[64];

            model_actor_name(m, wa->actor, name_buf, sizeof name_buf);
            snprintf(who, sizeof who, _("  (%s, step %llu)"), name_buf,
                     (unsigned long long)wa->step);
            view_str(pr->win, row, x, pr->w - x, who, th->dim,
                     actor_pair(th, wa->actor));
        }
    }
}

/* The lints (log/lint.h) the cursor has reached: a warning appears at
 * the moment it became true and stays, so nothing flickers. */
static void
draw_lints(struct printer *pr, struct tui *t)
{
    const struct tty_theme *th = t->theme;
    int64_t now = model_time(t->model);
    bool any = false;

    for (int i = 0; i < t->nlints; i++) {
        const struct lint_item *it = &t->lints[i];
        char line[600];

        if (it->time > now) {
            break;              /* in time order */
        }
        if (!any) {
            pr_heading(pr, th, _("Warnings"), false);
            any = true;
        }
        snprintf(line, sizeof line, "%s %s: %s%s%s%s",
                 th->ascii ? "!" : "\u26a0", it->check, it->text,
                 it->where != NULL ? " (" : "",
                 it->where != NULL ? it->where : "",
                 it->where != NULL ? ")" : "");
        pr_wrapped(pr, line, A_NORMAL, th->error_pair);
    }
}

/* The data races the cursor has reached (r), in red: each from the step
 * of its later access on. */
static void
draw_races(struct printer *pr, struct tui *t)
{
    const struct tty_theme *th = t->theme;
    uint64_t now = model_step(t->model);
    bool any = false;

    for (int i = 0; i < t->nraces; i++) {
        char line[700];

        if (t->races[i].step > now) {
            continue;
        }
        if (!any) {
            pr_heading(pr, th, _("Data races"), true);
            any = true;
        }
        snprintf(line, sizeof line, "%s %s", th->ascii ? "!" : "\u26a0",
                 t->races[i].text);
        pr_wrapped(pr, line, A_NORMAL, th->error_pair);
    }
    if (!any && t->races_on && model_end(t->model) != NULL) {
        pr_heading(pr, th, _("Data races"), false);
        pr_wrapped(pr, _("none: every access to shared data is ordered"),
                   A_NORMAL, 0);
    }
}

static int
draw_all(struct state_view *sv, WINDOW *win, int h, int w)
{
    struct tui *t = sv->base.tui;
    struct model *m = t->model;
    const struct tty_theme *th = t->theme;
    struct printer pr = { win, 0, sv->top, h, w };
    const struct model_note *dl = model_deadlock(m), *end = model_end(m);
    const struct model_note *list;
    size_t n;
    int *waiters = xcalloc((size_t)model_nobjs(m) + 1, sizeof *waiters);

    /* The cycle as soon as it forms (before the engine even reports
     * it), then the engine's report. */
    draw_cycle(&pr, t);
    if (dl != NULL) {
        pr_heading(&pr, th, _("DEADLOCK"), true);
        pr_lines(&pr, dl->text, th->error, th->error_pair);
    }
    if (end != NULL) {
        char line[128];

        snprintf(line, sizeof line, _("%s (exit status %lld)"),
                 end_word(end->why), (long long)end->status);
        pr_heading(&pr, th, line, end->why != EV_END_EXIT);
        if (end->why != EV_END_DEADLOCK) {
            pr_lines(&pr, end->text, A_NORMAL, 0);
        }
    }
    draw_watches(&pr, t);
    draw_races(&pr, t);
    draw_lints(&pr, t);
    draw_actors(&pr, t, waiters);
    draw_objects(&pr, t, waiters);
    n = model_exceptions(m, &list);
    draw_notes(&pr, t, _("Exceptions"), list, n, true);
    n = model_notes(m, &list);
    draw_notes(&pr, t, _("Notes"), list, n, false);
    free(waiters);
    return pr.y;
}

static void
state_draw(struct view *v, WINDOW *win)
{
    struct state_view *sv = (struct state_view *)v;
    int h, w;

    getmaxyx(win, h, w);
    sv->h = h;
    werase(win);
    sv->nlines = draw_all(sv, win, h, w);
    if (sv->top > 0 && sv->top > sv->nlines - h) {
        /* The list shrank under the scroll: show its end. */
        sv->top = sv->nlines > h ? sv->nlines - h : 0;
        werase(win);
        draw_all(sv, win, h, w);
    }
    wnoutrefresh(win);
}

static int
state_key(struct view *v, const struct view_input *in)
{
    struct state_view *sv = (struct state_view *)v;
    int page = sv->h > 1 ? sv->h - 1 : 1, last = sv->nlines - sv->h;

    if (in->fn && in->key == KEY_MOUSE) {
        if (in->bstate & BUTTON4_PRESSED) {
            sv->top -= 3;
        } else if (in->bstate & BUTTON5_PRESSED) {
            sv->top += 3;
        }
    } else {
        switch (in->fn ? in->key : -in->key) {
        case KEY_UP:
        case -'k':
            sv->top--;
            break;
        case KEY_DOWN:
        case -'j':
            sv->top++;
            break;
        case KEY_PPAGE:
            sv->top -= page;
            break;
        case KEY_NPAGE:
            sv->top += page;
            break;
        case -'g':
            sv->top = 0;
            break;
        case -'G':
            sv->top = last;
            break;
        default:
            return 0;
        }
    }
    sv->top = sv->top > last ? last : sv->top;
    sv->top = sv->top < 0 ? 0 : sv->top;
    return REACT_REDRAW;
}

static void
state_free(struct view *v)
{
    free(v);
}

static const struct view_ops state_ops = {
    .name = N_("State"),
    .draw = state_draw,
    .key = state_key,
    .free = state_free,
};

struct view *
view_state_new(struct tui *t)
{
    struct state_view *sv = xcalloc(1, sizeof *sv);

    sv->base.ops = &state_ops;
    sv->base.tui = t;
    return &sv->base;
}
