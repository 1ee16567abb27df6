/* detect_block.c: bipartite and stack blocks of new links (once-only pairs).
 *
 * The dense-pair blocks of detect_flow.c need every pair to repeat; a block can
 * also be made of links that are new to both sides: k payers each paying several
 * of the same m payees once, within `window` of each other. Its unit is the
 * butterfly: two payers that both pay the same two payees (a 2 x 2 complete
 * block). Butterflies of new links that share accounts form one block.
 *
 * Chance also makes butterflies, the more the more new links the case has and
 * the more unevenly they are spread. Under the configuration model (each
 * account keeps its number of new links per window, partners drawn at random)
 * a window whose payers have D2 = sum d(d - 1) and whose payees E2 = sum e(e - 1)
 * over E new links holds D2^2 E2^2 / (4 E^4) butterflies on average (Newman,
 * Networks, ch. 13: the expected count of a small subgraph in a random graph with
 * given degrees). Summed over the windows of the case (two grids offset by half
 * a window, so a block across a grid line is counted: at most twice the true
 * figure) this is mu, the butterflies chance alone puts into the case. A block
 * of q butterflies is reported when P(Poisson(mu) >= q) is below
 * chance_alerts / (blocks tested): chance alone would not make that many in the
 * whole case, let alone in one block.
 *
 * Accounts for which new counterparties on that side are routine (median
 * once-only counterparties per window at least `routine_median` over at least
 * `baseline_windows` windows: a shop, a payroll bureau) are left out on that
 * side, and so are payments within one business group (treasury moves).
 * Recurring pairs are no new links: a payroll paying the same employees every
 * month forms no block. A payer's new links are paired with at most `max_fan`
 * following ones: the search stays linear, and a wider fan is the fan
 * detectors' business.
 *
 * A block whose payees pass on at least `min_pass_ratio` of what they got in it
 * (over new links, within `window` of the first receipt, to accounts outside its
 * payers), at least two of them, is a stack: the onward payments are its next
 * layer. Otherwise it is a bipartite block.
 */
#include <math.h>
#include "detect_internal.h"

typedef struct {
    int64_t window, max_pair_tx, min_payers, min_payees, max_fan, routine_median, min_windows;
    double min_pass, chance;
} bl_params_t;

typedef struct { int32_t b1, b2, a; int32_t pad; int64_t t1, t2; iffnet_time_t start; } wedge_t;

typedef struct {
    const iffnet_detect_ctx_t *ctx;
    const iffnet_i_txindex_t *x;
    bl_params_t p;
    char *rout_in, *rout_out;       /* per account: new payers / payees are its routine */
    char *is_new;                   /* per transaction: new_link() */
    uint8_t *pair_seen;             /* hashed payee pairs of wedges: 0, 1, 2 = seen twice or more */
    wedge_t *w;
    int64_t n_w, cap_w;
    int64_t *uf;
    iffnet_i_vec_t btx;             /* tx of butterflies */
    iffnet_i_vec_t bq;              /* pairs (account, butterflies) to sum per block */
    iffnet_money_t *recv;           /* per payee: received in the block */
    iffnet_time_t *recv_t;          /* per payee: its first receipt in the block */
    int64_t *stamp, stamp_id;
    double mu;                      /* butterflies chance puts into the case */
    double n_new;                   /* new links in the case */
    iffnet_time_t t0, t1;           /* first and last transaction of the case */
    int mixed;
} bl_t;

static int bl_params(const iffnet_detect_ctx_t *ctx, const char *pre, bl_params_t *p)
{
    IFFNET_TRY(iffnet_i_setting_duration(ctx->cfg, pre, "link_window", ctx->window, &p->window));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "max_pair_tx", 1, 1, 1000000, &p->max_pair_tx));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "min_payers", 2, 2, 1000000, &p->min_payers));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "min_payees", 2, 2, 1000000, &p->min_payees));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "max_fan", 50, 2, 1000000, &p->max_fan));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "routine_median", 5, 1, 1000000, &p->routine_median));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, pre, "baseline_windows", 3, 1, 1000000, &p->min_windows));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, pre, "min_pass_ratio", 0.5, 0.0, 1.0, &p->min_pass));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, pre, "chance_alerts", 1.0, 0.0, 1e9, &p->chance));
    if (p->window <= 0) p->window = 86400;
    return IFFNET_OK;
}

/* new_link(b, t): 1 when t is a new link usable on both sides: not a self-payment, not within one
 * business group, a pair that transacts at most max_pair_tx times, and neither
 * the payer's payees nor the payee's payers are that account's routine. */
static int new_link(const bl_t *b, int64_t t)
{
    return b->is_new[t];
}

static void mark_new_links(bl_t *b)
{
    const iffnet_case_t *c = b->x->c;
    for (int64_t t = 0; t < b->x->n_tx; t++) {
        int64_t s = c->tx_src[t], d = c->tx_dst[t];
        b->is_new[t] = iffnet_i_transfer(b->x, t) && b->x->pair_n[t] <= b->p.max_pair_tx && !iffnet_i_same_group(b->x, s, d)
                    && !b->rout_out[s] && !b->rout_in[d];
    }
}

static int routines(bl_t *b)
{
    double *bins = NULL, med;
    int64_t cap = 0;
    int err = IFFNET_OK;
    for (int64_t v = 0; v < b->x->n_acc && !err; v++) {
        if (b->x->in_off[v + 1] - b->x->in_off[v] >= b->p.routine_median) {
            err = iffnet_i_routine(b->x, v, 1, b->p.max_pair_tx, b->p.window, b->p.min_windows, &bins, &cap, &med);
            b->rout_in[v] = !err && med >= (double)b->p.routine_median;
        }
        if (!err && b->x->out_off[v + 1] - b->x->out_off[v] >= b->p.routine_median) {
            err = iffnet_i_routine(b->x, v, 0, b->p.max_pair_tx, b->p.window, b->p.min_windows, &bins, &cap, &med);
            b->rout_out[v] = !err && med >= (double)b->p.routine_median;
        }
    }
    free(bins);
    return err;
}

/* mu: the configuration-model count of chance butterflies (see the top). */
static int chance_butterflies(bl_t *b)
{
    const iffnet_i_txindex_t *x = b->x;
    const iffnet_case_t *c = x->c;
    iffnet_time_t t0 = INT64_MAX, t1 = INT64_MIN;
    for (int64_t t = 0; t < x->n_tx; t++) {
        if (c->tx_time[t] < t0) t0 = c->tx_time[t];
        if (c->tx_time[t] > t1) t1 = c->tx_time[t];
    }
    b->mu = 0; b->t0 = t0; b->t1 = t1; b->n_new = 0;
    if (x->n_tx == 0) return IFFNET_OK;
    for (int64_t t = 0; t < x->n_tx; t++) b->n_new += new_link(b, t);
    int64_t nb = (t1 - t0) / b->p.window + 2;
    double *d2 = calloc((size_t)nb, sizeof *d2), *e2 = calloc((size_t)nb, sizeof *e2), *e = calloc((size_t)nb, sizeof *e);
    if (!d2 || !e2 || !e) { free(d2); free(e2); free(e); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in block detection"); }
    for (int shift = 0; shift < 2; shift++) {
        iffnet_time_t base = t0 - (shift ? b->p.window / 2 : 0);
        for (int64_t k = 0; k < nb; k++) d2[k] = e2[k] = e[k] = 0;
        for (int side = 0; side < 2; side++) {
            const int64_t *off = side ? x->in_off : x->out_off, *lst = side ? x->in_tx : x->out_tx;
            const iffnet_time_t *tk = side ? x->in_t : x->out_t;   /* the index's copy along the list */
            double *acc = side ? e2 : d2;
            for (int64_t v = 0; v < x->n_acc; v++) {
                int64_t bin = -1, n = 0;
                for (int64_t k = off[v]; k <= off[v + 1]; k++) {
                    int64_t t = k < off[v + 1] ? lst[k] : -1;
                    if (t >= 0 && !new_link(b, t)) continue;
                    int64_t nbin = t >= 0 ? (tk[k] - base) / b->p.window : -2;
                    if (nbin != bin) {
                        if (bin >= 0) acc[bin] += (double)n * (double)(n - 1);
                        bin = nbin; n = 0;
                    }
                    if (t < 0) break;
                    n++;
                    if (side == 0) e[bin] += 1;
                }
            }
        }
        for (int64_t k = 0; k < nb; k++)
            if (e[k] > 0) b->mu += d2[k] * d2[k] * e2[k] * e2[k] / (4.0 * e[k] * e[k] * e[k] * e[k]);
    }
    free(d2); free(e2); free(e);
    return IFFNET_OK;
}

static int cmp_wedge(const void *pa, const void *pb)
{
    const wedge_t *a = pa, *b = pb;
    if (a->b1 != b->b1) return a->b1 < b->b1 ? -1 : 1;
    if (a->b2 != b->b2) return a->b2 < b->b2 ? -1 : 1;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return (a->t1 > b->t1) - (a->t1 < b->t1);
}

#define PAIR_BITS 25

static uint32_t pair_hash(int32_t b1, int32_t b2)
{
    uint64_t h = ((uint64_t)(uint32_t)b1 << 32 | (uint32_t)b2) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> (64 - PAIR_BITS));
}

/* Wedges: pairs of new links of one payer within the window. A first pass
 * counts each payee pair in a hash table; only wedges whose pair may occur twice
 * (a butterfly needs two payers) are kept and sorted: in a large case most
 * wedges are alone. */
static int wedges(bl_t *b)
{
    const iffnet_i_txindex_t *x = b->x;
    iffnet_i_vec_t l = { 0, 0, NULL };
    int err = IFFNET_OK;
    for (int pass = 0; pass < 2 && !err; pass++)
        for (int64_t a = 0; a < x->n_acc && !err; a++) {
            if (x->out_off[a + 1] - x->out_off[a] < 2 || b->rout_out[a]) continue;
            /* positions in a's list (the index's copies of time and payee) */
            iffnet_i_vec_clear(&l);
            for (int64_t k = x->out_off[a]; k < x->out_off[a + 1] && !err; k++)
                if (new_link(b, x->out_tx[k])) err = iffnet_i_vec_push(&l, k);
            for (int64_t i = 0; i < l.n && !err; i++)
                for (int64_t j = i + 1; j < l.n && j - i <= b->p.max_fan; j++) {
                    int64_t ki = l.v[i], kj = l.v[j], ti = x->out_tx[ki], tj = x->out_tx[kj];
                    if (x->out_t[kj] - x->out_t[ki] > b->p.window) break;
                    int32_t di = x->out_d[ki], dj = x->out_d[kj];
                    if (di == dj) continue;
                    uint32_t h = di < dj ? pair_hash(di, dj) : pair_hash(dj, di);
                    if (pass == 0) { if (b->pair_seen[h] < 2) b->pair_seen[h]++; continue; }
                    if (b->pair_seen[h] < 2) continue;
                    if (b->n_w == b->cap_w && (err = iffnet_i_reserve((void **)&b->w, &b->cap_w, b->n_w + 1, sizeof *b->w))) break;
                    b->w[b->n_w++] = di < dj ? (wedge_t){ di, dj, (int32_t)a, 0, ti, tj, x->out_t[ki] }
                                             : (wedge_t){ dj, di, (int32_t)a, 0, tj, ti, x->out_t[ki] };
                }
        }
    iffnet_i_vec_free(&l);
    return err;
}

static int64_t root(int64_t *p, int64_t a)
{
    while (p[a] != a) { p[a] = p[p[a]]; a = p[a]; }
    return a;
}

static void join(int64_t *p, int64_t a, int64_t b)
{
    int64_t r1 = root(p, a), r2 = root(p, b);
    if (r1 != r2) p[r1 < r2 ? r2 : r1] = r1 < r2 ? r1 : r2;
}

/* Butterflies: runs of wedges on one payee pair, starting within a window of
 * each other, with at least two payers. */
static int butterflies(bl_t *b)
{
    int err = IFFNET_OK;
    if (b->n_w > 0) qsort(b->w, (size_t)b->n_w, sizeof *b->w, cmp_wedge);
    for (int64_t lo = 0, hi; lo < b->n_w && !err; lo = hi) {
        for (hi = lo + 1; hi < b->n_w && b->w[hi].b1 == b->w[lo].b1 && b->w[hi].b2 == b->w[lo].b2
             && b->w[hi].start - b->w[hi - 1].start <= b->p.window; hi++) ;
        int64_t payers = 0, id = ++b->stamp_id;
        for (int64_t i = lo; i < hi; i++)
            if (b->stamp[b->w[i].a] != id) { b->stamp[b->w[i].a] = id; payers++; }
        if (payers < 2) continue;
        for (int64_t i = lo; i < hi && !err; i++) {
            join(b->uf, b->w[i].a, b->w[i].b1);
            join(b->uf, b->w[i].a, b->w[i].b2);
            err = iffnet_i_vec_push(&b->btx, b->w[i].t1);
            if (!err) err = iffnet_i_vec_push(&b->btx, b->w[i].t2);
        }
        if (!err) err = iffnet_i_vec_push(&b->bq, b->w[lo].b1);
        if (!err) err = iffnet_i_vec_push(&b->bq, payers * (payers - 1) / 2);
    }
    return err;
}

static const int64_t *g_uf;       /* qsort context (single-threaded) */
static const int32_t *g_src;

static int cmp_tx_block(const void *pa, const void *pb)
{
    int64_t x = *(const int64_t *)pa, y = *(const int64_t *)pb;
    int64_t rx = g_uf[g_src[x]], ry = g_uf[g_src[y]];
    if (rx != ry) return rx < ry ? -1 : 1;
    return (x > y) - (x < y);
}

/* Onward payments of the block's payees (the next layer of a stack): new links
 * within a window of the payee's first receipt in the block, to accounts that
 * are not payers of the block. Fills tx/acc, returns how many payees passed on
 * at least min_pass of what they received, and the sums. */
static int onward(bl_t *b, const int64_t *bt, int64_t n, iffnet_i_vec_t *tx, iffnet_i_vec_t *acc,
                  int64_t *n_mid, iffnet_money_t *got, iffnet_money_t *fwd)
{
    const iffnet_i_txindex_t *x = b->x;
    const iffnet_case_t *c = x->c;
    int64_t id_pay = ++b->stamp_id, id_rcv = ++b->stamp_id;
    *n_mid = 0; *got = 0; *fwd = 0;
    for (int64_t i = 0; i < n; i++) b->stamp[c->tx_src[bt[i]]] = id_pay;
    for (int64_t i = 0; i < n; i++) {
        int64_t d = c->tx_dst[bt[i]];
        if (b->stamp[d] != id_rcv) { b->stamp[d] = id_rcv; b->recv[d] = 0; b->recv_t[d] = c->tx_time[bt[i]]; }
        b->recv[d] += x->val[bt[i]];
        if (c->tx_time[bt[i]] < b->recv_t[d]) b->recv_t[d] = c->tx_time[bt[i]];
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t d = c->tx_dst[bt[i]];
        if (b->stamp[d] != id_rcv) continue;
        b->stamp[d] = id_rcv + 1; /* once per payee */
        iffnet_time_t first = b->recv_t[d];
        iffnet_money_t sent = 0;
        int64_t mark = tx->n;
        for (int64_t k = x->out_off[d]; k < x->out_off[d + 1]; k++) {
            int64_t t = x->out_tx[k], e = c->tx_dst[t];
            if (c->tx_time[t] < first) continue;
            if (c->tx_time[t] > first + b->p.window) break;
            if (b->stamp[e] == id_pay || e == d || x->pair_n[t] > b->p.max_pair_tx || iffnet_i_same_group(x, d, e)) continue;
            sent += x->val[t];
            IFFNET_TRY(iffnet_i_vec_push(tx, t));
            IFFNET_TRY(iffnet_i_vec_push(acc, e));
        }
        if (sent > 0 && (b->mixed || (double)sent >= b->p.min_pass * (double)b->recv[d])) {
            (*n_mid)++; *got += b->recv[d]; *fwd += sent;
        } else {
            /* no onward layer from this payee: drop what it paid */
            acc->n -= tx->n - mark; tx->n = mark;
        }
    }
    b->stamp_id++;
    return IFFNET_OK;
}

/* One block: butterfly transactions bt[0..n) (sorted, unique), q butterflies. */
static int block(bl_t *b, const int64_t *bt, int64_t n, int64_t q, double p_block, iffnet_typology_t want,
                 iffnet_alert_list_t *out)
{
    const iffnet_i_txindex_t *x = b->x;
    const iffnet_case_t *c = x->c;
    iffnet_i_vec_t acc = { 0, 0, NULL }, tx = { 0, 0, NULL };
    int64_t n_payers = 0, n_payees = 0, n_mid = 0, id = ++b->stamp_id;
    iffnet_money_t total = 0, got = 0, fwd = 0;
    int err = IFFNET_OK;
    for (int64_t i = 0; i < n; i++) {
        int64_t s = c->tx_src[bt[i]];
        if (b->stamp[s] != id) { b->stamp[s] = id; n_payers++; }
    }
    id = ++b->stamp_id;
    for (int64_t i = 0; i < n; i++) {
        int64_t d = c->tx_dst[bt[i]];
        if (b->stamp[d] != id) { b->stamp[d] = id; n_payees++; }
        total += x->val[bt[i]];
    }
    if (n_payers < b->p.min_payers || n_payees < b->p.min_payees) return IFFNET_OK;
    /* Growth: chance seeds about mu butterflies; one grows c - 1 more independent
     * cycles among its accounts only through edges between its payers and payees,
     * of which the configuration model expects lambda = (sum of the payers' new
     * links) x (sum of the payees' new links) / (new links of the case) over the
     * block's time (a window either side). */
    int64_t n_acc = 0, deg_out = 0, deg_in = 0;
    iffnet_time_t first = INT64_MAX, last = INT64_MIN;
    for (int64_t i = 0; i < n; i++) {
        if (c->tx_time[bt[i]] < first) first = c->tx_time[bt[i]];
        if (c->tx_time[bt[i]] > last) last = c->tx_time[bt[i]];
    }
    iffnet_time_t lo = first - b->p.window, hi = last + b->p.window;
    int64_t both = 0;
    for (int side = 0; side < 2; side++) {
        const int64_t *off = side ? x->in_off : x->out_off, *lst = side ? x->in_tx : x->out_tx;
        id = ++b->stamp_id;
        for (int64_t i = 0; i < n; i++) {
            int64_t v = side ? c->tx_dst[bt[i]] : c->tx_src[bt[i]];
            if (b->stamp[v] == id) continue;
            both += side && b->stamp[v] == id - 1; /* a payer that is also a payee */
            b->stamp[v] = id;
            for (int64_t k = off[v]; k < off[v + 1]; k++) {
                int64_t t = lst[k];
                if (c->tx_time[t] < lo) continue;
                if (c->tx_time[t] > hi) break;
                if (new_link(b, t)) { if (side) deg_in++; else deg_out++; }
            }
        }
    }
    n_acc = n_payers + n_payees - both;
    double span = (double)(b->t1 - b->t0 > b->p.window ? b->t1 - b->t0 : b->p.window);
    double e_block = b->n_new * fmin(1.0, (double)(hi - lo) / span);
    double lambda = e_block > 0 ? (double)deg_out * (double)deg_in / e_block : 0;
    int64_t cyc = n - n_acc + 1;
    double expect = b->mu * iffnet_i_rate_tail(cyc - 1, lambda, 1.0);
    double tail = expect;
    if (tail >= p_block) return IFFNET_OK;
    for (int64_t i = 0; i < n && !err; i++) {
        err = iffnet_i_vec_push(&tx, bt[i]);
        if (!err) err = iffnet_i_vec_push(&acc, c->tx_src[bt[i]]);
        if (!err) err = iffnet_i_vec_push(&acc, c->tx_dst[bt[i]]);
    }
    if (!err) err = onward(b, bt, n, &tx, &acc, &n_mid, &got, &fwd);
    if (err) goto out;
    int stack = n_mid >= 2 && (b->mixed || (double)fwd >= b->p.min_pass * (double)got);
    iffnet_typology_t typ = stack ? IFFNET_TYP_STACK : IFFNET_TYP_BIPARTITE;
    if (typ != want) goto out;
    if (!stack) { tx.n = n; acc.n = 2 * n; }
    first = INT64_MAX; last = INT64_MIN;
    for (int64_t k = 0; k < tx.n; k++) {
        if (c->tx_time[tx.v[k]] < first) first = c->tx_time[tx.v[k]];
        if (c->tx_time[tx.v[k]] > last) last = c->tx_time[tx.v[k]];
    }
    double score = 0.5 + 0.5 * (1.0 - exp(-(double)q / 4.0));
    iffnet_alert_t *a;
    char m1[96], m2[96], d1[24], d2[24];
    iffnet_time_format(d1, sizeof d1, first, 1); iffnet_time_format(d2, sizeof d2, last, 1);
    err = iffnet_i_alert(out, typ, score, &acc, &tx, &a);
    if (!err) a->expected = expect / p_block * b->p.chance; /* times the blocks tested */
    if (!err) err = iffnet_alert_add_reason(a, "%lld payers paid %lld payees %lld times over links new to both sides (each pair transacts at most %lld time%s in the case), %s in all, from %s to %s",
        (long long)n_payers, (long long)n_payees, (long long)n, (long long)b->p.max_pair_tx, b->p.max_pair_tx == 1 ? "" : "s",
        iffnet_i_money(b->ctx, m1, sizeof m1, total), d1, d2);
    if (!err) err = iffnet_alert_add_reason(a, "%lld times two of the payers paid the same two payees within %lld days; a random network with this case's new links would form about %.2g such pairs of pairs in the whole case",
        (long long)q, (long long)(b->p.window / 86400), b->mu);
    if (!err && stack)
        err = iffnet_alert_add_reason(a, "%lld payees passed on %s of the %s they received in the block (%.0f%%%s) within %lld days: a second layer",
            (long long)n_mid, iffnet_i_money(b->ctx, m1, sizeof m1, fwd), iffnet_i_money(b->ctx, m2, sizeof m2, got),
            got > 0 ? 100.0 * (double)fwd / (double)got : 0.0,
            fwd > got ? "; more than they received in it: money from elsewhere went on with it" : "", (long long)(b->p.window / 86400));
out:
    iffnet_i_vec_free(&acc); iffnet_i_vec_free(&tx);
    return err;
}

int iffnet_i_detect_new_blocks(const iffnet_detect_ctx_t *ctx, const iffnet_i_txindex_t *x,
                               iffnet_typology_t want, iffnet_alert_list_t *out)
{
    bl_t b;
    int err = IFFNET_OK;
    memset(&b, 0, sizeof b);
    b.ctx = ctx; b.x = x;
    IFFNET_TRY(bl_params(ctx, want == IFFNET_TYP_STACK ? "stack" : "bipartite", &b.p));
    size_t na = (size_t)x->n_acc + 1;
    b.mixed = iffnet_case_mixed_currencies(x->c);
    b.rout_in = calloc(na, 1); b.rout_out = calloc(na, 1);
    b.is_new = malloc((size_t)x->n_tx + 1);
    b.pair_seen = calloc((size_t)1 << PAIR_BITS, 1);
    b.uf = malloc(na * sizeof *b.uf);
    b.recv = calloc(na, sizeof *b.recv);
    b.recv_t = calloc(na, sizeof *b.recv_t);
    b.stamp = calloc(na, sizeof *b.stamp);
    if (!b.rout_in || !b.rout_out || !b.is_new || !b.pair_seen || !b.uf || !b.recv || !b.recv_t || !b.stamp) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in block detection"); goto out; }
    for (int64_t a = 0; a < x->n_acc; a++) b.uf[a] = a;
    if ((err = routines(&b))) goto out;
    mark_new_links(&b);
    if ((err = chance_butterflies(&b)) || (err = wedges(&b)) || (err = butterflies(&b))) goto out;
    free(b.w); b.w = NULL; b.cap_w = 0;
    free(b.pair_seen); b.pair_seen = NULL;
    if (b.btx.n == 0) goto out;
    for (int64_t a = 0; a < x->n_acc; a++) root(b.uf, a);
    /* butterflies per block, kept in the block's root account */
    int64_t *q = calloc(na, sizeof *q);
    if (!q) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in block detection"); goto out; }
    for (int64_t i = 0; i + 1 < b.bq.n; i += 2) q[b.uf[b.bq.v[i]]] += b.bq.v[i + 1];
    qsort(b.btx.v, (size_t)b.btx.n, sizeof *b.btx.v, iffnet_i_cmp_i64);
    int64_t m = 0;
    for (int64_t i = 0; i < b.btx.n; i++) if (i == 0 || b.btx.v[i] != b.btx.v[i - 1]) b.btx.v[m++] = b.btx.v[i];
    b.btx.n = m;
    g_uf = b.uf; g_src = x->c->tx_src;
    qsort(b.btx.v, (size_t)b.btx.n, sizeof *b.btx.v, cmp_tx_block);
    /* Bonferroni over the blocks tested: chance alone passes about chance_alerts */
    int64_t n_blocks = 0;
    for (int64_t lo = 0, hi; lo < b.btx.n; lo = hi) {
        for (hi = lo; hi < b.btx.n && b.uf[x->c->tx_src[b.btx.v[hi]]] == b.uf[x->c->tx_src[b.btx.v[lo]]]; hi++) ;
        n_blocks++;
    }
    double p_block = b.p.chance / (double)n_blocks;
    for (int64_t lo = 0, hi; lo < b.btx.n && !err; lo = hi) {
        int64_t r = b.uf[x->c->tx_src[b.btx.v[lo]]];
        for (hi = lo; hi < b.btx.n && b.uf[x->c->tx_src[b.btx.v[hi]]] == r; hi++) ;
        /* time order inside the block, for the onward search */
        err = block(&b, b.btx.v + lo, hi - lo, q[r], p_block, want, out);
    }
    free(q);
out:
    free(b.rout_in); free(b.rout_out); free(b.is_new); free(b.pair_seen); free(b.uf); free(b.recv); free(b.recv_t); free(b.stamp); free(b.w);
    iffnet_i_vec_free(&b.btx); iffnet_i_vec_free(&b.bq);
    return err;
}
