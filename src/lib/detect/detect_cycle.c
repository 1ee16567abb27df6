/* detect_cycle.c: simple cycles of payments, time-respecting or not.
 *
 * A bounded temporal search in the spirit of 2SCENT (Kumar & Calders, PVLDB 2018)
 * and Johnson's algorithm with time and hop constraints. Each transaction e0 =
 * (s -> v) starts a search; a cycle found from e0 uses only transactions after e0
 * in case order with non-decreasing times, all within `window` of e0, so every
 * cycle instance is found exactly once (from its earliest transaction).
 * Before the depth-first search, a reverse breadth-first search from s over the
 * window gives each account its hop distance back to s; the forward search only
 * enters accounts that can still close the cycle within `max_hops` (the
 * pruning idea of 2SCENT's source detection). Each hop must carry an amount within
 * a factor `max_amount_ratio` of the previous hop (the same money, give or take
 * fees, splits and top-ups). The search is bounded by `max_steps` in total and
 * `max_steps_per_start`; when a bound cuts it short, a note says so.
 *
 * Loops out of time order: accounts paying each other round a closed loop, all
 * within `window`, with some hop paid before the money reached its payer (each
 * member pays from its own balance and is made good later, or the round trip is
 * prepared in advance). Money still went round; it need not be the same money.
 * They are searched like the time-respecting ones, without the order (each loop
 * once, from its earliest transaction), and reported only where chance does not
 * explain them. The estimate is the configuration model's (Newman, Networks,
 * ch. 12): in a random directed network with the window's degrees, the k
 * accounts v1..vk in this order close a cycle with probability
 * prod(in_v x out_v) / m^k (m links), so the expected number of simple k-cycles is
 * (k - 1)! e_k(x) / m^k, e_k the elementary symmetric polynomial of x_v = in_v
 * out_v (every account used once: one hub does not make cycles of itself); about
 * rho^k / k with rho = sum(x) / m when no account dominates. Once-only links and
 * standing pairs (one link per window) are two networks; a loop with one standing
 * hop has one account entered by it and one that leaves by it. Summed over
 * windows of `window`, times k for a sliding window (k random times lie within a
 * window of the first about k times as often as inside one fixed window), this
 * is the number of loops of each kind chance alone would form. A kind whose
 * expectation reaches `chance_alerts` is not searched. Time-ordered cycles are
 * expected (k - 1)! times less often (k random times fall in cyclic order with
 * probability 1 / (k - 1)!). A time-ordered cycle is then priced by how tight
 * it is (tightness(): its span and how close each hop's amount is to the
 * previous one, as shares of what chance gives); the expectation times that
 * probability is the number of chance cycles as short and as even, reported as
 * a reason, dividing the score, and a cycle is listed only where it is below
 * `chance_alerts` (`list_all` = 1 lists every cycle found).
 */
#include <math.h>
#include "detect_internal.h"

typedef struct {
    int64_t window;                      /* time-ordered cycles: all hops within it of the first */
    int64_t loop_window;                 /* loops out of time order */
    int64_t min_hops, max_hops, max_steps, max_steps_start, max_cycles, max_pair_tx, max_recurring, unpruned_steps;
    int64_t unordered;                   /* 1: also search loops out of time order */
    int64_t list_all;                    /* 1: list time-ordered cycles that chance explains too */
    double max_ratio, chance;
} cy_params_t;

#define CY_MAXK 64

/* Chance expectations: loops[r][k] of k hops, r (0 or 1) of them along standing
 * relationships, out of time order, in the whole case. */
typedef struct {
    double loops[2][CY_MAXK];
    int allowed[2][CY_MAXK];             /* 1: loops of this kind are searched */
    int64_t max_k, max_r;                /* bounds of the allowed kinds; max_k 0: none */
} cy_chance_t;

typedef struct {
    int64_t n_hops;
    int64_t tx[64];      /* first instance, in path order */
    int64_t instances;
    int ordered;         /* 1: hops in time order from tx[0] */
} cycle_t;

typedef struct {
    const iffnet_detect_ctx_t *ctx;
    const iffnet_i_txindex_t *x;
    cy_params_t p;
    int64_t *dist, *dist_stamp, stamp;   /* reverse BFS distance to the start account */
    char *on_path;
    int64_t *queue;
    iffnet_time_t *ldep;                 /* latest departure from an account that still reaches s */
    int64_t *ldep_stamp;
    int64_t *heap, n_heap;               /* max-heap of accounts by ldep */
    int64_t *pend, n_pend, cap_pend;     /* cycles found by the running search: n, tx... */
    int64_t *redo;                       /* starts of a batch whose unpruned search overflowed */
    char *onc;                           /* per tx: on some cycle of its window's links (cycle_marks()) */
    iffnet_time_t *hkey;
    int64_t path[64], pos[64];           /* tx on the path; scan position at each depth */
    int64_t rec[64];                     /* rec[i]: recurring-pair hops among path[0..i] */
    int64_t node[64];                    /* node[i]: payee of path[i] */
    int same_unit;                       /* all amounts comparable (one currency, or rates) */
    cycle_t *cycles;
    int64_t n_cycles, cap_cycles;
    uint64_t *hash;                      /* open addressing: cycle index + 1 */
    int64_t nhash;
    int64_t steps, cut_starts, cut_total_at, cut_ordered;
    int full;                            /* max_cycles reached */
    int ordered;                         /* the running search: 1 time-respecting, 0 loops */
    cy_chance_t ch;
    cy_chance_t ch_ord;                  /* chance expectations of time-ordered cycles */
    double pool[2];                      /* chance cycles of every kind: time-ordered [1], loops [0] */
    double *hop;                         /* |ln(out / in)| of the case's hops, sorted */
    int64_t n_hop;
} cy_t;

/* The settings that need no case figure; window, loop_window and
 * max_amount_ratio are derived in derive() once the links are counted. */
static int cy_params(const iffnet_detect_ctx_t *ctx, cy_params_t *p)
{
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "min_hops", 3, 2, 63,
        "default: a loop of two is a payment and its refund", &p->min_hops));
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "max_hops", 63, 2, 63,
        "budget: the longest path the search holds", &p->max_hops));
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "max_pair_tx", 1, 1, INT64_MAX,
        "default: a pair that transacts more than once has a standing relationship", &p->max_pair_tx));
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "max_recurring_hops", 1, 0, 3,
        "default: one hop may follow a standing relationship (the money enters or leaves the loop through an account's usual partner)", &p->max_recurring));
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "max_steps", 200000000, 1, INT64_MAX, "budget", &p->max_steps));
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "max_steps_per_start", 1000000, 1, INT64_MAX, "budget", &p->max_steps_start));
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "unpruned_steps", 64, 0, INT64_MAX,
        "budget: steps a start tries before the pruned search", &p->unpruned_steps));
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "max_cycles", 100000, 1, INT64_MAX, "budget", &p->max_cycles));
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "unordered", 1, 0, 1, "default: loops out of time order are searched too", &p->unordered));
    IFFNET_TRY(iffnet_i_det_double(ctx, "cycle", "chance_alerts", 1.0, 0.0, 1e9,
        "default: E < 1 (the listing convention)", &p->chance));
    IFFNET_TRY(iffnet_i_det_int(ctx, "cycle", "list_all", 0, 0, 1,
        "default: time-ordered cycles that chance explains are not alerts", &p->list_all));
    if (p->min_hops > p->max_hops)
        return iffnet_i_seterr(IFFNET_EINVAL, "cycle.min_hops (%lld) is larger than cycle.max_hops (%lld)",
                               (long long)p->min_hops, (long long)p->max_hops);
    return IFFNET_OK;
}

/* First position in list[lo, hi) whose tx time is >= t (lists are in time order). */
static int64_t lower_time(const int64_t *list, int64_t lo, int64_t hi, const iffnet_time_t *T, iffnet_time_t t)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (T[list[mid]] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static void heap_push(cy_t *y, int64_t v, iffnet_time_t key)
{
    int64_t i = y->n_heap++;
    while (i > 0 && y->hkey[(i - 1) / 2] < key) {
        y->heap[i] = y->heap[(i - 1) / 2]; y->hkey[i] = y->hkey[(i - 1) / 2]; i = (i - 1) / 2;
    }
    y->heap[i] = v; y->hkey[i] = key;
}

static int64_t heap_pop(cy_t *y)
{
    int64_t top = y->heap[0], lv = y->heap[--y->n_heap], i = 0;
    iffnet_time_t lk = y->hkey[y->n_heap];
    for (;;) {
        int64_t k = 2 * i + 1;
        if (k >= y->n_heap) break;
        if (k + 1 < y->n_heap && y->hkey[k + 1] > y->hkey[k]) k++;
        if (y->hkey[k] <= lk) break;
        y->heap[i] = y->heap[k]; y->hkey[i] = y->hkey[k]; i = k;
    }
    if (y->n_heap > 0) { y->heap[i] = lv; y->hkey[i] = lk; }
    return top;
}

/* Latest departure times back to s, per state (u, r): ldep is the latest time at
 * which money can leave u along transactions after e_lo, in [t0, end], in time
 * order, and still arrive at s using r standing-relationship hops. A forward step
 * into w at time t is useless unless t <= ldep of some state of w the remaining
 * budget allows. Reverse temporal Dijkstra over states (max-heap, lazy deletion:
 * the heap never holds more entries than edges scanned plus one). */
static int latest_departures(cy_t *y, int64_t s, int64_t e_lo, iffnet_time_t t0, iffnet_time_t end)
{
    const iffnet_i_txindex_t *x = y->x;
    const iffnet_time_t *T = x->c->tx_time;
    int64_t R = y->p.max_recurring + 1;
    y->stamp++;
    y->n_heap = 0;
    y->ldep[s * R] = end; y->ldep_stamp[s * R] = y->stamp;
    heap_push(y, s * R, end);
    while (y->n_heap > 0) {
        int64_t st = heap_pop(y), w = st / R, r = st % R;
        if (y->ldep_stamp[st] == -y->stamp) continue;        /* already settled */
        y->ldep_stamp[st] = -y->stamp;
        iffnet_time_t lw = y->ldep[st];
        for (int64_t k = lower_time(x->in_tx, x->in_off[w], x->in_off[w + 1], T, t0); k < x->in_off[w + 1]; k++) {
            int64_t t = x->in_tx[k], u = x->c->tx_src[t];
            if (T[t] > lw || T[t] > end) break;
            y->steps++;
            int64_t r2 = r + (x->pair_n[t] > y->p.max_pair_tx), su = u * R + r2;
            if (t <= e_lo || r2 >= R || y->ldep_stamp[su] == -y->stamp) continue;
            if (y->ldep_stamp[su] == y->stamp && y->ldep[su] >= T[t]) continue;
            y->ldep[su] = T[t]; y->ldep_stamp[su] = y->stamp;
            if (y->n_heap >= x->n_tx + x->n_acc * R) return iffnet_i_seterr(IFFNET_EINTERNAL, "cycle: heap overflow");
            heap_push(y, su, T[t]);
        }
    }
    return IFFNET_OK;
}

/* 1 when money arriving at w at time t, with `used` standing hops spent, can still
 * get back to s in time. */
static int in_time(const cy_t *y, int64_t w, iffnet_time_t t, int64_t used)
{
    int64_t R = y->p.max_recurring + 1;
    for (int64_t r = 0; r + used < R; r++)
        if (y->ldep_stamp[w * R + r] == -y->stamp && t <= y->ldep[w * R + r]) return 1;
    return 0;
}

/* Hop distances back to s over transactions after e_lo within [t0, end], per
 * number of standing-relationship hops used: state (u, r) = account u reaches s
 * in dist hops, r of them along recurring pairs (r <= max_recurring). One search
 * serves a batch of start transactions of s (their windows lie inside [t0, end]),
 * so it is a superset of what each start can use and the pruning stays exact. */
static void reverse_bfs(cy_t *y, int64_t s, int64_t e_lo, iffnet_time_t t0, iffnet_time_t end)
{
    const iffnet_i_txindex_t *x = y->x;
    const iffnet_time_t *T = x->c->tx_time;
    int64_t R = y->p.max_recurring + 1, head = 0, tail = 0;
    /* y->stamp was set by latest_departures(); dist uses the same stamp value */
    y->dist[s * R] = 0; y->dist_stamp[s * R] = y->stamp;
    y->queue[tail++] = s * R;
    while (head < tail) {
        int64_t st = y->queue[head++], w = st / R, r = st % R;
        if (y->dist[st] >= y->p.max_hops - 1) continue;
        for (int64_t k = lower_time(x->in_tx, x->in_off[w], x->in_off[w + 1], T, t0); k < x->in_off[w + 1]; k++) {
            int64_t t = x->in_tx[k], u = x->c->tx_src[t];
            if (T[t] > end || T[t] > y->ldep[st]) break;
            y->steps++;
            int64_t r2 = r + (x->pair_n[t] > y->p.max_pair_tx), su = u * R + r2;
            if (t <= e_lo || r2 >= R || y->dist_stamp[su] == y->stamp) continue;
            y->dist_stamp[su] = y->stamp; y->dist[su] = y->dist[st] + 1;
            y->queue[tail++] = su;
        }
    }
}

/* 1 when account w, reached with `used` standing hops after d hops, can still
 * close the cycle within max_hops. */
static int can_close(const cy_t *y, int64_t w, int64_t used, int64_t d)
{
    int64_t R = y->p.max_recurring + 1;
    for (int64_t r = 0; r + used < R; r++)
        if (y->dist_stamp[w * R + r] == y->stamp && d + 1 + y->dist[w * R + r] <= y->p.max_hops) return 1;
    return 0;
}

static uint64_t cycle_key(const cy_t *y, const int64_t *tx, int64_t n, int64_t *rot)
{
    const int32_t *S = y->x->c->tx_src;
    int64_t r = 0;
    for (int64_t i = 1; i < n; i++) if (S[tx[i]] < S[tx[r]]) r = i;
    uint64_t h = 1469598103934665603ULL;
    for (int64_t i = 0; i < n; i++) { h ^= (uint64_t)S[tx[(r + i) % n]] + 1; h *= 1099511628211ULL; }
    *rot = r;
    return h;
}

static int same_cycle(const cy_t *y, const cycle_t *c, const int64_t *tx, int64_t n)
{
    const int32_t *S = y->x->c->tx_src;
    if (c->n_hops != n) return 0;
    int64_t r1, r2;
    cycle_key(y, c->tx, n, &r1); cycle_key(y, tx, n, &r2);
    for (int64_t i = 0; i < n; i++) if (S[c->tx[(r1 + i) % n]] != S[tx[(r2 + i) % n]]) return 0;
    return 1;
}

static int record(cy_t *y, int64_t n)
{
    int64_t rot;
    uint64_t h = cycle_key(y, y->path, n, &rot);
    if (y->n_cycles * 2 >= y->nhash) {
        int64_t nn = y->nhash ? y->nhash * 2 : 1024;
        uint64_t *nh = calloc((size_t)nn, sizeof *nh);
        if (!nh) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for cycles");
        for (int64_t i = 0; i < y->n_cycles; i++) {
            int64_t r, k = (int64_t)(cycle_key(y, y->cycles[i].tx, y->cycles[i].n_hops, &r) & (uint64_t)(nn - 1));
            while (nh[k]) k = (k + 1) & (nn - 1);
            nh[k] = (uint64_t)i + 1;
        }
        free(y->hash); y->hash = nh; y->nhash = nn;
    }
    int64_t k = (int64_t)(h & (uint64_t)(y->nhash - 1));
    for (; y->hash[k]; k = (k + 1) & (y->nhash - 1)) {
        cycle_t *c = &y->cycles[y->hash[k] - 1];
        /* a loop search meets the time-ordered cycles again: they are counted already */
        if (same_cycle(y, c, y->path, n)) { if (y->ordered) c->instances++; return IFFNET_OK; }
    }
    if (y->n_cycles >= y->p.max_cycles) { y->full = 1; return IFFNET_OK; }
    if (y->n_cycles == y->cap_cycles)
        IFFNET_TRY(iffnet_i_reserve((void **)&y->cycles, &y->cap_cycles, y->n_cycles + 1, sizeof *y->cycles));
    cycle_t *c = &y->cycles[y->n_cycles];
    c->n_hops = n; c->instances = 1;
    memcpy(c->tx, y->path, (size_t)n * sizeof *c->tx);
    /* a loop search can meet a time-ordered cycle that the bounded search missed */
    c->ordered = 1;
    for (int64_t i = 1; i < n; i++)
        if (y->x->c->tx_time[c->tx[i]] < y->x->c->tx_time[c->tx[i - 1]]) c->ordered = 0;
    y->hash[k] = (uint64_t)++y->n_cycles;
    return IFFNET_OK;
}

/* y->onc: 1 for each transaction whose payer and payee are in one strongly
 * connected component of the links of some window [jW, (j + 2)W) (j = 0, 1,
 * ...; W the wider of the two search windows). A cycle within W lies in one such
 * window and is a directed cycle of its links: each of its hops is marked. The
 * searches start from and walk marked links only, so the parts of a network
 * without cycles (sparse random traffic, trees, chains) cost one pass.
 * Tarjan's algorithm, iterative, per window. O(E). */
static int cycle_marks(cy_t *y, int64_t W)
{
    const iffnet_i_txindex_t *x = y->x;
    const iffnet_case_t *c = x->c;
    const iffnet_time_t *T = c->tx_time;
    int64_t na = x->n_acc, nt = x->n_tx, cap = 0;
    /* per account: its local id in the window and the window it was given in (one cache line) */
    struct { int64_t id, stamp; } *loc = calloc((size_t)na + 1, sizeof *loc);
    int64_t *off = NULL, *adj = NULL, *aid = NULL, *idx = NULL, *low = NULL, *comp = NULL, *csize = NULL;
    int64_t *stk = NULL, *cs_v = NULL, *cs_k = NULL, *nodes = NULL;
    char *ons = NULL;
    int err = IFFNET_OK;
    y->onc = calloc((size_t)nt + 1, 1);
    if (!loc || !y->onc) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in cycle search"); goto out; }
    if (nt == 0) goto out;
    if (W < 1) W = 1;
    int64_t stamp = 0;
    for (iffnet_time_t w0 = T[0]; w0 <= T[nt - 1] && !err; w0 += W) {
        /* the window's links [lo, hi): tx ids grow with time */
        int64_t lo = 0, hi = nt;
        { int64_t a = 0, b = nt; while (a < b) { int64_t m = a + (b - a) / 2; if (T[m] < w0) a = m + 1; else b = m; } lo = a; }
        { int64_t a = lo, b = nt; while (a < b) { int64_t m = a + (b - a) / 2; if (T[m] < w0 + 2 * W) a = m + 1; else b = m; } hi = a; }
        int64_t m = hi - lo, nn = 0;
        if (m < 2) continue;
        stamp++;
        if (2 * m + 2 > cap) {
            int64_t need = 2 * m + 2, c1 = 0;
            free(off); free(adj); free(aid); free(idx); free(low); free(comp); free(csize); free(stk); free(cs_v); free(cs_k); free(nodes); free(ons);
            off = malloc((size_t)need * sizeof *off); adj = malloc((size_t)need * sizeof *adj); aid = malloc((size_t)need * sizeof *aid);
            idx = malloc((size_t)need * sizeof *idx); low = malloc((size_t)need * sizeof *low); comp = malloc((size_t)need * sizeof *comp);
            csize = malloc((size_t)need * sizeof *csize); stk = malloc((size_t)need * sizeof *stk); cs_v = malloc((size_t)need * sizeof *cs_v);
            cs_k = malloc((size_t)need * sizeof *cs_k); nodes = malloc((size_t)need * sizeof *nodes); ons = malloc((size_t)need);
            if (!off || !adj || !aid || !idx || !low || !comp || !csize || !stk || !cs_v || !cs_k || !nodes || !ons) {
                cap = 0; err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in cycle search"); break;
            }
            cap = need; (void)c1;
        }
        /* local ids of the window's accounts, out-degrees, then the adjacency */
        for (int64_t t = lo; t < hi; t++) {
            int64_t a = c->tx_src[t], b = c->tx_dst[t];
            if (!iffnet_i_transfer(x, t)) continue;
            if (loc[a].stamp != stamp) { loc[a].stamp = stamp; loc[a].id = nn; nodes[nn++] = a; }
            if (loc[b].stamp != stamp) { loc[b].stamp = stamp; loc[b].id = nn; nodes[nn++] = b; }
        }
        for (int64_t i = 0; i <= nn; i++) off[i] = 0;
        for (int64_t t = lo; t < hi; t++) if (iffnet_i_transfer(x, t)) off[loc[c->tx_src[t]].id + 1]++;
        for (int64_t i = 0; i < nn; i++) off[i + 1] += off[i];
        for (int64_t i = 0; i < nn; i++) cs_k[i] = off[i];
        for (int64_t t = lo; t < hi; t++) {
            int64_t a = c->tx_src[t], b = c->tx_dst[t];
            if (!iffnet_i_transfer(x, t)) continue;
            int64_t p = cs_k[loc[a].id]++;
            adj[p] = loc[b].id; aid[p] = t;
        }
        /* Tarjan */
        for (int64_t i = 0; i < nn; i++) { idx[i] = -1; ons[i] = 0; }
        int64_t counter = 0, sp = 0, ncomp = 0;
        for (int64_t r = 0; r < nn; r++) {
            if (idx[r] >= 0) continue;
            int64_t cd = 0;
            cs_v[0] = r; cs_k[0] = off[r];
            idx[r] = low[r] = counter++; stk[sp++] = r; ons[r] = 1;
            while (cd >= 0) {
                int64_t v = cs_v[cd];
                if (cs_k[cd] < off[v + 1]) {
                    int64_t w = adj[cs_k[cd]++];
                    if (idx[w] < 0) {
                        idx[w] = low[w] = counter++; stk[sp++] = w; ons[w] = 1;
                        cd++; cs_v[cd] = w; cs_k[cd] = off[w];
                    } else if (ons[w] && idx[w] < low[v]) low[v] = idx[w];
                    continue;
                }
                if (low[v] == idx[v]) {
                    int64_t size = 0, w;
                    do { w = stk[--sp]; ons[w] = 0; comp[w] = ncomp; size++; } while (w != v);
                    csize[ncomp++] = size;
                }
                cd--;
                if (cd >= 0 && low[v] < low[cs_v[cd]]) low[cs_v[cd]] = low[v];
            }
        }
        for (int64_t i = 0; i < nn; i++)
            for (int64_t p = off[i]; p < off[i + 1]; p++)
                if (comp[adj[p]] == comp[i] && csize[comp[i]] >= 2) y->onc[aid[p]] = 1;
    }
out:
    free(loc);
    free(off); free(adj); free(aid); free(idx); free(low); free(comp); free(csize); free(stk); free(cs_v); free(cs_k); free(nodes); free(ons);
    return err;
}

/* Depth-first search from e0 with an explicit stack (depth d = hops so far). */
/* First position in [lo, hi) of the contiguous times t[] that is >= tm. */
static int64_t lower_t(const iffnet_time_t *t, int64_t lo, int64_t hi, iffnet_time_t tm)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (t[mid] < tm) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Keeps the cycle path[0..n) until the search that found it completes. */
static int pend(cy_t *y, int64_t n)
{
    if (y->n_pend + n + 1 > y->cap_pend)
        IFFNET_TRY(iffnet_i_reserve((void **)&y->pend, &y->cap_pend, y->n_pend + n + 1, sizeof *y->pend));
    y->pend[y->n_pend] = n;
    memcpy(y->pend + y->n_pend + 1, y->path, (size_t)n * sizeof *y->path);
    y->n_pend += n + 1;
    return IFFNET_OK;
}

/* Depth-first search from e0. With pruned = 0 it runs without the reverse
 * search's pruning and gives up after `cap` steps (*overflow = 1, nothing
 * recorded): in sparse parts of a network that is far cheaper than the reverse
 * search, which is then only run for the starts that overflow.
 * y->ordered = 0 searches loops: each hop after e0 (in case order) and within the
 * window, in any order among themselves, of the kinds y->ch allows. */
static int search(cy_t *y, int64_t e0, int pruned, int64_t cap, int *overflow)
{
    const iffnet_i_txindex_t *x = y->x;
    const iffnet_case_t *c = x->c;
    const iffnet_time_t *T = c->tx_time;
    int64_t s = c->tx_src[e0], start_steps = y->steps;
    int64_t max_hops = y->ordered ? y->p.max_hops : y->ch.max_k;
    int64_t max_rec = y->ordered ? y->p.max_recurring : y->ch.max_r;
    int err = IFFNET_OK;
    *overflow = 0;
    y->n_pend = 0;
    iffnet_time_t end = T[e0] + (y->ordered ? y->p.window : y->p.loop_window);
    int64_t d = 1;
    y->path[0] = e0;
    y->rec[0] = x->pair_n[e0] > y->p.max_pair_tx;
    y->on_path[s] = 1; y->on_path[c->tx_dst[e0]] = 1;
    y->pos[1] = lower_t(x->out_t, x->out_off[c->tx_dst[e0]], x->out_off[c->tx_dst[e0] + 1], T[e0]);
    y->node[0] = c->tx_dst[e0];
    while (d >= 1) {
        int64_t prev = y->path[d - 1], u = y->node[d - 1], t = -1;
        if (!pruned && y->steps - start_steps > cap) { *overflow = 1; break; }
        if (y->steps - start_steps > y->p.max_steps_start || y->steps > y->p.max_steps) {
            y->cut_starts++;
            break;
        }
        while (y->pos[d] < x->out_off[u + 1]) {
            int64_t k = y->pos[d]++, cand = x->out_tx[k], w = x->out_d[k];
            y->steps++;
            if (x->out_t[k] > end) { y->pos[d] = x->out_off[u + 1]; break; }
            int64_t used = y->rec[d - 1] + (x->out_p[k] > y->p.max_pair_tx);
            if (cand <= e0 || used > max_rec || !y->onc[cand]) continue;
            if (pruned && (!in_time(y, w, x->out_t[k], used) || !can_close(y, w, used, d))) continue;
            double a0 = (double)x->val[prev], a1 = (double)x->out_v[k];
            if (y->p.max_ratio > 0 && (y->same_unit || iffnet_i_comparable(x, prev, cand))
                && (a1 > a0 * y->p.max_ratio || a1 * y->p.max_ratio < a0)) continue;
            if (w == s) {
                if (d + 1 >= y->p.min_hops && (y->ordered || y->ch.allowed[used][d + 1])) {
                    y->path[d] = cand;
                    if ((err = pend(y, d + 1))) goto out;
                }
                continue;
            }
            if (y->on_path[w] || d + 1 >= max_hops) continue;
            t = cand;
            break;
        }
        if (t < 0) { /* backtrack */
            y->on_path[c->tx_dst[prev]] = (c->tx_dst[prev] == s);
            d--;
            continue;
        }
        y->path[d] = t;
        y->rec[d] = y->rec[d - 1] + (x->pair_n[t] > y->p.max_pair_tx);
        y->node[d] = c->tx_dst[t];
        y->on_path[y->node[d]] = 1;
        d++;
        y->pos[d] = lower_t(x->out_t, x->out_off[y->node[d - 1]], x->out_off[y->node[d - 1] + 1],
                            y->ordered ? T[t] : T[e0]);
    }
out:
    for (int64_t i = 0; i < d; i++) y->on_path[c->tx_dst[y->path[i]]] = 0;
    y->on_path[s] = 0;
    /* cycles found are recorded only by a search that ran to its end */
    for (int64_t k = 0; !err && !*overflow && k < y->n_pend; k += y->pend[k] + 1) {
        memcpy(y->path, y->pend + k + 1, (size_t)y->pend[k] * sizeof *y->path);
        err = record(y, y->pend[k]);
    }
    return err;
}

/* Degrees of one window's links (see chance_at). */
typedef struct {
    int64_t *of, *rf, *os, *rs;          /* per account: fresh out/in, standing out/in */
    int64_t *touched, n_touched;
    char *mark;
    uint64_t *set;                       /* standing pairs seen in the window (key + 1) */
    int64_t cap_set;
    double poly[CY_MAXK + 1][2][2];      /* e[j][a][b]: j fresh-fresh accounts, a standing-in, b standing-out */
} cy_win_t;

static void win_touch(cy_win_t *w, int64_t a)
{
    if (!w->mark[a]) { w->mark[a] = 1; w->touched[w->n_touched++] = a; }
}

/* 1 when the standing pair key was not yet in the window's set (and adds it). */
static int win_new_pair(cy_win_t *w, uint64_t key)
{
    int64_t k = (int64_t)((key * 11400714819323198485ULL) >> 20) & (w->cap_set - 1);
    for (; w->set[k]; k = (k + 1) & (w->cap_set - 1))
        if (w->set[k] == key + 1) return 0;
    w->set[k] = key + 1;
    return 1;
}

/* Adds one window's chance loops (tx[lo, hi)) to ch->loops, times `slide` (k
 * for a sliding window, 1 for one window over the whole case). Once-only links
 * are fresh; a standing pair is one link however often it pays in the window. */
static int win_loops(cy_t *y, cy_win_t *w, int64_t lo, int64_t hi, cy_chance_t *ch, int slide)
{
    const iffnet_i_txindex_t *x = y->x;
    const iffnet_case_t *c = x->c;
    double mf = 0, ms = 0;
    int64_t need = 1, K = y->p.max_hops < CY_MAXK ? y->p.max_hops : CY_MAXK - 1;
    while (need < 2 * (hi - lo)) need *= 2;
    if (need > w->cap_set) {
        uint64_t *ns = realloc(w->set, (size_t)need * sizeof *ns);
        if (!ns) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in cycle search");
        w->set = ns; w->cap_set = need;
    }
    memset(w->set, 0, (size_t)w->cap_set * sizeof *w->set);
    w->n_touched = 0;
    for (int64_t t = lo; t < hi; t++) {
        int64_t a = c->tx_src[t], b = c->tx_dst[t];
        if (!iffnet_i_transfer(x, t)) continue;
        if (x->pair_n[t] <= y->p.max_pair_tx) { w->of[a]++; w->rf[b]++; mf++; }
        else if (win_new_pair(w, ((uint64_t)(uint32_t)a << 32) | (uint32_t)b)) { w->os[a]++; w->rs[b]++; ms++; }
        else continue;
        win_touch(w, a); win_touch(w, b);
    }
    /* elementary symmetric polynomials, each account in at most one role; the
     * x are divided by the links they close over (m), so terms stay small */
    memset(w->poly, 0, sizeof w->poly);
    w->poly[0][0][0] = 1;
    for (int64_t i = 0; i < w->n_touched; i++) {
        int64_t v = w->touched[i];
        double xff = mf > 0 ? (double)w->rf[v] * (double)w->of[v] / mf : 0;
        double xsf = ms > 0 ? (double)w->rs[v] * (double)w->of[v] / ms : 0;  /* enters by the standing hop */
        double xfs = mf > 0 ? (double)w->rf[v] * (double)w->os[v] / mf : 0;  /* leaves by it */
        w->of[v] = w->rf[v] = w->os[v] = w->rs[v] = 0; w->mark[v] = 0;
        if (xff == 0 && xsf == 0 && xfs == 0) continue;
        for (int64_t j = K; j >= 0; j--)
            for (int a = 1; a >= 0; a--)
                for (int b = 1; b >= 0; b--) {
                    double add = 0;
                    if (j > 0) add += w->poly[j - 1][a][b] * xff;
                    if (a > 0) add += w->poly[j][0][b] * xsf;
                    if (b > 0) add += w->poly[j][a][0] * xfs;
                    w->poly[j][a][b] += add;
                }
    }
    double fact = 1; /* (k - 2)! */
    for (int64_t k = 2; k <= K; k++) {
        if (k >= 3) fact *= (double)(k - 2);
        if (k < y->p.min_hops) continue;
        /* (k - 1)! e_k tumbling, times k for the sliding window: k! e_k */
        double sl = slide ? (double)k : 1.0;
        ch->loops[0][k] += fact * (double)(k - 1) * sl * w->poly[k][0][0];
        /* the standing hop fixes the rotation: (k - 2)! orders of the others, times k */
        ch->loops[1][k] += fact * sl * w->poly[k - 2][1][1];
    }
    return IFFNET_OK;
}

/* Fills ch: chance loops per kind over windows of W (each starting at the
 * first transaction after the previous one), slid unless one window holds the
 * whole case, and (loops = 1) the kinds the loop search takes on: those of
 * which chance alone would put fewer than chance_alerts into the case (a loop
 * out of time order is weak evidence: only a rare kind is worth the search;
 * each loop found is then priced by its span and amounts too).
 * O(V + E + accounts x max_hops) time, O(V + E) memory. */
static int chance_at(cy_t *y, int64_t W, int loops, cy_chance_t *ch, const cy_chance_t *same)
{
    const iffnet_i_txindex_t *x = y->x;
    const iffnet_time_t *T = x->c->tx_time;
    size_t n = (size_t)x->n_acc + 1;
    cy_win_t w;
    int err = IFFNET_OK;
    int slide = x->n_tx > 0 && T[x->n_tx - 1] - T[0] >= W;
    memset(&w, 0, sizeof w);
    memset(ch, 0, sizeof *ch);
    if (same) {
        /* the counts of the same window, already made: the kinds allowed only */
        memcpy(ch->loops, same->loops, sizeof ch->loops);
        goto allow;
    }
    w.of = calloc(n, sizeof *w.of); w.rf = calloc(n, sizeof *w.rf);
    w.os = calloc(n, sizeof *w.os); w.rs = calloc(n, sizeof *w.rs);
    w.touched = calloc(n, sizeof *w.touched); w.mark = calloc(n, 1);
    if (!w.of || !w.rf || !w.os || !w.rs || !w.touched || !w.mark) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in cycle search"); goto out; }
    for (int64_t lo = 0, hi; lo < x->n_tx && !err; lo = hi) {
        for (hi = lo; hi < x->n_tx && T[hi] - T[lo] < W; hi++) ;
        err = win_loops(y, &w, lo, hi, ch, slide);
    }
allow:
    for (int r = 0; !err && loops && r <= 1 && r <= y->p.max_recurring; r++)
        for (int64_t k = y->p.min_hops; k <= y->p.max_hops && k < CY_MAXK; k++)
            /* the estimate holds in a sparse network of once-only links (rho < 1,
             * loops rare and local): a loop with a standing hop is searched only
             * where loops of once-only links of its length are rare too */
            if (y->p.unordered && ch->loops[r][k] < y->p.chance && ch->loops[0][k] < y->p.chance) {
                ch->allowed[r][k] = 1;
                if (k > ch->max_k) ch->max_k = k;
                if (r > ch->max_r) ch->max_r = r;
            }
out:
    free(w.of); free(w.rf); free(w.os); free(w.rs); free(w.touched); free(w.mark); free(w.set);
    return err;
}

/* How many time-ordered chance cycles of once-only links the search would meet
 * with windows of W, at most: per tumbling window of W, with rho = sum_v in_v
 * out_v / m (in and out counted in the window's m once-only links: how many
 * links a link leads on to), the configuration model's ordered k-cycles number
 * e_k (times k for the sliding window) <= k rho^k / k!, which sums over k >= 3
 * to rho (e^rho - 1 - rho). *rho_max gets the largest rho, *cost the steps the
 * search would take (about e^rho time-ordered paths from each transaction). in,
 * out: scratch of n_acc zeros (left zero). O(E). */
static double chance_bound(const cy_t *y, int64_t W, int64_t *in, int64_t *out, double *rho_max, double *cost)
{
    const iffnet_i_txindex_t *x = y->x;
    const iffnet_case_t *c = x->c;
    const iffnet_time_t *T = c->tx_time;
    double total = 0;
    *rho_max = 0;
    *cost = 0;
    for (int64_t lo = 0, hi; lo < x->n_tx; lo = hi) {
        double m = 0, sum = 0;
        for (hi = lo; hi < x->n_tx && T[hi] - T[lo] < W; hi++) {
            int64_t a = c->tx_src[hi], b = c->tx_dst[hi];
            if (!iffnet_i_transfer(x, hi) || x->pair_n[hi] > y->p.max_pair_tx) continue;
            sum += (double)in[a] + (double)out[b];  /* in x out grows by the in and out it meets */
            out[a]++; in[b]++; m++;
        }
        for (int64_t t = lo; t < hi; t++) { in[c->tx_dst[t]] = 0; out[c->tx_src[t]] = 0; }
        if (m <= 0) continue;
        double rho = sum / m;
        if (rho > *rho_max) *rho_max = rho;
        total += rho > 700 ? HUGE_VAL : rho * (expm1(rho) - rho);
        /* the time-ordered paths from each of the window's transactions: about
         * sum_k rho^k / k! = e^rho */
        *cost += rho > 700 ? HUGE_VAL : (double)(hi - lo) * exp(rho);
    }
    return total;
}

/* The derived settings (see the top): the ordered and loop windows from the
 * case's span and the subcritical test, the amount ratio from the profile's
 * hop-to-hop linkage. Records each with how it was derived. */
static int derive(cy_t *y, const iffnet_detect_profile_t *prof)
{
    const iffnet_i_txindex_t *x = y->x;
    const iffnet_time_t *T = x->c->tx_time;
    const iffnet_detect_ctx_t *ctx = y->ctx;
    char how[512];
    int64_t *in = calloc((size_t)x->n_acc + 1, sizeof *in), *out = calloc((size_t)x->n_acc + 1, sizeof *out);
    if (!in || !out) { free(in); free(out); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in cycle search"); }
    int64_t span = x->n_tx > 0 ? T[x->n_tx - 1] - T[0] + 1 : 86400;
    int64_t W = (span + 86399) / 86400 * 86400;
    double budget = (double)y->p.max_cycles / 10.0, steps = (double)y->p.max_steps / 10.0, rho, cost;
    double meet = chance_bound(y, W, in, out, &rho, &cost), cut_cost = 0;
    int64_t cut_from = 0;
    while ((meet > budget || cost > steps) && W > 86400) {
        /* halved for the search's cost alone: a budget that cuts work */
        if (meet <= budget) { cut_from = W; cut_cost = cost; }
        W = W / 2 / 86400 * 86400;
        if (W < 86400) W = 86400;
        meet = chance_bound(y, W, in, out, &rho, &cost);
    }
    free(in); free(out);
    if (cut_from > 0 && !(ctx->cfg && iffnet_config_str(ctx->cfg, "cycle.window", NULL)))
        iffnet_i_budget(ctx, "cycle: window narrowed to %lld days by cycle.max_steps (a window of %lld days would walk about %.3g paths)",
                        (long long)(W / 86400), (long long)(cut_from / 86400), cut_cost);
    snprintf(how, sizeof how, "derived: the widest window (the case's span of %lld days, halved as needed) in which the chance cycles of once-only links the search would meet stay within a tenth of cycle.max_cycles (at most %.3g) and the paths it would walk within a tenth of cycle.max_steps (about %.3g; a link leads on to %.2f others at most), each cycle then priced by its own span",
             (long long)((span + 86399) / 86400), meet, cost, rho);
    IFFNET_TRY(iffnet_i_det_duration(ctx, "cycle", "window", W, how, &y->p.window));
    IFFNET_TRY(iffnet_i_det_duration(ctx, "cycle", "loop_window", y->p.window,
        "derived: as cycle.window (loops out of time order are priced by their span too)", &y->p.loop_window));
    /* no amount limit: how close each hop's amount is to the previous one is
     * priced against the case's own hops (tightness()), which are close where
     * the case's amounts are carried on and spread where they are not */
    double ratio = 0.0;
    snprintf(how, sizeof how, "derived: no limit (0): each hop's amount ratio is priced against the case's own hop-to-hop ratios (amount linkage %.2f; median ratio %.2f)",
             prof ? prof->linkage : 0.0, prof ? pow(10.0, prof->hop_ratio.p50) : 1.0);
    return iffnet_i_det_double(ctx, "cycle", "max_amount_ratio", ratio, 0.0, 1e12, how, &y->p.max_ratio);
}

/* The loop search: every transaction starts one (see search()). */
static int search_loops(cy_t *y, int64_t *unsearched)
{
    const iffnet_i_txindex_t *x = y->x;
    const iffnet_case_t *c = x->c;
    int err = IFFNET_OK;
    y->ordered = 0;
    *unsearched = 0;
    for (int64_t e0 = 0; e0 < x->n_tx && !err; e0++) {
        int64_t s = c->tx_src[e0];
        if (y->steps > y->p.max_steps) { *unsearched = x->n_tx - e0; break; }
        if (!iffnet_i_transfer(x, e0) || !y->onc[e0] || (x->pair_n[e0] > y->p.max_pair_tx) > y->ch.max_r || x->in_off[s + 1] == x->in_off[s]) continue;
        int over = 0;
        err = search(y, e0, 0, INT64_MAX, &over);
    }
    y->ordered = 1;
    return err;
}

/* Chance expectation of cycles like cy (its length, standing hops, time order);
 * < 0 when not estimated (more than one standing hop). */
static double chance_of(const cy_t *y, const cycle_t *cy)
{
    int64_t r = 0, k = cy->n_hops;
    for (int64_t i = 0; i < k; i++) r += y->x->pair_n[cy->tx[i]] > y->p.max_pair_tx;
    if (r > 1 || k >= CY_MAXK) return -1;
    double e = cy->ordered ? y->ch_ord.loops[r][k] : y->ch.loops[r][k];
    if (cy->ordered) for (int64_t i = 2; i < k; i++) e /= (double)i; /* 1 / (k - 1)! */
    return e;
}

/* The chance cycles of every kind the searches took on, the pool a cycle
 * competes with: pool[1] time-ordered cycles of each length with and without a
 * standing hop, pool[0] loops of the kinds searched (and the ordered ones: an
 * ordered cycle is a loop too). Each kind counts its chance expectation, at most
 * the number of cycles of that kind the case holds (the searches found; a
 * search cut short by a budget found too few to tell: then the expectation).
 * A cycle's E is its pool times the share of it as tight as it is. */
static void chance_pool(cy_t *y, int ordered_complete, int loops_complete)
{
    double found[2][2][CY_MAXK];          /* [ordered][standing hops][hops] */
    memset(found, 0, sizeof found);
    for (int64_t i = 0; i < y->n_cycles; i++) {
        const cycle_t *cy = &y->cycles[i];
        int64_t r = 0;
        for (int64_t j = 0; j < cy->n_hops; j++) r += y->x->pair_n[cy->tx[j]] > y->p.max_pair_tx;
        if (r <= 1 && cy->n_hops < CY_MAXK) found[cy->ordered][r][cy->n_hops] += 1;
    }
    y->pool[0] = y->pool[1] = 0;
    for (int64_t k = y->p.min_hops; k < CY_MAXK && k <= y->p.max_hops; k++)
        for (int r = 0; r <= 1 && r <= y->p.max_recurring; r++) {
            double e_ord = y->ch_ord.loops[r][k];
            for (int64_t i = 2; i < k; i++) e_ord /= (double)i;
            double e_loop = y->ch.allowed[r][k] ? y->ch.loops[r][k] : 0.0;
            y->pool[1] += ordered_complete ? fmin(e_ord, found[1][r][k]) : e_ord;
            y->pool[0] += loops_complete ? fmin(e_loop, found[0][r][k] + found[1][r][k]) : e_loop;
        }
}

/* Share of the case's hops (a payment out with the latest payment in before it)
 * whose amount changes by at most a factor f: the chance that a hop of a chance
 * cycle is as close to the previous one as this one is. */
static double amount_share(const cy_t *y, double f)
{
    double l = log(f);
    int64_t lo = 0, hi = y->n_hop;
    while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if (y->hop[m] <= l) lo = m + 1; else hi = m; }
    return y->n_hop > 0 ? (double)lo / (double)y->n_hop : 1.0;
}

/* The chance that a time-ordered cycle of chance links is as tight as cy: its k
 * hops all within its span D of the first (k - 1 random times in the window W:
 * (D / W)^(k - 1)), and each hop's amount as close to the previous one as it is
 * (the share of the case's amounts that close, one per hop after the first).
 * These k probabilities are independent under the null and each uniform, so
 * their product x is combined as Fisher's method does: P(product of k uniforms
 * <= x) = x sum_{j<k} (-ln x)^j / j!. 1 when not estimated (mixed currencies
 * without rates: amounts are not comparable). */
static double tightness(const cy_t *y, const cycle_t *cy)
{
    const iffnet_time_t *T = y->x->c->tx_time;
    const iffnet_money_t *V = y->x->val;
    int64_t k = cy->n_hops;
    iffnet_time_t t0 = T[cy->tx[0]], t1 = t0;
    for (int64_t i = 1; i < k; i++) { if (T[cy->tx[i]] < t0) t0 = T[cy->tx[i]]; if (T[cy->tx[i]] > t1) t1 = T[cy->tx[i]]; }
    double span = fmin(1.0, (double)(t1 - t0 + 1) / (double)(cy->ordered ? y->p.window : y->p.loop_window));
    double lx = (double)(k - 1) * log(span);
    int64_t n = 1;
    if (y->same_unit && y->n_hop > 0)
        for (int64_t i = 1; i < k; i++) {
            iffnet_money_t a = V[cy->tx[i - 1]], b = V[cy->tx[i]];
            if (a <= 0 || b <= 0) continue;
            double f = a > b ? (double)a / (double)b : (double)b / (double)a;
            lx += log(fmax(amount_share(y, f), 1e-300));
            n++;
        }
    if (lx >= 0) return 1.0;
    double sum = 0, term = 1;
    for (int64_t j = 0; j < n; j++) { sum += term; term *= -lx / (double)(j + 1); }
    return fmin(1.0, exp(lx) * sum);
}

static int emit_cycle(cy_t *y, const cycle_t *cy, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = y->x->c;
    int64_t acc[64];
    char route[1024], m1[96], m2[96];
    size_t len = 0;
    iffnet_i_vec_t va = { 0, 0, NULL }, vt = { 0, 0, NULL };
    int err = IFFNET_OK;
    iffnet_alert_t *a;
    for (int64_t i = 0; i < cy->n_hops; i++) {
        acc[i] = c->tx_src[cy->tx[i]];
        if (len < sizeof route - 1)
            len += (size_t)snprintf(route + len, sizeof route - len, "%s -> ", iffnet_case_account_id(c, acc[i]));
    }
    if (len < sizeof route - 1) snprintf(route + len, sizeof route - len, "%s", iffnet_case_account_id(c, acc[0]));
    va.v = acc; va.n = cy->n_hops;
    vt.v = (int64_t *)cy->tx; vt.n = cy->n_hops;
    iffnet_money_t first = y->x->val[cy->tx[0]], last = y->x->val[cy->tx[cy->n_hops - 1]];
    double keep = first > 0 ? (double)last / (double)first : 1.0;
    double e_all = chance_of(y, cy), e = e_all;
    /* chance cycles and loops of any kind searched, as tight in time and
     * amounts as this one */
    double pool = y->pool[cy->ordered];
    if (e >= 0) e = tightness(y, cy) * pool;
    /* reported only where chance does not explain it: chance alone leaves
     * about chance_alerts (1) in the whole case, of each kind (length, with or
     * without a standing hop). Loops out of time order were also gated by kind
     * before the search. */
    if (!y->p.list_all && e >= y->p.chance) return IFFNET_OK;
    double score = e >= 0 ? 1.0 / (1.0 + e) : 0.5;
    iffnet_time_t t0 = INT64_MAX, t1 = INT64_MIN;
    int64_t late = -1; /* first hop paid before its payer received */
    for (int64_t i = 0; i < cy->n_hops; i++) {
        iffnet_time_t t = c->tx_time[cy->tx[i]];
        if (t < t0) t0 = t;
        if (t > t1) t1 = t;
        if (late < 0 && i > 0 && t < c->tx_time[cy->tx[i - 1]]) late = i;
    }
    int64_t days = iffnet_i_days(t0, t1);
    err = iffnet_i_alert(out, IFFNET_TYP_CYCLE, score, &va, &vt, &a);
    if (!err) {
        a->expected = e >= 0 ? e : IFFNET_E_UNKNOWN;
        /* what went all the way round is at most the smallest hop */
        iffnet_money_t least = INT64_MAX;
        for (int64_t i = 0; i < cy->n_hops; i++) if (y->x->val[cy->tx[i]] < least) least = y->x->val[cy->tx[i]];
        a->moved = y->same_unit && !iffnet_case_mixed_currencies(c) ? least : 0;
    }
    if (!err && cy->ordered)
        err = iffnet_alert_add_reason(a, "money returned to %s after %lld time-ordered hops in %lld days: %s",
            iffnet_case_account_id(c, acc[0]), (long long)cy->n_hops, (long long)days, route);
    if (!err && !cy->ordered)
        err = iffnet_alert_add_reason(a, "payments went round %lld accounts and back to %s within %lld days: %s",
            (long long)cy->n_hops, iffnet_case_account_id(c, acc[0]), (long long)days, route);
    if (!err && !cy->ordered)
        err = iffnet_alert_add_reason(a, "not in time order: %s paid %s before %s paid it, so this is a loop of payments, not necessarily the same money going round",
            iffnet_case_account_id(c, acc[late]), iffnet_case_account_id(c, acc[(late + 1) % cy->n_hops]),
            iffnet_case_account_id(c, acc[late - 1]));
    if (!err) err = iffnet_alert_add_reason(a, "first hop %s, last hop %s (%.0f%% of the first in amount%s)",
        iffnet_i_tx_money(y->ctx, m1, sizeof m1, cy->tx[0]), iffnet_i_tx_money(y->ctx, m2, sizeof m2, cy->tx[cy->n_hops - 1]), 100.0 * keep,
        keep > 1.0 ? "; more than the first: money from elsewhere joined on the way" : "");
    if (!err && cy->instances > 1)
        err = iffnet_alert_add_reason(a, "the same accounts closed this cycle %lld times", (long long)cy->instances);
    if (!err && e >= 0)
        err = iffnet_alert_add_reason(a, "a random network with this case's links would form about %.2g %s of %lld hops by chance, and about %.2g of all lengths the case holds; %.2g of those as short in time and as even in amounts as this one",
            e_all, cy->ordered ? "time-ordered cycles" : "such loops", (long long)cy->n_hops, pool, e);
    return err;
}

int iffnet_i_detect_cycle(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    cy_t y;
    iffnet_i_txindex_t x;
    int err = IFFNET_OK;
    memset(&y, 0, sizeof y);
    y.ctx = ctx; y.x = &x; y.ordered = 1;
    y.same_unit = ctx->c->tx_base != NULL || !iffnet_case_mixed_currencies(ctx->c);
    IFFNET_TRY(cy_params(ctx, &y.p));
    IFFNET_TRY(iffnet_i_txindex_build(ctx->c, &x));
    iffnet_detect_profile_t own_profile;
    const iffnet_detect_profile_t *prof = ctx->profile;
    if (!prof && (err = iffnet_detect_profile(ctx->c, &own_profile)) == IFFNET_OK) prof = &own_profile;
    if (err || (err = derive(&y, prof))) { iffnet_i_txindex_destroy(&x); return err; }
    size_t n = (size_t)x.n_acc + 1, ns = n * (size_t)(y.p.max_recurring + 1);
    y.dist = calloc(ns, sizeof *y.dist);
    y.dist_stamp = calloc(ns, sizeof *y.dist_stamp);
    y.on_path = calloc(n, 1);
    y.queue = calloc(ns, sizeof *y.queue);
    y.ldep = calloc(ns, sizeof *y.ldep);
    y.ldep_stamp = calloc(ns, sizeof *y.ldep_stamp);
    y.heap = calloc((size_t)x.n_tx + ns, sizeof *y.heap);
    y.hkey = calloc((size_t)x.n_tx + ns, sizeof *y.hkey);
    y.redo = calloc((size_t)x.n_tx + 1, sizeof *y.redo);
    if (!y.dist || !y.dist_stamp || !y.on_path || !y.queue || !y.ldep || !y.ldep_stamp || !y.heap || !y.hkey || !y.redo) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in cycle search"); goto out; }
    if ((err = cycle_marks(&y, y.p.window > y.p.loop_window ? y.p.window : y.p.loop_window))) goto out;
    /* Start transactions grouped by payer, in batches spanning at most one window. */
    int64_t searched = 0, total = 0, s;
    const iffnet_case_t *c = ctx->c;
    for (s = 0; s < x.n_acc && !err; s++) {
        int64_t lo = x.out_off[s], hi = x.out_off[s + 1];
        total += hi - lo;
        if (y.steps > y.p.max_steps) continue;
        if (x.in_off[s + 1] == x.in_off[s]) { searched += hi - lo; continue; } /* nothing returns to s */
        for (int64_t b = lo, e; b < hi && !err; b = e) {
            iffnet_time_t tb = c->tx_time[x.out_tx[b]];
            for (e = b; e < hi && c->tx_time[x.out_tx[e]] <= tb + y.p.window; e++) ;
            int64_t e_lo = x.out_tx[b]; /* tx ids grow with time: the smallest of the batch */
            /* first without pruning, cheaply; the reverse search only if some start needs it */
            int need = 0;
            for (int64_t k = b; k < e && !err; k++) {
                int64_t e0 = x.out_tx[k], v = c->tx_dst[e0], r0 = x.pair_n[e0] > y.p.max_pair_tx;
                int over = 0;
                searched++;
                if (v == s || r0 > y.p.max_recurring || !y.onc[e0]) continue;
                err = search(&y, e0, 0, y.p.unpruned_steps, &over);
                if (over) y.redo[need++] = e0;
            }
            if (err || need == 0) continue;
            if ((err = latest_departures(&y, s, e_lo, tb, c->tx_time[x.out_tx[e - 1]] + y.p.window))) break;
            reverse_bfs(&y, s, e_lo, tb, c->tx_time[x.out_tx[e - 1]] + y.p.window);
            for (int64_t k = 0; k < need && !err; k++) {
                int64_t e0 = y.redo[k], v = c->tx_dst[e0], r0 = x.pair_n[e0] > y.p.max_pair_tx;
                int over = 0;
                if (!in_time(&y, v, c->tx_time[e0], r0) || !can_close(&y, v, r0, 0)) continue;
                err = search(&y, e0, 1, 0, &over);
            }
            if (y.steps > y.p.max_steps) break;
        }
    }
    int64_t e0 = searched < total ? 0 : x.n_tx; /* for the note below */
    y.cut_ordered = y.cut_starts;
    int64_t unsearched = 0;
    if (!err) err = chance_at(&y, y.p.window, 0, &y.ch_ord, NULL);
    if (!err) err = chance_at(&y, y.p.loop_window, 1, &y.ch, y.p.loop_window == y.p.window ? &y.ch_ord : NULL);
    if (!err) err = iffnet_i_hop_sample(&x, &y.hop, &y.n_hop);
    if (!err && y.ch.max_k > 0) err = search_loops(&y, &unsearched);
    if (err) goto out;
    if (e0 < x.n_tx)
        iffnet_i_budget(ctx, "cycle: search stopped after %lld steps (cycle.max_steps); %lld of %lld start transactions not searched",
                  (long long)y.steps, (long long)(total - searched), (long long)total);
    if (unsearched > 0)
        iffnet_i_budget(ctx, "cycle: loop search (out of time order) stopped after %lld steps (cycle.max_steps); %lld of %lld start transactions not searched",
                  (long long)y.steps, (long long)unsearched, (long long)x.n_tx);
    if (y.cut_starts)
        iffnet_i_budget(ctx, "cycle: %lld start transactions cut short after %lld steps each (cycle.max_steps_per_start)",
                  (long long)y.cut_starts, (long long)y.p.max_steps_start);
    if (y.full)
        iffnet_i_budget(ctx, "cycle: stopped recording at %lld distinct cycles (cycle.max_cycles)", (long long)y.p.max_cycles);
    chance_pool(&y, e0 >= x.n_tx && !y.cut_ordered && !y.full, unsearched == 0 && !y.cut_starts && !y.full);
    for (int64_t i = 0; i < y.n_cycles && !err; i++) err = emit_cycle(&y, &y.cycles[i], out);
out:
    free(y.dist); free(y.dist_stamp); free(y.on_path); free(y.queue); free(y.ldep); free(y.ldep_stamp); free(y.heap); free(y.hkey); free(y.pend); free(y.redo); free(y.onc); free(y.cycles); free(y.hash); free(y.hop);
    iffnet_i_txindex_destroy(&x);
    return err;
}
