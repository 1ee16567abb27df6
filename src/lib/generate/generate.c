/* generate.c: the synthetic case generator's driver: the population (people,
 * companies, accounts, banks), then planting (generate_plant.c), the background
 * roles (generate_background.c) and the output files (generate_write.c). Tables
 * and money helpers are in generate_util.c, below all of them. */
#include <math.h>
#include "generate_internal.h"
#include "iffnet/alert.h"

void iffnet_generate_opts_default(iffnet_generate_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->scenario = "wildlife";
    o->profile = "default";
    o->n_lookalikes = -1;
    o->n_accounts = 1000;
    o->days = 365;
    o->start = 1704067200; /* 2024-01-01T00:00:00Z */
    o->seed = 1;
    o->currency = "EUR";
}

/* ---- population --------------------------------------------------------- */

static const double home_sector_w[GEN_S_COUNT] = {
    [GEN_S_RETAIL] = 18, [GEN_S_RESTAURANT] = 12, [GEN_S_WHOLESALE] = 7, [GEN_S_IMPORT_EXPORT] = 6,
    [GEN_S_LOGISTICS] = 5, [GEN_S_FREIGHT] = 3, [GEN_S_CONSTRUCTION] = 6, [GEN_S_MANUFACTURING] = 6,
    [GEN_S_IT] = 5, [GEN_S_REAL_ESTATE] = 5, [GEN_S_HEALTHCARE] = 3, [GEN_S_PAYROLL] = 3,
    [GEN_S_PUBLIC] = 1.5, [GEN_S_PET_SHOP] = 2, [GEN_S_BREEDER] = 1, [GEN_S_ZOO] = 0.3,
    [GEN_S_TRAD_MED] = 1, [GEN_S_JEWELLERY] = 2, [GEN_S_METALS] = 0.5, [GEN_S_CUSTOMS] = 1,
    [GEN_S_AGRICULTURE] = 2, [GEN_S_HOLDING] = 1.5, [GEN_S_CAR_WASH] = 1.5, [GEN_S_CONSULTING] = 3,
    [GEN_S_CRYPTO] = 0.2, [GEN_S_UTILITIES] = 1,
};
static const double foreign_sector_w[GEN_S_COUNT] = {
    [GEN_S_RETAIL] = 4, [GEN_S_WHOLESALE] = 8, [GEN_S_IMPORT_EXPORT] = 12, [GEN_S_LOGISTICS] = 5,
    [GEN_S_FREIGHT] = 5, [GEN_S_MANUFACTURING] = 8, [GEN_S_TRAD_MED] = 2, [GEN_S_JEWELLERY] = 2,
    [GEN_S_METALS] = 1.5, [GEN_S_AGRICULTURE] = 5, [GEN_S_WILDLIFE_EXPORT] = 1.5,
    [GEN_S_CUSTOMS] = 2, [GEN_S_BREEDER] = 1, [GEN_S_CONSULTING] = 2, [GEN_S_HOLDING] = 1,
};
/* The first home companies get these sectors, so that even a tiny case has the
 * legitimate look-alikes its lessons rely on. */
static const uint8_t must_have_sectors[] = {
    GEN_S_RETAIL, GEN_S_PAYROLL, GEN_S_RESTAURANT, GEN_S_REAL_ESTATE, GEN_S_IMPORT_EXPORT,
    GEN_S_PUBLIC, GEN_S_PET_SHOP, GEN_S_HOLDING, GEN_S_FREIGHT, GEN_S_UTILITIES, GEN_S_BREEDER,
    GEN_S_CAR_WASH, GEN_S_CRYPTO, GEN_S_ZOO, GEN_S_TRAD_MED,
};

static int pick_w(gsl_rng *r, const double *w, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += w[i];
    double u = gsl_rng_uniform(r) * s;
    for (int i = 0; i < n; i++) {
        if (u < w[i])
            return i;
        u -= w[i];
    }
    for (int i = n - 1; i >= 0; i--)
        if (w[i] > 0)
            return i;
    return 0;
}

static int pick_foreign_country(gen_t *g)
{
    static const double region_w[] = { [GEN_HOME] = 0, [GEN_SOURCE] = 45, [GEN_TRANSIT] = 25,
                                       [GEN_DEST] = 15, [GEN_OTHER] = 15 };
    int region = pick_w(g->rng, region_w, 5);
    int cand[32], n = 0;
    for (int i = 0; i < iffnet_i_gen_n_countries; i++) {
        int is_home = 0;
        for (int h = 0; h < g->n_home; h++)
            is_home |= g->home[h] == i;
        if (!is_home && iffnet_i_gen_countries[i].region == region)
            cand[n++] = i;
    }
    if (n == 0)
        return g->home[0];
    return cand[gsl_rng_uniform_int(g->rng, (unsigned long)n)];
}

/* Most of the population lives in the first home country; the others are
 * neighbours (so that domestic and cross-border payments both occur). */
static uint8_t home_country(gen_t *g)
{
    if (g->n_home == 1 || gsl_rng_uniform(g->rng) < 0.75)
        return g->home[0];
    return g->home[1 + gsl_rng_uniform_int(g->rng, (unsigned long)(g->n_home - 1))];
}

static int build_banks(gen_t *g)
{
    int nc = iffnet_i_gen_n_countries;
    g->bank_first = calloc((size_t)nc, sizeof *g->bank_first);
    g->bank_count = calloc((size_t)nc, sizeof *g->bank_count);
    g->banks = calloc((size_t)nc * 4, sizeof *g->banks);
    if (!g->bank_first || !g->bank_count || !g->banks)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for banks");
    for (int c = 0; c < nc; c++) {
        int is_home = 0;
        for (int h = 0; h < g->n_home; h++)
            is_home |= g->home[h] == c;
        int k = is_home ? 4 : 2;
        g->bank_first[c] = (int32_t)g->n_banks;
        g->bank_count[c] = k;
        for (int j = 0; j < k; j++)
            g->banks[g->n_banks++] = (gen_bank_t){ (uint8_t)c, (uint8_t)(j + 1) };
    }
    return IFFNET_OK;
}

/* Heavy-tailed activity: lognormal body with a Pareto tail, so that a few
 * accounts carry a large share of the flows, as in real ledgers. */
static double activity(gen_t *g, int company)
{
    double w = exp(gsl_ran_gaussian_ziggurat(g->rng, company ? 1.2 : 0.8) + (company ? 1.5 : 0));
    if (gsl_rng_uniform(g->rng) < 0.02)
        w *= gsl_ran_pareto(g->rng, 1.3, 5.0);
    return w;
}

static int build_population(gen_t *g)
{
    int64_t N = g->o->n_accounts;
    g->accounts = calloc((size_t)N, sizeof *g->accounts);
    g->acc_country = calloc((size_t)N, 1);
    g->holders = calloc((size_t)N, sizeof *g->holders);
    if (!g->accounts || !g->acc_country || !g->holders)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for %lld accounts", (long long)N);
    int64_t a = 0;
    size_t must = 0;
    while (a < N) {
        gen_holder_t *h = &g->holders[g->n_holders];
        int company = gsl_rng_uniform(g->rng) < 0.14;
        int nacc = 1;
        if (company) {
            /* two draws in two statements: C does not order the operands of + */
            nacc += gsl_rng_uniform(g->rng) < 0.25;
            nacc += gsl_rng_uniform(g->rng) < 0.08;
        }
        else
            nacc += gsl_rng_uniform(g->rng) < 0.1;
        if (nacc > N - a)
            nacc = (int)(N - a);
        int home = gsl_rng_uniform(g->rng) < (company ? 0.85 : 0.94);
        h->kind = (uint8_t)company;
        h->country = home ? home_country(g) : (uint8_t)pick_foreign_country(g);
        if (company) {
            if (home && must < sizeof must_have_sectors) {
                h->sector = must_have_sectors[must++];
                h->flags |= GEN_HF_KEEP;
            }
            else
                h->sector = (uint8_t)pick_w(g->rng, home ? home_sector_w : foreign_sector_w, GEN_S_COUNT);
            h->reg_year = (int16_t)(2023 - (int)floor(gsl_ran_exponential(g->rng, 12.0)));
            if (h->reg_year < 1950)
                h->reg_year = 1950;
        } else if (gsl_rng_uniform(g->rng) < 0.004) {
            h->flags |= GEN_HF_PEP;
        }
        h->r1 = (uint32_t)gsl_rng_get(g->rng);
        h->r2 = (uint32_t)gsl_rng_get(g->rng);
        h->first_account = (int32_t)a;
        h->n_accounts = nacc;
        h->employer = h->owner = h->director = -1;
        for (int j = 0; j < nacc; j++, a++) {
            int c = h->country;
            /* Some foreign holders bank at home (diaspora, subsidiaries). */
            if (!home && gsl_rng_uniform(g->rng) < 0.2)
                c = g->home[0];
            g->accounts[a].holder = (int32_t)g->n_holders;
            g->accounts[a].bank = (uint16_t)(g->bank_first[c] +
                (int32_t)gsl_rng_uniform_int(g->rng, (unsigned long)g->bank_count[c]));
            g->acc_country[a] = (uint8_t)c;
            g->accounts[a].weight = activity(g, company);
        }
        g->n_holders++;
    }
    return IFFNET_OK;
}

/* Every company needs an owner and a director: persons of its country when
 * there are some, else any person. */
static int assign_owners(gen_t *g)
{
    int64_t np = 0;
    int32_t *persons = malloc((size_t)g->n_holders * sizeof *persons);
    if (!persons)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for owners");
    for (int64_t h = 0; h < g->n_holders; h++)
        if (g->holders[h].kind == GEN_PERSON)
            persons[np++] = (int32_t)h;
    for (int64_t h = 0; h < g->n_holders && np > 0; h++) {
        gen_holder_t *ho = &g->holders[h];
        if (ho->kind != GEN_COMPANY)
            continue;
        int32_t p = persons[gsl_rng_uniform_int(g->rng, (unsigned long)np)];
        if (ho->owner < 0)
            ho->owner = p;
        if (ho->director < 0)
            ho->director = gsl_rng_uniform(g->rng) < 0.6 ? p
                         : persons[gsl_rng_uniform_int(g->rng, (unsigned long)np)];
    }
    free(persons);
    return IFFNET_OK;
}

/* ---- driver ---------------------------------------------------------------- */

static int check_opts(const iffnet_generate_opts_t *o)
{
    if (!o->scenario || strcmp(o->scenario, "wildlife") != 0)
        return iffnet_i_seterr(IFFNET_EINVAL, "unknown scenario '%s' (known: wildlife)",
                               o->scenario ? o->scenario : "");
    if (o->n_accounts < 20 || o->n_accounts > 100000000)
        return iffnet_i_seterr(IFFNET_EINVAL, "--accounts must be between 20 and 100000000");
    if (o->days < 1 || o->days > 3660)
        return iffnet_i_seterr(IFFNET_EINVAL, "--days must be between 1 and 3660");
    if (!iffnet_generate_currency_known(o->currency))
        return iffnet_i_seterr(IFFNET_EINVAL, "unknown currency '%s'", o->currency ? o->currency : "");
    if (o->start % 86400 != 0)
        return iffnet_i_seterr(IFFNET_EINVAL, "--start must be a date (midnight UTC)");
    if (o->typologies & ~iffnet_generate_plantable())
        return iffnet_i_seterr(IFFNET_EINVAL, "a requested typology cannot be planted");
    if (o->n_structures < 0)
        return iffnet_i_seterr(IFFNET_EINVAL, "--structures must not be negative");
    if (!iffnet_i_gen_profile(o->profile))
        return iffnet_i_seterr(IFFNET_EINVAL, "unknown profile '%s' (known: %s)", o->profile ? o->profile : "",
                               iffnet_generate_profile_names());
    if (o->n_lookalikes < -1)
        return iffnet_i_seterr(IFFNET_EINVAL, "--lookalikes must not be negative");
    if (o->max_members < 0 || (o->max_members > 0 && o->max_members < 3) || o->max_members > 40)
        return iffnet_i_seterr(IFFNET_EINVAL, "--max-members must be between 3 and 40");
    if (o->max_span_days < 0 || o->max_span_days > o->days)
        return iffnet_i_seterr(IFFNET_EINVAL, "--max-span must be between 1 and the period's %lld days",
                               (long long)o->days);
    if ((unsigned)o->amounts > IFFNET_GEN_AMOUNTS_INDEPENDENT)
        return iffnet_i_seterr(IFFNET_EINVAL, "unknown amount rule");
    return IFFNET_OK;
}

static void gen_free(gen_t *g)
{
    iffnet_i_gen_st_free(g);
    free(g->holders);
    free(g->accounts);
    free(g->acc_country);
    free(g->banks);
    free(g->bank_first);
    free(g->bank_count);
    if (g->rng)
        gsl_rng_free(g->rng);
}

int iffnet_generate(const iffnet_generate_opts_t *opts, const char *dir)
{
    gen_t g;
    bg_t b;
    iffnet_generate_opts_t o = *opts;
    int err;
    memset(&g, 0, sizeof g);
    memset(&b, 0, sizeof b);
    if (!o.profile)
        o.profile = "default";
    if ((err = check_opts(&o)))
        return err;
    if (o.n_transactions == 0)
        o.n_transactions = 10 * o.n_accounts;
    if (o.typologies == 0)
        o.typologies = iffnet_generate_plantable();
    g.o = &o;
    g.profile = iffnet_i_gen_profile(o.profile);
    g.rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!g.rng)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the random number generator");
    gsl_rng_set(g.rng, o.seed);
    g.case_cur = iffnet_i_gen_currency_index(o.currency);
    g.usd = iffnet_i_gen_currency_index("USD");
    for (int c = 0; c < iffnet_i_gen_n_countries; c++) {
        int k = iffnet_i_gen_currency_index(iffnet_i_gen_countries[c].currency);
        g.country_cur[c] = (int8_t)(k < 0 ? g.case_cur : k);
    }
    for (int i = 0; i < 6 && iffnet_i_gen_currencies[g.case_cur].home[i]; i++)
        g.home[g.n_home++] = (uint8_t)iffnet_i_gen_country_index(iffnet_i_gen_currencies[g.case_cur].home[i]);
    g.n_accounts = o.n_accounts;
    g.id_width = digits((uint64_t)o.n_accounts) < 4 ? 4 : digits((uint64_t)o.n_accounts);
    /* Look-alikes fill what planting leaves of 45 % of the transactions, so
     * that the background keeps more than half. */
    if ((err = build_banks(&g)) || (err = build_population(&g)) || (err = iffnet_i_gen_plant(&g)) ||
        (err = iffnet_i_gen_lookalikes(&g, o.n_transactions * 45 / 100 - g.n_ptx)))
        goto out;
    /* The background fills what the planted structures leave of the budget;
     * it needs a few transactions per day to look like a ledger at all. */
    int64_t bg_budget = o.n_transactions - g.n_ptx;
    if (bg_budget < o.n_transactions / 2) {
        err = iffnet_i_seterr(IFFNET_ELIMIT,
                              "%lld transactions leave too little background for %lld planted ones "
                              "(raise --transactions or lower --structures)",
                              (long long)o.n_transactions, (long long)g.n_ptx);
        goto out;
    }
    if ((err = iffnet_i_gen_setup_roles(&g, &b, bg_budget)) || (err = assign_owners(&g)))
        goto out;
    err = iffnet_i_gen_write(&g, &b, dir);
out:
    iffnet_i_gen_bg_free(&b);
    gen_free(&g);
    return err;
}
