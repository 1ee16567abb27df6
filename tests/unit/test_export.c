/* test_export.c: exports re-read by igraph (GraphML) and checked for content. */
#include <stdlib.h>
#include <string.h>
#include <igraph.h>
#include "iffnet/iffnet.h"
#include "iffnet/alert_read.h"
#include "iffnet/export.h"
#include "testutil.h"

static iffnet_case_t cs;
static iffnet_alert_list_t alerts;

static void setup(void)
{
    tu_report_fixture(&cs, &alerts);
}

static void teardown(void)
{
    iffnet_alert_list_destroy(&alerts);
    iffnet_case_destroy(&cs);
}

static int64_t vertex_named(const igraph_t *g, const char *id)
{
    for (igraph_integer_t v = 0; v < igraph_vcount(g); v++)
        if (strcmp(VAS(g, "id", v), id) == 0) return v;
    return -1;
}

START_TEST(graphml_rereads_with_igraph)
{
    iffnet_export_t x = {.c = &cs, .alerts = &alerts, .name = "fixture"};
    FILE *fp = tmpfile();
    igraph_t g;
    ck_assert_int_eq(iffnet_export_write(&x, IFFNET_EXPORT_GRAPHML, fp), 0);
    rewind(fp);
    igraph_set_attribute_table(&igraph_cattribute_table);
    ck_assert_int_eq(igraph_read_graph_graphml(&g, fp, 0), IGRAPH_SUCCESS);
    fclose(fp);
    ck_assert_int_eq(igraph_vcount(&g), cs.n_accounts);
    ck_assert_int_eq(igraph_ecount(&g), cs.n_tx);
    ck_assert(igraph_is_directed(&g));
    /* Attributes survive: names, numbers, alert membership. */
    igraph_integer_t v = vertex_named(&g, "KE001");
    ck_assert_int_ge(v, 0);
    ck_assert_str_eq(VAS(&g, "label", v), "Savanna Curios Ltd");
    ck_assert_str_eq(VAS(&g, "country", v), "KE");
    ck_assert_str_eq(VAS(&g, "alerts", v), "A000002;A000003");
    ck_assert_double_eq(VAN(&g, "alert_count", v), 2);
    ck_assert_double_eq_tol(VAN(&g, "amount_out", v), 58000.0, 1e-9);
    /* Edge 21 is transaction T022 (sorted by time), 58,000.00 from KE001 to MZ001. */
    igraph_integer_t from, to;
    igraph_edge(&g, 21, &from, &to);
    ck_assert_str_eq(EAS(&g, "tx_id", 21), "T022");
    ck_assert_str_eq(VAS(&g, "id", from), "KE001");
    ck_assert_str_eq(VAS(&g, "id", to), "MZ001");
    ck_assert_double_eq_tol(EAN(&g, "amount", 21), 58000.0, 1e-9);
    ck_assert_str_eq(EAS(&g, "alerts", 21), "A000002");
    ck_assert_str_eq(EAS(&g, "time", 21), "2023-03-10T10:00:00Z");
    igraph_destroy(&g);
    igraph_set_attribute_table(NULL);
}
END_TEST

START_TEST(selections)
{
    char *sel = NULL;
    int64_t n = 0, ke = iffnet_case_find_account(&cs, "KE001");
    /* KE001's neighbours at one hop: 7 payers, KE002 and MZ001 (and itself). */
    ck_assert_int_eq(iffnet_export_select_ego(&cs, ke, 1, &sel), 0);
    for (int64_t a = 0; a < cs.n_accounts; a++) n += sel[a];
    ck_assert_int_eq(n, 10);
    ck_assert(sel[iffnet_case_find_account(&cs, "MZ001")]);
    ck_assert(!sel[iffnet_case_find_account(&cs, "AE001")]);
    free(sel);
    ck_assert_int_eq(iffnet_export_select_ego(&cs, ke, 0, &sel), 0);
    n = 0;
    for (int64_t a = 0; a < cs.n_accounts; a++) n += sel[a];
    ck_assert_int_eq(n, 1);
    free(sel);
    ck_assert_int_eq(iffnet_export_select_alerts(&cs, &alerts, &sel), 0);
    n = 0;
    for (int64_t a = 0; a < cs.n_accounts; a++) n += sel[a];
    ck_assert_int_eq(n, 13);  /* 3 + 4 + 8 accounts, VN001 and KE001 counted once */
    free(sel);
    int64_t *m = calloc((size_t)cs.n_accounts, sizeof *m);
    ck_assert_int_eq(iffnet_export_select_community(&cs, m, 5, &sel), IFFNET_EINVAL);
    free(m);
}
END_TEST

START_TEST(i2_lists_match_the_selection)
{
    char *sel = NULL, *eb = NULL, *lb = NULL;
    size_t el = 0, ll = 0;
    ck_assert_int_eq(iffnet_export_select_alerts(&cs, &alerts, &sel), 0);
    iffnet_export_t x = {.c = &cs, .select = sel, .alerts = &alerts};
    FILE *fe = open_memstream(&eb, &el), *fl = open_memstream(&lb, &ll);
    ck_assert_int_eq(iffnet_export_write_i2(&x, fe, fl), 0);
    fclose(fe);
    fclose(fl);
    int ne = tu_count_str(eb, "\n"), nl = tu_count_str(lb, "\n");
    /* The 13 alert accounts, then the 8 entities behind them: the holders C01..C04,
     * C06 and P02, and the directors of those holders, P01 and P03 (C05, which P01
     * directs, holds no exported account). */
    ck_assert_int_eq(tu_count_str(eb, "\nAccount,"), 13);
    ck_assert_int_eq(tu_count_str(eb, "\nOrganisation,"), 5);
    ck_assert_int_eq(tu_count_str(eb, "\nPerson,"), 3);
    ck_assert_int_eq(ne, 1 + 13 + 8);
    ck_assert_ptr_nonnull(strstr(eb, "\nPerson,P01,"));
    ck_assert_ptr_null(strstr(eb, "\nOrganisation,C05,"));
    /* Transactions among the 13 alert accounts: all but those touching KE002, TZ001,
     * CN002; then 6 holds links (of exported accounts) and 3 director links. */
    int want = 0;
    for (int64_t t = 0; t < cs.n_tx; t++) want += sel[cs.tx_src[t]] && sel[cs.tx_dst[t]];
    ck_assert_int_eq(tu_count_str(lb, "\nTransaction,"), want);
    ck_assert_int_eq(tu_count_str(lb, "\nHolds,"), 6);
    ck_assert_int_eq(tu_count_str(lb, "\nDirector Of,"), 3);
    ck_assert_int_eq(nl, 1 + want + 9);
    ck_assert_ptr_nonnull(strstr(lb, "\nDirector Of,R10,Person,P01,Organisation,C01,Directed"));
    ck_assert_ptr_nonnull(strstr(lb, "\nHolds,R4,Organisation,C01,Account,KE001,Directed"));
    ck_assert_ptr_nonnull(strstr(lb, "Transaction,T022,Account,KE001,Account,MZ001,Directed,2023-03-10,10:00:00,58000.00,USD"));
    ck_assert_ptr_nonnull(strstr(eb, "Account,KE001,Savanna Curios Ltd,"));
    free(eb);
    free(lb);
    free(sel);
}
END_TEST

START_TEST(i2_paths)
{
    char *e = NULL, *l = NULL;
    ck_assert_int_eq(iffnet_export_i2_paths("out/case", &e, &l), 0);
    ck_assert_str_eq(e, "out/case-entities.csv");
    ck_assert_str_eq(l, "out/case-links.csv");
    free(e); free(l);
    ck_assert_int_eq(iffnet_export_i2_paths("/tmp", &e, &l), 0);
    ck_assert_str_eq(e, "/tmp/entities.csv");
    free(e); free(l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("export");
    TCase *tc = tcase_create("export");
    iffnet_init_libraries(1);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, graphml_rereads_with_igraph);
    tcase_add_test(tc, selections);
    tcase_add_test(tc, i2_lists_match_the_selection);
    tcase_add_test(tc, i2_paths);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
