/* ingest.c: CSV exports -> validated case.
 *
 * Order: entities (so relations and account profiles can be resolved), then
 * transactions (sorted by time at the end), then relations, then rates are applied.
 * Every bad value is reported with file:line, the column and the value; rows are
 * never dropped silently: either the ingest fails, or (--skip-bad) each rejected
 * row goes to the skip file with its reason and is counted. */
#include <ctype.h>
#include <time.h>
#include "case_internal.h"

/* Columns that carry ground-truth labels in public benchmark data: never loaded. */
static const char *const LABEL_COLUMNS[] = {
    "is_sar", "alert_id", "Is Laundering", "isFraud", "prior_sar_count", "isSAR", "alertID",
    "fraudStep", "is_laundering", NULL
};

static int is_label_column(const char *name)
{
    for (const char *const *p = LABEL_COLUMNS; *p; p++)
        if (strcasecmp(*p, name) == 0) return 1;
    return 0;
}

static const char *const TX_FIELD_NAMES[IFFNET_F_TX_COUNT] = {
    "tx_id", "timestamp", "source", "target", "amount", "currency", "channel", "reference",
    "recv_amount", "recv_currency", "source_bank", "target_bank"
};

const char *iffnet_tx_field_name(iffnet_tx_field_t f)
{
    return f < IFFNET_F_TX_COUNT ? TX_FIELD_NAMES[f] : "";
}

int iffnet_tx_field_parse(const char *name, iffnet_tx_field_t *f)
{
    for (int i = 0; i < IFFNET_F_TX_COUNT; i++)
        if (strcmp(TX_FIELD_NAMES[i], name) == 0) {
            *f = (iffnet_tx_field_t)i;
            return 0;
        }
    return -1;
}

void iffnet_ingest_opts_default(iffnet_ingest_opts_t *o)
{
    static const iffnet_amount_syntax_t as = IFFNET_AMOUNT_SYNTAX_DEFAULT;
    static const iffnet_time_syntax_t ts = IFFNET_TIME_SYNTAX_DEFAULT;
    memset(o, 0, sizeof *o);
    o->delimiter = ',';
    o->amount_syntax = as;
    o->time_syntax = ts;
    o->max_errors = 20;
    o->preset = "native";
    o->created = -1;
}

int iffnet_ingest_preset(iffnet_ingest_opts_t *o, const char *name)
{
    if (strcmp(name, "native") == 0) {
        o->preset = "native";
    } else if (strcmp(name, "amlsim") == 0) {
        /* AMLSim converted output: transactions.csv (+ accounts.csv). */
        o->tx_col[IFFNET_F_TX_ID] = "tran_id";
        o->tx_col[IFFNET_F_TIMESTAMP] = "tran_timestamp";
        o->tx_col[IFFNET_F_SOURCE] = "orig_acct";
        o->tx_col[IFFNET_F_TARGET] = "bene_acct";
        o->tx_col[IFFNET_F_AMOUNT] = "base_amt";
        o->tx_col[IFFNET_F_CHANNEL] = "tx_type";
        o->default_currency = "USD";
        o->preset = "amlsim";
    } else if (strcmp(name, "amlsim-sample") == 0) {
        /* IBM's published AMLSim samples: integer steps, no ids, no currency. */
        o->tx_col[IFFNET_F_SOURCE] = "sourceNodeId";
        o->tx_col[IFFNET_F_TARGET] = "targetNodeId";
        o->tx_col[IFFNET_F_AMOUNT] = "value";
        o->tx_col[IFFNET_F_TIMESTAMP] = "time";
        o->time_syntax.steps = 1;
        if (!o->time_syntax.epoch) o->time_syntax.epoch = iffnet_days_from_civil(2017, 1, 1) * 86400;
        o->default_currency = "USD";
        o->preset = "amlsim-sample";
    } else if (strcmp(name, "amlworld") == 0) {
        /* AMLworld *_Trans.csv: the header repeats "Account", so map by position. */
        o->tx_col[IFFNET_F_TIMESTAMP] = "#1";
        o->tx_col[IFFNET_F_SOURCE_BANK] = "#2";
        o->tx_col[IFFNET_F_SOURCE] = "#3";
        o->tx_col[IFFNET_F_TARGET_BANK] = "#4";
        o->tx_col[IFFNET_F_TARGET] = "#5";
        o->tx_col[IFFNET_F_RECV_AMOUNT] = "#6";
        o->tx_col[IFFNET_F_RECV_CURRENCY] = "#7";
        o->tx_col[IFFNET_F_AMOUNT] = "#8";
        o->tx_col[IFFNET_F_CURRENCY] = "#9";
        o->tx_col[IFFNET_F_CHANNEL] = "#10";
        o->preset = "amlworld";
    } else {
        return iffnet_i_seterr(IFFNET_EINVAL, "unknown preset '%s' (known: native, amlsim, amlsim-sample, amlworld)", name);
    }
    return IFFNET_OK;
}

void iffnet_ingest_report_destroy(iffnet_ingest_report_t *r)
{
    for (int64_t i = 0; i < r->n_kept; i++) free(r->errors[i].message);
    free(r->errors);
    memset(r, 0, sizeof *r);
}

/* ---- shared state of one ingest run ---- */

typedef struct {
    iffnet_case_t *c;
    const iffnet_ingest_opts_t *o;
    iffnet_ingest_report_t *rep;
    iffnet_out_t skip;
    int skip_open;
    int64_t errors_cap;
    /* Transactions in input order, before the sort by time. */
    int64_t n, cap;
    iffnet_time_t *time;
    int32_t *src, *dst, *cur, *rcur, *chan;
    iffnet_money_t *amt, *ramt;
    int64_t *ref, *line;
    iffnet_strtab_t ids;
    /* Without --skip-bad, transaction ids are appended unindexed with their hashes
     * and checked for duplicates once, by sorting the hashes: no random probing of a
     * table of millions of ids while reading. */
    int defer_ids;
    uint64_t *idhash;
    /* Account ids of accepted rows wait here and are interned a batch at a time, in
     * row order (so ids are as if interned one by one): the batch's hash-table
     * misses then overlap (iffnet_strtab_intern_many). */
    char *pk_buf;
    int64_t pk_len, pk_cap, n_pk;
    int64_t *pk_off, *pk_ids;
    int64_t *pk_slot;            /* 2 * row + (0 source, 1 target) */
    const char **pk_str;
    size_t *pk_klen;
    /* The last currency and channel seen: most rows repeat them. */
    char last_cur[16], last_chan[64];
    int32_t last_cur_id, last_chan_id;
} ingest_t;

/* Records a bad row. Returns IFFNET_OK to go on, IFFNET_EDATA to stop. */
static int bad_row(ingest_t *g, iffnet_csv_t *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad_row(ingest_t *g, iffnet_csv_t *r, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    g->rep->n_errors++;
    if (g->rep->n_kept < g->o->max_errors) {
        if (iffnet_i_reserve((void **)&g->rep->errors, &g->errors_cap, g->rep->n_kept + 1, sizeof *g->rep->errors))
            return IFFNET_ENOMEM;
        char *m = iffnet_i_asprintf("%s:%lld: %s", iffnet_csv_path(r), (long long)iffnet_csv_line(r), msg);
        if (!m) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        g->rep->errors[g->rep->n_kept++].message = m;
    }
    if (g->o->skip_bad_path) {
        FILE *fp = g->skip.fp;
        fprintf(fp, "%s,%lld,", iffnet_csv_path(r), (long long)iffnet_csv_line(r));
        iffnet_csv_write_cell(fp, msg, ',');
        putc(',', fp);
        iffnet_csv_write_record(r, fp, ',');
        putc('\n', fp);
        g->rep->skipped++;
        return IFFNET_OK;
    }
    if (g->rep->n_errors >= g->o->max_errors)
        return iffnet_i_seterr(IFFNET_EDATA, "%s", g->rep->errors[0].message);
    return IFFNET_OK;
}

static char *lower_snake(const char *s)
{
    char *d = iffnet_i_strdup(s);
    if (!d) return NULL;
    for (char *p = d; *p; p++) *p = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    return d;
}

/* Finds column `want` ("#N" or a header name, case-insensitive) in the header. */
static int64_t find_column(iffnet_csv_t *r, const char *want)
{
    if (want[0] == '#') {
        char *end;
        long long k = strtoll(want + 1, &end, 10);
        if (*end || k < 1 || k > iffnet_csv_nfields(r)) return -1;
        return k - 1;
    }
    for (int64_t i = 0; i < iffnet_csv_nfields(r); i++)
        if (strcasecmp(iffnet_csv_field(r, i, NULL), want) == 0) return i;
    return -1;
}

static int open_with_header(iffnet_csv_t **r, const char *path, char delim, const char *encoding)
{
    IFFNET_TRY(iffnet_csv_open(r, path, delim));
    int eof;
    int err = iffnet_csv_set_encoding(*r, encoding);
    if (!err) err = iffnet_csv_next(*r, &eof);
    if (!err && eof) err = iffnet_i_seterr(IFFNET_EDATA, "%s: empty file (a header line is needed)", path);
    if (err) {
        iffnet_csv_close(*r);
        *r = NULL;
    }
    return err;
}

static int record_input(iffnet_case_t *c, const char *role, iffnet_csv_t *r, int64_t rows, int64_t accepted)
{
    iffnet_provenance_t *p = &c->prov;
    iffnet_input_t *in = realloc(p->inputs, (size_t)(p->n_inputs + 1) * sizeof *in);
    if (!in) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    p->inputs = in;
    in = &p->inputs[p->n_inputs];
    memset(in, 0, sizeof *in);
    in->role = iffnet_i_strdup(role);
    in->path = iffnet_i_strdup(iffnet_csv_path(r));
    if (!in->role || !in->path) {
        free(in->role);
        free(in->path);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    p->n_inputs++;
    IFFNET_TRY(iffnet_csv_finish_hash(r, in->sha256, &in->size));
    in->rows_read = rows;
    in->rows_accepted = accepted;
    in->rows_rejected = rows - accepted;
    return IFFNET_OK;
}

static void progress(ingest_t *g, const char *what, iffnet_csv_t *r)
{
    if (g->o->progress) g->o->progress(g->o->progress_arg, what, iffnet_csv_bytes(r), iffnet_csv_size(r));
}

/* ---- entities ---- */

typedef struct {
    int64_t col_id, col_kind, col_name, col_country, col_sector;
    int64_t *attr_col;   /* column of attribute k */
    const char *const_kind;
} entity_layout_t;

static int add_text(iffnet_case_t *c, const char *s, size_t len, int64_t *id)
{
    if (len == 0) {
        *id = -1;
        return IFFNET_OK;
    }
    return iffnet_strtab_intern(&c->text, s, len, id, NULL);
}

static int entity_layout(ingest_t *g, iffnet_csv_t *r, int amlsim, entity_layout_t *L)
{
    iffnet_case_t *c = g->c;
    memset(L, 0, sizeof *L);
    L->col_id = find_column(r, amlsim ? "acct_id" : "id");
    L->col_kind = amlsim ? -1 : find_column(r, "kind");
    L->col_name = find_column(r, amlsim ? "dsply_nm" : "name");
    L->col_country = find_column(r, "country");
    L->col_sector = amlsim ? -1 : find_column(r, "sector");
    L->const_kind = amlsim ? "account" : NULL;
    if (L->col_id < 0)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: no column '%s' in the header", iffnet_csv_path(r),
                               (long long)iffnet_csv_line(r), amlsim ? "acct_id" : "id");
    int64_t nf = iffnet_csv_nfields(r);
    L->attr_col = malloc((size_t)nf * sizeof *L->attr_col);
    if (!L->attr_col) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < nf; i++) {
        const char *h = iffnet_csv_field(r, i, NULL);
        if (i == L->col_id || i == L->col_kind || i == L->col_name || i == L->col_country ||
            i == L->col_sector || is_label_column(h) || !*h)
            continue;
        int64_t k;
        int is_new;
        IFFNET_TRY(iffnet_strtab_intern(&c->attr_names, h, strlen(h), &k, &is_new));
        if (!is_new)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column '%s' appears twice", iffnet_csv_path(r),
                                   (long long)iffnet_csv_line(r), h);
        L->attr_col[k] = i;
    }
    c->n_attrs = c->attr_names.n;
    return IFFNET_OK;
}

static int grow_entities(iffnet_case_t *c, int64_t need, int64_t *cap)
{
    if (need <= *cap) return IFFNET_OK;
    int64_t ncap = *cap ? *cap * 2 : 256;
    while (ncap < need) ncap *= 2;
    int64_t **arrays[] = {&c->entity_kind, &c->entity_name, &c->entity_country, &c->entity_sector};
    for (size_t i = 0; i < 4; i++) {
        int64_t *p = realloc(*arrays[i], (size_t)ncap * sizeof *p);
        if (!p) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        *arrays[i] = p;
    }
    if (c->n_attrs) {
        int64_t *p = realloc(c->entity_attr, (size_t)(ncap * c->n_attrs) * sizeof *p);
        if (!p) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        c->entity_attr = p;
    }
    *cap = ncap;
    return IFFNET_OK;
}

static int entity_row(ingest_t *g, iffnet_csv_t *r, const entity_layout_t *L, int64_t *cap, int64_t nf_header)
{
    iffnet_case_t *c = g->c;
    if (iffnet_csv_nfields(r) != nf_header)
        return bad_row(g, r, "expected %lld fields, found %lld", (long long)nf_header, (long long)iffnet_csv_nfields(r));
    size_t idlen;
    const char *id = iffnet_csv_field(r, L->col_id, &idlen);
    if (idlen == 0) return bad_row(g, r, "column '%s': the entity id is empty", L->const_kind ? "acct_id" : "id");
    if (iffnet_strtab_find(&c->entity_ids, id, idlen) >= 0)
        return bad_row(g, r, "column 'id': duplicate entity id \"%s\"", id);
    IFFNET_TRY(grow_entities(c, c->n_entities + 1, cap));
    int64_t e;
    IFFNET_TRY(iffnet_strtab_intern(&c->entity_ids, id, idlen, &e, NULL));
    size_t len;
    const char *s;
    if (L->const_kind) IFFNET_TRY(add_text(c, L->const_kind, strlen(L->const_kind), &c->entity_kind[e]));
    else {
        s = iffnet_csv_field(r, L->col_kind, &len);
        char *k = lower_snake(s);
        if (!k) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        int err = add_text(c, k, strlen(k), &c->entity_kind[e]);
        free(k);
        IFFNET_TRY(err);
    }
    s = iffnet_csv_field(r, L->col_name, &len);
    IFFNET_TRY(add_text(c, s, L->col_name >= 0 ? len : 0, &c->entity_name[e]));
    s = iffnet_csv_field(r, L->col_country, &len);
    IFFNET_TRY(add_text(c, s, L->col_country >= 0 ? len : 0, &c->entity_country[e]));
    s = iffnet_csv_field(r, L->col_sector, &len);
    if (L->col_sector >= 0 && len) {
        char *sec = lower_snake(s);
        if (!sec) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        int err = add_text(c, sec, strlen(sec), &c->entity_sector[e]);
        free(sec);
        IFFNET_TRY(err);
    } else {
        c->entity_sector[e] = -1;
    }
    for (int64_t k = 0; k < c->n_attrs; k++) {
        s = iffnet_csv_field(r, L->attr_col[k], &len);
        IFFNET_TRY(add_text(c, s, len, &c->entity_attr[e * c->n_attrs + k]));
    }
    c->n_entities++;
    return IFFNET_OK;
}

static int read_entities(ingest_t *g, const char *path, int amlsim)
{
    iffnet_csv_t *r = NULL;
    entity_layout_t L = {0};
    int64_t cap = 0, rows = 0, before = g->c->n_entities, errs_before = g->rep->n_errors;
    int err = open_with_header(&r, path, g->o->delimiter, g->o->encoding);
    if (err) return err;
    int64_t nf = iffnet_csv_nfields(r);
    if ((err = entity_layout(g, r, amlsim, &L))) goto out;
    for (;;) {
        int eof;
        if ((err = iffnet_csv_next(r, &eof))) goto out;
        if (eof) break;
        rows++;
        if ((err = entity_row(g, r, &L, &cap, nf))) goto out;
    }
    if (g->rep->n_errors > errs_before && !g->o->skip_bad_path) {
        err = iffnet_i_seterr(IFFNET_EDATA, "%s", g->rep->errors[0].message);
        goto out;
    }
    err = record_input(g->c, amlsim ? "accounts" : "entities", r, rows, g->c->n_entities - before);
out:
    free(L.attr_col);
    iffnet_csv_close(r);
    return err;
}

/* ---- transactions ---- */

typedef struct {
    int64_t col[IFFNET_F_TX_COUNT];
    char name[IFFNET_F_TX_COUNT][128];  /* header names, copied: the header record is reused */
    int64_t nf;
} tx_layout_t;

static int tx_layout(ingest_t *g, iffnet_csv_t *r, tx_layout_t *L)
{
    const iffnet_ingest_opts_t *o = g->o;
    L->nf = iffnet_csv_nfields(r);
    for (int f = 0; f < IFFNET_F_TX_COUNT; f++) {
        const char *want = o->tx_col[f] ? o->tx_col[f] : TX_FIELD_NAMES[f];
        L->col[f] = find_column(r, want);
        snprintf(L->name[f], sizeof L->name[f], "%s", L->col[f] >= 0 ? iffnet_csv_field(r, L->col[f], NULL) : want);
        if (o->tx_col[f] && L->col[f] < 0)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column '%s' (for %s) is not in the header",
                                   iffnet_csv_path(r), (long long)iffnet_csv_line(r), want, TX_FIELD_NAMES[f]);
        if (L->col[f] >= 0 && is_label_column(L->name[f]))
            return iffnet_i_seterr(IFFNET_EINVAL, "column '%s' holds ground-truth labels and cannot be loaded as %s",
                                   L->name[f], TX_FIELD_NAMES[f]);
    }
    static const iffnet_tx_field_t required[] = {IFFNET_F_TIMESTAMP, IFFNET_F_SOURCE, IFFNET_F_TARGET, IFFNET_F_AMOUNT};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (L->col[required[i]] < 0)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: no column '%s' in the header (map one with --map %s=COLUMN)",
                                   iffnet_csv_path(r), (long long)iffnet_csv_line(r), L->name[required[i]],
                                   TX_FIELD_NAMES[required[i]]);
    if (L->col[IFFNET_F_CURRENCY] < 0 && !o->default_currency)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: no column 'currency' in the header (map one with --map, or give --currency CODE)",
                               iffnet_csv_path(r), (long long)iffnet_csv_line(r));
    return IFFNET_OK;
}

static int grow_tx(ingest_t *g)
{
    if (g->n < g->cap) return IFFNET_OK;
    int64_t ncap = g->cap ? g->cap * 2 : 4096;
#define GROW(p) do { void *q = realloc(g->p, (size_t)ncap * sizeof *g->p); \
        if (!q) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (%lld transactions)", (long long)ncap); \
        g->p = q; } while (0)
    GROW(time); GROW(src); GROW(dst); GROW(cur); GROW(rcur); GROW(chan);
    GROW(amt); GROW(ramt); GROW(ref); GROW(line);
    if (g->defer_ids) GROW(idhash);
#undef GROW
    g->cap = ncap;
    return IFFNET_OK;
}

#define ACCOUNT_BATCH 8192

static int alloc_account_batch(ingest_t *g)
{
    g->pk_off = malloc(ACCOUNT_BATCH * sizeof *g->pk_off);
    g->pk_ids = malloc(ACCOUNT_BATCH * sizeof *g->pk_ids);
    g->pk_slot = malloc(ACCOUNT_BATCH * sizeof *g->pk_slot);
    g->pk_str = malloc(ACCOUNT_BATCH * sizeof *g->pk_str);
    g->pk_klen = malloc(ACCOUNT_BATCH * sizeof *g->pk_klen);
    if (!g->pk_off || !g->pk_ids || !g->pk_slot || !g->pk_str || !g->pk_klen)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    return IFFNET_OK;
}

static void free_account_batch(ingest_t *g)
{
    free(g->pk_buf);
    free(g->pk_off);
    free(g->pk_ids);
    free(g->pk_slot);
    free(g->pk_str);
    free(g->pk_klen);
}

/* Interns the waiting account ids and stores them in their rows. */
static int flush_accounts(ingest_t *g)
{
    for (int64_t k = 0; k < g->n_pk; k++) g->pk_str[k] = g->pk_buf + g->pk_off[k];
    IFFNET_TRY(iffnet_strtab_intern_many(&g->c->account_ids, g->n_pk, g->pk_str, g->pk_klen, g->pk_ids));
    for (int64_t k = 0; k < g->n_pk; k++) {
        if (g->pk_ids[k] > INT32_MAX - 1) return iffnet_i_seterr(IFFNET_ELIMIT, "more than 2^31 accounts");
        int64_t row = g->pk_slot[k] >> 1;
        (g->pk_slot[k] & 1 ? g->dst : g->src)[row] = (int32_t)g->pk_ids[k];
    }
    g->n_pk = 0;
    g->pk_len = 0;
    return IFFNET_OK;
}

static int queue_account(ingest_t *g, const char *s, size_t len, int64_t row, int is_target)
{
    if (g->n_pk == ACCOUNT_BATCH) IFFNET_TRY(flush_accounts(g));
    IFFNET_TRY(iffnet_i_reserve((void **)&g->pk_buf, &g->pk_cap, g->pk_len + (int64_t)len + 1, 1));
    memcpy(g->pk_buf + g->pk_len, s, len);
    g->pk_buf[g->pk_len + (int64_t)len] = '\0';
    g->pk_off[g->n_pk] = g->pk_len;
    g->pk_klen[g->n_pk] = len;
    g->pk_slot[g->n_pk] = 2 * row + is_target;
    g->n_pk++;
    g->pk_len += (int64_t)len + 1;
    return IFFNET_OK;
}

/* The account id of a source/target field: the field itself, or "<bank>_<number>"
 * when a bank column is mapped (bank written without leading zeros, as AMLworld's
 * own files do), composed in buf. Returns -1 (row rejected) or an error. */
static int account_key(ingest_t *g, iffnet_csv_t *r, const tx_layout_t *L, int f_acct, int f_bank,
                       char *buf, size_t cap, const char **key, size_t *len)
{
    *key = iffnet_csv_field(r, L->col[f_acct], len);
    if (L->col[f_bank] < 0) return IFFNET_OK;
    size_t blen;
    const char *bank = iffnet_csv_field(r, L->col[f_bank], &blen);
    while (blen > 1 && *bank == '0') { bank++; blen--; }
    int n = snprintf(buf, cap, "%.*s_%.*s", (int)blen, bank, (int)*len, *key);
    if (n < 0 || (size_t)n >= cap) return bad_row(g, r, "column '%s': account id too long", L->name[f_acct]) ? IFFNET_EDATA : -1;
    *key = buf;
    *len = (size_t)n;
    return IFFNET_OK;
}

static int intern_currency(ingest_t *g, const char *code, int32_t *out)
{
    int64_t k;
    int is_new;
    IFFNET_TRY(iffnet_strtab_intern(&g->c->currencies, code, strlen(code), &k, &is_new));
    if (is_new) {
        int32_t *p = realloc(g->c->currency_scale, (size_t)(k + 1) * sizeof *p);
        if (!p) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        g->c->currency_scale = p;
        p[k] = iffnet_currency_scale(code);
    }
    *out = (int32_t)k;
    return IFFNET_OK;
}

/* The ISO code and minor-unit scale of a currency field; the currency enters the
 * case only when its row is accepted (see tx_fields). *name receives the field,
 * *same whether it repeats the last accepted row's (most rows do). */
static int currency_of(ingest_t *g, iffnet_csv_t *r, const tx_layout_t *L, int f, const char **name, int *same,
                       const char **code, int *scale)
{
    *name = L->col[f] >= 0 ? iffnet_csv_field(r, L->col[f], NULL) : g->o->default_currency;
    *same = g->last_cur_id >= 0 && strcmp(*name, g->last_cur) == 0;
    if (*same) {
        *code = iffnet_case_currency(g->c, g->last_cur_id);
        *scale = g->c->currency_scale[g->last_cur_id];
        return IFFNET_OK;
    }
    *code = iffnet_currency_code(*name);
    if (!*code) return bad_row(g, r, "column '%s': \"%s\" is not a currency code", L->name[f], *name) ? IFFNET_EDATA : -1;
    *scale = iffnet_currency_scale(*code);
    return IFFNET_OK;
}

/* Adds the currency of an accepted row (remembering the field text for the next row). */
static int accept_currency(ingest_t *g, const char *name, int same, const char *code, int32_t *out)
{
    if (same) {
        *out = g->last_cur_id;
        return IFFNET_OK;
    }
    IFFNET_TRY(intern_currency(g, code, out));
    if (strlen(name) < sizeof g->last_cur) {
        strcpy(g->last_cur, name);
        g->last_cur_id = *out;
    }
    return IFFNET_OK;
}

static int amount_of(ingest_t *g, iffnet_csv_t *r, const tx_layout_t *L, int f, int scale, iffnet_money_t *out)
{
    size_t len;
    const char *s = iffnet_csv_field(r, L->col[f], &len);
    iffnet_amount_status_t st = iffnet_amount_parse(s, len, scale, &g->o->amount_syntax, out);
    if (st != IFFNET_AMOUNT_OK)
        return bad_row(g, r, "column '%s': \"%s\" %s", L->name[f], s, iffnet_amount_status_str(st)) ? IFFNET_EDATA : -1;
    return IFFNET_OK;
}

/* Returns IFFNET_OK (row kept), -1 (row rejected, go on) or an error.
 * Accounts are interned last, so a rejected row leaves no account behind. */
static int tx_fields(ingest_t *g, iffnet_csv_t *r, const tx_layout_t *L, int64_t i)
{
    int e;
    size_t len, klen[2];
    const char *key[2];
    char kbuf[2][512];
    static const int acct_fields[2] = {IFFNET_F_SOURCE, IFFNET_F_TARGET};
    for (int k = 0; k < 2; k++)
        if (*iffnet_csv_field(r, L->col[acct_fields[k]], NULL) == '\0')
            return bad_row(g, r, "column '%s': the account is empty", L->name[acct_fields[k]]) ? IFFNET_EDATA : -1;
    const char *s = iffnet_csv_field(r, L->col[IFFNET_F_TIMESTAMP], &len);
    if (iffnet_time_parse(s, len, &g->o->time_syntax, &g->time[i]))
        return bad_row(g, r, "column '%s': \"%s\" is not a timestamp", L->name[IFFNET_F_TIMESTAMP], s) ? IFFNET_EDATA : -1;
    const char *code, *rcode, *cur_name, *rcur_name;
    int scale, rscale, cur_same, rcur_same;
    if ((e = currency_of(g, r, L, IFFNET_F_CURRENCY, &cur_name, &cur_same, &code, &scale))) return e;
    if ((e = amount_of(g, r, L, IFFNET_F_AMOUNT, scale, &g->amt[i]))) return e;
    int has_recv = L->col[IFFNET_F_RECV_AMOUNT] >= 0, recv_cur = has_recv && L->col[IFFNET_F_RECV_CURRENCY] >= 0;
    rcode = code;
    rscale = scale;
    if (recv_cur && (e = currency_of(g, r, L, IFFNET_F_RECV_CURRENCY, &rcur_name, &rcur_same, &rcode, &rscale))) return e;
    if (has_recv && (e = amount_of(g, r, L, IFFNET_F_RECV_AMOUNT, rscale, &g->ramt[i]))) return e;
    if ((e = account_key(g, r, L, IFFNET_F_SOURCE, IFFNET_F_SOURCE_BANK, kbuf[0], sizeof kbuf[0], &key[0], &klen[0])) ||
        (e = account_key(g, r, L, IFFNET_F_TARGET, IFFNET_F_TARGET_BANK, kbuf[1], sizeof kbuf[1], &key[1], &klen[1])))
        return e;
    /* Valid from here on: the row's currencies and accounts enter the case. */
    if ((e = accept_currency(g, cur_name, cur_same, code, &g->cur[i]))) return e;
    if (recv_cur) {
        if ((e = intern_currency(g, rcode, &g->rcur[i]))) return e;
    } else {
        g->rcur[i] = g->cur[i];
    }
    if (!has_recv) g->ramt[i] = g->amt[i];
    if ((e = queue_account(g, key[0], klen[0], i, 0)) || (e = queue_account(g, key[1], klen[1], i, 1))) return e;
    g->chan[i] = -1;
    if (L->col[IFFNET_F_CHANNEL] >= 0 && *(s = iffnet_csv_field(r, L->col[IFFNET_F_CHANNEL], &len)) &&
        g->last_chan_id >= 0 && strcmp(s, g->last_chan) == 0) {
        g->chan[i] = g->last_chan_id;
    } else if (L->col[IFFNET_F_CHANNEL] >= 0 && *s) {
        char *ch = lower_snake(s);
        int64_t k;
        if (!ch) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        e = iffnet_strtab_intern(&g->c->channels, ch, strlen(ch), &k, NULL);
        free(ch);
        if (e) return e;
        g->chan[i] = (int32_t)k;
        if (len < sizeof g->last_chan) {
            memcpy(g->last_chan, s, len + 1);
            g->last_chan_id = (int32_t)k;
        }
    }
    g->ref[i] = -1;
    if (L->col[IFFNET_F_REFERENCE] >= 0) {
        s = iffnet_csv_field(r, L->col[IFFNET_F_REFERENCE], &len);
        if ((e = add_text(g->c, s, len, &g->ref[i]))) return e;
    }
    g->line[i] = iffnet_csv_line(r);
    return IFFNET_OK;
}

static int tx_id_of(ingest_t *g, iffnet_csv_t *r, const tx_layout_t *L, int64_t row)
{
    int64_t id;
    int is_new;
    if (L->col[IFFNET_F_TX_ID] < 0) {
        /* No id column: the 1-based data row number is the id (unique by construction). */
        char buf[24];
        int n = snprintf(buf, sizeof buf, "%lld", (long long)row);
        return iffnet_strtab_append(&g->ids, buf, (size_t)n, &id);
    }
    size_t len;
    const char *s = iffnet_csv_field(r, L->col[IFFNET_F_TX_ID], &len);
    if (len == 0) return bad_row(g, r, "column '%s': the transaction id is empty", L->name[IFFNET_F_TX_ID]) ? IFFNET_EDATA : -1;
    if (g->defer_ids) {
        g->idhash[g->n] = iffnet_i_hash_bytes(s, len);
        return iffnet_strtab_append(&g->ids, s, len, &id);
    }
    IFFNET_TRY(iffnet_strtab_intern(&g->ids, s, len, &id, &is_new));
    if (!is_new)
        return bad_row(g, r, "column '%s': duplicate transaction id \"%s\" (first on line %lld)",
                       L->name[IFFNET_F_TX_ID], s, (long long)g->line[id]) ? IFFNET_EDATA : -1;
    return IFFNET_OK;
}

/* Undoes the id of a row whose other fields were rejected. */
static void drop_last_id(ingest_t *g)
{
    iffnet_strtab_t *t = &g->ids;
    int64_t id = t->n - 1;
    t->len = (size_t)t->off[id];
    t->n--;
    if (t->nslots) {
        /* Rebuilding is rare (bad rows only): drop the index, it is rebuilt on demand. */
        iffnet_strtab_drop_index(t);
    }
}

static int tx_row(ingest_t *g, iffnet_csv_t *r, const tx_layout_t *L, int64_t row)
{
    if (iffnet_csv_nfields(r) != L->nf)
        return bad_row(g, r, "expected %lld fields, found %lld", (long long)L->nf, (long long)iffnet_csv_nfields(r));
    IFFNET_TRY(grow_tx(g));
    int e = tx_id_of(g, r, L, row);
    if (e) return e < 0 ? IFFNET_OK : e;
    e = tx_fields(g, r, L, g->n);
    if (e < 0) {
        drop_last_id(g);
        return IFFNET_OK;
    }
    if (e) return e;
    g->n++;
    return IFFNET_OK;
}

/* Sizes the id index and the arrays from the file size (about one row per 40 bytes
 * of plain CSV), so a large ingest neither rehashes nor copies as it grows. */
static int reserve_for_file(ingest_t *g, iffnet_csv_t *r, const tx_layout_t *L)
{
    int64_t size = iffnet_csv_size(r);
    if (size <= 0) return IFFNET_OK;
    /* Compressed input expands: guess from the plain size of typical exports. */
    int64_t rows = size / 40 + 16;
    if (rows > ((int64_t)1 << 31)) rows = (int64_t)1 << 31;
    if (L->col[IFFNET_F_TX_ID] >= 0 && !g->defer_ids) IFFNET_TRY(iffnet_strtab_reserve(&g->ids, rows, (size_t)rows * 8));
    return IFFNET_OK;
}

/* LSD radix sort of (hash, row) pairs on the top 32 bits of the hash, 16 bits a
 * pass: two scatter passes instead of four. Pairs that agree on those bits are
 * rare (about n^2 / 2^33) and are told apart by the full hash and the strings. */
typedef struct { uint64_t h; int64_t row; } hash_row_t;

static int radix_sort_hashes(hash_row_t *a, int64_t n)
{
    hash_row_t *tmp = malloc((size_t)(n ? n : 1) * sizeof *tmp);
    int64_t *count = malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory checking transaction ids");
    }
    for (int shift = 32; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (int64_t i = 0; i < n; i++) count[(a[i].h >> shift) & 0xFFFF]++;
        int64_t sum = 0;
        for (int k = 0; k < 65536; k++) {
            int64_t c = count[k];
            count[k] = sum;
            sum += c;
        }
        for (int64_t i = 0; i < n; i++) tmp[count[(a[i].h >> shift) & 0xFFFF]++] = a[i];
        hash_row_t *t = a;
        a = tmp;
        tmp = t;
    }
    /* Two passes: the sorted data is back in the caller's array. */
    free(tmp);
    free(count);
    return IFFNET_OK;
}

static int cmp_row_line(const void *pa, const void *pb)
{
    const int64_t *a = pa, *b = pb;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

/* Finds ids that repeat an earlier row's id and reports them in line order. */
static int check_duplicate_ids(ingest_t *g, const char *path, const char *col)
{
    int64_t n = g->n;
    hash_row_t *a = malloc((size_t)(n ? n : 1) * sizeof *a);
    if (!a) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory checking transaction ids");
    for (int64_t i = 0; i < n; i++) {
        a[i].h = g->idhash[i];
        a[i].row = i;
    }
    int err = radix_sort_hashes(a, n);
    int64_t (*dups)[3] = NULL, ndup = 0, cap = 0;
    for (int64_t i = 0; !err && i < n;) {
        int64_t j = i + 1;
        while (j < n && a[j].h >> 32 == a[i].h >> 32) j++;
        /* Equal top bits: compare full hashes, then strings (rows within a run are
         * in input order because the radix sort is stable). */
        for (int64_t x = i + 1; x < j && !err; x++) {
            const char *sx = iffnet_strtab_get(&g->ids, a[x].row);
            for (int64_t y = i; y < x; y++) {
                if (a[y].h != a[x].h || strcmp(sx, iffnet_strtab_get(&g->ids, a[y].row)) != 0) continue;
                if ((err = iffnet_i_reserve((void **)&dups, &cap, ndup + 1, sizeof *dups))) break;
                dups[ndup][0] = g->line[a[x].row];
                dups[ndup][1] = g->line[a[y].row];
                dups[ndup][2] = a[x].row;
                ndup++;
                break;
            }
        }
        i = j;
    }
    free(a);
    if (!err && ndup) {
        qsort(dups, (size_t)ndup, sizeof *dups, cmp_row_line);
        for (int64_t k = 0; k < ndup && !err; k++) {
            g->rep->n_errors++;
            if (g->rep->n_kept >= g->o->max_errors) continue;
            if ((err = iffnet_i_reserve((void **)&g->rep->errors, &g->errors_cap, g->rep->n_kept + 1, sizeof *g->rep->errors)))
                break;
            int64_t row = dups[k][2];
            char *m = iffnet_i_asprintf("%s:%lld: column '%s': duplicate transaction id \"%s\" (first on line %lld)",
                                        path, (long long)dups[k][0], col, iffnet_strtab_get(&g->ids, row),
                                        (long long)dups[k][1]);
            if (!m) err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            else g->rep->errors[g->rep->n_kept++].message = m;
        }
    }
    free(dups);
    return err;
}

/* Every sum iffnet forms over the transactions (totals, an account's flows, an
 * alert's amount) is a sum over part of a column of amounts: when the whole
 * column adds up within 64 bits, none of them can overflow. A file whose amounts
 * do not is refused at the row where the running total stops fitting, rather
 * than letting a later command print a wrapped figure. */
static int check_column_sum(const iffnet_money_t *v, const int64_t *line, int64_t n, const char *path, const char *col)
{
    iffnet_money_t sum = 0;
    for (int64_t i = 0; i < n; i++)
        if (iffnet_i_money_add(&sum, v[i]))
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column '%s': the amounts up to this row add up to more than "
                                   "9223372036854775807 minor units, more than iffnet can sum exactly", path,
                                   (long long)line[i], col);
    return IFFNET_OK;
}

/* The transactions file of the case, for messages that point at its lines. */
static const char *tx_input_path(const iffnet_case_t *c)
{
    for (int64_t i = 0; i < c->prov.n_inputs; i++)
        if (strcmp(c->prov.inputs[i].role, "transactions") == 0) return c->prov.inputs[i].path;
    return "transactions";
}

static int read_transactions(ingest_t *g, const char *path)
{
    iffnet_csv_t *r = NULL;
    tx_layout_t L;
    int64_t rows = 0, errs_before = g->rep->n_errors;
    int err = open_with_header(&r, path, g->o->delimiter, g->o->encoding);
    if (err) return err;
    if ((err = tx_layout(g, r, &L))) goto out;
    g->defer_ids = L.col[IFFNET_F_TX_ID] >= 0 && !g->o->skip_bad_path;
    if ((err = reserve_for_file(g, r, &L))) goto out;
    if ((err = alloc_account_batch(g))) goto out;
    for (;;) {
        int eof;
        if ((err = iffnet_csv_next(r, &eof))) goto out;
        if (eof) break;
        rows++;
        if ((err = tx_row(g, r, &L, rows))) goto out;
        if ((rows & 0xFFFFF) == 0) progress(g, "transactions", r);
    }
    if ((err = flush_accounts(g))) goto out;
    if (g->defer_ids && (err = check_duplicate_ids(g, path, L.name[IFFNET_F_TX_ID]))) goto out;
    if ((err = check_column_sum(g->amt, g->line, g->n, path, L.name[IFFNET_F_AMOUNT])) ||
        (err = check_column_sum(g->ramt, g->line, g->n, path, L.name[L.col[IFFNET_F_RECV_AMOUNT] >= 0 ? IFFNET_F_RECV_AMOUNT : IFFNET_F_AMOUNT])))
        goto out;
    if (g->rep->n_errors > errs_before && !g->o->skip_bad_path) {
        err = iffnet_i_seterr(IFFNET_EDATA, "%s", g->rep->errors[0].message);
        goto out;
    }
    err = record_input(g->c, "transactions", r, rows, g->n);
out:
    iffnet_csv_close(r);
    return err;
}

/* ---- sort by time and move into the case ---- */

typedef struct { iffnet_time_t t; int64_t i; } time_key_t;

static int cmp_time_key(const void *a, const void *b)
{
    const time_key_t *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int sorted_order(ingest_t *g, int64_t **perm)
{
    *perm = NULL;
    int64_t i;
    for (i = 1; i < g->n && g->time[i - 1] <= g->time[i]; i++) {}
    if (i >= g->n) return IFFNET_OK; /* already in time order: the common case */
    time_key_t *k = malloc((size_t)g->n * sizeof *k);
    int64_t *p = malloc((size_t)g->n * sizeof *p);
    if (!k || !p) {
        free(k);
        free(p);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory sorting transactions");
    }
    for (i = 0; i < g->n; i++) {
        k[i].t = g->time[i];
        k[i].i = i;
    }
    qsort(k, (size_t)g->n, sizeof *k, cmp_time_key);
    for (i = 0; i < g->n; i++) p[i] = k[i].i;
    free(k);
    *perm = p;
    return IFFNET_OK;
}

#define PERMUTE(type, arr) do { type *d_ = malloc((size_t)(n ? n : 1) * sizeof *d_); \
        if (!d_) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; } \
        for (int64_t j_ = 0; j_ < n; j_++) d_[j_] = g->arr[perm[j_]]; \
        free(g->arr); g->arr = d_; } while (0)

static int move_transactions(ingest_t *g)
{
    iffnet_case_t *c = g->c;
    int64_t n = g->n, *perm = NULL;
    int err = sorted_order(g, &perm);
    if (err) return err;
    if (perm) {
        PERMUTE(iffnet_time_t, time); PERMUTE(int32_t, src); PERMUTE(int32_t, dst);
        PERMUTE(int32_t, cur); PERMUTE(int32_t, rcur); PERMUTE(int32_t, chan);
        PERMUTE(iffnet_money_t, amt); PERMUTE(iffnet_money_t, ramt); PERMUTE(int64_t, ref);
        PERMUTE(int64_t, line);
        /* The id table must follow the same order. */
        iffnet_strtab_t ids;
        iffnet_strtab_init(&ids);
        for (int64_t j = 0; j < n; j++) {
            const char *s = iffnet_strtab_get(&g->ids, perm[j]);
            int64_t id;
            if ((err = iffnet_strtab_append(&ids, s, strlen(s), &id))) {
                iffnet_strtab_destroy(&ids);
                goto out;
            }
        }
        iffnet_strtab_destroy(&g->ids);
        g->ids = ids;
    }
    iffnet_strtab_drop_index(&g->ids);
    c->n_tx = n;
    c->tx_ids = g->ids;
    iffnet_strtab_init(&g->ids);
    c->tx_time = g->time; c->tx_src = g->src; c->tx_dst = g->dst; c->tx_currency = g->cur;
    c->tx_recv_currency = g->rcur; c->tx_channel = g->chan; c->tx_amount = g->amt;
    c->tx_recv_amount = g->ramt; c->tx_reference = g->ref; c->tx_line = g->line;
    g->time = NULL; g->src = g->dst = g->cur = g->rcur = g->chan = NULL;
    g->amt = g->ramt = NULL; g->ref = g->line = NULL;
out:
    free(perm);
    return err;
}

/* ---- accounts and entities together ---- */

static int link_accounts(iffnet_case_t *c)
{
    /* Account-kind entities that never transacted are still accounts of the case. */
    for (int64_t e = 0; e < c->n_entities; e++) {
        if (c->entity_kind[e] < 0 || strcmp(iffnet_case_text(c, c->entity_kind[e]), "account") != 0) continue;
        const char *id = iffnet_strtab_get(&c->entity_ids, e);
        int64_t a;
        IFFNET_TRY(iffnet_strtab_intern(&c->account_ids, id, strlen(id), &a, NULL));
    }
    c->n_accounts = c->account_ids.n;
    c->account_entity = malloc((size_t)(c->n_accounts ? c->n_accounts : 1) * sizeof *c->account_entity);
    c->account_holder = malloc((size_t)(c->n_accounts ? c->n_accounts : 1) * sizeof *c->account_holder);
    if (!c->account_entity || !c->account_holder) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t a = 0; a < c->n_accounts; a++) {
        const char *id = iffnet_strtab_get(&c->account_ids, a);
        c->account_entity[a] = c->n_entities ? iffnet_strtab_find(&c->entity_ids, id, strlen(id)) : -1;
        c->account_holder[a] = -1;
    }
    return IFFNET_OK;
}

/* ---- relations ---- */

static int resolve_end(ingest_t *g, iffnet_csv_t *r, int64_t col, const char *colname, int64_t *ent, int64_t *acc)
{
    size_t len;
    const char *id = iffnet_csv_field(r, col, &len);
    *ent = iffnet_strtab_find(&g->c->entity_ids, id, len);
    *acc = iffnet_strtab_find(&g->c->account_ids, id, len);
    if (*ent < 0 && *acc < 0)
        return bad_row(g, r, "column '%s': unknown account or entity \"%s\"", colname, id) ? IFFNET_EDATA : -1;
    return IFFNET_OK;
}

static int grow_relations(iffnet_case_t *c, int64_t *cap)
{
    if (c->n_relations < *cap) return IFFNET_OK;
    int64_t ncap = *cap ? *cap * 2 : 256;
    int64_t **arrays[] = {&c->rel_src_entity, &c->rel_src_account, &c->rel_dst_entity, &c->rel_dst_account, &c->rel_type};
    for (size_t i = 0; i < 5; i++) {
        int64_t *p = realloc(*arrays[i], (size_t)ncap * sizeof *p);
        if (!p) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        *arrays[i] = p;
    }
    *cap = ncap;
    return IFFNET_OK;
}

static int relation_row(ingest_t *g, iffnet_csv_t *r, const int64_t col[3], int64_t nf, int64_t *cap)
{
    iffnet_case_t *c = g->c;
    if (iffnet_csv_nfields(r) != nf)
        return bad_row(g, r, "expected %lld fields, found %lld", (long long)nf, (long long)iffnet_csv_nfields(r));
    int64_t se, sa, de, da;
    int e = resolve_end(g, r, col[0], "source", &se, &sa);
    if (!e) e = resolve_end(g, r, col[1], "target", &de, &da);
    if (e) return e < 0 ? IFFNET_OK : e;
    size_t len;
    const char *type = iffnet_csv_field(r, col[2], &len);
    if (len == 0) return bad_row(g, r, "column 'relation': the relation type is empty");
    char *t = lower_snake(type);
    if (!t) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (strcmp(t, "holds_account") == 0 && da < 0) {
        free(t);
        return bad_row(g, r, "column 'target': holds_account needs an account, \"%s\" is not one",
                       iffnet_csv_field(r, col[1], NULL));
    }
    IFFNET_TRY(grow_relations(c, cap));
    int64_t k = c->n_relations;
    e = add_text(c, t, strlen(t), &c->rel_type[k]);
    if (!e && strcmp(t, "holds_account") == 0 && se >= 0 && c->account_holder[da] < 0) c->account_holder[da] = se;
    free(t);
    IFFNET_TRY(e);
    c->rel_src_entity[k] = se;
    c->rel_src_account[k] = sa;
    c->rel_dst_entity[k] = de;
    c->rel_dst_account[k] = da;
    c->n_relations++;
    return IFFNET_OK;
}

static int read_relations(ingest_t *g, const char *path)
{
    iffnet_csv_t *r = NULL;
    int64_t rows = 0, cap = 0, errs_before = g->rep->n_errors;
    int err = open_with_header(&r, path, g->o->delimiter, g->o->encoding);
    if (err) return err;
    static const char *const names[3] = {"source", "target", "relation"};
    int64_t col[3];
    for (int i = 0; i < 3; i++) {
        if ((col[i] = find_column(r, names[i])) < 0) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: no column '%s' in the header", path,
                                  (long long)iffnet_csv_line(r), names[i]);
            goto out;
        }
    }
    int64_t nf = iffnet_csv_nfields(r);
    for (;;) {
        int eof;
        if ((err = iffnet_csv_next(r, &eof))) goto out;
        if (eof) break;
        rows++;
        if ((err = relation_row(g, r, col, nf, &cap))) goto out;
    }
    if (g->rep->n_errors > errs_before && !g->o->skip_bad_path) {
        err = iffnet_i_seterr(IFFNET_EDATA, "%s", g->rep->errors[0].message);
        goto out;
    }
    err = record_input(g->c, "relations", r, rows, g->c->n_relations);
out:
    iffnet_csv_close(r);
    return err;
}

/* ---- exchange rates ---- */

/* rates file: currency,rate where rate is the value of one unit in the base
 * currency; the base currency is the one whose rate is exactly 1. */
static int read_rates(ingest_t *g, const char *path)
{
    iffnet_case_t *c = g->c;
    iffnet_csv_t *r = NULL;
    int64_t rows = 0, *rate = NULL, col_cur, col_rate;
    iffnet_strtab_t codes;
    iffnet_strtab_init(&codes);
    int64_t rcap = 0;
    int32_t base = -1;
    int err = open_with_header(&r, path, g->o->delimiter, g->o->encoding);
    if (err) return err;
    if ((col_cur = find_column(r, "currency")) < 0 || (col_rate = find_column(r, "rate")) < 0) {
        err = iffnet_i_seterr(IFFNET_EDATA, "%s:1: the header needs columns 'currency' and 'rate'", path);
        goto out;
    }
    for (;;) {
        int eof;
        if ((err = iffnet_csv_next(r, &eof))) goto out;
        if (eof) break;
        rows++;
        const char *name = iffnet_csv_field(r, col_cur, NULL);
        const char *code = iffnet_currency_code(name);
        size_t len;
        const char *rs = iffnet_csv_field(r, col_rate, &len);
        iffnet_money_t nano;
        iffnet_amount_status_t st = iffnet_amount_parse(rs, len, 9, NULL, &nano);
        if (!code) { err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'currency': \"%s\" is not a currency code", path, (long long)iffnet_csv_line(r), name); goto out; }
        if (st != IFFNET_AMOUNT_OK || nano == 0) { err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'rate': \"%s\" is not a positive rate", path, (long long)iffnet_csv_line(r), rs); goto out; }
        int64_t k;
        int is_new;
        if ((err = iffnet_strtab_intern(&codes, code, strlen(code), &k, &is_new))) goto out;
        if (!is_new) { err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: currency %s is listed twice", path, (long long)iffnet_csv_line(r), code); goto out; }
        if ((err = iffnet_i_reserve((void **)&rate, &rcap, k + 1, sizeof *rate))) goto out;
        rate[k] = nano;
        if (nano == 1000000000) {
            if (base >= 0) { err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: two currencies have rate 1; the base currency must be the only one", path, (long long)iffnet_csv_line(r)); goto out; }
            base = (int32_t)k;
        }
    }
    if (base < 0) { err = iffnet_i_seterr(IFFNET_EDATA, "%s: no currency has rate 1 (the base currency)", path); goto out; }
    if ((err = record_input(c, "rates", r, rows, rows))) goto out;
    /* Make sure the base currency exists in the case, then convert every amount. */
    const char *base_code = iffnet_strtab_get(&codes, base);
    int64_t kb;
    int is_new;
    if ((err = iffnet_strtab_intern(&c->currencies, base_code, strlen(base_code), &kb, &is_new))) goto out;
    if (is_new) {
        int32_t *p = realloc(c->currency_scale, (size_t)(kb + 1) * sizeof *p);
        if (!p) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
        c->currency_scale = p;
        p[kb] = iffnet_currency_scale(base_code);
    }
    c->base_currency = (int32_t)kb;
    c->currency_rate = calloc((size_t)c->currencies.n, sizeof *c->currency_rate);
    c->tx_base = malloc((size_t)(c->n_tx ? c->n_tx : 1) * sizeof *c->tx_base);
    if (!c->currency_rate || !c->tx_base) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t k = 0; k < c->currencies.n; k++) {
        const char *code = iffnet_strtab_get(&c->currencies, k);
        int64_t j = iffnet_strtab_find(&codes, code, strlen(code));
        if (j < 0) {
            /* Find a transaction in this currency to point at. */
            for (int64_t t = 0; t < c->n_tx; t++)
                if (c->tx_currency[t] == k)
                    { err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'currency': \"%s\" has no rate in %s",
                                            tx_input_path(c), (long long)c->tx_line[t], code, path); goto out; }
            continue;
        }
        c->currency_rate[k] = rate[j];
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        int32_t k = c->tx_currency[t];
        if ((err = iffnet_money_convert(c->tx_amount[t], c->currency_scale[k], c->currency_rate[k],
                                        c->currency_scale[kb], &c->tx_base[t]))) goto out;
    }
    /* The converted amounts are in time order; their lines are in the transactions file. */
    if ((err = check_column_sum(c->tx_base, c->tx_line, c->n_tx, tx_input_path(c), "amount (in the base currency)"))) goto out;
out:
    free(rate);
    iffnet_strtab_destroy(&codes);
    iffnet_csv_close(r);
    return err;
}

static void ingest_free(ingest_t *g)
{
    free(g->time); free(g->src); free(g->dst); free(g->cur); free(g->rcur); free(g->chan);
    free(g->amt); free(g->ramt); free(g->ref); free(g->line); free(g->idhash);
    free_account_batch(g);
    iffnet_strtab_destroy(&g->ids);
}

static int set_provenance(iffnet_case_t *c, const iffnet_ingest_opts_t *o)
{
    c->prov.created = o->created >= 0 ? o->created : (iffnet_time_t)time(NULL);
    c->prov.version = iffnet_i_strdup(iffnet_version());
    c->prov.command_line = iffnet_i_strdup(o->command_line ? o->command_line : "");
    c->prov.preset = iffnet_i_strdup(o->preset ? o->preset : "native");
    if (!c->prov.version || !c->prov.command_line || !c->prov.preset)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    /* Newlines would break the case file's META block. */
    for (char *p = c->prov.command_line; *p; p++)
        if (*p == '\n' || *p == '\t') *p = ' ';
    return IFFNET_OK;
}

int iffnet_ingest(iffnet_case_t *c, const char *tx_path, const char *entities_path,
                  const char *relations_path, const char *rates_path,
                  const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *report)
{
    ingest_t g;
    memset(&g, 0, sizeof g);
    memset(report, 0, sizeof *report);
    iffnet_case_init(c);
    g.c = c;
    g.o = o;
    g.rep = report;
    g.last_cur_id = g.last_chan_id = -1;
    iffnet_strtab_init(&g.ids);
    int err = set_provenance(c, o);
    if (!err && o->skip_bad_path) {
        if (!(err = iffnet_out_open(&g.skip, o->skip_bad_path))) {
            g.skip_open = 1;
            fputs("file,line,reason,record\n", g.skip.fp);
        }
    }
    if (!err && o->accounts_path && entities_path)
        err = iffnet_i_seterr(IFFNET_EINVAL, "give either an accounts file or an entities file, not both");
    if (!err && o->accounts_path) err = read_entities(&g, o->accounts_path, 1);
    if (!err && entities_path) err = read_entities(&g, entities_path, 0);
    if (!err) err = read_transactions(&g, tx_path);
    if (!err) err = move_transactions(&g);
    if (!err) err = link_accounts(c);
    if (!err && relations_path) err = read_relations(&g, relations_path);
    if (!err && rates_path) err = read_rates(&g, rates_path);
    if (!err && c->n_tx == 0) err = iffnet_i_seterr(IFFNET_EDATA, "%s: no transactions were accepted", tx_path);
    /* Rows that were rejected are written out even when the ingest fails
     * because of them (every row bad): that file is how the user finds out why. */
    if (g.skip_open) {
        if (err && !(err == IFFNET_EDATA && report->skipped > 0)) iffnet_out_abort(&g.skip);
        else {
            int cerr = iffnet_out_commit(&g.skip);
            if (!err) err = cerr;
        }
    }
    ingest_free(&g);
    if (err) iffnet_case_destroy(c);
    return err;
}
