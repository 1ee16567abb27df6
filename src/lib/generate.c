/* generate.c: the synthetic case generator: tables, the background population
 * and its legitimate flows, and the writers of the five output files.
 * Planted structures live in generate_plant.c. */
#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include "generate_internal.h"
#include "iffnet/alert.h"

const char *const iffnet_i_gen_sector_names[GEN_S_COUNT] = {
#define GEN_X(id, name) name,
    GEN_SECTORS(GEN_X)
#undef GEN_X
};

const char *const iffnet_i_gen_channel_names[GEN_CH_COUNT] = {
    "wire", "ach", "card", "cash_deposit", "cash_withdrawal", "cheque", "crypto"
};

/* Countries: home countries for the supported case currencies, then the source,
 * transit and destination countries of the illegal wildlife trade named by FATF
 * (2020) and Themis, then a few other trading partners. */
const gen_country_t iffnet_i_gen_countries[] = {
    {"DE", GEN_HOME, "EUR", {"Berlin", "Hamburg"}},
    {"FR", GEN_HOME, "EUR", {"Paris", "Lyon"}},
    {"NL", GEN_HOME, "EUR", {"Amsterdam", "Rotterdam"}},
    {"BE", GEN_HOME, "EUR", {"Brussels", "Antwerp"}},
    {"IT", GEN_HOME, "EUR", {"Milan", "Rome"}},
    {"ES", GEN_HOME, "EUR", {"Madrid", "Barcelona"}},
    {"GB", GEN_OTHER, "GBP", {"London", "Manchester"}},
    {"US", GEN_OTHER, "USD", {"New York", "Miami"}},
    {"CH", GEN_OTHER, "CHF", {"Zurich", "Geneva"}},
    {"NG", GEN_SOURCE, "NGN", {"Lagos", "Abuja"}},
    {"MZ", GEN_SOURCE, "MZN", {"Maputo", "Beira"}},
    {"CD", GEN_SOURCE, "CDF", {"Kinshasa", "Lubumbashi"}},
    {"CM", GEN_SOURCE, "XAF", {"Douala", "Yaounde"}},
    {"UG", GEN_SOURCE, "UGX", {"Kampala", "Entebbe"}},
    {"KE", GEN_SOURCE, "KES", {"Nairobi", "Mombasa"}},
    {"TZ", GEN_SOURCE, "TZS", {"Dar es Salaam", "Arusha"}},
    {"ZA", GEN_SOURCE, "ZAR", {"Johannesburg", "Durban"}},
    {"ZM", GEN_SOURCE, "ZMW", {"Lusaka", "Ndola"}},
    {"ZW", GEN_SOURCE, "USD", {"Harare", "Bulawayo"}},
    {"MY", GEN_TRANSIT, "MYR", {"Kuala Lumpur", "Penang"}},
    {"SG", GEN_TRANSIT, "SGD", {"Singapore", "Jurong"}},
    {"HK", GEN_TRANSIT, "HKD", {"Hong Kong", "Kowloon"}},
    {"TH", GEN_TRANSIT, "THB", {"Bangkok", "Chiang Mai"}},
    {"AE", GEN_TRANSIT, "AED", {"Dubai", "Abu Dhabi"}},
    {"LA", GEN_TRANSIT, "LAK", {"Vientiane", "Luang Prabang"}},
    {"VN", GEN_DEST, "VND", {"Hanoi", "Ho Chi Minh City"}},
    {"CN", GEN_DEST, "CNY", {"Guangzhou", "Shanghai"}},
    {"TR", GEN_OTHER, "TRY", {"Istanbul", "Izmir"}},
    {"IN", GEN_OTHER, "INR", {"Mumbai", "Delhi"}},
};
const int iffnet_i_gen_n_countries = (int)(sizeof iffnet_i_gen_countries / sizeof iffnet_i_gen_countries[0]);
/* wb_phone() keeps dialling codes in the same order. */
_Static_assert(sizeof iffnet_i_gen_countries / sizeof iffnet_i_gen_countries[0] == 29, "update the dialling codes");

/* Reference rates (units per EUR), rounded 2024 averages: they only make
 * amounts plausible and let the answer key add up mixed-currency structures. */
const gen_currency_t iffnet_i_gen_currencies[] = {
    {"EUR", 2, 1.0, {"DE", "FR", "NL", "BE", "IT", "ES"}},
    {"USD", 2, 1.08, {"US"}}, {"GBP", 2, 0.85, {"GB"}}, {"CHF", 2, 0.95, {"CH"}},
    {"NGN", 2, 1650.0, {"NG"}}, {"MZN", 2, 69.0, {"MZ"}}, {"CDF", 2, 3000.0, {"CD"}},
    {"XAF", 0, 655.957, {"CM"}}, {"UGX", 0, 4100.0, {"UG"}}, {"KES", 2, 140.0, {"KE"}},
    {"TZS", 2, 2750.0, {"TZ"}}, {"ZAR", 2, 20.0, {"ZA"}}, {"ZMW", 2, 28.0, {"ZM"}},
    {"MYR", 2, 5.0, {"MY"}}, {"SGD", 2, 1.45, {"SG"}}, {"HKD", 2, 8.4, {"HK"}},
    {"THB", 2, 38.0, {"TH"}}, {"AED", 2, 3.97, {"AE"}}, {"LAK", 0, 23000.0, {"LA"}},
    {"VND", 0, 27000.0, {"VN"}}, {"CNY", 2, 7.8, {"CN"}}, {"TRY", 2, 35.0, {"TR"}},
    {"INR", 2, 90.0, {"IN"}},
};
const int iffnet_i_gen_n_currencies = (int)(sizeof iffnet_i_gen_currencies / sizeof iffnet_i_gen_currencies[0]);

static const char *const first_names[] = {
    "Anna", "Lukas", "Marie", "Jonas", "Sofia", "Luca", "Emma", "Noah", "Julia", "Mateo",
    "Lea", "Hugo", "Chiara", "Pablo", "Eva", "Milan", "Ines", "Tom", "Sara", "Daan",
    "Chinedu", "Amina", "Tendai", "Wanjiru", "Joao", "Grace", "Wei", "Mei", "Minh", "Linh",
    "Arjun", "Priya", "Ahmed", "Fatima", "Somchai", "Nur", "Olivier", "Claire", "Marco", "Elena"
};
static const char *const last_names[] = {
    "Muller", "Schmidt", "Dubois", "Martin", "de Vries", "Jansen", "Peeters", "Rossi", "Bianchi",
    "Garcia", "Fernandez", "Lopez", "Moreau", "Fischer", "Weber", "Romano", "Smith", "Brown",
    "Okafor", "Adeyemi", "Mwangi", "Otieno", "Moyo", "Banda", "Nkosi", "Mbeki", "Chen", "Wang",
    "Li", "Nguyen", "Tran", "Tan", "Lim", "Wong", "Sharma", "Patel", "Haddad", "Yilmaz",
    "Kowalski", "Novak"
};
static const char *const street_names[] = {
    "Station", "Market", "Harbour", "Church", "Garden", "Mill", "River", "Park", "King",
    "Queen", "Bridge", "Castle", "Airport", "Industrial", "Lake", "Forest"
};
static const char *const street_kinds[] = { "Street", "Road", "Avenue", "Lane", "Square", "Way" };
static const char *const company_words[] = {
    "Global", "Star", "Pacific", "Atlas", "Sun", "Green", "Delta", "Royal", "Prime", "Nova",
    "Blue", "Golden", "Eagle", "Lotus", "Baobab", "Savanna", "Jade", "Coral", "Summit", "Unity"
};
static const char *const sector_words[GEN_S_COUNT] = {
    "", "Stores", "Kitchen", "Wholesale", "Trading", "Logistics", "Freight", "Construction",
    "Industries", "Software", "Properties", "Clinic", "Staffing", "Administration", "Pets",
    "Kennels", "Zoo", "Herbal Medicine", "Jewellers", "Metals", "Customs Services", "Farms",
    "Holding", "Car Wash", "Consulting", "Wildlife Exports", "Crypto", "Energy", "Bank"
};
static const char *const suffixes[] = { "Ltd", "GmbH", "SA", "BV", "SRL", "Co", "LLC", "Pte Ltd" };

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

int iffnet_i_gen_country_index(const char *code)
{
    for (int i = 0; i < iffnet_i_gen_n_countries; i++)
        if (strcmp(iffnet_i_gen_countries[i].code, code) == 0)
            return i;
    return -1;
}

int iffnet_i_gen_currency_index(const char *code)
{
    for (int i = 0; i < iffnet_i_gen_n_currencies; i++)
        if (strcmp(iffnet_i_gen_currencies[i].code, code) == 0)
            return i;
    return -1;
}

int iffnet_generate_currency_known(const char *code)
{
    return code && iffnet_i_gen_currency_index(code) >= 0;
}

uint32_t iffnet_generate_plantable(void)
{
    uint32_t m = 0;
    for (int t = 0; t < IFFNET_TYP_COUNT; t++)
        if (t != IFFNET_TYP_BENFORD && t != IFFNET_TYP_ROUND_AMOUNTS)
            m |= 1u << t;
    return m;
}

void iffnet_generate_opts_default(iffnet_generate_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->scenario = "wildlife";
    o->n_accounts = 1000;
    o->days = 365;
    o->start = 1704067200; /* 2024-01-01T00:00:00Z */
    o->seed = 1;
    o->currency = "EUR";
}

/* ---- money ------------------------------------------------------------ */

static int64_t pow10i(int k)
{
    int64_t p = 1;
    while (k-- > 0)
        p *= 10;
    return p;
}

int64_t iffnet_i_gen_amount(const gen_t *g, int cur, double eur, double round_to)
{
    const gen_currency_t *tc = &iffnet_i_gen_currencies[cur];
    double x = eur * tc->per_eur;
    (void)g;
    if (round_to > 0) {
        double r = round_to * (tc->per_eur >= 100 ? pow(10, floor(log10(tc->per_eur))) : 1);
        x = floor(x / r + 0.5) * r;
        if (x < r)
            x = r;
    }
    int64_t v = llround(x * (double)pow10i(tc->decimals));
    return v < 1 ? 1 : v;
}

/* Value of one unit of `cur` in the case currency, in 1e-9 units: the rate
 * written to rates.csv, so that iffnet ingest converts exactly as the answer
 * key does. */
int64_t iffnet_i_gen_rate_nano(const gen_t *g, int cur)
{
    return llround(iffnet_i_gen_currencies[g->case_cur].per_eur / iffnet_i_gen_currencies[cur].per_eur * 1e9);
}

int64_t iffnet_i_gen_case_value(const gen_t *g, int64_t amount, int cur)
{
    iffnet_money_t v = 0;
    if (cur == g->case_cur)
        return amount;
    if (iffnet_money_convert(amount, iffnet_i_gen_currencies[cur].decimals, iffnet_i_gen_rate_nano(g, cur),
                             iffnet_i_gen_currencies[g->case_cur].decimals, &v))
        return 0; /* cannot overflow for generated amounts */
    return v;
}

void iffnet_i_gen_move_account(gen_t *g, int32_t a, int country)
{
    g->accounts[a].bank = (uint16_t)(g->bank_first[country] +
        (int32_t)gsl_rng_uniform_int(g->rng, (unsigned long)g->bank_count[country]));
    g->acc_country[a] = (uint8_t)country;
    gen_holder_t *h = &g->holders[g->accounts[a].holder];
    if (h->n_accounts == 1)
        h->country = (uint8_t)country;
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
        if (company)
            nacc += (gsl_rng_uniform(g->rng) < 0.25) + (gsl_rng_uniform(g->rng) < 0.08);
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

/* ---- background roles (after planting) --------------------------------- */

typedef struct {
    gsl_ran_discrete_t *d;
    int32_t *acc;
    int64_t n;
} sampler_t;

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

static const gen_holder_t *holder_of(const gen_t *g, int32_t a)
{
    return &g->holders[g->accounts[a].holder];
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

enum { S_PERSON, S_PERSON_FOREIGN, S_SHOP, S_CASHBIZ, S_COMPANY, S_COMPANY_FOREIGN, S_BILLER,
       S_TRADER, S_CRYPTO, S_ANIMAL_BUYER, S_ANIMAL_SELLER, S_ANY, S_COUNT };
static const acc_filter_t sampler_filters[S_COUNT] = {
    f_person_home, f_person_foreign, f_shop, f_cash_business, f_company_home, f_company_foreign,
    f_biller, f_trader, f_crypto, f_animal_buyer, f_animal_seller, f_any
};

/* Background kinds of randomly timed transactions. */
enum { K_CARD, K_P2P, K_ATM, K_CASHDEP, K_SUPPLIER, K_BILL, K_TRADE, K_FOREIGN, K_TREASURY,
       K_REMIT, K_CRYPTO, K_ANIMAL, K_COUNT };
static const double kind_weekday[K_COUNT] = { 38, 9, 8, 5, 14, 8, 5, 4, 2.5, 2, 1, 1.5 };
static const double kind_weekend[K_COUNT] = { 62, 12, 11, 4, 2, 3, 0.5, 2, 0.2, 3, 1.5, 0.3 };

/* Reference templates of the background. */
enum { R_NONE, R_SALARY, R_RENT, R_INVOICE, R_BILL, R_TRADE, R_SWEEP, R_FUNDING, R_INTERCO,
       R_REMIT, R_P2P, R_ANIMAL, R_CRYPTO, R_CARD };

typedef struct {
    sampler_t s[S_COUNT];
    gsl_ran_discrete_t *kind_d[2];
    int32_t *employed;        /* person holders with an employer */
    uint8_t *pay_group;       /* their employer's payday group (0..3) */
    int64_t n_employed;
    int32_t *renters, *landlord;   /* renter holder -> landlord account */
    uint8_t *rent_group;      /* rent day group (0..2) */
    int64_t n_renters;
    int32_t *subs;            /* subsidiary holders */
    int64_t n_subs;
    int64_t *day_random;      /* random transactions per day */
    int64_t total_sched;
} bg_t;

static void bg_free(bg_t *b)
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

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int weekday(int64_t day) /* 0 = Monday */
{
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int days_in_month(int y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* Payday group k (0..3) pays on the (25+k)th, or the Friday before when that
 * falls on a weekend. Returns 1 when `day` (days since epoch) is that payday. */
static int is_payday(int64_t day, int k)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    int want = 25 + k;
    if (want > days_in_month(y, m))
        want = days_in_month(y, m);
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
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    return d == 1 + k;
}

static double day_weight(int64_t day)
{
    static const double wk[7] = { 1.0, 0.98, 1.0, 1.05, 1.22, 0.95, 0.5 };
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
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
        if (emp->n > 0 && (pep || gsl_rng_uniform(g->rng) < p_emp)) {
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

static int setup_roles(gen_t *g, bg_t *b, int64_t bg_budget)
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

typedef struct {
    gen_tx_t *v;
    int64_t n, cap;
} txbuf_t;

static int txbuf_push(txbuf_t *t, const gen_tx_t *x)
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
        IFFNET_TRY(txbuf_push(t, &x));
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
        IFFNET_TRY(txbuf_push(t, &x));
    }
    return IFFNET_OK;
}

static int tx_cmp(const void *pa, const void *pb)
{
    const gen_tx_t *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    if (a->dst != b->dst)
        return a->dst < b->dst ? -1 : 1;
    if (a->amount != b->amount)
        return a->amount < b->amount ? -1 : 1;
    if (a->planted != b->planted)
        return a->planted < b->planted ? -1 : 1;
    if (a->ref_arg != b->ref_arg)
        return a->ref_arg < b->ref_arg ? -1 : 1;
    return (int)a->channel - (int)b->channel;
}

/* ---- fast CSV writer ------------------------------------------------------ */

typedef struct {
    iffnet_out_t out;
    int open;
    char *buf;
    size_t n, cap;
    int err;
} wbuf_t;

static int wb_open(wbuf_t *w, const char *dir, const char *name)
{
    memset(w, 0, sizeof *w);
    char *path = iffnet_i_asprintf("%s/%s", dir, name);
    if (!path)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    w->cap = 1 << 20;
    w->buf = malloc(w->cap);
    if (!w->buf) {
        free(path);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    int err = iffnet_out_open(&w->out, path);
    free(path);
    if (err) {
        free(w->buf);
        w->buf = NULL;
        return err;
    }
    w->open = 1;
    return IFFNET_OK;
}

static void wb_flush(wbuf_t *w)
{
    if (w->n && !w->err && fwrite(w->buf, 1, w->n, w->out.fp) != w->n)
        w->err = 1;
    w->n = 0;
}

static inline void wb_room(wbuf_t *w, size_t k)
{
    if (w->n + k > w->cap)
        wb_flush(w);
}

static inline void wb_mem(wbuf_t *w, const char *s, size_t k)
{
    if (k > w->cap / 2) {
        wb_flush(w);
        if (!w->err && fwrite(s, 1, k, w->out.fp) != k)
            w->err = 1;
        return;
    }
    wb_room(w, k);
    memcpy(w->buf + w->n, s, k);
    w->n += k;
}

static inline void wb_str(wbuf_t *w, const char *s)
{
    wb_mem(w, s, strlen(s));
}

static inline void wb_ch(wbuf_t *w, char c)
{
    wb_room(w, 1);
    w->buf[w->n++] = c;
}

/* Unsigned decimal, zero-padded to `width` digits. */
static inline void wb_u(wbuf_t *w, uint64_t v, int width)
{
    char t[24];
    int k = 0;
    do {
        t[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k < width)
        t[k++] = '0';
    wb_room(w, (size_t)k);
    while (k)
        w->buf[w->n++] = t[--k];
}

static void wb_money(wbuf_t *w, int64_t v, int decimals)
{
    if (v < 0) {
        wb_ch(w, '-');
        v = -v;
    }
    int64_t p = pow10i(decimals);
    wb_u(w, (uint64_t)(v / p), 1);
    if (decimals > 0) {
        wb_ch(w, '.');
        wb_u(w, (uint64_t)(v % p), decimals);
    }
}

/* A CSV field, quoted when it holds a delimiter, quote or line break. */
static void wb_field(wbuf_t *w, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        wb_str(w, s);
        return;
    }
    wb_ch(w, '"');
    for (; *s; s++) {
        if (*s == '"')
            wb_ch(w, '"');
        wb_ch(w, *s);
    }
    wb_ch(w, '"');
}

static int wb_close(wbuf_t *w, int ok)
{
    int err = IFFNET_OK;
    if (!w->open)
        goto out;
    wb_flush(w);
    if (ok && !w->err) {
        err = iffnet_out_commit(&w->out);
    } else {
        if (ok)
            err = iffnet_i_seterr(IFFNET_EIO, "cannot write '%s'", w->out.path ? w->out.path : "?");
        iffnet_out_abort(&w->out);
    }
out:
    free(w->buf);
    memset(w, 0, sizeof *w);
    return err;
}

/* ---- identifiers ----------------------------------------------------------- */

static void wb_account_id(wbuf_t *w, const gen_t *g, int32_t a)
{
    if (a < 0) {
        wb_mem(w, "CASH", 4);
        return;
    }
    wb_mem(w, iffnet_i_gen_countries[iffnet_i_gen_account_country(g, a)].code, 2);
    wb_u(w, (uint64_t)a + 1, g->id_width);
}

static void wb_holder_id(wbuf_t *w, const gen_t *g, int64_t h)
{
    wb_ch(w, g->holders[h].kind == GEN_PERSON ? 'P' : 'C');
    wb_u(w, (uint64_t)h + 1, g->id_width);
}

static void wb_bank_id(wbuf_t *w, const gen_t *g, int64_t b)
{
    wb_mem(w, "BK", 2);
    wb_str(w, iffnet_i_gen_countries[g->banks[b].country].code);
    wb_u(w, g->banks[b].n, 1);
}

static void wb_holder_name(wbuf_t *w, const gen_t *g, int64_t h)
{
    const gen_holder_t *ho = &g->holders[h];
    if (ho->kind == GEN_PERSON) {
        wb_str(w, first_names[ho->r1 % NELEM(first_names)]);
        wb_ch(w, ' ');
        wb_str(w, last_names[(ho->r1 >> 8) % NELEM(last_names)]);
        return;
    }
    if (ho->sector == GEN_S_PUBLIC) {
        wb_str(w, iffnet_i_gen_countries[ho->country].city[ho->r1 & 1]);
        wb_str(w, ho->r1 % 3 ? " City Council" : " Customs Office");
        return;
    }
    if (ho->r1 % 3 == 0)
        wb_str(w, last_names[(ho->r1 >> 8) % NELEM(last_names)]);
    else
        wb_str(w, company_words[(ho->r1 >> 8) % NELEM(company_words)]);
    wb_ch(w, ' ');
    if (ho->sector != GEN_S_NONE)
        wb_str(w, sector_words[ho->sector]);
    wb_ch(w, ' ');
    wb_str(w, suffixes[(ho->r1 >> 16) % NELEM(suffixes)]);
    /* Numbered like registries do, so that names stay distinct. */
    if ((ho->r1 >> 20) % 4 == 0) {
        wb_mem(w, " ", 1);
        wb_u(w, (ho->r2 >> 8) % 90 + 10, 1);
    }
}

/* ---- references ------------------------------------------------------------ */

static const char *const p2p_refs[] = { "", "dinner", "thanks", "birthday gift", "holiday share",
                                        "rent share", "dinner, drinks", "loan back", "", "" };
static const char *const animal_refs[] = { "puppies litter", "animal feed", "live animal transport",
                                           "aquarium supplies", "herbal raw materials", "koi fish",
                                           "veterinary costs", "bird cages", "reptile terrarium" };
static const char *const month_names[] = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
                                           "SEP", "OCT", "NOV", "DEC" };

static void wb_reference(wbuf_t *w, const gen_t *g, const gen_tx_t *x)
{
    int y, m, d;
    switch (x->ref_kind) {
    case R_SALARY:
        civil_from_days(x->ref_arg, &y, &m, &d);
        wb_mem(w, "SALARY ", 7);
        wb_str(w, month_names[m - 1]);
        wb_ch(w, ' ');
        wb_u(w, (uint64_t)y, 4);
        break;
    case R_RENT:
        civil_from_days(x->ref_arg, &y, &m, &d);
        wb_mem(w, "RENT ", 5);
        wb_str(w, month_names[m - 1]);
        break;
    case R_INVOICE:
        wb_mem(w, "INV-", 4);
        wb_u(w, x->ref_arg % 1000000u, 6);
        break;
    case R_BILL:
        wb_mem(w, "CUSTOMER ", 9);
        wb_u(w, x->ref_arg % 100000000u, 8);
        break;
    case R_TRADE:
        wb_mem(w, "INVOICE ", 8);
        wb_u(w, x->ref_arg % 100000u, 5);
        wb_mem(w, x->ref_arg % 3 ? " GOODS" : " SHIPMENT", x->ref_arg % 3 ? 6 : 9);
        break;
    case R_SWEEP:
        wb_str(w, "CASH POOL SWEEP");
        break;
    case R_FUNDING:
        wb_str(w, "CASH POOL FUNDING");
        break;
    case R_INTERCO:
        wb_str(w, "INTERCOMPANY SETTLEMENT");
        break;
    case R_REMIT:
        wb_str(w, x->ref_arg % 2 ? "family support" : "school fees");
        break;
    case R_P2P:
        wb_field(w, p2p_refs[x->ref_arg % NELEM(p2p_refs)]);
        break;
    case R_ANIMAL:
        wb_str(w, animal_refs[x->ref_arg % NELEM(animal_refs)]);
        break;
    case R_CRYPTO:
        wb_str(w, x->ref_arg % 2 ? "BTC purchase" : "USDT top-up");
        break;
    default:
        break;
    }
    (void)g;
}

/* ---- transactions.csv ------------------------------------------------------ */

/* Planted transactions in time order (ties by index): pairs, since C11's
 * qsort has no context argument. */
typedef struct {
    int64_t time, idx;
} ptx_key_t;

static int ptx_key_cmp(const void *pa, const void *pb)
{
    const ptx_key_t *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void write_tx(wbuf_t *w, const gen_t *g, const gen_tx_t *x, uint64_t no, int id_w,
                     const char *dayprefix)
{
    int64_t tod = x->time % 86400;
    wb_ch(w, 'T');
    wb_u(w, no, id_w);
    wb_ch(w, ',');
    wb_mem(w, dayprefix, 11);
    wb_u(w, (uint64_t)(tod / 3600), 2);
    wb_ch(w, ':');
    wb_u(w, (uint64_t)(tod / 60 % 60), 2);
    wb_ch(w, ':');
    wb_u(w, (uint64_t)(tod % 60), 2);
    wb_mem(w, "Z,", 2);
    wb_account_id(w, g, x->src);
    wb_ch(w, ',');
    wb_account_id(w, g, x->dst);
    wb_ch(w, ',');
    wb_money(w, x->amount, iffnet_i_gen_currencies[x->currency].decimals);
    wb_ch(w, ',');
    wb_mem(w, iffnet_i_gen_currencies[x->currency].code, 3);
    wb_ch(w, ',');
    wb_str(w, iffnet_i_gen_channel_names[x->channel]);
    wb_ch(w, ',');
    if (x->planted >= 0)
        wb_field(w, g->ptx_ref[x->planted]);
    else
        wb_reference(w, g, x);
    wb_ch(w, '\n');
}

static int digits(uint64_t v)
{
    int k = 1;
    while (v >= 10) {
        v /= 10;
        k++;
    }
    return k;
}

static int write_transactions(gen_t *g, bg_t *b, const char *dir)
{
    wbuf_t w;
    txbuf_t t = { 0 };
    ptx_key_t *order = NULL;
    int64_t day0 = g->o->start / 86400, days = g->o->days;
    int64_t total = g->o->n_transactions, no = 0, next = 0;
    int id_w = digits((uint64_t)total) < 6 ? 6 : digits((uint64_t)total);
    int err = wb_open(&w, dir, "transactions.csv");
    if (err)
        return err;
    order = malloc((size_t)(g->n_ptx ? g->n_ptx : 1) * sizeof *order);
    if (!order) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < g->n_ptx; i++)
        order[i] = (ptx_key_t){ g->ptx[i].time, i };
    qsort(order, (size_t)g->n_ptx, sizeof *order, ptx_key_cmp);
    wb_str(&w, "tx_id,timestamp,source,target,amount,currency,channel,reference\n");
    for (int64_t d = 0; d < days; d++) {
        int64_t day = day0 + d;
        int weekend = weekday(day) >= 5;
        t.n = 0;
        if ((err = scheduled_txs(g, b, day, &t)))
            goto out;
        for (int64_t i = 0; i < b->day_random[d]; i++) {
            gen_tx_t x;
            random_tx(g, b, day, weekend, &x);
            if ((err = txbuf_push(&t, &x)))
                goto out;
        }
        while (next < g->n_ptx && order[next].time < (day + 1) * 86400) {
            gen_tx_t x = g->ptx[order[next].idx];
            x.planted = (int32_t)order[next++].idx;
            if ((err = txbuf_push(&t, &x)))
                goto out;
        }
        qsort(t.v, (size_t)t.n, sizeof *t.v, tx_cmp);
        int y, m, dd;
        char prefix[16];
        civil_from_days(day, &y, &m, &dd);
        snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT", y, m, dd);
        for (int64_t i = 0; i < t.n; i++) {
            if (t.v[i].planted >= 0)
                g->ptx_id[t.v[i].planted] = no + 1;
            write_tx(&w, g, &t.v[i], (uint64_t)++no, id_w, prefix);
        }
        if (g->o->progress)
            g->o->progress(g->o->progress_arg, "transactions", no, total);
    }
    if (no != total || next != g->n_ptx)
        err = iffnet_i_seterr(IFFNET_EINTERNAL, "generated %lld transactions instead of %lld",
                              (long long)no, (long long)total);
out:
    free(order);
    free(t.v);
    int e2 = wb_close(&w, err == IFFNET_OK);
    return err ? err : e2;
}

/* ---- entities.csv and relations.csv --------------------------------------- */

static void wb_address(wbuf_t *w, const gen_t *g, const gen_holder_t *h)
{
    uint32_t k = h->addr_key ? h->addr_key * 2654435761u : h->r2;
    const gen_country_t *c = &iffnet_i_gen_countries[h->country];
    wb_ch(w, '"');
    wb_u(w, k % 180 + 1, 1);
    wb_ch(w, ' ');
    wb_str(w, street_names[(k >> 8) % NELEM(street_names)]);
    wb_ch(w, ' ');
    wb_str(w, street_kinds[(k >> 12) % NELEM(street_kinds)]);
    wb_mem(w, ", ", 2);
    wb_str(w, c->city[(k >> 16) & 1]);
    wb_ch(w, '"');
    (void)g;
}

static void wb_phone(wbuf_t *w, const gen_holder_t *h)
{
    uint32_t k = h->phone_key ? h->phone_key * 2246822519u : h->r1 ^ (h->r2 << 7);
    static const uint16_t dial[] = { 49, 33, 31, 32, 39, 34, 44, 1, 41, 234, 258, 243, 237, 256, 254,
                                     255, 27, 260, 263, 60, 65, 852, 66, 971, 856, 84, 86, 90, 91 };
    wb_ch(w, '+');
    wb_u(w, h->country < NELEM(dial) ? dial[h->country] : 1, 1);
    wb_ch(w, ' ');
    wb_u(w, k % 1000000000u, 9);
}

static int write_entities(gen_t *g, const char *dir)
{
    wbuf_t w;
    int err = wb_open(&w, dir, "entities.csv");
    if (err)
        return err;
    wb_str(&w, "id,kind,name,country,sector,address,phone,registration,pep,bank\n");
    wb_str(&w, "CASH,cash,Cash,,,,,,,\n");
    for (int64_t b = 0; b < g->n_banks; b++) {
        const gen_country_t *c = &iffnet_i_gen_countries[g->banks[b].country];
        wb_bank_id(&w, g, b);
        wb_mem(&w, ",bank,", 6);
        wb_str(&w, c->city[g->banks[b].n % 2]);
        wb_mem(&w, " ", 1);
        wb_str(&w, company_words[(g->banks[b].country * 7 + g->banks[b].n) % NELEM(company_words)]);
        wb_mem(&w, " Bank,", 6);
        wb_str(&w, c->code);
        wb_mem(&w, ",banking,,,,,\n", 14);
    }
    for (int64_t h = 0; h < g->n_holders; h++) {
        const gen_holder_t *ho = &g->holders[h];
        wb_holder_id(&w, g, h);
        wb_str(&w, ho->kind == GEN_PERSON ? ",person," : ",company,");
        wb_holder_name(&w, g, h);
        wb_ch(&w, ',');
        wb_str(&w, iffnet_i_gen_countries[ho->country].code);
        wb_ch(&w, ',');
        wb_str(&w, iffnet_i_gen_sector_names[ho->sector]);
        wb_ch(&w, ',');
        wb_address(&w, g, ho);
        wb_ch(&w, ',');
        wb_phone(&w, ho);
        wb_ch(&w, ',');
        if (ho->kind == GEN_COMPANY) {
            wb_str(&w, iffnet_i_gen_countries[ho->country].code);
            wb_ch(&w, '-');
            wb_u(&w, (uint64_t)ho->reg_year, 4);
            wb_ch(&w, '-');
            wb_u(&w, ho->r2 % 1000000u, 6);
        }
        wb_ch(&w, ',');
        if (ho->flags & GEN_HF_PEP)
            wb_mem(&w, "yes", 3);
        wb_mem(&w, ",\n", 2);
    }
    for (int64_t a = 0; a < g->n_accounts; a++) {
        const gen_holder_t *ho = holder_of(g, (int32_t)a);
        wb_account_id(&w, g, (int32_t)a);
        wb_mem(&w, ",account,", 9);
        wb_holder_name(&w, g, g->accounts[a].holder);
        wb_ch(&w, ',');
        wb_str(&w, iffnet_i_gen_countries[iffnet_i_gen_account_country(g, (int32_t)a)].code);
        wb_ch(&w, ',');
        wb_str(&w, iffnet_i_gen_sector_names[ho->sector]);
        wb_mem(&w, ",,,,,", 5);
        wb_bank_id(&w, g, g->accounts[a].bank);
        wb_ch(&w, '\n');
    }
    return wb_close(&w, 1);
}

static void wb_rel(wbuf_t *w, const gen_t *g, int64_t from, int64_t to, const char *rel)
{
    wb_holder_id(w, g, from);
    wb_ch(w, ',');
    wb_holder_id(w, g, to);
    wb_ch(w, ',');
    wb_str(w, rel);
    wb_ch(w, '\n');
}

static int write_relations(gen_t *g, const char *dir)
{
    wbuf_t w;
    int err = wb_open(&w, dir, "relations.csv");
    if (err)
        return err;
    wb_str(&w, "source,target,relation\n");
    for (int64_t h = 0; h < g->n_holders; h++) {
        const gen_holder_t *ho = &g->holders[h];
        for (int32_t j = 0; j < ho->n_accounts; j++) {
            wb_holder_id(&w, g, h);
            wb_ch(&w, ',');
            wb_account_id(&w, g, ho->first_account + j);
            wb_str(&w, ",holds_account\n");
        }
        if (ho->owner >= 0)
            wb_rel(&w, g, ho->owner, h, "owns");
        if (ho->director >= 0)
            wb_rel(&w, g, ho->director, h, "director_of");
        if (ho->employer >= 0)
            wb_rel(&w, g, ho->employer, h, "employs");
    }
    return wb_close(&w, 1);
}

/* Every company needs an owner and a director: persons of its country when
 * there are some, else any person. */
static void assign_owners(gen_t *g)
{
    int64_t np = 0;
    int32_t *persons = malloc((size_t)g->n_holders * sizeof *persons);
    if (!persons)
        return;
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
}

/* ---- answer key and scenario ---------------------------------------------- */

static void wb_time(wbuf_t *w, int64_t t)
{
    int y, m, d;
    civil_from_days(t / 86400 - (t % 86400 < 0), &y, &m, &d);
    int64_t s = ((t % 86400) + 86400) % 86400;
    wb_u(w, (uint64_t)y, 4);
    wb_ch(w, '-');
    wb_u(w, (uint64_t)m, 2);
    wb_ch(w, '-');
    wb_u(w, (uint64_t)d, 2);
    wb_ch(w, 'T');
    wb_u(w, (uint64_t)(s / 3600), 2);
    wb_ch(w, ':');
    wb_u(w, (uint64_t)(s / 60 % 60), 2);
    wb_ch(w, ':');
    wb_u(w, (uint64_t)(s % 60), 2);
    wb_ch(w, 'Z');
}

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int write_answer_key(gen_t *g, const char *dir)
{
    wbuf_t w;
    int id_w = digits((uint64_t)g->o->n_transactions) < 6 ? 6 : digits((uint64_t)g->o->n_transactions);
    int sid_w = digits((uint64_t)g->n_st) < 3 ? 3 : digits((uint64_t)g->n_st);
    int err = wb_open(&w, dir, "answer_key.csv");
    if (err)
        return err;
    wb_str(&w, "structure_id,typology,accounts,transactions,amount,first,last,description\n");
    for (int64_t s = 0; s < g->n_st; s++) {
        const gen_structure_t *st = &g->st[s];
        int64_t sum = 0, first = INT64_MAX, last = INT64_MIN;
        wb_ch(&w, 'S');
        wb_u(&w, (uint64_t)s + 1, sid_w);
        wb_ch(&w, ',');
        wb_str(&w, iffnet_typology_name((iffnet_typology_t)st->typology));
        wb_ch(&w, ',');
        for (int64_t i = 0; i < st->n_accounts; i++) {
            if (i)
                wb_ch(&w, ';');
            wb_account_id(&w, g, st->accounts[i]);
        }
        wb_ch(&w, ',');
        /* Transaction ids in file order. */
        int64_t *ids = g->ptx_id + st->first_tx;
        qsort(ids, (size_t)st->n_tx, sizeof *ids, id_cmp);
        for (int64_t i = 0; i < st->n_tx; i++) {
            if (i)
                wb_ch(&w, ';');
            wb_ch(&w, 'T');
            wb_u(&w, (uint64_t)ids[i], id_w);
        }
        for (int64_t i = 0; i < st->n_tx; i++) {
            const gen_tx_t *x = &g->ptx[st->first_tx + i];
            sum += iffnet_i_gen_case_value(g, x->amount, x->currency);
            first = x->time < first ? x->time : first;
            last = x->time > last ? x->time : last;
        }
        wb_ch(&w, ',');
        wb_money(&w, sum, iffnet_i_gen_currencies[g->case_cur].decimals);
        wb_ch(&w, ',');
        wb_time(&w, first);
        wb_ch(&w, ',');
        wb_time(&w, last);
        wb_ch(&w, ',');
        wb_field(&w, st->description);
        wb_ch(&w, '\n');
    }
    return wb_close(&w, 1);
}

/* The cash reporting line: 10,000 units of the case currency, times a power
 * of ten for currencies worth much less than a euro (so 100,000,000 VND). */
double iffnet_i_gen_threshold(const gen_t *g)
{
    double per = iffnet_i_gen_currencies[g->case_cur].per_eur;
    return per < 10 ? 10000.0 : 10000.0 * pow(10, floor(log10(per)));
}

static int write_rates(gen_t *g, const char *dir)
{
    wbuf_t w;
    int err = wb_open(&w, dir, "rates.csv");
    if (err)
        return err;
    wb_str(&w, "currency,rate\n");
    for (int k = 0; k < iffnet_i_gen_n_currencies; k++) {
        wb_str(&w, iffnet_i_gen_currencies[k].code);
        wb_ch(&w, ',');
        wb_money(&w, iffnet_i_gen_rate_nano(g, k), 9);
        wb_ch(&w, '\n');
    }
    return wb_close(&w, 1);
}

static int write_scenario(gen_t *g, const char *dir)
{
    wbuf_t w;
    char line[512];
    int err = wb_open(&w, dir, "scenario.md");
    if (err)
        return err;
    const iffnet_generate_opts_t *o = g->o;
    int64_t counts[IFFNET_TYP_COUNT] = { 0 };
    for (int64_t s = 0; s < g->n_st; s++)
        counts[g->st[s].typology]++;
    int y, m, d;
    char home[64] = "", thr[32];
    for (int h = 0; h < g->n_home; h++) {
        strcat(home, h ? (h + 1 == g->n_home ? " and " : ", ") : "");
        strcat(home, iffnet_i_gen_countries[g->home[h]].code);
    }
    iffnet_amount_format(thr, sizeof thr, (iffnet_money_t)iffnet_i_gen_threshold(g), 0, ',');
    civil_from_days(o->start / 86400, &y, &m, &d);
    wb_str(&w, "# Case file: Operation Pangolin (synthetic)\n\n");
    snprintf(line, sizeof line,
             "This case was generated by `iffnet generate` (scenario `%s`, seed %lu). It is fiction: every "
             "person, company, bank and account is invented.\n\n", o->scenario, o->seed);
    wb_str(&w, line);
    snprintf(line, sizeof line,
             "## What the unit received\n\nA bank consortium sent %lld transactions over %lld days from "
             "%04d-%02d-%02d, between %lld accounts held by people and companies at home (%s) and in the "
             "countries of the illegal wildlife trade. Amounts are in their own currencies; the case currency "
             "is %s.\n\n", (long long)o->n_transactions, (long long)o->days, y, m, d,
             (long long)o->n_accounts, home, iffnet_i_gen_currencies[g->case_cur].code);
    wb_str(&w, line);
    wb_str(&w,
        "## Background\n\n"
        "Customs at a port seized a shipment declared as \"fish maw and herbal raw materials\" that "
        "held pangolin scales and worked ivory. The consignee is unknown; the freight was booked through a "
        "forwarder and paid from several accounts. Intelligence from partner units suggests that the "
        "network buys from suppliers in source countries in Africa (e.g. NG, MZ, CD, CM, UG, KE, TZ, ZA, ZM, "
        "ZW), moves money and goods through transit hubs (MY, SG, HK, TH, AE, LA) and sells to buyers in "
        "destination markets (CN, VN, HK), and that it uses banks at home to pay suppliers, "
        "to move its proceeds and to pay officials who look the other way.\n\n"
        "## Most of the data is legitimate\n\n"
        "People are paid salaries by their employers (payroll runs on fixed days near month end), pay rent "
        "at the start of the month, shop by card, withdraw cash and send money to family abroad. Shops and "
        "restaurants bank their cash takings, sometimes large. Companies pay suppliers, importers pay "
        "foreign suppliers in round amounts, corporate groups sweep cash to their holding company and fund "
        "their subsidiaries back (which forms legitimate cycles). Pet shops, breeders, zoos and traditional "
        "medicine shops trade animals and herbal products legally. Some public officials are politically "
        "exposed persons (PEPs) and receive their salaries like everyone else. Naive rules will therefore "
        "raise false alarms.\n\n"
        "## What to look for\n\n"
        "The network is believed to use several of these schemes (not necessarily all, some more than once):\n\n");
    for (int t = 0; t < IFFNET_TYP_COUNT; t++)
        if (o->typologies & (1u << t)) {
            snprintf(line, sizeof line, "- `%s`: %s\n", iffnet_typology_name((iffnet_typology_t)t),
                     iffnet_typology_description((iffnet_typology_t)t));
            wb_str(&w, line);
        }
    snprintf(line, sizeof line, "\nCash deposits of %s %s or more must be reported by the bank, so cash kept "
             "just below that line deserves attention. ", thr, iffnet_i_gen_currencies[g->case_cur].code);
    wb_str(&w, line);
    wb_str(&w,
        "Companies that share a director, an address or a phone "
        "may be one business in disguise (see entities.csv and relations.csv).\n\n"
        "## Files\n\n"
        "- `transactions.csv`: one row per payment (`tx_id,timestamp,source,target,amount,currency,channel,"
        "reference`); `CASH` is the pseudo-account for cash deposits and withdrawals.\n"
        "- `entities.csv`: people, companies, accounts, banks, with country, sector, address, phone, "
        "registration, PEP flag and bank.\n"
        "- `relations.csv`: who holds which account, who owns, directs or employs whom.\n"
        "- `rates.csv`: the exchange rates to the case currency used by the generator (`iffnet ingest --rates`).\n"
        "- `answer_key.csv`: the planted schemes. Trainers only: do not open it before the exercises.\n\n");
    /* The options, not argv: the output directory must not change the bytes. */
    snprintf(line, sizeof line, "## Reproduce\n\n```\niffnet generate --scenario %s --accounts %lld "
             "--transactions %lld --days %lld --seed %lu --currency %s --start %04d-%02d-%02d",
             o->scenario, (long long)o->n_accounts, (long long)o->n_transactions, (long long)o->days,
             o->seed, iffnet_i_gen_currencies[g->case_cur].code, y, m, d);
    wb_str(&w, line);
    if (o->n_structures) {
        snprintf(line, sizeof line, " --structures %lld", (long long)o->n_structures);
        wb_str(&w, line);
    }
    if (o->typologies != iffnet_generate_plantable()) {
        const char *sep = " --typologies ";
        for (int t = 0; t < IFFNET_TYP_COUNT; t++)
            if (o->typologies & (1u << t)) {
                wb_str(&w, sep);
                wb_str(&w, iffnet_typology_name((iffnet_typology_t)t));
                sep = ",";
            }
    }
    wb_str(&w, " -o DIR\n```\n");
    return wb_close(&w, 1);
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
    return IFFNET_OK;
}

static void gen_free(gen_t *g)
{
    iffnet_i_gen_plant_free(g);
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
    if ((err = check_opts(&o)))
        return err;
    if (o.n_transactions == 0)
        o.n_transactions = 10 * o.n_accounts;
    if (o.typologies == 0)
        o.typologies = iffnet_generate_plantable();
    g.o = &o;
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
    if ((err = build_banks(&g)) || (err = build_population(&g)) || (err = iffnet_i_gen_plant(&g)))
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
    if ((err = setup_roles(&g, &b, bg_budget)))
        goto out;
    assign_owners(&g);
    if ((err = write_transactions(&g, &b, dir)) || (err = write_entities(&g, dir)) ||
        (err = write_relations(&g, dir)) || (err = write_rates(&g, dir)) || (err = write_answer_key(&g, dir)) ||
        (err = write_scenario(&g, dir)))
        goto out;
out:
    bg_free(&b);
    gen_free(&g);
    return err;
}
