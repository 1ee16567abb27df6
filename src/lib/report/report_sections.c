/* report_sections.c: tracing results, communities, central accounts and
 * shared-identifier groups. Each section says so visibly when its input is absent. */
#include <math.h>
#include "report_internal.h"

/* A share of the traced money, with its base: "12.5%". Under a rule that does
 * not conserve money (poison) shares can pass 100%, which the text explains. */
static void share_cell(iffnet_i_rep_t *r, iffnet_money_t part, iffnet_money_t base)
{
    if (base <= 0) iffnet_i_rep_cell(r, "%s", "-");
    else iffnet_i_rep_cell(r, "%.1f%%", 100.0 * (double)part / (double)base);
}

static int rule_conserves(const char *rule)
{
    return strcmp(rule, "poison") != 0;
}

static void trace_rule(iffnet_i_rep_t *r, const iffnet_report_trace_t *t, const iffnet_report_trace_rule_t *tr)
{
    static const char *const hf[] = {"Account", "Name", "Country", "Held at the end", "Left the case from here",
                                     "Share of the traced"};
    static const char *const hb[] = {"Account", "Name", "Country", "Came from here", "Share of what reached"};
    char b[192], m[64], base[64], title[160];
    int64_t n = tr->n_dest < 15 ? tr->n_dest : 15;
    iffnet_money_t sum = tr->sum_amount;
    snprintf(title, sizeof title, "Rule %s", tr->rule);
    iffnet_i_rep_heading(r, 3, NULL, title);
    if (tr->description) iffnet_i_rep_para(r, "%s", tr->description);
    else if (iffnet_i_rep_rule_text(tr->rule)) iffnet_i_rep_para(r, "%s", iffnet_i_rep_rule_text(tr->rule));
    iffnet_i_rep_money(r, tr->tainted, base, sizeof base);
    if (t->backward)
        iffnet_i_rep_para(r, "%s reached the subject's accounts under this rule, from %lld accounts; the shares "
                          "below are of these %s.", base, (long long)tr->n_dest, base);
    else
        iffnet_i_rep_para(r, "Tainted money traced: %s. It ended with %lld accounts (held there at the end, or "
                          "left the case from there: cash, abroad, outside accounts); the shares below are of "
                          "these %s.", base, (long long)tr->n_dest, base);
    if (!t->backward && !rule_conserves(tr->rule) && tr->tainted > 0 && sum > tr->tainted)
        iffnet_i_rep_para(r, "This rule does not conserve money: it counts everything an account sends after "
                          "tainted money arrives as tainted, so the same money is counted again at every account "
                          "it passes, and the amounts add up to %s, %.0f%% of what was traced. Read them as how "
                          "far the money can have reached, not as amounts to recover.",
                          iffnet_i_rep_money(r, sum, m, sizeof m), 100.0 * (double)sum / (double)tr->tainted);
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
                                   .money = r->vcur >= 0, .n = n, .labels = lab, .v1 = v, .horizontal = 1};
            for (int64_t i = 0; i < n; i++) if (!lab[i]) ch.n = 0;
            if (ch.n) iffnet_i_svg_bars(r->fp, &ch);
            for (int64_t i = 0; i < n; i++) free(lab[i]);
        }
        free(lab);
        free(v);
    }
    iffnet_i_rep_table(r, t->backward ? 5 : 6, t->backward ? hb : hf);
    for (int64_t i = 0; i < n; i++) {
        int64_t a = tr->dest_account[i];
        iffnet_i_rep_cell_acc_id(r, a);
        iffnet_i_rep_cell_acc_name(r, a);
        iffnet_i_rep_cell(r, "%s", iffnet_case_account_country(r->c, a));
        if (t->backward) {
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, tr->dest_amount[i], m, sizeof m));
        } else {
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, tr->dest_held[i], m, sizeof m));
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, tr->dest_left[i], m, sizeof m));
        }
        share_cell(r, tr->dest_amount[i], tr->tainted);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
}

/* One row per rule: how much each rule leaves held, how much left the case, and
 * where most of it ended, so the reader sees at once how much the rule matters. */
static void trace_overview(iffnet_i_rep_t *r, const iffnet_report_trace_t *t)
{
    static const char *const hf[] = {"Rule", "Traced", "Held at the end", "Left the case", "Accounts",
                                     "Largest share: account", "amount", "of the traced"};
    static const char *const hb[] = {"Rule", "Reached the subject", "Origins", "Largest origin", "amount",
                                     "of what reached"};
    char m0[64], m1[64], m2[64];
    iffnet_i_rep_table(r, t->backward ? 6 : 8, t->backward ? hb : hf);
    for (int64_t k = 0; k < t->n_rules; k++) {
        const iffnet_report_trace_rule_t *tr = &t->rules[k];
        iffnet_money_t held = tr->sum_held, left = tr->sum_left;
        iffnet_i_rep_cell(r, "%s", tr->rule);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, tr->tainted, m0, sizeof m0));
        if (!t->backward) {
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, held, m1, sizeof m1));
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, left, m2, sizeof m2));
        }
        iffnet_i_rep_cell(r, "%lld", (long long)tr->n_dest);
        if (tr->n_dest > 0) {
            iffnet_i_rep_cell_acc(r, tr->dest_account[0]);
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, tr->dest_amount[0], m1, sizeof m1));
            share_cell(r, tr->dest_amount[0], tr->tainted);
        } else {
            iffnet_i_rep_cell(r, "%s", "");
            iffnet_i_rep_cell(r, "%s", "");
            iffnet_i_rep_cell(r, "%s", "");
        }
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
    if (t->backward)
        iffnet_i_rep_para(r, "Shares are of what reached the subject's accounts under each rule (100%% = all of it).");
    else
        iffnet_i_rep_para(r, "Shares are of the money traced from the sources under each rule (100%% = all of it). "
                          "Every rule but poison conserves money: what is held at the end and what left the case add "
                          "up to what was traced. Poison counts the same money again at every account it reaches, "
                          "so its shares can pass 100%%.");
}

void iffnet_i_rep_trace_result(iffnet_i_rep_t *r, const iffnet_report_trace_t *t, const char *what)
{
    if (!r->md) fputs("<p>", r->fp);
    iffnet_i_rep_esc(r, what);
    for (int64_t i = 0; i < t->n_sources && i < 20; i++) {
        if (i) iffnet_i_rep_esc(r, ", ");
        iffnet_i_rep_acc_text(r, t->sources[i]);
    }
    if (t->n_sources > 20) iffnet_i_rep_raw(r, " and %lld more", (long long)(t->n_sources - 20));
    fputs(r->md ? ".\n\n" : ".</p>\n", r->fp);
    trace_overview(r, t);
    for (int64_t k = 0; k < t->n_rules; k++) trace_rule(r, t, &t->rules[k]);
}

void iffnet_i_rep_trace(iffnet_i_rep_t *r)
{
    const iffnet_report_trace_t *t = r->in->trace;
    iffnet_i_rep_heading(r, 2, "tracing", "Where the money went");
    if (!t) {
        iffnet_i_rep_note(r, "no tracing results are included: tracing was not run and no --trace file was given");
        return;
    }
    iffnet_i_rep_trace_result(r, t, t->backward ? "Traced backward (where the money that reached them came from) to: "
                                                : "Traced forward (all money they sent in the case) from: ");
}

/* Watch-list hits: the watchlist alerts, one line each. */
void iffnet_i_rep_screening(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Alert", "Score", "Accounts", "Match"};
    int64_t n = 0;
    for (int64_t k = 0; k < r->n_alerts; k++)
        n += r->al_show[k] && r->in->alerts->items[k].typology == IFFNET_TYP_WATCHLIST;
    iffnet_i_rep_heading(r, 2, "screening", "Watch-list screening");
    if (n == 0) {
        iffnet_i_rep_para(r, "No entity of the case matches a watch list (or no watch list was given: "
                          "iffnet report --watchlist FILE).");
        return;
    }
    iffnet_i_rep_para(r, "%lld entities match a watch-list entry by name (after normalisation: case, accents, "
                      "word order, legal forms) or by identifier. A name match is a lead, not an identification: "
                      "check dates of birth, addresses and identifiers before acting on it.", (long long)n);
    iffnet_i_rep_table(r, 4, h);
    for (int64_t k = 0, rows = 0; k < r->n_alerts && rows < 200; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        if (!r->al_show[k] || al->typology != IFFNET_TYP_WATCHLIST) continue;
        rows++;
        iffnet_i_rep_cell_link(r, al->id, al->id);
        iffnet_i_rep_cell(r, "%.2f", al->score);
        iffnet_i_rep_cell(r, "%lld", (long long)al->n_accounts);
        char *s = iffnet_i_rep_pseudo_text(r, al, al->n_reasons ? al->reasons[0] : "");
        iffnet_i_rep_cell(r, "%s", s ? s : "");
        free(s);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
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
    char mm[64];
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
            iffnet_i_rep_acc_text(r, best[j]);
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
        iffnet_i_rep_cell_acc_id(r, a);
        iffnet_i_rep_cell_acc_name(r, a);
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
