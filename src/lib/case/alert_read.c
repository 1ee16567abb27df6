/* alert_read.c: alerts JSON Lines back into an iffnet_alert_list_t. */
#include <errno.h>
#include <math.h>
#include "case_internal.h"
#include "iffnet/alert_read.h"
#include "iffnet/json.h"

/* Where the reader is, for messages, and where ids go. */
typedef struct {
    const char *path;
    int64_t line;
    iffnet_case_t *c;
    iffnet_strtab_t *acc_tab, *tx_tab;
    iffnet_strtab_t alert_ids;   /* for duplicate detection */
    int64_t *ids;                /* scratch for one id array */
    int64_t ids_cap;
} reader_t;

#define MERR(R, member, ...) \
    iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: member '%s': %s", (R)->path, (long long)(R)->line, \
                    (member), iffnet_i_tmpf(__VA_ARGS__))

/* "a number", "an array"... for messages. */
static const char *a_type(iffnet_json_type_t t)
{
    static const char *const names[] = {"null", "a boolean", "a number", "a string", "an array",
                                        "an object"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

/* A member that must be present and of type `t` (or null when nullable and
 * allowed: *v is then NULL). */
static int member(reader_t *R, const iffnet_json_t *obj, const char *key, iffnet_json_type_t t,
                  int optional, const iffnet_json_t **v)
{
    const iffnet_json_t *m = iffnet_json_get(obj, key);
    *v = NULL;
    if (!m || m->type == IFFNET_JSON_NULL) {
        if (optional)
            return IFFNET_OK;
        return m ? MERR(R, key, "is null") : MERR(R, key, "is missing");
    }
    if (m->type != t)
        return MERR(R, key, "is %s, expected %s", a_type(m->type), a_type(t));
    *v = m;
    return IFFNET_OK;
}

/* Maps one id string to an index: case look-up, or intern into the table. */
static int map_id(reader_t *R, const char *key, const iffnet_json_t *s, int is_tx, int64_t *idx)
{
    if (R->c) {
        *idx = is_tx ? iffnet_strtab_find(&R->c->tx_ids, s->str, s->len)
                     : iffnet_case_find_account(R->c, s->str);
        if (*idx < 0)
            return MERR(R, key, "%s '%s' is not in the case", is_tx ? "transaction" : "account", s->str);
        return IFFNET_OK;
    }
    return iffnet_strtab_intern(is_tx ? R->tx_tab : R->acc_tab, s->str, s->len, idx, NULL);
}

/* Reads an array of id strings into R->ids. */
static int id_array(reader_t *R, const iffnet_json_t *obj, const char *key, int is_tx, int64_t *n)
{
    const iffnet_json_t *a;
    int64_t i;
    IFFNET_TRY(member(R, obj, key, IFFNET_JSON_ARRAY, 0, &a));
    IFFNET_TRY(iffnet_i_reserve((void **)&R->ids, &R->ids_cap, a->n, sizeof *R->ids));
    for (i = 0; i < a->n; i++) {
        const iffnet_json_t *e = &a->items[i];
        if (e->type != IFFNET_JSON_STRING)
            return MERR(R, key, "element %lld is %s, expected an id string", (long long)i + 1,
                        a_type(e->type));
        if (!e->len || memchr(e->str, '\0', e->len))
            return MERR(R, key, "element %lld is not a valid id", (long long)i + 1);
        IFFNET_TRY(map_id(R, key, e, is_tx, &R->ids[i]));
    }
    *n = a->n;
    return IFFNET_OK;
}

static int read_time(reader_t *R, const iffnet_json_t *obj, const char *key, iffnet_time_t *t)
{
    const iffnet_json_t *v;
    iffnet_time_syntax_t syn = IFFNET_TIME_SYNTAX_DEFAULT;
    *t = 0;
    IFFNET_TRY(member(R, obj, key, IFFNET_JSON_STRING, 1, &v));
    if (v && iffnet_time_parse(v->str, v->len, &syn, t))
        return MERR(R, key, "'%s' is not a timestamp", v->str);
    return IFFNET_OK;
}

/* amount and currency: the scale comes from the case's currency when known. */
static int read_amount(reader_t *R, const iffnet_json_t *obj, iffnet_alert_t *a)
{
    const iffnet_json_t *cur, *amt = iffnet_json_get(obj, "amount");
    int scale;
    iffnet_amount_status_t st;
    a->amount = 0;
    a->currency = -1;
    IFFNET_TRY(member(R, obj, "currency", IFFNET_JSON_STRING, 1, &cur));
    if (cur && !cur->len)
        cur = NULL; /* the writer's way of saying "no currency" */
    scale = cur ? iffnet_currency_scale(cur->str) : 2;
    if (cur && R->c) {
        int64_t k = iffnet_strtab_find(&R->c->currencies, cur->str, cur->len);
        if (k < 0)
            return MERR(R, "currency", "'%s' is not a currency of the case", cur->str);
        a->currency = (int32_t)k;
        scale = R->c->currency_scale[k];
    }
    if (!amt || amt->type == IFFNET_JSON_NULL)
        return IFFNET_OK;
    if (amt->type != IFFNET_JSON_NUMBER && amt->type != IFFNET_JSON_STRING)
        return MERR(R, "amount", "is %s, expected a number or a string", a_type(amt->type));
    st = iffnet_json_amount(amt, scale, &a->amount);
    if (st != IFFNET_AMOUNT_OK)
        return MERR(R, "amount", "'%s' %s", amt->str, iffnet_amount_status_str(st));
    return IFFNET_OK;
}

/* moved and moved_by (optional: files written before they existed have neither;
 * with a case the figure is then derived as detect derives it). */
static int read_moved(reader_t *R, const iffnet_json_t *obj, iffnet_alert_t *a)
{
    const iffnet_json_t *by, *mv = iffnet_json_get(obj, "moved");
    int scale = a->currency >= 0 && R->c ? R->c->currency_scale[a->currency] : 2;
    iffnet_amount_status_t st;
    IFFNET_TRY(member(R, obj, "moved_by", IFFNET_JSON_STRING, 1, &by));
    if (by && iffnet_moved_rule_parse(by->str, &a->moved_by))
        return MERR(R, "moved_by", "'%s' is not a known rule", by->str);
    if (!mv || mv->type == IFFNET_JSON_NULL) {
        a->moved = 0;
        if (R->c && a->currency >= 0) return iffnet_alert_derive_moved(a, R->c, by ? a->moved_by : IFFNET_MOVED_AUTO);
        return IFFNET_OK;
    }
    if (mv->type != IFFNET_JSON_NUMBER && mv->type != IFFNET_JSON_STRING)
        return MERR(R, "moved", "is %s, expected a number or a string", a_type(mv->type));
    st = iffnet_json_amount(mv, scale, &a->moved);
    if (st != IFFNET_AMOUNT_OK)
        return MERR(R, "moved", "'%s' %s", mv->str, iffnet_amount_status_str(st));
    if (!by) a->moved_by = IFFNET_MOVED_DETECTOR; /* a figure without its rule: as given */
    return IFFNET_OK;
}

static int read_reasons(reader_t *R, const iffnet_json_t *obj, iffnet_alert_t *a)
{
    const iffnet_json_t *v;
    int64_t i;
    IFFNET_TRY(member(R, obj, "reasons", IFFNET_JSON_ARRAY, 1, &v));
    for (i = 0; v && i < v->n; i++) {
        if (v->items[i].type != IFFNET_JSON_STRING)
            return MERR(R, "reasons", "element %lld is %s, expected a string", (long long)i + 1,
                        a_type(v->items[i].type));
        IFFNET_TRY(iffnet_alert_add_reason(a, "%s", v->items[i].str));
    }
    return IFFNET_OK;
}

/* expected (E >= 0, or null when the detector could not estimate it). */
static int read_expected(reader_t *R, const iffnet_json_t *obj, iffnet_alert_t *a)
{
    const iffnet_json_t *e;
    a->expected = IFFNET_E_UNKNOWN;
    IFFNET_TRY(member(R, obj, "expected", IFFNET_JSON_NUMBER, 1, &e));
    if (e && !(e->number >= 0.0 && isfinite(e->number)))
        return MERR(R, "expected", "%s is not a count >= 0", e->str);
    if (e) a->expected = e->number;
    return IFFNET_OK;
}

/* id, typology and score: what identifies and ranks an alert. */
static int read_head(reader_t *R, const iffnet_json_t *obj, const iffnet_json_t **id,
                     iffnet_typology_t *typ, double *score)
{
    const iffnet_json_t *t, *s;
    int is_new = 0;
    int64_t k;
    IFFNET_TRY(member(R, obj, "id", IFFNET_JSON_STRING, 0, id));
    if (!(*id)->len)
        return MERR(R, "id", "is empty");
    IFFNET_TRY(iffnet_strtab_intern(&R->alert_ids, (*id)->str, (*id)->len, &k, &is_new));
    if (!is_new)
        return MERR(R, "id", "'%s' appears on an earlier line", (*id)->str);
    IFFNET_TRY(member(R, obj, "typology", IFFNET_JSON_STRING, 0, &t));
    if (iffnet_typology_parse(t->str, typ))
        return MERR(R, "typology", "'%s' is not a known typology", t->str);
    IFFNET_TRY(member(R, obj, "score", IFFNET_JSON_NUMBER, 0, &s));
    if (!(s->number >= 0.0 && s->number <= 1.0))
        return MERR(R, "score", "%s is outside [0, 1]", s->str);
    *score = s->number;
    return IFFNET_OK;
}

static int read_alert(reader_t *R, const iffnet_json_t *obj, iffnet_alert_list_t *out)
{
    const iffnet_json_t *id;
    iffnet_typology_t typ = IFFNET_TYP_FAN_IN;
    double score = 0.0;
    int64_t n_acc, n_tx, *acc = NULL;
    iffnet_alert_t *a;
    int err;

    if (obj->type != IFFNET_JSON_OBJECT)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: %s, expected an alert object", R->path,
                               (long long)R->line, a_type(obj->type));
    IFFNET_TRY(read_head(R, obj, &id, &typ, &score));
    IFFNET_TRY(id_array(R, obj, "accounts", 0, &n_acc));
    acc = malloc((size_t)(n_acc ? n_acc : 1) * sizeof *acc);
    if (!acc)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading '%s'", R->path);
    if (n_acc)
        memcpy(acc, R->ids, (size_t)n_acc * sizeof *acc);
    err = id_array(R, obj, "transactions", 1, &n_tx);
    if (!err)
        err = iffnet_alert_list_add(out, typ, score, acc, n_acc, R->ids, n_tx, &a);
    free(acc);
    if (err)
        return err;
    free(a->id);
    a->id = iffnet_i_strdup(id->str);
    if (!a->id)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading '%s'", R->path);
    IFFNET_TRY(read_amount(R, obj, a));
    IFFNET_TRY(read_time(R, obj, "first", &a->first));
    IFFNET_TRY(read_time(R, obj, "last", &a->last));
    if (a->first && a->last && a->last < a->first)
        return MERR(R, "last", "is before 'first'");
    /* optional: alert files written before the flag existed have none */
    const iffnet_json_t *low;
    IFFNET_TRY(member(R, obj, "ranked_low", IFFNET_JSON_BOOL, 1, &low));
    a->ranked_low = low ? low->boolean : 0;
    IFFNET_TRY(read_expected(R, obj, a));
    IFFNET_TRY(read_reasons(R, obj, a));
    return read_moved(R, obj, a);
}

/* ---- the run record ({"record":"run", ...}, the first line) ---- */

/* The text of a scalar member value, as the writer had it. */
static const char *scalar_text(const iffnet_json_t *v)
{
    switch (v->type) {
    case IFFNET_JSON_STRING: case IFFNET_JSON_NUMBER: return v->str;
    case IFFNET_JSON_BOOL: return v->boolean ? "true" : "false";
    default: return "";
    }
}

static int run_str(reader_t *R, const iffnet_json_t *obj, const char *key, char **field)
{
    const iffnet_json_t *v;
    IFFNET_TRY(member(R, obj, key, IFFNET_JSON_STRING, 1, &v));
    return v ? iffnet_run_record_set_str(field, v->str) : IFFNET_OK;
}

static int run_count(reader_t *R, const iffnet_json_t *obj, const char *key, int64_t *out)
{
    const iffnet_json_t *v;
    *out = 0;
    IFFNET_TRY(member(R, obj, key, IFFNET_JSON_NUMBER, 1, &v));
    if (v && (iffnet_json_int64(v, out) || *out < 0))
        return MERR(R, key, "'%s' is not a count", v->str);
    return IFFNET_OK;
}

static int run_lines(reader_t *R, const iffnet_json_t *obj, const char *key,
                     int (*add)(iffnet_run_record_t *, const char *, ...), iffnet_run_record_t *r)
{
    const iffnet_json_t *v;
    IFFNET_TRY(member(R, obj, key, IFFNET_JSON_ARRAY, 1, &v));
    for (int64_t i = 0; v && i < v->n; i++) {
        if (v->items[i].type != IFFNET_JSON_STRING)
            return MERR(R, key, "element %lld is %s, expected a string", (long long)i + 1, a_type(v->items[i].type));
        IFFNET_TRY(add(r, "%s", v->items[i].str));
    }
    return IFFNET_OK;
}

/* settings: {"key": {"value": "...", "how": "..."}, ...} */
static int run_settings(reader_t *R, const iffnet_json_t *obj, iffnet_run_record_t *r)
{
    const iffnet_json_t *v;
    IFFNET_TRY(member(R, obj, "settings", IFFNET_JSON_OBJECT, 1, &v));
    for (int64_t i = 0; v && i < v->n; i++) {
        const iffnet_json_t *s = &v->items[i], *val, *how;
        if (s->type != IFFNET_JSON_OBJECT)
            return MERR(R, "settings", "'%s' is %s, expected an object", v->keys[i], a_type(s->type));
        val = iffnet_json_get(s, "value");
        how = iffnet_json_get(s, "how");
        IFFNET_TRY(iffnet_run_record_setting(r, v->keys[i], val ? scalar_text(val) : "",
                                             how && how->type == IFFNET_JSON_STRING ? how->str : NULL));
    }
    return IFFNET_OK;
}

/* profile: scalars and objects of scalars, kept as dotted keys */
static int run_profile(reader_t *R, const iffnet_json_t *obj, iffnet_run_record_t *r)
{
    const iffnet_json_t *v;
    char key[256];
    IFFNET_TRY(member(R, obj, "profile", IFFNET_JSON_OBJECT, 1, &v));
    for (int64_t i = 0; v && i < v->n; i++) {
        const iffnet_json_t *p = &v->items[i];
        if (p->type != IFFNET_JSON_OBJECT) {
            IFFNET_TRY(iffnet_run_record_profile(r, v->keys[i], scalar_text(p)));
            continue;
        }
        for (int64_t j = 0; j < p->n; j++) {
            snprintf(key, sizeof key, "%s.%s", v->keys[i], p->keys[j]);
            IFFNET_TRY(iffnet_run_record_profile(r, key, scalar_text(&p->items[j])));
        }
    }
    return IFFNET_OK;
}

static int read_run(reader_t *R, const iffnet_json_t *obj, iffnet_alert_list_t *out)
{
    const iffnet_json_t *cs, *listing;
    int64_t n;
    iffnet_run_record_t *r = iffnet_run_record_new();
    if (!r) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading '%s'", R->path);
    out->run = r;
    IFFNET_TRY(run_str(R, obj, "version", &r->version));
    IFFNET_TRY(run_str(R, obj, "command", &r->command_line));
    IFFNET_TRY(member(R, obj, "case", IFFNET_JSON_OBJECT, 1, &cs));
    if (cs) {
        IFFNET_TRY(run_str(R, cs, "path", &r->case_path));
        IFFNET_TRY(run_str(R, cs, "sha256", &r->case_sha256));
    }
    IFFNET_TRY(run_count(R, obj, "seed", &n));
    r->seed = (unsigned long)n;
    IFFNET_TRY(member(R, obj, "listing", IFFNET_JSON_STRING, 1, &listing));
    r->all = listing && strcmp(listing->str, "all") == 0;
    IFFNET_TRY(run_count(R, obj, "alerts", &r->n_alerts));
    IFFNET_TRY(run_count(R, obj, "ranked_low", &r->n_ranked_low));
    IFFNET_TRY(run_settings(R, obj, r));
    IFFNET_TRY(run_profile(R, obj, r));
    IFFNET_TRY(run_lines(R, obj, "budgets", iffnet_run_record_budget, r));
    return run_lines(R, obj, "notes", iffnet_run_record_note, r);
}

/* A line: the run record (only as the first record of the file), another kind of
 * record (skipped: a newer writer's), or an alert. */
static int read_record(reader_t *R, const iffnet_json_t *obj, int first, iffnet_alert_list_t *out)
{
    const iffnet_json_t *rec = obj->type == IFFNET_JSON_OBJECT ? iffnet_json_get(obj, "record") : NULL;
    if (!rec) return read_alert(R, obj, out);
    if (rec->type != IFFNET_JSON_STRING)
        return MERR(R, "record", "is %s, expected a string", a_type(rec->type));
    if (strcmp(rec->str, "run") != 0) return IFFNET_OK;
    if (!first)
        return MERR(R, "record", "a run record must be the first line of the file");
    return read_run(R, obj, out);
}

static int blank(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* Lines of at most IFFNET_I_MAX_RECORD bytes (an alerts file that never ends a
 * line, such as /dev/zero, is refused at its first line instead of growing
 * memory); plain, gzip, xz or zstd. */
static int read_lines(reader_t *R, iffnet_i_in_t *in, iffnet_alert_list_t *out)
{
    iffnet_i_lines_t *lines = NULL;
    int err = iffnet_i_lines_open(&lines, in), first = 1;
    while (!err) {
        iffnet_json_t *v = NULL;
        iffnet_json_opts_t o = {R->path, 0, 0, 0};
        const char *s;
        size_t n;
        if ((err = iffnet_i_lines_next(lines, &s, &n)) || !s)
            break;
        R->line = iffnet_i_lines_number(lines);
        if (blank(s, n))
            continue;
        o.first_line = R->line;
        err = iffnet_json_parse(&v, s, n, &o);
        /* Ids, reasons and names are kept as C strings: a NUL would cut them
         * (an id "\u0000x" would become empty, two ids could become one). */
        const iffnet_json_t *z = err ? NULL : iffnet_json_find_nul(v);
        if (z)
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: a NUL character (\\u0000) in a string", R->path,
                                  (long long)z->line, (long long)z->col);
        if (!err)
            err = read_record(R, v, first, out);
        first = 0;
        iffnet_json_free(v);
    }
    iffnet_i_lines_close(lines);
    return err;
}

/* The reader over an opened input (taken over, closed here). */
static int read_input(const char *path, iffnet_i_in_t *in, iffnet_case_t *c_or_null, iffnet_strtab_t *account_ids,
                      iffnet_strtab_t *tx_ids, iffnet_alert_list_t *out)
{
    reader_t R;
    int err;

    memset(&R, 0, sizeof R);
    R.path = path;
    R.c = c_or_null;
    R.acc_tab = account_ids;
    R.tx_tab = tx_ids;
    err = iffnet_alert_list_init(out);
    if (err)
        goto out;
    err = iffnet_strtab_init(&R.alert_ids);
    if (err)
        goto out;
    if (!R.c && (!R.acc_tab || !R.tx_tab)) {
        err = iffnet_i_seterr(IFFNET_EINVAL, "reading alerts without a case needs id tables");
        goto out;
    }
    err = read_lines(&R, in, out);
out:
    iffnet_i_in_close(in);
    iffnet_strtab_destroy(&R.alert_ids);
    free(R.ids);
    if (err) {
        iffnet_alert_list_destroy(out);
        iffnet_alert_list_init(out);
    }
    return err;
}

int iffnet_alert_read_jsonl_ids(const char *path, iffnet_case_t *c_or_null,
                                iffnet_strtab_t *account_ids, iffnet_strtab_t *tx_ids,
                                iffnet_alert_list_t *out)
{
    iffnet_i_in_t *in;
    int err = iffnet_i_in_open(&in, path);
    if (err) {
        iffnet_alert_list_init(out);
        return err;
    }
    return read_input(path, in, c_or_null, account_ids, tx_ids, out);
}

/* Without a case: ids numbered in tables of our own. */
static int read_own_ids(const char *path, const void *data, size_t size, iffnet_alert_list_t *out)
{
    iffnet_strtab_t acc, tx;
    iffnet_i_in_t *in;
    int err;
    memset(&acc, 0, sizeof acc);
    memset(&tx, 0, sizeof tx);
    err = iffnet_strtab_init(&acc);
    if (!err)
        err = iffnet_strtab_init(&tx);
    if (!err)
        err = data ? iffnet_i_in_open_mem(&in, path, data, size) : iffnet_i_in_open(&in, path);
    if (!err)
        err = read_input(path, in, NULL, &acc, &tx, out);
    else
        iffnet_alert_list_init(out); /* empty, as promised, so destroying it is safe */
    iffnet_strtab_destroy(&acc);
    iffnet_strtab_destroy(&tx);
    return err;
}

int iffnet_alert_read_jsonl(const char *path, iffnet_case_t *c_or_null, iffnet_alert_list_t *out)
{
    if (c_or_null)
        return iffnet_alert_read_jsonl_ids(path, c_or_null, NULL, NULL, out);
    return read_own_ids(path, NULL, 0, out);
}

int iffnet_alert_read_jsonl_mem(const char *name, const void *data, size_t size, iffnet_case_t *c_or_null,
                                iffnet_alert_list_t *out)
{
    iffnet_i_in_t *in;
    int err;
    if (!c_or_null)
        return read_own_ids(name, data ? data : "", size, out);
    if ((err = iffnet_i_in_open_mem(&in, name, data ? data : "", size))) {
        iffnet_alert_list_init(out);
        return err;
    }
    return read_input(name, in, c_or_null, NULL, NULL, out);
}
