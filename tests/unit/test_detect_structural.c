/* test_detect_structural.c: each structural typology on small hand-made cases
 * where it must fire, and near-misses where it must not (a payroll, a shop, an
 * intra-group sweep, a fan in a case where new counterparties are routine, a loop
 * that chance explains, a fan-out that small receipts happen to precede, a
 * payroll paying the same employees every month, pairs of pairs in a busy
 * network, a treasury funding subsidiaries), plus the driver. */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "iffnet/iffnet.h"
#include "iffnet/detect.h"

/* A growing CSV text. */
typedef struct { char *s; size_t n, cap; } buf_t;

static void addf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    char line[512];
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (b->n + (size_t)k + 1 > b->cap) {
        b->cap = (b->n + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    memcpy(b->s + b->n, line, (size_t)k + 1);
    b->n += (size_t)k;
}

static int g_txid;

static void tx(buf_t *b, int day, int hour, const char *src, const char *dst, const char *amount)
{
    if (b->n == 0) addf(b, "tx_id,timestamp,source,target,amount,currency\n");
    /* days count from 2024-01-01; up to 365 */
    int64_t t = iffnet_days_from_civil(2024, 1, 1) * 86400 + (int64_t)day * 86400 + hour * 3600;
    char ts[32];
    iffnet_time_format(ts, sizeof ts, t, 0);
    addf(b, "T%d,%s,%s,%s,%s,EUR\n", ++g_txid, ts, src, dst, amount);
}

/* Recurring background: 12 accounts B0..B11 paying a fixed partner every 14 days
 * for a year, so every account has a long history of standing relationships. */
static void background(buf_t *b)
{
    char s[16], d[16];
    for (int day = 0; day < 360; day += 14)
        for (int i = 0; i < 12; i++) {
            snprintf(s, sizeof s, "B%d", i); snprintf(d, sizeof d, "B%d", (i + 1) % 12);
            tx(b, day + i % 5, 9, s, d, "250.00");
        }
}

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/iffnet-test-detect.XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

/* A busy network: 60 accounts P0..P59, each paying every other one exactly once
 * over the year (a new counterparty every six days), so once-only payments are
 * everybody's routine (about five per account and window). */
static void busy(buf_t *b)
{
    char s[16], d[16];
    for (int j = 0; j < 59; j++)
        for (int i = 0; i < 60; i++) {
            snprintf(s, sizeof s, "P%d", i); snprintf(d, sizeof d, "P%d", (i + 1 + j) % 60);
            tx(b, 6 * j, 8 + i % 10, s, d, "300.00");
        }
}

/* Ingests the tx (and optional entities / relations) text into c. */
static void load(iffnet_case_t *c, buf_t *txt, const char *entities, const char *relations)
{
    char *tp = write_tmp(txt->s), *ep = entities ? write_tmp(entities) : NULL, *rp = relations ? write_tmp(relations) : NULL;
    iffnet_ingest_opts_t o;
    iffnet_ingest_report_t rep;
    memset(&rep, 0, sizeof rep);
    iffnet_ingest_opts_default(&o);
    int err = iffnet_ingest(c, tp, ep, rp, NULL, &o, &rep);
    if (err) fprintf(stderr, "ingest: %s\n", iffnet_errmsg());
    ck_assert_int_eq(err, IFFNET_OK);
    iffnet_ingest_report_destroy(&rep);
    unlink(tp); free(tp);
    if (ep) { unlink(ep); free(ep); }
    if (rp) { unlink(rp); free(rp); }
    free(txt->s);
    memset(txt, 0, sizeof *txt);
}

/* Runs the detectors of `list` on c with optional settings ("key=value", several
 * joined by ';'); returns the alerts. */
static void run(iffnet_case_t *c, const char *list, const char *set, iffnet_alert_list_t *out)
{
    iffnet_config_t cfg;
    iffnet_detect_opts_t o;
    iffnet_detect_ctx_t ctx;
    igraph_t g;
    iffnet_config_init(&cfg);
    for (const char *p = set; p && *p; ) {
        char one[256];
        size_t n = strcspn(p, ";");
        ck_assert_uint_lt(n, sizeof one);
        memcpy(one, p, n); one[n] = 0;
        ck_assert_int_eq(iffnet_config_set(&cfg, one, "test"), IFFNET_OK);
        p += n + (p[n] == ';');
    }
    iffnet_detect_opts_default(&o);
    ck_assert_int_eq(iffnet_detect_select(&o, list), IFFNET_OK);
    ck_assert_int_eq(iffnet_case_graph(c, &g), IFFNET_OK);
    ck_assert_int_eq(iffnet_detect_ctx_init(&ctx, c, &g, &cfg, &o, NULL), IFFNET_OK);
    iffnet_alert_list_init(out);
    int err = iffnet_detect_run(&ctx, &o, out);
    if (err) fprintf(stderr, "detect: %s\n", iffnet_errmsg());
    ck_assert_int_eq(err, IFFNET_OK);
    igraph_destroy(&g);
    iffnet_config_destroy(&cfg);
}

static int count(const iffnet_alert_list_t *l, iffnet_typology_t t)
{
    int n = 0;
    for (int64_t i = 0; i < l->n; i++) n += l->items[i].typology == t;
    return n;
}

static const iffnet_alert_t *first_of(const iffnet_alert_list_t *l, iffnet_typology_t t)
{
    for (int64_t i = 0; i < l->n; i++) if (l->items[i].typology == t) return &l->items[i];
    return NULL;
}

static int has_account(const iffnet_case_t *c, const iffnet_alert_t *a, const char *id)
{
    for (int64_t i = 0; i < a->n_accounts; i++)
        if (strcmp(iffnet_case_account_id(c, a->accounts[i]), id) == 0) return 1;
    return 0;
}

static int reason_has(const iffnet_alert_t *a, const char *needle)
{
    for (int64_t i = 0; i < a->n_reasons; i++) if (strstr(a->reasons[i], needle)) return 1;
    return 0;
}

/* ---- fan_in / fan_out ---- */

START_TEST(fan_in_fires)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    background(&b);
    tx(&b, 100, 10, "B0", "ACC9", "100.00"); /* ACC9 has a history */
    tx(&b, 130, 10, "ACC9", "B1", "90.00");
    tx(&b, 300, 10, "B2", "ACC9", "100.00");
    for (int i = 0; i < 12; i++) { snprintf(s, sizeof s, "S%d", i); tx(&b, 200 + i / 2, 11, s, "ACC9", "4025.00"); }
    tx(&b, 207, 12, "ACC9", "OUT1", "23000.00");
    tx(&b, 208, 12, "ACC9", "OUT2", "23100.00");
    load(&c, &b, NULL, NULL);
    run(&c, "fan_in", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_IN), 1);
    const iffnet_alert_t *a = first_of(&l, IFFNET_TYP_FAN_IN);
    ck_assert(has_account(&c, a, "ACC9") && has_account(&c, a, "S0") && has_account(&c, a, "S11"));
    ck_assert_int_eq(a->n_tx, 12);
    ck_assert(reason_has(a, "12 senders paid 48,300.00 EUR into ACC9 within 6 days"));
    ck_assert(reason_has(a, "ACC9 sent 46,100.00 EUR on to 2 accounts"));
    ck_assert(a->score > 0 && a->score <= 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(fan_in_of_three)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    background(&b);
    /* three new senders within three days where new counterparties are rare */
    for (int i = 0; i < 3; i++) { snprintf(s, sizeof s, "S%d", i); tx(&b, 200 + i, 11, s, "ACC9", "4000.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "fan_in", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_IN), 1);
    ck_assert(reason_has(first_of(&l, IFFNET_TYP_FAN_IN), "3 senders paid 12,000.00 EUR into ACC9 within 3 days"));
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(fan_in_ordinary_where_new_counterparties_are_routine)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    busy(&b);
    /* the same three senders, in a case where everybody meets five new ones a month */
    for (int i = 0; i < 3; i++) { snprintf(s, sizeof s, "S%d", i); tx(&b, 200 + i, 11, s, "ACC9", "4000.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "fan_in", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_IN), 0);
    iffnet_alert_list_destroy(&l);
    /* it is the case's baseline that absorbs them: without the bound they fire */
    run(&c, "fan_in", "fan_in.chance_alerts=1000000000", &l);
    ck_assert_int_ge(count(&l, IFFNET_TYP_FAN_IN), 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(fan_in_too_few_or_too_spread)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    background(&b);
    /* 2 new senders: below fan_in.min_counterparties (3) */
    for (int i = 0; i < 2; i++) { snprintf(s, sizeof s, "S%d", i); tx(&b, 200 + i, 11, s, "ACC9", "4000.00"); }
    /* 6 new senders to ACC8, but 70 days apart: more than two windows between them */
    for (int i = 0; i < 6; i++) { snprintf(s, sizeof s, "R%d", i); tx(&b, 5 + 70 * i, 11, s, "ACC8", "4000.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "fan_in", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_IN), 0);
    iffnet_alert_list_destroy(&l);
    /* with a longer gap allowed, the spread-out fan is found */
    run(&c, "fan_in", "fan_in.max_gap=75d", &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_IN), 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(payroll_is_not_fan_out)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    background(&b);
    for (int m = 0; m < 12; m++)
        for (int i = 0; i < 25; i++) { snprintf(s, sizeof s, "EMP%d", i); tx(&b, 28 + 30 * m, 8, "EMPLOYER", s, "2450.00"); }
    for (int m = 0; m < 12; m++) tx(&b, 20 + 30 * m, 8, "CLIENT", "EMPLOYER", "70000.00");
    load(&c, &b, NULL, NULL);
    run(&c, "fan_out,fan_in,gather_scatter,scatter_gather,bipartite,stack,mule,layering", NULL, &l);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(shop_is_not_fan_in)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    int k = 0;
    background(&b);
    /* a shop: about 8 new customers every week, every week of the year */
    for (int day = 0; day < 360; day++)
        if (day % 7 < 6) for (int j = 0; j < (day % 3 == 0 ? 2 : 1); j++) {
            snprintf(s, sizeof s, "CUST%d", k++);
            tx(&b, day, 12, s, "SHOP", day % 2 ? "23.50" : "61.20");
        }
    for (int m = 0; m < 12; m++) tx(&b, 15 + 30 * m, 9, "SHOP", "SUPPLIER", "3000.00");
    load(&c, &b, NULL, NULL);
    run(&c, "fan_in", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_IN), 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(fan_out_fires)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    background(&b);
    tx(&b, 50, 10, "B3", "SRC", "60000.00");
    for (int i = 0; i < 7; i++) { snprintf(s, sizeof s, "R%d", i); tx(&b, 52 + i, 11, "SRC", s, "8000.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "fan_out", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_OUT), 1);
    ck_assert(reason_has(first_of(&l, IFFNET_TYP_FAN_OUT), "SRC paid 56,000.00 EUR to 7 receivers within 7 days"));
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- cycle ---- */

START_TEST(cycle_fires)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    background(&b);
    tx(&b, 100, 9, "CA", "CB", "10000.00");
    tx(&b, 102, 9, "CB", "CC", "9800.00");
    tx(&b, 104, 9, "CC", "CD", "9600.00");
    tx(&b, 107, 9, "CD", "CA", "9400.00");
    load(&c, &b, NULL, NULL);
    run(&c, "cycle", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_CYCLE), 1);
    const iffnet_alert_t *a = first_of(&l, IFFNET_TYP_CYCLE);
    ck_assert_int_eq(a->n_accounts, 4);
    ck_assert(reason_has(a, "after 4 time-ordered hops in 8 days: CA -> CB -> CC -> CD -> CA"));
    iffnet_alert_list_destroy(&l);
    /* a hop limit below the cycle's length hides it */
    run(&c, "cycle", "cycle.max_hops=3", &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_CYCLE), 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(cycle_not_time_respecting)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    background(&b);
    tx(&b, 100, 9, "CA", "CB", "10000.00");
    tx(&b, 102, 9, "CB", "CC", "9800.00");
    tx(&b, 99, 9, "CC", "CD", "9600.00");  /* before the money reached CC */
    tx(&b, 107, 9, "CD", "CA", "9400.00");
    /* and a time-ordered one that takes longer than the window */
    tx(&b, 200, 9, "DA", "DB", "10000.00");
    tx(&b, 215, 9, "DB", "DC", "9800.00");
    tx(&b, 240, 9, "DC", "DA", "9600.00");
    load(&c, &b, NULL, NULL);
    /* the loop out of time order is reported as such, the long cycle not at all */
    run(&c, "cycle", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_CYCLE), 1);
    const iffnet_alert_t *a = first_of(&l, IFFNET_TYP_CYCLE);
    ck_assert(has_account(&c, a, "CA") && has_account(&c, a, "CD") && a->n_accounts == 4);
    ck_assert(reason_has(a, "payments went round 4 accounts and back to CC within 9 days: CC -> CD -> CA -> CB -> CC"));
    ck_assert(reason_has(a, "not in time order: CA paid CB before CD paid it"));
    ck_assert(reason_has(a, "such loops of 4 hops by chance"));
    ck_assert(!reason_has(a, "time-ordered"));
    ck_assert(a->score < 0.75); /* below a time-ordered cycle of the same shape */
    iffnet_alert_list_destroy(&l);
    /* loops out of order can be switched off */
    run(&c, "cycle", "cycle.unordered=0", &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_CYCLE), 0);
    iffnet_alert_list_destroy(&l);
    /* and are not searched where chance would form as many (here: a stricter bound) */
    run(&c, "cycle", "cycle.chance_alerts=0.000001", &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_CYCLE), 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* Index of the first cycle alert holding account id, or -1. */
static int64_t cycle_with(const iffnet_case_t *c, const iffnet_alert_list_t *l, const char *id)
{
    for (int64_t i = 0; i < l->n; i++)
        if (l->items[i].typology == IFFNET_TYP_CYCLE && has_account(c, &l->items[i], id)) return i;
    return -1;
}

START_TEST(loop_explained_by_chance)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    busy(&b);
    /* the loop of cycle_not_time_respecting, in a case dense with once-only links:
     * random loops of every length are common there, so it is no evidence */
    tx(&b, 100, 9, "CA", "CB", "10000.00");
    tx(&b, 102, 9, "CB", "CC", "9800.00");
    tx(&b, 99, 9, "CC", "CD", "9600.00");
    tx(&b, 107, 9, "CD", "CA", "9400.00");
    load(&c, &b, NULL, NULL);
    run(&c, "cycle", "cycle.max_hops=4", &l);
    ck_assert_int_eq(cycle_with(&c, &l, "CA"), -1);
    iffnet_alert_list_destroy(&l);
    run(&c, "cycle", "cycle.max_hops=4;cycle.chance_alerts=1000000000", &l);
    ck_assert_int_ge(cycle_with(&c, &l, "CA"), 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* A random background: n accounts R0.. each making `per` once-only payments to
 * random others at random times of the year, amounts log-uniform in
 * 100..100,000 EUR (a fixed linear congruential sequence: deterministic). */
static uint64_t g_lcg = 12345;
static double lcg01(void)
{
    g_lcg = g_lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(g_lcg >> 11) / 9007199254740992.0;
}

static void random_background(buf_t *b, int n, int per)
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

START_TEST(chance_cycles_in_random_background)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    /* 200 accounts, 30 random payments each: dozens of time-ordered 3- and
     * 4-cycles form by chance, spread over weeks, amounts unrelated */
    random_background(&b, 200, 30);
    /* a planted round trip: three hops in two days, 3% kept back at each */
    tx(&b, 200, 9, "CA", "CB", "25000.00");
    tx(&b, 201, 9, "CB", "CC", "24250.00");
    tx(&b, 202, 9, "CC", "CA", "23520.00");
    load(&c, &b, NULL, NULL);
    run(&c, "cycle", "cycle.max_hops=4", &l);
    int64_t i = cycle_with(&c, &l, "CA");
    ck_assert_int_ge(i, 0);
    ck_assert(reason_has(&l.items[i], "as short in time and as even in amounts"));
    int listed = count(&l, IFFNET_TYP_CYCLE);
    /* chance leaves about one (chance_alerts) of each kind: 3 or 4 hops, with
     * or without a standing hop (measured: the planted one and 3) */
    ck_assert_int_le(listed, 5);
    iffnet_alert_list_destroy(&l);
    /* every cycle the search finds, ranked: the planted one first */
    run(&c, "cycle", "cycle.max_hops=4;cycle.list_all=1", &l);
    ck_assert_int_ge(count(&l, IFFNET_TYP_CYCLE), listed + 20);
    i = cycle_with(&c, &l, "CA");
    ck_assert_int_ge(i, 0);
    for (int64_t k = 0; k < l.n; k++)
        if (k != i && l.items[k].typology == IFFNET_TYP_CYCLE) ck_assert(l.items[k].score <= l.items[i].score);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(steady_stream_of_payers_ranked_low)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    random_background(&b, 200, 3);
    /* H receives from a new payer every eight days all year (its routine, four
     * a window: below routine_median, so only the ranking tells it from a fan);
     * F receives from twelve new payers within four days (a burst) */
    for (int k = 0; k < 45; k++) { snprintf(s, sizeof s, "R%d", k); tx(&b, 8 * k, 10, s, "H", "400.00"); }
    for (int k = 0; k < 12; k++) { snprintf(s, sizeof s, "R%d", 100 + k); tx(&b, 150 + k / 3, 10, s, "F", "900.00"); }
    tx(&b, 10, 10, "F", "R150", "50.00"); /* F is active all year: its median is small */
    tx(&b, 350, 10, "F", "R151", "50.00");
    load(&c, &b, NULL, NULL);
    run(&c, "fan_in", NULL, &l);
    const iffnet_alert_t *h = NULL, *f = NULL;
    for (int64_t k = 0; k < l.n; k++) {
        if (has_account(&c, &l.items[k], "H") && l.items[k].n_accounts > 20) h = &l.items[k];
        if (has_account(&c, &l.items[k], "F") && l.items[k].n_accounts >= 12) f = &l.items[k];
    }
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(f);
    ck_assert(reason_has(h, "ranked low"));
    ck_assert(!reason_has(f, "ranked low"));
    ck_assert(h->score < f->score);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(loop_with_standing_hops)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    background(&b);
    /* EA pays EB monthly (a standing relationship); EB, EC, ED close a loop of
     * once-only payments around it, out of time order */
    for (int m = 0; m < 12; m++) tx(&b, 5 + 30 * m, 9, "EA", "EB", "2000.00");
    tx(&b, 100, 9, "EB", "EC", "2100.00");
    tx(&b, 98, 9, "EC", "ED", "1900.00");
    tx(&b, 103, 9, "ED", "EA", "2050.00");
    /* the same with two standing hops: FA -> FB and FB -> FC monthly */
    for (int m = 0; m < 12; m++) { tx(&b, 7 + 30 * m, 9, "FA", "FB", "2000.00"); tx(&b, 8 + 30 * m, 9, "FB", "FC", "2000.00"); }
    tx(&b, 150, 9, "FC", "FD", "2100.00");
    tx(&b, 140, 9, "FD", "FA", "2000.00");
    load(&c, &b, NULL, NULL);
    run(&c, "cycle", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_CYCLE), 1);
    const iffnet_alert_t *a = first_of(&l, IFFNET_TYP_CYCLE);
    ck_assert(has_account(&c, a, "EA") && has_account(&c, a, "ED") && a->n_accounts == 4);
    ck_assert(reason_has(a, "not in time order"));
    iffnet_alert_list_destroy(&l);
    /* no standing hop allowed: none */
    run(&c, "cycle", "cycle.max_recurring_hops=0", &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_CYCLE), 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(cycle_bound_is_noted)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_config_t cfg;
    iffnet_detect_opts_t o;
    iffnet_detect_ctx_t ctx;
    iffnet_detect_notes_t notes;
    iffnet_alert_list_t l;
    igraph_t g;
    background(&b);
    tx(&b, 100, 9, "CA", "CB", "10000.00");
    tx(&b, 102, 9, "CB", "CC", "9800.00");
    tx(&b, 104, 9, "CC", "CA", "9600.00");
    load(&c, &b, NULL, NULL);
    iffnet_config_init(&cfg);
    iffnet_config_set(&cfg, "cycle.max_steps=3", "test");
    iffnet_detect_opts_default(&o);
    iffnet_detect_select(&o, "cycle");
    iffnet_detect_notes_init(&notes);
    iffnet_alert_list_init(&l);
    ck_assert_int_eq(iffnet_case_graph(&c, &g), IFFNET_OK);
    ck_assert_int_eq(iffnet_detect_ctx_init(&ctx, &c, &g, &cfg, &o, &notes), IFFNET_OK);
    ck_assert_int_eq(iffnet_detect_run(&ctx, &o, &l), IFFNET_OK);
    ck_assert_int_ge(notes.n, 1);
    ck_assert_ptr_nonnull(strstr(notes.lines[0], "cycle.max_steps"));
    iffnet_detect_notes_destroy(&notes);
    iffnet_alert_list_destroy(&l);
    igraph_destroy(&g);
    iffnet_config_destroy(&cfg);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- scatter_gather / gather_scatter ---- */

START_TEST(scatter_gather_fires_and_absorbs_fan_out)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char m[16];
    background(&b);
    for (int i = 0; i < 4; i++) { snprintf(m, sizeof m, "M%d", i); tx(&b, 60, 9 + i, "SRC", m, "5000.00"); }
    for (int i = 0; i < 4; i++) { snprintf(m, sizeof m, "M%d", i); tx(&b, 62 + i, 9, m, "SINK", "4800.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "scatter_gather,fan_out,fan_in", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_SCATTER_GATHER), 1);
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_OUT), 0); /* part of the scatter-gather */
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_IN), 0);
    const iffnet_alert_t *a = first_of(&l, IFFNET_TYP_SCATTER_GATHER);
    ck_assert_int_eq(a->n_accounts, 6);
    ck_assert_int_eq(a->n_tx, 8);
    ck_assert(reason_has(a, "SRC paid 20,000.00 EUR to 4 intermediaries that paid 19,200.00 EUR on to SINK"));
    iffnet_alert_list_destroy(&l);
    /* with de-duplication off, the fan-out is reported too */
    run(&c, "scatter_gather,fan_out", "detect.dedupe_overlap=0", &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_OUT), 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(scatter_gather_needs_pass_through)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char m[16];
    background(&b);
    /* the intermediaries keep most of it: they pay SINK a tenth */
    for (int i = 0; i < 4; i++) { snprintf(m, sizeof m, "M%d", i); tx(&b, 60, 9 + i, "SRC", m, "5000.00"); }
    for (int i = 0; i < 4; i++) { snprintf(m, sizeof m, "M%d", i); tx(&b, 62 + i, 9, m, "SINK", "500.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "scatter_gather", NULL, &l);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(gather_scatter_fires)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    background(&b);
    tx(&b, 10, 9, "B4", "HUB", "100.00");
    for (int i = 0; i < 4; i++) { snprintf(s, sizeof s, "IN%d", i); tx(&b, 80 + i, 9, s, "HUB", "3000.00"); }
    for (int i = 0; i < 4; i++) { snprintf(s, sizeof s, "OUT%d", i); tx(&b, 86 + i, 9, "HUB", s, "2900.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "gather_scatter,fan_in,fan_out", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_GATHER_SCATTER), 1);
    ck_assert_int_eq(l.n, 1);
    ck_assert(reason_has(first_of(&l, IFFNET_TYP_GATHER_SCATTER), "4 senders paid 12,000.00 EUR into HUB"));
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- bipartite / stack ---- */

START_TEST(gather_scatter_two_senders)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    background(&b);
    tx(&b, 10, 9, "B4", "HUB", "100.00");
    /* two senders gather 9,000 EUR, three receivers get 8,400 EUR of it */
    tx(&b, 80, 9, "IN0", "HUB", "5000.00");
    tx(&b, 81, 9, "IN1", "HUB", "4000.00");
    for (int i = 0; i < 3; i++) { snprintf(s, sizeof s, "OUT%d", i); tx(&b, 84 + i, 9, "HUB", s, "2800.00"); }
    /* near miss: FOUT pays five receivers 30,000 EUR; two small receipts before
     * it paid for 1% of that: a fan-out, not a gather-scatter */
    tx(&b, 150, 9, "SM0", "FOUT", "150.00");
    tx(&b, 151, 9, "SM1", "FOUT", "120.00");
    for (int i = 0; i < 5; i++) { snprintf(s, sizeof s, "R%d", i); tx(&b, 153 + i, 9, "FOUT", s, "6000.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "gather_scatter,fan_out", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_GATHER_SCATTER), 1);
    const iffnet_alert_t *a = first_of(&l, IFFNET_TYP_GATHER_SCATTER);
    ck_assert(has_account(&c, a, "HUB") && a->n_accounts == 6);
    ck_assert(reason_has(a, "2 senders paid 9,000.00 EUR into HUB within 2 days; HUB sent 8,400.00 EUR on to 3 accounts"));
    ck_assert_int_eq(count(&l, IFFNET_TYP_FAN_OUT), 1);
    ck_assert(has_account(&c, first_of(&l, IFFNET_TYP_FAN_OUT), "FOUT"));
    iffnet_alert_list_destroy(&l);
    /* without the share test both ways, FOUT would pass for a gather-scatter */
    run(&c, "gather_scatter", "gather_scatter.min_pass_ratio=0", &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_GATHER_SCATTER), 2);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(shop_is_not_gather_scatter)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    int k = 0;
    background(&b);
    /* a shop's new customers every week, and one week it pays three new suppliers
     * a third of its takings */
    for (int day = 0; day < 360; day++)
        if (day % 7 < 6) for (int j = 0; j < (day % 3 == 0 ? 2 : 1); j++) {
            snprintf(s, sizeof s, "CUST%d", k++);
            tx(&b, day, 12, s, "SHOP", "61.20");
        }
    for (int i = 0; i < 3; i++) { snprintf(s, sizeof s, "SUP%d", i); tx(&b, 200 + i, 9, "SHOP", s, "3000.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "gather_scatter", NULL, &l);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    /* its own routine is what clears it */
    run(&c, "gather_scatter", "gather_scatter.routine_median=1000", &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_GATHER_SCATTER), 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(bipartite_and_stack)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    background(&b);
    for (int d = 0; d < 14; d++) {          /* P pays Q1 and Q2 every day for two weeks */
        tx(&b, 100 + d, 9, "P", "Q1", "700.00");
        tx(&b, 100 + d, 10, "P", "Q2", "650.00");
    }
    for (int d = 0; d < 14; d++) {          /* X pays MID daily, MID pays Y1 and Y2 daily */
        tx(&b, 200 + d, 9, "X", "MID", "900.00");
        tx(&b, 200 + d, 15, "MID", "Y1", "450.00");
        tx(&b, 200 + d, 16, "MID", "Y2", "430.00");
    }
    load(&c, &b, NULL, NULL);
    run(&c, "bipartite,stack", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_BIPARTITE), 1);
    ck_assert_int_eq(count(&l, IFFNET_TYP_STACK), 1);
    const iffnet_alert_t *bi = first_of(&l, IFFNET_TYP_BIPARTITE), *st = first_of(&l, IFFNET_TYP_STACK);
    ck_assert(has_account(&c, bi, "P") && has_account(&c, bi, "Q2") && bi->n_accounts == 3);
    ck_assert(has_account(&c, st, "MID") && st->n_accounts == 4);
    ck_assert(reason_has(st, "1 middle account received 12,600.00 EUR"));
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(middle_that_keeps_the_money_is_no_stack)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    background(&b);
    for (int d = 0; d < 14; d++) {          /* MID passes on a fifth of what X pays it */
        tx(&b, 200 + d, 9, "X", "MID", "900.00");
        tx(&b, 200 + d, 15, "MID", "Y1", "100.00");
        tx(&b, 200 + d, 16, "MID", "Y2", "80.00");
    }
    load(&c, &b, NULL, NULL);
    run(&c, "bipartite,stack", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_STACK), 0);
    ck_assert_int_eq(count(&l, IFFNET_TYP_BIPARTITE), 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

static const char *group_entities =
    "id,kind,name,country,sector\n"
    "GRP,company,Group Holding,NL,holding\n"
    "SUB1,company,Sub One,NL,logistics\n"
    "SUB2,company,Sub Two,BE,logistics\n"
    "SUB3,company,Sub Three,DE,logistics\n";
static const char *group_relations =
    "source,target,relation\n"
    "GRP,SUB1,owns\nGRP,SUB2,owns\nGRP,SUB3,owns\n"
    "GRP,PARENT,holds_account\nSUB1,S1,holds_account\nSUB2,S2,holds_account\nSUB3,S3,holds_account\n"
    "SUB1,COLL,holds_account\n";

START_TEST(intra_group_sweep)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    int k = 0;
    background(&b);
    /* three subsidiaries sweep their balance to the parent every day */
    for (int d = 0; d < 60; d++) {
        tx(&b, 100 + d, 18, "S1", "PARENT", "12000.00");
        tx(&b, 100 + d, 18, "S2", "PARENT", "8000.00");
        tx(&b, 100 + d, 18, "S3", "PARENT", "9500.00");
    }
    /* a collection account passes all its customer receipts to S1 the next day */
    for (int d = 0; d < 60; d++) {
        for (int j = 0; j < 3; j++) { snprintf(s, sizeof s, "C%d", k++); tx(&b, 100 + d, 10 + j, s, "COLL", "1500.00"); }
        tx(&b, 101 + d, 8, "COLL", "S1", "4500.00");
    }
    load(&c, &b, group_entities, group_relations);
    run(&c, "bipartite,stack,mule,layering,fan_out", NULL, &l);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- blocks of new links ---- */

/* Sparse traffic of new links: 200 accounts Z0..Z199 each pay four others once
 * over the year, partners and days spread by a fixed linear congruential
 * sequence, so new links are ordinary but rarely meet twice. */
static void sparse_new_links(buf_t *b)
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

/* Three payers N0..N2 each pay the same three payees R0..R2 once (links new to
 * both sides) within nine days. */
static void new_block(buf_t *b)
{
    char s[16], d[16];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            snprintf(s, sizeof s, "N%d", i); snprintf(d, sizeof d, "R%d", j);
            tx(b, 150 + 3 * i + j, 11, s, d, "3000.00");
        }
}

START_TEST(new_link_bipartite_fires)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    background(&b);
    sparse_new_links(&b);
    new_block(&b);
    load(&c, &b, NULL, NULL);
    run(&c, "bipartite,stack", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_BIPARTITE), 1);
    ck_assert_int_eq(count(&l, IFFNET_TYP_STACK), 0);
    const iffnet_alert_t *a = first_of(&l, IFFNET_TYP_BIPARTITE);
    ck_assert_int_eq(a->n_accounts, 6);
    ck_assert_int_eq(a->n_tx, 9);
    ck_assert(has_account(&c, a, "N2") && has_account(&c, a, "R0"));
    ck_assert(reason_has(a, "3 payers paid 3 payees 9 times over links new to both sides"));
    ck_assert(reason_has(a, "9 times two of the payers paid the same two payees within 30 days"));
    iffnet_alert_list_destroy(&l);
    /* the same payers and payees months apart: no block within a window */
    iffnet_case_destroy(&c);
    background(&b);
    sparse_new_links(&b);
    tx(&b, 150, 11, "N0", "R0", "3000.00"); tx(&b, 151, 11, "N0", "R1", "3000.00");
    tx(&b, 250, 11, "N1", "R0", "3000.00"); tx(&b, 251, 11, "N1", "R1", "3000.00");
    tx(&b, 350, 11, "N2", "R0", "3000.00"); tx(&b, 351, 11, "N2", "R1", "3000.00");
    load(&c, &b, NULL, NULL);
    run(&c, "bipartite,stack", NULL, &l);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(new_link_stack_fires)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16], d[16];
    background(&b);
    sparse_new_links(&b);
    new_block(&b);
    /* each payee passes on most of its 9,000.00 to two new accounts */
    for (int j = 0; j < 3; j++)
        for (int k = 0; k < 2; k++) {
            snprintf(s, sizeof s, "R%d", j); snprintf(d, sizeof d, "O%d", 2 * j + k);
            tx(&b, 160 + j, 9 + k, s, d, "4300.00");
        }
    load(&c, &b, NULL, NULL);
    run(&c, "bipartite,stack,fan_out", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_STACK), 1);
    ck_assert_int_eq(count(&l, IFFNET_TYP_BIPARTITE), 0);
    const iffnet_alert_t *a = first_of(&l, IFFNET_TYP_STACK);
    ck_assert_int_eq(a->n_accounts, 12);
    ck_assert_int_eq(a->n_tx, 15);
    ck_assert(reason_has(a, "3 payees passed on 25,800.00 EUR of the 27,000.00 EUR they received in the block (96%)"));
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(payees_that_keep_the_money_are_no_stack)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16], d[16];
    background(&b);
    sparse_new_links(&b);
    new_block(&b);
    /* the payees pass on a tenth */
    for (int j = 0; j < 3; j++) {
        snprintf(s, sizeof s, "R%d", j); snprintf(d, sizeof d, "O%d", j);
        tx(&b, 160 + j, 9, s, d, "900.00");
    }
    load(&c, &b, NULL, NULL);
    run(&c, "bipartite,stack", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_STACK), 0);
    ck_assert_int_eq(count(&l, IFFNET_TYP_BIPARTITE), 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(payroll_is_not_a_new_block)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char d[16];
    background(&b);
    sparse_new_links(&b);
    /* two employers pay the same five employees every month: standing pairs */
    for (int m = 0; m < 12; m++)
        for (int e = 0; e < 5; e++) {
            snprintf(d, sizeof d, "EMP%d", e);
            tx(&b, 30 * m + 25, 8, "EMPLOYER1", d, "2100.00");
            tx(&b, 30 * m + 27, 8, "EMPLOYER2", d, "900.00");
        }
    load(&c, &b, NULL, NULL);
    run(&c, "structural", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_BIPARTITE), 0);
    ck_assert_int_eq(count(&l, IFFNET_TYP_STACK), 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(chance_blocks_in_a_busy_network)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    /* everybody pays everybody once: pairs of pairs abound and explain nothing */
    busy(&b);
    load(&c, &b, NULL, NULL);
    run(&c, "bipartite,stack", NULL, &l);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(scatter_gather_of_three_tested_at_both_ends)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char m[16];
    background(&b);
    sparse_new_links(&b);
    for (int i = 0; i < 3; i++) { snprintf(m, sizeof m, "M%d", i); tx(&b, 200, 9 + i, "SRC", m, "5000.00"); }
    for (int i = 0; i < 3; i++) { snprintf(m, sizeof m, "M%d", i); tx(&b, 202 + i, 9, m, "SINK", "4800.00"); }
    load(&c, &b, NULL, NULL);
    run(&c, "scatter_gather,fan_out,fan_in", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_SCATTER_GATHER), 1);
    ck_assert_int_eq(l.n, 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

static const char *treasury_relations =
    "source,target,relation\n"
    "GRP,SUB1,owns\nGRP,SUB2,owns\nGRP,SUB3,owns\n"
    "GRP,PARENT,holds_account\nSUB1,S1,holds_account\nSUB2,S2,holds_account\nSUB3,S3,holds_account\n"
    "GRP,POOL,holds_account\n";

START_TEST(treasury_is_not_scatter_gather)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    background(&b);
    sparse_new_links(&b);
    /* the parent funds three subsidiaries, which sweep it into the group's cash pool */
    tx(&b, 200, 9, "PARENT", "S1", "50000.00"); tx(&b, 200, 9, "PARENT", "S2", "40000.00");
    tx(&b, 200, 9, "PARENT", "S3", "30000.00");
    tx(&b, 201, 18, "S1", "POOL", "49000.00"); tx(&b, 201, 18, "S2", "POOL", "39000.00");
    tx(&b, 201, 18, "S3", "POOL", "29000.00");
    load(&c, &b, group_entities, treasury_relations);
    run(&c, "scatter_gather,bipartite,stack", NULL, &l);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    /* the same moves between unrelated accounts: a scatter-gather */
    iffnet_case_destroy(&c);
    background(&b);
    sparse_new_links(&b);
    tx(&b, 200, 9, "PARENT", "S1", "50000.00"); tx(&b, 200, 9, "PARENT", "S2", "40000.00");
    tx(&b, 200, 9, "PARENT", "S3", "30000.00");
    tx(&b, 201, 18, "S1", "POOL", "49000.00"); tx(&b, 201, 18, "S2", "POOL", "39000.00");
    tx(&b, 201, 18, "S3", "POOL", "29000.00");
    load(&c, &b, NULL, NULL);
    run(&c, "scatter_gather,bipartite,stack", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_SCATTER_GATHER), 1);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- layering / mule ---- */

START_TEST(layering_chain)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    background(&b);
    tx(&b, 100, 9, "L0", "L1", "10000.00");
    tx(&b, 101, 9, "L1", "L2", "9800.00");
    tx(&b, 102, 9, "L2", "L3", "9650.00");
    tx(&b, 103, 9, "L3", "L4", "9500.00");
    /* decays too fast: not the same money */
    tx(&b, 150, 9, "K0", "K1", "10000.00");
    tx(&b, 151, 9, "K1", "K2", "6000.00");
    tx(&b, 152, 9, "K2", "K3", "3000.00");
    load(&c, &b, NULL, NULL);
    run(&c, "layering", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_LAYERING), 1);
    const iffnet_alert_t *a = first_of(&l, IFFNET_TYP_LAYERING);
    ck_assert_int_eq(a->n_accounts, 5);
    ck_assert(reason_has(a, "forwarded along 4 hops to L4 within 4 days"));
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(mule_account)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    char s[16];
    background(&b);
    for (int i = 0; i < 5; i++) {
        snprintf(s, sizeof s, "V%d", i);
        tx(&b, 100 + 3 * i, 9, s, "MULE", "3000.00");
        snprintf(s, sizeof s, "W%d", i % 2);
        tx(&b, 100 + 3 * i, 20, "MULE", s, "2850.00");
    }
    load(&c, &b, NULL, NULL);
    run(&c, "mule", NULL, &l);
    ck_assert_int_eq(count(&l, IFFNET_TYP_MULE), 1);
    ck_assert(has_account(&c, first_of(&l, IFFNET_TYP_MULE), "MULE"));
    iffnet_alert_list_destroy(&l);
    /* below the amount floor (the reporting threshold), no mule */
    run(&c, "mule", "mule.min_amount=20000", &l);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- driver ---- */

START_TEST(select_and_config_errors)
{
    iffnet_detect_opts_t o;
    iffnet_detect_opts_default(&o);
    ck_assert_int_eq(iffnet_detect_select(&o, "fan_in, cycle"), IFFNET_OK);
    ck_assert(o.selected[IFFNET_TYP_FAN_IN] && o.selected[IFFNET_TYP_CYCLE] && !o.selected[IFFNET_TYP_STACK]);
    ck_assert_int_eq(iffnet_detect_select(&o, "FAN-OUT"), IFFNET_OK);
    ck_assert(o.selected[IFFNET_TYP_FAN_OUT] && !o.selected[IFFNET_TYP_FAN_IN]);
    ck_assert_int_eq(iffnet_detect_select(&o, "fan_in,nonsense"), IFFNET_EINVAL);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "nonsense"));
    ck_assert_int_eq(iffnet_detect_select(&o, "fan_in,,cycle"), IFFNET_EINVAL);
    ck_assert_int_eq(iffnet_detect_select(&o, "structural"), IFFNET_OK);
    ck_assert(o.selected[IFFNET_TYP_MULE] && o.selected[IFFNET_TYP_BIPARTITE]);
    ck_assert(iffnet_detect_available(IFFNET_TYP_CYCLE));

    /* a bad threshold value fails the run with the key in the message */
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_config_t cfg;
    iffnet_detect_ctx_t ctx;
    iffnet_alert_list_t l;
    igraph_t g;
    background(&b);
    load(&c, &b, NULL, NULL);
    iffnet_config_init(&cfg);
    iffnet_config_set(&cfg, "cycle.max_hops=1", "test");
    iffnet_detect_opts_default(&o);
    iffnet_detect_select(&o, "cycle");
    ck_assert_int_eq(iffnet_case_graph(&c, &g), IFFNET_OK);
    ck_assert_int_eq(iffnet_detect_ctx_init(&ctx, &c, &g, &cfg, &o, NULL), IFFNET_OK);
    iffnet_alert_list_init(&l);
    ck_assert_int_eq(iffnet_detect_run(&ctx, &o, &l), IFFNET_EDATA);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "cycle.max_hops"));
    iffnet_alert_list_destroy(&l);
    igraph_destroy(&g);
    iffnet_config_destroy(&cfg);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(background_alone_is_quiet)
{
    buf_t b = {0};
    iffnet_case_t c;
    iffnet_alert_list_t l;
    background(&b);
    load(&c, &b, NULL, NULL);
    run(&c, "structural", NULL, &l);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("detect_structural");
    TCase *t = tcase_create("typologies");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, fan_in_fires);
    tcase_add_test(t, fan_in_of_three);
    tcase_add_test(t, fan_in_ordinary_where_new_counterparties_are_routine);
    tcase_add_test(t, fan_in_too_few_or_too_spread);
    tcase_add_test(t, payroll_is_not_fan_out);
    tcase_add_test(t, shop_is_not_fan_in);
    tcase_add_test(t, fan_out_fires);
    tcase_add_test(t, cycle_fires);
    tcase_add_test(t, cycle_not_time_respecting);
    tcase_add_test(t, loop_explained_by_chance);
    tcase_add_test(t, loop_with_standing_hops);
    tcase_add_test(t, chance_cycles_in_random_background);
    tcase_add_test(t, steady_stream_of_payers_ranked_low);
    tcase_add_test(t, cycle_bound_is_noted);
    tcase_add_test(t, scatter_gather_fires_and_absorbs_fan_out);
    tcase_add_test(t, scatter_gather_needs_pass_through);
    tcase_add_test(t, gather_scatter_fires);
    tcase_add_test(t, gather_scatter_two_senders);
    tcase_add_test(t, shop_is_not_gather_scatter);
    tcase_add_test(t, bipartite_and_stack);
    tcase_add_test(t, middle_that_keeps_the_money_is_no_stack);
    tcase_add_test(t, intra_group_sweep);
    tcase_add_test(t, new_link_bipartite_fires);
    tcase_add_test(t, new_link_stack_fires);
    tcase_add_test(t, payees_that_keep_the_money_are_no_stack);
    tcase_add_test(t, payroll_is_not_a_new_block);
    tcase_add_test(t, chance_blocks_in_a_busy_network);
    tcase_add_test(t, scatter_gather_of_three_tested_at_both_ends);
    tcase_add_test(t, treasury_is_not_scatter_gather);
    tcase_add_test(t, layering_chain);
    tcase_add_test(t, mule_account);
    tcase_add_test(t, select_and_config_errors);
    tcase_add_test(t, background_alone_is_quiet);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    iffnet_init_libraries(1);
    SRunner *r = srunner_create(suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
