/* test_watchlist.c: name normalisation and similarity (names.h), reading watch
 * lists (CSV, FollowTheMoney JSON Lines), screening and the watchlist red flag. */
#include <stdlib.h>
#include <string.h>
#include "iffnet/iffnet.h"
#include "testutil.h"

static const struct { const char *in, *out; } norm_cases[] = {
    {"Ngozi Okafor", "ngozi okafor"},
    {"OKAFOR, Ngozi", "ngozi okafor"},                 /* word order */
    {"José Müller-Lüdenscheidt", "jose ludenscheidt muller"}, /* accents, hyphen */
    {"Straße Œuvre Æther Þór", "aether oeuvre strasse thor"},
    {"Łukasz Żółć", "lukasz zolc"},
    {"Ștefan Țiriac", "stefan tiriac"},                /* Romanian comma letters */
    {"Nguyễn Văn Đức", "duc nguyen van"},              /* Vietnamese */
    {"Jose\xcc\x81", "jose"},                          /* a decomposed acute accent */
    {"Royal Trading B.V.", "royal trading"},           /* dotted legal form */
    {"Lopez Stores Co. 93", "93 lopez stores"},
    {"Acme GmbH & Co. KG", "acme"},
    {"Limited", "limited"},                            /* nothing else left: kept */
    {"  --  ", ""},
    {"王小明 Trading", "trading 王小明"},                /* other scripts kept */
};

START_TEST(name_normalise)
{
    char *s = iffnet_name_normalise(norm_cases[_i].in);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, norm_cases[_i].out);
    free(s);
}
END_TEST

START_TEST(name_similarity_and_ids)
{
    ck_assert(iffnet_name_similarity("ngozi okafor", "ngozi okafor") == 1.0);
    /* one letter in seven differs: alike (6/7), so (1 + 6/7) * 2 / 4 */
    ck_assert_double_eq_tol(iffnet_name_similarity("royal trading", "royal tradin"), (1 + 6.0 / 7) / 2, 1e-9);
    /* a missing middle name: 2 * 2 / 5 */
    ck_assert_double_eq_tol(iffnet_name_similarity("john michael smith", "john smith"), 0.8, 1e-9);
    ck_assert(iffnet_name_similarity("jane smith", "john smith") < 0.8);
    ck_assert(iffnet_name_similarity("smith", "john smith") == 0);    /* one word: itself only */
    ck_assert(iffnet_name_similarity("anna kowal", "anne kowal") < 0.8); /* short words must be equal */
    ck_assert(iffnet_name_similarity("", "x y") == 0);
    char *id = iffnet_id_normalise("de 123-456/7");
    ck_assert_str_eq(id, "DE1234567");
    free(id);
}
END_TEST

static const char case_tx[] =
    "tx_id,timestamp,source,target,amount,currency\n"
    "t1,2024-01-01,A1,B1,100.00,EUR\n"
    "t2,2024-01-02,B1,C1,90.00,EUR\n"
    "t3,2024-01-03,S1,A1,50.00,EUR\n";
static const char case_entities[] =
    "id,kind,name,country,registration\n"
    "P1,person,Ngozi Okafor,NG,\n"
    "P2,person,Ngozi Okafor,FR,\n"
    "C1,company,Royal Trading BV,ES,ES-2015-710693\n"
    "C2,company,Blue Kitchen GmbH,IT,IT-2023-884464\n"
    "C3,company,Shell One Ltd,GB,\n"
    "P3,person,Jansen,DE,\n";
static const char case_relations[] =
    "source,target,relation\n"
    "P1,A1,holds_account\n"
    "C1,B1,holds_account\n"
    "C3,S1,holds_account\n"
    "P1,C3,director_of\n";

START_TEST(watchlist_csv_screen_and_alerts)
{
    iffnet_case_t c;
    iffnet_watchlist_t w;
    iffnet_watch_opts_t o;
    iffnet_watch_hits_t h;
    iffnet_alert_list_t l;
    tu_case_from_csv(&c, case_tx, case_entities, case_relations);
    tu_write("wl.csv", "name,kind,country,identifiers,aliases,source,id\n"
                       "\"OKAFOR, Ngozi\",person,NG,,Ngozi Okafor-Eze,test,W1\n"
                       "Royal Tradin B.V.,company,ES,,,test,W2\n"
                       "Other Name,company,IT,IT 2023 884464,,test,W3\n"
                       "Jansen,person,DE,,,test,W4\n");
    ck_assert_int_eq(iffnet_watchlist_read(&w, tu_path("wl.csv")), IFFNET_OK);
    ck_assert_int_eq(w.n, 4);
    ck_assert_int_eq(w.entries[0].n_names, 2);           /* name and alias */
    iffnet_watch_opts_default(&o);
    ck_assert_int_eq(iffnet_watchlist_screen(&c, &w, &o, &h), IFFNET_OK);
    /* P1 (same country) 1.0, C2 by identifier 1.0, P3 1.0 (a one-word name matches
     * itself only), C1 0.93 (one letter in seven), P2 (other country) 0.9 */
    ck_assert_int_eq(h.n, 5);
    ck_assert_str_eq(iffnet_strtab_get(&c.entity_ids, h.items[0].entity), "P1");
    ck_assert_int_eq(h.items[0].country, 1);
    ck_assert_str_eq(iffnet_strtab_get(&c.entity_ids, h.items[1].entity), "C2");
    ck_assert(h.items[1].by_id);
    ck_assert_str_eq(iffnet_strtab_get(&c.entity_ids, h.items[2].entity), "P3");
    ck_assert_str_eq(iffnet_strtab_get(&c.entity_ids, h.items[3].entity), "C1");
    ck_assert_double_eq_tol(h.items[3].score, (1 + 6.0 / 7) / 2, 1e-9);
    ck_assert_double_eq_tol(h.items[4].score, 0.9, 1e-9);
    ck_assert_int_eq(h.items[4].country, -1);
    iffnet_watch_hits_destroy(&h);
    o.min_score = 0.95;
    ck_assert_int_eq(iffnet_watchlist_screen(&c, &w, &o, &h), IFFNET_OK);
    ck_assert_int_eq(h.n, 3);
    iffnet_watch_hits_destroy(&h);
    iffnet_watchlist_destroy(&w);

    /* The red flag: the director's alert holds its own account and its company's. */
    char set[256];
    snprintf(set, sizeof set, "watchlist.file=%s", tu_path("wl.csv"));
    tu_detect(&c, "watchlist", set, NULL, &l);
    ck_assert_int_eq(tu_count_typology(&l, IFFNET_TYP_WATCHLIST), 5);
    int64_t k = tu_alert_with(&c, &l, IFFNET_TYP_WATCHLIST, "S1");
    ck_assert_int_ge(k, 0);
    ck_assert(tu_has_account(&c, &l.items[k], "A1"));
    ck_assert(tu_has_reason(&l.items[k], "both names read 'ngozi okafor'"));
    ck_assert(tu_has_reason(&l.items[k], "1 account(s) held, 1 of companies it directs or owns"));
    ck_assert_int_eq(l.items[k].n_tx, 2);                  /* t1 and t3 touch A1 or S1 */
    ck_assert_int_eq(l.items[k].moved_by, IFFNET_MOVED_SUM);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(watchlist_ftm)
{
    iffnet_watchlist_t w;
    tu_write("os.json", "{\"id\":\"os-1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ngozi Okafor\"],"
                        "\"alias\":[\"N. Okafor\"],\"nationality\":[\"ng\"],\"passportNumber\":[\"A1234567\"]},"
                        "\"datasets\":[\"un_sc\"]}\n"
                        "{\"id\":\"os-2\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"os-1\"]}}\n"
                        "\n"
                        "{\"id\":\"os-3\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Blue Kitchen\"]}}\n");
    ck_assert_int_eq(iffnet_watchlist_read(&w, tu_path("os.json")), IFFNET_OK);
    ck_assert_int_eq(w.n, 2);
    ck_assert_int_eq(w.n_skipped, 1);
    ck_assert_str_eq(w.entries[0].source, "un_sc");
    ck_assert_str_eq(w.entries[0].countries[0], "NG");
    ck_assert_str_eq(w.entries[0].ids[0], "A1234567");
    ck_assert_int_eq(w.entries[1].line, 4);
    iffnet_watchlist_destroy(&w);
}
END_TEST

static const struct { const char *file, *text, *err; } bad_lists[] = {
    {"b1.csv", "id,country\nW1,DE\n", "b1.csv:1: the header has no column 'name'"},
    {"b2.csv", "name,country\nAcme,DE\n,FR\n", "b2.csv:3: column 'name': the name is empty"},
    {"b3.csv", "name\n\"--\"\n", "b3.csv:2: column 'name': \"--\" has no letter or digit"},
    {"b4.json", "{\"schema\":\"Person\",\"properties\":{\"name\":[\"A B\"]}}\n{\"schema\":\"Person\",\"properties\":{\"name\":\"A\"}}\n",
     "b4.json:2:"},
    {"b5.json", "{\"schema\":\"Person\",\"properties\":{\"name\":[\"A B\"]}}\n{\"schema\": }\n", "b5.json:2:"},
    {"b6.json", "{\"schema\":\"Person\"}\n", "b6.json:1: entity has no \"properties\" object"},
};

START_TEST(watchlist_errors)
{
    iffnet_watchlist_t w;
    tu_write(bad_lists[_i].file, bad_lists[_i].text);
    CHECK_ERROR(iffnet_watchlist_read(&w, tu_path(bad_lists[_i].file)), IFFNET_EDATA, bad_lists[_i].err);
    CHECK_ERROR(iffnet_watchlist_read(&w, tu_path("absent.csv")), IFFNET_EIO, "absent.csv");
}
END_TEST

/* Blocking: a name whose words are all too common to block on is not compared,
 * and the comparison budget is reported. */
START_TEST(watchlist_budget)
{
    iffnet_case_t c;
    iffnet_watchlist_t w;
    iffnet_watch_opts_t o;
    iffnet_watch_hits_t h;
    tu_case_from_csv(&c, case_tx, case_entities, case_relations);
    tu_write("wl.csv", "name\nNgozi Okafor\nNgozi Okafor Eze\nRoyal Trading\n");
    ck_assert_int_eq(iffnet_watchlist_read(&w, tu_path("wl.csv")), IFFNET_OK);
    iffnet_watch_opts_default(&o);
    o.max_pairs = 1;
    ck_assert_int_eq(iffnet_watchlist_screen(&c, &w, &o, &h), IFFNET_OK);
    ck_assert(h.cut);
    ck_assert_int_le(h.pairs, 1);
    iffnet_watch_hits_destroy(&h);
    iffnet_watch_opts_default(&o);
    o.max_block = 1;   /* every key of "ngozi okafor" (ngozi, okafor, ~ngoz, ~okaf) is in two entries */
    ck_assert_int_eq(iffnet_watchlist_screen(&c, &w, &o, &h), IFFNET_OK);
    for (int64_t i = 0; i < h.n; i++)
        ck_assert_str_ne(iffnet_strtab_get(&c.entity_ids, h.items[i].entity), "P1");
    iffnet_watch_hits_destroy(&h);
    iffnet_watchlist_destroy(&w);
    iffnet_case_destroy(&c);
}
END_TEST

int main(void)
{
    iffnet_init_libraries(1);
    Suite *s = suite_create("watchlist");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, name_normalise, 0, (int)(sizeof norm_cases / sizeof norm_cases[0]));
    tcase_add_test(tc, name_similarity_and_ids);
    tcase_add_test(tc, watchlist_csv_screen_and_alerts);
    tcase_add_test(tc, watchlist_ftm);
    tcase_add_loop_test(tc, watchlist_errors, 0, (int)(sizeof bad_lists / sizeof bad_lists[0]));
    tcase_add_test(tc, watchlist_budget);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
