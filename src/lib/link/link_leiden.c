/* link_leiden.c: the undirected collapse of a view in compressed adjacency form, the
 * modularity of a partition of it, and the Leiden algorithm with the modularity
 * objective on it.
 *
 * Leiden follows Traag, Waltman & van Eck (2019), "From Louvain to Leiden:
 * guaranteeing well-connected communities", Sci. Rep. 9:5233, Algorithm A.2:
 * fast local moving from a queue, refinement of each community by merging
 * well-connected singletons (randomly, with odds exp(gain / beta)), and
 * aggregation on the refined partition with the unrefined one as the start on
 * the aggregate. Modularity is the quality with node weight = strength and the
 * resolution divided by the total strength 2W:
 *   gain of moving v into C = w(v, C) - (resolution / 2W) * k_v * K_C.
 * Gains are in the weights' units, as in the paper and igraph, so beta acts on
 * the same scale as there. A pass is one run of the whole algorithm; the next
 * pass starts from the partition the previous one found.
 *
 * The data are flat arrays (int32 node ids, int64 offsets) rebuilt per level by
 * counting sorts, so no level pays for general graph construction. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include "link_internal.h"

void iffnet_i_ugraph_destroy(iffnet_i_ugraph_t *g)
{
    free(g->off);
    free(g->adj);
    free(g->w);
    memset(g, 0, sizeof *g);
}

static int nomem(const char *what)
{
    return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory %s", what);
}

static int alloc_ugraph(iffnet_i_ugraph_t *g, int64_t n, int64_t slots)
{
    g->n = n;
    g->off = calloc((size_t)n + 1, sizeof *g->off);
    g->adj = malloc((size_t)(slots ? slots : 1) * sizeof *g->adj);
    g->w = malloc((size_t)(slots ? slots : 1) * sizeof *g->w);
    if (!g->off || !g->adj || !g->w) {
        iffnet_i_ugraph_destroy(g);
        return nomem("for the undirected network");
    }
    return IFFNET_OK;
}

/* Gives back the unused tail of adj and w (a failed shrink keeps the block). */
static void shrink(iffnet_i_ugraph_t *g)
{
    size_t k = (size_t)(g->off[g->n] ? g->off[g->n] : 1);
    int32_t *a = realloc(g->adj, k * sizeof *a);
    double *w = realloc(g->w, k * sizeof *w);
    if (a)
        g->adj = a;
    if (w)
        g->w = w;
}

/* Every directed edge goes into the lists of both its ends (a counting sort by
 * node); then each list is compacted, summing the weights of a repeated
 * neighbour (the two directions of a reciprocal pair). `where[x]` remembers
 * where neighbour x was written for the current node: positions written for
 * earlier nodes are all below the current node's start. */
int iffnet_i_ugraph_collapse(const iffnet_view_t *v, iffnet_i_ugraph_t *g)
{
    int64_t n = v->n_nodes, m = v->n_edges, k = 0, b = 0;
    int64_t *where;
    int err;

    memset(g, 0, sizeof *g);
    if (n > INT32_MAX)
        return iffnet_i_seterr(IFFNET_ELIMIT, "%lld nodes are too many for community detection",
                               (long long)n);
    if ((err = alloc_ugraph(g, n, 2 * m)))
        return err;
    if (!(where = malloc((size_t)(n ? n : 1) * sizeof *where))) {
        iffnet_i_ugraph_destroy(g);
        return nomem("collapsing the network");
    }
    for (int64_t e = 0; e < m; e++) {
        g->off[IGRAPH_FROM(&v->graph, e) + 1]++;
        g->off[IGRAPH_TO(&v->graph, e) + 1]++;
    }
    for (int64_t u = 0; u < n; u++) {
        g->off[u + 1] += g->off[u];
        where[u] = g->off[u];
    }
    for (int64_t e = 0; e < m; e++) {
        int64_t s = IGRAPH_FROM(&v->graph, e), d = IGRAPH_TO(&v->graph, e);
        double x = VECTOR(v->weight)[e];
        g->adj[where[s]] = (int32_t)d;
        g->w[where[s]++] = x;
        g->adj[where[d]] = (int32_t)s;
        g->w[where[d]++] = x;
    }
    for (int64_t u = 0; u < n; u++)
        where[u] = -1;
    for (int64_t u = 0; u < n; u++) {
        int64_t e = g->off[u + 1], start = k;
        for (int64_t i = b; i < e; i++) {
            int32_t x = g->adj[i];
            if (where[x] >= start) {
                g->w[where[x]] += g->w[i];
            } else {
                where[x] = k;
                g->adj[k] = x;
                g->w[k++] = g->w[i];
            }
        }
        g->off[u] = start;
        b = e;
    }
    g->off[n] = k;
    free(where);
    shrink(g);
    return IFFNET_OK;
}

int iffnet_i_ugraph_igraph(const iffnet_i_ugraph_t *g, igraph_t *ig, igraph_vector_t *w)
{
    igraph_vector_int_t ends;
    int64_t k = 0, m = g->off[g->n] / 2;
    int err;

    if (igraph_vector_int_init(&ends, 2 * m))
        return nomem("for the undirected network");
    if (igraph_vector_resize(w, m)) {
        igraph_vector_int_destroy(&ends);
        return nomem("for the undirected network");
    }
    for (int64_t u = 0; u < g->n; u++)
        for (int64_t i = g->off[u]; i < g->off[u + 1]; i++)
            if (g->adj[i] > u) {
                VECTOR(ends)[2 * k] = u;
                VECTOR(ends)[2 * k + 1] = g->adj[i];
                VECTOR(*w)[k++] = g->w[i];
            }
    err = iffnet_i_igraph_err(igraph_create(ig, &ends, g->n, IGRAPH_UNDIRECTED), "collapsing the network");
    igraph_vector_int_destroy(&ends);
    return err;
}

int iffnet_i_ugraph_modularity(const iffnet_i_ugraph_t *g, const igraph_vector_int_t *mem, double *q)
{
    int64_t n = g->n;
    double *strength = calloc((size_t)(n ? n : 1), sizeof *strength), two_w = 0, in = 0, sq = 0;

    if (!strength)
        return nomem("computing modularity");
    for (int64_t u = 0; u < n; u++) {
        int64_t c = VECTOR(*mem)[u];
        for (int64_t i = g->off[u]; i < g->off[u + 1]; i++) {
            strength[c] += g->w[i];
            if (VECTOR(*mem)[g->adj[i]] == c)
                in += g->w[i];
        }
    }
    for (int64_t c = 0; c < n; c++) {
        two_w += strength[c];
        sq += strength[c] * strength[c];
    }
    free(strength);
    *q = two_w > 0 ? in / two_w - sq / (two_w * two_w) : NAN;
    return IFFNET_OK;
}

/* ---- Leiden ---- */

/* One level: the network (level 0: the collapse, borrowed), each node's weight
 * (the strengths of the original nodes it stands for) and its community. */
typedef struct {
    iffnet_i_ugraph_t g;
    double *nw;
    int32_t *memb;
    int owned;
} level_t;

/* Work arrays, sized for level 0 and reused by every smaller level. */
typedef struct {
    gsl_rng *rng;
    double r, beta;          /* resolution / 2W; refinement randomness */
    int64_t n;
    double *cw, *acc, *in_w, *rw, *rext, *odds;
    int32_t *cn, *stack, *queue, *touched, *order, *refined, *map, *node_of;
    int64_t *coff, *pos;
    uint8_t *mark, *inq, *joined;
} ws_t;

static void ws_free(ws_t *x)
{
    if (x->rng)
        gsl_rng_free(x->rng);
    free(x->cw); free(x->acc); free(x->in_w); free(x->rw); free(x->rext); free(x->odds);
    free(x->cn); free(x->stack); free(x->queue); free(x->touched); free(x->order);
    free(x->refined); free(x->map); free(x->node_of);
    free(x->coff); free(x->pos);
    free(x->mark); free(x->inq); free(x->joined);
}

static int ws_init(ws_t *x, int64_t n, unsigned long seed)
{
    size_t s = (size_t)(n ? n : 1);
    memset(x, 0, sizeof *x);
    x->n = n;
    x->rng = gsl_rng_alloc(gsl_rng_mt19937);
    x->cw = malloc(s * sizeof *x->cw);
    x->acc = calloc(s, sizeof *x->acc);
    x->in_w = malloc(s * sizeof *x->in_w);
    x->rw = malloc(s * sizeof *x->rw);
    x->rext = malloc(s * sizeof *x->rext);
    x->odds = malloc(s * sizeof *x->odds);
    x->cn = malloc(s * sizeof *x->cn);
    x->stack = malloc(s * sizeof *x->stack);
    x->queue = malloc(s * sizeof *x->queue);
    x->touched = malloc(s * sizeof *x->touched);
    x->order = malloc(s * sizeof *x->order);
    x->refined = malloc(s * sizeof *x->refined);
    x->map = malloc(s * sizeof *x->map);
    x->node_of = malloc(s * sizeof *x->node_of);
    x->coff = malloc((s + 1) * sizeof *x->coff);
    x->pos = malloc(s * sizeof *x->pos);
    x->mark = calloc(s, 1);
    x->inq = malloc(s);
    x->joined = malloc(s);
    if (!x->rng || !x->cw || !x->acc || !x->in_w || !x->rw || !x->rext || !x->odds || !x->cn ||
        !x->stack || !x->queue || !x->touched || !x->order || !x->refined || !x->map || !x->node_of ||
        !x->coff || !x->pos || !x->mark || !x->inq || !x->joined) {
        ws_free(x);
        return nomem("for Leiden");
    }
    gsl_rng_set(x->rng, seed);
    return IFFNET_OK;
}

static void level_free(level_t *l)
{
    if (l->owned) {
        iffnet_i_ugraph_destroy(&l->g);
        free(l->nw);
        free(l->memb);
    }
    memset(l, 0, sizeof *l);
}

static void shuffle(gsl_rng *rng, int32_t *a, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        a[i] = (int32_t)i;
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)gsl_rng_uniform_int(rng, (unsigned long)i + 1);
        int32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Numbers the labels in a[0..n) 0, 1, ... in order of first appearance;
 * labels must be below n. Returns the number of labels. */
static int64_t relabel(ws_t *x, int32_t *a, int64_t n)
{
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
        x->map[i] = -1;
    for (int64_t i = 0; i < n; i++) {
        if (x->map[a[i]] < 0)
            x->map[a[i]] = (int32_t)k++;
        a[i] = x->map[a[i]];
    }
    return k;
}

/* Sums the weight from v to each community of its neighbours into x->acc,
 * listing those communities in x->touched (only neighbours with memb == only,
 * unless only < 0). Returns how many were listed. */
static int64_t gather(ws_t *x, const level_t *l, const int32_t *label, int32_t v, int32_t only)
{
    const iffnet_i_ugraph_t *g = &l->g;
    int64_t nt = 0;
    for (int64_t i = g->off[v]; i < g->off[v + 1]; i++) {
        int32_t u = g->adj[i];
        if (only >= 0 && l->memb[u] != only)
            continue;
        int32_t c = label[u];
        if (!x->mark[c]) {
            x->mark[c] = 1;
            x->touched[nt++] = c;
        }
        x->acc[c] += g->w[i];
    }
    return nt;
}

static void ungather(ws_t *x, int64_t nt)
{
    for (int64_t i = 0; i < nt; i++) {
        x->acc[x->touched[i]] = 0;
        x->mark[x->touched[i]] = 0;
    }
}

/* Fast local moving: visit nodes from a queue (all, in random order, first),
 * move each to the community with the largest gain if it beats staying, and
 * queue again the neighbours a move may have changed (those not in the
 * community moved into). Leaves communities numbered 0..k-1; returns k. */
static int64_t move_nodes(ws_t *x, level_t *l, int *changed)
{
    const iffnet_i_ugraph_t *g = &l->g;
    int64_t n = g->n, head = 0, count = n, top = 0;
    int32_t *memb = l->memb;
    const double *nw = l->nw;

    for (int64_t c = 0; c < n; c++) {
        x->cw[c] = 0;
        x->cn[c] = 0;
    }
    for (int64_t v = 0; v < n; v++) {
        x->cw[memb[v]] += nw[v];
        x->cn[memb[v]]++;
    }
    for (int64_t c = n - 1; c >= 0; c--)
        if (x->cn[c] == 0)
            x->stack[top++] = (int32_t)c;
    shuffle(x->rng, x->queue, n);
    for (int64_t v = 0; v < n; v++)
        x->inq[v] = 1;
    while (count > 0) {
        int32_t v = x->queue[head], c0 = memb[v], best = c0;
        head = head + 1 == n ? 0 : head + 1;
        count--;
        x->inq[v] = 0;
        x->cw[c0] -= nw[v];
        if (--x->cn[c0] == 0)
            x->stack[top++] = c0;
        int64_t nt = gather(x, l, memb, v, -1);
        double best_gain = x->acc[c0] - nw[v] * x->cw[c0] * x->r;
        for (int64_t i = 0; i < nt; i++) {
            int32_t c = x->touched[i];
            double gain = x->acc[c] - nw[v] * x->cw[c] * x->r;
            if (gain > best_gain) {
                best_gain = gain;
                best = c;
            }
        }
        if (best_gain < 0) /* alone in an empty community (there is one: n labels, n - 1 others) */
            best = x->stack[top - 1];
        ungather(x, nt);
        x->cw[best] += nw[v];
        if (++x->cn[best] == 1)     /* it was empty: the top of the stack */
            top--;
        if (best != c0) {
            memb[v] = best;
            *changed = 1;
            for (int64_t i = g->off[v]; i < g->off[v + 1]; i++) {
                int32_t u = g->adj[i];
                if (!x->inq[u] && memb[u] != best) {
                    int64_t t = head + count;
                    x->queue[t >= n ? t - n : t] = u;
                    count++;
                    x->inq[u] = 1;
                }
            }
        }
    }
    return relabel(x, memb, n);
}

/* Groups the nodes by label (0..k-1): members of label c are
 * x->order[x->coff[c] .. x->coff[c+1]), in random order within a label when
 * `random`, else in node order. */
static void group(ws_t *x, const int32_t *label, int64_t n, int64_t k, int random)
{
    int32_t *src = x->queue;
    if (random)
        shuffle(x->rng, src, n);
    else
        for (int64_t i = 0; i < n; i++)
            src[i] = (int32_t)i;
    for (int64_t c = 0; c <= k; c++)
        x->coff[c] = 0;
    for (int64_t i = 0; i < n; i++)
        x->coff[label[i] + 1]++;
    for (int64_t c = 0; c < k; c++)
        x->coff[c + 1] += x->coff[c];
    for (int64_t c = 0; c < k; c++)
        x->pos[c] = x->coff[c];
    for (int64_t i = 0; i < n; i++)
        x->order[x->pos[label[src[i]]]++] = src[i];
}

/* Picks one of the candidate communities x->touched[0..nc) (gains in x->odds)
 * with odds exp((gain - max) / beta); staying alone (gain 0) is a candidate
 * too. Returns -1 for staying alone. */
static int32_t pick(ws_t *x, int64_t nc)
{
    double max = 0, stay, total, u;
    for (int64_t i = 0; i < nc; i++)
        if (x->odds[i] > max)
            max = x->odds[i];
    total = stay = exp(-max / x->beta);
    for (int64_t i = 0; i < nc; i++)
        total += x->odds[i] = exp((x->odds[i] - max) / x->beta);
    u = gsl_rng_uniform(x->rng) * total;
    if ((u -= stay) < 0)
        return -1;
    for (int64_t i = 0; i < nc; i++)
        if ((u -= x->odds[i]) < 0)
            return x->touched[i];
    return nc ? x->touched[nc - 1] : -1;
}

/* Refinement: within each community S (k of them), every node starts alone;
 * nodes well connected to S that are still alone join, in random order, a
 * well-connected refined community of S that does not lower the quality,
 * chosen at random (pick). Refined communities are named by a node of theirs
 * in x->refined, then numbered 0..kr-1; returns kr. */
static int64_t refine(ws_t *x, level_t *l, int64_t k)
{
    const iffnet_i_ugraph_t *g = &l->g;
    int64_t n = g->n;
    const int32_t *memb = l->memb;
    const double *nw = l->nw;
    double r = x->r;

    group(x, memb, n, k, 1);
    for (int64_t c = 0; c < k; c++)
        x->cw[c] = 0;
    for (int32_t v = 0; v < n; v++) {
        double in = 0;
        for (int64_t i = g->off[v]; i < g->off[v + 1]; i++)
            if (memb[g->adj[i]] == memb[v])
                in += g->w[i];
        x->cw[memb[v]] += nw[v];
        x->in_w[v] = in;
        x->refined[v] = v;
        x->rw[v] = nw[v];
        x->rext[v] = in;
        x->joined[v] = 0;
    }
    for (int64_t c = 0; c < k; c++) {
        double s = x->cw[c];
        for (int64_t j = x->coff[c]; j < x->coff[c + 1]; j++) {
            int32_t v = x->order[j];
            if (x->joined[v] || x->in_w[v] < r * nw[v] * (s - nw[v]))
                continue;
            int64_t nt = gather(x, l, x->refined, v, (int32_t)c), nc = 0;
            /* Candidates first in touched[0..nc) with their gains in odds. */
            for (int64_t i = 0; i < nt; i++) {
                int32_t rc = x->touched[i];
                double gain = x->acc[rc] - nw[v] * x->rw[rc] * r;
                if (x->rext[rc] >= r * x->rw[rc] * (s - x->rw[rc]) && gain >= 0) {
                    x->touched[i] = x->touched[nc];
                    x->touched[nc] = rc;
                    x->odds[nc++] = gain;
                }
            }
            int32_t to = nc ? pick(x, nc) : -1;
            if (to >= 0) {
                x->refined[v] = to;
                x->rw[to] += nw[v];
                x->rext[to] += x->in_w[v] - 2 * x->acc[to];
                x->joined[to] = 1;
                x->rw[v] = 0;
            }
            ungather(x, nt);
        }
    }
    return relabel(x, x->refined, n);
}

/* The aggregate network: one node per refined community, edge weights summed
 * between them (internal weight dropped: it moves with the node), node weights
 * summed, and each new node starting in the community of its members. */
static int aggregate(ws_t *x, const level_t *l, int64_t kr, level_t *out)
{
    const iffnet_i_ugraph_t *g = &l->g;
    int64_t len = 0;
    int err;

    memset(out, 0, sizeof *out);
    if ((err = alloc_ugraph(&out->g, kr, g->off[g->n])))
        return err;
    out->owned = 1;
    out->nw = calloc((size_t)(kr ? kr : 1), sizeof *out->nw);
    out->memb = malloc((size_t)(kr ? kr : 1) * sizeof *out->memb);
    if (!out->nw || !out->memb) {
        level_free(out);
        return nomem("aggregating the network");
    }
    group(x, x->refined, g->n, kr, 0);
    for (int64_t c = 0; c < kr; c++)
        x->pos[c] = -1;
    for (int64_t c = 0; c < kr; c++) {
        int64_t start = len;
        out->g.off[c] = start;
        for (int64_t j = x->coff[c]; j < x->coff[c + 1]; j++) {
            int32_t v = x->order[j];
            out->nw[c] += l->nw[v];
            for (int64_t i = g->off[v]; i < g->off[v + 1]; i++) {
                int32_t c2 = x->refined[g->adj[i]];
                if (c2 == c)
                    continue;
                if (x->pos[c2] >= start) {
                    out->g.w[x->pos[c2]] += g->w[i];
                } else {
                    x->pos[c2] = len;
                    out->g.adj[len] = c2;
                    out->g.w[len++] = g->w[i];
                }
            }
        }
        out->memb[c] = l->memb[x->order[x->coff[c]]];
    }
    out->g.off[kr] = len;
    shrink(&out->g);
    return IFFNET_OK;
}

/* One pass from the partition in memb (level 0, labels below n). */
static int pass(ws_t *x, const iffnet_i_ugraph_t *g0, double *nw0, int32_t *memb0, int *changed)
{
    level_t cur = { *g0, nw0, memb0, 0 }, next;
    int64_t n = g0->n;
    int err = IFFNET_OK;

    for (int64_t i = 0; i < n; i++)
        x->node_of[i] = (int32_t)i;
    for (;;) {
        int64_t k = move_nodes(x, &cur, changed), kr;
        if (k == cur.g.n)
            break;
        kr = refine(x, &cur, k);
        if (kr == cur.g.n) { /* nothing merged: aggregate on the communities themselves */
            memcpy(x->refined, cur.memb, (size_t)kr * sizeof *cur.memb);
            kr = k;
        }
        for (int64_t i = 0; i < n; i++)
            x->node_of[i] = x->refined[x->node_of[i]];
        if ((err = aggregate(x, &cur, kr, &next)))
            goto out;
        level_free(&cur);
        cur = next;
    }
    if (cur.owned)
        for (int64_t i = 0; i < n; i++)
            memb0[i] = cur.memb[x->node_of[i]];
out:
    level_free(&cur);
    return err;
}

int iffnet_i_leiden(const iffnet_i_ugraph_t *g, double resolution, double beta, int64_t iterations,
                    unsigned long seed, igraph_vector_int_t *membership)
{
    int64_t n = g->n;
    double *nw = malloc((size_t)(n ? n : 1) * sizeof *nw), total = 0;
    int32_t *memb = malloc((size_t)(n ? n : 1) * sizeof *memb);
    ws_t x;
    int err;

    if (!nw || !memb || igraph_vector_int_resize(membership, n)) {
        free(nw);
        free(memb);
        return nomem("for Leiden");
    }
    if ((err = ws_init(&x, n, seed))) {
        free(nw);
        free(memb);
        return err;
    }
    for (int64_t u = 0; u < n; u++) {
        nw[u] = 0;
        for (int64_t i = g->off[u]; i < g->off[u + 1]; i++)
            nw[u] += g->w[i];
        total += nw[u];
        memb[u] = (int32_t)u;
    }
    x.r = total > 0 ? resolution / total : 0;
    x.beta = beta;
    for (int64_t it = 0; iterations < 0 || it < iterations; it++) {
        int changed = 0;
        if ((err = pass(&x, g, nw, memb, &changed)) || (iterations < 0 && !changed))
            break;
    }
    if (!err) {
        relabel(&x, memb, n);
        for (int64_t u = 0; u < n; u++)
            VECTOR(*membership)[u] = memb[u];
    }
    ws_free(&x);
    free(nw);
    free(memb);
    return err;
}
