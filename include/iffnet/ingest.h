/* ingest.h: CSV exports -> validated case. */
#ifndef IFFNET_INGEST_H
#define IFFNET_INGEST_H

#include "case.h"
#include "money.h"
#include "timeparse.h"

/* Fields of a transactions file, in the native column order. */
typedef enum {
    IFFNET_F_TX_ID, IFFNET_F_TIMESTAMP, IFFNET_F_SOURCE, IFFNET_F_TARGET, IFFNET_F_AMOUNT,
    IFFNET_F_CURRENCY, IFFNET_F_CHANNEL, IFFNET_F_REFERENCE, IFFNET_F_RECV_AMOUNT,
    IFFNET_F_RECV_CURRENCY,
    /* Some exports split an account into bank + number (AMLworld): when the
     * *_BANK field is mapped, the account id is "<bank>_<number>". */
    IFFNET_F_SOURCE_BANK, IFFNET_F_TARGET_BANK,
    IFFNET_F_TX_COUNT
} iffnet_tx_field_t;

/* Name of a field as used by --map ("tx_id", "timestamp", ...), and back. */
const char *iffnet_tx_field_name(iffnet_tx_field_t f);
int iffnet_tx_field_parse(const char *name, iffnet_tx_field_t *f);

typedef struct {
    /* Column for each field: a header name, "#N" (1-based position), or NULL for the
     * native name. */
    const char *tx_col[IFFNET_F_TX_COUNT];
    const char *default_currency; /* when the file has no currency column */
    char delimiter;               /* ',' by default */
    iffnet_amount_syntax_t amount_syntax;
    iffnet_time_syntax_t time_syntax;
    int64_t max_errors;           /* stop after this many bad rows (default 20) */
    const char *skip_bad_path;    /* NULL: any bad row fails the ingest */
    const char *preset;           /* recorded in provenance */
    const char *command_line;
    iffnet_time_t created;        /* time recorded in provenance; -1 (the default): now */
    /* Accounts file of the amlsim preset: its rows become account entities. */
    const char *accounts_path;
    /* Character set of every input file ("ISO-8859-1", "WINDOWS-1252", any name
     * iconv knows); NULL: UTF-8. Text is transcoded to UTF-8 as it is read; text
     * that is not valid in it is an error naming file:line:column. */
    const char *encoding;
    /* Called now and then with bytes read so far and the file size (0 if unknown). */
    void (*progress)(void *arg, const char *what, int64_t done, int64_t total);
    void *progress_arg;
} iffnet_ingest_opts_t;

void iffnet_ingest_opts_default(iffnet_ingest_opts_t *o);

/* Applies a built-in preset ("native", "amlsim", "amlsim-sample", "amlworld"). */
int iffnet_ingest_preset(iffnet_ingest_opts_t *o, const char *name);

/* One rejected row (or the first of them; see n_errors). */
typedef struct {
    char *message;  /* "tx.csv:12: column 'amount': \"x\" is not an amount" */
} iffnet_ingest_error_t;

typedef struct {
    int64_t n_errors;        /* bad rows seen */
    int64_t n_kept;          /* messages kept in errors[] (at most max_errors) */
    iffnet_ingest_error_t *errors;
    int64_t skipped;         /* rows written to skip_bad_path */
} iffnet_ingest_report_t;

void iffnet_ingest_report_destroy(iffnet_ingest_report_t *r);

/* Reads the files into `c` (not initialised by the caller). Any of entities,
 * relations, rates may be NULL. On IFFNET_EDATA the report lists the bad rows and
 * `c` is destroyed. "-" reads standard input; gzip input is recognised by its magic
 * bytes. O(rows log rows) (the sort by time). */
int iffnet_ingest(iffnet_case_t *c, const char *tx_path, const char *entities_path,
                  const char *relations_path, const char *rates_path,
                  const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *report);

#endif
