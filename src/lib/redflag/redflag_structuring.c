/* redflag_structuring.c: amounts kept just under a reporting threshold.
 *
 * FinCEN (31 CFR 1010.100(xx), 1010.314) and FATF describe structuring as
 * splitting cash so that each piece stays under the currency transaction report
 * threshold (USD 10,000; EU member states use similar cash thresholds). We look
 * for at least structuring.min_count amounts in [T - margin*T, T) by one account,
 * or by accounts linked through a shared holder or shared identifiers, within
 * structuring.window, that together exceed T. Where the structured cash went
 * is part of the evidence: when one account outside the group receives at least
 * structuring.follow_share of the total from the depositors within the window
 * after the last deposit, it joins the alert with those payments. */
#include <math.h>
#include <strings.h>
#include "redflag_internal.h"

typedef struct {
    int64_t window, min_count, max_shared, link;
    double margin, follow_share;
    iffnet_money_t threshold, lo;
    char *channels;     /* NULL = every channel */
} st_params_t;

typedef struct { int64_t group, tx; } st_cand_t;

static int cmp_cand(const void *a, const void *b)
{
    const st_cand_t *x = a, *y = b;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    return (x->tx > y->tx) - (x->tx < y->tx);
}

static int st_params(const iffnet_detect_ctx_t *ctx, st_params_t *p)
{
    iffnet_money_t unit = 1;
    int scale = (ctx->value_currency >= 0) ? ctx->c->currency_scale[ctx->value_currency] : 2;
    for (int i = 0; i < scale; i++) unit *= 10;
    iffnet_money_t def = ctx->threshold > 0 ? ctx->threshold : 10000 * unit;
    IFFNET_TRY(iffnet_i_setting_money(ctx->cfg, "structuring", "threshold", def, iffnet_detect_value_scale(ctx),
                                      &p->threshold));
    if (p->threshold <= 0)
        return iffnet_i_seterr(IFFNET_EINVAL, "config key 'structuring.threshold' must be positive");
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "structuring", "margin", 0.10, 0.001, 0.5, &p->margin));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "structuring", "min_count", 2, 2, 1000000, &p->min_count));
    IFFNET_TRY(iffnet_i_setting_duration(ctx->cfg, "structuring", "window",
                                    ctx->window > 0 ? ctx->window : 30 * 86400, &p->window));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "structuring", "link", 1, 0, 1, &p->link));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "structuring", "follow_share", 0.5, 0.0, 10.0, &p->follow_share));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "structuring", "max_shared", 10, 2, INT64_MAX, &p->max_shared));
    const char *ch = ctx->cfg ? iffnet_config_str(ctx->cfg, "structuring.channels", "cash_deposit,cash_withdrawal")
                              : "cash_deposit,cash_withdrawal";
    p->channels = strcmp(ch, "*") == 0 ? NULL : iffnet_i_asprintf(",%s,", ch);
    if (strcmp(ch, "*") != 0 && !p->channels) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    p->lo = p->threshold - (iffnet_money_t)floor((double)p->threshold * p->margin);
    return IFFNET_OK;
}

/* Which account acted: the depositor of cash, otherwise the payer. */
static int64_t actor(const iffnet_i_rf_env_t *env, int64_t t)
{
    if (iffnet_i_rf_is_cash_deposit(env, t)) return env->c->tx_dst[t];
    return env->c->tx_src[t];
}

static int channel_ok(const iffnet_i_rf_env_t *env, const st_params_t *p, int64_t t)
{
    const iffnet_case_t *c = env->c;
    if (!p->channels) return 1;
    if (c->tx_channel && c->tx_channel[t] >= 0) {
        char key[80];
        snprintf(key, sizeof key, ",%s,", iffnet_strtab_get(&c->channels, c->tx_channel[t]));
        if (strstr(p->channels, key)) return 1;
    }
    /* Movements from or to the CASH pseudo-account are cash whatever the channel says. */
    if (env->cash_account >= 0 && (c->tx_src[t] == env->cash_account || c->tx_dst[t] == env->cash_account))
        return strstr(p->channels, ",cash_deposit,") || strstr(p->channels, ",cash_withdrawal,");
    return 0;
}

/* Union-find nodes: accounts 0..A-1, entities A..A+E-1. */
static int link_accounts(const iffnet_case_t *c, const st_params_t *p, iffnet_i_uf_t *uf)
{
    int64_t A = c->n_accounts, E = c->n_entities;
    IFFNET_TRY(iffnet_i_uf_init(uf, A + E));
    if (!p->link) return IFFNET_OK;
    for (int64_t a = 0; a < A; a++) {
        int64_t e = iffnet_i_rf_account_owner(c, a);
        if (e >= 0) iffnet_i_uf_union(uf, a, A + e);
    }
    iffnet_i_rf_idlinks_t l;
    int err = iffnet_i_rf_idlinks_build(&l, c, "address,phone,registration", p->max_shared);
    if (err) return err;
    int64_t *first = malloc((size_t)(l.n_ids > 0 ? l.n_ids : 1) * sizeof *first);
    if (!first) { iffnet_i_rf_idlinks_destroy(&l); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); }
    for (int64_t i = 0; i < l.n_ids; i++) first[i] = -1;
    for (int64_t e = 0; e < E; e++)
        for (int64_t k = 0; k < l.n_cols; k++) {
            int64_t id = l.ids[e * l.n_cols + k];
            if (id < 0) continue;
            if (first[id] < 0) first[id] = e;
            else iffnet_i_uf_union(uf, A + first[id], A + e);
        }
    free(first);
    iffnet_i_rf_idlinks_destroy(&l);
    return IFFNET_OK;
}

static int cmp_pair(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* The account outside the depositors that received most from them between the
 * first deposit and window after the last; its payments go into *fwd. */
static int follow_on(const iffnet_i_rf_env_t *env, const st_params_t *p, const iffnet_i_rf_adj_t *oa,
                     const int64_t *acc, int64_t n_acc, iffnet_time_t from, iffnet_time_t to,
                     int64_t *best, iffnet_money_t *best_sum, iffnet_i_vec_t *fwd)
{
    const iffnet_case_t *c = env->c;
    iffnet_i_vec_t cand = { 0 };
    int err = IFFNET_OK;
    *best = -1;
    *best_sum = 0;
    fwd->n = 0;
    for (int64_t i = 0; i < n_acc && !err; i++)
        for (int64_t k = oa->off[acc[i]]; k < oa->off[acc[i] + 1] && !err; k++) {
            int64_t t = oa->tx[k], d = c->tx_dst[t];
            if (c->tx_time[t] < from || c->tx_time[t] > to || d == env->cash_account) continue;
            if (bsearch(&d, acc, (size_t)n_acc, sizeof *acc, iffnet_i_cmp_i64)) continue;
            err = iffnet_i_vec_push(&cand, t);
        }
    /* Sum per receiver: sort (receiver, tx) pairs. */
    int64_t *pairs = err ? NULL : malloc((size_t)(2 * cand.n + 2) * sizeof *pairs);
    if (!err && !pairs) err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; !err && i < cand.n; i++) {
        pairs[2 * i] = c->tx_dst[cand.v[i]];
        pairs[2 * i + 1] = cand.v[i];
    }
    if (!err) iffnet_i_sort(pairs, (size_t)cand.n, 2 * sizeof *pairs, cmp_pair);
    for (int64_t i = 0; !err && i < cand.n; i++) cand.v[i] = pairs[2 * i + 1];
    free(pairs);
    for (int64_t i = 0, j; i < cand.n && !err; i = j) {
        iffnet_money_t sum = 0;
        for (j = i; j < cand.n && c->tx_dst[cand.v[j]] == c->tx_dst[cand.v[i]]; j++) sum += iffnet_case_tx_value(c, cand.v[j]);
        if (sum > *best_sum) {
            *best_sum = sum;
            *best = c->tx_dst[cand.v[i]];
            fwd->n = 0;
            for (int64_t k = i; k < j && !err; k++) err = iffnet_i_vec_push(fwd, cand.v[k]);
        }
    }
    iffnet_i_vec_free(&cand);
    (void)p;
    return err;
}

static int emit(const iffnet_i_rf_env_t *env, const st_params_t *p, const iffnet_i_rf_adj_t *oa,
                const st_cand_t *cand, int64_t i, int64_t j, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    int64_t n = j - i + 1, *tx = malloc((size_t)n * sizeof *tx), *acc = malloc((size_t)(n + 1) * sizeof *acc);
    iffnet_i_vec_t fwd = { 0 }, alltx = { 0 };
    int err = IFFNET_OK;
    if (!tx || !acc) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    iffnet_money_t sum = 0, mn = INT64_MAX, mx = 0;
    double close = 0;
    int64_t n_cash = 0, n_acc = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t t = cand[i + k].tx;
        iffnet_money_t v = iffnet_case_tx_value(c, t);
        tx[k] = t;
        acc[k] = actor(env, t);
        sum += v;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        close += (double)(v - p->lo) / (double)(p->threshold - p->lo);
        n_cash += iffnet_i_rf_is_cash_deposit(env, t);
    }
    iffnet_i_sort(acc, (size_t)n, sizeof *acc, iffnet_i_cmp_i64);
    for (int64_t k = 0; k < n; k++) if (k == 0 || acc[k] != acc[k - 1]) acc[n_acc++] = acc[k];
    close /= (double)n;
    double score = (1.0 - pow(0.5, (double)(n - 1))) * (0.6 + 0.4 * close);
    int64_t dest = -1, n_members = n_acc;
    iffnet_money_t fsum = 0;
    iffnet_time_t t0 = c->tx_time[cand[i].tx], t1 = c->tx_time[cand[j].tx];
    if ((err = follow_on(env, p, oa, acc, n_acc, t0, t1 + p->window, &dest, &fsum, &fwd))) goto out;
    if (dest >= 0 && (double)fsum >= p->follow_share * (double)sum) acc[n_acc++] = dest;
    else fwd.n = 0;
    for (int64_t k = 0; k < n && !err; k++) err = iffnet_i_vec_push(&alltx, tx[k]);
    for (int64_t k = 0; k < fwd.n && !err; k++) err = iffnet_i_vec_push(&alltx, fwd.v[k]);
    if (err) goto out;
    iffnet_alert_t *a = NULL;
    if ((err = iffnet_alert_list_add(out, IFFNET_TYP_STRUCTURING, score, acc, n_acc, alltx.v, alltx.n, &a))) goto out;
    char s1[48], s2[48], s3[48], s4[48];
    double days = (double)(c->tx_time[cand[j].tx] - c->tx_time[cand[i].tx]) / 86400.0;
    err = iffnet_alert_add_reason(a, "%lld %s of %s to %s, each under the %s threshold and within %.0f%% of it, "
                                  "within %.1f days, %s in total",
                                  (long long)n, n_cash == n ? "cash deposits" : "transactions",
                                  iffnet_i_rf_money_str(env, s1, sizeof s1, mn),
                                  iffnet_i_rf_money_str(env, s2, sizeof s2, mx),
                                  iffnet_i_rf_money_str(env, s3, sizeof s3, p->threshold),
                                  p->margin * 100.0, days, iffnet_i_rf_money_str(env, s4, sizeof s4, sum));
    if (!err && n_members > 1)
        err = iffnet_alert_add_reason(a, "by %lld accounts linked by a shared holder or shared identifiers "
                                      "(first %s, %s)", (long long)n_members, iffnet_case_account_id(c, acc[0]),
                                      iffnet_case_account_id(c, acc[1]));
    else if (!err)
        err = iffnet_alert_add_reason(a, "by account %s", iffnet_case_account_id(c, acc[0]));
    if (!err && fwd.n) {
        char s5[48];
        err = iffnet_alert_add_reason(a, "%s (%.0f%% of it) went on to %s in %lld payment(s) by %.1f days after "
                                      "the last deposit", iffnet_i_rf_money_str(env, s5, sizeof s5, fsum),
                                      100.0 * (double)fsum / (double)sum, iffnet_case_account_id(c, dest),
                                      (long long)fwd.n,
                                      (double)(c->tx_time[fwd.v[fwd.n - 1]] - t1) / 86400.0);
    }
out:
    free(tx);
    free(acc);
    iffnet_i_vec_free(&fwd);
    iffnet_i_vec_free(&alltx);
    return err;
}

int iffnet_redflag_structuring(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    st_params_t p = { 0 };
    iffnet_i_uf_t uf = { 0 };
    st_cand_t *cand = NULL;
    iffnet_i_rf_adj_t oa = { 0 };
    int64_t n = 0, cap = 0;
    int err;
    iffnet_i_rf_env(&env, ctx);
    if ((err = st_params(ctx, &p))) goto out;
    if ((err = link_accounts(c, &p, &uf))) goto out;
    for (int64_t t = 0; t < c->n_tx; t++) {
        iffnet_money_t v = iffnet_case_tx_value(c, t);
        if (v < p.lo || v >= p.threshold || !channel_ok(&env, &p, t)) continue;
        if ((err = iffnet_i_reserve((void **)&cand, &cap, n + 1, sizeof *cand))) goto out;
        cand[n].group = iffnet_i_uf_find(&uf, actor(&env, t));
        cand[n++].tx = t;
    }
    iffnet_i_sort(cand, (size_t)n, sizeof *cand, cmp_cand);
    /* Greedy windows per group: from each start take everything within the window;
     * emit when it qualifies and continue after it, else slide the start. O(n). */
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        iffnet_money_t sum = iffnet_case_tx_value(c, cand[i].tx);
        while (j + 1 < n && cand[j + 1].group == cand[i].group &&
               c->tx_time[cand[j + 1].tx] - c->tx_time[cand[i].tx] <= p.window)
            sum += iffnet_case_tx_value(c, cand[++j].tx);
        if (j - i + 1 >= p.min_count && sum > p.threshold) {
            /* The out-lists are needed only to follow a finding's money. */
            if (!oa.off && (err = iffnet_i_rf_adj_build(&oa, c, 1))) goto out;
            if ((err = emit(&env, &p, &oa, cand, i, j, out))) goto out;
            i = j + 1;
        } else {
            i++;
        }
    }
out:
    free(cand);
    free(p.channels);
    iffnet_i_rf_adj_destroy(&oa);
    iffnet_i_uf_destroy(&uf);
    return err;
}
