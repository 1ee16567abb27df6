/* detect_fan.c: fan_in and fan_out, judged against the case and the account's
 * own history.
 *
 * A fan is a run of payments between one account and many counterparties that
 * have no standing relationship with it (the pair transacts at most
 * `max_pair_tx` times in the whole case: recurring counterparties such as a
 * payroll's employees, a landlord or a supplier are routine and never count).
 * Runs are found at every time scale: the account's once-only payments are cut
 * wherever two follow each other more than g apart, for g = 1 hour, 2 hours, 4
 * hours ... up to the case's span, so a burst within a day and a fan whose
 * payments are weeks apart are both runs; of overlapping runs the least
 * probable one is kept.
 *
 * Durations are measured on the case's clock (iffnet_i_clock(): an hour of
 * the week lasts as long as the case is busy in it), so that chance's events
 * come at an even rate: a run within one office afternoon is not priced as if
 * the night were as busy, and in a case dated by day alone a run on one day
 * lasts a day.
 *
 * E, the number of runs like it that chance or routine explain, is the larger of
 *  - the chance model: a run of n counterparties within d days priced by a scan
 *    statistic (Alm's approximation, detect_internal.h) at the case's rate of
 *    once-only payments per active account and day of the case's period,
 *    summed over every active account: runs that tight chance alone would give
 *    the case;
 *  - the account's own routine: where its life outside the run is at least as
 *    long as the run and holds at least a fan's worth of new counterparties
 *    (min_counterparties: a routine repeats), the same scan statistic at its
 *    own rate over its whole life (its payments spread evenly over it: the
 *    rate outside the run alone would be low for every account by the choice
 *    of the run) and its own dispersion at the run's scale (variance over mean
 *    of its counts per bin outside the run's bins: seasons, office hours;
 *    quasi-Poisson; the run itself is no measure of its chance), over the
 *    accounts whose own rate is that high (a shop's busy days, a charity's
 *    campaign weeks);
 *  - where the run is more than half of the account's life (no comparable
 *    period outside), the other accounts of the case whose new counterparties
 *    are a steady stream (is_stream()) at least as busy as the run: look-alikes
 *    whose routine is what this run is (shops' steady new customers); for an
 *    account whose whole stream this is, the account itself (its routine),
 *    unless the stream keeps a schedule (regular(): customers come at random,
 *    new counterparties on a clock are organised); and
 *    for a stream account with a routine outside the run, the scan statistic
 *    at its own rate as above; none (a case without streams): judged by chance.
 * Both are multiplied by the run's alternatives: the account's candidate runs,
 * at every scale, that share payments with it (the run is the least probable
 * of them; runs identical at several scales count once).
 * Of an account's runs, the i-th least probable has i others at least as
 * extreme in the account's own history: its E is at least i (one burst stands
 * out; a series of them is the account's routine).
 * A run that chance alone would explain (E of the chance model >= chance_alerts)
 * is no alert; one that only the account's routine or look-alikes explain is
 * ranked low, with the reason.
 * A fan needs at least `min_counterparties` (3: a many-to-one is more than a
 * pair of payments; AMLworld plants fans of three); the two models, not the
 * count, separate a fan from ordinary traffic.
 */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include "detect_internal.h"

/* Parts of an account's life over which its own rate's variation is measured. */
#define FAN_BINS 8

typedef struct {
    int64_t min_cp, max_pair_tx;
    double chance;                /* chance model: alerts it may explain in the whole case */
} fan_params_t;

/* One candidate run: events lo..hi-1 of the account's list. */
typedef struct {
    int64_t lo, hi;
    double phi;                   /* the account's dispersion at the run's scale */
    double e, e_case, e_own;
    double rate_own;              /* the account's own rate over its life, per day */
    int64_t before;               /* runs of the same account at least as extreme */
    double cv;                    /* how much that rate varies over the account's life */
    int64_t lookalikes;           /* streams of other accounts at least as busy */
    int scale;                    /* the scale it was found at (0: one hour, doubling) */
    double alternatives;          /* candidate runs of the account overlapping it (itself included) */
} run_t;

typedef struct {
    const iffnet_detect_ctx_t *ctx;
    const iffnet_i_txindex_t *x;
    int in;                       /* 1: fan_in (counterparty = payer), 0: fan_out */
    const char *prefix;
    fan_params_t p;
    iffnet_i_lives_t lives;
    double rate;                  /* case rate of once-only payments per account-day (this side) */
    double span;                  /* the case's span, days */
    double *own_rates, *own_coarse;   /* every active account's own rate, sorted; coarse_of() it */
    int64_t n_own;
    double *stream_rates, *stream_coarse; /* rates of the accounts whose new counterparties are a stream, sorted; coarse_of() */
    int64_t n_stream;
    char *stream;                 /* per account: 1 when a stream */
    iffnet_i_vec_t list, acc, tx;
    int64_t *bix, *bid, cap_b, nbins, nbid;   /* bin_events() */
    double *s1, *s2;
    double *ck;                   /* the clock time of each event of list (clock_events()) */
    iffnet_time_t *lt;            /* the time of each event of list (collect()) */
    int64_t cap_lt;
    double among;                 /* accounts whose own rate is at least the account's */
    int64_t *among_of;            /* the same for every account (rates()) */
    int64_t cap_ck;
    run_t *runs;
    int64_t n_runs, cap_runs;
    char *taken;                  /* per event of list: in a selected run */
    int64_t cap_taken;
    /* the account being priced: its life in FAN_BINS equal parts */
    iffnet_time_t t0, t1;
    int64_t bin_start[FAN_BINS + 1];  /* first event of each part */
} fan_t;

static int fan_params(const iffnet_detect_ctx_t *ctx, const char *pre, fan_params_t *p)
{
    IFFNET_TRY(iffnet_i_det_int(ctx, pre, "min_counterparties", 3, 2, 1000000,
        "default: a many-to-one is more than a pair of payments", &p->min_cp));
    IFFNET_TRY(iffnet_i_det_int(ctx, pre, "max_pair_tx", 1, 1, 1000000,
        "default: a counterparty paid more than once has a standing relationship", &p->max_pair_tx));
    IFFNET_TRY(iffnet_i_det_double(ctx, pre, "chance_alerts", 1.0, 0.0, 1e9,
        "default: E < 1 (the listing convention)", &p->chance));
    return IFFNET_OK;
}

static int64_t tx_cp(const fan_t *f, int64_t t)
{
    return f->in ? f->x->c->tx_src[t] : f->x->c->tx_dst[t];
}

/* f->list: the once-only payments of v on this side, in time order. */
static int collect(fan_t *f, int64_t v)
{
    const iffnet_i_txindex_t *x = f->x;
    const int64_t *off = f->in ? x->in_off : x->out_off, *lst = f->in ? x->in_tx : x->out_tx;
    /* the index's copies along the lists (payer or payee, pair count): one
     * pass without a cache miss per payment */
    const int32_t *cps = f->in ? x->in_s : x->out_d, *pn = f->in ? x->in_p : x->out_p;
    const iffnet_time_t *tk = f->in ? x->in_t : x->out_t;
    iffnet_i_vec_clear(&f->list);
    for (int64_t k = off[v]; k < off[v + 1]; k++) {
        int64_t cp = cps[k];
        if (cp != v && pn[k] <= f->p.max_pair_tx && !iffnet_i_same_group(x, v, cp)) {
            if (f->list.n >= f->cap_lt) IFFNET_TRY(iffnet_i_reserve((void **)&f->lt, &f->cap_lt, f->list.n + 1, sizeof *f->lt));
            f->lt[f->list.n] = tk[k];
            IFFNET_TRY(iffnet_i_vec_push(&f->list, lst[k]));
        }
    }
    return IFFNET_OK;
}

/* Duration of events lo..hi-1 in days (an hour at least: the resolution). */
static double run_days(const fan_t *f, int64_t lo, int64_t hi)
{
    /* as iffnet_i_clock_days(): an hour of the case's resolution past the last */
    return (iffnet_i_clock(f->x, f->lt[hi - 1] + 3600) - f->ck[lo]) / 86400.0;
}

/* f->ck: the clock time of each event of f->list. O(events). */
static int clock_events(fan_t *f)
{
    if (f->list.n > f->cap_ck) IFFNET_TRY(iffnet_i_reserve((void **)&f->ck, &f->cap_ck, f->list.n, sizeof *f->ck));
    for (int64_t k = 0; k < f->list.n; k++) f->ck[k] = iffnet_i_clock(f->x, f->lt[k]);
    return IFFNET_OK;
}

/* The account's events in bins of g on the case's clock over its life t0..t1
 * (f->nbins bins; f->bid[j] the j-th non-empty one, f->s1 and f->s2 running
 * sums of the counts and their squares over them, f->bix[k] the non-empty bin
 * of event k), for dispersion(). O(events). */
static int bin_events(fan_t *f, int64_t g, iffnet_time_t t0, iffnet_time_t t1)
{
    double c0 = iffnet_i_clock(f->x, t0);
    int64_t n = f->list.n;
    if (n + 1 > f->cap_b) {
        IFFNET_TRY(iffnet_i_reserve((void **)&f->bix, &f->cap_b, n + 1, sizeof *f->bix));
        int64_t cap = 0;
        IFFNET_TRY(iffnet_i_reserve((void **)&f->bid, &cap, f->cap_b, sizeof *f->bid));
        cap = 0;
        IFFNET_TRY(iffnet_i_reserve((void **)&f->s1, &cap, f->cap_b + 1, sizeof *f->s1));
        cap = 0;
        IFFNET_TRY(iffnet_i_reserve((void **)&f->s2, &cap, f->cap_b + 1, sizeof *f->s2));
    }
    f->nbins = (int64_t)((iffnet_i_clock(f->x, t1) - c0) / (double)g) + 1;
    int64_t nb = 0;
    double cur = 0;
    f->s1[0] = 0; f->s2[0] = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t b = (int64_t)((f->ck[k] - c0) / (double)g);
        if (nb == 0 || b != f->bid[nb - 1]) {
            if (nb > 0) { f->s1[nb] = f->s1[nb - 1] + cur; f->s2[nb] = f->s2[nb - 1] + cur * cur; }
            f->bid[nb++] = b;
            cur = 0;
        }
        cur += 1;
        f->bix[k] = nb - 1;
    }
    if (nb > 0) { f->s1[nb] = f->s1[nb - 1] + cur; f->s2[nb] = f->s2[nb - 1] + cur * cur; }
    f->nbid = nb;
    return IFFNET_OK;
}

/* The account's dispersion at the scale of bin_events(): variance over mean of
 * its counts per bin (a shop's seasons, office hours) outside the bins of
 * events lo..hi-1 (the run being tested is no measure of its own chance), at
 * least 1 (plain Poisson); 1 with fewer than three bins outside. O(1). */
static double dispersion(const fan_t *f, int64_t lo, int64_t hi)
{
    if (f->list.n == 0) return 1.0;
    int64_t j0 = f->bix[lo], j1 = f->bix[hi - 1];
    double nb = (double)(f->nbins - (f->bid[j1] - f->bid[j0] + 1));
    double sum = f->s1[f->nbid] - (f->s1[j1 + 1] - f->s1[j0]);
    double sq = f->s2[f->nbid] - (f->s2[j1 + 1] - f->s2[j0]);
    if (nb < 3 || sum <= 0) return 1.0;
    double mean = sum / nb, var = sq / nb - mean * mean;
    return var > mean ? var / mean : 1.0;
}

/* Distinct counterparties of events lo..hi-1 (each once-only pair is one; a
 * counterparty of several once-only pairs cannot occur, but max_pair_tx > 1 can
 * repeat one). */
static int64_t counterparties(fan_t *f, int64_t lo, int64_t hi)
{
    int64_t n = 0;
    if (f->p.max_pair_tx == 1) return hi - lo;
    iffnet_i_vec_clear(&f->acc);
    for (int64_t k = lo; k < hi; k++)
        if (iffnet_i_vec_push(&f->acc, tx_cp(f, f->list.v[k]))) return hi - lo;
    qsort(f->acc.v, (size_t)f->acc.n, sizeof *f->acc.v, iffnet_i_cmp_i64);
    for (int64_t i = 0; i < f->acc.n; i++) n += i == 0 || f->acc.v[i] != f->acc.v[i - 1];
    return n;
}

/* 1 when the account's new counterparties on this side (f->list) are a steady
 * stream over its life (iffnet_i_is_stream()). */
static int is_stream(fan_t *f, double life, iffnet_time_t t0, iffnet_time_t t1)
{
    (void)life;
    return iffnet_i_is_stream(f->x->c, f->list.v, f->list.n, t0, t1, f->span);
}

/* Every COARSE-th entry of a sorted array, searched first: a search of a
 * million rates then misses the cache twice, not twenty times. */
#define COARSE 64

static double *coarse_of(const double *v, int64_t n)
{
    double *c = malloc((size_t)(n / COARSE + 1) * sizeof *c);
    if (c) for (int64_t i = 0; i * COARSE < n; i++) c[i] = v[i * COARSE];
    return c;
}

/* Entries of sorted v[0..n) at least r (c: coarse_of(v, n)). */
static int64_t at_least(const double *v, const double *c, int64_t n, double r)
{
    int64_t lo = 0, hi = (n + COARSE - 1) / COARSE;
    /* the first block whose first entry is at least r, then the one before it */
    while (lo < hi) { int64_t m = lo + (hi - lo) / 2; if (c[m] < r) lo = m + 1; else hi = m; }
    int64_t a = lo > 0 ? (lo - 1) * COARSE : 0, b = lo * COARSE < n ? lo * COARSE : n;
    while (a < b) { int64_t m = a + (b - a) / 2; if (v[m] < r) a = m + 1; else b = m; }
    return n - a;
}

/* The case's rate (once-only payments on this side per active account and day
 * of the case's period) and the accounts whose new counterparties are a stream,
 * with their rates. */
typedef struct { double rate; int64_t v; } rate_of_t;

static int cmp_rate_of(const void *pa, const void *pb)
{
    const rate_of_t *a = pa, *b = pb;
    if (a->rate != b->rate) return a->rate < b->rate ? -1 : 1;
    return (a->v > b->v) - (a->v < b->v);
}

static int rates(fan_t *f)
{
    const iffnet_i_txindex_t *x = f->x;
    double events = 0;
    size_t na = (size_t)x->n_acc + 1;
    f->own_rates = malloc(na * sizeof *f->own_rates);
    f->stream_rates = malloc(na * sizeof *f->stream_rates);
    f->stream = calloc(na, 1);
    if (!f->own_rates || !f->stream_rates || !f->stream) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in %s", f->prefix);
    rate_of_t *rv = malloc(na * sizeof *rv);
    f->among_of = calloc(na, sizeof *f->among_of);
    if (!rv || !f->among_of) { free(rv); return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in %s", f->prefix); }
    for (int64_t v = 0; v < x->n_acc; v++) {
        iffnet_time_t t0, t1;
        double life = iffnet_i_life(x, v, &t0, &t1);
        if (life <= 0) continue;
        int err = collect(f, v);
        if (err) { free(rv); return err; }
        events += (double)f->list.n;
        rv[f->n_own] = (rate_of_t){ (double)f->list.n / life, v };
        f->own_rates[f->n_own++] = (double)f->list.n / life;
        if (f->list.n >= f->p.min_cp && is_stream(f, life, t0, t1)) {
            f->stream[v] = 1;
            f->stream_rates[f->n_stream++] = (double)f->list.n / life;
        }
    }
    qsort(f->own_rates, (size_t)f->n_own, sizeof *f->own_rates, iffnet_i_cmp_double);
    /* each account's count of accounts at least as busy (its tie group and
     * above): one sort instead of a search per account */
    if (f->n_own > 1) qsort(rv, (size_t)f->n_own, sizeof *rv, cmp_rate_of);
    for (int64_t i = 0, first = 0; i < f->n_own; i++) {
        if (i > 0 && rv[i].rate != rv[i - 1].rate) first = i;
        f->among_of[rv[i].v] = f->n_own - first;
    }
    free(rv);
    qsort(f->stream_rates, (size_t)f->n_stream, sizeof *f->stream_rates, iffnet_i_cmp_double);
    f->own_coarse = coarse_of(f->own_rates, f->n_own);
    f->stream_coarse = coarse_of(f->stream_rates, f->n_stream);
    if (!f->own_coarse || !f->stream_coarse) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory in %s", f->prefix);
    f->rate = f->lives.n > 0 ? events / ((double)f->lives.n * (f->span + 1.0)) : 0;
    return IFFNET_OK;
}

/* The account's life cut into FAN_BINS equal parts: the first event of each. */
static void life_parts(fan_t *f, iffnet_time_t t0, iffnet_time_t t1)
{
    f->t0 = t0; f->t1 = t1;
    for (int b = 0, k = 0; b <= FAN_BINS; b++) {
        iffnet_time_t edge = t0 + (iffnet_time_t)((double)(t1 - t0 + 1) * b / FAN_BINS);
        while (k < f->list.n && f->lt[k] < edge) k++;
        f->bin_start[b] = b == FAN_BINS ? f->list.n : k;
    }
}

/* The squared coefficient of variation of the account's own rate over the
 * parts of its life the run does not touch: (variance - mean) / mean^2 of
 * their counts (the part of the variance chance does not explain), 0 with
 * fewer than three such parts, no events in them, or counts that vary no more
 * than chance's. */
static double rate_cv2(const fan_t *f, const run_t *r)
{
    double sum = 0, sq = 0;
    int parts = 0;
    for (int b = 0; b < FAN_BINS; b++) {
        int64_t lo = f->bin_start[b], hi = f->bin_start[b + 1];
        if (hi > r->lo && lo < r->hi) continue; /* touched by the run */
        double c = (double)(hi - lo);
        sum += c; sq += c * c; parts++;
    }
    if (parts < 3 || sum <= 0) return 0.0;
    double mean = sum / parts, var = sq / parts - mean * mean;
    /* only where the counts vary more than chance's (index of dispersion,
     * chi-square with parts - 1 degrees of freedom, 5%): a few payments per
     * part vary by chance alone */
    if (gsl_cdf_chisq_Q(var * parts / mean, (double)(parts - 1)) >= 0.05) return 0.0;
    return var > mean ? (var - mean) / (mean * mean) : 0.0;
}

/* 1 when the account's new counterparties come on a schedule, not at random:
 * their counts over eight equal parts of their own span vary less than
 * chance's (index of dispersion, lower chi-square tail with 7 degrees of
 * freedom, 5%): customers arrive at random, a series of new counterparties
 * paid or paying on a clock is organised. O(events). */
static int regular(const fan_t *f)
{
    int64_t n = f->list.n;
    if (n < 2) return 0;
    double c0 = f->ck[0], c1 = f->ck[n - 1] + 1.0;
    double cnt[FAN_BINS] = { 0 };
    for (int64_t k = 0; k < n; k++) {
        int b = (int)((f->ck[k] - c0) / (c1 - c0) * FAN_BINS);
        cnt[b < 0 ? 0 : b >= FAN_BINS ? FAN_BINS - 1 : b] += 1;
    }
    double sq = 0, mean = (double)n / FAN_BINS;
    for (int b = 0; b < FAN_BINS; b++) sq += cnt[b] * cnt[b];
    double var = sq / FAN_BINS - mean * mean;
    return gsl_cdf_chisq_P(var * FAN_BINS / mean, (double)(FAN_BINS - 1)) < 0.05;
}

/* Prices run r of account v (life `life` days). */
static void price(fan_t *f, int64_t v, run_t *r, double life)
{
    int64_t n = counterparties(f, r->lo, r->hi), n_out = f->list.n - (r->hi - r->lo);
    double d = run_days(f, r->lo, r->hi), out_days = fmax(0.0, life - d);
    r->e_case = iffnet_i_scan_case(&f->lives, f->rate, n, d);
    r->e_own = 0;
    r->rate_own = 0;
    r->cv = 0;
    r->lookalikes = 0;
    if (out_days >= d) {
        /* a routine repeats: the outside holds at least a fan's worth of new
         * counterparties; priced at the account's own rate over its life and
         * its dispersion, over the accounts with a routine that busy */
        if (n_out >= f->p.min_cp) {
            r->rate_own = (double)f->list.n / life;
            r->cv = sqrt(rate_cv2(f, r));
            double among = f->among;
            r->e_own = fmax(1.0, among) * iffnet_i_scan_nb(r->rate_own, n, d, life, r->phi, r->cv * r->cv);
        }
    } else {
        /* the run is most of the account's life: look-alikes, the other
         * streams at least as busy; the whole stream of a stream account is
         * one of them itself (its routine: expected at least once) */
        double pace = (double)n / d;
        int whole = f->stream[v] && r->lo == 0 && r->hi == f->list.n;
        r->lookalikes = at_least(f->stream_rates, f->stream_coarse, f->n_stream, pace) - (f->stream[v] && (double)f->list.n / life >= pace);
        r->e_own = (double)r->lookalikes + (whole && !regular(f) ? 1.0 : 0.0);
        if (f->stream[v] && n_out >= f->p.min_cp) {
            /* a stream account with a routine outside the run: the run is
             * part of its stream */
            r->rate_own = (double)f->list.n / life;
            double among = f->among;
            double e = fmax(1.0, among) * iffnet_i_scan_nb(r->rate_own, n, d, life, r->phi, 0);
            if (e > r->e_own) r->e_own = e;
        }
    }
    r->e_case *= r->alternatives;
    r->e_own *= r->alternatives;
    r->e = fmax(r->e_case, r->e_own);
}

static int cmp_run(const void *pa, const void *pb)
{
    const run_t *a = pa, *b = pb;
    if (a->e != b->e) return a->e < b->e ? -1 : 1;
    if (a->lo != b->lo) return a->lo < b->lo ? -1 : 1;
    return (a->hi > b->hi) - (a->hi < b->hi);
}

/* Money moved the other way round the fan within `window` (onward after the
 * last payment of a fan_in, feeding before the first of a fan_out), and the
 * accounts it moved with. O(degree of v). */
static int other_side(fan_t *f, int64_t v, iffnet_time_t a, iffnet_time_t b, iffnet_money_t *sum, int64_t *n_cp)
{
    const iffnet_i_txindex_t *x = f->x;
    const int64_t *off = f->in ? x->out_off : x->in_off, *lst = f->in ? x->out_tx : x->in_tx;
    *sum = 0; *n_cp = 0;
    iffnet_i_vec_clear(&f->acc); /* scratch: the alert holds its own copy */
    for (int64_t k = off[v]; k < off[v + 1]; k++) {
        int64_t t = lst[k], cp = f->in ? x->c->tx_dst[t] : x->c->tx_src[t];
        if (x->c->tx_time[t] < a || x->c->tx_time[t] > b || cp == v) continue;
        *sum += x->val[t];
        IFFNET_TRY(iffnet_i_vec_push(&f->acc, cp));
    }
    if (f->acc.n > 1) qsort(f->acc.v, (size_t)f->acc.n, sizeof *f->acc.v, iffnet_i_cmp_i64);
    for (int64_t i = 0; i < f->acc.n; i++) *n_cp += i == 0 || f->acc.v[i] != f->acc.v[i - 1];
    return IFFNET_OK;
}

static int emit(fan_t *f, int64_t v, const run_t *r, iffnet_alert_list_t *out)
{
    const iffnet_i_txindex_t *x = f->x;
    const iffnet_detect_ctx_t *ctx = f->ctx;
    iffnet_money_t sum = 0;
    iffnet_alert_t *a;
    char m1[96];
    int64_t n_cp = counterparties(f, r->lo, r->hi);
    iffnet_i_vec_clear(&f->acc); iffnet_i_vec_clear(&f->tx);
    IFFNET_TRY(iffnet_i_vec_push(&f->acc, v));
    for (int64_t k = r->lo; k < r->hi; k++) {
        IFFNET_TRY(iffnet_i_vec_push(&f->tx, f->list.v[k]));
        IFFNET_TRY(iffnet_i_vec_push(&f->acc, tx_cp(f, f->list.v[k])));
        sum += x->val[f->list.v[k]];
    }
    iffnet_time_t first = f->lt[r->lo], last = f->lt[r->hi - 1];
    IFFNET_TRY(iffnet_i_alert(out, f->in ? IFFNET_TYP_FAN_IN : IFFNET_TYP_FAN_OUT, 1.0 / (1.0 + r->e), &f->acc, &f->tx, &a));
    a->expected = r->e;
    a->moved = sum;
    const char *id = iffnet_case_account_id(x->c, v);
    int64_t days = iffnet_i_days(first, last);
    const char *who = f->in ? "payers" : "payees";
    if (f->in)
        IFFNET_TRY(iffnet_alert_add_reason(a, "%lld senders paid %s into %s within %lld day%s",
            (long long)n_cp, iffnet_i_money(ctx, m1, sizeof m1, sum), id, (long long)days, days == 1 ? "" : "s"));
    else
        IFFNET_TRY(iffnet_alert_add_reason(a, "%s paid %s to %lld receivers within %lld day%s",
            id, iffnet_i_money(ctx, m1, sizeof m1, sum), (long long)n_cp, (long long)days, days == 1 ? "" : "s"));
    IFFNET_TRY(iffnet_alert_add_reason(a, "no %s has a standing relationship with %s: each pair transacts at most %lld time%s in the case",
        f->in ? "sender" : "receiver", id, (long long)f->p.max_pair_tx, f->p.max_pair_tx == 1 ? "" : "s"));
    IFFNET_TRY(iffnet_alert_add_reason(a, "at the case's rate of new %s (%.3g per account and 30 days) chance would give about %.2g runs this tight in the whole case",
        who, 30.0 * f->rate, r->e_case));
    iffnet_money_t other;
    int64_t n_other;
    int64_t w = f->ctx->window;
    if (f->in) IFFNET_TRY(other_side(f, v, first, last + w, &other, &n_other));
    else IFFNET_TRY(other_side(f, v, first - w, last, &other, &n_other));
    if (n_other > 0) {
        char m2[96];
        if (f->in)
            IFFNET_TRY(iffnet_alert_add_reason(a, "%s sent %s on to %lld accounts within %lld days of the last payment",
                id, iffnet_i_money(ctx, m2, sizeof m2, other), (long long)n_other, (long long)(w / 86400)));
        else
            IFFNET_TRY(iffnet_alert_add_reason(a, "%s had received %s from %lld accounts in the %lld days before",
                id, iffnet_i_money(ctx, m2, sizeof m2, other), (long long)n_other, (long long)(w / 86400)));
    }
    if (r->before > 0 && r->e <= (double)r->before)
        IFFNET_TRY(iffnet_alert_add_reason(a, "ranked low: %s had %lld other run%s of new %s at least as extreme: a series is its routine",
            id, (long long)r->before, r->before == 1 ? "" : "s", who));
    else if (r->rate_own > 0)
        IFFNET_TRY(iffnet_alert_add_reason(a, "%s%s's own rate of new %s over its life (%.3g per 30 days, varying by %.0f%% over its life; counts %.2g times as variable as chance's at this scale) would give about %.2g runs like it",
            r->e_own >= 1 ? "ranked low: " : "", id, who, 30.0 * r->rate_own, 100.0 * r->cv, r->phi, r->e_own));
    else if (r->e_own >= 1)
        IFFNET_TRY(iffnet_alert_add_reason(a, "ranked low: a steady stream of new %s over %s's whole life%s; %lld other account%s of the case ha%s one at least this busy: a routine, not a burst",
            who, id, r->lo == 0 && r->hi == f->list.n ? ", its routine" : "", (long long)r->lookalikes, r->lookalikes == 1 ? "" : "s", r->lookalikes == 1 ? "s" : "ve"));
    return IFFNET_OK;
}

/* Candidate runs of the account's list at every scale: cut where two events
 * are more than g apart, g doubling from an hour to the case's span. A run
 * whose widest gap is at most g / 2 was a run at the scale below already. */
static int candidates(fan_t *f, iffnet_time_t t0, iffnet_time_t t1)
{
    f->n_runs = 0;
    int scale = 0;
    for (int64_t g = 3600; ; g *= 2, scale++) {
        int64_t n_here = 0;
        IFFNET_TRY(bin_events(f, g, t0, t1));
        for (int64_t lo = 0, hi; lo < f->list.n; lo = hi) {
            iffnet_time_t widest = 0;
            for (hi = lo + 1; hi < f->list.n && f->lt[hi] - f->lt[hi - 1] <= g; hi++)
                if (f->lt[hi] - f->lt[hi - 1] > widest) widest = f->lt[hi] - f->lt[hi - 1];
            n_here++;
            if (hi - lo < f->p.min_cp || (g > 3600 && 2 * widest <= g)) continue;
            if (f->n_runs == f->cap_runs)
                IFFNET_TRY(iffnet_i_reserve((void **)&f->runs, &f->cap_runs, f->n_runs + 1, sizeof *f->runs));
            f->runs[f->n_runs++] = (run_t){ lo, hi, dispersion(f, lo, hi), 0, 0, 0, 0, 0, 0, 0, scale, 1 };
        }
        if (n_here == 1 || (double)g > 86400.0 * (f->span + 1)) break;
    }
    return IFFNET_OK;
}

/* Each candidate's alternatives: the candidates of the account, at every
 * scale, that share events with it (itself included). A run is the least
 * probable of these: its E is multiplied by their number (Bonferroni over the
 * scales whose runs differ; identical runs of several scales count once). The
 * candidates of one scale are in time order and disjoint: a binary search per
 * scale. O(runs x scales x log runs). */
static void alternatives(fan_t *f)
{
    int64_t start[65], n_sc = 0;
    for (int64_t i = 0; i < f->n_runs; i++)
        if (i == 0 || f->runs[i].scale != f->runs[i - 1].scale) { if (n_sc < 64) start[n_sc++] = i; }
    start[n_sc] = f->n_runs;
    for (int64_t i = 0; i < f->n_runs; i++) {
        run_t *r = &f->runs[i];
        double m = 0;
        for (int64_t s = 0; s < n_sc; s++) {
            /* first candidate of scale s ending after r starts */
            int64_t lo = start[s], hi = start[s + 1];
            while (lo < hi) { int64_t md = lo + (hi - lo) / 2; if (f->runs[md].hi <= r->lo) lo = md + 1; else hi = md; }
            for (int64_t k = lo; k < start[s + 1] && f->runs[k].lo < r->hi; k++) m += 1;
        }
        r->alternatives = m > 1 ? m : 1;
    }
}

static int fan_account(fan_t *f, int64_t v, iffnet_alert_list_t *out)
{
    const iffnet_i_txindex_t *x = f->x;
    IFFNET_TRY(collect(f, v));
    if (f->list.n < f->p.min_cp) return IFFNET_OK;
    iffnet_time_t t0, t1;
    double life = iffnet_i_life(x, v, &t0, &t1);
    IFFNET_TRY(clock_events(f));
    f->among = (double)f->among_of[v];
    IFFNET_TRY(candidates(f, t0, t1));
    life_parts(f, t0, t1);
    alternatives(f);
    for (int64_t i = 0; i < f->n_runs; i++) price(f, v, &f->runs[i], life);
    qsort(f->runs, (size_t)f->n_runs, sizeof *f->runs, cmp_run);
    if (f->list.n > f->cap_taken) IFFNET_TRY(iffnet_i_reserve((void **)&f->taken, &f->cap_taken, f->list.n, 1));
    memset(f->taken, 0, (size_t)f->list.n);
    /* the least probable runs first, each event in one alert at most; the
     * account's i-th run has i others at least as extreme in its own history:
     * E is at least i (one burst stands out, a series of them is a routine) */
    int64_t picked = 0;
    for (int64_t i = 0; i < f->n_runs; i++) {
        run_t *r = &f->runs[i];
        if (r->e_case >= f->p.chance) continue; /* chance explains it: no alert */
        int free_run = 1;
        for (int64_t k = r->lo; k < r->hi && free_run; k++) free_run = !f->taken[k];
        if (!free_run) continue;
        memset(f->taken + r->lo, 1, (size_t)(r->hi - r->lo));
        r->before = picked;
        if ((double)picked > r->e) r->e = (double)picked;
        picked++;
        IFFNET_TRY(emit(f, v, r, out));
    }
    return IFFNET_OK;
}

static int run_fan(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out, int in)
{
    fan_t f;
    iffnet_i_txindex_t x;
    int err;
    memset(&f, 0, sizeof f);
    f.ctx = ctx; f.in = in; f.prefix = in ? "fan_in" : "fan_out"; f.x = &x;
    IFFNET_TRY(fan_params(ctx, f.prefix, &f.p));
    IFFNET_TRY(iffnet_i_txindex_build(ctx->c, &x));
    if ((err = iffnet_i_lives_build(&x, &f.lives))) goto out;
    f.span = x.n_tx > 0 ? fmax(1.0, (double)(ctx->c->tx_time[x.n_tx - 1] - ctx->c->tx_time[0]) / 86400.0) : 1.0;
    if ((err = rates(&f))) goto out;
    for (int64_t v = 0; v < x.n_acc && !err; v++) err = fan_account(&f, v, out);
out:
    free(f.own_rates); free(f.stream_rates); free(f.among_of); free(f.own_coarse); free(f.stream_coarse); free(f.stream); free(f.runs); free(f.taken);
    iffnet_i_lives_free(&f.lives);
    iffnet_i_vec_free(&f.list); iffnet_i_vec_free(&f.acc); iffnet_i_vec_free(&f.tx);
    free(f.bix); free(f.bid); free(f.s1); free(f.s2); free(f.ck); free(f.lt);
    iffnet_i_txindex_destroy(&x);
    return err;
}

int iffnet_i_detect_fan_in(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    return run_fan(ctx, out, 1);
}

int iffnet_i_detect_fan_out(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    return run_fan(ctx, out, 0);
}

