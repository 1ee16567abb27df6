/* redflag_corridor.c: money moving source -> transit -> destination country.
 *
 * FATF (2020) and UNODC describe the illegal wildlife trade as chains from range
 * (source) countries through transit hubs to consumer (destination) markets, and
 * the payments follow the goods backwards or the proceeds forwards. We follow
 * time-respecting paths: a payment from an account in a source country to one in
 * a transit country, then onward payments (each no earlier than the previous one)
 * through at most corridor.max_transit transit-country accounts, ending at an
 * account in a destination country (crossing a border into it, or staying in a
 * country listed as both transit and destination).
 *
 * What the accounts' own routine explains: a hop from account v of value Y, a
 * delay D after the inflow X that it would pass on, is as extreme as the observed
 * one when v pays an amount at least as close to X (|ln(Y'/X)| <= |ln(Y/X)|)
 * within D (at least a day, the resolution of a booking date). Under v's routine
 * its payments come at its own rate, with amounts like the transit-country
 * accounts' unless its own history shows more in the band: r = max(v's other
 * payments in that band, v's payments x the share of the transit-country
 * accounts' payments in it) / case period, and q = 1 - exp(-r D). The onward
 * payment is chosen for being both close in value and soon, so the hop's chance
 * is q (1 - ln q) (Fisher's rule for two tail chances). From each account the
 * search follows the onward payment its routine explains least that ends the
 * path in a destination country and the one into another transit account
 * (the same payment when the country is both; each hop's chance times the
 * branches taken); hops that the routine explains more often than not (chance
 * >= 1/2) are not followed. A path's chance is the product over its onward
 * hops, combined by Fisher's rule with the share of the case's first payments
 * at least as large as its own (a path moving more is more extreme).
 *
 * Paths from one source account into one transit account are one alert: with
 * p_j the chance of its j-th best path (each from its own first payment), E =
 * the sum over all source-transit account pairs of the case of
 * PoissonTail(payments of the pair x p_j, j), times the chance that the later
 * paths take the best one's route again (each onward account's share of
 * payments to the next; 1 for another route), the least over j, times the paths
 * it was chosen from. Paths of a pair kept up over more than half of the case
 * are a standing route (a trading house buying what its customer ordered): E is
 * then at least the number of pairs that traded over that long. A trader in
 * Hong Kong that settles invoices of every size every week explains any onward
 * payment; a company that passes on 97% of what came from Kenya to Viet Nam
 * within two days, five times, does not. */
#include <math.h>
#include "redflag_internal.h"

#define CO_MAX_DEPTH 16

typedef struct {
    int64_t max_transit, max_steps, steps, window;
    double max_hop_chance, period, max_expected;
    iffnet_money_t min_amount;
    int cut;
} co_params_t;

typedef struct { int64_t src, transit, start, off, len; double p; } co_rec_t;

typedef struct {
    const iffnet_case_t *c;
    co_params_t *p;
    const unsigned char *role;
    const iffnet_i_rf_adj_t *adj;
    const iffnet_money_t *val;   /* out-payment values of each account, sorted (same offsets as adj) */
    const iffnet_money_t *all;   /* every payment of the transit-country accounts, sorted by value */
    int64_t n_all;
    const iffnet_money_t *starts; /* every first payment (source to transit), sorted by value */
    int64_t n_starts;
    int64_t path[CO_MAX_DEPTH];
    double prob[CO_MAX_DEPTH];
    int64_t depth;
    co_rec_t *rec;
    int64_t n_rec, cap_rec;
    iffnet_i_vec_t buf;
} co_search_t;

static int co_record(co_search_t *s, double p)
{
    IFFNET_TRY(iffnet_i_reserve((void **)&s->rec, &s->cap_rec, s->n_rec + 1, sizeof *s->rec));
    co_rec_t *r = &s->rec[s->n_rec++];
    r->src = s->c->tx_src[s->path[0]];
    r->transit = s->c->tx_dst[s->path[0]];
    r->start = s->path[0];
    r->off = s->buf.n;
    r->len = s->depth;
    /* A path is as extreme as another when it is at least as unlikely and its
     * first payment at least as large: the share of the case's first payments
     * that large, combined with the path's chance by Fisher's rule. */
    double v0 = (double)iffnet_case_tx_value(s->c, s->path[0]);
    int64_t lo = 0, hi = s->n_starts;
    while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if ((double)s->starts[m] < v0 * (1 - 1e-9)) lo = m + 1; else hi = m; }
    r->p = iffnet_i_rf_fisher2((double)(s->n_starts - lo) / (double)(s->n_starts > 0 ? s->n_starts : 1), p);
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

/* Number of values of the sorted v[b..e) in [lo, hi]. */
static int64_t count_between(const iffnet_money_t *v, int64_t b, int64_t e, double lo, double hi)
{
    int64_t l = b, h = e;
    while (l < h) { int64_t m = l + (h - l) / 2; if ((double)v[m] < lo) l = m + 1; else h = m; }
    int64_t first = l;
    h = e;
    while (l < h) { int64_t m = l + (h - l) / 2; if ((double)v[m] <= hi) l = m + 1; else h = m; }
    return l - first;
}

/* Chance that account v's routine makes a payment at least as close to x as y
 * within the delay (see the file comment). */
static double hop_chance(const co_search_t *s, int64_t v, double x, double y, iffnet_time_t delay)
{
    double d = fabs(log(y / x)), lo = x * exp(-d) * (1 - 1e-9), hi = x * exp(d) * (1 + 1e-9);
    int64_t n_v = s->adj->off[v + 1] - s->adj->off[v];
    int64_t own = count_between(s->val, s->adj->off[v], s->adj->off[v + 1], lo, hi) - 1;   /* not y itself */
    double share = (double)count_between(s->all, 0, s->n_all, lo, hi) / (double)(s->n_all > 0 ? s->n_all : 1);
    /* v pays at its own rate; amounts like the case's, unless its own history
     * shows more of them in the band. */
    double rate = fmax((double)(own > 0 ? own : 0), (double)n_v * share) / s->p->period;
    double days = (double)(delay > 86400 ? delay : 86400);
    return 1.0 - exp(-rate * days);
}

/* The chance of the best onward payment, whose own chance is q: it was chosen
 * for being both close in value and soon, and two independent uniform tail
 * chances have a product at most q with probability q (1 - ln q) (Fisher's
 * rule). */
static double chosen(double q)
{
    return iffnet_i_rf_fisher2(q, 1.0);
}

/* Extends the path from account v (reached at time `now`, n_transit transit
 * accounts so far). Of v's onward payments it follows the two its routine
 * explains least: the best that ends the path in a destination country and the
 * best into another transit account (which may be the same payment, into a
 * country both transit and destination); each hop's chance counts the
 * branches taken. */
static int co_extend(co_search_t *s, int64_t v, iffnet_time_t now, iffnet_time_t end, int64_t n_transit)
{
    const iffnet_case_t *c = s->c;
    int64_t lo = first_at(c, s->adj->tx, s->adj->off[v], s->adj->off[v + 1], now), best[2] = { -1, -1 };
    double x = (double)iffnet_case_tx_value(c, s->path[s->depth - 1]), before = s->prob[s->depth - 1];
    double best_p[2] = { INFINITY, INFINITY };
    for (int64_t k = lo; k < s->adj->off[v + 1]; k++) {
        int64_t t = s->adj->tx[k], w = c->tx_dst[t];
        if (c->tx_time[t] > end) break;
        if (++s->p->steps > s->p->max_steps) { s->p->cut = 1; return IFFNET_OK; }
        if (w == v || iffnet_case_tx_value(c, t) < s->p->min_amount || iffnet_case_tx_value(c, t) <= 0) continue;
        /* The money arrives in a destination country: crossing a border into it, or
         * staying in a country that is both transit and destination (HK, VN). */
        int found_dest = (s->role[w] & IFFNET_ROLE_DESTINATION) &&
                         ((s->role[v] & IFFNET_ROLE_DESTINATION) ||
                          strcmp(iffnet_case_account_country(c, w), iffnet_case_account_country(c, v)) != 0);
        /* An account in a country that is also a transit country may pass the
         * money on again (Viet Nam on to China): it can end a path and go on. */
        int go_on = (s->role[w] & IFFNET_ROLE_TRANSIT) && n_transit < s->p->max_transit && s->depth + 1 < CO_MAX_DEPTH;
        for (int64_t i = 0; go_on && i < s->depth; i++) go_on = c->tx_dst[s->path[i]] != w && c->tx_src[s->path[i]] != w;
        if (!found_dest && !go_on) continue;
        double p = hop_chance(s, v, x, (double)iffnet_case_tx_value(c, t), c->tx_time[t] - now);
        if (found_dest && p < best_p[0]) { best_p[0] = p; best[0] = t; }
        if (go_on && p < best_p[1]) { best_p[1] = p; best[1] = t; }
    }
    /* Hops that the routine explains more often than not are not followed. */
    for (int kind = 0; kind < 2; kind++)
        if (best[kind] >= 0 && !((best_p[kind] = chosen(best_p[kind])) < s->p->max_hop_chance)) best[kind] = -1;
    int branches = (best[0] >= 0) + (best[1] >= 0);
    for (int kind = 0; kind < 2; kind++) {
        int64_t t = best[kind];
        if (t < 0) continue;
        s->path[s->depth] = t;
        s->prob[s->depth] = fmin(1.0, before * best_p[kind] * branches);
        s->depth++;
        if (kind == 0) IFFNET_TRY(co_record(s, s->prob[s->depth - 1]));
        else IFFNET_TRY(co_extend(s, c->tx_dst[t], c->tx_time[t], end, n_transit + 1));
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

/* Records by (source, transit), then start payment, then chance. */
static int cmp_rec(const void *a, const void *b)
{
    const co_rec_t *x = a, *y = b;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    if (x->transit != y->transit) return x->transit < y->transit ? -1 : 1;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return (x->off > y->off) - (x->off < y->off);
}

static int cmp_rec_p(const void *a, const void *b)
{
    const co_rec_t *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

typedef struct { int64_t src, dst; iffnet_time_t first, last; } co_pair_t;

/* The source-transit pairs of the case: how many first payments each had,
 * compressed to (count, number of pairs with that count); every pair with the
 * time of its first and last payment; the pairs that trade over most of the
 * case (at most that many have standing routes). */
typedef struct { int64_t n; int64_t *count, *pairs; int64_t n_all, n_standing; co_pair_t *all; } co_pairs_t;

static int cmp_pair(const void *a, const void *b)
{
    const co_pair_t *x = a, *y = b;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    return (x->dst > y->dst) - (x->dst < y->dst);
}

static double pairs_expect(const co_pairs_t *pp, double p, int64_t j)
{
    double e = 0;
    for (int64_t i = 0; i < pp->n; i++) e += (double)pp->pairs[i] * iffnet_i_rf_poisson_tail((double)pp->count[i] * p, j);
    return e;
}

/* Chance that path b, from the same source-transit pair as a, also takes a's
 * route onward (the same accounts in the same order): for each onward hop from
 * v to w, v's share of payments to w besides these two (at least one). 1 when
 * the routes differ. */
static double route_repeat(const co_search_t *s, const co_rec_t *a, const co_rec_t *b)
{
    const iffnet_case_t *c = s->c;
    const int64_t *pa = s->buf.v + a->off, *pb = s->buf.v + b->off;
    if (a->len != b->len) return 1.0;
    for (int64_t h = 1; h < a->len; h++)
        if (c->tx_dst[pa[h]] != c->tx_dst[pb[h]]) return 1.0;
    double q = 1.0;
    for (int64_t h = 1; h < b->len; h++) {
        int64_t v = c->tx_src[pb[h]], w = c->tx_dst[pb[h]], to_w = 0, n_v = s->adj->off[v + 1] - s->adj->off[v];
        for (int64_t k = s->adj->off[v]; k < s->adj->off[v + 1]; k++) to_w += c->tx_dst[s->adj->tx[k]] == w;
        q *= fmin(1.0, (double)(to_w > 2 ? to_w - 2 : 1) / (double)(n_v > 0 ? n_v : 1));
    }
    return q;
}

static const char *role_name(unsigned roles, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s%s", roles & IFFNET_ROLE_SOURCE ? "source" : "",
             (roles & IFFNET_ROLE_SOURCE) && (roles & 6) ? "/" : "", roles & IFFNET_ROLE_TRANSIT ? "transit" : "",
             (roles & IFFNET_ROLE_TRANSIT) && (roles & 4) ? "/" : "", roles & IFFNET_ROLE_DESTINATION ? "destination" : "");
    return buf;
}

/* One alert for the paths r[0..n) of one source-transit pair (one per first
 * payment, best first). */
static int co_emit(const iffnet_i_rf_env_t *env, co_search_t *s, const co_pairs_t *pp, co_rec_t *r, int64_t n,
                   iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    iffnet_i_vec_t tx = { 0 }, acc = { 0 };
    double *e_of = malloc((size_t)(n + 1) * sizeof *e_of);
    int err = IFFNET_OK;
    if (!e_of) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    iffnet_i_sort(r, (size_t)n, sizeof *r, cmp_rec_p);
    double route = 1.0;
    for (int64_t j = 1; j <= n; j++) {
        if (j > 1) route *= route_repeat(s, &r[0], &r[j - 1]);
        e_of[j - 1] = pairs_expect(pp, r[j - 1].p, j) * route;
    }
    int64_t j, n_pairs = 0;
    double e = iffnet_i_rf_best_of(e_of, n, &j);
    for (int64_t i = 0; i < pp->n; i++) n_pairs += pp->pairs[i];
    /* Paths the two have kept up over most of the case are their standing trade. */
    iffnet_time_t first = INT64_MAX, last = INT64_MIN;
    for (int64_t k = 0; k < j; k++) {
        iffnet_time_t t = c->tx_time[r[k].start];
        first = t < first ? t : first;
        last = t > last ? t : last;
    }
    int standing = iffnet_i_rf_standing(first, last, (iffnet_time_t)s->p->period);
    double e_chance = e;
    if (standing) e = fmax(e, (double)pp->n_standing);
    if (!iffnet_i_rf_written(e, e_chance, (double)n_pairs, s->p->max_expected)) goto out;
    /* The j best paths go into the alert. */
    iffnet_money_t in = 0, onward = 0;
    int64_t max_len = 0;
    for (int64_t k = 0; k < j && !err; k++) {
        const int64_t *p = s->buf.v + r[k].off;
        /* Checked: paths may share their first or last payment. */
        if (iffnet_i_money_add(&in, iffnet_case_tx_value(c, p[0])) ||
            iffnet_i_money_add(&onward, iffnet_case_tx_value(c, p[r[k].len - 1]))) {
            err = iffnet_i_money_overflow("corridor: the paths' payments");
            break;
        }
        if (r[k].len > max_len) max_len = r[k].len;
        for (int64_t h = 0; h < r[k].len && !err; h++)
            if (!(err = iffnet_i_vec_push(&tx, p[h])) && !(err = iffnet_i_vec_push(&acc, c->tx_src[p[h]])))
                err = iffnet_i_vec_push(&acc, c->tx_dst[p[h]]);
    }
    if (err) goto out;
    iffnet_alert_t *a = NULL;
    if ((err = iffnet_alert_list_add(out, IFFNET_TYP_CORRIDOR, 0, acc.v, acc.n, tx.v, tx.n, &a))) goto out;
    iffnet_i_rf_set_moved(a, in);
    const int64_t *p0 = s->buf.v + r[0].off;
    int64_t src = r[0].src, tr = r[0].transit, d = c->tx_dst[p0[r[0].len - 1]], before_d = c->tx_src[p0[r[0].len - 1]];
    char m1[48], m2[48], rs[40], rt[40], rd[40];
    double days = (double)(c->tx_time[p0[r[0].len - 1]] - c->tx_time[p0[0]]) / 86400.0;
    err = iffnet_alert_add_reason(a, "%s (%s, listed as %s; used as the source) paid %s to %s (%s, listed as %s; used as "
                                  "a transit country because the money moved on from it); %s went on in %lld path(s), "
                                  "the first reaching %s (%s, listed as %s; used as the destination: %s) in %.1f days",
                                  iffnet_case_account_id(c, src), iffnet_case_account_country(c, src),
                                  role_name(s->role[src], rs, sizeof rs), iffnet_i_rf_money_str(env, m1, sizeof m1, in),
                                  iffnet_case_account_id(c, tr), iffnet_case_account_country(c, tr),
                                  role_name(s->role[tr], rt, sizeof rt), iffnet_i_rf_money_str(env, m2, sizeof m2, onward),
                                  (long long)j, iffnet_case_account_id(c, d), iffnet_case_account_country(c, d),
                                  role_name(s->role[d], rd, sizeof rd),
                                  strcmp(iffnet_case_account_country(c, d), iffnet_case_account_country(c, before_d)) != 0
                                      ? "the money crossed into it" : "the money stayed there, a destination too",
                                  days);
    if (!err && standing) {
        char d1[24], d2[24];
        iffnet_time_format(d1, sizeof d1, first, 1);
        iffnet_time_format(d2, sizeof d2, last, 1);
        err = iffnet_alert_add_reason(a, "routine: %s's payments to %s went on this way from %s to %s, over most of the "
                                      "case (a standing route; at most %lld source-transit pair(s) of the case have one)",
                                      iffnet_case_account_id(c, src), iffnet_case_account_id(c, tr), d1, d2,
                                      (long long)pp->n_standing);
    }
    if (!err)
        err = iffnet_i_rf_expect(a, e, "the %s path's onward hops would come from the accounts' own routine with "
                                 "probability %.2g; %lld of %lld such paths, against every source-transit pair of the "
                                 "case and its first payments", j > 1 ? "weakest chosen" : "best", r[j - 1].p,
                                 (long long)j, (long long)n);
out:
    free(e_of);
    iffnet_i_vec_free(&tx);
    iffnet_i_vec_free(&acc);
    return err;
}

static int co_params_read(const iffnet_detect_ctx_t *ctx, const iffnet_case_t *c, co_params_t *p)
{
    iffnet_time_t period = iffnet_i_rf_period(c);
    IFFNET_TRY(iffnet_i_setting_duration(ctx->cfg, "corridor", "window", period, &p->window));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "corridor", "max_transit", 3, 1, 10, &p->max_transit));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "corridor", "max_steps", 20000000, 1000, INT64_MAX, &p->max_steps));
    IFFNET_TRY(iffnet_i_setting_money(ctx->cfg, "corridor", "min_amount", 0, iffnet_detect_value_scale(ctx),
                                      &p->min_amount));
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "corridor", "max_hop_chance", 0.5, 1e-12, 1.0, &p->max_hop_chance));
    IFFNET_TRY(iffnet_i_rf_max_expected(ctx, &p->max_expected));
    p->period = (double)period;
    return IFFNET_OK;
}

/* 1 when payment t can start a path: from a source-country account to a
 * transit-country account in another country. */
static int is_start(const iffnet_case_t *c, const co_params_t *p, const unsigned char *role, int64_t t)
{
    int64_t u = c->tx_src[t], w = c->tx_dst[t];
    if (!(role[u] & IFFNET_ROLE_SOURCE) || !(role[w] & IFFNET_ROLE_TRANSIT)) return 0;
    if (strcmp(iffnet_case_account_country(c, u), iffnet_case_account_country(c, w)) == 0) return 0;
    return iffnet_case_tx_value(c, t) >= p->min_amount && iffnet_case_tx_value(c, t) > 0;
}

/* The source-transit first payments of the case, counted per pair. */
static int co_count_pairs(const iffnet_case_t *c, const co_params_t *p, const unsigned char *role, co_pairs_t *pp)
{
    co_pair_t *v = NULL;
    int64_t n = 0, cap = 0, *cnt = NULL;
    int err = IFFNET_OK;
    for (int64_t t = 0; t < c->n_tx; t++) {
        if (!is_start(c, p, role, t)) continue;
        if ((err = iffnet_i_reserve((void **)&v, &cap, n + 1, sizeof *v))) goto out;
        v[n++] = (co_pair_t){ c->tx_src[t], c->tx_dst[t], c->tx_time[t], c->tx_time[t] };
    }
    iffnet_i_sort(v, (size_t)n, sizeof *v, cmp_pair);
    if (!(cnt = malloc((size_t)(n + 1) * sizeof *cnt))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    int64_t m = 0;
    iffnet_time_t period = iffnet_i_rf_period(c);
    for (int64_t i = 0, j; i < n; i = j) {
        iffnet_time_t first = v[i].first, last = v[i].last;
        for (j = i; j < n && v[j].src == v[i].src && v[j].dst == v[i].dst; j++) {
            first = v[j].first < first ? v[j].first : first;
            last = v[j].last > last ? v[j].last : last;
        }
        cnt[m] = j - i;
        v[m] = (co_pair_t){ v[i].src, v[i].dst, first, last };
        pp->n_standing += iffnet_i_rf_standing(first, last, period);
        m++;
    }
    pp->all = v;
    pp->n_all = m;
    v = NULL;
    iffnet_i_sort(cnt, (size_t)m, sizeof *cnt, iffnet_i_cmp_i64);
    pp->count = malloc((size_t)(m + 1) * sizeof *pp->count);
    pp->pairs = malloc((size_t)(m + 1) * sizeof *pp->pairs);
    if (!pp->count || !pp->pairs) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    pp->n = 0;
    for (int64_t i = 0, j; i < m; i = j) {
        for (j = i; j < m && cnt[j] == cnt[i]; j++) {}
        pp->count[pp->n] = cnt[i];
        pp->pairs[pp->n++] = j - i;
    }
out:
    free(v);
    free(cnt);
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
    co_pairs_t pp = { 0 };
    unsigned char *role = NULL, *keep = NULL;
    iffnet_money_t *val = NULL, *all = NULL, *starts = NULL;
    int err, have_ind = 0;
    iffnet_i_rf_env(&env, ctx);
    if ((err = co_params_read(ctx, c, &p))) return err;
    if ((err = iffnet_i_rf_indicators(ctx, &ind))) return err;
    have_ind = 1;
    if (!(role = malloc((size_t)c->n_accounts + 1)) || !(keep = malloc((size_t)c->n_accounts + 1))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) {
        role[a] = (unsigned char)iffnet_indicators_country_roles(&ind, iffnet_case_account_country(c, a));
        keep[a] = (role[a] & IFFNET_ROLE_TRANSIT) != 0;   /* paths only continue from transit countries */
    }
    if ((err = co_count_pairs(c, &p, role, &pp))) goto out;
    if (pp.n == 0) goto out;
    if ((err = iffnet_i_rf_adj_build_some(&adj, c, 1, keep))) goto out;
    val = malloc((size_t)(adj.off[c->n_accounts] + 1) * sizeof *val);
    all = malloc((size_t)(adj.off[c->n_accounts] + 1) * sizeof *all);
    if (!val || !all) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t k = 0; k < adj.off[c->n_accounts]; k++) val[k] = iffnet_case_tx_value(c, adj.tx[k]);
    for (int64_t a = 0; a < c->n_accounts; a++)
        iffnet_i_sort(val + adj.off[a], (size_t)(adj.off[a + 1] - adj.off[a]), sizeof *val, cmp_money);
    memcpy(all, val, (size_t)adj.off[c->n_accounts] * sizeof *all);
    iffnet_i_sort(all, (size_t)adj.off[c->n_accounts], sizeof *all, cmp_money);
    s.c = c; s.p = &p; s.role = role; s.adj = &adj; s.val = val; s.all = all; s.n_all = adj.off[c->n_accounts];
    if (!(starts = malloc((size_t)(c->n_tx + 1) * sizeof *starts))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t t = 0; t < c->n_tx; t++)
        if (is_start(c, &p, role, t)) starts[s.n_starts++] = iffnet_case_tx_value(c, t);
    iffnet_i_sort(starts, (size_t)s.n_starts, sizeof *starts, cmp_money);
    s.starts = starts;
    for (int64_t t = 0; t < c->n_tx && !p.cut; t++) {
        int64_t v = c->tx_dst[t];
        if (!is_start(c, &p, role, t)) continue;
        s.depth = 1;
        s.path[0] = t;
        s.prob[0] = 1.0;
        if ((err = co_extend(&s, v, c->tx_time[t], c->tx_time[t] + p.window, 1))) goto out;
    }
    if (p.cut && ctx->note)
        ctx->note(ctx->note_arg, "corridor: search stopped after %lld steps (corridor.max_steps); paths from later "
                  "first payments were not followed", (long long)p.max_steps);
    /* The best path of each first payment, grouped by source-transit pair. */
    iffnet_i_sort(s.rec, (size_t)s.n_rec, sizeof *s.rec, cmp_rec);
    int64_t w = 0;
    for (int64_t i = 0; i < s.n_rec; i++)
        if (w == 0 || s.rec[i].start != s.rec[w - 1].start) s.rec[w++] = s.rec[i];
    s.n_rec = w;
    for (int64_t i = 0, j; i < s.n_rec; i = j) {
        for (j = i; j < s.n_rec && s.rec[j].src == s.rec[i].src && s.rec[j].transit == s.rec[i].transit; j++) {}
        if ((err = co_emit(&env, &s, &pp, s.rec + i, j - i, out))) goto out;
    }
out:
    free(role);
    free(keep);
    free(val);
    free(all);
    free(starts);
    free(s.rec);
    free(pp.count);
    free(pp.pairs);
    free(pp.all);
    iffnet_i_vec_free(&s.buf);
    iffnet_i_rf_adj_destroy(&adj);
    if (have_ind) iffnet_indicators_destroy(&ind);
    return err;
}
