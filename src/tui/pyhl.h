/*
 * Python syntax highlighting (tui layer, no curses): a small lexer that
 * says, byte by byte, what each part of a line of Python is (keyword,
 * string, comment, number, decorator...).  It colours code, it does not
 * check it: anything it does not know is plain text.  State carries over
 * lines, for triple-quoted strings.  doc.c uses it for code blocks.
 */
#ifndef TELAR_TUI_PYHL_H
#define TELAR_TUI_PYHL_H

#include <stdbool.h>
#include <stddef.h>

enum pyhl_kind {
    PYHL_TEXT = 0,              /* names, operators, spaces */
    PYHL_KEYWORD,               /* def, for, with, True... */
    PYHL_BUILTIN,               /* print, len, range... */
    PYHL_STRING,                /* a literal, its prefix and quotes */
    PYHL_COMMENT,               /* from # to the end of the line */
    PYHL_NUMBER,
    PYHL_DECORATOR,             /* @name.attr at the start of a line */
    PYHL_DEFNAME,               /* the name after def or class */
    PYHL__COUNT
};

/* What carries over from one line to the next.  Zero it to start. */
struct pyhl {
    char quote;                 /* inside a triple-quoted string: its quote
                                   character; 0 otherwise */
};

/* Classify the len bytes of one line (no newline): kinds[i] is the
 * enum pyhl_kind of byte i.  Updates st for the next line. */
void pyhl_line(struct pyhl *st, const char *line, size_t len,
               unsigned char *kinds);

#endif
