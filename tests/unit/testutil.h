/* testutil.h: the fixture layer every unit suite shares (linked into each
 * tests/unit/test_* program).
 *
 * Helpers that can fail call ck_assert and so fail the running test, with the
 * library's message (iffnet_errmsg()) in the report; those named *_try return the
 * error code instead, for tests of the error itself. Paths and texts returned are
 * owned by testutil and stay valid until the test process ends; cases, alert
 * lists and configs filled in are the caller's, released with the library's own
 * _destroy. Files go to one private temporary directory per test process (Check
 * forks one per test), created on first use and removed when the test ends;
 * tu_run_suite removes what failed tests leave. */
#ifndef IFFNET_TESTUTIL_H
#define IFFNET_TESTUTIL_H

#include <check.h>
#include <stddef.h>
#include "iffnet/iffnet.h"
#include "iffnet/detect.h"

/* A file of the source tree's tests/data, as a string literal. */
#define TU_DATA(rel) IFFNET_TEST_SRCDIR "/tests/data/" rel

/* ---- running a suite ---- */

/* Runs every test of s (Check's normal output: "100%: Checks: N, ..."), frees
 * the runner, removes the tests' temporary directories; returns the process
 * exit status (EXIT_FAILURE if a test failed). */
int tu_run_suite(Suite *s);

/* ---- error checks (igraph's CHECK_ERROR) ---- */

/* CHECK_ERROR(call, err, text): `call` returns `err` (an iffnet_err_t, or any int
 * a function uses to say it failed) and iffnet_errmsg() then contains the fixed
 * string `text` (NULL: any message, as long as there is one). The message is
 * cleared before the call, so a message left by an earlier call cannot satisfy
 * the check. */
#define CHECK_ERROR(call, err, text) \
    do { iffnet_errmsg_clear(); \
         tu_check_error_((int)(call), (int)(err), (text), 0, #call, __FILE__, __LINE__); } while (0)
/* CHECK_ERROR_RE(call, err, regex): the same with a POSIX extended regex. */
#define CHECK_ERROR_RE(call, err, regex) \
    do { iffnet_errmsg_clear(); \
         tu_check_error_((int)(call), (int)(err), (regex), 1, #call, __FILE__, __LINE__); } while (0)
void tu_check_error_(int got, int want, const char *pattern, int is_regex, const char *call,
                     const char *file, int line);

/* ---- files ---- */

/* The test process's temporary directory. */
const char *tu_tmpdir(void);
/* tu_tmpdir()/name (name may contain '/'); the file need not exist. */
const char *tu_path(const char *name);
/* A new empty directory tu_tmpdir()/name, returned. */
const char *tu_mkdir(const char *name);
/* A new uniquely named empty directory under tu_tmpdir(). */
const char *tu_mkdtemp(void);
/* Writes text (or len bytes of data) to tu_path(name), replacing it; returns the path. */
const char *tu_write(const char *name, const char *text);
const char *tu_write_n(const char *name, const void *data, size_t len);
/* The whole file at path, NUL-terminated (malloc'd: the caller frees); *len, when
 * not NULL, gets its size. Fails the test if the file cannot be read. */
char *tu_read_file(const char *path, size_t *len);
/* 1 when the two files have the same bytes (both must be readable). */
int tu_same_file(const char *a, const char *b);
/* Number of lines (newline characters) of the file. */
int tu_count_lines(const char *path);
/* Number of (possibly overlapping) occurrences of needle in s. */
int tu_count_str(const char *s, const char *needle);

/* ---- cases ---- */

/* Ingests the files (entities, relations and rates may be NULL) with options o
 * (NULL: iffnet_ingest_opts_default) and returns iffnet_ingest's result; the
 * report goes to rep, or is destroyed when rep is NULL. */
int tu_ingest_try(iffnet_case_t *c, const char *tx, const char *entities, const char *relations,
                  const char *rates, const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *rep);
/* Loads a case from files with the default options; fails the test otherwise. */
void tu_case_from_files(iffnet_case_t *c, const char *tx, const char *entities, const char *relations);
/* Loads a case from CSV texts (entities and relations may be NULL), written to
 * tx.csv, entities.csv and relations.csv in tu_tmpdir() and read by iffnet_ingest,
 * the command's own path. */
void tu_case_from_csv(iffnet_case_t *c, const char *tx, const char *entities, const char *relations);
/* The fixture case of tests/data/report (tx, entities, relations) and its alerts.jsonl. */
void tu_report_fixture(iffnet_case_t *c, iffnet_alert_list_t *alerts);
/* Index of account id in c; fails the test when c has no such account. */
int64_t tu_account(const iffnet_case_t *c, const char *id);

/* ---- settings and detectors ---- */

/* Initialises cfg and applies settings: "key=value" assignments joined by ';'
 * (NULL or "" for none), each of which must be accepted. */
void tu_config(iffnet_config_t *cfg, const char *settings);
/* Adds settings to an initialised cfg. */
void tu_config_set(iffnet_config_t *cfg, const char *settings);
/* Runs the detect driver on c: the typologies of `list` (as --typologies: "fan_in,cycle",
 * "structural"), with settings as tu_config's, default options otherwise. Returns
 * iffnet_detect_run's result; out is initialised and filled (the caller destroys it);
 * notes (NULL: none kept) receives the detectors' notes. Selecting, building the
 * network and the context must succeed. */
int tu_detect_try(const iffnet_case_t *c, const char *list, const char *settings,
                  iffnet_detect_notes_t *notes, iffnet_alert_list_t *out);
/* The same, failing the test unless the run succeeds. */
void tu_detect(const iffnet_case_t *c, const char *list, const char *settings,
               iffnet_detect_notes_t *notes, iffnet_alert_list_t *out);
/* As tu_detect, with the alerts ranked low (E >= 1) kept, as --all does. */
void tu_detect_all(const iffnet_case_t *c, const char *list, const char *settings,
                   iffnet_detect_notes_t *notes, iffnet_alert_list_t *out);
/* Runs one detector function on ctx, appending to out, then finishes out
 * (iffnet_alert_list_finish with ctx->c); both must succeed. */
void tu_run_detector(const iffnet_detect_ctx_t *ctx,
                     int (*detector)(const iffnet_detect_ctx_t *, iffnet_alert_list_t *),
                     iffnet_alert_list_t *out);

/* ---- alerts ---- */

/* Number of alerts of typology t. */
int tu_count_typology(const iffnet_alert_list_t *l, iffnet_typology_t t);
/* The first alert of typology t, or NULL. */
const iffnet_alert_t *tu_first_of(const iffnet_alert_list_t *l, iffnet_typology_t t);
/* Index of the first alert of typology t that holds account id, or -1. */
int64_t tu_alert_with(const iffnet_case_t *c, const iffnet_alert_list_t *l, iffnet_typology_t t,
                      const char *id);
/* Number of alerts of typology t (IFFNET_TYP_COUNT: of any typology) that hold
 * account id (which must exist). */
int tu_count_with(const iffnet_case_t *c, const iffnet_alert_list_t *l, iffnet_typology_t t,
                  const char *id);
/* 1 when alert a holds the account id. */
int tu_has_account(const iffnet_case_t *c, const iffnet_alert_t *a, const char *id);
/* 1 when one of a's reasons contains needle. */
int tu_has_reason(const iffnet_alert_t *a, const char *needle);

#endif
