/* test_json.c: the strict JSON reader and the JSON writer. */
#include <math.h>
#include <stdio.h>
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
    iffnet_json_opts_t o = {"alerts.jsonl", 41, 0, 0};
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
    iffnet_json_opts_t o = {NULL, 0, 3, 0};
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

/* A file past the document limit is refused after reading one byte more than
 * the limit, not read whole; the default limit is 256 MiB. */
START_TEST(parse_file_limit)
{
    static char text[1 << 16];
    memset(text, ' ', sizeof text);
    text[0] = '[';
    text[sizeof text - 2] = ']';
    text[sizeof text - 1] = '\0';
    const char *path = tu_write("big.json", text);
    iffnet_json_t *v = NULL;
    iffnet_json_opts_t o = {NULL, 0, 0, 4096};
    CHECK_ERROR(iffnet_json_parse_file(&v, path, &o), IFFNET_ELIMIT, "is larger than 4096 bytes");
    ck_assert_ptr_null(v);
    ck_assert_int_eq(iffnet_json_parse_file(&v, path, NULL), IFFNET_OK);
    iffnet_json_free(v);
    ck_assert_uint_eq(IFFNET_JSON_MAX_FILE, (size_t)256 << 20);
}
END_TEST

/* ---- writer ---- */

/* A writer on a memory stream. */
typedef struct {
    FILE *fp;
    char *buf;
    size_t len;
    iffnet_jsonw_t w;
} mem_t;

static void mem_open(mem_t *m)
{
    m->buf = NULL;
    m->len = 0;
    m->fp = open_memstream(&m->buf, &m->len);
    ck_assert_ptr_nonnull(m->fp);
    iffnet_jsonw_init(&m->w, m->fp);
}

/* Finishes the writer, expects status `want`, and returns what it wrote (the
 * caller frees it). */
static char *mem_close(mem_t *m, int want)
{
    int err = iffnet_jsonw_finish(&m->w);
    ck_assert_int_eq(fclose(m->fp), 0);
    ck_assert_msg(err == want, "status %d, want %d (%s)", err, want, iffnet_errmsg());
    return m->buf;
}

/* As mem_close(), and expects exactly `text`. */
static void mem_check(mem_t *m, int want, const char *text)
{
    char *got = mem_close(m, want);
    ck_assert_str_eq(got, text);
    free(got);
}

/* Writes s as one JSON string (with its newline) and expects `text` (NULL: any)
 * that the strict reader reads back as `back`. */
static void str_roundtrip(const char *s, const char *text, const char *back)
{
    mem_t m;
    iffnet_json_t *v;
    char *got;
    mem_open(&m);
    iffnet_jsonw_str(&m.w, NULL, s);
    got = mem_close(&m, IFFNET_OK);
    if (text) ck_assert_str_eq(got, text);
    v = parse_ok(got);
    ck_assert_int_eq(v->type, IFFNET_JSON_STRING);
    ck_assert_str_eq(v->str, back);
    iffnet_json_free(v);
    free(got);
}

START_TEST(write_nesting_and_commas)
{
    mem_t m;
    iffnet_json_t *v;
    char *text;
    mem_open(&m);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_str(&m.w, "a", "x");
    iffnet_jsonw_array_begin(&m.w, "b");
    iffnet_jsonw_int(&m.w, NULL, 1);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_array_begin(&m.w, NULL);
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_bool(&m.w, "t", 7);
    iffnet_jsonw_bool(&m.w, "f", 0);
    iffnet_jsonw_null(&m.w, "n");
    iffnet_jsonw_str(&m.w, "s", NULL);
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_object_begin(&m.w, "");
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_end(&m.w);
    text = mem_close(&m, IFFNET_OK);
    ck_assert_str_eq(text, "{\"a\":\"x\",\"b\":[1,{},[],{\"t\":true,\"f\":false,\"n\":null,\"s\":null}],\"\":{}}\n");
    v = parse_ok(text);
    ck_assert_int_eq(iffnet_json_get(v, "b")->n, 4);
    iffnet_json_free(v);
    free(text);
}
END_TEST

START_TEST(write_top_level_lines)
{
    mem_t m;
    /* Each top-level value ends its line: JSON Lines, or one document. */
    mem_open(&m);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_int(&m.w, "k", -3);
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_array_begin(&m.w, NULL);
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_str(&m.w, NULL, "s");
    mem_check(&m, IFFNET_OK, "{}\n{\"k\":-3}\n[]\n\"s\"\n");
    /* Arrays laid out one element per line (the network export's layout). */
    mem_open(&m);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_array_begin_lines(&m.w, "nodes");
    iffnet_jsonw_int(&m.w, NULL, 1);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_int(&m.w, "a", 2);
    iffnet_jsonw_int(&m.w, "b", 3);
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_array_begin_lines(&m.w, "edges");
    iffnet_jsonw_end(&m.w);
    iffnet_jsonw_end(&m.w);
    mem_check(&m, IFFNET_OK, "{\"nodes\":[\n1,\n{\"a\":2,\"b\":3}\n],\"edges\":[\n\n]}\n");
}
END_TEST

START_TEST(write_escapes)
{
    char all[128];
    mem_t m;
    str_roundtrip("plain / text", "\"plain / text\"\n", "plain / text");
    str_roundtrip("q\"b\\n\nr\rt\t", "\"q\\\"b\\\\n\\nr\\rt\\t\"\n", "q\"b\\n\nr\rt\t");
    /* Other control characters as \u00xx in lower case; DEL is not one in JSON. */
    str_roundtrip("\x01\b\f\x1f\x7f", "\"\\u0001\\u0008\\u000c\\u001f\x7f\"\n", "\x01\b\f\x1f\x7f");
    /* Every ASCII character reads back as itself, alone and all in one string. */
    for (int c = 1; c < 128; c++) {
        char one[2] = {(char)c, '\0'};
        all[c - 1] = (char)c;
        str_roundtrip(one, NULL, one);
    }
    all[127] = '\0';
    str_roundtrip(all, NULL, all);
    /* Keys go through the same escaping. */
    mem_open(&m);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_int(&m.w, "k\"\n", 1);
    iffnet_jsonw_end(&m.w);
    mem_check(&m, IFFNET_OK, "{\"k\\\"\\n\":1}\n");
}
END_TEST

START_TEST(write_utf8)
{
    /* Valid UTF-8 is written as it is: 2, 3 and 4 bytes, U+10FFFF. */
    str_roundtrip("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf",
                  "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"\n",
                  "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
    /* Each byte that starts no valid sequence becomes U+FFFD; what follows it
     * is read afresh. */
#define R "\xef\xbf\xbd"
    str_roundtrip("a\xff" "b", "\"a" R "b\"\n", "a" R "b");
    str_roundtrip("\x80\xbf", "\"" R R "\"\n", R R);                            /* stray continuation */
    str_roundtrip("\xc0\x80", "\"" R R "\"\n", R R);                            /* overlong NUL */
    str_roundtrip("\xe0\x80\xaf", "\"" R R R "\"\n", R R R);                    /* overlong '/' */
    str_roundtrip("\xed\xa0\x80", "\"" R R R "\"\n", R R R);                    /* surrogate */
    str_roundtrip("\xf4\x90\x80\x80", "\"" R R R R "\"\n", R R R R);            /* above U+10FFFF */
    str_roundtrip("\xc3(", "\"" R "(\"\n", R "(");                              /* cut short */
    str_roundtrip("x\xe2\x82", "\"x" R R "\"\n", "x" R R);                      /* cut by the end */
    str_roundtrip("\xc3\"\xc3\xa9", "\"" R "\\\"\xc3\xa9\"\n", R "\"\xc3\xa9"); /* then an escape */
#undef R
}
END_TEST

START_TEST(write_numbers)
{
    mem_t m;
    mem_open(&m);
    iffnet_jsonw_array_begin(&m.w, NULL);
    iffnet_jsonw_int(&m.w, NULL, INT64_MIN);
    iffnet_jsonw_int(&m.w, NULL, INT64_MAX);
    iffnet_jsonw_int(&m.w, NULL, 0);
    iffnet_jsonw_money(&m.w, NULL, -123456);
    iffnet_jsonw_amount(&m.w, NULL, 123456, 2);
    iffnet_jsonw_amount(&m.w, NULL, -5, 2);
    iffnet_jsonw_amount(&m.w, NULL, 7, 0);
    iffnet_jsonw_time(&m.w, NULL, 1709294400);
    iffnet_jsonw_time(&m.w, NULL, INT64_MIN); /* open ends of a window */
    iffnet_jsonw_time(&m.w, NULL, INT64_MAX);
    iffnet_jsonw_end(&m.w);
    mem_check(&m, IFFNET_OK,
              "[-9223372036854775808,9223372036854775807,0,-123456,1234.56,-0.05,7,"
              "\"2024-03-01T12:00:00Z\",null,null]\n");
    /* Doubles as the callers format them: score %.4f, rates %.6f, seconds
     * %.3f, LP bounds %.0f; JSON has no NaN or infinity. */
    mem_open(&m);
    iffnet_jsonw_array_begin(&m.w, NULL);
    iffnet_jsonw_double(&m.w, NULL, 0.741, 4);
    iffnet_jsonw_double(&m.w, NULL, 1.0 / 3.0, 6);
    iffnet_jsonw_double(&m.w, NULL, 0.0123, 3);
    iffnet_jsonw_double(&m.w, NULL, 7209560.0, 0);
    iffnet_jsonw_double(&m.w, NULL, -2.25, 1);
    iffnet_jsonw_double(&m.w, NULL, 3.2, -1);
    iffnet_jsonw_double(&m.w, NULL, NAN, 6);
    iffnet_jsonw_double(&m.w, NULL, -INFINITY, 6);
    iffnet_jsonw_end(&m.w);
    mem_check(&m, IFFNET_OK, "[0.7410,0.333333,0.012,7209560,-2.2,3,null,null]\n");
    /* Number text from the caller is checked against the JSON grammar. */
    mem_open(&m);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_number(&m.w, "a", "1234.50");
    iffnet_jsonw_number(&m.w, "b", "-0");
    iffnet_jsonw_number(&m.w, "c", "1.5E+3");
    iffnet_jsonw_number(&m.w, "d", "2e-7");
    iffnet_jsonw_end(&m.w);
    mem_check(&m, IFFNET_OK, "{\"a\":1234.50,\"b\":-0,\"c\":1.5E+3,\"d\":2e-7}\n");
    static const char *const bad[] = {"", "-", "01", "1.", ".5", "+1", "1,5", "1e", "1e+", "nan", "0x1", "1 "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mem_open(&m);
        iffnet_jsonw_array_begin(&m.w, NULL);
        iffnet_jsonw_int(&m.w, NULL, 1);
        iffnet_jsonw_number(&m.w, NULL, bad[i]);
        iffnet_jsonw_int(&m.w, NULL, 2);
        iffnet_jsonw_end(&m.w);
        mem_check(&m, IFFNET_EINVAL, "[1");
        ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "not a JSON number"));
    }
}
END_TEST

/* Runs one misuse after "[" or "{" and expects the writer to stop there. */
static void misuse_case(int object, void (*act)(iffnet_jsonw_t *), const char *msg)
{
    mem_t m;
    mem_open(&m);
    if (object) iffnet_jsonw_object_begin(&m.w, NULL);
    else iffnet_jsonw_array_begin(&m.w, NULL);
    act(&m.w);
    iffnet_jsonw_int(&m.w, object ? "later" : NULL, 1);
    iffnet_jsonw_end(&m.w);
    mem_check(&m, IFFNET_EINVAL, object ? "{" : "[");
    ck_assert_msg(strstr(iffnet_errmsg(), msg), "message '%s' lacks '%s'", iffnet_errmsg(), msg);
}

static void key_in_array(iffnet_jsonw_t *w) { iffnet_jsonw_str(w, "k", "v"); }
static void no_key_in_object(iffnet_jsonw_t *w) { iffnet_jsonw_array_begin(w, NULL); }
static void end_too_often(iffnet_jsonw_t *w)
{
    iffnet_jsonw_end(w);
    iffnet_jsonw_end(w);
}

START_TEST(write_misuse)
{
    mem_t m;
    misuse_case(0, key_in_array, "a member name inside an array");
    misuse_case(1, no_key_in_object, "an object member without a name");
    /* end_too_often closes the array itself, then has nothing to close. */
    mem_open(&m);
    iffnet_jsonw_array_begin(&m.w, NULL);
    end_too_often(&m.w);
    iffnet_jsonw_int(&m.w, NULL, 5);
    mem_check(&m, IFFNET_EINVAL, "[]\n");
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "an end with no object or array open"));
    mem_open(&m);
    iffnet_jsonw_int(&m.w, "top", 1);
    mem_check(&m, IFFNET_EINVAL, "");
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "a member name outside an object"));
    mem_open(&m);
    iffnet_jsonw_object_begin(&m.w, NULL);
    iffnet_jsonw_array_begin(&m.w, "a");
    mem_check(&m, IFFNET_EINVAL, "{\"a\":[");
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "left open"));
}
END_TEST

START_TEST(write_depth_limit)
{
    mem_t m;
    iffnet_json_t *v;
    char *text;
    /* As deep as the reader reads, and no deeper. */
    mem_open(&m);
    for (int i = 0; i < IFFNET_JSON_MAX_DEPTH; i++) iffnet_jsonw_array_begin(&m.w, NULL);
    for (int i = 0; i < IFFNET_JSON_MAX_DEPTH; i++) iffnet_jsonw_end(&m.w);
    text = mem_close(&m, IFFNET_OK);
    ck_assert_uint_eq(strlen(text), 2 * IFFNET_JSON_MAX_DEPTH + 1);
    v = parse_ok(text);
    iffnet_json_free(v);
    free(text);
    mem_open(&m);
    for (int i = 0; i <= IFFNET_JSON_MAX_DEPTH; i++) iffnet_jsonw_array_begin(&m.w, NULL);
    for (int i = 0; i <= IFFNET_JSON_MAX_DEPTH; i++) iffnet_jsonw_end(&m.w);
    text = mem_close(&m, IFFNET_EINVAL);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "nesting deeper"));
    ck_assert_uint_eq(strlen(text), IFFNET_JSON_MAX_DEPTH);
    free(text);
}
END_TEST

START_TEST(write_error_full_device)
{
    iffnet_jsonw_t w;
    FILE *fp = fopen("/dev/full", "w");
    ck_assert_ptr_nonnull(fp);
    /* Unbuffered, so the first write fails rather than a later flush. */
    setvbuf(fp, NULL, _IONBF, 0);
    iffnet_jsonw_init(&w, fp);
    iffnet_jsonw_object_begin(&w, NULL);
    iffnet_jsonw_str(&w, "k", "v");
    iffnet_jsonw_end(&w);
    ck_assert_int_eq(iffnet_jsonw_finish(&w), IFFNET_EIO);
    ck_assert_ptr_nonnull(strstr(iffnet_errmsg(), "write error"));
    fclose(fp);
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
    tcase_add_test(tc, parse_file_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("writer");
    tcase_add_test(tc, write_nesting_and_commas);
    tcase_add_test(tc, write_top_level_lines);
    tcase_add_test(tc, write_escapes);
    tcase_add_test(tc, write_utf8);
    tcase_add_test(tc, write_numbers);
    tcase_add_test(tc, write_misuse);
    tcase_add_test(tc, write_depth_limit);
    tcase_add_test(tc, write_error_full_device);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
