/* link_rank.c: centrality scores of the nodes of a view. */
#include <math.h>
#include "link_internal.h"
#include "iffnet/link.h"

#define IFFNET_I_NAME(e, s) s,
static const char *const rank_names[] = { IFFNET_RANK_METHODS(IFFNET_I_NAME) };
#undef IFFNET_I_NAME

int iffnet_rank_parse(const char *s, iffnet_rank_by_t *by)
{
    for (int i = 0; i < IFFNET_RANK_N; i++)
        if (strcmp(s, rank_names[i]) == 0) {
            *by = (iffnet_rank_by_t)i;
            return IFFNET_OK;
        }
    return iffnet_i_seterr(IFFNET_EINVAL, "unknown ranking '%s'", s);
}

const char *iffnet_rank_name(iffnet_rank_by_t by)
{
    return by < IFFNET_RANK_N ? rank_names[by] : "?";
}

void iffnet_rank_opts_default(iffnet_rank_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->by = IFFNET_RANK_PAGERANK;
    o->damping = 0.85;
    o->cutoff = -1;
    o->auto_limit = 20000;
    o->budget = IFFNET_RANK_BUDGET;
}

int iffnet_rank_init(iffnet_rank_t *r)
{
    r->note[0] = 0;
    if (igraph_vector_init(&r->score, 0))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (igraph_vector_init(&r->score2, 0)) {
        igraph_vector_destroy(&r->score);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

void iffnet_rank_destroy(iffnet_rank_t *r)
{
    igraph_vector_destroy(&r->score);
    igraph_vector_destroy(&r->score2);
}

static int pagerank(const iffnet_view_t *v, const iffnet_rank_opts_t *o, igraph_vector_t *res)
{
    igraph_vector_t reset;
    int err;

    if (!o->n_personal)
        return iffnet_i_igraph_err(igraph_pagerank(&v->graph, IGRAPH_PAGERANK_ALGO_PRPACK, res,
                                                   NULL, igraph_vss_all(), 1, o->damping,
                                                   &v->weight, NULL), "PageRank");
    if (igraph_vector_init(&reset, v->n_nodes))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < o->n_personal; i++)
        VECTOR(reset)[o->personal[i]] = 1;
    err = iffnet_i_igraph_err(igraph_personalized_pagerank(&v->graph, IGRAPH_PAGERANK_ALGO_PRPACK,
                                                           res, NULL, igraph_vss_all(), 1,
                                                           o->damping, &reset, &v->weight, NULL),
                              "personalised PageRank");
    igraph_vector_destroy(&reset);
    return err;
}

/* ---- betweenness ----
 * Brandes' algorithm (2001) for directed shortest paths counted in hops, from
 * the sources in a random order (igraph's seeded RNG). Each source adds its
 * exact dependencies; the edges looked at are counted, and when the budget runs
 * out after s of n sources the sum is scaled by n/s: the sources done are a
 * uniform random sample, which makes that an unbiased estimate of the exact
 * score (Brandes and Pich 2007). Without a budget, or within it, the result is
 * exact. A cutoff k keeps only paths of at most k hops (igraph's semantics). */

typedef struct {
    int64_t n, *off, *adj;          /* out-neighbours, CSR (parallel edges repeated) */
    int64_t *dist, *order;
    double *sigma, *delta;
} brandes_t;

static void brandes_free(brandes_t *b)
{
    free(b->off);
    free(b->adj);
    free(b->dist);
    free(b->order);
    free(b->sigma);
    free(b->delta);
}

static int brandes_init(brandes_t *b, const iffnet_view_t *v)
{
    int64_t n = v->n_nodes, m = igraph_ecount(&v->graph);
    memset(b, 0, sizeof *b);
    b->n = n;
    b->off = calloc((size_t)n + 1, sizeof *b->off);
    b->adj = malloc((size_t)(m ? m : 1) * sizeof *b->adj);
    b->dist = malloc((size_t)(n ? n : 1) * sizeof *b->dist);
    b->order = malloc((size_t)(n ? n : 1) * sizeof *b->order);
    b->sigma = calloc((size_t)(n ? n : 1), sizeof *b->sigma);
    b->delta = calloc((size_t)(n ? n : 1), sizeof *b->delta);
    if (!b->off || !b->adj || !b->dist || !b->order || !b->sigma || !b->delta) {
        brandes_free(b);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (betweenness)");
    }
    for (int64_t e = 0; e < m; e++) b->off[IGRAPH_FROM(&v->graph, e) + 1]++;
    for (int64_t u = 0; u < n; u++) b->off[u + 1] += b->off[u];
    int64_t *fill = b->order; /* borrowed as a cursor per node */
    for (int64_t u = 0; u < n; u++) fill[u] = b->off[u];
    for (int64_t e = 0; e < m; e++) b->adj[fill[IGRAPH_FROM(&v->graph, e)]++] = IGRAPH_TO(&v->graph, e);
    for (int64_t u = 0; u < n; u++) b->dist[u] = -1;
    return IFFNET_OK;
}

/* Adds the dependencies of source s to res; returns the edges looked at. */
static int64_t brandes_source(brandes_t *b, int64_t s, int64_t cutoff, igraph_vector_t *res)
{
    int64_t head = 0, tail = 0, steps = 0;
    b->order[tail++] = s;
    b->dist[s] = 0;
    b->sigma[s] = 1;
    while (head < tail) {
        int64_t u = b->order[head++];
        if (cutoff > 0 && b->dist[u] >= cutoff) continue;
        steps += b->off[u + 1] - b->off[u];
        for (int64_t k = b->off[u]; k < b->off[u + 1]; k++) {
            int64_t w = b->adj[k];
            if (b->dist[w] < 0) {
                b->dist[w] = b->dist[u] + 1;
                b->order[tail++] = w;
            }
            if (b->dist[w] == b->dist[u] + 1) b->sigma[w] += b->sigma[u];
        }
    }
    /* Back from the farthest: each node passes its share of the dependency on
     * to the predecessors, found again as the neighbours one hop nearer. */
    for (int64_t i = tail - 1; i > 0; i--) {
        int64_t w = b->order[i];
        if (cutoff > 0 && b->dist[w] >= cutoff) continue;
        steps += b->off[w + 1] - b->off[w];
        for (int64_t k = b->off[w]; k < b->off[w + 1]; k++) {
            int64_t x = b->adj[k];
            if (b->dist[x] == b->dist[w] + 1) b->delta[w] += b->sigma[w] / b->sigma[x] * (1 + b->delta[x]);
        }
        VECTOR(*res)[w] += b->delta[w];
    }
    for (int64_t i = 0; i < tail; i++) {
        int64_t u = b->order[i];
        b->dist[u] = -1;
        b->sigma[u] = b->delta[u] = 0;
    }
    return steps;
}

static int betweenness(const iffnet_view_t *v, const iffnet_rank_opts_t *o, iffnet_rank_t *r)
{
    int64_t n = v->n_nodes, cutoff = o->cutoff, nsrc = n, done = 0, steps = 0;
    int sampled = o->samples > 0 && o->samples < n;
    brandes_t b;
    igraph_vector_int_t src;

    if (cutoff < 0)
        cutoff = n > o->auto_limit ? 4 : 0;
    if (sampled)
        nsrc = o->samples;
    if (igraph_vector_resize(&r->score, n))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    igraph_vector_null(&r->score);
    if (igraph_vector_int_init_range(&src, 0, n))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    IFFNET_TRY(brandes_init(&b, v));
    /* Fisher-Yates with igraph's seeded RNG: sources in random order. */
    for (int64_t i = 0; i + 1 < n; i++) {
        int64_t j = RNG_INTEGER(i, n - 1);
        igraph_integer_t t = VECTOR(src)[i];
        VECTOR(src)[i] = VECTOR(src)[j];
        VECTOR(src)[j] = t;
    }
    int64_t every = nsrc / 100 + 1;
    while (done < nsrc && (o->budget <= 0 || steps < o->budget)) {
        steps += brandes_source(&b, VECTOR(src)[done], cutoff, &r->score);
        done++;
        if (o->progress && (done == 1 || done % every == 0 || done == nsrc))
            o->progress(o->progress_arg, "betweenness", done, nsrc);
    }
    brandes_free(&b);
    igraph_vector_int_destroy(&src);
    if (done < n)
        igraph_vector_scale(&r->score, (double)n / (double)done);
    if (done < nsrc)
        snprintf(r->note, sizeof r->note,
                 "betweenness estimated from %lld random sources of %lld (scaled): the step budget of %lld "
                 "edge visits ran out (--budget)", (long long)done, (long long)n, (long long)o->budget);
    else if (sampled)
        snprintf(r->note, sizeof r->note, "betweenness estimated from %lld random sources of %lld (scaled)",
                 (long long)done, (long long)n);
    else if (cutoff > 0)
        snprintf(r->note, sizeof r->note,
                 "betweenness counts only shortest paths of at most %lld hops%s", (long long)cutoff,
                 o->cutoff < 0 ? " (automatic on a large case; --cutoff 0 for exact)" : "");
    return IFFNET_OK;
}

static int simple_scores(const iffnet_view_t *v, iffnet_rank_by_t by, igraph_vector_t *res)
{
    igraph_vector_int_t deg;
    int err;

    if (by == IFFNET_RANK_STRENGTH)
        return iffnet_i_igraph_err(igraph_strength(&v->graph, res, igraph_vss_all(), IGRAPH_ALL, 1,
                                                   &v->weight), "strength");
    if (igraph_vector_int_init(&deg, 0))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (by == IFFNET_RANK_DEGREE)
        err = iffnet_i_igraph_err(igraph_degree(&v->graph, &deg, igraph_vss_all(), IGRAPH_ALL, 1),
                                  "degree");
    else
        err = iffnet_i_igraph_err(igraph_coreness(&v->graph, &deg, IGRAPH_ALL), "coreness");
    if (!err && igraph_vector_resize(res, v->n_nodes))
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; !err && i < v->n_nodes; i++)
        VECTOR(*res)[i] = (double)VECTOR(deg)[i];
    igraph_vector_int_destroy(&deg);
    return err;
}

int iffnet_rank_compute(const iffnet_view_t *v, const iffnet_rank_opts_t *o, iffnet_rank_t *r)
{
    igraph_arpack_options_t arpack;

    r->note[0] = 0;
    igraph_vector_clear(&r->score2);
    if (v->n_nodes == 0)
        return igraph_vector_resize(&r->score, 0) ? IFFNET_ENOMEM : IFFNET_OK;
    switch (o->by) {
    case IFFNET_RANK_PAGERANK:
        return pagerank(v, o, &r->score);
    case IFFNET_RANK_HITS:
        igraph_arpack_options_init(&arpack);
        if (v->n_edges == 0) {
            /* igraph rejects an edgeless graph; every score is then 0. */
            if (igraph_vector_resize(&r->score, v->n_nodes) ||
                igraph_vector_resize(&r->score2, v->n_nodes))
                return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            igraph_vector_null(&r->score);
            igraph_vector_null(&r->score2);
            return IFFNET_OK;
        }
        return iffnet_i_igraph_err(igraph_hub_and_authority_scores(&v->graph, &r->score,
                                                                   &r->score2, NULL, 1,
                                                                   &v->weight, &arpack), "HITS");
    case IFFNET_RANK_BETWEENNESS:
        return betweenness(v, o, r);
    case IFFNET_RANK_EIGENVECTOR:
        igraph_arpack_options_init(&arpack);
        return iffnet_i_igraph_err(igraph_eigenvector_centrality(&v->graph, &r->score, NULL, 0, 1,
                                                                 &v->weight, &arpack),
                                   "eigenvector centrality");
    case IFFNET_RANK_STRENGTH:
    case IFFNET_RANK_DEGREE:
    case IFFNET_RANK_KCORE:
        return simple_scores(v, o->by, &r->score);
    default:
        return iffnet_i_seterr(IFFNET_EINVAL, "unknown ranking %d", (int)o->by);
    }
}

static const iffnet_rank_t *order_rank;

static int cmp_rank(const void *a, const void *b)
{
    igraph_integer_t i = *(const igraph_integer_t *)a, j = *(const igraph_integer_t *)b;
    const iffnet_rank_t *r = order_rank;
    double si = VECTOR(r->score)[i], sj = VECTOR(r->score)[j];
    if (si != sj)
        return si > sj ? -1 : 1;
    if (igraph_vector_size(&r->score2)) {
        si = VECTOR(r->score2)[i];
        sj = VECTOR(r->score2)[j];
        if (si != sj)
            return si > sj ? -1 : 1;
    }
    return i < j ? -1 : i > j;
}

int iffnet_rank_order(const iffnet_rank_t *r, igraph_vector_int_t *order)
{
    int64_t n = igraph_vector_size(&r->score);
    if (igraph_vector_int_resize(order, n))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < n; i++)
        VECTOR(*order)[i] = i;
    /* qsort has no context argument in C11; ranking is not called concurrently. */
    order_rank = r;
    if (n > 1)
        qsort(VECTOR(*order), (size_t)n, sizeof(igraph_integer_t), cmp_rank);
    order_rank = NULL;
    return IFFNET_OK;
}
