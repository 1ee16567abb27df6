/* ingest.c: the ingest driver: options, presets, and the order in which the
 * sources are read into the sink (ingest_sink.c).
 *
 * Order: entity and account files (so later sources complete known entities),
 * then every transaction source in the order given, then the sink merges,
 * sorts by time and links accounts, then relation files, then rates. */
#include <time.h>
#include "case_internal.h"

void iffnet_ingest_opts_default(iffnet_ingest_opts_t *o)
{
    static const iffnet_amount_syntax_t as = IFFNET_AMOUNT_SYNTAX_DEFAULT;
    static const iffnet_time_syntax_t ts = IFFNET_TIME_SYNTAX_DEFAULT;
    memset(o, 0, sizeof *o);
    o->delimiter = ',';
    o->amount_syntax = as;
    o->time_syntax = ts;
    o->max_errors = 20;
    o->preset = "native";
    o->created = -1;
    o->match_days = 3;
}

int iffnet_ingest_preset(iffnet_ingest_opts_t *o, const char *name)
{
    if (strcmp(name, "native") == 0) {
        o->preset = "native";
    } else if (strcmp(name, "amlsim") == 0) {
        /* AMLSim converted output: transactions.csv (+ accounts.csv). */
        o->tx_col[IFFNET_F_TX_ID] = "tran_id";
        o->tx_col[IFFNET_F_TIMESTAMP] = "tran_timestamp";
        o->tx_col[IFFNET_F_SOURCE] = "orig_acct";
        o->tx_col[IFFNET_F_TARGET] = "bene_acct";
        o->tx_col[IFFNET_F_AMOUNT] = "base_amt";
        o->tx_col[IFFNET_F_CHANNEL] = "tx_type";
        o->default_currency = "USD";
        o->preset = "amlsim";
    } else if (strcmp(name, "amlsim-sample") == 0) {
        /* IBM's published AMLSim samples: integer steps, no ids, no currency. */
        o->tx_col[IFFNET_F_SOURCE] = "sourceNodeId";
        o->tx_col[IFFNET_F_TARGET] = "targetNodeId";
        o->tx_col[IFFNET_F_AMOUNT] = "value";
        o->tx_col[IFFNET_F_TIMESTAMP] = "time";
        o->time_syntax.steps = 1;
        if (!o->time_syntax.epoch) o->time_syntax.epoch = iffnet_days_from_civil(2017, 1, 1) * 86400;
        o->default_currency = "USD";
        o->preset = "amlsim-sample";
    } else if (strcmp(name, "amlworld") == 0) {
        /* AMLworld *_Trans.csv: the header repeats "Account", so map by position. */
        o->tx_col[IFFNET_F_TIMESTAMP] = "#1";
        o->tx_col[IFFNET_F_SOURCE_BANK] = "#2";
        o->tx_col[IFFNET_F_SOURCE] = "#3";
        o->tx_col[IFFNET_F_TARGET_BANK] = "#4";
        o->tx_col[IFFNET_F_TARGET] = "#5";
        o->tx_col[IFFNET_F_RECV_AMOUNT] = "#6";
        o->tx_col[IFFNET_F_RECV_CURRENCY] = "#7";
        o->tx_col[IFFNET_F_AMOUNT] = "#8";
        o->tx_col[IFFNET_F_CURRENCY] = "#9";
        o->tx_col[IFFNET_F_CHANNEL] = "#10";
        o->preset = "amlworld";
    } else if (strcmp(name, "statement") == 0) {
        /* A one-account statement with English column names (iffnet-ingest(1)). */
        o->tx_col[IFFNET_F_TIMESTAMP] = "date";
        o->preset = "statement";
    } else if (strcmp(name, "csv-camt") == 0) {
        /* The German savings banks' "CSV-CAMT" statement export: ';', decimal comma,
         * dd.mm.yy dates, signed amount in Betrag. */
        o->tx_col[IFFNET_F_TIMESTAMP] = "Buchungstag";
        o->tx_col[IFFNET_F_AMOUNT] = "Betrag";
        o->tx_col[IFFNET_F_CURRENCY] = "Waehrung";
        o->tx_col[IFFNET_F_COUNTERPARTY] = "Kontonummer/IBAN";
        o->tx_col[IFFNET_F_COUNTERPARTY_NAME] = "Beguenstigter/Zahlungspflichtiger";
        o->tx_col[IFFNET_F_REFERENCE] = "Verwendungszweck";
        o->tx_col[IFFNET_F_CHANNEL] = "Buchungstext";
        o->delimiter = ';';
        o->amount_syntax.decimal_mark = ',';
        o->amount_syntax.thousands_sep = '.';
        o->date_format = "%d.%m.%y";
        o->preset = "csv-camt";
    } else {
        return iffnet_i_seterr(IFFNET_EINVAL, "unknown preset '%s' (known: native, amlsim, amlsim-sample, amlworld, statement, csv-camt)", name);
    }
    return IFFNET_OK;
}

void iffnet_ingest_report_destroy(iffnet_ingest_report_t *r)
{
    for (int64_t i = 0; i < r->n_kept; i++) free(r->errors[i].message);
    free(r->errors);
    for (int64_t i = 0; i < r->notes_kept; i++) free(r->notes[i]);
    free(r->notes);
    memset(r, 0, sizeof *r);
}


static int set_provenance(iffnet_case_t *c, const iffnet_ingest_opts_t *o)
{
    c->prov.created = o->created >= 0 ? o->created : (iffnet_time_t)time(NULL);
    c->prov.version = iffnet_i_strdup(iffnet_version());
    c->prov.command_line = iffnet_i_strdup(o->command_line ? o->command_line : "");
    c->prov.preset = iffnet_i_strdup(o->preset ? o->preset : "native");
    if (!c->prov.version || !c->prov.command_line || !c->prov.preset)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    /* Newlines would break the case file's META block. */
    for (char *p = c->prov.command_line; *p; p++)
        if (*p == '\n' || *p == '\t') *p = ' ';
    return IFFNET_OK;
}

static int is_tx_source(iffnet_source_kind_t k)
{
    return k == IFFNET_SRC_TRANSACTIONS || k == IFFNET_SRC_GOAML || k == IFFNET_SRC_FTM ||
           k == IFFNET_SRC_STATEMENT || k == IFFNET_SRC_CAMT;
}

static int read_source(iffnet_i_sink_t *g, const iffnet_source_t *s)
{
    switch (s->kind) {
    case IFFNET_SRC_TRANSACTIONS: return iffnet_i_read_tx_csv(g, s->path);
    case IFFNET_SRC_ENTITIES: return iffnet_i_read_entities_csv(g, s->path, 0);
    case IFFNET_SRC_ACCOUNTS: return iffnet_i_read_entities_csv(g, s->path, 1);
    case IFFNET_SRC_RELATIONS: return iffnet_i_read_relations_csv(g, s->path);
    case IFFNET_SRC_RATES: return iffnet_i_read_rates(g, s->path);
    case IFFNET_SRC_GOAML: return iffnet_i_read_goaml(g, s->path);
    case IFFNET_SRC_FTM: return iffnet_i_read_ftm(g, s->path);
    case IFFNET_SRC_STATEMENT: return iffnet_i_read_statement_csv(g, s->path, s->account);
    case IFFNET_SRC_CAMT: return iffnet_i_read_camt(g, s->path);
    }
    return iffnet_i_seterr(IFFNET_EINVAL, "unknown kind of source");
}

static int check_sources(const iffnet_source_t *s, int64_t n)
{
    int64_t rates = 0, tx = 0, accounts = 0, entities = 0;
    for (int64_t i = 0; i < n; i++) {
        rates += s[i].kind == IFFNET_SRC_RATES;
        tx += is_tx_source(s[i].kind);
        accounts += s[i].kind == IFFNET_SRC_ACCOUNTS;
        entities += s[i].kind == IFFNET_SRC_ENTITIES;
        if (!s[i].path) return iffnet_i_seterr(IFFNET_EINVAL, "a source without a file name");
        if (s[i].kind == IFFNET_SRC_STATEMENT && (!s[i].account || !*s[i].account))
            return iffnet_i_seterr(IFFNET_EINVAL, "statement '%s': whose account it is must be given (--statement-of)", s[i].path);
    }
    if (rates > 1) return iffnet_i_seterr(IFFNET_EINVAL, "give one rates file");
    if (accounts && entities) return iffnet_i_seterr(IFFNET_EINVAL, "give either an accounts file or an entities file, not both");
    if (tx == 0) return iffnet_i_seterr(IFFNET_EINVAL, "no transaction source (-t, --goaml, --ftm, --camt)");
    return IFFNET_OK;
}

/* Runs the readers of one phase: entities, transaction sources, relations, rates. */
static int read_phase(iffnet_i_sink_t *g, const iffnet_source_t *s, int64_t n, int phase)
{
    for (int64_t i = 0; i < n; i++) {
        int p = s[i].kind == IFFNET_SRC_ENTITIES || s[i].kind == IFFNET_SRC_ACCOUNTS ? 0
              : is_tx_source(s[i].kind) ? 1 : s[i].kind == IFFNET_SRC_RELATIONS ? 2 : 3;
        if (p == phase) IFFNET_TRY(read_source(g, &s[i]));
    }
    return IFFNET_OK;
}

int iffnet_ingest_sources(iffnet_case_t *c, const iffnet_source_t *sources, int64_t n,
                          const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *report)
{
    iffnet_i_sink_t *g = NULL;
    memset(report, 0, sizeof *report);
    iffnet_case_init(c);
    int err = check_sources(sources, n);
    if (!err) err = set_provenance(c, o);
    if (!err) err = iffnet_i_sink_new(&g, c, o, report);
    if (!err) err = read_phase(g, sources, n, 0);
    if (!err) err = read_phase(g, sources, n, 1);
    if (!err) err = iffnet_i_sink_finish_tx(g);
    if (!err) err = read_phase(g, sources, n, 2);
    if (!err) err = read_phase(g, sources, n, 3);
    if (!err && c->n_tx == 0) {
        const char *first = "";
        for (int64_t i = 0; i < n && !*first; i++)
            if (is_tx_source(sources[i].kind)) first = sources[i].path;
        err = iffnet_i_seterr(IFFNET_EDATA, "%s: no transactions were accepted", first);
    }
    if (!err) err = iffnet_i_sink_finish(g);
    iffnet_i_sink_free(g);
    if (err) iffnet_case_destroy(c);
    return err;
}

int iffnet_ingest(iffnet_case_t *c, const char *tx_path, const char *entities_path,
                  const char *relations_path, const char *rates_path,
                  const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *report)
{
    iffnet_source_t s[5];
    int64_t n = 0;
    if (o->accounts_path) s[n++] = (iffnet_source_t){IFFNET_SRC_ACCOUNTS, o->accounts_path, NULL};
    if (entities_path) s[n++] = (iffnet_source_t){IFFNET_SRC_ENTITIES, entities_path, NULL};
    s[n++] = (iffnet_source_t){IFFNET_SRC_TRANSACTIONS, tx_path, NULL};
    if (relations_path) s[n++] = (iffnet_source_t){IFFNET_SRC_RELATIONS, relations_path, NULL};
    if (rates_path) s[n++] = (iffnet_source_t){IFFNET_SRC_RATES, rates_path, NULL};
    return iffnet_ingest_sources(c, s, n, o, report);
}
