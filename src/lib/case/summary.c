/* summary.c: counts, totals, degrees, components and top accounts of a case. */
#include "case_internal.h"
#include "iffnet/summary.h"

/* Weakly connected components by union-find: no graph needs to be built. */
static int components(const iffnet_case_t *c, const int64_t *deg, iffnet_summary_t *s)
{
    int64_t n = c->n_accounts;
    iffnet_i_uf_t uf;
    IFFNET_TRY(iffnet_i_uf_init(&uf, n));
    int64_t *size = calloc((size_t)(n ? n : 1), sizeof *size);
    if (!size) {
        iffnet_i_uf_destroy(&uf);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t t = 0; t < c->n_tx; t++) iffnet_i_uf_union(&uf, c->tx_src[t], c->tx_dst[t]);
    for (int64_t a = 0; a < n; a++) size[iffnet_i_uf_find(&uf, a)]++;
    for (int64_t a = 0; a < n; a++) {
        if (!deg[a] || iffnet_i_uf_find(&uf, a) != a) continue;
        s->n_components++;
        if (size[a] > s->largest_component) s->largest_component = size[a];
    }
    iffnet_i_uf_destroy(&uf);
    free(size);
    return IFFNET_OK;
}

static int cmp_volume(const void *pa, const void *pb)
{
    const iffnet_account_volume_t *a = pa, *b = pb;
    if (a->value != b->value) return a->value > b->value ? -1 : 1;
    return (a->account > b->account) - (a->account < b->account);
}

static int cmp_count(const void *pa, const void *pb)
{
    const iffnet_account_volume_t *a = pa, *b = pb;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return (a->account > b->account) - (a->account < b->account);
}

/* Ranks by value; by transaction count when the case mixes currencies without
 * rates (values in different currencies cannot be compared). */
static int top_accounts(const iffnet_case_t *c, const iffnet_money_t *value, const int64_t *count,
                        int64_t top, iffnet_account_volume_t **out)
{
    int64_t n = c->n_accounts;
    iffnet_account_volume_t *all = malloc((size_t)(n ? n : 1) * sizeof *all);
    if (!all) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t a = 0; a < n; a++) {
        all[a].account = a;
        all[a].value = value[a];
        all[a].count = count[a];
    }
    qsort(all, (size_t)n, sizeof *all, iffnet_case_mixed_currencies(c) ? cmp_count : cmp_volume);
    *out = all; /* the caller reads the first n_top entries */
    (void)top;
    return IFFNET_OK;
}

static int degree_stats(const iffnet_case_t *c, const int64_t *indeg, const int64_t *outdeg, iffnet_summary_t *s)
{
    int64_t *deg = malloc((size_t)(c->n_accounts ? c->n_accounts : 1) * sizeof *deg);
    if (!deg) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    int64_t k = 0;
    for (int64_t a = 0; a < c->n_accounts; a++) {
        if (indeg[a] > s->max_in_degree) s->max_in_degree = indeg[a];
        if (outdeg[a] > s->max_out_degree) s->max_out_degree = outdeg[a];
        if (indeg[a] + outdeg[a]) deg[k++] = indeg[a] + outdeg[a];
    }
    s->active_accounts = k;
    s->mean_degree = k ? 2.0 * (double)c->n_tx / (double)k : 0;
    qsort(deg, (size_t)k, sizeof *deg, iffnet_i_cmp_i64);
    s->median_degree = k ? deg[k / 2] : 0;
    free(deg);
    return IFFNET_OK;
}

int iffnet_case_summarize(const iffnet_case_t *c, int64_t top, iffnet_summary_t *s)
{
    memset(s, 0, sizeof *s);
    int64_t n = c->n_accounts ? c->n_accounts : 1;
    int64_t *indeg = calloc((size_t)n, sizeof *indeg), *outdeg = calloc((size_t)n, sizeof *outdeg);
    int64_t *alldeg = calloc((size_t)n, sizeof *alldeg);
    iffnet_money_t *inval = calloc((size_t)n, sizeof *inval), *outval = calloc((size_t)n, sizeof *outval);
    s->n_currencies = c->currencies.n;
    s->currency_total = calloc((size_t)(s->n_currencies + 1), sizeof *s->currency_total);
    s->currency_count = calloc((size_t)(s->n_currencies + 1), sizeof *s->currency_count);
    s->n_channels = c->channels.n + 1;
    s->channel_count = calloc((size_t)s->n_channels, sizeof *s->channel_count);
    s->channel_value = calloc((size_t)s->n_channels, sizeof *s->channel_value);
    int err = IFFNET_OK;
    if (!indeg || !outdeg || !alldeg || !inval || !outval || !s->currency_total || !s->currency_count ||
        !s->channel_count || !s->channel_value) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    if (c->n_tx) {
        s->first = c->tx_time[0];
        s->last = c->tx_time[c->n_tx - 1];
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        int32_t a = c->tx_src[t], b = c->tx_dst[t];
        iffnet_money_t v = iffnet_case_tx_value(c, t);
        outdeg[a]++;
        indeg[b]++;
        int64_t ch = c->tx_channel[t] >= 0 ? c->tx_channel[t] : s->n_channels - 1;
        if (iffnet_i_money_add(&outval[a], v) || iffnet_i_money_add(&inval[b], v) ||
            iffnet_i_money_add(&s->currency_total[c->tx_currency[t]], c->tx_amount[t]) ||
            iffnet_i_money_add(&s->channel_value[ch], v)) {
            err = iffnet_i_money_overflow("case summary");
            goto out;
        }
        s->self_transfers += a == b;
        s->currency_count[c->tx_currency[t]]++;
        s->channel_count[ch]++;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) alldeg[a] = indeg[a] + outdeg[a];
    if ((err = degree_stats(c, indeg, outdeg, s))) goto out;
    if ((err = components(c, alldeg, s))) goto out;
    s->n_top = top < s->active_accounts ? top : s->active_accounts;
    if ((err = top_accounts(c, inval, indeg, top, &s->top_in))) goto out;
    err = top_accounts(c, outval, outdeg, top, &s->top_out);
out:
    free(indeg);
    free(outdeg);
    free(alldeg);
    free(inval);
    free(outval);
    if (err) iffnet_summary_destroy(s);
    return err;
}

void iffnet_summary_destroy(iffnet_summary_t *s)
{
    free(s->currency_total);
    free(s->currency_count);
    free(s->channel_count);
    free(s->channel_value);
    free(s->top_in);
    free(s->top_out);
    memset(s, 0, sizeof *s);
}
