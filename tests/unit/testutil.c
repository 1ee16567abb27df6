/* testutil.c: the shared fixture layer of the unit suites (see testutil.h). */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "iffnet/alert_read.h"
#include "testutil.h"

/* The directory under which each test's own temporary directory is made while
 * tu_run_suite runs; it is removed afterwards, so that tests that fail (Check
 * ends their process without running atexit handlers) or time out leave nothing
 * behind. */
static char root[4096];
static void rmtree(const char *path);

int tu_run_suite(Suite *s)
{
    const char *base = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/iffnet-unit-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(root)) root[0] = '\0';   /* tests then make their directories under $TMPDIR */
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (root[0]) rmtree(root);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* ---- error checks ---- */

void tu_check_error_(int got, int want, const char *pattern, int is_regex, const char *call,
                     const char *file, int line)
{
    const char *msg = iffnet_errmsg();
    ck_assert_msg(got == want, "%s:%d: %s returned %d, want %d (message: '%s')", file, line, call, got, want, msg);
    if (!pattern) {
        ck_assert_msg(msg[0] != '\0', "%s:%d: %s returned %d but left no message", file, line, call, got);
        return;
    }
    if (!is_regex) {
        ck_assert_msg(strstr(msg, pattern) != NULL, "%s:%d: %s: message '%s' lacks '%s'", file, line, call, msg,
                      pattern);
        return;
    }
    regex_t re;
    int rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
    ck_assert_msg(rc == 0, "%s:%d: bad regex /%s/", file, line, pattern);
    rc = regexec(&re, msg, 0, NULL, 0);
    regfree(&re);
    ck_assert_msg(rc == 0, "%s:%d: %s: message '%s' does not match /%s/", file, line, call, msg, pattern);
}

/* ---- files ---- */

/* Strings handed out (paths), freed at exit. */
static char **kept;
static size_t n_kept, cap_kept;
static char tmpdir[4096];
static pid_t tmpdir_owner;

static const char *keep(char *s)
{
    ck_assert_ptr_nonnull(s);
    if (n_kept == cap_kept) {
        cap_kept = cap_kept ? 2 * cap_kept : 64;
        kept = realloc(kept, cap_kept * sizeof *kept);
        ck_assert_ptr_nonnull(kept);
    }
    kept[n_kept++] = s;
    return s;
}

static char *joinf(const char *fmt, const char *a, const char *b)
{
    int n = snprintf(NULL, 0, fmt, a, b);
    char *s = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    snprintf(s, (size_t)n + 1, fmt, a, b);
    return s;
}

/* Runs at exit, outside any test: no ck_assert here. */
static void rmtree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char p[4096];
        struct stat st;
        if (snprintf(p, sizeof p, "%s/%s", path, e->d_name) >= (int)sizeof p) continue;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) rmtree(p);
        else unlink(p);
    }
    closedir(d);
    rmdir(path);
}

static void cleanup(void)
{
    /* A child forked after the directory was made must not remove its parent's. */
    if (tmpdir[0] && getpid() == tmpdir_owner) rmtree(tmpdir);
    for (size_t i = 0; i < n_kept; i++) free(kept[i]);
    free(kept);
    kept = NULL;
    n_kept = cap_kept = 0;
}

const char *tu_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");
        if (root[0]) snprintf(tmpdir, sizeof tmpdir, "%s/test-XXXXXX", root);
        else snprintf(tmpdir, sizeof tmpdir, "%s/iffnet-unit-XXXXXX", base && *base ? base : "/tmp");
        ck_assert_msg(mkdtemp(tmpdir) != NULL, "mkdtemp %s: %s", tmpdir, strerror(errno));
        tmpdir_owner = getpid();
        atexit(cleanup);
    }
    return tmpdir;
}

const char *tu_path(const char *name)
{
    return keep(joinf("%s/%s", tu_tmpdir(), name));
}

const char *tu_mkdir(const char *name)
{
    const char *p = tu_path(name);
    ck_assert_msg(mkdir(p, 0700) == 0, "mkdir %s: %s", p, strerror(errno));
    return p;
}

const char *tu_mkdtemp(void)
{
    char *p = joinf("%s/%sXXXXXX", tu_tmpdir(), "d");
    ck_assert_msg(mkdtemp(p) != NULL, "mkdtemp %s: %s", p, strerror(errno));
    return keep(p);
}

const char *tu_write_n(const char *name, const void *data, size_t len)
{
    const char *p = tu_path(name);
    FILE *fp = fopen(p, "wb");
    ck_assert_msg(fp != NULL, "cannot write %s: %s", p, strerror(errno));
    ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
    return p;
}

const char *tu_write(const char *name, const char *text)
{
    return tu_write_n(name, text, strlen(text));
}

char *tu_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot read %s: %s", path, strerror(errno));
    size_t n = 0, cap = 4096;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    for (size_t k; (k = fread(s + n, 1, cap - n - 1, fp)) > 0; ) {
        n += k;
        if (cap - n - 1 == 0) {
            cap *= 2;
            s = realloc(s, cap);
            ck_assert_ptr_nonnull(s);
        }
    }
    ck_assert_msg(!ferror(fp), "error reading %s", path);
    fclose(fp);
    s[n] = '\0';
    if (len) *len = n;
    return s;
}

int tu_same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = tu_read_file(a, &la), *y = tu_read_file(b, &lb);
    int same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

int tu_count_lines(const char *path)
{
    char *s = tu_read_file(path, NULL);
    int n = tu_count_str(s, "\n");
    free(s);
    return n;
}

int tu_count_str(const char *s, const char *needle)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, needle)) != NULL; p++) n++;
    return n;
}

/* ---- cases ---- */

int tu_ingest_try(iffnet_case_t *c, const char *tx, const char *entities, const char *relations,
                  const char *rates, const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *rep)
{
    iffnet_ingest_opts_t dflt;
    iffnet_ingest_report_t mine;
    if (!o) {
        iffnet_ingest_opts_default(&dflt);
        o = &dflt;
    }
    if (!rep) rep = &mine;
    memset(rep, 0, sizeof *rep);
    int err = iffnet_ingest(c, tx, entities, relations, rates, o, rep);
    if (rep == &mine) iffnet_ingest_report_destroy(&mine);
    return err;
}

void tu_case_from_files(iffnet_case_t *c, const char *tx, const char *entities, const char *relations)
{
    iffnet_ingest_report_t rep;
    int err = tu_ingest_try(c, tx, entities, relations, NULL, NULL, &rep);
    ck_assert_msg(err == IFFNET_OK, "ingest %s: %s%s%s", tx, iffnet_errmsg(), rep.n_kept ? "; first bad row: " : "",
                  rep.n_kept ? rep.errors[0].message : "");
    iffnet_ingest_report_destroy(&rep);
}

void tu_case_from_csv(iffnet_case_t *c, const char *tx, const char *entities, const char *relations)
{
    tu_case_from_files(c, tu_write("tx.csv", tx), entities ? tu_write("entities.csv", entities) : NULL,
                       relations ? tu_write("relations.csv", relations) : NULL);
}

void tu_report_fixture(iffnet_case_t *c, iffnet_alert_list_t *alerts)
{
    tu_case_from_files(c, TU_DATA("report/tx.csv"), TU_DATA("report/entities.csv"), TU_DATA("report/relations.csv"));
    int err = iffnet_alert_read_jsonl(TU_DATA("report/alerts.jsonl"), c, alerts);
    ck_assert_msg(err == IFFNET_OK, "alerts.jsonl: %s", iffnet_errmsg());
}

int64_t tu_account(const iffnet_case_t *c, const char *id)
{
    int64_t a = iffnet_case_find_account((iffnet_case_t *)c, id);
    ck_assert_msg(a >= 0, "no account %s in the case", id);
    return a;
}

/* ---- settings and detectors ---- */

void tu_config_set(iffnet_config_t *cfg, const char *settings)
{
    for (const char *p = settings; p && *p; ) {
        size_t n = strcspn(p, ";");
        char *one = strndup(p, n);
        ck_assert_ptr_nonnull(one);
        int err = iffnet_config_set(cfg, one, "test");
        ck_assert_msg(err == IFFNET_OK, "setting '%s': %s", one, iffnet_errmsg());
        free(one);
        p += n + (p[n] == ';');
    }
}

void tu_config(iffnet_config_t *cfg, const char *settings)
{
    ck_assert_int_eq(iffnet_config_init(cfg), IFFNET_OK);
    tu_config_set(cfg, settings);
}

static int detect_run(const iffnet_case_t *c, const char *list, const char *settings, int all,
                      iffnet_detect_notes_t *notes, iffnet_alert_list_t *out)
{
    iffnet_config_t cfg;
    iffnet_detect_opts_t o;
    iffnet_detect_ctx_t ctx;
    igraph_t g;
    tu_config(&cfg, settings);
    iffnet_detect_opts_default(&o);
    o.all = all;
    ck_assert_msg(iffnet_detect_select(&o, list) == IFFNET_OK, "select '%s': %s", list, iffnet_errmsg());
    ck_assert_msg(iffnet_case_graph(c, &g) == IFFNET_OK, "graph: %s", iffnet_errmsg());
    ck_assert_msg(iffnet_detect_ctx_init(&ctx, c, &g, &cfg, &o, notes) == IFFNET_OK, "context: %s", iffnet_errmsg());
    ck_assert_int_eq(iffnet_alert_list_init(out), IFFNET_OK);
    int err = iffnet_detect_run(&ctx, &o, out);
    igraph_destroy(&g);
    iffnet_config_destroy(&cfg);
    return err;
}

int tu_detect_try(const iffnet_case_t *c, const char *list, const char *settings,
                  iffnet_detect_notes_t *notes, iffnet_alert_list_t *out)
{
    return detect_run(c, list, settings, 0, notes, out);
}

void tu_detect(const iffnet_case_t *c, const char *list, const char *settings,
               iffnet_detect_notes_t *notes, iffnet_alert_list_t *out)
{
    int err = detect_run(c, list, settings, 0, notes, out);
    ck_assert_msg(err == IFFNET_OK, "detect %s [%s]: %s", list, settings ? settings : "", iffnet_errmsg());
}

void tu_detect_all(const iffnet_case_t *c, const char *list, const char *settings,
                   iffnet_detect_notes_t *notes, iffnet_alert_list_t *out)
{
    int err = detect_run(c, list, settings, 1, notes, out);
    ck_assert_msg(err == IFFNET_OK, "detect --all %s [%s]: %s", list, settings ? settings : "", iffnet_errmsg());
}

void tu_run_detector(const iffnet_detect_ctx_t *ctx,
                     int (*detector)(const iffnet_detect_ctx_t *, iffnet_alert_list_t *),
                     iffnet_alert_list_t *out)
{
    int err = detector(ctx, out);
    ck_assert_msg(err == IFFNET_OK, "detector: %s", iffnet_errmsg());
    ck_assert_msg(iffnet_alert_list_finish(out, ctx->c) == IFFNET_OK, "finish: %s", iffnet_errmsg());
}

/* ---- alerts ---- */

int tu_count_typology(const iffnet_alert_list_t *l, iffnet_typology_t t)
{
    int n = 0;
    for (int64_t i = 0; i < l->n; i++) n += l->items[i].typology == t;
    return n;
}

const iffnet_alert_t *tu_first_of(const iffnet_alert_list_t *l, iffnet_typology_t t)
{
    for (int64_t i = 0; i < l->n; i++)
        if (l->items[i].typology == t) return &l->items[i];
    return NULL;
}

int tu_has_account(const iffnet_case_t *c, const iffnet_alert_t *a, const char *id)
{
    for (int64_t i = 0; i < a->n_accounts; i++)
        if (strcmp(iffnet_case_account_id(c, a->accounts[i]), id) == 0) return 1;
    return 0;
}

int64_t tu_alert_with(const iffnet_case_t *c, const iffnet_alert_list_t *l, iffnet_typology_t t, const char *id)
{
    for (int64_t i = 0; i < l->n; i++)
        if (l->items[i].typology == t && tu_has_account(c, &l->items[i], id)) return i;
    return -1;
}

int tu_count_with(const iffnet_case_t *c, const iffnet_alert_list_t *l, iffnet_typology_t t, const char *id)
{
    int64_t a = tu_account(c, id);
    int n = 0;
    for (int64_t i = 0; i < l->n; i++) {
        if (t != IFFNET_TYP_COUNT && l->items[i].typology != t) continue;
        for (int64_t k = 0; k < l->items[i].n_accounts; k++) n += l->items[i].accounts[k] == a;
    }
    return n;
}

int tu_has_reason(const iffnet_alert_t *a, const char *needle)
{
    for (int64_t i = 0; i < a->n_reasons; i++)
        if (strstr(a->reasons[i], needle)) return 1;
    return 0;
}
