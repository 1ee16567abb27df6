/* detect_internal.h: the structural detection module (private to the library).
 *
 * The network typologies (fans, cycles, scatter-gather and gather-scatter,
 * bipartite and stack blocks, layering chains, mules; one detect_<family>.c
 * each, registered in detect_registry.c) and the detect driver (detect.c), which
 * runs them with the red flags of redflag/ and merges their alerts. What the
 * detectors share is here: a transaction index in compressed-sparse-row form (each
 * account's outgoing and incoming transactions in time order), the number of
 * transactions of each (payer, payee) pair, business groups, chance-rate tests
 * and helpers for reason sentences (detect_index.c). The index costs O(V + E) to
 * build; it is built once per run and shared by the detectors. May call core/,
 * case/ and redflag/.
 */
#ifndef IFFNET_DETECT_INTERNAL_H
#define IFFNET_DETECT_INTERNAL_H

#include "iffnet/detector.h"
#include <math.h>
#include "core/core_internal.h"

typedef struct {
    const iffnet_case_t *c;
    int64_t n_acc, n_tx;
    /* The lists hold transfers between parties only: a cash deposit or
     * withdrawal (the CASH pseudo-account, everyone's cash counterparty) is in
     * no account's list, so no structure has CASH as a member or hub. */
    int64_t cash;                /* the CASH pseudo-account, or -1 */
    int64_t n_listed;            /* transactions in the lists (out_off[n_acc]) */
    int64_t *out_off, *out_tx;   /* out_tx[out_off[a] .. out_off[a+1]) : tx paid by a, by time */
    int64_t *in_off, *in_tx;     /* same for tx received by a */
    /* Copies along out_tx, contiguous for searches that walk many lists:
     * time, payee, pair_n and value of out_tx[k]. */
    iffnet_time_t *out_t;
    int32_t *out_d, *out_p;
    iffnet_money_t *out_v;
    int32_t *in_s, *in_p;        /* payer and pair_n of in_tx[k] */
    iffnet_time_t *in_t;         /* time of in_tx[k] */
    int32_t *pair_n;             /* pair_n[t]: tx count of t's (src, dst) pair in the whole case */
    iffnet_money_t *val;         /* iffnet_case_tx_value() of each tx */
    int64_t *group;              /* group[a]: business group of a (same holder or owns), a's own id when none */
    /* The case's clock: the intensity of its transactions by hour of the week
     * (1 = the average; a case dated by day alone has all of it at midnight)
     * and its running sum, for iffnet_i_clock(). */
    double clock_m[168], clock_cum[169];
    int shared;                  /* a copy of the cached index: destroy does not free it */
} iffnet_i_txindex_t;

/* 1 when transaction t is a transfer between two parties: not to oneself, not
 * cash in or out (detectors that walk every transaction skip the rest). */
static inline int iffnet_i_transfer(const iffnet_i_txindex_t *x, int64_t t)
{
    int64_t s = x->c->tx_src[t], d = x->c->tx_dst[t];
    return s != d && s != x->cash && d != x->cash;
}

/* Fills x with the index of case c. The index is built once and kept (detectors
 * of one run share it: at ten million transactions building it costs seconds);
 * x then borrows the arrays and iffnet_i_txindex_destroy() only forgets them.
 * iffnet_i_txindex_release() frees the kept index; the detect driver calls it
 * before and after a run. Not thread-safe: one detect run at a time. */
int iffnet_i_txindex_build(const iffnet_case_t *c, iffnet_i_txindex_t *x);
void iffnet_i_txindex_destroy(iffnet_i_txindex_t *x);
void iffnet_i_txindex_release(void);

/* 1 when accounts a and b belong to one business group (same holder, or holders
 * tied by an ownership relation): money between them is a treasury move, not a
 * transfer between strangers. */
static inline int iffnet_i_same_group(const iffnet_i_txindex_t *x, int64_t a, int64_t b)
{
    return x->group[a] == x->group[b];
}

/* Time t on the case's clock, in seconds: time stretched where the case is
 * busy and shrunk where it is quiet (an hour of the week whose intensity is m
 * lasts m hours), so that chance's events come at an even rate on it (office
 * hours, paydays at month end are not; a case dated by day has each day's
 * transactions in one instant, which is a day long on this clock). Whole weeks
 * keep their length. O(1). */
double iffnet_i_clock(const iffnet_i_txindex_t *x, iffnet_time_t t);
/* Days on the case's clock from t0 to t1, at least one hour of the case's
 * resolution past t1 (the events of a run from t0 to t1 fall in that much of
 * the clock). */
double iffnet_i_clock_days(const iffnet_i_txindex_t *x, iffnet_time_t t0, iffnet_time_t t1);

/* 1 when the amounts of t1 and t2 can be compared (same currency, or rates given). */
static inline int iffnet_i_comparable(const iffnet_i_txindex_t *x, int64_t t1, int64_t t2)
{
    return x->c->tx_base != NULL || x->c->tx_currency[t1] == x->c->tx_currency[t2];
}

/* Case-wide rate of transactions with once-only counterparties (pair_n <=
 * max_pair_tx), per account and per window, on the receiving side (in = 1) or the
 * paying side: the population baseline a fan is compared with. In a case where
 * almost every pair transacts only once, a run of new counterparties is ordinary.
 * Accounts count for the windows they are active in; *account_windows receives
 * their sum (the number of tests a detector makes, for its false-alarm bound).
 * O(V + E). */
double iffnet_i_case_rate(const iffnet_i_txindex_t *x, int in, int64_t max_pair_tx, int64_t window,
                          double *account_windows);

/* 1 when n events in k windows stand out from a Poisson rate lambda per window:
 * P(X >= n) < p for X ~ Poisson(lambda k) (exact tail, GSL). */
int iffnet_i_above_rate(int64_t n, double lambda, double k, double p);
/* P(X >= n) for X ~ Poisson(lambda k): 1 for n <= 0, 0 when lambda k is 0. */
double iffnet_i_rate_tail(int64_t n, double lambda, double k);

/* Account v's routine of once-only counterparties on one side (in = 1: its
 * receipts from payers, 0: its payments): the median number of such transactions
 * (pair_n <= max_pair_tx, not v itself, not v's business group) per window over
 * v's active life (its first to its last transaction of any kind). 0 when v is
 * active for fewer than min_windows windows: too short a history for a routine.
 * *bins is scratch, grown as needed. O(degree of v + windows). */
int iffnet_i_routine(const iffnet_i_txindex_t *x, int64_t v, int in, int64_t max_pair_tx, int64_t window,
                     int64_t min_windows, double **bins, int64_t *cap, double *med);
/* The most of tx[0..n) (in time order) within any one window. O(n). */
int64_t iffnet_i_peak(const iffnet_case_t *c, const int64_t *tx, int64_t n, int64_t window);

/* ---- scan statistics: runs of events in time (fans, gather-scatters) ----
 * A run of n events within d days at one account, against a Poisson stream of
 * rate r per day. After Alm's approximation of the scan statistic (a window of
 * d sliding over an account's active life L), the expected number of such runs
 * at one account is  e = P(X >= n) + max(0, n - r d) (L - d)+ / d  P(X = n),
 * X ~ Poisson(r d). The lives of a case's active accounts, sorted, give the sum
 * of e over all of them in O(log V). */
typedef struct {
    int64_t n;                 /* active accounts */
    double *life;              /* their active lives in days (first to last transaction + 1), sorted */
    double *suffix;            /* suffix[i] = sum of life[i..n) */
    double days;               /* sum of all lives: account-days */
} iffnet_i_lives_t;

int iffnet_i_lives_build(const iffnet_i_txindex_t *x, iffnet_i_lives_t *l);
void iffnet_i_lives_free(iffnet_i_lives_t *l);
/* Active life of account v in days (0 when it has no transaction). */
double iffnet_i_life(const iffnet_i_txindex_t *x, int64_t v, iffnet_time_t *first, iffnet_time_t *last);
/* e for one account of life `life` (see above). */
double iffnet_i_scan_one(double rate, int64_t n, double d, double life);
/* e for counts more variable than Poisson's: variance phi times the mean
 * (quasi-Poisson: n and r d divided by phi; phi <= 1 is plain Poisson). */
double iffnet_i_scan_disp(double rate, int64_t n, double d, double life, double phi);
/* The same where the rate itself varies from one part of the account's life to
 * another by a coefficient of variation sqrt(c2) (seasons): variance phi mu +
 * c2 mu^2, a negative binomial after dividing by phi. c2 <= 0: as _disp. */
double iffnet_i_scan_nb(double rate, int64_t n, double d, double life, double phi, double c2);
/* The sum of e over every active account of the case: runs this tight that
 * chance alone would give the case. */
double iffnet_i_scan_case(const iffnet_i_lives_t *l, double rate, int64_t n, double d);
/* P(X = n) for X ~ Poisson(mu), in logs where the direct form underflows. */
double iffnet_i_poisson_pmf(int64_t n, double mu);

/* 1 when events ev[0..n) (in time order) of an account active from t0 to t1 are
 * a steady stream over its life: the life covers at least half of the case's
 * span, and the part of it outside the events does not contradict their pace
 * (what the two end gaps of a stream hold with probability 5% or more), also
 * without the more isolated of the first and last event (three gaps), so that
 * one stray payment at an end does not stretch a burst over the account's life.
 * A shop's new customers, a payroll bureau's new payees. O(1). */
int iffnet_i_is_stream(const iffnet_case_t *c, const int64_t *ev, int64_t n, iffnet_time_t t0, iffnet_time_t t1,
                       double span_days);

/* Calls fn(arg, in, out) for every hop of the case: each payment out of an
 * account (not to itself) with the latest payment into it from another account
 * before it. O(E). */
typedef void (*iffnet_i_hop_fn)(void *arg, int64_t in, int64_t out);
void iffnet_i_each_hop(const iffnet_i_txindex_t *x, iffnet_i_hop_fn fn, void *arg);

/* The case's hops (each payment out of an account with the latest payment into
 * it before, from another account, in comparable currencies): |ln(out / in)|,
 * sorted, a deterministic sample of at most a million (*out malloc'd). The
 * background's hop-to-hop amount ratio, the null for "as close in amount". O(E). */
int iffnet_i_hop_sample(const iffnet_i_txindex_t *x, double **out, int64_t *n);

/* "48,300.00 EUR" in the value currency, flagged as unconverted when the case
 * mixes currencies without rates (buf >= 96 bytes). */
const char *iffnet_i_money(const iffnet_detect_ctx_t *ctx, char *buf, size_t size, iffnet_money_t v);
/* One transaction's amount: in the base currency with rates, else in its own
 * currency (buf >= 96 bytes). */
const char *iffnet_i_tx_money(const iffnet_detect_ctx_t *ctx, char *buf, size_t size, int64_t t);
/* Calendar days (UTC) spanned by [a, b], both ends included: 1 within one day. */
int64_t iffnet_i_days(iffnet_time_t a, iffnet_time_t b);

/* Adds one alert with reasons built from a printf format list: convenience for
 * detectors (the reasons are added by the caller through *added). */
int iffnet_i_alert(iffnet_alert_list_t *out, iffnet_typology_t typ, double score,
                   const iffnet_i_vec_t *accounts, const iffnet_i_vec_t *tx, iffnet_alert_t **added);

/* qsort comparator of doubles, ascending. */
int iffnet_i_cmp_double(const void *a, const void *b);
/* Median of n doubles (the array is reordered). 0 for n == 0. */
double iffnet_i_median(double *v, int64_t n);

/* ---- settings (detect_setting.c) ----
 * Each reads prefix.name: the user's value when set, else `def` (clamped into
 * [lo, hi]); records the value used and `how` ("default", "budget", or a
 * "derived: ..." sentence; "set" when the user set it) through ctx->setting. */
int iffnet_i_det_int(const iffnet_detect_ctx_t *ctx, const char *prefix, const char *name, int64_t def,
                     int64_t lo, int64_t hi, const char *how, int64_t *out);
int iffnet_i_det_double(const iffnet_detect_ctx_t *ctx, const char *prefix, const char *name, double def,
                        double lo, double hi, const char *how, double *out);
int iffnet_i_det_duration(const iffnet_detect_ctx_t *ctx, const char *prefix, const char *name, int64_t def,
                          const char *how, int64_t *out);
int iffnet_i_det_money(const iffnet_detect_ctx_t *ctx, const char *prefix, const char *name, iffnet_money_t def,
                       int scale, const char *how, iffnet_money_t *out);
/* "30d", "12h" or seconds, as a setting takes a duration. */
void iffnet_i_duration_text(char *buf, size_t size, int64_t secs);
/* Reports that a cost budget cut work short (ctx->budget, else ctx->note). */
void iffnet_i_budget(const iffnet_detect_ctx_t *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The structural detectors (registered in detect_registry.c). */
int iffnet_i_detect_fan_in(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_i_detect_fan_out(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_i_detect_cycle(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_i_detect_scatter_gather(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_i_detect_gather_scatter(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_i_detect_bipartite(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_i_detect_stack(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
/* Bipartite / stack blocks of new links (detect_block.c), on an index built by
 * the caller; alerts of typology `want` only. */
int iffnet_i_detect_new_blocks(const iffnet_detect_ctx_t *ctx, const iffnet_i_txindex_t *x,
                               iffnet_typology_t want, iffnet_alert_list_t *out);
int iffnet_i_detect_layering(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_i_detect_mule(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);

#endif
