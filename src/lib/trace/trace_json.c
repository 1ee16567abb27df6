/* trace_json.c: views of a finished trace (exits, conservation check, holders
 * and their paths) and its JSON document for reports. Amounts are JSON numbers in
 * major units of the trace currency, written exactly with its "scale" decimals
 * (the convention of iffnet-formats(5)). */
#include <math.h>
#include "trace_internal.h"
#include "iffnet/json.h"

int iffnet_trace_exits(const iffnet_trace_t *tr, iffnet_trace_exit_t **rows, int64_t *n)
{
    int64_t total = 0, m = 0, *txs, pos[IFFNET_TRACE_NRULES] = {0};
    iffnet_trace_exit_t *out;
    *rows = NULL;
    *n = 0;
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
        for (int64_t k = 0; k < tr->n_txflow[r]; k++) total += tr->txflow[r][k].exit != IFFNET_EXIT_NONE;
    txs = malloc((size_t)total * sizeof *txs + 1);
    if (!txs) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for trace exits");
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
        for (int64_t k = 0; k < tr->n_txflow[r]; k++)
            if (tr->txflow[r][k].exit != IFFNET_EXIT_NONE) txs[m++] = tr->txflow[r][k].tx;
    qsort(txs, (size_t)m, sizeof *txs, iffnet_i_cmp_i64);
    total = 0;
    for (int64_t i = 0; i < m; i++)
        if (i == 0 || txs[i] != txs[i - 1]) txs[total++] = txs[i];
    out = calloc((size_t)total + 1, sizeof *out);
    if (!out) { free(txs); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for trace exits"); }
    for (int64_t i = 0; i < total; i++) {
        out[i].tx = txs[i];
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
            /* each rule's flows are in time order: advance a cursor */
            while (pos[r] < tr->n_txflow[r] && tr->txflow[r][pos[r]].tx < txs[i]) pos[r]++;
            if (pos[r] < tr->n_txflow[r] && tr->txflow[r][pos[r]].tx == txs[i]) {
                out[i].amount[r] = tr->txflow[r][pos[r]].amount;
                out[i].exit = tr->txflow[r][pos[r]].exit;
            }
        }
    }
    free(txs);
    *rows = out;
    *n = total;
    return IFFNET_OK;
}

int iffnet_trace_conserved(const iffnet_trace_t *tr, iffnet_trace_rule_t r)
{
    iffnet_money_t left = 0, out;
    if (!iffnet_trace_rule_conserves(r) || !(tr->opts.rules & (1u << r))) return 0;
    /* In checked arithmetic: a sum that cannot be formed conserves nothing. */
    for (int64_t i = 0; i < tr->n_touched; i++) {
        const iffnet_trace_flow_t *f = &tr->flow[i * IFFNET_TRACE_NRULES + r];
        out = f->held;
        if (iffnet_i_money_add(&out, f->passed) || iffnet_i_money_add(&out, f->left) || f->received != out) return 0;
        if (f->held > tr->final_balance[tr->touched[i]]) return 0;
        if (iffnet_i_money_add(&left, f->left)) return 0;
    }
    out = tr->total_held[r];
    if (!tr->opts.backward && (iffnet_i_money_add(&out, left) || tr->injected != out)) return 0;
    return 1;
}

/* ---- JSON ------------------------------------------------------------------ */

static int trace_scale(const iffnet_trace_t *tr)
{
    return tr->currency >= 0 && tr->c->currency_scale ? tr->c->currency_scale[tr->currency] : 2;
}

/* An amount as a JSON number in major units, written exactly (iffnet-formats(5)). */
static void json_money(iffnet_jsonw_t *w, const char *key, const iffnet_trace_t *tr, iffnet_money_t v)
{
    char buf[48];
    iffnet_amount_format(buf, sizeof buf, v, trace_scale(tr), 0);
    iffnet_jsonw_number(w, key, buf);
}

/* An object with one member per traced rule, from v[r * stride]. */
static void json_rules_money(iffnet_jsonw_t *w, const char *key, const iffnet_trace_t *tr,
                             const iffnet_money_t *v, size_t stride)
{
    iffnet_jsonw_object_begin(w, key);
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
        if (tr->opts.rules & (1u << r)) json_money(w, iffnet_trace_rule_name(r), tr, v[r * stride]);
    iffnet_jsonw_end(w);
}

static void json_sources(iffnet_jsonw_t *w, const iffnet_trace_t *tr)
{
    const iffnet_case_t *c = tr->c;
    iffnet_jsonw_array_begin(w, "sources");
    for (int64_t i = 0; i < tr->opts.n_seed_accounts; i++) {
        iffnet_jsonw_object_begin(w, NULL);
        iffnet_jsonw_str(w, "account", iffnet_case_account_id(c, tr->opts.seed_accounts[i]));
        iffnet_jsonw_end(w);
    }
    for (int64_t i = 0; i < tr->opts.n_seed_tx; i++) {
        iffnet_jsonw_object_begin(w, NULL);
        iffnet_jsonw_str(w, "tx", iffnet_case_tx_id(c, tr->opts.seed_tx[i]));
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
}

static void json_header(iffnet_jsonw_t *w, const iffnet_trace_t *tr)
{
    const iffnet_case_t *c = tr->c;
    iffnet_jsonw_str(w, "command", "trace");
    iffnet_jsonw_str(w, "direction", tr->opts.backward ? "backward" : "forward");
    iffnet_jsonw_str(w, "currency", tr->currency >= 0 ? iffnet_case_currency(c, tr->currency) : "");
    iffnet_jsonw_int(w, "scale", trace_scale(tr));
    iffnet_jsonw_str(w, "amounts", "major units");
    iffnet_jsonw_bool(w, "mixed_currencies", tr->mixed_currencies);
    iffnet_jsonw_object_begin(w, "window");
    iffnet_jsonw_time(w, "since", tr->opts.since);
    iffnet_jsonw_time(w, "until", tr->opts.until);
    iffnet_jsonw_int(w, "transactions", tr->n_tx_window);
    iffnet_jsonw_end(w);
    iffnet_jsonw_int(w, "max_hops", tr->opts.max_hops);
    iffnet_jsonw_bool(w, "stop_abroad", tr->opts.stop_abroad);
    if (tr->opts.amount > 0) json_money(w, "amount_per_source", tr, tr->opts.amount);
    else iffnet_jsonw_null(w, "amount_per_source");
    json_sources(w, tr);
    json_money(w, "injected", tr, tr->injected);
}

/* Per rule: held and left, beside the money tainted at the sources that they
 * are shares of ("injected"), except under poison, which counts whole balances
 * and says so. A rule the step budget stopped is there with "complete": false
 * and no amounts. */
static void json_totals(iffnet_jsonw_t *w, const iffnet_trace_t *tr)
{
    iffnet_jsonw_object_begin(w, "totals");
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        int cut = (tr->rules_cut >> r) & 1;
        if (!(tr->opts.rules & (1u << r)) && !cut) continue;
        iffnet_jsonw_object_begin(w, iffnet_trace_rule_name(r));
        iffnet_jsonw_bool(w, "complete", !cut);
        if (cut) {
            iffnet_jsonw_end(w);
            continue;
        }
        json_money(w, "injected", tr, tr->injected);
        json_money(w, "held", tr, tr->total_held[r]);
        iffnet_jsonw_object_begin(w, "left");
        for (int k = 0; k < IFFNET_EXIT_COUNT; k++) json_money(w, iffnet_exit_kind_name(k), tr, tr->total_left[r][k]);
        iffnet_jsonw_end(w);
        json_money(w, "left_total", tr, tr->left_all[r]);
        iffnet_jsonw_bool(w, "conserves", iffnet_trace_rule_conserves(r));
        iffnet_jsonw_bool(w, "conserved", iffnet_trace_conserved(tr, r));
        if (!iffnet_trace_rule_conserves(r))
            iffnet_jsonw_str(w, "note", "poison counts the whole balance of every account that received taint as "
                             "tainted: its amounts are not shares of the injected money and can exceed it");
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
}

static void json_account_ref(iffnet_jsonw_t *w, const iffnet_case_t *c, int64_t a)
{
    iffnet_jsonw_str(w, "account", iffnet_case_account_id(c, a));
    iffnet_jsonw_str(w, "name", iffnet_case_account_name(c, a));
    iffnet_jsonw_str(w, "country", iffnet_case_account_country(c, a));
}

static void json_flow(iffnet_jsonw_t *w, const char *key, const iffnet_trace_t *tr, const iffnet_trace_flow_t *f)
{
    iffnet_jsonw_object_begin(w, key);
    json_money(w, "received", tr, f->received);
    json_money(w, "held", tr, f->held);
    json_money(w, "passed", tr, f->passed);
    json_money(w, "left", tr, f->left);
    iffnet_jsonw_end(w);
}

static void json_accounts(iffnet_jsonw_t *w, const iffnet_trace_t *tr)
{
    iffnet_jsonw_array_begin(w, "accounts");
    for (int64_t i = 0; i < tr->n_touched; i++) {
        int64_t a = tr->touched[i];
        iffnet_jsonw_object_begin(w, NULL);
        json_account_ref(w, tr->c, a);
        iffnet_jsonw_int(w, "hop", tr->hop[a]);
        json_money(w, "balance", tr, tr->final_balance[a]);
        json_money(w, "unexplained", tr, tr->unexplained[a]);
        iffnet_jsonw_object_begin(w, "rules");
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
            if (tr->opts.rules & (1u << r))
                json_flow(w, iffnet_trace_rule_name(r), tr, &tr->flow[i * IFFNET_TRACE_NRULES + r]);
        iffnet_jsonw_end(w);
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
}

int iffnet_trace_holding_rule(const iffnet_trace_t *tr, int64_t i)
{
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
        if ((tr->opts.rules & (1u << r)) && r != IFFNET_TRACE_POISON && tr->flow[i * IFFNET_TRACE_NRULES + r].held > 0)
            return r;
    return -1;
}

int iffnet_trace_holder_path(const iffnet_trace_t *tr, int64_t i, int64_t *budget, int64_t **txs, int64_t *n,
                             int *complete)
{
    int r = iffnet_trace_holding_rule(tr, i);
    *txs = NULL;
    *n = 0;
    *complete = 0;
    if (r < 0) return iffnet_i_seterr(IFFNET_EINVAL, "account %s holds no taint",
                                      iffnet_case_account_id(tr->c, tr->touched[i]));
    if (*budget <= 0) return IFFNET_OK;
    IFFNET_TRY(iffnet_trace_path(tr, tr->touched[i], (iffnet_trace_rule_t)r, IFFNET_TRACE_PATH_MAX, txs, n, complete));
    *budget -= *n + 1;
    return IFFNET_OK;
}

/* One holder: account slot i, which holds taint under rule r. */
static int json_holder(iffnet_jsonw_t *w, const iffnet_trace_t *tr, int64_t i, int r, int64_t *budget,
                       int64_t *n_cut)
{
    int64_t *path = NULL, n = 0;
    int complete;
    iffnet_money_t held[IFFNET_TRACE_NRULES];
    IFFNET_TRY(iffnet_trace_holder_path(tr, i, budget, &path, &n, &complete));
    *n_cut += !complete;
    for (int k = 0; k < IFFNET_TRACE_NRULES; k++) held[k] = tr->flow[i * IFFNET_TRACE_NRULES + k].held;
    iffnet_jsonw_object_begin(w, NULL);
    json_account_ref(w, tr->c, tr->touched[i]);
    json_rules_money(w, "held", tr, held, 1);
    iffnet_jsonw_str(w, "path_rule", iffnet_trace_rule_name(r));
    iffnet_jsonw_array_begin(w, "path");
    for (int64_t k = 0; k < n; k++) iffnet_jsonw_str(w, NULL, iffnet_case_tx_id(tr->c, path[k]));
    iffnet_jsonw_end(w);
    iffnet_jsonw_bool(w, "path_complete", complete);
    iffnet_jsonw_end(w);
    free(path);
    return IFFNET_OK;
}

/* The holders with their paths; *n_cut: how many paths the limits cut short. */
static int json_holders(iffnet_jsonw_t *w, const iffnet_trace_t *tr, int64_t *n_cut)
{
    int64_t budget = IFFNET_TRACE_PATHS_STEPS;
    *n_cut = 0;
    iffnet_jsonw_array_begin(w, "holders");
    for (int64_t i = 0; i < tr->n_touched; i++) {
        int r = iffnet_trace_holding_rule(tr, i);
        if (r >= 0) IFFNET_TRY(json_holder(w, tr, i, r, &budget, n_cut));
    }
    iffnet_jsonw_end(w);
    return IFFNET_OK;
}

static int json_exits(iffnet_jsonw_t *w, const iffnet_trace_t *tr)
{
    const iffnet_case_t *c = tr->c;
    iffnet_trace_exit_t *x;
    int64_t n;
    IFFNET_TRY(iffnet_trace_exits(tr, &x, &n));
    iffnet_jsonw_array_begin(w, "exits");
    for (int64_t i = 0; i < n; i++) {
        int64_t t = x[i].tx;
        iffnet_jsonw_object_begin(w, NULL);
        iffnet_jsonw_str(w, "tx", iffnet_case_tx_id(c, t));
        iffnet_jsonw_time(w, "time", c->tx_time[t]);
        iffnet_jsonw_str(w, "from", iffnet_case_account_id(c, c->tx_src[t]));
        iffnet_jsonw_str(w, "to", iffnet_case_account_id(c, c->tx_dst[t]));
        iffnet_jsonw_str(w, "kind", iffnet_exit_kind_name(x[i].exit));
        json_rules_money(w, "amount", tr, x[i].amount, 1);
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
    free(x);
    return IFFNET_OK;
}

static void json_origins(iffnet_jsonw_t *w, const iffnet_trace_t *tr)
{
    iffnet_jsonw_array_begin(w, "origins");
    for (int64_t o = 0; o < tr->n_origins; o++) {
        const iffnet_money_t *amount = &tr->origin_amount[o * IFFNET_TRACE_NRULES];
        int any = 0;
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) any |= amount[r] != 0;
        if (!any) continue;
        iffnet_jsonw_object_begin(w, NULL);
        json_account_ref(w, tr->c, tr->origin_account[o]);
        json_rules_money(w, "amount", tr, amount, 1);
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
}

static void json_lp(iffnet_jsonw_t *w, const iffnet_trace_bounds_t *b)
{
    iffnet_jsonw_object_begin(w, "lp");
    iffnet_jsonw_str(w, "solver", b->solver);
    iffnet_jsonw_int(w, "transactions", b->n_tx);
    iffnet_jsonw_int(w, "accounts", b->n_accounts);
    iffnet_jsonw_int(w, "rows", b->n_rows);
    iffnet_jsonw_int(w, "columns", b->n_cols);
    iffnet_jsonw_int(w, "nonzeros", b->n_nonzeros);
    iffnet_jsonw_int(w, "network_nodes", b->n_nodes);
    iffnet_jsonw_int(w, "network_arcs", b->n_arcs);
    iffnet_jsonw_int(w, "steps", b->steps);
    iffnet_jsonw_int(w, "max_steps", b->max_steps);
    iffnet_jsonw_bool(w, "cut_short", b->cut_short);
    iffnet_jsonw_double(w, "seconds", b->seconds, 3);
    iffnet_jsonw_end(w);
}

/* An LP optimum in major units (rounded to the minor unit: GLPK's simplex works
 * in doubles), or null when it was not found. */
static void json_optimum(iffnet_jsonw_t *w, const char *key, const iffnet_trace_t *tr, int status, double v)
{
    if (status == 5 /* GLP_OPT */) json_money(w, key, tr, (iffnet_money_t)llround(v));
    else iffnet_jsonw_null(w, key);
}

static void json_bounds(iffnet_jsonw_t *w, const iffnet_trace_t *tr, int64_t target, const iffnet_trace_bounds_t *b)
{
    int both = b->status_min == 5 && b->status_max == 5; /* GLP_OPT */
    iffnet_jsonw_object_begin(w, "bounds");
    iffnet_jsonw_str(w, "target", iffnet_case_account_id(tr->c, target));
    iffnet_jsonw_str(w, "status", b->status_text);
    iffnet_jsonw_bool(w, "cut_short", b->cut_short);
    json_optimum(w, "min", tr, both ? 5 : 0, b->min);
    json_optimum(w, "max", tr, both ? 5 : 0, b->max);
    json_money(w, "tolerance", tr, (iffnet_money_t)IFFNET_TRACE_LP_TOL);
    json_lp(w, b);
    iffnet_jsonw_object_begin(w, "received");
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        iffnet_trace_flow_t f;
        double got;
        if (!(tr->opts.rules & (1u << r))) continue;
        f = iffnet_trace_account(tr, target, (iffnet_trace_rule_t)r);
        got = (double)f.received;
        iffnet_jsonw_object_begin(w, iffnet_trace_rule_name(r));
        json_money(w, "amount", tr, f.received);
        /* Only a conserving rule's amount has to lie within the LP's bounds. */
        if (!iffnet_trace_rule_conserves(r) || !both) iffnet_jsonw_null(w, "within");
        else iffnet_jsonw_bool(w, "within", got >= b->min - IFFNET_TRACE_LP_TOL && got <= b->max + IFFNET_TRACE_LP_TOL);
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
    iffnet_jsonw_end(w);
}

/* The trace's notes, then the document's own: paths cut by their limits, the
 * LP's budget. */
static void json_notes(iffnet_jsonw_t *w, const iffnet_trace_t *tr, int64_t paths_cut, const iffnet_trace_bounds_t *b)
{
    char buf[256];
    iffnet_jsonw_array_begin(w, "notes");
    for (int64_t i = 0; i < tr->n_notes; i++) iffnet_jsonw_str(w, NULL, tr->notes[i]);
    if (paths_cut) {
        iffnet_trace_paths_note(buf, sizeof buf, paths_cut);
        iffnet_jsonw_str(w, NULL, buf);
    }
    if (b && b->cut_short) {
        iffnet_trace_bounds_note(buf, sizeof buf, b);
        iffnet_jsonw_str(w, NULL, buf);
    }
    iffnet_jsonw_end(w);
}

/* The document's members in order; IFFNET_TRY may leave it unfinished. */
static int json_body(iffnet_jsonw_t *w, const iffnet_trace_t *tr, int64_t target, const iffnet_trace_bounds_t *b,
                     int64_t *paths_cut)
{
    json_header(w, tr);
    json_totals(w, tr);
    json_accounts(w, tr);
    IFFNET_TRY(json_holders(w, tr, paths_cut));
    IFFNET_TRY(json_exits(w, tr));
    if (tr->opts.backward) json_origins(w, tr);
    if (b && target >= 0) json_bounds(w, tr, target, b);
    json_notes(w, tr, *paths_cut, b);
    return IFFNET_OK;
}

void iffnet_trace_paths_note(char *buf, size_t size, int64_t n_cut)
{
    snprintf(buf, size, "paths: %lld holders' paths are cut short (at most %d transfers each, %lld steps for all the "
             "paths); the transfers nearest each holder are given", (long long)n_cut, IFFNET_TRACE_PATH_MAX,
             (long long)IFFNET_TRACE_PATHS_STEPS);
}

void iffnet_trace_bounds_note(char *buf, size_t size, const iffnet_trace_bounds_t *b)
{
    snprintf(buf, size, "LP bounds: stopped after %lld steps (the step budget, --lp-max-steps %lld) on a network of "
             "%lld nodes and %lld arcs; no bounds are given", (long long)b->steps, (long long)b->max_steps,
             (long long)b->n_nodes, (long long)b->n_arcs);
}

int iffnet_trace_write_json(FILE *fp, const iffnet_trace_t *tr, int64_t target, const iffnet_trace_bounds_t *b,
                            int64_t *paths_cut)
{
    iffnet_jsonw_t w;
    int64_t cut = 0;
    int err;
    iffnet_jsonw_init(&w, fp);
    iffnet_jsonw_object_begin(&w, NULL);
    err = json_body(&w, tr, target, b, &cut);
    if (paths_cut) *paths_cut = cut;
    if (err) return err;
    iffnet_jsonw_end(&w);
    err = iffnet_jsonw_finish(&w);
    return err == IFFNET_EIO ? iffnet_i_seterr(err, "write error on the trace report") : err;
}
