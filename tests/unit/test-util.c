/* Unit tests for src/util. */
#include "config.h"

#include "harness/tap.h"
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
