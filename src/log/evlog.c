/*
 * The event log: encoder, file writer and mmap reader (log layer).  The
 * engine appends through struct evlog; the exporters (export-*.c), the
 * headless output and the TUI read through struct evlog_reader, possibly
 * while another process is still writing.  This file knows nothing of the
 * scheduler or of Python: records are plain numbers and byte strings.
 *
 * Both directions are driven by one table (record_fields) that lists the
 * fields each kind stores, in order, so the encoder and the decoder cannot
 * disagree.
 */
#include "config.h"

#include "evlog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/arena.h"

#define EVLOG_HEADER_SIZE 16
#define EVLOG_BUF_SIZE (64 * 1024)
/* Room for the fixed part of any record: a stamp (1 + 2 * 10 bytes) plus a
 * kind byte, seven varints and a string length (10 bytes each at most). */
#define EVLOG_RECORD_MAX 128
#define EVLOG_VARINT_MAX 10
/* Longer strings are cut by the writer and rejected by the reader, so that a
 * corrupt length cannot make a reader wait forever for bytes never coming. */
#define EVLOG_MAX_STR ((uint64_t)1 << 30)
/* The reader maps at least this much and doubles the mapping as the file
 * grows, so a live log is remapped O(log n) times. */
#define EVLOG_MAP_MIN ((size_t)1 << 20)
#define EVLOG_MAX_MAPS 64

/* Field codes of record_fields: A actor, O obj, a/b/c/d, x, s string. */
static const char *const record_fields[EV__COUNT] = {
    [EV_RUN] = "s",
    [EV_ACTOR_NEW] = "Aabcs",
    [EV_ACTOR_NAME] = "As",
    [EV_STATE] = "AaOx",
    [EV_SWITCH] = "Abac",
    [EV_OBJ_NEW] = "Oabs",
    [EV_OBJ_NAME] = "Os",
    [EV_OBJ_OP] = "OAax",
    [EV_OUTPUT] = "Aas",
    [EV_CODE] = "abs",
    [EV_POS] = "Aabc",
    [EV_EXCEPTION] = "As",
    [EV_DEADLOCK] = "s",
    [EV_NOTE] = "As",
    [EV_END] = "abs",
    [EV_BYTECODE] = "as",
    [EV_WATCH] = "Aas",
    [EV_LOC] = "abs",
    [EV_ACCESS] = "Aabcdx",
    [EV_SYNC] = "Aab",
    [EV_RACE] = "Aabcds",
    [EV_THREAD] = "Aabs",
};

struct evlog {
    const struct allocator *alloc;  /* borrowed: where this struct lives */
    int fd;
    char *path;                 /* for messages; NULL when anonymous */
    unsigned char *buf;         /* EVLOG_BUF_SIZE bytes not yet written */
    size_t len;
    uint64_t bytes;             /* header and records appended */
    uint64_t count;             /* records appended (stamps not counted) */
    bool eager;                 /* write output and errors at once */
    uint64_t step;              /* the stamp in force for the next record */
    int64_t time;
    int err;                    /* errno of the first failed write, or 0 */
};

struct evlog_map {
    void *p;
    size_t len;
};

struct evlog_reader {
    int fd;                     /* our own descriptor (dup'd for _open_fd) */
    char *path;                 /* for messages; NULL when opened by fd */
    const unsigned char *base;  /* the newest mapping, or NULL */
    size_t maplen;
    size_t size;                /* bytes known to be in the file */
    /* Older mappings stay until evlog_close: a struct ev handed out before
     * a refresh still points into them. */
    struct evlog_map old[EVLOG_MAX_MAPS];
    int nold;
    bool checked;               /* the file header was read and is good */
    uint64_t off;               /* the next record */
    uint64_t step;              /* the stamp in force at off */
    int64_t time;
};

/* The enum fields that have a __COUNT are in range: the writer refuses
 * anything else (a bug in the caller) and the reader calls it corruption. */
static bool
record_is_valid(const struct ev *ev)
{
    switch (ev->kind) {
    case EV_STATE:
        return ev->a >= 0 && ev->a < EV_ST__COUNT;
    case EV_OBJ_NEW:
        return ev->a >= 0 && ev->a < EV_OBJ__COUNT;
    case EV_OBJ_OP:
        return ev->a >= 0 && ev->a < EV_OP__COUNT;
    case EV_LOC:
        return ev->b >= 0 && ev->b < EV_LOC__COUNT;
    case EV_ACCESS:
        return ev->b >= 0 && ev->b < EV_ACC__COUNT;
    case EV_SYNC:
        return ev->a >= 0 && ev->a < EV_SYNC__COUNT;
    default:
        return true;
    }
}

/* ---- Varints ---------------------------------------------------------- */

static inline uint64_t
zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ -((uint64_t)v >> 63);
}

static inline int64_t
unzigzag(uint64_t u)
{
    return (int64_t)((u >> 1) ^ -(u & 1));
}

/* Deadlines are mostly EVLOG_NEVER, which zigzags to 2^64 - 2 (ten bytes).
 * Adding 2 (mod 2^64) turns it into 0, a single byte, and keeps the map a
 * bijection: INT64_MIN goes to 1 and small values shift up by two. */
static inline uint64_t
x_encode(int64_t x)
{
    return zigzag(x) + 2;
}

static inline int64_t
x_decode(uint64_t u)
{
    return unzigzag(u - 2);
}

static inline unsigned char *
put_uvarint(unsigned char *p, uint64_t v)
{
    while (v >= 0x80) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    return p;
}

/* 1: decoded into *v and *pp advanced; 0: the bytes end first; -1: longer
 * than ten bytes or more than 64 bits. */
static inline int
get_uvarint(const unsigned char **pp, const unsigned char *end, uint64_t *v)
{
    const unsigned char *p = *pp;
    uint64_t r = 0;

    for (int shift = 0; shift < 7 * EVLOG_VARINT_MAX; shift += 7) {
        unsigned char c;

        if (p == end) {
            return 0;
        }
        c = *p++;
        if (shift == 63 && c > 1) {
            return -1;
        }
        r |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *pp = p;
            *v = r;
            return 1;
        }
    }
    return -1;
}

/* ---- Writing ---------------------------------------------------------- */

/* write(2) all of it, retrying short writes and EINTR; 0 or errno. */
static int
write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Hand the buffer to the kernel.  After the first error the log drops what
 * it is given: later records would only follow a hole. */
static void
flush_buf(struct evlog *log)
{
    if (log->len > 0 && log->err == 0) {
        log->err = write_all(log->fd, log->buf, log->len);
    }
    log->len = 0;
}

static void
add_bytes(struct evlog *log, const void *data, size_t n)
{
    const unsigned char *p = data;

    while (n > 0) {
        size_t room = EVLOG_BUF_SIZE - log->len;
        size_t k = n < room ? n : room;

        memcpy(log->buf + log->len, p, k);
        log->len += k;
        p += k;
        n -= k;
        if (log->len == EVLOG_BUF_SIZE) {
            flush_buf(log);
        }
    }
}

/*
 * Create a log at path (truncated if it exists), or an anonymous one: a
 * temporary file in $TMPDIR that is unlinked at once, so evlog_fd is the
 * only way to reach it and it vanishes with the last descriptor.  The header
 * is written before returning, so a reader can open the file at once.
 * Returns NULL with d set when the file cannot be created or written.
 */
struct evlog *
evlog_new(const char *path, struct diag *d)
{
    return evlog_new_in(path, NULL, d);
}

struct evlog *
evlog_new_in(const char *path, const struct allocator *alloc,
             struct diag *d)
{
    struct evlog *log;
    unsigned char hdr[EVLOG_HEADER_SIZE] = { 0 };
    int fd, err;

    if (path != NULL) {
        /* O_RDWR, not O_WRONLY: a reader may map this descriptor. */
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
                  0644);
        if (fd < 0) {
            diag_set_at(d, path, 0, 0, _("cannot create event log: %s"),
                        strerror(errno));
            return NULL;
        }
    } else {
        const char *dir = getenv("TMPDIR");
        char *tmpl;

        if (dir == NULL || dir[0] == '\0') {
            dir = "/tmp";
        }
        tmpl = xasprintf("%s/telar-log-XXXXXX", dir);
        fd = mkstemp(tmpl);
        if (fd < 0) {
            diag_set_at(d, tmpl, 0, 0,
                        _("cannot create temporary event log: %s"),
                        strerror(errno));
            free(tmpl);
            return NULL;
        }
        unlink(tmpl);
        free(tmpl);
        if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0
            || fcntl(fd, F_SETFL, O_APPEND) < 0) {
            diag_set(d, _("cannot set up temporary event log: %s"),
                     strerror(errno));
            close(fd);
            return NULL;
        }
    }

    fd = fd_move_high(fd);
    memcpy(hdr, EVLOG_MAGIC, 8);
    hdr[8] = EVLOG_VERSION & 0xff;
    hdr[9] = (EVLOG_VERSION >> 8) & 0xff;
    hdr[10] = (EVLOG_VERSION >> 16) & 0xff;
    hdr[11] = (EVLOG_VERSION >> 24) & 0xff;
    err = write_all(fd, hdr, sizeof hdr);
    if (err != 0) {
        if (path != NULL) {
            diag_set_at(d, path, 0, 0, _("cannot write event log: %s"),
                        strerror(err));
        } else {
            diag_set(d, _("cannot write temporary event log: %s"),
                     strerror(err));
        }
        close(fd);
        return NULL;
    }

    log = alloc_calloc(alloc, 1, sizeof *log);
    log->alloc = alloc;
    log->fd = fd;
    if (path != NULL) {
        /* With the struct, so that every process sharing it can name the
         * file in a message. */
        log->path = alloc_calloc(alloc, strlen(path) + 1, 1);
        memcpy(log->path, path, strlen(path));
    }
    log->buf = alloc_calloc(alloc, EVLOG_BUF_SIZE, 1);
    log->bytes = EVLOG_HEADER_SIZE;
    return log;
}

/* Flush what is buffered (a write error is lost: call evlog_flush first to
 * see it) and close the file. */
void
evlog_free(struct evlog *log)
{
    if (log == NULL) {
        return;
    }
    flush_buf(log);
    close(log->fd);
    alloc_free(log->alloc, log->buf, EVLOG_BUF_SIZE);
    if (log->path != NULL) {
        alloc_free(log->alloc, log->path, strlen(log->path) + 1);
    }
    alloc_free(log->alloc, log, sizeof *log);
}

/*
 * Append one record.  A stamp goes first when (step, time) moved since the
 * last record; the fields written are those record_fields lists for the
 * kind.  Strings longer than EVLOG_MAX_STR are cut there.  A kind outside
 * the enum (or EV_STAMP, which is the log's own), or a state, object kind
 * or op out of range, is a bug in the caller: fatal().
 */
void
evlog_put(struct evlog *log, uint64_t step, int64_t time,
          const struct ev *ev)
{
    unsigned char *p;
    const char *f;
    size_t slen = 0;

    if (ev->kind <= EV_STAMP || ev->kind >= EV__COUNT) {
        fatal("evlog_put: bad record kind %d", (int)ev->kind);
    }
    if (!record_is_valid(ev)) {
        fatal("evlog_put: %s record with value %lld out of range",
              evlog_kind_name(ev->kind), (long long)ev->a);
    }
    if (log->len + EVLOG_RECORD_MAX > EVLOG_BUF_SIZE) {
        flush_buf(log);
    }
    p = log->buf + log->len;
    if (step != log->step || time != log->time) {
        *p++ = EV_STAMP;
        p = put_uvarint(p, step - log->step);
        /* Subtract as unsigned: the difference of two int64 may overflow,
         * and the reader adds it back modulo 2^64 just the same. */
        p = put_uvarint(p, zigzag((int64_t)((uint64_t)time
                                            - (uint64_t)log->time)));
        log->step = step;
        log->time = time;
    }
    *p++ = (unsigned char)ev->kind;
    for (f = record_fields[ev->kind]; *f != '\0'; f++) {
        switch (*f) {
        case 'A': p = put_uvarint(p, zigzag(ev->actor)); break;
        case 'O': p = put_uvarint(p, zigzag(ev->obj)); break;
        case 'a': p = put_uvarint(p, zigzag(ev->a)); break;
        case 'b': p = put_uvarint(p, zigzag(ev->b)); break;
        case 'c': p = put_uvarint(p, zigzag(ev->c)); break;
        case 'd': p = put_uvarint(p, zigzag(ev->d)); break;
        case 'x': p = put_uvarint(p, x_encode(ev->x)); break;
        case 's':
            slen = ev->str != NULL ? ev->len : 0;
            if (slen > EVLOG_MAX_STR) {
                slen = EVLOG_MAX_STR;
            }
            p = put_uvarint(p, slen);
            break;
        }
    }
    log->bytes += (uint64_t)(p - (log->buf + log->len)) + slen;
    log->len = (size_t)(p - log->buf);
    log->count++;
    /* The string is always the last field, so it can go in pieces. */
    if (slen > 0) {
        add_bytes(log, ev->str, slen);
    }
    if (log->eager && (ev->kind == EV_OUTPUT || ev->kind == EV_EXCEPTION
                       || ev->kind == EV_NOTE)) {
        flush_buf(log);
    }
}

void
evlog_set_eager(struct evlog *log, bool eager)
{
    log->eager = eager;
}

/* An EV_STATE record. */
void
evlog_state(struct evlog *log, uint64_t step, int64_t time, int actor,
            enum ev_state st, int obj, int64_t deadline)
{
    struct ev ev = {
        .kind = EV_STATE, .actor = actor, .obj = obj, .a = st,
        .x = deadline,
    };

    evlog_put(log, step, time, &ev);
}

/* A record of actor and string (EV_ACTOR_NAME, EV_EXCEPTION, EV_NOTE, ...;
 * the actor is ignored by kinds without one).  For EV_OUTPUT the stream a is
 * 1, stdout; other fields are 0. */
void
evlog_str(struct evlog *log, uint64_t step, int64_t time,
          enum ev_kind kind, int actor, const char *str, size_t len)
{
    struct ev ev = {
        .kind = kind, .actor = actor, .obj = -1,
        .a = kind == EV_OUTPUT ? 1 : 0, .str = str, .len = len,
    };

    evlog_put(log, step, time, &ev);
}

/* Write the buffer out.  Returns -1 with d if this or any earlier write
 * failed (the error stays: records after a hole are not trustworthy). */
int
evlog_flush(struct evlog *log, struct diag *d)
{
    flush_buf(log);
    if (log->err != 0) {
        if (log->path != NULL) {
            diag_set_at(d, log->path, 0, 0, _("cannot write event log: %s"),
                        strerror(log->err));
        } else {
            diag_set(d, _("cannot write temporary event log: %s"),
                     strerror(log->err));
        }
        return -1;
    }
    return 0;
}

/* The size the file has once flushed, header included. */
uint64_t
evlog_bytes(const struct evlog *log)
{
    return log->bytes;
}

/* Records appended, stamps not counted. */
uint64_t
evlog_count(const struct evlog *log)
{
    return log->count;
}

int
evlog_fd(const struct evlog *log)
{
    return log->fd;
}

/* ---- Reading ---------------------------------------------------------- */

static void
reader_diag(const struct evlog_reader *r, struct diag *d, const char *msg,
            uint64_t off)
{
    if (r->path != NULL) {
        diag_set_at(d, r->path, 0, 0,
                    _("corrupt event log: %s at offset %llu"), msg,
                    (unsigned long long)off);
    } else {
        diag_set(d, _("corrupt event log: %s at offset %llu"), msg,
                 (unsigned long long)off);
    }
}

static void
reader_errno(const struct evlog_reader *r, struct diag *d, const char *what)
{
    if (r->path != NULL) {
        diag_set_at(d, r->path, 0, 0, "%s: %s", what, strerror(errno));
    } else {
        diag_set(d, "%s: %s", what, strerror(errno));
    }
}

/* Make sure the first size bytes of the file are mapped.  A new mapping is
 * made at least twice as long as the old one; the old one is kept. */
static int
reader_map(struct evlog_reader *r, size_t size, struct diag *d)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len;
    void *p;

    if (size <= r->maplen) {
        return 0;
    }
    len = r->maplen * 2;
    if (len < size) {
        len = size;
    }
    if (len < EVLOG_MAP_MIN) {
        len = EVLOG_MAP_MIN;
    }
    len = (len + page - 1) / page * page;
    /* Mapping past the end of the file is allowed; we never touch bytes
     * beyond r->size, which fstat saw, so no access can fault. */
    p = mmap(NULL, len, PROT_READ, MAP_SHARED, r->fd, 0);
    if (p == MAP_FAILED) {
        len = (size + page - 1) / page * page;
        p = mmap(NULL, len, PROT_READ, MAP_SHARED, r->fd, 0);
    }
    if (p == MAP_FAILED) {
        reader_errno(r, d, _("cannot map event log"));
        return -1;
    }
    (void)madvise(p, len, MADV_SEQUENTIAL);
    if (r->base != NULL) {
        if (r->nold == EVLOG_MAX_MAPS) {
            /* Only reachable when doubling kept failing; the oldest
             * mapping is then the least likely to be referenced. */
            munmap(r->old[0].p, r->old[0].len);
            memmove(r->old, r->old + 1,
                    sizeof r->old[0] * (EVLOG_MAX_MAPS - 1));
            r->nold--;
        }
        r->old[r->nold].p = (void *)r->base;
        r->old[r->nold].len = r->maplen;
        r->nold++;
    }
    r->base = p;
    r->maplen = len;
    return 0;
}

/* Check as much of the header as is there.  0 also when it is incomplete:
 * a live log may not have it yet. */
static int
reader_check_header(struct evlog_reader *r, struct diag *d)
{
    size_t n = r->size < EVLOG_HEADER_SIZE ? r->size : EVLOG_HEADER_SIZE;
    size_t nm = n < 8 ? n : 8;
    uint32_t version;

    if (r->checked) {
        return 0;
    }
    if (nm > 0 && memcmp(r->base, EVLOG_MAGIC, nm) != 0) {
        reader_diag(r, d, _("bad magic (not a telar event log)"), 0);
        return -1;
    }
    if (n < EVLOG_HEADER_SIZE) {
        return 0;
    }
    version = (uint32_t)r->base[8] | (uint32_t)r->base[9] << 8
              | (uint32_t)r->base[10] << 16 | (uint32_t)r->base[11] << 24;
    if (version != EVLOG_VERSION) {
        char msg[96];

        snprintf(msg, sizeof msg, _("unsupported version %lu (expected %d)"),
                 (unsigned long)version, EVLOG_VERSION);
        reader_diag(r, d, msg, 8);
        return -1;
    }
    r->checked = true;
    if (r->off < EVLOG_HEADER_SIZE) {
        r->off = EVLOG_HEADER_SIZE;
    }
    return 0;
}

static struct evlog_reader *
reader_new(int fd, const char *path, struct diag *d)
{
    struct evlog_reader *r = xcalloc(1, sizeof *r);

    r->fd = fd;
    r->path = path != NULL ? xstrdup(path) : NULL;
    if (evlog_refresh(r, d) < 0 || reader_check_header(r, d) < 0) {
        evlog_close(r);
        return NULL;
    }
    return r;
}

/* Open the log at path for reading.  A file too short to hold the header
 * is accepted (its writer may not have written it yet); a wrong header is
 * not.  NULL with d on failure. */
struct evlog_reader *
evlog_open(const char *path, struct diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        diag_set_at(d, path, 0, 0, _("cannot open event log: %s"),
                    strerror(errno));
        return NULL;
    }
    return reader_new(fd, path, d);
}

/* Open a reader on fd (which must be open for reading, as evlog_fd's is).
 * The reader uses a duplicate, so fd stays the caller's. */
struct evlog_reader *
evlog_open_fd(int fd, struct diag *d)
{
    int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);

    if (dup_fd < 0) {
        diag_set(d, _("cannot open event log: %s"), strerror(errno));
        return NULL;
    }
    return reader_new(dup_fd, NULL, d);
}

void
evlog_close(struct evlog_reader *r)
{
    if (r == NULL) {
        return;
    }
    for (int i = 0; i < r->nold; i++) {
        munmap(r->old[i].p, r->old[i].len);
    }
    if (r->base != NULL) {
        munmap((void *)r->base, r->maplen);
    }
    close(r->fd);
    free(r->path);
    free(r);
}

/*
 * Look at the file's size and map what was added.  Returns the number of
 * new bytes (0: nothing yet), or -1 with d when the file cannot be examined
 * or has shrunk (another program truncated it).  Runs on: the reader's
 * thread; str pointers handed out before stay valid.
 */
long
evlog_refresh(struct evlog_reader *r, struct diag *d)
{
    struct stat st;
    size_t size;

    if (fstat(r->fd, &st) < 0) {
        reader_errno(r, d, _("cannot examine event log"));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        if (r->path != NULL) {
            diag_set_at(d, r->path, 0, 0,
                        _("event log is not a regular file"));
        } else {
            diag_set(d, _("event log is not a regular file"));
        }
        return -1;
    }
    if ((uintmax_t)st.st_size > SIZE_MAX) {
        reader_diag(r, d, _("file too large to map"), 0);
        return -1;
    }
    size = (size_t)st.st_size;
    if (size < r->size) {
        reader_diag(r, d, _("file shrank"), size);
        return -1;
    }
    if (size == r->size) {
        return 0;
    }
    if (reader_map(r, size, d) < 0) {
        return -1;
    }
    size -= r->size;
    r->size += size;
    return size > LONG_MAX ? LONG_MAX : (long)size;
}

/* Decode a varint into an int field; range errors are corruption. */
static int
get_int(const unsigned char **pp, const unsigned char *end, int *out)
{
    uint64_t u;
    int rc = get_uvarint(pp, end, &u);
    int64_t v;

    if (rc <= 0) {
        return rc;
    }
    v = unzigzag(u);
    if (v < INT_MIN || v > INT_MAX) {
        return -1;
    }
    *out = (int)v;
    return 1;
}

static int
get_i64(const unsigned char **pp, const unsigned char *end, int64_t *out)
{
    uint64_t u;
    int rc = get_uvarint(pp, end, &u);

    if (rc > 0) {
        *out = unzigzag(u);
    }
    return rc;
}

/*
 * Decode the record at the cursor into *ev, applying stamps on the way.
 * Returns 1 with *ev filled (fields the kind does not store read as -1 for
 * actor and obj, 0 otherwise, str NULL), 0 at the end of what is mapped,
 * including when the last record is not complete yet (the cursor stays on
 * it; refresh and call again), or -1 with d on corrupt data.  An enum field
 * that has a __COUNT (state, object kind, op) is checked to be in range.
 */
int
evlog_next(struct evlog_reader *r, struct ev *ev, struct diag *d)
{
    uint64_t off0, step0;
    int64_t time0;

    if (!r->checked) {
        if (reader_check_header(r, d) < 0) {
            return -1;
        }
        if (!r->checked) {
            return 0;
        }
    }
    off0 = r->off;
    step0 = r->step;
    time0 = r->time;
    for (;;) {
        const unsigned char *start = r->base + r->off;
        const unsigned char *end = r->base + r->size;
        const unsigned char *p = start;
        unsigned kind;
        int rc = 1;

        if (r->off >= r->size) {
            goto again;
        }
        kind = *p++;
        if (kind == EV_STAMP) {
            uint64_t ds, dt;

            if ((rc = get_uvarint(&p, end, &ds)) > 0) {
                rc = get_uvarint(&p, end, &dt);
            }
            if (rc <= 0) {
                goto fail;
            }
            r->step += ds;
            r->time = (int64_t)((uint64_t)r->time
                                + (uint64_t)unzigzag(dt));
            r->off += (uint64_t)(p - start);
            continue;
        }
        if (kind == 0 || kind >= EV__COUNT) {
            char msg[64];

            snprintf(msg, sizeof msg, _("unknown record kind %u"), kind);
            reader_diag(r, d, msg, r->off);
            return -1;
        }
        memset(ev, 0, sizeof *ev);
        ev->kind = (enum ev_kind)kind;
        ev->actor = -1;
        ev->obj = -1;
        for (const char *f = record_fields[kind]; *f != '\0' && rc > 0;
             f++) {
            uint64_t u;

            switch (*f) {
            case 'A': rc = get_int(&p, end, &ev->actor); break;
            case 'O': rc = get_int(&p, end, &ev->obj); break;
            case 'a': rc = get_i64(&p, end, &ev->a); break;
            case 'b': rc = get_i64(&p, end, &ev->b); break;
            case 'c': rc = get_i64(&p, end, &ev->c); break;
            case 'd': rc = get_i64(&p, end, &ev->d); break;
            case 'x':
                if ((rc = get_uvarint(&p, end, &u)) > 0) {
                    ev->x = x_decode(u);
                }
                break;
            case 's':
                if ((rc = get_uvarint(&p, end, &u)) <= 0) {
                    break;
                }
                if (u > EVLOG_MAX_STR) {
                    rc = -1;
                } else if (u > (uint64_t)(end - p)) {
                    rc = 0;
                } else {
                    ev->str = (const char *)p;
                    ev->len = (size_t)u;
                    p += u;
                }
                break;
            }
        }
        if (rc <= 0) {
            goto fail;
        }
        if (!record_is_valid(ev)) {
            char msg[64];

            snprintf(msg, sizeof msg, _("%s record with value %lld out of "
                                        "range"),
                     evlog_kind_name(ev->kind), (long long)ev->a);
            reader_diag(r, d, msg, r->off);
            return -1;
        }
        r->off += (uint64_t)(p - start);
        ev->step = r->step;
        ev->time = r->time;
        return 1;

    fail:
        if (rc == 0) {
            goto again;
        }
        reader_diag(r, d, _("bad number or length"), r->off);
        return -1;
    }

again:
    /* Not all there yet.  Stamps read on the way are given back too, so
     * the cursor (and evlog_tell) stays after the last whole record and
     * the next call starts from the same offset. */
    r->off = off0;
    r->step = step0;
    r->time = time0;
    return 0;
}

/*
 * After evlog_next returned 0 on a log whose writer is done: 0 if every
 * byte was decoded, -1 with d if the file ends inside the header or inside
 * a record (the writer died mid-write, or the file was cut).
 */
int
evlog_check_end(const struct evlog_reader *r, struct diag *d)
{
    if (!r->checked) {
        reader_diag(r, d, _("file ends inside the header"), r->size);
        return -1;
    }
    if (r->off < r->size) {
        reader_diag(r, d, _("truncated record"), r->off);
        return -1;
    }
    return 0;
}

void
evlog_tell(const struct evlog_reader *r, struct evlog_pos *pos)
{
    pos->offset = r->off;
    pos->step = r->step;
    pos->time = r->time;
}

/* Move to a position evlog_tell gave on this log.  A position inside the
 * header means the start. */
void
evlog_seek(struct evlog_reader *r, const struct evlog_pos *pos)
{
    if (pos->offset < EVLOG_HEADER_SIZE) {
        evlog_rewind(r);
        return;
    }
    r->off = pos->offset;
    r->step = pos->step;
    r->time = pos->time;
}

void
evlog_rewind(struct evlog_reader *r)
{
    r->off = r->checked ? EVLOG_HEADER_SIZE : 0;
    r->step = 0;
    r->time = 0;
}

/* ---- Names ------------------------------------------------------------ */

static const char *const kind_names[EV__COUNT] = {
    [EV_STAMP] = "stamp",
    [EV_RUN] = "run",
    [EV_ACTOR_NEW] = "actor_new",
    [EV_ACTOR_NAME] = "actor_name",
    [EV_STATE] = "state",
    [EV_SWITCH] = "switch",
    [EV_OBJ_NEW] = "obj_new",
    [EV_OBJ_NAME] = "obj_name",
    [EV_OBJ_OP] = "obj_op",
    [EV_OUTPUT] = "output",
    [EV_CODE] = "code",
    [EV_POS] = "pos",
    [EV_EXCEPTION] = "exception",
    [EV_DEADLOCK] = "deadlock",
    [EV_NOTE] = "note",
    [EV_END] = "end",
    [EV_BYTECODE] = "bytecode",
    [EV_WATCH] = "watch",
    [EV_LOC] = "loc",
    [EV_ACCESS] = "access",
    [EV_SYNC] = "sync",
    [EV_RACE] = "race",
    [EV_THREAD] = "thread",
};

static const char *const state_names[EV_ST__COUNT] = {
    [EV_ST_READY] = "ready",
    [EV_ST_RUNNING] = "running",
    [EV_ST_BLOCKED] = "blocked",
    [EV_ST_SLEEPING] = "sleeping",
    [EV_ST_WAITING] = "waiting",
    [EV_ST_DONE] = "done",
    [EV_ST_FAILED] = "failed",
    [EV_ST_CANCELLED] = "cancelled",
};

static const char *const obj_kind_names[EV_OBJ__COUNT] = {
    [EV_OBJ_LOCK] = "lock",
    [EV_OBJ_RLOCK] = "rlock",
    [EV_OBJ_SEMAPHORE] = "semaphore",
    [EV_OBJ_EVENT] = "event",
    [EV_OBJ_CONDITION] = "condition",
    [EV_OBJ_BARRIER] = "barrier",
    [EV_OBJ_QUEUE] = "queue",
    [EV_OBJ_SIMPLEQUEUE] = "simple queue",
    [EV_OBJ_AQUEUE] = "asyncio queue",
    [EV_OBJ_FUTURE] = "future",
    [EV_OBJ_SELECTOR] = "selector",
    [EV_OBJ_THREAD] = "thread",
    [EV_OBJ_PIPE] = "pipe",
    [EV_OBJ_PROCESS] = "process",
    [EV_OBJ_GIL] = "gil",
};

static const char *const op_names[EV_OP__COUNT] = {
    [EV_OP_ACQUIRE] = "acquire",
    [EV_OP_RELEASE] = "release",
    [EV_OP_PUT] = "put",
    [EV_OP_GET] = "get",
    [EV_OP_SET] = "set",
    [EV_OP_CLEAR] = "clear",
    [EV_OP_WAIT] = "wait",
    [EV_OP_NOTIFY] = "notify",
    [EV_OP_TIMEOUT] = "timeout",
};

static const char *const actor_kind_names[] = {
    [EV_ACTOR_THREAD] = "thread",
    [EV_ACTOR_TASK] = "task",
    [EV_ACTOR_PROCESS] = "process",
    [EV_ACTOR_LOOP] = "loop",
};

static const char *const loc_kind_names[EV_LOC__COUNT] = {
    [EV_LOC_GLOBAL] = "global",
    [EV_LOC_ATTR] = "attribute",
    [EV_LOC_ITEM] = "item",
    [EV_LOC_CELL] = "cell",
};

static const char *const access_names[EV_ACC__COUNT] = {
    [EV_ACC_LOAD_GLOBAL] = "LOAD_GLOBAL",
    [EV_ACC_STORE_GLOBAL] = "STORE_GLOBAL",
    [EV_ACC_DELETE_GLOBAL] = "DELETE_GLOBAL",
    [EV_ACC_LOAD_NAME] = "LOAD_NAME",
    [EV_ACC_STORE_NAME] = "STORE_NAME",
    [EV_ACC_DELETE_NAME] = "DELETE_NAME",
    [EV_ACC_LOAD_ATTR] = "LOAD_ATTR",
    [EV_ACC_LOAD_METHOD] = "LOAD_METHOD",
    [EV_ACC_STORE_ATTR] = "STORE_ATTR",
    [EV_ACC_DELETE_ATTR] = "DELETE_ATTR",
    [EV_ACC_BINARY_SUBSCR] = "BINARY_SUBSCR",
    [EV_ACC_STORE_SUBSCR] = "STORE_SUBSCR",
    [EV_ACC_DELETE_SUBSCR] = "DELETE_SUBSCR",
    [EV_ACC_CONTAINS_OP] = "CONTAINS_OP",
    [EV_ACC_LOAD_DEREF] = "LOAD_DEREF",
    [EV_ACC_STORE_DEREF] = "STORE_DEREF",
    [EV_ACC_DELETE_DEREF] = "DELETE_DEREF",
};

static const char *const sync_names[EV_SYNC__COUNT] = {
    [EV_SYNC_RELEASE] = "release",
    [EV_SYNC_ACQUIRE] = "acquire",
    [EV_SYNC_START] = "start",
};

/* Out-of-range values (from a newer writer, or a bug) name themselves "?". */
static const char *
name_of(const char *const *names, size_t n, int v)
{
    if (v < 0 || (size_t)v >= n || names[v] == NULL) {
        return "?";
    }
    return names[v];
}

const char *
evlog_kind_name(enum ev_kind k)
{
    return name_of(kind_names, EV__COUNT, (int)k);
}

const char *
evlog_state_name(enum ev_state s)
{
    return name_of(state_names, EV_ST__COUNT, (int)s);
}

const char *
evlog_obj_kind_name(enum ev_obj_kind k)
{
    return name_of(obj_kind_names, EV_OBJ__COUNT, (int)k);
}

const char *
evlog_op_name(enum ev_op op)
{
    return name_of(op_names, EV_OP__COUNT, (int)op);
}

const char *
evlog_actor_kind_name(enum ev_actor_kind k)
{
    return name_of(actor_kind_names,
                   sizeof actor_kind_names / sizeof actor_kind_names[0],
                   (int)k);
}

const char *
evlog_loc_kind_name(enum ev_loc_kind k)
{
    return name_of(loc_kind_names, EV_LOC__COUNT, (int)k);
}

const char *
evlog_access_name(enum ev_access acc)
{
    return name_of(access_names, EV_ACC__COUNT, (int)acc);
}

bool
evlog_access_writes(enum ev_access acc)
{
    switch (acc) {
    case EV_ACC_STORE_GLOBAL:
    case EV_ACC_DELETE_GLOBAL:
    case EV_ACC_STORE_NAME:
    case EV_ACC_DELETE_NAME:
    case EV_ACC_STORE_ATTR:
    case EV_ACC_DELETE_ATTR:
    case EV_ACC_STORE_SUBSCR:
    case EV_ACC_DELETE_SUBSCR:
    case EV_ACC_STORE_DEREF:
    case EV_ACC_DELETE_DEREF:
        return true;
    default:
        return false;
    }
}

const char *
evlog_sync_name(enum ev_sync s)
{
    return name_of(sync_names, EV_SYNC__COUNT, (int)s);
}
