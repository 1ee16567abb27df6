/* report.c: the case report driver: statistics, summary, alerts.
 * The report is written in one pass over the document; statistics over the
 * transactions are computed once up front (O(n_tx)). */
#include <math.h>
#include "report_internal.h"

/* Alerts in the full table at most; the rest are counted in a note. Keeps a report
 * of a very noisy run within its size budget. */
#define MAX_ALERT_ROWS 10000

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
    free(r->al_amount); free(r->al_first); free(r->al_last);
}

/* Per-account volumes and alert counts, per-transaction alert flags. O(n_tx + alerts). */
static int rep_stats(iffnet_i_rep_t *r)
{
    const iffnet_case_t *c = r->c;
    size_t na = (size_t)c->n_accounts + 1, nt = (size_t)c->n_tx + 1;
    r->acc_in = calloc(na, sizeof *r->acc_in);
    r->acc_out = calloc(na, sizeof *r->acc_out);
    r->acc_ntx = calloc(na, sizeof *r->acc_ntx);
    r->acc_nalerts = calloc(na, sizeof *r->acc_nalerts);
    r->acc_score = malloc(na * sizeof *r->acc_score);
    r->tx_flag = calloc(nt, 1);
    r->al_amount = calloc((size_t)r->n_alerts + 1, sizeof *r->al_amount);
    r->al_first = calloc((size_t)r->n_alerts + 1, sizeof *r->al_first);
    r->al_last = calloc((size_t)r->n_alerts + 1, sizeof *r->al_last);
    if (!r->acc_in || !r->acc_out || !r->acc_ntx || !r->acc_nalerts || !r->acc_score || !r->tx_flag ||
        !r->al_amount || !r->al_first || !r->al_last)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (size_t a = 0; a < na; a++) r->acc_score[a] = -1;
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
            /* Amount and period from the transactions themselves: an alerts file
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
    }
    return IFFNET_OK;
}

/* First or last date of alert k; "-" for an alert without transactions. */
static const char *alert_date(const iffnet_i_rep_t *r, int64_t k, int last, char *buf, size_t n)
{
    if (r->in->alerts->items[k].n_tx == 0) {
        snprintf(buf, n, "-");
        return buf;
    }
    return iffnet_i_rep_date(last ? r->al_last[k] : r->al_first[k], buf, n);
}

static const char html_head[] =
    "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";

static const char html_style[] =
    "<style>\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1b1b1b;max-width:1000px;margin:0 auto;padding:1em 2em;line-height:1.45}\n"
    "h1{border-bottom:3px solid #264653;padding-bottom:.2em}h2{border-bottom:1px solid #ccc;"
    "margin-top:2em;color:#264653}h3{color:#2a6f97}\n"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.88em;width:100%}"
    "th,td{border:1px solid #d0d0d0;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}"
    "th{background:#eef3f6}tbody tr:nth-child(even){background:#fafafa}\n"
    ".note{background:#fff4e5;border-left:4px solid #e76f51;padding:.5em .8em}\n"
    ".kpi{display:flex;flex-wrap:wrap;gap:.6em;margin:1em 0}.kpi div{border:1px solid #d0d0d0;"
    "border-radius:4px;padding:.4em .8em;min-width:9em}.kpi b{display:block;font-size:1.3em;color:#264653}\n"
    "figure{margin:1em 0;border:1px solid #ddd;border-radius:4px;padding:.3em}"
    "figcaption{font-size:.85em;color:#555;padding:.2em .4em}\n"
    "svg{width:100%;height:auto;display:block}svg text{font-family:inherit}\n"
    "svg.zoom{cursor:grab;touch-action:none}\n"
    ".edges path{fill:none;stroke:#6c757d;stroke-opacity:.75}.edges path:hover{stroke:#d62828;stroke-opacity:1}\n"
    ".nodes circle{stroke:#333;stroke-width:1}.nodes circle.flag{stroke:#d62828;stroke-width:3}\n"
    ".nodes circle:hover{stroke:#000;stroke-width:3}\n"
    ".nl{font-size:11px;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px}\n"
    ".el{font-size:9px;text-anchor:middle;fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px}\n"
    ".ct{font-size:14px;font-weight:bold}.ax{font-size:11px;fill:#333}.lg{font-size:11px}\n"
    ".grid{stroke:#e3e3e3}.axis{stroke:#333}.s1{fill:#8ab6d6}.s2{fill:#d62828}"
    ".sl{fill:none;stroke:#e9c46a;stroke-width:3}rect.sl{fill:#e9c46a;stroke:none}\n"
    ".ev{fill:#d62828;fill-opacity:.55;stroke:#7a0000}\n"
    ".reasons li{margin:.2em 0}.alert{border-top:2px solid #264653;margin-top:2em}\n"
    "nav ol{columns:2;font-size:.95em}.legend span{display:inline-block;width:.9em;height:.9em;"
    "border:1px solid #333;margin:0 .3em 0 .8em;vertical-align:middle}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}nav,.noprint{display:none}"
    "h2{break-before:page}h2#summary{break-before:auto}.alert{break-before:page}"
    "h2,h3{break-after:avoid}figure,table,svg{break-inside:avoid}a{color:inherit;text-decoration:none}"
    "@page{size:A4;margin:15mm}}\n"
    "</style>\n";

/* Zoom (wheel) and pan (drag) on network pictures; double-click resets. */
/* The CDATA markers keep the document well-formed XML as well as HTML. */
static const char html_script[] =
    "<script>//<![CDATA[\n"
    "(function(){document.querySelectorAll('svg.zoom').forEach(function(s){\n"
    "var v0=s.getAttribute('viewBox'),d=null;function vb(){return s.getAttribute('viewBox').split(' ').map(Number);}\n"
    "s.addEventListener('wheel',function(e){e.preventDefault();var b=vb(),r=s.getBoundingClientRect(),"
    "k=e.deltaY<0?0.8:1.25,px=b[0]+b[2]*(e.clientX-r.left)/r.width,py=b[1]+b[3]*(e.clientY-r.top)/r.height;"
    "s.setAttribute('viewBox',[px-(px-b[0])*k,py-(py-b[1])*k,b[2]*k,b[3]*k].join(' '));},{passive:false});\n"
    "s.addEventListener('pointerdown',function(e){d=[e.clientX,e.clientY,vb()];s.setPointerCapture(e.pointerId);});\n"
    "s.addEventListener('pointermove',function(e){if(!d)return;var r=s.getBoundingClientRect(),b=d[2];"
    "s.setAttribute('viewBox',[b[0]-(e.clientX-d[0])*b[2]/r.width,b[1]-(e.clientY-d[1])*b[3]/r.height,b[2],b[3]].join(' '));});\n"
    "s.addEventListener('pointerup',function(){d=null;});\n"
    "s.addEventListener('dblclick',function(){s.setAttribute('viewBox',v0);});});})();\n"
    "//]]></script>\n";

static void rep_begin(iffnet_i_rep_t *r, const char *title)
{
    if (r->md) {
        fprintf(r->fp, "# ");
        iffnet_i_rep_esc(r, title);
        fputs("\n\n", r->fp);
        return;
    }
    fputs(html_head, r->fp);
    fputs("<title>", r->fp);
    iffnet_i_xml_text(r->fp, title, -1);
    fputs("</title>\n", r->fp);
    fputs(html_style, r->fp);
    fputs("</head>\n<body>\n<h1>", r->fp);
    iffnet_i_xml_text(r->fp, title, -1);
    fputs("</h1>\n", r->fp);
    fputs("<nav class=\"noprint\"><ol><li><a href=\"#summary\">Summary</a></li>"
          "<li><a href=\"#overview\">Flagged networks</a></li><li><a href=\"#charts\">Charts</a></li>"
          "<li><a href=\"#alerts\">Alerts</a></li><li><a href=\"#tracing\">Tracing</a></li>"
          "<li><a href=\"#communities\">Communities</a></li><li><a href=\"#central\">Central accounts</a></li>"
          "<li><a href=\"#groups\">Shared identifiers</a></li><li><a href=\"#methodology\">Methodology</a></li>"
          "<li><a href=\"#provenance\">Provenance</a></li></ol></nav>\n", r->fp);
}

static void rep_end(iffnet_i_rep_t *r)
{
    if (r->md) return;
    fputs(html_script, r->fp);
    fputs("</body>\n</html>\n", r->fp);
}

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
    iffnet_i_rep_para(r, "The case holds %lld accounts, %lld transactions and %lld entities from %s to %s, "
                "moving %s in total. %lld alerts flag %lld accounts and %lld transactions worth %s.",
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

static void summary_findings(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Alert", "Typology", "Score", "Accounts", "Amount", "From", "To"};
    char b[96], d0[16], d1[16];
    int64_t n = r->n_alerts < 10 ? r->n_alerts : 10;
    iffnet_i_rep_heading(r, 3, NULL, "Key findings, ranked by risk");
    if (!r->in->alerts) {
        iffnet_i_rep_note(r, "no alerts were available for this report");
        return;
    }
    if (n == 0) {
        iffnet_i_rep_para(r, "No alert was raised.");
        return;
    }
    iffnet_i_rep_table(r, 7, h);
    for (int64_t k = 0; k < n; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        iffnet_i_rep_cell_link(r, al->id, al->id);
        iffnet_i_rep_cell(r, "%s", iffnet_typology_name(al->typology));
        iffnet_i_rep_cell(r, "%.2f", al->score);
        iffnet_i_rep_cell(r, "%lld", (long long)al->n_accounts);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->al_amount[k], b, sizeof b));
        iffnet_i_rep_cell(r, "%s", alert_date(r, k, 0, d0, sizeof d0));
        iffnet_i_rep_cell(r, "%s", alert_date(r, k, 1, d1, sizeof d1));
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
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

static int summary_accounts(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Account", "Name", "Country", "Risk", "Alerts", "In", "Out", "Why"};
    int64_t n = 0, *idx = malloc(((size_t)r->c->n_accounts + 1) * sizeof *idx);
    char b[96], m1[64], m2[64];
    if (!idx) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t a = 0; a < r->c->n_accounts; a++)
        if (r->acc_nalerts[a] > 0 || (r->in->risk && r->in->risk[a] > 0)) idx[n++] = a;
    qsort_r(idx, (size_t)n, sizeof *idx, cmp_look, r);
    iffnet_i_rep_heading(r, 3, NULL, "Accounts and entities to look at first");
    if (n == 0) iffnet_i_rep_para(r, "No account is flagged.");
    else {
        int why = r->in->risk_reasons != NULL;
        iffnet_i_rep_table(r, why ? 8 : 7, h);
        for (int64_t i = 0; i < n && i < 10; i++) {
            int64_t a = idx[i];
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_id(r, a, b, sizeof b));
            iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_label(r, a, b, sizeof b));
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
        iffnet_i_rep_para(r, "Risk is %s.", r->in->risk ? "the account risk ranking (alerts fused with entity "
                 "and statistical signals)" : "the highest score of the account's alerts "
                 "(no account ranking was available)");
    }
    free(idx);
    return IFFNET_OK;
}

static int rep_summary(iffnet_i_rep_t *r)
{
    iffnet_i_rep_heading(r, 2, "summary", "Summary");
    for (int64_t i = 0; i < r->in->n_notes; i++) iffnet_i_rep_note(r, "%s", r->in->notes[i]);
    summary_figures(r);
    summary_findings(r);
    return summary_accounts(r);
}

static void alert_table(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Alert", "Typology", "Score", "Accounts", "Transactions",
                                    "Amount", "From", "To"};
    char b[96], d0[16], d1[16];
    int64_t n = r->n_alerts < MAX_ALERT_ROWS ? r->n_alerts : MAX_ALERT_ROWS;
    iffnet_i_rep_table(r, 8, h);
    for (int64_t k = 0; k < n; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        if (k < r->o->max_alert_details) iffnet_i_rep_cell_link(r, al->id, al->id);
        else iffnet_i_rep_cell(r, "%s", al->id);
        iffnet_i_rep_cell(r, "%s", iffnet_typology_name(al->typology));
        iffnet_i_rep_cell(r, "%.2f", al->score);
        iffnet_i_rep_cell(r, "%lld", (long long)al->n_accounts);
        iffnet_i_rep_cell(r, "%lld", (long long)al->n_tx);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->al_amount[k], b, sizeof b));
        iffnet_i_rep_cell(r, "%s", alert_date(r, k, 0, d0, sizeof d0));
        iffnet_i_rep_cell(r, "%s", alert_date(r, k, 1, d1, sizeof d1));
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
    if (n < r->n_alerts)
        iffnet_i_rep_note(r, "%lld further alerts are not listed here (see the alerts file)",
                 (long long)(r->n_alerts - n));
}

static void alert_tx(iffnet_i_rep_t *r, const iffnet_alert_t *al)
{
    static const char *const h[] = {"Date and time", "Transaction", "From", "To", "Amount", "Channel", "Reference"};
    const iffnet_case_t *c = r->c;
    char d[32], b1[96], b2[96], m[64], id[96];
    int64_t n = al->n_tx < r->o->max_tx_rows ? al->n_tx : r->o->max_tx_rows;
    iffnet_i_rep_table(r, 7, h);
    for (int64_t i = 0; i < n; i++) {
        int64_t t = al->tx[i];
        iffnet_time_format(d, sizeof d, c->tx_time[t], 0);
        iffnet_i_rep_cell(r, "%s", d);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_tx_id(r, t, id, sizeof id));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_label(r, c->tx_src[t], b1, sizeof b1));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_acc_label(r, c->tx_dst[t], b2, sizeof b2));
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

static int alert_timeline(iffnet_i_rep_t *r, const iffnet_alert_t *al)
{
    int64_t n = al->n_tx, *t = malloc(((size_t)n + 1) * sizeof *t);
    double *sz = malloc(((size_t)n + 1) * sizeof *sz);
    char **tip = calloc((size_t)n + 1, sizeof *tip);
    int err = IFFNET_OK;
    char d[32], m[64], b1[96], b2[96];
    if (!t || !sz || !tip) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t x = al->tx[i];
        t[i] = r->c->tx_time[x];
        sz[i] = (double)iffnet_case_tx_value(r->c, x);
        iffnet_time_format(d, sizeof d, t[i], 0);
        iffnet_case_format_money(r->c, m, sizeof m, r->c->tx_amount[x], r->c->tx_currency[x], 1);
        tip[i] = iffnet_i_asprintf("%s: %s -> %s, %s", d, iffnet_i_rep_acc_label(r, r->c->tx_src[x], b1, sizeof b1),
                                   iffnet_i_rep_acc_label(r, r->c->tx_dst[x], b2, sizeof b2), m);
        if (!tip[i]) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
    }
    iffnet_i_svg_timeline(r->fp, n, t, sz, tip, "Time line (dot size: amount)");
out:
    for (int64_t i = 0; tip && i < n; i++) free(tip[i]);
    free(tip); free(t); free(sz);
    return err;
}

static int alert_section(iffnet_i_rep_t *r, const iffnet_alert_t *al, int64_t k)
{
    char title[160], b[96], d0[16], d1[16];
    int err = IFFNET_OK;
    snprintf(title, sizeof title, "%s: %s (score %.2f)", al->id, iffnet_typology_name(al->typology), al->score);
    if (!r->md) fputs("<section class=\"alert\">\n", r->fp);
    iffnet_i_rep_heading(r, 3, al->id, title);
    iffnet_i_rep_money(r, r->al_amount[k], b, sizeof b);
    iffnet_i_rep_para(r, "%s. %lld accounts, %lld transactions, %s, from %s to %s.",
             iffnet_typology_description(al->typology), (long long)al->n_accounts,
             (long long)al->n_tx, b, alert_date(r, k, 0, d0, sizeof d0), alert_date(r, k, 1, d1, sizeof d1));
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
        if ((err = alert_timeline(r, al))) return err;
    }
    alert_tx(r, al);
    if (!r->md) fputs("</section>\n", r->fp);
    return err;
}

static int rep_alerts(iffnet_i_rep_t *r)
{
    int err;
    iffnet_i_rep_heading(r, 2, "alerts", "Alerts");
    if (!r->in->alerts) {
        iffnet_i_rep_note(r, "no alerts were available: detection was not run and no --alerts file was given");
        return IFFNET_OK;
    }
    if (r->n_alerts == 0) {
        iffnet_i_rep_para(r, "No alert was raised for this case.");
        return IFFNET_OK;
    }
    iffnet_i_rep_para(r, "All %lld alerts, highest score first. The first %lld have a section of their own "
                "below with the reasons, an evidence picture, the time line and the transactions.",
             (long long)r->n_alerts,
             (long long)(r->n_alerts < r->o->max_alert_details ? r->n_alerts : r->o->max_alert_details));
    alert_table(r);
    for (int64_t k = 0; k < r->n_alerts && k < r->o->max_alert_details; k++)
        if ((err = alert_section(r, &r->in->alerts->items[k], k))) return err;
    return IFFNET_OK;
}

static const char *report_title(const iffnet_report_input_t *in)
{
    const char *p = in->n_files > 0 && in->files[0].path ? in->files[0].path : "case";
    const char *slash = strrchr(p, '/');
    return slash && slash[1] ? slash + 1 : p;
}

int iffnet_report_write(const iffnet_report_input_t *in, const iffnet_report_opts_t *o, FILE *fp)
{
    iffnet_i_rep_t r;
    int err;
    char title[512];
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
    if ((err = rep_stats(&r))) goto out;
    snprintf(title, sizeof title, "iffnet case report: %s", o->pseudonymize ? "pseudonymized case" : report_title(in));
    rep_begin(&r, title);
    if ((err = rep_summary(&r))) goto out;
    if (!r.md && (err = iffnet_i_rep_network_overview(&r))) goto out;
    if ((err = iffnet_i_rep_charts(&r))) goto out;
    if ((err = rep_alerts(&r))) goto out;
    iffnet_i_rep_trace(&r);
    iffnet_i_rep_communities(&r);
    iffnet_i_rep_central(&r);
    iffnet_i_rep_groups(&r);
    iffnet_i_rep_methodology(&r);
    iffnet_i_rep_provenance(&r);
    rep_end(&r);
    if (ferror(fp)) err = iffnet_i_seterr(IFFNET_EIO, "report: write error");
out:
    rep_free(&r);
    return err;
}
