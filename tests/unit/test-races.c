/* Unit tests for src/log/races.c, on logs built here, and for the other
 * readers of the log given the records race detection adds. */
#include "config.h"

#include "harness/tap.h"
#include "log/evlog.h"
#include "log/export.h"
#include "log/lint.h"
#include "log/races.h"
#include "tui/model.h"

#include <unistd.h>

/* The log being built; every record is a step of its own. */
struct rlog {
    struct evlog *log;
    uint64_t step;
};

static void
put(struct rlog *r, struct ev ev)
{
    r->step++;
    evlog_put(r->log, r->step, (int64_t)r->step * 10, &ev);
}

static void
thread(struct rlog *r, int id, int parent, int proc, const char *name)
{
    put(r, (struct ev){ .kind = EV_ACTOR_NEW, .actor = id,
                        .a = EV_ACTOR_THREAD, .b = parent, .c = proc,
                        .str = name, .len = strlen(name) });
}

static void
task(struct rlog *r, int id, int parent, const char *name)
{
    put(r, (struct ev){ .kind = EV_ACTOR_NEW, .actor = id,
                        .a = EV_ACTOR_TASK, .b = parent,
                        .str = name, .len = strlen(name) });
}

static void
sync_(struct rlog *r, int actor, enum ev_sync kind, int64_t arg)
{
    put(r, (struct ev){ .kind = EV_SYNC, .actor = actor, .a = kind,
                        .b = arg });
}

static void
loc(struct rlog *r, int64_t id, enum ev_loc_kind kind, const char *str,
    size_t len)
{
    put(r, (struct ev){ .kind = EV_LOC, .a = id, .b = kind, .str = str,
                        .len = len });
}

/* actor accesses location l with acc at line (offset = line * 2). */
static void
access_(struct rlog *r, int actor, int64_t l, enum ev_access acc, int line)
{
    put(r, (struct ev){ .kind = EV_ACCESS, .actor = actor, .a = l,
                        .b = acc, .c = 1, .d = line, .x = line * 2 });
}

static void
begin(struct rlog *r)
{
    static const char run[] = "file=/nonexistent/r.py\nraces=on\n";
    struct diag d;

    r->log = evlog_new(NULL, &d);
    r->step = 0;
    ASSERT(r->log != NULL);
    put(r, (struct ev){ .kind = EV_RUN, .str = run, .len = strlen(run) });
    put(r, (struct ev){ .kind = EV_CODE, .a = 1, .b = 1,
                        .str = "/nonexistent/r.py\0work", .len = 22 });
    thread(r, 0, -1, 0, "MainThread");
    loc(r, 1, EV_LOC_GLOBAL, "x\0__main__\0", 11);
}

/* Scan the log; the report into a string the caller frees. */
static char *
scan(struct rlog *r, struct races **out)
{
    struct diag d;
    struct evlog_reader *rd;
    struct races *rs = races_new();
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    ASSERT_EQ(evlog_flush(r->log, &d), 0);
    rd = evlog_open_fd(evlog_fd(r->log), &d);
    ASSERT(rd != NULL);
    ASSERT_EQ(races_scan(rs, rd, &d), 0);
    evlog_close(rd);
    f = open_memstream(&buf, &len);
    ASSERT(f != NULL);
    races_print(rs, f);
    ASSERT_EQ(fclose(f), 0);
    if (out != NULL) {
        *out = rs;
    } else {
        races_free(rs);
    }
    return buf;
}

/* Two threads started by main write x with nothing between: a race,
 * reported once for its two lines however often it happens; reads alone
 * are no race. */
TEST(races_unordered_writes)
{
    struct rlog r;
    struct races *rs;
    struct ev ev;
    char *out;

    begin(&r);
    loc(&r, 2, EV_LOC_GLOBAL, "y\0__main__\0", 11);
    thread(&r, 1, 0, 0, "A");
    sync_(&r, 0, EV_SYNC_START, 1);
    thread(&r, 2, 0, 0, "B");
    sync_(&r, 0, EV_SYNC_START, 2);
    access_(&r, 1, 1, EV_ACC_LOAD_GLOBAL, 10);
    access_(&r, 1, 1, EV_ACC_STORE_GLOBAL, 10);
    access_(&r, 1, 2, EV_ACC_LOAD_GLOBAL, 11);
    access_(&r, 2, 1, EV_ACC_LOAD_GLOBAL, 10);
    access_(&r, 2, 1, EV_ACC_STORE_GLOBAL, 10);
    access_(&r, 2, 2, EV_ACC_LOAD_GLOBAL, 11);
    access_(&r, 1, 1, EV_ACC_STORE_GLOBAL, 10);
    out = scan(&r, &rs);
    ASSERT_STR(out,
               "telar: data race on global 'x': B reads it at "
               "/nonexistent/r.py:10 (LOAD_GLOBAL) while A wrote it at "
               "/nonexistent/r.py:10 (STORE_GLOBAL), with nothing ordering "
               "the two.\n"
               "telar: 1 data race found\n");
    ASSERT(races_recorded(rs));
    ASSERT_EQ(races_count(rs), 1);
    races_record(rs, 0, &ev);
    ASSERT_EQ(ev.kind, EV_RACE);
    ASSERT_EQ(ev.actor, 2);
    ASSERT_EQ(ev.b, 1);
    ASSERT_EQ(ev.d, 1);
    ASSERT(ev.c < ev.a);        /* the steps of the two accesses */
    ASSERT(strncmp(ev.str, "data race on global 'x': ", 25) == 0);
    races_free(rs);
    free(out);
    evlog_free(r.log);
}

/* A lock (release -> acquire) orders them; so do start and join. */
TEST(races_ordered)
{
    struct rlog r;
    char *out;

    begin(&r);
    access_(&r, 0, 1, EV_ACC_STORE_GLOBAL, 3);      /* before start */
    thread(&r, 1, 0, 0, "A");
    sync_(&r, 0, EV_SYNC_START, 1);
    thread(&r, 2, 0, 0, "B");
    sync_(&r, 0, EV_SYNC_START, 2);
    access_(&r, 1, 1, EV_ACC_LOAD_GLOBAL, 10);
    sync_(&r, 1, EV_SYNC_ACQUIRE, 7);
    access_(&r, 1, 1, EV_ACC_STORE_GLOBAL, 11);
    sync_(&r, 1, EV_SYNC_RELEASE, 7);
    sync_(&r, 2, EV_SYNC_ACQUIRE, 7);
    access_(&r, 2, 1, EV_ACC_STORE_GLOBAL, 11);
    sync_(&r, 2, EV_SYNC_RELEASE, 7);
    /* B's end, then main's join: a release and an acquire. */
    sync_(&r, 2, EV_SYNC_RELEASE, 9);
    sync_(&r, 0, EV_SYNC_ACQUIRE, 9);
    access_(&r, 0, 1, EV_ACC_LOAD_GLOBAL, 20);
    out = scan(&r, NULL);
    ASSERT_STR(out, "telar: no data races found\n");
    free(out);
    evlog_free(r.log);
}

/* The latest access of a thread at a place counts: A writes, gives B what
 * it did (release), writes again; B's read after the acquire is ordered
 * after the first write, not after the second. */
TEST(races_latest_epoch)
{
    struct rlog r;
    char *out;

    begin(&r);
    thread(&r, 1, 0, 0, "A");
    sync_(&r, 0, EV_SYNC_START, 1);
    thread(&r, 2, 0, 0, "B");
    sync_(&r, 0, EV_SYNC_START, 2);
    access_(&r, 1, 1, EV_ACC_STORE_GLOBAL, 10);
    sync_(&r, 1, EV_SYNC_RELEASE, 3);
    access_(&r, 1, 1, EV_ACC_STORE_GLOBAL, 10);
    sync_(&r, 2, EV_SYNC_ACQUIRE, 3);
    access_(&r, 2, 1, EV_ACC_LOAD_GLOBAL, 12);
    out = scan(&r, NULL);
    ASSERT(strstr(out, "B reads it at /nonexistent/r.py:12 (LOAD_GLOBAL) "
                       "while A wrote it at /nonexistent/r.py:10") != NULL);
    ASSERT(strstr(out, "telar: 1 data race found\n") != NULL);
    free(out);
    evlog_free(r.log);
}

/* Tasks of one loop run on its thread: no race between them.  The same
 * location number in two processes is two variables.  A channel is per
 * process too. */
TEST(races_tasks_and_processes)
{
    struct rlog r;
    char *out;

    begin(&r);
    task(&r, 1, 0, "Task-1");
    task(&r, 2, 1, "Task-2");
    access_(&r, 1, 1, EV_ACC_LOAD_GLOBAL, 5);
    access_(&r, 2, 1, EV_ACC_STORE_GLOBAL, 6);
    access_(&r, 1, 1, EV_ACC_STORE_GLOBAL, 6);
    put(&r, (struct ev){ .kind = EV_ACTOR_NEW, .actor = 3,
                         .a = EV_ACTOR_PROCESS, .b = 0, .c = 1,
                         .str = "Process-1", .len = 9 });
    thread(&r, 4, 3, 1, "MainThread");
    access_(&r, 4, 1, EV_ACC_STORE_GLOBAL, 30);
    sync_(&r, 4, EV_SYNC_RELEASE, 5);
    sync_(&r, 0, EV_SYNC_ACQUIRE, 5);  /* a channel of another process */
    access_(&r, 0, 1, EV_ACC_STORE_GLOBAL, 31);
    out = scan(&r, NULL);
    ASSERT_STR(out, "telar: no data races found\n");
    free(out);
    evlog_free(r.log);
}

/* How each kind of location is named, and two locations with the same
 * description and lines reported once. */
TEST(races_descriptions)
{
    static const struct {
        int kind;
        const char *str;
        size_t len;
        const char *where;
    } locs[] = {
        { EV_LOC_GLOBAL, "g\0config\0", 10, "global 'g' of module config" },
        { EV_LOC_ATTR, "saldo\0cuenta\0Cuenta", 19,
          "attribute 'saldo' of cuenta (a Cuenta object)" },
        { EV_LOC_ATTR, "saldo\0\0Cuenta", 13,
          "attribute 'saldo' of a Cuenta object" },
        { EV_LOC_ATTR, "total\0Contador\0type", 19,
          "attribute 'total' of class Contador" },
        { EV_LOC_ITEM, "'k'\0stock\0dict", 14,
          "item ['k'] of stock (a dict)" },
        { EV_LOC_ITEM, "0\0\0list", 7, "item [0] of a list" },
        { EV_LOC_CELL, "n\0\0", 3, "closure variable 'n'" },
    };
    size_t nlocs = sizeof locs / sizeof locs[0];
    struct rlog r;
    char *out;

    begin(&r);
    thread(&r, 1, 0, 0, "A");
    sync_(&r, 0, EV_SYNC_START, 1);
    for (size_t i = 0; i < nlocs; i++) {
        loc(&r, 10 + (int64_t)i, locs[i].kind, locs[i].str, locs[i].len);
        access_(&r, 1, 10 + (int64_t)i, EV_ACC_STORE_ATTR, 40);
        access_(&r, 0, 10 + (int64_t)i, EV_ACC_LOAD_ATTR, 41);
    }
    /* Another Cuenta, unnamed: the same words, the same lines. */
    loc(&r, 30, EV_LOC_ATTR, "saldo\0\0Cuenta", 13);
    access_(&r, 1, 30, EV_ACC_STORE_ATTR, 40);
    access_(&r, 0, 30, EV_ACC_LOAD_ATTR, 41);
    out = scan(&r, NULL);
    for (size_t i = 0; i < nlocs; i++) {
        char *want = xasprintf("telar: data race on %s: MainThread reads "
                               "it at /nonexistent/r.py:41 (LOAD_ATTR) "
                               "while A wrote it at /nonexistent/r.py:40 "
                               "(STORE_ATTR), with nothing ordering the "
                               "two.\n", locs[i].where);

        ASSERT(strstr(out, want) != NULL);
        free(want);
    }
    ASSERT(strstr(out, "telar: 7 data races found\n") != NULL);
    free(out);
    evlog_free(r.log);
}

/* A log without race records, and a corrupt one. */
TEST(races_not_recorded_and_corrupt)
{
    struct diag d;
    struct evlog *log = evlog_new(NULL, &d);
    struct evlog_reader *rd;
    struct races *rs = races_new();
    struct ev bad = { .kind = EV_ACCESS, .actor = -5, .a = 1 };

    ASSERT(log != NULL);
    evlog_str(log, 1, 5, EV_NOTE, 0, "fine", 4);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    rd = evlog_open_fd(evlog_fd(log), &d);
    ASSERT_EQ(races_scan(rs, rd, &d), 0);
    ASSERT(!races_recorded(rs));
    ASSERT_EQ(races_count(rs), 0);
    races_free(rs);
    evlog_put(log, 2, 6, &bad);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    ASSERT(evlog_refresh(rd, &d) > 0);
    rs = races_new();
    ASSERT_EQ(races_scan(rs, rd, &d), -1);
    ASSERT(strstr(d.msg, "bad actor id -5") != NULL);
    races_free(rs);
    evlog_close(rd);
    evlog_free(log);
}

/* The other readers of the log (exporters, lint, the TUI's model) take
 * the new records in their stride. */
TEST(races_other_readers)
{
    struct rlog r;
    struct evlog_reader *rd;
    struct model *m;
    struct diag d;
    FILE *null = fopen("/dev/null", "w");
    char *out;

    ASSERT(null != NULL);
    begin(&r);
    thread(&r, 1, 0, 0, "A");
    sync_(&r, 0, EV_SYNC_START, 1);
    access_(&r, 1, 1, EV_ACC_STORE_GLOBAL, 10);
    access_(&r, 0, 1, EV_ACC_LOAD_GLOBAL, 11);
    out = scan(&r, NULL);
    free(out);
    put(&r, (struct ev){ .kind = EV_RACE, .actor = 0, .a = 9, .b = 1,
                         .c = 8, .d = 1, .str = "data race", .len = 9 });
    put(&r, (struct ev){ .kind = EV_END, .a = 0, .b = EV_END_EXIT });
    ASSERT_EQ(evlog_flush(r.log, &d), 0);
    rd = evlog_open_fd(evlog_fd(r.log), &d);
    ASSERT(rd != NULL);
    ASSERT_EQ(export_timeline_write(rd, null, 80, &d), 0);
    evlog_rewind(rd);
    ASSERT_EQ(export_trace_write(rd, null, &d), 0);
    ASSERT(lint_report(rd, null, NULL, &d) >= 0);
    evlog_rewind(rd);
    m = model_new(rd, &d);
    ASSERT(m != NULL);
    ASSERT(model_error(m) == NULL);
    model_last(m);
    ASSERT_EQ(model_check_end(m), 0);
    model_free(m);
    evlog_close(rd);
    fclose(null);
    evlog_free(r.log);
}
