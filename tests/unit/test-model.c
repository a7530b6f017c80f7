/* Unit tests for src/tui/model.c: the state at a cursor, checkpoints,
 * history columns, tailing and corrupt logs.  Headless: no curses. */
#include "config.h"

#include "harness/tap.h"
#include "log/evlog.h"
#include "tui/model.h"

#include <fcntl.h>
#include <unistd.h>

/* The log being built: each call to at() starts a new step. */
struct run {
    struct evlog *log;
    uint64_t step;
    int64_t time;
};

static void
at(struct run *r, uint64_t step, int64_t time)
{
    r->step = step;
    r->time = time;
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
obj_new(struct run *r, int obj, enum ev_obj_kind kind, int cap,
        const char *label)
{
    put(r, (struct ev){ .kind = EV_OBJ_NEW, .obj = obj, .a = kind, .b = cap,
                        .str = label, .len = strlen(label) });
}

static void
op(struct run *r, int obj, int actor, enum ev_op o, int64_t x)
{
    put(r, (struct ev){ .kind = EV_OBJ_OP, .obj = obj, .actor = actor,
                        .a = o, .x = x });
}

static void
output(struct run *r, int actor, const char *s)
{
    evlog_str(r->log, r->step, r->time, EV_OUTPUT, actor, s, strlen(s));
}

static struct evlog_reader *
reader_of(struct evlog *log)
{
    struct diag d;
    struct evlog_reader *rd;

    ASSERT_EQ(evlog_flush(log, &d), 0);
    rd = evlog_open_fd(evlog_fd(log), &d);
    ASSERT(rd != NULL);
    return rd;
}

/* Text of output line i at the cursor, pieces joined. */
static const char *
line_text(const struct model *m, size_t i, char *buf, size_t size)
{
    size_t n, len = 0;
    const struct model_out *p = model_out_line(m, i, &n);

    for (size_t k = 0; k < n; k++) {
        ASSERT(len + p[k].text.len < size);
        memcpy(buf + len, p[k].text.p, p[k].text.len);
        len += p[k].text.len;
    }
    buf[len] = '\0';
    return buf;
}

/*
 * Two threads and a lock, then a queue, output in pieces, an exception in
 * worker, and a deadlock at the end:
 *   step 0   MainThread starts
 *   step 3   worker is created; lock "mu" made; main takes it
 *   step 5   worker blocks on mu; output "hel" from main
 *   step 7   "lo\nwor" from main, queue q (cap 2) gets an item
 *   step 9   main releases mu, worker takes it; "ld\n" from worker
 *   step 12  worker fails with an exception; main blocks on q's get
 *   step 15  deadlock report, end
 */
static struct evlog *
small_run(void)
{
    struct diag d;
    struct run r = { evlog_new(NULL, &d), 0, 0 };

    ASSERT(r.log != NULL);
    at(&r, 0, 0);
    put(&r, (struct ev){ .kind = EV_RUN, .str = "seed=7\npolicy=gil\n",
                         .len = 18 });
    actor_new(&r, 0, EV_ACTOR_THREAD, -1, "MainThread");
    state(&r, 0, EV_ST_RUNNING, -1);
    at(&r, 3, 300);
    actor_new(&r, 1, EV_ACTOR_THREAD, 0, "worker");
    state(&r, 1, EV_ST_READY, -1);
    obj_new(&r, 0, EV_OBJ_LOCK, 0, "mu");
    op(&r, 0, 0, EV_OP_ACQUIRE, 1);
    at(&r, 5, 500);
    state(&r, 0, EV_ST_READY, -1);
    state(&r, 1, EV_ST_RUNNING, -1);
    state(&r, 1, EV_ST_BLOCKED, 0);
    state(&r, 0, EV_ST_RUNNING, -1);
    output(&r, 0, "hel");
    at(&r, 7, 700);
    output(&r, 0, "lo\nwor");
    obj_new(&r, 1, EV_OBJ_QUEUE, 2, "q");
    op(&r, 1, 0, EV_OP_PUT, 1);
    at(&r, 9, 900);
    op(&r, 0, 0, EV_OP_RELEASE, 0);
    state(&r, 1, EV_ST_READY, -1);
    op(&r, 0, 1, EV_OP_ACQUIRE, 1);
    output(&r, 1, "ld\n");
    at(&r, 12, 1200);
    put(&r, (struct ev){ .kind = EV_EXCEPTION, .actor = 1,
                         .str = "KeyError: 'x'", .len = 13 });
    state(&r, 1, EV_ST_FAILED, -1);
    state(&r, 0, EV_ST_BLOCKED, 1);
    at(&r, 15, 1500);
    put(&r, (struct ev){ .kind = EV_DEADLOCK, .str = "stuck\n", .len = 6 });
    put(&r, (struct ev){ .kind = EV_END, .a = 3, .b = EV_END_DEADLOCK,
                         .str = "deadlock", .len = 8 });
    return r.log;
}

TEST(model_small)
{
    struct evlog *log = small_run();
    struct evlog_reader *rd = reader_of(log);
    struct diag d;
    struct model *m = model_new(rd, &d);
    char buf[64];

    ASSERT(m != NULL);
    ASSERT(model_error(m) == NULL);
    ASSERT_EQ(model_check_end(m), 0);
    ASSERT_EQ(model_nrecords(m), 24);
    ASSERT_EQ(model_first_step(m), 0);
    ASSERT_EQ(model_last_step(m), 15);
    ASSERT_EQ(model_last_time(m), 1500);
    ASSERT(model_run_value(m, "policy", buf, sizeof buf));
    ASSERT_STR(buf, "gil");
    ASSERT(!model_run_value(m, "seedx", buf, sizeof buf));
    ASSERT_EQ(model_nactors(m), 2);
    ASSERT_EQ(model_nobjs(m), 2);

    /* The first moment: only MainThread, running. */
    ASSERT_EQ(model_step(m), 0);
    ASSERT(model_is_at_start(m));
    ASSERT_EQ(model_seq(m), 3);
    ASSERT_EQ(model_actor_at(m, 0)->state, EV_ST_RUNNING);
    ASSERT_EQ(model_actor_at(m, 1)->state, MODEL_ST_NONE);
    ASSERT_STR(model_actor_name(m, 1, buf, sizeof buf), "worker");
    ASSERT_EQ(model_out_lines(m), 0);
    ASSERT(!model_prev(m));

    /* Step 3: worker exists, main holds mu. */
    ASSERT(model_next(m));
    ASSERT_EQ(model_step(m), 3);
    ASSERT_EQ(model_time(m), 300);
    ASSERT_EQ(model_actor_at(m, 1)->state, EV_ST_READY);
    ASSERT(model_obj_at(m, 0)->exists);
    ASSERT_EQ(model_obj_at(m, 0)->holder, 0);
    ASSERT_STR(model_obj_name(m, 0, buf, sizeof buf), "mu");
    ASSERT(!model_obj_at(m, 1)->exists);

    /* Step 5: worker blocked on mu; half a line of output. */
    ASSERT(model_next(m));
    ASSERT_EQ(model_step(m), 5);
    ASSERT_EQ(model_actor_at(m, 1)->state, EV_ST_BLOCKED);
    ASSERT_EQ(model_actor_at(m, 1)->wait_obj, 0);
    ASSERT_EQ(model_out_lines(m), 1);
    ASSERT_STR(line_text(m, 0, buf, sizeof buf), "hel");

    /* Step 7: a line and a half; the queue holds one. */
    ASSERT(model_next(m));
    ASSERT_EQ(model_out_lines(m), 2);
    ASSERT_STR(line_text(m, 0, buf, sizeof buf), "hello");
    ASSERT_STR(line_text(m, 1, buf, sizeof buf), "wor");
    ASSERT_EQ(model_obj_at(m, 1)->value, 1);

    /* Step 9: the lock changes hands; the second line ends. */
    ASSERT(model_next(m));
    ASSERT_EQ(model_obj_at(m, 0)->holder, 1);
    ASSERT_EQ(model_actor_at(m, 1)->state, EV_ST_READY);
    ASSERT_STR(line_text(m, 1, buf, sizeof buf), "world");
    {
        size_t n;
        const struct model_out *p = model_out_line(m, 1, &n);

        ASSERT_EQ(n, 2);
        ASSERT_EQ(p[0].actor, 0);
        ASSERT_EQ(p[1].actor, 1);
    }

    /* Step 12: an exception; nothing ended yet. */
    {
        const struct model_note *list;

        ASSERT(model_next(m));
        ASSERT_EQ(model_exceptions(m, &list), 1);
        ASSERT_EQ(list[0].actor, 1);
        ASSERT_EQ(list[0].text.len, 13);
        ASSERT(model_deadlock(m) == NULL);
        ASSERT(model_end(m) == NULL);
        ASSERT(model_final_end(m) != NULL);
        ASSERT_EQ(model_actor_at(m, 1)->state, EV_ST_FAILED);
    }

    /* Step 15: the deadlock and the end. */
    ASSERT(model_next(m));
    ASSERT(model_is_at_end(m));
    ASSERT(!model_next(m));
    ASSERT(model_deadlock(m) != NULL);
    ASSERT(model_end(m) != NULL);
    ASSERT_EQ(model_end(m)->status, 3);
    ASSERT_EQ(model_end(m)->why, EV_END_DEADLOCK);

    /* Back one: the same state as on the way forward. */
    ASSERT(model_prev(m));
    ASSERT_EQ(model_step(m), 12);
    ASSERT(model_deadlock(m) == NULL);
    ASSERT(model_prev(m));
    ASSERT(model_prev(m));
    ASSERT_EQ(model_step(m), 7);
    ASSERT_EQ(model_obj_at(m, 0)->holder, 0);
    ASSERT_EQ(model_out_lines(m), 2);
    ASSERT_STR(line_text(m, 1, buf, sizeof buf), "wor");

    /* Seeking: by step (between moments: the earlier), by time. */
    model_seek_step(m, 8);
    ASSERT_EQ(model_step(m), 7);
    model_seek_step(m, 2);
    ASSERT_EQ(model_step(m), 0);
    model_seek_time(m, 1000);
    ASSERT_EQ(model_step(m), 9);
    model_seek_time(m, -5);
    ASSERT_EQ(model_step(m), 0);
    model_last(m);
    ASSERT_EQ(model_step(m), 15);
    model_first(m);
    ASSERT_EQ(model_step(m), 0);

    /* Notable moments: 5 (block, output), 7 (output), 9 (wake), 12 ... */
    ASSERT(model_next_notable(m));
    ASSERT_EQ(model_step(m), 5);
    ASSERT(model_next_notable(m));
    ASSERT_EQ(model_step(m), 7);
    ASSERT(model_next_notable(m));
    ASSERT_EQ(model_step(m), 9);
    ASSERT(model_next_notable(m));
    ASSERT_EQ(model_step(m), 12);
    ASSERT(model_next_notable(m));
    ASSERT_EQ(model_step(m), 15);
    ASSERT(!model_next_notable(m));
    ASSERT(model_prev_notable(m));
    ASSERT_EQ(model_step(m), 12);

    model_free(m);
    evlog_close(rd);
    evlog_free(log);
}

/* Threads with their tasks under them, children in id order. */
TEST(model_tree)
{
    struct diag d;
    struct run r = { evlog_new(NULL, &d), 0, 0 };
    struct evlog_reader *rd;
    struct model *m;
    const struct model_row *rows;
    static const int want_actor[] = { 0, 2, 4, 5, 1, 3, 6 };
    static const int want_depth[] = { 0, 1, 2, 1, 0, 1, 0 };

    ASSERT(r.log != NULL);
    actor_new(&r, 0, EV_ACTOR_THREAD, -1, "MainThread");
    actor_new(&r, 1, EV_ACTOR_THREAD, -1, "other");
    actor_new(&r, 2, EV_ACTOR_TASK, 0, "Task-1");
    actor_new(&r, 3, EV_ACTOR_TASK, 1, "Task-2");
    actor_new(&r, 4, EV_ACTOR_TASK, 2, "Task-3");
    actor_new(&r, 5, EV_ACTOR_TASK, 0, "Task-4");
    /* A parent that never appears: a root of its own. */
    actor_new(&r, 6, EV_ACTOR_TASK, 99, "orphan");
    rd = reader_of(r.log);
    m = model_new(rd, &d);
    ASSERT(m != NULL);
    ASSERT_EQ(model_rows(m, &rows), 7);
    for (int i = 0; i < 7; i++) {
        ASSERT_EQ(rows[i].actor, want_actor[i]);
        ASSERT_EQ(rows[i].depth, want_depth[i]);
    }
    ASSERT_EQ(model_actor(m, 3)->kind, EV_ACTOR_TASK);
    ASSERT_EQ(model_actor(m, 3)->parent, 1);
    model_free(m);
    evlog_close(rd);
    evlog_free(r.log);
}

/* One actor's state over columns: running wins, endings are marked,
 * the longest state otherwise, blank before birth. */
TEST(model_columns)
{
    static const struct model_mark h[] = {
        { 2, 20, MODEL_ST_ALIVE },
        { 3, 30, EV_ST_READY },
        { 4, 40, EV_ST_RUNNING },
        { 4, 41, EV_ST_BLOCKED },
        { 10, 100, EV_ST_READY },
        { 11, 110, EV_ST_RUNNING },
        { 11, 111, EV_ST_FAILED },
    };
    signed char out[8];
    static const struct model_mark q[] = {
        { 1, 10, 0 }, { 2, 20, 1 }, { 2, 20, 2 }, { 3, 30, 1 },
        { 6, 60, 0 },
    };
    int64_t lv[4];

    /* Per step, one column each from step 0. */
    model_columns(h, 7, false, 0, 1, 8, out);
    ASSERT_EQ(out[0], MODEL_ST_NONE);
    ASSERT_EQ(out[1], MODEL_ST_NONE);
    ASSERT_EQ(out[2], MODEL_ST_ALIVE);
    ASSERT_EQ(out[3], EV_ST_READY);
    ASSERT_EQ(out[4], EV_ST_RUNNING);   /* ran, then blocked: ran */
    ASSERT_EQ(out[5], EV_ST_BLOCKED);
    ASSERT_EQ(out[7], EV_ST_BLOCKED);

    /* Wider columns of time: [0,40) [40,80) [80,120) [120,160). */
    model_columns(h, 7, true, 0, 40, 4, out);
    ASSERT_EQ(out[0], EV_ST_READY);     /* 10 ready beats 10 alive */
    ASSERT_EQ(out[1], EV_ST_RUNNING);
    ASSERT_EQ(out[2], EV_ST_FAILED);
    ASSERT_EQ(out[3], EV_ST_FAILED);

    /* Starting in the middle of the history. */
    model_columns(h, 7, false, 6, 2, 2, out);
    ASSERT_EQ(out[0], EV_ST_BLOCKED);
    ASSERT_EQ(out[1], EV_ST_BLOCKED);
    model_columns(h, 7, false, 10, 1, 1, out);
    ASSERT_EQ(out[0], EV_ST_READY);     /* 10: ready a whole step */

    /* Queues: the most items per column. */
    model_levels(q, 5, false, 0, 2, 4, lv);
    ASSERT_EQ(lv[0], 0);
    ASSERT_EQ(lv[1], 2);
    ASSERT_EQ(lv[2], 1);
    ASSERT_EQ(lv[3], 1);
    model_levels(q, 5, false, 7, 1, 2, lv);
    ASSERT_EQ(lv[0], 0);
}

/*
 * A long run: 100,000 steps of three threads passing the baton, a lock
 * changing hands and a queue filling.  Every way of reaching a step (from
 * the start, backwards, by seeking) gives the same state, and reaching one
 * backwards goes through a checkpoint.
 */
#define LONG_STEPS 100000

static struct evlog *
long_run(void)
{
    struct diag d;
    struct run r = { evlog_new(NULL, &d), 0, 0 };

    ASSERT(r.log != NULL);
    actor_new(&r, 0, EV_ACTOR_THREAD, -1, "MainThread");
    actor_new(&r, 1, EV_ACTOR_THREAD, 0, "a");
    actor_new(&r, 2, EV_ACTOR_THREAD, 0, "b");
    obj_new(&r, 0, EV_OBJ_LOCK, 0, "mu");
    obj_new(&r, 1, EV_OBJ_QUEUE, 50, "q");
    for (uint64_t s = 1; s <= LONG_STEPS; s++) {
        int who = (int)(s % 3), prev = (int)((s + 2) % 3);

        at(&r, s, (int64_t)s * 10);
        state(&r, prev, s % 7 == 0 ? EV_ST_BLOCKED : EV_ST_READY,
              s % 7 == 0 ? 0 : -1);
        state(&r, who, EV_ST_RUNNING, -1);
        if (s % 5 == 0) {
            op(&r, 0, who, s % 10 == 0 ? EV_OP_RELEASE : EV_OP_ACQUIRE,
               s % 10 == 0 ? 0 : 1);
        }
        if (s % 11 == 0) {
            op(&r, 1, who, EV_OP_PUT, (int64_t)(s / 11 % 50));
        }
    }
    return r.log;
}

struct snap {
    uint64_t step, seq;
    int st[3], wait[3];
    int holder;
    int64_t qsize;
};

static void
take(const struct model *m, struct snap *s)
{
    s->step = model_step(m);
    s->seq = model_seq(m);
    for (int i = 0; i < 3; i++) {
        s->st[i] = model_actor_at(m, i)->state;
        s->wait[i] = model_actor_at(m, i)->wait_obj;
    }
    s->holder = model_obj_at(m, 0)->holder;
    s->qsize = model_obj_at(m, 1)->value;
}

static void
same(const struct snap *a, const struct snap *b)
{
    ASSERT_EQ(a->step, b->step);
    ASSERT_EQ(a->seq, b->seq);
    for (int i = 0; i < 3; i++) {
        ASSERT_EQ(a->st[i], b->st[i]);
        ASSERT_EQ(a->wait[i], b->wait[i]);
    }
    ASSERT_EQ(a->holder, b->holder);
    ASSERT_EQ(a->qsize, b->qsize);
}

TEST(model_long)
{
    struct evlog *log = long_run();
    struct evlog_reader *rd = reader_of(log);
    struct diag d;
    struct model *m = model_new(rd, &d);
    struct snap *fwd = xcalloc(LONG_STEPS + 1, sizeof *fwd);
    struct snap s;
    uint64_t rng = 12345;

    ASSERT(m != NULL);
    ASSERT_EQ(model_last_step(m), LONG_STEPS);
    /* Forward from the start, one moment at a time. */
    take(m, &fwd[0]);
    for (uint64_t k = 1; k <= LONG_STEPS; k++) {
        ASSERT(model_next(m));
        take(m, &fwd[k]);
        ASSERT_EQ(fwd[k].step, k);
    }
    ASSERT(!model_next(m));
    /* Spot checks of the run's own rules. */
    ASSERT_EQ(fwd[14].st[1], EV_ST_BLOCKED);
    ASSERT_EQ(fwd[14].wait[1], 0);
    ASSERT_EQ(fwd[14].st[2], EV_ST_RUNNING);
    ASSERT_EQ(fwd[15].holder, 0);
    ASSERT_EQ(fwd[20].holder, -1);
    ASSERT_EQ(fwd[22].qsize, 2);

    /* Backwards across several checkpoints, at the end and at the
     * start: the same states in reverse. */
    for (uint64_t k = LONG_STEPS; k > LONG_STEPS - 3000; k--) {
        take(m, &s);
        same(&s, &fwd[k]);
        ASSERT(model_prev(m));
    }
    model_seek_step(m, 3000);
    for (uint64_t k = 3000; k > 0; k--) {
        take(m, &s);
        same(&s, &fwd[k]);
        ASSERT(model_prev(m));
    }
    take(m, &s);
    same(&s, &fwd[0]);
    ASSERT(!model_prev(m));

    /* Random jumps. */
    for (int i = 0; i < 500; i++) {
        uint64_t k = rng_below(&rng, LONG_STEPS + 1);

        if (i % 2 == 0) {
            model_seek_step(m, k);
        } else {
            model_seek_time(m, (int64_t)k * 10 + 5);
        }
        take(m, &s);
        same(&s, &fwd[k]);
        if (k > 0) {
            ASSERT(model_prev(m));
            take(m, &s);
            same(&s, &fwd[k - 1]);
        }
    }
    /* Histories: one mark per change of state. */
    {
        size_t n;
        const struct model_mark *h = model_actor_history(m, 0, &n);

        ASSERT(n > LONG_STEPS / 2);
        ASSERT_EQ(h[0].value, MODEL_ST_ALIVE);
        ASSERT(model_obj_history(m, 0, &n) == NULL);
        ASSERT(model_obj_history(m, 1, &n) != NULL);
        ASSERT_EQ(model_obj_peak(m, 1), 49);
    }
    free(fwd);
    model_free(m);
    evlog_close(rd);
    evlog_free(log);
}

/* A live log: refresh picks up what the writer adds; the cursor stays. */
TEST(model_tail)
{
    struct diag d;
    struct run r = { evlog_new(NULL, &d), 0, 0 };
    struct evlog_reader *rd;
    struct model *m;
    char buf[64];

    ASSERT(r.log != NULL);
    rd = reader_of(r.log);
    m = model_new(rd, &d);          /* nothing written yet */
    ASSERT(m != NULL);
    ASSERT_EQ(model_nrecords(m), 0);
    ASSERT(model_is_at_end(m));
    ASSERT(!model_next(m));
    ASSERT_EQ(model_out_lines(m), 0);

    actor_new(&r, 0, EV_ACTOR_THREAD, -1, "MainThread");
    state(&r, 0, EV_ST_RUNNING, -1);
    ASSERT_EQ(evlog_flush(r.log, &d), 0);
    ASSERT(evlog_refresh(rd, &d) > 0);
    ASSERT_EQ(model_refresh(m, &d), 2);
    ASSERT(model_next(m));
    ASSERT_EQ(model_actor_at(m, 0)->state, EV_ST_RUNNING);

    for (uint64_t s = 1; s <= 5000; s++) {
        at(&r, s, (int64_t)s);
        state(&r, 0, s % 2 ? EV_ST_SLEEPING : EV_ST_RUNNING, -1);
        if (s == 4000) {
            actor_new(&r, 1, EV_ACTOR_TASK, 0, "late");
            output(&r, 1, "x\n");
        }
    }
    ASSERT_EQ(evlog_flush(r.log, &d), 0);
    ASSERT(evlog_refresh(rd, &d) > 0);
    ASSERT_EQ(model_refresh(m, &d), 5002);
    ASSERT_EQ(model_step(m), 0);     /* the cursor did not move */
    ASSERT_EQ(model_nactors(m), 2);
    ASSERT_EQ(model_actor_at(m, 1)->state, MODEL_ST_NONE);
    model_last(m);
    ASSERT_EQ(model_step(m), 5000);
    ASSERT_EQ(model_actor_at(m, 0)->state, EV_ST_RUNNING);
    ASSERT_STR(model_actor_name(m, 1, buf, sizeof buf), "late");
    ASSERT_EQ(model_out_lines(m), 1);
    model_seek_step(m, 3999);
    ASSERT_EQ(model_out_lines(m), 0);
    ASSERT_EQ(model_refresh(m, &d), 0);
    model_free(m);
    evlog_close(rd);
    evlog_free(r.log);
}

/* A log that turns to garbage: the model keeps what came before and says
 * what went wrong; one cut inside a record is caught by check_end. */
TEST(model_corrupt)
{
    char path[] = "/tmp/telar-test-model-XXXXXX";
    int fd = mkstemp(path);
    struct diag d;
    struct evlog *log;
    struct evlog_reader *rd;
    struct model *m;
    struct run r = { NULL, 0, 0 };
    static const unsigned char junk[] = { 0xee, 0x01, 0x02 };

    ASSERT(fd >= 0);
    close(fd);
    log = evlog_new(path, &d);
    ASSERT(log != NULL);
    r.log = log;
    actor_new(&r, 0, EV_ACTOR_THREAD, -1, "MainThread");
    at(&r, 1, 10);
    state(&r, 0, EV_ST_RUNNING, -1);
    ASSERT_EQ(evlog_flush(log, &d), 0);
    fd = open(path, O_WRONLY | O_APPEND);
    ASSERT(fd >= 0);
    ASSERT_EQ(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);

    rd = evlog_open(path, &d);
    ASSERT(rd != NULL);
    m = model_new(rd, &d);
    ASSERT(m != NULL);
    ASSERT(model_error(m) != NULL);
    ASSERT(strstr(model_error(m)->msg, "unknown record kind") != NULL);
    ASSERT_EQ(model_nrecords(m), 2);
    model_last(m);
    ASSERT_EQ(model_actor_at(m, 0)->state, EV_ST_RUNNING);
    ASSERT_EQ(model_refresh(m, &d), -1);
    model_free(m);
    evlog_close(rd);

    /* Not a log at all: no model. */
    fd = open(path, O_WRONLY | O_TRUNC);
    ASSERT(fd >= 0);
    ASSERT_EQ(write(fd, "hello, world, not a log", 23), 23);
    close(fd);
    rd = evlog_open(path, &d);
    ASSERT(rd == NULL);

    /* Cut inside a record. */
    fd = open(path, O_WRONLY | O_TRUNC);
    ASSERT(fd >= 0);
    close(fd);
    evlog_free(log);
    log = evlog_new(path, &d);
    ASSERT(log != NULL);
    r.log = log;
    output(&r, 0, "a long piece of output");
    ASSERT_EQ(evlog_flush(log, &d), 0);
    ASSERT_EQ(truncate(path, 16 + 10), 0);
    rd = evlog_open(path, &d);
    ASSERT(rd != NULL);
    m = model_new(rd, &d);
    ASSERT(m != NULL);
    ASSERT(model_error(m) == NULL);
    ASSERT_EQ(model_check_end(m), -1);
    ASSERT(model_error(m) != NULL);
    model_free(m);
    evlog_close(rd);
    evlog_free(log);
    unlink(path);
}

/* A GIL's holders per column: who held it longest, and whether it changed
 * hands inside the column. */
TEST(model_holders)
{
    /* Actor 1 from t=0, hands it to 2 at t=30 (release then acquire at
     * the same time, as the engine logs it), nobody from 70, 1 at 90. */
    static const struct model_mark g[] = {
        { 1, 0, 1 }, { 3, 30, -1 }, { 3, 30, 2 }, { 7, 70, -1 },
        { 9, 90, 1 },
    };
    int64_t who[5];
    unsigned char hand[5];

    model_holders(g, 5, true, 0, 20, 5, who, hand);
    ASSERT_EQ(who[0], 1);               /* [0,20): 1 alone */
    ASSERT_EQ(hand[0], 0);
    ASSERT(who[1] == 1 || who[1] == 2); /* [20,40): 10 each */
    ASSERT_EQ(hand[1], 1);              /* changed hands */
    ASSERT_EQ(who[2], 2);               /* [40,60): 2 alone */
    ASSERT_EQ(hand[2], 0);
    ASSERT_EQ(who[3], 2);               /* [60,80): 2 for 10, nobody 10 */
    ASSERT_EQ(hand[3], 0);
    ASSERT_EQ(who[4], 1);               /* [80,100): nobody, then 1 */
    ASSERT_EQ(hand[4], 0);

    /* One step per column, from step 3: 2 holds it, nobody, 1. */
    model_holders(g, 5, false, 3, 2, 4, who, hand);
    ASSERT_EQ(who[0], 2);
    ASSERT_EQ(who[2], -1);
    ASSERT_EQ(who[3], 1);
}
