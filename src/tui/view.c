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

#include "tui/doc.h"
#include "tui/internal.h"
#include "tui/pyhl.h"

#define TEXT_CHUNK 256

int
view_width(const char *s, size_t len)
{
    return str_width(s, len);
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
        size_t n = str_char(s, len, &wc, &cw);

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

int
view_wrapped(WINDOW *win, int y, int x, const char *s, attr_t attr,
             short pair)
{
    int h = getmaxy(win), w = getmaxx(win) - x;

    while (*s != '\0' && y < h && w > 0) {
        size_t len = strlen(s), n = len, fit = 0;
        int used = 0;

        /* The longest prefix that fits, cut at a space if there is one. */
        while (fit < len) {
            wchar_t wc;
            int cw;
            size_t k = str_char(s + fit, len - fit, &wc, &cw);

            if (used + cw > w) {
                break;
            }
            used += cw;
            fit += k;
        }
        if (fit < len) {
            n = fit;
            while (n > 0 && s[n] != ' ') {
                n--;
            }
            n = n > 0 ? n : fit > 0 ? fit : 1;
        }
        view_text(win, y++, x, w, s, n, attr, pair);
        s += n;
        while (*s == ' ') {
            s++;
        }
    }
    return y;
}

/* How a span of the text looks. */
static void
span_style(const struct tty_theme *th, const struct doc_line *line,
           const struct doc_span *sp, attr_t *attr, short *pair)
{
    unsigned a = sp->attr;

    *attr = A_NORMAL;
    *pair = 0;
    if (a & DOC_BLOCK) {
        *attr = th->syntax_attr[sp->tok < TTY_NSYNTAX ? sp->tok : 0];
        *pair = th->syntax_pair[sp->tok < TTY_NSYNTAX ? sp->tok : 0];
        return;
    }
    if (a & DOC_HEADING) {
        *attr = A_BOLD;
        *pair = line->heading <= 2 ? th->heading_pair : 0;
    }
    if (a & (DOC_RULE | DOC_QUOTE | DOC_URL | DOC_HTML)) {
        *attr |= A_DIM;
    }
    if (a & DOC_MARK) {
        *attr |= A_BOLD;
        *pair = th->heading_pair;
    }
    if (a & DOC_LABEL) {
        *attr |= A_BOLD;
        *pair = th->syntax_pair[PYHL_STRING];
    }
    if (a & DOC_STRONG) {
        *attr |= A_BOLD;
    }
    if (a & DOC_EMPH) {
        *attr |= th->emph;
    }
    if (a & DOC_CODE) {
        *attr |= th->code;
        *pair = th->code_pair;
    }
    if (a & DOC_LINK) {
        *attr |= th->link;
        *pair = th->link_pair;
    }
}

int
view_doc_line(WINDOW *w, int y, int x, int maxw, const struct tty_theme *th,
              const struct doc *d, const struct doc_line *line)
{
    int used = 0;

    for (size_t k = 0; k < line->nspans && used < maxw; k++) {
        const struct doc_span *sp = &line->spans[k];
        attr_t attr;
        short pair;

        span_style(th, line, sp, &attr, &pair);
        used += view_text(w, y, x + used, maxw - used, doc_text(d) + sp->off,
                          sp->len, attr, pair);
    }
    return used;
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
