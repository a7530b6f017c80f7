/*
 * The catalogue: every chapter and lesson of the course, in order, with
 * Spanish titles and whether each lesson is written yet.  Read from
 * lessons/catalog.txt (its format is in lessons/FORMAT.md); the lesson
 * browser lists it and `telar check` holds the lessons to it.  Layer:
 * lesson.
 */
#ifndef TELAR_CATALOG_H
#define TELAR_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/util.h"

/* One lesson.  Its file is <lessons>/<chapter>/<name>.md. */
struct catalog_lesson {
    char *id;                   /* "06_Multithreading/race_conditions" */
    char *chapter;              /* "06_Multithreading" */
    char *name;                 /* "race_conditions" */
    char *entry;                /* the curriculum's file: "race_conditions.md"
                                   or "event_loop.py" */
    bool from_py;               /* entry is a .py: the lesson has a scenario
                                   <name>.py */
    bool written;
    char *title;
    char *summary;
    int order;                  /* from 1 within its chapter */
    int line;                   /* in the catalogue file */
};

struct catalog_chapter {
    char *id;                   /* "06_Multithreading" */
    char *title;
    int line;
    size_t first;               /* index of its first lesson */
    size_t nlessons;
};

/* Owned by the caller of catalog_parse/catalog_load; catalog_free. */
struct catalog {
    char *path;
    struct catalog_chapter *chapters;
    size_t nchapters;
    struct catalog_lesson *lessons;     /* in course order */
    size_t nlessons;
};

/* Parses a catalogue held in memory (path is for messages).  New catalogue,
 * or NULL with d set to "path:line:col: expected ...". */
struct catalog *catalog_parse(const char *path, const char *text, size_t len,
                              struct diag *d);
/* Reads and parses the file at path. */
struct catalog *catalog_load(const char *path, struct diag *d);
void catalog_free(struct catalog *c);

/* The lesson with this id ("chapter/name"), or NULL. */
const struct catalog_lesson *catalog_find(const struct catalog *c,
                                          const char *id);

#endif
