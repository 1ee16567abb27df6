/* export.h: the case network (or a sub-network) for other tools: GraphML (Gephi,
 * Cytoscape, yEd), GEXF (Gephi), DOT (Graphviz, Gephi), Cytoscape.js JSON
 * (Cytoscape), and an i2 Analyst's Notebook entity list plus link list (CSV).
 *
 * Node = account, edge = transaction (a directed multigraph, as in the case).
 * GEXF is version 1.2 (Gephi, networkx); GraphML amounts are typed double.
 * Nodes carry name, country, sector, amounts in and out, transaction count, alert
 * ids, typologies and best score, and community; edges carry transaction id,
 * amount, currency, comparable value, time, channel and alert ids.
 *
 * Writers stream: memory is O(accounts + alert sizes), never O(output).
 * Ownership: iffnet_export_t borrows everything it points to; selections returned
 * by iffnet_export_select_*() are malloc'd and freed by the caller with free().
 */
#ifndef IFFNET_EXPORT_H
#define IFFNET_EXPORT_H

#include "case.h"
#include "alert.h"
#include "config.h"

typedef enum {
    IFFNET_EXPORT_GRAPHML = 0, IFFNET_EXPORT_GEXF, IFFNET_EXPORT_DOT, IFFNET_EXPORT_CSV,
    IFFNET_EXPORT_JSON, IFFNET_EXPORT_GOAML, IFFNET_EXPORT_FTM
} iffnet_export_format_t;

/* "graphml", "gexf", "dot", "csv", "json", "goaml", "ftm". Returns 0, or -1 when unknown. */
int iffnet_export_format_parse(const char *s, iffnet_export_format_t *f);

typedef struct {
    const iffnet_case_t *c;
    const char *select;                 /* per account: 1 = exported; NULL = all */
    const iffnet_alert_list_t *alerts;  /* for alert attributes; may be NULL */
    const int64_t *community;           /* per account, -1 none; may be NULL */
    const char *name;                   /* graph name, e.g. the case file */
    const iffnet_config_t *goaml_header; /* goaml: the reporting entity's fields; may be NULL */
    iffnet_time_t now;                  /* goaml: the submission date */
} iffnet_export_t;

/* Accounts named in the alerts. *sel gets n_accounts flags. O(V + alert sizes). */
int iffnet_export_select_alerts(const iffnet_case_t *c, const iffnet_alert_list_t *alerts, char **sel);
/* Accounts within `hops` transactions of `account`, either direction. O(V + E). */
int iffnet_export_select_ego(const iffnet_case_t *c, int64_t account, int64_t hops, char **sel);
/* Accounts of community k in `membership` (per account). Fails when k is empty. O(V). */
int iffnet_export_select_community(const iffnet_case_t *c, const int64_t *membership, int64_t k,
                                   char **sel);

/* Writes the selected accounts and the transactions between them as GraphML,
 * GEXF, DOT or JSON (not CSV: see iffnet_export_write_i2). O(V + E + alert sizes). */
int iffnet_export_write(const iffnet_export_t *x, iffnet_export_format_t f, FILE *fp);

/* A goAML report (schema 5.0.1) of the alerts' transactions (without alerts:
 * the transactions between selected accounts), their parties and the alerts'
 * reasons; header gives what the case lacks: rentity_id, rentity_branch,
 * reporting_user_code, location.address, location.city, location.country_code
 * (required), submission_code, report_code, entity_reference, fiu_ref_number,
 * currency_code_local, location.address_type, funds_code, country, indicators,
 * reason, action. O(tx log tx). */
int iffnet_export_write_goaml(const iffnet_export_t *x, const iffnet_config_t *header, iffnet_time_t now, FILE *fp);

/* Validates the XML document in fp (read from the start; `name` for messages)
 * against the XSD at xsd_path with libxml2's streaming schema validator. The
 * first error names the line and what is wrong. Leaves fp at its start. */
int iffnet_export_validate_xml(FILE *fp, const char *name, const char *xsd_path);

/* FollowTheMoney entities, one JSON object a line: BankAccount per account,
 * Person / Company / Organization / LegalEntity per entity, Payment per
 * transaction, Ownership / Directorship / UnknownLink per relation. What
 * `iffnet ingest --ftm` reads back into the same case. O(V + E + entities). */
int iffnet_export_write_ftm(const iffnet_export_t *x, FILE *fp);

/* i2 Analyst's Notebook import: an entity list (one row per account, then the
 * persons and companies behind them: the accounts' holders and the entities
 * related to those holders) and a link list (one row per transaction, then one
 * per relation among the listed: Holds, Director Of, Owns, ...), each with both
 * ends' entity type and identity; CSV with a header row, text cells kept from
 * being read as spreadsheet formulas. O(V + E + R + alert sizes). */
int iffnet_export_write_i2(const iffnet_export_t *x, FILE *entities, FILE *links);

/* The two file names of the i2 export for `-o out`: "out/entities.csv" and
 * "out/links.csv" when out is an existing directory or ends with '/', else
 * "out-entities.csv" and "out-links.csv". Both strings are malloc'd. */
int iffnet_export_i2_paths(const char *out, char **entities, char **links);

#endif
