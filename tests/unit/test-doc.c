/* Unit tests for the lesson text renderer (src/tui/doc.c) and the Python
 * highlighter (src/tui/pyhl.c): no curses, the lines read back as text. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "harness/tap.h"
#include "lesson/lesson.h"
#include "tui/doc.h"
#include "tui/pyhl.h"
#include "util/util.h"

static struct doc *
render(const char *md, int width, bool ascii)
{
    cmark_node *root = cmark_parse_document(md, strlen(md),
                                            CMARK_OPT_DEFAULT);
    struct doc_opts o = { .width = width, .ascii = ascii };
    struct doc *d;

    /* Widths count display columns: the test needs a UTF-8 locale. */
    ASSERT(setlocale(LC_CTYPE, "C.UTF-8") != NULL);
    d = doc_render(root, &o);
    cmark_node_free(root);
    return d;
}

/* The document's lines joined with '\n'. */
static char *
text_of(const struct doc *d)
{
    struct str s;

    str_init(&s);
    for (size_t i = 0; i < doc_nlines(d); i++) {
        char *line = doc_line_str(d, i);

        str_addf(&s, "%s%s", i > 0 ? "\n" : "", line);
        free(line);
    }
    str_addc(&s, '\0');
    return s.p;
}

#define ASSERT_RENDERS(md, width, want)                                    \
    do {                                                                   \
        struct doc *d_ = render((md), (width), false);                     \
        char *got_ = text_of(d_);                                          \
        ASSERT_STR(got_, (want));                                          \
        free(got_);                                                        \
        doc_free(d_);                                                      \
    } while (0)

/* The attribute bits of the span holding the first occurrence of s on
 * line i. */
static unsigned
attr_at(const struct doc *d, size_t i, const char *s)
{
    const struct doc_line *l = doc_line(d, i);
    char *line = doc_line_str(d, i);
    const char *at = strstr(line, s);
    size_t off = 0;

    ASSERT(at != NULL);
    for (size_t k = 0; k < l->nspans; k++) {
        if ((size_t)(at - line) < off + l->spans[k].len) {
            free(line);
            return l->spans[k].attr;
        }
        off += l->spans[k].len;
    }
    free(line);
    TAP_FAIL_("'%s' not in any span", s);
}

TEST(doc_wrap)
{
    /* Greedy wrapping at spaces; soft breaks are spaces. */
    ASSERT_RENDERS("uno dos tres cuatro\ncinco seis", 16,
                   "uno dos tres\ncuatro cinco\nseis");
    /* Columns, not bytes: 'ñ' and 'á' take one column each. */
    ASSERT_RENDERS("año más él ñandú pingüino", 16,
                   "año más él ñandú\npingüino");
    /* Wide characters take two. */
    ASSERT_RENDERS("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97 "
                   "abcdefghij", 16,
                   "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\n"
                   "abcdefghij");
    /* A word longer than the line is cut. */
    ASSERT_RENDERS("abcdefghijklmnopqrstuvwxyz", 16,
                   "abcdefghijklmnop\nqrstuvwxyz");
    /* A hard break; paragraphs apart by a blank line. */
    ASSERT_RENDERS("uno  \ndos\n\ntres", 40, "uno\ndos\n\ntres");
}

TEST(doc_inline)
{
    struct doc *d = render("Un **candado** y *otro* `x += 1` "
                           "[aquí](https://example.org) y "
                           "<https://a.b>.", 80, false);
    char *line = doc_line_str(d, 0);

    ASSERT_STR(line, "Un candado y otro x += 1 aquí <https://example.org> "
                     "y https://a.b.");
    free(line);
    ASSERT(attr_at(d, 0, "candado") & DOC_STRONG);
    ASSERT(attr_at(d, 0, "otro") & DOC_EMPH);
    ASSERT(attr_at(d, 0, "x += 1") & DOC_CODE);
    ASSERT(attr_at(d, 0, "aquí") & DOC_LINK);
    ASSERT(attr_at(d, 0, "<https://example.org>") & DOC_URL);
    ASSERT(!(attr_at(d, 0, "Un") & (DOC_STRONG | DOC_EMPH)));
    doc_free(d);
}

TEST(doc_headings_quotes_rules)
{
    struct doc *d = render("## Verlo con telar\n\nTexto.\n\n### Más\n\n"
                           "> cita que se\n> parte\n\n---\n", 20, false);
    char *all = text_of(d);

    ASSERT_STR(all, "Verlo con telar\n"
                    "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
                    "\u2500\u2500\u2500\u2500\u2500\u2500\n"
                    "\nTexto.\n\nMás\n\n"
                    "\u2502 cita que se parte\n\n"
                    "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
                    "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
                    "\u2500\u2500");
    ASSERT_EQ(doc_line(d, 0)->heading, 2);
    ASSERT(attr_at(d, 0, "Verlo") & DOC_HEADING);
    ASSERT_EQ(doc_line(d, 5)->heading, 3);
    ASSERT(attr_at(d, 7, "\u2502") & DOC_QUOTE);
    free(all);
    doc_free(d);
    /* A quote wraps inside its bar. */
    ASSERT_RENDERS("> uno dos tres cuatro cinco", 16,
                   "\u2502 uno dos tres\n\u2502 cuatro cinco");
}

TEST(doc_lists)
{
    /* Bullets, continuation indented under the text, nested lists with
     * their own bullet, tight lists without blank lines. */
    ASSERT_RENDERS("- uno dos tres cuatro\n- cinco\n  - seis\n  - siete\n",
                   16,
                   "\u2022 uno dos tres\n  cuatro\n\u2022 cinco\n"
                   "  \u25e6 seis\n  \u25e6 siete");
    /* Ordered, numbers right-aligned to the widest, from the start. */
    ASSERT_RENDERS("8. ocho\n9. nueve\n10. diez diez diez diez\n", 20,
                   " 8. ocho\n 9. nueve\n10. diez diez diez\n    diez");
    /* A loose list keeps blank lines between items. */
    ASSERT_RENDERS("1. uno\n\n2. dos\n", 20, "1. uno\n\n2. dos");
    /* ASCII bullets. */
    {
        struct doc *d = render("- a\n  - b\n", 20, true);
        char *all = text_of(d);

        ASSERT_STR(all, "* a\n  - b");
        ASSERT(attr_at(d, 0, "*") & DOC_MARK);
        free(all);
        doc_free(d);
    }
}

TEST(doc_code_blocks)
{
    struct doc *d = render("Antes.\n\n```python\n@dataclass\n"
                           "def f(x):  # nota\n    return 'a' + 10\n```\n"
                           "\n```text\nno es python\n```\n", 40, false);
    char *all = text_of(d);
    const struct doc_line *l;

    ASSERT_STR(all, "Antes.\n\n  @dataclass\n  def f(x):  # nota\n"
                    "      return 'a' + 10\n\n  no es python");
    ASSERT_EQ(doc_block_line(d, 0), 2);
    ASSERT_EQ(doc_block_line(d, 1), 6);
    ASSERT_EQ(doc_block_line(d, 2), -1);
    /* Line 3: "  def f(x):  # nota" split into highlighted spans. */
    l = doc_line(d, 3);
    ASSERT_EQ(l->block, 0);
    for (size_t k = 0; k < l->nspans; k++) {
        const char *s = doc_text(d) + l->spans[k].off;

        if (strncmp(s, "def", 3) == 0) {
            ASSERT_EQ(l->spans[k].tok, PYHL_KEYWORD);
            ASSERT(l->spans[k].attr & DOC_BLOCK);
        } else if (strncmp(s, "f(", 1) == 0 && l->spans[k].len == 1) {
            ASSERT_EQ(l->spans[k].tok, PYHL_DEFNAME);
        } else if (strncmp(s, "# nota", 6) == 0) {
            ASSERT_EQ(l->spans[k].tok, PYHL_COMMENT);
        }
    }
    /* The text block is not highlighted. */
    l = doc_line(d, 6);
    ASSERT_EQ(l->nspans, 2);    /* the indent, the text */
    ASSERT_EQ(l->spans[1].tok, PYHL_TEXT);
    free(all);
    doc_free(d);
}

TEST(doc_runnable_block)
{
    const char *text = "---\ntitle: T\norder: 1\nchapter: c\nsummary: S\n"
                       "scenarios:\n  - block: cuenta\n    title: B\n"
                       "    expect:\n      output: \"1\"\n---\n\n"
                       "Texto.\n\n```python {#cuenta run}\nprint(1)\n```\n"
                       "\n## Prueba tú\n\n1. Algo.\n";
    struct diag dg;
    struct lesson *l = lesson_parse("l.md", text, strlen(text), &dg);
    struct doc_opts o = { .width = 40 };
    struct doc *d;
    char *line;

    ASSERT(l != NULL);
    ASSERT(setlocale(LC_CTYPE, "C.UTF-8") != NULL);
    o.blocks = l->blocks;
    o.nblocks = l->nblocks;
    d = doc_render(l->doc, &o);
    /* The label line, then the code. */
    ASSERT_EQ(doc_block_line(d, 0), 2);
    ASSERT(doc_line(d, 2)->label);
    ASSERT_EQ(doc_line(d, 2)->block, 0);
    line = doc_line_str(d, 2);
    ASSERT_STR(line, "\u25b6 cuenta");
    free(line);
    line = doc_line_str(d, 3);
    ASSERT_STR(line, "  print(1)");
    free(line);
    ASSERT(!doc_line(d, 3)->label);
    doc_free(d);
    lesson_free(l);
}

#define SIX "\u2500\u2500\u2500\u2500\u2500\u2500"
#define SEVEN SIX "\u2500"

TEST(doc_tables)
{
    /* A pipe table: columns aligned by display width, the rule row a
     * border. */
    ASSERT_RENDERS("| paso | hilo |\n|------|------|\n| 1 | lee 0 |\n"
                   "| 2 | `x` \u2192 1 |\n", 40,
                   "\u250c" SIX "\u252c" SEVEN "\u2510\n"
                   "\u2502 paso \u2502 hilo  \u2502\n"
                   "\u251c" SIX "\u253c" SEVEN "\u2524\n"
                   "\u2502 1    \u2502 lee 0 \u2502\n"
                   "\u2502 2    \u2502 x \u2192 1 \u2502\n"
                   "\u2514" SIX "\u2534" SEVEN "\u2518");
    /* Too wide for the page: each row wrapped, cells between bars. */
    ASSERT_RENDERS("| una columna larga | otra más larga aún |\n"
                   "|---|---|\n| a | b |\n", 20,
                   "una columna larga \u2502\notra más larga aún\n"
                   "a \u2502 b");
}

TEST(pyhl_tokens)
{
    struct pyhl st = { 0 };
    unsigned char k[128];
    const char *l1 = "    x = f\"{a}\" + r'\\'' + 0x1F + 1_000.5e-3j  # fin";
    const char *l2 = "s = \"\"\"uno";
    const char *l3 = "dos\"\"\" if True else None";
    const char *l4 = "@functools.cache";
    const char *l5 = "class Contador(object): pass";

    pyhl_line(&st, l1, strlen(l1), k);
    ASSERT_EQ(k[4], PYHL_TEXT);                         /* x */
    ASSERT_EQ(k[8], PYHL_STRING);                       /* the f prefix */
    ASSERT_EQ(k[13], PYHL_STRING);                      /* closing " */
    ASSERT_EQ(k[17], PYHL_STRING);                      /* r'\'' */
    ASSERT_EQ(k[21], PYHL_STRING);
    ASSERT_EQ(k[23], PYHL_TEXT);                        /* + */
    ASSERT_EQ(k[25], PYHL_NUMBER);                      /* 0x1F */
    ASSERT_EQ(k[28], PYHL_NUMBER);
    ASSERT_EQ(k[32], PYHL_NUMBER);                      /* 1_000.5e-3j */
    ASSERT_EQ(k[42], PYHL_NUMBER);
    ASSERT_EQ(k[45], PYHL_COMMENT);
    ASSERT_EQ(k[strlen(l1) - 1], PYHL_COMMENT);
    ASSERT_EQ(st.quote, 0);

    /* A triple-quoted string across lines. */
    pyhl_line(&st, l2, strlen(l2), k);
    ASSERT_EQ(k[0], PYHL_TEXT);
    ASSERT_EQ(k[4], PYHL_STRING);
    ASSERT_EQ(k[9], PYHL_STRING);
    ASSERT_EQ(st.quote, '"');
    pyhl_line(&st, l3, strlen(l3), k);
    ASSERT_EQ(k[0], PYHL_STRING);
    ASSERT_EQ(k[5], PYHL_STRING);                       /* last quote */
    ASSERT_EQ(k[7], PYHL_KEYWORD);                      /* if */
    ASSERT_EQ(k[10], PYHL_KEYWORD);                     /* True */
    ASSERT_EQ(k[20], PYHL_KEYWORD);                     /* None */
    ASSERT_EQ(st.quote, 0);

    pyhl_line(&st, l4, strlen(l4), k);
    ASSERT_EQ(k[0], PYHL_DECORATOR);
    ASSERT_EQ(k[15], PYHL_DECORATOR);
    pyhl_line(&st, l5, strlen(l5), k);
    ASSERT_EQ(k[0], PYHL_KEYWORD);
    ASSERT_EQ(k[6], PYHL_DEFNAME);
    ASSERT_EQ(k[13], PYHL_DEFNAME);
    ASSERT_EQ(k[15], PYHL_BUILTIN);                     /* object */
    ASSERT_EQ(k[24], PYHL_KEYWORD);                     /* pass */
}
