/*
 * The lesson browser (tui layer): every chapter of the catalogue
 * (lesson/catalog.h) with its lessons in course order.  Written lessons
 * open in a lesson page; the others are shown dimmed as not written yet.
 * Each lesson carries its progress marks (opened, scenarios run to their
 * end n/m) from lesson/progress.h, and the selected one's summary shows
 * below the list.  Written lessons are read once, up front, for their
 * scenarios and summaries.
 */
#include "config.h"

#include "page-browser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "lesson/lesson.h"
#include "tui/doc.h"
#include "tui/loop.h"
#include "tui/page-lesson.h"
#include "tui/pyhl.h"

#define CTRL_L ('L' & 0x1f)
#define DESC_LINES 5            /* the summary pane, with its rule */
#define BROWSER_SIDE_COLS 120   /* from here the summary is at the side */

/* A line of the list: a chapter's title or a lesson. */
struct row {
    bool chapter;
    size_t index;               /* into the catalogue's chapters / lessons */
};

/* What the browser knows of each lesson beyond the catalogue. */
struct info {
    char *path;
    char *summary;              /* the front matter's, or NULL */
    char **keys;                /* progress keys of its scenarios */
    size_t nkeys;
    char *error;                /* it is marked written but cannot load */
};

struct page_browser {
    struct page base;
    const struct catalog *cat;  /* borrowed */
    struct progress *progress;  /* borrowed */
    struct info *info;          /* per lesson */
    struct row *rows;
    size_t nrows;
    size_t sel;                 /* a row that is a lesson */
    size_t top;
    WINDOW *head, *list, *desc, *status;
    struct doc *summary;        /* the selected lesson's summary */
    size_t summary_for;
    int summary_width;
    bool side;                  /* the summary beside the list */
    bool searching;
    char query[64];
    char note[256];
};

static const struct action_help browser_help[] = {
    { N_("\u2191\u2193 j k"), N_("choose a lesson") },
    { N_("PgUp PgDn"), N_("a page up / down") },
    { N_("g G Home End"), N_("the first / the last lesson") },
    { N_("Enter \u2192"), N_("open the lesson") },
    { N_("/"), N_("search the titles (Enter keeps, Esc drops); n next") },
    { N_("mouse"), N_("click chooses, a second click opens; wheel "
                      "scrolls") },
    { N_("? h F1"), N_("this help (Esc closes)") },
    { N_("q Esc F10"), N_("quit telar") },
};

/* ---- Rows and marks ----------------------------------------------------- */

static const struct catalog_lesson *
sel_lesson(const struct page_browser *pb)
{
    return &pb->cat->lessons[pb->rows[pb->sel].index];
}

/* Scenarios of lesson i run to their end. */
static size_t
ndone(const struct page_browser *pb, size_t i)
{
    const struct info *in = &pb->info[i];
    size_t n = 0;

    for (size_t k = 0; k < in->nkeys; k++) {
        n += progress_is_done(pb->progress, pb->cat->lessons[i].id,
                              in->keys[k]);
    }
    return n;
}

/* Move the selection to the next lesson row in direction dir (from the
 * row after/before from); stays if there is none. */
static void
select_from(struct page_browser *pb, long from, int dir)
{
    for (long r = from; r >= 0 && r < (long)pb->nrows; r += dir) {
        if (!pb->rows[r].chapter) {
            pb->sel = (size_t)r;
            return;
        }
    }
}

static void
info_load(struct page_browser *pb, const char *dir)
{
    pb->info = xcalloc(pb->cat->nlessons + 1, sizeof *pb->info);
    for (size_t i = 0; i < pb->cat->nlessons; i++) {
        const struct catalog_lesson *cl = &pb->cat->lessons[i];
        struct info *in = &pb->info[i];
        struct lesson *l;
        struct diag d;

        in->path = xasprintf("%s/%s/%s.md", dir, cl->chapter, cl->name);
        if (!cl->written) {
            continue;
        }
        l = lesson_load(in->path, &d);
        if (l == NULL) {
            char buf[512];

            diag_format(&d, buf, sizeof buf);
            in->error = xstrdup(buf);
            continue;
        }
        in->summary = xstrdup(l->summary);
        in->nkeys = l->nscenarios;
        in->keys = xcalloc(l->nscenarios + 1, sizeof *in->keys);
        for (size_t k = 0; k < l->nscenarios; k++) {
            in->keys[k] = progress_scenario_key(&l->scenarios[k]);
        }
        lesson_free(l);
    }
}

/* ---- Layout and drawing ------------------------------------------------- */

static void
wins_free(struct page_browser *pb)
{
    WINDOW **w[] = { &pb->head, &pb->list, &pb->desc, &pb->status };

    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        if (*w[i] != NULL) {
            delwin(*w[i]);
            *w[i] = NULL;
        }
    }
}

static void
browser_layout(struct page *p)
{
    struct page_browser *pb = (struct page_browser *)p;
    int lh = LINES - 2 - DESC_LINES;

    wins_free(pb);
    pb->head = newwin(1, COLS, 0, 0);
    if (COLS >= BROWSER_SIDE_COLS) {
        /* Wide: the summary beside the list, the list the full height. */
        int lw = COLS * 3 / 5;

        pb->list = newwin(LINES - 2, lw, 1, 0);
        pb->desc = newwin(LINES - 2, COLS - lw, 1, lw);
        pb->side = true;
    } else {
        pb->list = newwin(lh, COLS, 1, 0);
        pb->desc = newwin(DESC_LINES, COLS, 1 + lh, 0);
        pb->side = false;
    }
    pb->status = newwin(1, COLS, LINES - 1, 0);
}

/* Keep the selection on screen, with its chapter title when it fits. */
static void
scroll_to_sel(struct page_browser *pb)
{
    size_t h = (size_t)getmaxy(pb->list);

    if (pb->sel < pb->top + 1) {
        pb->top = pb->sel > 0 && pb->rows[pb->sel - 1].chapter ? pb->sel - 1
                                                               : pb->sel;
    }
    if (pb->sel >= pb->top + h) {
        pb->top = pb->sel - h + 1;
    }
}

static void
draw_head(struct page_browser *pb)
{
    const struct tty_theme *th = pb->base.theme;
    size_t written = 0, opened = 0;
    char buf[160];
    int bw;

    for (size_t i = 0; i < pb->cat->nlessons; i++) {
        written += pb->cat->lessons[i].written;
        opened += progress_is_opened(pb->progress, pb->cat->lessons[i].id);
    }
    wbkgdset(pb->head, ' ' | th->title_focus);
    werase(pb->head);
    view_str(pb->head, 0, 1, COLS - 2, _("telar: the lessons"),
             th->title_focus, th->heading_pair);
    snprintf(buf, sizeof buf, _("%zu chapters, %zu lessons (%zu written, "
                                "%zu opened) "), pb->cat->nchapters,
             pb->cat->nlessons, written, opened);
    bw = view_width(buf, strlen(buf));
    if (COLS - bw > 24) {
        view_str(pb->head, 0, COLS - bw, bw, buf, th->title_focus, 0);
    }
    wnoutrefresh(pb->head);
}

static void
draw_lesson_row(struct page_browser *pb, int y, size_t r)
{
    const struct tty_theme *th = pb->base.theme;
    size_t i = pb->rows[r].index;
    const struct catalog_lesson *cl = &pb->cat->lessons[i];
    const struct info *in = &pb->info[i];
    bool sel = r == pb->sel, opened = progress_is_opened(pb->progress,
                                                         cl->id);
    attr_t base = sel ? th->select : A_NORMAL;
    int w = getmaxx(pb->list), x = 0;
    char buf[128], right[64];

    if (sel) {
        wattr_set(pb->list, th->select, 0, NULL);
        mvwhline(pb->list, y, 0, ' ', w);
    }
    /* The mark: all scenarios done, opened, or nothing yet. */
    if (cl->written && in->nkeys > 0 && ndone(pb, i) == in->nkeys) {
        x += view_str(pb->list, y, 2, 2, th->ascii ? "+" : "\u2713",
                      base | A_BOLD, th->syntax_pair[PYHL_STRING]);
    } else if (opened) {
        x += view_str(pb->list, y, 2, 2, th->ascii ? "o" : "\u25cf",
                      base, th->heading_pair);
    }
    x = 4;
    snprintf(buf, sizeof buf, "%2d. ", cl->order);
    x += view_str(pb->list, y, x, w - x, buf, base | (cl->written ? 0 : A_DIM),
                  0);
    if (!cl->written) {
        snprintf(right, sizeof right, "%s", _("(not written yet)"));
    } else if (in->error != NULL) {
        snprintf(right, sizeof right, "%s", _("(cannot be read)"));
    } else if (in->nkeys > 0) {
        snprintf(right, sizeof right, _("%zu/%zu scenarios"), ndone(pb, i),
                 in->nkeys);
    } else {
        right[0] = '\0';
    }
    {
        int rw = view_width(right, strlen(right));

        view_str(pb->list, y, x, w - x - rw - 2, cl->title,
                 base | (cl->written ? A_BOLD : A_DIM), 0);
        if (rw > 0 && w - rw - 1 > x + 8) {
            view_str(pb->list, y, w - rw - 1, rw, right,
                     base | (cl->written && in->error == NULL ? 0 : A_DIM),
                     in->error != NULL ? th->error_pair : 0);
        }
    }
}

static void
draw_list(struct page_browser *pb)
{
    const struct tty_theme *th = pb->base.theme;
    int h = getmaxy(pb->list), w = getmaxx(pb->list);

    scroll_to_sel(pb);
    werase(pb->list);
    for (int y = 0; y < h && pb->top + (size_t)y < pb->nrows; y++) {
        size_t r = pb->top + (size_t)y;

        if (pb->rows[r].chapter) {
            const struct catalog_chapter *ch =
                &pb->cat->chapters[pb->rows[r].index];
            char num[8];

            snprintf(num, sizeof num, "%.2s ", ch->id);
            view_str(pb->list, y, 1, w - 1, num, A_BOLD, th->heading_pair);
            view_str(pb->list, y, 4, w - 4, ch->title, A_BOLD,
                     th->heading_pair);
        } else {
            draw_lesson_row(pb, y, r);
        }
    }
    wnoutrefresh(pb->list);
}

static void
draw_desc(struct page_browser *pb)
{
    const struct tty_theme *th = pb->base.theme;
    const struct catalog_lesson *cl = sel_lesson(pb);
    const struct info *in = &pb->info[pb->rows[pb->sel].index];
    const char *h = th->ascii ? "-" : "\u2500";
    int w = getmaxx(pb->desc), y;

    werase(pb->desc);
    if (pb->side) {
        const char *v = th->vline;

        for (y = 0; y < getmaxy(pb->desc); y++) {
            view_str(pb->desc, y, 0, 1, v, th->dim, 0);
        }
    } else {
        for (int x = 0; x < w; x++) {
            view_str(pb->desc, 0, x, 1, h, th->dim, 0);
        }
    }
    y = view_wrapped(pb->desc, 1, 2, cl->title, A_BOLD, 0);
    if (in->error != NULL) {
        view_wrapped(pb->desc, y, 2, in->error, th->error, th->error_pair);
    } else if (!cl->written) {
        char buf[512];

        snprintf(buf, sizeof buf, _("%s.  Not written yet."), cl->summary);
        view_wrapped(pb->desc, y, 2, buf, th->dim, 0);
    } else {
        /* The summary is Markdown (`code`, *emphasis*). */
        const char *md = in->summary != NULL ? in->summary : cl->summary;

        if (pb->summary == NULL || pb->summary_for != pb->sel
            || pb->summary_width != w - 3) {
            cmark_node *root = cmark_parse_document(md, strlen(md),
                                                    CMARK_OPT_DEFAULT);
            struct doc_opts o = { .width = w - 3, .ascii = th->ascii };

            doc_free(pb->summary);
            pb->summary = doc_render(root, &o);
            pb->summary_for = pb->sel;
            pb->summary_width = w - 3;
            cmark_node_free(root);
        }
        for (size_t i = 0; i < doc_nlines(pb->summary)
                           && y < getmaxy(pb->desc); i++, y++) {
            view_doc_line(pb->desc, y, 2, w - 3, th, pb->summary,
                          doc_line(pb->summary, i));
        }
    }
    wnoutrefresh(pb->desc);
}

static void
draw_status(struct page_browser *pb)
{
    const struct tty_theme *th = pb->base.theme;
    const char *keys = _("\u2191\u2193 choose  Enter open  / search  "
                         "? help  q quit");
    int kw = view_width(keys, strlen(keys)), x = 1;
    char buf[128];

    wbkgdset(pb->status, ' ' | th->status);
    werase(pb->status);
    if (pb->searching) {
        snprintf(buf, sizeof buf, "/%s", pb->query);
        x += view_str(pb->status, 0, x, COLS - 2, buf, th->status_key, 0);
        curs_set(0);
    } else if (pb->note[0] != '\0') {
        x += view_str(pb->status, 0, x, COLS - 2, pb->note,
                      th->error | A_REVERSE, th->error_pair);
    }
    if (COLS - x - 2 < kw) {
        keys = _("? help  q quit");
        kw = view_width(keys, strlen(keys));
    }
    if (COLS - x - 2 >= kw) {
        view_str(pb->status, 0, COLS - kw - 1, kw, keys, th->status_key, 0);
    }
    wnoutrefresh(pb->status);
}

static void
browser_draw(struct page *p)
{
    struct page_browser *pb = (struct page_browser *)p;

    draw_head(pb);
    draw_list(pb);
    draw_desc(pb);
    draw_status(pb);
}

/* ---- Keys ---------------------------------------------------------------- */

static int
open_selected(struct page_browser *pb)
{
    const struct catalog_lesson *cl = sel_lesson(pb);
    const struct info *in = &pb->info[pb->rows[pb->sel].index];
    struct page *lp;
    struct diag d;

    if (!cl->written) {
        snprintf(pb->note, sizeof pb->note, _("\u201c%s\u201d is not "
                                              "written yet"), cl->title);
        return REACT_REDRAW;
    }
    lp = page_lesson_new(in->path, cl->id, pb->progress, &d);
    if (lp == NULL) {
        diag_format(&d, pb->note, sizeof pb->note);
        return REACT_REDRAW;
    }
    loop_push(pb->base.loop, lp);
    return REACT_RELAYOUT;
}

/* The next lesson (from the selection, in direction dir) whose title has
 * the query; true if found. */
static bool
search(struct page_browser *pb, int dir, bool here)
{
    size_t n = pb->nrows;

    if (pb->query[0] == '\0') {
        return false;
    }
    for (size_t k = here ? 0 : 1; k <= n; k++) {
        size_t r = (pb->sel + n + (dir > 0 ? k : n - k)) % n;

        if (!pb->rows[r].chapter
            && strcasestr(pb->cat->lessons[pb->rows[r].index].title,
                          pb->query) != NULL) {
            pb->sel = r;
            return true;
        }
    }
    return false;
}

static int
search_key(struct page_browser *pb, const struct view_input *in)
{
    size_t len = strlen(pb->query);

    if (in->fn) {
        if (in->key == KEY_BACKSPACE && len > 0) {
            /* Drop a whole UTF-8 character. */
            while (len > 0 && ((unsigned char)pb->query[--len] & 0xc0)
                                  == 0x80) {
                continue;
            }
            pb->query[len] = '\0';
        }
        return REACT_REDRAW;
    }
    if (in->key == 27) {
        pb->searching = false;
        pb->query[0] = '\0';
    } else if (in->key == '\r' || in->key == '\n') {
        pb->searching = false;
    } else if (in->key == 127 || in->key == ('H' & 0x1f)) {
        while (len > 0 && ((unsigned char)pb->query[--len] & 0xc0) == 0x80) {
            continue;
        }
        pb->query[len] = '\0';
    } else if (in->key >= ' ') {
        char mb[MB_LEN_MAX];
        mbstate_t st;
        size_t n;

        memset(&st, 0, sizeof st);
        n = wcrtomb(mb, (wchar_t)in->key, &st);
        if (n != (size_t)-1 && len + n < sizeof pb->query) {
            memcpy(pb->query + len, mb, n);
            pb->query[len + n] = '\0';
            if (!search(pb, 1, true)) {
                snprintf(pb->note, sizeof pb->note, "%s", _("no match"));
            }
        }
    }
    return REACT_REDRAW;
}

static int
browser_key(struct page *p, const struct view_input *in)
{
    struct page_browser *pb = (struct page_browser *)p;
    long page = getmaxy(pb->list) > 2 ? getmaxy(pb->list) - 1 : 1;

    pb->note[0] = '\0';
    if (pb->searching) {
        return search_key(pb, in);
    }
    if (in->fn) {
        switch (in->key) {
        case KEY_UP: select_from(pb, (long)pb->sel - 1, -1); break;
        case KEY_DOWN: select_from(pb, (long)pb->sel + 1, 1); break;
        case KEY_PPAGE:
            select_from(pb, (long)pb->sel - page < 0 ? 0
                                                     : (long)pb->sel - page,
                        1);
            break;
        case KEY_NPAGE:
            select_from(pb, (long)pb->sel + page >= (long)pb->nrows
                                ? (long)pb->nrows - 1
                                : (long)pb->sel + page, -1);
            break;
        case KEY_HOME: select_from(pb, 0, 1); break;
        case KEY_END: select_from(pb, (long)pb->nrows - 1, -1); break;
        case KEY_RIGHT: case KEY_ENTER: return open_selected(pb);
        case KEY_F(1): return REACT_HELP;
        case KEY_F(10): return REACT_QUIT;
        default: return REACT_DONE;
        }
        return REACT_REDRAW;
    }
    switch (in->key) {
    case 'k': select_from(pb, (long)pb->sel - 1, -1); break;
    case 'j': select_from(pb, (long)pb->sel + 1, 1); break;
    case 'g': select_from(pb, 0, 1); break;
    case 'G': select_from(pb, (long)pb->nrows - 1, -1); break;
    case '\r': case '\n': case 'l': return open_selected(pb);
    case '/':
        pb->searching = true;
        pb->query[0] = '\0';
        break;
    case 'n':
        if (!search(pb, 1, false)) {
            snprintf(pb->note, sizeof pb->note, "%s", _("no match"));
        }
        break;
    case 'N':
        search(pb, -1, false);
        break;
    case '?': case 'h': return REACT_HELP;
    case 'q': case 'Q': case 27: return REACT_BACK;
    case CTRL_L: return REACT_FULL | REACT_REDRAW;
    default: return REACT_DONE;
    }
    return REACT_REDRAW;
}

static int
browser_mouse(struct page *p, const struct view_input *in)
{
    struct page_browser *pb = (struct page_browser *)p;
    int by, bx;

    if (in->bstate & BUTTON4_PRESSED) {
        select_from(pb, (long)pb->sel - 3 < 0 ? 0 : (long)pb->sel - 3, 1);
        return REACT_REDRAW;
    }
    if (in->bstate & BUTTON5_PRESSED) {
        select_from(pb, (long)pb->sel + 3 >= (long)pb->nrows
                            ? (long)pb->nrows - 1 : (long)pb->sel + 3, -1);
        return REACT_REDRAW;
    }
    if (!(in->bstate & BUTTON1_PRESSED)) {
        return REACT_DONE;
    }
    getbegyx(pb->list, by, bx);
    (void)bx;
    if (in->y >= by && in->y < by + getmaxy(pb->list)) {
        size_t r = pb->top + (size_t)(in->y - by);

        if (r < pb->nrows && !pb->rows[r].chapter) {
            if (r == pb->sel) {
                return open_selected(pb);
            }
            pb->sel = r;
            return REACT_REDRAW;
        }
    }
    return REACT_DONE;
}

static size_t
browser_help_list(struct page *p, const struct action_help **list)
{
    (void)p;
    *list = browser_help;
    return sizeof browser_help / sizeof browser_help[0];
}

static void
browser_free(struct page *p)
{
    struct page_browser *pb = (struct page_browser *)p;

    wins_free(pb);
    for (size_t i = 0; i < pb->cat->nlessons; i++) {
        struct info *in = &pb->info[i];

        for (size_t k = 0; k < in->nkeys; k++) {
            free(in->keys[k]);
        }
        free(in->keys);
        free(in->path);
        free(in->summary);
        free(in->error);
    }
    free(pb->info);
    free(pb->rows);
    doc_free(pb->summary);
    free(pb);
}

static const struct page_ops browser_ops = {
    .name = N_("Lessons: keys"),
    .layout = browser_layout,
    .draw = browser_draw,
    .key = browser_key,
    .mouse = browser_mouse,
    .help = browser_help_list,
    .free = browser_free,
};

struct page *
page_browser_new(const struct catalog *cat, const char *dir,
                 struct progress *progress, const char *select,
                 const char *note)
{
    struct page_browser *pb = xcalloc(1, sizeof *pb);
    size_t n = 0;

    pb->base.ops = &browser_ops;
    pb->cat = cat;
    pb->progress = progress;
    pb->rows = xcalloc(cat->nchapters + cat->nlessons + 1, sizeof *pb->rows);
    for (size_t c = 0; c < cat->nchapters; c++) {
        pb->rows[n++] = (struct row){ .chapter = true, .index = c };
        for (size_t k = 0; k < cat->chapters[c].nlessons; k++) {
            size_t i = cat->chapters[c].first + k;

            pb->rows[n++] = (struct row){ .chapter = false, .index = i };
            if (select != NULL && strcmp(cat->lessons[i].id, select) == 0) {
                pb->sel = n - 1;
            }
        }
    }
    pb->nrows = n;
    if (pb->sel == 0) {
        select_from(pb, 0, 1);
    }
    info_load(pb, dir);
    if (note != NULL) {
        snprintf(pb->note, sizeof pb->note, "%s", note);
    }
    return &pb->base;
}
