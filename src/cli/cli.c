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

char *cli_data_file(const char *name)
{
    const char *dir = cli_datadir();
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
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
            static const char *const valid[] = {"table", "csv", "tsv", "json", NULL};
            cli_bad_value("--format", arg, valid);
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

/* What a buffered or streamed cell is, for JSON and for alignment. */
enum { CELL_TEXT = 0, CELL_NUMBER, CELL_LIST, CELL_NULL };

struct cli_table {
    FILE *fp;
    cli_format_t fmt;
    int ncols, col;
    char **names;
    int has_currency_col;  /* a "currency" column: no extra member in JSON rows */
    const char *row_currency; /* code of the row's last amount (JSON) */
    /* Text tables are buffered to align columns. */
    char **cells;
    int *kind;             /* per cell: CELL_* (numbers right-aligned) */
    int64_t ncells, cap;
    int failed;
    iffnet_jsonw_t jw;     /* JSON Lines: one object per row */
    int flushed;           /* text table already written (cli_table_flush) */
    iffnet_out_t out;      /* cli_table_open(): the output it owns */
    int owns_out;
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
    for (int i = 0; i < ncols; i++) {
        t->names[i] = strdup(names[i]);
        if (!t->names[i]) t->failed = 1;
        if (strcmp(names[i], "currency") == 0) t->has_currency_col = 1;
    }
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

cli_table_t *cli_table_open(const char *path, cli_format_t fmt, int ncols, const char *const *names,
                            int *status)
{
    iffnet_out_t out;
    cli_table_t *t;
    if ((*status = cli_open_output(&out, path))) return NULL;
    if (!(t = cli_table_new(out.fp, fmt, ncols, names))) {
        iffnet_out_abort(&out);
        cli_error("out of memory");
        *status = CLI_EXIT_DATA;
        return NULL;
    }
    t->out = out;
    t->owns_out = 1;
    return t;
}

FILE *cli_table_fp(const cli_table_t *t) { return t->fp; }

static int buffer_cell(cli_table_t *t, const char *s, int kind)
{
    if (t->ncells >= t->cap) {
        int64_t ncap = t->cap ? t->cap * 2 : 256;
        char **c = realloc(t->cells, (size_t)ncap * sizeof *c);
        int *k = c ? realloc(t->kind, (size_t)ncap * sizeof *k) : NULL;
        if (c) t->cells = c;
        if (!c || !k) return t->failed = 1, -1;
        t->kind = k;
        t->cap = ncap;
    }
    t->cells[t->ncells] = strdup(s);
    if (!t->cells[t->ncells]) t->failed = 1;
    t->kind[t->ncells++] = kind;
    return 0;
}

/* TSV has no quoting: tabs and newlines become spaces; a formula is neutralised
 * by the rule of CSV cells (iffnet_csv_is_formula: numbers the program wrote,
 * plain signed decimals, stay as they are). */
static void tsv_cell(FILE *fp, const char *s)
{
    if (iffnet_csv_is_formula(s)) putc('\'', fp);
    for (const char *p = s; *p; p++) putc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, fp);
}

static void put_cell(cli_table_t *t, const char *s, int kind)
{
    switch (t->fmt) {
    case CLI_FMT_CSV:
    case CLI_FMT_TSV: {
        char d = t->fmt == CLI_FMT_CSV ? ',' : '\t';
        if (t->col) putc(d, t->fp);
        if (t->fmt == CLI_FMT_TSV) tsv_cell(t->fp, s);
        else iffnet_csv_write_cell(t->fp, s, d);
        break;
    }
    case CLI_FMT_JSON:
        if (!t->col) iffnet_jsonw_object_begin(&t->jw, NULL);
        if (t->col >= t->ncols) break; /* more cells than columns: a caller's bug, not JSON's */
        if (kind == CELL_NULL) iffnet_jsonw_null(&t->jw, t->names[t->col]);
        else if (kind == CELL_NUMBER && *s) iffnet_jsonw_number(&t->jw, t->names[t->col], s);
        else iffnet_jsonw_str(&t->jw, t->names[t->col], s);
        break;
    case CLI_FMT_TABLE:
        buffer_cell(t, s, kind);
        break;
    }
    t->col++;
}

void cli_table_str(cli_table_t *t, const char *s) { put_cell(t, s ? s : "", CELL_TEXT); }

void cli_table_null(cli_table_t *t) { put_cell(t, "", CELL_NULL); }

void cli_table_int(cli_table_t *t, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)v);
    put_cell(t, b, CELL_NUMBER);
}

void cli_table_double(cli_table_t *t, double v, int decimals)
{
    char b[64];
    if (!isfinite(v)) {
        put_cell(t, "", CELL_NULL);
        return;
    }
    if (decimals < 0) snprintf(b, sizeof b, "%.*g", -decimals, v);   /* significant digits */
    else snprintf(b, sizeof b, "%.*f", decimals, v);
    put_cell(t, b, CELL_NUMBER);
}

void cli_table_money(cli_table_t *t, const iffnet_case_t *c, iffnet_money_t v, int32_t currency)
{
    char b[48];
    int scale = currency >= 0 && c->currency_scale ? c->currency_scale[currency] : 2;
    iffnet_amount_format(b, sizeof b, v, scale, 0);
    if (currency >= 0 && currency < c->currencies.n) t->row_currency = iffnet_case_currency(c, currency);
    put_cell(t, b, CELL_NUMBER);
}

/* A flag: true/false in JSON, CSV and TSV, yes/no in a text table. */
void cli_table_bool(cli_table_t *t, int v)
{
    if (t->fmt != CLI_FMT_JSON) {
        put_cell(t, t->fmt == CLI_FMT_TABLE ? (v ? "yes" : "no") : (v ? "true" : "false"), CELL_TEXT);
        return;
    }
    if (!t->col) iffnet_jsonw_object_begin(&t->jw, NULL);
    iffnet_jsonw_bool(&t->jw, t->names[t->col], v);
    t->col++;
}

void cli_table_list(cli_table_t *t, int64_t n, const char *const *items)
{
    size_t len = 1;
    char *s, *p;
    if (t->fmt == CLI_FMT_JSON) {
        if (!t->col) iffnet_jsonw_object_begin(&t->jw, NULL);
        if (t->col < t->ncols) {
            iffnet_jsonw_array_begin(&t->jw, t->names[t->col]);
            for (int64_t i = 0; i < n; i++) iffnet_jsonw_str(&t->jw, NULL, items[i] ? items[i] : "");
            iffnet_jsonw_end(&t->jw);
        }
        t->col++;
        return;
    }
    /* ';' joins a list in CSV and TSV (iffnet-formats(5)); people read "; " better */
    const char *sep = t->fmt == CLI_FMT_TABLE ? "; " : ";";
    for (int64_t i = 0; i < n; i++) len += strlen(items[i] ? items[i] : "") + 2;
    if (!(s = malloc(len))) {
        t->failed = 1;
        put_cell(t, "", CELL_TEXT);
        return;
    }
    p = s;
    *p = '\0';
    for (int64_t i = 0; i < n; i++) p += sprintf(p, "%s%s", i ? sep : "", items[i] ? items[i] : "");
    put_cell(t, s, CELL_LIST);
    free(s);
}

void cli_table_end_row(cli_table_t *t)
{
    if (t->fmt == CLI_FMT_JSON) {
        if (!t->col) iffnet_jsonw_object_begin(&t->jw, NULL);
        if (t->row_currency && !t->has_currency_col) iffnet_jsonw_str(&t->jw, "currency", t->row_currency);
        iffnet_jsonw_end(&t->jw);
    } else if (t->fmt != CLI_FMT_TABLE) putc('\n', t->fp);
    /* A short row in a text table is padded so columns stay aligned. */
    while (t->fmt == CLI_FMT_TABLE && t->col % t->ncols) put_cell(t, "", CELL_TEXT);
    t->col = 0;
    t->row_currency = NULL;
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
        if (t->kind[k] == CELL_NUMBER) fprintf(t->fp, "%*s%s", pad, "", s);
        else fprintf(t->fp, "%s%*s", s, i + 1 < t->ncols ? pad : 0, "");
        if (i + 1 == t->ncols) putc('\n', t->fp);
    }
    free(width);
}

void cli_table_flush(cli_table_t *t)
{
    if (t->col) cli_table_end_row(t);
    if (t->fmt == CLI_FMT_TABLE && !t->failed && !t->flushed) flush_text_table(t);
    t->flushed = 1;
}

int cli_table_free(cli_table_t *t)
{
    if (!t) return -1;
    if (t->col) cli_table_end_row(t);
    if (t->fmt == CLI_FMT_TABLE && !t->failed && !t->flushed) flush_text_table(t);
    if (t->fmt == CLI_FMT_JSON && iffnet_jsonw_finish(&t->jw) == IFFNET_EINVAL) t->failed = 1;
    int failed = t->failed;
    for (int64_t k = 0; k < t->ncells; k++) free(t->cells[k]);
    for (int i = 0; i < t->ncols; i++) free(t->names[i]);
    free(t->cells);
    free(t->kind);
    free(t->names);
    free(t);
    return failed ? -1 : 0;
}

int cli_table_commit(cli_table_t *t)
{
    iffnet_out_t out;
    int owns;
    if (!t) return CLI_EXIT_DATA;
    out = t->out;
    owns = t->owns_out;
    if (cli_table_free(t)) {
        if (owns) iffnet_out_abort(&out);
        cli_error("out of memory writing a table");
        return CLI_EXIT_DATA;
    }
    return owns ? cli_commit_output(&out) : 0;
}

void cli_table_abort(cli_table_t *t)
{
    iffnet_out_t out;
    int owns;
    if (!t) return;
    out = t->out;
    owns = t->owns_out;
    cli_table_free(t);
    if (owns) iffnet_out_abort(&out);
}

/* ---- usage errors that help ---- */

/* Levenshtein distance, bounded inputs (option names and values). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[65], cur[65];
    if (la > 64 || lb > 64) return (size_t)-1;
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

const char *cli_closest(const char *s, const char *const *valid)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, n = strlen(s);
    for (size_t i = 0; valid && valid[i]; i++) {
        size_t d = edit_distance(s, valid[i]);
        /* A prefix of a valid name ("page" for "pagerank") counts as close. */
        if (n >= 3 && strncmp(s, valid[i], n) == 0) d = 1;
        if (d < best_d) {
            best_d = d;
            best = valid[i];
        }
    }
    size_t limit = n / 3 > 1 ? n / 3 : 1;
    return best && best_d <= limit ? best : NULL;
}

int cli_bad_option(int argc, char **argv, const struct option *longopts)
{
    const char *bad = optind > 0 && optind <= argc ? argv[optind - 1] : NULL;
    const char *names[256];
    char name[128];
    size_t n = 0;
    if (bad && bad[0] == '-' && bad[1] == '-' && bad[2]) {
        snprintf(name, sizeof name, "%s", bad + 2);
        char *eq = strchr(name, '=');
        if (eq) *eq = '\0';
        for (size_t i = 0; longopts && longopts[i].name && n + 1 < sizeof names / sizeof names[0]; i++)
            names[n++] = longopts[i].name;
        names[n] = NULL;
        const char *near = strcmp(name, "help") ? cli_closest(name, names) : NULL;
        if (near && strcmp(near, name)) cli_error("did you mean '--%s'?", near);
    }
    fprintf(stderr, "Try 'iffnet %s --help' for more information.\n", cli_cmd);
    return CLI_EXIT_USAGE;
}

int cli_bad_value(const char *opt, const char *value, const char *const *valid)
{
    char list[1024];
    size_t len = 0;
    list[0] = '\0';
    for (size_t i = 0; valid[i] && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", valid[i]);
    const char *near = cli_closest(value, valid);
    if (near)
        return cli_usage("option '%s': '%s' is not one of %s; did you mean '%s %s'?", opt, value, list, opt, near);
    return cli_usage("option '%s': '%s' is not one of %s", opt, value, list);
}

void cli_deprecated(const char *old, const char *instead)
{
    cli_info("warning: %s is deprecated; use %s", old, instead);
}
