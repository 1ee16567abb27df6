/* report_alerts.c: the alerts of the report: key findings, the table of all
 * alerts, and a section per top alert (reasons, evidence picture, time line,
 * transactions). Money figures say which they are: the money that moved through
 * the structure (each euro once), or the sum of its payments (money passing
 * through counted at every hop). */
#include <math.h>
#include "report_internal.h"

/* Alerts in the full table at most; the rest are counted in a note. Keeps a report
 * of a very noisy run within its size budget. */
#define MAX_ALERT_ROWS 10000
/* Points of an alert's time line at most: more transactions are binned by time. */
#define MAX_TIMELINE_POINTS 300

const char *iffnet_i_rep_alert_date(const iffnet_i_rep_t *r, int64_t k, int last, char *buf, size_t n)
{
    if (r->in->alerts->items[k].n_tx == 0) {
        snprintf(buf, n, "-");
        return buf;
    }
    return iffnet_i_rep_date(last ? r->al_last[k] : r->al_first[k], buf, n);
}

/* The alerts that hold account a, as links to their sections (the first `max`). */
void iffnet_i_rep_alert_links(iffnet_i_rep_t *r, int64_t a, int64_t max)
{
    int64_t shown = 0, n = 0, sections = 0;
    if (!r->md) fputs("<td>", r->fp);
    else fputs(" ", r->fp);
    for (int64_t k = 0; k < r->n_alerts; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        int has = 0, section;
        if (!r->al_show[k]) continue;
        section = sections++ < r->o->max_alert_details;
        if (r->acc_nalerts[a] == 0) break;
        for (int64_t i = 0; i < al->n_accounts && !has; i++) has = al->accounts[i] == a;
        if (!has) continue;
        n++;
        if (shown >= max) continue;
        if (shown++) iffnet_i_rep_esc(r, ", ");
        if (!r->md && section) {
            fputs("<a href=\"#", r->fp);
            iffnet_i_xml_text(r->fp, al->id, -1);
            fputs("\">", r->fp);
            iffnet_i_xml_text(r->fp, al->id, -1);
            fputs("</a>", r->fp);
        } else {
            iffnet_i_rep_esc(r, al->id);
        }
    }
    if (n > shown) iffnet_i_rep_raw(r, " and %lld more", (long long)(n - shown));
    fputs(r->md ? " |" : "</td>", r->fp);
}

/* "38,766.38 EUR" and what it is, for a sentence. */
static void moved_phrase(const iffnet_i_rep_t *r, int64_t k, char *buf, size_t n)
{
    char m[64];
    iffnet_i_rep_money(r, r->al_moved[k], m, sizeof m);
    snprintf(buf, n, "%s moved (%s)", m, iffnet_moved_rule_description(r->al_moved_by[k]));
}

void iffnet_i_rep_findings(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Alert", "Typology", "Score", "Accounts", "Money moved", "From", "To"};
    char b[96], d0[16], d1[16];
    int64_t n = 0;
    iffnet_i_rep_heading(r, 3, NULL, "Key findings, ranked by risk");
    if (!r->in->alerts) {
        iffnet_i_rep_note(r, "no alerts were available for this report");
        return;
    }
    if (r->n_shown == 0) {
        iffnet_i_rep_para(r, "No alert was raised.");
        return;
    }
    iffnet_i_rep_table(r, 7, h);
    for (int64_t k = 0; k < r->n_alerts && n < 10; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        if (!r->al_show[k]) continue;
        n++;
        iffnet_i_rep_cell_link(r, al->id, al->id);
        iffnet_i_rep_cell(r, "%s", iffnet_typology_name(al->typology));
        iffnet_i_rep_cell(r, "%.2f", al->score);
        iffnet_i_rep_cell(r, "%lld", (long long)al->n_accounts);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->al_moved[k], b, sizeof b));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_alert_date(r, k, 0, d0, sizeof d0));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_alert_date(r, k, 1, d1, sizeof d1));
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
    iffnet_i_rep_para(r, "Money moved is the money that went through the structure, each unit counted once "
                      "(how it is measured depends on the typology: see the methodology).");
}

static void alert_table(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Alert", "Typology", "Score", "Accounts", "Transactions",
                                    "Money moved", "Sum of its payments", "From", "To"};
    char b[96], s[96], d0[16], d1[16];
    int64_t rows = 0, sections = 0;
    iffnet_i_rep_table(r, 9, h);
    for (int64_t k = 0; k < r->n_alerts && rows < MAX_ALERT_ROWS; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        if (!r->al_show[k]) continue;
        rows++;
        if (sections++ < r->o->max_alert_details) iffnet_i_rep_cell_link(r, al->id, al->id);
        else iffnet_i_rep_cell(r, "%s", al->id);
        iffnet_i_rep_cell(r, "%s", iffnet_typology_name(al->typology));
        iffnet_i_rep_cell(r, "%.2f", al->score);
        iffnet_i_rep_cell(r, "%lld", (long long)al->n_accounts);
        iffnet_i_rep_cell(r, "%lld", (long long)al->n_tx);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->al_moved[k], b, sizeof b));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->al_amount[k], s, sizeof s));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_alert_date(r, k, 0, d0, sizeof d0));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_alert_date(r, k, 1, d1, sizeof d1));
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
    if (rows < r->n_shown)
        iffnet_i_rep_note(r, "%lld further alerts are not listed here (see the alerts file)",
                          (long long)(r->n_shown - rows));
}

static void alert_tx(iffnet_i_rep_t *r, const iffnet_alert_t *al)
{
    static const char *const h[] = {"Date and time", "Transaction", "From", "To", "Amount", "Channel", "Reference"};
    const iffnet_case_t *c = r->c;
    char d[32], m[64], id[96];
    int64_t n = al->n_tx < r->o->max_tx_rows ? al->n_tx : r->o->max_tx_rows;
    iffnet_i_rep_table(r, 7, h);
    for (int64_t i = 0; i < n; i++) {
        int64_t t = al->tx[i];
        iffnet_time_format(d, sizeof d, c->tx_time[t], 0);
        iffnet_i_rep_cell(r, "%s", d);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_tx_id(r, t, id, sizeof id));
        iffnet_i_rep_cell_acc(r, c->tx_src[t]);
        iffnet_i_rep_cell_acc(r, c->tx_dst[t]);
        iffnet_case_format_money(c, m, sizeof m, c->tx_amount[t], c->tx_currency[t], 1);
        iffnet_i_rep_cell(r, "%s", m);
        iffnet_i_rep_cell(r, "%s", c->tx_channel && c->tx_channel[t] >= 0 ?
                 iffnet_strtab_get(&c->channels, c->tx_channel[t]) : "");
        iffnet_i_rep_cell(r, "%s", r->o->pseudonymize || !c->tx_reference ? "" :
                 iffnet_case_text(c, c->tx_reference[t]));
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
    if (n < al->n_tx)
        iffnet_i_rep_para(r, "The first %lld of %lld transactions are shown.", (long long)n, (long long)al->n_tx);
}

/* One dot per transaction, or per time bin when there are more than the time
 * line can show (the dot then says how many and their sum). */
int iffnet_i_rep_timeline(iffnet_i_rep_t *r, const int64_t *txs, int64_t ntx, const char *caption)
{
    int64_t nb = ntx <= MAX_TIMELINE_POINTS ? ntx : MAX_TIMELINE_POINTS, lo = INT64_MAX, hi = INT64_MIN;
    int64_t *t = malloc(((size_t)nb + 1) * sizeof *t), *cnt = calloc((size_t)nb + 1, sizeof *cnt);
    double *sz = calloc((size_t)nb + 1, sizeof *sz);
    iffnet_money_t *sum = calloc((size_t)nb + 1, sizeof *sum);
    char **tip = calloc((size_t)nb + 1, sizeof *tip);
    int err = IFFNET_OK;
    char d[32], d2[32], m[64], b1[192], b2[192];
    if (!t || !cnt || !sz || !sum || !tip) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < ntx; i++) {
        lo = r->c->tx_time[txs[i]] < lo ? r->c->tx_time[txs[i]] : lo;
        hi = r->c->tx_time[txs[i]] > hi ? r->c->tx_time[txs[i]] : hi;
    }
    for (int64_t i = 0; i < ntx; i++) {
        int64_t x = txs[i], k = i;
        if (nb < ntx) k = hi > lo ? (int64_t)((double)(r->c->tx_time[x] - lo) / (double)(hi - lo) * (double)(nb - 1)) : 0;
        cnt[k]++;
        sum[k] += iffnet_case_tx_value(r->c, x);
        t[k] = nb < ntx ? lo + (hi - lo) * k / (nb > 1 ? nb - 1 : 1) : r->c->tx_time[x];
        if (nb == ntx) {
            iffnet_time_format(d, sizeof d, r->c->tx_time[x], 0);
            iffnet_case_format_money(r->c, m, sizeof m, r->c->tx_amount[x], r->c->tx_currency[x], 1);
            tip[k] = iffnet_i_asprintf("%s: %s -> %s, %s", d, iffnet_i_rep_acc_label(r, r->c->tx_src[x], b1, sizeof b1),
                                       iffnet_i_rep_acc_label(r, r->c->tx_dst[x], b2, sizeof b2), m);
            if (!tip[k]) {
                err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
                goto out;
            }
        }
    }
    int64_t n = 0;
    for (int64_t k = 0; k < nb; k++) {
        if (!cnt[k]) continue;
        if (nb < ntx) {
            iffnet_time_format(d, sizeof d, t[k], 1);
            iffnet_time_format(d2, sizeof d2, t[k] + (hi - lo) / (nb > 1 ? nb - 1 : 1), 1);
            tip[n] = iffnet_i_asprintf("%lld transactions around %s..%s, %s", (long long)cnt[k], d, d2,
                                       iffnet_i_rep_money(r, sum[k], m, sizeof m));
            if (!tip[n]) {
                err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
                goto out;
            }
        } else if (n != k) {
            tip[n] = tip[k];
            tip[k] = NULL;
        }
        t[n] = t[k];
        sz[n++] = (double)sum[k];
    }
    iffnet_i_svg_timeline(r->fp, n, t, sz, tip, caption);
out:
    for (int64_t i = 0; tip && i <= nb; i++) free(tip[i]);
    free(tip); free(t); free(sz); free(cnt); free(sum);
    return err;
}

static int alert_section(iffnet_i_rep_t *r, const iffnet_alert_t *al, int64_t k)
{
    char title[160], b[96], mv[400], d0[16], d1[16];
    int err = IFFNET_OK;
    snprintf(title, sizeof title, "%s: %s (score %.2f)", al->id, iffnet_typology_name(al->typology), al->score);
    if (!r->md) fputs("<section class=\"alert\">\n", r->fp);
    iffnet_i_rep_heading(r, 3, al->id, title);
    iffnet_i_rep_money(r, r->al_amount[k], b, sizeof b);
    moved_phrase(r, k, mv, sizeof mv);
    char what[200];
    snprintf(what, sizeof what, "%s", iffnet_typology_description(al->typology));
    what[0] = (char)(what[0] >= 'a' && what[0] <= 'z' ? what[0] - 32 : what[0]);
    char na[32], nt[32];
    iffnet_i_rep_para(r, "%s. %s accounts, %s transactions from %s to %s. %s; its payments add up to %s "
                      "(money passing through is counted at every hop).",
             what, iffnet_i_rep_int(al->n_accounts, na, sizeof na), iffnet_i_rep_int(al->n_tx, nt, sizeof nt),
             iffnet_i_rep_alert_date(r, k, 0, d0, sizeof d0), iffnet_i_rep_alert_date(r, k, 1, d1, sizeof d1), mv, b);
    iffnet_i_rep_para(r, "Why it was flagged:");
    if (!r->md) fputs("<ul class=\"reasons\">\n", r->fp);
    for (int64_t i = 0; i < al->n_reasons; i++) {
        char *s = iffnet_i_rep_pseudo_text(r, al, al->reasons[i]);
        if (!s) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        iffnet_i_rep_list_item(r, "%s", s);
        free(s);
    }
    if (!r->md) fputs("</ul>\n", r->fp);
    iffnet_i_rep_list_end(r);
    if (!r->md) {
        if ((err = iffnet_i_rep_network_alert(r, al, k))) return err;
        if ((err = iffnet_i_rep_timeline(r, al->tx, al->n_tx, al->n_tx > MAX_TIMELINE_POINTS ?
                                         "Time line (transactions binned by time; dot size: their sum)" :
                                         "Time line (dot size: amount)")))
            return err;
    }
    alert_tx(r, al);
    if (!r->md) fputs("</section>\n", r->fp);
    return err;
}

int iffnet_i_rep_alerts(iffnet_i_rep_t *r)
{
    int err;
    int64_t sections = 0;
    iffnet_i_rep_heading(r, 2, "alerts", "Alerts");
    if (!r->in->alerts) {
        iffnet_i_rep_note(r, "no alerts were available: detection was not run and no --alerts file was given");
        return IFFNET_OK;
    }
    if (r->n_shown == 0) {
        iffnet_i_rep_para(r, r->in->subject ? "No alert holds an account of the subject." :
                          "No alert was raised for this case.");
        return IFFNET_OK;
    }
    iffnet_i_rep_para(r, "%s %lld alerts, highest score first. The first %lld have a section of their own "
                "below with the reasons, an evidence picture, the time line and the transactions. Money moved "
                "counts each unit once; the sum of its payments counts money passing through at every hop.",
             r->in->subject ? "The subject's" : "All", (long long)r->n_shown,
             (long long)(r->n_shown < r->o->max_alert_details ? r->n_shown : r->o->max_alert_details));
    alert_table(r);
    for (int64_t k = 0; k < r->n_alerts && sections < r->o->max_alert_details; k++) {
        if (!r->al_show[k]) continue;
        sections++;
        if ((err = alert_section(r, &r->in->alerts->items[k], k))) return err;
    }
    return IFFNET_OK;
}
