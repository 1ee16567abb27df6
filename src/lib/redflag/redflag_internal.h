/* redflag_internal.h: the red-flag module (private to the library).
 *
 * FATF's wildlife-trafficking and money-laundering indicators as detectors:
 * structuring, shell networks, trade corridors, wildlife trade, PEP payments,
 * cash to wire, and the statistical screens (Benford, round amounts); one
 * redflag_<flag>.c each, registered in redflag_registry.c. The indicator lists
 * (countries, sectors, keywords) are read by redflag_indicators.c; account risk
 * fusion of every alert and signal is redflag_risk.c. Helpers shared by them are
 * below. May call core/ and case/.
 */
#ifndef IFFNET_REDFLAG_INTERNAL_H
#define IFFNET_REDFLAG_INTERNAL_H

#include "core/core_internal.h"
#include "iffnet/redflag.h"

/* What most red-flag detectors look up once per run. */
typedef struct {
    const iffnet_detect_ctx_t *ctx;
    const iffnet_case_t *c;
    int32_t ch_cash_dep, ch_cash_wd, ch_wire;  /* channel indices, -1 when absent */
    int64_t cash_account;                      /* pseudo-account "CASH", or -1 */
    int vscale;                                /* decimals of the value currency */
} iffnet_i_rf_env_t;

void iffnet_i_rf_env(iffnet_i_rf_env_t *env, const iffnet_detect_ctx_t *ctx);

/* Channel index of a name in a const case (linear: channels are few), or -1. */
int32_t iffnet_i_rf_channel(const iffnet_case_t *c, const char *name);
/* 1 when transaction t is a cash deposit (channel cash_deposit or from CASH). */
int iffnet_i_rf_is_cash_deposit(const iffnet_i_rf_env_t *env, int64_t t);
/* Minor units of `unit_major` major units for every currency of the case
 * (malloc'd, 0 where it overflows). */
int iffnet_i_rf_round_units(const iffnet_case_t *c, int64_t unit_major, iffnet_money_t **units);
/* 1 when transaction t's own amount is a whole multiple of its currency's unit
 * (and at least one unit). */
static inline int iffnet_i_rf_is_round(const iffnet_case_t *c, int64_t t, const iffnet_money_t *units)
{
    iffnet_money_t u = units[c->tx_currency[t]], v = c->tx_amount[t];
    return u > 0 && v >= u && v % u == 0;
}

/* "1,234.00 EUR" in the value currency into buf (>= 48 bytes). */
const char *iffnet_i_rf_money_str(const iffnet_i_rf_env_t *env, char *buf, size_t size,
                                  iffnet_money_t v);

/* Entity that owns account a for linking purposes: holder, else own record, or -1. */
int64_t iffnet_i_rf_account_owner(const iffnet_case_t *c, int64_t a);
/* Column of entity attribute `name`, or -1. */
int64_t iffnet_i_rf_attr_col(const iffnet_case_t *c, const char *name);
/* Entity attribute by column (text index), -1 when absent. */
static inline int64_t iffnet_i_rf_attr(const iffnet_case_t *c, int64_t e, int64_t col)
{
    return (e < 0 || col < 0) ? -1 : c->entity_attr[e * c->n_attrs + col];
}
/* 1 when the entity's `pep` attribute says yes/true/1/y. */
int iffnet_i_rf_entity_pep(const iffnet_case_t *c, int64_t e, int64_t pep_col);

/* Identifier links between entities: for every entity, the normalised values of
 * the attributes named in `attrs` (comma-separated) become identifier ids; values
 * shared by more than max_shared entities are dropped as generic. Fills
 * ids (n_entities * n_cols, -1 = none), *n_cols and the per-id counts. */
typedef struct {
    int64_t n_cols;
    int64_t *cols;         /* attribute columns */
    char **col_names;
    int64_t *ids;          /* n_entities x n_cols */
    int64_t n_ids;
    int64_t *count;        /* entities per id */
} iffnet_i_rf_idlinks_t;

int iffnet_i_rf_idlinks_build(iffnet_i_rf_idlinks_t *l, const iffnet_case_t *c, const char *attrs,
                           int64_t max_shared);
void iffnet_i_rf_idlinks_destroy(iffnet_i_rf_idlinks_t *l);

/* Loads the indicators of ctx->datadir (or the override). */
int iffnet_i_rf_indicators(const iffnet_detect_ctx_t *ctx, iffnet_indicators_t *ind);

/* Out-edge lists of accounts in time order (CSR): edges of a are
 * tx[off[a] .. off[a+1]). Built by counting (transactions are already sorted). */
typedef struct { int64_t *off, *tx; } iffnet_i_rf_adj_t;
int iffnet_i_rf_adj_build(iffnet_i_rf_adj_t *adj, const iffnet_case_t *c, int outgoing);
/* The same for the accounts with keep[a] != 0 only (others get empty lists): a
 * detector that looks at few accounts saves the scattered writes. */
int iffnet_i_rf_adj_build_some(iffnet_i_rf_adj_t *adj, const iffnet_case_t *c, int outgoing,
                               const unsigned char *keep);
void iffnet_i_rf_adj_destroy(iffnet_i_rf_adj_t *adj);

/* ---- chance model (redflag_util.c) ----
 * Every red-flag alert carries E, the expected number of structures at least
 * as extreme in this case under the flag's chance or routine model; score =
 * 1/(1+E) and the alert is listed by default when E < 1 (iffnet-detect(1)). */

/* P(X >= k) for X ~ Poisson(mu); 1 when k <= 0. */
double iffnet_i_rf_poisson_tail(double mu, int64_t k);
/* P(X >= k) for X ~ Binomial(n, p); 1 when k <= 0, 0 when k > n. */
double iffnet_i_rf_binom_tail(int64_t n, double p, int64_t k);
/* Fisher's combination of two independent tail probabilities: P(U V <= p1 p2)
 * for independent uniforms, p1 p2 (1 - ln(p1 p2)). */
double iffnet_i_rf_fisher2(double p1, double p2);
/* Repeated occurrences (rounds) of one structure: with e_of_j[j - 1] the
 * expected count of units showing j occurrences at least as extreme as the
 * structure's j-th strongest, the smallest, times n for having chosen j
 * (Bonferroni); *best_j gets that j. INFINITY when n is 0. */
double iffnet_i_rf_best_of(const double *e_of_j, int64_t n, int64_t *best_j);

/* Sets the alert's expected count E (score 1/(1+E), ranked low when E >= 1) and
 * adds the reason "chance: ..." built from fmt (what E is the product of). */
int iffnet_i_rf_expect(iffnet_alert_t *a, double e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The money that moved through the structure (iffnet-detect(1) defines it per
 * flag); kept with the alert once the alert carries the field. */
static inline void iffnet_i_rf_set_moved(iffnet_alert_t *a, iffnet_money_t moved)
{
    (void)a;
    (void)moved;
}

/* Which alerts are written: E below the number of units tested (a pattern every
 * unit is expected to show says nothing), and, for what chance explains (E >=
 * 1), below redflag.max_expected (10: ten times over is not worth a line of
 * --all; a budget on the list's length) unless only the accounts' routine
 * explains it (chance alone would not: e_chance < 1). */
int iffnet_i_rf_max_expected(const iffnet_detect_ctx_t *ctx, double *max_expected);
static inline int iffnet_i_rf_written(double e, double e_chance, double n_units, double max_expected)
{
    return e < n_units && (e < max_expected || e_chance < 1.0);
}

/* First and last transaction time of the case, and its length in seconds (at
 * least one day: the resolution of a booking date). */
iffnet_time_t iffnet_i_rf_period(const iffnet_case_t *c);

/* A standing relationship: a pattern kept up over more than half of the case's
 * period is, as far as the case can tell, how the accounts do business (a
 * tenant's rent, an importer's monthly supplier, a trading house's route); the
 * red flags rank it low, with the reason, however unlikely each occurrence. */
static inline int iffnet_i_rf_standing(iffnet_time_t first, iffnet_time_t last, iffnet_time_t period)
{
    return last - first > period / 2;
}

#endif
