/*
 * Schedule strings: the decisions of a run, written so that --schedule can
 * replay them.  "T1:<policy>:<seed>:<entries>", each entry
 * "<step delta>-<actor>" in lowercase base 36, joined by ',': short, and
 * safe to paste into a shell unquoted.  This file only encodes and
 * decodes; sched.c records and replays.  Layer: sched.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sched/internal.h"

void
schedule_init(struct schedule *sc)
{
    sc->v = NULL;
    sc->n = 0;
    sc->cap = 0;
}

void
schedule_fini(struct schedule *sc)
{
    const struct allocator *a = sc->alloc;

    alloc_free(a, sc->v, sc->cap * sizeof *sc->v);
    schedule_init(sc);
    sc->alloc = a;
}

void
schedule_add(struct schedule *sc, uint64_t step, int actor)
{
    if (sc->n == sc->cap) {
        size_t cap = sc->cap != 0 ? sc->cap * 2 : 64;

        sc->v = alloc_realloc(sc->alloc, sc->v, sc->cap * sizeof *sc->v,
                              cap * sizeof *sc->v);
        sc->cap = cap;
    }
    sc->v[sc->n].step = step;
    sc->v[sc->n].actor = actor;
    sc->n++;
}

void
schedule_format(const struct schedule *sc, const char *policy, uint64_t seed,
                struct str *out)
{
    uint64_t prev = 0;

    str_addf(out, "T1:%s:%" PRIu64 ":", policy, seed);
    for (size_t i = 0; i < sc->n; i++) {
        if (i > 0) {
            str_addc(out, ',');
        }
        str_add_base36(out, sc->v[i].step - prev);
        str_addc(out, '-');
        str_add_base36(out, (uint64_t)sc->v[i].actor);
        prev = sc->v[i].step;
    }
}

/* The value of a base-36 digit (either case), or -1. */
static int
schedule_digit36(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'Z') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Read a number in base (10 or 36) at *p into *v, advancing *p.  False when
 * there is no digit or the value does not fit in 64 bits. */
static bool
schedule_number(const char **p, int base, uint64_t *v)
{
    const char *q = *p;
    uint64_t x = 0;
    int dv;

    while ((dv = schedule_digit36(*q)) >= 0 && dv < base) {
        if (x > (UINT64_MAX - (uint64_t)dv) / (uint64_t)base) {
            return false;
        }
        x = x * (uint64_t)base + (uint64_t)dv;
        q++;
    }
    if (q == *p) {
        return false;
    }
    *p = q;
    *v = x;
    return true;
}

static int
schedule_error(struct diag *d, const char *text, const char *at,
               const char *what)
{
    diag_set(d, _("schedule: expected %s at column %zu"), what,
             (size_t)(at - text) + 1);
    return -1;
}

int
schedule_parse(const char *text, char **policy, uint64_t *seed,
               struct schedule *sc, struct diag *d)
{
    const char *p = text, *name;
    size_t colons = 0;
    uint64_t step = 0, v;

    if (strncmp(p, "T1:", 3) != 0) {
        return schedule_error(d, text, p, _("\"T1:\""));
    }
    p += 3;
    name = p;
    while (*p >= 'a' && *p <= 'z') {
        p++;
    }
    if (p == name) {
        return schedule_error(d, text, p, _("a policy name"));
    }
    /* The policy may carry an argument ("rr:3"), which makes one more
     * field: with three colons left there is an argument, with two not. */
    for (const char *q = p; *q != '\0'; q++) {
        colons += *q == ':';
    }
    if (colons >= 3) {
        const char *arg = ++p;

        while (*p != ':' && *p != '\0') {
            p++;
        }
        if (p == arg) {
            return schedule_error(d, text, p, _("a policy argument"));
        }
    }
    *policy = xmalloc((size_t)(p - name) + 1);
    memcpy(*policy, name, (size_t)(p - name));
    (*policy)[p - name] = '\0';
    if (*p != ':') {
        goto fail_colon;
    }
    p++;
    if (!schedule_number(&p, 10, seed)) {
        schedule_error(d, text, p, _("a decimal seed"));
        goto fail;
    }
    if (*p != ':') {
        goto fail_colon;
    }
    p++;
    while (*p != '\0') {
        const char *at = p;

        if (!schedule_number(&p, 36, &v)) {
            schedule_error(d, text, p, _("a base-36 step delta"));
            goto fail;
        }
        /* Two decisions never share a step: each takes one. */
        if (v == 0 || step > UINT64_MAX - v) {
            schedule_error(d, text, at,
                           _("a step delta from 1 to the end of time"));
            goto fail;
        }
        step += v;
        if (*p != '-') {
            schedule_error(d, text, p, _("'-'"));
            goto fail;
        }
        at = ++p;
        if (!schedule_number(&p, 36, &v) || v >= SCHED_MAX_ACTORS) {
            schedule_error(d, text, at, _("a base-36 actor id"));
            goto fail;
        }
        schedule_add(sc, step, (int)v);
        if (*p == ',') {
            p++;
            if (*p == '\0') {
                schedule_error(d, text, p, _("a base-36 step delta"));
                goto fail;
            }
        } else if (*p != '\0') {
            schedule_error(d, text, p, _("',' or the end"));
            goto fail;
        }
    }
    return 0;
fail_colon:
    schedule_error(d, text, p, _("':'"));
fail:
    free(*policy);
    *policy = NULL;
    schedule_fini(sc);
    return -1;
}
