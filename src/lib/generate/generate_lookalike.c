/* generate_lookalike.c: benign groups shaped like the planted typologies (the
 * negatives of lookalikes.csv): payroll and supplier runs are fan-outs, a
 * shop's customers and a landlord's tenants are fan-ins, a cash pool gathers
 * and scatters, intra-group netting and refunds close cycles, a standing
 * forwarding order passes almost all it receives abroad, a cash business banks
 * takings near (and above) the reporting line ...
 *
 * What tells them apart is what a real routine has and a scheme lacks (the
 * FATF and Egmont red-flag lists name these): recurring counterparties, a
 * steady rhythm, steady amounts, a long history, references that name the
 * business, employees and registrations of long standing. The hard profile
 * takes some of that away: a routine then runs only over part of the case (a
 * young business), its sizes and spans come from the planted ranges.
 *
 * A look-alike takes its own accounts (the employer, the shop, the pool) for
 * itself alone; its ordinary counterparties (customers, employees, billers) are
 * any accounts no structure took, and may serve several look-alikes, as people
 * shop in several shops. No look-alike touches a planted account. */
#include <math.h>
#include "generate_internal.h"
#include "iffnet/alert.h"

#define DAY 86400
#define HOUR 3600
#define MAXM 40
#define MAXMONTHS 128

#define TAKE(var, want, where) \
    do { if (((var) = iffnet_i_gen_take(g, st, (want), (where))) < 0) return IFFNET_ELIMIT; } while (0)
#define U(lo, hi) iffnet_i_gen_unif(g, (lo), (hi))
#define P(p) (gsl_rng_uniform(g->rng) < (p))
#define TX GEN_TX
#define TXT GEN_TXT

/* ---- helpers ------------------------------------------------------------------- */

static double lognorm(gen_t *g, double median, double sigma)
{
    return median * exp(gsl_ran_gaussian_ziggurat(g->rng, sigma));
}

static void set_sector(gen_t *g, int32_t a, const uint8_t *sectors, int n)
{
    gen_holder_t *h = &g->holders[g->accounts[a].holder];
    if (h->kind == GEN_COMPANY)
        h->sector = sectors[gsl_rng_uniform_int(g->rng, (unsigned long)n)];
}

/* Counterparties: up to n distinct ordinary accounts of `want` (fewer when the
 * population has none left). */
static int pick_many(gen_t *g, int want, int home_only, int32_t *out, int n)
{
    int k = 0;
    for (int tries = 0; k < n && tries < 4 * n; tries++) {
        int32_t a = iffnet_i_gen_pick(g, want, home_only), dup = 0;
        for (int i = 0; i < k && !dup; i++)
            dup = out[i] == a;
        if (a >= 0 && !dup)
            out[k++] = a;
    }
    return k;
}

/* The period a routine covers: the whole case; in the hard profile, half the
 * time only a quarter to a half of it (a young business has no long history). */
static void routine(gen_t *g, int64_t *from, int64_t *to)
{
    int64_t period = g->o->days * DAY;
    *from = g->o->start;
    *to = g->o->start + period;
    if (g->profile->hard && P(0.5)) {
        int64_t len = (int64_t)(U(0.25, 0.5) * (double)period);
        *from += (int64_t)(gsl_rng_uniform(g->rng) * (double)(period - len)) / DAY * DAY;
        *to = *from + len;
    }
}

/* Midnights of day `dom` (at most the month's last day) of each month in
 * [from, to); at most MAXMONTHS. */
static int monthly(int64_t from, int64_t to, int dom, int64_t *out)
{
    int64_t y;
    unsigned m, d;
    int n = 0;
    iffnet_civil_from_days(from / DAY, &y, &m, &d);
    for (; n < MAXMONTHS; m = m == 12 ? 1 : m + 1, y += m == 1) {
        int dd = dom > iffnet_days_in_month(y, m) ? iffnet_days_in_month(y, m) : dom;
        int64_t t = iffnet_days_from_civil(y, m, (unsigned)dd) * DAY;
        if (t >= to)
            break;
        if (t >= from)
            out[n++] = t;
    }
    return n;
}

/* A weekday on or before midnight t (payroll runs on the Friday before a weekend). */
static int64_t weekday_before(int64_t t)
{
    int w = (int)(((t / DAY) + 3) % 7); /* 0 = Monday */
    return w == 5 ? t - DAY : w == 6 ? t - 2 * DAY : t;
}

static int64_t office(gen_t *g, int64_t midnight)
{
    return iffnet_i_gen_when(g, midnight, 0);
}

/* Midnight of a random day in [from, to - margin) (from when there is no room). */
static int64_t some_day(gen_t *g, int64_t from, int64_t to, int64_t margin)
{
    int64_t room = to - from - margin;
    int64_t off = room > DAY ? (int64_t)(gsl_rng_uniform(g->rng) * (double)room) : 0;
    return (from + off) / DAY * DAY;
}

/* ---- fan shapes ------------------------------------------------------------------- */

static int la_payroll(gen_t *g, gen_structure_t *st)
{
    static const uint8_t sectors[] = { GEN_S_MANUFACTURING, GEN_S_CONSTRUCTION, GEN_S_HEALTHCARE, GEN_S_IT,
                                       GEN_S_PAYROLL, GEN_S_LOGISTICS, GEN_S_RETAIL };
    int32_t emp, staff[MAXM];
    double salary[MAXM];
    int64_t from, to, days[MAXMONTHS];
    TAKE(emp, GEN_WANT_COMPANY, GEN_AT_HOME);
    set_sector(g, emp, sectors, NELEM(sectors));
    int n = pick_many(g, GEN_WANT_PERSON, 1, staff, iffnet_i_gen_members(g, 4, MAXM) - 1), k = 0;
    for (int i = 0; i < n; i++)
        if (g->holders[g->accounts[staff[i]].holder].employer < 0) /* not employed elsewhere */
            staff[k++] = staff[i];
    if (k < 3)
        return IFFNET_ELIMIT;
    for (int i = 0; i < k; i++) {
        g->holders[g->accounts[staff[i]].holder].employer = g->accounts[emp].holder;
        salary[i] = U(1500, 5200);
    }
    routine(g, &from, &to);
    int dom = 25 + (int)gsl_rng_uniform_int(g->rng, 4), months = monthly(from, to, dom, days);
    for (int mo = 0; mo < months; mo++) {
        int64_t t = weekday_before(days[mo]) + 5 * HOUR + iffnet_i_gen_jitter(g, 2 * HOUR);
        for (int i = 0; i < k; i++) {
            TXT(g, st, emp, staff[i], t + i, salary[i] * U(0.99, 1.03), 0, GEN_CH_ACH, R_SALARY,
                (uint32_t)(days[mo] / DAY));
        }
    }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "an employer pays %d staff their salaries on the %dth of %d months", k, dom,
                                 months);
}

static int la_shop_takings(gen_t *g, gen_structure_t *st)
{
    static const uint8_t sectors[] = { GEN_S_RETAIL, GEN_S_RESTAURANT, GEN_S_PET_SHOP, GEN_S_HEALTHCARE };
    int32_t shop, cust[MAXM];
    int64_t from, to;
    TAKE(shop, GEN_WANT_COMPANY, GEN_AT_HOME);
    set_sector(g, shop, sectors, NELEM(sectors));
    int n = pick_many(g, GEN_WANT_PERSON, 1, cust, iffnet_i_gen_members(g, 4, MAXM) - 1);
    if (n < 3)
        return IFFNET_ELIMIT;
    routine(g, &from, &to);
    /* A busy day (a market, a sale) brings most customers within a day or
     * two; the regulars come back now and then over the whole routine. */
    int64_t busy = some_day(g, from, to, 2 * DAY);
    for (int i = 0; i < n; i++) {
        int visits = 1 + (int)gsl_rng_uniform_int(g->rng, 6);
        for (int v = 0; v < visits; v++) {
            int64_t t = v == 0 ? iffnet_i_gen_when(g, busy, DAY) : office(g, some_day(g, from, to, 0));
            TXT(g, st, cust[i], shop, t, floor(lognorm(g, 28, 0.8)) + 0.99, 0, GEN_CH_CARD, R_CARD, 0);
        }
    }
    st->span = to - from;
    return iffnet_i_gen_describe(st, "%d regular customers pay a shop by card, most of them on one busy day", n);
}

static int la_supplier_run(gen_t *g, gen_structure_t *st)
{
    int32_t payer, sup[MAXM];
    double median[MAXM];
    int64_t from, to;
    TAKE(payer, GEN_WANT_COMPANY, GEN_AT_HOME);
    int n = pick_many(g, GEN_WANT_COMPANY, 0, sup, iffnet_i_gen_members(g, 4, 30) - 1);
    if (n < 3)
        return IFFNET_ELIMIT;
    for (int i = 0; i < n; i++)
        median[i] = iffnet_i_gen_loguni(g, 800, 20000);
    routine(g, &from, &to);
    int64_t gap = P(0.5) ? 7 * DAY : 14 * DAY, first = from + iffnet_i_gen_jitter(g, gap / DAY) * DAY;
    int runs = 0;
    for (int64_t t = first; t < to; t += gap, runs++)
        for (int i = 0; i < n; i++)
            if (runs == 0 || P(0.6)) {
                TXT(g, st, payer, sup[i], weekday_before(t - t % DAY) + 10 * HOUR + i * 60,
                    lognorm(g, median[i], 0.3), 0, GEN_CH_ACH, R_INVOICE, (uint32_t)gsl_rng_get(g->rng));
            }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = gap;
    return iffnet_i_gen_describe(st, "a company pays its %d regular suppliers' invoices in a run every %lld days", n,
                                 (long long)(gap / DAY));
}

static int la_bill_payer(gen_t *g, gen_structure_t *st)
{
    int32_t person, biller[MAXM];
    int dom[MAXM];
    double amount[MAXM];
    int64_t from, to, days[MAXMONTHS];
    TAKE(person, GEN_WANT_PERSON, GEN_AT_HOME);
    int n = pick_many(g, GEN_WANT_COMPANY, 1, biller, iffnet_i_gen_members(g, 4, 10) - 1);
    if (n < 3)
        return IFFNET_ELIMIT;
    routine(g, &from, &to);
    int months = 0;
    for (int i = 0; i < n; i++) {
        dom[i] = 1 + (int)gsl_rng_uniform_int(g->rng, 28);
        amount[i] = lognorm(g, 70, 0.7);
        months = monthly(from, to, dom[i], days);
        for (int mo = 0; mo < months; mo++) {
            TXT(g, st, person, biller[i], days[mo] + 6 * HOUR + iffnet_i_gen_jitter(g, HOUR),
                amount[i] * U(0.9, 1.1), 0, GEN_CH_ACH, R_BILL, (uint32_t)(person * 7919u + (uint32_t)i));
        }
    }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "a household pays %d bills by direct debit every month", n);
}

static int la_rent_collection(gen_t *g, gen_structure_t *st)
{
    static const uint8_t sectors[] = { GEN_S_REAL_ESTATE };
    int32_t landlord, tenant[MAXM];
    double rent[MAXM];
    int64_t from, to, days[MAXMONTHS];
    TAKE(landlord, GEN_WANT_COMPANY, GEN_AT_HOME);
    set_sector(g, landlord, sectors, 1);
    int n = pick_many(g, GEN_WANT_PERSON, 1, tenant, iffnet_i_gen_members(g, 4, 30) - 1);
    if (n < 3)
        return IFFNET_ELIMIT;
    for (int i = 0; i < n; i++)
        rent[i] = 450 + 10 * (double)gsl_rng_uniform_int(g->rng, 150);
    routine(g, &from, &to);
    int months = monthly(from, to, 1, days);
    for (int mo = 0; mo < months; mo++)
        for (int i = 0; i < n; i++) {
            int64_t t = days[mo] + iffnet_i_gen_jitter(g, 3) * DAY;
            t += 7 * HOUR + iffnet_i_gen_jitter(g, 10 * HOUR);
            TXT(g, st, tenant[i], landlord, t, rent[i], 10, GEN_CH_ACH, R_RENT, (uint32_t)(days[mo] / DAY));
        }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "%d tenants pay a property company the same rent at the start of %d months", n,
                                 months);
}

/* ---- pass-through shapes ---------------------------------------------------------- */

static int la_standing_forward(gen_t *g, gen_structure_t *st)
{
    int32_t person, payer[3], rel;
    int64_t from, to, days[MAXMONTHS];
    static const char *const refs[] = { "family support", "monthly support", "savings", "for mum" };
    TAKE(person, GEN_WANT_PERSON, GEN_AT_HOME);
    TAKE(rel, GEN_WANT_PERSON, iffnet_i_gen_region_country(g, P(0.6) ? GEN_SOURCE : GEN_OTHER));
    int np = pick_many(g, GEN_WANT_COMPANY, 1, payer, 1 + (int)gsl_rng_uniform_int(g->rng, 3));
    if (np < 1)
        return IFFNET_ELIMIT;
    double pay[3], keep = U(0.8, 0.95);
    for (int i = 0; i < np; i++)
        pay[i] = U(900, 4000);
    const char *ref = iffnet_i_gen_pick_ref(g, refs, NELEM(refs));
    routine(g, &from, &to);
    int months = monthly(from, to, 25 + (int)gsl_rng_uniform_int(g->rng, 3), days);
    for (int mo = 0; mo < months; mo++) {
        double sum = 0;
        int64_t t = weekday_before(days[mo]) + 6 * HOUR;
        for (int i = 0; i < np; i++) {
            double a = pay[i] * U(0.98, 1.02);
            sum += a;
            TXT(g, st, payer[i], person, t + i * 600, a, 0, GEN_CH_ACH, R_SALARY, (uint32_t)(days[mo] / DAY));
        }
        /* A standing order: the same day of the month, the same share. */
        TX(g, st, person, rel, iffnet_i_gen_daytime(g, t + DAY + 2 * HOUR), sum * keep, 10, GEN_CH_WIRE, -1, ref);
    }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "a person forwards %d %% of the income from %d payer%s to a relative abroad "
                                 "by standing order, %d months", (int)(keep * 100), np, np > 1 ? "s" : "", months);
}

static int la_cash_pool(gen_t *g, gen_structure_t *st)
{
    int32_t hold, sub[MAXM];
    int64_t from, to, days[MAXMONTHS];
    int n = iffnet_i_gen_members(g, 7, 20) - 1;
    static const uint8_t hsec[] = { GEN_S_HOLDING };
    TAKE(hold, GEN_WANT_COMPANY, GEN_AT_HOME);
    set_sector(g, hold, hsec, 1);
    for (int i = 0; i < n; i++) {
        TAKE(sub[i], GEN_WANT_COMPANY, P(0.85) ? GEN_AT_HOME : GEN_AT_ANY);
        g->holders[g->accounts[sub[i]].holder].owner = g->accounts[hold].holder;
    }
    /* The pool sweeps surplus at month end and funds deficits at the start. */
    int sweepers = 3 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(n - 5));
    routine(g, &from, &to);
    int months = monthly(from, to, 28, days);
    for (int mo = 0; mo < months; mo++) {
        double pooled = 0;
        for (int i = 0; i < sweepers; i++) {
            double a = 1000 * floor(lognorm(g, 30, 0.8) + 1);
            pooled += a;
            TXT(g, st, sub[i], hold, weekday_before(days[mo]) + 17 * HOUR + i * 60, a, 0, GEN_CH_WIRE, R_SWEEP, 0);
        }
        for (int i = sweepers; i < n; i++) {
            TXT(g, st, hold, sub[i], days[mo] + 4 * DAY + 9 * HOUR + i * 60,
                1000 * floor(pooled * U(0.6, 0.9) / (n - sweepers) / 1000 + 1), 0, GEN_CH_WIRE, R_FUNDING, 0);
        }
    }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "a holding's cash pool sweeps %d subsidiaries at month end and funds %d others, "
                                 "%d months", sweepers, n - sweepers, months);
}

static int la_netting(gen_t *g, gen_structure_t *st)
{
    int32_t co[MAXM], owner;
    int64_t from, to, days[MAXMONTHS];
    int k = iffnet_i_gen_members(g, 3, 8);
    TAKE(owner, GEN_WANT_COMPANY, GEN_AT_HOME);
    static const uint8_t hsec[] = { GEN_S_HOLDING };
    set_sector(g, owner, hsec, 1);
    for (int i = 0; i < k; i++) {
        TAKE(co[i], GEN_WANT_COMPANY, P(0.8) ? GEN_AT_HOME : GEN_AT_ANY);
        g->holders[g->accounts[co[i]].holder].owner = g->accounts[owner].holder;
    }
    routine(g, &from, &to);
    int months = monthly(from, to, 20, days);
    /* Group companies settle their intercompany balances in a ring every
     * month: the amounts stay close, as each nets its own invoices. */
    for (int mo = 0; mo < months; mo++) {
        double a = 1000 * floor(lognorm(g, 25, 0.6) + 1);
        int64_t t = weekday_before(days[mo]) + 10 * HOUR;
        for (int i = 0; i < k; i++) {
            TXT(g, st, co[i], co[(i + 1) % k], t + i * HOUR, a, 0, GEN_CH_WIRE, R_INTERCO, 0);
            a *= U(0.97, 1.03);
        }
    }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "%d companies of one group settle intercompany balances in a ring every month, "
                                 "%d months", k, months);
}

static int la_refund(gen_t *g, gen_structure_t *st)
{
    int32_t market, seller, cust;
    int64_t from, to;
    static const uint8_t msec[] = { GEN_S_RETAIL, GEN_S_IT };
    TAKE(market, GEN_WANT_COMPANY, GEN_AT_HOME);
    set_sector(g, market, msec, NELEM(msec));
    int trips = 1 + (int)gsl_rng_uniform_int(g->rng, 4), made = 0;
    routine(g, &from, &to);
    /* Each round trip: the customer pays the marketplace, which pays the
     * seller its share; the seller refunds the returned goods to the customer. */
    for (int r = 0; r < trips; r++) {
        if ((cust = iffnet_i_gen_pick(g, GEN_WANT_PERSON, 1)) < 0 ||
            (seller = iffnet_i_gen_pick(g, GEN_WANT_COMPANY, 1)) < 0)
            continue;
        double price = lognorm(g, 180, 0.8);
        int64_t t = office(g, some_day(g, from, to, 30 * DAY));
        TX(g, st, cust, market, t, price, 0, GEN_CH_CARD, -1, "order");
        TX(g, st, market, seller, office(g, t - t % DAY + (1 + iffnet_i_gen_jitter(g, 7)) * DAY),
            price * U(0.85, 0.95), 0, GEN_CH_ACH, -1, "payout");
        TX(g, st, seller, cust, office(g, t - t % DAY + (8 + iffnet_i_gen_jitter(g, 14)) * DAY), price, 0,
            GEN_CH_ACH, -1, "refund return");
        made++;
    }
    if (!made)
        return IFFNET_ELIMIT;
    st->schedule = GEN_SCHED_CHAIN, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "%d customer%s refunded for returned goods bought through one marketplace", made,
                                 made > 1 ? "s" : "");
}

static int la_group_funding_chain(gen_t *g, gen_structure_t *st)
{
    int32_t co[MAXM];
    int64_t from, to;
    int n = iffnet_i_gen_members(g, 4, 7), rounds = 1 + (int)gsl_rng_uniform_int(g->rng, 3);
    static const uint8_t hsec[] = { GEN_S_HOLDING };
    for (int i = 0; i < n; i++) {
        TAKE(co[i], GEN_WANT_COMPANY, GEN_AT_HOME);
        if (i == 0)
            set_sector(g, co[0], hsec, 1);
        else /* each funds the one it owns */
            g->holders[g->accounts[co[i]].holder].owner = g->accounts[co[i - 1]].holder;
    }
    routine(g, &from, &to);
    for (int r = 0; r < rounds; r++) {
        double a = 10000 * floor(lognorm(g, 8, 0.7) + 1);
        int64_t part = (to - from) / rounds;
        int64_t t = office(g, some_day(g, from + part * r, from + part * (r + 1), 10 * DAY));
        for (int i = 0; i + 1 < n; i++) {
            TX(g, st, co[i], co[i + 1], t, a, 0, GEN_CH_WIRE, -1, "INTERCOMPANY LOAN");
            t = iffnet_i_gen_daytime(g, t + DAY + iffnet_i_gen_jitter(g, 3 * DAY));
            a *= P(0.5) ? 1.0 : U(0.9, 0.99);
        }
    }
    st->schedule = GEN_SCHED_CHAIN, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "a holding lends down its chain of %d subsidiaries, each passing the loan on, %s",
                                 n - 1, rounds == 1 ? "once" : rounds == 2 ? "twice" : "three times");
}

static int la_subcontracting(gen_t *g, gen_structure_t *st)
{
    int32_t gc, supplier, sub[MAXM];
    int64_t from, to;
    int k = iffnet_i_gen_members(g, 5, 20) - 2, stages = 1 + (int)gsl_rng_uniform_int(g->rng, 4);
    static const uint8_t csec[] = { GEN_S_CONSTRUCTION }, wsec[] = { GEN_S_WHOLESALE };
    TAKE(gc, GEN_WANT_COMPANY, GEN_AT_HOME);
    set_sector(g, gc, csec, 1);
    TAKE(supplier, GEN_WANT_COMPANY, GEN_AT_HOME);
    set_sector(g, supplier, wsec, 1);
    for (int i = 0; i < k; i++) {
        TAKE(sub[i], GEN_WANT_COMPANY, GEN_AT_HOME);
        set_sector(g, sub[i], csec, 1);
    }
    routine(g, &from, &to);
    /* Each project stage: the contractor pays its subcontractors, who buy
     * their materials from the same builders' merchant. */
    int64_t step = (to - from) / (stages + 1);
    for (int s = 0; s < stages; s++) {
        int64_t t0 = from + step * s + iffnet_i_gen_jitter(g, step / 2 + 1) / DAY * DAY;
        for (int i = 0; i < k; i++) {
            double a = 100 * floor(lognorm(g, 120, 0.6));
            int64_t t = office(g, t0 + iffnet_i_gen_jitter(g, 3) * DAY);
            TXT(g, st, gc, sub[i], t, a, 0, GEN_CH_ACH, R_INVOICE, (uint32_t)gsl_rng_get(g->rng));
            TXT(g, st, sub[i], supplier, office(g, t - t % DAY + (2 + iffnet_i_gen_jitter(g, 20)) * DAY),
                a * U(0.3, 0.7), 0, GEN_CH_ACH, R_INVOICE, (uint32_t)gsl_rng_get(g->rng));
        }
    }
    st->amounts = GEN_AMT_DECAYING;
    return iffnet_i_gen_describe(st, "a building contractor pays %d subcontractors who buy materials from one "
                                 "merchant, %d stage%s", k, stages, stages > 1 ? "s" : "");
}

static int la_supply_chain(gen_t *g, gen_structure_t *st)
{
    int m = iffnet_i_gen_members(g, 6, 24), n[3] = { 2, 2, 2 };
    for (int r = 6; r < m; r++)
        n[r % 4 == 3 ? 0 : gsl_rng_uniform_int(g->rng, 3)]++;
    int32_t L[3][MAXM];
    int64_t from, to, days[MAXMONTHS];
    static const uint8_t sec[3][2] = { { GEN_S_RETAIL, GEN_S_RESTAURANT }, { GEN_S_WHOLESALE, GEN_S_LOGISTICS },
                                       { GEN_S_MANUFACTURING, GEN_S_AGRICULTURE } };
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < n[l]; i++) {
            TAKE(L[l][i], GEN_WANT_COMPANY, l == 2 && P(0.3) ? GEN_AT_ANY : GEN_AT_HOME);
            set_sector(g, L[l][i], sec[l], 2);
        }
    routine(g, &from, &to);
    int months = monthly(from, to, 10, days);
    /* Retailers pay their distributors each month; distributors pay the
     * makers for the goods, keeping their margin. */
    for (int mo = 0; mo < months; mo++) {
        double got[MAXM] = { 0 };
        for (int i = 0; i < n[0]; i++)
            for (int j = 0; j < n[1]; j++)
                if (j == i % n[1] || P(0.5)) {
                    double a = lognorm(g, 4000, 0.5);
                    got[j] += a;
                    TXT(g, st, L[0][i], L[1][j], office(g, days[mo] + iffnet_i_gen_jitter(g, 4) * DAY), a, 0,
                        GEN_CH_ACH, R_INVOICE, (uint32_t)gsl_rng_get(g->rng));
                }
        for (int j = 0; j < n[1]; j++)
            if (got[j] > 0) {
                int k = j % n[2];
                TXT(g, st, L[1][j], L[2][k], office(g, days[mo] + (10 + iffnet_i_gen_jitter(g, 10)) * DAY),
                    got[j] * U(0.6, 0.85), 0, GEN_CH_ACH, R_TRADE, (uint32_t)gsl_rng_get(g->rng));
            }
    }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY, st->amounts = GEN_AMT_DECAYING;
    return iffnet_i_gen_describe(st, "%d retailers pay %d distributors who pay %d makers every month, keeping a margin",
                                 n[0], n[1], n[2]);
}

/* ---- dense pairs and blocks --------------------------------------------------------- */

static int la_block(gen_t *g, gen_structure_t *st, int na, int nb, int64_t gap, double median, const char *what)
{
    int32_t A[MAXM], B[MAXM];
    double pair[MAXM][MAXM];
    int64_t from, to;
    for (int i = 0; i < na; i++)
        TAKE(A[i], GEN_WANT_COMPANY, GEN_AT_HOME);
    for (int j = 0; j < nb; j++)
        TAKE(B[j], GEN_WANT_COMPANY, GEN_AT_HOME);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            pair[i][j] = j == i % nb || P(0.6) ? lognorm(g, median, 0.5) : 0;
    routine(g, &from, &to);
    /* Deliveries paid on a fixed rhythm for as long as the routine runs; at
     * most a few hundred payments. */
    int64_t len = to - from, edges = (int64_t)na * nb;
    if (len / gap * edges > 400)
        len = 400 / edges * gap;
    int rounds = 0;
    for (int64_t t = from + iffnet_i_gen_jitter(g, gap / DAY + 1) * DAY; t < from + len; t += gap, rounds++)
        for (int i = 0; i < na; i++)
            for (int j = 0; j < nb; j++)
                if (pair[i][j] > 0 && (rounds == 0 || P(0.9))) {
                    TXT(g, st, A[i], B[j], office(g, t - t % DAY), pair[i][j] * U(0.85, 1.15), 0,
                        GEN_CH_ACH, R_INVOICE, (uint32_t)gsl_rng_get(g->rng));
                }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = gap, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "%s: %d buyer%s pay %d supplier%s every %lld day%s, %d rounds", what, na,
                                 na > 1 ? "s" : "", nb, nb > 1 ? "s" : "", (long long)(gap / DAY), gap > DAY ? "s" : "",
                                 rounds);
}

static int la_dense_pair(gen_t *g, gen_structure_t *st)
{
    int na = 1 + (int)gsl_rng_uniform_int(g->rng, 3), nb = 1 + (int)gsl_rng_uniform_int(g->rng, 3);
    return la_block(g, st, na, nb, P(0.5) ? DAY : 2 * DAY, 400, "regular deliveries");
}

static int la_franchise_supply(gen_t *g, gen_structure_t *st)
{
    int m = iffnet_i_gen_members(g, 6, 18), na = 3 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(m - 5));
    return la_block(g, st, na, m - na, 7 * DAY, 2500, "franchise supply");
}

/* ---- cash ---------------------------------------------------------------------------- */

/* Daily takings: no bunching under the reporting line; large days go over it. */
static double takings(gen_t *g)
{
    return fmin(lognorm(g, 0.22 * iffnet_i_gen_threshold(g), 0.75), 3.0 * iffnet_i_gen_threshold(g)) /
           iffnet_i_gen_currencies[g->case_cur].per_eur;
}

static int la_cash_takings(gen_t *g, gen_structure_t *st)
{
    static const uint8_t sectors[] = { GEN_S_RESTAURANT, GEN_S_RETAIL, GEN_S_CAR_WASH, GEN_S_JEWELLERY };
    int32_t br[6], sup;
    int64_t from, to;
    int nb = iffnet_i_gen_members(g, 2, 5) - 1;
    for (int i = 0; i < nb; i++) {
        TAKE(br[i], GEN_WANT_COMPANY, GEN_AT_HOME);
        set_sector(g, br[i], sectors, NELEM(sectors));
    }
    if ((sup = iffnet_i_gen_pick(g, GEN_WANT_COMPANY, 1)) < 0)
        return IFFNET_ELIMIT;
    routine(g, &from, &to);
    /* Each branch banks its takings on two to five days a week and pays the
     * supplier every month from what it banked. */
    int per_week = 2 + (int)gsl_rng_uniform_int(g->rng, 4), n = 0;
    for (int i = 0; i < nb; i++) {
        double month = 0;
        for (int64_t t = from; t < to; t += DAY) {
            if (P(per_week / 7.0) && n < 300) {
                double a = takings(g);
                month += a;
                n++;
                TX(g, st, -1, br[i], t - t % DAY + 9 * HOUR + iffnet_i_gen_jitter(g, 8 * HOUR), a, 0,
                    GEN_CH_CASH_DEP, g->case_cur, NULL);
            }
            if (month > 0 && (t - g->o->start) / DAY % 30 == 29) {
                TXT(g, st, br[i], sup, office(g, t - t % DAY), month * U(0.4, 0.7), 0, GEN_CH_ACH, R_INVOICE,
                    (uint32_t)gsl_rng_get(g->rng));
                month = 0;
            }
        }
    }
    if (n == 0)
        return IFFNET_ELIMIT;
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 7 * DAY / per_week;
    return iffnet_i_gen_describe(st, "%d branch%s of a cash business bank%s daily takings %d days a week, some over "
                                 "the reporting line, and pay%s a supplier monthly", nb, nb > 1 ? "es" : "",
                                 nb > 1 ? "" : "s", per_week, nb > 1 ? "" : "s");
}

static int la_cash_import_business(gen_t *g, gen_structure_t *st)
{
    static const uint8_t sectors[] = { GEN_S_RETAIL, GEN_S_RESTAURANT, GEN_S_IMPORT_EXPORT };
    static const char *const origin[] = { "TR", "IN", "CN", "VN", "TH" };
    int32_t shop, sup;
    int64_t from, to, days[MAXMONTHS];
    TAKE(shop, GEN_WANT_COMPANY, GEN_AT_HOME);
    set_sector(g, shop, sectors, NELEM(sectors));
    int c = iffnet_i_gen_country_index(origin[gsl_rng_uniform_int(g->rng, NELEM(origin))]);
    TAKE(sup, GEN_WANT_COMPANY, c < 0 ? GEN_AT_ANY : c);
    routine(g, &from, &to);
    int months = monthly(from, to, 1 + (int)gsl_rng_uniform_int(g->rng, 20), days);
    /* A grocery importer banks a week of takings, then pays its foreign
     * supplier's invoice from them. */
    for (int mo = 0; mo < months; mo++) {
        int n = 2 + (int)gsl_rng_uniform_int(g->rng, 6);
        double sum = 0;
        int64_t last = days[mo];
        for (int i = 0; i < n; i++) {
            double a = takings(g);
            int64_t t = days[mo] + iffnet_i_gen_jitter(g, 6) * DAY;
            t += 9 * HOUR + iffnet_i_gen_jitter(g, 8 * HOUR);
            last = t > last ? t : last;
            sum += a;
            TX(g, st, -1, shop, t, a, 0, GEN_CH_CASH_DEP, g->case_cur, NULL);
        }
        TXT(g, st, shop, sup, office(g, last - last % DAY + (1 + iffnet_i_gen_jitter(g, 5)) * DAY),
            sum * U(0.5, 0.9), 100, GEN_CH_WIRE, R_TRADE, (uint32_t)gsl_rng_get(g->rng));
    }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY;
    return iffnet_i_gen_describe(st, "a grocery importer banks its cash takings and pays its foreign supplier's "
                                 "invoice from them, %d months", months);
}

/* ---- trade with the wildlife trade's countries ---------------------------------------- */

static int la_trade(gen_t *g, gen_structure_t *st, int home_pays, const uint8_t *hsec, int nh, const uint8_t *fsec,
                    int nf, const char *const *refs, int nrefs, double median, double round_to, const char *what)
{
    int32_t home, far[4];
    int64_t from, to;
    int nfar = 1 + (int)gsl_rng_uniform_int(g->rng, 3), n = 0;
    TAKE(home, GEN_WANT_COMPANY, GEN_AT_HOME);
    set_sector(g, home, hsec, nh);
    for (int i = 0; i < nfar; i++) {
        TAKE(far[i], GEN_WANT_COMPANY, iffnet_i_gen_region_country(g, GEN_SOURCE));
        set_sector(g, far[i], fsec, nf);
    }
    routine(g, &from, &to);
    /* Contracts paid every four to eight weeks, for as long as the trade runs. */
    int64_t gap = (28 + (int64_t)gsl_rng_uniform_int(g->rng, 29)) * DAY;
    for (int64_t t = from + iffnet_i_gen_jitter(g, gap / DAY) * DAY; t < to; t += gap)
        for (int i = 0; i < nfar; i++, n++) {
            int32_t s = home_pays ? home : far[i], d = home_pays ? far[i] : home;
            int64_t when = office(g, t - t % DAY + iffnet_i_gen_jitter(g, 5) * DAY);
            double a = lognorm(g, median, 0.5);
            if (refs)
                TX(g, st, s, d, when, a, round_to, GEN_CH_WIRE, -1, iffnet_i_gen_pick_ref(g, refs, nrefs));
            else
                TXT(g, st, s, d, when, a, round_to, GEN_CH_WIRE, R_TRADE, (uint32_t)gsl_rng_get(g->rng));
        }
    if (n == 0)
        return IFFNET_ELIMIT;
    st->schedule = GEN_SCHED_PERIODIC, st->gap = gap;
    return iffnet_i_gen_describe(st, "%s with %d compan%s in a source country, %d payments", what, nfar,
                                 nfar > 1 ? "ies" : "y", n);
}

static int la_agri_import(gen_t *g, gen_structure_t *st)
{
    static const uint8_t h[] = { GEN_S_AGRICULTURE, GEN_S_WHOLESALE, GEN_S_IMPORT_EXPORT }, f[] = { GEN_S_AGRICULTURE };
    static const char *const refs[] = { "coffee beans contract", "cocoa shipment", "cashew nuts", "tea auction lot",
                                        "fresh flowers", "avocado season" };
    return la_trade(g, st, 1, h, NELEM(h), f, 1, refs, NELEM(refs), 20000, 1000, "an importer buys crops");
}

static int la_licensed_animal_import(gen_t *g, gen_structure_t *st)
{
    static const uint8_t h[] = { GEN_S_PET_SHOP, GEN_S_ZOO }, f[] = { GEN_S_BREEDER, GEN_S_WILDLIFE_EXPORT };
    static const char *const refs[] = { "CITES permit fees", "ornamental fish", "captive-bred reptiles",
                                        "live animal transport", "aquarium plants", "veterinary certificates" };
    return la_trade(g, st, 1, h, NELEM(h), f, NELEM(f), refs, NELEM(refs), 3000, 100,
                    "a pet shop or zoo buys licensed animals");
}

static int la_export_to_source(gen_t *g, gen_structure_t *st)
{
    static const uint8_t h[] = { GEN_S_MANUFACTURING, GEN_S_HEALTHCARE, GEN_S_WHOLESALE },
                         f[] = { GEN_S_IMPORT_EXPORT, GEN_S_WHOLESALE, GEN_S_CONSTRUCTION };
    return la_trade(g, st, 0, h, NELEM(h), f, NELEM(f), NULL, 0, 30000, 1000, "an exporter is paid for goods");
}

static int la_re_export_trade(gen_t *g, gen_structure_t *st)
{
    int32_t buyer, house, maker;
    int64_t from, to, days[MAXMONTHS];
    static const uint8_t sec[] = { GEN_S_IMPORT_EXPORT, GEN_S_WHOLESALE };
    TAKE(buyer, GEN_WANT_COMPANY, iffnet_i_gen_region_country(g, GEN_SOURCE));
    TAKE(house, GEN_WANT_COMPANY, iffnet_i_gen_transit_country(g));
    TAKE(maker, GEN_WANT_COMPANY, iffnet_i_gen_dest_country(g));
    set_sector(g, buyer, sec, 2);
    set_sector(g, house, sec, 2);
    routine(g, &from, &to);
    /* A trading house buys from a maker what its customer ordered, paid on
     * the invoice every month: the same route every time. */
    int months = monthly(from, to, 5 + (int)gsl_rng_uniform_int(g->rng, 20), days);
    for (int mo = 0; mo < months; mo++) {
        double a = 1000 * floor(lognorm(g, 40, 0.5) + 1);
        int64_t t = office(g, days[mo]);
        TXT(g, st, buyer, house, t, a, 0, GEN_CH_WIRE, R_TRADE, (uint32_t)gsl_rng_get(g->rng));
        TXT(g, st, house, maker, office(g, days[mo] + (2 + iffnet_i_gen_jitter(g, 9)) * DAY), a * U(0.9, 0.96),
            0, GEN_CH_WIRE, R_TRADE, (uint32_t)gsl_rng_get(g->rng));
    }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "a trading house in a transit country buys from a maker what a customer in a "
                                 "source country ordered, %d months", months);
}

/* ---- people and companies -------------------------------------------------------------- */

static int la_family_group(gen_t *g, gen_structure_t *st)
{
    int32_t co[MAXM], founder, staff[4];
    int64_t from, to, days[MAXMONTHS];
    int k = iffnet_i_gen_members(g, 3, 6);
    uint32_t key = (uint32_t)++g->n_shell_groups;
    static const uint8_t sec[] = { GEN_S_MANUFACTURING, GEN_S_WHOLESALE, GEN_S_LOGISTICS, GEN_S_REAL_ESTATE,
                                   GEN_S_AGRICULTURE, GEN_S_RETAIL };
    TAKE(founder, GEN_WANT_PERSON, GEN_AT_HOME);
    for (int i = 0; i < k; i++) {
        TAKE(co[i], GEN_WANT_COMPANY, i == 0 ? GEN_AT_HOME : iffnet_i_gen_account_country(g, co[0]));
        gen_holder_t *h = &g->holders[g->accounts[co[i]].holder];
        set_sector(g, co[i], sec, NELEM(sec));
        /* A family business of long standing: one founder, one address. */
        h->director = h->owner = g->accounts[founder].holder;
        h->addr_key = key;
        h->reg_year = (int16_t)(1985 + (int)gsl_rng_uniform_int(g->rng, 30));
        h->country = (uint8_t)iffnet_i_gen_account_country(g, co[i]);
    }
    routine(g, &from, &to);
    int months = monthly(from, to, 15, days);
    for (int i = 0; i < k; i++) {
        int ns = pick_many(g, GEN_WANT_PERSON, 1, staff, 1 + (int)gsl_rng_uniform_int(g->rng, 4)), ne = 0;
        double salary[4];
        for (int j = 0; j < ns; j++)
            if (g->holders[g->accounts[staff[j]].holder].employer < 0) {
                g->holders[g->accounts[staff[j]].holder].employer = g->accounts[co[i]].holder;
                staff[ne] = staff[j];
                salary[ne++] = U(1600, 4000);
            }
        for (int mo = 0; mo < months; mo++) {
            for (int j = 0; j < ne; j++) {
                TXT(g, st, co[i], staff[j], weekday_before(days[mo] + 10 * DAY) + 5 * HOUR + j, salary[j], 0,
                    GEN_CH_ACH, R_SALARY, (uint32_t)((days[mo] + 10 * DAY) / DAY));
            }
            /* the group's companies invoice one another */
            int b = (i + 1 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(k - 1))) % k;
            TXT(g, st, co[i], co[b], office(g, days[mo] + iffnet_i_gen_jitter(g, 10) * DAY), lognorm(g, 6000, 0.6),
                0, GEN_CH_ACH, R_INVOICE, (uint32_t)gsl_rng_get(g->rng));
        }
    }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY;
    return iffnet_i_gen_describe(st, "%d long-established companies of one family share a director and an address, "
                                 "employ staff and invoice one another", k);
}

static int la_pep_rental_income(gen_t *g, gen_structure_t *st)
{
    int32_t pep, tenant[2];
    int64_t from, to, days[MAXMONTHS];
    TAKE(pep, GEN_WANT_PERSON, GEN_AT_HOME);
    gen_holder_t *h = &g->holders[g->accounts[pep].holder];
    h->flags |= GEN_HF_PEP;
    h->country = (uint8_t)iffnet_i_gen_account_country(g, pep);
    int nt = pick_many(g, GEN_WANT_COMPANY, 1, tenant, 1 + (int)gsl_rng_uniform_int(g->rng, 2));
    if (nt < 1)
        return IFFNET_ELIMIT;
    double rent[2];
    for (int i = 0; i < nt; i++)
        rent[i] = 100 * (double)(8 + gsl_rng_uniform_int(g->rng, 40));
    routine(g, &from, &to);
    int months = monthly(from, to, 1, days);
    for (int mo = 0; mo < months; mo++)
        for (int i = 0; i < nt; i++) {
            TXT(g, st, tenant[i], pep, office(g, days[mo] + iffnet_i_gen_jitter(g, 3) * DAY), rent[i], 0,
                GEN_CH_ACH, R_RENT, (uint32_t)(days[mo] / DAY));
        }
    st->schedule = GEN_SCHED_PERIODIC, st->gap = 30 * DAY, st->amounts = GEN_AMT_CARRIED;
    return iffnet_i_gen_describe(st, "%d compan%s rent%s a property from a politically exposed person, the same rent "
                                 "every month", nt, nt > 1 ? "ies" : "y", nt > 1 ? "" : "s");
}

/* ---- driver ------------------------------------------------------------------------------ */

typedef struct {
    const char *kind;
    int shape;   /* the planted typology it looks like */
    int (*build)(gen_t *g, gen_structure_t *st);
} la_kind_t;

/* In turn, so that a few groups are the commonest look-alikes and enough
 * groups are all of them. */
static const la_kind_t kinds[] = {
    { "payroll", IFFNET_TYP_FAN_OUT, la_payroll },
    { "shop_takings", IFFNET_TYP_FAN_IN, la_shop_takings },
    { "supplier_run", IFFNET_TYP_FAN_OUT, la_supplier_run },
    { "rent_collection", IFFNET_TYP_FAN_IN, la_rent_collection },
    { "standing_forward", IFFNET_TYP_MULE, la_standing_forward },
    { "cash_pool", IFFNET_TYP_GATHER_SCATTER, la_cash_pool },
    { "netting", IFFNET_TYP_CYCLE, la_netting },
    { "dense_pair", IFFNET_TYP_BIPARTITE, la_dense_pair },
    { "cash_takings", IFFNET_TYP_STRUCTURING, la_cash_takings },
    { "bill_payer", IFFNET_TYP_FAN_OUT, la_bill_payer },
    { "refund", IFFNET_TYP_CYCLE, la_refund },
    { "franchise_supply", IFFNET_TYP_BIPARTITE, la_franchise_supply },
    { "group_funding_chain", IFFNET_TYP_LAYERING, la_group_funding_chain },
    { "subcontracting", IFFNET_TYP_SCATTER_GATHER, la_subcontracting },
    { "supply_chain", IFFNET_TYP_STACK, la_supply_chain },
    { "cash_import_business", IFFNET_TYP_CASH_TO_WIRE, la_cash_import_business },
    { "agri_import", IFFNET_TYP_WILDLIFE_TRADE, la_agri_import },
    { "re_export_trade", IFFNET_TYP_CORRIDOR, la_re_export_trade },
    { "licensed_animal_import", IFFNET_TYP_WILDLIFE_TRADE, la_licensed_animal_import },
    { "family_group", IFFNET_TYP_SHELL_NETWORK, la_family_group },
    { "pep_rental_income", IFFNET_TYP_PEP_PAYMENT, la_pep_rental_income },
    { "export_to_source", IFFNET_TYP_WILDLIFE_TRADE, la_export_to_source },
};

int iffnet_i_gen_lookalikes(gen_t *g, int64_t budget)
{
    int64_t n = g->o->n_lookalikes >= 0 ? g->o->n_lookalikes
              : llround(g->profile->lookalikes_per_1000 * (double)g->n_accounts / 1000.0);
    int64_t limit = g->n_ptx + budget;
    int fails = 0;
    for (int64_t i = 0; i < n; i++) {
        const la_kind_t *k = &kinds[i % NELEM(kinds)];
        gen_structure_t *st = iffnet_i_gen_st_begin(g, k->shape, k->kind);
        if (!st)
            return IFFNET_ENOMEM;
        int err = k->build(g, st);
        /* What does not fit is left out: look-alikes are never a promise. A
         * kind that finds no accounts makes way for the next; when none
         * finds any, the population is used up. */
        if (err == IFFNET_ELIMIT || (!err && st->n_tx == 0)) {
            iffnet_i_gen_st_drop_last(g);
            if (++fails >= NELEM(kinds))
                break;
            continue;
        }
        if (err)
            return err;
        if (g->n_ptx > limit) {
            iffnet_i_gen_st_drop_last(g);
            break;
        }
        fails = 0;
    }
    iffnet_errmsg_clear();
    return IFFNET_OK;
}
