/* redflag_risk.c: account risk ranking (iffnet detect --accounts).
 *
 * FATF (2020) stresses that no single indicator suffices, so the score combines
 * independent signals by a noisy-OR:
 *     risk = 1 - prod_i (1 - w_i * s_i)
 * where each signal i has a strength s_i in [0, 1] and a weight w_i in [0, 1]:
 *   - every typology with an alert of the default list (not ranked low: chance
 *     or the accounts' routine does not explain it) that names the account: s =
 *     the strongest such alert's score 1/(1+E) (one signal per typology), so an
 *     account that routine explains keeps only its entity signals and ranks
 *     low; w = risk.w_structural
 *     (fan, cycle, scatter/gather, bipartite/stack, layering, mule), risk.w_redflag
 *     (structuring, shell_network, corridor, wildlife_trade, pep_payment,
 *     cash_to_wire) or risk.w_statistical (benford, round_amounts);
 *   - the account's country is a listed source/transit/destination: s = 1, w = risk.w_country;
 *   - its sector is a listed wildlife-associated or logistics sector: w = risk.w_sector;
 *   - held by a PEP: w = risk.w_pep (half of it for a company a PEP owns or directs);
 *   - its holder shares an address, phone or registration with other entities:
 *     w = risk.w_shared_id.
 * Entity signals alone stay modest (all four together: 1 - 0.85*0.8*0.7*0.9 = 0.57),
 * so the top of the ranking needs alerts. Each signal adds one reason. */
#include <math.h>
#include "redflag_internal.h"

typedef struct {
    double w_struct, w_redflag, w_stat, w_country, w_sector, w_pep, w_shared;
    int64_t max_shared, max_reasons;
} rk_params_t;

static int rk_params(const iffnet_detect_ctx_t *ctx, rk_params_t *p)
{
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "risk", "w_structural", 0.8, 0, 1, &p->w_struct));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "risk", "w_redflag", 0.7, 0, 1, &p->w_redflag));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "risk", "w_statistical", 0.3, 0, 1, &p->w_stat));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "risk", "w_country", 0.15, 0, 1, &p->w_country));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "risk", "w_sector", 0.2, 0, 1, &p->w_sector));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "risk", "w_pep", 0.3, 0, 1, &p->w_pep));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "risk", "w_shared_id", 0.1, 0, 1, &p->w_shared));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "risk", "max_shared", 50, 2, INT64_MAX, &p->max_shared));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "risk", "max_reasons", 8, 1, 1000, &p->max_reasons));
    return IFFNET_OK;
}

static double typ_weight(const rk_params_t *p, iffnet_typology_t t)
{
    switch (t) {
    case IFFNET_TYP_BENFORD: case IFFNET_TYP_ROUND_AMOUNTS: return p->w_stat;
    case IFFNET_TYP_STRUCTURING: case IFFNET_TYP_SHELL_NETWORK: case IFFNET_TYP_CORRIDOR:
    case IFFNET_TYP_WILDLIFE_TRADE: case IFFNET_TYP_PEP_PAYMENT: case IFFNET_TYP_CASH_TO_WIRE:
    case IFFNET_TYP_WATCHLIST:
        return p->w_redflag;
    default: return p->w_struct;
    }
}

typedef struct {
    double keep;          /* prod (1 - w s) */
    iffnet_i_vec_t alerts;
    unsigned char country_roles, sector, pep, shared;
} rk_acc_t;

static int add_reason(iffnet_account_risk_t *r, int64_t *cap, char *s)
{
    if (!s) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    int err = iffnet_i_reserve((void **)&r->reasons, cap, r->n_reasons + 1, sizeof *r->reasons);
    if (err) { free(s); return err; }
    r->reasons[r->n_reasons++] = s;
    return IFFNET_OK;
}

static const char *roles_str(unsigned roles, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s%s", roles & IFFNET_ROLE_SOURCE ? "source" : "",
             (roles & IFFNET_ROLE_SOURCE) && (roles & 6) ? "/" : "", roles & IFFNET_ROLE_TRANSIT ? "transit" : "",
             (roles & IFFNET_ROLE_TRANSIT) && (roles & 4) ? "/" : "", roles & IFFNET_ROLE_DESTINATION ? "destination" : "");
    return buf;
}

static int rk_reasons(const iffnet_detect_ctx_t *ctx, const rk_params_t *p, const iffnet_alert_list_t *alerts,
                      int64_t a, const rk_acc_t *s, iffnet_account_risk_t *r)
{
    const iffnet_case_t *c = ctx->c;
    int64_t cap = 0;
    char rb[40];
    for (int64_t k = 0; k < s->alerts.n && k < p->max_reasons; k++) {
        const iffnet_alert_t *al = &alerts->items[s->alerts.v[k]];
        IFFNET_TRY(add_reason(r, &cap, iffnet_i_asprintf("in alert %s (%s, score %.2f, weight %.2f)",
                                                          al->id ? al->id : "?", iffnet_typology_name(al->typology),
                                                          al->score, typ_weight(p, al->typology))));
    }
    if (s->alerts.n > p->max_reasons)
        IFFNET_TRY(add_reason(r, &cap, iffnet_i_asprintf("and %lld more alerts", (long long)(s->alerts.n - p->max_reasons))));
    if (s->country_roles)
        IFFNET_TRY(add_reason(r, &cap, iffnet_i_asprintf("country %s is a listed wildlife-trade %s country (weight %.2f)",
                                                          iffnet_case_account_country(c, a),
                                                          roles_str(s->country_roles, rb, sizeof rb), p->w_country)));
    if (s->sector)
        IFFNET_TRY(add_reason(r, &cap, iffnet_i_asprintf("sector %s is a listed wildlife-associated or logistics sector "
                                                          "(weight %.2f)", iffnet_case_account_sector(c, a), p->w_sector)));
    if (s->pep)
        IFFNET_TRY(add_reason(r, &cap, iffnet_i_asprintf("%s (weight %.2f)",
                                                          s->pep == 2 ? "held by a politically exposed person"
                                                                      : "holder is owned or directed by a politically exposed person",
                                                          s->pep == 2 ? p->w_pep : p->w_pep / 2)));
    if (s->shared)
        IFFNET_TRY(add_reason(r, &cap, iffnet_i_asprintf("holder shares an address, phone or registration with "
                                                          "another entity (weight %.2f)", p->w_shared)));
    return IFFNET_OK;
}

/* Entity signals of every account. */
static int rk_entity(const iffnet_detect_ctx_t *ctx, const rk_params_t *p, rk_acc_t *s)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_indicators_t ind;
    iffnet_i_rf_idlinks_t l;
    IFFNET_TRY(iffnet_i_rf_indicators(ctx, &ind));
    int err = iffnet_i_rf_idlinks_build(&l, c, "address,phone,registration", p->max_shared);
    if (err) { iffnet_indicators_destroy(&ind); return err; }
    int64_t pep_col = iffnet_i_rf_attr_col(c, "pep");
    unsigned char *ent = calloc((size_t)c->n_entities + 1, 1);
    if (!ent) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t e = 0; e < c->n_entities; e++) ent[e] = iffnet_i_rf_entity_pep(c, e, pep_col) ? 2 : 0;
    for (int64_t r = 0; r < c->n_relations; r++) {
        int64_t src = c->rel_src_entity[r], dst = c->rel_dst_entity[r];
        const char *type = iffnet_case_text(c, c->rel_type[r]);
        if (src >= 0 && ent[src] == 2 && dst >= 0 && !ent[dst] &&
            (strcmp(type, "owns") == 0 || strcmp(type, "director_of") == 0))
            ent[dst] = 1;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int64_t h = iffnet_i_rf_account_owner(c, a);
        s[a].country_roles = (unsigned char)iffnet_indicators_country_roles(&ind, iffnet_case_account_country(c, a));
        s[a].sector = (unsigned char)iffnet_indicators_sector_listed(&ind, iffnet_case_account_sector(c, a));
        s[a].pep = h >= 0 ? ent[h] : 0;
        if (c->account_entity && c->account_entity[a] >= 0 && ent[c->account_entity[a]] > s[a].pep)
            s[a].pep = ent[c->account_entity[a]];
        for (int64_t k = 0; h >= 0 && k < l.n_cols; k++) {
            int64_t id = l.ids[h * l.n_cols + k];
            if (id >= 0 && l.count[id] >= 2) s[a].shared = 1;
        }
        if (s[a].country_roles) s[a].keep *= 1.0 - p->w_country;
        if (s[a].sector) s[a].keep *= 1.0 - p->w_sector;
        if (s[a].pep) s[a].keep *= 1.0 - (s[a].pep == 2 ? p->w_pep : p->w_pep / 2);
        if (s[a].shared) s[a].keep *= 1.0 - p->w_shared;
    }
out:
    free(ent);
    iffnet_i_rf_idlinks_destroy(&l);
    iffnet_indicators_destroy(&ind);
    return err;
}

static int cmp_risk(const void *x, const void *y)
{
    const iffnet_account_risk_t *a = x, *b = y;
    if (a->risk != b->risk) return a->risk > b->risk ? -1 : 1;
    return (a->account > b->account) - (a->account < b->account);
}

int iffnet_account_risk(const iffnet_detect_ctx_t *ctx, const iffnet_alert_list_t *alerts,
                        iffnet_account_risk_t **out, int64_t *n)
{
    const iffnet_case_t *c = ctx->c;
    rk_params_t p;
    rk_acc_t *s = NULL;
    iffnet_account_risk_t *r = NULL;
    int64_t nr = 0;
    int err;
    iffnet_i_rf_env_t env;
    *out = NULL;
    *n = 0;
    iffnet_i_rf_env(&env, ctx);
    if ((err = rk_params(ctx, &p))) return err;
    if (!(s = calloc((size_t)c->n_accounts + 1, sizeof *s))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t a = 0; a < c->n_accounts; a++) s[a].keep = 1.0;
    if ((err = rk_entity(ctx, &p, s))) goto out;
    for (int64_t i = 0; alerts && i < alerts->n; i++) {
        const iffnet_alert_t *al = &alerts->items[i];
        /* The default list only: what chance or routine explains adds no risk. */
        if (al->ranked_low) continue;
        for (int64_t k = 0; k < al->n_accounts; k++) {
            int64_t a = al->accounts[k];
            if (a < 0 || a >= c->n_accounts) continue;
            if ((err = iffnet_i_vec_push(&s[a].alerts, i))) goto out;
        }
    }
    /* One signal per typology (its strongest alert): twenty corridor alerts on a
     * busy hub are one kind of evidence, not twenty independent ones. */
    for (int64_t a = 0; alerts && a < c->n_accounts; a++) {
        double best[IFFNET_TYP_COUNT] = { 0 };
        for (int64_t k = 0; k < s[a].alerts.n; k++) {
            const iffnet_alert_t *al = &alerts->items[s[a].alerts.v[k]];
            double sc = fmin(1.0, fmax(0.0, al->score));
            if ((unsigned)al->typology < IFFNET_TYP_COUNT && sc > best[al->typology]) best[al->typology] = sc;
        }
        for (int t = 0; t < IFFNET_TYP_COUNT; t++)
            if (best[t] > 0) s[a].keep *= 1.0 - typ_weight(&p, (iffnet_typology_t)t) * best[t];
    }
    int64_t cnt = 0;
    for (int64_t a = 0; a < c->n_accounts; a++) cnt += a != env.cash_account && s[a].keep < 1.0;
    if (!(r = calloc((size_t)cnt + 1, sizeof *r))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t a = 0; a < c->n_accounts; a++) {
        if (a == env.cash_account || s[a].keep >= 1.0) continue;
        r[nr].account = a;
        r[nr].risk = 1.0 - s[a].keep;
        if ((err = rk_reasons(ctx, &p, alerts, a, &s[a], &r[nr++]))) goto out;
    }
    iffnet_i_sort(r, (size_t)nr, sizeof *r, cmp_risk);
out:
    for (int64_t a = 0; s && a < c->n_accounts; a++) iffnet_i_vec_free(&s[a].alerts);
    free(s);
    if (err) { iffnet_account_risk_free(r, nr); return err; }
    *out = r;
    *n = nr;
    return IFFNET_OK;
}

void iffnet_account_risk_free(iffnet_account_risk_t *r, int64_t n)
{
    for (int64_t i = 0; r && i < n; i++) {
        for (int64_t k = 0; k < r[i].n_reasons; k++) free(r[i].reasons[k]);
        free(r[i].reasons);
    }
    free(r);
}
