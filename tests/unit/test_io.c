/* test_io.c: the hardening of core's input and output: the CSV reader's text
 * checks (NUL bytes, UTF-8, transcoding, record size, bare CR), outputs that
 * never replace what is not a regular file, the spreadsheet-formula rule, and
 * the time bounds. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "iffnet/iffnet.h"
#include "core/core_internal.h"
#include "testutil.h"

/* Reads every record of path (read as encoding); returns the first error. */
static int read_all(const char *path, const char *encoding, int64_t *records)
{
    iffnet_csv_t *r;
    int eof = 0, err = iffnet_csv_open(&r, path, ',');
    if (err) return err;
    err = iffnet_csv_set_encoding(r, encoding);
    *records = 0;
    while (!err) {
        err = iffnet_csv_next(r, &eof);
        if (eof) break;
        if (!err) (*records)++;
    }
    iffnet_csv_close(r);
    return err;
}

static const struct {
    const char *name, *text, *message;
} BAD_TEXT[] = {
    {"nul", "a,b\nx,y\0z\n", "nul:2:4: NUL byte"},
    {"latin1", "a,b\nx,caf\xe9\n", "latin1:2:6: invalid UTF-8 (byte 0xE9)"},
    {"overlong", "a,b\n\xc0\xaf,y\n", "overlong:2:1: invalid UTF-8 (byte 0xC0)"},
    {"surrogate", "a,b\nx,\xed\xa0\x80\n", "surrogate:2:3: invalid UTF-8"},
    {"beyond U+10FFFF", "a,b\n\xf4\x90\x80\x80,y\n", "beyond U+10FFFF:2:1: invalid UTF-8"},
    {"cut at the end", "a,b\nx,\xe2\x82", "cut at the end:2:3: invalid UTF-8"},
    {"cut at a line end", "a,b\nx,\xe2\x82\ny,z\n", "cut at a line end:2:3: invalid UTF-8"},
    {"bare CR", "a,b\rx,y\rz,w\r", "bare CR:1: the lines end in a bare CR"},
};

START_TEST(csv_bad_text)
{
    int64_t n;
    const char *p = tu_write_n(BAD_TEXT[_i].name, BAD_TEXT[_i].text, strlen(BAD_TEXT[_i].text) + (_i == 0 ? 3 : 0));
    CHECK_ERROR(read_all(p, NULL, &n), IFFNET_EDATA, BAD_TEXT[_i].message);
}
END_TEST

/* Every record of the bytes as "line:field|field|...\n", then the error that
 * ended them; lines without quotes split by the reader itself (plain) or all
 * by libcsv. */
static char *dump_records(const char *text, size_t len, char delim, int plain)
{
    iffnet_csv_t *r;
    char *out = NULL;
    size_t cap = 0;
    FILE *fp = open_memstream(&out, &cap);
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(iffnet_csv_open_mem(&r, "dump.csv", text, len, delim), IFFNET_OK);
    iffnet_i_csv_set_plain(r, plain);
    int eof = 0, err;
    while (!(err = iffnet_csv_next(r, &eof)) && !eof) {
        fprintf(fp, "%lld:", (long long)iffnet_csv_line(r));
        for (int64_t i = 0; i < iffnet_csv_nfields(r); i++) {
            size_t n;
            const char *f = iffnet_csv_field(r, i, &n);
            fprintf(fp, "%s[%zu]%s", i ? "|" : "", n, f);
        }
        fputc('\n', fp);
    }
    fprintf(fp, "end %d %s\n", err, err ? iffnet_errmsg() : "");
    iffnet_csv_close(r);
    ck_assert_int_eq(fclose(fp), 0);
    return out;
}

static const struct {
    const char *text;
    char delim;
    const char *want;   /* the records, for the first few (NULL: only plain == libcsv) */
    size_t len;         /* 0: strlen(text) */
} SPLITS[] = {
    {"a,b,c\n1,2,3\n", ',', "1:[1]a|[1]b|[1]c\n2:[1]1|[1]2|[1]3\nend 0 \n", 0},
    {"  a , b \t,\n", ',', "1:[1]a|[1]b|[0]\nend 0 \n", 0},
    {"x,y\r\nz,w\r\n", ',', "1:[1]x|[1]y\n2:[1]z|[1]w\nend 0 \n", 0},
    {",\n,,\n", ',', "1:[0]|[0]\n2:[0]|[0]|[0]\nend 0 \n", 0},
    {"\n\n  \n a,b\n\n", ',', "4:[1]a|[1]b\nend 0 \n", 0},
    {"a\tb\n\t a \t\n", '\t', "1:[1]a|[1]b\n2:[0]|[1]a|[0]\nend 0 \n", 0},
    {"a b\t c\n", ' ', NULL, 0},
    {"a ; b;;\n", ';', NULL, 0},
    {"a,\"b\nc\",d\ne,f\n", ',', NULL, 0},
    {"h\nx,\"y\"\"z\", w \n", ',', NULL, 0},
    {"a, \"b\" ,c\n", ',', NULL, 0},
    {"a,b\"c\nd,e\n", ',', NULL, 0},
    {"a,b\r\r\nc\n", ',', NULL, 0},
    {"a,b\rc,d\n", ',', NULL, 0},
    {"a,b\nc,d", ',', NULL, 0},
    {"a", ',', NULL, 0},
    {"a,b\nx,\0\ny\n", ',', NULL, 10},
    {"a,\"unclosed\nb,c\n", ',', NULL, 0},
    {"\xEF\xBB\xBF id , name \r\n1,caf\xc3\xa9 \r\n", ',', NULL, 0},
    /* A CR ends a record inside the line and a quote opens the next one, which
     * runs on over the following lines (found by fuzz_ingest). */
    {"h,i\na,b\r\"c\rd\ne,f\ng\",h\nk,l\n", ',', NULL, 0},
    {"h,i\na,b\r\"c\n", ',', NULL, 0},
    {"h,i\n\"a\r\",b\nc,d\n", ',', NULL, 0},
    /* Quotes and CRs found eight bytes at a time, after fields of the line
     * were split: the line is libcsv's all the same. */
    {"h,i,j\nabcdefgh,ijklmnop,\"q\"\nabcdefghij,kl\rmn,o\n  abcdefgh  ,  ijklmnopq  ,r\n", ',',
     "1:[1]h|[1]i|[1]j\n2:[8]abcdefgh|[8]ijklmnop|[1]q\nend 3 dump.csv:3: the lines end in a bare CR (an old Mac "
     "export?): convert them to LF first, e.g. with tr '\\r' '\\n'\n", 0},
    {"h,i,j\nabcdefgh,ijklmnop,\"q\"\n  abcdefgh  ,  ijklmnopq  ,r\n", ',',
     "1:[1]h|[1]i|[1]j\n2:[8]abcdefgh|[8]ijklmnop|[1]q\n3:[8]abcdefgh|[9]ijklmnopq|[1]r\nend 0 \n", 0},
};

START_TEST(csv_plain_lines_split_as_libcsv)
{
    const char *t = SPLITS[_i].text;
    size_t len = SPLITS[_i].len ? SPLITS[_i].len : strlen(t);
    char *plain = dump_records(t, len, SPLITS[_i].delim, 1), *lib = dump_records(t, len, SPLITS[_i].delim, 0);
    ck_assert_str_eq(plain, lib);
    if (SPLITS[_i].want) ck_assert_str_eq(plain, SPLITS[_i].want);
    free(plain);
    free(lib);
}
END_TEST

START_TEST(csv_good_text)
{
    int64_t n;
    /* Every length of UTF-8 sequence, a BOM, CRLF ends and a quoted line break. */
    const char *p = tu_write("good.csv", "\xEF\xBB\xBF" "a,b\r\n\xc3\xa9,\xe2\x82\xac\r\n\"x\ny\",\xf0\x9f\x90\x98\n");
    ck_assert_int_eq(read_all(p, NULL, &n), IFFNET_OK);
    ck_assert_int_eq(n, 3);
}
END_TEST

/* A character that straddles two reads of 1 MiB is still one character; the
 * same text in Latin-1 read with an encoding transcodes across the boundary. */
START_TEST(csv_utf8_across_chunks)
{
    size_t big = (1 << 20) + 4096;
    char *u = malloc(big + 16), *l = malloc(big + 16);
    ck_assert_ptr_nonnull(u);
    ck_assert_ptr_nonnull(l);
    size_t nu = 0, nl = 0;
    nu += (size_t)sprintf(u, "a,b\n");
    nl += (size_t)sprintf(l, "a,b\n");
    while (nu < big) {
        /* Lines of "x...x,é\n" placed so that one é begins at the last byte of the first read. */
        size_t want = (1 << 20) - 1 - nu;
        size_t fill = nu < (1 << 20) && want > 4 && want < 120 ? want - 1 : 60;
        memset(u + nu, 'x', fill);
        memset(l + nl, 'x', fill);
        nu += fill;
        nl += fill;
        u[nu++] = ',';
        l[nl++] = ',';
        u[nu++] = (char)0xC3;
        u[nu++] = (char)0xA9;
        l[nl++] = (char)0xE9;
        u[nu++] = '\n';
        l[nl++] = '\n';
    }
    int64_t n1, n2;
    ck_assert_int_eq(read_all(tu_write_n("u.csv", u, nu), NULL, &n1), IFFNET_OK);
    CHECK_ERROR(read_all(tu_write_n("l.csv", l, nl), NULL, &n2), IFFNET_EDATA, "invalid UTF-8");
    ck_assert_int_eq(read_all(tu_path("l.csv"), "ISO-8859-1", &n2), IFFNET_OK);
    ck_assert_int_eq(n1, n2);
    free(u);
    free(l);
}
END_TEST

START_TEST(csv_record_limit)
{
    size_t n = (17u << 20);
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    memset(s, 'x', n);
    int64_t k;
    CHECK_ERROR(read_all(tu_write_n("endless.csv", s, n), NULL, &k), IFFNET_ELIMIT, "endless.csv:1: a record larger than 16 MiB");
    free(s);
}
END_TEST

START_TEST(csv_unknown_encoding)
{
    int64_t n;
    CHECK_ERROR(read_all(tu_write("e.csv", "a\n1\n"), "NO-SUCH-CHARSET", &n), IFFNET_EINVAL, "unknown encoding");
}
END_TEST

/* ---- outputs ---- */

static void write_through(const char *path, const char *text)
{
    iffnet_out_t o;
    ck_assert_msg(iffnet_out_open(&o, path) == IFFNET_OK, "%s", iffnet_errmsg());
    fputs(text, o.fp);
    ck_assert_msg(iffnet_out_commit(&o) == IFFNET_OK, "%s", iffnet_errmsg());
}

START_TEST(out_follows_symlink)
{
    const char *target = tu_write("target.txt", "old\n"), *link = tu_path("link.txt");
    ck_assert_int_eq(symlink("target.txt", link), 0);
    write_through(link, "new\n");
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    char *got = tu_read_file(target, NULL);
    ck_assert_str_eq(got, "new\n");
    free(got);
}
END_TEST

START_TEST(out_refuses)
{
    iffnet_out_t o;
    const char *dangling = tu_path("dangling");
    ck_assert_int_eq(symlink("nowhere", dangling), 0);
    CHECK_ERROR(iffnet_out_open(&o, dangling), IFFNET_EINVAL, "symbolic link to a file that does not exist");
    CHECK_ERROR(iffnet_out_open(&o, tu_mkdir("adir")), IFFNET_EINVAL, "is a directory");
}
END_TEST

START_TEST(out_streams_into_fifo)
{
    const char *fifo = tu_path("fifo");
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    /* A reader that holds the FIFO open, so the writer neither blocks nor fails. */
    int rd = open(fifo, O_RDONLY | O_NONBLOCK);
    ck_assert_int_ge(rd, 0);
    write_through(fifo, "through\n");
    char buf[32] = {0};
    ck_assert_int_eq(read(rd, buf, sizeof buf - 1), 8);
    ck_assert_str_eq(buf, "through\n");
    close(rd);
    struct stat st;
    ck_assert_int_eq(lstat(fifo, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
}
END_TEST

START_TEST(out_removes_stale)
{
    const char *stale = tu_write("case.iffn.tmpAbC123", "left by a killed run");
    const char *other = tu_write("case.iffn.tmp-not-ours", "keep");
    write_through(tu_path("case.iffn"), "x");
    ck_assert_int_ne(access(stale, F_OK), 0);
    ck_assert_int_eq(access(other, F_OK), 0);
}
END_TEST

START_TEST(out_abort_leaves_target)
{
    const char *t = tu_write("keep.txt", "old\n");
    iffnet_out_t o;
    ck_assert_int_eq(iffnet_out_open(&o, t), IFFNET_OK);
    fputs("half", o.fp);
    iffnet_out_abort(&o);
    char *got = tu_read_file(t, NULL);
    ck_assert_str_eq(got, "old\n");
    free(got);
    ck_assert_int_eq(iffnet_io_same_file(t, t), 1);
    ck_assert_int_eq(iffnet_io_same_file(t, tu_path("absent")), 0);
}
END_TEST

/* ---- spreadsheet formulas ---- */

static const struct {
    const char *cell;
    int formula;
} FORMULAS[] = {
    {"=HYPERLINK(\"http://x\")", 1}, {"+cmd", 1}, {"-2+3", 1}, {"@SUM(A1)", 1}, {"\tx", 1},
    {"\rx", 1}, {"+31 20 555", 1}, {"-", 1}, {"+", 1}, {"-1.", 1}, {"-12.50", 0}, {"+3", 0},
    {"-0", 0}, {"12", 0}, {"", 0}, {"a=b", 0}, {"'=x", 0}, {"INVOICE 1", 0},
};

START_TEST(csv_formulas)
{
    ck_assert_msg(iffnet_csv_is_formula(FORMULAS[_i].cell) == FORMULAS[_i].formula, "\"%s\"", FORMULAS[_i].cell);
}
END_TEST

START_TEST(csv_cell_written)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(fp);
    iffnet_csv_write_cell(fp, "=HYPERLINK(\"x\")", ',');
    fputc(',', fp);
    iffnet_csv_write_cell(fp, "-5.00", ',');
    fputc(',', fp);
    iffnet_csv_write_field(fp, "=raw", ',');
    fclose(fp);
    ck_assert_str_eq(text, "\"'=HYPERLINK(\"\"x\"\")\",-5.00,=raw");
    free(text);
}
END_TEST

/* ---- time bounds ---- */

START_TEST(time_bounds)
{
    iffnet_time_t t;
    int64_t d;
    iffnet_time_syntax_t steps = {1, IFFNET_TIME_MAX - 10, 86400};
    ck_assert_int_eq(iffnet_time_parse("9999-12-31T23:59:59Z", 20, NULL, &t), 0);
    ck_assert_int_eq(t, IFFNET_TIME_MAX);
    ck_assert_int_eq(iffnet_time_parse("0000-01-01", 10, NULL, &t), 0);
    ck_assert_int_eq(t, IFFNET_TIME_MIN);
    ck_assert_int_eq(iffnet_time_parse("0000-01-01T00:00:00+01:00", 25, NULL, &t), -1);
    ck_assert_int_eq(iffnet_time_parse("9223372036854775807", 19, NULL, &t), -1);
    ck_assert_int_eq(iffnet_time_parse("1", 1, &steps, &t), -1);       /* past 9999 */
    ck_assert_int_eq(iffnet_time_parse("0", 1, &steps, &t), 0);
    ck_assert_int_eq(iffnet_duration_parse("99999999999999w", &d), -1);
    ck_assert_int_eq(iffnet_duration_parse("3650000d", &d), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("io");
    TCase *tc = tcase_create("csv");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, csv_bad_text, 0, (int)(sizeof BAD_TEXT / sizeof BAD_TEXT[0]));
    tcase_add_test(tc, csv_good_text);
    tcase_add_loop_test(tc, csv_plain_lines_split_as_libcsv, 0, (int)(sizeof SPLITS / sizeof SPLITS[0]));
    tcase_add_test(tc, csv_utf8_across_chunks);
    tcase_add_test(tc, csv_record_limit);
    tcase_add_test(tc, csv_unknown_encoding);
    tcase_add_loop_test(tc, csv_formulas, 0, (int)(sizeof FORMULAS / sizeof FORMULAS[0]));
    tcase_add_test(tc, csv_cell_written);
    suite_add_tcase(s, tc);
    tc = tcase_create("out");
    tcase_add_test(tc, out_follows_symlink);
    tcase_add_test(tc, out_refuses);
    tcase_add_test(tc, out_streams_into_fifo);
    tcase_add_test(tc, out_removes_stale);
    tcase_add_test(tc, out_abort_leaves_target);
    tcase_add_test(tc, time_bounds);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
