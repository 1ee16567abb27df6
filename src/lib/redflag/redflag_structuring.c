/* redflag_structuring.c: cash amounts kept just under a reporting threshold.
 *
 * FinCEN (31 CFR 1010.100(xx), 1010.314) and FATF describe structuring as
 * splitting cash so that each piece stays under the currency transaction report
 * threshold T (USD 10,000; EU member states use similar cash thresholds), in
 * several deposits close together in time, by one person or by several linked
 * ones (a shared holder, address, phone or registration).
 *
 * What chance does not explain is decided per group of linked accounts, for a
 * band of width h under T ([T - hT, T)) and the same band over it ([T, T + hT)):
 *  - the run: near-threshold deposits closer together than the group's own
 *    average spacing (the case period over their number) form a run; k of the
 *    group's n deposits falling within a span s when its n deposits are placed at
 *    random over the case period P has probability at most
 *    (P / s) BinomTail(n, 2s/P, k) (the scan statistic's union bound);
 *  - the side: a deposit near T lands under it as often as the rest of the case's
 *    near-T deposits do (pi, counted without the group); k under it and only k_a
 *    over it in the run's time has probability BinomTail(k + k_a, pi, k).
 * The two are combined by Fisher's rule, and E = (groups with two or more
 * deposits under T) x p x (bands tried). A shop that banks large takings now and
 * then has its near-T deposits spread over months and on both sides of T.
 * Where the structured cash went is part of the evidence: when one account
 * outside the group receives between half and twice the cash from the
 * depositors, from the first deposit to a run's span after the last, it joins
 * the alert with those payments. */
#include <math.h>
#include <strings.h>
#include "redflag_internal.h"

#define ST_MAX_BANDS 3

typedef struct {
    int64_t min_count, max_shared, link, run_gap;   /* run_gap 0: derived */
    int n_bands;
    double bands[ST_MAX_BANDS], follow_share, max_expected;
    iffnet_money_t threshold;
    char *channels;     /* NULL = every channel */
} st_params_t;

typedef struct { int64_t group, tx; } st_cand_t;

/* The best run of a group: deposits cand[i..j] of band b (indices into the
 * band's list), its chance figures. */
typedef struct {
    double e, p_time, p_side, pi;
    int band;
    int64_t n, k, k_above, n_groups;
    iffnet_i_vec_t tx;
} st_best_t;

static int cmp_cand(const void *a, const void *b)
{
    const st_cand_t *x = a, *y = b;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    return (x->tx > y->tx) - (x->tx < y->tx);
}

static int st_params(const iffnet_detect_ctx_t *ctx, st_params_t *p)
{
    static const double ladder[ST_MAX_BANDS] = { 0.05, 0.10, 0.20 };
    iffnet_money_t unit = 1;
    int scale = iffnet_detect_value_scale(ctx);
    for (int i = 0; i < scale; i++) unit *= 10;
    iffnet_money_t def = ctx->threshold > 0 ? ctx->threshold : 10000 * unit;
    IFFNET_TRY(iffnet_i_setting_money(ctx->cfg, "structuring", "threshold", def, scale, &p->threshold));
    if (p->threshold <= 0)
        return iffnet_i_seterr(IFFNET_EINVAL, "config key 'structuring.threshold' must be positive");
    /* The band under T: scanned over a ladder (each band tried counts against
     * the result) unless set. */
    double margin;
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "structuring", "margin", 0, 0, 0.5, &margin));
    if (margin > 0) {
        p->n_bands = 1;
        p->bands[0] = margin;
    } else {
        p->n_bands = ST_MAX_BANDS;
        memcpy(p->bands, ladder, sizeof ladder);
    }
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "structuring", "min_count", 2, 2, 1000000, &p->min_count));
    IFFNET_TRY(iffnet_i_setting_duration(ctx->cfg, "structuring", "window", INT64_MAX, &p->run_gap));
    if (p->run_gap == INT64_MAX) p->run_gap = 0;
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "structuring", "link", 1, 0, 1, &p->link));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "structuring", "follow_share", 0.5, 0.01, 1.0, &p->follow_share));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "structuring", "max_shared", 10, 2, INT64_MAX, &p->max_shared));
    IFFNET_TRY(iffnet_i_rf_max_expected(ctx, &p->max_expected));
    const char *ch = ctx->cfg ? iffnet_config_str(ctx->cfg, "structuring.channels", "cash_deposit,cash_withdrawal")
                              : "cash_deposit,cash_withdrawal";
    p->channels = strcmp(ch, "*") == 0 ? NULL : iffnet_i_asprintf(",%s,", ch);
    if (strcmp(ch, "*") != 0 && !p->channels) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
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

/* The account outside the depositors that received most from them in
 * [from, to]; its payments go into *fwd. */
static int follow_on(const iffnet_i_rf_env_t *env, const iffnet_i_rf_adj_t *oa, const int64_t *acc, int64_t n_acc,
                     iffnet_time_t from, iffnet_time_t to, int64_t *best, iffnet_money_t *best_sum,
                     iffnet_i_vec_t *fwd)
{
    const iffnet_case_t *c = env->c;
    iffnet_i_vec_t cand = { 0 };
    int64_t *pairs = NULL;
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
    if (err) goto out;
    /* Sum per receiver: sort (receiver, tx) pairs. */
    if (!(pairs = malloc((size_t)(2 * cand.n + 2) * sizeof *pairs))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t i = 0; i < cand.n; i++) {
        pairs[2 * i] = c->tx_dst[cand.v[i]];
        pairs[2 * i + 1] = cand.v[i];
    }
    iffnet_i_sort(pairs, (size_t)cand.n, 2 * sizeof *pairs, cmp_pair);
    for (int64_t i = 0, j; i < cand.n && !err; i = j) {
        iffnet_money_t sum = 0;
        for (j = i; j < cand.n && pairs[2 * j] == pairs[2 * i]; j++) sum += iffnet_case_tx_value(c, pairs[2 * j + 1]);
        if (sum > *best_sum) {
            *best_sum = sum;
            *best = pairs[2 * i];
            fwd->n = 0;
            for (int64_t k = i; k < j && !err; k++) err = iffnet_i_vec_push(fwd, pairs[2 * k + 1]);
        }
    }
out:
    free(pairs);
    iffnet_i_vec_free(&cand);
    return err;
}

static int emit(const iffnet_i_rf_env_t *env, const st_params_t *p, const iffnet_i_rf_adj_t *oa,
                const st_best_t *b, iffnet_time_t period, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    int64_t n = b->tx.n, *acc = malloc((size_t)(n + 1) * sizeof *acc);
    iffnet_i_vec_t fwd = { 0 }, alltx = { 0 };
    int err = IFFNET_OK;
    if (!acc) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    iffnet_money_t sum = 0, mn = INT64_MAX, mx = 0;
    int64_t n_cash = 0, n_acc = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t t = b->tx.v[k];
        iffnet_money_t v = iffnet_case_tx_value(c, t);
        acc[k] = actor(env, t);
        sum += v;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        n_cash += iffnet_i_rf_is_cash_deposit(env, t);
    }
    iffnet_i_sort(acc, (size_t)n, sizeof *acc, iffnet_i_cmp_i64);
    for (int64_t k = 0; k < n; k++) if (k == 0 || acc[k] != acc[k - 1]) acc[n_acc++] = acc[k];
    int64_t dest = -1, n_members = n_acc;
    iffnet_money_t fsum = 0;
    iffnet_time_t t0 = c->tx_time[b->tx.v[0]], t1 = c->tx_time[b->tx.v[n - 1]], span = t1 - t0 + 86400;
    if ((err = follow_on(env, oa, acc, n_acc, t0, t1 + span, &dest, &fsum, &fwd))) goto out;
    if (dest >= 0 && (double)fsum >= p->follow_share * (double)sum && (double)fsum * p->follow_share <= (double)sum)
        acc[n_acc++] = dest;
    else
        fwd.n = 0;
    for (int64_t k = 0; k < n && !err; k++) err = iffnet_i_vec_push(&alltx, b->tx.v[k]);
    for (int64_t k = 0; k < fwd.n && !err; k++) err = iffnet_i_vec_push(&alltx, fwd.v[k]);
    if (err) goto out;
    iffnet_alert_t *a = NULL;
    if ((err = iffnet_alert_list_add(out, IFFNET_TYP_STRUCTURING, 0, acc, n_acc, alltx.v, alltx.n, &a))) goto out;
    iffnet_i_rf_set_moved(a, sum);
    char s1[48], s2[48], s3[48], s4[48];
    double days = (double)(t1 - t0) / 86400.0, margin = p->bands[b->band];
    err = iffnet_alert_add_reason(a, "%lld %s of %s to %s, each under the %s threshold and within %.0f%% of it, "
                                  "within %.1f days, %s in total",
                                  (long long)n, n_cash == n ? "cash deposits" : "cash transactions",
                                  iffnet_i_rf_money_str(env, s1, sizeof s1, mn),
                                  iffnet_i_rf_money_str(env, s2, sizeof s2, mx),
                                  iffnet_i_rf_money_str(env, s3, sizeof s3, p->threshold),
                                  margin * 100.0, days, iffnet_i_rf_money_str(env, s4, sizeof s4, sum));
    if (!err && n_members > 1)
        err = iffnet_alert_add_reason(a, "by %lld accounts linked by a shared holder or shared identifiers "
                                      "(first %s, %s)", (long long)n_members, iffnet_case_account_id(c, acc[0]),
                                      iffnet_case_account_id(c, acc[1]));
    else if (!err)
        err = iffnet_alert_add_reason(a, "by account %s", iffnet_case_account_id(c, acc[0]));
    if (!err && fwd.n) {
        char s5[48];
        double lag = (double)(c->tx_time[fwd.v[fwd.n - 1]] - t1) / 86400.0;
        err = iffnet_alert_add_reason(a, "%s (%.0f%% of it) went on to %s in %lld payment(s), the last %.1f days %s "
                                      "the last deposit", iffnet_i_rf_money_str(env, s5, sizeof s5, fsum),
                                      100.0 * (double)fsum / (double)sum, iffnet_case_account_id(c, dest),
                                      (long long)fwd.n, fabs(lag), lag >= 0 ? "after" : "before");
    }
    if (!err)
        err = iffnet_i_rf_expect(a, b->e, "the group made %lld deposits within %.0f%% under the threshold in %.0f "
                                 "days: %lld of them within %.1f days has probability %.2g at random times; %lld "
                                 "under it and %lld over it in that time, when %.0f%% of the case's other "
                                 "near-threshold deposits fall under it, %.2g; combined over %lld groups and %d "
                                 "band(s)", (long long)b->n, margin * 100.0, (double)period / 86400.0,
                                 (long long)b->k, days + 1.0, b->p_time, (long long)b->k, (long long)b->k_above,
                                 100.0 * b->pi, b->p_side, (long long)b->n_groups, p->n_bands);
out:
    free(acc);
    iffnet_i_vec_free(&fwd);
    iffnet_i_vec_free(&alltx);
    return err;
}

/* Near-threshold counts of the case for band h: under (nb) and over (na). */
static void band_totals(const iffnet_case_t *c, const st_params_t *p, const st_cand_t *cand, int64_t n, double h,
                        int64_t *nb, int64_t *na, int64_t *n_groups)
{
    iffnet_money_t lo = p->threshold - (iffnet_money_t)floor((double)p->threshold * h);
    iffnet_money_t hi = p->threshold + (iffnet_money_t)floor((double)p->threshold * h);
    *nb = *na = *n_groups = 0;
    for (int64_t i = 0, j; i < n; i = j) {
        int64_t under = 0;
        for (j = i; j < n && cand[j].group == cand[i].group; j++) {
            iffnet_money_t v = iffnet_case_tx_value(c, cand[j].tx);
            if (v >= lo && v < p->threshold) under++;
            else if (v >= p->threshold && v < hi) (*na)++;
        }
        *nb += under;
        *n_groups += under >= 2;
    }
}

/* The best run of the group cand[i..j) in band b; updates *best when better. */
static int group_band(const iffnet_case_t *c, const st_params_t *p, const st_cand_t *cand, int64_t i, int64_t j,
                      int b, int64_t nb, int64_t na, int64_t n_groups, iffnet_time_t period,
                      iffnet_i_vec_t *under, iffnet_i_vec_t *over, st_best_t *best)
{
    double h = p->bands[b];
    iffnet_money_t lo = p->threshold - (iffnet_money_t)floor((double)p->threshold * h);
    iffnet_money_t hi = p->threshold + (iffnet_money_t)floor((double)p->threshold * h);
    under->n = over->n = 0;
    for (int64_t k = i; k < j; k++) {
        iffnet_money_t v = iffnet_case_tx_value(c, cand[k].tx);
        if (v >= lo && v < p->threshold) IFFNET_TRY(iffnet_i_vec_push(under, cand[k].tx));
        else if (v >= p->threshold && v < hi) IFFNET_TRY(iffnet_i_vec_push(over, cand[k].tx));
    }
    int64_t n = under->n;
    if (n < p->min_count) return IFFNET_OK;
    /* The rest of the case decides how often a deposit near T falls under it. */
    double pi = (double)(nb - n + 1) / (double)(nb + na - n - over->n + 2);
    iffnet_time_t gap = p->run_gap > 0 ? p->run_gap : period / n;
    for (int64_t r = 0, s; r < n; r = s) {
        iffnet_money_t sum = iffnet_case_tx_value(c, under->v[r]);
        for (s = r + 1; s < n && c->tx_time[under->v[s]] - c->tx_time[under->v[s - 1]] <= gap; s++)
            sum += iffnet_case_tx_value(c, under->v[s]);
        int64_t k = s - r;
        if (k < p->min_count || sum <= p->threshold) continue;
        iffnet_time_t t0 = c->tx_time[under->v[r]], t1 = c->tx_time[under->v[s - 1]], span = t1 - t0 + 86400;
        double p_time = span >= period ? 1.0
                      : fmin(1.0, (double)period / (double)span *
                                  iffnet_i_rf_binom_tail(n, fmin(1.0, 2.0 * (double)span / (double)period), k));
        int64_t k_above = 0;
        for (int64_t q = 0; q < over->n; q++)
            k_above += c->tx_time[over->v[q]] >= t0 - span && c->tx_time[over->v[q]] <= t1 + span;
        double p_side = iffnet_i_rf_binom_tail(k + k_above, pi, k);
        double e = (double)n_groups * (double)p->n_bands * iffnet_i_rf_fisher2(p_time, p_side);
        if (e < best->e) {
            *best = (st_best_t){ e, p_time, p_side, pi, b, n, k, k_above, n_groups, best->tx };
            best->tx.n = 0;
            for (int64_t q = r; q < s; q++) IFFNET_TRY(iffnet_i_vec_push(&best->tx, under->v[q]));
        }
    }
    return IFFNET_OK;
}

int iffnet_redflag_structuring(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    st_params_t p = { 0 };
    iffnet_i_uf_t uf = { 0 };
    st_cand_t *cand = NULL;
    iffnet_i_rf_adj_t oa = { 0 };
    iffnet_i_vec_t under = { 0 }, over = { 0 };
    st_best_t best = { 0 };
    int64_t n = 0, cap = 0, nb[ST_MAX_BANDS], na[ST_MAX_BANDS], ng[ST_MAX_BANDS];
    int err;
    iffnet_i_rf_env(&env, ctx);
    if ((err = st_params(ctx, &p))) goto out;
    if ((err = link_accounts(c, &p, &uf))) goto out;
    double widest = 0;
    for (int b = 0; b < p.n_bands; b++) widest = fmax(widest, p.bands[b]);
    iffnet_money_t lo = p.threshold - (iffnet_money_t)floor((double)p.threshold * widest);
    iffnet_money_t hi = p.threshold + (iffnet_money_t)floor((double)p.threshold * widest);
    for (int64_t t = 0; t < c->n_tx; t++) {
        iffnet_money_t v = iffnet_case_tx_value(c, t);
        if (v < lo || v >= hi || !channel_ok(&env, &p, t)) continue;
        if ((err = iffnet_i_reserve((void **)&cand, &cap, n + 1, sizeof *cand))) goto out;
        cand[n].group = iffnet_i_uf_find(&uf, actor(&env, t));
        cand[n++].tx = t;
    }
    iffnet_i_sort(cand, (size_t)n, sizeof *cand, cmp_cand);
    for (int b = 0; b < p.n_bands; b++) band_totals(c, &p, cand, n, p.bands[b], &nb[b], &na[b], &ng[b]);
    iffnet_time_t period = iffnet_i_rf_period(c);
    for (int64_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && cand[j].group == cand[i].group; j++) {}
        best.e = INFINITY;
        best.tx.n = 0;
        for (int b = 0; b < p.n_bands; b++)
            if ((err = group_band(c, &p, cand, i, j, b, nb[b], na[b], ng[b], period, &under, &over, &best))) goto out;
        if (best.tx.n == 0 || !iffnet_i_rf_written(best.e, best.e, (double)best.n_groups * p.n_bands, p.max_expected))
            continue;
        /* The out-lists are needed only to follow a finding's money. */
        if (!oa.off && (err = iffnet_i_rf_adj_build(&oa, c, 1))) goto out;
        if ((err = emit(&env, &p, &oa, &best, period, out))) goto out;
    }
out:
    free(cand);
    free(p.channels);
    iffnet_i_rf_adj_destroy(&oa);
    iffnet_i_uf_destroy(&uf);
    iffnet_i_vec_free(&under);
    iffnet_i_vec_free(&over);
    iffnet_i_vec_free(&best.tx);
    return err;
}
