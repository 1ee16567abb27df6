/* detect_layering.c: layering chains and money mules.
 *
 * Layering: money forwarded along `min_hops` or more accounts, each hop paid
 * within `max_dwell` of the previous one and carrying between `min_retention`
 * and 100% of it (small decay: fees and cuts, never growth). Chains start at a
 * transaction that is not itself the continuation of such a hop; the longest
 * chain from each start is reported, the search bounded by `max_steps_per_start`.
 * A chain runs mostly over fresh links: at most `max_recurring_hops` of its hops
 * may join accounts that transact more than `max_pair_tx` times in the case
 * (a payroll bureau or payment agent forwarding along standing relationships is
 * routine pass-through business).
 * Chains form by chance too: each transaction of the case is continued (as
 * above) by b others on average, b measured over the whole case, so a random
 * network with this continuation rate (a branching process) forms about
 * n b^(h - 1) chains of h hops from n starting transactions. Of those, the
 * share as tight as the chain: each continuation's delay is uniform within
 * max_dwell and its retention uniform within min_retention..100% under that
 * null, so the 2 (h - 1) shares (delay / max_dwell, lost share / (1 -
 * min_retention)) are independent uniforms, combined as Fisher's method does.
 * Chains are ranked by that expectation; a chain where it reaches
 * `chance_alerts` (1) is listed below every other and says so ("ranked low"),
 * not dropped: in a busy case a short chain planted by a launderer is as
 * probable as chance ones, and its recall matters more than the list's length.
 *
 * Mule: an account whose inflows leave again within `max_dwell` (first in, first
 * out), such that at least `min_pass_ratio` of what came in went out and at least
 * that share of what went out had just come in: it holds no money of its own.
 * Payments within one business group (sweeps between a company's own accounts)
 * are left out of both sides.
 */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include "detect_internal.h"

typedef struct {
    int64_t max_dwell, min_hops, max_hops, max_steps, max_pair_tx, max_recurring, max_total, max_lookback;
    double min_ret, chance;
    iffnet_money_t min_amount;
} ly_params_t;

typedef struct {
    const iffnet_detect_ctx_t *ctx;
    iffnet_i_txindex_t x;
    ly_params_t p;
    char *on_path;
    int64_t path[64], best[64], n_best, steps, cut;
    int64_t total, unsearched, lookback_cut;
    double branch, starts;               /* continuations per transaction; starting transactions */
    int mixed;                      /* currencies that cannot be compared */
} ly_t;

/* Quick forwarding by the case's own rhythm: the delay within which the
 * quickest quarter of its hops (a payment out after the latest payment in)
 * follow, a day at least (dates are often all a bank file has). */
static int64_t hop_dwell(const iffnet_detect_profile_t *prof, char *how, size_t size)
{
    double d = prof && prof->hop_delay_days.n > 0 ? prof->hop_delay_days.p25 : 3.0;
    snprintf(how, size, "derived: the quickest quarter of the case's hops (a payment out after the latest payment in) follow within %.2f days; a day at least", d);
    return (int64_t)ceil(fmax(1.0, d)) * 86400;
}

static int ly_params(const iffnet_detect_ctx_t *ctx, ly_params_t *p)
{
    char how[256];
    int64_t dwell = hop_dwell(ctx->profile, how, sizeof how);
    IFFNET_TRY(iffnet_i_det_duration(ctx, "layering", "max_dwell", dwell, how, &p->max_dwell));
    IFFNET_TRY(iffnet_i_det_int(ctx, "layering", "min_hops", 3, 2, 63, "default: a chain is more than a forward", &p->min_hops));
    IFFNET_TRY(iffnet_i_det_int(ctx, "layering", "max_hops", 63, 2, 63, "budget: the longest path the search holds", &p->max_hops));
    double link = iffnet_detect_linkage(ctx->profile);
    /* a chain of a case whose amounts are carried on keeps all but fees and
     * cuts (90%); in proportion to how strongly they are carried on at all */
    if (link > 0)
        snprintf(how, sizeof how, "derived: 0.9 (all but fees and cuts) times the case's amount linkage (%.2f): retention says as much as amounts are carried on hop to hop", link);
    else
        snprintf(how, sizeof how, "derived: the case's amounts are not carried on hop to hop (linkage %.2f): no retention asked (0)",
                 ctx->profile ? ctx->profile->linkage : 0.0);
    IFFNET_TRY(iffnet_i_det_double(ctx, "layering", "min_retention", 0.9 * link, 0.0, 1.0, how, &p->min_ret));
    IFFNET_TRY(iffnet_i_det_int(ctx, "layering", "max_steps_per_start", 100000, 1, INT64_MAX, "budget", &p->max_steps));
    IFFNET_TRY(iffnet_i_det_int(ctx, "layering", "max_steps", 200000000, 1, INT64_MAX, "budget: search steps in all", &p->max_total));
    IFFNET_TRY(iffnet_i_det_int(ctx, "layering", "max_lookback", 1000, 1, INT64_MAX,
        "budget: payments looked back for a predecessor of a chain start", &p->max_lookback));
    IFFNET_TRY(iffnet_i_det_money(ctx, "layering", "min_amount", 0, iffnet_detect_value_scale(ctx),
                                  "default: any amount", &p->min_amount));
    IFFNET_TRY(iffnet_i_det_int(ctx, "layering", "max_pair_tx", 1, 1, INT64_MAX,
        "default: a pair that transacts more than once has a standing relationship", &p->max_pair_tx));
    IFFNET_TRY(iffnet_i_det_int(ctx, "layering", "max_recurring_hops", 1, 0, 63,
        "default: one hop may follow a standing relationship", &p->max_recurring));
    IFFNET_TRY(iffnet_i_det_double(ctx, "layering", "chance_alerts", 1.0, 0.0, 1e9, "default: E < 1 (the listing convention)", &p->chance));
    if (p->min_hops > p->max_hops)
        return iffnet_i_seterr(IFFNET_EINVAL, "layering.min_hops (%lld) is larger than layering.max_hops (%lld)",
                               (long long)p->min_hops, (long long)p->max_hops);
    return IFFNET_OK;
}

/* 1 when `next` can carry on the money of `prev`: paid by prev's payee, after it,
 * within the dwell time, with min_retention..100% of the amount. */
static int continues(const ly_t *y, int64_t prev, int64_t next)
{
    const iffnet_case_t *c = y->x.c;
    if (next <= prev || c->tx_src[next] != c->tx_dst[prev]) return 0;
    if (c->tx_time[next] - c->tx_time[prev] > y->p.max_dwell) return 0;
    if (iffnet_i_same_group(&y->x, c->tx_src[next], c->tx_dst[next]) || !iffnet_i_comparable(&y->x, prev, next)) return 0;
    double a = (double)y->x.val[prev], b = (double)y->x.val[next];
    return b <= a && b >= y->p.min_ret * a;
}

/* 1 when no payment into e's payer continues into e. Looks back from e (found
 * by binary search: the in-list is in case order) over the dwell, at most
 * `max_lookback` payments (a budget: an account receiving thousands of
 * payments a day has its e counted as a head when none of them continues it). */
static int is_head(ly_t *y, int64_t e)
{
    const iffnet_i_txindex_t *x = &y->x;
    int64_t a = x->c->tx_src[e], lo = x->in_off[a], hi = x->in_off[a + 1];
    while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if (x->in_tx[m] < e) lo = m + 1; else hi = m; }
    iffnet_time_t te = x->c->tx_time[e];
    for (int64_t k = lo - 1, seen = 0; k >= x->in_off[a]; k--) {
        int64_t p = x->in_tx[k];
        if (te - x->in_t[k] > y->p.max_dwell) break;   /* the index's copy of p's time */
        if (continues(y, p, e)) return 0;
        if (++seen >= y->p.max_lookback) { y->lookback_cut++; break; }
    }
    return 1;
}

/* y->branch: the mean number of transactions continuing one (continues()),
 * over every transaction that can start or extend a chain. O(E x the payments
 * a payee makes within max_dwell). */
static void branching(ly_t *y)
{
    const iffnet_i_txindex_t *x = &y->x;
    const iffnet_case_t *c = x->c;
    double pairs = 0, n = 0;
    /* a deterministic sample of at most 100,000 payments measures the rate */
    int64_t stride = x->n_tx > 100000 ? (x->n_tx + 99999) / 100000 : 1;
    for (int64_t e = 0; e < x->n_tx; e += stride) {
        int64_t u = c->tx_dst[e];
        if (!iffnet_i_transfer(x, e) || x->val[e] < y->p.min_amount) continue;
        n++;
        int64_t lo = x->out_off[u], hi = x->out_off[u + 1];
        while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if (x->out_tx[m] <= e) lo = m + 1; else hi = m; }
        for (int64_t k = lo; k < x->out_off[u + 1]; k++) {
            int64_t t = x->out_tx[k];
            if (c->tx_time[t] - c->tx_time[e] > y->p.max_dwell) break;
            /* chains run over once-only links (at most max_recurring_hops not):
             * a standing relationship continuing a payment is no chain of its own */
            if (x->pair_n[t] <= y->p.max_pair_tx && continues(y, e, t)) pairs++;
        }
    }
    y->starts = n * (double)stride;
    y->branch = n > 0 ? pairs / n : 0;
}

/* Chains a random network with the case's continuation rate forms with as many
 * hops as path[0..h) and as tight: n b^(h - 1) P(product of 2 (h - 1) uniforms
 * <= x), x the product of the chain's delay and retention shares. */
static double chance_chains(const ly_t *y, const int64_t *path, int64_t h)
{
    const iffnet_time_t *T = y->x.c->tx_time;
    double lx = 0;
    for (int64_t i = 1; i < h; i++) {
        double dwell = (double)(T[path[i]] - T[path[i - 1]] + 1) / (double)(y->p.max_dwell + 1);
        double a = (double)y->x.val[path[i - 1]], b = (double)y->x.val[path[i]];
        double lost = y->p.min_ret < 1 && a > 0 ? (1.0 - b / a + 1.0 / a) / (1.0 - y->p.min_ret) : 1.0;
        lx += log(fmin(1.0, fmax(dwell, 1e-300))) + log(fmin(1.0, fmax(lost, 1e-300)));
    }
    double sum = 0, term = 1;
    for (int64_t j = 0; j < 2 * (h - 1); j++) { sum += term; term *= -lx / (double)(j + 1); }
    return y->starts * pow(y->branch, (double)(h - 1)) * fmin(1.0, exp(lx) * sum);
}

static void dfs(ly_t *y, int64_t d, int64_t rec)
{
    const iffnet_i_txindex_t *x = &y->x;
    int64_t prev = y->path[d - 1], u = x->c->tx_dst[prev];
    if (d > y->n_best) { y->n_best = d; memcpy(y->best, y->path, (size_t)d * sizeof *y->path); }
    if (d >= y->p.max_hops) return;
    int64_t lo = x->out_off[u], hi = x->out_off[u + 1];
    while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if (x->out_tx[m] <= prev) lo = m + 1; else hi = m; }
    iffnet_time_t tp = x->c->tx_time[prev];
    double a = (double)x->val[prev];
    for (int64_t k = lo; k < x->out_off[u + 1]; k++) {
        /* continues(y, prev, t), read from the index's copies along u's list:
         * t is paid by prev's payee u after prev */
        if (x->out_t[k] - tp > y->p.max_dwell) break;
        if (++y->steps > y->p.max_steps) return;
        int64_t t = x->out_tx[k], w = x->out_d[k], r = rec + (x->out_p[k] > y->p.max_pair_tx);
        if (r > y->p.max_recurring || y->on_path[w] || iffnet_i_same_group(x, u, w)) continue;
        double b = (double)x->out_v[k];
        if (b > a || b < y->p.min_ret * a || (y->mixed && !iffnet_i_comparable(x, prev, t))) continue;
        y->on_path[w] = 1;
        y->path[d] = t;
        dfs(y, d + 1, r);
        y->on_path[w] = 0;
    }
}

static int emit_chain(ly_t *y, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = y->x.c;
    int64_t acc[65];
    iffnet_i_vec_t va = { 0, 0, acc }, vt = { 0, 0, y->best };
    char m1[96], m2[96];
    iffnet_alert_t *a;
    for (int64_t i = 0; i < y->n_best; i++) acc[i] = c->tx_src[y->best[i]];
    acc[y->n_best] = c->tx_dst[y->best[y->n_best - 1]];
    va.n = y->n_best + 1; vt.n = y->n_best;
    iffnet_money_t first = y->x.val[y->best[0]], last = y->x.val[y->best[y->n_best - 1]];
    double keep = first > 0 ? (double)last / (double)first : 1.0;
    int64_t days = iffnet_i_days(c->tx_time[y->best[0]], c->tx_time[y->best[y->n_best - 1]]);
    double e = chance_chains(y, y->best, y->n_best);
    int low = e >= y->p.chance;
    double score = (0.4 + 0.3 * keep + 0.3 * fmin(1.0, (double)(y->n_best - y->p.min_hops + 1) / 4.0)) / (1.0 + e);
    score = low ? 0.5 * score : 0.5 + 0.5 * score; /* chance-explained chains below every other */
    IFFNET_TRY(iffnet_i_alert(out, IFFNET_TYP_LAYERING, score, &va, &vt, &a));
    a->expected = e;
    a->moved = last;
    IFFNET_TRY(iffnet_alert_add_reason(a, "%s from %s was forwarded along %lld hops to %s within %lld days, %s arriving (%.1f%% kept)",
        iffnet_i_tx_money(y->ctx, m1, sizeof m1, y->best[0]), iffnet_case_account_id(c, acc[0]), (long long)y->n_best,
        iffnet_case_account_id(c, acc[y->n_best]), (long long)days, iffnet_i_tx_money(y->ctx, m2, sizeof m2, y->best[y->n_best - 1]), 100.0 * keep));
    IFFNET_TRY(iffnet_alert_add_reason(a, "every hop followed the previous one within %lld hours and carried %.0f-100%% of it; at most %lld hop%s between accounts that transact more than %lld time%s",
        (long long)(y->p.max_dwell / 3600), 100.0 * y->p.min_ret, (long long)y->p.max_recurring, y->p.max_recurring == 1 ? "" : "s",
        (long long)y->p.max_pair_tx, y->p.max_pair_tx == 1 ? "" : "s"));
    IFFNET_TRY(iffnet_alert_add_reason(a, "each payment of the case is continued like this by %.3g others on average: a random network with that rate would form about %.2g chains of %lld hops as quick and as even as this one",
        y->branch, e, (long long)y->n_best));
    a->ranked_low = low != 0;
    if (low)
        IFFNET_TRY(iffnet_alert_add_reason(a, "ranked low: chance explains chains like this one in a case this busy"));
    return IFFNET_OK;
}

int iffnet_i_detect_layering(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    ly_t y;
    int err = IFFNET_OK;
    memset(&y, 0, sizeof y);
    y.ctx = ctx;
    y.mixed = !ctx->c->tx_base && iffnet_case_mixed_currencies(ctx->c);
    IFFNET_TRY(ly_params(ctx, &y.p));
    IFFNET_TRY(iffnet_i_txindex_build(ctx->c, &y.x));
    y.on_path = calloc((size_t)y.x.n_acc + 1, 1);
    if (!y.on_path) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in layering"); goto out; }
    branching(&y);
    for (int64_t e = 0; e < y.x.n_tx && !err; e++) {
        const iffnet_case_t *c = ctx->c;
        if (!iffnet_i_transfer(&y.x, e) || y.x.val[e] < y.p.min_amount || !is_head(&y, e)) continue;
        if (y.total > y.p.max_total) { y.unsearched = y.x.n_tx - e; break; }
        y.path[0] = e; y.n_best = 0; y.steps = 0;
        y.on_path[c->tx_src[e]] = 1; y.on_path[c->tx_dst[e]] = 1;
        int64_t r0 = y.x.pair_n[e] > y.p.max_pair_tx;
        if (r0 <= y.p.max_recurring) dfs(&y, 1, r0);
        y.on_path[c->tx_src[e]] = 0; y.on_path[c->tx_dst[e]] = 0;
        if (y.steps > y.p.max_steps) y.cut++;
        y.total += y.steps;
        if (y.n_best >= y.p.min_hops) err = emit_chain(&y, out);
    }
    if (!err && y.cut)
        iffnet_i_budget(ctx, "layering: %lld chain searches cut short after %lld steps (layering.max_steps_per_start)",
                        (long long)y.cut, (long long)y.p.max_steps);
    if (!err && y.unsearched)
        iffnet_i_budget(ctx, "layering: search stopped after %lld steps (layering.max_steps); %lld of %lld transactions not tried as chain starts",
                        (long long)y.total, (long long)y.unsearched, (long long)y.x.n_tx);
    if (!err && y.lookback_cut)
        iffnet_i_budget(ctx, "layering: %lld payments looked back at most %lld payments for a predecessor (layering.max_lookback)",
                        (long long)y.lookback_cut, (long long)y.p.max_lookback);
out:
    free(y.on_path);
    iffnet_i_txindex_destroy(&y.x);
    return err;
}

/* ---- mules ---- */

typedef struct {
    int64_t max_dwell, min_in_tx;
    double min_pass;
    iffnet_money_t min_amount;
    double quick;                  /* share of the case's hops that follow within max_dwell */
    double tested;                 /* accounts the test was made on */
} mu_params_t;

typedef struct { int64_t tx; iffnet_money_t left; } inflow_t;

typedef struct {
    iffnet_money_t in, out, matched;
    double dwell_sum;              /* amount-weighted seconds */
    int64_t n_in, n_out;
    int64_t n_covered;             /* payments out covered (min_pass) by payments in just before */
} mu_stats_t;

static int mu_params(const iffnet_detect_ctx_t *ctx, mu_params_t *p)
{
    char how[256];
    int64_t dwell = hop_dwell(ctx->profile, how, sizeof how);
    IFFNET_TRY(iffnet_i_det_duration(ctx, "mule", "max_dwell", dwell, how, &p->max_dwell));
    IFFNET_TRY(iffnet_i_det_double(ctx, "mule", "min_pass_ratio", 0.9, 0.0, 1.0,
        "default: a mule holds almost nothing of its own (what it is, not whether chance explains it)", &p->min_pass));
    IFFNET_TRY(iffnet_i_det_int(ctx, "mule", "min_in_tx", 3, 1, 1000000, "default: a pass-through repeats", &p->min_in_tx));
    IFFNET_TRY(iffnet_i_det_money(ctx, "mule", "min_amount", ctx->threshold, iffnet_detect_value_scale(ctx),
                                  "default: the reporting threshold (--threshold)", &p->min_amount));
    return IFFNET_OK;
}

/* p->quick: the share of the case's hops (a payment out after the latest
 * payment in) that follow within max_dwell: how often a payment out follows
 * one in that quickly by the case's own rhythm. O(E). */
typedef struct { const iffnet_case_t *c; int64_t max_dwell; double hops, quick; } quick_t;

static void count_quick(void *arg, int64_t in, int64_t out)
{
    quick_t *q = arg;
    q->hops += 1;
    q->quick += q->c->tx_time[out] - q->c->tx_time[in] <= q->max_dwell;
}

static void quick_share(const iffnet_i_txindex_t *x, mu_params_t *p)
{
    quick_t q = { x->c, p->max_dwell, 0, 0 };
    iffnet_i_each_hop(x, count_quick, &q);
    p->quick = q.hops > 0 ? q.quick / q.hops : 1.0;
}

/* First-in-first-out matching of v's inflows to its outflows within the dwell time. */
static void mu_match(const iffnet_i_txindex_t *x, const mu_params_t *p, int64_t v, inflow_t *q, mu_stats_t *st)
{
    const iffnet_case_t *c = x->c;
    int64_t i = x->in_off[v], o = x->out_off[v], head = 0, tail = 0;
    memset(st, 0, sizeof *st);
    while (i < x->in_off[v + 1] || o < x->out_off[v + 1]) {
        int take_in = o >= x->out_off[v + 1] || (i < x->in_off[v + 1] && x->in_tx[i] < x->out_tx[o]);
        int64_t t = take_in ? x->in_tx[i++] : x->out_tx[o++];
        int64_t cp = take_in ? c->tx_src[t] : c->tx_dst[t];
        if (cp == v || iffnet_i_same_group(x, v, cp)) continue;
        if (take_in) { q[tail++] = (inflow_t){ t, x->val[t] }; st->in += x->val[t]; st->n_in++; continue; }
        iffnet_money_t need = x->val[t], asked = need;
        st->out += need;
        st->n_out++;
        while (head < tail && c->tx_time[t] - c->tx_time[q[head].tx] > p->max_dwell) head++;
        while (need > 0 && head < tail) {
            iffnet_money_t m = need < q[head].left ? need : q[head].left;
            need -= m; q[head].left -= m; st->matched += m;
            st->dwell_sum += (double)m * (double)(c->tx_time[t] - c->tx_time[q[head].tx]);
            if (q[head].left == 0) head++;
        }
        if ((double)(asked - need) >= p->min_pass * (double)asked) st->n_covered++;
    }
}

static int mu_emit(const iffnet_detect_ctx_t *ctx, const iffnet_i_txindex_t *x, int64_t v,
                   const mu_stats_t *st, const mu_params_t *p, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = x->c;
    iffnet_i_vec_t acc = { 0, 0, NULL }, tx = { 0, 0, NULL };
    int err = iffnet_i_vec_push(&acc, v);
    for (int64_t k = x->in_off[v]; k < x->in_off[v + 1] && !err; k++) {
        int64_t t = x->in_tx[k];
        if (c->tx_src[t] == v || iffnet_i_same_group(x, v, c->tx_src[t])) continue;
        err = iffnet_i_vec_push(&tx, t);
        if (!err) err = iffnet_i_vec_push(&acc, c->tx_src[t]);
    }
    for (int64_t k = x->out_off[v]; k < x->out_off[v + 1] && !err; k++) {
        int64_t t = x->out_tx[k];
        if (c->tx_dst[t] == v || iffnet_i_same_group(x, v, c->tx_dst[t])) continue;
        err = iffnet_i_vec_push(&tx, t);
        if (!err) err = iffnet_i_vec_push(&acc, c->tx_dst[t]);
    }
    double pass = (double)st->matched / (double)st->in, cover = (double)st->matched / (double)st->out;
    double dwell_h = st->matched > 0 ? st->dwell_sum / (double)st->matched / 3600.0 : 0;
    /* Chance: each payment out follows a payment in within the dwell with the
     * case's own share of quick hops; this many of them covered, of all it made,
     * in a binomial tail, over the accounts tested. */
    double tail = st->n_covered <= 0 ? 1.0 : gsl_cdf_binomial_Q((unsigned int)(st->n_covered - 1), p->quick, (unsigned int)st->n_out);
    double expected = p->tested * tail;
    double score = 1.0 / (1.0 + expected);
    iffnet_alert_t *a;
    char m1[96], m2[96];
    if (!err) err = iffnet_i_alert(out, IFFNET_TYP_MULE, score, &acc, &tx, &a);
    if (!err) { a->expected = expected; a->moved = st->matched; }
    if (!err) err = iffnet_alert_add_reason(a, "%s received %s in %lld payments and passed %s on within %lld days of receipt (%.0f%% of what came in; %.0f%% of what went out had just come in)",
        iffnet_case_account_id(c, v), iffnet_i_money(ctx, m1, sizeof m1, st->in), (long long)st->n_in,
        iffnet_i_money(ctx, m2, sizeof m2, st->matched), (long long)(p->max_dwell / 86400), 100.0 * pass, 100.0 * cover);
    if (!err) err = iffnet_alert_add_reason(a, "money stayed %.1f hours on average", dwell_h);
    if (!err) err = iffnet_alert_add_reason(a, "%lld of its %lld payments out were covered by payments in just before; in this case %.0f%% of all payments out follow one in within %lld days, which would give about %.2g accounts like it",
        (long long)st->n_covered, (long long)st->n_out, 100.0 * p->quick, (long long)(p->max_dwell / 86400), expected);
    iffnet_i_vec_free(&acc); iffnet_i_vec_free(&tx);
    return err;
}

int iffnet_i_detect_mule(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    mu_params_t p;
    iffnet_i_txindex_t x;
    inflow_t *q = NULL;
    int err = IFFNET_OK;
    IFFNET_TRY(mu_params(ctx, &p));
    IFFNET_TRY(iffnet_i_txindex_build(ctx->c, &x));
    q = malloc(((size_t)x.n_tx + 1) * sizeof *q);
    if (!q) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in mule detection"); goto out; }
    quick_share(&x, &p);
    p.tested = 0;
    for (int64_t v = 0; v < x.n_acc; v++) p.tested += x.in_off[v + 1] - x.in_off[v] >= p.min_in_tx && x.out_off[v + 1] > x.out_off[v];
    for (int64_t v = 0; v < x.n_acc && !err; v++) {
        mu_stats_t st;
        if (x.in_off[v + 1] - x.in_off[v] < p.min_in_tx || x.out_off[v + 1] == x.out_off[v]) continue;
        mu_match(&x, &p, v, q, &st);
        if (st.n_in < p.min_in_tx || st.in < p.min_amount || st.in <= 0 || st.out <= 0) continue;
        if ((double)st.matched < p.min_pass * (double)st.in || (double)st.matched < p.min_pass * (double)st.out) continue;
        err = mu_emit(ctx, &x, v, &st, &p, out);
    }
out:
    free(q);
    iffnet_i_txindex_destroy(&x);
    return err;
}
