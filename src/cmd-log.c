/*
 * telar log FILE: print an event log (written with telar run --log) as
 * text, one record a line, for people and for scripts.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "engine/engine.h"
#include "log/evlog.h"
#include "util/util.h"

static void
put_str(const struct ev *ev)
{
    struct str s;

    str_init(&s);
    str_add_json(&s, ev->str != NULL ? ev->str : "", ev->len);
    fputs(s.p, stdout);
    str_fini(&s);
}

/* The i-th of the NUL-separated parts of ev's string, as put_str. */
static void
put_part(const struct ev *ev, int i)
{
    struct ev part = *ev;
    const char *end = ev->str != NULL ? ev->str + ev->len : NULL;
    const char *nul;

    for (; i > 0 && part.str != NULL; i--) {
        nul = memchr(part.str, '\0', part.len);
        part.str = nul != NULL ? nul + 1 : NULL;
        part.len = nul != NULL ? (size_t)(end - part.str) : 0;
    }
    if (part.str != NULL && (nul = memchr(part.str, '\0', part.len)) != NULL) {
        part.len = (size_t)(nul - part.str);
    }
    put_str(&part);
}

static void
print_event(const struct ev *ev)
{
    printf("%" PRIu64 " %" PRId64 " %s", ev->step, ev->time,
           evlog_kind_name(ev->kind));
    switch (ev->kind) {
    case EV_RUN:
    case EV_DEADLOCK:
        putchar(' ');
        put_str(ev);
        break;
    case EV_ACTOR_NEW:
        printf(" actor=%d kind=%s parent=%" PRId64 " proc=%" PRId64 " name=",
               ev->actor, evlog_actor_kind_name((enum ev_actor_kind)ev->a),
               ev->b, ev->c);
        put_str(ev);
        break;
    case EV_ACTOR_NAME:
    case EV_EXCEPTION:
    case EV_NOTE:
        printf(" actor=%d ", ev->actor);
        put_str(ev);
        break;
    case EV_STATE:
        printf(" actor=%d %s", ev->actor,
               evlog_state_name((enum ev_state)ev->a));
        if (ev->obj >= 0) {
            printf(" obj=%d", ev->obj);
        }
        if (ev->x != EVLOG_NEVER) {
            printf(" until=%" PRId64, ev->x);
        }
        break;
    case EV_SWITCH:
        printf(" to=%d from=%" PRId64 " why=%" PRId64, ev->actor, ev->b,
               ev->a);
        if (ev->c > 0) {
            printf(" decided=%" PRIu64, ev->step - (uint64_t)(ev->c - 1));
        }
        break;
    case EV_OBJ_NEW:
        printf(" obj=%d kind=%s capacity=%" PRId64 " label=", ev->obj,
               evlog_obj_kind_name((enum ev_obj_kind)ev->a), ev->b);
        put_str(ev);
        break;
    case EV_OBJ_NAME:
        printf(" obj=%d ", ev->obj);
        put_str(ev);
        break;
    case EV_OBJ_OP:
        printf(" obj=%d actor=%d %s %" PRId64, ev->obj, ev->actor,
               evlog_op_name((enum ev_op)ev->a), ev->x);
        break;
    case EV_OUTPUT:
        printf(" actor=%d fd=%" PRId64 " ", ev->actor, ev->a);
        put_str(ev);
        break;
    case EV_CODE:
        printf(" code=%" PRId64 " line=%" PRId64 " ", ev->a, ev->b);
        put_str(ev);
        break;
    case EV_POS:
        printf(" actor=%d code=%" PRId64 " line=%" PRId64 " offset=%" PRId64,
               ev->actor, ev->a, ev->b, ev->c);
        break;
    case EV_END:
        printf(" status=%" PRId64 " why=%" PRId64 " ", ev->a, ev->b);
        put_str(ev);
        break;
    case EV_WATCH:
        printf(" actor=%d watch=%" PRId64 " ", ev->actor, ev->a);
        put_str(ev);
        break;
    case EV_BYTECODE:
        printf(" code=%" PRId64 " ", ev->a);
        put_str(ev);
        break;
    case EV_LOC:
        printf(" loc=%" PRId64 " kind=%s name=", ev->a,
               evlog_loc_kind_name((enum ev_loc_kind)ev->b));
        put_part(ev, 0);
        fputs(" label=", stdout);
        put_part(ev, 1);
        fputs(" type=", stdout);
        put_part(ev, 2);
        break;
    case EV_ACCESS:
        printf(" actor=%d loc=%" PRId64 " %s code=%" PRId64 " line=%" PRId64
               " offset=%" PRId64, ev->actor, ev->a,
               evlog_access_name((enum ev_access)ev->b), ev->c, ev->d,
               ev->x);
        break;
    case EV_SYNC:
        printf(" actor=%d %s %s=%" PRId64, ev->actor,
               evlog_sync_name((enum ev_sync)ev->a),
               ev->a == EV_SYNC_START ? "thread" : "chan", ev->b);
        break;
    case EV_THREAD:
        printf(" actor=%d daemon=%" PRId64 " line=%" PRId64 " target=",
               ev->actor, ev->a, ev->b);
        put_str(ev);
        break;
    case EV_RACE:
        printf(" actor=%d at=%" PRId64 " other=%" PRId64 " other_at=%" PRId64
               " loc=%" PRId64 " ", ev->actor, ev->a, ev->b, ev->c, ev->d);
        put_str(ev);
        break;
    default:
        break;
    }
    putchar('\n');
}

static int
cmd_log_exec(int argc, char **argv)
{
    struct evlog_reader *r;
    struct diag d;
    struct ev ev;
    int rc;

    if (argc != 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc == 2 ? stdout : stderr, "%s",
                _("Usage: telar log FILE\n"
                  "Print an event log written by 'telar run --log FILE' as "
                  "text,\none record a line: step, virtual ns, kind, "
                  "fields.\n"));
        return argc == 2 ? 0 : ENGINE_EXIT_USAGE;
    }
    r = evlog_open(argv[1], &d);
    if (r == NULL) {
        fprintf(stderr, "telar: %s\n", d.msg);
        return 1;
    }
    while ((rc = evlog_next(r, &ev, &d)) == 1) {
        print_event(&ev);
    }
    if (rc == 0 && evlog_check_end(r, &d) < 0) {
        rc = -1;
    }
    evlog_close(r);
    if (rc < 0) {
        fprintf(stderr, "telar: %s: %s\n", argv[1], d.msg);
        return 1;
    }
    return 0;
}

const struct cmd_entry cmd_log_entry = {
    .name = "log",
    .summary = N_("print an event log as text"),
    .exec = cmd_log_exec,
};
