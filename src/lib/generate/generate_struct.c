/* generate_struct.c: what planted structures and benign look-alikes share:
 * their bookkeeping, taking accounts for them, and drawing their sizes, spans,
 * schedules and amounts from the ranges of iffnet-generate(1).
 *
 * Why wide ranges: a detector tuned on one generator's settings learns them
 * (a 30-day window, a 10x amount ratio, at most 10 hops) and misses what other
 * data does. Each structure therefore draws its own members (3 to 40, as in
 * AMLSim's and AMLworld's documented typology sizes and the FATF/Egmont case
 * studies of networks of a few to a few dozen accounts), a span from a day to
 * a quarter of the case (from a same-day burst to schemes run over months),
 * a schedule (a burst, or periodic with gaps of a day to four weeks: weekly or
 * monthly rhythms of payroll-like abuse), and an amount rule (carried on,
 * decaying, or drawn per payment over a 50x range, as generators that draw each
 * hop's amount independently do). */
#include <math.h>
#include "generate_internal.h"
#include "iffnet/alert.h"

#define DAY 86400
#define HOUR 3600

const char *const iffnet_i_gen_sched_names[GEN_SCHED_COUNT] = { "burst", "periodic", "chain" };

/* ---- bookkeeping ------------------------------------------------------------ */

gen_structure_t *iffnet_i_gen_st_begin(gen_t *g, int typology, const char *kind)
{
    if (iffnet_i_reserve((void **)&g->st, &g->cap_st, g->n_st + 1, sizeof *g->st))
        return NULL;
    gen_structure_t *st = &g->st[g->n_st++];
    memset(st, 0, sizeof *st);
    st->typology = typology;
    st->kind = kind;
    st->first_tx = g->n_ptx;
    st->usd_wires = gsl_rng_uniform(g->rng) < 0.5;
    st->schedule = GEN_SCHED_BURST;
    st->amounts = GEN_AMT_RULE;
    return st;
}

void iffnet_i_gen_st_drop_last(gen_t *g)
{
    gen_structure_t *st = &g->st[g->n_st - 1];
    /* Its accounts stay taken, which only keeps them out of later structures. */
    g->n_ptx = st->first_tx;
    free(st->accounts);
    free(st->description);
    g->n_st--;
}

int iffnet_i_gen_describe(gen_structure_t *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(st->description);
    st->description = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    return st->description ? IFFNET_OK : iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
}

static int st_add_account(gen_structure_t *st, int32_t a)
{
    for (int64_t i = 0; i < st->n_accounts; i++)
        if (st->accounts[i] == a)
            return IFFNET_OK;
    IFFNET_TRY(iffnet_i_reserve((void **)&st->accounts, &st->cap_accounts, st->n_accounts + 1,
                                sizeof *st->accounts));
    st->accounts[st->n_accounts++] = a;
    return IFFNET_OK;
}

static int ptx_reserve(gen_t *g)
{
    int64_t i = g->n_ptx;
    if (i < g->cap_ptx)
        return IFFNET_OK;
    int64_t cap = g->cap_ptx, cap2 = g->cap_ptx, cap3 = g->cap_ptx;
    IFFNET_TRY(iffnet_i_reserve((void **)&g->ptx, &cap, i + 1, sizeof *g->ptx));
    IFFNET_TRY(iffnet_i_reserve((void **)&g->ptx_ref, &cap2, i + 1, sizeof *g->ptx_ref));
    IFFNET_TRY(iffnet_i_reserve((void **)&g->ptx_id, &cap3, i + 1, sizeof *g->ptx_id));
    g->cap_ptx = cap < cap2 ? (cap < cap3 ? cap : cap3) : (cap2 < cap3 ? cap2 : cap3);
    return IFFNET_OK;
}

static int add_tx(gen_t *g, gen_structure_t *st, int32_t s, int32_t d, int64_t t, double eur,
                  double round_to, int channel, int cur, const char *ref, int ref_kind, uint32_t ref_arg)
{
    /* A look-alike's routine simply ends with the period; a planted
     * structure is squeezed into it, so that it stays whole. */
    if (st->kind && (t < g->o->start || t >= g->o->start + g->o->days * DAY))
        return IFFNET_OK;
    IFFNET_TRY(ptx_reserve(g));
    int64_t i = g->n_ptx;
    int cross = s >= 0 && d >= 0 && iffnet_i_gen_account_country(g, s) != iffnet_i_gen_account_country(g, d);
    if (cur < 0) {
        cur = iffnet_i_gen_account_currency(g, s >= 0 ? s : d);
        if (cross && channel == GEN_CH_WIRE && st->usd_wires)
            cur = g->usd;
    }
    if (channel == GEN_CH_ACH && cross)
        channel = GEN_CH_WIRE;
    gen_tx_t *x = &g->ptx[i];
    memset(x, 0, sizeof *x);
    x->time = iffnet_i_gen_clamp(g, t);
    x->src = s;
    x->dst = d;
    x->planted = (int32_t)i;
    x->currency = (uint8_t)cur;
    x->channel = (uint8_t)channel;
    x->amount = iffnet_i_gen_amount(g, cur, eur < 0.01 ? 0.01 : eur, round_to);
    x->ref_kind = (uint16_t)ref_kind;
    x->ref_arg = ref_arg;
    g->ptx_ref[i] = ref && *ref ? ref : NULL;
    g->ptx_id[i] = 0;
    g->n_ptx++;
    st->n_tx++;
    if (s >= 0)
        IFFNET_TRY(st_add_account(st, s));
    if (d >= 0)
        IFFNET_TRY(st_add_account(st, d));
    return IFFNET_OK;
}

int iffnet_i_gen_tx(gen_t *g, gen_structure_t *st, int32_t s, int32_t d, int64_t t, double eur,
                    double round_to, int channel, int cur, const char *ref)
{
    return add_tx(g, st, s, d, t, eur, round_to, channel, cur, ref, R_NONE, 0);
}

int iffnet_i_gen_tx_tmpl(gen_t *g, gen_structure_t *st, int32_t s, int32_t d, int64_t t, double eur,
                         double round_to, int channel, int ref_kind, uint32_t ref_arg)
{
    return add_tx(g, st, s, d, t, eur, round_to, channel, -1, NULL, ref_kind, ref_arg);
}

/* ---- accounts --------------------------------------------------------------- */

int iffnet_i_gen_is_home(const gen_t *g, int c)
{
    for (int h = 0; h < g->n_home; h++)
        if (g->home[h] == c)
            return 1;
    return 0;
}

static int kind_ok(const gen_holder_t *h, int want)
{
    return want == GEN_WANT_ANY || h->kind == (want == GEN_WANT_COMPANY ? GEN_COMPANY : GEN_PERSON);
}

static int usable(const gen_t *g, int32_t a, int want, int spokes)
{
    const gen_account_t *ac = &g->accounts[a];
    const gen_holder_t *h = &g->holders[ac->holder];
    /* One role per holder: three "companies" must not be one company's three
     * accounts. */
    if ((ac->flags & (GEN_AF_USED | GEN_AF_PLANTED)) || (h->flags & (GEN_HF_USED | GEN_HF_KEEP)))
        return 0;
    if (!spokes && (ac->flags & GEN_AF_SPOKE))
        return 0;
    if (!kind_ok(h, want))
        return 0;
    /* Leave the background's one-of-a-kind roles alone. */
    if (h->kind == GEN_COMPANY && (h->sector == GEN_S_PUBLIC || h->sector == GEN_S_HOLDING ||
                                   h->sector == GEN_S_CRYPTO || h->sector == GEN_S_UTILITIES))
        return 0;
    return 1;
}

/* An account no structure took, preferring one that no look-alike uses as a
 * counterparty (in small populations, an employee should not become a
 * company). */
static int32_t find_usable(gen_t *g, int want)
{
    int64_t n = g->n_accounts;
    for (int i = 0; i < 64; i++) {
        int32_t c = (int32_t)gsl_rng_uniform_int(g->rng, (unsigned long)n);
        if (usable(g, c, want, 0))
            return c;
    }
    int64_t s = (int64_t)gsl_rng_uniform_int(g->rng, (unsigned long)n);
    for (int spokes = 0; spokes < 2; spokes++)
        for (int64_t i = 0; i < n; i++)
            if (usable(g, (int32_t)((s + i) % n), want, spokes))
                return (int32_t)((s + i) % n);
    return -1;
}

int32_t iffnet_i_gen_take(gen_t *g, const gen_structure_t *st, int want, int country)
{
    int32_t a = find_usable(g, want);
    if (a < 0 && want == GEN_WANT_COMPANY && (a = find_usable(g, GEN_WANT_PERSON)) >= 0) {
        /* Small populations run out of companies: a person's account becomes
         * a newly registered company's (a common front in real cases too). */
        gen_holder_t *h = &g->holders[g->accounts[a].holder];
        h->kind = GEN_COMPANY;
        h->sector = GEN_S_CONSULTING;
        h->flags &= (uint8_t)~GEN_HF_PEP;
        h->reg_year = (int16_t)(2020 + (int)gsl_rng_uniform_int(g->rng, 4));
    }
    if (a < 0) {
        iffnet_i_seterr(IFFNET_ELIMIT, "too few accounts for the planted structures "
                        "(raise --accounts or lower --structures)");
        return -1;
    }
    g->accounts[a].flags |= GEN_AF_USED | (st->kind ? 0 : GEN_AF_PLANTED);
    g->holders[g->accounts[a].holder].flags |= GEN_HF_USED;
    int now = iffnet_i_gen_account_country(g, a);
    if (country == GEN_AT_HOME && !iffnet_i_gen_is_home(g, now))
        iffnet_i_gen_move_account(g, a, g->home[gsl_rng_uniform_int(g->rng, (unsigned long)g->n_home)]);
    else if (country >= 0 && now != country)
        iffnet_i_gen_move_account(g, a, country);
    return a;
}

int32_t iffnet_i_gen_pick(gen_t *g, int want, int home_only)
{
    /* Random probes: counterparties are plentiful, and a failed search only
     * makes the look-alike smaller. */
    for (int i = 0; i < 64; i++) {
        int32_t a = (int32_t)gsl_rng_uniform_int(g->rng, (unsigned long)g->n_accounts);
        const gen_holder_t *h = holder_of(g, a);
        if ((g->accounts[a].flags & (GEN_AF_USED | GEN_AF_PLANTED)) || (h->flags & GEN_HF_USED) || !kind_ok(h, want))
            continue;
        if (home_only && !iffnet_i_gen_is_home(g, iffnet_i_gen_account_country(g, a)))
            continue;
        g->accounts[a].flags |= GEN_AF_SPOKE;
        return a;
    }
    return -1;
}

int iffnet_i_gen_region_country(gen_t *g, int region)
{
    int cand[32], n = 0;
    for (int i = 0; i < iffnet_i_gen_n_countries; i++)
        if (iffnet_i_gen_countries[i].region == region && !iffnet_i_gen_is_home(g, i))
            cand[n++] = i;
    return n ? cand[gsl_rng_uniform_int(g->rng, (unsigned long)n)] : g->home[0];
}

static int country_code(gen_t *g, const char *const *codes, int n)
{
    int c = iffnet_i_gen_country_index(codes[gsl_rng_uniform_int(g->rng, (unsigned long)n)]);
    return c < 0 ? g->home[0] : c;
}

int iffnet_i_gen_dest_country(gen_t *g)
{
    static const char *const d[] = { "CN", "VN", "HK" };
    return country_code(g, d, 3);
}

int iffnet_i_gen_transit_country(gen_t *g)
{
    static const char *const t[] = { "MY", "SG", "HK", "TH", "AE", "VN", "LA" };
    return country_code(g, t, 7);
}

/* ---- draws ------------------------------------------------------------------- */

double iffnet_i_gen_unif(gen_t *g, double lo, double hi)
{
    return lo + (hi - lo) * gsl_rng_uniform(g->rng);
}

/* u in [0, 1), moved to the upper part of the range in the hard profile. */
static double hard_u(gen_t *g)
{
    double u = gsl_rng_uniform(g->rng);
    return g->profile->hard ? 0.4 + 0.6 * u : u;
}

double iffnet_i_gen_loguni(gen_t *g, double lo, double hi)
{
    if (hi <= lo)
        return lo;
    return lo * exp(gsl_rng_uniform(g->rng) * log(hi / lo));
}

static int members(gen_t *g, int lo, int hi, double u)
{
    int64_t cap = lo + g->n_accounts / 40; /* small populations: smaller structures */
    int64_t max = g->o->max_members > 0 ? g->o->max_members : 40;
    if (hi > cap)
        hi = (int)cap;
    if (hi > max)
        hi = (int)max;
    if (hi <= lo)
        return lo;
    int k = (int)floor(lo * exp(u * log((hi + 1.0) / lo)));
    return k < lo ? lo : k > hi ? hi : k;
}

int iffnet_i_gen_members(gen_t *g, int lo, int hi)
{
    return members(g, lo, hi, hard_u(g));
}

int iffnet_i_gen_members_few(gen_t *g, int lo, int hi)
{
    double u = gsl_rng_uniform(g->rng);
    return members(g, lo, hi, g->profile->hard ? 0.6 * u : u);
}

double iffnet_i_gen_magnitude(gen_t *g)
{
    return fmin(15000.0 * exp(gsl_ran_gaussian_ziggurat(g->rng, 0.9)), 3e6);
}

int64_t iffnet_i_gen_max_span(const gen_t *g)
{
    int64_t period = g->o->days * DAY;
    int64_t s = g->o->max_span_days > 0 ? g->o->max_span_days * DAY : period / 4;
    if (s > period)
        s = period;
    return s < DAY ? DAY : s;
}

/* A span of lo to hi seconds, log-uniform (as many same-day bursts as
 * schemes run over months). */
static int64_t draw_span(gen_t *g, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return (int64_t)((double)lo * exp(hard_u(g) * log((double)hi / (double)lo)));
}

void iffnet_i_gen_draw_schedule(gen_t *g, gen_structure_t *st, int n_events, double p_periodic, int64_t min_span)
{
    int64_t max = iffnet_i_gen_max_span(g);
    if (min_span < DAY / 2) /* a same-day burst */
        min_span = DAY / 2;
    if (min_span > max)
        min_span = max;
    if (g->profile->hard)
        p_periodic = fmin(1.0, p_periodic * 1.7);
    if (n_events >= 2 && gsl_rng_uniform(g->rng) < p_periodic) {
        /* Whole days from daily to monthly; the hard profile from weekly. */
        int64_t gap = (int64_t)floor(iffnet_i_gen_loguni(g, g->profile->hard ? 7 : 1, 29)) * DAY;
        if (gap * (n_events - 1) > max)
            gap = max / (n_events - 1);
        if (gap < HOUR)
            gap = HOUR;
        st->schedule = GEN_SCHED_PERIODIC;
        st->gap = gap;
        st->span = gap * (n_events - 1);
        return;
    }
    st->schedule = GEN_SCHED_BURST;
    st->gap = 0;
    st->span = draw_span(g, min_span, max);
}

void iffnet_i_gen_draw_chain(gen_t *g, gen_structure_t *st, int hops)
{
    int64_t max = iffnet_i_gen_max_span(g), lo = hops * 2 * HOUR;
    if (lo < DAY / 2)
        lo = DAY / 2;
    if (lo > max)
        lo = max;
    st->schedule = GEN_SCHED_CHAIN;
    st->gap = 0;
    st->span = draw_span(g, lo, max);
}

void iffnet_i_gen_draw_amounts(gen_t *g, gen_structure_t *st, unsigned allowed)
{
    int want = (int)g->o->amounts;
    int m;
    if (want != IFFNET_GEN_AMOUNTS_MIXED && (allowed & (1u << want)))
        m = want;
    else if (g->profile->hard && (allowed & (1u << GEN_AMT_INDEPENDENT)) && gsl_rng_uniform(g->rng) < 0.6)
        m = GEN_AMT_INDEPENDENT;
    else {
        int cand[3], n = 0;
        for (int k = GEN_AMT_CARRIED; k <= GEN_AMT_INDEPENDENT; k++)
            if (allowed & (1u << k))
                cand[n++] = k;
        m = n ? cand[gsl_rng_uniform_int(g->rng, (unsigned long)n)] : GEN_AMT_CARRIED;
    }
    st->amounts = m;
    if (m == GEN_AMT_DECAYING)
        st->keep_lo = 0.75, st->keep_hi = 0.95;
    else
        st->keep_lo = 0.95, st->keep_hi = 0.999;
    st->trend = iffnet_i_gen_unif(g, 0.85, 0.97);
}

/* Around base over a 50x range: any two draws differ by at most 50x. */
static double independent(gen_t *g, double base)
{
    return base * exp((gsl_rng_uniform(g->rng) - 0.5) * log(50.0));
}

double iffnet_i_gen_pass_on(gen_t *g, const gen_structure_t *st, double prev, double base)
{
    if (st->amounts == GEN_AMT_INDEPENDENT)
        return independent(g, base);
    return prev * iffnet_i_gen_unif(g, st->keep_lo, st->keep_hi);
}

double iffnet_i_gen_share(gen_t *g, const gen_structure_t *st, int i, double base)
{
    switch (st->amounts) {
    case GEN_AMT_INDEPENDENT: return independent(g, base);
    case GEN_AMT_DECAYING: return base * pow(st->trend, i) * iffnet_i_gen_unif(g, 0.93, 1.07);
    default: return base * iffnet_i_gen_unif(g, 0.7, 1.3);
    }
}

/* ---- times ------------------------------------------------------------------- */

int64_t iffnet_i_gen_jitter(gen_t *g, int64_t max)
{
    return max > 0 ? (int64_t)gsl_rng_uniform_int(g->rng, (unsigned long)max) : 0;
}

int64_t iffnet_i_gen_start(gen_t *g, int64_t *span)
{
    int64_t period = g->o->days * DAY;
    if (*span > period * 3 / 4)
        *span = period * 3 / 4;
    /* Room for the hops that office hours push to the next morning. */
    int64_t room = period - *span - 2 * DAY;
    int64_t off = room > 0 ? (int64_t)(gsl_rng_uniform(g->rng) * (double)room) : 0;
    off = off / DAY * DAY + 8 * HOUR + iffnet_i_gen_jitter(g, 9 * HOUR);
    return g->o->start + off;
}

int64_t iffnet_i_gen_clamp(const gen_t *g, int64_t t)
{
    int64_t end = g->o->start + g->o->days * DAY - 1;
    return t > end ? end : t < g->o->start ? g->o->start : t;
}

/* Payments are made in business hours (08:00 to 19:00, most around midday):
 * planted payments should not stand out by being made at night. */
static int64_t office_hour(gen_t *g)
{
    double h = 13.0 + gsl_ran_gaussian_ziggurat(g->rng, 2.5);
    if (h < 8)
        h = 8 + (8 - h);
    if (h > 19)
        h = 19 - (h - 19);
    if (h < 8)
        h = 12;
    return (int64_t)(h * HOUR) + iffnet_i_gen_jitter(g, 60);
}

int64_t iffnet_i_gen_when(gen_t *g, int64_t t, int64_t span)
{
    int64_t day = t - t % DAY + iffnet_i_gen_jitter(g, span / DAY + 1) * DAY;
    return day + office_hour(g);
}

int64_t iffnet_i_gen_daytime(gen_t *g, int64_t t)
{
    int64_t h = t % DAY;
    if (h < 7 * HOUR)
        return t - h + 8 * HOUR + iffnet_i_gen_jitter(g, 2 * HOUR);
    if (h >= 21 * HOUR)
        return t - h + DAY + 8 * HOUR + iffnet_i_gen_jitter(g, 2 * HOUR);
    return t;
}

int64_t iffnet_i_gen_event(gen_t *g, const gen_structure_t *st, int64_t t0, int i)
{
    if (st->schedule != GEN_SCHED_PERIODIC)
        return iffnet_i_gen_when(g, t0, st->span);
    int64_t t = t0 + (int64_t)i * st->gap;
    if (st->gap >= DAY)
        return t - t % DAY + office_hour(g); /* the day's business hours */
    return iffnet_i_gen_daytime(g, t + iffnet_i_gen_jitter(g, st->gap / 4 + 1));
}

void iffnet_i_gen_chain_times(gen_t *g, const gen_structure_t *st, int64_t t0, int n, int64_t *out)
{
    /* Hops at sorted uniform offsets within the span: dwell times vary as
     * they do when each intermediary forwards at its own pace. */
    for (int i = 0; i < n; i++)
        out[i] = i == 0 ? 0 : (int64_t)(gsl_rng_uniform(g->rng) * (double)st->span);
    iffnet_i_sort(out, (size_t)n, sizeof *out, iffnet_i_cmp_i64);
    for (int i = 0; i < n; i++) {
        int64_t t = t0 + out[i];
        if (i > 0 && t < out[i - 1] + HOUR)
            t = out[i - 1] + HOUR + iffnet_i_gen_jitter(g, HOUR);
        out[i] = iffnet_i_gen_daytime(g, t);
    }
}

const char *iffnet_i_gen_pick_ref(gen_t *g, const char *const *refs, int n)
{
    return refs[gsl_rng_uniform_int(g->rng, (unsigned long)n)];
}

void iffnet_i_gen_st_free(gen_t *g)
{
    for (int64_t i = 0; i < g->n_st; i++) {
        free(g->st[i].accounts);
        free(g->st[i].description);
    }
    free(g->st);
    free(g->ptx);
    free(g->ptx_ref);
    free(g->ptx_id);
    g->st = NULL;
    g->ptx = NULL;
    g->ptx_ref = NULL;
    g->ptx_id = NULL;
    g->n_st = g->n_ptx = 0;
}
