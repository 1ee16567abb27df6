/* report_net.c: network pictures of the report: the overview of flagged
 * sub-networks and one evidence picture per alert. Transactions between the drawn
 * accounts are aggregated per ordered pair (sum, count, first and last date). */
#include <math.h>
#include "report_internal.h"

/* Colour-blind-safe qualitative palette (Okabe-Ito, then Tableau tints). */
static const char *const palette[] = {
    "#56b4e9", "#e69f00", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
    "#b7d7a8", "#c9b3e6", "#f4b6c2", "#a3c4bc", "#ffd39b"};
#define N_PALETTE (int64_t)(sizeof palette / sizeof palette[0])
static const char *const risk_ramp[] = {"#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#8c2d04"};

const char *iffnet_i_rep_node_fill(const iffnet_i_rep_t *r, int64_t a)
{
    if (r->in->community) {
        int64_t k = r->in->community[a];
        return k < 0 ? "#dddddd" : palette[k % N_PALETTE];
    }
    double s = r->in->risk ? r->in->risk[a] : r->acc_score[a];
    if (s < 0) return "#dddddd";
    int i = (int)floor(s * 5);
    return risk_ramp[i > 4 ? 4 : i < 0 ? 0 : i];
}

/* Aggregated edges among `nodes` (node_of[a] = index or -1) from transactions
 * tx[0..ntx) (or all transactions when tx is NULL). */
typedef struct {
    int64_t n, *from, *to, *count;
    iffnet_money_t *sum;
    iffnet_time_t *first, *last;
} pairs_t;

static void pairs_free(pairs_t *p)
{
    free(p->from); free(p->to); free(p->count); free(p->sum); free(p->first); free(p->last);
}

static int pairs_build(const iffnet_i_rep_t *r, const int64_t *node_of, int64_t nv, const int64_t *tx,
                       int64_t ntx, pairs_t *p)
{
    /* nv <= max_picture_nodes, so a dense nv x nv index is small. */
    size_t cells = (size_t)(nv * nv + 1);
    int64_t *slot = malloc(cells * sizeof *slot);
    int64_t total = tx ? ntx : r->c->n_tx;
    memset(p, 0, sizeof *p);
    p->from = malloc(cells * sizeof *p->from);
    p->to = malloc(cells * sizeof *p->to);
    p->count = malloc(cells * sizeof *p->count);
    p->sum = malloc(cells * sizeof *p->sum);
    p->first = malloc(cells * sizeof *p->first);
    p->last = malloc(cells * sizeof *p->last);
    if (!slot || !p->from || !p->to || !p->count || !p->sum || !p->first || !p->last) {
        free(slot);
        pairs_free(p);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < cells; i++) slot[i] = -1;
    for (int64_t i = 0; i < total; i++) {
        int64_t t = tx ? tx[i] : i;
        int64_t u = node_of[r->c->tx_src[t]], v = node_of[r->c->tx_dst[t]];
        if (u < 0 || v < 0) continue;
        int64_t *s = &slot[u * nv + v];
        if (*s < 0) {
            *s = p->n++;
            p->from[*s] = u; p->to[*s] = v; p->count[*s] = 0; p->sum[*s] = 0;
            p->first[*s] = r->c->tx_time[t];
        }
        p->count[*s]++;
        p->sum[*s] += iffnet_case_tx_value(r->c, t);
        p->last[*s] = r->c->tx_time[t];
    }
    free(slot);
    return IFFNET_OK;
}

static char *edge_label(const iffnet_i_rep_t *r, const pairs_t *p, int64_t e, int tip)
{
    char m[64], d0[16], d1[16];
    iffnet_i_rep_money(r, p->sum[e], m, sizeof m);
    iffnet_i_rep_date(p->first[e], d0, sizeof d0);
    iffnet_i_rep_date(p->last[e], d1, sizeof d1);
    if (p->count[e] == 1) return iffnet_i_asprintf("%s, %s", m, d0);
    if (tip || strcmp(d0, d1) == 0)
        return iffnet_i_asprintf("%lldx %s, %s%s%s", (long long)p->count[e], m, d0,
                                 strcmp(d0, d1) ? " to " : "", strcmp(d0, d1) ? d1 : "");
    return iffnet_i_asprintf("%lldx %s, %s..%s", (long long)p->count[e], m, d0 + 5, d1 + 5);
}

static char *node_tip(const iffnet_i_rep_t *r, int64_t a, iffnet_money_t vol)
{
    char id[96], name[96], m1[64], m2[64], m3[64], k[32] = "";
    if (r->in->community && r->in->community[a] >= 0)
        snprintf(k, sizeof k, ", community %lld", (long long)r->in->community[a]);
    const char *country = iffnet_case_account_country(r->c, a), *sector = iffnet_case_account_sector(r->c, a);
    return iffnet_i_asprintf("%s %s\ncountry: %s, sector: %s\nin %s, out %s; here %s\nalerts: %lld%s",
                             iffnet_i_rep_acc_id(r, a, id, sizeof id), iffnet_i_rep_acc_label(r, a, name, sizeof name),
                             country[0] ? country : "?", sector[0] ? sector : "?",
                             iffnet_i_rep_money(r, r->acc_in[a], m1, sizeof m1),
                             iffnet_i_rep_money(r, r->acc_out[a], m2, sizeof m2), iffnet_i_rep_money(r, vol, m3, sizeof m3),
                             (long long)r->acc_nalerts[a], k);
}

/* Fills the picture from the chosen accounts and their aggregated edges; edge
 * labels only where the picture stays readable (the heaviest edges). */
static int net_fill(const iffnet_i_rep_t *r, iffnet_i_net_t *net, const int64_t *acc, int64_t nv,
                    const pairs_t *p, int64_t max_labels)
{
    char b[96];
    int64_t n_labels = p->n <= max_labels ? p->n : max_labels;
    iffnet_money_t cut = 0;
    int err = iffnet_i_net_alloc(net, nv, p->n);
    if (err) return err;
    if (n_labels == 0) cut = IFFNET_MONEY_MAX;
    else if (p->n > n_labels) {
        /* The n_labels-th largest sum, by a partial selection over a copy. */
        iffnet_money_t *s = malloc((size_t)p->n * sizeof *s);
        if (!s) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        memcpy(s, p->sum, (size_t)p->n * sizeof *s);
        for (int64_t i = 0; i < n_labels; i++)
            for (int64_t j = i + 1; j < p->n; j++)
                if (s[j] > s[i]) { iffnet_money_t x = s[i]; s[i] = s[j]; s[j] = x; }
        cut = s[n_labels - 1];
        free(s);
    }
    for (int64_t e = 0; e < p->n; e++) {
        net->node_size[p->from[e]] += (double)p->sum[e];
        net->node_size[p->to[e]] += (double)p->sum[e];
    }
    for (int64_t i = 0; i < nv; i++) {
        char lab[40];
        snprintf(lab, sizeof lab, "%s", iffnet_i_rep_acc_label(r, acc[i], b, sizeof b));
        if (strlen(b) > 24) strcpy(lab + 21, "...");
        net->node_label[i] = iffnet_i_strdup(lab);
        net->node_tip[i] = node_tip(r, acc[i], (iffnet_money_t)(net->node_size[i] / 2));
        net->node_fill[i] = iffnet_i_rep_node_fill(r, acc[i]);
        net->node_ring[i] = r->acc_nalerts[acc[i]] > 0;
        if (!net->node_label[i] || !net->node_tip[i]) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t e = 0; e < p->n; e++) {
        net->edge_from[e] = p->from[e];
        net->edge_to[e] = p->to[e];
        net->edge_weight[e] = (double)p->sum[e];
        net->edge_tip[e] = edge_label(r, p, e, 1);
        net->edge_label[e] = p->sum[e] >= cut ? edge_label(r, p, e, 0) : iffnet_i_strdup("");
        if (!net->edge_tip[e] || !net->edge_label[e]) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

/* Chooses at most max accounts of `cand` (n of them) by `key` descending, ties by
 * index; writes them ascending into out. O(n log n). */
static int cmp_key(const void *pa, const void *pb, void *arg)
{
    const double *key = arg;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    if (key[a] != key[b]) return key[a] > key[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

static int draw(iffnet_i_rep_t *r, const int64_t *acc, int64_t nv, const int64_t *tx, int64_t ntx,
                int64_t max_labels, const char *id, const char *caption)
{
    int64_t *node_of = malloc(((size_t)r->c->n_accounts + 1) * sizeof *node_of);
    pairs_t p;
    iffnet_i_net_t net;
    int err;
    memset(&p, 0, sizeof p);
    memset(&net, 0, sizeof net);
    if (!node_of) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t a = 0; a < r->c->n_accounts; a++) node_of[a] = -1;
    for (int64_t i = 0; i < nv; i++) node_of[acc[i]] = i;
    if ((err = pairs_build(r, node_of, nv, tx, ntx, &p))) goto out;
    if ((err = net_fill(r, &net, acc, nv, &p, max_labels))) goto out;
    err = iffnet_i_svg_network(r->fp, &net, r->in->seed, id, caption);
out:
    iffnet_i_net_free(&net);
    pairs_free(&p);
    free(node_of);
    return err;
}

static void legend(iffnet_i_rep_t *r)
{
    if (r->in->community)
        fputs("<p class=\"legend\">Colour: community (grey: none). Red outline: account in an alert. "
              "Size: amount moved in the picture. Hover for details; wheel to zoom, drag to pan, "
              "double-click to reset.</p>\n", r->fp);
    else
        fputs("<p class=\"legend\">Colour: risk<span style=\"background:#fff5eb\"></span>low"
              "<span style=\"background:#fd8d3c\"></span>medium<span style=\"background:#8c2d04\"></span>high"
              "<span style=\"background:#dddddd\"></span>no signal. Red outline: account in an alert. "
              "Size: amount moved in the picture. Hover for details; wheel to zoom, drag to pan, "
              "double-click to reset.</p>\n", r->fp);
}

int iffnet_i_rep_network_alert(iffnet_i_rep_t *r, const iffnet_alert_t *al, int64_t k)
{
    int64_t nv = al->n_accounts, max = r->o->max_picture_nodes;
    int64_t *acc = malloc(((size_t)nv + 1) * sizeof *acc);
    double *vol = calloc((size_t)r->c->n_accounts + 1, sizeof *vol);
    char id[64], cap[256];
    int err = IFFNET_OK;
    if (!acc || !vol) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(acc, al->accounts, (size_t)nv * sizeof *acc);
    if (nv > max) {
        for (int64_t i = 0; i < al->n_tx; i++) {
            int64_t t = al->tx[i];
            vol[r->c->tx_src[t]] += (double)iffnet_case_tx_value(r->c, t);
            vol[r->c->tx_dst[t]] += (double)iffnet_case_tx_value(r->c, t);
        }
        qsort_r(acc, (size_t)nv, sizeof *acc, cmp_key, vol);
        nv = max;
        qsort(acc, (size_t)nv, sizeof *acc, iffnet_i_cmp_i64);
    }
    snprintf(id, sizeof id, "net-%lld", (long long)k);
    snprintf(cap, sizeof cap, "Evidence network of %s: the alert's transactions between %lld of its "
             "%lld accounts, summed per direction (amount, first date).", al->id, (long long)nv,
             (long long)al->n_accounts);
    /* Every edge labelled while that stays readable, else the heaviest. */
    err = draw(r, acc, nv, al->tx, al->n_tx, 24, id, cap);
out:
    free(acc);
    free(vol);
    return err;
}

int iffnet_i_rep_network_overview(iffnet_i_rep_t *r)
{
    int64_t n = 0, max = r->o->max_picture_nodes, n_alerts = 0;
    int64_t *acc = malloc(((size_t)max + 1) * sizeof *acc);
    char *in = calloc((size_t)r->c->n_accounts + 1, 1);
    char cap[320];
    int err = IFFNET_OK;
    iffnet_i_rep_heading(r, 2, "overview", "Flagged networks");
    if (!acc || !in) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    /* Whole alerts, highest score first, as long as their accounts fit: accounts
     * picked one by one would scatter into unconnected dots. */
    for (int64_t k = 0; k < r->n_alerts && n < max; k++) {
        const iffnet_alert_t *al = &r->in->alerts->items[k];
        int64_t fresh = 0;
        for (int64_t i = 0; i < al->n_accounts; i++) fresh += !in[al->accounts[i]];
        if (fresh == 0 || n + fresh > max) continue;
        for (int64_t i = 0; i < al->n_accounts; i++)
            if (!in[al->accounts[i]]) {
                in[al->accounts[i]] = 1;
                acc[n++] = al->accounts[i];
            }
        n_alerts++;
    }
    if (n == 0) {
        iffnet_i_rep_para(r, r->n_flagged_acc ? "Every alert is larger than a picture can show; see the alert sections."
                                     : "No account is flagged, so there is no flagged network to draw.");
        goto out;
    }
    qsort(acc, (size_t)n, sizeof *acc, iffnet_i_cmp_i64);
    snprintf(cap, sizeof cap, "The %lld accounts of the %lld highest-scoring alerts that fit in one picture "
             "(of %lld flagged accounts), and all transactions among them, summed per direction.",
             (long long)n, (long long)n_alerts, (long long)r->n_flagged_acc);
    iffnet_i_rep_para(r, "The accounts named in alerts and the money moving between them. The whole network "
                "of the case is not drawn: it would be unreadable.");
    legend(r);
    /* The overview shows structure: only the heaviest flows carry labels. */
    err = draw(r, acc, n, NULL, 0, 8, "overview-net", cap);
out:
    free(acc);
    free(in);
    return err;
}
