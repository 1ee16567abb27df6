/* link_path.c: how one node is connected to another: k shortest static paths
 * (igraph, Yen), k shortest time-respecting paths (our own label-setting search,
 * igraph has none), hubs skipped, and the static maximum flow. */
#include <math.h>
#include "link_internal.h"
#include "iffnet/link.h"

void iffnet_path_opts_default(iffnet_path_opts_t *o)
{
    o->max_hops = 6;
    o->k = 3;
    o->time_respecting = 0;
    o->skip_degree = 0;
}

void iffnet_paths_init(iffnet_paths_t *p)
{
    memset(p, 0, sizeof *p);
}

void iffnet_paths_destroy(iffnet_paths_t *p)
{
    free(p->off);
    free(p->hop_src);
    free(p->hop_dst);
    free(p->hop_edge);
    free(p->hop_tx);
    free(p->skipped);
    free(p->cut);
    memset(p, 0, sizeof *p);
}

static int add_hop(iffnet_paths_t *p, int64_t s, int64_t d, int64_t e, int64_t t)
{
    if (p->n_hops == p->cap_hops) {
        int64_t cap = p->cap_hops ? 2 * p->cap_hops : 16;
        int64_t *a = realloc(p->hop_src, (size_t)cap * sizeof *a);
        if (a) p->hop_src = a;
        int64_t *b = realloc(p->hop_dst, (size_t)cap * sizeof *b);
        if (b) p->hop_dst = b;
        int64_t *c = realloc(p->hop_edge, (size_t)cap * sizeof *c);
        if (c) p->hop_edge = c;
        int64_t *d2 = realloc(p->hop_tx, (size_t)cap * sizeof *d2);
        if (d2) p->hop_tx = d2;
        if (!a || !b || !c || !d2)
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory finding paths");
        p->cap_hops = cap;
    }
    p->hop_src[p->n_hops] = s;
    p->hop_dst[p->n_hops] = d;
    p->hop_edge[p->n_hops] = e;
    p->hop_tx[p->n_hops] = t;
    p->n_hops++;
    return IFFNET_OK;
}

/* Opens path number n_paths (the off array holds n_paths + 1 entries). */
static int open_path(iffnet_paths_t *p)
{
    int64_t *o = realloc(p->off, (size_t)(p->n_paths + 2) * sizeof *o);
    if (!o)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory finding paths");
    p->off = o;
    p->off[p->n_paths] = p->n_hops;
    return IFFNET_OK;
}

static void close_path(iffnet_paths_t *p)
{
    p->n_paths++;
    p->off[p->n_paths] = p->n_hops;
}

/* hub[u] = 1 for nodes with more distinct counterparts than the limit, except
 * the two ends. Then lists the hubs a search from `from` would have entered:
 * out-neighbours of non-hub nodes within max_hops - 1 hops. */
static int find_hubs(const iffnet_view_t *v, int64_t from, int64_t to,
                     const iffnet_path_opts_t *o, char *hub, iffnet_paths_t *p)
{
    igraph_vector_int_t deg, nei;
    int64_t *dist = NULL, *queue = NULL, head = 0, tail = 0;
    int err = IFFNET_OK;

    if (igraph_vector_int_init(&deg, 0))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (igraph_vector_int_init(&nei, 0)) {
        igraph_vector_int_destroy(&deg);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    if ((err = iffnet_i_igraph_err(igraph_degree(&v->graph, &deg, igraph_vss_all(), IGRAPH_ALL, 1),
                                   "degree")))
        goto out;
    for (int64_t u = 0; u < v->n_nodes; u++)
        hub[u] = o->skip_degree > 0 && VECTOR(deg)[u] > o->skip_degree && u != from && u != to;
    dist = malloc((size_t)v->n_nodes * sizeof *dist);
    queue = malloc((size_t)v->n_nodes * sizeof *queue);
    p->skipped = malloc((size_t)v->n_nodes * sizeof *p->skipped);
    if (!dist || !queue || !p->skipped) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t u = 0; u < v->n_nodes; u++)
        dist[u] = -1;
    dist[from] = 0;
    queue[tail++] = from;
    while (head < tail) {
        int64_t u = queue[head++];
        if (dist[u] >= o->max_hops || (u == to))
            continue;
        if ((err = iffnet_i_igraph_err(igraph_neighbors(&v->graph, &nei, u, IGRAPH_OUT), "neighbours")))
            goto out;
        for (int64_t i = 0; i < igraph_vector_int_size(&nei); i++) {
            int64_t w = VECTOR(nei)[i];
            if (dist[w] >= 0)
                continue;
            dist[w] = dist[u] + 1;
            if (hub[w])
                p->skipped[p->n_skipped++] = w;
            else
                queue[tail++] = w;
        }
    }
out:
    free(dist);
    free(queue);
    igraph_vector_int_destroy(&deg);
    igraph_vector_int_destroy(&nei);
    return err;
}

/* Static k shortest paths by hop count; edges at hubs get infinite length,
 * which igraph's shortest-path searches treat as absent. */
static int static_paths(const iffnet_view_t *v, int64_t from, int64_t to, const iffnet_path_opts_t *o,
                        const char *hub, iffnet_paths_t *p)
{
    igraph_vector_t len;
    igraph_vector_int_list_t vpaths, epaths;
    igraph_vector_int_t ends;
    int err = IFFNET_OK;

    if (igraph_vector_init(&len, v->n_edges))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    igraph_vector_int_list_init(&vpaths, 0);
    igraph_vector_int_list_init(&epaths, 0);
    igraph_vector_int_init(&ends, 0);
    if ((err = iffnet_i_igraph_err(igraph_edges(&v->graph, igraph_ess_all(IGRAPH_EDGEORDER_ID), &ends),
                                   "edges")))
        goto out;
    for (int64_t e = 0; e < v->n_edges; e++)
        VECTOR(len)[e] = hub[VECTOR(ends)[2 * e]] || hub[VECTOR(ends)[2 * e + 1]] ? INFINITY : 1.0;
    if ((err = iffnet_i_igraph_err(igraph_get_k_shortest_paths(&v->graph, &len, &vpaths, &epaths,
                                                               o->k, from, to, IGRAPH_OUT),
                                   "k shortest paths")))
        goto out;
    for (int64_t i = 0; i < igraph_vector_int_list_size(&epaths); i++) {
        igraph_vector_int_t *ep = igraph_vector_int_list_get_ptr(&epaths, i);
        int64_t h = igraph_vector_int_size(ep);
        if (h == 0 || h > o->max_hops)
            continue;
        if ((err = open_path(p)))
            goto out;
        for (int64_t j = 0; j < h; j++) {
            int64_t e = VECTOR(*ep)[j];
            if ((err = add_hop(p, VECTOR(ends)[2 * e], VECTOR(ends)[2 * e + 1], e, -1)))
                goto out;
        }
        close_path(p);
    }
out:
    igraph_vector_destroy(&len);
    igraph_vector_int_list_destroy(&vpaths);
    igraph_vector_int_list_destroy(&epaths);
    igraph_vector_int_destroy(&ends);
    return err;
}

/* ---- time-respecting paths ---- */

typedef struct {
    int64_t node, tx, parent, hops;  /* tx: last transaction (-1 at the start) */
    iffnet_time_t time;
} label_t;

typedef struct {
    label_t *a;
    int64_t n, cap;
} labels_t;

static int labels_push(labels_t *l, label_t x)
{
    if (l->n == l->cap &&
        iffnet_i_reserve((void **)&l->a, &l->cap, l->n + 1, sizeof *l->a))
        return IFFNET_ENOMEM;
    l->a[l->n++] = x;
    return IFFNET_OK;
}

static int cmp_label(const void *x, const void *y)
{
    const label_t *a = x, *b = y;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    if (a->tx != b->tx)
        return a->tx < b->tx ? -1 : 1;
    return (a->parent > b->parent) - (a->parent < b->parent);
}

/* 1 when node w is already on the path that ends with label i. */
static int on_path(const labels_t *all, int64_t i, int64_t w)
{
    for (; i >= 0; i = all->a[i].parent)
        if (all->a[i].node == w)
            return 1;
    return 0;
}

/* First transaction of edge e strictly after t (binary search), or -1. */
static int64_t first_after(const iffnet_view_t *v, int64_t e, iffnet_time_t t)
{
    int64_t lo = v->edge_tx_off[e], hi = v->edge_tx_off[e + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (v->c->tx_time[v->edge_tx[mid]] > t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo < v->edge_tx_off[e + 1] ? v->edge_tx[lo] : -1;
}

typedef struct {
    const iffnet_view_t *v;
    const iffnet_path_opts_t *o;
    const char *hub;
    int64_t to;
    labels_t all;       /* accepted labels; parents index into it */
    labels_t cand;      /* candidates of the next layer */
    iffnet_time_t **kept; /* per node: accepted label times (k per layer at most), lazily */
    int64_t *n_kept;
    igraph_vector_int_t inc;
} trsearch_t;

/* Expands accepted label i: the earliest later transaction to each neighbour. */
static int expand(trsearch_t *s, int64_t i)
{
    const iffnet_view_t *v = s->v;
    label_t l = s->all.a[i];
    int err = iffnet_i_igraph_err(igraph_incident(&v->graph, &s->inc, l.node, IGRAPH_OUT), "edges");
    for (int64_t j = 0; !err && j < igraph_vector_int_size(&s->inc); j++) {
        int64_t e = VECTOR(s->inc)[j];
        int64_t w = IGRAPH_TO(&v->graph, e);
        if (s->hub[w] || on_path(&s->all, i, w))
            continue;
        int64_t t = first_after(v, e, l.time);
        if (t < 0)
            continue;
        label_t x = { w, t, i, l.hops + 1, v->c->tx_time[t] };
        if (labels_push(&s->cand, x))
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory finding paths");
    }
    return err;
}

/* Accepts a candidate unless k labels already reach its node no later. */
static int accept(trsearch_t *s, const label_t *x, int *accepted)
{
    int64_t w = x->node, before = 0;
    *accepted = 0;
    for (int64_t j = 0; j < s->n_kept[w]; j++)
        before += s->kept[w][j] <= x->time;
    if (before >= s->o->k || s->n_kept[w] >= s->o->k * s->o->max_hops)
        return IFFNET_OK;
    if (!s->kept[w] &&
        !(s->kept[w] = malloc((size_t)(s->o->k * s->o->max_hops) * sizeof **s->kept)))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory finding paths");
    s->kept[w][s->n_kept[w]++] = x->time;
    *accepted = 1;
    return labels_push(&s->all, *x) ? iffnet_i_seterr(IFFNET_ENOMEM, "out of memory") : IFFNET_OK;
}

static int emit_tr_path(trsearch_t *s, int64_t i, iffnet_paths_t *p)
{
    int64_t h = s->all.a[i].hops, j = i;
    int64_t *chain = malloc((size_t)h * sizeof *chain);
    int err;
    if (!chain)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t k = h - 1; k >= 0; k--, j = s->all.a[j].parent)
        chain[k] = j;
    err = open_path(p);
    for (int64_t k = 0; !err && k < h; k++) {
        label_t *l = &s->all.a[chain[k]];
        int64_t e = -1, src = s->all.a[l->parent].node;
        igraph_get_eid(&s->v->graph, &e, src, l->node, 1, 0);
        err = add_hop(p, src, l->node, e, l->tx);
    }
    if (!err)
        close_path(p);
    free(chain);
    return err;
}

static int cmp_arrival(const void *x, const void *y)
{
    const label_t *a = x, *b = y;
    if (a->hops != b->hops)
        return a->hops < b->hops ? -1 : 1;
    return cmp_label(x, y);
}

static int tr_paths(const iffnet_view_t *v, int64_t from, int64_t to, const iffnet_path_opts_t *o,
                    const char *hub, iffnet_paths_t *p)
{
    trsearch_t s = { v, o, hub, to, {0}, {0}, NULL, NULL, {0} };
    label_t *arrivals = NULL;
    int64_t n_arr = 0, layer_start = 0;
    int err = IFFNET_OK;

    igraph_vector_int_init(&s.inc, 0);
    s.n_kept = calloc((size_t)v->n_nodes, sizeof *s.n_kept);
    s.kept = calloc((size_t)v->n_nodes, sizeof *s.kept);
    if (!s.n_kept || !s.kept) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory finding paths");
        goto out;
    }
    label_t start = { from, -1, -1, 0, INT64_MIN };
    if (labels_push(&s.all, start)) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t h = 1; h <= o->max_hops && layer_start < s.all.n; h++) {
        int64_t layer_end = s.all.n;
        s.cand.n = 0;
        for (int64_t i = layer_start; i < layer_end && !err; i++)
            if (s.all.a[i].node != to)
                err = expand(&s, i);
        if (err)
            goto out;
        if (s.cand.n > 1)
            qsort(s.cand.a, (size_t)s.cand.n, sizeof *s.cand.a, cmp_label);
        for (int64_t i = 0; i < s.cand.n; i++) {
            int acc;
            if ((err = accept(&s, &s.cand.a[i], &acc)))
                goto out;
        }
        layer_start = layer_end;
    }
    /* Arrivals at `to`: fewest hops first, then earliest arrival. */
    arrivals = malloc((size_t)(s.all.n) * sizeof *arrivals);
    if (!arrivals) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < s.all.n; i++)
        if (s.all.a[i].node == to && s.all.a[i].hops > 0) {
            arrivals[n_arr] = s.all.a[i];
            arrivals[n_arr].parent = i; /* remember the label index */
            n_arr++;
        }
    qsort(arrivals, (size_t)n_arr, sizeof *arrivals, cmp_arrival);
    for (int64_t i = 0; i < n_arr && i < o->k && !err; i++)
        err = emit_tr_path(&s, arrivals[i].parent, p);
out:
    free(arrivals);
    free(s.all.a);
    free(s.cand.a);
    for (int64_t u = 0; s.kept && u < v->n_nodes; u++)
        free(s.kept[u]);
    free(s.kept);
    free(s.n_kept);
    igraph_vector_int_destroy(&s.inc);
    return err;
}

/* Static max flow with value capacities; edges at hubs get capacity 0. */
static int max_flow(const iffnet_view_t *v, int64_t from, int64_t to, const char *hub,
                    iffnet_paths_t *p)
{
    igraph_vector_t cap;
    igraph_vector_int_t cut;
    igraph_real_t value = 0;
    int err;

    if (igraph_vector_init_copy(&cap, &v->capacity))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    igraph_vector_int_init(&cut, 0);
    for (int64_t e = 0; e < v->n_edges; e++)
        if (hub[IGRAPH_FROM(&v->graph, e)] || hub[IGRAPH_TO(&v->graph, e)])
            VECTOR(cap)[e] = 0;
    err = iffnet_i_igraph_err(igraph_maxflow(&v->graph, &value, NULL, &cut, NULL, NULL, from, to,
                                             &cap, NULL), "maximum flow");
    if (!err) {
        /* Capacities are integer minor units summed exactly below 2^53. */
        p->max_flow = (iffnet_money_t)llround(value);
        p->n_cut = igraph_vector_int_size(&cut);
        p->cut = malloc((size_t)(p->n_cut ? p->n_cut : 1) * sizeof *p->cut);
        if (!p->cut)
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        for (int64_t i = 0; !err && i < p->n_cut; i++)
            p->cut[i] = VECTOR(cut)[i];
    }
    igraph_vector_destroy(&cap);
    igraph_vector_int_destroy(&cut);
    return err;
}

int iffnet_path_find(const iffnet_view_t *v, int64_t from, int64_t to,
                     const iffnet_path_opts_t *o, iffnet_paths_t *p)
{
    char *hub = NULL;
    int err;

    iffnet_paths_init(p);
    if (from < 0 || to < 0 || from >= v->n_nodes || to >= v->n_nodes)
        return iffnet_i_seterr(IFFNET_EINVAL, "path ends out of range");
    if (from == to)
        return iffnet_i_seterr(IFFNET_EINVAL, "'%s' is both ends of the path (at this level)",
                               iffnet_view_node_id(v, from));
    if (o->k < 1 || o->max_hops < 1)
        return iffnet_i_seterr(IFFNET_EINVAL, "k and max hops must be at least 1");
    hub = malloc((size_t)v->n_nodes);
    if (!hub || (p->off = malloc(sizeof *p->off)) == NULL) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    p->off[0] = 0;
    if ((err = find_hubs(v, from, to, o, hub, p)))
        goto out;
    err = o->time_respecting ? tr_paths(v, from, to, o, hub, p) : static_paths(v, from, to, o, hub, p);
    if (!err)
        err = max_flow(v, from, to, hub, p);
out:
    free(hub);
    if (err)
        iffnet_paths_destroy(p);
    return err;
}
