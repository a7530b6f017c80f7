/*
 * A lesson: the front matter (parsed by lesson-fm.c) given its meaning, the
 * Markdown body parsed by libcmark, and the checks that need nothing run:
 * keys and types, fenced blocks and their {#id run} attributes, scenario
 * files beside the lesson, the "Prueba tú" section, captions and watched
 * names.  cmd-check.c runs the scenarios.  Layer: lesson; lessons/FORMAT.md
 * is the author's side of this file.
 */
#include "config.h"

#include "lesson/lesson.h"

#include <cmark.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lesson/internal.h"

#define LESSON_MAX_SEEDS 1000
#define LESSON_MAX_CORES 64
#define LESSON_PRUEBA "Prueba tú"

/* What the schema walk needs; on lesson_parse's stack. */
struct ctx {
    const char *path;
    struct diag *d;
};

static const char *const top_keys[] = {
    "title", "order", "chapter", "summary", "scenarios", NULL
};
static const char *const scenario_keys[] = {
    "file", "block", "title", "policy", "seed", "cores", "watch", "python",
    "expect", NULL
};
static const char *const expect_keys[] = {
    "output", "outcomes", "seeds", "deadlock", "exit", NULL
};

static void fail(struct ctx *c, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
fail(struct ctx *c, int line, int col, const char *fmt, ...)
{
    va_list ap;
    char msg[sizeof c->d->msg];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set_at(c->d, c->path, line, col, "%s", msg);
}

static const char *
kind_name(const struct lesson_fm_node *n)
{
    switch (n->kind) {
    case LESSON_FM_MAP: return _("keys");
    case LESSON_FM_LIST: return _("a list");
    case LESSON_FM_STR: return _("a string");
    case LESSON_FM_INT: return _("an integer");
    case LESSON_FM_BOOL: return _("a boolean");
    }
    return "?";
}

/* ---- typed values -------------------------------------------------------- */

/* Every key of map is in keys; 0, or -1 with the error set. */
static int
check_keys(struct ctx *c, const struct lesson_fm_node *map,
           const char *const *keys)
{
    for (size_t i = 0; i < map->nentries; i++) {
        const struct lesson_fm_entry *e = &map->entries[i];
        size_t k;
        struct str list;

        for (k = 0; keys[k] != NULL; k++) {
            if (strcmp(keys[k], e->key) == 0) {
                break;
            }
        }
        if (keys[k] != NULL) {
            continue;
        }
        str_init(&list);
        for (k = 0; keys[k] != NULL; k++) {
            str_addf(&list, "%s%s", k ? ", " : "", keys[k]);
        }
        fail(c, e->line, e->col, _("expected one of the keys %s; found "
                                   "'%s'"), list.p, e->key);
        str_fini(&list);
        return -1;
    }
    return 0;
}

static const struct lesson_fm_entry *
get(const struct lesson_fm_node *map, const char *key)
{
    for (size_t i = 0; i < map->nentries; i++) {
        if (strcmp(map->entries[i].key, key) == 0) {
            return &map->entries[i];
        }
    }
    return NULL;
}

/* A string value (quoted, or plain and unambiguous).  New string in *out. */
static int
want_str(struct ctx *c, const struct lesson_fm_entry *e, char **out)
{
    const struct lesson_fm_node *v = e->value;

    if (v->kind == LESSON_FM_STR && v->ambiguous) {
        fail(c, v->line, v->col, _("expected a string for '%s': write "
                                   "\"%s\" in quotes (YAML reads it "
                                   "otherwise)"), e->key, v->str);
        return -1;
    }
    if (v->kind != LESSON_FM_STR) {
        fail(c, v->line, v->col, _("expected a string for '%s', found %s"),
             e->key, kind_name(v));
        return -1;
    }
    *out = xstrdup(v->str);
    return 0;
}

/* A string with something in it. */
static int
want_text(struct ctx *c, const struct lesson_fm_entry *e, char **out)
{
    if (want_str(c, e, out) < 0) {
        return -1;
    }
    for (const char *s = *out; *s != '\0'; s++) {
        if (!isspace((unsigned char)*s)) {
            return 0;
        }
    }
    fail(c, e->value->line, e->value->col, _("expected some text for '%s', "
                                             "found an empty string"),
         e->key);
    free(*out);
    *out = NULL;
    return -1;
}

static int
want_int(struct ctx *c, const struct lesson_fm_entry *e, int64_t min,
         int64_t max, int64_t *out)
{
    const struct lesson_fm_node *v = e->value;

    if (v->kind != LESSON_FM_INT) {
        fail(c, v->line, v->col, _("expected an integer for '%s', found %s"),
             e->key, kind_name(v));
        return -1;
    }
    if (v->num < min || v->num > max) {
        fail(c, v->line, v->col, _("expected an integer from %lld to %lld "
                                   "for '%s', found %lld"),
             (long long)min, (long long)max, e->key, (long long)v->num);
        return -1;
    }
    *out = v->num;
    return 0;
}

/* A list of strings: a flow list or "- " items.  New array in *out. */
static int
want_str_list(struct ctx *c, const struct lesson_fm_entry *e, char ***out,
              size_t *n)
{
    const struct lesson_fm_node *v = e->value;

    if (v->kind != LESSON_FM_LIST) {
        fail(c, v->line, v->col, _("expected a list for '%s', like [\"a\", "
                                   "\"b\"]; found %s"), e->key,
             kind_name(v));
        return -1;
    }
    *out = xcalloc(v->nitems, sizeof **out);
    *n = 0;
    for (size_t i = 0; i < v->nitems; i++) {
        const struct lesson_fm_node *it = v->items[i];

        if (it->kind != LESSON_FM_STR || it->ambiguous) {
            fail(c, it->line, it->col, _("expected a string in the list "
                                         "'%s': write \"%s\" in quotes"),
                 e->key, it->str != NULL ? it->str : "...");
            return -1;
        }
        (*out)[(*n)++] = xstrdup(it->str);
    }
    return 0;
}

/* Letters, digits, '_' and any non-ASCII byte (Python 3 names may be
 * Unicode: año). */
static bool
is_ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

static bool
is_identifier(const char *s)
{
    if (*s == '\0' || isdigit((unsigned char)*s)) {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (!is_ident_char(*s)) {
            return false;
        }
    }
    return true;
}

/* "gil", "fifo", "preempt" or "rr:N" with 1 <= N <= 1000000: what
 * `telar run --policy` takes (src/sched/policy-*.c). */
static bool
is_policy(const char *s)
{
    if (strcmp(s, "gil") == 0 || strcmp(s, "fifo") == 0
        || strcmp(s, "preempt") == 0) {
        return true;
    }
    if (strncmp(s, "rr:", 3) == 0 && s[3] >= '1' && s[3] <= '9') {
        char *end;
        long n;

        errno = 0;
        n = strtol(s + 3, &end, 10);
        return errno == 0 && *end == '\0' && n <= 1000000;
    }
    return false;
}

/* ---- scenarios ----------------------------------------------------------- */

static int
parse_expect(struct ctx *c, const struct lesson_fm_entry *ent,
             struct lesson_expect *x)
{
    const struct lesson_fm_node *m = ent->value;
    const struct lesson_fm_entry *e;
    int64_t v;

    x->pos.line = ent->line;
    x->pos.col = ent->col;
    if (m->kind != LESSON_FM_MAP) {
        fail(c, m->line, m->col, _("expected keys under 'expect:' (output, "
                                   "outcomes, deadlock or exit), found %s"),
             kind_name(m));
        return -1;
    }
    if (check_keys(c, m, expect_keys) < 0) {
        return -1;
    }
    if ((e = get(m, "output")) != NULL && want_str(c, e, &x->output) < 0) {
        return -1;
    }
    if ((e = get(m, "outcomes")) != NULL) {
        if (x->output != NULL) {
            fail(c, e->line, e->col, _("expected either 'output' or "
                                       "'outcomes', not both"));
            return -1;
        }
        if (want_str_list(c, e, &x->outcomes, &x->noutcomes) < 0) {
            return -1;
        }
        if (x->noutcomes == 0) {
            fail(c, e->value->line, e->value->col,
                 _("expected at least one outcome"));
            return -1;
        }
        for (size_t i = 0; i < x->noutcomes; i++) {
            for (size_t k = 0; k < i; k++) {
                if (strcmp(x->outcomes[i], x->outcomes[k]) == 0) {
                    fail(c, e->value->items[i]->line,
                         e->value->items[i]->col,
                         _("expected each outcome once"));
                    return -1;
                }
            }
        }
        if ((e = get(m, "seeds")) == NULL) {
            fail(c, m->line, m->col, _("expected 'seeds: N' beside "
                                       "'outcomes': how many seeds to "
                                       "run"));
            return -1;
        }
        if (want_int(c, e, 1, LESSON_MAX_SEEDS, &v) < 0) {
            return -1;
        }
        x->seeds = (int)v;
    } else if ((e = get(m, "seeds")) != NULL) {
        fail(c, e->line, e->col, _("expected 'seeds' only beside "
                                   "'outcomes'"));
        return -1;
    }
    if ((e = get(m, "deadlock")) != NULL) {
        if (e->value->kind != LESSON_FM_BOOL) {
            fail(c, e->value->line, e->value->col,
                 _("expected true for 'deadlock', found %s"),
                 kind_name(e->value));
            return -1;
        }
        if (!e->value->truth) {
            fail(c, e->value->line, e->value->col,
                 _("expected true for 'deadlock'; leave the key out when "
                   "the scenario does not deadlock"));
            return -1;
        }
        x->deadlock = true;
    }
    if ((e = get(m, "exit")) != NULL) {
        if (x->deadlock) {
            fail(c, e->line, e->col, _("expected either 'deadlock' or "
                                       "'exit', not both: a deadlock "
                                       "exits with status 3"));
            return -1;
        }
        if (want_int(c, e, 0, 255, &v) < 0) {
            return -1;
        }
        x->has_exit = true;
        x->exit_status = (int)v;
    }
    if (x->output == NULL && x->noutcomes == 0 && !x->deadlock
        && !x->has_exit) {
        fail(c, m->line, m->col, _("expected one of output, outcomes, "
                                   "deadlock or exit under 'expect:'"));
        return -1;
    }
    return 0;
}

static int
parse_scenario(struct ctx *c, const struct lesson_fm_node *m,
               struct lesson_scenario *sc)
{
    const struct lesson_fm_entry *e, *file, *block;
    int64_t v;
    char *s;

    sc->pos.line = m->line;
    sc->pos.col = m->col;
    if (m->kind != LESSON_FM_MAP) {
        fail(c, m->line, m->col, _("expected a scenario (file: or block:, "
                                   "title:, expect:...), found %s"),
             kind_name(m));
        return -1;
    }
    if (check_keys(c, m, scenario_keys) < 0) {
        return -1;
    }
    file = get(m, "file");
    block = get(m, "block");
    if (file == NULL && block == NULL) {
        fail(c, m->line, m->col, _("expected 'file' or 'block' in this "
                                   "scenario"));
        return -1;
    }
    if (file != NULL && block != NULL) {
        e = file->line > block->line ? file : block;
        fail(c, e->line, e->col, _("expected either 'file' or 'block' in a "
                                   "scenario, not both"));
        return -1;
    }
    e = file != NULL ? file : block;
    sc->src_pos.line = e->value->line;
    sc->src_pos.col = e->value->col;
    if (file != NULL) {
        size_t n;

        if (want_text(c, file, &sc->file) < 0) {
            return -1;
        }
        n = strlen(sc->file);
        if (strchr(sc->file, '/') != NULL || sc->file[0] == '.' || n < 4
            || strcmp(sc->file + n - 3, ".py") != 0) {
            fail(c, sc->src_pos.line, sc->src_pos.col,
                 _("expected the name of a .py file beside the lesson, "
                   "found '%s'"), sc->file);
            return -1;
        }
    } else {
        if (want_text(c, block, &sc->block) < 0) {
            return -1;
        }
        for (s = sc->block; *s != '\0'; s++) {
            if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') {
                fail(c, sc->src_pos.line, sc->src_pos.col,
                     _("expected a block id (letters, digits, '_' and "
                       "'-'), found '%s'"), sc->block);
                return -1;
            }
        }
    }
    if ((e = get(m, "title")) == NULL) {
        fail(c, m->line, m->col, _("expected 'title' in this scenario"));
        return -1;
    }
    if (want_text(c, e, &sc->title) < 0) {
        return -1;
    }
    if ((e = get(m, "policy")) != NULL) {
        if (want_str(c, e, &sc->policy) < 0) {
            return -1;
        }
        if (!is_policy(sc->policy)) {
            fail(c, e->value->line, e->value->col,
                 _("expected a policy: gil, fifo, preempt or rr:N; found "
                   "'%s'"), sc->policy);
            return -1;
        }
    } else {
        sc->policy = xstrdup("gil");
    }
    if ((e = get(m, "seed")) != NULL) {
        if (want_int(c, e, 0, INT64_MAX, &v) < 0) {
            return -1;
        }
        sc->seed = (uint64_t)v;
    }
    if ((e = get(m, "cores")) != NULL) {
        if (want_int(c, e, 1, LESSON_MAX_CORES, &v) < 0) {
            return -1;
        }
        sc->cores = (int)v;
    }
    if ((e = get(m, "watch")) != NULL) {
        sc->watch_pos.line = e->value->line;
        sc->watch_pos.col = e->value->col;
        if (want_str_list(c, e, &sc->watch, &sc->nwatch) < 0) {
            return -1;
        }
        for (size_t i = 0; i < sc->nwatch; i++) {
            if (!is_identifier(sc->watch[i])) {
                fail(c, e->value->items[i]->line, e->value->items[i]->col,
                     _("expected a Python variable name to watch, found "
                       "'%s'"), sc->watch[i]);
                return -1;
            }
        }
    }
    if ((e = get(m, "python")) != NULL) {
        if (want_str(c, e, &s) < 0) {
            return -1;
        }
        if (strcmp(s, "same") == 0) {
            sc->python = LESSON_PYTHON_SAME;
        } else if (strcmp(s, "differs") == 0) {
            sc->python = LESSON_PYTHON_DIFFERS;
        } else {
            fail(c, e->value->line, e->value->col,
                 _("expected 'same' or 'differs' for 'python', found "
                   "'%s'"), s);
            free(s);
            return -1;
        }
        free(s);
    }
    if ((e = get(m, "expect")) == NULL) {
        fail(c, m->line, m->col, _("expected 'expect' in this scenario: "
                                   "what running it must give"));
        return -1;
    }
    if (parse_expect(c, e, &sc->expect) < 0) {
        return -1;
    }
    if (sc->python == LESSON_PYTHON_SAME && sc->expect.output == NULL) {
        e = get(m, "python");
        fail(c, e->value->line, e->value->col,
             _("expected 'output' under 'expect:' with 'python: same'"));
        return -1;
    }
    return 0;
}

static int
parse_front(struct ctx *c, const struct lesson_fm_node *root,
            struct lesson *l)
{
    const struct lesson_fm_entry *e;
    int64_t v;

    if (check_keys(c, root, top_keys) < 0) {
        return -1;
    }
    for (size_t i = 0; top_keys[i] != NULL; i++) {
        if (strcmp(top_keys[i], "scenarios") != 0
            && get(root, top_keys[i]) == NULL) {
            fail(c, 1, 1, _("expected the key '%s' in the front matter"),
                 top_keys[i]);
            return -1;
        }
    }
    e = get(root, "title");
    l->title_pos.line = e->value->line;
    l->title_pos.col = e->value->col;
    if (want_text(c, e, &l->title) < 0) {
        return -1;
    }
    e = get(root, "order");
    l->order_pos.line = e->value->line;
    l->order_pos.col = e->value->col;
    if (want_int(c, e, 1, 999, &v) < 0) {
        return -1;
    }
    l->order = (int)v;
    e = get(root, "chapter");
    l->chapter_pos.line = e->value->line;
    l->chapter_pos.col = e->value->col;
    if (want_text(c, e, &l->chapter) < 0) {
        return -1;
    }
    if (strchr(l->chapter, '/') != NULL) {
        fail(c, e->value->line, e->value->col, _("expected a chapter "
                                                 "folder name like "
                                                 "06_Multithreading, "
                                                 "found '%s'"), l->chapter);
        return -1;
    }
    if (want_text(c, get(root, "summary"), &l->summary) < 0) {
        return -1;
    }
    if ((e = get(root, "scenarios")) == NULL) {
        return 0;
    }
    if (e->value->kind != LESSON_FM_LIST) {
        fail(c, e->value->line, e->value->col,
             _("expected a list of scenarios ('- file: ...' lines), "
               "found %s"), kind_name(e->value));
        return -1;
    }
    l->scenarios = xcalloc(e->value->nitems, sizeof *l->scenarios);
    for (size_t i = 0; i < e->value->nitems; i++) {
        l->nscenarios++;
        if (parse_scenario(c, e->value->items[i], &l->scenarios[i]) < 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- the body ------------------------------------------------------------ */

/* Byte offsets of the starts of the lines of the file; on parse's stack. */
struct line_index {
    const char *text;
    size_t len;
    const char **starts;
    size_t n;
};

static void
line_index_init(struct line_index *li, const char *text, size_t len)
{
    size_t cap = 64;

    li->text = text;
    li->len = len;
    li->starts = xmalloc(cap * sizeof *li->starts);
    li->n = 0;
    li->starts[li->n++] = text;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            if (li->n == cap) {
                cap *= 2;
                li->starts = xrealloc(li->starts, cap * sizeof *li->starts);
            }
            li->starts[li->n++] = text + i + 1;
        }
    }
}

/* The line and character column of the byte at p. */
static void
pos_of(const struct line_index *li, const char *p, int *line, int *col)
{
    size_t k = 0;

    while (k + 1 < li->n && li->starts[k + 1] <= p) {
        k++;
    }
    *line = (int)k + 1;
    *col = lesson__col(li->starts[k], p);
}

/* The character column of byte column bcol (from 1) on file line line. */
static int
char_col(const struct line_index *li, int line, int bcol)
{
    const char *start, *end;

    if (line < 1 || (size_t)line > li->n || bcol < 1) {
        return bcol < 1 ? 1 : bcol;
    }
    start = li->starts[line - 1];
    end = (size_t)line < li->n ? li->starts[line] : li->text + li->len;
    if (start + bcol - 1 > end) {
        return bcol;
    }
    return lesson__col(start, start + bcol - 1);
}

/* The text of a heading: its text and code spans, joined. */
static void
heading_text(cmark_node *n, struct str *out)
{
    for (cmark_node *ch = cmark_node_first_child(n); ch != NULL;
         ch = cmark_node_next(ch)) {
        cmark_node_type t = cmark_node_get_type(ch);

        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
            str_adds(out, cmark_node_get_literal(ch));
        } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            str_addc(out, ' ');
        } else {
            heading_text(ch, out);
        }
    }
}

/* "python {#id run}": the language, then attributes in braces. */
static int
parse_info(struct ctx *c, const char *info, struct lesson_block *b)
{
    const char *s = info, *w;

    while (*s == ' ' || *s == '\t') {
        s++;
    }
    for (w = s; *s != '\0' && *s != ' ' && *s != '\t' && *s != '{'; s++) {
        continue;
    }
    b->lang = xasprintf("%.*s", (int)(s - w), w);
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    if (*s == '\0') {
        return 0;
    }
    if (*s != '{') {
        fail(c, b->pos.line, b->pos.col, _("expected '{#id run}' after the "
                                           "language of the code block, "
                                           "found '%s'"), s);
        return -1;
    }
    s++;
    for (;;) {
        while (*s == ' ' || *s == '\t') {
            s++;
        }
        if (*s == '}') {
            break;
        }
        if (*s == '\0') {
            fail(c, b->pos.line, b->pos.col, _("expected '}' to close the "
                                               "attributes of the code "
                                               "block"));
            return -1;
        }
        for (w = s; *s != '\0' && *s != ' ' && *s != '\t' && *s != '}';
             s++) {
            continue;
        }
        if (*w == '#' && s - w > 1) {
            if (b->id != NULL) {
                fail(c, b->pos.line, b->pos.col, _("expected one '#id' per "
                                                   "code block"));
                return -1;
            }
            b->id = xasprintf("%.*s", (int)(s - w - 1), w + 1);
            for (const char *q = b->id; *q != '\0'; q++) {
                if (!isalnum((unsigned char)*q) && *q != '_' && *q != '-') {
                    fail(c, b->pos.line, b->pos.col,
                         _("expected a block id of letters, digits, '_' "
                           "and '-', found '%s'"), b->id);
                    return -1;
                }
            }
        } else if (s - w == 3 && strncmp(w, "run", 3) == 0) {
            b->run = true;
        } else {
            fail(c, b->pos.line, b->pos.col, _("expected '#id' or 'run' in "
                                               "the braces of the code "
                                               "block, found '%.*s'"),
                 (int)(s - w), w);
            return -1;
        }
    }
    if (s[1] != '\0') {
        fail(c, b->pos.line, b->pos.col, _("expected nothing after '}' in "
                                           "the info string of the code "
                                           "block"));
        return -1;
    }
    if (b->run && b->id == NULL) {
        fail(c, b->pos.line, b->pos.col, _("expected '#id' beside 'run': a "
                                           "scenario names the block by "
                                           "its id"));
        return -1;
    }
    if (b->run && strcmp(b->lang, "python") != 0) {
        fail(c, b->pos.line, b->pos.col, _("expected 'python' as the "
                                           "language of a runnable block, "
                                           "found '%s'"), b->lang);
        return -1;
    }
    return 0;
}

/* Walks the body: blocks, headings.  0 or -1. */
static int
walk_body(struct ctx *c, struct lesson *l, const struct line_index *li)
{
    cmark_iter *it = cmark_iter_new(l->doc);
    cmark_event_type ev;
    size_t cap = 0;
    int prueba_line = 0, rc = -1;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        int line, col;

        if (ev != CMARK_EVENT_ENTER) {
            continue;
        }
        if (t != CMARK_NODE_CODE_BLOCK && t != CMARK_NODE_HEADING) {
            continue;
        }
        line = l->body_line + cmark_node_get_start_line(n) - 1;
        col = char_col(li, line, cmark_node_get_start_column(n));
        if (t == CMARK_NODE_CODE_BLOCK) {
            struct lesson_block *b;

            if (l->nblocks == cap) {
                cap = cap ? cap * 2 : 8;
                l->blocks = xrealloc(l->blocks, cap * sizeof *l->blocks);
            }
            b = &l->blocks[l->nblocks++];
            memset(b, 0, sizeof *b);
            b->pos.line = line;
            b->pos.col = col;
            b->text = xstrdup(cmark_node_get_literal(n) != NULL
                              ? cmark_node_get_literal(n) : "");
            if (parse_info(c, cmark_node_get_fence_info(n) != NULL
                           ? cmark_node_get_fence_info(n) : "", b) < 0) {
                goto out;
            }
            for (size_t i = 0; b->id != NULL && i + 1 < l->nblocks; i++) {
                if (l->blocks[i].id != NULL
                    && strcmp(l->blocks[i].id, b->id) == 0) {
                    fail(c, line, col, _("expected each block id once: "
                                         "'%s' is already at line %d"),
                         b->id, l->blocks[i].pos.line);
                    goto out;
                }
            }
        } else {
            int level = cmark_node_get_heading_level(n);
            struct str text;
            cmark_node *next;

            if (level == 1) {
                fail(c, line, col, _("expected sections as '##' headings: "
                                     "the title comes from the front "
                                     "matter"));
                goto out;
            }
            str_init(&text);
            heading_text(n, &text);
            /* "Prueba tu", "PRUEBA TÚ": the section meant, misspelt. */
            if (strcmp(text.p, LESSON_PRUEBA) != 0
                && strncasecmp(text.p, "prueba t", 8) == 0
                && strlen(text.p) <= strlen(LESSON_PRUEBA)) {
                fail(c, line, col, _("expected the heading '## %s', found "
                                     "'%s'"), LESSON_PRUEBA, text.p);
                str_fini(&text);
                goto out;
            }
            if (strcmp(text.p, LESSON_PRUEBA) == 0) {
                str_fini(&text);
                if (level != 2) {
                    fail(c, line, col, _("expected '## %s' as a level-2 "
                                         "heading"), LESSON_PRUEBA);
                    goto out;
                }
                if (prueba_line != 0) {
                    fail(c, line, col, _("expected one '## %s' section; "
                                         "the first is at line %d"),
                         LESSON_PRUEBA, prueba_line);
                    goto out;
                }
                prueba_line = line;
                next = cmark_node_next(n);
                if (next == NULL
                    || cmark_node_get_type(next) == CMARK_NODE_HEADING) {
                    fail(c, line, col, _("expected exercises under '## "
                                         "%s'"), LESSON_PRUEBA);
                    goto out;
                }
            } else {
                str_fini(&text);
            }
        }
    }
    if (prueba_line == 0) {
        fail(c, (int)li->n, 1, _("expected a '## %s' section with "
                                 "exercises"), LESSON_PRUEBA);
        goto out;
    }
    rc = 0;
out:
    cmark_iter_free(it);
    return rc;
}

/* Scenarios name runnable blocks that exist; runnable blocks have a
 * scenario. */
static int
check_blocks(struct ctx *c, const struct lesson *l)
{
    for (size_t i = 0; i < l->nscenarios; i++) {
        const struct lesson_scenario *sc = &l->scenarios[i];
        const struct lesson_block *b;

        if (sc->block == NULL) {
            continue;
        }
        if ((b = lesson_block_find(l, sc->block)) == NULL) {
            fail(c, sc->src_pos.line, sc->src_pos.col,
                 _("expected a code block marked {#%s run} in the lesson; "
                   "there is none"), sc->block);
            return -1;
        }
        if (!b->run) {
            fail(c, sc->src_pos.line, sc->src_pos.col,
                 _("expected the block '%s' (line %d) to be marked run: "
                   "```python {#%s run}"), sc->block, b->pos.line,
                 sc->block);
            return -1;
        }
    }
    for (size_t i = 0; i < l->nblocks; i++) {
        const struct lesson_block *b = &l->blocks[i];
        size_t k;

        if (!b->run) {
            continue;
        }
        for (k = 0; k < l->nscenarios; k++) {
            if (l->scenarios[k].block != NULL
                && strcmp(l->scenarios[k].block, b->id) == 0) {
                break;
            }
        }
        if (k == l->nscenarios) {
            fail(c, b->pos.line, b->pos.col,
                 _("expected a scenario for the runnable block '%s': add "
                   "'- block: %s' under scenarios"), b->id, b->id);
            return -1;
        }
    }
    return 0;
}

/* ---- public -------------------------------------------------------------- */

/* Finds the closing "---" line; the line number of the first line after the
 * opening one is 2.  Returns the offset of the closing line, or -1. */
static long
find_close(const char *text, size_t len, int *close_line)
{
    size_t i = 4;
    int line = 2;

    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl != NULL ? (size_t)(nl - text) : len;

        if (e - i == 3 && memcmp(text + i, "---", 3) == 0) {
            *close_line = line;
            return (long)i;
        }
        i = e + 1;
        line++;
    }
    return -1;
}

struct lesson *
lesson_parse(const char *path, const char *text, size_t len, struct diag *d)
{
    struct ctx c = { path, d };
    struct lesson *l = xcalloc(1, sizeof *l);
    struct lesson_fm_node *root = NULL;
    struct line_index li = { 0 };
    const char *bad, *body;
    long close;
    int close_line = 0, line, col;

    l->path = xstrdup(path);
    line_index_init(&li, text, len);
    if ((bad = memchr(text, '\0', len)) != NULL) {
        pos_of(&li, bad, &line, &col);
        fail(&c, line, col, _("expected text, found a NUL byte"));
        goto error;
    }
    if ((bad = lesson__bad_utf8(text, len)) != NULL) {
        pos_of(&li, bad, &line, &col);
        fail(&c, line, col, _("expected UTF-8 text, found the byte 0x%02x"),
             (unsigned char)*bad);
        goto error;
    }
    if (len < 4 || memcmp(text, "---\n", 4) != 0) {
        fail(&c, 1, 1, _("expected '---' alone on the first line, to open "
                         "the front matter"));
        goto error;
    }
    if ((close = find_close(text, len, &close_line)) < 0) {
        fail(&c, (int)li.n, 1, _("expected a line '---' to close the front "
                                 "matter opened at line 1"));
        goto error;
    }
    root = lesson__fm_parse(path, text + 4, (size_t)close - 4, 2, d);
    if (root == NULL || parse_front(&c, root, l) < 0) {
        goto error;
    }
    body = text + close + 3;
    if (body < text + len) {
        body++;                 /* the closing line's newline */
    }
    l->body_line = close_line + 1;
    l->doc = cmark_parse_document(body, (size_t)(text + len - body),
                                  CMARK_OPT_DEFAULT);
    if (walk_body(&c, l, &li) < 0 || check_blocks(&c, l) < 0) {
        goto error;
    }
    lesson__fm_free(root);
    free(li.starts);
    return l;
error:
    lesson__fm_free(root);
    free(li.starts);
    lesson_free(l);
    return NULL;
}

char *
lesson_read_file(const char *path, size_t *len, struct diag *d)
{
    FILE *f = fopen(path, "rb");
    struct str s;
    char buf[8192];
    size_t n;
    struct stat st;

    if (f == NULL) {
        diag_set_at(d, path, 0, 0, "%s", strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        diag_set_at(d, path, 0, 0, "%s", strerror(EISDIR));
        return NULL;
    }
    str_init(&s);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        str_add(&s, buf, n);
    }
    if (ferror(f)) {
        diag_set_at(d, path, 0, 0, "%s", strerror(errno));
        fclose(f);
        str_fini(&s);
        return NULL;
    }
    fclose(f);
    *len = s.len;
    return s.p;
}

char *
lesson_dir(const struct lesson *l)
{
    const char *slash = strrchr(l->path, '/');

    if (slash == NULL) {
        return xstrdup(".");
    }
    if (slash == l->path) {
        return xstrdup("/");
    }
    return xasprintf("%.*s", (int)(slash - l->path), l->path);
}

struct lesson *
lesson_load(const char *path, struct diag *d)
{
    struct lesson *l;
    char *text, *dir;
    size_t len;

    if ((text = lesson_read_file(path, &len, d)) == NULL) {
        return NULL;
    }
    l = lesson_parse(path, text, len, d);
    free(text);
    if (l == NULL) {
        return NULL;
    }
    dir = lesson_dir(l);
    for (size_t i = 0; i < l->nscenarios; i++) {
        const struct lesson_scenario *sc = &l->scenarios[i];
        const char *why;
        char *p;
        struct stat st;

        if (sc->file == NULL) {
            continue;
        }
        p = xasprintf("%s/%s", dir, sc->file);
        why = NULL;
        if (stat(p, &st) < 0) {
            why = strerror(errno);
        } else if (!S_ISREG(st.st_mode)) {
            why = _("not a regular file");
        }
        if (why != NULL) {
            diag_set_at(d, path, sc->src_pos.line, sc->src_pos.col,
                        _("expected a file '%s' beside the lesson: %s"),
                        sc->file, why);
            free(p);
            free(dir);
            lesson_free(l);
            return NULL;
        }
        free(p);
    }
    free(dir);
    return l;
}

const struct lesson_block *
lesson_block_find(const struct lesson *l, const char *id)
{
    for (size_t i = 0; i < l->nblocks; i++) {
        if (l->blocks[i].id != NULL && strcmp(l->blocks[i].id, id) == 0) {
            return &l->blocks[i];
        }
    }
    return NULL;
}

char *
lesson_scenario_source(const struct lesson *l,
                       const struct lesson_scenario *sc, size_t *len,
                       struct diag *d)
{
    char *dir, *p, *text;
    const struct lesson_block *b;

    if (sc->block != NULL) {
        if ((b = lesson_block_find(l, sc->block)) == NULL) {
            diag_set_at(d, l->path, sc->src_pos.line, sc->src_pos.col,
                        _("expected a code block marked {#%s run}"),
                        sc->block);
            return NULL;
        }
        *len = strlen(b->text);
        return xstrdup(b->text);
    }
    dir = lesson_dir(l);
    p = xasprintf("%s/%s", dir, sc->file);
    text = lesson_read_file(p, len, d);
    free(p);
    free(dir);
    return text;
}

/* Does the identifier name occur as a whole word in src? */
static bool
has_word(const char *src, const char *name)
{
    size_t n = strlen(name);

    for (const char *s = strstr(src, name); s != NULL;
         s = strstr(s + 1, name)) {
        if ((s == src || !is_ident_char(s[-1])) && !is_ident_char(s[n])) {
            return true;
        }
    }
    return false;
}

int
lesson_check_source(const struct lesson *l,
                    const struct lesson_scenario *sc, const char *src,
                    const char *name, int first_line, struct diag *d)
{
    const char *s = src;
    int line = first_line;

    while (*s != '\0') {
        const char *e = strchr(s, '\n'), *cap;

        if (e == NULL) {
            e = s + strlen(s);
        }
        cap = strstr(s, "#telar:");
        if (cap != NULL && cap < e) {
            diag_set_at(d, name, line, lesson__col(s, cap),
                        _("expected '# telar: ' with a space after '#'"));
            return -1;
        }
        cap = strstr(s, "# telar:");
        if (cap != NULL && cap < e) {
            const char *t = cap + 8;

            while (t < e && (*t == ' ' || *t == '\t')) {
                t++;
            }
            if (t == e) {
                diag_set_at(d, name, line, lesson__col(s, cap),
                            _("expected a caption after '# telar:'"));
                return -1;
            }
        }
        s = *e != '\0' ? e + 1 : e;
        line++;
    }
    for (size_t i = 0; i < sc->nwatch; i++) {
        if (!has_word(src, sc->watch[i])) {
            diag_set_at(d, l->path, sc->watch_pos.line, sc->watch_pos.col,
                        _("expected the watched name '%s' in the "
                          "scenario's code"), sc->watch[i]);
            return -1;
        }
    }
    return 0;
}

static void
free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
}

void
lesson_free(struct lesson *l)
{
    if (l == NULL) {
        return;
    }
    for (size_t i = 0; i < l->nscenarios; i++) {
        struct lesson_scenario *sc = &l->scenarios[i];

        free(sc->file);
        free(sc->block);
        free(sc->title);
        free(sc->policy);
        free_strv(sc->watch, sc->nwatch);
        free(sc->expect.output);
        free_strv(sc->expect.outcomes, sc->expect.noutcomes);
    }
    free(l->scenarios);
    for (size_t i = 0; i < l->nblocks; i++) {
        free(l->blocks[i].lang);
        free(l->blocks[i].id);
        free(l->blocks[i].text);
    }
    free(l->blocks);
    if (l->doc != NULL) {
        cmark_node_free(l->doc);
    }
    free(l->path);
    free(l->title);
    free(l->chapter);
    free(l->summary);
    free(l);
}
