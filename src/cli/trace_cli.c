/* trace_cli.c: the output of iffnet trace: the summary, the tables of --table
 * (totals, accounts, holders, exits, sources, bounds) and the notes of work cut
 * short. Every table ends with a currency column; in JSON Lines amounts are
 * numbers, flags true/false, missing values null (iffnet-formats(5)). A text
 * table shows the rows with the most money (--top, default TEXT_TOP): a reader
 * cannot use a million rows, and buffering them to align columns would cost more
 * memory than the trace. */
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include "trace_cli.h"

#define TEXT_TOP 100
#define MAXCOLS (9 + IFFNET_TRACE_NRULES)

static const char *const table_names[] = {"totals", "accounts", "holders", "exits", "sources", "bounds"};

int trace_table_known(const char *name)
{
    for (size_t i = 0; i < sizeof table_names / sizeof *table_names; i++)
        if (strcmp(name, table_names[i]) == 0) return 1;
    return 0;
}

typedef struct {
    const trace_out_t *o;
    FILE *fp;
    const iffnet_trace_t *tr;
    int64_t top;                 /* rows per table, 0 = all */
    int64_t paths_cut;           /* holders whose path the limits cut short */
    int64_t shown, total;        /* rows of the last table written, of how many */
    const char *what;            /* and what they are */
} out_t;

static int traced(const iffnet_trace_t *tr, int r) { return (tr->opts.rules >> r) & 1; }

static int add_rule_cols(const iffnet_trace_t *tr, const char **names, int at)
{
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
        if (traced(tr, r)) names[at++] = iffnet_trace_rule_name((iffnet_trace_rule_t)r);
    return at;
}

static void money(cli_table_t *t, const iffnet_trace_t *tr, iffnet_money_t v)
{
    cli_table_money(t, tr->c, v, tr->currency);
}

static const char *currency(const iffnet_trace_t *tr)
{
    return tr->currency >= 0 ? iffnet_case_currency(tr->c, tr->currency) : "";
}

static void end_row(cli_table_t *t, const iffnet_trace_t *tr)
{
    cli_table_str(t, currency(tr));
    cli_table_end_row(t);
}

static int cmp_index(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

static int cmp_key_desc(const void *pa, const void *pb, void *arg)
{
    const iffnet_money_t *key = arg;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    if (key[a] != key[b]) return key[a] > key[b] ? -1 : 1;
    return (a > b) - (a < b);
}

/* The rows to write of n candidates: all of them, or the `top` with the largest
 * key (ties: the earlier row), in their own order. *rows is malloc'd. */
static int pick_rows(int64_t n, const iffnet_money_t *key, int64_t top, int64_t **rows, int64_t *kept)
{
    int64_t *r = malloc((size_t)n * sizeof *r + 1);
    if (!r) return -1;
    for (int64_t i = 0; i < n; i++) r[i] = i;
    if (top > 0 && n > top) {
        qsort_r(r, (size_t)n, sizeof *r, cmp_key_desc, (void *)key);
        qsort(r, (size_t)top, sizeof *r, cmp_index);
        n = top;
    }
    *rows = r;
    *kept = n;
    return 0;
}

/* A table's rows: shown of total, for the line after a text table cut by --top. */
static void count_rows(out_t *o, int64_t shown, int64_t total, const char *what)
{
    o->shown = shown;
    o->total = total;
    o->what = what;
}

/* ---- tables ---- */

/* Per rule: what it leaves held and what left the case, beside the money tainted
 * at the sources they are shares of (conserving rules), or marked as stopped. */
static int table_totals(const out_t *o, cli_table_t *t)
{
    const iffnet_trace_t *tr = o->tr;
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        int cut = (tr->rules_cut >> r) & 1;
        if (!traced(tr, r) && !cut) continue;
        cli_table_str(t, iffnet_trace_rule_name((iffnet_trace_rule_t)r));
        cli_table_bool(t, !cut);
        if (cut) {
            for (int k = 0; k < 4 + IFFNET_EXIT_COUNT; k++) cli_table_null(t);
        } else {
            money(t, tr, tr->injected);
            money(t, tr, tr->total_held[r]);
            money(t, tr, tr->left_all[r]);
            for (int k = 0; k < IFFNET_EXIT_COUNT; k++) money(t, tr, tr->total_left[r][k]);
            cli_table_bool(t, iffnet_trace_rule_conserves((iffnet_trace_rule_t)r));
        }
        if (cut || !iffnet_trace_rule_conserves((iffnet_trace_rule_t)r)) cli_table_null(t); /* nothing to check */
        else cli_table_bool(t, iffnet_trace_conserved(tr, (iffnet_trace_rule_t)r));
        end_row(t, tr);
    }
    return 0;
}

static int table_accounts(out_t *o, cli_table_t *t)
{
    const iffnet_trace_t *tr = o->tr;
    iffnet_money_t *key = calloc((size_t)tr->n_touched + 1, sizeof *key);
    int64_t *rows = NULL, n = 0;
    if (!key) return -1;
    for (int64_t i = 0; i < tr->n_touched; i++)
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (traced(tr, r) && tr->flow[i * IFFNET_TRACE_NRULES + r].received > key[i])
                key[i] = tr->flow[i * IFFNET_TRACE_NRULES + r].received;
    if (pick_rows(tr->n_touched, key, o->top, &rows, &n)) { free(key); return -1; }
    for (int64_t k = 0; k < n; k++) {
        int64_t i = rows[k], a = tr->touched[i];
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
            const iffnet_trace_flow_t *f = &tr->flow[i * IFFNET_TRACE_NRULES + r];
            if (!traced(tr, r) || (!f->received && !f->held && !f->passed && !f->left)) continue;
            cli_table_str(t, iffnet_case_account_id(tr->c, a));
            cli_table_str(t, iffnet_case_account_name(tr->c, a));
            cli_table_str(t, iffnet_trace_rule_name((iffnet_trace_rule_t)r));
            money(t, tr, f->received); money(t, tr, f->held); money(t, tr, f->passed); money(t, tr, f->left);
            money(t, tr, tr->unexplained[a]);
            end_row(t, tr);
        }
    }
    count_rows(o, n, tr->n_touched, "accounts");
    free(rows); free(key);
    return 0;
}

/* The path as a list of transaction ids, oldest first. */
static int path_list(cli_table_t *t, const iffnet_trace_t *tr, const int64_t *path, int64_t n)
{
    const char **ids = malloc((size_t)n * sizeof *ids + 1);
    if (!ids) return IFFNET_ENOMEM;
    for (int64_t k = 0; k < n; k++) ids[k] = iffnet_case_tx_id(tr->c, path[k]);
    cli_table_list(t, n, ids);
    free(ids);
    return IFFNET_OK;
}

/* The recovery schedule: who still holds tainted money, per rule, and the
 * principal path that brought it (under the first rule that has it there). */
static int table_holders(out_t *o, cli_table_t *t)
{
    const iffnet_trace_t *tr = o->tr;
    iffnet_money_t *key = calloc((size_t)tr->n_touched + 1, sizeof *key);
    int64_t *slot = malloc((size_t)tr->n_touched * sizeof *slot + 1), *rows = NULL, n = 0, m = 0;
    int64_t budget = IFFNET_TRACE_PATHS_STEPS;
    int err = 0;
    if (!key || !slot) { free(key); free(slot); return -1; }
    for (int64_t i = 0; i < tr->n_touched; i++) {
        if (iffnet_trace_holding_rule(tr, i) < 0) continue;
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (traced(tr, r) && r != IFFNET_TRACE_POISON && tr->flow[i * IFFNET_TRACE_NRULES + r].held > key[m])
                key[m] = tr->flow[i * IFFNET_TRACE_NRULES + r].held;
        slot[m++] = i;
    }
    if (pick_rows(m, key, o->top, &rows, &n)) { free(key); free(slot); return -1; }
    for (int64_t k = 0; k < n && !err; k++) {
        int64_t i = slot[rows[k]], a = tr->touched[i], *path = NULL, np = 0;
        int complete;
        if ((err = iffnet_trace_holder_path(tr, i, &budget, &path, &np, &complete))) break;
        o->paths_cut += !complete;
        cli_table_str(t, iffnet_case_account_id(tr->c, a));
        cli_table_str(t, iffnet_case_account_name(tr->c, a));
        cli_table_str(t, iffnet_case_account_country(tr->c, a));
        money(t, tr, tr->final_balance[a]);
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (traced(tr, r)) money(t, tr, tr->flow[i * IFFNET_TRACE_NRULES + r].held);
        err = path_list(t, tr, path, np);
        cli_table_bool(t, complete);
        end_row(t, tr);
        free(path);
    }
    count_rows(o, n, m, "holders");
    free(rows); free(key); free(slot);
    return err ? cli_fail(err) : 0;
}

static int table_exits(out_t *o, cli_table_t *t)
{
    const iffnet_trace_t *tr = o->tr;
    iffnet_trace_exit_t *x = NULL;
    iffnet_money_t *key;
    int64_t nx = 0, *rows = NULL, n = 0;
    int err;
    if ((err = iffnet_trace_exits(tr, &x, &nx))) return cli_fail(err);
    if (!(key = calloc((size_t)nx + 1, sizeof *key))) { free(x); return -1; }
    for (int64_t i = 0; i < nx; i++)
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (traced(tr, r) && x[i].amount[r] > key[i]) key[i] = x[i].amount[r];
    if (pick_rows(nx, key, o->top, &rows, &n)) { free(x); free(key); return -1; }
    for (int64_t k = 0; k < n; k++) {
        const iffnet_trace_exit_t *e = &x[rows[k]];
        char tb[32];
        iffnet_time_format(tb, sizeof tb, tr->c->tx_time[e->tx], 0);
        cli_table_str(t, iffnet_case_tx_id(tr->c, e->tx));
        cli_table_str(t, tb);
        cli_table_str(t, iffnet_case_account_id(tr->c, tr->c->tx_src[e->tx]));
        cli_table_str(t, iffnet_case_account_id(tr->c, tr->c->tx_dst[e->tx]));
        cli_table_str(t, iffnet_exit_kind_name((iffnet_exit_kind_t)e->exit));
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (traced(tr, r)) money(t, tr, e->amount[r]);
        end_row(t, tr);
    }
    count_rows(o, n, nx, "exits");
    free(rows); free(key); free(x);
    return 0;
}

static int table_sources(out_t *o, cli_table_t *t)
{
    const iffnet_trace_t *tr = o->tr;
    iffnet_money_t *key = calloc((size_t)tr->n_origins + 1, sizeof *key);
    int64_t *orig = malloc((size_t)tr->n_origins * sizeof *orig + 1), *rows = NULL, n = 0, m = 0;
    if (!key || !orig) { free(key); free(orig); return -1; }
    for (int64_t k = 0; k < tr->n_origins; k++) {
        const iffnet_money_t *v = &tr->origin_amount[k * IFFNET_TRACE_NRULES];
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (v[r] > key[m]) key[m] = v[r];
        if (key[m] > 0) orig[m++] = k;
    }
    if (pick_rows(m, key, o->top, &rows, &n)) { free(key); free(orig); return -1; }
    for (int64_t j = 0; j < n; j++) {
        int64_t k = orig[rows[j]], a = tr->origin_account[k];
        cli_table_str(t, iffnet_case_account_id(tr->c, a));
        cli_table_str(t, iffnet_case_account_name(tr->c, a));
        cli_table_str(t, iffnet_case_account_country(tr->c, a));
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (traced(tr, r)) money(t, tr, tr->origin_amount[k * IFFNET_TRACE_NRULES + r]);
        end_row(t, tr);
    }
    count_rows(o, n, m, "origins");
    free(rows); free(key); free(orig);
    return 0;
}

/* What reached the --to account per rule, with the LP bounds when computed
 * (empty, null in JSON, when the budget stopped them). */
static int table_bounds(const out_t *o, cli_table_t *t)
{
    const iffnet_trace_t *tr = o->tr;
    const iffnet_trace_bounds_t *b = o->o->b;
    int solved = b && !strcmp(b->status_text, "optimal");
    for (int r = 0; o->o->target >= 0 && r < IFFNET_TRACE_NRULES; r++) {
        iffnet_money_t v = iffnet_trace_account(tr, o->o->target, (iffnet_trace_rule_t)r).received;
        if (!traced(tr, r)) continue;
        cli_table_str(t, iffnet_case_account_id(tr->c, o->o->target));
        cli_table_str(t, iffnet_trace_rule_name((iffnet_trace_rule_t)r));
        money(t, tr, v);
        if (solved) {
            /* LP optima are doubles: shown rounded to the nearest minor unit */
            money(t, tr, (iffnet_money_t)llround(b->min));
            money(t, tr, (iffnet_money_t)llround(b->max));
        } else {
            cli_table_null(t);
            cli_table_null(t);
        }
        if (solved && iffnet_trace_rule_conserves((iffnet_trace_rule_t)r))
            cli_table_bool(t, (double)v >= b->min - IFFNET_TRACE_LP_TOL && (double)v <= b->max + IFFNET_TRACE_LP_TOL);
        else
            cli_table_null(t); /* poison need not lie within; no bounds, nothing to say */
        cli_table_str(t, b ? b->status_text : "");
        cli_table_str(t, b ? b->solver : "");
        end_row(t, tr);
    }
    return 0;
}

/* ---- one table ---- */

static int write_table(out_t *o, const char *name)
{
    const iffnet_trace_t *tr = o->tr;
    const char *cols[MAXCOLS];
    int n = 0, r;
    cli_table_t *t;
    if (!strcmp(name, "totals")) {
        static const char *const c[] = {"rule", "complete", "injected", "held", "left", "left_cash", "left_external",
                                        "left_abroad", "left_hop_limit", "conserves", "conserved"};
        for (size_t i = 0; i < sizeof c / sizeof *c; i++) cols[n++] = c[i];
    } else if (!strcmp(name, "accounts")) {
        static const char *const c[] = {"account", "name", "rule", "received", "held", "passed", "left", "unexplained"};
        for (size_t i = 0; i < sizeof c / sizeof *c; i++) cols[n++] = c[i];
    } else if (!strcmp(name, "holders")) {
        cols[n++] = "account"; cols[n++] = "name"; cols[n++] = "country"; cols[n++] = "balance";
        n = add_rule_cols(tr, cols, n);
        cols[n++] = "path"; cols[n++] = "path_complete";
    } else if (!strcmp(name, "exits")) {
        cols[n++] = "tx"; cols[n++] = "time"; cols[n++] = "from"; cols[n++] = "to"; cols[n++] = "kind";
        n = add_rule_cols(tr, cols, n);
    } else if (!strcmp(name, "sources")) {
        cols[n++] = "account"; cols[n++] = "name"; cols[n++] = "country";
        n = add_rule_cols(tr, cols, n);
    } else {
        static const char *const c[] = {"target", "rule", "received", "lp_min", "lp_max", "within", "lp_status",
                                        "lp_solver"};
        for (size_t i = 0; i < sizeof c / sizeof *c; i++) cols[n++] = c[i];
    }
    cols[n++] = "currency";
    if (!(t = cli_table_new(o->fp, o->o->fmt, n, cols))) { cli_error("out of memory"); return CLI_EXIT_DATA; }
    o->shown = o->total = 0;
    if (!strcmp(name, "totals")) r = table_totals(o, t);
    else if (!strcmp(name, "accounts")) r = table_accounts(o, t);
    else if (!strcmp(name, "holders")) r = table_holders(o, t);
    else if (!strcmp(name, "exits")) r = table_exits(o, t);
    else if (!strcmp(name, "sources")) r = table_sources(o, t);
    else r = table_bounds(o, t);
    if (cli_table_free(t) || r < 0) { cli_error("out of memory"); return CLI_EXIT_DATA; }
    if (o->o->fmt == CLI_FMT_TABLE && o->shown < o->total)
        fprintf(o->fp, "(the %lld %s with the most tainted money, of %lld; --top 0 or --format csv for all)\n",
                (long long)o->shown, o->what, (long long)o->total);
    return r;
}

/* ---- text ---- */

static void fmt_money(const iffnet_trace_t *tr, char *buf, size_t size, iffnet_money_t v, int code)
{
    iffnet_case_format_money(tr->c, buf, size, v, tr->currency, code);
}

/* One rule's line: held and left, as shares of the money tainted at the sources
 * for a conserving rule, and for poison the base said outright: it counts whole
 * balances, so its amounts can exceed what was tainted. */
static void summary_rule(const out_t *o, int r)
{
    const iffnet_trace_t *tr = o->tr;
    char held[64], left_s[64], base[64], buf[64];
    iffnet_money_t left = tr->left_all[r];
    if ((tr->rules_cut >> r) & 1) {
        fprintf(o->fp, "  %-8s stopped by the step budget: left out (see the notes)\n",
                iffnet_trace_rule_name((iffnet_trace_rule_t)r));
        return;
    }
    fmt_money(tr, held, sizeof held, tr->total_held[r], 0);
    fmt_money(tr, left_s, sizeof left_s, left, 0);
    fmt_money(tr, base, sizeof base, tr->injected, 0);
    fprintf(o->fp, "  %-8s held %s", iffnet_trace_rule_name((iffnet_trace_rule_t)r), held);
    if (!tr->opts.backward && tr->injected > 0 && iffnet_trace_rule_conserves((iffnet_trace_rule_t)r))
        fprintf(o->fp, " (%.1f %% of the %s tainted)", 100.0 * (double)tr->total_held[r] / (double)tr->injected, base);
    fprintf(o->fp, ", left the case %s", left_s);
    for (int k = 0; k < IFFNET_EXIT_COUNT; k++) {
        fmt_money(tr, buf, sizeof buf, tr->total_left[r][k], 0);
        fprintf(o->fp, "%s%s %s", k ? ", " : " (", iffnet_exit_kind_name((iffnet_exit_kind_t)k), buf);
    }
    if (iffnet_trace_rule_conserves((iffnet_trace_rule_t)r))
        fprintf(o->fp, ")%s\n", iffnet_trace_conserved(tr, (iffnet_trace_rule_t)r) ? ", conserved" : ", NOT CONSERVED");
    else
        fprintf(o->fp, "), not conserving: it counts the whole balance of every account that received taint, so "
                "these are not shares of the %s tainted and can exceed it\n", base);
}

static void summary(const out_t *o)
{
    const iffnet_trace_t *tr = o->tr;
    const iffnet_trace_bounds_t *b = o->o->b;
    char buf[64];
    fprintf(o->fp, "trace %s: %lld transactions in the window, amounts in %s%s\n",
            tr->opts.backward ? "backward" : "forward", (long long)tr->n_tx_window, currency(tr),
            tr->mixed_currencies ? " (the case mixes currencies without rates: values are not converted)" : "");
    if (!tr->opts.backward) {
        fmt_money(tr, buf, sizeof buf, tr->injected, 1);
        fprintf(o->fp, "tainted at the sources: %s\n", buf);
    }
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
        if (traced(tr, r) || ((tr->rules_cut >> r) & 1)) summary_rule(o, r);
    if (!b) return;
    fprintf(o->fp, "LP bounds: %s (solver %s); sub-network of %lld transactions and %lld accounts; %lld rows, %lld "
            "columns, %lld non-zeros; ", b->status_text, b->solver, (long long)b->n_tx, (long long)b->n_accounts,
            (long long)b->n_rows, (long long)b->n_cols, (long long)b->n_nonzeros);
    if (strcmp(b->solver, "simplex") == 0) fputs("GLPK's simplex on the LP itself; ", o->fp);
    else fprintf(o->fp, "after the exact reductions a network of %lld nodes and %lld arcs; ", (long long)b->n_nodes,
                 (long long)b->n_arcs);
    fprintf(o->fp, "%lld steps of %lld; %.3f s\n", (long long)b->steps, (long long)b->max_steps, b->seconds);
}

static const char *section_title(const char *name)
{
    return !strcmp(name, "accounts") ? "tainted money per account" :
           !strcmp(name, "holders") ? "recovery schedule (tainted money still held)" :
           !strcmp(name, "exits") ? "left the case" :
           !strcmp(name, "sources") ? "sources of the money received" : "target";
}

/* Every note of work cut short, through fn (a line each). */
static void each_note(const out_t *o, void (*fn)(void *, const char *), void *arg)
{
    char buf[256];
    for (int64_t i = 0; i < o->tr->n_notes; i++) fn(arg, o->tr->notes[i]);
    if (o->paths_cut) {
        iffnet_trace_paths_note(buf, sizeof buf, o->paths_cut);
        fn(arg, buf);
    }
    if (o->o->b && o->o->b->cut_short) {
        iffnet_trace_bounds_note(buf, sizeof buf, o->o->b);
        fn(arg, buf);
    }
}

static void note_line(void *fp, const char *s) { fprintf(fp, "  %s\n", s); }
static void note_stderr(void *unused, const char *s) { (void)unused; fprintf(stderr, "iffnet trace: note: %s\n", s); }
static void note_count(void *n, const char *s) { (void)s; ++*(int *)n; }

int trace_print(FILE *fp, const trace_out_t *o)
{
    static const char *const text_order[] = {"accounts", "holders", "exits", "sources", "bounds"};
    out_t x = {o, fp, o->tr, o->top >= 0 ? o->top : o->fmt == CLI_FMT_TABLE ? TEXT_TOP : 0, 0, 0, 0, NULL};
    int r = 0, n_notes = 0;
    if (o->fmt != CLI_FMT_TABLE) {
        r = write_table(&x, o->table ? o->table : "accounts");
    } else {
        summary(&x);
        for (size_t i = 0; !r && i < sizeof text_order / sizeof *text_order; i++) {
            if (!strcmp(text_order[i], "sources") && !o->tr->opts.backward) continue;
            if (!strcmp(text_order[i], "bounds") && o->target < 0) continue;
            fprintf(fp, "\n%s\n", section_title(text_order[i]));
            r = write_table(&x, text_order[i]);
        }
        each_note(&x, note_count, &n_notes);
        if (!r && n_notes) {
            fprintf(fp, "\nnotes: work cut short\n");
            each_note(&x, note_line, fp);
        }
    }
    each_note(&x, note_stderr, NULL); /* work cut short is a warning: -q does not hide it */
    return r;
}
