/*
 * telar's command line: dispatch to a subcommand (cmd-*.c).
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "util/util.h"

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    (void)argc;
    (void)argv;
    printf("%s\n", _("telar"));
    return 0;
}
