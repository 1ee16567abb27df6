/* detect_flow.c: bipartite and stack, dense many-to-many flows.
 *
 * In the spirit of FlowScope (Li et al., AAAI 2020), which looks for dense
 * source -> middle -> sink flows whose middle passes on what it gets: a pair of
 * accounts is dense when it transacts at least `min_pair_tx` times within
 * `window` (derived: two of the case's typical gaps between a pair's
 * transactions, and more than its repeating pairs reach: see
 * pair_threshold()). E: the accounts with as many dense pairs as the block's busiest one
 * that the case's dense pairs, spread at random, would give. Dense
 * pairs inside one business group (a treasury sweep) do not count. Accounts
 * joined by dense pairs form blocks; a block of at least `min_pairs` pairs is
 * a stack when some account in it receives densely and passes at least
 * `min_pass_ratio` of that on densely (a middle layer), else a bipartite block.
 */
#include <math.h>
#include "detect_internal.h"

typedef struct {
    int64_t window, min_pair_tx, min_pairs;
    double min_pass;
} fl_params_t;

typedef struct {
    int64_t src, dst, first_k, n_tx;   /* n_tx tx of this pair from ftx[first_k] */
    int64_t busiest;
    iffnet_money_t sum;
} dpair_t;

typedef struct {
    const iffnet_detect_ctx_t *ctx;
    iffnet_i_txindex_t x;
    fl_params_t p;
    dpair_t *pairs;
    int64_t n_pairs, cap_pairs;
    iffnet_i_vec_t ftx;                /* tx of dense pairs, pair by pair */
    int64_t *buf, *uf, *order;
    iffnet_money_t *din, *dout;        /* dense in/out per account */
    int64_t *seen, seen_id, seen_n;
    int64_t active;                    /* accounts with a transaction */
    int64_t *rdeg;                     /* per account: repeating relationships (either side) */
    int64_t *deg;                      /* dense pairs per account (in the block being judged) */
} fl_t;

/* The settings but min_pair_tx, which pair_threshold() derives. */
static int fl_params(const iffnet_detect_ctx_t *ctx, const char *pre, fl_params_t *p)
{
    const iffnet_detect_profile_t *prof = ctx->profile;
    char how[256];
    double gap = prof && prof->pair_gap_days.n > 0 ? prof->pair_gap_days.p50 : 7.0;
    int64_t w = (int64_t)ceil(2.0 * fmax(gap, 0.5)) * 86400;
    snprintf(how, sizeof how, "derived: two of the case's typical gaps between a pair's transactions (median %.1f days)", gap);
    IFFNET_TRY(iffnet_i_det_duration(ctx, pre, "window", w, how, &p->window));
    IFFNET_TRY(iffnet_i_det_int(ctx, pre, "min_pairs", 2, 1, 1000000, "default: a block is more than one pair", &p->min_pairs));
    IFFNET_TRY(iffnet_i_det_double(ctx, pre, "min_pass_ratio", 0.5, 0.0, 1.0,
        "default: a middle layer passes on at least half of what it gets densely (the type, stack or bipartite, not whether a block exists)", &p->min_pass));
    return IFFNET_OK;
}

static const int32_t *g_dst; /* qsort context: payee of each tx (single-threaded) */

static int cmp_by_dst(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    if (g_dst[x] != g_dst[y]) return g_dst[x] < g_dst[y] ? -1 : 1;
    return (x > y) - (x < y);
}

/* Dense part of one pair's tx run r[0..n): union of windows holding >= min_pair_tx. */
static int dense_run(fl_t *f, const int64_t *r, int64_t n)
{
    const iffnet_time_t *T = f->x.c->tx_time;
    int64_t lo = -1, hi = -1, best = 0;
    for (int64_t i = 0, j = 0; i < n; i++) {
        while (T[r[i]] - T[r[j]] >= f->p.window) j++;
        if (i - j + 1 > best) best = i - j + 1;
        if (i - j + 1 >= f->p.min_pair_tx) { if (lo < 0) lo = j; hi = i; }
    }
    if (lo < 0) return IFFNET_OK;
    if (f->n_pairs == f->cap_pairs)
        IFFNET_TRY(iffnet_i_reserve((void **)&f->pairs, &f->cap_pairs, f->n_pairs + 1, sizeof *f->pairs));
    dpair_t *d = &f->pairs[f->n_pairs++];
    d->src = f->x.c->tx_src[r[0]]; d->dst = f->x.c->tx_dst[r[0]];
    d->first_k = f->ftx.n; d->n_tx = hi - lo + 1; d->busiest = best; d->sum = 0;
    for (int64_t i = lo; i <= hi; i++) {
        IFFNET_TRY(iffnet_i_vec_push(&f->ftx, r[i]));
        d->sum += f->x.val[r[i]];
    }
    return IFFNET_OK;
}

/* min_pair_tx: a dense pair transacts faster than salaries, rent, invoices and
 * subscriptions do, faster than the case's own relationships: within `window`
 * (two of the case's typical gaps between a pair's transactions) more often
 *  - than 99% of the case's repeating pairs ever do (their empirical rhythm;
 *    where there are at least 100 of them, so that the top 1% is not made of
 *    the few structures themselves), or
 *  - than a relationship at the typical rhythm would reach even once among all
 *    of them (n_pairs P(X >= k) < 1, X ~ Poisson(2)),
 * whichever is lower. O(E log degree). */
static int pair_threshold(fl_t *f, const char *pre)
{
    const iffnet_i_txindex_t *x = &f->x;
    const iffnet_time_t *T = x->c->tx_time;
    iffnet_i_vec_t peaks = { 0, 0, NULL };
    int err = IFFNET_OK;
    char how[320];
    g_dst = x->c->tx_dst;
    for (int64_t a = 0; a < x->n_acc && !err; a++) {
        /* the payments of repeating pairs only (pair_n >= 2, the index's copy) */
        int64_t n = 0;
        for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++)
            if (x->out_p[k] >= 2) f->buf[n++] = x->out_tx[k];
        if (n < 2) continue;
        qsort(f->buf, (size_t)n, sizeof *f->buf, cmp_by_dst);
        for (int64_t lo = 0, hi; lo < n && !err; lo = hi) {
            int64_t b = x->c->tx_dst[f->buf[lo]], best = 0;
            for (hi = lo; hi < n && x->c->tx_dst[f->buf[hi]] == b; hi++) ;
            if (hi - lo < 2 || b == a) continue;
            f->rdeg[a]++; f->rdeg[b]++;
            for (int64_t i = lo, j = lo; i < hi; i++) {
                while (T[f->buf[i]] - T[f->buf[j]] >= f->p.window) j++;
                if (i - j + 1 > best) best = i - j + 1;
            }
            err = iffnet_i_vec_push(&peaks, best);
        }
    }
    double pairs = (double)peaks.n;
    int64_t k = 2;
    while (k < 1000000 && pairs * iffnet_i_rate_tail(k, 2.0, 1.0) >= 1.0) k++;
    int64_t p99 = -1;
    if (!err && peaks.n >= 100) {
        qsort(peaks.v, (size_t)peaks.n, sizeof *peaks.v, iffnet_i_cmp_i64);
        int64_t q = (int64_t)ceil(0.99 * (double)peaks.n) - 1;
        p99 = peaks.v[q < 0 ? 0 : q];
        if (p99 + 1 < k) k = p99 + 1;
    }
    iffnet_i_vec_free(&peaks);
    if (err) return err;
    if (k < 2) k = 2;
    if (p99 >= 0)
        snprintf(how, sizeof how, "derived: more than 99%% of the case's %.0f repeating pairs reach within the window (%lld), or than one of them would at the typical rhythm (Poisson, mean 2), whichever is lower",
                 pairs, (long long)p99);
    else
        snprintf(how, sizeof how, "derived: more than one of the case's %.0f repeating pairs would reach within the window at the typical rhythm (Poisson, mean 2)", pairs);
    return iffnet_i_det_int(f->ctx, pre, "min_pair_tx", k, 2, 1000000, how, &f->p.min_pair_tx);
}

static int find_pairs(fl_t *f)
{
    const iffnet_i_txindex_t *x = &f->x;
    g_dst = x->c->tx_dst;
    for (int64_t a = 0; a < x->n_acc; a++) {
        /* the payments of pairs with at least min_pair_tx of them only */
        int64_t n = 0;
        for (int64_t k = x->out_off[a]; k < x->out_off[a + 1]; k++)
            if (x->out_p[k] >= f->p.min_pair_tx) f->buf[n++] = x->out_tx[k];
        if (n < f->p.min_pair_tx) continue;
        qsort(f->buf, (size_t)n, sizeof *f->buf, cmp_by_dst);
        for (int64_t lo = 0, hi; lo < n; lo = hi) {
            int64_t b = x->c->tx_dst[f->buf[lo]];
            for (hi = lo; hi < n && x->c->tx_dst[f->buf[hi]] == b; hi++) ;
            if (hi - lo < f->p.min_pair_tx || b == a || iffnet_i_same_group(x, a, b)) continue;
            IFFNET_TRY(dense_run(f, f->buf + lo, hi - lo));
        }
    }
    return IFFNET_OK;
}

static int64_t root(int64_t *p, int64_t a)
{
    while (p[a] != a) { p[a] = p[p[a]]; a = p[a]; }
    return a;
}

static const int64_t *g_root; /* qsort context: block of each pair's payer */
static const dpair_t *g_pairs;

static int cmp_pair_block(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    int64_t rx = g_root[g_pairs[x].src], ry = g_root[g_pairs[y].src];
    if (rx != ry) return rx < ry ? -1 : 1;
    return (x > y) - (x < y);
}

/* 1 when the block order[lo, hi) holds the dense pair a -> b. O(block). */
static int has_pair(const fl_t *f, int64_t lo, int64_t hi, int64_t a, int64_t b)
{
    for (int64_t i = lo; i < hi; i++)
        if (f->pairs[f->order[i]].src == a && f->pairs[f->order[i]].dst == b) return 1;
    return 0;
}

/* One block: pairs order[lo, hi). */
static int block(fl_t *f, int64_t lo, int64_t hi, iffnet_typology_t want, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = f->x.c;
    iffnet_i_vec_t acc = { 0, 0, NULL }, tx = { 0, 0, NULL };
    int64_t n_payers = 0, n_payees = 0, n_mid = 0, min_busiest = INT64_MAX, err = IFFNET_OK;
    iffnet_money_t total = 0, mid_in = 0, mid_out = 0;
    for (int64_t i = lo; i < hi; i++) {
        const dpair_t *d = &f->pairs[f->order[i]];
        f->din[d->dst] = 0; f->dout[d->src] = 0; f->din[d->src] = 0; f->dout[d->dst] = 0;
    }
    /* dout counts only money passed to accounts that did not pay the payer densely
     * themselves: a back-and-forth between two accounts is no middle layer. */
    for (int64_t i = lo; i < hi; i++) {
        const dpair_t *d = &f->pairs[f->order[i]];
        f->din[d->dst] += d->sum;
        if (!has_pair(f, lo, hi, d->dst, d->src)) f->dout[d->src] += d->sum;
    }
    for (int64_t i = lo; i < hi && !err; i++) {
        const dpair_t *d = &f->pairs[f->order[i]];
        total += d->sum;
        if (d->busiest < min_busiest) min_busiest = d->busiest;
        for (int64_t k = 0; k < d->n_tx && !err; k++) err = iffnet_i_vec_push(&tx, f->ftx.v[d->first_k + k]);
        if (!err) err = iffnet_i_vec_push(&acc, d->src);
        if (!err) err = iffnet_i_vec_push(&acc, d->dst);
    }
    if (err) goto out;
    /* Roles: count each account once (acc may repeat; the alert list de-duplicates). */
    f->seen_id++;
    f->seen_n = 0;
    for (int64_t i = 0; i < acc.n; i++) {
        int64_t a = acc.v[i];
        if (f->seen[a] == f->seen_id) continue;
        f->seen[a] = f->seen_id;
        f->seen_n++;
        if (f->dout[a] > 0) n_payers++;
        if (f->din[a] > 0) n_payees++;
        if (f->din[a] > 0 && f->dout[a] > 0 && (double)f->dout[a] >= f->p.min_pass * (double)f->din[a]) {
            n_mid++; mid_in += f->din[a]; mid_out += f->dout[a];
        }
    }
    iffnet_typology_t typ = n_mid > 0 ? IFFNET_TYP_STACK : IFFNET_TYP_BIPARTITE;
    if (typ != want || f->seen_n < 3) goto out; /* two accounts paying each other are no block */
    /* Chance: the block's busiest account has m dense pairs, the sparsest of
     * them b transactions within the window. A relationship at the case's
     * typical rhythm (two transactions a window) is that dense with p =
     * P(Poisson(2) >= b); an account with r repeating relationships has m of
     * them that dense with about C(r, m) p^m. */
    int64_t m = 0, hub = -1;
    for (int64_t i = lo; i < hi; i++) { const dpair_t *d = &f->pairs[f->order[i]]; f->deg[d->src] = 0; f->deg[d->dst] = 0; }
    for (int64_t i = lo; i < hi; i++) {
        const dpair_t *d = &f->pairs[f->order[i]];
        if (++f->deg[d->src] > m) { m = f->deg[d->src]; hub = d->src; }
        if (++f->deg[d->dst] > m) { m = f->deg[d->dst]; hub = d->dst; }
    }
    int64_t b = INT64_MAX;
    for (int64_t i = lo; i < hi; i++) {
        const dpair_t *d = &f->pairs[f->order[i]];
        if ((d->src == hub || d->dst == hub) && d->busiest < b) b = d->busiest;
    }
    /* the account's own chance of m that dense among its r relationships,
     * over every active account (a Bonferroni bound): C(r, m) p^m */
    double pd = iffnet_i_rate_tail(b, 2.0, 1.0);
    int64_t r = f->rdeg[hub] > m ? f->rdeg[hub] : m;
    /* in logarithms: C(r, m) and p^m of a large block overflow apart */
    double expected = pd <= 0 || f->active <= 0 ? 0.0
        : exp(log((double)f->active) + lgamma((double)r + 1.0) - lgamma((double)m + 1.0) - lgamma((double)(r - m) + 1.0)
              + (double)m * log(pd));
    double score = 1.0 / (1.0 + expected);
    iffnet_alert_t *a;
    char m1[96], m2[96], d1[24], d2[24];
    iffnet_time_t first = INT64_MAX, last = INT64_MIN;
    for (int64_t k = 0; k < tx.n; k++) {
        if (c->tx_time[tx.v[k]] < first) first = c->tx_time[tx.v[k]];
        if (c->tx_time[tx.v[k]] > last) last = c->tx_time[tx.v[k]];
    }
    iffnet_time_format(d1, sizeof d1, first, 1); iffnet_time_format(d2, sizeof d2, last, 1);
    err = iffnet_i_alert(out, typ, score, &acc, &tx, &a);
    if (!err) a->expected = expected;
    if (!err) err = iffnet_alert_add_reason(a, "%lld payers paid %lld payees %lld times, %s in all, from %s to %s (%lld days)",
        (long long)n_payers, (long long)n_payees, (long long)tx.n, iffnet_i_money(f->ctx, m1, sizeof m1, total),
        d1, d2, (long long)iffnet_i_days(first, last));
    if (!err) err = iffnet_alert_add_reason(a, "each of the %lld payer-payee pairs transacted at least %lld times within %lld days (the sparsest pair %lld times)",
        (long long)(hi - lo), (long long)f->p.min_pair_tx, (long long)(f->p.window / 86400), (long long)min_busiest);
    if (!err) err = iffnet_alert_add_reason(a, "%s has %lld of these dense pairs among its %lld repeating relationships, each at least %lld transactions within %lld days; at the case's typical rhythm (two a window) chance would give about %.2g accounts that busy",
        iffnet_case_account_id(c, hub), (long long)m, (long long)r, (long long)b, (long long)(f->p.window / 86400), expected);
    if (!err && typ == IFFNET_TYP_STACK)
        err = iffnet_alert_add_reason(a, "%lld middle account%s received %s in these flows and passed %s on (%.0f%%%s)",
            (long long)n_mid, n_mid == 1 ? "" : "s", iffnet_i_money(f->ctx, m1, sizeof m1, mid_in),
            iffnet_i_money(f->ctx, m2, sizeof m2, mid_out), mid_in > 0 ? 100.0 * (double)mid_out / (double)mid_in : 0.0,
            mid_out > mid_in ? "; more than they received in them: money from elsewhere went on with it" : "");
out:
    iffnet_i_vec_free(&acc); iffnet_i_vec_free(&tx);
    return (int)err;
}

static int run_flow(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out, iffnet_typology_t want)
{
    fl_t f;
    int err = IFFNET_OK;
    memset(&f, 0, sizeof f);
    f.ctx = ctx;
    IFFNET_TRY(fl_params(ctx, want == IFFNET_TYP_STACK ? "stack" : "bipartite", &f.p));
    IFFNET_TRY(iffnet_i_txindex_build(ctx->c, &f.x));
    size_t na = (size_t)f.x.n_acc + 1, nt = (size_t)f.x.n_tx + 1;
    f.buf = malloc(nt * sizeof *f.buf);
    f.uf = malloc(na * sizeof *f.uf);
    f.din = calloc(na, sizeof *f.din);
    f.dout = calloc(na, sizeof *f.dout);
    f.seen = calloc(na, sizeof *f.seen);
    f.deg = calloc(na, sizeof *f.deg);
    f.rdeg = calloc(na, sizeof *f.rdeg);
    if (!f.buf || !f.uf || !f.din || !f.dout || !f.seen || !f.deg || !f.rdeg) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in flow detection"); goto out; }
    if ((err = pair_threshold(&f, want == IFFNET_TYP_STACK ? "stack" : "bipartite"))) goto out;
    if ((err = find_pairs(&f))) goto out;
    /* dense pairs per active account, for the blocks' chance model */
    int64_t active = 0;
    for (int64_t a = 0; a < f.x.n_acc; a++) active += f.x.out_off[a + 1] > f.x.out_off[a] || f.x.in_off[a + 1] > f.x.in_off[a];
    f.active = active;
    for (int64_t a = 0; a < f.x.n_acc; a++) f.uf[a] = a;
    for (int64_t i = 0; i < f.n_pairs; i++) {
        int64_t r1 = root(f.uf, f.pairs[i].src), r2 = root(f.uf, f.pairs[i].dst);
        if (r1 != r2) f.uf[r1 < r2 ? r2 : r1] = r1 < r2 ? r1 : r2;
    }
    for (int64_t a = 0; a < f.x.n_acc; a++) root(f.uf, a);
    f.order = malloc(((size_t)f.n_pairs + 1) * sizeof *f.order);
    if (!f.order) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in flow detection"); goto out; }
    for (int64_t i = 0; i < f.n_pairs; i++) f.order[i] = i;
    g_root = f.uf; g_pairs = f.pairs;
    if (f.n_pairs > 0) qsort(f.order, (size_t)f.n_pairs, sizeof *f.order, cmp_pair_block);
    for (int64_t lo = 0, hi; lo < f.n_pairs && !err; lo = hi) {
        int64_t r = f.uf[f.pairs[f.order[lo]].src];
        for (hi = lo; hi < f.n_pairs && f.uf[f.pairs[f.order[hi]].src] == r; hi++) ;
        if (hi - lo >= f.p.min_pairs) err = block(&f, lo, hi, want, out);
    }
    /* blocks of links new to both sides (detect_block.c) */
    if (!err) err = iffnet_i_detect_new_blocks(ctx, &f.x, want, out);
out:
    free(f.buf); free(f.uf); free(f.din); free(f.dout); free(f.seen); free(f.deg); free(f.rdeg); free(f.order); free(f.pairs);
    iffnet_i_vec_free(&f.ftx);
    iffnet_i_txindex_destroy(&f.x);
    return err;
}

int iffnet_i_detect_bipartite(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    return run_flow(ctx, out, IFFNET_TYP_BIPARTITE);
}

int iffnet_i_detect_stack(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    return run_flow(ctx, out, IFFNET_TYP_STACK);
}
