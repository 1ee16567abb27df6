/* detector.h: the interface every typology detector implements.
 * A detector reads the case (and its network), reads its thresholds from the
 * config under "<typology>.<name>" keys, and appends explained alerts. */
#ifndef IFFNET_DETECTOR_H
#define IFFNET_DETECTOR_H

#include <igraph.h>
#include "alert.h"
#include "config.h"

/* A distribution summarised by a few quantiles (0 when n is 0). */
typedef struct {
    int64_t n;
    double p10, p25, p50, p75, p90, p99, max;
} iffnet_detect_dist_t;

/* The case profile: what the case's own traffic looks like, computed once per run
 * (iffnet_detect_profile()) and shared by the detectors, which derive their gates
 * from it instead of from constants. Self-payments are left out throughout. */
typedef struct {
    int64_t n_accounts, n_active, n_tx, n_pairs;
    iffnet_time_t first, last;         /* first and last transaction */
    double span_days;                  /* (last - first) in days, at least 1 */
    iffnet_detect_dist_t life_days;    /* active life of each active account: first to last transaction, days */
    iffnet_detect_dist_t tx_per_month; /* its transactions (either side) per 30 days of active life */
    iffnet_detect_dist_t tx_per_pair;  /* transactions of each (payer, payee) pair */
    double once_pairs;                 /* share of pairs that transact once */
    double once_tx;                    /* share of transactions on such once-only pairs */
    double once_per_day;               /* once-only transactions per account-day of active life (per side) */
    iffnet_detect_dist_t pair_gap_days;    /* gaps between consecutive transactions of one pair */
    iffnet_detect_dist_t account_gap_days; /* gaps between consecutive payments of one account */
    iffnet_detect_dist_t amount;       /* amounts in the value currency, major units */
    double amount_spread;              /* log10(p90 / p10) of the amounts */
    /* Hops: each payment out of an account with the latest payment into it before. */
    iffnet_detect_dist_t hop_ratio;    /* |log10(out / in)| of hops */
    iffnet_detect_dist_t hop_delay_days; /* time from the payment in to the payment out */
    double hop_ratio_chance;           /* median |log10(out / a)| for a random amount a of the case */
    double linkage;                    /* 2f - 1, f the share of hops whose out is closer to its in
                                          than to a random amount: 0 when amounts are drawn
                                          independently, 1 when every payment carries on the last */
    double linkage_z;                  /* standard errors of f above 1/2 */
    iffnet_detect_dist_t in_degree, out_degree; /* distinct payers / payees of active accounts */
    double recurring_pairs;            /* share of pairs with two or more transactions */
    double periodic_pairs;             /* share of pairs with three or more at a steady rhythm
                                          (coefficient of variation of their gaps below 1/2) */
    double periodic_accounts;          /* share of active accounts paying or paid by such a pair */
} iffnet_detect_profile_t;

/* Amount linkage as the detectors use it: the profile's linkage where it stands
 * out from chance (three standard errors), else 0. */
static inline double iffnet_detect_linkage(const iffnet_detect_profile_t *p)
{
    return p && p->linkage_z > 3.0 && p->linkage > 0 ? p->linkage : 0.0;
}

/* What every detector gets. */
typedef struct {
    const iffnet_case_t *c;
    const igraph_t *graph;         /* vertex = account, edge i = transaction i */
    const iffnet_config_t *cfg;
    int64_t window;                /* default time window in seconds (--window) */
    iffnet_money_t threshold;      /* reporting threshold in the value currency (--threshold) */
    int threshold_scale;           /* decimals of the threshold's currency */
    int32_t value_currency;        /* currency of iffnet_case_tx_value() */
    const char *datadir;           /* indicator lists (countries, sectors, keywords) */
    unsigned long seed;
    /* Notes about the run (one line each). */
    void (*note)(void *arg, const char *fmt, ...);
    void *note_arg;
    /* Detectors whose search a cost budget cut short say so here (one line
     * each), e.g. "cycle: search stopped after 1000000 steps (cycle.max_steps)".
     * NULL: budgets go to note. */
    void (*budget)(void *arg, const char *fmt, ...);
    void *budget_arg;
    /* Each setting a detector used: key, the value as --set takes it, and how
     * it was derived ("default", "set", "derived: ..."). May be NULL. */
    void (*setting)(void *arg, const char *key, const char *value, const char *how);
    void *setting_arg;
    /* The case profile, set by the driver before the detectors run (NULL when a
     * detector runs on its own: it then computes what it needs). */
    const iffnet_detect_profile_t *profile;
} iffnet_detect_ctx_t;

/* Decimals of the value currency, for settings given in its major units (2 when
 * the case has no value currency). */
static inline int iffnet_detect_value_scale(const iffnet_detect_ctx_t *ctx)
{
    return ctx->value_currency >= 0 && ctx->c->currency_scale ? ctx->c->currency_scale[ctx->value_currency] : 2;
}

typedef struct {
    iffnet_typology_t typology;
    int (*run)(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
} iffnet_detector_t;

/* Registries, one per source file family; the detect driver runs them all. */
extern const iffnet_detector_t iffnet_structural_detectors[];
extern const size_t iffnet_n_structural_detectors;
extern const iffnet_detector_t iffnet_redflag_detectors[];
extern const size_t iffnet_n_redflag_detectors;

/* Account risk ranking (iffnet detect --accounts): fuses structural alerts with
 * entity and statistical signals (FATF: no single indicator suffices) into one
 * score per account, each with the reasons behind it (src/lib/redflag/redflag_risk.c). */
typedef struct {
    int64_t account;
    double risk;            /* 0..1 */
    int64_t n_reasons;
    char **reasons;
} iffnet_account_risk_t;

/* Fills *out (malloc'd, caller frees with iffnet_account_risk_free) with every
 * account that has any signal, sorted by risk descending, ties by account id. */
int iffnet_account_risk(const iffnet_detect_ctx_t *ctx, const iffnet_alert_list_t *alerts,
                        iffnet_account_risk_t **out, int64_t *n);
void iffnet_account_risk_free(iffnet_account_risk_t *r, int64_t n);

#endif
