/* evaluate.h: scoring alerts against the true structures of an answer key.
 *
 * Ownership: iffnet_truth_read() initialises the caller's iffnet_truth_t, which the
 * caller releases with iffnet_truth_destroy() whatever the return value.
 * iffnet_eval_read_alerts() initialises the caller's alert list likewise
 * (iffnet_alert_list_destroy()). Cases passed in are borrowed.
 *
 * Truth and alerts share one id space held by the truth: account ids and
 * transaction ids (strings) are interned in truth->accounts and truth->tx, and
 * both the structures and the alerts hold indices into those tables.
 *
 * Truth formats:
 *  - iffnet answer_key.csv: structure_id,typology,accounts,transactions[,amount,
 *    first,last,description]; ids separated by ';'. A structure must list at least
 *    one account; the transaction list may be empty (shell networks).
 *  - AMLSim alert_transactions.csv: one row per alert transaction; a structure is
 *    an alert_id, its accounts are those its transactions link (orig_acct,
 *    bene_acct), its transactions the tran_ids. Alerts with is_sar=False are
 *    typology-shaped structures the generator planted as "false alerts": they count
 *    as true structures unless opts->sar_only.
 *  - AMLworld *_Patterns.txt: BEGIN/END LAUNDERING ATTEMPT blocks; a structure per
 *    block (id = its 1-based number in the file), accounts "<bank>_<account>" with
 *    the bank's leading zeros removed (as AMLworld's transaction files write them).
 *    AMLworld has no transaction ids, so transactions are compared by
 *    (from, to, timestamp, amount paid) and only when a case resolves the alerts'
 *    transaction ids; without a case only accounts are compared.
 * Typology names go through iffnet_typology_parse() (FAN-IN, random...).
 */
#ifndef IFFNET_EVALUATE_H
#define IFFNET_EVALUATE_H

#include "alert.h"
#include "case.h"
#include "strtab.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    IFFNET_TRUTH_AUTO,        /* recognise from the first line */
    IFFNET_TRUTH_ANSWER_KEY,  /* "answer-key" */
    IFFNET_TRUTH_AMLSIM,      /* "amlsim" */
    IFFNET_TRUTH_AMLWORLD     /* "amlworld" */
} iffnet_truth_format_t;

/* "auto", "answer-key", "amlsim", "amlworld"; parse returns -1 when unknown. */
const char *iffnet_truth_format_name(iffnet_truth_format_t f);
int iffnet_truth_format_parse(const char *name, iffnet_truth_format_t *f);

/* One true structure. accounts and tx are sorted, distinct indices into the
 * truth's tables. */
typedef struct {
    char *id;
    iffnet_typology_t typology;
    int64_t line;             /* first line of the structure in the truth file */
    int64_t n_accounts, *accounts;
    int64_t n_tx, *tx;
} iffnet_structure_t;

typedef struct {
    iffnet_truth_format_t format;  /* as recognised */
    int has_tx;                    /* transactions comparable with alerts' */
    int64_t n, cap;
    iffnet_structure_t *items;     /* in file order */
    int64_t n_excluded;            /* structures left out (is_sar=False with sar_only) */
    iffnet_strtab_t accounts, tx;  /* the shared id space */
    const iffnet_case_t *c;        /* the case that resolves AMLworld transactions, or NULL */
} iffnet_truth_t;

typedef struct {
    iffnet_truth_format_t format;  /* IFFNET_TRUTH_AUTO to recognise */
    int sar_only;                  /* AMLSim: drop is_sar=False alerts */
    const iffnet_case_t *c;        /* optional: resolves AMLworld transactions */
} iffnet_truth_opts_t;

/* Reads a truth file (see above). opts may be NULL. Errors: IFFNET_EIO,
 * IFFNET_EDATA with "path:line: what" (malformed rows, unknown typology,
 * inconsistent alert rows, unbalanced BEGIN/END), IFFNET_ENOMEM.
 * O(size of file + ids log ids). */
int iffnet_truth_read(iffnet_truth_t *t, const char *path, const iffnet_truth_opts_t *opts);
/* The same from size bytes at data, named `name` in messages. */
int iffnet_truth_read_mem(iffnet_truth_t *t, const char *name, const void *data, size_t size,
                          const iffnet_truth_opts_t *opts);
void iffnet_truth_destroy(iffnet_truth_t *t);

/* Reads alerts JSON Lines (iffnet_alert_read_jsonl()) into the truth's id space.
 * With a case (normally the one the alerts were detected on), the alerts' ids must
 * exist in it; for AMLworld truth it resolves each alert transaction to its
 * (from, to, timestamp, amount) key. Errors as iffnet_alert_read_jsonl().
 * O(size of file + ids). */
int iffnet_eval_read_alerts(iffnet_truth_t *t, const char *path, iffnet_case_t *c,
                            iffnet_alert_list_t *alerts);

/* Structure-level counts for one typology (or all). */
typedef struct {
    int64_t structures;   /* true structures */
    int64_t found;        /* ... covered by one alert on at least half of their accounts */
    int64_t typed_found;  /* ... by an alert of the same typology */
    int64_t alerts;       /* alerts of this typology */
    int64_t alerts_hit;   /* ... that cover at least half of some true structure */
} iffnet_eval_count_t;

/* Precision, recall and F1 of a predicted set against a true set (0 when the
 * denominator is 0). */
typedef struct {
    int64_t tp, predicted, truth;
    double precision, recall, f1;
} iffnet_eval_prf_t;

typedef struct {
    iffnet_eval_count_t by_typology[IFFNET_TYP_COUNT];
    iffnet_eval_count_t all;
    iffnet_eval_prf_t accounts;    /* union of alert accounts vs union of structure accounts */
    iffnet_eval_prf_t tx;          /* the same for transactions; valid when has_tx */
    int has_tx;
    int64_t n_alerts;
    int64_t n_case_accounts;       /* 0 when unknown */
    double alerts_per_1000;        /* n_alerts * 1000 / n_case_accounts; NAN when unknown */
} iffnet_eval_result_t;

/* Scores alerts against the truth. n_case_accounts is the number of accounts
 * the detector looked at (0 when unknown). A structure is found when one alert
 * covers at least half of its accounts (2 * overlap >= size).
 * O(sum of alert sizes x structures per account + structures + accounts). */
int iffnet_eval_score(const iffnet_truth_t *t, const iffnet_alert_list_t *alerts,
                      int64_t n_case_accounts, iffnet_eval_result_t *r);

/* What became of one true structure: found / typed as iffnet_eval_score()
 * counts it, and the alert that covers most of its accounts (an alert of its
 * typology first; then the larger overlap, then the earlier alert), or -1
 * when no alert covers half of them. */
typedef struct {
    int found, typed;
    int64_t alert;        /* index into the alert list, or -1 */
    int64_t covered;      /* accounts of the structure that alert holds */
} iffnet_eval_outcome_t;

/* Fills out[0 .. t->n) (the caller's array), structure by structure: what a
 * trainer or developer reads to see which structures were missed and what the
 * detector made of the others. O(as iffnet_eval_score()). */
int iffnet_eval_outcomes(const iffnet_truth_t *t, const iffnet_alert_list_t *alerts, iffnet_eval_outcome_t *out);

#ifdef __cplusplus
}
#endif
#endif
