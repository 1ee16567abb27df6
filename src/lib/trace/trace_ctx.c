/* trace_ctx.c: the rule-independent part of a trace replay: window, ledger
 * balances, seeded money, exits and hop counts. The rule engine (trace.c) and the
 * LP bounds (trace_lp.c) both walk the transactions through this code, so the LP
 * constrains exactly the ledgers the rules work on. */
#include <strings.h>
#include "trace_internal.h"

/* First transaction with time >= t (transactions are sorted by time). */
static int64_t first_at_or_after(const iffnet_case_t *c, iffnet_time_t t)
{
    int64_t lo = 0, hi = c->n_tx;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (c->tx_time[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static void window(iffnet_i_trace_ctx_t *x)
{
    const iffnet_case_t *c = x->c;
    x->lo = x->o->since == INT64_MIN ? 0 : first_at_or_after(c, x->o->since);
    x->hi = x->o->until == INT64_MAX ? c->n_tx : first_at_or_after(c, x->o->until + 1);
    if (x->hi < x->lo) x->hi = x->lo;
}

/* 1 when the entity's attribute `external` says it is outside the case. */
static int marked_external(const iffnet_case_t *c, int64_t e)
{
    const char *v = e >= 0 ? iffnet_case_entity_attr(c, e, "external") : "";
    return strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

/* Where money leaves the case (iffnet-trace(1), Leaving the case): the pseudo-
 * account CASH; an account whose own entity or holder is marked external; and an
 * account the data does not cover: no KYC profile while the case profiles its
 * other accounts, and no payment of its own anywhere in the case (money paid to
 * it cannot be followed: we never see its ledger). An unprofiled account that
 * does pay on is followed; a case with no profiles at all marks nobody. */
static void classify_accounts(iffnet_i_trace_ctx_t *x)
{
    const iffnet_case_t *c = x->c;
    int profiled = 0;
    for (int64_t a = 0; a < c->n_accounts && !profiled; a++)
        profiled = iffnet_case_account_profile(c, a) >= 0;
    for (int64_t a = 0; a < c->n_accounts; a++) x->acct_exit[a] = 0; /* here: 1 = pays someone in the case */
    for (int64_t t = 0; t < c->n_tx; t++)
        if (c->tx_src[t] != c->tx_dst[t]) x->acct_exit[c->tx_src[t]] = 1;
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int pays = x->acct_exit[a];
        x->country[a] = iffnet_case_account_country(c, a);
        if (strcmp(iffnet_case_account_id(c, a), "CASH") == 0) x->acct_exit[a] = IFFNET_EXIT_CASH;
        else if (marked_external(c, c->account_entity ? c->account_entity[a] : -1) ||
                 marked_external(c, c->account_holder ? c->account_holder[a] : -1))
            x->acct_exit[a] = IFFNET_EXIT_EXTERNAL;
        else if (profiled && iffnet_case_account_profile(c, a) < 0 && !pays) x->acct_exit[a] = IFFNET_EXIT_EXTERNAL;
        else x->acct_exit[a] = (int8_t)IFFNET_EXIT_NONE;
    }
    for (int64_t k = 0; k < c->channels.n; k++)
        x->chan_cash[k] = strcasecmp(iffnet_strtab_get(&c->channels, k), "cash_withdrawal") == 0;
}

int iffnet_i_trace_ctx_init(iffnet_i_trace_ctx_t *x, const iffnet_case_t *c, const iffnet_trace_opts_t *o)
{
    int64_t n = c->n_accounts, *sorted = NULL;
    memset(x, 0, sizeof *x);
    x->c = c;
    x->o = o;
    x->bal = calloc((size_t)n + 1, sizeof *x->bal);
    x->budget = calloc((size_t)n + 1, sizeof *x->budget);
    x->hop = malloc(((size_t)n + 1) * sizeof *x->hop);
    x->seed_origin = malloc(((size_t)n + 1) * sizeof *x->seed_origin);
    x->acct_exit = malloc((size_t)n + 1);
    x->country = calloc((size_t)n + 1, sizeof *x->country);
    x->chan_cash = calloc((size_t)c->channels.n + 1, 1);
    if (o->n_seed_tx && !o->backward) sorted = malloc((size_t)o->n_seed_tx * sizeof *sorted);
    if (!x->bal || !x->budget || !x->hop || !x->seed_origin || !x->acct_exit || !x->country ||
        !x->chan_cash || (o->n_seed_tx && !o->backward && !sorted)) {
        free(sorted);
        iffnet_i_trace_ctx_destroy(x);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for a trace of %lld accounts", (long long)n);
    }
    window(x);
    classify_accounts(x);
    for (int64_t a = 0; a < n; a++) { x->hop[a] = TRACE_UNREACHED; x->seed_origin[a] = -1; }
    if (!o->backward) {
        for (int64_t i = 0; i < o->n_seed_accounts; i++) {
            int64_t a = o->seed_accounts[i];
            x->seed_origin[a] = 0; /* forward: all sources pool into one tainted part */
            x->hop[a] = 0;
            x->budget[a] = o->amount > 0 ? o->amount : -1;
        }
        if (sorted) {
            memcpy(sorted, o->seed_tx, (size_t)o->n_seed_tx * sizeof *sorted);
            qsort(sorted, (size_t)o->n_seed_tx, sizeof *sorted, iffnet_i_cmp_i64);
        }
    }
    x->seed_tx_sorted = sorted;
    x->n_seed_tx = sorted ? o->n_seed_tx : 0;
    return IFFNET_OK;
}

void iffnet_i_trace_ctx_destroy(iffnet_i_trace_ctx_t *x)
{
    free(x->bal); free(x->budget); free(x->hop); free(x->seed_origin);
    free(x->acct_exit); free(x->country); free(x->chan_cash);
    free((void *)x->seed_tx_sorted);
    memset(x, 0, sizeof *x);
}

int64_t iffnet_i_trace_seed_tx_index(const iffnet_i_trace_ctx_t *x, int64_t t)
{
    int64_t lo = 0, hi = x->n_seed_tx;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (x->seed_tx_sorted[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo < x->n_seed_tx && x->seed_tx_sorted[lo] == t ? lo : -1;
}

static int exit_of(const iffnet_i_trace_ctx_t *x, int64_t t, int64_t u, int64_t v)
{
    const iffnet_case_t *c = x->c;
    if (x->acct_exit[v] >= 0) return x->acct_exit[v];
    if (c->tx_channel && c->tx_channel[t] >= 0 && x->chan_cash[c->tx_channel[t]]) return IFFNET_EXIT_CASH;
    if (x->o->stop_abroad && x->country[u][0] && x->country[v][0] && strcmp(x->country[u], x->country[v]) != 0)
        return IFFNET_EXIT_ABROAD;
    if (x->o->max_hops > 0 && !x->o->backward && x->hop[u] != TRACE_UNREACHED && x->hop[u] >= x->o->max_hops)
        return IFFNET_EXIT_HOPS;
    return IFFNET_EXIT_NONE;
}

void iffnet_i_trace_ctx_step(iffnet_i_trace_ctx_t *x, int64_t t, iffnet_i_trace_step_t *s)
{
    const iffnet_case_t *c = x->c;
    int64_t u = c->tx_src[t], v = c->tx_dst[t];
    memset(s, 0, sizeof *s);
    s->tx = t;
    s->src = u;
    s->dst = v;
    s->amount = iffnet_case_tx_value(c, t);
    s->fresh_origin = -1;
    if (x->seed_origin[u] >= 0) {
        /* A seed account: what it sends is the proceeds, up to its budget. */
        iffnet_money_t f = x->budget[u] < 0 || x->budget[u] > s->amount ? s->amount : x->budget[u];
        if (x->budget[u] > 0) x->budget[u] -= f;
        s->fresh = f;
        s->fresh_origin = f > 0 ? x->seed_origin[u] : -1;
    } else if (x->n_seed_tx) {
        int64_t k = iffnet_i_trace_seed_tx_index(x, t);
        if (k >= 0) {
            s->fresh = x->o->amount > 0 && x->o->amount < s->amount ? x->o->amount : s->amount;
            s->fresh_origin = 0;
        }
    }
    s->take = s->amount - s->fresh < x->bal[u] ? s->amount - s->fresh : x->bal[u];
    s->unexplained = s->amount - s->fresh - s->take;
    s->exit = exit_of(x, t, u, v);
    s->reached = x->hop[u] != TRACE_UNREACHED || s->fresh > 0;
    if (s->exit == IFFNET_EXIT_NONE) {
        if (x->hop[u] != TRACE_UNREACHED && x->hop[u] + 1 < x->hop[v]) x->hop[v] = x->hop[u] + 1;
        if (s->fresh > 0 && x->hop[v] > 1) x->hop[v] = 1;
    }
}

void iffnet_i_trace_ctx_commit(iffnet_i_trace_ctx_t *x, const iffnet_i_trace_step_t *s)
{
    x->bal[s->src] -= s->take;
    x->bal[s->dst] += s->amount;
}
