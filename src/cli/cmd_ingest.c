/* cmd_ingest.c: iffnet ingest: CSV exports -> case file. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet ingest -t TRANSACTIONS [-e ENTITIES] [-r RELATIONS] [--rates RATES] -o CASE [options]\n"
            "\n"
            "Read transaction, entity and relation CSV files (plain or gzip, '-' for stdin),\n"
            "check every value, and write a binary case file. Any bad row stops the ingest\n"
            "(no case file is written) unless --skip-bad is given.\n"
            "\n"
            "Input options:\n"
            "  -t, --transactions FILE  transactions (tx_id,timestamp,source,target,amount,currency,channel,reference)\n"
            "  -e, --entities FILE      entities (id,kind,name,country,sector,...further attributes)\n"
            "  -r, --relations FILE     relations (source,target,relation)\n"
            "      --rates FILE         exchange rates (currency,rate; the base currency has rate 1)\n"
            "      --accounts FILE      AMLSim accounts.csv (with --preset amlsim)\n"
            "      --preset NAME        native, amlsim, amlsim-sample or amlworld (default: native)\n"
            "      --map FIELD=COLUMN   read FIELD from COLUMN (a header name or #N, 1-based);\n"
            "                           fields: tx_id timestamp source target amount currency channel\n"
            "                           reference recv_amount recv_currency source_bank target_bank\n"
            "      --currency CODE      currency of every amount when there is no currency column\n"
            "      --delimiter C        field delimiter (default ',')\n"
            "      --encoding NAME      the files' character set, e.g. ISO-8859-1 or WINDOWS-1252\n"
            "                           (default UTF-8; any name `iconv -l` lists)\n"
            "      --decimal-comma      amounts are written 1234,56\n"
            "      --thousands C        accept C as thousands separator (',', '.', ' ' or \"'\")\n"
            "      --epoch DATE         time of step 0 for integer step timestamps (default 2017-01-01)\n"
            "      --step DURATION      length of one step (default 1d); integers are steps\n"
            "      --max-errors N       stop after N bad rows (default 20)\n"
            "      --skip-bad FILE      write rejected rows with their reasons to FILE and go on\n"
            "\n");
    cli_common_help(fp);
}

enum { OPT_RATES = CLI_OPT_FIRST_CMD, OPT_ACCOUNTS, OPT_PRESET, OPT_MAP, OPT_CURRENCY, OPT_DELIM,
       OPT_DECIMAL_COMMA, OPT_THOUSANDS, OPT_EPOCH, OPT_STEP, OPT_MAX_ERRORS, OPT_SKIP_BAD, OPT_ENCODING };

typedef struct {
    cli_common_t common;
    const char *tx, *entities, *relations, *rates;
    iffnet_ingest_opts_t ingest;
    const char *maps[64];
    int n_maps;
    int epoch_given;
} ingest_args_t;

static int apply_maps(ingest_args_t *a)
{
    for (int i = 0; i < a->n_maps; i++) {
        const char *eq = strchr(a->maps[i], '=');
        char field[32];
        size_t n = eq ? (size_t)(eq - a->maps[i]) : 0;
        iffnet_tx_field_t f;
        if (!eq || n == 0 || n >= sizeof field || !eq[1])
            return cli_usage("option '--map': \"%s\" is not FIELD=COLUMN", a->maps[i]);
        memcpy(field, a->maps[i], n);
        field[n] = '\0';
        if (iffnet_tx_field_parse(field, &f))
            return cli_usage("option '--map': unknown field '%s'", field);
        a->ingest.tx_col[f] = eq + 1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, ingest_args_t *a)
{
    static const struct option longopts[] = {
        {"transactions", required_argument, NULL, 't'}, {"entities", required_argument, NULL, 'e'},
        {"relations", required_argument, NULL, 'r'}, {"rates", required_argument, NULL, OPT_RATES},
        {"accounts", required_argument, NULL, OPT_ACCOUNTS}, {"preset", required_argument, NULL, OPT_PRESET},
        {"map", required_argument, NULL, OPT_MAP}, {"currency", required_argument, NULL, OPT_CURRENCY},
        {"delimiter", required_argument, NULL, OPT_DELIM}, {"decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA},
        {"thousands", required_argument, NULL, OPT_THOUSANDS}, {"epoch", required_argument, NULL, OPT_EPOCH},
        {"step", required_argument, NULL, OPT_STEP}, {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
        {"skip-bad", required_argument, NULL, OPT_SKIP_BAD}, {"encoding", required_argument, NULL, OPT_ENCODING},
        CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    const char *preset = NULL;
    int c, r;
    int64_t v;
    while ((c = getopt_long(argc, argv, "t:e:r:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        if ((r = cli_common_opt(&a->common, c, optarg)) != 0) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 't': a->tx = optarg; break;
        case 'e': a->entities = optarg; break;
        case 'r': a->relations = optarg; break;
        case OPT_RATES: a->rates = optarg; break;
        case OPT_ACCOUNTS: a->ingest.accounts_path = optarg; break;
        case OPT_PRESET: preset = optarg; break;
        case OPT_MAP:
            if (a->n_maps == 64) return cli_usage("too many --map options");
            a->maps[a->n_maps++] = optarg;
            break;
        case OPT_CURRENCY:
            if (!iffnet_currency_code(optarg)) return cli_usage("option '--currency': \"%s\" is not a currency code", optarg);
            a->ingest.default_currency = iffnet_currency_code(optarg);
            break;
        case OPT_DELIM:
            if (strlen(optarg) != 1 && strcmp(optarg, "\\t") != 0) return cli_usage("option '--delimiter' takes one character");
            a->ingest.delimiter = strcmp(optarg, "\\t") == 0 ? '\t' : optarg[0];
            break;
        case OPT_DECIMAL_COMMA: a->ingest.amount_syntax.decimal_mark = ','; break;
        case OPT_THOUSANDS:
            if (strlen(optarg) != 1 || !strchr(",. '", optarg[0]))
                return cli_usage("option '--thousands' takes one of , . ' or a space");
            a->ingest.amount_syntax.thousands_sep = optarg[0];
            break;
        case OPT_EPOCH:
            if (cli_parse_time("--epoch", optarg, &a->ingest.time_syntax.epoch)) return CLI_EXIT_USAGE;
            a->epoch_given = 1;
            a->ingest.time_syntax.steps = 1;
            break;
        case OPT_STEP:
            if (cli_parse_duration("--step", optarg, &v) || v == 0) return v == 0 ? cli_usage("option '--step' must be positive") : CLI_EXIT_USAGE;
            a->ingest.time_syntax.step_seconds = v;
            a->ingest.time_syntax.steps = 1;
            break;
        case OPT_MAX_ERRORS:
            if (cli_parse_int("--max-errors", optarg, 1, 1000000, &a->ingest.max_errors)) return CLI_EXIT_USAGE;
            break;
        case OPT_SKIP_BAD: a->ingest.skip_bad_path = optarg; break;
        case OPT_ENCODING:
            if (!cli_encoding_known(optarg))
                return cli_usage("option '--encoding': unknown encoding '%s' (`iconv -l` lists the known ones)", optarg);
            a->ingest.encoding = optarg;
            break;
        case 'h': usage(stdout); return -1;
        default: return cli_usage("unknown option");
        }
    }
    if (preset) {
        /* A preset gives defaults; options given on the command line win. */
        iffnet_time_t epoch = a->ingest.time_syntax.epoch;
        const char *currency = a->ingest.default_currency;
        if (iffnet_ingest_preset(&a->ingest, preset)) return cli_usage("%s", iffnet_errmsg());
        if (a->epoch_given) a->ingest.time_syntax.epoch = epoch;
        if (currency) a->ingest.default_currency = currency;
    }
    if (a->ingest.time_syntax.steps && !a->epoch_given && !preset)
        a->ingest.time_syntax.epoch = iffnet_days_from_civil(2017, 1, 1) * 86400;
    if ((r = apply_maps(a))) return r;
    if (optind < argc) return cli_usage("unexpected argument '%s'", argv[optind]);
    if (!a->tx) return cli_usage("no transactions file (-t FILE)");
    if (strcmp(a->common.output, "-") == 0) return cli_usage("no case file to write (-o CASE)");
    if (a->ingest.accounts_path && strcmp(a->ingest.preset, "amlsim") != 0)
        return cli_usage("option '--accounts' goes with --preset amlsim");
    return 0;
}

static void report_errors(const iffnet_ingest_report_t *rep)
{
    for (int64_t i = 0; i < rep->n_kept; i++) cli_error("%s", rep->errors[i].message);
    if (rep->n_errors > rep->n_kept)
        cli_error("... and %lld more bad rows", (long long)(rep->n_errors - rep->n_kept));
}

static void summarise(const iffnet_case_t *c, const iffnet_ingest_report_t *rep, const char *out)
{
    for (int64_t i = 0; i < c->prov.n_inputs; i++) {
        const iffnet_input_t *in = &c->prov.inputs[i];
        cli_info("%s '%s': %lld rows read, %lld accepted, %lld rejected", in->role, in->path,
                 (long long)in->rows_read, (long long)in->rows_accepted, (long long)in->rows_rejected);
    }
    if (rep->skipped) cli_info("%lld rejected rows written with their reasons to the --skip-bad file", (long long)rep->skipped);
    cli_info("wrote '%s': %lld accounts, %lld transactions, %lld entities, %lld relations", out,
             (long long)c->n_accounts, (long long)c->n_tx, (long long)c->n_entities, (long long)c->n_relations);
}

int cmd_ingest(int argc, char **argv)
{
    ingest_args_t a;
    memset(&a, 0, sizeof a);
    cli_common_init(&a.common);
    iffnet_ingest_opts_default(&a.ingest);
    int r = parse_args(argc, argv, &a);
    if (r) return r < 0 ? CLI_EXIT_OK : r;
    /* Checked before anything is read: an output must never be an input. */
    if ((r = cli_check_output(a.common.output)) || (r = cli_check_output(a.ingest.skip_bad_path))) return r;
    char *cmdline = cli_command_line(argc, argv);
    a.ingest.command_line = cmdline;
    a.ingest.created = cli_now();
    a.ingest.progress = cli_progress;
    a.ingest.progress_arg = &a.common;
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    int err = iffnet_ingest(&c, a.tx, a.entities, a.relations, a.rates, &a.ingest, &rep);
    if (!a.common.quiet && (a.common.progress || isatty(2))) fputc('\n', stderr);
    if (err) {
        if (rep.n_kept) report_errors(&rep);
        else cli_fail(err);
        if (rep.n_errors) cli_error("%lld bad rows; no case file written", (long long)rep.n_errors);
        if (rep.skipped && err == IFFNET_EDATA)
            cli_error("the %lld rejected rows are in '%s' with their reasons", (long long)rep.skipped, a.ingest.skip_bad_path);
        iffnet_ingest_report_destroy(&rep);
        free(cmdline);
        return cli_exit_status(err);
    }
    err = iffnet_case_save(&c, a.common.output);
    if (err) r = cli_fail(err);
    else summarise(&c, &rep, a.common.output);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
    free(cmdline);
    return r;
}
