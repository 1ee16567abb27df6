/* report.h: the case report (HTML or Markdown) an investigator can hand on.
 *
 * The report renders what it is given: a case, an alert list, and optionally a
 * community membership, an account ranking, shared-identifier groups and tracing
 * results, all as plain structs below. Who produced them (the analyses run by
 * `iffnet report` itself, or files written earlier by `iffnet detect`,
 * `iffnet communities`, `iffnet trace`) does not matter to the renderer; a missing
 * input is left out with a visible note, never faked.
 *
 * Ownership: everything in iffnet_report_input_t is borrowed; the report keeps no
 * pointer after iffnet_report_write() returns. Structs the report helpers fill
 * (iffnet_report_trace_t, iffnet_report_groups_t) are owned by the caller and
 * released with their _destroy.
 */
#ifndef IFFNET_REPORT_H
#define IFFNET_REPORT_H

#include "case.h"
#include "alert.h"
#include "detect.h"

typedef enum { IFFNET_REPORT_HTML = 0, IFFNET_REPORT_MD } iffnet_report_format_t;

/* Where traced money ended up under one tracing rule. */
typedef struct {
    char *rule;               /* "fifo", "lifo", "pro_rata", "lp_max", ... */
    char *description;        /* one sentence, or NULL */
    iffnet_money_t tainted;   /* taint traced from the sources, value currency */
    int64_t n_dest;
    int64_t *dest_account;    /* account indices, by amount descending */
    iffnet_money_t *dest_amount; /* held + left */
    iffnet_money_t *dest_held;   /* still held by the account at the end */
    iffnet_money_t *dest_left;   /* left the case from the account (cash, abroad, outside) */
    /* The sums of dest_amount, dest_held and dest_left, formed in checked
     * arithmetic when the rule is added (a rule that does not conserve money
     * counts it again at every account, so they can exceed the case's total). */
    iffnet_money_t sum_amount, sum_held, sum_left;
} iffnet_report_trace_rule_t;

typedef struct {
    int backward;             /* 0: forward from the sources, dest_* where the money ended;
                                 1: backward to the sources, dest_* where the money that
                                 reached them came from (dest_amount; held and left 0) */
    int64_t n_sources;
    int64_t *sources;         /* account indices the taint starts from (backward: ends at) */
    int64_t n_rules;
    iffnet_report_trace_rule_t *rules;
} iffnet_report_trace_t;

void iffnet_report_trace_init(iffnet_report_trace_t *t);
void iffnet_report_trace_destroy(iffnet_report_trace_t *t);

/* Entities tied by a shared identifier (address, phone, director...). */
typedef struct {
    char *by;                 /* "address", "phone", "director", ... */
    char *value;
    int64_t n;
    int64_t *entities;        /* entity indices */
} iffnet_report_group_t;

typedef struct {
    int64_t n, cap;
    iffnet_report_group_t *items;
} iffnet_report_groups_t;

void iffnet_report_groups_init(iffnet_report_groups_t *g);
void iffnet_report_groups_destroy(iffnet_report_groups_t *g);

/* The subject of a subject-centred report (iffnet report --subject ID): an
 * account, a person or a company, its accounts, and its money traced both ways. */
typedef struct {
    char *id;                 /* as given */
    int64_t entity;           /* the person or company, or -1 (an account without a profile) */
    int64_t account;          /* the account when the id names one, else -1 */
    int64_t n_accounts;       /* its accounts: the n_own it holds first, then those of the */
    int64_t n_own;            /* companies it directs or owns (relations director_of, owns) */
    int64_t *accounts;
    iffnet_report_trace_t out, in;  /* forward from its accounts; backward to them */
    int have_out, have_in;
} iffnet_report_subject_t;

void iffnet_report_subject_init(iffnet_report_subject_t *s);
void iffnet_report_subject_destroy(iffnet_report_subject_t *s);
/* Finds the subject `id` (an account id, else an entity id) and its accounts.
 * IFFNET_EDATA naming the id when the case has neither. O(accounts + relations). */
int iffnet_report_subject_find(iffnet_report_subject_t *s, iffnet_case_t *c, const char *id);

/* One file the report was made from (chain of custody). */
typedef struct {
    const char *role;         /* "case", "alerts", "communities", "trace" */
    const char *path;
    char sha256[65];
    int64_t size;
} iffnet_report_file_t;

typedef struct {
    const iffnet_case_t *c;
    const iffnet_alert_list_t *alerts;  /* NULL: no detection available */
    /* Community of each account (-1: none); NULL when not available. */
    const int64_t *community;
    const char *community_method;       /* e.g. "leiden (file communities.csv)" */
    /* Risk per account (0..1, ranking order); NULL when not available. */
    const double *risk;
    /* Reasons of an account's risk ("; "-joined), may be NULL. */
    char *const *risk_reasons;
    /* Centrality per account (e.g. PageRank); NULL when not available. */
    const double *centrality;
    const char *centrality_method;
    const iffnet_report_groups_t *groups;  /* NULL when not available */
    const iffnet_report_trace_t *trace;    /* NULL when not available */
    const iffnet_report_subject_t *subject; /* NULL: a report of the whole case */
    /* Visible notes: analyses left out and why. */
    int64_t n_notes;
    const char *const *notes;
    /* Provenance of the report itself. */
    int64_t n_files;
    const iffnet_report_file_t *files;
    const char *command_line;
    iffnet_time_t date;                 /* SOURCE_DATE_EPOCH or now */
    unsigned long seed;
} iffnet_report_input_t;

typedef struct {
    iffnet_report_format_t format;
    int pseudonymize;          /* replace names and ids consistently */
    int64_t max_alert_details; /* alerts with a full section (default 50); all are listed */
    int64_t max_picture_nodes; /* nodes drawn per network picture (default 40) */
    int64_t max_tx_rows;       /* transaction rows per alert (default 40) */
} iffnet_report_opts_t;

void iffnet_report_opts_default(iffnet_report_opts_t *o);

/* Writes the report to fp. Every alert appears (the top max_alert_details with a
 * section of their own: reasons, evidence picture, transactions, time line; the
 * rest in a table). Output is a function of the input and options only (layouts
 * are seeded with in->seed), so golden tests are byte-stable.
 * Time: O(n_tx + n_accounts log n_accounts + sum of alert sizes); pictures are
 * bounded by max_picture_nodes. */
int iffnet_report_write(const iffnet_report_input_t *in, const iffnet_report_opts_t *o, FILE *fp);

/* Reads a community membership CSV (header `account,community`, or `id,community` as
 * `iffnet communities --membership` writes it; community an
 * integer >= 0) into *membership (malloc'd, n_accounts entries, -1 when absent).
 * Unknown accounts and bad numbers fail with file:line (IFFNET_EDATA). O(rows). */
int iffnet_report_read_communities(const iffnet_case_t *c, const char *path,
                                   int64_t **membership);

/* ---- gathering the inputs ----
 * What `iffnet report` feeds the renderer: earlier outputs read from files, or the
 * analyses run here through the other modules' library calls. Everything gathered is
 * owned by the iffnet_report_data_t; an analysis that is unavailable or fails leaves
 * a note (shown in the report) instead of a result. */
typedef struct {
    iffnet_alert_list_t alerts;
    int have_alerts;
    int64_t *community;          /* per account, or NULL */
    char *community_method;
    double *risk;                /* per account, or NULL */
    char **risk_reasons;         /* per account (NULL entries), or NULL */
    int64_t n_risk_reasons;
    double *centrality;          /* per account, or NULL */
    char *centrality_method;
    iffnet_report_groups_t groups;
    int have_groups;
    iffnet_report_trace_t trace;
    int have_trace;
    iffnet_report_subject_t subject;
    int have_subject;
    int64_t n_notes, cap_notes;
    char **notes;
    char timing[256];            /* wall time of each analysis run (for -v) */
} iffnet_report_data_t;

void iffnet_report_data_init(iffnet_report_data_t *d);
void iffnet_report_data_destroy(iffnet_report_data_t *d);

/* Adds a visible note (printf-style). */
int iffnet_report_data_note(iffnet_report_data_t *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reads `iffnet detect` alerts (JSON Lines). Errors name file:line. O(size). */
int iffnet_report_load_alerts(iffnet_report_data_t *d, iffnet_case_t *c, const char *path);
/* Reads a community membership CSV (see iffnet_report_read_communities). */
int iffnet_report_load_communities(iffnet_report_data_t *d, iffnet_case_t *c, const char *path);
/* Reads the JSON written by `iffnet trace`. Errors name file:line:column. */
int iffnet_report_load_trace(iffnet_report_data_t *d, iffnet_case_t *c, const char *path);

/* Makes the report subject-centred: finds `id` (iffnet_report_subject_find);
 * iffnet_report_analyse_with() then traces its money both ways. */
int iffnet_report_set_subject(iffnet_report_data_t *d, iffnet_case_t *c, const char *id);

/* Keeps the alerts that the list options select (typologies; without o->all, no alert ranked low),
 * so that a report of a loaded alerts file shows the list detect would. O(A). */
void iffnet_report_filter_alerts(iffnet_report_data_t *d, const iffnet_detect_opts_t *o);

/* How iffnet_report_analyse_with() runs the analyses. */
typedef struct {
    const char *datadir;                 /* indicator lists */
    unsigned long seed;
    const iffnet_detect_opts_t *detect;  /* the list options, as detect's; NULL: detect's defaults */
    iffnet_config_t *cfg;                /* settings (and watchlist.file); NULL: none */
} iffnet_report_run_t;

/* Runs every analysis not yet present in d: detection (the typologies and
 * settings of ro, as detect runs them), account risk, Leiden communities and
 * PageRank on the account network, shared-identifier groups, and a forward trace
 * from where the top alerts start; for a subject, its traces both ways. Returns an
 * error only for memory failure or bad settings; an analysis that fails or is not
 * available is left out with a note. Time: the sum of the analyses'. */
int iffnet_report_analyse_with(iffnet_report_data_t *d, iffnet_case_t *c, const iffnet_report_run_t *ro);
/* iffnet_report_analyse_with() with detect's defaults and no settings. */
int iffnet_report_analyse(iffnet_report_data_t *d, iffnet_case_t *c, const char *datadir,
                          unsigned long seed);

/* Points the renderer's input at what d holds (in->c and provenance are left to the caller). */
void iffnet_report_data_input(const iffnet_report_data_t *d, iffnet_report_input_t *in);

#endif
