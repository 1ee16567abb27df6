/* redflag_util.c: helpers shared by the red-flag detectors. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <strings.h>
#include <gsl/gsl_cdf.h>
#include "redflag_internal.h"

int32_t iffnet_i_rf_channel(const iffnet_case_t *c, const char *name)
{
    for (int64_t i = 0; i < c->channels.n; i++)
        if (strcmp(iffnet_strtab_get(&c->channels, i), name) == 0) return (int32_t)i;
    return -1;
}

void iffnet_i_rf_env(iffnet_i_rf_env_t *env, const iffnet_detect_ctx_t *ctx)
{
    const iffnet_case_t *c = ctx->c;
    env->ctx = ctx;
    env->c = c;
    env->ch_cash_dep = iffnet_i_rf_channel(c, "cash_deposit");
    env->ch_cash_wd = iffnet_i_rf_channel(c, "cash_withdrawal");
    env->ch_wire = iffnet_i_rf_channel(c, "wire");
    env->cash_account = -1;
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (strcmp(iffnet_case_account_id(c, a), "CASH") == 0) { env->cash_account = a; break; }
    env->vscale = (ctx->value_currency >= 0 && c->currency_scale)
                      ? c->currency_scale[ctx->value_currency] : 2;
}

int iffnet_i_rf_is_cash_deposit(const iffnet_i_rf_env_t *env, int64_t t)
{
    const iffnet_case_t *c = env->c;
    if (env->ch_cash_dep >= 0 && c->tx_channel && c->tx_channel[t] == env->ch_cash_dep) return 1;
    return env->cash_account >= 0 && c->tx_src[t] == env->cash_account;
}

int iffnet_i_rf_round_units(const iffnet_case_t *c, int64_t unit_major, iffnet_money_t **units)
{
    int64_t n = c->currencies.n;
    *units = malloc((size_t)(n + 1) * sizeof **units);
    if (!*units) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t k = 0; k < n; k++) {
        iffnet_money_t u = unit_major;
        for (int i = 0; i < c->currency_scale[k] && u; i++) u = u > INT64_MAX / 10 ? 0 : u * 10;
        (*units)[k] = u;
    }
    return IFFNET_OK;
}

const char *iffnet_i_rf_money_str(const iffnet_i_rf_env_t *env, char *buf, size_t size,
                                  iffnet_money_t v)
{
    if (env->ctx->value_currency < 0 ||
        iffnet_case_format_money(env->c, buf, size, v, env->ctx->value_currency, 1) < 0)
        iffnet_amount_format(buf, size, v, env->vscale, ',');
    return buf;
}

int64_t iffnet_i_rf_account_owner(const iffnet_case_t *c, int64_t a)
{
    if (c->account_holder && c->account_holder[a] >= 0) return c->account_holder[a];
    if (c->account_entity && c->account_entity[a] >= 0) return c->account_entity[a];
    return -1;
}

int64_t iffnet_i_rf_attr_col(const iffnet_case_t *c, const char *name)
{
    for (int64_t k = 0; k < c->n_attrs; k++)
        if (strcasecmp(iffnet_strtab_get(&c->attr_names, k), name) == 0) return k;
    return -1;
}

int iffnet_i_rf_entity_pep(const iffnet_case_t *c, int64_t e, int64_t pep_col)
{
    int64_t v = iffnet_i_rf_attr(c, e, pep_col);
    if (v < 0) return 0;
    const char *s = iffnet_case_text(c, v);
    return strcasecmp(s, "yes") == 0 || strcasecmp(s, "y") == 0 || strcasecmp(s, "true") == 0 ||
           strcmp(s, "1") == 0;
}

int iffnet_i_rf_adj_build_some(iffnet_i_rf_adj_t *adj, const iffnet_case_t *c, int outgoing,
                               const unsigned char *keep)
{
    int64_t n = c->n_accounts;
    const int32_t *end = outgoing ? c->tx_src : c->tx_dst;
    adj->tx = NULL;
    adj->off = calloc((size_t)n + 2, sizeof *adj->off);
    if (!adj->off) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (adjacency)");
    for (int64_t t = 0; t < c->n_tx; t++)
        if (!keep || keep[end[t]]) adj->off[end[t] + 1]++;
    for (int64_t a = 0; a < n; a++) adj->off[a + 1] += adj->off[a];
    adj->tx = malloc((size_t)(adj->off[n] + 1) * sizeof *adj->tx);
    int64_t *fill = malloc((size_t)(n + 1) * sizeof *fill);
    if (!adj->tx || !fill) {
        free(fill);
        iffnet_i_rf_adj_destroy(adj);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (adjacency of %lld transactions)", (long long)c->n_tx);
    }
    memcpy(fill, adj->off, (size_t)n * sizeof *fill);
    /* Transactions are sorted by time, so each list comes out in time order. */
    for (int64_t t = 0; t < c->n_tx; t++)
        if (!keep || keep[end[t]]) adj->tx[fill[end[t]]++] = t;
    free(fill);
    return IFFNET_OK;
}

int iffnet_i_rf_adj_build(iffnet_i_rf_adj_t *adj, const iffnet_case_t *c, int outgoing)
{
    return iffnet_i_rf_adj_build_some(adj, c, outgoing, NULL);
}

void iffnet_i_rf_adj_destroy(iffnet_i_rf_adj_t *adj)
{
    free(adj->off);
    free(adj->tx);
    adj->off = adj->tx = NULL;
}

/* Lower-cases and keeps letters and digits only, so "12 Rue X" and "12 rue x." match. */
static size_t normalise(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    for (; *s && n + 1 < size; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x80 || isalnum(ch)) buf[n++] = (char)tolower(ch);
    }
    buf[n] = '\0';
    return n;
}

static int idlinks_cols(iffnet_i_rf_idlinks_t *l, const iffnet_case_t *c, const char *attrs)
{
    char *copy = iffnet_i_strdup(attrs), *save = NULL;
    if (!copy) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    int64_t cap = 0;
    int err = IFFNET_OK;
    for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        int64_t col = iffnet_i_rf_attr_col(c, tok);
        if (col < 0) continue;   /* the case has no such column: nothing to link on */
        int64_t cap2 = cap;
        if ((err = iffnet_i_reserve((void **)&l->cols, &cap, l->n_cols + 1, sizeof *l->cols))) break;
        if ((err = iffnet_i_reserve((void **)&l->col_names, &cap2, l->n_cols + 1, sizeof *l->col_names))) break;
        if (!(l->col_names[l->n_cols] = iffnet_i_strdup(tok))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); break; }
        l->cols[l->n_cols++] = col;
    }
    free(copy);
    return err;
}

/* 64-bit FNV-1a of the column number and the normalised value. Two different
 * values collide with probability about n^2 / 2^65 (1e-8 for a million values),
 * which is why a hash may stand for the value here. */
static uint64_t value_hash(int64_t col, const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    h = (h ^ (uint64_t)col) * 1099511628211ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

typedef struct { uint64_t h; int64_t slot; } id_pair_t;

static int cmp_id_pair(const void *a, const void *b)
{
    const id_pair_t *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return (x->slot > y->slot) - (x->slot < y->slot);
}

int iffnet_i_rf_idlinks_build(iffnet_i_rf_idlinks_t *l, const iffnet_case_t *c, const char *attrs,
                              int64_t max_shared)
{
    id_pair_t *pairs = NULL;
    int64_t np = 0;
    int err;
    memset(l, 0, sizeof *l);
    if ((err = idlinks_cols(l, c, attrs))) goto out;
    int64_t ne = c->n_entities, nc = l->n_cols;
    l->ids = malloc((size_t)(ne * nc > 0 ? ne * nc : 1) * sizeof *l->ids);
    pairs = malloc((size_t)(ne * nc > 0 ? ne * nc : 1) * sizeof *pairs);
    if (!l->ids || !pairs) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (identifiers)"); goto out; }
    char buf[512];
    for (int64_t e = 0; e < ne; e++)
        for (int64_t k = 0; k < nc; k++) {
            int64_t v = iffnet_i_rf_attr(c, e, l->cols[k]);
            size_t len = v >= 0 ? normalise(iffnet_case_text(c, v), buf, sizeof buf) : 0;
            l->ids[e * nc + k] = -1;
            if (len > 0) pairs[np++] = (id_pair_t){ value_hash(k, buf, len), e * nc + k };
        }
    iffnet_i_sort(pairs, (size_t)np, sizeof *pairs, cmp_id_pair);
    int64_t capc = 0;
    for (int64_t i = 0, j; i < np; i = j) {
        for (j = i; j < np && pairs[j].h == pairs[i].h; j++) l->ids[pairs[j].slot] = l->n_ids;
        if ((err = iffnet_i_reserve((void **)&l->count, &capc, l->n_ids + 1, sizeof *l->count))) goto out;
        l->count[l->n_ids++] = j - i;
    }
    for (int64_t i = 0; i < ne * nc; i++)
        if (l->ids[i] >= 0 && l->count[l->ids[i]] > max_shared) l->ids[i] = -1;
out:
    free(pairs);
    if (err) iffnet_i_rf_idlinks_destroy(l);
    return err;
}

void iffnet_i_rf_idlinks_destroy(iffnet_i_rf_idlinks_t *l)
{
    for (int64_t k = 0; k < l->n_cols; k++) free(l->col_names[k]);
    free(l->col_names);
    free(l->cols);
    free(l->ids);
    free(l->count);
    memset(l, 0, sizeof *l);
}

/* ---- chance model ---- */

double iffnet_i_rf_poisson_tail(double mu, int64_t k)
{
    if (k <= 0) return 1.0;
    if (!(mu > 0)) return 0.0;
    return gsl_cdf_poisson_Q((unsigned)(k - 1 > UINT_MAX ? UINT_MAX : k - 1), mu);
}

double iffnet_i_rf_binom_tail(int64_t n, double p, int64_t k)
{
    if (k <= 0) return 1.0;
    if (k > n || !(p > 0)) return 0.0;
    if (p >= 1) return 1.0;
    if (n > UINT_MAX) return 1.0;
    return gsl_cdf_binomial_Q((unsigned)(k - 1), p, (unsigned)n);
}

double iffnet_i_rf_fisher2(double p1, double p2)
{
    double x = p1 * p2;
    if (!(x > 0)) return 0.0;
    if (x >= 1) return 1.0;
    return fmin(1.0, x * (1.0 - log(x)));
}

double iffnet_i_rf_best_of(const double *e_of_j, int64_t n, int64_t *best_j)
{
    double best = INFINITY;
    *best_j = n > 0 ? 1 : 0;
    for (int64_t j = 1; j <= n; j++)
        if (e_of_j[j - 1] < best) {
            best = e_of_j[j - 1];
            *best_j = j;
        }
    return n > 0 ? best * (double)n : INFINITY;
}

int iffnet_i_rf_expect(iffnet_alert_t *a, double e, const char *fmt, ...)
{
    va_list ap;
    char *how;
    if (!(e >= 0)) e = INFINITY;   /* NaN: nothing shows this is unusual */
    a->score = 1.0 / (1.0 + e);
    a->ranked_low = e >= 1.0;
    va_start(ap, fmt);
    how = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    if (!how) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    int err = iffnet_alert_add_reason(a, "%s: %.3g expected in this case by chance (%s)",
                                      e >= 1.0 ? "ranked low" : "chance", e, how);
    free(how);
    return err;
}

iffnet_time_t iffnet_i_rf_period(const iffnet_case_t *c)
{
    iffnet_time_t p = c->n_tx > 0 ? c->tx_time[c->n_tx - 1] - c->tx_time[0] : 0;
    return p > 86400 ? p : 86400;
}

int iffnet_i_rf_max_expected(const iffnet_detect_ctx_t *ctx, double *max_expected)
{
    return iffnet_i_setting_double(ctx->cfg, "redflag", "max_expected", 10.0, 1.0, INFINITY, max_expected);
}
