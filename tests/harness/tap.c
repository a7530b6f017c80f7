/*
 * The runner: forks one child per test in tests/unit/list.h, waits with a
 * timeout, and prints TAP ("ok N - name").  `unit NAME` runs one test in
 * the foreground, for a debugger.
 */
#include "config.h"

#include "tap.h"

#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEST_TIMEOUT_S 60

#define TEST_ENTRY(name) void test_##name(void);
#include "unit/list.h"
#undef TEST_ENTRY

struct entry {
    const char *name;
    void (*fn)(void);
};

static const struct entry entries[] = {
#define TEST_ENTRY(name) { #name, test_##name },
#include "unit/list.h"
#undef TEST_ENTRY
};

#define NENTRIES (sizeof entries / sizeof entries[0])

/* Run fn in a child; true if it exited 0 within the timeout. */
static bool
run_one(const struct entry *e)
{
    pid_t pid;
    int status = 0;

    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return false;
    }
    if (pid == 0) {
        alarm(TEST_TIMEOUT_S);
        e->fn();
        fflush(NULL);
        _exit(0);
    }
    while (waitpid(pid, &status, 0) < 0) {
        continue;
    }
    if (WIFSIGNALED(status)) {
        printf("# %s: killed by signal %d%s\n", e->name, WTERMSIG(status),
               WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
        return false;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int
main(int argc, char **argv)
{
    size_t failed = 0;

    if (argc > 1) {
        for (size_t i = 0; i < NENTRIES; i++) {
            if (strcmp(entries[i].name, argv[1]) == 0) {
                entries[i].fn();
                return 0;
            }
        }
        fprintf(stderr, "no test named %s\n", argv[1]);
        return 2;
    }
    printf("1..%zu\n", NENTRIES);
    for (size_t i = 0; i < NENTRIES; i++) {
        bool ok = run_one(&entries[i]);

        printf("%sok %zu - %s\n", ok ? "" : "not ", i + 1, entries[i].name);
        failed += !ok;
    }
    return failed ? 1 : 0;
}
