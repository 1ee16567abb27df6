/* link_internal.h: the link-analysis module (private to the library).
 *
 * Networks seen from the analyst's side: views of the case (time, amount and
 * entity-level filters; link_view.c), centralities and ranks (link_rank.c), paths
 * and maximum flow (link_path.c), ego networks (link_ego.c), shared-identifier,
 * director and owner links (link_entity.c), and communities (link_community.c,
 * with iffnet's Leiden in link_leiden.c). The analyses call link_view.c, none
 * calls another. May call core/ and case/ (and igraph).
 */
#ifndef IFFNET_LINK_INTERNAL_H
#define IFFNET_LINK_INTERNAL_H

#include "core/core_internal.h"
#include "iffnet/link.h"

/* A weighted undirected simple graph in compressed rows: the neighbours of u
 * are adj[off[u] .. off[u+1]) with weights w[...]; every edge is listed at both
 * ends; no self-loops. Node ids fit int32. (link_leiden.c) */
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
