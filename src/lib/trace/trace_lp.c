/* trace_lp.c: bounds on the tainted money that can have reached an account, as two
 * linear programs, solved as minimum-cost flows by GLPK's out-of-kilter solver, or
 * when the amounts are too large for it by the network simplex method of
 * trace_mcf.c, or GLPK's simplex method (see Solvers below).
 *
 * Formulation (also in iffnet-trace(1)). The transactions of the window are
 * replayed by trace_ctx.c exactly as for the rules: the same ledger balances, the
 * same seeded money, the same exits. The sub-network is every transaction e whose
 * sender is reachable from a seed at that moment (time-respecting, within
 * --max-hops) or that carries seeded money; its accounts are their senders and
 * (unless e leaves the case) receivers. On this time-expanded network:
 *
 *   y_e      tainted money that e draws from its sender's ledger,
 *            0 <= y_e <= take_e (what e draws from the ledger at all; 0 when the
 *            sender holds no taint yet);
 *   h_{v,k}  tainted money held by account v just after its k-th event (an event is
 *            a sub-network transaction v sends, or receives inside the case),
 *            0 <= h_{v,k} <= B_{v,k}, the ledger balance of v at that moment;
 *   conservation, one row per event:
 *            h_{v,k} - h_{v,k-1} + y_e = 0           when v sends e,
 *            h_{v,k} - h_{v,k-1} - y_e = fresh_e     when v receives e,
 *            with h_{v,-1} = 0 (nothing tainted before v is reached) and fresh_e
 *            the seeded money put into e (a constant);
 *   reduction: a receive event cannot break 0 <= h <= B (h grows by at most
 *            what the balance grows by), so receive events get no column or row
 *            of their own: what v receives joins v's next send row,
 *              h_{v,k} - h_{v,k'} - (sum of y received since) + y_e
 *                = (sum of fresh received since),
 *            and receipts after v's last send need no row at all;
 *   objective: sum of (y_e + fresh_e) over the e received by the target (plus
 *            the money seeded at the target, which the rules also count as
 *            received there), minimised, then maximised.
 *
 * Every conserving rule picks one feasible point of this polytope (it draws tainted
 * money from the ledger no faster than the ledger pays out, and never holds more
 * taint than the balance), so its amount at the target lies within [min, max]. The
 * LP has one row per sub-network transaction (its send event), one h column per
 * row and one y column per transaction that can carry taint: about 2 columns and
 * 4 non-zeros per transaction.
 *
 * Solvers. Each column has one +1 (the row of the event that sends it on: its
 * tail) and at most one -1 (the row where it arrives: its head; none for money
 * that stays or reaches an account that sends no more, which goes to a sink), so
 * the LP is a minimum-cost flow: nodes are rows with the seeded money as supply,
 * columns are arcs, the sink takes all the supply, and the cost is 1 (-1 for the
 * maximum) on the arcs into the target. Three solvers (iffnet_lp_solver_t):
 *   okalg    GLPK's out-of-kilter solver glp_mincost_okalg() on a glp_graph; exact,
 *            but GLPK does it in int, so every capacity, supply and their total
 *            must be at most INT_MAX (GLP_EDATA otherwise, GLP_ERANGE on an
 *            overflow inside). The default whenever the numbers fit: the issue
 *            asks for GLPK, and it meets the time target;
 *   network  iffnet's primal network simplex (trace_mcf.c), exact in int64, about
 *            4x faster than okalg; the default when the seeded money exceeds
 *            INT_MAX minor units (21 million in major units), verified against
 *            GLPK in the unit tests;
 *   simplex  GLPK's simplex method on the LP itself, in doubles; the fallback when
 *            even int64 sums could overflow, and the reference of the tests. Its
 *            optimum is in doubles, so rule amounts are compared with
 *            IFFNET_TRACE_LP_TOL (one minor unit).
 * Times for both bounds on the benchmark of scripts/bench-trace are in
 * iffnet-trace(1).
 */
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <time.h>
#include "trace_internal.h"

/* The LP in exact integers (minor units): GLPK gets doubles of them, the network
 * solver the integers themselves. */
typedef struct {
    int64_t n_rows, n_cols, n_nz, cap_ia, cap_ja, cap_ar, cap_rows, cap_cols;
    int *ia, *ja;
    double *ar;                  /* +1 or -1 */
    int64_t *col_ub;             /* upper bound of each column (lower is 0) */
    int64_t *row_rhs;            /* equality right-hand side (seeded money, >= 0) */
    int8_t *obj;                 /* objective coefficient per column, 0 or 1 */
    int64_t cap_obj;
    int64_t obj_const;
} lp_build_t;

static int add_col(lp_build_t *b, int64_t ub)
{
    int64_t cap = b->cap_cols;
    if (iffnet_i_reserve((void **)&b->col_ub, &cap, b->n_cols + 2, sizeof *b->col_ub) ||
        iffnet_i_reserve((void **)&b->obj, &b->cap_obj, b->n_cols + 2, sizeof *b->obj)) return -1;
    b->cap_cols = cap;
    b->n_cols++;
    b->col_ub[b->n_cols] = ub;
    b->obj[b->n_cols] = 0;
    return (int)b->n_cols;
}

static int add_nz(lp_build_t *b, int row, int col, double v)
{
    if (iffnet_i_reserve((void **)&b->ia, &b->cap_ia, b->n_nz + 2, sizeof *b->ia) ||
        iffnet_i_reserve((void **)&b->ja, &b->cap_ja, b->n_nz + 2, sizeof *b->ja) ||
        iffnet_i_reserve((void **)&b->ar, &b->cap_ar, b->n_nz + 2, sizeof *b->ar)) return IFFNET_ENOMEM;
    b->n_nz++;
    b->ia[b->n_nz] = row;
    b->ja[b->n_nz] = col;
    b->ar[b->n_nz] = v;
    return IFFNET_OK;
}

/* Per account, what it received since its last send event: the y columns (a
 * linked list through next_in) and the seeded money. */
typedef struct {
    int *last_h;                 /* account -> its latest h column, 0 = none yet */
    int *in_head;                /* account -> first pending incoming y column, 0 = none */
    int *next_in;                /* y column -> next pending y column of the same receiver */
    int64_t cap_next;
    int64_t *in_fresh;           /* account -> pending seeded money */
} lp_acc_t;

/* A send event of account v (transaction with column ycol, 0 if it draws no
 * taint): a new h column bounded by v's balance after it, and its row
 *   h_new - h_prev - (y received since) + y_out = fresh received since. */
static int add_send(lp_build_t *b, lp_acc_t *A, int64_t v, int64_t bal, int ycol)
{
    int h = add_col(b, bal), row;
    if (h < 0) return IFFNET_ENOMEM;
    if (iffnet_i_reserve((void **)&b->row_rhs, &b->cap_rows, b->n_rows + 2, sizeof *b->row_rhs)) return IFFNET_ENOMEM;
    row = (int)++b->n_rows;
    b->row_rhs[row] = A->in_fresh[v];
    IFFNET_TRY(add_nz(b, row, h, 1.0));
    if (A->last_h[v]) IFFNET_TRY(add_nz(b, row, A->last_h[v], -1.0));
    for (int j = A->in_head[v]; j; j = A->next_in[j]) IFFNET_TRY(add_nz(b, row, j, -1.0));
    if (ycol) IFFNET_TRY(add_nz(b, row, ycol, 1.0));
    A->last_h[v] = h;
    A->in_head[v] = 0;
    A->in_fresh[v] = 0;
    return IFFNET_OK;
}

/* A receive event: only remembered. Receiving never breaks 0 <= h <= B (h grows
 * by y + fresh <= the amount by which the balance grows), so it needs no row of
 * its own; it enters the receiver's next send row, or none if it sends no more. */
static int add_receive(lp_build_t *b, lp_acc_t *A, int64_t v, int ycol, int64_t fresh)
{
    A->in_fresh[v] += fresh;
    if (!ycol) return IFFNET_OK;
    if (iffnet_i_reserve((void **)&A->next_in, &A->cap_next, b->n_cols + 1, sizeof *A->next_in)) return IFFNET_ENOMEM;
    A->next_in[ycol] = A->in_head[v];
    A->in_head[v] = ycol;
    return IFFNET_OK;
}

/* One sub-network transaction, as the replay saw it. */
typedef struct {
    int64_t src, dst;
    iffnet_money_t take, fresh, bal_src;  /* bal_src: the sender's balance after it */
    int may_carry;                /* the sender can hold taint when it sends */
    int exit;
} lp_tx_t;

/* Replays the window and keeps the sub-network transactions in time order. */
static int collect(const iffnet_trace_t *tr, lp_tx_t **txs, int64_t *n, iffnet_trace_bounds_t *out)
{
    const iffnet_case_t *c = tr->c;
    iffnet_i_trace_ctx_t x;
    iffnet_i_trace_step_t s;
    int64_t cap = 0;
    int err;
    uint8_t *seen = NULL;
    *txs = NULL;
    *n = 0;
    if ((err = iffnet_i_trace_ctx_init(&x, c, &tr->opts))) return err;
    if (!(seen = calloc((size_t)c->n_accounts + 1, 1))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP");
        goto out;
    }
    for (int64_t t = x.lo; t < x.hi; t++) {
        lp_tx_t *e;
        if (c->tx_src[t] == c->tx_dst[t]) continue;
        iffnet_i_trace_ctx_step(&x, t, &s);
        iffnet_i_trace_ctx_commit(&x, &s);
        if (!s.reached) continue;
        if ((err = iffnet_i_reserve((void **)txs, &cap, *n + 1, sizeof **txs))) goto out;
        e = &(*txs)[(*n)++];
        e->src = s.src;
        e->dst = s.dst;
        e->take = s.take;
        e->fresh = s.fresh;
        e->bal_src = x.bal[s.src];
        e->may_carry = x.hop[s.src] != TRACE_UNREACHED && s.take > 0;
        e->exit = s.exit;
        if (!seen[s.src]) { seen[s.src] = 1; out->n_accounts++; }
        if (s.exit == IFFNET_EXIT_NONE && !seen[s.dst]) { seen[s.dst] = 1; out->n_accounts++; }
    }
    out->n_tx = *n;
out:
    free(seen);
    iffnet_i_trace_ctx_destroy(&x);
    return err;
}

/* Pruning (exact): taint that can no longer reach the target does not need to be
 * followed, because any allocation of it from then on can be completed feasibly
 * (a rule, say, does it). last_use[v] is the position of v's last send whose
 * receiver is the target or can still pass money on to it later; v's sends after
 * it, and receipts by accounts that are dead from then on, get no row. O(n). */
static int64_t *last_useful(const lp_tx_t *txs, int64_t n, int64_t n_accounts, int64_t target)
{
    int64_t *last = malloc((size_t)(n_accounts + 1) * sizeof *last);
    if (!last) return NULL;
    for (int64_t a = 0; a < n_accounts; a++) last[a] = -1;
    for (int64_t k = n - 1; k >= 0; k--) {
        const lp_tx_t *e = &txs[k];
        if (e->exit != IFFNET_EXIT_NONE) continue;
        if ((e->dst == target || last[e->dst] > k) && last[e->src] < k) last[e->src] = k;
    }
    return last;
}

/* Builds the LP of the file comment over the collected sub-network. */
static int build(const iffnet_trace_t *tr, int64_t target, lp_build_t *b, iffnet_trace_bounds_t *out)
{
    lp_tx_t *txs = NULL;
    int64_t n = 0, *last = NULL;
    lp_acc_t A;
    int err;
    int64_t na = tr->c->n_accounts;
    memset(&A, 0, sizeof A);
    if ((err = collect(tr, &txs, &n, out))) goto out;
    A.last_h = calloc((size_t)na + 1, sizeof *A.last_h);
    A.in_head = calloc((size_t)na + 1, sizeof *A.in_head);
    A.in_fresh = calloc((size_t)na + 1, sizeof *A.in_fresh);
    last = last_useful(txs, n, na, target);
    if (!A.last_h || !A.in_head || !A.in_fresh || !last) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP");
        goto out;
    }
    for (int64_t k = 0; k < n; k++) {
        const lp_tx_t *e = &txs[k];
        int ycol = 0, live = e->exit == IFFNET_EXIT_NONE && (e->dst == target || last[e->dst] > k);
        /* Seeded here counts as received, as for the rules. */
        if ((e->src == target && iffnet_i_money_add(&b->obj_const, e->fresh)) ||
            (e->exit == IFFNET_EXIT_NONE && e->dst == target && iffnet_i_money_add(&b->obj_const, e->fresh))) {
            err = iffnet_i_money_overflow("trace --bounds: money seeded at the target");
            goto out;
        }
        if (k > last[e->src]) continue; /* the sender's taint cannot reach the target any more */
        if (e->may_carry && (ycol = add_col(b, e->take)) < 0) { err = IFFNET_ENOMEM; goto out; }
        /* A send that draws nothing from the ledger (all seeded or unexplained
         * money) carries no taint and leaves the balance as it was, so, as for a
         * receipt, 0 <= h <= B cannot break there: no row (a source account with
         * no --amount sends only such transfers). */
        if (e->take > 0 && (err = add_send(b, &A, e->src, e->bal_src, ycol))) goto out;
        if (!live) continue;
        if (e->dst == target && ycol) b->obj[ycol] = 1;
        if ((err = add_receive(b, &A, e->dst, ycol, e->fresh))) goto out;
    }
    err = IFFNET_OK;
out:
    free(txs); free(last);
    free(A.last_h); free(A.in_head); free(A.next_in); free(A.in_fresh);
    return err;
}

/* Status of a solve stopped by its step budget (not a GLPK status code). */
#define LP_BUDGET 100
/* A budget of s network steps is s / LP_SIMPLEX_STEPS_PER_ITER iterations of
 * GLPK's simplex method (an iteration prices and updates a basis of about the
 * LP's size: far more work than a network step). */
#define LP_SIMPLEX_STEPS_PER_ITER 1000
/* GLPK's out-of-kilter solver cannot be stopped once started, so it only gets
 * networks up to this many arcs (after the reductions); auto never picks it. */
#define LP_OKALG_MAX_ARCS 250000

static const char *status_name(int st)
{
    switch (st) {
    case GLP_OPT: return "optimal";
    case GLP_FEAS: return "feasible";
    case GLP_INFEAS: return "infeasible";
    case GLP_NOFEAS: return "no feasible solution";
    case GLP_UNBND: return "unbounded";
    case GLP_UNDEF: return "undefined";
    case LP_BUDGET: return "step budget reached";
    default: return "not solved";
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- GLPK's simplex method: any LP, in doubles ---------------------------- */

/* Runs the simplex in one direction; returns the GLPK status (GLP_NOFEAS when the
 * presolver proves the LP infeasible) and the value in *v. */
static int solve(glp_prob *P, int dir, int presolve, int it_lim, double *v)
{
    glp_smcp parm;
    int ret;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = presolve ? GLP_ON : GLP_OFF;
    parm.it_lim = it_lim;
    glp_set_obj_dir(P, dir);
    ret = glp_simplex(P, &parm);
    if (ret == GLP_ENOPFS) return GLP_NOFEAS;
    if (ret == GLP_ENODFS) return GLP_UNBND;
    if (ret == GLP_EITLIM) return LP_BUDGET;
    if (ret != 0) return -ret;
    *v = glp_get_obj_val(P);
    return glp_get_status(P);
}

/* Doubles hold integers exactly up to 2^53: beyond that the simplex method's
 * answer could be wrong, so it is refused rather than given. */
#define SIMPLEX_EXACT_LIMIT ((int64_t)1 << 53)

static int simplex_exact(const lp_build_t *b, int64_t *total)
{
    *total = 0;
    for (int64_t i = 1; i <= b->n_rows; i++) {
        if (b->row_rhs[i] > SIMPLEX_EXACT_LIMIT - *total) return 0;
        *total += b->row_rhs[i];
    }
    for (int64_t j = 1; j <= b->n_cols; j++)
        if (b->col_ub[j] > SIMPLEX_EXACT_LIMIT) return 0;
    return b->obj_const <= SIMPLEX_EXACT_LIMIT;
}

static int bounds_simplex(const lp_build_t *b, int64_t max_steps, iffnet_trace_bounds_t *out)
{
    glp_prob *P;
    int64_t total, it = max_steps / LP_SIMPLEX_STEPS_PER_ITER;
    int it_lim = it < 1 ? 1 : it > INT_MAX ? INT_MAX : (int)it;
    if (!simplex_exact(b, &total))
        return iffnet_i_seterr(IFFNET_ELIMIT, "the amounts are too large to bound exactly (more than 2^53 minor "
                               "units in play; no solver takes them)");
    glp_term_out(GLP_OFF);
    P = glp_create_prob();
    glp_add_rows(P, (int)b->n_rows);
    glp_add_cols(P, (int)b->n_cols);
    for (int i = 1; i <= b->n_rows; i++) glp_set_row_bnds(P, i, GLP_FX, (double)b->row_rhs[i], (double)b->row_rhs[i]);
    for (int j = 1; j <= b->n_cols; j++) {
        glp_set_col_bnds(P, j, b->col_ub[j] > 0 ? GLP_DB : GLP_FX, 0.0, (double)b->col_ub[j]);
        glp_set_obj_coef(P, j, (double)b->obj[j]);
    }
    glp_set_obj_coef(P, 0, (double)b->obj_const);
    glp_load_matrix(P, (int)b->n_nz, b->ia, b->ja, b->ar);
    /* the minimum from scratch (with the presolver), then the maximum from the
     * minimum's optimal basis, which is feasible for it (warm start) */
    out->status_min = solve(P, GLP_MIN, 1, it_lim, &out->min);
    out->status_max = out->status_min == GLP_OPT ? solve(P, GLP_MAX, 0, it_lim, &out->max) : out->status_min;
    out->steps = (int64_t)glp_get_it_cnt(P) * LP_SIMPLEX_STEPS_PER_ITER;
    glp_delete_prob(P);
    if (out->status_min < 0 || out->status_max < 0)
        return iffnet_i_seterr(IFFNET_ESOLVER, "GLPK simplex failed (code %d)",
                               -(out->status_min < 0 ? out->status_min : out->status_max));
    return IFFNET_OK;
}

/* ---- the same LP as a minimum-cost flow ----------------------------------- */

/* The LP as a flow network (iffnet_i_trace_net_t): every column has one +1 (its
 * tail: the row it leaves) and at most one -1 (its head; none: the sink, node
 * n_rows, where the money that stays or leaves the case ends), so row i is node
 * i - 1 with supply rhs_i and the sink has demand S, the sum of the supplies.
 * Columns bounded at 0 are left out. The network follows time, so it has no cycle
 * and no arc can carry more than S: capacities are cut to S, which changes nothing. */
static int to_network(const lp_build_t *b, iffnet_i_trace_net_t *g)
{
    int *tail = NULL, *head = NULL, err = IFFNET_OK;
    memset(g, 0, sizeof *g);
    tail = calloc((size_t)b->n_cols + 1, sizeof *tail);
    head = calloc((size_t)b->n_cols + 1, sizeof *head);
    if (!tail || !head) goto nomem;
    for (int64_t k = 1; k <= b->n_nz; k++) {
        int *end = b->ar[k] > 0 ? tail : head;
        if (end[b->ja[k]] || (b->ar[k] != 1.0 && b->ar[k] != -1.0)) goto out;
        end[b->ja[k]] = b->ia[k];
    }
    for (int64_t j = 1; j <= b->n_cols; j++) {
        if (b->col_ub[j] <= 0) continue;
        if (!tail[j] || tail[j] == head[j]) goto out;
        g->m++;
    }
    for (int64_t i = 1; i <= b->n_rows; i++) {
        if (b->row_rhs[i] < 0) goto out;
        g->total = b->row_rhs[i] > INT64_MAX - g->total ? INT64_MAX : g->total + b->row_rhs[i];
    }
    g->n = (int)b->n_rows + 1;
    g->src = malloc((size_t)g->m * sizeof *g->src + 1);
    g->dst = malloc((size_t)g->m * sizeof *g->dst + 1);
    g->cap = malloc((size_t)g->m * sizeof *g->cap + 1);
    g->cost = malloc((size_t)g->m * sizeof *g->cost + 1);
    g->supply = malloc((size_t)g->n * sizeof *g->supply);
    if (!g->src || !g->dst || !g->cap || !g->cost || !g->supply) goto nomem;
    for (int64_t i = 1; i <= b->n_rows; i++) g->supply[i - 1] = b->row_rhs[i];
    g->supply[b->n_rows] = -g->total; /* only used when the total fits */
    g->m = 0;
    for (int64_t j = 1; j <= b->n_cols; j++) {
        if (b->col_ub[j] <= 0) continue;
        g->src[g->m] = tail[j] - 1;
        g->dst[g->m] = head[j] ? head[j] - 1 : (int)b->n_rows;
        g->cap[g->m] = b->col_ub[j] < g->total ? b->col_ub[j] : g->total;
        g->cost[g->m] = b->obj[j];
        g->m++;
    }
    g->is_network = 1;
    goto out;
nomem:
    err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP");
out:
    if (err || !g->is_network) iffnet_i_trace_net_free(g);
    free(tail); free(head);
    return err;
}

/* Does every number GLPK's okalg would see (capacities, costs, supplies and
 * their total, which it puts on one arc) lie within [-limit, limit]? It works in
 * int and refuses anything above INT_MAX (GLP_EDATA). */
static int fits_int(const iffnet_i_trace_net_t *g, int64_t limit)
{
    if (!g->is_network || g->total > limit) return 0;
    for (int a = 0; a < g->m; a++)
        if (g->cap[a] > limit || g->cost[a] > limit || g->cost[a] < -limit) return 0;
    return 1; /* supplies are >= 0 and <= total, the sink's demand is -total */
}

/* Can the network simplex work on it without overflow? It keeps every sum it
 * forms below INT64_MAX / 8 if S * (nodes + arcs) is (trace_mcf.c). */
static int fits_int64(const iffnet_i_trace_net_t *g)
{
    return g->is_network && g->n <= INT32_MAX / 4 && g->m <= INT32_MAX / 4 &&
           g->total <= INT64_MAX / 8 / ((int64_t)g->n + g->m + 1);
}

/* One direction of the bounds on a reduced network: min sum cost * flow. */
typedef struct {
    const iffnet_i_trace_net_t *g;
    int status;                  /* GLP_OPT, GLP_NOFEAS or LP_BUDGET */
    int64_t value;               /* the optimum when GLP_OPT */
    int64_t max_steps, steps;
    int glpk_ret;                /* okalg: GLPK's return code */
} lp_dir_t;

/* ---- GLPK's out-of-kilter solver: exact, in int --------------------------- */

/* Vertex data: the supply; arc data: capacity, cost (doubles, as
 * glp_mincost_okalg() reads them). GLPK's return code goes to d->glpk_ret
 * (GLP_EDATA, GLP_ERANGE: the numbers are too large for int after all; GLP_EFAIL). */
static int okalg_job(void *arg)
{
    lp_dir_t *d = arg;
    const iffnet_i_trace_net_t *g = d->g;
    glp_graph *G = glp_create_graph((int)sizeof(double), 2 * (int)sizeof(double));
    double sol = 0.0;
    int ret;
    glp_add_vertices(G, g->n);
    for (int i = 0; i < g->n; i++) {
        double s = (double)g->supply[i];
        memcpy(G->v[i + 1]->data, &s, sizeof s);
    }
    for (int a = 0; a < g->m; a++) {
        glp_arc *e = glp_add_arc(G, g->src[a] + 1, g->dst[a] + 1);
        double x[2] = {(double)g->cap[a], (double)g->cost[a]};
        memcpy(e->data, x, sizeof x);
    }
    ret = glp_mincost_okalg(G, 0, -1, 0, (int)sizeof(double), &sol, -1, -1);
    glp_delete_graph(G);
    d->glpk_ret = ret == GLP_ENOPFS ? 0 : ret;
    if (ret == GLP_ENOPFS) { d->status = GLP_NOFEAS; return 0; }
    if (ret) return 0;
    d->status = GLP_OPT;
    d->value = (int64_t)llround(sol); /* |sol| <= S * n <= INT_MAX * n: exact in a double */
    return 0;
}

/* *done = 0 when GLPK finds the numbers too large (integer overflow inside), for
 * the caller to fall back. */
static int dir_okalg(lp_dir_t *d, int *done)
{
    int ret, err = iffnet_i_glpk_call(okalg_job, d, "the out-of-kilter solver");
    *done = 0;
    if (err) return err;
    ret = d->glpk_ret;
    if (ret == GLP_EDATA || ret == GLP_ERANGE) return IFFNET_OK;
    if (ret) return iffnet_i_seterr(IFFNET_ESOLVER, "GLPK out-of-kilter solver failed (code %d)", ret);
    *done = 1;
    return IFFNET_OK;
}

/* ---- iffnet's network simplex (trace_mcf.c): exact, in int64 -------------- */

/* One direction on g; with warm, m holds the other direction's optimal tree on the
 * same network (costs negated here) and is the start. m is the caller's. */
static int dir_network(iffnet_i_trace_mcf_t *m, lp_dir_t *d, int warm)
{
    const iffnet_i_trace_net_t *g = d->g;
    int err, st;
    if (warm) {
        for (int a = 0; a < m->m; a++) m->cost[a] = g->cost[a];
    } else {
        iffnet_i_trace_mcf_free(m);
        if ((err = iffnet_i_trace_mcf_init(m, g->n, g->m))) return err;
        memcpy(m->src, g->src, (size_t)g->m * sizeof *m->src);
        memcpy(m->dst, g->dst, (size_t)g->m * sizeof *m->dst);
        memcpy(m->cap, g->cap, (size_t)g->m * sizeof *m->cap);
        memcpy(m->cost, g->cost, (size_t)g->m * sizeof *m->cost);
    }
    m->max_steps = d->max_steps;
    if ((err = iffnet_i_trace_mcf_solve(m, g->supply, warm, &st, &d->value))) return err;
    d->steps = m->steps;
    d->status = st == TRACE_MCF_OPTIMAL ? GLP_OPT : st == TRACE_MCF_INFEASIBLE ? GLP_NOFEAS : LP_BUDGET;
    return IFFNET_OK;
}

/* Do the two reductions give one network with opposite costs? Then the optimal
 * tree of the minimum is a feasible start for the maximum (when no node folded
 * differently, which is the common case of networks that do not fold at all). */
static int mirrored(const iffnet_i_trace_net_t *x, const iffnet_i_trace_net_t *y)
{
    if (x->n != y->n || x->m != y->m || x->total != y->total) return 0;
    for (int v = 0; v < x->n; v++)
        if (x->supply[v] != y->supply[v]) return 0;
    for (int a = 0; a < x->m; a++)
        if (x->src[a] != y->src[a] || x->dst[a] != y->dst[a] || x->cap[a] != y->cap[a] || x->cost[a] != -y->cost[a])
            return 0;
    return 1;
}

/* ---- the choice ------------------------------------------------------------ */

static const char *const solver_names[] = {"auto", "okalg", "network", "simplex"};

const char *iffnet_lp_solver_name(iffnet_lp_solver_t s)
{
    return (unsigned)s < sizeof solver_names / sizeof *solver_names ? solver_names[s] : "?";
}

int iffnet_lp_solver_parse(const char *s, iffnet_lp_solver_t *out)
{
    for (size_t i = 0; i < sizeof solver_names / sizeof *solver_names; i++)
        if (strcmp(s, solver_names[i]) == 0) { *out = (iffnet_lp_solver_t)i; return IFFNET_OK; }
    return iffnet_i_seterr(IFFNET_EINVAL, "\"%s\" is not auto, okalg, network or simplex", s);
}

typedef struct {
    iffnet_lp_solver_t solver;
    int64_t int_limit, max_steps;
} lp_choice_t;

/* GLPK runs under iffnet_i_glpk_call, so a GLPK fatal error (such as running out
 * of memory) is an error return, not an abort. */
typedef struct {
    const lp_build_t *b;
    int64_t max_steps;
    iffnet_trace_bounds_t *out;
} glpk_job_t;

static int simplex_job(void *arg)
{
    glpk_job_t *j = arg;
    return bounds_simplex(j->b, j->max_steps, j->out);
}

/* One direction on the reduced network g: the optimum of min sum cost * flow in
 * *d, by okalg when asked, else the network simplex (warm: from m's tree, see
 * mirrored()). *solver gets the one that ran, or NULL when the numbers fit
 * neither (then the caller runs GLPK's simplex on the LP). */
static int solve_direction(const lp_choice_t *ch, iffnet_i_trace_mcf_t *m, int warm, lp_dir_t *d, const char **solver)
{
    const iffnet_i_trace_net_t *g = d->g;
    int done = 0, err;
    *solver = NULL;
    if (g->m == 0) { /* nothing left to choose: the constant is the optimum */
        d->status = g->total == 0 ? GLP_OPT : GLP_NOFEAS;
        d->value = 0;
        *solver = "none";
        return IFFNET_OK;
    }
    if (ch->solver == IFFNET_LP_OKALG) {
        if (g->m > LP_OKALG_MAX_ARCS)
            return iffnet_i_seterr(IFFNET_ELIMIT, "the LP's network has %d arcs after the reductions, more than the %d "
                                   "that GLPK's out-of-kilter solver gets (it cannot be stopped once started; use "
                                   "--lp-solver auto)", g->m, LP_OKALG_MAX_ARCS);
        if (!fits_int(g, ch->int_limit))
            return iffnet_i_seterr(IFFNET_ELIMIT, "the LP does not fit GLPK's out-of-kilter solver (seeded money "
                                   "%lld minor units, at most %lld)", (long long)g->total, (long long)ch->int_limit);
        if ((err = dir_okalg(d, &done))) return err;
        if (!done)
            return iffnet_i_seterr(IFFNET_ELIMIT, "the LP does not fit GLPK's out-of-kilter solver (an integer "
                                   "overflow inside it)");
        *solver = solver_names[IFFNET_LP_OKALG];
        return IFFNET_OK;
    }
    if (ch->solver == IFFNET_LP_SIMPLEX) return IFFNET_OK;
    if (!fits_int64(g)) {
        if (ch->solver == IFFNET_LP_NETWORK) return iffnet_i_seterr(IFFNET_ELIMIT, "the LP does not fit the network solver");
        return IFFNET_OK;
    }
    IFFNET_TRY(dir_network(m, d, warm));
    *solver = solver_names[IFFNET_LP_NETWORK];
    return IFFNET_OK;
}

/* Both bounds on the flow network of the LP, reduced for each direction; the
 * step budget is shared (the maximum gets what the minimum left). Or GLPK's
 * simplex on the LP itself, when asked or when the numbers fit no network
 * solver. */
static int network_bounds(const lp_build_t *b, const iffnet_i_trace_net_t *g, const lp_choice_t *ch,
                          iffnet_trace_bounds_t *out, int *done)
{
    iffnet_i_trace_net_t red[2];
    iffnet_i_trace_mcf_t m;
    int64_t constant[2] = {0, 0};
    int infeasible[2] = {0, 0}, err = IFFNET_OK;
    const char *used[2] = {NULL, NULL};
    *done = 0;
    memset(red, 0, sizeof red);
    memset(&m, 0, sizeof m);
    for (int k = 0; k < 2; k++) {
        if ((err = iffnet_i_trace_net_reduce(g, k == 0 ? 1 : -1, &red[k], &constant[k], &infeasible[k]))) goto out;
        if (red[k].n > out->n_nodes) out->n_nodes = red[k].n;
        if (red[k].m > out->n_arcs) out->n_arcs = red[k].m;
    }
    for (int k = 0; k < 2; k++) {
        int dir = k == 0 ? 1 : -1, *status = k == 0 ? &out->status_min : &out->status_max;
        lp_dir_t d;
        memset(&d, 0, sizeof d);
        if (k == 1 && out->status_min != GLP_OPT) { /* infeasible or cut short: so is the maximum */
            out->status_max = out->status_min;
            used[1] = used[0];
            break;
        }
        if (infeasible[k]) {
            *status = GLP_NOFEAS;
            used[k] = "none";
            continue;
        }
        d.g = &red[k];
        d.max_steps = ch->max_steps - out->steps;
        if ((err = solve_direction(ch, &m, k == 1 && m.solved && mirrored(&red[0], &red[1]), &d, &used[k]))) goto out;
        if (!used[k]) goto out; /* the numbers fit no network solver */
        *status = d.status;
        *(k == 0 ? &out->min : &out->max) = (double)(b->obj_const + dir * (constant[k] + d.value));
        out->steps += d.steps;
    }
    out->solver = strcmp(used[0], "none") ? used[0] : used[1];
    *done = 1;
out:
    iffnet_i_trace_mcf_free(&m);
    iffnet_i_trace_net_free(&red[0]);
    iffnet_i_trace_net_free(&red[1]);
    return err;
}

static int solve_bounds(const lp_build_t *b, const lp_choice_t *ch, iffnet_trace_bounds_t *out)
{
    iffnet_i_trace_net_t g;
    int err = IFFNET_OK, done = 0;
    memset(&g, 0, sizeof g);
    if (ch->solver != IFFNET_LP_SIMPLEX) {
        if ((err = to_network(b, &g))) return err;
        if (g.is_network && (err = network_bounds(b, &g, ch, out, &done))) goto out;
    }
    if (done) goto out;
    if (ch->solver != IFFNET_LP_AUTO && ch->solver != IFFNET_LP_SIMPLEX) {
        err = iffnet_i_seterr(IFFNET_ELIMIT, "the LP does not fit the %s solver", solver_names[ch->solver]);
        goto out;
    }
    out->steps = 0;
    {
        glpk_job_t job = {b, ch->max_steps, out};
        if ((err = iffnet_i_glpk_call(simplex_job, &job, "the simplex method"))) goto out;
    }
    out->solver = solver_names[IFFNET_LP_SIMPLEX];
out:
    iffnet_i_trace_net_free(&g);
    return err;
}

int iffnet_trace_bounds(const iffnet_trace_t *tr, int64_t target, iffnet_trace_bounds_t *out)
{
    return iffnet_i_trace_lp_bounds(tr, target, IFFNET_LP_AUTO, INT_MAX, out);
}

int iffnet_trace_bounds_with(const iffnet_trace_t *tr, int64_t target, iffnet_lp_solver_t solver,
                             iffnet_trace_bounds_t *out)
{
    return iffnet_i_trace_lp_bounds(tr, target, solver, INT_MAX, out);
}

int iffnet_i_trace_lp_bounds(const iffnet_trace_t *tr, int64_t target, iffnet_lp_solver_t solver, int64_t int_limit,
                    iffnet_trace_bounds_t *out)
{
    lp_build_t b;
    lp_choice_t ch = {solver, int_limit, tr->opts.lp_max_steps > 0 ? tr->opts.lp_max_steps : IFFNET_TRACE_LP_MAX_STEPS};
    int err;
    double t0;
    memset(&b, 0, sizeof b);
    memset(out, 0, sizeof *out);
    out->status_text = "not solved";
    out->solver = "none";
    out->max_steps = ch.max_steps;
    if (tr->opts.backward) return iffnet_i_seterr(IFFNET_EINVAL, "LP bounds need a forward trace");
    if (target < 0 || target >= tr->n_accounts) return iffnet_i_seterr(IFFNET_EINVAL, "target account out of range");
    if ((unsigned)solver > IFFNET_LP_SIMPLEX) return iffnet_i_seterr(IFFNET_EINVAL, "unknown LP solver");
    if ((err = build(tr, target, &b, out))) goto out;
    out->n_rows = b.n_rows;
    out->n_cols = b.n_cols;
    out->n_nonzeros = b.n_nz;
    if (b.n_rows > INT32_MAX / 2 || b.n_nz > INT32_MAX / 2) {
        err = iffnet_i_seterr(IFFNET_ELIMIT, "the LP is too large for the solvers (%lld rows)", (long long)b.n_rows);
        goto out;
    }
    if (b.n_cols == 0) { /* nothing can reach the target beyond seeded money */
        out->min = out->max = (double)b.obj_const;
        out->status_min = out->status_max = GLP_OPT;
        out->status_text = status_name(GLP_OPT);
        goto out;
    }
    t0 = now();
    if ((err = solve_bounds(&b, &ch, out))) goto out;
    out->seconds = now() - t0;
    out->cut_short = out->status_min == LP_BUDGET || out->status_max == LP_BUDGET;
    out->status_text = status_name(out->status_min != GLP_OPT ? out->status_min : out->status_max);
out:
    free(b.ia); free(b.ja); free(b.ar); free(b.col_ub); free(b.row_rhs); free(b.obj);
    return err;
}
