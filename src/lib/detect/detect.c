/* detect.c: the detect driver (see include/iffnet/detect.h). */
#include <stdarg.h>
#include <math.h>
#include "iffnet/detect.h"
#include "detect_internal.h"

void iffnet_detect_notes_init(iffnet_detect_notes_t *n)
{
    memset(n, 0, sizeof *n);
}

void iffnet_detect_notes_destroy(iffnet_detect_notes_t *n)
{
    for (int64_t i = 0; i < n->n; i++) free(n->lines[i]);
    free(n->lines);
    memset(n, 0, sizeof *n);
}

/* The ctx->note callback: keeps a copy of each line (drops it when out of memory:
 * a note is information, never a reason to fail the run). */
static void add_note(void *arg, const char *fmt, ...)
{
    iffnet_detect_notes_t *n = arg;
    char buf[1024];
    va_list ap;
    if (!n) return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n->n == n->cap && iffnet_i_reserve((void **)&n->lines, &n->cap, n->n + 1, sizeof *n->lines)) return;
    char *s = iffnet_i_strdup(buf);
    if (s) n->lines[n->n++] = s;
}

void iffnet_detect_opts_default(iffnet_detect_opts_t *o)
{
    memset(o, 0, sizeof *o);
    /* The statistical screens (Benford, round amounts) describe an account's whole
     * history, not a structure: on their own they flag many ordinary accounts, so
     * they run only when asked for (--typologies all, or by name). */
    for (int t = 0; t < IFFNET_TYP_COUNT; t++)
        o->selected[t] = t != IFFNET_TYP_BENFORD && t != IFFNET_TYP_ROUND_AMOUNTS;
    o->window = 30 * 86400;
    o->threshold = -1;
    o->seed = 1;
}

static const iffnet_detector_t *find_detector(iffnet_typology_t t, int *redflag)
{
    for (size_t i = 0; i < iffnet_n_structural_detectors; i++)
        if (iffnet_structural_detectors[i].typology == t) { *redflag = 0; return &iffnet_structural_detectors[i]; }
    for (size_t i = 0; i < iffnet_n_redflag_detectors; i++)
        if (iffnet_redflag_detectors[i].typology == t) { *redflag = 1; return &iffnet_redflag_detectors[i]; }
    return NULL;
}

int iffnet_detect_available(iffnet_typology_t t)
{
    int rf;
    return find_detector(t, &rf) != NULL;
}

static int select_group(iffnet_detect_opts_t *o, const char *name)
{
    int want_rf = strcmp(name, "redflag") == 0, any = 0;
    if (strcmp(name, "all") && strcmp(name, "structural") && !want_rf) return 0;
    for (int t = 0; t < IFFNET_TYP_COUNT; t++) {
        int rf = 0;
        const iffnet_detector_t *d = find_detector((iffnet_typology_t)t, &rf);
        if (strcmp(name, "all") == 0 || (d && rf == want_rf)) { o->selected[t] = 1; any = 1; }
    }
    (void)any;
    return 1;
}

int iffnet_detect_select(iffnet_detect_opts_t *o, const char *list)
{
    char name[64];
    for (int t = 0; t < IFFNET_TYP_COUNT; t++) o->selected[t] = 0;
    for (const char *p = list; ; ) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len > 0 && (*p == ' ' || *p == '\t')) { p++; len--; }
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
        if (len == 0 || len >= sizeof name)
            return iffnet_i_seterr(IFFNET_EINVAL, "empty or overlong typology name in '%s'", list);
        memcpy(name, p, len);
        name[len] = 0;
        iffnet_typology_t t;
        if (!select_group(o, name)) {
            if (iffnet_typology_parse(name, &t) != 0)
                return iffnet_i_seterr(IFFNET_EINVAL, "unknown typology '%s'", name);
            o->selected[t] = 1;
        }
        if (!e) break;
        p = e + 1;
    }
    return IFFNET_OK;
}

int iffnet_detect_ctx_init(iffnet_detect_ctx_t *ctx, const iffnet_case_t *c, const igraph_t *graph,
                           const iffnet_config_t *cfg, const iffnet_detect_opts_t *o,
                           iffnet_detect_notes_t *notes)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->c = c;
    ctx->graph = graph;
    ctx->cfg = cfg;
    ctx->value_currency = c->n_tx > 0 || c->currencies.n > 0 ? iffnet_case_value_currency(c) : -1;
    int scale = ctx->value_currency >= 0 && c->currency_scale ? c->currency_scale[ctx->value_currency] : 2;
    iffnet_money_t unit = 1;
    for (int i = 0; i < scale; i++) unit *= 10;
    ctx->window = o->window;
    ctx->threshold = o->threshold >= 0 ? o->threshold : 10000 * unit;
    if (cfg) {
        IFFNET_TRY(iffnet_config_duration(cfg, "detect.window", ctx->window, &ctx->window));
        IFFNET_TRY(iffnet_config_money(cfg, "detect.threshold", ctx->threshold, scale, &ctx->threshold));
    }
    ctx->threshold_scale = scale;
    if (ctx->window <= 0) return iffnet_i_seterr(IFFNET_EINVAL, "the detection window must be positive");
    ctx->datadir = o->datadir;
    ctx->seed = o->seed;
    ctx->note = add_note;
    ctx->note_arg = notes;
    return IFFNET_OK;
}

static int is_partial(iffnet_typology_t t)
{
    return t == IFFNET_TYP_FAN_IN || t == IFFNET_TYP_FAN_OUT || t == IFFNET_TYP_LAYERING || t == IFFNET_TYP_MULE;
}

static int is_complete(iffnet_typology_t t)
{
    return t == IFFNET_TYP_CYCLE || t == IFFNET_TYP_SCATTER_GATHER || t == IFFNET_TYP_GATHER_SCATTER
        || t == IFFNET_TYP_BIPARTITE || t == IFFNET_TYP_STACK;
}

/* 1 when alert a is a part of block b: b is a larger
 * many-to-many block (bipartite, stack), whose layers contain scatter-gathers,
 * gather-scatters and smaller blocks by construction, and holds at least
 * `overlap` of a's transactions too (a structure that only shares accounts with
 * a block is a structure of its own; this holds for fans too). Both
 * transaction lists are sorted. */
static int is_block(const iffnet_alert_t *b)
{
    return b->typology == IFFNET_TYP_BIPARTITE || b->typology == IFFNET_TYP_STACK;
}

/* Shared elements of two sorted index lists. */
static int64_t common(const int64_t *a, int64_t na, const int64_t *b, int64_t nb)
{
    int64_t in = 0;
    for (int64_t i = 0, j = 0; i < na && j < nb; ) {
        if (a[i] == b[j]) { in++; i++; j++; }
        else if (a[i] < b[j]) i++;
        else j++;
    }
    return in;
}

static int is_part_of(const iffnet_alert_t *a, const iffnet_alert_t *b, double overlap)
{
    if (a == b || a->typology == IFFNET_TYP_CYCLE /* a block's layers form no loop */
        || !is_block(b) || b->n_accounts <= a->n_accounts)
        return 0;
    return (double)common(a->tx, a->n_tx, b->tx, b->n_tx) >= overlap * (double)a->n_tx;
}

static void free_alert(iffnet_alert_t *a)
{
    for (int64_t k = 0; k < a->n_reasons; k++) free(a->reasons[k]);
    free(a->reasons); free(a->accounts); free(a->tx); free(a->id);
    memset(a, 0, sizeof *a);
}

/* Removes the alerts marked in drops[], keeping the order of the rest. */
static void compact(iffnet_alert_list_t *l, const char *drops)
{
    int64_t kept = 0;
    for (int64_t i = 0; i < l->n; i++) {
        if (drops[i]) { free_alert(&l->items[i]); continue; }
        l->items[kept++] = l->items[i];
    }
    l->n = kept;
}

/* An account -> alert inverted index over the alerts `want` accepts. */
typedef struct { int64_t *off, *idx; } inv_t;

static int inv_build(const iffnet_alert_list_t *l, int64_t n_acc, int (*want)(const iffnet_alert_t *), inv_t *v)
{
    int64_t total = 0, *pos = NULL;
    v->idx = NULL;
    v->off = calloc((size_t)n_acc + 2, sizeof *v->off);
    if (!v->off) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < l->n; i++)
        if (want(&l->items[i]))
            for (int64_t k = 0; k < l->items[i].n_accounts; k++) { v->off[l->items[i].accounts[k] + 1]++; total++; }
    for (int64_t a = 0; a < n_acc; a++) v->off[a + 1] += v->off[a];
    v->idx = malloc((size_t)(total + 1) * sizeof *v->idx);
    pos = calloc((size_t)n_acc + 1, sizeof *pos);
    if (!v->idx || !pos) { free(pos); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); }
    for (int64_t i = 0; i < l->n; i++)
        if (want(&l->items[i]))
            for (int64_t k = 0; k < l->items[i].n_accounts; k++) {
                int64_t a = l->items[i].accounts[k];
                v->idx[v->off[a] + pos[a]++] = i;
            }
    free(pos);
    return IFFNET_OK;
}

static void inv_free(inv_t *v)
{
    free(v->off); free(v->idx);
}

static int want_complete(const iffnet_alert_t *a)
{
    return is_complete(a->typology);
}

static int want_any(const iffnet_alert_t *a)
{
    (void)a;
    return 1;
}

/* Drops partial alerts contained in a complete one, and complete alerts
 * contained in a larger bipartite or stack block (see detect.h). An alert in
 * the analyst's list is only dropped for one that is in the list too.
 * O(sum of alert sizes x overlaps). */
static int dedupe(iffnet_alert_list_t *l, int64_t n_acc, double overlap)
{
    inv_t v;
    int64_t *cnt = NULL, *stamp = NULL;
    char *drops = NULL;
    int err = inv_build(l, n_acc, want_complete, &v);
    if (err) goto out;
    cnt = calloc((size_t)l->n + 1, sizeof *cnt);
    stamp = calloc((size_t)l->n + 1, sizeof *stamp);
    drops = calloc((size_t)l->n + 1, 1);
    if (!cnt || !stamp || !drops) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    /* mark first, free and compact afterwards: the tests read other alerts */
    for (int64_t i = 0; i < l->n; i++) {
        const iffnet_alert_t *a = &l->items[i];
        if (!is_partial(a->typology) && !is_complete(a->typology)) continue;
        int drop = 0;
        for (int64_t k = 0; k < a->n_accounts && !drop; k++)
            for (int64_t j = v.off[a->accounts[k]]; j < v.off[a->accounts[k] + 1]; j++) {
                const iffnet_alert_t *b = &l->items[v.idx[j]];
                if (b->ranked_low && !a->ranked_low) continue;
                if ((is_complete(a->typology) || is_block(b)) && !is_part_of(a, b, overlap)) continue;
                if (stamp[v.idx[j]] != i + 1) { stamp[v.idx[j]] = i + 1; cnt[v.idx[j]] = 0; }
                if ((double)++cnt[v.idx[j]] >= overlap * (double)a->n_accounts) { drop = 1; break; }
            }
        drops[i] = (char)drop;
    }
    compact(l, drops);
out:
    inv_free(&v); free(cnt); free(stamp); free(drops);
    return err;
}

/* Merges b into a: the union of accounts and transactions, the smaller E (the
 * stronger evidence), a's reasons first. */
static int absorb(iffnet_alert_t *a, iffnet_alert_t *b)
{
    int64_t *acc = malloc((size_t)(a->n_accounts + b->n_accounts + 1) * sizeof *acc);
    int64_t *tx = malloc((size_t)(a->n_tx + b->n_tx + 1) * sizeof *tx);
    if (!acc || !tx) { free(acc); free(tx); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); }
    int64_t na = 0, nt = 0;
    for (int64_t i = 0, j = 0; i < a->n_accounts || j < b->n_accounts; ) {
        int64_t x = j >= b->n_accounts || (i < a->n_accounts && a->accounts[i] <= b->accounts[j]) ? a->accounts[i] : b->accounts[j];
        if (i < a->n_accounts && a->accounts[i] == x) i++;
        if (j < b->n_accounts && b->accounts[j] == x) j++;
        acc[na++] = x;
    }
    for (int64_t i = 0, j = 0; i < a->n_tx || j < b->n_tx; ) {
        int64_t x = j >= b->n_tx || (i < a->n_tx && a->tx[i] <= b->tx[j]) ? a->tx[i] : b->tx[j];
        if (i < a->n_tx && a->tx[i] == x) i++;
        if (j < b->n_tx && b->tx[j] == x) j++;
        tx[nt++] = x;
    }
    free(a->accounts); free(a->tx);
    a->accounts = acc; a->n_accounts = na;
    a->tx = tx; a->n_tx = nt;
    if (b->expected >= 0 && (a->expected < 0 || b->expected < a->expected)) a->expected = b->expected;
    if (b->score > a->score) a->score = b->score;
    a->moved = a->moved > b->moved ? a->moved : b->moved;
    return IFFNET_OK;
}

/* Order of alerts for merging: smallest E first, then highest score, then
 * the list's order (deterministic). */
typedef struct { double e, score; int64_t i; } merge_key_t;

static int cmp_merge(const void *pa, const void *pb)
{
    const merge_key_t *a = pa, *b = pb;
    if (a->e != b->e) return a->e < b->e ? -1 : 1;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Alerts of one typology and one listing that share at least half of the
 * smaller one's accounts describe one structure seen twice (two runs of one
 * hub, one block found as dense pairs and as new links): they become one alert.
 * The best alert (smallest E) of a structure is its seed; each other alert
 * joins the first seed, best first, it shares that much with (the seed's own
 * accounts, not the growing union: a chain of overlapping alerts is not one
 * structure). O(sum of alert sizes x overlaps + alerts log alerts). */
static int merge(iffnet_alert_list_t *l, int64_t n_acc)
{
    inv_t v;
    int64_t *cnt = NULL, *stamp = NULL, *seed = NULL, *n_merged = NULL;
    merge_key_t *order = NULL;
    char *drops = NULL;
    int err = inv_build(l, n_acc, want_any, &v);
    if (err) goto out;
    cnt = calloc((size_t)l->n + 1, sizeof *cnt);
    stamp = calloc((size_t)l->n + 1, sizeof *stamp);
    seed = malloc(((size_t)l->n + 1) * sizeof *seed);
    order = malloc(((size_t)l->n + 1) * sizeof *order);
    n_merged = calloc((size_t)l->n + 1, sizeof *n_merged);
    drops = calloc((size_t)l->n + 1, 1);
    if (!cnt || !stamp || !seed || !order || !n_merged || !drops) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t i = 0; i < l->n; i++) {
        const iffnet_alert_t *a = &l->items[i];
        seed[i] = -1;
        order[i] = (merge_key_t){ a->expected >= 0 ? a->expected : 1e300, a->score, i };
    }
    if (l->n > 1) qsort(order, (size_t)l->n, sizeof *order, cmp_merge);
    /* rank of each alert in that order */
    int64_t *rank = n_merged; /* reuse: zeroed again before counting merges */
    for (int64_t k = 0; k < l->n; k++) rank[order[k].i] = k;
    for (int64_t k = 0; k < l->n; k++) {
        int64_t i = order[k].i, join = -1, join_rank = INT64_MAX;
        const iffnet_alert_t *a = &l->items[i];
        if (!is_partial(a->typology) && !is_complete(a->typology)) { seed[i] = i; continue; }
        for (int64_t q = 0; q < a->n_accounts; q++)
            for (int64_t j = v.off[a->accounts[q]]; j < v.off[a->accounts[q] + 1]; j++) {
                int64_t o = v.idx[j];
                const iffnet_alert_t *b = &l->items[o];
                /* seeds already placed, of the same typology and listing */
                if (seed[o] != o || b->typology != a->typology || b->ranked_low != a->ranked_low) continue;
                if (stamp[o] != i + 1) { stamp[o] = i + 1; cnt[o] = 0; }
                int64_t small = a->n_accounts < b->n_accounts ? a->n_accounts : b->n_accounts;
                cnt[o]++;
                if ((2 * cnt[o] >= small) && rank[o] < join_rank) { join = o; join_rank = rank[o]; }
            }
        seed[i] = join >= 0 ? join : i;
    }
    for (int64_t i = 0; i < l->n; i++) n_merged[i] = 0;
    for (int64_t i = 0; i < l->n && !err; i++) {
        int64_t keep = seed[i];
        if (keep == i) continue;
        err = absorb(&l->items[keep], &l->items[i]);
        drops[i] = 1;
        n_merged[keep]++;
    }
    for (int64_t i = 0; i < l->n && !err; i++)
        if (n_merged[i] > 0)
            err = iffnet_alert_add_reason(&l->items[i], "merged with %lld other %s alert%s on the same accounts (one structure seen %lld times)",
                (long long)n_merged[i], iffnet_typology_name(l->items[i].typology), n_merged[i] == 1 ? "" : "s",
                (long long)n_merged[i] + 1);
    if (!err) compact(l, drops);
out:
    inv_free(&v); free(cnt); free(stamp); free(seed); free(order); free(n_merged); free(drops);
    return err;
}

/* The listing convention (alert.h): score 1 / (1 + E), ranked low when E >= 1,
 * with a reason when the detector gave none. */
static int apply_expected(iffnet_alert_list_t *l)
{
    for (int64_t i = 0; i < l->n; i++) {
        iffnet_alert_t *a = &l->items[i];
        /* a detector's arithmetic gone wrong is no figure: unknown, not NaN */
        if (isnan(a->expected)) a->expected = IFFNET_E_UNKNOWN;
        if (isnan(a->score)) a->score = 0;
        if (!(a->expected >= 0)) continue;
        a->score = 1.0 / (1.0 + a->expected);
        a->ranked_low = a->expected >= 1.0;
        if (!a->ranked_low) continue;
        int said = 0;
        for (int64_t k = 0; k < a->n_reasons && !said; k++) said = strncmp(a->reasons[k], "ranked low", 10) == 0;
        if (!said)
            IFFNET_TRY(iffnet_alert_add_reason(a, "ranked low: chance or the accounts' own routine would give about %.2g structures like this in the case",
                                               a->expected));
    }
    return IFFNET_OK;
}

/* ---- the run record's sinks: every note, budget and setting of the run ---- */

typedef struct {
    const iffnet_detect_ctx_t *outer;   /* the caller's context: its notes are forwarded */
    iffnet_run_record_t *run;
    int err;                            /* first failure to record (memory) */
} sink_t;

#define SINK_TEXT(buf, fmt) do { va_list ap; va_start(ap, fmt); vsnprintf(buf, sizeof buf, fmt, ap); va_end(ap); } while (0)

static void sink_note(void *arg, const char *fmt, ...)
{
    sink_t *k = arg;
    char buf[1024];
    SINK_TEXT(buf, fmt);
    if (!k->err) k->err = iffnet_run_record_note(k->run, "%s", buf);
    if (k->outer->note) k->outer->note(k->outer->note_arg, "%s", buf);
}

static void sink_budget(void *arg, const char *fmt, ...)
{
    sink_t *k = arg;
    char buf[1024];
    SINK_TEXT(buf, fmt);
    if (!k->err) k->err = iffnet_run_record_budget(k->run, "%s", buf);
    if (k->outer->budget) k->outer->budget(k->outer->budget_arg, "%s", buf);
    else if (k->outer->note) k->outer->note(k->outer->note_arg, "budget: %s", buf);
}

static void sink_setting(void *arg, const char *key, const char *value, const char *how)
{
    sink_t *k = arg;
    if (!k->err) k->err = iffnet_run_record_setting(k->run, key, value, how);
    if (k->outer->setting) k->outer->setting(k->outer->setting_arg, key, value, how);
}

/* The run record's head: provenance and the driver's own settings. */
static int run_head(const iffnet_detect_ctx_t *ctx, const iffnet_detect_opts_t *o, iffnet_run_record_t *r)
{
    char v[64];
    r->seed = o->seed;
    r->all = o->all;
    IFFNET_TRY(iffnet_run_record_set_str(&r->command_line, o->command_line));
    IFFNET_TRY(iffnet_run_record_set_str(&r->case_path, o->case_path));
    IFFNET_TRY(iffnet_run_record_set_str(&r->case_sha256, o->case_sha256));
    iffnet_i_duration_text(v, sizeof v, ctx->window);
    IFFNET_TRY(iffnet_run_record_setting(r, "detect.window", v, ctx->cfg && iffnet_config_str(ctx->cfg, "detect.window", NULL) ? "set" : "default"));
    iffnet_amount_format(v, sizeof v, ctx->threshold, ctx->threshold_scale, 0);
    return iffnet_run_record_setting(r, "detect.threshold", v, ctx->cfg && iffnet_config_str(ctx->cfg, "detect.threshold", NULL) ? "set" : "default");
}

static int run_detectors(const iffnet_detect_ctx_t *ctx, const iffnet_detect_opts_t *o, iffnet_alert_list_t *out)
{
    const iffnet_detector_t *regs[2] = { iffnet_structural_detectors, iffnet_redflag_detectors };
    size_t nregs[2] = { iffnet_n_structural_detectors, iffnet_n_redflag_detectors };
    int64_t total = 0, done = 0;
    for (int r = 0; r < 2; r++)
        for (size_t i = 0; i < nregs[r]; i++)
            if (regs[r][i].run && regs[r][i].typology < IFFNET_TYP_COUNT && o->selected[regs[r][i].typology]) total++;
    for (int r = 0; r < 2; r++)
        for (size_t i = 0; i < nregs[r]; i++) {
            const iffnet_detector_t *d = &regs[r][i];
            if (!d->run || d->typology >= IFFNET_TYP_COUNT || !o->selected[d->typology]) continue;
            if (o->progress) o->progress(o->progress_arg, iffnet_typology_name(d->typology), done, total);
            IFFNET_TRY(d->run(ctx, out));
            done++;
        }
    return IFFNET_OK;
}

int iffnet_detect_run(const iffnet_detect_ctx_t *ctx, const iffnet_detect_opts_t *o,
                      iffnet_alert_list_t *out)
{
    iffnet_detect_ctx_t run_ctx = *ctx;
    iffnet_detect_profile_t profile;
    sink_t sink = { ctx, NULL, IFFNET_OK };
    double overlap = 0.8;
    int err;
    if (ctx->cfg) IFFNET_TRY(iffnet_config_double(ctx->cfg, "detect.dedupe_overlap", 0.8, 0.0, 1.0, &overlap));
    if (!out->run && !(out->run = iffnet_run_record_new())) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    sink.run = out->run;
    IFFNET_TRY(run_head(ctx, o, out->run));
    iffnet_i_txindex_release(); /* never trust an index kept from another run */
    if ((err = iffnet_detect_profile(ctx->c, &profile))) goto out;
    if ((err = iffnet_detect_profile_record(&profile, out->run))) goto out;
    run_ctx.profile = &profile;
    run_ctx.note = sink_note; run_ctx.note_arg = &sink;
    run_ctx.budget = sink_budget; run_ctx.budget_arg = &sink;
    run_ctx.setting = sink_setting; run_ctx.setting_arg = &sink;
    if ((err = run_detectors(&run_ctx, o, out))) goto out;
    iffnet_i_txindex_release();
    if ((err = sink.err)) goto out;
    if ((err = apply_expected(out))) goto out;
    if ((err = merge(out, ctx->c->n_accounts))) goto out;
    if (overlap > 0 && (err = dedupe(out, ctx->c->n_accounts, overlap))) goto out;
    out->run->n_ranked_low = 0;
    for (int64_t i = 0; i < out->n; i++) out->run->n_ranked_low += out->items[i].ranked_low != 0;
    if (!o->all) iffnet_alert_list_drop_ranked_low(out);
    out->run->n_alerts = out->n;
    /* alert.c's finish hands qsort a NULL array when the list is empty (undefined
     * behaviour that UBSan stops on): nothing to finish then */
    if (out->n > 0) err = iffnet_alert_list_finish(out, ctx->c);
out:
    iffnet_i_txindex_release();
    return err;
}
