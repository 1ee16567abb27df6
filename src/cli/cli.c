/* cli.c: shared option parsing, messages and output tables. */
#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "iffnet/json.h"

const char *cli_cmd = "";
int cli_quiet = 0;
int cli_argc = 0;
char **cli_argv = NULL;

const char *cli_datadir(void)
{
    const char *env = getenv("IFFNET_DATADIR");
    if (env && *env) return env;
#ifdef IFFNET_SRCDATADIR
    if (access(IFFNET_DATADIR "/countries.csv", R_OK) != 0) return IFFNET_SRCDATADIR;
#endif
    return IFFNET_DATADIR;
}

iffnet_time_t cli_now(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long v = s && *s ? strtoll(s, &end, 10) : -1;
    return end && *end == '\0' && v >= 0 ? (iffnet_time_t)v : (iffnet_time_t)time(NULL);
}

static void vmessage(const char *fmt, va_list ap)
{
    fprintf(stderr, "iffnet %s: ", cli_cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

void cli_info(const char *fmt, ...)
{
    if (cli_quiet) return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'iffnet %s --help' for more information.\n", cli_cmd);
    return CLI_EXIT_USAGE;
}

int cli_exit_status(int err)
{
    switch (err) {
    case IFFNET_OK: return CLI_EXIT_OK;
    case IFFNET_EINVAL: return CLI_EXIT_USAGE;
    case IFFNET_EINTERNAL: return CLI_EXIT_INTERNAL;
    default: return CLI_EXIT_DATA;
    }
}

int cli_fail(int err)
{
    const char *m = iffnet_errmsg();
    cli_error("%s", *m ? m : iffnet_strerror((iffnet_err_t)err));
    return cli_exit_status(err);
}

int cli_encoding_known(const char *name)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) return 0;
    iconv_close(cd);
    return 1;
}

int cli_parse_int(const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi) {
        cli_usage("option '%s': \"%s\" is not a whole number between %lld and %lld", opt, s, (long long)lo, (long long)hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi) {
        cli_usage("option '%s': \"%s\" is not a number between %g and %g", opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_time(const char *opt, const char *s, iffnet_time_t *out)
{
    if (iffnet_time_parse(s, strlen(s), NULL, out)) {
        cli_usage("option '%s': \"%s\" is not a date or timestamp (e.g. 2024-03-01 or 2024-03-01T12:00:00Z)", opt, s);
        return -1;
    }
    return 0;
}

int cli_parse_duration(const char *opt, const char *s, int64_t *out)
{
    if (iffnet_duration_parse(s, out)) {
        cli_usage("option '%s': \"%s\" is not a duration (e.g. 30d, 12h, 90m, 3600)", opt, s);
        return -1;
    }
    return 0;
}

int cli_parse_money(const char *opt, const char *s, int scale, iffnet_money_t *out)
{
    iffnet_amount_status_t st = iffnet_amount_parse(s, strlen(s), scale, NULL, out);
    if (st != IFFNET_AMOUNT_OK) {
        cli_usage("option '%s': \"%s\" %s", opt, s, iffnet_amount_status_str(st));
        return -1;
    }
    return 0;
}

int cli_parse_format(const char *s, cli_format_t *f)
{
    static const char *const names[] = {"table", "csv", "tsv", "json"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *f = (cli_format_t)i;
            return 0;
        }
    if (strcmp(s, "jsonl") == 0) {
        *f = CLI_FMT_JSON;
        return 0;
    }
    return -1;
}

void cli_common_init(cli_common_t *o)
{
    memset(o, 0, sizeof *o);
    o->output = "-";
    o->seed = 1;
    o->format = CLI_FMT_TABLE;
}

int cli_common_opt(cli_common_t *o, int c, const char *arg)
{
    int64_t v;
    switch (c) {
    case 'o':
        /* Refused at once, before any input is read. */
        if (cli_check_output(arg)) return -1;
        o->output = arg;
        return 1;
    case 'q': o->quiet = 1; cli_quiet = 1; return 1;
    case 'v': o->verbose++; return 1;
    case CLI_OPT_PROGRESS: o->progress = 1; return 1;
    case CLI_OPT_SEED:
        if (cli_parse_int("--seed", arg, 0, INT64_MAX, &v)) return -1;
        o->seed = (unsigned long)v;
        iffnet_init_libraries(o->seed);
        return 1;
    case CLI_OPT_FORMAT:
        if (cli_parse_format(arg, &o->format)) {
            cli_usage("option '--format': \"%s\" is not one of table, csv, tsv, json", arg);
            return -1;
        }
        return 1;
    default: return 0;
    }
}

void cli_common_help(FILE *fp)
{
    fprintf(fp,
            "Common options:\n"
            "  -o, --output FILE   write results to FILE (default: standard output, '-')\n"
            "      --format FMT    table, csv, tsv or json (JSON Lines) (default: table)\n"
            "      --seed N        seed for randomised algorithms (default: 1)\n"
            "  -q, --quiet         no information messages\n"
            "  -v, --verbose       more information messages\n"
            "      --progress      show progress even when stderr is not a terminal\n"
            "  -h, --help          show this help and exit\n");
}

static int progress_shown;

void cli_progress_end(void *common)
{
    (void)common;
    if (progress_shown) fputc('\n', stderr);
    progress_shown = 0;
}

void cli_progress(void *common, const char *what, int64_t done, int64_t total)
{
    cli_common_t *o = common;
    if (o->quiet || (!o->progress && !isatty(2))) return;
    progress_shown = 1;
    if (total > 0)
        fprintf(stderr, "\riffnet %s: %s %5.1f%%", cli_cmd, what, 100.0 * (double)done / (double)total);
    else
        fprintf(stderr, "\riffnet %s: %s %lld MB", cli_cmd, what, (long long)(done >> 20));
    fflush(stderr);
}

char *cli_command_line(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s) return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i) strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

int cli_load_case(const char *path, iffnet_case_t *c)
{
    int err = iffnet_case_load(c, path);
    return err ? cli_fail(err) : 0;
}

/* The file an argument may name: the argument itself, what follows '=' in
 * --opt=FILE, and what follows a short option letter in -oFILE. */
static int names_file(const char *arg, const char *out, int *same)
{
    *same = 0;
    if (strcmp(arg, "-") == 0) {
        struct stat in, o;
        *same = fstat(0, &in) == 0 && stat(out, &o) == 0 && S_ISREG(in.st_mode) && in.st_dev == o.st_dev &&
                in.st_ino == o.st_ino;
        return *same;
    }
    const char *cand[3] = {arg, NULL, NULL};
    if (arg[0] == '-' && arg[1] == '-' && strchr(arg, '=')) cand[1] = strchr(arg, '=') + 1;
    else if (arg[0] == '-' && arg[1] && arg[1] != '-' && arg[2]) cand[1] = arg + 2;
    for (int i = 0; i < 3 && cand[i]; i++)
        if (*cand[i] && iffnet_io_same_file(cand[i], out)) *same = 1;
    return *same;
}

int cli_check_output(const char *path)
{
    if (!path || strcmp(path, "-") == 0) return 0;
    for (int i = 1; i < cli_argc; i++) {
        const char *a = cli_argv[i];
        int same;
        /* The argument the output path came from (-o FILE, --output=FILE). */
        if (path >= a && path <= a + strlen(a)) continue;
        if (names_file(a, path, &same)) {
            cli_error("output '%s' is also an input ('%s'): refusing to overwrite it", path, a);
            return CLI_EXIT_USAGE;
        }
    }
    return 0;
}

int cli_open_output(iffnet_out_t *out, const char *path)
{
    int st = cli_check_output(path);
    if (st) {
        memset(out, 0, sizeof *out);
        return st;
    }
    int err = iffnet_out_open(out, path);
    return err ? cli_fail(err) : 0;
}

int cli_commit_output(iffnet_out_t *out)
{
    int err = iffnet_out_commit(out);
    return err ? cli_fail(err) : 0;
}

/* ---- tables ---- */

struct cli_table {
    FILE *fp;
    cli_format_t fmt;
    int ncols, col;
    char **names;
    /* Text tables are buffered to align columns. */
    char **cells;
    int *numeric;      /* per cell: right-align (and no quotes in JSON) */
    int64_t ncells, cap;
    int failed;
    iffnet_jsonw_t jw;     /* JSON Lines: one object per row */
};

cli_table_t *cli_table_new(FILE *fp, cli_format_t fmt, int ncols, const char *const *names)
{
    cli_table_t *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->fp = fp;
    t->fmt = fmt;
    t->ncols = ncols;
    iffnet_jsonw_init(&t->jw, fp);
    t->names = calloc((size_t)ncols, sizeof *t->names);
    if (!t->names) {
        free(t);
        return NULL;
    }
    for (int i = 0; i < ncols; i++) t->names[i] = strdup(names[i]);
    if (fmt == CLI_FMT_CSV || fmt == CLI_FMT_TSV) {
        char d = fmt == CLI_FMT_CSV ? ',' : '\t';
        for (int i = 0; i < ncols; i++) {
            if (i) putc(d, fp);
            iffnet_csv_write_cell(fp, names[i], d);
        }
        putc('\n', fp);
    }
    return t;
}

static void put_cell(cli_table_t *t, const char *s, int numeric)
{
    switch (t->fmt) {
    case CLI_FMT_CSV:
    case CLI_FMT_TSV: {
        char d = t->fmt == CLI_FMT_CSV ? ',' : '\t';
        if (t->col) putc(d, t->fp);
        if (t->fmt == CLI_FMT_TSV) {
            /* TSV has no quoting: tabs and newlines become spaces; a formula is
             * neutralised as in CSV. */
            if (iffnet_csv_is_formula(s)) putc('\'', t->fp);
            for (const char *p = s; *p; p++) putc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, t->fp);
        } else {
            iffnet_csv_write_cell(t->fp, s, d);
        }
        break;
    }
    case CLI_FMT_JSON:
        if (!t->col) iffnet_jsonw_object_begin(&t->jw, NULL);
        if (numeric && *s) iffnet_jsonw_number(&t->jw, t->names[t->col], s);
        else iffnet_jsonw_str(&t->jw, t->names[t->col], s);
        break;
    case CLI_FMT_TABLE:
        if (t->ncells >= t->cap) {
            int64_t ncap = t->cap ? t->cap * 2 : 256;
            char **c = realloc(t->cells, (size_t)ncap * sizeof *c);
            int *n = c ? realloc(t->numeric, (size_t)ncap * sizeof *n) : NULL;
            if (c) t->cells = c;
            if (!c || !n) {
                t->failed = 1;
                return;
            }
            t->numeric = n;
            t->cap = ncap;
        }
        t->cells[t->ncells] = strdup(s);
        if (!t->cells[t->ncells]) t->failed = 1;
        t->numeric[t->ncells++] = numeric;
        break;
    }
    t->col++;
}

void cli_table_str(cli_table_t *t, const char *s) { put_cell(t, s ? s : "", 0); }

void cli_table_int(cli_table_t *t, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)v);
    put_cell(t, b, 1);
}

void cli_table_double(cli_table_t *t, double v, int decimals)
{
    char b[64];
    if (!isfinite(v)) {
        put_cell(t, "", 0);
        return;
    }
    snprintf(b, sizeof b, "%.*f", decimals, v);
    put_cell(t, b, 1);
}

void cli_table_money(cli_table_t *t, const iffnet_case_t *c, iffnet_money_t v, int32_t currency)
{
    char b[48];
    int scale = currency >= 0 && c->currency_scale ? c->currency_scale[currency] : 2;
    iffnet_amount_format(b, sizeof b, v, scale, 0);
    put_cell(t, b, t->fmt != CLI_FMT_JSON); /* JSON keeps amounts as exact strings */
}

void cli_table_end_row(cli_table_t *t)
{
    if (t->fmt == CLI_FMT_JSON) {
        if (!t->col) iffnet_jsonw_object_begin(&t->jw, NULL);
        iffnet_jsonw_end(&t->jw);
    } else if (t->fmt != CLI_FMT_TABLE) putc('\n', t->fp);
    /* A short row in a text table is padded so columns stay aligned. */
    while (t->fmt == CLI_FMT_TABLE && t->col % t->ncols) put_cell(t, "", 0);
    t->col = 0;
}

/* Display width of UTF-8 text: count code points, not bytes. */
static int text_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) w++;
    return w;
}

static void flush_text_table(cli_table_t *t)
{
    int *width = calloc((size_t)t->ncols, sizeof *width);
    if (!width) {
        t->failed = 1;
        return;
    }
    for (int i = 0; i < t->ncols; i++) width[i] = text_width(t->names[i]);
    for (int64_t k = 0; k < t->ncells; k++) {
        int w = text_width(t->cells[k] ? t->cells[k] : "");
        if (w > width[k % t->ncols]) width[k % t->ncols] = w;
    }
    for (int i = 0; i < t->ncols; i++)
        fprintf(t->fp, "%s%s%*s", i ? "  " : "", t->names[i], i + 1 < t->ncols ? width[i] - text_width(t->names[i]) : 0, "");
    putc('\n', t->fp);
    for (int64_t k = 0; k < t->ncells; k++) {
        int i = (int)(k % t->ncols);
        const char *s = t->cells[k] ? t->cells[k] : "";
        int pad = width[i] - text_width(s);
        if (i) fputs("  ", t->fp);
        if (t->numeric[k]) fprintf(t->fp, "%*s%s", pad, "", s);
        else fprintf(t->fp, "%s%*s", s, i + 1 < t->ncols ? pad : 0, "");
        if (i + 1 == t->ncols) putc('\n', t->fp);
    }
    free(width);
}

int cli_table_free(cli_table_t *t)
{
    if (!t) return -1;
    if (t->col) cli_table_end_row(t);
    if (t->fmt == CLI_FMT_TABLE && !t->failed) flush_text_table(t);
    int failed = t->failed;
    for (int64_t k = 0; k < t->ncells; k++) free(t->cells[k]);
    for (int i = 0; i < t->ncols; i++) free(t->names[i]);
    free(t->cells);
    free(t->numeric);
    free(t->names);
    free(t);
    return failed ? -1 : 0;
}
