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
    /* Per alert: value, first and last time of its transactions; the money that
     * moved through it (iffnet_alert_t.moved, derived when the input left it). */
    iffnet_money_t *al_amount, *al_moved;
    iffnet_moved_rule_t *al_moved_by;
    /* Per account: 1 when the accounts index of the report has a row (anchor) for
     * it; 1 when it is one of the subject's accounts. */
    char *acc_indexed, *acc_subject;
    int64_t n_indexed;
    /* Per community id: its colour (palette index), -1 for the communities beyond
     * the palette, which share one neutral colour. */
    int64_t *comm_colour, n_comm;
    /* Per alert: 1 when the report shows it (a subject report: the subject's alerts). */
    char *al_show;
    int64_t n_shown;
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
/* A cell of text without spaces (digest, path) that may break anywhere. */
void iffnet_i_rep_cell_hash(iffnet_i_rep_t *r, const char *s);
void iffnet_i_rep_row_end(iffnet_i_rep_t *r);
void iffnet_i_rep_table_end(iffnet_i_rep_t *r);
void iffnet_i_rep_list_item(iffnet_i_rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void iffnet_i_rep_list_end(iffnet_i_rep_t *r);

/* Names as shown: pseudonyms under --pseudonymize. buf >= 96 bytes (labels 192).
 * acc_name: the holder's name, "" when the input has none; acc_label: the name
 * with the id beside it, "Name (ID)", or the id alone: names are not unique, and
 * reasons cite ids. */
const char *iffnet_i_rep_acc_id(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n);
const char *iffnet_i_rep_acc_name(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n);
const char *iffnet_i_rep_acc_label(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n);
/* The element id of account a's row in the accounts index ("acc-" and the id
 * shown, with characters outside [A-Za-z0-9_.-] written as _XX). */
const char *iffnet_i_rep_acc_anchor(const iffnet_i_rep_t *r, int64_t a, char *buf, size_t n);
/* Table cells naming an account: the label (or the id, or the name), linked to
 * its row of the accounts index when it has one. */
void iffnet_i_rep_cell_acc(iffnet_i_rep_t *r, int64_t a);
void iffnet_i_rep_cell_acc_id(iffnet_i_rep_t *r, int64_t a);
void iffnet_i_rep_cell_acc_name(iffnet_i_rep_t *r, int64_t a);
/* Inline text naming an account (label, linked as the cells are). */
void iffnet_i_rep_acc_text(iffnet_i_rep_t *r, int64_t a);
const char *iffnet_i_rep_entity_label(const iffnet_i_rep_t *r, int64_t e, char *buf, size_t n);
const char *iffnet_i_rep_tx_id(const iffnet_i_rep_t *r, int64_t t, char *buf, size_t n);
/* Reason text with the alert's names and ids replaced (fresh string). */
char *iffnet_i_rep_pseudo_text(const iffnet_i_rep_t *r, const iffnet_alert_t *al, const char *s);
/* A count with thousands separators ("1,000,001"); buf >= 32 bytes. */
const char *iffnet_i_rep_int(int64_t v, char *buf, size_t n);
/* Money in the value currency with its code. */
const char *iffnet_i_rep_money(const iffnet_i_rep_t *r, iffnet_money_t v, char *buf, size_t n);
double iffnet_i_rep_major(const iffnet_i_rep_t *r, iffnet_money_t v, int32_t k);
const char *iffnet_i_rep_date(iffnet_time_t t, char *buf, size_t n);

/* The document (report_html.c): head, style, contents (nav: n pairs of anchor
 * and title), scripts. */
void iffnet_i_rep_begin(iffnet_i_rep_t *r, const char *title, const char *const *nav, int64_t n);
void iffnet_i_rep_end(iffnet_i_rep_t *r);

/* Alerts (report_alerts.c). */
void iffnet_i_rep_findings(iffnet_i_rep_t *r);
int iffnet_i_rep_alerts(iffnet_i_rep_t *r);
const char *iffnet_i_rep_alert_date(const iffnet_i_rep_t *r, int64_t k, int last, char *buf, size_t n);
/* A cell listing the shown alerts that hold account a (links to their sections). */
void iffnet_i_rep_alert_links(iffnet_i_rep_t *r, int64_t a, int64_t max);
/* A time line of the transactions (binned by time beyond a few hundred). */
int iffnet_i_rep_timeline(iffnet_i_rep_t *r, const int64_t *txs, int64_t ntx, const char *caption);

/* A subject-centred report (report_subject.c): who the subject is, its accounts
 * and relations, its money in and out, its counterparties; its traces. */
const char *iffnet_i_rep_subject_label(const iffnet_i_rep_t *r, char *buf, size_t n);
int iffnet_i_rep_subject(iffnet_i_rep_t *r);
void iffnet_i_rep_subject_trace(iffnet_i_rep_t *r);

/* Sections. */
int iffnet_i_rep_charts(iffnet_i_rep_t *r);                 /* report_charts.c */
int iffnet_i_rep_flows_chart(iffnet_i_rep_t *r);            /* the subject's in and out */
void iffnet_i_rep_methodology(iffnet_i_rep_t *r);           /* report_text.c */
void iffnet_i_rep_provenance(iffnet_i_rep_t *r);
int iffnet_i_rep_network_alert(iffnet_i_rep_t *r, const iffnet_alert_t *al, int64_t k);  /* report_net.c */
int iffnet_i_rep_network_overview(iffnet_i_rep_t *r);
/* The subject's accounts and its counterparties (largest first). */
int iffnet_i_rep_network_subject(iffnet_i_rep_t *r, const int64_t *counterparties, int64_t n);
void iffnet_i_rep_trace(iffnet_i_rep_t *r);                 /* report_sections.c */
void iffnet_i_rep_communities(iffnet_i_rep_t *r);
void iffnet_i_rep_central(iffnet_i_rep_t *r);
void iffnet_i_rep_groups(iffnet_i_rep_t *r);
void iffnet_i_rep_screening(iffnet_i_rep_t *r);             /* watch-list hits */
/* One tracing result: overview of the rules and a part per rule (report_sections.c). */
void iffnet_i_rep_trace_result(iffnet_i_rep_t *r, const iffnet_report_trace_t *t, const char *what);

/* Runs a forward trace from where the top alerts start into d, and the subject's
 * traces both ways (report_trace.c). */
int iffnet_i_report_run_trace(iffnet_report_data_t *d, const iffnet_case_t *c);
int iffnet_i_report_run_subject_traces(iffnet_report_data_t *d, const iffnet_case_t *c);
/* What a tracing rule means, or NULL (report_text.c). */
const char *iffnet_i_rep_rule_text(const char *rule);

/* A node's fill colour: by community, else by risk, else by alert score. */
const char *iffnet_i_rep_node_fill(const iffnet_i_rep_t *r, int64_t a);
/* Gives the communities their colours, the distinct ones to the communities with
 * the most flagged accounts (then the largest), so that no two communities drawn
 * in one picture share a colour unless more than the palette are drawn. O(V + K log K). */
int iffnet_i_rep_colours(iffnet_i_rep_t *r);

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

/* Node shapes: an account (circle), the cash pseudo-account or money outside
 * (square), a person or company linked by relations (diamond), a group of
 * accounts drawn as one (a community, or the rest of a large alert: hexagon). */
enum { IFFNET_I_SHAPE_ACCOUNT = 0, IFFNET_I_SHAPE_CASH, IFFNET_I_SHAPE_ENTITY, IFFNET_I_SHAPE_GROUP,
       IFFNET_I_SHAPE_IDENT /* a shared identifier (phone, address): small square */ };
/* Edge kinds: a payment (arrow; parallel payments are one edge with count and
 * sum), or a link between entities (dashed, no arrow: director, owner, a
 * shared phone or address). */
enum { IFFNET_I_EDGE_PAYMENT = 0, IFFNET_I_EDGE_LINK };

/* A network picture: nodes and edges with labels and tooltips. */
typedef struct {
    int64_t n_nodes;
    char **node_label;        /* first line next to the node (the name) */
    char **node_sublabel;     /* second line (the id), may be NULL or "" */
    char **node_tip;          /* hover text (SVG <title>) */
    double *node_size;        /* volume: radius grows with its square root */
    const char **node_fill;   /* CSS colour */
    int *node_ring;           /* 1: thick outline (flagged account) */
    int *node_shape;          /* IFFNET_I_SHAPE_* */
    int64_t n_edges;
    int64_t *edge_from, *edge_to;
    double *edge_weight;      /* stroke width grows with it (payments) */
    int *edge_kind;           /* IFFNET_I_EDGE_* */
    char **edge_label;        /* drawn along the edge, may be NULL/"" */
    char **edge_tip;
} iffnet_i_net_t;

int iffnet_i_net_alloc(iffnet_i_net_t *n, int64_t n_nodes, int64_t n_edges);
void iffnet_i_net_free(iffnet_i_net_t *n);

/* Draws the network with an igraph layout (Kamada-Kawai for small connected
 * networks, Fruchterman-Reingold seeded with `seed` otherwise) into a width x height
 * viewBox. Labels are placed where they overlap no other label and no node
 * (largest nodes first; an edge label only where it fits); labels that fit
 * nowhere are left out and counted in the caption (tooltips keep the details).
 * `id` prefixes element ids (unique per document). Returns an iffnet_err_t.
 * O(V^2 + E + L^2) per picture for V <= a few hundred and L labels. */
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
    int money;                /* y_unit is a currency: written beside the numbers ("1 bn EUR") */
} iffnet_i_chart_t;

void iffnet_i_svg_bars(FILE *fp, const iffnet_i_chart_t *ch);

/* A time line: events at times t (seconds) with sizes and tooltips. */
void iffnet_i_svg_timeline(FILE *fp, int64_t n, const int64_t *t, const double *size,
                           char *const *tip, const char *caption);

/* Formats v compactly ("950", "12.5 k", "3.2 m", "1 bn") into buf (>= 16 bytes). */
void iffnet_i_compact(char *buf, size_t size, double v);

#endif
