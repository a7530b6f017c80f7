/*
 * Small utilities shared by every layer: allocation that never returns NULL,
 * the diagnostic record that carries an error from the failing call to the
 * user, and fatal() for our own bugs.  No layer below depends on anything
 * here but libc.
 */
#ifndef TELAR_UTIL_H
#define TELAR_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

/* An error to show the user: "file:line:col: msg", or just "msg" when there
 * is no position.  Owned by the caller, usually on its stack. */
struct diag {
    char file[256];
    int line;                   /* 0: no position */
    int col;
    char msg[512];
};

void diag_set(struct diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_set_at(struct diag *d, const char *file, int line, int col,
                 const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Format as the user sees it, GNU style. */
void diag_format(const struct diag *d, char *buf, size_t size);

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
/* The n bytes at s (which need no NUL), NUL-terminated: a new string. */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Restores what a terminal-owning front end registered, prints
 * "telar: internal error at file:line: ..." and aborts. */
#define fatal(...) fatal_at(__FILE__, __LINE__, __VA_ARGS__)
void fatal_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
/* Called by fatal() before printing; the TUI sets it to its restore. */
void fatal_set_hook(void (*hook)(void));

/* Move a descriptor of telar's own (the event log, the shared arena) up
 * to the lowest free number from 512 on, closing the old one, so that the
 * scenario's os.pipe() and open() get the numbers they get under python3.
 * Returns the new descriptor, or fd itself when it cannot move (a limit
 * on open files below that). */
int fd_move_high(int fd);

/* A growable byte buffer.  Owned by whoever embeds it; str_fini frees. */
struct str {
    char *p;
    size_t len;
    size_t cap;
};

void str_init(struct str *s);
void str_fini(struct str *s);
void str_add(struct str *s, const void *data, size_t len);
void str_addc(struct str *s, char c);
void str_adds(struct str *s, const char *cstr);
void str_addf(struct str *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void str_vaddf(struct str *s, const char *fmt, va_list ap);
/* JSON string literal, quotes included. */
void str_add_json(struct str *s, const char *data, size_t len);
/* v in lowercase base 36 (schedule strings). */
void str_add_base36(struct str *s, uint64_t v);
/* The code point cp (<= 0x10ffff) in UTF-8. */
void str_add_utf8(struct str *s, uint32_t cp);

/* Decode the first character of the UTF-8 text s (len > 0 bytes left):
 * its code point in *wc, the columns it takes in *width (wcwidth: 0 for a
 * combining mark, 2 for a wide one).  Bad bytes, control characters and
 * what the locale cannot show come back as '?' one column wide; a tab as
 * a space.  Returns the bytes it took (at least 1). */
size_t str_char(const char *s, size_t len, wchar_t *wc, int *width);
/* The columns len bytes of UTF-8 take, as str_char counts them. */
int str_width(const char *s, size_t len);

/* splitmix64: the one PRNG every seeded decision uses. */
static inline uint64_t
rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static inline uint64_t
rng_below(uint64_t *state, uint64_t n)
{
    return n ? rng_next(state) % n : 0;
}

#endif
