/* Unit tests for src/util/json.c: what telar explore --json prints, and
 * the corners of RFC 8259 a parser gets wrong. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/tap.h"
#include "util/json.h"

static struct json *
parse(const char *s, struct diag *d)
{
    return json_parse(s, strlen(s), d);
}

TEST(json_explore_answer)
{
    const char *text = "{\"executions\": 554, \"exhausted\": true, "
        "\"outcomes\": [{\"stdout\": \"4\\n\", \"exit\": 0, \"deadlock\": "
        "false, \"count\": 436, \"schedule\": \"T1:fifo:0:\"}, "
        "{\"stdout\": \"2\\n\", \"exit\": 3, \"deadlock\": true, "
        "\"count\": 94, \"schedule\": \"T1:fifo:0:k-0,a-2,o-1\"}]}\n";
    struct diag d;
    struct json *j = parse(text, &d);
    const struct json *o;

    ASSERT(j != NULL);
    ASSERT_EQ(j->type, JSON_OBJECT);
    ASSERT_EQ((int)json_get(j, "executions")->num, 554);
    ASSERT(json_get(j, "exhausted")->b);
    o = json_get(j, "outcomes");
    ASSERT_EQ(o->type, JSON_ARRAY);
    ASSERT_EQ(o->n, (size_t)2);
    ASSERT_STR(json_get(&o->items[0], "stdout")->str, "4\n");
    ASSERT_STR(json_get(&o->items[1], "schedule")->str,
               "T1:fifo:0:k-0,a-2,o-1");
    ASSERT_EQ((int)json_get(&o->items[1], "exit")->num, 3);
    ASSERT(json_get(&o->items[1], "deadlock")->b);
    ASSERT(!json_get(&o->items[0], "deadlock")->b);
    ASSERT_PTR(json_get(j, "missing"), NULL);
    ASSERT_PTR(json_get(o, "stdout"), NULL);        /* not an object */
    json_free(j);
}

TEST(json_strings)
{
    struct diag d;
    struct json *j;

    /* Every escape; a pair of surrogates is one character; a lone one is
     * U+FFFD and the escape after it stays its own; NUL kept with len. */
    j = parse("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"
              "\\ud800\\u0041\\u0000z\"", &d);
    ASSERT(j != NULL);
    ASSERT_EQ(j->type, JSON_STRING);
    ASSERT_EQ(j->len, (size_t)21);
    ASSERT(memcmp(j->str, "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80"
                  "\xef\xbf\xbd" "A\0z", 21) == 0);
    json_free(j);
}

TEST(json_numbers_in_any_locale)
{
    struct diag d;
    struct json *j;

    /* A locale whose decimal point is a comma must not change "1.5". */
    setlocale(LC_NUMERIC, "es_ES.UTF-8");
    j = parse("[0, -12, 1.5, 2e3, -2.5E-1, 1e+2]", &d);
    setlocale(LC_NUMERIC, "C");
    ASSERT(j != NULL);
    ASSERT_EQ(j->n, (size_t)6);
    ASSERT(j->items[0].num == 0);
    ASSERT(j->items[1].num == -12);
    ASSERT(j->items[2].num == 1.5);
    ASSERT(j->items[3].num == 2000);
    ASSERT(j->items[4].num == -0.25);
    ASSERT(j->items[5].num == 100);
    json_free(j);
}

TEST(json_errors)
{
    static const struct {
        const char *text, *msg;
    } bad[] = {
        { "", "offset 0: expected a value" },
        { "[1, 2", "offset 5: expected ',' or ']'" },
        { "{\"a\" 1}", "offset 5: expected ':'" },
        { "{1: 2}", "offset 1: expected a member's name in quotes" },
        { "\"abc", "offset 4: expected '\"' to close the string" },
        { "\"a\\qb\"", "offset 3: expected an escape" },
        { "\"\\u12g4\"", "expected four hex digits" },
        { "01", "offset 1: expected the end after the value" },
        { "1.", "offset 2: expected a digit after '.'" },
        { "1e", "offset 2: expected a digit in the exponent" },
        { "-x", "offset 0: expected a value" },
        { "tru", "offset 0: expected a value" },
        { "[1] x", "offset 4: expected the end after the value" },
        { "\"a\tb\"", "offset 2: expected no control character" },
    };
    char deep[200];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct diag d = { 0 };
        struct json *j = parse(bad[i].text, &d);

        ASSERT_PTR(j, NULL);
        if (strstr(d.msg, bad[i].msg) == NULL) {
            TAP_FAIL_("input %zu: got \"%s\", want \"%s\"", i, d.msg,
                      bad[i].msg);
        }
    }
    /* Nesting is bounded: no stack overflow on a hostile input. */
    memset(deep, '[', sizeof deep - 1);
    deep[sizeof deep - 1] = '\0';
    {
        struct diag d;

        ASSERT_PTR(parse(deep, &d), NULL);
        ASSERT(strstr(d.msg, "less nesting") != NULL);
    }
}
