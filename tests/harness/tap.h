/*
 * telar's unit-test harness, after libuv's: every test is a function named
 * by TEST(name) and listed in tests/unit/list.h; the runner (tap.c) runs each
 * in a child process with a timeout and prints TAP.  ASSERT macros print
 * both sides and file:line, then abort the child.
 */
#ifndef TELAR_TAP_H
#define TELAR_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST(name) void test_##name(void)

#define TAP_FAIL_(...)                                                     \
    do {                                                                   \
        fprintf(stderr, "# %s:%d: ", __FILE__, __LINE__);                  \
        fprintf(stderr, __VA_ARGS__);                                      \
        fputc('\n', stderr);                                               \
        fflush(stderr);                                                    \
        abort();                                                           \
    } while (0)

#define ASSERT(c)                                                          \
    do {                                                                   \
        if (!(c)) {                                                        \
            TAP_FAIL_("assertion failed: %s", #c);                         \
        }                                                                  \
    } while (0)

#define ASSERT_EQ(a, b)                                                    \
    do {                                                                   \
        int64_t a_ = (int64_t)(a), b_ = (int64_t)(b);                      \
        if (a_ != b_) {                                                    \
            TAP_FAIL_("%s == %s: %" PRId64 " != %" PRId64, #a, #b, a_, b_); \
        }                                                                  \
    } while (0)

#define ASSERT_NE(a, b)                                                    \
    do {                                                                   \
        int64_t a_ = (int64_t)(a), b_ = (int64_t)(b);                      \
        if (a_ == b_) {                                                    \
            TAP_FAIL_("%s != %s: both %" PRId64, #a, #b, a_);              \
        }                                                                  \
    } while (0)

#define ASSERT_STR(a, b)                                                   \
    do {                                                                   \
        const char *a_ = (a), *b_ = (b);                                   \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {             \
            TAP_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b,                \
                      a_ ? a_ : "(null)", b_ ? b_ : "(null)");             \
        }                                                                  \
    } while (0)

#define ASSERT_PTR(a, b)                                                   \
    do {                                                                   \
        const void *a_ = (a), *b_ = (b);                                   \
        if (a_ != b_) {                                                    \
            TAP_FAIL_("%s == %s: %p != %p", #a, #b, a_, b_);               \
        }                                                                  \
    } while (0)

#endif
