/* report.c: the report driver: statistics over the case, the accounts the
 * report names (its accounts index), the summary, and the order of the sections.
 * The report is written in one pass over the document; statistics over the
 * transactions are computed once up front (O(n_tx)). */
#include <math.h>
#include "report_internal.h"

/* Accounts in the accounts index at most (each has an anchor that tables link
 * to); the index of a run with huge alerts stays within the report's size budget. */
#define MAX_INDEX 2000

void iffnet_report_opts_default(iffnet_report_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->format = IFFNET_REPORT_HTML;
    o->max_alert_details = 50;
    o->max_picture_nodes = 40;
    o->max_tx_rows = 40;
}

static void rep_free(iffnet_i_rep_t *r)
{
    free(r->acc_in); free(r->acc_out); free(r->acc_ntx); free(r->acc_nalerts);
    free(r->acc_score); free(r->tx_flag);
    free(r->al_amount); free(r->al_moved); free(r->al_moved_by); free(r->al_first); free(r->al_last);
    free(r->al_show); free(r->acc_indexed); free(r->acc_subject); free(r->comm_colour);
}

/* The alert's moved amount as the list gives it, or derived when the input left
 * it to the report (moved_by AUTO): on a copy, the input is borrowed. */
static int alert_moved(iffnet_i_rep_t *r, int64_t k)
{
    const iffnet_alert_t *al = &r->in->alerts->items[k];
    iffnet_alert_t copy = *al;
    if (al->moved_by != IFFNET_MOVED_AUTO) {
        r->al_moved[k] = al->currency >= 0 || !iffnet_case_mixed_currencies(r->c) ? al->moved : 0;
        r->al_moved_by[k] = al->moved_by;
        return IFFNET_OK;
    }
    copy.currency = iffnet_case_mixed_currencies(r->c) ? al->currency : r->vcur;
    IFFNET_TRY(iffnet_alert_derive_moved(&copy, r->c, IFFNET_MOVED_AUTO));
    r->al_moved[k] = copy.moved;
    r->al_moved_by[k] = copy.moved_by;
    return IFFNET_OK;
}

static int alloc_stats(iffnet_i_rep_t *r)
{
    size_t na = (size_t)r->c->n_accounts + 1, nt = (size_t)r->c->n_tx + 1, nk = (size_t)r->n_alerts + 1;
    r->acc_in = calloc(na, sizeof *r->acc_in);
    r->acc_out = calloc(na, sizeof *r->acc_out);
    r->acc_ntx = calloc(na, sizeof *r->acc_ntx);
    r->acc_nalerts = calloc(na, sizeof *r->acc_nalerts);
    r->acc_score = malloc(na * sizeof *r->acc_score);
    r->acc_indexed = calloc(na, 1);
    r->acc_subject = calloc(na, 1);
    r->tx_flag = calloc(nt, 1);
    r->al_amount = calloc(nk, sizeof *r->al_amount);
    r->al_moved = calloc(nk, sizeof *r->al_moved);
    r->al_moved_by = calloc(nk, sizeof *r->al_moved_by);
    r->al_first = calloc(nk, sizeof *r->al_first);
    r->al_last = calloc(nk, sizeof *r->al_last);
    r->al_show = malloc(nk);
    if (!r->acc_in || !r->acc_out || !r->acc_ntx || !r->acc_nalerts || !r->acc_score || !r->acc_indexed ||
        !r->acc_subject || !r->tx_flag || !r->al_amount || !r->al_moved || !r->al_moved_by || !r->al_first ||
        !r->al_last || !r->al_show)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (size_t a = 0; a < na; a++) r->acc_score[a] = -1;
    memset(r->al_show, 1, nk);
    return IFFNET_OK;
}

/* A subject report shows the alerts that hold one of the subject's accounts. */
static void subject_alerts(iffnet_i_rep_t *r)
{
    const iffnet_report_subject_t *s = r->in->subject;
    if (!s) {
        r->n_shown = r->n_alerts;
        return;
    }
    for (int64_t i = 0; i < s->n_accounts; i++)
        if (s->accounts[i] >= 0 && s->accounts[i] < r->c->n_accounts) r->acc_subject[s->accounts[i]] = 1;
    r->n_shown = 0;
    for (int64_t k = 0; k < r->n_alerts; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        r->al_show[k] = 0;
        for (int64_t i = 0; i < al->n_accounts && !r->al_show[k]; i++) r->al_show[k] = r->acc_subject[al->accounts[i]];
        r->n_shown += r->al_show[k];
    }
}

/* Per-account volumes and alert counts, per-transaction alert flags, per-alert
 * amounts. O(n_tx + alerts). */
static int rep_stats(iffnet_i_rep_t *r)
{
    const iffnet_case_t *c = r->c;
    IFFNET_TRY(alloc_stats(r));
    r->t_first = c->n_tx ? c->tx_time[0] : 0;
    r->t_last = c->n_tx ? c->tx_time[c->n_tx - 1] : 0;
    for (int64_t t = 0; t < c->n_tx; t++) {
        iffnet_money_t v = iffnet_case_tx_value(c, t);
        if (iffnet_i_money_add(&r->acc_out[c->tx_src[t]], v) || iffnet_i_money_add(&r->acc_in[c->tx_dst[t]], v) ||
            iffnet_i_money_add(&r->total, v))
            return iffnet_i_money_overflow("report totals");
        r->acc_ntx[c->tx_src[t]]++;
        r->acc_ntx[c->tx_dst[t]]++;
    }
    /* Money moved counts each payment at both ends (accounts, communities). */
    iffnet_money_t both = r->total;
    if (iffnet_i_money_add(&both, r->total)) return iffnet_i_money_overflow("report: money moved, counted at both ends");
    for (int64_t k = 0; k < r->n_alerts; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        for (int64_t i = 0; i < al->n_accounts; i++) {
            int64_t a = al->accounts[i];
            if (a < 0 || a >= c->n_accounts)
                return iffnet_i_seterr(IFFNET_EINVAL, "alert %s: account %lld is not in the case",
                                       al->id ? al->id : "?", (long long)a);
            if (r->acc_nalerts[a]++ == 0) r->n_flagged_acc++;
            if (al->score > r->acc_score[a]) r->acc_score[a] = al->score;
        }
        for (int64_t i = 0; i < al->n_tx; i++) {
            int64_t t = al->tx[i];
            if (t < 0 || t >= c->n_tx)
                return iffnet_i_seterr(IFFNET_EINVAL, "alert %s: transaction %lld is not in the case",
                                       al->id ? al->id : "?", (long long)t);
            /* Sum and period from the transactions themselves: an alerts file
             * may leave them out, and they must agree with the tables anyway. */
            if (iffnet_i_money_add(&r->al_amount[k], iffnet_case_tx_value(c, t)))
                return iffnet_i_money_overflow("report: alert amount");
            if (i == 0 || c->tx_time[t] < r->al_first[k]) r->al_first[k] = c->tx_time[t];
            if (i == 0 || c->tx_time[t] > r->al_last[k]) r->al_last[k] = c->tx_time[t];
            if (!r->tx_flag[t]) {
                r->tx_flag[t] = 1;
                r->n_flagged_tx++;
                r->flagged_value += iffnet_case_tx_value(c, t); /* each payment once: within the total */
            }
        }
        IFFNET_TRY(alert_moved(r, k));
    }
    subject_alerts(r);
    return iffnet_i_rep_colours(r);
}

/* ---- which accounts the index lists ---- */

static void index_mark(iffnet_i_rep_t *r, int64_t a)
{
    if (a < 0 || a >= r->c->n_accounts || r->acc_indexed[a] || r->n_indexed >= MAX_INDEX) return;
    r->acc_indexed[a] = 1;
    r->n_indexed++;
}

/* Accounts to look at first: by risk when a ranking is given, else by the number
 * of alerts and their best score. */
static int cmp_look(const void *pa, const void *pb, void *arg)
{
    const iffnet_i_rep_t *r = arg;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    if (r->in->risk) {
        if (r->in->risk[a] != r->in->risk[b]) return r->in->risk[a] > r->in->risk[b] ? -1 : 1;
    }
    if (r->acc_score[a] != r->acc_score[b]) return r->acc_score[a] > r->acc_score[b] ? -1 : 1;
    if (r->acc_nalerts[a] != r->acc_nalerts[b]) return r->acc_nalerts[a] > r->acc_nalerts[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* The accounts worth a look, in order (at most max); *n gets how many. */
static int look_first(iffnet_i_rep_t *r, int64_t max, int64_t **out, int64_t *n)
{
    int64_t *idx = malloc(((size_t)r->c->n_accounts + 1) * sizeof *idx);
    *n = 0;
    *out = idx;
    if (!idx) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t a = 0; a < r->c->n_accounts; a++)
        if (r->acc_nalerts[a] > 0 || (r->in->risk && r->in->risk[a] > 0)) idx[(*n)++] = a;
    qsort_r(idx, (size_t)*n, sizeof *idx, cmp_look, r);
    if (*n > max) *n = max;
    return IFFNET_OK;
}

/* Decided before anything is written, since tables link forward to the index:
 * the subject's accounts, the accounts to look at first, the accounts of the
 * alerts that have a section, where the traced money ended. */
static int choose_index(iffnet_i_rep_t *r)
{
    int64_t *look, n, shown = 0;
    IFFNET_TRY(look_first(r, 10, &look, &n));
    for (int64_t a = 0; a < r->c->n_accounts && r->in->subject; a++)
        if (r->acc_subject[a]) index_mark(r, a);
    for (int64_t i = 0; i < n; i++) index_mark(r, look[i]);
    free(look);
    for (int64_t k = 0; k < r->n_alerts && shown < r->o->max_alert_details; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        if (!r->al_show[k]) continue;
        shown++;
        /* of a huge alert, the accounts its picture and table name */
        for (int64_t i = 0; i < al->n_accounts && i < r->o->max_picture_nodes; i++) index_mark(r, al->accounts[i]);
        for (int64_t i = 0; i < al->n_tx && i < r->o->max_tx_rows; i++) {
            index_mark(r, r->c->tx_src[al->tx[i]]);
            index_mark(r, r->c->tx_dst[al->tx[i]]);
        }
    }
    for (int64_t k = 0; r->in->trace && k < r->in->trace->n_rules; k++)
        for (int64_t i = 0; i < r->in->trace->rules[k].n_dest && i < 15; i++)
            index_mark(r, r->in->trace->rules[k].dest_account[i]);
    return IFFNET_OK;
}

/* The accounts index: one row (and anchor) per account the report names. */
static void accounts_index(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Account", "Name", "Country", "Sector", "In", "Out", "Transactions", "Alerts"};
    char b[192], m1[64], m2[64], anchor[128];
    iffnet_i_rep_heading(r, 2, "accounts", "Accounts in this report");
    iffnet_i_rep_para(r, "Every account that the tables and pictures above name, with its totals over the whole "
                      "case and its alerts (%lld accounts%s). Names are not unique: the account id identifies.",
                      (long long)r->n_indexed, r->n_indexed >= MAX_INDEX ? ", the first of more" : "");
    iffnet_i_rep_table(r, 8, h);
    for (int64_t a = 0; a < r->c->n_accounts; a++) {
        if (!r->acc_indexed[a]) continue;
        if (!r->md) fprintf(r->fp, "<tr id=\"%s\">", iffnet_i_rep_acc_anchor(r, a, anchor, sizeof anchor));
        r->row_open = 1;
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_id(r, a, b, sizeof b));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_name(r, a, b, sizeof b));
        iffnet_i_rep_cell(r, "%s", iffnet_case_account_country(r->c, a));
        iffnet_i_rep_cell(r, "%s", iffnet_case_account_sector(r->c, a));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->acc_in[a], m1, sizeof m1));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->acc_out[a], m2, sizeof m2));
        iffnet_i_rep_cell(r, "%lld", (long long)r->acc_ntx[a]);
        iffnet_i_rep_alert_links(r, a, 10);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
}

/* ---- summary ---- */

static void summary_figures(iffnet_i_rep_t *r)
{
    const iffnet_case_t *c = r->c;
    char m[64], f[64], d0[16], d1[16];
    iffnet_i_rep_money(r, r->total, m, sizeof m);
    iffnet_i_rep_money(r, r->flagged_value, f, sizeof f);
    iffnet_i_rep_date(r->t_first, d0, sizeof d0);
    iffnet_i_rep_date(r->t_last, d1, sizeof d1);
    if (!r->md) {
        fprintf(r->fp, "<div class=\"kpi\"><div><b>%lld</b>accounts</div><div><b>%lld</b>transactions</div>"
                "<div><b>%lld</b>entities</div><div><b>%lld</b>alerts</div><div><b>%lld</b>flagged accounts</div></div>\n",
                (long long)c->n_accounts, (long long)c->n_tx, (long long)c->n_entities,
                (long long)r->n_alerts, (long long)r->n_flagged_acc);
    }
    iffnet_i_rep_para(r, "The case holds %lld accounts, %lld transactions and %lld entities from %s to %s; "
                "its transactions add up to %s. %lld alerts flag %lld accounts and %lld transactions, which add up "
                "to %s (each transaction counted once, however many alerts hold it).",
             (long long)c->n_accounts, (long long)c->n_tx, (long long)c->n_entities, d0, d1, m,
             (long long)r->n_alerts, (long long)r->n_flagged_acc, (long long)r->n_flagged_tx, f);
    int64_t n_low = 0;
    for (int64_t k = 0; k < r->n_alerts; k++) n_low += r->in->alerts->items[k].ranked_low != 0;
    if (n_low > 0)
        iffnet_i_rep_para(r, "%lld of the alerts are ranked low: chance explains structures like them in a case this "
                    "busy (their reasons say how); they are listed after all others.", (long long)n_low);
    if (iffnet_case_mixed_currencies(c))
        iffnet_i_rep_note(r, "the case mixes currencies without exchange rates: totals add amounts of "
                    "different currencies and are indicative only");
}

static int summary_accounts(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Account", "Name", "Country", "Risk", "Alerts", "In", "Out", "Why"};
    int64_t n = 0, *idx = NULL;
    char m1[64], m2[64];
    IFFNET_TRY(look_first(r, 10, &idx, &n));
    iffnet_i_rep_heading(r, 3, NULL, "Accounts and entities to look at first");
    if (n == 0) iffnet_i_rep_para(r, "No account is flagged.");
    else {
        int why = r->in->risk_reasons != NULL;
        iffnet_i_rep_table(r, why ? 8 : 7, h);
        for (int64_t i = 0; i < n; i++) {
            int64_t a = idx[i];
            iffnet_i_rep_cell_acc_id(r, a);
            iffnet_i_rep_cell_acc_name(r, a);
            iffnet_i_rep_cell(r, "%s", iffnet_case_account_country(r->c, a));
            if (r->in->risk) iffnet_i_rep_cell(r, "%.2f", r->in->risk[a]);
            else iffnet_i_rep_cell(r, "%.2f", r->acc_score[a] < 0 ? 0 : r->acc_score[a]);
            iffnet_i_rep_cell(r, "%lld", (long long)r->acc_nalerts[a]);
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->acc_in[a], m1, sizeof m1));
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->acc_out[a], m2, sizeof m2));
            if (why) {
                /* Free text may name any counterparty: left out when pseudonymized. */
                const char *s = r->in->risk_reasons[a] ? r->in->risk_reasons[a] : "";
                iffnet_i_rep_cell(r, "%s", r->o->pseudonymize ? "(not shown)" : s);
            }
            iffnet_i_rep_row_end(r);
        }
        iffnet_i_rep_table_end(r);
        iffnet_i_rep_para(r, "Risk is %s. In and Out are the account's totals over the whole case.",
                 r->in->risk ? "the account risk ranking (alerts fused with entity and statistical signals)"
                             : "the highest score of the account's alerts (no account ranking was available)");
    }
    free(idx);
    return IFFNET_OK;
}

static int rep_summary(iffnet_i_rep_t *r)
{
    iffnet_i_rep_heading(r, 2, "summary", "Summary");
    for (int64_t i = 0; i < r->in->n_notes; i++) iffnet_i_rep_note(r, "%s", r->in->notes[i]);
    summary_figures(r);
    iffnet_i_rep_findings(r);
    return summary_accounts(r);
}

static const char *report_title(const iffnet_report_input_t *in)
{
    const char *p = in->n_files > 0 && in->files[0].path ? in->files[0].path : "case";
    const char *slash = strrchr(p, '/');
    return slash && slash[1] ? slash + 1 : p;
}

/* The case report: summary, pictures, charts, alerts, tracing, link analysis. */
static int case_report(iffnet_i_rep_t *r)
{
    int err;
    if ((err = rep_summary(r))) return err;
    if (!r->md && (err = iffnet_i_rep_network_overview(r))) return err;
    if ((err = iffnet_i_rep_charts(r))) return err;
    if ((err = iffnet_i_rep_alerts(r))) return err;
    iffnet_i_rep_screening(r);
    iffnet_i_rep_trace(r);
    iffnet_i_rep_communities(r);
    iffnet_i_rep_central(r);
    iffnet_i_rep_groups(r);
    return IFFNET_OK;
}

static const char *const case_nav[] = {
    "summary", "Summary", "overview", "Flagged networks", "charts", "Money in the case", "alerts", "Alerts",
    "screening", "Watch-list screening", "tracing", "Where the money went", "communities", "Communities",
    "central", "Central accounts", "groups", "Shared identifiers", "accounts", "Accounts in this report",
    "methodology", "Methodology", "provenance", "Provenance"};
static const char *const subject_nav[] = {
    "subject", "Subject", "money", "Money in and out", "counterparties", "Counterparties", "alerts", "Alerts",
    "subject-trace", "Where its money went and came from", "accounts", "Accounts in this report",
    "methodology", "Methodology", "provenance", "Provenance"};

int iffnet_report_write(const iffnet_report_input_t *in, const iffnet_report_opts_t *o, FILE *fp)
{
    iffnet_i_rep_t r;
    int err;
    char title[512], who[192];
    memset(&r, 0, sizeof r);
    if (!in || !in->c || !o || !fp)
        return iffnet_i_seterr(IFFNET_EINVAL, "report: missing case, options or output");
    r.in = in;
    r.o = o;
    r.c = in->c;
    r.fp = fp;
    r.md = o->format == IFFNET_REPORT_MD;
    r.vcur = iffnet_case_value_currency(in->c);
    r.n_alerts = in->alerts ? in->alerts->n : 0;
    if ((err = rep_stats(&r)) || (err = choose_index(&r))) goto out;
    if (in->subject) {
        snprintf(title, sizeof title, "iffnet subject report: %s", iffnet_i_rep_subject_label(&r, who, sizeof who));
        iffnet_i_rep_begin(&r, title, subject_nav, (int64_t)(sizeof subject_nav / sizeof subject_nav[0] / 2));
        if ((err = iffnet_i_rep_subject(&r)) || (err = iffnet_i_rep_alerts(&r))) goto out;
        iffnet_i_rep_subject_trace(&r);
    } else {
        snprintf(title, sizeof title, "iffnet case report: %s", o->pseudonymize ? "pseudonymized case" : report_title(in));
        iffnet_i_rep_begin(&r, title, case_nav, (int64_t)(sizeof case_nav / sizeof case_nav[0] / 2));
        if ((err = case_report(&r))) goto out;
    }
    accounts_index(&r);
    iffnet_i_rep_methodology(&r);
    iffnet_i_rep_provenance(&r);
    iffnet_i_rep_end(&r);
    if (ferror(fp)) err = iffnet_i_seterr(IFFNET_EIO, "report: write error");
out:
    rep_free(&r);
    return err;
}
