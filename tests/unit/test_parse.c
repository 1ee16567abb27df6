/* test_parse.c: exact amounts, timestamps, durations, currencies, config. */
#include <stdlib.h>
#include <string.h>
#include "iffnet/iffnet.h"
#include "core/core_internal.h"
#include "testutil.h"

static iffnet_amount_status_t amt(const char *s, int scale, iffnet_money_t *v)
{
    return iffnet_amount_parse(s, strlen(s), scale, NULL, v);
}

START_TEST(amount_plain)
{
    iffnet_money_t v;
    ck_assert_int_eq(amt("1234.5", 2, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 123450);
    ck_assert_int_eq(amt("0.01", 2, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 1);
    ck_assert_int_eq(amt(" 7 ", 2, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 700);
    ck_assert_int_eq(amt("+3.10", 2, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 310);
    ck_assert_int_eq(amt(".5", 2, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 50);
    ck_assert_int_eq(amt("12.", 2, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 1200);
    /* 0.1 + 0.2 style values stay exact. */
    ck_assert_int_eq(amt("0.30", 2, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 30);
    ck_assert_int_eq(amt("0.370287", 8, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 37028700);
}
END_TEST

START_TEST(amount_errors)
{
    iffnet_money_t v;
    ck_assert_int_eq(amt("", 2, &v), IFFNET_AMOUNT_EMPTY);
    ck_assert_int_eq(amt("  ", 2, &v), IFFNET_AMOUNT_EMPTY);
    ck_assert_int_eq(amt("12,5x", 2, &v), IFFNET_AMOUNT_SYNTAX);
    ck_assert_int_eq(amt("1,234.50", 2, &v), IFFNET_AMOUNT_SYNTAX); /* no separator unless asked */
    ck_assert_int_eq(amt("-5", 2, &v), IFFNET_AMOUNT_NEGATIVE);
    ck_assert_int_eq(amt("1.234", 2, &v), IFFNET_AMOUNT_PRECISION);
    ck_assert_int_eq(amt("1.2300", 2, &v), IFFNET_AMOUNT_OK);       /* trailing zeros are fine */
    ck_assert_int_eq(amt("1e5", 2, &v), IFFNET_AMOUNT_SYNTAX);
    ck_assert_int_eq(amt(".", 2, &v), IFFNET_AMOUNT_SYNTAX);
    ck_assert_int_eq(amt("99999999999999999999", 2, &v), IFFNET_AMOUNT_OVERFLOW);
    ck_assert_int_eq(amt("92233720368547758.08", 2, &v), IFFNET_AMOUNT_OVERFLOW);
    ck_assert_int_eq(amt("92233720368547758.07", 2, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, INT64_MAX);
}
END_TEST

START_TEST(amount_separators)
{
    iffnet_money_t v;
    iffnet_amount_syntax_t eu = {',', '.'}, us = {'.', ','};
    ck_assert_int_eq(iffnet_amount_parse("1.234,56", 8, 2, &eu, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 123456);
    ck_assert_int_eq(iffnet_amount_parse("1,234,567.5", 11, 2, &us, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 123456750);
    ck_assert_int_eq(iffnet_amount_parse("12,34.5", 7, 2, &us, &v), IFFNET_AMOUNT_SYNTAX);
    ck_assert_int_eq(iffnet_amount_parse(",123", 4, 2, &us, &v), IFFNET_AMOUNT_SYNTAX);
    ck_assert_int_eq(iffnet_amount_parse("1234,5", 6, 2, &eu, &v), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(v, 123450);
}
END_TEST

START_TEST(amount_format)
{
    char b[48];
    iffnet_amount_format(b, sizeof b, 123456, 2, 0);
    ck_assert_str_eq(b, "1234.56");
    iffnet_amount_format(b, sizeof b, 123456789, 2, ',');
    ck_assert_str_eq(b, "1,234,567.89");
    iffnet_amount_format(b, sizeof b, 5, 2, 0);
    ck_assert_str_eq(b, "0.05");
    iffnet_amount_format(b, sizeof b, -5, 2, 0);
    ck_assert_str_eq(b, "-0.05");
    iffnet_amount_format(b, sizeof b, 100, 0, ',');
    ck_assert_str_eq(b, "100");
    iffnet_amount_format(b, sizeof b, INT64_MIN, 2, 0);
    ck_assert_str_eq(b, "-92233720368547758.08");
}
END_TEST

START_TEST(currencies)
{
    ck_assert_str_eq(iffnet_currency_code("US Dollar"), "USD");
    ck_assert_str_eq(iffnet_currency_code("Bitcoin"), "BTC");
    ck_assert_str_eq(iffnet_currency_code("EUR"), "EUR");
    ck_assert_ptr_null(iffnet_currency_code("euro"));
    ck_assert_ptr_null(iffnet_currency_code("E1R"));
    ck_assert_int_eq(iffnet_currency_scale("EUR"), 2);
    ck_assert_int_eq(iffnet_currency_scale("JPY"), 2);
    ck_assert_int_eq(iffnet_currency_scale("KWD"), 3);
    ck_assert_int_eq(iffnet_currency_scale("BTC"), 8);
    iffnet_money_t out;
    /* 10.00 USD at 0.9 EUR/USD = 9.00 EUR; 0.015 rounds half away from zero. */
    ck_assert_int_eq(iffnet_money_convert(1000, 2, 900000000, 2, &out), IFFNET_OK);
    ck_assert_int_eq(out, 900);
    ck_assert_int_eq(iffnet_money_convert(3, 2, 500000000, 2, &out), IFFNET_OK);
    ck_assert_int_eq(out, 2);
    /* 1 BTC (8 decimals) at 30000 EUR. */
    ck_assert_int_eq(iffnet_money_convert(100000000, 8, 30000LL * 1000000000LL, 2, &out), IFFNET_OK);
    ck_assert_int_eq(out, 3000000);
}
END_TEST

static iffnet_time_t ts(const char *s)
{
    iffnet_time_t t = -1;
    ck_assert_msg(iffnet_time_parse(s, strlen(s), NULL, &t) == 0, "could not parse %s", s);
    return t;
}

static int ts_bad(const char *s)
{
    iffnet_time_t t;
    return iffnet_time_parse(s, strlen(s), NULL, &t) != 0;
}

START_TEST(timestamps)
{
    ck_assert_int_eq(ts("1970-01-01"), 0);
    ck_assert_int_eq(ts("2017-01-01T00:00:00Z"), 1483228800);
    ck_assert_int_eq(ts("2017-01-01"), 1483228800);
    ck_assert_int_eq(ts("2017-01-01 10:20"), 1483228800 + 37200);
    ck_assert_int_eq(ts("2022/09/01 00:06"), 1661990760);
    ck_assert_int_eq(ts("2024-02-29T12:00:00+02:00"), ts("2024-02-29T10:00:00Z"));
    ck_assert_int_eq(ts("2024-02-29T12:00:00-0130"), ts("2024-02-29T13:30:00Z"));
    ck_assert_int_eq(ts("2024-03-01T00:00:00.250Z"), ts("2024-03-01"));
    ck_assert_int_eq(ts("1700000000"), 1700000000);
    ck_assert_int_eq(ts("1960-06-15"), -301276800);
    ck_assert(ts_bad("2023-02-29"));
    ck_assert(ts_bad("2024-13-01"));
    ck_assert(ts_bad("2024-01-01T25:00"));
    ck_assert(ts_bad("2024-01-01X10:00"));
    ck_assert(ts_bad("yesterday"));
    ck_assert(ts_bad(""));
    ck_assert(ts_bad("2024-01-01T10:00+2"));
    iffnet_time_syntax_t steps = {1, 1483228800, 86400};
    iffnet_time_t t;
    ck_assert_int_eq(iffnet_time_parse("3", 1, &steps, &t), 0);
    ck_assert_int_eq(t, 1483228800 + 3 * 86400);
    char b[32];
    iffnet_time_format(b, sizeof b, 1661990760, 0);
    ck_assert_str_eq(b, "2022-09-01T00:06:00Z");
    iffnet_time_format(b, sizeof b, -1, 0);
    ck_assert_str_eq(b, "1969-12-31T23:59:59Z");
}
END_TEST

START_TEST(durations)
{
    int64_t s;
    ck_assert_int_eq(iffnet_duration_parse("30d", &s), 0);
    ck_assert_int_eq(s, 30 * 86400);
    ck_assert_int_eq(iffnet_duration_parse("2w", &s), 0);
    ck_assert_int_eq(s, 14 * 86400);
    ck_assert_int_eq(iffnet_duration_parse("90", &s), 0);
    ck_assert_int_eq(s, 90);
    ck_assert_int_ne(iffnet_duration_parse("3x", &s), 0);
    ck_assert_int_ne(iffnet_duration_parse("-3d", &s), 0);
    ck_assert_int_ne(iffnet_duration_parse("3dd", &s), 0);
}
END_TEST

START_TEST(config_values)
{
    iffnet_config_t cfg;
    iffnet_config_init(&cfg);
    ck_assert_int_eq(iffnet_config_set(&cfg, "fan_in.min = 5", "--set"), IFFNET_OK);
    ck_assert_int_eq(iffnet_config_set(&cfg, "window=7d", "--set"), IFFNET_OK);
    ck_assert_int_eq(iffnet_config_set(&cfg, "ratio=abc", "--set"), IFFNET_OK);
    ck_assert_int_eq(iffnet_config_set(&cfg, "typo.key=1", "--set"), IFFNET_OK);
    ck_assert_int_ne(iffnet_config_set(&cfg, "novalue", "--set"), IFFNET_OK);
    int64_t i, d;
    double x;
    ck_assert_int_eq(iffnet_config_int(&cfg, "fan_in.min", 3, 1, 100, &i), IFFNET_OK);
    ck_assert_int_eq(i, 5);
    ck_assert_int_eq(iffnet_config_int(&cfg, "absent", 3, 1, 100, &i), IFFNET_OK);
    ck_assert_int_eq(i, 3);
    ck_assert_int_eq(iffnet_config_duration(&cfg, "window", 0, &d), IFFNET_OK);
    ck_assert_int_eq(d, 7 * 86400);
    CHECK_ERROR(iffnet_config_double(&cfg, "ratio", 0.5, 0, 1, &x), IFFNET_EDATA, "ratio");
    ck_assert_int_eq(iffnet_config_int(&cfg, "fan_in.min", 3, 10, 100, &i), IFFNET_EDATA);
    const char *origin;
    ck_assert_str_eq(iffnet_config_unused(&cfg, &origin), "typo.key");
    iffnet_config_destroy(&cfg);
}
END_TEST

/* Reads text as a settings file and as bytes under the file's name: the same
 * settings with the same origins, or the same error. Returns the error. */
static int config_alike(const char *name, const char *text, size_t len)
{
    iffnet_config_t a, b;
    const char *path = tu_write_n(name, text, len);
    iffnet_config_init(&a);
    iffnet_config_init(&b);
    iffnet_errmsg_clear();
    int ea = iffnet_config_read(&a, path);
    char *msg = strdup(iffnet_errmsg());
    ck_assert_ptr_nonnull(msg);
    iffnet_errmsg_clear();
    int eb = iffnet_config_read_mem(&b, path, text, len);
    ck_assert_int_eq(eb, ea);
    ck_assert_str_eq(iffnet_errmsg(), msg);
    ck_assert_int_eq(b.n, a.n);
    for (int64_t k = 0; k < a.n; k++) {
        ck_assert_str_eq(b.keys[k], a.keys[k]);
        ck_assert_str_eq(b.values[k], a.values[k]);
        ck_assert_str_eq(b.origin[k], a.origin[k]);
    }
    free(msg);
    iffnet_config_destroy(&a);
    iffnet_config_destroy(&b);
    return ea;
}

START_TEST(config_from_memory)
{
    static const char good[] = "# detector settings\n\nfan_in.min = 5\r\nwindow=7d   # a week\nfan_in.min=6";
    static const char nul[] = "a=1\nb=2\0\n";
    ck_assert_int_eq(config_alike("good.conf", good, sizeof good - 1), IFFNET_OK);
    iffnet_config_t cfg;
    iffnet_config_init(&cfg);
    ck_assert_int_eq(iffnet_config_read_mem(&cfg, "good.conf", good, sizeof good - 1), IFFNET_OK);
    int64_t i;
    ck_assert_int_eq(iffnet_config_int(&cfg, "fan_in.min", 3, 1, 100, &i), IFFNET_OK);
    ck_assert_int_eq(i, 6); /* the later line wins */
    ck_assert_str_eq(cfg.origin[2], "good.conf:5");
    iffnet_config_destroy(&cfg);
    ck_assert_int_eq(config_alike("empty.conf", "", 0), IFFNET_OK);
    ck_assert_int_eq(config_alike("novalue.conf", "a=1\nnovalue\n", 12), IFFNET_EDATA);
    ck_assert_int_eq(strncmp(iffnet_errmsg(), tu_path("novalue.conf"), strlen(tu_path("novalue.conf"))), 0);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "novalue.conf:2: expected key = value, got \"novalue\""));
    ck_assert_int_eq(config_alike("key.conf", "a b=1\n", 6), IFFNET_EDATA);
    ck_assert_int_eq(config_alike("nul.conf", nul, sizeof nul - 1), IFFNET_EDATA);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "nul.conf:2: a NUL byte in a settings file"));
}
END_TEST

START_TEST(typologies)
{
    iffnet_typology_t t;
    ck_assert_int_eq(iffnet_typology_parse("fan_in", &t), 0);
    ck_assert_int_eq(t, IFFNET_TYP_FAN_IN);
    ck_assert_int_eq(iffnet_typology_parse("FAN-IN", &t), 0);
    ck_assert_int_eq(t, IFFNET_TYP_FAN_IN);
    ck_assert_int_eq(iffnet_typology_parse("SCATTER-GATHER", &t), 0);
    ck_assert_int_eq(t, IFFNET_TYP_SCATTER_GATHER);
    ck_assert_int_eq(iffnet_typology_parse("random", &t), 0);
    ck_assert_int_eq(t, IFFNET_TYP_LAYERING);
    ck_assert_int_ne(iffnet_typology_parse("nonsense", &t), 0);
    for (int k = 0; k < IFFNET_TYP_COUNT; k++) {
        ck_assert_int_eq(iffnet_typology_parse(iffnet_typology_name((iffnet_typology_t)k), &t), 0);
        ck_assert_int_eq(t, k);
    }
}
END_TEST

/* Batched interning gives the ids one-by-one interning gives, across index
 * growth, repeats within a batch and strings longer than a word. */
START_TEST(strtab_intern_many)
{
    enum { N = 20000 };
    static char text[N][24];
    const char *s[N];
    size_t len[N];
    int64_t ids[N];
    unsigned x = 7;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        unsigned k = (x >> 8) % (i < N / 2 ? 3000u : 9000u);
        snprintf(text[i], sizeof text[i], k % 3 ? "ACC%u" : "a-much-longer-id-%u", k);
        s[i] = text[i];
        len[i] = strlen(text[i]);
    }
    iffnet_strtab_t one, many;
    iffnet_strtab_init(&one);
    iffnet_strtab_init(&many);
    for (int b = 0; b < N; b += 777) {
        int n = N - b < 777 ? N - b : 777;
        ck_assert_int_eq(iffnet_strtab_intern_many(&many, n, s + b, len + b, ids + b), IFFNET_OK);
    }
    for (int i = 0; i < N; i++) {
        int64_t id;
        ck_assert_int_eq(iffnet_strtab_intern(&one, s[i], len[i], &id, NULL), IFFNET_OK);
        ck_assert_int_eq(id, ids[i]);
        ck_assert_str_eq(iffnet_strtab_get(&many, ids[i]), s[i]);
    }
    ck_assert_int_eq(one.n, many.n);
    iffnet_strtab_destroy(&one);
    iffnet_strtab_destroy(&many);
}
END_TEST

/* The index with ids in its slots gives the ids one-by-one interning gives:
 * ids of every length around the 23 bytes a slot holds (and empty), ids that
 * differ only past that, repeats within and across batches, index growth, and
 * strings appended to the table between calls (indexed at the next call). */
START_TEST(keyidx_intern_many)
{
    enum { N = 30000 };
    static char text[N][48];
    const char *s[N];
    size_t len[N];
    int64_t ids[N];
    unsigned x = 11;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        unsigned k = (x >> 8) % (i < N / 2 ? 4000u : 12000u);
        /* Lengths 0..31: k's digits padded out to a length picked by k itself,
         * then the same long prefix with different endings. */
        int want = (int)(k % 32);
        char digits[16];
        snprintf(digits, sizeof digits, "%u", k);
        int dl = (int)strlen(digits), n = 0;
        if (want == 0) {
            text[i][0] = '\0';
        } else if (want <= dl) {
            n = snprintf(text[i], sizeof text[i], "%.*s", want, digits + dl - want);
        } else {
            n = snprintf(text[i], sizeof text[i], "%.*s%s", want - dl, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", digits);
        }
        (void)n;
        s[i] = text[i];
        len[i] = strlen(text[i]);
    }
    iffnet_strtab_t one, many;
    iffnet_i_keyidx_t x_idx = {0};
    iffnet_strtab_init(&one);
    iffnet_strtab_init(&many);
    for (int b = 0; b < N; b += 777) {
        int n = N - b < 777 ? N - b : 777;
        /* Half the batches bring their hashes. */
        uint64_t h[777];
        for (int i = 0; i < n; i++) h[i] = iffnet_i_hash_bytes(s[b + i], len[b + i]);
        ck_assert_int_eq(iffnet_i_keyidx_intern_many(&x_idx, &many, n, s + b, len + b, (b / 777) % 2 ? h : NULL, ids + b),
                         IFFNET_OK);
        for (int i = b; i < b + n; i++) {
            int64_t id;
            ck_assert_int_eq(iffnet_strtab_intern(&one, s[i], len[i], &id, NULL), IFFNET_OK);
            ck_assert_int_eq(id, ids[i]);
            ck_assert_str_eq(iffnet_strtab_get(&many, ids[i]), s[i]);
        }
        if (b == 777 * 5) {
            /* Appended by other means (the one-by-one table gets them too): the
             * next call indexes them. */
            int64_t a, c;
            ck_assert_int_eq(iffnet_strtab_append(&many, "appended-between-calls", 22, &a), IFFNET_OK);
            ck_assert_int_eq(iffnet_strtab_append(&many, "appended-between-calls-and-longer-than-a-slot", 45, &a), IFFNET_OK);
            ck_assert_int_eq(iffnet_strtab_intern(&one, "appended-between-calls", 22, &c, NULL), IFFNET_OK);
            ck_assert_int_eq(iffnet_strtab_intern(&one, "appended-between-calls-and-longer-than-a-slot", 45, &c, NULL), IFFNET_OK);
        }
    }
    int64_t again[2];
    const char *late[2] = {"appended-between-calls", "appended-between-calls-and-longer-than-a-slot"};
    size_t late_len[2] = {22, 45};
    ck_assert_int_eq(iffnet_i_keyidx_intern_many(&x_idx, &many, 2, late, late_len, NULL, again), IFFNET_OK);
    ck_assert_int_eq(one.n, many.n);
    ck_assert_str_eq(iffnet_strtab_get(&many, again[0]), late[0]);
    ck_assert_str_eq(iffnet_strtab_get(&many, again[1]), late[1]);
    ck_assert_int_eq(iffnet_strtab_find(&one, late[1], 45), again[1]);
    /* The table's own index, built afterwards, agrees. */
    for (int i = 0; i < N; i++) ck_assert_int_eq(iffnet_strtab_find(&many, s[i], len[i]), ids[i]);
    iffnet_i_keyidx_free(&x_idx);
    iffnet_strtab_destroy(&one);
    iffnet_strtab_destroy(&many);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, amount_plain);
    tcase_add_test(tc, amount_errors);
    tcase_add_test(tc, amount_separators);
    tcase_add_test(tc, amount_format);
    tcase_add_test(tc, currencies);
    tcase_add_test(tc, timestamps);
    tcase_add_test(tc, durations);
    tcase_add_test(tc, config_values);
    tcase_add_test(tc, config_from_memory);
    tcase_add_test(tc, typologies);
    tcase_add_test(tc, strtab_intern_many);
    tcase_add_test(tc, keyidx_intern_many);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
