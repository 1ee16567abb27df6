/* trace_net.c: exact reductions of the flow network of the LP bounds (trace_lp.c)
 * before a solver sees it.
 *
 * The network follows time: nodes are the LP's rows (send events) in time order
 * and the sink comes last, every arc runs from an earlier node to a later one.
 * Long chains of transfers, stars and the lanes of accounts that only pass money
 * on give networks whose spanning trees are paths of up to a million nodes, on
 * which every pivot of a simplex method walks most of the path: hours for a
 * 10^6-hop chain. Two reductions remove such parts exactly, in one pass each:
 *
 *   dead nodes: a node with no supply and no arc in carries no flow; it goes,
 *     with its arcs out (forward in time, so the removal cascades in one pass);
 *   folding: a node v whose arcs out all go to the sink is, seen from its one arc
 *     in a = (u, v) (capacity c, cost k), a convex piecewise-linear cost: the
 *     cheapest way to discharge x units at v fills v's sink arcs cheapest first.
 *     With s units of supply at v those come first (they must leave v anyway; their
 *     cost is a constant). So v and a become arcs u -> sink, one per cost of v's
 *     sink arcs in ascending order, with the capacities v has left, cut to c in
 *     total, and cost k + cost. A minimum-cost flow fills parallel arcs cheapest
 *     first, so both networks have the same optimum. A node with supply and no arc
 *     in is folded into the constant alone. Working backwards in time, folding v
 *     can leave u with only sink arcs, so a chain or a tree of transfers that
 *     ends in the sink folds away completely.
 *
 * Costs depend on the direction (1 on the arcs into the target for the minimum,
 * -1 for the maximum), and folding depends on the order of costs, so each direction
 * is reduced on its own. A node with more than FOLD_MAX_PIECES distinct costs out
 * is left alone (its sink arcs are still merged by cost), so a reduced network
 * never has more arcs than the original plus what merging saves.
 */
#include "trace_internal.h"

#define FOLD_MAX_PIECES 32

typedef struct {
    int src, dst, next;         /* next: the tail's next arc out, -1 */
    uint8_t dead;
    int64_t cap, cost;
} arc_t;

typedef struct {
    int n, m;                   /* nodes (sink n - 1), arcs so far */
    int64_t cap_arcs;
    arc_t *arc;
    int *first;                 /* node -> first arc out, -1 */
    int *indeg;                 /* live arcs in */
    int64_t *in_xor;            /* xor of the ids of the live arcs in: the one arc when indeg is 1 */
    uint8_t *node_dead;
    int64_t *supply;
} red_t;

typedef struct { int64_t cap, cost; } piece_t;

static void red_free(red_t *R)
{
    free(R->arc); free(R->first); free(R->indeg); free(R->in_xor); free(R->node_dead); free(R->supply);
}

static int add_arc(red_t *R, int u, int v, int64_t cap, int64_t cost)
{
    if (R->m >= INT32_MAX / 2) return iffnet_i_seterr(IFFNET_ELIMIT, "the LP is too large for the solvers");
    if (iffnet_i_reserve((void **)&R->arc, &R->cap_arcs, R->m + 1, sizeof *R->arc)) return IFFNET_ENOMEM;
    R->arc[R->m] = (arc_t){.src = u, .dst = v, .next = R->first[u], .dead = 0, .cap = cap, .cost = cost};
    R->first[u] = R->m;
    if (v != R->n - 1) {
        R->indeg[v]++;
        R->in_xor[v] ^= R->m;
    }
    R->m++;
    return IFFNET_OK;
}

static void kill_arc(red_t *R, int a)
{
    int v = R->arc[a].dst;
    R->arc[a].dead = 1;
    if (v != R->n - 1) {
        R->indeg[v]--;
        R->in_xor[v] ^= a;
    }
}

static int red_init(red_t *R, const iffnet_i_trace_net_t *g, int dir)
{
    size_t n = (size_t)g->n + 1;
    memset(R, 0, sizeof *R);
    R->n = g->n;
    R->first = malloc(n * sizeof *R->first);
    R->indeg = calloc(n, sizeof *R->indeg);
    R->in_xor = calloc(n, sizeof *R->in_xor);
    R->node_dead = calloc(n, 1);
    R->supply = malloc(n * sizeof *R->supply);
    if (!R->first || !R->indeg || !R->in_xor || !R->node_dead || !R->supply)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP");
    for (int v = 0; v < g->n; v++) R->first[v] = -1;
    memcpy(R->supply, g->supply, (size_t)g->n * sizeof *R->supply);
    for (int a = 0; a < g->m; a++)
        IFFNET_TRY(add_arc(R, g->src[a], g->dst[a], g->cap[a], dir * g->cost[a]));
    return IFFNET_OK;
}

/* Forward in time: nodes that nothing can reach carry nothing. */
static void drop_dead(red_t *R)
{
    for (int v = 0; v < R->n - 1; v++) {
        if (R->supply[v] != 0 || R->indeg[v] != 0) continue;
        R->node_dead[v] = 1;
        for (int a = R->first[v]; a >= 0; a = R->arc[a].next)
            if (!R->arc[a].dead) kill_arc(R, a);
    }
}

static int cmp_piece(const void *pa, const void *pb)
{
    const piece_t *a = pa, *b = pb;
    return (a->cost > b->cost) - (a->cost < b->cost);
}

/* v's arcs out as pieces merged by cost, cheapest first, or -1 when one of them
 * goes elsewhere than the sink (v cannot be folded). */
static int64_t sink_pieces(const red_t *R, int v, piece_t **buf, int64_t *cap_buf)
{
    int64_t k = 0, w = 0;
    for (int a = R->first[v]; a >= 0; a = R->arc[a].next) {
        const arc_t *e = &R->arc[a];
        if (e->dead || e->cap <= 0) continue;
        if (e->dst != R->n - 1) return -1;
        if (iffnet_i_reserve((void **)buf, cap_buf, k + 1, sizeof **buf)) return -2;
        (*buf)[k].cap = e->cap;
        (*buf)[k].cost = e->cost;
        k++;
    }
    qsort(*buf, (size_t)k, sizeof **buf, cmp_piece);
    for (int64_t i = 0; i < k; i++) {
        if (w && (*buf)[w - 1].cost == (*buf)[i].cost) (*buf)[w - 1].cap += (*buf)[i].cap;
        else (*buf)[w++] = (*buf)[i];
    }
    return w;
}

/* The supply of v takes the cheapest capacity first; its cost is a constant.
 * Returns 0, or 1 when v's arcs cannot carry its supply (no feasible flow). */
static int take_supply(red_t *R, int v, piece_t *p, int64_t np, __int128 *constant)
{
    int64_t s = R->supply[v];
    for (int64_t i = 0; i < np && s > 0; i++) {
        int64_t t = p[i].cap < s ? p[i].cap : s;
        p[i].cap -= t;
        s -= t;
        *constant += (__int128)t * p[i].cost;
    }
    R->supply[v] = 0;
    return s > 0;
}

/* Backward in time: folds every node whose arcs out all go to the sink into the
 * one arc that reaches it (see the file comment). */
static int fold(red_t *R, __int128 *constant, int *infeasible)
{
    piece_t *p = NULL;
    int64_t cap_p = 0, np;
    int err = IFFNET_OK;
    for (int v = R->n - 2; v >= 0; v--) {
        int a, u;
        int64_t left, cost_a;
        if (R->node_dead[v] || R->indeg[v] > 1) continue;
        if ((np = sink_pieces(R, v, &p, &cap_p)) == -2) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP"); break; }
        if (np < 0 || np > FOLD_MAX_PIECES) continue;
        if (take_supply(R, v, p, np, constant)) { *infeasible = 1; break; }
        for (int b = R->first[v]; b >= 0; b = R->arc[b].next)
            if (!R->arc[b].dead) kill_arc(R, b);
        R->node_dead[v] = 1;
        if (R->indeg[v] == 0) continue;
        a = (int)R->in_xor[v];
        u = R->arc[a].src;
        left = R->arc[a].cap;
        cost_a = R->arc[a].cost;
        kill_arc(R, a);
        for (int64_t i = 0; i < np && left > 0; i++) {
            int64_t t = p[i].cap < left ? p[i].cap : left;
            if (t <= 0) continue;
            if ((err = add_arc(R, u, R->n - 1, t, cost_a + p[i].cost))) goto out;
            left -= t;
        }
    }
out:
    free(p);
    return err;
}

/* The live part as a fresh network, nodes renumbered in order, the sink last. */
static int compact(const red_t *R, iffnet_i_trace_net_t *out)
{
    int *id = malloc((size_t)R->n * sizeof *id + 1);
    int n = 0, m = 0;
    memset(out, 0, sizeof *out);
    if (!id) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP");
    for (int v = 0; v < R->n - 1; v++) id[v] = R->node_dead[v] ? -1 : n++;
    id[R->n - 1] = n++;
    for (int a = 0; a < R->m; a++) m += !R->arc[a].dead && R->arc[a].cap > 0;
    out->n = n;
    out->m = m;
    out->src = malloc((size_t)m * sizeof *out->src + 1);
    out->dst = malloc((size_t)m * sizeof *out->dst + 1);
    out->cap = malloc((size_t)m * sizeof *out->cap + 1);
    out->cost = malloc((size_t)m * sizeof *out->cost + 1);
    out->supply = calloc((size_t)n, sizeof *out->supply);
    if (!out->src || !out->dst || !out->cap || !out->cost || !out->supply) {
        free(id);
        iffnet_i_trace_net_free(out);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP");
    }
    for (int v = 0; v < R->n - 1; v++)
        if (id[v] >= 0 && R->supply[v] > 0) {
            out->supply[id[v]] = R->supply[v];
            /* As the network it reduces: INT64_MAX when the sum does not fit
             * (then only the simplex method, which refuses such totals). */
            if (iffnet_i_money_add(&out->total, R->supply[v])) out->total = INT64_MAX;
        }
    out->supply[n - 1] = -out->total;
    m = 0;
    for (int a = 0; a < R->m; a++) {
        const arc_t *e = &R->arc[a];
        if (e->dead || e->cap <= 0) continue;
        out->src[m] = id[e->src];
        out->dst[m] = id[e->dst];
        out->cap[m] = e->cap < out->total ? e->cap : out->total;
        out->cost[m] = e->cost;
        m++;
    }
    out->is_network = 1;
    free(id);
    return IFFNET_OK;
}

void iffnet_i_trace_net_free(iffnet_i_trace_net_t *g)
{
    free(g->src); free(g->dst); free(g->cap); free(g->cost); free(g->supply);
    memset(g, 0, sizeof *g);
}

int iffnet_i_trace_net_reduce(const iffnet_i_trace_net_t *g, int dir, iffnet_i_trace_net_t *out,
                              int64_t *constant, int *infeasible)
{
    red_t R;
    __int128 k = 0;
    int err;
    *constant = 0;
    *infeasible = 0;
    memset(out, 0, sizeof *out);
    if ((err = red_init(&R, g, dir))) goto out;
    drop_dead(&R);
    if ((err = fold(&R, &k, infeasible)) || *infeasible) goto out;
    /* |k| <= total supply * (longest path): far below INT64_MAX for what fits */
    if (k > INT64_MAX / 4 || k < -(INT64_MAX / 4)) {
        err = iffnet_i_seterr(IFFNET_ELIMIT, "the LP's costs are too large to reduce");
        goto out;
    }
    *constant = (int64_t)k;
    err = compact(&R, out);
out:
    red_free(&R);
    return err;
}
