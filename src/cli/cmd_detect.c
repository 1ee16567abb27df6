/* cmd_detect.c: iffnet detect: explained alerts for laundering typologies and red flags. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "iffnet/detect.h"

enum { OPT_TYPOLOGIES = CLI_OPT_FIRST_CMD, OPT_WINDOW, OPT_THRESHOLD, OPT_CONFIG, OPT_SET, OPT_ACCOUNTS, OPT_HIDE_LOW,
       OPT_WATCHLIST };

static void usage(FILE *fp)
{
    fprintf(fp,
        "Usage: iffnet detect CASE [--typologies LIST] [--window 30d] [--threshold 10000] [--config FILE] [--set key=value]... [--watchlist FILE] [--format table|csv|tsv|json] [--hide-low] [--accounts] [-o FILE]\n"
        "Detect laundering typologies and wildlife red flags; write explained alerts.\n\n"
        "  --typologies LIST  comma-separated typologies, or all, structural, redflag\n                     (default: all but the statistical screens benford, round_amounts)\n"
        "  --window DUR       default time window of the detectors (default 30d)\n"
        "  --threshold AMOUNT reporting threshold in the case currency (default 10000)\n"
        "  --config FILE      read thresholds from FILE (key = value lines)\n"
        "  --set KEY=VALUE    set one threshold (after --config; repeatable)\n"
        "  --watchlist FILE   screen the entities against a watch list (CSV of names, identifiers,\n"
        "                     countries; or FollowTheMoney JSON Lines): hits are watchlist alerts\n"
        "  --hide-low         leave out alerts that chance explains in this case (ranked_low;\n"
        "                     by default they are listed after all others)\n"
        "  --accounts         rank accounts by combined risk instead of listing alerts\n"
        "  --format FMT       table (default, sorted by score), csv, tsv or json (JSON Lines)\n");
    cli_common_help(fp);
}

typedef struct {
    cli_common_t com;
    iffnet_detect_opts_t det;
    const char *case_path, *typologies, *threshold;
    int accounts;
} detect_args_t;

static int parse(int argc, char **argv, detect_args_t *a, iffnet_config_t *cfg)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"typologies", required_argument, NULL, OPT_TYPOLOGIES},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"threshold", required_argument, NULL, OPT_THRESHOLD},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"set", required_argument, NULL, OPT_SET},
        {"accounts", no_argument, NULL, OPT_ACCOUNTS},
        {"hide-low", no_argument, NULL, OPT_HIDE_LOW},
        {"watchlist", required_argument, NULL, OPT_WATCHLIST},
        {NULL, 0, NULL, 0}
    };
    int c, r;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        if ((r = cli_common_opt(&a->com, c, optarg)) < 0) return CLI_EXIT_USAGE;
        if (r > 0) continue;
        switch (c) {
        case 'h': usage(stdout); return -1;
        case OPT_TYPOLOGIES: a->typologies = optarg; break;
        case OPT_WINDOW: if (cli_parse_duration("--window", optarg, &a->det.window)) return CLI_EXIT_USAGE; break;
        case OPT_THRESHOLD: { /* syntax now; the currency's decimals once the case is loaded */
            iffnet_money_t v;
            if (cli_parse_money("--threshold", optarg, 6, &v)) return CLI_EXIT_USAGE;
            a->threshold = optarg;
            break;
        }
        case OPT_CONFIG: if ((r = iffnet_config_read(cfg, optarg))) return cli_fail(r); break;
        case OPT_SET: if (iffnet_config_set(cfg, optarg, "--set")) return cli_usage("%s", iffnet_errmsg()); break;
        case OPT_ACCOUNTS: a->accounts = 1; break;
        case OPT_HIDE_LOW: a->det.hide_ranked_low = 1; break;
        case OPT_WATCHLIST: {
            char *kv = malloc(strlen(optarg) + sizeof "watchlist.file=");
            if (!kv) return cli_fail(IFFNET_ENOMEM);
            sprintf(kv, "watchlist.file=%s", optarg);
            r = iffnet_config_set(cfg, kv, "--watchlist");
            free(kv);
            if (r) return cli_fail(r);
            break;
        }
        default: return cli_bad_option(argc, argv, longopts);
        }
    }
    if (optind + 1 != argc) return cli_usage(optind >= argc ? "missing CASE" : "too many arguments");
    a->case_path = argv[optind];
    if (a->det.window <= 0) return cli_usage("--window must be positive");
    if (a->typologies && iffnet_detect_select(&a->det, a->typologies)) return cli_usage("%s", iffnet_errmsg());
    return 0;
}

static void show_progress(void *arg, const char *what, int64_t done, int64_t total)
{
    cli_progress(arg, what, done, total);
}

static int write_alerts(FILE *fp, const detect_args_t *a, const iffnet_case_t *c, const iffnet_alert_list_t *l)
{
    static const char *const cols[] = { "id", "typology", "score", "accounts", "transactions", "amount",
                                        "moved", "first", "last", "reason" };
    if (a->com.format == CLI_FMT_JSON) return iffnet_alert_write_jsonl(l, c, fp) ? -1 : 0;
    cli_table_t *t = cli_table_new(fp, a->com.format, 10, cols);
    if (!t) return -1;
    for (int64_t i = 0; i < l->n; i++) {
        const iffnet_alert_t *al = &l->items[i];
        char d1[24], d2[24];
        iffnet_time_format(d1, sizeof d1, al->first, 0);
        iffnet_time_format(d2, sizeof d2, al->last, 0);
        cli_table_str(t, al->id); cli_table_str(t, iffnet_typology_name(al->typology));
        cli_table_double(t, al->score, 3); cli_table_int(t, al->n_accounts); cli_table_int(t, al->n_tx);
        cli_table_money(t, c, al->amount, al->currency);
        cli_table_money(t, c, al->moved, al->currency);
        cli_table_str(t, d1); cli_table_str(t, d2);
        cli_table_str(t, al->n_reasons > 0 ? al->reasons[0] : "");
        cli_table_end_row(t);
    }
    return cli_table_free(t);
}

static int write_accounts(FILE *fp, const detect_args_t *a, const iffnet_case_t *c,
                          const iffnet_account_risk_t *r, int64_t n)
{
    static const char *const cols[] = { "account", "risk", "reasons" };
    cli_table_t *t = cli_table_new(fp, a->com.format, 3, cols);
    if (!t) return -1;
    for (int64_t i = 0; i < n; i++) {
        cli_table_str(t, iffnet_case_account_id(c, r[i].account));
        cli_table_double(t, r[i].risk, 3);
        cli_table_list(t, r[i].n_reasons, (const char *const *)r[i].reasons);
        cli_table_end_row(t);
    }
    return cli_table_free(t);
}

int cmd_detect(int argc, char **argv)
{
    detect_args_t a;
    iffnet_config_t cfg;
    iffnet_case_t c;
    igraph_t g;
    iffnet_detect_ctx_t ctx;
    iffnet_detect_notes_t notes;
    iffnet_alert_list_t alerts;
    iffnet_account_risk_t *risk = NULL;
    iffnet_out_t out;
    int64_t n_risk = 0;
    int st, err, have_case = 0, have_graph = 0, have_out = 0;
    const char *origin = NULL, *unused;

    memset(&a, 0, sizeof a);
    cli_common_init(&a.com);
    iffnet_detect_opts_default(&a.det);
    a.det.datadir = cli_datadir();
    iffnet_config_init(&cfg);
    iffnet_detect_notes_init(&notes);
    iffnet_alert_list_init(&alerts);
    if ((st = parse(argc, argv, &a, &cfg)) != 0) { st = st < 0 ? CLI_EXIT_OK : st; goto out; }
    a.det.seed = a.com.seed;
    if ((st = cli_load_case(a.case_path, &c))) goto out;
    have_case = 1;
    if (a.threshold) {
        int32_t vc = c.n_tx > 0 ? iffnet_case_value_currency(&c) : -1;
        if (cli_parse_money("--threshold", a.threshold, vc >= 0 ? c.currency_scale[vc] : 2, &a.det.threshold)) {
            st = CLI_EXIT_USAGE;
            goto out;
        }
    }
    if ((err = iffnet_case_graph(&c, &g))) { st = cli_fail(err); goto out; }
    have_graph = 1;
    if ((err = iffnet_detect_ctx_init(&ctx, &c, &g, &cfg, &a.det, &notes))) { st = cli_fail(err); goto out; }
    if (!a.com.quiet) { a.det.progress = show_progress; a.det.progress_arg = &a.com; }
    if ((err = iffnet_detect_run(&ctx, &a.det, &alerts))) { st = cli_fail(err); goto out; }
    if (a.accounts && (err = iffnet_account_risk(&ctx, &alerts, &risk, &n_risk))) { st = cli_fail(err); goto out; }
    if ((unused = iffnet_config_unused(&cfg, &origin)) != NULL) {
        if (!a.typologies) { cli_error("unknown setting '%s' (%s)", unused, origin ? origin : "?"); st = CLI_EXIT_USAGE; goto out; }
        cli_info("setting '%s' (%s) was not used by the selected typologies", unused, origin ? origin : "?");
    }
    for (int64_t i = 0; i < notes.n; i++) cli_info("note: %s", notes.lines[i]);
    if ((st = cli_open_output(&out, a.com.output))) goto out;
    have_out = 1;
    if ((a.accounts ? write_accounts(out.fp, &a, &c, risk, n_risk) : write_alerts(out.fp, &a, &c, &alerts)) < 0) {
        cli_error("cannot write output '%s'", a.com.output);
        iffnet_out_abort(&out);
        have_out = 0;
        st = CLI_EXIT_DATA;
        goto out;
    }
    have_out = 0;
    st = cli_commit_output(&out);
    if (!st) cli_info("%lld alerts", (long long)alerts.n);
out:
    if (have_out) iffnet_out_abort(&out);
    if (risk) iffnet_account_risk_free(risk, n_risk);
    iffnet_alert_list_destroy(&alerts);
    iffnet_detect_notes_destroy(&notes);
    if (have_graph) igraph_destroy(&g);
    if (have_case) iffnet_case_destroy(&c);
    iffnet_config_destroy(&cfg);
    return st;
}
