/* cmd_report.c: iffnet report: a self-contained HTML (or Markdown) case report. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "iffnet/report.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet report CASE [-o FILE] [--format html|md] [--alerts FILE] [--communities FILE]\n"
            "                     [--trace FILE] [--no-run] [--pseudonymize] [--max-alerts N] [options]\n"
            "\n"
            "Write one self-contained report of the case: summary, network pictures of the\n"
            "flagged accounts and of every alert, charts, tracing results, communities,\n"
            "central accounts, shared identifiers, methodology and provenance. Analyses\n"
            "not given as files are run here.\n"
            "\n"
            "      --format FMT        html (default) or md (Markdown, no pictures)\n"
            "      --alerts FILE       alerts from 'iffnet detect' (JSON Lines) instead of detecting\n"
            "      --communities FILE  membership CSV 'account,community' instead of detecting\n"
            "      --trace FILE        JSON from 'iffnet trace' instead of tracing\n"
            "      --no-run            run no analysis: report only what the files give\n"
            "      --pseudonymize      replace names and ids consistently\n"
            "      --max-alerts N      alerts with a section of their own (default 50)\n"
            "\n");
    fputs("Common options:\n"
          "  -o, --output FILE       write to FILE atomically (default: standard output)\n"
          "      --seed N            seed of the layouts and analyses (default 1)\n"
          "  -q, --quiet             no information messages\n"
          "  -h, --help              show this help and exit\n", fp);
}

enum { OPT_ALERTS = CLI_OPT_FIRST_CMD, OPT_COMMUNITIES, OPT_TRACE, OPT_PSEUDO, OPT_MAX_ALERTS, OPT_NO_RUN };

typedef struct {
    cli_common_t common;
    iffnet_report_opts_t ro;
    const char *case_path, *alerts, *communities, *trace;
    int no_run;
} report_args_t;

/* Returns 0 to go on, -1 after --help, or an exit status. */
static int parse_args(int argc, char **argv, report_args_t *a)
{
    static const struct option longopts[] = {
        {"alerts", required_argument, NULL, OPT_ALERTS},
        {"communities", required_argument, NULL, OPT_COMMUNITIES},
        {"trace", required_argument, NULL, OPT_TRACE},
        {"pseudonymize", no_argument, NULL, OPT_PSEUDO},
        {"max-alerts", required_argument, NULL, OPT_MAX_ALERTS},
        {"no-run", no_argument, NULL, OPT_NO_RUN},
        CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    int c, r;
    int64_t n;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return -1;
        case CLI_OPT_FORMAT:   /* the report's own formats, not the table formats */
            if (strcmp(optarg, "html") == 0) a->ro.format = IFFNET_REPORT_HTML;
            else if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0) a->ro.format = IFFNET_REPORT_MD;
            else return cli_usage("option '--format': \"%s\" is not one of html, md", optarg);
            continue;
        case OPT_ALERTS: a->alerts = optarg; continue;
        case OPT_COMMUNITIES: a->communities = optarg; continue;
        case OPT_TRACE: a->trace = optarg; continue;
        case OPT_PSEUDO: a->ro.pseudonymize = 1; continue;
        case OPT_NO_RUN: a->no_run = 1; continue;
        case OPT_MAX_ALERTS:
            if (cli_parse_int("--max-alerts", optarg, 0, 100000, &n)) return CLI_EXIT_USAGE;
            a->ro.max_alert_details = n;
            continue;
        default: break;
        }
        if ((r = cli_common_opt(&a->common, c, optarg)) != 0) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        return cli_bad_option(argc, argv, longopts);
    }
    if (optind + 1 != argc) return cli_usage(optind < argc ? "expected one case file" : "no case file given");
    a->case_path = argv[optind];
    return 0;
}

/* Hashes each input file for the provenance table. */
static int add_file(iffnet_report_file_t *f, int64_t *n, const char *role, const char *path)
{
    if (!path) return 0;
    f[*n].role = role;
    f[*n].path = path;
    int err = iffnet_sha256_file(path, f[*n].sha256, &f[*n].size);
    if (err) return cli_fail(err);
    (*n)++;
    return 0;
}

/* Loads the given files into d; returns 0 or an exit status. */
static int load_inputs(const report_args_t *a, iffnet_case_t *c, iffnet_report_data_t *d)
{
    int err = 0;
    if (a->alerts && (err = iffnet_report_load_alerts(d, c, a->alerts))) return cli_fail(err);
    if (a->communities && (err = iffnet_report_load_communities(d, c, a->communities))) return cli_fail(err);
    if (a->trace && (err = iffnet_report_load_trace(d, c, a->trace))) return cli_fail(err);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    report_args_t a;
    iffnet_case_t c;
    iffnet_report_data_t d;
    iffnet_report_input_t in;
    iffnet_report_file_t files[4];
    iffnet_out_t out;
    int r, err;
    char *cmdline = NULL;
    const char *datadir = cli_datadir();

    memset(&a, 0, sizeof a);
    memset(&in, 0, sizeof in);
    cli_common_init(&a.common);
    iffnet_report_opts_default(&a.ro);
    /* Before getopt_long, which permutes argv. */
    if (!(cmdline = cli_command_line(argc, argv))) {
        cli_error("out of memory");
        return CLI_EXIT_DATA;
    }
    if ((r = parse_args(argc, argv, &a)) || (r = cli_load_case(a.case_path, &c))) {
        free(cmdline);
        return r < 0 ? CLI_EXIT_OK : r;
    }
    iffnet_report_data_init(&d);
    if ((r = add_file(files, &in.n_files, "case", a.case_path)) ||
        (r = add_file(files, &in.n_files, "alerts", a.alerts)) ||
        (r = add_file(files, &in.n_files, "communities", a.communities)) ||
        (r = add_file(files, &in.n_files, "trace", a.trace)) || (r = load_inputs(&a, &c, &d)))
        goto out;
    if (!a.no_run && (err = iffnet_report_analyse(&d, &c, datadir, a.common.seed))) {
        r = cli_fail(err);
        goto out;
    }
    in.c = &c;
    in.files = files;
    in.command_line = cmdline;
    in.date = cli_now();
    in.seed = a.common.seed;
    iffnet_report_data_input(&d, &in);
    for (int64_t i = 0; i < d.n_notes; i++) cli_info("note: %s", d.notes[i]);
    if (a.common.verbose && d.timing[0]) cli_info("%s", d.timing);
    if ((r = cli_open_output(&out, a.common.output))) goto out;
    if ((err = iffnet_report_write(&in, &a.ro, out.fp))) {
        iffnet_out_abort(&out);
        r = cli_fail(err);
        goto out;
    }
    r = cli_commit_output(&out);
out:
    free(cmdline);
    iffnet_report_data_destroy(&d);
    iffnet_case_destroy(&c);
    return r;
}
