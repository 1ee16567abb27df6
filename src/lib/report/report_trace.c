/* report_trace.c: tracing results for the report, from a trace run here or from
 * the JSON document `iffnet trace` writes. For each rule the report lists where the
 * traced money ended: still held by an account at the end, or gone out of the case
 * from it (cash, abroad, outside accounts). */
#include <errno.h>
#include "report_internal.h"
#include "iffnet/json.h"
#include "iffnet/trace.h"

typedef struct { int64_t account; iffnet_money_t amount, held, left; } dest_t;

static int cmp_dest(const void *pa, const void *pb)
{
    const dest_t *a = pa, *b = pb;
    if (a->amount != b->amount) return a->amount > b->amount ? -1 : 1;
    return a->account < b->account ? -1 : a->account > b->account;
}

/* Appends a rule with its destinations (sorted by amount descending here). */
static int add_rule(iffnet_report_trace_t *t, const char *name, iffnet_money_t tainted,
                    dest_t *dest, int64_t n)
{
    iffnet_report_trace_rule_t *r;
    iffnet_report_trace_rule_t *grown = realloc(t->rules, ((size_t)t->n_rules + 1) * sizeof *grown);
    if (!grown) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    t->rules = grown;
    r = &t->rules[t->n_rules];
    memset(r, 0, sizeof *r);
    qsort(dest, (size_t)n, sizeof *dest, cmp_dest);
    r->rule = iffnet_i_strdup(name);
    r->tainted = tainted;
    r->dest_account = malloc(((size_t)n + 1) * sizeof *r->dest_account);
    r->dest_amount = malloc(((size_t)n + 1) * sizeof *r->dest_amount);
    r->dest_held = malloc(((size_t)n + 1) * sizeof *r->dest_held);
    r->dest_left = malloc(((size_t)n + 1) * sizeof *r->dest_left);
    t->n_rules++;   /* counted now so that destroy frees whatever was allocated */
    if (!r->rule || !r->dest_account || !r->dest_amount || !r->dest_held || !r->dest_left)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < n; i++) {
        r->dest_account[i] = dest[i].account;
        r->dest_amount[i] = dest[i].amount;
        r->dest_held[i] = dest[i].held;
        r->dest_left[i] = dest[i].left;
        if (iffnet_i_money_add(&r->sum_amount, dest[i].amount) || iffnet_i_money_add(&r->sum_held, dest[i].held) ||
            iffnet_i_money_add(&r->sum_left, dest[i].left))
            return iffnet_i_money_overflow("report: the traced amounts of one rule");
    }
    r->n_dest = n;
    return IFFNET_OK;
}

/* ---- from a trace run in memory ---- */

static int from_run(iffnet_report_trace_t *t, const iffnet_trace_t *tr)
{
    int64_t rows = tr->opts.backward ? tr->n_origins : tr->n_touched;
    dest_t *dest = malloc(((size_t)rows + 1) * sizeof *dest);
    int err = IFFNET_OK;
    if (!dest) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    t->sources = malloc(((size_t)tr->opts.n_seed_accounts + 1) * sizeof *t->sources);
    if (!t->sources) {
        free(dest);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    memcpy(t->sources, tr->opts.seed_accounts, (size_t)tr->opts.n_seed_accounts * sizeof *t->sources);
    t->n_sources = tr->opts.n_seed_accounts;
    t->backward = tr->opts.backward;
    for (int r = 0; r < IFFNET_TRACE_NRULES && !err; r++) {
        int64_t n = 0;
        iffnet_money_t total = 0;
        if (!(tr->opts.rules & (1u << r))) continue;
        if (tr->opts.backward) {
            /* where what reached the sources came from; "tainted" is then what reached them */
            for (int64_t i = 0; i < tr->n_origins && !err; i++) {
                iffnet_money_t v = tr->origin_amount[i * IFFNET_TRACE_NRULES + r];
                if (v <= 0) continue;
                dest[n++] = (dest_t){tr->origin_account[i], v, 0, 0};
                if (iffnet_i_money_add(&total, v)) err = iffnet_i_money_overflow("report: what reached the subject");
            }
            if (!err) err = add_rule(t, iffnet_trace_rule_name((iffnet_trace_rule_t)r), total, dest, n);
            continue;
        }
        for (int64_t i = 0; i < tr->n_touched && !err; i++) {
            const iffnet_trace_flow_t *f = &tr->flow[i * IFFNET_TRACE_NRULES + r];
            iffnet_money_t v = f->held;
            if (iffnet_i_money_add(&v, f->left)) err = iffnet_i_money_overflow("report: money held and left by an account");
            else if (v > 0) dest[n++] = (dest_t){tr->touched[i], v, f->held, f->left};
        }
        if (err) break;
        err = add_rule(t, iffnet_trace_rule_name((iffnet_trace_rule_t)r), tr->injected, dest, n);
    }
    free(dest);
    return err;
}

/* Sources of the report's own trace: where the top alerts start (the payer of
 * each alert's earliest transaction), for the three highest-scoring alerts with
 * distinct starts. Tracing from every flagged account would seed taint in the middle
 * of the chains too, and every rule would then give the same answer. */
static int64_t pick_sources(const iffnet_report_data_t *d, const iffnet_case_t *c, int64_t *src)
{
    int64_t n = 0;
    for (int64_t k = 0; d->have_alerts && k < d->alerts.n && n < 3; k++) {
        const iffnet_alert_t *al = &d->alerts.items[k];
        int64_t t0 = -1, a;
        for (int64_t i = 0; i < al->n_tx; i++)
            if (t0 < 0 || al->tx[i] < t0) t0 = al->tx[i];
        if (t0 < 0 || t0 >= c->n_tx) continue;
        a = c->tx_src[t0];
        int dup = 0;
        for (int64_t j = 0; j < n; j++) dup |= src[j] == a;
        if (!dup) src[n++] = a;
    }
    return n;
}

int iffnet_i_report_run_trace(iffnet_report_data_t *d, const iffnet_case_t *c)
{
    int64_t src[3], n = pick_sources(d, c, src);
    iffnet_trace_opts_t o;
    iffnet_trace_t tr;
    int err;
    if (n == 0) return iffnet_report_data_note(d, "tracing was left out: no alert to trace from");
    iffnet_trace_opts_default(&o);
    o.seed_accounts = src;
    o.n_seed_accounts = n;
    if ((err = iffnet_trace_run(&tr, c, &o))) {
        if (err == IFFNET_ENOMEM) return err;
        return iffnet_report_data_note(d, "tracing was left out: %s", iffnet_errmsg());
    }
    iffnet_report_trace_destroy(&d->trace);
    err = from_run(&d->trace, &tr);
    for (int64_t i = 0; !err && i < tr.n_notes; i++) /* work the trace cut short: into the methodology */
        err = iffnet_report_data_note(d, "tracing: %s", tr.notes[i]);
    d->have_trace = err == IFFNET_OK;
    if (err) iffnet_report_trace_destroy(&d->trace);
    iffnet_trace_destroy(&tr);
    return err;
}

/* One trace of the subject's accounts into t (a note when it cannot run). */
static int subject_trace(iffnet_report_data_t *d, const iffnet_case_t *c, int backward, iffnet_report_trace_t *t,
                         int *have)
{
    iffnet_trace_opts_t o;
    iffnet_trace_t tr;
    int err;
    iffnet_trace_opts_default(&o);
    o.backward = backward;
    o.seed_accounts = d->subject.accounts;
    o.n_seed_accounts = d->subject.n_accounts;
    if ((err = iffnet_trace_run(&tr, c, &o))) {
        if (err == IFFNET_ENOMEM) return err;
        return iffnet_report_data_note(d, "the %s trace of the subject was left out: %s",
                                       backward ? "backward" : "forward", iffnet_errmsg());
    }
    iffnet_report_trace_destroy(t);
    err = from_run(t, &tr);
    *have = err == IFFNET_OK;
    if (err) iffnet_report_trace_destroy(t);
    iffnet_trace_destroy(&tr);
    return err;
}

int iffnet_i_report_run_subject_traces(iffnet_report_data_t *d, const iffnet_case_t *c)
{
    if (!d->have_subject || d->subject.n_accounts == 0) return IFFNET_OK;
    IFFNET_TRY(subject_trace(d, c, 0, &d->subject.out, &d->subject.have_out));
    return subject_trace(d, c, 1, &d->subject.in, &d->subject.have_in);
}

/* ---- from `iffnet trace` JSON ---- */

/* An amount of the trace document: a number in major units at the document's
 * scale, or (scale < 0: documents of "amounts": "integer minor units") an
 * integer of minor units. */
static int json_money(const iffnet_json_t *v, const char *path, const char *what, int scale, iffnet_money_t *out)
{
    char *end;
    if (!v || v->type != IFFNET_JSON_NUMBER)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: %s must be an amount", path,
                               (long long)(v ? v->line : 1), (long long)(v ? v->col : 1), what);
    if (scale >= 0) {
        if (iffnet_amount_parse(v->str, strlen(v->str), scale, NULL, out) != IFFNET_AMOUNT_OK)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: %s must be an amount with at most %d decimals", path,
                                   (long long)v->line, (long long)v->col, what, scale);
        return IFFNET_OK;
    }
    errno = 0;
    long long x = strtoll(v->str, &end, 10);
    if (*end || errno == ERANGE || x < 0)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: %s must be a non-negative integer amount within 64 bits", path,
                               (long long)v->line, (long long)v->col, what);
    *out = x;
    return IFFNET_OK;
}

/* The document's amounts: -1 for integer minor units, else their decimals. */
static int doc_scale(const iffnet_json_t *doc)
{
    const iffnet_json_t *a = iffnet_json_get(doc, "amounts"), *sc = iffnet_json_get(doc, "scale");
    if (a && a->type == IFFNET_JSON_STRING && strcmp(a->str, "integer minor units") == 0) return -1;
    if (sc && sc->type == IFFNET_JSON_NUMBER) {
        long v = strtol(sc->str, NULL, 10);
        if (v >= 0 && v <= 18) return (int)v;
    }
    return 2;
}

static int json_account(const iffnet_json_t *v, iffnet_case_t *c, const char *path, int64_t *a)
{
    const iffnet_json_t *id = iffnet_json_get(v, "account");
    if (!id || id->type != IFFNET_JSON_STRING)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: member 'account' must be a string", path,
                               (long long)v->line, (long long)v->col);
    *a = iffnet_case_find_account(c, id->str);
    if (*a < 0)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: account '%s' is not in the case", path,
                               (long long)id->line, (long long)id->col, id->str);
    return IFFNET_OK;
}

static int load_rules(iffnet_report_trace_t *t, const iffnet_json_t *doc, iffnet_case_t *c, const char *path)
{
    const iffnet_json_t *totals = iffnet_json_get(doc, "totals"), *accs = iffnet_json_get(doc, "accounts");
    iffnet_money_t injected;
    dest_t *dest = NULL;
    int err, scale = doc_scale(doc);
    if (!totals || totals->type != IFFNET_JSON_OBJECT || !accs || accs->type != IFFNET_JSON_ARRAY)
        return iffnet_i_seterr(IFFNET_EDATA, "%s: not a trace document (no 'totals' or 'accounts')", path);
    if ((err = json_money(iffnet_json_get(doc, "injected"), path, "member 'injected'", scale, &injected))) return err;
    dest = malloc(((size_t)accs->n + 1) * sizeof *dest);
    if (!dest) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t k = 0; k < totals->n && !err; k++) {
        const char *rule = totals->keys[k];
        const iffnet_json_t *complete = iffnet_json_get(&totals->items[k], "complete");
        int64_t n = 0;
        if (complete && complete->type == IFFNET_JSON_BOOL && !complete->boolean) continue; /* stopped by its budget: a note says so */
        for (int64_t i = 0; i < accs->n && !err; i++) {
            const iffnet_json_t *row = &accs->items[i];
            const iffnet_json_t *f = iffnet_json_get(iffnet_json_get(row, "rules"), rule);
            iffnet_money_t held, left;
            int64_t a;
            if (!f) continue;
            if ((err = json_account(row, c, path, &a)) ||
                (err = json_money(iffnet_json_get(f, "held"), path, "member 'held'", scale, &held)) ||
                (err = json_money(iffnet_json_get(f, "left"), path, "member 'left'", scale, &left)))
                break;
            iffnet_money_t sum = held;
            if (iffnet_i_money_add(&sum, left)) {
                err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: 'held' and 'left' add up to more than 64 bits of "
                                      "minor units hold", path, (long long)f->line, (long long)f->col);
                break;
            }
            if (sum > 0) dest[n++] = (dest_t){a, sum, held, left};
        }
        if (!err) err = add_rule(t, rule, injected, dest, n);
    }
    free(dest);
    return err;
}

static int load_sources(iffnet_report_trace_t *t, const iffnet_json_t *doc, iffnet_case_t *c, const char *path)
{
    const iffnet_json_t *s = iffnet_json_get(doc, "sources");
    int err;
    if (!s || s->type != IFFNET_JSON_ARRAY) return IFFNET_OK;
    t->sources = malloc(((size_t)s->n + 1) * sizeof *t->sources);
    if (!t->sources) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < s->n; i++) {
        if (!iffnet_json_get(&s->items[i], "account")) continue;  /* a seed transaction */
        if ((err = json_account(&s->items[i], c, path, &t->sources[t->n_sources]))) return err;
        t->n_sources++;
    }
    return IFFNET_OK;
}

/* The trace's notes of work cut short go into the report's methodology. */
static int load_notes(iffnet_report_data_t *d, const iffnet_json_t *doc)
{
    const iffnet_json_t *notes = iffnet_json_get(doc, "notes");
    for (int64_t i = 0; notes && notes->type == IFFNET_JSON_ARRAY && i < notes->n; i++)
        if (notes->items[i].type == IFFNET_JSON_STRING)
            IFFNET_TRY(iffnet_report_data_note(d, "tracing: %s", notes->items[i].str));
    return IFFNET_OK;
}

int iffnet_report_load_trace(iffnet_report_data_t *d, iffnet_case_t *c, const char *path)
{
    iffnet_json_t *doc = NULL;
    const iffnet_json_t *dir;
    int err = iffnet_json_parse_file(&doc, path, NULL);
    if (err) return err;
    iffnet_report_trace_destroy(&d->trace);
    dir = iffnet_json_get(doc, "direction");
    if (dir && dir->type == IFFNET_JSON_STRING && strcmp(dir->str, "forward") != 0) {
        err = iffnet_i_seterr(IFFNET_EDATA, "%s: the report shows forward traces; this one is '%s'", path, dir->str);
        goto out;
    }
    if ((err = load_sources(&d->trace, doc, c, path)) || (err = load_rules(&d->trace, doc, c, path))) goto out;
    if ((err = load_notes(d, doc))) goto out;
    d->have_trace = 1;
out:
    if (err) iffnet_report_trace_destroy(&d->trace);
    iffnet_json_free(doc);
    return err;
}
