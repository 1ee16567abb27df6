/* ingest_csv.c: transaction, entity and relation CSV files into the sink.
 *
 * Every bad value is reported with file:line, the column and the value; rows are
 * never dropped silently: either the ingest fails, or (--skip-bad) each rejected
 * row goes to the skip file with its reason and is counted. */
#include <ctype.h>
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

/* Opens a CSV input in the ingest's --encoding and reads its header. The reader
 * refuses NUL bytes, invalid UTF-8 and records over 16 MiB (file:line:column),
 * so every field seen here is text. */
int iffnet_i_csv_open_header(iffnet_csv_t **r, const iffnet_source_t *s, const iffnet_ingest_opts_t *o)
{
    const char *path = s->path;
    IFFNET_TRY(s->data ? iffnet_csv_open_mem(r, path, s->data, s->size, o->delimiter) : iffnet_csv_open(r, path, o->delimiter));
    int eof;
    int err = iffnet_csv_set_encoding(*r, o->encoding);
    if (!err) err = iffnet_csv_next(*r, &eof);
    if (!err && eof) err = iffnet_i_seterr(IFFNET_EDATA, "%s: empty file (a header line is needed)", path);
    if (err) {
        iffnet_csv_close(*r);
        *r = NULL;
    }
    return err;
}

static void progress(iffnet_i_sink_t *g, const char *what, iffnet_csv_t *r)
{
    const iffnet_ingest_opts_t *o = iffnet_i_sink_opts(g);
    if (o->progress) o->progress(o->progress_arg, what, iffnet_csv_bytes(r), iffnet_csv_size(r));
}

/* A bad row of the current CSV record: -1 to go on, or the error that stops. */
#define BAD(g, r, ...) (iffnet_i_sink_bad((g), iffnet_csv_line(r), NULL, __VA_ARGS__) ? IFFNET_EDATA : -1)

/* ---- entities ---- */

typedef struct {
    int64_t col_id, col_kind, col_name, col_country, col_sector;
    int64_t nf;
    char **attr;         /* attribute name of each column, NULL when not an attribute */
    const char *const_kind;
} entity_layout_t;

static int entity_layout(iffnet_i_sink_t *g, iffnet_csv_t *r, int amlsim, entity_layout_t *L)
{
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
    L->nf = iffnet_csv_nfields(r);
    L->attr = calloc((size_t)L->nf + 1, sizeof *L->attr);
    if (!L->attr) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < L->nf; i++) {
        const char *h = iffnet_csv_field(r, i, NULL);
        if (i == L->col_id || i == L->col_kind || i == L->col_name || i == L->col_country ||
            i == L->col_sector || is_label_column(h) || !*h)
            continue;
        for (int64_t j = 0; j < i; j++)
            if (L->attr[j] && strcmp(L->attr[j], h) == 0)
                return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column '%s' appears twice", iffnet_csv_path(r),
                                       (long long)iffnet_csv_line(r), h);
        if (!(L->attr[i] = iffnet_i_strdup(h))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        /* A column is an attribute of the case even when every value is empty. */
        int64_t k;
        IFFNET_TRY(iffnet_strtab_intern(&iffnet_i_sink_case(g)->attr_names, h, strlen(h), &k, NULL));
    }
    return IFFNET_OK;
}

static void entity_layout_free(entity_layout_t *L)
{
    for (int64_t i = 0; L->attr && i < L->nf; i++) free(L->attr[i]);
    free(L->attr);
}

static const char *field_or_null(iffnet_csv_t *r, int64_t col)
{
    return col >= 0 ? iffnet_csv_field(r, col, NULL) : NULL;
}

/* Returns IFFNET_OK (row kept), -1 (row rejected, go on) or an error. */
static int entity_row(iffnet_i_sink_t *g, iffnet_csv_t *r, const entity_layout_t *L, iffnet_strtab_t *seen)
{
    if (iffnet_csv_nfields(r) != L->nf)
        return BAD(g, r, "expected %lld fields, found %lld", (long long)L->nf, (long long)iffnet_csv_nfields(r));
    size_t idlen;
    const char *id = iffnet_csv_field(r, L->col_id, &idlen);
    if (idlen == 0) return BAD(g, r, "column '%s': the entity id is empty", L->const_kind ? "acct_id" : "id");
    int64_t k;
    int is_new;
    IFFNET_TRY(iffnet_strtab_intern(seen, id, idlen, &k, &is_new));
    if (!is_new) return BAD(g, r, "column 'id': duplicate entity id \"%s\"", id);
    iffnet_i_entity_t x = {id, idlen, L->const_kind ? L->const_kind : field_or_null(r, L->col_kind),
                           field_or_null(r, L->col_name), field_or_null(r, L->col_country),
                           field_or_null(r, L->col_sector), iffnet_csv_line(r), 1};
    int64_t e;
    int err = iffnet_i_sink_entity(g, &x, &e);
    if (err) return err;
    for (int64_t i = 0; i < L->nf; i++) {
        if (!L->attr[i]) continue;
        size_t len;
        const char *v = iffnet_csv_field(r, i, &len);
        IFFNET_TRY(iffnet_i_sink_attr(g, e, L->attr[i], v, len));
    }
    return IFFNET_OK;
}

int iffnet_i_read_entities_csv(iffnet_i_sink_t *g, const iffnet_source_t *s, int amlsim)
{
    const char *path = s->path;
    const iffnet_ingest_opts_t *o = iffnet_i_sink_opts(g);
    iffnet_csv_t *r = NULL;
    entity_layout_t L = {0};
    iffnet_strtab_t seen;   /* ids of this file: a repeat within one file is an error */
    int64_t rows = 0, accepted = 0, errs_before = iffnet_i_sink_errors(g);
    iffnet_strtab_init(&seen);
    int err = iffnet_i_csv_open_header(&r, s, o);
    if (err) return err;
    if ((err = iffnet_i_sink_begin_source(g, amlsim ? "accounts" : "entities", path, NULL))) goto out;
    iffnet_i_sink_set_csv(g, r);
    if ((err = entity_layout(g, r, amlsim, &L))) goto out;
    for (;;) {
        int eof;
        if ((err = iffnet_csv_next(r, &eof))) goto out;
        if (eof) break;
        rows++;
        int e = entity_row(g, r, &L, &seen);
        if (e > 0) {
            err = e;
            goto out;
        }
        accepted += e == 0;
    }
    if ((err = iffnet_i_sink_check_source(g, errs_before))) goto out;
    err = iffnet_i_sink_end_csv_source(g, r, rows, accepted);
out:
    entity_layout_free(&L);
    iffnet_strtab_destroy(&seen);
    iffnet_csv_close(r);
    return err;
}

/* ---- transactions ---- */

static const char *const TX_FIELD_NAMES[IFFNET_F_TX_COUNT] = {
    "tx_id", "timestamp", "source", "target", "amount", "currency", "channel", "reference",
    "recv_amount", "recv_currency", "source_bank", "target_bank", "debit", "credit", "balance", "counterparty",
    "counterparty_name"
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

typedef struct {
    int64_t col[IFFNET_F_TX_COUNT];
    char name[IFFNET_F_TX_COUNT][128];  /* header names, copied: the header record is reused */
    int64_t nf;
    /* The last currency field and its code: most rows repeat it. */
    char last_cur[32];
    const char *last_code;
    int last_scale;
} tx_layout_t;

static int tx_layout(const iffnet_ingest_opts_t *o, iffnet_csv_t *r, tx_layout_t *L)
{
    memset(L, 0, sizeof *L);
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
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: no column '%s' in the header (map one with --map %s=COLUMN%s)",
                                   iffnet_csv_path(r), (long long)iffnet_csv_line(r), L->name[required[i]],
                                   TX_FIELD_NAMES[required[i]],
                                   L->nf == 1 && o->delimiter == ',' ? ", or give --delimiter: the header has one column" :
                                   L->col[IFFNET_F_SOURCE] < 0 ? "; a one-account bank statement takes --statement-of ACCOUNT" : "");
    if (L->col[IFFNET_F_CURRENCY] < 0 && !o->default_currency)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: no column 'currency' in the header (map one with --map, or give --currency CODE)",
                               iffnet_csv_path(r), (long long)iffnet_csv_line(r));
    return IFFNET_OK;
}

/* The account id of a source/target field: the field itself, or "<bank>_<number>"
 * when a bank column is mapped (bank written without leading zeros, as AMLworld's
 * own files do), composed in buf. Returns -1 (row rejected) or an error. */
static int account_key(iffnet_i_sink_t *g, iffnet_csv_t *r, const tx_layout_t *L, int f_acct, int f_bank,
                       char *buf, size_t cap, const char **key, size_t *len)
{
    *key = iffnet_csv_field(r, L->col[f_acct], len);
    if (*len == 0) return BAD(g, r, "column '%s': the account is empty", L->name[f_acct]);
    if (L->col[f_bank] < 0) return IFFNET_OK;
    size_t blen;
    const char *bank = iffnet_csv_field(r, L->col[f_bank], &blen);
    while (blen > 1 && *bank == '0') { bank++; blen--; }
    int n = snprintf(buf, cap, "%.*s_%.*s", (int)blen, bank, (int)*len, *key);
    if (n < 0 || (size_t)n >= cap) return BAD(g, r, "column '%s': account id too long", L->name[f_acct]);
    *key = buf;
    *len = (size_t)n;
    return IFFNET_OK;
}

static int currency_of(iffnet_i_sink_t *g, iffnet_csv_t *r, tx_layout_t *L, int f, const char **code, int *scale)
{
    const iffnet_ingest_opts_t *o = iffnet_i_sink_opts(g);
    size_t len;
    const char *name = L->col[f] >= 0 ? iffnet_csv_field(r, L->col[f], &len) : o->default_currency;
    if (L->col[f] < 0) len = strlen(name);
    if (L->last_code && len < sizeof L->last_cur && memcmp(name, L->last_cur, len) == 0 && L->last_cur[len] == '\0') {
        *code = L->last_code;
        *scale = L->last_scale;
        return IFFNET_OK;
    }
    *code = iffnet_i_sink_currency(g, name, len);
    if (!*code) return BAD(g, r, "column '%s': \"%s\" is not an ISO 4217 currency code (give --currency-alias %s=CODE "
                           "if it is one under another name)", L->name[f], name, name);
    *scale = iffnet_currency_scale(*code);
    if (len < sizeof L->last_cur && (*code < name || *code >= name + len)) {
        memcpy(L->last_cur, name, len);
        L->last_cur[len] = '\0';
        L->last_code = *code;
        L->last_scale = *scale;
    }
    return IFFNET_OK;
}

static int amount_of(iffnet_i_sink_t *g, iffnet_csv_t *r, const tx_layout_t *L, int f, int scale, iffnet_money_t *out)
{
    size_t len;
    const char *s = iffnet_csv_field(r, L->col[f], &len);
    iffnet_amount_status_t st = iffnet_amount_parse(s, len, scale, &iffnet_i_sink_opts(g)->amount_syntax, out);
    if (st != IFFNET_AMOUNT_OK) return BAD(g, r, "column '%s': \"%s\" %s", L->name[f], s, iffnet_amount_status_str(st));
    return IFFNET_OK;
}

/* Returns IFFNET_OK (row kept), -1 (row rejected, go on) or an error. */
static int tx_row(iffnet_i_sink_t *g, iffnet_csv_t *r, tx_layout_t *L, int64_t row)
{
    if (iffnet_csv_nfields(r) != L->nf)
        return BAD(g, r, "expected %lld fields, found %lld", (long long)L->nf, (long long)iffnet_csv_nfields(r));
    iffnet_i_tx_t t;
    char kbuf[2][512];
    size_t len;
    int e;
    memset(&t, 0, sizeof t);
    t.row = row;
    t.line = iffnet_csv_line(r);
    if (L->col[IFFNET_F_TX_ID] >= 0) {
        t.id = iffnet_csv_field(r, L->col[IFFNET_F_TX_ID], &t.id_len);
        if (t.id_len == 0) return BAD(g, r, "column '%s': the transaction id is empty", L->name[IFFNET_F_TX_ID]);
        t.id_hash = iffnet_i_csv_field_hash(r, L->col[IFFNET_F_TX_ID]);
        t.hashed |= 1;
    }
    if ((e = account_key(g, r, L, IFFNET_F_SOURCE, IFFNET_F_SOURCE_BANK, kbuf[0], sizeof kbuf[0], &t.src, &t.src_len)) ||
        (e = account_key(g, r, L, IFFNET_F_TARGET, IFFNET_F_TARGET_BANK, kbuf[1], sizeof kbuf[1], &t.dst, &t.dst_len)))
        return e;
    /* An account that is the field itself (no bank composed into it) has its
     * hash made already. */
    if (L->col[IFFNET_F_SOURCE_BANK] < 0) {
        t.src_hash = iffnet_i_csv_field_hash(r, L->col[IFFNET_F_SOURCE]);
        t.hashed |= 2;
    }
    if (L->col[IFFNET_F_TARGET_BANK] < 0) {
        t.dst_hash = iffnet_i_csv_field_hash(r, L->col[IFFNET_F_TARGET]);
        t.hashed |= 4;
    }
    const char *s = iffnet_csv_field(r, L->col[IFFNET_F_TIMESTAMP], &len);
    if (iffnet_i_sink_time(g, s, len, &t.time))
        return BAD(g, r, "column '%s': \"%s\" is not a timestamp%s", L->name[IFFNET_F_TIMESTAMP], s,
                   iffnet_i_sink_opts(g)->date_format ? " in the --date-format" : "");
    int scale, rscale;
    if ((e = currency_of(g, r, L, IFFNET_F_CURRENCY, &t.currency, &scale)) ||
        (e = amount_of(g, r, L, IFFNET_F_AMOUNT, scale, &t.amount)))
        return e;
    if (L->col[IFFNET_F_RECV_AMOUNT] >= 0) {
        t.recv_currency = t.currency;
        rscale = scale;
        if (L->col[IFFNET_F_RECV_CURRENCY] >= 0 &&
            (e = currency_of(g, r, L, IFFNET_F_RECV_CURRENCY, &t.recv_currency, &rscale)))
            return e;
        if ((e = amount_of(g, r, L, IFFNET_F_RECV_AMOUNT, rscale, &t.recv_amount))) return e;
    }
    if (L->col[IFFNET_F_CHANNEL] >= 0) t.channel = iffnet_csv_field(r, L->col[IFFNET_F_CHANNEL], &t.channel_len);
    if (L->col[IFFNET_F_REFERENCE] >= 0) t.reference = iffnet_csv_field(r, L->col[IFFNET_F_REFERENCE], &t.ref_len);
    return iffnet_i_sink_tx(g, &t);
}

int iffnet_i_read_tx_csv(iffnet_i_sink_t *g, const iffnet_source_t *s)
{
    const char *path = s->path;
    const iffnet_ingest_opts_t *o = iffnet_i_sink_opts(g);
    iffnet_csv_t *r = NULL;
    tx_layout_t L;
    int64_t rows = 0, accepted = 0, errs_before = iffnet_i_sink_errors(g);
    int err = iffnet_i_csv_open_header(&r, s, o);
    if (err) return err;
    if ((err = tx_layout(o, r, &L))) goto out;
    char what[160];
    snprintf(what, sizeof what, "column '%s'", L.name[IFFNET_F_TX_ID]);
    if ((err = iffnet_i_sink_begin_source(g, "transactions", path, what))) goto out;
    char sent[160], received[160];
    snprintf(sent, sizeof sent, "column '%s'", L.name[IFFNET_F_AMOUNT]);
    snprintf(received, sizeof received, "column '%s'", L.name[L.col[IFFNET_F_RECV_AMOUNT] >= 0 ? IFFNET_F_RECV_AMOUNT : IFFNET_F_AMOUNT]);
    if ((err = iffnet_i_sink_name_amounts(g, sent, received))) goto out;
    iffnet_i_sink_set_csv(g, r);
    const int64_t hashed[3] = {L.col[IFFNET_F_TX_ID], L.col[IFFNET_F_SOURCE], L.col[IFFNET_F_TARGET]};
    iffnet_i_csv_hash_fields(r, hashed, 3);
    for (;;) {
        int eof;
        if ((err = iffnet_csv_next(r, &eof))) goto out;
        if (eof) break;
        rows++;
        int e = tx_row(g, r, &L, rows);
        if (e > 0) {
            err = e;
            goto out;
        }
        accepted += e == 0;
        if ((rows & 0xFFFFF) == 0) progress(g, "transactions", r);
    }
    /* Bad rows stop the ingest after the sink's check of repeated ids, so that
     * every bad row is in one list. */
    (void)errs_before;
    err = iffnet_i_sink_end_csv_source(g, r, rows, accepted);
out:
    iffnet_csv_close(r);
    return err;
}

/* ---- relations ---- */

static int resolve_end(iffnet_i_sink_t *g, iffnet_csv_t *r, int64_t col, const char *colname, int64_t *ent, int64_t *acc)
{
    iffnet_case_t *c = iffnet_i_sink_case(g);
    size_t len;
    const char *id = iffnet_csv_field(r, col, &len);
    *ent = iffnet_strtab_find(&c->entity_ids, id, len);
    *acc = iffnet_strtab_find(&c->account_ids, id, len);
    if (*ent < 0 && *acc < 0) return BAD(g, r, "column '%s': unknown account or entity \"%s\"", colname, id);
    return IFFNET_OK;
}

static int relation_row(iffnet_i_sink_t *g, iffnet_csv_t *r, const int64_t col[3], int64_t nf)
{
    if (iffnet_csv_nfields(r) != nf)
        return BAD(g, r, "expected %lld fields, found %lld", (long long)nf, (long long)iffnet_csv_nfields(r));
    int64_t se, sa, de, da;
    int e = resolve_end(g, r, col[0], "source", &se, &sa);
    if (!e) e = resolve_end(g, r, col[1], "target", &de, &da);
    if (e) return e;
    size_t len;
    const char *type = iffnet_csv_field(r, col[2], &len);
    if (len == 0) return BAD(g, r, "column 'relation': the relation type is empty");
    char *t = iffnet_i_lower_snake(type, len);
    if (!t) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (strcmp(t, "holds_account") == 0 && da < 0) {
        free(t);
        return BAD(g, r, "column 'target': holds_account needs an account, \"%s\" is not one", iffnet_csv_field(r, col[1], NULL));
    }
    e = iffnet_i_sink_add_resolved_relation(g, se, sa, de, da, t);
    free(t);
    return e;
}

int iffnet_i_read_relations_csv(iffnet_i_sink_t *g, const iffnet_source_t *s)
{
    const char *path = s->path;
    iffnet_csv_t *r = NULL;
    int64_t rows = 0, accepted = 0, errs_before = iffnet_i_sink_errors(g);
    int err = iffnet_i_csv_open_header(&r, s, iffnet_i_sink_opts(g));
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
    if ((err = iffnet_i_sink_begin_source(g, "relations", path, NULL))) goto out;
    iffnet_i_sink_set_csv(g, r);
    int64_t nf = iffnet_csv_nfields(r);
    for (;;) {
        int eof;
        if ((err = iffnet_csv_next(r, &eof))) goto out;
        if (eof) break;
        rows++;
        int e = relation_row(g, r, col, nf);
        if (e > 0) {
            err = e;
            goto out;
        }
        accepted += e == 0;
    }
    if ((err = iffnet_i_sink_check_source(g, errs_before))) goto out;
    err = iffnet_i_sink_end_csv_source(g, r, rows, accepted);
out:
    iffnet_csv_close(r);
    return err;
}

/* ---- exchange rates ----
 *
 * currency,rate: the value of one unit in the base currency, the one whose rate
 * is exactly 1. date,currency,rate: rates by day; each transaction takes the
 * rate in force on its day (the latest dated on or before it), so the file
 * lists a currency whenever its rate changed. */

typedef struct { int64_t day, rate; int32_t k; int64_t line; } dated_rate_t;

static int cmp_dated(const void *pa, const void *pb)
{
    const dated_rate_t *a = pa, *b = pb;
    if (a->k != b->k) return a->k < b->k ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

typedef struct {
    iffnet_strtab_t codes;
    dated_rate_t *r;
    int64_t n, cap;
    int dated;
} rate_table_t;

static int read_rate_rows(iffnet_i_sink_t *g, iffnet_csv_t *r, const char *path, rate_table_t *T, int64_t *rows)
{
    int64_t col_cur = find_column(r, "currency"), col_rate = find_column(r, "rate"), col_date = find_column(r, "date");
    if (col_cur < 0 || col_rate < 0)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:1: the header needs columns 'currency' and 'rate' (and 'date' for dated rates)", path);
    T->dated = col_date >= 0;
    for (;;) {
        int eof;
        IFFNET_TRY(iffnet_csv_next(r, &eof));
        if (eof) break;
        (*rows)++;
        long long line = (long long)iffnet_csv_line(r);
        size_t nlen, len;
        const char *name = iffnet_csv_field(r, col_cur, &nlen);
        const char *code = iffnet_i_sink_currency(g, name, nlen);
        const char *rs = iffnet_csv_field(r, col_rate, &len);
        iffnet_money_t nano;
        iffnet_amount_status_t st = iffnet_amount_parse(rs, len, 9, NULL, &nano);
        if (!code) return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'currency': \"%s\" is not an ISO 4217 currency code", path, line, name);
        if (st != IFFNET_AMOUNT_OK || nano == 0)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'rate': \"%s\" is not a positive rate", path, line, rs);
        iffnet_time_t t = 0;
        if (T->dated) {
            const char *ds = iffnet_csv_field(r, col_date, &len);
            if (iffnet_time_parse(ds, len, NULL, &t))
                return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'date': \"%s\" is not a date", path, line, ds);
        }
        int64_t k;
        int is_new;
        IFFNET_TRY(iffnet_strtab_intern(&T->codes, code, strlen(code), &k, &is_new));
        if (!is_new && !T->dated) return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: currency %s is listed twice", path, line, code);
        IFFNET_TRY(iffnet_i_reserve((void **)&T->r, &T->cap, T->n + 1, sizeof *T->r));
        T->r[T->n++] = (dated_rate_t){t >= 0 ? t / 86400 : -((-t + 86399) / 86400), nano, (int32_t)k, line};
    }
    iffnet_i_sort(T->r, (size_t)T->n, sizeof *T->r, cmp_dated);
    for (int64_t i = 1; i < T->n; i++)
        if (T->r[i].k == T->r[i - 1].k && T->r[i].day == T->r[i - 1].day)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: currency %s has two rates for one day (also on line %lld)", path,
                                   (long long)T->r[i].line, iffnet_strtab_get(&T->codes, T->r[i].k), (long long)T->r[i - 1].line);
    return IFFNET_OK;
}

/* The base currency: the one whose every rate is exactly 1. */
static int base_of(const rate_table_t *T, const char *path, int32_t *base)
{
    *base = -1;
    for (int64_t i = 0; i < T->n;) {
        int64_t j = i;
        int all_one = 1;
        for (; j < T->n && T->r[j].k == T->r[i].k; j++) all_one &= T->r[j].rate == 1000000000;
        if (all_one) {
            if (*base >= 0)
                return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: two currencies have rate 1; the base currency must be the only one",
                                       path, (long long)T->r[i].line);
            *base = T->r[i].k;
        }
        i = j;
    }
    if (*base < 0) return iffnet_i_seterr(IFFNET_EDATA, "%s: no currency has rate 1 (the base currency)", path);
    return IFFNET_OK;
}

/* Index of the rate of currency k in force on `day`, or -1. */
static int64_t rate_on(const rate_table_t *T, int32_t k, int64_t day)
{
    int64_t lo = 0, hi = T->n, best = -1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        const dated_rate_t *m = &T->r[mid];
        if (m->k < k || (m->k == k && m->day <= day)) {
            if (m->k == k) best = mid;
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return best;
}

static int apply_rates(iffnet_i_sink_t *g, const rate_table_t *T, int32_t base, const char *path)
{
    iffnet_case_t *c = iffnet_i_sink_case(g);
    const char *base_code = iffnet_strtab_get(&T->codes, base);
    int64_t kb;
    int is_new;
    IFFNET_TRY(iffnet_strtab_intern(&c->currencies, base_code, strlen(base_code), &kb, &is_new));
    if (is_new) {
        int32_t *p = realloc(c->currency_scale, (size_t)(kb + 1) * sizeof *p);
        if (!p) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        c->currency_scale = p;
        p[kb] = iffnet_currency_scale(base_code);
    }
    c->base_currency = (int32_t)kb;
    int32_t *map = malloc((size_t)c->currencies.n * sizeof *map);
    c->currency_rate = calloc((size_t)c->currencies.n, sizeof *c->currency_rate);
    c->tx_base = malloc((size_t)(c->n_tx ? c->n_tx : 1) * sizeof *c->tx_base);
    if (!map || !c->currency_rate || !c->tx_base) {
        free(map);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    int err = IFFNET_OK;
    for (int64_t k = 0; k < c->currencies.n; k++) {
        const char *code = iffnet_strtab_get(&c->currencies, k);
        map[k] = (int32_t)iffnet_strtab_find((iffnet_strtab_t *)&T->codes, code, strlen(code));
        /* The case's rate of a currency: its last (for dated rates, the latest). */
        int64_t last = map[k] >= 0 ? rate_on(T, map[k], INT64_MAX) : -1;
        c->currency_rate[k] = last >= 0 ? T->r[last].rate : 0;
    }
    for (int64_t t = 0; t < c->n_tx && !err; t++) {
        int32_t k = c->tx_currency[t];
        int64_t day = iffnet_i_sink_local_day(g, c->tx_time[t]);
        int64_t i = map[k] >= 0 ? (T->dated ? rate_on(T, map[k], day) : rate_on(T, map[k], INT64_MAX)) : -1;
        const char *tpath = c->prov.n_inputs ? c->prov.inputs[iffnet_case_tx_input(c, t)].path : "";
        if (i < 0) {
            char d[16];
            iffnet_time_format(d, sizeof d, day * 86400, 1);
            err = map[k] < 0 ? iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'currency': \"%s\" has no rate in %s", tpath,
                                               (long long)c->tx_line[t], iffnet_case_currency(c, k), path)
                             : iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'currency': \"%s\" has no rate in %s on %s (its first is later)",
                                               tpath, (long long)c->tx_line[t], iffnet_case_currency(c, k), path, d);
            break;
        }
        err = iffnet_money_convert(c->tx_amount[t], c->currency_scale[k], T->r[i].rate, c->currency_scale[kb], &c->tx_base[t]);
    }
    free(map);
    /* The converted amounts are summed as the others are (in time order now). */
    if (!err) err = iffnet_i_sink_check_sum(g, c->tx_base, c->n_tx, c->tx_input, c->tx_input_all, c->tx_line, 0,
                                           "the amount in the base currency");
    return err;
}

int iffnet_i_read_rates(iffnet_i_sink_t *g, const iffnet_source_t *s)
{
    const char *path = s->path;
    iffnet_csv_t *r = NULL;
    rate_table_t T;
    int64_t rows = 0;
    int32_t base;
    memset(&T, 0, sizeof T);
    iffnet_strtab_init(&T.codes);
    int err = iffnet_i_csv_open_header(&r, s, iffnet_i_sink_opts(g));
    if (err) return err;
    if ((err = iffnet_i_sink_begin_source(g, "rates", path, NULL))) goto out;
    if ((err = read_rate_rows(g, r, path, &T, &rows))) goto out;
    if ((err = base_of(&T, path, &base))) goto out;
    if ((err = iffnet_i_sink_end_csv_source(g, r, rows, rows))) goto out;
    err = apply_rates(g, &T, base, path);
out:
    free(T.r);
    iffnet_strtab_destroy(&T.codes);
    iffnet_csv_close(r);
    return err;
}
