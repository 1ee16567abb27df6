/* case.h: the case: accounts, transactions, entities, relations and provenance,
 * held in columnar arrays; saved to and loaded from a binary case file.
 *
 * Transactions are sorted by (time, input order): transaction index i is also
 * edge id i of the network built by iffnet_case_graph(). All analysis modules read
 * a case through this struct and keep per-transaction or per-account results in
 * their own arrays indexed the same way.
 */
#ifndef IFFNET_CASE_H
#define IFFNET_CASE_H

#include <string.h>
#include <igraph.h>
#include "common.h"
#include "strtab.h"

#define IFFNET_CASE_FORMAT_VERSION 1

/* One input file and what became of its rows. */
typedef struct {
    char *role;            /* "transactions", "entities", "relations", "rates", "goaml", "ftm",
                            * "statement", "camt" */
    char *path;            /* as given on the command line */
    char sha256[65];       /* hex digest of the file's bytes as stored (compressed if .gz) */
    int64_t size;          /* bytes read from the file */
    int64_t rows_read, rows_accepted, rows_rejected;
    int64_t rows_merged;   /* accepted rows that repeat a payment of an earlier file */
} iffnet_input_t;

typedef struct {
    char *version;         /* iffnet version that wrote the case */
    char *command_line;
    char *preset;          /* "native", "amlsim", ... */
    iffnet_time_t created; /* ingest time (SOURCE_DATE_EPOCH when set) */
    int64_t n_inputs;
    iffnet_input_t *inputs;
    int64_t tx_merged;     /* transactions given by two files with the same content: kept once */
    int64_t tx_matched;    /* statement rows of both sides of a payment matched into one */
    char *timezone;        /* zone of timestamps written without one ("UTC" by default) */
    int64_t local_times;   /* timestamps read in that zone */
} iffnet_provenance_t;

typedef struct {
    /* Accounts: ids as in the input. */
    int64_t n_accounts;
    iffnet_strtab_t account_ids;
    int64_t *account_entity;   /* entity record of the account itself (kind account), or -1 */
    int64_t *account_holder;   /* entity that holds the account (holds_account), or -1 */

    /* Transactions, sorted by time. */
    int64_t n_tx;
    iffnet_strtab_t tx_ids;    /* tx_ids string i is the id of transaction i */
    iffnet_time_t *tx_time;
    int32_t *tx_src, *tx_dst;  /* account indices */
    iffnet_money_t *tx_amount; /* minor units of tx_currency */
    int32_t *tx_currency;      /* index into currencies */
    iffnet_money_t *tx_recv_amount; /* amount received (same as amount when the input has none) */
    int32_t *tx_recv_currency;
    int32_t *tx_channel;       /* index into channels, -1 when unknown */
    int64_t *tx_reference;     /* index into text, -1 when empty */
    iffnet_money_t *tx_base;   /* amount in the base currency, or NULL without rates */
    int64_t *tx_line;          /* input line of the record (for evidence) */
    int32_t *tx_input;         /* its file: index into prov.inputs; NULL when every
                                * transaction is from input tx_input_all */
    int32_t tx_input_all;

    /* Currencies (ISO codes) and channels (payment formats). */
    iffnet_strtab_t currencies;
    int32_t *currency_scale;   /* decimals of each currency's minor unit */
    int64_t *currency_rate;    /* rate to base in 1e-9 units, 0 = unknown; NULL without rates */
    int32_t base_currency;     /* -1 without rates */
    iffnet_strtab_t channels;

    /* Entities: people, companies, accounts, banks. */
    int64_t n_entities;
    iffnet_strtab_t entity_ids;
    int64_t *entity_kind, *entity_name, *entity_country, *entity_sector; /* text index or -1 */
    int64_t n_attrs;           /* further columns of the entities file */
    iffnet_strtab_t attr_names;
    int64_t *entity_attr;      /* n_entities x n_attrs, row-major, text index or -1 */

    /* Relations between entities or accounts. Each end is an entity index
     * (>= 0 in *_entity) and/or an account index (>= 0 in *_account). */
    int64_t n_relations;
    int64_t *rel_src_entity, *rel_src_account;
    int64_t *rel_dst_entity, *rel_dst_account;
    int64_t *rel_type;         /* text index */

    iffnet_strtab_t text;      /* names, countries, sectors, references, attribute values */
    iffnet_provenance_t prov;
} iffnet_case_t;

/* An empty case. */
int iffnet_case_init(iffnet_case_t *c);
void iffnet_case_destroy(iffnet_case_t *c);

/* Writes the case to `path` atomically (temporary file, fsync, rename). O(size). */
int iffnet_case_save(const iffnet_case_t *c, const char *path);

/* Writes the case file's bytes to fp (a stream the caller owns: a pipe, memory
 * from open_memstream); iffnet_case_save() is this into an atomic output. */
int iffnet_case_write(const iffnet_case_t *c, FILE *fp);

/* Loads a case file; refuses truncated or corrupted files (IFFNET_ECORRUPT) with a
 * message naming the file and the damaged section. `c` must not be initialised. */
int iffnet_case_load(iffnet_case_t *c, const char *path);
/* The same from size bytes at data (a case file held in memory), named `name`
 * in messages; every check of the loader applies. */
int iffnet_case_load_mem(iffnet_case_t *c, const char *name, const void *data, size_t size);

/* Builds the directed multigraph: vertex = account, edge i = transaction i.
 * `graph` must not be initialised; the caller destroys it. O(V + E). */
int iffnet_case_graph(const iffnet_case_t *c, igraph_t *graph);

/* The pseudo-account of cash (iffnet-formats(5)): the source of every cash
 * deposit and the target of every withdrawal. Not a party: everyone's cash
 * counterparty, so never a member of a network structure. */
#define IFFNET_CASH_ACCOUNT "CASH"

/* Convenience look-ups. */
int64_t iffnet_case_find_account(iffnet_case_t *c, const char *id);
/* The index of the CASH pseudo-account, or -1 when the case has none. O(V). */
int64_t iffnet_case_cash_account(const iffnet_case_t *c);
static inline const char *iffnet_case_account_id(const iffnet_case_t *c, int64_t a)
{ return iffnet_strtab_get(&c->account_ids, a); }
static inline int iffnet_case_is_cash(const iffnet_case_t *c, int64_t a)
{ return strcmp(iffnet_strtab_get(&c->account_ids, a), IFFNET_CASH_ACCOUNT) == 0; }
static inline const char *iffnet_case_tx_id(const iffnet_case_t *c, int64_t t)
{ return iffnet_strtab_get(&c->tx_ids, t); }
/* The input (prov.inputs index) transaction t was read from. */
static inline int32_t iffnet_case_tx_input(const iffnet_case_t *c, int64_t t)
{ return c->tx_input ? c->tx_input[t] : c->tx_input_all; }
static inline const char *iffnet_case_text(const iffnet_case_t *c, int64_t i)
{ return iffnet_strtab_get(&c->text, i); }
static inline const char *iffnet_case_currency(const iffnet_case_t *c, int32_t k)
{ return iffnet_strtab_get(&c->currencies, k); }

/* The entity that describes account a: its own entity record, else its holder, else -1. */
int64_t iffnet_case_account_profile(const iffnet_case_t *c, int64_t a);
/* Name, country and sector of account a from its profile entity ("" when unknown). */
const char *iffnet_case_account_name(const iffnet_case_t *c, int64_t a);
const char *iffnet_case_account_country(const iffnet_case_t *c, int64_t a);
const char *iffnet_case_account_sector(const iffnet_case_t *c, int64_t a);
/* Value of entity attribute `name` for entity e, "" when absent. */
const char *iffnet_case_entity_attr(const iffnet_case_t *c, int64_t e, const char *name);

/* Amount of transaction t comparable across the case: the base-currency amount when
 * rates were given; otherwise the amount itself, and *mixed (if not NULL) is set when
 * the case holds more than one currency (sums across currencies are then not meaningful). */
iffnet_money_t iffnet_case_tx_value(const iffnet_case_t *c, int64_t t);
/* The currency that iffnet_case_tx_value() is in: base currency, or the case's
 * only/most common currency. */
int32_t iffnet_case_value_currency(const iffnet_case_t *c);
/* 1 when the case mixes currencies and has no rates. */
int iffnet_case_mixed_currencies(const iffnet_case_t *c);

/* Formats an amount of currency k, e.g. "48,300.00 EUR" (group != 0 for separators). */
int iffnet_case_format_money(const iffnet_case_t *c, char *buf, size_t size, iffnet_money_t v,
                             int32_t k, int with_code);

#endif
