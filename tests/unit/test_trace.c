/* test_trace.c: unit tests of the tracing rules and LP bounds.
 *
 * Worked examples are computed by hand in the comments (amounts in cents). Cases
 * are written as native CSV files and read with iffnet_ingest(), so the tests see
 * cases exactly as the command does. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include "iffnet/iffnet.h"
#include "iffnet/trace.h"
#include "trace/trace_internal.h"
#include "testutil.h"

#define FIFO IFFNET_TRACE_FIFO
#define LIFO IFFNET_TRACE_LIFO
#define PRO IFFNET_TRACE_PRORATA
#define LIBR IFFNET_TRACE_LIBR
#define TIHO IFFNET_TRACE_TIHO
#define POISON IFFNET_TRACE_POISON
#define RULE(r) (1u << (r))
#define CONSERVING (RULE(POISON) - 1u)   /* every rule but poison */

static void setup(void)
{
    iffnet_init_libraries(1);
}

/* Builds a case from transaction lines "id,YYYY-MM-DD...,src,dst,amount" (EUR) and
 * optional entity lines "id,kind,name,country". */
static void make_case(iffnet_case_t *c, const char *tx, const char *ents)
{
    char *t = NULL, *e = NULL;
    ck_assert_int_ge(asprintf(&t, "tx_id,timestamp,source,target,amount,currency\n%s", tx), 0);
    if (ents) ck_assert_int_ge(asprintf(&e, "id,kind,name,country\n%s", ents), 0);
    tu_case_from_csv(c, t, e, NULL);
    free(t);
    free(e);
}

static int64_t acc(iffnet_case_t *c, const char *id)
{
    return tu_account(c, id);
}

static void run_from(iffnet_trace_t *tr, iffnet_case_t *c, const char *const *seeds, int n, iffnet_money_t amount)
{
    iffnet_trace_opts_t o;
    static int64_t s[16];
    for (int i = 0; i < n; i++) s[i] = acc(c, seeds[i]);
    iffnet_trace_opts_default(&o);
    o.seed_accounts = s;
    o.n_seed_accounts = n;
    o.amount = amount;
    ck_assert_msg(iffnet_trace_run(tr, c, &o) == 0, "trace: %s", iffnet_errmsg());
}

static iffnet_money_t held(const iffnet_trace_t *tr, iffnet_case_t *c, const char *a, int r)
{
    return iffnet_trace_account(tr, acc(c, a), (iffnet_trace_rule_t)r).held;
}

static iffnet_money_t recv(const iffnet_trace_t *tr, iffnet_case_t *c, const char *a, int r)
{
    return iffnet_trace_account(tr, acc(c, a), (iffnet_trace_rule_t)r).received;
}

/* ---- worked examples: traced forward from the seed accounts, all the money they
 * hold; what each rule must give, by hand (amounts in cents) ---- */

enum { RECEIVED = 1, HELD, UNEXPLAINED /* funds the account sent but never received in the case */ };

typedef struct {
    const char *name;
    const char *tx;                /* lines for make_case() */
    const char *seeds[3];
    iffnet_money_t injected;       /* 0: not checked */
    struct { int what; const char *account; int rule; iffnet_money_t amount; } want[12];
    unsigned conserved, not_conserved;  /* rules (RULE()) that conserve / do not conserve the money */
} example_t;

static const example_t examples[] = {
    /* Clayton's Case (Devaynes v Noble, 1816), as taught in tracing courses.
     * T holds 1,000.00 of its own (from X), then receives 500.00 of the claimant's
     * money (from S, the seed); it pays 1,200.00 to A, then 200.00 to B.
     *   FIFO: T's ledger is [clean 1000, tainted 500]. A's 1200 takes the clean 1000
     *         first and 200 tainted; B's 200 takes 200 tainted; T keeps 100 tainted.
     *   LIFO: A's 1200 takes the tainted 500 (newest) and 700 clean; B gets clean;
     *         T keeps 0.
     *   TIHO: tainted first: A gets 500, B 0, T 0 (as LIFO here).
     *   LIBR: clean first: A gets 200 tainted (clean 1000 gone first), T's balance 300
     *         = its taint; B's 200 must be tainted; T keeps 100 (as FIFO here).
     * X sent 1000 it never received in the case: unexplained, and clean; the seed's
     * money is the proceeds. */
    {"fifo_claytons_case",
     "t1,2024-01-01,X,T,1000.00,EUR\n"
     "t2,2024-01-02,S,T,500.00,EUR\n"
     "t3,2024-01-03,T,A,1200.00,EUR\n"
     "t4,2024-01-04,T,B,200.00,EUR\n",
     {"S"}, 50000,
     {{RECEIVED, "A", FIFO, 20000}, {RECEIVED, "B", FIFO, 20000}, {HELD, "T", FIFO, 10000},
      {RECEIVED, "A", LIFO, 50000}, {RECEIVED, "B", LIFO, 0}, {HELD, "T", LIFO, 0},
      {RECEIVED, "A", TIHO, 50000}, {RECEIVED, "A", LIBR, 20000}, {HELD, "T", LIBR, 10000},
      {UNEXPLAINED, "X", 0, 100000}, {UNEXPLAINED, "S", 0, 0}},
     CONSERVING, 0},
    /* LIBR (Re Hallett's Estate; the lowest intermediate balance rule): T receives
     * 1,000.00 tainted (from S) and 500.00 clean (X). It pays 1,200.00 to A: clean
     * leaves first (500), then 700 of the taint, so T's balance dips to 300, all
     * tainted. Y then deposits 2,000.00 clean: the claim is NOT restored (it stays at
     * the lowest intermediate balance, 300). T pays 1,000.00 to B: clean first (2,000
     * available), so B gets nothing tainted and T still holds 300.
     * FIFO on the same facts: A takes the tainted 1000 first and 200 clean; T holds 0.
     * Pro-rata: A gets 1200 * 1000/1500 = 800.00; T keeps 200 of 300; after Y, B's
     * 1000 carries 1000 * 200/2300 = 86.956.. -> 8695.65 cents: floor 8695, remainder
     * 100000*20000 mod 230000 = 150000 vs clean 100000*210000 mod 230000 = 80000, so
     * the spare cent goes to the tainted part: 86.96; T keeps 113.04. */
    {"libr_dip_not_restored",
     "t1,2024-01-01,S,T,1000.00,EUR\n"
     "t2,2024-01-02,X,T,500.00,EUR\n"
     "t3,2024-01-03,T,A,1200.00,EUR\n"
     "t4,2024-01-04,Y,T,2000.00,EUR\n"
     "t5,2024-01-05,T,B,1000.00,EUR\n",
     {"S"}, 0,
     {{RECEIVED, "A", LIBR, 70000}, {RECEIVED, "B", LIBR, 0}, {HELD, "T", LIBR, 30000},
      {RECEIVED, "A", FIFO, 100000}, {HELD, "T", FIFO, 0},
      {RECEIVED, "A", PRO, 80000}, {RECEIVED, "B", PRO, 8696}, {HELD, "T", PRO, 11304}},
     CONSERVING, 0},
    /* Pro-rata with several sources. S1 and S2 (both seeds) and X (clean) pay M
     * 300.00, 600.00 and 100.00; M pays A 500.00: 500 * 900/1000 = 450.00 tainted
     * (S1's 150 and S2's 300), 50.00 clean. M then pays B 0.07 of its 500.00 (450
     * tainted, 50 clean; a forward trace pools its sources): exact shares
     * 7*45000/50000 = 6.3 and 7*5000/50000 = 0.7 cents: floors 6 + 0, one cent left,
     * and the largest remainder is the clean part's 0.7: B gets 6 cents tainted.
     * Then M pays C 0.05 of 499.93 (44994 tainted, 4999 clean): 5*44994/49993 =
     * 4.50003.. (remainder 24998/49993) and 5*4999/49993 = 0.49997.. (24995/49993):
     * floors 4 + 0, the spare cent goes to the tainted part: C gets 5 cents. */
    {"prorata_several_sources",
     "t1,2024-01-01,S1,M,300.00,EUR\n"
     "t2,2024-01-01T01:00,S2,M,600.00,EUR\n"
     "t3,2024-01-01T02:00,X,M,100.00,EUR\n"
     "t4,2024-01-02,M,A,500.00,EUR\n"
     "t5,2024-01-03,M,B,0.07,EUR\n"
     "t6,2024-01-04,M,C,0.05,EUR\n",
     {"S1", "S2"}, 0,
     {{RECEIVED, "A", PRO, 45000}, {RECEIVED, "B", PRO, 6}, {RECEIVED, "C", PRO, 5},
      {HELD, "M", PRO, 90000 - 45000 - 6 - 5}},
     RULE(PRO), 0},
    /* Poison: once T has received any tainted money, everything it sends is tainted
     * in full. X pays T 1,000.00, S (seed) 500.00; T pays A 1,200.00 and B 200.00:
     * poison marks 1,200 + 200 as tainted and T's remaining 100 as held: 1,500 traced
     * from 500 injected, which is why poison is not a conserving rule. */
    {"poison_marks_whole",
     "t1,2024-01-01,X,T,1000.00,EUR\n"
     "t2,2024-01-02,S,T,500.00,EUR\n"
     "t3,2024-01-03,T,A,1200.00,EUR\n"
     "t4,2024-01-04,T,B,200.00,EUR\n"
     "t5,2024-01-05,A,C,1.00,EUR\n",
     {"S"}, 0,
     {{RECEIVED, "A", POISON, 120000}, {RECEIVED, "B", POISON, 20000}, {HELD, "T", POISON, 10000},
      {RECEIVED, "C", POISON, 100}},
     0, RULE(POISON)},
    /* LIFO: the last money in goes out first. T receives 100.00 tainted (S), then 50.00
     * clean (X), then pays A 120.00: LIFO takes the clean 50 then 70 tainted; T keeps
     * 30 tainted. X then pays T 40.00 and T pays B 50.00: 40 clean (newest) + 10
     * tainted; T keeps 20 tainted. */
    {"lifo_last_in_first_out",
     "t1,2024-01-01,S,T,100.00,EUR\n"
     "t2,2024-01-02,X,T,50.00,EUR\n"
     "t3,2024-01-03,T,A,120.00,EUR\n"
     "t4,2024-01-04,X,T,40.00,EUR\n"
     "t5,2024-01-05,T,B,50.00,EUR\n",
     {"S"}, 0,
     {{RECEIVED, "A", LIFO, 7000}, {RECEIVED, "B", LIFO, 1000}, {HELD, "T", LIFO, 2000}},
     RULE(LIFO), 0},
};

START_TEST(worked_example)
{
    const example_t *x = &examples[_i];
    static const char *const what[] = {"", "received", "held", "unexplained"};
    iffnet_case_t c;
    iffnet_trace_t tr;
    int n_seeds = 0;
    while (x->seeds[n_seeds]) n_seeds++;
    make_case(&c, x->tx, NULL);
    run_from(&tr, &c, x->seeds, n_seeds, 0);
    if (x->injected) ck_assert_msg(tr.injected == x->injected, "%s: injected %lld, want %lld", x->name,
                                   (long long)tr.injected, (long long)x->injected);
    for (int k = 0; k < 12 && x->want[k].what; k++) {
        const char *id = x->want[k].account;
        int r = x->want[k].rule;
        iffnet_money_t got = x->want[k].what == RECEIVED ? recv(&tr, &c, id, r)
                           : x->want[k].what == HELD     ? held(&tr, &c, id, r)
                                                         : tr.unexplained[acc(&c, id)];
        ck_assert_msg(got == x->want[k].amount, "%s: %s %s under rule %d: %lld, want %lld", x->name,
                      what[x->want[k].what], id, r, (long long)got, (long long)x->want[k].amount);
    }
    for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
        if (x->conserved & RULE(r))
            ck_assert_msg(iffnet_trace_conserved(&tr, (iffnet_trace_rule_t)r), "%s: rule %d", x->name, r);
        if (x->not_conserved & RULE(r))
            ck_assert_msg(!iffnet_trace_conserved(&tr, (iffnet_trace_rule_t)r), "%s: rule %d conserves", x->name, r);
    }
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
}
END_TEST

/* Largest remainder with a tie, seen backward: S1, S2, S3 each pay M 1.00 from
 * funds unexplained in the case (so each is an origin); M pays A 1.00. Exact
 * shares are 33.33 cents each: floors 33 + 33 + 33, one cent left, remainders
 * tie, so it goes to the lowest origin (S1): A got 34 from S1, 33 from S2 and S3. */
START_TEST(prorata_tie_backward)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    iffnet_trace_opts_t o;
    int64_t a;
    make_case(&c, "t1,2024-01-01,S1,M,1.00,EUR\n"
                  "t2,2024-01-01T01:00,S2,M,1.00,EUR\n"
                  "t3,2024-01-01T02:00,S3,M,1.00,EUR\n"
                  "t4,2024-01-02,M,A,1.00,EUR\n", NULL);
    a = acc(&c, "A");
    iffnet_trace_opts_default(&o);
    o.backward = 1;
    o.seed_accounts = &a;
    o.n_seed_accounts = 1;
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    for (int64_t k = 0; k < tr.n_origins; k++) {
        const char *id = iffnet_case_account_id(&c, tr.origin_account[k]);
        iffnet_money_t v = tr.origin_amount[k * IFFNET_TRACE_NRULES + PRO];
        if (strcmp(id, "S1") == 0) ck_assert_int_eq(v, 34);
        else if (strcmp(id, "S2") == 0 || strcmp(id, "S3") == 0) ck_assert_int_eq(v, 33);
        else ck_assert_int_eq(v, 0);
        /* FIFO: the oldest deposit, S1's, pays A */
        if (strcmp(id, "S1") == 0) ck_assert_int_eq(tr.origin_amount[k * IFFNET_TRACE_NRULES + FIFO], 100);
    }
    ck_assert_int_eq(tr.n_origins, 5); /* S1 S2 S3 M and A itself */
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
}
END_TEST

/* Exits: cash (pseudo-account CASH and channel), abroad, outside the case, hops.
 * S (seed, in DE) pays M 400.00; M pays 100.00 to CASH, 100.00 to F (in FR),
 * 100.00 to O (no profile while others have one, and it pays nobody: outside the
 * case) and 100.00 to U (no profile either, but it pays G later: its ledger is
 * in the data, so it is followed). By default the payment to F stays in the case
 * and F passes the taint on to G; with stop_abroad it leaves the case there.
 * Every rule books the same amounts, by kind. */
START_TEST(exits_by_kind)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    iffnet_trace_opts_t o;
    int64_t s;
    make_case(&c, "t1,2024-01-01,S,M,400.00,EUR\n"
                  "t2,2024-01-02,M,CASH,100.00,EUR\n"
                  "t3,2024-01-03,M,F,100.00,EUR\n"
                  "t4,2024-01-04,M,O,100.00,EUR\n"
                  "t5,2024-01-04,M,U,100.00,EUR\n"
                  "t6,2024-01-05,F,G,100.00,EUR\n"
                  "t7,2024-01-06,U,G,100.00,EUR\n",
              "S,account,s,DE\nM,account,m,DE\nF,account,f,FR\nG,account,g,FR\nCASH,account,cash,DE\n");
    s = acc(&c, "S");
    for (int stop = 0; stop < 2; stop++) {
        iffnet_trace_opts_default(&o);
        o.seed_accounts = &s;
        o.n_seed_accounts = 1;
        o.stop_abroad = stop;
        ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
        ck_assert_int_eq(iffnet_trace_exit_kind(&c, 3), IFFNET_EXIT_EXTERNAL);  /* t4: to O */
        ck_assert_int_eq(iffnet_trace_exit_kind(&c, 2), IFFNET_EXIT_NONE);      /* t3: to F, followed */
        for (int r = 0; r < POISON; r++) {
            ck_assert_int_eq(tr.total_left[r][IFFNET_EXIT_CASH], 10000);
            ck_assert_int_eq(tr.total_left[r][IFFNET_EXIT_ABROAD], stop ? 10000 : 0);
            ck_assert_int_eq(tr.total_left[r][IFFNET_EXIT_EXTERNAL], 10000);
            ck_assert_int_eq(tr.total_held[r], stop ? 10000 : 20000);
            ck_assert_int_eq(recv(&tr, &c, "U", r), 10000);
            ck_assert_int_eq(recv(&tr, &c, "G", r), stop ? 10000 : 20000);
            ck_assert(iffnet_trace_conserved(&tr, (iffnet_trace_rule_t)r));
        }
        iffnet_trace_destroy(&tr);
    }
    iffnet_case_destroy(&c);
}
END_TEST

/* An account whose entity (or holder) says external=yes is outside the case even
 * when it pays on: S pays X 100.00, X (marked) pays Y. */
START_TEST(marked_external)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    const char *seeds[] = {"S"};
    tu_case_from_csv(&c, "tx_id,timestamp,source,target,amount,currency\n"
                         "t1,2024-01-01,S,X,100.00,EUR\nt2,2024-01-02,X,Y,100.00,EUR\n",
                     "id,kind,name,country,external\nS,account,s,DE,\nX,account,x,DE,yes\nY,account,y,DE,no\n", NULL);
    run_from(&tr, &c, seeds, 1, 0);
    for (int r = 0; r < POISON; r++) {
        ck_assert_int_eq(tr.total_left[r][IFFNET_EXIT_EXTERNAL], 10000);
        ck_assert_int_eq(recv(&tr, &c, "Y", r), 0);
    }
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
}
END_TEST

/* --amount caps the seeded money; --max-hops stops the trace. S sends 100 + 100 to
 * M with amount 150.00: 150 tainted. M -> N -> P with max_hops 2: M (hop 1) passes
 * to N (hop 2); N's payment to P leaves the trace as hop_limit. */
START_TEST(amount_and_hops)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    iffnet_trace_opts_t o;
    int64_t s;
    make_case(&c, "t1,2024-01-01,S,M,100.00,EUR\n"
                  "t2,2024-01-02,S,M,100.00,EUR\n"
                  "t3,2024-01-03,M,N,200.00,EUR\n"
                  "t4,2024-01-04,N,P,200.00,EUR\n", NULL);
    s = acc(&c, "S");
    iffnet_trace_opts_default(&o);
    o.seed_accounts = &s;
    o.n_seed_accounts = 1;
    o.amount = 15000;
    o.max_hops = 2;
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    ck_assert_int_eq(tr.injected, 15000);
    ck_assert_int_eq(recv(&tr, &c, "N", FIFO), 15000);
    ck_assert_int_eq(recv(&tr, &c, "P", FIFO), 0);
    ck_assert_int_eq(tr.total_left[FIFO][IFFNET_EXIT_HOPS], 15000);
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
}
END_TEST

/* --from-tx: only t2's 500.00 is tainted; the rest of the sender's money is not. */
START_TEST(from_tx_and_bounds)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    iffnet_trace_opts_t o;
    iffnet_trace_bounds_t b;
    int64_t t;
    make_case(&c, "t1,2024-01-01,X,T,1000.00,EUR\n"
                  "t2,2024-01-02,S,T,500.00,EUR\n"
                  "t3,2024-01-03,T,A,1200.00,EUR\n"
                  "t4,2024-01-04,T,B,200.00,EUR\n", NULL);
    t = 1; /* t2 */
    iffnet_trace_opts_default(&o);
    o.seed_tx = &t;
    o.n_seed_tx = 1;
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    ck_assert_int_eq(recv(&tr, &c, "A", FIFO), 20000);
    /* T ends with a balance of 100.00 and paid B 200.00, so at least
     * 500 - 100 - 200 = 200.00 of the tainted 500.00 went to A, and at most all 500 */
    ck_assert_int_eq(iffnet_trace_bounds(&tr, acc(&c, "A"), &b), 0);
    ck_assert_str_eq(b.status_text, "optimal");
    ck_assert(b.min > 20000 - 0.5 && b.min < 20000 + 0.5);
    ck_assert(b.max > 50000 - 0.5 && b.max < 50000 + 0.5);
    ck_assert_int_eq(b.n_tx, 3);
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- invariants on generated cases ---------------------------------------- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A random small case: 4..11 accounts (two countries, a CASH account), 10..max_tx
 * transactions with amounts of 0.01..500.00 in time order. */
static void random_case(iffnet_case_t *c, int *nacc, int max_tx)
{
    static char tx[65536], ents[2048];
    int na = 4 + (int)(rnd() % 8), nt = 10 + (int)(rnd() % (uint64_t)(max_tx - 9)), len = 0, el = 0;
    for (int i = 0; i < nt; i++) {
        int s = (int)(rnd() % (uint64_t)na), d = (int)(rnd() % (uint64_t)(na + 1));
        long cents = 1 + (long)(rnd() % 50000);
        if (d == s) d = (d + 1) % na;
        len += snprintf(tx + len, sizeof tx - (size_t)len, "t%d,2024-01-01T%02d:%02d:%02d,A%d,%s%d,%ld.%02ld,EUR\n", i,
                        i / 3600, i / 60 % 60, i % 60, s, d == na ? "CASH" : "A", d == na ? 0 : d, cents / 100, cents % 100);
    }
    for (int a = 0; a < na; a++)
        el += snprintf(ents + el, sizeof ents - (size_t)el, "A%d,account,a%d,%s\n", a, a, a % 5 == 4 ? "FR" : "DE");
    snprintf(ents + el, sizeof ents - (size_t)el, "CASH0,account,cash,DE\n");
    make_case(c, tx, rnd() % 2 ? ents : NULL);
    *nacc = na;
}

START_TEST(invariants_generated)
{
    rng_state = 0x9E3779B97F4A7C15ull;
    for (int k = 0; k < 400; k++) {
        iffnet_case_t c;
        iffnet_trace_t tr;
        iffnet_trace_opts_t o;
        iffnet_trace_bounds_t b;
        int na;
        int64_t seeds[2];
        char id[16];
        random_case(&c, &na, 70);
        snprintf(id, sizeof id, "A%d", (int)(rnd() % (uint64_t)na));
        seeds[0] = iffnet_case_find_account(&c, id);
        snprintf(id, sizeof id, "A%d", (int)(rnd() % (uint64_t)na));
        seeds[1] = iffnet_case_find_account(&c, id);
        iffnet_trace_opts_default(&o);
        o.seed_accounts = seeds;
        if (seeds[0] < 0) seeds[0] = 0;
        o.n_seed_accounts = 1 + (seeds[1] >= 0 && rnd() % 2);
        o.amount = rnd() % 3 ? 0 : (iffnet_money_t)(1 + rnd() % 60000);
        o.max_hops = (int)(rnd() % 4);
        ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
        for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
            iffnet_money_t left = 0;
            if (!iffnet_trace_rule_conserves((iffnet_trace_rule_t)r)) continue;
            for (int64_t i = 0; i < tr.n_touched; i++) {
                iffnet_trace_flow_t f = tr.flow[i * IFFNET_TRACE_NRULES + r];
                ck_assert_msg(f.received == f.held + f.passed + f.left, "case %d rule %d", k, r);
                ck_assert_msg(f.held <= tr.final_balance[tr.touched[i]], "case %d rule %d: held > balance", k, r);
                ck_assert(f.held >= 0 && f.passed >= 0 && f.left >= 0);
                left += f.left;
            }
            ck_assert_msg(tr.injected == tr.total_held[r] + left, "case %d rule %d: in %lld held %lld left %lld", k, r,
                          (long long)tr.injected, (long long)tr.total_held[r], (long long)left);
        }
        for (int tries = 0; tries < 2; tries++) {
            int64_t target = (int64_t)(rnd() % (uint64_t)c.n_accounts);
            ck_assert_int_eq(iffnet_trace_bounds(&tr, target, &b), 0);
            ck_assert_msg(b.status_min == 5 /* GLP_OPT */ && b.status_max == 5, "case %d: %s", k, b.status_text);
            for (int r = 0; r < IFFNET_TRACE_NRULES; r++) {
                double v;
                if (!iffnet_trace_rule_conserves((iffnet_trace_rule_t)r)) continue;
                v = (double)iffnet_trace_account(&tr, target, (iffnet_trace_rule_t)r).received;
                if (!(v >= b.min - IFFNET_TRACE_LP_TOL && v <= b.max + IFFNET_TRACE_LP_TOL) && getenv("TRACE_DEBUG")) {
                    char cmd[600];
                    snprintf(cmd, sizeof cmd, "cat %s/tx.csv %s/entities.csv; echo target %s seeds %s %s n %lld amount %lld hops %d", tu_tmpdir(), tu_tmpdir(),
                             iffnet_case_account_id(&c, target), iffnet_case_account_id(&c, seeds[0]),
                             iffnet_case_account_id(&c, seeds[1] >= 0 ? seeds[1] : 0), (long long)o.n_seed_accounts,
                             (long long)o.amount, o.max_hops);
                    if (system(cmd)) {}
                }
                ck_assert_msg(v >= b.min - IFFNET_TRACE_LP_TOL && v <= b.max + IFFNET_TRACE_LP_TOL,
                              "case %d rule %d: %.0f outside [%.2f, %.2f]", k, r, v, b.min, b.max);
            }
        }
        iffnet_trace_destroy(&tr);
        iffnet_case_destroy(&c);
    }
}
END_TEST

/* The three solvers on the same LPs: GLPK's out-of-kilter solver (the default),
 * iffnet's network simplex and GLPK's simplex. Random cases, sources by account or
 * by transaction, with and without an amount, hop limit or window; the same
 * status and the same optimal min and max to the minor unit, okalg's and the
 * network's exact integers. */
START_TEST(solvers_agree)
{
    int n_net = 0, n_folded = 0;
    rng_state = 0xD1B54A32D192ED03ull;
    for (int k = 0; k < 300; k++) {
        iffnet_case_t c;
        iffnet_trace_t tr;
        iffnet_trace_opts_t o;
        int na;
        int64_t seeds[2], seed_tx[3];
        char id[16];
        random_case(&c, &na, k % 4 ? 70 : 250);
        iffnet_trace_opts_default(&o);
        if (rnd() % 4) {
            snprintf(id, sizeof id, "A%d", (int)(rnd() % (uint64_t)na));
            seeds[0] = iffnet_case_find_account(&c, id);
            snprintf(id, sizeof id, "A%d", (int)(rnd() % (uint64_t)na));
            seeds[1] = iffnet_case_find_account(&c, id);
            if (seeds[0] < 0) seeds[0] = 0;
            o.seed_accounts = seeds;
            o.n_seed_accounts = 1 + (seeds[1] >= 0 && seeds[1] != seeds[0] && rnd() % 2);
        } else {
            o.n_seed_tx = 1 + (int64_t)(rnd() % 3);
            for (int64_t i = 0; i < o.n_seed_tx; i++) seed_tx[i] = (int64_t)(rnd() % (uint64_t)c.n_tx);
            if (o.n_seed_tx > 1 && seed_tx[1] == seed_tx[0]) o.n_seed_tx = 1;
            if (o.n_seed_tx > 2 && (seed_tx[2] == seed_tx[0] || seed_tx[2] == seed_tx[1])) o.n_seed_tx = 2;
            o.seed_tx = seed_tx;
        }
        o.amount = rnd() % 3 ? 0 : (iffnet_money_t)(1 + rnd() % 60000);
        o.max_hops = (int)(rnd() % 4);
        if (rnd() % 4 == 0) o.since = c.tx_time[rnd() % (uint64_t)c.n_tx];
        ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
        for (int tries = 0; tries < 3; tries++) {
            int64_t target = (int64_t)(rnd() % (uint64_t)c.n_accounts);
            iffnet_trace_bounds_t ok, net, lp;
            ck_assert_int_eq(iffnet_i_trace_lp_bounds(&tr, target, IFFNET_LP_OKALG, INT_MAX, &ok), 0);
            ck_assert_int_eq(iffnet_i_trace_lp_bounds(&tr, target, IFFNET_LP_NETWORK, INT_MAX, &net), 0);
            ck_assert_int_eq(iffnet_i_trace_lp_bounds(&tr, target, IFFNET_LP_SIMPLEX, INT_MAX, &lp), 0);
            ck_assert_msg(ok.status_min == lp.status_min && ok.status_max == lp.status_max &&
                          net.status_min == lp.status_min && net.status_max == lp.status_max,
                          "case %d: okalg %s, network %s, simplex %s", k, ok.status_text, net.status_text, lp.status_text);
            ck_assert_int_eq(net.n_rows, lp.n_rows);
            ck_assert_int_eq(ok.n_rows, lp.n_rows);
            if (net.status_min != GLP_OPT) continue;
            /* no solver runs when the exact reductions leave no flow to choose */
            ck_assert(!strcmp(ok.solver, "okalg") || (!strcmp(ok.solver, "none") && ok.n_arcs == 0));
            ck_assert(!strcmp(net.solver, "network") || (!strcmp(net.solver, "none") && net.n_arcs == 0));
            ck_assert(net.n_cols == 0 || !strcmp(lp.solver, "simplex"));
            ck_assert_int_eq(ok.n_arcs, net.n_arcs);
            ck_assert(ok.min == floor(ok.min) && ok.max == floor(ok.max));
            ck_assert(net.min == floor(net.min) && net.max == floor(net.max));
            ck_assert_msg(ok.min == net.min && ok.max == net.max && net.min == (double)llround(lp.min) &&
                          net.max == (double)llround(lp.max),
                          "case %d target %lld: okalg [%.0f, %.0f], network [%.0f, %.0f], simplex [%.4f, %.4f]", k,
                          (long long)target, ok.min, ok.max, net.min, net.max, lp.min, lp.max);
            n_net += !strcmp(net.solver, "network");
            n_folded += net.n_cols > 0 && net.n_arcs == 0;
        }
        iffnet_trace_destroy(&tr);
        iffnet_case_destroy(&c);
    }
    /* many comparisons did solve a flow problem, and many reduced it away */
    ck_assert_msg(n_net > 200 && n_folded > 50, "%d solved, %d folded away", n_net, n_folded);
}
END_TEST

/* The choice of solver: auto is the network simplex (it has a step budget),
 * okalg runs when asked while every number fits the int limit (INT_MAX; set lower
 * here so that small data exercises the refusal), GLPK's simplex when asked; a
 * forced solver that cannot take the numbers fails instead. T and A pay each other
 * back and forth (a network the reductions cannot fold), 500.00 seeded in t2. */
START_TEST(solver_fallback)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    iffnet_trace_opts_t o;
    iffnet_trace_bounds_t b, ok, lp;
    iffnet_lp_solver_t s;
    int64_t t = 1, a;
    make_case(&c, "t1,2024-01-01,X,T,1000.00,EUR\n"
                  "t2,2024-01-02,S,T,500.00,EUR\n"
                  "t3,2024-01-03,T,A,800.00,EUR\n"
                  "t4,2024-01-04,A,T,500.00,EUR\n"
                  "t5,2024-01-05,T,A,600.00,EUR\n"
                  "t6,2024-01-06,A,B,900.00,EUR\n", NULL);
    iffnet_trace_opts_default(&o);
    o.seed_tx = &t;
    o.n_seed_tx = 1;
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    a = acc(&c, "A");
    ck_assert_int_eq(iffnet_trace_bounds(&tr, a, &b), 0);
    ck_assert_str_eq(b.solver, "network");
    ck_assert_str_eq(b.status_text, "optimal");
    ck_assert(b.n_arcs > 0 && !b.cut_short && b.steps > 0);
    /* the largest number okalg sees is the seeded 50000 minor units (the total
     * supply; capacities are cut to it) */
    ck_assert_int_eq(iffnet_i_trace_lp_bounds(&tr, a, IFFNET_LP_OKALG, 50000, &ok), 0);
    ck_assert_str_eq(ok.solver, "okalg");
    ck_assert(ok.min == b.min && ok.max == b.max);
    ck_assert_int_eq(iffnet_i_trace_lp_bounds(&tr, a, IFFNET_LP_OKALG, 49999, &ok), IFFNET_ELIMIT);
    ck_assert_int_eq(iffnet_trace_bounds_with(&tr, a, IFFNET_LP_SIMPLEX, &lp), 0);
    ck_assert_str_eq(lp.solver, "simplex");
    ck_assert(fabs(lp.min - b.min) < 0.5 && fabs(lp.max - b.max) < 0.5);
    /* by hand: T holds 1,500.00 (500.00 tainted) and keeps 700.00 after t3, so it
     * may keep all the taint (min 0); at most A gets the 500.00 in t3, pays it all
     * back in t4 and gets it again in t5 (max 1,000.00) */
    ck_assert(b.min == 0 && b.max == 100000);
    for (int r = 0; r < POISON; r++) {
        double v = (double)recv(&tr, &c, "A", r);
        ck_assert(v >= b.min && v <= b.max);
    }
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
    /* 5,000,000,000,000,000.00 seeded: beyond what the network solver's int64 sums
     * allow for this LP, and beyond 2^53 minor units, where the simplex method's
     * doubles would give wrong bounds: every solver refuses rather than guess. */
    make_case(&c, "t1,2024-01-01,X,T,1000.00,EUR\n"
                  "t2,2024-01-02,S,T,5000000000000000.00,EUR\n"
                  "t3,2024-01-03,T,A,800.00,EUR\n"
                  "t4,2024-01-04,A,T,500.00,EUR\n"
                  "t5,2024-01-05,T,A,600.00,EUR\n"
                  "t6,2024-01-06,A,B,900.00,EUR\n", NULL);
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    a = acc(&c, "A");
    ck_assert_int_eq(iffnet_trace_bounds(&tr, a, &b), IFFNET_ELIMIT);
    ck_assert_int_eq(iffnet_trace_bounds_with(&tr, a, IFFNET_LP_SIMPLEX, &b), IFFNET_ELIMIT);
    ck_assert_int_eq(iffnet_trace_bounds_with(&tr, a, IFFNET_LP_NETWORK, &b), IFFNET_ELIMIT);
    ck_assert_int_eq(iffnet_trace_bounds_with(&tr, a, IFFNET_LP_OKALG, &b), IFFNET_ELIMIT);
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
    /* The same amount through one payment: the reductions fold the network away
     * and give the bounds exactly in integers, with no solver: T keeps at most
     * its balance less 200.00 of the taint, so A gets 200.00 to 1,200.00. */
    make_case(&c, "t1,2024-01-01,X,T,1000.00,EUR\n"
                  "t2,2024-01-02,S,T,5000000000000000.00,EUR\n"
                  "t3,2024-01-03,T,A,1200.00,EUR\n", NULL);
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    a = acc(&c, "A");
    for (int k = IFFNET_LP_AUTO; k <= IFFNET_LP_NETWORK; k++) {
        ck_assert_int_eq(iffnet_trace_bounds_with(&tr, a, (iffnet_lp_solver_t)k, &b), 0);
        ck_assert_str_eq(b.solver, "none");
        ck_assert(b.min == 20000 && b.max == 120000 && b.n_arcs == 0);
    }
    ck_assert_int_eq(iffnet_trace_bounds_with(&tr, a, IFFNET_LP_SIMPLEX, &b), IFFNET_ELIMIT);
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
    for (int k = IFFNET_LP_AUTO; k <= IFFNET_LP_SIMPLEX; k++) {
        ck_assert_int_eq(iffnet_lp_solver_parse(iffnet_lp_solver_name((iffnet_lp_solver_t)k), &s), 0);
        ck_assert_int_eq(s, k);
    }
    ck_assert_int_eq(iffnet_lp_solver_parse("glpk", &s), IFFNET_EINVAL);
}
END_TEST

/* The flow solver alone against GLPK's simplex on random networks that are more
 * general than the trace's: cycles, parallel arcs, costs of both signs, zero
 * capacities, and supplies that often cannot be met (no feasible flow). */
START_TEST(mcf_random_networks)
{
    int feasible = 0, infeasible = 0;
    rng_state = 0x2545F4914F6CDD1Dull;
    glp_term_out(GLP_OFF);
    for (int k = 0; k < 500; k++) {
        int n = 2 + (int)(rnd() % 12), na = 1 + (int)(rnd() % (uint64_t)(4 * n)), st, ret;
        int64_t supply[16], sum = 0, obj = 0;
        iffnet_i_trace_mcf_t m;
        glp_prob *P = glp_create_prob();
        glp_smcp parm;
        ck_assert_int_eq(iffnet_i_trace_mcf_init(&m, n, na), 0);
        glp_add_rows(P, n);
        for (int v = 0; v < n - 1; v++) {
            supply[v] = (int64_t)(rnd() % 41) - 20;
            sum += supply[v];
        }
        supply[n - 1] = -sum;
        for (int v = 0; v < n; v++) glp_set_row_bnds(P, v + 1, GLP_FX, (double)supply[v], (double)supply[v]);
        glp_add_cols(P, na);
        for (int a = 0; a < na; a++) {
            int ind[3];
            double val[3] = {0, 1, -1};
            m.src[a] = (int)(rnd() % (uint64_t)n);
            m.dst[a] = (int)(rnd() % (uint64_t)(n - 1));
            if (m.dst[a] >= m.src[a]) m.dst[a]++;
            m.cap[a] = (int64_t)(rnd() % 30);
            m.cost[a] = (int64_t)(rnd() % 9) - 4;
            ind[1] = m.src[a] + 1;
            ind[2] = m.dst[a] + 1;
            glp_set_mat_col(P, a + 1, 2, ind, val);
            glp_set_col_bnds(P, a + 1, m.cap[a] ? GLP_DB : GLP_FX, 0.0, (double)m.cap[a]);
            glp_set_obj_coef(P, a + 1, (double)m.cost[a]);
        }
        glp_init_smcp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        ret = glp_simplex(P, &parm);
        ck_assert_int_eq(ret, 0);
        ck_assert_int_eq(iffnet_i_trace_mcf_solve(&m, supply, 0, &st, &obj), 0);
        if (glp_get_status(P) == GLP_OPT) {
            ck_assert_msg(st == TRACE_MCF_OPTIMAL, "network %d: flow solver finds no flow", k);
            ck_assert_msg(obj == llround(glp_get_obj_val(P)), "network %d: %lld, simplex %.4f", k, (long long)obj,
                          glp_get_obj_val(P));
            for (int v = 0; v < n; v++) { /* the flow itself is feasible */
                int64_t bal = 0;
                for (int a = 0; a < na; a++) {
                    ck_assert(m.flow[a] >= 0 && m.flow[a] <= m.cap[a]);
                    bal += (m.src[a] == v ? m.flow[a] : 0) - (m.dst[a] == v ? m.flow[a] : 0);
                }
                ck_assert_int_eq(bal, supply[v]);
            }
            /* and the opposite objective from the optimal tree gives what a cold start gives */
            for (int a = 0; a < na; a++) m.cost[a] = -m.cost[a];
            ck_assert_int_eq(iffnet_i_trace_mcf_solve(&m, supply, 1, &st, &obj), 0);
            glp_set_obj_dir(P, GLP_MAX);
            ck_assert_int_eq(glp_simplex(P, &parm), 0);
            ck_assert_int_eq(st, TRACE_MCF_OPTIMAL);
            ck_assert_msg(-obj == llround(glp_get_obj_val(P)), "network %d (max): %lld, simplex %.4f", k,
                          (long long)-obj, glp_get_obj_val(P));
            feasible++;
        } else {
            ck_assert_int_eq(glp_get_status(P), GLP_NOFEAS);
            ck_assert_msg(st == TRACE_MCF_INFEASIBLE, "network %d: flow solver finds a flow, simplex none", k);
            infeasible++;
        }
        glp_delete_prob(P);
        iffnet_i_trace_mcf_free(&m);
    }
    ck_assert_int_gt(feasible, 50);
    ck_assert_int_gt(infeasible, 50);
}
END_TEST

/* Cases shaped like laundering structures (chains, fans, trees with a few
 * merges), where the exact reductions fold most of the network: the network
 * simplex on the reduced networks gives GLPK's simplex's bounds on the whole LP,
 * to the minor unit, and the reductions do fold (most targets leave few arcs). */
static void tree_case(iffnet_case_t *c, int *nacc)
{
    static char tx[65536];
    int na = 1, nt = 20 + (int)(rnd() % 120), len = 0;
    for (int i = 0; i < nt && na < 200; i++) {
        int s = (int)(rnd() % (uint64_t)na), d;
        long cents = 100 + (long)(rnd() % 900000);
        if (rnd() % 4) d = na++;                                   /* a new account: the tree grows */
        else d = (int)(rnd() % (uint64_t)na);                      /* money merges */
        if (d == s) d = na++;
        len += snprintf(tx + len, sizeof tx - (size_t)len, "t%d,2024-01-01T%02d:%02d:%02d,A%d,A%d,%ld.%02ld,EUR\n", i,
                        i / 3600, i / 60 % 60, i % 60, s, d, cents / 100, cents % 100);
    }
    make_case(c, tx, NULL);
    *nacc = na;
}

START_TEST(reductions_exact)
{
    int n = 0, folded = 0;
    rng_state = 0x94D049BB133111EBull;
    for (int k = 0; k < 200; k++) {
        iffnet_case_t c;
        iffnet_trace_t tr;
        iffnet_trace_opts_t o;
        int na;
        int64_t seed;
        tree_case(&c, &na);
        iffnet_trace_opts_default(&o);
        seed = iffnet_case_find_account(&c, "A0");
        o.seed_accounts = &seed;
        o.n_seed_accounts = 1;
        o.amount = rnd() % 2 ? 0 : (iffnet_money_t)(1000 + rnd() % 500000);
        ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
        for (int tries = 0; tries < 3; tries++) {
            int64_t target = (int64_t)(rnd() % (uint64_t)c.n_accounts);
            iffnet_trace_bounds_t net, lp;
            ck_assert_int_eq(iffnet_trace_bounds_with(&tr, target, IFFNET_LP_NETWORK, &net), 0);
            ck_assert_int_eq(iffnet_trace_bounds_with(&tr, target, IFFNET_LP_SIMPLEX, &lp), 0);
            ck_assert_msg(net.status_min == lp.status_min && net.status_max == lp.status_max, "case %d: %s / %s", k,
                          net.status_text, lp.status_text);
            if (net.status_min != GLP_OPT) continue;
            ck_assert_msg(net.min == (double)llround(lp.min) && net.max == (double)llround(lp.max),
                          "case %d target %lld: reduced [%.0f, %.0f], simplex [%.4f, %.4f]", k, (long long)target,
                          net.min, net.max, lp.min, lp.max);
            for (int r = 0; r < POISON; r++) {
                double v = (double)iffnet_trace_account(&tr, target, (iffnet_trace_rule_t)r).received;
                ck_assert(v >= net.min && v <= net.max);
            }
            n++;
            folded += net.n_cols > 0 && net.n_arcs * 4 < net.n_cols;
        }
        iffnet_trace_destroy(&tr);
        iffnet_case_destroy(&c);
    }
    ck_assert_msg(n > 500 && folded > n / 4, "%d compared, %d folded", n, folded);
}
END_TEST

/* The LP's step budget: a network that does not fold (T and A pay each other
 * back and forth) stops after the budget, says so, gives no bounds, and does so
 * the same way every time (steps, not seconds). */
START_TEST(lp_step_budget)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    iffnet_trace_opts_t o;
    iffnet_trace_bounds_t b, b2;
    int64_t t = 1;
    char note[256];
    make_case(&c, "t1,2024-01-01,X,T,1000.00,EUR\n"
                  "t2,2024-01-02,S,T,500.00,EUR\n"
                  "t3,2024-01-03,T,A,800.00,EUR\n"
                  "t4,2024-01-04,A,T,500.00,EUR\n"
                  "t5,2024-01-05,T,A,600.00,EUR\n"
                  "t6,2024-01-06,A,B,900.00,EUR\n", NULL);
    iffnet_trace_opts_default(&o);
    o.seed_tx = &t;
    o.n_seed_tx = 1;
    o.lp_max_steps = 5;
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    ck_assert_int_eq(iffnet_trace_bounds(&tr, acc(&c, "A"), &b), 0);
    ck_assert(b.cut_short);
    ck_assert_str_eq(b.status_text, "step budget reached");
    ck_assert(b.steps > 5 && b.max_steps == 5);
    ck_assert_int_eq(iffnet_trace_bounds(&tr, acc(&c, "A"), &b2), 0);
    ck_assert(b2.steps == b.steps && b2.status_min == b.status_min);
    iffnet_trace_bounds_note(note, sizeof note, &b);
    ck_assert(strstr(note, "step budget") && strstr(note, "no bounds"));
    iffnet_trace_destroy(&tr);
    o.lp_max_steps = 0; /* the default */
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    ck_assert_int_eq(iffnet_trace_bounds(&tr, acc(&c, "A"), &b), 0);
    ck_assert(!b.cut_short && b.max_steps == IFFNET_TRACE_LP_MAX_STEPS);
    ck_assert_str_eq(b.status_text, "optimal");
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
}
END_TEST

/* The rules' step budget: a ledger of many alternating lots (T receives tainted
 * and clean money 40 times, then pays it all on, back and forth) costs FIFO and
 * LIFO a step per lot moved; with a budget between what the cheap rules need and
 * what FIFO needs, FIFO and LIFO are stopped and left out, with a note each, and
 * the others are complete and conserved. */
START_TEST(rule_step_budget)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    iffnet_trace_opts_t o;
    static char tx[16384];
    int len = 0, i = 0;
    int64_t s;
    for (; i < 80; i++)
        len += snprintf(tx + len, sizeof tx - (size_t)len, "t%d,2024-01-01T00:%02d:%02d,%s,T,10.00,EUR\n", i, i / 60,
                        i % 60, i % 2 ? "X" : "S");
    for (int k = 0; k < 60; k++, i++)
        len += snprintf(tx + len, sizeof tx - (size_t)len, "t%d,2024-01-02T00:%02d:%02d,%s,%s,800.00,EUR\n", i,
                        k / 60, k % 60, k % 2 ? "U" : "T", k % 2 ? "T" : "U");
    make_case(&c, tx, NULL);
    s = acc(&c, "S");
    iffnet_trace_opts_default(&o);
    o.seed_accounts = &s;
    o.n_seed_accounts = 1;
    o.max_steps = 1000;
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    ck_assert_uint_eq(tr.rules_cut, RULE(FIFO) | RULE(LIFO));
    ck_assert_uint_eq(tr.opts.rules & (RULE(FIFO) | RULE(LIFO)), 0);
    ck_assert_int_eq(tr.n_notes, 2);
    ck_assert(strstr(tr.notes[0], "fifo: stopped after") && strstr(tr.notes[0], "--max-steps"));
    ck_assert_int_eq(tr.n_txflow[FIFO], 0);
    for (int r = PRO; r < POISON; r++) ck_assert(iffnet_trace_conserved(&tr, (iffnet_trace_rule_t)r));
    ck_assert_int_eq(tr.injected, 40 * 1000);
    iffnet_trace_destroy(&tr);
    o.max_steps = 1; /* every rule: an error, not an empty answer */
    CHECK_ERROR(iffnet_trace_run(&tr, &c, &o), IFFNET_ELIMIT, "every rule needed more than 1 ledger steps");
    o.max_steps = 0;
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    ck_assert_uint_eq(tr.rules_cut, 0);
    ck_assert_int_eq(tr.n_notes, 0);
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
}
END_TEST

/* Paths walk back at most max_len transfers and say when they stop short: a chain
 * C0 -> C1 -> ... -> C120, each hop keeping 1.00. */
START_TEST(path_limits)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    static char tx[16384];
    const char *seeds[] = {"C0"};
    int64_t *p, n, budget = IFFNET_TRACE_PATHS_STEPS, last = -1;
    int complete, len = 0;
    for (int i = 0; i < 120; i++)
        len += snprintf(tx + len, sizeof tx - (size_t)len, "c%d,2024-01-01T00:%02d:%02d,C%d,C%d,%d.00,EUR\n", i, i / 60,
                        i % 60, i, i + 1, 1000 - i);
    make_case(&c, tx, NULL);
    run_from(&tr, &c, seeds, 1, 0);
    ck_assert_int_eq(iffnet_trace_path(&tr, acc(&c, "C120"), FIFO, 0, &p, &n, &complete), 0);
    ck_assert(n == 120 && complete);
    ck_assert_str_eq(iffnet_case_tx_id(&c, p[0]), "c0");
    free(p);
    ck_assert_int_eq(iffnet_trace_path(&tr, acc(&c, "C120"), FIFO, 50, &p, &n, &complete), 0);
    ck_assert(n == 50 && !complete);
    ck_assert_str_eq(iffnet_case_tx_id(&c, p[0]), "c70"); /* the 50 nearest the holder, oldest first */
    ck_assert_str_eq(iffnet_case_tx_id(&c, p[49]), "c119");
    free(p);
    for (int64_t i = 0; i < tr.n_touched; i++)
        if (tr.touched[i] == acc(&c, "C120")) last = i;
    ck_assert_int_eq(iffnet_trace_holder_path(&tr, last, &budget, &p, &n, &complete), 0);
    ck_assert(n == IFFNET_TRACE_PATH_MAX && !complete && budget == IFFNET_TRACE_PATHS_STEPS - n - 1);
    free(p);
    budget = 0; /* spent: no path, and said so */
    ck_assert_int_eq(iffnet_trace_holder_path(&tr, last, &budget, &p, &n, &complete), 0);
    ck_assert(n == 0 && !complete && !p);
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
}
END_TEST

/* A layering chain across borders between accounts of the case (DE -> ES -> NL ->
 * VN -> AE), each hop passing on what it got less a fee: traced forward from its
 * start, every conserving rule brings the money to its end; backward from its
 * end, the start is the origin of all of it. With stop_abroad it stops at the
 * first border, as before. */
START_TEST(cross_border_chain)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    iffnet_trace_opts_t o;
    int64_t s;
    make_case(&c, "l1,2024-02-01,DE1,ES1,10000.00,EUR\n"
                  "l2,2024-02-02,ES1,NL1,9900.00,EUR\n"
                  "l3,2024-02-03,NL1,VN1,9800.00,EUR\n"
                  "l4,2024-02-04,VN1,AE1,9700.00,EUR\n",
              "DE1,account,d,DE\nES1,account,e,ES\nNL1,account,n,NL\nVN1,account,v,VN\nAE1,account,a,AE\n");
    for (int stop = 0; stop < 2; stop++) {
        iffnet_trace_opts_default(&o);
        s = acc(&c, "DE1");
        o.seed_accounts = &s;
        o.n_seed_accounts = 1;
        o.stop_abroad = stop;
        ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
        for (int r = 0; r < POISON; r++) {
            ck_assert_int_eq(recv(&tr, &c, "AE1", r), stop ? 0 : 970000);
            ck_assert_int_eq(tr.total_left[r][IFFNET_EXIT_ABROAD], stop ? 1000000 : 0);
        }
        iffnet_trace_destroy(&tr);
    }
    iffnet_trace_opts_default(&o);
    s = acc(&c, "AE1");
    o.seed_accounts = &s;
    o.n_seed_accounts = 1;
    o.backward = 1;
    o.max_hops = 4;
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), 0);
    for (int64_t k = 0; k < tr.n_origins; k++)
        if (tr.origin_account[k] == acc(&c, "DE1"))
            for (int r = 0; r < POISON; r++)
                if (tr.opts.rules & RULE(r)) ck_assert_int_eq(tr.origin_amount[k * IFFNET_TRACE_NRULES + r], 970000);
    iffnet_trace_destroy(&tr);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(bad_options)
{
    iffnet_case_t c;
    iffnet_trace_t tr;
    iffnet_trace_opts_t o;
    unsigned mask;
    int64_t bad = 999;
    make_case(&c, "t1,2024-01-01,X,T,1.00,EUR\n", NULL);
    iffnet_trace_opts_default(&o);
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), IFFNET_EINVAL); /* no seed */
    o.seed_accounts = &bad;
    o.n_seed_accounts = 1;
    ck_assert_int_eq(iffnet_trace_run(&tr, &c, &o), IFFNET_EINVAL);
    ck_assert_int_eq(iffnet_trace_rules_parse("fifo,nope", &mask), IFFNET_EINVAL);
    ck_assert_int_eq(iffnet_trace_rules_parse("fifo,haircut", &mask), 0);
    ck_assert_uint_eq(mask, (1u << FIFO) | (1u << PRO));
    ck_assert_int_eq(iffnet_trace_rules_parse("all", &mask), 0);
    ck_assert_uint_eq(mask, IFFNET_TRACE_ALL_RULES);
    iffnet_case_destroy(&c);
}
END_TEST

/* A GLPK fatal error inside the guard is an error return, and GLPK works after. */
static int glpk_bad_call(void *arg)
{
    (void)arg;
    glp_graph *G = glp_create_graph(0, 0);
    glp_add_vertices(G, -1); /* fatal in GLPK: a negative count */
    glp_delete_graph(G);
    return 0;
}

static int glpk_small_lp(void *arg)
{
    double *z = arg;
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MAX);
    glp_add_cols(P, 1);
    glp_set_col_bnds(P, 1, GLP_DB, 0.0, 7.0);
    glp_set_obj_coef(P, 1, 1.0);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    int ret = glp_simplex(P, &parm);
    *z = glp_get_obj_val(P);
    glp_delete_prob(P);
    return ret;
}

START_TEST(glpk_fatal_error_is_caught)
{
    double z = 0;
    CHECK_ERROR(iffnet_i_glpk_call(glpk_bad_call, NULL, "a test"), IFFNET_ESOLVER, "a test");
    ck_assert_int_eq(iffnet_i_glpk_call(glpk_small_lp, &z, "a test"), 0);
    ck_assert(fabs(z - 7.0) < 1e-9);
}
END_TEST

static Suite *trace_suite(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, worked_example, 0, (int)(sizeof examples / sizeof examples[0]));
    tcase_add_test(tc, glpk_fatal_error_is_caught);
    tcase_add_test(tc, prorata_tie_backward);
    tcase_add_test(tc, exits_by_kind);
    tcase_add_test(tc, marked_external);
    tcase_add_test(tc, amount_and_hops);
    tcase_add_test(tc, from_tx_and_bounds);
    tcase_add_test(tc, invariants_generated);
    tcase_add_test(tc, solvers_agree);
    tcase_add_test(tc, solver_fallback);
    tcase_add_test(tc, mcf_random_networks);
    tcase_add_test(tc, bad_options);
    tcase_add_test(tc, reductions_exact);
    tcase_add_test(tc, lp_step_budget);
    tcase_add_test(tc, rule_step_budget);
    tcase_add_test(tc, path_limits);
    tcase_add_test(tc, cross_border_chain);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(trace_suite());
}
