/* detect_profile.c: the case profile (detector.h): what the case's own traffic
 * looks like, so that the detectors can derive their gates from it.
 *
 * One pass over each account's payments in time order gives the pair counts, the
 * gaps within pairs and accounts, the hops (a payment out with the latest payment
 * in before it) and the degrees; distributions are summarised by quantiles of a
 * deterministic sample (every k-th value, at most PROFILE_SAMPLE of them), so
 * the profile costs O(V + E) plus sorting a quarter of a million values per
 * distribution (the amount linkage is measured on the sampled hops).
 */
#include <math.h>
#include "iffnet/detect.h"
#include "detect_internal.h"

#define PROFILE_SAMPLE 250000

/* Values of one distribution: every `stride`-th one offered is kept. */
typedef struct {
    double *v;
    int64_t n, cap, offered, stride;
} sample_t;

static int sample_init(sample_t *s, int64_t expected)
{
    memset(s, 0, sizeof *s);
    s->stride = expected > PROFILE_SAMPLE ? (expected + PROFILE_SAMPLE - 1) / PROFILE_SAMPLE : 1;
    s->cap = (expected / s->stride) + 2;
    s->v = malloc((size_t)s->cap * sizeof *s->v);
    return s->v ? IFFNET_OK : iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the case profile");
}

static int sample_add(sample_t *s, double x)
{
    if (s->offered++ % s->stride) return IFFNET_OK;
    if (s->n == s->cap) IFFNET_TRY(iffnet_i_reserve((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v));
    s->v[s->n++] = x;
    return IFFNET_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile q of sorted v[0..n) by the nearest rank. */
static double rank_q(const double *v, int64_t n, double q)
{
    int64_t k = (int64_t)ceil(q * (double)n) - 1;
    return v[k < 0 ? 0 : k >= n ? n - 1 : k];
}

/* Summarises s into d and frees it. */
static void sample_dist(sample_t *s, iffnet_detect_dist_t *d)
{
    memset(d, 0, sizeof *d);
    d->n = s->offered;
    if (s->n > 0) {
        qsort(s->v, (size_t)s->n, sizeof *s->v, cmp_double);
        d->p10 = rank_q(s->v, s->n, 0.10);
        d->p25 = rank_q(s->v, s->n, 0.25);
        d->p50 = rank_q(s->v, s->n, 0.50);
        d->p75 = rank_q(s->v, s->n, 0.75);
        d->p90 = rank_q(s->v, s->n, 0.90);
        d->p99 = rank_q(s->v, s->n, 0.99);
        d->max = s->v[s->n - 1];
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* A deterministic pseudo-random index in [0, n) for transaction t (splitmix64). */
static int64_t scramble(int64_t t, int64_t n)
{
    uint64_t z = (uint64_t)t + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (int64_t)(z % (uint64_t)n);
}

typedef struct {
    const iffnet_i_txindex_t *x;
    double unit;                    /* minor units per major unit of the value currency */
    sample_t life, rate, pair, pgap, agap, amount, hop, delay, indeg, outdeg;
    /* per payee of the account being scanned (one cache line each) */
    struct payee { iffnet_time_t last_t; double gsum, gsq; int64_t gn; } *pay;
    int mixed;                      /* currencies that cannot be compared */
    char *periodic_acc;
    int64_t n_pairs, n_once, once_tx, recurring, periodic;
    double closer, hops;            /* hops whose out is closer to its in than to a random amount */
    double account_days;
} prof_t;

static int scan_pairs(prof_t *P, int64_t a)
{
    const iffnet_i_txindex_t *x = P->x;
    int64_t n_payees = 0;
    for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++) {
        int64_t b = x->out_d[k];
        if (b == a) continue;
        struct payee *q = &P->pay[b];
        if (q->gn > 0) {
            double g = (double)(x->out_t[k] - q->last_t) / 86400.0;
            q->gsum += g; q->gsq += g * g;
            IFFNET_TRY(sample_add(&P->pgap, g));
        }
        q->gn++;
        q->last_t = x->out_t[k];
    }
    /* one visit per payee: its pair count, rhythm and the reset of the scratch */
    for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++) {
        int64_t b = x->out_d[k];
        struct payee *q = &P->pay[b];
        if (b == a || q->gn == 0) continue;
        int64_t n = q->gn;
        n_payees++;
        P->n_pairs++;
        IFFNET_TRY(sample_add(&P->pair, (double)n));
        if (n == 1) { P->n_once++; P->once_tx++; }
        else P->recurring++;
        if (n >= 3) {
            double m = q->gsum / (double)(n - 1), var = q->gsq / (double)(n - 1) - m * m;
            if (m > 0 && sqrt(var > 0 ? var : 0) < 0.5 * m) {
                P->periodic++;
                P->periodic_acc[a] = P->periodic_acc[b] = 1;
            }
        }
        q->gn = 0; q->gsum = 0; q->gsq = 0;
    }
    if (n_payees > 0) IFFNET_TRY(sample_add(&P->outdeg, (double)n_payees));
    return IFFNET_OK;
}

/* Hops of account a: each payment out with the latest payment in before it
 * (in case order), its amount ratio and delay, and whether the out is closer to
 * that in than to a random amount of the case. */
static int scan_hops(prof_t *P, int64_t a)
{
    const iffnet_i_txindex_t *x = P->x;
    const iffnet_case_t *c = x->c;
    int64_t i = x->in_off[a], last_in = -1;
    for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++) {
        int64_t o = x->out_tx[k];
        while (i < x->in_off[a + 1] && x->in_tx[i] < o) {
            int64_t t = x->in_tx[i++];
            if (x->in_s[i - 1] != a) last_in = t;
        }
        if (last_in < 0 || x->out_d[k] == a || (P->mixed && !iffnet_i_comparable(x, last_in, o))) continue;
        double vo = (double)x->out_v[k], vi = (double)x->val[last_in];
        if (vo <= 0 || vi <= 0) continue;
        /* the sampled hops only (every stride-th, as the distributions keep
         * them): a quarter of a million hops measure the linkage well, and a
         * random amount of a large case is a cache miss */
        int keep = P->hop.offered % P->hop.stride == 0;
        IFFNET_TRY(sample_add(&P->hop, keep ? fabs(log10(vo / vi)) : 0.0));
        int keep_d = P->delay.offered % P->delay.stride == 0;
        IFFNET_TRY(sample_add(&P->delay, keep_d ? (double)(x->out_t[k] - c->tx_time[last_in]) / 86400.0 : 0.0));
        if (!keep) continue;
        double vr = (double)x->val[scramble(o, x->n_tx)];
        P->hops += 1;
        if (vr > 0) {
            /* |log(vo / vi)| < |log(vo / vr)| without logarithms */
            double r = vo > vi ? vo / vi : vi / vo, rr = vo > vr ? vo / vr : vr / vo;
            P->closer += r < rr ? 1.0 : r == rr ? 0.5 : 0.0;
        } else P->closer += 0.5;
    }
    return IFFNET_OK;
}

/* Activity of account a: life, rate, in-degree and the gaps between its payments. */
static int scan_activity(prof_t *P, int64_t a, int64_t *scratch_stamp, int64_t stamp)
{
    const iffnet_i_txindex_t *x = P->x;
    const iffnet_case_t *c = x->c;
    const iffnet_time_t *T = c->tx_time;
    int64_t n = 0, n_payers = 0;
    iffnet_time_t t0 = INT64_MAX, t1 = INT64_MIN, prev = INT64_MIN;
    /* in_tx is in time order: the first and the last receipt from another
     * account bound the life on this side */
    int64_t lo = x->in_off[a], hi = x->in_off[a + 1];
    for (int64_t k = lo; k < hi; k++) {
        int64_t s = x->in_s[k];
        if (s == a) continue;
        n++;
        if (scratch_stamp[s] != stamp) { scratch_stamp[s] = stamp; n_payers++; }
    }
    for (int64_t k = lo; k < hi; k++) if (x->in_s[k] != a) { t0 = T[x->in_tx[k]]; break; }
    for (int64_t k = hi - 1; k >= lo; k--) if (x->in_s[k] != a) { t1 = T[x->in_tx[k]]; break; }
    for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++) {
        if (x->out_d[k] == a) continue;
        iffnet_time_t t = x->out_t[k];
        n++;
        if (t < t0) t0 = t;
        if (t > t1) t1 = t;
        if (prev != INT64_MIN) IFFNET_TRY(sample_add(&P->agap, (double)(t - prev) / 86400.0));
        prev = t;
    }
    if (n == 0) return IFFNET_OK;
    double life = (double)(t1 - t0) / 86400.0 + 1.0;
    P->account_days += life;
    IFFNET_TRY(sample_add(&P->life, life));
    IFFNET_TRY(sample_add(&P->rate, 30.0 * (double)n / life));
    if (n_payers > 0) IFFNET_TRY(sample_add(&P->indeg, (double)n_payers));
    return IFFNET_OK;
}

int iffnet_detect_profile(const iffnet_case_t *c, iffnet_detect_profile_t *p)
{
    iffnet_i_txindex_t x;
    prof_t P;
    int64_t *stamp = NULL;
    int err = IFFNET_OK;
    memset(p, 0, sizeof *p);
    memset(&P, 0, sizeof P);
    sample_t *all[] = { &P.life, &P.rate, &P.pair, &P.pgap, &P.agap, &P.amount, &P.hop, &P.delay, &P.indeg, &P.outdeg };
    IFFNET_TRY(iffnet_i_txindex_build(c, &x));
    P.x = &x;
    int32_t vc = c->n_tx > 0 ? iffnet_case_value_currency(c) : -1;
    int scale = vc >= 0 && c->currency_scale ? c->currency_scale[vc] : 2;
    P.unit = pow(10.0, scale);
    size_t na = (size_t)x.n_acc + 1;
    P.pay = calloc(na, sizeof *P.pay);
    P.mixed = !c->tx_base && iffnet_case_mixed_currencies(c);
    P.periodic_acc = calloc(na, 1);
    stamp = calloc(na, sizeof *stamp);
    if (!P.pay || !P.periodic_acc || !stamp) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the case profile");
        goto out;
    }
    int64_t expect[] = { x.n_acc, x.n_acc, x.n_tx, x.n_tx, x.n_tx, x.n_tx, x.n_tx, x.n_tx, x.n_acc, x.n_acc };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if ((err = sample_init(all[i], expect[i]))) goto out;
    for (int64_t t = 0; t < x.n_tx && !err; t++)
        if (iffnet_i_transfer(&x, t)) err = sample_add(&P.amount, (double)x.val[t] / P.unit);
    for (int64_t a = 0; a < x.n_acc && !err; a++) {
        err = scan_pairs(&P, a);
        if (!err) err = scan_hops(&P, a);
        if (!err) err = scan_activity(&P, a, stamp, a + 1);
    }
    if (err) goto out;
    p->n_accounts = c->n_accounts;
    p->n_active = P.life.offered;
    p->n_pairs = P.n_pairs;
    for (int64_t t = 0; t < x.n_tx; t++) p->n_tx += iffnet_i_transfer(&x, t);
    p->first = x.n_tx > 0 ? c->tx_time[0] : 0;
    p->last = x.n_tx > 0 ? c->tx_time[x.n_tx - 1] : 0;
    p->span_days = fmax(1.0, (double)(p->last - p->first) / 86400.0);
    p->once_pairs = P.n_pairs > 0 ? (double)P.n_once / (double)P.n_pairs : 0;
    p->once_tx = p->n_tx > 0 ? (double)P.once_tx / (double)p->n_tx : 0;
    p->once_per_day = P.account_days > 0 ? (double)P.once_tx / P.account_days : 0;
    p->recurring_pairs = P.n_pairs > 0 ? (double)P.recurring / (double)P.n_pairs : 0;
    p->periodic_pairs = P.n_pairs > 0 ? (double)P.periodic / (double)P.n_pairs : 0;
    int64_t n_periodic = 0;
    for (int64_t a = 0; a < x.n_acc; a++) n_periodic += P.periodic_acc[a];
    p->periodic_accounts = p->n_active > 0 ? (double)n_periodic / (double)p->n_active : 0;
    if (P.hops > 0) {
        double f = P.closer / P.hops;
        p->linkage = 2.0 * f - 1.0;
        p->linkage_z = (f - 0.5) / (0.5 / sqrt(P.hops));
    }
    sample_dist(&P.life, &p->life_days);
    sample_dist(&P.rate, &p->tx_per_month);
    sample_dist(&P.pair, &p->tx_per_pair);
    sample_dist(&P.pgap, &p->pair_gap_days);
    sample_dist(&P.agap, &p->account_gap_days);
    sample_dist(&P.amount, &p->amount);
    sample_dist(&P.hop, &p->hop_ratio);
    sample_dist(&P.delay, &p->hop_delay_days);
    sample_dist(&P.indeg, &p->in_degree);
    sample_dist(&P.outdeg, &p->out_degree);
    p->amount_spread = p->amount.p10 > 0 ? log10(p->amount.p90 / p->amount.p10) : 0;
    /* the chance median: |log10(a / b)| for two amounts of the case, estimated
     * from the amounts' sample paired with a scrambled partner */
    if (p->amount.n > 0) {
        sample_t ch;
        if ((err = sample_init(&ch, x.n_tx))) goto out;
        /* every stride-th transaction only: the ones the sample keeps */
        int64_t step = ch.stride;
        ch.stride = 1;
        for (int64_t t = 0; t < x.n_tx && !err; t += step) {
            double a = (double)x.val[t], b = (double)x.val[scramble(t, x.n_tx)];
            if (a > 0 && b > 0) err = sample_add(&ch, fabs(log10(a / b)));
        }
        iffnet_detect_dist_t d;
        sample_dist(&ch, &d);
        p->hop_ratio_chance = d.p50;
    }
out:
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) free(all[i]->v);
    free(P.pay); free(P.periodic_acc); free(stamp);
    iffnet_i_txindex_destroy(&x);
    return err;
}

/* ---- the profile in a run record ---- */

static int fig(iffnet_run_record_t *r, const char *key, const char *fmt, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, fmt, v);
    return iffnet_run_record_profile(r, key, buf);
}

static int dist(iffnet_run_record_t *r, const char *group, const iffnet_detect_dist_t *d)
{
    char key[96];
    static const char *const names[] = { "p10", "p25", "p50", "p75", "p90", "p99", "max" };
    const double vals[] = { d->p10, d->p25, d->p50, d->p75, d->p90, d->p99, d->max };
    snprintf(key, sizeof key, "%s.n", group);
    IFFNET_TRY(fig(r, key, "%.0f", (double)d->n));
    for (int i = 0; i < 7; i++) {
        snprintf(key, sizeof key, "%s.%s", group, names[i]);
        IFFNET_TRY(fig(r, key, "%.4g", vals[i]));
    }
    return IFFNET_OK;
}

int iffnet_detect_profile_record(const iffnet_detect_profile_t *p, iffnet_run_record_t *r)
{
    char d1[24], d2[24];
    iffnet_time_format(d1, sizeof d1, p->first, 0);
    iffnet_time_format(d2, sizeof d2, p->last, 0);
    IFFNET_TRY(fig(r, "accounts", "%.0f", (double)p->n_accounts));
    IFFNET_TRY(fig(r, "active_accounts", "%.0f", (double)p->n_active));
    IFFNET_TRY(fig(r, "transactions", "%.0f", (double)p->n_tx));
    IFFNET_TRY(fig(r, "pairs", "%.0f", (double)p->n_pairs));
    IFFNET_TRY(iffnet_run_record_profile(r, "first", d1));
    IFFNET_TRY(iffnet_run_record_profile(r, "last", d2));
    IFFNET_TRY(fig(r, "span_days", "%.1f", p->span_days));
    IFFNET_TRY(fig(r, "once_pairs", "%.4f", p->once_pairs));
    IFFNET_TRY(fig(r, "once_tx", "%.4f", p->once_tx));
    IFFNET_TRY(fig(r, "once_per_account_day", "%.4g", p->once_per_day));
    IFFNET_TRY(fig(r, "recurring_pairs", "%.4f", p->recurring_pairs));
    IFFNET_TRY(fig(r, "periodic_pairs", "%.4f", p->periodic_pairs));
    IFFNET_TRY(fig(r, "periodic_accounts", "%.4f", p->periodic_accounts));
    IFFNET_TRY(fig(r, "amount_spread", "%.3f", p->amount_spread));
    IFFNET_TRY(fig(r, "hop_ratio_chance", "%.4f", p->hop_ratio_chance));
    IFFNET_TRY(fig(r, "amount_linkage", "%.4f", p->linkage));
    IFFNET_TRY(fig(r, "amount_linkage_z", "%.2f", p->linkage_z));
    IFFNET_TRY(dist(r, "life_days", &p->life_days));
    IFFNET_TRY(dist(r, "tx_per_month", &p->tx_per_month));
    IFFNET_TRY(dist(r, "tx_per_pair", &p->tx_per_pair));
    IFFNET_TRY(dist(r, "pair_gap_days", &p->pair_gap_days));
    IFFNET_TRY(dist(r, "account_gap_days", &p->account_gap_days));
    IFFNET_TRY(dist(r, "amount", &p->amount));
    IFFNET_TRY(dist(r, "hop_ratio", &p->hop_ratio));
    IFFNET_TRY(dist(r, "hop_delay_days", &p->hop_delay_days));
    IFFNET_TRY(dist(r, "in_degree", &p->in_degree));
    return dist(r, "out_degree", &p->out_degree);
}
