/*
 * telar and telar LESSON: the lesson browser, or one lesson (cli layer).
 * Finds the lessons (cmd_lessonsdir), reads the catalogue and the
 * learner's progress, resolves a lesson given by id or path, and hands
 * the pages to the full-screen interface (cmd_tui; the pages are in
 * src/tui/page-browser.c and page-lesson.c).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/engine.h"
#include "lesson/catalog.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"
#include "tui/loop.h"
#include "tui/page-browser.h"
#include "tui/page-lesson.h"
#include "tui/tty.h"
#include "util/util.h"

/* What the opener pushes. */
struct lessons_ctx {
    struct catalog *cat;        /* NULL: a lesson outside the catalogue */
    const char *dir;
    struct progress *progress;
    const char *path;           /* the lesson to open, or NULL */
    const char *id;             /* its catalogue id, or NULL */
    char note[512];
};

static int
open_pages(struct loop *l, void *arg, struct diag *d)
{
    struct lessons_ctx *c = arg;
    struct page *p;

    if (l == NULL) {
        return 0;
    }
    if (c->cat != NULL) {
        loop_push(l, page_browser_new(c->cat, c->dir, c->progress, c->id,
                                      c->note[0] != '\0' ? c->note : NULL));
    }
    if (c->path != NULL) {
        p = page_lesson_new(c->path, c->id, c->progress, d);
        if (p == NULL) {
            return -1;
        }
        loop_push(l, p);
    }
    return 0;
}

/* Is a a chapter id given as its number ("06" for "06_Multithreading")? */
static bool
chapter_matches(const char *given, size_t len, const char *chapter)
{
    if (strlen(chapter) == len && strncmp(given, chapter, len) == 0) {
        return true;
    }
    return strncmp(given, chapter, len) == 0 && chapter[len] == '_'
           && strspn(given, "0123456789") == len;
}

/* Find arg in the catalogue: CHAPTER/NAME, NN/NAME, or a NAME found in
 * one chapter only.  The lesson, or NULL. */
static const struct catalog_lesson *
find_id(const struct catalog *cat, const char *arg)
{
    const char *slash = strchr(arg, '/');
    const struct catalog_lesson *found = NULL;

    for (size_t i = 0; i < cat->nlessons; i++) {
        const struct catalog_lesson *cl = &cat->lessons[i];

        if (slash != NULL) {
            if (strcmp(slash + 1, cl->name) == 0
                && chapter_matches(arg, (size_t)(slash - arg), cl->chapter)) {
                return cl;
            }
        } else if (strcmp(arg, cl->name) == 0) {
            if (found != NULL) {
                return NULL;    /* ambiguous */
            }
            found = cl;
        }
    }
    return found;
}

/* A path to a lesson file: its id when it is a catalogue lesson. */
static const struct catalog_lesson *
find_path(const struct catalog *cat, const char *dir, const char *path)
{
    char want[PATH_MAX], have[PATH_MAX];

    if (cat == NULL || realpath(path, want) == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < cat->nlessons; i++) {
        char *p = xasprintf("%s/%s/%s.md", dir, cat->lessons[i].chapter,
                            cat->lessons[i].name);
        bool same = realpath(p, have) != NULL && strcmp(want, have) == 0;

        free(p);
        if (same) {
            return &cat->lessons[i];
        }
    }
    return NULL;
}

static bool
is_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
cmd_lessons(const struct tty_options *o, const char *lesson)
{
    struct lessons_ctx c = { .dir = cmd_lessonsdir() };
    char *catpath = xasprintf("%s/catalog.txt", c.dir), *path = NULL;
    char *ppath = NULL;
    struct diag d;
    int rc = ENGINE_EXIT_USAGE;

    c.cat = catalog_load(catpath, &d);
    if (c.cat == NULL && (lesson == NULL || !is_file(lesson))) {
        char buf[1024];

        diag_format(&d, buf, sizeof buf);
        fprintf(stderr, _("telar: cannot read the lessons: %s\n"), buf);
        rc = 1;
        goto out;
    }
    if (lesson != NULL) {
        const struct catalog_lesson *cl;
        struct lesson *l;

        if (is_file(lesson)) {
            path = xstrdup(lesson);
            cl = find_path(c.cat, c.dir, lesson);
        } else if ((cl = find_id(c.cat, lesson)) != NULL) {
            if (!cl->written) {
                fprintf(stderr, _("telar: the lesson %s (\u201c%s\u201d) is "
                                  "not written yet\n"), cl->id, cl->title);
                goto out;
            }
            path = xasprintf("%s/%s/%s.md", c.dir, cl->chapter, cl->name);
        } else {
            fprintf(stderr, _("telar: '%s' is neither a command nor a "
                              "lesson\n"), lesson);
            fprintf(stderr, _("A lesson is CHAPTER/NAME (06/race_conditions "
                              "or 06_Multithreading/race_conditions) or the "
                              "path of its .md file; 'telar' alone lists "
                              "them, and so does %s.  'telar --help' lists "
                              "the commands.\n"), catpath);
            goto out;
        }
        c.id = cl != NULL ? cl->id : NULL;
        /* Read it now: a broken lesson is reported before the screen is
         * taken. */
        if ((l = lesson_load(path, &d)) == NULL) {
            char buf[1024];

            diag_format(&d, buf, sizeof buf);
            fprintf(stderr, "%s\n", buf);
            rc = 1;
            goto out;
        }
        lesson_free(l);
        c.path = path;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "%s\n",
                _("telar: the lessons need a terminal on stdin and stdout; "
                  "without one, 'telar run FILE.py --headless' runs a "
                  "scenario and 'telar check' checks the lessons"));
        goto out;
    }
    ppath = progress_default_path();
    c.progress = progress_new(ppath);
    if (progress_load(c.progress, &d) < 0) {
        char buf[400];

        diag_format(&d, buf, sizeof buf);
        snprintf(c.note, sizeof c.note, _("progress: %s (starting afresh)"),
                 buf);
    } else if (ppath == NULL) {
        snprintf(c.note, sizeof c.note, "%s",
                 _("progress is not kept: neither XDG_STATE_HOME nor HOME "
                   "is set"));
    }
    rc = cmd_tui(o, open_pages, &c);
out:
    progress_free(c.progress);
    catalog_free(c.cat);
    free(ppath);
    free(path);
    free(catpath);
    return rc;
}
