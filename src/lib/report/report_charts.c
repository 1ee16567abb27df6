/* report_charts.c: charts over all transactions: amounts over time, amount
 * histogram, Benford first digits, flows by country corridor. One pass each over
 * the transactions; Markdown gets the same numbers as tables. */
#include <math.h>
#include "report_internal.h"

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* Bin of time t: days (span <= 62 days), months (<= 4 years) or years. */
static int64_t time_bin(iffnet_time_t t, int unit)
{
    int64_t d = floor_div(t, 86400), y;
    unsigned m, md;
    if (unit == 0) return d;
    iffnet_civil_from_days(d, &y, &m, &md);
    return unit == 1 ? y * 12 + (int64_t)m - 1 : y;
}

static void bin_label(char *buf, size_t n, int64_t b, int unit)
{
    if (unit == 0) iffnet_time_format(buf, n, b * 86400, 1);
    else if (unit == 1) snprintf(buf, n, "%04d-%02d", (int)floor_div(b, 12), (int)(b - floor_div(b, 12) * 12 + 1));
    else snprintf(buf, n, "%lld", (long long)b);
}

typedef struct {
    int64_t n;
    char **labels;
    double *v1, *v2, *ex;
} series_t;

static int series_alloc(series_t *s, int64_t n)
{
    memset(s, 0, sizeof *s);
    s->n = n;
    s->labels = calloc((size_t)n + 1, sizeof *s->labels);
    s->v1 = calloc((size_t)n + 1, sizeof *s->v1);
    s->v2 = calloc((size_t)n + 1, sizeof *s->v2);
    s->ex = calloc((size_t)n + 1, sizeof *s->ex);
    if (!s->labels || !s->v1 || !s->v2 || !s->ex) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    return IFFNET_OK;
}

static void series_free(series_t *s)
{
    for (int64_t i = 0; s->labels && i < s->n; i++) free(s->labels[i]);
    free(s->labels); free(s->v1); free(s->v2); free(s->ex);
}

/* Markdown rendering of a series as a table. */
static void series_table(iffnet_i_rep_t *r, const char *h0, const char *h1, const char *h2,
                         const char *h3, const series_t *s, int decimals)
{
    const char *h[4] = {h0, h1, h2, h3};
    int nc = h3 ? 4 : h2 ? 3 : 2;
    iffnet_i_rep_table(r, nc, h);
    for (int64_t i = 0; i < s->n; i++) {
        iffnet_i_rep_cell(r, "%s", s->labels[i]);
        iffnet_i_rep_cell(r, "%.*f", decimals, s->v1[i]);
        if (nc > 2) iffnet_i_rep_cell(r, "%.*f", decimals, s->v2[i]);
        if (nc > 3) iffnet_i_rep_cell(r, "%.*f", decimals, s->ex[i]);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
}

static int chart_time(iffnet_i_rep_t *r, const char *unit_name)
{
    const iffnet_case_t *c = r->c;
    int64_t span = r->t_last - r->t_first;
    int unit = span <= 62 * 86400 ? 0 : span <= 4 * 366 * 86400 ? 1 : 2;
    int64_t b0 = time_bin(r->t_first, unit), nb = time_bin(r->t_last, unit) - b0 + 1;
    series_t s;
    char lab[32];
    int err = series_alloc(&s, nb);
    if (err) goto out;
    for (int64_t i = 0; i < nb; i++) {
        bin_label(lab, sizeof lab, b0 + i, unit);
        if (!(s.labels[i] = iffnet_i_strdup(lab))) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        double v = iffnet_i_rep_major(r, iffnet_case_tx_value(c, t), r->vcur);
        int64_t b = time_bin(c->tx_time[t], unit) - b0;
        s.v1[b] += v;
        if (r->tx_flag[t]) s.v2[b] += v;
    }
    if (r->md) {
        series_table(r, unit == 0 ? "Day" : unit == 1 ? "Month" : "Year", "All", "In alerts", NULL, &s, 2);
    } else {
        iffnet_i_chart_t ch = {.title = unit == 0 ? "Amounts per day" : unit == 1 ? "Amounts per month" : "Amounts per year",
                               .y_unit = unit_name, .money = r->vcur >= 0, .series1 = "all transactions",
                               .series2 = "in alerts",
                               .n = nb, .labels = s.labels, .v1 = s.v1, .v2 = s.v2,
                               .label_every = nb > 24 ? (nb + 23) / 24 : 1};
        iffnet_i_svg_bars(r->fp, &ch);
    }
out:
    series_free(&s);
    return err;
}

/* Histogram of amounts on a 1-2-5 logarithmic scale of major units. */
static int chart_hist(iffnet_i_rep_t *r, const char *unit_name)
{
    const iffnet_case_t *c = r->c;
    static const double step[3] = {1, 2, 5};
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    series_t s;
    int err;
    char a[16], b[16], lab[40];
    /* Bin k covers [step[k%3] * 10^(k/3), next) with k from log10 of the amount. */
#define BIN_OF(x) ((x) < 1 ? 0 : (int64_t)floor(log10(x)) * 3 + ((x) / pow(10, floor(log10(x))) >= 5 ? 2 : (x) / pow(10, floor(log10(x))) >= 2 ? 1 : 0))
    for (int64_t t = 0; t < c->n_tx; t++) {
        int64_t k = BIN_OF(iffnet_i_rep_major(r, iffnet_case_tx_value(c, t), r->vcur));
        if (k < lo) lo = k;
        if (k > hi) hi = k;
    }
    if (c->n_tx == 0) lo = hi = 0;
    if ((err = series_alloc(&s, hi - lo + 1))) goto out;
    for (int64_t t = 0; t < c->n_tx; t++) {
        int64_t k = BIN_OF(iffnet_i_rep_major(r, iffnet_case_tx_value(c, t), r->vcur)) - lo;
        s.v1[k] += 1;
        if (r->tx_flag[t]) s.v2[k] += 1;
    }
#undef BIN_OF
    for (int64_t i = 0; i < s.n; i++) {
        int64_t k = lo + i, k2 = k + 1;
        iffnet_i_compact(a, sizeof a, step[k % 3] * pow(10, (double)(k / 3)));
        iffnet_i_compact(b, sizeof b, step[k2 % 3] * pow(10, (double)(k2 / 3)));
        snprintf(lab, sizeof lab, "%s-%s", k == 0 && lo == 0 ? "0" : a, b);
        if (!(s.labels[i] = iffnet_i_strdup(lab))) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (r->md) series_table(r, "Amount", "Transactions", "In alerts", NULL, &s, 0);
    else {
        char title[64];
        snprintf(title, sizeof title, "Transactions by amount (%s, logarithmic bins)", unit_name);
        iffnet_i_chart_t ch = {.title = title, .y_unit = "transactions", .series1 = "all transactions",
                               .series2 = "in alerts", .n = s.n, .labels = s.labels, .v1 = s.v1,
                               .v2 = s.v2, .label_every = 1};
        iffnet_i_svg_bars(r->fp, &ch);
    }
out:
    series_free(&s);
    return err;
}

static int first_digit(iffnet_money_t v)
{
    if (v <= 0) return 0;
    while (v >= 10) v /= 10;
    return (int)v;
}

static int chart_benford(iffnet_i_rep_t *r)
{
    const iffnet_case_t *c = r->c;
    series_t s;
    int64_t n = 0;
    double chi2 = 0;
    int err = series_alloc(&s, 9);
    if (err) goto out;
    for (int64_t t = 0; t < c->n_tx; t++) {
        int d = first_digit(c->tx_amount[t]);
        if (d > 0) {
            s.v1[d - 1] += 1;
            n++;
        }
    }
    for (int d = 1; d <= 9; d++) {
        char lab[4];
        snprintf(lab, sizeof lab, "%d", d);
        s.labels[d - 1] = iffnet_i_strdup(lab);
        if (!s.labels[d - 1]) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
        double e = log10(1 + 1.0 / d);
        if (n > 0) chi2 += (s.v1[d - 1] - n * e) * (s.v1[d - 1] - n * e) / (n * e);
        s.v1[d - 1] = n ? 100 * s.v1[d - 1] / (double)n : 0;
        s.ex[d - 1] = 100 * e;
    }
    iffnet_i_rep_para(r, "First significant digits of the %lld non-zero amounts against Benford's law "
                "(chi-square %.1f with 8 degrees of freedom; above 15.5 the departure is "
                "significant at 5%%, which with many transactions happens easily).",
             (long long)n, chi2);
    if (r->md) series_table(r, "Digit", "Observed %", "Benford %", NULL, &(series_t){9, s.labels, s.v1, s.ex, NULL}, 1);
    else {
        iffnet_i_chart_t ch = {.title = "First digits of amounts (%)", .y_unit = "%", .series1 = "observed",
                               .series_line = "Benford's law", .n = 9, .labels = s.labels, .v1 = s.v1,
                               .expected = s.ex, .label_every = 1};
        iffnet_i_svg_bars(r->fp, &ch);
    }
out:
    series_free(&s);
    return err;
}

/* Value per (source country, destination country); top corridors by value. */
static int chart_corridors(iffnet_i_rep_t *r, const char *unit_name)
{
    const iffnet_case_t *c = r->c;
    iffnet_strtab_t ct;
    int64_t *acc_c = malloc(((size_t)c->n_accounts + 1) * sizeof *acc_c), nc, top = 0;
    double *cell = NULL;
    int64_t *order = NULL;
    series_t s;
    int err = iffnet_strtab_init(&ct);
    memset(&s, 0, sizeof s);
    if (err || !acc_c) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) {
        const char *k = iffnet_case_account_country(c, a);
        if ((err = iffnet_strtab_intern(&ct, k[0] ? k : "unknown", strlen(k[0] ? k : "unknown"), &acc_c[a], NULL)))
            goto out;
    }
    nc = ct.n;
    if (nc > 3000) {
        iffnet_i_rep_para(r, "Too many distinct countries (%lld) for a corridor chart.", (long long)nc);
        goto out;
    }
    cell = calloc((size_t)(nc * nc + 1), sizeof *cell);
    order = malloc((size_t)(nc * nc + 1) * sizeof *order);
    if (!cell || !order) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t t = 0; t < c->n_tx; t++)
        cell[acc_c[c->tx_src[t]] * nc + acc_c[c->tx_dst[t]]] += iffnet_i_rep_major(r, iffnet_case_tx_value(c, t), r->vcur);
    for (int64_t i = 0; i < nc * nc; i++) {
        /* Insertion into a top-12 list, ties by cell index: stable and O(12 n). */
        if (cell[i] <= 0) continue;
        int64_t j = top < 12 ? top++ : 12;
        if (j == 12 && cell[i] <= cell[order[11]]) continue;
        if (j == 12) j = 11;
        while (j > 0 && cell[order[j - 1]] < cell[i]) { order[j] = order[j - 1]; j--; }
        order[j] = i;
    }
    if ((err = series_alloc(&s, top))) goto out;
    for (int64_t i = 0; i < top; i++) {
        s.labels[i] = iffnet_i_asprintf("%s -> %s", iffnet_strtab_get(&ct, order[i] / nc),
                                        iffnet_strtab_get(&ct, order[i] % nc));
        s.v1[i] = cell[order[i]];
        if (!s.labels[i]) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (r->md) series_table(r, "Corridor", "Amount", NULL, NULL, &s, 2);
    else {
        iffnet_i_chart_t ch = {.title = "Money by country corridor (payer country -> payee country)",
                               .y_unit = unit_name, .money = r->vcur >= 0, .n = s.n, .labels = s.labels, .v1 = s.v1,
                               .horizontal = 1};
        iffnet_i_svg_bars(r->fp, &ch);
    }
out:
    series_free(&s);
    free(cell); free(order); free(acc_c);
    iffnet_strtab_destroy(&ct);
    return err;
}

/* The subject's money per period: received from other accounts, paid to them. */
int iffnet_i_rep_flows_chart(iffnet_i_rep_t *r)
{
    const iffnet_case_t *c = r->c;
    int64_t span = r->t_last - r->t_first;
    int unit = span <= 62 * 86400 ? 0 : span <= 4 * 366 * 86400 ? 1 : 2;
    int64_t b0 = time_bin(r->t_first, unit), nb = time_bin(r->t_last, unit) - b0 + 1;
    const char *cur = r->vcur >= 0 ? iffnet_case_currency(c, r->vcur) : "amount";
    series_t s;
    char lab[32];
    int err = c->n_tx ? series_alloc(&s, nb) : IFFNET_OK;
    if (!c->n_tx) return IFFNET_OK;
    if (err) goto out;
    for (int64_t i = 0; i < nb; i++) {
        bin_label(lab, sizeof lab, b0 + i, unit);
        if (!(s.labels[i] = iffnet_i_strdup(lab))) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        int ms = r->acc_subject[c->tx_src[t]], md = r->acc_subject[c->tx_dst[t]];
        if (ms == md) continue; /* others' payments, or between the subject's own accounts */
        double v = iffnet_i_rep_major(r, iffnet_case_tx_value(c, t), r->vcur);
        int64_t b = time_bin(c->tx_time[t], unit) - b0;
        if (md) s.v1[b] += v;
        else s.v2[b] += v;
    }
    if (r->md) {
        series_table(r, unit == 0 ? "Day" : unit == 1 ? "Month" : "Year", "Received", "Paid", NULL, &s, 2);
    } else {
        iffnet_i_chart_t ch = {.title = unit == 0 ? "Money in and out per day" : unit == 1 ? "Money in and out per month"
                                                                                         : "Money in and out per year",
                               .y_unit = cur, .money = r->vcur >= 0, .series1 = "received from others",
                               .series2 = "paid to others", .n = nb, .labels = s.labels, .v1 = s.v1, .v2 = s.v2,
                               .label_every = nb > 24 ? (nb + 23) / 24 : 1};
        iffnet_i_svg_bars(r->fp, &ch);
    }
out:
    series_free(&s);
    return err;
}

int iffnet_i_rep_charts(iffnet_i_rep_t *r)
{
    const char *unit = r->vcur >= 0 ? iffnet_case_currency(r->c, r->vcur) : "amount";
    int err;
    iffnet_i_rep_heading(r, 2, "charts", "Money in the case");
    if (r->c->n_tx == 0) {
        iffnet_i_rep_para(r, "The case has no transactions.");
        return IFFNET_OK;
    }
    iffnet_i_rep_heading(r, 3, NULL, "Amounts over time");
    if ((err = chart_time(r, unit))) return err;
    iffnet_i_rep_heading(r, 3, NULL, "Amount distribution");
    if ((err = chart_hist(r, unit))) return err;
    iffnet_i_rep_heading(r, 3, NULL, "Benford first-digit test");
    if ((err = chart_benford(r))) return err;
    iffnet_i_rep_heading(r, 3, NULL, "Country corridors");
    return chart_corridors(r, unit);
}
