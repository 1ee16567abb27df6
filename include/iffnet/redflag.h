/* redflag.h: wildlife-trafficking and statistical red flags.
 *
 * The indicator lists (countries, sectors, keywords) are data files shipped with
 * iffnet and installed under $(datadir)/iffnet; users can replace or extend them.
 * The statistical tests (Benford first-digit / first-two-digit, round-number
 * share) are exposed so that other modules and tests can run them on any list of
 * amounts. The detectors themselves plug into `iffnet detect` through the
 * registry iffnet_redflag_detectors[] (detector.h); each is also callable alone.
 *
 * Ownership: structs filled by _load/_init belong to the caller, who releases
 * them with the matching _destroy; const pointers are borrowed, never kept.
 */
#ifndef IFFNET_REDFLAG_H
#define IFFNET_REDFLAG_H

#include "detector.h"

/* Country roles in the illegal wildlife trade (bit mask). */
#define IFFNET_ROLE_SOURCE      1u
#define IFFNET_ROLE_TRANSIT     2u
#define IFFNET_ROLE_DESTINATION 4u

typedef struct {
    char code[3];          /* ISO 3166-1 alpha-2, upper case */
    unsigned roles;        /* IFFNET_ROLE_* (a country may have several rows) */
} iffnet_country_ind_t;

typedef struct {
    char *word;            /* lower case (ASCII letters folded) */
    char *language;        /* ISO 639-1 */
    int covert;            /* 1 covert (indirect), 0 overt */
} iffnet_keyword_ind_t;

typedef struct {
    int64_t n_countries;
    iffnet_country_ind_t *countries;
    int64_t n_sectors;
    char **sectors;        /* snake_case, lower case */
    int64_t n_keywords;
    iffnet_keyword_ind_t *keywords;
    char *dir;             /* directory read */
    /* Index for matching: keyword numbers ordered by first byte; those starting
     * with byte b are kw_order[kw_start[b] .. kw_start[b + 1]). */
    int64_t *kw_order;
    int64_t kw_start[257];
} iffnet_indicators_t;

/* The indicator directory to use: ctx_dir when not NULL or empty, else the
 * compiled-in installation directory. The library reads no environment: the
 * CLI resolves IFFNET_DATADIR (cli_datadir()). */
const char *iffnet_indicators_dir(const char *ctx_dir);

/* Reads countries.csv, sectors.csv and keywords.csv of `dir` (see data/README.md).
 * A missing file is IFFNET_EIO, a bad row IFFNET_EDATA naming file:line and column.
 * `ind` must not be initialised. O(rows). */
int iffnet_indicators_load(iffnet_indicators_t *ind, const char *dir);
void iffnet_indicators_destroy(iffnet_indicators_t *ind);

/* Roles of a country code ("" or unknown: 0). O(countries). */
unsigned iffnet_indicators_country_roles(const iffnet_indicators_t *ind, const char *code);
/* 1 when the sector is listed. O(sectors). */
int iffnet_indicators_sector_listed(const iffnet_indicators_t *ind, const char *sector);
/* Index of a keyword found in text (case-insensitive for ASCII letters, whole
 * words for keywords that start and end with an ASCII letter), or -1; an overt
 * keyword is preferred, then the first in the list. O(len * keywords sharing a
 * first byte). */
int64_t iffnet_indicators_match(const iffnet_indicators_t *ind, const char *text);

/* Benford tests (Nigrini 2012, "Benford's Law", ch. 5): observed leading-digit
 * proportions against log10(1 + 1/d). */
typedef enum {
    IFFNET_BENFORD_CLOSE, IFFNET_BENFORD_ACCEPTABLE, IFFNET_BENFORD_MARGINAL,
    IFFNET_BENFORD_NONCONFORMITY
} iffnet_benford_class_t;

typedef struct {
    int64_t n;             /* amounts tested */
    double mad;            /* mean absolute deviation of the proportions */
    double chi2;           /* Pearson chi-square statistic */
    int df;                /* degrees of freedom (8 or 89) */
    double p;              /* chi-square upper tail p-value (GSL gsl_cdf_chisq_Q) */
    iffnet_benford_class_t cls; /* Nigrini's MAD conformity class */
    int top_digit;         /* digit(s) with the largest excess over expectation */
    double top_excess;     /* observed minus expected proportion of top_digit */
} iffnet_benford_t;

/* Runs the first-digit (two_digits = 0) or first-two-digits test on the positive
 * amounts in v[0..n) (amounts < 10 for the two-digit test are skipped).
 * O(n). */
void iffnet_benford_test(const iffnet_money_t *v, int64_t n, int two_digits, iffnet_benford_t *r);
const char *iffnet_benford_class_name(iffnet_benford_class_t c);

/* The detectors, one per typology (each appends to `out`; see iffnet-detect(1)). */
int iffnet_redflag_structuring(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_redflag_benford(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_redflag_round_amounts(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_redflag_corridor(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_redflag_wildlife_trade(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_redflag_pep_payment(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_redflag_shell_network(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
int iffnet_redflag_cash_to_wire(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);
/* Watch-list hits (watchlist.h): one alert per entity of the case whose name or
 * identifier matches an entry of the list in setting "watchlist.file" (the CLI's
 * --watchlist FILE); none when no list is set. Settings watchlist.min_score,
 * watchlist.max_block, watchlist.max_pairs. */
int iffnet_redflag_watchlist(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out);

#endif
