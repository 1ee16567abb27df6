/* evaluate.c: truth files (iffnet answer key, AMLSim, AMLworld) and scoring of
 * alerts against them by account overlap. */
#include <errno.h>
#include <math.h>
#include "evaluate_internal.h"
#include "iffnet/alert_read.h"
#include "iffnet/evaluate.h"

/* ------------------------------------------------------------------ formats */

static const char *const FORMAT_NAMES[] = {"auto", "answer-key", "amlsim", "amlworld"};

const char *iffnet_truth_format_name(iffnet_truth_format_t f)
{
    return (unsigned)f < sizeof FORMAT_NAMES / sizeof FORMAT_NAMES[0] ? FORMAT_NAMES[f] : "?";
}

int iffnet_truth_format_parse(const char *name, iffnet_truth_format_t *f)
{
    size_t i;
    for (i = 0; i < sizeof FORMAT_NAMES / sizeof FORMAT_NAMES[0]; i++)
        if (!strcmp(name, FORMAT_NAMES[i])) {
            *f = (iffnet_truth_format_t)i;
            return 0;
        }
    return -1;
}

/* ------------------------------------------------------------ small helpers */

typedef struct {
    int64_t n, cap;
    int64_t *v;
} vec_t;

static int vec_push(vec_t *v, int64_t x)
{
    IFFNET_TRY(iffnet_i_reserve((void **)&v->v, &v->cap, v->n + 1, sizeof *v->v));
    v->v[v->n++] = x;
    return IFFNET_OK;
}

/* Sorts and removes duplicates; returns the new length. */
static int64_t sort_unique(int64_t *v, int64_t n)
{
    int64_t i, k = 0;
    if (n < 2)
        return n;
    qsort(v, (size_t)n, sizeof *v, iffnet_i_cmp_i64);
    for (i = 1; i < n; i++)
        if (v[i] != v[k])
            v[++k] = v[i];
    return k + 1;
}

/* AMLworld writes banks zero-padded in patterns files and without the zeros in
 * transaction files: "021174_800737690" and "21174_800737690" are one account. */
static void canon_account(const char *id, char *out, size_t size)
{
    const char *p = id, *us = strchr(id, '_');
    const char *q;
    if (us && us > id) {
        for (q = id; q < us && *q >= '0' && *q <= '9'; q++)
            ;
        if (q == us) {
            while (p + 1 < us && *p == '0')
                p++;
        }
    }
    snprintf(out, size, "%s", p);
}

/* Canonical decimal text: no leading zeros, no trailing fraction zeros, so that
 * "100.00" (a patterns file) and "100" (formatted from a case) compare equal.
 * Returns -1 when s is not a plain non-negative decimal. */
static int canon_amount(const char *s, char *out, size_t size)
{
    const char *dot = NULL, *p, *end;
    size_t n;
    if (!*s)
        return -1;
    for (p = s; *p; p++) {
        if (*p == '.' && !dot)
            dot = p;
        else if (*p < '0' || *p > '9')
            return -1;
    }
    end = p;
    if (dot) {
        while (end > dot + 1 && end[-1] == '0')
            end--;
        if (end == dot + 1)
            end = dot;
    }
    p = s;
    while (p + 1 < end && *p == '0' && p[1] != '.')
        p++;
    if (p == end)
        return -1; /* "." */
    n = (size_t)(end - p);
    if (n + 1 > size)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    if (out[0] == '.')
        return -1;
    return 0;
}

/* The key AMLworld transactions are matched by. */
static int tx_key(char *buf, size_t size, const char *from, const char *to, iffnet_time_t t,
                  const char *amount)
{
    char f[256], g[256];
    canon_account(from, f, sizeof f);
    canon_account(to, g, sizeof g);
    return snprintf(buf, size, "%s|%s|%lld|%s", f, g, (long long)t, amount) < (int)size ? 0 : -1;
}

/* ------------------------------------------------------------ truth building */

typedef struct {
    iffnet_truth_t *t;
    const iffnet_truth_opts_t *o;
    iffnet_csv_t *csv;
    const char *path;
    iffnet_strtab_t ids;       /* structure ids -> index into t->items */
    vec_t *acc, *tx;           /* per structure, while being built */
    int64_t cap_b, cap_tx;
    int64_t built;             /* structures created (entries of acc/tx in use) */
    char *is_sar;              /* per structure (AMLSim) */
    int64_t cap_s;
} builder_t;

#define LERR(B, line, ...) lerr((B), (line), iffnet_i_tmpf(__VA_ARGS__))

static int lerr(builder_t *B, int64_t line, const char *msg)
{
    return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: %s", B->path, (long long)line, msg);
}

/* Finds or creates the structure with this id. *is_new tells which. */
static int structure_get(builder_t *B, const char *id, int64_t line, int64_t *k, int *is_new)
{
    iffnet_truth_t *t = B->t;
    int64_t idx;
    IFFNET_TRY(iffnet_strtab_intern(&B->ids, id, strlen(id), &idx, is_new));
    if (!*is_new) {
        *k = idx;
        return IFFNET_OK;
    }
    IFFNET_TRY(iffnet_i_reserve((void **)&t->items, &t->cap, t->n + 1, sizeof *t->items));
    IFFNET_TRY(iffnet_i_reserve((void **)&B->acc, &B->cap_b, t->n + 1, sizeof *B->acc));
    if (B->cap_b > B->cap_tx) {
        vec_t *tx = realloc(B->tx, (size_t)B->cap_b * sizeof *B->tx);
        if (!tx)
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading '%s'", B->path);
        B->tx = tx;
        B->cap_tx = B->cap_b;
    }
    IFFNET_TRY(iffnet_i_reserve((void **)&B->is_sar, &B->cap_s, t->n + 1, 1));
    memset(&t->items[t->n], 0, sizeof t->items[0]);
    memset(&B->acc[t->n], 0, sizeof B->acc[0]);
    memset(&B->tx[t->n], 0, sizeof B->tx[0]);
    B->is_sar[t->n] = 1;
    B->built = t->n + 1;
    t->items[t->n].line = line;
    t->items[t->n].id = iffnet_i_strdup(id);
    if (!t->items[t->n].id)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading '%s'", B->path);
    *k = t->n++;
    return IFFNET_OK;
}

static int add_id(builder_t *B, iffnet_strtab_t *tab, vec_t *v, const char *s, size_t len)
{
    int64_t idx;
    IFFNET_TRY(iffnet_strtab_intern(tab, s, len, &idx, NULL));
    return vec_push(v, idx);
}

/* Moves the built id lists into the structures (sorted, distinct); drops the
 * structures that are not kept (sar_only). */
static int finish_structures(builder_t *B)
{
    iffnet_truth_t *t = B->t;
    int64_t i, k = 0;
    for (i = 0; i < t->n; i++) /* first, so that nothing below can fail half-way */
        if (!B->acc[i].n)
            return LERR(B, t->items[i].line, "structure '%s' has no accounts", t->items[i].id);
    for (i = 0; i < t->n; i++) {
        iffnet_structure_t *s = &t->items[i];
        s->accounts = B->acc[i].v;
        s->n_accounts = sort_unique(s->accounts, B->acc[i].n);
        s->tx = B->tx[i].v;
        s->n_tx = sort_unique(s->tx, B->tx[i].n);
        B->acc[i].v = B->tx[i].v = NULL;
        if (B->o->sar_only && !B->is_sar[i]) {
            free(s->id);
            free(s->accounts);
            free(s->tx);
            t->n_excluded++;
            continue;
        }
        t->items[k++] = *s;
    }
    t->n = k;
    return IFFNET_OK;
}

/* Column index of `name` in the header, or -1. */
static int64_t column(iffnet_csv_t *csv, const char *name)
{
    int64_t i;
    for (i = 0; i < iffnet_csv_nfields(csv); i++)
        if (!strcmp(iffnet_csv_field(csv, i, NULL), name))
            return i;
    return -1;
}

static int columns(builder_t *B, const char *const *names, int64_t *idx, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        idx[i] = column(B->csv, names[i]);
        if (idx[i] < 0)
            return LERR(B, iffnet_csv_line(B->csv), "missing column '%s'", names[i]);
    }
    return IFFNET_OK;
}

/* Reads the next record that has at least `need` fields; *eof at the end. */
static int next_row(builder_t *B, int64_t need, int *eof)
{
    IFFNET_TRY(iffnet_csv_next(B->csv, eof));
    if (!*eof && iffnet_csv_nfields(B->csv) < need)
        return LERR(B, iffnet_csv_line(B->csv), "%lld fields, expected %lld",
                    (long long)iffnet_csv_nfields(B->csv), (long long)need);
    return IFFNET_OK;
}

static int parse_typology(builder_t *B, const char *col, const char *text, iffnet_typology_t *typ)
{
    if (iffnet_typology_parse(text, typ))
        return LERR(B, iffnet_csv_line(B->csv), "column '%s': '%s' is not a known typology", col, text);
    return IFFNET_OK;
}

/* Splits an answer-key id list "a;b;c" into the table. */
static int split_ids(builder_t *B, const char *col, const char *s, iffnet_strtab_t *tab, vec_t *v)
{
    const char *p = s;
    if (!*s)
        return IFFNET_OK;
    for (;;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (!len)
            return LERR(B, iffnet_csv_line(B->csv), "column '%s': empty id in '%s'", col, s);
        IFFNET_TRY(add_id(B, tab, v, p, len));
        if (!e)
            return IFFNET_OK;
        p = e + 1;
    }
}

/* ------------------------------------------------------------ answer key */

static int read_answer_key(builder_t *B)
{
    static const char *const names[] = {"structure_id", "typology", "accounts", "transactions"};
    int64_t col[4], k;
    int eof = 0, is_new;
    iffnet_typology_t typ;
    IFFNET_TRY(columns(B, names, col, 4));
    B->t->has_tx = 1;
    for (;;) {
        int64_t need = 0, i;
        for (i = 0; i < 4; i++)
            need = col[i] + 1 > need ? col[i] + 1 : need;
        IFFNET_TRY(next_row(B, need, &eof));
        if (eof)
            return IFFNET_OK;
        {
            const char *id = iffnet_csv_field(B->csv, col[0], NULL);
            int64_t line = iffnet_csv_line(B->csv);
            if (!*id)
                return LERR(B, line, "column 'structure_id' is empty");
            IFFNET_TRY(parse_typology(B, "typology", iffnet_csv_field(B->csv, col[1], NULL), &typ));
            IFFNET_TRY(structure_get(B, id, line, &k, &is_new));
            if (!is_new)
                return LERR(B, line, "structure '%s' is listed twice (first on line %lld)", id,
                            (long long)B->t->items[k].line);
            B->t->items[k].typology = typ;
            IFFNET_TRY(split_ids(B, "accounts", iffnet_csv_field(B->csv, col[2], NULL),
                                 &B->t->accounts, &B->acc[k]));
            IFFNET_TRY(split_ids(B, "transactions", iffnet_csv_field(B->csv, col[3], NULL),
                                 &B->t->tx, &B->tx[k]));
            if (!B->acc[k].n)
                return LERR(B, line, "column 'accounts' is empty");
        }
    }
}

/* ------------------------------------------------------------ AMLSim */

static int parse_bool(const char *s, char *out)
{
    if (!strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "yes")) {
        *out = 1;
        return 0;
    }
    if (!strcasecmp(s, "false") || !strcmp(s, "0") || !strcasecmp(s, "no")) {
        *out = 0;
        return 0;
    }
    return -1;
}

static int amlsim_row(builder_t *B, const int64_t *col)
{
    iffnet_csv_t *csv = B->csv;
    int64_t line = iffnet_csv_line(csv), k;
    const char *id = iffnet_csv_field(csv, col[0], NULL);
    const char *f;
    iffnet_typology_t typ;
    char sar;
    int is_new, i;
    if (!*id)
        return LERR(B, line, "column 'alert_id' is empty");
    IFFNET_TRY(parse_typology(B, "alert_type", iffnet_csv_field(csv, col[1], NULL), &typ));
    if (parse_bool(iffnet_csv_field(csv, col[2], NULL), &sar))
        return LERR(B, line, "column 'is_sar': '%s' is not True or False", iffnet_csv_field(csv, col[2], NULL));
    IFFNET_TRY(structure_get(B, id, line, &k, &is_new));
    if (is_new) {
        B->t->items[k].typology = typ;
        B->is_sar[k] = sar;
    } else if (B->t->items[k].typology != typ || B->is_sar[k] != sar) {
        return LERR(B, line, "alert '%s' changes its alert_type or is_sar (first seen on line %lld)", id,
                    (long long)B->t->items[k].line);
    }
    f = iffnet_csv_field(csv, col[3], NULL);
    if (!*f)
        return LERR(B, line, "column 'tran_id' is empty");
    IFFNET_TRY(add_id(B, &B->t->tx, &B->tx[k], f, strlen(f)));
    for (i = 4; i < 6; i++) {
        f = iffnet_csv_field(csv, col[i], NULL);
        if (!*f)
            return LERR(B, line, "column '%s' is empty", i == 4 ? "orig_acct" : "bene_acct");
        IFFNET_TRY(add_id(B, &B->t->accounts, &B->acc[k], f, strlen(f)));
    }
    return IFFNET_OK;
}

static int read_amlsim(builder_t *B)
{
    static const char *const names[] = {"alert_id", "alert_type", "is_sar", "tran_id", "orig_acct", "bene_acct"};
    int64_t col[6], need = 0;
    int eof = 0, i;
    IFFNET_TRY(columns(B, names, col, 6));
    for (i = 0; i < 6; i++)
        need = col[i] + 1 > need ? col[i] + 1 : need;
    B->t->has_tx = 1;
    for (;;) {
        IFFNET_TRY(next_row(B, need, &eof));
        if (eof)
            return IFFNET_OK;
        IFFNET_TRY(amlsim_row(B, col));
    }
}

/* ------------------------------------------------------------ AMLworld */

#define AMLW_BEGIN "BEGIN LAUNDERING ATTEMPT - "
#define AMLW_END "END LAUNDERING ATTEMPT - "

/* The typology text of a BEGIN/END line: up to ':' (detail follows), trimmed. */
static void amlw_typology_text(const char *s, char *out, size_t size)
{
    size_t n = strcspn(s, ":");
    while (n && s[n - 1] == ' ')
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* One transaction line of an attempt:
 * Timestamp,From Bank,From Account,To Bank,To Account,Amount Received,
 * Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering */
static int amlw_tx(builder_t *B, int64_t k)
{
    iffnet_csv_t *csv = B->csv;
    int64_t line = iffnet_csv_line(csv);
    iffnet_time_syntax_t syn = IFFNET_TIME_SYNTAX_DEFAULT;
    iffnet_time_t when;
    char from[256], to[256], amount[64], key[640];
    const char *ts = iffnet_csv_field(csv, 0, NULL);
    if (iffnet_csv_nfields(csv) != 11)
        return LERR(B, line, "%lld fields in a transaction line, expected 11",
                    (long long)iffnet_csv_nfields(csv));
    if (iffnet_time_parse(ts, strlen(ts), &syn, &when))
        return LERR(B, line, "'%s' is not a timestamp", ts);
    if (!*iffnet_csv_field(csv, 1, NULL) || !*iffnet_csv_field(csv, 2, NULL) ||
        !*iffnet_csv_field(csv, 3, NULL) || !*iffnet_csv_field(csv, 4, NULL))
        return LERR(B, line, "empty bank or account");
    if (canon_amount(iffnet_csv_field(csv, 7, NULL), amount, sizeof amount))
        return LERR(B, line, "amount paid '%s' is not an amount", iffnet_csv_field(csv, 7, NULL));
    snprintf(key, sizeof key, "%s_%s", iffnet_csv_field(csv, 1, NULL), iffnet_csv_field(csv, 2, NULL));
    canon_account(key, from, sizeof from);
    snprintf(key, sizeof key, "%s_%s", iffnet_csv_field(csv, 3, NULL), iffnet_csv_field(csv, 4, NULL));
    canon_account(key, to, sizeof to);
    IFFNET_TRY(add_id(B, &B->t->accounts, &B->acc[k], from, strlen(from)));
    IFFNET_TRY(add_id(B, &B->t->accounts, &B->acc[k], to, strlen(to)));
    if (!B->t->has_tx)
        return IFFNET_OK;
    if (tx_key(key, sizeof key, from, to, when, amount))
        return LERR(B, line, "transaction key too long");
    return add_id(B, &B->t->tx, &B->tx[k], key, strlen(key));
}

static int read_amlworld(builder_t *B)
{
    char typ_text[64] = "", end_text[64], id[32];
    int64_t k = -1, begin_line = 0, n = 0;
    int eof = 0, is_new;
    iffnet_typology_t typ;
    B->t->has_tx = B->o->c != NULL;
    /* The first record was read by the caller. */
    for (;;) {
        const char *f0 = iffnet_csv_field(B->csv, 0, NULL);
        int64_t line = iffnet_csv_line(B->csv);
        if (!strncmp(f0, AMLW_BEGIN, strlen(AMLW_BEGIN))) {
            if (k >= 0)
                return LERR(B, line, "BEGIN before the END of the attempt begun on line %lld",
                            (long long)begin_line);
            amlw_typology_text(f0 + strlen(AMLW_BEGIN), typ_text, sizeof typ_text);
            if (iffnet_typology_parse(typ_text, &typ))
                return LERR(B, line, "'%s' is not a known typology", typ_text);
            snprintf(id, sizeof id, "%lld", (long long)++n);
            IFFNET_TRY(structure_get(B, id, line, &k, &is_new));
            B->t->items[k].typology = typ;
            begin_line = line;
        } else if (!strncmp(f0, AMLW_END, strlen(AMLW_END))) {
            if (k < 0)
                return LERR(B, line, "END without BEGIN");
            amlw_typology_text(f0 + strlen(AMLW_END), end_text, sizeof end_text);
            if (strcmp(end_text, typ_text))
                return LERR(B, line, "END %s does not match BEGIN %s on line %lld", end_text, typ_text,
                            (long long)begin_line);
            if (!B->acc[k].n)
                return LERR(B, line, "attempt begun on line %lld has no transactions", (long long)begin_line);
            k = -1;
        } else if (k < 0) {
            return LERR(B, line, "expected '" AMLW_BEGIN "<typology>'");
        } else {
            IFFNET_TRY(amlw_tx(B, k));
        }
        IFFNET_TRY(iffnet_csv_next(B->csv, &eof));
        if (eof)
            break;
    }
    if (k >= 0)
        return LERR(B, begin_line, "attempt has no END line");
    return IFFNET_OK;
}

/* ------------------------------------------------------------ truth reading */

static int detect_format(builder_t *B, iffnet_truth_format_t *f)
{
    const char *f0 = iffnet_csv_field(B->csv, 0, NULL);
    int64_t line = iffnet_csv_line(B->csv);
    if (!strncmp(f0, AMLW_BEGIN, strlen(AMLW_BEGIN)))
        *f = IFFNET_TRUTH_AMLWORLD;
    else if (column(B->csv, "structure_id") >= 0)
        *f = IFFNET_TRUTH_ANSWER_KEY;
    else if (column(B->csv, "alert_id") >= 0 && column(B->csv, "tran_id") >= 0)
        *f = IFFNET_TRUTH_AMLSIM;
    else
        return LERR(B, line, "not a known truth file (an iffnet answer key, AMLSim "
                             "alert_transactions.csv or AMLworld patterns)");
    return IFFNET_OK;
}

/* From the file at path, or (data non-NULL) from size bytes named path. */
static int truth_read(iffnet_truth_t *t, const char *path, const void *data, size_t size,
                      const iffnet_truth_opts_t *opts)
{
    static const iffnet_truth_opts_t defaults = {IFFNET_TRUTH_AUTO, 0, NULL};
    builder_t B;
    int eof = 0, err;
    int64_t i;

    memset(t, 0, sizeof *t);
    memset(&B, 0, sizeof B);
    B.t = t;
    B.o = opts ? opts : &defaults;
    B.path = path;
    t->c = B.o->c;
    if ((err = iffnet_strtab_init(&t->accounts)) || (err = iffnet_strtab_init(&t->tx)) ||
        (err = iffnet_strtab_init(&B.ids)))
        goto out;
    err = data ? iffnet_csv_open_mem(&B.csv, path, data, size, ',') : iffnet_csv_open(&B.csv, path, ',');
    if (err)
        goto out;
    err = iffnet_csv_next(B.csv, &eof);
    if (!err && eof)
        err = iffnet_i_seterr(IFFNET_EDATA, "%s: empty truth file", path);
    if (err)
        goto out;
    t->format = B.o->format;
    if (t->format == IFFNET_TRUTH_AUTO && (err = detect_format(&B, &t->format)))
        goto out;
    switch (t->format) {
    case IFFNET_TRUTH_ANSWER_KEY: err = read_answer_key(&B); break;
    case IFFNET_TRUTH_AMLSIM: err = read_amlsim(&B); break;
    default: err = read_amlworld(&B); break;
    }
    if (!err)
        err = finish_structures(&B);
out:
    for (i = 0; i < B.built; i++) {
        free(B.acc[i].v);
        free(B.tx[i].v);
    }
    free(B.acc);
    free(B.tx);
    free(B.is_sar);
    iffnet_strtab_destroy(&B.ids);
    if (B.csv)
        iffnet_csv_close(B.csv);
    if (err) {
        iffnet_truth_destroy(t);
        memset(t, 0, sizeof *t);
        iffnet_strtab_init(&t->accounts);
        iffnet_strtab_init(&t->tx);
    }
    return err;
}

int iffnet_truth_read(iffnet_truth_t *t, const char *path, const iffnet_truth_opts_t *opts)
{
    return truth_read(t, path, NULL, 0, opts);
}

int iffnet_truth_read_mem(iffnet_truth_t *t, const char *name, const void *data, size_t size,
                          const iffnet_truth_opts_t *opts)
{
    return truth_read(t, name, data ? data : "", size, opts);
}

void iffnet_truth_destroy(iffnet_truth_t *t)
{
    int64_t i;
    for (i = 0; i < t->n; i++) {
        free(t->items[i].id);
        free(t->items[i].accounts);
        free(t->items[i].tx);
    }
    free(t->items);
    iffnet_strtab_destroy(&t->accounts);
    iffnet_strtab_destroy(&t->tx);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------ alerts */

/* Re-numbers alert a's ids (indices of the case, or of the scratch tables) into
 * the truth's tables. */
static int remap_alert(iffnet_truth_t *t, const iffnet_case_t *c, const iffnet_strtab_t *acc_src,
                       iffnet_alert_t *a)
{
    char id[256], amount[64], key[640];
    int64_t i;
    int aw = t->format == IFFNET_TRUTH_AMLWORLD;
    for (i = 0; i < a->n_accounts; i++) {
        const char *s = c ? iffnet_case_account_id(c, a->accounts[i]) : iffnet_strtab_get(acc_src, a->accounts[i]);
        if (aw)
            canon_account(s, id, sizeof id);
        else
            snprintf(id, sizeof id, "%s", s);
        IFFNET_TRY(iffnet_strtab_intern(&t->accounts, id, strlen(id), &a->accounts[i], NULL));
    }
    a->n_accounts = sort_unique(a->accounts, a->n_accounts);
    if (!t->has_tx) {
        a->n_tx = 0;
        return IFFNET_OK;
    }
    for (i = 0; c && i < a->n_tx; i++) {
        int64_t x = a->tx[i];
        if (aw) {
            int32_t cur = c->tx_currency[x];
            iffnet_amount_format(id, sizeof id, c->tx_amount[x], c->currency_scale[cur], 0);
            if (canon_amount(id, amount, sizeof amount) ||
                tx_key(key, sizeof key, iffnet_case_account_id(c, c->tx_src[x]),
                       iffnet_case_account_id(c, c->tx_dst[x]), c->tx_time[x], amount))
                return iffnet_i_seterr(IFFNET_EDATA, "transaction '%s' of the case has no usable key",
                                       iffnet_case_tx_id(c, x));
        } else {
            snprintf(key, sizeof key, "%s", iffnet_case_tx_id(c, x));
        }
        IFFNET_TRY(iffnet_strtab_intern(&t->tx, key, strlen(key), &a->tx[i], NULL));
    }
    a->n_tx = sort_unique(a->tx, a->n_tx);
    return IFFNET_OK;
}

int iffnet_eval_read_alerts(iffnet_truth_t *t, const char *path, iffnet_case_t *c,
                            iffnet_alert_list_t *alerts)
{
    iffnet_strtab_t acc, tx;
    int err, direct = !c && t->format != IFFNET_TRUTH_AMLWORLD;
    int64_t i;

    memset(&acc, 0, sizeof acc);
    memset(&tx, 0, sizeof tx);
    if (t->format == IFFNET_TRUTH_AMLWORLD && t->has_tx && !c) {
        iffnet_alert_list_init(alerts);
        return iffnet_i_seterr(IFFNET_EINVAL, "AMLworld truth read with a case needs the same case for the alerts");
    }
    if (direct)
        return iffnet_alert_read_jsonl_ids(path, NULL, &t->accounts, &t->tx, alerts);
    if ((err = iffnet_strtab_init(&acc)) || (err = iffnet_strtab_init(&tx))) {
        iffnet_alert_list_init(alerts);
        goto out;
    }
    err = iffnet_alert_read_jsonl_ids(path, c, &acc, &tx, alerts);
    for (i = 0; !err && i < alerts->n; i++)
        err = remap_alert(t, c, &acc, &alerts->items[i]);
    if (err) {
        iffnet_alert_list_destroy(alerts);
        iffnet_alert_list_init(alerts);
    }
out:
    iffnet_strtab_destroy(&acc);
    iffnet_strtab_destroy(&tx);
    return err;
}

/* ------------------------------------------------------------ scoring */

static void prf(iffnet_eval_prf_t *p)
{
    p->precision = p->predicted ? (double)p->tp / (double)p->predicted : 0.0;
    p->recall = p->truth ? (double)p->tp / (double)p->truth : 0.0;
    p->f1 = p->precision + p->recall > 0 ? 2 * p->precision * p->recall / (p->precision + p->recall) : 0.0;
}

/* Set-level precision/recall over ids 0..n-1. */
static int set_prf(int64_t n, const iffnet_truth_t *t, const iffnet_alert_list_t *al, int tx,
                   iffnet_eval_prf_t *p)
{
    unsigned char *m = calloc((size_t)(n ? n : 1), 1);
    int64_t i, j;
    if (!m)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory scoring alerts");
    memset(p, 0, sizeof *p);
    for (i = 0; i < t->n; i++) {
        const iffnet_structure_t *s = &t->items[i];
        for (j = 0; j < (tx ? s->n_tx : s->n_accounts); j++)
            m[tx ? s->tx[j] : s->accounts[j]] |= 1;
    }
    for (i = 0; i < al->n; i++) {
        const iffnet_alert_t *a = &al->items[i];
        for (j = 0; j < (tx ? a->n_tx : a->n_accounts); j++)
            m[tx ? a->tx[j] : a->accounts[j]] |= 2;
    }
    for (i = 0; i < n; i++) {
        p->truth += m[i] & 1;
        p->predicted += (m[i] >> 1) & 1;
        p->tp += m[i] == 3;
    }
    free(m);
    prf(p);
    return IFFNET_OK;
}

/* Account -> structures containing it, as compressed rows (start has n+1 items). */
static int invert(const iffnet_truth_t *t, int64_t n_acc, int64_t **start, int64_t **list)
{
    int64_t i, j, *pos;
    *start = calloc((size_t)n_acc + 1, sizeof **start);
    pos = calloc((size_t)n_acc + 1, sizeof *pos);
    *list = NULL;
    if (!*start || !pos) {
        free(pos);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory scoring alerts");
    }
    for (i = 0; i < t->n; i++)
        for (j = 0; j < t->items[i].n_accounts; j++)
            (*start)[t->items[i].accounts[j] + 1]++;
    for (i = 0; i < n_acc; i++)
        (*start)[i + 1] += (*start)[i];
    *list = malloc((size_t)((*start)[n_acc] ? (*start)[n_acc] : 1) * sizeof **list);
    if (!*list) {
        free(pos);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory scoring alerts");
    }
    memcpy(pos, *start, (size_t)n_acc * sizeof *pos);
    for (i = 0; i < t->n; i++)
        for (j = 0; j < t->items[i].n_accounts; j++)
            (*list)[pos[t->items[i].accounts[j]]++] = i;
    free(pos);
    return IFFNET_OK;
}

/* Marks the structures alert a covers on at least half of their accounts. */
static int match_alert(const iffnet_truth_t *t, const iffnet_alert_t *a, const int64_t *start,
                       const int64_t *list, int64_t *cnt, int64_t *touched, char *found, char *typed)
{
    int64_t i, j, nt = 0;
    int hit = 0;
    for (i = 0; i < a->n_accounts; i++)
        for (j = start[a->accounts[i]]; j < start[a->accounts[i] + 1]; j++)
            if (cnt[list[j]]++ == 0)
                touched[nt++] = list[j];
    for (i = 0; i < nt; i++) {
        const iffnet_structure_t *s = &t->items[touched[i]];
        if (2 * cnt[touched[i]] >= s->n_accounts) {
            hit = 1;
            found[touched[i]] = 1;
            if (s->typology == a->typology)
                typed[touched[i]] = 1;
        }
        cnt[touched[i]] = 0;
    }
    return hit;
}

static void count_structures(const iffnet_truth_t *t, const char *found, const char *typed,
                             iffnet_eval_result_t *r)
{
    int64_t i;
    for (i = 0; i < t->n; i++) {
        iffnet_eval_count_t *c = &r->by_typology[t->items[i].typology];
        c->structures++;
        c->found += found[i];
        c->typed_found += typed[i];
        r->all.structures++;
        r->all.found += found[i];
        r->all.typed_found += typed[i];
    }
}

int iffnet_eval_score(const iffnet_truth_t *t, const iffnet_alert_list_t *alerts,
                      int64_t n_case_accounts, iffnet_eval_result_t *r)
{
    int64_t n_acc = t->accounts.n, *start = NULL, *list = NULL, *cnt = NULL, *touched = NULL, i;
    char *found = NULL, *typed = NULL;
    int err;

    memset(r, 0, sizeof *r);
    err = invert(t, n_acc, &start, &list);
    if (err)
        goto out;
    cnt = calloc((size_t)t->n + 1, sizeof *cnt);
    touched = malloc(((size_t)t->n + 1) * sizeof *touched);
    found = calloc((size_t)t->n + 1, 1);
    typed = calloc((size_t)t->n + 1, 1);
    if (!cnt || !touched || !found || !typed) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory scoring alerts");
        goto out;
    }
    for (i = 0; i < alerts->n; i++) {
        const iffnet_alert_t *a = &alerts->items[i];
        int hit = match_alert(t, a, start, list, cnt, touched, found, typed);
        r->by_typology[a->typology].alerts++;
        r->by_typology[a->typology].alerts_hit += hit;
        r->all.alerts++;
        r->all.alerts_hit += hit;
    }
    count_structures(t, found, typed, r);
    err = set_prf(n_acc, t, alerts, 0, &r->accounts);
    if (!err && t->has_tx)
        err = set_prf(t->tx.n, t, alerts, 1, &r->tx);
    r->has_tx = t->has_tx;
    r->n_alerts = alerts->n;
    r->n_case_accounts = n_case_accounts;
    r->alerts_per_1000 = n_case_accounts > 0 ? 1000.0 * (double)alerts->n / (double)n_case_accounts : NAN;
out:
    free(start);
    free(list);
    free(cnt);
    free(touched);
    free(found);
    free(typed);
    return err;
}

/* Whether alert a (covering cov accounts of s) is a better match for s than
 * the one in o. */
static int better_match(const iffnet_structure_t *s, const iffnet_alert_t *a, int64_t cov,
                        const iffnet_eval_outcome_t *o, const iffnet_alert_list_t *alerts)
{
    if (o->alert < 0) return 1;
    int same = a->typology == s->typology, was = alerts->items[o->alert].typology == s->typology;
    if (same != was) return same;
    return cov > o->covered;
}

int iffnet_eval_outcomes(const iffnet_truth_t *t, const iffnet_alert_list_t *alerts, iffnet_eval_outcome_t *out)
{
    int64_t *start = NULL, *list = NULL, *cnt = NULL, *touched = NULL;
    int err = invert(t, t->accounts.n, &start, &list);
    for (int64_t i = 0; i < t->n; i++) out[i] = (iffnet_eval_outcome_t){ 0, 0, -1, 0 };
    if (err) goto out;
    cnt = calloc((size_t)t->n + 1, sizeof *cnt);
    touched = malloc(((size_t)t->n + 1) * sizeof *touched);
    if (!cnt || !touched) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory scoring alerts");
        goto out;
    }
    for (int64_t k = 0; k < alerts->n; k++) {
        const iffnet_alert_t *a = &alerts->items[k];
        int64_t nt = 0;
        for (int64_t i = 0; i < a->n_accounts; i++)
            for (int64_t j = start[a->accounts[i]]; j < start[a->accounts[i] + 1]; j++)
                if (cnt[list[j]]++ == 0) touched[nt++] = list[j];
        for (int64_t i = 0; i < nt; i++) {
            int64_t si = touched[i];
            const iffnet_structure_t *s = &t->items[si];
            if (2 * cnt[si] >= s->n_accounts) {
                out[si].found = 1;
                out[si].typed |= a->typology == s->typology;
                if (better_match(s, a, cnt[si], &out[si], alerts)) { out[si].alert = k; out[si].covered = cnt[si]; }
            }
            cnt[si] = 0;
        }
    }
out:
    free(start);
    free(list);
    free(cnt);
    free(touched);
    return err;
}
