/* link_i.h: helpers private to the link-analysis sources. */
#ifndef IFFNET_LINK_I_H
#define IFFNET_LINK_I_H

#include "core/core_internal.h"
#include "iffnet/link.h"

/* iffnet_i_igraph_err() always records an error; this passes success through. */
static inline int iffnet_i_link_ig(igraph_error_t e, const char *what)
{
    return e == IGRAPH_SUCCESS ? IFFNET_OK : iffnet_i_igraph_err(e, what);
}

/* A weighted undirected simple graph in compressed rows: the neighbours of u
 * are adj[off[u] .. off[u+1]) with weights w[...]; every edge is listed at both
 * ends; no self-loops. Node ids fit int32. (leiden.c) */
typedef struct {
    int64_t n;
    int64_t *off;
    int32_t *adj;
    double *w;
} iffnet_i_ugraph_t;

/* The undirected collapse of a view: one edge per unordered node pair, the
 * weights of both directions summed. Neighbours in order of first appearance
 * in the view's edge order. O(V + E). */
int iffnet_i_ugraph_collapse(const iffnet_view_t *v, iffnet_i_ugraph_t *g);
void iffnet_i_ugraph_destroy(iffnet_i_ugraph_t *g);

/* The same graph as an igraph graph (edge u-v with u < v, in row order) and its
 * weights (resized). */
int iffnet_i_ugraph_igraph(const iffnet_i_ugraph_t *g, igraph_t *ig, igraph_vector_t *w);

/* Weighted modularity at resolution 1 of the partition mem (labels below n);
 * NaN without edges (as igraph). */
int iffnet_i_ugraph_modularity(const iffnet_i_ugraph_t *g, const igraph_vector_int_t *mem, double *q);

/* Leiden, modularity objective at `resolution`, refinement randomness beta,
 * `iterations` passes (negative: until a pass changes nothing), deterministic
 * for a seed. membership (resized) gets labels 0..k-1 in order of first node. */
int iffnet_i_leiden(const iffnet_i_ugraph_t *g, double resolution, double beta, int64_t iterations,
                    unsigned long seed, igraph_vector_int_t *membership);

#endif
