/* generate_plant.c: the planted laundering structures (the needles) of a
 * generated case, one builder per typology of alert.h. Each builder takes
 * unused accounts of the population, may move them abroad or change what their
 * holders look like (a shell company, a PEP), and adds transactions to g->ptx.
 * Sizes, spans, schedules and amount rules are drawn per structure
 * (generate_struct.c); each builder keeps what its typology says: a cycle's
 * hops are in time order and return to the origin, a layering chain passes
 * money on, a stack's middle layer forwards what it received, a mule wires
 * almost all it receives within days. */
#include <math.h>
#include "generate_internal.h"
#include "iffnet/alert.h"

#define DAY 86400
#define HOUR 3600
#define MAXM 40                 /* most members of one structure */

#define TAKE(var, want, where) \
    do { if (((var) = iffnet_i_gen_take(g, st, (want), (where))) < 0) return IFFNET_ELIMIT; } while (0)
#define U(lo, hi) iffnet_i_gen_unif(g, (lo), (hi))
#define P(p) (gsl_rng_uniform(g->rng) < (p))
#define TX GEN_TX
#define HOME_OR_ANY(p) (P(p) ? GEN_AT_HOME : GEN_AT_ANY)

static const char *const vague_refs[] = { "", "payment", "invoice", "services", "loan", "transfer",
                                          "consulting", "goods", "advance", "" };
#define VAGUE() iffnet_i_gen_pick_ref(g, vague_refs, NELEM(vague_refs))

/* Covert words of the wildlife trade seen in payment references (Themis, TRAFFIC,
 * FATF 2020): code words for ivory, rhino horn, pangolin scales, totoaba maw. */
static const char *const wildlife_refs[] = {
    "white gold carvings", "raw white stock", "horn samples", "RH powder", "scales 20kg",
    "fish maw shipment", "dried scales", "bones and skins", "curios ivory-look", "pangolin tea",
    "exotic birds live", "reptile skins", "tortoise shells", "medicine raw materials horn",
    "teeth and claws", "shark fin"
};

/* An integer in [lo, hi], log-uniform. */
static int int_in(gen_t *g, int lo, int hi)
{
    int k = (int)floor(iffnet_i_gen_loguni(g, lo, hi + 1.0));
    return k > hi ? hi : k;
}

/* "once", "twice", "3 times" (a static buffer: one use per message). */
static const char *times_text(int n)
{
    static char buf[24];
    if (n == 1)
        return "once";
    if (n == 2)
        return "twice";
    snprintf(buf, sizeof buf, "%d times", n);
    return buf;
}

/* How the structure's events spread: "within 3 days", "every 7 days"
 * (a static buffer: one use per message). */
static const char *spread_text(const gen_structure_t *st)
{
    static char buf[48];
    if (st->schedule == GEN_SCHED_PERIODIC && st->gap == DAY)
        snprintf(buf, sizeof buf, "every day");
    else if (st->schedule == GEN_SCHED_PERIODIC && st->gap % DAY == 0)
        snprintf(buf, sizeof buf, "every %lld days", (long long)(st->gap / DAY));
    else if (st->schedule == GEN_SCHED_PERIODIC && st->gap >= DAY)
        snprintf(buf, sizeof buf, "every %.1f days", (double)st->gap / DAY);
    else if (st->schedule == GEN_SCHED_PERIODIC)
        snprintf(buf, sizeof buf, "every %lld hours", (long long)(st->gap / HOUR));
    else if (st->span <= DAY)
        snprintf(buf, sizeof buf, "within a day");
    else
        snprintf(buf, sizeof buf, "within %lld days", (long long)((st->span + DAY - 1) / DAY));
    return buf;
}

/* ---- fans --------------------------------------------------------------------- */

static int plant_fan_in(gen_t *g, gen_structure_t *st)
{
    int k = iffnet_i_gen_members_few(g, 4, MAXM) - 1;
    int32_t to, from;
    TAKE(to, GEN_WANT_ANY, GEN_AT_HOME);
    iffnet_i_gen_draw_schedule(g, st, k, 0.35, 0);
    iffnet_i_gen_draw_amounts(g, st, GEN_AMT_ALL);
    double base = iffnet_i_gen_magnitude(g) / k;
    int64_t t0 = iffnet_i_gen_start(g, &st->span);
    for (int i = 0; i < k; i++) {
        TAKE(from, GEN_WANT_PERSON, HOME_OR_ANY(0.8));
        TX(g, st, from, to, iffnet_i_gen_event(g, st, t0, i), iffnet_i_gen_share(g, st, i, base), 0,
            GEN_CH_ACH, -1, VAGUE());
    }
    return iffnet_i_gen_describe(st, "%d accounts pay one collector %s", k, spread_text(st));
}

static int plant_fan_out(gen_t *g, gen_structure_t *st)
{
    int k = iffnet_i_gen_members_few(g, 4, MAXM) - 1;
    int32_t from, to;
    TAKE(from, GEN_WANT_ANY, GEN_AT_HOME);
    iffnet_i_gen_draw_schedule(g, st, k, 0.35, 0);
    iffnet_i_gen_draw_amounts(g, st, GEN_AMT_ALL);
    double base = iffnet_i_gen_magnitude(g) / k;
    int64_t t0 = iffnet_i_gen_start(g, &st->span);
    for (int i = 0; i < k; i++) {
        TAKE(to, GEN_WANT_ANY, HOME_OR_ANY(0.75));
        TX(g, st, from, to, iffnet_i_gen_event(g, st, t0, i), iffnet_i_gen_share(g, st, i, base), 0,
            GEN_CH_ACH, -1, VAGUE());
    }
    return iffnet_i_gen_describe(st, "one account pays %d receivers %s", k, spread_text(st));
}

/* ---- chains ------------------------------------------------------------------- */

/* acc[0] -> acc[1] -> ... -> acc[n-1] (-> acc[0] when closed) in time order,
 * each hop passing on what the amount rule says. */
static int chain(gen_t *g, gen_structure_t *st, const int32_t *acc, int n, int closed)
{
    int hops = closed ? n : n - 1;
    int64_t t[MAXM];
    double base = iffnet_i_gen_magnitude(g), a = base;
    iffnet_i_gen_chain_times(g, st, iffnet_i_gen_start(g, &st->span), hops, t);
    for (int i = 0; i < hops; i++) {
        TX(g, st, acc[i], acc[(i + 1) % n], t[i], a, 0, GEN_CH_WIRE, -1, i == 0 ? VAGUE() : "");
        a = iffnet_i_gen_pass_on(g, st, a, base);
    }
    return IFFNET_OK;
}

static int plant_cycle(gen_t *g, gen_structure_t *st)
{
    int k = iffnet_i_gen_members(g, 3, MAXM);
    int32_t acc[MAXM];
    for (int i = 0; i < k; i++)
        TAKE(acc[i], GEN_WANT_ANY, P(0.3) ? iffnet_i_gen_transit_country(g) : GEN_AT_HOME);
    iffnet_i_gen_draw_chain(g, st, k);
    iffnet_i_gen_draw_amounts(g, st, GEN_AMT_ALL);
    IFFNET_TRY(chain(g, st, acc, k, 1));
    return iffnet_i_gen_describe(st, "money returns to its origin through %d accounts %s", k, spread_text(st));
}

static int plant_layering(gen_t *g, gen_structure_t *st)
{
    int n = iffnet_i_gen_members(g, 4, MAXM);
    int32_t acc[MAXM];
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(g->rng);
        TAKE(acc[i], GEN_WANT_ANY, u < 0.25 ? iffnet_i_gen_transit_country(g)
            : u < 0.35 ? iffnet_i_gen_region_country(g, GEN_OTHER) : GEN_AT_HOME);
    }
    iffnet_i_gen_draw_chain(g, st, n - 1);
    /* A layering chain moves the money on: its amounts are linked. */
    iffnet_i_gen_draw_amounts(g, st, GEN_AMT_LINKED);
    IFFNET_TRY(chain(g, st, acc, n, 0));
    return iffnet_i_gen_describe(st, "funds forwarded along %d hops %s, %s at each", n - 1, spread_text(st),
                                 st->amounts == GEN_AMT_DECAYING ? "a fifth or so kept" : "a little kept");
}

/* ---- through intermediaries ---------------------------------------------------- */

/* How long intermediaries hold money: up to a third of the longest span. */
static int64_t draw_dwell(gen_t *g)
{
    int64_t hi = iffnet_i_gen_max_span(g) / 3;
    return (int64_t)iffnet_i_gen_loguni(g, 6 * HOUR, (double)(hi > DAY ? hi : DAY));
}

static int plant_scatter_gather(gen_t *g, gen_structure_t *st)
{
    int k = iffnet_i_gen_members_few(g, 5, MAXM) - 2;
    int32_t src, sink, mid;
    TAKE(src, GEN_WANT_ANY, GEN_AT_HOME);
    TAKE(sink, GEN_WANT_ANY, P(0.5) ? GEN_AT_HOME : iffnet_i_gen_transit_country(g));
    iffnet_i_gen_draw_schedule(g, st, k, 0.25, 0);
    iffnet_i_gen_draw_amounts(g, st, GEN_AMT_ALL);
    int64_t dwell = draw_dwell(g), t0 = iffnet_i_gen_start(g, &st->span);
    double base = iffnet_i_gen_magnitude(g) / k;
    for (int i = 0; i < k; i++) {
        TAKE(mid, GEN_WANT_PERSON, GEN_AT_HOME);
        double a = iffnet_i_gen_share(g, st, i, base);
        int64_t t = iffnet_i_gen_event(g, st, t0, i);
        TX(g, st, src, mid, t, a, 0, GEN_CH_ACH, -1, VAGUE());
        int64_t out = iffnet_i_gen_daytime(g, t + HOUR + (int64_t)(U(0.2, 1.0) * (double)dwell));
        TX(g, st, mid, sink, out, iffnet_i_gen_pass_on(g, st, a, base), 0, GEN_CH_ACH, -1, "");
    }
    return iffnet_i_gen_describe(st, "one source splits funds over %d intermediaries %s that pay one sink", k,
                                 spread_text(st));
}

static int plant_gather_scatter(gen_t *g, gen_structure_t *st)
{
    int m = iffnet_i_gen_members_few(g, 7, MAXM);
    int k1 = 3 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(m - 6)), k2 = m - 1 - k1;
    int32_t hub, a;
    int64_t t[MAXM];
    TAKE(hub, GEN_WANT_ANY, GEN_AT_HOME);
    iffnet_i_gen_draw_schedule(g, st, k1 + k2, 0.3, 2 * DAY);
    iffnet_i_gen_draw_amounts(g, st, GEN_AMT_ALL);
    int64_t t0 = iffnet_i_gen_start(g, &st->span);
    /* The earliest k1 events gather, the rest pay out after the last of them. */
    for (int i = 0; i < k1 + k2; i++)
        t[i] = iffnet_i_gen_event(g, st, t0, i);
    iffnet_i_sort(t, (size_t)(k1 + k2), sizeof *t, iffnet_i_cmp_i64);
    double base = iffnet_i_gen_magnitude(g) / k1, in = 0;
    for (int i = 0; i < k1; i++) {
        TAKE(a, GEN_WANT_ANY, HOME_OR_ANY(0.8));
        double x = iffnet_i_gen_share(g, st, i, base);
        in += x;
        TX(g, st, a, hub, t[i], x, 0, GEN_CH_ACH, -1, VAGUE());
    }
    double out_base = st->amounts == GEN_AMT_INDEPENDENT ? base : in / k2;
    for (int i = 0; i < k2; i++) {
        int64_t ti = t[k1 + i] > t[k1 - 1] + HOUR ? t[k1 + i] : t[k1 - 1] + HOUR + iffnet_i_gen_jitter(g, 4 * HOUR);
        double x = st->amounts == GEN_AMT_INDEPENDENT ? iffnet_i_gen_share(g, st, i, out_base)
                                                      : out_base * U(st->keep_lo, st->keep_hi);
        if (st->amounts != GEN_AMT_INDEPENDENT)
            x *= U(0.7, 1.3);
        TAKE(a, GEN_WANT_ANY, HOME_OR_ANY(0.6));
        TX(g, st, hub, a, iffnet_i_gen_daytime(g, ti), x, 0, GEN_CH_ACH, -1, VAGUE());
    }
    return iffnet_i_gen_describe(st, "%d senders pay a hub that pays %d receivers, %s", k1, k2, spread_text(st));
}

static int plant_bipartite(gen_t *g, gen_structure_t *st)
{
    int m = iffnet_i_gen_members_few(g, 6, MAXM);
    int na = 3 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(m - 5)), nb = m - na;
    int32_t A[MAXM], B[MAXM];
    for (int i = 0; i < na; i++)
        TAKE(A[i], GEN_WANT_ANY, GEN_AT_HOME);
    for (int j = 0; j < nb; j++)
        TAKE(B[j], GEN_WANT_ANY, HOME_OR_ANY(0.7));
    /* Dense blocks repeat their pairs: one to six rounds (each pair pays in
     * most rounds), at most a few hundred payments in all. */
    int rounds = int_in(g, 1, 6), edges = na * nb * 7 / 10 + 1;
    if (rounds * edges > 300)
        rounds = 300 / edges > 1 ? 300 / edges : 1;
    iffnet_i_gen_draw_schedule(g, st, rounds, 0.5, 0);
    iffnet_i_gen_draw_amounts(g, st, GEN_AMT_ALL);
    double base = iffnet_i_gen_magnitude(g) / (na * nb);
    int64_t t0 = iffnet_i_gen_start(g, &st->span);
    int n = 0;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++) {
            if (j != i % nb && !P(0.6))
                continue;
            for (int r = 0; r < rounds; r++)
                if (r == 0 || P(0.8)) {
                    int64_t t = st->schedule == GEN_SCHED_PERIODIC ? iffnet_i_gen_event(g, st, t0, r)
                                                                   : iffnet_i_gen_when(g, t0, st->span);
                    TX(g, st, A[i], B[j], t, iffnet_i_gen_share(g, st, n++, base), 0, GEN_CH_ACH, -1,
                        VAGUE());
                }
        }
    return iffnet_i_gen_describe(st, "%d payers pay %d payees, many to many, %s %s", na, nb, times_text(rounds),
                                 spread_text(st));
}

static int plant_stack(gen_t *g, gen_structure_t *st)
{
    int m = iffnet_i_gen_members_few(g, 6, MAXM), n[3] = { 2, 2, 2 };
    for (int r = 6; r < m; r++)
        n[gsl_rng_uniform_int(g->rng, 3)]++;
    int32_t L[3][MAXM];
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < n[l]; i++)
            TAKE(L[l][i], GEN_WANT_ANY, l == 2 && P(0.4) ? iffnet_i_gen_transit_country(g) : GEN_AT_HOME);
    iffnet_i_gen_draw_schedule(g, st, n[0], 0.3, 0);
    iffnet_i_gen_draw_amounts(g, st, GEN_AMT_ALL);
    int64_t dwell = draw_dwell(g), t0 = iffnet_i_gen_start(g, &st->span);
    double base = iffnet_i_gen_magnitude(g) / (n[0] * n[1]), got[MAXM] = { 0 };
    int64_t last[MAXM] = { 0 };
    int k = 0;
    for (int i = 0; i < n[0]; i++) {
        int64_t t = iffnet_i_gen_event(g, st, t0, i);
        for (int j = 0; j < n[1]; j++)
            if (j == i % n[1] || P(0.7)) {
                double a = iffnet_i_gen_share(g, st, k++, base);
                int64_t tj = iffnet_i_gen_daytime(g, t + iffnet_i_gen_jitter(g, 6 * HOUR));
                got[j] += a;
                last[j] = tj > last[j] ? tj : last[j];
                TX(g, st, L[0][i], L[1][j], tj, a, 0, GEN_CH_ACH, -1, VAGUE());
            }
    }
    /* The middle layer passes on what it received, split over some of the
     * last layer: in even parts, or (independent amounts) in parts of any size. */
    for (int j = 0; j < n[1]; j++) {
        if (got[j] <= 0)
            continue;
        int parts = 1 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)n[2]);
        int indep = st->amounts == GEN_AMT_INDEPENDENT;
        double w[MAXM], wsum = 0, keep = indep ? U(0.85, 0.99) : U(st->keep_lo, st->keep_hi);
        for (int p = 0; p < parts; p++)
            wsum += w[p] = indep ? exp(U(0, log(50.0))) : U(0.8, 1.2);
        int64_t t = iffnet_i_gen_daytime(g, last[j] + HOUR + (int64_t)(U(0.1, 1.0) * (double)dwell));
        for (int p = 0; p < parts; p++)
            TX(g, st, L[1][j], L[2][(j + p) % n[2]], t + p * 600, got[j] * keep * w[p] / wsum, 0,
                GEN_CH_ACH, -1, "");
    }
    return iffnet_i_gen_describe(st, "three layers of %d, %d and %d accounts pass money on", n[0], n[1], n[2]);
}

static int plant_mule(gen_t *g, gen_structure_t *st)
{
    int32_t mule, ben, srcs[MAXM];
    int k = iffnet_i_gen_members_few(g, 4, MAXM) - 2, rounds = int_in(g, 1, 8);
    TAKE(mule, GEN_WANT_PERSON, GEN_AT_HOME);
    TAKE(ben, GEN_WANT_ANY, P(0.5) ? iffnet_i_gen_transit_country(g) : iffnet_i_gen_dest_country(g));
    for (int i = 0; i < k; i++)
        TAKE(srcs[i], GEN_WANT_PERSON, HOME_OR_ANY(0.7));
    iffnet_i_gen_draw_schedule(g, st, rounds, 0.5, 0);
    int64_t t0 = iffnet_i_gen_start(g, &st->span);
    /* Every payer pays at least once; each round's receipts leave within days. */
    int total = k > 2 * rounds ? k : 2 * rounds, p = 0;
    for (int r = 0; r < rounds; r++) {
        int in = total / rounds + (r < total % rounds);
        double sum = 0;
        int64_t t = iffnet_i_gen_event(g, st, t0, r), last = t;
        for (int i = 0; i < in; i++, p++) {
            double a = U(800, 4800);
            int64_t ti = iffnet_i_gen_when(g, t, 2 * DAY);
            last = ti > last ? ti : last;
            sum += a;
            TX(g, st, srcs[p % k], mule, ti, a, 0, GEN_CH_ACH, -1, VAGUE());
        }
        TX(g, st, mule, ben, iffnet_i_gen_daytime(g, last + HOUR * (3 + iffnet_i_gen_jitter(g, 70))),
            sum * U(0.9, 0.97), 0, GEN_CH_WIRE, -1, P(0.5) ? "family support" : "");
    }
    return iffnet_i_gen_describe(st, "a person's account receives from %d payers and wires almost all of it "
                                 "abroad within days, %d round%s %s", k, rounds, rounds > 1 ? "s" : "",
                                 spread_text(st));
}

/* ---- red flags ------------------------------------------------------------------ */

static int plant_structuring(gen_t *g, gen_structure_t *st)
{
    int m = iffnet_i_gen_members(g, 2, 7) - 1, n = int_in(g, 8, 40);
    int32_t acc[6], sink;
    uint32_t key = (uint32_t)++g->n_shell_groups;
    for (int i = 0; i < m; i++) {
        TAKE(acc[i], GEN_WANT_PERSON, i == 0 ? GEN_AT_HOME : iffnet_i_gen_account_country(g, acc[0]));
        /* One household: the depositors share an address. */
        g->holders[g->accounts[acc[i]].holder].addr_key = key;
        g->holders[g->accounts[acc[i]].holder].country = (uint8_t)iffnet_i_gen_account_country(g, acc[i]);
    }
    TAKE(sink, GEN_WANT_ANY, P(0.5) ? GEN_AT_HOME : iffnet_i_gen_transit_country(g));
    iffnet_i_gen_draw_schedule(g, st, n, 0.3, 0);
    int64_t t0 = iffnet_i_gen_start(g, &st->span), last = t0;
    double got[6] = { 0 };
    /* Just under the reporting line (in the case currency), in whole
     * hundredths of it or with cents. */
    double line = iffnet_i_gen_threshold(g), per = iffnet_i_gen_currencies[g->case_cur].per_eur;
    for (int i = 0; i < n; i++) {
        int j = (int)gsl_rng_uniform_int(g->rng, (unsigned long)m);
        double a = P(0.5) ? line / 100.0 * (80 + (int)gsl_rng_uniform_int(g->rng, 20)) : line * U(0.8, 0.999);
        a /= per; /* the generator thinks in euros */
        got[j] += a;
        int64_t t = iffnet_i_gen_event(g, st, t0, i);
        t = t - t % DAY + 9 * HOUR + iffnet_i_gen_jitter(g, 8 * HOUR); /* branch opening hours */
        last = t > last ? t : last;
        TX(g, st, -1, acc[j], t, a, 0, GEN_CH_CASH_DEP, g->case_cur, "");
    }
    for (int j = 0; j < m; j++)
        if (got[j] > 0)
            TX(g, st, acc[j], sink, iffnet_i_gen_when(g, last + DAY, 6 * DAY), got[j] * U(0.9, 1.0), 0,
                GEN_CH_WIRE, -1, VAGUE());
    char thr[32];
    iffnet_amount_format(thr, sizeof thr, (iffnet_money_t)line, 0, ',');
    return iffnet_i_gen_describe(st, "%d cash deposits just under the %s %s reporting line into %d account%s of "
                                 "one household %s, then moved on to one account", n, thr,
                                 iffnet_i_gen_currencies[g->case_cur].code, m, m > 1 ? "s" : "", spread_text(st));
}

static int plant_shell_network(gen_t *g, gen_structure_t *st)
{
    int k = iffnet_i_gen_members_few(g, 4, 13) - 1;
    int32_t acc[12], dir_acc, out;
    TAKE(dir_acc, GEN_WANT_PERSON, GEN_AT_HOME);
    int32_t director = g->accounts[dir_acc].holder;
    uint32_t key = (uint32_t)++g->n_shell_groups;
    int share = (int)gsl_rng_uniform_int(g->rng, 3); /* 0: director+address, 1: director+phone, 2: all */
    static const uint8_t shell_sectors[] = { GEN_S_CONSULTING, GEN_S_IMPORT_EXPORT, GEN_S_HOLDING,
                                             GEN_S_WHOLESALE, GEN_S_LOGISTICS };
    for (int i = 0; i < k; i++) {
        /* Registered in one country, where they share an address or phone. */
        TAKE(acc[i], GEN_WANT_COMPANY, i == 0 ? GEN_AT_HOME : iffnet_i_gen_account_country(g, acc[0]));
        gen_holder_t *h = &g->holders[g->accounts[acc[i]].holder];
        h->flags |= GEN_HF_SHELL;
        h->sector = shell_sectors[gsl_rng_uniform_int(g->rng, sizeof shell_sectors)];
        h->reg_year = (int16_t)(2022 + (int)gsl_rng_uniform_int(g->rng, 2));
        h->director = director;
        h->owner = director;
        if (share != 1)
            h->addr_key = key;
        if (share != 0)
            h->phone_key = key;
        h->country = (uint8_t)iffnet_i_gen_account_country(g, acc[i]);
    }
    TAKE(out, GEN_WANT_ANY, iffnet_i_gen_dest_country(g));
    static const char *const refs[] = { "consulting services", "management fee", "market research",
                                        "commission", "service agreement" };
    int n = k + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(2 * k));
    iffnet_i_gen_draw_schedule(g, st, n, 0.3, 2 * DAY);
    int64_t t0 = iffnet_i_gen_start(g, &st->span), last = t0;
    double mag = iffnet_i_gen_magnitude(g);
    for (int i = 0; i < n; i++) {
        /* Every company takes part: the first k payments go round the group. */
        int a = i < k ? i : (int)gsl_rng_uniform_int(g->rng, (unsigned long)k);
        int b = i < k ? (i + 1) % k : (a + 1 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(k - 1))) % k;
        int64_t t = iffnet_i_gen_event(g, st, t0, i);
        last = t > last ? t : last;
        TX(g, st, acc[a], acc[b], t, mag / k * U(0.5, 1.5), 1000, GEN_CH_WIRE, -1,
            iffnet_i_gen_pick_ref(g, refs, NELEM(refs)));
    }
    TX(g, st, acc[k - 1], out, iffnet_i_gen_when(g, last + DAY, 3 * DAY), mag * U(0.5, 0.9), 1000,
        GEN_CH_WIRE, -1, "consulting services");
    return iffnet_i_gen_describe(st, "%d recently registered companies with a shared %s invoice each other and pay "
                                 "abroad", k, share == 0 ? "director and address" : share == 1 ? "director and phone"
                                 : "director, address and phone");
}

static int plant_corridor(gen_t *g, gen_structure_t *st)
{
    int32_t src, dst, tr[3] = { -1, -1, -1 };
    int ntr = iffnet_i_gen_members(g, 3, 5) - 2;
    TAKE(src, GEN_WANT_COMPANY, iffnet_i_gen_region_country(g, GEN_SOURCE));
    for (int i = 0; i < ntr; i++)
        TAKE(tr[i], GEN_WANT_COMPANY, iffnet_i_gen_transit_country(g));
    TAKE(dst, GEN_WANT_ANY, iffnet_i_gen_dest_country(g));
    int rounds = int_in(g, 1, 8);
    iffnet_i_gen_draw_schedule(g, st, rounds, 0.5, 0);
    int64_t t0 = iffnet_i_gen_start(g, &st->span);
    /* Each leg keeps one currency: US dollars or the payer's own. */
    int32_t legs[4] = { src, tr[0], tr[1], tr[2] };
    int cur[4];
    for (int i = 0; i <= ntr; i++)
        cur[i] = P(0.6) ? g->usd : iffnet_i_gen_account_currency(g, legs[i]);
    for (int r = 0; r < rounds; r++) {
        double a = iffnet_i_gen_magnitude(g);
        int64_t ti = iffnet_i_gen_event(g, st, t0, r);
        for (int i = 0; i <= ntr; i++) {
            int32_t to = i < ntr ? legs[i + 1] : dst;
            TX(g, st, legs[i], to, ti, a, 0, GEN_CH_WIRE, cur[i], r == 0 && i == 0 ? "goods" : "");
            a *= U(0.95, 0.99);
            ti = iffnet_i_gen_daytime(g, ti + DAY + iffnet_i_gen_jitter(g, 4 * DAY));
        }
    }
    return iffnet_i_gen_describe(st, "money moves %s from a source country through %d transit account%s to a "
                                 "destination country", times_text(rounds), ntr, ntr > 1 ? "s" : "");
}

static int plant_wildlife_trade(gen_t *g, gen_structure_t *st)
{
    int m = iffnet_i_gen_members(g, 2, 7);
    int nb = 1 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(m > 3 ? 3 : m - 1));
    int ns = m - nb, n = int_in(g, 2, 20);
    if (ns > 4)
        nb += ns - 4, ns = 4;
    int32_t buy[3], sell[4];
    static const uint8_t seller_sectors[] = { GEN_S_WILDLIFE_EXPORT, GEN_S_FREIGHT, GEN_S_LOGISTICS,
                                              GEN_S_BREEDER, GEN_S_AGRICULTURE };
    if (n < nb * ns)
        n = nb * ns;
    for (int i = 0; i < nb; i++)
        TAKE(buy[i], GEN_WANT_ANY, P(0.6) ? GEN_AT_HOME : iffnet_i_gen_dest_country(g));
    for (int i = 0; i < ns; i++) {
        TAKE(sell[i], GEN_WANT_COMPANY, iffnet_i_gen_region_country(g, P(0.7) ? GEN_SOURCE : GEN_TRANSIT));
        gen_holder_t *h = &g->holders[g->accounts[sell[i]].holder];
        h->sector = seller_sectors[gsl_rng_uniform_int(g->rng, sizeof seller_sectors)];
        if (h->n_accounts == 1)
            h->country = (uint8_t)iffnet_i_gen_account_country(g, sell[i]);
    }
    iffnet_i_gen_draw_schedule(g, st, n, 0.35, 0);
    int64_t t0 = iffnet_i_gen_start(g, &st->span);
    for (int i = 0; i < n; i++) {
        /* Every buyer pays every seller once before any pays again. */
        int b = i % nb, s = i < nb * ns ? i / nb : (int)gsl_rng_uniform_int(g->rng, (unsigned long)ns);
        double a = iffnet_i_gen_magnitude(g) * 0.5;
        TX(g, st, buy[b], sell[s], iffnet_i_gen_event(g, st, t0, i), a, a > 5000 ? 1000 : 500,
            GEN_CH_WIRE, -1, P(0.8) ? iffnet_i_gen_pick_ref(g, wildlife_refs, NELEM(wildlife_refs)) : "");
    }
    return iffnet_i_gen_describe(st, "%d buyer%s pay%s %d wildlife-associated supplier%s round amounts %s %s, "
                                 "often with covert wildlife words", nb, nb > 1 ? "s" : "", nb > 1 ? "" : "s", ns,
                                 ns > 1 ? "s" : "", times_text(n), spread_text(st));
}

static int plant_pep_payment(gen_t *g, gen_structure_t *st)
{
    int32_t pep, payer[4];
    TAKE(pep, GEN_WANT_PERSON, GEN_AT_HOME);
    gen_holder_t *h = &g->holders[g->accounts[pep].holder];
    h->flags |= GEN_HF_PEP;
    h->country = (uint8_t)iffnet_i_gen_account_country(g, pep);
    int np = iffnet_i_gen_members(g, 2, 5) - 1, n = int_in(g, 2, 12);
    static const uint8_t payer_sectors[] = { GEN_S_FREIGHT, GEN_S_CUSTOMS, GEN_S_IMPORT_EXPORT,
                                             GEN_S_WILDLIFE_EXPORT, GEN_S_CONSULTING };
    if (n < np)
        n = np;
    for (int i = 0; i < np; i++) {
        TAKE(payer[i], GEN_WANT_COMPANY, P(0.6) ? GEN_AT_HOME : iffnet_i_gen_region_country(g, GEN_SOURCE));
        g->holders[g->accounts[payer[i]].holder].sector =
            payer_sectors[gsl_rng_uniform_int(g->rng, sizeof payer_sectors)];
    }
    static const char *const refs[] = { "consulting fee", "advisory services", "", "gift", "speaker fee",
                                        "loan" };
    iffnet_i_gen_draw_schedule(g, st, n, 0.5, 7 * DAY);
    int64_t t0 = iffnet_i_gen_start(g, &st->span);
    for (int i = 0; i < n; i++)
        TX(g, st, payer[i % np], pep, iffnet_i_gen_event(g, st, t0, i), U(1500, 25000),
            P(0.7) ? 500 : 0, GEN_CH_ACH, -1, iffnet_i_gen_pick_ref(g, refs, NELEM(refs)));
    return iffnet_i_gen_describe(st, "%d compan%s with trade interests pay%s a politically exposed official %s %s",
                                 np, np > 1 ? "ies" : "y", np > 1 ? "" : "s", times_text(n), spread_text(st));
}

static int plant_cash_to_wire(gen_t *g, gen_structure_t *st)
{
    int32_t acc, out;
    TAKE(acc, GEN_WANT_ANY, GEN_AT_HOME);
    TAKE(out, GEN_WANT_ANY, P(0.5) ? iffnet_i_gen_transit_country(g) : iffnet_i_gen_dest_country(g));
    int rounds = int_in(g, 1, 6);
    iffnet_i_gen_draw_schedule(g, st, rounds, 0.5, 0);
    int64_t t0 = iffnet_i_gen_start(g, &st->span);
    for (int r = 0; r < rounds; r++) {
        int n = 2 + (int)gsl_rng_uniform_int(g->rng, 6);
        double sum = 0;
        int64_t t = iffnet_i_gen_event(g, st, t0, r), last = t;
        for (int i = 0; i < n; i++) {
            double a = U(2000, 15000);
            int64_t ti = t - t % DAY + iffnet_i_gen_jitter(g, 2) * DAY;
            ti += 9 * HOUR + iffnet_i_gen_jitter(g, 8 * HOUR);
            last = ti > last ? ti : last;
            sum += a;
            TX(g, st, -1, acc, ti, a, 10, GEN_CH_CASH_DEP, g->case_cur, "");
        }
        TX(g, st, acc, out, iffnet_i_gen_daytime(g, last + HOUR * (2 + iffnet_i_gen_jitter(g, 46))),
            sum * U(0.9, 0.98), 0, GEN_CH_WIRE, -1, VAGUE());
    }
    return iffnet_i_gen_describe(st, "cash deposits followed within two days by an international wire, %s %s",
                                 times_text(rounds), spread_text(st));
}

typedef int (*builder_t)(gen_t *g, gen_structure_t *st);

static builder_t builder_of(int t)
{
    switch (t) {
    case IFFNET_TYP_FAN_IN: return plant_fan_in;
    case IFFNET_TYP_FAN_OUT: return plant_fan_out;
    case IFFNET_TYP_CYCLE: return plant_cycle;
    case IFFNET_TYP_SCATTER_GATHER: return plant_scatter_gather;
    case IFFNET_TYP_GATHER_SCATTER: return plant_gather_scatter;
    case IFFNET_TYP_BIPARTITE: return plant_bipartite;
    case IFFNET_TYP_STACK: return plant_stack;
    case IFFNET_TYP_LAYERING: return plant_layering;
    case IFFNET_TYP_MULE: return plant_mule;
    case IFFNET_TYP_STRUCTURING: return plant_structuring;
    case IFFNET_TYP_SHELL_NETWORK: return plant_shell_network;
    case IFFNET_TYP_CORRIDOR: return plant_corridor;
    case IFFNET_TYP_WILDLIFE_TRADE: return plant_wildlife_trade;
    case IFFNET_TYP_PEP_PAYMENT: return plant_pep_payment;
    case IFFNET_TYP_CASH_TO_WIRE: return plant_cash_to_wire;
    default: return NULL;
    }
}

/* Default number of structures: one of each requested kind, then more as the
 * population grows (about 22 of each for a million accounts). */
static int64_t default_count(const gen_t *g, int nsel)
{
    double k = (double)nsel * sqrt((double)g->n_accounts / 2000.0);
    return k < nsel ? nsel : (int64_t)k;
}

int iffnet_i_gen_plant(gen_t *g)
{
    int sel[IFFNET_TYP_COUNT], nsel = 0;
    for (int t = 0; t < IFFNET_TYP_COUNT; t++)
        if ((g->o->typologies & (1u << t)) && builder_of(t))
            sel[nsel++] = t;
    if (nsel == 0)
        return IFFNET_OK;
    /* An explicit --structures is a promise: not fitting is an error. The
     * default plants what fits in the accounts and in a quarter of the
     * transactions. */
    int strict = g->o->n_structures != 0;
    int64_t n = strict ? g->o->n_structures : default_count(g, nsel);
    for (int64_t i = 0; i < n; i++) {
        gen_structure_t *st = iffnet_i_gen_st_begin(g, sel[i % nsel], NULL);
        if (!st)
            return IFFNET_ENOMEM;
        int err = builder_of(st->typology)(g, st);
        if (!strict && (err == IFFNET_ELIMIT || (!err && g->n_ptx > g->o->n_transactions / 4))) {
            iffnet_i_gen_st_drop_last(g);
            break;
        }
        if (err)
            return err;
        if (st->n_tx == 0)
            return iffnet_i_seterr(IFFNET_EINTERNAL, "planted structure without transactions");
    }
    if (g->n_st == 0)
        return iffnet_i_seterr(IFFNET_ELIMIT, "too few accounts or transactions to plant any structure "
                               "(raise --accounts or --transactions)");
    g->n_planted = g->n_st;
    iffnet_errmsg_clear();
    return IFFNET_OK;
}
