/* trace_mcf.c: minimum-cost flow by the primal network simplex method, in exact
 * 64-bit integer arithmetic, for the LP bounds of trace_lp.c.
 *
 * The method is the textbook one (Dantzig; Ahuja, Magnanti and Orlin, "Network
 * Flows", 1993, chapter 11): a spanning tree of basic arcs, node potentials that
 * give every tree arc a reduced cost of 0, and pivots that bring in a non-tree arc
 * whose reduced cost shows that pushing flow around its cycle pays, until none
 * does. Details chosen here:
 *   - start: an artificial root joined to every node by an artificial arc of cost
 *     M (big M: dearer than any path of original arcs), carrying the node's supply;
 *     a positive flow left on one at the optimum means that there is no feasible
 *     flow;
 *   - anti-cycling: the tree is kept strongly feasible (Cunningham 1976): the
 *     leaving arc is the last blocking arc met when walking the cycle from its apex
 *     in the direction of the flow, which rules out cycling on degenerate pivots;
 *   - pricing: block search (the most violating arc among a block of about
 *     sqrt(arcs) arcs, the next block starting where the last one stopped);
 *   - the tree: parent, arc to the parent, subtree size and child lists; the
 *     apex of a cycle is found with subtree sizes (an ancestor's is larger),
 *     which a pivot changes only along the cycle; the subtree cut off by the
 *     leaving arc is re-hung, and its potentials shifted by the constant that
 *     prices the entering arc at 0; when it is the larger part of the tree the
 *     rest is shifted the other way instead (only differences matter). O(cycle +
 *     smaller side) per pivot; profiling shows the shifts dominate.
 * A solved instance keeps its optimal tree, so the opposite objective (the max
 * after the min) starts from a feasible tree instead of the artificial one.
 * Everything is integral (flows, capacities, supplies and costs), so the optimum
 * is exact: no tolerance, no rounding.
 * Work is counted in steps (arcs priced, tree nodes walked or re-priced), which
 * is what a pivot costs, so a step budget bounds the running time whatever the
 * network, and deterministically (a time limit would not be).
 */
#include <math.h>
#include "trace_internal.h"

enum { ST_TREE = 0, ST_LOWER = 1, ST_UPPER = -1 };

/* "Infinite" capacity of the artificial arcs: above any sum of supplies, far from
 * overflow (flows stay below the total supply, which the caller keeps finite). */
#define MCF_INF (INT64_MAX / 4)

/* Is the arc to v's parent directed from v to the parent? */
#define UP(m, v) ((m)->src[(m)->pred[v]] == (v))

static int64_t reduced_cost(const iffnet_i_trace_mcf_t *m, int a)
{
    return m->cost[a] + m->pi[m->src[a]] - m->pi[m->dst[a]];
}

static void unlink_child(iffnet_i_trace_mcf_t *m, int v)
{
    int p = m->parent[v];
    if (m->prev_sib[v] >= 0) m->next_sib[m->prev_sib[v]] = m->next_sib[v];
    else m->first_child[p] = m->next_sib[v];
    if (m->next_sib[v] >= 0) m->prev_sib[m->next_sib[v]] = m->prev_sib[v];
}

static void link_child(iffnet_i_trace_mcf_t *m, int v, int p, int arc)
{
    m->parent[v] = p;
    m->pred[v] = arc;
    m->prev_sib[v] = -1;
    m->next_sib[v] = m->first_child[p];
    if (m->first_child[p] >= 0) m->prev_sib[m->first_child[p]] = v;
    m->first_child[p] = v;
}

/* Adds d to the potential of every node of the subtree of v, except the subtree
 * of `skip` (-1: none). */
static void shift_subtree(iffnet_i_trace_mcf_t *m, int v, int skip, int64_t d)
{
    int top = 0;
    m->stack[top++] = v;
    while (top > 0) {
        int x = m->stack[--top];
        m->steps++;
        m->pi[x] += d;
        for (int c = m->first_child[x]; c >= 0; c = m->next_sib[c])
            if (c != skip) m->stack[top++] = c;
    }
}

/* Potentials of the whole tree from the root (after a change of costs): a tree arc
 * has reduced cost 0. */
static void refresh_all(iffnet_i_trace_mcf_t *m)
{
    int top = 0;
    for (int c = m->first_child[m->n]; c >= 0; c = m->next_sib[c]) m->stack[top++] = c;
    while (top > 0) {
        int x = m->stack[--top], a = m->pred[x], p = m->parent[x];
        m->pi[x] = m->src[a] == x ? m->pi[p] - m->cost[a] : m->pi[p] + m->cost[a];
        for (int c = m->first_child[x]; c >= 0; c = m->next_sib[c]) m->stack[top++] = c;
    }
}

void iffnet_i_trace_mcf_free(iffnet_i_trace_mcf_t *m)
{
    free(m->src); free(m->dst); free(m->cap); free(m->cost); free(m->flow); free(m->state);
    free(m->parent); free(m->pred); free(m->succ); free(m->first_child); free(m->next_sib);
    free(m->prev_sib); free(m->pi); free(m->stack);
    memset(m, 0, sizeof *m);
}

int iffnet_i_trace_mcf_init(iffnet_i_trace_mcf_t *m, int n_nodes, int n_arcs)
{
    size_t na = (size_t)n_arcs + (size_t)n_nodes, nn = (size_t)n_nodes + 1;
    memset(m, 0, sizeof *m);
    if (n_nodes < 1 || n_arcs < 0 || n_nodes > INT32_MAX / 4 || n_arcs > INT32_MAX / 4)
        return iffnet_i_seterr(IFFNET_ELIMIT, "network too large for the flow solver");
    m->n = n_nodes;
    m->m = n_arcs;
    m->src = malloc(na * sizeof *m->src);
    m->dst = malloc(na * sizeof *m->dst);
    m->cap = calloc(na, sizeof *m->cap);
    m->cost = calloc(na, sizeof *m->cost);
    m->flow = calloc(na, sizeof *m->flow);
    m->state = calloc(na, sizeof *m->state);
    m->parent = malloc(nn * sizeof *m->parent);
    m->pred = malloc(nn * sizeof *m->pred);
    m->succ = malloc(nn * sizeof *m->succ);
    m->first_child = malloc(nn * sizeof *m->first_child);
    m->next_sib = malloc(nn * sizeof *m->next_sib);
    m->prev_sib = malloc(nn * sizeof *m->prev_sib);
    m->pi = calloc(nn, sizeof *m->pi);
    m->stack = malloc(nn * sizeof *m->stack);
    if (!m->src || !m->dst || !m->cap || !m->cost || !m->flow || !m->state || !m->parent || !m->pred ||
        !m->succ || !m->first_child || !m->next_sib || !m->prev_sib || !m->pi || !m->stack) {
        iffnet_i_trace_mcf_free(m);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the flow solver");
    }
    return IFFNET_OK;
}

/* The artificial starting tree: root n, node v hangs from it by arc m + v, directed
 * so that it carries v's supply (v -> root) or demand (root -> v) with a
 * non-negative flow. Strongly feasible: from every node, flow can be pushed to the
 * root (up an arc to the root, or back down an arc from it that carries flow). */
static void start_tree(iffnet_i_trace_mcf_t *m, const int64_t *supply, int64_t big_m)
{
    int root = m->n;
    m->parent[root] = -1;
    m->pred[root] = -1;
    m->succ[root] = m->n + 1;
    m->first_child[root] = -1;
    m->pi[root] = 0;
    for (int a = 0; a < m->m; a++) { m->flow[a] = 0; m->state[a] = ST_LOWER; }
    for (int v = m->n - 1; v >= 0; v--) {
        int a = m->m + v;
        m->src[a] = supply[v] >= 0 ? v : root;
        m->dst[a] = supply[v] >= 0 ? root : v;
        m->cap[a] = MCF_INF;
        m->cost[a] = big_m;
        m->flow[a] = supply[v] >= 0 ? supply[v] : -supply[v];
        m->state[a] = ST_TREE;
        m->first_child[v] = -1;
        link_child(m, v, root, a);
        m->succ[v] = 1;
        m->pi[v] = supply[v] >= 0 ? -big_m : big_m;
    }
}

/* Block search: the most violating non-tree arc (state * reduced cost < 0) of the
 * first block that has one, or -1 when no arc violates (optimal). */
static int find_entering(iffnet_i_trace_mcf_t *m)
{
    int total = m->m + m->n, best = -1, scanned = 0, in_block = 0;
    int block = (int)sqrt((double)total);
    int64_t best_v = 0;
    if (block < 16) block = 16;
    for (int a = m->next_price; scanned < total; scanned++) {
        int64_t v = m->state[a] * reduced_cost(m, a);
        m->steps++;
        if (v < best_v) { best_v = v; best = a; }
        if (++a == total) a = 0;
        if (++in_block == block) {
            if (best >= 0) { m->next_price = a; return best; }
            in_block = 0;
        }
    }
    return best;
}

/* The tree update of a pivot: the leaving arc (from `leave` to its parent) goes,
 * the subtree S it held hangs from v_in by e instead, with u_in as its new top
 * (the tree path u_in .. leave is reversed). Subtree sizes change only along the
 * paths to the apex and along the reversed path; potentials change by a constant
 * that prices e at 0, applied to S or, when S is the larger side, the opposite
 * constant to the rest (only differences of potentials matter). */
static void rehang(iffnet_i_trace_mcf_t *m, int e, int u_in, int v_in, int leave, int apex, int64_t rc_e)
{
    int out = m->pred[leave], s_size = m->succ[leave];
    int x = u_in, new_parent = v_in, new_arc = e, below = 0;
    int64_t sigma = u_in == m->src[e] ? -rc_e : rc_e;
    m->state[out] = m->flow[out] == 0 ? ST_LOWER : ST_UPPER;
    m->state[e] = ST_TREE;
    for (int w = m->parent[leave]; w != apex; w = m->parent[w]) m->succ[w] -= s_size;
    for (int w = v_in; w != apex; w = m->parent[w]) m->succ[w] += s_size;
    for (;;) {
        int old_parent = m->parent[x], old_arc = m->pred[x], old_size = m->succ[x];
        unlink_child(m, x);
        link_child(m, x, new_parent, new_arc);
        /* x now holds all of S but what its old child on the path held */
        m->succ[x] = s_size - below;
        if (x == leave) break;
        below = old_size;
        new_parent = x;
        new_arc = old_arc;
        x = old_parent;
    }
    if (2 * s_size <= m->n + 1) {
        shift_subtree(m, u_in, -1, sigma);
    } else {
        shift_subtree(m, m->n, u_in, -sigma);
        /* the root drifts; bring it back to 0 long before int64 could overflow */
        if (m->pi[m->n] > INT64_MAX / 8 || m->pi[m->n] < -(INT64_MAX / 8)) {
            m->pi[m->n] = 0;
            refresh_all(m);
        }
    }
}

/* One pivot on entering arc e. Returns IFFNET_OK, or IFFNET_EINTERNAL when the
 * cycle has no bound (it cannot: every cycle has an original arc, and those are
 * bounded, or a costly artificial arc). */
static int pivot(iffnet_i_trace_mcf_t *m, int e)
{
    /* the flow is pushed through e from `first` to `second`, then up from second to
     * the apex and down from the apex to first */
    int first = m->state[e] == ST_LOWER ? m->src[e] : m->dst[e];
    int second = m->state[e] == ST_LOWER ? m->dst[e] : m->src[e];
    int u = first, v = second, apex, leave = -1, side = 0;
    int64_t delta = m->cap[e], rc_e = reduced_cost(m, e);
    /* the apex: a proper ancestor has a larger subtree, so the node with the
     * smaller one (either, on a tie) is not the apex and can move up */
    while (u != v) {
        if (m->succ[u] < m->succ[v]) u = m->parent[u];
        else v = m->parent[v];
        m->steps += 3; /* this walk, the flow change and the tree update along the same path */
    }
    apex = u;
    /* the last blocking arc in flow order: on first's side (flow runs down towards
     * first) the one nearest first, then e itself, then on second's side (flow runs
     * up) the one nearest the apex */
    for (u = first; u != apex; u = m->parent[u]) {
        int a = m->pred[u];
        int64_t r = UP(m, u) ? m->flow[a] : m->cap[a] - m->flow[a];
        if (r < delta) { delta = r; leave = u; side = 1; }
    }
    for (v = second; v != apex; v = m->parent[v]) {
        int a = m->pred[v];
        int64_t r = UP(m, v) ? m->cap[a] - m->flow[a] : m->flow[a];
        if (r <= delta) { delta = r; leave = v; side = 2; }
    }
    if (delta >= MCF_INF) return iffnet_i_seterr(IFFNET_EINTERNAL, "flow solver: unbounded cycle");
    if (delta > 0) {
        m->flow[e] += m->state[e] == ST_LOWER ? delta : -delta;
        for (u = first; u != apex; u = m->parent[u]) m->flow[m->pred[u]] += UP(m, u) ? -delta : delta;
        for (v = second; v != apex; v = m->parent[v]) m->flow[m->pred[v]] += UP(m, v) ? delta : -delta;
    }
    if (side == 0) { /* e blocks itself: it moves to its other bound, the tree stays */
        m->state[e] = (int8_t)-m->state[e];
        return IFFNET_OK;
    }
    rehang(m, e, side == 1 ? first : second, side == 1 ? second : first, leave, apex, rc_e);
    return IFFNET_OK;
}

int iffnet_i_trace_mcf_solve(iffnet_i_trace_mcf_t *m, const int64_t *supply, int warm, int *status, int64_t *obj)
{
    int64_t max_c = 0, big_m;
    int err;
    for (int a = 0; a < m->m; a++) {
        int64_t c = m->cost[a] < 0 ? -m->cost[a] : m->cost[a];
        if (c > max_c) max_c = c;
    }
    if (max_c > INT64_MAX / 4 / ((int64_t)m->n + 2))
        return iffnet_i_seterr(IFFNET_ELIMIT, "costs too large for the flow solver");
    /* dearer than any path of original arcs (at most n arcs of cost max_c) */
    big_m = ((int64_t)m->n + 1) * (max_c > 0 ? max_c : 1);
    if (warm && m->solved) {
        for (int v = 0; v < m->n; v++) m->cost[m->m + v] = big_m;
        refresh_all(m);
    } else {
        start_tree(m, supply, big_m);
    }
    m->next_price = 0;
    m->pivots = 0;
    m->steps = 0;
    m->solved = 0;
    for (;;) {
        int e = find_entering(m);
        if (e < 0) break;
        if ((err = pivot(m, e))) return err;
        m->pivots++;
        if (m->max_steps > 0 && m->steps > m->max_steps) {
            *status = TRACE_MCF_BUDGET;
            return IFFNET_OK;
        }
    }
    m->solved = 1;
    *status = TRACE_MCF_OPTIMAL;
    for (int v = 0; v < m->n; v++)
        if (m->flow[m->m + v] != 0) *status = TRACE_MCF_INFEASIBLE; /* supply left on an artificial arc */
    *obj = 0;
    for (int a = 0; a < m->m; a++) *obj += m->cost[a] * m->flow[a];
    return IFFNET_OK;
}
