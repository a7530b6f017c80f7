/*
 * The lesson page (tui layer): the title on top, the body (doc.c's lines,
 * re-rendered when the width changes) scrolling in the middle, the
 * scenarios of the front matter listed below, and a status bar.  Enter
 * runs the selected scenario in a scenario page (page-scenario.c) with its
 * policy, seed, cores and watched variables; a runnable block is first
 * written to a temporary folder as <id>.py, as telar check runs it.  The
 * lesson itself comes from src/lesson (lesson.h); nothing here parses
 * Markdown.
 */
#include "config.h"

#include "page-lesson.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson/lesson.h"
#include "tui/doc.h"
#include "tui/loop.h"
#include "tui/page-scenario.h"
#include "tui/pyhl.h"

#define CTRL_L ('L' & 0x1f)
#define TEXT_MAX_WIDTH 100      /* wider lines read badly */
#define LIST_MAX 9              /* scenarios listed before scrolling */

struct page_lesson {
    struct page base;
    struct lesson *lesson;
    char *id;                   /* catalogue id, or NULL */
    char *dir;                  /* the lesson's folder */
    struct progress *progress;  /* borrowed */
    char **keys;                /* progress key of each scenario */
    struct doc *doc;
    int doc_width;
    size_t top;                 /* first line of the body shown */
    int sel;                    /* the selected scenario */
    int list_top;
    WINDOW *head, *body, *list, *status;
    int body_x;                 /* left margin of the text */
    char *tmpdir;               /* runnable blocks are written here */
    char note[256];             /* one message for the status line */
};

static const struct action_help lesson_help[] = {
    { N_("\u2191\u2193 j k"), N_("scroll the text") },
    { N_("PgUp PgDn space"), N_("scroll by pages") },
    { N_("g G Home End"), N_("the top / the end of the text") },
    { N_("Tab S-Tab 1-9"), N_("choose a scenario") },
    { N_("Enter"), N_("run the chosen scenario") },
    { N_("mouse"), N_("wheel scrolls; click a scenario to choose it, "
                      "again to run it") },
    { N_("? h F1"), N_("this help (Esc closes)") },
    { N_("q Esc"), N_("back to the lessons") },
    { N_("F10"), N_("quit telar") },
};

/* ---- Layout and drawing ------------------------------------------------- */

static void
wins_free(struct page_lesson *pl)
{
    WINDOW **w[] = { &pl->head, &pl->body, &pl->list, &pl->status };

    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        if (*w[i] != NULL) {
            delwin(*w[i]);
            *w[i] = NULL;
        }
    }
}

static int
list_height(const struct page_lesson *pl)
{
    int n = (int)pl->lesson->nscenarios;

    if (n == 0) {
        return 0;
    }
    n = n > LIST_MAX ? LIST_MAX : n;
    /* At least half the screen stays for the text. */
    while (n > 1 && n + 1 > (LINES - 2) / 2) {
        n--;
    }
    return n + 1;               /* and its title line */
}

static size_t
max_top(const struct page_lesson *pl)
{
    size_t n = doc_nlines(pl->doc), h = (size_t)getmaxy(pl->body);

    return n > h ? n - h : 0;
}

static void
lesson_layout(struct page *p)
{
    struct page_lesson *pl = (struct page_lesson *)p;
    int lh = list_height(pl), bh = LINES - 2 - lh, width;

    wins_free(pl);
    pl->head = newwin(1, COLS, 0, 0);
    pl->body = newwin(bh, COLS, 1, 0);
    if (lh > 0) {
        pl->list = newwin(lh, COLS, 1 + bh, 0);
    }
    pl->status = newwin(1, COLS, LINES - 1, 0);
    width = COLS - 4;
    width = width > TEXT_MAX_WIDTH ? TEXT_MAX_WIDTH : width;
    pl->body_x = COLS > width + 4 ? (COLS - width) / 2 : 2;
    pl->body_x = pl->body_x > 4 ? 4 : pl->body_x;
    if (pl->doc == NULL || width != pl->doc_width) {
        struct doc_opts o = { .width = width, .ascii = p->theme->ascii,
                              .blocks = pl->lesson->blocks,
                              .nblocks = pl->lesson->nblocks };
        double frac = pl->doc != NULL && doc_nlines(pl->doc) > 0
                          ? (double)pl->top / (double)doc_nlines(pl->doc)
                          : 0;

        doc_free(pl->doc);
        pl->doc = doc_render(pl->lesson->doc, &o);
        pl->doc_width = width;
        /* Keep about the same place in the text. */
        pl->top = (size_t)(frac * (double)doc_nlines(pl->doc));
    }
    if (pl->top > max_top(pl)) {
        pl->top = max_top(pl);
    }
}

/* The scenario that runs block k, or -1. */
static int
scenario_of_block(const struct page_lesson *pl, int k)
{
    const struct lesson *l = pl->lesson;

    if (k < 0 || (size_t)k >= l->nblocks || l->blocks[k].id == NULL) {
        return -1;
    }
    for (size_t i = 0; i < l->nscenarios; i++) {
        if (l->scenarios[i].block != NULL
            && strcmp(l->scenarios[i].block, l->blocks[k].id) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static void
draw_body(struct page_lesson *pl)
{
    const struct tty_theme *th = pl->base.theme;
    int h = getmaxy(pl->body), w = getmaxx(pl->body);

    werase(pl->body);
    for (int y = 0; y < h && pl->top + (size_t)y < doc_nlines(pl->doc);
         y++) {
        const struct doc_line *line = doc_line(pl->doc, pl->top + (size_t)y);
        int x = pl->body_x;

        x += view_doc_line(pl->body, y, x, w - x, th, pl->doc, line);
        if (line->label) {
            int sc = scenario_of_block(pl, line->block);
            char buf[96];

            if (sc >= 0) {
                snprintf(buf, sizeof buf, _("  [%d] Enter runs it"), sc + 1);
                view_str(pl->body, y, x, w - x, buf, th->dim, 0);
            }
        }
    }
    wnoutrefresh(pl->body);
}

static void
draw_head(struct page_lesson *pl)
{
    const struct tty_theme *th = pl->base.theme;
    char pos[64];
    size_t n = doc_nlines(pl->doc), h = (size_t)getmaxy(pl->body);
    int pw;

    wbkgdset(pl->head, ' ' | th->title_focus);
    werase(pl->head);
    if (n <= h) {
        snprintf(pos, sizeof pos, " %s ", _("all"));
    } else {
        snprintf(pos, sizeof pos, " %zu%% ",
                 (size_t)((pl->top + h) * 100 / n));
    }
    pw = view_width(pos, strlen(pos));
    view_str(pl->head, 0, 1, COLS - pw - 2, pl->lesson->title,
             th->title_focus, th->heading_pair);
    view_str(pl->head, 0, COLS - pw, pw, pos, th->title_focus, 0);
    wnoutrefresh(pl->head);
}

static void
draw_list(struct page_lesson *pl)
{
    const struct tty_theme *th = pl->base.theme;
    const struct lesson *l = pl->lesson;
    int h, w, rows;

    if (pl->list == NULL) {
        return;
    }
    getmaxyx(pl->list, h, w);
    rows = h - 1;
    werase(pl->list);
    view_str(pl->list, 0, 0, w, _(" Scenarios "), th->title, 0);
    {
        const char *hint = _("Tab chooses, Enter runs");
        int hw = view_width(hint, strlen(hint));

        if (w > hw + 16) {
            view_str(pl->list, 0, w - hw - 1, hw, hint, th->dim, 0);
        }
    }
    if (pl->sel < pl->list_top) {
        pl->list_top = pl->sel;
    }
    if (pl->sel >= pl->list_top + rows) {
        pl->list_top = pl->sel - rows + 1;
    }
    for (int y = 0; y < rows && pl->list_top + y < (int)l->nscenarios;
         y++) {
        int i = pl->list_top + y, x = 0;
        const struct lesson_scenario *sc = &l->scenarios[i];
        bool done = pl->id != NULL
                    && progress_is_done(pl->progress, pl->id, pl->keys[i]);
        attr_t base = i == pl->sel ? th->select : A_NORMAL;
        char buf[256];

        if (i == pl->sel) {
            wattr_set(pl->list, th->select, 0, NULL);
            mvwhline(pl->list, y + 1, 0, ' ', w);
        }
        snprintf(buf, sizeof buf, " %d ", i + 1);
        x += view_str(pl->list, y + 1, x, w - x, buf, base | A_BOLD, 0);
        x += view_str(pl->list, y + 1, x, w - x,
                      done ? (th->ascii ? "+ " : "\u2713 ") : "  ", base,
                      done ? th->syntax_pair[PYHL_STRING] : 0);
        x += view_str(pl->list, y + 1, x, w - x, sc->title, base, 0);
        snprintf(buf, sizeof buf, "  %s%s \u00b7 %s",
                 sc->file != NULL ? "" : "#",
                 sc->file != NULL ? sc->file : sc->block, sc->policy);
        if (sc->seed != 0) {
            size_t len = strlen(buf);

            snprintf(buf + len, sizeof buf - len, _(", seed %llu"),
                     (unsigned long long)sc->seed);
        }
        view_str(pl->list, y + 1, x, w - x, buf, base | A_DIM, 0);
    }
    wnoutrefresh(pl->list);
}

static void
draw_status(struct page_lesson *pl)
{
    const struct tty_theme *th = pl->base.theme;
    const char *keys = pl->base.below != NULL
                           ? _("\u2191\u2193 scroll  Tab scenario  Enter run  "
                               "? help  q back")
                           : _("\u2191\u2193 scroll  Tab scenario  Enter run  "
                               "? help  q quit");
    int kw = view_width(keys, strlen(keys)), x = 1;

    wbkgdset(pl->status, ' ' | th->status);
    werase(pl->status);
    if (pl->note[0] != '\0') {
        x += view_str(pl->status, 0, x, COLS - 2, pl->note,
                      th->error | A_REVERSE, th->error_pair);
    }
    if (COLS - x - 2 < kw) {
        keys = pl->base.below != NULL ? _("? help  q back")
                                      : _("? help  q quit");
        kw = view_width(keys, strlen(keys));
    }
    if (COLS - x - 2 >= kw) {
        view_str(pl->status, 0, COLS - kw - 1, kw, keys, th->status_key, 0);
    }
    wnoutrefresh(pl->status);
}

static void
lesson_draw(struct page *p)
{
    struct page_lesson *pl = (struct page_lesson *)p;

    draw_head(pl);
    draw_body(pl);
    draw_list(pl);
    draw_status(pl);
}

/* ---- Running a scenario ------------------------------------------------- */

static void
note_set(struct page_lesson *pl, const struct diag *d)
{
    char buf[sizeof pl->note];

    diag_format(d, buf, sizeof buf);
    snprintf(pl->note, sizeof pl->note, "%s", buf);
}

/* Recorded when a run of it reaches its end. */
static void
on_ended(void *arg, const struct run_spec *spec, bool completed)
{
    struct page_lesson *pl = arg;
    struct diag d;
    const struct lesson *l = pl->lesson;

    if (!completed || pl->id == NULL) {
        return;
    }
    /* Which scenario: the spec's file, policy and seed name it. */
    for (size_t i = 0; i < l->nscenarios; i++) {
        const struct lesson_scenario *sc = &l->scenarios[i];
        const char *file = sc->file != NULL ? sc->file : NULL;
        char block_file[256];

        if (file == NULL) {
            snprintf(block_file, sizeof block_file, "%s.py", sc->block);
            file = block_file;
        }
        if (strcmp(file, spec->file) == 0
            && strcmp(sc->policy, spec->policy) == 0
            && sc->seed == spec->seed
            && progress_mark_done(pl->progress, pl->id, pl->keys[i])
            && progress_save(pl->progress, &d) < 0) {
            note_set(pl, &d);
        }
    }
}

/* The folder a runnable block runs in, made once. */
static const char *
block_dir(struct page_lesson *pl, struct diag *d)
{
    const char *tmp = getenv("TMPDIR");

    if (pl->tmpdir != NULL) {
        return pl->tmpdir;
    }
    pl->tmpdir = xasprintf("%s/telar-lesson-XXXXXX",
                           tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(pl->tmpdir) == NULL) {
        diag_set(d, "%s: %s", pl->tmpdir, strerror(errno));
        free(pl->tmpdir);
        pl->tmpdir = NULL;
    }
    return pl->tmpdir;
}

static int
run_selected(struct page_lesson *pl)
{
    const struct lesson_scenario *sc;
    struct run_spec spec = { .preempt_rate = -1 };
    struct page_scenario_hooks hooks = { .ended = on_ended, .arg = pl,
                                         .lesson = true };
    char *file = NULL, *title;
    struct diag d;

    if (pl->lesson->nscenarios == 0) {
        return REACT_DONE;
    }
    sc = &pl->lesson->scenarios[pl->sel];
    if (sc->block != NULL) {
        const struct lesson_block *b = lesson_block_find(pl->lesson,
                                                         sc->block);
        const char *dir = block_dir(pl, &d);
        char *path;
        FILE *f = NULL;
        bool ok = false;

        if (dir == NULL || b == NULL) {
            note_set(pl, &d);
            return REACT_REDRAW;
        }
        file = xasprintf("%s.py", sc->block);
        path = xasprintf("%s/%s", dir, file);
        if ((f = fopen(path, "w")) != NULL) {
            ok = fputs(b->text, f) != EOF;
            ok = fclose(f) == 0 && ok;
        }
        if (!ok) {
            diag_set(&d, "%s: %s", path, strerror(errno));
            note_set(pl, &d);
            free(path);
            free(file);
            return REACT_REDRAW;
        }
        free(path);
        spec.dir = dir;
    } else {
        file = xstrdup(sc->file);
        spec.dir = pl->dir;
    }
    title = xasprintf("%s \u203a %s", pl->lesson->title, sc->title);
    spec.file = file;
    spec.policy = sc->policy;
    spec.seed = sc->seed;
    spec.cores = sc->cores;
    spec.title = title;
    spec.watch = sc->watch;
    spec.nwatch = sc->nwatch;
    loop_push(pl->base.loop, page_scenario_new_run(pl->base.loop, &spec,
                                                   &hooks));
    free(title);
    free(file);
    return REACT_RELAYOUT;
}

/* ---- Keys and the mouse ------------------------------------------------- */

static int
text_scroll(struct page_lesson *pl, long by)
{
    long top = (long)pl->top + by, most = (long)max_top(pl);

    pl->top = (size_t)(top < 0 ? 0 : top > most ? most : top);
    return REACT_REDRAW;
}

/* Choose scenario i and bring its block into view, if it has one. */
static int
choose(struct page_lesson *pl, int i)
{
    const struct lesson *l = pl->lesson;

    if (l->nscenarios == 0) {
        return REACT_DONE;
    }
    pl->sel = (i + (int)l->nscenarios) % (int)l->nscenarios;
    if (l->scenarios[pl->sel].block != NULL) {
        for (size_t k = 0; k < l->nblocks; k++) {
            long line = doc_block_line(pl->doc, (int)k);
            size_t h = (size_t)getmaxy(pl->body);

            if (l->blocks[k].id != NULL
                && strcmp(l->blocks[k].id, l->scenarios[pl->sel].block) == 0
                && line >= 0
                && ((size_t)line < pl->top || (size_t)line >= pl->top + h)) {
                pl->top = (size_t)line;
                text_scroll(pl, 0);
            }
        }
    }
    return REACT_REDRAW;
}

static int
lesson_key(struct page *p, const struct view_input *in)
{
    struct page_lesson *pl = (struct page_lesson *)p;
    long page = getmaxy(pl->body) > 2 ? getmaxy(pl->body) - 2 : 1;

    pl->note[0] = '\0';
    if (in->fn) {
        switch (in->key) {
        case KEY_UP: return text_scroll(pl, -1);
        case KEY_DOWN: return text_scroll(pl, 1);
        case KEY_PPAGE: return text_scroll(pl, -page);
        case KEY_NPAGE: return text_scroll(pl, page);
        case KEY_HOME: return text_scroll(pl, -(long)doc_nlines(pl->doc));
        case KEY_END: return text_scroll(pl, (long)doc_nlines(pl->doc));
        case KEY_BTAB: return choose(pl, pl->sel - 1);
        case KEY_ENTER: return run_selected(pl);
        case KEY_F(1): return REACT_HELP;
        case KEY_F(10): return REACT_QUIT;
        default: return REACT_DONE;
        }
    }
    switch (in->key) {
    case 'k': return text_scroll(pl, -1);
    case 'j': return text_scroll(pl, 1);
    case 'b': return text_scroll(pl, -page);
    case ' ': return text_scroll(pl, page);
    case 'g': return text_scroll(pl, -(long)doc_nlines(pl->doc));
    case 'G': return text_scroll(pl, (long)doc_nlines(pl->doc));
    case '\t': return choose(pl, pl->sel + 1);
    case '\r': case '\n': return run_selected(pl);
    case '?': case 'h': return REACT_HELP;
    case 'q': case 'Q': case 27: return REACT_BACK;
    case CTRL_L: return REACT_FULL | REACT_REDRAW;
    default:
        if (in->key >= '1' && in->key <= '9'
            && (size_t)(in->key - '1') < pl->lesson->nscenarios) {
            return choose(pl, in->key - '1');
        }
        return REACT_DONE;
    }
}

static int
lesson_mouse(struct page *p, const struct view_input *in)
{
    struct page_lesson *pl = (struct page_lesson *)p;
    int by, bx, h, w;

    if (in->bstate & BUTTON4_PRESSED) {
        return text_scroll(pl, -3);
    }
    if (in->bstate & BUTTON5_PRESSED) {
        return text_scroll(pl, 3);
    }
    if (!(in->bstate & BUTTON1_PRESSED)) {
        return REACT_DONE;
    }
    if (pl->list != NULL) {
        getbegyx(pl->list, by, bx);
        getmaxyx(pl->list, h, w);
        (void)bx;
        (void)w;
        if (in->y > by && in->y < by + h) {
            int i = pl->list_top + in->y - by - 1;

            if (i < (int)pl->lesson->nscenarios) {
                if (i == pl->sel) {
                    return run_selected(pl);
                }
                return choose(pl, i);
            }
        }
    }
    getbegyx(pl->body, by, bx);
    if (in->y >= by && in->y < by + getmaxy(pl->body)) {
        const struct doc_line *line = doc_line(pl->doc, pl->top
                                               + (size_t)(in->y - by));
        int sc = line != NULL && line->label
                     ? scenario_of_block(pl, line->block) : -1;

        if (sc >= 0) {
            return sc == pl->sel ? run_selected(pl) : choose(pl, sc);
        }
    }
    return REACT_DONE;
}

static size_t
lesson_help_list(struct page *p, const struct action_help **list)
{
    (void)p;
    *list = lesson_help;
    return sizeof lesson_help / sizeof lesson_help[0];
}

static void
lesson_free_page(struct page *p)
{
    struct page_lesson *pl = (struct page_lesson *)p;

    wins_free(pl);
    if (pl->tmpdir != NULL) {
        for (size_t i = 0; i < pl->lesson->nscenarios; i++) {
            if (pl->lesson->scenarios[i].block != NULL) {
                char *path = xasprintf("%s/%s.py", pl->tmpdir,
                                       pl->lesson->scenarios[i].block);

                unlink(path);
                free(path);
            }
        }
        rmdir(pl->tmpdir);
        free(pl->tmpdir);
    }
    for (size_t i = 0; i < pl->lesson->nscenarios; i++) {
        free(pl->keys[i]);
    }
    free(pl->keys);
    doc_free(pl->doc);
    lesson_free(pl->lesson);
    free(pl->id);
    free(pl->dir);
    free(pl);
}

static const struct page_ops lesson_ops = {
    .name = N_("Lesson: keys"),
    .layout = lesson_layout,
    .draw = lesson_draw,
    .key = lesson_key,
    .mouse = lesson_mouse,
    .help = lesson_help_list,
    .free = lesson_free_page,
};

struct page *
page_lesson_new(const char *path, const char *id, struct progress *progress,
                struct diag *d)
{
    struct lesson *l = lesson_load(path, d);
    struct page_lesson *pl;

    if (l == NULL) {
        return NULL;
    }
    pl = xcalloc(1, sizeof *pl);
    pl->base.ops = &lesson_ops;
    pl->lesson = l;
    pl->id = id != NULL ? xstrdup(id) : NULL;
    pl->dir = lesson_dir(l);
    pl->progress = progress;
    pl->keys = xcalloc(l->nscenarios + 1, sizeof *pl->keys);
    for (size_t i = 0; i < l->nscenarios; i++) {
        pl->keys[i] = progress_scenario_key(&l->scenarios[i]);
    }
    if (id != NULL && progress_mark_opened(progress, id)) {
        struct diag sd;

        if (progress_save(progress, &sd) < 0) {
            note_set(pl, &sd);
        }
    }
    return &pl->base;
}
