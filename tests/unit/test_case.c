/* test_case.c: CSV reading, ingest (presets, bad input), the case file round trip
 * and corruption detection, the network. Fixtures are written to the test's temp dir. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "iffnet/iffnet.h"
#include "testutil.h"

START_TEST(csv_lines_and_quotes)
{
    const char *p = tu_write("q.csv", "\xEF\xBB\xBF" "a,b,c\r\n1,\"x,y\",3\r\n\r\n2,\"multi\nline\",4\r\n3,\"say \"\"hi\"\"\",5");
    iffnet_csv_t *r;
    int eof;
    ck_assert_int_eq(iffnet_csv_open(&r, p, ','), IFFNET_OK);
    ck_assert_int_eq(iffnet_csv_next(r, &eof), IFFNET_OK);
    ck_assert_str_eq(iffnet_csv_field(r, 0, NULL), "a"); /* BOM stripped */
    ck_assert_int_eq(iffnet_csv_next(r, &eof), IFFNET_OK);
    ck_assert_int_eq(iffnet_csv_line(r), 2);
    ck_assert_str_eq(iffnet_csv_field(r, 1, NULL), "x,y");
    ck_assert_int_eq(iffnet_csv_next(r, &eof), IFFNET_OK);
    ck_assert_int_eq(iffnet_csv_line(r), 4); /* the blank line 3 is skipped */
    ck_assert_str_eq(iffnet_csv_field(r, 1, NULL), "multi\nline");
    ck_assert_int_eq(iffnet_csv_next(r, &eof), IFFNET_OK);
    ck_assert_int_eq(eof, 0);
    ck_assert_int_eq(iffnet_csv_line(r), 6);
    ck_assert_str_eq(iffnet_csv_field(r, 1, NULL), "say \"hi\"");
    ck_assert_int_eq(iffnet_csv_nfields(r), 3);
    ck_assert_int_eq(iffnet_csv_next(r, &eof), IFFNET_OK);
    ck_assert_int_eq(eof, 1);
    iffnet_csv_close(r);
}
END_TEST

/* Reads r to the end; returns the first error. */
static int csv_read_all(iffnet_csv_t *r)
{
    int eof, err = IFFNET_OK;
    while (!err) {
        err = iffnet_csv_next(r, &eof);
        if (eof) break;
    }
    return err;
}

START_TEST(csv_malformed)
{
    const char *p = tu_write("bad.csv", "a,b\n1,2\n3,\"open\n4,5\n");
    iffnet_csv_t *r;
    int eof;
    ck_assert_int_eq(iffnet_csv_open(&r, p, ','), IFFNET_OK);
    CHECK_ERROR(csv_read_all(r), IFFNET_EDATA, "bad.csv:3: malformed CSV: unterminated quoted field");
    iffnet_csv_close(r);
    p = tu_write("stray.csv", "a,b\n1,x\"y\n");
    ck_assert_int_eq(iffnet_csv_open(&r, p, ','), IFFNET_OK);
    ck_assert_int_eq(iffnet_csv_next(r, &eof), IFFNET_OK);
    CHECK_ERROR(iffnet_csv_next(r, &eof), IFFNET_EDATA, "stray.csv:2: malformed CSV");
    iffnet_csv_close(r);
}
END_TEST

START_TEST(csv_gzip)
{
    const char *path = tu_path("t.csv.gz");
    gzFile g = gzopen(path, "wb");
    ck_assert_ptr_nonnull(g);
    gzputs(g, "a,b\n");
    for (int i = 0; i < 50000; i++) gzprintf(g, "%d,%d\n", i, 2 * i);
    gzclose(g);
    iffnet_csv_t *r;
    int eof;
    int64_t n = 0, last = -1;
    ck_assert_int_eq(iffnet_csv_open(&r, path, ','), IFFNET_OK);
    for (;;) {
        ck_assert_int_eq(iffnet_csv_next(r, &eof), IFFNET_OK);
        if (eof) break;
        n++;
        last = atoll(iffnet_csv_field(r, 1, NULL));
    }
    ck_assert_int_eq(n, 50001);
    ck_assert_int_eq(last, 99998);
    char hex[65], hex2[65];
    int64_t bytes, size2;
    ck_assert_int_eq(iffnet_csv_finish_hash(r, hex, &bytes), IFFNET_OK);
    iffnet_csv_close(r);
    /* The hash is of the file as stored (compressed), as sha256sum would print it. */
    ck_assert_int_eq(iffnet_sha256_file(path, hex2, &size2), IFFNET_OK);
    ck_assert_str_eq(hex, hex2);
    ck_assert_int_eq(bytes, size2);
}
END_TEST

static const char *TX =
    "tx_id,timestamp,source,target,amount,currency,channel,reference\n"
    "t3,2024-01-03T10:00:00Z,B,C,100.00,EUR,wire,\"invoice 7, ivory\"\n"
    "t1,2024-01-01,A,B,250.50,EUR,Cash Deposit,\n"
    "t2,2024-01-01T00:00:00Z,A,C,10,USD,wire,\n"
    "t4,2024-01-02,C,A,0.99,EUR,,\n";

START_TEST(ingest_sorts_by_time)
{
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(tu_ingest_try(&c, tu_write("tx.csv", TX), NULL, NULL, NULL, NULL, &rep), IFFNET_OK);
    ck_assert_int_eq(c.n_tx, 4);
    ck_assert_int_eq(c.n_accounts, 3);
    /* Equal times keep input order: t1 before t2. */
    ck_assert_str_eq(iffnet_case_tx_id(&c, 0), "t1");
    ck_assert_str_eq(iffnet_case_tx_id(&c, 1), "t2");
    ck_assert_str_eq(iffnet_case_tx_id(&c, 2), "t4");
    ck_assert_str_eq(iffnet_case_tx_id(&c, 3), "t3");
    ck_assert_int_eq(c.tx_amount[0], 25050);
    ck_assert_int_eq(c.tx_line[0], 3);
    ck_assert_str_eq(iffnet_strtab_get(&c.channels, c.tx_channel[0]), "cash_deposit");
    ck_assert_int_eq(c.tx_channel[2], -1);
    ck_assert_str_eq(iffnet_case_text(&c, c.tx_reference[3]), "invoice 7, ivory");
    ck_assert(iffnet_case_mixed_currencies(&c));
    ck_assert_int_eq(c.prov.n_inputs, 1);
    ck_assert_int_eq(c.prov.inputs[0].rows_read, 4);
    ck_assert_int_eq(strlen(c.prov.inputs[0].sha256), 64);
    igraph_t g;
    ck_assert_int_eq(iffnet_case_graph(&c, &g), IFFNET_OK);
    ck_assert_int_eq(igraph_vcount(&g), 3);
    ck_assert_int_eq(igraph_ecount(&g), 4);
    igraph_integer_t from, to;
    igraph_edge(&g, 3, &from, &to);
    ck_assert_int_eq(from, c.tx_src[3]);
    ck_assert_int_eq(to, c.tx_dst[3]);
    igraph_destroy(&g);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(ingest_rejects_bad_rows)
{
    const char *p = tu_write("bad.csv",
        "tx_id,timestamp,source,target,amount,currency\n"
        "1,2024-01-01,A,B,12.50,EUR\n"
        "2,2024-01-02,B,C,\"12,5x\",EUR\n"
        "1,2024-01-03,C,A,7,EUR\n"
        "3,2024-01-03,C,,7,EUR\n"
        "4,2024-01-03,C,D,7,XX1\n"
        "5,2024-01-03\n");
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(tu_ingest_try(&c, p, NULL, NULL, NULL, NULL, &rep), IFFNET_EDATA);
    ck_assert_int_eq(rep.n_errors, 5);
    /* Row errors come in line order; duplicate ids are found after reading, last. */
    ck_assert_ptr_nonnull(strstr(rep.errors[0].message, "bad.csv:3: column 'amount': \"12,5x\" is not an amount"));
    ck_assert_ptr_nonnull(strstr(rep.errors[1].message, "bad.csv:5: column 'target': the account is empty"));
    ck_assert_ptr_nonnull(strstr(rep.errors[2].message, "bad.csv:6: column 'currency'"));
    ck_assert_ptr_nonnull(strstr(rep.errors[3].message, "bad.csv:7: expected 6 fields, found 2"));
    ck_assert_ptr_nonnull(strstr(rep.errors[4].message, "bad.csv:4: column 'tx_id': duplicate transaction id \"1\" (first on line 2)"));
    iffnet_ingest_report_destroy(&rep);

    /* --skip-bad keeps the good rows, counts and writes the rest. */
    iffnet_ingest_opts_t o;
    iffnet_ingest_opts_default(&o);
    const char *skip = tu_path("skipped.csv");
    o.skip_bad_path = skip;
    ck_assert_int_eq(tu_ingest_try(&c, p, NULL, NULL, NULL, &o, &rep), IFFNET_OK);
    ck_assert_int_eq(c.n_tx, 1);
    ck_assert_int_eq(c.n_accounts, 2); /* no account from a rejected row */
    ck_assert_int_eq(rep.skipped, 5);
    ck_assert_int_eq(c.prov.inputs[0].rows_rejected, 5);
    ck_assert_int_eq(tu_count_lines(skip), 6);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(ingest_max_errors)
{
    char text[64 * 1024] = "tx_id,timestamp,source,target,amount,currency\n";
    for (int i = 0; i < 100; i++) {
        char row[64];
        snprintf(row, sizeof row, "%d,2024-01-01,A,B,bad,EUR\n", i);
        strcat(text, row);
    }
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(tu_ingest_try(&c, tu_write("many.csv", text), NULL, NULL, NULL, NULL, &rep), IFFNET_EDATA);
    ck_assert_int_eq(rep.n_errors, 20);
    ck_assert_int_eq(rep.n_kept, 20);
    iffnet_ingest_report_destroy(&rep);
}
END_TEST

static const char *ENT =
    "id,kind,name,country,sector,phone,pep\n"
    "P1,person,Ann Lee,KE,,+254 1,\n"
    "C1,company,Green Exports Ltd,MZ,Import-Export,+258 2,\n"
    "A,account,,KE,,,\n"
    "B,account,,MZ,,,\n"
    "X,account,,ZA,,,\n";
static const char *REL =
    "source,target,relation\n"
    "P1,A,holds_account\n"
    "C1,B,holds_account\n"
    "P1,C1,director_of\n";

START_TEST(ingest_entities_relations)
{
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(tu_ingest_try(&c, tu_write("tx.csv", TX), tu_write("e.csv", ENT), tu_write("r.csv", REL), NULL, NULL, &rep), IFFNET_OK);
    ck_assert_int_eq(c.n_entities, 5);
    ck_assert_int_eq(c.n_accounts, 4); /* X has no transactions but is an account */
    ck_assert_int_eq(c.n_relations, 3);
    int64_t a = iffnet_case_find_account(&c, "A"), b = iffnet_case_find_account(&c, "B");
    ck_assert_str_eq(iffnet_case_account_name(&c, a), "Ann Lee");
    ck_assert_str_eq(iffnet_case_account_country(&c, a), "KE");
    ck_assert_str_eq(iffnet_case_account_sector(&c, b), "import_export");
    ck_assert_str_eq(iffnet_case_entity_attr(&c, c.account_holder[b], "phone"), "+258 2");
    ck_assert_str_eq(iffnet_case_entity_attr(&c, c.account_holder[b], "pep"), "");
    ck_assert_int_eq(c.n_attrs, 2);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);

    const char *bad = tu_write("r2.csv", "source,target,relation\nP1,A,holds_account\nP1,NOPE,holds_account\n");
    ck_assert_int_eq(tu_ingest_try(&c, tu_write("tx.csv", TX), tu_write("e.csv", ENT), bad, NULL, NULL, &rep), IFFNET_EDATA);
    ck_assert_ptr_nonnull(strstr(rep.errors[0].message, "r2.csv:3: column 'target': unknown account or entity \"NOPE\""));
    iffnet_ingest_report_destroy(&rep);
}
END_TEST

START_TEST(ingest_rates)
{
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    const char *rates = tu_write("fx.csv", "currency,rate\nEUR,1\nUSD,0.9\n");
    ck_assert_int_eq(tu_ingest_try(&c, tu_write("tx.csv", TX), NULL, NULL, rates, NULL, &rep), IFFNET_OK);
    ck_assert_str_eq(iffnet_case_currency(&c, c.base_currency), "EUR");
    ck_assert(!iffnet_case_mixed_currencies(&c));
    ck_assert_int_eq(iffnet_case_tx_value(&c, 1), 900); /* 10 USD = 9 EUR */
    ck_assert_int_eq(iffnet_case_tx_value(&c, 0), 25050);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
    rates = tu_write("fx2.csv", "currency,rate\nEUR,1\n");
    CHECK_ERROR(tu_ingest_try(&c, tu_write("tx.csv", TX), NULL, NULL, rates, NULL, &rep), IFFNET_EDATA,
                "tx.csv:4: column 'currency': \"USD\" has no rate");
    iffnet_ingest_report_destroy(&rep);
}
END_TEST

START_TEST(ingest_presets)
{
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    iffnet_ingest_opts_t o;
    iffnet_ingest_opts_default(&o);
    ck_assert_int_eq(iffnet_ingest_preset(&o, "amlworld"), IFFNET_OK);
    const char *aw = tu_write("aw.csv",
        "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering\n"
        "2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1\n"
        "2022/09/01 00:07,012,80011F990,021174,800737690,0.370287,Bitcoin,0.370287,Bitcoin,Bitcoin,0\n");
    ck_assert_int_eq(tu_ingest_try(&c, aw, NULL, NULL, NULL, &o, &rep), IFFNET_OK);
    ck_assert_int_ge(iffnet_case_find_account(&c, "21174_800737690"), 0);
    ck_assert_int_ge(iffnet_case_find_account(&c, "12_80011F990"), 0);
    ck_assert_str_eq(iffnet_case_tx_id(&c, 1), "2");
    ck_assert_str_eq(iffnet_case_currency(&c, c.tx_currency[1]), "BTC");
    ck_assert_int_eq(c.tx_amount[1], 37028700);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);

    iffnet_ingest_opts_default(&o);
    ck_assert_int_eq(iffnet_ingest_preset(&o, "amlsim-sample"), IFFNET_OK);
    const char *s = tu_write("s.csv", "sourceNodeId,targetNodeId,value,time\n1,2,147.8,1\n2,3,5,0\n");
    ck_assert_int_eq(tu_ingest_try(&c, s, NULL, NULL, NULL, &o, &rep), IFFNET_OK);
    ck_assert_int_eq(c.tx_time[0], 1483228800);           /* step 0 = 2017-01-01 */
    ck_assert_int_eq(c.tx_time[1], 1483228800 + 86400);
    ck_assert_int_eq(c.tx_amount[1], 14780);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);

    /* A mapped ground-truth column is refused. */
    iffnet_ingest_opts_default(&o);
    o.tx_col[IFFNET_F_REFERENCE] = "is_sar";
    const char *t = tu_write("l.csv", "tx_id,timestamp,source,target,amount,currency,is_sar\n1,2024-01-01,A,B,1,EUR,True\n");
    ck_assert_int_eq(tu_ingest_try(&c, t, NULL, NULL, NULL, &o, &rep), IFFNET_EINVAL);
    iffnet_ingest_report_destroy(&rep);
    ck_assert_int_ne(iffnet_ingest_preset(&o, "nope"), IFFNET_OK);
}
END_TEST

START_TEST(casefile_round_trip_and_corruption)
{
    iffnet_case_t c, d;
    iffnet_ingest_report_t rep;
    const char *rates = tu_write("fx.csv", "currency,rate\nEUR,1\nUSD,0.9\n");
    ck_assert_int_eq(tu_ingest_try(&c, tu_write("tx.csv", TX), tu_write("e.csv", ENT), tu_write("r.csv", REL), rates, NULL, &rep), IFFNET_OK);
    const char *path = tu_path("c.iffn");
    ck_assert_int_eq(iffnet_case_save(&c, path), IFFNET_OK);
    ck_assert_int_eq(iffnet_case_load(&d, path), IFFNET_OK);
    ck_assert_int_eq(d.n_tx, c.n_tx);
    ck_assert_int_eq(d.n_accounts, c.n_accounts);
    ck_assert_int_eq(d.n_entities, c.n_entities);
    ck_assert_int_eq(d.n_relations, c.n_relations);
    ck_assert_int_eq(d.base_currency, c.base_currency);
    for (int64_t t = 0; t < c.n_tx; t++) {
        ck_assert_str_eq(iffnet_case_tx_id(&d, t), iffnet_case_tx_id(&c, t));
        ck_assert_int_eq(d.tx_amount[t], c.tx_amount[t]);
        ck_assert_int_eq(d.tx_base[t], c.tx_base[t]);
        ck_assert_int_eq(d.tx_time[t], c.tx_time[t]);
        ck_assert_int_eq(d.tx_src[t], c.tx_src[t]);
    }
    ck_assert_str_eq(iffnet_case_account_name(&d, 0), iffnet_case_account_name(&c, 0));
    ck_assert_str_eq(d.prov.inputs[0].sha256, c.prov.inputs[0].sha256);
    ck_assert_int_eq(d.prov.n_inputs, 4);
    ck_assert_int_ge(iffnet_case_find_account(&d, "B"), 0);
    iffnet_case_destroy(&d);
    iffnet_case_destroy(&c);
    iffnet_ingest_report_destroy(&rep);

    /* Every single-byte change and every truncation is refused, never loaded. */
    size_t size;
    char *buf = tu_read_file(path, &size);
    for (size_t pos = 0; pos < size; pos += 7) {
        buf[pos] ^= 0x5a;
        const char *bad = tu_write_n("bad.iffn", buf, size);
        buf[pos] ^= 0x5a;
        int err = iffnet_case_load(&d, bad);
        ck_assert_msg(err == IFFNET_ECORRUPT, "byte %zu flipped: load returned %d", pos, err);
    }
    for (size_t len = 0; len < size; len += 13)
        ck_assert_int_eq(iffnet_case_load(&d, tu_write_n("bad.iffn", buf, len)), IFFNET_ECORRUPT);
    free(buf);
}
END_TEST

/* Columns left out of the file when predictable come back as they were, and each
 * is stored again as soon as one transaction breaks the pattern. */
START_TEST(casefile_elided_columns)
{
    static const char *const variants[] = {
        /* all predictable: one currency, one channel, no references, lines in a row */
        "tx_id,timestamp,source,target,amount,currency,channel\n"
        "1,2024-01-01,A,B,1.00,EUR,wire\n2,2024-01-02,B,C,2.00,EUR,wire\n3,2024-01-03,C,A,3.00,EUR,wire\n",
        /* a second currency and channel, a reference, a quoted newline (lines jump) */
        "tx_id,timestamp,source,target,amount,currency,channel,reference\n"
        "1,2024-01-01,A,B,1.00,EUR,wire,\n2,2024-01-02,B,C,2.00,USD,cash,\"two\nlines\"\n3,2024-01-03,C,A,3.00,EUR,wire,\n",
        /* out of time order: the sorted lines are not consecutive */
        "tx_id,timestamp,source,target,amount,currency\n"
        "1,2024-01-03,A,B,1.00,EUR\n2,2024-01-01,B,C,2.00,EUR\n3,2024-01-02,C,A,3.00,EUR\n",
    };
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        iffnet_case_t c, d;
        iffnet_ingest_report_t rep;
        ck_assert_int_eq(tu_ingest_try(&c, tu_write("tx.csv", variants[v]), NULL, NULL, NULL, NULL, &rep), IFFNET_OK);
        char name[32];
        snprintf(name, sizeof name, "v%zu.iffn", v);
        const char *path = tu_path(name);
        ck_assert_int_eq(iffnet_case_save(&c, path), IFFNET_OK);
        ck_assert_int_eq(iffnet_case_load(&d, path), IFFNET_OK);
        ck_assert_int_eq(d.n_tx, c.n_tx);
        for (int64_t t = 0; t < c.n_tx; t++) {
            ck_assert_int_eq(d.tx_currency[t], c.tx_currency[t]);
            ck_assert_int_eq(d.tx_recv_currency[t], c.tx_recv_currency[t]);
            ck_assert_int_eq(d.tx_recv_amount[t], c.tx_recv_amount[t]);
            ck_assert_int_eq(d.tx_channel[t], c.tx_channel[t]);
            ck_assert_int_eq(d.tx_reference[t], c.tx_reference[t]);
            ck_assert_int_eq(d.tx_line[t], c.tx_line[t]);
        }
        iffnet_case_destroy(&d);
        iffnet_case_destroy(&c);
        iffnet_ingest_report_destroy(&rep);
    }
}
END_TEST

START_TEST(summary_counts)
{
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    const char *rates = tu_write("fx.csv", "currency,rate\nEUR,1\nUSD,0.9\n");
    ck_assert_int_eq(tu_ingest_try(&c, tu_write("tx.csv", TX), NULL, NULL, rates, NULL, &rep), IFFNET_OK);
    iffnet_summary_t s;
    ck_assert_int_eq(iffnet_case_summarize(&c, 2, &s), IFFNET_OK);
    ck_assert_int_eq(s.active_accounts, 3);
    ck_assert_int_eq(s.n_components, 1);
    ck_assert_int_eq(s.largest_component, 3);
    /* A sent 250.50 + 9.00 EUR: the largest outflow. */
    ck_assert_int_eq(s.top_out[0].account, iffnet_case_find_account(&c, "A"));
    ck_assert_int_eq(s.top_out[0].value, 25950);
    ck_assert_int_eq(s.max_in_degree, 2);
    iffnet_summary_destroy(&s);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(graph_matches_igraph_create)
{
    /* A random multigraph with loops and parallel edges, as a case: small (one
     * thread), then large enough for the two-thread build; one account only;
     * more accounts than the sort's 2048 first-pass runs (runs of several
     * accounts, some empty); more accounts than edges. */
    static const int sizes[][2] = {{50, 2000}, {5000, 300000}, {1, 500}, {70001, 250000}, {9000, 300}};
    const int na = sizes[_i][0], m = sizes[_i][1];
    iffnet_case_t c;
    iffnet_case_init(&c);
    c.n_accounts = na;
    c.n_tx = m;
    c.tx_src = malloc((size_t)m * sizeof *c.tx_src);
    c.tx_dst = malloc((size_t)m * sizeof *c.tx_dst);
    unsigned x = 12345;
    for (int t = 0; t < m; t++) {
        x = x * 1103515245u + 12345u;
        c.tx_src[t] = (int32_t)((x >> 16) % (unsigned)na);
        x = x * 1103515245u + 12345u;
        c.tx_dst[t] = (int32_t)((x >> 16) % (t < m / 2 && na > 7 ? 7u : (unsigned)na)); /* many parallel edges */
    }
    igraph_t ours, ref;
    igraph_vector_int_t edges;
    ck_assert_int_eq(iffnet_case_graph(&c, &ours), IFFNET_OK);
    igraph_vector_int_init(&edges, 2 * m);
    for (int t = 0; t < m; t++) {
        VECTOR(edges)[2 * t] = c.tx_src[t];
        VECTOR(edges)[2 * t + 1] = c.tx_dst[t];
    }
    ck_assert_int_eq(igraph_create(&ref, &edges, na, IGRAPH_DIRECTED), IGRAPH_SUCCESS);
    ck_assert(igraph_vector_int_all_e(&ours.from, &ref.from));
    ck_assert(igraph_vector_int_all_e(&ours.to, &ref.to));
    ck_assert(igraph_vector_int_all_e(&ours.oi, &ref.oi));
    ck_assert(igraph_vector_int_all_e(&ours.ii, &ref.ii));
    ck_assert(igraph_vector_int_all_e(&ours.os, &ref.os));
    ck_assert(igraph_vector_int_all_e(&ours.is, &ref.is));
    /* And igraph's own queries agree. */
    igraph_bool_t multi, loops, ref_multi, ref_loops;
    igraph_has_multiple(&ours, &multi);
    igraph_has_loop(&ours, &loops);
    igraph_has_multiple(&ref, &ref_multi);
    igraph_has_loop(&ref, &ref_loops);
    ck_assert(multi == ref_multi && loops == ref_loops);
    if (m >= 2000) ck_assert(multi);
    igraph_vector_int_t deg1, deg2;
    igraph_vector_int_init(&deg1, 0);
    igraph_vector_int_init(&deg2, 0);
    igraph_degree(&ours, &deg1, igraph_vss_all(), IGRAPH_IN, IGRAPH_LOOPS);
    igraph_degree(&ref, &deg2, igraph_vss_all(), IGRAPH_IN, IGRAPH_LOOPS);
    ck_assert(igraph_vector_int_all_e(&deg1, &deg2));
    igraph_vector_int_destroy(&deg1);
    igraph_vector_int_destroy(&deg2);
    igraph_vector_int_destroy(&edges);
    igraph_destroy(&ours);
    igraph_destroy(&ref);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- moved money (iffnet-detect(1), MOVED MONEY) ----
 * One case with a hand-made structure per typology; each table row names the
 * transactions of an alert and the money that moved through it. */
static const char moved_tx[] =
    "tx_id,timestamp,source,target,amount,currency,channel\n"
    /* structuring: three cash deposits under 10,000, then wires on */
    "s1,2024-01-01T09:00:00Z,CASH,S1,9900.00,EUR,cash_deposit\n"
    "s2,2024-01-01T10:00:00Z,CASH,S2,9500.00,EUR,cash_deposit\n"
    "s3,2024-01-02T09:00:00Z,CASH,S1,9800.00,EUR,cash_deposit\n"
    "s4,2024-01-03T09:00:00Z,S1,X1,19000.00,EUR,wire\n"
    "s5,2024-01-03T10:00:00Z,S2,X1,9400.00,EUR,wire\n"
    /* a 4-hop layering chain with small decay */
    "l1,2024-01-04T09:00:00Z,L1,L2,10000.00,EUR,wire\n"
    "l2,2024-01-04T12:00:00Z,L2,L3,9800.00,EUR,wire\n"
    "l3,2024-01-05T09:00:00Z,L3,L4,9600.00,EUR,wire\n"
    "l4,2024-01-05T12:00:00Z,L4,L5,9400.00,EUR,wire\n"
    /* fan-in and fan-out */
    "f1,2024-01-06T09:00:00Z,F1,FC,100.00,EUR,wire\n"
    "f2,2024-01-06T10:00:00Z,F2,FC,200.00,EUR,wire\n"
    "f3,2024-01-06T11:00:00Z,F3,FC,300.00,EUR,wire\n"
    "o1,2024-01-07T09:00:00Z,OD,O1,150.00,EUR,wire\n"
    "o2,2024-01-07T10:00:00Z,OD,O2,250.00,EUR,wire\n"
    /* a cycle: the last hop is the smallest */
    "y1,2024-01-08T09:00:00Z,Y1,Y2,1000.00,EUR,wire\n"
    "y2,2024-01-08T10:00:00Z,Y2,Y3,900.00,EUR,wire\n"
    "y3,2024-01-08T11:00:00Z,Y3,Y1,800.00,EUR,wire\n"
    /* gather-scatter through hub H */
    "g1,2024-01-09T09:00:00Z,G1,H,1000.00,EUR,wire\n"
    "g2,2024-01-09T10:00:00Z,G2,H,2000.00,EUR,wire\n"
    "g3,2024-01-09T11:00:00Z,H,R1,1500.00,EUR,wire\n"
    "g4,2024-01-09T12:00:00Z,H,R2,1200.00,EUR,wire\n"
    /* scatter-gather from source SS through two intermediaries to sink SK */
    "c1,2024-01-10T09:00:00Z,SS,I1,500.00,EUR,wire\n"
    "c2,2024-01-10T10:00:00Z,SS,I2,700.00,EUR,wire\n"
    "c3,2024-01-10T11:00:00Z,I1,SK,480.00,EUR,wire\n"
    "c4,2024-01-10T12:00:00Z,I2,SK,690.00,EUR,wire\n"
    /* a corridor through transit account TR, twice */
    "k1,2024-01-11T09:00:00Z,KE1,TR,5000.00,EUR,wire\n"
    "k2,2024-01-11T10:00:00Z,KE1,TR,1000.00,EUR,wire\n"
    "k3,2024-01-11T11:00:00Z,TR,VN1,5800.00,EUR,wire\n"
    /* payments to a trader: nothing passes on */
    "w1,2024-01-12T09:00:00Z,B1,WT,100.00,EUR,card\n"
    "w2,2024-01-12T10:00:00Z,B2,WT,200.00,EUR,card\n"
    /* two shells paying each other back and forth: no account adds money */
    "h1,2024-01-13T09:00:00Z,SA,SB,1000.00,EUR,wire\n"
    "h2,2024-01-13T10:00:00Z,SB,SA,1000.00,EUR,wire\n";

static const struct {
    iffnet_typology_t typ;
    const char *tx;                 /* the alert's transactions */
    iffnet_money_t amount, moved;   /* cents */
    iffnet_moved_rule_t by;
} moved_cases[] = {
    {IFFNET_TYP_STRUCTURING, "s1,s2,s3,s4,s5", 5760000, 2920000, IFFNET_MOVED_CASH},     /* the structured cash */
    {IFFNET_TYP_CASH_TO_WIRE, "s1,s3,s4", 3870000, 1970000, IFFNET_MOVED_CASH},
    {IFFNET_TYP_LAYERING, "l1,l2,l3,l4", 3880000, 1000000, IFFNET_MOVED_ENTRY},         /* what entered the chain */
    {IFFNET_TYP_FAN_IN, "f1,f2,f3", 60000, 60000, IFFNET_MOVED_COLLECTOR},
    {IFFNET_TYP_FAN_OUT, "o1,o2", 40000, 40000, IFFNET_MOVED_DISTRIBUTOR},
    {IFFNET_TYP_CYCLE, "y1,y2,y3", 270000, 80000, IFFNET_MOVED_LEAST_HOP},              /* what went all the way round */
    {IFFNET_TYP_GATHER_SCATTER, "g1,g2,g3,g4", 570000, 270000, IFFNET_MOVED_HUB},
    {IFFNET_TYP_MULE, "g1,g2,g3,g4", 570000, 270000, IFFNET_MOVED_HUB},
    {IFFNET_TYP_SCATTER_GATHER, "c1,c2,c3,c4", 237000, 120000, IFFNET_MOVED_ENTRY},     /* what left the source */
    {IFFNET_TYP_CORRIDOR, "k1,k2,k3", 1180000, 600000, IFFNET_MOVED_TRANSIT},           /* what entered the transit */
    {IFFNET_TYP_WILDLIFE_TRADE, "w1,w2", 30000, 30000, IFFNET_MOVED_SUM},
    {IFFNET_TYP_SHELL_NETWORK, "h1,h2", 200000, 100000, IFFNET_MOVED_LEAST_HOP},       /* no source: the least hop */
    {IFFNET_TYP_STRUCTURING, "l1,l2", 1980000, 1000000, IFFNET_MOVED_ENTRY},            /* no cash: what entered */
};

/* An alert of the row's typology over its transactions (and their accounts). */
static void moved_alert(const iffnet_case_t *c, int row, iffnet_alert_list_t *l)
{
    char list[128], *save = NULL;
    int64_t tx[16], acc[32], nt = 0, na = 0;
    snprintf(list, sizeof list, "%s", moved_cases[row].tx);
    for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        int64_t t = iffnet_strtab_find((iffnet_strtab_t *)&c->tx_ids, id, strlen(id));
        ck_assert_msg(t >= 0, "no transaction %s", id);
        tx[nt++] = t;
        acc[na++] = c->tx_src[t];
        acc[na++] = c->tx_dst[t];
    }
    iffnet_alert_list_init(l);
    ck_assert_int_eq(iffnet_alert_list_add(l, moved_cases[row].typ, 0.5, acc, na, tx, nt, NULL), IFFNET_OK);
    ck_assert_int_eq(iffnet_alert_list_finish(l, c), IFFNET_OK);
}

START_TEST(moved_per_typology)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    tu_case_from_csv(&c, moved_tx, NULL, NULL);
    moved_alert(&c, _i, &l);
    const iffnet_alert_t *a = &l.items[0];
    ck_assert_msg(a->amount == moved_cases[_i].amount, "row %d (%s): amount %lld", _i,
                  iffnet_typology_name(a->typology), (long long)a->amount);
    ck_assert_msg(a->moved == moved_cases[_i].moved, "row %d (%s): moved %lld, want %lld", _i,
                  iffnet_typology_name(a->typology), (long long)a->moved, (long long)moved_cases[_i].moved);
    ck_assert_msg(a->moved_by == moved_cases[_i].by, "row %d: rule %s", _i, iffnet_moved_rule_name(a->moved_by));
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* A detector's own figure is kept; the file round trip keeps figure and rule;
 * a file without them gets them derived as detect derives them. */
START_TEST(moved_detector_and_round_trip)
{
    iffnet_case_t c;
    iffnet_alert_list_t l, back;
    iffnet_alert_t *a;
    int64_t acc[2], tx[1];
    FILE *fp;
    tu_case_from_csv(&c, moved_tx, NULL, NULL);
    tx[0] = iffnet_strtab_find(&c.tx_ids, "l1", 2);
    acc[0] = c.tx_src[tx[0]];
    acc[1] = c.tx_dst[tx[0]];
    iffnet_alert_list_init(&l);
    ck_assert_int_eq(iffnet_alert_list_add(&l, IFFNET_TYP_LAYERING, 0.9, acc, 2, tx, 1, &a), IFFNET_OK);
    a->moved = 12345;
    a->moved_by = IFFNET_MOVED_DETECTOR;
    ck_assert_int_eq(iffnet_alert_list_finish(&l, &c), IFFNET_OK);
    ck_assert_int_eq(l.items[0].moved, 12345);
    /* a figure set without its rule is the detector's too */
    iffnet_alert_list_t l2;
    iffnet_alert_list_init(&l2);
    ck_assert_int_eq(iffnet_alert_list_add(&l2, IFFNET_TYP_LAYERING, 0.9, acc, 2, tx, 1, &a), IFFNET_OK);
    a->moved = 777;
    ck_assert_int_eq(iffnet_alert_list_finish(&l2, &c), IFFNET_OK);
    ck_assert_int_eq(l2.items[0].moved, 777);
    ck_assert_int_eq(l2.items[0].moved_by, IFFNET_MOVED_DETECTOR);
    iffnet_alert_list_destroy(&l2);
    fp = fopen(tu_path("a.jsonl"), "w");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(iffnet_alert_write_jsonl(&l, &c, fp), IFFNET_OK);
    fclose(fp);
    char *text = tu_read_file(tu_path("a.jsonl"), NULL);
    ck_assert_msg(strstr(text, "\"amount\":10000.00,\"moved\":123.45,\"moved_by\":\"detector\""), "%s", text);
    free(text);
    ck_assert_int_eq(iffnet_alert_read_jsonl(tu_path("a.jsonl"), &c, &back), IFFNET_OK);
    ck_assert_int_eq(back.items[0].moved, 12345);
    ck_assert_int_eq(back.items[0].moved_by, IFFNET_MOVED_DETECTOR);
    iffnet_alert_list_destroy(&back);
    tu_write("old.jsonl", "{\"id\":\"A1\",\"typology\":\"layering\",\"score\":0.5,\"accounts\":[\"L1\",\"L2\",\"L3\",\"L4\","
             "\"L5\"],\"transactions\":[\"l1\",\"l2\",\"l3\",\"l4\"],\"amount\":\"38800.00\",\"currency\":\"EUR\"}\n");
    ck_assert_int_eq(iffnet_alert_read_jsonl(tu_path("old.jsonl"), &c, &back), IFFNET_OK);
    ck_assert_int_eq(back.items[0].moved, 1000000);
    ck_assert_int_eq(back.items[0].moved_by, IFFNET_MOVED_ENTRY);
    iffnet_alert_list_destroy(&back);
    tu_write("bad.jsonl", "{\"id\":\"A1\",\"typology\":\"layering\",\"score\":0.5,\"accounts\":[],\"transactions\":[],"
             "\"currency\":\"EUR\",\"moved_by\":\"guess\"}\n");
    CHECK_ERROR(iffnet_alert_read_jsonl(tu_path("bad.jsonl"), &c, &back), IFFNET_EDATA, "member 'moved_by': 'guess'");
    iffnet_alert_list_destroy(&back);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

/* Without rates, an alert mixing currencies has no moved figure, as no amount. */
START_TEST(moved_mixed_currencies)
{
    iffnet_case_t c;
    iffnet_alert_list_t l;
    int64_t tx[2] = {0, 1}, acc[3];
    tu_case_from_csv(&c, "tx_id,timestamp,source,target,amount,currency\n"
                         "t1,2024-01-01,A,B,100.00,EUR\nt2,2024-01-02,B,C,90.00,USD\n", NULL, NULL);
    acc[0] = tu_account(&c, "A");
    acc[1] = tu_account(&c, "B");
    acc[2] = tu_account(&c, "C");
    iffnet_alert_list_init(&l);
    ck_assert_int_eq(iffnet_alert_list_add(&l, IFFNET_TYP_LAYERING, 0.5, acc, 3, tx, 2, NULL), IFFNET_OK);
    ck_assert_int_eq(iffnet_alert_list_finish(&l, &c), IFFNET_OK);
    ck_assert_int_eq(l.items[0].currency, -1);
    ck_assert_int_eq(l.items[0].moved, 0);
    iffnet_alert_list_destroy(&l);
    iffnet_case_destroy(&c);
}
END_TEST

int main(void)
{
    iffnet_init_libraries(1);
    Suite *s = suite_create("case");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, csv_lines_and_quotes);
    tcase_add_test(tc, csv_malformed);
    tcase_add_test(tc, csv_gzip);
    tcase_add_test(tc, ingest_sorts_by_time);
    tcase_add_test(tc, ingest_rejects_bad_rows);
    tcase_add_test(tc, ingest_max_errors);
    tcase_add_test(tc, ingest_entities_relations);
    tcase_add_test(tc, ingest_rates);
    tcase_add_test(tc, ingest_presets);
    tcase_add_test(tc, casefile_round_trip_and_corruption);
    tcase_add_test(tc, casefile_elided_columns);
    tcase_add_test(tc, summary_counts);
    tcase_add_loop_test(tc, graph_matches_igraph_create, 0, 5);
    tcase_add_loop_test(tc, moved_per_typology, 0, (int)(sizeof moved_cases / sizeof moved_cases[0]));
    tcase_add_test(tc, moved_detector_and_round_trip);
    tcase_add_test(tc, moved_mixed_currencies);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
