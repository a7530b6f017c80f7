/*
 * A lesson's Markdown as lines for the screen (tui layer, no curses):
 * libcmark's tree walked into lines of styled spans, wrapped to a width in
 * display columns.  Headings, paragraphs, emphasis, inline code, links
 * (their text, then the target dimmed), block quotes, nested lists, code
 * blocks (Python highlighted by pyhl.c), thematic breaks, and the pipe
 * tables lessons use (CommonMark has none: a paragraph whose every line
 * starts with '|' is drawn as a table).  The lesson page (page-lesson.c)
 * draws the lines; tests/unit/test-doc.c reads them as text.
 */
#ifndef TELAR_TUI_DOC_H
#define TELAR_TUI_DOC_H

#include <stdbool.h>
#include <stddef.h>

struct cmark_node;
struct lesson_block;

/* How a span looks: bits. */
enum doc_attr {
    DOC_EMPH = 1 << 0,
    DOC_STRONG = 1 << 1,
    DOC_CODE = 1 << 2,          /* inline code */
    DOC_LINK = 1 << 3,          /* a link's text */
    DOC_URL = 1 << 4,           /* its target, after the text */
    DOC_HEADING = 1 << 5,
    DOC_MARK = 1 << 6,          /* a list item's bullet or number */
    DOC_QUOTE = 1 << 7,         /* a block quote's bar */
    DOC_RULE = 1 << 8,          /* rules, underlines, table borders */
    DOC_BLOCK = 1 << 9,         /* the text of a code block */
    DOC_LABEL = 1 << 10,        /* the line above a runnable block */
    DOC_HTML = 1 << 11,         /* raw HTML, shown as written */
};

/* Bytes of doc_text() drawn one way. */
struct doc_span {
    size_t off, len;
    unsigned attr;              /* enum doc_attr bits */
    unsigned char tok;          /* in a code block: enum pyhl_kind */
};

struct doc_line {
    const struct doc_span *spans;       /* valid until doc_free */
    size_t nspans;
    int width;                  /* columns it takes */
    int heading;                /* 1-6 on a heading's lines, else 0 */
    int block;                  /* its code block (0, 1... in the order
                                   of the text), or -1 */
    bool label;                 /* the label line of a runnable block */
};

struct doc_opts {
    int width;                  /* columns to wrap to (at least 16) */
    bool ascii;                 /* ASCII bullets, bars and rules */
    /* The lesson's code blocks, in order (lesson.h), for each block's
     * language, id and "run" mark; NULL: the fence's first word is the
     * language and nothing is runnable. */
    const struct lesson_block *blocks;
    size_t nblocks;
};

/* Owned by the caller of doc_render; doc_free frees. */
struct doc;

/* Render the document under root (a CMARK_NODE_DOCUMENT).  Never fails:
 * what it does not know it shows as text. */
struct doc *doc_render(struct cmark_node *root, const struct doc_opts *o);
void doc_free(struct doc *d);

size_t doc_nlines(const struct doc *d);
const struct doc_line *doc_line(const struct doc *d, size_t i);
/* The bytes the spans point into. */
const char *doc_text(const struct doc *d);
/* The first line of code block k (its label, for a runnable one), or -1. */
long doc_block_line(const struct doc *d, int k);
/* Line i as plain text (new string), for tests and searches. */
char *doc_line_str(const struct doc *d, size_t i);

#endif
