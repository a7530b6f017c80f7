/*
 * Subcommands: one file each (cmd-*.c), listed in main.c's table.
 */
#ifndef TELAR_CMD_H
#define TELAR_CMD_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct diag;
struct tty_options;

struct cmd_entry {
    const char *name;
    const char *summary;        /* one line for --help, untranslated */
    int (*exec)(int argc, char **argv);
};

extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_view_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_lint_entry;
extern const struct cmd_entry cmd_diff_entry;
extern const struct cmd_entry cmd_explore_entry;
extern const struct cmd_entry cmd_races_entry;

/* A directory of telar's: $var when set and not empty, else name beside
 * this binary when that is a directory (the build tree, written into buf),
 * else installed (main.c). */
const char *cmd_finddir(const char *var, const char *name,
                        const char *installed, char *buf, size_t size);
/* The directory of telar's data (samples, python helper): $TELAR_DATADIR,
 * the build tree beside the binary, or the installed one.  Static storage. */
const char *cmd_datadir(void);
/* A decimal number with nothing around it into *out: 0, or -1 (main.c). */
int cmd_parse_u64(const char *s, uint64_t *out);
/* Start this program again (argv: "telar" "run" ...) with address-space
 * randomisation off, so that object addresses (and so reprs and
 * id()-ordered output) repeat from run to run.  Returns, doing nothing,
 * when it is off already or the kernel refuses (main.c). */
void cmd_reexec_without_aslr(char **argv);
/* The lessons: $TELAR_LESSONSDIR, lessons/ beside the binary in the build
 * tree, or $(pkgdatadir)/lessons.  Static storage (cmd-check.c). */
const char *cmd_lessonsdir(void);

/* telar with no command (lesson NULL: the lesson browser) or with a
 * lesson's id or path (cmd-lessons.c).  The exit status. */
int cmd_lessons(const struct tty_options *o, const char *lesson);

/* The full-screen interface (cmd-view.c): take the terminal, make the
 * loop, let open push the first pages (open(NULL, ...) only frees what arg
 * holds, when there will be no loop), run until the last page closes or
 * the user quits, give the terminal back.  open returns 0, or -1 with d.
 * Returns the exit status (1 with a message on stderr when the terminal
 * or the loop cannot start); ended by a signal, dies of it. */
int cmd_tui(const struct tty_options *o,
            int (*open)(struct loop *l, void *arg, struct diag *d),
            void *arg);

#endif
