/*
 * telar's command line: global options (--help, --version) and the table
 * of subcommands (cmd-*.c).  With no subcommand, telar runs its sample
 * scenario headless (the lesson browser will take this place).
 */
#include "config.h"

#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "engine/engine.h"
#include "util/util.h"

static const struct cmd_entry *const cmd_table[] = {
    &cmd_run_entry,
    &cmd_log_entry,
    &cmd_view_entry,
    &cmd_check_entry,
    &cmd_lint_entry,
    &cmd_diff_entry,
};

#define NCMDS (sizeof cmd_table / sizeof cmd_table[0])

static void
usage(FILE *f)
{
    fprintf(f, "%s", _(
"Usage: telar [OPTION]...\n"
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
"  --help       show this help and exit\n"
"  --version    show version information and exit\n"
"\n"
"With no command, telar runs its sample scenario headless.\n"
"See 'telar COMMAND --help' for a command's options.\n"));
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

const char *
cmd_datadir(void)
{
    static char dir[PATH_MAX];

    return cmd_finddir("TELAR_DATADIR", "data", TELAR_DATADIR, dir,
                       sizeof dir);
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    int c;

    setlocale(LC_ALL, "");
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
    if (argc > 1 && argv[1][0] != '-') {
        for (size_t i = 0; i < NCMDS; i++) {
            if (strcmp(argv[1], cmd_table[i]->name) == 0) {
                return cmd_table[i]->exec(argc - 1, argv + 1);
            }
        }
        fprintf(stderr, _("telar: unknown command '%s'\n"), argv[1]);
        fprintf(stderr, "%s\n", _("Try 'telar --help' for more information."));
        return ENGINE_EXIT_USAGE;
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
        default:
            fprintf(stderr, "%s\n",
                    _("Try 'telar --help' for more information."));
            return ENGINE_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("telar: unexpected argument '%s'\n"), argv[optind]);
        return ENGINE_EXIT_USAGE;
    }
    {
        char *sample = xasprintf("%s/samples/hilos.py", cmd_datadir());
        char *args[] = { "run", "--headless", "--timeline", sample, NULL };
        int rc = cmd_run_entry.exec(4, args);

        free(sample);
        return rc;
    }
}
