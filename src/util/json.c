/*
 * Reading JSON (util layer): a recursive-descent parser over a buffer, for
 * the --json output of telar's own commands.  See json.h.
 */
#include "config.h"

#include "util/json.h"

#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64

struct parser {
    const char *p, *start, *end;
    struct diag *d;
    bool failed;
};

static void
fail(struct parser *ps, const char *what)
{
    if (!ps->failed) {
        diag_set(ps->d, _("offset %zu: expected %s"),
                 (size_t)(ps->p - ps->start), what);
        ps->failed = true;
    }
}

static void
skip_space(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'
                               || *ps->p == '\n' || *ps->p == '\r')) {
        ps->p++;
    }
}

static bool
literal(struct parser *ps, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
        return false;
    }
    ps->p += n;
    return true;
}

static int
hex4(struct parser *ps)
{
    int v = 0;

    if (ps->end - ps->p < 4) {
        return -1;
    }
    for (int i = 0; i < 4; i++) {
        char c = *ps->p++;

        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v |= c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            v |= c - 'A' + 10;
        } else {
            return -1;
        }
    }
    return v;
}

/* A string after its opening quote, into out (a new string). */
static bool
parse_string(struct parser *ps, char **out, size_t *len)
{
    struct str s;

    str_init(&s);
    str_add(&s, "", 0);
    while (ps->p < ps->end && *ps->p != '"') {
        unsigned char c = (unsigned char)*ps->p++;

        if (c < 0x20) {
            ps->p--;
            fail(ps, _("no control character inside a string"));
            str_fini(&s);
            return false;
        }
        if (c != '\\') {
            str_addc(&s, (char)c);
            continue;
        }
        if (ps->p >= ps->end) {
            break;
        }
        c = (unsigned char)*ps->p++;
        switch (c) {
        case '"': case '\\': case '/': str_addc(&s, (char)c); break;
        case 'b': str_addc(&s, '\b'); break;
        case 'f': str_addc(&s, '\f'); break;
        case 'n': str_addc(&s, '\n'); break;
        case 'r': str_addc(&s, '\r'); break;
        case 't': str_addc(&s, '\t'); break;
        case 'u': {
            int hi = hex4(ps), lo;
            unsigned long cp = (unsigned long)hi;

            if (hi < 0) {
                fail(ps, _("four hex digits after \\u"));
                str_fini(&s);
                return false;
            }
            if (hi >= 0xd800 && hi < 0xdc00) {
                const char *back = ps->p;

                if (literal(ps, "\\u") && (lo = hex4(ps)) >= 0xdc00
                    && lo < 0xe000) {
                    cp = 0x10000 + (((unsigned long)hi - 0xd800) << 10)
                         + ((unsigned long)lo - 0xdc00);
                } else {
                    ps->p = back;       /* the next escape is its own */
                    cp = 0xfffd;        /* a lone surrogate */
                }
            } else if (hi >= 0xdc00 && hi < 0xe000) {
                cp = 0xfffd;
            }
            str_add_utf8(&s, (uint32_t)cp);
            break;
        }
        default:
            ps->p--;
            fail(ps, _("an escape: \\\" \\\\ / b f n r t u"));
            str_fini(&s);
            return false;
        }
    }
    if (ps->p >= ps->end) {
        fail(ps, _("'\"' to close the string"));
        str_fini(&s);
        return false;
    }
    ps->p++;
    *len = s.len;
    *out = s.p;
    return true;
}

static bool parse_value(struct parser *ps, struct json *j, int depth);

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, read in the C locale
 * whatever LC_NUMERIC says. */
static bool
parse_number(struct parser *ps, struct json *j)
{
    const char *q = ps->p;
    double v = 0, scale = 1;
    int exp = 0, esign = 1;
    bool neg = false;

    if (q < ps->end && *q == '-') {
        neg = true;
        q++;
    }
    if (q >= ps->end || *q < '0' || *q > '9') {
        fail(ps, _("a value"));
        return false;
    }
    if (*q == '0') {
        q++;
    } else {
        while (q < ps->end && *q >= '0' && *q <= '9') {
            v = v * 10 + (*q++ - '0');
        }
    }
    if (q < ps->end && *q == '.') {
        q++;
        if (q >= ps->end || *q < '0' || *q > '9') {
            ps->p = q;
            fail(ps, _("a digit after '.'"));
            return false;
        }
        while (q < ps->end && *q >= '0' && *q <= '9') {
            scale /= 10;
            v += (*q++ - '0') * scale;
        }
    }
    if (q < ps->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < ps->end && (*q == '+' || *q == '-')) {
            esign = *q++ == '-' ? -1 : 1;
        }
        if (q >= ps->end || *q < '0' || *q > '9') {
            ps->p = q;
            fail(ps, _("a digit in the exponent"));
            return false;
        }
        while (q < ps->end && *q >= '0' && *q <= '9') {
            exp = exp < 10000 ? exp * 10 + (*q - '0') : exp;
            q++;
        }
        for (; exp > 0; exp--) {
            v = esign > 0 ? v * 10 : v / 10;
        }
    }
    j->type = JSON_NUMBER;
    j->num = neg ? -v : v;
    ps->p = q;
    return true;
}

/* Items of an array or members of an object, after its opening bracket. */
static bool
parse_items(struct parser *ps, struct json *j, bool object, int depth)
{
    size_t cap = 0;
    char close = object ? '}' : ']';

    j->type = object ? JSON_OBJECT : JSON_ARRAY;
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return true;
    }
    for (;;) {
        if (j->n == cap) {
            cap = cap > 0 ? cap * 2 : 4;
            j->items = xrealloc(j->items, sizeof *j->items * cap);
            if (object) {
                j->keys = xrealloc(j->keys, sizeof *j->keys * cap);
            }
        }
        memset(&j->items[j->n], 0, sizeof j->items[j->n]);
        skip_space(ps);
        if (object) {
            size_t klen;

            if (ps->p >= ps->end || *ps->p != '"') {
                fail(ps, _("a member's name in quotes"));
                return false;
            }
            ps->p++;
            if (!parse_string(ps, &j->keys[j->n], &klen)) {
                return false;
            }
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(j->keys[j->n]);
                fail(ps, "':'");
                return false;
            }
            ps->p++;
        }
        j->n++;
        if (!parse_value(ps, &j->items[j->n - 1], depth + 1)) {
            return false;
        }
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return true;
        }
        fail(ps, object ? _("',' or '}'") : _("',' or ']'"));
        return false;
    }
}

static bool
parse_value(struct parser *ps, struct json *j, int depth)
{
    if (depth > JSON_MAX_DEPTH) {
        fail(ps, _("less nesting"));
        return false;
    }
    skip_space(ps);
    if (ps->p >= ps->end) {
        fail(ps, _("a value"));
        return false;
    }
    switch (*ps->p) {
    case '{':
        ps->p++;
        return parse_items(ps, j, true, depth);
    case '[':
        ps->p++;
        return parse_items(ps, j, false, depth);
    case '"':
        ps->p++;
        j->type = JSON_STRING;
        return parse_string(ps, &j->str, &j->len);
    case 't':
    case 'f':
        j->type = JSON_BOOL;
        j->b = *ps->p == 't';
        if (literal(ps, j->b ? "true" : "false")) {
            return true;
        }
        break;
    case 'n':
        j->type = JSON_NULL;
        if (literal(ps, "null")) {
            return true;
        }
        break;
    default:
        return parse_number(ps, j);
    }
    fail(ps, _("a value"));
    return false;
}

static void
json_fini(struct json *j)
{
    for (size_t i = 0; i < j->n; i++) {
        json_fini(&j->items[i]);
        if (j->keys != NULL) {
            free(j->keys[i]);
        }
    }
    free(j->items);
    free(j->keys);
    free(j->str);
}

struct json *
json_parse(const char *text, size_t len, struct diag *d)
{
    struct parser ps = { text, text, text + len, d, false };
    struct json *j = xcalloc(1, sizeof *j);

    if (parse_value(&ps, j, 0)) {
        skip_space(&ps);
        if (ps.p == ps.end) {
            return j;
        }
        fail(&ps, _("the end after the value"));
    }
    json_free(j);
    return NULL;
}

void
json_free(struct json *j)
{
    if (j != NULL) {
        json_fini(j);
        free(j);
    }
}

const struct json *
json_get(const struct json *j, const char *key)
{
    if (j == NULL || j->type != JSON_OBJECT) {
        return NULL;
    }
    for (size_t i = 0; i < j->n; i++) {
        if (strcmp(j->keys[i], key) == 0) {
            return &j->items[i];
        }
    }
    return NULL;
}
