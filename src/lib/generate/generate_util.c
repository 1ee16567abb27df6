/* generate_util.c: what every part of the generator shares, at the bottom of
 * the module: the country, currency, sector and channel tables, and money at the
 * reference rates (amounts, rates, conversion, the cash reporting line). */
#include <math.h>
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
        /* statistical screens and watch-list hits are no structure to plant */
        if (t != IFFNET_TYP_BENFORD && t != IFFNET_TYP_ROUND_AMOUNTS && t != IFFNET_TYP_WATCHLIST)
            m |= 1u << t;
    return m;
}

/* ---- money ------------------------------------------------------------ */

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

/* The cash reporting line: 10,000 units of the case currency, times a power
 * of ten for currencies worth much less than a euro (so 100,000,000 VND). */
double iffnet_i_gen_threshold(const gen_t *g)
{
    double per = iffnet_i_gen_currencies[g->case_cur].per_eur;
    return per < 10 ? 10000.0 : 10000.0 * pow(10, floor(log10(per)));
}

/* ---- profiles ------------------------------------------------------------ */

/* Look-alike groups per 1,000 accounts: sparse leaves most of the background
 * to ordinary flows; default has every kind of look-alike from a couple of
 * thousand accounts; dense and hard have about one group per 33 accounts
 * (each group has a few to forty members, so a large share of the accounts
 * then trades in some look-alike). hard also draws the planted structures
 * from the hard end of each range (long chains, fans with few counterparties,
 * long spans, weekly to monthly rhythms, independent amounts) and gives some
 * look-alikes a short history. */
static const gen_profile_t profiles[] = {
    { "sparse", 3, 0 },
    { "default", 12, 0 },
    { "dense", 30, 0 },
    { "hard", 30, 1 },
};

const gen_profile_t *iffnet_i_gen_profile(const char *name)
{
    for (int i = 0; i < NELEM(profiles); i++)
        if (name && strcmp(profiles[i].name, name) == 0)
            return &profiles[i];
    return NULL;
}

int iffnet_generate_profile_known(const char *name)
{
    return iffnet_i_gen_profile(name) != NULL;
}

const char *iffnet_generate_profile_names(void)
{
    return "sparse,default,dense,hard";
}

static const char *const amounts_names[] = { "mixed", "carried", "decaying", "independent" };

const char *iffnet_gen_amounts_name(iffnet_gen_amounts_t a)
{
    return (unsigned)a < 4 ? amounts_names[a] : "?";
}

int iffnet_gen_amounts_parse(const char *name, iffnet_gen_amounts_t *a)
{
    for (int i = 0; i < 4; i++)
        if (name && strcmp(amounts_names[i], name) == 0) {
            *a = (iffnet_gen_amounts_t)i;
            return 0;
        }
    return -1;
}
