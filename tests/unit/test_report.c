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

/* ---- pictures on hand-made cases ---- */

/* A case with a structuring alert (cash deposits, wires on), a shell network
 * (companies with one director and one phone), and a star of n payments. */
static void picture_case(iffnet_case_t *c, int n_star)
{
    size_t cap = 4096 + (size_t)n_star * 64, len = 0;
    char *tx = malloc(cap);
    ck_assert_ptr_nonnull(tx);
    len += (size_t)snprintf(tx + len, cap - len, "tx_id,timestamp,source,target,amount,currency,channel\n"
        "s1,2024-01-01T09:00:00Z,CASH,S1,9900.00,EUR,cash_deposit\n"
        "s2,2024-01-02T09:00:00Z,CASH,S1,9800.00,EUR,cash_deposit\n"
        "s3,2024-01-03T09:00:00Z,S1,X1,19000.00,EUR,wire\n"
        "h1,2024-01-04T09:00:00Z,SA,SB,1000.00,EUR,wire\n"
        "h2,2024-01-05T09:00:00Z,SB,SC,900.00,EUR,wire\n");
    for (int i = 0; i < n_star; i++)
        len += (size_t)snprintf(tx + len, cap - len, "f%05d,2024-02-01T%02d:%02d:%02dZ,HUB,R%05d,%d.00,EUR,wire\n", i,
                                (i / 3600) % 24, (i / 60) % 60, i % 60, i, 100 + i % 7);
    tu_case_from_csv(c, tx,
                     "id,kind,name,country,phone\nCA,company,Alpha Ltd,DE,+49 1\nCB,company,Beta Ltd,DE,+49 1\n"
                     "CC,company,Gamma Ltd,DE,+49 2\nPD,person,Dora Director,DE,\n",
                     "source,target,relation\nCA,SA,holds_account\nCB,SB,holds_account\nCC,SC,holds_account\n"
                     "PD,CA,director_of\nPD,CB,director_of\nPD,CC,director_of\n");
    free(tx);
}

/* The alert of typology t over the listed transactions (or all "f" ones). */
static void picture_alert(iffnet_case_t *c, iffnet_alert_list_t *l, iffnet_typology_t t, const char *prefix)
{
    int64_t *tx = malloc(((size_t)c->n_tx + 1) * sizeof *tx), *acc = malloc(((size_t)c->n_tx * 2 + 1) * sizeof *acc);
    int64_t n = 0, na = 0;
    for (int64_t k = 0; k < c->n_tx; k++)
        if (strncmp(iffnet_case_tx_id(c, k), prefix, strlen(prefix)) == 0) {
            tx[n++] = k;
            acc[na++] = c->tx_src[k];
            acc[na++] = c->tx_dst[k];
        }
    ck_assert_int_eq(iffnet_alert_list_add(l, t, 0.9, acc, na, tx, n, NULL), IFFNET_OK);
    free(tx);
    free(acc);
}

static char *render_case(iffnet_case_t *c, iffnet_alert_list_t *l)
{
    iffnet_report_input_t in;
    iffnet_report_opts_t o;
    memset(&in, 0, sizeof in);
    in.c = c;
    in.alerts = l;
    in.date = 1700000000;
    in.seed = 1;
    iffnet_report_opts_default(&o);
    return render(&in, &o);
}

/* The section of alert `id` (its <section> element). */
static char *section_of(const char *html, const char *id)
{
    char h[64];
    snprintf(h, sizeof h, "<h3 id=\"%s\">", id);
    const char *a = strstr(html, h);
    ck_assert_ptr_nonnull(a);
    const char *e = strstr(a, "</section>");
    ck_assert_ptr_nonnull(e);
    char *s = strndup(a, (size_t)(e - a));
    ck_assert_ptr_nonnull(s);
    return s;
}

START_TEST(structuring_picture_draws_the_cash)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    picture_case(&c, 0);
    iffnet_alert_list_init(&l);
    picture_alert(&c, &l, IFFNET_TYP_STRUCTURING, "s");
    ck_assert_int_eq(iffnet_alert_list_finish(&l, &c), IFFNET_OK);
    char *html = render_case(&c, &l), *sec = section_of(html, "A000001");
    /* the cash pseudo-account is a square node, with the deposits summed into one edge */
    ck_assert_ptr_nonnull(strstr(sec, "<rect "));
    ck_assert_ptr_nonnull(strstr(sec, ">Cash<tspan class=\"id\""));
    ck_assert_ptr_nonnull(strstr(sec, "2 payments, 19,700.00 EUR in all, 2024-01-01 to 2024-01-02"));
    ck_assert_ptr_nonnull(strstr(sec, "19,700.00 EUR moved (the cash deposits of the alert)"));
    free(sec);
    free(html);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(shell_picture_draws_director_and_shared_phone)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    picture_case(&c, 0);
    iffnet_alert_list_init(&l);
    picture_alert(&c, &l, IFFNET_TYP_SHELL_NETWORK, "h");
    ck_assert_int_eq(iffnet_alert_list_finish(&l, &c), IFFNET_OK);
    char *html = render_case(&c, &l), *sec = section_of(html, "A000001");
    /* the director as a diamond linked to the three companies' accounts, the shared
     * phone as a node linked to the two that give it */
    ck_assert_ptr_nonnull(strstr(sec, "<polygon "));
    ck_assert_int_eq(tu_count_str(sec, "PD director_of"), 3);
    ck_assert_int_eq(tu_count_str(sec, "the holder gives phone +49 1"), 2);
    ck_assert_int_eq(tu_count_str(sec, "<path class=\"link\""), 5);
    free(sec);
    free(html);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* A fan-out of 1,000 payments: the picture shows 40 nodes, the rest as one; the
 * time line bins; the file stays small. */
START_TEST(large_alert_picture_is_bounded)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    picture_case(&c, 1000);
    iffnet_alert_list_init(&l);
    picture_alert(&c, &l, IFFNET_TYP_FAN_OUT, "f");
    ck_assert_int_eq(iffnet_alert_list_finish(&l, &c), IFFNET_OK);
    char *html = render_case(&c, &l), *sec = section_of(html, "A000001");
    char *fig = strstr(sec, "<figure class=\"net\">");
    ck_assert_ptr_nonnull(fig);
    char *end = strstr(fig, "</figure>");
    /* 39 accounts drawn and one group node for the 962 others (the hub included in the 39) */
    ck_assert_int_eq(tu_count_str(fig, "<circle ") - tu_count_str(end, "<circle "), 39);
    ck_assert_ptr_nonnull(strstr(fig, "962 other accounts"));
    ck_assert_ptr_nonnull(strstr(fig, "962 payments"));
    /* at most 300 points on the time line */
    char *tl = strstr(sec, "class=\"timeline\"");
    ck_assert_ptr_nonnull(tl);
    ck_assert_int_le(tu_count_str(tl, "<circle class=\"ev\""), 300);
    ck_assert_ptr_nonnull(strstr(sec, "transactions binned by time"));
    ck_assert_int_lt((int)strlen(html), 400000);
    free(sec);
    free(html);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(money_axis_reads_in_words)
{
    char b[32];
    iffnet_i_compact(b, sizeof b, 1e9);
    ck_assert_str_eq(b, "1 bn");
    iffnet_i_compact(b, sizeof b, 12.5e6);
    ck_assert_str_eq(b, "12.5 m");
    iffnet_i_compact(b, sizeof b, 3000);
    ck_assert_str_eq(b, "3 k");
    iffnet_i_compact(b, sizeof b, 950);
    ck_assert_str_eq(b, "950");
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
    TCase *pic = tcase_create("pictures");
    tcase_set_timeout(pic, 60);
    tcase_add_test(pic, structuring_picture_draws_the_cash);
    tcase_add_test(pic, shell_picture_draws_director_and_shared_phone);
    tcase_add_test(pic, large_alert_picture_is_bounded);
    tcase_add_test(pic, money_axis_reads_in_words);
    suite_add_tcase(s, pic);
    return tu_run_suite(s);
}
