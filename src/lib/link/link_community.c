/* link_community.c: community detection on a view (Leiden of link_leiden.c; igraph's Louvain, Infomap,
 * label propagation), stability across seeds, and per-community summaries. */
#include "link_internal.h"
#include "iffnet/link.h"

#define IFFNET_I_NAME(e, s) s,
static const char *const method_names[] = { IFFNET_COMMUNITY_METHODS(IFFNET_I_NAME) };
#undef IFFNET_I_NAME

int iffnet_community_parse(const char *s, iffnet_community_method_t *m)
{
    for (int i = 0; i < IFFNET_COMMUNITY_N; i++)
        if (strcmp(s, method_names[i]) == 0) {
            *m = (iffnet_community_method_t)i;
            return IFFNET_OK;
        }
    return iffnet_i_seterr(IFFNET_EINVAL, "unknown community method '%s'", s);
}

const char *iffnet_community_name(iffnet_community_method_t m)
{
    return m < IFFNET_COMMUNITY_N ? method_names[m] : "?";
}

void iffnet_community_opts_default(iffnet_community_opts_t *o)
{
    o->method = IFFNET_COMMUNITY_LEIDEN;
    o->resolution = 1.0;
    o->iterations = 2;
    o->trials = 1;
    o->seed = 1;
    o->runs = 1;
}

int iffnet_communities_init(iffnet_communities_t *r)
{
    memset(r, 0, sizeof *r);
    if (igraph_vector_int_init(&r->membership, 0))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    return IFFNET_OK;
}

void iffnet_communities_destroy(iffnet_communities_t *r)
{
    igraph_vector_int_destroy(&r->membership);
}

static int cmp_i64x3(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    for (int i = 0; i < 3; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

/* Renumbers communities by size descending, then smallest member, so output does
 * not depend on the labels an algorithm happened to pick. */
static int renumber(igraph_vector_int_t *mem, int64_t *n_comm)
{
    int64_t n = igraph_vector_int_size(mem), k = 0;
    int64_t *size = calloc((size_t)n + 1, sizeof *size), *first = malloc((size_t)(n + 1) * sizeof *first);
    int64_t *ids = malloc((size_t)(n + 1) * sizeof *ids), *map = malloc((size_t)(n + 1) * sizeof *map);
    int err = IFFNET_OK;

    if (!size || !first || !ids || !map) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t u = n - 1; u >= 0; u--) {
        int64_t c = VECTOR(*mem)[u];
        if (c < 0 || c >= n) {
            err = iffnet_i_seterr(IFFNET_EINTERNAL, "community label %lld out of range", (long long)c);
            goto out;
        }
        size[c]++;
        first[c] = u;
    }
    for (int64_t c = 0; c < n; c++)
        if (size[c])
            ids[k++] = c;
    int64_t (*key)[3] = malloc((size_t)(k ? k : 1) * sizeof *key);
    if (!key) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < k; i++) {
        key[i][0] = -size[ids[i]];
        key[i][1] = first[ids[i]];
        key[i][2] = ids[i];
    }
    qsort(key, (size_t)k, sizeof *key, cmp_i64x3);
    for (int64_t i = 0; i < k; i++)
        map[key[i][2]] = i;
    for (int64_t u = 0; u < n; u++)
        VECTOR(*mem)[u] = map[VECTOR(*mem)[u]];
    *n_comm = k;
    free(key);
out:
    free(size);
    free(first);
    free(ids);
    free(map);
    return err;
}

/* Leiden's refinement randomness, as igraph and python-igraph default to. */
#define LEIDEN_BETA 0.01

typedef struct {
    const iffnet_view_t *v;
    const iffnet_community_opts_t *o;
    iffnet_i_ugraph_t cg;    /* the undirected collapse */
    igraph_t ug;             /* the same for igraph's Louvain and label propagation */
    igraph_vector_t uw;
    int have_ug;
} cctx_t;

static int run_once(cctx_t *x, unsigned long seed, igraph_vector_int_t *mem, double *codelength)
{
    const iffnet_community_opts_t *o = x->o;

    igraph_rng_seed(igraph_rng_default(), seed);
    switch (o->method) {
    case IFFNET_COMMUNITY_LEIDEN:
        return iffnet_i_leiden(&x->cg, o->resolution, LEIDEN_BETA, o->iterations, seed, mem);
    case IFFNET_COMMUNITY_LOUVAIN:
        return iffnet_i_igraph_err(igraph_community_multilevel(&x->ug, &x->uw, o->resolution, mem,
                                                               NULL, NULL), "Louvain");
    case IFFNET_COMMUNITY_LABELPROP:
        return iffnet_i_igraph_err(igraph_community_label_propagation(&x->ug, mem, IGRAPH_ALL, &x->uw,
                                                                      NULL, NULL),
                                   "label propagation");
    case IFFNET_COMMUNITY_INFOMAP:
        return iffnet_i_igraph_err(igraph_community_infomap(&x->v->graph, &x->v->weight, NULL,
                                                            o->trials, mem, codelength), "Infomap");
    default:
        return iffnet_i_seterr(IFFNET_EINVAL, "unknown community method");
    }
}

static int stability(cctx_t *x, iffnet_communities_t *r)
{
    int64_t runs = x->o->runs, pairs = 0;
    igraph_vector_int_t *mem = calloc((size_t)runs, sizeof *mem);
    int err = IFFNET_OK;
    double cl;

    if (!mem)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    r->nmi_min = r->ari_min = 1;
    for (int64_t i = 0; i < runs && !err; i++) {
        if (igraph_vector_int_init(&mem[i], 0)) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            break;
        }
        if (i == 0)
            err = igraph_vector_int_update(&mem[0], &r->membership) ? IFFNET_ENOMEM : IFFNET_OK;
        else
            err = run_once(x, x->o->seed + (unsigned long)i, &mem[i], &cl);
    }
    for (int64_t i = 0; i < runs && !err; i++)
        for (int64_t j = i + 1; j < runs && !err; j++) {
            igraph_real_t nmi, ari;
            err = iffnet_i_igraph_err(igraph_compare_communities(&mem[i], &mem[j], &nmi, IGRAPH_COMMCMP_NMI),
                                      "comparing partitions");
            if (!err)
                err = iffnet_i_igraph_err(igraph_compare_communities(&mem[i], &mem[j], &ari,
                                                                     IGRAPH_COMMCMP_ADJUSTED_RAND),
                                          "comparing partitions");
            if (err)
                break;
            r->nmi_mean += nmi;
            r->ari_mean += ari;
            if (nmi < r->nmi_min) r->nmi_min = nmi;
            if (ari < r->ari_min) r->ari_min = ari;
            pairs++;
        }
    if (pairs) {
        r->nmi_mean /= (double)pairs;
        r->ari_mean /= (double)pairs;
    }
    for (int64_t i = 0; i < runs; i++)
        if (mem[i].stor_begin)
            igraph_vector_int_destroy(&mem[i]);
    free(mem);
    return err;
}

int iffnet_communities_detect(const iffnet_view_t *v, const iffnet_community_opts_t *o,
                              iffnet_communities_t *r)
{
    cctx_t x = { .v = v, .o = o };
    int err;

    if (igraph_vector_init(&x.uw, 0))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if ((err = iffnet_i_ugraph_collapse(v, &x.cg)))
        goto out;
    if (o->method == IFFNET_COMMUNITY_LOUVAIN || o->method == IFFNET_COMMUNITY_LABELPROP) {
        if ((err = iffnet_i_ugraph_igraph(&x.cg, &x.ug, &x.uw)))
            goto out;
        x.have_ug = 1;
    }
    if ((err = run_once(&x, o->seed, &r->membership, &r->codelength)) ||
        (err = iffnet_i_ugraph_modularity(&x.cg, &r->membership, &r->modularity)))
        goto out;
    r->runs = o->runs < 1 ? 1 : o->runs;
    if (o->runs >= 2 && (err = stability(&x, r)))
        goto out;
    err = renumber(&r->membership, &r->n_communities);
out:
    if (x.have_ug)
        igraph_destroy(&x.ug);
    iffnet_i_ugraph_destroy(&x.cg);
    igraph_vector_destroy(&x.uw);
    return err;
}

/* ---- summaries ---- */

typedef struct {
    int64_t comm;
    const char *s;
} tag_t;

static int cmp_tag(const void *a, const void *b)
{
    const tag_t *x = a, *y = b;
    if (x->comm != y->comm)
        return x->comm < y->comm ? -1 : 1;
    return strcmp(x->s, y->s);
}

typedef struct {
    const char *s;
    int64_t n;
} count_t;

static int cmp_count(const void *a, const void *b)
{
    const count_t *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->s, y->s);
}

/* Fills `field` (countries or sectors) of each summary: "ZA:3 VN:2", at most 5. */
static int tag_lists(const iffnet_view_t *v, const igraph_vector_int_t *mem,
                     const char *(*get)(const iffnet_view_t *, int64_t),
                     iffnet_community_summary_t *s, int64_t n_comm, int sectors)
{
    int64_t n = 0;
    tag_t *tags = malloc((size_t)(v->n_nodes ? v->n_nodes : 1) * sizeof *tags);
    count_t *cnt = malloc((size_t)(v->n_nodes ? v->n_nodes : 1) * sizeof *cnt);
    int err = IFFNET_OK;

    if (!tags || !cnt) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t u = 0; u < v->n_nodes; u++) {
        const char *t = get(v, u);
        if (*t)
            tags[n++] = (tag_t){ VECTOR(*mem)[u], t };
    }
    qsort(tags, (size_t)n, sizeof *tags, cmp_tag);
    for (int64_t i = 0, c = 0; c < n_comm; c++) {
        int64_t nc = 0;
        char buf[256];
        size_t len = 0;
        for (; i < n && tags[i].comm == c; i++)
            if (nc && strcmp(cnt[nc - 1].s, tags[i].s) == 0)
                cnt[nc - 1].n++;
            else
                cnt[nc++] = (count_t){ tags[i].s, 1 };
        qsort(cnt, (size_t)nc, sizeof *cnt, cmp_count);
        buf[0] = 0;
        for (int64_t j = 0; j < nc && j < 5 && len < sizeof buf; j++)
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s:%lld", j ? " " : "",
                                    cnt[j].s, (long long)cnt[j].n);
        char *str = iffnet_i_strdup(buf);
        if (!str) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
        if (sectors)
            s[c].sectors = str;
        else
            s[c].countries = str;
    }
out:
    free(tags);
    free(cnt);
    return err;
}

static const igraph_vector_t *order_pr;
static const igraph_vector_int_t *order_mem;

static int cmp_member(const void *a, const void *b)
{
    int64_t i = *(const int64_t *)a, j = *(const int64_t *)b;
    int64_t ci = VECTOR(*order_mem)[i], cj = VECTOR(*order_mem)[j];
    if (ci != cj)
        return ci < cj ? -1 : 1;
    double pi = VECTOR(*order_pr)[i], pj = VECTOR(*order_pr)[j];
    if (pi != pj)
        return pi > pj ? -1 : 1;
    return i < j ? -1 : i > j;
}

int iffnet_community_summarise(const iffnet_view_t *v, const iffnet_communities_t *r,
                               const igraph_vector_t *pagerank, const char *flagged,
                               iffnet_community_summary_t **out)
{
    const igraph_vector_int_t *mem = &r->membership;
    int64_t nc = r->n_communities;
    iffnet_community_summary_t *s = calloc((size_t)(nc ? nc : 1), sizeof *s);
    int64_t *ord = malloc((size_t)(v->n_nodes ? v->n_nodes : 1) * sizeof *ord);
    int err = IFFNET_OK;

    *out = NULL;
    if (!s || !ord) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t c = 0; c < nc; c++) {
        s[c].id = c;
        s[c].flagged = flagged ? 0 : -1;
    }
    for (int64_t u = 0; u < v->n_nodes; u++) {
        int64_t c = VECTOR(*mem)[u];
        s[c].size++;
        if (flagged && flagged[u])
            s[c].flagged++;
        ord[u] = u;
    }
    for (int64_t e = 0; e < v->n_edges; e++) {
        int64_t a = VECTOR(*mem)[IGRAPH_FROM(&v->graph, e)], b = VECTOR(*mem)[IGRAPH_TO(&v->graph, e)];
        if (a == b) {
            if (iffnet_i_money_add(&s[a].internal, v->edge_amount[e])) {
                err = iffnet_i_money_overflow("community: money moved inside");
                goto out;
            }
            s[a].internal_tx += v->edge_tx_off[e + 1] - v->edge_tx_off[e];
        } else if (iffnet_i_money_add(&s[a].outflow, v->edge_amount[e]) || iffnet_i_money_add(&s[b].inflow, v->edge_amount[e])) {
            err = iffnet_i_money_overflow("community: money in and out");
            goto out;
        }
    }
    order_pr = pagerank;
    order_mem = mem;
    qsort(ord, (size_t)v->n_nodes, sizeof *ord, cmp_member);
    for (int64_t i = 0; i < v->n_nodes; i++) {
        iffnet_community_summary_t *x = &s[VECTOR(*mem)[ord[i]]];
        if (x->n_top < IFFNET_COMMUNITY_TOP)
            x->top[x->n_top++] = ord[i];
    }
    if ((err = tag_lists(v, mem, iffnet_view_node_country, s, nc, 0)) ||
        (err = tag_lists(v, mem, iffnet_view_node_sector, s, nc, 1)))
        goto out;
    *out = s;
    s = NULL;
out:
    if (s)
        iffnet_community_summaries_free(s, nc);
    free(ord);
    return err;
}

void iffnet_community_summaries_free(iffnet_community_summary_t *s, int64_t n)
{
    if (!s)
        return;
    for (int64_t i = 0; i < n; i++) {
        free(s[i].countries);
        free(s[i].sectors);
    }
    free(s);
}
