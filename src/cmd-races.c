/*
 * telar races LOG: the data races of log/races.c over an event log
 * written by `telar run --races --log LOG`, reported as `telar run
 * --races` reports them at the end of a run.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log/evlog.h"
#include "log/races.h"
#include "util/util.h"

#define CMD_RACES_USAGE 2

static void
races_usage(FILE *f)
{
    fprintf(f, "%s", _(
"Usage: telar races LOG\n"
"Report the data races of a run recorded with\n"
"'telar run --races --log LOG': pairs of accesses to shared data, at\n"
"least one a write, from threads that nothing (a lock, a queue, a start,\n"
"a join) orders, one sentence each.\n"
"\n"
"Exit status: 0 with no races, 1 with races, 2 for a usage error or a\n"
"log that cannot be read or was recorded without --races.\n"));
}

static int
cmd_races_exec(int argc, char **argv)
{
    struct evlog_reader *r;
    struct races *rs;
    struct diag d;
    int rc;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        races_usage(stdout);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "telar races: %s\n%s\n",
                argc < 2 ? _("missing the event LOG")
                : argv[1][0] == '-' && argc == 2 ? _("unknown option")
                : _("only one LOG at a time"),
                _("Try 'telar races --help' for more information."));
        return CMD_RACES_USAGE;
    }
    r = evlog_open(argv[1], &d);
    if (r == NULL) {
        fprintf(stderr, "telar races: %s: %s\n", argv[1], d.msg);
        return CMD_RACES_USAGE;
    }
    rs = races_new();
    rc = races_scan(rs, r, &d);
    evlog_close(r);
    if (rc < 0) {
        fprintf(stderr, "telar races: %s: %s\n", argv[1], d.msg);
        races_free(rs);
        return CMD_RACES_USAGE;
    }
    if (!races_recorded(rs)) {
        fprintf(stderr, "telar races: %s: %s\n", argv[1],
                _("the run was recorded without --races: record it with "
                  "'telar run --races --log LOG'"));
        races_free(rs);
        return CMD_RACES_USAGE;
    }
    races_print(rs, stdout);
    rc = races_count(rs) > 0 ? 1 : 0;
    races_free(rs);
    return rc;
}

const struct cmd_entry cmd_races_entry = {
    .name = "races",
    .summary = N_("report the data races of a recorded run"),
    .exec = cmd_races_exec,
};
