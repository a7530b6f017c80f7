/* Unit tests for src/log/export-timeline.c and src/log/export-trace.c. */
#include "config.h"

#include "harness/tap.h"
#include "log/evlog.h"
#include "log/export.h"

#include <ctype.h>
#include <sys/wait.h>
#include <unistd.h>

#define US 1000                 /* virtual ns per microsecond */

/* The log being built, with its clock: each moment is a new step. */
struct run {
    struct evlog *log;
    uint64_t step;
    int64_t time;
};

static void
at(struct run *r, int64_t us)
{
    r->step++;
    r->time = us * US;
}

static void
put(struct run *r, struct ev ev)
{
    evlog_put(r->log, r->step, r->time, &ev);
}

static void
actor_new(struct run *r, int id, enum ev_actor_kind kind, int parent,
          int proc, const char *name)
{
    put(r, (struct ev){ .kind = EV_ACTOR_NEW, .actor = id, .a = kind,
                        .b = parent, .c = proc, .str = name,
                        .len = strlen(name) });
}

static void
state(struct run *r, int id, enum ev_state st, int obj)
{
    evlog_state(r->log, r->step, r->time, id, st, obj, EVLOG_NEVER);
}

static void
sw(struct run *r, int to, int from, enum ev_reason why)
{
    put(r, (struct ev){ .kind = EV_SWITCH, .actor = to, .b = from,
                        .a = why });
}

static void
op(struct run *r, int obj, int actor, enum ev_op o, int64_t x)
{
    put(r, (struct ev){ .kind = EV_OBJ_OP, .obj = obj, .actor = actor,
                        .a = o, .x = x });
}

/*
 * Four milliseconds: MainThread starts two workers and a task, joins the
 * workers; worker-1 fills a bounded queue and sleeps, worker-2 takes one
 * item and fails; the task runs twice around an await.
 */
static struct evlog *
small_run(void)
{
    struct diag d;
    struct run r = { evlog_new(NULL, &d), 0, 0 };

    ASSERT(r.log != NULL);
    put(&r, (struct ev){ .kind = EV_RUN, .str = "seed=1\n", .len = 7 });
    actor_new(&r, 0, EV_ACTOR_THREAD, -1, 0, "MainThread");
    state(&r, 0, EV_ST_RUNNING, -1);
    sw(&r, 0, -1, EV_WHY_START);
    put(&r, (struct ev){ .kind = EV_OBJ_NEW, .obj = 5, .a = EV_OBJ_QUEUE,
                        .b = 3, .str = "jobs", .len = 4 });
    put(&r, (struct ev){ .kind = EV_OBJ_NEW, .obj = 4, .a = EV_OBJ_LOCK,
                        .str = "lock", .len = 4 });
    at(&r, 100);
    actor_new(&r, 3, EV_ACTOR_TASK, 0, 0, "Task-1");
    state(&r, 3, EV_ST_READY, -1);
    at(&r, 200);
    state(&r, 3, EV_ST_RUNNING, -1);
    at(&r, 300);
    state(&r, 3, EV_ST_WAITING, 6);
    at(&r, 500);
    actor_new(&r, 1, EV_ACTOR_THREAD, 0, 0, "worker-1");
    state(&r, 1, EV_ST_READY, -1);
    actor_new(&r, 2, EV_ACTOR_THREAD, 0, 0, "worker-2");
    state(&r, 2, EV_ST_READY, -1);
    at(&r, 600);
    state(&r, 3, EV_ST_READY, -1);
    state(&r, 3, EV_ST_RUNNING, -1);
    at(&r, 700);
    state(&r, 3, EV_ST_DONE, -1);
    at(&r, 1000);
    state(&r, 0, EV_ST_BLOCKED, 7);
    sw(&r, 1, 0, EV_WHY_BLOCK);
    state(&r, 1, EV_ST_RUNNING, -1);
    op(&r, 5, 1, EV_OP_PUT, 1);
    at(&r, 1500);
    op(&r, 5, 1, EV_OP_PUT, 2);
    at(&r, 2000);
    evlog_state(r.log, r.step, r.time, 1, EV_ST_SLEEPING, -1, 3000 * US);
    sw(&r, 2, 1, EV_WHY_BLOCK);
    state(&r, 2, EV_ST_RUNNING, -1);
    op(&r, 5, 2, EV_OP_GET, 1);
    at(&r, 2500);
    evlog_str(r.log, r.step, r.time, EV_EXCEPTION, 2, "ValueError: boom",
              16);
    put(&r, (struct ev){ .kind = EV_OUTPUT, .actor = 2, .a = 2,
                        .str = "Traceback\n", .len = 10 });
    state(&r, 2, EV_ST_FAILED, -1);
    at(&r, 3000);
    state(&r, 1, EV_ST_READY, -1);
    sw(&r, 1, -1, EV_WHY_WAKE);
    state(&r, 1, EV_ST_RUNNING, -1);
    op(&r, 5, 1, EV_OP_GET, 0);
    at(&r, 3500);
    state(&r, 1, EV_ST_DONE, -1);
    state(&r, 0, EV_ST_READY, -1);
    sw(&r, 0, 1, EV_WHY_EXIT);
    state(&r, 0, EV_ST_RUNNING, -1);
    evlog_str(r.log, r.step, r.time, EV_OUTPUT, 0, "done\n", 5);
    evlog_str(r.log, r.step, r.time, EV_NOTE, 0, "the end", 7);
    at(&r, 4000);
    state(&r, 0, EV_ST_DONE, -1);
    put(&r, (struct ev){ .kind = EV_END, .a = 0, .b = EV_END_EXIT });
    ASSERT_EQ(evlog_flush(r.log, &d), 0);
    return r.log;
}

/* Run an exporter into a string the caller frees. */
static char *
export_to_string(struct evlog *log, int width, int *rc, struct diag *d)
{
    struct evlog_reader *r = evlog_open_fd(evlog_fd(log), d);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ASSERT(r != NULL);
    ASSERT(f != NULL);
    *rc = width > 0 ? export_timeline_write(r, f, width, d)
                    : export_trace_write(r, f, d);
    ASSERT_EQ(fclose(f), 0);
    evlog_close(r);
    return buf;
}

TEST(export_timeline_small)
{
    static const char want[] =
        "virtual time 0 to 4 ms, 100 us per column\n"
        "MainThread   |##########.........................#####|\n"
        "  worker-1   |     -----##########zzzzzzzzzz#####     |\n"
        "  worker-2   |     ---------------#####!              |\n"
        "  Task-1     | -#~~~#                                 |\n"
        "jobs (cap 3) |0000000000111112222211111111110000000000|\n"
        "              0                                   4 ms\n"
        "legend: # running  - ready  . blocked  z sleeping  "
        "~ waiting (task)\n"
        "        = alive, no state yet  ! failed  c cancelled  "
        "blank: not alive\n"
        "        queues: the most items in the slice, 0-9; scaled so "
        "that 9 is the\n"
        "        capacity (or the peak, if unbounded) when that is "
        "above 9\n"
        "total: 4 ms of virtual time, 13 steps, 5 switches\n";
    struct diag d;
    struct evlog *log = small_run();
    int rc;
    char *out = export_to_string(log, 55, &rc, &d);
    char *again;

    ASSERT_EQ(rc, 0);
    ASSERT_STR(out, want);
    /* The same log gives the same bytes. */
    again = export_to_string(log, 55, &rc, &d);
    ASSERT_STR(again, out);
    free(again);
    free(out);

    /* Wider: more columns, same rows. */
    out = export_to_string(log, 95, &rc, &d);
    ASSERT_EQ(rc, 0);
    ASSERT(strstr(out, "virtual time 0 to 4 ms, 50 us per column\n")
           != NULL);
    ASSERT(strstr(out, "\n  worker-2   |          "
                       "------------------------------##########!")
           != NULL);
    free(out);
    evlog_free(log);
}

/* No virtual time passes: steps are the axis, one per column. */
TEST(export_timeline_steps)
{
    static const char want[] =
        "steps 0 to 10 (the run took no virtual time), 1 per column\n"
        "MainThread |####---###|\n"
        "  worker   |  --###...|\n"
        "            0       10\n"
        "legend: # running  - ready  . blocked  z sleeping  "
        "~ waiting (task)\n"
        "        = alive, no state yet  ! failed  c cancelled  "
        "blank: not alive\n"
        "        queues: the most items in the slice, 0-9; scaled so "
        "that 9 is the\n"
        "        capacity (or the peak, if unbounded) when that is "
        "above 9\n"
        "total: no virtual time, 10 steps, 1 switch\n";
    struct diag d;
    struct run r = { evlog_new(NULL, &d), 0, 0 };
    int rc;
    char *out;

    ASSERT(r.log != NULL);
    actor_new(&r, 0, EV_ACTOR_THREAD, -1, 0, "MainThread");
    state(&r, 0, EV_ST_RUNNING, -1);
    r.step = 2;
    actor_new(&r, 1, EV_ACTOR_THREAD, 0, 0, "worker");
    state(&r, 1, EV_ST_READY, -1);
    r.step = 4;
    state(&r, 0, EV_ST_READY, -1);
    sw(&r, 1, 0, EV_WHY_PREEMPT);
    state(&r, 1, EV_ST_RUNNING, -1);
    r.step = 7;
    state(&r, 1, EV_ST_BLOCKED, 3);
    state(&r, 0, EV_ST_RUNNING, -1);
    r.step = 10;
    state(&r, 0, EV_ST_DONE, -1);
    evlog_str(r.log, r.step, r.time, EV_DEADLOCK, -1, "worker waits\n", 13);
    ASSERT_EQ(evlog_flush(r.log, &d), 0);
    out = export_to_string(r.log, 10, &rc, &d);
    ASSERT_EQ(rc, 0);
    ASSERT_STR(out, want);
    free(out);
    evlog_free(r.log);
}

/* Processes and their threads as a tree, a cancelled task, an unbounded
 * queue scaled to its peak, names with control bytes, and a label too
 * long for the line. */
TEST(export_timeline_tree)
{
    struct diag d;
    struct run r = { evlog_new(NULL, &d), 0, 0 };
    int rc;
    char *out, *line;

    ASSERT(r.log != NULL);
    actor_new(&r, 0, EV_ACTOR_THREAD, -1, 0, "MainThread");
    state(&r, 0, EV_ST_RUNNING, -1);
    put(&r, (struct ev){ .kind = EV_OBJ_NEW, .obj = 2, .a = EV_OBJ_AQUEUE,
                        .b = 0 });
    actor_new(&r, 5, EV_ACTOR_PROCESS, 0, 1, "Process-1");
    actor_new(&r, 6, EV_ACTOR_THREAD, 5, 1, "child\tmain");
    state(&r, 6, EV_ST_SLEEPING, -1);
    actor_new(&r, 4, EV_ACTOR_TASK, 0, 0,
              "a-task-with-a-very-long-name-indeed-yes");
    state(&r, 4, EV_ST_RUNNING, -1);
    for (int i = 1; i <= 20; i++) {
        at(&r, i * 10);
        op(&r, 2, 0, EV_OP_PUT, i);
    }
    at(&r, 300);
    state(&r, 4, EV_ST_CANCELLED, -1);
    for (int i = 19; i >= 0; i--) {
        at(&r, 300 + (20 - i) * 10);
        op(&r, 2, 0, EV_OP_GET, i);
    }
    put(&r, (struct ev){ .kind = EV_OBJ_NAME, .obj = 2, .str = "results",
                        .len = 7 });
    at(&r, 600);
    state(&r, 0, EV_ST_DONE, -1);
    ASSERT_EQ(evlog_flush(r.log, &d), 0);

    out = export_to_string(r.log, 60, &rc, &d);
    ASSERT_EQ(rc, 0);
    /* A third of 60 is the most a label may take, a blank included. */
    ASSERT(strstr(out, "\nMainThread          |####") != NULL);
    ASSERT(strstr(out, "\n  a-task-with-a-ver |") != NULL);
    ASSERT(strstr(out, "\n  Process-1         |=====") != NULL);
    ASSERT(strstr(out, "\n    child?main      |zzzzzzzzz") != NULL);
    /* Rows in tree order: the process's thread right under it. */
    line = strstr(out, "\n  Process-1");
    ASSERT(line != NULL && strncmp(strchr(line + 1, '\n'), "\n    child",
                                   10) == 0);
    /* 38 columns of 600/38 us: the task runs until 300 us, column 19,
     * where it is cancelled; nothing after. */
    line = strstr(out, "a-task-with-a-ver |");
    ASSERT(line != NULL);
    line += strlen("a-task-with-a-ver |");
    ASSERT(strncmp(line, "###################c"
                         "                  |\n", 40) == 0);
    /* 20 items at the peak: 9 is full, one item is at least 1. */
    line = strstr(out, "\nresults             |");
    ASSERT(line != NULL);
    line += strlen("\nresults             |");
    ASSERT(strncmp(line, "12234556778999999999988765543321000000|", 39)
           == 0);
    ASSERT(strstr(out, "total: 600 us of virtual time, 42 steps, 0 "
                       "switches\n") != NULL);
    free(out);
    evlog_free(r.log);
}

/* ---- Trace JSON --------------------------------------------------------- */

/* A strict JSON syntax check (RFC 8259, UTF-8 not checked): returns the
 * end of the value at p, or NULL. */
static const char *json_value(const char *p, int depth);

static const char *
json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
        p++;
    }
    return p;
}

static const char *
json_string(const char *p)
{
    if (*p++ != '"') {
        return NULL;
    }
    for (;;) {
        unsigned char c = (unsigned char)*p++;

        if (c == '"') {
            return p;
        }
        if (c < 0x20) {
            return NULL;
        }
        if (c == '\\') {
            c = (unsigned char)*p++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++) {
                    if (!isxdigit((unsigned char)*p++)) {
                        return NULL;
                    }
                }
            } else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0') {
                return NULL;
            }
        }
    }
}

static const char *
json_number(const char *p)
{
    const char *start;

    if (*p == '-') {
        p++;
    }
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (isdigit((unsigned char)*p)) {
            p++;
        }
    } else {
        return NULL;
    }
    if (*p == '.') {
        start = ++p;
        while (isdigit((unsigned char)*p)) {
            p++;
        }
        if (p == start) {
            return NULL;
        }
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') {
            p++;
        }
        start = p;
        while (isdigit((unsigned char)*p)) {
            p++;
        }
        if (p == start) {
            return NULL;
        }
    }
    return p;
}

static const char *
json_value(const char *p, int depth)
{
    p = json_ws(p);
    if (depth > 64) {
        return NULL;
    }
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        bool obj = *p == '{';

        p = json_ws(p + 1);
        if (*p == close) {
            return p + 1;
        }
        for (;;) {
            if (obj) {
                p = json_string(json_ws(p));
                if (p == NULL || *(p = json_ws(p)) != ':') {
                    return NULL;
                }
                p++;
            }
            p = json_value(p, depth + 1);
            if (p == NULL) {
                return NULL;
            }
            p = json_ws(p);
            if (*p == close) {
                return p + 1;
            }
            if (*p++ != ',') {
                return NULL;
            }
        }
    }
    if (*p == '"') {
        return json_string(p);
    }
    if (strncmp(p, "true", 4) == 0 || strncmp(p, "null", 4) == 0) {
        return p + 4;
    }
    if (strncmp(p, "false", 5) == 0) {
        return p + 5;
    }
    return json_number(p);
}

static void
assert_json(const char *text)
{
    const char *end = json_value(text, 0);

    ASSERT(end != NULL);
    ASSERT_EQ(*json_ws(end), '\0');
}

/* The same check by CPython's json module, when python3 is on PATH. */
static void
assert_json_python(const char *text)
{
    char path[] = "/tmp/telar-trace-XXXXXX";
    int fd = mkstemp(path);
    int status;
    char *cmd;

    ASSERT(fd >= 0);
    ASSERT_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    cmd = xasprintf("python3 -c 'import json,sys; "
                    "json.load(open(sys.argv[1], encoding=\"utf-8\"))' "
                    "%s 2>&1", path);
    status = system(cmd);
    unlink(path);
    free(cmd);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        printf("# no python3: JSON checked in C only\n");
        return;
    }
    ASSERT(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
}

static int
count(const char *hay, const char *needle)
{
    int n = 0;

    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++) {
        n++;
    }
    return n;
}

/* Every event line names its phase and track; all but metadata have ts. */
static void
assert_event_keys(const char *out)
{
    for (const char *p = strstr(out, "\n{"); p != NULL;
         p = strstr(p + 1, "\n{")) {
        const char *eol = strchr(p + 1, '\n');
        size_t n = eol != NULL ? (size_t)(eol - p) : strlen(p);
        char *line = xmalloc(n + 1);

        memcpy(line, p, n);
        line[n] = '\0';
        ASSERT(strncmp(line, "\n{\"name\":", 9) == 0);
        ASSERT(strstr(line, ",\"ph\":\"") != NULL);
        ASSERT(strstr(line, ",\"pid\":") != NULL);
        ASSERT(strstr(line, ",\"tid\":") != NULL);
        ASSERT(strstr(line, ",\"ts\":") != NULL);
        if (strstr(line, "\"ph\":\"X\"") != NULL) {
            ASSERT(strstr(line, ",\"dur\":") != NULL);
        }
        if (strstr(line, "\"ph\":\"b\"") != NULL
            || strstr(line, "\"ph\":\"e\"") != NULL) {
            ASSERT(strstr(line, "\"cat\":\"task\",\"id\":") != NULL);
        }
        free(line);
    }
}

TEST(export_trace_small)
{
    struct diag d;
    struct evlog *log = small_run();
    int rc;
    char *out = export_to_string(log, 0, &rc, &d);

    ASSERT_EQ(rc, 0);
    assert_json(out);
    assert_event_keys(out);
    ASSERT(strncmp(out, "{\"traceEvents\":[", 16) == 0);
    ASSERT(strstr(out, "],\"displayTimeUnit\":\"ms\"") != NULL);
    ASSERT(strstr(out, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,"
                       "\"tid\":0,\"ts\":0,\"args\":{\"name\":"
                       "\"MainProcess\"}}") != NULL);
    ASSERT(strstr(out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,"
                       "\"tid\":3,\"ts\":0,\"args\":{\"name\":"
                       "\"worker-2\"}}") != NULL);
    ASSERT_EQ(count(out, "\"thread_sort_index\""), 3);
    ASSERT_EQ(count(out, "\"process_sort_index\""), 1);
    /* No thread track for the task: it has an async one. */
    ASSERT(strstr(out, "\"Task-1\",\"ph\":\"M\"") == NULL);
    ASSERT(strstr(out, "\"tid\":4") == NULL);

    /* Running spans of threads, exact to the nanosecond. */
    ASSERT_EQ(count(out, "\"ph\":\"X\""), 5);
    ASSERT(strstr(out, "{\"name\":\"running\",\"ph\":\"X\",\"pid\":1,"
                       "\"tid\":1,\"cat\":\"thread\",\"ts\":0.000,"
                       "\"dur\":1000.000,") != NULL);
    ASSERT(strstr(out, "\"tid\":3,\"cat\":\"thread\",\"ts\":2000.000,"
                       "\"dur\":500.000,\"args\":{\"then\":\"failed\"}")
           != NULL);

    /* The task: one outer pair, two nested running pairs, in order. */
    ASSERT_EQ(count(out, "\"ph\":\"b\""), 3);
    ASSERT_EQ(count(out, "\"ph\":\"e\""), 3);
    {
        const char *b = strstr(out, "{\"name\":\"Task-1\",\"ph\":\"b\"");
        const char *rb = strstr(out, "{\"name\":\"running\",\"ph\":\"b\"");
        const char *e = strstr(out, "{\"name\":\"Task-1\",\"ph\":\"e\"");

        ASSERT(b != NULL && rb != NULL && e != NULL);
        ASSERT(b < rb && rb < e);
        ASSERT(strstr(b, "\"ts\":200.000") != NULL);
        ASSERT(strstr(e, "\"ts\":700.000,\"args\":{\"state\":\"done\"}")
               != NULL);
    }

    /* Queue depth after each put and get. */
    ASSERT_EQ(count(out, "\"ph\":\"C\""), 4);
    ASSERT(strstr(out, "{\"name\":\"jobs\",\"ph\":\"C\",\"pid\":1,\"tid\":0,"
                       "\"ts\":1500.000,\"args\":{\"size\":2}}") != NULL);

    /* Instants on the thread that caused them. */
    ASSERT_EQ(count(out, "\"ph\":\"i\""), 4);
    ASSERT(strstr(out, "{\"name\":\"exception\",\"ph\":\"i\",\"pid\":1,"
                       "\"tid\":3,\"s\":\"t\",\"ts\":2500.000,\"args\":"
                       "{\"text\":\"ValueError: boom\"}}") != NULL);
    ASSERT(strstr(out, "\"args\":{\"text\":\"Traceback\\n\","
                       "\"stream\":\"stderr\"}") != NULL);
    ASSERT(strstr(out, "{\"name\":\"note\",\"ph\":\"i\"") != NULL);
    assert_json_python(out);
    free(out);
    evlog_free(log);
}

/* Several processes, text that is long, binary or has quotes, a task left
 * running when the log ends, and a run without virtual time. */
TEST(export_trace_edges)
{
    static const char bin[] = "ok \"q\" \\ \x01 \xff\xfe \xed\xa0\x80 \xc3";
    struct diag d;
    struct run r = { evlog_new(NULL, &d), 0, 0 };
    char big[300];
    int rc;
    char *out, *p;

    ASSERT(r.log != NULL);
    /* 100 two-byte characters, then one: the cut at 200 bytes must not
     * split a character. */
    memcpy(big, "x", 1);
    for (int i = 0; i < 100; i++) {
        memcpy(big + 1 + 2 * i, "\xc3\xa9", 2);
    }
    actor_new(&r, 0, EV_ACTOR_THREAD, -1, 0, "MainThread");
    actor_new(&r, 1, EV_ACTOR_PROCESS, 0, 1, "Worker \"A\"");
    actor_new(&r, 2, EV_ACTOR_THREAD, 1, 1, "MainThread");
    actor_new(&r, 3, EV_ACTOR_LOOP, 0, 0, "loop");
    actor_new(&r, 4, EV_ACTOR_TASK, 3, 0, "main()");
    state(&r, 0, EV_ST_RUNNING, -1);
    put(&r, (struct ev){ .kind = EV_OBJ_NEW, .obj = 9,
                        .a = EV_OBJ_SIMPLEQUEUE });
    put(&r, (struct ev){ .kind = EV_OBJ_NEW, .obj = 10, .a = EV_OBJ_QUEUE,
                        .str = "q", .len = 1 });
    put(&r, (struct ev){ .kind = EV_OBJ_NEW, .obj = 11, .a = EV_OBJ_QUEUE,
                        .str = "q", .len = 1 });
    r.step++;
    op(&r, 9, 2, EV_OP_PUT, 1);
    op(&r, 10, 0, EV_OP_WAIT, 77);  /* not a size: no sample */
    op(&r, 11, 0, EV_OP_PUT, 3);
    put(&r, (struct ev){ .kind = EV_OUTPUT, .actor = 2, .a = 1, .str = big,
                        .len = 201 });
    evlog_str(r.log, r.step, r.time, EV_NOTE, 4, bin, sizeof bin - 1);
    state(&r, 4, EV_ST_RUNNING, -1);
    r.step++;
    evlog_str(r.log, r.step, r.time, EV_DEADLOCK, -1, "a\nb", 3);
    ASSERT_EQ(evlog_flush(r.log, &d), 0);

    out = export_to_string(r.log, 0, &rc, &d);
    ASSERT_EQ(rc, 0);
    assert_json(out);
    assert_event_keys(out);
    ASSERT(strstr(out, "\"clock\":\"steps as microseconds\"") != NULL);
    ASSERT(strstr(out, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":2,"
                       "\"tid\":0,\"ts\":0,\"args\":{\"name\":"
                       "\"Worker \\\"A\\\"\"}}") != NULL);
    ASSERT(strstr(out, "\"pid\":2,\"tid\":3,\"ts\":0,\"args\":{\"name\":"
                       "\"MainThread\"}") != NULL);
    ASSERT(strstr(out, "\"pid\":1,\"tid\":4,\"ts\":0,\"args\":{\"name\":"
                       "\"loop\"}") != NULL);
    /* Unnamed and same-named queues stay apart. */
    ASSERT(strstr(out, "{\"name\":\"queue #9\",\"ph\":\"C\",\"pid\":2,")
           != NULL);
    ASSERT(strstr(out, "{\"name\":\"q #11\",\"ph\":\"C\",\"pid\":1,") != NULL);
    ASSERT(strstr(out, "\"size\":77") == NULL);
    /* Cut at 199 bytes: "x" and 99 whole characters. */
    p = strstr(out, "{\"name\":\"print\"");
    ASSERT(p != NULL);
    ASSERT(strstr(p, "\"pid\":2,\"tid\":3,") == p + 25);
    p = strstr(p, "\"text\":\"x");
    ASSERT(p != NULL);
    ASSERT_EQ(strchr(p + 8, '"') - (p + 8), 199);
    /* Quotes escaped, control bytes as \u, bad bytes replaced. */
    ASSERT(strstr(out, "\"text\":\"ok \\\"q\\\" \\\\ \\u0001 "
                       "\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd"
                       "\xef\xbf\xbd \xef\xbf\xbd\"") != NULL);
    /* The task's note is on its loop's track. */
    ASSERT(strstr(out, "{\"name\":\"note\",\"ph\":\"i\",\"pid\":1,"
                       "\"tid\":4,") != NULL);
    /* The deadlock goes on the main thread; open spans close at the end. */
    ASSERT(strstr(out, "{\"name\":\"deadlock\",\"ph\":\"i\",\"pid\":1,"
                       "\"tid\":1,\"s\":\"t\",\"ts\":2,") != NULL);
    ASSERT_EQ(count(out, "\"ph\":\"b\""), 2);
    ASSERT_EQ(count(out, "\"ph\":\"e\""), 2);
    ASSERT(strstr(out, "\"ph\":\"X\",\"pid\":1,\"tid\":1,\"cat\":\"thread\","
                       "\"ts\":0,\"dur\":2}") != NULL);
    assert_json_python(out);
    free(out);
    evlog_free(r.log);
}

/* An empty log and a corrupt one. */
TEST(export_empty_and_corrupt)
{
    struct diag d;
    struct evlog *log = evlog_new(NULL, &d);
    int rc;
    char *out;

    ASSERT(log != NULL);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    out = export_to_string(log, 0, &rc, &d);
    ASSERT_EQ(rc, 0);
    assert_json(out);
    free(out);
    out = export_to_string(log, 80, &rc, &d);
    ASSERT_EQ(rc, 0);
    ASSERT(strstr(out, "total: no virtual time, 0 steps, 0 switches\n")
           != NULL);
    free(out);

    /* A record of unknown kind after a good one. */
    evlog_str(log, 1, 5, EV_NOTE, 0, "fine", 4);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    ASSERT_EQ(write(evlog_fd(log), "\x7f", 1), 1);
    memset(&d, 0, sizeof d);
    out = export_to_string(log, 0, &rc, &d);
    ASSERT_EQ(rc, -1);
    ASSERT(strstr(d.msg, "unknown record kind 127") != NULL);
    free(out);
    memset(&d, 0, sizeof d);
    out = export_to_string(log, 80, &rc, &d);
    ASSERT_EQ(rc, -1);
    ASSERT(strstr(d.msg, "unknown record kind 127") != NULL);
    free(out);
    evlog_free(log);
}
