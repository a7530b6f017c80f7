/*
 * The outcomes page (tui layer): "telar explore FILE --json" runs as a
 * child process on the loop (this very binary, in a process group of its
 * own, so closing the page kills it and its workers); its JSON (util/json.h)
 * becomes a list of outcomes with their share of the runs, and Enter hands
 * the chosen one's schedule to the page beneath.  See page-outcomes.h.
 */
#include "config.h"

#include "page-outcomes.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/loop.h"
#include "util/json.h"

#define OUT_CAP (16 << 20)      /* more JSON than this is not read */
#define BAR_COLS 12

/* The child and its pipes: freed when libuv has closed all three handles,
 * which may be after the page is gone. */
struct child {
    uv_process_t proc;
    uv_pipe_t out, err;
    struct page_outcomes *page; /* NULL once the page is freed */
    struct str outbuf, errbuf;
    int open;                   /* handles not closed yet */
    int pending;                /* exit, end of stdout, end of stderr */
    int status, signal;
    bool exited;
};

struct outcome {
    char *out;
    size_t out_len;
    int exit;
    bool deadlock;
    double count;
    char *schedule;
};

struct page_outcomes {
    struct page base;
    struct child *child;        /* NULL once it has ended */
    page_outcomes_chosen_fn *chosen;
    void *arg;
    char *name;                 /* the scenario's file name */
    struct outcome *v;
    size_t n;
    double executions;
    bool exhausted, done;
    char error[512];            /* why there is no answer, or "" */
    size_t sel, top;
    int list_h;                 /* rows of the list at the last draw */
    int list_y;                 /* where the list starts */
    WINDOW *win, *status;
};

/* ---- The child ------------------------------------------------------------ */

static void
child_close_cb(uv_handle_t *h)
{
    struct child *c = h->data;

    if (--c->open == 0) {
        str_fini(&c->outbuf);
        str_fini(&c->errbuf);
        free(c);
    }
}

static void parse_answer(struct page_outcomes *po, struct child *c);

/* One of the three things the child's end waits for has happened. */
static void
child_step(struct child *c)
{
    if (--c->pending > 0) {
        return;
    }
    if (c->page != NULL) {
        struct page_outcomes *po = c->page;

        parse_answer(po, c);
        po->child = NULL;
        po->done = true;
        loop_react(po->base.loop, &po->base, REACT_REDRAW);
    }
    uv_close((uv_handle_t *)&c->proc, child_close_cb);
    uv_close((uv_handle_t *)&c->out, child_close_cb);
    uv_close((uv_handle_t *)&c->err, child_close_cb);
}

static void
child_exit_cb(uv_process_t *p, int64_t status, int signal)
{
    struct child *c = p->data;

    c->exited = true;
    c->status = (int)status;
    c->signal = signal;
    child_step(c);
}

static void
child_alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    static char chunk[65536];

    (void)h;
    (void)hint;
    *buf = uv_buf_init(chunk, sizeof chunk);
}

static void
child_read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct child *c = s->data;
    struct str *into = s == (uv_stream_t *)&c->out ? &c->outbuf : &c->errbuf;

    if (n > 0) {
        if (into->len + (size_t)n <= OUT_CAP) {
            str_add(into, buf->base, (size_t)n);
        }
        return;
    }
    if (n < 0) {
        uv_read_stop(s);
        child_step(c);
    }
}

/* Start "telar explore FILE --json -- ARGS" in spec's folder.  0, or -1
 * with the reason in po->error. */
static int
child_start(struct page_outcomes *po, uv_loop_t *uv,
            const struct run_spec *spec)
{
    struct child *c = xcalloc(1, sizeof *c);
    uv_process_options_t opt;
    uv_stdio_container_t stdio[3];
    char **argv;
    int n = 0, rc;

    argv = xcalloc((size_t)spec->argc + 8, sizeof *argv);
    argv[n++] = "telar";
    argv[n++] = "explore";
    argv[n++] = "--json";
    argv[n++] = (char *)spec->file;
    argv[n++] = "--";
    for (int i = 0; i < spec->argc; i++) {
        argv[n++] = spec->argv[i];
    }
    str_init(&c->outbuf);
    str_init(&c->errbuf);
    c->page = po;
    c->pending = 3;
    uv_pipe_init(uv, &c->out, 0);
    uv_pipe_init(uv, &c->err, 0);
    c->out.data = c->err.data = c->proc.data = c;
    c->open = 2;
    memset(stdio, 0, sizeof stdio);
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)&c->out;
    stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[2].data.stream = (uv_stream_t *)&c->err;
    memset(&opt, 0, sizeof opt);
    opt.exit_cb = child_exit_cb;
    opt.file = "/proc/self/exe";
    opt.args = argv;
    opt.cwd = spec->dir;
    opt.stdio = stdio;
    opt.stdio_count = 3;
    /* Its own session and process group: kill(-pid) ends its workers
     * too, and the terminal's signals never reach it. */
    opt.flags = UV_PROCESS_DETACHED;
    rc = uv_spawn(uv, &c->proc, &opt);
    free(argv);
    c->open++;                  /* the process handle, spawned or not */
    if (rc != 0) {
        snprintf(po->error, sizeof po->error, _("cannot start telar "
                 "explore: %s"), uv_strerror(rc));
        c->page = NULL;
        uv_close((uv_handle_t *)&c->proc, child_close_cb);
        uv_close((uv_handle_t *)&c->out, child_close_cb);
        uv_close((uv_handle_t *)&c->err, child_close_cb);
        return -1;
    }
    uv_read_start((uv_stream_t *)&c->out, child_alloc_cb, child_read_cb);
    uv_read_start((uv_stream_t *)&c->err, child_alloc_cb, child_read_cb);
    po->child = c;
    return 0;
}

/* The last line of s, without its newline, into buf. */
static void
last_line(const struct str *s, char *buf, size_t size)
{
    size_t end = s->len, start;

    while (end > 0 && s->p[end - 1] == '\n') {
        end--;
    }
    start = end;
    while (start > 0 && s->p[start - 1] != '\n') {
        start--;
    }
    snprintf(buf, size, "%.*s", (int)(end - start),
             s->len > 0 ? s->p + start : "");
}

static void
parse_answer(struct page_outcomes *po, struct child *c)
{
    const struct json *list;
    struct json *j;
    struct diag d;

    if (c->signal != 0) {
        snprintf(po->error, sizeof po->error,
                 _("telar explore was killed by signal %d"), c->signal);
        return;
    }
    j = c->outbuf.len > 0 ? json_parse(c->outbuf.p, c->outbuf.len, &d)
                          : NULL;
    list = json_get(j, "outcomes");
    if (j == NULL || list == NULL || list->type != JSON_ARRAY) {
        char line[400];

        last_line(&c->errbuf, line, sizeof line);
        snprintf(po->error, sizeof po->error, "%s",
                 line[0] != '\0' ? line : _("telar explore gave no answer"));
        json_free(j);
        return;
    }
    if (json_get(j, "executions") != NULL) {
        po->executions = json_get(j, "executions")->num;
    }
    po->exhausted = json_get(j, "exhausted") != NULL
                    && json_get(j, "exhausted")->b;
    po->v = xcalloc(list->n + 1, sizeof *po->v);
    for (size_t i = 0; i < list->n; i++) {
        const struct json *o = &list->items[i];
        const struct json *out = json_get(o, "stdout");
        const struct json *sch = json_get(o, "schedule");
        const struct json *ex = json_get(o, "exit");
        const struct json *dl = json_get(o, "deadlock");
        const struct json *cnt = json_get(o, "count");
        struct outcome *v = &po->v[po->n];

        if (sch == NULL || sch->type != JSON_STRING) {
            continue;
        }
        v->schedule = xstrdup(sch->str);
        if (out != NULL && out->type == JSON_STRING) {
            v->out = xmalloc(out->len + 1);
            memcpy(v->out, out->str, out->len + 1);
            v->out_len = out->len;
        } else {
            v->out = xstrdup("");
        }
        v->exit = ex != NULL ? (int)ex->num : 0;
        v->deadlock = dl != NULL && dl->b;
        v->count = cnt != NULL ? cnt->num : 0;
        po->n++;
    }
    json_free(j);
}

/* ---- Drawing -------------------------------------------------------------- */

static void
outcomes_layout(struct page *p)
{
    struct page_outcomes *po = (struct page_outcomes *)p;

    if (po->win != NULL) {
        delwin(po->win);
        delwin(po->status);
    }
    po->win = newwin(LINES - 1, COLS, 0, 0);
    po->status = newwin(1, COLS, LINES - 1, 0);
}

/* An outcome's output on one line: newlines as the theme's arrow. */
static int
draw_output(WINDOW *w, int y, int x, int maxw, const struct tty_theme *th,
            const struct outcome *o, attr_t attr)
{
    const char *nl = th->ascii ? "\\n" : "\u23ce";
    size_t at = 0;
    int used = 0;

    if (o->out_len == 0) {
        return view_str(w, y, x, maxw, _("(prints nothing)"), attr | th->dim,
                        0);
    }
    while (at < o->out_len && used < maxw) {
        const char *end = memchr(o->out + at, '\n', o->out_len - at);
        size_t len = end != NULL ? (size_t)(end - (o->out + at))
                                 : o->out_len - at;

        used += view_text(w, y, x + used, maxw - used, o->out + at, len,
                          attr, 0);
        if (end != NULL) {
            used += view_str(w, y, x + used, maxw - used, nl, attr | th->dim,
                             0);
        }
        at += len + (end != NULL);
    }
    return used;
}

static void
draw_row(struct page_outcomes *po, int y, size_t i)
{
    const struct tty_theme *th = po->base.theme;
    const struct outcome *o = &po->v[i];
    bool sel = i == po->sel;
    attr_t a = sel ? th->select : A_NORMAL;
    int w = getmaxx(po->win), x = 1, bar;
    double share = po->executions > 0 ? o->count / po->executions : 0;
    char buf[64];

    if (sel) {
        wattr_set(po->win, th->select, 0, NULL);
        mvwhline(po->win, y, 0, ' ', w);
        wattr_set(po->win, A_NORMAL, 0, NULL);
    }
    x += view_str(po->win, y, x, w - x, sel ? (th->ascii ? ">" : "\u25b6")
                                            : " ", a | A_BOLD, 0);
    snprintf(buf, sizeof buf, " %2zu  %8.0f  %5.1f%%  ", i + 1, o->count,
             100 * share);
    x += view_str(po->win, y, x, w - x, buf, a, 0);
    bar = (int)(share * BAR_COLS + 0.5);
    bar = bar < 1 && o->count > 0 ? 1 : bar;
    for (int k = 0; k < BAR_COLS && x < w; k++) {
        x += view_str(po->win, y, x, w - x, k < bar ? th->bar_full : " ",
                      a, th->heading_pair);
    }
    x += view_str(po->win, y, x, w - x, "  ", a, 0);
    if (o->deadlock) {
        snprintf(buf, sizeof buf, "%-10s", _("deadlock"));
        x += view_str(po->win, y, x, w - x, buf, a | th->error,
                      th->error_pair);
    } else {
        char ex[32];

        snprintf(ex, sizeof ex, _("exit %d"), o->exit);
        snprintf(buf, sizeof buf, "%-10s", ex);
        x += view_str(po->win, y, x, w - x, buf,
                      o->exit != 0 ? a | th->error : a,
                      o->exit != 0 ? th->error_pair : 0);
    }
    draw_output(po->win, y, x, w - x - 1, th, o, a);
}

static void
outcomes_draw(struct page *p)
{
    struct page_outcomes *po = (struct page_outcomes *)p;
    const struct tty_theme *th = po->base.theme;
    int w = getmaxx(po->win), h = getmaxy(po->win), y = 0, x;
    char buf[512];
    const char *keys;

    werase(po->win);
    snprintf(buf, sizeof buf, _("Every outcome of %s"), po->name);
    view_str(po->win, y++, 1, w - 2, buf, th->heading | A_BOLD,
             th->heading_pair);
    view_str(po->win, y++, 1, w - 2, _("telar explore: every schedule with "
             "at most 2 preemptions, switching only where another thread "
             "could see a difference"), th->dim, 0);
    y++;
    if (!po->done) {
        view_str(po->win, y++, 1, w - 2, _("exploring... (q cancels)"),
                 A_BOLD, 0);
    } else if (po->error[0] != '\0') {
        y = view_wrapped(po->win, y, 1, po->error, th->error, th->error_pair);
    } else {
        snprintf(buf, sizeof buf, _("%.0f runs, %zu distinct outcomes; %s"),
                 po->executions, po->n,
                 po->exhausted ? _("every schedule within the bound was "
                                   "tried")
                               : _("not every schedule was tried (a bound "
                                   "stopped the search)"));
        y = view_wrapped(po->win, y, 1, buf, A_NORMAL, 0);
        y++;
        snprintf(buf, sizeof buf, "   %2s  %8s  %6s  %-*s  %-10s%s", "#",
                 _("runs"), _("share"), BAR_COLS, "", _("ends"),
                 _("prints"));
        view_str(po->win, y++, 1, w - 2, buf, th->dim, 0);
        po->list_y = y;
        po->list_h = h - y - 3;
        if (po->list_h < 1) {
            po->list_h = 1;
        }
        if (po->sel < po->top) {
            po->top = po->sel;
        }
        if (po->sel >= po->top + (size_t)po->list_h) {
            po->top = po->sel - (size_t)po->list_h + 1;
        }
        for (size_t i = po->top; i < po->n && y < po->list_y + po->list_h;
             i++) {
            draw_row(po, y++, i);
        }
        if (po->n > 0 && po->sel < po->n) {
            y = h - 2;
            x = 1 + view_str(po->win, y, 1, w - 2, _("schedule: "), th->dim,
                             0);
            view_str(po->win, y, x, w - x - 1, po->v[po->sel].schedule,
                     A_NORMAL, 0);
        }
    }
    wnoutrefresh(po->win);

    wbkgdset(po->status, ' ' | th->status);
    werase(po->status);
    keys = po->done && po->n > 0
               ? _("Enter: run it step by step  \u2191\u2193 choose  "
                   "q back")
               : _("q back");
    if (th->ascii) {
        keys = po->done && po->n > 0 ? _("Enter: run it step by step  "
                                         "j k choose  q back")
                                     : _("q back");
    }
    view_str(po->status, 0, 1, COLS - 2, keys, th->status_key, 0);
    wnoutrefresh(po->status);
}

/* ---- Keys ----------------------------------------------------------------- */

static int
choose(struct page_outcomes *po)
{
    const struct outcome *o;
    char label[200], first[80];
    size_t len;

    if (!po->done || po->sel >= po->n) {
        return REACT_DONE;
    }
    o = &po->v[po->sel];
    len = strcspn(o->out, "\n");
    snprintf(first, sizeof first, "%.*s", (int)(len < 60 ? len : 60), o->out);
    if (o->deadlock) {
        snprintf(label, sizeof label, _("outcome %zu of %zu: deadlock"),
                 po->sel + 1, po->n);
    } else {
        snprintf(label, sizeof label, _("outcome %zu of %zu: prints %s"),
                 po->sel + 1, po->n, first);
    }
    po->chosen(po->arg, o->schedule, label);
    return REACT_BACK;
}

static int
outcomes_key(struct page *p, const struct view_input *in)
{
    struct page_outcomes *po = (struct page_outcomes *)p;
    int key = in->fn ? -in->key : in->key;

    switch (key) {
    case 'q': case 'Q': case 27:
        return REACT_BACK;
    case -KEY_F(10):
        return REACT_QUIT;
    case 'L' & 0x1f:
        return REACT_FULL | REACT_REDRAW;
    case '?': case 'h': case -KEY_F(1):
        return REACT_HELP;
    case 'k': case -KEY_UP:
        po->sel = po->sel > 0 ? po->sel - 1 : 0;
        return REACT_REDRAW;
    case 'j': case -KEY_DOWN:
        po->sel = po->sel + 1 < po->n ? po->sel + 1 : po->sel;
        return REACT_REDRAW;
    case 'g': case -KEY_HOME:
        po->sel = 0;
        return REACT_REDRAW;
    case 'G': case -KEY_END:
        po->sel = po->n > 0 ? po->n - 1 : 0;
        return REACT_REDRAW;
    case '\n': case '\r': case -KEY_ENTER:
        return choose(po);
    case -KEY_RESIZE:
        return REACT_RELAYOUT;
    default:
        if (key >= '1' && key <= '9' && (size_t)(key - '1') < po->n) {
            po->sel = (size_t)(key - '1');
            return REACT_REDRAW;
        }
        return REACT_DONE;
    }
}

static int
outcomes_mouse(struct page *p, const struct view_input *in)
{
    struct page_outcomes *po = (struct page_outcomes *)p;
    int row = in->y - po->list_y;

    if (in->bstate & BUTTON4_PRESSED) {
        po->sel = po->sel > 0 ? po->sel - 1 : 0;
        return REACT_REDRAW;
    }
    if (in->bstate & BUTTON5_PRESSED) {
        po->sel = po->sel + 1 < po->n ? po->sel + 1 : po->sel;
        return REACT_REDRAW;
    }
    if (!po->done || row < 0 || row >= po->list_h
        || po->top + (size_t)row >= po->n) {
        return REACT_DONE;
    }
    if ((in->bstate & BUTTON1_PRESSED) && po->sel == po->top + (size_t)row) {
        return choose(po);      /* a second click on it */
    }
    po->sel = po->top + (size_t)row;
    return REACT_REDRAW;
}

static const struct action_help outcomes_help_list[] = {
    { N_("\u2191\u2193 j k 1-9"), N_("choose an outcome") },
    { N_("Enter click"), N_("run the chosen outcome step by step") },
    { N_("q Esc"), N_("back to the run (stops the search)") },
    { N_("F10"), N_("quit telar") },
};

static size_t
outcomes_help(struct page *p, const struct action_help **list)
{
    (void)p;
    *list = outcomes_help_list;
    return sizeof outcomes_help_list / sizeof outcomes_help_list[0];
}

static void
outcomes_free(struct page *p)
{
    struct page_outcomes *po = (struct page_outcomes *)p;

    if (po->child != NULL) {
        /* It goes on alone until libuv has closed its handles. */
        po->child->page = NULL;
        if (!po->child->exited) {
            kill(-po->child->proc.pid, SIGKILL);
        }
    }
    for (size_t i = 0; i < po->n; i++) {
        free(po->v[i].out);
        free(po->v[i].schedule);
    }
    free(po->v);
    free(po->name);
    if (po->win != NULL) {
        delwin(po->win);
        delwin(po->status);
    }
    free(po);
}

static const struct page_ops outcomes_ops = {
    .name = N_("Outcomes: keys"),
    .layout = outcomes_layout,
    .draw = outcomes_draw,
    .key = outcomes_key,
    .mouse = outcomes_mouse,
    .help = outcomes_help,
    .free = outcomes_free,
};

struct page *
page_outcomes_new(struct loop *l, const struct run_spec *spec,
                  page_outcomes_chosen_fn *chosen, void *arg)
{
    struct page_outcomes *po = xcalloc(1, sizeof *po);
    const char *base = strrchr(spec->file, '/');

    po->base.ops = &outcomes_ops;
    po->chosen = chosen;
    po->arg = arg;
    po->name = xstrdup(base != NULL ? base + 1 : spec->file);
    if (child_start(po, loop_uv(l), spec) < 0) {
        po->done = true;
    }
    return &po->base;
}
