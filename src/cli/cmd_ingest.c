/* cmd_ingest.c: iffnet ingest: the files an FIU holds -> one case file. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet ingest [-t TRANSACTIONS...] [-e ENTITIES...] [-r RELATIONS...] [--goaml REPORT...]\n"
            "                     [--ftm ENTITIES...] [--camt STATEMENT...] [--statement-of ACCOUNT -t STATEMENT]\n"
            "                     [--rates RATES] -o CASE [options]\n"
            "\n"
            "Read transaction, entity and relation CSV files, goAML XML reports, FollowTheMoney\n"
            "entity streams and bank statements (plain, gzip, xz or zstd; '-' for stdin), check\n"
            "every value, and write one binary case file. Each option takes one file; further\n"
            "file names after it are files of the same kind (--goaml reports/*.xml). Any bad row\n"
            "stops the ingest (no case file is written) unless --skip-bad is given.\n"
            "\n"
            "Input options:\n"
            "  -t, --transactions FILE  transactions (tx_id,timestamp,source,target,amount,currency,channel,reference)\n"
            "  -e, --entities FILE      entities (id,kind,name,country,sector,...further attributes)\n"
            "  -r, --relations FILE     relations (source,target,relation)\n"
            "      --goaml FILE         goAML XML report (STR, SAR, CTR...): transactions, accounts, persons, entities\n"
            "      --ftm FILE           FollowTheMoney entities, one JSON object a line (Payment, BankAccount, Person...)\n"
            "      --camt FILE          ISO 20022 camt.053 bank statement (XML)\n"
            "      --statement-of ACCOUNT  the next -t FILE is a statement of ACCOUNT (date, amount or debit/credit,\n"
            "                           counterparty, optional balance that must reconcile row by row)\n"
            "      --rates FILE         exchange rates: currency,rate or date,currency,rate (the base currency has rate 1)\n"
            "      --accounts FILE      AMLSim accounts.csv (with --preset amlsim)\n"
            "      --preset NAME        native, amlsim, amlsim-sample, amlworld, or for statements\n"
            "                           statement (English column names) or csv-camt (German CSV-CAMT export)\n"
            "      --map FIELD=COLUMN   read FIELD from COLUMN (a header name or #N, 1-based);\n"
            "                           fields: tx_id timestamp source target amount currency channel\n"
            "                           reference recv_amount recv_currency source_bank target_bank;\n"
            "                           statements: date debit credit balance counterparty counterparty_name\n"
            "      --currency CODE      currency of every amount when there is no currency column\n"
            "      --delimiter C        field delimiter (default ',')\n"
            "      --encoding NAME      the CSV files' character set, e.g. ISO-8859-1 or WINDOWS-1252\n"
            "                           (default UTF-8; any name `iconv -l` lists; XML declares its own)\n"
            "      --decimal-comma      amounts are written 1234,56\n"
            "      --thousands C        accept C as thousands separator (',', '.', ' ' or \"'\")\n"
            "      --epoch DATE         time of step 0 for integer step timestamps (default 2017-01-01)\n"
            "      --step DURATION      length of one step (default 1d); integers are steps\n"
            "      --date-format FMT    dates and times as FMT (%%d.%%m.%%Y, %%m/%%d/%%Y %%H:%%M; %%Y %%y %%m %%d %%H %%M %%S %%b %%z)\n"
            "      --timezone ZONE      zone of timestamps written without one: UTC (default), +HH:MM, Europe/Berlin\n"
            "      --currency-alias NAME=CODE  read currency NAME as the ISO 4217 code CODE (EURO=EUR)\n"
            "      --match-days N       statements of both sides: dates at most N days apart match (default 3)\n"
            "      --max-errors N       stop after N bad rows (default 20)\n"
            "      --skip-bad FILE      write rejected rows with their reasons to FILE and go on\n"
            "\n");
    cli_common_help(fp);
}

enum { OPT_RATES = CLI_OPT_FIRST_CMD, OPT_ACCOUNTS, OPT_PRESET, OPT_MAP, OPT_CURRENCY, OPT_DELIM,
       OPT_DECIMAL_COMMA, OPT_THOUSANDS, OPT_EPOCH, OPT_STEP, OPT_MAX_ERRORS, OPT_SKIP_BAD, OPT_GOAML, OPT_FTM,
       OPT_CAMT, OPT_STATEMENT_OF, OPT_DATE_FORMAT, OPT_TIMEZONE, OPT_CURRENCY_ALIAS, OPT_MATCH_DAYS, OPT_ENCODING };

typedef struct {
    cli_common_t common;
    iffnet_source_t *sources;
    int64_t n_sources, cap_sources;
    int last_kind;               /* kind of the last file option, -1 none: later plain names are of it */
    const char *statement_of;    /* account of the next -t file */
    iffnet_ingest_opts_t ingest;
    const char *maps[64];
    int n_maps;
    const char **aliases;
    int64_t n_aliases;
    char *currencies;
    int epoch_given;
} ingest_args_t;

static int add_source(ingest_args_t *a, iffnet_source_kind_t kind, const char *path)
{
    if (a->n_sources == a->cap_sources) {
        int64_t cap = a->cap_sources ? 2 * a->cap_sources : 16;
        iffnet_source_t *p = realloc(a->sources, (size_t)cap * sizeof *p);
        if (!p) {
            cli_error("out of memory");
            return CLI_EXIT_DATA;
        }
        a->sources = p;
        a->cap_sources = cap;
    }
    a->sources[a->n_sources++] = (iffnet_source_t){kind, path, NULL, NULL, 0};
    if (kind == IFFNET_SRC_TRANSACTIONS && a->statement_of) {
        a->sources[a->n_sources - 1].kind = IFFNET_SRC_STATEMENT;
        a->sources[a->n_sources - 1].account = a->statement_of;
        a->statement_of = NULL;
    }
    a->last_kind = kind == IFFNET_SRC_RATES || kind == IFFNET_SRC_ACCOUNTS ? -1 : (int)kind;
    return 0;
}

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
        {"skip-bad", required_argument, NULL, OPT_SKIP_BAD}, {"goaml", required_argument, NULL, OPT_GOAML},
        {"ftm", required_argument, NULL, OPT_FTM}, {"camt", required_argument, NULL, OPT_CAMT},
        {"statement-of", required_argument, NULL, OPT_STATEMENT_OF},
        {"date-format", required_argument, NULL, OPT_DATE_FORMAT}, {"timezone", required_argument, NULL, OPT_TIMEZONE},
        {"currency-alias", required_argument, NULL, OPT_CURRENCY_ALIAS},
        {"match-days", required_argument, NULL, OPT_MATCH_DAYS}, {"encoding", required_argument, NULL, OPT_ENCODING},
        CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    const char *preset = NULL;
    int c, r;
    int64_t v;
    /* '-' first: file names that are not option values come back in order (as 1). */
    while ((c = getopt_long(argc, argv, "-t:e:r:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        if ((r = cli_common_opt(&a->common, c, optarg)) != 0) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 1:
            if (a->last_kind < 0) return cli_usage("unexpected argument '%s' (files follow an option: -t, -e, -r, --goaml, --ftm, --camt)", optarg);
            if ((r = add_source(a, (iffnet_source_kind_t)a->last_kind, optarg))) return r;
            break;
        case 't': if ((r = add_source(a, IFFNET_SRC_TRANSACTIONS, optarg))) return r; break;
        case 'e': if ((r = add_source(a, IFFNET_SRC_ENTITIES, optarg))) return r; break;
        case 'r': if ((r = add_source(a, IFFNET_SRC_RELATIONS, optarg))) return r; break;
        case OPT_GOAML: if ((r = add_source(a, IFFNET_SRC_GOAML, optarg))) return r; break;
        case OPT_FTM: if ((r = add_source(a, IFFNET_SRC_FTM, optarg))) return r; break;
        case OPT_CAMT: if ((r = add_source(a, IFFNET_SRC_CAMT, optarg))) return r; break;
        case OPT_RATES: if ((r = add_source(a, IFFNET_SRC_RATES, optarg))) return r; break;
        case OPT_ACCOUNTS:
            a->ingest.accounts_path = optarg;
            if ((r = add_source(a, IFFNET_SRC_ACCOUNTS, optarg))) return r;
            break;
        case OPT_STATEMENT_OF:
            if (!*optarg) return cli_usage("option '--statement-of': the account is empty");
            a->statement_of = optarg;
            break;
        case OPT_DATE_FORMAT: a->ingest.date_format = optarg; break;
        case OPT_TIMEZONE: a->ingest.timezone = optarg; break;
        case OPT_CURRENCY_ALIAS: {
            const char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || !eq[1]) return cli_usage("option '--currency-alias': \"%s\" is not NAME=CODE", optarg);
            const char **p = realloc(a->aliases, (size_t)(a->n_aliases + 1) * sizeof *p);
            if (!p) return cli_usage("out of memory");
            a->aliases = p;
            a->aliases[a->n_aliases++] = optarg;
            break;
        }
        case OPT_MATCH_DAYS:
            if (cli_parse_int("--match-days", optarg, 0, 366, &a->ingest.match_days)) return CLI_EXIT_USAGE;
            break;
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
        default: return cli_bad_option(argc, argv, longopts);
        }
    }
    if (preset) {
        /* A preset gives defaults; options given on the command line win. */
        iffnet_ingest_opts_t given = a->ingest;
        iffnet_ingest_opts_t dflt;
        iffnet_ingest_opts_default(&dflt);
        if (iffnet_ingest_preset(&a->ingest, preset)) return cli_usage("%s", iffnet_errmsg());
        if (a->epoch_given) a->ingest.time_syntax.epoch = given.time_syntax.epoch;
        if (given.default_currency) a->ingest.default_currency = given.default_currency;
        if (given.delimiter != dflt.delimiter) a->ingest.delimiter = given.delimiter;
        if (given.amount_syntax.decimal_mark != dflt.amount_syntax.decimal_mark)
            a->ingest.amount_syntax.decimal_mark = given.amount_syntax.decimal_mark;
        if (given.amount_syntax.thousands_sep != dflt.amount_syntax.thousands_sep)
            a->ingest.amount_syntax.thousands_sep = given.amount_syntax.thousands_sep;
        if (given.date_format) a->ingest.date_format = given.date_format;
    }
    if (a->ingest.time_syntax.steps && !a->epoch_given && !preset)
        a->ingest.time_syntax.epoch = iffnet_days_from_civil(2017, 1, 1) * 86400;
    if ((r = apply_maps(a))) return r;
    if (optind < argc) return cli_usage("unexpected argument '%s'", argv[optind]);
    if (a->statement_of) return cli_usage("option '--statement-of %s' is not followed by -t FILE", a->statement_of);
    int64_t tx = 0;
    for (int64_t i = 0; i < a->n_sources; i++)
        tx += a->sources[i].kind != IFFNET_SRC_ENTITIES && a->sources[i].kind != IFFNET_SRC_RELATIONS &&
              a->sources[i].kind != IFFNET_SRC_RATES && a->sources[i].kind != IFFNET_SRC_ACCOUNTS;
    if (!tx) return cli_usage("no transactions file (-t FILE, --goaml, --ftm or --camt)");
    a->ingest.currency_aliases = a->aliases;
    a->ingest.n_currency_aliases = a->n_aliases;
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
        if (in->rows_merged)
            cli_info("%s '%s': %lld rows read, %lld accepted (%lld of them payments an earlier file holds), %lld rejected",
                     in->role, in->path, (long long)in->rows_read, (long long)in->rows_accepted,
                     (long long)in->rows_merged, (long long)in->rows_rejected);
        else
            cli_info("%s '%s': %lld rows read, %lld accepted, %lld rejected", in->role, in->path,
                     (long long)in->rows_read, (long long)in->rows_accepted, (long long)in->rows_rejected);
    }
    if (c->prov.tx_merged)
        cli_info("%lld transactions given by two files with the same id and content were kept once", (long long)c->prov.tx_merged);
    if (c->prov.tx_matched)
        cli_info("%lld payments found in the statements of both sides were matched into one transaction each", (long long)c->prov.tx_matched);
    if (c->prov.local_times)
        cli_info("%lld timestamps had no time zone and were read as %s (give --timezone ZONE for another)",
                 (long long)c->prov.local_times, c->prov.timezone);
    for (int64_t i = 0; i < rep->notes_kept; i++) cli_info("note: %s", rep->notes[i]);
    if (rep->n_notes > rep->notes_kept) cli_info("... and %lld more notes", (long long)(rep->n_notes - rep->notes_kept));
    if (rep->skipped) cli_info("%lld rejected rows written with their reasons to the --skip-bad file", (long long)rep->skipped);
    cli_info("wrote '%s': %lld accounts, %lld transactions, %lld entities, %lld relations", out,
             (long long)c->n_accounts, (long long)c->n_tx, (long long)c->n_entities, (long long)c->n_relations);
}

static void ingest_args_free(ingest_args_t *a)
{
    free(a->sources);
    free(a->aliases);
    free(a->currencies);
}

int cmd_ingest(int argc, char **argv)
{
    ingest_args_t a;
    memset(&a, 0, sizeof a);
    cli_common_init(&a.common);
    iffnet_ingest_opts_default(&a.ingest);
    a.last_kind = -1;
    int r = parse_args(argc, argv, &a);
    if (r) {
        ingest_args_free(&a);
        return r < 0 ? CLI_EXIT_OK : r;
    }
    /* Checked before anything is read: an output must never be an input. */
    if ((r = cli_check_output(a.common.output)) || (r = cli_check_output(a.ingest.skip_bad_path))) {
        ingest_args_free(&a);
        return r;
    }
    char *cmdline = cli_command_line(argc, argv);
    a.ingest.command_line = cmdline;
    a.ingest.created = cli_now();
    a.ingest.progress = cli_progress;
    a.ingest.progress_arg = &a.common;
    a.currencies = cli_data_file("currencies.csv");
    a.ingest.currencies_path = a.currencies;
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    int err = iffnet_ingest_sources(&c, a.sources, a.n_sources, &a.ingest, &rep);
    if (!a.common.quiet && (a.common.progress || isatty(2))) fputc('\n', stderr);
    if (err) {
        if (rep.n_kept) report_errors(&rep);
        else cli_fail(err);
        if (rep.n_errors) cli_error("%lld bad rows; no case file written", (long long)rep.n_errors);
        if (rep.skipped && err == IFFNET_EDATA)
            cli_error("the %lld rejected rows are in '%s' with their reasons", (long long)rep.skipped, a.ingest.skip_bad_path);
        iffnet_ingest_report_destroy(&rep);
        free(cmdline);
        ingest_args_free(&a);
        return cli_exit_status(err);
    }
    err = iffnet_case_save(&c, a.common.output);
    if (err) r = cli_fail(err);
    else summarise(&c, &rep, a.common.output);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
    free(cmdline);
    ingest_args_free(&a);
    return r;
}
