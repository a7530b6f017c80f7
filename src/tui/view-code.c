/*
 * The code view (tui layer): the source of the code the focused actor
 * runs, with every actor's current line marked in its colour and the
 * focused actor's line lit.  `x` expands that line into the bytecode
 * CPython runs for it (the log's EV_BYTECODE, written by the engine's
 * disasm.c), with the instruction about to run pointed at: this is where
 * `contador += 1` becomes LOAD_GLOBAL, BINARY_OP, STORE_GLOBAL.  The
 * focused actor is the selected one, else the one running at the cursor.
 * Source files are read once (the log names them by absolute path) and
 * coloured by pyhl.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/internal.h"
#include "tui/pyhl.h"

#define CODE_MAX_FILES 16       /* sources kept; the oldest goes first */
#define CODE_MAX_MARKS 3        /* actor marks drawn in the gutter */
#define CODE_MAX_BYTES (4 << 20)    /* a bigger "source" is not shown */

/* A source file, split into lines, with each byte's pyhl kind.  Owned by
 * the view's cache. */
struct source {
    char *path;
    char *text;                 /* NULL: could not be read (err says) */
    char err[128];
    size_t *start;              /* of each line in text */
    size_t *len;
    unsigned char *kinds;       /* per byte of text */
    int nlines;
    uint64_t used;              /* for eviction */
};

/* One instruction of the expanded line. */
struct insn {
    int offset;
    const char *name, *arg, *argrepr;
    size_t name_len, arg_len, argrepr_len;
};

struct code {
    struct view base;
    struct source *files[CODE_MAX_FILES];
    uint64_t clock;
    int top;                    /* first line shown (0-based) */
    bool follow;                /* keep the focused line in view */
    bool expand;                /* x: the focused line's bytecode */
    int h;
    int nlines;                 /* of the file on screen */
    int focus_code, focus_line; /* what follow centred on last */
};

/* ---- Sources -------------------------------------------------------------- */

static void
source_free(struct source *s)
{
    if (s == NULL) {
        return;
    }
    free(s->path);
    free(s->text);
    free(s->start);
    free(s->len);
    free(s->kinds);
    free(s);
}

static struct source *
source_load(const char *path, size_t plen)
{
    struct source *s = xcalloc(1, sizeof *s);
    FILE *f;
    long size;
    struct pyhl st = { 0 };
    int cap = 0;

    s->path = xmalloc(plen + 1);
    memcpy(s->path, path, plen);
    s->path[plen] = '\0';
    f = fopen(s->path, "rb");
    if (f == NULL) {
        snprintf(s->err, sizeof s->err, "%s", strerror(errno));
        return s;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0
        || size > CODE_MAX_BYTES || fseek(f, 0, SEEK_SET) != 0) {
        snprintf(s->err, sizeof s->err, "%s", _("too big to show"));
        fclose(f);
        return s;
    }
    s->text = xmalloc((size_t)size + 1);
    if (fread(s->text, 1, (size_t)size, f) != (size_t)size) {
        snprintf(s->err, sizeof s->err, "%s", strerror(errno));
        fclose(f);
        free(s->text);
        s->text = NULL;
        return s;
    }
    fclose(f);
    s->text[size] = '\0';
    s->kinds = xcalloc((size_t)size + 1, 1);
    for (size_t at = 0; at < (size_t)size || s->nlines == 0;) {
        const char *nl = memchr(s->text + at, '\n', (size_t)size - at);
        size_t end = nl != NULL ? (size_t)(nl - s->text) : (size_t)size;

        if (s->nlines == cap) {
            cap = cap > 0 ? cap * 2 : 256;
            s->start = xrealloc(s->start, sizeof *s->start * (size_t)cap);
            s->len = xrealloc(s->len, sizeof *s->len * (size_t)cap);
        }
        s->start[s->nlines] = at;
        s->len[s->nlines] = end - at;
        pyhl_line(&st, s->text + at, end - at, s->kinds + at);
        s->nlines++;
        at = end + 1;
        if (nl == NULL) {
            break;
        }
    }
    return s;
}

/* The source at path (plen bytes), loaded on first use. */
static struct source *
source_get(struct code *c, const char *path, size_t plen)
{
    int oldest = 0;

    for (int i = 0; i < CODE_MAX_FILES; i++) {
        struct source *s = c->files[i];

        if (s != NULL && strlen(s->path) == plen
            && memcmp(s->path, path, plen) == 0) {
            s->used = ++c->clock;
            return s;
        }
        if (s == NULL || (c->files[oldest] != NULL
                          && s->used < c->files[oldest]->used)) {
            oldest = i;
        }
    }
    source_free(c->files[oldest]);
    c->files[oldest] = source_load(path, plen);
    c->files[oldest]->used = ++c->clock;
    return c->files[oldest];
}

/* ---- Who is in focus ------------------------------------------------------ */

/* The actor whose code is shown: the one the user selected on the
 * timeline when it has a position, else a running task (its thread's
 * position is the loop's), else a running thread, else whoever has a
 * position.  -1: none. */
static int
focus_actor(const struct model *m, int selected, bool chosen)
{
    int best = -1, rank = 0;

    if (chosen && selected >= 0 && selected < model_nactors(m)
        && model_actor_at(m, selected)->code > 0) {
        return selected;
    }
    for (int id = 0; id < model_nactors(m); id++) {
        const struct model_actor_at *a = model_actor_at(m, id);
        int r;

        if (a->code <= 0) {
            continue;
        }
        if (a->state == EV_ST_RUNNING) {
            r = model_actor(m, id)->kind == EV_ACTOR_TASK ? 3 : 2;
        } else {
            r = 1;
        }
        if (r > rank) {
            rank = r;
            best = id;
        }
    }
    return best;
}

/* ---- Bytecode ------------------------------------------------------------- */

/* Split one EV_BYTECODE line ("off\tline\tNAME\targ\targrepr") at p
 * (until end); the line number in *line.  The next line, or NULL. */
static const char *
insn_parse(const char *p, const char *end, struct insn *in, int *line)
{
    const char *field[5];
    size_t flen[5];
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl != NULL ? nl : end;
    int n = 0;

    while (n < 5) {
        const char *tab = memchr(p, '\t', (size_t)(stop - p));
        const char *fe = tab != NULL && n < 4 ? tab : stop;

        field[n] = p;
        flen[n] = (size_t)(fe - p);
        n++;
        if (fe == stop) {
            break;
        }
        p = fe + 1;
    }
    if (n < 3) {
        in->name = NULL;
    } else {
        in->offset = atoi(field[0]);
        *line = atoi(field[1]);
        in->name = field[2];
        in->name_len = flen[2];
        in->arg = n > 3 ? field[3] : "";
        in->arg_len = n > 3 ? flen[3] : 0;
        in->argrepr = n > 4 ? field[4] : "";
        in->argrepr_len = n > 4 ? flen[4] : 0;
    }
    return nl != NULL ? nl + 1 : NULL;
}

/* The instructions of code on line, into out (up to max); how many. */
static int
insns_of_line(const struct model *m, int code, int line, struct insn *out,
              int max)
{
    const struct model_code *ci = model_code_info(m, code);
    const char *p, *end;
    int n = 0;

    if (ci == NULL || ci->bytecode.len == 0) {
        return 0;
    }
    p = ci->bytecode.p;
    end = p + ci->bytecode.len;
    while (p != NULL && p < end && n < max) {
        struct insn in;
        int l = -1;

        p = insn_parse(p, end, &in, &l);
        /* CPython runs RESUME and friends before the first line: they
         * belong to the def line here, as dis shows them. */
        if (in.name != NULL && (l == line || (l <= 0
                                              && line == ci->first_line))) {
            out[n++] = in;
        }
    }
    return n;
}

/* ---- Drawing -------------------------------------------------------------- */

/* One source line, coloured, from column x; the columns used. */
static int
draw_source_line(WINDOW *win, int y, int x, int maxw,
                 const struct tty_theme *th, const struct source *s, int i,
                 attr_t extra)
{
    const char *p = s->text + s->start[i];
    const unsigned char *k = s->kinds + s->start[i];
    size_t len = s->len[i], at = 0;
    int used = 0;

    while (at < len && used < maxw) {
        size_t run = 1;
        int kind = k[at] < TTY_NSYNTAX ? k[at] : 0;

        while (at + run < len && k[at + run] == k[at]) {
            run++;
        }
        used += view_text(win, y, x + used, maxw - used, p + at, run,
                          th->syntax_attr[kind] | extra,
                          th->syntax_pair[kind]);
        at += run;
    }
    return used;
}

/* The actors whose position is line of a code in file: their ids into
 * out (up to max), the focused one first.  How many there are. */
static int
actors_at(const struct model *m, struct model_text file, int line,
          int focus, int *out, int max)
{
    int n = 0;

    for (int pass = 0; pass < 2; pass++) {
        for (int id = 0; id < model_nactors(m); id++) {
            const struct model_actor_at *a = model_actor_at(m, id);
            const struct model_code *ci;

            if ((pass == 0) != (id == focus) || a->line != line
                || a->code <= 0 || a->state == EV_ST_DONE
                || a->state == EV_ST_FAILED || a->state == EV_ST_CANCELLED
                || a->state == MODEL_ST_NONE) {
                continue;
            }
            ci = model_code_info(m, a->code);
            if (ci == NULL || ci->file.len != file.len
                || memcmp(ci->file.p, file.p, file.len) != 0) {
                continue;
            }
            if (n < max) {
                out[n] = id;
            }
            n++;
        }
    }
    return n;
}

static void
draw_insn(WINDOW *win, int y, int x, int w, const struct tty_theme *th,
          const struct insn *in, bool current)
{
    char off[16];
    attr_t attr = current ? th->select | A_BOLD : A_NORMAL;
    int col = x;

    if (current) {
        mvwhline(win, y, x, ' ', w - x);
        wattr_set(win, th->select, 0, NULL);
        mvwhline(win, y, x, ' ', w - x);
        wattr_set(win, A_NORMAL, 0, NULL);
    }
    col += view_str(win, y, col, w - col, current ? "\u25b6 " : "  ",
                    attr, th->heading_pair);
    snprintf(off, sizeof off, "%4d ", in->offset);
    col += view_str(win, y, col, w - col, off, attr | A_DIM, 0);
    col += view_text(win, y, col, w - col, in->name, in->name_len, attr,
                     th->syntax_pair[PYHL_KEYWORD]);
    if (in->argrepr_len > 0) {
        int pad = 18 - (int)in->name_len;

        col += view_str(win, y, col, w - col, pad > 1 ? "                  "
                        + (18 - pad) : " ", attr, 0);
        view_text(win, y, col, w - col, in->argrepr, in->argrepr_len, attr,
                  th->syntax_pair[PYHL_BUILTIN]);
    }
}

static void
code_draw(struct view *v, WINDOW *win)
{
    struct code *c = (struct code *)v;
    const struct model *m = v->tui->model;
    const struct tty_theme *th = v->tui->theme;
    int h, w, focus, gutter, numw, y;
    const struct model_actor_at *fa;
    const struct model_code *ci;
    struct source *src;
    struct insn insns[64];
    int ninsns = 0, extra = 0;
    char buf[64];

    getmaxyx(win, h, w);
    werase(win);
    c->h = h;
    focus = focus_actor(m, v->tui->selected, v->tui->chosen);
    if (focus < 0) {
        view_str(win, 0, 0, w, _("(no code has run yet)"), th->dim, 0);
        wnoutrefresh(win);
        return;
    }
    fa = model_actor_at(m, focus);
    ci = model_code_info(m, fa->code);
    if (ci == NULL) {
        view_str(win, 0, 0, w, _("(code not in the log)"), th->dim, 0);
        wnoutrefresh(win);
        return;
    }
    src = source_get(c, ci->file.p, ci->file.len);
    if (src->text == NULL) {
        char msg[512];

        snprintf(msg, sizeof msg, _("cannot show %s: %s"), src->path,
                 src->err);
        view_str(win, 0, 0, w, msg, th->error, th->error_pair);
        wnoutrefresh(win);
        return;
    }
    c->nlines = src->nlines;

    /* The header: file, function, who. */
    {
        const char *base = strrchr(src->path, '/');
        char name[64];
        int x;

        base = base != NULL ? base + 1 : src->path;
        x = view_str(win, 0, 0, w, base, A_BOLD, 0);
        x += view_str(win, 0, x, w - x, " \u2014 ", th->dim, 0);
        x += view_text(win, 0, x, w - x, ci->func.p, ci->func.len, A_NORMAL,
                       0);
        model_actor_name(m, focus, name, sizeof name);
        x += view_str(win, 0, x, w - x, "  ", A_NORMAL, 0);
        view_str(win, 0, x, w - x, name, A_BOLD,
                 th->actor_pair[focus % th->nactor_colors]);
    }
    if (c->expand) {
        ninsns = insns_of_line(m, fa->code, fa->line, insns,
                               (int)(sizeof insns / sizeof insns[0]));
        extra = ninsns > 0 ? ninsns : 1;
    }

    /* Keep the focused line in view (with its bytecode) when following or
     * when the focus moved to another line. */
    if (c->follow || fa->code != c->focus_code
        || fa->line != c->focus_line) {
        int body = h - 1, want = fa->line - 1;

        if (want < c->top || want + extra >= c->top + body) {
            c->top = want - (body - extra) / 3;
        }
        c->follow = true;
        c->focus_code = fa->code;
        c->focus_line = fa->line;
    }
    if (c->top > src->nlines - 1) {
        c->top = src->nlines - 1;
    }
    if (c->top < 0) {
        c->top = 0;
    }

    snprintf(buf, sizeof buf, "%d", src->nlines);
    numw = (int)strlen(buf);
    gutter = CODE_MAX_MARKS + 1 + numw + 1;
    y = 1;
    for (int i = c->top; i < src->nlines && y < h; i++) {
        int ids[CODE_MAX_MARKS], n, x = 0;
        bool here = i + 1 == fa->line;
        attr_t line_attr = here ? th->select : A_NORMAL;

        n = actors_at(m, ci->file, i + 1, focus, ids, CODE_MAX_MARKS);
        if (here) {
            wattr_set(win, th->select, 0, NULL);
            mvwhline(win, y, 0, ' ', w);
            wattr_set(win, A_NORMAL, 0, NULL);
        }
        for (int k = 0; k < CODE_MAX_MARKS; k++) {
            const char *g = k < n && k < CODE_MAX_MARKS
                                ? (k == CODE_MAX_MARKS - 1 && n > CODE_MAX_MARKS
                                       ? "+" : th->bar_full)
                                : " ";

            view_str(win, y, x++, 1, g, (k < n ? A_BOLD : A_NORMAL)
                                          | line_attr,
                     k < n ? th->actor_pair[ids[k] % th->nactor_colors] : 0);
        }
        x++;
        snprintf(buf, sizeof buf, "%*d ", numw < 12 ? numw : 12, i + 1);
        x += view_str(win, y, x, w - x, buf, line_attr | A_DIM, 0);
        x += draw_source_line(win, y, x, w - x, th, src, i, line_attr);
        /* Who is here, by name, when there is room after the code. */
        if (n > 0 && w - x > 12) {
            int ax = x + 2;

            ax += view_str(win, y, ax, w - ax, "\u25c0", th->dim, 0);
            for (int k = 0; k < n && k < CODE_MAX_MARKS && ax < w - 4; k++) {
                char name[64];

                model_actor_name(m, ids[k], name, sizeof name);
                ax += view_str(win, y, ax, w - ax, " ", A_NORMAL, 0);
                ax += view_str(win, y, ax, w - ax, name, A_NORMAL,
                               th->actor_pair[ids[k] % th->nactor_colors]);
            }
        }
        y++;
        if (here && c->expand) {
            if (ninsns == 0 && y < h) {
                view_str(win, y++, gutter + 2, w - gutter - 2,
                         _("(no bytecode in the log: run it from telar, or "
                           "with --log-positions)"), th->dim, 0);
            }
            for (int k = 0; k < ninsns && y < h; k++) {
                draw_insn(win, y++, gutter, w, th, &insns[k],
                          insns[k].offset == fa->offset);
            }
        }
    }
    wnoutrefresh(win);
}

static void
scroll_by(struct code *c, int d)
{
    c->top += d;
    if (c->top > c->nlines - 1) {
        c->top = c->nlines - 1;
    }
    if (c->top < 0) {
        c->top = 0;
    }
    c->follow = false;
}

static int
code_key(struct view *v, const struct view_input *in)
{
    struct code *c = (struct code *)v;
    int page = c->h > 2 ? c->h - 2 : 1;

    if (in->fn && in->key == KEY_MOUSE) {
        if (in->bstate & BUTTON4_PRESSED) {
            scroll_by(c, -3);
        } else if (in->bstate & BUTTON5_PRESSED) {
            scroll_by(c, 3);
        }
        return REACT_REDRAW;
    }
    switch (in->fn ? in->key : -in->key) {
    case KEY_UP:
    case -'k':
        scroll_by(c, -1);
        return REACT_REDRAW;
    case KEY_DOWN:
    case -'j':
        scroll_by(c, 1);
        return REACT_REDRAW;
    case KEY_PPAGE:
        scroll_by(c, -page);
        return REACT_REDRAW;
    case KEY_NPAGE:
        scroll_by(c, page);
        return REACT_REDRAW;
    case -'g':
        scroll_by(c, -c->nlines);
        return REACT_REDRAW;
    case -'G':
        c->follow = true;
        return REACT_REDRAW;
    default:
        return 0;
    }
}

static void
code_free(struct view *v)
{
    struct code *c = (struct code *)v;

    for (int i = 0; i < CODE_MAX_FILES; i++) {
        source_free(c->files[i]);
    }
    free(c);
}

static const struct view_ops code_ops = {
    .name = N_("Code"),
    .draw = code_draw,
    .key = code_key,
    .free = code_free,
};

struct view *
view_code_new(struct tui *t)
{
    struct code *c = xcalloc(1, sizeof *c);

    c->base.ops = &code_ops;
    c->base.tui = t;
    c->follow = true;
    return &c->base;
}

void
view_code_toggle_bytecode(struct view *v)
{
    struct code *c = (struct code *)v;

    c->expand = !c->expand;
    c->follow = true;
}

bool
view_code_is_expanded(struct view *v)
{
    return ((struct code *)v)->expand;
}
