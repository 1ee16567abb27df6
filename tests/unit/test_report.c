/* test_report.c: the report renderer on the fixture case of tests/data/report. */
#include <stdlib.h>
#include <string.h>
#include "iffnet/iffnet.h"
#include "iffnet/alert_read.h"
#include "iffnet/report.h"
#include "report/report_internal.h"
#include "testutil.h"

static iffnet_case_t cs;
static iffnet_alert_list_t alerts;

static void setup(void)
{
    tu_report_fixture(&cs, &alerts);
    ck_assert_int_eq(alerts.n, 3);
}

static void teardown(void)
{
    iffnet_alert_list_destroy(&alerts);
    iffnet_case_destroy(&cs);
}

/* Renders into a malloc'd string. */
static char *render(const iffnet_report_input_t *in, const iffnet_report_opts_t *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(iffnet_report_write(in, o, fp), 0);
    fclose(fp);
    return buf;
}

static void input(iffnet_report_input_t *in)
{
    memset(in, 0, sizeof *in);
    in->c = &cs;
    in->alerts = &alerts;
    in->date = 1700000000;
    in->seed = 1;
    in->command_line = "iffnet report test";
}

START_TEST(html_has_every_alert_and_is_deterministic)
{
    iffnet_report_input_t in;
    iffnet_report_opts_t o;
    input(&in);
    iffnet_report_opts_default(&o);
    char *a = render(&in, &o), *b = render(&in, &o);
    ck_assert_str_eq(a, b);
    for (int64_t k = 0; k < alerts.n; k++) {
        char anchor[64];
        snprintf(anchor, sizeof anchor, "<h3 id=\"%s\">", alerts.items[k].id);
        ck_assert_msg(strstr(a, anchor) != NULL, "no section for %s", alerts.items[k].id);
    }
    /* One evidence picture per alert, plus the overview. */
    ck_assert_int_eq(tu_count_str(a, "<figure class=\"net\">"), 4);
    /* Reasons are escaped, never raw markup. */
    ck_assert_ptr_null(strstr(a, "<ivory>"));
    ck_assert_ptr_nonnull(strstr(a, "&lt;ivory&gt; &amp; &quot;handicraft&quot;"));
    /* Self-contained: no external resources. */
    ck_assert_ptr_null(strstr(a, "src=\"http"));
    ck_assert_ptr_null(strstr(a, "<link"));
    free(a);
    free(b);
}
END_TEST

START_TEST(missing_inputs_are_noted)
{
    iffnet_report_input_t in;
    iffnet_report_opts_t o;
    input(&in);
    in.alerts = NULL;
    iffnet_report_opts_default(&o);
    o.format = IFFNET_REPORT_MD;
    char *s = render(&in, &o);
    ck_assert_ptr_nonnull(strstr(s, "no alerts were available"));
    ck_assert_ptr_nonnull(strstr(s, "no community detection is included"));
    ck_assert_ptr_nonnull(strstr(s, "no tracing results are included"));
    ck_assert_ptr_nonnull(strstr(s, "no centrality ranking is included"));
    free(s);
}
END_TEST

START_TEST(pseudonymize_hides_names_and_ids)
{
    iffnet_report_input_t in;
    iffnet_report_opts_t o;
    input(&in);
    iffnet_report_opts_default(&o);
    o.pseudonymize = 1;
    for (int f = 0; f < 2; f++) {
        o.format = f ? IFFNET_REPORT_MD : IFFNET_REPORT_HTML;
        char *s = render(&in, &o);
        ck_assert_ptr_null(strstr(s, "Savanna Curios"));
        ck_assert_ptr_null(strstr(s, "Mekong"));
        ck_assert_ptr_null(strstr(s, "KE001"));
        ck_assert_ptr_null(strstr(s, "T028"));
        /* Entities behind the accounts and their identifiers, in reasons too. */
        ck_assert_ptr_null(strstr(s, "Moi Avenue"));
        ck_assert_ptr_null(strstr(s, "Joseph Mwangi"));
        ck_assert_ptr_null(strstr(s, "P01"));
        /* The same account gets the same pseudonym everywhere (reasons included). */
        int64_t ke = iffnet_case_find_account(&cs, "VN001");
        char ps[32];
        snprintf(ps, sizeof ps, "ACC-%06lld", (long long)(ke + 1));
        ck_assert_ptr_nonnull(strstr(s, ps));
        free(s);
    }
}
END_TEST

START_TEST(alert_amounts_come_from_transactions)
{
    iffnet_report_input_t in;
    iffnet_report_opts_t o;
    input(&in);
    iffnet_report_opts_default(&o);
    o.format = IFFNET_REPORT_MD;
    char *s = render(&in, &o);
    /* A000003 has no amount in the file: 9000+9130+...+9780 = 65,730.00, all of
     * it reaching the collector (moved = the sum of its payments). */
    ck_assert_ptr_nonnull(strstr(s, "| A000003 | fan\\_in | 0.55 | 8 | 7 | 65,730.00 USD | 65,730.00 USD | 2023-03-03 | 2023-03-07 |"));
    /* The cycle A000001 pays 30,000 + 29,000 + 28,500 = 87,500.00 in all; what went
     * all the way round is its least hop, 28,500.00, and the report says which is which. */
    ck_assert_ptr_nonnull(strstr(s, "| A000001 | cycle | 0.89 | 3 | 3 | 28,500.00 USD | 87,500.00 USD |"));
    ck_assert_ptr_nonnull(strstr(s, "28,500.00 USD moved (what went all the way round: the smallest sum paid along "
                                    "one hop); its payments add up to 87,500.00 USD"));
    free(s);
}
END_TEST

START_TEST(read_communities_errors)
{
    int64_t *m = NULL;
    ck_assert_int_eq(iffnet_report_read_communities(&cs, TU_DATA("report/communities.csv"), &m), 0);
    ck_assert_int_eq(m[iffnet_case_find_account(&cs, "VN001")], 1);
    ck_assert_int_eq(m[iffnet_case_find_account(&cs, "KE001")], 0);
    free(m);
    m = NULL;
    CHECK_ERROR(iffnet_report_read_communities(&cs, TU_DATA("report/bad-communities.csv"), &m), IFFNET_EDATA,
                "bad-communities.csv:3");
    ck_assert_ptr_null(m);
}
END_TEST

START_TEST(xml_text_escapes_and_repairs)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    /* markup, a control character, a valid 2-byte sequence, an invalid byte */
    iffnet_i_xml_text(fp, "a<b>&\"c'\x01 \xc3\xa9 \xff", -1);
    fclose(fp);
    ck_assert_str_eq(buf, "a&lt;b&gt;&amp;&quot;c&#39;  \xc3\xa9 \xef\xbf\xbd");
    free(buf);
}
END_TEST

START_TEST(trace_file_is_read)
{
    iffnet_report_data_t d;
    iffnet_report_data_init(&d);
    ck_assert_int_eq(iffnet_report_load_trace(&d, &cs, TU_DATA("report/trace.json")), 0);
    ck_assert_int_eq(d.trace.n_rules, 2);
    ck_assert_str_eq(d.trace.rules[0].rule, "fifo");
    ck_assert_int_eq(d.trace.rules[0].tainted, 5800000);
    ck_assert_int_eq(d.trace.rules[0].n_dest, 4);
    /* Largest first: CN001 holds 30,000.00. */
    ck_assert_int_eq(d.trace.rules[0].dest_account[0], iffnet_case_find_account(&cs, "CN001"));
    ck_assert_int_eq(d.trace.rules[0].dest_amount[0], 3000000);
    iffnet_report_data_destroy(&d);
    iffnet_report_data_init(&d);
    ck_assert_int_eq(iffnet_report_load_trace(&d, &cs, TU_DATA("report/alerts.jsonl")), IFFNET_EDATA);
    iffnet_report_data_destroy(&d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    iffnet_init_libraries(1);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, html_has_every_alert_and_is_deterministic);
    tcase_add_test(tc, missing_inputs_are_noted);
    tcase_add_test(tc, pseudonymize_hides_names_and_ids);
    tcase_add_test(tc, alert_amounts_come_from_transactions);
    tcase_add_test(tc, read_communities_errors);
    tcase_add_test(tc, xml_text_escapes_and_repairs);
    tcase_add_test(tc, trace_file_is_read);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
