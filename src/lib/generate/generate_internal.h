/* generate_internal.h: the generate module (private to the library).
 *
 * Synthetic cases with planted structures, benign look-alikes and an answer
 * key. Layers, bottom up: generate_util.c (tables, profiles, money at reference
 * rates), generate_struct.c (what structures share: taking accounts, drawing
 * sizes, spans, schedules and amounts, adding transactions), then
 * generate_plant.c (planted structures), generate_lookalike.c (benign groups of
 * the same shapes) and generate_background.c (the background population's
 * flows), generate_write.c (the seven output files; it draws each day's
 * background while writing), and generate.c, the driver (population, then the
 * rest in order). A file calls only files below it. May call core/ (and case/'s
 * typology names).
 */
#ifndef IFFNET_GENERATE_INTERNAL_H
#define IFFNET_GENERATE_INTERNAL_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "core/core_internal.h"
#include "iffnet/generate.h"

/* Regions of the illegal wildlife trade (FATF 2020, Themis). */
enum { GEN_HOME, GEN_SOURCE, GEN_TRANSIT, GEN_DEST, GEN_OTHER };

typedef struct {
    const char *code;      /* ISO 3166 alpha-2 */
    int region;
    const char *currency;  /* local currency (ISO 4217) */
    const char *city[2];
} gen_country_t;

typedef struct {
    const char *code;
    int decimals;          /* ISO 4217 minor unit */
    double per_eur;        /* reference rate: units of this currency for 1 EUR */
    const char *home[6];   /* home countries when it is the case currency */
} gen_currency_t;

/* Company sectors (lowercase snake_case, listed in iffnet-generate(1)). */
#define GEN_SECTORS(X) \
    X(NONE, "") X(RETAIL, "retail") X(RESTAURANT, "restaurant") X(WHOLESALE, "wholesale") \
    X(IMPORT_EXPORT, "import_export") X(LOGISTICS, "logistics") \
    X(FREIGHT, "freight_forwarding") X(CONSTRUCTION, "construction") \
    X(MANUFACTURING, "manufacturing") X(IT, "it_services") X(REAL_ESTATE, "real_estate") \
    X(HEALTHCARE, "healthcare") X(PAYROLL, "payroll_employer") \
    X(PUBLIC, "public_administration") X(PET_SHOP, "pet_shop") X(BREEDER, "breeder") \
    X(ZOO, "zoo") X(TRAD_MED, "traditional_medicine") X(JEWELLERY, "jewellery") \
    X(METALS, "precious_metals") X(CUSTOMS, "customs_broker") X(AGRICULTURE, "agriculture") \
    X(HOLDING, "holding") X(CAR_WASH, "car_wash") X(CONSULTING, "consulting") \
    X(WILDLIFE_EXPORT, "wildlife_exporter") X(CRYPTO, "crypto_exchange") \
    X(UTILITIES, "utilities") X(BANKING, "banking")

typedef enum {
#define GEN_X(id, name) GEN_S_##id,
    GEN_SECTORS(GEN_X)
#undef GEN_X
    GEN_S_COUNT
} gen_sector_t;

extern const char *const iffnet_i_gen_sector_names[GEN_S_COUNT];

enum { GEN_PERSON = 0, GEN_COMPANY = 1 };

/* A profile: how dense the benign look-alikes are and how hard the planted
 * draws (generate_util.c). */
typedef struct {
    const char *name;
    double lookalikes_per_1000;  /* look-alike groups per 1,000 accounts */
    int hard;                    /* planted draws from the hard end of each range */
} gen_profile_t;
const gen_profile_t *iffnet_i_gen_profile(const char *name);

/* Holder flags. */
#define GEN_HF_PEP      0x01u
#define GEN_HF_SHELL    0x02u   /* planted shell: no payroll, no supplier role */
#define GEN_HF_USED     0x04u   /* one of its accounts is taken by a planted structure */
#define GEN_HF_KEEP     0x08u   /* a background role tiny cases need: never planted */

/* A person or company. */
typedef struct {
    uint8_t kind, country, sector, flags;
    uint32_t r1, r2;           /* draws that pick name, address, phone */
    uint32_t addr_key;         /* nonzero: address shared with others of the same key */
    uint32_t phone_key;        /* nonzero: phone shared */
    int32_t first_account, n_accounts;
    int32_t employer;          /* holder index, -1 */
    int32_t owner;             /* owning holder (person or parent company), -1 */
    int32_t director;          /* person holder, -1 */
    int16_t reg_year;
} gen_holder_t;

/* Account flags. */
#define GEN_AF_USED     0x01u  /* taken by a structure (planted, or a look-alike's own) */
#define GEN_AF_PLANTED  0x02u  /* part of a planted structure: no look-alike touches it */
#define GEN_AF_SPOKE    0x04u  /* a look-alike's counterparty (taken last) */

typedef struct {
    int32_t holder;
    uint16_t bank;
    uint8_t flags;
    uint8_t pad;
    double weight;             /* background activity */
} gen_account_t;

typedef struct {
    uint8_t country;
    uint8_t n;                 /* 1-based number within the country */
} gen_bank_t;

/* One transaction before output. */
typedef struct {
    int64_t time;
    int64_t amount;            /* minor units of `currency` */
    int32_t src, dst;          /* account index, -1 = CASH */
    int32_t planted;           /* index into planted tx, -1 */
    uint8_t currency, channel;
    uint16_t ref_kind;         /* background reference template */
    uint32_t ref_arg;
} gen_tx_t;

enum { GEN_CH_WIRE, GEN_CH_ACH, GEN_CH_CARD, GEN_CH_CASH_DEP, GEN_CH_CASH_WD, GEN_CH_CHEQUE,
       GEN_CH_CRYPTO, GEN_CH_COUNT };
extern const char *const iffnet_i_gen_channel_names[GEN_CH_COUNT];

/* How a structure's payments are spread in time (the answer key's schedule). */
enum { GEN_SCHED_BURST,        /* at random times within the span */
       GEN_SCHED_PERIODIC,     /* one event every `gap` */
       GEN_SCHED_CHAIN,        /* each hop after the previous one */
       GEN_SCHED_COUNT };
extern const char *const iffnet_i_gen_sched_names[GEN_SCHED_COUNT];

/* How its amounts relate (iffnet_gen_amounts_t; GEN_AMT_RULE: the typology's
 * own rule, e.g. just under the reporting line). */
enum { GEN_AMT_RULE = IFFNET_GEN_AMOUNTS_MIXED, GEN_AMT_CARRIED = IFFNET_GEN_AMOUNTS_CARRIED,
       GEN_AMT_DECAYING = IFFNET_GEN_AMOUNTS_DECAYING, GEN_AMT_INDEPENDENT = IFFNET_GEN_AMOUNTS_INDEPENDENT };
#define GEN_AMT_ALL ((1u << GEN_AMT_CARRIED) | (1u << GEN_AMT_DECAYING) | (1u << GEN_AMT_INDEPENDENT))
#define GEN_AMT_LINKED ((1u << GEN_AMT_CARRIED) | (1u << GEN_AMT_DECAYING))

/* A planted structure or a benign look-alike group. */
typedef struct {
    int typology;              /* iffnet_typology_t (a look-alike's: the shape it mimics) */
    const char *kind;          /* a look-alike's kind ("payroll", ...); NULL when planted */
    int usd_wires;             /* its cross-border wires are in US dollars (else the payer's currency) */
    int32_t *accounts;         /* in the order they joined (a chain's from first to last) */
    int64_t n_accounts, cap_accounts;
    int64_t first_tx, n_tx;    /* range in the planted tx array */
    char *description;
    /* what was drawn (the answer key's columns) */
    int64_t span;              /* seconds the events are spread over */
    int schedule;              /* GEN_SCHED_* */
    int64_t gap;               /* periodic: seconds between events */
    int amounts;               /* GEN_AMT_* */
    double keep_lo, keep_hi;   /* share a hop passes on (carried, decaying) */
    double trend;              /* a decaying fan's factor from one payment to the next */
} gen_structure_t;

typedef struct {
    const iffnet_generate_opts_t *o;
    const gen_profile_t *profile;
    gsl_rng *rng;
    int case_cur;              /* index into the currency table */
    int usd;                   /* US dollars, the currency of many cross-border wires */
    int n_home;
    uint8_t home[6];           /* country indices */
    /* population */
    gen_holder_t *holders;
    int64_t n_holders;
    gen_account_t *accounts;
    uint8_t *acc_country;      /* country of each account's bank (hot: kept apart) */
    int64_t n_accounts;
    int8_t country_cur[64];    /* currency index of each country */
    gen_bank_t *banks;
    int64_t n_banks;
    int32_t *bank_first;       /* per country: first bank index */
    int32_t *bank_count;
    /* planted structures and look-alikes (g->st[i].kind != NULL), in that order */
    gen_tx_t *ptx;
    const char **ptx_ref;      /* reference text of each planted tx: static, or NULL (ref_kind) */
    int64_t *ptx_id;           /* output tx number, assigned while writing */
    int64_t n_ptx, cap_ptx;
    gen_structure_t *st;
    int64_t n_st, cap_st;
    int64_t n_planted;         /* g->st[0 .. n_planted) are planted */
    int64_t n_shell_groups;    /* for shared address/phone keys */
    int id_width;              /* digits of account numbers */
} gen_t;

/* ---- tables and money (generate_util.c) ---- */
extern const gen_country_t iffnet_i_gen_countries[];
extern const int iffnet_i_gen_n_countries;
extern const gen_currency_t iffnet_i_gen_currencies[];
extern const int iffnet_i_gen_n_currencies;
int iffnet_i_gen_country_index(const char *code);
int iffnet_i_gen_currency_index(const char *code);

/* Amount in minor units of currency `cur` for `eur` euros' worth at the
 * reference rates (rounded to the minor unit; round_to > 0 rounds to that many
 * major units, times a power of ten for currencies worth much less than a euro).
 * The generator thinks in euros whatever the case currency, so that a coffee
 * costs a few euros' worth in every currency. */
int64_t iffnet_i_gen_amount(const gen_t *g, int cur, double eur, double round_to);
/* The cash reporting threshold in major units of the case currency. */
double iffnet_i_gen_threshold(const gen_t *g);
/* Value of one unit of currency `cur` in the case currency, 1e-9 units. */
int64_t iffnet_i_gen_rate_nano(const gen_t *g, int cur);
/* Value of a planted amount in minor units of the case currency (exact integer
 * arithmetic at the rates of rates.csv). */
int64_t iffnet_i_gen_case_value(const gen_t *g, int64_t amount, int cur);
/* Moves an account to a bank of country `country` (planting needs roles abroad). */
void iffnet_i_gen_move_account(gen_t *g, int32_t a, int country);
/* Currency an account pays in by default. */
static inline int iffnet_i_gen_account_country(const gen_t *g, int32_t a)
{
    return g->acc_country[a];
}
static inline int iffnet_i_gen_account_currency(const gen_t *g, int32_t a)
{
    return g->country_cur[g->acc_country[a]];
}

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static inline int64_t pow10i(int k)
{
    int64_t p = 1;
    while (k-- > 0)
        p *= 10;
    return p;
}

static inline const gen_holder_t *holder_of(const gen_t *g, int32_t a)
{
    return &g->holders[g->accounts[a].holder];
}

/* Decimal digits of v. */
static inline int digits(uint64_t v)
{
    int k = 1;
    while (v >= 10) {
        v /= 10;
        k++;
    }
    return k;
}

/* ---- structures (generate_struct.c) ---- */

/* A new structure of `typology` (kind NULL: planted; else a look-alike's kind).
 * NULL when out of memory. */
gen_structure_t *iffnet_i_gen_st_begin(gen_t *g, int typology, const char *kind);
/* Forgets the last structure and its transactions (planting it did not fit). */
void iffnet_i_gen_st_drop_last(gen_t *g);
/* Frees every structure and planted transaction. */
void iffnet_i_gen_st_free(gen_t *g);
int iffnet_i_gen_describe(gen_structure_t *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Adds a transaction of about `eur` euros' worth from s to d (-1 = CASH) at t.
 * cur < 0 picks the payer's currency (US dollars for half of the structures'
 * cross-border wires). `ref` must be static (or NULL: no reference). A
 * look-alike's transaction after the period is left out (its routine ends). */
int iffnet_i_gen_tx(gen_t *g, gen_structure_t *st, int32_t s, int32_t d, int64_t t, double eur,
                    double round_to, int channel, int cur, const char *ref);
/* The same in the payer's currency with a background reference template
 * (R_SALARY ...) instead of a text. */
int iffnet_i_gen_tx_tmpl(gen_t *g, gen_structure_t *st, int32_t s, int32_t d, int64_t t, double eur,
                         double round_to, int channel, int ref_kind, uint32_t ref_arg);

/* Statement forms of the two that return on error and draw their random
 * arguments in a fixed order (time, amount, rounding, reference): C leaves the
 * order of a call's arguments open, and the same seed must give the same bytes
 * whatever the compiler. The builders use these. */
#define GEN_TX(g_, st_, s_, d_, t_, eur_, round_, ch_, cur_, ref_) do { \
        int64_t gen_t_ = (t_); double gen_e_ = (eur_); double gen_r_ = (round_); const char *gen_ref_ = (ref_); \
        IFFNET_TRY(iffnet_i_gen_tx((g_), (st_), (s_), (d_), gen_t_, gen_e_, gen_r_, (ch_), (cur_), gen_ref_)); \
    } while (0)
#define GEN_TXT(g_, st_, s_, d_, t_, eur_, round_, ch_, kind_, arg_) do { \
        int64_t gen_t_ = (t_); double gen_e_ = (eur_); double gen_r_ = (round_); uint32_t gen_a_ = (arg_); \
        IFFNET_TRY(iffnet_i_gen_tx_tmpl((g_), (st_), (s_), (d_), gen_t_, gen_e_, gen_r_, (ch_), (kind_), gen_a_)); \
    } while (0)

enum { GEN_WANT_PERSON, GEN_WANT_COMPANY, GEN_WANT_ANY };
enum { GEN_AT_HOME = -1, GEN_AT_ANY = -2 };
/* Takes an account of `want` for the structure alone (one role per holder),
 * moving it to `country` (GEN_AT_HOME: a home country; GEN_AT_ANY: where it
 * is). -1 with IFFNET_ELIMIT set when none is left. */
int32_t iffnet_i_gen_take(gen_t *g, const gen_structure_t *st, int want, int country);
/* An ordinary counterparty for a look-alike (a shop's customer, an employee):
 * any account of `want` that no structure took, at home when home_only; it may
 * serve several look-alikes. -1 when there is none. */
int32_t iffnet_i_gen_pick(gen_t *g, int want, int home_only);
int iffnet_i_gen_is_home(const gen_t *g, int c);
int iffnet_i_gen_region_country(gen_t *g, int region);
int iffnet_i_gen_dest_country(gen_t *g);
int iffnet_i_gen_transit_country(gen_t *g);

double iffnet_i_gen_unif(gen_t *g, double lo, double hi);
/* Log-uniform in [lo, hi]: every order of magnitude equally likely. */
double iffnet_i_gen_loguni(gen_t *g, double lo, double hi);
/* Members of a structure in [lo, hi] (log-uniform; the hard profile draws the
 * upper part), at most --max-members and what the population allows, never
 * fewer than lo. */
int iffnet_i_gen_members(gen_t *g, int lo, int hi);
/* The same where fewer members make a structure harder to tell from chance
 * (fans, blocks, intermediaries, shells): the hard profile draws the lower
 * part. */
int iffnet_i_gen_members_few(gen_t *g, int lo, int hi);
/* A structure's overall amount in euros: a few thousand to a few million. */
double iffnet_i_gen_magnitude(gen_t *g);
/* The longest span a structure may take (--max-span, else a quarter of the
 * period; at least a day). */
int64_t iffnet_i_gen_max_span(const gen_t *g);
/* Draws how n_events spread in time: periodic (gaps of a day to four weeks)
 * with probability p_periodic (more in the hard profile), else a burst over a
 * span of min_span (at least half a day: a same-day burst) to the longest.
 * Sets st->schedule, span and gap. */
void iffnet_i_gen_draw_schedule(gen_t *g, gen_structure_t *st, int n_events, double p_periodic, int64_t min_span);
/* A time-ordered chain of `hops` over a span of half a day (or two hours a
 * hop) to the longest. */
void iffnet_i_gen_draw_chain(gen_t *g, gen_structure_t *st, int hops);
/* Draws the amount rule among `allowed` (bits of GEN_AMT_*), or takes
 * --amounts when the typology allows it. */
void iffnet_i_gen_draw_amounts(gen_t *g, gen_structure_t *st, unsigned allowed);
/* What a hop passes on after receiving `prev` (independent: drawn around
 * `base` over a 50x range). */
double iffnet_i_gen_pass_on(gen_t *g, const gen_structure_t *st, double prev, double base);
/* Payment i of a fan whose payments average `base`. */
double iffnet_i_gen_share(gen_t *g, const gen_structure_t *st, int i, double base);

/* A start time for a structure spanning *span seconds inside the period
 * (business hours of its first day); shortens *span to fit. */
int64_t iffnet_i_gen_start(gen_t *g, int64_t *span);
/* Keeps a time inside the period. */
int64_t iffnet_i_gen_clamp(const gen_t *g, int64_t t);
int64_t iffnet_i_gen_jitter(gen_t *g, int64_t max);
/* A time on one of the days [t, t + span] in business hours. */
int64_t iffnet_i_gen_when(gen_t *g, int64_t t, int64_t span);
/* Moves a night-time t forward to the next morning (never backwards). */
int64_t iffnet_i_gen_daytime(gen_t *g, int64_t t);
/* Time of event i of a burst or periodic structure that starts at t0. */
int64_t iffnet_i_gen_event(gen_t *g, const gen_structure_t *st, int64_t t0, int i);
/* Times of a chain's n hops from t0 over st->span: strictly increasing, at
 * least an hour apart, in office hours. */
void iffnet_i_gen_chain_times(gen_t *g, const gen_structure_t *st, int64_t t0, int n, int64_t *out);
const char *iffnet_i_gen_pick_ref(gen_t *g, const char *const *refs, int n);

/* ---- background (generate_background.c) ---- */

typedef struct {
    gsl_ran_discrete_t *d;
    int32_t *acc;
    int64_t n;
} sampler_t;

enum { S_PERSON, S_PERSON_FOREIGN, S_SHOP, S_CASHBIZ, S_COMPANY, S_COMPANY_FOREIGN, S_BILLER,
       S_TRADER, S_CRYPTO, S_ANIMAL_BUYER, S_ANIMAL_SELLER, S_ANY, S_COUNT };

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

typedef struct {
    gen_tx_t *v;
    int64_t n, cap;
} txbuf_t;

/* Builds the background roles and the daily budget (after planting, which may
 * have turned accounts into shells, PEPs or foreign ones). */
int iffnet_i_gen_setup_roles(gen_t *g, bg_t *b, int64_t bg_budget);
void iffnet_i_gen_bg_free(bg_t *b);
/* Appends the background transactions of `day` (days since 1970) to t. */
int iffnet_i_gen_day(gen_t *g, bg_t *b, int64_t day, txbuf_t *t);
int iffnet_i_gen_txbuf_push(txbuf_t *t, const gen_tx_t *x);


/* ---- output (generate_write.c) ---- */

/* Writes the six files into dir, each atomically. */
int iffnet_i_gen_write(gen_t *g, bg_t *b, const char *dir);

/* Planting (generate_plant.c). Fills g->st and g->ptx. */
int iffnet_i_gen_plant(gen_t *g);

/* Benign look-alikes (generate_lookalike.c), after planting: appends to g->st
 * and g->ptx within `budget` transactions. */
int iffnet_i_gen_lookalikes(gen_t *g, int64_t budget);

#endif
