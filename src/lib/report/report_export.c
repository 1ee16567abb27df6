/* report_export.c: network exports (GraphML, GEXF, DOT, Cytoscape.js JSON, i2 CSV).
 *
 * The XML formats are written here rather than with igraph_write_graph_graphml:
 * igraph's writer needs the process-wide attribute handler and an attributed copy
 * of the whole graph in memory (every string duplicated per vertex and edge), while
 * streaming the case's columns straight to the file keeps memory at O(accounts)
 * and gives exact decimal amounts. Escaping goes through iffnet_i_xml_text and
 * the JSON writer (both repair invalid UTF-8, so the files always parse). */
#include <math.h>
#include <sys/stat.h>
#include "report_internal.h"
#include "iffnet/export.h"
#include "iffnet/json.h"

int iffnet_export_format_parse(const char *s, iffnet_export_format_t *f)
{
    static const char *const names[] = {"graphml", "gexf", "dot", "csv", "json", "goaml", "ftm"};
    for (int i = 0; i < 7; i++)
        if (strcmp(s, names[i]) == 0) {
            *f = (iffnet_export_format_t)i;
            return 0;
        }
    return -1;
}

/* ---- selections ---- */

int iffnet_export_select_alerts(const iffnet_case_t *c, const iffnet_alert_list_t *alerts, char **sel)
{
    char *s = calloc((size_t)c->n_accounts + 1, 1);
    if (!s) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t k = 0; k < alerts->n; k++)
        for (int64_t i = 0; i < alerts->items[k].n_accounts; i++) {
            int64_t a = alerts->items[k].accounts[i];
            if (a >= 0 && a < c->n_accounts) s[a] = 1;
        }
    *sel = s;
    return IFFNET_OK;
}

int iffnet_export_select_ego(const iffnet_case_t *c, int64_t account, int64_t hops, char **sel)
{
    int64_t n = c->n_accounts, *off = NULL, *adj = NULL, *dist = NULL, *queue = NULL;
    char *s = NULL;
    int err = IFFNET_OK;
    *sel = NULL;
    if (account < 0 || account >= n || hops < 0)
        return iffnet_i_seterr(IFFNET_EINVAL, "ego: bad account or hop count");
    off = calloc((size_t)n + 2, sizeof *off);
    adj = malloc(((size_t)c->n_tx * 2 + 1) * sizeof *adj);
    dist = malloc(((size_t)n + 1) * sizeof *dist);
    queue = malloc(((size_t)n + 1) * sizeof *queue);
    s = calloc((size_t)n + 1, 1);
    if (!off || !adj || !dist || !queue || !s) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    /* Undirected adjacency in CSR form: counting pass, prefix sums, filling pass. */
    for (int64_t t = 0; t < c->n_tx; t++) {
        off[c->tx_src[t] + 2]++;
        off[c->tx_dst[t] + 2]++;
    }
    for (int64_t a = 0; a < n; a++) off[a + 2] += off[a + 1];
    for (int64_t t = 0; t < c->n_tx; t++) {
        adj[off[c->tx_src[t] + 1]++] = c->tx_dst[t];
        adj[off[c->tx_dst[t] + 1]++] = c->tx_src[t];
    }
    for (int64_t a = 0; a < n; a++) dist[a] = -1;
    int64_t head = 0, tail = 0;
    dist[account] = 0;
    queue[tail++] = account;
    while (head < tail) {
        int64_t u = queue[head++];
        s[u] = 1;
        if (dist[u] == hops) continue;
        for (int64_t i = off[u]; i < off[u + 1]; i++)
            if (dist[adj[i]] < 0) {
                dist[adj[i]] = dist[u] + 1;
                queue[tail++] = adj[i];
            }
    }
    *sel = s;
    s = NULL;
out:
    free(off); free(adj); free(dist); free(queue); free(s);
    return err;
}

int iffnet_export_select_community(const iffnet_case_t *c, const int64_t *membership, int64_t k,
                                   char **sel)
{
    char *s = calloc((size_t)c->n_accounts + 1, 1);
    int64_t n = 0;
    if (!s) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (membership[a] == k) {
            s[a] = 1;
            n++;
        }
    if (n == 0) {
        free(s);
        return iffnet_i_seterr(IFFNET_EINVAL, "community %lld has no member in the case", (long long)k);
    }
    *sel = s;
    return IFFNET_OK;
}

/* ---- attributes ---- */

typedef struct {
    const iffnet_export_t *x;
    const iffnet_case_t *c;
    int32_t vcur;
    iffnet_money_t *in, *out;
    int64_t *ntx;
    int64_t *acc_off, *acc_al;   /* alerts of account a: acc_al[acc_off[a] .. acc_off[a+1]) */
    int64_t *tx_off, *tx_al;     /* alerts of transaction t, likewise */
    double max_vol;
    char *buf;                   /* scratch for joined alert ids */
    size_t buf_cap;
} ex_t;

static void ex_free(ex_t *e)
{
    free(e->in); free(e->out); free(e->ntx); free(e->acc_off); free(e->acc_al);
    free(e->tx_off); free(e->tx_al); free(e->buf);
}

/* CSR index from (item, alert) pairs: items of alert k are its accounts or tx. */
static int csr_build(const iffnet_alert_list_t *l, int64_t n_items, int use_tx,
                     int64_t **off_out, int64_t **val_out)
{
    int64_t *off = calloc((size_t)n_items + 2, sizeof *off), total = 0;
    int64_t *val = NULL;
    if (!off) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t k = 0; l && k < l->n; k++) {
        const iffnet_alert_t *a = &l->items[k];
        int64_t m = use_tx ? a->n_tx : a->n_accounts;
        const int64_t *it = use_tx ? a->tx : a->accounts;
        for (int64_t i = 0; i < m; i++)
            if (it[i] >= 0 && it[i] < n_items) { off[it[i] + 2]++; total++; }
    }
    for (int64_t i = 0; i < n_items; i++) off[i + 2] += off[i + 1];
    val = malloc(((size_t)total + 1) * sizeof *val);
    if (!val) {
        free(off);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t k = 0; l && k < l->n; k++) {
        const iffnet_alert_t *a = &l->items[k];
        int64_t m = use_tx ? a->n_tx : a->n_accounts;
        const int64_t *it = use_tx ? a->tx : a->accounts;
        for (int64_t i = 0; i < m; i++)
            if (it[i] >= 0 && it[i] < n_items) val[off[it[i] + 1]++] = k;
    }
    *off_out = off;
    *val_out = val;
    return IFFNET_OK;
}

static int ex_init(ex_t *e, const iffnet_export_t *x)
{
    const iffnet_case_t *c = x->c;
    size_t na = (size_t)c->n_accounts + 1;
    int err;
    memset(e, 0, sizeof *e);
    e->x = x;
    e->c = c;
    e->vcur = iffnet_case_value_currency(c);
    e->in = calloc(na, sizeof *e->in);
    e->out = calloc(na, sizeof *e->out);
    e->ntx = calloc(na, sizeof *e->ntx);
    e->buf_cap = 256;
    e->buf = malloc(e->buf_cap);
    if (!e->in || !e->out || !e->ntx || !e->buf) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t t = 0; t < c->n_tx; t++) {
        iffnet_money_t v = iffnet_case_tx_value(c, t);
        if (iffnet_i_money_add(&e->out[c->tx_src[t]], v) || iffnet_i_money_add(&e->in[c->tx_dst[t]], v))
            return iffnet_i_money_overflow("export: account volumes");
        e->ntx[c->tx_src[t]]++;
        e->ntx[c->tx_dst[t]]++;
    }
    for (int64_t a = 0; a < c->n_accounts; a++)
        e->max_vol = fmax(e->max_vol, (double)e->in[a] + (double)e->out[a]); /* a scale for sizes only */
    if ((err = csr_build(x->alerts, c->n_accounts, 0, &e->acc_off, &e->acc_al))) return err;
    return csr_build(x->alerts, c->n_tx, 1, &e->tx_off, &e->tx_al);
}

static int selected(const ex_t *e, int64_t a)
{
    return !e->x->select || e->x->select[a];
}

/* Attribute kinds: 's' string, 'd' decimal number, 'l' integer. */
typedef struct { const char *name; char type; } attr_t;

enum { NA_LABEL, NA_NAME, NA_COUNTRY, NA_SECTOR, NA_IN, NA_OUT, NA_NTX, NA_NALERTS, NA_ALERTS,
       NA_TYPOLOGIES, NA_SCORE, NA_COMMUNITY, NA_N };
static const attr_t node_attrs[NA_N] = {
    {"label", 's'}, {"name", 's'}, {"country", 's'}, {"sector", 's'}, {"amount_in", 'd'},
    {"amount_out", 'd'}, {"tx_count", 'l'}, {"alert_count", 'l'}, {"alerts", 's'},
    {"typologies", 's'}, {"max_score", 'd'}, {"community", 'l'}};

enum { EA_TXID, EA_TIME, EA_TIMESTAMP, EA_AMOUNT, EA_CURRENCY, EA_VALUE, EA_CHANNEL,
       EA_REFERENCE, EA_NALERTS, EA_ALERTS, EA_N };
static const attr_t edge_attrs[EA_N] = {
    {"tx_id", 's'}, {"time", 's'}, {"timestamp", 'l'}, {"amount", 'd'}, {"currency", 's'},
    {"value", 'd'}, {"channel", 's'}, {"reference", 's'}, {"alert_count", 'l'}, {"alerts", 's'}};

static const char *money_text(const ex_t *e, iffnet_money_t v, int32_t k, char *buf, size_t n)
{
    int scale = k >= 0 && e->c->currency_scale ? e->c->currency_scale[k] : 2;
    iffnet_amount_format(buf, n, v, scale, 0);
    return buf;
}

/* Alert ids of items [off[i], off[i+1]) joined by ';' into e->buf. */
static const char *join_alerts(ex_t *e, const int64_t *off, const int64_t *val, int64_t i)
{
    size_t len = 0;
    e->buf[0] = 0;
    for (int64_t j = off[i]; j < off[i + 1]; j++) {
        const char *id = e->x->alerts->items[val[j]].id;
        size_t l = strlen(id ? id : "");
        if (len + l + 2 > e->buf_cap) {
            char *nb = realloc(e->buf, 2 * (len + l + 2));
            if (!nb) return e->buf;   /* truncated list rather than failure: text only */
            e->buf = nb;
            e->buf_cap = 2 * (len + l + 2);
        }
        if (len) e->buf[len++] = ';';
        memcpy(e->buf + len, id ? id : "", l + 1);
        len += l;
    }
    return e->buf;
}

static const char *node_value(ex_t *e, int64_t a, int k, char *buf, size_t n)
{
    const iffnet_case_t *c = e->c;
    switch (k) {
    case NA_LABEL: {
        const char *name = iffnet_case_account_name(c, a);
        return name[0] ? name : iffnet_case_account_id(c, a);
    }
    case NA_NAME: return iffnet_case_account_name(c, a);
    case NA_COUNTRY: return iffnet_case_account_country(c, a);
    case NA_SECTOR: return iffnet_case_account_sector(c, a);
    case NA_IN: return money_text(e, e->in[a], e->vcur, buf, n);
    case NA_OUT: return money_text(e, e->out[a], e->vcur, buf, n);
    case NA_NTX: snprintf(buf, n, "%lld", (long long)e->ntx[a]); return buf;
    case NA_NALERTS: snprintf(buf, n, "%lld", (long long)(e->acc_off[a + 1] - e->acc_off[a])); return buf;
    case NA_ALERTS: return join_alerts(e, e->acc_off, e->acc_al, a);
    case NA_TYPOLOGIES: {
        uint64_t mask = 0;
        size_t len = 0;
        buf[0] = 0;
        for (int64_t j = e->acc_off[a]; j < e->acc_off[a + 1]; j++)
            mask |= 1ull << e->x->alerts->items[e->acc_al[j]].typology;
        for (int t = 0; t < IFFNET_TYP_COUNT && len < n; t++)
            if (mask & (1ull << t))
                len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ";" : "",
                                        iffnet_typology_name((iffnet_typology_t)t));
        return buf;
    }
    case NA_SCORE: {
        double s = 0;
        for (int64_t j = e->acc_off[a]; j < e->acc_off[a + 1]; j++)
            s = fmax(s, e->x->alerts->items[e->acc_al[j]].score);
        snprintf(buf, n, "%.4f", s);
        return buf;
    }
    case NA_COMMUNITY:
        snprintf(buf, n, "%lld", (long long)(e->x->community ? e->x->community[a] : -1));
        return buf;
    }
    return "";
}

static const char *edge_value(ex_t *e, int64_t t, int k, char *buf, size_t n)
{
    const iffnet_case_t *c = e->c;
    switch (k) {
    case EA_TXID: return iffnet_case_tx_id(c, t);
    case EA_TIME: iffnet_time_format(buf, n, c->tx_time[t], 0); return buf;
    case EA_TIMESTAMP: snprintf(buf, n, "%lld", (long long)c->tx_time[t]); return buf;
    case EA_AMOUNT: return money_text(e, c->tx_amount[t], c->tx_currency[t], buf, n);
    case EA_CURRENCY: return iffnet_case_currency(c, c->tx_currency[t]);
    case EA_VALUE: return money_text(e, iffnet_case_tx_value(c, t), e->vcur, buf, n);
    case EA_CHANNEL:
        return c->tx_channel && c->tx_channel[t] >= 0 ? iffnet_strtab_get(&c->channels, c->tx_channel[t]) : "";
    case EA_REFERENCE: return c->tx_reference ? iffnet_case_text(c, c->tx_reference[t]) : "";
    case EA_NALERTS: snprintf(buf, n, "%lld", (long long)(e->tx_off[t + 1] - e->tx_off[t])); return buf;
    case EA_ALERTS: return join_alerts(e, e->tx_off, e->tx_al, t);
    }
    return "";
}

/* Node colour: community palette, else red for accounts in alerts, else grey. */
static void node_rgb(const ex_t *e, int64_t a, int rgb[3])
{
    static const int pal[8][3] = {{86, 180, 233}, {230, 159, 0}, {0, 158, 115}, {240, 228, 66},
                                  {0, 114, 178}, {213, 94, 0}, {204, 121, 167}, {153, 153, 153}};
    int64_t k = e->x->community ? e->x->community[a] : -1;
    const int *p = k >= 0 ? pal[k % 7] : e->acc_off[a + 1] > e->acc_off[a] ? (const int[3]){214, 40, 40}
                                                                           : pal[7];
    memcpy(rgb, p, 3 * sizeof *rgb);
}

static double node_size(const ex_t *e, int64_t a)
{
    return e->max_vol > 0 ? 4 + 26 * sqrt(((double)e->in[a] + (double)e->out[a]) / e->max_vol) : 10;
}

/* ---- GraphML ---- */

/* An attribute's type as GraphML and GEXF both name it. */
static const char *xml_attr_type(char t)
{
    return t == 's' ? "string" : t == 'd' ? "double" : "long";
}

static void write_graphml(ex_t *e, FILE *fp)
{
    const iffnet_case_t *c = e->c;
    char buf[512];
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
          "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n", fp);
    for (int k = 0; k < NA_N; k++)
        fprintf(fp, "<key id=\"v_%s\" for=\"node\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                node_attrs[k].name, node_attrs[k].name, xml_attr_type(node_attrs[k].type));
    fputs("<key id=\"v_size\" for=\"node\" attr.name=\"size\" attr.type=\"double\"/>\n"
          "<key id=\"v_color\" for=\"node\" attr.name=\"color\" attr.type=\"string\"/>\n", fp);
    for (int k = 0; k < EA_N; k++)
        fprintf(fp, "<key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                edge_attrs[k].name, edge_attrs[k].name, xml_attr_type(edge_attrs[k].type));
    fputs("<graph id=\"", fp);
    iffnet_i_xml_text(fp, e->x->name ? e->x->name : "case", -1);
    fputs("\" edgedefault=\"directed\">\n", fp);
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int rgb[3];
        if (!selected(e, a)) continue;
        fputs("<node id=\"", fp);
        iffnet_i_xml_text(fp, iffnet_case_account_id(c, a), -1);
        fputs("\">", fp);
        for (int k = 0; k < NA_N; k++) {
            const char *v = node_value(e, a, k, buf, sizeof buf);
            if (node_attrs[k].type == 's' && !v[0]) continue;
            fprintf(fp, "<data key=\"v_%s\">", node_attrs[k].name);
            iffnet_i_xml_text(fp, v, -1);
            fputs("</data>", fp);
        }
        node_rgb(e, a, rgb);
        fprintf(fp, "<data key=\"v_size\">%.2f</data><data key=\"v_color\">#%02x%02x%02x</data></node>\n",
                node_size(e, a), rgb[0], rgb[1], rgb[2]);
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        if (!selected(e, c->tx_src[t]) || !selected(e, c->tx_dst[t])) continue;
        fprintf(fp, "<edge id=\"t%lld\" source=\"", (long long)t);
        iffnet_i_xml_text(fp, iffnet_case_account_id(c, c->tx_src[t]), -1);
        fputs("\" target=\"", fp);
        iffnet_i_xml_text(fp, iffnet_case_account_id(c, c->tx_dst[t]), -1);
        fputs("\">", fp);
        for (int k = 0; k < EA_N; k++) {
            const char *v = edge_value(e, t, k, buf, sizeof buf);
            if (edge_attrs[k].type == 's' && !v[0]) continue;
            fprintf(fp, "<data key=\"e_%s\">", edge_attrs[k].name);
            iffnet_i_xml_text(fp, v, -1);
            fputs("</data>", fp);
        }
        fputs("</edge>\n", fp);
    }
    fputs("</graph>\n</graphml>\n", fp);
}

/* ---- GEXF 1.2 (Gephi), with viz colour and size ----
 * 1.2 rather than 1.3: Gephi reads both, and the GEXF readers of other tools
 * (networkx up to 2.8, as Debian 12 ships it) read 1.1 and 1.2 only. */

static void write_gexf(ex_t *e, FILE *fp)
{
    const iffnet_case_t *c = e->c;
    char buf[512];
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<gexf xmlns=\"http://www.gexf.net/1.2draft\" xmlns:viz=\"http://www.gexf.net/1.2draft/viz\" "
          "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xsi:schemaLocation=\"http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd\" version=\"1.2\">\n"
          "<meta><creator>iffnet</creator><description>", fp);
    iffnet_i_xml_text(fp, e->x->name ? e->x->name : "case", -1);
    fputs("</description></meta>\n<graph defaultedgetype=\"directed\" mode=\"static\">\n"
          "<attributes class=\"node\">\n", fp);
    for (int k = 1; k < NA_N; k++)   /* label is the node's own label */
        fprintf(fp, "<attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n", node_attrs[k].name,
                node_attrs[k].name, xml_attr_type(node_attrs[k].type));
    fputs("</attributes>\n<attributes class=\"edge\">\n", fp);
    for (int k = 0; k < EA_N; k++)
        fprintf(fp, "<attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n", edge_attrs[k].name,
                edge_attrs[k].name, xml_attr_type(edge_attrs[k].type));
    fputs("</attributes>\n<nodes>\n", fp);
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int rgb[3];
        if (!selected(e, a)) continue;
        fputs("<node id=\"", fp);
        iffnet_i_xml_text(fp, iffnet_case_account_id(c, a), -1);
        fputs("\" label=\"", fp);
        iffnet_i_xml_text(fp, node_value(e, a, NA_LABEL, buf, sizeof buf), -1);
        fputs("\"><attvalues>", fp);
        for (int k = 1; k < NA_N; k++) {
            fprintf(fp, "<attvalue for=\"%s\" value=\"", node_attrs[k].name);
            iffnet_i_xml_text(fp, node_value(e, a, k, buf, sizeof buf), -1);
            fputs("\"/>", fp);
        }
        node_rgb(e, a, rgb);
        fprintf(fp, "</attvalues><viz:size value=\"%.2f\"/><viz:color r=\"%d\" g=\"%d\" b=\"%d\"/></node>\n",
                node_size(e, a), rgb[0], rgb[1], rgb[2]);
    }
    fputs("</nodes>\n<edges>\n", fp);
    for (int64_t t = 0; t < c->n_tx; t++) {
        if (!selected(e, c->tx_src[t]) || !selected(e, c->tx_dst[t])) continue;
        fprintf(fp, "<edge id=\"t%lld\" source=\"", (long long)t);
        iffnet_i_xml_text(fp, iffnet_case_account_id(c, c->tx_src[t]), -1);
        fputs("\" target=\"", fp);
        iffnet_i_xml_text(fp, iffnet_case_account_id(c, c->tx_dst[t]), -1);
        fprintf(fp, "\" weight=\"%s\"><attvalues>", edge_value(e, t, EA_VALUE, buf, sizeof buf));
        for (int k = 0; k < EA_N; k++) {
            fprintf(fp, "<attvalue for=\"%s\" value=\"", edge_attrs[k].name);
            iffnet_i_xml_text(fp, edge_value(e, t, k, buf, sizeof buf), -1);
            fputs("\"/>", fp);
        }
        fputs("</attvalues></edge>\n", fp);
    }
    fputs("</edges>\n</graph>\n</gexf>\n", fp);
}

/* ---- DOT ---- */

static void dot_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', fp);
        if (*s == '\n') fputs("\\n", fp);
        else if (*s != '\r') fputc(*s, fp);
    }
    fputc('"', fp);
}

static void write_dot(ex_t *e, FILE *fp)
{
    const iffnet_case_t *c = e->c;
    char buf[512], lab[160];
    fputs("digraph ", fp);
    dot_str(fp, e->x->name ? e->x->name : "case");
    fputs(" {\n  node [shape=ellipse, style=filled, fontsize=10];\n  edge [fontsize=8];\n", fp);
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int rgb[3];
        if (!selected(e, a)) continue;
        fputs("  ", fp);
        dot_str(fp, iffnet_case_account_id(c, a));
        fputs(" [", fp);
        for (int k = 0; k < NA_N; k++) {
            fprintf(fp, "%s%s=", k ? ", " : "", node_attrs[k].name);
            dot_str(fp, node_value(e, a, k, buf, sizeof buf));
        }
        node_rgb(e, a, rgb);
        fprintf(fp, ", fillcolor=\"#%02x%02x%02x\", width=%.2f];\n", rgb[0], rgb[1], rgb[2],
                node_size(e, a) / 30.0);
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        if (!selected(e, c->tx_src[t]) || !selected(e, c->tx_dst[t])) continue;
        fputs("  ", fp);
        dot_str(fp, iffnet_case_account_id(c, c->tx_src[t]));
        fputs(" -> ", fp);
        dot_str(fp, iffnet_case_account_id(c, c->tx_dst[t]));
        char d[16], m[48];
        iffnet_time_format(d, sizeof d, c->tx_time[t], 1);
        snprintf(lab, sizeof lab, "%s %s\n%s", edge_value(e, t, EA_AMOUNT, m, sizeof m),
                 iffnet_case_currency(c, c->tx_currency[t]), d);
        fputs(" [label=", fp);
        dot_str(fp, lab);
        for (int k = 0; k < EA_N; k++) {
            fprintf(fp, ", %s=", edge_attrs[k].name);
            dot_str(fp, edge_value(e, t, k, buf, sizeof buf));
        }
        fputs("];\n", fp);
    }
    fputs("}\n", fp);
}

/* ---- Cytoscape.js JSON (opened by Cytoscape desktop and web tools) ---- */

static void json_attr(iffnet_jsonw_t *w, const attr_t *at, const char *v)
{
    if (at->type == 's') iffnet_jsonw_str(w, at->name, v);
    else iffnet_jsonw_number(w, at->name, v); /* the text the XML formats write */
}

static void json_node(ex_t *e, iffnet_jsonw_t *w, int64_t a, char *buf, size_t n)
{
    iffnet_jsonw_object_begin(w, NULL);
    iffnet_jsonw_object_begin(w, "data");
    iffnet_jsonw_str(w, "id", iffnet_case_account_id(e->c, a));
    for (int k = 0; k < NA_N; k++) json_attr(w, &node_attrs[k], node_value(e, a, k, buf, n));
    iffnet_jsonw_end(w);
    iffnet_jsonw_end(w);
}

static void json_edge(ex_t *e, iffnet_jsonw_t *w, int64_t t, char *buf, size_t n)
{
    const iffnet_case_t *c = e->c;
    char id[32];
    snprintf(id, sizeof id, "t%lld", (long long)t);
    iffnet_jsonw_object_begin(w, NULL);
    iffnet_jsonw_object_begin(w, "data");
    iffnet_jsonw_str(w, "id", id);
    iffnet_jsonw_str(w, "source", iffnet_case_account_id(c, c->tx_src[t]));
    iffnet_jsonw_str(w, "target", iffnet_case_account_id(c, c->tx_dst[t]));
    for (int k = 0; k < EA_N; k++) json_attr(w, &edge_attrs[k], edge_value(e, t, k, buf, n));
    iffnet_jsonw_end(w);
    iffnet_jsonw_end(w);
}

/* One node or edge per line, so that large networks stay readable and diffable. */
static int write_json(ex_t *e, FILE *fp)
{
    const iffnet_case_t *c = e->c;
    iffnet_jsonw_t w;
    char buf[512];
    iffnet_jsonw_init(&w, fp);
    iffnet_jsonw_object_begin(&w, NULL);
    iffnet_jsonw_object_begin(&w, "data");
    iffnet_jsonw_str(&w, "name", e->x->name ? e->x->name : "case");
    iffnet_jsonw_end(&w);
    iffnet_jsonw_object_begin(&w, "elements");
    iffnet_jsonw_array_begin_lines(&w, "nodes");
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (selected(e, a)) json_node(e, &w, a, buf, sizeof buf);
    iffnet_jsonw_end(&w);
    iffnet_jsonw_array_begin_lines(&w, "edges");
    for (int64_t t = 0; t < c->n_tx; t++)
        if (selected(e, c->tx_src[t]) && selected(e, c->tx_dst[t])) json_edge(e, &w, t, buf, sizeof buf);
    iffnet_jsonw_end(&w);
    iffnet_jsonw_end(&w);
    iffnet_jsonw_end(&w);
    return iffnet_jsonw_finish(&w);
}

int iffnet_export_write(const iffnet_export_t *x, iffnet_export_format_t f, FILE *fp)
{
    if (f == IFFNET_EXPORT_GOAML) return iffnet_export_write_goaml(x, x->goaml_header, x->now, fp);
    if (f == IFFNET_EXPORT_FTM) return iffnet_export_write_ftm(x, fp);
    ex_t e;
    int err = ex_init(&e, x);
    if (err) goto out;
    switch (f) {
    case IFFNET_EXPORT_GRAPHML: write_graphml(&e, fp); break;
    case IFFNET_EXPORT_GEXF: write_gexf(&e, fp); break;
    case IFFNET_EXPORT_DOT: write_dot(&e, fp); break;
    case IFFNET_EXPORT_JSON: err = write_json(&e, fp); break;
    default:
        err = iffnet_i_seterr(IFFNET_EINVAL, "export: CSV writes two files: use iffnet_export_write_i2");
        goto out;
    }
    if (ferror(fp)) err = iffnet_i_seterr(IFFNET_EIO, "export: write error");
out:
    ex_free(&e);
    return err;
}

/* ---- i2 Analyst's Notebook: entity list + link list ----
 * Entities: the accounts, and the persons and companies behind them (holders,
 * and the directors and owners of those holders); links: the transactions, and
 * the relations among them (holds, director of, owns, ...). Cells are kept
 * from being read as formulas (iffnet_csv_write_cell); the numbers iffnet
 * writes are plain signed decimals, which that leaves as they are. */

static void csv_row(FILE *fp, const char *const *v, int n)
{
    for (int i = 0; i < n; i++) {
        if (i) fputc(',', fp);
        iffnet_csv_write_cell(fp, v[i], ',');
    }
    fputc('\n', fp);
}

static const char *i2_entity_type(const iffnet_case_t *c, int64_t e)
{
    const char *k = iffnet_case_text(c, c->entity_kind[e]);
    if (strcmp(k, "person") == 0) return "Person";
    if (strcmp(k, "account") == 0) return "Account";
    return "Organisation"; /* company, bank, ... */
}

/* The entities to list: holders of selected accounts, and the entities related
 * to those holders by a relation (director, owner, employer). */
static int i2_entities(const ex_t *e, char **out)
{
    const iffnet_case_t *c = e->c;
    char *keep = calloc((size_t)c->n_entities + 1, 1);
    if (!keep) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (selected(e, a) && c->account_holder && c->account_holder[a] >= 0) keep[c->account_holder[a]] = 1;
    for (int64_t r = 0; r < c->n_relations; r++) {
        int64_t s = c->rel_src_entity[r], d = c->rel_dst_entity[r];
        if (s >= 0 && d >= 0 && keep[d] == 1) keep[s] |= 2;
        if (s >= 0 && d >= 0 && keep[s] == 1) keep[d] |= 2;
    }
    /* an entity record of an account stands for the account itself: listed as the account */
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (c->account_entity && c->account_entity[a] >= 0) keep[c->account_entity[a]] = 0;
    *out = keep;
    return IFFNET_OK;
}

/* One end of relation r: its entity or its account, as (type, identity); NULL
 * when it is not in the lists. */
static const char *i2_end(const ex_t *e, const char *keep, int64_t r, int src, const char **type)
{
    const iffnet_case_t *c = e->c;
    int64_t x = src ? c->rel_src_entity[r] : c->rel_dst_entity[r], a = src ? c->rel_src_account[r] : c->rel_dst_account[r];
    if (a < 0 && x >= 0 && c->account_entity) /* an account's own record */
        for (int64_t k = 0; k < c->n_accounts && a < 0; k++)
            if (c->account_entity[k] == x) a = k;
    if (a >= 0) {
        *type = "Account";
        return selected(e, a) ? iffnet_case_account_id(c, a) : NULL;
    }
    if (x < 0 || !keep[x]) return NULL;
    *type = i2_entity_type(c, x);
    return iffnet_strtab_get(&c->entity_ids, x);
}

/* "Holds", "Director Of", "Owns", or the relation's own word. */
static const char *i2_link_type(const char *rel, char *buf, size_t n)
{
    if (strcmp(rel, "holds_account") == 0) return "Holds";
    if (strcmp(rel, "director_of") == 0) return "Director Of";
    if (strcmp(rel, "owns") == 0) return "Owns";
    if (strcmp(rel, "employs") == 0) return "Employs";
    snprintf(buf, n, "%s", rel);
    return buf;
}

static void i2_entity_rows(ex_t *e, const char *keep, FILE *fp)
{
    const iffnet_case_t *c = e->c;
    const char *v[14];
    for (int64_t x = 0; x < c->n_entities; x++) {
        if (!keep[x]) continue;
        const char *name = iffnet_case_text(c, c->entity_name[x]);
        v[0] = i2_entity_type(c, x);
        v[1] = iffnet_strtab_get(&c->entity_ids, x);
        v[2] = name[0] ? name : v[1];
        v[3] = name;
        v[4] = iffnet_case_text(c, c->entity_country[x]);
        v[5] = iffnet_case_text(c, c->entity_sector[x]);
        for (int k = 6; k < 14; k++) v[k] = "";
        csv_row(fp, v, 14);
    }
}

static void i2_relation_rows(ex_t *e, const char *keep, FILE *fp)
{
    const iffnet_case_t *c = e->c;
    const char *v[16], *ft, *tt;
    char id[32], type[64];
    for (int64_t r = 0; r < c->n_relations; r++) {
        const char *from = i2_end(e, keep, r, 1, &ft), *to = i2_end(e, keep, r, 0, &tt);
        if (!from || !to) continue;
        snprintf(id, sizeof id, "R%lld", (long long)(r + 1));
        v[0] = i2_link_type(iffnet_case_text(c, c->rel_type[r]), type, sizeof type);
        v[1] = id;
        v[2] = ft;
        v[3] = from;
        v[4] = tt;
        v[5] = to;
        v[6] = "Directed";
        for (int k = 7; k < 16; k++) v[k] = "";
        csv_row(fp, v, 16);
    }
}

int iffnet_export_write_i2(const iffnet_export_t *x, FILE *entities, FILE *links)
{
    static const char *const eh[] = {"Entity Type", "Identity", "Label", "Name", "Country", "Sector",
                                     "Amount In", "Amount Out", "Transactions", "Alert Count",
                                     "Alerts", "Typologies", "Max Score", "Community"};
    static const char *const lh[] = {"Link Type", "Link Identity", "From Entity Type", "From Identity",
                                     "To Entity Type", "To Identity", "Direction", "Date", "Time",
                                     "Amount", "Currency", "Value", "Channel", "Reference",
                                     "Alert Count", "Alerts"};
    const iffnet_case_t *c = x->c;
    char b[NA_N][512], d[32], *keep = NULL;
    const char *v[16];
    ex_t e;
    int err = ex_init(&e, x);
    if (err || (err = i2_entities(&e, &keep))) goto out;
    csv_row(entities, eh, 14);
    for (int64_t a = 0; a < c->n_accounts; a++) {
        if (!selected(&e, a)) continue;
        v[0] = "Account";
        v[1] = iffnet_case_account_id(c, a);
        for (int k = 0; k < NA_N; k++) {
            /* join_alerts shares one scratch buffer: copy each value out. */
            char tmp[512];
            snprintf(b[k], sizeof b[k], "%s", node_value(&e, a, k, tmp, sizeof tmp));
            v[2 + k] = b[k];
        }
        csv_row(entities, v, 14);
    }
    i2_entity_rows(&e, keep, entities);
    csv_row(links, lh, 16);
    for (int64_t t = 0; t < c->n_tx; t++) {
        if (!selected(&e, c->tx_src[t]) || !selected(&e, c->tx_dst[t])) continue;
        iffnet_time_format(d, sizeof d, c->tx_time[t], 0);
        d[10] = 0;
        v[0] = "Transaction";
        v[1] = iffnet_case_tx_id(c, t);
        v[2] = "Account";
        v[3] = iffnet_case_account_id(c, c->tx_src[t]);
        v[4] = "Account";
        v[5] = iffnet_case_account_id(c, c->tx_dst[t]);
        v[6] = "Directed";
        v[7] = d;
        v[8] = (snprintf(b[0], sizeof b[0], "%.8s", d + 11), b[0]);
        v[9] = edge_value(&e, t, EA_AMOUNT, b[1], sizeof b[1]);
        v[10] = edge_value(&e, t, EA_CURRENCY, b[2], sizeof b[2]);
        v[11] = edge_value(&e, t, EA_VALUE, b[3], sizeof b[3]);
        v[12] = edge_value(&e, t, EA_CHANNEL, b[4], sizeof b[4]);
        v[13] = edge_value(&e, t, EA_REFERENCE, b[5], sizeof b[5]);
        v[14] = edge_value(&e, t, EA_NALERTS, b[6], sizeof b[6]);
        v[15] = edge_value(&e, t, EA_ALERTS, b[7], sizeof b[7]);
        csv_row(links, v, 16);
    }
    i2_relation_rows(&e, keep, links);
    if (ferror(entities) || ferror(links)) err = iffnet_i_seterr(IFFNET_EIO, "export: write error");
out:
    free(keep);
    ex_free(&e);
    return err;
}

int iffnet_export_i2_paths(const char *out, char **entities, char **links)
{
    struct stat st;
    size_t len = strlen(out);
    int dir = (stat(out, &st) == 0 && S_ISDIR(st.st_mode)) || (len > 0 && out[len - 1] == '/');
    const char *sep = dir ? (len > 0 && out[len - 1] == '/' ? "" : "/") : "-";
    *entities = iffnet_i_asprintf("%s%sentities.csv", out, sep);
    *links = iffnet_i_asprintf("%s%slinks.csv", out, sep);
    if (!*entities || !*links) {
        free(*entities);
        free(*links);
        *entities = *links = NULL;
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}
