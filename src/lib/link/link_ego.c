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

/* ---- ego with relations ---- */

void iffnet_ego_destroy(iffnet_ego_t *e)
{
    free(e->node);
    free(e->entity);
    free(e->hops);
    free(e->link_rel);
    free(e->link_from);
    free(e->link_to);
    memset(e, 0, sizeof *e);
}

int64_t iffnet_view_find_entity(const iffnet_view_t *v, const char *id)
{
    return iffnet_strtab_find(&v->c->entity_ids, id, strlen(id));
}

/* Members live in one index space: view nodes 0..V-1, then entities V+e. */
typedef struct {
    const iffnet_view_t *v;
    int64_t *entity_node;    /* per entity: its node at entity level, or -1 */
    int64_t *rel_off, *rel_adj; /* relation adjacency over the space (both directions) */
    int64_t *rel_id;
} space_t;

static void space_free(space_t *s)
{
    free(s->entity_node);
    free(s->rel_off);
    free(s->rel_adj);
    free(s->rel_id);
}

/* The space index of one end of relation r (src != 0: its source), or -1. */
static int64_t rel_end(const space_t *s, int64_t r, int src)
{
    const iffnet_case_t *c = s->v->c;
    int64_t e = src ? c->rel_src_entity[r] : c->rel_dst_entity[r];
    int64_t a = src ? c->rel_src_account[r] : c->rel_dst_account[r];
    if (e >= 0) return s->entity_node[e] >= 0 ? s->entity_node[e] : s->v->n_nodes + e;
    return a >= 0 ? s->v->account_node[a] : -1;
}

static int is_link_relation(const iffnet_case_t *c, int64_t r)
{
    return strcmp(iffnet_case_text(c, c->rel_type[r]), "holds_account") != 0;
}

static int space_build(const iffnet_view_t *v, int relations, space_t *s)
{
    const iffnet_case_t *c = v->c;
    int64_t n = v->n_nodes + c->n_entities;
    memset(s, 0, sizeof *s);
    s->v = v;
    s->entity_node = malloc(((size_t)c->n_entities + 1) * sizeof *s->entity_node);
    s->rel_off = calloc((size_t)n + 2, sizeof *s->rel_off);
    s->rel_adj = malloc((2 * (size_t)c->n_relations + 1) * sizeof *s->rel_adj);
    s->rel_id = malloc((2 * (size_t)c->n_relations + 1) * sizeof *s->rel_id);
    if (!s->entity_node || !s->rel_off || !s->rel_adj || !s->rel_id) {
        space_free(s);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t e = 0; e < c->n_entities; e++) s->entity_node[e] = -1;
    for (int64_t u = 0; u < v->n_nodes; u++)
        if (v->node_entity[u] >= 0) s->entity_node[v->node_entity[u]] = u;
    if (!relations || v->opts.level != IFFNET_LEVEL_ENTITY) return IFFNET_OK;
    /* counting sort of both directions of every link relation */
    for (int pass = 0; pass < 2; pass++) {
        for (int64_t r = 0; r < c->n_relations; r++) {
            int64_t a = rel_end(s, r, 1), b = rel_end(s, r, 0);
            if (a < 0 || b < 0 || a == b || !is_link_relation(c, r)) continue;
            if (pass == 0) {
                s->rel_off[a + 2]++;
                s->rel_off[b + 2]++;
            } else {
                s->rel_adj[s->rel_off[a + 1]] = b, s->rel_id[s->rel_off[a + 1]++] = r;
                s->rel_adj[s->rel_off[b + 1]] = a, s->rel_id[s->rel_off[b + 1]++] = r;
            }
        }
        if (pass == 0)
            for (int64_t i = 0; i < n; i++) s->rel_off[i + 2] += s->rel_off[i + 1];
    }
    return IFFNET_OK;
}

static int cmp_member(const void *pa, const void *pb)
{
    const int64_t *a = pa, *b = pb;   /* (hops, space index) */
    if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

int iffnet_ego_build(const iffnet_view_t *v, int64_t center_node, int64_t center_entity, int64_t hops,
                     int relations, iffnet_ego_t *out)
{
    const iffnet_case_t *c = v->c;
    int64_t n = v->n_nodes + c->n_entities, head = 0, nq = 0, *d = NULL, *q = NULL, *pos = NULL, *pairs = NULL;
    igraph_vector_int_t nei;
    space_t s;
    int err;
    memset(out, 0, sizeof *out);
    if (hops < 0 || (center_node < 0 && (center_entity < 0 || center_entity >= c->n_entities)) ||
        center_node >= v->n_nodes)
        return iffnet_i_seterr(IFFNET_EINVAL, "bad ego centre or hop count");
    if ((err = space_build(v, relations, &s))) return err;
    if (igraph_vector_int_init(&nei, 0)) {
        space_free(&s);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    d = malloc(((size_t)n + 1) * sizeof *d);
    q = malloc(((size_t)n + 1) * sizeof *q);
    pos = malloc(((size_t)n + 1) * sizeof *pos);
    if (!d || !q || !pos) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < n; i++) d[i] = pos[i] = -1;
    q[nq++] = center_node >= 0 ? center_node : s.entity_node[center_entity] >= 0 ? s.entity_node[center_entity]
                                                                                 : v->n_nodes + center_entity;
    d[q[0]] = 0;
    while (head < nq) {
        int64_t u = q[head++];
        if (d[u] >= hops) continue;
        if (u < v->n_nodes) {
            if ((err = iffnet_i_igraph_err(igraph_neighbors(&v->graph, &nei, u, IGRAPH_ALL), "neighbours"))) goto out;
            for (int64_t i = 0; i < igraph_vector_int_size(&nei); i++) {
                int64_t w = VECTOR(nei)[i];
                if (d[w] < 0) d[w] = d[u] + 1, q[nq++] = w;
            }
        }
        for (int64_t k = s.rel_off[u]; k < s.rel_off[u + 1]; k++) {
            int64_t w = s.rel_adj[k];
            if (d[w] < 0) d[w] = d[u] + 1, q[nq++] = w;
        }
    }
    if (!(pairs = malloc(((size_t)nq + 1) * 2 * sizeof *pairs))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < nq; i++) pairs[2 * i] = d[q[i]], pairs[2 * i + 1] = q[i];
    iffnet_i_sort(pairs, (size_t)nq, 2 * sizeof *pairs, cmp_member);
    out->node = malloc(((size_t)nq + 1) * sizeof *out->node);
    out->entity = malloc(((size_t)nq + 1) * sizeof *out->entity);
    out->hops = malloc(((size_t)nq + 1) * sizeof *out->hops);
    if (!out->node || !out->entity || !out->hops) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < nq; i++) {
        int64_t x = pairs[2 * i + 1];
        out->node[i] = x < v->n_nodes ? x : -1;
        out->entity[i] = x < v->n_nodes ? -1 : x - v->n_nodes;
        out->hops[i] = pairs[2 * i];
        pos[x] = i;
    }
    out->n = nq;
    /* the relations among members, once each, in case order: counted, then kept */
    for (int pass = 0; pass < 2; pass++) {
        int64_t k = 0;
        for (int64_t r = 0; r < c->n_relations && s.rel_off[n] > 0; r++) {
            int64_t a = rel_end(&s, r, 1), b = rel_end(&s, r, 0);
            if (a < 0 || b < 0 || a == b || pos[a] < 0 || pos[b] < 0 || !is_link_relation(c, r)) continue;
            if (pass == 1) {
                out->link_rel[k] = r;
                out->link_from[k] = pos[a];
                out->link_to[k] = pos[b];
            }
            k++;
        }
        if (pass == 0) {
            out->link_rel = malloc(((size_t)k + 1) * sizeof *out->link_rel);
            out->link_from = malloc(((size_t)k + 1) * sizeof *out->link_from);
            out->link_to = malloc(((size_t)k + 1) * sizeof *out->link_to);
            if (!out->link_rel || !out->link_from || !out->link_to) {
                err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
                goto out;
            }
        }
        out->n_links = k;
    }
out:
    free(d);
    free(q);
    free(pos);
    free(pairs);
    igraph_vector_int_destroy(&nei);
    space_free(&s);
    if (err) iffnet_ego_destroy(out);
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
              "  <key id=\"in\" for=\"node\" attr.name=\"in\" attr.type=\"double\"/>\n"
              "  <key id=\"out\" for=\"node\" attr.name=\"out\" attr.type=\"double\"/>\n"
              "  <key id=\"amount\" for=\"edge\" attr.name=\"amount\" attr.type=\"double\"/>\n"
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
