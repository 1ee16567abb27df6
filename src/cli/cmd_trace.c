/* cmd_trace.c: iffnet trace: follow tainted funds with forensic rules and LP bounds. */
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include "cli.h"
#include "iffnet/trace.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet trace CASE (--from ACCOUNT[,...] | --from-tx TXID[,...]) [--amount X]\n"
            "       [--since T] [--until T] [--rule RULES] [--direction forward|backward]\n"
            "       [--max-hops K] [--follow-abroad] [--table NAME] [--json FILE]\n"
            "       [--to ACCOUNT [--bounds [--lp-solver SOLVER]]] [options]\n"
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
            "      --follow-abroad   keep following money paid abroad (default: it left the case)\n"
            "      --to ACCOUNT      report what reached ACCOUNT under each rule\n"
            "      --bounds          with --to: the least and most tainted money that can have\n"
            "                        reached ACCOUNT, by linear programming (min-cost flows)\n"
            "      --lp-solver SOLVER\n"
            "                        with --bounds: auto (default: okalg if the amounts fit in\n"
            "                        int, else network), okalg (GLPK out-of-kilter), network\n"
            "                        (iffnet's network simplex, int64) or simplex (GLPK simplex)\n"
            "      --table NAME      accounts, holders, exits, sources or bounds: the table written\n"
            "                        with --format csv, tsv or json (default: accounts)\n"
            "      --json FILE       also write the whole trace as one JSON document\n"
            "\n");
    cli_common_help(fp);
}

enum { OPT_AMOUNT = CLI_OPT_FIRST_CMD, OPT_SINCE, OPT_UNTIL, OPT_HOPS, OPT_TO, OPT_BOUNDS, OPT_TABLE, OPT_JSON,
       OPT_ABROAD, OPT_LP_SOLVER, OPT_FROM_TX, OPT_RULE };

typedef struct {
    const char *from, *from_tx, *amount, *to, *table, *json;
    int bounds, lp_solver_set;
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
        {"follow-abroad", no_argument, NULL, OPT_ABROAD}, {"lp-solver", required_argument, NULL, OPT_LP_SOLVER},
        CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    int c, r;
    int64_t v;
    iffnet_trace_opts_default(&a->t);
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
        case OPT_JSON: a->json = optarg; break;
        case OPT_ABROAD: a->t.follow_abroad = 1; break;
        case OPT_LP_SOLVER:
            if (iffnet_lp_solver_parse(optarg, &a->lp_solver)) return cli_usage("option '--lp-solver': %s", iffnet_errmsg());
            a->lp_solver_set = 1;
            break;
        default: return cli_bad_option(argc, argv, longopts);
        }
    }
    if (optind + 1 != argc) return cli_usage(optind < argc ? "expected one case file" : "no case file given");
    if (!a->from == !a->from_tx) return cli_usage("give either --from or --from-tx");
    if (a->t.backward && a->from_tx) return cli_usage("a backward trace starts --from accounts");
    if (a->bounds && !a->to) return cli_usage("--bounds needs --to ACCOUNT");
    if (a->bounds && a->t.backward) return cli_usage("--bounds needs a forward trace");
    if (a->lp_solver_set && !a->bounds) return cli_usage("--lp-solver needs --bounds");
    if (a->t.since > a->t.until) return cli_usage("--since is after --until");
    if (!a->table) a->table = "accounts";
    if (strcmp(a->table, "accounts") && strcmp(a->table, "holders") && strcmp(a->table, "exits") &&
        strcmp(a->table, "sources") && strcmp(a->table, "bounds"))
        return cli_usage("option '--table': \"%s\" is not accounts, holders, exits, sources or bounds", a->table);
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

/* ---- output ---------------------------------------------------------------- */

#define MAXCOLS (8 + IFFNET_TRACE_NRULES)

typedef struct {
    FILE *fp;
    cli_format_t fmt;
    const iffnet_trace_t *tr;
    int64_t target;
    const iffnet_trace_bounds_t *b;
} out_t;

static int nrules(const iffnet_trace_t *tr, const char **names, int at)
{
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
        if (tr->opts.rules & (1u << r)) names[at++] = iffnet_trace_rule_name((iffnet_trace_rule_t)r);
    return at;
}

static void money(cli_table_t *t, const iffnet_trace_t *tr, iffnet_money_t v)
{
    cli_table_money(t, tr->c, v, tr->currency);
}

static cli_table_t *table_accounts(const out_t *o)
{
    static const char *const cols[] = {"account", "name", "rule", "received", "held", "passed", "left", "unexplained"};
    const iffnet_trace_t *tr = o->tr;
    cli_table_t *t = cli_table_new(o->fp, o->fmt, 8, cols);
    for (int64_t i = 0; t && i < tr->n_touched; i++)
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
            const iffnet_trace_flow_t *f = &tr->flow[i * IFFNET_TRACE_NRULES + r];
            if (!(tr->opts.rules & (1u << r)) || (!f->received && !f->held && !f->passed && !f->left)) continue;
            cli_table_str(t, iffnet_case_account_id(tr->c, tr->touched[i]));
            cli_table_str(t, iffnet_case_account_name(tr->c, tr->touched[i]));
            cli_table_str(t, iffnet_trace_rule_name((iffnet_trace_rule_t)r));
            money(t, tr, f->received); money(t, tr, f->held); money(t, tr, f->passed); money(t, tr, f->left);
            money(t, tr, tr->unexplained[tr->touched[i]]);
            cli_table_end_row(t);
        }
    return t;
}

/* The recovery schedule: who still holds tainted money, per rule, and the
 * principal path that brought it (under the first rule that has it there). */
static cli_table_t *table_holders(const out_t *o, int *err)
{
    const char *cols[MAXCOLS] = {"account", "name", "country", "balance"};
    const iffnet_trace_t *tr = o->tr;
    int n = nrules(tr, cols, 4), pr;
    cli_table_t *t;
    cols[n++] = "path";
    if (!(t = cli_table_new(o->fp, o->fmt, n, cols))) return NULL;
    for (int64_t i = 0; i < tr->n_touched; i++) {
        int64_t a = tr->touched[i], *path = NULL, np = 0;
        char buf[4096];
        size_t len = 0;
        for (pr = 0; pr < IFFNET_TRACE_NRULES; pr++)
            if ((tr->opts.rules & (1u << pr)) && pr != IFFNET_TRACE_POISON && tr->flow[i * IFFNET_TRACE_NRULES + pr].held) break;
        if (pr == IFFNET_TRACE_NRULES) continue;
        if ((*err = iffnet_trace_path(tr, a, (iffnet_trace_rule_t)pr, &path, &np))) return t;
        cli_table_str(t, iffnet_case_account_id(tr->c, a));
        cli_table_str(t, iffnet_case_account_name(tr->c, a));
        cli_table_str(t, iffnet_case_account_country(tr->c, a));
        money(t, tr, tr->final_balance[a]);
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (tr->opts.rules & (1u << r)) money(t, tr, tr->flow[i * IFFNET_TRACE_NRULES + r].held);
        buf[0] = 0;
        for (int64_t k = 0; k < np && len + 40 < sizeof buf; k++)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", k ? ">" : "", iffnet_case_tx_id(tr->c, path[k]));
        cli_table_str(t, buf);
        cli_table_end_row(t);
        free(path);
    }
    return t;
}

static cli_table_t *table_exits(const out_t *o, int *err)
{
    const char *cols[MAXCOLS] = {"tx", "time", "from", "to", "kind"};
    const iffnet_trace_t *tr = o->tr;
    int n = nrules(tr, cols, 5);
    iffnet_trace_exit_t *x = NULL;
    int64_t nx = 0;
    cli_table_t *t = cli_table_new(o->fp, o->fmt, n, cols);
    if (!t || (*err = iffnet_trace_exits(tr, &x, &nx))) return t;
    for (int64_t i = 0; i < nx; i++) {
        char tb[32];
        iffnet_time_format(tb, sizeof tb, tr->c->tx_time[x[i].tx], 0);
        cli_table_str(t, iffnet_case_tx_id(tr->c, x[i].tx));
        cli_table_str(t, tb);
        cli_table_str(t, iffnet_case_account_id(tr->c, tr->c->tx_src[x[i].tx]));
        cli_table_str(t, iffnet_case_account_id(tr->c, tr->c->tx_dst[x[i].tx]));
        cli_table_str(t, iffnet_exit_kind_name((iffnet_exit_kind_t)x[i].exit));
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (tr->opts.rules & (1u << r)) money(t, tr, x[i].amount[r]);
        cli_table_end_row(t);
    }
    free(x);
    return t;
}

static cli_table_t *table_sources(const out_t *o)
{
    const char *cols[MAXCOLS] = {"account", "name", "country"};
    const iffnet_trace_t *tr = o->tr;
    int n = nrules(tr, cols, 3);
    cli_table_t *t = cli_table_new(o->fp, o->fmt, n, cols);
    for (int64_t k = 0; t && k < tr->n_origins; k++) {
        const iffnet_money_t *v = &tr->origin_amount[k * IFFNET_TRACE_NRULES];
        int any = 0;
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) any |= v[r] != 0;
        if (!any) continue;
        cli_table_str(t, iffnet_case_account_id(tr->c, tr->origin_account[k]));
        cli_table_str(t, iffnet_case_account_name(tr->c, tr->origin_account[k]));
        cli_table_str(t, iffnet_case_account_country(tr->c, tr->origin_account[k]));
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (tr->opts.rules & (1u << r)) money(t, tr, v[r]);
        cli_table_end_row(t);
    }
    return t;
}

/* What reached the --to account per rule, with the LP bounds when computed. */
static cli_table_t *table_bounds(const out_t *o)
{
    static const char *const cols[] = {"target", "rule", "received", "lp_min", "lp_max", "within", "lp_status", "lp_solver"};
    const iffnet_trace_t *tr = o->tr;
    cli_table_t *t = cli_table_new(o->fp, o->fmt, 8, cols);
    for (int r = 0; t && o->target >= 0 && r < IFFNET_TRACE_NRULES; r++) {
        iffnet_money_t v = iffnet_trace_account(tr, o->target, (iffnet_trace_rule_t)r).received;
        int ok = o->b && (double)v >= o->b->min - IFFNET_TRACE_LP_TOL && (double)v <= o->b->max + IFFNET_TRACE_LP_TOL;
        if (!(tr->opts.rules & (1u << r))) continue;
        cli_table_str(t, iffnet_case_account_id(tr->c, o->target));
        cli_table_str(t, iffnet_trace_rule_name((iffnet_trace_rule_t)r));
        money(t, tr, v);
        if (o->b) {
            /* LP optima are doubles: shown rounded to the nearest minor unit */
            money(t, tr, (iffnet_money_t)llround(o->b->min));
            money(t, tr, (iffnet_money_t)llround(o->b->max));
        } else {
            cli_table_str(t, "");
            cli_table_str(t, "");
        }
        cli_table_str(t, !o->b ? "" : !iffnet_trace_rule_conserves((iffnet_trace_rule_t)r) ? "n/a" : ok ? "yes" : "NO");
        cli_table_str(t, o->b ? o->b->status_text : "");
        cli_table_str(t, o->b ? o->b->solver : "");
        cli_table_end_row(t);
    }
    return t;
}

static void summary(const out_t *o)
{
    const iffnet_trace_t *tr = o->tr;
    const char *cur = tr->currency >= 0 ? iffnet_case_currency(tr->c, tr->currency) : "";
    char buf[64];
    fprintf(o->fp, "trace %s: %lld transactions in the window, amounts in %s%s\n",
            tr->opts.backward ? "backward" : "forward", (long long)tr->n_tx_window, cur,
            tr->mixed_currencies ? " (the case mixes currencies without rates: values are not converted)" : "");
    if (!tr->opts.backward) {
        iffnet_case_format_money(tr->c, buf, sizeof buf, tr->injected, tr->currency, 1);
        fprintf(o->fp, "tainted at the sources: %s\n", buf);
    }
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        iffnet_money_t left = 0;
        if (!(tr->opts.rules & (1u << r))) continue;
        for (int k = 0; k < IFFNET_EXIT_COUNT; k++) left += tr->total_left[r][k];
        iffnet_case_format_money(tr->c, buf, sizeof buf, tr->total_held[r], tr->currency, 0);
        fprintf(o->fp, "  %-8s held %s", iffnet_trace_rule_name((iffnet_trace_rule_t)r), buf);
        iffnet_case_format_money(tr->c, buf, sizeof buf, left, tr->currency, 0);
        fprintf(o->fp, ", left the case %s", buf);
        for (int k = 0; k < IFFNET_EXIT_COUNT; k++) {
            iffnet_case_format_money(tr->c, buf, sizeof buf, tr->total_left[r][k], tr->currency, 0);
            fprintf(o->fp, "%s%s %s", k ? ", " : " (", iffnet_exit_kind_name((iffnet_exit_kind_t)k), buf);
        }
        fprintf(o->fp, ")%s\n", !iffnet_trace_rule_conserves((iffnet_trace_rule_t)r) ? ", not conserving" :
                iffnet_trace_conserved(tr, (iffnet_trace_rule_t)r) ? ", conserved" : ", NOT CONSERVED");
    }
    if (o->b)
        fprintf(o->fp, "LP bounds: %s (solver %s); sub-network of %lld transactions and %lld accounts; %lld rows, "
                "%lld columns, %lld non-zeros; %.3f s\n", o->b->status_text, o->b->solver, (long long)o->b->n_tx,
                (long long)o->b->n_accounts,
                (long long)o->b->n_rows, (long long)o->b->n_cols, (long long)o->b->n_nonzeros, o->b->seconds);
}

static int section(const out_t *o, const char *name, int *err)
{
    cli_table_t *t = NULL;
    int e = 0;
    if (o->fmt == CLI_FMT_TABLE) fprintf(o->fp, "\n%s\n", strcmp(name, "accounts") == 0 ? "tainted money per account" :
                                        strcmp(name, "holders") == 0 ? "recovery schedule (tainted money still held)" :
                                        strcmp(name, "exits") == 0 ? "left the case" :
                                        strcmp(name, "sources") == 0 ? "sources of the money received" : "target");
    if (strcmp(name, "accounts") == 0) t = table_accounts(o);
    else if (strcmp(name, "holders") == 0) t = table_holders(o, &e);
    else if (strcmp(name, "exits") == 0) t = table_exits(o, &e);
    else if (strcmp(name, "sources") == 0) t = table_sources(o);
    else t = table_bounds(o);
    if (!t || cli_table_free(t)) { cli_error("out of memory"); return CLI_EXIT_DATA; }
    if (e) { *err = e; return cli_fail(e); }
    return 0;
}

static int print_trace(cli_common_t *common, const trace_args_t *a, const iffnet_trace_t *tr, int64_t target,
                       const iffnet_trace_bounds_t *b)
{
    iffnet_out_t io;
    out_t o;
    int r, err = 0;
    if ((r = cli_open_output(&io, common->output))) return r;
    o.fp = io.fp; o.fmt = common->format; o.tr = tr; o.target = target; o.b = b;
    if (o.fmt != CLI_FMT_TABLE) {
        r = section(&o, a->table, &err);
    } else {
        summary(&o);
        r = section(&o, "accounts", &err);
        if (!r) r = section(&o, "holders", &err);
        if (!r) r = section(&o, "exits", &err);
        if (!r && tr->opts.backward) r = section(&o, "sources", &err);
        if (!r && target >= 0) r = section(&o, "bounds", &err);
    }
    if (r) { iffnet_out_abort(&io); return r; }
    return cli_commit_output(&io);
}

static int write_json(const char *path, const iffnet_trace_t *tr, int64_t target, const iffnet_trace_bounds_t *b)
{
    iffnet_out_t o;
    int r, err;
    if ((r = cli_open_output(&o, path))) return r;
    if ((err = iffnet_trace_write_json(o.fp, tr, target, b))) { iffnet_out_abort(&o); return cli_fail(err); }
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
