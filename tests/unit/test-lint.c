/* Unit tests for src/log/lint.c and src/log/diff.c, on logs built here. */
#include "config.h"

#include "harness/tap.h"
#include "log/diff.h"
#include "log/evlog.h"
#include "log/lint.h"

#include <unistd.h>

#define MS 1000000              /* virtual ns per millisecond */

/* The log being built, with its clock: each moment is a new step. */
struct run {
    struct evlog *log;
    uint64_t step;
    int64_t time;
};

static void
at(struct run *r, int64_t ms)
{
    r->step++;
    r->time = ms * MS;
}

static void
put(struct run *r, struct ev ev)
{
    evlog_put(r->log, r->step, r->time, &ev);
}

static void
actor_new(struct run *r, int id, enum ev_actor_kind kind, int parent,
          const char *name)
{
    put(r, (struct ev){ .kind = EV_ACTOR_NEW, .actor = id, .a = kind,
                        .b = parent, .str = name, .len = strlen(name) });
}

static void
state(struct run *r, int id, enum ev_state st, int obj)
{
    evlog_state(r->log, r->step, r->time, id, st, obj, EVLOG_NEVER);
}

static void
op(struct run *r, int obj, int actor, enum ev_op o, int64_t x)
{
    put(r, (struct ev){ .kind = EV_OBJ_OP, .obj = obj, .actor = actor,
                        .a = o, .x = x });
}

static void
obj_new(struct run *r, int obj, enum ev_obj_kind kind, const char *label)
{
    put(r, (struct ev){ .kind = EV_OBJ_NEW, .obj = obj, .a = kind,
                        .str = label, .len = strlen(label) });
}

static void
pos(struct run *r, int actor, int code, int line)
{
    put(r, (struct ev){ .kind = EV_POS, .actor = actor, .a = code,
                        .b = line });
}

static void
begin(struct run *r, const char *run_info)
{
    struct diag d;

    r->log = evlog_new(NULL, &d);
    r->step = 0;
    r->time = 0;
    ASSERT(r->log != NULL);
    put(r, (struct ev){ .kind = EV_RUN, .str = run_info,
                        .len = strlen(run_info) });
    put(r, (struct ev){ .kind = EV_CODE, .a = 1, .b = 1,
                        .str = "/nonexistent/s.py\0work", .len = 22 });
    actor_new(r, 0, EV_ACTOR_THREAD, -1, "MainThread");
    state(r, 0, EV_ST_RUNNING, -1);
}

static void
end(struct run *r)
{
    struct diag d;

    put(r, (struct ev){ .kind = EV_END, .a = 0, .b = EV_END_EXIT });
    ASSERT_EQ(evlog_flush(r->log, &d), 0);
}

/* Lint the log into a string the caller frees; the count into *n. */
static char *
lint_to_string(struct evlog *log, const struct lint_opts *o, int *n,
               struct diag *d)
{
    struct evlog_reader *r = evlog_open_fd(evlog_fd(log), d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ASSERT(r != NULL);
    ASSERT(f != NULL);
    *n = lint_report(r, f, o, d);
    ASSERT_EQ(fclose(f), 0);
    evlog_close(r);
    return buf;
}

/*
 * Two workers: A takes lock 7 (not in the log yet), sleeps 50 ms, and B
 * blocks on it (so it enters the log); A wakes and releases it: A held it
 * through its sleep.  Then B waits on a Condition: its private lock 8 is
 * released by A, whose notify follows: that is no lock held by A.
 */
TEST(lint_lock_sleep_and_waiter)
{
    struct run r;
    struct diag d;
    char *out;
    int n;

    begin(&r, "seed=0\n");
    actor_new(&r, 1, EV_ACTOR_THREAD, 0, "A");
    actor_new(&r, 2, EV_ACTOR_THREAD, 0, "B");
    obj_new(&r, 10, EV_OBJ_THREAD, "A");
    op(&r, 10, 1, EV_OP_ACQUIRE, 1);    /* each takes its own first */
    obj_new(&r, 11, EV_OBJ_THREAD, "B");
    op(&r, 11, 2, EV_OP_ACQUIRE, 1);
    state(&r, 1, EV_ST_RUNNING, -1);
    pos(&r, 1, 1, 3);
    at(&r, 1);
    state(&r, 1, EV_ST_SLEEPING, -1);
    pos(&r, 1, 1, 4);
    state(&r, 2, EV_ST_RUNNING, -1);
    at(&r, 2);
    obj_new(&r, 7, EV_OBJ_LOCK, "cuenta");
    state(&r, 2, EV_ST_BLOCKED, 7);
    at(&r, 51);
    state(&r, 1, EV_ST_RUNNING, -1);
    op(&r, 7, 1, EV_OP_RELEASE, 0);
    state(&r, 2, EV_ST_READY, -1);
    at(&r, 52);
    state(&r, 1, EV_ST_SLEEPING, -1);   /* holds nothing now */
    pos(&r, 1, 1, 9);
    state(&r, 2, EV_ST_RUNNING, -1);
    op(&r, 7, 2, EV_OP_ACQUIRE, 1);
    op(&r, 7, 2, EV_OP_RELEASE, 0);
    obj_new(&r, 8, EV_OBJ_LOCK, "");
    state(&r, 2, EV_ST_BLOCKED, 8);
    at(&r, 60);
    state(&r, 1, EV_ST_RUNNING, -1);
    op(&r, 8, 1, EV_OP_RELEASE, 0);
    state(&r, 2, EV_ST_READY, -1);
    obj_new(&r, 9, EV_OBJ_CONDITION, "");
    op(&r, 9, 1, EV_OP_NOTIFY, 0);
    at(&r, 61);
    state(&r, 1, EV_ST_SLEEPING, -1);
    pos(&r, 1, 1, 12);
    state(&r, 2, EV_ST_RUNNING, -1);
    op(&r, 8, 2, EV_OP_ACQUIRE, 1);
    at(&r, 70);
    state(&r, 2, EV_ST_SLEEPING, -1);   /* with the waiter lock: fine */
    pos(&r, 2, 1, 14);
    /* The same, as a log that names a lock's holder when the lock enters
     * it: A waits on its own private lock 12; B releases it, notifies. */
    at(&r, 75);
    state(&r, 1, EV_ST_RUNNING, -1);
    state(&r, 2, EV_ST_RUNNING, -1);
    obj_new(&r, 12, EV_OBJ_LOCK, "");
    op(&r, 12, 1, EV_OP_ACQUIRE, 1);
    state(&r, 1, EV_ST_BLOCKED, 12);
    op(&r, 12, 2, EV_OP_RELEASE, 0);
    op(&r, 9, 2, EV_OP_NOTIFY, 0);
    state(&r, 1, EV_ST_READY, -1);
    at(&r, 76);
    state(&r, 2, EV_ST_SLEEPING, -1);
    state(&r, 1, EV_ST_RUNNING, -1);
    op(&r, 12, 1, EV_OP_ACQUIRE, 1);
    state(&r, 1, EV_ST_SLEEPING, -1);   /* with it: still fine */
    pos(&r, 1, 1, 15);
    at(&r, 80);
    op(&r, 10, 1, EV_OP_RELEASE, 0);
    state(&r, 1, EV_ST_DONE, -1);
    op(&r, 11, 2, EV_OP_RELEASE, 0);
    state(&r, 2, EV_ST_DONE, -1);
    op(&r, 10, 0, EV_OP_ACQUIRE, 1);    /* main joins both */
    op(&r, 10, 0, EV_OP_RELEASE, 0);
    op(&r, 11, 0, EV_OP_ACQUIRE, 1);
    op(&r, 11, 0, EV_OP_RELEASE, 0);
    state(&r, 0, EV_ST_DONE, -1);
    end(&r);

    out = lint_to_string(r.log, NULL, &n, &d);
    ASSERT_EQ(n, 1);
    ASSERT(strstr(out, "warning[lock-await]: lock 'cuenta' was held "
                       "through 1 sleep (49 ms) by A") != NULL);
    ASSERT(strstr(out, "  --> /nonexistent/s.py:4 (work)\n") != NULL);
    ASSERT(strstr(out, "\n1 warning\n") != NULL);
    free(out);
    evlog_free(r.log);
}

/*
 * A task runs 150 ms in one step while its thread sleeps; another runs
 * 40 ms.  Over 100 ms is a warning; with a 200 ms threshold, none.
 */
TEST(lint_blocking_threshold)
{
    struct run r;
    struct diag d;
    struct lint_opts o;
    char *out;
    int n;

    begin(&r, "seed=0\n");
    actor_new(&r, 1, EV_ACTOR_TASK, 0, "Task-1");
    actor_new(&r, 2, EV_ACTOR_TASK, 0, "Task-2");
    at(&r, 1);
    state(&r, 1, EV_ST_RUNNING, -1);
    at(&r, 2);
    state(&r, 0, EV_ST_SLEEPING, -1);
    pos(&r, 0, 1, 6);
    at(&r, 151);
    state(&r, 0, EV_ST_RUNNING, -1);
    pos(&r, 1, 1, 7);
    state(&r, 1, EV_ST_DONE, -1);
    state(&r, 2, EV_ST_RUNNING, -1);
    at(&r, 191);
    state(&r, 2, EV_ST_DONE, -1);
    state(&r, 0, EV_ST_DONE, -1);
    end(&r);

    lint_opts_init(&o);
    out = lint_to_string(r.log, &o, &n, &d);
    ASSERT_EQ(n, 1);
    ASSERT(strstr(out, "warning[blocking-step]: task Task-1 ran 150 ms in "
                       "one step") != NULL);
    ASSERT(strstr(out, "(threshold 100 ms)") != NULL);
    ASSERT(strstr(out, "--> /nonexistent/s.py:6 (work)") != NULL);
    free(out);
    o.blocking_ns = 200 * (int64_t)MS;
    out = lint_to_string(r.log, &o, &n, &d);
    ASSERT_EQ(n, 0);
    ASSERT_STR(out, "no warnings\n");
    free(out);
    evlog_free(r.log);
}

TEST(lint_empty_and_corrupt)
{
    struct diag d;
    struct evlog *log = evlog_new(NULL, &d);
    char *out;
    int n;

    ASSERT(log != NULL);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    out = lint_to_string(log, NULL, &n, &d);
    ASSERT_EQ(n, 0);
    ASSERT_STR(out, "no warnings\n");
    free(out);
    evlog_str(log, 1, 5, EV_NOTE, 0, "fine", 4);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    ASSERT_EQ(write(evlog_fd(log), "\x7f", 1), 1);
    memset(&d, 0, sizeof d);
    out = lint_to_string(log, NULL, &n, &d);
    ASSERT_EQ(n, -1);
    ASSERT(strstr(d.msg, "unknown record kind 127") != NULL);
    free(out);
    evlog_free(log);
}

/* Two threads; at step 3 the policy preempts A in one run only. */
static struct evlog *
two_runs(bool preempt, const char *run_info)
{
    struct run r;

    begin(&r, run_info);
    actor_new(&r, 1, EV_ACTOR_THREAD, 0, "A");
    at(&r, 1);
    state(&r, 0, EV_ST_BLOCKED, -1);
    pos(&r, 0, 1, 20);
    state(&r, 1, EV_ST_RUNNING, -1);
    put(&r, (struct ev){ .kind = EV_SWITCH, .actor = 1, .b = 0,
                         .a = EV_WHY_BLOCK });
    at(&r, 2);
    state(&r, 0, EV_ST_READY, -1);
    r.step++;
    pos(&r, 1, 1, 5);
    if (preempt) {
        r.step++;
        state(&r, 1, EV_ST_READY, -1);
        state(&r, 0, EV_ST_RUNNING, -1);
        put(&r, (struct ev){ .kind = EV_SWITCH, .actor = 0, .b = 1,
                             .a = EV_WHY_PREEMPT });
    }
    at(&r, 5);
    evlog_str(r.log, r.step, r.time, EV_OUTPUT, 0, "fin\n", 4);
    end(&r);
    return r.log;
}

TEST(logdiff_divergence)
{
    struct evlog *la = two_runs(false, "seed=1\n");
    struct evlog *lb = two_runs(true, "seed=2\n");
    struct evlog *lc = two_runs(false, "seed=3\n");
    struct evlog_reader *a, *b, *c;
    struct logdiff ld;
    struct diag d;

    a = evlog_open_fd(evlog_fd(la), &d);
    b = evlog_open_fd(evlog_fd(lb), &d);
    c = evlog_open_fd(evlog_fd(lc), &d);
    ASSERT(a != NULL && b != NULL && c != NULL);
    ASSERT_EQ(logdiff_compare(a, b, &ld, &d), 0);
    ASSERT(ld.differ);
    ASSERT_EQ(ld.step, 4);
    ASSERT_EQ(ld.run[0].actor, 1);
    ASSERT(!ld.run[0].switched);
    ASSERT_STR(ld.run[0].actor_name, "A");
    ASSERT_EQ(ld.run[0].line, 5);
    ASSERT_STR(ld.run[0].file, "/nonexistent/s.py");
    ASSERT_EQ(ld.run[1].actor, 0);
    ASSERT(ld.run[1].switched);
    ASSERT_EQ(ld.run[1].from, 1);
    ASSERT_EQ(ld.run[1].why, EV_WHY_PREEMPT);
    ASSERT_EQ(ld.run[1].line, 20);
    ASSERT_STR(logdiff_reason_name(ld.run[1].why), "preempt");
    ASSERT_STR(ld.run[1].record, "A becomes ready");
    ASSERT_EQ(ld.run[1].record_step, 4);
    ASSERT_STR(ld.run[0].record,
               "MainThread writes \"fin\\n\" to stdout");
    ASSERT_EQ(ld.run[0].record_step, 4);
    logdiff_fini(&ld);

    /* The run's own EV_RUN differs (its seed): that is not compared. */
    ASSERT_EQ(logdiff_compare(a, c, &ld, &d), 0);
    ASSERT(!ld.differ);
    ASSERT(ld.run[0].ended && ld.run[1].ended);
    logdiff_fini(&ld);
    evlog_close(a);
    evlog_close(b);
    evlog_close(c);
    evlog_free(la);
    evlog_free(lb);
    evlog_free(lc);
}
