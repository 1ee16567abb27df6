/* generate.h: synthetic wildlife-trafficking cases with answer keys.
 *
 * iffnet_generate() writes a whole case into a directory: transactions.csv,
 * entities.csv, relations.csv (the native formats of iffnet-formats(5)),
 * rates.csv (exchange rates to the case currency), answer_key.csv and
 * scenario.md. A legitimate background population (the
 * haystack) carries planted laundering structures (the needles) whose accounts
 * and transactions the answer key lists. Every random number comes from one GSL
 * mt19937 generator seeded from opts->seed, so the same options give the same
 * bytes. Options are borrowed; nothing is kept after the call.
 */
#ifndef IFFNET_GENERATE_H
#define IFFNET_GENERATE_H

#include "common.h"

typedef struct {
    const char *scenario;        /* "wildlife" (the only scenario so far) */
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

/* Defaults: wildlife, 1000 accounts, 10 transactions per account, 365 days from
 * 2024-01-01, seed 1, EUR, scaled structures, all plantable typologies. O(1). */
void iffnet_generate_opts_default(iffnet_generate_opts_t *o);

/* Bit mask of the typologies the generator can plant (all of alert.h's
 * vocabulary except the amount-statistics ones, benford and round_amounts). O(1). */
uint32_t iffnet_generate_plantable(void);

/* 1 when the generator knows currency code `code` (and so its minor unit, home
 * countries and reference rate). O(1). */
int iffnet_generate_currency_known(const char *code);

/* Generates the case into directory `dir` (which must exist). Each file is
 * written atomically; on error none of the files that failed is left behind.
 * Returns IFFNET_OK, IFFNET_EINVAL (bad options, with a message naming the
 * option), IFFNET_ELIMIT (too few accounts or transactions for the planted
 * structures), IFFNET_EIO or IFFNET_ENOMEM.
 * Time O(A log A + T log(T/days)) for A accounts and T transactions; memory
 * O(A + T/days + planted transactions). */
int iffnet_generate(const iffnet_generate_opts_t *opts, const char *dir);

#endif
