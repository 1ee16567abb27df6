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
                                     "answer_key.csv", "lookalikes.csv", "scenario.md" };

/* Columns of answer_key.csv and lookalikes.csv. */
enum { K_ID, K_TYP, K_ACC, K_TX, K_AMOUNT, K_FIRST, K_LAST, K_DESC, K_SCHED, K_GAP, K_AMOUNTS, K_KIND };

/* Row of transaction id T000123 (row 123), checked. */
static char **tx_row(const table_t *tx, const char *id)
{
    int r = (int)strtol(id + 1, NULL, 10);
    ck_assert_msg(r >= 1 && r < tx->n && !strcmp(tx->rows[r][0], id), "%s missing", id);
    return tx->rows[r];
}

/* A transaction's amount in the case currency at the rates of rates.csv. */
static double case_value(const table_t *rates, char **t)
{
    int rr = find(rates, t[5]);
    ck_assert_msg(rr > 0, "no rate for %s", t[5]);
    return strtod(t[4], NULL) * strtod(rates->rows[rr][1], NULL);
}

/* Seconds since the epoch of "2024-01-05T13:11:55Z". */
static double seconds(const char *ts)
{
    iffnet_time_t t = 0;
    iffnet_time_syntax_t syn = IFFNET_TIME_SYNTAX_DEFAULT;
    ck_assert_msg(iffnet_time_parse(ts, strlen(ts), &syn, &t) == 0, "bad time %s", ts);
    return (double)t;
}

/* The ids of a ';' list, in a NULL-terminated array (free the array and [0]). */
static char **split(const char *list, int *n)
{
    char *copy = strdup(list), *save = NULL;
    char **v = calloc(strlen(list) / 2 + 2, sizeof *v);
    *n = 0;
    for (char *id = strtok_r(copy, ";", &save); id; id = strtok_r(NULL, ";", &save))
        v[(*n)++] = id;
    if (*n == 0)
        free(copy);
    return v;
}

static void split_free(char **v, int n)
{
    if (n)
        free(v[0]);
    free(v);
}

/* The key file `name` of dir is exact: every listed transaction exists, links
 * two listed accounts (or one and CASH) and lies within first/last; every
 * listed account takes part in a listed transaction; amount is their sum at
 * the rates of rates.csv. Returns the number of rows. */
static int check_key_exact(const char *dir, const char *name, const table_t *tx, const table_t *rates)
{
    table_t key;
    table_read(&key, dir, name);
    ck_assert_int_eq(key.nf[0], !strcmp(name, "lookalikes.csv") ? 12 : 11);
    for (int i = 1; i < key.n; i++) {
        char **k = key.rows[i];
        ck_assert_int_eq(key.nf[i], key.nf[0]);
        iffnet_typology_t typ;
        ck_assert_msg(iffnet_typology_parse(k[K_TYP], &typ) == 0, "unknown typology %s", k[K_TYP]);
        int nt, na;
        char **ids = split(k[K_TX], &nt), **acc = split(k[K_ACC], &na);
        int *touched = calloc((size_t)na + 1, sizeof *touched);
        double sum = 0;
        ck_assert_msg(nt > 0, "%s %s: no transactions", name, k[K_ID]);
        for (int j = 0; j < nt; j++) {
            char **t = tx_row(tx, ids[j]);
            for (int e = 2; e <= 3; e++) {
                int hit = !strcmp(t[e], "CASH");
                for (int a = 0; a < na; a++)
                    if (!strcmp(acc[a], t[e]))
                        hit = 1, touched[a] = 1;
                ck_assert_msg(hit, "%s %s: %s links unlisted %s", name, k[K_ID], ids[j], t[e]);
            }
            ck_assert_msg(strcmp(t[1], k[K_FIRST]) >= 0 && strcmp(t[1], k[K_LAST]) <= 0, "%s %s: %s outside first/last",
                          name, k[K_ID], ids[j]);
            sum += case_value(rates, t);
        }
        for (int a = 0; a < na; a++)
            ck_assert_msg(touched[a], "%s %s: %s takes part in none of its transactions", name, k[K_ID], acc[a]);
        ck_assert_msg(fabs(strtod(k[K_AMOUNT], NULL) - sum) <= 0.006 * nt + 1e-6 * sum,
                      "%s %s: amount %s, transactions sum to %.2f", name, k[K_ID], k[K_AMOUNT], sum);
        free(touched);
        split_free(ids, nt);
        split_free(acc, na);
    }
    int n = key.n - 1;
    table_free(&key);
    return n;
}

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
        ck_assert_int_eq(key.nf[i], 11);
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
    ck_assert_int_eq(check_key_exact(dir, "answer_key.csv", &tx, &rates), key.n - 1);
    ck_assert_int_gt(check_key_exact(dir, "lookalikes.csv", &tx, &rates), 0);
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

/* A layering chain passes money on: hop after hop in time order, each from
 * where the last one went, never more than it received (at the rates). */
START_TEST(test_layering_passes_on)
{
    iffnet_generate_opts_t o = small_opts(13);
    o.typologies = 1u << IFFNET_TYP_LAYERING;
    o.n_structures = 6;
    const char *dir = gen_dir(&o);
    table_t key, tx, rates;
    table_read(&key, dir, "answer_key.csv");
    table_read(&tx, dir, "transactions.csv");
    table_read(&rates, dir, "rates.csv");
    for (int i = 1; i < key.n; i++) {
        int nt, na;
        char **ids = split(key.rows[i][K_TX], &nt), **acc = split(key.rows[i][K_ACC], &na);
        ck_assert_int_eq(na, nt + 1);
        ck_assert_str_ne(key.rows[i][K_AMOUNTS], "independent");
        double prev = 0;
        for (int j = 0; j < nt; j++) {
            char **t = tx_row(&tx, ids[j]);
            ck_assert_str_eq(t[2], acc[j]); /* accounts listed from first to last */
            ck_assert_str_eq(t[3], acc[j + 1]);
            double v = case_value(&rates, t);
            if (j)
                ck_assert_msg(v <= prev * 1.001 + 0.05, "%s: hop %d passes on %.2f of %.2f", key.rows[i][K_ID], j, v, prev);
            prev = v;
        }
        split_free(ids, nt);
        split_free(acc, na);
    }
    table_free(&key);
    table_free(&tx);
    table_free(&rates);
}
END_TEST

/* A stack's middle layer passes money on: each middle account sends out after
 * it first received, and not more than it received. */
START_TEST(test_stack_passes_on)
{
    iffnet_generate_opts_t o = small_opts(17);
    o.typologies = 1u << IFFNET_TYP_STACK;
    o.n_structures = 6;
    const char *dir = gen_dir(&o);
    table_t key, tx, rates;
    table_read(&key, dir, "answer_key.csv");
    table_read(&tx, dir, "transactions.csv");
    table_read(&rates, dir, "rates.csv");
    for (int i = 1; i < key.n; i++) {
        int nt, na, middles = 0;
        char **ids = split(key.rows[i][K_TX], &nt), **acc = split(key.rows[i][K_ACC], &na);
        for (int a = 0; a < na; a++) {
            double in = 0, out = 0;
            const char *first_in = NULL, *first_out = NULL;
            for (int j = 0; j < nt; j++) { /* ids are in time order */
                char **t = tx_row(&tx, ids[j]);
                if (!strcmp(t[3], acc[a])) {
                    in += case_value(&rates, t);
                    first_in = first_in ? first_in : t[1];
                }
                if (!strcmp(t[2], acc[a])) {
                    out += case_value(&rates, t);
                    first_out = first_out ? first_out : t[1];
                }
            }
            if (!first_in || !first_out)
                continue;
            middles++;
            ck_assert_msg(strcmp(first_out, first_in) > 0, "%s: %s sends before it receives", key.rows[i][K_ID], acc[a]);
            ck_assert_msg(out <= in * 1.001 + 0.05, "%s: %s sends %.2f of %.2f", key.rows[i][K_ID], acc[a], out, in);
        }
        ck_assert_int_ge(middles, 2);
        split_free(ids, nt);
        split_free(acc, na);
    }
    table_free(&key);
    table_free(&tx);
    table_free(&rates);
}
END_TEST

/* What a sweep of seeds drew (structural typologies: fans to mules). */
typedef struct {
    int n, min_m, max_m, big, small;      /* members */
    double min_span, max_span;            /* days from first to last transaction */
    int sched[3], amounts[4];             /* burst, periodic, chain; rule, carried, decaying, independent */
    int gaps_of_weeks;                    /* periodic with a gap of 7 days or more */
    double max_ratio;                     /* largest hop-to-hop amount ratio in a cycle */
} sweep_t;

static int index_of(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], s))
            return i;
    ck_abort_msg("unknown value '%s'", s);
    return -1;
}

static void sweep_case(sweep_t *w, const iffnet_generate_opts_t *o)
{
    static const char *const sched[] = { "burst", "periodic", "chain" };
    static const char *const amounts[] = { "rule", "carried", "decaying", "independent" };
    const char *dir = gen_dir(o);
    table_t key, tx, rates;
    table_read(&key, dir, "answer_key.csv");
    table_read(&tx, dir, "transactions.csv");
    table_read(&rates, dir, "rates.csv");
    for (int i = 1; i < key.n; i++) {
        char **k = key.rows[i];
        iffnet_typology_t typ;
        ck_assert(iffnet_typology_parse(k[K_TYP], &typ) == 0);
        int na, nt;
        char **acc = split(k[K_ACC], &na), **ids = split(k[K_TX], &nt);
        double span = (seconds(k[K_LAST]) - seconds(k[K_FIRST])) / 86400.0;
        /* the drawn span (a quarter of the period at most) plus what
         * intermediaries hold (a third of it) and a few days to settle */
        ck_assert_msg(span <= o->days / 4.0 * (1 + 1.0 / 3) + 10, "%s spans %.1f days", k[K_ID], span);
        ck_assert_msg(na >= 2 && na <= 40, "%s has %d accounts", k[K_ID], na);
        if (typ <= IFFNET_TYP_MULE) {
            ck_assert_msg(na >= 3, "%s has %d accounts", k[K_ID], na);
            w->n++;
            w->min_m = w->n == 1 || na < w->min_m ? na : w->min_m;
            w->max_m = na > w->max_m ? na : w->max_m;
            w->big += na >= 25;
            w->small += na <= 5;
            w->min_span = w->n == 1 || span < w->min_span ? span : w->min_span;
            w->max_span = span > w->max_span ? span : w->max_span;
            int sc = index_of(sched, 3, k[K_SCHED]);
            w->sched[sc]++;
            w->amounts[index_of(amounts, 4, k[K_AMOUNTS])]++;
            w->gaps_of_weeks += sc == 1 && strtod(k[K_GAP], NULL) >= 7;
            if (typ == IFFNET_TYP_CYCLE || typ == IFFNET_TYP_LAYERING)
                ck_assert_str_eq(k[K_SCHED], "chain");
            if (typ == IFFNET_TYP_CYCLE)
                for (int j = 1; j < nt; j++) {
                    double a = case_value(&rates, tx_row(&tx, ids[j - 1])), b = case_value(&rates, tx_row(&tx, ids[j]));
                    double r = a > b ? a / b : b / a;
                    ck_assert_msg(r <= 50.5, "%s: hop ratio %.1f", k[K_ID], r);
                    w->max_ratio = r > w->max_ratio ? r : w->max_ratio;
                }
        }
        split_free(acc, na);
        split_free(ids, nt);
    }
    table_free(&key);
    table_free(&tx);
    table_free(&rates);
}

/* Parameters come from wide ranges: a sweep of seeds shows the spread of
 * members (3 to 40), spans (a day to a quarter of the case), schedules
 * (bursts, periodic with gaps of weeks, chains) and amount rules (carried,
 * decaying, independent with hops up to 50x apart). */
START_TEST(test_parameter_ranges)
{
    sweep_t w;
    memset(&w, 0, sizeof w);
    for (unsigned long seed = 1; seed <= 10; seed++) {
        iffnet_generate_opts_t o = small_opts(seed);
        o.n_accounts = 2500;
        o.n_transactions = 25000;
        o.days = 240;
        o.n_lookalikes = 0;
        sweep_case(&w, &o);
    }
    ck_assert_int_ge(w.n, 90);
    ck_assert_int_eq(w.min_m, 3);
    ck_assert_int_ge(w.max_m, 36);
    ck_assert_int_ge(w.big, 5);
    ck_assert_int_ge(w.small, 5);
    ck_assert_msg(w.min_span <= 1.0, "shortest span %.1f days", w.min_span);
    ck_assert_msg(w.max_span >= 240 / 4.0 * 0.8, "longest span %.1f days", w.max_span);
    for (int i = 0; i < 3; i++)
        ck_assert_int_ge(w.sched[i], 5);
    for (int i = 1; i < 4; i++)
        ck_assert_int_ge(w.amounts[i], 5);
    ck_assert_int_ge(w.gaps_of_weeks, 3);
    ck_assert_msg(w.max_ratio >= 10, "largest hop ratio in a cycle %.1f", w.max_ratio);
}
END_TEST

/* The knobs narrow the draws: --max-members (never below a typology's
 * least), --max-span, --amounts; --lookalikes 0 plants none. */
START_TEST(test_knobs)
{
    iffnet_generate_opts_t o = small_opts(21);
    o.max_members = 5;
    o.max_span_days = 4;
    o.amounts = IFFNET_GEN_AMOUNTS_CARRIED;
    o.n_lookalikes = 0;
    const char *dir = gen_dir(&o);
    table_t key, la;
    table_read(&key, dir, "answer_key.csv");
    table_read(&la, dir, "lookalikes.csv");
    ck_assert_int_eq(la.n, 1);
    ck_assert_int_gt(key.n, 10);
    for (int i = 1; i < key.n; i++) {
        char **k = key.rows[i];
        iffnet_typology_t typ;
        ck_assert(iffnet_typology_parse(k[K_TYP], &typ) == 0);
        int na;
        char **acc = split(k[K_ACC], &na);
        int least = typ == IFFNET_TYP_GATHER_SCATTER ? 7 : typ == IFFNET_TYP_BIPARTITE || typ == IFFNET_TYP_STACK ? 6 : 5;
        ck_assert_msg(na <= least, "%s: %d accounts", k[K_ID], na);
        /* four days, intermediaries' dwell (a day at most) and settling */
        ck_assert_msg(seconds(k[K_LAST]) - seconds(k[K_FIRST]) <= 12 * 86400.0, "%s: %s to %s", k[K_ID], k[K_FIRST],
                      k[K_LAST]);
        ck_assert_msg(!strcmp(k[K_AMOUNTS], "carried") || !strcmp(k[K_AMOUNTS], "rule"), "%s: %s", k[K_ID],
                      k[K_AMOUNTS]);
        split_free(acc, na);
    }
    table_free(&key);
    table_free(&la);
}
END_TEST

/* Every profile has look-alikes, more from sparse to dense; from a couple of
 * thousand accounts the default has every kind; look-alikes never touch a
 * planted account; the hard profile draws from the hard end (longer chains,
 * fans with fewer counterparties). */
START_TEST(test_profiles)
{
    static const char *const profiles[] = { "sparse", "default", "dense", "hard" };
    int count[4] = { 0 };
    /* mean log members of chains (cycle, layering) and of fans, per profile */
    double chain[4] = { 0 }, n_chain[4] = { 0 }, fan[4] = { 0 }, n_fan[4] = { 0 };
    for (int p = 0; p < 4; p++)
        for (unsigned long seed = 1; seed <= 3; seed++) {
            iffnet_generate_opts_t o = small_opts(seed);
            o.profile = profiles[p];
            o.n_accounts = 2000;
            o.n_transactions = 20000;
            o.days = 180;
            const char *dir = gen_dir(&o);
            table_t key, la;
            table_read(&key, dir, "answer_key.csv");
            table_read(&la, dir, "lookalikes.csv");
            count[p] += la.n - 1;
            int kinds = 0;
            char seen[64][32];
            for (int i = 1; i < la.n; i++) {
                iffnet_typology_t typ;
                ck_assert(iffnet_typology_parse(la.rows[i][K_TYP], &typ) == 0);
                ck_assert(iffnet_generate_plantable() & (1u << typ));
                int known = 0;
                for (int j = 0; j < kinds && !known; j++)
                    known = !strcmp(seen[j], la.rows[i][K_KIND]);
                if (!known && kinds < 64)
                    snprintf(seen[kinds++], sizeof seen[0], "%s", la.rows[i][K_KIND]);
                int na;
                char **acc = split(la.rows[i][K_ACC], &na);
                for (int a = 0; a < na; a++)
                    for (int s = 1; s < key.n; s++)
                        ck_assert_msg(!in_list(key.rows[s][K_ACC], acc[a]), "%s %s: %s is planted in %s", profiles[p],
                                      la.rows[i][K_ID], acc[a], key.rows[s][K_ID]);
                split_free(acc, na);
            }
            if (p > 0)
                ck_assert_msg(kinds >= 22, "%s: %d kinds of look-alike", profiles[p], kinds);
            for (int s = 1; s < key.n; s++) {
                int na;
                char **acc = split(key.rows[s][K_ACC], &na);
                iffnet_typology_t typ;
                ck_assert(iffnet_typology_parse(key.rows[s][K_TYP], &typ) == 0);
                if (typ == IFFNET_TYP_CYCLE || typ == IFFNET_TYP_LAYERING)
                    chain[p] += log(na), n_chain[p]++;
                if (typ == IFFNET_TYP_FAN_IN || typ == IFFNET_TYP_FAN_OUT)
                    fan[p] += log(na), n_fan[p]++;
                split_free(acc, na);
            }
            table_free(&key);
            table_free(&la);
        }
    ck_assert_int_gt(count[0], 0);
    ck_assert_int_lt(count[0], count[1]);
    ck_assert_int_lt(count[1], count[2]);
    ck_assert_int_ge(count[3], count[1]);
    /* the hard end: long chains, small fans */
    ck_assert_msg(chain[3] / n_chain[3] > chain[1] / n_chain[1], "chains: hard %.2f, default %.2f",
                  chain[3] / n_chain[3], chain[1] / n_chain[1]);
    ck_assert_msg(fan[3] / n_fan[3] < fan[1] / n_fan[1], "fans: hard %.2f, default %.2f", fan[3] / n_fan[3],
                  fan[1] / n_fan[1]);
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
 * typologies: one typology name, profile, max_members, max_span). */
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
    {"profile=crowded", "/nonexistent", IFFNET_EINVAL, "crowded"},
    {"max_members=2", "/nonexistent", IFFNET_EINVAL, "--max-members"},
    {"max_members=41", "/nonexistent", IFFNET_EINVAL, "--max-members"},
    {"days=30 max_span=31", "/nonexistent", IFFNET_EINVAL, "--max-span"},
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
        else if (strcmp(kv, "profile") == 0) o.profile = v;
        else if (strcmp(kv, "max_members") == 0) o.max_members = atoll(v);
        else if (strcmp(kv, "max_span") == 0) o.max_span_days = atoll(v);
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
    tcase_add_test(tc, test_layering_passes_on);
    tcase_add_test(tc, test_stack_passes_on);
    tcase_add_test(tc, test_parameter_ranges);
    tcase_add_test(tc, test_knobs);
    tcase_add_test(tc, test_profiles);
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
