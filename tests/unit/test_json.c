/* test_json.c: the strict JSON reader. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "iffnet/iffnet.h"
#include "iffnet/json.h"
#include "testutil.h"

static iffnet_json_t *parse_ok(const char *s)
{
    iffnet_json_t *v = NULL;
    int err = iffnet_json_parse(&v, s, strlen(s), NULL);
    ck_assert_msg(err == IFFNET_OK, "parse '%s' failed: %s", s, iffnet_errmsg());
    ck_assert_ptr_nonnull(v);
    return v;
}

/* Parses s, expects error code `want` and a message containing `msg`. */
static void parse_bad(const char *s, size_t len, int want, const char *msg)
{
    iffnet_json_t *v = (iffnet_json_t *)1;
    CHECK_ERROR(iffnet_json_parse(&v, s, len, NULL), want, msg);
    ck_assert_msg(v == NULL, "'%s': a value is left after the error", s);
}
#define BAD(s, msg) parse_bad((s), strlen(s), IFFNET_EDATA, (msg))

START_TEST(scalars)
{
    iffnet_json_t *v;
    v = parse_ok(" null ");
    ck_assert_int_eq(v->type, IFFNET_JSON_NULL);
    iffnet_json_free(v);
    v = parse_ok("true");
    ck_assert_int_eq(v->type, IFFNET_JSON_BOOL);
    ck_assert_int_eq(v->boolean, 1);
    iffnet_json_free(v);
    v = parse_ok("\t\r\nfalse\n");
    ck_assert_int_eq(v->boolean, 0);
    ck_assert_int_eq(v->line, 2);
    iffnet_json_free(v);
    v = parse_ok("-12.5e2");
    ck_assert_int_eq(v->type, IFFNET_JSON_NUMBER);
    ck_assert_double_eq(v->number, -1250.0);
    ck_assert_str_eq(v->str, "-12.5e2");
    iffnet_json_free(v);
    v = parse_ok("0");
    ck_assert_double_eq(v->number, 0.0);
    iffnet_json_free(v);
    v = parse_ok("\"hi\"");
    ck_assert_int_eq(v->type, IFFNET_JSON_STRING);
    ck_assert_str_eq(v->str, "hi");
    ck_assert_uint_eq(v->len, 2);
    iffnet_json_free(v);
}
END_TEST

START_TEST(exact_integers_and_amounts)
{
    iffnet_json_t *v;
    int64_t i;
    iffnet_money_t m;
    /* 2^53 + 1 is not a double; the raw text keeps it exact. */
    v = parse_ok("9007199254740993");
    ck_assert_int_eq(iffnet_json_int64(v, &i), 0);
    ck_assert_int_eq(i, INT64_C(9007199254740993));
    iffnet_json_free(v);
    v = parse_ok("-9223372036854775808");
    ck_assert_int_eq(iffnet_json_int64(v, &i), 0);
    ck_assert_int_eq(i, INT64_MIN);
    iffnet_json_free(v);
    v = parse_ok("9223372036854775808");
    ck_assert_int_eq(iffnet_json_int64(v, &i), -1);
    iffnet_json_free(v);
    v = parse_ok("12.0");
    ck_assert_int_eq(iffnet_json_int64(v, &i), -1);
    iffnet_json_free(v);
    /* 0.1 + 0.2 in binary would not be 30 cents; from the text it is exact. */
    v = parse_ok("[48300.10, \"0.30\", 1e3, true]");
    ck_assert_int_eq(iffnet_json_amount(iffnet_json_at(v, 0), 2, &m), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(m, 4830010);
    ck_assert_int_eq(iffnet_json_amount(iffnet_json_at(v, 1), 2, &m), IFFNET_AMOUNT_OK);
    ck_assert_int_eq(m, 30);
    ck_assert_int_eq(iffnet_json_amount(iffnet_json_at(v, 2), 2, &m), IFFNET_AMOUNT_SYNTAX);
    ck_assert_int_eq(iffnet_json_amount(iffnet_json_at(v, 3), 2, &m), IFFNET_AMOUNT_SYNTAX);
    ck_assert_ptr_null(iffnet_json_at(v, 4));
    ck_assert_ptr_null(iffnet_json_at(v, -1));
    iffnet_json_free(v);
}
END_TEST

START_TEST(strings_and_escapes)
{
    iffnet_json_t *v;
    v = parse_ok("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"");
    ck_assert_str_eq(v->str, "a\"b\\c/d\b\f\n\r\t");
    iffnet_json_free(v);
    /* U+00E9 and U+20AC by escape; U+1F600 by surrogate pair; raw UTF-8 kept. */
    v = parse_ok("\"\\u00e9\\u20AC\\ud83d\\ude00 \xc3\xa9\xf0\x9f\x98\x80\"");
    ck_assert_str_eq(v->str, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xc3\xa9\xf0\x9f\x98\x80");
    iffnet_json_free(v);
    /* \u0000 is legal JSON: the length tells it apart. */
    v = parse_ok("\"a\\u0000b\"");
    ck_assert_uint_eq(v->len, 3);
    ck_assert_int_eq(v->str[1], 0);
    iffnet_json_free(v);
}
END_TEST

START_TEST(containers_and_lookup)
{
    iffnet_json_t *v;
    const iffnet_json_t *a;
    char big[4096];
    int i, n = 0;
    v = parse_ok("{\"b\": [1, {\"x\": null}, []], \"a\": {}, \"\": \"empty\"}");
    ck_assert_int_eq(v->type, IFFNET_JSON_OBJECT);
    ck_assert_int_eq(v->n, 3);
    ck_assert_str_eq(v->keys[0], "b"); /* input order is kept */
    a = iffnet_json_get(v, "b");
    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(a->type, IFFNET_JSON_ARRAY);
    ck_assert_int_eq(a->n, 3);
    ck_assert_int_eq(iffnet_json_get(iffnet_json_at(a, 1), "x")->type, IFFNET_JSON_NULL);
    ck_assert_int_eq(iffnet_json_at(a, 2)->n, 0);
    ck_assert_int_eq(iffnet_json_get(v, "a")->n, 0);
    ck_assert_str_eq(iffnet_json_get(v, "")->str, "empty");
    ck_assert_ptr_null(iffnet_json_get(v, "c"));
    ck_assert_ptr_null(iffnet_json_get(a, "b")); /* not an object */
    iffnet_json_free(v);
    /* Many keys: every one is found by the sorted index. */
    n += snprintf(big + n, sizeof big - (size_t)n, "{");
    for (i = 0; i < 200; i++)
        n += snprintf(big + n, sizeof big - (size_t)n, "%s\"k%d\":%d", i ? "," : "", (i * 37) % 200, i);
    snprintf(big + n, sizeof big - (size_t)n, "}");
    v = parse_ok(big);
    for (i = 0; i < 200; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%d", (i * 37) % 200);
        a = iffnet_json_get(v, k);
        ck_assert_ptr_nonnull(a);
        ck_assert_double_eq(a->number, (double)i);
    }
    iffnet_json_free(v);
}
END_TEST

START_TEST(errors_name_line_and_column)
{
    iffnet_json_t *v = NULL;
    iffnet_json_opts_t o = {"alerts.jsonl", 41, 0};
    const char *s = "{\n  \"a\": tru\n}";
    ck_assert_int_eq(iffnet_json_parse(&v, s, strlen(s), NULL), IFFNET_EDATA);
    ck_assert_str_eq(iffnet_errmsg(), "<json>:2:8: unexpected 't', expected a value");
    ck_assert_int_eq(iffnet_json_parse(&v, s, strlen(s), &o), IFFNET_EDATA);
    ck_assert_str_eq(iffnet_errmsg(), "alerts.jsonl:42:8: unexpected 't', expected a value");
    BAD("[1, 2,]", "<json>:1:7: trailing comma in array");
    BAD("{\"a\":1,}", "trailing comma in object");
    BAD("[1 2]", "1:4: unexpected '2' in array, expected ',' or ']'");
    BAD("{\"a\" 1}", "expected ':'");
    BAD("{a:1}", "expected a member name in double quotes");
    BAD("{'a':1}", "expected a member name");
    BAD("{\"a\":1,\n \"a\":2}", "2:6: duplicate member 'a'");
    BAD("01", "leading zero");
    BAD("1.", "digits after the decimal point");
    BAD(".5", "expected a value");
    BAD("+1", "expected a value");
    BAD("1e", "exponent");
    BAD("-", "invalid number");
    BAD("1e999", "out of range");
    BAD("NaN", "expected a value");
    BAD("nul", "expected a value");
    BAD("truex", "expected a value");
    BAD("", "unexpected end of input");
    BAD("   \n ", "2:2: unexpected end of input");
    BAD("[1", "1:3: unexpected end of input in array");
    BAD("1 2", "1:3: unexpected '2' after the JSON value");
    BAD("{} /* c */", "after the JSON value");
    BAD("\"abc", "1:1: unterminated string");
    BAD("\"a\tb\"", "control character 0x09");
    BAD("\"a\\qb\"", "invalid escape \\'q'");
    BAD("\"\\u12\"", "four hex digits");
    BAD("\"\\udc00\"", "lone low surrogate");
    BAD("\"\\ud83d\"", "not followed by a low surrogate");
    BAD("\"\\ud83d\\u0041\"", "not followed by a low surrogate");
    BAD("\"\xc3\"", "invalid UTF-8");
    BAD("\"\xc0\xaf\"", "invalid UTF-8");         /* overlong '/' */
    BAD("\"\xed\xa0\x80\"", "invalid UTF-8");     /* encoded surrogate */
    BAD("\"\xf4\x90\x80\x80\"", "invalid UTF-8"); /* above U+10FFFF */
    BAD("\xef\xbb\xbf{}", "byte 0xef");           /* a BOM only in files */
    parse_bad("[\0]", 3, IFFNET_EDATA, "byte 0x00");
}
END_TEST

START_TEST(depth_limit)
{
    size_t n = 200000, i;
    char *s = malloc(2 * n + 1);
    iffnet_json_t *v = NULL;
    iffnet_json_opts_t o = {NULL, 0, 3};
    ck_assert_ptr_nonnull(s);
    for (i = 0; i < n; i++) {
        s[i] = '[';
        s[2 * n - 1 - i] = ']';
    }
    s[2 * n] = '\0';
    parse_bad(s, 2 * n, IFFNET_ELIMIT, "1:257: nesting deeper than 256 levels");
    free(s);
    v = parse_ok("[[[1]]]");
    iffnet_json_free(v);
    ck_assert_int_eq(iffnet_json_parse(&v, "[[[1]]]", 7, &o), IFFNET_OK);
    iffnet_json_free(v);
    ck_assert_int_eq(iffnet_json_parse(&v, "[[[[1]]]]", 9, &o), IFFNET_ELIMIT);
    ck_assert_int_eq(iffnet_json_parse(&v, "{\"a\":{\"b\":{\"c\":{}}}}", 20, &o), IFFNET_ELIMIT);
}
END_TEST

START_TEST(parse_file)
{
    const char *path = tu_write("f.json", "\xef\xbb\xbf{\"k\": [true,\n false x]}");
    iffnet_json_t *v = NULL;
    CHECK_ERROR(iffnet_json_parse_file(&v, path, NULL), IFFNET_EDATA, ":2:8: unexpected 'x' in array");
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), path));
    tu_write("f.json", "\xef\xbb\xbf{\"k\": [true,\n false]}\n");
    ck_assert_int_eq(iffnet_json_parse_file(&v, path, NULL), IFFNET_OK);
    ck_assert_int_eq(iffnet_json_get(v, "k")->n, 2);
    iffnet_json_free(v);
    unlink(path);
    CHECK_ERROR(iffnet_json_parse_file(&v, path, NULL), IFFNET_EIO, "cannot open");
    iffnet_json_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, scalars);
    tcase_add_test(tc, exact_integers_and_amounts);
    tcase_add_test(tc, strings_and_escapes);
    tcase_add_test(tc, containers_and_lookup);
    tcase_add_test(tc, errors_name_line_and_column);
    tcase_add_test(tc, depth_limit);
    tcase_add_test(tc, parse_file);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
