/* trace_internal.h: the tracing module (private to the library).
 *
 * Forensic tracing of tainted money: the rule-independent ledger replay
 * (trace_ctx.c), shared by the rule engine (trace.c: FIFO, LIFO, pro-rata, LIBR,
 * TIHO, poison) and the LP bounds (trace_lp.c, with iffnet's exact min-cost flow
 * in trace_mcf.c), so both see the same ledgers; trace_json.c writes a trace out.
 * May call core/ and case/ (and GLPK).
 */
#ifndef IFFNET_TRACE_INTERNAL_H
#define IFFNET_TRACE_INTERNAL_H

#include "core/core_internal.h"
#include "iffnet/trace.h"

#define TRACE_UNREACHED INT32_MAX

/* Where every account stands while the transactions are replayed in order. */
typedef struct {
    const iffnet_case_t *c;
    const iffnet_trace_opts_t *o;
    int64_t lo, hi;               /* transactions [lo, hi) are inside the window */
    iffnet_money_t *bal;          /* in-case ledger balance per account */
    iffnet_money_t *budget;       /* seed accounts: tainted money still to send (-1 = unlimited) */
    int32_t *hop;                 /* fewest hops from a seed so far */
    int64_t *seed_origin;         /* account -> origin id of a seed account, or -1 */
    const int64_t *seed_tx_sorted;/* sorted copy of the seed transactions */
    int64_t n_seed_tx;
    int8_t *acct_exit;            /* account -> exit kind when paid (cash/external), or -1 */
    const char **country;         /* account -> country ("" unknown) */
    int8_t *chan_cash;            /* channel -> 1 when it is a cash withdrawal */
} iffnet_i_trace_ctx_t;

/* What one transaction does, independently of the rule. */
typedef struct {
    int64_t tx;
    int64_t src, dst;
    iffnet_money_t amount;        /* iffnet_case_tx_value() */
    iffnet_money_t fresh;         /* seeded tainted money put into this transaction */
    int64_t fresh_origin;         /* origin id of fresh, -1 when none */
    iffnet_money_t take;          /* drawn from the sender's in-case ledger */
    iffnet_money_t unexplained;   /* amount - fresh - take: beyond the sender's ledger */
    int exit;                     /* iffnet_exit_kind_t */
    int reached;                  /* the sender was reachable from a seed (taint possible) */
} iffnet_i_trace_step_t;

/* Appends a note (printf-style) to tr->notes. */
int iffnet_i_trace_note(iffnet_trace_t *tr, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int iffnet_i_trace_ctx_init(iffnet_i_trace_ctx_t *x, const iffnet_case_t *c, const iffnet_trace_opts_t *o);
void iffnet_i_trace_ctx_destroy(iffnet_i_trace_ctx_t *x);
/* Fills s for transaction t (in the window, src != dst) and updates the hop counts;
 * call iffnet_i_trace_ctx_commit() after the rules have looked at the balances. */
void iffnet_i_trace_ctx_step(iffnet_i_trace_ctx_t *x, int64_t t, iffnet_i_trace_step_t *s);
void iffnet_i_trace_ctx_commit(iffnet_i_trace_ctx_t *x, const iffnet_i_trace_step_t *s);
/* Position of t among the seed transactions (sorted), or -1. O(log seeds). */
int64_t iffnet_i_trace_seed_tx_index(const iffnet_i_trace_ctx_t *x, int64_t t);

/* Minimum-cost flow by the network simplex method (trace_mcf.c), exact in int64.
 * Nodes 0..n-1 and arcs 0..m-1 (src, dst, cap >= 0, cost) are filled by the
 * caller after iffnet_i_trace_mcf_init(); arcs m..m+n-1 and node n are the solver's. */
typedef struct {
    int n, m;
    int *src, *dst;
    int64_t *cap, *cost, *flow;
    int8_t *state;               /* tree, at lower bound (1), at upper bound (-1) */
    int *parent, *pred, *succ;   /* tree: parent, arc to it, size of the subtree */
    int *first_child, *next_sib, *prev_sib, *stack;
    int64_t *pi;                 /* node potentials */
    int next_price, solved;
    int64_t pivots;
    int64_t steps;               /* work of the last solve: arcs priced + tree nodes walked */
    int64_t max_steps;           /* step budget of one solve, 0 = none */
} iffnet_i_trace_mcf_t;

enum { TRACE_MCF_INFEASIBLE = 0, TRACE_MCF_OPTIMAL = 1, TRACE_MCF_BUDGET = 2 };

int iffnet_i_trace_mcf_init(iffnet_i_trace_mcf_t *m, int n_nodes, int n_arcs);
void iffnet_i_trace_mcf_free(iffnet_i_trace_mcf_t *m);
/* Solves min sum cost * flow subject to 0 <= flow <= cap and, at every node v,
 * outflow - inflow = supply[v] (the supplies sum to 0). The caller keeps
 * |cost| * n and the sum of caps and supplies far below INT64_MAX / 4. With warm
 * set, a previous optimal tree (for other costs) is the start. *status: one of
 * TRACE_MCF_*; *obj the optimal cost. O(pivots * (cycle + subtree)). */
int iffnet_i_trace_mcf_solve(iffnet_i_trace_mcf_t *m, const int64_t *supply, int warm, int *status, int64_t *obj);

/* The bounds LP as a flow network (trace_lp.c): nodes 0 .. n-2 are the LP's rows
 * (send events) in time order, with the seeded money as supply; node n-1 is the
 * sink, whose demand is the total supply; every arc runs from an earlier node to a
 * later one. Capacities are cut to the total supply (no arc can carry more). */
typedef struct {
    int n, m;                    /* nodes (rows and the sink), arcs */
    int *src, *dst;
    int64_t *cap, *cost, *supply;
    int64_t total;               /* the total supply; INT64_MAX when the sum does not fit */
    int is_network;              /* 0: the LP is not such a network (then only the simplex) */
} iffnet_i_trace_net_t;

void iffnet_i_trace_net_free(iffnet_i_trace_net_t *g);
/* The exact reductions of trace_net.c for the objective min sum dir * cost * flow
 * (dir 1 or -1): *out (not initialised; the caller frees it) has the same optimum
 * less *constant, or *infeasible is set when the supplies cannot all reach the
 * sink. O(nodes + arcs log arcs). */
int iffnet_i_trace_net_reduce(const iffnet_i_trace_net_t *g, int dir, iffnet_i_trace_net_t *out,
                              int64_t *constant, int *infeasible);

/* iffnet_trace_bounds_with() with the largest value (capacity, supply, cost, total
 * supply) that the okalg solver is given: INT_MAX, what GLPK's glp_mincost_okalg()
 * accepts; the tests pass less to exercise the fallback on small data. */
int iffnet_i_trace_lp_bounds(const iffnet_trace_t *tr, int64_t target, iffnet_lp_solver_t solver, int64_t int_limit,
                    iffnet_trace_bounds_t *out);

#endif
