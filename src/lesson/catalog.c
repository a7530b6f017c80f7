/*
 * Reads lessons/catalog.txt: a chapter per unindented line, its lessons on
 * the indented lines below it, fields separated by '|'.  catalog.h has the
 * structures, lessons/FORMAT.md the format.  Layer: lesson.
 */
#include "config.h"

#include "lesson/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "lesson/internal.h"
#include "lesson/lesson.h"

#define CATALOG_MAX_FIELDS 4

/* One field of a line: the bytes [s, e), trimmed. */
struct field {
    const char *s, *e;
};

static char *
field_dup(const struct field *f)
{
    return xasprintf("%.*s", (int)(f->e - f->s), f->s);
}

static bool
field_is(const struct field *f, const char *word)
{
    size_t n = strlen(word);

    return (size_t)(f->e - f->s) == n && memcmp(f->s, word, n) == 0;
}

/* Splits [s, e) at '|' into at most max trimmed fields; returns how many
 * there were (max + 1 when there are more). */
static size_t
split_fields(const char *s, const char *e, struct field *f, size_t max)
{
    size_t n = 0;

    for (;;) {
        const char *bar = memchr(s, '|', (size_t)(e - s));
        const char *fe = bar != NULL ? bar : e;

        if (n == max) {
            return max + 1;
        }
        while (s < fe && (*s == ' ' || *s == '\t')) {
            s++;
        }
        f[n].s = s;
        while (fe > s && (fe[-1] == ' ' || fe[-1] == '\t')) {
            fe--;
        }
        f[n].e = fe;
        n++;
        if (bar == NULL) {
            return n;
        }
        s = bar + 1;
    }
}

/* Letters, digits, '_' and UTF-8 (the curriculum has diseño_pipelines). */
static bool
is_name(const struct field *f)
{
    if (f->s == f->e) {
        return false;
    }
    for (const char *q = f->s; q < f->e; q++) {
        unsigned char c = (unsigned char)*q;

        if (!(c >= 0x80 || c == '_' || (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return false;
        }
    }
    return true;
}

static void
fail(struct diag *d, const char *path, int line, const char *lstart,
     const char *at, const char *msg)
{
    diag_set_at(d, path, line, lesson__col(lstart, at), "%s", msg);
}

struct catalog *
catalog_parse(const char *path, const char *text, size_t len, struct diag *d)
{
    struct catalog *c = xcalloc(1, sizeof *c);
    const char *s = text, *end = text + len, *bad;
    size_t capc = 0, capl = 0;
    int line = 1;

    c->path = xstrdup(path);
    if ((bad = memchr(text, '\0', len)) != NULL
        || (bad = lesson__bad_utf8(text, len)) != NULL) {
        /* Find the line for the message. */
        const char *ls = text;

        for (const char *q = text; q < bad; q++) {
            if (*q == '\n') {
                line++;
                ls = q + 1;
            }
        }
        fail(d, path, line, ls, bad, _("expected UTF-8 text"));
        goto error;
    }
    for (; s < end; line++) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        const char *b = s;
        struct field f[CATALOG_MAX_FIELDS + 1];
        size_t n;

        if (e == NULL) {
            e = end;
        }
        while (b < e && (*b == ' ' || *b == '\t')) {
            b++;
        }
        if (b == e || *b == '#') {
            s = e + (e < end);
            continue;
        }
        if (b == s) {
            struct catalog_chapter *ch;

            n = split_fields(b, e, f, 2);
            if (n != 2 || !is_name(&f[0]) || f[1].s == f[1].e) {
                fail(d, path, line, s, b, _("expected a chapter: 'FOLDER | "
                                            "Title'"));
                goto error;
            }
            for (size_t i = 0; i < c->nchapters; i++) {
                if (field_is(&f[0], c->chapters[i].id)) {
                    fail(d, path, line, s, b, _("expected each chapter "
                                                "once"));
                    goto error;
                }
            }
            if (c->nchapters == capc) {
                capc = capc ? capc * 2 : 16;
                c->chapters = xrealloc(c->chapters,
                                       capc * sizeof *c->chapters);
            }
            ch = &c->chapters[c->nchapters++];
            ch->id = field_dup(&f[0]);
            ch->title = field_dup(&f[1]);
            ch->line = line;
            ch->first = c->nlessons;
            ch->nlessons = 0;
        } else {
            struct catalog_chapter *ch;
            struct catalog_lesson *le;
            struct field name;

            if (c->nchapters == 0) {
                fail(d, path, line, s, b, _("expected a chapter line "
                                            "(not indented) before the "
                                            "first lesson"));
                goto error;
            }
            ch = &c->chapters[c->nchapters - 1];
            n = split_fields(b, e, f, 4);
            if (n != 4) {
                fail(d, path, line, s, b, _("expected a lesson: 'FILE | "
                                            "written or todo | Title | "
                                            "Summary'"));
                goto error;
            }
            name = f[0];
            if (name.e - name.s > 3 && (memcmp(name.e - 3, ".md", 3) == 0
                                        || memcmp(name.e - 3, ".py", 3)
                                           == 0)) {
                name.e -= 3;
            }
            if (name.e == f[0].e || !is_name(&name)) {
                fail(d, path, line, s, f[0].s, _("expected the name of a "
                                                 ".md or .py file of the "
                                                 "curriculum"));
                goto error;
            }
            if (!field_is(&f[1], "written") && !field_is(&f[1], "todo")) {
                fail(d, path, line, s, f[1].s, _("expected 'written' or "
                                                 "'todo'"));
                goto error;
            }
            if (f[2].s == f[2].e || f[3].s == f[3].e) {
                fail(d, path, line, s, f[2].s == f[2].e ? f[2].s : f[3].s,
                     _("expected a title and a summary"));
                goto error;
            }
            if (c->nlessons == capl) {
                capl = capl ? capl * 2 : 64;
                c->lessons = xrealloc(c->lessons, capl * sizeof *c->lessons);
            }
            le = &c->lessons[c->nlessons];
            memset(le, 0, sizeof *le);
            le->chapter = xstrdup(ch->id);
            le->name = field_dup(&name);
            le->id = xasprintf("%s/%s", ch->id, le->name);
            le->entry = field_dup(&f[0]);
            le->from_py = f[0].e[-1] == 'y';
            le->written = field_is(&f[1], "written");
            le->title = field_dup(&f[2]);
            le->summary = field_dup(&f[3]);
            le->order = (int)ch->nlessons + 1;
            le->line = line;
            c->nlessons++;
            if (catalog_find(c, le->id) != le) {
                fail(d, path, line, s, f[0].s, _("expected each lesson "
                                                 "once"));
                goto error;
            }
            ch->nlessons++;
        }
        s = e + (e < end);
    }
    return c;
error:
    catalog_free(c);
    return NULL;
}

struct catalog *
catalog_load(const char *path, struct diag *d)
{
    struct catalog *c;
    size_t len;
    char *text = lesson_read_file(path, &len, d);

    if (text == NULL) {
        return NULL;
    }
    c = catalog_parse(path, text, len, d);
    free(text);
    return c;
}

const struct catalog_lesson *
catalog_find(const struct catalog *c, const char *id)
{
    for (size_t i = 0; i < c->nlessons; i++) {
        if (strcmp(c->lessons[i].id, id) == 0) {
            return &c->lessons[i];
        }
    }
    return NULL;
}

void
catalog_free(struct catalog *c)
{
    if (c == NULL) {
        return;
    }
    for (size_t i = 0; i < c->nchapters; i++) {
        free(c->chapters[i].id);
        free(c->chapters[i].title);
    }
    free(c->chapters);
    for (size_t i = 0; i < c->nlessons; i++) {
        struct catalog_lesson *le = &c->lessons[i];

        free(le->id);
        free(le->chapter);
        free(le->name);
        free(le->entry);
        free(le->title);
        free(le->summary);
    }
    free(c->lessons);
    free(c->path);
    free(c);
}
