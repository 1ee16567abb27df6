/* redflag_pep.c: payments to politically exposed persons.
 *
 * FATF's guidance on PEPs (2013, R.12/22) asks for the source of funds to be
 * consistent with the known profile; its wildlife report (2020) points at
 * payments from companies with a stake in an official's decisions. A payment
 * counts when it comes from outside the PEP's own accounts and is not known
 * income: pay from the PEP's recorded employer, or a payer that has paid the
 * account over more than half of the case or the same amount again and again
 * (rent, a pension: a standing arrangement); a private person's transfer (family support, a gift among
 * relatives) counts only when it is itself reportable (pep_payment.person_min,
 * default the threshold).
 *
 * What the case's own base rate explains: under the null that being a PEP has
 * nothing to do with receiving such payments, the PEP's total S of counted
 * payments is one draw among the accounts like it (held by the same kind of
 * entity: persons with persons, companies with companies), each counted the
 * same way. The chance of a total at least S is the share of those accounts
 * that received at least S, the PEP included; E multiplies it by the PEP
 * accounts tested. A PEP paid 50.00 for selling crypto is in the company of
 * thousands of citizens; one paid 80,000 in "consulting fees" is not. */
#include <math.h>
#include <strings.h>
#include <gsl/gsl_cdf.h>
#include "redflag_internal.h"

static int cmp_pair2(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
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
        if (s < 0 || ent[s] < 2) continue;
        if (strcmp(type, "holds_account") == 0 && c->rel_dst_account[r] >= 0) lvl[c->rel_dst_account[r]] = 2;
        else if (indirect && d >= 0 && !ent[d] && (strcmp(type, "owns") == 0 || strcmp(type, "director_of") == 0))
            ent[d] = 1;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int64_t e1 = c->account_entity ? c->account_entity[a] : -1, e2 = c->account_holder ? c->account_holder[a] : -1;
        unsigned char l1 = e1 >= 0 ? ent[e1] : 0, l2 = e2 >= 0 ? ent[e2] : 0;
        unsigned char l = l1 > l2 ? l1 : l2;
        if (l > lvl[a]) lvl[a] = l;
    }
    free(ent);
    return IFFNET_OK;
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

/* Kind class of the entity behind account a: 1 a natural person (kind
 * "person", "individual" or "natural_person"), 2 another known kind, 0 unknown. */
static int kind_class(const iffnet_case_t *c, int64_t a)
{
    int64_t e = iffnet_i_rf_account_owner(c, a);
    if (e < 0 || !c->entity_kind || c->entity_kind[e] < 0) return 0;
    const char *k = iffnet_case_text(c, c->entity_kind[e]);
    if (strcasecmp(k, "person") == 0 || strcasecmp(k, "individual") == 0 || strcasecmp(k, "natural_person") == 0)
        return 1;
    return 2;
}

typedef struct {
    iffnet_money_t min_amount, person_min;
    int64_t indirect, skip_employer;
} pep_params_t;

/* 1 when transaction t into its payee counts as a payment to it (the same rule
 * for PEPs and for the accounts they are compared with). */
static int counts(const iffnet_case_t *c, const pep_params_t *p, const iffnet_i_vec_t *pairs,
                  const unsigned char *cls, int64_t t)
{
    int64_t s = c->tx_src[t], a = c->tx_dst[t], owner = iffnet_i_rf_account_owner(c, a);
    iffnet_money_t v = iffnet_case_tx_value(c, t);
    /* Transfers between the holder's own accounts are not payments to them. */
    if (s == a || (owner >= 0 && iffnet_i_rf_account_owner(c, s) == owner)) return 0;
    /* Pay from the employer is known income (FATF Guidance on PEPs, 2013:
     * source of funds consistent with the known profile). */
    if (p->skip_employer && employs(pairs, iffnet_i_rf_account_owner(c, s), owner)) return 0;
    if (v < p->min_amount) return 0;
    return cls[s] != 1 || v >= p->person_min;
}

typedef struct { int64_t dst, src, t; } pep_pay_t;

static int cmp_pay(const void *a, const void *b)
{
    const pep_pay_t *x = a, *y = b;
    if (x->dst != y->dst) return x->dst < y->dst ? -1 : 1;
    if (x->src != y->src) return x->src < y->src ? -1 : 1;
    return (x->t > y->t) - (x->t < y->t);
}

/* A payer that has paid the account over more than half of the case, or the
 * same amount again and again, is a standing arrangement (rent from a tenant, a
 * pension, a salary without a recorded employer): the account's known income,
 * not counted. "The same amount": the k >= 3 payments' log-amounts vary less
 * than the payer's payments to everyone do (standard deviation sigma_payer)
 * with a chi-square chance P(chi2(k-1) <= (k-1) s^2 / sigma_payer^2) below one
 * over the number of payer-account streams. */
static int drop_standing(const iffnet_case_t *c, unsigned char *counted)
{
    int64_t n = 0, A = c->n_accounts;
    pep_pay_t *v = NULL;
    double *m1 = calloc((size_t)A + 1, sizeof *m1), *m2 = calloc((size_t)A + 1, sizeof *m2);
    int64_t *cnt = calloc((size_t)A + 1, sizeof *cnt);
    int err = IFFNET_OK;
    if (!m1 || !m2 || !cnt) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    /* How much each payer's payments vary, to anyone. */
    for (int64_t t = 0; t < c->n_tx; t++) {
        double x = log(fmax(1.0, (double)iffnet_case_tx_value(c, t)));
        int64_t a = c->tx_src[t];
        m1[a] += x;
        m2[a] += x * x;
        cnt[a]++;
        n += counted[t];
    }
    if (!(v = malloc((size_t)(n + 1) * sizeof *v))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    n = 0;
    for (int64_t t = 0; t < c->n_tx; t++)
        if (counted[t]) v[n++] = (pep_pay_t){ c->tx_dst[t], c->tx_src[t], t };
    iffnet_i_sort(v, (size_t)n, sizeof *v, cmp_pay);
    int64_t n_streams = 0;
    for (int64_t i = 0; i < n; i++) n_streams += i == 0 || v[i].dst != v[i - 1].dst || v[i].src != v[i - 1].src;
    iffnet_time_t period = iffnet_i_rf_period(c);
    for (int64_t i = 0, j; i < n; i = j) {
        double s1 = 0, s2 = 0;
        for (j = i; j < n && v[j].dst == v[i].dst && v[j].src == v[i].src; j++) {
            double x = log(fmax(1.0, (double)iffnet_case_tx_value(c, v[j].t)));
            s1 += x;
            s2 += x * x;
        }
        int64_t k = j - i, a = v[i].src;
        int standing = iffnet_i_rf_standing(c->tx_time[v[i].t], c->tx_time[v[j - 1].t], period);
        double var_p = cnt[a] > 1 ? (m2[a] - m1[a] * m1[a] / (double)cnt[a]) / (double)(cnt[a] - 1) : 0.0;
        if (!standing && k >= 3) {
            /* (A payer that pays everyone one amount: its stream is a fixed amount too.) */
            double var_s = fmax(0.0, (s2 - s1 * s1 / (double)k) / (double)(k - 1));
            double p = var_p > 0 ? gsl_cdf_chisq_P((double)(k - 1) * var_s / var_p, (double)(k - 1)) : var_s > 0;
            standing = p * (double)n_streams < 1.0;
        }
        if (standing)
            for (int64_t q = i; q < j; q++) counted[v[q].t] = 0;
    }
out:
    free(v);
    free(m1);
    free(m2);
    free(cnt);
    return err;
}

static int pep_emit(const iffnet_i_rf_env_t *env, int64_t a, int level, const int64_t *tx, int64_t n, double e,
                    int64_t rank, int64_t n_like, int64_t n_pep, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    iffnet_money_t sum = 0;
    int64_t *acc = malloc((size_t)(n + 1) * sizeof *acc), n_payers = 0;
    if (!acc) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < n; i++) { sum += iffnet_case_tx_value(c, tx[i]); acc[i] = c->tx_src[tx[i]]; }
    iffnet_i_sort(acc, (size_t)n, sizeof *acc, iffnet_i_cmp_i64);
    for (int64_t i = 0; i < n; i++) if (i == 0 || acc[i] != acc[n_payers - 1]) acc[n_payers++] = acc[i];
    acc[n_payers] = a;
    iffnet_alert_t *al = NULL;
    char m[48];
    int err = iffnet_alert_list_add(out, IFFNET_TYP_PEP_PAYMENT, 0, acc, n_payers + 1, tx, n, &al);
    if (!err) {
        iffnet_i_rf_set_moved(al, sum);
        err = iffnet_alert_add_reason(al, "%lld payment(s) of %s from %lld payer(s) into account %s (%s), %s",
                                      (long long)n, iffnet_i_rf_money_str(env, m, sizeof m, sum), (long long)n_payers,
                                      iffnet_case_account_id(c, a), iffnet_case_account_name(c, a),
                                      level == 2 ? "held by a politically exposed person"
                                                 : "of a company a politically exposed person owns or directs");
    }
    if (!err)
        err = iffnet_i_rf_expect(al, e, "%lld of the %lld accounts held like it received at least this much in "
                                 "payments counted the same way; %lld PEP account(s) tested",
                                 (long long)rank, (long long)n_like, (long long)n_pep);
    free(acc);
    return err;
}

int iffnet_redflag_pep_payment(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    iffnet_i_rf_adj_t in = { 0 };
    iffnet_i_vec_t tx = { 0 }, pairs = { 0 };
    unsigned char *lvl = NULL, *cls = NULL, *counted = NULL;
    double *sum = NULL, *sorted[3] = { NULL, NULL, NULL };
    int64_t n_like[3] = { 0 }, n_pos[3] = { 0 }, n_pep[3] = { 0 };
    pep_params_t p;
    double max_expected;
    int err;
    iffnet_i_rf_env(&env, ctx);
    if ((err = iffnet_i_setting_money(ctx->cfg, "pep_payment", "min_amount", 0, env.vscale, &p.min_amount)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "pep_payment", "indirect", 0, 0, 1, &p.indirect)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "pep_payment", "skip_employer", 1, 0, 1, &p.skip_employer)) ||
        (err = iffnet_i_setting_money(ctx->cfg, "pep_payment", "person_min",
                                      ctx->threshold > 0 ? ctx->threshold : INT64_MAX / 4, env.vscale, &p.person_min)) ||
        (err = iffnet_i_rf_max_expected(ctx, &max_expected)))
        return err;
    int64_t A = c->n_accounts;
    lvl = malloc((size_t)A + 1);
    cls = malloc((size_t)A + 1);
    sum = calloc((size_t)A + 1, sizeof *sum);
    if (!lvl || !cls || !sum) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    if ((err = pep_levels(c, (int)p.indirect, lvl))) goto out;
    int any = 0;
    for (int64_t a = 0; a < A; a++) any |= lvl[a] != 0;
    if (!any) goto out;
    if ((err = iffnet_i_rf_adj_build_some(&in, c, 0, lvl)) || (err = employ_pairs(c, &pairs))) goto out;
    /* The base rate: every account's total of counted payments, by kind. */
    for (int64_t a = 0; a < A; a++) cls[a] = (unsigned char)kind_class(c, a);
    if (!(counted = calloc((size_t)c->n_tx + 1, 1))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    /* Only accounts held like a PEP's need their totals. */
    int with_pep[3] = { 0 };
    for (int64_t a = 0; a < A; a++) if (lvl[a]) with_pep[cls[a]] = 1;
    for (int64_t t = 0; t < c->n_tx; t++)
        counted[t] = with_pep[cls[c->tx_dst[t]]] && counts(c, &p, &pairs, cls, t);
    if ((err = drop_standing(c, counted))) goto out;
    for (int64_t t = 0; t < c->n_tx; t++)
        if (counted[t]) sum[c->tx_dst[t]] += (double)iffnet_case_tx_value(c, t);
    for (int64_t a = 0; a < A; a++) {
        if (a == env.cash_account) continue;
        n_like[cls[a]]++;
        n_pos[cls[a]] += sum[a] > 0;
        n_pep[cls[a]] += lvl[a] != 0;
    }
    for (int k = 0; k < 3; k++)
        if (!(sorted[k] = malloc((size_t)(n_pos[k] + 1) * sizeof *sorted[k]))) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    memset(n_pos, 0, sizeof n_pos);
    for (int64_t a = 0; a < A; a++)
        if (a != env.cash_account && sum[a] > 0) sorted[cls[a]][n_pos[cls[a]]++] = sum[a];
    for (int k = 0; k < 3; k++) iffnet_i_sort(sorted[k], (size_t)n_pos[k], sizeof *sorted[k], cmp_double);
    for (int64_t a = 0; a < A; a++) {
        if (!lvl[a] || !(sum[a] > 0)) continue;
        tx.n = 0;
        for (int64_t k = in.off[a]; k < in.off[a + 1]; k++)
            if (counted[in.tx[k]] && (err = iffnet_i_vec_push(&tx, in.tx[k]))) goto out;
        int k = cls[a];
        int64_t lo = 0, hi = n_pos[k];
        while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if (sorted[k][m] < sum[a] * (1 - 1e-12)) lo = m + 1; else hi = m; }
        int64_t rank = n_pos[k] - lo;
        double e = (double)n_pep[k] * (double)rank / (double)n_like[k];
        if (!iffnet_i_rf_written(e, e, (double)n_pep[k], max_expected)) continue;
        if (tx.n && (err = pep_emit(&env, a, lvl[a], tx.v, tx.n, e, rank, n_like[k], n_pep[k], out))) goto out;
    }
out:
    free(lvl);
    free(cls);
    free(counted);
    free(sum);
    for (int k = 0; k < 3; k++) free(sorted[k]);
    iffnet_i_rf_adj_destroy(&in);
    iffnet_i_vec_free(&tx);
    iffnet_i_vec_free(&pairs);
    return err;
}
