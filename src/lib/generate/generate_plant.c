/* generate_plant.c: the planted laundering structures (the needles) of a
 * generated case, one builder per typology of alert.h. Each builder takes
 * unused accounts of the population, may move them abroad or change what their
 * holders look like (a shell company, a PEP), and adds time-ordered
 * transactions to g->ptx. Sizes, amounts and time spans vary per structure. */
#include <math.h>
#include "generate_internal.h"
#include "iffnet/alert.h"

#define DAY 86400
#define HOUR 3600

/* ---- structure bookkeeping --------------------------------------------------- */

static gen_structure_t *st_begin(gen_t *g, int typology)
{
    if (iffnet_i_reserve((void **)&g->st, &g->cap_st, g->n_st + 1, sizeof *g->st))
        return NULL;
    gen_structure_t *st = &g->st[g->n_st++];
    memset(st, 0, sizeof *st);
    st->typology = typology;
    st->first_tx = g->n_ptx;
    st->usd_wires = gsl_rng_uniform(g->rng) < 0.5;
    return st;
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

static int is_home(const gen_t *g, int c)
{
    for (int h = 0; h < g->n_home; h++)
        if (g->home[h] == c)
            return 1;
    return 0;
}

/* Adds one transaction of about `eur` euros' worth. cur < 0
 * picks the payer's currency (or US dollars for cross-border wires of half of
 * the structures). `ref` is copied; NULL or "" leaves the reference empty. */
static int st_tx(gen_t *g, gen_structure_t *st, int32_t s, int32_t d, int64_t t, double eur,
                 double round_to, int channel, int cur, const char *ref)
{
    int64_t i = g->n_ptx;
    if (i == g->cap_ptx) {
        int64_t cap = g->cap_ptx, cap2 = g->cap_ptx, cap3 = g->cap_ptx;
        IFFNET_TRY(iffnet_i_reserve((void **)&g->ptx, &cap, i + 1, sizeof *g->ptx));
        IFFNET_TRY(iffnet_i_reserve((void **)&g->ptx_ref, &cap2, i + 1, sizeof *g->ptx_ref));
        IFFNET_TRY(iffnet_i_reserve((void **)&g->ptx_id, &cap3, i + 1, sizeof *g->ptx_id));
        g->cap_ptx = cap < cap2 ? (cap < cap3 ? cap : cap3) : (cap2 < cap3 ? cap2 : cap3);
    }
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
    x->time = t;
    x->src = s;
    x->dst = d;
    x->planted = (int32_t)i;
    x->currency = (uint8_t)cur;
    x->channel = (uint8_t)channel;
    x->amount = iffnet_i_gen_amount(g, cur, eur < 0.01 ? 0.01 : eur, round_to);
    g->ptx_ref[i] = NULL;
    g->ptx_id[i] = 0;
    if (ref && *ref && !(g->ptx_ref[i] = iffnet_i_strdup(ref)))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    g->n_ptx++;
    st->n_tx++;
    if (s >= 0)
        IFFNET_TRY(st_add_account(st, s));
    if (d >= 0)
        IFFNET_TRY(st_add_account(st, d));
    return IFFNET_OK;
}

static int st_describe(gen_structure_t *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int st_describe(gen_structure_t *st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(st->description);
    st->description = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    return st->description ? IFFNET_OK : iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
}

/* ---- choosing accounts and times ------------------------------------------- */

enum { WANT_PERSON, WANT_COMPANY, WANT_ANY };
enum { AT_HOME = -1, AT_ANY = -2 };

static int usable(const gen_t *g, int32_t a, int want)
{
    const gen_account_t *ac = &g->accounts[a];
    const gen_holder_t *h = &g->holders[ac->holder];
    /* One role per holder: three "companies" must not be one company's three
     * accounts. */
    if ((ac->flags & GEN_AF_USED) || (h->flags & (GEN_HF_USED | GEN_HF_KEEP)))
        return 0;
    if (want != WANT_ANY && h->kind != (want == WANT_COMPANY ? GEN_COMPANY : GEN_PERSON))
        return 0;
    /* Leave the background's one-of-a-kind roles alone. */
    if (h->kind == GEN_COMPANY && (h->sector == GEN_S_PUBLIC || h->sector == GEN_S_HOLDING ||
                                   h->sector == GEN_S_CRYPTO || h->sector == GEN_S_UTILITIES))
        return 0;
    return 1;
}

/* Takes an unused account of a person or company and, if `country` >= 0,
 * moves it there (AT_HOME: keeps or moves it to a home country). Returns -1
 * (with a message) when the population has none left. */
static int32_t find_usable(gen_t *g, int want)
{
    int64_t n = g->n_accounts;
    for (int i = 0; i < 64; i++) {
        int32_t c = (int32_t)gsl_rng_uniform_int(g->rng, (unsigned long)n);
        if (usable(g, c, want))
            return c;
    }
    int64_t s = (int64_t)gsl_rng_uniform_int(g->rng, (unsigned long)n);
    for (int64_t i = 0; i < n; i++)
        if (usable(g, (int32_t)((s + i) % n), want))
            return (int32_t)((s + i) % n);
    return -1;
}

static int32_t take(gen_t *g, int want, int country)
{
    int32_t a = find_usable(g, want);
    if (a < 0 && want == WANT_COMPANY && (a = find_usable(g, WANT_PERSON)) >= 0) {
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
    g->accounts[a].flags |= GEN_AF_USED;
    g->holders[g->accounts[a].holder].flags |= GEN_HF_USED;
    int now = iffnet_i_gen_account_country(g, a);
    if (country == AT_HOME && !is_home(g, now))
        iffnet_i_gen_move_account(g, a, g->home[gsl_rng_uniform_int(g->rng, (unsigned long)g->n_home)]);
    else if (country >= 0 && now != country)
        iffnet_i_gen_move_account(g, a, country);
    return a;
}

static int country_of_region(gen_t *g, int region)
{
    int cand[32], n = 0;
    for (int i = 0; i < iffnet_i_gen_n_countries; i++)
        if (iffnet_i_gen_countries[i].region == region && !is_home(g, i))
            cand[n++] = i;
    return n ? cand[gsl_rng_uniform_int(g->rng, (unsigned long)n)] : g->home[0];
}

static int country_code(gen_t *g, const char *const *codes, int n)
{
    int c = iffnet_i_gen_country_index(codes[gsl_rng_uniform_int(g->rng, (unsigned long)n)]);
    return c < 0 ? g->home[0] : c;
}

static int dest_country(gen_t *g)
{
    static const char *const d[] = { "CN", "VN", "HK" };
    return country_code(g, d, 3);
}

static int transit_country(gen_t *g)
{
    static const char *const t[] = { "MY", "SG", "HK", "TH", "AE", "VN", "LA" };
    return country_code(g, t, 7);
}

/* A size in [lo, hi], skewed to small, with the upper end growing with the
 * population so that tiny cases stay drawable. */
static int size_in(gen_t *g, int lo, int hi)
{
    int64_t cap = lo + g->n_accounts / 300;
    if (hi > cap)
        hi = (int)cap;
    double u = gsl_rng_uniform(g->rng);
    return lo + (int)floor((double)(hi - lo + 1) * pow(u, 1.6));
}

static double unif(gen_t *g, double lo, double hi)
{
    return lo + (hi - lo) * gsl_rng_uniform(g->rng);
}

/* Overall amount of a structure in the case currency: from a few thousand to
 * a few million, heavy-tailed. */
static double magnitude(gen_t *g)
{
    return fmin(15000.0 * exp(gsl_ran_gaussian_ziggurat(g->rng, 0.9)), 3e6);
}

/* A start time for a structure spanning *span seconds, inside the period;
 * shortens *span to three quarters of the period when it is longer. */
static int64_t start_time(gen_t *g, int64_t *span)
{
    int64_t period = g->o->days * DAY;
    if (*span > period * 3 / 4)
        *span = period * 3 / 4;
    int64_t room = period - *span - DAY;
    int64_t off = room > 0 ? (int64_t)(gsl_rng_uniform(g->rng) * (double)room) : 0;
    /* business hours of that day */
    off = off / DAY * DAY + 8 * HOUR + (int64_t)gsl_rng_uniform_int(g->rng, 9 * HOUR);
    return g->o->start + off;
}

/* Keeps a time inside the period (structures near the end get squeezed). */
static int64_t clamp_t(const gen_t *g, int64_t t)
{
    int64_t end = g->o->start + g->o->days * DAY - 1;
    return t > end ? end : t;
}

static int64_t jitter(gen_t *g, int64_t max)
{
    return max > 0 ? (int64_t)gsl_rng_uniform_int(g->rng, (unsigned long)max) : 0;
}

/* A time on one of the days [t, t + span], during business hours (08:00 to
 * 19:00, most around midday): planted payments should not stand out by being
 * made at night. */
static int64_t when(gen_t *g, int64_t t, int64_t span)
{
    int64_t day = t - t % DAY + jitter(g, span / DAY + 1) * DAY;
    double h = 13.0 + gsl_ran_gaussian_ziggurat(g->rng, 2.5);
    if (h < 8)
        h = 8 + (8 - h);
    if (h > 19)
        h = 19 - (h - 19);
    if (h < 8)
        h = 12;
    return day + (int64_t)(h * HOUR) + jitter(g, 60);
}

/* Moves a time at night (21:00 to 07:00) forward to the next morning, so that
 * forwarded money leaves in office hours; never moves a time backwards, so
 * chains stay in order. */
static int64_t daytime(gen_t *g, int64_t t)
{
    int64_t h = t % DAY;
    if (h < 7 * HOUR)
        return t - h + 8 * HOUR + jitter(g, 2 * HOUR);
    if (h >= 21 * HOUR)
        return t - h + DAY + 8 * HOUR + jitter(g, 2 * HOUR);
    return t;
}

static const char *pick_ref(gen_t *g, const char *const *refs, int n)
{
    return refs[gsl_rng_uniform_int(g->rng, (unsigned long)n)];
}

static const char *const vague_refs[] = { "", "payment", "invoice", "services", "loan", "transfer",
                                          "consulting", "goods", "advance", "" };
#define VAGUE() pick_ref(g, vague_refs, 10)

/* Covert words of the wildlife trade seen in payment references (Themis, TRAFFIC,
 * FATF 2020): code words for ivory, rhino horn, pangolin scales, totoaba maw. */
static const char *const wildlife_refs[] = {
    "white gold carvings", "raw white stock", "horn samples", "RH powder", "scales 20kg",
    "fish maw shipment", "dried scales", "bones and skins", "curios ivory-look", "pangolin tea",
    "exotic birds live", "reptile skins", "tortoise shells", "medicine raw materials horn",
    "teeth and claws", "shark fin"
};

/* "once", "twice", "3 times"; "1 day", "3 days" (static buffers: one use
 * per message). */
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

static const char *days_text(int64_t span)
{
    static char buf[32];
    int64_t d = (span + DAY - 1) / DAY;
    if (d <= 1)
        return "a day";
    snprintf(buf, sizeof buf, "%lld days", (long long)d);
    return buf;
}

/* ---- builders ------------------------------------------------------------- */

#define TAKE(var, want, where) do { if (((var) = take(g, (want), (where))) < 0) return IFFNET_ELIMIT; } while (0)

static int plant_fan_in(gen_t *g, gen_structure_t *st)
{
    int k = size_in(g, 5, 40);
    int32_t to, from;
    TAKE(to, WANT_ANY, AT_HOME);
    double total = magnitude(g);
    int64_t span = (1 + (int64_t)gsl_rng_uniform_int(g->rng, 10)) * DAY;
    int64_t t0 = start_time(g, &span);
    for (int i = 0; i < k; i++) {
        TAKE(from, WANT_PERSON, gsl_rng_uniform(g->rng) < 0.8 ? AT_HOME : AT_ANY);
        IFFNET_TRY(st_tx(g, st, from, to, clamp_t(g, when(g, t0, span)), total / k * unif(g, 0.6, 1.4),
                         0, GEN_CH_ACH, -1, VAGUE()));
    }
    return st_describe(st, "%d accounts pay one collector within %s", k, days_text(span));
}

static int plant_fan_out(gen_t *g, gen_structure_t *st)
{
    int k = size_in(g, 5, 40);
    int32_t from, to;
    TAKE(from, WANT_ANY, AT_HOME);
    double total = magnitude(g);
    int64_t span = (1 + (int64_t)gsl_rng_uniform_int(g->rng, 7)) * DAY;
    int64_t t0 = start_time(g, &span);
    for (int i = 0; i < k; i++) {
        TAKE(to, WANT_ANY, gsl_rng_uniform(g->rng) < 0.75 ? AT_HOME : AT_ANY);
        IFFNET_TRY(st_tx(g, st, from, to, clamp_t(g, when(g, t0, span)), total / k * unif(g, 0.7, 1.3),
                         0, GEN_CH_ACH, -1, VAGUE()));
    }
    return st_describe(st, "one account pays %d receivers within %s", k, days_text(span));
}

/* A chain a0 -> a1 -> ... -> a(n-1) [-> a0 when closed], each hop after a
 * dwell of up to max_dwell, passing on a share in [keep_lo, keep_hi]. */
static int chain(gen_t *g, gen_structure_t *st, const int32_t *acc, int n, int closed, double amount,
                 int64_t t, int64_t max_dwell, double keep_lo, double keep_hi, int channel)
{
    int hops = closed ? n : n - 1;
    for (int i = 0; i < hops; i++) {
        IFFNET_TRY(st_tx(g, st, acc[i], acc[(i + 1) % n], clamp_t(g, t), amount, 0, channel, -1,
                         i == 0 ? VAGUE() : ""));
        amount *= unif(g, keep_lo, keep_hi);
        t = daytime(g, t + HOUR + jitter(g, max_dwell));
    }
    return IFFNET_OK;
}

static int plant_cycle(gen_t *g, gen_structure_t *st)
{
    int k = size_in(g, 3, 8);
    int32_t acc[8];
    for (int i = 0; i < k; i++)
        TAKE(acc[i], WANT_ANY, gsl_rng_uniform(g->rng) < 0.3 ? transit_country(g) : AT_HOME);
    int64_t dwell = (1 + (int64_t)gsl_rng_uniform_int(g->rng, 5)) * DAY;
    int64_t span = (dwell + HOUR) * k; /* the longest the chain can take */
    IFFNET_TRY(chain(g, st, acc, k, 1, magnitude(g), start_time(g, &span), dwell, 0.96, 0.995,
                     GEN_CH_WIRE));
    return st_describe(st, "money returns to its origin through %d accounts", k);
}

static int plant_layering(gen_t *g, gen_structure_t *st)
{
    int hops = size_in(g, 3, 9);
    int32_t acc[10];
    for (int i = 0; i <= hops; i++) {
        double u = gsl_rng_uniform(g->rng);
        TAKE(acc[i], WANT_ANY, u < 0.25 ? transit_country(g) : u < 0.35 ? country_of_region(g, GEN_OTHER) : AT_HOME);
    }
    int64_t dwell = HOUR * (2 + (int64_t)gsl_rng_uniform_int(g->rng, 70));
    int64_t span = (dwell + HOUR) * hops;
    IFFNET_TRY(chain(g, st, acc, hops + 1, 0, magnitude(g), start_time(g, &span), dwell, 0.95, 0.99,
                     GEN_CH_WIRE));
    return st_describe(st, "funds forwarded along %d hops with a small decay at each", hops);
}

static int plant_scatter_gather(gen_t *g, gen_structure_t *st)
{
    int k = size_in(g, 3, 15);
    int32_t src, sink, mid;
    TAKE(src, WANT_ANY, AT_HOME);
    TAKE(sink, WANT_ANY, gsl_rng_uniform(g->rng) < 0.5 ? AT_HOME : transit_country(g));
    double total = magnitude(g);
    int64_t span = 8 * DAY, t0 = start_time(g, &span);
    for (int i = 0; i < k; i++) {
        TAKE(mid, WANT_PERSON, AT_HOME);
        double a = total / k * unif(g, 0.8, 1.2);
        int64_t t = when(g, t0, 2 * DAY);
        IFFNET_TRY(st_tx(g, st, src, mid, clamp_t(g, t), a, 0, GEN_CH_ACH, -1, VAGUE()));
        IFFNET_TRY(st_tx(g, st, mid, sink, clamp_t(g, daytime(g, t + HOUR * (6 + jitter(g, 90)))), a * unif(g, 0.95, 0.99),
                         0, GEN_CH_ACH, -1, ""));
    }
    return st_describe(st, "one source splits funds over %d intermediaries that pay one sink", k);
}

static int plant_gather_scatter(gen_t *g, gen_structure_t *st)
{
    int k1 = size_in(g, 3, 12), k2 = size_in(g, 3, 12);
    int32_t hub, a;
    TAKE(hub, WANT_ANY, AT_HOME);
    double total = magnitude(g);
    int64_t span = 10 * DAY, t0 = start_time(g, &span), gathered = t0;
    for (int i = 0; i < k1; i++) {
        TAKE(a, WANT_ANY, gsl_rng_uniform(g->rng) < 0.8 ? AT_HOME : AT_ANY);
        int64_t t = when(g, t0, 3 * DAY);
        gathered = t > gathered ? t : gathered;
        IFFNET_TRY(st_tx(g, st, a, hub, clamp_t(g, t), total / k1 * unif(g, 0.7, 1.3), 0, GEN_CH_ACH, -1, VAGUE()));
    }
    for (int i = 0; i < k2; i++) {
        TAKE(a, WANT_ANY, gsl_rng_uniform(g->rng) < 0.6 ? AT_HOME : AT_ANY);
        IFFNET_TRY(st_tx(g, st, hub, a, clamp_t(g, gathered + HOUR + jitter(g, 4 * DAY) / DAY * DAY),
                         total * 0.97 / k2 * unif(g, 0.7, 1.3), 0, GEN_CH_ACH, -1, VAGUE()));
    }
    return st_describe(st, "%d senders pay a hub that pays %d receivers", k1, k2);
}

static int plant_bipartite(gen_t *g, gen_structure_t *st)
{
    int na = size_in(g, 3, 8), nb = size_in(g, 3, 8);
    int32_t A[8], B[8];
    for (int i = 0; i < na; i++)
        TAKE(A[i], WANT_ANY, AT_HOME);
    for (int j = 0; j < nb; j++)
        TAKE(B[j], WANT_ANY, gsl_rng_uniform(g->rng) < 0.7 ? AT_HOME : AT_ANY);
    double unit = magnitude(g) / (na * nb);
    int64_t span = (3 + (int64_t)gsl_rng_uniform_int(g->rng, 20)) * DAY, t0 = start_time(g, &span);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (j == i % nb || gsl_rng_uniform(g->rng) < 0.6)
                IFFNET_TRY(st_tx(g, st, A[i], B[j], clamp_t(g, when(g, t0, span)), unit * unif(g, 0.5, 1.5),
                                 0, GEN_CH_ACH, -1, VAGUE()));
    return st_describe(st, "%d payers pay %d payees, many to many", na, nb);
}

static int plant_stack(gen_t *g, gen_structure_t *st)
{
    int n[3] = { size_in(g, 3, 6), size_in(g, 3, 6), size_in(g, 3, 6) };
    int32_t L[3][6];
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < n[l]; i++)
            TAKE(L[l][i], WANT_ANY, l == 2 && gsl_rng_uniform(g->rng) < 0.4 ? transit_country(g) : AT_HOME);
    double unit = magnitude(g) / (n[0] * n[1]);
    int64_t span = 12 * DAY, t0 = start_time(g, &span);
    double got[6] = { 0 };
    int64_t last[6] = { 0 };
    for (int i = 0; i < n[0]; i++)
        for (int j = 0; j < n[1]; j++)
            if (j == i % n[1] || gsl_rng_uniform(g->rng) < 0.7) {
                double a = unit * unif(g, 0.6, 1.4);
                int64_t t = when(g, t0, 3 * DAY);
                got[j] += a;
                last[j] = t > last[j] ? t : last[j];
                IFFNET_TRY(st_tx(g, st, L[0][i], L[1][j], clamp_t(g, t), a, 0, GEN_CH_ACH, -1, VAGUE()));
            }
    for (int j = 0; j < n[1]; j++) {
        if (got[j] <= 0)
            continue;
        int parts = 1 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)n[2]);
        for (int p = 0; p < parts; p++) {
            int k = (j + p) % n[2];
            IFFNET_TRY(st_tx(g, st, L[1][j], L[2][k], clamp_t(g, daytime(g, last[j] + HOUR * (4 + jitter(g, 60)))),
                             got[j] * unif(g, 0.95, 0.99) / parts, 0, GEN_CH_ACH, -1, ""));
        }
    }
    return st_describe(st, "three layers of %d, %d and %d accounts pass money on", n[0], n[1], n[2]);
}

static int plant_mule(gen_t *g, gen_structure_t *st)
{
    int32_t mule, ben, src;
    TAKE(mule, WANT_PERSON, AT_HOME);
    TAKE(ben, WANT_ANY, gsl_rng_uniform(g->rng) < 0.5 ? transit_country(g) : dest_country(g));
    int rounds = size_in(g, 1, 4), k = size_in(g, 3, 10);
    int32_t srcs[10];
    for (int i = 0; i < k; i++)
        TAKE(srcs[i], WANT_PERSON, gsl_rng_uniform(g->rng) < 0.7 ? AT_HOME : AT_ANY);
    int64_t span = rounds * 18 * DAY, t = start_time(g, &span);
    for (int r = 0; r < rounds; r++) {
        int in = 2 + (int)gsl_rng_uniform_int(g->rng, 3);
        double sum = 0;
        int64_t last = t;
        for (int i = 0; i < in; i++) {
            src = srcs[gsl_rng_uniform_int(g->rng, (unsigned long)k)];
            double a = unif(g, 800, 4800);
            int64_t ti = when(g, t, 2 * DAY);
            last = ti > last ? ti : last;
            sum += a;
            IFFNET_TRY(st_tx(g, st, src, mule, clamp_t(g, ti), a, 0, GEN_CH_ACH, -1, VAGUE()));
        }
        IFFNET_TRY(st_tx(g, st, mule, ben, clamp_t(g, daytime(g, last + HOUR * (3 + jitter(g, 40)))), sum * unif(g, 0.9, 0.97),
                         0, GEN_CH_WIRE, -1, gsl_rng_uniform(g->rng) < 0.5 ? "family support" : ""));
        t = last + (4 + jitter(g, 10)) * DAY;
    }
    return st_describe(st, "a person's account receives from up to %d payers and wires almost all of it "
                       "abroad within days, %s", k, times_text(rounds));
}

static int plant_structuring(gen_t *g, gen_structure_t *st)
{
    int m = size_in(g, 2, 6), n = size_in(g, 8, 40);
    int32_t acc[6], sink;
    uint32_t key = (uint32_t)++g->n_shell_groups;
    for (int i = 0; i < m; i++) {
        TAKE(acc[i], WANT_PERSON, i == 0 ? AT_HOME : iffnet_i_gen_account_country(g, acc[0]));
        /* One household: the depositors share an address. */
        g->holders[g->accounts[acc[i]].holder].addr_key = key;
        g->holders[g->accounts[acc[i]].holder].country = (uint8_t)iffnet_i_gen_account_country(g, acc[i]);
    }
    TAKE(sink, WANT_ANY, gsl_rng_uniform(g->rng) < 0.5 ? AT_HOME : transit_country(g));
    int64_t span = (7 + (int64_t)gsl_rng_uniform_int(g->rng, 28)) * DAY, t0 = start_time(g, &span);
    double got[6] = { 0 };
    /* Just under the reporting line (in the case currency), in whole
     * hundredths of it or with cents. */
    double line = iffnet_i_gen_threshold(g), per = iffnet_i_gen_currencies[g->case_cur].per_eur;
    for (int i = 0; i < n; i++) {
        int j = (int)gsl_rng_uniform_int(g->rng, (unsigned long)m);
        double a = gsl_rng_uniform(g->rng) < 0.5 ? line / 100.0 * (80 + (int)gsl_rng_uniform_int(g->rng, 20))
                                                  : line * unif(g, 0.8, 0.999);
        a /= per; /* st_tx thinks in euros */
        got[j] += a;
        int64_t t = t0 - t0 % DAY + jitter(g, span / DAY + 1) * DAY + 9 * HOUR + jitter(g, 8 * HOUR);
        IFFNET_TRY(st_tx(g, st, -1, acc[j], clamp_t(g, t), a, 0, GEN_CH_CASH_DEP, g->case_cur, ""));
    }
    for (int j = 0; j < m; j++)
        if (got[j] > 0)
            IFFNET_TRY(st_tx(g, st, acc[j], sink, clamp_t(g, when(g, t0 + span + DAY, 6 * DAY)), got[j] * unif(g, 0.9, 1.0),
                             0, GEN_CH_WIRE, -1, VAGUE()));
    char thr[32];
    iffnet_amount_format(thr, sizeof thr, (iffnet_money_t)line, 0, ',');
    return st_describe(st, "%d cash deposits just under the %s %s reporting line into %d accounts of one "
                       "household, then moved on to one account", n, thr, iffnet_i_gen_currencies[g->case_cur].code, m);
}

static int plant_shell_network(gen_t *g, gen_structure_t *st)
{
    int k = size_in(g, 3, 6);
    int32_t acc[6], dir_acc, out;
    TAKE(dir_acc, WANT_PERSON, AT_HOME);
    int32_t director = g->accounts[dir_acc].holder;
    uint32_t key = (uint32_t)++g->n_shell_groups;
    int share = (int)gsl_rng_uniform_int(g->rng, 3); /* 0: director+address, 1: director+phone, 2: all */
    static const uint8_t shell_sectors[] = { GEN_S_CONSULTING, GEN_S_IMPORT_EXPORT, GEN_S_HOLDING,
                                             GEN_S_WHOLESALE, GEN_S_LOGISTICS };
    for (int i = 0; i < k; i++) {
        /* Registered in one country, where they share an address or phone. */
        TAKE(acc[i], WANT_COMPANY, i == 0 ? AT_HOME : iffnet_i_gen_account_country(g, acc[0]));
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
    TAKE(out, WANT_ANY, dest_country(g));
    static const char *const refs[] = { "consulting services", "management fee", "market research",
                                        "commission", "service agreement" };
    int n = k + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(2 * k));
    int64_t span = (20 + (int64_t)gsl_rng_uniform_int(g->rng, 90)) * DAY, t0 = start_time(g, &span);
    double mag = magnitude(g);
    for (int i = 0; i < n; i++) {
        int a = (int)gsl_rng_uniform_int(g->rng, (unsigned long)k);
        int b = (a + 1 + (int)gsl_rng_uniform_int(g->rng, (unsigned long)(k - 1))) % k;
        IFFNET_TRY(st_tx(g, st, acc[a], acc[b], clamp_t(g, when(g, t0, span)), mag / k * unif(g, 0.5, 1.5),
                         1000, GEN_CH_WIRE, -1, pick_ref(g, refs, 5)));
    }
    IFFNET_TRY(st_tx(g, st, acc[k - 1], out, clamp_t(g, t0 + span), mag * unif(g, 0.5, 0.9), 1000,
                     GEN_CH_WIRE, -1, "consulting services"));
    return st_describe(st, "%d recently registered companies with a shared %s invoice each other and pay "
                       "abroad", k, share == 0 ? "director and address" : share == 1 ? "director and phone"
                       : "director, address and phone");
}

static int plant_corridor(gen_t *g, gen_structure_t *st)
{
    int32_t src, dst, tr[2];
    int ntr = 1 + (gsl_rng_uniform(g->rng) < 0.4);
    TAKE(src, WANT_COMPANY, country_of_region(g, GEN_SOURCE));
    for (int i = 0; i < ntr; i++)
        TAKE(tr[i], WANT_COMPANY, transit_country(g));
    TAKE(dst, WANT_ANY, dest_country(g));
    int rounds = size_in(g, 2, 6);
    int64_t span = rounds * 25 * DAY, t = start_time(g, &span);
    /* Each leg keeps one currency: US dollars or the payer's own. */
    int32_t legs[3] = { src, tr[0], tr[1] };
    int cur[3];
    for (int i = 0; i <= ntr; i++)
        cur[i] = gsl_rng_uniform(g->rng) < 0.6 ? g->usd : iffnet_i_gen_account_currency(g, legs[i]);
    for (int r = 0; r < rounds; r++) {
        double a = magnitude(g);
        int64_t ti = when(g, t, 0);
        for (int i = 0; i <= ntr; i++) {
            int32_t to = i < ntr ? tr[i] : dst;
            IFFNET_TRY(st_tx(g, st, legs[i], to, clamp_t(g, ti), a, 0, GEN_CH_WIRE, cur[i],
                             r == 0 && i == 0 ? "goods" : ""));
            a *= unif(g, 0.95, 0.99);
            ti = daytime(g, ti + DAY + jitter(g, 4 * DAY));
        }
        t += (5 + jitter(g, 10)) * DAY;
    }
    return st_describe(st, "money moves %s from a source country through %d transit account%s to a "
                       "destination country", times_text(rounds), ntr, ntr > 1 ? "s" : "");
}

static int plant_wildlife_trade(gen_t *g, gen_structure_t *st)
{
    int nb = size_in(g, 1, 3), ns = size_in(g, 1, 3), n = size_in(g, 2, 10);
    int32_t buy[3], sell[3];
    static const uint8_t seller_sectors[] = { GEN_S_WILDLIFE_EXPORT, GEN_S_FREIGHT, GEN_S_LOGISTICS,
                                              GEN_S_BREEDER, GEN_S_AGRICULTURE };
    for (int i = 0; i < nb; i++)
        TAKE(buy[i], WANT_ANY, gsl_rng_uniform(g->rng) < 0.6 ? AT_HOME : dest_country(g));
    for (int i = 0; i < ns; i++) {
        TAKE(sell[i], WANT_COMPANY, country_of_region(g, gsl_rng_uniform(g->rng) < 0.7 ? GEN_SOURCE : GEN_TRANSIT));
        gen_holder_t *h = &g->holders[g->accounts[sell[i]].holder];
        h->sector = seller_sectors[gsl_rng_uniform_int(g->rng, sizeof seller_sectors)];
        if (h->n_accounts == 1)
            h->country = (uint8_t)iffnet_i_gen_account_country(g, sell[i]);
    }
    int64_t span = (10 + (int64_t)gsl_rng_uniform_int(g->rng, 120)) * DAY, t0 = start_time(g, &span);
    for (int i = 0; i < n; i++) {
        int b = i % nb, s = (int)gsl_rng_uniform_int(g->rng, (unsigned long)ns);
        double a = magnitude(g) * 0.5;
        IFFNET_TRY(st_tx(g, st, buy[b], sell[s], clamp_t(g, when(g, t0, span)), a, a > 5000 ? 1000 : 500,
                         GEN_CH_WIRE, -1, gsl_rng_uniform(g->rng) < 0.8 ? pick_ref(g, wildlife_refs, 16) : ""));
    }
    return st_describe(st, "%d buyer%s pay%s %d wildlife-associated supplier%s round amounts %s, often "
                       "with covert wildlife words", nb, nb > 1 ? "s" : "", nb > 1 ? "" : "s", ns,
                       ns > 1 ? "s" : "", times_text(n));
}

static int plant_pep_payment(gen_t *g, gen_structure_t *st)
{
    int32_t pep, payer[3];
    TAKE(pep, WANT_PERSON, AT_HOME);
    gen_holder_t *h = &g->holders[g->accounts[pep].holder];
    h->flags |= GEN_HF_PEP;
    h->country = (uint8_t)iffnet_i_gen_account_country(g, pep);
    int np = size_in(g, 1, 3), n = size_in(g, 2, 8);
    static const uint8_t payer_sectors[] = { GEN_S_FREIGHT, GEN_S_CUSTOMS, GEN_S_IMPORT_EXPORT,
                                             GEN_S_WILDLIFE_EXPORT, GEN_S_CONSULTING };
    for (int i = 0; i < np; i++) {
        TAKE(payer[i], WANT_COMPANY, gsl_rng_uniform(g->rng) < 0.6 ? AT_HOME : country_of_region(g, GEN_SOURCE));
        g->holders[g->accounts[payer[i]].holder].sector = payer_sectors[gsl_rng_uniform_int(g->rng, sizeof payer_sectors)];
    }
    static const char *const refs[] = { "consulting fee", "advisory services", "", "gift", "speaker fee",
                                        "loan" };
    int64_t span = (30 + (int64_t)gsl_rng_uniform_int(g->rng, 150)) * DAY, t0 = start_time(g, &span);
    for (int i = 0; i < n; i++)
        IFFNET_TRY(st_tx(g, st, payer[i % np], pep, clamp_t(g, when(g, t0, span)), unif(g, 1500, 25000),
                         gsl_rng_uniform(g->rng) < 0.7 ? 500 : 0, GEN_CH_ACH, -1, pick_ref(g, refs, 6)));
    return st_describe(st, "%d compan%s with trade interests pay%s a politically exposed official %s",
                       np, np > 1 ? "ies" : "y", np > 1 ? "" : "s", times_text(n));
}

static int plant_cash_to_wire(gen_t *g, gen_structure_t *st)
{
    int32_t acc, out;
    TAKE(acc, WANT_ANY, AT_HOME);
    TAKE(out, WANT_ANY, gsl_rng_uniform(g->rng) < 0.5 ? transit_country(g) : dest_country(g));
    int rounds = size_in(g, 1, 4);
    int64_t span = rounds * 20 * DAY, t = start_time(g, &span);
    for (int r = 0; r < rounds; r++) {
        int n = 2 + (int)gsl_rng_uniform_int(g->rng, 6);
        double sum = 0;
        int64_t last = t;
        for (int i = 0; i < n; i++) {
            double a = unif(g, 2000, 15000);
            int64_t ti = t + jitter(g, 2 * DAY) / DAY * DAY + jitter(g, 6 * HOUR);
            last = ti > last ? ti : last;
            sum += a;
            IFFNET_TRY(st_tx(g, st, -1, acc, clamp_t(g, ti), a, 10, GEN_CH_CASH_DEP, g->case_cur, ""));
        }
        IFFNET_TRY(st_tx(g, st, acc, out, clamp_t(g, daytime(g, last + HOUR * (2 + jitter(g, 48)))), sum * unif(g, 0.9, 0.98),
                         0, GEN_CH_WIRE, -1, VAGUE()));
        t = last + (5 + jitter(g, 10)) * DAY;
    }
    return st_describe(st, "cash deposits followed within two days by an international wire, %s",
                       times_text(rounds));
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

/* Drops the last structure (planting it ran out of accounts or budget). Its
 * accounts stay marked as used, which only keeps them out of later structures. */
static void drop_last(gen_t *g)
{
    gen_structure_t *st = &g->st[g->n_st - 1];
    for (int64_t i = st->first_tx; i < g->n_ptx; i++)
        free(g->ptx_ref[i]);
    g->n_ptx = st->first_tx;
    free(st->accounts);
    free(st->description);
    g->n_st--;
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
        gen_structure_t *st = st_begin(g, sel[i % nsel]);
        if (!st)
            return IFFNET_ENOMEM;
        int err = builder_of(st->typology)(g, st);
        if (!strict && (err == IFFNET_ELIMIT || (!err && g->n_ptx > g->o->n_transactions / 4))) {
            drop_last(g);
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
    iffnet_errmsg_clear();
    return IFFNET_OK;
}

void iffnet_i_gen_plant_free(gen_t *g)
{
    for (int64_t i = 0; i < g->n_st; i++) {
        free(g->st[i].accounts);
        free(g->st[i].description);
    }
    free(g->st);
    for (int64_t i = 0; i < g->n_ptx; i++)
        free(g->ptx_ref[i]);
    free(g->ptx);
    free(g->ptx_ref);
    free(g->ptx_id);
    g->st = NULL;
    g->ptx = NULL;
    g->ptx_ref = NULL;
    g->ptx_id = NULL;
    g->n_st = g->n_ptx = 0;
}
