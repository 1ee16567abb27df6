/* trace_lp.c: bounds on the tainted money that can have reached an account, as two
 * linear programs, solved as minimum-cost flows by the network simplex method of
 * trace_mcf.c (GLPK's simplex method when the amounts are too large for it).
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
 * Solver. Each column has one +1 (the row of the event that sends it on: its
 * tail) and at most one -1 (the row where it arrives: its head; none for money
 * that stays or reaches an account that sends no more, which goes to a sink), so
 * the LP is a minimum-cost flow: nodes are rows with the seeded money as supply,
 * columns are arcs, the sink takes all the supply, and the cost is 1 (-1 for the
 * maximum) on the arcs into the target. trace_mcf.c solves it exactly in int64;
 * on the benchmark of scripts/bench-trace (113,774 rows, 221,052 columns) it takes
 * ~4 s for both bounds where GLPK's primal simplex took 70 s, its dual simplex
 * over 15 minutes, and GLPK's out-of-kilter solver 12 s but only for data that
 * fits in int (seeded money below 2^31 minor units). GLPK's simplex stays as the
 * fallback for amounts too large for exact int64 sums, and as the reference the
 * unit tests compare the network solver with. Its optimum is in doubles, so rule
 * amounts are compared with IFFNET_TRACE_LP_TOL (one minor unit).
 */
#include <glpk.h>
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
    trace_ctx_t x;
    trace_step_t s;
    int64_t cap = 0;
    int err;
    uint8_t *seen = NULL;
    *txs = NULL;
    *n = 0;
    if ((err = trace_ctx_init(&x, c, &tr->opts))) return err;
    if (!(seen = calloc((size_t)c->n_accounts + 1, 1))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP");
        goto out;
    }
    for (int64_t t = x.lo; t < x.hi; t++) {
        lp_tx_t *e;
        if (c->tx_src[t] == c->tx_dst[t]) continue;
        trace_ctx_step(&x, t, &s);
        trace_ctx_commit(&x, &s);
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
    trace_ctx_destroy(&x);
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
        if (e->src == target) b->obj_const += e->fresh; /* seeded here counts as received, as for the rules */
        if (e->exit == IFFNET_EXIT_NONE && e->dst == target) b->obj_const += e->fresh;
        if (k > last[e->src]) continue; /* the sender's taint cannot reach the target any more */
        if (e->may_carry && (ycol = add_col(b, e->take)) < 0) { err = IFFNET_ENOMEM; goto out; }
        if ((err = add_send(b, &A, e->src, e->bal_src, ycol))) goto out;
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

/* Status of a run stopped by the time limit (not a GLPK status code). */
#define LP_TIME_LIMIT 100
#define LP_TIME_LIMIT_S 600 /* a bound that never comes is worse than a reported time-out */

static const char *status_name(int st)
{
    switch (st) {
    case GLP_OPT: return "optimal";
    case GLP_FEAS: return "feasible";
    case GLP_INFEAS: return "infeasible";
    case GLP_NOFEAS: return "no feasible solution";
    case GLP_UNBND: return "unbounded";
    case GLP_UNDEF: return "undefined";
    case LP_TIME_LIMIT: return "time limit reached";
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
static int solve(glp_prob *P, int dir, int presolve, double *v)
{
    glp_smcp parm;
    int ret;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = presolve ? GLP_ON : GLP_OFF;
    parm.tm_lim = LP_TIME_LIMIT_S * 1000;
    glp_set_obj_dir(P, dir);
    ret = glp_simplex(P, &parm);
    if (ret == GLP_ENOPFS) return GLP_NOFEAS;
    if (ret == GLP_ENODFS) return GLP_UNBND;
    if (ret == GLP_ETMLIM) return LP_TIME_LIMIT;
    if (ret != 0) return -ret;
    *v = glp_get_obj_val(P);
    return glp_get_status(P);
}

static int bounds_simplex(const lp_build_t *b, iffnet_trace_bounds_t *out)
{
    glp_prob *P;
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
    out->status_min = solve(P, GLP_MIN, 1, &out->min);
    out->status_max = out->status_min == GLP_OPT ? solve(P, GLP_MAX, 0, &out->max) : out->status_min;
    glp_delete_prob(P);
    if (out->status_min < 0 || out->status_max < 0)
        return iffnet_i_seterr(IFFNET_ESOLVER, "GLPK simplex failed (code %d)",
                               -(out->status_min < 0 ? out->status_min : out->status_max));
    return IFFNET_OK;
}

/* ---- network simplex: the same LP as a minimum-cost flow, exact ----------- */

/* The LP as a flow network, when it is one the solver takes exactly: every
 * column has one +1 (its tail: the row it leaves) and at most one -1 (its head;
 * none: the sink, node n_rows, where the money that stays or leaves the case
 * ends), so row i is node i - 1 with supply rhs_i and the sink has demand S, the
 * sum of the supplies. Columns bounded at 0 are left out. The network follows
 * time, so it has no cycle and no arc can carry more than S: capacities are cut
 * to S, which changes nothing and keeps every sum the solver forms below
 * INT64_MAX / 8. *fits = 0 when the LP is not such a network or S is too large
 * for that (then the caller uses the simplex). */
static int to_network(const lp_build_t *b, trace_mcf_t *m, int64_t **supply, int *fits)
{
    int *tail = NULL, *head = NULL, n_arcs = 0, err = IFFNET_OK;
    int64_t S = 0, limit = INT64_MAX / 8 / (b->n_rows + b->n_cols + 2);
    *fits = 0;
    *supply = NULL;
    memset(m, 0, sizeof *m);
    tail = calloc((size_t)b->n_cols + 1, sizeof *tail);
    head = calloc((size_t)b->n_cols + 1, sizeof *head);
    if (!tail || !head) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP"); goto out; }
    for (int64_t k = 1; k <= b->n_nz; k++) {
        int *end = b->ar[k] > 0 ? tail : head;
        if (end[b->ja[k]] || (b->ar[k] != 1.0 && b->ar[k] != -1.0)) goto out;
        end[b->ja[k]] = b->ia[k];
    }
    for (int64_t j = 1; j <= b->n_cols; j++) {
        if (b->col_ub[j] <= 0) continue;
        if (!tail[j]) goto out;
        n_arcs++;
    }
    for (int64_t i = 1; i <= b->n_rows; i++) {
        if (b->row_rhs[i] < 0 || b->row_rhs[i] > limit - S) goto out;
        S += b->row_rhs[i];
    }
    if ((err = trace_mcf_init(m, (int)b->n_rows + 1, n_arcs))) goto out;
    if (!(*supply = malloc(((size_t)b->n_rows + 1) * sizeof **supply))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the LP");
        goto out;
    }
    for (int64_t i = 1; i <= b->n_rows; i++) (*supply)[i - 1] = b->row_rhs[i];
    (*supply)[b->n_rows] = -S;
    n_arcs = 0;
    for (int64_t j = 1; j <= b->n_cols; j++) {
        if (b->col_ub[j] <= 0) continue;
        m->src[n_arcs] = tail[j] - 1;
        m->dst[n_arcs] = head[j] ? head[j] - 1 : (int)b->n_rows;
        m->cap[n_arcs] = b->col_ub[j] < S ? b->col_ub[j] : S;
        m->cost[n_arcs] = b->obj[j];
        n_arcs++;
    }
    *fits = 1;
out:
    if (err || !*fits) { trace_mcf_free(m); free(*supply); *supply = NULL; }
    free(tail); free(head);
    return err;
}

static int mcf_status(int st)
{
    return st == TRACE_MCF_OPTIMAL ? GLP_OPT : st == TRACE_MCF_INFEASIBLE ? GLP_NOFEAS : LP_TIME_LIMIT;
}

/* The minimum, then the maximum (costs negated) from the minimum's optimal tree. */
static int bounds_network(const lp_build_t *b, iffnet_trace_bounds_t *out, int *fits)
{
    trace_mcf_t m;
    int64_t *supply = NULL, v = 0;
    int err, st;
    if ((err = to_network(b, &m, &supply, fits)) || !*fits) return err;
    m.max_seconds = LP_TIME_LIMIT_S;
    if ((err = trace_mcf_solve(&m, supply, 0, &st, &v))) goto out;
    out->status_min = out->status_max = mcf_status(st);
    out->min = (double)(b->obj_const + v);
    if (st != TRACE_MCF_OPTIMAL) goto out;
    for (int a = 0; a < m.m; a++) m.cost[a] = -m.cost[a];
    if ((err = trace_mcf_solve(&m, supply, 1, &st, &v))) goto out;
    out->status_max = mcf_status(st);
    out->max = (double)(b->obj_const - v);
out:
    trace_mcf_free(&m);
    free(supply);
    return err;
}

int iffnet_trace_bounds(const iffnet_trace_t *tr, int64_t target, iffnet_trace_bounds_t *out)
{
    return trace_lp_bounds(tr, target, TRACE_LP_AUTO, out);
}

int trace_lp_bounds(const iffnet_trace_t *tr, int64_t target, trace_lp_method_t method, iffnet_trace_bounds_t *out)
{
    lp_build_t b;
    int err, fits = 0;
    double t0;
    memset(&b, 0, sizeof b);
    memset(out, 0, sizeof *out);
    out->status_text = "not solved";
    if (tr->opts.backward) return iffnet_i_seterr(IFFNET_EINVAL, "LP bounds need a forward trace");
    if (target < 0 || target >= tr->n_accounts) return iffnet_i_seterr(IFFNET_EINVAL, "target account out of range");
    if ((err = build(tr, target, &b, out))) goto out;
    out->n_rows = b.n_rows;
    out->n_cols = b.n_cols;
    out->n_nonzeros = b.n_nz;
    if (b.n_rows > INT32_MAX / 2 || b.n_nz > INT32_MAX / 2) {
        err = iffnet_i_seterr(IFFNET_ELIMIT, "the LP is too large for GLPK (%lld rows)", (long long)b.n_rows);
        goto out;
    }
    if (b.n_cols == 0) { /* nothing can reach the target beyond seeded money */
        out->min = out->max = (double)b.obj_const;
        out->status_min = out->status_max = GLP_OPT;
        out->status_text = status_name(GLP_OPT);
        goto out;
    }
    t0 = now();
    if (method != TRACE_LP_SIMPLEX && (err = bounds_network(&b, out, &fits))) goto out;
    if (method == TRACE_LP_NETWORK && !fits) {
        err = iffnet_i_seterr(IFFNET_ELIMIT, "the LP does not fit the network solver");
        goto out;
    }
    if (!fits && (err = bounds_simplex(&b, out))) goto out;
    out->seconds = now() - t0;
    out->status_text = status_name(out->status_min != GLP_OPT ? out->status_min : out->status_max);
    err = IFFNET_OK;
out:
    free(b.ia); free(b.ja); free(b.ar); free(b.col_ub); free(b.row_rhs); free(b.obj);
    return err;
}
