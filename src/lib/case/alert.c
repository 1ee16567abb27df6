/* alert.c: the typology vocabulary and alert lists. */
#include <ctype.h>
#include "case_internal.h"
#include "iffnet/json.h"

static const char *const TYP_NAMES[] = {
#define IFFNET_X_NAME(id, name, desc) name,
    IFFNET_TYPOLOGIES(IFFNET_X_NAME)
#undef IFFNET_X_NAME
};

static const char *const TYP_DESCS[] = {
#define IFFNET_X_DESC(id, name, desc) desc,
    IFFNET_TYPOLOGIES(IFFNET_X_DESC)
#undef IFFNET_X_DESC
};

const char *iffnet_typology_name(iffnet_typology_t t)
{
    return (unsigned)t < IFFNET_TYP_COUNT ? TYP_NAMES[t] : "unknown";
}

const char *iffnet_typology_description(iffnet_typology_t t)
{
    return (unsigned)t < IFFNET_TYP_COUNT ? TYP_DESCS[t] : "";
}

/* Other generators' names for the same structures. */
static const struct { const char *alias; iffnet_typology_t t; } ALIASES[] = {
    {"random", IFFNET_TYP_LAYERING},     /* AMLSim/AMLworld random-walk layering */
    {"fan_in_out", IFFNET_TYP_GATHER_SCATTER},
    {"money_mule", IFFNET_TYP_MULE},
    {"shell", IFFNET_TYP_SHELL_NETWORK},
};

int iffnet_typology_parse(const char *name, iffnet_typology_t *t)
{
    char norm[64];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof norm; p++)
        norm[n++] = *p == '-' || *p == ' ' ? '_' : (char)tolower((unsigned char)*p);
    norm[n] = '\0';
    for (int i = 0; i < IFFNET_TYP_COUNT; i++)
        if (strcmp(TYP_NAMES[i], norm) == 0) {
            *t = (iffnet_typology_t)i;
            return 0;
        }
    for (size_t i = 0; i < sizeof ALIASES / sizeof ALIASES[0]; i++)
        if (strcmp(ALIASES[i].alias, norm) == 0) {
            *t = ALIASES[i].t;
            return 0;
        }
    return -1;
}

int iffnet_alert_list_init(iffnet_alert_list_t *l)
{
    memset(l, 0, sizeof *l);
    return IFFNET_OK;
}

static void alert_free(iffnet_alert_t *a)
{
    free(a->id);
    free(a->accounts);
    free(a->tx);
    for (int64_t i = 0; i < a->n_reasons; i++) free(a->reasons[i]);
    free(a->reasons);
}

void iffnet_alert_list_destroy(iffnet_alert_list_t *l)
{
    for (int64_t i = 0; i < l->n; i++) alert_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* Copies, sorts and de-duplicates an index array. */
static int copy_set(const int64_t *src, int64_t n, int64_t **out, int64_t *nout)
{
    *out = malloc((size_t)(n ? n : 1) * sizeof **out);
    if (!*out) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (n) memcpy(*out, src, (size_t)n * sizeof **out);
    qsort(*out, (size_t)n, sizeof **out, iffnet_i_cmp_i64);
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
        if (k == 0 || (*out)[k - 1] != (*out)[i]) (*out)[k++] = (*out)[i];
    *nout = k;
    return IFFNET_OK;
}

int iffnet_alert_list_add(iffnet_alert_list_t *l, iffnet_typology_t typ, double score,
                          const int64_t *accounts, int64_t n_accounts,
                          const int64_t *tx, int64_t n_tx, iffnet_alert_t **added)
{
    IFFNET_TRY(iffnet_i_reserve((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items));
    iffnet_alert_t *a = &l->items[l->n];
    memset(a, 0, sizeof *a);
    a->typology = typ;
    a->score = score < 0 ? 0 : score > 1 ? 1 : score;
    a->currency = -1;
    int err = copy_set(accounts, n_accounts, &a->accounts, &a->n_accounts);
    if (!err) err = copy_set(tx, n_tx, &a->tx, &a->n_tx);
    if (err) {
        alert_free(a);
        return err;
    }
    l->n++;
    if (added) *added = a;
    return IFFNET_OK;
}

int iffnet_alert_add_reason(iffnet_alert_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    if (!s) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    char **r = realloc(a->reasons, (size_t)(a->n_reasons + 1) * sizeof *r);
    if (!r) {
        free(s);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    a->reasons = r;
    a->reasons[a->n_reasons++] = s;
    return IFFNET_OK;
}

static int cmp_alert(const void *pa, const void *pb)
{
    const iffnet_alert_t *a = pa, *b = pb;
    if (a->ranked_low != b->ranked_low) return a->ranked_low ? 1 : -1;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->typology != b->typology) return a->typology < b->typology ? -1 : 1;
    int64_t fa = a->n_tx ? a->tx[0] : INT64_MAX, fb = b->n_tx ? b->tx[0] : INT64_MAX;
    if (fa != fb) return fa < fb ? -1 : 1;
    int64_t aa = a->n_accounts ? a->accounts[0] : INT64_MAX, ab = b->n_accounts ? b->accounts[0] : INT64_MAX;
    if (aa != ab) return aa < ab ? -1 : 1;
    return (a->n_tx > b->n_tx) - (a->n_tx < b->n_tx);
}

int iffnet_alert_list_finish(iffnet_alert_list_t *l, const iffnet_case_t *c)
{
    int32_t vc = iffnet_case_value_currency(c);
    int mixed_case = iffnet_case_mixed_currencies(c);
    for (int64_t i = 0; i < l->n; i++) {
        iffnet_alert_t *a = &l->items[i];
        a->amount = 0;
        /* Without rates, an amount is only summed when every transaction of the
         * alert is in one currency; otherwise there is no meaningful total. */
        a->currency = mixed_case ? (a->n_tx ? c->tx_currency[a->tx[0]] : -1) : vc;
        a->first = a->last = 0;
        for (int64_t k = 0; k < a->n_tx; k++) {
            int64_t t = a->tx[k];
            if (mixed_case && c->tx_currency[t] != a->currency) a->currency = -1;
            if (iffnet_i_money_add(&a->amount, mixed_case ? c->tx_amount[t] : iffnet_case_tx_value(c, t)))
                return iffnet_i_money_overflow("alert amount");
            if (k == 0 || c->tx_time[t] < a->first) a->first = c->tx_time[t];
            if (k == 0 || c->tx_time[t] > a->last) a->last = c->tx_time[t];
        }
        if (a->currency < 0) a->amount = 0;
    }
    if (l->n > 1) qsort(l->items, (size_t)l->n, sizeof *l->items, cmp_alert);
    for (int64_t i = 0; i < l->n; i++) {
        free(l->items[i].id);
        l->items[i].id = iffnet_i_asprintf("A%06lld", (long long)(i + 1));
        if (!l->items[i].id) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

/* One alert: one object, one line of JSON Lines. */
static void write_alert(iffnet_jsonw_t *w, const iffnet_alert_t *a, const iffnet_case_t *c)
{
    iffnet_jsonw_object_begin(w, NULL);
    iffnet_jsonw_str(w, "id", a->id ? a->id : "");
    iffnet_jsonw_str(w, "typology", iffnet_typology_name(a->typology));
    iffnet_jsonw_double(w, "score", a->score, 4);
    iffnet_jsonw_array_begin(w, "accounts");
    for (int64_t k = 0; k < a->n_accounts; k++) iffnet_jsonw_str(w, NULL, iffnet_case_account_id(c, a->accounts[k]));
    iffnet_jsonw_end(w);
    iffnet_jsonw_array_begin(w, "transactions");
    for (int64_t k = 0; k < a->n_tx; k++) iffnet_jsonw_str(w, NULL, iffnet_case_tx_id(c, a->tx[k]));
    iffnet_jsonw_end(w);
    if (a->currency >= 0) iffnet_jsonw_amount(w, "amount", a->amount, c->currency_scale[a->currency]);
    else iffnet_jsonw_null(w, "amount"); /* mixed currencies, no rates */
    iffnet_jsonw_str(w, "currency", a->currency >= 0 ? iffnet_case_currency(c, a->currency) : "");
    iffnet_jsonw_time(w, "first", a->first);
    iffnet_jsonw_time(w, "last", a->last);
    iffnet_jsonw_array_begin(w, "reasons");
    for (int64_t k = 0; k < a->n_reasons; k++) iffnet_jsonw_str(w, NULL, a->reasons[k]);
    iffnet_jsonw_end(w);
    iffnet_jsonw_bool(w, "ranked_low", a->ranked_low);
    iffnet_jsonw_end(w);
}

int iffnet_alert_write_jsonl(const iffnet_alert_list_t *l, const iffnet_case_t *c, FILE *fp)
{
    iffnet_jsonw_t w;
    iffnet_jsonw_init(&w, fp);
    for (int64_t i = 0; i < l->n; i++) write_alert(&w, &l->items[i], c);
    return iffnet_jsonw_finish(&w);
}
