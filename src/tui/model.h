/*
 * The TUI's model of a run (tui layer, no curses): the event log turned into
 * the state at a cursor, plus the history the timeline draws.  Views read
 * it; actions move its cursor.  It reads only log/evlog.h, so its tests run
 * headless (tests/unit/test-model.c).
 *
 * The cursor stands on a moment: every record of one step applied.  Moving
 * it never re-executes anything: it replays records from the nearest
 * checkpoint (an evlog_pos plus a copy of the state, one every
 * MODEL_CHECKPOINT_EVERY records), so stepping back costs the same on a
 * run of a hundred steps as on one of a million.
 */
#ifndef TELAR_TUI_MODEL_H
#define TELAR_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/evlog.h"
#include "util/util.h"

/* Records between checkpoints (rounded up to the next moment). */
#define MODEL_CHECKPOINT_EVERY 2048

/* An actor's state besides enum ev_state's: not created yet at the
 * cursor, and created but with no state reported yet. */
#define MODEL_ST_NONE (-1)
#define MODEL_ST_ALIVE EV_ST__COUNT
#define MODEL_NSTATES (EV_ST__COUNT + 1)

#define MODEL_NOWHERE UINT64_MAX    /* a seq that is never reached */

/* Bytes inside the mapped log: valid while the model's reader is open.
 * Not NUL-terminated. */
struct model_text {
    const char *p;
    size_t len;
};

/* What the log says about an actor once and for all. */
struct model_actor {
    enum ev_actor_kind kind;
    int parent;                 /* -1: a root */
    int proc;                   /* process number */
    uint64_t born;              /* seq of its EV_ACTOR_NEW, or MODEL_NOWHERE
                                 * if it appeared only in other records */
};

/* An actor at the cursor. */
struct model_actor_at {
    int state;                  /* MODEL_ST_NONE, enum ev_state or
                                 * MODEL_ST_ALIVE */
    int wait_obj;               /* what it waits on, or -1 */
    int64_t deadline;           /* virtual ns, or EVLOG_NEVER */
    struct model_text name;     /* empty: call it "#id" */
    int code;                   /* its last EV_POS: code id (0: none) */
    int line;
    int offset;                 /* ... and the bytecode offset there */
};

/* What the log says about an object once and for all. */
struct model_obj {
    bool known;                 /* announced by EV_OBJ_NEW */
    enum ev_obj_kind kind;
    int64_t capacity;           /* 0: unbounded */
    uint64_t born;
};

/* An object at the cursor. */
struct model_obj_at {
    bool exists;
    int holder;                 /* the last acquirer not yet released, -1 */
    int64_t value;              /* queue size, semaphore value, event flag */
    int last_actor;             /* who did the last op, -1 */
    int last_op;                /* enum ev_op, or -1 */
    struct model_text label;
};

/* One piece of an output line: the bytes of one record up to a newline. */
struct model_out {
    uint64_t seq;               /* the record it came from */
    int actor;
    int fd;                     /* 1 stdout, 2 stderr */
    struct model_text text;     /* no '\n' in it */
};

/* An exception, a note, the deadlock report or the end of the run. */
struct model_note {
    uint64_t seq;
    uint64_t step;
    int actor;
    int64_t status;             /* EV_END: the exit status */
    int64_t why;                /* EV_END: enum ev_end */
    struct model_text text;
};

/* A point of an actor's or a queue's history: from (step, time) on, the
 * actor was in state value (or the queue held value items). */
struct model_mark {
    uint64_t step;
    int64_t time;
    int64_t value;
};

/* What the log says about a code object (EV_CODE, EV_BYTECODE). */
struct model_code {
    bool known;
    struct model_text file, func;
    int first_line;
    struct model_text bytecode; /* EV_BYTECODE's lines; empty if none */
};

/* A decision the schedule string of the run records: taken at step,
 * actor got the baton at switch_step (from EV_SWITCH and its c). */
struct model_decision {
    uint64_t step;
    uint64_t switch_step;
    int actor;
};

/* A watched variable at the cursor (EV_WATCH). */
struct model_watch_at {
    struct model_text value;    /* its repr; empty: no value logged yet */
    int actor;                  /* who ran when it last changed, or -1 */
    uint64_t step;              /* when */
};

/* A timeline row in tree order. */
struct model_row {
    int actor;
    int depth;
};

/* The model.  Owned by its creator; model_free frees it.  The reader is
 * borrowed and must outlive the model (texts point into its mapping). */
struct model;

/* Index the log read by r (everything there so far) and put the cursor on
 * its first moment.  NULL with d only when nothing can be read at all; a
 * log that turns corrupt part way gives a model of what came before, and
 * model_error says what went wrong.  Runs on: the loop thread (or a test). */
struct model *model_new(struct evlog_reader *r, struct diag *d);
void model_free(struct model *m);

/* Index what the writer appended since (call after evlog_refresh).  The
 * cursor does not move.  Returns the number of new records, or -1 with d
 * (also kept for model_error) when the log turns corrupt. */
long model_refresh(struct model *m, struct diag *d);

/* The error that stopped indexing, or NULL.  Also set when a finished log
 * ends inside a record (see model_check_end). */
const struct diag *model_error(const struct model *m);

/* For a log whose writer is done: note a file cut inside a record as the
 * model's error.  0 or -1. */
int model_check_end(struct model *m);

/* ---- The cursor --------------------------------------------------------- */

/* Move one moment forward / back.  true if the cursor moved. */
bool model_next(struct model *m);
bool model_prev(struct model *m);
void model_first(struct model *m);
void model_last(struct model *m);
/* The last moment whose step is at most step (at least the first one). */
void model_seek_step(struct model *m, uint64_t step);
/* The moment of the last record whose virtual time is at most t. */
void model_seek_time(struct model *m, int64_t t);
/* The next / previous moment holding a block, a wake, output, an
 * exception, the deadlock or the end.  true if there was one. */
bool model_next_notable(struct model *m);
bool model_prev_notable(struct model *m);

uint64_t model_step(const struct model *m);     /* of the cursor */
int64_t model_time(const struct model *m);
uint64_t model_seq(const struct model *m);      /* records applied */
bool model_is_at_end(const struct model *m);    /* nothing indexed after */
bool model_is_at_start(const struct model *m);

/* ---- What the log holds (independent of the cursor) --------------------- */

uint64_t model_nrecords(const struct model *m);
uint64_t model_first_step(const struct model *m);
uint64_t model_last_step(const struct model *m);
int64_t model_last_time(const struct model *m);
uint64_t model_nswitches(const struct model *m);  /* at the cursor */
/* EV_RUN's "key=value" text, or an empty text. */
struct model_text model_run_info(const struct model *m);
/* The value of key in the run info, into buf; false if absent. */
bool model_run_value(const struct model *m, const char *key, char *buf,
                     size_t size);

int model_nactors(const struct model *m);       /* highest id + 1 */
int model_nobjs(const struct model *m);
const struct model_actor *model_actor(const struct model *m, int id);
const struct model_actor_at *model_actor_at(const struct model *m, int id);
const struct model_obj *model_obj(const struct model *m, int id);
const struct model_obj_at *model_obj_at(const struct model *m, int id);
/* The actor's name at the cursor into buf ("#3" when it has none). */
const char *model_actor_name(const struct model *m, int id, char *buf,
                             size_t size);
/* An object's label at the cursor into buf ("lock #3" when unlabelled). */
const char *model_obj_name(const struct model *m, int id, char *buf,
                           size_t size);
/* What the log says of code id, or NULL if it never named it. */
const struct model_code *model_code_info(const struct model *m, int code);
/* Watched variables: how many names the log has, the name of number i
 * (< model_nwatches), and its value at the cursor. */
int model_nwatches(const struct model *m);
struct model_text model_watch_name(const struct model *m, int i);
const struct model_watch_at *model_watch_at(const struct model *m, int i);

/* The recorded decisions indexed so far, in step order. */
size_t model_decisions(const struct model *m,
                       const struct model_decision **list);
/* Append to out the entries of the run's schedule string ("3f-1,2-2",
 * as telar run --schedule reads them after "T1:policy:seed:") that bring
 * a replay to the moment of step: every decision whose switch happened
 * by then.  Returns the step of the last one (0 if none), from which the
 * next entry counts. */
uint64_t model_schedule(const struct model *m, uint64_t step,
                        struct str *out);

/* Every actor in tree order (depth-first from the roots, children by id).
 * The array belongs to the model and changes on model_refresh. */
size_t model_rows(struct model *m, const struct model_row **rows);

/* Actor id's history, and a queue's (EV_OBJ_QUEUE, _SIMPLEQUEUE and
 * _AQUEUE: its size) or a GIL's (its holder, -1 for none), over the whole
 * indexed log; NULL for other objects. */
const struct model_mark *model_actor_history(const struct model *m, int id,
                                             size_t *n);
const struct model_mark *model_obj_history(const struct model *m, int id,
                                           size_t *n);
/* Summarise a history over ncols columns of width units (steps, or ns of
 * virtual time when by_time) from x0: into out[c], the state to draw for
 * column c (an ending in it, else running if it ran at all, else the state
 * that lasted longest; MODEL_ST_NONE where the actor did not exist). */
void model_columns(const struct model_mark *h, size_t n, bool by_time,
                   int64_t x0, int64_t width, int ncols, signed char *out);
/* The same for a queue: the most items in each column, -1 before it
 * existed. */
void model_levels(const struct model_mark *h, size_t n, bool by_time,
                  int64_t x0, int64_t width, int ncols, int64_t *out);
/* The same for a GIL: into out[c] the actor that held it longest in
 * column c (-1: nobody), into handoff[c] whether it changed hands there
 * (from one holder straight to another, not through nobody). */
void model_holders(const struct model_mark *h, size_t n, bool by_time,
                   int64_t x0, int64_t width, int ncols, int64_t *out,
                   unsigned char *handoff);
/* The most items a queue held over the whole indexed log. */
int64_t model_obj_peak(const struct model *m, int id);

/* ---- Append-only lists, cut at the cursor ------------------------------- */

/* Output lines written by the cursor; the last may still be open. */
size_t model_out_lines(const struct model *m);
/* The pieces of line i (< model_out_lines) written by the cursor. */
const struct model_out *model_out_line(const struct model *m, size_t i,
                                       size_t *npieces);
/* Exceptions and notes reported by the cursor. */
size_t model_exceptions(const struct model *m,
                        const struct model_note **list);
size_t model_notes(const struct model *m, const struct model_note **list);
/* The deadlock report / the end, if the cursor has reached it. */
const struct model_note *model_deadlock(const struct model *m);
const struct model_note *model_end(const struct model *m);
/* The end of the indexed log, wherever the cursor is. */
const struct model_note *model_final_end(const struct model *m);

/* Is k a queue kind (drawn as a row of fill levels)? */
bool model_is_queue_kind(int k);
/* Is k a kind with a holder (locks, a GIL)? */
bool model_is_lock_kind(int k);

#endif
