/*
 * A learner's progress (lesson layer).  The file is plain UTF-8 text, one
 * record a line, fields separated by one tab:
 *
 *     # telar: lessons opened and scenarios run to their end
 *     telar-progress	1
 *     opened	06_Multithreading/race_conditions
 *     done	06_Multithreading/race_conditions	contador_2x2.py	preempt	31
 *
 * The first line that is not blank or a '#' comment must be the version
 * line, "telar-progress", a tab, "1".  Then "opened LESSON" says a lesson
 * was opened, and "done LESSON FILE POLICY SEED" that one of its
 * scenarios (FILE, or #ID for a runnable block, with that policy and seed:
 * what defines a run) ran to its end.  Blank lines and comments are
 * ignored; anything else is damage.  Records are written sorted, each
 * once.  A version other than 1 is a newer telar's file: left alone.
 */
#include "config.h"

#include "progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson/lesson.h"
#include "util/file.h"

#define PROGRESS_VERSION "1"
#define PROGRESS_MAGIC "telar-progress"

enum progress_state {
    PROGRESS_OK,                /* saving writes the file */
    PROGRESS_DAMAGED,           /* saving moves the old file aside first */
    PROGRESS_READONLY,          /* saving does nothing */
};

struct progress {
    char *path;                 /* NULL: memory only */
    char **opened;              /* lesson ids */
    size_t nopened;
    char **done;                /* "LESSON\tFILE\tPOLICY\tSEED" */
    size_t ndone;
    enum progress_state state;
};

struct progress *
progress_new(const char *path)
{
    struct progress *p = xcalloc(1, sizeof *p);

    p->path = path != NULL ? xstrdup(path) : NULL;
    return p;
}

static void
clear(struct progress *p)
{
    for (size_t i = 0; i < p->nopened; i++) {
        free(p->opened[i]);
    }
    for (size_t i = 0; i < p->ndone; i++) {
        free(p->done[i]);
    }
    free(p->opened);
    free(p->done);
    p->opened = p->done = NULL;
    p->nopened = p->ndone = 0;
}

void
progress_free(struct progress *p)
{
    if (p == NULL) {
        return;
    }
    clear(p);
    free(p->path);
    free(p);
}

char *
progress_default_path(void)
{
    return file_xdg_path("XDG_STATE_HOME", ".local/state", "progress");
}

/* ---- The sets ----------------------------------------------------------- */

static bool
has(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i], s) == 0) {
            return true;
        }
    }
    return false;
}

/* Add s (taken) unless there; true if added. */
static bool
add(char ***v, size_t *n, char *s)
{
    if (has(*v, *n, s)) {
        free(s);
        return false;
    }
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
    return true;
}

static bool
clean(const char *s)
{
    return s[0] != '\0' && strpbrk(s, "\t\n\r") == NULL;
}

bool
progress_mark_opened(struct progress *p, const char *lesson)
{
    return clean(lesson) && add(&p->opened, &p->nopened, xstrdup(lesson));
}

bool
progress_mark_done(struct progress *p, const char *lesson, const char *key)
{
    /* key has its own tabs; the lesson may not. */
    if (!clean(lesson) || key[0] == '\0' || strpbrk(key, "\n\r") != NULL) {
        return false;
    }
    return add(&p->done, &p->ndone, xasprintf("%s\t%s", lesson, key));
}

bool
progress_is_opened(const struct progress *p, const char *lesson)
{
    return has(p->opened, p->nopened, lesson);
}

bool
progress_is_done(const struct progress *p, const char *lesson,
                 const char *key)
{
    char *rec = xasprintf("%s\t%s", lesson, key);
    bool yes = has(p->done, p->ndone, rec);

    free(rec);
    return yes;
}

char *
progress_scenario_key(const struct lesson_scenario *sc)
{
    return xasprintf("%s%s\t%s\t%llu", sc->file != NULL ? "" : "#",
                     sc->file != NULL ? sc->file : sc->block,
                     sc->policy != NULL ? sc->policy : "gil",
                     (unsigned long long)sc->seed);
}

/* ---- The text ----------------------------------------------------------- */

/* Split a line at tabs into at most max fields; the count. */
static size_t
fields(char *line, char **f, size_t max)
{
    size_t n = 0;

    for (char *s = line;; s++) {
        if (n < max) {
            f[n] = s;
        }
        n++;
        s = strchr(s, '\t');
        if (s == NULL) {
            break;
        }
        *s = '\0';
    }
    return n;
}

static bool
is_uint(const char *s)
{
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

int
progress_parse(struct progress *p, const char *path, const char *text,
               size_t len, struct diag *d)
{
    char *copy = xmalloc(len + 1), *line, *next;
    bool versioned = false;
    int lineno = 0;

    memcpy(copy, text, len);
    copy[len] = '\0';
    clear(p);
    for (line = copy; line != NULL && line < copy + len; line = next) {
        char *f[6];
        size_t n;

        lineno++;
        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (strlen(line) != (size_t)((next != NULL ? next - 1 : copy + len)
                                     - line)) {
            diag_set_at(d, path, lineno, 1, _("expected text, found a NUL "
                                              "byte"));
            goto bad;
        }
        if (line[0] == '\0' || line[0] == '#') {
            continue;
        }
        n = fields(line, f, 6);
        if (!versioned) {
            if (n != 2 || strcmp(f[0], PROGRESS_MAGIC) != 0) {
                diag_set_at(d, path, lineno, 1,
                            _("expected '%s<tab>%s' first"),
                            PROGRESS_MAGIC, PROGRESS_VERSION);
                goto bad;
            }
            if (strcmp(f[1], PROGRESS_VERSION) != 0) {
                diag_set_at(d, path, lineno, 16,
                            _("expected version %s, found '%s' (a newer "
                              "telar's file)"), PROGRESS_VERSION, f[1]);
                p->state = PROGRESS_READONLY;
                free(copy);
                clear(p);
                return -1;
            }
            versioned = true;
        } else if (strcmp(f[0], "opened") == 0 && n == 2 && clean(f[1])) {
            add(&p->opened, &p->nopened, xstrdup(f[1]));
        } else if (strcmp(f[0], "done") == 0 && n == 5 && clean(f[1])
                   && clean(f[2]) && clean(f[3]) && is_uint(f[4])) {
            add(&p->done, &p->ndone,
                xasprintf("%s\t%s\t%s\t%s", f[1], f[2], f[3], f[4]));
        } else {
            diag_set_at(d, path, lineno, 1,
                        _("expected 'opened LESSON' or 'done LESSON FILE "
                          "POLICY SEED', tab-separated"));
            goto bad;
        }
    }
    free(copy);
    return 0;                   /* only comments, or nothing: empty */
bad:
    free(copy);
    clear(p);
    p->state = PROGRESS_DAMAGED;
    return -1;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "KIND\tRECORD\n" for each record, sorted. */
static void
add_sorted(struct str *s, const char *kind, char *const *records, size_t n)
{
    char **v;

    if (n == 0) {
        return;                 /* (memcpy from NULL is undefined) */
    }
    v = xmalloc(n * sizeof *v);
    memcpy(v, records, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_str);
    for (size_t i = 0; i < n; i++) {
        str_addf(s, "%s\t%s\n", kind, v[i]);
    }
    free(v);
}

char *
progress_format(const struct progress *p)
{
    struct str s;

    str_init(&s);
    str_addf(&s, "# telar: lessons opened and scenarios run to their end\n"
                 "%s\t%s\n", PROGRESS_MAGIC, PROGRESS_VERSION);
    add_sorted(&s, "opened", p->opened, p->nopened);
    add_sorted(&s, "done", p->done, p->ndone);
    str_addc(&s, '\0');
    return s.p;
}

/* ---- The file ----------------------------------------------------------- */

int
progress_load(struct progress *p, struct diag *d)
{
    FILE *f;
    struct str text;
    char buf[4096];
    size_t n;
    int rc;

    clear(p);
    p->state = PROGRESS_OK;
    if (p->path == NULL) {
        return 0;
    }
    f = fopen(p->path, "r");
    if (f == NULL) {
        if (errno == ENOENT) {
            return 0;           /* nothing yet */
        }
        diag_set(d, "%s: %s", p->path, strerror(errno));
        p->state = PROGRESS_READONLY;
        return -1;
    }
    str_init(&text);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        str_add(&text, buf, n);
    }
    if (ferror(f)) {
        diag_set(d, "%s: %s", p->path, strerror(errno));
        fclose(f);
        str_fini(&text);
        p->state = PROGRESS_READONLY;
        return -1;
    }
    fclose(f);
    rc = progress_parse(p, p->path, text.p != NULL ? text.p : "", text.len,
                        d);
    str_fini(&text);
    return rc;
}

int
progress_save(struct progress *p, struct diag *d)
{
    char *text;
    int rc;

    if (p->path == NULL || p->state == PROGRESS_READONLY) {
        return 0;
    }
    if (file_make_dirs(p->path, d) < 0) {
        return -1;
    }
    /* A file that could not be read is kept aside, not overwritten. */
    if (p->state == PROGRESS_DAMAGED) {
        char *bad = xasprintf("%s.bad", p->path);

        if (rename(p->path, bad) < 0 && errno != ENOENT) {
            diag_set(d, "%s: %s", p->path, strerror(errno));
            free(bad);
            return -1;
        }
        free(bad);
    }
    text = progress_format(p);
    rc = file_write_atomic(p->path, text, strlen(text), d);
    free(text);
    if (rc < 0) {
        return -1;
    }
    p->state = PROGRESS_OK;
    return 0;
}
