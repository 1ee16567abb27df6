/* cli.h: what every subcommand shares: option parsing, messages, exit codes,
 * output tables. Subcommands only parse options, call the library and print. */
#ifndef IFFNET_CLI_H
#define IFFNET_CLI_H

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include "iffnet/iffnet.h"

/* Exit status (documented in iffnet(1)). */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_DATA = 1,     /* bad input or data, runtime failure */
    CLI_EXIT_USAGE = 2,    /* bad command line */
    CLI_EXIT_INTERNAL = 3  /* a bug or an unexpected library failure */
};

/* The command table entry (see main.c). */
typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *section;
} cli_command_t;

/* One prototype per subcommand, from the command table. */
#define IFFNET_CMD(name, fn, summary, section) int fn(int argc, char **argv);
#include "commands.def"
#undef IFFNET_CMD

extern const cli_command_t cli_commands[];
extern const size_t cli_n_commands;

/* Name of the running subcommand, for messages ("iffnet ingest: ..."). */
extern const char *cli_cmd;
extern int cli_quiet;

/* "iffnet CMD: <message>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Information on stderr unless -q. */
void cli_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error: message, then "Try 'iffnet CMD --help'"; returns CLI_EXIT_USAGE. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports a failed library call (iffnet_errmsg()) and maps it to an exit status. */
int cli_fail(int err);
/* Exit status for an iffnet_err_t. */
int cli_exit_status(int err);

/* 1 when iconv can transcode from `name` to UTF-8. */
int cli_encoding_known(const char *name);

/* Checked number parsing; print a usage error naming the option on failure. */
int cli_parse_int(const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *out);
int cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out);
int cli_parse_time(const char *opt, const char *s, iffnet_time_t *out);
int cli_parse_duration(const char *opt, const char *s, int64_t *out);
/* Parses a money amount in major units ("10000", "9500.50") at `scale` decimals. */
int cli_parse_money(const char *opt, const char *s, int scale, iffnet_money_t *out);

typedef enum { CLI_FMT_TABLE, CLI_FMT_CSV, CLI_FMT_TSV, CLI_FMT_JSON } cli_format_t;
int cli_parse_format(const char *s, cli_format_t *f);

/* Options every subcommand takes. */
typedef struct {
    const char *output;     /* -o, default "-" */
    int quiet, verbose, progress;
    unsigned long seed;     /* --seed, default 1 */
    cli_format_t format;    /* --format, default table */
} cli_common_t;

enum { CLI_OPT_SEED = 0x1000, CLI_OPT_FORMAT, CLI_OPT_PROGRESS, CLI_OPT_FIRST_CMD = 0x1100 };

#define CLI_COMMON_SHORTOPTS "o:qvh"
#define CLI_COMMON_LONGOPTS \
    {"output", required_argument, NULL, 'o'}, \
    {"quiet", no_argument, NULL, 'q'}, \
    {"verbose", no_argument, NULL, 'v'}, \
    {"seed", required_argument, NULL, CLI_OPT_SEED}, \
    {"format", required_argument, NULL, CLI_OPT_FORMAT}, \
    {"progress", no_argument, NULL, CLI_OPT_PROGRESS}, \
    {"help", no_argument, NULL, 'h'}

void cli_common_init(cli_common_t *o);
/* Handles a common option: 1 handled, 0 not a common option, -1 bad value
 * (message printed). 'h' is left to the caller (returns 0). */
int cli_common_opt(cli_common_t *o, int c, const char *arg);
/* Help lines for the common options. */
void cli_common_help(FILE *fp);
/* Prints progress when --progress or stderr is a terminal, and not -q. */
void cli_progress(void *common, const char *what, int64_t done, int64_t total);
/* Ends the progress line, if cli_progress() wrote one. */
void cli_progress_end(void *common);

/* The command line as typed (argv[0] is "iffnet CMD"), for provenance; malloc'd,
 * NULL on memory failure. */
char *cli_command_line(int argc, char **argv);

/* The environment, read here once and passed to the library through options.
 * cli_datadir(): the indicator lists' directory: IFFNET_DATADIR when set, else
 * the installed one, else (a binary run from its build tree before `make
 * install`) the source tree's data/. cli_now(): the time recorded in provenance,
 * SOURCE_DATE_EPOCH when well-formed (reproducible builds), else now. */
const char *cli_datadir(void);
/* "<datadir>/<name>", malloc'd (NULL on memory failure). */
char *cli_data_file(const char *name);
iffnet_time_t cli_now(void);

/* Loads a case file, printing the error. Returns 0 or an exit status. */
int cli_load_case(const char *path, iffnet_case_t *c);

/* The command line of the running subcommand (set by main.c). */
extern int cli_argc;
extern char **cli_argv;

/* Refuses an output that is one of the inputs: 0 when `path` (an output) is not
 * the same file (device and inode, links followed) as any file named on the
 * command line, other than by the very argument it came from, nor standard input
 * when that is read ("-"); otherwise prints why and returns CLI_EXIT_USAGE.
 * Checks every argument rather than a list of each command's inputs, so no
 * command can forget one. */
int cli_check_output(const char *path);

/* Opens the -o output ("-" = stdout) atomically, after cli_check_output();
 * prints the error. */
int cli_open_output(iffnet_out_t *out, const char *path);
/* Commits it; returns 0 or an exit status. */
int cli_commit_output(iffnet_out_t *out);

/* A result table written as aligned text, CSV, TSV or JSON Lines, in the one
 * output convention of iffnet-formats(5):
 *   JSON Lines: one object per row; integers and scores are numbers, amounts
 *     JSON numbers in major units written exactly (1234.50), with a "currency"
 *     member in every row that holds an amount (added after the row's columns
 *     unless the table has a "currency" column), lists are arrays, empty text
 *     cells are "" and missing numbers null.
 *   CSV and TSV: a header row; lists ';'-joined; amounts with '.' and no
 *     thousands separator; a cell that a spreadsheet would read as a formula
 *     (starting with = + - @, a tab or a carriage return) gets a leading '
 *     (iffnet_csv_write_cell()) unless it is a plain signed number.
 *   text: aligned columns (numbers right-aligned), buffered.
 * Tables write to an output opened by cli_table_open() (the -o file, atomic)
 * or to a FILE given to cli_table_new(). */
typedef struct cli_table cli_table_t;
cli_table_t *cli_table_new(FILE *fp, cli_format_t fmt, int ncols, const char *const *names);
/* Opens `path` ("-" = stdout) atomically and a table on it; NULL with the error
 * printed and *status set to the exit status. */
cli_table_t *cli_table_open(const char *path, cli_format_t fmt, int ncols, const char *const *names,
                            int *status);
/* The FILE a table writes to (for lines after it in a text table). */
FILE *cli_table_fp(const cli_table_t *t);
/* Writes the rows buffered so far (text tables), so that lines written to
 * cli_table_fp() come after them; no row may follow. */
void cli_table_flush(cli_table_t *t);
void cli_table_str(cli_table_t *t, const char *s);
void cli_table_int(cli_table_t *t, int64_t v);
/* decimals < 0: that many significant digits (1.2e-21), for figures such as E. */
void cli_table_double(cli_table_t *t, double v, int decimals);
/* Money at the case currency scale, written exactly ("1234.56"); a JSON row
 * also gets the currency's code. */
void cli_table_money(cli_table_t *t, const iffnet_case_t *c, iffnet_money_t v, int32_t currency);
/* A list: a JSON array, ';'-joined in the other formats. */
void cli_table_list(cli_table_t *t, int64_t n, const char *const *items);
/* A missing value: null in JSON, empty elsewhere. */
void cli_table_null(cli_table_t *t);
/* A flag: true/false in JSON, CSV and TSV, yes/no in a text table. */
void cli_table_bool(cli_table_t *t, int v);
void cli_table_end_row(cli_table_t *t);
/* Writes what is buffered and frees the table. Returns 0 or -1 on memory failure. */
int cli_table_free(cli_table_t *t);
/* For a table from cli_table_open(): frees it and commits its output; on an
 * earlier failure removes the output instead. Returns 0 or an exit status (the
 * error printed). */
int cli_table_commit(cli_table_t *t);
/* Frees the table and removes its output, written or not. */
void cli_table_abort(cli_table_t *t);

/* ---- usage errors that help ----
 * After getopt_long() returned '?' (it has printed "unrecognized option '--x'"):
 * suggests the long option meant, when one is close ("did you mean '--by'?"),
 * then the --help hint. Returns CLI_EXIT_USAGE. */
int cli_bad_option(int argc, char **argv, const struct option *longopts);
/* A bad value for option `opt`: names the valid ones and the closest
 * ("option '--by': 'pagernk' is not one of pagerank, hits, ...; did you mean
 * '--by pagerank'?"). `valid` ends with NULL. Returns CLI_EXIT_USAGE. */
int cli_bad_value(const char *opt, const char *value, const char *const *valid);
/* The entry of `valid` (NULL-terminated) closest to s when near enough to be
 * a typo (edit distance at most a third of its length, at least 1), else NULL. */
const char *cli_closest(const char *s, const char *const *valid);
/* An option kept for old command lines: says once on stderr (unless -q) what to
 * write instead. */
void cli_deprecated(const char *old, const char *instead);

#endif
