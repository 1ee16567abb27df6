/* report_internal.h: the report module (private to the library).
 *
 * What an investigator hands on: the self-contained HTML or Markdown report
 * (report.c renders, report_sections.c, report_net.c, report_charts.c and
 * report_trace.c draw its parts with report_text.c and the SVG pictures of
 * report_svg.c), its inputs (report_input.c, filled from files or by running the
 * analyses in report_run.c), and the exports for other tools (report_export.c).
 * The top of the library: may call every module but generate/ and evaluate/.
 */
#ifndef IFFNET_REPORT_INTERNAL_H
#define IFFNET_REPORT_INTERNAL_H

#include "core/core_internal.h"
#include "iffnet/report.h"

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
} iffnet_i_rep_t;

/* Output helpers (report_text.c): escaped text, headings, tables, paragraphs. */
void iffnet_i_rep_esc(iffnet_i_rep_t *r, const char *s);
void iffnet_i_rep_raw(iffnet_i_rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void iffnet_i_rep_heading(iffnet_i_rep_t *r, int level, const char *anchor, const char *text);
void iffnet_i_rep_para(iffnet_i_rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void iffnet_i_rep_note(iffnet_i_rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void iffnet_i_rep_table(iffnet_i_rep_t *r, int ncols, const char *const *head);
void iffnet_i_rep_cell(iffnet_i_rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void iffnet_i_rep_cell_link(iffnet_i_rep_t *r, const char *anchor, const char *text);
void iffnet_i_rep_row_end(iffnet_i_rep_t *r);
void iffnet_i_rep_table_end(iffnet_i_rep_t *r);
void iffnet_i_rep_list_item(iffnet_i_rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void iffnet_i_rep_list_end(iffnet_i_rep_t *r);

/* Names as shown: pseudonyms under --pseudonymize. buf >= 96 bytes. */
const char *iffnet_i_rep_acc_id(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n);
const char *iffnet_i_rep_acc_label(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n);
const char *iffnet_i_rep_entity_label(const iffnet_i_rep_t *r, int64_t e, char *buf, size_t n);
const char *iffnet_i_rep_tx_id(const iffnet_i_rep_t *r, int64_t t, char *buf, size_t n);
/* Reason text with the alert's names and ids replaced (fresh string). */
char *iffnet_i_rep_pseudo_text(const iffnet_i_rep_t *r, const iffnet_alert_t *al, const char *s);
/* Money in the value currency with its code. */
const char *iffnet_i_rep_money(const iffnet_i_rep_t *r, iffnet_money_t v, char *buf, size_t n);
double iffnet_i_rep_major(const iffnet_i_rep_t *r, iffnet_money_t v, int32_t k);
const char *iffnet_i_rep_date(iffnet_time_t t, char *buf, size_t n);

/* Sections. */
int iffnet_i_rep_charts(iffnet_i_rep_t *r);                 /* report_charts.c */
void iffnet_i_rep_methodology(iffnet_i_rep_t *r);           /* report_text.c */
void iffnet_i_rep_provenance(iffnet_i_rep_t *r);
int iffnet_i_rep_network_alert(iffnet_i_rep_t *r, const iffnet_alert_t *al, int64_t k);  /* report_net.c */
int iffnet_i_rep_network_overview(iffnet_i_rep_t *r);
void iffnet_i_rep_trace(iffnet_i_rep_t *r);                 /* report_sections.c */
void iffnet_i_rep_communities(iffnet_i_rep_t *r);
void iffnet_i_rep_central(iffnet_i_rep_t *r);
void iffnet_i_rep_groups(iffnet_i_rep_t *r);

/* Runs a forward trace from the highest-risk accounts into d (report_trace.c). */
int iffnet_i_report_run_trace(iffnet_report_data_t *d, const iffnet_case_t *c);
/* What a tracing rule means, or NULL (report_text.c). */
const char *iffnet_i_rep_rule_text(const char *rule);

/* A node's fill colour: by community, else by risk, else by alert score. */
const char *iffnet_i_rep_node_fill(const iffnet_i_rep_t *r, int64_t a);

/* ---- pictures (report_svg.c) ----
inline SVG pictures and charts for the report, and XML text escaping
 * shared with the exporters (private to the library).
 *
 * Everything drawn is a function of its arguments only (network layouts are seeded),
 * and numbers are printed with fixed decimals, so the output is byte-stable. */
#include <stdio.h>
#include <stdint.h>

/* Writes s as XML/HTML character data or attribute value: escapes & < > " ',
 * drops control characters XML 1.0 forbids, replaces invalid UTF-8 by U+FFFD.
 * n < 0: up to the NUL. */
void iffnet_i_xml_text(FILE *fp, const char *s, int64_t n);

/* A network picture: nodes and directed edges with labels and tooltips. */
typedef struct {
    int64_t n_nodes;
    char **node_label;        /* drawn next to the node */
    char **node_tip;          /* hover text (SVG <title>) */
    double *node_size;        /* volume: radius grows with its square root */
    const char **node_fill;   /* CSS colour */
    int *node_ring;           /* 1: thick outline (flagged account) */
    int64_t n_edges;
    int64_t *edge_from, *edge_to;
    double *edge_weight;      /* stroke width grows with it */
    char **edge_label;        /* drawn along the edge, may be NULL/"" */
    char **edge_tip;
} iffnet_i_net_t;

int iffnet_i_net_alloc(iffnet_i_net_t *n, int64_t n_nodes, int64_t n_edges);
void iffnet_i_net_free(iffnet_i_net_t *n);

/* Draws the network with an igraph layout (Kamada-Kawai for small connected
 * networks, Fruchterman-Reingold seeded with `seed` otherwise) into a width x height
 * viewBox. `id` prefixes element ids (unique per document). Returns an iffnet_err_t.
 * O(V^2 + E) per layout iteration for V <= a few hundred. */
int iffnet_i_svg_network(FILE *fp, const iffnet_i_net_t *net, unsigned long seed,
                         const char *id, const char *caption);

/* A bar chart: n bars with labels; `v2` (may be NULL) is a second series drawn
 * over the first (e.g. flagged share), `expected` (may be NULL) a line of points
 * (e.g. Benford's curve). Every `label_every`-th label is printed. */
typedef struct {
    const char *title;
    const char *y_unit;       /* e.g. "EUR", "%" */
    const char *series1, *series2, *series_line;
    int64_t n;
    char **labels;
    const double *v1, *v2, *expected;
    int64_t label_every;
    int horizontal;           /* horizontal bars with labels on the left */
} iffnet_i_chart_t;

void iffnet_i_svg_bars(FILE *fp, const iffnet_i_chart_t *ch);

/* A time line: events at times t (seconds) with sizes and tooltips. */
void iffnet_i_svg_timeline(FILE *fp, int64_t n, const int64_t *t, const double *size,
                           char *const *tip, const char *caption);

/* Formats v compactly ("950", "12.5k", "3.2M") into buf (>= 16 bytes). */
void iffnet_i_compact(char *buf, size_t size, double v);

#endif
