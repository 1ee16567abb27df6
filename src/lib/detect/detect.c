/* detect.c: the detect driver (see include/iffnet/detect.h). */
#include <stdarg.h>
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

static int is_part_of(const iffnet_alert_t *a, const iffnet_alert_t *b, double overlap)
{
    if (a == b || a->typology == IFFNET_TYP_CYCLE /* a block's layers form no loop */
        || !is_block(b) || b->n_accounts <= a->n_accounts)
        return 0;
    int64_t in = 0;
    for (int64_t i = 0, j = 0; i < a->n_tx && j < b->n_tx; ) {
        if (a->tx[i] == b->tx[j]) { in++; i++; j++; }
        else if (a->tx[i] < b->tx[j]) i++;
        else j++;
    }
    return (double)in >= overlap * (double)a->n_tx;
}

static void free_alert(iffnet_alert_t *a)
{
    for (int64_t k = 0; k < a->n_reasons; k++) free(a->reasons[k]);
    free(a->reasons); free(a->accounts); free(a->tx); free(a->id);
    memset(a, 0, sizeof *a);
}

/* Drops partial alerts contained in a complete one, and complete alerts
 * contained in a larger bipartite or stack block (see detect.h). Uses an
 * account -> complete-alert inverted index. O(sum of alert sizes x overlaps). */
static int dedupe(iffnet_alert_list_t *l, int64_t n_acc, double overlap)
{
    int64_t *off = calloc((size_t)n_acc + 2, sizeof *off), *idx = NULL, *cnt = NULL, *stamp = NULL;
    char *drops = NULL;
    int64_t total = 0, kept = 0;
    int err = IFFNET_OK;
    if (!off) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < l->n; i++)
        if (is_complete(l->items[i].typology))
            for (int64_t k = 0; k < l->items[i].n_accounts; k++) { off[l->items[i].accounts[k] + 1]++; total++; }
    if (total == 0) goto out;
    for (int64_t a = 0; a < n_acc; a++) off[a + 1] += off[a];
    idx = malloc((size_t)total * sizeof *idx);
    cnt = calloc((size_t)l->n, sizeof *cnt);
    stamp = calloc((size_t)l->n, sizeof *stamp);
    int64_t *pos = calloc((size_t)n_acc + 1, sizeof *pos);
    if (!idx || !cnt || !stamp || !pos) { free(pos); err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t i = 0; i < l->n; i++)
        if (is_complete(l->items[i].typology))
            for (int64_t k = 0; k < l->items[i].n_accounts; k++) {
                int64_t a = l->items[i].accounts[k];
                idx[off[a] + pos[a]++] = i;
            }
    free(pos);
    /* mark first, free and compact afterwards: the tests read other alerts */
    drops = calloc((size_t)l->n, 1);
    if (!drops) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t i = 0; i < l->n; i++) {
        const iffnet_alert_t *a = &l->items[i];
        int drop = 0;
        for (int64_t k = 0; k < a->n_accounts && !drop; k++)
            for (int64_t j = off[a->accounts[k]]; j < off[a->accounts[k] + 1]; j++) {
                int64_t b = idx[j];
                if (!is_partial(a->typology) && !is_complete(a->typology)) continue;
                if ((is_complete(a->typology) || is_block(&l->items[b])) && !is_part_of(a, &l->items[b], overlap)) continue;
                if (stamp[b] != i + 1) { stamp[b] = i + 1; cnt[b] = 0; }
                if ((double)++cnt[b] >= overlap * (double)a->n_accounts) { drop = 1; break; }
            }
        drops[i] = (char)drop;
    }
    for (int64_t i = 0; i < l->n; i++) {
        if (drops[i]) { free_alert(&l->items[i]); continue; }
        l->items[kept++] = l->items[i];
    }
    l->n = kept;
out:
    free(off); free(idx); free(cnt); free(stamp); free(drops);
    return err;
}

/* Leaves out the alerts chance explains (--hide-low), keeping the order. */
static void drop_ranked_low(iffnet_alert_list_t *l)
{
    int64_t kept = 0;
    for (int64_t i = 0; i < l->n; i++) {
        if (l->items[i].ranked_low) {
            free_alert(&l->items[i]);
            continue;
        }
        if (kept != i) l->items[kept] = l->items[i];
        kept++;
    }
    l->n = kept;
}

int iffnet_detect_run(const iffnet_detect_ctx_t *ctx, const iffnet_detect_opts_t *o,
                      iffnet_alert_list_t *out)
{
    const iffnet_detector_t *regs[2] = { iffnet_structural_detectors, iffnet_redflag_detectors };
    size_t nregs[2] = { iffnet_n_structural_detectors, iffnet_n_redflag_detectors };
    int64_t total = 0, done = 0;
    double overlap = 0.8;
    if (ctx->cfg) IFFNET_TRY(iffnet_config_double(ctx->cfg, "detect.dedupe_overlap", 0.8, 0.0, 1.0, &overlap));
    iffnet_i_txindex_release(); /* never trust an index kept from another run */
    for (int r = 0; r < 2; r++)
        for (size_t i = 0; i < nregs[r]; i++)
            if (regs[r][i].run && regs[r][i].typology < IFFNET_TYP_COUNT && o->selected[regs[r][i].typology]) total++;
    for (int r = 0; r < 2; r++)
        for (size_t i = 0; i < nregs[r]; i++) {
            const iffnet_detector_t *d = &regs[r][i];
            if (!d->run || d->typology >= IFFNET_TYP_COUNT || !o->selected[d->typology]) continue;
            if (o->progress) o->progress(o->progress_arg, iffnet_typology_name(d->typology), done, total);
            int err = d->run(ctx, out);
            if (err) { iffnet_i_txindex_release(); return err; }
            done++;
        }
    iffnet_i_txindex_release();
    if (overlap > 0) IFFNET_TRY(dedupe(out, ctx->c->n_accounts, overlap));
    if (o->hide_ranked_low) drop_ranked_low(out);
    /* alert.c's finish hands qsort a NULL array when the list is empty (undefined
     * behaviour that UBSan stops on): nothing to finish then */
    if (out->n == 0) return IFFNET_OK;
    return iffnet_alert_list_finish(out, ctx->c);
}
