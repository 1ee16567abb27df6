/* redflag_cash.c: cash deposits followed quickly by international wires.
 *
 * FinCEN's and FATF's wildlife indicators (and the FFIEC BSA/AML manual's
 * general red flags) name cash placed into an account and wired abroad shortly
 * after. A burst is a run of cash deposits into one account, each within
 * cash_to_wire.window of the previous, with the international wires that leave
 * the account from the first deposit until window after the last. It is reported
 * when the cash reaches cash_to_wire.min_cash (default: the reporting threshold,
 * cash that in aggregate is reportable) and the wires carry at least
 * cash_to_wire.min_share of it out. The cash must also be what funds the wires:
 * the wires may not exceed the cash by more than 1/min_share, and cash must be at
 * least cash_to_wire.min_cash_share of everything the account received from
 * window before the first deposit to the last wire (a trading business that
 * banks some takings and pays foreign suppliers from its turnover is not moving
 * cash abroad). International: the two accounts' countries are both known and differ. */
#include <math.h>
#include "redflag_internal.h"

typedef struct {
    int64_t window;
    double min_share, min_cash_share;
    iffnet_money_t min_cash;
    char *channels;
} cw_params_t;

static int is_intl_wire(const iffnet_i_rf_env_t *env, const cw_params_t *p, int64_t t)
{
    const iffnet_case_t *c = env->c;
    if (!c->tx_channel || c->tx_channel[t] < 0) return 0;
    char key[80];
    snprintf(key, sizeof key, ",%s,", iffnet_strtab_get(&c->channels, c->tx_channel[t]));
    if (!strstr(p->channels, key)) return 0;
    const char *a = iffnet_case_account_country(c, c->tx_src[t]), *b = iffnet_case_account_country(c, c->tx_dst[t]);
    return *a && *b && strcmp(a, b) != 0;
}

/* Everything account a received in [from, to]. */
static iffnet_money_t inflow(const iffnet_case_t *c, const iffnet_i_rf_adj_t *in, int64_t a, iffnet_time_t from,
                             iffnet_time_t to)
{
    iffnet_money_t sum = 0;
    for (int64_t k = in->off[a]; k < in->off[a + 1]; k++) {
        iffnet_time_t t = c->tx_time[in->tx[k]];
        if (t > to) break;
        if (t >= from) sum += iffnet_case_tx_value(c, in->tx[k]);
    }
    return sum;
}

static int cw_emit(const iffnet_i_rf_env_t *env, const cw_params_t *p, const iffnet_i_rf_adj_t *in, int64_t a,
                   const iffnet_i_vec_t *dep, const iffnet_i_vec_t *wire, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    iffnet_money_t d = 0, w = 0;
    iffnet_i_vec_t tx = { 0 }, acc = { 0 };
    int err = IFFNET_OK;
    for (int64_t i = 0; i < dep->n; i++) d += iffnet_case_tx_value(c, dep->v[i]);
    for (int64_t i = 0; i < wire->n; i++) w += iffnet_case_tx_value(c, wire->v[i]);
    if (d < p->min_cash || d <= 0 || (double)w < p->min_share * (double)d) return IFFNET_OK;
    if (p->min_share > 0 && (double)d < p->min_share * (double)w) return IFFNET_OK;
    iffnet_money_t all = inflow(c, in, a, c->tx_time[dep->v[0]] - p->window, c->tx_time[wire->v[wire->n - 1]]);
    if ((double)d < p->min_cash_share * (double)all) return IFFNET_OK;
    if ((err = iffnet_i_vec_push(&acc, a))) goto out;
    for (int64_t i = 0; i < dep->n && !err; i++) err = iffnet_i_vec_push(&tx, dep->v[i]);
    for (int64_t i = 0; i < wire->n && !err; i++)
        if (!(err = iffnet_i_vec_push(&tx, wire->v[i]))) err = iffnet_i_vec_push(&acc, c->tx_dst[wire->v[i]]);
    if (err) goto out;
    double hours = (double)(c->tx_time[wire->v[0]] - c->tx_time[dep->v[0]]) / 3600.0;
    double ratio = (double)w / (double)d;
    /* Faster and more complete outflow scores higher. */
    double score = 0.5 + 0.25 * fmin(1.0, ratio) + 0.25 * (1.0 - fmin(1.0, hours * 3600.0 / (double)p->window));
    iffnet_alert_t *al = NULL;
    char m1[48], m2[48];
    if ((err = iffnet_alert_list_add(out, IFFNET_TYP_CASH_TO_WIRE, score, acc.v, acc.n, tx.v, tx.n, &al))) goto out;
    err = iffnet_alert_add_reason(al, "%lld cash deposit(s) of %s into %s (%s) were followed within %.1f hours by "
                                  "%lld international wire(s) of %s (%.0f%% of the cash) to %s (%s); cash was %.0f%% of the "
                                  "account's inflow over the period",
                                  (long long)dep->n, iffnet_i_rf_money_str(env, m1, sizeof m1, d),
                                  iffnet_case_account_id(c, a), iffnet_case_account_country(c, a), hours,
                                  (long long)wire->n, iffnet_i_rf_money_str(env, m2, sizeof m2, w), 100.0 * ratio,
                                  iffnet_case_account_id(c, c->tx_dst[wire->v[0]]),
                                  iffnet_case_account_country(c, c->tx_dst[wire->v[0]]),
                                  all > 0 ? 100.0 * (double)d / (double)all : 100.0);
out:
    iffnet_i_vec_free(&tx);
    iffnet_i_vec_free(&acc);
    return err;
}

/* Bursts of account a: walks its deposits and wires in time order. */
static int cw_account(const iffnet_i_rf_env_t *env, const cw_params_t *p, const iffnet_i_rf_adj_t *in,
                      const iffnet_i_rf_adj_t *outa, int64_t a, iffnet_i_vec_t *dep, iffnet_i_vec_t *wire,
                      iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    int64_t i = in->off[a], ie = in->off[a + 1], j = outa->off[a], je = outa->off[a + 1];
    while (i < ie) {
        int64_t t = in->tx[i];
        if (!iffnet_i_rf_is_cash_deposit(env, t)) { i++; continue; }
        dep->n = wire->n = 0;
        iffnet_time_t start = c->tx_time[t], end = start + p->window;
        for (; i < ie && c->tx_time[in->tx[i]] <= end; i++)
            if (iffnet_i_rf_is_cash_deposit(env, in->tx[i])) {
                IFFNET_TRY(iffnet_i_vec_push(dep, in->tx[i]));
                end = c->tx_time[in->tx[i]] + p->window;
            }
        while (j < je && c->tx_time[outa->tx[j]] < start) j++;
        /* The cash must be there before the wire: a wire counts when the burst's
         * cash deposited before it, less the wires already counted, covers at
         * least min_share of it (a wire paid before the cash came in was funded
         * by something else). */
        double avail = 0;
        int64_t di = 0;
        for (; j < je && c->tx_time[outa->tx[j]] <= end; j++) {
            int64_t w = outa->tx[j];
            for (; di < dep->n && c->tx_time[dep->v[di]] <= c->tx_time[w]; di++)
                avail += (double)iffnet_case_tx_value(c, dep->v[di]);
            if (!is_intl_wire(env, p, w)) continue;
            double v = (double)iffnet_case_tx_value(c, w);
            if (avail < p->min_share * v) continue;
            avail = fmax(0.0, avail - v);
            IFFNET_TRY(iffnet_i_vec_push(wire, w));
        }
        if (wire->n) IFFNET_TRY(cw_emit(env, p, in, a, dep, wire, out));
    }
    return IFFNET_OK;
}

int iffnet_redflag_cash_to_wire(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    iffnet_i_rf_adj_t in = { 0 }, outa = { 0 };
    iffnet_i_vec_t dep = { 0 }, wire = { 0 };
    cw_params_t p = { 0 };
    unsigned char *keep = NULL;
    int err;
    iffnet_i_rf_env(&env, ctx);
    iffnet_money_t unit = 1;
    for (int i = 0; i < env.vscale; i++) unit *= 10;
    const char *ch = ctx->cfg ? iffnet_config_str(ctx->cfg, "cash_to_wire.channels", "wire") : "wire";
    if ((err = iffnet_i_setting_duration(ctx->cfg, "cash_to_wire", "window", 3 * 86400, &p.window)) ||
        (err = iffnet_i_setting_double(ctx->cfg, "cash_to_wire", "min_share", 0.5, 0.0, 1.0, &p.min_share)) ||
        (err = iffnet_i_setting_double(ctx->cfg, "cash_to_wire", "min_cash_share", 0.5, 0.0, 1.0, &p.min_cash_share)) ||
        (err = iffnet_i_setting_money(ctx->cfg, "cash_to_wire", "min_cash",
                                      ctx->threshold > 0 ? ctx->threshold : 10000 * unit,
                                      iffnet_detect_value_scale(ctx), &p.min_cash)))
        return err;
    if (!(p.channels = iffnet_i_asprintf(",%s,", ch))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    /* Only accounts that received cash can start a burst. */
    if (!(keep = calloc((size_t)c->n_accounts + 1, 1))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t t = 0; t < c->n_tx; t++) if (iffnet_i_rf_is_cash_deposit(&env, t)) keep[c->tx_dst[t]] = 1;
    if ((err = iffnet_i_rf_adj_build_some(&in, c, 0, keep)) || (err = iffnet_i_rf_adj_build_some(&outa, c, 1, keep))) goto out;
    for (int64_t a = 0; a < c->n_accounts; a++) {
        if (a == env.cash_account || !keep[a]) continue;
        if ((err = cw_account(&env, &p, &in, &outa, a, &dep, &wire, out))) goto out;
    }
out:
    free(keep);
    free(p.channels);
    iffnet_i_rf_adj_destroy(&in);
    iffnet_i_rf_adj_destroy(&outa);
    iffnet_i_vec_free(&dep);
    iffnet_i_vec_free(&wire);
    return err;
}
