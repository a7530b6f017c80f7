/* Unit tests for src/log/evlog.c: encoding, stamps, tailing, corruption. */
#include "config.h"

#include "harness/evmix.h"
#include "harness/tap.h"
#include "log/evlog.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A fresh private directory for this test's files; removed by tmp_fini. */
static char tmp_dir[256];

static const char *
tmp_init(void)
{
    const char *base = getenv("TMPDIR");

    snprintf(tmp_dir, sizeof tmp_dir, "%s/telar-test-XXXXXX",
             base != NULL && base[0] != '\0' ? base : "/tmp");
    ASSERT(mkdtemp(tmp_dir) != NULL);
    return tmp_dir;
}

static char *
tmp_path(const char *name)
{
    return xasprintf("%s/%s", tmp_dir, name);
}

/* Count the entries of the test directory, "." and ".." aside. */
static int
tmp_count(void)
{
    DIR *dir = opendir(tmp_dir);
    struct dirent *e;
    int n = 0;

    ASSERT(dir != NULL);
    while ((e = readdir(dir)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    closedir(dir);
    return n;
}

static void
tmp_fini(void)
{
    DIR *dir = opendir(tmp_dir);
    struct dirent *e;

    ASSERT(dir != NULL);
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            char *p = tmp_path(e->d_name);

            unlink(p);
            free(p);
        }
    }
    closedir(dir);
    ASSERT_EQ(rmdir(tmp_dir), 0);
}

static void
write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    ASSERT(f != NULL);
    ASSERT_EQ(fwrite(data, 1, len, f), len);
    ASSERT_EQ(fclose(f), 0);
}

static void
append_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "ab");

    ASSERT(f != NULL);
    ASSERT_EQ(fwrite(data, 1, len, f), len);
    ASSERT_EQ(fclose(f), 0);
}

static off_t
file_size(const char *path)
{
    struct stat st;

    ASSERT_EQ(stat(path, &st), 0);
    return st.st_size;
}

static void
assert_ev_eq(const struct ev *got, const struct ev *want)
{
    ASSERT_EQ(got->kind, want->kind);
    ASSERT_EQ(got->actor, want->actor);
    ASSERT_EQ(got->obj, want->obj);
    ASSERT_EQ(got->a, want->a);
    ASSERT_EQ(got->b, want->b);
    ASSERT_EQ(got->c, want->c);
    ASSERT_EQ(got->d, want->d);
    ASSERT_EQ(got->x, want->x);
    ASSERT_EQ(got->len, want->len);
    if (want->str == NULL) {
        ASSERT_PTR(got->str, NULL);
    } else {
        ASSERT(got->str != NULL);
        ASSERT(memcmp(got->str, want->str, want->len) == 0);
    }
}

/* One record of every kind, with the fields that kind does not store left
 * at what the reader reports for them (-1 for actor and obj, else 0). */
static const char nul_str[] = "a\0b\0\xff";
static const struct ev every_kind[] = {
    { .kind = EV_RUN, .actor = -1, .obj = -1,
      .str = "seed=7\npolicy=gil\n", .len = 18 },
    { .kind = EV_ACTOR_NEW, .actor = 0, .obj = -1, .a = EV_ACTOR_THREAD,
      .b = -1, .c = 0, .str = "MainThread", .len = 10 },
    { .kind = EV_ACTOR_NEW, .actor = INT_MAX, .obj = -1,
      .a = EV_ACTOR_PROCESS, .b = INT64_MIN, .c = INT64_MAX, .str = "",
      .len = 0 },
    { .kind = EV_ACTOR_NAME, .actor = INT_MIN, .obj = -1, .str = nul_str,
      .len = sizeof nul_str - 1 },
    { .kind = EV_STATE, .actor = 3, .obj = -1, .a = EV_ST_SLEEPING,
      .x = EVLOG_NEVER },
    { .kind = EV_STATE, .actor = 3, .obj = 65535, .a = EV_ST_BLOCKED,
      .x = INT64_MIN },
    { .kind = EV_STATE, .actor = 3, .obj = 2, .a = EV_ST_CANCELLED,
      .x = -1 },
    { .kind = EV_STATE, .actor = 3, .obj = 2, .a = EV_ST_READY,
      .x = INT64_MAX - 1 },
    { .kind = EV_SWITCH, .actor = 1, .obj = -1, .a = EV_WHY_PREEMPT,
      .b = -1, .c = 2 },
    { .kind = EV_OBJ_NEW, .actor = -1, .obj = 7, .a = EV_OBJ_QUEUE, .b = 3,
      .str = "jobs", .len = 4 },
    { .kind = EV_OBJ_NAME, .actor = -1, .obj = 7, .str = "q", .len = 1 },
    { .kind = EV_OBJ_OP, .actor = 2, .obj = 7, .a = EV_OP_TIMEOUT,
      .x = -123456789012345LL },
    { .kind = EV_OUTPUT, .actor = 2, .obj = -1, .a = 2, .str = "hi\n",
      .len = 3 },
    { .kind = EV_CODE, .actor = -1, .obj = -1, .a = 12, .b = 40,
      .str = "demo.py\0worker", .len = 14 },
    { .kind = EV_POS, .actor = 1, .obj = -1, .a = 12, .b = 1 << 20,
      .c = -64 },
    { .kind = EV_EXCEPTION, .actor = 1, .obj = -1,
      .str = "ValueError: boom", .len = 16 },
    { .kind = EV_DEADLOCK, .actor = -1, .obj = -1,
      .str = "T1 waits for lock\n", .len = 18 },
    { .kind = EV_NOTE, .actor = -1, .obj = -1, .str = "caption", .len = 7 },
    { .kind = EV_END, .actor = -1, .obj = -1, .a = 3, .b = EV_END_DEADLOCK,
      .str = "deadlock", .len = 8 },
    { .kind = EV_BYTECODE, .actor = -1, .obj = -1, .a = 12,
      .str = "0\t40\tRESUME\t0\t\n", .len = 14 },
    { .kind = EV_WATCH, .actor = 2, .obj = -1, .a = 1, .str = "n=3",
      .len = 3 },
    { .kind = EV_LOC, .actor = -1, .obj = -1, .a = 1LL << 40,
      .b = EV_LOC_ITEM, .str = "'k'\0d\0dict", .len = 10 },
    { .kind = EV_ACCESS, .actor = 3, .obj = -1, .a = 1LL << 40,
      .b = EV_ACC_STORE_SUBSCR, .c = 12, .d = 300, .x = 4094 },
    { .kind = EV_SYNC, .actor = 2, .obj = -1, .a = EV_SYNC_START, .b = 5 },
    { .kind = EV_RACE, .actor = 3, .obj = -1, .a = 77, .b = 2, .c = 70,
      .d = 1LL << 40, .str = "data race on", .len = 12 },
    { .kind = EV_THREAD, .actor = 4, .obj = -1, .a = 1, .b = 12,
      .str = "/s.py\0work", .len = 10 },
};
#define NEVERY (sizeof every_kind / sizeof every_kind[0])

TEST(evlog_roundtrip)
{
    struct diag d;
    struct evlog *log;
    struct evlog_reader *r;
    struct ev ev;
    char *path;
    bool seen[EV__COUNT] = { false };

    tmp_init();
    path = tmp_path("run.tlog");
    log = evlog_new(path, &d);
    ASSERT(log != NULL);
    for (size_t i = 0; i < NEVERY; i++) {
        struct ev in = every_kind[i];

        /* Fields a kind does not store must not leak into the file. */
        if (in.kind == EV_RUN) {
            in.actor = 99;
            in.a = 5;
        }
        evlog_put(log, i / 3, (int64_t)(i / 3) * -1000000007LL, &in);
    }
    ASSERT_EQ(evlog_count(log), NEVERY);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    ASSERT_EQ(evlog_bytes(log), file_size(path));

    r = evlog_open(path, &d);
    ASSERT(r != NULL);
    for (size_t i = 0; i < NEVERY; i++) {
        ASSERT_EQ(evlog_next(r, &ev, &d), 1);
        assert_ev_eq(&ev, &every_kind[i]);
        ASSERT_EQ(ev.step, i / 3);
        ASSERT_EQ(ev.time, (int64_t)(i / 3) * -1000000007LL);
        seen[ev.kind] = true;
    }
    ASSERT_EQ(evlog_next(r, &ev, &d), 0);
    ASSERT_EQ(evlog_check_end(r, &d), 0);
    for (int k = EV_RUN; k < EV__COUNT; k++) {
        ASSERT(seen[k]);
    }

    /* Rewind and seek back to a remembered place. */
    {
        struct evlog_pos pos;

        evlog_rewind(r);
        for (int i = 0; i < 5; i++) {
            ASSERT_EQ(evlog_next(r, &ev, &d), 1);
        }
        evlog_tell(r, &pos);
        ASSERT_EQ(evlog_next(r, &ev, &d), 1);
        assert_ev_eq(&ev, &every_kind[5]);
        while (evlog_next(r, &ev, &d) == 1) {
            continue;
        }
        evlog_seek(r, &pos);
        ASSERT_EQ(evlog_next(r, &ev, &d), 1);
        assert_ev_eq(&ev, &every_kind[5]);
        ASSERT_EQ(ev.step, 1);
        ASSERT_EQ(ev.time, -1000000007LL);
    }
    evlog_close(r);
    evlog_free(log);
    free(path);
    tmp_fini();
}

/* The shorthands, and a log opened by path while being written. */
TEST(evlog_shorthands)
{
    struct diag d;
    struct evlog *log;
    struct evlog_reader *r;
    struct ev ev;
    char *path;

    tmp_init();
    path = tmp_path("s.tlog");
    log = evlog_new(path, &d);
    ASSERT(log != NULL);
    /* The header is on disk at once: a reader can open before any put. */
    ASSERT_EQ(file_size(path), 16);
    r = evlog_open(path, &d);
    ASSERT(r != NULL);
    ASSERT_EQ(evlog_next(r, &ev, &d), 0);
    ASSERT_EQ(evlog_check_end(r, &d), 0);

    evlog_state(log, 4, 50, 2, EV_ST_BLOCKED, 9, EVLOG_NEVER);
    evlog_str(log, 4, 50, EV_OUTPUT, 2, "x\0y", 3);
    evlog_str(log, 5, 60, EV_DEADLOCK, 7, "dl", 2);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    ASSERT(evlog_refresh(r, &d) > 0);

    ASSERT_EQ(evlog_next(r, &ev, &d), 1);
    ASSERT_EQ(ev.kind, EV_STATE);
    ASSERT_EQ(ev.actor, 2);
    ASSERT_EQ(ev.a, EV_ST_BLOCKED);
    ASSERT_EQ(ev.obj, 9);
    ASSERT_EQ(ev.x, EVLOG_NEVER);
    ASSERT_EQ(ev.step, 4);
    ASSERT_EQ(ev.time, 50);
    ASSERT_EQ(evlog_next(r, &ev, &d), 1);
    ASSERT_EQ(ev.kind, EV_OUTPUT);
    ASSERT_EQ(ev.a, 1);
    ASSERT_EQ(ev.len, 3);
    ASSERT(memcmp(ev.str, "x\0y", 3) == 0);
    ASSERT_EQ(evlog_next(r, &ev, &d), 1);
    ASSERT_EQ(ev.kind, EV_DEADLOCK);
    ASSERT_EQ(ev.actor, -1);
    ASSERT_EQ(ev.step, 5);
    ASSERT_EQ(ev.time, 60);
    ASSERT_EQ(evlog_next(r, &ev, &d), 0);
    evlog_close(r);
    evlog_free(log);
    free(path);
    tmp_fini();
}

/* A stamp is written only when (step, time) moves, and deltas in any
 * direction and of any size come back exactly. */
TEST(evlog_stamps)
{
    static const struct {
        uint64_t step;
        int64_t time;
    } st[] = {
        { 0, 0 }, { 0, 0 }, { 1, 10 }, { 1, 10 }, { 1, 5 }, { 300, 5 },
        { 300, INT64_MAX }, { 301, INT64_MIN }, { 2, 0 },
        { UINT64_MAX, -1 }, { 0, 0 },
    };
    struct diag d;
    struct evlog *log;
    struct evlog_reader *r;
    struct ev ev = { .kind = EV_SWITCH, .actor = 1, .b = 0 };
    uint64_t before;

    log = evlog_new(NULL, &d);
    ASSERT(log != NULL);
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
        before = evlog_bytes(log);
        evlog_put(log, st[i].step, st[i].time, &ev);
        if (i == 1 || i == 3) {
            /* Same stamp as before: kind, actor, b, a, c; nothing
             * else. */
            ASSERT_EQ(evlog_bytes(log) - before, 5);
        }
        if (i == 2) {
            /* stamp (1 + 1 + 1) then the record (5) */
            ASSERT_EQ(evlog_bytes(log) - before, 8);
        }
    }
    ASSERT_EQ(evlog_flush(log, &d), 0);
    r = evlog_open_fd(evlog_fd(log), &d);
    ASSERT(r != NULL);
    for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
        ASSERT_EQ(evlog_next(r, &ev, &d), 1);
        ASSERT_EQ(ev.kind, EV_SWITCH);
        ASSERT(ev.step == st[i].step);
        ASSERT_EQ(ev.time, st[i].time);
    }
    ASSERT_EQ(evlog_next(r, &ev, &d), 0);
    evlog_close(r);
    evlog_free(log);
}

/* An anonymous log leaves nothing in $TMPDIR, and its reader outlives it. */
TEST(evlog_anonymous)
{
    struct diag d;
    struct evlog *log;
    struct evlog_reader *r;
    struct ev ev;
    int fd;

    tmp_init();
    ASSERT_EQ(setenv("TMPDIR", tmp_dir, 1), 0);
    log = evlog_new(NULL, &d);
    ASSERT(log != NULL);
    ASSERT_EQ(tmp_count(), 0);
    fd = evlog_fd(log);
    ASSERT(fd >= 0);
    evlog_str(log, 1, 1, EV_NOTE, 0, "hello", 5);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    r = evlog_open_fd(fd, &d);
    ASSERT(r != NULL);
    evlog_free(log);                /* the reader keeps its own descriptor */
    ASSERT_EQ(evlog_next(r, &ev, &d), 1);
    ASSERT_EQ(ev.kind, EV_NOTE);
    ASSERT_EQ(ev.len, 5);
    ASSERT(memcmp(ev.str, "hello", 5) == 0);
    ASSERT_EQ(evlog_next(r, &ev, &d), 0);
    evlog_close(r);
    ASSERT_EQ(tmp_count(), 0);
    tmp_fini();

    /* A $TMPDIR that does not exist is an error with a message. */
    ASSERT_EQ(setenv("TMPDIR", "/nonexistent/telar-test", 1), 0);
    memset(&d, 0, sizeof d);
    ASSERT_PTR(evlog_new(NULL, &d), NULL);
    ASSERT(strstr(d.msg, "cannot create") != NULL);
}

/* Live tailing: read, write more, refresh, read the rest; a record split
 * by the writer's buffer is "not yet" until its end arrives. */
TEST(evlog_tail)
{
    struct diag d;
    struct evlog *log;
    struct evlog_reader *r;
    struct ev ev;
    struct evlog_pos pos;
    char *big = xmalloc(100000);
    const char *kept;
    uint64_t n = 0, total = 0;

    log = evlog_new(NULL, &d);
    ASSERT(log != NULL);
    r = evlog_open_fd(evlog_fd(log), &d);
    ASSERT(r != NULL);
    ASSERT_EQ(evlog_next(r, &ev, &d), 0);
    ASSERT_EQ(evlog_refresh(r, &d), 0);

    evlog_str(log, 1, 10, EV_NOTE, 0, "first", 5);
    ASSERT_EQ(evlog_refresh(r, &d), 0);     /* still in the buffer */
    ASSERT_EQ(evlog_flush(log, &d), 0);
    ASSERT_EQ(evlog_refresh(r, &d), 11);    /* stamp 3, note 1 + 1 + 1 + 5 */
    ASSERT_EQ(evlog_next(r, &ev, &d), 1);
    kept = ev.str;
    ASSERT_EQ(evlog_next(r, &ev, &d), 0);

    /* Longer than the writer's 64 KiB buffer: it reaches the file in two
     * writes, and the reader sees the first alone. */
    for (int i = 0; i < 100000; i++) {
        big[i] = (char)('a' + i % 26);
    }
    evlog_str(log, 2, 20, EV_OUTPUT, 1, big, 100000);
    ASSERT(evlog_refresh(r, &d) > 0);
    evlog_tell(r, &pos);
    ASSERT_EQ(evlog_next(r, &ev, &d), 0);
    ASSERT_EQ(evlog_next(r, &ev, &d), 0);
    {
        struct evlog_pos again;

        evlog_tell(r, &again);
        ASSERT_EQ(again.offset, pos.offset);
    }
    ASSERT_EQ(evlog_flush(log, &d), 0);
    ASSERT(evlog_refresh(r, &d) > 0);
    ASSERT_EQ(evlog_next(r, &ev, &d), 1);
    ASSERT_EQ(ev.kind, EV_OUTPUT);
    ASSERT_EQ(ev.step, 2);
    ASSERT_EQ(ev.len, 100000);
    ASSERT(memcmp(ev.str, big, 100000) == 0);

    /* Many small records, read as the buffer spills, past several
     * remappings; every one arrives once, in order. */
    for (uint64_t i = 0; i < 400000; i++) {
        struct ev pv = { .kind = EV_POS, .actor = (int)(i % 5),
                         .a = (int64_t)(i % 7), .b = (int64_t)i, .c = 2 };

        evlog_put(log, 3 + i, 30 + (int64_t)i * 10, &pv);
        if (i % 1000 == 999 || i == 399999) {
            if (i == 399999) {
                ASSERT_EQ(evlog_flush(log, &d), 0);
            }
            ASSERT(evlog_refresh(r, &d) >= 0);
            while (evlog_next(r, &ev, &d) == 1) {
                ASSERT_EQ(ev.kind, EV_POS);
                ASSERT_EQ(ev.b, (int64_t)n);
                ASSERT_EQ(ev.actor, (int)(n % 5));
                ASSERT_EQ(ev.step, 3 + n);
                ASSERT_EQ(ev.time, 30 + (int64_t)n * 10);
                n++;
            }
        }
    }
    ASSERT_EQ(n, 400000);
    ASSERT_EQ(evlog_check_end(r, &d), 0);
    /* Strings handed out before the file grew are still readable. */
    ASSERT(memcmp(kept, "first", 5) == 0);

    /* A second reader sees it all in one go. */
    {
        struct evlog_reader *r2 = evlog_open_fd(evlog_fd(log), &d);

        ASSERT(r2 != NULL);
        while (evlog_next(r2, &ev, &d) == 1) {
            total++;
        }
        ASSERT_EQ(total, evlog_count(log));
        evlog_close(r2);
    }
    evlog_close(r);
    evlog_free(log);
    free(big);
}

static void
assert_open_fails(const char *path, const char *what)
{
    struct diag d;

    memset(&d, 0, sizeof d);
    ASSERT_PTR(evlog_open(path, &d), NULL);
    if (strstr(d.msg, what) == NULL) {
        TAP_FAIL_("diag \"%s\" lacks \"%s\"", d.msg, what);
    }
}

/* Read r to its end; the last result and the diag's message. */
static int
drain(struct evlog_reader *r, struct diag *d)
{
    struct ev ev;
    int rc;

    memset(d, 0, sizeof *d);
    while ((rc = evlog_next(r, &ev, d)) == 1) {
        continue;
    }
    return rc;
}

/* Write a good log of a few records at path, return its size. */
static off_t
good_log(const char *path)
{
    struct diag d;
    struct evlog *log = evlog_new(path, &d);

    ASSERT(log != NULL);
    evlog_state(log, 1, 10, 0, EV_ST_RUNNING, -1, EVLOG_NEVER);
    evlog_str(log, 2, 20, EV_NOTE, 0, "note", 4);
    evlog_free(log);
    return file_size(path);
}

TEST(evlog_corrupt)
{
    struct diag d;
    struct evlog_reader *r;
    char *path;
    unsigned char bad[64];
    off_t size;

    tmp_init();
    path = tmp_path("bad.tlog");

    /* Not a log at all, or a log of another version. */
    write_file(path, "NOTALOG!\1\0\0\0\0\0\0\0", 16);
    assert_open_fails(path, "bad magic");
    write_file(path, "TELA_", 5);
    assert_open_fails(path, "bad magic");
    write_file(path, "TELARLOG\7\0\0\0\0\0\0\0", 16);
    assert_open_fails(path, "version 7");
    assert_open_fails("/nonexistent/telar.tlog", "cannot open");
    assert_open_fails(tmp_dir, "not a regular file");

    /* An empty file is a log not begun; garbage arriving later is caught
     * by evlog_next. */
    write_file(path, "", 0);
    r = evlog_open(path, &d);
    ASSERT(r != NULL);
    ASSERT_EQ(drain(r, &d), 0);
    ASSERT_EQ(evlog_check_end(r, &d), -1);
    ASSERT(strstr(d.msg, "header") != NULL);
    append_file(path, "TELARLOG\2", 9);
    ASSERT_EQ(evlog_refresh(r, &d), 9);
    ASSERT_EQ(drain(r, &d), 0);
    append_file(path, "\0\0\0\0\0\0\0", 7);
    ASSERT_EQ(evlog_refresh(r, &d), 7);
    ASSERT_EQ(drain(r, &d), 0);
    ASSERT_EQ(evlog_check_end(r, &d), 0);
    append_file(path, "\xee", 1);
    ASSERT_EQ(evlog_refresh(r, &d), 1);
    ASSERT_EQ(drain(r, &d), -1);
    ASSERT(strstr(d.msg, "unknown record kind 238 at offset 16") != NULL);
    evlog_close(r);
    write_file(path, "TELAR", 5);
    r = evlog_open(path, &d);
    ASSERT(r != NULL);
    append_file(path, "BOGUS\1\0\0\0\0\0\0\0", 13);
    ASSERT(evlog_refresh(r, &d) > 0);
    ASSERT_EQ(drain(r, &d), -1);
    ASSERT(strstr(d.msg, "bad magic") != NULL);
    evlog_close(r);

    /* Cut inside the last record: "not yet" for evlog_next, an error for
     * evlog_check_end. */
    size = good_log(path);
    ASSERT_EQ(truncate(path, size - 2), 0);
    r = evlog_open(path, &d);
    ASSERT(r != NULL);
    ASSERT_EQ(drain(r, &d), 0);
    ASSERT_EQ(evlog_check_end(r, &d), -1);
    ASSERT(strstr(d.msg, "truncated") != NULL);
    ASSERT_STR(d.file, path);
    /* A reader notices a file that shrank under it. */
    ASSERT_EQ(truncate(path, 10), 0);
    ASSERT_EQ(evlog_refresh(r, &d), -1);
    ASSERT(strstr(d.msg, "shrank") != NULL);
    evlog_close(r);

    /* Unknown kinds, overlong varints, values out of range. */
    {
        static const struct {
            const char *bytes;
            size_t len;
            const char *what;
        } cases[] = {
            { "\xee", 1, "unknown record kind 238" },
            { "\x00", 1, "unknown record kind 0" },
            { "\x18", 1, "unknown record kind 24" },
            { "\x0c\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 12,
              "bad number" },
            { "\x0c\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 11,
              "bad number" },
            { "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 11,
              "bad number" },
            { "\x0c\x80\x80\x80\x80\x10\x00\x00\x00", 9, "bad number" },
            { "\x05\x00\x10\x01\x00", 5, "out of range" },
            { "\x09\x00\x00\x12\x02", 5, "out of range" },
            { "\x07\x00\x1e\x00\x00", 5, "out of range" },
            { "\x0f\x00\xff\xff\xff\xff\x7f", 7, "bad number" },
        };

        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            size = good_log(path);
            append_file(path, cases[i].bytes, cases[i].len);
            r = evlog_open(path, &d);
            ASSERT(r != NULL);
            if (drain(r, &d) != -1 || strstr(d.msg, cases[i].what) == NULL) {
                TAP_FAIL_("case %zu: diag \"%s\"", i, d.msg);
            }
            /* The error names where the bad record begins. */
            snprintf((char *)bad, sizeof bad, "offset %lld",
                     (long long)size);
            ASSERT(strstr(d.msg, (char *)bad) != NULL);
            /* Asking again gives the same answer, not a crash. */
            ASSERT_EQ(drain(r, &d), -1);
            evlog_close(r);
        }
    }

    /* Random bytes after a header, and random damage to a good log: the
     * reader ends with 0 or -1, never reads out of bounds (ASan/valgrind
     * watch), and never loops. */
    {
        uint64_t seed = 42;
        struct evlog *log;
        unsigned char *copy;
        size_t n;
        FILE *f;

        for (int round = 0; round < 300; round++) {
            size_t len = (size_t)rng_below(&seed, sizeof bad);

            memcpy(bad, "TELARLOG\2\0\0\0\0\0\0\0", 16);
            for (size_t i = 16; i < len; i++) {
                bad[i] = (unsigned char)rng_next(&seed);
            }
            write_file(path, bad, len < 16 ? 16 : len);
            r = evlog_open(path, &d);
            ASSERT(r != NULL);
            ASSERT(drain(r, &d) <= 0);
            evlog_close(r);
        }

        log = evlog_new(path, &d);
        ASSERT(log != NULL);
        for (int i = 0; i < (int)NEVERY * 4; i++) {
            evlog_put(log, (uint64_t)i, i * 7, &every_kind[i % NEVERY]);
        }
        evlog_free(log);
        n = (size_t)file_size(path);
        copy = xmalloc(n);
        f = fopen(path, "rb");
        ASSERT(f != NULL);
        ASSERT_EQ(fread(copy, 1, n, f), n);
        fclose(f);
        for (int round = 0; round < 300; round++) {
            unsigned char *m = xmalloc(n);
            size_t cut = 16 + (size_t)rng_below(&seed, n - 15);

            memcpy(m, copy, n);
            for (int k = 0; k < 3; k++) {
                m[16 + rng_below(&seed, n - 16)] = (unsigned char)rng_next(
                    &seed);
            }
            write_file(path, m, cut);
            r = evlog_open(path, &d);
            ASSERT(r != NULL);
            ASSERT(drain(r, &d) <= 0);
            evlog_close(r);
            free(m);
        }
        free(copy);
    }
    free(path);
    tmp_fini();
}

/* Failing writes: at creation, an error; later, remembered for flush. */
TEST(evlog_write_error)
{
    struct diag d;
    struct evlog *log;
    struct rlimit rl = { 32768, 32768 };
    char *path;

    memset(&d, 0, sizeof d);
    ASSERT_PTR(evlog_new("/nonexistent/dir/x.tlog", &d), NULL);
    ASSERT(strstr(d.msg, "cannot create event log") != NULL);
    ASSERT_STR(d.file, "/nonexistent/dir/x.tlog");
    if (access("/dev/full", W_OK) == 0) {
        memset(&d, 0, sizeof d);
        ASSERT_PTR(evlog_new("/dev/full", &d), NULL);
        ASSERT(strstr(d.msg, "cannot write") != NULL);
    }

    /* Past RLIMIT_FSIZE, write(2) fails with EFBIG (SIGXFSZ ignored). */
    tmp_init();
    path = tmp_path("big.tlog");
    signal(SIGXFSZ, SIG_IGN);
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &rl), 0);
    log = evlog_new(path, &d);
    ASSERT(log != NULL);
    for (int i = 0; i < 100000; i++) {
        evlog_state(log, (uint64_t)i, i, i % 3, EV_ST_READY, -1,
                    EVLOG_NEVER);
    }
    ASSERT_EQ(evlog_flush(log, &d), -1);
    ASSERT(strstr(d.msg, "cannot write event log") != NULL);
    ASSERT_STR(d.file, path);
    /* The error stays: data after a hole cannot be trusted. */
    ASSERT_EQ(evlog_flush(log, &d), -1);
    evlog_free(log);
    free(path);
    tmp_fini();
}

TEST(evlog_density)
{
    struct diag d;
    struct evlog *log = evlog_new(NULL, &d);
    struct evlog_reader *r;
    struct ev ev;
    uint64_t n = 0, payload;
    struct stat st;

    ASSERT(log != NULL);
    evmix_write(log, 1000000);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    ASSERT_EQ(evlog_count(log), 1000000);
    ASSERT_EQ(fstat(evlog_fd(log), &st), 0);
    ASSERT_EQ(evlog_bytes(log), st.st_size);
    payload = evlog_bytes(log) - 16;
    printf("# %.2f bytes per event\n", (double)payload / 1000000);
    ASSERT(payload <= 16 * 1000000);
    r = evlog_open_fd(evlog_fd(log), &d);
    ASSERT(r != NULL);
    while (evlog_next(r, &ev, &d) == 1) {
        n++;
    }
    ASSERT_EQ(n, 1000000);
    ASSERT_EQ(ev.step, 1000000);
    evlog_close(r);
    evlog_free(log);
}

TEST(evlog_names)
{
    ASSERT_STR(evlog_kind_name(EV_STATE), "state");
    ASSERT_STR(evlog_kind_name(EV_END), "end");
    ASSERT_STR(evlog_kind_name((enum ev_kind)0), "?");
    ASSERT_STR(evlog_kind_name(EV__COUNT), "?");
    ASSERT_STR(evlog_state_name(EV_ST_READY), "ready");
    ASSERT_STR(evlog_state_name(EV_ST_CANCELLED), "cancelled");
    ASSERT_STR(evlog_state_name(EV_ST__COUNT), "?");
    ASSERT_STR(evlog_state_name((enum ev_state)-1), "?");
    ASSERT_STR(evlog_obj_kind_name(EV_OBJ_AQUEUE), "asyncio queue");
    ASSERT_STR(evlog_obj_kind_name(EV_OBJ_PROCESS), "process");
    ASSERT_STR(evlog_obj_kind_name(EV_OBJ_GIL), "gil");
    ASSERT_STR(evlog_obj_kind_name(EV_OBJ__COUNT), "?");
    ASSERT_STR(evlog_op_name(EV_OP_ACQUIRE), "acquire");
    ASSERT_STR(evlog_op_name(EV_OP_TIMEOUT), "timeout");
    ASSERT_STR(evlog_op_name(EV_OP__COUNT), "?");
    ASSERT_STR(evlog_actor_kind_name(EV_ACTOR_TASK), "task");
    ASSERT_STR(evlog_actor_kind_name(EV_ACTOR_LOOP), "loop");
    ASSERT_STR(evlog_actor_kind_name((enum ev_actor_kind)9), "?");
    ASSERT_STR(evlog_kind_name(EV_ACCESS), "access");
    ASSERT_STR(evlog_loc_kind_name(EV_LOC_CELL), "cell");
    ASSERT_STR(evlog_loc_kind_name(EV_LOC__COUNT), "?");
    ASSERT_STR(evlog_access_name(EV_ACC_LOAD_GLOBAL), "LOAD_GLOBAL");
    ASSERT_STR(evlog_access_name(EV_ACC_DELETE_DEREF), "DELETE_DEREF");
    ASSERT_STR(evlog_access_name(EV_ACC__COUNT), "?");
    ASSERT_STR(evlog_sync_name(EV_SYNC_START), "start");
    ASSERT_STR(evlog_sync_name(EV_SYNC__COUNT), "?");
    for (int k = 0; k < EV_ACC__COUNT; k++) {
        const char *n = evlog_access_name((enum ev_access)k);

        ASSERT(strcmp(n, "?") != 0);
        /* Loads and the `in` test read; the rest write. */
        ASSERT_EQ(evlog_access_writes((enum ev_access)k),
                  strncmp(n, "LOAD_", 5) != 0
                  && strcmp(n, "BINARY_SUBSCR") != 0
                  && strcmp(n, "CONTAINS_OP") != 0);
    }
    for (int k = EV_STAMP; k < EV__COUNT; k++) {
        ASSERT(strcmp(evlog_kind_name((enum ev_kind)k), "?") != 0);
    }
    for (int k = 0; k < EV_ST__COUNT; k++) {
        ASSERT(strcmp(evlog_state_name((enum ev_state)k), "?") != 0);
    }
    for (int k = 0; k < EV_OBJ__COUNT; k++) {
        ASSERT(strcmp(evlog_obj_kind_name((enum ev_obj_kind)k), "?") != 0);
    }
    for (int k = 0; k < EV_OP__COUNT; k++) {
        ASSERT(strcmp(evlog_op_name((enum ev_op)k), "?") != 0);
    }
}

/* A record the reader would reject is the writer's caller's bug: fatal(),
 * which aborts, before anything reaches the file. */
TEST(evlog_put_bad)
{
    static const struct ev bad[] = {
        { .kind = EV_STATE, .a = EV_ST__COUNT },
        { .kind = EV_OBJ_OP, .a = -1 },
        { .kind = EV_OBJ_NEW, .a = EV_OBJ__COUNT },
        { .kind = EV_ACCESS, .b = EV_ACC__COUNT },
        { .kind = EV_SYNC, .a = -1 },
        { .kind = EV_LOC, .b = EV_LOC__COUNT },
        { .kind = EV_STAMP },
        { .kind = EV__COUNT },
    };

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct diag d;
        struct evlog *log = evlog_new(NULL, &d);
        int status;
        pid_t pid;

        ASSERT(log != NULL);
        fflush(NULL);
        pid = fork();
        ASSERT(pid >= 0);
        if (pid == 0) {
            int devnull = open("/dev/null", O_WRONLY);

            dup2(devnull, 2);       /* the internal-error message */
            evlog_put(log, 1, 1, &bad[i]);
            _exit(0);
        }
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT) {
            TAP_FAIL_("case %zu: child status %#x, not SIGABRT", i,
                      (unsigned)status);
        }
        evlog_free(log);
    }
}
