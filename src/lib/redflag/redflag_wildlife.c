/* redflag_wildlife.c: wildlife-trade payment indicators.
 *
 * FinCEN's 2021 wildlife-trafficking threat analysis lists, among its indicators,
 * import-export and logistics companies, wildlife-associated entities (zoos,
 * breeders, pet stores), convergence with gold, jewellery and precious metals, and
 * overt or covert references to wildlife in transactions; FATF (2020) adds round,
 * unexplained payments to such traders. No single one suffices (FATF): a listed
 * sector paying round amounts, or a zoo paying a vet, is also how the legal
 * wildlife and logistics trade looks (FinCEN 2021 notes that financial data
 * alone rarely separates legal from illegal trade).
 *
 * Each payment is looked at from its trader: the account in a listed sector (the
 * payee when both are), or, for a payment naming wildlife between accounts of no
 * listed sector, its payee. Its indicators are a round amount, a covert word and
 * an overt word in the reference. What routine and the case's own base rate
 * explain: round amounts are a trader's habit, so their chance is the trader's
 * own share of round payments; words naming wildlife are not, so theirs is the
 * share among the payments of listed-sector traders (or of all accounts, for the
 * others). A payment with indicators I is as extreme as another with at least
 * those, chance the product of the shares. With q_j the
 * chance of a trader's j-th strongest payment and n its payments, E = the sum over
 * the traders of the case of PoissonTail(n' q_j, j), the least over j, times the
 * payments it was chosen from. Traders whose strongest payments share a buyer
 * or supplier are one buyer-supplier network and one alert, with the E of the
 * strongest. A pet shop paid round amounts for puppies is its
 * trade; a freight forwarder paid round sums for "scales 20kg" is not. */
#include <math.h>
#include <strings.h>
#include "redflag_internal.h"

enum { WT_ROUND = 1, WT_COVERT = 2, WT_OVERT = 4 };

typedef struct { int64_t focus, tx, kw; double q; unsigned ind; } wt_hit_t;

static int cmp_hit(const void *a, const void *b)
{
    const wt_hit_t *x = a, *y = b;
    if (x->focus != y->focus) return x->focus < y->focus ? -1 : 1;
    if (x->q != y->q) return x->q < y->q ? -1 : 1;
    return (x->tx > y->tx) - (x->tx < y->tx);
}

/* Traders of one stratum (listed sector or not), compressed to (payments, how many traders). */
typedef struct { int64_t n; int64_t *count, *traders; } wt_units_t;

static double units_expect(const wt_units_t *u, double q, int64_t j)
{
    double e = 0;
    for (int64_t i = 0; i < u->n; i++) e += (double)u->traders[i] * iffnet_i_rf_poisson_tail((double)u->count[i] * q, j);
    return e;
}

static int units_build(const int64_t *per_focus, int64_t n_acc, const unsigned char *in_stratum, int want,
                       wt_units_t *u)
{
    int64_t *v = malloc((size_t)(n_acc + 1) * sizeof *v), m = 0;
    if (!v) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t a = 0; a < n_acc; a++)
        if (per_focus[a] > 0 && in_stratum[a] == want) v[m++] = per_focus[a];
    iffnet_i_sort(v, (size_t)m, sizeof *v, iffnet_i_cmp_i64);
    u->count = malloc((size_t)(m + 1) * sizeof *u->count);
    u->traders = malloc((size_t)(m + 1) * sizeof *u->traders);
    if (!u->count || !u->traders) { free(v); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); }
    u->n = 0;
    for (int64_t i = 0, j; i < m; i = j) {
        for (j = i; j < m && v[j] == v[i]; j++) {}
        u->count[u->n] = v[i];
        u->traders[u->n++] = j - i;
    }
    free(v);
    return IFFNET_OK;
}

/* The strongest payments of one trader (h[0..n) sorted by chance): E and how
 * many. */
static double wt_score(const wt_hit_t *h, int64_t n, const wt_units_t *units, int64_t *j)
{
    double *e_of = malloc((size_t)(n + 1) * sizeof *e_of);
    if (!e_of) { *j = 0; return INFINITY; }
    for (int64_t k = 1; k <= n; k++) e_of[k - 1] = units_expect(units, h[k - 1].q, k);
    double e = iffnet_i_rf_best_of(e_of, n, j);
    free(e_of);
    return e;
}

/* One trader's finding: its strongest j payments h[0..j). */
typedef struct {
    const wt_hit_t *h;
    int64_t j, n_payments, group;
    double e, round_share;
    int listed;
} wt_find_t;

static int cmp_find(const void *a, const void *b)
{
    const wt_find_t *x = a, *y = b;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    if (x->e != y->e) return x->e < y->e ? -1 : 1;
    return (x->h[0].focus > y->h[0].focus) - (x->h[0].focus < y->h[0].focus);
}

/* One alert for the traders f[0..n) of one buyer-supplier network (the
 * strongest first): their payments, E of the strongest. */
static int wt_emit(const iffnet_i_rf_env_t *env, const iffnet_indicators_t *ind, const wt_find_t *f, int64_t n,
                   iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    iffnet_i_vec_t tx = { 0 }, acc = { 0 };
    int err = IFFNET_OK, n_round = 0, n_kw = 0;
    int64_t n_pay = 0;
    iffnet_money_t sum = 0;
    char words[256] = "", traders[256] = "";
    size_t wl = 0, tl = 0;
    for (int64_t m = 0; m < n && !err; m++) {
        const char *tid = iffnet_case_account_id(c, f[m].h[0].focus);
        if (tl + strlen(tid) + 8 < sizeof traders)
            tl += (size_t)snprintf(traders + tl, sizeof traders - tl, "%s%s", tl ? ", " : "", tid);
        for (int64_t i = 0; i < f[m].j && !err; i++) {
            const wt_hit_t *h = &f[m].h[i];
            int64_t t = h->tx;
            n_pay++;
            n_round += (h->ind & WT_ROUND) != 0;
            /* Checked: a payment between two traders is counted for each. */
            if (iffnet_i_money_add(&sum, iffnet_case_tx_value(c, t))) {
                err = iffnet_i_money_overflow("wildlife_trade: the traders' payments");
                break;
            }
            if (h->kw >= 0) {
                n_kw++;
                const iffnet_keyword_ind_t *k = &ind->keywords[h->kw];
                char item[96];
                snprintf(item, sizeof item, "'%s' (%s, %s)", k->word, k->covert ? "covert" : "overt", k->language);
                if (!strstr(words, item) && wl + strlen(item) + 3 < sizeof words)
                    wl += (size_t)snprintf(words + wl, sizeof words - wl, "%s%s", wl ? ", " : "", item);
            }
            if (!(err = iffnet_i_vec_push(&tx, t)) && !(err = iffnet_i_vec_push(&acc, c->tx_src[t])))
                err = iffnet_i_vec_push(&acc, c->tx_dst[t]);
        }
    }
    if (err) goto out;
    iffnet_alert_t *a = NULL;
    int64_t fa = f[0].h[0].focus;
    const char *sector = iffnet_case_account_sector(c, fa);
    char m[48];
    if ((err = iffnet_alert_list_add(out, IFFNET_TYP_WILDLIFE_TRADE, 0, acc.v, acc.n, tx.v, tx.n, &a))) goto out;
    iffnet_i_rf_set_moved(a, sum);
    err = iffnet_alert_add_reason(a, "%lld payment(s) of %s to or from %s%s carry wildlife-trade indicators; the "
                                  "strongest trader %s%s%s%s", (long long)n_pay,
                                  iffnet_i_rf_money_str(env, m, sizeof m, sum), n > 1 ? "the traders " : "", traders,
                                  iffnet_case_account_id(c, fa), *sector ? " (sector " : "", sector,
                                  *sector ? (f[0].listed ? ", a listed wildlife-associated or logistics sector)" : ")")
                                          : "");
    if (!err && n_round)
        err = iffnet_alert_add_reason(a, "%d are round amounts (%.0f%% of the strongest trader's payments are)", n_round,
                                      100.0 * f[0].round_share);
    if (!err && n_kw)
        err = iffnet_alert_add_reason(a, "%d reference(s) name wildlife: %s", n_kw, words);
    if (!err)
        err = iffnet_i_rf_expect(a, f[0].e, "the strongest trader's %s payment carries indicators with chance %.2g "
                                 "(round amounts at the trader's own rate, words naming wildlife at the rate accounts "
                                 "outside the listed sectors use them); %lld of its %lld payment(s), against every "
                                 "%strader of the case", f[0].j > 1 ? "weakest chosen" : "strongest",
                                 f[0].h[f[0].j - 1].q, (long long)f[0].j, (long long)f[0].n_payments,
                                 f[0].listed ? "listed-sector " : "");
out:
    iffnet_i_vec_free(&tx);
    iffnet_i_vec_free(&acc);
    return err;
}

int iffnet_redflag_wildlife_trade(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    iffnet_indicators_t ind;
    unsigned char *listed = NULL, *ind_of = NULL, *has_kw = NULL;
    iffnet_money_t *units_round = NULL;
    int64_t *kw_of = NULL, *per_focus = NULL, *round_of = NULL, *kw_own = NULL;
    wt_hit_t *hit = NULL;
    wt_find_t *find = NULL;
    iffnet_i_uf_t uf = { 0 };
    wt_units_t units[2] = { { 0 }, { 0 } };
    int64_t n = 0, cap = 0, unit;
    double max_expected;
    int err, have_ind = 0;
    iffnet_i_rf_env(&env, ctx);
    if ((err = iffnet_i_setting_int(ctx->cfg, "wildlife_trade", "round_unit", 100, 1, 1000000000, &unit)) ||
        (err = iffnet_i_rf_max_expected(ctx, &max_expected)))
        return err;
    if ((err = iffnet_i_rf_indicators(ctx, &ind))) return err;
    have_ind = 1;
    int64_t A = c->n_accounts, T = c->n_tx;
    listed = malloc((size_t)A + 1);
    per_focus = calloc((size_t)A + 1, sizeof *per_focus);
    round_of = calloc((size_t)A + 1, sizeof *round_of);
    has_kw = calloc((size_t)A + 1, 1);
    kw_own = calloc((size_t)(2 * A + 2), sizeof *kw_own);
    ind_of = malloc((size_t)T + 1);
    kw_of = malloc((size_t)(T + 1) * sizeof *kw_of);
    if (!listed || !per_focus || !round_of || !kw_own || !has_kw || !ind_of || !kw_of) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    if ((err = iffnet_i_rf_round_units(c, unit, &units_round))) goto out;
    for (int64_t a = 0; a < A; a++)
        listed[a] = (unsigned char)iffnet_indicators_sector_listed(&ind, iffnet_case_account_sector(c, a));
    /* Indicators of every payment, and the base rates of each stratum. */
    int64_t n_str[2] = { 0 }, n_k[2][3] = { { 0 } };
    for (int64_t t = 0; t < T; t++) {
        int64_t u = c->tx_src[t], v = c->tx_dst[t];
        int64_t kw = c->tx_reference && c->tx_reference[t] >= 0
                         ? iffnet_indicators_match(&ind, iffnet_case_text(c, c->tx_reference[t])) : -1;
        unsigned f = iffnet_i_rf_is_round(c, t, units_round) ? WT_ROUND : 0;
        if (kw >= 0) f |= ind.keywords[kw].covert ? WT_COVERT : WT_OVERT;
        ind_of[t] = (unsigned char)f;
        kw_of[t] = kw;
        int s = listed[u] || listed[v];
        /* The trader a payment is looked at from. */
        int64_t focus = listed[v] ? v : listed[u] ? u : v;
        n_str[s]++;
        per_focus[focus]++;
        round_of[focus] += (f & WT_ROUND) != 0;
        if (!s && kw >= 0) kw_own[2 * focus + (ind.keywords[kw].covert ? 0 : 1)]++;
        if (kw >= 0) has_kw[focus] = 1;
        for (int k = 0; k < 3; k++) n_k[s][k] += (f >> k) & 1;
    }
    /* Words naming wildlife turn up by chance at the rate the accounts outside
     * the listed sectors use them (for a trader outside them, without its own
     * payments); round amounts at the trader's own rate (below). */
    double pi[2][3];
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < 3; k++) pi[s][k] = ((double)n_k[0][k] + 1.0) / ((double)n_str[0] + 2.0);
    for (int64_t t = 0; t < T; t++) {
        int64_t u = c->tx_src[t], v = c->tx_dst[t];
        int s = listed[u] || listed[v];
        unsigned f = ind_of[t];
        /* A trader's payments count when they touch a listed sector; elsewhere
         * only those that name wildlife. A payment with no indicator shows
         * nothing, and a trader none of whose payments names wildlife shows its
         * own habit of round amounts only. */
        int64_t focus = listed[v] ? v : listed[u] ? u : v;
        if (!f || (!s && kw_of[t] < 0) || !has_kw[focus]) continue;
        /* Round amounts are a trader's habit: its own share (one pseudo-payment
         * at the stratum's). Words naming wildlife are not: the stratum's share. */
        double q = 1.0;
        if (f & WT_ROUND) q *= ((double)round_of[focus] + pi[s][0]) / ((double)per_focus[focus] + 1.0);
        for (int k = 1; k < 3; k++)
            if ((f >> k) & 1)
                q *= s ? pi[s][k]
                       : fmax(0.0, (double)(n_k[0][k] - kw_own[2 * focus + k - 1]) + 1.0) /
                         ((double)(n_str[0] - per_focus[focus]) + 2.0);
        if ((err = iffnet_i_reserve((void **)&hit, &cap, n + 1, sizeof *hit))) goto out;
        hit[n++] = (wt_hit_t){ focus, t, kw_of[t], q, f };
    }
    /* Traders of each stratum; a trader outside the listed sectors is one whose
     * payments named wildlife. */
    unsigned char *stratum = listed;
    if ((err = units_build(per_focus, A, stratum, 1, &units[1])) || (err = units_build(per_focus, A, stratum, 0, &units[0])))
        goto out;
    iffnet_i_sort(hit, (size_t)n, sizeof *hit, cmp_hit);
    /* Each trader's strongest payments; traders that share a counterparty in
     * them are one buyer-supplier network, one alert. */
    int64_t n_find = 0;
    if (!(find = malloc((size_t)(n + 1) * sizeof *find)) || (err = iffnet_i_uf_init(&uf, A))) {
        err = err ? err : iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && hit[j].focus == hit[i].focus; j++) {}
        int64_t f = hit[i].focus, k = 0, n_units = 0;
        int s = listed[f];
        double e = wt_score(hit + i, j - i, &units[s], &k);
        for (int64_t q = 0; q < units[s].n; q++) n_units += units[s].traders[q];
        if (k == 0 || !iffnet_i_rf_written(e, e, (double)n_units, max_expected)) continue;
        find[n_find++] = (wt_find_t){ hit + i, k, per_focus[f], -1, e,
                                      per_focus[f] > 0 ? (double)round_of[f] / (double)per_focus[f] : 0.0, s };
        /* Only findings of the default list join into networks: chance explains
         * the others, and they would join everything. */
        for (int64_t q = i; e < 1.0 && q < i + k; q++) iffnet_i_uf_union(&uf, c->tx_src[hit[q].tx], c->tx_dst[hit[q].tx]);
    }
    for (int64_t i = 0; i < n_find; i++)
        find[i].group = find[i].e < 1.0 ? iffnet_i_uf_find(&uf, find[i].h[0].focus) : A + find[i].h[0].focus;
    iffnet_i_sort(find, (size_t)n_find, sizeof *find, cmp_find);
    for (int64_t i = 0, j; i < n_find; i = j) {
        for (j = i; j < n_find && find[j].group == find[i].group; j++) {}
        if ((err = wt_emit(&env, &ind, find + i, j - i, out))) goto out;
    }
out:
    free(listed);
    free(ind_of);
    free(kw_of);
    free(per_focus);
    free(round_of);
    free(kw_own);
    free(has_kw);
    free(units_round);
    free(hit);
    free(find);
    iffnet_i_uf_destroy(&uf);
    for (int s = 0; s < 2; s++) { free(units[s].count); free(units[s].traders); }
    if (have_ind) iffnet_indicators_destroy(&ind);
    return err;
}
