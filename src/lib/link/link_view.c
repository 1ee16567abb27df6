/* link_view.c: the network seen by link analysis: kept transactions aggregated
 * onto account or entity nodes as a simple directed weighted graph. */
#include "link_internal.h"
#include "iffnet/link.h"

void iffnet_view_opts_default(iffnet_view_opts_t *o)
{
    o->since = INT64_MIN;
    o->until = INT64_MAX;
    o->min_amount = 0;
    o->level = IFFNET_LEVEL_ACCOUNT;
    o->weight = IFFNET_WEIGHT_AMOUNT;
}

static void *xcalloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

/* Assigns a node to every account: the account itself, or at entity level the
 * holder entity shared by all its accounts. */
static int assign_nodes(iffnet_view_t *v)
{
    const iffnet_case_t *c = v->c;
    int64_t *entity_node = NULL;
    int err = IFFNET_OK;
    int64_t n = 0;

    v->account_node = xcalloc((size_t)c->n_accounts, sizeof *v->account_node);
    v->node_account = xcalloc((size_t)c->n_accounts, sizeof *v->node_account);
    v->node_entity = xcalloc((size_t)c->n_accounts, sizeof *v->node_entity);
    entity_node = xcalloc((size_t)c->n_entities, sizeof *entity_node);
    if (!v->account_node || !v->node_account || !v->node_entity || !entity_node) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory building the network");
        goto out;
    }
    for (int64_t e = 0; e < c->n_entities; e++)
        entity_node[e] = -1;
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int64_t h = (v->opts.level == IFFNET_LEVEL_ENTITY && c->account_holder)
                    ? c->account_holder[a] : -1;
        if (h >= 0 && h < c->n_entities) {
            if (entity_node[h] < 0) {
                entity_node[h] = n;
                v->node_account[n] = -1;
                v->node_entity[n] = h;
                n++;
            }
            v->account_node[a] = entity_node[h];
        } else {
            v->node_account[n] = a;
            v->node_entity[n] = -1;
            v->account_node[a] = n++;
        }
    }
    v->n_nodes = n;
out:
    free(entity_node);
    return err;
}

static int keep_tx(const iffnet_view_t *v, int64_t t)
{
    const iffnet_case_t *c = v->c;
    if (c->tx_time[t] < v->opts.since || c->tx_time[t] >= v->opts.until)
        return 0;
    return iffnet_case_tx_value(c, t) >= v->opts.min_amount;
}

/* A kept transaction with its end nodes, so the sorts and the edge pass read
 * sequentially instead of gathering through tx_src/account_node each time. */
typedef struct {
    int64_t t;
    int32_t s, d;
} rec_t;

/* Orders the kept non-self transactions by (source node, target node, time) with
 * two stable counting sorts (target, then source) over the time-sorted input. */
static int sort_pairs(iffnet_view_t *v, rec_t **sorted, int64_t *n_sorted)
{
    const iffnet_case_t *c = v->c;
    rec_t *tmp = NULL, *arr = NULL;
    int64_t *count = NULL, n = 0;
    int err = IFFNET_OK;

    tmp = xcalloc((size_t)c->n_tx, sizeof *tmp);
    arr = xcalloc((size_t)c->n_tx, sizeof *arr);
    count = xcalloc((size_t)v->n_nodes + 1, sizeof *count);
    if (!tmp || !arr || !count) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory building the network");
        goto out;
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        if (!keep_tx(v, t))
            continue;
        v->n_tx++;
        int32_t s = (int32_t)v->account_node[c->tx_src[t]], d = (int32_t)v->account_node[c->tx_dst[t]];
        if (s == d) {
            v->n_self++;
            continue;
        }
        arr[n++] = (rec_t){ t, s, d };
    }
    for (int pass = 0; pass < 2; pass++) {
        memset(count, 0, ((size_t)v->n_nodes + 1) * sizeof *count);
        for (int64_t i = 0; i < n; i++)
            count[(pass == 0 ? arr[i].d : arr[i].s) + 1]++;
        for (int64_t u = 0; u < v->n_nodes; u++)
            count[u + 1] += count[u];
        for (int64_t i = 0; i < n; i++)
            tmp[count[pass == 0 ? arr[i].d : arr[i].s]++] = arr[i];
        rec_t *sw = tmp; tmp = arr; arr = sw;
    }
    *sorted = arr;
    *n_sorted = n;
    arr = NULL;
out:
    free(tmp);
    free(arr);
    free(count);
    return err;
}

static int build_edges(iffnet_view_t *v, const rec_t *sorted, int64_t n)
{
    const iffnet_case_t *c = v->c;
    igraph_vector_int_t ends;
    igraph_t g;
    int err = IFFNET_OK, have_ends = 0;
    int64_t m = 0;

    for (int64_t i = 0; i < n; i++)
        if (i == 0 || sorted[i].s != sorted[i - 1].s || sorted[i].d != sorted[i - 1].d)
            m++;
    v->n_edges = m;
    v->edge_tx = xcalloc((size_t)n, sizeof *v->edge_tx);
    v->edge_tx_off = xcalloc((size_t)m + 1, sizeof *v->edge_tx_off);
    v->edge_amount = xcalloc((size_t)m, sizeof *v->edge_amount);
    if (!v->edge_tx || !v->edge_tx_off || !v->edge_amount ||
        igraph_vector_int_init(&ends, 2 * m) != IGRAPH_SUCCESS) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory building the network");
        goto out;
    }
    have_ends = 1;
    if (igraph_vector_resize(&v->weight, m) || igraph_vector_resize(&v->capacity, m)) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory building the network");
        goto out;
    }
    int64_t e = -1;
    for (int64_t i = 0; i < n; i++) {
        int64_t t = sorted[i].t, s = sorted[i].s, d = sorted[i].d;
        if (e < 0 || VECTOR(ends)[2 * e] != s || VECTOR(ends)[2 * e + 1] != d) {
            e++;
            VECTOR(ends)[2 * e] = s;
            VECTOR(ends)[2 * e + 1] = d;
            v->edge_tx_off[e] = i;
        }
        iffnet_money_t val = iffnet_case_tx_value(c, t);
        v->edge_tx[i] = t;
        v->edge_amount[e] += val;
        v->out_amount[s] += val;
        v->in_amount[d] += val;
        v->out_count[s]++;
        v->in_count[d]++;
    }
    v->edge_tx_off[m] = n;
    for (e = 0; e < m; e++) {
        VECTOR(v->capacity)[e] = (double)v->edge_amount[e];
        VECTOR(v->weight)[e] = v->opts.weight == IFFNET_WEIGHT_COUNT
            ? (double)(v->edge_tx_off[e + 1] - v->edge_tx_off[e]) : (double)v->edge_amount[e];
    }
    err = iffnet_i_igraph_err(igraph_create(&g, &ends, v->n_nodes, IGRAPH_DIRECTED), "building the network");
    if (!err) {
        igraph_destroy(&v->graph);
        v->graph = g;
    }
out:
    if (have_ends)
        igraph_vector_int_destroy(&ends);
    return err;
}

int iffnet_view_build(iffnet_view_t *v, iffnet_case_t *c, const iffnet_view_opts_t *o)
{
    rec_t *sorted = NULL;
    int64_t n = 0;
    int err;

    memset(v, 0, sizeof *v);
    v->c = c;
    if (o)
        v->opts = *o;
    else
        iffnet_view_opts_default(&v->opts);
    igraph_vector_init(&v->weight, 0);
    igraph_vector_init(&v->capacity, 0);
    igraph_empty(&v->graph, 0, IGRAPH_DIRECTED);
    v->value_currency = iffnet_case_value_currency(c);
    v->value_scale = v->value_currency >= 0 && c->currency_scale ? c->currency_scale[v->value_currency] : 2;
    if ((err = assign_nodes(v)))
        goto out;
    v->in_amount = xcalloc((size_t)v->n_nodes, sizeof *v->in_amount);
    v->out_amount = xcalloc((size_t)v->n_nodes, sizeof *v->out_amount);
    v->in_count = xcalloc((size_t)v->n_nodes, sizeof *v->in_count);
    v->out_count = xcalloc((size_t)v->n_nodes, sizeof *v->out_count);
    if (!v->in_amount || !v->out_amount || !v->in_count || !v->out_count) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory building the network");
        goto out;
    }
    if (v->n_nodes > INT32_MAX) {
        err = iffnet_i_seterr(IFFNET_ELIMIT, "more than %d nodes", INT32_MAX);
        goto out;
    }
    if ((err = sort_pairs(v, &sorted, &n)))
        goto out;
    err = build_edges(v, sorted, n);
out:
    free(sorted);
    if (err)
        iffnet_view_destroy(v);
    return err;
}

void iffnet_view_destroy(iffnet_view_t *v)
{
    if (!v->c)
        return;
    igraph_destroy(&v->graph);
    igraph_vector_destroy(&v->weight);
    igraph_vector_destroy(&v->capacity);
    free(v->node_account);
    free(v->node_entity);
    free(v->account_node);
    free(v->edge_amount);
    free(v->edge_tx_off);
    free(v->edge_tx);
    free(v->in_amount);
    free(v->out_amount);
    free(v->in_count);
    free(v->out_count);
    memset(v, 0, sizeof *v);
}

const char *iffnet_view_node_id(const iffnet_view_t *v, int64_t u)
{
    if (v->node_entity[u] >= 0)
        return iffnet_strtab_get(&v->c->entity_ids, v->node_entity[u]);
    return iffnet_case_account_id(v->c, v->node_account[u]);
}

const char *iffnet_view_node_name(const iffnet_view_t *v, int64_t u)
{
    if (v->node_entity[u] >= 0)
        return iffnet_case_text(v->c, v->c->entity_name[v->node_entity[u]]);
    return iffnet_case_account_name(v->c, v->node_account[u]);
}

const char *iffnet_view_node_country(const iffnet_view_t *v, int64_t u)
{
    if (v->node_entity[u] >= 0)
        return iffnet_case_text(v->c, v->c->entity_country[v->node_entity[u]]);
    return iffnet_case_account_country(v->c, v->node_account[u]);
}

const char *iffnet_view_node_sector(const iffnet_view_t *v, int64_t u)
{
    if (v->node_entity[u] >= 0)
        return iffnet_case_text(v->c, v->c->entity_sector[v->node_entity[u]]);
    return iffnet_case_account_sector(v->c, v->node_account[u]);
}

int64_t iffnet_view_find(const iffnet_view_t *v, const char *id)
{
    int64_t a = iffnet_case_find_account(v->c, id);
    if (a >= 0)
        return v->account_node[a];
    if (v->opts.level == IFFNET_LEVEL_ENTITY) {
        int64_t e = iffnet_strtab_find(&v->c->entity_ids, id, strlen(id));
        if (e >= 0)
            for (int64_t u = 0; u < v->n_nodes; u++)
                if (v->node_entity[u] == e)
                    return u;
        if (e >= 0) {
            iffnet_i_seterr(IFFNET_EINVAL, "entity '%s' holds no account in the case", id);
            return -1;
        }
    }
    iffnet_i_seterr(IFFNET_EINVAL, "no account%s '%s' in the case",
                    v->opts.level == IFFNET_LEVEL_ENTITY ? " or entity" : "", id);
    return -1;
}
