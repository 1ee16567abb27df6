/* detector.h: the interface every typology detector implements.
 * A detector reads the case (and its network), reads its thresholds from the
 * config under "<typology>.<name>" keys, and appends explained alerts. */
#ifndef IFFNET_DETECTOR_H
#define IFFNET_DETECTOR_H

#include <igraph.h>
#include "alert.h"
#include "config.h"

/* What every detector gets. */
typedef struct {
    const iffnet_case_t *c;
    const igraph_t *graph;         /* vertex = account, edge i = transaction i */
    const iffnet_config_t *cfg;
    int64_t window;                /* default time window in seconds (--window) */
    iffnet_money_t threshold;      /* reporting threshold in the value currency (--threshold) */
    int32_t value_currency;        /* currency of iffnet_case_tx_value() */
    const char *datadir;           /* indicator lists (countries, sectors, keywords) */
    unsigned long seed;
    /* Detectors that stop a search at a bound say so here (one line each),
     * e.g. "cycle: search stopped after 1000000 steps at account X". */
    void (*note)(void *arg, const char *fmt, ...);
    void *note_arg;
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
