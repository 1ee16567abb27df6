/* redflag_corridor.c: money moving source -> transit -> destination country.
 *
 * FATF (2020) and UNODC describe the illegal wildlife trade as chains from range
 * (source) countries through transit hubs to consumer (destination) markets, and
 * the payments follow the goods backwards or the proceeds forwards. We follow
 * time-respecting paths: a payment from an account in a source country to one in
 * a transit country, then onward payments (each no earlier than the previous one,
 * all within corridor.window of the first) through at most corridor.max_transit
 * transit-country accounts, ending at an account in a destination country.
 * The money must follow: no hop may carry more than corridor.max_growth times the
 * previous one (else it is funded by other money), and the payments reaching the
 * destination must total at least corridor.min_retained and at most
 * corridor.max_growth times what left the source ("most of the amount", as in the
 * layering typologies). Each hop must also carry at least corridor.min_hop_share
 * of the previous one within corridor.hop_window, and must not be what the paying
 * account's own rate of similar payments explains (a routine trader or importer). */
#include <math.h>
#include "redflag_internal.h"

typedef struct {
    int64_t window, max_transit, max_steps, steps, hop_window;
    double period, max_chance;
    double min_retained, max_growth, min_hop;
    iffnet_money_t min_amount;
    int cut;
} co_params_t;

typedef struct { int64_t src, transit, off, len; } co_rec_t;

typedef struct {
    const iffnet_case_t *c;
    co_params_t *p;
    const unsigned char *role;
    const iffnet_i_rf_adj_t *adj;
    const iffnet_money_t *val;  /* out-payment values of each account, sorted (same offsets as adj) */
    int64_t path[16];
    int64_t depth;
    co_rec_t *rec;
    int64_t n_rec, cap_rec;
    iffnet_i_vec_t buf;
} co_search_t;

static int co_record(co_search_t *s)
{
    IFFNET_TRY(iffnet_i_reserve((void **)&s->rec, &s->cap_rec, s->n_rec + 1, sizeof *s->rec));
    co_rec_t *r = &s->rec[s->n_rec++];
    r->src = s->c->tx_src[s->path[0]];
    r->transit = s->c->tx_dst[s->path[0]];
    r->off = s->buf.n;
    r->len = s->depth;
    for (int64_t i = 0; i < s->depth; i++) IFFNET_TRY(iffnet_i_vec_push(&s->buf, s->path[i]));
    return IFFNET_OK;
}

/* First index in the time-ordered list [lo, hi) with time >= t. */
static int64_t first_at(const iffnet_case_t *c, const int64_t *tx, int64_t lo, int64_t hi, iffnet_time_t t)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (c->tx_time[tx[mid]] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Number of account v's outgoing payments with a value in [lo, hi]. */
static int64_t count_between(const co_search_t *s, int64_t v, double lo, double hi)
{
    int64_t b = s->adj->off[v], e = s->adj->off[v + 1], l = b, h = e;
    while (l < h) { int64_t m = l + (h - l) / 2; if ((double)s->val[m] < lo) l = m + 1; else h = m; }
    int64_t first = l;
    h = e;
    while (l < h) { int64_t m = l + (h - l) / 2; if ((double)s->val[m] <= hi) l = m + 1; else h = m; }
    return l - first;
}

/* Extends the path from account v (reached at time `now`, n_transit transit accounts so far). */
static int co_extend(co_search_t *s, int64_t v, iffnet_time_t now, iffnet_time_t end, int64_t n_transit)
{
    const iffnet_case_t *c = s->c;
    int64_t lo = first_at(c, s->adj->tx, s->adj->off[v], s->adj->off[v + 1], now);
    for (int64_t k = lo; k < s->adj->off[v + 1]; k++) {
        int64_t t = s->adj->tx[k], w = c->tx_dst[t];
        if (c->tx_time[t] > end) break;
        if (++s->p->steps > s->p->max_steps) { s->p->cut = 1; return IFFNET_OK; }
        if (w == v || iffnet_case_tx_value(c, t) < s->p->min_amount) continue;
        double prev = (double)iffnet_case_tx_value(c, s->path[s->depth - 1]), val = (double)iffnet_case_tx_value(c, t);
        if (val > s->p->max_growth * prev) continue;
        /* Pass-through: each hop carries most of what the previous one brought
         * (corridor.min_hop_share). A busy account's small payments after a large
         * inflow are its own business, not the inflow moving on. */
        if (val < s->p->min_hop * prev) continue;
        /* "Within days": each hop follows the previous one within corridor.hop_window. */
        if (c->tx_time[t] - now > s->p->hop_window) break;
        /* Own-history baseline: an account that pays out amounts of this size all the
         * time (a trader settling invoices) would have made such a payment this soon
         * anyway. Its expected number of payments in the hop's value band within the
         * observed delay (its rate over the case period) must stay below
         * corridor.max_chance for the hop to count as the money moving on. */
        if (s->p->period > 0) {
            double delay = (double)(c->tx_time[t] - now) + 86400.0;
            double expect = (double)count_between(s, v, s->p->min_hop * prev, s->p->max_growth * prev) * delay / s->p->period;
            if (expect >= s->p->max_chance) continue;
        }
        /* The money arrives in a destination country: crossing a border into it, or
         * staying in a country that is both transit and destination (HK, VN). */
        int found_dest = (s->role[w] & IFFNET_ROLE_DESTINATION) &&
                         ((s->role[v] & IFFNET_ROLE_DESTINATION) ||
                          strcmp(iffnet_case_account_country(c, w), iffnet_case_account_country(c, v)) != 0);
        s->path[s->depth++] = t;
        if (found_dest) IFFNET_TRY(co_record(s));
        else if ((s->role[w] & IFFNET_ROLE_TRANSIT) && n_transit < s->p->max_transit && s->depth < 15) {
            int on_path = 0;
            for (int64_t i = 0; i + 1 < s->depth; i++) on_path |= c->tx_dst[s->path[i]] == w;
            if (!on_path) IFFNET_TRY(co_extend(s, w, c->tx_time[t], end, n_transit + 1));
        }
        s->depth--;
        if (s->p->cut) return IFFNET_OK;
    }
    return IFFNET_OK;
}

static int cmp_money(const void *a, const void *b)
{
    iffnet_money_t x = *(const iffnet_money_t *)a, y = *(const iffnet_money_t *)b;
    return (x > y) - (x < y);
}

static int cmp_rec(const void *a, const void *b)
{
    const co_rec_t *x = a, *y = b;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    if (x->transit != y->transit) return x->transit < y->transit ? -1 : 1;
    return (x->off > y->off) - (x->off < y->off);
}

static int co_emit(const iffnet_i_rf_env_t *env, co_search_t *s, int64_t i, int64_t j, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    iffnet_i_vec_t tx = { 0 }, acc = { 0 }, first = { 0 }, last = { 0 };
    int err = IFFNET_OK;
    for (int64_t r = i; r < j && !err; r++) {
        const int64_t *p = s->buf.v + s->rec[r].off;
        for (int64_t k = 0; k < s->rec[r].len && !err; k++) {
            if ((err = iffnet_i_vec_push(&tx, p[k]))) break;
            if ((err = iffnet_i_vec_push(&acc, c->tx_src[p[k]]))) break;
            err = iffnet_i_vec_push(&acc, c->tx_dst[p[k]]);
        }
        if (!err) err = iffnet_i_vec_push(&first, p[0]);
        if (!err) err = iffnet_i_vec_push(&last, p[s->rec[r].len - 1]);
    }
    if (err) goto out;
    iffnet_i_sort(first.v, (size_t)first.n, sizeof *first.v, iffnet_i_cmp_i64);
    iffnet_i_sort(last.v, (size_t)last.n, sizeof *last.v, iffnet_i_cmp_i64);
    iffnet_money_t in = 0, onward = 0;
    int64_t n_dest = 0;
    for (int64_t k = 0; k < first.n; k++) if (k == 0 || first.v[k] != first.v[k - 1]) in += iffnet_case_tx_value(c, first.v[k]);
    for (int64_t k = 0; k < last.n; k++) if (k == 0 || last.v[k] != last.v[k - 1]) onward += iffnet_case_tx_value(c, last.v[k]), n_dest++;
    double ratio = in > 0 ? (double)onward / (double)in : 0.0;
    if (ratio < s->p->min_retained || ratio > s->p->max_growth) goto out;
    /* Amounts far below the reporting threshold rank lower (a family remittance
     * along the same countries is common); more paths rank higher. */
    double thr = (double)(env->ctx->threshold > 0 ? env->ctx->threshold : 1);
    double score = (0.6 + 0.3 * fmin(1.0, ratio) + (j - i > 1 ? 0.1 : 0.0)) * (0.5 + 0.5 * fmin(1.0, (double)in / thr));
    iffnet_alert_t *a = NULL;
    if ((err = iffnet_alert_list_add(out, IFFNET_TYP_CORRIDOR, score, acc.v, acc.n, tx.v, tx.n, &a))) goto out;
    int64_t src = s->rec[i].src, tr = s->rec[i].transit, d = c->tx_dst[last.v[0]];
    char m1[48], m2[48];
    err = iffnet_alert_add_reason(a, "%s (%s, source country) paid %s to %s (%s, transit country); "
                                  "%s went on within %.1f days to %lld payment(s) into destination-country "
                                  "accounts such as %s (%s)",
                                  iffnet_case_account_id(c, src), iffnet_case_account_country(c, src),
                                  iffnet_i_rf_money_str(env, m1, sizeof m1, in), iffnet_case_account_id(c, tr),
                                  iffnet_case_account_country(c, tr), iffnet_i_rf_money_str(env, m2, sizeof m2, onward),
                                  (double)s->p->window / 86400.0, (long long)n_dest, iffnet_case_account_id(c, d),
                                  iffnet_case_account_country(c, d));
    if (!err)
        err = iffnet_alert_add_reason(a, "%lld time-ordered path(s); onward payments are %.0f%% of the inflow",
                                      (long long)(j - i), 100.0 * ratio);
out:
    iffnet_i_vec_free(&tx);
    iffnet_i_vec_free(&acc);
    iffnet_i_vec_free(&first);
    iffnet_i_vec_free(&last);
    return err;
}

int iffnet_redflag_corridor(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    iffnet_indicators_t ind;
    iffnet_i_rf_adj_t adj = { 0 };
    co_params_t p = { 0 };
    co_search_t s = { 0 };
    unsigned char *role = NULL;
    iffnet_money_t *val = NULL;
    int err, have_ind = 0;
    iffnet_i_rf_env(&env, ctx);
    if ((err = iffnet_i_setting_duration(ctx->cfg, "corridor", "window", ctx->window > 0 ? ctx->window : 30 * 86400, &p.window)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "corridor", "max_transit", 3, 1, 10, &p.max_transit)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "corridor", "max_steps", 10000000, 1000, INT64_MAX, &p.max_steps)) ||
        (err = iffnet_i_setting_money(ctx->cfg, "corridor", "min_amount", 0, iffnet_detect_value_scale(ctx),
                                      &p.min_amount)) ||
        (err = iffnet_i_setting_double(ctx->cfg, "corridor", "min_retained", 0.5, 0.0, 1.0, &p.min_retained)) ||
        (err = iffnet_i_setting_double(ctx->cfg, "corridor", "max_growth", 1.1, 1.0, 1000.0, &p.max_growth)) ||
        (err = iffnet_i_setting_double(ctx->cfg, "corridor", "min_hop_share", p.min_retained, 0.0, 1.0, &p.min_hop)) ||
        (err = iffnet_i_setting_duration(ctx->cfg, "corridor", "hop_window", 7 * 86400, &p.hop_window)) ||
        (err = iffnet_i_setting_double(ctx->cfg, "corridor", "max_chance", 1.0, 0.0, 1e9, &p.max_chance)))
        return err;
    if ((err = iffnet_i_rf_indicators(ctx, &ind))) return err;
    have_ind = 1;
    if (!(role = malloc((size_t)c->n_accounts + 1))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t a = 0; a < c->n_accounts; a++)
        role[a] = (unsigned char)iffnet_indicators_country_roles(&ind, iffnet_case_account_country(c, a));
    /* Paths only continue from transit-country accounts. */
    unsigned char *keep = malloc((size_t)c->n_accounts + 1);
    if (!keep) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t a = 0; a < c->n_accounts; a++) keep[a] = (role[a] & IFFNET_ROLE_TRANSIT) != 0;
    err = iffnet_i_rf_adj_build_some(&adj, c, 1, keep);
    free(keep);
    if (err) goto out;
    if (!(val = malloc((size_t)(adj.off[c->n_accounts] + 1) * sizeof *val))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t k = 0; k < adj.off[c->n_accounts]; k++) val[k] = iffnet_case_tx_value(c, adj.tx[k]);
    for (int64_t a = 0; a < c->n_accounts; a++)
        iffnet_i_sort(val + adj.off[a], (size_t)(adj.off[a + 1] - adj.off[a]), sizeof *val, cmp_money);
    p.period = c->n_tx > 0 ? (double)(c->tx_time[c->n_tx - 1] - c->tx_time[0]) + 86400.0 : 0.0;
    s.c = c; s.p = &p; s.role = role; s.adj = &adj; s.val = val;
    for (int64_t t = 0; t < c->n_tx && !p.cut; t++) {
        int64_t u = c->tx_src[t], v = c->tx_dst[t];
        if (!(role[u] & IFFNET_ROLE_SOURCE) || !(role[v] & IFFNET_ROLE_TRANSIT)) continue;
        if (strcmp(iffnet_case_account_country(c, u), iffnet_case_account_country(c, v)) == 0) continue;
        if (iffnet_case_tx_value(c, t) < p.min_amount) continue;
        s.depth = 1;
        s.path[0] = t;
        if ((err = co_extend(&s, v, c->tx_time[t], c->tx_time[t] + p.window, 1))) goto out;
    }
    if (p.cut && ctx->note)
        ctx->note(ctx->note_arg, "corridor: search stopped after %lld steps (corridor.max_steps)",
                  (long long)p.max_steps);
    iffnet_i_sort(s.rec, (size_t)s.n_rec, sizeof *s.rec, cmp_rec);
    for (int64_t i = 0, j; i < s.n_rec; i = j) {
        for (j = i; j < s.n_rec && s.rec[j].src == s.rec[i].src && s.rec[j].transit == s.rec[i].transit; j++) {}
        if ((err = co_emit(&env, &s, i, j, out))) goto out;
    }
out:
    free(role);
    free(val);
    free(s.rec);
    iffnet_i_vec_free(&s.buf);
    iffnet_i_rf_adj_destroy(&adj);
    if (have_ind) iffnet_indicators_destroy(&ind);
    return err;
}
