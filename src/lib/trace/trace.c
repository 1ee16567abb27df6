/* trace.c: the rule engine of iffnet trace.
 *
 * One pass over the transactions of the window. Every account has one in-case
 * ledger balance (shared by all rules, kept by trace_ctx.c) and, per rule, the
 * tainted part of it:
 *   - FIFO and LIFO keep the whole ledger as a queue of lots (origin, amount) once
 *     the account holds taint, and a bare balance while it holds none, so that
 *     clean-only accounts cost O(1) per transaction;
 *   - LIBR and TIHO keep a queue of tainted lots only (clean = balance - taint);
 *   - pro-rata keeps the tainted amount per origin, sorted by origin;
 *   - poison keeps a flag.
 * A transaction is built as a list of pieces: the seeded part, what the sender's
 * rule takes from its ledger, then the unexplained part; the receiver appends the
 * pieces to its ledger in that order.
 */
#include "trace_internal.h"

typedef struct {
    iffnet_money_t amt;
    int64_t origin;               /* >= 0 tainted (origin id), -1 clean */
} lot_t;

typedef struct {
    int64_t head, n, cap;
    lot_t v[];
} lotq_t;

typedef struct {
    iffnet_trace_t *tr;
    iffnet_i_trace_ctx_t x;
    unsigned rules;
    lotq_t **q[IFFNET_TRACE_NRULES];
    iffnet_money_t *taint[IFFNET_TRACE_NRULES];
    uint8_t *poisoned;
    int64_t *label;               /* backward: account -> origin id, or -1 */
    lot_t *pc;                    /* pieces of the current transaction */
    int64_t npc, cap_pc;
    struct rem { __int128 r; int64_t i; } *rem;
    int64_t cap_rem;
    int64_t cap_touched, cap_flow;
    int64_t work;                 /* steps of the current rule and transaction */
    int64_t steps[IFFNET_TRACE_NRULES], max_steps;
} eng_t;

static const char *const rule_names[IFFNET_TRACE_NRULES] = {
    "fifo", "lifo", "pro-rata", "libr", "tiho", "poison"
};
static const char *const exit_names[IFFNET_EXIT_COUNT] = { "cash", "external", "abroad", "hop_limit" };

const char *iffnet_trace_rule_name(iffnet_trace_rule_t r)
{
    return r >= 0 && r < IFFNET_TRACE_NRULES ? rule_names[r] : "?";
}

const char *iffnet_exit_kind_name(iffnet_exit_kind_t k)
{
    return k >= 0 && k < IFFNET_EXIT_COUNT ? exit_names[k] : "none";
}

int iffnet_trace_rule_conserves(iffnet_trace_rule_t r)
{
    return r != IFFNET_TRACE_POISON;
}

int iffnet_trace_rules_parse(const char *s, unsigned *mask)
{
    *mask = 0;
    while (*s) {
        size_t len = strcspn(s, ",");
        int found = 0;
        if (len == 3 && strncmp(s, "all", 3) == 0) { *mask |= IFFNET_TRACE_ALL_RULES; found = 1; }
        if (len == 7 && strncmp(s, "haircut", 7) == 0) { *mask |= 1u << IFFNET_TRACE_PRORATA; found = 1; }
        if (len == 7 && strncmp(s, "prorata", 7) == 0) { *mask |= 1u << IFFNET_TRACE_PRORATA; found = 1; }
        for (int r = 0; r < IFFNET_TRACE_NRULES && !found; r++)
            if (strlen(rule_names[r]) == len && strncmp(s, rule_names[r], len) == 0) {
                *mask |= 1u << r;
                found = 1;
            }
        if (!found)
            return iffnet_i_seterr(IFFNET_EINVAL, "unknown rule '%.*s' (fifo, lifo, pro-rata, libr, tiho, poison, all)",
                                   (int)len, s);
        s += len;
        if (*s == ',') s++;
    }
    if (!*mask) return iffnet_i_seterr(IFFNET_EINVAL, "no rule given");
    return IFFNET_OK;
}

void iffnet_trace_opts_default(iffnet_trace_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->since = INT64_MIN;
    o->until = INT64_MAX;
    o->rules = IFFNET_TRACE_ALL_RULES;
}

/* ---- lot queues ---------------------------------------------------------- */

static int q_push(lotq_t **qp, int64_t origin, iffnet_money_t amt)
{
    lotq_t *q = *qp;
    if (amt <= 0) return IFFNET_OK;
    if (q && q->n && q->v[q->head + q->n - 1].origin == origin) {
        q->v[q->head + q->n - 1].amt += amt;
        return IFFNET_OK;
    }
    if (!q || q->head + q->n == q->cap) {
        if (q && q->head > 0 && q->head >= q->n) {
            memmove(q->v, q->v + q->head, (size_t)q->n * sizeof *q->v);
            q->head = 0;
        } else {
            int64_t cap = q ? 2 * q->cap : 1; /* most ledgers of a large case hold one lot or two */
            lotq_t *nq = realloc(q, sizeof *q + (size_t)cap * sizeof(lot_t));
            if (!nq) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for ledger lots");
            if (!q) { nq->head = 0; nq->n = 0; }
            nq->cap = cap;
            q = *qp = nq;
        }
    }
    q->v[q->head + q->n].origin = origin;
    q->v[q->head + q->n].amt = amt;
    q->n++;
    return IFFNET_OK;
}

static int pc_push(eng_t *e, int64_t origin, iffnet_money_t amt)
{
    if (amt <= 0) return IFFNET_OK;
    if (e->npc && e->pc[e->npc - 1].origin == origin) {
        e->pc[e->npc - 1].amt += amt;
        return IFFNET_OK;
    }
    if (iffnet_i_reserve((void **)&e->pc, &e->cap_pc, e->npc + 1, sizeof *e->pc)) return IFFNET_ENOMEM;
    e->pc[e->npc].origin = origin;
    e->pc[e->npc].amt = amt;
    e->npc++;
    return IFFNET_OK;
}

/* Takes `amt` from the front (FIFO) or back (LIFO) of q into the pieces; returns the
 * tainted part taken in *tainted. When only_tainted, q holds tainted lots only. */
static int q_take(eng_t *e, lotq_t *q, int back, iffnet_money_t amt, iffnet_money_t *tainted)
{
    *tainted = 0;
    while (amt > 0 && q && q->n) {
        lot_t *l = back ? &q->v[q->head + q->n - 1] : &q->v[q->head];
        e->work++;
        iffnet_money_t part = l->amt < amt ? l->amt : amt;
        IFFNET_TRY(pc_push(e, l->origin, part));
        if (l->origin >= 0) *tainted += part;
        l->amt -= part;
        amt -= part;
        if (l->amt == 0) {
            if (!back) q->head++;
            q->n--;
        }
    }
    if (q && q->n == 0) q->head = 0;
    if (amt > 0) return iffnet_i_seterr(IFFNET_EINTERNAL, "trace ledger short of %lld units", (long long)amt);
    return IFFNET_OK;
}

/* ---- pro-rata ------------------------------------------------------------ */

static int cmp_rem(const void *a, const void *b)
{
    const struct rem *x = a, *y = b;
    if (x->r != y->r) return x->r < y->r ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Splits `take` of a ledger of `bal` (tainted parts per origin in q, sorted by
 * origin; the rest clean) in proportion. Each part gets floor(take * part / bal);
 * the units left over go one each to the parts with the largest remainders
 * (ties: tainted parts by ascending origin, then the clean part): the largest
 * remainder (Hamilton) method, exact in 128-bit arithmetic. */
static int prorata_take(eng_t *e, lotq_t *q, iffnet_money_t bal, iffnet_money_t taint,
                        iffnet_money_t take, iffnet_money_t *tainted)
{
    int64_t m = q ? q->n : 0;
    iffnet_money_t given = 0, clean = bal - taint, share_clean;
    *tainted = 0;
    e->work += m + 1;
    if (iffnet_i_reserve((void **)&e->rem, &e->cap_rem, m + 1, sizeof *e->rem)) return IFFNET_ENOMEM;
    for (int64_t i = 0; i <= m; i++) {
        iffnet_money_t part = i < m ? q->v[q->head + i].amt : clean;
        __int128 p = (__int128)take * part;
        e->rem[i].r = p % bal;
        e->rem[i].i = i;
        given += (iffnet_money_t)(p / bal);
    }
    qsort(e->rem, (size_t)m + 1, sizeof *e->rem, cmp_rem);
    {
        /* rem[] is in award order; back to part order to build the pieces */
        iffnet_money_t extra_of_clean = 0;
        uint8_t small[64], *won = m + 1 <= 64 ? small : calloc((size_t)m + 1, 1);
        if (!won) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for a pro-rata split");
        for (int64_t k = 0; k <= m; k++) won[e->rem[k].i] = k < take - given;
        for (int64_t i = 0; i < m; i++) {
            lot_t *l = &q->v[q->head + i];
            iffnet_money_t s = (iffnet_money_t)(((__int128)take * l->amt) / bal) + won[i];
            if (pc_push(e, l->origin, s)) { if (won != small) free(won); return IFFNET_ENOMEM; }
            l->amt -= s;
            *tainted += s;
        }
        extra_of_clean = won[m];
        if (won != small) free(won);
        share_clean = (iffnet_money_t)(((__int128)take * clean) / bal) + extra_of_clean;
        IFFNET_TRY(pc_push(e, -1, share_clean));
    }
    if (q) { /* drop emptied origins, keeping the order */
        int64_t w = 0;
        for (int64_t i = 0; i < q->n; i++)
            if (q->v[q->head + i].amt > 0) q->v[w++] = q->v[q->head + i];
        q->head = 0;
        q->n = w;
    }
    return IFFNET_OK;
}

/* Adds a tainted piece to a pro-rata ledger, keeping origins sorted and unique. */
static int prorata_add(eng_t *e, lotq_t **qp, int64_t origin, iffnet_money_t amt)
{
    lotq_t *q = *qp;
    int64_t lo = 0, hi = q ? q->n : 0;
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (q->v[q->head + mid].origin < origin) lo = mid + 1; else hi = mid;
    }
    if (q && lo < q->n && q->v[q->head + lo].origin == origin) {
        q->v[q->head + lo].amt += amt;
        return IFFNET_OK;
    }
    IFFNET_TRY(q_push(qp, origin, amt)); /* appended at the end, then moved into place */
    q = *qp;
    if (lo < q->n - 1) {
        lot_t l = q->v[q->head + q->n - 1];
        e->work += q->n - 1 - lo;
        memmove(&q->v[q->head + lo + 1], &q->v[q->head + lo], (size_t)(q->n - 1 - lo) * sizeof l);
        q->v[q->head + lo] = l;
    }
    return IFFNET_OK;
}

/* ---- one rule, one transaction --------------------------------------------- */

/* The sender's side: pieces taken from its ledger under rule r. */
static int take_from(eng_t *e, int r, int64_t u, iffnet_money_t take, iffnet_money_t bal)
{
    lotq_t **qp = &e->q[r][u];
    iffnet_money_t *taint = &e->taint[r][u], t = 0, part;
    if (take <= 0) return IFFNET_OK;
    if (*taint == 0) return pc_push(e, -1, take);
    switch (r) {
    case IFFNET_TRACE_FIFO:
    case IFFNET_TRACE_LIFO:
        IFFNET_TRY(q_take(e, *qp, r == IFFNET_TRACE_LIFO, take, &t));
        break;
    case IFFNET_TRACE_TIHO:
        part = take < *taint ? take : *taint;
        IFFNET_TRY(q_take(e, *qp, 0, part, &t));
        IFFNET_TRY(pc_push(e, -1, take - part));
        break;
    case IFFNET_TRACE_LIBR:
        part = take < bal - *taint ? take : bal - *taint;
        IFFNET_TRY(pc_push(e, -1, part));
        IFFNET_TRY(q_take(e, *qp, 0, take - part, &t));
        break;
    case IFFNET_TRACE_PRORATA:
        IFFNET_TRY(prorata_take(e, *qp, bal, *taint, take, &t));
        break;
    default:
        return iffnet_i_seterr(IFFNET_EINTERNAL, "rule %d has no ledger", r);
    }
    *taint -= t;
    if (*taint == 0 && *qp) (*qp)->n = (*qp)->head = 0;
    return IFFNET_OK;
}

/* The receiver's side: appends the pieces (or `clean` units when the money left
 * the trace) to v's ledger under rule r. bal is v's balance before. */
static int give_to(eng_t *e, int r, int64_t v, iffnet_money_t bal, iffnet_money_t tainted, iffnet_money_t clean)
{
    lotq_t **qp = &e->q[r][v];
    int whole = r == IFFNET_TRACE_FIFO || r == IFFNET_TRACE_LIFO;
    e->work += e->npc;
    if (whole) {
        if (tainted == 0 && e->taint[r][v] == 0) return IFFNET_OK; /* balance only */
        if (e->taint[r][v] == 0) IFFNET_TRY(q_push(qp, -1, bal));
        if (clean >= 0) return q_push(qp, -1, clean);
        for (int64_t i = 0; i < e->npc; i++) IFFNET_TRY(q_push(qp, e->pc[i].origin, e->pc[i].amt));
    } else if (tainted > 0) {
        for (int64_t i = 0; i < e->npc; i++) {
            if (e->pc[i].origin < 0) continue;
            if (r == IFFNET_TRACE_PRORATA) IFFNET_TRY(prorata_add(e, qp, e->pc[i].origin, e->pc[i].amt));
            else IFFNET_TRY(q_push(qp, e->pc[i].origin, e->pc[i].amt));
        }
    }
    e->taint[r][v] += tainted;
    return IFFNET_OK;
}

/* ---- bookkeeping ---------------------------------------------------------- */

/* Row of account a in tr->flow, created on first use; -1 on memory failure. */
static int64_t slot_of(eng_t *e, int64_t a)
{
    iffnet_trace_t *tr = e->tr;
    int64_t s = tr->slot[a];
    if (s >= 0) return s;
    if (iffnet_i_reserve((void **)&tr->touched, &e->cap_touched, tr->n_touched + 1, sizeof *tr->touched) ||
        iffnet_i_reserve((void **)&tr->flow, &e->cap_flow, tr->n_touched + 1,
                         IFFNET_TRACE_NRULES * sizeof *tr->flow)) return -1;
    s = tr->n_touched++;
    tr->touched[s] = a;
    memset(&tr->flow[s * IFFNET_TRACE_NRULES], 0, IFFNET_TRACE_NRULES * sizeof *tr->flow);
    tr->slot[a] = s;
    return s;
}

static int txflow_add(iffnet_trace_t *tr, int r, int64_t t, iffnet_money_t amt, int exit)
{
    if (iffnet_i_reserve((void **)&tr->txflow[r], &tr->cap_txflow[r], tr->n_txflow[r] + 1,
                         sizeof *tr->txflow[r])) return IFFNET_ENOMEM;
    tr->txflow[r][tr->n_txflow[r]].tx = t;
    tr->txflow[r][tr->n_txflow[r]].amount = amt;
    tr->txflow[r][tr->n_txflow[r]].exit = exit;
    tr->n_txflow[r]++;
    return IFFNET_OK;
}

/* Books the tainted money of one transaction under rule r: injected at the sender
 * (seeded money counts as received there), passed on or left, received. */
static int book(eng_t *e, int r, const iffnet_i_trace_step_t *s, iffnet_money_t injected,
                iffnet_money_t sent, iffnet_money_t recv)
{
    iffnet_trace_t *tr = e->tr;
    int64_t su, sv;
    if (injected == 0 && sent == 0 && recv == 0) return IFFNET_OK;
    if ((su = slot_of(e, s->src)) < 0) return IFFNET_ENOMEM;
    iffnet_trace_flow_t *from = &tr->flow[su * IFFNET_TRACE_NRULES + r];
    if (iffnet_i_money_add(&from->received, injected)) return iffnet_i_money_overflow("trace: money received");
    if (s->exit != IFFNET_EXIT_NONE) {
        if (iffnet_i_money_add(&from->left, sent) || iffnet_i_money_add(&tr->total_left[r][s->exit], sent) ||
            iffnet_i_money_add(&tr->left_all[r], sent))
            return iffnet_i_money_overflow("trace: money that left the case");
        return sent ? txflow_add(tr, r, s->tx, sent, s->exit) : IFFNET_OK;
    }
    if (iffnet_i_money_add(&from->passed, sent)) return iffnet_i_money_overflow("trace: money passed on");
    if (recv == 0) return IFFNET_OK;
    if ((sv = slot_of(e, s->dst)) < 0) return IFFNET_ENOMEM;
    if (iffnet_i_money_add(&tr->flow[sv * IFFNET_TRACE_NRULES + r].received, recv))
        return iffnet_i_money_overflow("trace: money received");
    if (tr->opts.backward && tr->is_seed[s->dst])
        for (int64_t i = 0; i < e->npc; i++)
            if (e->pc[i].origin >= 0 &&
                iffnet_i_money_add(&tr->origin_amount[e->pc[i].origin * IFFNET_TRACE_NRULES + r], e->pc[i].amt))
                return iffnet_i_money_overflow("trace: money received from an origin");
    return txflow_add(tr, r, s->tx, recv, IFFNET_EXIT_NONE);
}

static iffnet_money_t pieces_tainted(const eng_t *e)
{
    iffnet_money_t t = 0;
    for (int64_t i = 0; i < e->npc; i++)
        if (e->pc[i].origin >= 0) t += e->pc[i].amt;
    return t;
}

/* Poison: an account that ever received taint taints all it sends, whole. */
static int apply_poison(eng_t *e, const iffnet_i_trace_step_t *s, iffnet_money_t injected)
{
    const int r = IFFNET_TRACE_POISON;
    iffnet_money_t t = e->poisoned[s->src] || injected > 0 ? s->amount : 0;
    if (t && s->exit == IFFNET_EXIT_NONE) e->poisoned[s->dst] = 1;
    injected = injected > 0 ? s->amount : 0; /* a seed's transfer is tainted whole */
    e->npc = 0;
    if (t && pc_push(e, s->fresh_origin >= 0 ? s->fresh_origin : 0, t)) return IFFNET_ENOMEM;
    return book(e, r, s, injected, t, s->exit == IFFNET_EXIT_NONE ? t : 0);
}

static int apply_rule(eng_t *e, int r, const iffnet_i_trace_step_t *s, int64_t ulabel, int64_t vlabel)
{
    const iffnet_money_t *bal = e->x.bal;
    iffnet_money_t injected = s->fresh + (ulabel >= 0 ? s->unexplained : 0), sent, recv;
    e->npc = 0;
    if (r == IFFNET_TRACE_POISON) return apply_poison(e, s, injected);
    IFFNET_TRY(pc_push(e, s->fresh_origin, s->fresh));
    IFFNET_TRY(take_from(e, r, s->src, s->take, bal[s->src]));
    IFFNET_TRY(pc_push(e, ulabel, s->unexplained));
    sent = pieces_tainted(e);
    if (vlabel >= 0) /* backward: money entering the traced set is labelled where it enters */
        for (int64_t i = 0; i < e->npc; i++)
            if (e->pc[i].origin < 0) e->pc[i].origin = vlabel;
    recv = s->exit == IFFNET_EXIT_NONE ? pieces_tainted(e) : 0;
    if (s->exit == IFFNET_EXIT_NONE) IFFNET_TRY(give_to(e, r, s->dst, bal[s->dst], recv, -1));
    else IFFNET_TRY(give_to(e, r, s->dst, bal[s->dst], 0, s->amount));
    /* relabelled money counts as received by v only: u passed on `sent` */
    return book(e, r, s, injected, sent, recv);
}

/* ---- backward: the set of accounts that can have paid the seeds ---------- */

/* Reverse time-respecting search from the seeds: u joins when it paid, at or
 * before, an account already in the set at a later moment, within max_hops. */
static int backward_set(eng_t *e)
{
    iffnet_trace_t *tr = e->tr;
    const iffnet_case_t *c = tr->c;
    int32_t *rh = malloc((size_t)c->n_accounts * sizeof *rh + 1);
    int hops = tr->opts.max_hops > 0 ? tr->opts.max_hops : 3;
    if (!rh) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for a backward trace");
    for (int64_t a = 0; a < c->n_accounts; a++) rh[a] = tr->is_seed[a] ? 0 : TRACE_UNREACHED;
    for (int64_t t = e->x.hi - 1; t >= e->x.lo; t--) {
        int64_t u = c->tx_src[t], v = c->tx_dst[t];
        if (u != v && rh[v] < hops && rh[v] + 1 < rh[u]) rh[u] = rh[v] + 1;
    }
    tr->n_origins = 0;
    for (int64_t a = 0; a < c->n_accounts; a++) tr->n_origins += rh[a] != TRACE_UNREACHED;
    tr->origin_account = malloc((size_t)tr->n_origins * sizeof *tr->origin_account + 1);
    tr->origin_amount = calloc((size_t)tr->n_origins * IFFNET_TRACE_NRULES + 1, sizeof *tr->origin_amount);
    if (!tr->origin_account || !tr->origin_amount) {
        free(rh);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for a backward trace");
    }
    for (int64_t a = 0, k = 0; a < c->n_accounts; a++) {
        e->label[a] = rh[a] != TRACE_UNREACHED ? k : -1;
        if (rh[a] != TRACE_UNREACHED) tr->origin_account[k++] = a;
        tr->hop[a] = rh[a] == TRACE_UNREACHED ? -1 : rh[a];
    }
    free(rh);
    return IFFNET_OK;
}

/* ---- run ------------------------------------------------------------------- */

static int eng_alloc(eng_t *e, iffnet_trace_t *tr)
{
    int64_t n = tr->c->n_accounts;
    tr->slot = malloc(((size_t)n + 1) * sizeof *tr->slot);
    tr->unexplained = calloc((size_t)n + 1, sizeof *tr->unexplained);
    tr->final_balance = calloc((size_t)n + 1, sizeof *tr->final_balance);
    tr->hop = malloc(((size_t)n + 1) * sizeof *tr->hop);
    tr->is_seed = calloc((size_t)n + 1, 1);
    e->poisoned = calloc((size_t)n + 1, 1);
    e->label = malloc(((size_t)n + 1) * sizeof *e->label);
    if (!tr->slot || !tr->unexplained || !tr->final_balance || !tr->hop || !tr->is_seed ||
        !e->poisoned || !e->label) goto nomem;
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        if (!(e->rules & (1u << r)) || r == IFFNET_TRACE_POISON) continue;
        e->q[r] = calloc((size_t)n + 1, sizeof *e->q[r]);
        e->taint[r] = calloc((size_t)n + 1, sizeof *e->taint[r]);
        if (!e->q[r] || !e->taint[r]) goto nomem;
    }
    for (int64_t a = 0; a < n; a++) { tr->slot[a] = -1; e->label[a] = -1; }
    for (int64_t i = 0; i < tr->opts.n_seed_accounts; i++) tr->is_seed[tr->opts.seed_accounts[i]] = 1;
    return IFFNET_OK;
nomem:
    return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for a trace of %lld accounts", (long long)n);
}

/* The lot queues: not needed once the replay is done (finish() reads the
 * tainted amounts only), and the largest part of a trace's memory. */
static void free_queues(eng_t *e)
{
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        if (e->q[r])
            for (int64_t a = 0; a < e->tr->c->n_accounts; a++) free(e->q[r][a]);
        free(e->q[r]);
        e->q[r] = NULL;
    }
}

static void eng_free(eng_t *e)
{
    free_queues(e);
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) free(e->taint[r]);
    free(e->poisoned);
    free(e->label);
    free(e->pc);
    free(e->rem);
    iffnet_i_trace_ctx_destroy(&e->x);
}

/* Stops rule r at transaction t: its ledgers go, and so does the rule from the
 * results (a partial replay would be a wrong answer), with a note. */
static int cut_rule(eng_t *e, int r, int64_t t)
{
    iffnet_trace_t *tr = e->tr;
    if (e->q[r]) {
        for (int64_t a = 0; a < tr->c->n_accounts; a++) free(e->q[r][a]);
        free(e->q[r]);
        e->q[r] = NULL;
    }
    e->rules &= ~(1u << r);
    tr->opts.rules &= ~(1u << r);
    tr->rules_cut |= 1u << r;
    tr->total_held[r] = 0;
    memset(tr->total_left[r], 0, sizeof tr->total_left[r]);
    tr->left_all[r] = 0;
    free(tr->txflow[r]);
    tr->txflow[r] = NULL;
    tr->n_txflow[r] = tr->cap_txflow[r] = 0;
    return iffnet_i_trace_note(tr, "%s: stopped after %lld ledger steps (the step budget, --max-steps) at transaction "
                               "%lld of %lld in the window; the rule is left out of the results",
                               iffnet_trace_rule_name((iffnet_trace_rule_t)r), (long long)e->steps[r],
                               (long long)(t - e->x.lo + 1), (long long)(e->x.hi - e->x.lo));
}

static int replay(eng_t *e)
{
    iffnet_trace_t *tr = e->tr;
    const iffnet_case_t *c = tr->c;
    iffnet_i_trace_step_t s;
    for (int64_t t = e->x.lo; t < e->x.hi; t++) {
        int64_t ul, vl;
        if (c->tx_src[t] == c->tx_dst[t]) continue; /* moves nothing */
        iffnet_i_trace_ctx_step(&e->x, t, &s);
        ul = e->label[s.src];
        vl = ul < 0 && e->label[s.dst] >= 0 ? e->label[s.dst] : -1;
        if (iffnet_i_money_add(&tr->injected, s.fresh) ||
            (ul >= 0 && iffnet_i_money_add(&tr->injected, s.unexplained)) ||
            iffnet_i_money_add(&tr->unexplained[s.src], s.unexplained))
            return iffnet_i_money_overflow("trace: money that entered the trace");
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
            if (!(e->rules & (1u << r))) continue;
            e->work = 1;
            IFFNET_TRY(apply_rule(e, r, &s, ul, vl));
            if ((e->steps[r] += e->work) > e->max_steps) IFFNET_TRY(cut_rule(e, r, t));
        }
        iffnet_i_trace_ctx_commit(&e->x, &s);
    }
    if (!e->rules) return iffnet_i_seterr(IFFNET_ELIMIT, "every rule needed more than %lld ledger steps (--max-steps)",
                                          (long long)e->max_steps);
    return IFFNET_OK;
}

int iffnet_i_trace_note(iffnet_trace_t *tr, const char *fmt, ...)
{
    va_list ap;
    char *msg, **grown;
    va_start(ap, fmt);
    msg = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    grown = msg ? realloc(tr->notes, ((size_t)tr->n_notes + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(msg);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for a trace note");
    }
    tr->notes = grown;
    tr->notes[tr->n_notes++] = msg;
    return IFFNET_OK;
}

/* Puts row perm[i] of flow (rows of NRULES entries) at row i, in place (cycle
 * by cycle; `done` is n bytes of zeros): a copy would double the largest array
 * of a trace of a million accounts. */
static void permute_rows(iffnet_trace_flow_t *flow, const int64_t *perm, int64_t n, uint8_t *done)
{
    iffnet_trace_flow_t tmp[IFFNET_TRACE_NRULES];
    const size_t row = IFFNET_TRACE_NRULES * sizeof *flow;
    for (int64_t i = 0; i < n; i++) {
        int64_t j = i;
        if (done[i] || perm[i] == i) continue;
        memcpy(tmp, &flow[i * IFFNET_TRACE_NRULES], row);
        while (perm[j] != i) {
            memcpy(&flow[j * IFFNET_TRACE_NRULES], &flow[perm[j] * IFFNET_TRACE_NRULES], row);
            done[j] = 1;
            j = perm[j];
        }
        memcpy(&flow[j * IFFNET_TRACE_NRULES], tmp, row);
        done[j] = 1;
    }
}

/* Held amounts, totals, accounts in ascending order, and the inflow index. */
static int finish(eng_t *e)
{
    iffnet_trace_t *tr = e->tr;
    int64_t n = tr->n_touched, pos = 0, *perm = malloc((size_t)n * sizeof *perm + 1);
    uint8_t *done = calloc((size_t)n + 1, 1);
    if (!perm || !done) {
        free(perm); free(done);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for trace results");
    }
    memcpy(tr->final_balance, e->x.bal, (size_t)tr->c->n_accounts * sizeof *tr->final_balance);
    if (e->x.n_seed_tx) {
        if (!(tr->seed_tx_sorted = malloc((size_t)e->x.n_seed_tx * sizeof *tr->seed_tx_sorted))) {
            free(perm); free(done);
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for trace results");
        }
        memcpy(tr->seed_tx_sorted, e->x.seed_tx_sorted, (size_t)e->x.n_seed_tx * sizeof *tr->seed_tx_sorted);
    }
    if (!tr->opts.backward)
        for (int64_t a = 0; a < tr->c->n_accounts; a++)
            tr->hop[a] = e->x.hop[a] == TRACE_UNREACHED ? -1 : e->x.hop[a];
    /* slots in the order of the accounts they hold */
    for (int64_t a = 0; a < tr->c->n_accounts; a++)
        if (tr->slot[a] >= 0) perm[pos++] = tr->slot[a];
    permute_rows(tr->flow, perm, n, done);
    free(done);
    free(perm);
    for (int64_t a = 0, i = 0; a < tr->c->n_accounts; a++) {
        if (tr->slot[a] < 0) continue;
        tr->touched[i] = a;
        tr->slot[a] = i;
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
            iffnet_money_t h;
            if (!(e->rules & (1u << r))) continue;
            h = r == IFFNET_TRACE_POISON ? (e->poisoned[a] ? e->x.bal[a] : 0) : e->taint[r][a];
            tr->flow[i * IFFNET_TRACE_NRULES + r].held = h;
            if (iffnet_i_money_add(&tr->total_held[r], h)) return iffnet_i_money_overflow("trace: money held at the end");
        }
        i++;
    }
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        int64_t *off, *idx;
        if (!(e->rules & (1u << r))) continue;
        off = tr->in_off[r] = calloc((size_t)n + 2, sizeof *off);
        idx = tr->in_idx[r] = malloc((size_t)tr->n_txflow[r] * sizeof *idx + 1);
        if (!off || !idx) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for trace paths");
        for (int64_t k = 0; k < tr->n_txflow[r]; k++) {
            int64_t s = tr->slot[tr->c->tx_dst[tr->txflow[r][k].tx]];
            if (s >= 0 && tr->txflow[r][k].exit == IFFNET_EXIT_NONE) off[s + 2]++;
        }
        for (int64_t s = 0; s < n; s++) off[s + 2] += off[s + 1];
        for (int64_t k = 0; k < tr->n_txflow[r]; k++) {
            int64_t s = tr->slot[tr->c->tx_dst[tr->txflow[r][k].tx]];
            if (s >= 0 && tr->txflow[r][k].exit == IFFNET_EXIT_NONE) idx[off[s + 1]++] = k;
        }
        if (!(tr->in_best[r] = malloc((size_t)off[n] * sizeof *tr->in_best[r] + 1)))
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for trace paths");
        for (int64_t s = 0; s < n; s++)
            for (int64_t k = off[s]; k < off[s + 1]; k++) {
                int64_t prev = k > off[s] ? tr->in_best[r][k - 1] : -1;
                /* the largest so far; of equal ones the latest */
                tr->in_best[r][k] = prev >= 0 && tr->txflow[r][prev].amount > tr->txflow[r][idx[k]].amount ? prev : idx[k];
            }
    }
    return IFFNET_OK;
}

static int check_opts(const iffnet_case_t *c, const iffnet_trace_opts_t *o)
{
    if (o->n_seed_accounts + o->n_seed_tx == 0)
        return iffnet_i_seterr(IFFNET_EINVAL, "a trace needs at least one source account or transaction");
    if (o->backward && o->n_seed_accounts == 0)
        return iffnet_i_seterr(IFFNET_EINVAL, "a backward trace starts from accounts");
    for (int64_t i = 0; i < o->n_seed_accounts; i++)
        if (o->seed_accounts[i] < 0 || o->seed_accounts[i] >= c->n_accounts)
            return iffnet_i_seterr(IFFNET_EINVAL, "account index %lld is out of range", (long long)o->seed_accounts[i]);
    for (int64_t i = 0; i < o->n_seed_tx; i++)
        if (o->seed_tx[i] < 0 || o->seed_tx[i] >= c->n_tx)
            return iffnet_i_seterr(IFFNET_EINVAL, "transaction index %lld is out of range", (long long)o->seed_tx[i]);
    if (o->amount < 0 || o->max_hops < 0 || o->max_steps < 0 || o->lp_max_steps < 0 || !(o->rules & IFFNET_TRACE_ALL_RULES))
        return iffnet_i_seterr(IFFNET_EINVAL, "bad trace options");
    return IFFNET_OK;
}

int iffnet_trace_run(iffnet_trace_t *tr, const iffnet_case_t *c, const iffnet_trace_opts_t *o)
{
    eng_t e;
    int err;
    memset(tr, 0, sizeof *tr);
    memset(&e, 0, sizeof e);
    if ((err = check_opts(c, o))) return err;
    tr->c = c;
    tr->opts = *o;
    tr->n_accounts = c->n_accounts;
    tr->mixed_currencies = iffnet_case_mixed_currencies(c);
    tr->currency = iffnet_case_value_currency(c);
    e.tr = tr;
    e.max_steps = o->max_steps > 0 ? o->max_steps : IFFNET_TRACE_MAX_STEPS;
    e.rules = o->rules & IFFNET_TRACE_ALL_RULES;
    if (o->backward) e.rules &= ~(1u << IFFNET_TRACE_POISON); /* poison cannot attribute origins */
    tr->opts.rules = e.rules;
    if ((err = iffnet_i_trace_ctx_init(&e.x, c, &tr->opts))) goto out;
    tr->n_tx_window = e.x.hi - e.x.lo;
    if ((err = eng_alloc(&e, tr))) goto out;
    if (o->backward && (err = backward_set(&e))) goto out;
    if ((err = replay(&e))) goto out;
    free_queues(&e);
    err = finish(&e);
out:
    eng_free(&e);
    if (err) iffnet_trace_destroy(tr);
    return err;
}

void iffnet_trace_destroy(iffnet_trace_t *tr)
{
    free(tr->touched); free(tr->flow); free(tr->slot);
    free(tr->unexplained); free(tr->final_balance); free(tr->hop); free(tr->is_seed);
    free(tr->origin_account); free(tr->origin_amount); free(tr->seed_tx_sorted);
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        free(tr->txflow[r]); free(tr->in_off[r]); free(tr->in_idx[r]); free(tr->in_best[r]);
    }
    for (int64_t i = 0; i < tr->n_notes; i++) free(tr->notes[i]);
    free(tr->notes);
    memset(tr, 0, sizeof *tr);
}

iffnet_trace_flow_t iffnet_trace_account(const iffnet_trace_t *tr, int64_t a, iffnet_trace_rule_t r)
{
    iffnet_trace_flow_t z = { 0, 0, 0, 0 };
    if (a < 0 || a >= tr->n_accounts || r < 0 || r >= IFFNET_TRACE_NRULES || tr->slot[a] < 0) return z;
    return tr->flow[tr->slot[a] * IFFNET_TRACE_NRULES + r];
}

iffnet_exit_kind_t iffnet_trace_exit_kind(const iffnet_case_t *c, int64_t t)
{
    iffnet_trace_opts_t o;
    iffnet_i_trace_ctx_t x;
    iffnet_i_trace_step_t s;
    iffnet_exit_kind_t k;
    iffnet_trace_opts_default(&o);
    if (iffnet_i_trace_ctx_init(&x, c, &o)) return IFFNET_EXIT_NONE;
    iffnet_i_trace_ctx_step(&x, t, &s);
    k = (iffnet_exit_kind_t)s.exit;
    iffnet_i_trace_ctx_destroy(&x);
    return k;
}

/* Is t a seed transaction? (binary search in the sorted copy) */
static int is_seed_tx(const iffnet_trace_t *tr, int64_t t)
{
    int64_t n = tr->seed_tx_sorted ? tr->opts.n_seed_tx : 0, lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (tr->seed_tx_sorted[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo < n && tr->seed_tx_sorted[lo] == t;
}

/* The largest tainted inflow of slot s under rule r before transaction `bound`
 * (an index into txflow), or -1: the inflows are in time order, so a binary
 * search finds the last one before it, and in_best holds the largest up to there. */
static int64_t best_inflow(const iffnet_trace_t *tr, int r, int64_t s, int64_t bound)
{
    int64_t lo = tr->in_off[r][s], hi = tr->in_off[r][s + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (tr->txflow[r][tr->in_idx[r][mid]].tx < bound) lo = mid + 1; else hi = mid;
    }
    return lo > tr->in_off[r][s] ? tr->in_best[r][lo - 1] : -1;
}

int iffnet_trace_path(const iffnet_trace_t *tr, int64_t a, iffnet_trace_rule_t r, int64_t max_len,
                      int64_t **txs, int64_t *n, int *complete)
{
    int64_t cap = 0, bound = INT64_MAX, len = 0, *p = NULL;
    *txs = NULL;
    *n = 0;
    *complete = 1;
    if (r < 0 || r >= IFFNET_TRACE_NRULES || !tr->in_off[r])
        return iffnet_i_seterr(IFFNET_EINVAL, "rule %d was not traced", (int)r);
    while (a >= 0 && tr->slot[a] >= 0 && !tr->is_seed[a]) {
        int64_t best = best_inflow(tr, r, tr->slot[a], bound);
        if (best < 0) break;
        if (max_len > 0 && len == max_len) { *complete = 0; break; }
        if (iffnet_i_reserve((void **)&p, &cap, len + 1, sizeof *p)) { free(p); return IFFNET_ENOMEM; }
        p[len++] = tr->txflow[r][best].tx;
        bound = tr->txflow[r][best].tx;
        if (is_seed_tx(tr, bound)) break;
        a = tr->c->tx_src[bound];
    }
    for (int64_t i = 0; i < len / 2; i++) { int64_t t = p[i]; p[i] = p[len - 1 - i]; p[len - 1 - i] = t; }
    *txs = p;
    *n = len;
    return IFFNET_OK;
}
