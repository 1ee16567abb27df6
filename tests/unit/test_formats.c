/* test_formats.c: the readers and writers of the files an FIU holds, through the
 * library: time zones and date formats, several sources in one case (the repeat
 * rule in both modes), goAML and FtM round trips, statements, dated rates. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "testutil.h"
#include "iffnet/export.h"

#define GOAML(f) IFFNET_TEST_SRCDIR "/datasets/goaml/" f

static iffnet_time_t utc(const char *s)
{
    iffnet_time_t t;
    ck_assert_int_eq(iffnet_time_parse(s, strlen(s), NULL, &t), 0);
    return t;
}

/* ---- time zones ---- */

typedef struct { const char *zone, *local, *want; } tz_case_t;

static const tz_case_t TZ_CASES[] = {
    {"UTC", "2024-07-01T12:00:00", "2024-07-01T12:00:00Z"},
    {"+02:00", "2024-07-01T12:00:00", "2024-07-01T10:00:00Z"},
    {"-0530", "2024-07-01T12:00:00", "2024-07-01T17:30:00Z"},
    {"Europe/Berlin", "2024-01-15T12:00:00", "2024-01-15T11:00:00Z"},      /* CET */
    {"Europe/Berlin", "2024-07-15T12:00:00", "2024-07-15T10:00:00Z"},      /* CEST */
    {"Europe/Berlin", "2024-03-31T01:59:59", "2024-03-31T00:59:59Z"},      /* just before the change */
    {"Europe/Berlin", "2024-03-31T03:00:00", "2024-03-31T01:00:00Z"},      /* just after */
    {"Europe/Berlin", "2024-03-31T02:30:00", "2024-03-31T01:30:00Z"},      /* skipped: the offset before */
    {"Europe/Berlin", "2024-10-27T02:30:00", "2024-10-27T00:30:00Z"},      /* twice: the earlier */
    {"Europe/Berlin", "2099-07-01T12:00:00", "2099-07-01T10:00:00Z"},      /* the file's footer rule */
    {"America/New_York", "2024-11-03T12:00:00", "2024-11-03T17:00:00Z"},
    {"Australia/Sydney", "2024-01-15T12:00:00", "2024-01-15T01:00:00Z"},   /* southern summer */
    {"Asia/Kolkata", "2024-01-15T12:00:00", "2024-01-15T06:30:00Z"},
};

START_TEST(tz_to_utc)
{
    const tz_case_t *k = &TZ_CASES[_i];
    iffnet_tz_t *tz;
    if (strchr(k->zone, '/') && access("/usr/share/zoneinfo/Europe/Berlin", R_OK) != 0) return; /* no tzdata */
    ck_assert_int_eq(iffnet_tz_load(&tz, k->zone, NULL), IFFNET_OK);
    char got[32];
    iffnet_time_format(got, sizeof got, iffnet_tz_to_utc(tz, utc(k->local)), 0);
    ck_assert_msg(strcmp(got, k->want) == 0, "%s %s: got %s, want %s", k->zone, k->local, got, k->want);
    iffnet_tz_free(tz);
}
END_TEST

START_TEST(tz_bad_names)
{
    iffnet_tz_t *tz;
    CHECK_ERROR(iffnet_tz_load(&tz, "Mars/Olympus", NULL), IFFNET_EINVAL, "unknown time zone 'Mars/Olympus'");
    CHECK_ERROR(iffnet_tz_load(&tz, "../etc/passwd", NULL), IFFNET_EINVAL, "is not a time zone");
    CHECK_ERROR(iffnet_tz_load(&tz, "/etc/passwd", NULL), IFFNET_EINVAL, "is not a time zone");
    /* A file that is not TZif. */
    const char *dir = tu_mkdir("zones");
    tu_write("zones/Fake", "not a zone file at all, just text.............................\n");
    CHECK_ERROR(iffnet_tz_load(&tz, "Fake", dir), IFFNET_EINVAL, "no valid zone file");
}
END_TEST

/* ---- date formats ---- */

typedef struct { const char *fmt, *text, *want; int zoned; } fmt_case_t;

static const fmt_case_t FMT_CASES[] = {
    {"%d.%m.%Y", "02.01.2024", "2024-01-02T00:00:00Z", 0},
    {"%d.%m.%y", "02.01.24", "2024-01-02T00:00:00Z", 0},
    {"%d.%m.%y", "02.01.2024", "2024-01-02T00:00:00Z", 0},
    {"%m/%d/%Y %H:%M", "12/31/2023 23:59", "2023-12-31T23:59:00Z", 0},
    {"%d %b %Y", "05 Feb 2024", "2024-02-05T00:00:00Z", 0},
    {"%Y%m%d%H%M%S%z", "20240205101500+0100", "2024-02-05T09:15:00Z", 1},
    {NULL, "2024-02-05T10:15:00", "2024-02-05T10:15:00Z", 0},
    {NULL, "2024-02-05T10:15:00+08:00", "2024-02-05T02:15:00Z", 1},
    {NULL, "1700000000", "2023-11-14T22:13:20Z", 1},
};

START_TEST(date_formats)
{
    const fmt_case_t *k = &FMT_CASES[_i];
    iffnet_time_t t;
    int zoned;
    ck_assert_int_eq(iffnet_time_parse_zoned(k->text, strlen(k->text), NULL, k->fmt, &t, &zoned), 0);
    char got[32];
    iffnet_time_format(got, sizeof got, t, 0);
    ck_assert_str_eq(got, k->want);
    ck_assert_int_eq(zoned, k->zoned);
}
END_TEST

START_TEST(date_formats_refuse)
{
    iffnet_time_t t;
    int z;
    ck_assert_int_ne(iffnet_time_parse_zoned("30.02.2024", 10, NULL, "%d.%m.%Y", &t, &z), 0);
    ck_assert_int_ne(iffnet_time_parse_zoned("2024-01-02", 10, NULL, "%d.%m.%Y", &t, &z), 0);
    ck_assert_int_ne(iffnet_time_parse_zoned("02.01.2024 x", 12, NULL, "%d.%m.%Y", &t, &z), 0);
    ck_assert_int_ne(iffnet_time_parse_zoned("05 Foo 2024", 11, NULL, "%d %b %Y", &t, &z), 0);
    ck_assert_int_ne(iffnet_time_parse_zoned("02.01.2024", 10, NULL, "%d.%m.%Q", &t, &z), 0);
}
END_TEST

/* ---- several sources: the repeat rule ---- */

static int ingest(iffnet_case_t *c, const iffnet_source_t *s, int64_t n, const char *skip, iffnet_ingest_report_t *rep)
{
    iffnet_ingest_opts_t o;
    iffnet_ingest_opts_default(&o);
    o.created = 0;
    o.skip_bad_path = skip;
    o.currencies_path = IFFNET_TEST_SRCDIR "/data/currencies.csv";
    return iffnet_ingest_sources(c, s, n, &o, rep);
}

static const char *B1 = "tx_id,timestamp,source,target,amount,currency\nP1,2024-01-01T00:00:00Z,A,B,10,EUR\nP2,2024-01-02T00:00:00Z,B,C,20,EUR\n";
static const char *B2 = "tx_id,timestamp,source,target,amount,currency,reference\nP2,2024-01-02T00:00:00Z,B,C,20,EUR,inv\nP3,2024-01-03T00:00:00Z,C,D,30,EUR,x\n";
static const char *B3 = "tx_id,timestamp,source,target,amount,currency\nP9,2024-01-01T00:00:00Z,A,B,1,EUR\nP1,2024-01-01T00:00:00Z,A,X,10,EUR\n";

START_TEST(repeat_rule)
{
    /* _i: 0 without --skip-bad (ids checked at the end), 1 with (checked at once). */
    const char *skip = _i ? tu_path("skip.csv") : NULL;
    iffnet_source_t s[2] = {{IFFNET_SRC_TRANSACTIONS, tu_write("b1.csv", B1), NULL, NULL, 0},
                            {IFFNET_SRC_TRANSACTIONS, tu_write("b2.csv", B2), NULL, NULL, 0}};
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(ingest(&c, s, 2, skip, &rep), IFFNET_OK);
    ck_assert_int_eq(c.n_tx, 3);
    ck_assert_int_eq(c.prov.tx_merged, 1);
    ck_assert_int_eq(c.prov.n_inputs, 2);
    ck_assert_int_eq(c.prov.inputs[1].rows_merged, 1);
    ck_assert_int_eq(c.prov.inputs[1].rows_accepted, 2);
    /* The kept payment takes the reference the second file adds. */
    ck_assert_str_eq(iffnet_case_text(&c, c.tx_reference[1]), "inv");
    ck_assert_int_eq(iffnet_case_tx_input(&c, 2), 1);
    ck_assert_ptr_nonnull(c.tx_input);
    ck_assert_int_eq(c.tx_line[2], 3);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);

    s[1].path = tu_write("b3.csv", B3);
    int err = ingest(&c, s, 2, skip, &rep);
    if (!_i) {
        ck_assert_int_eq(err, IFFNET_EDATA);
        ck_assert_int_eq(rep.n_errors, 1);
        ck_assert_msg(strstr(rep.errors[0].message, "b3.csv:3: column 'tx_id': transaction id \"P1\" was given with a different target account at ")
                      && strstr(rep.errors[0].message, "b1.csv:2"), "%s", rep.errors[0].message);
    } else {
        ck_assert_int_eq(err, IFFNET_OK);
        ck_assert_int_eq(rep.skipped, 1);
        ck_assert_int_eq(c.n_tx, 3);
        /* The rejected row left no account behind. */
        ck_assert_int_eq(iffnet_case_find_account(&c, "X"), -1);
        iffnet_case_destroy(&c);
    }
    iffnet_ingest_report_destroy(&rep);
}
END_TEST

/* ---- goAML ---- */

START_TEST(goaml_reports)
{
    iffnet_source_t s[2] = {{IFFNET_SRC_GOAML, GOAML("bank-a.xml"), NULL, NULL, 0}, {IFFNET_SRC_GOAML, GOAML("bank-b.xml"), NULL, NULL, 0}};
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(ingest(&c, s, 2, NULL, &rep), IFFNET_OK);
    ck_assert_int_eq(c.n_tx, 5);
    ck_assert_int_eq(c.prov.tx_merged, 1);
    int64_t a = tu_account(&c, "KE11CSB0001");
    ck_assert_str_eq(iffnet_case_account_name(&c, a), "Tana Timber Exports Ltd");
    ck_assert_int_ge(c.account_holder[a], 0);
    ck_assert_str_eq(iffnet_strtab_get(&c.entity_ids, c.account_holder[a]), "entity:KE:PVT-2019-4410");
    ck_assert_str_eq(iffnet_case_entity_attr(&c, c.account_entity[a], "swift"), "CSBKKENA");
    int64_t e = iffnet_strtab_find(&c.entity_ids, "person:id_number:KE-ID-22011", 28);
    ck_assert_int_ge(e, 0);
    ck_assert_str_eq(iffnet_case_entity_attr(&c, e, "phone"), "254 700111222");
    /* The cash depositor is an account of the network, with its own entity. */
    int64_t p = tu_account(&c, "person:passport_number:AK0099881");
    ck_assert_str_eq(iffnet_case_account_name(&c, p), "Joseph Mwangi");
    /* The dollar payment: foreign amounts on both sides. */
    int64_t t = -1;
    for (int64_t k = 0; k < c.n_tx; k++)
        if (strcmp(iffnet_case_tx_id(&c, k), "HTB-T-7001") == 0) t = k;
    ck_assert_int_ge(t, 0);
    ck_assert_str_eq(iffnet_case_currency(&c, c.tx_currency[t]), "USD");
    ck_assert_int_eq(c.tx_amount[t], 960000);
    /* 2024-02-06T08:00:00+08:00 */
    ck_assert_int_eq(c.tx_time[t], utc("2024-02-06T00:00:00Z"));
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
}
END_TEST

typedef struct { const char *file, *message; } bad_case_t;

static const bad_case_t GOAML_BAD[] = {
    {"bad-unknown.xml", "bad-unknown.xml:196: element /report/transaction/transaction_colour: unknown element"},
    {"bad-amount.xml", "bad-amount.xml:141: element /report/transaction: the transaction has no amount_local"},
    {"bad-date.xml", "bad-date.xml:196: element /report/transaction/date_transaction: \"2024-02-30T09:30:00\" is not a date"},
};

START_TEST(goaml_bad)
{
    const bad_case_t *k = &GOAML_BAD[_i];
    char path[1024];
    snprintf(path, sizeof path, "%s", TU_DATA("goaml/"));
    strncat(path, k->file, sizeof path - strlen(path) - 1);
    iffnet_source_t s = {IFFNET_SRC_GOAML, path, NULL, NULL, 0};
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(ingest(&c, &s, 1, NULL, &rep), IFFNET_EDATA);
    const char *m = rep.n_kept ? rep.errors[0].message : iffnet_errmsg();
    ck_assert_msg(strstr(m, k->message) != NULL, "%s", m);
    iffnet_ingest_report_destroy(&rep);
}
END_TEST

/* Transactions as text: id,src,dst,time,amount,currency per line, sorted by id. */
static char *tx_text(const iffnet_case_t *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char amt[48];
    for (int64_t t = 0; t < c->n_tx; t++) {
        iffnet_amount_format(amt, sizeof amt, c->tx_amount[t], c->currency_scale[c->tx_currency[t]], 0);
        fprintf(m, "%s,%s,%s,%lld,%s,%s\n", iffnet_case_tx_id(c, t), iffnet_case_account_id(c, c->tx_src[t]),
                iffnet_case_account_id(c, c->tx_dst[t]), (long long)c->tx_time[t], amt,
                iffnet_case_currency(c, c->tx_currency[t]));
    }
    fclose(m);
    return buf;
}

/* Exports `c` in format f, ingests it back as kind k, and compares the transactions. */
static void round_trip(const iffnet_case_t *c, iffnet_export_format_t f, iffnet_source_kind_t k, const iffnet_config_t *h)
{
    const char *path = tu_path(f == IFFNET_EXPORT_GOAML ? "rt.xml" : "rt.ftm");
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    iffnet_export_t x = {c, NULL, NULL, NULL, "case", h, 0};
    ck_assert_int_eq(iffnet_export_write(&x, f, fp), IFFNET_OK);
    fclose(fp);
    iffnet_source_t s = {k, path, NULL, NULL, 0};
    iffnet_case_t back;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(ingest(&back, &s, 1, NULL, &rep), IFFNET_OK);
    char *a = tx_text(c), *b = tx_text(&back);
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(back.n_accounts, c->n_accounts);
    free(a);
    free(b);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&back);
}

START_TEST(goaml_and_ftm_round_trips)
{
    iffnet_source_t s[3] = {{IFFNET_SRC_GOAML, GOAML("bank-a.xml"), NULL, NULL, 0}, {IFFNET_SRC_GOAML, GOAML("bank-b.xml"), NULL, NULL, 0},
                            {IFFNET_SRC_RATES, GOAML("rates.csv"), NULL, NULL, 0}};
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    iffnet_config_t h;
    ck_assert_int_eq(ingest(&c, s, 3, NULL, &rep), IFFNET_OK);
    ck_assert_int_eq(iffnet_config_init(&h), IFFNET_OK);
    ck_assert_int_eq(iffnet_config_read(&h, GOAML("header.conf")), IFFNET_OK);
    round_trip(&c, IFFNET_EXPORT_GOAML, IFFNET_SRC_GOAML, &h);
    round_trip(&c, IFFNET_EXPORT_FTM, IFFNET_SRC_FTM, NULL);
    /* Without the header, the report cannot say who reports. */
    FILE *fp = fopen(tu_path("x.xml"), "w");
    iffnet_export_t x = {&c, NULL, NULL, NULL, "case", NULL, 0};
    CHECK_ERROR(iffnet_export_write(&x, IFFNET_EXPORT_GOAML, fp), IFFNET_EINVAL, "rentity_id");
    fclose(fp);
    iffnet_config_destroy(&h);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(ftm_round_trip_csv_case)
{
    iffnet_case_t c;
    tu_case_from_files(&c, TU_DATA("report/tx.csv"), TU_DATA("report/entities.csv"), TU_DATA("report/relations.csv"));
    round_trip(&c, IFFNET_EXPORT_FTM, IFFNET_SRC_FTM, NULL);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- statements ---- */

START_TEST(statement_balance)
{
    iffnet_source_t s = {IFFNET_SRC_STATEMENT, TU_DATA("statement/balance-break.csv"), "KE11CSB0001", NULL, 0};
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    iffnet_ingest_opts_t o;
    iffnet_ingest_opts_default(&o);
    o.default_currency = "EUR";
    ck_assert_int_eq(iffnet_ingest_sources(&c, &s, 1, &o, &rep), IFFNET_EDATA);
    ck_assert_int_eq(rep.n_errors, 1);
    ck_assert_msg(strstr(rep.errors[0].message, "balance-break.csv:4: the balance 32000.00 does not follow from 37500.00 on line 3"),
                  "%s", rep.errors[0].message);
    iffnet_ingest_report_destroy(&rep);
    /* Newest first reconciles too (in reverse). */
    const char *rev = tu_write("rev.csv", "date,counterparty,amount,balance\n2024-01-03,X,-5,95\n2024-01-02,Y,-10,100\n2024-01-01,Z,110,110\n");
    s.path = rev;
    ck_assert_int_eq(iffnet_ingest_sources(&c, &s, 1, &o, &rep), IFFNET_OK);
    ck_assert_int_eq(c.n_tx, 3);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(statements_both_sides)
{
    iffnet_source_t s[2] = {{IFFNET_SRC_STATEMENT, TU_DATA("statement/bank-a.csv"), "KE11CSB0001", NULL, 0},
                            {IFFNET_SRC_CAMT, TU_DATA("statement/bank-b.camt.xml"), NULL, NULL, 0}};
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    iffnet_ingest_opts_t o;
    iffnet_ingest_opts_default(&o);
    o.default_currency = "EUR";
    ck_assert_int_eq(iffnet_ingest_sources(&c, s, 2, &o, &rep), IFFNET_OK);
    ck_assert_int_eq(c.prov.tx_matched, 2);
    ck_assert_int_eq(c.n_tx, 5);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
    /* Dates further apart than match_days do not match. */
    o.match_days = 0;
    ck_assert_int_eq(iffnet_ingest_sources(&c, s, 2, &o, &rep), IFFNET_OK);
    ck_assert_int_eq(c.prov.tx_matched, 1);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- dated rates ---- */

START_TEST(dated_rates)
{
    const char *tx = tu_write("fx.csv", "tx_id,timestamp,source,target,amount,currency\n"
                                        "a,2024-01-02T12:00:00Z,A,B,100,USD\nb,2024-01-10T12:00:00Z,A,B,100,USD\n");
    const char *rates = tu_write("r.csv", "date,currency,rate\n2024-01-01,EUR,1\n2024-01-01,USD,0.9\n2024-01-08,USD,0.95\n");
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(tu_ingest_try(&c, tx, NULL, NULL, rates, NULL, &rep), IFFNET_OK);
    ck_assert_int_eq(c.tx_base[0], 9000);
    ck_assert_int_eq(c.tx_base[1], 9500);
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
}
END_TEST


/* ---- sources in memory ---- */

/* A file's bytes given in memory read as the file does: the same case and the
 * same SHA-256 in the provenance; compressed bytes too. */
START_TEST(memory_sources)
{
    const char *path = tu_write("b1.csv", B1);
    iffnet_source_t f = {IFFNET_SRC_TRANSACTIONS, path, NULL, NULL, 0};
    iffnet_source_t mem = {IFFNET_SRC_TRANSACTIONS, "b1-in-memory.csv", NULL, B1, strlen(B1)};
    iffnet_case_t a, b;
    iffnet_ingest_report_t rep;
    ck_assert_int_eq(ingest(&a, &f, 1, NULL, &rep), IFFNET_OK);
    iffnet_ingest_report_destroy(&rep);
    ck_assert_int_eq(ingest(&b, &mem, 1, NULL, &rep), IFFNET_OK);
    iffnet_ingest_report_destroy(&rep);
    ck_assert_int_eq(a.n_tx, b.n_tx);
    ck_assert_str_eq(a.prov.inputs[0].sha256, b.prov.inputs[0].sha256);
    ck_assert_str_eq(b.prov.inputs[0].path, "b1-in-memory.csv");
    ck_assert_int_eq(b.prov.inputs[0].size, (int64_t)strlen(B1));
    iffnet_case_destroy(&b);
    /* gzip bytes (as zlib writes them) in memory. */
    unsigned char gz[1024];
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (unsigned char *)(uintptr_t)B1;
    zs.avail_in = (uInt)strlen(B1);
    zs.next_out = gz;
    zs.avail_out = sizeof gz;
    ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    mem = (iffnet_source_t){IFFNET_SRC_TRANSACTIONS, "b1.csv.gz", NULL, gz, sizeof gz - zs.avail_out};
    deflateEnd(&zs);
    ck_assert_int_eq(ingest(&b, &mem, 1, NULL, &rep), IFFNET_OK);
    iffnet_ingest_report_destroy(&rep);
    ck_assert_int_eq(a.n_tx, b.n_tx);
    ck_assert_int_eq(b.tx_amount[1], a.tx_amount[1]);
    iffnet_case_destroy(&a);
    iffnet_case_destroy(&b);
}
END_TEST

/* ---- hostile sources: every format gets the protections of the CSV files ----
 * Each is given in memory (iffnet_source_t.data), named as a file would be. */

static const char *CAMT_HEAD =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE1</IBAN></Id></Acct>\n";
static const char *CAMT_ENTRY =
    "<Ntry><Amt Ccy=\"EUR\">50000000000000000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-02-06</Dt></BookgDt>"
    "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>X</Nm></Dbtr><DbtrAcct><Id><IBAN>KE1</IBAN></Id></DbtrAcct></RltdPties>"
    "</TxDtls></NtryDtls></Ntry>\n";
static const char *GOAML_TX =
    "<transaction><transactionnumber>T%d</transactionnumber><date_transaction>2024-02-05T10:15:00</date_transaction>"
    "<amount_local>50000000000000000.00</amount_local><t_from><from_funds_code>K</from_funds_code><from_account>"
    "<account>A%d</account></from_account><from_country>KE</from_country></t_from><t_to><to_funds_code>K</to_funds_code>"
    "<to_account><account>B%d</account></to_account><to_country>KE</to_country></t_to></transaction>\n";

typedef struct {
    const char *name;
    int n;                       /* sources */
    iffnet_source_kind_t kind[2];
    const char *text[2];         /* NULL: made by make_text */
    const char *message;         /* a fixed part of the error */
} hostile_t;

static const hostile_t HOSTILE[] = {
    {"goAML not UTF-8", 1, {IFFNET_SRC_GOAML}, {"<?xml version=\"1.0\"?>\n<report>\n<rentity_id>caf\xe9</rentity_id></report>\n"},
     "a.xml:3: element (document): malformed XML: Input is not proper UTF-8"},
    {"goAML NUL byte", 1, {IFFNET_SRC_GOAML}, {NULL}, "a.xml:2: element (document): malformed XML: Char 0x0 out of allowed range"},
    {"goAML element text beyond the limit", 1, {IFFNET_SRC_GOAML}, {NULL}, "more than 16 MiB of text in one element"},
    {"goAML amounts beyond 64 bits", 1, {IFFNET_SRC_GOAML}, {NULL}, "a.xml:6: the amount: the amounts up to this row add up to more than"},
    {"FtM NUL character", 1, {IFFNET_SRC_FTM},
     {"{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Al\\u0000ice\"]}}\n"},
     "a.xml:1:52: a NUL character (\\u0000) in a string"},
    {"FtM not UTF-8", 1, {IFFNET_SRC_FTM}, {"{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"caf\xe9\"]}}\n"},
     "a.xml:1:"},
    {"FtM line beyond the limit", 1, {IFFNET_SRC_FTM}, {NULL}, "a.xml:1: a line longer than 16 MiB"},
    {"statement NUL byte", 1, {IFFNET_SRC_STATEMENT}, {"date,counterparty,amount,currency\n2024-01-01,X\0Y,5,EUR\n"}, "a.xml:2:13: NUL byte"},
    {"statement balance beyond 64 bits", 1, {IFFNET_SRC_STATEMENT},
     {"date,counterparty,amount,balance,currency\n2024-01-01,X,90000000000000000.00,90000000000000000.00,EUR\n"
      "2024-01-02,Y,10000000000000000.00,92233720368547758.07,EUR\n"},
     "a.xml:3: the balance after line 2 and this row's amount add up to more than 9223372036854775807"},
    {"camt entries beyond 64 bits", 1, {IFFNET_SRC_CAMT}, {NULL}, "the entries up to this one add up to more than 9223372036854775807"},
    {"CSV amounts of two files beyond 64 bits", 2, {IFFNET_SRC_TRANSACTIONS, IFFNET_SRC_TRANSACTIONS},
     {"tx_id,timestamp,source,target,amount,currency\nt1,2024-01-01,A,B,50000000000000000.00,EUR\n",
      "tx_id,timestamp,source,target,amount,currency\nt2,2024-01-02,B,C,50000000000000000.00,EUR\n"},
     "b.xml:2: column 'amount': the amounts up to this row add up to more than"},
    {"FtM and CSV amounts beyond 64 bits", 2, {IFFNET_SRC_TRANSACTIONS, IFFNET_SRC_FTM},
     {"tx_id,timestamp,source,target,amount,currency\nt1,2024-01-01,A,B,50000000000000000.00,EUR\n",
      "{\"id\":\"p\",\"schema\":\"Payment\",\"properties\":{\"amount\":[\"50000000000000000.00\"],\"currency\":[\"EUR\"],"
      "\"date\":[\"2024-01-01\"],\"payer\":[\"x\"],\"beneficiary\":[\"y\"]}}\n"},
     "b.xml:1: the amount: the amounts up to this row add up to more than"},
};

/* The inputs too large, or too binary, to write as literals. */
static char *make_text(int k, size_t *len)
{
    const hostile_t *h = &HOSTILE[k];
    size_t cap = (size_t)20 << 20, n = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    if (strcmp(h->name, "goAML NUL byte") == 0) {
        n = (size_t)snprintf(s, cap, "<?xml version=\"1.0\"?>\n<report><rentity_id>1");
        s[n++] = '\0';
        n += (size_t)snprintf(s + n, cap - n, "2</rentity_id></report>\n");
    } else if (strcmp(h->name, "goAML element text beyond the limit") == 0) {
        /* Text nodes of 1 MB each, kept apart by comments: libxml2 bounds each,
         * not their sum. */
        n = (size_t)snprintf(s, cap, "<?xml version=\"1.0\"?>\n<report><reason>");
        for (int i = 0; i < 17 && n + (1 << 20) + 16 < cap; i++) {
            memset(s + n, 'x', 1 << 20);
            n += 1 << 20;
            n += (size_t)snprintf(s + n, cap - n, "<!---->");
        }
        n += (size_t)snprintf(s + n, cap - n, "</reason></report>\n");
    } else if (strcmp(h->name, "goAML amounts beyond 64 bits") == 0) {
        n = (size_t)snprintf(s, cap, "<?xml version=\"1.0\"?>\n<report>\n<rentity_id>1</rentity_id><submission_code>E</submission_code>"
                             "<report_code>STR</report_code><submission_date>2024-03-02T09:00:00</submission_date>"
                             "<currency_code_local>KES</currency_code_local>\n<reason>r</reason>\n");
        for (int i = 0; i < 3; i++) n += (size_t)snprintf(s + n, cap - n, GOAML_TX, i, i, i);
        n += (size_t)snprintf(s + n, cap - n, "</report>\n");
    } else if (strcmp(h->name, "FtM line beyond the limit") == 0) {
        n = (size_t)snprintf(s, cap, "{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"");
        memset(s + n, 'x', (size_t)17 << 20);
        n += (size_t)17 << 20;
        n += (size_t)snprintf(s + n, cap - n, "\"]}}\n");
    } else if (strcmp(h->name, "camt entries beyond 64 bits") == 0) {
        n = (size_t)snprintf(s, cap, "%s%s%s</Stmt></BkToCstmrStmt></Document>\n", CAMT_HEAD, CAMT_ENTRY, CAMT_ENTRY);
    } else {
        ck_abort_msg("no text for %s", h->name);
    }
    *len = n;
    return s;
}

START_TEST(hostile_sources)
{
    const hostile_t *h = &HOSTILE[_i];
    static const char *const names[2] = {"a.xml", "b.xml"};
    iffnet_source_t s[2];
    char *made = NULL;
    for (int i = 0; i < h->n; i++) {
        size_t len;
        const char *text = h->text[i];
        if (!text) text = made = make_text(_i, &len);
        else len = strlen(text) + (strstr(h->name, "NUL") && h->kind[i] == IFFNET_SRC_STATEMENT ? strlen(text + strlen(text) + 1) + 1 : 0);
        s[i] = (iffnet_source_t){h->kind[i], names[i], h->kind[i] == IFFNET_SRC_STATEMENT ? "DE1" : NULL, text, len};
    }
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    iffnet_errmsg_clear();
    int err = ingest(&c, s, h->n, NULL, &rep);
    ck_assert_msg(err != IFFNET_OK, "%s: accepted", h->name);
    const char *m = rep.n_kept ? rep.errors[0].message : iffnet_errmsg();
    ck_assert_msg(strstr(m, h->message) != NULL, "%s: \"%s\" lacks \"%s\"", h->name, m, h->message);
    iffnet_ingest_report_destroy(&rep);
    free(made);
}
END_TEST

/* --encoding reaches the statements as well as the transaction files. */
START_TEST(statement_encoding)
{
    static const char text[] = "date,counterparty,counterparty_name,amount\n2024-01-01,X,M\xfcller,5\n";
    iffnet_source_t s = {IFFNET_SRC_STATEMENT, "latin1.csv", "DE1", text, sizeof text - 1};
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    iffnet_ingest_opts_t o;
    iffnet_ingest_opts_default(&o);
    o.default_currency = "EUR";
    CHECK_ERROR(iffnet_ingest_sources(&c, &s, 1, &o, &rep), IFFNET_EDATA, "latin1.csv:2:");
    iffnet_ingest_report_destroy(&rep);
    o.encoding = "ISO-8859-1";
    ck_assert_int_eq(iffnet_ingest_sources(&c, &s, 1, &o, &rep), IFFNET_OK);
    ck_assert_str_eq(iffnet_case_account_name(&c, tu_account(&c, "X")), "M\xc3\xbcller");
    iffnet_ingest_report_destroy(&rep);
    iffnet_case_destroy(&c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("formats");
    TCase *t = tcase_create("core");
    tcase_add_loop_test(t, tz_to_utc, 0, sizeof TZ_CASES / sizeof TZ_CASES[0]);
    tcase_add_test(t, tz_bad_names);
    tcase_add_loop_test(t, date_formats, 0, sizeof FMT_CASES / sizeof FMT_CASES[0]);
    tcase_add_test(t, date_formats_refuse);
    tcase_add_loop_test(t, repeat_rule, 0, 2);
    tcase_add_test(t, goaml_reports);
    tcase_add_loop_test(t, goaml_bad, 0, sizeof GOAML_BAD / sizeof GOAML_BAD[0]);
    tcase_add_test(t, goaml_and_ftm_round_trips);
    tcase_add_test(t, ftm_round_trip_csv_case);
    tcase_add_test(t, statement_balance);
    tcase_add_test(t, statements_both_sides);
    tcase_add_test(t, dated_rates);
    tcase_add_test(t, memory_sources);
    suite_add_tcase(s, t);
    TCase *h = tcase_create("hostile");
    tcase_set_timeout(h, 60);
    tcase_add_loop_test(h, hostile_sources, 0, sizeof HOSTILE / sizeof HOSTILE[0]);
    tcase_add_test(h, statement_encoding);
    suite_add_tcase(s, h);
    return tu_run_suite(s);
}
