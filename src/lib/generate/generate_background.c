/* generate_background.c: the legitimate background of a generated case:
 * roles (employers, landlords, treasury groups), the calendar (paydays, rent
 * days, seasonality) and the daily transactions of households and businesses. */
#include <math.h>
#include "generate_internal.h"

/* ---- background roles (after planting) --------------------------------- */

typedef int (*acc_filter_t)(const gen_t *g, int32_t a);

static int sampler_build(gen_t *g, sampler_t *s, acc_filter_t keep)
{
    double *w = NULL;
    int err = IFFNET_OK;
    memset(s, 0, sizeof *s);
    s->acc = malloc((size_t)g->n_accounts * sizeof *s->acc);
    w = malloc((size_t)g->n_accounts * sizeof *w);
    if (!s->acc || !w) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for samplers");
        goto out;
    }
    for (int64_t a = 0; a < g->n_accounts; a++)
        if (keep(g, (int32_t)a)) {
            s->acc[s->n] = (int32_t)a;
            w[s->n++] = g->accounts[a].weight;
        }
    if (s->n > 0) {
        s->d = gsl_ran_discrete_preproc((size_t)s->n, w);
        if (!s->d)
            err = iffnet_i_seterr(IFFNET_ESOLVER, "GSL could not build a discrete distribution");
    }
out:
    free(w);
    return err;
}

static void sampler_free(sampler_t *s)
{
    if (s->d)
        gsl_ran_discrete_free(s->d);
    free(s->acc);
    memset(s, 0, sizeof *s);
}

static int32_t sample(gen_t *g, const sampler_t *s)
{
    if (s->n == 0)
        return -1;
    return s->acc[gsl_ran_discrete(g->rng, s->d)];
}

static int is_home_country(const gen_t *g, int c)
{
    for (int h = 0; h < g->n_home; h++)
        if (g->home[h] == c)
            return 1;
    return 0;
}

static int cross_border(const gen_t *g, int32_t s, int32_t d)
{
    return s >= 0 && d >= 0 && iffnet_i_gen_account_country(g, s) != iffnet_i_gen_account_country(g, d);
}

static int f_person_home(const gen_t *g, int32_t a)
{
    return holder_of(g, a)->kind == GEN_PERSON && is_home_country(g, iffnet_i_gen_account_country(g, a));
}
static int f_person_foreign(const gen_t *g, int32_t a)
{
    return holder_of(g, a)->kind == GEN_PERSON && !is_home_country(g, iffnet_i_gen_account_country(g, a));
}
static int ordinary_company(const gen_t *g, int32_t a)
{
    const gen_holder_t *h = holder_of(g, a);
    return h->kind == GEN_COMPANY && !(h->flags & GEN_HF_SHELL);
}
static int f_shop(const gen_t *g, int32_t a)
{
    int s = holder_of(g, a)->sector;
    return ordinary_company(g, a) && is_home_country(g, iffnet_i_gen_account_country(g, a)) &&
           (s == GEN_S_RETAIL || s == GEN_S_RESTAURANT || s == GEN_S_PET_SHOP || s == GEN_S_JEWELLERY ||
            s == GEN_S_TRAD_MED || s == GEN_S_CAR_WASH || s == GEN_S_HEALTHCARE || s == GEN_S_ZOO);
}
static int f_cash_business(const gen_t *g, int32_t a)
{
    int s = holder_of(g, a)->sector;
    return f_shop(g, a) && (s == GEN_S_RETAIL || s == GEN_S_RESTAURANT || s == GEN_S_CAR_WASH ||
                            s == GEN_S_JEWELLERY || s == GEN_S_TRAD_MED);
}
static int f_company_home(const gen_t *g, int32_t a)
{
    return ordinary_company(g, a) && is_home_country(g, iffnet_i_gen_account_country(g, a)) &&
           holder_of(g, a)->sector != GEN_S_CRYPTO;
}
static int f_company_foreign(const gen_t *g, int32_t a)
{
    return ordinary_company(g, a) && !is_home_country(g, iffnet_i_gen_account_country(g, a));
}
static int f_biller(const gen_t *g, int32_t a)
{
    int s = holder_of(g, a)->sector;
    return f_company_home(g, a) && (s == GEN_S_UTILITIES || s == GEN_S_IT || s == GEN_S_HEALTHCARE ||
                                    s == GEN_S_PUBLIC || s == GEN_S_REAL_ESTATE);
}
static int f_trader(const gen_t *g, int32_t a)
{
    int s = holder_of(g, a)->sector;
    return f_company_home(g, a) && (s == GEN_S_IMPORT_EXPORT || s == GEN_S_WHOLESALE ||
                                    s == GEN_S_MANUFACTURING || s == GEN_S_JEWELLERY || s == GEN_S_METALS ||
                                    s == GEN_S_TRAD_MED || s == GEN_S_AGRICULTURE);
}
static int f_crypto(const gen_t *g, int32_t a)
{
    return ordinary_company(g, a) && holder_of(g, a)->sector == GEN_S_CRYPTO;
}
/* Legitimate animal businesses and their suppliers: the look-alikes of the
 * wildlife red flags. */
static int f_animal_buyer(const gen_t *g, int32_t a)
{
    int s = holder_of(g, a)->sector;
    return ordinary_company(g, a) && (s == GEN_S_PET_SHOP || s == GEN_S_ZOO || s == GEN_S_TRAD_MED);
}
static int f_animal_seller(const gen_t *g, int32_t a)
{
    int s = holder_of(g, a)->sector;
    return ordinary_company(g, a) && (s == GEN_S_BREEDER || s == GEN_S_WILDLIFE_EXPORT ||
                                      s == GEN_S_FREIGHT || s == GEN_S_AGRICULTURE || s == GEN_S_LOGISTICS);
}
static int f_any(const gen_t *g, int32_t a)
{
    (void)g; (void)a;
    return 1;
}

static const acc_filter_t sampler_filters[S_COUNT] = {
    f_person_home, f_person_foreign, f_shop, f_cash_business, f_company_home, f_company_foreign,
    f_biller, f_trader, f_crypto, f_animal_buyer, f_animal_seller, f_any
};

/* Background kinds of randomly timed transactions. */
enum { K_CARD, K_P2P, K_ATM, K_CASHDEP, K_SUPPLIER, K_BILL, K_TRADE, K_FOREIGN, K_TREASURY,
       K_REMIT, K_CRYPTO, K_ANIMAL, K_COUNT };
static const double kind_weekday[K_COUNT] = { 38, 9, 8, 5, 14, 8, 5, 4, 2.5, 2, 1, 1.5 };
static const double kind_weekend[K_COUNT] = { 62, 12, 11, 4, 2, 3, 0.5, 2, 0.2, 3, 1.5, 0.3 };

void iffnet_i_gen_bg_free(bg_t *b)
{
    for (int i = 0; i < S_COUNT; i++)
        sampler_free(&b->s[i]);
    for (int i = 0; i < 2; i++)
        if (b->kind_d[i])
            gsl_ran_discrete_free(b->kind_d[i]);
    free(b->employed);
    free(b->pay_group);
    free(b->rent_group);
    free(b->renters);
    free(b->landlord);
    free(b->subs);
    free(b->day_random);
    memset(b, 0, sizeof *b);
}

/* ---- calendar ----------------------------------------------------------- */

static int weekday(int64_t day) /* 0 = Monday */
{
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* Payday group k (0..3) pays on the (25+k)th, or the Friday before when that
 * falls on a weekend. Returns 1 when `day` (days since epoch) is that payday. */
static int is_payday(int64_t day, int k)
{
    int64_t y;
    unsigned m, d;
    iffnet_civil_from_days(day, &y, &m, &d);
    int want = 25 + k;
    if (want > iffnet_days_in_month(y, m))
        want = iffnet_days_in_month(y, m);
    int64_t target = day - d + want;
    int w = weekday(target);
    if (w == 5)
        target -= 1;
    else if (w == 6)
        target -= 2;
    return target == day;
}

/* Rent group k (0..2) pays on the (1+k)th of the month. */
static int is_rentday(int64_t day, int k)
{
    int64_t y;
    unsigned m, d;
    iffnet_civil_from_days(day, &y, &m, &d);
    return d == (unsigned)(1 + k);
}

static double day_weight(int64_t day)
{
    static const double wk[7] = { 1.0, 0.98, 1.0, 1.05, 1.22, 0.95, 0.5 };
    int64_t y;
    unsigned m, d;
    iffnet_civil_from_days(day, &y, &m, &d);
    double w = wk[weekday(day)];
    if (d <= 3 || d >= 25)
        w *= 1.15; /* around payday */
    if (m == 12)
        w *= 1.2;
    else if (m == 8)
        w *= 0.9;
    return w;
}

/* ---- background set-up --------------------------------------------------- */

/* Samplers of the background roles and the weekday/weekend kind tables. */
static int build_samplers(gen_t *g, bg_t *b)
{
    for (int i = 0; i < S_COUNT; i++)
        IFFNET_TRY(sampler_build(g, &b->s[i], sampler_filters[i]));
    for (int i = 0; i < 2; i++) {
        b->kind_d[i] = gsl_ran_discrete_preproc(K_COUNT, i ? kind_weekend : kind_weekday);
        if (!b->kind_d[i])
            return iffnet_i_seterr(IFFNET_ESOLVER, "GSL could not build a discrete distribution");
    }
    return IFFNET_OK;
}

/* A landlord for a renter: a property company or a private person, in the
 * renter's country when one turns up in a few draws. */
static int32_t pick_landlord(gen_t *g, bg_t *b, int32_t renter_acc)
{
    int32_t la = -1;
    for (int tries = 0; tries < 4; tries++) {
        la = b->s[S_BILLER].n > 0 && gsl_rng_uniform(g->rng) < 0.6 ? sample(g, &b->s[S_BILLER])
                                                                    : sample(g, &b->s[S_PERSON]);
        if (la >= 0 && la != renter_acc && !cross_border(g, la, renter_acc))
            break;
    }
    return la == renter_acc ? -1 : la;
}

/* Employment and tenancy. The budget of scheduled payments (15 % salaries,
 * 5 % rent) decides how many people the period's paydays can employ and
 * house. Public administrations employ the PEPs, whose salaries are
 * legitimate payments to PEPs. */
static int assign_jobs_and_homes(gen_t *g, bg_t *b, int64_t bg_budget, double months, double rmonths)
{
    sampler_t *emp = &b->s[S_COMPANY];
    int64_t n_persons = b->s[S_PERSON].n;
    double p_emp = n_persons && months > 0 ? fmin(0.7, 0.15 * (double)bg_budget / months / (double)n_persons) : 0;
    double p_rent = n_persons && rmonths > 0 ? fmin(0.4, 0.05 * (double)bg_budget / rmonths / (double)n_persons) : 0;
    int32_t public_acc = -1;
    for (int64_t i = 0; i < emp->n && public_acc < 0; i++)
        if (holder_of(g, emp->acc[i])->sector == GEN_S_PUBLIC)
            public_acc = emp->acc[i];
    b->employed = malloc((size_t)g->n_holders * sizeof *b->employed);
    b->pay_group = malloc((size_t)g->n_holders);
    b->renters = malloc((size_t)g->n_holders * sizeof *b->renters);
    b->rent_group = malloc((size_t)g->n_holders);
    b->landlord = malloc((size_t)g->n_holders * sizeof *b->landlord);
    if (!b->employed || !b->pay_group || !b->renters || !b->rent_group || !b->landlord)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for roles");
    for (int64_t h = 0; h < g->n_holders; h++) {
        gen_holder_t *ho = &g->holders[h];
        if (ho->kind != GEN_PERSON || !is_home_country(g, ho->country))
            continue;
        int pep = (ho->flags & GEN_HF_PEP) && public_acc >= 0;
        /* (a look-alike's staff already have their employer and salaries) */
        if (ho->employer < 0 && emp->n > 0 && (pep || gsl_rng_uniform(g->rng) < p_emp)) {
            int32_t ea = pep ? public_acc : sample(g, emp);
            for (int tries = 0; !pep && tries < 4 && cross_border(g, ea, ho->first_account); tries++)
                ea = sample(g, emp); /* people mostly work where they live */
            ho->employer = g->accounts[ea].holder;
            /* Each employer pays on its own day (group 0..3) from its draws. */
            b->pay_group[b->n_employed] = (uint8_t)(g->holders[ho->employer].r1 % 4);
            b->employed[b->n_employed++] = (int32_t)h;
        }
        if (gsl_rng_uniform(g->rng) < p_rent) {
            int32_t la = pick_landlord(g, b, ho->first_account);
            if (la >= 0) {
                b->rent_group[b->n_renters] = (uint8_t)(ho->r2 % 3);
                b->renters[b->n_renters] = (int32_t)h;
                b->landlord[b->n_renters++] = la;
            }
        }
    }
    return IFFNET_OK;
}

/* Treasury groups: some companies belong to a holding (owns), which sweeps
 * their cash and funds them back: legitimate cycles. */
static int assign_groups(gen_t *g, bg_t *b)
{
    int32_t holdings[64];
    int nh = 0;
    for (int64_t h = 0; h < g->n_holders && nh < 64; h++) {
        const gen_holder_t *ho = &g->holders[h];
        if (ho->kind == GEN_COMPANY && ho->sector == GEN_S_HOLDING && !(ho->flags & GEN_HF_SHELL) &&
            is_home_country(g, ho->country))
            holdings[nh++] = (int32_t)h;
    }
    b->subs = malloc((size_t)g->n_holders * sizeof *b->subs);
    if (!b->subs)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for roles");
    for (int64_t h = 0; h < g->n_holders && nh > 0; h++) {
        gen_holder_t *ho = &g->holders[h];
        if (ho->kind != GEN_COMPANY || (ho->flags & GEN_HF_SHELL) || ho->sector == GEN_S_HOLDING)
            continue;
        if (gsl_rng_uniform(g->rng) < (is_home_country(g, ho->country) ? 0.12 : 0.03)) {
            ho->owner = holdings[gsl_rng_uniform_int(g->rng, (unsigned long)nh)];
            b->subs[b->n_subs++] = (int32_t)h;
        }
    }
    return IFFNET_OK;
}

/* Scheduled payments per day, and the rest of the budget spread over the days
 * by weekly, monthly and yearly seasonality (a multinomial draw). */
static int plan_days(gen_t *g, bg_t *b, int64_t bg_budget)
{
    int64_t day0 = g->o->start / 86400, days = g->o->days, cnt[4] = { 0 }, rcnt[3] = { 0 };
    double *w = NULL;
    unsigned int *n = NULL;
    int err = IFFNET_OK;
    for (int64_t i = 0; i < b->n_employed; i++)
        cnt[b->pay_group[i]]++;
    for (int64_t i = 0; i < b->n_renters; i++)
        rcnt[b->rent_group[i]]++;
    b->day_random = calloc((size_t)days, sizeof *b->day_random);
    w = malloc((size_t)days * sizeof *w);
    n = malloc((size_t)days * sizeof *n);
    if (!b->day_random || !w || !n) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory for the calendar");
        goto out;
    }
    for (int64_t d = 0; d < days; d++) {
        for (int k = 0; k < 4; k++)
            if (is_payday(day0 + d, k))
                b->total_sched += cnt[k];
        for (int k = 0; k < 3; k++)
            if (is_rentday(day0 + d, k))
                b->total_sched += rcnt[k];
        w[d] = day_weight(day0 + d);
    }
    if (b->total_sched > bg_budget) {
        err = iffnet_i_seterr(IFFNET_EINTERNAL, "scheduled payments exceed the budget");
        goto out;
    }
    if (bg_budget - b->total_sched > UINT32_MAX) {
        err = iffnet_i_seterr(IFFNET_ELIMIT, "too many transactions (at most 4294967295)");
        goto out;
    }
    gsl_ran_multinomial(g->rng, (size_t)days, (unsigned int)(bg_budget - b->total_sched), w, n);
    for (int64_t d = 0; d < days; d++)
        b->day_random[d] = n[d];
out:
    free(w);
    free(n);
    return err;
}

int iffnet_i_gen_setup_roles(gen_t *g, bg_t *b, int64_t bg_budget)
{
    int64_t day0 = g->o->start / 86400, paydays = 0, rentdays = 0;
    for (int64_t d = day0; d < day0 + g->o->days; d++) {
        for (int k = 0; k < 4; k++)
            paydays += is_payday(d, k);
        for (int k = 0; k < 3; k++)
            rentdays += is_rentday(d, k);
    }
    IFFNET_TRY(build_samplers(g, b));
    IFFNET_TRY(assign_jobs_and_homes(g, b, bg_budget, (double)paydays / 4.0, (double)rentdays / 3.0));
    IFFNET_TRY(assign_groups(g, b));
    return plan_days(g, b, bg_budget);
}

/* ---- background transactions ------------------------------------------- */

int iffnet_i_gen_txbuf_push(txbuf_t *t, const gen_tx_t *x)
{
    if (t->n == t->cap)
        IFFNET_TRY(iffnet_i_reserve((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v));
    t->v[t->n++] = *x;
    return IFFNET_OK;
}

static double lognorm(gen_t *g, double median, double sigma)
{
    return median * exp(gsl_ran_gaussian_ziggurat(g->rng, sigma));
}

/* A time of day in seconds, drawn around business or shopping hours. */
static int64_t time_of_day(gen_t *g, int shopping)
{
    double h = shopping ? gsl_ran_gaussian_ziggurat(g->rng, 3.2) + 14.5
                        : gsl_ran_gaussian_ziggurat(g->rng, 2.2) + 11.5;
    if (h < 0)
        h = -h;
    if (h >= 24)
        h = 47.99 - h;
    if (h < 0)
        h = 12;
    return (int64_t)(h * 3600.0);
}

/* Retail prices end in .99, .95 or .00 now and then; otherwise any cents. */
static double price(gen_t *g, double x)
{
    double u = gsl_rng_uniform(g->rng);
    if (u < 0.12)
        return floor(x) + 0.99;
    if (u < 0.18)
        return floor(x) + 0.95;
    if (u < 0.25)
        return floor(x);
    return floor(x * 100.0) / 100.0;
}

static int cur_of(const gen_t *g, int32_t a)
{
    return a < 0 ? g->case_cur : iffnet_i_gen_account_currency(g, a);
}

/* A payer from sampler si and a payee from di. Local payments prefer a payee
 * in the payer's country, as people and firms mostly pay locally. */
static int32_t pick_two(gen_t *g, bg_t *b, int si, int32_t *dst, int di)
{
    int32_t s = sample(g, &b->s[si]);
    int local = di == S_SHOP || di == S_PERSON || di == S_BILLER || di == S_COMPANY;
    *dst = sample(g, &b->s[di]);
    for (int tries = 0; tries < 4 && s >= 0 && *dst >= 0; tries++) {
        if (*dst != s && (!local || !cross_border(g, s, *dst)))
            break;
        *dst = sample(g, &b->s[di]);
    }
    return s;
}

/* What a background kind draws: payer, payee (-1 = CASH), an amount in euros'
 * worth and how to round it, and whether it happens at shopping hours. */
typedef struct {
    int32_t s, d;
    double amt, round_to;
    int shopping;
} draw_t;

static double maybe(gen_t *g, double p, double v)
{
    return gsl_rng_uniform(g->rng) < p ? v : 0;
}

/* Households: card spending, transfers between people, cash withdrawals,
 * bills, remittances abroad, crypto purchases. */
static void draw_household(gen_t *g, bg_t *b, int kind, gen_tx_t *x, draw_t *r)
{
    r->shopping = 1;
    switch (kind) {
    case K_CARD:
        r->s = pick_two(g, b, S_PERSON, &r->d, S_SHOP);
        r->amt = price(g, lognorm(g, 28, 0.9));
        x->channel = GEN_CH_CARD, x->ref_kind = R_CARD;
        break;
    case K_P2P:
        r->s = pick_two(g, b, S_PERSON, &r->d, S_PERSON);
        r->amt = lognorm(g, 60, 1.0);
        r->round_to = maybe(g, 0.4, 10);
        x->ref_kind = R_P2P;
        break;
    case K_ATM:
        r->s = sample(g, &b->s[S_PERSON]);
        r->amt = 20.0 * (1 + (double)gsl_ran_geometric(g->rng, 0.25));
        x->channel = GEN_CH_CASH_WD;
        break;
    case K_BILL:
        r->s = pick_two(g, b, S_PERSON, &r->d, S_BILLER);
        r->amt = lognorm(g, 75, 0.7);
        x->ref_kind = R_BILL, r->shopping = 0;
        break;
    case K_REMIT:
        r->s = pick_two(g, b, S_PERSON, &r->d, S_PERSON_FOREIGN);
        r->amt = lognorm(g, 250, 0.7);
        r->round_to = maybe(g, 0.5, 50);
        x->channel = gsl_rng_uniform(g->rng) < 0.15 ? GEN_CH_CRYPTO : GEN_CH_WIRE;
        x->ref_kind = R_REMIT;
        break;
    default: /* K_CRYPTO: buying, sometimes selling */
        r->s = pick_two(g, b, S_PERSON, &r->d, S_CRYPTO);
        if (gsl_rng_uniform(g->rng) < 0.3) {
            int32_t t = r->s;
            r->s = r->d, r->d = t;
        }
        r->amt = lognorm(g, 500, 1.2);
        r->round_to = maybe(g, 0.5, 50);
        x->channel = GEN_CH_CRYPTO, x->ref_kind = R_CRYPTO;
        break;
    }
}

/* A holding's cash pool: sweeps up from a subsidiary, funding down to it, or
 * settlements between two subsidiaries of one group (legitimate cycles). */
static void draw_treasury(gen_t *g, bg_t *b, gen_tx_t *x, draw_t *r)
{
    if (b->n_subs == 0)
        return;
    const gen_holder_t *sub = &g->holders[b->subs[gsl_rng_uniform_int(g->rng, (unsigned long)b->n_subs)]];
    const gen_holder_t *par = &g->holders[sub->owner];
    double u = gsl_rng_uniform(g->rng);
    r->s = sub->first_account, r->d = par->first_account, x->ref_kind = R_SWEEP;
    if (u < 0.3) {
        r->s = par->first_account, r->d = sub->first_account, x->ref_kind = R_FUNDING;
    } else if (u < 0.5) {
        const gen_holder_t *sib = &g->holders[b->subs[gsl_rng_uniform_int(g->rng, (unsigned long)b->n_subs)]];
        if (sib->owner == sub->owner && sib != sub)
            r->d = sib->first_account, x->ref_kind = R_INTERCO;
    }
    r->amt = lognorm(g, 40000, 1.0);
    r->round_to = maybe(g, 0.7, 1000);
    x->channel = GEN_CH_WIRE;
}

/* Businesses: cash takings, suppliers, foreign trade, payments abroad, cash
 * pools, legal animal trade. */
static void draw_business(gen_t *g, bg_t *b, int kind, gen_tx_t *x, draw_t *r)
{
    switch (kind) {
    case K_CASHDEP:
        /* Busy cash businesses deposit close to the reporting line on their
         * own: the false alarms of a naive structuring rule. */
        r->d = sample(g, &b->s[S_CASHBIZ]);
        r->amt = fmin(lognorm(g, 1800, 1.0), 40000.0);
        r->round_to = maybe(g, 0.3, 10);
        x->channel = GEN_CH_CASH_DEP;
        break;
    case K_SUPPLIER:
        r->s = pick_two(g, b, S_COMPANY, &r->d, S_COMPANY);
        r->amt = lognorm(g, 2400, 1.3);
        r->round_to = maybe(g, 0.15, 100);
        x->channel = gsl_rng_uniform(g->rng) < 0.1 ? GEN_CH_CHEQUE : GEN_CH_ACH;
        x->ref_kind = R_INVOICE;
        break;
    case K_TRADE:
        if (gsl_rng_uniform(g->rng) < 0.6)
            r->s = pick_two(g, b, S_TRADER, &r->d, S_COMPANY_FOREIGN);
        else
            r->s = pick_two(g, b, S_COMPANY_FOREIGN, &r->d, S_TRADER);
        r->amt = lognorm(g, 18000, 1.2);
        r->round_to = maybe(g, 0.3, 1000);
        x->channel = GEN_CH_WIRE, x->ref_kind = R_TRADE;
        break;
    case K_FOREIGN:
        if (gsl_rng_uniform(g->rng) < 0.5)
            r->s = pick_two(g, b, S_COMPANY_FOREIGN, &r->d, S_COMPANY_FOREIGN);
        else
            r->s = pick_two(g, b, S_PERSON_FOREIGN, &r->d, S_PERSON_FOREIGN);
        r->amt = lognorm(g, 400, 1.3);
        x->ref_kind = R_INVOICE;
        break;
    case K_TREASURY:
        draw_treasury(g, b, x, r);
        break;
    default: /* K_ANIMAL */
        r->s = pick_two(g, b, S_ANIMAL_BUYER, &r->d, S_ANIMAL_SELLER);
        r->amt = lognorm(g, 1500, 1.0);
        r->round_to = maybe(g, 0.3, 100);
        x->ref_kind = R_ANIMAL;
        break;
    }
}

static int is_household(int kind)
{
    return kind == K_CARD || kind == K_P2P || kind == K_ATM || kind == K_BILL || kind == K_REMIT ||
           kind == K_CRYPTO;
}

/* One randomly timed background transaction of day `day`. */
static void random_tx(gen_t *g, bg_t *b, int64_t day, int weekend, gen_tx_t *x)
{
    int kind = (int)gsl_ran_discrete(g->rng, b->kind_d[weekend]);
    draw_t r = { -1, -1, 0, 0, 0 };
    memset(x, 0, sizeof *x);
    x->planted = -1;
    x->channel = GEN_CH_ACH;
    if (is_household(kind))
        draw_household(g, b, kind, x, &r);
    else
        draw_business(g, b, kind, x, &r);
    int ok = kind == K_ATM ? r.s >= 0 : kind == K_CASHDEP ? r.d >= 0 : (r.s >= 0 && r.d >= 0 && r.s != r.d);
    if (!ok) {
        /* Tiny populations may lack a role: a transfer between two people,
         * else between any two accounts. */
        memset(x, 0, sizeof *x);
        x->planted = -1;
        x->channel = GEN_CH_ACH;
        r = (draw_t){ -1, -1, 0, 0, 0 };
        draw_household(g, b, K_P2P, x, &r);
        if (r.s < 0 || r.d < 0 || r.s == r.d) {
            r.s = pick_two(g, b, S_ANY, &r.d, S_ANY);
            if (r.s == r.d)
                r.d = (int32_t)((r.s + 1) % g->n_accounts);
        }
    }
    x->src = r.s;
    x->dst = r.d;
    if (x->channel == GEN_CH_ACH && cross_border(g, r.s, r.d))
        x->channel = GEN_CH_WIRE;
    int cur = cur_of(g, r.s >= 0 ? r.s : r.d);
    if (x->channel == GEN_CH_WIRE && cross_border(g, r.s, r.d) && gsl_rng_uniform(g->rng) < 0.5)
        cur = g->usd;
    x->currency = (uint8_t)cur;
    x->amount = iffnet_i_gen_amount(g, cur, r.amt < 0.01 ? 0.01 : r.amt, r.round_to);
    x->ref_arg = (uint32_t)gsl_rng_get(g->rng);
    int64_t tod = time_of_day(g, r.shopping);
    if (x->channel == GEN_CH_CASH_DEP)
        tod = 9 * 3600 + (int64_t)gsl_rng_uniform_int(g->rng, 9 * 3600);
    x->time = day * 86400 + tod + (int64_t)gsl_rng_uniform_int(g->rng, 60);
}

/* Salaries (payroll fan-outs) and rent of `day`. */
static int scheduled_txs(gen_t *g, bg_t *b, int64_t day, txbuf_t *t)
{
    gen_tx_t x;
    memset(&x, 0, sizeof x);
    x.planted = -1;
    x.channel = GEN_CH_ACH;
    int today[4];
    for (int k = 0; k < 4; k++)
        today[k] = is_payday(day, k);
    for (int64_t i = 0; i < b->n_employed; i++) {
        if (!today[b->pay_group[i]])
            continue;
        const gen_holder_t *p = &g->holders[b->employed[i]];
        const gen_holder_t *e = &g->holders[p->employer];
        x.src = e->first_account;
        x.dst = p->first_account;
        /* A steady salary per person, with a little variation (overtime). */
        double base = 1500.0 + (double)(p->r2 % 3200u) + (p->r2 % 13u == 0 ? (double)(p->r1 % 6000u) : 0);
        base += (double)gsl_rng_uniform_int(g->rng, 4000) / 100.0;
        x.currency = (uint8_t)cur_of(g, x.src);
        x.amount = iffnet_i_gen_amount(g, x.currency, base, 0);
        x.time = day * 86400 + 5 * 3600 + (int64_t)(e->r2 % 7200u) + (int64_t)(i % 60);
        x.ref_kind = R_SALARY;
        x.ref_arg = (uint32_t)day;
        x.channel = cross_border(g, x.src, x.dst) ? GEN_CH_WIRE : GEN_CH_ACH;
        IFFNET_TRY(iffnet_i_gen_txbuf_push(t, &x));
    }
    for (int64_t i = 0; i < b->n_renters; i++) {
        if (!is_rentday(day, b->rent_group[i]))
            continue;
        const gen_holder_t *p = &g->holders[b->renters[i]];
        x.src = p->first_account;
        x.dst = b->landlord[i];
        x.currency = (uint8_t)cur_of(g, x.src);
        x.amount = iffnet_i_gen_amount(g, x.currency, 450.0 + (double)(p->r1 % 1500u), 10);
        x.time = day * 86400 + 7 * 3600 + (int64_t)(p->r1 % 36000u);
        x.ref_kind = R_RENT;
        x.ref_arg = (uint32_t)day;
        x.channel = cross_border(g, x.src, x.dst) ? GEN_CH_WIRE : GEN_CH_ACH;
        IFFNET_TRY(iffnet_i_gen_txbuf_push(t, &x));
    }
    return IFFNET_OK;
}

int iffnet_i_gen_day(gen_t *g, bg_t *b, int64_t day, txbuf_t *t)
{
    int weekend = weekday(day) >= 5;
    IFFNET_TRY(scheduled_txs(g, b, day, t));
    for (int64_t i = 0; i < b->day_random[day - g->o->start / 86400]; i++) {
        gen_tx_t x;
        random_tx(g, b, day, weekend, &x);
        IFFNET_TRY(iffnet_i_gen_txbuf_push(t, &x));
    }
    return IFFNET_OK;
}
