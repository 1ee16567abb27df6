/* report_sections.c: tracing results, communities, central accounts and
 * shared-identifier groups. Each section says so visibly when its input is absent. */
#include <math.h>
#include "report_internal.h"

static void trace_rule(iffnet_i_rep_t *r, const iffnet_report_trace_rule_t *tr)
{
    static const char *const h[] = {"Account", "Name", "Country", "Held at the end", "Left the case from here", "Share"};
    char b[96], m[64], title[160];
    int64_t n = tr->n_dest < 15 ? tr->n_dest : 15;
    snprintf(title, sizeof title, "Rule %s", tr->rule);
    iffnet_i_rep_heading(r, 3, NULL, title);
    if (tr->description) iffnet_i_rep_para(r, "%s", tr->description);
    else if (iffnet_i_rep_rule_text(tr->rule)) iffnet_i_rep_para(r, "%s", iffnet_i_rep_rule_text(tr->rule));
    iffnet_i_rep_para(r, "Tainted money traced: %s. It ended with %lld accounts (held there at the end, or "
                "left the case from there: cash, abroad, outside accounts).",
             iffnet_i_rep_money(r, tr->tainted, m, sizeof m), (long long)tr->n_dest);
    if (n == 0) return;
    if (n < tr->n_dest)
        iffnet_i_rep_para(r, "The %lld accounts with the largest amounts are shown.", (long long)n);
    if (!r->md) {
        char **lab = calloc((size_t)n, sizeof *lab);
        double *v = calloc((size_t)n, sizeof *v);
        if (lab && v) {
            for (int64_t i = 0; i < n; i++) {
                lab[i] = iffnet_i_strdup(iffnet_i_rep_acc_label(r, tr->dest_account[i], b, sizeof b));
                v[i] = iffnet_i_rep_major(r, tr->dest_amount[i], r->vcur);
            }
            iffnet_i_chart_t ch = {.title = title, .y_unit = r->vcur >= 0 ? iffnet_case_currency(r->c, r->vcur) : NULL,
                                   .n = n, .labels = lab, .v1 = v, .horizontal = 1};
            for (int64_t i = 0; i < n; i++) if (!lab[i]) ch.n = 0;
            if (ch.n) iffnet_i_svg_bars(r->fp, &ch);
            for (int64_t i = 0; i < n; i++) free(lab[i]);
        }
        free(lab);
        free(v);
    }
    iffnet_i_rep_table(r, 6, h);
    for (int64_t i = 0; i < n; i++) {
        int64_t a = tr->dest_account[i];
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_id(r, a, b, sizeof b));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_label(r, a, b, sizeof b));
        iffnet_i_rep_cell(r, "%s", iffnet_case_account_country(r->c, a));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, tr->dest_held[i], m, sizeof m));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, tr->dest_left[i], m, sizeof m));
        iffnet_i_rep_cell(r, "%.1f%%", tr->tainted > 0 ? 100.0 * (double)tr->dest_amount[i] / (double)tr->tainted : 0);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
}

/* One row per rule: how much each rule leaves held, how much left the case, and
 * where most of it ended, so the reader sees at once how much the rule matters. */
static void trace_overview(iffnet_i_rep_t *r, const iffnet_report_trace_t *t)
{
    static const char *const h[] = {"Rule", "Held at the end", "Left the case", "Accounts", "Largest share"};
    char m1[64], m2[64], b[96];
    iffnet_i_rep_table(r, 5, h);
    for (int64_t k = 0; k < t->n_rules; k++) {
        const iffnet_report_trace_rule_t *tr = &t->rules[k];
        iffnet_money_t held = 0, left = 0;
        for (int64_t i = 0; i < tr->n_dest; i++) {
            held += tr->dest_held[i];
            left += tr->dest_left[i];
        }
        iffnet_i_rep_cell(r, "%s", tr->rule);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, held, m1, sizeof m1));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, left, m2, sizeof m2));
        iffnet_i_rep_cell(r, "%lld", (long long)tr->n_dest);
        if (tr->n_dest > 0)
            iffnet_i_rep_cell(r, "%s (%.1f%%)", iffnet_i_rep_acc_label(r, tr->dest_account[0], b, sizeof b),
                     tr->tainted > 0 ? 100.0 * (double)tr->dest_amount[0] / (double)tr->tainted : 0);
        else
            iffnet_i_rep_cell(r, "%s", "");
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
}

void iffnet_i_rep_trace(iffnet_i_rep_t *r)
{
    const iffnet_report_trace_t *t = r->in->trace;
    char b[96];
    iffnet_i_rep_heading(r, 2, "tracing", "Where the money went");
    if (!t) {
        iffnet_i_rep_note(r, "no tracing results are included: tracing was not run and no --trace file was given");
        return;
    }
    if (!r->md) fputs("<p>", r->fp);
    iffnet_i_rep_esc(r, "Traced forward (all money they sent in the case) from: ");
    for (int64_t i = 0; i < t->n_sources && i < 20; i++) {
        if (i) iffnet_i_rep_esc(r, ", ");
        iffnet_i_rep_esc(r, iffnet_i_rep_acc_label(r, t->sources[i], b, sizeof b));
    }
    if (t->n_sources > 20) iffnet_i_rep_raw(r, " and %lld more", (long long)(t->n_sources - 20));
    fputs(r->md ? ".\n\n" : ".</p>\n", r->fp);
    trace_overview(r, t);
    for (int64_t k = 0; k < t->n_rules; k++) trace_rule(r, &t->rules[k]);
}

typedef struct { int64_t id, size, flagged; iffnet_money_t volume; } comm_t;

static int cmp_comm(const void *pa, const void *pb)
{
    const comm_t *a = pa, *b = pb;
    if (a->flagged != b->flagged) return a->flagged > b->flagged ? -1 : 1;
    if (a->size != b->size) return a->size > b->size ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

void iffnet_i_rep_communities(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Community", "Accounts", "Flagged", "Money moved", "Members (most active)"};
    const int64_t *m = r->in->community;
    int64_t nk = 0, shown = 0;
    comm_t *k = NULL;
    char b[96], mm[64];
    iffnet_i_rep_heading(r, 2, "communities", "Communities");
    if (!m) {
        iffnet_i_rep_note(r, "no community detection is included: it was not available and no --communities file was given");
        return;
    }
    for (int64_t a = 0; a < r->c->n_accounts; a++) if (m[a] + 1 > nk) nk = m[a] + 1;
    k = calloc((size_t)nk + 1, sizeof *k);
    if (!k) return;
    for (int64_t i = 0; i < nk; i++) k[i].id = i;
    for (int64_t a = 0; a < r->c->n_accounts; a++) {
        if (m[a] < 0) continue;
        k[m[a]].size++;
        k[m[a]].flagged += r->acc_nalerts[a] > 0;
        k[m[a]].volume += r->acc_in[a] + r->acc_out[a];
    }
    qsort(k, (size_t)nk, sizeof *k, cmp_comm);
    int64_t nonempty = 0;
    for (int64_t i = 0; i < nk; i++) nonempty += k[i].size > 0;
    iffnet_i_rep_para(r, "%lld communities%s%s. Listed: %s (at most 20). Money moved counts each payment at "
                "both ends.", (long long)nonempty,
             r->in->community_method ? " by " : "", r->in->community_method ? r->in->community_method : "",
             r->n_flagged_acc ? "the communities with flagged accounts, most flagged first" : "the largest communities");
    iffnet_i_rep_table(r, 5, h);
    for (int64_t i = 0; i < nk && shown < 20; i++) {
        if (k[i].size == 0 || (r->n_flagged_acc && k[i].flagged == 0)) break;
        iffnet_i_rep_cell(r, "%lld", (long long)k[i].id);
        iffnet_i_rep_cell(r, "%lld", (long long)k[i].size);
        iffnet_i_rep_cell(r, "%lld", (long long)k[i].flagged);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, k[i].volume / 2, mm, sizeof mm));
        /* The five members with most transactions, ties by index. */
        if (!r->md) fputs("<td>", r->fp);
        else fputs(" ", r->fp);
        int64_t best[5], nb = 0;
        for (int64_t a = 0; a < r->c->n_accounts; a++) {
            if (m[a] != k[i].id) continue;
            int64_t j = nb < 5 ? nb++ : 5;
            if (j == 5 && r->acc_ntx[a] <= r->acc_ntx[best[4]]) continue;
            if (j == 5) j = 4;
            while (j > 0 && r->acc_ntx[best[j - 1]] < r->acc_ntx[a]) { best[j] = best[j - 1]; j--; }
            best[j] = a;
        }
        for (int64_t j = 0; j < nb; j++) {
            if (j) iffnet_i_rep_esc(r, ", ");
            iffnet_i_rep_esc(r, iffnet_i_rep_acc_label(r, best[j], b, sizeof b));
        }
        fputs(r->md ? " |" : "</td>", r->fp);
        iffnet_i_rep_row_end(r);
        shown++;
    }
    iffnet_i_rep_table_end(r);
    free(k);
}

static int cmp_central(const void *pa, const void *pb, void *arg)
{
    const double *s = arg;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    if (s[a] != s[b]) return s[a] > s[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

void iffnet_i_rep_central(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Account", "Name", "Country", "Sector", "Centrality", "Alerts", "Transactions"};
    const double *s = r->in->centrality;
    int64_t *idx;
    char b[96];
    iffnet_i_rep_heading(r, 2, "central", "Central accounts");
    if (!s) {
        iffnet_i_rep_note(r, "no centrality ranking is included: it was not available for this report");
        return;
    }
    idx = malloc(((size_t)r->c->n_accounts + 1) * sizeof *idx);
    if (!idx) return;
    for (int64_t a = 0; a < r->c->n_accounts; a++) idx[a] = a;
    qsort_r(idx, (size_t)r->c->n_accounts, sizeof *idx, cmp_central, (void *)s);
    iffnet_i_rep_para(r, "The 15 accounts with the highest %s: money in the case flows through them most.",
             r->in->centrality_method ? r->in->centrality_method : "centrality");
    iffnet_i_rep_table(r, 7, h);
    for (int64_t i = 0; i < r->c->n_accounts && i < 15; i++) {
        int64_t a = idx[i];
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_id(r, a, b, sizeof b));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_label(r, a, b, sizeof b));
        iffnet_i_rep_cell(r, "%s", iffnet_case_account_country(r->c, a));
        iffnet_i_rep_cell(r, "%s", iffnet_case_account_sector(r->c, a));
        iffnet_i_rep_cell(r, "%.4f", s[a]);
        iffnet_i_rep_cell(r, "%lld", (long long)r->acc_nalerts[a]);
        iffnet_i_rep_cell(r, "%lld", (long long)r->acc_ntx[a]);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
    free(idx);
}

void iffnet_i_rep_groups(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Shared", "Value", "Entities"};
    const iffnet_report_groups_t *g = r->in->groups;
    char b[96];
    iffnet_i_rep_heading(r, 2, "groups", "Shared identifiers");
    if (!g) {
        iffnet_i_rep_note(r, "no shared-identifier analysis is included: it was not available for this report");
        return;
    }
    if (g->n == 0) {
        iffnet_i_rep_para(r, "No two entities share an address, phone, director or owner.");
        return;
    }
    iffnet_i_rep_para(r, "Entities that share an identifier (largest groups first, at most 30). A shared "
                "address or director can be innocent (a company-formation agent, a family) or a "
                "sign of one controller behind several companies.");
    iffnet_i_rep_table(r, 3, h);
    for (int64_t i = 0; i < g->n && i < 30; i++) {
        const iffnet_report_group_t *x = &g->items[i];
        iffnet_i_rep_cell(r, "%s", x->by);
        if (r->o->pseudonymize) iffnet_i_rep_cell(r, "(value %lld)", (long long)(i + 1));
        else iffnet_i_rep_cell(r, "%s", x->value);
        if (!r->md) fputs("<td>", r->fp);
        else fputs(" ", r->fp);
        for (int64_t j = 0; j < x->n && j < 12; j++) {
            if (j) iffnet_i_rep_esc(r, ", ");
            iffnet_i_rep_esc(r, iffnet_i_rep_entity_label(r, x->entities[j], b, sizeof b));
        }
        if (x->n > 12) iffnet_i_rep_raw(r, " and %lld more", (long long)(x->n - 12));
        fputs(r->md ? " |" : "</td>", r->fp);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
}
