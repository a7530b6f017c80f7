/*
 * Python syntax highlighting (tui layer, no curses).  A lexer of the
 * shapes Python's tokenizer (Parser/tokenizer.c) knows, reduced to what
 * colouring needs: string literals with their prefixes, escapes and
 * triple quotes across lines, comments, numbers (with _, exponents,
 * hex/octal/binary, j), names looked up in the keyword and builtin
 * tables, decorators, and the name a def or class introduces.
 */
#include "config.h"

#include "pyhl.h"

#include <string.h>
#include <strings.h>

/* keyword.kwlist of Python 3.11. */
static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "async", "await",
    "break", "class", "continue", "def", "del", "elif", "else", "except",
    "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
    "while", "with", "yield",
};

/* The builtins a lesson is likely to show. */
static const char *const builtins[] = {
    "abs", "all", "any", "bool", "bytes", "dict", "enumerate", "float",
    "getattr", "hasattr", "id", "input", "int", "isinstance", "iter",
    "len", "list", "map", "max", "min", "next", "object", "open", "print",
    "range", "repr", "reversed", "round", "set", "setattr", "sorted",
    "str", "sum", "super", "tuple", "type", "zip", "self",
    "Exception", "RuntimeError", "ValueError", "TypeError", "KeyError",
    "TimeoutError", "KeyboardInterrupt", "StopIteration",
};

static bool
is_ident_start(unsigned char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || c >= 0x80;
}

static bool
is_ident(unsigned char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool
in_table(const char *const *t, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (strlen(t[i]) == len && memcmp(t[i], s, len) == 0) {
            return true;
        }
    }
    return false;
}

/* Mark [from, to) as kind. */
static void
mark(unsigned char *kinds, size_t from, size_t to, enum pyhl_kind kind)
{
    memset(kinds + from, kind, to - from);
}

/* From i, inside a string closed by quote (three of them when triple):
 * the index after the closing quote, or len when the line ends first
 * (then *open stays true). */
static size_t
string_end(const char *s, size_t len, size_t i, char quote, bool triple,
           bool *open)
{
    *open = true;
    while (i < len) {
        if (s[i] == '\\') {
            i += 2;             /* an escape, also in raw strings, hides
                                   the quote after it */
            continue;
        }
        if (s[i] == quote) {
            if (!triple) {
                *open = false;
                return i + 1;
            }
            if (i + 2 < len && s[i + 1] == quote && s[i + 2] == quote) {
                *open = false;
                return i + 3;
            }
        }
        i++;
    }
    return len;
}

/* Is s (n letters, any case) a string prefix: r, u, b, f, br, rb, fr,
 * rf? */
static bool
is_prefix(const char *s, size_t n)
{
    static const char *const prefixes[] = {
        "r", "u", "b", "f", "br", "rb", "fr", "rf",
    };

    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (strlen(prefixes[i]) == n && strncasecmp(prefixes[i], s, n) == 0) {
            return true;
        }
    }
    return false;
}

/* A number at s[i] (a digit, or '.' then a digit): its end. */
static size_t
number_end(const char *s, size_t len, size_t i)
{
    if (s[i] == '0' && i + 1 < len
        && strchr("xXoObB", s[i + 1]) != NULL) {
        i += 2;
        while (i < len && (is_ident((unsigned char)s[i]))) {
            i++;
        }
        return i;
    }
    while (i < len) {
        char c = s[i];

        if ((c >= '0' && c <= '9') || c == '_' || c == '.') {
            i++;
        } else if ((c == 'e' || c == 'E') && i + 1 < len
                   && ((s[i + 1] >= '0' && s[i + 1] <= '9')
                       || ((s[i + 1] == '+' || s[i + 1] == '-')
                           && i + 2 < len && s[i + 2] >= '0'
                           && s[i + 2] <= '9'))) {
            i += 2;
        } else if (c == 'j' || c == 'J') {
            return i + 1;
        } else {
            break;
        }
    }
    return i;
}

void
pyhl_line(struct pyhl *st, const char *s, size_t len, unsigned char *kinds)
{
    size_t i = 0;
    bool open, after_def = false, line_start = true;

    mark(kinds, 0, len, PYHL_TEXT);
    if (st->quote != 0) {
        i = string_end(s, len, 0, st->quote, true, &open);
        mark(kinds, 0, i, PYHL_STRING);
        if (open) {
            return;
        }
        st->quote = 0;
        line_start = false;
    }
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t j;

        if (c == ' ' || c == '\t') {
            i++;
            continue;
        }
        if (c == '#') {
            mark(kinds, i, len, PYHL_COMMENT);
            return;
        }
        if (c == '@' && line_start) {
            j = i + 1;
            while (j < len && (is_ident((unsigned char)s[j]) || s[j] == '.')) {
                j++;
            }
            mark(kinds, i, j, PYHL_DECORATOR);
            i = j;
            line_start = false;
            continue;
        }
        line_start = false;
        if (c == '"' || c == '\'') {
            bool triple = i + 2 < len && s[i + 1] == (char)c
                          && s[i + 2] == (char)c;

            j = string_end(s, len, i + (triple ? 3 : 1), (char)c, triple,
                           &open);
            mark(kinds, i, j, PYHL_STRING);
            if (open && triple) {
                st->quote = (char)c;
            }
            i = j;
            after_def = false;
            continue;
        }
        if ((c >= '0' && c <= '9')
            || (c == '.' && i + 1 < len && s[i + 1] >= '0'
                && s[i + 1] <= '9')) {
            j = number_end(s, len, i);
            mark(kinds, i, j, PYHL_NUMBER);
            i = j;
            continue;
        }
        if (is_ident_start(c)) {
            j = i;
            while (j < len && is_ident((unsigned char)s[j])) {
                j++;
            }
            if (j < len && (s[j] == '"' || s[j] == '\'')
                && is_prefix(s + i, j - i)) {
                /* A prefixed literal: the prefix is part of it. */
                size_t q = j;
                bool triple = q + 2 < len && s[q + 1] == s[q]
                              && s[q + 2] == s[q];

                j = string_end(s, len, q + (triple ? 3 : 1), s[q], triple,
                               &open);
                mark(kinds, i, j, PYHL_STRING);
                if (open && triple) {
                    st->quote = s[q];
                }
                i = j;
                continue;
            }
            if (after_def) {
                mark(kinds, i, j, PYHL_DEFNAME);
                after_def = false;
            } else if (in_table(keywords,
                                sizeof keywords / sizeof keywords[0],
                                s + i, j - i)) {
                mark(kinds, i, j, PYHL_KEYWORD);
                after_def = (j - i == 3 && memcmp(s + i, "def", 3) == 0)
                            || (j - i == 5 && memcmp(s + i, "class", 5) == 0);
            } else if ((i == 0 || s[i - 1] != '.')
                       && in_table(builtins,
                                   sizeof builtins / sizeof builtins[0],
                                   s + i, j - i)) {
                mark(kinds, i, j, PYHL_BUILTIN);
            }
            i = j;
            continue;
        }
        after_def = false;
        i++;
    }
}
