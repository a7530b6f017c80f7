/* Unit tests for src/util. */
#include "config.h"

#include "harness/tap.h"
#include <errno.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/keymap.h"
#include "util/ptrmap.h"
#include "util/util.h"

TEST(util_str)
{
    struct str s;
    struct diag d;
    char buf[600];

    str_init(&s);
    str_addf(&s, "%d-%s", 42, "x");
    str_add_json(&s, "a\"\n\x01", 4);
    ASSERT_STR(s.p, "42-x\"a\\\"\\n\\u0001\"");
    str_fini(&s);
    diag_set_at(&d, "l.md", 3, 7, "expected %s", "title");
    diag_format(&d, buf, sizeof buf);
    ASSERT_STR(buf, "l.md:3:7: expected title");
}

TEST(util_ptrmap)
{
    struct ptrmap m;
    static char objs[5000];

    ptrmap_init(&m);
    ASSERT_EQ(ptrmap_get(&m, &objs[0], -1), -1);
    for (int i = 0; i < 5000; i++) {
        ptrmap_put(&m, &objs[i], i);
    }
    ASSERT_EQ(m.n, 5000);
    for (int i = 0; i < 5000; i += 2) {
        ASSERT(ptrmap_del(&m, &objs[i]));
    }
    ASSERT(!ptrmap_del(&m, &objs[0]));
    for (int i = 0; i < 5000; i++) {
        ASSERT_EQ(ptrmap_get(&m, &objs[i], -1), i % 2 ? i : -1);
    }
    ptrmap_put(&m, &objs[1], 77);
    ASSERT_EQ(ptrmap_get(&m, &objs[1], -1), 77);
    /* removed slots are reused without losing the live entries */
    for (int i = 0; i < 5000; i += 2) {
        ptrmap_put(&m, &objs[i], -i);
    }
    ASSERT_EQ(ptrmap_get(&m, &objs[4998], 0), -4998);
    ASSERT_EQ(ptrmap_get(&m, &objs[4999], 0), 4999);
    ptrmap_fini(&m);
}

TEST(util_keymap)
{
    struct keymap m;

    keymap_init(&m);
    ASSERT_EQ(keymap_get(&m, 1, 2, -1), -1);
    ASSERT(!keymap_del(&m, 1, 2));
    for (int i = 0; i < 4000; i++) {
        keymap_put(&m, (uint64_t)i, (uint64_t)i * 7, i);
        keymap_put(&m, (uint64_t)i, (uint64_t)i * 7 + 1, -i);
    }
    ASSERT_EQ(m.n, 8000);
    ASSERT_EQ(keymap_get(&m, 3, 21, 0), 3);
    ASSERT_EQ(keymap_get(&m, 3, 22, 0), -3);
    ASSERT_EQ(keymap_get(&m, 21, 3, 99), 99);     /* the pair is ordered */
    for (int i = 0; i < 4000; i++) {
        ASSERT(keymap_del(&m, (uint64_t)i, (uint64_t)i * 7));
    }
    ASSERT_EQ(m.n, 4000);
    ASSERT_EQ(keymap_get(&m, 5, 35, -1), -1);
    ASSERT_EQ(keymap_get(&m, 5, 36, 0), -5);
    /* Keys that come and go keep the table near the live size. */
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 1000; i++) {
            keymap_put(&m, 1000000 + (uint64_t)round, (uint64_t)i, i);
        }
        for (int i = 0; i < 1000; i++) {
            ASSERT(keymap_del(&m, 1000000 + (uint64_t)round, (uint64_t)i));
        }
    }
    ASSERT_EQ(m.n, 4000);
    ASSERT(m.cap <= 32768);
    ASSERT_EQ(keymap_get(&m, 3999, 3999 * 7 + 1, 0), -3999);
    keymap_fini(&m);
}

TEST(util_arena_shared_across_fork)
{
    struct arena *ar = arena_new((size_t)64 << 20);
    const struct allocator *a;
    int *v, *w, status;
    pid_t pid;

    ASSERT(ar != NULL);
    a = arena_allocator(ar);
    v = alloc_calloc(a, 16, sizeof *v);
    ASSERT_EQ(v[15], 0);
    /* A child's writes are seen by the parent: the memory is shared. */
    pid = fork();
    if (pid == 0) {
        v[3] = 42;
        w = alloc_calloc(a, 4, sizeof *w);
        w[0] = 7;
        _exit(0);
    }
    ASSERT(waitpid(pid, &status, 0) == pid);
    ASSERT_EQ(v[3], 42);
    /* The child's allocation moved the shared bump pointer: a new one
     * does not overlap it. */
    w = alloc_calloc(a, 4, sizeof *w);
    ASSERT_EQ(w[0], 0);
    /* realloc keeps the contents; a freed block is reused. */
    v = alloc_realloc(a, v, 16 * sizeof *v, 1000 * sizeof *v);
    ASSERT_EQ(v[3], 42);
    alloc_free(a, w, 4 * sizeof *w);
    ASSERT_PTR(alloc_calloc(a, 4, sizeof *w), w);
    arena_free(ar);
}

/* A child that unshares the arena keeps its contents and allocator, and
 * its writes (and its own children's) no longer reach the parent. */
TEST(util_arena_unshare)
{
    struct arena *ar = arena_new((size_t)64 << 20);
    const struct allocator *a = arena_allocator(ar);
    int *v = alloc_calloc(a, 1024, sizeof *v), *far, status;
    pid_t pid;

    v[5] = 5;
    far = alloc_calloc(a, 1 << 20, sizeof *far);   /* mostly untouched */
    far[100000] = 9;
    pid = fork();
    if (pid == 0) {
        int *w;
        pid_t grand;

        if (arena_unshare(ar) < 0 || v[5] != 5 || far[100000] != 9
            || far[200000] != 0) {
            _exit(1);
        }
        v[5] = 6;
        w = alloc_calloc(a, 4, sizeof *w);      /* the allocator works */
        w[0] = 1;
        grand = fork();
        if (grand == 0) {
            v[6] = 66;          /* shared with the unsharing child */
            _exit(0);
        }
        if (waitpid(grand, &status, 0) != grand || v[6] != 66) {
            _exit(2);
        }
        _exit(0);
    }
    ASSERT(waitpid(pid, &status, 0) == pid);
    ASSERT(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    ASSERT_EQ(v[5], 5);
    ASSERT_EQ(v[6], 0);
    arena_free(ar);
}

TEST(util_arena_attach_after_unmap)
{
    struct arena *ar = arena_new((size_t)64 << 20);
    size_t size;
    int fd, *v, status;
    pid_t pid;

    ASSERT(ar != NULL);
    fd = arena_fd(ar);
    size = arena_size(ar);
    ASSERT(fd >= 0);
    ASSERT_EQ(size, (size_t)64 << 20);
    v = alloc_calloc(arena_allocator(ar), 4, sizeof *v);
    v[1] = 5;
    arena_set_root(ar, v);
    /* Where the arena is mapped already, attaching again refuses. */
    errno = 0;
    ASSERT_PTR(arena_attach(fd, ar, size), NULL);
    ASSERT_EQ(errno, EEXIST);
    /* A process without the mapping (as after an exec) maps it again at
     * the same address from the descriptor: the root, the values and the
     * allocator's state are all there. */
    pid = fork();
    if (pid == 0) {
        void *addr = ar;
        struct arena *again;
        int *r;

        munmap(addr, size);
        again = arena_attach(fd, addr, size);
        if (again == NULL || (void *)again != addr) {
            _exit(1);
        }
        r = arena_root(again);
        if (r[1] != 5) {
            _exit(2);
        }
        r[2] = 9;
        r = alloc_calloc(arena_allocator(again), 4, sizeof *r);
        r[0] = 1;
        _exit(0);
    }
    ASSERT(waitpid(pid, &status, 0) == pid);
    ASSERT(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    ASSERT_EQ(v[2], 9);
    ASSERT_EQ(((int *)alloc_calloc(arena_allocator(ar), 4, sizeof *v))[0], 0);
    arena_free(ar);
}
