/* test_evaluate.c: reading alerts back (alert_read) and scoring them (evaluate). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "iffnet/iffnet.h"
#include "iffnet/alert_read.h"

static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/iffnet-test-eval-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Writes text to tmpdir/name and returns the path (static buffer per slot). */
static const char *write_file(const char *name, const char *text)
{
    static char paths[8][256];
    static int slot;
    char *p = paths[slot++ % 8];
    FILE *fp;
    snprintf(p, 256, "%s/%s", tmpdir, name);
    fp = fopen(p, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    ck_assert_int_eq(fclose(fp), 0);
    return p;
}

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
    make_tmpdir();
    ck_assert_int_eq(iffnet_strtab_init(&acc), 0);
    ck_assert_int_eq(iffnet_strtab_init(&tx), 0);
    ck_assert_int_eq(iffnet_alert_read_jsonl_ids(write_file("a.jsonl", ALERTS), NULL, &acc, &tx, &l),
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
    ck_assert_int_eq(iffnet_alert_read_jsonl(write_file("b.jsonl", ALERTS), NULL, &l), IFFNET_OK);
    ck_assert_int_eq(l.n, 2);
    iffnet_alert_list_destroy(&l);
    iffnet_strtab_destroy(&acc);
    iffnet_strtab_destroy(&tx);
    rm_tmpdir();
}
END_TEST

/* Ingests a small native case: accounts A..D, transactions t1..t3 in EUR. */
static void small_case(iffnet_case_t *c)
{
    iffnet_ingest_opts_t o;
    iffnet_ingest_report_t r;
    const char *tx = write_file("tx.csv",
                                "tx_id,timestamp,source,target,amount,currency\n"
                                "t1,2024-01-01,A,C,100.00,EUR\n"
                                "t2,2024-01-02,B,C,200.00,EUR\n"
                                "t3,2024-01-03,C,D,290.00,EUR\n");
    memset(&r, 0, sizeof r);
    iffnet_ingest_opts_default(&o);
    ck_assert_msg(iffnet_ingest(c, tx, NULL, NULL, NULL, &o, &r) == IFFNET_OK, "%s", iffnet_errmsg());
    iffnet_ingest_report_destroy(&r);
}

START_TEST(alert_read_with_case)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    const iffnet_alert_t *a;
    make_tmpdir();
    small_case(&c);
    ck_assert_int_eq(iffnet_alert_read_jsonl(write_file("a.jsonl", ALERTS), &c, &l), IFFNET_OK);
    a = &l.items[0];
    ck_assert_int_eq(a->n_accounts, 3);
    ck_assert_str_eq(iffnet_case_account_id(&c, a->accounts[0]), "A"); /* sorted case indices */
    ck_assert_str_eq(iffnet_case_tx_id(&c, a->tx[0]), "t1");
    ck_assert_str_eq(iffnet_case_tx_id(&c, a->tx[1]), "t2");
    ck_assert_str_eq(iffnet_case_currency(&c, a->currency), "EUR");
    ck_assert_int_eq(a->amount, 4830010);
    iffnet_alert_list_destroy(&l);
    ck_assert_int_eq(iffnet_alert_read_jsonl(write_file("u.jsonl",
        "{\"id\":\"x\",\"typology\":\"mule\",\"score\":0.5,\"accounts\":[\"A\",\"Z\"],\"transactions\":[]}\n"),
        &c, &l), IFFNET_EDATA);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "u.jsonl:1: member 'accounts': account 'Z' is not in the case"));
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
    ck_assert_int_eq(iffnet_alert_read_jsonl(write_file("v.jsonl",
        "{\"id\":\"x\",\"typology\":\"mule\",\"score\":0.5,\"accounts\":[],\"transactions\":[\"t9\"]}\n"),
        &c, &l), IFFNET_EDATA);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "v.jsonl:1: member 'transactions': transaction 't9' is not in the case"));
    iffnet_alert_list_destroy(&l);
    ck_assert_int_eq(iffnet_alert_read_jsonl(write_file("w.jsonl",
        "{\"id\":\"x\",\"typology\":\"mule\",\"score\":0.5,\"accounts\":[],\"transactions\":[],\"currency\":\"JPY\"}\n"),
        &c, &l), IFFNET_EDATA);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "member 'currency': 'JPY' is not a currency of the case"));
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
    rm_tmpdir();
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
    p = write_file("bad.jsonl", text);
    ck_assert_int_eq(iffnet_alert_read_jsonl(p, NULL, &l), IFFNET_EDATA);
    ck_assert_msg(strstr(iffnet_errmsg(), msg), "'%s': message '%s' lacks '%s'", line, iffnet_errmsg(), msg);
    ck_assert_msg(strstr(iffnet_errmsg(), "bad.jsonl:2"), "no file:line in '%s'", iffnet_errmsg());
    ck_assert_int_eq(l.n, 0);
    iffnet_alert_list_destroy(&l);
}

#define HEAD "\"typology\":\"fan_in\",\"score\":0.5"
START_TEST(alert_read_errors)
{
    iffnet_alert_list_t l;
    make_tmpdir();
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
    ck_assert_int_eq(iffnet_alert_read_jsonl("/nonexistent/alerts.jsonl", NULL, &l), IFFNET_EIO);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "cannot open '/nonexistent/alerts.jsonl'"));
    iffnet_alert_list_destroy(&l);
    rm_tmpdir();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("evaluate");
    TCase *tr = tcase_create("alert_read");
    SRunner *sr;
    int failed;
    tcase_add_test(tr, alert_read_without_case);
    tcase_add_test(tr, alert_read_with_case);
    tcase_add_test(tr, alert_read_errors);
    suite_add_tcase(s, tr);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
