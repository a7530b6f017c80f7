/*
 * Running a child with its output captured and a timeout; see spawn.h.
 * The parent polls both pipes until they close or the deadline passes,
 * then kills the child with SIGKILL and reaps it.
 */
#include "config.h"

#include "util/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"

static int64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what fd has into s, up to cap bytes (0: no cap); false at end of
 * file. */
static bool
drain(int fd, struct str *s, size_t cap)
{
    char buf[16384];
    ssize_t n = read(fd, buf, sizeof buf);

    if (n < 0) {
        return errno == EINTR || errno == EAGAIN;
    }
    if (n == 0) {
        return false;
    }
    if (cap == 0) {
        str_add(s, buf, (size_t)n);
    } else if (s->len < cap) {
        size_t room = cap - s->len;

        str_add(s, buf, (size_t)n < room ? (size_t)n : room);
    }
    return true;
}

void
spawn_result_init(struct spawn_result *r)
{
    str_init(&r->out);
    str_init(&r->err);
    r->status = -1;
    r->signal = 0;
    r->timed_out = false;
    r->failed = NULL;
}

void
spawn_result_fini(struct spawn_result *r)
{
    str_fini(&r->out);
    str_fini(&r->err);
    free(r->failed);
    r->failed = NULL;
}

/* The child's side: plumbing, environment, folder, then exec. */
static void
run_in_child(const struct spawn_req *req, int out, int err)
{
    int null = open("/dev/null", O_RDONLY);

    if (null >= 0) {
        dup2(null, STDIN_FILENO);
    }
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    for (size_t i = 0; req->env != NULL && req->env[i] != NULL; i++) {
        putenv(req->env[i]);
    }
    if (req->dir != NULL && chdir(req->dir) < 0) {
        fprintf(stderr, "cd %s: %s\n", req->dir, strerror(errno));
        _exit(127);
    }
    execvp(req->path, req->argv);
    if (req->who != NULL) {
        fprintf(stderr, "%s: ", req->who);
    }
    fprintf(stderr, "%s: %s\n", req->path, strerror(errno));
    _exit(127);
}

void
spawn_run(const struct spawn_req *req, struct spawn_result *r)
{
    int pipes[2][2];
    struct pollfd pfd[2];
    int64_t deadline = now_ms() + (int64_t)req->timeout * 1000;
    pid_t pid;
    int status;

    if (pipe2(pipes[0], O_CLOEXEC) < 0) {
        r->failed = xasprintf("pipe: %s", strerror(errno));
        return;
    }
    if (pipe2(pipes[1], O_CLOEXEC) < 0) {
        r->failed = xasprintf("pipe: %s", strerror(errno));
        close(pipes[0][0]);
        close(pipes[0][1]);
        return;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        r->failed = xasprintf("fork: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            close(pipes[i][0]);
            close(pipes[i][1]);
        }
        return;
    }
    if (pid == 0) {
        run_in_child(req, pipes[0][1], pipes[1][1]);
    }
    for (int i = 0; i < 2; i++) {
        close(pipes[i][1]);
        pfd[i].fd = pipes[i][0];
        pfd[i].events = POLLIN;
    }
    while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
        int64_t left = deadline - now_ms();
        int n;

        if (left <= 0 && !r->timed_out) {
            r->timed_out = true;
            kill(pid, SIGKILL);
        }
        n = poll(pfd, 2, r->timed_out ? 1000 : (int)(left < 1000 ? left
                                                                 : 1000));
        if (n < 0 && errno != EINTR) {
            break;
        }
        if (n == 0 && r->timed_out) {
            break;              /* a grandchild holds the pipes */
        }
        for (int i = 0; i < 2; i++) {
            if (pfd[i].fd >= 0 && pfd[i].revents != 0
                && !drain(pfd[i].fd, i == 0 ? &r->out : &r->err,
                          req->cap)) {
                close(pfd[i].fd);
                pfd[i].fd = -1;
            }
        }
    }
    for (int i = 0; i < 2; i++) {
        if (pfd[i].fd >= 0) {
            close(pfd[i].fd);
        }
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return;
        }
    }
    if (WIFEXITED(status)) {
        r->status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r->signal = WTERMSIG(status);
    }
}
