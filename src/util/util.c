/*
 * Allocation, diagnostics, growable strings and fatal(): the util layer.
 * Nothing here knows about Python, curses or the scheduler.
 */
#include "config.h"

#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*fatal_hook)(void);

void
diag_set(struct diag *d, const char *fmt, ...)
{
    va_list ap;

    d->file[0] = '\0';
    d->line = d->col = 0;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
}

void
diag_set_at(struct diag *d, const char *file, int line, int col,
            const char *fmt, ...)
{
    va_list ap;

    snprintf(d->file, sizeof d->file, "%s", file);
    d->line = line;
    d->col = col;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
}

void
diag_format(const struct diag *d, char *buf, size_t size)
{
    if (d->file[0] != '\0' && d->line > 0) {
        snprintf(buf, size, "%s:%d:%d: %s", d->file, d->line,
                 d->col > 0 ? d->col : 1, d->msg);
    } else if (d->file[0] != '\0') {
        snprintf(buf, size, "%s: %s", d->file, d->msg);
    } else {
        snprintf(buf, size, "%s", d->msg);
    }
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (p == NULL) {
        fatal("out of memory allocating %zu bytes", size);
    }
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (p == NULL) {
        fatal("out of memory allocating %zu x %zu bytes", n, size);
    }
    return p;
}

void *
xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);

    if (q == NULL) {
        fatal("out of memory reallocating %zu bytes", size);
    }
    return q;
}

char *
xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(xmalloc(n), s, n);
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    if (n > 0) {
        memcpy(p, s, n);
    }
    p[n] = '\0';
    return p;
}

char *
xasprintf(const char *fmt, ...)
{
    struct str s;
    va_list ap;

    str_init(&s);
    va_start(ap, fmt);
    str_vaddf(&s, fmt, ap);
    va_end(ap);
    return s.p;
}

void
fatal_set_hook(void (*hook)(void))
{
    fatal_hook = hook;
}

int
fd_move_high(int fd)
{
    int to = fcntl(fd, F_DUPFD_CLOEXEC, 512);

    if (to < 0) {
        return fd;
    }
    close(fd);
    return to;
}

void
fatal_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    if (fatal_hook != NULL) {
        fatal_hook();
    }
    fprintf(stderr, "telar: internal error at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void
str_init(struct str *s)
{
    s->cap = 64;
    s->len = 0;
    s->p = xmalloc(s->cap);
    s->p[0] = '\0';
}

void
str_fini(struct str *s)
{
    free(s->p);
    s->p = NULL;
    s->len = s->cap = 0;
}

static void
str_reserve(struct str *s, size_t extra)
{
    if (s->len + extra + 1 > s->cap) {
        while (s->len + extra + 1 > s->cap) {
            s->cap *= 2;
        }
        s->p = xrealloc(s->p, s->cap);
    }
}

void
str_add(struct str *s, const void *data, size_t len)
{
    str_reserve(s, len);
    memcpy(s->p + s->len, data, len);
    s->len += len;
    s->p[s->len] = '\0';
}

void
str_addc(struct str *s, char c)
{
    str_add(s, &c, 1);
}

void
str_adds(struct str *s, const char *cstr)
{
    str_add(s, cstr, strlen(cstr));
}

void
str_vaddf(struct str *s, const char *fmt, va_list ap)
{
    va_list aq;
    int n;

    va_copy(aq, ap);
    n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) {
        return;
    }
    str_reserve(s, (size_t)n);
    vsnprintf(s->p + s->len, (size_t)n + 1, fmt, ap);
    s->len += (size_t)n;
}

void
str_addf(struct str *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    str_vaddf(s, fmt, ap);
    va_end(ap);
}

void
str_add_utf8(struct str *s, uint32_t cp)
{
    if (cp < 0x80) {
        str_addc(s, (char)cp);
    } else if (cp < 0x800) {
        str_addc(s, (char)(0xc0 | (cp >> 6)));
        str_addc(s, (char)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        str_addc(s, (char)(0xe0 | (cp >> 12)));
        str_addc(s, (char)(0x80 | ((cp >> 6) & 0x3f)));
        str_addc(s, (char)(0x80 | (cp & 0x3f)));
    } else {
        str_addc(s, (char)(0xf0 | (cp >> 18)));
        str_addc(s, (char)(0x80 | ((cp >> 12) & 0x3f)));
        str_addc(s, (char)(0x80 | ((cp >> 6) & 0x3f)));
        str_addc(s, (char)(0x80 | (cp & 0x3f)));
    }
}

void
str_add_base36(struct str *s, uint64_t v)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char buf[16];
    size_t n = 0;

    do {
        buf[n++] = digits[v % 36];
        v /= 36;
    } while (v != 0);
    while (n > 0) {
        str_addc(s, buf[--n]);
    }
}

void
str_add_json(struct str *s, const char *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";

    str_addc(s, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)data[i];

        switch (c) {
        case '"':  str_adds(s, "\\\""); break;
        case '\\': str_adds(s, "\\\\"); break;
        case '\n': str_adds(s, "\\n"); break;
        case '\r': str_adds(s, "\\r"); break;
        case '\t': str_adds(s, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char esc[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15],
                                '\0' };
                str_adds(s, esc);
            } else {
                str_addc(s, (char)c);
            }
        }
    }
    str_addc(s, '"');
}

/* ---- UTF-8 widths ------------------------------------------------------- */

size_t
str_char(const char *s, size_t len, wchar_t *wc, int *width)
{
    unsigned char c = (unsigned char)s[0];
    mbstate_t st;
    size_t n;

    if (c < 0x80) {
        *wc = c == '\t' ? L' ' : c < 0x20 || c == 0x7f ? L'?' : (wchar_t)c;
        *width = 1;
        return 1;
    }
    memset(&st, 0, sizeof st);
    n = MB_CUR_MAX > 1 ? mbrtowc(wc, s, len, &st) : (size_t)-1;
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        /* Skip the rest of a broken sequence as one '?'. */
        n = 1;
        while (n < len && ((unsigned char)s[n] & 0xc0) == 0x80 && n < 4) {
            n++;
        }
        *wc = L'?';
        *width = 1;
        return n;
    }
    *width = wcwidth(*wc);
    if (*width < 0) {
        *wc = L'?';
        *width = 1;
    }
    return n;
}

int
str_width(const char *s, size_t len)
{
    int w = 0;

    while (len > 0) {
        wchar_t wc;
        int cw;
        size_t n = str_char(s, len, &wc, &cw);

        w += cw;
        s += n;
        len -= n;
    }
    return w;
}
