/* ingest.h: the files an FIU holds -> one validated case.
 *
 * Sources: transaction, entity and relation CSV files (any number of each),
 * goAML XML reports, FollowTheMoney entity streams (JSON Lines), bank
 * statements (CSV of one account, or CAMT.053 XML) and an exchange-rate file.
 * Every file may be plain, gzip, xz or zstd. All of them feed one row sink, so
 * a payment that two files hold (two banks' reports, both sides' statements)
 * becomes one transaction, and every record keeps its file and line. */
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
    /* Bank statements of one account (--statement-of): money out in debit, in
     * in credit (or a signed amount), the running balance, the other party. */
    IFFNET_F_DEBIT, IFFNET_F_CREDIT, IFFNET_F_BALANCE, IFFNET_F_COUNTERPARTY, IFFNET_F_COUNTERPARTY_NAME,
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
    /* Character set of every CSV input (transactions, entities, relations,
     * accounts, rates, statements: "ISO-8859-1", "WINDOWS-1252", any name iconv
     * knows); NULL: UTF-8. Text is transcoded to UTF-8 as it is read; text that
     * is not valid in it is an error naming file:line:column. XML inputs declare
     * their own encoding; FollowTheMoney lines are UTF-8 by definition. */
    const char *encoding;
    /* ISO 4217 list (data/currencies.csv: code,minor_units,name); NULL: codes are
     * only checked for their form (three or four capital letters). */
    const char *currencies_path;
    /* "NAME=CODE" pairs (--currency-alias EURO=EUR), tried before the list. */
    const char *const *currency_aliases;
    int64_t n_currency_aliases;
    /* Time zone of timestamps written without one: NULL or "UTC", an IANA name
     * ("Europe/Berlin", read from zoneinfo_dir) or a fixed offset ("+02:00"). */
    const char *timezone;
    const char *zoneinfo_dir;     /* NULL: /usr/share/zoneinfo */
    /* strftime-like format of dates and times (%d.%m.%Y, %m/%d/%Y %H:%M), or NULL
     * for the ISO forms and epoch integers. */
    const char *date_format;
    /* Statements of both sides of a payment: dates at most this many days apart
     * match (default 3; see iffnet-ingest(1)). */
    int64_t match_days;
    /* Called now and then with bytes read so far and the file size (0 if unknown). */
    void (*progress)(void *arg, const char *what, int64_t done, int64_t total);
    void *progress_arg;
} iffnet_ingest_opts_t;

void iffnet_ingest_opts_default(iffnet_ingest_opts_t *o);

/* Applies a built-in preset ("native", "amlsim", "amlsim-sample", "amlworld",
 * "statement", "csv-camt"). */
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
    /* Facts the user must hear that are not errors (values that differed between
     * two reports of one person, unknown FtM schemata, ...): n_notes counted,
     * the first notes_kept kept. */
    int64_t n_notes, notes_kept;
    char **notes;
} iffnet_ingest_report_t;

void iffnet_ingest_report_destroy(iffnet_ingest_report_t *r);

/* What a source file holds. */
typedef enum {
    IFFNET_SRC_TRANSACTIONS,   /* CSV, one row per transfer (-t) */
    IFFNET_SRC_ENTITIES,       /* CSV (-e) */
    IFFNET_SRC_RELATIONS,      /* CSV (-r) */
    IFFNET_SRC_ACCOUNTS,       /* AMLSim accounts.csv (--accounts) */
    IFFNET_SRC_RATES,          /* currency,rate or date,currency,rate (--rates); at most one */
    IFFNET_SRC_GOAML,          /* goAML XML report (--goaml) */
    IFFNET_SRC_FTM,            /* FollowTheMoney entities, one JSON object a line (--ftm) */
    IFFNET_SRC_STATEMENT,      /* CSV statement of one account (--statement-of ACCOUNT -t) */
    IFFNET_SRC_CAMT            /* ISO 20022 camt.053 bank-to-customer statement (--camt) */
} iffnet_source_kind_t;

typedef struct {
    iffnet_source_kind_t kind;
    const char *path;          /* "-" reads standard input; with data, the name in messages and provenance */
    const char *account;       /* IFFNET_SRC_STATEMENT: the account the statement is of */
    /* The file's bytes when the caller holds them already (NULL: read path).
     * Read in place, so they must live until iffnet_ingest_sources() returns;
     * compressed bytes are recognised as a file's are. */
    const void *data;
    size_t size;
} iffnet_source_t;

/* Reads the n sources into `c` (not initialised by the caller): entity and
 * account files first, then every transaction source in the order given, then
 * relation files, then the rates. On IFFNET_EDATA the report lists the bad rows
 * and `c` is destroyed. O(rows log rows) (the sort by time). */
int iffnet_ingest_sources(iffnet_case_t *c, const iffnet_source_t *sources, int64_t n,
                          const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *report);

/* Reads the files into `c` (not initialised by the caller). Any of entities,
 * relations, rates may be NULL. On IFFNET_EDATA the report lists the bad rows and
 * `c` is destroyed. "-" reads standard input; gzip input is recognised by its magic
 * bytes. O(rows log rows) (the sort by time). */
int iffnet_ingest(iffnet_case_t *c, const char *tx_path, const char *entities_path,
                  const char *relations_path, const char *rates_path,
                  const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *report);

#endif
