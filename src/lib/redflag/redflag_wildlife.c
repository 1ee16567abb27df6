/* redflag_wildlife.c: wildlife-trade payment indicators and payments to PEPs.
 *
 * FinCEN's 2021 wildlife-trafficking threat analysis lists, among its indicators,
 * import-export and logistics companies, wildlife-associated entities (zoos,
 * breeders, pet stores), convergence with gold, jewellery and precious metals, and
 * overt or covert references to wildlife in transactions; FATF (2020) adds round,
 * unexplained payments to such traders. No single one suffices (FATF), so a payment
 * counts when its indicator points reach wildlife_trade.min_indicators (default 3).
 * Points: listed sector 1, round amount 1, covert word 1, overt word
 * wildlife_trade.overt_points (2). Two points are not enough by default because a
 * listed sector paying round amounts, or a zoo paying a vet, is also how the
 * legal wildlife and logistics trade looks (FinCEN 2021 notes that financial data
 * alone rarely separates legal from illegal trade). Flagged payments that share an
 * account form one alert: the buyer-supplier network. */
#include <math.h>
#include <strings.h>
#include "redflag_internal.h"

typedef struct { int64_t group, focus, tx; int points, sector, round; int64_t kw; } wt_hit_t;

static int cmp_hit(const void *a, const void *b)
{
    const wt_hit_t *x = a, *y = b;
    if (x->group != y->group) return x->group < y->group ? -1 : 1;
    return (x->tx > y->tx) - (x->tx < y->tx);
}

static int wt_emit(const iffnet_i_rf_env_t *env, const iffnet_indicators_t *ind, const wt_hit_t *h,
                   int64_t n, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    iffnet_i_vec_t tx = { 0 }, acc = { 0 };
    int err = IFFNET_OK, points = 0, n_sector = 0, n_round = 0, n_kw = 0;
    iffnet_money_t sum = 0;
    char words[256] = "";
    size_t wl = 0;
    for (int64_t i = 0; i < n && !err; i++) {
        int64_t t = h[i].tx;
        points += h[i].points;
        n_sector += h[i].sector;
        n_round += h[i].round;
        sum += iffnet_case_tx_value(c, t);
        if (h[i].kw >= 0) {
            n_kw++;
            const iffnet_keyword_ind_t *k = &ind->keywords[h[i].kw];
            char item[96];
            snprintf(item, sizeof item, "'%s' (%s, %s)", k->word, k->covert ? "covert" : "overt", k->language);
            if (!strstr(words, item) && wl + strlen(item) + 3 < sizeof words)
                wl += (size_t)snprintf(words + wl, sizeof words - wl, "%s%s", wl ? ", " : "", item);
        }
        if (!(err = iffnet_i_vec_push(&tx, t)) && !(err = iffnet_i_vec_push(&acc, c->tx_src[t])))
            err = iffnet_i_vec_push(&acc, c->tx_dst[t]);
    }
    if (err) goto out;
    iffnet_alert_t *a = NULL;
    int64_t f = h[0].focus;
    const char *sector = iffnet_case_account_sector(c, f);
    char m[48];
    if ((err = iffnet_alert_list_add(out, IFFNET_TYP_WILDLIFE_TRADE, 1.0 - exp(-(double)points / 4.0),
                                     acc.v, acc.n, tx.v, tx.n, &a)))
        goto out;
    err = iffnet_alert_add_reason(a, "%lld payment(s) of %s among %lld accounts, e.g. to or from %s%s%s%s, carry "
                                  "wildlife-trade indicators (%d indicator points)", (long long)n,
                                  iffnet_i_rf_money_str(env, m, sizeof m, sum), (long long)a->n_accounts,
                                  iffnet_case_account_id(c, f), *sector ? " (sector " : "", sector,
                                  *sector ? ")" : "", points);
    if (!err && n_sector)
        err = iffnet_alert_add_reason(a, "%d involve a listed wildlife-associated or logistics sector", n_sector);
    if (!err && n_round)
        err = iffnet_alert_add_reason(a, "%d are round amounts", n_round);
    if (!err && n_kw)
        err = iffnet_alert_add_reason(a, "%d reference(s) name wildlife: %s", n_kw, words);
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
    unsigned char *listed = NULL;
    iffnet_money_t *units = NULL;
    wt_hit_t *hit = NULL;
    iffnet_i_uf_t uf = { 0 };
    int64_t n = 0, cap = 0, min_pts, unit, overt_pts;
    int err;
    iffnet_i_rf_env(&env, ctx);
    if ((err = iffnet_i_setting_int(ctx->cfg, "wildlife_trade", "min_indicators", 3, 1, 10, &min_pts)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "wildlife_trade", "overt_points", 2, 1, 10, &overt_pts)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "wildlife_trade", "round_unit", 100, 1, 1000000000, &unit)))
        return err;
    if ((err = iffnet_i_rf_indicators(ctx, &ind))) return err;
    if ((err = iffnet_i_uf_init(&uf, c->n_accounts)) || (err = iffnet_i_rf_round_units(c, unit, &units))) goto out;
    if (!(listed = malloc((size_t)c->n_accounts + 1))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t a = 0; a < c->n_accounts; a++)
        listed[a] = (unsigned char)iffnet_indicators_sector_listed(&ind, iffnet_case_account_sector(c, a));
    for (int64_t t = 0; t < c->n_tx; t++) {
        int64_t u = c->tx_src[t], v = c->tx_dst[t];
        int sector = listed[u] || listed[v], round = iffnet_i_rf_is_round(c, t, units);
        int64_t kw = c->tx_reference && c->tx_reference[t] >= 0
                         ? iffnet_indicators_match(&ind, iffnet_case_text(c, c->tx_reference[t])) : -1;
        int pts = sector + round + (kw < 0 ? 0 : ind.keywords[kw].covert ? 1 : (int)overt_pts);
        if (pts < min_pts) continue;
        if ((err = iffnet_i_reserve((void **)&hit, &cap, n + 1, sizeof *hit))) goto out;
        /* Named after the listed trader, else the payee; grouped by the
         * buyer-supplier network the flagged payments form. */
        hit[n] = (wt_hit_t){ -1, listed[v] || !listed[u] ? v : u, t, pts, sector, round, kw };
        iffnet_i_uf_union(&uf, u, v);
        n++;
    }
    for (int64_t i = 0; i < n; i++) hit[i].group = iffnet_i_uf_find(&uf, c->tx_dst[hit[i].tx]);
    iffnet_i_sort(hit, (size_t)n, sizeof *hit, cmp_hit);
    for (int64_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && hit[j].group == hit[i].group; j++) {}
        if ((err = wt_emit(&env, &ind, hit + i, j - i, out))) goto out;
    }
out:
    free(listed);
    free(units);
    free(hit);
    iffnet_i_uf_destroy(&uf);
    iffnet_indicators_destroy(&ind);
    return err;
}

static int cmp_pair2(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* PEP level per account: 2 held by a PEP, 1 held by a company a PEP owns or directs
 * (only with pep_payment.indirect: a PEP-owned business mostly receives its
 * customers' payments, so it is off by default). */
static int pep_levels(const iffnet_case_t *c, int indirect, unsigned char *lvl)
{
    int64_t col = iffnet_i_rf_attr_col(c, "pep");
    unsigned char *ent = calloc((size_t)c->n_entities + 1, 1);
    if (!ent) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t e = 0; e < c->n_entities; e++) ent[e] = iffnet_i_rf_entity_pep(c, e, col) ? 2 : 0;
    memset(lvl, 0, (size_t)c->n_accounts);
    for (int64_t r = 0; r < c->n_relations; r++) {
        int64_t s = c->rel_src_entity[r], d = c->rel_dst_entity[r];
        const char *type = iffnet_case_text(c, c->rel_type[r]);
        if (s < 0 || !ent[s] || ent[s] < 2) continue;
        if (strcmp(type, "holds_account") == 0 && c->rel_dst_account[r] >= 0) lvl[c->rel_dst_account[r]] = 2;
        else if (indirect && d >= 0 && !ent[d] && (strcmp(type, "owns") == 0 || strcmp(type, "director_of") == 0))
            ent[d] = 1;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int64_t e1 = c->account_entity ? c->account_entity[a] : -1, e2 = c->account_holder ? c->account_holder[a] : -1;
        unsigned char l = (unsigned char)((e1 >= 0 ? ent[e1] : 0) > (e2 >= 0 ? ent[e2] : 0) ? ent[e1] : (e2 >= 0 ? ent[e2] : 0));
        if (l > lvl[a]) lvl[a] = l;
    }
    free(ent);
    return IFFNET_OK;
}

static int pep_emit(const iffnet_i_rf_env_t *env, int64_t a, int level, const int64_t *tx, int64_t n,
                    iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    iffnet_money_t sum = 0;
    int64_t *acc = malloc((size_t)(n + 1) * sizeof *acc), n_payers = 0;
    if (!acc) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < n; i++) { sum += iffnet_case_tx_value(c, tx[i]); acc[i] = c->tx_src[tx[i]]; }
    iffnet_i_sort(acc, (size_t)n, sizeof *acc, iffnet_i_cmp_i64);
    for (int64_t i = 0; i < n; i++) if (i == 0 || acc[i] != acc[n_payers - 1]) acc[n_payers++] = acc[i];
    acc[n_payers] = a;
    /* Direct PEP 0.6, company of a PEP 0.45; scaled down for sums far below the
     * reporting threshold (a 20.00 gift is not a bribe pattern), up for repeats. */
    double base = level == 2 ? 0.6 : 0.45, thr = (double)(env->ctx->threshold > 0 ? env->ctx->threshold : 1);
    double score = base * (0.5 + 0.5 * fmin(1.0, (double)sum / thr)) + 0.3 * (1.0 - exp(-(double)(n - 1) / 3.0));
    iffnet_alert_t *al = NULL;
    char m[48];
    int err = iffnet_alert_list_add(out, IFFNET_TYP_PEP_PAYMENT, score, acc, n_payers + 1, tx, n, &al);
    if (!err)
        err = iffnet_alert_add_reason(al, "%lld payment(s) of %s from %lld payer(s) into account %s (%s), %s",
                                      (long long)n, iffnet_i_rf_money_str(env, m, sizeof m, sum), (long long)n_payers,
                                      iffnet_case_account_id(c, a), iffnet_case_account_name(c, a),
                                      level == 2 ? "held by a politically exposed person"
                                                 : "of a company a politically exposed person owns or directs");
    free(acc);
    return err;
}

/* (employer, employee) entity pairs of the "employs" relations, sorted. */
static int employ_pairs(const iffnet_case_t *c, iffnet_i_vec_t *pairs)
{
    for (int64_t r = 0; r < c->n_relations; r++)
        if (c->rel_src_entity[r] >= 0 && c->rel_dst_entity[r] >= 0 &&
            strcmp(iffnet_case_text(c, c->rel_type[r]), "employs") == 0) {
            IFFNET_TRY(iffnet_i_vec_push(pairs, c->rel_src_entity[r]));
            IFFNET_TRY(iffnet_i_vec_push(pairs, c->rel_dst_entity[r]));
        }
    iffnet_i_sort(pairs->v, (size_t)(pairs->n / 2), 2 * sizeof *pairs->v, cmp_pair2);
    return IFFNET_OK;
}

static int employs(const iffnet_i_vec_t *pairs, int64_t employer, int64_t employee)
{
    int64_t key[2] = { employer, employee };
    return employer >= 0 && employee >= 0 && pairs->n > 0 &&
           bsearch(key, pairs->v, (size_t)(pairs->n / 2), 2 * sizeof *pairs->v, cmp_pair2) != NULL;
}

/* 1 when entity e is recorded as a natural person (kind "person" or
 * "individual"); unknown kinds are not. */
static int is_person(const iffnet_case_t *c, int64_t e)
{
    if (e < 0 || !c->entity_kind || c->entity_kind[e] < 0) return 0;
    const char *k = iffnet_case_text(c, c->entity_kind[e]);
    return strcasecmp(k, "person") == 0 || strcasecmp(k, "individual") == 0 || strcasecmp(k, "natural_person") == 0;
}

int iffnet_redflag_pep_payment(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    iffnet_i_rf_adj_t in = { 0 };
    iffnet_i_vec_t tx = { 0 }, pairs = { 0 };
    unsigned char *lvl = NULL;
    iffnet_money_t min_amount, person_min;
    int64_t indirect, skip_employer;
    int err;
    iffnet_i_rf_env(&env, ctx);
    if ((err = iffnet_i_setting_money(ctx->cfg, "pep_payment", "min_amount", 0, env.vscale, &min_amount)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "pep_payment", "indirect", 0, 0, 1, &indirect)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "pep_payment", "skip_employer", 1, 0, 1, &skip_employer)) ||
        (err = iffnet_i_setting_money(ctx->cfg, "pep_payment", "person_min",
                                      ctx->threshold > 0 ? ctx->threshold : INT64_MAX / 4, env.vscale, &person_min)))
        return err;
    if (!(lvl = malloc((size_t)c->n_accounts + 1))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if ((err = pep_levels(c, (int)indirect, lvl)) || (err = iffnet_i_rf_adj_build_some(&in, c, 0, lvl)) ||
        (err = employ_pairs(c, &pairs)))
        goto out;
    for (int64_t a = 0; a < c->n_accounts; a++) {
        if (!lvl[a]) continue;
        int64_t owner = iffnet_i_rf_account_owner(c, a);
        tx.n = 0;
        for (int64_t k = in.off[a]; k < in.off[a + 1]; k++) {
            int64_t t = in.tx[k], s = c->tx_src[t];
            /* Transfers between the PEP's own accounts are not payments to them. */
            if (s == a || (owner >= 0 && iffnet_i_rf_account_owner(c, s) == owner)) continue;
            /* Pay from the PEP's own employer is known income (FATF Guidance on PEPs,
             * 2013: source of funds consistent with the known profile). */
            if (skip_employer && employs(&pairs, iffnet_i_rf_account_owner(c, s), owner)) continue;
            if (iffnet_case_tx_value(c, t) < min_amount) continue;
            /* A private person's transfer (family support, school fees, a gift
             * among relatives) is the routine traffic of anyone's account; the
             * FATF PEP guidance (2013, R.12/22) and its wildlife report (2020)
             * point at payments from companies, above all those with a stake in
             * the official's decisions. A person's payment counts only when it is
             * itself reportable (pep_payment.person_min, default the threshold). */
            if (is_person(c, iffnet_i_rf_account_owner(c, s)) && iffnet_case_tx_value(c, t) < person_min) continue;
            if ((err = iffnet_i_vec_push(&tx, t))) goto out;
        }
        if (tx.n && (err = pep_emit(&env, a, lvl[a], tx.v, tx.n, out))) goto out;
    }
out:
    free(lvl);
    iffnet_i_rf_adj_destroy(&in);
    iffnet_i_vec_free(&tx);
    iffnet_i_vec_free(&pairs);
    return err;
}
