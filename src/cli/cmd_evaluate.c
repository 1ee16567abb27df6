/* cmd_evaluate.c: iffnet evaluate: score alerts against an answer key. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "iffnet/evaluate.h"
#include "iffnet/json.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet evaluate --truth KEY [--truth-format FMT] [--case CASE] [--accounts N] [--sar-only] [options] ALERTS\n"
            "\n"
            "Score alerts (JSON Lines from 'iffnet detect') against the true structures of a\n"
            "truth file: iffnet's answer_key.csv, AMLSim's alert_transactions.csv or\n"
            "AMLworld's *_Patterns.txt. A structure counts as found when one alert covers at\n"
            "least half of its accounts (typed: and has its typology). Prints recall per\n"
            "typology, account- and transaction-level precision, recall and F1, and alerts\n"
            "per 1,000 accounts.\n"
            "\n"
            "      --truth KEY         truth file (required)\n"
            "      --truth-format FMT  auto, answer-key, amlsim or amlworld (default: auto)\n"
            "  -c, --case CASE         the case the alerts were detected on: checks their ids,\n"
            "                          counts its accounts, matches AMLworld transactions\n"
            "      --accounts N        number of accounts for the alert rate (overrides --case)\n"
            "      --sar-only          AMLSim: leave out alerts with is_sar=False\n"
            "\n");
    cli_common_help(fp);
}

typedef struct {
    const char *truth, *case_path, *alerts;
    iffnet_truth_opts_t topts;
    int64_t n_accounts;   /* -1: not given */
    cli_common_t common;
} opts_t;

enum { OPT_TRUTH_FORMAT = CLI_OPT_FIRST_CMD, OPT_SAR_ONLY, OPT_TRUTH, OPT_ACCOUNTS };

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, opts_t *o)
{
    static const struct option longopts[] = {
        {"truth", required_argument, NULL, OPT_TRUTH},
        {"truth-format", required_argument, NULL, OPT_TRUTH_FORMAT},
        {"case", required_argument, NULL, 'c'},
        {"accounts", required_argument, NULL, OPT_ACCOUNTS},
        {"sar-only", no_argument, NULL, OPT_SAR_ONLY},
        CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0}};
    int c, r;
    memset(o, 0, sizeof *o);
    o->n_accounts = -1;
    cli_common_init(&o->common);
    while ((c = getopt_long(argc, argv, "t:c:n:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        if ((r = cli_common_opt(&o->common, c, optarg)) != 0) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'h': usage(stdout); return CLI_EXIT_OK;
        /* -t and -n mean --transactions and --top elsewhere (iffnet(1), OPTIONS) */
        case 't': cli_deprecated("-t", "--truth"); /* fall through */
        case OPT_TRUTH: o->truth = optarg; break;
        case 'c': o->case_path = optarg; break;
        case 'n': cli_deprecated("-n", "--accounts"); /* fall through */
        case OPT_ACCOUNTS:
            if (cli_parse_int("--accounts", optarg, 1, INT64_MAX, &o->n_accounts)) return CLI_EXIT_USAGE;
            break;
        case OPT_SAR_ONLY: o->topts.sar_only = 1; break;
        case OPT_TRUTH_FORMAT:
            if (iffnet_truth_format_parse(optarg, &o->topts.format))
                return cli_usage("option '--truth-format': '%s' is not auto, answer-key, amlsim or amlworld", optarg);
            break;
        default: return cli_bad_option(argc, argv, longopts);
        }
    }
    if (!o->truth) return cli_usage("no truth file given (--truth KEY)");
    if (optind + 1 != argc) return cli_usage(optind < argc ? "expected one alerts file" : "no alerts file given");
    o->alerts = argv[optind];
    return -1;
}

/* Human-readable tables. Returns 0, or -1 when a table ran out of memory. */
static int print_table(FILE *fp, const opts_t *o, const iffnet_truth_t *t, const iffnet_eval_result_t *r)
{
    static const char *const cols[] = {"typology", "structures", "found", "recall", "typed_found", "typed_recall",
                                       "alerts", "alerts_hit"};
    static const char *const pcols[] = {"level", "true", "predicted", "tp", "precision", "recall", "f1"};
    cli_table_t *tb;
    int k;
    fprintf(fp, "truth: %s (%s, %lld structures", o->truth, iffnet_truth_format_name(t->format), (long long)t->n);
    if (t->n_excluded) fprintf(fp, ", %lld left out by --sar-only", (long long)t->n_excluded);
    fprintf(fp, ")\nalerts: %s (%lld)\n\n", o->alerts, (long long)r->n_alerts);
    tb = cli_table_new(fp, CLI_FMT_TABLE, 8, cols);
    for (k = 0; k <= IFFNET_TYP_COUNT; k++) {
        const iffnet_eval_count_t *c = k < IFFNET_TYP_COUNT ? &r->by_typology[k] : &r->all;
        if (!c->structures && !c->alerts) continue;
        cli_table_str(tb, k < IFFNET_TYP_COUNT ? iffnet_typology_name((iffnet_typology_t)k) : "all");
        cli_table_int(tb, c->structures);
        cli_table_int(tb, c->found);
        cli_table_double(tb, c->structures ? (double)c->found / (double)c->structures : NAN, 3);
        cli_table_int(tb, c->typed_found);
        cli_table_double(tb, c->structures ? (double)c->typed_found / (double)c->structures : NAN, 3);
        cli_table_int(tb, c->alerts);
        cli_table_int(tb, c->alerts_hit);
        cli_table_end_row(tb);
    }
    if (cli_table_free(tb)) return -1;
    fputc('\n', fp);
    tb = cli_table_new(fp, CLI_FMT_TABLE, 7, pcols);
    for (k = 0; k < 1 + r->has_tx; k++) {
        const iffnet_eval_prf_t *p = k ? &r->tx : &r->accounts;
        cli_table_str(tb, k ? "transactions" : "accounts");
        cli_table_int(tb, p->truth);
        cli_table_int(tb, p->predicted);
        cli_table_int(tb, p->tp);
        cli_table_double(tb, p->precision, 3);
        cli_table_double(tb, p->recall, 3);
        cli_table_double(tb, p->f1, 3);
        cli_table_end_row(tb);
    }
    if (cli_table_free(tb)) return -1;
    if (!r->has_tx)
        fprintf(fp, "transactions: not compared (AMLworld truth has no transaction ids: give --case)\n");
    if (r->n_case_accounts > 0)
        fprintf(fp, "\nalerts per 1,000 accounts: %.2f (%lld alerts, %lld accounts)\n", r->alerts_per_1000,
                (long long)r->n_alerts, (long long)r->n_case_accounts);
    else
        fprintf(fp, "\nalerts per 1,000 accounts: unknown (give --case or --accounts)\n");
    return 0;
}

/* A ratio of counts, null when there is nothing to divide by. */
static void json_ratio(iffnet_jsonw_t *w, const char *key, int64_t num, int64_t den)
{
    if (den) iffnet_jsonw_double(w, key, (double)num / (double)den, 6);
    else iffnet_jsonw_null(w, key);
}

static void json_count(iffnet_jsonw_t *w, const char *key, const iffnet_eval_count_t *c)
{
    iffnet_jsonw_object_begin(w, key);
    iffnet_jsonw_int(w, "structures", c->structures);
    iffnet_jsonw_int(w, "found", c->found);
    iffnet_jsonw_int(w, "typed_found", c->typed_found);
    iffnet_jsonw_int(w, "alerts", c->alerts);
    iffnet_jsonw_int(w, "alerts_hit", c->alerts_hit);
    json_ratio(w, "recall", c->found, c->structures);
    json_ratio(w, "typed_recall", c->typed_found, c->structures);
    iffnet_jsonw_end(w);
}

static void json_prf(iffnet_jsonw_t *w, const char *key, const iffnet_eval_prf_t *p)
{
    iffnet_jsonw_object_begin(w, key);
    iffnet_jsonw_int(w, "true", p->truth);
    iffnet_jsonw_int(w, "predicted", p->predicted);
    iffnet_jsonw_int(w, "tp", p->tp);
    iffnet_jsonw_double(w, "precision", p->precision, 6);
    iffnet_jsonw_double(w, "recall", p->recall, 6);
    iffnet_jsonw_double(w, "f1", p->f1, 6);
    iffnet_jsonw_end(w);
}

/* One JSON object for scripts. Returns the writer's status. */
static int print_json(FILE *fp, const opts_t *o, const iffnet_truth_t *t, const iffnet_eval_result_t *r)
{
    iffnet_jsonw_t w;
    iffnet_jsonw_init(&w, fp);
    iffnet_jsonw_object_begin(&w, NULL);
    iffnet_jsonw_str(&w, "truth", o->truth);
    iffnet_jsonw_str(&w, "truth_format", iffnet_truth_format_name(t->format));
    iffnet_jsonw_int(&w, "structures_left_out", t->n_excluded);
    iffnet_jsonw_str(&w, "alerts_file", o->alerts);
    iffnet_jsonw_object_begin(&w, "typologies");
    for (int k = 0; k < IFFNET_TYP_COUNT; k++) {
        const iffnet_eval_count_t *c = &r->by_typology[k];
        if (c->structures || c->alerts) json_count(&w, iffnet_typology_name((iffnet_typology_t)k), c);
    }
    iffnet_jsonw_end(&w);
    json_count(&w, "all", &r->all);
    json_prf(&w, "accounts", &r->accounts);
    if (r->has_tx) json_prf(&w, "transactions", &r->tx);
    else iffnet_jsonw_null(&w, "transactions");
    iffnet_jsonw_int(&w, "alerts", r->n_alerts);
    if (r->n_case_accounts > 0) iffnet_jsonw_int(&w, "case_accounts", r->n_case_accounts);
    else iffnet_jsonw_null(&w, "case_accounts");
    iffnet_jsonw_double(&w, "alerts_per_1000_accounts", r->alerts_per_1000, 6);
    iffnet_jsonw_end(&w);
    return iffnet_jsonw_finish(&w);
}

/* Long form (scope, metric, value) for csv and tsv. Returns 0 or -1 (memory). */
static int print_long(FILE *fp, cli_format_t fmt, const iffnet_eval_result_t *r)
{
    static const char *const cols[] = {"scope", "metric", "value"};
    cli_table_t *tb = cli_table_new(fp, fmt, 3, cols);
    int k;
#define ROW(scope, metric, put) do { cli_table_str(tb, scope); cli_table_str(tb, metric); put; cli_table_end_row(tb); } while (0)
    for (k = 0; k <= IFFNET_TYP_COUNT; k++) {
        const iffnet_eval_count_t *c = k < IFFNET_TYP_COUNT ? &r->by_typology[k] : &r->all;
        const char *s = k < IFFNET_TYP_COUNT ? iffnet_typology_name((iffnet_typology_t)k) : "all";
        if (!c->structures && !c->alerts) continue;
        ROW(s, "structures", cli_table_int(tb, c->structures));
        ROW(s, "found", cli_table_int(tb, c->found));
        ROW(s, "recall", cli_table_double(tb, c->structures ? (double)c->found / (double)c->structures : NAN, 6));
        ROW(s, "typed_found", cli_table_int(tb, c->typed_found));
        ROW(s, "typed_recall",
            cli_table_double(tb, c->structures ? (double)c->typed_found / (double)c->structures : NAN, 6));
        ROW(s, "alerts", cli_table_int(tb, c->alerts));
        ROW(s, "alerts_hit", cli_table_int(tb, c->alerts_hit));
    }
    for (k = 0; k < 1 + r->has_tx; k++) {
        const iffnet_eval_prf_t *p = k ? &r->tx : &r->accounts;
        const char *s = k ? "transactions" : "accounts";
        ROW(s, "true", cli_table_int(tb, p->truth));
        ROW(s, "predicted", cli_table_int(tb, p->predicted));
        ROW(s, "tp", cli_table_int(tb, p->tp));
        ROW(s, "precision", cli_table_double(tb, p->precision, 6));
        ROW(s, "recall", cli_table_double(tb, p->recall, 6));
        ROW(s, "f1", cli_table_double(tb, p->f1, 6));
    }
    ROW("alerts", "count", cli_table_int(tb, r->n_alerts));
    ROW("alerts", "per_1000_accounts", cli_table_double(tb, r->alerts_per_1000, 6));
#undef ROW
    return cli_table_free(tb);
}

/* Writes the result in the chosen format. Returns 0, or an exit status after
 * printing the error. */
static int print_result(FILE *fp, const opts_t *o, const iffnet_truth_t *t, const iffnet_eval_result_t *r)
{
    int err;
    if (o->common.format == CLI_FMT_JSON) return (err = print_json(fp, o, t, r)) ? cli_fail(err) : 0;
    if (o->common.format == CLI_FMT_TABLE ? print_table(fp, o, t, r) : print_long(fp, o->common.format, r)) {
        cli_error("out of memory");
        return CLI_EXIT_DATA;
    }
    return 0;
}

/* Reads truth and alerts and scores them; the case (if any) is loaded by the caller. */
static int run(const opts_t *o, iffnet_case_t *cs, iffnet_truth_t *t, iffnet_alert_list_t *al,
               iffnet_eval_result_t *res)
{
    int err = iffnet_truth_read(t, o->truth, &o->topts);
    int64_t n_acc = o->n_accounts > 0 ? o->n_accounts : cs ? cs->n_accounts : 0;
    if (err) return cli_fail(err);
    err = iffnet_eval_read_alerts(t, o->alerts, cs, al);
    if (!err) err = iffnet_eval_score(t, al, n_acc, res);
    return err ? cli_fail(err) : 0;
}

int cmd_evaluate(int argc, char **argv)
{
    opts_t o;
    iffnet_case_t cs;
    iffnet_truth_t t;
    iffnet_alert_list_t al;
    iffnet_eval_result_t res;
    iffnet_out_t out;
    int r = parse_args(argc, argv, &o), have_case = 0;
    if (r >= 0) return r;
    iffnet_alert_list_init(&al);
    memset(&t, 0, sizeof t);
    if (o.case_path) {
        if ((r = cli_load_case(o.case_path, &cs))) return r;
        have_case = 1;
        o.topts.c = &cs;
    }
    r = run(&o, have_case ? &cs : NULL, &t, &al, &res);
    if (!r && !(r = cli_open_output(&out, o.common.output))) {
        if ((r = print_result(out.fp, &o, &t, &res))) iffnet_out_abort(&out);
        else r = cli_commit_output(&out);
    }
    iffnet_alert_list_destroy(&al);
    iffnet_truth_destroy(&t);
    if (have_case) iffnet_case_destroy(&cs);
    return r;
}
