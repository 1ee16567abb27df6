/* svg.h: inline SVG pictures and charts for the report, and XML text escaping
 * shared with the exporters (private to the library).
 *
 * Everything drawn is a function of its arguments only (network layouts are seeded),
 * and numbers are printed with fixed decimals, so the output is byte-stable. */
#ifndef IFFNET_SVG_H
#define IFFNET_SVG_H

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
