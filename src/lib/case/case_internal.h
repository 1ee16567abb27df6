/* case_internal.h: the case module (private to the library).
 *
 * What a case is and how it travels: the in-memory case and its network
 * (case.c), the checksummed case file (casefile.c), ingest of transaction,
 * entity and relation files into a case (ingest.c), the summary of `iffnet info`
 * (summary.c), and alerts written out (alert.c) and read back (alert_read.c).
 * May call core/ only.
 */
#ifndef IFFNET_CASE_INTERNAL_H
#define IFFNET_CASE_INTERNAL_H

#include "core/core_internal.h"
#include "iffnet/ingest.h"

/* ---- the ingest sink (ingest_sink.c) ----
 *
 * Every reader of input files (CSV transactions, entities and relations, goAML
 * XML, FollowTheMoney entity streams, bank statements, CAMT.053) turns what it
 * reads into the same few calls: a source begins, transactions, entities,
 * entity and account attributes and relations are added, the source ends. The
 * sink checks what no reader can check alone (a transaction id seen in two
 * files, an entity described twice), keeps each row's file and line for
 * evidence and messages, and at the end builds the case: transactions sorted by
 * time, accounts linked to their entities, relations resolved, attributes laid
 * out. Strings are (pointer, length) pairs and need not be NUL-terminated;
 * the sink copies what it keeps. */
typedef struct iffnet_i_sink iffnet_i_sink_t;

/* A transaction as a reader found it. Amounts are minor units of their currency
 * (a checked ISO code; iffnet_i_sink_currency); recv_currency NULL means the
 * payee received the amount sent. id NULL: the sink makes one (the row number
 * for the first such source, "<input>#<row>" for later ones). */
typedef struct {
    const char *id; size_t id_len;
    int64_t row;                      /* 1-based record number in the source (for made ids) */
    iffnet_time_t time;
    const char *src; size_t src_len;
    const char *dst; size_t dst_len;
    iffnet_money_t amount;
    const char *currency;
    iffnet_money_t recv_amount;
    const char *recv_currency;
    const char *channel; size_t channel_len;   /* NULL or empty: unknown */
    const char *reference; size_t ref_len;     /* NULL or empty: none */
    int64_t line;                     /* line of the record in its file */
    /* iffnet_i_hash_bytes() of id, src and dst where the reader has them at
     * hand (bits of `hashed`: 1 id, 2 src, 4 dst); the sink makes the others. */
    uint64_t id_hash, src_hash, dst_hash;
    int hashed;
} iffnet_i_tx_t;

/* Starts a source: its provenance record (role, path) is added now, its hash and
 * counts by iffnet_i_sink_end_source. `what_id` names the transaction id field in
 * messages ("column 'tx_id'", "element 'transactionnumber'"). */
int iffnet_i_sink_begin_source(iffnet_i_sink_t *g, const char *role, const char *path, const char *what_id);
int iffnet_i_sink_end_source(iffnet_i_sink_t *g, iffnet_i_in_t *in, int64_t rows_read, int64_t rows_accepted);
/* The same for a CSV reader, which owns its input stream. */
int iffnet_i_sink_end_csv_source(iffnet_i_sink_t *g, iffnet_csv_t *r, int64_t rows_read, int64_t rows_accepted);

/* Adds a transaction. Returns IFFNET_OK (kept or merged with an equal one),
 * -1 (rejected and reported: go on) or an error. */
int iffnet_i_sink_tx(iffnet_i_sink_t *g, const iffnet_i_tx_t *t);

/* Adds entity `id` or, when it exists, completes it: an empty field takes the
 * new value; a different non-empty one is an error naming both places when
 * `strict` (CSV entity files), else the first value stays and the difference
 * is counted and noted. kind/name/country/sector may be NULL. *e gets the index. */
typedef struct {
    const char *id; size_t id_len;
    const char *kind, *name, *country, *sector;
    int64_t line;
    int strict;
} iffnet_i_entity_t;
int iffnet_i_sink_entity(iffnet_i_sink_t *g, const iffnet_i_entity_t *x, int64_t *e);
/* Attribute `name` of entity e: a new value is added to a ';'-joined list. */
int iffnet_i_sink_attr(iffnet_i_sink_t *g, int64_t e, const char *name, const char *value, size_t len);
/* An attribute of account `id`: kept on the account's own entity (kind account,
 * same id), made when missing. */
int iffnet_i_sink_account_attr(iffnet_i_sink_t *g, const char *id, size_t id_len, const char *name,
                               const char *value, size_t len);
/* A relation between two accounts or entities by id, resolved when the case is built. */
int iffnet_i_sink_relation(iffnet_i_sink_t *g, const char *src, size_t src_len, const char *dst,
                           size_t dst_len, const char *type, int64_t line);

/* Checks a currency code (or export name such as "Euro", or a --currency-alias)
 * against ISO 4217 (the list given in the options) and gives the code to store,
 * NULL when it is not a currency. */
const char *iffnet_i_sink_currency(iffnet_i_sink_t *g, const char *name, size_t len);
/* Parses a timestamp with the options' syntax, time zone and date format, and
 * counts the ones read in the local zone. */
int iffnet_i_sink_time(iffnet_i_sink_t *g, const char *s, size_t len, iffnet_time_t *t);
/* The same with another date format (NULL: the ISO forms), for a source whose
 * layout was recognised (ingest_statement.c). */
int iffnet_i_sink_time_fmt(iffnet_i_sink_t *g, const char *s, size_t len, const char *format, iffnet_time_t *t);

/* Reports a bad record at `line` of the current source: counted, kept for the
 * error list, written to the --skip-bad file with `record` (NULL: the current
 * CSV record, if any). Returns IFFNET_OK to go on, IFFNET_EDATA to stop. */
int iffnet_i_sink_bad(iffnet_i_sink_t *g, int64_t line, const char *record, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A note for the summary (not an error): counted, the first few kept. */
int iffnet_i_sink_note(iffnet_i_sink_t *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The options and the case being built (readers need the syntax settings and
 * look-ups). */
const iffnet_ingest_opts_t *iffnet_i_sink_opts(const iffnet_i_sink_t *g);
iffnet_case_t *iffnet_i_sink_case(iffnet_i_sink_t *g);
/* The CSV record a reader is on (for --skip-bad), or NULL. */
void iffnet_i_sink_set_csv(iffnet_i_sink_t *g, iffnet_csv_t *r);
/* Bad records seen so far; for a reader that must stop at its end when any was
 * seen without --skip-bad. */
int64_t iffnet_i_sink_errors(const iffnet_i_sink_t *g);
/* Fails with the first kept error when the current source had bad records and
 * --skip-bad is not given. */
int iffnet_i_sink_check_source(iffnet_i_sink_t *g, int64_t errors_before);
/* A relation whose ends are already resolved (CSV relation files, read after
 * the accounts are known); `type` is lower_snake. */
int iffnet_i_sink_add_resolved_relation(iffnet_i_sink_t *g, int64_t se, int64_t sa, int64_t de, int64_t da,
                                        const char *type);
/* The day (days since 1970-01-01) of UTC time t in the ingest's time zone. */
int64_t iffnet_i_sink_local_day(const iffnet_i_sink_t *g, iffnet_time_t t);
/* A name for an id across the sources of one ingest (FtM entity id -> account
 * number): set keeps the first value; get gives NULL when unknown. */
int iffnet_i_sink_ref_set(iffnet_i_sink_t *g, const char *key, const char *value);
const char *iffnet_i_sink_ref_get(iffnet_i_sink_t *g, const char *key);
/* Counts statement rows of both sides matched into one payment. */
void iffnet_i_sink_count_matched(iffnet_i_sink_t *g, int64_t n);
/* lower_snake copy (spaces and '-' to '_', ASCII lower case) for kinds, sectors,
 * channels and relation types; NUL bytes were refused by the reader. */
char *iffnet_i_lower_snake(const char *s, size_t len);

/* Opens a CSV input with the options' delimiter and --encoding and reads its
 * header; an empty file is an error. The reader refuses NUL bytes, invalid
 * UTF-8 and records over 16 MiB, naming file:line:column. */
int iffnet_i_csv_open_header(iffnet_csv_t **r, const iffnet_source_t *s, const iffnet_ingest_opts_t *o);
/* The bytes of a source: its file, or the memory it names (s->data). */
int iffnet_i_source_open(const iffnet_source_t *s, iffnet_i_in_t **in);
int iffnet_i_source_open_xml(const iffnet_source_t *s, iffnet_i_xr_t **x);

/* How the current source names its sent and received amounts in messages
 * ("column 'amount'"); without it, "the amount". */
int iffnet_i_sink_name_amounts(iffnet_i_sink_t *g, const char *sent, const char *received);
/* Refuses a column of amounts whose sum leaves 64 bits, naming the file and line
 * of the row where the running total stopped fitting (v[i] from input inp[i],
 * or inp_all when inp is NULL, at line[i]); what: the column's name, NULL for
 * the name the source gave (received: its received amounts). */
int iffnet_i_sink_check_sum(const iffnet_i_sink_t *g, const iffnet_money_t *v, int64_t n, const int32_t *inp,
                            int32_t inp_all, const int64_t *line, int received, const char *what);
/* Commits the --skip-bad file now: an ingest that fails because every row was
 * bad still writes it, since that file is how the user finds out why. */
int iffnet_i_sink_commit_skipped(iffnet_i_sink_t *g);

/* ---- the readers (one file each), called by the driver (ingest.c) ---- */
int iffnet_i_read_tx_csv(iffnet_i_sink_t *g, const iffnet_source_t *s);
int iffnet_i_read_entities_csv(iffnet_i_sink_t *g, const iffnet_source_t *s, int amlsim);
int iffnet_i_read_relations_csv(iffnet_i_sink_t *g, const iffnet_source_t *s);
int iffnet_i_read_rates(iffnet_i_sink_t *g, const iffnet_source_t *s);
int iffnet_i_read_goaml(iffnet_i_sink_t *g, const iffnet_source_t *s);
int iffnet_i_read_ftm(iffnet_i_sink_t *g, const iffnet_source_t *s);
int iffnet_i_read_statement_csv(iffnet_i_sink_t *g, const iffnet_source_t *s);
int iffnet_i_read_camt(iffnet_i_sink_t *g, const iffnet_source_t *s);

/* The sink's life: made for one ingest, finished into the case, freed. */
int iffnet_i_sink_new(iffnet_i_sink_t **g, iffnet_case_t *c, const iffnet_ingest_opts_t *o,
                      iffnet_ingest_report_t *rep);
/* After all transaction sources: merges, sorts by time, links accounts, resolves
 * the queued relations. Relation files and rates come after. */
int iffnet_i_sink_finish_tx(iffnet_i_sink_t *g);
/* Lays out entity attributes; last step. */
int iffnet_i_sink_finish(iffnet_i_sink_t *g);
void iffnet_i_sink_free(iffnet_i_sink_t *g);

/* ---- the case file (casefile.c) ---- */

/* Loads a case file mapped into memory (map != 0, falling back to pread where
 * it cannot be mapped) or with pread alone (map 0, what iffnet_case_load does);
 * the tests hold the two to the same result. */
int iffnet_i_case_load_file(iffnet_case_t *c, const char *path, int map);

#endif
