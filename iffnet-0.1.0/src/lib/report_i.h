/* report_i.h: state shared by the report's source files (private). */
#ifndef IFFNET_REPORT_I_H
#define IFFNET_REPORT_I_H

#include "internal.h"
#include "iffnet/report.h"
#include "svg.h"

typedef struct {
    const iffnet_report_input_t *in;
    const iffnet_report_opts_t *o;
    const iffnet_case_t *c;
    FILE *fp;
    int md;                    /* Markdown instead of HTML */
    int32_t vcur;              /* currency of iffnet_case_tx_value() */
    int64_t n_alerts;
    /* Per account. */
    iffnet_money_t *acc_in, *acc_out;
    int64_t *acc_ntx, *acc_nalerts;
    double *acc_score;         /* highest alert score, -1 when not flagged */
    /* Per transaction: 1 when in some alert. */
    char *tx_flag;
    /* Per alert: value, first and last time of its transactions. */
    iffnet_money_t *al_amount;
    iffnet_time_t *al_first, *al_last;
    iffnet_money_t total;      /* value of all transactions */
    iffnet_time_t t_first, t_last;
    int64_t n_flagged_acc, n_flagged_tx;
    iffnet_money_t flagged_value;
    int64_t tables;            /* columns of the open table */
    int row_open;
} rep_t;

/* Output helpers (report_text.c): escaped text, headings, tables, paragraphs. */
void rep_esc(rep_t *r, const char *s);
void rep_raw(rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rep_heading(rep_t *r, int level, const char *anchor, const char *text);
void rep_para(rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rep_note(rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rep_table(rep_t *r, int ncols, const char *const *head);
void rep_cell(rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rep_cell_link(rep_t *r, const char *anchor, const char *text);
void rep_row_end(rep_t *r);
void rep_table_end(rep_t *r);
void rep_list_item(rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rep_list_end(rep_t *r);

/* Names as shown: pseudonyms under --pseudonymize. buf >= 96 bytes. */
const char *rep_acc_id(const rep_t *r, int64_t a, char *buf, size_t n);
const char *rep_acc_label(const rep_t *r, int64_t a, char *buf, size_t n);
const char *rep_entity_label(const rep_t *r, int64_t e, char *buf, size_t n);
const char *rep_tx_id(const rep_t *r, int64_t t, char *buf, size_t n);
/* Reason text with the alert's names and ids replaced (fresh string). */
char *rep_pseudo_text(const rep_t *r, const iffnet_alert_t *al, const char *s);
/* Money in the value currency with its code. */
const char *rep_money(const rep_t *r, iffnet_money_t v, char *buf, size_t n);
double rep_major(const rep_t *r, iffnet_money_t v, int32_t k);
const char *rep_date(iffnet_time_t t, char *buf, size_t n);

/* Sections. */
int rep_charts(rep_t *r);                 /* report_charts.c */
void rep_methodology(rep_t *r);           /* report_text.c */
void rep_provenance(rep_t *r);
int rep_network_alert(rep_t *r, const iffnet_alert_t *al, int64_t k);  /* report_net.c */
int rep_network_overview(rep_t *r);
void rep_trace(rep_t *r);                 /* report_sections.c */
void rep_communities(rep_t *r);
void rep_central(rep_t *r);
void rep_groups(rep_t *r);

/* Runs a forward trace from the highest-risk accounts into d (report_trace.c). */
int iffnet_i_report_run_trace(iffnet_report_data_t *d, const iffnet_case_t *c);
/* What a tracing rule means, or NULL (report_text.c). */
const char *rep_rule_text(const char *rule);

/* A node's fill colour: by community, else by risk, else by alert score. */
const char *rep_node_fill(const rep_t *r, int64_t a);

#endif
