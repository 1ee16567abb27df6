/* redflag_benford.c: amount statistics per account and per holder: Benford's law
 * (first digit, first two digits) and the share of round amounts. */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include "redflag_internal.h"

static double benford_p(int d)
{
    return log10(1.0 + 1.0 / (double)d);
}

const char *iffnet_benford_class_name(iffnet_benford_class_t c)
{
    static const char *const names[] = { "close conformity", "acceptable conformity",
                                         "marginally acceptable conformity", "nonconformity" };
    return (unsigned)c < 4 ? names[c] : "?";
}

/* Leading-digit counts of the amounts in v: counts[d] for d in lo..hi; returns
 * how many amounts were counted. */
static int64_t digit_counts(const iffnet_money_t *v, int64_t n, int two_digits, int64_t counts[100])
{
    int lo = two_digits ? 10 : 1;
    iffnet_money_t top = two_digits ? 100 : 10;
    int64_t m = 0;
    memset(counts, 0, 100 * sizeof *counts);
    for (int64_t i = 0; i < n; i++) {
        iffnet_money_t d = v[i];
        if (d < lo) continue;
        while (d >= top) d /= 10;
        counts[d]++;
        m++;
    }
    return m;
}

/* The tests of counts against the proportions expect[lo..hi] (Benford's, or a
 * case's own); a digit the baseline never shows counts only when observed. */
static void test_counts(const int64_t counts[100], int64_t m, int two_digits, const double expect[100],
                        iffnet_benford_t *r)
{
    int lo = two_digits ? 10 : 1, hi = two_digits ? 99 : 9;
    memset(r, 0, sizeof *r);
    r->n = m;
    r->df = hi - lo;
    r->p = 1.0;
    r->top_digit = lo;
    if (m == 0) return;
    double best = -1.0;
    for (int d = lo; d <= hi; d++) {
        double e = expect[d], o = (double)counts[d] / (double)m, dev = o - e;
        r->mad += fabs(dev);
        if (e > 0) r->chi2 += (double)m * dev * dev / e;
        else if (counts[d] > 0) r->chi2 += (double)counts[d] * (double)m; /* impossible under the baseline */
        if (dev > best) { best = dev; r->top_digit = d; }
    }
    r->mad /= (double)(hi - lo + 1);
    r->top_excess = best;
    r->p = gsl_cdf_chisq_Q(r->chi2, (double)r->df);
    /* Nigrini (2012), Table 7.1: MAD ranges of the conformity classes. */
    static const double first[3] = { 0.006, 0.012, 0.015 }, second[3] = { 0.0012, 0.0018, 0.0022 };
    const double *lim = two_digits ? second : first;
    r->cls = r->mad <= lim[0] ? IFFNET_BENFORD_CLOSE : r->mad <= lim[1] ? IFFNET_BENFORD_ACCEPTABLE
           : r->mad <= lim[2] ? IFFNET_BENFORD_MARGINAL : IFFNET_BENFORD_NONCONFORMITY;
}

static void benford_proportions(double expect[100], int two_digits)
{
    for (int d = 0; d < 100; d++) expect[d] = d >= (two_digits ? 10 : 1) ? benford_p(d) : 0.0;
}

void iffnet_benford_test(const iffnet_money_t *v, int64_t n, int two_digits, iffnet_benford_t *r)
{
    int64_t counts[100];
    double expect[100];
    int64_t m = digit_counts(v, n, two_digits, counts);
    benford_proportions(expect, two_digits);
    test_counts(counts, m, two_digits, expect, r);
}

typedef struct {
    int64_t min_tx, min_tx_2d, entities, min_major;
    double alpha;
    /* The case's leading-digit counts, first digit [0] and first two [1]: an
     * account's baseline (baseline()) is Benford's law, or the rest of the case. */
    int64_t counts[2][100], n[2];
} bf_params_t;

/* What one account's digits are tested against. */
typedef struct {
    double expect[2][100];
    int own[2];             /* 1: the rest of the case's proportions, 0: Benford's */
} bf_baseline_t;

/* Transactions of a set of accounts (both directions, de-duplicated, sorted). */
static int gather(const iffnet_case_t *c, const iffnet_i_rf_adj_t *out_adj, const iffnet_i_rf_adj_t *in_adj,
                  const int64_t *acc, int64_t n_acc, iffnet_i_vec_t *tx)
{
    tx->n = 0;
    for (int64_t i = 0; i < n_acc; i++) {
        int64_t a = acc[i];
        for (int dir = 0; dir < 2; dir++) {
            const iffnet_i_rf_adj_t *adj = dir ? in_adj : out_adj;
            for (int64_t k = adj->off[a]; k < adj->off[a + 1]; k++) {
                int64_t t = adj->tx[k];
                if (dir && c->tx_src[t] == a) continue;   /* self-transfer already counted */
                IFFNET_TRY(iffnet_i_vec_push(tx, t));
            }
        }
    }
    if (n_acc > 1) {
        iffnet_i_sort(tx->v, (size_t)tx->n, sizeof *tx->v, iffnet_i_cmp_i64);
        int64_t w = 0;
        for (int64_t i = 0; i < tx->n; i++) if (i == 0 || tx->v[i] != tx->v[w - 1]) tx->v[w++] = tx->v[i];
        tx->n = w;
    }
    return IFFNET_OK;
}

/* 1 when transaction t's amount is at least min_major major units of its own
 * currency (Nigrini drops the small amounts, whose leading digits are dominated
 * by fees and rounding). */
static int tested_amount(const iffnet_case_t *c, int64_t t, int64_t min_major)
{
    iffnet_money_t unit = min_major;
    for (int s = 0; s < c->currency_scale[c->tx_currency[t]]; s++) unit *= 10;
    return c->tx_amount[t] >= unit && c->tx_amount[t] > 0;
}

/* The amounts of tx that the tests count (tested_amount()). */
static int64_t amounts(const iffnet_case_t *c, const iffnet_i_vec_t *tx, int64_t min_major,
                       iffnet_money_t *v)
{
    int64_t m = 0;
    for (int64_t i = 0; i < tx->n; i++)
        if (tested_amount(c, tx->v[i], min_major)) v[m++] = c->tx_amount[tx->v[i]];
    return m;
}

/* The case's leading-digit counts over the amounts the accounts' tests count,
 * and a note when they depart from Benford's law (Nigrini's nonconformity
 * class: on samples this large the chi-square rejects every real population).
 * v: room for every amount. */
static void bf_case_counts(const iffnet_detect_ctx_t *ctx, bf_params_t *p, iffnet_money_t *v)
{
    const iffnet_case_t *c = ctx->c;
    int64_t m = 0;
    for (int64_t t = 0; t < c->n_tx; t++)
        if (tested_amount(c, t, p->min_major)) v[m++] = c->tx_amount[t];
    for (int two = 0; two < 2; two++) {
        double expect[100];
        iffnet_benford_t r;
        p->n[two] = digit_counts(v, m, two, p->counts[two]);
        benford_proportions(expect, two);
        test_counts(p->counts[two], p->n[two], two, expect, &r);
        if (r.cls == IFFNET_BENFORD_NONCONFORMITY && p->n[two] >= p->min_tx_2d && ctx->note)
            ctx->note(ctx->note_arg, "benford: the case's %lld amounts depart from Benford's law in their %s "
                      "(MAD %.4f, %s): each account is tested against the rest of the case", (long long)p->n[two],
                      two ? "first two digits" : "first digit", r.mad, iffnet_benford_class_name(r.cls));
    }
}

/* An account's baseline, for each test: Benford's proportions where the rest
 * of the case (every amount but the account's own) follows the law or is too
 * small to say otherwise (fewer than benford.min_tx_2d amounts), else the rest
 * of the case's own proportions. An account is then unusual for what sets it
 * apart from the others, not for what every account of the case shares (amounts
 * drawn uniformly, one price list). O(100). */
static void baseline(const bf_params_t *p, int64_t counts[2][100], const int64_t k[2], bf_baseline_t *b)
{
    for (int two = 0; two < 2; two++) {
        int64_t rest[100], n = p->n[two] - k[two];
        iffnet_benford_t r;
        benford_proportions(b->expect[two], two);
        b->own[two] = 0;
        if (n < p->min_tx_2d) continue;
        for (int d = 0; d < 100; d++) rest[d] = p->counts[two][d] - counts[two][d];
        test_counts(rest, n, two, b->expect[two], &r);
        if (r.cls != IFFNET_BENFORD_NONCONFORMITY) continue;
        b->own[two] = 1;
        for (int d = 0; d < 100; d++) b->expect[two][d] = (double)rest[d] / (double)n;
    }
}

static int bf_report(iffnet_alert_t *a, const char *what, const iffnet_benford_t *r, int two, const bf_baseline_t *p)
{
    return iffnet_alert_add_reason(a, "%s test over %lld amounts: MAD %.4f (%s, Nigrini), chi-square %.1f "
                                   "on %d df, p = %.2g; leading %s %d is %.1f points above %s %.1f%%",
                                   what, (long long)r->n, r->mad, iffnet_benford_class_name(r->cls), r->chi2,
                                   r->df, r->p, two ? "digits" : "digit", r->top_digit, 100.0 * r->top_excess,
                                   p->own[two] ? "the rest of the case's" : "Benford's", 100.0 * p->expect[two][r->top_digit]);
}

/* Tests one set of accounts; appends an alert when a test fails. */
static int bf_one(const iffnet_detect_ctx_t *ctx, const bf_params_t *p, const int64_t *acc, int64_t n_acc,
                  const iffnet_i_vec_t *tx, iffnet_money_t *v, int64_t n_tests, iffnet_alert_list_t *out)
{
    int64_t m = amounts(ctx->c, tx, p->min_major, v);
    if (m < p->min_tx) return IFFNET_OK;
    iffnet_benford_t r1, r2;
    int64_t counts[2][100], k[2];
    bf_baseline_t base;
    k[0] = digit_counts(v, m, 0, counts[0]);
    k[1] = digit_counts(v, m, 1, counts[1]);
    baseline(p, counts, k, &base);
    test_counts(counts[0], k[0], 0, base.expect[0], &r1);
    int f1 = r1.cls == IFFNET_BENFORD_NONCONFORMITY && r1.p < p->alpha, f2 = 0;
    if (m >= p->min_tx_2d) {
        test_counts(counts[1], k[1], 1, base.expect[1], &r2);
        f2 = r2.cls == IFFNET_BENFORD_NONCONFORMITY && r2.p < p->alpha;
    }
    if (!f1 && !f2) return IFFNET_OK;
    iffnet_alert_t *a = NULL;
    IFFNET_TRY(iffnet_alert_list_add(out, IFFNET_TYP_BENFORD, 0, acc, n_acc, tx->v, tx->n, &a));
    if (f1) IFFNET_TRY(bf_report(a, "first-digit", &r1, 0, &base));
    if (f2) IFFNET_TRY(bf_report(a, "first-two-digits", &r2, 1, &base));
    if (n_acc > 1)
        IFFNET_TRY(iffnet_alert_add_reason(a, "the %lld accounts of holder %s tested together", (long long)n_acc,
                                           iffnet_strtab_get(&ctx->c->entity_ids, ctx->c->account_holder[acc[0]])));
    /* E: the smaller p of the tests that failed, over every test run. */
    double pv = fmin(f1 ? r1.p : 1.0, f2 ? r2.p : 1.0);
    return iffnet_i_rf_expect(a, (double)n_tests * 2.0 * pv, "chi-square p = %.2g, times the %lld accounts and holders "
                              "tested and the two digit tests", pv, (long long)n_tests);
}

static int bf_params(const iffnet_detect_ctx_t *ctx, bf_params_t *p)
{
    /* 110: every first-digit expected count >= 5 (Cochran's rule; P(9) = 4.6%).
     * 1150: the same for the first two digits (P(99) = 0.44%). */
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "benford", "min_tx", 110, 10, INT64_MAX, &p->min_tx));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "benford", "min_tx_2d", 1150, 100, INT64_MAX, &p->min_tx_2d));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "benford", "alpha", 0.001, 1e-12, 0.5, &p->alpha));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "benford", "min_amount", 10, 0, 1000000000, &p->min_major));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "benford", "entities", 1, 0, 1, &p->entities));
    return IFFNET_OK;
}

/* (holder, account) pairs. */
static int cmp_pair(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

int iffnet_redflag_benford(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    iffnet_i_rf_adj_t oa = { 0 }, ia = { 0 };
    iffnet_i_vec_t tx = { 0 }, grp = { 0 };
    iffnet_money_t *v = NULL;
    int64_t *order = NULL;
    bf_params_t p;
    int err;
    iffnet_i_rf_env(&env, ctx);
    if ((err = bf_params(ctx, &p))) goto out;
    if ((err = iffnet_i_rf_adj_build(&oa, c, 1)) || (err = iffnet_i_rf_adj_build(&ia, c, 0))) goto out;
    if (!(v = malloc((size_t)(2 * c->n_tx + 1) * sizeof *v))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    bf_case_counts(ctx, &p, v);
    /* Holders of several accounts are tested with their accounts together (order by owner). */
    if (!(order = malloc((size_t)(2 * c->n_accounts + 1) * sizeof *order))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    int64_t n_own = 0, n_tests = 0;
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (p.entities && c->account_holder && c->account_holder[a] >= 0 && a != env.cash_account) {
            order[2 * n_own] = c->account_holder[a];
            order[2 * n_own++ + 1] = a;
        }
    iffnet_i_sort(order, (size_t)n_own, 2 * sizeof *order, cmp_pair);
    /* How many tests run: accounts with enough transactions, holders of several. */
    for (int64_t a = 0; a < c->n_accounts; a++)
        n_tests += a != env.cash_account && oa.off[a + 1] - oa.off[a] + ia.off[a + 1] - ia.off[a] >= p.min_tx;
    for (int64_t i = 0, j; i < n_own; i = j) {
        for (j = i; j < n_own && order[2 * j] == order[2 * i]; j++) {}
        n_tests += j - i >= 2;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) {
        if (a == env.cash_account) continue;   /* the cash pseudo-account is everyone's counterparty */
        if (oa.off[a + 1] - oa.off[a] + ia.off[a + 1] - ia.off[a] < p.min_tx) continue;
        if ((err = gather(c, &oa, &ia, &a, 1, &tx))) goto out;
        if ((err = bf_one(ctx, &p, &a, 1, &tx, v, n_tests, out))) goto out;
    }
    for (int64_t i = 0, j; i < n_own; i = j) {
        grp.n = 0;
        for (j = i; j < n_own && order[2 * j] == order[2 * i]; j++)
            if ((err = iffnet_i_vec_push(&grp, order[2 * j + 1]))) goto out;
        if (grp.n < 2) continue;
        if ((err = gather(c, &oa, &ia, grp.v, grp.n, &tx))) goto out;
        if ((err = bf_one(ctx, &p, grp.v, grp.n, &tx, v, n_tests, out))) goto out;
    }
out:
    iffnet_i_rf_adj_destroy(&oa);
    iffnet_i_rf_adj_destroy(&ia);
    iffnet_i_vec_free(&tx);
    iffnet_i_vec_free(&grp);
    free(v);
    free(order);
    return err;
}

/* Round amounts: an account whose share of whole multiples of round_amounts.unit
 * is at least min_share and improbable (binomial upper tail < alpha) against the
 * case-wide share of round amounts, which serves as the population baseline. */
int iffnet_redflag_round_amounts(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    iffnet_i_rf_adj_t oa = { 0 }, ia = { 0 };
    iffnet_i_vec_t tx = { 0 };
    iffnet_money_t *units = NULL;
    int64_t unit, min_tx, n_round = 0;
    double min_share, alpha;
    int err;
    iffnet_i_rf_env(&env, ctx);
    if ((err = iffnet_i_setting_int(ctx->cfg, "round_amounts", "unit", 100, 1, 1000000000, &unit)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "round_amounts", "min_tx", 20, 2, INT64_MAX, &min_tx)) ||
        (err = iffnet_i_setting_double(ctx->cfg, "round_amounts", "min_share", 0.5, 0.0, 1.0, &min_share)) ||
        (err = iffnet_i_setting_double(ctx->cfg, "round_amounts", "alpha", 0.001, 1e-12, 0.5, &alpha)))
        return err;
    if ((err = iffnet_i_rf_round_units(c, unit, &units))) return err;
    for (int64_t t = 0; t < c->n_tx; t++) n_round += iffnet_i_rf_is_round(c, t, units);
    double p0 = c->n_tx > 0 ? (double)n_round / (double)c->n_tx : 0.0;
    p0 = fmin(fmax(p0, 1e-4), 0.9999);
    if ((err = iffnet_i_rf_adj_build(&oa, c, 1)) || (err = iffnet_i_rf_adj_build(&ia, c, 0))) goto out;
    int64_t n_tests = 0;
    for (int64_t a = 0; a < c->n_accounts; a++)
        n_tests += a != env.cash_account && oa.off[a + 1] - oa.off[a] + ia.off[a + 1] - ia.off[a] >= min_tx;
    for (int64_t a = 0; a < c->n_accounts; a++) {
        if (a == env.cash_account) continue;
        if (oa.off[a + 1] - oa.off[a] + ia.off[a + 1] - ia.off[a] < min_tx) continue;
        if ((err = gather(c, &oa, &ia, &a, 1, &tx))) goto out;
        int64_t k = 0, w = 0;
        for (int64_t i = 0; i < tx.n; i++)
            if (iffnet_i_rf_is_round(c, tx.v[i], units)) tx.v[w++] = tx.v[i], k++;
        double share = (double)k / (double)tx.n;
        if (k == 0 || share < min_share) continue;
        double pv = gsl_cdf_binomial_Q((unsigned)(k - 1), p0, (unsigned)tx.n);
        if (pv >= alpha) continue;
        int64_t n_all = tx.n;
        tx.n = w;
        iffnet_alert_t *al = NULL;
        if ((err = iffnet_alert_list_add(out, IFFNET_TYP_ROUND_AMOUNTS, 0, &a, 1, tx.v, tx.n, &al))) goto out;
        if ((err = iffnet_alert_add_reason(al, "%lld of %lld transactions of account %s (%.0f%%) are whole "
                                           "multiples of %lld currency units, against %.2f%% in the whole case "
                                           "(binomial p = %.2g)", (long long)k, (long long)n_all,
                                           iffnet_case_account_id(c, a), 100.0 * share, (long long)unit,
                                           100.0 * p0, pv)) ||
            (err = iffnet_i_rf_expect(al, (double)n_tests * pv, "binomial p = %.2g, times the %lld accounts tested",
                                      pv, (long long)n_tests)))
            goto out;
    }
out:
    free(units);
    iffnet_i_rf_adj_destroy(&oa);
    iffnet_i_rf_adj_destroy(&ia);
    iffnet_i_vec_free(&tx);
    return err;
}
