/*
 * The pool: worker processes that run jobs for the search.  The caller's
 * process forks one middle process, which runs ops->setup once (the
 * zygote: CPython initialised) and then forks the n workers, so each
 * worker starts from that prepared state; the caller (the search) never
 * runs setup itself.  Each worker has a pipe for jobs and one for
 * results; a message is a tag, a length and the bytes.  Nothing here
 * knows what a job means.  Layer: explore, plain POSIX.
 */
#include "config.h"

#include "explore/explore.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct pool_worker {
    int job_fd;                 /* we write jobs here */
    int res_fd;                 /* and read results here */
    bool busy;
    bool gone;
};

/* Owned by the caller; explore_pool_free frees. */
struct explore_pool {
    int n;
    pid_t middle;
    struct pool_worker *w;
};

struct pool_frame {
    uint64_t tag;
    uint64_t len;
};

/* write(2) all of it; 0, or -1 with errno set. */
static int
write_full(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t k = write(fd, c, n);

        if (k < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* read(2) exactly n bytes: 1, 0 at end of file before any, -1 on error
 * or a cut message. */
static int
read_full(int fd, void *p, size_t n)
{
    char *c = p;
    size_t got = 0;

    while (got < n) {
        ssize_t k = read(fd, c + got, n - got);

        if (k < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        if (k == 0) {
            return got == 0 ? 0 : -1;
        }
        got += (size_t)k;
    }
    return 1;
}

static int
send_frame(int fd, uint64_t tag, const void *data, size_t len)
{
    struct pool_frame f = { .tag = tag, .len = len };

    if (write_full(fd, &f, sizeof f) < 0) {
        return -1;
    }
    return len > 0 ? write_full(fd, data, len) : 0;
}

/* 1 with the frame in out, 0 at end of file, -1 on error. */
static int
recv_frame(int fd, uint64_t *tag, struct str *out)
{
    struct pool_frame f;
    int r = read_full(fd, &f, sizeof f);

    if (r <= 0) {
        return r;
    }
    if (out->cap < f.len + 1) {
        out->p = xrealloc(out->p, f.len + 1);
        out->cap = f.len + 1;
    }
    if (f.len > 0 && read_full(fd, out->p, f.len) != 1) {
        return -1;
    }
    out->len = f.len;
    out->p[f.len] = '\0';
    *tag = f.tag;
    return 1;
}

/* A worker: jobs until the caller closes its pipe. */
static void __attribute__((noreturn))
pool_worker_main(const struct explore_pool_ops *ops, void *arg, int i,
                 int job_fd, int res_fd)
{
    struct str job, res;
    uint64_t tag;
    int r;

    str_init(&job);
    str_init(&res);
    if (ops->start != NULL) {
        ops->start(arg, i);
    }
    while ((r = recv_frame(job_fd, &tag, &job)) == 1) {
        res.len = 0;
        ops->work(arg, i, job.p, job.len, &res);
        if (send_frame(res_fd, tag, res.p, res.len) < 0) {
            break;
        }
    }
    _exit(r < 0 ? 1 : 0);
}

/* The middle process: setup, then the workers; it ends when they do. */
static void __attribute__((noreturn))
pool_middle_main(struct explore_pool *p, const int (*fds)[4],
                 const struct explore_pool_ops *ops, void *arg)
{
    pid_t *pids = xcalloc((size_t)p->n, sizeof *pids);
    int st, worst = 0;

    for (int i = 0; i < p->n; i++) {
        close(fds[i][1]);       /* the caller's ends */
        close(fds[i][2]);
    }
    st = ops->setup(arg);
    if (st != 0) {
        _exit(st);
    }
    for (int i = 0; i < p->n; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            for (int j = 0; j < p->n; j++) {
                if (j != i) {
                    close(fds[j][0]);
                    close(fds[j][3]);
                }
            }
            pool_worker_main(ops, arg, i, fds[i][0], fds[i][3]);
        }
    }
    for (int i = 0; i < p->n; i++) {
        close(fds[i][0]);
        close(fds[i][3]);
    }
    for (int i = 0; i < p->n; i++) {
        if (pids[i] > 0) {
            while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR) {
                continue;
            }
            if (worst == 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
                worst = WIFSIGNALED(st) ? 128 + WTERMSIG(st)
                                        : WEXITSTATUS(st);
            }
        }
    }
    _exit(worst);
}

struct explore_pool *
explore_pool_new(int n, const struct explore_pool_ops *ops, void *arg,
                 struct diag *d)
{
    struct explore_pool *p = xcalloc(1, sizeof *p);
    /* Per worker: job read, job write, result read, result write. */
    int (*fds)[4] = xcalloc((size_t)n, sizeof *fds);

    /* A worker that is gone must not kill the caller through a write to
     * its pipe: the write fails with EPIPE instead. */
    signal(SIGPIPE, SIG_IGN);
    p->n = n;
    p->w = xcalloc((size_t)n, sizeof *p->w);
    for (int i = 0; i < n; i++) {
        int a[2], b[2];

        if (pipe2(a, O_CLOEXEC) < 0 || pipe2(b, O_CLOEXEC) < 0) {
            diag_set(d, _("cannot start the workers: pipe: %s"),
                     strerror(errno));
            free(fds);
            free(p->w);
            free(p);
            return NULL;
        }
        /* High: the descriptors a run's scenario opens must get the same
         * numbers in every worker (a scenario may print them). */
        fds[i][0] = fd_move_high(a[0]);
        fds[i][1] = fd_move_high(a[1]);
        fds[i][2] = fd_move_high(b[0]);
        fds[i][3] = fd_move_high(b[1]);
    }
    fflush(NULL);
    p->middle = fork();
    if (p->middle < 0) {
        diag_set(d, _("cannot start the workers: fork: %s"),
                 strerror(errno));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                close(fds[i][j]);
            }
        }
        free(fds);
        free(p->w);
        free(p);
        return NULL;
    }
    if (p->middle == 0) {
        pool_middle_main(p, (const int (*)[4])fds, ops, arg);
    }
    for (int i = 0; i < n; i++) {
        close(fds[i][0]);
        close(fds[i][3]);
        p->w[i].job_fd = fds[i][1];
        p->w[i].res_fd = fds[i][2];
    }
    free(fds);
    return p;
}

int
explore_pool_idle(const struct explore_pool *p)
{
    for (int i = 0; i < p->n; i++) {
        if (!p->w[i].busy && !p->w[i].gone) {
            return i;
        }
    }
    return -1;
}

int
explore_pool_submit(struct explore_pool *p, int w, uint64_t tag,
                    const void *job, size_t len, struct diag *d)
{
    if (send_frame(p->w[w].job_fd, tag, job, len) < 0) {
        p->w[w].gone = true;
        diag_set(d, _("a worker is gone"));
        return -1;
    }
    p->w[w].busy = true;
    return 0;
}

int
explore_pool_wait(struct explore_pool *p, int *w, uint64_t *tag,
                  struct str *out, struct diag *d)
{
    struct pollfd *pfd = xcalloc((size_t)p->n, sizeof *pfd);
    int rc = -1;

    for (;;) {
        int nbusy = 0, n;

        for (int i = 0; i < p->n; i++) {
            pfd[i].fd = p->w[i].busy ? p->w[i].res_fd : -1;
            pfd[i].events = POLLIN;
            pfd[i].revents = 0;
            nbusy += p->w[i].busy;
        }
        if (nbusy == 0) {
            diag_set(d, _("the workers are gone"));
            break;
        }
        n = poll(pfd, (nfds_t)p->n, -1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            diag_set(d, "poll: %s", strerror(errno));
            break;
        }
        for (int i = 0; i < p->n; i++) {
            int r;

            if (pfd[i].revents == 0) {
                continue;
            }
            r = recv_frame(p->w[i].res_fd, tag, out);
            p->w[i].busy = false;
            if (r != 1) {
                p->w[i].gone = true;
                continue;
            }
            *w = i;
            rc = 0;
            goto out;
        }
    }
out:
    free(pfd);
    return rc;
}

int
explore_pool_free(struct explore_pool *p)
{
    int st = 0;

    if (p == NULL) {
        return 0;
    }
    for (int i = 0; i < p->n; i++) {
        close(p->w[i].job_fd);
        close(p->w[i].res_fd);
    }
    while (waitpid(p->middle, &st, 0) < 0 && errno == EINTR) {
        continue;
    }
    free(p->w);
    free(p);
    return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}
