/* trace_json.c: views of a finished trace (exits, conservation check) and its JSON
 * document for reports. Amounts are integers in minor units of the trace currency
 * ("scale" decimals), so they stay exact in any JSON reader. */
#include "trace_internal.h"

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
    iffnet_money_t left = 0;
    if (!iffnet_trace_rule_conserves(r) || !(tr->opts.rules & (1u << r))) return 0;
    for (int64_t i = 0; i < tr->n_touched; i++) {
        const iffnet_trace_flow_t *f = &tr->flow[i * IFFNET_TRACE_NRULES + r];
        if (f->received != f->held + f->passed + f->left) return 0;
        if (f->held > tr->final_balance[tr->touched[i]]) return 0;
        left += f->left;
    }
    if (!tr->opts.backward && tr->injected != tr->total_held[r] + left) return 0;
    return 1;
}

/* ---- JSON ------------------------------------------------------------------ */

static void jkey(FILE *fp, int *first, const char *k)
{
    fprintf(fp, "%s\"%s\":", *first ? "" : ",", k);
    *first = 0;
}

static void json_rules_money(FILE *fp, const iffnet_trace_t *tr, const iffnet_money_t *v, size_t stride)
{
    int first = 1;
    fputc('{', fp);
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        if (!(tr->opts.rules & (1u << r))) continue;
        jkey(fp, &first, iffnet_trace_rule_name(r));
        fprintf(fp, "%lld", (long long)v[r * stride]);
    }
    fputc('}', fp);
}

static void json_time(FILE *fp, iffnet_time_t t)
{
    char buf[32];
    if (t == INT64_MIN || t == INT64_MAX) { fputs("null", fp); return; }
    iffnet_time_format(buf, sizeof buf, t, 0);
    iffnet_json_str(fp, buf);
}

static void json_header(FILE *fp, const iffnet_trace_t *tr)
{
    const iffnet_case_t *c = tr->c;
    fputs("{\"command\":\"trace\",\"direction\":", fp);
    iffnet_json_str(fp, tr->opts.backward ? "backward" : "forward");
    fputs(",\"currency\":", fp);
    iffnet_json_str(fp, tr->currency >= 0 ? iffnet_case_currency(c, tr->currency) : "");
    fprintf(fp, ",\"scale\":%d,\"amounts\":\"integer minor units\",\"mixed_currencies\":%s",
            tr->currency >= 0 && c->currency_scale ? c->currency_scale[tr->currency] : 2,
            tr->mixed_currencies ? "true" : "false");
    fputs(",\"window\":{\"since\":", fp);
    json_time(fp, tr->opts.since);
    fputs(",\"until\":", fp);
    json_time(fp, tr->opts.until);
    fprintf(fp, ",\"transactions\":%lld},\"max_hops\":%d,\"follow_abroad\":%s,\"amount_per_source\":%lld,\"sources\":[",
            (long long)tr->n_tx_window, tr->opts.max_hops, tr->opts.follow_abroad ? "true" : "false",
            (long long)tr->opts.amount);
    for (int64_t i = 0; i < tr->opts.n_seed_accounts; i++) {
        fputs(i ? ",{\"account\":" : "{\"account\":", fp);
        iffnet_json_str(fp, iffnet_case_account_id(c, tr->opts.seed_accounts[i]));
        fputc('}', fp);
    }
    for (int64_t i = 0; i < tr->opts.n_seed_tx; i++) {
        fputs(i || tr->opts.n_seed_accounts ? ",{\"tx\":" : "{\"tx\":", fp);
        iffnet_json_str(fp, iffnet_case_tx_id(c, tr->opts.seed_tx[i]));
        fputc('}', fp);
    }
    fprintf(fp, "],\"injected\":%lld", (long long)tr->injected);
}

static void json_totals(FILE *fp, const iffnet_trace_t *tr)
{
    int first = 1;
    fputs(",\"totals\":{", fp);
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        int f2 = 1;
        iffnet_money_t left = 0;
        if (!(tr->opts.rules & (1u << r))) continue;
        jkey(fp, &first, iffnet_trace_rule_name(r));
        fprintf(fp, "{\"held\":%lld,\"left\":{", (long long)tr->total_held[r]);
        for (int k = 0; k < IFFNET_EXIT_COUNT; k++) {
            jkey(fp, &f2, iffnet_exit_kind_name(k));
            fprintf(fp, "%lld", (long long)tr->total_left[r][k]);
            left += tr->total_left[r][k];
        }
        fprintf(fp, "},\"left_total\":%lld,\"conserves\":%s,\"conserved\":%s}", (long long)left,
                iffnet_trace_rule_conserves(r) ? "true" : "false",
                iffnet_trace_conserved(tr, r) ? "true" : "false");
    }
    fputc('}', fp);
}

static void json_account_ref(FILE *fp, const iffnet_case_t *c, int64_t a)
{
    fputs("\"account\":", fp);
    iffnet_json_str(fp, iffnet_case_account_id(c, a));
    fputs(",\"name\":", fp);
    iffnet_json_str(fp, iffnet_case_account_name(c, a));
    fputs(",\"country\":", fp);
    iffnet_json_str(fp, iffnet_case_account_country(c, a));
}

static void json_accounts(FILE *fp, const iffnet_trace_t *tr)
{
    fputs(",\"accounts\":[", fp);
    for (int64_t i = 0; i < tr->n_touched; i++) {
        int64_t a = tr->touched[i];
        int first = 1;
        fputs(i ? ",{" : "{", fp);
        json_account_ref(fp, tr->c, a);
        fprintf(fp, ",\"hop\":%d,\"balance\":%lld,\"unexplained\":%lld,\"rules\":{", tr->hop[a],
                (long long)tr->final_balance[a], (long long)tr->unexplained[a]);
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
            const iffnet_trace_flow_t *f = &tr->flow[i * IFFNET_TRACE_NRULES + r];
            if (!(tr->opts.rules & (1u << r))) continue;
            jkey(fp, &first, iffnet_trace_rule_name(r));
            fprintf(fp, "{\"received\":%lld,\"held\":%lld,\"passed\":%lld,\"left\":%lld}", (long long)f->received,
                    (long long)f->held, (long long)f->passed, (long long)f->left);
        }
        fputs("}}", fp);
    }
    fputc(']', fp);
}

/* First traced rule under which account slot i holds taint (for its path). */
static int holding_rule(const iffnet_trace_t *tr, int64_t i)
{
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++)
        if ((tr->opts.rules & (1u << r)) && r != IFFNET_TRACE_POISON && tr->flow[i * IFFNET_TRACE_NRULES + r].held > 0)
            return r;
    return -1;
}

static int json_holders(FILE *fp, const iffnet_trace_t *tr)
{
    int first = 1;
    fputs(",\"holders\":[", fp);
    for (int64_t i = 0; i < tr->n_touched; i++) {
        int r = holding_rule(tr, i);
        int64_t *path = NULL, n = 0;
        iffnet_money_t held[IFFNET_TRACE_NRULES];
        if (r < 0) continue;
        IFFNET_TRY(iffnet_trace_path(tr, tr->touched[i], (iffnet_trace_rule_t)r, &path, &n));
        for (int k = 0; k < IFFNET_TRACE_NRULES; k++) held[k] = tr->flow[i * IFFNET_TRACE_NRULES + k].held;
        fputs(first ? "{" : ",{", fp);
        first = 0;
        json_account_ref(fp, tr->c, tr->touched[i]);
        fputs(",\"held\":", fp);
        json_rules_money(fp, tr, held, 1);
        fputs(",\"path_rule\":", fp);
        iffnet_json_str(fp, iffnet_trace_rule_name(r));
        fputs(",\"path\":[", fp);
        for (int64_t k = 0; k < n; k++) {
            if (k) fputc(',', fp);
            iffnet_json_str(fp, iffnet_case_tx_id(tr->c, path[k]));
        }
        fputs("]}", fp);
        free(path);
    }
    fputc(']', fp);
    return IFFNET_OK;
}

static int json_exits(FILE *fp, const iffnet_trace_t *tr)
{
    iffnet_trace_exit_t *x;
    int64_t n;
    IFFNET_TRY(iffnet_trace_exits(tr, &x, &n));
    fputs(",\"exits\":[", fp);
    for (int64_t i = 0; i < n; i++) {
        const iffnet_case_t *c = tr->c;
        fputs(i ? ",{\"tx\":" : "{\"tx\":", fp);
        iffnet_json_str(fp, iffnet_case_tx_id(c, x[i].tx));
        fputs(",\"time\":", fp);
        json_time(fp, c->tx_time[x[i].tx]);
        fputs(",\"from\":", fp);
        iffnet_json_str(fp, iffnet_case_account_id(c, c->tx_src[x[i].tx]));
        fputs(",\"to\":", fp);
        iffnet_json_str(fp, iffnet_case_account_id(c, c->tx_dst[x[i].tx]));
        fputs(",\"kind\":", fp);
        iffnet_json_str(fp, iffnet_exit_kind_name(x[i].exit));
        fputs(",\"amount\":", fp);
        json_rules_money(fp, tr, x[i].amount, 1);
        fputc('}', fp);
    }
    fputc(']', fp);
    free(x);
    return IFFNET_OK;
}

static void json_origins(FILE *fp, const iffnet_trace_t *tr)
{
    int first = 1;
    fputs(",\"origins\":[", fp);
    for (int64_t o = 0; o < tr->n_origins; o++) {
        int any = 0;
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) any |= tr->origin_amount[o * IFFNET_TRACE_NRULES + r] != 0;
        if (!any) continue;
        fputs(first ? "{" : ",{", fp);
        first = 0;
        json_account_ref(fp, tr->c, tr->origin_account[o]);
        fputs(",\"amount\":", fp);
        json_rules_money(fp, tr, &tr->origin_amount[o * IFFNET_TRACE_NRULES], 1);
        fputc('}', fp);
    }
    fputc(']', fp);
}

static void json_bounds(FILE *fp, const iffnet_trace_t *tr, int64_t target, const iffnet_trace_bounds_t *b)
{
    iffnet_trace_flow_t f;
    int first = 1;
    fputs(",\"bounds\":{\"target\":", fp);
    iffnet_json_str(fp, iffnet_case_account_id(tr->c, target));
    fprintf(fp, ",\"status\":\"%s\",\"min\":%.0f,\"max\":%.0f,\"tolerance\":%.0f,\"lp\":{\"solver\":\"%s\",\"transactions\":%lld,"
            "\"accounts\":%lld,\"rows\":%lld,\"columns\":%lld,\"nonzeros\":%lld,\"seconds\":%.3f},\"received\":{",
            b->status_text, b->min, b->max, IFFNET_TRACE_LP_TOL, b->solver, (long long)b->n_tx, (long long)b->n_accounts,
            (long long)b->n_rows, (long long)b->n_cols, (long long)b->n_nonzeros, b->seconds);
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        if (!(tr->opts.rules & (1u << r))) continue;
        f = iffnet_trace_account(tr, target, (iffnet_trace_rule_t)r);
        jkey(fp, &first, iffnet_trace_rule_name(r));
        fprintf(fp, "{\"amount\":%lld,\"within\":%s}", (long long)f.received,
                !iffnet_trace_rule_conserves(r) ? "null" :
                ((double)f.received >= b->min - IFFNET_TRACE_LP_TOL && (double)f.received <= b->max + IFFNET_TRACE_LP_TOL)
                    ? "true" : "false");
    }
    fputs("}}", fp);
}

int iffnet_trace_write_json(FILE *fp, const iffnet_trace_t *tr, int64_t target, const iffnet_trace_bounds_t *b)
{
    json_header(fp, tr);
    json_totals(fp, tr);
    json_accounts(fp, tr);
    IFFNET_TRY(json_holders(fp, tr));
    IFFNET_TRY(json_exits(fp, tr));
    if (tr->opts.backward) json_origins(fp, tr);
    if (b && target >= 0) json_bounds(fp, tr, target, b);
    fputs("}\n", fp);
    if (ferror(fp)) return iffnet_i_seterr(IFFNET_EIO, "write error on the trace report");
    return IFFNET_OK;
}
