/*
 * The event log: the one interface between the engine and everything that
 * shows a run.  The engine (through the scheduler and the built-in module)
 * appends; views (headless output, the text timeline, trace JSON, the TUI)
 * read.  Records are plain data: ids, numbers, short strings; never pointers.
 *
 * On disk a log is a byte stream: a 16-byte file header, then records.  A
 * record is one kind byte followed by LEB128 varints (signed values zigzag
 * encoded) and length-prefixed byte strings, as listed per kind below.  The
 * step and virtual time are not repeated in every record: an EV_STAMP record
 * carries their increase and applies to every record after it, so a reader
 * always knows both.  See export-timeline.c and export-trace.c for readers.
 */
#ifndef TELAR_EVLOG_H
#define TELAR_EVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

#define EVLOG_MAGIC "TELARLOG"
#define EVLOG_VERSION 2
#define EVLOG_NEVER INT64_MAX   /* "no deadline" */

/* Record kinds.  Field use per kind (see struct ev):
 *   EV_STAMP      internal: step += a, time += x (never returned by readers)
 *   EV_RUN        str = "key=value\n" lines: seed, policy, file, version
 *   EV_ACTOR_NEW  actor, a = enum ev_actor_kind, b = parent actor (-1 none),
 *                 c = process number, str = name
 *   EV_ACTOR_NAME actor, str = new name
 *   EV_STATE      actor, a = enum ev_state, obj = what it waits on (-1),
 *                 x = deadline in ns of virtual time or EVLOG_NEVER
 *   EV_SWITCH     actor = the one that runs now, b = the one that ran before
 *                 (-1 none), a = enum ev_reason, c = 0, or for a decision
 *                 the schedule string records, 1 + (step - the step it
 *                 was taken at): a preemption is decided at the point
 *                 before its switch
 *   EV_OBJ_NEW    obj, a = enum ev_obj_kind, b = capacity (0 unbounded),
 *                 str = label (the variable that names it, when known)
 *   EV_OBJ_NAME   obj, str = label
 *   EV_OBJ_OP     obj, actor, a = enum ev_op, x = value (queue size after
 *                 the op, semaphore value, 1/0 acquired)
 *   EV_OUTPUT     actor, a = 1 stdout / 2 stderr, str = the bytes written
 *   EV_CODE       a = code id, b = first line, str = "file\0qualname"
 *   EV_POS        actor, a = code id, b = line, c = bytecode offset
 *   EV_EXCEPTION  actor, str = "Type: message"
 *   EV_DEADLOCK   str = the report, one line per blocked actor
 *   EV_NOTE       actor, str = a caption ("# telar: ..." comments, warnings)
 *   EV_END        a = exit status, b = enum ev_end, str = message
 *   EV_WATCH      actor (who ran when it changed), a = the watched name's
 *                 number (in the order of --watch), str = "name=repr"
 *   EV_BYTECODE   a = code id (of an EV_CODE before it), str = its
 *                 instructions, one line each: "offset\tline\tOPNAME\t
 *                 arg\targrepr\n" (arg and argrepr may be empty); written
 *                 only when positions are logged at every point (the TUI)
 *
 * Written only by `telar run --races` (race detection, see log/races.h):
 *   EV_LOC        a = location id, b = enum ev_loc_kind, str =
 *                 "name\0label\0type": the variable, attribute or key (a
 *                 key as Python prints it), the scenario's name for the
 *                 object it belongs to ("" when it has none) and that
 *                 object's type ("" for globals and closure cells)
 *   EV_ACCESS     actor (the thread or task), a = location id, b = enum
 *                 ev_access (the bytecode), c = code id, d = line,
 *                 x = bytecode offset
 *   EV_SYNC       actor (always a thread), a = enum ev_sync, b = the
 *                 channel (a per-process number) or, for EV_SYNC_START,
 *                 the thread started
 *   EV_RACE       actor = the later access's actor, b = the earlier one's,
 *                 a = the later access's step, c = the earlier one's,
 *                 d = location id, str = the report's sentence
 *
 *   EV_THREAD     actor (a thread that threading starts), a = 1 for a
 *                 daemon thread, b = the first line of its target's code
 *                 (0: unknown), str = "file\0qualname" of the target (the
 *                 Thread's target, or its class's own run()), "" unknown
 *
 * Location ids and code ids are unique in a run; a location belongs to
 * the process of the actor that touches it (a fork()ed child has copies of
 * its parent's objects, not the objects).  Channels are numbered per
 * process.  An EV_ACCESS is written once per thread, location, bytecode
 * and "epoch" (the stretch between two EV_SYNC of the thread): a repeat
 * could not change which pairs race.
 */
enum ev_kind {
    EV_STAMP = 1,
    EV_RUN,
    EV_ACTOR_NEW,
    EV_ACTOR_NAME,
    EV_STATE,
    EV_SWITCH,
    EV_OBJ_NEW,
    EV_OBJ_NAME,
    EV_OBJ_OP,
    EV_OUTPUT,
    EV_CODE,
    EV_POS,
    EV_EXCEPTION,
    EV_DEADLOCK,
    EV_NOTE,
    EV_END,
    EV_BYTECODE,
    EV_WATCH,
    EV_LOC,
    EV_ACCESS,
    EV_SYNC,
    EV_RACE,
    EV_THREAD,
    EV__COUNT
};

enum ev_actor_kind {
    EV_ACTOR_THREAD = 0,        /* a Python thread: holds the baton */
    EV_ACTOR_TASK,              /* an asyncio Task, runs on a thread */
    EV_ACTOR_PROCESS,           /* a process: its main thread is a THREAD */
    EV_ACTOR_LOOP,              /* an asyncio event loop (the thread's row) */
};

enum ev_state {
    EV_ST_READY = 0,            /* runnable, waiting for the baton / GIL */
    EV_ST_RUNNING,
    EV_ST_BLOCKED,              /* on obj: lock, queue, event, join, ... */
    EV_ST_SLEEPING,             /* until the deadline */
    EV_ST_WAITING,              /* a task awaiting a future (obj) */
    EV_ST_DONE,
    EV_ST_FAILED,               /* ended by an uncaught exception */
    EV_ST_CANCELLED,
    EV_ST__COUNT
};

enum ev_reason {
    EV_WHY_START = 0,           /* the first actor starts */
    EV_WHY_BLOCK,               /* the previous one blocked or slept */
    EV_WHY_EXIT,                /* the previous one ended */
    EV_WHY_PREEMPT,             /* the policy took the baton away */
    EV_WHY_YIELD,               /* sleep(0) and friends */
    EV_WHY_WAKE,                /* a timer fired while nothing else ran */
};

enum ev_obj_kind {
    EV_OBJ_LOCK = 0,
    EV_OBJ_RLOCK,
    EV_OBJ_SEMAPHORE,
    EV_OBJ_EVENT,
    EV_OBJ_CONDITION,
    EV_OBJ_BARRIER,
    EV_OBJ_QUEUE,               /* queue.Queue and friends */
    EV_OBJ_SIMPLEQUEUE,         /* _queue.SimpleQueue */
    EV_OBJ_AQUEUE,              /* asyncio.Queue */
    EV_OBJ_FUTURE,              /* asyncio / concurrent.futures Future */
    EV_OBJ_SELECTOR,            /* an event loop's selector wait */
    EV_OBJ_THREAD,              /* waiting for a thread to end (join) */
    EV_OBJ_PIPE,
    EV_OBJ_PROCESS,
    EV_OBJ_GIL,                 /* a process's GIL: its holder runs Python */
    EV_OBJ__COUNT
};

enum ev_op {
    EV_OP_ACQUIRE = 0,
    EV_OP_RELEASE,
    EV_OP_PUT,
    EV_OP_GET,
    EV_OP_SET,
    EV_OP_CLEAR,
    EV_OP_WAIT,
    EV_OP_NOTIFY,
    EV_OP_TIMEOUT,
    EV_OP__COUNT
};

/* What an access touches (EV_LOC). */
enum ev_loc_kind {
    EV_LOC_GLOBAL = 0,          /* a module's global variable */
    EV_LOC_ATTR,                /* an attribute of an object or class */
    EV_LOC_ITEM,                /* an item of a dict or list */
    EV_LOC_CELL,                /* a closure variable */
    EV_LOC__COUNT
};

/* The bytecode of an access (EV_ACCESS): CPython 3.11's instruction,
 * named here so the log does not depend on CPython's numbering. */
enum ev_access {
    EV_ACC_LOAD_GLOBAL = 0,
    EV_ACC_STORE_GLOBAL,
    EV_ACC_DELETE_GLOBAL,
    EV_ACC_LOAD_NAME,
    EV_ACC_STORE_NAME,
    EV_ACC_DELETE_NAME,
    EV_ACC_LOAD_ATTR,
    EV_ACC_LOAD_METHOD,
    EV_ACC_STORE_ATTR,
    EV_ACC_DELETE_ATTR,
    EV_ACC_BINARY_SUBSCR,
    EV_ACC_STORE_SUBSCR,
    EV_ACC_DELETE_SUBSCR,
    EV_ACC_CONTAINS_OP,
    EV_ACC_LOAD_DEREF,
    EV_ACC_STORE_DEREF,
    EV_ACC_DELETE_DEREF,
    EV_ACC__COUNT
};

/* Happens-before facts (EV_SYNC), in vector-clock terms: a release puts
 * what the thread has done so far into the channel, an acquire takes in
 * everything put into the channel before it. */
enum ev_sync {
    EV_SYNC_RELEASE = 0,        /* a lock released, an item put, a
                                   callback scheduled from a thread */
    EV_SYNC_ACQUIRE,            /* a lock taken, an item got, a
                                   callback run by its loop */
    EV_SYNC_START,              /* b, a new thread, starts after this */
    EV_SYNC__COUNT
};

enum ev_end {
    EV_END_EXIT = 0,            /* the scenario ended; a = its exit status */
    EV_END_EXCEPTION,           /* uncaught exception, status 1 */
    EV_END_DEADLOCK,            /* status 3 */
    EV_END_LIMIT,               /* --max-steps or the memory bound, status 4 */
    EV_END_KILLED,              /* the engine died */
};

/* One decoded record.  For readers, str points into the mapped log and is
 * valid while the reader is; it is not NUL-terminated (use len). */
struct ev {
    enum ev_kind kind;
    int actor;
    int obj;
    int64_t a, b, c, d;
    int64_t x;
    const char *str;
    size_t len;
    uint64_t step;              /* filled by readers */
    int64_t time;               /* virtual ns, filled by readers */
};

/* ---- Writing ---------------------------------------------------------- */

/* An open log being written.  Owned by its creator; evlog_free closes it. */
struct evlog;

/* Create a log at path, or, with path NULL, an anonymous one in $TMPDIR that
 * disappears when closed.  NULL with d set on failure. */
struct evlog *evlog_new(const char *path, struct diag *d);
/* The same, with the writer's state and buffer taken from alloc (a shared
 * arena, so that fork()ed engines append to one log: only the baton holder
 * writes, and the file offset is shared by the inherited descriptor). */
struct allocator;
struct evlog *evlog_new_in(const char *path, const struct allocator *alloc,
                           struct diag *d);
void evlog_free(struct evlog *log);

/* Append one record stamped with (step, time).  Runs on: whichever engine
 * thread holds the baton.  Never fails: a write error is remembered and
 * reported by evlog_flush. */
void evlog_put(struct evlog *log, uint64_t step, int64_t time,
               const struct ev *ev);

/* Shorthands for the common kinds. */
void evlog_state(struct evlog *log, uint64_t step, int64_t time, int actor,
                 enum ev_state st, int obj, int64_t deadline);
void evlog_str(struct evlog *log, uint64_t step, int64_t time,
               enum ev_kind kind, int actor, const char *str, size_t len);

/* Eager: write each output, exception and note to the file at once, so
 * that a live viewer has them even if the writer is killed next (the
 * TUI's runs).  Off by default. */
void evlog_set_eager(struct evlog *log, bool eager);

/* Write buffered records to the file so readers see them.  0 or -1 with d. */
int evlog_flush(struct evlog *log, struct diag *d);

/* Bytes and records appended so far. */
uint64_t evlog_bytes(const struct evlog *log);
uint64_t evlog_count(const struct evlog *log);

/* The file descriptor, for opening a reader on an anonymous log. */
int evlog_fd(const struct evlog *log);

/* ---- Reading ---------------------------------------------------------- */

/* A cursor over a log file, mapped read-only.  Owned by its opener. */
struct evlog_reader;

struct evlog_reader *evlog_open(const char *path, struct diag *d);
struct evlog_reader *evlog_open_fd(int fd, struct diag *d);
void evlog_close(struct evlog_reader *r);

/* Map whatever the writer appended since the last call (live tailing).
 * Returns the number of new bytes, or -1 with d set. */
long evlog_refresh(struct evlog_reader *r, struct diag *d);

/* Decode the next record into *ev.  1: a record; 0: the end (for now);
 * -1: a corrupt or truncated record (d says where). */
int evlog_next(struct evlog_reader *r, struct ev *ev, struct diag *d);

/* Once evlog_next returned 0 on a log whose writer has finished: 0 if all
 * of it was decoded, -1 with d if it ends inside the header or a record
 * (evlog_next cannot tell a cut file from a record still being written). */
int evlog_check_end(const struct evlog_reader *r, struct diag *d);

/* Position for evlog_seek: an opaque checkpoint (offset plus the step and
 * time in force there), so a view can index the log sparsely. */
struct evlog_pos {
    uint64_t offset;
    uint64_t step;
    int64_t time;
};

void evlog_tell(const struct evlog_reader *r, struct evlog_pos *pos);
void evlog_seek(struct evlog_reader *r, const struct evlog_pos *pos);
void evlog_rewind(struct evlog_reader *r);

/* Names for kinds, states, objects and ops (English, for exporters). */
const char *evlog_kind_name(enum ev_kind k);
const char *evlog_state_name(enum ev_state s);
const char *evlog_obj_kind_name(enum ev_obj_kind k);
const char *evlog_op_name(enum ev_op op);
const char *evlog_actor_kind_name(enum ev_actor_kind k);
const char *evlog_loc_kind_name(enum ev_loc_kind k);
/* "LOAD_GLOBAL" ...; and whether the access writes (stores, deletes). */
const char *evlog_access_name(enum ev_access acc);
bool evlog_access_writes(enum ev_access acc);
const char *evlog_sync_name(enum ev_sync s);

#endif
