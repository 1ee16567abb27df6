/* alert.c: the typology vocabulary and alert lists. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
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

static const char *const MOVED_NAMES[] = {
#define IFFNET_X_NAME(id, name, desc) name,
    IFFNET_MOVED_RULES(IFFNET_X_NAME)
#undef IFFNET_X_NAME
};

static const char *const MOVED_DESCS[] = {
#define IFFNET_X_DESC(id, name, desc) desc,
    IFFNET_MOVED_RULES(IFFNET_X_DESC)
#undef IFFNET_X_DESC
};

const char *iffnet_moved_rule_name(iffnet_moved_rule_t r)
{
    return (unsigned)r < IFFNET_MOVED_COUNT ? MOVED_NAMES[r] : "unknown";
}

const char *iffnet_moved_rule_description(iffnet_moved_rule_t r)
{
    return (unsigned)r < IFFNET_MOVED_COUNT ? MOVED_DESCS[r] : "";
}

int iffnet_moved_rule_parse(const char *name, iffnet_moved_rule_t *r)
{
    for (int i = 0; i < IFFNET_MOVED_COUNT; i++)
        if (strcmp(MOVED_NAMES[i], name) == 0) {
            *r = (iffnet_moved_rule_t)i;
            return 0;
        }
    return -1;
}

/* Which money a typology's structure moves (iffnet-detect(1), MOVED MONEY). */
iffnet_moved_rule_t iffnet_typology_moved_rule(iffnet_typology_t t)
{
    switch (t) {
    case IFFNET_TYP_FAN_IN: return IFFNET_MOVED_COLLECTOR;
    case IFFNET_TYP_FAN_OUT: return IFFNET_MOVED_DISTRIBUTOR;
    case IFFNET_TYP_CYCLE: return IFFNET_MOVED_LEAST_HOP;
    case IFFNET_TYP_GATHER_SCATTER: case IFFNET_TYP_MULE: return IFFNET_MOVED_HUB;
    case IFFNET_TYP_STRUCTURING: case IFFNET_TYP_CASH_TO_WIRE: return IFFNET_MOVED_CASH;
    case IFFNET_TYP_CORRIDOR: return IFFNET_MOVED_TRANSIT;
    case IFFNET_TYP_WILDLIFE_TRADE: case IFFNET_TYP_PEP_PAYMENT: case IFFNET_TYP_BENFORD:
    case IFFNET_TYP_ROUND_AMOUNTS: case IFFNET_TYP_WATCHLIST: return IFFNET_MOVED_SUM;
    default: return IFFNET_MOVED_ENTRY; /* scatter_gather, bipartite, stack, layering, shell_network */
    }
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
    iffnet_run_record_free(l->run);
    memset(l, 0, sizeof *l);
}

/* ---- the run record ---- */

iffnet_run_record_t *iffnet_run_record_new(void)
{
    iffnet_run_record_t *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->version = iffnet_i_strdup(iffnet_version());
    if (!r->version) { free(r); return NULL; }
    return r;
}

static void free_items(iffnet_run_item_t *it, int64_t n)
{
    for (int64_t i = 0; i < n; i++) { free(it[i].key); free(it[i].value); free(it[i].how); }
    free(it);
}

static void free_lines(char **s, int64_t n)
{
    for (int64_t i = 0; i < n; i++) free(s[i]);
    free(s);
}

void iffnet_run_record_free(iffnet_run_record_t *r)
{
    if (!r) return;
    free(r->version); free(r->command_line); free(r->case_path); free(r->case_sha256);
    free_items(r->settings, r->n_settings);
    free_items(r->profile, r->n_profile);
    free_lines(r->budgets, r->n_budgets);
    free_lines(r->notes, r->n_notes);
    free(r);
}

int iffnet_run_record_set_str(char **field, const char *s)
{
    char *copy = NULL;
    if (s && !(copy = iffnet_i_strdup(s))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    free(*field);
    *field = copy;
    return IFFNET_OK;
}

/* Appends (key, value, how) to items[*n]; items grow one at a time (a run has
 * a few hundred at most). */
static int add_item(iffnet_run_item_t **items, int64_t *n, const char *key, const char *value, const char *how)
{
    iffnet_run_item_t *grown = realloc(*items, (size_t)(*n + 1) * sizeof **items);
    if (!grown) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    *items = grown;
    iffnet_run_item_t *it = &grown[*n];
    it->key = iffnet_i_strdup(key);
    it->value = iffnet_i_strdup(value ? value : "");
    it->how = how ? iffnet_i_strdup(how) : NULL;
    if (!it->key || !it->value || (how && !it->how)) {
        free(it->key); free(it->value); free(it->how);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    (*n)++;
    return IFFNET_OK;
}

int iffnet_run_record_setting(iffnet_run_record_t *r, const char *key, const char *value, const char *how)
{
    /* a setting read by two detectors (fan_in and fan_out share the window) is
     * recorded once: the first reading, which the others repeat */
    for (int64_t i = 0; i < r->n_settings; i++)
        if (strcmp(r->settings[i].key, key) == 0) return IFFNET_OK;
    return add_item(&r->settings, &r->n_settings, key, value, how);
}

int iffnet_run_record_profile(iffnet_run_record_t *r, const char *key, const char *value)
{
    return add_item(&r->profile, &r->n_profile, key, value, NULL);
}

static int add_line(char ***lines, int64_t *n, const char *fmt, va_list ap)
{
    char *s = iffnet_i_vasprintf(fmt, ap);
    if (!s) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    char **grown = realloc(*lines, (size_t)(*n + 1) * sizeof **lines);
    if (!grown) { free(s); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); }
    *lines = grown;
    grown[(*n)++] = s;
    return IFFNET_OK;
}

int iffnet_run_record_budget(iffnet_run_record_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int err = add_line(&r->budgets, &r->n_budgets, fmt, ap);
    va_end(ap);
    return err;
}

int iffnet_run_record_note(iffnet_run_record_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int err = add_line(&r->notes, &r->n_notes, fmt, ap);
    va_end(ap);
    return err;
}

void iffnet_alert_list_drop_ranked_low(iffnet_alert_list_t *l)
{
    int64_t kept = 0;
    for (int64_t i = 0; i < l->n; i++) {
        if (l->items[i].ranked_low) { alert_free(&l->items[i]); continue; }
        if (kept != i) l->items[kept] = l->items[i];
        kept++;
    }
    l->n = kept;
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
    a->expected = IFFNET_E_UNKNOWN;
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

/* ---- moved money ----
 * The alert's transactions as flows between the accounts at their ends (which
 * may lie outside a->accounts, as the cash pseudo-account does): per account the
 * money in and out, per ordered pair of accounts the money along that hop. */
typedef struct {
    int64_t n;                 /* distinct accounts at the ends of the transactions */
    int64_t *acc;              /* ascending */
    iffnet_money_t *in, *out;
} flows_t;

static void flows_free(flows_t *f)
{
    free(f->acc);
    free(f->in);
    free(f->out);
}

static int64_t flows_index(const flows_t *f, int64_t account)
{
    int64_t lo = 0, hi = f->n - 1;
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (f->acc[mid] == account) return mid;
        if (f->acc[mid] < account) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

/* The amount of transaction t as the alert's amount is summed. */
static iffnet_money_t alert_tx_value(const iffnet_case_t *c, int64_t t)
{
    return iffnet_case_mixed_currencies(c) ? c->tx_amount[t] : iffnet_case_tx_value(c, t);
}

static int flows_build(const iffnet_alert_t *a, const iffnet_case_t *c, flows_t *f)
{
    int64_t m = 0;
    memset(f, 0, sizeof *f);
    f->acc = malloc((size_t)(2 * a->n_tx + 1) * sizeof *f->acc);
    if (!f->acc) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t k = 0; k < a->n_tx; k++) {
        f->acc[m++] = c->tx_src[a->tx[k]];
        f->acc[m++] = c->tx_dst[a->tx[k]];
    }
    iffnet_i_sort(f->acc, (size_t)m, sizeof *f->acc, iffnet_i_cmp_i64);
    for (int64_t i = 0; i < m; i++)
        if (f->n == 0 || f->acc[f->n - 1] != f->acc[i]) f->acc[f->n++] = f->acc[i];
    f->in = calloc((size_t)f->n + 1, sizeof *f->in);
    f->out = calloc((size_t)f->n + 1, sizeof *f->out);
    if (!f->in || !f->out) {
        flows_free(f);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t k = 0; k < a->n_tx; k++) {
        int64_t t = a->tx[k];
        iffnet_money_t v = alert_tx_value(c, t);
        f->out[flows_index(f, c->tx_src[t])] += v;
        f->in[flows_index(f, c->tx_dst[t])] += v;
    }
    return IFFNET_OK;
}

/* The account that passes most money on: the largest min(in, out); -1 when none
 * both receives and pays. The cash pseudo-account takes withdrawals and pays out
 * deposits, but passes nothing on: it is never the hub. */
static int64_t flows_hub(const flows_t *f, const iffnet_case_t *c)
{
    int64_t best = -1;
    iffnet_money_t best_v = 0;
    for (int64_t i = 0; i < f->n; i++) {
        if (iffnet_case_is_cash(c, f->acc[i])) continue;
        iffnet_money_t v = f->in[i] < f->out[i] ? f->in[i] : f->out[i];
        if (v > best_v) {
            best_v = v;
            best = i;
        }
    }
    return best;
}

typedef struct { int64_t src, dst; iffnet_money_t v; } hop_t;

static int cmp_hop(const void *pa, const void *pb)
{
    const hop_t *a = pa, *b = pb;
    if (a->src != b->src) return a->src < b->src ? -1 : 1;
    return (a->dst > b->dst) - (a->dst < b->dst);
}

/* The smallest sum along one hop (ordered pair of distinct accounts); -1 when
 * the alert has no such hop. */
static int least_hop(const iffnet_alert_t *a, const iffnet_case_t *c, iffnet_money_t *out)
{
    hop_t *h = malloc((size_t)(a->n_tx + 1) * sizeof *h);
    int64_t n = 0;
    *out = -1;
    if (!h) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t k = 0; k < a->n_tx; k++) {
        int64_t t = a->tx[k];
        if (c->tx_src[t] != c->tx_dst[t]) h[n++] = (hop_t){c->tx_src[t], c->tx_dst[t], alert_tx_value(c, t)};
    }
    iffnet_i_sort(h, (size_t)n, sizeof *h, cmp_hop);
    for (int64_t i = 0, j; i < n; i = j) {
        iffnet_money_t sum = 0;
        for (j = i; j < n && h[j].src == h[i].src && h[j].dst == h[i].dst; j++) sum += h[j].v;
        if (*out < 0 || sum < *out) *out = sum;
    }
    free(h);
    return IFFNET_OK;
}

/* A cash deposit: channel cash_deposit, or paid by the cash pseudo-account CASH
 * (the conventions of iffnet-formats(5)). */
static int is_cash_deposit(const iffnet_case_t *c, int64_t t)
{
    if (c->tx_channel && c->tx_channel[t] >= 0 &&
        strcmp(iffnet_strtab_get(&c->channels, c->tx_channel[t]), "cash_deposit") == 0)
        return 1;
    return iffnet_case_is_cash(c, c->tx_src[t]);
}

/* One rule on built flows; *used is the rule that gave the figure, after the
 * fallbacks: a rule that finds nothing to measure (no hub, no source, no cash)
 * gives way to the next most specific one. */
static int apply_moved_rule(const iffnet_alert_t *a, const iffnet_case_t *c, const flows_t *f,
                            iffnet_moved_rule_t rule, iffnet_money_t *moved, iffnet_moved_rule_t *used)
{
    int64_t hub;
    *moved = 0;
    *used = rule;
    switch (rule) {
    case IFFNET_MOVED_COLLECTOR:
        for (int64_t i = 0; i < f->n; i++) if (f->in[i] > *moved) *moved = f->in[i];
        return IFFNET_OK;
    case IFFNET_MOVED_DISTRIBUTOR:
        for (int64_t i = 0; i < f->n; i++) if (f->out[i] > *moved) *moved = f->out[i];
        return IFFNET_OK;
    case IFFNET_MOVED_HUB:
    case IFFNET_MOVED_TRANSIT:
        if ((hub = flows_hub(f, c)) < 0) return apply_moved_rule(a, c, f, IFFNET_MOVED_ENTRY, moved, used);
        *moved = rule == IFFNET_MOVED_TRANSIT ? f->in[hub] : f->in[hub] < f->out[hub] ? f->in[hub] : f->out[hub];
        return IFFNET_OK;
    case IFFNET_MOVED_CASH:
        for (int64_t k = 0; k < a->n_tx; k++)
            if (is_cash_deposit(c, a->tx[k])) *moved += alert_tx_value(c, a->tx[k]);
        if (*moved == 0) return apply_moved_rule(a, c, f, IFFNET_MOVED_ENTRY, moved, used);
        return IFFNET_OK;
    case IFFNET_MOVED_ENTRY:
        /* Money an account pays beyond what it receives in the structure came from
         * outside it: the sources' payments, plus what any account adds on the way. */
        for (int64_t i = 0; i < f->n; i++) if (f->out[i] > f->in[i]) *moved += f->out[i] - f->in[i];
        if (*moved == 0 && a->n_tx > 0) return apply_moved_rule(a, c, f, IFFNET_MOVED_LEAST_HOP, moved, used);
        return IFFNET_OK;
    case IFFNET_MOVED_LEAST_HOP: {
        int err = least_hop(a, c, moved);
        if (!err && *moved < 0) *moved = 0; /* self-transfers only: nothing moved between accounts */
        return err;
    }
    case IFFNET_MOVED_SUM:
    default:
        *used = IFFNET_MOVED_SUM;
        for (int64_t k = 0; k < a->n_tx; k++) *moved += alert_tx_value(c, a->tx[k]);
        return IFFNET_OK;
    }
}

int iffnet_alert_derive_moved(iffnet_alert_t *a, const iffnet_case_t *c, iffnet_moved_rule_t rule)
{
    flows_t f;
    int err;
    if (rule == IFFNET_MOVED_AUTO || rule == IFFNET_MOVED_DETECTOR || (unsigned)rule >= IFFNET_MOVED_COUNT)
        rule = iffnet_typology_moved_rule(a->typology);
    if (a->currency < 0) {
        /* mixed currencies without rates: no meaningful figure, as for amount */
        a->moved = 0;
        a->moved_by = rule;
        return IFFNET_OK;
    }
    if ((err = flows_build(a, c, &f))) return err;
    err = apply_moved_rule(a, c, &f, rule, &a->moved, &a->moved_by);
    flows_free(&f);
    return err;
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
        /* A detector that sets the figure without naming a rule knows the roles. */
        if (a->moved_by == IFFNET_MOVED_AUTO && a->moved != 0) a->moved_by = IFFNET_MOVED_DETECTOR;
        if (a->moved_by != IFFNET_MOVED_DETECTOR) {
            int err = iffnet_alert_derive_moved(a, c, IFFNET_MOVED_AUTO);
            if (err) return err;
        } else if (a->currency < 0) {
            a->moved = 0;
        }
    }
    if (l->n > 1) qsort(l->items, (size_t)l->n, sizeof *l->items, cmp_alert);
    for (int64_t i = 0; i < l->n; i++) {
        free(l->items[i].id);
        l->items[i].id = iffnet_i_asprintf("A%06lld", (long long)(i + 1));
        if (!l->items[i].id) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

/* E with three significant digits, as a JSON number (%g may write an exponent,
 * which JSON allows); null when not estimated. */
static void write_expected(iffnet_jsonw_t *w, double e)
{
    char buf[32];
    if (!(e >= 0) || !isfinite(e)) { iffnet_jsonw_null(w, "expected"); return; }
    snprintf(buf, sizeof buf, "%.3g", e);
    iffnet_jsonw_number(w, "expected", buf);
}

/* A profile value: a JSON number when its text is one, else a string. */
static void write_value(iffnet_jsonw_t *w, const char *key, const char *v)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    int number = *v && *end == '\0' && errno == 0 && isfinite(d) && strspn(v, "-0123456789.eE+") == strlen(v)
                 && *v != '+' && *v != '.' && strcmp(v, "-") != 0;
    if (number) iffnet_jsonw_number(w, key, v);
    else iffnet_jsonw_str(w, key, v);
}

/* The profile's dotted keys ("tx_per_pair.p50") as objects one level deep:
 * entries of one group are consecutive. */
static void write_profile(iffnet_jsonw_t *w, const iffnet_run_record_t *r)
{
    const char *group = NULL;
    size_t glen = 0;
    iffnet_jsonw_object_begin(w, "profile");
    for (int64_t i = 0; i < r->n_profile; i++) {
        const char *k = r->profile[i].key, *dot = strchr(k, '.');
        if (group && !(dot && (size_t)(dot - k) == glen && strncmp(k, group, glen) == 0)) {
            iffnet_jsonw_end(w);
            group = NULL;
        }
        if (dot && !group) {
            char name[128];
            glen = (size_t)(dot - k) < sizeof name - 1 ? (size_t)(dot - k) : sizeof name - 1;
            memcpy(name, k, glen); name[glen] = '\0';
            iffnet_jsonw_object_begin(w, name);
            group = k;
        }
        write_value(w, dot ? dot + 1 : k, r->profile[i].value);
    }
    if (group) iffnet_jsonw_end(w);
    iffnet_jsonw_end(w);
}

static void write_run(iffnet_jsonw_t *w, const iffnet_run_record_t *r)
{
    iffnet_jsonw_object_begin(w, NULL);
    iffnet_jsonw_str(w, "record", "run");
    iffnet_jsonw_str(w, "version", r->version);
    iffnet_jsonw_str(w, "command", r->command_line);
    iffnet_jsonw_object_begin(w, "case");
    iffnet_jsonw_str(w, "path", r->case_path);
    iffnet_jsonw_str(w, "sha256", r->case_sha256);
    iffnet_jsonw_end(w);
    iffnet_jsonw_int(w, "seed", (int64_t)r->seed);
    iffnet_jsonw_str(w, "listing", r->all ? "all" : "default");
    iffnet_jsonw_int(w, "alerts", r->n_alerts);
    iffnet_jsonw_int(w, "ranked_low", r->n_ranked_low);
    iffnet_jsonw_object_begin(w, "settings");
    for (int64_t i = 0; i < r->n_settings; i++) {
        iffnet_jsonw_object_begin(w, r->settings[i].key);
        iffnet_jsonw_str(w, "value", r->settings[i].value);
        iffnet_jsonw_str(w, "how", r->settings[i].how);
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
    write_profile(w, r);
    iffnet_jsonw_array_begin(w, "budgets");
    for (int64_t i = 0; i < r->n_budgets; i++) iffnet_jsonw_str(w, NULL, r->budgets[i]);
    iffnet_jsonw_end(w);
    iffnet_jsonw_array_begin(w, "notes");
    for (int64_t i = 0; i < r->n_notes; i++) iffnet_jsonw_str(w, NULL, r->notes[i]);
    iffnet_jsonw_end(w);
    iffnet_jsonw_end(w);
}

/* One alert: one object, one line of JSON Lines. */
static void write_alert(iffnet_jsonw_t *w, const iffnet_alert_t *a, const iffnet_case_t *c)
{
    iffnet_jsonw_object_begin(w, NULL);
    iffnet_jsonw_str(w, "id", a->id ? a->id : "");
    iffnet_jsonw_str(w, "typology", iffnet_typology_name(a->typology));
    iffnet_jsonw_double(w, "score", a->score, 4);
    write_expected(w, a->expected);
    iffnet_jsonw_array_begin(w, "accounts");
    for (int64_t k = 0; k < a->n_accounts; k++) iffnet_jsonw_str(w, NULL, iffnet_case_account_id(c, a->accounts[k]));
    iffnet_jsonw_end(w);
    iffnet_jsonw_array_begin(w, "transactions");
    for (int64_t k = 0; k < a->n_tx; k++) iffnet_jsonw_str(w, NULL, iffnet_case_tx_id(c, a->tx[k]));
    iffnet_jsonw_end(w);
    if (a->currency >= 0) iffnet_jsonw_amount(w, "amount", a->amount, c->currency_scale[a->currency]);
    else iffnet_jsonw_null(w, "amount"); /* mixed currencies, no rates */
    if (a->currency >= 0) iffnet_jsonw_amount(w, "moved", a->moved, c->currency_scale[a->currency]);
    else iffnet_jsonw_null(w, "moved");
    iffnet_jsonw_str(w, "moved_by", iffnet_moved_rule_name(a->moved_by));
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
    if (l->run) write_run(&w, l->run);
    for (int64_t i = 0; i < l->n; i++) write_alert(&w, &l->items[i], c);
    return iffnet_jsonw_finish(&w);
}
