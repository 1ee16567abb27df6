/* report_run.c: gathers the report's inputs, from earlier outputs (files) or by
 * running the analyses through the other modules' library calls. The renderer
 * (report.c) never calls an analysis itself, so a report made from files and one
 * made from fresh analyses are drawn by the same code. */
#include <time.h>
#include "report_internal.h"
#include "iffnet/detect.h"
#include "iffnet/link.h"

/* Records a failed analysis as a note; only memory failure stops the report. */
static int failed(iffnet_report_data_t *d, int err, const char *what)
{
    if (err == IFFNET_ENOMEM) return err;
    return iffnet_report_data_note(d, "%s was left out: %s", what, iffnet_errmsg());
}

static void collect_note(void *arg, const char *fmt, ...)
{
    iffnet_report_data_t *d = arg;
    va_list ap;
    va_start(ap, fmt);
    char *s = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    if (s) iffnet_report_data_note(d, "detection: %s", s);
    free(s);
}

/* Detection (when no alerts were loaded) and the account risk ranking, with the
 * list options and settings detect would use. */
static int run_detect(iffnet_report_data_t *d, iffnet_case_t *c, const iffnet_report_run_t *ro)
{
    igraph_t g;
    iffnet_config_t own;
    iffnet_config_t *cfg = ro->cfg ? ro->cfg : &own;
    iffnet_detect_opts_t o;
    iffnet_detect_ctx_t ctx;
    iffnet_detect_notes_t notes;
    iffnet_account_risk_t *risk = NULL;
    int64_t n_risk = 0;
    int err, have_g = 0;

    iffnet_config_init(&own);
    iffnet_detect_notes_init(&notes);
    if (ro->detect) o = *ro->detect;
    else iffnet_detect_opts_default(&o);
    o.datadir = ro->datadir;
    o.seed = ro->seed;
    o.progress = NULL;
    if ((err = iffnet_case_graph(c, &g))) {
        err = failed(d, err, "detection");
        goto out;
    }
    have_g = 1;
    if ((err = iffnet_detect_ctx_init(&ctx, c, &g, cfg, &o, &notes))) {
        /* a bad setting is the caller's mistake, not an analysis left out */
        if (err != IFFNET_EDATA && err != IFFNET_EINVAL) err = failed(d, err, "detection");
        goto out;
    }
    ctx.note = collect_note;
    ctx.note_arg = d;
    if (!d->have_alerts) {
        if ((err = iffnet_detect_run(&ctx, &o, &d->alerts))) {
            iffnet_alert_list_destroy(&d->alerts);
            iffnet_alert_list_init(&d->alerts);
            if (err != IFFNET_EDATA && err != IFFNET_EINVAL && err != IFFNET_EIO) err = failed(d, err, "detection");
            goto out;
        }
        d->have_alerts = 1;
    }
    if (!d->risk) {
        if ((err = iffnet_account_risk(&ctx, &d->alerts, &risk, &n_risk))) {
            err = failed(d, err, "the account risk ranking");
            goto out;
        }
        d->risk = calloc((size_t)c->n_accounts + 1, sizeof *d->risk);
        if (!d->risk) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
        d->risk_reasons = calloc((size_t)c->n_accounts + 1, sizeof *d->risk_reasons);
        if (!d->risk_reasons) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
        d->n_risk_reasons = c->n_accounts;
        for (int64_t i = 0; i < n_risk; i++) {
            int64_t a = risk[i].account;
            if (a < 0 || a >= c->n_accounts) continue;
            d->risk[a] = risk[i].risk;
            /* The strongest reason (and how many more) keeps the summary on one page. */
            if (risk[i].n_reasons > 0)
                d->risk_reasons[a] = risk[i].n_reasons > 1 ?
                    iffnet_i_asprintf("%s (+%lld more)", risk[i].reasons[0], (long long)(risk[i].n_reasons - 1)) :
                    iffnet_i_strdup(risk[i].reasons[0]);
        }
    }
out:
    if (risk) iffnet_account_risk_free(risk, n_risk);
    if (have_g) igraph_destroy(&g);
    iffnet_detect_notes_destroy(&notes);
    iffnet_config_destroy(&own);
    return err;
}

/* Leiden communities and PageRank on the account-level view. */
static int run_link(iffnet_report_data_t *d, iffnet_case_t *c, unsigned long seed)
{
    iffnet_view_t v;
    iffnet_view_opts_t vo;
    iffnet_community_opts_t co;
    iffnet_communities_t cm;
    iffnet_rank_opts_t ro;
    iffnet_rank_t rk;
    int err, have_v = 0, have_cm = 0, have_rk = 0;

    iffnet_view_opts_default(&vo);
    if ((err = iffnet_view_build(&v, c, &vo))) {
        err = failed(d, err, "community detection and centrality");
        goto out;
    }
    have_v = 1;
    if (!d->community) {
        iffnet_community_opts_default(&co);
        co.seed = seed;
        if ((err = iffnet_communities_init(&cm))) goto out;
        have_cm = 1;
        if ((err = iffnet_communities_detect(&v, &co, &cm))) {
            if ((err = failed(d, err, "community detection"))) goto out;
        } else {
            d->community = malloc(((size_t)c->n_accounts + 1) * sizeof *d->community);
            d->community_method = iffnet_i_asprintf("Leiden (modularity %.3f, seed %lu)", cm.modularity, seed);
            if (!d->community || !d->community_method) {
                err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
                goto out;
            }
            for (int64_t a = 0; a < c->n_accounts; a++) {
                int64_t u = v.account_node[a];
                /* Numbered from 1, as `iffnet communities` prints them. */
                d->community[a] = u >= 0 ? VECTOR(cm.membership)[u] + 1 : -1;
            }
        }
    }
    iffnet_rank_opts_default(&ro);
    if ((err = iffnet_rank_init(&rk))) goto out;
    have_rk = 1;
    if ((err = iffnet_rank_compute(&v, &ro, &rk))) {
        err = failed(d, err, "the centrality ranking");
        goto out;
    }
    d->centrality = calloc((size_t)c->n_accounts + 1, sizeof *d->centrality);
    d->centrality_method = iffnet_i_strdup("PageRank (amount-weighted, damping 0.85)");
    if (!d->centrality || !d->centrality_method) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int64_t u = v.account_node[a];
        d->centrality[a] = u >= 0 ? VECTOR(rk.score)[u] : 0;
    }
out:
    if (have_rk) iffnet_rank_destroy(&rk);
    if (have_cm) iffnet_communities_destroy(&cm);
    if (have_v) iffnet_view_destroy(&v);
    return err;
}

/* Shared identifiers among the entities: the attributes the case has among the
 * identifying ones, plus directors and owners. */
static int run_groups(iffnet_report_data_t *d, iffnet_case_t *c)
{
    static const char *const want[] = {"address", "phone", "email", "registration", "website"};
    const char *by[8];
    iffnet_links_opts_t o = {0};
    iffnet_links_t l;
    int err;
    int64_t n = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (iffnet_strtab_find(&c->attr_names, want[i], strlen(want[i])) >= 0) by[n++] = want[i];
    by[n++] = "director";
    by[n++] = "owner";
    o.by = by;
    o.n_by = n;
    o.max_share = 50;   /* a value shared by more is a registered agent or a placeholder */
    if ((err = iffnet_links_find(c, &o, &l))) return failed(d, err, "the shared-identifier analysis");
    for (int64_t k = 0; k < l.n_keys && !err; k++) {
        iffnet_link_key_t *key = &l.keys[k];
        iffnet_report_group_t *g;
        if ((err = iffnet_i_reserve((void **)&d->groups.items, &d->groups.cap, d->groups.n + 1, sizeof *g)))
            break;
        g = &d->groups.items[d->groups.n];
        memset(g, 0, sizeof *g);
        g->by = iffnet_i_strdup(key->by);
        /* For directors and owners the key value is an entity id: show its name. */
        int64_t e = strcmp(key->by, "director") && strcmp(key->by, "owner") ? -1 :
                    iffnet_strtab_find(&c->entity_ids, key->value, strlen(key->value));
        g->value = iffnet_i_strdup(e >= 0 && c->entity_name[e] >= 0 ? iffnet_case_text(c, c->entity_name[e]) : key->value);
        g->entities = malloc(((size_t)key->n + 1) * sizeof *g->entities);
        if (!g->by || !g->value || !g->entities) {
            free(g->by); free(g->value); free(g->entities);
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            break;
        }
        memcpy(g->entities, key->members, (size_t)key->n * sizeof *g->entities);
        g->n = key->n;
        d->groups.n++;
    }
    iffnet_links_destroy(&l);
    if (!err) d->have_groups = 1;
    return err;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int iffnet_report_analyse(iffnet_report_data_t *d, iffnet_case_t *c, const char *datadir,
                          unsigned long seed)
{
    iffnet_report_run_t ro = {datadir, seed, NULL, NULL};
    return iffnet_report_analyse_with(d, c, &ro);
}

int iffnet_report_analyse_with(iffnet_report_data_t *d, iffnet_case_t *c, const iffnet_report_run_t *ro)
{
    int err = IFFNET_OK;
    double t[5];
    t[0] = now();
    if (!d->have_alerts || !d->risk) err = run_detect(d, c, ro);
    t[1] = now();
    if (!err) err = run_link(d, c, ro->seed);
    t[2] = now();
    if (!err && !d->have_groups) err = run_groups(d, c);
    t[3] = now();
    if (!err && !d->have_trace) err = iffnet_i_report_run_trace(d, c);
    if (!err) err = iffnet_i_report_run_subject_traces(d, c);
    t[4] = now();
    /* Wall times are not part of the report (it must be byte-stable). */
    snprintf(d->timing, sizeof d->timing, "detection and risk %.1f s, communities and PageRank %.1f s, "
             "shared identifiers %.1f s, tracing %.1f s", t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3]);
    return err;
}
