/*
 * A lesson's Markdown as lines for the screen (tui layer, no curses).
 * The walk follows libcmark's tree: each block node becomes lines, each
 * inline node becomes pieces of text with attributes, and paragraphs are
 * wrapped word by word in display columns (str_char: UTF-8, wide and
 * combining characters).  Nesting (block quotes, list items) is a stack of
 * line prefixes: a quote's bar on every line, a bullet on an item's first
 * line and its width in spaces on the others.  Code blocks go through
 * pyhl.c.  No curses here: the lesson page maps attributes to colours.
 */
#include "config.h"

#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "lesson/lesson.h"
#include "tui/pyhl.h"
#include "util/util.h"

#define DOC_MAX_DEPTH 24        /* deeper nesting is drawn flat */
#define DOC_MIN_WIDTH 16
#define DOC_MAX_COLS 32         /* table columns */

/* The document.  Lines hold span indices while rendering, pointers once
 * done (spans may move while they grow). */
struct doc {
    struct str text;
    struct doc_span *spans;
    size_t nspans, spans_cap;
    struct doc_line *lines;
    size_t nlines, lines_cap;
    size_t *first_span;         /* per line, while rendering */
    long *block_line;           /* per code block */
    size_t nblocks, blocks_cap;
};

/* One level of nesting: what starts its first line and the others. */
struct prefix {
    char first[24], rest[24];
    unsigned attr;
    bool used;
};

/* A piece of inline text. */
enum piece_kind { P_TEXT, P_SOFT, P_HARD };

struct piece {
    enum piece_kind kind;
    const char *s;
    size_t len;
    unsigned attr;
};

struct pieces {
    struct piece *v;
    size_t n, cap;
    char **owned;               /* strings made for pieces (link targets) */
    size_t nowned;
};

struct render {
    struct doc *d;
    int width;
    bool ascii;
    const struct lesson_block *blocks;
    size_t nblocks;
    struct prefix pre[DOC_MAX_DEPTH];
    int depth, hidden;          /* levels beyond the maximum are hidden */
    bool open;                  /* a line is being filled */
    int col;                    /* columns used on it */
    int base;                   /* columns of its prefixes */
    int heading, block;
    bool label;
    int code_index;             /* code blocks met so far */
};

/* ---- Lines and spans ---------------------------------------------------- */

static void
add_span(struct render *r, const char *s, size_t len, unsigned attr,
         unsigned char tok)
{
    struct doc *d = r->d;
    struct doc_span *last = d->nspans > d->first_span[d->nlines - 1]
                                ? &d->spans[d->nspans - 1] : NULL;

    if (len == 0) {
        return;
    }
    r->col += str_width(s, len);
    if (last != NULL && last->attr == attr && last->tok == tok
        && last->off + last->len == d->text.len) {
        str_add(&d->text, s, len);
        last->len += len;
        return;
    }
    if (d->nspans == d->spans_cap) {
        d->spans_cap = d->spans_cap ? d->spans_cap * 2 : 256;
        d->spans = xrealloc(d->spans, d->spans_cap * sizeof *d->spans);
    }
    d->spans[d->nspans++] = (struct doc_span){ .off = d->text.len,
                                               .len = len, .attr = attr,
                                               .tok = tok };
    str_add(&d->text, s, len);
}

static void
new_line(struct render *r)
{
    struct doc *d = r->d;

    if (d->nlines == d->lines_cap) {
        d->lines_cap = d->lines_cap ? d->lines_cap * 2 : 128;
        d->lines = xrealloc(d->lines, d->lines_cap * sizeof *d->lines);
        d->first_span = xrealloc(d->first_span,
                                 d->lines_cap * sizeof *d->first_span);
    }
    d->lines[d->nlines] = (struct doc_line){ .heading = r->heading,
                                             .block = r->block,
                                             .label = r->label };
    d->first_span[d->nlines++] = d->nspans;
    r->col = 0;
}

/* End the open line, if any. */
static void
line_end(struct render *r)
{
    if (r->open) {
        r->d->lines[r->d->nlines - 1].width = r->col;
        r->open = false;
    }
}

/* Start a line with the prefixes of every level: an item's marker the
 * first time, its indentation after. */
static void
line_begin(struct render *r)
{
    line_end(r);
    new_line(r);
    for (int i = 0; i < r->depth; i++) {
        struct prefix *p = &r->pre[i];

        add_span(r, p->used ? p->rest : p->first,
                 strlen(p->used ? p->rest : p->first), p->attr, 0);
        p->used = true;
    }
    r->base = r->col;
    r->open = true;
}

/* A blank line between blocks: only the quote bars go on. */
static void
blank_line(struct render *r)
{
    int last = -1;

    line_end(r);
    for (int i = 0; i < r->depth; i++) {
        if (r->pre[i].attr & DOC_QUOTE) {
            last = i;
        }
    }
    new_line(r);
    for (int i = 0; i <= last; i++) {
        const char *s = r->pre[i].rest;
        size_t n = strlen(s);

        while (i == last && n > 0 && s[n - 1] == ' ') {
            n--;
        }
        add_span(r, s, n, r->pre[i].attr, 0);
    }
    r->d->lines[r->d->nlines - 1].width = r->col;
}

static int
avail(const struct render *r)
{
    int used = 0;

    for (int i = 0; i < r->depth; i++) {
        used += str_width(r->pre[i].rest, strlen(r->pre[i].rest));
    }
    return r->width - used < DOC_MIN_WIDTH / 2 ? DOC_MIN_WIDTH / 2
                                               : r->width - used;
}

static void
push(struct render *r, const char *first, const char *rest, unsigned attr)
{
    struct prefix *p;

    if (r->depth == DOC_MAX_DEPTH) {
        r->hidden++;
        return;
    }
    p = &r->pre[r->depth++];
    snprintf(p->first, sizeof p->first, "%s", first);
    snprintf(p->rest, sizeof p->rest, "%s", rest);
    p->attr = attr;
    p->used = false;
}

static void
pop(struct render *r)
{
    if (r->hidden > 0) {
        r->hidden--;
    } else if (r->depth > 0) {
        r->depth--;
    }
}

/* ---- Inline text: pieces, words, wrapping ------------------------------- */

static void
piece_add(struct pieces *ps, enum piece_kind kind, const char *s, size_t len,
          unsigned attr)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 64;
        ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
    }
    ps->v[ps->n++] = (struct piece){ kind, s, len, attr };
}

static const char *
piece_own(struct pieces *ps, char *s)
{
    ps->owned = xrealloc(ps->owned, (ps->nowned + 1) * sizeof *ps->owned);
    ps->owned[ps->nowned++] = s;
    return s;
}

static void
pieces_free(struct pieces *ps)
{
    for (size_t i = 0; i < ps->nowned; i++) {
        free(ps->owned[i]);
    }
    free(ps->owned);
    free(ps->v);
}

static const char *
literal(cmark_node *n)
{
    const char *s = cmark_node_get_literal(n);

    return s != NULL ? s : "";
}

/* The inline nodes under n as pieces, attr added to each. */
static void
collect(struct pieces *ps, cmark_node *n, unsigned attr)
{
    for (cmark_node *c = cmark_node_first_child(n); c != NULL;
         c = cmark_node_next(c)) {
        const char *s;

        switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
            s = literal(c);
            piece_add(ps, P_TEXT, s, strlen(s), attr);
            break;
        case CMARK_NODE_CODE:
            s = literal(c);
            piece_add(ps, P_TEXT, s, strlen(s), attr | DOC_CODE);
            break;
        case CMARK_NODE_HTML_INLINE:
            s = literal(c);
            piece_add(ps, P_TEXT, s, strlen(s), attr | DOC_HTML);
            break;
        case CMARK_NODE_SOFTBREAK:
            piece_add(ps, P_SOFT, " ", 1, attr);
            break;
        case CMARK_NODE_LINEBREAK:
            piece_add(ps, P_HARD, "", 0, attr);
            break;
        case CMARK_NODE_EMPH:
            collect(ps, c, attr | DOC_EMPH);
            break;
        case CMARK_NODE_STRONG:
            collect(ps, c, attr | DOC_STRONG);
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE: {
            const char *url = cmark_node_get_url(c);
            size_t before = ps->n;
            struct str text;

            if (cmark_node_get_type(c) == CMARK_NODE_IMAGE) {
                piece_add(ps, P_TEXT, "[", 1, attr | DOC_LINK);
            }
            collect(ps, c, attr | DOC_LINK);
            if (cmark_node_get_type(c) == CMARK_NODE_IMAGE) {
                piece_add(ps, P_TEXT, "]", 1, attr | DOC_LINK);
            }
            /* The target, unless the text already says it (<http://x>). */
            str_init(&text);
            for (size_t i = before; i < ps->n; i++) {
                str_add(&text, ps->v[i].s, ps->v[i].len);
            }
            if (url != NULL && url[0] != '\0'
                && (text.len != strlen(url)
                    || memcmp(text.p, url, text.len) != 0)) {
                piece_add(ps, P_SOFT, " ", 1, attr);
                s = piece_own(ps, xasprintf("<%s>", url));
                piece_add(ps, P_TEXT, s, strlen(s), attr | DOC_URL);
            }
            str_fini(&text);
            break;
        }
        default:
            collect(ps, c, attr);
            break;
        }
    }
}

/* A word: fragments of pieces with no space between them. */
struct frag {
    const char *s;
    size_t len;
    unsigned attr;
};

struct word {
    struct frag v[64];
    size_t n;
    int width;
    bool space;                 /* a space went before it */
    unsigned space_attr;
};

/* Put a word longer than a line: as many characters per line as fit. */
static void
put_long(struct render *r, const struct word *w)
{
    for (size_t i = 0; i < w->n; i++) {
        const char *s = w->v[i].s;
        size_t len = w->v[i].len;

        while (len > 0) {
            wchar_t wc;
            int cw;
            size_t k = str_char(s, len, &wc, &cw);

            if (r->col + cw > r->base + avail(r) && r->col > r->base) {
                line_begin(r);
            }
            add_span(r, s, k, w->v[i].attr, 0);
            s += k;
            len -= k;
        }
    }
}

static void
put_word(struct render *r, struct word *w)
{
    int room;

    if (w->n == 0) {
        return;
    }
    if (!r->open) {
        line_begin(r);
    }
    room = r->base + avail(r) - r->col;
    if (r->col > r->base && (w->space ? 1 : 0) + w->width > room) {
        line_begin(r);
    } else if (r->col > r->base && w->space) {
        add_span(r, " ", 1, w->space_attr, 0);
    }
    if (w->width > avail(r)) {
        put_long(r, w);
    } else {
        for (size_t i = 0; i < w->n; i++) {
            add_span(r, w->v[i].s, w->v[i].len, w->v[i].attr, 0);
        }
    }
    w->n = 0;
    w->width = 0;
    w->space = false;
}

static void
word_add(struct render *r, struct word *w, const char *s, size_t len,
         unsigned attr)
{
    if (w->n > 0 && w->v[w->n - 1].s + w->v[w->n - 1].len == s
        && w->v[w->n - 1].attr == attr) {
        w->v[w->n - 1].len += len;
    } else {
        if (w->n == sizeof w->v / sizeof w->v[0]) {
            put_word(r, w);     /* a word of 64 styles: break it */
        }
        w->v[w->n++] = (struct frag){ s, len, attr };
    }
    w->width += str_width(s, len);
}

/* Wrap pieces [from, to) into lines, starting a new line. */
static void
wrap(struct render *r, const struct piece *v, size_t from, size_t to)
{
    struct word w = { .n = 0 };

    line_begin(r);
    for (size_t i = from; i < to; i++) {
        const struct piece *p = &v[i];

        if (p->kind == P_HARD) {
            put_word(r, &w);
            line_begin(r);
            continue;
        }
        if (p->kind == P_SOFT) {
            put_word(r, &w);
            w.space = r->col > r->base;
            w.space_attr = 0;
            continue;
        }
        for (size_t k = 0; k < p->len; k++) {
            if (p->s[k] == ' ') {
                put_word(r, &w);
                w.space = r->col > r->base;
                w.space_attr = p->attr & (DOC_CODE | DOC_LINK | DOC_STRONG
                                          | DOC_HEADING);
            } else {
                size_t j = k;

                while (j < p->len && p->s[j] != ' ') {
                    j++;
                }
                word_add(r, &w, p->s + k, j - k, p->attr);
                k = j - 1;
            }
        }
    }
    put_word(r, &w);
    line_end(r);
}

/* ---- Tables (GitHub's pipe tables, which CommonMark reads as text) ------ */

struct cell {
    struct frag v[16];
    size_t n;
    int width;
};

struct row {
    struct cell c[DOC_MAX_COLS];
    int n;
    bool rule;                  /* the |---|---| line */
};

/* Does every line of the paragraph start with '|'? */
static bool
is_table(const struct pieces *ps)
{
    bool line_start = true;
    int lines = 0;

    for (size_t i = 0; i < ps->n; i++) {
        const struct piece *p = &ps->v[i];

        if (p->kind != P_TEXT) {
            line_start = true;
            continue;
        }
        if (line_start) {
            size_t k = 0;

            while (k < p->len && p->s[k] == ' ') {
                k++;
            }
            if (k == p->len || p->s[k] != '|' || (p->attr & DOC_CODE)) {
                return false;
            }
            lines++;
            line_start = false;
        }
    }
    return lines >= 2;
}

static void
cell_add(struct cell *c, const char *s, size_t len, unsigned attr)
{
    if (len == 0 || c->n == sizeof c->v / sizeof c->v[0]) {
        return;
    }
    c->v[c->n++] = (struct frag){ s, len, attr };
    c->width += str_width(s, len);
}

/* Trim the spaces at the ends of a cell. */
static void
cell_trim(struct cell *c)
{
    while (c->n > 0 && c->v[0].len > 0 && c->v[0].s[0] == ' ') {
        c->v[0].s++;
        c->v[0].len--;
        c->width--;
        if (c->v[0].len == 0) {
            memmove(c->v, c->v + 1, --c->n * sizeof *c->v);
        }
    }
    while (c->n > 0 && c->v[c->n - 1].len > 0
           && c->v[c->n - 1].s[c->v[c->n - 1].len - 1] == ' ') {
        c->v[c->n - 1].len--;
        c->width--;
        if (c->v[c->n - 1].len == 0) {
            c->n--;
        }
    }
}

static bool
cell_is_rule(const struct cell *c)
{
    bool dash = false;

    for (size_t i = 0; i < c->n; i++) {
        for (size_t k = 0; k < c->v[i].len; k++) {
            char ch = c->v[i].s[k];

            if (ch == '-') {
                dash = true;
            } else if (ch != ':' && ch != ' ') {
                return false;
            }
        }
    }
    return dash;
}

/* Split the pieces into rows and cells at '|' (not inside code). */
static struct row *
table_rows(const struct pieces *ps, size_t *nrows)
{
    struct row *rows = NULL;
    size_t n = 0;
    struct row *cur = NULL;

    for (size_t i = 0; i < ps->n; i++) {
        const struct piece *p = &ps->v[i];

        if (p->kind != P_TEXT) {
            cur = NULL;
            continue;
        }
        if (cur == NULL) {
            rows = xrealloc(rows, (n + 1) * sizeof *rows);
            cur = &rows[n++];
            memset(cur, 0, sizeof *cur);
            cur->n = 0;         /* before the first '|' */
        }
        if (p->attr & DOC_CODE) {
            cell_add(&cur->c[cur->n], p->s, p->len, p->attr);
            continue;
        }
        for (size_t k = 0, start = 0; k <= p->len; k++) {
            if (k < p->len && p->s[k] != '|') {
                continue;
            }
            cell_add(&cur->c[cur->n], p->s + start, k - start, p->attr);
            if (k < p->len && cur->n + 1 < DOC_MAX_COLS) {
                cur->n++;
            }
            start = k + 1;
        }
    }
    /* Cell 0 is what stood before the first '|' (nothing); the last one
     * open is after the closing '|'. */
    for (size_t i = 0; i < n; i++) {
        struct row *rw = &rows[i];
        int cells = rw->n;

        for (int c = 0; c <= rw->n; c++) {
            cell_trim(&rw->c[c]);
        }
        if (rw->c[rw->n].n == 0 && rw->n > 0) {
            cells = rw->n - 1;  /* a closing '|' */
        } else {
            cells = rw->n;
        }
        memmove(rw->c, rw->c + 1, (size_t)cells * sizeof rw->c[0]);
        rw->n = cells;
        rw->rule = cells > 0;
        for (int c = 0; c < cells; c++) {
            rw->rule = rw->rule && cell_is_rule(&rw->c[c]);
        }
    }
    *nrows = n;
    return rows;
}

/* A border line: left, middle and right joints around dashes. */
static void
table_border(struct render *r, const int *cw, int ncols, const char *l,
             const char *m, const char *rt)
{
    const char *h = r->ascii ? "-" : "\u2500";

    line_begin(r);
    add_span(r, l, strlen(l), DOC_RULE, 0);
    for (int c = 0; c < ncols; c++) {
        for (int k = 0; k < cw[c] + 2; k++) {
            add_span(r, h, strlen(h), DOC_RULE, 0);
        }
        add_span(r, c + 1 < ncols ? m : rt, strlen(c + 1 < ncols ? m : rt),
                 DOC_RULE, 0);
    }
    line_end(r);
}

static void
table(struct render *r, const struct pieces *ps)
{
    size_t nrows;
    struct row *rows = table_rows(ps, &nrows);
    int cw[DOC_MAX_COLS] = { 0 }, ncols = 0, total;
    const char *v = r->ascii ? "|" : "\u2502";

    for (size_t i = 0; i < nrows; i++) {
        ncols = rows[i].n > ncols ? rows[i].n : ncols;
        for (int c = 0; c < rows[i].n && !rows[i].rule; c++) {
            cw[c] = rows[i].c[c].width > cw[c] ? rows[i].c[c].width : cw[c];
        }
    }
    total = 1;
    for (int c = 0; c < ncols; c++) {
        total += cw[c] + 3;
    }
    if (ncols == 0 || total > avail(r)) {
        /* Too wide: each row a paragraph, cells between bars. */
        for (size_t i = 0; i < nrows; i++) {
            struct pieces row = { 0 };

            if (rows[i].rule) {
                continue;
            }
            for (int c = 0; c < rows[i].n; c++) {
                if (c > 0) {
                    piece_add(&row, P_TEXT, " ", 1, 0);
                    piece_add(&row, P_TEXT, v, strlen(v), DOC_RULE);
                    piece_add(&row, P_TEXT, " ", 1, 0);
                }
                for (size_t k = 0; k < rows[i].c[c].n; k++) {
                    const struct frag *f = &rows[i].c[c].v[k];

                    piece_add(&row, P_TEXT, f->s, f->len, f->attr);
                }
            }
            wrap(r, row.v, 0, row.n);
            pieces_free(&row);
        }
        free(rows);
        return;
    }
    table_border(r, cw, ncols, r->ascii ? "+" : "\u250c",
                 r->ascii ? "+" : "\u252c", r->ascii ? "+" : "\u2510");
    for (size_t i = 0; i < nrows; i++) {
        if (rows[i].rule) {
            table_border(r, cw, ncols, r->ascii ? "+" : "\u251c",
                         r->ascii ? "+" : "\u253c",
                         r->ascii ? "+" : "\u2524");
            continue;
        }
        line_begin(r);
        add_span(r, v, strlen(v), DOC_RULE, 0);
        for (int c = 0; c < ncols; c++) {
            const struct cell *cl = &rows[i].c[c];
            int pad = cw[c] - (c < rows[i].n ? cl->width : 0);

            add_span(r, " ", 1, 0, 0);
            for (size_t k = 0; c < rows[i].n && k < cl->n; k++) {
                add_span(r, cl->v[k].s, cl->v[k].len, cl->v[k].attr, 0);
            }
            for (int k = 0; k < pad + 1; k++) {
                add_span(r, " ", 1, 0, 0);
            }
            add_span(r, v, strlen(v), DOC_RULE, 0);
        }
        line_end(r);
    }
    table_border(r, cw, ncols, r->ascii ? "+" : "\u2514",
                 r->ascii ? "+" : "\u2534", r->ascii ? "+" : "\u2518");
    free(rows);
}

/* ---- Blocks ------------------------------------------------------------- */

static void block(struct render *r, cmark_node *n, bool tight);

/* The children of n, a blank line between them unless tight. */
static void
blocks(struct render *r, cmark_node *n, bool tight)
{
    bool first = true;

    for (cmark_node *c = cmark_node_first_child(n); c != NULL;
         c = cmark_node_next(c)) {
        if (!first && !tight) {
            blank_line(r);
        }
        block(r, c, tight);
        first = false;
    }
}

static void
paragraph(struct render *r, cmark_node *n, unsigned attr)
{
    struct pieces ps = { 0 };

    collect(&ps, n, attr);
    if (attr == 0 && is_table(&ps)) {
        table(r, &ps);
    } else {
        wrap(r, ps.v, 0, ps.n);
    }
    pieces_free(&ps);
}

static void
heading(struct render *r, cmark_node *n)
{
    int level = cmark_node_get_heading_level(n), w = 0;
    const char *rule = r->ascii ? (level == 1 ? "=" : "-")
                                : (level == 1 ? "\u2550" : "\u2500");
    size_t from = r->d->nlines;

    r->heading = level;
    paragraph(r, n, DOC_HEADING | DOC_STRONG);
    for (size_t i = from; i < r->d->nlines; i++) {
        w = r->d->lines[i].width > w ? r->d->lines[i].width : w;
    }
    if (level <= 2) {
        line_begin(r);
        for (int k = r->base; k < w; k++) {
            add_span(r, rule, strlen(rule), DOC_RULE | DOC_HEADING, 0);
        }
        line_end(r);
    }
    r->heading = 0;
}

/* The lesson's facts about code block k: language, id, runnable. */
static void
code_info(struct render *r, cmark_node *n, int k, char *lang, size_t size,
          const char **id, bool *run)
{
    const char *info = cmark_node_get_fence_info(n);
    size_t len = 0;

    *id = NULL;
    *run = false;
    if (r->blocks != NULL && (size_t)k < r->nblocks) {
        snprintf(lang, size, "%s", r->blocks[k].lang != NULL
                                       ? r->blocks[k].lang : "");
        *id = r->blocks[k].id;
        *run = r->blocks[k].run;
        return;
    }
    info = info != NULL ? info : "";
    while (info[len] != '\0' && info[len] != ' ' && info[len] != '{') {
        len++;
    }
    snprintf(lang, size, "%.*s", (int)len, info);
}

static void
code_block(struct render *r, cmark_node *n)
{
    const char *s = literal(n), *id;
    char lang[32];
    bool run, python;
    struct pyhl st = { 0 };
    unsigned char *kinds = NULL;
    size_t cap = 0;
    int k = r->code_index++;

    code_info(r, n, k, lang, sizeof lang, &id, &run);
    python = strcmp(lang, "python") == 0 || strcmp(lang, "py") == 0
             || strcmp(lang, "python3") == 0;
    if ((size_t)k >= r->d->blocks_cap) {
        r->d->blocks_cap = r->d->blocks_cap ? r->d->blocks_cap * 2 : 16;
        r->d->block_line = xrealloc(r->d->block_line,
                                    r->d->blocks_cap
                                    * sizeof *r->d->block_line);
    }
    r->d->nblocks = (size_t)k + 1;
    r->d->block_line[k] = (long)r->d->nlines;
    r->block = k;
    if (run && id != NULL) {
        const char *mark = r->ascii ? "> " : "\u25b6 ";

        r->label = true;
        line_begin(r);
        add_span(r, mark, strlen(mark), DOC_LABEL, 0);
        add_span(r, id, strlen(id), DOC_LABEL, 0);
        line_end(r);
        r->label = false;
    }
    push(r, "  ", "  ", 0);
    while (*s != '\0') {
        const char *nl = strchr(s, '\n');
        size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);

        if (len + 1 > cap) {
            cap = len + 64;
            kinds = xrealloc(kinds, cap);
        }
        memset(kinds, PYHL_TEXT, len);
        if (python) {
            pyhl_line(&st, s, len, kinds);
        }
        line_begin(r);
        for (size_t i = 0; i < len;) {
            wchar_t wc;
            int cw;
            size_t b = str_char(s + i, len - i, &wc, &cw);

            if (r->col + cw > r->base + avail(r)) {
                line_begin(r);  /* a line wider than the page: wrapped */
            }
            add_span(r, s + i, b, DOC_BLOCK, kinds[i]);
            i += b;
        }
        line_end(r);
        s += len + (nl != NULL);
    }
    pop(r);
    free(kinds);
    r->block = -1;
}

static void
html_block(struct render *r, cmark_node *n)
{
    const char *s = literal(n);

    while (*s != '\0') {
        const char *nl = strchr(s, '\n');
        size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);
        struct piece p = { P_TEXT, s, len, DOC_HTML };

        wrap(r, &p, 0, 1);
        s += len + (nl != NULL);
    }
}

static void
list(struct render *r, cmark_node *n)
{
    bool tight = cmark_node_get_list_tight(n) != 0;
    bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
    int num = cmark_node_get_list_start(n), count = 0, width, nested = 0;
    char delim = cmark_node_get_list_delim(n) == CMARK_PAREN_DELIM ? ')'
                                                                    : '.';
    static const char *const bullets[] = { "\u2022 ", "\u25e6 ",
                                           "\u25aa " };
    static const char *const ascii_bullets[] = { "* ", "- ", "+ " };
    char digits[16];

    for (cmark_node *p = cmark_node_parent(n); p != NULL;
         p = cmark_node_parent(p)) {
        nested += cmark_node_get_type(p) == CMARK_NODE_LIST;
    }
    for (cmark_node *c = cmark_node_first_child(n); c != NULL;
         c = cmark_node_next(c)) {
        count++;
    }
    width = snprintf(digits, sizeof digits, "%d", num + count - 1) + 2;
    num = num < 0 ? 0 : num;
    for (cmark_node *c = cmark_node_first_child(n); c != NULL;
         c = cmark_node_next(c), num++) {
        char first[24], rest[24];

        if (c != cmark_node_first_child(n) && !tight) {
            blank_line(r);
        }
        if (ordered) {
            snprintf(first, sizeof first, "%*d%c ", width - 2, num, delim);
            snprintf(rest, sizeof rest, "%*s", width, "");
        } else {
            snprintf(first, sizeof first, "%s",
                     r->ascii ? ascii_bullets[nested % 3]
                              : bullets[nested % 3]);
            snprintf(rest, sizeof rest, "  ");
        }
        push(r, first, rest, DOC_MARK);
        blocks(r, c, tight);
        if (r->depth > 0 && !r->pre[r->depth - 1].used) {
            line_begin(r);      /* an empty item still shows its marker */
            line_end(r);
        }
        pop(r);
    }
}

static void
block(struct render *r, cmark_node *n, bool tight)
{
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_PARAGRAPH:
        paragraph(r, n, 0);
        break;
    case CMARK_NODE_HEADING:
        heading(r, n);
        break;
    case CMARK_NODE_CODE_BLOCK:
        code_block(r, n);
        break;
    case CMARK_NODE_HTML_BLOCK:
        html_block(r, n);
        break;
    case CMARK_NODE_THEMATIC_BREAK: {
        const char *h = r->ascii ? "-" : "\u2500";
        int w = avail(r);

        line_begin(r);
        for (int k = 0; k < w; k++) {
            add_span(r, h, strlen(h), DOC_RULE, 0);
        }
        line_end(r);
        break;
    }
    case CMARK_NODE_BLOCK_QUOTE:
        push(r, r->ascii ? "| " : "\u2502 ", r->ascii ? "| " : "\u2502 ",
             DOC_QUOTE);
        blocks(r, n, false);
        pop(r);
        break;
    case CMARK_NODE_LIST:
        list(r, n);
        break;
    case CMARK_NODE_ITEM:
        blocks(r, n, tight);
        break;
    default:
        blocks(r, n, tight);
        break;
    }
}

/* ---- The document ------------------------------------------------------- */

struct doc *
doc_render(struct cmark_node *root, const struct doc_opts *o)
{
    struct doc *d = xcalloc(1, sizeof *d);
    struct render r = {
        .d = d,
        .width = o->width < DOC_MIN_WIDTH ? DOC_MIN_WIDTH : o->width,
        .ascii = o->ascii,
        .blocks = o->blocks,
        .nblocks = o->nblocks,
        .block = -1,
    };

    str_init(&d->text);
    if (root != NULL) {
        blocks(&r, root, false);
    }
    line_end(&r);
    /* The spans are where they stay: point the lines at them. */
    for (size_t i = 0; i < d->nlines; i++) {
        size_t end = i + 1 < d->nlines ? d->first_span[i + 1] : d->nspans;

        d->lines[i].spans = d->spans + d->first_span[i];
        d->lines[i].nspans = end - d->first_span[i];
    }
    free(d->first_span);
    d->first_span = NULL;
    return d;
}

void
doc_free(struct doc *d)
{
    if (d == NULL) {
        return;
    }
    str_fini(&d->text);
    free(d->spans);
    free(d->lines);
    free(d->first_span);
    free(d->block_line);
    free(d);
}

size_t
doc_nlines(const struct doc *d)
{
    return d->nlines;
}

const struct doc_line *
doc_line(const struct doc *d, size_t i)
{
    return i < d->nlines ? &d->lines[i] : NULL;
}

const char *
doc_text(const struct doc *d)
{
    return d->text.p != NULL ? d->text.p : "";
}

long
doc_block_line(const struct doc *d, int k)
{
    return k >= 0 && (size_t)k < d->nblocks ? d->block_line[k] : -1;
}

char *
doc_line_str(const struct doc *d, size_t i)
{
    struct str s;
    const struct doc_line *l = doc_line(d, i);

    str_init(&s);
    for (size_t k = 0; l != NULL && k < l->nspans; k++) {
        str_add(&s, doc_text(d) + l->spans[k].off, l->spans[k].len);
    }
    str_addc(&s, '\0');
    return s.p;
}
