/* detect_fan.c: fan_in and fan_out, judged against the account's own baseline.
 *
 * A fan is a run of payments between one account and many counterparties that
 * have no standing relationship with it (the pair transacts at most
 * `max_pair_tx` times in the whole case), chained by gaps of at most `max_gap`.
 * Recurring counterparties (a payroll's employees, a landlord, a supplier) are
 * the account's routine and never count. An account whose routine is to receive
 * from many first-time payers (a shop, a charity) is flagged only for a burst
 * above its own median per window (Poisson tail below p), never for volume alone.
 * An account active for fewer than `baseline_windows` windows has no routine to
 * compare with. Every fan must also stand out from the case's population
 * baseline: the mean number of once-only counterparties per account and window
 * (lambda); n counterparties in a run over k windows must have a Poisson(lambda k)
 * tail probability below p = chance_alerts / (account-windows of the case): a
 * Bonferroni bound, so that chance alone flags about `chance_alerts` (1) runs in
 * the whole case, whatever its size.
 * Where nearly every pair in the case transacts once, fans of a few are ordinary.
 * A fan needs at least `min_counterparties` (3, the smallest many-to-one that is
 * more than a pair of payments; AMLworld plants fans of three): the two baselines,
 * not the count, are what separate a fan from ordinary traffic.
 * Where the case's accounts meet new counterparties at uneven rates, a run that
 * is not improbable at the account's own median rate (over its windows) is
 * listed below every other, with the reason "ranked low" (see fan_account).
 */
#include <math.h>
#include "detect_internal.h"

typedef struct {
    int64_t min_cp, max_pair_tx, max_gap, window, routine_median, min_windows;
    double chance;                /* alerts expected from chance alone in the whole case */
    double burst_p;               /* per-test bound: chance / account-windows */
} fan_params_t;

typedef struct {
    const iffnet_detect_ctx_t *ctx;
    const iffnet_i_txindex_t *x;
    int in;                       /* 1: fan_in (counterparty = payer), 0: fan_out */
    const char *prefix;
    fan_params_t p;
    int64_t *stamp;               /* per account: last group that counted it */
    int64_t stamp_id;
    double case_rate;             /* population baseline per account and window */
    iffnet_i_vec_t list, acc, tx;
    double *bins;
    int64_t nbins_cap;
} fan_t;

static int fan_params(const iffnet_detect_ctx_t *ctx, const char *pre, fan_params_t *p)
{
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "min_counterparties", 3, 2, 1000000, &p->min_cp));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "max_pair_tx", 1, 1, 1000000, &p->max_pair_tx));
    IFFNET_TRY(iffnet_i_setting_duration(ctx->cfg, pre, "max_gap", 2 * ctx->window, &p->max_gap));
    IFFNET_TRY(iffnet_i_setting_duration(ctx->cfg, pre, "window", ctx->window, &p->window));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "routine_median", 5, 1, 1000000, &p->routine_median));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "baseline_windows", 3, 1, 1000000, &p->min_windows));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, pre, "chance_alerts", 1.0, 0.0, 1e9, &p->chance));
    if (p->window <= 0) p->window = 86400;
    return IFFNET_OK;
}

static int64_t tx_cp(const fan_t *f, int64_t t)
{
    return f->in ? f->x->c->tx_src[t] : f->x->c->tx_dst[t];
}

/* Money moved the other way around the fan (onward for fan_in, feeding for fan_out). */
static void other_side(const fan_t *f, int64_t v, iffnet_time_t a, iffnet_time_t b,
                       iffnet_money_t *sum, int64_t *n_cp)
{
    const iffnet_i_txindex_t *x = f->x;
    const int64_t *off = f->in ? x->out_off : x->in_off, *lst = f->in ? x->out_tx : x->in_tx;
    *sum = 0; *n_cp = 0;
    f->stamp[v] = f->stamp_id; /* v itself never counts */
    for (int64_t k = off[v]; k < off[v + 1]; k++) {
        int64_t t = lst[k];
        if (x->c->tx_time[t] < a || x->c->tx_time[t] > b) continue;
        int64_t cp = f->in ? x->c->tx_dst[t] : x->c->tx_src[t];
        *sum += x->val[t];
        if (f->stamp[cp] != f->stamp_id) { f->stamp[cp] = f->stamp_id; (*n_cp)++; }
    }
}

static int emit(fan_t *f, int64_t v, int64_t lo, int64_t hi, int64_t n_cp, double med, int routine,
                iffnet_alert_list_t *out)
{
    const iffnet_i_txindex_t *x = f->x;
    const iffnet_detect_ctx_t *ctx = f->ctx;
    const iffnet_time_t *T = x->c->tx_time;
    iffnet_money_t sum = 0, other = 0;
    int64_t n_other = 0;
    iffnet_alert_t *a;
    char m1[96], m2[96];
    iffnet_i_vec_clear(&f->acc); iffnet_i_vec_clear(&f->tx);
    IFFNET_TRY(iffnet_i_vec_push(&f->acc, v));
    for (int64_t k = lo; k < hi; k++) {
        IFFNET_TRY(iffnet_i_vec_push(&f->tx, f->list.v[k]));
        IFFNET_TRY(iffnet_i_vec_push(&f->acc, tx_cp(f, f->list.v[k])));
        sum += x->val[f->list.v[k]];
    }
    iffnet_time_t first = T[f->list.v[lo]], last = T[f->list.v[hi - 1]];
    f->stamp_id++;
    if (f->in) other_side(f, v, first, last + f->p.window, &other, &n_other);
    else other_side(f, v, first - f->p.window, last, &other, &n_other);
    double score = 1.0 - exp(-(double)n_cp / (2.0 * (double)f->p.min_cp));
    /* times the lowest score of a fan (min_counterparties): below every fan
     * that is a burst for its account too */
    if (routine) score *= 1.0 - exp(-0.5);
    IFFNET_TRY(iffnet_i_alert(out, f->in ? IFFNET_TYP_FAN_IN : IFFNET_TYP_FAN_OUT, score, &f->acc, &f->tx, &a));
    const char *id = iffnet_case_account_id(x->c, v);
    if (f->in)
        IFFNET_TRY(iffnet_alert_add_reason(a, "%lld senders paid %s into %s within %lld days",
            (long long)n_cp, iffnet_i_money(ctx, m1, sizeof m1, sum), id, (long long)iffnet_i_days(first, last)));
    else
        IFFNET_TRY(iffnet_alert_add_reason(a, "%s paid %s to %lld receivers within %lld days",
            id, iffnet_i_money(ctx, m1, sizeof m1, sum), (long long)n_cp, (long long)iffnet_i_days(first, last)));
    IFFNET_TRY(iffnet_alert_add_reason(a, "no %s has a standing relationship with %s: each pair transacts at most %lld time%s in the case",
        f->in ? "sender" : "receiver", id, (long long)f->p.max_pair_tx, f->p.max_pair_tx == 1 ? "" : "s"));
    if (med > 0)
        IFFNET_TRY(iffnet_alert_add_reason(a, "%s's own baseline: median %.1f such %s per %lld-day window",
            id, med, f->in ? "senders" : "receivers", (long long)(f->p.window / 86400)));
    IFFNET_TRY(iffnet_alert_add_reason(a, "the case's baseline: %.2f such %s per account and %lld-day window",
        f->case_rate, f->in ? "senders" : "receivers", (long long)(f->p.window / 86400)));
    a->ranked_low = routine != 0;
    if (routine)
        IFFNET_TRY(iffnet_alert_add_reason(a, "ranked low: at %s's own median, %lld %s over %lld days are not improbable (a steady stream of new %s, not a burst)",
            id, (long long)n_cp, f->in ? "senders" : "receivers", (long long)iffnet_i_days(first, last), f->in ? "payers" : "payees"));
    if (n_other > 0) {
        if (f->in)
            IFFNET_TRY(iffnet_alert_add_reason(a, "%s sent %s on to %lld accounts within %lld days of the last payment",
                id, iffnet_i_money(ctx, m2, sizeof m2, other), (long long)n_other, (long long)(f->p.window / 86400)));
        else
            IFFNET_TRY(iffnet_alert_add_reason(a, "%s had received %s from %lld accounts in the %lld days before",
                id, iffnet_i_money(ctx, m2, sizeof m2, other), (long long)n_other, (long long)(f->p.window / 86400)));
    }
    return IFFNET_OK;
}

/* Fans of one account: collect, split into runs by max_gap, test each run. */
static int fan_account(fan_t *f, int64_t v, iffnet_alert_list_t *out)
{
    const iffnet_i_txindex_t *x = f->x;
    const int64_t *off = f->in ? x->in_off : x->out_off, *lst = f->in ? x->in_tx : x->out_tx;
    const iffnet_time_t *T = x->c->tx_time;
    iffnet_i_vec_clear(&f->list);
    for (int64_t k = off[v]; k < off[v + 1]; k++) {
        int64_t t = lst[k], cp = tx_cp(f, t);
        if (cp == v || x->pair_n[t] > f->p.max_pair_tx || iffnet_i_same_group(x, v, cp)) continue;
        IFFNET_TRY(iffnet_i_vec_push(&f->list, t));
    }
    if (f->list.n < f->p.min_cp) return IFFNET_OK;
    double med;
    IFFNET_TRY(iffnet_i_routine(x, v, f->in, f->p.max_pair_tx, f->p.window, f->p.min_windows, &f->bins, &f->nbins_cap, &med));
    for (int64_t lo = 0, hi; lo < f->list.n; lo = hi) {
        for (hi = lo + 1; hi < f->list.n && T[f->list.v[hi]] - T[f->list.v[hi - 1]] <= f->p.max_gap; hi++) ;
        if (hi - lo < f->p.min_cp) continue;
        f->stamp_id++;
        int64_t n_cp = 0;
        for (int64_t k = lo; k < hi; k++) {
            int64_t cp = tx_cp(f, f->list.v[k]);
            if (f->stamp[cp] != f->stamp_id) { f->stamp[cp] = f->stamp_id; n_cp++; }
        }
        if (n_cp < f->p.min_cp) continue;
        double k = (double)((T[f->list.v[hi - 1]] - T[f->list.v[lo]]) / f->p.window + 1);
        if (!iffnet_i_above_rate(n_cp, f->case_rate, k, f->p.burst_p)) continue;
        if (med >= (double)f->p.routine_median
            && !iffnet_i_above_rate(iffnet_i_peak(x->c, f->list.v + lo, hi - lo, f->p.window), med, 1.0, f->p.burst_p)) continue;
        /* An account whose own median of new counterparties per window makes
         * this many over the run's windows probable is ranked low, not dropped:
         * where the run is the account's only such activity (a slow fan), the
         * median is the fan itself. */
        int routine = med > 0 && !iffnet_i_above_rate(n_cp, med, k, f->p.burst_p);
        IFFNET_TRY(emit(f, v, lo, hi, n_cp, med, routine, out));
    }
    return IFFNET_OK;
}

static int run_fan(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out, int in)
{
    fan_t f;
    iffnet_i_txindex_t x;
    int err;
    memset(&f, 0, sizeof f);
    f.ctx = ctx; f.in = in; f.prefix = in ? "fan_in" : "fan_out"; f.x = &x;
    IFFNET_TRY(fan_params(ctx, f.prefix, &f.p));
    IFFNET_TRY(iffnet_i_txindex_build(ctx->c, &x));
    double tests;
    f.case_rate = iffnet_i_case_rate(&x, in, f.p.max_pair_tx, f.p.window, &tests);
    f.p.burst_p = tests > 0 ? f.p.chance / tests : 1.0;
    f.stamp = calloc((size_t)x.n_acc + 1, sizeof *f.stamp);
    if (!f.stamp) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in %s", f.prefix); goto out; }
    err = IFFNET_OK;
    for (int64_t v = 0; v < x.n_acc && !err; v++) err = fan_account(&f, v, out);
out:
    free(f.stamp); free(f.bins);
    iffnet_i_vec_free(&f.list); iffnet_i_vec_free(&f.acc); iffnet_i_vec_free(&f.tx);
    iffnet_i_txindex_destroy(&x);
    return err;
}

int iffnet_i_detect_fan_in(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    return run_fan(ctx, out, 1);
}

int iffnet_i_detect_fan_out(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    return run_fan(ctx, out, 0);
}
