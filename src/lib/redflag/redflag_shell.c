/* redflag_shell.c: companies tied by shared directors, owners, addresses, phones or
 * registration agents, with money flowing among them.
 *
 * FATF/Egmont "Concealment of Beneficial Ownership" (2018) lists nominee
 * directors shared across many companies, formation-agent addresses and
 * circular payments among related shells as indicators; FATF (2020) found front
 * and shell companies in most wildlife laundering cases. Two companies are tied
 * when they share an identifier (shell_network.identifiers) or a person who owns
 * or directs both; ties join companies into groups (union-find). A parent
 * company that owns or directs both is a disclosed corporate group, not a hidden
 * tie (intra-group sweeps are ordinary treasury practice), so it links nothing
 * unless shell_network.company_owners is 1.
 *
 * What chance explains: companies that share an address or a director may still
 * pay each other by chance, as any two companies of the case do. With out_x and
 * in_y the payments company x makes to and y receives from companies, and T all
 * payments between companies, a tied pair pays within itself by chance with
 * probability 1 - exp(-(out_x in_y + out_y in_x) / T). A group in which d of its
 * tied pairs moved money among themselves has chance PoissonTail(mu, d), mu the
 * sum over its tied pairs; E multiplies it by the groups of the case. Two
 * companies of one owner that trade now and then are one pair; four new
 * companies behind one nominee director that invoice each other round are six.
 * A group whose companies have paid each other over more than half of the case,
 * or most of whose companies employ staff, is an operating business group (a
 * family business invoicing within itself for years; FATF/Egmont name shells
 * by their lack of staff): E is then at least the number of such groups. */
#include <math.h>
#include <strings.h>
#include "redflag_internal.h"

typedef struct {
    int64_t *off, *key;   /* CSR: sorted identifier keys of each entity */
} sh_keys_t;

static int is_company(const iffnet_case_t *c, int64_t e, const char *kinds)
{
    if (e < 0 || c->entity_kind[e] < 0) return 0;
    char k[80];
    snprintf(k, sizeof k, ",%s,", iffnet_case_text(c, c->entity_kind[e]));
    for (char *p = k; *p; p++) if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return strstr(kinds, k) != NULL;
}

static int rel_is(const iffnet_case_t *c, int64_t r, const char *type)
{
    return strcmp(iffnet_case_text(c, c->rel_type[r]), type) == 0;
}

/* Keys: attribute identifier ids, and n_ids + person for owners and directors. */
static int officer_tie(const iffnet_case_t *c, int64_t r, const unsigned char *company, int company_owners)
{
    return c->rel_src_entity[r] >= 0 && c->rel_dst_entity[r] >= 0 &&
           (rel_is(c, r, "owns") || rel_is(c, r, "director_of")) &&
           (company_owners || !company[c->rel_src_entity[r]]);
}

static int build_keys(const iffnet_case_t *c, const iffnet_i_rf_idlinks_t *l, const unsigned char *company,
                      int company_owners, sh_keys_t *k)
{
    int64_t E = c->n_entities;
    k->off = calloc((size_t)E + 1, sizeof *k->off);
    if (!k->off) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t e = 0; e < E; e++)
        for (int64_t j = 0; j < l->n_cols; j++) k->off[e + 1] += l->ids[e * l->n_cols + j] >= 0;
    for (int64_t r = 0; r < c->n_relations; r++)
        if (officer_tie(c, r, company, company_owners)) k->off[c->rel_dst_entity[r] + 1]++;
    for (int64_t e = 0; e < E; e++) k->off[e + 1] += k->off[e];
    k->key = malloc((size_t)(k->off[E] + 1) * sizeof *k->key);
    int64_t *fill = malloc((size_t)(E + 1) * sizeof *fill);
    if (!k->key || !fill) { free(fill); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); }
    memcpy(fill, k->off, (size_t)E * sizeof *fill);
    for (int64_t e = 0; e < E; e++)
        for (int64_t j = 0; j < l->n_cols; j++)
            if (l->ids[e * l->n_cols + j] >= 0) k->key[fill[e]++] = l->ids[e * l->n_cols + j];
    for (int64_t r = 0; r < c->n_relations; r++)
        if (officer_tie(c, r, company, company_owners)) k->key[fill[c->rel_dst_entity[r]]++] = l->n_ids + c->rel_src_entity[r];
    free(fill);
    for (int64_t e = 0; e < E; e++)
        iffnet_i_sort(k->key + k->off[e], (size_t)(k->off[e + 1] - k->off[e]), sizeof *k->key, iffnet_i_cmp_i64);
    return IFFNET_OK;
}

/* First key the two entities share, or -1. O(k1 + k2). */
static int64_t shared_key(const sh_keys_t *k, int64_t a, int64_t b)
{
    int64_t i = k->off[a], j = k->off[b];
    while (i < k->off[a + 1] && j < k->off[b + 1]) {
        if (k->key[i] == k->key[j]) return k->key[i];
        if (k->key[i] < k->key[j]) i++; else j++;
    }
    return -1;
}

typedef struct { int64_t comp, tx; } sh_link_t;

/* A group of tied companies: its tied pairs, how many of them moved money
 * among themselves (d), and how many would by chance (mu). */
typedef struct {
    int64_t pairs, d, n_comp, n_emp;
    double mu;
    iffnet_time_t first, last;
    int standing;   /* paid each other over most of the case, or most of its companies employ staff */
} sh_group_t;

typedef struct { int64_t a, b; } sh_pair_t;

static int cmp_sh_pair(const void *x, const void *y)
{
    const sh_pair_t *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Every tied pair of companies (a < b), from the entities sharing each key. */
static int tied_pairs(const iffnet_case_t *c, const sh_keys_t *k, const unsigned char *company, sh_pair_t **out,
                      int64_t *n_out)
{
    int64_t E = c->n_entities, nk = k->off[E], np = 0, cap = 0;
    sh_pair_t *byk = malloc((size_t)(nk + 1) * sizeof *byk), *pairs = NULL;
    int err = IFFNET_OK;
    if (!byk) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    int64_t m = 0;
    for (int64_t e = 0; e < E; e++)
        if (company[e])
            for (int64_t i = k->off[e]; i < k->off[e + 1]; i++) byk[m++] = (sh_pair_t){ k->key[i], e };
    iffnet_i_sort(byk, (size_t)m, sizeof *byk, cmp_sh_pair);
    for (int64_t i = 0, j; i < m && !err; i = j) {
        for (j = i; j < m && byk[j].a == byk[i].a; j++) {}
        for (int64_t x = i; x < j && !err; x++)
            for (int64_t y = x + 1; y < j && !err; y++) {
                if (byk[x].b == byk[y].b) continue;
                if ((err = iffnet_i_reserve((void **)&pairs, &cap, np + 1, sizeof *pairs))) break;
                pairs[np++] = (sh_pair_t){ byk[x].b < byk[y].b ? byk[x].b : byk[y].b, byk[x].b < byk[y].b ? byk[y].b : byk[x].b };
            }
    }
    free(byk);
    if (err) { free(pairs); return err; }
    iffnet_i_sort(pairs, (size_t)np, sizeof *pairs, cmp_sh_pair);
    int64_t w = 0;
    for (int64_t i = 0; i < np; i++)
        if (w == 0 || pairs[i].a != pairs[w - 1].a || pairs[i].b != pairs[w - 1].b) pairs[w++] = pairs[i];
    *out = pairs;
    *n_out = w;
    return IFFNET_OK;
}

static int cmp_link(const void *a, const void *b)
{
    const sh_link_t *x = a, *y = b;
    if (x->comp != y->comp) return x->comp < y->comp ? -1 : 1;
    return (x->tx > y->tx) - (x->tx < y->tx);
}

static const char *key_desc(const iffnet_case_t *c, const iffnet_i_rf_idlinks_t *l, int64_t key, char *buf, size_t size)
{
    if (key >= l->n_ids) {
        snprintf(buf, size, "owner/director %s", iffnet_strtab_get(&c->entity_ids, key - l->n_ids));
        return buf;
    }
    for (int64_t e = 0; e < c->n_entities; e++)
        for (int64_t j = 0; j < l->n_cols; j++)
            if (l->ids[e * l->n_cols + j] == key) {
                snprintf(buf, size, "%s '%s'", l->col_names[j],
                         iffnet_case_text(c, iffnet_i_rf_attr(c, e, l->cols[j])));
                return buf;
            }
    snprintf(buf, size, "an identifier");
    return buf;
}

static int sh_emit(const iffnet_i_rf_env_t *env, const iffnet_i_rf_idlinks_t *l, const sh_keys_t *k,
                   const unsigned char *employer, const sh_link_t *lk, int64_t n, int64_t min_companies,
                   const sh_group_t *g, int64_t n_groups, int64_t n_standing, double max_expected,
                   iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    iffnet_i_vec_t tx = { 0 }, acc = { 0 }, comp = { 0 };
    iffnet_money_t sum = 0;
    int err = IFFNET_OK;
    int64_t key = -1;
    for (int64_t i = 0; i < n && !err; i++) {
        int64_t t = lk[i].tx, e1 = iffnet_i_rf_account_owner(c, c->tx_src[t]), e2 = iffnet_i_rf_account_owner(c, c->tx_dst[t]);
        if (iffnet_i_money_add(&sum, iffnet_case_tx_value(c, t))) {
            err = iffnet_i_money_overflow("shell_network: the companies' payments");
            break;
        }
        if (key < 0) key = shared_key(k, e1, e2);
        if (!(err = iffnet_i_vec_push(&tx, t)) && !(err = iffnet_i_vec_push(&acc, c->tx_src[t])) &&
            !(err = iffnet_i_vec_push(&acc, c->tx_dst[t])) && !(err = iffnet_i_vec_push(&comp, e1)))
            err = iffnet_i_vec_push(&comp, e2);
    }
    if (err) goto out;
    iffnet_i_sort(comp.v, (size_t)comp.n, sizeof *comp.v, iffnet_i_cmp_i64);
    int64_t nc = 0, no_emp = 0;
    for (int64_t i = 0; i < comp.n; i++) if (i == 0 || comp.v[i] != comp.v[nc - 1]) comp.v[nc++] = comp.v[i];
    if (nc < min_companies) goto out;
    double e_chance = (double)n_groups * iffnet_i_rf_poisson_tail(g->mu, g->d);
    double e = g->standing ? fmax(e_chance, (double)n_standing) : e_chance;
    if (!iffnet_i_rf_written(e, e_chance, (double)n_groups, max_expected)) goto out;
    for (int64_t i = 0; i < nc; i++) no_emp += !employer[comp.v[i]];
    iffnet_alert_t *a = NULL;
    char m[48], kd[160];
    if ((err = iffnet_alert_list_add(out, IFFNET_TYP_SHELL_NETWORK, 0, acc.v, acc.n, tx.v, tx.n, &a))) goto out;
    iffnet_i_rf_set_moved(a, sum);
    err = iffnet_alert_add_reason(a, "%lld companies tied by shared identifiers or officers (e.g. %s, %s share %s) "
                                  "moved %s among themselves in %lld payment(s)", (long long)nc,
                                  iffnet_strtab_get(&c->entity_ids, comp.v[0]), iffnet_strtab_get(&c->entity_ids, comp.v[1]),
                                  key_desc(c, l, key, kd, sizeof kd), iffnet_i_rf_money_str(env, m, sizeof m, sum),
                                  (long long)n);
    if (!err && no_emp)
        err = iffnet_alert_add_reason(a, "%lld of the %lld companies have no employees on record", (long long)no_emp,
                                      (long long)nc);
    if (!err && g->standing) {
        char d1[24], d2[24];
        iffnet_time_format(d1, sizeof d1, g->first, 1);
        iffnet_time_format(d2, sizeof d2, g->last, 1);
        if (2 * g->n_emp > g->n_comp)
            err = iffnet_alert_add_reason(a, "routine: %lld of the %lld companies employ staff (an operating business "
                                          "group; %lld group(s) of the case are operating or standing)",
                                          (long long)g->n_emp, (long long)g->n_comp, (long long)n_standing);
        else
            err = iffnet_alert_add_reason(a, "routine: the companies have paid each other from %s to %s, over most of "
                                          "the case (a standing group; %lld group(s) of the case are operating or "
                                          "standing)", d1, d2, (long long)n_standing);
    }
    if (!err)
        err = iffnet_i_rf_expect(a, e,
                                 "%lld of the group's %lld tied pairs paid each other, %.2g expected from how much "
                                 "each company pays and receives from companies of the case; %lld groups of tied "
                                 "companies", (long long)g->d, (long long)g->pairs, g->mu, (long long)n_groups);
out:
    iffnet_i_vec_free(&tx);
    iffnet_i_vec_free(&acc);
    iffnet_i_vec_free(&comp);
    return err;
}

int iffnet_redflag_shell_network(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    iffnet_i_rf_idlinks_t l = { 0 };
    sh_keys_t k = { 0 };
    iffnet_i_uf_t uf = { 0 };
    sh_link_t *lk = NULL;
    sh_pair_t *pairs = NULL;
    sh_group_t *groups = NULL;
    int64_t *out_n = NULL, *in_n = NULL, n_pairs = 0;
    unsigned char *company = NULL, *employer = NULL;
    char *kinds = NULL;
    int64_t n = 0, cap = 0, max_shared, min_companies, min_tx, company_owners;
    double max_expected;
    int err;
    iffnet_i_rf_env(&env, ctx);
    const char *ids = ctx->cfg ? iffnet_config_str(ctx->cfg, "shell_network.identifiers", "address,phone,registration")
                               : "address,phone,registration";
    const char *kd = ctx->cfg ? iffnet_config_str(ctx->cfg, "shell_network.kinds", "company") : "company";
    if ((err = iffnet_i_setting_int(ctx->cfg, "shell_network", "max_shared", 50, 2, INT64_MAX, &max_shared)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "shell_network", "min_companies", 2, 2, 1000000, &min_companies)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "shell_network", "min_tx", 1, 1, 1000000, &min_tx)) ||
        (err = iffnet_i_setting_int(ctx->cfg, "shell_network", "company_owners", 0, 0, 1, &company_owners)) ||
        (err = iffnet_i_rf_max_expected(ctx, &max_expected)))
        return err;
    if (!(kinds = iffnet_i_asprintf(",%s,", kd))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (char *p = kinds; *p; p++) if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    company = calloc((size_t)c->n_entities + 1, 1);
    employer = calloc((size_t)c->n_entities + 1, 1);
    if (!company || !employer) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t e = 0; e < c->n_entities; e++) company[e] = (unsigned char)is_company(c, e, kinds);
    if ((err = iffnet_i_rf_idlinks_build(&l, c, ids, max_shared)) ||
        (err = build_keys(c, &l, company, (int)company_owners, &k)) || (err = iffnet_i_uf_init(&uf, c->n_entities)))
        goto out;
    for (int64_t r = 0; r < c->n_relations; r++)
        if (c->rel_src_entity[r] >= 0 && rel_is(c, r, "employs")) employer[c->rel_src_entity[r]] = 1;
    /* Payments between companies: each company's out and in, and all of them. */
    int64_t E = c->n_entities, T_cc = 0;
    if (!(out_n = calloc((size_t)E + 1, sizeof *out_n)) || !(in_n = calloc((size_t)E + 1, sizeof *in_n)) ||
        !(groups = calloc((size_t)E + 1, sizeof *groups))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        int64_t e1 = iffnet_i_rf_account_owner(c, c->tx_src[t]), e2 = iffnet_i_rf_account_owner(c, c->tx_dst[t]);
        if (e1 < 0 || e2 < 0 || e1 == e2 || !company[e1] || !company[e2]) continue;
        out_n[e1]++;
        in_n[e2]++;
        T_cc++;
        if (shared_key(&k, e1, e2) < 0) continue;
        if ((err = iffnet_i_reserve((void **)&lk, &cap, n + 1, sizeof *lk))) goto out;
        lk[n++].tx = t;
    }
    /* Groups of tied companies, and the chance of money inside each. */
    if ((err = tied_pairs(c, &k, company, &pairs, &n_pairs))) goto out;
    for (int64_t i = 0; i < n_pairs; i++) iffnet_i_uf_union(&uf, pairs[i].a, pairs[i].b);
    int64_t n_groups = 0;
    for (int64_t i = 0; i < n_pairs; i++) {
        sh_group_t *g = &groups[iffnet_i_uf_find(&uf, pairs[i].a)];
        double mu = T_cc > 0 ? ((double)out_n[pairs[i].a] * (double)in_n[pairs[i].b] +
                                (double)out_n[pairs[i].b] * (double)in_n[pairs[i].a]) / (double)T_cc : 0.0;
        n_groups += g->pairs == 0;
        g->pairs++;
        g->mu += 1.0 - exp(-mu);
    }
    for (int64_t i = 0; i < n; i++) lk[i].comp = iffnet_i_uf_find(&uf, iffnet_i_rf_account_owner(c, c->tx_src[lk[i].tx]));
    iffnet_i_sort(lk, (size_t)n, sizeof *lk, cmp_link);
    /* Per group: the tied pairs that moved money (once each), and whether the
     * money moved over most of the case (a standing group's trade). */
    int64_t n_standing = 0;
    iffnet_time_t period = iffnet_i_rf_period(c);
    for (int64_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && lk[j].comp == lk[i].comp; j++) {}
        sh_pair_t *moved = malloc((size_t)(j - i) * sizeof *moved);
        if (!moved) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
        for (int64_t q = i; q < j; q++) {
            int64_t e1 = iffnet_i_rf_account_owner(c, c->tx_src[lk[q].tx]), e2 = iffnet_i_rf_account_owner(c, c->tx_dst[lk[q].tx]);
            moved[q - i] = (sh_pair_t){ e1 < e2 ? e1 : e2, e1 < e2 ? e2 : e1 };
        }
        iffnet_i_sort(moved, (size_t)(j - i), sizeof *moved, cmp_sh_pair);
        sh_group_t *g = &groups[lk[i].comp];
        g->d = 0;
        for (int64_t q = 0; q < j - i; q++)
            g->d += q == 0 || moved[q].a != moved[q - 1].a || moved[q].b != moved[q - 1].b;
        /* The companies that moved money, and how many of them employ staff. */
        int64_t *comp = (int64_t *)moved;   /* two entities per pair fit in place */
        for (int64_t q = 0; q < j - i; q++) {
            int64_t a = moved[q].a, b = moved[q].b;
            comp[2 * q] = a;
            comp[2 * q + 1] = b;
        }
        iffnet_i_sort(comp, (size_t)(2 * (j - i)), sizeof *comp, iffnet_i_cmp_i64);
        g->n_comp = g->n_emp = 0;
        for (int64_t q = 0; q < 2 * (j - i); q++)
            if (q == 0 || comp[q] != comp[q - 1]) {
                g->n_comp++;
                g->n_emp += employer[comp[q]] != 0;
            }
        free(moved);
        g->first = c->tx_time[lk[i].tx];
        g->last = c->tx_time[lk[j - 1].tx];
        /* A group that has traded within itself over most of the case, or most
         * of whose companies employ staff, is an operating business group. */
        g->standing = iffnet_i_rf_standing(g->first, g->last, period) || 2 * g->n_emp > g->n_comp;
        n_standing += g->standing;
    }
    for (int64_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && lk[j].comp == lk[i].comp; j++) {}
        if (j - i >= min_tx &&
            (err = sh_emit(&env, &l, &k, employer, lk + i, j - i, min_companies, &groups[lk[i].comp], n_groups,
                           n_standing, max_expected, out)))
            goto out;
    }
out:
    free(lk);
    free(pairs);
    free(out_n);
    free(in_n);
    free(groups);
    free(company);
    free(employer);
    free(kinds);
    free(k.off);
    free(k.key);
    iffnet_i_uf_destroy(&uf);
    iffnet_i_rf_idlinks_destroy(&l);
    return err;
}
