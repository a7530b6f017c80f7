/*
 * Lessons: a Markdown file with a small front matter (a strict subset of
 * YAML, read by lesson-fm.c) and scenarios to run.  lesson.c turns the front
 * matter into struct lesson, parses the body with libcmark and checks what
 * can be checked without running anything; catalog.c reads the list of
 * chapters and lessons.  Running scenarios is cmd-check.c's business: this
 * layer includes nothing from engine/ or sched/.  lessons/FORMAT.md is the
 * author's reference for everything parsed here.
 */
#ifndef TELAR_LESSON_H
#define TELAR_LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

struct cmark_node;

/* A position in the lesson file: line and column (in characters), from 1. */
struct lesson_pos {
    int line;
    int col;
};

/* What a scenario must do.  At least one of output, outcomes, deadlock and
 * exit is set; output and outcomes never both. */
struct lesson_expect {
    struct lesson_pos pos;      /* of the expect: key */
    char *output;               /* exact stdout (one final newline implied),
                                   or NULL */
    char **outcomes;            /* the set of stdouts over seeds 0..seeds-1 */
    size_t noutcomes;
    int seeds;                  /* with outcomes; else 0 */
    bool deadlock;              /* exit 3 with telar's deadlock report */
    bool has_exit;
    int exit_status;            /* when has_exit */
};

enum lesson_python {
    LESSON_PYTHON_DIFFERS,      /* python3 runs it; its stdout may differ */
    LESSON_PYTHON_SAME,         /* python3 prints exactly the output */
};

/* One entry of scenarios:.  Exactly one of file and block is set. */
struct lesson_scenario {
    struct lesson_pos pos;      /* of its "- " */
    char *file;                 /* a .py beside the lesson, or NULL */
    char *block;                /* the id of a runnable block, or NULL */
    struct lesson_pos src_pos;  /* of the file: or block: value */
    char *title;
    char *policy;               /* "gil" unless given */
    uint64_t seed;
    int cores;                  /* 0: not given (reserved for processes) */
    char **watch;               /* variable names */
    size_t nwatch;
    struct lesson_pos watch_pos;
    enum lesson_python python;
    struct lesson_expect expect;
};

/* A fenced code block of the body: ```python {#id run} */
struct lesson_block {
    struct lesson_pos pos;      /* of the opening fence */
    char *lang;                 /* first word of the info string, or "" */
    char *id;                   /* from {#id}, or NULL */
    bool run;                   /* {run}: a scenario may name it */
    char *text;                 /* the code, as cmark gives it */
};

/* A parsed lesson.  Owned by the caller of lesson_parse/lesson_load and
 * freed with lesson_free. */
struct lesson {
    char *path;                 /* as given */
    char *title;
    int order;
    char *chapter;
    char *summary;
    struct lesson_pos title_pos, order_pos, chapter_pos;
    struct lesson_scenario *scenarios;
    size_t nscenarios;
    struct lesson_block *blocks;        /* every fenced block, in order */
    size_t nblocks;
    struct cmark_node *doc;     /* the body, for the views; owned */
    int body_line;              /* line of the body's first line */
};

/* Parses a lesson held in memory: the front matter, the Markdown body, and
 * every check that needs no file system (each scenario's block exists and
 * is runnable, a "Prueba tú" section is there).  path is used in messages
 * and kept.  Returns a new lesson, or NULL with d set to the first error
 * found ("path:line:col: expected ..."). */
struct lesson *lesson_parse(const char *path, const char *text, size_t len,
                            struct diag *d);

/* Reads and parses the file at path, then checks that every scenario file
 * exists beside it.  NULL with d set on any error. */
struct lesson *lesson_load(const char *path, struct diag *d);

void lesson_free(struct lesson *l);

/* The block with this id, or NULL. */
const struct lesson_block *lesson_block_find(const struct lesson *l,
                                             const char *id);

/* The directory of the lesson's file ("." for a bare name).  New string. */
char *lesson_dir(const struct lesson *l);

/* The scenario's Python source: the file's contents or the block's text.
 * New string (NUL-terminated, *len set), or NULL with d set. */
char *lesson_scenario_source(const struct lesson *l,
                             const struct lesson_scenario *sc, size_t *len,
                             struct diag *d);

/* Checks a scenario's source against the lesson: every "# telar:" caption
 * has text, every watched name occurs in the code.  name is what messages
 * call the source (the file's path, or the lesson's for a block) and
 * first_line the line of its first line there.  0, or -1 with d set. */
int lesson_check_source(const struct lesson *l,
                        const struct lesson_scenario *sc, const char *src,
                        const char *name, int first_line, struct diag *d);

/* Reads a whole file into a new NUL-terminated string (*len set); NULL with
 * d set ("path: No such file or directory"). */
char *lesson_read_file(const char *path, size_t *len, struct diag *d);

#endif
