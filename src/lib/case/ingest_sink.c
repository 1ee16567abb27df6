/* ingest_sink.c: the one place where rows from any source become the case.
 *
 * Readers (ingest_csv.c, ingest_goaml.c, ingest_ftm.c, ingest_statement.c) call
 * the iffnet_i_sink_* functions declared in case_internal.h. The transaction
 * path is the hot one (ten million CSV rows): columns grow by doubling, ids are
 * appended with their hashes and checked for repeats once at the end by a radix
 * sort, account ids are interned in batches whose hash-table misses overlap.
 *
 * A transaction id seen twice: within one file it is an error (as it always
 * was); in two files with the same content (time, accounts, amounts, currencies;
 * channel and reference where both give one) it is one payment reported twice
 * (two banks' reports, both sides' statements) and is kept once and counted;
 * with different content it is an error naming both places. */
#include <ctype.h>
#include <time.h>
#include "case_internal.h"

#define ACCOUNT_BATCH 8192

struct iffnet_i_sink {
    iffnet_case_t *c;
    const iffnet_ingest_opts_t *o;
    iffnet_ingest_report_t *rep;
    iffnet_out_t skip;
    int skip_open;
    int64_t errors_cap, notes_cap;

    /* The source being read. */
    int32_t input;               /* its provenance record, -1 between sources */
    iffnet_csv_t *csv;           /* its current CSV record, for --skip-bad */
    char **what_id;              /* per input: how its id field is named in messages */
    int64_t what_cap;
    char **what_amt;             /* per input: its sent and received amounts (2 each), NULL: generic */
    int64_t what_amt_cap;
    int made_ids;                /* a source with made ids has been read */
    int made_here;               /* ... and it is the current one's prefix: 0 none, 1 plain, 2 prefixed */

    /* Transactions in input order, before the sort by time. */
    int64_t n, cap;
    iffnet_time_t *time;
    int32_t *src, *dst, *cur, *rcur, *chan;
    /* The input of each row; NULL while every row is from input first_inp (one
     * transaction file: 4 bytes a row saved). */
    int32_t *inp, first_inp;
    iffnet_money_t *amt, *ramt;
    int64_t *ref, *line;
    iffnet_strtab_t ids;
    /* Without --skip-bad, ids are appended unindexed with their hashes and checked
     * once at the end; with it, each is interned so a repeat is known at once. */
    int defer_ids;
    uint64_t *idhash;
    char *dropped;               /* rows merged into an earlier one (NULL: none) */

    /* Account ids wait here and are interned a batch at a time, in row order,
     * through an index that holds short ids in its slots (freed once the
     * transactions are in: later look-ups use the table's own index). */
    iffnet_i_keyidx_t acct_index;
    char *pk_buf;
    int64_t pk_len, pk_cap, n_pk, pk_n_cap;  /* pk_n_cap: slots of pk_off .. pk_klen */
    int64_t *pk_off, *pk_ids, *pk_slot;  /* slot: 2 * row + (0 source, 1 target) */
    uint64_t *pk_hash;
    const char **pk_str;
    size_t *pk_klen;

    char last_cur[16], last_chan[64];
    const char *last_cur_ptr;
    int32_t last_cur_id, last_chan_id;

    /* Entities: where each was first described. */
    int64_t ent_cap;
    int32_t *ent_input;
    int64_t *ent_line;
    /* Attributes as (entity, name, text) triples, laid out at the end. */
    int64_t n_at, at_cap;
    int64_t *at_e, *at_k, *at_v;

    /* Relations by id, resolved when the accounts are known. */
    iffnet_strtab_t rel_ids;
    iffnet_strtab_t rel_seen;    /* queued relations, to keep each once */
    int64_t n_q, q_cap;
    int64_t r_cap;               /* capacity of the case's relation columns */
    int64_t errors_at_tx;        /* bad records before the transaction sources */
    int64_t *q_src, *q_dst, *q_type, *q_line;
    int32_t *q_input;

    iffnet_strtab_t iso;         /* currency codes: the ISO 4217 list, or those seen */
    char **code_str;             /* their stable copies */
    int64_t code_cap;
    int have_iso;
    iffnet_csv_t *iso_reader;    /* see load_currencies */
    iffnet_tz_t *tz;
    int64_t local_times, merged, matched;
    iffnet_strtab_t ref_keys;    /* iffnet_i_sink_ref_*: key i names ref_vals[i] */
    char **ref_vals;
    int64_t ref_cap;
};

int iffnet_i_sink_ref_set(iffnet_i_sink_t *g, const char *key, const char *value)
{
    int64_t k;
    int is_new;
    IFFNET_TRY(iffnet_strtab_intern(&g->ref_keys, key, strlen(key), &k, &is_new));
    if (!is_new) return IFFNET_OK;
    IFFNET_TRY(iffnet_i_reserve((void **)&g->ref_vals, &g->ref_cap, k + 1, sizeof *g->ref_vals));
    if (!(g->ref_vals[k] = iffnet_i_strdup(value))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    return IFFNET_OK;
}

const char *iffnet_i_sink_ref_get(iffnet_i_sink_t *g, const char *key)
{
    int64_t k = g->ref_keys.n ? iffnet_strtab_find(&g->ref_keys, key, strlen(key)) : -1;
    return k >= 0 ? g->ref_vals[k] : NULL;
}

/* ---- small helpers ---- */

char *iffnet_i_lower_snake(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (!d) return NULL;
    for (size_t i = 0; i < len; i++) d[i] = s[i] == ' ' || s[i] == '-' ? '_' : (char)tolower((unsigned char)s[i]);
    d[len] = '\0';
    return d;
}

static int add_text(iffnet_case_t *c, const char *s, size_t len, int64_t *id)
{
    if (!s || len == 0) {
        *id = -1;
        return IFFNET_OK;
    }
    return iffnet_strtab_intern(&c->text, s, len, id, NULL);
}

static int oom(void)
{
    return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
}

const iffnet_ingest_opts_t *iffnet_i_sink_opts(const iffnet_i_sink_t *g) { return g->o; }
iffnet_case_t *iffnet_i_sink_case(iffnet_i_sink_t *g) { return g->c; }
void iffnet_i_sink_set_csv(iffnet_i_sink_t *g, iffnet_csv_t *r) { g->csv = r; }
int64_t iffnet_i_sink_errors(const iffnet_i_sink_t *g) { return g->rep->n_errors; }
void iffnet_i_sink_count_matched(iffnet_i_sink_t *g, int64_t n) { g->matched += n; }

static const char *input_path(const iffnet_i_sink_t *g, int32_t k)
{
    return k >= 0 && k < g->c->prov.n_inputs ? g->c->prov.inputs[k].path : "";
}

/* ---- errors and notes ---- */

static int keep_error(iffnet_i_sink_t *g, char *m)
{
    if (!m) return oom();
    g->rep->n_errors++;
    if (g->rep->n_kept < g->o->max_errors) {
        if (iffnet_i_reserve((void **)&g->rep->errors, &g->errors_cap, g->rep->n_kept + 1, sizeof *g->rep->errors)) {
            free(m);
            return IFFNET_ENOMEM;
        }
        g->rep->errors[g->rep->n_kept++].message = m;
    } else {
        free(m);
    }
    return IFFNET_OK;
}

int iffnet_i_sink_bad(iffnet_i_sink_t *g, int64_t line, const char *record, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *path = input_path(g, g->input);
    /* A negative line: the message names its own place (file:line:column). */
    IFFNET_TRY(keep_error(g, line < 0 ? iffnet_i_strdup(msg) : iffnet_i_asprintf("%s:%lld: %s", path, (long long)line, msg)));
    if (line < 0) line = -line;
    if (g->o->skip_bad_path) {
        FILE *fp = g->skip.fp;
        iffnet_csv_write_cell(fp, path, ',');
        fprintf(fp, ",%lld,", (long long)line);
        iffnet_csv_write_cell(fp, msg, ',');
        putc(',', fp);
        if (record) iffnet_csv_write_cell(fp, record, ',');
        else if (g->csv) iffnet_csv_write_record(g->csv, fp, ',');
        putc('\n', fp);
        g->rep->skipped++;
        return IFFNET_OK;
    }
    if (g->rep->n_errors >= g->o->max_errors)
        return iffnet_i_seterr(IFFNET_EDATA, "%s", g->rep->errors[0].message);
    return IFFNET_OK;
}

int iffnet_i_sink_note(iffnet_i_sink_t *g, const char *fmt, ...)
{
    va_list ap;
    g->rep->n_notes++;
    if (g->rep->notes_kept >= 20) return IFFNET_OK;
    va_start(ap, fmt);
    char *m = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    if (!m) return oom();
    if (iffnet_i_reserve((void **)&g->rep->notes, &g->notes_cap, g->rep->notes_kept + 1, sizeof *g->rep->notes)) {
        free(m);
        return IFFNET_ENOMEM;
    }
    g->rep->notes[g->rep->notes_kept++] = m;
    return IFFNET_OK;
}

int iffnet_i_sink_check_source(iffnet_i_sink_t *g, int64_t errors_before)
{
    if (g->rep->n_errors > errors_before && !g->o->skip_bad_path)
        return iffnet_i_seterr(IFFNET_EDATA, "%s", g->rep->errors[0].message);
    return IFFNET_OK;
}

/* ---- sources ---- */

int iffnet_i_source_open(const iffnet_source_t *s, iffnet_i_in_t **in)
{
    return s->data ? iffnet_i_in_open_mem(in, s->path, s->data, s->size) : iffnet_i_in_open(in, s->path);
}

int iffnet_i_source_open_xml(const iffnet_source_t *s, iffnet_i_xr_t **x)
{
    return s->data ? iffnet_i_xr_open_mem(x, s->path, s->data, s->size) : iffnet_i_xr_open(x, s->path);
}

int iffnet_i_sink_begin_source(iffnet_i_sink_t *g, const char *role, const char *path, const char *what_id)
{
    iffnet_provenance_t *p = &g->c->prov;
    if (p->n_inputs >= INT32_MAX) return iffnet_i_seterr(IFFNET_ELIMIT, "too many input files");
    iffnet_input_t *in = realloc(p->inputs, (size_t)(p->n_inputs + 1) * sizeof *in);
    if (!in) return oom();
    p->inputs = in;
    in = &p->inputs[p->n_inputs];
    memset(in, 0, sizeof *in);
    in->role = iffnet_i_strdup(role);
    in->path = iffnet_i_strdup(path);
    if (iffnet_i_reserve((void **)&g->what_id, &g->what_cap, p->n_inputs + 1, sizeof *g->what_id)) {
        free(in->role);
        free(in->path);
        return IFFNET_ENOMEM;
    }
    g->what_id[p->n_inputs] = iffnet_i_strdup(what_id ? what_id : "transaction id");
    if (!in->role || !in->path || !g->what_id[p->n_inputs]) {
        free(in->role);
        free(in->path);
        free(g->what_id[p->n_inputs]);
        return oom();
    }
    /* Newlines and tabs would break the case file's META block. */
    for (char *q = in->path; *q; q++)
        if (*q == '\n' || *q == '\t') *q = ' ';
    g->input = (int32_t)p->n_inputs++;
    g->csv = NULL;
    g->made_here = 0;
    return IFFNET_OK;
}

int iffnet_i_sink_name_amounts(iffnet_i_sink_t *g, const char *sent, const char *received)
{
    int64_t k = g->input;
    if (k < 0) return iffnet_i_seterr(IFFNET_EINTERNAL, "amounts named outside a source");
    int64_t old = g->what_amt_cap;
    IFFNET_TRY(iffnet_i_reserve((void **)&g->what_amt, &g->what_amt_cap, 2 * k + 2, sizeof *g->what_amt));
    memset(g->what_amt + old, 0, (size_t)(g->what_amt_cap - old) * sizeof *g->what_amt);
    free(g->what_amt[2 * k]);
    free(g->what_amt[2 * k + 1]);
    g->what_amt[2 * k] = iffnet_i_strdup(sent);
    g->what_amt[2 * k + 1] = iffnet_i_strdup(received);
    return g->what_amt[2 * k] && g->what_amt[2 * k + 1] ? IFFNET_OK : oom();
}

/* Every sum iffnet forms over the transactions (totals, an account's flows, an
 * alert's amount, a trace's) is a sum over part of a column of amounts: when the
 * whole column adds up within 64 bits, none of them can overflow. A column whose
 * amounts do not is refused at the row where the running total stops fitting,
 * rather than letting a later command print a wrapped figure. v[i] came from
 * input inp[i] (inp NULL: inp_all) at line[i]; received: the received amounts. */
int iffnet_i_sink_check_sum(const iffnet_i_sink_t *g, const iffnet_money_t *v, int64_t n, const int32_t *inp,
                            int32_t inp_all, const int64_t *line, int received, const char *what)
{
    iffnet_money_t sum = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!iffnet_i_money_add(&sum, v[i])) continue;
        int32_t k = inp ? inp[i] : inp_all;
        const char *name = what ? what
                         : k < g->what_amt_cap / 2 && g->what_amt[2 * k + received] ? g->what_amt[2 * k + received]
                         : received ? "the amount received" : "the amount";
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: %s: the amounts up to this row add up to more than "
                               "9223372036854775807 minor units, more than iffnet can sum exactly",
                               input_path(g, k), (long long)line[i], name);
    }
    return IFFNET_OK;
}

static int end_source(iffnet_i_sink_t *g, int err_hash, int64_t rows, int64_t accepted)
{
    if (err_hash) return err_hash;
    iffnet_input_t *in = &g->c->prov.inputs[g->input];
    in->rows_read = rows;
    in->rows_accepted = accepted;
    in->rows_rejected = rows - accepted;
    g->input = -1;
    g->csv = NULL;
    return IFFNET_OK;
}

int iffnet_i_sink_end_source(iffnet_i_sink_t *g, iffnet_i_in_t *in, int64_t rows, int64_t accepted)
{
    iffnet_input_t *p = &g->c->prov.inputs[g->input];
    return end_source(g, iffnet_i_in_finish_hash(in, p->sha256, &p->size), rows, accepted);
}

int iffnet_i_sink_end_csv_source(iffnet_i_sink_t *g, iffnet_csv_t *r, int64_t rows, int64_t accepted)
{
    iffnet_input_t *p = &g->c->prov.inputs[g->input];
    return end_source(g, iffnet_csv_finish_hash(r, p->sha256, &p->size), rows, accepted);
}

/* ---- currencies and times ---- */

/* Adds code to the table of known codes; each has its own stable copy, so the
 * pointers handed out stay valid while the table grows. */
static int add_code(iffnet_i_sink_t *g, const char *code, size_t len, int64_t *k)
{
    int is_new;
    IFFNET_TRY(iffnet_strtab_intern(&g->iso, code, len, k, &is_new));
    if (!is_new) return IFFNET_OK;
    IFFNET_TRY(iffnet_i_reserve((void **)&g->code_str, &g->code_cap, *k + 1, sizeof *g->code_str));
    if (!(g->code_str[*k] = iffnet_i_strdup(iffnet_strtab_get(&g->iso, *k)))) return oom();
    return IFFNET_OK;
}

static int load_currencies(iffnet_i_sink_t *g, const char *path)
{
    iffnet_csv_t *r = NULL;
    int eof, err = iffnet_csv_open(&r, path, ',');
    if (err) return err;
    /* code,minor_units,name,kind with a header line; '#' lines are comments. */
    int header = 1;
    for (;;) {
        if ((err = iffnet_csv_next(r, &eof)) || eof) break;
        size_t len;
        const char *code = iffnet_csv_field(r, 0, &len);
        if (code[0] == '#') continue;
        if (header) {
            header = 0;
            continue;
        }
        if (len < 3 || len > 4 || iffnet_currency_code(code) != code) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: \"%s\" is not a currency code", path,
                                  (long long)iffnet_csv_line(r), code);
            break;
        }
        int64_t k;
        if ((err = add_code(g, code, len, &k))) break;
    }
    g->have_iso = !err;
    /* Closed with the sink, not now: freeing the reader's 1 MB buffers before the
     * transaction columns grow would raise glibc's dynamic mmap threshold, and
     * the columns' doubling reallocs would then fragment the heap (10% more peak
     * RSS on the 10-million-row benchmark). */
    g->iso_reader = r;
    return err;
}

const char *iffnet_i_sink_currency(iffnet_i_sink_t *g, const char *name, size_t len)
{
    char buf[65];
    if (len == 0 || len >= sizeof buf || memchr(name, '\0', len)) return NULL;
    for (int64_t i = 0; i < g->o->n_currency_aliases; i++) {
        const char *a = g->o->currency_aliases[i], *eq = strchr(a, '=');
        if (eq && (size_t)(eq - a) == len && memcmp(a, name, len) == 0) {
            name = eq + 1;
            len = strlen(name);
            if (len >= sizeof buf) return NULL;
            break;
        }
    }
    memcpy(buf, name, len);
    buf[len] = '\0';
    const char *code = iffnet_currency_code(buf);
    if (!code) return NULL;
    int64_t k = iffnet_strtab_find(&g->iso, code, strlen(code));
    if (k < 0 && (g->have_iso || add_code(g, code, strlen(code), &k))) return NULL;
    return g->code_str[k];
}

int iffnet_i_sink_time(iffnet_i_sink_t *g, const char *s, size_t len, iffnet_time_t *t)
{
    return iffnet_i_sink_time_fmt(g, s, len, g->o->date_format, t);
}

int iffnet_i_sink_time_fmt(iffnet_i_sink_t *g, const char *s, size_t len, const char *format, iffnet_time_t *t)
{
    int zoned;
    if (iffnet_time_parse_zoned(s, len, &g->o->time_syntax, format, t, &zoned)) return -1;
    if (!zoned) {
        g->local_times++;
        if (g->tz) *t = iffnet_tz_to_utc(g->tz, *t);
        /* The zone's offset can move a wall-clock time at either end of the
         * accepted years across the edge. */
        if (*t < IFFNET_TIME_MIN || *t > IFFNET_TIME_MAX) return -1;
    }
    return 0;
}

/* ---- transactions ---- */

#define INP(g, i) ((g)->inp ? (g)->inp[i] : (g)->first_inp)

/* Records row i's input, making the per-row column when a second input comes. */
static int set_input(iffnet_i_sink_t *g, int64_t i)
{
    if (!g->inp && i == 0) g->first_inp = g->input;
    if (!g->inp && g->input != g->first_inp) {
        g->inp = malloc((size_t)(g->cap ? g->cap : 1) * sizeof *g->inp);
        if (!g->inp) return oom();
        for (int64_t k = 0; k < i; k++) g->inp[k] = g->first_inp;
    }
    if (g->inp) g->inp[i] = g->input;
    return IFFNET_OK;
}

static int grow_tx(iffnet_i_sink_t *g)
{
    if (g->n < g->cap) return IFFNET_OK;
    int64_t ncap = g->cap ? g->cap * 2 : 256;
#define GROW(p) do { void *q_ = realloc(g->p, (size_t)ncap * sizeof *g->p); \
        if (!q_) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (%lld transactions)", (long long)ncap); \
        g->p = q_; } while (0)
    GROW(time); GROW(src); GROW(dst); GROW(cur); GROW(rcur); GROW(chan);
    if (g->inp) GROW(inp);
    GROW(amt); GROW(ramt); GROW(ref); GROW(line);
    if (g->defer_ids) GROW(idhash);
#undef GROW
    g->cap = ncap;
    return IFFNET_OK;
}

static int flush_accounts(iffnet_i_sink_t *g)
{
    if (g->n_pk == 0) return IFFNET_OK;
    for (int64_t k = 0; k < g->n_pk; k++) g->pk_str[k] = g->pk_buf + g->pk_off[k];
    IFFNET_TRY(iffnet_i_keyidx_intern_many(&g->acct_index, &g->c->account_ids, g->n_pk, g->pk_str, g->pk_klen,
                                           g->pk_hash, g->pk_ids));
    for (int64_t k = 0; k < g->n_pk; k++) {
        if (g->pk_ids[k] > INT32_MAX - 1) return iffnet_i_seterr(IFFNET_ELIMIT, "more than 2^31 accounts");
        int64_t row = g->pk_slot[k] >> 1;
        (g->pk_slot[k] & 1 ? g->dst : g->src)[row] = (int32_t)g->pk_ids[k];
    }
    g->n_pk = 0;
    g->pk_len = 0;
    return IFFNET_OK;
}

/* Room for one more queued account id: the batch arrays grow as ids come, up
 * to ACCOUNT_BATCH, so a small file does not pay for a whole batch. */
static int grow_pending(iffnet_i_sink_t *g)
{
    if (g->n_pk < g->pk_n_cap) return IFFNET_OK;
    int64_t ncap = g->pk_n_cap ? 2 * g->pk_n_cap : 64;
    if (ncap > ACCOUNT_BATCH) ncap = ACCOUNT_BATCH;
#define GROW(p) do { void *q_ = realloc(g->p, (size_t)ncap * sizeof *g->p); if (!q_) return oom(); g->p = q_; } while (0)
    GROW(pk_off); GROW(pk_ids); GROW(pk_slot); GROW(pk_str); GROW(pk_klen); GROW(pk_hash);
#undef GROW
    g->pk_n_cap = ncap;
    return IFFNET_OK;
}

/* hash: iffnet_i_hash_bytes(s, len) if have_hash, else made here. */
static int queue_account(iffnet_i_sink_t *g, const char *s, size_t len, uint64_t hash, int have_hash, int64_t row,
                         int is_target)
{
    if (g->n_pk == ACCOUNT_BATCH) IFFNET_TRY(flush_accounts(g));
    IFFNET_TRY(grow_pending(g));
    if (g->pk_len + (int64_t)len + 1 > g->pk_cap)
        IFFNET_TRY(iffnet_i_reserve((void **)&g->pk_buf, &g->pk_cap, g->pk_len + (int64_t)len + 1, 1));
    memcpy(g->pk_buf + g->pk_len, s, len);
    g->pk_buf[g->pk_len + (int64_t)len] = '\0';
    g->pk_off[g->n_pk] = g->pk_len;
    g->pk_klen[g->n_pk] = len;
    g->pk_slot[g->n_pk] = 2 * row + is_target;
    g->pk_hash[g->n_pk] = have_hash ? hash : iffnet_i_hash_bytes(s, len);
    g->n_pk++;
    g->pk_len += (int64_t)len + 1;
    return IFFNET_OK;
}

static int intern_currency(iffnet_i_sink_t *g, const char *code, int32_t *out)
{
    int64_t k;
    int is_new;
    IFFNET_TRY(iffnet_strtab_intern(&g->c->currencies, code, strlen(code), &k, &is_new));
    if (is_new) {
        int32_t *p = realloc(g->c->currency_scale, (size_t)(k + 1) * sizeof *p);
        if (!p) return oom();
        g->c->currency_scale = p;
        p[k] = iffnet_currency_scale(code);
    }
    *out = (int32_t)k;
    return IFFNET_OK;
}

/* Most rows repeat the last row's currency and channel. */
static int row_currency(iffnet_i_sink_t *g, const char *code, int32_t *out)
{
    /* Codes come from the sink's own stable copies: the same pointer is the same code. */
    if (g->last_cur_id >= 0 && (code == g->last_cur_ptr || strcmp(code, g->last_cur) == 0)) {
        g->last_cur_ptr = code;
        *out = g->last_cur_id;
        return IFFNET_OK;
    }
    IFFNET_TRY(intern_currency(g, code, out));
    if (strlen(code) < sizeof g->last_cur) {
        strcpy(g->last_cur, code);
        g->last_cur_id = *out;
        g->last_cur_ptr = code;
    }
    return IFFNET_OK;
}

static int row_channel(iffnet_i_sink_t *g, const char *s, size_t len, int32_t *out)
{
    *out = -1;
    if (!s || len == 0) return IFFNET_OK;
    if (g->last_chan_id >= 0 && len < sizeof g->last_chan && memcmp(s, g->last_chan, len) == 0 &&
        g->last_chan[len] == '\0') {
        *out = g->last_chan_id;
        return IFFNET_OK;
    }
    char *ch = iffnet_i_lower_snake(s, len);
    int64_t k;
    if (!ch) return oom();
    int e = iffnet_strtab_intern(&g->c->channels, ch, len, &k, NULL);
    free(ch);
    IFFNET_TRY(e);
    *out = (int32_t)k;
    if (len < sizeof g->last_chan) {
        memcpy(g->last_chan, s, len);
        g->last_chan[len] = '\0';
        g->last_chan_id = (int32_t)k;
    }
    return IFFNET_OK;
}

/* The id of a row without one: its record number; after the first such source,
 * prefixed by the input's number so two files' rows never share an id. */
static int made_id(iffnet_i_sink_t *g, int64_t row, char *buf, size_t cap, size_t *len)
{
    if (!g->made_here) {
        g->made_here = g->made_ids ? 2 : 1;
        g->made_ids = 1;
    }
    int n = g->made_here == 1 ? snprintf(buf, cap, "%lld", (long long)row)
                              : snprintf(buf, cap, "%d#%lld", (int)g->input + 1, (long long)row);
    if (n < 0 || (size_t)n >= cap) return iffnet_i_seterr(IFFNET_EINTERNAL, "row number too long");
    *len = (size_t)n;
    return IFFNET_OK;
}

static int same_text(const iffnet_case_t *c, int64_t a, int64_t b)
{
    return a < 0 || b < 0 || a == b || strcmp(iffnet_case_text(c, a), iffnet_case_text(c, b)) == 0;
}

/* What differs between rows i and j ("" when they are the same payment). Needs
 * both rows' accounts interned. */
static const char *payment_difference(const iffnet_i_sink_t *g, int64_t i, int64_t j)
{
    const iffnet_case_t *c = g->c;
    if (g->time[i] != g->time[j]) return "time";
    if (g->src[i] != g->src[j]) return "source account";
    if (g->dst[i] != g->dst[j]) return "target account";
    if (g->amt[i] != g->amt[j] || g->cur[i] != g->cur[j]) return "amount";
    if (g->ramt[i] != g->ramt[j] || g->rcur[i] != g->rcur[j]) return "amount received";
    if (g->chan[i] >= 0 && g->chan[j] >= 0 && g->chan[i] != g->chan[j]) return "channel";
    if (!same_text(c, g->ref[i], g->ref[j])) return "reference";
    return "";
}

/* Row j repeats row i's payment: keep i, completing what j adds. */
static void merge_into(iffnet_i_sink_t *g, int64_t i, int64_t j)
{
    if (g->chan[i] < 0) g->chan[i] = g->chan[j];
    if (g->ref[i] < 0) g->ref[i] = g->ref[j];
    g->c->prov.inputs[INP(g, j)].rows_merged++;
    g->merged++;
}

static int repeat_error(iffnet_i_sink_t *g, int64_t first, int64_t again, const char *diff)
{
    const char *id = iffnet_strtab_get(&g->ids, first);
    if (INP(g, first) == INP(g, again))
        return keep_error(g, iffnet_i_asprintf("%s:%lld: %s: duplicate transaction id \"%s\" (first on line %lld)",
                                               input_path(g, INP(g, again)), (long long)g->line[again],
                                               g->what_id[INP(g, again)], id, (long long)g->line[first]));
    return keep_error(g, iffnet_i_asprintf("%s:%lld: %s: transaction id \"%s\" was given with a different %s at %s:%lld",
                                           input_path(g, INP(g, again)), (long long)g->line[again],
                                           g->what_id[INP(g, again)], id, diff, input_path(g, INP(g, first)),
                                           (long long)g->line[first]));
}

/* With --skip-bad: the id is interned now and a repeat handled at once, before
 * anything of the row enters the case. Returns 0 new, 1 merged, -1 rejected, or
 * an error. */
static int check_id_now(iffnet_i_sink_t *g, const char *id, size_t len, const iffnet_i_tx_t *t)
{
    iffnet_case_t *c = g->c;
    int64_t k;
    int is_new;
    IFFNET_TRY(iffnet_strtab_intern(&g->ids, id, len, &k, &is_new));
    if (is_new) return 0;
    IFFNET_TRY(flush_accounts(g));   /* the earlier row's accounts */
    const char *diff = "";
    const char *ks = iffnet_case_account_id(c, g->src[k]), *kd = iffnet_case_account_id(c, g->dst[k]);
    const char *rc = t->recv_currency ? t->recv_currency : t->currency;
    iffnet_money_t ra = t->recv_currency ? t->recv_amount : t->amount;
    if (INP(g, k) == g->input) diff = "same file";
    else if (g->time[k] != t->time) diff = "time";
    else if (strlen(ks) != t->src_len || memcmp(ks, t->src, t->src_len) != 0) diff = "source account";
    else if (strlen(kd) != t->dst_len || memcmp(kd, t->dst, t->dst_len) != 0) diff = "target account";
    else if (g->amt[k] != t->amount || strcmp(iffnet_case_currency(c, g->cur[k]), t->currency) != 0) diff = "amount";
    else if (g->ramt[k] != ra || strcmp(iffnet_case_currency(c, g->rcur[k]), rc) != 0) diff = "amount received";
    else if (g->ref[k] >= 0 && t->ref_len && (strlen(iffnet_case_text(c, g->ref[k])) != t->ref_len ||
                                             memcmp(iffnet_case_text(c, g->ref[k]), t->reference, t->ref_len) != 0))
        diff = "reference";
    if (!*diff) {
        /* The same payment: keep the first, completing what this one adds. */
        if (g->chan[k] < 0) IFFNET_TRY(row_channel(g, t->channel, t->channel_len, &g->chan[k]));
        if (g->ref[k] < 0) IFFNET_TRY(add_text(c, t->reference, t->ref_len, &g->ref[k]));
        c->prov.inputs[g->input].rows_merged++;
        g->merged++;
        return 1;
    }
    int err = INP(g, k) == g->input
        ? iffnet_i_sink_bad(g, t->line, NULL, "%s: duplicate transaction id \"%.*s\" (first on line %lld)",
                            g->what_id[g->input], (int)len, id, (long long)g->line[k])
        : iffnet_i_sink_bad(g, t->line, NULL, "%s: transaction id \"%.*s\" was given with a different %s at %s:%lld",
                            g->what_id[g->input], (int)len, id, diff, input_path(g, INP(g, k)), (long long)g->line[k]);
    return err ? err : -1;
}

int iffnet_i_sink_tx(iffnet_i_sink_t *g, const iffnet_i_tx_t *t)
{
    IFFNET_TRY(grow_tx(g));
    int64_t i = g->n;
    char idbuf[48];
    const char *id = t->id;
    size_t idlen = t->id_len;
    if (!id) {
        IFFNET_TRY(made_id(g, t->row, idbuf, sizeof idbuf, &idlen));
        id = idbuf;
    }
    if (!g->defer_ids) {
        int r = check_id_now(g, id, idlen, t);
        if (r) return r == 1 ? IFFNET_OK : r;
    }
    g->time[i] = t->time;
    g->amt[i] = t->amount;
    g->ramt[i] = t->recv_currency ? t->recv_amount : t->amount;
    g->line[i] = t->line;
    IFFNET_TRY(set_input(g, i));
    IFFNET_TRY(row_currency(g, t->currency, &g->cur[i]));
    if (t->recv_currency) IFFNET_TRY(intern_currency(g, t->recv_currency, &g->rcur[i]));
    else g->rcur[i] = g->cur[i];
    IFFNET_TRY(row_channel(g, t->channel, t->channel_len, &g->chan[i]));
    IFFNET_TRY(add_text(g->c, t->reference, t->ref_len, &g->ref[i]));
    if (g->defer_ids) {
        int64_t k;
        g->idhash[i] = id == t->id && (t->hashed & 1) ? t->id_hash : iffnet_i_hash_bytes(id, idlen);
        IFFNET_TRY(iffnet_strtab_append(&g->ids, id, idlen, &k));
    }
    IFFNET_TRY(queue_account(g, t->src, t->src_len, t->src_hash, t->hashed & 2, i, 0));
    IFFNET_TRY(queue_account(g, t->dst, t->dst_len, t->dst_hash, t->hashed & 4, i, 1));
    g->n++;
    return IFFNET_OK;
}

/* ---- the repeat check over all rows (without --skip-bad) ---- */

/* A row as the sort sees it: the top 32 bits of its id's hash, then the row
 * (rows are below 2^32), so that ordering the words orders by (hash bits, row)
 * and the sort moves 8 bytes a row. */
static uint64_t hash_row(const iffnet_i_sink_t *g, int64_t i)
{
    return (g->idhash[i] >> 32) << 32 | (uint64_t)i;
}

static int64_t row_of(uint64_t w)
{
    return (int64_t)(w & 0xFFFFFFFF);
}

/* Below this many rows a comparison sort is cheaper than the radix sort's two
 * passes over 65536 counters (most files of a multi-file case are small). */
#define RADIX_MIN_ROWS 4096

/* LSD radix sort on the hash bits, 16 bits a pass: the words start in row
 * order and each pass is stable, so the result is ordered by (hash bits, row),
 * the order the comparison sort of small inputs gives. Rows that agree on
 * those bits are told apart by the full hash and the strings. */
static int radix_sort_hashes(uint64_t *a, int64_t n)
{
    if (n < RADIX_MIN_ROWS) {
        iffnet_i_sort(a, (size_t)n, sizeof *a, iffnet_i_cmp_u64);
        return IFFNET_OK;
    }
    uint64_t *tmp = malloc((size_t)(n ? n : 1) * sizeof *tmp);
    int64_t *count = malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory checking transaction ids");
    }
    for (int shift = 32; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (int64_t i = 0; i < n; i++) count[(a[i] >> shift) & 0xFFFF]++;
        int64_t sum = 0;
        for (int k = 0; k < 65536; k++) {
            int64_t c = count[k];
            count[k] = sum;
            sum += c;
        }
        for (int64_t i = 0; i < n; i++) tmp[count[(a[i] >> shift) & 0xFFFF]++] = a[i];
        uint64_t *t = a;
        a = tmp;
        tmp = t;
    }
    /* Two passes: the sorted words are back in the caller's array. */
    free(tmp);
    free(count);
    return IFFNET_OK;
}

typedef struct { int64_t input, line, first, again; const char *diff; } repeat_t;

static int cmp_repeat(const void *pa, const void *pb)
{
    const repeat_t *a = pa, *b = pb;
    if (a->input != b->input) return a->input < b->input ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

static int check_repeats(iffnet_i_sink_t *g)
{
    int64_t n = g->n;
    if (n > (int64_t)UINT32_MAX) return iffnet_i_seterr(IFFNET_ELIMIT, "more than 2^32 transactions");
    uint64_t *a = malloc((size_t)(n ? n : 1) * sizeof *a);
    repeat_t *rep = NULL;
    int64_t nrep = 0, cap = 0;
    if (!a) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory checking transaction ids");
    for (int64_t i = 0; i < n; i++) a[i] = hash_row(g, i);
    int err = radix_sort_hashes(a, n);
    for (int64_t i = 0; !err && i < n;) {
        int64_t j = i + 1;
        while (j < n && a[j] >> 32 == a[i] >> 32) j++;
        /* Rows within a run are in input order (the radix sort is stable). */
        for (int64_t x = i + 1; x < j && !err; x++) {
            int64_t rx = row_of(a[x]);
            const char *sx = iffnet_strtab_get(&g->ids, rx);
            for (int64_t y = i; y < x; y++) {
                int64_t ry = row_of(a[y]);
                if (g->idhash[ry] != g->idhash[rx] || strcmp(sx, iffnet_strtab_get(&g->ids, ry)) != 0) continue;
                if (g->dropped && g->dropped[ry]) continue;
                int64_t first = ry, again = rx;
                const char *diff = INP(g, first) == INP(g, again) ? "same file" : payment_difference(g, first, again);
                if (!*diff) {
                    if (!g->dropped && !(g->dropped = calloc((size_t)n, 1))) {
                        err = oom();
                        break;
                    }
                    g->dropped[again] = 1;
                    merge_into(g, first, again);
                } else if (!(err = iffnet_i_reserve((void **)&rep, &cap, nrep + 1, sizeof *rep))) {
                    rep[nrep++] = (repeat_t){INP(g, again), g->line[again], first, again, diff};
                }
                break;
            }
        }
        i = j;
    }
    free(a);
    iffnet_i_sort(rep, (size_t)nrep, sizeof *rep, cmp_repeat);
    for (int64_t k = 0; k < nrep && !err; k++) err = repeat_error(g, rep[k].first, rep[k].again, rep[k].diff);
    free(rep);
    return err;
}

/* Removes the merged rows (kept in input order). */
static int drop_merged(iffnet_i_sink_t *g)
{
    if (!g->dropped) return IFFNET_OK;
    iffnet_strtab_t ids;
    iffnet_strtab_init(&ids);
    int64_t k = 0;
    for (int64_t i = 0; i < g->n; i++) {
        if (g->dropped[i]) continue;
        const char *s = iffnet_strtab_get(&g->ids, i);
        int64_t id;
        int err = iffnet_strtab_append(&ids, s, strlen(s), &id);
        if (err) {
            iffnet_strtab_destroy(&ids);
            return err;
        }
        g->time[k] = g->time[i]; g->src[k] = g->src[i]; g->dst[k] = g->dst[i]; g->cur[k] = g->cur[i];
        g->rcur[k] = g->rcur[i]; g->chan[k] = g->chan[i]; if (g->inp) g->inp[k] = g->inp[i]; g->amt[k] = g->amt[i];
        g->ramt[k] = g->ramt[i]; g->ref[k] = g->ref[i]; g->line[k] = g->line[i];
        k++;
    }
    iffnet_strtab_destroy(&g->ids);
    g->ids = ids;
    g->n = k;
    free(g->dropped);
    g->dropped = NULL;
    return IFFNET_OK;
}

/* ---- statements of both sides of a payment ----
 *
 * The payer's bank lists a payment as a debit of the payer's account, the
 * payee's bank as a credit of the payee's: two rows, one payment. Rows of two
 * different statement files match when they have the same payer and payee
 * accounts, amount and currency, dates at most match_days apart (banks book a
 * transfer on different days: SEPA credits the payee at most one business day
 * after the debit, and a weekend makes that three calendar days), and, where
 * both give a reference, references equal or one containing the other once
 * case, blanks and punctuation are ignored. Each row matches at most one other:
 * in time order, the closest date first. The earlier row is kept (the money
 * left then); the later one completes it and is counted as matched. */

static int is_statement(const iffnet_i_sink_t *g, int32_t k)
{
    const char *role = g->c->prov.inputs[k].role;
    return strcmp(role, "statement") == 0 || strcmp(role, "camt") == 0;
}

static void norm_ref(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80) out[n++] = (char)tolower((unsigned char)*s);
    out[n] = '\0';
}

static int refs_agree(const iffnet_i_sink_t *g, int64_t i, int64_t j)
{
    if (g->ref[i] < 0 || g->ref[j] < 0) return 1;
    char a[512], b[512];
    norm_ref(iffnet_case_text(g->c, g->ref[i]), a, sizeof a);
    norm_ref(iffnet_case_text(g->c, g->ref[j]), b, sizeof b);
    return !*a || !*b || strstr(a, b) || strstr(b, a);
}

static int cmp_stmt(const void *pa, const void *pb, void *arg)
{
    const iffnet_i_sink_t *g = arg;
    int64_t i = *(const int64_t *)pa, j = *(const int64_t *)pb;
#define CMPF(f) if (g->f[i] != g->f[j]) return g->f[i] < g->f[j] ? -1 : 1
    CMPF(src); CMPF(dst); CMPF(cur); CMPF(amt); CMPF(time);
#undef CMPF
    return (i > j) - (i < j);
}

static int match_statements(iffnet_i_sink_t *g)
{
    iffnet_i_vec_t v = {0};
    int err = IFFNET_OK, any = 0;
    int64_t ni = g->c->prov.n_inputs;
    char *stmt = calloc((size_t)ni + 1, 1);
    if (!stmt) return oom();
    for (int64_t k = 0; k < ni; k++) any |= stmt[k] = (char)is_statement(g, (int32_t)k);
    for (int64_t i = 0; any && i < g->n; i++)
        if (stmt[INP(g, i)] && (err = iffnet_i_vec_push(&v, i))) goto out;
    if (v.n < 2) goto out;
    qsort_r(v.v, (size_t)v.n, sizeof *v.v, cmp_stmt, g);
    int64_t window = g->o->match_days * 86400;
    for (int64_t a = 0; a < v.n; a++) {
        int64_t i = v.v[a];
        if (g->dropped && g->dropped[i]) continue;
        int64_t best = -1;
        for (int64_t b = a + 1; b < v.n; b++) {
            int64_t j = v.v[b];
            if (g->src[j] != g->src[i] || g->dst[j] != g->dst[i] || g->cur[j] != g->cur[i] || g->amt[j] != g->amt[i] ||
                g->time[j] - g->time[i] > window)
                break;
            if ((g->dropped && g->dropped[j]) || INP(g, j) == INP(g, i) || !refs_agree(g, i, j)) continue;
            best = j;   /* sorted by time: the first is the closest */
            break;
        }
        if (best < 0) continue;
        if (!g->dropped && !(g->dropped = calloc((size_t)g->n, 1))) {
            err = oom();
            goto out;
        }
        g->dropped[best] = 1;
        if (g->chan[i] < 0) g->chan[i] = g->chan[best];
        if (g->ref[i] < 0) g->ref[i] = g->ref[best];
        g->c->prov.inputs[INP(g, best)].rows_merged++;
        g->matched++;
    }
out:
    free(stmt);
    iffnet_i_vec_free(&v);
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

static int sorted_order(iffnet_i_sink_t *g, int64_t **perm)
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
        if (!d_) { err = oom(); goto out; } \
        for (int64_t j_ = 0; j_ < n; j_++) d_[j_] = g->arr[perm[j_]]; \
        free(g->arr); g->arr = d_; } while (0)

static int move_transactions(iffnet_i_sink_t *g)
{
    iffnet_case_t *c = g->c;
    int64_t n = g->n, *perm = NULL;
    int err = sorted_order(g, &perm);
    if (err) return err;
    if (perm) {
        PERMUTE(iffnet_time_t, time); PERMUTE(int32_t, src); PERMUTE(int32_t, dst);
        PERMUTE(int32_t, cur); PERMUTE(int32_t, rcur); PERMUTE(int32_t, chan);
        if (g->inp) PERMUTE(int32_t, inp);
        PERMUTE(iffnet_money_t, amt); PERMUTE(iffnet_money_t, ramt); PERMUTE(int64_t, ref);
        PERMUTE(int64_t, line);
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
    c->tx_recv_amount = g->ramt; c->tx_reference = g->ref; c->tx_line = g->line; c->tx_input = g->inp;
    c->tx_input_all = g->first_inp;
    g->time = NULL; g->src = g->dst = g->cur = g->rcur = g->chan = g->inp = NULL;
    g->amt = g->ramt = NULL; g->ref = g->line = NULL;
out:
    free(perm);
    return err;
}

/* ---- entities ---- */

static int grow_entities(iffnet_i_sink_t *g, int64_t need)
{
    iffnet_case_t *c = g->c;
    if (need <= g->ent_cap) return IFFNET_OK;
    int64_t ncap = g->ent_cap ? g->ent_cap * 2 : 256;
    while (ncap < need) ncap *= 2;
    int64_t **arrays[] = {&c->entity_kind, &c->entity_name, &c->entity_country, &c->entity_sector, &g->ent_line};
    for (size_t i = 0; i < 5; i++) {
        int64_t *p = realloc(*arrays[i], (size_t)ncap * sizeof *p);
        if (!p) return oom();
        *arrays[i] = p;
    }
    int32_t *q = realloc(g->ent_input, (size_t)ncap * sizeof *q);
    if (!q) return oom();
    g->ent_input = q;
    g->ent_cap = ncap;
    return IFFNET_OK;
}

/* Completes field *slot of entity e with value v (already normalised). */
static int complete_field(iffnet_i_sink_t *g, int64_t e, int64_t *slot, const char *what, const char *v, int strict,
                          int64_t line)
{
    iffnet_case_t *c = g->c;
    if (!v || !*v) return IFFNET_OK;
    if (*slot < 0) return add_text(c, v, strlen(v), slot);
    const char *old = iffnet_case_text(c, *slot);
    if (strcmp(old, v) == 0) return IFFNET_OK;
    const char *id = iffnet_strtab_get(&c->entity_ids, e);
    if (strict) {
        int err = iffnet_i_sink_bad(g, line, NULL, "entity \"%s\": %s \"%s\" differs from \"%s\" at %s:%lld", id, what, v,
                                    old, input_path(g, g->ent_input[e]), (long long)g->ent_line[e]);
        return err ? err : -1;
    }
    return iffnet_i_sink_note(g, "%s:%lld: entity \"%s\": %s \"%s\" differs from \"%s\" at %s:%lld (the first is kept)",
                              input_path(g, g->input), (long long)line, id, what, v, old,
                              input_path(g, g->ent_input[e]), (long long)g->ent_line[e]);
}

int iffnet_i_sink_entity(iffnet_i_sink_t *g, const iffnet_i_entity_t *x, int64_t *out)
{
    iffnet_case_t *c = g->c;
    int64_t e;
    int is_new;
    char *kind = x->kind && *x->kind ? iffnet_i_lower_snake(x->kind, strlen(x->kind)) : NULL;
    char *sector = x->sector && *x->sector ? iffnet_i_lower_snake(x->sector, strlen(x->sector)) : NULL;
    int err = IFFNET_OK;
    if ((x->kind && *x->kind && !kind) || (x->sector && *x->sector && !sector)) {
        err = oom();
        goto out;
    }
    if ((err = grow_entities(g, c->n_entities + 1))) goto out;
    if ((err = iffnet_strtab_intern(&c->entity_ids, x->id, x->id_len, &e, &is_new))) goto out;
    if (is_new) {
        c->entity_kind[e] = c->entity_name[e] = c->entity_country[e] = c->entity_sector[e] = -1;
        g->ent_input[e] = g->input;
        g->ent_line[e] = x->line;
        c->n_entities++;
    }
    if ((err = complete_field(g, e, &c->entity_kind[e], "kind", kind, x->strict, x->line)) ||
        (err = complete_field(g, e, &c->entity_name[e], "name", x->name, x->strict, x->line)) ||
        (err = complete_field(g, e, &c->entity_country[e], "country", x->country, x->strict, x->line)) ||
        (err = complete_field(g, e, &c->entity_sector[e], "sector", sector, x->strict, x->line)))
        goto out;
    *out = e;
out:
    free(kind);
    free(sector);
    return err;
}

int iffnet_i_sink_attr(iffnet_i_sink_t *g, int64_t e, const char *name, const char *value, size_t len)
{
    iffnet_case_t *c = g->c;
    if (!value || len == 0) return IFFNET_OK;
    int64_t k, v;
    IFFNET_TRY(iffnet_strtab_intern(&c->attr_names, name, strlen(name), &k, NULL));
    IFFNET_TRY(add_text(c, value, len, &v));
    if (g->n_at == g->at_cap) {
        int64_t cap = g->at_cap;
        IFFNET_TRY(iffnet_i_reserve((void **)&g->at_e, &cap, g->n_at + 1, sizeof *g->at_e));
        cap = g->at_cap;
        IFFNET_TRY(iffnet_i_reserve((void **)&g->at_k, &cap, g->n_at + 1, sizeof *g->at_k));
        cap = g->at_cap;
        IFFNET_TRY(iffnet_i_reserve((void **)&g->at_v, &cap, g->n_at + 1, sizeof *g->at_v));
        g->at_cap = cap;
    }
    g->at_e[g->n_at] = e;
    g->at_k[g->n_at] = k;
    g->at_v[g->n_at] = v;
    g->n_at++;
    return IFFNET_OK;
}

int iffnet_i_sink_account_attr(iffnet_i_sink_t *g, const char *id, size_t id_len, const char *name,
                               const char *value, size_t len)
{
    int64_t e;
    iffnet_i_entity_t x = {id, id_len, "account", NULL, NULL, NULL, 0, 0};
    if (!value || len == 0) return IFFNET_OK;
    int err = iffnet_i_sink_entity(g, &x, &e);
    if (err) return err < 0 ? IFFNET_OK : err;
    return iffnet_i_sink_attr(g, e, name, value, len);
}

/* Whether the ';'-joined list `list` holds item v. */
static int list_has(const char *list, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = list; p;) {
        const char *e = strchr(p, ';');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && memcmp(p, v, n) == 0) return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

/* Lays the attribute triples out as the case's n_entities x n_attrs matrix. */
static int layout_attrs(iffnet_i_sink_t *g)
{
    iffnet_case_t *c = g->c;
    int64_t ne = c->n_entities, na = c->attr_names.n;
    c->n_attrs = na;
    free(c->entity_attr);
    c->entity_attr = malloc((size_t)(ne * na > 0 ? ne * na : 1) * sizeof *c->entity_attr);
    if (!c->entity_attr) return oom();
    for (int64_t i = 0; i < ne * na; i++) c->entity_attr[i] = -1;
    for (int64_t t = 0; t < g->n_at; t++) {
        int64_t *cell = &c->entity_attr[g->at_e[t] * na + g->at_k[t]];
        if (*cell < 0) {
            *cell = g->at_v[t];
            continue;
        }
        const char *old = iffnet_case_text(c, *cell), *v = iffnet_case_text(c, g->at_v[t]);
        if (list_has(old, v)) continue;
        char *joined = iffnet_i_asprintf("%s;%s", old, v);
        if (!joined) return oom();
        int err = iffnet_strtab_intern(&c->text, joined, strlen(joined), cell, NULL);
        free(joined);
        IFFNET_TRY(err);
    }
    return IFFNET_OK;
}

/* ---- accounts and relations ---- */

static int link_accounts(iffnet_case_t *c)
{
    /* Account-kind entities that never transacted are still accounts of the case. */
    for (int64_t e = 0; e < c->n_entities; e++) {
        if (c->entity_kind[e] < 0 || strcmp(iffnet_case_text(c, c->entity_kind[e]), "account") != 0) continue;
        const char *id = iffnet_strtab_get(&c->entity_ids, e);
        int64_t a;
        IFFNET_TRY(iffnet_strtab_intern(&c->account_ids, id, strlen(id), &a, NULL));
    }
    if (c->account_ids.n > INT32_MAX) return iffnet_i_seterr(IFFNET_ELIMIT, "more than 2^31 accounts");
    c->n_accounts = c->account_ids.n;
    c->account_entity = malloc((size_t)(c->n_accounts ? c->n_accounts : 1) * sizeof *c->account_entity);
    c->account_holder = malloc((size_t)(c->n_accounts ? c->n_accounts : 1) * sizeof *c->account_holder);
    if (!c->account_entity || !c->account_holder) return oom();
    for (int64_t a = 0; a < c->n_accounts; a++) {
        const char *id = iffnet_strtab_get(&c->account_ids, a);
        c->account_entity[a] = c->n_entities ? iffnet_strtab_find(&c->entity_ids, id, strlen(id)) : -1;
        c->account_holder[a] = -1;
    }
    return IFFNET_OK;
}

static int grow_relations(iffnet_case_t *c, int64_t *cap)
{
    if (c->n_relations < *cap) return IFFNET_OK;
    int64_t ncap = *cap ? *cap * 2 : 256;
    int64_t **arrays[] = {&c->rel_src_entity, &c->rel_src_account, &c->rel_dst_entity, &c->rel_dst_account, &c->rel_type};
    for (size_t i = 0; i < 5; i++) {
        int64_t *p = realloc(*arrays[i], (size_t)ncap * sizeof *p);
        if (!p) return oom();
        *arrays[i] = p;
    }
    *cap = ncap;
    return IFFNET_OK;
}

/* Adds a resolved relation; `type` is lower_snake already. */
static int add_relation(iffnet_i_sink_t *g, int64_t se, int64_t sa, int64_t de, int64_t da, const char *type,
                        int64_t *cap)
{
    iffnet_case_t *c = g->c;
    IFFNET_TRY(grow_relations(c, cap));
    int64_t k = c->n_relations;
    IFFNET_TRY(add_text(c, type, strlen(type), &c->rel_type[k]));
    if (strcmp(type, "holds_account") == 0 && se >= 0 && da >= 0 && c->account_holder[da] < 0) c->account_holder[da] = se;
    c->rel_src_entity[k] = se;
    c->rel_src_account[k] = sa;
    c->rel_dst_entity[k] = de;
    c->rel_dst_account[k] = da;
    c->n_relations++;
    return IFFNET_OK;
}

int iffnet_i_sink_relation(iffnet_i_sink_t *g, const char *src, size_t src_len, const char *dst,
                           size_t dst_len, const char *type, int64_t line)
{
    int64_t s, d, t, k;
    int is_new;
    IFFNET_TRY(iffnet_strtab_intern(&g->rel_ids, src, src_len, &s, NULL));
    IFFNET_TRY(iffnet_strtab_intern(&g->rel_ids, dst, dst_len, &d, NULL));
    IFFNET_TRY(iffnet_strtab_intern(&g->rel_ids, type, strlen(type), &t, NULL));
    /* Reports repeat what they know of an account with each transaction: one relation. */
    char key[3 * 21];
    int kn = snprintf(key, sizeof key, "%lld %lld %lld", (long long)s, (long long)d, (long long)t);
    IFFNET_TRY(iffnet_strtab_intern(&g->rel_seen, key, (size_t)kn, &k, &is_new));
    if (!is_new) return IFFNET_OK;
    if (g->n_q == g->q_cap) {
        int64_t ncap = g->q_cap ? 2 * g->q_cap : 256;
        int64_t **a[] = {&g->q_src, &g->q_dst, &g->q_type, &g->q_line};
        for (int i = 0; i < 4; i++) {
            int64_t *p = realloc(*a[i], (size_t)ncap * sizeof *p);
            if (!p) return oom();
            *a[i] = p;
        }
        int32_t *p = realloc(g->q_input, (size_t)ncap * sizeof *p);
        if (!p) return oom();
        g->q_input = p;
        g->q_cap = ncap;
    }
    g->q_src[g->n_q] = s;
    g->q_dst[g->n_q] = d;
    g->q_type[g->n_q] = t;
    g->q_line[g->n_q] = line;
    g->q_input[g->n_q] = g->input;
    g->n_q++;
    return IFFNET_OK;
}

static int resolve_queued(iffnet_i_sink_t *g)
{
    iffnet_case_t *c = g->c;
    int64_t before = g->rep->n_errors;
    for (int64_t q = 0; q < g->n_q; q++) {
        int64_t end[2][2];
        const int64_t idx[2] = {g->q_src[q], g->q_dst[q]};
        int bad = 0;
        for (int k = 0; k < 2 && !bad; k++) {
            const char *id = iffnet_strtab_get(&g->rel_ids, idx[k]);
            end[k][0] = iffnet_strtab_find(&c->entity_ids, id, strlen(id));
            end[k][1] = iffnet_strtab_find(&c->account_ids, id, strlen(id));
            if (end[k][0] < 0 && end[k][1] < 0) {
                g->input = g->q_input[q];
                IFFNET_TRY(iffnet_i_sink_bad(g, g->q_line[q], id, "unknown account or entity \"%s\" in a relation", id));
                bad = 1;
            }
        }
        if (bad) continue;
        char *type = iffnet_i_lower_snake(iffnet_strtab_get(&g->rel_ids, g->q_type[q]),
                                          strlen(iffnet_strtab_get(&g->rel_ids, g->q_type[q])));
        if (!type) return oom();
        int err = add_relation(g, end[0][0], end[0][1], end[1][0], end[1][1], type, &g->r_cap);
        free(type);
        IFFNET_TRY(err);
    }
    g->input = -1;
    return iffnet_i_sink_check_source(g, before);
}

/* ---- life of the sink ---- */

int iffnet_i_sink_new(iffnet_i_sink_t **out, iffnet_case_t *c, const iffnet_ingest_opts_t *o,
                      iffnet_ingest_report_t *rep)
{
    iffnet_i_sink_t *g = calloc(1, sizeof *g);
    *out = NULL;
    if (!g) return oom();
    g->c = c;
    g->o = o;
    g->rep = rep;
    g->input = -1;
    g->last_cur_id = g->last_chan_id = -1;
    g->defer_ids = !o->skip_bad_path;
    iffnet_strtab_init(&g->ids);
    iffnet_strtab_init(&g->rel_ids);
    iffnet_strtab_init(&g->iso);
    int err = IFFNET_OK;
    if (o->currencies_path) err = load_currencies(g, o->currencies_path);
    if (!err) err = iffnet_tz_load(&g->tz, o->timezone, o->zoneinfo_dir);
    if (!err && o->skip_bad_path && !(err = iffnet_out_open(&g->skip, o->skip_bad_path))) {
        g->skip_open = 1;
        fputs("file,line,reason,record\n", g->skip.fp);
    }
    if (err) {
        iffnet_i_sink_free(g);
        return err;
    }
    *out = g;
    return IFFNET_OK;
}

int iffnet_i_sink_finish_tx(iffnet_i_sink_t *g)
{
    IFFNET_TRY(flush_accounts(g));
    iffnet_i_keyidx_free(&g->acct_index);
    IFFNET_TRY(match_statements(g));
    if (g->defer_ids) IFFNET_TRY(check_repeats(g));
    /* Bad rows of the transaction sources, with the repeats, stop here. */
    IFFNET_TRY(iffnet_i_sink_check_source(g, g->errors_at_tx));
    IFFNET_TRY(drop_merged(g));
    /* In input order, so the row named is where the running total broke. */
    IFFNET_TRY(iffnet_i_sink_check_sum(g, g->amt, g->n, g->inp, g->first_inp, g->line, 0, NULL));
    IFFNET_TRY(iffnet_i_sink_check_sum(g, g->ramt, g->n, g->inp, g->first_inp, g->line, 1, NULL));
    IFFNET_TRY(move_transactions(g));
    IFFNET_TRY(link_accounts(g->c));
    return resolve_queued(g);
}

int iffnet_i_sink_finish(iffnet_i_sink_t *g)
{
    iffnet_provenance_t *p = &g->c->prov;
    IFFNET_TRY(layout_attrs(g));
    p->tx_merged = g->merged;
    p->tx_matched = g->matched;
    p->local_times = g->local_times;
    p->timezone = iffnet_i_strdup(iffnet_tz_name(g->tz));
    if (!p->timezone) return oom();
    return iffnet_i_sink_commit_skipped(g);
}

int iffnet_i_sink_commit_skipped(iffnet_i_sink_t *g)
{
    if (!g || !g->skip_open) return IFFNET_OK;
    g->skip_open = 0;
    return iffnet_out_commit(&g->skip);
}

int64_t iffnet_i_sink_local_day(const iffnet_i_sink_t *g, iffnet_time_t t)
{
    int64_t l = t + iffnet_tz_offset(g->tz, t);
    return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

int iffnet_i_sink_add_resolved_relation(iffnet_i_sink_t *g, int64_t se, int64_t sa, int64_t de, int64_t da,
                                        const char *type)
{
    return add_relation(g, se, sa, de, da, type, &g->r_cap);
}

void iffnet_i_sink_free(iffnet_i_sink_t *g)
{
    if (!g) return;
    if (g->skip_open) iffnet_out_abort(&g->skip);
    free(g->time); free(g->src); free(g->dst); free(g->cur); free(g->rcur); free(g->chan); free(g->inp);
    free(g->amt); free(g->ramt); free(g->ref); free(g->line); free(g->idhash); free(g->dropped);
    iffnet_i_keyidx_free(&g->acct_index);
    free(g->pk_buf); free(g->pk_off); free(g->pk_ids); free(g->pk_slot); free(g->pk_str); free(g->pk_klen); free(g->pk_hash);
    free(g->ent_input); free(g->ent_line); free(g->at_e); free(g->at_k); free(g->at_v);
    free(g->q_src); free(g->q_dst); free(g->q_type); free(g->q_line); free(g->q_input);
    for (int64_t i = 0; g->what_id && i < g->c->prov.n_inputs; i++) free(g->what_id[i]);
    free(g->what_id);
    for (int64_t i = 0; i < g->what_amt_cap; i++) free(g->what_amt[i]);
    free(g->what_amt);
    for (int64_t i = 0; i < g->ref_keys.n; i++) free(g->ref_vals[i]);
    free(g->ref_vals);
    iffnet_strtab_destroy(&g->ref_keys);
    iffnet_strtab_destroy(&g->ids);
    iffnet_strtab_destroy(&g->rel_ids);
    iffnet_strtab_destroy(&g->rel_seen);
    for (int64_t i = 0; i < g->iso.n; i++) free(g->code_str[i]);
    free(g->code_str);
    iffnet_strtab_destroy(&g->iso);
    iffnet_tz_free(g->tz);
    iffnet_csv_close(g->iso_reader);
    free(g);
}
