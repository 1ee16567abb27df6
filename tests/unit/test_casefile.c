/* test_casefile.c: crafted case files. A case file is evidence that travels
 * between people, so the loader treats it as untrusted input: each test takes a
 * good file, changes one count, index or META field, recomputes the section's
 * CRC-32 (so the change passes the checksum and reaches the parser) and checks
 * that the load fails with a message naming what is wrong, without crashing or
 * leaking (the sanitizer build runs the same tests). One test per section. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "iffnet/iffnet.h"
#include "case/case_internal.h"
#include "testutil.h"

/* A fixture that makes the writer store every optional section: two currencies
 * with rates (TCUR, TBAS, CRAT), received amounts that differ (TRAM, TRCU), two
 * channels (TCHN), references (TREF), a blank line (TLIN), two transaction
 * files whose rows interleave in time (TINP), an extra entity attribute (EATR)
 * and relations between entities and accounts. */
static const char *TX =
    "tx_id,timestamp,source,target,amount,currency,channel,reference,recv_amount,recv_currency\n"
    "t1,2024-01-01T10:00:00Z,A1,A2,100.00,EUR,wire,ref one,110.00,USD\n"
    "\n"
    "t3,2024-01-03T10:00:00Z,A3,A1,25.00,EUR,wire,ref two,25.00,EUR\n";
static const char *TX2 =
    "tx_id,timestamp,source,target,amount,currency,channel,reference,recv_amount,recv_currency\n"
    "t2,2024-01-02T10:00:00Z,A2,A3,50.00,USD,cash,,50.00,USD\n";
static const char *ENTITIES =
    "id,kind,name,country,sector,phone\n"
    "P1,person,Alice,DE,,+49 1\n"
    "C1,company,Acme,FR,wildlife trade,\n"
    "A1,account,,DE,,\n";
static const char *RELATIONS =
    "source,target,relation\n"
    "P1,A1,holds_account\n"
    "C1,A2,holds_account\n"
    "P1,C1,director_of\n";
static const char *RATES = "currency,rate\nEUR,1\nUSD,0.9\n";

/* ---- the file as sections ---- */

#define MAX_SECTIONS 64

typedef struct {
    char tag[5];
    uint64_t len;
    unsigned char *data;
} section_t;

typedef struct {
    unsigned char head[16];     /* magic, version, count */
    int n;
    section_t s[MAX_SECTIONS];
} casefile_t;

static void casefile_read(casefile_t *f, const char *path)
{
    size_t size;
    unsigned char *b = (unsigned char *)tu_read_file(path, &size);
    memset(f, 0, sizeof *f);
    ck_assert_uint_ge(size, 16);
    memcpy(f->head, b, 16);
    size_t p = 16;
    while (p < size) {
        ck_assert_int_lt(f->n, MAX_SECTIONS);
        section_t *s = &f->s[f->n++];
        ck_assert_uint_ge(size - p, 16);
        memcpy(s->tag, b + p, 4);
        memcpy(&s->len, b + p + 8, 8);
        p += 16;
        ck_assert_uint_ge(size - p, s->len);
        s->data = malloc(s->len ? s->len : 1);
        ck_assert_ptr_nonnull(s->data);
        memcpy(s->data, b + p, s->len);
        p += s->len;
    }
    free(b);
}

/* Writes the sections back with fresh CRCs. */
static const char *casefile_write(casefile_t *f, const char *name)
{
    const char *path = tu_path(name);
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    uint32_t count = (uint32_t)f->n;
    memcpy(f->head + 12, &count, 4);
    fwrite(f->head, 1, 16, fp);
    for (int i = 0; i < f->n; i++) {
        section_t *s = &f->s[i];
        uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), s->data, (uInt)s->len);
        fwrite(s->tag, 1, 4, fp);
        fwrite(&crc, 4, 1, fp);
        fwrite(&s->len, 8, 1, fp);
        fwrite(s->data, 1, s->len, fp);
    }
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

static void casefile_free(casefile_t *f)
{
    for (int i = 0; i < f->n; i++) free(f->s[i].data);
    memset(f, 0, sizeof *f);
}

static section_t *section(casefile_t *f, const char *tag)
{
    for (int i = 0; i < f->n; i++)
        if (memcmp(f->s[i].tag, tag, 4) == 0) return &f->s[i];
    ck_abort_msg("the fixture has no section %s", tag);
    return NULL;
}

static void drop_section(casefile_t *f, const char *tag)
{
    section_t *s = section(f, tag);
    free(s->data);
    int i = (int)(s - f->s);
    memmove(&f->s[i], &f->s[i + 1], (size_t)(f->n - i - 1) * sizeof *s);
    f->n--;
}

/* Sets "key<TAB>value" in META (the key must be there). */
static void set_meta(casefile_t *f, const char *key, const char *value)
{
    section_t *s = section(f, "META");
    char *text = malloc(s->len + 1);
    ck_assert_ptr_nonnull(text);
    memcpy(text, s->data, s->len);
    text[s->len] = '\0';
    size_t kl = strlen(key);
    char *line = text;
    while (line && !(strncmp(line, key, kl) == 0 && line[kl] == '\t')) {
        line = strchr(line, '\n');
        if (line) line++;
    }
    ck_assert_msg(line != NULL, "META has no key %s", key);
    char *end = strchr(line, '\n');
    size_t tail = end ? strlen(end) : 0;
    size_t head = (size_t)(line - text) + kl + 1;
    size_t len = head + strlen(value) + tail;
    unsigned char *d = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(d);
    memcpy(d, text, head);
    memcpy(d + head, value, strlen(value));
    if (tail) memcpy(d + head + strlen(value), end, tail);
    free(text);
    free(s->data);
    s->data = d;
    s->len = len;
}

/* Appends a line to META. */
static void add_meta(casefile_t *f, const char *line)
{
    section_t *s = section(f, "META");
    size_t n = strlen(line);
    unsigned char *d = realloc(s->data, s->len + n + 1);
    ck_assert_ptr_nonnull(d);
    memcpy(d + s->len, line, n);
    d[s->len + n] = '\n';
    s->data = d;
    s->len += n + 1;
}

static void set_i64(casefile_t *f, const char *tag, uint64_t i, int64_t v)
{
    section_t *s = section(f, tag);
    ck_assert_uint_ge(s->len, (i + 1) * 8);
    memcpy(s->data + i * 8, &v, 8);
}

static void set_i32(casefile_t *f, const char *tag, uint64_t i, int32_t v)
{
    section_t *s = section(f, tag);
    ck_assert_uint_ge(s->len, (i + 1) * 4);
    memcpy(s->data + i * 4, &v, 4);
}

/* ---- the crafted files ---- */

typedef struct {
    const char *name;
    void (*craft)(casefile_t *f);
    const char *message;   /* a fixed part of the expected message */
} craft_t;

/* META: counts and fields. */
static void huge_n_tx(casefile_t *f) { set_meta(f, "n_tx", "2305843009213693952"); }
static void huge_n_accounts(casefile_t *f) { set_meta(f, "n_accounts", "3000000000"); }
static void negative_n_relations(casefile_t *f) { set_meta(f, "n_relations", "-1"); }
static void huge_n_entities(casefile_t *f) { set_meta(f, "n_entities", "1099511627776"); }
static void attr_product_wraps(casefile_t *f) { set_meta(f, "n_attrs", "4611686018427387904"); }
static void huge_n_text(casefile_t *f) { set_meta(f, "n_text", "9223372036854775807"); }
static void n_text_overflows(casefile_t *f) { set_meta(f, "n_text", "99999999999999999999"); }
static void few_currencies(casefile_t *f) { set_meta(f, "n_currencies", "3"); }
static void base_out_of_range(casefile_t *f) { set_meta(f, "base_currency", "7"); }
static void base_without_rates(casefile_t *f) { set_meta(f, "has_rates", "0"); }
static void rates_without_base(casefile_t *f) { set_meta(f, "base_currency", "-1"); }
static void rates_flag(casefile_t *f) { set_meta(f, "has_rates", "2"); }
static void more_inputs(casefile_t *f) { set_meta(f, "n_inputs", "9"); }
static void too_many_inputs(casefile_t *f) { set_meta(f, "n_inputs", "100000"); }
static void not_a_number(casefile_t *f) { set_meta(f, "n_channels", "two"); }
static void bad_provenance(casefile_t *f) { set_meta(f, "input", "transactions\tnot-hex\t1\t1\t1\t0\ttx.csv"); }
/* The META lines of several sources. */
static void merged_negative(casefile_t *f) { set_meta(f, "tx_merged", "-1"); }
static void matched_not_a_number(casefile_t *f) { set_meta(f, "tx_matched", "some"); }
static void local_times_negative(casefile_t *f) { set_meta(f, "local_times", "-3"); }
static void timezone_bad(casefile_t *f) { set_meta(f, "timezone", "Europe/Berlin\x1b[2J"); }
static void timezone_long(casefile_t *f)
{
    set_meta(f, "timezone", "Europe/Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
}
static void input_merged_index(casefile_t *f) { add_meta(f, "input_merged\t7\t1"); }
static void input_merged_rows(casefile_t *f) { add_meta(f, "input_merged\t0\t999"); }
static void input_merged_syntax(casefile_t *f) { add_meta(f, "input_merged\t0\t1x"); }
static void input_all_with_column(casefile_t *f) { add_meta(f, "tx_input_all\t0"); }
static void input_all_out_of_range(casefile_t *f)
{
    drop_section(f, "TINP");
    add_meta(f, "tx_input_all\t5");
}
static void rate_sections_without_rates(casefile_t *f)
{
    set_meta(f, "has_rates", "0");
    set_meta(f, "base_currency", "-1");
}
/* String tables. */
static void strtab_short(casefile_t *f) { section(f, "SACC")->len--; }
static void strtab_unterminated(casefile_t *f) { section(f, "SCHN")->data[section(f, "SCHN")->len - 1] = 'x'; }
static void strtab_count(casefile_t *f) { set_meta(f, "n_channels", "3"); }
static void strtab_not_utf8(casefile_t *f) { section(f, "STXT")->data[0] = 0xFF; }
/* Index tables: one item out of its table. */
static void aent(casefile_t *f) { set_i64(f, "AENT", 0, 1000000); }
static void ahol(casefile_t *f) { set_i64(f, "AHOL", 1, -2); }
static void tsrc(casefile_t *f) { set_i32(f, "TSRC", 0, 1000000); }
static void tdst(casefile_t *f) { set_i32(f, "TDST", 2, -1); }
static void tcur(casefile_t *f) { set_i32(f, "TCUR", 1, 5); }
static void trcu(casefile_t *f) { set_i32(f, "TRCU", 0, -1); }
static void tchn(casefile_t *f) { set_i32(f, "TCHN", 0, 2); }
static void tref(casefile_t *f) { set_i64(f, "TREF", 0, 1000000); }
static void tlin(casefile_t *f) { set_i64(f, "TLIN", 0, -5); }
static void tinp(casefile_t *f) { set_i32(f, "TINP", 1, 5); }
static void tinp_negative(casefile_t *f) { set_i32(f, "TINP", 2, -1); }
static void tinp_length(casefile_t *f) { section(f, "TINP")->len -= 4; }
static void ttim_order(casefile_t *f) { set_i64(f, "TTIM", 0, 1900000000); }
static void ttim_range(casefile_t *f) { set_i64(f, "TTIM", 0, INT64_MIN); }
static void tamt_negative(casefile_t *f) { set_i64(f, "TAMT", 1, -100); }
static void tamt_sum(casefile_t *f)
{
    set_i64(f, "TAMT", 0, INT64_MAX / 2 + 1);
    set_i64(f, "TAMT", 1, INT64_MAX / 2 + 1);
}
static void tram(casefile_t *f) { set_i64(f, "TRAM", 2, -1); }
static void tbas(casefile_t *f) { set_i64(f, "TBAS", 0, INT64_MIN); }
static void tsrc_length(casefile_t *f) { section(f, "TSRC")->len -= 4; }
static void cscl(casefile_t *f) { set_i32(f, "CSCL", 0, 99); }
static void crat(casefile_t *f) { set_i64(f, "CRAT", 1, -1); }
static void eknd(casefile_t *f) { set_i64(f, "EKND", 0, 1000000); }
static void enam(casefile_t *f) { set_i64(f, "ENAM", 1, -7); }
static void ecty(casefile_t *f) { set_i64(f, "ECTY", 2, 1000000); }
static void esec(casefile_t *f) { set_i64(f, "ESEC", 1, 1000000); }
static void eatr(casefile_t *f) { set_i64(f, "EATR", 0, 1000000); }
static void eatr_length(casefile_t *f) { section(f, "EATR")->len -= 8; }
static void rsen(casefile_t *f) { set_i64(f, "RSEN", 0, 1000000); }
static void rsac(casefile_t *f) { set_i64(f, "RSAC", 2, 1000000); }
static void rden(casefile_t *f) { set_i64(f, "RDEN", 2, -3); }
static void rdac(casefile_t *f) { set_i64(f, "RDAC", 0, 1000000); }
static void rtyp(casefile_t *f) { set_i64(f, "RTYP", 1, 1000000); }
static void relation_end_nowhere(casefile_t *f)
{
    set_i64(f, "RSEN", 2, -1);
    set_i64(f, "RSAC", 2, -1);
}
static void missing_section(casefile_t *f) { drop_section(f, "RTYP"); }

static const craft_t CRAFTS[] = {
    {"huge n_tx", huge_n_tx, "string table STXI holds 3 strings, expected 2305843009213693952"},
    {"huge n_accounts", huge_n_accounts, "bad META section"},
    {"negative n_relations", negative_n_relations, "bad META section"},
    {"huge n_entities", huge_n_entities, "string table SENT holds 3 strings, expected 1099511627776"},
    {"n_entities x n_attrs wraps", attr_product_wraps, "bad META section"},
    {"huge n_text", huge_n_text, "string table STXT holds"},
    {"n_text beyond 64 bits", n_text_overflows, "bad META section"},
    {"n_currencies too large", few_currencies, "string table SCUR holds 2 strings, expected 3"},
    {"base currency out of range", base_out_of_range, "bad META section"},
    {"base currency without rates", base_without_rates, "bad META section"},
    {"rates without base currency", rates_without_base, "bad META section"},
    {"has_rates not a flag", rates_flag, "bad META section"},
    {"more inputs than records", more_inputs, "more provenance records than it holds"},
    {"too many inputs", too_many_inputs, "bad META section"},
    {"count not a number", not_a_number, "bad META section"},
    {"bad provenance record", bad_provenance, "bad provenance record"},
    {"rate sections without rates", rate_sections_without_rates, "rate sections in a case without rates"},
    {"tx_merged negative", merged_negative, "bad tx_merged in META"},
    {"tx_matched not a number", matched_not_a_number, "bad tx_matched in META"},
    {"local_times negative", local_times_negative, "bad local_times in META"},
    {"timezone not a zone name", timezone_bad, "bad timezone in META"},
    {"timezone too long", timezone_long, "bad timezone in META"},
    {"input_merged names no input", input_merged_index, "bad input_merged record in META"},
    {"input_merged beyond the input's rows", input_merged_rows, "bad input_merged record in META"},
    {"input_merged not a number", input_merged_syntax, "bad input_merged record in META"},
    {"tx_input_all beside a TINP section", input_all_with_column, "a column section contradicts the META section"},
    {"tx_input_all names no input", input_all_out_of_range, "a column section contradicts the META section"},
    {"string table short", strtab_short, "string table SACC is not terminated"},
    {"string table unterminated", strtab_unterminated, "string table SCHN is not terminated"},
    {"string table count", strtab_count, "string table SCHN holds 2 strings, expected 3"},
    {"string table not UTF-8", strtab_not_utf8, "string table STXT holds bytes that are not UTF-8 (at byte 0)"},
    {"AENT", aent, "section AENT: item 0 holds 1000000"},
    {"AHOL", ahol, "section AHOL: item 1 holds -2"},
    {"TSRC", tsrc, "section TSRC: item 0 holds 1000000"},
    {"TDST", tdst, "section TDST: item 2 holds -1"},
    {"TCUR", tcur, "section TCUR: item 1 holds 5"},
    {"TRCU", trcu, "section TRCU: item 0 holds -1"},
    {"TCHN", tchn, "section TCHN: item 0 holds 2"},
    {"TREF", tref, "section TREF: item 0 holds 1000000"},
    {"TLIN", tlin, "section TLIN: item 0 holds -5"},
    {"TINP", tinp, "section TINP: item 1 holds 5"},
    {"TINP negative", tinp_negative, "section TINP: item 2 holds -1"},
    {"TINP length", tinp_length, "section TINP has 8 bytes, expected 3 items of 4 bytes"},
    {"TTIM order", ttim_order, "transactions are not in time order"},
    {"TTIM range", ttim_range, "section TTIM: item 0 holds"},
    {"TAMT negative", tamt_negative, "section TAMT: item 1 holds -100"},
    {"TAMT sum", tamt_sum, "section TAMT: the amounts add up to more than 64 bits hold"},
    {"TRAM", tram, "section TRAM: item 2 holds -1"},
    {"TBAS", tbas, "section TBAS: item 0 holds"},
    {"TSRC length", tsrc_length, "section TSRC has 8 bytes, expected 3 items of 4 bytes"},
    {"CSCL", cscl, "section CSCL: item 0 holds 99"},
    {"CRAT", crat, "section CRAT: item 1 holds -1"},
    {"EKND", eknd, "section EKND: item 0 holds 1000000"},
    {"ENAM", enam, "section ENAM: item 1 holds -7"},
    {"ECTY", ecty, "section ECTY: item 2 holds 1000000"},
    {"ESEC", esec, "section ESEC: item 1 holds 1000000"},
    {"EATR", eatr, "section EATR: item 0 holds 1000000"},
    {"EATR length", eatr_length, "section EATR has 16 bytes, expected 3 items of 8 bytes"},
    {"RSEN", rsen, "section RSEN: item 0 holds 1000000"},
    {"RSAC", rsac, "section RSAC: item 2 holds 1000000"},
    {"RDEN", rden, "section RDEN: item 2 holds -3"},
    {"RDAC", rdac, "section RDAC: item 0 holds 1000000"},
    {"RTYP", rtyp, "section RTYP: item 1 holds 1000000"},
    {"relation end neither entity nor account", relation_end_nowhere, "section RSEN: item 2 holds -1"},
    {"missing section", missing_section, "section RTYP is missing"},
};
#define N_CRAFTS ((int)(sizeof CRAFTS / sizeof CRAFTS[0]))

/* The fixture, ingested and saved; returns its path. */
static const char *good_case(void)
{
    iffnet_case_t c;
    iffnet_ingest_opts_t o;
    iffnet_ingest_report_t rep;
    iffnet_source_t s[] = {
        {IFFNET_SRC_TRANSACTIONS, tu_write("tx.csv", TX), NULL, NULL, 0},
        {IFFNET_SRC_TRANSACTIONS, tu_write("tx2.csv", TX2), NULL, NULL, 0},
        {IFFNET_SRC_ENTITIES, tu_write("entities.csv", ENTITIES), NULL, NULL, 0},
        {IFFNET_SRC_RELATIONS, tu_write("relations.csv", RELATIONS), NULL, NULL, 0},
        {IFFNET_SRC_RATES, tu_write("rates.csv", RATES), NULL, NULL, 0},
    };
    iffnet_ingest_opts_default(&o);
    ck_assert_int_eq(iffnet_ingest_sources(&c, s, 5, &o, &rep), IFFNET_OK);
    iffnet_ingest_report_destroy(&rep);
    const char *path = tu_path("good.iffn");
    ck_assert_int_eq(iffnet_case_save(&c, path), IFFNET_OK);
    iffnet_case_destroy(&c);
    return path;
}

START_TEST(fixture_stores_every_section)
{
    static const char *const tags[] = {"TCUR", "TRAM", "TRCU", "TCHN", "TREF", "TLIN", "TINP", "TBAS", "CRAT", "EATR", NULL};
    casefile_t f;
    casefile_read(&f, good_case());
    for (const char *const *t = tags; *t; t++) ck_assert_ptr_nonnull(section(&f, *t));
    /* Rewritten unchanged, it loads: the helpers themselves do no damage. */
    iffnet_case_t c;
    ck_assert_int_eq(iffnet_case_load(&c, casefile_write(&f, "same.iffn")), IFFNET_OK);
    ck_assert_int_eq(c.n_tx, 3);
    ck_assert_int_eq(c.n_relations, 3);
    ck_assert_ptr_nonnull(c.tx_input);
    ck_assert_int_eq(c.tx_input[1], 2); /* entities, tx.csv, tx2.csv: inputs 0, 1, 2 */
    ck_assert_str_eq(c.prov.timezone, "UTC");
    iffnet_case_destroy(&c);
    casefile_free(&f);
}
END_TEST

START_TEST(crafted_file_refused)
{
    const craft_t *k = &CRAFTS[_i];
    casefile_t f;
    casefile_read(&f, good_case());
    k->craft(&f);
    const char *bad = casefile_write(&f, "crafted.iffn");
    casefile_free(&f);
    iffnet_case_t c;
    iffnet_errmsg_clear();
    int err = iffnet_case_load(&c, bad);
    ck_assert_msg(err == IFFNET_ECORRUPT, "%s: load returned %d (%s)", k->name, err, iffnet_errmsg());
    ck_assert_msg(strstr(iffnet_errmsg(), k->message) != NULL, "%s: message \"%s\" lacks \"%s\"", k->name,
                  iffnet_errmsg(), k->message);
    ck_assert_msg(strstr(iffnet_errmsg(), "crafted.iffn") != NULL, "%s: message names no file", k->name);
    /* A refused load leaves an empty case: destroying it again is harmless. */
    ck_assert_int_eq(c.n_tx, 0);
    iffnet_case_destroy(&c);
    /* Mapped instead of read with pread, or from bytes in memory: the same refusal. */
    char *read_msg = strdup(iffnet_errmsg());
    ck_assert_int_eq(iffnet_i_case_load_file(&c, bad, 1), IFFNET_ECORRUPT);
    ck_assert_str_eq(iffnet_errmsg(), read_msg);
    size_t size;
    char *bytes = tu_read_file(bad, &size);
    ck_assert_int_eq(iffnet_case_load_mem(&c, bad, bytes, size), IFFNET_ECORRUPT);
    ck_assert_str_eq(iffnet_errmsg(), read_msg);
    free(bytes);
    free(read_msg);
}
END_TEST

/* The bytes iffnet_case_write makes of c (which it then destroys). */
static char *case_bytes(iffnet_case_t *c, size_t *size)
{
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, size);
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(iffnet_case_write(c, fp), IFFNET_OK);
    ck_assert_int_eq(fclose(fp), 0);
    iffnet_case_destroy(c);
    return buf;
}

/* A case file loaded mapped, with pread and from memory holds the same case:
 * written out again, each gives the file's own bytes. Small (one thread), and
 * large enough (over 8 MB) that a second thread reads half of the sections. */
START_TEST(mapped_load_equals_read_load)
{
    const char *path = good_case();
    char *csv = NULL;
    if (_i == 1) {
        size_t cap = 0;
        FILE *fp = open_memstream(&csv, &cap);
        ck_assert_ptr_nonnull(fp);
        fputs("tx_id,timestamp,source,target,amount,currency,reference\n", fp);
        for (int t = 0; t < 200000; t++)
            fprintf(fp, "transaction-%07d,%d,account-%05d,account-%05d,%d.%02d,EUR,invoice %d\n", t,
                    1704067200 + 7 * t, (int)((t * 7919LL) % 40000), (int)((t * 104729LL + 13) % 40000), t % 5000, t % 100, t % 977);
        ck_assert_int_eq(fclose(fp), 0);
        path = tu_write("large.csv", csv);
        iffnet_case_t c;
        iffnet_ingest_opts_t o;
        iffnet_ingest_report_t rep;
        iffnet_source_t s[] = {{IFFNET_SRC_TRANSACTIONS, path, NULL, NULL, 0}};
        iffnet_ingest_opts_default(&o);
        ck_assert_int_eq(iffnet_ingest_sources(&c, s, 1, &o, &rep), IFFNET_OK);
        iffnet_ingest_report_destroy(&rep);
        path = tu_path("large.iffn");
        ck_assert_int_eq(iffnet_case_save(&c, path), IFFNET_OK);
        iffnet_case_destroy(&c);
    }
    size_t file_size, size;
    char *file = tu_read_file(path, &file_size);
    if (_i == 1) ck_assert_uint_gt(file_size, (size_t)8 << 20);
    for (int how = 0; how < 3; how++) {
        iffnet_case_t c;
        int err = how == 2 ? iffnet_case_load_mem(&c, path, file, file_size) : iffnet_i_case_load_file(&c, path, how == 0);
        ck_assert_msg(err == IFFNET_OK, "load %d: %s", how, iffnet_errmsg());
        /* The string tables' offsets, which the bytes written do not show. */
        const iffnet_strtab_t *tabs[] = {&c.account_ids, &c.tx_ids, &c.text};
        for (int k = 0; k < 3; k++)
            for (int64_t j = 1; j < tabs[k]->n; j++)
                ck_assert_int_eq(tabs[k]->off[j], tabs[k]->off[j - 1] + (int64_t)strlen(iffnet_strtab_get(tabs[k], j - 1)) + 1);
        if (_i == 1) {
            char id[32];
            for (int64_t t = 0; t < c.n_tx; t += 997) {
                snprintf(id, sizeof id, "transaction-%07lld", (long long)t);
                ck_assert_str_eq(iffnet_case_tx_id(&c, t), id);
            }
        }
        char *again = case_bytes(&c, &size);
        ck_assert_uint_eq(size, file_size);
        ck_assert_msg(memcmp(again, file, size) == 0, "load %d changed the case", how);
        free(again);
    }
    free(file);
    free(csv);
}
END_TEST

/* ---- the same files from memory ---- */

/* The case file's bytes as the case writer makes them for c. */
static char *written(const iffnet_case_t *c, size_t *len)
{
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(iffnet_case_write(c, fp), IFFNET_OK);
    ck_assert_int_eq(fclose(fp), 0);
    return buf;
}

/* A case loaded from the file's bytes is the case loaded from the file: both
 * write the same bytes, and the writer to a stream writes the saved file. */
START_TEST(memory_load_equals_file_load)
{
    const char *path = good_case();
    size_t size, la, lb;
    char *bytes = tu_read_file(path, &size);
    iffnet_case_t a, b;
    ck_assert_int_eq(iffnet_case_load(&a, path), IFFNET_OK);
    ck_assert_msg(iffnet_case_load_mem(&b, path, bytes, size) == IFFNET_OK, "%s", iffnet_errmsg());
    ck_assert_int_eq(b.n_tx, 3);
    ck_assert_int_eq(b.n_relations, 3);
    ck_assert_str_eq(b.prov.inputs[1].path, a.prov.inputs[1].path);
    char *wa = written(&a, &la), *wb = written(&b, &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_int_eq(memcmp(wa, wb, la), 0);
    ck_assert_uint_eq(la, size);
    ck_assert_int_eq(memcmp(wa, bytes, size), 0);
    free(wa);
    free(wb);
    iffnet_case_destroy(&a);
    iffnet_case_destroy(&b);
    free(bytes);
}
END_TEST

/* Loads the file at path and its bytes under the same name: the two loads must
 * fail alike, with the same message. */
static void refused_alike(const char *what, const char *path)
{
    size_t size;
    char *bytes = tu_read_file(path, &size);
    iffnet_case_t c;
    iffnet_errmsg_clear();
    int err_file = iffnet_case_load(&c, path);
    char *msg_file = strdup(iffnet_errmsg());
    ck_assert_ptr_nonnull(msg_file);
    iffnet_case_destroy(&c);
    iffnet_errmsg_clear();
    int err_mem = iffnet_case_load_mem(&c, path, bytes, size);
    ck_assert_msg(err_file != IFFNET_OK, "%s: the file loads", what);
    ck_assert_msg(err_mem == err_file, "%s: memory load returned %d, file load %d", what, err_mem, err_file);
    ck_assert_msg(strcmp(iffnet_errmsg(), msg_file) == 0, "%s: from memory \"%s\", from the file \"%s\"", what,
                  iffnet_errmsg(), msg_file);
    ck_assert_int_eq(c.n_tx, 0);
    iffnet_case_destroy(&c);
    free(msg_file);
    free(bytes);
}

START_TEST(crafted_bytes_refused_as_the_file)
{
    const craft_t *k = &CRAFTS[_i];
    casefile_t f;
    casefile_read(&f, good_case());
    k->craft(&f);
    const char *bad = casefile_write(&f, "crafted.iffn");
    casefile_free(&f);
    refused_alike(k->name, bad);
}
END_TEST

/* Damage the container checks catch before any section is parsed: no bytes, a
 * cut header, a cut section, a flipped byte (CRC), another magic. */
START_TEST(damaged_bytes_refused_as_the_file)
{
    size_t size;
    char *good = tu_read_file(good_case(), &size);
    ck_assert_uint_gt(size, 100);
    refused_alike("empty", tu_write_n("empty.iffn", good, 0));
    refused_alike("cut header", tu_write_n("head.iffn", good, 10));
    refused_alike("cut section", tu_write_n("cut.iffn", good, size - 3));
    good[size / 2] ^= 0x40;
    refused_alike("bad CRC", tu_write_n("crc.iffn", good, size));
    good[size / 2] ^= 0x40;
    memcpy(good, "IFFNXXXX", 8);
    refused_alike("magic", tu_write_n("magic.iffn", good, size));
    free(good);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("casefile");
    TCase *tc = tcase_create("crafted");
    tcase_add_test(tc, fixture_stores_every_section);
    tcase_add_loop_test(tc, crafted_file_refused, 0, N_CRAFTS);
    tcase_add_loop_test(tc, mapped_load_equals_read_load, 0, 2);
    suite_add_tcase(s, tc);
    TCase *tm = tcase_create("memory");
    tcase_add_test(tm, memory_load_equals_file_load);
    tcase_add_loop_test(tm, crafted_bytes_refused_as_the_file, 0, N_CRAFTS);
    tcase_add_test(tm, damaged_bytes_refused_as_the_file);
    suite_add_tcase(s, tm);
    return tu_run_suite(s);
}
