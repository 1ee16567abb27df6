/* cmd_communities.c: placeholder until the command is implemented. */
#include "cli.h"

int cmd_communities(int argc, char **argv)
{
    (void)argc; (void)argv;
    cli_error("not implemented yet");
    return CLI_EXIT_INTERNAL;
}
