/* test_evaluate.c: reading alerts back (alert_read) and scoring them (evaluate). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "iffnet/iffnet.h"
#include "iffnet/alert_read.h"
#include "iffnet/evaluate.h"
#include "testutil.h"

#define DATA IFFNET_TEST_SRCDIR "/tests/data/evaluate/"
#define EPS 1e-6

/* ---------------------------------------------------------------- alert_read */

static const char *ALERTS =
    "{\"id\":\"A000001\",\"typology\":\"fan_in\",\"score\":0.9,\"accounts\":[\"C\",\"A\",\"B\"],"
    "\"transactions\":[\"t2\",\"t1\"],\"amount\":\"48300.10\",\"currency\":\"EUR\","
    "\"first\":\"2024-01-01T00:00:00Z\",\"last\":\"2024-01-03T00:00:00Z\","
    "\"reasons\":[\"3 senders paid C within 2 days\"]}\n"
    "\n"
    "{\"id\":\"A000002\",\"typology\":\"CYCLE\",\"score\":1,\"accounts\":[\"A\",\"D\"],"
    "\"transactions\":[],\"amount\":12.5,\"extra\":{\"ignored\":true}}\n";

START_TEST(alert_read_without_case)
{
    iffnet_strtab_t acc, tx;
    iffnet_alert_list_t l;
    const iffnet_alert_t *a;
    ck_assert_int_eq(iffnet_strtab_init(&acc), 0);
    ck_assert_int_eq(iffnet_strtab_init(&tx), 0);
    ck_assert_int_eq(iffnet_alert_read_jsonl_ids(tu_write("a.jsonl", ALERTS), NULL, &acc, &tx, &l),
                     IFFNET_OK);
    ck_assert_int_eq(l.n, 2);
    a = &l.items[0];
    ck_assert_str_eq(a->id, "A000001");
    ck_assert_int_eq(a->typology, IFFNET_TYP_FAN_IN);
    ck_assert_double_eq(a->score, 0.9);
    /* Interned in order of appearance: C=0, A=1, B=2; stored sorted. */
    ck_assert_int_eq(a->n_accounts, 3);
    ck_assert_str_eq(iffnet_strtab_get(&acc, a->accounts[0]), "C");
    ck_assert_str_eq(iffnet_strtab_get(&acc, a->accounts[1]), "A");
    ck_assert_str_eq(iffnet_strtab_get(&acc, a->accounts[2]), "B");
    ck_assert_int_eq(a->n_tx, 2);
    ck_assert_int_eq(a->amount, 4830010);
    ck_assert_int_eq(a->currency, -1);
    ck_assert_int_eq(a->first, 1704067200);
    ck_assert_int_eq(a->last, 1704067200 + 2 * 86400);
    ck_assert_int_eq(a->n_reasons, 1);
    ck_assert_str_eq(a->reasons[0], "3 senders paid C within 2 days");
    a = &l.items[1];
    ck_assert_str_eq(a->id, "A000002");
    ck_assert_int_eq(a->typology, IFFNET_TYP_CYCLE);
    ck_assert_int_eq(a->n_accounts, 2);
    ck_assert_int_eq(a->n_tx, 0);
    ck_assert_int_eq(a->amount, 1250);
    ck_assert_int_eq(acc.n, 4); /* A seen again: still 4 distinct accounts */
    iffnet_alert_list_destroy(&l);
    /* The plain reader numbers ids itself. */
    ck_assert_int_eq(iffnet_alert_read_jsonl(tu_write("b.jsonl", ALERTS), NULL, &l), IFFNET_OK);
    ck_assert_int_eq(l.n, 2);
    iffnet_alert_list_destroy(&l);
    iffnet_strtab_destroy(&acc);
    iffnet_strtab_destroy(&tx);
}
END_TEST

/* Ingests a small native case: accounts A..D, transactions t1..t3 in EUR. */
static void small_case(iffnet_case_t *c)
{
    tu_case_from_csv(c,
                     "tx_id,timestamp,source,target,amount,currency\n"
                     "t1,2024-01-01,A,C,100.00,EUR\n"
                     "t2,2024-01-02,B,C,200.00,EUR\n"
                     "t3,2024-01-03,C,D,290.00,EUR\n",
                     NULL, NULL);
}

START_TEST(alert_read_with_case)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    const iffnet_alert_t *a;
    small_case(&c);
    ck_assert_int_eq(iffnet_alert_read_jsonl(tu_write("a.jsonl", ALERTS), &c, &l), IFFNET_OK);
    a = &l.items[0];
    ck_assert_int_eq(a->n_accounts, 3);
    ck_assert_str_eq(iffnet_case_account_id(&c, a->accounts[0]), "A"); /* sorted case indices */
    ck_assert_str_eq(iffnet_case_tx_id(&c, a->tx[0]), "t1");
    ck_assert_str_eq(iffnet_case_tx_id(&c, a->tx[1]), "t2");
    ck_assert_str_eq(iffnet_case_currency(&c, a->currency), "EUR");
    ck_assert_int_eq(a->amount, 4830010);
    iffnet_alert_list_destroy(&l);
    CHECK_ERROR(iffnet_alert_read_jsonl(tu_write("u.jsonl",
        "{\"id\":\"x\",\"typology\":\"mule\",\"score\":0.5,\"accounts\":[\"A\",\"Z\"],\"transactions\":[]}\n"),
        &c, &l), IFFNET_EDATA, "u.jsonl:1: member 'accounts': account 'Z' is not in the case");
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    CHECK_ERROR(iffnet_alert_read_jsonl(tu_write("v.jsonl",
        "{\"id\":\"x\",\"typology\":\"mule\",\"score\":0.5,\"accounts\":[],\"transactions\":[\"t9\"]}\n"),
        &c, &l), IFFNET_EDATA, "v.jsonl:1: member 'transactions': transaction 't9' is not in the case");
    iffnet_alert_list_destroy(&l);
    CHECK_ERROR(iffnet_alert_read_jsonl(tu_write("w.jsonl",
        "{\"id\":\"x\",\"typology\":\"mule\",\"score\":0.5,\"accounts\":[],\"transactions\":[],\"currency\":\"JPY\"}\n"),
        &c, &l), IFFNET_EDATA, "member 'currency': 'JPY' is not a currency of the case");
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* What detect writes, evaluate reads back unchanged. */
START_TEST(alert_read_round_trip)
{
    iffnet_case_t c;
    iffnet_alert_list_t w, r;
    iffnet_alert_t *a;
    int64_t acc[] = {2, 0}, tx[] = {1, 0};
    const char *path;
    FILE *fp;
    int64_t i, k;
    small_case(&c);
    iffnet_alert_list_init(&w);
    ck_assert_int_eq(iffnet_alert_list_add(&w, IFFNET_TYP_FAN_IN, 0.75, acc, 2, tx, 2, &a), 0);
    ck_assert_int_eq(iffnet_alert_add_reason(a, "two \"senders\"\tpaid C"), 0);
    ck_assert_int_eq(iffnet_alert_list_add(&w, IFFNET_TYP_LAYERING, 0.5, acc, 1, NULL, 0, &a), 0);
    ck_assert_int_eq(iffnet_alert_list_finish(&w, &c), 0);
    path = tu_path("rt.jsonl");
    fp = fopen(path, "w");
    ck_assert_int_eq(iffnet_alert_write_jsonl(&w, &c, fp), 0);
    fclose(fp);
    ck_assert_msg(iffnet_alert_read_jsonl(path, &c, &r) == IFFNET_OK, "%s", iffnet_errmsg());
    ck_assert_int_eq(r.n, w.n);
    /* From memory, the file's bytes read back the same alerts. */
    size_t size;
    char *bytes = tu_read_file(path, &size);
    iffnet_alert_list_t m;
    ck_assert_msg(iffnet_alert_read_jsonl_mem(path, bytes, size, &c, &m) == IFFNET_OK, "%s", iffnet_errmsg());
    ck_assert_int_eq(m.n, r.n);
    for (i = 0; i < r.n; i++) {
        ck_assert_str_eq(m.items[i].id, r.items[i].id);
        ck_assert_int_eq(m.items[i].n_accounts, r.items[i].n_accounts);
        ck_assert_int_eq(m.items[i].n_tx, r.items[i].n_tx);
        ck_assert_int_eq(m.items[i].amount, r.items[i].amount);
        for (k = 0; k < r.items[i].n_reasons; k++) ck_assert_str_eq(m.items[i].reasons[k], r.items[i].reasons[k]);
    }
    iffnet_alert_list_destroy(&m);
    free(bytes);
    for (i = 0; i < w.n; i++) {
        const iffnet_alert_t *x = &w.items[i], *y = &r.items[i];
        ck_assert_str_eq(x->id, y->id);
        ck_assert_int_eq(x->typology, y->typology);
        ck_assert_double_eq_tol(x->score, y->score, 1e-4);
        ck_assert_int_eq(x->n_accounts, y->n_accounts);
        for (k = 0; k < x->n_accounts; k++)
            ck_assert_int_eq(x->accounts[k], y->accounts[k]);
        ck_assert_int_eq(x->n_tx, y->n_tx);
        for (k = 0; k < x->n_tx; k++)
            ck_assert_int_eq(x->tx[k], y->tx[k]);
        ck_assert_int_eq(x->amount, y->amount);
        ck_assert_int_eq(x->currency, y->currency);
        ck_assert_int_eq(x->first, y->first);
        ck_assert_int_eq(x->last, y->last);
        ck_assert_int_eq(x->n_reasons, y->n_reasons);
        for (k = 0; k < x->n_reasons; k++)
            ck_assert_str_eq(x->reasons[k], y->reasons[k]);
    }
    iffnet_alert_list_destroy(&w);
    iffnet_alert_list_destroy(&r);
    iffnet_case_destroy(&c);
}
END_TEST

/* Each bad line follows one good line, so the error is on line 2. */
static void bad_alert(const char *line, const char *msg)
{
    char text[1024];
    iffnet_alert_list_t l;
    const char *p;
    snprintf(text, sizeof text,
             "{\"id\":\"ok\",\"typology\":\"fan_out\",\"score\":0,\"accounts\":[\"A\"],\"transactions\":[]}\n%s\n",
             line);
    p = tu_write("bad.jsonl", text);
    CHECK_ERROR(iffnet_alert_read_jsonl(p, NULL, &l), IFFNET_EDATA, msg);
    ck_assert_msg(strstr(iffnet_errmsg(), "bad.jsonl:2"), "no file:line in '%s'", iffnet_errmsg());
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    /* The same bytes from memory, under the file's name: the same message. */
    char *from_file = strdup(iffnet_errmsg());
    ck_assert_ptr_nonnull(from_file);
    CHECK_ERROR(iffnet_alert_read_jsonl_mem(p, text, strlen(text), NULL, &l), IFFNET_EDATA, msg);
    ck_assert_str_eq(iffnet_errmsg(), from_file);
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    free(from_file);
}

#define HEAD "\"typology\":\"fan_in\",\"score\":0.5"
START_TEST(alert_read_errors)
{
    iffnet_alert_list_t l;
    bad_alert("[1]", "bad.jsonl:2: an array, expected an alert object");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[\"A\"]", "bad.jsonl:2:59: unexpected end of input in object");
    bad_alert("{" HEAD ",\"accounts\":[],\"transactions\":[]}", "member 'id': is missing");
    bad_alert("{\"id\":\"ok\"," HEAD ",\"accounts\":[],\"transactions\":[]}", "member 'id': 'ok' appears on an earlier line");
    bad_alert("{\"id\":\"\"," HEAD ",\"accounts\":[],\"transactions\":[]}", "member 'id': is empty");
    bad_alert("{\"id\":7," HEAD ",\"accounts\":[],\"transactions\":[]}", "member 'id': is a number, expected a string");
    bad_alert("{\"id\":\"a\",\"typology\":\"smurfing\",\"score\":0.5,\"accounts\":[],\"transactions\":[]}",
              "member 'typology': 'smurfing' is not a known typology");
    bad_alert("{\"id\":\"a\",\"typology\":\"fan_in\",\"score\":1.5,\"accounts\":[],\"transactions\":[]}",
              "member 'score': 1.5 is outside [0, 1]");
    bad_alert("{\"id\":\"a\",\"typology\":\"fan_in\",\"score\":\"0.5\",\"accounts\":[],\"transactions\":[]}",
              "member 'score': is a string, expected a number");
    bad_alert("{\"id\":\"a\"," HEAD ",\"transactions\":[]}", "member 'accounts': is missing");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":null,\"transactions\":[]}", "member 'accounts': is null");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[\"A\",3],\"transactions\":[]}",
              "member 'accounts': element 2 is a number, expected an id string");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[\"\"],\"transactions\":[]}", "member 'accounts': element 1 is not a valid id");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[],\"transactions\":\"t1\"}",
              "member 'transactions': is a string, expected an array");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[],\"transactions\":[],\"amount\":\"12,5\"}",
              "member 'amount': '12,5' is not an amount");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[],\"transactions\":[],\"amount\":[1]}",
              "member 'amount': is an array, expected a number or a string");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[],\"transactions\":[],\"first\":\"yesterday\"}",
              "member 'first': 'yesterday' is not a timestamp");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[],\"transactions\":[],\"first\":\"2024-02-01\",\"last\":\"2024-01-01\"}",
              "member 'last': is before 'first'");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[],\"transactions\":[],\"reasons\":[\"x\",null]}",
              "member 'reasons': element 2 is null, expected a string");
    /* A NUL would cut the string: an id "\u0000x" would be written back empty,
     * "a\u0000x" and "a\u0000y" would be one id, a reason would lose its end. */
    bad_alert("{\"id\":\"\\u0000x\"," HEAD ",\"accounts\":[],\"transactions\":[]}",
              "bad.jsonl:2:7: a NUL character (\\u0000) in a string");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[],\"transactions\":[],\"reasons\":[\"paid\\u0000 twice\"]}",
              "a NUL character (\\u0000) in a string");
    bad_alert("{\"id\":\"a\"," HEAD ",\"accounts\":[],\"transactions\":[],\"x\\u0000\":1}",
              "a NUL character (\\u0000) in a string");
    CHECK_ERROR(iffnet_alert_read_jsonl("/nonexistent/alerts.jsonl", NULL, &l), IFFNET_EIO,
                "cannot open '/nonexistent/alerts.jsonl'");
    iffnet_alert_list_destroy(&l);
}
END_TEST

/* ---------------------------------------------------------------- evaluate */

static void read_pair(iffnet_truth_t *t, const char *truth, const iffnet_truth_opts_t *o, const char *alerts,
                      iffnet_case_t *c, iffnet_alert_list_t *al)
{
    ck_assert_msg(iffnet_truth_read(t, truth, o) == IFFNET_OK, "%s", iffnet_errmsg());
    ck_assert_msg(iffnet_eval_read_alerts(t, alerts, c, al) == IFFNET_OK, "%s", iffnet_errmsg());
}

static void check_count(const iffnet_eval_count_t *c, int64_t structures, int64_t found, int64_t typed,
                        int64_t alerts, int64_t hit)
{
    ck_assert_int_eq(c->structures, structures);
    ck_assert_int_eq(c->found, found);
    ck_assert_int_eq(c->typed_found, typed);
    ck_assert_int_eq(c->alerts, alerts);
    ck_assert_int_eq(c->alerts_hit, hit);
}

static void check_prf(const iffnet_eval_prf_t *p, int64_t truth, int64_t predicted, int64_t tp, double prec,
                      double rec, double f1)
{
    ck_assert_int_eq(p->truth, truth);
    ck_assert_int_eq(p->predicted, predicted);
    ck_assert_int_eq(p->tp, tp);
    ck_assert_double_eq_tol(p->precision, prec, EPS);
    ck_assert_double_eq_tol(p->recall, rec, EPS);
    ck_assert_double_eq_tol(p->f1, f1, EPS);
}

/* tests/data/evaluate/answer_key.csv against alerts.jsonl, by hand:
 *   S1 fan_in {A,B,C,D}        X1 fan_in {A,B,D}: 3 of 4 >= half -> found, typed
 *   S2 cycle {E,F,G}           X2 fan_out {E,F,Z}: 2 of 3 -> found, not typed
 *   S3 layering {H..M} (6)     X3 layering {H,I,Y}: 2 of 6 < half -> no;
 *                              X4 layering {J,K,L}: 3 of 6 = half -> found, typed
 *   S4 shell_network {N,O}     no alert -> not found
 *   X5 mule {W}                hits nothing
 * all: 4 structures, 3 found, 2 typed; 5 alerts, 3 hit (X1, X2, X4).
 * Accounts: true A..O = 15; predicted A,B,D,E,F,Z,H,I,Y,J,K,L,W = 13; tp 10:
 *   P = 10/13 = 0.769231, R = 10/15 = 0.666667, F1 = 20/28 = 0.714286.
 * Transactions: true t1..t11 = 11; predicted t1,t2,t4,t99,t7,t9,t10,t50 = 8; tp 6:
 *   P = 6/8 = 0.75, R = 6/11 = 0.545455, F1 = 12/19 = 0.631579.
 * Alerts per 1,000 of 200 accounts: 5 * 1000 / 200 = 25. */
START_TEST(eval_answer_key)
{
    iffnet_truth_t t;
    iffnet_alert_list_t al;
    iffnet_eval_result_t r;
    read_pair(&t, DATA "answer_key.csv", NULL, DATA "alerts.jsonl", NULL, &al);
    ck_assert_int_eq(t.format, IFFNET_TRUTH_ANSWER_KEY);
    ck_assert_int_eq(t.n, 4);
    ck_assert_str_eq(t.items[0].id, "S1");
    ck_assert_int_eq(t.items[3].n_tx, 0);
    ck_assert_int_eq(t.items[2].line, 4);
    ck_assert_int_eq(iffnet_eval_score(&t, &al, 200, &r), IFFNET_OK);
    check_count(&r.by_typology[IFFNET_TYP_FAN_IN], 1, 1, 1, 1, 1);
    check_count(&r.by_typology[IFFNET_TYP_CYCLE], 1, 1, 0, 0, 0);
    check_count(&r.by_typology[IFFNET_TYP_LAYERING], 1, 1, 1, 2, 1);
    check_count(&r.by_typology[IFFNET_TYP_SHELL_NETWORK], 1, 0, 0, 0, 0);
    check_count(&r.by_typology[IFFNET_TYP_FAN_OUT], 0, 0, 0, 1, 1);
    check_count(&r.by_typology[IFFNET_TYP_MULE], 0, 0, 0, 1, 0);
    check_count(&r.all, 4, 3, 2, 5, 3);
    check_prf(&r.accounts, 15, 13, 10, 10.0 / 13, 10.0 / 15, 20.0 / 28);
    ck_assert_int_eq(r.has_tx, 1);
    check_prf(&r.tx, 11, 8, 6, 0.75, 6.0 / 11, 12.0 / 19);
    ck_assert_double_eq_tol(r.alerts_per_1000, 25.0, EPS);
    /* Unknown account count: no rate. */
    ck_assert_int_eq(iffnet_eval_score(&t, &al, 0, &r), IFFNET_OK);
    ck_assert(isnan(r.alerts_per_1000));
    iffnet_alert_list_destroy(&al);
    iffnet_truth_destroy(&t);
}
END_TEST

/* The same pair, structure by structure: S1 typed by X1 (3 accounts), S2
 * found by X2 (a fan_out, 2), S3 typed by X4 (3; X3 covers only 2 of 6), S4
 * missed. */
START_TEST(eval_outcomes_per_structure)
{
    iffnet_truth_t t;
    iffnet_alert_list_t al;
    iffnet_eval_outcome_t oc[4];
    read_pair(&t, DATA "answer_key.csv", NULL, DATA "alerts.jsonl", NULL, &al);
    ck_assert_int_eq(iffnet_eval_outcomes(&t, &al, oc), IFFNET_OK);
    ck_assert(oc[0].found && oc[0].typed && oc[0].covered == 3);
    ck_assert_str_eq(al.items[oc[0].alert].id, "X1");
    ck_assert(oc[1].found && !oc[1].typed && oc[1].covered == 2);
    ck_assert_str_eq(al.items[oc[1].alert].id, "X2");
    ck_assert(oc[2].found && oc[2].typed && oc[2].covered == 3);
    ck_assert_str_eq(al.items[oc[2].alert].id, "X4");
    ck_assert(!oc[3].found && !oc[3].typed && oc[3].alert == -1 && oc[3].covered == 0);
    /* the counts agree with iffnet_eval_score() */
    iffnet_eval_result_t r;
    ck_assert_int_eq(iffnet_eval_score(&t, &al, 0, &r), IFFNET_OK);
    int64_t found = 0, typed = 0;
    for (int i = 0; i < 4; i++) { found += oc[i].found; typed += oc[i].typed; }
    ck_assert_int_eq(found, r.all.found);
    ck_assert_int_eq(typed, r.all.typed_found);
    iffnet_alert_list_destroy(&al);
    iffnet_truth_destroy(&t);
}
END_TEST

/* amlsim_alert_transactions.csv against amlsim_alerts.jsonl:
 *   alert 1 fan_in {100,101,102,103} tx {10,11,12} (rows not contiguous)
 *   alert 2 cycle, is_sar=False, {200,201,202} tx {20,21,22}
 *   alert 3 random -> layering {300,301,302} tx {30,31}
 *   Y1 fan_in {100,101,103}: 3 of 4 -> 1 found, typed
 *   Y2 layering {301,302,399}: 2 of 3 -> 3 found, typed
 *   Y3 cycle {200}: 1 of 3 < half -> 2 not found
 * Default (false alerts count): 3 structures, 2 found, 2 typed.
 *   accounts: true 10, predicted {100,101,103,301,302,399,200} = 7, tp 6: P 6/7, R 0.6, F1 12/17
 *   tx: true 8, predicted {10,11,31,20} = 4, tp 4: P 1, R 0.5, F1 2/3
 * --sar-only: alert 2 left out: 2 structures, both found;
 *   accounts: true 7, tp 5 (200 is no longer true): P 5/7, R 5/7, F1 5/7
 *   tx: true 5, tp 3: P 0.75, R 0.6, F1 2/3 */
START_TEST(eval_amlsim)
{
    iffnet_truth_t t;
    iffnet_alert_list_t al;
    iffnet_eval_result_t r;
    iffnet_truth_opts_t o = {IFFNET_TRUTH_AUTO, 1, NULL};
    read_pair(&t, DATA "amlsim_alert_transactions.csv", NULL, DATA "amlsim_alerts.jsonl", NULL, &al);
    ck_assert_int_eq(t.format, IFFNET_TRUTH_AMLSIM);
    ck_assert_int_eq(t.n, 3);
    ck_assert_int_eq(t.items[0].n_accounts, 4);
    ck_assert_int_eq(t.items[0].n_tx, 3);
    ck_assert_int_eq(t.items[2].typology, IFFNET_TYP_LAYERING);
    ck_assert_int_eq(iffnet_eval_score(&t, &al, 0, &r), IFFNET_OK);
    check_count(&r.all, 3, 2, 2, 3, 2);
    check_count(&r.by_typology[IFFNET_TYP_CYCLE], 1, 0, 0, 1, 0);
    check_prf(&r.accounts, 10, 7, 6, 6.0 / 7, 0.6, 12.0 / 17);
    check_prf(&r.tx, 8, 4, 4, 1.0, 0.5, 2.0 / 3);
    iffnet_alert_list_destroy(&al);
    iffnet_truth_destroy(&t);

    read_pair(&t, DATA "amlsim_alert_transactions.csv", &o, DATA "amlsim_alerts.jsonl", NULL, &al);
    ck_assert_int_eq(t.n, 2);
    ck_assert_int_eq(t.n_excluded, 1);
    ck_assert_int_eq(iffnet_eval_score(&t, &al, 0, &r), IFFNET_OK);
    check_count(&r.all, 2, 2, 2, 3, 2);
    check_prf(&r.accounts, 7, 7, 5, 5.0 / 7, 5.0 / 7, 5.0 / 7);
    check_prf(&r.tx, 5, 4, 3, 0.75, 0.6, 2.0 / 3);
    iffnet_alert_list_destroy(&al);
    iffnet_truth_destroy(&t);
}
END_TEST

/* amlworld_patterns.txt: attempt 1 FAN-IN {21174_800737690, 12_80011F990,
 * 20_80020C5B0, 1_80006A5E0} (banks lose their leading zeros), attempt 2 RANDOM
 * (layering) {7_A1, 8_B1, 9_C1}.
 *   Z1 fan_in {021174_800737690 (= 21174_...), 12_80011F990}: 2 of 4 -> found, typed
 *   Z2 cycle {8_B1, 9_C1, 5_X}: 2 of 3 -> found, not typed
 * accounts: true 7, predicted 5, tp 4: P 0.8, R 4/7, F1 8/12.
 * Without a case there are no transaction ids to compare. With the case
 * ingested from amlworld_trans.csv (rows 1-5 are the attempts' transactions,
 * row 6 is not), Z1 names rows 1, 2 and Z2 rows 5, 6: by (from, to, time,
 * amount) 3 of the 4 are true: tx true 5, predicted 4, tp 3: P 0.75, R 0.6, F1 2/3.
 * The case has 8 accounts: 2 alerts -> 250 per 1,000. */
START_TEST(eval_amlworld)
{
    iffnet_truth_t t;
    iffnet_alert_list_t al;
    iffnet_eval_result_t r;
    iffnet_case_t c;
    iffnet_ingest_opts_t io;
    iffnet_truth_opts_t o = {IFFNET_TRUTH_AUTO, 0, NULL};

    read_pair(&t, DATA "amlworld_patterns.txt", NULL, DATA "amlworld_alerts.jsonl", NULL, &al);
    ck_assert_int_eq(t.format, IFFNET_TRUTH_AMLWORLD);
    ck_assert_int_eq(t.n, 2);
    ck_assert_str_eq(t.items[1].id, "2");
    ck_assert_int_eq(t.items[1].line, 7);
    ck_assert_int_eq(t.has_tx, 0);
    ck_assert_int_eq(iffnet_eval_score(&t, &al, 0, &r), IFFNET_OK);
    check_count(&r.by_typology[IFFNET_TYP_FAN_IN], 1, 1, 1, 1, 1);
    check_count(&r.by_typology[IFFNET_TYP_LAYERING], 1, 1, 0, 0, 0);
    check_prf(&r.accounts, 7, 5, 4, 0.8, 4.0 / 7, 8.0 / 12);
    ck_assert_int_eq(r.has_tx, 0);
    iffnet_alert_list_destroy(&al);
    iffnet_truth_destroy(&t);

    iffnet_ingest_opts_default(&io);
    ck_assert_int_eq(iffnet_ingest_preset(&io, "amlworld"), 0);
    ck_assert_msg(tu_ingest_try(&c, DATA "amlworld_trans.csv", NULL, NULL, NULL, &io, NULL) == IFFNET_OK, "%s",
                  iffnet_errmsg());
    o.c = &c;
    read_pair(&t, DATA "amlworld_patterns.txt", &o, DATA "amlworld_alerts_case.jsonl", &c, &al);
    ck_assert_int_eq(t.has_tx, 1);
    ck_assert_int_eq(iffnet_eval_score(&t, &al, c.n_accounts, &r), IFFNET_OK);
    check_count(&r.all, 2, 2, 1, 2, 2);
    check_prf(&r.accounts, 7, 5, 4, 0.8, 4.0 / 7, 8.0 / 12);
    check_prf(&r.tx, 5, 4, 3, 0.75, 0.6, 2.0 / 3);
    ck_assert_double_eq_tol(r.alerts_per_1000, 250.0, EPS);
    iffnet_alert_list_destroy(&al);
    iffnet_truth_destroy(&t);
    iffnet_case_destroy(&c);
}
END_TEST

/* Writes a truth file, expects IFFNET_EDATA and a message with msg; the same
 * bytes read from memory under the file's name give the same message. */
static void bad_truth(const char *name, const char *text, iffnet_truth_format_t f, const char *msg)
{
    iffnet_truth_t t;
    iffnet_truth_opts_t o = {f, 0, NULL};
    const char *path = tu_write(name, text);
    CHECK_ERROR(iffnet_truth_read(&t, path, &o), IFFNET_EDATA, msg);
    ck_assert_int_eq(t.n, 0);
    iffnet_truth_destroy(&t);
    char *from_file = strdup(iffnet_errmsg());
    ck_assert_ptr_nonnull(from_file);
    CHECK_ERROR(iffnet_truth_read_mem(&t, path, text, strlen(text), &o), IFFNET_EDATA, msg);
    ck_assert_str_eq(iffnet_errmsg(), from_file);
    ck_assert_int_eq(t.n, 0);
    iffnet_truth_destroy(&t);
    free(from_file);
}

/* Reads path with the file reader and its bytes with the memory reader: the
 * same structures, with the same ids, lines and members, in the same order. */
static void truth_alike(const char *path, const iffnet_truth_opts_t *o)
{
    size_t size;
    char *bytes = tu_read_file(path, &size);
    iffnet_truth_t a, b;
    ck_assert_msg(iffnet_truth_read(&a, path, o) == IFFNET_OK, "%s", iffnet_errmsg());
    ck_assert_msg(iffnet_truth_read_mem(&b, path, bytes, size, o) == IFFNET_OK, "%s", iffnet_errmsg());
    ck_assert_int_eq(b.format, a.format);
    ck_assert_int_eq(b.has_tx, a.has_tx);
    ck_assert_int_eq(b.n_excluded, a.n_excluded);
    ck_assert_int_eq(b.n, a.n);
    ck_assert_int_gt(b.n, 0);
    for (int64_t i = 0; i < a.n; i++) {
        const iffnet_structure_t *x = &a.items[i], *y = &b.items[i];
        ck_assert_str_eq(y->id, x->id);
        ck_assert_int_eq(y->typology, x->typology);
        ck_assert_int_eq(y->line, x->line);
        ck_assert_int_eq(y->n_accounts, x->n_accounts);
        ck_assert_int_eq(y->n_tx, x->n_tx);
        for (int64_t k = 0; k < x->n_accounts; k++)
            ck_assert_str_eq(iffnet_strtab_get(&b.accounts, y->accounts[k]), iffnet_strtab_get(&a.accounts, x->accounts[k]));
        for (int64_t k = 0; k < x->n_tx; k++)
            ck_assert_str_eq(iffnet_strtab_get(&b.tx, y->tx[k]), iffnet_strtab_get(&a.tx, x->tx[k]));
    }
    iffnet_truth_destroy(&a);
    iffnet_truth_destroy(&b);
    free(bytes);
}

START_TEST(truth_from_memory)
{
    iffnet_truth_opts_t sar = {IFFNET_TRUTH_AUTO, 1, NULL};
    truth_alike(DATA "answer_key.csv", NULL);
    truth_alike(DATA "amlsim_alert_transactions.csv", NULL);
    truth_alike(DATA "amlsim_alert_transactions.csv", &sar);
    truth_alike(DATA "amlworld_patterns.txt", NULL);
    /* No bytes: the file reader's message for an empty file. */
    iffnet_truth_t t;
    CHECK_ERROR(iffnet_truth_read_mem(&t, "k.csv", NULL, 0, NULL), IFFNET_EDATA, "k.csv: empty truth file");
    iffnet_truth_destroy(&t);
}
END_TEST

#define AK "structure_id,typology,accounts,transactions\n"
#define AS "alert_id,alert_type,is_sar,tran_id,orig_acct,bene_acct\n"
#define AW_TX "2022/09/01 00:06,021174,800737690,012,80011F990,100.00,Euro,100.00,Euro,ACH,1\n"
START_TEST(eval_bad_truth)
{
    iffnet_truth_t t;
    bad_truth("k.csv", "", IFFNET_TRUTH_AUTO, "k.csv: empty truth file");
    bad_truth("k.csv", "a,b,c\n1,2,3\n", IFFNET_TRUTH_AUTO, "k.csv:1: not a known truth file");
    bad_truth("k.csv", "structure_id,typology,accounts\n", IFFNET_TRUTH_AUTO, "k.csv:1: missing column 'transactions'");
    bad_truth("k.csv", AK "S1,fan_in,A;B,t1\nS1,cycle,C,t2\n", IFFNET_TRUTH_AUTO,
              "k.csv:3: structure 'S1' is listed twice (first on line 2)");
    bad_truth("k.csv", AK "S1,smurfing,A,t1\n", IFFNET_TRUTH_AUTO, "k.csv:2: column 'typology': 'smurfing' is not a known typology");
    bad_truth("k.csv", AK "S1,fan_in,A;;B,t1\n", IFFNET_TRUTH_AUTO, "k.csv:2: column 'accounts': empty id in 'A;;B'");
    bad_truth("k.csv", AK "S1,fan_in,,t1\n", IFFNET_TRUTH_AUTO, "k.csv:2: column 'accounts' is empty");
    bad_truth("k.csv", AK ",fan_in,A,t1\n", IFFNET_TRUTH_AUTO, "k.csv:2: column 'structure_id' is empty");
    bad_truth("k.csv", AK "S1,fan_in\n", IFFNET_TRUTH_AUTO, "k.csv:2: 2 fields, expected 4");
    bad_truth("k.csv", AK "S1,fan_in,\"A,t1\n", IFFNET_TRUTH_AUTO, "k.csv:2");
    bad_truth("s.csv", AS "1,fan_in,True,10,100,103\n1,fan_out,True,11,101,103\n", IFFNET_TRUTH_AUTO,
              "s.csv:3: alert '1' changes its alert_type or is_sar (first seen on line 2)");
    bad_truth("s.csv", AS "1,fan_in,maybe,10,100,103\n", IFFNET_TRUTH_AUTO, "s.csv:2: column 'is_sar': 'maybe' is not True or False");
    bad_truth("s.csv", AS "1,fan_in,True,,100,103\n", IFFNET_TRUTH_AUTO, "s.csv:2: column 'tran_id' is empty");
    bad_truth("s.csv", AS "1,fan_in,True,10,100,\n", IFFNET_TRUTH_AUTO, "s.csv:2: column 'bene_acct' is empty");
    bad_truth("w.txt", "BEGIN LAUNDERING ATTEMPT - FAN-IN\n" AW_TX "END LAUNDERING ATTEMPT - FAN-OUT\n",
              IFFNET_TRUTH_AUTO, "w.txt:3: END FAN-OUT does not match BEGIN FAN-IN on line 1");
    bad_truth("w.txt", "BEGIN LAUNDERING ATTEMPT - FAN-IN\n" AW_TX "\nBEGIN LAUNDERING ATTEMPT - CYCLE\n",
              IFFNET_TRUTH_AUTO, "w.txt:4: BEGIN before the END of the attempt begun on line 1");
    bad_truth("w.txt", "BEGIN LAUNDERING ATTEMPT - FAN-IN\n" AW_TX, IFFNET_TRUTH_AUTO, "w.txt:1: attempt has no END line");
    bad_truth("w.txt", "BEGIN LAUNDERING ATTEMPT - FAN-IN\nEND LAUNDERING ATTEMPT - FAN-IN\n", IFFNET_TRUTH_AUTO,
              "w.txt:2: attempt begun on line 1 has no transactions");
    bad_truth("w.txt", "BEGIN LAUNDERING ATTEMPT - SMURF\n", IFFNET_TRUTH_AUTO, "w.txt:1: 'SMURF' is not a known typology");
    bad_truth("w.txt", "BEGIN LAUNDERING ATTEMPT - FAN-IN\n2022/09/01 00:06,021174,800737690\n", IFFNET_TRUTH_AUTO,
              "w.txt:2: 3 fields in a transaction line, expected 11");
    bad_truth("w.txt", "BEGIN LAUNDERING ATTEMPT - FAN-IN\nyesterday,1,2,3,4,5,Euro,5,Euro,ACH,1\n", IFFNET_TRUTH_AUTO,
              "w.txt:2: 'yesterday' is not a timestamp");
    bad_truth("w.txt", "BEGIN LAUNDERING ATTEMPT - FAN-IN\n2022/09/01 00:06,1,2,3,4,5,Euro,5x,Euro,ACH,1\n",
              IFFNET_TRUTH_AUTO, "w.txt:2: amount paid '5x' is not an amount");
    bad_truth("w.txt", "END LAUNDERING ATTEMPT - FAN-IN\n", IFFNET_TRUTH_AMLWORLD, "w.txt:1: END without BEGIN");
    bad_truth("w.txt", AW_TX, IFFNET_TRUTH_AMLWORLD, "w.txt:1: expected 'BEGIN LAUNDERING ATTEMPT - <typology>'");
    /* A forced format that does not fit the file. */
    bad_truth("k.csv", AK "S1,fan_in,A,t1\n", IFFNET_TRUTH_AMLSIM, "k.csv:1: missing column 'alert_id'");
    ck_assert_int_eq(iffnet_truth_read(&t, "/nonexistent/key.csv", NULL), IFFNET_EIO);
    iffnet_truth_destroy(&t);
}
END_TEST

START_TEST(eval_formats_and_edges)
{
    iffnet_truth_format_t f;
    iffnet_truth_t t;
    iffnet_alert_list_t al;
    iffnet_eval_result_t r;
    ck_assert_int_eq(iffnet_truth_format_parse("amlworld", &f), 0);
    ck_assert_int_eq(f, IFFNET_TRUTH_AMLWORLD);
    ck_assert_int_eq(iffnet_truth_format_parse("AMLworld", &f), -1);
    ck_assert_str_eq(iffnet_truth_format_name(IFFNET_TRUTH_ANSWER_KEY), "answer-key");
    /* No alerts: everything is 0, nothing divides by zero. Exactly half of an
     * odd-sized structure is not enough: 1 of 3 < 1.5. */
    read_pair(&t, tu_write("k.csv", AK "S1,cycle,A;B;C,t1\n"), NULL, tu_write("a.jsonl", "\n"), NULL, &al);
    ck_assert_int_eq(iffnet_eval_score(&t, &al, 10, &r), IFFNET_OK);
    check_count(&r.all, 1, 0, 0, 0, 0);
    check_prf(&r.accounts, 3, 0, 0, 0, 0, 0);
    ck_assert_double_eq(r.alerts_per_1000, 0.0);
    iffnet_alert_list_destroy(&al);
    ck_assert_int_eq(iffnet_eval_read_alerts(&t, tu_write("b.jsonl",
        "{\"id\":\"a\",\"typology\":\"cycle\",\"score\":1,\"accounts\":[\"A\",\"Q\",\"Q\"],\"transactions\":[]}\n"),
        NULL, &al), IFFNET_OK);
    ck_assert_int_eq(iffnet_eval_score(&t, &al, 0, &r), IFFNET_OK);
    check_count(&r.all, 1, 0, 0, 1, 0);
    iffnet_alert_list_destroy(&al);
    /* Malformed alerts through the evaluation reader: file:line and member. */
    CHECK_ERROR(iffnet_eval_read_alerts(&t, tu_write("c.jsonl", "{\"id\":\"a\"}\n"), NULL, &al), IFFNET_EDATA,
                "c.jsonl:1: member 'typology': is missing");
    ck_assert_int_eq(al.n, 0);
    iffnet_alert_list_destroy(&al);
    iffnet_truth_destroy(&t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("evaluate");
    TCase *tr = tcase_create("alert_read");
    TCase *te = tcase_create("evaluate");
    tcase_add_test(tr, alert_read_without_case);
    tcase_add_test(tr, alert_read_with_case);
    tcase_add_test(tr, alert_read_round_trip);
    tcase_add_test(tr, alert_read_errors);
    suite_add_tcase(s, tr);
    tcase_add_test(te, eval_answer_key);
    tcase_add_test(te, eval_outcomes_per_structure);
    tcase_add_test(te, eval_amlsim);
    tcase_add_test(te, eval_amlworld);
    tcase_add_test(te, eval_bad_truth);
    tcase_add_test(te, truth_from_memory);
    tcase_add_test(te, eval_formats_and_edges);
    suite_add_tcase(s, te);
    return tu_run_suite(s);
}
