/* link_ego.c: the neighbourhood of a node and sub-network export. */
#include "link_internal.h"
#include "iffnet/link.h"

int iffnet_ego_nodes(const iffnet_view_t *v, int64_t center, int64_t hops,
                     igraph_vector_int_t *nodes, igraph_vector_int_t *dist)
{
    igraph_vector_int_t nei;
    int64_t *d = NULL, head = 0;
    int err = IFFNET_OK;

    if (center < 0 || center >= v->n_nodes || hops < 0)
        return iffnet_i_seterr(IFFNET_EINVAL, "bad ego centre or hop count");
    if (igraph_vector_int_init(&nei, 0))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    d = malloc((size_t)v->n_nodes * sizeof *d);
    if (!d) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t u = 0; u < v->n_nodes; u++)
        d[u] = -1;
    igraph_vector_int_clear(nodes);
    igraph_vector_int_clear(dist);
    d[center] = 0;
    if (igraph_vector_int_push_back(nodes, center) || igraph_vector_int_push_back(dist, 0)) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    /* Breadth-first: `nodes` doubles as the queue, so it ends ordered by distance;
     * neighbours are sorted by igraph, so ties come out by node index per parent. */
    while (head < igraph_vector_int_size(nodes)) {
        int64_t u = VECTOR(*nodes)[head++];
        if (d[u] >= hops)
            continue;
        if ((err = iffnet_i_igraph_err(igraph_neighbors(&v->graph, &nei, u, IGRAPH_ALL), "neighbours")))
            goto out;
        for (int64_t i = 0; i < igraph_vector_int_size(&nei); i++) {
            int64_t w = VECTOR(nei)[i];
            if (d[w] >= 0)
                continue;
            d[w] = d[u] + 1;
            if (igraph_vector_int_push_back(nodes, w) || igraph_vector_int_push_back(dist, d[w])) {
                err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
                goto out;
            }
        }
    }
    /* Within one distance, order by node index for stable output. */
    for (int64_t i = 0, j; i < igraph_vector_int_size(nodes); i = j) {
        for (j = i; j < igraph_vector_int_size(nodes) && VECTOR(*dist)[j] == VECTOR(*dist)[i]; j++)
            ;
        igraph_vector_int_t view;
        igraph_vector_int_view(&view, VECTOR(*nodes) + i, j - i);
        igraph_vector_int_sort(&view);
    }
out:
    free(d);
    igraph_vector_int_destroy(&nei);
    return err;
}

int iffnet_graph_format_parse(const char *s, iffnet_graph_format_t *f)
{
    if (strcmp(s, "csv") == 0) *f = IFFNET_GRAPH_CSV;
    else if (strcmp(s, "graphml") == 0) *f = IFFNET_GRAPH_GRAPHML;
    else if (strcmp(s, "dot") == 0) *f = IFFNET_GRAPH_DOT;
    else return iffnet_i_seterr(IFFNET_EINVAL, "unknown graph format '%s' (csv, graphml, dot)", s);
    return IFFNET_OK;
}

static void xml_str(FILE *fp, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '&': fputs("&amp;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
                fputc(*s, fp);
        }
}

/* A CSV field, quoted when it holds a comma, quote or line break. */
static void csv_str(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void dot_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', fp);
        if ((unsigned char)*s >= 0x20)
            fputc(*s, fp);
    }
    fputc('"', fp);
}

static void write_node(const iffnet_view_t *v, int64_t u, iffnet_graph_format_t fmt, FILE *fp)
{
    char in[32], outv[32];
    int scale = v->value_scale;
    iffnet_amount_format(in, sizeof in, v->in_amount[u], scale, 0);
    iffnet_amount_format(outv, sizeof outv, v->out_amount[u], scale, 0);
    if (fmt == IFFNET_GRAPH_GRAPHML) {
        fputs("    <node id=\"", fp);
        xml_str(fp, iffnet_view_node_id(v, u));
        fputs("\"><data key=\"name\">", fp);
        xml_str(fp, iffnet_view_node_name(v, u));
        fputs("</data><data key=\"country\">", fp);
        xml_str(fp, iffnet_view_node_country(v, u));
        fprintf(fp, "</data><data key=\"in\">%s</data><data key=\"out\">%s</data></node>\n", in, outv);
    } else if (fmt == IFFNET_GRAPH_DOT) {
        fputs("  ", fp);
        dot_str(fp, iffnet_view_node_id(v, u));
        fputs(" [label=", fp);
        dot_str(fp, *iffnet_view_node_name(v, u) ? iffnet_view_node_name(v, u) : iffnet_view_node_id(v, u));
        fputs("];\n", fp);
    }
}

static void write_edge(const iffnet_view_t *v, int64_t e, iffnet_graph_format_t fmt, FILE *fp)
{
    char amt[32], first[24], last[24];
    int64_t n = v->edge_tx_off[e + 1] - v->edge_tx_off[e];
    const char *s = iffnet_view_node_id(v, IGRAPH_FROM(&v->graph, e));
    const char *d = iffnet_view_node_id(v, IGRAPH_TO(&v->graph, e));

    iffnet_amount_format(amt, sizeof amt, v->edge_amount[e], v->value_scale, 0);
    iffnet_time_format(first, sizeof first, v->c->tx_time[v->edge_tx[v->edge_tx_off[e]]], 0);
    iffnet_time_format(last, sizeof last, v->c->tx_time[v->edge_tx[v->edge_tx_off[e + 1] - 1]], 0);
    if (fmt == IFFNET_GRAPH_CSV) {
        csv_str(fp, s);
        fputc(',', fp);
        csv_str(fp, d);
        fprintf(fp, ",%s,%lld,%s,%s\n", amt, (long long)n, first, last);
    } else if (fmt == IFFNET_GRAPH_GRAPHML) {
        fputs("    <edge source=\"", fp);
        xml_str(fp, s);
        fputs("\" target=\"", fp);
        xml_str(fp, d);
        fprintf(fp, "\"><data key=\"amount\">%s</data><data key=\"count\">%lld</data>"
                "<data key=\"first\">%s</data><data key=\"last\">%s</data></edge>\n",
                amt, (long long)n, first, last);
    } else {
        fputs("  ", fp);
        dot_str(fp, s);
        fputs(" -> ", fp);
        dot_str(fp, d);
        fprintf(fp, " [label=\"%s (%lld)\"];\n", amt, (long long)n);
    }
}

int iffnet_view_write_subgraph(const iffnet_view_t *v, const igraph_vector_int_t *nodes,
                               iffnet_graph_format_t fmt, FILE *fp)
{
    char *in = calloc((size_t)(v->n_nodes ? v->n_nodes : 1), 1);
    igraph_vector_int_t inc;
    int64_t n = igraph_vector_int_size(nodes);
    int err = IFFNET_OK;

    if (!in || igraph_vector_int_init(&inc, 0)) {
        free(in);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t i = 0; i < n; i++)
        in[VECTOR(*nodes)[i]] = 1;
    if (fmt == IFFNET_GRAPH_CSV)
        fputs("source,target,amount,count,first,last\n", fp);
    else if (fmt == IFFNET_GRAPH_GRAPHML)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
              "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
              "  <key id=\"country\" for=\"node\" attr.name=\"country\" attr.type=\"string\"/>\n"
              "  <key id=\"in\" for=\"node\" attr.name=\"in\" attr.type=\"string\"/>\n"
              "  <key id=\"out\" for=\"node\" attr.name=\"out\" attr.type=\"string\"/>\n"
              "  <key id=\"amount\" for=\"edge\" attr.name=\"amount\" attr.type=\"string\"/>\n"
              "  <key id=\"count\" for=\"edge\" attr.name=\"count\" attr.type=\"long\"/>\n"
              "  <key id=\"first\" for=\"edge\" attr.name=\"first\" attr.type=\"string\"/>\n"
              "  <key id=\"last\" for=\"edge\" attr.name=\"last\" attr.type=\"string\"/>\n"
              "  <graph id=\"ego\" edgedefault=\"directed\">\n", fp);
    else
        fputs("digraph ego {\n", fp);
    for (int64_t i = 0; i < n; i++)
        write_node(v, VECTOR(*nodes)[i], fmt, fp);
    for (int64_t i = 0; i < n && !err; i++) {
        err = iffnet_i_igraph_err(igraph_incident(&v->graph, &inc, VECTOR(*nodes)[i], IGRAPH_OUT), "edges");
        for (int64_t j = 0; !err && j < igraph_vector_int_size(&inc); j++)
            if (in[IGRAPH_TO(&v->graph, VECTOR(inc)[j])])
                write_edge(v, VECTOR(inc)[j], fmt, fp);
    }
    if (fmt == IFFNET_GRAPH_GRAPHML)
        fputs("  </graph>\n</graphml>\n", fp);
    else if (fmt == IFFNET_GRAPH_DOT)
        fputs("}\n", fp);
    if (!err && ferror(fp))
        err = iffnet_i_seterr(IFFNET_EIO, "write error");
    free(in);
    igraph_vector_int_destroy(&inc);
    return err;
}
