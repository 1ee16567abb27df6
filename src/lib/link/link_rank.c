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

/* Betweenness from a random sample of sources, scaled by n/s: an unbiased
 * estimate of the exact score (Brandes and Pich 2007). */
static int betweenness_sampled(const iffnet_view_t *v, int64_t s, igraph_vector_t *res)
{
    igraph_vector_int_t src;
    int64_t n = v->n_nodes;
    int err;

    if (igraph_vector_int_init_range(&src, 0, n))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    /* Partial Fisher-Yates shuffle with igraph's seeded RNG. */
    for (int64_t i = 0; i < s; i++) {
        int64_t j = RNG_INTEGER(i, n - 1);
        igraph_integer_t t = VECTOR(src)[i];
        VECTOR(src)[i] = VECTOR(src)[j];
        VECTOR(src)[j] = t;
    }
    igraph_vector_int_resize(&src, s);
    igraph_vector_int_sort(&src);
    err = iffnet_i_igraph_err(igraph_betweenness_subset(&v->graph, res, igraph_vss_all(), 1,
                                                        igraph_vss_vector(&src), igraph_vss_all(),
                                                        NULL), "betweenness");
    if (!err)
        igraph_vector_scale(res, (double)n / (double)s);
    igraph_vector_int_destroy(&src);
    return err;
}

static int betweenness(const iffnet_view_t *v, const iffnet_rank_opts_t *o, iffnet_rank_t *r)
{
    int64_t cutoff = o->cutoff;

    if (o->samples > 0 && o->samples < v->n_nodes) {
        snprintf(r->note, sizeof r->note,
                 "betweenness estimated from %lld random sources of %lld (scaled)",
                 (long long)o->samples, (long long)v->n_nodes);
        return betweenness_sampled(v, o->samples, &r->score);
    }
    if (cutoff < 0)
        cutoff = v->n_nodes > o->auto_limit ? 4 : 0;
    if (cutoff > 0)
        snprintf(r->note, sizeof r->note,
                 "betweenness counts only shortest paths of at most %lld hops%s", (long long)cutoff,
                 o->cutoff < 0 ? " (automatic on a large case; --cutoff 0 for exact)" : "");
    return iffnet_i_igraph_err(igraph_betweenness_cutoff(&v->graph, &r->score, igraph_vss_all(), 1,
                                                         NULL, cutoff > 0 ? (double)cutoff : -1),
                               "betweenness");
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
