/* cmd_report.c: iffnet report: a self-contained HTML (or Markdown) case report,
 * or a subject-centred one (--subject). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "iffnet/report.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet report CASE [-o FILE] [--format html|md] [--subject ID] [--alerts FILE]\n"
            "                     [--communities FILE] [--trace FILE] [--no-run] [--pseudonymize]\n"
            "                     [--max-alerts N] [--typologies LIST] [--all] [--hide-low] [--window DUR]\n"
            "                     [--threshold AMOUNT] [--config FILE] [--set KEY=VALUE]... [--watchlist FILE]\n"
            "                     [options]\n"
            "\n"
            "Write one self-contained report of the case: summary, network pictures of the\n"
            "flagged accounts and of every alert, charts, tracing results, communities,\n"
            "central accounts, shared identifiers, an index of the accounts named, methodology\n"
            "and provenance. With --subject, a report centred on one account, person or\n"
            "company: its accounts and relations, money in and out, counterparties, alerts and\n"
            "its money traced both ways. Analyses not given as files are run here.\n"
            "\n"
            "      --format FMT        html (default) or md (Markdown, no pictures)\n"
            "      --subject ID        centre the report on this account, person or company\n"
            "      --alerts FILE       alerts from 'iffnet detect' (JSON Lines) instead of detecting\n"
            "      --communities FILE  membership CSV 'account,community' instead of detecting\n"
            "      --trace FILE        JSON from 'iffnet trace' instead of tracing\n"
            "      --no-run            run no analysis: report only what the files give\n"
            "      --pseudonymize      replace names and ids consistently\n"
            "      --max-alerts N      alerts with a section of their own (default 50)\n"
            "\n"
            "The alerts shown, as iffnet detect lists them (also for an --alerts file):\n"
            "      --typologies LIST   comma-separated typologies, or all, structural, redflag\n"
            "      --all               every alert of the typologies, those ranked low included\n"
            "      --hide-low          leave out alerts that chance explains in this case\n"
            "      --window DUR, --threshold AMOUNT, --config FILE, --set KEY=VALUE\n"
            "                          detection settings, as for iffnet detect\n"
            "      --watchlist FILE    screen the entities against a watch list while detecting\n"
            "\n");
    fputs("Common options:\n"
          "  -o, --output FILE       write to FILE atomically (default: standard output)\n"
          "      --seed N            seed of the layouts and analyses (default 1)\n"
          "  -q, --quiet             no information messages\n"
          "  -v, --verbose           the time each analysis took\n"
          "  -h, --help              show this help and exit\n", fp);
}

enum { OPT_ALERTS = CLI_OPT_FIRST_CMD, OPT_COMMUNITIES, OPT_TRACE, OPT_PSEUDO, OPT_MAX_ALERTS, OPT_NO_RUN,
       OPT_SUBJECT, OPT_TYPOLOGIES, OPT_ALL, OPT_HIDE_LOW, OPT_WINDOW, OPT_THRESHOLD, OPT_CONFIG, OPT_SET,
       OPT_WATCHLIST };

typedef struct {
    cli_common_t common;
    iffnet_report_opts_t ro;
    iffnet_detect_opts_t det;
    const char *case_path, *alerts, *communities, *trace, *subject, *typologies, *threshold, *watchlist;
    int no_run, all, list_given;
} report_args_t;

/* --watchlist FILE and --set KEY=VALUE go into the settings. */
static int set_setting(iffnet_config_t *cfg, const char *key, const char *value, const char *origin)
{
    char *kv = malloc(strlen(key) + strlen(value) + 2);
    int err;
    if (!kv) return cli_fail(IFFNET_ENOMEM);
    sprintf(kv, "%s=%s", key, value);
    err = iffnet_config_set(cfg, kv, origin);
    free(kv);
    return err ? cli_usage("%s", iffnet_errmsg()) : 0;
}

/* The options detect also takes. Returns 1 handled, 0 not one, or an exit status + 2. */
static int list_option(report_args_t *a, iffnet_config_t *cfg, int c, const char *arg)
{
    int r;
    iffnet_money_t v;
    switch (c) {
    case OPT_TYPOLOGIES: a->typologies = arg; a->list_given = 1; return 1;
    case OPT_ALL: a->all = 1; a->list_given = 1; return 1;
    case OPT_HIDE_LOW: a->det.hide_ranked_low = 1; a->list_given = 1; return 1;
    case OPT_WINDOW: return cli_parse_duration("--window", arg, &a->det.window) ? 2 + CLI_EXIT_USAGE : 1;
    case OPT_THRESHOLD: /* syntax now; the currency's decimals once the case is loaded */
        if (cli_parse_money("--threshold", arg, 6, &v)) return 2 + CLI_EXIT_USAGE;
        a->threshold = arg;
        return 1;
    case OPT_CONFIG: return (r = iffnet_config_read(cfg, arg)) ? 2 + cli_fail(r) : 1;
    case OPT_SET: return iffnet_config_set(cfg, arg, "--set") ? 2 + cli_usage("%s", iffnet_errmsg()) : 1;
    case OPT_WATCHLIST:
        a->watchlist = arg;
        return (r = set_setting(cfg, "watchlist.file", arg, "--watchlist")) ? 2 + r : 1;
    default: return 0;
    }
}

/* Returns 0 to go on, -1 after --help, or an exit status. */
static int parse_args(int argc, char **argv, report_args_t *a, iffnet_config_t *cfg)
{
    static const struct option longopts[] = {
        {"alerts", required_argument, NULL, OPT_ALERTS},
        {"communities", required_argument, NULL, OPT_COMMUNITIES},
        {"trace", required_argument, NULL, OPT_TRACE},
        {"pseudonymize", no_argument, NULL, OPT_PSEUDO},
        {"max-alerts", required_argument, NULL, OPT_MAX_ALERTS},
        {"no-run", no_argument, NULL, OPT_NO_RUN},
        {"subject", required_argument, NULL, OPT_SUBJECT},
        {"typologies", required_argument, NULL, OPT_TYPOLOGIES},
        {"all", no_argument, NULL, OPT_ALL},
        {"hide-low", no_argument, NULL, OPT_HIDE_LOW},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"threshold", required_argument, NULL, OPT_THRESHOLD},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"set", required_argument, NULL, OPT_SET},
        {"watchlist", required_argument, NULL, OPT_WATCHLIST},
        CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    int c, r;
    int64_t n;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return -1;
        case CLI_OPT_FORMAT: { /* the report's own formats, not the table formats */
            static const char *const valid[] = {"html", "md", NULL};
            if (strcmp(optarg, "html") == 0) a->ro.format = IFFNET_REPORT_HTML;
            else if (strcmp(optarg, "md") == 0 || strcmp(optarg, "markdown") == 0) a->ro.format = IFFNET_REPORT_MD;
            else return cli_bad_value("--format", optarg, valid);
            continue;
        }
        case OPT_ALERTS: a->alerts = optarg; continue;
        case OPT_COMMUNITIES: a->communities = optarg; continue;
        case OPT_TRACE: a->trace = optarg; continue;
        case OPT_PSEUDO: a->ro.pseudonymize = 1; continue;
        case OPT_NO_RUN: a->no_run = 1; continue;
        case OPT_SUBJECT: a->subject = optarg; continue;
        case OPT_MAX_ALERTS:
            if (cli_parse_int("--max-alerts", optarg, 0, 100000, &n)) return CLI_EXIT_USAGE;
            a->ro.max_alert_details = n;
            continue;
        default: break;
        }
        if ((r = list_option(a, cfg, c, optarg)) > 1) return r - 2;
        if (r == 1) continue;
        if ((r = cli_common_opt(&a->common, c, optarg)) != 0) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        return cli_bad_option(argc, argv, longopts);
    }
    if (optind + 1 != argc) return cli_usage(optind < argc ? "expected one case file" : "no case file given");
    a->case_path = argv[optind];
    if (a->det.window <= 0) return cli_usage("--window must be positive");
    if (a->all && a->det.hide_ranked_low) return cli_usage("--all lists the alerts ranked low: not with --hide-low");
    if (a->typologies && iffnet_detect_select(&a->det, a->typologies)) return cli_usage("%s", iffnet_errmsg());
    if (a->watchlist && (a->alerts || a->no_run))
        return cli_usage("--watchlist screens while detecting: give it to 'iffnet detect', or leave out %s",
                         a->alerts ? "--alerts" : "--no-run");
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
    if (a->alerts && a->list_given) iffnet_report_filter_alerts(d, &a->det);
    if (a->communities && (err = iffnet_report_load_communities(d, c, a->communities))) return cli_fail(err);
    if (a->trace && (err = iffnet_report_load_trace(d, c, a->trace))) return cli_fail(err);
    if (a->subject && (err = iffnet_report_set_subject(d, c, a->subject))) return cli_fail(err);
    return 0;
}

/* The detection settings that need the case: the threshold in its currency. */
static int case_settings(report_args_t *a, const iffnet_case_t *c)
{
    int32_t vc = c->n_tx > 0 ? iffnet_case_value_currency(c) : -1;
    if (a->threshold &&
        cli_parse_money("--threshold", a->threshold, vc >= 0 ? c->currency_scale[vc] : 2, &a->det.threshold))
        return CLI_EXIT_USAGE;
    return 0;
}

static int run(report_args_t *a, iffnet_config_t *cfg, iffnet_case_t *c, iffnet_report_data_t *d,
               iffnet_report_input_t *in, iffnet_report_file_t *files)
{
    iffnet_report_run_t run = {cli_datadir(), a->common.seed, &a->det, cfg};
    iffnet_out_t out;
    const char *unused, *origin = NULL;
    int r, err;
    if ((r = add_file(files, &in->n_files, "case", a->case_path)) ||
        (r = add_file(files, &in->n_files, "alerts", a->alerts)) ||
        (r = add_file(files, &in->n_files, "communities", a->communities)) ||
        (r = add_file(files, &in->n_files, "trace", a->trace)) ||
        (r = add_file(files, &in->n_files, "watch list", a->watchlist)) || (r = load_inputs(a, c, d)) ||
        (r = case_settings(a, c)))
        return r;
    if (!a->no_run && (err = iffnet_report_analyse_with(d, c, &run))) return cli_fail(err);
    if (!a->no_run && !a->alerts && (unused = iffnet_config_unused(cfg, &origin)) != NULL) {
        cli_error("unknown setting '%s' (%s)", unused, origin ? origin : "?");
        return CLI_EXIT_USAGE;
    }
    in->c = c;
    in->files = files;
    in->date = cli_now();
    in->seed = a->common.seed;
    iffnet_report_data_input(d, in);
    for (int64_t i = 0; i < d->n_notes; i++) cli_info("note: %s", d->notes[i]);
    if (a->common.verbose && d->timing[0]) cli_info("%s", d->timing);
    if ((r = cli_open_output(&out, a->common.output))) return r;
    if ((err = iffnet_report_write(in, &a->ro, out.fp))) {
        iffnet_out_abort(&out);
        return cli_fail(err);
    }
    return cli_commit_output(&out);
}

int cmd_report(int argc, char **argv)
{
    report_args_t a;
    iffnet_config_t cfg;
    iffnet_case_t c;
    iffnet_report_data_t d;
    iffnet_report_input_t in;
    iffnet_report_file_t files[5];
    int r;
    char *cmdline = NULL;

    memset(&a, 0, sizeof a);
    memset(&in, 0, sizeof in);
    cli_common_init(&a.common);
    iffnet_report_opts_default(&a.ro);
    iffnet_detect_opts_default(&a.det);
    iffnet_config_init(&cfg);
    /* Before getopt_long, which permutes argv. */
    if (!(cmdline = cli_command_line(argc, argv))) {
        cli_error("out of memory");
        iffnet_config_destroy(&cfg);
        return CLI_EXIT_DATA;
    }
    in.command_line = cmdline;
    if ((r = parse_args(argc, argv, &a, &cfg)) || (r = cli_load_case(a.case_path, &c))) {
        free(cmdline);
        iffnet_config_destroy(&cfg);
        return r < 0 ? CLI_EXIT_OK : r;
    }
    iffnet_report_data_init(&d);
    r = run(&a, &cfg, &c, &d, &in, files);
    free(cmdline);
    iffnet_report_data_destroy(&d);
    iffnet_case_destroy(&c);
    iffnet_config_destroy(&cfg);
    return r;
}
