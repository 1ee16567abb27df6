/* main.c: the iffnet multi-call binary: one command table (commands.def) drives
 * dispatch, `iffnet --help`, `iffnet help CMD` and the usage test. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

const cli_command_t cli_commands[] = {
#define IFFNET_CMD(name, fn, summary, section) {#name, fn, summary, section},
#include "commands.def"
#undef IFFNET_CMD
};
const size_t cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

static void print_usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet COMMAND [OPTIONS] [ARGS]\n"
            "\n"
            "Follow illicit financial flows: ingest bank exports, analyse the network,\n"
            "detect laundering typologies, trace proceeds and write reports.\n");
    const char *section = NULL;
    for (size_t i = 0; i < cli_n_commands; i++) {
        if (!section || strcmp(section, cli_commands[i].section) != 0) {
            section = cli_commands[i].section;
            fprintf(fp, "\n%s:\n", section);
        }
        fprintf(fp, "  %-12s %s\n", cli_commands[i].name, cli_commands[i].summary);
    }
    fprintf(fp,
            "\n"
            "  iffnet help COMMAND    help for one command (also: iffnet COMMAND --help)\n"
            "  iffnet --version       versions of iffnet, igraph, GSL and GLPK\n"
            "\n"
            "Exit status: 0 success, 1 bad input or data, 2 usage error, 3 internal error.\n");
}

static const cli_command_t *find_command(const char *name)
{
    for (size_t i = 0; i < cli_n_commands; i++)
        if (strcmp(cli_commands[i].name, name) == 0) return &cli_commands[i];
    return NULL;
}

/* Makes a full write of stdout an error instead of a silent loss. A command
 * that failed has said why already (often this very error): one message. */
static int finish_stdout(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (status == 0) fprintf(stderr, "iffnet: cannot write to standard output\n");
        return status ? status : CLI_EXIT_DATA;
    }
    return status;
}

/* SIGINT, SIGTERM, SIGHUP: remove the temporary files of outputs being written,
 * then die of the signal as if it had not been caught. */
static void on_fatal_signal(int sig)
{
    iffnet_out_cleanup_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_fatal_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* A signal ignored by whoever started us (nohup) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

int main(int argc, char **argv)
{
    iffnet_init_libraries(1);
    /* The environment is read here and in cli.c only; the library gets settings. */
    const char *threads = getenv("IFFNET_THREADS");
    if (threads && strcmp(threads, "1") == 0) iffnet_set_threads(1);
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_usage(stdout);
        return finish_stdout(CLI_EXIT_OK);
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        iffnet_print_versions(stdout);
        return finish_stdout(CLI_EXIT_OK);
    }
    if (strcmp(name, "help") == 0) {
        if (argc < 3) {
            print_usage(stdout);
            return finish_stdout(CLI_EXIT_OK);
        }
        const cli_command_t *cmd = find_command(argv[2]);
        if (!cmd) {
            fprintf(stderr, "iffnet: unknown command '%s' (see 'iffnet --help')\n", argv[2]);
            return CLI_EXIT_USAGE;
        }
        char prog[64], help[] = "--help";
        snprintf(prog, sizeof prog, "iffnet %s", cmd->name);
        char *hargv[] = {prog, help, NULL};
        cli_cmd = cmd->name;
        return finish_stdout(cmd->run(2, hargv));
    }
    const cli_command_t *cmd = find_command(name);
    if (!cmd) {
        fprintf(stderr, "iffnet: unknown command '%s' (see 'iffnet --help')\n", name);
        return CLI_EXIT_USAGE;
    }
    cli_cmd = cmd->name;
    cli_argc = argc - 1;
    cli_argv = argv + 1;
    catch_fatal_signals();
    /* -q silences warnings printed while options are parsed, wherever it stands. */
    for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
        if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) cli_quiet = 1;
    /* getopt names argv[0] in its messages: make them read "iffnet CMD: ...". */
    char prog[64];
    snprintf(prog, sizeof prog, "iffnet %s", cmd->name);
    argv[1] = prog;
    return finish_stdout(cmd->run(argc - 1, argv + 1));
}
