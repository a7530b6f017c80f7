/* Unit tests for the progress file (src/lesson/progress.c): the parser and
 * the writer, and what happens to a damaged, unreadable or newer file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/tap.h"
#include "lesson/lesson.h"
#include "lesson/progress.h"
#include "util/util.h"

#define RC "06_Multithreading/race_conditions"
#define KEY "contador_2x2.py\tpreempt\t31"

static char *
tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    char *dir = xasprintf("%s/telar-progress-XXXXXX",
                          t != NULL && *t != '\0' ? t : "/tmp");

    ASSERT(mkdtemp(dir) != NULL);
    return dir;
}

static char *
slurp(const char *path)
{
    struct diag d;
    size_t len;
    char *s = lesson_read_file(path, &len, &d);

    ASSERT(s != NULL);
    return s;
}

static void
spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    ASSERT(f != NULL);
    fputs(text, f);
    ASSERT(fclose(f) == 0);
}

static void
expect_parse_error(const char *text, const char *want)
{
    struct progress *p = progress_new(NULL);
    struct diag d;
    char buf[512];

    ASSERT(progress_mark_opened(p, "x/y"));
    ASSERT_EQ(progress_parse(p, "prog", text, strlen(text), &d), -1);
    diag_format(&d, buf, sizeof buf);
    ASSERT_STR(buf, want);
    ASSERT(!progress_is_opened(p, "x/y"));    /* emptied */
    progress_free(p);
}

TEST(progress_roundtrip)
{
    struct progress *p = progress_new(NULL), *q = progress_new(NULL);
    struct diag d;
    char *text, *again;

    ASSERT(progress_mark_opened(p, RC));
    ASSERT(!progress_mark_opened(p, RC));       /* known: no news */
    ASSERT(progress_mark_opened(p, "07_Pipelines_De_Datos/backpressure"));
    ASSERT(progress_mark_done(p, RC, KEY));
    ASSERT(progress_mark_done(p, RC, "#bytecode\tgil\t0"));
    ASSERT(!progress_mark_done(p, RC, KEY));
    ASSERT(!progress_mark_opened(p, "con\ttab"));
    ASSERT(!progress_mark_opened(p, ""));
    text = progress_format(p);
    ASSERT_STR(text,
               "# telar: lessons opened and scenarios run to their end\n"
               "telar-progress\t1\n"
               "opened\t06_Multithreading/race_conditions\n"
               "opened\t07_Pipelines_De_Datos/backpressure\n"
               "done\t06_Multithreading/race_conditions\t#bytecode\tgil\t0\n"
               "done\t06_Multithreading/race_conditions\tcontador_2x2.py\t"
               "preempt\t31\n");
    ASSERT_EQ(progress_parse(q, "p", text, strlen(text), &d), 0);
    ASSERT(progress_is_opened(q, RC));
    ASSERT(progress_is_done(q, RC, KEY));
    ASSERT(progress_is_done(q, RC, "#bytecode\tgil\t0"));
    ASSERT(!progress_is_done(q, RC, "contador_2x2.py\tpreempt\t0"));
    again = progress_format(q);
    ASSERT_STR(again, text);
    /* Comments, blank lines and an empty file are fine. */
    ASSERT_EQ(progress_parse(q, "p", "", 0, &d), 0);
    ASSERT(!progress_is_opened(q, RC));
    ASSERT_EQ(progress_parse(q, "p", "# x\n\ntelar-progress\t1\n\n"
                             "opened\ta/b\n", 34, &d), 0);
    ASSERT(progress_is_opened(q, "a/b"));
    free(text);
    free(again);
    progress_free(p);
    progress_free(q);
}

TEST(progress_parse_errors)
{
    expect_parse_error("opened\ta/b\n",
                       "prog:1:1: expected 'telar-progress<tab>1' first");
    expect_parse_error("telar-progress\t1\nopened a/b\n",
                       "prog:2:1: expected 'opened LESSON' or 'done LESSON "
                       "FILE POLICY SEED', tab-separated");
    expect_parse_error("telar-progress\t1\ndone\ta/b\tf.py\tgil\tx\n",
                       "prog:2:1: expected 'opened LESSON' or 'done LESSON "
                       "FILE POLICY SEED', tab-separated");
    expect_parse_error("telar-progress\t1\ndone\ta/b\tf.py\tgil\n",
                       "prog:2:1: expected 'opened LESSON' or 'done LESSON "
                       "FILE POLICY SEED', tab-separated");
    expect_parse_error("telar-progress\t2\n",
                       "prog:1:16: expected version 1, found '2' (a newer "
                       "telar's file)");
    {
        const char nul[] = "telar-progress\t1\nop\0ened\ta\n";

        struct progress *p = progress_new(NULL);
        struct diag d;

        ASSERT_EQ(progress_parse(p, "prog", nul, sizeof nul - 1, &d), -1);
        ASSERT_EQ(d.line, 2);
        progress_free(p);
    }
}

TEST(progress_file)
{
    char *dir = tmpdir();
    char *path = xasprintf("%s/state/telar/progress", dir);
    char *bad = xasprintf("%s.bad", path);
    struct progress *p = progress_new(path);
    struct diag d;
    char *text;
    struct stat st;

    /* No file yet: empty, no error; saving makes the directories. */
    ASSERT_EQ(progress_load(p, &d), 0);
    ASSERT(progress_mark_opened(p, RC));
    ASSERT_EQ(progress_save(p, &d), 0);
    ASSERT_EQ(stat(path, &st), 0);
    progress_free(p);
    p = progress_new(path);
    ASSERT_EQ(progress_load(p, &d), 0);
    ASSERT(progress_is_opened(p, RC));
    progress_free(p);

    /* Damaged: loads empty with the reason; the next save starts afresh
     * and keeps the damaged file as PATH.bad. */
    spit(path, "telar-progress\t1\nbasura\n");
    p = progress_new(path);
    ASSERT_EQ(progress_load(p, &d), -1);
    ASSERT_EQ(d.line, 2);
    ASSERT(!progress_is_opened(p, RC));
    text = slurp(path);
    ASSERT_STR(text, "telar-progress\t1\nbasura\n");    /* untouched */
    free(text);
    ASSERT(progress_mark_done(p, RC, KEY));
    ASSERT_EQ(progress_save(p, &d), 0);
    text = slurp(bad);
    ASSERT_STR(text, "telar-progress\t1\nbasura\n");
    free(text);
    text = slurp(path);
    ASSERT(strstr(text, "done\t" RC "\t" KEY "\n") != NULL);
    free(text);
    progress_free(p);

    /* A newer telar's file is never overwritten. */
    spit(path, "telar-progress\t9\nlo que sea\n");
    p = progress_new(path);
    ASSERT_EQ(progress_load(p, &d), -1);
    ASSERT(progress_mark_opened(p, RC));
    ASSERT_EQ(progress_save(p, &d), 0);
    text = slurp(path);
    ASSERT_STR(text, "telar-progress\t9\nlo que sea\n");
    free(text);
    progress_free(p);

    /* Unreadable (a directory where the file should be): the same. */
    unlink(path);
    ASSERT_EQ(mkdir(path, 0700), 0);
    p = progress_new(path);
    ASSERT_EQ(progress_load(p, &d), -1);
    ASSERT(progress_mark_opened(p, RC));
    ASSERT_EQ(progress_save(p, &d), 0);
    ASSERT_EQ(stat(path, &st), 0);
    ASSERT(S_ISDIR(st.st_mode));
    progress_free(p);
    rmdir(path);
    unlink(bad);
    {
        char *d1 = xasprintf("%s/state/telar", dir);
        char *d2 = xasprintf("%s/state", dir);

        rmdir(d1);
        rmdir(d2);
        free(d1);
        free(d2);
    }
    ASSERT_EQ(rmdir(dir), 0);  /* nothing else was left behind */
    free(bad);
    free(path);
    free(dir);
}

TEST(progress_default_path)
{
    char *p;

    setenv("XDG_STATE_HOME", "/x/state", 1);
    setenv("HOME", "/home/u", 1);
    p = progress_default_path();
    ASSERT_STR(p, "/x/state/telar/progress");
    free(p);
    /* A relative XDG_STATE_HOME is ignored, as the spec says. */
    setenv("XDG_STATE_HOME", "relative", 1);
    p = progress_default_path();
    ASSERT_STR(p, "/home/u/.local/state/telar/progress");
    free(p);
    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    ASSERT_PTR(progress_default_path(), NULL);
}
