/* ingest_opts.c: ingest options, their defaults and the presets of known export
 * layouts. Below the readers (ingest_statement.c recognises the CSV-CAMT layout
 * by its header and applies its preset) and the driver (ingest.c). */
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


