/* redflag_cash.c: cash deposits followed quickly by international wires.
 *
 * FinCEN's and FATF's wildlife indicators (and the FFIEC BSA/AML manual's
 * general red flags) name cash placed into an account and wired abroad shortly
 * after. An occurrence is an international wire (the two accounts' countries are
 * known and differ) whose value v lies between cash_to_wire.min_share and
 * 1/min_share of the cash C deposited into the account in the window W before
 * it, and C is at least min_share of everything the account received in that
 * window: the cash funds the wire and the wire carries most of the cash; m =
 * min(v, C) of cash moved on. A deposit funds one wire: the cash an occurrence
 * took is not there for the next.
 *
 * What chance or routine explains: under the account's own routine its wires are
 * made when it makes them, whatever cash came in. With C(t) the cash deposited in
 * (t - W, t], a wire of value v' is as extreme as the observed (m, log ratio
 * d = |ln(v/C)|) at a time when min(v', C(t)) >= m and |ln(v'/C(t))| <= d. Its chance of
 * falling at such a time is the share of the period with such a cash level, or,
 * when larger, the share of the account's other wires that did (their times
 * carry its weekly rhythm; one more wire placed at random keeps it from 0). Summed over the
 * account's wires that gives mu, its expected number of such coincidences; j
 * occurrences at least as extreme as the weakest of them have probability
 * PoissonTail(mu, j). E multiplies that by the number of accounts in the case
 * that could show one (cash within W reaching m and a wire of at least m),
 * by the occurrences j was chosen from and by the windows tried. A wire to a
 * listed wildlife-trade country is more extreme than one elsewhere: then only
 * wires to listed countries count. Occurrences kept up over more than half of
 * the case are the account's standing business (an importer paying its supplier
 * from the week's takings): E is then at least the number of accounts of the
 * case with such a relationship. A shop that banks takings daily and pays
 * foreign suppliers weekly has cash on hand whenever it wires: its mu is large. */
#include <math.h>
#include "redflag_internal.h"

#define CW_MAX_WINDOWS 4
#define CW_MAX_ROUNDS 64   /* occurrences of one account that can combine into one alert */

typedef struct {
    int n_windows;
    int64_t windows[CW_MAX_WINDOWS], max_steps, steps;
    double min_share, max_expected;
    char *channels;
    int cut;
} cw_params_t;

/* One tested account for one window: the step function of C(t) (levels sorted,
 * time at or above each), the cash before each wire, and which wires are
 * listed-country ones. */
typedef struct {
    int64_t a;
    int64_t n_lev;
    double *lev, *time_ge;        /* time_ge[i]: time with C >= lev[i]; time_ge[n_lev] = 0 */
    int64_t n_w;
    int64_t *wire;                /* the account's international wires (tx), time order */
    double *cash;                 /* C at each wire */
    unsigned char *listed;
    double *at_all, *at_listed;   /* C at the wires' times, sorted, all and listed-only */
    double *inflow;               /* everything received in the window before each wire */
    double *raw;                  /* all cash deposited in the window before each wire */
    unsigned char *occ;           /* 1: the wire is an occurrence (the cash funds it) */
    int64_t n_listed;
    double max_cash, max_v_all, max_v_listed;
} cw_acc_t;


/* What a wire is checked against, looked up once: which channels are wire
 * channels, and a country number per account (-1 unknown; equal numbers for
 * equal country codes). */
typedef struct { unsigned char *chan_ok; int64_t *cty; } cw_lookup_t;

static int lookup_build(const iffnet_case_t *c, const cw_params_t *p, cw_lookup_t *lk)
{
    iffnet_strtab_t codes;
    int err = iffnet_strtab_init(&codes);
    if (err) return err;
    lk->chan_ok = calloc((size_t)c->channels.n + 1, 1);
    lk->cty = malloc((size_t)(c->n_accounts + 1) * sizeof *lk->cty);
    if (!lk->chan_ok || !lk->cty) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t i = 0; i < c->channels.n; i++) {
        char key[80];
        snprintf(key, sizeof key, ",%s,", iffnet_strtab_get(&c->channels, i));
        lk->chan_ok[i] = strstr(p->channels, key) != NULL;
    }
    for (int64_t a = 0; a < c->n_accounts && !err; a++) {
        const char *code = iffnet_case_account_country(c, a);
        lk->cty[a] = -1;
        if (*code) err = iffnet_strtab_intern(&codes, code, strlen(code), &lk->cty[a], NULL);
    }
out:
    iffnet_strtab_destroy(&codes);
    return err;
}

static void lookup_free(cw_lookup_t *lk)
{
    free(lk->chan_ok);
    free(lk->cty);
}

static int is_intl_wire(const iffnet_case_t *c, const cw_lookup_t *lk, int64_t t)
{
    if (!c->tx_channel || c->tx_channel[t] < 0 || !lk->chan_ok[c->tx_channel[t]]) return 0;
    int64_t a = lk->cty[c->tx_src[t]], b = lk->cty[c->tx_dst[t]];
    return a >= 0 && b >= 0 && a != b;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* First index of sorted v[0..n) with v[i] >= x. */
static int64_t lower(const double *v, int64_t n, double x)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if (v[m] < x) lo = m + 1; else hi = m; }
    return lo;
}

/* First index with v[i] > x. */
static int64_t upper(const double *v, int64_t n, double x)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if (v[m] <= x) lo = m + 1; else hi = m; }
    return lo;
}

static void acc_free(cw_acc_t *s)
{
    free(s->lev); free(s->time_ge); free(s->wire); free(s->cash); free(s->listed);
    free(s->at_all); free(s->at_listed); free(s->inflow); free(s->occ); free(s->raw);
    memset(s, 0, sizeof *s);
}

typedef struct { iffnet_time_t t; double dv; } cw_event_t;
typedef struct { double lev, dur; } cw_seg_t;   /* level first: sorted by cmp_double */

static int cmp_event(const void *a, const void *b)
{
    const cw_event_t *x = a, *y = b;
    return (x->t > y->t) - (x->t < y->t);
}

/* Builds account a's step function and wire table for window W. deposits and
 * wires are the account's cash deposits and international wires in time order. */
static int acc_build(const iffnet_case_t *c, int64_t a, const iffnet_i_vec_t *dep, const iffnet_i_vec_t *wires,
                     const iffnet_i_rf_adj_t *in, const unsigned char *dst_listed, int64_t W, double min_share,
                     cw_acc_t *s)
{
    int64_t nd = dep->n, nw = wires->n, ne = 2 * nd;
    cw_event_t *ev = malloc((size_t)(ne + 1) * sizeof *ev);
    int err = IFFNET_OK;
    memset(s, 0, sizeof *s);
    s->a = a;
    s->n_w = nw;
    s->lev = malloc((size_t)(ne + 1) * sizeof *s->lev);
    s->time_ge = malloc((size_t)(ne + 2) * sizeof *s->time_ge);
    s->wire = malloc((size_t)(nw + 1) * sizeof *s->wire);
    s->cash = malloc((size_t)(nw + 1) * sizeof *s->cash);
    s->listed = malloc((size_t)(nw + 1));
    s->at_all = malloc((size_t)(nw + 1) * sizeof *s->at_all);
    s->at_listed = malloc((size_t)(nw + 1) * sizeof *s->at_listed);
    s->inflow = malloc((size_t)(nw + 1) * sizeof *s->inflow);
    s->occ = malloc((size_t)nw + 1);
    s->raw = malloc((size_t)(nw + 1) * sizeof *s->raw);
    double *left = malloc((size_t)(nd + 1) * sizeof *left);
    cw_seg_t *seg = malloc((size_t)(ne + 1) * sizeof *seg);
    if (!ev || !s->lev || !s->time_ge || !s->wire || !s->cash || !s->listed || !s->at_all || !s->at_listed || !s->inflow || !s->occ || !s->raw || !left || !seg) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (cash to wire)");
        goto out;
    }
    for (int64_t i = 0; i < nd; i++) {
        double v = (double)iffnet_case_tx_value(c, dep->v[i]);
        ev[2 * i] = (cw_event_t){ c->tx_time[dep->v[i]], v };
        ev[2 * i + 1] = (cw_event_t){ c->tx_time[dep->v[i]] + W, -v };
    }
    iffnet_i_sort(ev, (size_t)ne, sizeof *ev, cmp_event);
    /* Segments of constant level, then levels sorted with their durations. */
    int64_t ns = 0;
    double level = 0;
    for (int64_t i = 0; i < ne; i++) {
        if (i > 0 && ev[i].t > ev[i - 1].t && level > 0.5) seg[ns++] = (cw_seg_t){ level, (double)(ev[i].t - ev[i - 1].t) };
        level += ev[i].dv;
    }
    iffnet_i_sort(seg, (size_t)ns, sizeof *seg, cmp_double);   /* by level: the first member */
    s->n_lev = ns;
    for (int64_t i = 0; i < ns; i++) s->lev[i] = seg[i].lev;
    s->time_ge[ns] = 0;
    for (int64_t i = ns - 1; i >= 0; i--) s->time_ge[i] = s->time_ge[i + 1] + seg[i].dur;
    /* The cash before each wire: what is left of the deposits in (t - W, t]
     * once earlier wires took theirs (one deposit funds one wire), and
     * everything received in that window. */
    int64_t lo = 0, hi = 0, ilo = in->off[a], ihi = in->off[a];
    double all = 0;
    for (int64_t i = 0; i < nd; i++) left[i] = (double)iffnet_case_tx_value(c, dep->v[i]);
    for (int64_t k = 0; k < nw; k++) {
        int64_t w = wires->v[k];
        iffnet_time_t t = c->tx_time[w];
        double v = (double)iffnet_case_tx_value(c, w), cash = 0;
        while (hi < nd && c->tx_time[dep->v[hi]] <= t) hi++;
        while (lo < hi && c->tx_time[dep->v[lo]] <= t - W) lo++;
        double raw = 0;
        for (int64_t i = lo; i < hi; i++) {
            cash += left[i];
            raw += (double)iffnet_case_tx_value(c, dep->v[i]);
        }
        while (ihi < in->off[a + 1] && c->tx_time[in->tx[ihi]] <= t) all += (double)iffnet_case_tx_value(c, in->tx[ihi++]);
        while (ilo < ihi && c->tx_time[in->tx[ilo]] <= t - W) all -= (double)iffnet_case_tx_value(c, in->tx[ilo++]);
        s->wire[k] = w;
        s->cash[k] = cash;
        s->inflow[k] = fmax(cash, all);
        /* The cash funds the wire: it is most of what came in, and the wire
         * carries most of it. */
        s->occ[k] = cash > 0 && v >= min_share * cash && v * min_share <= cash && cash >= min_share * s->inflow[k];
        for (int64_t i = lo; s->occ[k] && i < hi && v > 0; i++) {
            double take = fmin(left[i], v);
            left[i] -= take;
            v -= take;
        }
        s->listed[k] = dst_listed[c->tx_dst[w]];
        s->raw[k] = raw;
        s->at_all[k] = raw;
        if (s->listed[k]) s->at_listed[s->n_listed++] = raw;
        v = (double)iffnet_case_tx_value(c, w);
        s->max_v_all = fmax(s->max_v_all, v);
        if (s->listed[k]) s->max_v_listed = fmax(s->max_v_listed, v);
    }
    iffnet_i_sort(s->at_all, (size_t)nw, sizeof *s->at_all, cmp_double);
    iffnet_i_sort(s->at_listed, (size_t)s->n_listed, sizeof *s->at_listed, cmp_double);
    s->max_cash = ns > 0 ? s->lev[ns - 1] : 0;
out:
    free(ev);
    free(seg);
    free(left);
    if (err) acc_free(s);
    return err;
}

/* Share of the period with C in [lo, hi]. */
static double time_share(const cw_acc_t *s, double lo, double hi, double period)
{
    if (hi < lo) return 0;
    int64_t i = lower(s->lev, s->n_lev, lo), j = upper(s->lev, s->n_lev, hi);
    return (s->time_ge[i] - s->time_ge[j]) / period;
}

/* An occurrence: m = min(cash, wire) moved from cash to the wire, d = |ln(wire/cash)|;
 * k indexes the account's wires. */
typedef struct { double c, v, d; int listed; int64_t w, k; double mu; } cw_occ_t;

/* The account's expected number of wires at least as extreme as (m, d, listed)
 * when its wires fall at its own usual times (see the file comment); the
 * occurrences excl[0..n_excl) are the structure under test, not its routine. */
static double acc_mu(const iffnet_case_t *c, cw_params_t *p, const cw_acc_t *s, double cash, double d, int listed,
                     double period, const cw_occ_t *excl, int64_t n_excl)
{
    const double *at = listed ? s->at_listed : s->at_all;
    int64_t n_at = listed ? s->n_listed : s->n_w, n_out = 0;
    for (int64_t i = 0; i < n_excl; i++) n_out += !listed || excl[i].listed;
    double mu = 0;
    for (int64_t k = 0; k < s->n_w; k++) {
        if (listed && !s->listed[k]) continue;
        double v = (double)iffnet_case_tx_value(c, s->wire[k]);
        /* The band's ends are the observed levels themselves: widen them by a
         * rounding error so that the observed level lies inside. */
        double lo = fmax(cash, v * exp(-d)) * (1 - 1e-9), hi = v * exp(d) * (1 + 1e-9);
        p->steps += 1 + n_excl;
        if (v < lo || hi < lo) continue;
        int64_t in = upper(at, n_at, hi) - lower(at, n_at, lo), self_out = 0;
        for (int64_t i = 0; i < n_excl; i++) {
            if (listed && !excl[i].listed) continue;
            in -= s->raw[excl[i].k] >= lo && s->raw[excl[i].k] <= hi;
            self_out |= excl[i].k == k;
        }
        if (!self_out && s->raw[k] >= lo && s->raw[k] <= hi) in--;   /* its own time is not its routine */
        /* At least the share of the period: a few wires cannot show that a rare
         * level is rarer still; many can show that the account wires when cash
         * is in (one more wire placed at random keeps the share from 0). */
        double share = time_share(s, lo, hi, period);
        int64_t others = n_at - n_out - !self_out;
        mu += fmax(share, ((double)(in > 0 ? in : 0) + share) / (double)(others + 1));
    }
    return mu;
}

/* For counting who could show an occurrence: per tested account the smaller of
 * its largest cash level and its largest wire (to any country, and to listed
 * ones), sorted. */
typedef struct { int64_t n; double *all, *listed; } cw_reach_t;

static int reach_build(const cw_acc_t *accs, int64_t n, cw_reach_t *r)
{
    r->n = n;
    r->all = malloc((size_t)(n + 1) * sizeof *r->all);
    r->listed = malloc((size_t)(n + 1) * sizeof *r->listed);
    if (!r->all || !r->listed) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < n; i++) {
        r->all[i] = fmin(accs[i].max_cash, accs[i].max_v_all);
        r->listed[i] = fmin(accs[i].max_cash, accs[i].max_v_listed);
    }
    iffnet_i_sort(r->all, (size_t)n, sizeof *r->all, cmp_double);
    iffnet_i_sort(r->listed, (size_t)n, sizeof *r->listed, cmp_double);
    return IFFNET_OK;
}

static void reach_free(cw_reach_t *r)
{
    free(r->all);
    free(r->listed);
    memset(r, 0, sizeof *r);
}

/* How many tested accounts could show an occurrence moving m (to a listed
 * country when `listed`): those with m of cash within W and a wire of at least m. */
static int64_t could_show(const cw_reach_t *r, double m, int listed)
{
    const double *v = listed ? r->listed : r->all;
    return r->n - lower(v, r->n, m * (1 - 1e-9));
}

static int cmp_occ(const void *a, const void *b)
{
    const cw_occ_t *x = a, *y = b;
    if (x->mu != y->mu) return x->mu < y->mu ? -1 : 1;
    return (x->w > y->w) - (x->w < y->w);
}

/* The best occurrences of account s (E and how many) for one window. */
typedef struct {
    double e, mu, cash, d;
    int64_t j, n_occ, n_could, window, beneficiary;
    int listed, standing;
    iffnet_time_t since, until;   /* first and last cash-funded wire to the beneficiary */
    iffnet_i_vec_t wires;   /* the j wires */
} cw_best_t;

static int acc_best(const iffnet_case_t *c, cw_params_t *p, const cw_reach_t *reach, const cw_acc_t *s,
                    int64_t W, int n_windows, double period, cw_best_t *best)
{
    cw_occ_t *occ = malloc((size_t)(s->n_w + 1) * sizeof *occ);
    double *e_of = malloc((size_t)(s->n_w + 1) * sizeof *e_of);
    double *mu_of = malloc((size_t)(s->n_w + 1) * sizeof *mu_of);
    int64_t n = 0, *could_of = malloc((size_t)(s->n_w + 1) * sizeof *could_of);
    int err = IFFNET_OK;
    if (!occ || !e_of || !mu_of || !could_of) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t k = 0; k < s->n_w; k++) {
        double v = (double)iffnet_case_tx_value(c, s->wire[k]), cash = s->cash[k];
        if (!s->occ[k]) continue;
        occ[n] = (cw_occ_t){ .c = fmin(cash, v), .v = v, .listed = s->listed[k], .w = s->wire[k], .k = k };
        occ[n].d = fabs(log(v / cash));
        occ[n].mu = acc_mu(c, p, s, occ[n].c, occ[n].d, s->listed[k], period, &occ[n], 1);
        n++;
    }
    if (n == 0) goto out;
    iffnet_i_sort(occ, (size_t)n, sizeof *occ, cmp_occ);
    /* The j strongest: each at least as extreme as their envelope (least cash,
     * widest ratio, listed only if all are). */
    double cash = INFINITY, d = 0;
    int listed = 1;
    if (n > CW_MAX_ROUNDS) n = CW_MAX_ROUNDS;   /* cost: the strongest occurrences only */
    for (int64_t j = 1; j <= n; j++) {
        cash = fmin(cash, occ[j - 1].c);
        d = fmax(d, occ[j - 1].d);
        listed &= occ[j - 1].listed;
        mu_of[j - 1] = acc_mu(c, p, s, cash, d, listed, period, occ, j);
        could_of[j - 1] = could_show(reach, cash, listed);
        e_of[j - 1] = (double)could_of[j - 1] * iffnet_i_rf_poisson_tail(mu_of[j - 1], j);
    }
    int64_t j;
    double e = iffnet_i_rf_best_of(e_of, n, &j) * (double)n_windows;
    if (e < best->e) {
        best->e = e;
        best->mu = mu_of[j - 1];
        best->j = j;
        best->n_occ = n;
        best->n_could = could_of[j - 1];
        best->window = W;
        best->cash = INFINITY;
        best->d = 0;
        best->listed = 1;
        best->wires.n = 0;
        for (int64_t k = 0; k < j; k++) {
            best->cash = fmin(best->cash, occ[k].c);
            best->d = fmax(best->d, occ[k].d);
            best->listed &= occ[k].listed;
            if ((err = iffnet_i_vec_push(&best->wires, occ[k].w))) goto out;
        }
        iffnet_i_sort(best->wires.v, (size_t)best->wires.n, sizeof *best->wires.v, iffnet_i_cmp_i64);
        /* How long the account has funded wires to that beneficiary with cash:
         * all its occurrences, not only the chosen ones. */
        best->beneficiary = c->tx_dst[occ[0].w];
        best->since = INT64_MAX;
        best->until = INT64_MIN;
        for (int64_t k = 0; k < s->n_w; k++)
            if (s->occ[k] && c->tx_dst[s->wire[k]] == best->beneficiary) {
                iffnet_time_t t = c->tx_time[s->wire[k]];
                best->since = t < best->since ? t : best->since;
                best->until = t > best->until ? t : best->until;
            }
    }
out:
    free(occ);
    free(e_of);
    free(mu_of);
    free(could_of);
    return err;
}

/* Cash deposits and international wires of the tested accounts (CSR, in time
 * order): account i's are dep.tx[dep.off[i] .. dep.off[i+1]). */
typedef struct { int64_t *off, *tx; } cw_csr_t;

static void csr_free(cw_csr_t *l)
{
    free(l->off);
    free(l->tx);
}

/* Account i's part of a CSR list as a vector view (not to be freed). */
static iffnet_i_vec_t csr_view(const cw_csr_t *l, int64_t i)
{
    return (iffnet_i_vec_t){ l->off[i + 1] - l->off[i], l->off[i + 1] - l->off[i], l->tx + l->off[i] };
}

/* One alert for the accounts m[0..n) (indices into tested/best, the strongest
 * first) whose cash went on to one beneficiary: their funding deposits and
 * chosen wires; E of the strongest. */
static int cw_emit(const iffnet_i_rf_env_t *env, const cw_params_t *p, const iffnet_i_vec_t *tested,
                   const cw_csr_t *deps, const cw_best_t *best, const int64_t *m, int64_t n, int64_t n_standing,
                   iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = env->c;
    const cw_best_t *b = &best[m[0]];
    iffnet_i_vec_t tx = { 0 }, acc = { 0 };
    iffnet_money_t cash = 0, wired = 0;
    int64_t n_dep = 0, n_wire = 0;
    iffnet_time_t first_dep = INT64_MAX;
    int err = IFFNET_OK;
    for (int64_t k = 0; k < n && !err; k++) {
        const cw_best_t *bk = &best[m[k]];
        iffnet_i_vec_t dep = csr_view(deps, m[k]);
        int64_t di = 0;
        if ((err = iffnet_i_vec_push(&acc, tested->v[m[k]]))) break;
        /* The deposits that funded the chosen wires: those within W before one of them. */
        for (int64_t i = 0; i < dep.n && !err; i++) {
            iffnet_time_t t = c->tx_time[dep.v[i]];
            while (di < bk->wires.n && c->tx_time[bk->wires.v[di]] < t) di++;
            if (di < bk->wires.n && c->tx_time[bk->wires.v[di]] - t < bk->window) {
                cash += iffnet_case_tx_value(c, dep.v[i]);
                n_dep++;
                if (k == 0 && t < first_dep) first_dep = t;
                err = iffnet_i_vec_push(&tx, dep.v[i]);
            }
        }
        for (int64_t i = 0; i < bk->wires.n && !err; i++) {
            wired += iffnet_case_tx_value(c, bk->wires.v[i]);
            n_wire++;
            if (!(err = iffnet_i_vec_push(&tx, bk->wires.v[i]))) err = iffnet_i_vec_push(&acc, c->tx_dst[bk->wires.v[i]]);
        }
    }
    if (err) goto out;
    iffnet_alert_t *al = NULL;
    char m1[48], m2[48], m3[48], who[160];
    int64_t a = tested->v[m[0]], w0 = b->wires.v[0];
    if ((err = iffnet_alert_list_add(out, IFFNET_TYP_CASH_TO_WIRE, 0, acc.v, acc.n, tx.v, tx.n, &al))) goto out;
    iffnet_i_rf_set_moved(al, wired < cash ? wired : cash);
    double hours = first_dep < INT64_MAX ? (double)(c->tx_time[w0] - first_dep) / 3600.0 : 0.0;
    if (n > 1)
        snprintf(who, sizeof who, "%lld accounts (first %s, %s)", (long long)n, iffnet_case_account_id(c, a),
                 iffnet_case_account_country(c, a));
    else
        snprintf(who, sizeof who, "%s (%s)", iffnet_case_account_id(c, a), iffnet_case_account_country(c, a));
    err = iffnet_alert_add_reason(al, "%lld cash deposit(s) of %s into %s were followed within %.1f hours by %lld "
                                  "international wire(s) of %s (%.0f%% of the cash) to %s (%s)%s",
                                  (long long)n_dep, iffnet_i_rf_money_str(env, m1, sizeof m1, cash), who, hours,
                                  (long long)n_wire, iffnet_i_rf_money_str(env, m2, sizeof m2, wired),
                                  cash > 0 ? 100.0 * (double)wired / (double)cash : 0.0,
                                  iffnet_case_account_id(c, c->tx_dst[w0]), iffnet_case_account_country(c, c->tx_dst[w0]),
                                  b->listed ? ", a listed wildlife-trade country" : "");
    if (!err && b->standing) {
        char d1[24];
        iffnet_time_format(d1, sizeof d1, b->since, 0);
        err = iffnet_alert_add_reason(al, "routine: %s has wired cash on to %s this way since %.10s, over most of the "
                                      "case (a standing relationship; %lld account(s) of the case have one)",
                                      iffnet_case_account_id(c, a), iffnet_case_account_id(c, b->beneficiary), d1,
                                      (long long)n_standing);
    }
    if (!err)
        err = iffnet_i_rf_expect(al, b->e, "%seach wire moved at least %s of cash deposited in the %.0f day(s) before it "
                                 "and carried %.0f%% to %.0f%% of it; at its own usual times the account would make %.2g "
                                 "such wire(s)%s; %lld of the %lld accounts with cash and international wires could show "
                                 "this; %lld occurrence(s) and %d window(s) tried", n > 1 ? "for the strongest account, " : "",
                                 iffnet_i_rf_money_str(env, m3, sizeof m3, (iffnet_money_t)b->cash),
                                 (double)b->window / 86400.0, 100.0 * exp(-b->d), 100.0 * exp(b->d), b->mu,
                                 b->listed ? " to listed countries" : "", (long long)b->n_could, (long long)tested->n,
                                 (long long)b->n_occ, p->n_windows);
out:
    iffnet_i_vec_free(&tx);
    iffnet_i_vec_free(&acc);
    return err;
}

/* The accounts to emit, sorted: listed ones by beneficiary, the strongest
 * first; the ranked-low ones after, each alone. */
typedef struct { int listed; int64_t beneficiary; double e; int64_t i; } cw_ord_t;

static int cmp_ord(const void *x, const void *y)
{
    const cw_ord_t *a = x, *b = y;
    if (a->listed != b->listed) return a->listed ? -1 : 1;
    if (a->listed && a->beneficiary != b->beneficiary) return a->beneficiary < b->beneficiary ? -1 : 1;
    if (a->e != b->e) return a->e < b->e ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

static int cw_params(const iffnet_detect_ctx_t *ctx, cw_params_t *p)
{
    static const int64_t ladder[CW_MAX_WINDOWS] = { 86400, 2 * 86400, 4 * 86400, 8 * 86400 };
    int64_t w;
    IFFNET_TRY(iffnet_i_setting_duration(ctx->cfg, "cash_to_wire", "window", INT64_MAX, &w));
    if (w != INT64_MAX) {
        p->n_windows = 1;
        p->windows[0] = w;
    } else {
        p->n_windows = CW_MAX_WINDOWS;
        memcpy(p->windows, ladder, sizeof ladder);
    }
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "cash_to_wire", "min_share", 0.5, 0.01, 1.0, &p->min_share));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "cash_to_wire", "max_steps", 1000000000, 1000, INT64_MAX, &p->max_steps));
    IFFNET_TRY(iffnet_i_rf_max_expected(ctx, &p->max_expected));
    const char *ch = ctx->cfg ? iffnet_config_str(ctx->cfg, "cash_to_wire.channels", "wire") : "wire";
    if (!(p->channels = iffnet_i_asprintf(",%s,", ch))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    return IFFNET_OK;
}

/* The tested accounts (cash deposits and international wires both) among
 * those kept, with their lists. */
static int acc_lists(const iffnet_i_rf_env_t *env, const cw_lookup_t *lk, const iffnet_i_rf_adj_t *in,
                     const iffnet_i_rf_adj_t *outa, const unsigned char *keep, iffnet_i_vec_t *tested,
                     cw_csr_t *dep, cw_csr_t *wire)
{
    const iffnet_case_t *c = env->c;
    iffnet_i_vec_t d = { 0 }, w = { 0 }, od = { 0 }, ow = { 0 };
    int err = IFFNET_OK;
    if ((err = iffnet_i_vec_push(&od, 0)) || (err = iffnet_i_vec_push(&ow, 0))) goto out;
    for (int64_t a = 0; a < c->n_accounts && !err; a++) {
        if (!keep[a]) continue;
        int64_t nd = d.n, nw = w.n;
        for (int64_t k = in->off[a]; k < in->off[a + 1] && !err; k++)
            if (iffnet_i_rf_is_cash_deposit(env, in->tx[k])) err = iffnet_i_vec_push(&d, in->tx[k]);
        for (int64_t k = outa->off[a]; k < outa->off[a + 1] && !err; k++)
            if (is_intl_wire(c, lk, outa->tx[k])) err = iffnet_i_vec_push(&w, outa->tx[k]);
        if (err) break;
        if (d.n == nd || w.n == nw) { d.n = nd; w.n = nw; continue; }
        if ((err = iffnet_i_vec_push(tested, a)) || (err = iffnet_i_vec_push(&od, d.n)) ||
            (err = iffnet_i_vec_push(&ow, w.n)))
            break;
    }
out:
    if (err) {
        iffnet_i_vec_free(&d); iffnet_i_vec_free(&w); iffnet_i_vec_free(&od); iffnet_i_vec_free(&ow);
        return err;
    }
    *dep = (cw_csr_t){ od.v, d.v };
    *wire = (cw_csr_t){ ow.v, w.v };
    return IFFNET_OK;
}

int iffnet_redflag_cash_to_wire(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_rf_env_t env;
    iffnet_i_rf_adj_t in = { 0 }, outa = { 0 };
    iffnet_i_vec_t tested = { 0 };
    cw_csr_t dep = { 0 }, wires = { 0 };
    cw_lookup_t lk = { 0 };
    iffnet_indicators_t ind;
    cw_params_t p = { 0 };
    cw_acc_t *accs = NULL;
    cw_best_t *best = NULL;
    cw_reach_t reach = { 0 };
    int64_t *order = NULL;
    unsigned char *keep = NULL, *listed = NULL;
    int64_t n_acc = 0;
    int err, have_ind = 0;
    iffnet_i_rf_env(&env, ctx);
    if ((err = cw_params(ctx, &p))) goto out;
    /* Only accounts that received cash can fund a wire with it. */
    if (!(keep = calloc((size_t)c->n_accounts + 1, 1)) || !(listed = calloc((size_t)c->n_accounts + 1, 1))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    int64_t n_cash = 0;
    for (int64_t t = 0; t < c->n_tx; t++)
        if (iffnet_i_rf_is_cash_deposit(&env, t) && c->tx_dst[t] != env.cash_account && !keep[c->tx_dst[t]]) {
            keep[c->tx_dst[t]] = 1;
            n_cash++;
        }
    if (n_cash == 0) goto out;
    if ((err = iffnet_i_rf_indicators(ctx, &ind))) goto out;
    have_ind = 1;
    for (int64_t a = 0; a < c->n_accounts; a++)
        listed[a] = iffnet_indicators_country_roles(&ind, iffnet_case_account_country(c, a)) != 0;
    if ((err = iffnet_i_rf_adj_build_some(&in, c, 0, keep)) || (err = iffnet_i_rf_adj_build_some(&outa, c, 1, keep)))
        goto out;
    if ((err = lookup_build(c, &p, &lk)) || (err = acc_lists(&env, &lk, &in, &outa, keep, &tested, &dep, &wires)))
        goto out;
    n_acc = tested.n;
    if (n_acc == 0) goto out;
    accs = calloc((size_t)n_acc, sizeof *accs);
    best = calloc((size_t)n_acc, sizeof *best);
    if (!accs || !best) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    for (int64_t i = 0; i < n_acc; i++) best[i].e = INFINITY;
    double period = (double)iffnet_i_rf_period(c);
    for (int w = 0; w < p.n_windows && !p.cut; w++) {
        for (int64_t i = 0; i < n_acc; i++) {
            iffnet_i_vec_t dv = csr_view(&dep, i), wv = csr_view(&wires, i);
            if ((err = acc_build(c, tested.v[i], &dv, &wv, &in, listed, p.windows[w], p.min_share, &accs[i]))) goto out;
        }
        if ((err = reach_build(accs, n_acc, &reach))) goto out;
        for (int64_t i = 0; i < n_acc && !p.cut; i++) {
            if ((err = acc_best(c, &p, &reach, &accs[i], p.windows[w], p.n_windows, period, &best[i]))) goto out;
            if (p.steps > p.max_steps) p.cut = 1;
        }
        reach_free(&reach);
        for (int64_t i = 0; i < n_acc; i++) acc_free(&accs[i]);
    }
    if (p.cut && ctx->note)
        ctx->note(ctx->note_arg, "cash_to_wire: chance estimates stopped after %lld steps (cash_to_wire.max_steps); "
                  "accounts after that were not tested", (long long)p.max_steps);
    /* Wires to a beneficiary the account has paid over most of the case are
     * its standing business: E at least the number of accounts that do so. */
    int64_t n_standing = 0;
    for (int64_t i = 0; i < n_acc; i++) {
        cw_best_t *b = &best[i];
        if (!b->wires.n) continue;
        b->standing = iffnet_i_rf_standing(b->since, b->until, (iffnet_time_t)period);
        n_standing += b->standing;
    }
    /* Accounts of the default list whose cash went on to one beneficiary are
     * one alert (a collection account); the others one each. */
    cw_ord_t *ord = malloc((size_t)(n_acc + 1) * sizeof *ord);
    if (!ord || !(order = malloc((size_t)(n_acc + 1) * sizeof *order))) {
        free(ord);
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    int64_t n_ord = 0;
    for (int64_t i = 0; i < n_acc; i++) {
        cw_best_t *b = &best[i];
        double e_chance = b->e;
        if (b->standing) b->e = fmax(b->e, (double)n_standing);
        if (b->wires.n && iffnet_i_rf_written(b->e, e_chance, (double)n_acc, p.max_expected))
            ord[n_ord++] = (cw_ord_t){ b->e < 1.0, b->beneficiary, b->e, i };
    }
    iffnet_i_sort(ord, (size_t)n_ord, sizeof *ord, cmp_ord);
    for (int64_t i = 0; i < n_ord; i++) order[i] = ord[i].i;
    for (int64_t i = 0, j; i < n_ord && !err; i = j) {
        for (j = i + 1; j < n_ord && ord[i].listed && ord[j].listed && ord[j].beneficiary == ord[i].beneficiary; j++) {}
        err = cw_emit(&env, &p, &tested, &dep, best, order + i, j - i, n_standing, out);
    }
    free(ord);
    if (err) goto out;
out:
    free(order);
    reach_free(&reach);
    for (int64_t i = 0; accs && i < n_acc; i++) acc_free(&accs[i]);
    for (int64_t i = 0; best && i < n_acc; i++) iffnet_i_vec_free(&best[i].wires);
    free(accs);
    free(best);
    free(keep);
    free(listed);
    free(p.channels);
    if (have_ind) iffnet_indicators_destroy(&ind);
    iffnet_i_rf_adj_destroy(&in);
    iffnet_i_rf_adj_destroy(&outa);
    csr_free(&dep);
    csr_free(&wires);
    lookup_free(&lk);
    iffnet_i_vec_free(&tested);
    return err;
}
