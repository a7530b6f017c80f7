/*
 * Live mode (engine layer): a viewer (the TUI's src/tui/run.c) drives the
 * run through two pipes, `telar run --control IN,OUT`.  It writes
 * commands, one a line: "G <step>" lets the run go on until its step
 * reaches <step>, "Q" ends it.  The engine answers "P <step>" each time it
 * stops at that gate, with the event log flushed up to there, and
 * "E <status>" once the run has ended.  The scheduler calls the gate
 * (sched_set_gate) on the baton holder only, so the descriptors that
 * forked processes inherit are used by one process at a time; commands are
 * read a byte at a time so that no process buffers another's line.
 */
#include "config.h"

#include "engine/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One command line into buf (NUL-terminated, without the newline).
 * 1: a line; 0: end of file; -1: an error. */
static int
control_read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;

    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);

        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return r == 0 && n == 0 ? 0 : -1;
        }
        if (c == '\n') {
            buf[n] = '\0';
            return 1;
        }
        if (n + 1 < size) {
            buf[n++] = c;
        }
    }
}

static void
control_write(int fd, const char *text)
{
    size_t len = strlen(text), done = 0;

    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return;             /* the viewer is gone: the next read ends us */
        }
        done += (size_t)w;
    }
}

/* The viewer let go of the run: end every process of it at once.  The
 * first engine process leads a process group of its own when a viewer
 * started it (run.c detaches it); never signal a group we do not lead. */
static void __attribute__((noreturn))
control_quit(struct engine *e)
{
    struct diag d;

    evlog_flush(e->log, &d);
    if (getpgrp() == e->sh->procs[0].pid) {
        kill(0, SIGKILL);
    }
    _exit(0);
}

/* Read commands until one lets the run go beyond step; returns the new
 * gate. */
static uint64_t
control_wait(struct engine *e, uint64_t step)
{
    char line[64];

    for (;;) {
        uint64_t to;
        char *end;

        if (control_read_line(e->opts->control_in, line, sizeof line) <= 0
            || strcmp(line, "Q") == 0) {
            control_quit(e);
        }
        if (line[0] != 'G' || line[1] != ' ') {
            continue;           /* unknown commands are for later versions */
        }
        errno = 0;
        to = strtoull(line + 2, &end, 10);
        if (errno != 0 || *end != '\0') {
            continue;
        }
        return to > step ? to : step + 1;
    }
}

/* The scheduler's gate: say where the run stands, wait to be let go. */
static uint64_t
control_gate(void *ctx, uint64_t step)
{
    struct engine *e = ctx;
    struct diag d;
    char msg[40];

    evlog_flush(e->log, &d);
    snprintf(msg, sizeof msg, "P %" PRIu64 "\n", step);
    control_write(e->opts->control_out, msg);
    return control_wait(e, step);
}

int
engine__control_start(struct engine *e, struct diag *d)
{
    const struct engine_opts *o = e->opts;
    uint64_t gate;

    if (o->control_in < 0) {
        return 0;
    }
    if (fcntl(o->control_in, F_GETFD) < 0
        || fcntl(o->control_out, F_GETFD) < 0) {
        diag_set(d, _("--control: descriptors %d and %d are not open"),
                 o->control_in, o->control_out);
        return -1;
    }
    /* A program the scenario starts with exec must not hold the viewer's
     * pipes open. */
    fcntl(o->control_in, F_SETFD, FD_CLOEXEC);
    fcntl(o->control_out, F_SETFD, FD_CLOEXEC);
    /* Step 0 is the start: nothing of the scenario has run yet, but the
     * run's own records (its settings, the main thread) can be read. */
    evlog_set_eager(e->log, true);
    evlog_flush(e->log, d);
    control_write(o->control_out, "P 0\n");
    gate = control_wait(e, 0);
    sched_set_gate(e->sched, gate, control_gate, e);
    return 0;
}

void
engine__control_end(struct engine *e, int status)
{
    struct diag d;
    char msg[32];

    if (e->opts->control_out < 0) {
        return;
    }
    evlog_flush(e->log, &d);
    snprintf(msg, sizeof msg, "E %d\n", status);
    control_write(e->opts->control_out, msg);
}
