/*
 * Helpers every view draws with (tui layer): clipped UTF-8 text, widths,
 * virtual-time lengths, state words.  The views themselves are
 * view-*.c; this file draws nothing on its own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/internal.h"

#define TEXT_CHUNK 256

/* Decode one character of s (len bytes left): its code in *wc, the bytes
 * it takes as the result.  Bad bytes, control characters and (where the
 * locale cannot show them) non-ASCII characters come back as '?'. */
static size_t
next_char(const char *s, size_t len, wchar_t *wc, int *width)
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
view_width(const char *s, size_t len)
{
    int w = 0;

    while (len > 0) {
        wchar_t wc;
        int cw;
        size_t n = next_char(s, len, &wc, &cw);

        w += cw;
        s += n;
        len -= n;
    }
    return w;
}

int
view_text(WINDOW *w, int y, int x, int maxw, const char *s, size_t len,
          attr_t attr, short pair)
{
    wchar_t buf[TEXT_CHUNK + 1];
    int used = 0, nbuf = 0;

    if (maxw <= 0) {
        return 0;
    }
    wattr_set(w, attr, pair, NULL);
    wmove(w, y, x);
    while (len > 0) {
        wchar_t wc;
        int cw;
        size_t n = next_char(s, len, &wc, &cw);

        if (used + cw > maxw) {
            break;
        }
        if (cw == 0 && nbuf == 0) {
            s += n;             /* a combining mark with nothing under it */
            len -= n;
            continue;
        }
        buf[nbuf++] = wc;
        used += cw;
        s += n;
        len -= n;
        if (nbuf == TEXT_CHUNK) {
            buf[nbuf] = 0;
            waddnwstr(w, buf, nbuf);
            nbuf = 0;
        }
    }
    if (nbuf > 0) {
        buf[nbuf] = 0;
        waddnwstr(w, buf, nbuf);
    }
    wattr_set(w, A_NORMAL, 0, NULL);
    return used;
}

int
view_str(WINDOW *w, int y, int x, int maxw, const char *s, attr_t attr,
         short pair)
{
    return view_text(w, y, x, maxw, s, strlen(s), attr, pair);
}

void
view_format_ns(char *buf, size_t size, int64_t ns, bool ascii)
{
    static const struct {
        double div;
        const char *unit, *ascii_unit;
    } units[] = {
        { 1e9, "s", "s" }, { 1e6, "ms", "ms" }, { 1e3, "\u00b5s", "us" },
        { 1, "ns", "ns" },
    };
    double v = (double)(ns < 0 ? -ns : ns);
    size_t k = 0;
    char num[32], *p;

    if (ns == 0) {
        snprintf(buf, size, "0");
        return;
    }
    while (k + 1 < sizeof units / sizeof units[0] && v < units[k].div) {
        k++;
    }
    v /= units[k].div;
    snprintf(num, sizeof num, "%.*f", v >= 100 ? 0 : v >= 10 ? 1 : 2, v);
    if (strchr(num, '.') != NULL) {
        p = num + strlen(num) - 1;
        while (*p == '0') {
            *p-- = '\0';
        }
        if (*p == '.') {
            *p = '\0';
        }
    }
    snprintf(buf, size, "%s%s %s", ns < 0 ? "-" : "", num,
             ascii ? units[k].ascii_unit : units[k].unit);
}

const char *
view_state_word(int state)
{
    switch (state) {
    case MODEL_ST_NONE: return _("not started");
    case EV_ST_READY: return _("ready");
    case EV_ST_RUNNING: return _("running");
    case EV_ST_BLOCKED: return _("blocked");
    case EV_ST_SLEEPING: return _("sleeping");
    case EV_ST_WAITING: return _("waiting");
    case EV_ST_DONE: return _("done");
    case EV_ST_FAILED: return _("failed");
    case EV_ST_CANCELLED: return _("cancelled");
    case MODEL_ST_ALIVE: return _("started");
    default: return "?";
    }
}

int
view_pick_digit(struct model *m, int actor)
{
    const struct model_row *rows;
    size_t n = model_rows(m, &rows);
    int digit = 0;

    for (size_t i = 0; i < n && digit < 9; i++) {
        if (model_actor(m, rows[i].actor)->kind != EV_ACTOR_THREAD) {
            continue;
        }
        digit++;
        if (rows[i].actor == actor) {
            return digit;
        }
    }
    return 0;
}

int
view_pick_actor(struct model *m, int digit)
{
    const struct model_row *rows;
    size_t n = model_rows(m, &rows);
    int k = 0;

    for (size_t i = 0; i < n; i++) {
        if (model_actor(m, rows[i].actor)->kind == EV_ACTOR_THREAD
            && ++k == digit) {
            return rows[i].actor;
        }
    }
    return -1;
}
