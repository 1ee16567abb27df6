/* test_detect_structural.c: each structural typology on small hand-made cases
 * where it must fire, and near-misses where it must not (a payroll, a shop, an
 * intra-group sweep, a fan in a case where new counterparties are routine, a loop
 * that chance explains, a fan-out that small receipts happen to precede, a
 * payroll paying the same employees every month, pairs of pairs in a busy
 * network, a treasury funding subsidiaries), plus the driver.
 *
 * Most cases are rows of one table (cases[] below, run by the loop test
 * `typology`): a background, the planted transactions, and for each run of the
 * detect driver (detectors, settings) what it must find. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "iffnet/iffnet.h"
#include "iffnet/detect.h"
#include "testutil.h"

/* ---- building cases ---- */

/* a + "\n" + b, malloc'd. */
static char *join_lines(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 2);
    ck_assert_ptr_nonnull(s);
    memcpy(s, a, na);
    s[na] = '\n';
    memcpy(s + na + 1, b, nb + 1);
    return s;
}

static int g_txid;

/* One transaction of `amount` EUR on day `day` (counted from 2024-01-01) at `hour`. */
static void tx(FILE *b, int day, int hour, const char *src, const char *dst, const char *amount)
{
    int64_t t = iffnet_days_from_civil(2024, 1, 1) * 86400 + (int64_t)day * 86400 + hour * 3600;
    char ts[32];
    iffnet_time_format(ts, sizeof ts, t, 0);
    fprintf(b, "T%d,%s,%s,%s,%s,EUR\n", ++g_txid, ts, src, dst, amount);
}

/* Transactions written one a line as "DAY HOUR SOURCE TARGET AMOUNT". */
static void planted(FILE *b, const char *lines)
{
    for (const char *p = lines; p && *p; p += strspn(p, " \n")) {
        int day, hour, n = 0;
        char src[16], dst[16], amount[32];
        ck_assert_msg(sscanf(p, "%d %d %15s %15s %31s%n", &day, &hour, src, dst, amount, &n) == 5 && n > 0,
                      "bad planted line '%.40s'", p);
        tx(b, day, hour, src, dst, amount);
        p += n;
    }
}

/* Recurring background: 12 accounts B0..B11 paying a fixed partner every 14 days
 * for a year, so every account has a long history of standing relationships. */
static void background(FILE *b)
{
    char s[16], d[16];
    for (int day = 0; day < 360; day += 14)
        for (int i = 0; i < 12; i++) {
            snprintf(s, sizeof s, "B%d", i); snprintf(d, sizeof d, "B%d", (i + 1) % 12);
            tx(b, day + i % 5, 9, s, d, "250.00");
        }
}

/* A busy network: 60 accounts P0..P59, each paying every other one exactly once
 * over the year (a new counterparty every six days), so once-only payments are
 * everybody's routine (about five per account and window). */
static void busy(FILE *b)
{
    char s[16], d[16];
    for (int j = 0; j < 59; j++)
        for (int i = 0; i < 60; i++) {
            snprintf(s, sizeof s, "P%d", i); snprintf(d, sizeof d, "P%d", (i + 1 + j) % 60);
            tx(b, 6 * j, 8 + i % 10, s, d, "300.00");
        }
}

/* Sparse traffic of new links: 200 accounts Z0..Z199 each pay four others once
 * over the year, partners and days spread by a fixed linear congruential
 * sequence, so new links are ordinary but rarely meet twice. */
static void sparse_new_links(FILE *b)
{
    char s[16], d[16], amt[32];
    uint32_t r = 12345;
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 200; i++) {
            r = r * 1103515245u + 12345u;
            int j = (int)((r >> 8) % 199), day = (int)((r >> 20) % 360);
            snprintf(s, sizeof s, "Z%d", i); snprintf(d, sizeof d, "Z%d", j >= i ? j + 1 : j);
            snprintf(amt, sizeof amt, "%d.00", 100 + (int)((r >> 4) % 4900));
            tx(b, day, 8 + k, s, d, amt);
        }
}

/* A random background: n accounts R0.. each making `per` once-only payments to
 * random others at random times of the year, amounts log-uniform in
 * 100..100,000 EUR (a fixed linear congruential sequence: deterministic). */
static uint64_t g_lcg = 12345;
static double lcg01(void)
{
    g_lcg = g_lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(g_lcg >> 11) / 9007199254740992.0;
}

static void random_background(FILE *b, int n, int per)
{
    char s[16], d[16], amt[32];
    g_lcg = 12345;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < per; k++) {
            int j = (int)(lcg01() * (n - 1));
            if (j >= i) j++;
            double a = 100.0 * pow(1000.0, lcg01());
            snprintf(s, sizeof s, "R%d", i); snprintf(d, sizeof d, "R%d", j);
            snprintf(amt, sizeof amt, "%.2f", a);
            tx(b, (int)(lcg01() * 360), (int)(lcg01() * 24), s, d, amt);
        }
}

/* ---- planted structures too long to write out ---- */

/* An employer paying 25 employees every month, funded by a client. */
static void payroll(FILE *b)
{
    char s[16];
    for (int m = 0; m < 12; m++)
        for (int i = 0; i < 25; i++) { snprintf(s, sizeof s, "EMP%d", i); tx(b, 28 + 30 * m, 8, "EMPLOYER", s, "2450.00"); }
    for (int m = 0; m < 12; m++) tx(b, 20 + 30 * m, 8, "CLIENT", "EMPLOYER", "70000.00");
}

/* A shop: about 8 new customers every week, every week of the year, coming at
 * random (a Poisson number a day, six days a week, at random hours of the
 * opening day), paying `amount` (NULL: 23.50 and 61.20 on alternate days). */
static int poisson_draw(double mu)
{
    double l = exp(-mu), p = 1.0;
    int k = 0;
    for (;;) { p *= lcg01(); if (p <= l) return k; k++; }
}

static void shop_customers(FILE *b, const char *amount)
{
    char s[16];
    int k = 0;
    g_lcg = 777;
    for (int day = 0; day < 360; day++)
        if (day % 7 < 6) for (int j = poisson_draw(1.35); j > 0; j--) {
            snprintf(s, sizeof s, "CUST%d", k++);
            tx(b, day, 9 + (int)(lcg01() * 9), s, "SHOP", amount ? amount : day % 2 ? "23.50" : "61.20");
        }
}

/* ... and pays its supplier monthly. */
static void shop_and_supplier(FILE *b)
{
    shop_customers(b, NULL);
    for (int m = 0; m < 12; m++) tx(b, 15 + 30 * m, 9, "SHOP", "SUPPLIER", "3000.00");
}

static void shop_of_one_price(FILE *b)
{
    shop_customers(b, "61.20");
}

/* EA pays EB monthly (a standing relationship); EB, EC, ED close a loop of
 * once-only payments around it, out of time order. The same with two standing
 * hops: FA -> FB and FB -> FC monthly. */
static void loops_with_standing_hops(FILE *b)
{
    for (int m = 0; m < 12; m++) tx(b, 5 + 30 * m, 9, "EA", "EB", "2000.00");
    planted(b, "100 9 EB EC 2100.00\n"
               " 98 9 EC ED 1900.00\n"
               "103 9 ED EA 2050.00\n");
    for (int m = 0; m < 12; m++) { tx(b, 7 + 30 * m, 9, "FA", "FB", "2000.00"); tx(b, 8 + 30 * m, 9, "FB", "FC", "2000.00"); }
    planted(b, "150 9 FC FD 2100.00\n"
               "140 9 FD FA 2000.00\n");
}

/* Middle account MID gets X's payment every day for two weeks and pays Y1 and Y2. */
static void daily_middle(FILE *b, const char *to_y1, const char *to_y2)
{
    for (int d = 0; d < 14; d++) {
        tx(b, 200 + d, 9, "X", "MID", "900.00");
        tx(b, 200 + d, 15, "MID", "Y1", to_y1);
        tx(b, 200 + d, 16, "MID", "Y2", to_y2);
    }
}

/* P pays Q1 and Q2 every day for two weeks; MID passes almost all of X's money on. */
static void daily_pairs_and_stack(FILE *b)
{
    for (int d = 0; d < 14; d++) {
        tx(b, 100 + d, 9, "P", "Q1", "700.00");
        tx(b, 100 + d, 10, "P", "Q2", "650.00");
    }
    daily_middle(b, "450.00", "430.00");
}

/* MID passes on a fifth of what X pays it. */
static void daily_middle_keeps(FILE *b)
{
    daily_middle(b, "100.00", "80.00");
}

/* Three subsidiaries sweep their balance to the parent every day; a collection
 * account passes all its customer receipts to S1 the next day. */
static void group_sweeps(FILE *b)
{
    char s[16];
    int k = 0;
    for (int d = 0; d < 60; d++) {
        tx(b, 100 + d, 18, "S1", "PARENT", "12000.00");
        tx(b, 100 + d, 18, "S2", "PARENT", "8000.00");
        tx(b, 100 + d, 18, "S3", "PARENT", "9500.00");
    }
    for (int d = 0; d < 60; d++) {
        for (int j = 0; j < 3; j++) { snprintf(s, sizeof s, "C%d", k++); tx(b, 100 + d, 10 + j, s, "COLL", "1500.00"); }
        tx(b, 101 + d, 8, "COLL", "S1", "4500.00");
    }
}

/* Three payers N0..N2 each pay the same three payees R0..R2 once (links new to
 * both sides) within nine days. */
static void new_block(FILE *b)
{
    char s[16], d[16];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            snprintf(s, sizeof s, "N%d", i); snprintf(d, sizeof d, "R%d", j);
            tx(b, 150 + 3 * i + j, 11, s, d, "3000.00");
        }
}

/* Two employers pay the same five employees every month: standing pairs. */
static void two_payrolls(FILE *b)
{
    char d[16];
    for (int m = 0; m < 12; m++)
        for (int e = 0; e < 5; e++) {
            snprintf(d, sizeof d, "EMP%d", e);
            tx(b, 30 * m + 25, 8, "EMPLOYER1", d, "2100.00");
            tx(b, 30 * m + 27, 8, "EMPLOYER2", d, "900.00");
        }
}

static const char group_entities[] =
    "id,kind,name,country,sector\n"
    "GRP,company,Group Holding,NL,holding\n"
    "SUB1,company,Sub One,NL,logistics\n"
    "SUB2,company,Sub Two,BE,logistics\n"
    "SUB3,company,Sub Three,DE,logistics\n";
static const char group_relations[] =
    "source,target,relation\n"
    "GRP,SUB1,owns\nGRP,SUB2,owns\nGRP,SUB3,owns\n"
    "GRP,PARENT,holds_account\nSUB1,S1,holds_account\nSUB2,S2,holds_account\nSUB3,S3,holds_account\n"
    "SUB1,COLL,holds_account\n";
static const char treasury_relations[] =
    "source,target,relation\n"
    "GRP,SUB1,owns\nGRP,SUB2,owns\nGRP,SUB3,owns\n"
    "GRP,PARENT,holds_account\nSUB1,S1,holds_account\nSUB2,S2,holds_account\nSUB3,S3,holds_account\n"
    "GRP,POOL,holds_account\n";

/* The parent funds three subsidiaries, which sweep it into the group's cash pool. */
#define TREASURY_MOVES \
    "200  9 PARENT S1 50000.00\n" \
    "200  9 PARENT S2 40000.00\n" \
    "200  9 PARENT S3 30000.00\n" \
    "201 18 S1 POOL 49000.00\n" \
    "201 18 S2 POOL 39000.00\n" \
    "201 18 S3 POOL 29000.00\n"

/* ---- the table ---- */

enum { RECURRING = 1, SPARSE = 2, BUSY = 4 };   /* backgrounds, written in this order */
enum { EQ = 1, GE, LE };
#define ANY IFFNET_TYP_COUNT                    /* in counts: alerts of every typology */

/* Checks on the first alert of a typology (which must be there). */
typedef struct {
    int set;
    iffnet_typology_t typology;
    int n_accounts, n_tx;           /* 0: not checked */
    const char *accounts[3];        /* it holds these accounts */
    const char *reasons[3];         /* it has reasons containing these */
    const char *not_reason;         /* and none containing this */
    double score_below;             /* 0: not checked; else its score is below */
    int score_in_unit;              /* 1: 0 < score <= 1 */
} first_t;
#define FIRST(t, ...) {.set = 1, .typology = (t), __VA_ARGS__}

/* One run of the detect driver and what it must find. */
typedef struct {
    const char *detectors, *settings;
    struct { iffnet_typology_t typology; int op, n; } counts[3];  /* op 0: unused */
    first_t first[2];
    const char *cycle_with;         /* a cycle alert holding this account ... */
    int cycle_listed;               /* ... is (1) or is not (0) listed */
    const char *note;               /* the first note of the run contains this */
    int all;                        /* 1: keep the alerts ranked low (--all) */
} run_t;
#define RUN(det, set, ...) {.detectors = (det), .settings = (set), __VA_ARGS__}

typedef struct {
    const char *name;
    unsigned background;            /* RECURRING | SPARSE | BUSY */
    void (*plant)(FILE *);          /* generated transactions (after the background), or NULL */
    const char *tx;                 /* then these: "DAY HOUR SOURCE TARGET AMOUNT" a line */
    const char *entities, *relations;
    run_t runs[3];                  /* detectors NULL: unused */
} scase_t;

static const scase_t cases[] = {
    /* ---- fan_in / fan_out ---- */
    {.name = "fan_in_fires", .background = RECURRING,
     .tx = "100 10 B0 ACC9 100.00\n"        /* ACC9 has a history */
           "130 10 ACC9 B1 90.00\n"
           "300 10 B2 ACC9 100.00\n"
           "200 11 S0 ACC9 4025.00\n" "200 11 S1 ACC9 4025.00\n" "201 11 S2 ACC9 4025.00\n"
           "201 11 S3 ACC9 4025.00\n" "202 11 S4 ACC9 4025.00\n" "202 11 S5 ACC9 4025.00\n"
           "203 11 S6 ACC9 4025.00\n" "203 11 S7 ACC9 4025.00\n" "204 11 S8 ACC9 4025.00\n"
           "204 11 S9 ACC9 4025.00\n" "205 11 S10 ACC9 4025.00\n" "205 11 S11 ACC9 4025.00\n"
           "207 12 ACC9 OUT1 23000.00\n"
           "208 12 ACC9 OUT2 23100.00\n",
     .runs = {RUN("fan_in", NULL, .counts = {{IFFNET_TYP_FAN_IN, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_FAN_IN, .n_tx = 12, .accounts = {"ACC9", "S0", "S11"},
                                  .reasons = {"12 senders paid 48,300.00 EUR into ACC9 within 6 days",
                                              "ACC9 sent 46,100.00 EUR on to 2 accounts"},
                                  .score_in_unit = 1)})}},
    /* three new senders within three days where new counterparties are rare */
    {.name = "fan_in_of_three", .background = RECURRING,
     .tx = "200 11 S0 ACC9 4000.00\n" "201 11 S1 ACC9 4000.00\n" "202 11 S2 ACC9 4000.00\n",
     .runs = {RUN("fan_in", NULL, .counts = {{IFFNET_TYP_FAN_IN, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_FAN_IN,
                                  .reasons = {"3 senders paid 12,000.00 EUR into ACC9 within 3 days"})})}},
    /* the same three senders, in a case where everybody meets five new ones a
     * month; it is the case's baseline that absorbs them: without the bound they
     * are alerts, ranked low */
    {.name = "fan_in_ordinary_where_new_counterparties_are_routine", .background = BUSY,
     .tx = "200 11 S0 ACC9 4000.00\n" "201 11 S1 ACC9 4000.00\n" "202 11 S2 ACC9 4000.00\n",
     .runs = {RUN("fan_in", NULL, .counts = {{IFFNET_TYP_FAN_IN, EQ, 0}}),
              RUN("fan_in", "fan_in.chance_alerts=1000000000", .counts = {{IFFNET_TYP_FAN_IN, GE, 1}}, .all = 1),
              RUN("fan_in", "fan_in.chance_alerts=1000000000", .counts = {{IFFNET_TYP_FAN_IN, EQ, 0}})}},
    /* 2 new senders: below fan_in.min_counterparties (3); 6 new senders to ACC8
     * at random over the year, its whole activity: a steady stream over its
     * life, its routine (ranked low, listed with --all) */
    {.name = "fan_in_too_few_or_too_spread", .background = RECURRING,
     .tx = "200 11 S0 ACC9 4000.00\n" "201 11 S1 ACC9 4000.00\n"
           "5 11 R0 ACC8 4000.00\n" "40 11 R1 ACC8 4000.00\n" "150 11 R2 ACC8 4000.00\n"
           "170 11 R3 ACC8 4000.00\n" "290 11 R4 ACC8 4000.00\n" "355 11 R5 ACC8 4000.00\n",
     .runs = {RUN("fan_in", NULL, .counts = {{IFFNET_TYP_FAN_IN, EQ, 0}}),
              RUN("fan_in", NULL, .counts = {{IFFNET_TYP_FAN_IN, EQ, 1}}, .all = 1,
                  .first = {FIRST(IFFNET_TYP_FAN_IN, .accounts = {"ACC8", "R5"}, .reasons = {"ranked low: a steady stream"})})}},
    /* 15 new senders to ACC7, one every 16 days, its whole activity: a stream
     * on a schedule is organised, not a routine of customers (who come at
     * random): judged by chance, a fan */
    {.name = "fan_in_on_a_schedule", .background = RECURRING,
     .tx = "30 11 R0 ACC7 900.00\n" "46 11 R1 ACC7 900.00\n" "62 11 R2 ACC7 900.00\n" "78 11 R3 ACC7 900.00\n"
           "94 11 R4 ACC7 900.00\n" "110 11 R5 ACC7 900.00\n" "126 11 R6 ACC7 900.00\n" "142 11 R7 ACC7 900.00\n"
           "158 11 R8 ACC7 900.00\n" "174 11 R9 ACC7 900.00\n" "190 11 R10 ACC7 900.00\n" "206 11 R11 ACC7 900.00\n"
           "222 11 R12 ACC7 900.00\n" "238 11 R13 ACC7 900.00\n" "254 11 R14 ACC7 900.00\n",
     .runs = {RUN("fan_in", NULL, .counts = {{IFFNET_TYP_FAN_IN, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_FAN_IN, .accounts = {"ACC7", "R14"}, .not_reason = "ranked low")})}},
    /* the same six new senders within a week, on an account that did nothing else
     * of the kind over a year: a fan, at any scale the run has */
    {.name = "fan_in_found_at_its_own_scale", .background = RECURRING,
     .tx = "5 11 B0 ACC8 100.00\n" "355 11 ACC8 B1 100.00\n"
           "200 11 R0 ACC8 4000.00\n" "201 11 R1 ACC8 4000.00\n" "203 11 R2 ACC8 4000.00\n"
           "204 11 R3 ACC8 4000.00\n" "206 11 R4 ACC8 4000.00\n" "207 11 R5 ACC8 4000.00\n",
     .runs = {RUN("fan_in", NULL, .counts = {{IFFNET_TYP_FAN_IN, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_FAN_IN, .n_tx = 6, .reasons = {"6 senders paid 24,000.00 EUR into ACC8 within 8 days"})})}},
    {.name = "payroll_is_not_fan_out", .background = RECURRING, .plant = payroll,
     .runs = {RUN("fan_out,fan_in,gather_scatter,scatter_gather,bipartite,stack,mule,layering", NULL,
                  .counts = {{ANY, EQ, 0}})}},
    /* the shop's customers at random: at most the year's most extreme chance
     * run is listed (under the listing convention chance leaves one with
     * probability 1 - 1/e), no burst */
    {.name = "shop_is_not_fan_in", .background = RECURRING, .plant = shop_and_supplier,
     .runs = {RUN("fan_in", NULL, .counts = {{IFFNET_TYP_FAN_IN, LE, 1}})}},
    {.name = "fan_out_fires", .background = RECURRING,
     .tx = "50 10 B3 SRC 60000.00\n"
           "52 11 SRC R0 8000.00\n" "53 11 SRC R1 8000.00\n" "54 11 SRC R2 8000.00\n" "55 11 SRC R3 8000.00\n"
           "56 11 SRC R4 8000.00\n" "57 11 SRC R5 8000.00\n" "58 11 SRC R6 8000.00\n",
     .runs = {RUN("fan_out", NULL, .counts = {{IFFNET_TYP_FAN_OUT, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_FAN_OUT,
                                  .reasons = {"SRC paid 56,000.00 EUR to 7 receivers within 7 days"})})}},

    /* ---- cycle ---- */
    /* a hop limit below the cycle's length hides it */
    {.name = "cycle_fires", .background = RECURRING,
     .tx = "100 9 CA CB 10000.00\n" "102 9 CB CC 9800.00\n" "104 9 CC CD 9600.00\n" "107 9 CD CA 9400.00\n",
     .runs = {RUN("cycle", NULL, .counts = {{IFFNET_TYP_CYCLE, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_CYCLE, .n_accounts = 4,
                                  .reasons = {"after 4 time-ordered hops in 8 days: CA -> CB -> CC -> CD -> CA"})}),
              RUN("cycle", "cycle.max_hops=3", .counts = {{IFFNET_TYP_CYCLE, EQ, 0}})}},
    /* CC pays CD before the money reached CC. The loop out of time order is
     * reported as such (below a time-ordered cycle of the same shape); loops out
     * of order can be switched off, and are not searched where chance would form
     * as many (here: a stricter bound) */
    {.name = "cycle_not_time_respecting", .background = RECURRING,
     .tx = "100 9 CA CB 10000.00\n" "102 9 CB CC 9800.00\n" " 99 9 CC CD 9600.00\n" "107 9 CD CA 9400.00\n",
     .runs = {RUN("cycle", NULL, .counts = {{IFFNET_TYP_CYCLE, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_CYCLE, .n_accounts = 4, .accounts = {"CA", "CD"},
                                  .reasons = {"payments went round 4 accounts and back to CC within 9 days: "
                                              "CC -> CD -> CA -> CB -> CC",
                                              "not in time order: CA paid CB before CD paid it",
                                              "such loops of 4 hops by chance"},
                                  .not_reason = "time-ordered")}),
              RUN("cycle", "cycle.unordered=0", .counts = {{IFFNET_TYP_CYCLE, EQ, 0}}),
              RUN("cycle", "cycle.chance_alerts=0.000001", .counts = {{IFFNET_TYP_CYCLE, EQ, 0}})}},
    /* a time-ordered cycle over six weeks: where once-only links are sparse the
     * window is the case's span, and the cycle is priced by its own span; a
     * window set shorter than the cycle hides it */
    {.name = "cycle_over_weeks", .background = RECURRING,
     .tx = "200 9 DA DB 10000.00\n" "215 9 DB DC 9800.00\n" "240 9 DC DA 9600.00\n",
     .runs = {RUN("cycle", NULL, .counts = {{IFFNET_TYP_CYCLE, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_CYCLE, .reasons = {"after 3 time-ordered hops in 41 days"})}),
              RUN("cycle", "cycle.window=30d;cycle.loop_window=30d", .counts = {{IFFNET_TYP_CYCLE, EQ, 0}})}},
    /* the loop of cycle_not_time_respecting, in a case dense with once-only links:
     * random loops of every length are common there, so it is no evidence */
    {.name = "loop_explained_by_chance", .background = BUSY,
     .tx = "100 9 CA CB 10000.00\n" "102 9 CB CC 9800.00\n" " 99 9 CC CD 9600.00\n" "107 9 CD CA 9400.00\n",
     .runs = {RUN("cycle", "cycle.max_hops=4", .cycle_with = "CA", .cycle_listed = 0),
              RUN("cycle", "cycle.max_hops=4;cycle.chance_alerts=1000000000", .cycle_with = "CA",
                  .cycle_listed = 1, .all = 1)}},
    /* one standing hop is allowed by default; no standing hop allowed: none */
    {.name = "loop_with_standing_hops", .background = RECURRING, .plant = loops_with_standing_hops,
     .runs = {RUN("cycle", NULL, .counts = {{IFFNET_TYP_CYCLE, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_CYCLE, .n_accounts = 4, .accounts = {"EA", "ED"},
                                  .reasons = {"not in time order"})}),
              RUN("cycle", "cycle.max_recurring_hops=0", .counts = {{IFFNET_TYP_CYCLE, EQ, 0}})}},
    {.name = "cycle_bound_is_noted", .background = RECURRING,
     .tx = "100 9 CA CB 10000.00\n" "102 9 CB CC 9800.00\n" "104 9 CC CA 9600.00\n",
     .runs = {RUN("cycle", "cycle.max_steps=3", .note = "cycle.max_steps")}},

    /* ---- scatter_gather / gather_scatter ---- */
    /* with de-duplication off, the fan-out is reported too */
    {.name = "scatter_gather_fires_and_absorbs_fan_out", .background = RECURRING,
     .tx = "60 9 SRC M0 5000.00\n" "60 10 SRC M1 5000.00\n" "60 11 SRC M2 5000.00\n" "60 12 SRC M3 5000.00\n"
           "62 9 M0 SINK 4800.00\n" "63 9 M1 SINK 4800.00\n" "64 9 M2 SINK 4800.00\n" "65 9 M3 SINK 4800.00\n",
     .runs = {RUN("scatter_gather,fan_out,fan_in", NULL,
                  .counts = {{IFFNET_TYP_SCATTER_GATHER, EQ, 1},
                             {IFFNET_TYP_FAN_OUT, EQ, 0},   /* part of the scatter-gather */
                             {IFFNET_TYP_FAN_IN, EQ, 0}},
                  .first = {FIRST(IFFNET_TYP_SCATTER_GATHER, .n_accounts = 6, .n_tx = 8,
                                  .reasons = {"SRC paid 20,000.00 EUR to 4 intermediaries that paid "
                                              "19,200.00 EUR on to SINK"})}),
              RUN("scatter_gather,fan_out", "detect.dedupe_overlap=0", .counts = {{IFFNET_TYP_FAN_OUT, EQ, 1}})}},
    /* the intermediaries keep most of it: they pay SINK a tenth. This case's
     * amounts are not carried on hop to hop (its background pays one amount
     * over and over), so what passes on says nothing and the shape decides;
     * where amounts are carried on, the share is asked (set here) */
    {.name = "scatter_gather_needs_pass_through", .background = RECURRING,
     .tx = "60 9 SRC M0 5000.00\n" "60 10 SRC M1 5000.00\n" "60 11 SRC M2 5000.00\n" "60 12 SRC M3 5000.00\n"
           "62 9 M0 SINK 500.00\n" "63 9 M1 SINK 500.00\n" "64 9 M2 SINK 500.00\n" "65 9 M3 SINK 500.00\n",
     .runs = {RUN("scatter_gather", NULL, .counts = {{IFFNET_TYP_SCATTER_GATHER, EQ, 1}}),
              RUN("scatter_gather", "scatter_gather.min_pass_ratio=0.5", .counts = {{ANY, EQ, 0}})}},
    {.name = "gather_scatter_fires", .background = RECURRING,
     .tx = "10 9 B4 HUB 100.00\n"
           "80 9 IN0 HUB 3000.00\n" "81 9 IN1 HUB 3000.00\n" "82 9 IN2 HUB 3000.00\n" "83 9 IN3 HUB 3000.00\n"
           "86 9 HUB OUT0 2900.00\n" "87 9 HUB OUT1 2900.00\n" "88 9 HUB OUT2 2900.00\n" "89 9 HUB OUT3 2900.00\n",
     .runs = {RUN("gather_scatter,fan_in,fan_out", NULL,
                  .counts = {{IFFNET_TYP_GATHER_SCATTER, EQ, 1}, {ANY, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_GATHER_SCATTER, .reasons = {"4 senders paid 12,000.00 EUR into HUB"})})}},
    /* two senders gather 9,000 EUR, three receivers get 8,400 EUR of it; near
     * miss: FOUT pays five receivers 30,000 EUR; two small receipts before it paid
     * for 1% of that: a fan-out, not a gather-scatter. Without the share test both
     * ways, FOUT would pass for a gather-scatter (the share is asked where
     * amounts are carried on hop to hop; this case's are not, so it is set
     * here: without it FOUT is one too) */
    {.name = "gather_scatter_two_senders", .background = RECURRING,
     .tx = "10 9 B4 HUB 100.00\n"
           "80 9 IN0 HUB 5000.00\n" "81 9 IN1 HUB 4000.00\n"
           "84 9 HUB OUT0 2800.00\n" "85 9 HUB OUT1 2800.00\n" "86 9 HUB OUT2 2800.00\n"
           "150 9 SM0 FOUT 150.00\n" "151 9 SM1 FOUT 120.00\n"
           "153 9 FOUT R0 6000.00\n" "154 9 FOUT R1 6000.00\n" "155 9 FOUT R2 6000.00\n"
           "156 9 FOUT R3 6000.00\n" "157 9 FOUT R4 6000.00\n",
     .runs = {RUN("gather_scatter,fan_out", "gather_scatter.min_pass_ratio=0.3",
                  .counts = {{IFFNET_TYP_GATHER_SCATTER, EQ, 1}, {IFFNET_TYP_FAN_OUT, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_GATHER_SCATTER, .n_accounts = 6, .accounts = {"HUB"},
                                  .reasons = {"2 senders paid 9,000.00 EUR into HUB within 2 days; "
                                              "HUB sent 8,400.00 EUR on to 3 accounts"}),
                            FIRST(IFFNET_TYP_FAN_OUT, .accounts = {"FOUT"})}),
              RUN("gather_scatter", NULL, .counts = {{IFFNET_TYP_GATHER_SCATTER, EQ, 2}})}},
    /* a shop's new customers every week, and one week it pays three new suppliers
     * a third of its takings; its own routine is what clears it */
    {.name = "shop_is_not_gather_scatter", .background = RECURRING, .plant = shop_of_one_price,
     .tx = "200 9 SHOP SUP0 3000.00\n" "201 9 SHOP SUP1 3000.00\n" "202 9 SHOP SUP2 3000.00\n",
     .runs = {RUN("gather_scatter", NULL, .counts = {{ANY, EQ, 0}}),
              RUN("gather_scatter", "gather_scatter.routine_median=1000",
                  .counts = {{IFFNET_TYP_GATHER_SCATTER, EQ, 1}}, .all = 1,
                  .first = {FIRST(IFFNET_TYP_GATHER_SCATTER, .reasons = {"ranked low: SHOP"})})}},

    /* ---- bipartite / stack ---- */
    {.name = "bipartite_and_stack", .background = RECURRING, .plant = daily_pairs_and_stack,
     .runs = {RUN("bipartite,stack", NULL,
                  .counts = {{IFFNET_TYP_BIPARTITE, EQ, 1}, {IFFNET_TYP_STACK, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_BIPARTITE, .n_accounts = 3, .accounts = {"P", "Q2"}),
                            FIRST(IFFNET_TYP_STACK, .n_accounts = 4, .accounts = {"MID"},
                                  .reasons = {"1 middle account received 12,600.00 EUR"})})}},
    {.name = "middle_that_keeps_the_money_is_no_stack", .background = RECURRING, .plant = daily_middle_keeps,
     .runs = {RUN("bipartite,stack", NULL,
                  .counts = {{IFFNET_TYP_STACK, EQ, 0}, {IFFNET_TYP_BIPARTITE, EQ, 1}})}},
    {.name = "intra_group_sweep", .background = RECURRING, .plant = group_sweeps,
     .entities = group_entities, .relations = group_relations,
     .runs = {RUN("bipartite,stack,mule,layering,fan_out", NULL, .counts = {{ANY, EQ, 0}})}},

    /* ---- blocks of new links ---- */
    {.name = "new_link_bipartite_fires", .background = RECURRING | SPARSE, .plant = new_block,
     .runs = {RUN("bipartite,stack", NULL,
                  .counts = {{IFFNET_TYP_BIPARTITE, EQ, 1}, {IFFNET_TYP_STACK, EQ, 0}},
                  .first = {FIRST(IFFNET_TYP_BIPARTITE, .n_accounts = 6, .n_tx = 9, .accounts = {"N2", "R0"},
                                  .reasons = {"3 payers paid 3 payees 9 times over links new to both sides",
                                              "9 times two of the payers paid the same two payees within 30 days"})})}},
    /* the same payers and payees months apart: no block within a window */
    {.name = "new_link_bipartite_months_apart", .background = RECURRING | SPARSE,
     .tx = "150 11 N0 R0 3000.00\n" "151 11 N0 R1 3000.00\n"
           "250 11 N1 R0 3000.00\n" "251 11 N1 R1 3000.00\n"
           "350 11 N2 R0 3000.00\n" "351 11 N2 R1 3000.00\n",
     .runs = {RUN("bipartite,stack", NULL, .counts = {{ANY, EQ, 0}})}},
    /* each payee passes on most of its 9,000.00 to two new accounts */
    {.name = "new_link_stack_fires", .background = RECURRING | SPARSE, .plant = new_block,
     .tx = "160 9 R0 O0 4300.00\n" "160 10 R0 O1 4300.00\n"
           "161 9 R1 O2 4300.00\n" "161 10 R1 O3 4300.00\n"
           "162 9 R2 O4 4300.00\n" "162 10 R2 O5 4300.00\n",
     .runs = {RUN("bipartite,stack,fan_out", NULL,
                  .counts = {{IFFNET_TYP_STACK, EQ, 1}, {IFFNET_TYP_BIPARTITE, EQ, 0}},
                  .first = {FIRST(IFFNET_TYP_STACK, .n_accounts = 12, .n_tx = 15,
                                  .reasons = {"3 payees passed on 25,800.00 EUR of the 27,000.00 EUR they "
                                              "received in the block (96%)"})})}},
    /* the payees pass on a tenth */
    {.name = "payees_that_keep_the_money_are_no_stack", .background = RECURRING | SPARSE, .plant = new_block,
     .tx = "160 9 R0 O0 900.00\n" "161 9 R1 O1 900.00\n" "162 9 R2 O2 900.00\n",
     .runs = {RUN("bipartite,stack", NULL,
                  .counts = {{IFFNET_TYP_STACK, EQ, 0}, {IFFNET_TYP_BIPARTITE, EQ, 1}})}},
    {.name = "payroll_is_not_a_new_block", .background = RECURRING | SPARSE, .plant = two_payrolls,
     .runs = {RUN("structural", NULL, .counts = {{IFFNET_TYP_BIPARTITE, EQ, 0}, {IFFNET_TYP_STACK, EQ, 0}})}},
    /* everybody pays everybody once: pairs of pairs abound and explain nothing */
    {.name = "chance_blocks_in_a_busy_network", .background = BUSY,
     .runs = {RUN("bipartite,stack", NULL, .counts = {{ANY, EQ, 0}})}},
    {.name = "scatter_gather_of_three_tested_at_both_ends", .background = RECURRING | SPARSE,
     .tx = "200 9 SRC M0 5000.00\n" "200 10 SRC M1 5000.00\n" "200 11 SRC M2 5000.00\n"
           "202 9 M0 SINK 4800.00\n" "203 9 M1 SINK 4800.00\n" "204 9 M2 SINK 4800.00\n",
     .runs = {RUN("scatter_gather,fan_out,fan_in", NULL,
                  .counts = {{IFFNET_TYP_SCATTER_GATHER, EQ, 1}, {IFFNET_TYP_FAN_OUT, EQ, 0},
                             {IFFNET_TYP_FAN_IN, LE, 1}})}},   /* the sparse background's fans: E 0.25 */
    {.name = "treasury_is_not_scatter_gather", .background = RECURRING | SPARSE, .tx = TREASURY_MOVES,
     .entities = group_entities, .relations = treasury_relations,
     .runs = {RUN("scatter_gather,bipartite,stack", NULL, .counts = {{ANY, EQ, 0}})}},
    /* the same moves between unrelated accounts: a scatter-gather */
    {.name = "treasury_moves_between_unrelated_accounts", .background = RECURRING | SPARSE, .tx = TREASURY_MOVES,
     .runs = {RUN("scatter_gather,bipartite,stack", NULL, .counts = {{IFFNET_TYP_SCATTER_GATHER, EQ, 1}})}},

    /* ---- layering / mule ---- */
    /* K0..K3 decays fast: where amounts are carried on hop to hop (retention
     * asked, set here) not the same money; this case's amounts are not carried
     * on (its background pays one amount over and over), so both are chains */
    {.name = "layering_chain", .background = RECURRING,
     .tx = "100 9 L0 L1 10000.00\n" "101 9 L1 L2 9800.00\n" "102 9 L2 L3 9650.00\n" "103 9 L3 L4 9500.00\n"
           "150 9 K0 K1 10000.00\n" "151 9 K1 K2 6000.00\n" "152 9 K2 K3 3000.00\n",
     .runs = {RUN("layering", "layering.min_retention=0.9", .counts = {{IFFNET_TYP_LAYERING, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_LAYERING, .n_accounts = 5,
                                  .reasons = {"forwarded along 4 hops to L4 within 4 days"})}),
              RUN("layering", NULL, .counts = {{IFFNET_TYP_LAYERING, EQ, 2}})}},
    /* below the amount floor (the reporting threshold), no mule */
    {.name = "mule_account", .background = RECURRING | SPARSE,
     .tx = "100 9 V0 MULE 3000.00\n" "100 20 MULE W0 2850.00\n"
           "103 9 V1 MULE 3000.00\n" "103 20 MULE W1 2850.00\n"
           "106 9 V2 MULE 3000.00\n" "106 20 MULE W0 2850.00\n"
           "109 9 V3 MULE 3000.00\n" "109 20 MULE W1 2850.00\n"
           "112 9 V4 MULE 3000.00\n" "112 20 MULE W0 2850.00\n",
     .runs = {RUN("mule", NULL, .counts = {{IFFNET_TYP_MULE, EQ, 1}},
                  .first = {FIRST(IFFNET_TYP_MULE, .accounts = {"MULE"})}),
              RUN("mule", "mule.min_amount=20000", .counts = {{ANY, EQ, 0}})}},

    /* ---- driver ---- */
    {.name = "background_alone_is_quiet", .background = RECURRING,
     .runs = {RUN("structural", NULL, .counts = {{ANY, EQ, 0}})}},
};
#define N_CASES ((int)(sizeof cases / sizeof cases[0]))

static void build(iffnet_case_t *c, unsigned background_kind, void (*plant)(FILE *), const char *lines,
                  const char *entities, const char *relations)
{
    char *text = NULL;
    size_t len = 0;
    FILE *b = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(b);
    g_txid = 0;
    fputs("tx_id,timestamp,source,target,amount,currency\n", b);
    if (background_kind & RECURRING) background(b);
    if (background_kind & SPARSE) sparse_new_links(b);
    if (background_kind & BUSY) busy(b);
    if (plant) plant(b);
    planted(b, lines);
    ck_assert_int_eq(fclose(b), 0);
    tu_case_from_csv(c, text, entities, relations);
    free(text);
}

static const char *typology_name(iffnet_typology_t t)
{
    return t == ANY ? "any" : iffnet_typology_name(t);
}

static void check_first(const char *name, int r, iffnet_case_t *c, const iffnet_alert_list_t *l, const first_t *f)
{
    const char *typ = typology_name(f->typology);
    const iffnet_alert_t *a = tu_first_of(l, f->typology);
    ck_assert_msg(a != NULL, "%s run %d: no %s alert", name, r, typ);
    if (f->n_accounts)
        ck_assert_msg(a->n_accounts == f->n_accounts, "%s run %d: %s alert of %lld accounts, want %d", name, r, typ,
                      (long long)a->n_accounts, f->n_accounts);
    if (f->n_tx)
        ck_assert_msg(a->n_tx == f->n_tx, "%s run %d: %s alert of %lld transactions, want %d", name, r, typ,
                      (long long)a->n_tx, f->n_tx);
    for (int k = 0; k < 3 && f->accounts[k]; k++)
        ck_assert_msg(tu_has_account(c, a, f->accounts[k]), "%s run %d: %s alert without %s", name, r, typ,
                      f->accounts[k]);
    for (int k = 0; k < 3 && f->reasons[k]; k++)
        ck_assert_msg(tu_has_reason(a, f->reasons[k]), "%s run %d: no %s reason '%s' (first: '%s')", name, r, typ,
                      f->reasons[k], a->n_reasons ? a->reasons[0] : "");
    if (f->not_reason)
        ck_assert_msg(!tu_has_reason(a, f->not_reason), "%s run %d: %s reason with '%s'", name, r, typ, f->not_reason);
    if (f->score_below)
        ck_assert_msg(a->score < f->score_below, "%s run %d: %s score %g, want below %g", name, r, typ, a->score,
                      f->score_below);
    if (f->score_in_unit)
        ck_assert_msg(a->score > 0 && a->score <= 1, "%s run %d: %s score %g", name, r, typ, a->score);
}

static void check_run(const char *name, int r, iffnet_case_t *c, const run_t *x)
{
    iffnet_alert_list_t l;
    iffnet_detect_notes_t notes;
    iffnet_detect_notes_init(&notes);
    if (x->all) tu_detect_all(c, x->detectors, x->settings, x->note ? &notes : NULL, &l);
    else tu_detect(c, x->detectors, x->settings, x->note ? &notes : NULL, &l);
    for (int k = 0; k < 3 && x->counts[k].op; k++) {
        iffnet_typology_t t = x->counts[k].typology;
        int n = t == ANY ? (int)l.n : tu_count_typology(&l, t), want = x->counts[k].n, op = x->counts[k].op;
        ck_assert_msg(op == EQ ? n == want : op == GE ? n >= want : n <= want, "%s run %d: %d %s alerts, want %s %d",
                      name, r, n, typology_name(t), op == EQ ? "==" : op == GE ? ">=" : "<=", want);
    }
    for (int k = 0; k < 2 && x->first[k].set; k++) check_first(name, r, c, &l, &x->first[k]);
    if (x->cycle_with) {
        tu_account(c, x->cycle_with);   /* the account is in the case, listed or not */
        int64_t i = tu_alert_with(c, &l, IFFNET_TYP_CYCLE, x->cycle_with);
        ck_assert_msg((i >= 0) == x->cycle_listed, "%s run %d: a cycle through %s is %s", name, r, x->cycle_with,
                      i >= 0 ? "listed" : "not listed");
    }
    if (x->note) {
        ck_assert_msg(notes.n >= 1, "%s run %d: no note", name, r);
        ck_assert_msg(strstr(notes.lines[0], x->note) != NULL, "%s run %d: note '%s' lacks '%s'", name, r,
                      notes.lines[0], x->note);
    }
    iffnet_detect_notes_destroy(&notes);
    iffnet_alert_list_destroy(&l);
}

START_TEST(typology)
{
    const scase_t *k = &cases[_i];
    iffnet_case_t c;
    build(&c, k->background, k->plant, k->tx, k->entities, k->relations);
    for (int r = 0; r < 3 && k->runs[r].detectors; r++) check_run(k->name, r, &c, &k->runs[r]);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- cases whose checks do not fit the table ---- */

/* 200 accounts, 30 random payments each: dozens of time-ordered 3- and 4-cycles
 * form by chance, spread over weeks, amounts unrelated. */
static void random_200x30(FILE *b)
{
    random_background(b, 200, 30);
}

START_TEST(chance_cycles_in_random_background)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    /* a planted round trip: three hops in two days, 3% kept back at each */
    build(&c, 0, random_200x30, "200 9 CA CB 25000.00\n"
                                "201 9 CB CC 24250.00\n"
                                "202 9 CC CA 23520.00\n", NULL, NULL);
    tu_detect(&c, "cycle", "cycle.max_hops=4", NULL, &l);
    int64_t i = tu_alert_with(&c, &l, IFFNET_TYP_CYCLE, "CA");
    ck_assert_int_ge(i, 0);
    ck_assert(tu_has_reason(&l.items[i], "as short in time and as even in amounts"));
    int listed = tu_count_typology(&l, IFFNET_TYP_CYCLE);
    /* chance leaves about one (chance_alerts) of each kind: 3 or 4 hops, with
     * or without a standing hop (measured: the planted one and 3) */
    ck_assert_int_le(listed, 5);
    iffnet_alert_list_destroy(&l);
    /* every cycle the search finds, ranked: the planted one first */
    tu_detect_all(&c, "cycle", "cycle.max_hops=4;cycle.list_all=1", NULL, &l);
    ck_assert_int_ge(tu_count_typology(&l, IFFNET_TYP_CYCLE), listed + 20);
    i = tu_alert_with(&c, &l, IFFNET_TYP_CYCLE, "CA");
    ck_assert_int_ge(i, 0);
    for (int64_t k = 0; k < l.n; k++)
        if (k != i && l.items[k].typology == IFFNET_TYP_CYCLE) ck_assert(l.items[k].score <= l.items[i].score);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* H receives from a new payer every eight days all year (its routine, four a
 * window: below routine_median, so only the ranking tells it from a fan); F
 * receives from twelve new payers within four days (a burst); F is active all
 * year: its median is small. */
static void stream_and_burst(FILE *b)
{
    char s[16];
    random_background(b, 200, 3);
    /* H: 45 new payers over the year, at random days (a stream, not a schedule) */
    for (int k = 0; k < 45; k++) { snprintf(s, sizeof s, "R%d", k); tx(b, (int)(lcg01() * 360), 10, s, "H", "400.00"); }
    for (int k = 0; k < 12; k++) { snprintf(s, sizeof s, "R%d", 100 + k); tx(b, 150 + k / 3, 10, s, "F", "900.00"); }
}

START_TEST(steady_stream_of_payers_ranked_low)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    build(&c, 0, stream_and_burst, "10 10 F R150 50.00\n"
                                   "350 10 F R151 50.00\n", NULL, NULL);
    tu_detect_all(&c, "fan_in", NULL, NULL, &l);
    const iffnet_alert_t *h = NULL, *f = NULL;
    for (int64_t k = 0; k < l.n; k++) {
        if (tu_has_account(&c, &l.items[k], "H") && l.items[k].n_accounts > 20) h = &l.items[k];
        if (tu_has_account(&c, &l.items[k], "F") && l.items[k].n_accounts >= 12) f = &l.items[k];
    }
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(f);
    ck_assert(tu_has_reason(h, "ranked low"));
    ck_assert(h->ranked_low && h->expected >= 1);
    ck_assert(!tu_has_reason(f, "ranked low"));
    ck_assert(!f->ranked_low && f->expected < 1);
    ck_assert(h->score < f->score);
    iffnet_alert_list_destroy(&l);
    /* the analyst's list: the burst, not the stream */
    tu_detect(&c, "fan_in", NULL, NULL, &l);
    ck_assert_int_ge(tu_alert_with(&c, &l, IFFNET_TYP_FAN_IN, "F"), 0);
    for (int64_t k = 0; k < l.n; k++) ck_assert(!l.items[k].ranked_low);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST


/* ---- the case profile, the run record and derived settings ---- */

/* The value a run used for setting key (from its run record), or NULL. */
static const iffnet_run_item_t *used(const iffnet_alert_list_t *l, const char *key)
{
    ck_assert_ptr_nonnull(l->run);
    for (int64_t i = 0; i < l->run->n_settings; i++)
        if (strcmp(l->run->settings[i].key, key) == 0) return &l->run->settings[i];
    return NULL;
}

/* Chains of forwarding: 60 accounts each pass on what they received from the
 * one before, less 1%, an hour later; the chains' amounts spread over three
 * orders of magnitude, so an amount carried on is closer to its payment in
 * than a random amount of the case is. */
static void forwarding(FILE *b)
{
    char s[16], d[16], amt[32];
    for (int chain = 0; chain < 20; chain++) {
        double a = 100.0 * pow(1000.0, (double)chain / 19.0);
        for (int k = 0; k < 4; k++) {
            snprintf(s, sizeof s, "F%d_%d", chain, k); snprintf(d, sizeof d, "F%d_%d", chain, k + 1);
            snprintf(amt, sizeof amt, "%.2f", a);
            tx(b, 10 + chain * 15, 8 + k, s, d, amt);
            a *= 0.99;
        }
    }
}

START_TEST(profile_of_known_cases)
{
    iffnet_case_t c;
    iffnet_detect_profile_t p;
    /* twelve accounts paying a fixed partner 250.00 every 14 days */
    build(&c, RECURRING, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(iffnet_detect_profile(&c, &p), IFFNET_OK);
    ck_assert_int_eq(p.n_tx, 12 * 26);
    ck_assert_int_eq(p.n_pairs, 12);
    ck_assert_int_eq(p.n_active, 12);
    ck_assert(p.once_pairs == 0 && p.recurring_pairs == 1.0 && p.periodic_pairs == 1.0);
    ck_assert(p.tx_per_pair.p50 == 26 && p.pair_gap_days.p50 == 14);
    ck_assert(p.amount.p10 == 250 && p.amount.p90 == 250 && p.amount_spread == 0);
    ck_assert(p.span_days > 350 && p.span_days < 356);
    ck_assert(iffnet_detect_linkage(&p) == 0); /* one amount everywhere: nothing carried on */
    iffnet_case_destroy(&c);
    /* amounts carried on hop to hop */
    build(&c, 0, forwarding, NULL, NULL, NULL);
    ck_assert_int_eq(iffnet_detect_profile(&c, &p), IFFNET_OK);
    ck_assert_msg(p.linkage > 0.8 && p.linkage_z > 3, "linkage %g z %g", p.linkage, p.linkage_z);
    ck_assert(iffnet_detect_linkage(&p) > 0.8);
    ck_assert(p.hop_ratio.p90 < 0.01);                 /* each hop keeps 99% */
    ck_assert(p.hop_delay_days.p50 < 0.05);            /* an hour */
    iffnet_case_destroy(&c);
    /* amounts drawn independently */
    build(&c, 0, random_200x30, NULL, NULL, NULL);
    ck_assert_int_eq(iffnet_detect_profile(&c, &p), IFFNET_OK);
    ck_assert_msg(fabs(p.linkage) < 0.1, "linkage %g", p.linkage);
    ck_assert(p.once_pairs > 0.9);
    ck_assert_int_eq(p.n_active, 200);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(settings_derived_from_the_case)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    const iffnet_run_item_t *it;
    build(&c, RECURRING, NULL, "200 9 DA DB 10000.00\n" "215 9 DB DC 9800.00\n" "240 9 DC DA 9600.00\n", NULL, NULL);
    tu_detect(&c, "structural", NULL, NULL, &l);
    /* sparse once-only links: the time-ordered window is the case's span */
    ck_assert_ptr_nonnull(it = used(&l, "cycle.window"));
    ck_assert_str_eq(it->value, "355d");
    ck_assert(strncmp(it->how, "derived: ", 9) == 0);
    /* no amount limit; pass-through and retention asked nowhere: one amount everywhere */
    ck_assert_str_eq(used(&l, "cycle.max_amount_ratio")->value, "0");
    ck_assert_str_eq(used(&l, "scatter_gather.min_pass_ratio")->value, "0");
    ck_assert_str_eq(used(&l, "layering.min_retention")->value, "0");
    /* dense pairs: two of the case's 14-day gaps; 12 repeating pairs at a
     * typical rhythm reach 5 in 28 days less than once (12 P(X >= 5) < 1, X ~ Poisson(2)) */
    ck_assert_str_eq(used(&l, "bipartite.window")->value, "28d");
    ck_assert_str_eq(used(&l, "bipartite.min_pair_tx")->value, "5");
    /* budgets are said to be budgets, defaults defaults */
    ck_assert_str_eq(used(&l, "cycle.max_steps")->how, "budget");
    ck_assert(strncmp(used(&l, "fan_in.min_counterparties")->how, "default", 7) == 0);
    ck_assert_int_ge(tu_alert_with(&c, &l, IFFNET_TYP_CYCLE, "DA"), 0);
    iffnet_alert_list_destroy(&l);
    /* a value set wins, and says so */
    tu_detect(&c, "cycle", "cycle.window=30d", NULL, &l);
    ck_assert_str_eq(used(&l, "cycle.window")->value, "30d");
    ck_assert_str_eq(used(&l, "cycle.window")->how, "set");
    ck_assert_int_eq(tu_count_typology(&l, IFFNET_TYP_CYCLE), 0); /* 41 days do not fit in 30 */
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
    /* once-only links everywhere: the window shrinks until the search's chance
     * cycles and paths fit its budgets */
    build(&c, BUSY, NULL, NULL, NULL, NULL);
    tu_detect(&c, "cycle", "cycle.max_cycles=1000;cycle.max_steps=200000", NULL, &l);
    int64_t days = atoi(used(&l, "cycle.window")->value);
    ck_assert_msg(days >= 1 && days < 100, "cycle.window %s", used(&l, "cycle.window")->value);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(run_record_round_trip)
{
    iffnet_case_t c;
    iffnet_alert_list_t l, back;
    build(&c, RECURRING, NULL, "100 9 CA CB 10000.00\n" "102 9 CB CC 9800.00\n" "104 9 CC CD 9600.00\n"
                               "107 9 CD CA 9400.00\n", NULL, NULL);
    tu_detect(&c, "structural", "cycle.max_steps=1000000", NULL, &l);
    ck_assert_int_ge(l.n, 1);
    ck_assert_ptr_nonnull(l.run);
    ck_assert_int_eq(l.run->n_alerts, l.n);
    ck_assert_int_gt(l.run->n_profile, 40);
    ck_assert_int_ge(iffnet_run_record_budget(l.run, "test: a budget %d", 1), IFFNET_OK);
    ck_assert_int_ge(iffnet_run_record_note(l.run, "test: a note"), IFFNET_OK);
    const char *path = tu_path("a.jsonl");
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(iffnet_alert_write_jsonl(&l, &c, fp), IFFNET_OK);
    ck_assert_int_eq(fclose(fp), 0);
    ck_assert_int_eq(iffnet_alert_read_jsonl(path, &c, &back), IFFNET_OK);
    ck_assert_ptr_nonnull(back.run);
    ck_assert_str_eq(back.run->version, iffnet_version());
    ck_assert_int_eq(back.run->n_settings, l.run->n_settings);
    ck_assert_int_eq(back.run->n_profile, l.run->n_profile);
    for (int64_t i = 0; i < l.run->n_settings; i++) {
        ck_assert_str_eq(back.run->settings[i].key, l.run->settings[i].key);
        ck_assert_str_eq(back.run->settings[i].value, l.run->settings[i].value);
        ck_assert_str_eq(back.run->settings[i].how, l.run->settings[i].how);
    }
    ck_assert_int_eq(back.run->n_budgets, 1);
    ck_assert_str_eq(back.run->budgets[0], "test: a budget 1");
    ck_assert_str_eq(back.run->notes[back.run->n_notes - 1], "test: a note");
    ck_assert_int_eq(back.n, l.n);
    for (int64_t i = 0; i < l.n; i++) {
        ck_assert_str_eq(back.items[i].id, l.items[i].id);
        ck_assert(fabs(back.items[i].expected - l.items[i].expected) <= 0.005 * l.items[i].expected + 1e-300); /* 3 digits */
        ck_assert_int_eq(back.items[i].ranked_low, l.items[i].ranked_low);
    }
    iffnet_alert_list_destroy(&back);
    /* evaluate reads the same file, run record and all */
    iffnet_truth_t t;
    ck_assert_int_eq(iffnet_truth_read(&t, tu_write("key.csv",
        "structure_id,typology,accounts,transactions\nS1,cycle,CA;CB;CC;CD,\n"), NULL), IFFNET_OK);
    ck_assert_int_eq(iffnet_eval_read_alerts(&t, path, &c, &back), IFFNET_OK);
    ck_assert_int_eq(back.n, l.n);
    iffnet_eval_result_t r;
    ck_assert_int_eq(iffnet_eval_score(&t, &back, c.n_accounts, &r), IFFNET_OK);
    ck_assert_int_eq(r.by_typology[IFFNET_TYP_CYCLE].typed_found, 1);
    iffnet_alert_list_destroy(&back);
    iffnet_truth_destroy(&t);
    /* a run record must come first; another kind of record is skipped */
    char *text = tu_read_file(path, NULL);
    char *nl = strchr(text, '\n');
    ck_assert_ptr_nonnull(nl);
    *nl = '\0';
    char *moved = join_lines(nl + 1, text);
    CHECK_ERROR(iffnet_alert_read_jsonl(tu_write("late.jsonl", moved), &c, &back), IFFNET_EDATA,
                "a run record must be the first line of the file");
    iffnet_alert_list_destroy(&back);
    ck_assert_int_eq(iffnet_alert_read_jsonl(tu_write("other.jsonl", "{\"record\":\"later-kind\",\"x\":1}\n"), &c, &back),
                     IFFNET_OK);
    ck_assert_int_eq(back.n, 0);
    ck_assert_ptr_null(back.run);
    iffnet_alert_list_destroy(&back);
    free(moved); free(text);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* Two loops over the same four accounts with no pair in common: one structure,
 * one alert. */
START_TEST(alerts_on_one_structure_are_merged)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    build(&c, RECURRING, NULL, "100 9 QA QB 10000.00\n" "101 9 QB QC 9800.00\n" "102 9 QC QD 9600.00\n" "103 9 QD QA 9400.00\n"
                               "110 9 QB QA 5000.00\n" "111 9 QA QD 4900.00\n" "112 9 QD QC 4800.00\n" "113 9 QC QB 4700.00\n",
          NULL, NULL);
    tu_detect(&c, "cycle", NULL, NULL, &l);
    ck_assert_int_eq(tu_count_typology(&l, IFFNET_TYP_CYCLE), 1);
    const iffnet_alert_t *a = tu_first_of(&l, IFFNET_TYP_CYCLE);
    ck_assert_int_eq(a->n_accounts, 4);
    ck_assert_int_eq(a->n_tx, 8);
    ck_assert(tu_has_reason(a, "merged with 1 other cycle alert"));
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* Three cycles, each sharing two accounts with the next: the tightest one
 * absorbs the second, the third shares nothing with it and stays apart (a
 * chain of overlaps is not one structure). */
START_TEST(a_chain_of_overlaps_is_not_merged)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    build(&c, RECURRING, NULL,
          "100 9 P1 P2 10000.00\n" "100 10 P2 P3 9990.00\n" "100 11 P3 P4 9980.00\n" "100 12 P4 P1 9970.00\n"
          "150 9 P3 P5 8000.00\n" "151 9 P5 P4 7000.00\n" "152 9 P4 P6 6500.00\n" "153 9 P6 P3 6000.00\n"
          "200 9 P5 P7 5000.00\n" "202 9 P7 P6 4000.00\n" "204 9 P6 P8 3500.00\n" "206 9 P8 P5 3000.00\n",
          NULL, NULL);
    tu_detect_all(&c, "cycle", NULL, NULL, &l);
    int64_t n = 0, both_ends = 0;
    for (int64_t i = 0; i < l.n; i++) {
        if (l.items[i].typology != IFFNET_TYP_CYCLE) continue;
        n += tu_has_account(&c, &l.items[i], "P5");
        both_ends += tu_has_account(&c, &l.items[i], "P1") && tu_has_account(&c, &l.items[i], "P8");
    }
    /* two structures (the first with the second, and the third; the hops they
     * share close smaller cycles of their own), none from P1 to P8 */
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(both_ends, 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* Two accounts paying each other every minute: the searches stay within their
 * budgets and say so. */
static void ping_pong(FILE *b)
{
    for (int i = 0; i < 4000; i++) {
        int64_t t = iffnet_days_from_civil(2024, 1, 1) * 86400 + 60 * (int64_t)i;
        char ts[32];
        iffnet_time_format(ts, sizeof ts, t, 0);
        fprintf(b, "T%d,%s,%s,%s,%d.00,EUR\n", ++g_txid, ts, i % 2 ? "PB" : "PA", i % 2 ? "PA" : "PB", 1000 - i % 7);
    }
}

START_TEST(pathological_inputs_report_their_budgets)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    iffnet_detect_notes_t notes;
    build(&c, 0, ping_pong, NULL, NULL, NULL);
    iffnet_detect_notes_init(&notes);
    tu_detect_all(&c, "layering,cycle", "layering.max_steps_per_start=50;layering.max_lookback=10;cycle.max_steps=5000",
                  &notes, &l);
    ck_assert_ptr_nonnull(l.run);
    int layering = 0, cycle = 0;
    for (int64_t i = 0; i < l.run->n_budgets; i++) {
        layering += strstr(l.run->budgets[i], "layering.max_steps_per_start") != NULL;
        cycle += strstr(l.run->budgets[i], "cycle.max_steps") != NULL;
    }
    ck_assert(layering && cycle);
    /* and the caller's notes hear of them too */
    int said = 0;
    for (int64_t i = 0; i < notes.n; i++) said += strncmp(notes.lines[i], "budget: ", 8) == 0;
    ck_assert_int_eq(said, l.run->n_budgets);
    iffnet_alert_list_destroy(&l);
    iffnet_detect_notes_destroy(&notes);
    iffnet_case_destroy(&c);
}
END_TEST

/* CASH, everyone's cash counterparty, is no party to a structure: twenty
 * people who bank cash on one day and withdraw it a day later look like a
 * fan-out and a fan-in of CASH, and like a block of twenty pairs, and are
 * none of them. The same shape between a real account and twenty others is a
 * fan. */
START_TEST(cash_is_no_party_to_a_structure)
{
    char *text = NULL;
    size_t len = 0;
    FILE *b = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(b);
    fputs("tx_id,timestamp,source,target,amount,currency,channel\n", b);
    for (int i = 0; i < 20; i++) {
        fprintf(b, "C%d,2024-03-01T%02d:00:00Z,CASH,P%02d,%d.00,EUR,cash_deposit\n", i, i, i, 9000 + 37 * i);
        fprintf(b, "W%d,2024-03-02T%02d:00:00Z,P%02d,CASH,%d.00,EUR,cash_withdrawal\n", i, i, i, 8900 + 37 * i);
        fprintf(b, "F%d,2024-05-01T%02d:00:00Z,Q%02d,HUB,%d.00,EUR,wire\n", i, i, i, 9000 + 37 * i);
    }
    ck_assert_int_eq(fclose(b), 0);
    iffnet_case_t c;
    iffnet_alert_list_t l;
    tu_case_from_csv(&c, text, NULL, NULL);
    free(text);
    tu_detect_all(&c, "structural", NULL, NULL, &l);
    int64_t cash = iffnet_case_cash_account(&c);
    ck_assert_int_ge(cash, 0);
    for (int64_t i = 0; i < l.n; i++)
        for (int64_t k = 0; k < l.items[i].n_accounts; k++)
            ck_assert_msg(l.items[i].accounts[k] != cash, "alert %lld (%s) holds CASH", (long long)i,
                          iffnet_typology_name(l.items[i].typology));
    ck_assert_int_ge(tu_count_with(&c, &l, IFFNET_TYP_FAN_IN, "HUB"), 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(select_and_config_errors)
{
    iffnet_detect_opts_t o;
    iffnet_detect_opts_default(&o);
    ck_assert_int_eq(iffnet_detect_select(&o, "fan_in, cycle"), IFFNET_OK);
    ck_assert(o.selected[IFFNET_TYP_FAN_IN] && o.selected[IFFNET_TYP_CYCLE] && !o.selected[IFFNET_TYP_STACK]);
    ck_assert_int_eq(iffnet_detect_select(&o, "FAN-OUT"), IFFNET_OK);
    ck_assert(o.selected[IFFNET_TYP_FAN_OUT] && !o.selected[IFFNET_TYP_FAN_IN]);
    CHECK_ERROR(iffnet_detect_select(&o, "fan_in,nonsense"), IFFNET_EINVAL, "nonsense");
    ck_assert_int_eq(iffnet_detect_select(&o, "fan_in,,cycle"), IFFNET_EINVAL);
    ck_assert_int_eq(iffnet_detect_select(&o, "structural"), IFFNET_OK);
    ck_assert(o.selected[IFFNET_TYP_MULE] && o.selected[IFFNET_TYP_BIPARTITE]);
    ck_assert(iffnet_detect_available(IFFNET_TYP_CYCLE));

    /* a bad threshold value fails the run with the key in the message */
    iffnet_case_t c;
    iffnet_alert_list_t l;
    build(&c, RECURRING, NULL, NULL, NULL, NULL);
    CHECK_ERROR(tu_detect_try(&c, "cycle", "cycle.max_hops=1", NULL, &l), IFFNET_EDATA, "cycle.max_hops");
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("detect_structural");
    TCase *t = tcase_create("typologies");
    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, typology, 0, N_CASES);
    tcase_add_test(t, chance_cycles_in_random_background);
    tcase_add_test(t, steady_stream_of_payers_ranked_low);
    tcase_add_test(t, select_and_config_errors);
    tcase_add_test(t, profile_of_known_cases);
    tcase_add_test(t, settings_derived_from_the_case);
    tcase_add_test(t, run_record_round_trip);
    tcase_add_test(t, alerts_on_one_structure_are_merged);
    tcase_add_test(t, a_chain_of_overlaps_is_not_merged);
    tcase_add_test(t, pathological_inputs_report_their_budgets);
    tcase_add_test(t, cash_is_no_party_to_a_structure);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    iffnet_init_libraries(1);
    return tu_run_suite(suite());
}
