/* detect_index.c: the transaction index and helpers shared by the structural detectors. */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include "detect_internal.h"

/* Relation types that put two parties in one business group. Directors and
 * shared addresses do not: those are links for `iffnet links`, not ownership. */
static int is_group_relation(const char *type)
{
    static const char *const types[] = { "owns", "owner_of", "subsidiary_of", "parent_of",
                                         "controls", "same_group", "holds_account" };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(type, types[i]) == 0) return 1;
    return 0;
}

/* group[a]: smallest node id of a's ownership component (accounts and entities). */
static int build_groups(const iffnet_case_t *c, iffnet_i_txindex_t *x)
{
    int64_t na = c->n_accounts, n = na + c->n_entities;
    int64_t *p = malloc((size_t)(n > 0 ? n : 1) * sizeof *p);
    if (!p) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for account groups");
    for (int64_t i = 0; i < n; i++) p[i] = i;
    for (int64_t a = 0; a < na; a++)
        if (c->account_holder && c->account_holder[a] >= 0) iffnet_i_uf_union_in(p, a, na + c->account_holder[a]);
    for (int64_t r = 0; r < c->n_relations; r++) {
        if (!is_group_relation(iffnet_case_text(c, c->rel_type[r]))) continue;
        int64_t s = c->rel_src_account[r] >= 0 ? c->rel_src_account[r]
                  : c->rel_src_entity[r] >= 0 ? na + c->rel_src_entity[r] : -1;
        int64_t d = c->rel_dst_account[r] >= 0 ? c->rel_dst_account[r]
                  : c->rel_dst_entity[r] >= 0 ? na + c->rel_dst_entity[r] : -1;
        if (s >= 0 && d >= 0) iffnet_i_uf_union_in(p, s, d);
    }
    for (int64_t a = 0; a < na; a++) x->group[a] = iffnet_i_uf_find_in(p, a);
    free(p);
    return IFFNET_OK;
}

/* Fills one CSR side: off[a]..off[a+1] lists the tx whose `end` is a, in time
 * order, cash deposits and withdrawals left out (cash >= 0: the CASH account). */
static void fill_csr(const iffnet_case_t *c, int64_t cash, const int32_t *end, int64_t *off, int64_t *list)
{
    int64_t na = c->n_accounts, nt = c->n_tx;
    memset(off, 0, (size_t)(na + 1) * sizeof *off);
    for (int64_t t = 0; t < nt; t++)
        if (c->tx_src[t] != cash && c->tx_dst[t] != cash) off[end[t] + 1]++;
    for (int64_t a = 0; a < na; a++) off[a + 1] += off[a];
    int64_t *pos = off; /* reuse: fill then shift back */
    for (int64_t t = 0; t < nt; t++)
        if (c->tx_src[t] != cash && c->tx_dst[t] != cash) list[pos[end[t]]++] = t;
    for (int64_t a = na; a > 0; a--) off[a] = off[a - 1];
    off[0] = 0;
}

/* pair_n of every tx: per payer, count its payees with a scratch array. O(E). */
static void count_pairs(iffnet_i_txindex_t *x, int64_t *scratch)
{
    const iffnet_case_t *c = x->c;
    for (int64_t a = 0; a < x->n_acc; a++) scratch[a] = 0;
    for (int64_t a = 0; a < x->n_acc; a++) {
        for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++) scratch[c->tx_dst[x->out_tx[k]]]++;
        for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++) {
            int64_t n = scratch[c->tx_dst[x->out_tx[k]]];
            x->pair_n[x->out_tx[k]] = (int32_t)(n > INT32_MAX ? INT32_MAX : n);
        }
        for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++) scratch[c->tx_dst[x->out_tx[k]]] = 0;
    }
}

/* The hour of the week of t (0 .. 167; weeks from the epoch's), floor division. */
static int64_t week_of(iffnet_time_t t, int64_t *hour)
{
    int64_t w = t >= 0 ? t / 604800 : -((-t + 604799) / 604800);
    *hour = (t - w * 604800) / 3600;
    return w;
}

/* The clock: transactions per hour of the week, with one more in every hour
 * (a small case is near an even clock), scaled to an average of 1. O(E). */
static void build_clock(const iffnet_case_t *c, iffnet_i_txindex_t *x)
{
    double cnt[168];
    for (int h = 0; h < 168; h++) cnt[h] = 1.0;
    for (int64_t t = 0; t < c->n_tx; t++) {
        int64_t h;
        week_of(c->tx_time[t], &h);
        cnt[h] += 1.0;
    }
    double total = (double)c->n_tx + 168.0;
    x->clock_cum[0] = 0;
    for (int h = 0; h < 168; h++) {
        x->clock_m[h] = 168.0 * cnt[h] / total;
        x->clock_cum[h + 1] = x->clock_cum[h] + x->clock_m[h];
    }
}

double iffnet_i_clock(const iffnet_i_txindex_t *x, iffnet_time_t t)
{
    int64_t h, w = week_of(t, &h);
    iffnet_time_t into = t - w * 604800 - h * 3600;
    return (double)w * 604800.0 + x->clock_cum[h] * 3600.0 + (double)into * x->clock_m[h];
}

double iffnet_i_clock_days(const iffnet_i_txindex_t *x, iffnet_time_t t0, iffnet_time_t t1)
{
    if (t1 < t0) { iffnet_time_t s = t0; t0 = t1; t1 = s; }
    return (iffnet_i_clock(x, t1 + 3600) - iffnet_i_clock(x, t0)) / 86400.0;
}

static int build_index(const iffnet_case_t *c, iffnet_i_txindex_t *x)
{
    memset(x, 0, sizeof *x);
    x->c = c;
    x->n_acc = c->n_accounts;
    x->n_tx = c->n_tx;
    size_t na1 = (size_t)x->n_acc + 1, nt = (size_t)(x->n_tx > 0 ? x->n_tx : 1);
    int64_t *scratch = NULL;
    int err = IFFNET_OK;
    x->out_off = malloc(na1 * sizeof(int64_t));
    x->in_off = malloc(na1 * sizeof(int64_t));
    x->out_tx = malloc(nt * sizeof(int64_t));
    x->in_tx = malloc(nt * sizeof(int64_t));
    x->pair_n = malloc(nt * sizeof(int32_t));
    x->val = malloc(nt * sizeof(iffnet_money_t));
    x->group = malloc(na1 * sizeof(int64_t));
    x->out_t = malloc(nt * sizeof(iffnet_time_t));
    x->out_d = malloc(nt * sizeof(int32_t));
    x->out_p = malloc(nt * sizeof(int32_t));
    x->out_v = malloc(nt * sizeof(iffnet_money_t));
    x->in_s = malloc(nt * sizeof(int32_t));
    x->in_p = malloc(nt * sizeof(int32_t));
    x->in_t = malloc(nt * sizeof(iffnet_time_t));
    scratch = malloc(na1 * sizeof(int64_t));
    if (!x->out_off || !x->in_off || !x->out_tx || !x->in_tx || !x->pair_n || !x->val || !x->group
        || !x->out_t || !x->out_d || !x->out_p || !x->out_v || !x->in_s || !x->in_p || !x->in_t || !scratch) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the transaction index (%lld tx)",
                              (long long)x->n_tx);
        goto out;
    }
    x->cash = iffnet_case_cash_account(c);
    fill_csr(c, x->cash, c->tx_src, x->out_off, x->out_tx);
    fill_csr(c, x->cash, c->tx_dst, x->in_off, x->in_tx);
    x->n_listed = x->out_off[x->n_acc];
    for (int64_t t = 0; t < x->n_tx; t++) x->pair_n[t] = INT32_MAX; /* cash: in no list, no pair */
    count_pairs(x, scratch);
    for (int64_t t = 0; t < x->n_tx; t++) x->val[t] = iffnet_case_tx_value(c, t);
    for (int64_t k = 0; k < x->n_listed; k++) {
        int64_t t = x->out_tx[k];
        x->out_t[k] = c->tx_time[t]; x->out_d[k] = c->tx_dst[t]; x->out_p[k] = x->pair_n[t]; x->out_v[k] = x->val[t];
    }
    for (int64_t k = 0; k < x->n_listed; k++) {
        int64_t t = x->in_tx[k];
        x->in_s[k] = c->tx_src[t]; x->in_p[k] = x->pair_n[t]; x->in_t[k] = c->tx_time[t];
    }
    build_clock(c, x);
    err = build_groups(c, x);
out:
    free(scratch);
    if (err) iffnet_i_txindex_destroy(x);
    return err;
}

static iffnet_i_txindex_t g_index;           /* the kept index (g_index.c == NULL: none) */
static const iffnet_time_t *g_index_times;    /* with the case's identity, against reuse of an address */

int iffnet_i_txindex_build(const iffnet_case_t *c, iffnet_i_txindex_t *x)
{
    if (!(g_index.c == c && g_index_times == c->tx_time && g_index.n_tx == c->n_tx && g_index.n_acc == c->n_accounts)) {
        iffnet_i_txindex_release();
        IFFNET_TRY(build_index(c, &g_index));
        g_index_times = c->tx_time;
    }
    *x = g_index;
    x->shared = 1;
    return IFFNET_OK;
}

void iffnet_i_txindex_release(void)
{
    if (g_index.c) { g_index.shared = 0; iffnet_i_txindex_destroy(&g_index); }
    g_index_times = NULL;
}

void iffnet_i_txindex_destroy(iffnet_i_txindex_t *x)
{
    if (x->shared) { memset(x, 0, sizeof *x); return; }
    free(x->out_off); free(x->in_off); free(x->out_tx); free(x->in_tx);
    free(x->pair_n); free(x->val); free(x->group);
    free(x->out_t); free(x->out_d); free(x->out_p); free(x->out_v); free(x->in_s); free(x->in_p); free(x->in_t);
    memset(x, 0, sizeof *x);
}

const char *iffnet_i_money(const iffnet_detect_ctx_t *ctx, char *buf, size_t size, iffnet_money_t v)
{
    if (ctx->value_currency < 0 || iffnet_case_format_money(ctx->c, buf, size, v, ctx->value_currency, 1) < 0)
        snprintf(buf, size, "%lld", (long long)v);
    else if (iffnet_case_mixed_currencies(ctx->c)) {
        /* sums over several currencies without rates are not amounts: say so */
        size_t n = strlen(buf);
        snprintf(buf + n, size - n, " (unconverted, mixed currencies)");
    }
    return buf;
}

const char *iffnet_i_tx_money(const iffnet_detect_ctx_t *ctx, char *buf, size_t size, int64_t t)
{
    const iffnet_case_t *c = ctx->c;
    if (c->tx_base || !iffnet_case_mixed_currencies(c)) return iffnet_i_money(ctx, buf, size, iffnet_case_tx_value(c, t));
    if (iffnet_case_format_money(c, buf, size, c->tx_amount[t], c->tx_currency[t], 1) < 0)
        snprintf(buf, size, "%lld", (long long)c->tx_amount[t]);
    return buf;
}

int64_t iffnet_i_days(iffnet_time_t a, iffnet_time_t b)
{
    /* calendar days (UTC) from a's day to b's day, both included */
    int64_t da = a >= 0 ? a / 86400 : (a - 86399) / 86400, db = b >= 0 ? b / 86400 : (b - 86399) / 86400;
    return (db > da ? db - da : da - db) + 1;
}

int iffnet_i_alert(iffnet_alert_list_t *out, iffnet_typology_t typ, double score,
                   const iffnet_i_vec_t *accounts, const iffnet_i_vec_t *tx, iffnet_alert_t **added)
{
    if (score < 0) score = 0;
    if (score > 1) score = 1;
    return iffnet_alert_list_add(out, typ, score, accounts->v, accounts->n, tx->v, tx->n, added);
}

int iffnet_i_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double iffnet_i_median(double *v, int64_t n)
{
    if (n <= 0) return 0;
    qsort(v, (size_t)n, sizeof *v, iffnet_i_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double iffnet_i_case_rate(const iffnet_i_txindex_t *x, int in, int64_t max_pair_tx, int64_t window,
                          double *account_windows)
{
    const iffnet_case_t *c = x->c;
    double windows = 0, events = 0;
    if (window <= 0) return 0;
    for (int64_t a = 0; a < x->n_acc; a++) {
        iffnet_time_t t0 = INT64_MAX, t1 = INT64_MIN;
        if (x->in_off[a + 1] > x->in_off[a]) { t0 = c->tx_time[x->in_tx[x->in_off[a]]]; t1 = c->tx_time[x->in_tx[x->in_off[a + 1] - 1]]; }
        if (x->out_off[a + 1] > x->out_off[a]) {
            if (c->tx_time[x->out_tx[x->out_off[a]]] < t0) t0 = c->tx_time[x->out_tx[x->out_off[a]]];
            if (c->tx_time[x->out_tx[x->out_off[a + 1] - 1]] > t1) t1 = c->tx_time[x->out_tx[x->out_off[a + 1] - 1]];
        }
        if (t0 > t1) continue;
        windows += (double)((t1 - t0) / window + 1);
    }
    for (int64_t t = 0; t < x->n_tx; t++)
        if (iffnet_i_transfer(x, t) && x->pair_n[t] <= max_pair_tx) events += 1;
    (void)in; /* every such tx is one event on each side: the rates are equal */
    *account_windows = windows;
    return windows > 0 ? events / windows : 0;
}

int iffnet_i_routine(const iffnet_i_txindex_t *x, int64_t v, int in, int64_t max_pair_tx, int64_t window,
                     int64_t min_windows, double **bins, int64_t *cap, double *med)
{
    const int64_t *off = in ? x->in_off : x->out_off;
    /* the index's copies along the lists: no cache miss per payment */
    const int32_t *cps = in ? x->in_s : x->out_d, *pn = in ? x->in_p : x->out_p;
    const iffnet_time_t *tk = in ? x->in_t : x->out_t;
    iffnet_time_t t0 = INT64_MAX, t1 = INT64_MIN;
    *med = 0;
    if (x->in_off[v + 1] > x->in_off[v]) { t0 = x->in_t[x->in_off[v]]; t1 = x->in_t[x->in_off[v + 1] - 1]; }
    if (x->out_off[v + 1] > x->out_off[v]) {
        if (x->out_t[x->out_off[v]] < t0) t0 = x->out_t[x->out_off[v]];
        if (x->out_t[x->out_off[v + 1] - 1] > t1) t1 = x->out_t[x->out_off[v + 1] - 1];
    }
    if (t0 > t1 || window <= 0) return IFFNET_OK;
    int64_t nb = (t1 - t0) / window + 1;
    if (nb < min_windows) return IFFNET_OK;
    int64_t events = 0;
    for (int64_t k = off[v]; k < off[v + 1]; k++) {
        int64_t cp = cps[k];
        events += cp != v && pn[k] <= max_pair_tx && !iffnet_i_same_group(x, v, cp);
    }
    /* fewer events than half the windows: more than half of them are empty */
    if (2 * events < nb) return IFFNET_OK;
    if (nb > *cap) IFFNET_TRY(iffnet_i_reserve((void **)bins, cap, nb, sizeof **bins));
    for (int64_t b = 0; b < nb; b++) (*bins)[b] = 0;
    for (int64_t k = off[v]; k < off[v + 1]; k++) {
        int64_t cp = cps[k];
        if (cp == v || pn[k] > max_pair_tx || iffnet_i_same_group(x, v, cp)) continue;
        (*bins)[(tk[k] - t0) / window] += 1;
    }
    *med = iffnet_i_median(*bins, nb);
    return IFFNET_OK;
}

int64_t iffnet_i_peak(const iffnet_case_t *c, const int64_t *tx, int64_t n, int64_t window)
{
    const iffnet_time_t *T = c->tx_time;
    int64_t best = 0, j = 0;
    for (int64_t i = 0; i < n; i++) {
        while (T[tx[i]] - T[tx[j]] >= window) j++;
        if (i - j + 1 > best) best = i - j + 1;
    }
    return best;
}

double iffnet_i_rate_tail(int64_t n, double lambda, double k)
{
    double mu = lambda * k;
    if (n <= 0) return 1.0;
    if (mu <= 0) return 0.0;
    if (n - 1 > (int64_t)UINT32_MAX) return 0.0;
    return gsl_cdf_poisson_Q((unsigned int)(n - 1), mu);
}

int iffnet_i_above_rate(int64_t n, double lambda, double k, double p)
{
    double mu = lambda * k;
    if (n <= 0) return 0;
    if (mu <= 0) return 1;
    if (n - 1 > (int64_t)UINT32_MAX) return 1;
    return gsl_cdf_poisson_Q((unsigned int)(n - 1), mu) < p;
}

/* ---- scan statistics ---- */

double iffnet_i_poisson_pmf(int64_t n, double mu)
{
    if (n < 0) return 0.0;
    if (mu <= 0) return n == 0 ? 1.0 : 0.0;
    return exp((double)n * log(mu) - mu - gsl_sf_lngamma((double)n + 1.0));
}

double iffnet_i_scan_one(double rate, int64_t n, double d, double life)
{
    double mu = rate * d;
    if (n <= 0) return 1.0;
    double e = iffnet_i_rate_tail(n, rate, d);
    if (life > d && n > mu) e += ((double)n - mu) * (life - d) / d * iffnet_i_poisson_pmf(n, mu);
    return e;
}

double iffnet_i_scan_disp(double rate, int64_t n, double d, double life, double phi)
{
    if (phi <= 1.0) return iffnet_i_scan_one(rate, n, d, life);
    /* quasi-Poisson: counts and mean divided by the dispersion, the tail and
     * the point probability taken at that (real) count */
    double mu = rate * d / phi, m = (double)n / phi;
    if (n <= 0) return 1.0;
    if (mu <= 0) return 0.0;
    double e = gsl_cdf_gamma_P(mu, m, 1.0);
    if (life > d && m > mu) e += (m - mu) * (life - d) / d * exp(m * log(mu) - mu - gsl_sf_lngamma(m + 1.0));
    return e;
}

double iffnet_i_scan_nb(double rate, int64_t n, double d, double life, double phi, double c2)
{
    if (c2 <= 0) return iffnet_i_scan_disp(rate, n, d, life, phi);
    if (phi < 1) phi = 1;
    /* variance phi mu + c2 mu^2: counts and mean divided by phi, then a
     * negative binomial of size 1 / (c2 phi) (a Poisson whose rate varies by
     * a coefficient of variation sqrt(c2)) */
    double mu = rate * d / phi, m = (double)n / phi, r = 1.0 / (c2 * phi);
    if (n <= 0) return 1.0;
    if (mu <= 0) return 0.0;
    double p = r / (r + mu);
    /* P(X >= m) = I_{1-p}(m, r) (regularized incomplete beta) for real m */
    double tail = gsl_cdf_beta_P(1.0 - p, m, r);
    double lpmf = gsl_sf_lngamma(m + r) - gsl_sf_lngamma(r) - gsl_sf_lngamma(m + 1.0) + r * log(p) + m * log1p(-p);
    double e = tail;
    if (life > d && m > mu) e += (m - mu) * (life - d) / d * exp(lpmf);
    return e;
}

double iffnet_i_scan_case(const iffnet_i_lives_t *l, double rate, int64_t n, double d)
{
    double mu = rate * d;
    if (l->n == 0 || n <= 0) return 0.0;
    double e = (double)l->n * iffnet_i_rate_tail(n, rate, d);
    if (n > mu) {
        /* accounts living longer than d: sum of (life - d) */
        int64_t lo = 0, hi = l->n;
        while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if (l->life[m] <= d) lo = m + 1; else hi = m; }
        double over = l->suffix[lo] - (double)(l->n - lo) * d;
        if (over > 0) e += ((double)n - mu) * over / d * iffnet_i_poisson_pmf(n, mu);
    }
    return e;
}

double iffnet_i_life(const iffnet_i_txindex_t *x, int64_t v, iffnet_time_t *first, iffnet_time_t *last)
{
    iffnet_time_t t0 = INT64_MAX, t1 = INT64_MIN;
    if (x->in_off[v + 1] > x->in_off[v]) { t0 = x->in_t[x->in_off[v]]; t1 = x->in_t[x->in_off[v + 1] - 1]; }
    if (x->out_off[v + 1] > x->out_off[v]) {
        if (x->out_t[x->out_off[v]] < t0) t0 = x->out_t[x->out_off[v]];
        if (x->out_t[x->out_off[v + 1] - 1] > t1) t1 = x->out_t[x->out_off[v + 1] - 1];
    }
    if (first) *first = t0;
    if (last) *last = t1;
    return t0 > t1 ? 0.0 : (double)(t1 - t0) / 86400.0 + 1.0;
}

int iffnet_i_lives_build(const iffnet_i_txindex_t *x, iffnet_i_lives_t *l)
{
    memset(l, 0, sizeof *l);
    l->life = malloc(((size_t)x->n_acc + 1) * sizeof *l->life);
    l->suffix = malloc(((size_t)x->n_acc + 2) * sizeof *l->suffix);
    if (!l->life || !l->suffix) { iffnet_i_lives_free(l); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); }
    for (int64_t v = 0; v < x->n_acc; v++) {
        double d = iffnet_i_life(x, v, NULL, NULL);
        if (d > 0) l->life[l->n++] = d;
    }
    if (l->n > 1) qsort(l->life, (size_t)l->n, sizeof *l->life, iffnet_i_cmp_double);
    l->suffix[l->n] = 0;
    for (int64_t i = l->n - 1; i >= 0; i--) l->suffix[i] = l->suffix[i + 1] + l->life[i];
    l->days = l->suffix[0];
    return IFFNET_OK;
}

void iffnet_i_lives_free(iffnet_i_lives_t *l)
{
    free(l->life); free(l->suffix);
    memset(l, 0, sizeof *l);
}

void iffnet_i_each_hop(const iffnet_i_txindex_t *x, iffnet_i_hop_fn fn, void *arg)
{
    const iffnet_case_t *c = x->c;
    for (int64_t a = 0; a < x->n_acc; a++) {
        int64_t i = x->in_off[a], last_in = -1;
        for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++) {
            int64_t o = x->out_tx[k];
            while (i < x->in_off[a + 1] && x->in_tx[i] < o) {
                int64_t t = x->in_tx[i++];
                if (c->tx_src[t] != a) last_in = t;
            }
            if (last_in >= 0 && c->tx_dst[o] != a) fn(arg, last_in, o);
        }
    }
}

typedef struct {
    const iffnet_i_txindex_t *x;
    int64_t stride, seen, n;
    double *v;
} hop_sample_t;

static void sample_hop(void *arg, int64_t in, int64_t out)
{
    hop_sample_t *h = arg;
    const iffnet_i_txindex_t *x = h->x;
    if (!iffnet_i_comparable(x, in, out) || x->val[out] <= 0 || x->val[in] <= 0) return;
    if (h->seen++ % h->stride) return;
    h->v[h->n++] = fabs(log((double)x->val[out] / (double)x->val[in]));
}

int iffnet_i_hop_sample(const iffnet_i_txindex_t *x, double **out, int64_t *n)
{
    hop_sample_t h = { x, x->n_tx > 1000000 ? (x->n_tx + 999999) / 1000000 : 1, 0, 0, NULL };
    *out = NULL; *n = 0;
    h.v = malloc((size_t)(x->n_tx / h.stride + 2) * sizeof *h.v);
    if (!h.v) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    iffnet_i_each_hop(x, sample_hop, &h);
    if (h.n > 1) qsort(h.v, (size_t)h.n, sizeof *h.v, iffnet_i_cmp_double);
    *out = h.v;
    *n = h.n;
    return IFFNET_OK;
}

/* 1 when the part of the life t0..t1 outside events ev[lo..hi) would hold at
 * most `extra` of them with probability 5% or more at their pace (plain
 * Poisson: a dispersion measured on the account would measure the burst being
 * tested). In calendar days: a stream of payments in office hours leaves the
 * night before its first one and after its last one empty. */
static int quiet_outside(const iffnet_case_t *c, const int64_t *ev, int64_t lo, int64_t hi, int64_t extra,
                         iffnet_time_t t0, iffnet_time_t t1)
{
    double d = (double)iffnet_i_days(c->tx_time[ev[lo]], c->tx_time[ev[hi - 1]]);
    double out_days = fmax(0.0, (double)iffnet_i_days(t0, t1) - d), pace = (double)(hi - lo) / d;
    if (pace * out_days <= 0) return 1; /* GSL wants a positive mean */
    return gsl_cdf_poisson_P((unsigned int)extra, pace * out_days) >= 0.05;
}

int iffnet_i_is_stream(const iffnet_case_t *c, const int64_t *ev, int64_t n, iffnet_time_t t0, iffnet_time_t t1,
                       double span_days)
{
    const iffnet_time_t *T = c->tx_time;
    double life = (double)(t1 - t0) / 86400.0 + 1.0;
    if (life < 0.5 * span_days || n < 3) return 0;
    /* under a stream the outside is the two end gaps (at most one payment's
     * worth at its pace), with one payment dropped three gaps (two) */
    if (!quiet_outside(c, ev, 0, n, 1, t0, t1)) return 0;
    int last = T[ev[n - 1]] - T[ev[n - 2]] > T[ev[1]] - T[ev[0]];
    return last ? quiet_outside(c, ev, 0, n - 1, 2, t0, t1) : quiet_outside(c, ev, 1, n, 2, t0, t1);
}
