/*
 * The front matter of a lesson: a strict subset of YAML, read line by line.
 * Maps of "key: value", nested by exactly two more spaces; lists of "- "
 * items (maps or scalars); one-line flow lists "[a, "b"]"; double- and
 * single-quoted strings, plain strings, integers, true and false; "#"
 * comments.  Nothing else (no anchors, tags, block scalars, flow maps,
 * multi-line strings), so every document accepted here means the same to
 * any YAML reader.  lesson.c gives the tree its meaning; lessons/FORMAT.md
 * documents both for authors.  Layer: lesson.
 */
#include "config.h"

#include "lesson/internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line of the front matter. */
struct fm_line {
    int no;                     /* line number in the file */
    const char *start;          /* its first byte */
    const char *end;            /* one past its last byte (no newline) */
    int indent;                 /* spaces before body; -1: blank or comment */
    const char *body;           /* where the content starts */
};

/* The parser's state, on lesson__fm_parse's stack. */
struct fm_parser {
    const char *file;
    struct fm_line *lines;
    size_t nlines;
    size_t pos;                 /* the next line to read */
    struct diag *d;
};

static struct lesson_fm_node *parse_map(struct fm_parser *p, int indent);

int
lesson__col(const char *line, const char *p)
{
    int col = 1;

    for (const char *q = line; q < p; q++) {
        if (((unsigned char)*q & 0xc0) != 0x80) {
            col++;
        }
    }
    /* A continuation byte at p itself belongs to the character before. */
    if (p > line && ((unsigned char)*p & 0xc0) == 0x80) {
        col--;
    }
    return col;
}

const char *
lesson__bad_utf8(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp, min;

        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            n = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return str + i;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xc0) != 0x80) {
                return str + i;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return str + i;
        }
        i += n + 1;
    }
    return NULL;
}

/* ---- errors and nodes ---------------------------------------------------- */

static void fail_at(struct fm_parser *p, const struct fm_line *l,
                    const char *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sets the error at byte at of line l. */
static void
fail_at(struct fm_parser *p, const struct fm_line *l, const char *at,
        const char *fmt, ...)
{
    va_list ap;
    char msg[sizeof p->d->msg];

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_set_at(p->d, p->file, l->no, lesson__col(l->start, at), "%s", msg);
}

static struct lesson_fm_node *
node_new(enum lesson_fm_kind kind, const struct fm_line *l, const char *at)
{
    struct lesson_fm_node *n = xcalloc(1, sizeof *n);

    n->kind = kind;
    n->line = l->no;
    n->col = lesson__col(l->start, at);
    return n;
}

void
lesson__fm_free(struct lesson_fm_node *n)
{
    if (n == NULL) {
        return;
    }
    free(n->str);
    for (size_t i = 0; i < n->nentries; i++) {
        free(n->entries[i].key);
        lesson__fm_free(n->entries[i].value);
    }
    free(n->entries);
    for (size_t i = 0; i < n->nitems; i++) {
        lesson__fm_free(n->items[i]);
    }
    free(n->items);
    free(n);
}

static void
list_add(struct lesson_fm_node *list, struct lesson_fm_node *item)
{
    list->items = xrealloc(list->items,
                           (list->nitems + 1) * sizeof *list->items);
    list->items[list->nitems++] = item;
}

/* ---- lines --------------------------------------------------------------- */

/* Splits text into lines, classifying each.  -1 with p->d set on a tab in
 * the indentation, a carriage return or a control character. */
static int
split_lines(struct fm_parser *p, const char *text, size_t len, int first)
{
    const char *s = text, *end = text + len;
    size_t cap = 0;

    while (s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        struct fm_line l;
        const char *q;

        if (e == NULL) {
            e = end;
        }
        l.no = first + (int)p->nlines;
        l.start = s;
        l.end = e;
        for (q = s; q < e; q++) {
            if (*q == '\r') {
                fail_at(p, &l, q, _("expected a line feed, found a carriage "
                                    "return: save the file with Unix line "
                                    "endings"));
                return -1;
            }
            if ((unsigned char)*q < 0x20 && *q != '\t') {
                fail_at(p, &l, q, _("expected text, found control character "
                                    "0x%02x"), (unsigned char)*q);
                return -1;
            }
        }
        for (q = s; q < e && *q == ' '; q++) {
            continue;
        }
        l.body = q;
        l.indent = (int)(q - s);
        if (q < e && *q == '\t') {
            fail_at(p, &l, q, _("expected spaces for indentation, found a "
                                "tab"));
            return -1;
        }
        while (q < e && (*q == ' ' || *q == '\t')) {
            q++;
        }
        if (q == e || *q == '#') {
            l.indent = -1;
        }
        if (p->nlines == cap) {
            cap = cap ? cap * 2 : 32;
            p->lines = xrealloc(p->lines, cap * sizeof *p->lines);
        }
        p->lines[p->nlines++] = l;
        s = e < end ? e + 1 : e;
    }
    return 0;
}

/* The next line with content, or NULL at the end. */
static struct fm_line *
peek(struct fm_parser *p)
{
    while (p->pos < p->nlines && p->lines[p->pos].indent < 0) {
        p->pos++;
    }
    return p->pos < p->nlines ? &p->lines[p->pos] : NULL;
}

static bool
is_key_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Does the text at s look like "key:" followed by a space or the end? */
static bool
looks_like_key(const char *s, const char *e)
{
    const char *q = s;

    while (q < e && is_key_char(*q)) {
        q++;
    }
    return q > s && q < e && *q == ':' && (q + 1 == e || q[1] == ' ');
}

static bool
is_item(const struct fm_line *l)
{
    return l->body < l->end && *l->body == '-'
           && (l->body + 1 == l->end || l->body[1] == ' ');
}

/* ---- scalars ------------------------------------------------------------- */

static const char *
skip_spaces(const char *s, const char *e)
{
    while (s < e && (*s == ' ' || *s == '\t')) {
        s++;
    }
    return s;
}

/* After a value: only spaces, then maybe a comment.  0 or -1. */
static int
expect_line_end(struct fm_parser *p, const struct fm_line *l, const char *s)
{
    const char *q = skip_spaces(s, l->end);

    if (q < l->end && !(*q == '#' && q > s)) {
        fail_at(p, l, q, _("expected the end of the line after the value, "
                           "found '%c'"), *q);
        return -1;
    }
    return 0;
}

/* A quoted string starting at *sp (the quote).  Moves *sp past the closing
 * quote.  New node, or NULL with the error set. */
static struct lesson_fm_node *
parse_quoted(struct fm_parser *p, const struct fm_line *l, const char **sp)
{
    const char *open = *sp, *s = open + 1;
    char q = *open;
    struct str out;
    struct lesson_fm_node *n;

    str_init(&out);
    for (;;) {
        if (s >= l->end) {
            fail_at(p, l, l->end, _("expected %s to close the string opened "
                                    "at column %d"),
                    q == '"' ? "'\"'" : "\"'\"",
                    lesson__col(l->start, open));
            str_fini(&out);
            return NULL;
        }
        if (*s == q) {
            if (q == '\'' && s + 1 < l->end && s[1] == '\'') {
                str_addc(&out, '\'');
                s += 2;
                continue;
            }
            break;
        }
        if (q == '"' && *s == '\\') {
            const char *esc = s;
            uint32_t cp = 0;

            s++;
            switch (s < l->end ? *s : '\0') {
            case '"': str_addc(&out, '"'); break;
            case '\\': str_addc(&out, '\\'); break;
            case '/': str_addc(&out, '/'); break;
            case 'n': str_addc(&out, '\n'); break;
            case 't': str_addc(&out, '\t'); break;
            case 'u':
                for (int k = 1; k <= 4; k++) {
                    if (s + k >= l->end || !isxdigit((unsigned char)s[k])) {
                        fail_at(p, l, esc, _("expected four hexadecimal "
                                             "digits after '\\u'"));
                        str_fini(&out);
                        return NULL;
                    }
                    cp = cp * 16 + (uint32_t)(isdigit((unsigned char)s[k])
                                  ? s[k] - '0'
                                  : tolower((unsigned char)s[k]) - 'a' + 10);
                }
                if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
                    fail_at(p, l, esc, _("expected a character, not "
                                         "\\u%04X"), (unsigned)cp);
                    str_fini(&out);
                    return NULL;
                }
                str_add_utf8(&out, cp);
                s += 4;
                break;
            default:
                fail_at(p, l, esc, _("expected one of the escapes \\\" \\\\ "
                                     "\\n \\t \\/ \\uXXXX"));
                str_fini(&out);
                return NULL;
            }
            s++;
            continue;
        }
        str_addc(&out, *s++);
    }
    n = node_new(LESSON_FM_STR, l, open);
    n->str = out.p;
    n->quoted = true;
    *sp = s + 1;
    return n;
}

static bool
word_in(const char *s, const char *const *words)
{
    for (size_t i = 0; words[i] != NULL; i++) {
        if (strcasecmp(s, words[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Would a YAML reader take this plain scalar for something not a string
 * (null, a YAML 1.1 boolean, a float, an octal or hex number)? */
static bool
is_ambiguous(const char *s)
{
    static const char *const words[] = {
        "null", "~", "yes", "no", "on", "off", "y", "n", "true", "false",
        ".inf", "-.inf", "+.inf", ".nan", NULL
    };
    const char *q = s;

    if (word_in(s, words)) {
        return true;
    }
    if (*q == '-' || *q == '+') {
        q++;
    }
    if (!isdigit((unsigned char)*q) && *q != '.') {
        return false;
    }
    for (; *q != '\0'; q++) {
        if (strchr("0123456789._:+-eExXoabcdefABCDEF", *q) == NULL) {
            return false;
        }
    }
    return true;
}

/* A plain scalar from s to e (trimmed), classified as int, bool or
 * string. */
static struct lesson_fm_node *
plain_scalar(struct fm_parser *p, const struct fm_line *l, const char *s,
             const char *e)
{
    static const char indicators[] = "-?:,[]{}#&*!|>'\"%@`";
    struct lesson_fm_node *n;
    const char *q = s;
    size_t len = (size_t)(e - s);

    if (strchr(indicators, *s) != NULL
        && !(*s == '-' && e - s > 1 && isdigit((unsigned char)s[1]))) {
        fail_at(p, l, s, _("expected a value; a value starting with '%c' "
                           "must be quoted"), *s);
        return NULL;
    }
    for (q = s; q < e; q++) {
        if (*q == ':' && (q + 1 == e || q[1] == ' ')) {
            fail_at(p, l, q, _("expected no ': ' inside a plain value: "
                               "quote the value"));
            return NULL;
        }
    }
    n = node_new(LESSON_FM_STR, l, s);
    n->str = xmalloc(len + 1);
    memcpy(n->str, s, len);
    n->str[len] = '\0';
    if (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0) {
        n->kind = LESSON_FM_BOOL;
        n->truth = n->str[0] == 't';
        return n;
    }
    q = n->str + (*n->str == '-');
    if (isdigit((unsigned char)*q) && (*q != '0' || q[1] == '\0')) {
        char *end;

        while (isdigit((unsigned char)*q)) {
            q++;
        }
        if (*q == '\0') {
            errno = 0;
            n->num = strtoll(n->str, &end, 10);
            if (errno != 0) {
                fail_at(p, l, s, _("expected an integer that fits in 64 "
                                   "bits"));
                lesson__fm_free(n);
                return NULL;
            }
            n->kind = LESSON_FM_INT;
            return n;
        }
    }
    n->ambiguous = is_ambiguous(n->str);
    return n;
}

/* A one-line flow list "[a, "b", 3]" starting at *sp. */
static struct lesson_fm_node *
parse_flow(struct fm_parser *p, const struct fm_line *l, const char **sp)
{
    const char *open = *sp, *s = skip_spaces(open + 1, l->end);
    struct lesson_fm_node *list = node_new(LESSON_FM_LIST, l, open);

    if (s < l->end && *s == ']') {
        *sp = s + 1;
        return list;
    }
    for (;;) {
        struct lesson_fm_node *item;

        if (s >= l->end) {
            fail_at(p, l, s, _("expected ']' to close the list opened at "
                               "column %d (a list stays on one line)"),
                    lesson__col(l->start, open));
            goto error;
        }
        if (*s == '"' || *s == '\'') {
            if ((item = parse_quoted(p, l, &s)) == NULL) {
                goto error;
            }
        } else if (*s == '[' || *s == '{' || *s == ',' || *s == ']') {
            fail_at(p, l, s, _("expected a string or a number as a list "
                               "item, found '%c'"), *s);
            goto error;
        } else {
            const char *e = s;

            while (e < l->end && *e != ',' && *e != ']'
                   && !(*e == '#' && e > s && e[-1] == ' ')) {
                e++;
            }
            while (e > s && (e[-1] == ' ' || e[-1] == '\t')) {
                e--;
            }
            if ((item = plain_scalar(p, l, s, e)) == NULL) {
                goto error;
            }
            s = e;
        }
        list_add(list, item);
        s = skip_spaces(s, l->end);
        if (s < l->end && *s == ']') {
            *sp = s + 1;
            return list;
        }
        if (s >= l->end) {
            continue;           /* reported as an unclosed list */
        }
        if (*s != ',') {
            fail_at(p, l, s, _("expected ',' or ']' after a list item"));
            goto error;
        }
        s = skip_spaces(s + 1, l->end);
        if (s < l->end && *s == ']') {
            fail_at(p, l, s, _("expected a list item after ','"));
            goto error;
        }
    }
error:
    lesson__fm_free(list);
    return NULL;
}

/* The value on the rest of a line, from s: a quoted string, a flow list or
 * a plain scalar, then the end of the line. */
static struct lesson_fm_node *
parse_inline(struct fm_parser *p, const struct fm_line *l, const char *s)
{
    struct lesson_fm_node *n;

    if (*s == '"' || *s == '\'') {
        n = parse_quoted(p, l, &s);
    } else if (*s == '[') {
        n = parse_flow(p, l, &s);
    } else if (*s == '{') {
        fail_at(p, l, s, _("expected a value: '{' maps are not part of the "
                           "format; write the keys on their own lines"));
        return NULL;
    } else if (*s == '|' || *s == '>') {
        fail_at(p, l, s, _("expected a value on this line: block strings "
                           "('%c') are not part of the format; write "
                           "\"...\\n...\""), *s);
        return NULL;
    } else {
        const char *e = s;

        while (e < l->end && !(*e == '#' && (e[-1] == ' '
                                             || e[-1] == '\t'))) {
            e++;
        }
        while (e > s && (e[-1] == ' ' || e[-1] == '\t')) {
            e--;
        }
        n = plain_scalar(p, l, s, e);
        s = e;
    }
    if (n != NULL && expect_line_end(p, l, s) < 0) {
        lesson__fm_free(n);
        return NULL;
    }
    return n;
}

/* ---- blocks -------------------------------------------------------------- */

static void
fail_indent(struct fm_parser *p, const struct fm_line *l, int want)
{
    fail_at(p, l, l->body, _("expected an indentation of %d spaces, found "
                             "%d"), want, l->indent);
}

/* The block under "key:" at line kl, whose content must start at indent. */
static struct lesson_fm_node *
parse_nested(struct fm_parser *p, const struct fm_line *kl,
             const char *key, int indent)
{
    struct fm_line *l = peek(p);

    if (l == NULL || l->indent < indent) {
        fail_at(p, kl, kl->end, _("expected a value after '%s:', on the "
                                  "same line or indented by two more "
                                  "spaces on the next"), key);
        return NULL;
    }
    if (l->indent != indent) {
        fail_indent(p, l, indent);
        return NULL;
    }
    if (is_item(l)) {
        struct lesson_fm_node *list = node_new(LESSON_FM_LIST, l, l->body);

        for (;;) {
            struct lesson_fm_node *item;
            const char *s;

            l = peek(p);
            if (l == NULL || l->indent < indent) {
                return list;
            }
            if (l->indent != indent) {
                /* Deeper than the dash: meant for the item's map. */
                bool in_map = list->nitems > 0
                    && list->items[list->nitems - 1]->kind == LESSON_FM_MAP;

                fail_indent(p, l, in_map ? indent + 2 : indent);
                goto error;
            }
            if (!is_item(l)) {
                fail_at(p, l, l->body, _("expected a list item ('- ') "
                                         "like the ones above it"));
                goto error;
            }
            s = l->body + 2;
            if (l->body + 1 >= l->end || s >= l->end || *s == '#') {
                fail_at(p, l, l->body, _("expected a value after '- '"));
                goto error;
            }
            if (*s == ' ') {
                fail_at(p, l, s, _("expected one space after '-', found "
                                   "more"));
                goto error;
            }
            if (looks_like_key(s, l->end)) {
                /* "- key: v" opens a map whose keys line up with "key". */
                l->indent = indent + 2;
                l->body = s;
                item = parse_map(p, indent + 2);
            } else {
                item = parse_inline(p, l, s);
                p->pos++;
            }
            if (item == NULL) {
                goto error;
            }
            list_add(list, item);
        }
    error:
        lesson__fm_free(list);
        return NULL;
    }
    return parse_map(p, indent);
}

/* A map whose keys start at column indent + 1, up to the first line
 * indented less. */
static struct lesson_fm_node *
parse_map(struct fm_parser *p, int indent)
{
    struct fm_line *l = peek(p);
    struct lesson_fm_node *map = node_new(LESSON_FM_MAP, l, l->body);

    while ((l = peek(p)) != NULL && l->indent >= indent) {
        struct lesson_fm_entry *ent;
        const char *s = l->body, *k;
        char *key;

        if (l->indent != indent) {
            fail_indent(p, l, indent);
            goto error;
        }
        if (is_item(l)) {
            fail_at(p, l, s, _("expected a key, found a list item: a list "
                               "goes under a key, two spaces further "
                               "in"));
            goto error;
        }
        for (k = s; k < l->end && is_key_char(*k); k++) {
            continue;
        }
        if (k == s) {
            fail_at(p, l, s, _("expected a key (letters, digits and '_') "
                               "followed by ':'"));
            goto error;
        }
        if (k >= l->end || *k != ':') {
            fail_at(p, l, k, _("expected ':' after the key '%.*s'"),
                    (int)(k - s), s);
            goto error;
        }
        key = xmalloc((size_t)(k - s) + 1);
        memcpy(key, s, (size_t)(k - s));
        key[k - s] = '\0';
        for (size_t i = 0; i < map->nentries; i++) {
            if (strcmp(map->entries[i].key, key) == 0) {
                fail_at(p, l, s, _("expected each key once: '%s' is "
                                   "already at line %d"), key,
                        map->entries[i].line);
                free(key);
                goto error;
            }
        }
        map->entries = xrealloc(map->entries,
                                (map->nentries + 1) * sizeof *map->entries);
        ent = &map->entries[map->nentries++];
        ent->key = key;
        ent->line = l->no;
        ent->col = lesson__col(l->start, s);
        ent->value = NULL;
        s = k + 1;
        if (s < l->end && *s != ' ') {
            fail_at(p, l, s, _("expected a space after '%s:'"), key);
            goto error;
        }
        s = skip_spaces(s, l->end);
        if (s == l->end || *s == '#') {
            p->pos++;
            ent->value = parse_nested(p, l, key, indent + 2);
        } else {
            ent->value = parse_inline(p, l, s);
            p->pos++;
        }
        if (ent->value == NULL) {
            goto error;
        }
    }
    return map;
error:
    lesson__fm_free(map);
    return NULL;
}

struct lesson_fm_node *
lesson__fm_parse(const char *file, const char *text, size_t len,
                 int first_line, struct diag *d)
{
    struct fm_parser p = { .file = file, .d = d };
    struct lesson_fm_node *root = NULL;
    struct fm_line *l;

    if (split_lines(&p, text, len, first_line) < 0) {
        goto out;
    }
    if ((l = peek(&p)) == NULL) {
        root = xcalloc(1, sizeof *root);
        root->kind = LESSON_FM_MAP;
        root->line = first_line;
        root->col = 1;
        goto out;
    }
    if (l->indent != 0) {
        fail_indent(&p, l, 0);
        goto out;
    }
    root = parse_map(&p, 0);
    if (root != NULL && (l = peek(&p)) != NULL) {
        /* parse_map(0) stops only at the end. */
        fatal("front matter parser stopped at line %d", l->no);
    }
out:
    free(p.lines);
    return root;
}
