/* cmd_trace.c: iffnet trace: follow tainted funds with forensic rules and LP bounds. */
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include "trace_cli.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet trace CASE (--from ACCOUNT[,...] | --from-tx TXID[,...]) [--amount X]\n"
            "       [--since T] [--until T] [--rule RULES] [--direction forward|backward]\n"
            "       [--max-hops K] [--stop-abroad] [--table NAME] [--top N] [--json FILE]\n"
            "       [--to ACCOUNT [--bounds [--lp-solver SOLVER] [--lp-max-steps N]]]\n"
            "       [--max-steps N] [options]\n"
            "\n"
            "Replay every account's ledger in time order and split it into tainted and clean\n"
            "money under forensic tracing rules, side by side. Opening balances are unknown:\n"
            "money an account sends beyond what it received in the case is booked as\n"
            "unexplained funds, never as taint.\n"
            "\n"
            "  -f, --from LIST       source accounts: all they send in the window is tainted\n"
            "      --from-tx LIST    source transactions (tainted in full, or up to --amount)\n"
            "      --amount X        tainted amount per source (default: all)\n"
            "      --since T         start of the window (date or timestamp, inclusive)\n"
            "      --until T         end of the window (inclusive)\n"
            "      --rule RULES      fifo, lifo, pro-rata (haircut), libr, tiho, poison, comma-\n"
            "                        separated, or all (default: all)\n"
            "  -d, --direction DIR   forward (default): where the money went; backward: where\n"
            "                        the money that reached the --from accounts came from\n"
            "      --max-hops K      follow at most K transfers (default: no limit forward, 3 backward)\n"
            "      --stop-abroad     book money paid to another country as having left the case\n"
            "                        (default: followed like any payment between accounts of\n"
            "                        the case; --follow-abroad is accepted and does nothing)\n"
            "      --to ACCOUNT      report what reached ACCOUNT under each rule\n"
            "      --bounds          with --to: the least and most tainted money that can have\n"
            "                        reached ACCOUNT, by linear programming (min-cost flows)\n"
            "      --lp-solver SOLVER\n"
            "                        with --bounds: auto (default: network, or simplex when the\n"
            "                        amounts are too large for it), network (iffnet's network\n"
            "                        simplex, int64), okalg (GLPK out-of-kilter) or simplex (GLPK)\n"
            "      --table NAME      totals, accounts, holders, exits, sources or bounds: the table\n"
            "                        written with --format csv, tsv or json (default: accounts)\n"
            "      --top N           rows per table: those with the most tainted money (default:\n"
            "                        100 in the text format, all in the others; 0 = all)\n"
            "      --max-steps N     step budget of each rule's replay (default 200000000)\n"
            "      --lp-max-steps N  step budget of the LP bounds (default 2000000000)\n"
            "                        (work a budget cuts short is noted on stderr, in the text\n"
            "                        output and in the JSON; a stopped rule is left out)\n"
            "      --json FILE       also write the whole trace as one JSON document\n"
            "\n");
    cli_common_help(fp);
}

enum { OPT_AMOUNT = CLI_OPT_FIRST_CMD, OPT_SINCE, OPT_UNTIL, OPT_HOPS, OPT_TO, OPT_BOUNDS, OPT_TABLE, OPT_JSON,
       OPT_ABROAD, OPT_LP_SOLVER, OPT_FROM_TX, OPT_RULE, OPT_STOP_ABROAD, OPT_MAX_STEPS, OPT_LP_MAX_STEPS,
       OPT_TOP };

typedef struct {
    const char *from, *from_tx, *amount, *to, *table, *json;
    int bounds, lp_solver_set, follow_abroad;
    int64_t top;                     /* --top, -1 = the format's default */
    iffnet_lp_solver_t lp_solver;
    iffnet_trace_opts_t t;
} trace_args_t;

static int parse_args(int argc, char **argv, cli_common_t *common, trace_args_t *a)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'}, {"from-tx", required_argument, NULL, OPT_FROM_TX},
        {"amount", required_argument, NULL, OPT_AMOUNT}, {"since", required_argument, NULL, OPT_SINCE},
        {"until", required_argument, NULL, OPT_UNTIL}, {"rule", required_argument, NULL, OPT_RULE},
        {"direction", required_argument, NULL, 'd'}, {"max-hops", required_argument, NULL, OPT_HOPS},
        {"to", required_argument, NULL, OPT_TO}, {"bounds", no_argument, NULL, OPT_BOUNDS},
        {"table", required_argument, NULL, OPT_TABLE}, {"json", required_argument, NULL, OPT_JSON},
        {"follow-abroad", no_argument, NULL, OPT_ABROAD}, {"stop-abroad", no_argument, NULL, OPT_STOP_ABROAD},
        {"lp-solver", required_argument, NULL, OPT_LP_SOLVER}, {"max-steps", required_argument, NULL, OPT_MAX_STEPS},
        {"lp-max-steps", required_argument, NULL, OPT_LP_MAX_STEPS}, {"top", required_argument, NULL, OPT_TOP},
        CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    int c, r;
    int64_t v;
    iffnet_trace_opts_default(&a->t);
    a->top = -1;
    while ((c = getopt_long(argc, argv, "f:t:r:d:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        if ((r = cli_common_opt(common, c, optarg)) != 0) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        switch (c) {
        case 'h': usage(stdout); return -1;
        case 'f': a->from = optarg; break;
        /* -t and -r mean --transactions and --relations elsewhere (iffnet(1), OPTIONS) */
        case 't': cli_deprecated("-t", "--from-tx"); /* fall through */
        case OPT_FROM_TX: a->from_tx = optarg; break;
        case OPT_AMOUNT: a->amount = optarg; break;
        case OPT_SINCE: if (cli_parse_time("--since", optarg, &a->t.since)) return CLI_EXIT_USAGE; break;
        case OPT_UNTIL: if (cli_parse_time("--until", optarg, &a->t.until)) return CLI_EXIT_USAGE; break;
        case 'r': cli_deprecated("-r", "--rule"); /* fall through */
        case OPT_RULE:
            if (iffnet_trace_rules_parse(optarg, &a->t.rules)) return cli_usage("option '--rule': %s", iffnet_errmsg());
            break;
        case 'd':
            if (strcmp(optarg, "forward") && strcmp(optarg, "backward"))
                return cli_usage("option '--direction': \"%s\" is not forward or backward", optarg);
            a->t.backward = optarg[0] == 'b';
            break;
        case OPT_HOPS:
            if (cli_parse_int("--max-hops", optarg, 1, 1000000, &v)) return CLI_EXIT_USAGE;
            a->t.max_hops = (int)v;
            break;
        case OPT_TO: a->to = optarg; break;
        case OPT_BOUNDS: a->bounds = 1; break;
        case OPT_TABLE: a->table = optarg; break;
        case OPT_JSON:
            /* An output: refused at once when it is one of the inputs. */
            if (cli_check_output(optarg)) return CLI_EXIT_USAGE;
            a->json = optarg;
            break;
        case OPT_ABROAD: a->follow_abroad = 1; break; /* the default now: a no-op */
        case OPT_STOP_ABROAD: a->t.stop_abroad = 1; break;
        case OPT_MAX_STEPS:
            if (cli_parse_int("--max-steps", optarg, 1, INT64_MAX, &a->t.max_steps)) return CLI_EXIT_USAGE;
            break;
        case OPT_TOP:
            if (cli_parse_int("--top", optarg, 0, INT64_MAX, &a->top)) return CLI_EXIT_USAGE;
            break;
        case OPT_LP_MAX_STEPS:
            if (cli_parse_int("--lp-max-steps", optarg, 1, INT64_MAX, &a->t.lp_max_steps)) return CLI_EXIT_USAGE;
            break;
        case OPT_LP_SOLVER:
            if (iffnet_lp_solver_parse(optarg, &a->lp_solver)) return cli_usage("option '--lp-solver': %s", iffnet_errmsg());
            a->lp_solver_set = 1;
            break;
        default: return cli_bad_option(argc, argv, longopts);
        }
    }
    if (optind + 1 != argc) return cli_usage(optind < argc ? "expected one case file" : "no case file given");
    if (a->follow_abroad && a->t.stop_abroad) return cli_usage("--follow-abroad and --stop-abroad contradict each other");
    if (a->follow_abroad && !common->quiet)
        fprintf(stderr, "iffnet trace: note: --follow-abroad is the default now and does nothing "
                "(--stop-abroad stops at the border)\n");
    if (!a->from == !a->from_tx) return cli_usage("give either --from or --from-tx");
    if (a->t.backward && a->from_tx) return cli_usage("a backward trace starts --from accounts");
    if (a->bounds && !a->to) return cli_usage("--bounds needs --to ACCOUNT");
    if (a->bounds && a->t.backward) return cli_usage("--bounds needs a forward trace");
    if (a->lp_solver_set && !a->bounds) return cli_usage("--lp-solver needs --bounds");
    if (a->t.since > a->t.until) return cli_usage("--since is after --until");
    if (a->table && !trace_table_known(a->table))
        return cli_usage("option '--table': \"%s\" is not one of " TRACE_TABLES, a->table);
    return 0;
}

/* Resolves a comma-separated list of ids against a string table. */
static int resolve(iffnet_strtab_t *tab, const char *list, const char *what, int64_t **out, int64_t *n)
{
    const char *s = list;
    *n = 0;
    *out = malloc((strlen(list) / 2 + 2) * sizeof **out);
    if (!*out) { cli_error("out of memory"); return CLI_EXIT_DATA; }
    while (*s) {
        size_t len = strcspn(s, ",");
        int64_t id = iffnet_strtab_find(tab, s, len);
        if (len == 0) { free(*out); *out = NULL; return cli_usage("an empty %s in '%s'", what, list); }
        if (id < 0) {
            cli_error("unknown %s '%.*s'", what, (int)len, s);
            free(*out);
            *out = NULL;
            return CLI_EXIT_DATA;
        }
        (*out)[(*n)++] = id;
        s += len;
        if (*s == ',') s++;
    }
    return 0;
}

static int print_trace(cli_common_t *common, const trace_args_t *a, const iffnet_trace_t *tr, int64_t target,
                       const iffnet_trace_bounds_t *b)
{
    iffnet_out_t io;
    trace_out_t o = {common->format, a->table, a->top, tr, target, b};
    int r;
    if ((r = cli_open_output(&io, common->output))) return r;
    if ((r = trace_print(io.fp, &o))) { iffnet_out_abort(&io); return r; }
    return cli_commit_output(&io);
}

static int write_json(const char *path, const iffnet_trace_t *tr, int64_t target, const iffnet_trace_bounds_t *b)
{
    iffnet_out_t o;
    int64_t cut = 0;
    int r, err;
    char note[256];
    if ((r = cli_open_output(&o, path))) return r;
    if ((err = iffnet_trace_write_json(o.fp, tr, target, b, &cut))) { iffnet_out_abort(&o); return cli_fail(err); }
    if (cut) { /* a warning: -q does not hide it */
        iffnet_trace_paths_note(note, sizeof note, cut);
        fprintf(stderr, "iffnet trace: note: %s, in '%s'\n", note, path);
    }
    return cli_commit_output(&o);
}

static int run(iffnet_case_t *cs, cli_common_t *common, trace_args_t *a)
{
    int64_t *acc = NULL, *txs = NULL, na = 0, nt = 0, target = -1;
    iffnet_trace_t tr;
    iffnet_trace_bounds_t b, *bp = NULL;
    int r = 0, err;
    if (a->from && (r = resolve(&cs->account_ids, a->from, "account", &acc, &na))) goto out;
    if (a->from_tx && (r = resolve(&cs->tx_ids, a->from_tx, "transaction", &txs, &nt))) goto out;
    if (a->to && (target = iffnet_case_find_account(cs, a->to)) < 0) {
        cli_error("unknown account '%s'", a->to);
        r = CLI_EXIT_DATA;
        goto out;
    }
    if (a->amount) {
        int32_t k = iffnet_case_value_currency(cs);
        if (cli_parse_money("--amount", a->amount, k >= 0 ? cs->currency_scale[k] : 2, &a->t.amount)) {
            r = CLI_EXIT_USAGE;
            goto out;
        }
        if (a->t.amount == 0) { r = cli_usage("option '--amount': the amount must be positive"); goto out; }
    }
    a->t.seed_accounts = acc; a->t.n_seed_accounts = na;
    a->t.seed_tx = txs; a->t.n_seed_tx = nt;
    if ((err = iffnet_trace_run(&tr, cs, &a->t))) { r = cli_fail(err); goto out; }
    if (a->bounds) {
        if ((err = iffnet_trace_bounds_with(&tr, target, a->lp_solver, &b))) r = cli_fail(err);
        else bp = &b;
    }
    if (!r && a->json) r = write_json(a->json, &tr, target, bp);
    if (!r) r = print_trace(common, a, &tr, target, bp);
    iffnet_trace_destroy(&tr);
out:
    free(acc);
    free(txs);
    return r;
}

int cmd_trace(int argc, char **argv)
{
    cli_common_t common;
    trace_args_t a;
    iffnet_case_t cs;
    int r;
    memset(&a, 0, sizeof a);
    cli_common_init(&common);
    if ((r = parse_args(argc, argv, &common, &a))) return r < 0 ? CLI_EXIT_OK : r;
    if ((r = cli_load_case(argv[optind], &cs))) return r;
    r = run(&cs, &common, &a);
    iffnet_case_destroy(&cs);
    return r;
}
