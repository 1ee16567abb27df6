/* detect_scatter.c: scatter_gather (source -> intermediaries -> sink) and
 * gather_scatter (senders -> hub -> receivers).
 *
 * Both are built from transactions between parties without a standing
 * relationship (pair transacts at most `max_pair_tx` times in the case), in time
 * order, the onward payments within `dwell` (scatter_gather) or
 * `scatter_window` (gather_scatter) of the receipts (derived: the delay within
 * which 90% of the case's own hops follow), runs cut at gaps of more than
 * `max_gap` (the same), and ask that the middle passes on a share of what it
 * got (`min_pass_ratio`, in proportion to how strongly the case's amounts are
 * carried on hop to hop at all: 0 where they are drawn independently): a
 * customer that receives a refund and later pays its supplier does not form a
 * layer, an intermediary that forwards what it received does. E is the number
 * of such structures the case's rate of new counterparties would give by
 * chance: the product of the two sides' Poisson tails over the structure's
 * span, times the places a structure of that span could lie in the case (each
 * account's active life cut into spans of its length; a scan statistic) and
 * the time scales tried (the structure is the best of that many partitions of
 * the account's payments, each with its own sinks and receivers).
 *
 * A gather-scatter hub needs several senders and several receivers (two each by
 * default), and the two sides are tested together: chance gives both at least
 * as many once-only counterparties with the product of their Poisson tails
 * (population rate, as for the fans), which must be below the Bonferroni bound.
 * The gathered money must also pay for at least `min_pass_ratio` of the scatter
 * (a fan-out that a few small receipts happen to precede is no gather), and a
 * side that is the hub's own routine (median once-only counterparties per window
 * at least `routine_median`, and no burst above it: a shop's customers) clears it.
 */
#include <math.h>
#include "detect_internal.h"

typedef struct {
    int64_t min_mid, min_side, max_pair_tx, max_gap, window, dwell, routine_median, min_windows;
    double min_pass, chance, burst_p, tests;
} sc_params_t;

typedef struct { int64_t sink, mid, tx_in, tx_out; } hop_t;

typedef struct {
    const iffnet_detect_ctx_t *ctx;
    const iffnet_i_txindex_t *x;
    sc_params_t p;
    int64_t *stamp, stamp_id;
    double case_rate;             /* once-only counterparties per account and window in the case */
    iffnet_i_lives_t lives;       /* the active accounts' lives (placements) */
    int mixed;                    /* mixed currencies without rates: amounts not comparable */
    iffnet_money_t *recv;         /* per intermediary: received from the source in the run */
    iffnet_time_t *recv_t;        /* per intermediary: first receipt in the run */
    iffnet_time_t *last_t;        /* per intermediary: last receipt of the source's (sg_possible()) */
    int64_t *sink_stamp, *sink_cnt, *sink_mid;  /* per sink: distinct intermediaries seen (sg_possible()) */
    iffnet_i_vec_t list, all, side, mids, acc, tx;
    iffnet_i_vec_t all_cp, all_t;  /* along all: the counterparty and time of each payment */
    const int64_t *lcp, *lt;      /* the same along list (a run of all) */
    double span;                  /* the case's span, days */
    iffnet_alert_list_t cand;     /* the structures of one account at every scale */
    double *bins;                 /* scratch of the own-routine medians */
    int64_t nbins_cap;
    hop_t *hops;
    int64_t n_hops, cap_hops;
} sc_t;

static int sc_params(const iffnet_detect_ctx_t *ctx, const char *pre, sc_params_t *p, int sg)
{
    const iffnet_detect_profile_t *prof = ctx->profile;
    char how[256];
    IFFNET_TRY(iffnet_i_det_int(ctx, pre, sg ? "min_intermediaries" : "min_senders", sg ? 3 : 2, 2, 1000000,
        sg ? "default: a layer of intermediaries is more than a pair" : "default: a gather is more than one payment", &p->min_mid));
    IFFNET_TRY(iffnet_i_det_int(ctx, pre, sg ? "min_intermediaries" : "min_receivers", sg ? 3 : 2, 2, 1000000,
        sg ? "default: a layer of intermediaries is more than a pair" : "default: a scatter is more than one payment", &p->min_side));
    IFFNET_TRY(iffnet_i_det_int(ctx, pre, "max_pair_tx", 1, 1, 1000000,
        "default: a pair that transacts more than once has a standing relationship", &p->max_pair_tx));
    IFFNET_TRY(iffnet_i_det_duration(ctx, pre, "window", ctx->window,
        "default: the unit of the rate tests (--window); a structure over k units is tested over k", &p->window));
    /* money moves on within the delays the case's own hops show */
    int64_t dwell = ctx->window;
    if (prof && prof->hop_delay_days.n > 0) {
        int64_t d = (int64_t)ceil(prof->hop_delay_days.p90) * 86400;
        if (d > dwell) dwell = d;
    }
    snprintf(how, sizeof how, "derived: 90%% of the case's hops (a payment out after the latest payment in) follow within %.0f days; at least --window",
             prof ? prof->hop_delay_days.p90 : 0.0);
    IFFNET_TRY(iffnet_i_det_duration(ctx, pre, sg ? "dwell" : "scatter_window", dwell, how, &p->dwell));
    IFFNET_TRY(iffnet_i_det_duration(ctx, pre, "max_gap", prof ? (int64_t)ceil(prof->span_days) * 86400 : 365 * 86400,
        "derived: the case's span: runs are tried at every scale, gaps of an hour, two, four ... up to it, and the least probable kept", &p->max_gap));
    IFFNET_TRY(iffnet_i_det_double(ctx, pre, "chance_alerts", 1.0, 0.0, 1e9, "default: E < 1 (the listing convention)", &p->chance));
    /* a pass-through carries the amounts on only where the case's amounts are
     * carried on hop to hop at all */
    double link = iffnet_detect_linkage(prof), base = sg ? 0.5 : 0.3;
    snprintf(how, sizeof how, "derived: %.1f times the case's amount linkage (%.2f): where amounts are drawn independently hop to hop, what passes on says nothing", base, link);
    IFFNET_TRY(iffnet_i_det_double(ctx, pre, "min_pass_ratio", base * link, 0.0, 1.0, how, &p->min_pass));
    if (!sg) {
        IFFNET_TRY(iffnet_i_det_int(ctx, pre, "routine_median", 5, 1, 1000000,
            "default: a side with a median of this many new counterparties per window is the hub's routine", &p->routine_median));
        IFFNET_TRY(iffnet_i_det_int(ctx, pre, "baseline_windows", 3, 1, 1000000,
            "default: windows of history a routine needs", &p->min_windows));
    }
    return IFFNET_OK;
}

/* Account v's own rate of once-only counterparties on one side (in = 1: its
 * payers) outside the structure's time [t0, t1], per window, measured over at
 * least the structure's span: its routine (a shop's steady customers; 0 for an
 * account that does nothing else of the kind). */
static double own_rate(const sc_t *s, int64_t v, int in, iffnet_time_t t0, iffnet_time_t t1)
{
    const iffnet_i_txindex_t *x = s->x;
    const int64_t *off = in ? x->in_off : x->out_off, *lst = in ? x->in_tx : x->out_tx;
    double life = iffnet_i_life(x, v, NULL, NULL), n = 0;
    if (life <= 0) return 0;
    for (int64_t k = off[v]; k < off[v + 1]; k++) {
        int64_t t = lst[k], cp = in ? x->c->tx_src[t] : x->c->tx_dst[t];
        if (x->c->tx_time[t] >= t0 && x->c->tx_time[t] <= t1) continue;
        n += cp != v && x->pair_n[t] <= s->p.max_pair_tx && !iffnet_i_same_group(x, v, cp);
    }
    double span = (double)(t1 - t0) / 86400.0 + 1.0, out = fmax(life - span, span);
    return n / (out * 86400.0 / (double)s->p.window);
}

/* 1 when account v's once-only counterparties on one side are a steady stream
 * over its life (iffnet_i_is_stream()) and the structure [t0, t1] is most of
 * that life: the structure is the account's rhythm, a routine (a broker's
 * clients in and out all year). */
static int routine_stream(sc_t *s, int64_t v, int in, iffnet_time_t t0, iffnet_time_t t1)
{
    const iffnet_i_txindex_t *x = s->x;
    const int64_t *off = in ? x->in_off : x->out_off, *lst = in ? x->in_tx : x->out_tx;
    iffnet_time_t l0, l1;
    double life = iffnet_i_life(x, v, &l0, &l1), d = (double)(t1 - t0) / 86400.0 + 1.0;
    if (life - d >= d) return 0;
    iffnet_i_vec_clear(&s->side);
    for (int64_t k = off[v]; k < off[v + 1]; k++) {
        int64_t t = lst[k], cp = in ? x->c->tx_src[t] : x->c->tx_dst[t];
        if (cp != v && x->pair_n[t] <= s->p.max_pair_tx && !iffnet_i_same_group(x, v, cp))
            if (iffnet_i_vec_push(&s->side, t)) return 0;
    }
    return iffnet_i_is_stream(x->c, s->side.v, s->side.n, l0, l1, s->span);
}

/* The structure's span [t0, t1] in windows (an hour at least: the resolution). */
static double span_windows(const sc_t *s, iffnet_time_t t0, iffnet_time_t t1)
{
    return fmax(3600.0, (double)(t1 - t0) + 3600.0) / (double)s->p.window;
}

/* Where a structure of this span could lie in the case: each account's active
 * life cut into spans of its length, plus one per account (the scan statistic's
 * placements; detect_internal.h). */
static double placements(const sc_t *s, iffnet_time_t t0, iffnet_time_t t1)
{
    double d = fmax(3600.0, (double)(t1 - t0) + 3600.0) / 86400.0;
    /* times the time scales the runs are tried at: the structure is the best
     * of that many partitions of the account's payments */
    return (s->lives.days / d + (double)s->lives.n) * (ceil(log2(fmax(1.0, s->span * 24.0))) + 1.0);
}

static int usable(const sc_t *s, int64_t t, int64_t a, int64_t b)
{
    return a != b && s->x->pair_n[t] <= s->p.max_pair_tx && !iffnet_i_same_group(s->x, a, b);
}

static int cmp_hop(const void *pa, const void *pb)
{
    const hop_t *a = pa, *b = pb;
    if (a->sink != b->sink) return a->sink < b->sink ? -1 : 1;
    if (a->mid != b->mid) return a->mid < b->mid ? -1 : 1;
    return (a->tx_out > b->tx_out) - (a->tx_out < b->tx_out);
}

/* One sink reached from source `src` by hops[lo, hi) (sorted by mid). */
static int sg_sink(sc_t *s, int64_t src, int64_t lo, int64_t hi, iffnet_alert_list_t *out)
{
    const iffnet_i_txindex_t *x = s->x;
    const iffnet_case_t *c = x->c;
    int64_t n_mid = 0, sink = s->hops[lo].sink;
    iffnet_money_t in = 0, fwd = 0;
    iffnet_i_vec_clear(&s->acc); iffnet_i_vec_clear(&s->tx);
    IFFNET_TRY(iffnet_i_vec_push(&s->acc, src));
    IFFNET_TRY(iffnet_i_vec_push(&s->acc, sink));
    for (int64_t i = lo, j; i < hi; i = j) {
        int64_t m = s->hops[i].mid;
        for (j = i; j < hi && s->hops[j].mid == m; j++) fwd += x->val[s->hops[j].tx_out];
        n_mid++;
        in += s->recv[m];
        IFFNET_TRY(iffnet_i_vec_push(&s->acc, m));
        for (int64_t k = i; k < j; k++) IFFNET_TRY(iffnet_i_vec_push(&s->tx, s->hops[k].tx_out));
        for (int64_t k = 0; k < s->list.n; k++)
            if (c->tx_dst[s->list.v[k]] == m) IFFNET_TRY(iffnet_i_vec_push(&s->tx, s->list.v[k]));
    }
    /* without rates, sums over mixed currencies cannot be compared: no pass test */
    if (!s->mixed && (double)fwd < s->p.min_pass * (double)in) return IFFNET_OK;
    if (n_mid < s->p.min_mid) return IFFNET_OK;
    iffnet_time_t first = INT64_MAX, last = INT64_MIN;
    for (int64_t k = 0; k < s->tx.n; k++) {
        if (c->tx_time[s->tx.v[k]] < first) first = c->tx_time[s->tx.v[k]];
        if (c->tx_time[s->tx.v[k]] > last) last = c->tx_time[s->tx.v[k]];
    }
    /* The source's fan-out and the sink's fan-in are one event seen from both
     * ends: chance gives the source at least n_mid new payees and the sink at
     * least n_mid new payers with the product of the two Poisson tails (as for
     * gather_scatter). Testing the fan-out alone asks of a scatter-gather what a
     * bare fan-out must show, and misses the smaller ones. */
    double k = span_windows(s, first, last), at = placements(s, first, last);
    double tails = iffnet_i_rate_tail(n_mid, s->case_rate, k) * iffnet_i_rate_tail(n_mid, s->case_rate, k);
    if (tails * at >= s->p.chance) return IFFNET_OK;
    /* and at the source's and the sink's own rates: two businesses that share
     * their customers over their whole lives are their routines, not a layer */
    double r_src = own_rate(s, src, 0, first, last), r_sink = own_rate(s, sink, 1, first, last);
    double tails_own = iffnet_i_rate_tail(n_mid, fmax(s->case_rate, r_src), k) * iffnet_i_rate_tail(n_mid, fmax(s->case_rate, r_sink), k);
    int streams = routine_stream(s, src, 0, first, last) && routine_stream(s, sink, 1, first, last);
    if (streams) tails_own = fmax(tails_own, 1.0 / at);
    double pass = in > 0 ? (double)fwd / (double)in : 1.0;
    double score = (1.0 - exp(-(double)n_mid / (double)s->p.min_mid)) * (0.7 + 0.3 * fmin(1.0, pass));
    iffnet_alert_t *a;
    char m1[96], m2[96];
    IFFNET_TRY(iffnet_i_alert(out, IFFNET_TYP_SCATTER_GATHER, score, &s->acc, &s->tx, &a));
    a->expected = fmax(tails, tails_own) * at;
    a->moved = s->mixed ? 0 : fwd < in ? fwd : in;
    IFFNET_TRY(iffnet_alert_add_reason(a, "%s paid %s to %lld intermediaries that paid %s on to %s; %lld days from first to last transfer",
        iffnet_case_account_id(c, src), iffnet_i_money(s->ctx, m1, sizeof m1, in), (long long)n_mid,
        iffnet_i_money(s->ctx, m2, sizeof m2, fwd), iffnet_case_account_id(c, sink), (long long)iffnet_i_days(first, last)));
    IFFNET_TRY(iffnet_alert_add_reason(a, "each intermediary paid %s within %lld days of receiving; together they passed on %.0f%% of what they received%s",
        iffnet_case_account_id(c, sink), (long long)(s->p.dwell / 86400), 100.0 * pass,
        pass > 1.0 ? " (more than came from the source: money of their own or from elsewhere went on with it)" : ""));
    IFFNET_TRY(iffnet_alert_add_reason(a, "at the case's rate of new counterparties (%.3g per account and %lld days), chance would give about %.2g such pairs of fans in the whole case",
        s->case_rate, (long long)(s->p.window / 86400), tails * at));
    if (streams)
        IFFNET_TRY(iffnet_alert_add_reason(a, "ranked low: %s pays and %s receives a steady stream of new counterparties over their whole lives, and this is most of it: their routine",
            iffnet_case_account_id(c, src), iffnet_case_account_id(c, sink)));
    else if (tails_own > tails)
        IFFNET_TRY(iffnet_alert_add_reason(a, "%s%s's and %s's own rates of new counterparties (%.2g and %.2g per %lld days over their lives) would give about %.2g",
            tails_own * at >= 1 ? "ranked low: " : "", iffnet_case_account_id(c, src), iffnet_case_account_id(c, sink),
            r_src, r_sink, (long long)(s->p.window / 86400), tails_own * at));
    return IFFNET_OK;
}

/* Scatter-gather from one run of payments list[lo, hi) by src. */
static int sg_run(sc_t *s, int64_t src, iffnet_alert_list_t *out)
{
    const iffnet_i_txindex_t *x = s->x;
    const iffnet_case_t *c = x->c;
    s->stamp_id++;
    iffnet_i_vec_clear(&s->mids);
    for (int64_t k = 0; k < s->list.n; k++) {
        int64_t t = s->list.v[k], m = s->lcp[k];
        if (s->stamp[m] != s->stamp_id) {
            s->stamp[m] = s->stamp_id; s->recv[m] = 0; s->recv_t[m] = s->lt[k];
            IFFNET_TRY(iffnet_i_vec_push(&s->mids, m));
        }
        s->recv[m] += x->val[t];
    }
    if (s->mids.n < s->p.min_mid) return IFFNET_OK;
    s->n_hops = 0;
    for (int64_t i = 0; i < s->mids.n; i++) {
        int64_t m = s->mids.v[i];
        for (int64_t k = x->out_off[m]; k < x->out_off[m + 1]; k++) {
            int64_t t = x->out_tx[k], sink = c->tx_dst[t];
            if (c->tx_time[t] < s->recv_t[m]) continue;
            if (c->tx_time[t] > s->recv_t[m] + s->p.dwell) break;
            if (sink == src || !usable(s, t, m, sink) || s->stamp[sink] == s->stamp_id) continue;
            if (s->n_hops == s->cap_hops)
                IFFNET_TRY(iffnet_i_reserve((void **)&s->hops, &s->cap_hops, s->n_hops + 1, sizeof *s->hops));
            s->hops[s->n_hops++] = (hop_t){ sink, m, -1, t };
        }
    }
    if (s->n_hops == 0) return IFFNET_OK;
    qsort(s->hops, (size_t)s->n_hops, sizeof *s->hops, cmp_hop);
    for (int64_t lo = 0, hi; lo < s->n_hops; lo = hi) {
        int64_t n_mid = 0;
        for (hi = lo; hi < s->n_hops && s->hops[hi].sink == s->hops[lo].sink; hi++)
            if (hi == lo || s->hops[hi].mid != s->hops[hi - 1].mid) n_mid++;
        if (n_mid >= s->p.min_mid) IFFNET_TRY(sg_sink(s, src, lo, hi, out));
    }
    return IFFNET_OK;
}

/* 1 when two alerts share a transaction (both lists sorted). */
static int share_tx(const iffnet_alert_t *a, const iffnet_alert_t *b)
{
    for (int64_t i = 0, j = 0; i < a->n_tx && j < b->n_tx; ) {
        if (a->tx[i] == b->tx[j]) return 1;
        if (a->tx[i] < b->tx[j]) i++; else j++;
    }
    return 0;
}

static int cmp_expected(const void *pa, const void *pb)
{
    const iffnet_alert_t *a = *(const iffnet_alert_t *const *)pa, *b = *(const iffnet_alert_t *const *)pb;
    if (a->expected != b->expected) return a->expected < b->expected ? -1 : 1;
    return (a->n_tx < b->n_tx) - (a->n_tx > b->n_tx);
}

/* Moves the least probable alerts of s->cand that share no transaction with a
 * less probable one into out (the i-th of them with E at least i); the rest
 * are dropped. */
static int keep_best(sc_t *s, iffnet_alert_list_t *out)
{
    iffnet_alert_list_t *cand = &s->cand;
    int err = IFFNET_OK;
    int64_t n_kept = 0;
    if (cand->n == 0) return IFFNET_OK;
    const iffnet_alert_t **order = malloc((size_t)cand->n * sizeof *order);
    char *kept = calloc((size_t)cand->n, 1);
    if (!order || !kept) { free(order); free(kept); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in scatter detection"); }
    for (int64_t i = 0; i < cand->n; i++) order[i] = &cand->items[i];
    qsort(order, (size_t)cand->n, sizeof *order, cmp_expected);
    for (int64_t i = 0; i < cand->n && !err; i++) {
        int clash = 0;
        for (int64_t j = 0; j < i && !clash; j++) clash = kept[order[j] - cand->items] && share_tx(order[i], order[j]);
        if (clash) continue;
        kept[order[i] - cand->items] = 1;
        iffnet_alert_t *a;
        const iffnet_alert_t *c = order[i];
        err = iffnet_alert_list_add(out, c->typology, c->score, c->accounts, c->n_accounts, c->tx, c->n_tx, &a);
        if (!err) { a->expected = c->expected; a->moved = c->moved; a->ranked_low = c->ranked_low; }
        for (int64_t k = 0; k < c->n_reasons && !err; k++) err = iffnet_alert_add_reason(a, "%s", c->reasons[k]);
        /* the account's i-th structure has i others at least as extreme: a
         * series of them is its routine (see detect_fan.c) */
        if (!err && (double)n_kept > a->expected) {
            a->expected = (double)n_kept;
            err = iffnet_alert_add_reason(a, "ranked low: the account had %lld other such structure%s at least as extreme: a series is its routine",
                                          (long long)n_kept, n_kept == 1 ? "" : "s");
        }
        n_kept++;
    }
    free(order); free(kept);
    iffnet_alert_list_destroy(cand);
    iffnet_alert_list_init(cand);
    return err;
}

/* Runs of usable transactions of account v (out: v pays, in: v is paid) at every
 * scale: cut where two follow each other more than g apart, g doubling from an
 * hour to max_gap (a run unchanged from the scale below is not tried again). Of
 * the structures found, those least probable by chance are kept (keep_best). */
/* 0 when no run of src at any scale can form a scatter-gather: no sink is
 * paid by min_intermediaries of src's payees between their first receipt from
 * src and dwell after their last (a superset of what each run asks), so the
 * runs are not tried. Most accounts of a large case end here after one pass
 * over their payees' payments. */
static int sg_possible(sc_t *s, int64_t src)
{
    const iffnet_i_txindex_t *x = s->x;
    s->stamp_id++;
    iffnet_i_vec_clear(&s->mids);
    for (int64_t k = 0; k < s->all.n; k++) {
        int64_t m = s->all_cp.v[k];
        if (s->stamp[m] != s->stamp_id) {
            s->stamp[m] = s->stamp_id; s->recv_t[m] = s->all_t.v[k];
            if (iffnet_i_vec_push(&s->mids, m)) return 1;
        }
        s->last_t[m] = s->all_t.v[k];
    }
    if (s->mids.n < s->p.min_mid) return 0;
    for (int64_t i = 0; i < s->mids.n; i++) {
        int64_t m = s->mids.v[i], lo = x->out_off[m], hi = x->out_off[m + 1];
        iffnet_time_t t0 = s->recv_t[m], t1 = s->last_t[m] + s->p.dwell;
        while (lo < hi) { int64_t md = lo + (hi - lo) / 2; if (x->out_t[md] < t0) lo = md + 1; else hi = md; }
        for (int64_t k = lo; k < x->out_off[m + 1] && x->out_t[k] <= t1; k++) {
            int64_t sink = x->out_d[k];
            if (sink == src || sink == m || x->out_p[k] > s->p.max_pair_tx || iffnet_i_same_group(x, m, sink)) continue;
            if (s->sink_stamp[sink] != s->stamp_id) { s->sink_stamp[sink] = s->stamp_id; s->sink_cnt[sink] = 0; s->sink_mid[sink] = -1; }
            if (s->sink_mid[sink] != m) { s->sink_mid[sink] = m; if (++s->sink_cnt[sink] >= s->p.min_mid) return 1; }
        }
    }
    return 0;
}

static int runs(sc_t *s, int64_t v, int outgoing, iffnet_alert_list_t *out,
                int (*each)(sc_t *, int64_t, iffnet_alert_list_t *))
{
    const iffnet_i_txindex_t *x = s->x;
    const int64_t *off = outgoing ? x->out_off : x->in_off, *lst = outgoing ? x->out_tx : x->in_tx;
    /* the index's copies along the lists: no cache miss per payment */
    const int32_t *cps = outgoing ? x->out_d : x->in_s, *pn = outgoing ? x->out_p : x->in_p;
    const iffnet_time_t *tk = outgoing ? x->out_t : x->in_t;
    iffnet_i_vec_clear(&s->all); iffnet_i_vec_clear(&s->all_cp); iffnet_i_vec_clear(&s->all_t);
    for (int64_t k = off[v]; k < off[v + 1]; k++) {
        int64_t cp = cps[k];
        if (cp == v || pn[k] > s->p.max_pair_tx || iffnet_i_same_group(x, v, cp)) continue;
        IFFNET_TRY(iffnet_i_vec_push(&s->all, lst[k]));
        IFFNET_TRY(iffnet_i_vec_push(&s->all_cp, cp));
        IFFNET_TRY(iffnet_i_vec_push(&s->all_t, tk[k]));
    }
    if (s->all.n < s->p.min_mid) return IFFNET_OK;
    if (outgoing && !sg_possible(s, v)) return IFFNET_OK;
    for (int64_t g = 3600; ; g *= 2) {
        int64_t n_runs = 0;
        for (int64_t lo = 0, hi; lo < s->all.n; lo = hi) {
            iffnet_time_t widest = 0;
            const int64_t *at_ = s->all_t.v;
            for (hi = lo + 1; hi < s->all.n && at_[hi] - at_[hi - 1] <= g; hi++)
                if (at_[hi] - at_[hi - 1] > widest) widest = at_[hi] - at_[hi - 1];
            n_runs++;
            if (hi - lo < s->p.min_mid || (g > 3600 && 2 * widest <= g)) continue;
            iffnet_i_vec_clear(&s->list);
            for (int64_t k = lo; k < hi; k++) IFFNET_TRY(iffnet_i_vec_push(&s->list, s->all.v[k]));
            s->lcp = s->all_cp.v + lo; s->lt = s->all_t.v + lo;
            IFFNET_TRY(each(s, v, &s->cand));
        }
        if (n_runs == 1 || g >= s->p.max_gap) break;
    }
    return keep_best(s, out);
}

/* *routine = 1 when one side of hub h (in = 1: receipts) is its routine, not a
 * burst: its median of once-only counterparties per window reaches
 * routine_median and the side's busiest window of tx[0..n) is not improbable for
 * that median (a shop's customers, a payroll). */
static int routine_side(sc_t *s, int64_t h, int in, const int64_t *tx, int64_t n, int *routine)
{
    double med;
    *routine = 0;
    IFFNET_TRY(iffnet_i_routine(s->x, h, in, s->p.max_pair_tx, s->p.window, s->p.min_windows, &s->bins, &s->nbins_cap, &med));
    if (med >= (double)s->p.routine_median
        && !iffnet_i_above_rate(iffnet_i_peak(s->x->c, tx, n, s->p.window), med, 1.0, s->p.burst_p)) *routine = 1;
    return IFFNET_OK;
}

/* Gather-scatter around hub h from its run of receipts list. */
static int gs_run(sc_t *s, int64_t h, iffnet_alert_list_t *out)
{
    const iffnet_i_txindex_t *x = s->x;
    const iffnet_case_t *c = x->c;
    iffnet_money_t in = 0, paid = 0;
    int64_t n_in = 0, n_out = 0;
    s->stamp_id++;
    iffnet_i_vec_clear(&s->acc); iffnet_i_vec_clear(&s->tx);
    IFFNET_TRY(iffnet_i_vec_push(&s->acc, h));
    s->stamp[h] = s->stamp_id;
    for (int64_t k = 0; k < s->list.n; k++) {
        int64_t t = s->list.v[k], a = s->lcp[k];
        in += x->val[t];
        IFFNET_TRY(iffnet_i_vec_push(&s->tx, t));
        if (s->stamp[a] != s->stamp_id) { s->stamp[a] = s->stamp_id; n_in++; IFFNET_TRY(iffnet_i_vec_push(&s->acc, a)); }
    }
    if (n_in < s->p.min_mid) return IFFNET_OK;
    iffnet_time_t first = s->lt[0], last_in = s->lt[s->list.n - 1], last = last_in;
    for (int64_t k = x->out_off[h]; k < x->out_off[h + 1]; k++) {
        int64_t t = x->out_tx[k], b = c->tx_dst[t];
        if (c->tx_time[t] < first) continue;
        if (c->tx_time[t] > last_in + s->p.dwell) break;
        if (b == h || !usable(s, t, h, b)) continue;
        if (s->stamp[b] == s->stamp_id) continue; /* paying a sender back is not scattering */
        paid += x->val[t];
        IFFNET_TRY(iffnet_i_vec_push(&s->tx, t));
        if (c->tx_time[t] > last) last = c->tx_time[t];
        if (s->stamp[b] != s->stamp_id + 1) { s->stamp[b] = s->stamp_id + 1; n_out++; IFFNET_TRY(iffnet_i_vec_push(&s->acc, b)); }
    }
    s->stamp_id++; /* the receivers used stamp_id + 1 */
    if (n_out < s->p.min_side) return IFFNET_OK;
    /* chance gives both sides at least this many with the product of the tails */
    double k = span_windows(s, first, last), at = placements(s, first, last), med_in, med_out;
    double tails = iffnet_i_rate_tail(n_in, s->case_rate, k) * iffnet_i_rate_tail(n_out, s->case_rate, k);
    if (tails * at >= s->p.chance) return IFFNET_OK;
    /* each side at the case's rate, and at the hub's own where that is higher
     * (a hub meeting a few new payers and payees every window is routine) */
    IFFNET_TRY(iffnet_i_routine(x, h, 1, s->p.max_pair_tx, s->p.window, s->p.min_windows, &s->bins, &s->nbins_cap, &med_in));
    IFFNET_TRY(iffnet_i_routine(x, h, 0, s->p.max_pair_tx, s->p.window, s->p.min_windows, &s->bins, &s->nbins_cap, &med_out));
    /* and the hub's own rates outside the structure (see own_rate) */
    med_in = fmax(med_in, own_rate(s, h, 1, first, last));
    med_out = fmax(med_out, own_rate(s, h, 0, first, last));
    /* ranked low, not dropped, where the hub's own medians make both sides
     * probable (see fan_account in detect_fan.c) */
    double tails_own = iffnet_i_rate_tail(n_in, fmax(s->case_rate, med_in), k) * iffnet_i_rate_tail(n_out, fmax(s->case_rate, med_out), k);
    int streams = routine_stream(s, h, 1, first, last) && routine_stream(s, h, 0, first, last);
    if (streams) tails_own = fmax(tails_own, 1.0 / at);
    int own = ((med_in > 0 || med_out > 0) || streams) && tails_own * at >= s->p.chance;
    /* the hub passes the gathered money on, and the gathered money pays for the
     * scatter: a fan-out that a few small receipts happen to precede is no gather */
    double pass = in > 0 ? (double)paid / (double)in : 1.0, cover = paid > 0 ? (double)in / (double)paid : 1.0;
    if (!s->mixed && (pass < s->p.min_pass || cover < s->p.min_pass)) return IFFNET_OK;
    int routine;
    IFFNET_TRY(routine_side(s, h, 1, s->list.v, s->list.n, &routine));
    if (routine) return IFFNET_OK;
    IFFNET_TRY(routine_side(s, h, 0, s->tx.v + s->list.n, s->tx.n - s->list.n, &routine));
    if (routine) return IFFNET_OK;
    double score = (1.0 - exp(-(double)(n_in + n_out) / (2.0 * (double)(s->p.min_mid + s->p.min_side) / 2.0)))
                 * (0.7 + 0.3 * fmin(1.0, pass));
    /* times the lowest score of a gather-scatter: below every one that is a
     * burst for its hub too */
    if (own) score *= (1.0 - exp(-1.0)) * 0.7;
    iffnet_alert_t *a;
    char m1[96], m2[96];
    const char *id = iffnet_case_account_id(c, h);
    IFFNET_TRY(iffnet_i_alert(out, IFFNET_TYP_GATHER_SCATTER, score, &s->acc, &s->tx, &a));
    a->expected = (own ? tails_own : tails) * at;
    a->moved = s->mixed ? 0 : paid < in ? paid : in;
    IFFNET_TRY(iffnet_alert_add_reason(a, "%lld senders paid %s into %s within %lld days; %s sent %s on to %lld accounts within %lld days",
        (long long)n_in, iffnet_i_money(s->ctx, m1, sizeof m1, in), id, (long long)iffnet_i_days(first, last_in),
        id, iffnet_i_money(s->ctx, m2, sizeof m2, paid), (long long)n_out, (long long)iffnet_i_days(first, last)));
    IFFNET_TRY(iffnet_alert_add_reason(a, "%s passed on %.0f%% of what it gathered%s; no sender or receiver transacts with it more than %lld time%s in the case",
        id, 100.0 * pass, pass > 1.0 ? " (more than it gathered: money of its own or from elsewhere went on with it)" : "",
        (long long)s->p.max_pair_tx, s->p.max_pair_tx == 1 ? "" : "s"));
    IFFNET_TRY(iffnet_alert_add_reason(a, "at the case's rate of new counterparties (%.3g per account and %lld days), chance would give about %.2g hubs with both sides this wide in the whole case",
        s->case_rate, (long long)(s->p.window / 86400), tails * at));
    a->ranked_low = own != 0;
    if (own && streams)
        IFFNET_TRY(iffnet_alert_add_reason(a, "ranked low: %s receives and pays a steady stream of new counterparties over its whole life, and this is most of it: its routine", id));
    else if (own)
        IFFNET_TRY(iffnet_alert_add_reason(a, "ranked low: %s's own rates (%.1f new payers, %.1f new payees per %lld-day window) make this many probable over %lld days",
            id, med_in, med_out, (long long)(s->p.window / 86400), (long long)iffnet_i_days(first, last)));
    return IFFNET_OK;
}

static int run_sc(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out, int sg)
{
    sc_t s;
    iffnet_i_txindex_t x;
    int err = IFFNET_OK;
    memset(&s, 0, sizeof s);
    s.ctx = ctx; s.x = &x;
    IFFNET_TRY(sc_params(ctx, sg ? "scatter_gather" : "gather_scatter", &s.p, sg));
    IFFNET_TRY(iffnet_i_txindex_build(ctx->c, &x));
    size_t n = (size_t)x.n_acc + 1;
    s.mixed = iffnet_case_mixed_currencies(ctx->c);
    double tests;
    (void)iffnet_i_case_rate(&x, !sg, s.p.max_pair_tx, s.p.window, &tests);
    s.p.burst_p = tests > 0 ? s.p.chance / tests : 1.0;
    s.p.tests = tests;
    if ((err = iffnet_i_lives_build(&x, &s.lives))) goto out;
    s.span = x.n_tx > 0 ? fmax(1.0, (double)(ctx->c->tx_time[x.n_tx - 1] - ctx->c->tx_time[0]) / 86400.0) : 1.0;
    /* once-only counterparties per active account and day of the case's
     * period, per window: the rate of an account of the case */
    double events = 0;
    for (int64_t t = 0; t < x.n_tx; t++)
        events += iffnet_i_transfer(&x, t) && x.pair_n[t] <= s.p.max_pair_tx;
    s.case_rate = s.lives.n > 0 ? events / ((double)s.lives.n * (s.span + 1.0)) * (double)s.p.window / 86400.0 : 0;
    s.stamp = calloc(n, sizeof *s.stamp);
    s.recv = calloc(n, sizeof *s.recv);
    s.recv_t = calloc(n, sizeof *s.recv_t);
    s.last_t = calloc(n, sizeof *s.last_t);
    s.sink_stamp = calloc(n, sizeof *s.sink_stamp);
    s.sink_cnt = calloc(n, sizeof *s.sink_cnt);
    s.sink_mid = calloc(n, sizeof *s.sink_mid);
    if (!s.stamp || !s.recv || !s.recv_t || !s.last_t || !s.sink_stamp || !s.sink_cnt || !s.sink_mid) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in scatter detection"); goto out; }
    for (int64_t v = 0; v < x.n_acc && !err; v++)
        err = sg ? runs(&s, v, 1, out, sg_run) : runs(&s, v, 0, out, gs_run);
out:
    free(s.stamp); free(s.recv); free(s.recv_t); free(s.hops); free(s.bins);
    free(s.last_t); free(s.sink_stamp); free(s.sink_cnt); free(s.sink_mid);
    iffnet_i_vec_free(&s.list); iffnet_i_vec_free(&s.all); iffnet_i_vec_free(&s.all_cp); iffnet_i_vec_free(&s.all_t); iffnet_i_vec_free(&s.side); iffnet_i_vec_free(&s.mids);
    iffnet_alert_list_destroy(&s.cand);
    iffnet_i_lives_free(&s.lives); iffnet_i_vec_free(&s.acc); iffnet_i_vec_free(&s.tx);
    iffnet_i_txindex_destroy(&x);
    return err;
}

int iffnet_i_detect_scatter_gather(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    return run_sc(ctx, out, 1);
}

int iffnet_i_detect_gather_scatter(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    return run_sc(ctx, out, 0);
}
