/*
 * telar's command line: global options (--help, --version, --lang) and the
 * table of subcommands (cmd-*.c).  With no subcommand, telar opens the
 * lesson browser; with a lesson's id or path, that lesson (cmd-lessons.c).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/engine.h"
#include "tui/tty.h"
#include "util/util.h"

static const struct cmd_entry *const cmd_table[] = {
    &cmd_run_entry,
    &cmd_log_entry,
    &cmd_view_entry,
    &cmd_check_entry,
    &cmd_lint_entry,
    &cmd_diff_entry,
    &cmd_explore_entry,
    &cmd_races_entry,
};

#define NCMDS (sizeof cmd_table / sizeof cmd_table[0])

static void
usage(FILE *f)
{
    fprintf(f, "%s", _(
"Usage: telar [OPTION]... [LESSON]\n"
"  or:  telar COMMAND [ARG]...\n"
"Make concurrency visible: run Python scenarios under a deterministic\n"
"scheduler and show, step by step, what each thread and task does.\n"
"\n"
"Commands:\n"));
    for (size_t i = 0; i < NCMDS; i++) {
        fprintf(f, "  %-8s %s\n", cmd_table[i]->name,
                _(cmd_table[i]->summary));
    }
    fprintf(f, "%s", _(
"\n"
"Options:\n"
"  --lang LANG  messages in LANG (es, en), before or after the command\n"
"  --no-color   no colours (as does a non-empty NO_COLOR)\n"
"  --ascii      ASCII glyphs only (automatic when the locale is not UTF-8)\n"
"  --no-mouse   leave the mouse to the terminal\n"
"  --help       show this help and exit\n"
"  --version    show version information and exit\n"
"\n"
"With no command, telar opens the lesson browser; with a LESSON (an id\n"
"such as 06/race_conditions, or the path of a lesson's .md), that lesson.\n"
"Both need a terminal.  See 'telar COMMAND --help' for a command's\n"
"options.\n"));
}

const char *
cmd_finddir(const char *var, const char *name, const char *installed,
            char *buf, size_t size)
{
    const char *env = getenv(var);
    char exe[PATH_MAX];
    ssize_t n;
    struct stat st;

    if (env != NULL && *env != '\0') {
        return env;
    }
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        snprintf(buf, size, "%s/%s", dirname(exe), name);
        if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) {
            return buf;
        }
    }
    return installed;
}

int
cmd_parse_u64(const char *s, uint64_t *out)
{
    char *end;

    errno = 0;
    if (*s == '-' || *s == '\0') {
        return -1;
    }
    *out = strtoull(s, &end, 10);
    return errno == 0 && *end == '\0' ? 0 : -1;
}

void
cmd_reexec_without_aslr(char **argv)
{
    int pers = personality(0xffffffff);

    if (pers == -1 || (pers & ADDR_NO_RANDOMIZE)
        || getenv("TELAR_KEEP_ASLR") != NULL) {
        return;
    }
    if (personality((unsigned long)pers | ADDR_NO_RANDOMIZE) == -1) {
        return;
    }
    execv("/proc/self/exe", argv);
    personality((unsigned long)pers);
}

const char *
cmd_datadir(void)
{
    static char dir[PATH_MAX];

    return cmd_finddir("TELAR_DATADIR", "data", TELAR_DATADIR, dir,
                       sizeof dir);
}

/* Take --lang LANG / --lang=LANG out of argv, wherever it stands before
 * a "--".  Its value, or NULL; "" when it lacks one. */
static const char *
take_lang(int *argc, char **argv)
{
    const char *lang = NULL;
    int out = 1;

    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < *argc) {
                argv[out++] = argv[i++];
            }
            break;
        }
        if (strcmp(argv[i], "--lang") == 0) {
            lang = i + 1 < *argc ? argv[++i] : "";
        } else if (strncmp(argv[i], "--lang=", 7) == 0) {
            lang = argv[i] + 7;
        } else {
            argv[out++] = argv[i];
        }
    }
    argv[out] = NULL;
    *argc = out;
    return lang;
}

/* Messages in lang: gettext reads LANGUAGE first (children inherit it
 * too), but not in the C locale, where it would stay English. */
static void
set_lang(const char *lang)
{
    const char *cur = setlocale(LC_MESSAGES, NULL);

    setenv("LANGUAGE", lang, 1);
    if (cur == NULL || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0) {
        setlocale(LC_MESSAGES, "C.UTF-8");
    }
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "no-color", no_argument, NULL, 'c' },
        { "ascii", no_argument, NULL, 'a' },
        { "no-mouse", no_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 }
    };
    struct tty_options to = { 0 };
    const char *lang;
    int c;

    setlocale(LC_ALL, "");
    lang = take_lang(&argc, argv);
    if (lang != NULL && lang[0] != '\0') {
        set_lang(lang);
    }
#ifdef ENABLE_NLS
    {
        /* TELAR_LOCALEDIR: catalogues outside the installed prefix (the
         * test suite uses the build tree's). */
        const char *dir = getenv("TELAR_LOCALEDIR");

        bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir
                                                            : LOCALEDIR);
        textdomain(PACKAGE);
    }
#endif
    if (lang != NULL && lang[0] == '\0') {
        fprintf(stderr, "%s\n", _("telar: --lang needs a language, such as "
                                  "es or en"));
        return ENGINE_EXIT_USAGE;
    }
    if (argc > 1 && strcmp(argv[1], ENGINE_CHILD_ARG) == 0) {
        /* A process that multiprocessing's spawn started: not a command
         * for people, so neither listed nor parsed as one. */
        return engine_child_main(argc - 1, argv + 1);
    }
    if (argc > 1 && argv[1][0] != '-') {
        for (size_t i = 0; i < NCMDS; i++) {
            if (strcmp(argv[1], cmd_table[i]->name) == 0) {
                return cmd_table[i]->exec(argc - 1, argv + 1);
            }
        }
    }
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("telar %s\n", PACKAGE_VERSION);
            printf(_("embedded %s\n"), engine_python_version());
            return 0;
        case 'c':
            to.no_color = true;
            break;
        case 'a':
            to.ascii = true;
            break;
        case 'm':
            to.no_mouse = true;
            break;
        default:
            fprintf(stderr, "%s\n",
                    _("Try 'telar --help' for more information."));
            return ENGINE_EXIT_USAGE;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, _("telar: unexpected argument '%s'\n"),
                argv[optind + 1]);
        fprintf(stderr, "%s\n", _("Try 'telar --help' for more information."));
        return ENGINE_EXIT_USAGE;
    }
    return cmd_lessons(&to, optind < argc ? argv[optind] : NULL);
}
