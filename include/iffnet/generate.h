/* generate.h: synthetic wildlife-trafficking cases with answer keys.
 *
 * iffnet_generate() writes a whole case into a directory: transactions.csv,
 * entities.csv, relations.csv (the native formats of iffnet-formats(5)),
 * rates.csv (exchange rates to the case currency), answer_key.csv,
 * lookalikes.csv and scenario.md. A legitimate background population (the
 * haystack) carries planted laundering structures (the needles) whose accounts
 * and transactions the answer key lists, and benign groups shaped like them
 * (payroll runs, shops' many payers, cash pools, netting cycles ...) that
 * lookalikes.csv lists as negatives. Each planted structure draws its size,
 * time span, schedule and amount rule from wide ranges (iffnet-generate(1));
 * the profile sets how dense the look-alikes are and how hard the draws.
 * Every random number comes from one GSL mt19937 generator seeded from
 * opts->seed, so the same options give the same bytes. Options are borrowed;
 * nothing is kept after the call.
 */
#ifndef IFFNET_GENERATE_H
#define IFFNET_GENERATE_H

#include "common.h"

/* How planted amounts relate to one another (IFFNET_GEN_AMOUNTS_MIXED: each
 * structure draws one of those its typology allows). */
typedef enum {
    IFFNET_GEN_AMOUNTS_MIXED,
    IFFNET_GEN_AMOUNTS_CARRIED,      /* each hop passes on 95-99.9 % (fans: even shares) */
    IFFNET_GEN_AMOUNTS_DECAYING,     /* each hop passes on 75-95 % (fans: a falling series) */
    IFFNET_GEN_AMOUNTS_INDEPENDENT   /* drawn per payment over a 50x range */
} iffnet_gen_amounts_t;

typedef struct {
    const char *scenario;        /* "wildlife" (the only scenario so far) */
    const char *profile;         /* "sparse", "default", "dense" or "hard" (NULL: "default") */
    int64_t n_lookalikes;        /* benign look-alike groups; -1 = as the profile says */
    int64_t max_members;         /* largest planted structure, 3..40 (0 = 40) */
    int64_t max_span_days;       /* longest planted span in days (0 = a quarter of the period) */
    iffnet_gen_amounts_t amounts;
    int64_t n_accounts;          /* accounts of the population, >= 20 */
    int64_t n_transactions;      /* total rows of transactions.csv; 0 = 10 per account */
    int64_t days;                /* length of the period, 1..3660 */
    iffnet_time_t start;         /* first day (UTC midnight) */
    unsigned long seed;
    const char *currency;        /* case currency (ISO 4217), e.g. "EUR" */
    int64_t n_structures;        /* planted structures; 0 = scaled to the accounts */
    uint32_t typologies;         /* bit (1u << iffnet_typology_t) per planted kind; 0 = all plantable */
    /* n_structures == 0 plants what fits (in the accounts and in a quarter of
     * the transactions); n_structures > 0 is strict: IFFNET_ELIMIT when they
     * do not fit. Structures take the requested typologies in turn. */
    /* Called now and then with the transactions written so far and the total. */
    void (*progress)(void *arg, const char *what, int64_t done, int64_t total);
    void *progress_arg;
} iffnet_generate_opts_t;

/* Defaults: wildlife, default profile, 1000 accounts, 10 transactions per
 * account, 365 days from 2024-01-01, seed 1, EUR, scaled structures, all
 * plantable typologies, mixed amounts, members up to 40, spans up to a quarter
 * of the period. O(1). */
void iffnet_generate_opts_default(iffnet_generate_opts_t *o);

/* Bit mask of the typologies the generator can plant (all of alert.h's
 * vocabulary except the amount-statistics ones, benford and round_amounts). O(1). */
uint32_t iffnet_generate_plantable(void);

/* 1 when `name` is a profile (sparse, default, dense, hard). O(1). */
int iffnet_generate_profile_known(const char *name);

/* The profiles' names, comma-separated ("sparse,default,dense,hard"). O(1). */
const char *iffnet_generate_profile_names(void);

/* "mixed", "carried", "decaying", "independent"; parse returns -1 when unknown. */
const char *iffnet_gen_amounts_name(iffnet_gen_amounts_t a);
int iffnet_gen_amounts_parse(const char *name, iffnet_gen_amounts_t *a);

/* 1 when the generator knows currency code `code` (and so its minor unit, home
 * countries and reference rate). O(1). */
int iffnet_generate_currency_known(const char *code);

/* Generates the case into directory `dir` (which must exist). Each file is
 * written atomically; on error none of the files that failed is left behind.
 * Returns IFFNET_OK, IFFNET_EINVAL (bad options, with a message naming the
 * option), IFFNET_ELIMIT (too few accounts or transactions for the planted
 * structures), IFFNET_EIO or IFFNET_ENOMEM.
 * Time O(A log A + T log(T/days)) for A accounts and T transactions; memory
 * O(A + T/days + planted and look-alike transactions). */
int iffnet_generate(const iffnet_generate_opts_t *opts, const char *dir);

#endif
