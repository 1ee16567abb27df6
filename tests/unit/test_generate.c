/* test_generate.c: the synthetic case generator. Generates small cases into
 * temporary directories and reads them back with a minimal CSV splitter (the
 * generator's output is the contract being tested, so the test does not use
 * the generator's own code to read it). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "iffnet/iffnet.h"
#include "iffnet/generate.h"
#include "testutil.h"

/* ---- helpers ---------------------------------------------------------------- */

/* dir/name, whole (the caller frees). */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return tu_read_file(path, len);
}

/* A case generated with o into a new directory (removed with the test's temp dir). */
static const char *gen_dir(const iffnet_generate_opts_t *o)
{
    const char *dir = tu_mkdtemp();
    int err = iffnet_generate(o, dir);
    ck_assert_msg(err == IFFNET_OK, "generate failed: %s", iffnet_errmsg());
    return dir;
}

/* A parsed CSV file: rows of fields (RFC 4180 quoting). */
typedef struct {
    char ***rows;
    int *nf;
    int n;
} table_t;

static void table_read(table_t *t, const char *dir, const char *name)
{
    char *s = slurp(dir, name, NULL);
    memset(t, 0, sizeof *t);
    int cap = 1024;
    t->rows = malloc((size_t)cap * sizeof *t->rows);
    t->nf = malloc((size_t)cap * sizeof *t->nf);
    char *p = s;
    while (*p) {
        if (t->n == cap) {
            cap *= 2;
            t->rows = realloc(t->rows, (size_t)cap * sizeof *t->rows);
            t->nf = realloc(t->nf, (size_t)cap * sizeof *t->nf);
        }
        char **f = malloc(32 * sizeof *f);
        int k = 0;
        for (;;) {
            /* A field is never longer than the rest of its line. */
            size_t rest = strcspn(p, "\n") + 1;
            if (*p == '"') /* quoted fields may hold line breaks */
                for (const char *q = p + 1; *q && !(*q == '"' && q[1] != '"'); q += 1 + (*q == '"'))
                    rest = (size_t)(q - p) + 2;
            char *out = malloc(rest + 1), *o = out;
            if (*p == '"') {
                p++;
                while (*p && !(*p == '"' && p[1] != '"')) {
                    if (*p == '"')
                        p++;
                    *o++ = *p++;
                }
                if (*p == '"')
                    p++;
            } else {
                while (*p && *p != ',' && *p != '\n')
                    *o++ = *p++;
            }
            *o = 0;
            ck_assert_int_lt(k, 32);
            f[k++] = out;
            if (*p == ',') {
                p++;
                continue;
            }
            if (*p == '\n')
                p++;
            break;
        }
        t->rows[t->n] = f;
        t->nf[t->n++] = k;
    }
    free(s);
}

static void table_free(table_t *t)
{
    for (int i = 0; i < t->n; i++) {
        for (int j = 0; j < t->nf[i]; j++)
            free(t->rows[i][j]);
        free(t->rows[i]);
    }
    free(t->rows);
    free(t->nf);
}

/* Row index whose first field is `id` (rows are few in these tests). */
static int find(const table_t *t, const char *id)
{
    for (int i = 1; i < t->n; i++)
        if (strcmp(t->rows[i][0], id) == 0)
            return i;
    return -1;
}

static int in_list(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; (p = strstr(p, id)); p += n)
        if ((p == list || p[-1] == ';') && (p[n] == 0 || p[n] == ';'))
            return 1;
    return 0;
}

static iffnet_generate_opts_t small_opts(unsigned long seed)
{
    iffnet_generate_opts_t o;
    iffnet_generate_opts_default(&o);
    o.n_accounts = 1500;
    o.n_transactions = 12000;
    o.days = 120;
    o.seed = seed;
    return o;
}

static const char *const files[] = { "transactions.csv", "entities.csv", "relations.csv",
                                     "answer_key.csv", "scenario.md" };

/* ---- tests --------------------------------------------------------------- */

START_TEST(test_determinism)
{
    iffnet_generate_opts_t o = small_opts(42);
    const char *a = gen_dir(&o), *b = gen_dir(&o);
    o.seed = 43;
    const char *c = gen_dir(&o);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char pa[4096], pb[4096];
        snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
        ck_assert_msg(tu_same_file(pa, pb), "%s differs for the same seed", files[i]);
    }
    char *x = slurp(a, "transactions.csv", NULL), *z = slurp(c, "transactions.csv", NULL);
    ck_assert_msg(strcmp(x, z) != 0, "a different seed gave the same transactions");
    free(x);
    free(z);
}
END_TEST

START_TEST(test_headers_and_counts)
{
    iffnet_generate_opts_t o = small_opts(7);
    const char *dir = gen_dir(&o);
    table_t tx, ent, rel;
    table_read(&tx, dir, "transactions.csv");
    table_read(&ent, dir, "entities.csv");
    table_read(&rel, dir, "relations.csv");
    ck_assert_int_eq(tx.n - 1, o.n_transactions);
    ck_assert_str_eq(tx.rows[0][0], "tx_id");
    ck_assert_str_eq(tx.rows[0][7], "reference");
    ck_assert_str_eq(ent.rows[0][9], "bank");
    ck_assert_str_eq(rel.rows[0][2], "relation");
    int n_accounts = 0, cash = 0;
    for (int i = 1; i < ent.n; i++) {
        ck_assert_int_eq(ent.nf[i], 10);
        n_accounts += strcmp(ent.rows[i][1], "account") == 0;
        cash += strcmp(ent.rows[i][1], "cash") == 0;
        if (strcmp(ent.rows[i][1], "account") == 0)
            ck_assert_msg(find(&ent, ent.rows[i][9]) > 0, "bank %s of %s missing", ent.rows[i][9], ent.rows[i][0]);
    }
    ck_assert_int_eq(n_accounts, o.n_accounts);
    ck_assert_int_eq(cash, 1);
    /* Timestamps ascend, amounts have the currency's decimals, every account
     * in a transaction is an account entity held by someone. */
    int held_checked = 0;
    for (int i = 1; i < tx.n; i++) {
        ck_assert_int_eq(tx.nf[i], 8);
        if (i > 1)
            ck_assert(strcmp(tx.rows[i - 1][1], tx.rows[i][1]) <= 0);
        ck_assert_int_eq((int)strlen(tx.rows[i][1]), 20);
        const char *dot = strchr(tx.rows[i][4], '.');
        int zero_dec = !strcmp(tx.rows[i][5], "VND") || !strcmp(tx.rows[i][5], "XAF") ||
                       !strcmp(tx.rows[i][5], "UGX") || !strcmp(tx.rows[i][5], "LAK");
        ck_assert_msg(zero_dec ? dot == NULL : (dot && strlen(dot) == 3), "amount %s %s", tx.rows[i][4], tx.rows[i][5]);
        if (i % 200 == 1)
            for (int e = 2; e <= 3; e++) {
                const char *acc = tx.rows[i][e];
                int r = find(&ent, acc);
                ck_assert_msg(r > 0, "account %s has no entity", acc);
                ck_assert_str_eq(ent.rows[r][1], strcmp(acc, "CASH") ? "account" : "cash");
                if (strcmp(acc, "CASH") == 0)
                    continue;
                int held = 0;
                for (int j = 1; j < rel.n && !held; j++)
                    held = !strcmp(rel.rows[j][1], acc) && !strcmp(rel.rows[j][2], "holds_account");
                ck_assert_msg(held, "account %s has no holder", acc);
                held_checked++;
            }
    }
    ck_assert_int_gt(held_checked, 50);
    /* Inside the period: 120 days from 2024-01-01 end on 2024-04-29. */
    ck_assert_str_ge(tx.rows[1][1], "2024-01-01T00:00:00Z");
    ck_assert_str_le(tx.rows[tx.n - 1][1], "2024-04-29T23:59:59Z");
    ck_assert_str_ge(tx.rows[tx.n - 1][1], "2024-04-29T00:00:00Z");
    table_free(&tx);
    table_free(&ent);
    table_free(&rel);
}
END_TEST

/* Every typology the generator plants appears in the answer key, and its
 * transactions exist, link the listed accounts (or CASH) and show the
 * typology's defining trait in the data itself. */
START_TEST(test_answer_key)
{
    iffnet_generate_opts_t o = small_opts(3);
    const char *dir = gen_dir(&o);
    table_t key, tx, ent, rel, rates;
    table_read(&key, dir, "answer_key.csv");
    table_read(&tx, dir, "transactions.csv");
    table_read(&ent, dir, "entities.csv");
    table_read(&rel, dir, "relations.csv");
    table_read(&rates, dir, "rates.csv");
    uint32_t seen = 0;
    for (int i = 1; i < key.n; i++) {
        char **k = key.rows[i];
        ck_assert_int_eq(key.nf[i], 8);
        iffnet_typology_t typ;
        ck_assert_msg(iffnet_typology_parse(k[1], &typ) == 0, "unknown typology %s", k[1]);
        seen |= 1u << typ;
        int ntx = 0, cash_in = 0, wires_abroad = 0, under = 0, to_pep = 0;
        double sum = 0;
        char *ids = strdup(k[3]), *save = NULL;
        for (char *id = strtok_r(ids, ";", &save); id; id = strtok_r(NULL, ";", &save)) {
            int r = (int)strtol(id + 1, NULL, 10); /* T000123 is row 123 */
            ck_assert_msg(r >= 1 && r < tx.n && !strcmp(tx.rows[r][0], id), "%s: %s missing", k[0], id);
            char **t = tx.rows[r];
            for (int e = 2; e <= 3; e++)
                ck_assert_msg(!strcmp(t[e], "CASH") || in_list(k[2], t[e]), "%s: %s links unlisted %s", k[0], id, t[e]);
            ck_assert_msg(strcmp(t[1], k[5]) >= 0 && strcmp(t[1], k[6]) <= 0, "%s: %s outside first/last", k[0], id);
            ntx++;
            int rr = find(&rates, t[5]);
            ck_assert_msg(rr > 0, "%s: no rate for %s", k[0], t[5]);
            sum += strtod(t[4], NULL) * strtod(rates.rows[rr][1], NULL);
            if (!strcmp(t[6], "cash_deposit")) {
                cash_in++;
                under += atof(t[4]) < 10000.0;
            }
            int rs = find(&ent, t[2]), rt = find(&ent, t[3]);
            if (!strcmp(t[6], "wire") && rs > 0 && rt > 0 && strcmp(ent.rows[rs][3], ent.rows[rt][3]))
                wires_abroad++;
            if (rt > 0 && typ == IFFNET_TYP_PEP_PAYMENT) {
                /* the target account's holder is flagged PEP */
                for (int j = 1; j < rel.n; j++)
                    if (!strcmp(rel.rows[j][1], t[3]) && !strcmp(rel.rows[j][2], "holds_account")) {
                        int h = find(&ent, rel.rows[j][0]);
                        to_pep += h > 0 && !strcmp(ent.rows[h][8], "yes");
                    }
            }
        }
        free(ids);
        ck_assert_int_gt(ntx, 0);
        /* The amount is the sum in euros at the rates of rates.csv (each
         * transaction rounded to the cent). */
        ck_assert_msg(strtod(k[4], NULL) > 0 && fabs(strtod(k[4], NULL) - sum) <= 0.006 * ntx,
                      "%s: amount %s, transactions sum to %.2f", k[0], k[4], sum);
        switch (typ) {
        case IFFNET_TYP_STRUCTURING:
            ck_assert_int_ge(cash_in, 8);
            ck_assert_int_eq(under, cash_in);
            break;
        case IFFNET_TYP_CASH_TO_WIRE:
            ck_assert_int_ge(cash_in, 2);
            ck_assert_int_ge(wires_abroad, 1);
            break;
        case IFFNET_TYP_PEP_PAYMENT:
            ck_assert_int_eq(to_pep, ntx);
            break;
        case IFFNET_TYP_CORRIDOR:
        case IFFNET_TYP_MULE:
            ck_assert_int_ge(wires_abroad, 1);
            break;
        default:
            break;
        }
    }
    ck_assert_msg(seen == iffnet_generate_plantable(), "typologies planted %#x, expected %#x", seen,
                  iffnet_generate_plantable());
    table_free(&key);
    table_free(&tx);
    table_free(&ent);
    table_free(&rel);
    table_free(&rates);
}
END_TEST

/* Cycles close: within a cycle structure every account pays and is paid. */
START_TEST(test_cycle_closes)
{
    iffnet_generate_opts_t o = small_opts(11);
    o.typologies = 1u << IFFNET_TYP_CYCLE;
    o.n_structures = 4;
    const char *dir = gen_dir(&o);
    table_t key, tx;
    table_read(&key, dir, "answer_key.csv");
    table_read(&tx, dir, "transactions.csv");
    ck_assert_int_eq(key.n, 5);
    for (int i = 1; i < key.n; i++) {
        char *accs = strdup(key.rows[i][2]), *save = NULL;
        for (char *a = strtok_r(accs, ";", &save); a; a = strtok_r(NULL, ";", &save)) {
            int out = 0, in = 0;
            char *ids = strdup(key.rows[i][3]), *s2 = NULL;
            for (char *id = strtok_r(ids, ";", &s2); id; id = strtok_r(NULL, ";", &s2)) {
                char **t = tx.rows[strtol(id + 1, NULL, 10)];
                out += !strcmp(t[2], a);
                in += !strcmp(t[3], a);
            }
            free(ids);
            ck_assert_msg(in == 1 && out == 1, "%s: %s in %d out %d", key.rows[i][0], a, in, out);
        }
        free(accs);
        /* In file (time) order each hop starts where the previous one ended. */
        char *ids = strdup(key.rows[i][3]), *s2 = NULL;
        const char *prev_target = NULL, *prev_time = NULL;
        for (char *id = strtok_r(ids, ";", &s2); id; id = strtok_r(NULL, ";", &s2)) {
            char **t = tx.rows[strtol(id + 1, NULL, 10)];
            if (prev_target) {
                ck_assert_str_eq(t[2], prev_target);
                ck_assert_msg(strcmp(t[1], prev_time) > 0, "%s: hops at the same time", key.rows[i][0]);
            }
            prev_target = t[3];
            prev_time = t[1];
        }
        free(ids);
    }
    table_free(&key);
    table_free(&tx);
}
END_TEST

/* Shell companies share a director (director_of relations). */
START_TEST(test_shell_directors)
{
    iffnet_generate_opts_t o = small_opts(5);
    o.typologies = 1u << IFFNET_TYP_SHELL_NETWORK;
    o.n_structures = 2;
    const char *dir = gen_dir(&o);
    table_t key, rel;
    table_read(&key, dir, "answer_key.csv");
    table_read(&rel, dir, "relations.csv");
    for (int i = 1; i < key.n; i++) {
        /* directors of the holders of the first two listed accounts */
        char dirs[2][64] = { "", "" };
        char *accs = strdup(key.rows[i][2]), *save = NULL;
        int k = 0;
        for (char *a = strtok_r(accs, ";", &save); a && k < 2; a = strtok_r(NULL, ";", &save), k++) {
            const char *holder = NULL;
            for (int j = 1; j < rel.n && !holder; j++)
                if (!strcmp(rel.rows[j][1], a) && !strcmp(rel.rows[j][2], "holds_account"))
                    holder = rel.rows[j][0];
            ck_assert_ptr_nonnull(holder);
            for (int j = 1; j < rel.n; j++)
                if (!strcmp(rel.rows[j][1], holder) && !strcmp(rel.rows[j][2], "director_of"))
                    snprintf(dirs[k], sizeof dirs[k], "%s", rel.rows[j][0]);
        }
        free(accs);
        ck_assert_str_ne(dirs[0], "");
        ck_assert_str_eq(dirs[0], dirs[1]);
    }
    table_free(&key);
    table_free(&rel);
}
END_TEST

/* Options the generator refuses: small_opts(1) with the changes given as
 * "key=value ..." (accounts, transactions, structures, days, currency, scenario,
 * typologies: one typology name). */
static const struct {
    const char *changes, *dir;
    int err;
    const char *msg;    /* NULL: any message */
} bad_options[] = {
    {"accounts=5", "/nonexistent", IFFNET_EINVAL, NULL},
    {"currency=XYZ", "/nonexistent", IFFNET_EINVAL, "XYZ"},
    {"days=0", "/nonexistent", IFFNET_EINVAL, NULL},
    {"scenario=fraud", "/nonexistent", IFFNET_EINVAL, NULL},
    {"typologies=benford", "/nonexistent", IFFNET_EINVAL, NULL},
    /* Too many structures for the population, or for the transactions. */
    {"accounts=50 structures=200", "/nonexistent", IFFNET_ELIMIT, NULL},
    {"transactions=100 structures=15", "/nonexistent", IFFNET_ELIMIT, NULL},
    {"transactions=3 structures=0", "/nonexistent", IFFNET_ELIMIT, NULL},
    /* An output directory that does not exist is an I/O error, with nothing written. */
    {"accounts=100 transactions=2000", "/nonexistent/dir", IFFNET_EIO, NULL},
};

START_TEST(test_bad_options)
{
    static char text[256]; /* the strings o points to */
    iffnet_generate_opts_t o = small_opts(1);
    snprintf(text, sizeof text, "%s", bad_options[_i].changes);
    for (char *save = NULL, *kv = strtok_r(text, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
        char *v = strchr(kv, '=');
        ck_assert_ptr_nonnull(v);
        *v++ = '\0';
        iffnet_typology_t t;
        if (strcmp(kv, "accounts") == 0) o.n_accounts = atoll(v);
        else if (strcmp(kv, "transactions") == 0) o.n_transactions = atoll(v);
        else if (strcmp(kv, "structures") == 0) o.n_structures = atoll(v);
        else if (strcmp(kv, "days") == 0) o.days = atoll(v);
        else if (strcmp(kv, "currency") == 0) o.currency = v;
        else if (strcmp(kv, "scenario") == 0) o.scenario = v;
        else if (strcmp(kv, "typologies") == 0 && iffnet_typology_parse(v, &t) == 0) o.typologies = 1u << t;
        else ck_abort_msg("bad change '%s'", kv);
    }
    CHECK_ERROR(iffnet_generate(&o, bad_options[_i].dir), bad_options[_i].err, bad_options[_i].msg);
}
END_TEST

/* Without --structures the generator plants what fits: a tiny population
 * still gets a case, with fewer structures. */
START_TEST(test_default_fits)
{
    iffnet_generate_opts_t o = small_opts(4);
    o.n_accounts = 20;
    o.n_transactions = 0;
    const char *dir = gen_dir(&o);
    table_t key, tx;
    table_read(&key, dir, "answer_key.csv");
    table_read(&tx, dir, "transactions.csv");
    ck_assert_int_gt(key.n, 1);
    ck_assert_int_lt(key.n, 16);
    ck_assert_int_eq(tx.n - 1, 200);
    table_free(&key);
    table_free(&tx);
}
END_TEST

START_TEST(test_other_currency)
{
    iffnet_generate_opts_t o = small_opts(9);
    o.currency = "USD";
    o.n_accounts = 300;
    o.n_transactions = 3000;
    const char *dir = gen_dir(&o);
    table_t tx;
    table_read(&tx, dir, "transactions.csv");
    int usd = 0;
    for (int i = 1; i < tx.n; i++)
        usd += !strcmp(tx.rows[i][5], "USD");
    ck_assert_int_gt(usd, (tx.n - 1) / 2);
    table_free(&tx);
}
END_TEST

static Suite *generate_suite(void)
{
    Suite *s = suite_create("generate");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_determinism);
    tcase_add_test(tc, test_headers_and_counts);
    tcase_add_test(tc, test_answer_key);
    tcase_add_test(tc, test_cycle_closes);
    tcase_add_test(tc, test_shell_directors);
    tcase_add_loop_test(tc, test_bad_options, 0, (int)(sizeof bad_options / sizeof bad_options[0]));
    tcase_add_test(tc, test_other_currency);
    tcase_add_test(tc, test_default_fits);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_run_suite(generate_suite());
}
