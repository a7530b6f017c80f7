/* Unit tests for src/lesson: the front matter parser (lesson-fm.c), the
 * lesson schema and body checks (lesson.c) and the catalogue (catalog.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "harness/tap.h"
#include "lesson/catalog.h"
#include "lesson/lesson.h"
#include "util/util.h"

#define BODY "\nTexto.\n\n## Prueba tú\n\n1. Un ejercicio.\n"
#define HEAD "title: T\norder: 1\nchapter: cap\nsummary: S\n"

/* "---\n" fm "---\n" body: the front matter starts at line 2. */
static char *
doc(const char *fm, const char *body)
{
    return xasprintf("---\n%s---\n%s", fm, body);
}

static struct lesson *
parse_ok(const char *text)
{
    struct diag d;
    struct lesson *l = lesson_parse("l.md", text, strlen(text), &d);
    char buf[1024];

    if (l == NULL) {
        diag_format(&d, buf, sizeof buf);
        TAP_FAIL_("unexpected error: %s", buf);
    }
    return l;
}

/* Parsing text fails with exactly want ("l.md:line:col: msg"). */
static void
expect_error_(const char *text, const char *want, int line)
{
    struct diag d;
    struct lesson *l = lesson_parse("l.md", text, strlen(text), &d);
    char buf[1024];

    if (l != NULL) {
        lesson_free(l);
        TAP_FAIL_("line %d: no error, expected %s", line, want);
    }
    diag_format(&d, buf, sizeof buf);
    if (strcmp(buf, want) != 0) {
        TAP_FAIL_("line %d:\n#   got:  %s\n#   want: %s", line, buf, want);
    }
}
#define expect_error(text, want) expect_error_((text), (want), __LINE__)

/* The front matter alone is fm; the body is a valid one. */
static void
fm_error_(const char *fm, const char *want, int line)
{
    char *text = doc(fm, BODY);

    expect_error_(text, want, line);
    free(text);
}
#define fm_error(fm, want) fm_error_((fm), (want), __LINE__)

static void
body_error_(const char *fm, const char *body, const char *want, int line)
{
    char *text = doc(fm, body);

    expect_error_(text, want, line);
    free(text);
}
#define body_error(fm, body, want) body_error_((fm), (body), (want), __LINE__)

TEST(lesson_parse_full)
{
    char *text = doc(
        "# a comment\n"
        "title: Condiciones de carrera   # trailing comment\n"
        "order: 3\n"
        "chapter: 06_Multithreading\n"
        "summary: \"Dos \\\"hilos\\\", un\\tcontador: \\u00e9xito\"\n"
        "\n"
        "scenarios:\n"
        "  - file: contador.py\n"
        "    title: 'Con ''comillas'''\n"
        "    policy: preempt\n"
        "    seed: 31\n"
        "    cores: 2\n"
        "    watch: [contador, total]\n"
        "    expect:\n"
        "      output: \"uno\\ndos\"\n"
        "      exit: 1\n"
        "  - block: bloque-1\n"
        "    title: Un bloque\n"
        "    python: same\n"
        "    watch:\n"
        "      - año\n"
        "    expect:\n"
        "      output: \"\"\n"
        "  - file: otro.py\n"
        "    title: Carreras\n"
        "    policy: rr:3\n"
        "    expect:\n"
        "      outcomes: [\"2\", '3', cuatro]\n"
        "      seeds: 40\n"
        "  - file: dl.py\n"
        "    title: Interbloqueo\n"
        "    expect:\n"
        "      deadlock: true\n"
        "      output: \"a\"\n",
        "\nTexto.\n\n```python {#bloque-1 run}\nprint(1)\n```\n\n"
        "```text\nsalida\n```\n\n## Prueba tú\n\n1. Algo.\n");
    struct lesson *l = parse_ok(text);
    const struct lesson_scenario *sc;

    ASSERT_STR(l->title, "Condiciones de carrera");
    ASSERT_EQ(l->order, 3);
    ASSERT_STR(l->chapter, "06_Multithreading");
    ASSERT_STR(l->summary, "Dos \"hilos\", un\tcontador: \xc3\xa9xito");
    ASSERT_EQ(l->title_pos.line, 3);
    ASSERT_EQ(l->title_pos.col, 8);
    ASSERT_EQ(l->nscenarios, 4);
    sc = &l->scenarios[0];
    ASSERT_STR(sc->file, "contador.py");
    ASSERT_PTR(sc->block, NULL);
    ASSERT_STR(sc->title, "Con 'comillas'");
    ASSERT_STR(sc->policy, "preempt");
    ASSERT_EQ(sc->seed, 31);
    ASSERT_EQ(sc->cores, 2);
    ASSERT_EQ(sc->nwatch, 2);
    ASSERT_STR(sc->watch[1], "total");
    ASSERT_STR(sc->expect.output, "uno\ndos");
    ASSERT(sc->expect.has_exit);
    ASSERT_EQ(sc->expect.exit_status, 1);
    ASSERT_EQ(sc->expect.pos.line, 15);
    ASSERT_EQ(sc->expect.pos.col, 5);
    ASSERT_EQ(sc->python, LESSON_PYTHON_DIFFERS);
    sc = &l->scenarios[1];
    ASSERT_STR(sc->block, "bloque-1");
    ASSERT_STR(sc->policy, "gil");
    ASSERT_EQ(sc->seed, 0);
    ASSERT_STR(sc->watch[0], "año");
    ASSERT_STR(sc->expect.output, "");
    ASSERT_EQ(sc->python, LESSON_PYTHON_SAME);
    sc = &l->scenarios[2];
    ASSERT_STR(sc->policy, "rr:3");
    ASSERT_EQ(sc->expect.noutcomes, 3);
    ASSERT_STR(sc->expect.outcomes[1], "3");
    ASSERT_STR(sc->expect.outcomes[2], "cuatro");
    ASSERT_EQ(sc->expect.seeds, 40);
    ASSERT(!sc->expect.has_exit);
    sc = &l->scenarios[3];
    ASSERT(sc->expect.deadlock);
    ASSERT_STR(sc->expect.output, "a");
    /* The body: two fenced blocks, the first runnable. */
    ASSERT_EQ(l->nblocks, 2);
    ASSERT_STR(l->blocks[0].lang, "python");
    ASSERT_STR(l->blocks[0].id, "bloque-1");
    ASSERT(l->blocks[0].run);
    ASSERT_STR(l->blocks[0].text, "print(1)\n");
    ASSERT_EQ(l->blocks[0].pos.line, 40);
    ASSERT_STR(l->blocks[1].lang, "text");
    ASSERT_PTR(l->blocks[1].id, NULL);
    ASSERT(!l->blocks[1].run);
    ASSERT(lesson_block_find(l, "bloque-1") == &l->blocks[0]);
    ASSERT_PTR(lesson_block_find(l, "nada"), NULL);
    ASSERT(l->doc != NULL);
    lesson_free(l);
    free(text);
}

TEST(lesson_parse_minimal)
{
    char *text = doc(HEAD, BODY);
    struct lesson *l = parse_ok(text);
    char *dir;

    ASSERT_EQ(l->nscenarios, 0);
    ASSERT_EQ(l->body_line, 7);
    dir = lesson_dir(l);
    ASSERT_STR(dir, ".");
    free(dir);
    lesson_free(l);
    free(text);
    /* An empty front matter parses, then misses its keys. */
    expect_error("---\n---\n" BODY,
                 "l.md:1:1: expected the key 'title' in the front matter");
}

TEST(lesson_fm_syntax_errors)
{
    expect_error("title: T\n",
                 "l.md:1:1: expected '---' alone on the first line, to open "
                 "the front matter");
    expect_error("\xef\xbb\xbf---\n" HEAD "---\n" BODY,
                 "l.md:1:1: expected '---' alone on the first line, to open "
                 "the front matter");
    expect_error("---\n" HEAD,
                 "l.md:6:1: expected a line '---' to close the front matter "
                 "opened at line 1");
    fm_error(HEAD "titel: x\n",
             "l.md:6:1: expected one of the keys title, order, chapter, "
             "summary, scenarios; found 'titel'");
    fm_error(HEAD "title: otra\n",
             "l.md:6:1: expected each key once: 'title' is already at line "
             "2");
    fm_error(" title: T\n",
             "l.md:2:2: expected an indentation of 0 spaces, found 1");
    fm_error(HEAD "scenarios:\n  - file: a.py\n   title: x\n",
             "l.md:8:4: expected an indentation of 4 spaces, found 3");
    fm_error(HEAD "scenarios:\n  - file: a.py\n     title: x\n",
             "l.md:8:6: expected an indentation of 4 spaces, found 5");
    fm_error(HEAD "scenarios:\n- file: a.py\n",
             "l.md:6:11: expected a value after 'scenarios:', on the same "
             "line or indented by two more spaces on the next");
    fm_error(HEAD "scenarios:\n    - file: a.py\n",
             "l.md:7:5: expected an indentation of 2 spaces, found 4");
    fm_error(HEAD "scenarios:\n  - file: a.py\n  title: x\n",
             "l.md:8:3: expected a list item ('- ') like the ones above it");
    fm_error(HEAD "scenarios:\n  -  file: a.py\n",
             "l.md:7:5: expected one space after '-', found more");
    fm_error(HEAD "scenarios:\n  -\n",
             "l.md:7:3: expected a value after '- '");
    fm_error(HEAD "- a\n",
             "l.md:6:1: expected a key, found a list item: a list goes under "
             "a key, two spaces further in");
    fm_error(HEAD "scenarios:\n\t- file: a.py\n",
             "l.md:7:1: expected spaces for indentation, found a tab");
    fm_error("title: T\r\n",
             "l.md:2:9: expected a line feed, found a carriage return: save "
             "the file with Unix line endings");
    fm_error("title:T\n", "l.md:2:7: expected a space after 'title:'");
    fm_error("title T\n", "l.md:2:6: expected ':' after the key 'title'");
    fm_error(": T\n",
             "l.md:2:1: expected a key (letters, digits and '_') followed by "
             "':'");
    fm_error("title:\n",
             "l.md:2:7: expected a value after 'title:', on the same line or "
             "indented by two more spaces on the next");
}

TEST(lesson_fm_value_errors)
{
    fm_error("title: \"abc\n",
             "l.md:2:12: expected '\"' to close the string opened at column "
             "8");
    fm_error("title: 'abc\n",
             "l.md:2:12: expected \"'\" to close the string opened at column "
             "8");
    /* Columns count characters: "ñandú" is 5 of them. */
    fm_error("title: \"ñandú\n",
             "l.md:2:14: expected '\"' to close the string opened at column "
             "8");
    fm_error("title: \"a\\qb\"\n",
             "l.md:2:10: expected one of the escapes \\\" \\\\ \\n \\t \\/ "
             "\\uXXXX");
    fm_error("title: \"\\u12\"\n",
             "l.md:2:9: expected four hexadecimal digits after '\\u'");
    fm_error("title: \"\\ud800\"\n",
             "l.md:2:9: expected a character, not \\uD800");
    fm_error("title: \"a\" b\n",
             "l.md:2:12: expected the end of the line after the value, "
             "found 'b'");
    fm_error("title: a: b\n",
             "l.md:2:9: expected no ': ' inside a plain value: quote the "
             "value");
    fm_error("title: *ancla\n",
             "l.md:2:8: expected a value; a value starting with '*' must be "
             "quoted");
    fm_error("title: |\n",
             "l.md:2:8: expected a value on this line: block strings ('|') "
             "are not part of the format; write \"...\\n...\"");
    fm_error("title: {a: 1}\n",
             "l.md:2:8: expected a value: '{' maps are not part of the "
             "format; write the keys on their own lines");
    fm_error("title: [a, b\n",
             "l.md:2:13: expected ']' to close the list opened at column 8 "
             "(a list stays on one line)");
    fm_error("title: [a, ]\n", "l.md:2:12: expected a list item after ','");
    fm_error("title: [[a]]\n",
             "l.md:2:9: expected a string or a number as a list item, found "
             "'['");
    fm_error("title: [\"a\" \"b\"]\n",
             "l.md:2:13: expected ',' or ']' after a list item");
    fm_error("order: 99999999999999999999\n",
             "l.md:2:8: expected an integer that fits in 64 bits");
}

TEST(lesson_schema_errors)
{
    fm_error("title: no\norder: 1\nchapter: c\nsummary: s\n",
             "l.md:2:8: expected a string for 'title': write \"no\" in "
             "quotes (YAML reads it otherwise)");
    fm_error("title: 1.5\norder: 1\nchapter: c\nsummary: s\n",
             "l.md:2:8: expected a string for 'title': write \"1.5\" in "
             "quotes (YAML reads it otherwise)");
    fm_error("title: 1984\norder: 1\nchapter: c\nsummary: s\n",
             "l.md:2:8: expected a string for 'title', found an integer");
    fm_error("title: \" \"\norder: 1\nchapter: c\nsummary: s\n",
             "l.md:2:8: expected some text for 'title', found an empty "
             "string");
    fm_error("title: T\norder: \"3\"\nchapter: c\nsummary: s\n",
             "l.md:3:8: expected an integer for 'order', found a string");
    fm_error("title: T\norder: 0\nchapter: c\nsummary: s\n",
             "l.md:3:8: expected an integer from 1 to 999 for 'order', found "
             "0");
    fm_error("title: T\norder: 1\nchapter: a/b\nsummary: s\n",
             "l.md:4:10: expected a chapter folder name like "
             "06_Multithreading, found 'a/b'");
    fm_error("title: T\norder: 1\nchapter: c\n",
             "l.md:1:1: expected the key 'summary' in the front matter");
    fm_error(HEAD "scenarios: a.py\n",
             "l.md:6:12: expected a list of scenarios ('- file: ...' lines), "
             "found a string");
    fm_error(HEAD "scenarios:\n  - a.py\n",
             "l.md:7:5: expected a scenario (file: or block:, title:, "
             "expect:...), found a string");
    fm_error(HEAD "scenarios:\n  - title: x\n",
             "l.md:7:5: expected 'file' or 'block' in this scenario");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    block: b\n",
             "l.md:8:5: expected either 'file' or 'block' in a scenario, not "
             "both");
    fm_error(HEAD "scenarios:\n  - file: ../a.py\n",
             "l.md:7:11: expected the name of a .py file beside the lesson, "
             "found '../a.py'");
    fm_error(HEAD "scenarios:\n  - file: a.txt\n",
             "l.md:7:11: expected the name of a .py file beside the lesson, "
             "found 'a.txt'");
    fm_error(HEAD "scenarios:\n  - block: a b\n",
             "l.md:7:12: expected a block id (letters, digits, '_' and '-'), "
             "found 'a b'");
    fm_error(HEAD "scenarios:\n  - file: a.py\n",
             "l.md:7:5: expected 'title' in this scenario");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n",
             "l.md:7:5: expected 'expect' in this scenario: what running it "
             "must give");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    policy: rr:0\n",
             "l.md:9:13: expected a policy: gil, fifo, preempt or rr:N; "
             "found 'rr:0'");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    policy: random\n",
             "l.md:9:13: expected a policy: gil, fifo, preempt or rr:N; "
             "found 'random'");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    seed: -1\n",
             "l.md:9:11: expected an integer from 0 to 9223372036854775807 "
             "for 'seed', found -1");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    cores: 65\n",
             "l.md:9:12: expected an integer from 1 to 64 for 'cores', found "
             "65");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    watch: contador\n",
             "l.md:9:12: expected a list for 'watch', like [\"a\", \"b\"]; "
             "found a string");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    watch: [a, mi-var]\n",
             "l.md:9:16: expected a Python variable name to watch, found "
             "'mi-var'");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    watch: [a, 2b]\n",
             "l.md:9:16: expected a string in the list 'watch': write \"2b\" "
             "in quotes");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    python: maybe\n",
             "l.md:9:13: expected 'same' or 'differs' for 'python', found "
             "'maybe'");
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    python: same\n    expect:\n      exit: 0\n",
             "l.md:9:13: expected 'output' under 'expect:' with 'python: "
             "same'");
}

TEST(lesson_expect_errors)
{
#define SC HEAD "scenarios:\n  - file: a.py\n    title: x\n    expect:\n"
    fm_error(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
             "    expect: \"4\"\n",
             "l.md:9:13: expected keys under 'expect:' (output, outcomes, "
             "deadlock or exit), found a string");
    fm_error(SC "      salida: \"4\"\n",
             "l.md:10:7: expected one of the keys output, outcomes, seeds, "
             "deadlock, exit; found 'salida'");
    fm_error(SC "      output: 4\n",
             "l.md:10:15: expected a string for 'output', found an integer");
    fm_error(SC "      output: \"4\"\n      outcomes: [\"4\"]\n",
             "l.md:11:7: expected either 'output' or 'outcomes', not both");
    fm_error(SC "      outcomes: [2, 3]\n      seeds: 4\n",
             "l.md:10:18: expected a string in the list 'outcomes': write "
             "\"2\" in quotes");
    fm_error(SC "      outcomes: []\n      seeds: 4\n",
             "l.md:10:17: expected at least one outcome");
    fm_error(SC "      outcomes: [\"2\", \"2\"]\n      seeds: 4\n",
             "l.md:10:23: expected each outcome once");
    fm_error(SC "      outcomes: [\"2\"]\n",
             "l.md:10:7: expected 'seeds: N' beside 'outcomes': how many "
             "seeds to run");
    fm_error(SC "      outcomes: [\"2\"]\n      seeds: 0\n",
             "l.md:11:14: expected an integer from 1 to 1000 for 'seeds', "
             "found 0");
    fm_error(SC "      output: \"2\"\n      seeds: 3\n",
             "l.md:11:7: expected 'seeds' only beside 'outcomes'");
    fm_error(SC "      deadlock: yes\n",
             "l.md:10:17: expected true for 'deadlock', found a string");
    fm_error(SC "      deadlock: false\n",
             "l.md:10:17: expected true for 'deadlock'; leave the key out "
             "when the scenario does not deadlock");
    fm_error(SC "      deadlock: true\n      exit: 3\n",
             "l.md:11:7: expected either 'deadlock' or 'exit', not both: a "
             "deadlock exits with status 3");
    fm_error(SC "      exit: 256\n",
             "l.md:10:13: expected an integer from 0 to 255 for 'exit', "
             "found 256");
    fm_error(SC "      # nothing\n",
             "l.md:9:12: expected a value after 'expect:', on the same line "
             "or indented by two more spaces on the next");
#undef SC
}

TEST(lesson_body_errors)
{
#define RUNSC HEAD "scenarios:\n  - block: b\n    title: x\n" \
              "    expect:\n      output: \"1\"\n"
    body_error(HEAD, "\n# Título\n" BODY,
               "l.md:8:1: expected sections as '##' headings: the title "
               "comes from the front matter");
    body_error(HEAD, "\nTexto.\n",
               "l.md:9:1: expected a '## Prueba tú' section with exercises");
    body_error(HEAD, "\n## Prueba tu\n\n1. x\n",
               "l.md:8:1: expected the heading '## Prueba tú', found 'Prueba "
               "tu'");
    body_error(HEAD, "\n### Prueba tú\n\n1. x\n",
               "l.md:8:1: expected '## Prueba tú' as a level-2 heading");
    body_error(HEAD, BODY "\n## Prueba tú\n\n2. y\n",
               "l.md:14:1: expected one '## Prueba tú' section; the first is "
               "at line 10");
    body_error(HEAD, "\n## Prueba tú\n\n## Otra cosa\n",
               "l.md:8:1: expected exercises under '## Prueba tú'");
    body_error(HEAD, "\n## Prueba tú\n",
               "l.md:8:1: expected exercises under '## Prueba tú'");
    body_error(RUNSC, BODY,
               "l.md:7:12: expected a code block marked {#b run} in the "
               "lesson; there is none");
    body_error(RUNSC, "\n```python {#b}\nprint(1)\n```\n" BODY,
               "l.md:7:12: expected the block 'b' (line 13) to be marked "
               "run: ```python {#b run}");
    body_error(HEAD, "\n```python {#b run}\nprint(1)\n```\n" BODY,
               "l.md:8:1: expected a scenario for the runnable block 'b': "
               "add '- block: b' under scenarios");
    body_error(HEAD, "\n```python {run}\nx\n```\n" BODY,
               "l.md:8:1: expected '#id' beside 'run': a scenario names the "
               "block by its id");
    body_error(HEAD, "\n```text {#b run}\nx\n```\n" BODY,
               "l.md:8:1: expected 'python' as the language of a runnable "
               "block, found 'text'");
    body_error(HEAD, "\n```python {#b exec}\nx\n```\n" BODY,
               "l.md:8:1: expected '#id' or 'run' in the braces of the code "
               "block, found 'exec'");
    body_error(HEAD, "\n```python {#b\nx\n```\n" BODY,
               "l.md:8:1: expected '}' to close the attributes of the code "
               "block");
    body_error(HEAD, "\n```python #b run\nx\n```\n" BODY,
               "l.md:8:1: expected '{#id run}' after the language of the "
               "code block, found '#b run'");
    body_error(HEAD, "\n```python {#a #b}\nx\n```\n" BODY,
               "l.md:8:1: expected one '#id' per code block");
    body_error(HEAD, "\n```python {#a}\nx\n```\n\n  ```text {#a}\n  y\n  ```\n"
               BODY,
               "l.md:12:3: expected each block id once: 'a' is already at "
               "line 8");
    /* Position checks beyond the front matter. */
    expect_error("---\n" HEAD "---\nca\xf1\xf1o\n",
                 "l.md:7:3: expected UTF-8 text, found the byte 0xf1");
    {
        static const char nul[] = "---\ntitle: a\0b\n---\n";

        struct diag d;

        ASSERT_PTR(lesson_parse("l.md", nul, sizeof nul - 1, &d), NULL);
        ASSERT_STR(d.msg, "expected text, found a NUL byte");
        ASSERT_EQ(d.line, 2);
        ASSERT_EQ(d.col, 9);
    }
#undef RUNSC
}

TEST(lesson_source_checks)
{
    char *text = doc(HEAD "scenarios:\n  - file: a.py\n    title: x\n"
                     "    watch: [contador]\n    expect:\n      exit: 0\n",
                     BODY);
    struct lesson *l = parse_ok(text);
    const struct lesson_scenario *sc = &l->scenarios[0];
    struct diag d;
    char buf[1024];

    ASSERT_EQ(lesson_check_source(l, sc, "contador = 0\n# telar: hola\n",
                                  "a.py", 1, &d), 0);
    /* Whole words only: "contadores" is not "contador". */
    ASSERT_EQ(lesson_check_source(l, sc, "contadores = 0\n", "a.py", 1, &d),
              -1);
    diag_format(&d, buf, sizeof buf);
    ASSERT_STR(buf, "l.md:9:12: expected the watched name 'contador' in the "
                    "scenario's code");
    ASSERT_EQ(lesson_check_source(l, sc, "contador = 1\n\nx = 2  # telar:  \n",
                                  "a.py", 1, &d), -1);
    diag_format(&d, buf, sizeof buf);
    ASSERT_STR(buf, "a.py:3:8: expected a caption after '# telar:'");
    ASSERT_EQ(lesson_check_source(l, sc, "contador = 1\n#telar: x\n", "l.md",
                                  20, &d), -1);
    diag_format(&d, buf, sizeof buf);
    ASSERT_STR(buf, "l.md:21:1: expected '# telar: ' with a space after '#'");
    lesson_free(l);
    free(text);
}

TEST(catalog_parse_small)
{
    static const char text[] =
        "# comentario\n"
        "\n"
        "00_Intro | Introducción\n"
        "    uno.md   | written | Uno | Primero\n"
        "    dos.py   | todo    | Dos | Segundo\n"
        "01_Más | Otro capítulo\n"
        "\tdiseño.md | todo | Diseño | Tercero\n";
    struct diag d;
    struct catalog *c = catalog_parse("c.txt", text, sizeof text - 1, &d);
    const struct catalog_lesson *le;

    ASSERT(c != NULL);
    ASSERT_EQ(c->nchapters, 2);
    ASSERT_EQ(c->nlessons, 3);
    ASSERT_STR(c->chapters[0].title, "Introducción");
    ASSERT_EQ(c->chapters[0].first, 0);
    ASSERT_EQ(c->chapters[0].nlessons, 2);
    ASSERT_EQ(c->chapters[1].first, 2);
    le = catalog_find(c, "00_Intro/dos");
    ASSERT(le != NULL);
    ASSERT_STR(le->entry, "dos.py");
    ASSERT(le->from_py);
    ASSERT(!le->written);
    ASSERT_EQ(le->order, 2);
    ASSERT_EQ(le->line, 5);
    le = catalog_find(c, "01_Más/diseño");
    ASSERT(le != NULL);
    ASSERT_EQ(le->order, 1);
    ASSERT_STR(le->summary, "Tercero");
    ASSERT(catalog_find(c, "00_Intro/uno")->written);
    ASSERT_PTR(catalog_find(c, "00_Intro/tres"), NULL);
    catalog_free(c);
}

static void
catalog_error_(const char *text, const char *want, int line)
{
    struct diag d;
    struct catalog *c = catalog_parse("c.txt", text, strlen(text), &d);
    char buf[1024];

    if (c != NULL) {
        catalog_free(c);
        TAP_FAIL_("line %d: no error, expected %s", line, want);
    }
    diag_format(&d, buf, sizeof buf);
    if (strcmp(buf, want) != 0) {
        TAP_FAIL_("line %d:\n#   got:  %s\n#   want: %s", line, buf, want);
    }
}
#define catalog_error(text, want) catalog_error_((text), (want), __LINE__)

TEST(catalog_errors)
{
    catalog_error("    a.md | todo | A | a\n",
                  "c.txt:1:5: expected a chapter line (not indented) before "
                  "the first lesson");
    catalog_error("cap\n", "c.txt:1:1: expected a chapter: 'FOLDER | Title'");
    catalog_error("cap | A | B\n",
                  "c.txt:1:1: expected a chapter: 'FOLDER | Title'");
    catalog_error("cap | C\n    a.md | todo | A\n",
                  "c.txt:2:5: expected a lesson: 'FILE | written or todo | "
                  "Title | Summary'");
    catalog_error("cap | C\n    a.txt | todo | A | a\n",
                  "c.txt:2:5: expected the name of a .md or .py file of the "
                  "curriculum");
    catalog_error("cap | C\n    a.md | hecho | A | a\n",
                  "c.txt:2:12: expected 'written' or 'todo'");
    catalog_error("cap | C\n    a.md | todo |  | a\n",
                  "c.txt:2:20: expected a title and a summary");
    catalog_error("cap | C\n    a.md | todo | A | a\n    a.py | todo | B | b\n",
                  "c.txt:3:5: expected each lesson once");
    catalog_error("cap | C\ncap | D\n", "c.txt:2:1: expected each chapter "
                  "once");
    catalog_error("cap | C\xff\n", "c.txt:1:8: expected UTF-8 text");
}

/* The shipped catalogue: the curriculum's 12 chapters and 45 lessons, and
 * every lesson marked written parses. */
TEST(catalog_shipped)
{
    const char *top = getenv("top_srcdir");
    char *path = xasprintf("%s/lessons/catalog.txt", top ? top : "..");
    struct diag d;
    struct catalog *c = catalog_load(path, &d);
    size_t written = 0;

    if (c == NULL) {
        char buf[1024];

        diag_format(&d, buf, sizeof buf);
        TAP_FAIL_("%s", buf);
    }
    ASSERT_EQ(c->nchapters, 12);
    ASSERT_EQ(c->nlessons, 45);
    ASSERT_STR(c->chapters[9].id, "09_Medicion_Y_Optimización");
    ASSERT_STR(catalog_find(c, "06_Multithreading/race_conditions")->title,
               "Condiciones de carrera");
    ASSERT(catalog_find(c, "01_Async_Await_Fundamentos/event_loop")->from_py);
    ASSERT(catalog_find(c, "07_Pipelines_De_Datos/diseño_pipelines") != NULL);
    for (size_t i = 0; i < c->nlessons; i++) {
        const struct catalog_lesson *le = &c->lessons[i];
        char *lp;
        struct lesson *l;

        if (!le->written) {
            continue;
        }
        written++;
        lp = xasprintf("%s/lessons/%s.md", top ? top : "..", le->id);
        l = lesson_load(lp, &d);
        if (l == NULL) {
            char buf[1024];

            diag_format(&d, buf, sizeof buf);
            TAP_FAIL_("%s", buf);
        }
        ASSERT_STR(l->title, le->title);
        ASSERT_EQ(l->order, le->order);
        ASSERT_STR(l->chapter, le->chapter);
        lesson_free(l);
        free(lp);
    }
    ASSERT(written >= 3);
    catalog_free(c);
    free(path);
}
