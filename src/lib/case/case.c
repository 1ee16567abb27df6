/* case.c: the in-memory case, its accessors and its network. */
#include <pthread.h>
#include "case_internal.h"

int iffnet_case_init(iffnet_case_t *c)
{
    memset(c, 0, sizeof *c);
    c->base_currency = -1;
    return IFFNET_OK;
}

void iffnet_case_destroy(iffnet_case_t *c)
{
    if (!c) return;
    iffnet_strtab_destroy(&c->account_ids);
    free(c->account_entity);
    free(c->account_holder);
    iffnet_strtab_destroy(&c->tx_ids);
    free(c->tx_time);
    free(c->tx_src);
    free(c->tx_dst);
    free(c->tx_amount);
    free(c->tx_currency);
    free(c->tx_recv_amount);
    free(c->tx_recv_currency);
    free(c->tx_channel);
    free(c->tx_reference);
    free(c->tx_base);
    free(c->tx_line);
    free(c->tx_input);
    iffnet_strtab_destroy(&c->currencies);
    free(c->currency_scale);
    free(c->currency_rate);
    iffnet_strtab_destroy(&c->channels);
    iffnet_strtab_destroy(&c->entity_ids);
    free(c->entity_kind);
    free(c->entity_name);
    free(c->entity_country);
    free(c->entity_sector);
    iffnet_strtab_destroy(&c->attr_names);
    free(c->entity_attr);
    free(c->rel_src_entity);
    free(c->rel_src_account);
    free(c->rel_dst_entity);
    free(c->rel_dst_account);
    free(c->rel_type);
    iffnet_strtab_destroy(&c->text);
    free(c->prov.version);
    free(c->prov.command_line);
    free(c->prov.preset);
    free(c->prov.timezone);
    for (int64_t i = 0; i < c->prov.n_inputs; i++) {
        free(c->prov.inputs[i].role);
        free(c->prov.inputs[i].path);
    }
    free(c->prov.inputs);
    memset(c, 0, sizeof *c);
    c->base_currency = -1;
}

/* Edge ids ordered by (key1, key2, descending edge id), the order igraph itself
 * keeps. `start` receives the n+1 bucket starts of key1.
 *
 * A sort by key1 alone scatters each edge to a random one of n buckets: on a
 * million accounts nearly every write misses the cache. So the edges go out in
 * two local steps instead: first to one of at most 2^HI_BITS runs of consecutive
 * key1 values (few enough write streams to stay in cache), then, a run at a
 * time, to their key1 buckets, which lie within the run's few kilobytes. There
 * each edge is the 64-bit word key2 << 32 | (m - 1 - edge), so sorting a bucket
 * by word is the order by key2 and then descending edge id; the word is turned
 * back into the edge id in place. Needs m <= 2^32 (order_edges_wide otherwise). */
#define HI_BITS 11

typedef struct { uint32_t k1, k2, e; } edge_rec_t;

/* Sorts v[0..k) ascending: insertion sort for the usual few edges of an
 * account, qsort for a hub's thousands. */
static void sort_words(igraph_integer_t *v, int64_t k)
{
    if (k > 32) {
        qsort(v, (size_t)k, sizeof *v, iffnet_i_cmp_u64);
        return;
    }
    for (int64_t i = 1; i < k; i++) {
        igraph_integer_t x = v[i];
        int64_t j = i;
        for (; j > 0 && (uint64_t)v[j - 1] > (uint64_t)x; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

static void bucket_starts(const int32_t *key1, int64_t m, int64_t n, igraph_integer_t *start)
{
    memset(start, 0, (size_t)(n + 1) * sizeof *start);
    for (int64_t e = 0; e < m; e++) start[key1[e] + 1]++;
    for (int64_t v = 0; v < n; v++) start[v + 1] += start[v];
}

static void order_edges(const int32_t *key1, const int32_t *key2, int64_t m, int64_t n,
                        igraph_integer_t *order, edge_rec_t *rec, igraph_integer_t *start)
{
    int shift = 0;
    while ((n >> shift) >= ((int64_t)1 << HI_BITS)) shift++;
    int64_t nhi = (n >> shift) + 1, width = (int64_t)1 << shift;
    igraph_integer_t hpos[((int64_t)1 << HI_BITS) + 1];
    bucket_starts(key1, m, n, start);
    /* Run h holds key1 values [h << shift, (h + 1) << shift): its edges start
     * where its first bucket does. */
    for (int64_t h = 0; h < nhi; h++) hpos[h] = start[h << shift < n ? h << shift : n];
    /* From the last edge down, so each bucket holds its edges in descending order. */
    for (int64_t e = m - 1; e >= 0; e--) {
        uint32_t k1 = (uint32_t)key1[e];
        rec[hpos[k1 >> shift]++] = (edge_rec_t){k1, (uint32_t)key2[e], (uint32_t)e};
    }
    for (int64_t lo = 0; lo < n; lo += width) {
        int64_t hi = lo + width < n ? lo + width : n, begin = start[lo], end = start[hi];
        /* start[v] is the cursor of bucket v: afterwards it holds where bucket
         * v + 1 begins. */
        for (int64_t k = begin; k < end; k++) {
            const edge_rec_t *r = &rec[k];
            order[start[r->k1]++] = (igraph_integer_t)(((uint64_t)r->k2 << 32) | (uint32_t)(m - 1 - r->e));
        }
        for (int64_t v = lo; v < hi; v++) {
            int64_t b = v == lo ? begin : start[v - 1];
            sort_words(order + b, start[v] - b);
        }
        for (int64_t k = begin; k < end; k++) order[k] = m - 1 - (int64_t)(order[k] & 0xFFFFFFFF);
    }
    /* Shift the advanced cursors back into bucket starts. */
    for (int64_t v = n; v > 0; v--) start[v] = start[v - 1];
    start[0] = 0;
}

/* Builds the network directly in igraph's indexed edge list (igraph_datatype.h:
 * from, to, oi/ii ordered by (from, to) / (to, from), os/is bucket starts), the
 * layout igraph_create() makes with a general-purpose pair sort that is several
 * times slower on millions of edges. The unit tests check that the result is
 * identical to igraph_create()'s. */
/* One of the two orderings, as a job for a second thread. */
typedef struct {
    const int32_t *key1, *key2;
    int64_t m, n;
    igraph_integer_t *order;
    edge_rec_t *tmp;
    igraph_integer_t *start;
    igraph_integer_t *ends;      /* key1 copied out: graph->from or graph->to */
} order_job_t;

/* One ordering, and one of the two edge-end vectors, so that each thread does half. */
static void *order_edges_job(void *arg)
{
    order_job_t *j = arg;
    for (int64_t t = 0; t < j->m; t++) j->ends[t] = j->key1[t];
    order_edges(j->key1, j->key2, j->m, j->n, j->order, j->tmp, j->start);
    return NULL;
}

/* Below this many edges a second thread costs more than it saves. */
#define GRAPH_THREAD_MIN_EDGES 200000

int iffnet_case_graph(const iffnet_case_t *c, igraph_t *graph)
{
    int64_t m = c->n_tx, n = c->n_accounts;
    /* An edge id is 32 bits inside order_edges. */
    if (m > (int64_t)UINT32_MAX)
        return iffnet_i_seterr(IFFNET_ELIMIT, "more than 2^32 transactions: too many for the network");
    igraph_error_t e = igraph_empty(graph, n, IGRAPH_DIRECTED);
    if (e) return iffnet_i_igraph_err(e, "building the network");
    edge_rec_t *tmp = malloc((size_t)(m ? m : 1) * sizeof *tmp);
    edge_rec_t *tmp2 = m >= GRAPH_THREAD_MIN_EDGES && iffnet_i_threads_allowed() ? malloc((size_t)m * sizeof *tmp2) : NULL;
    if (!tmp) {
        free(tmp2);
        igraph_destroy(graph);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory building the network");
    }
    if ((e = igraph_vector_int_resize(&graph->from, m)) || (e = igraph_vector_int_resize(&graph->to, m)) ||
        (e = igraph_vector_int_resize(&graph->oi, m)) || (e = igraph_vector_int_resize(&graph->ii, m)) ||
        (e = igraph_vector_int_resize(&graph->os, n + 1)) || (e = igraph_vector_int_resize(&graph->is, n + 1))) {
        free(tmp);
        free(tmp2);
        igraph_destroy(graph);
        return iffnet_i_igraph_err(e, "building the network");
    }
    /* The in-ordering runs on a second thread when there is memory for its own
     * scratch array and a thread to be had; the result is the same either way. */
    order_job_t in_job = {c->tx_dst, c->tx_src, m, n, VECTOR(graph->ii), tmp2, VECTOR(graph->is), VECTOR(graph->to)};
    order_job_t out_job = {c->tx_src, c->tx_dst, m, n, VECTOR(graph->oi), tmp, VECTOR(graph->os), VECTOR(graph->from)};
    pthread_t th;
    int threaded = tmp2 && pthread_create(&th, NULL, order_edges_job, &in_job) == 0;
    order_edges_job(&out_job);
    if (threaded) {
        pthread_join(th, NULL);
    } else {
        in_job.tmp = tmp;
        order_edges_job(&in_job);
    }
    free(tmp);
    free(tmp2);
    igraph_invalidate_cache(graph);
    return IFFNET_OK;
}

int64_t iffnet_case_find_account(iffnet_case_t *c, const char *id)
{
    return iffnet_strtab_find(&c->account_ids, id, strlen(id));
}

int64_t iffnet_case_cash_account(const iffnet_case_t *c)
{
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (iffnet_case_is_cash(c, a)) return a;
    return -1;
}

int64_t iffnet_case_account_profile(const iffnet_case_t *c, int64_t a)
{
    if (a < 0 || a >= c->n_accounts) return -1;
    if (c->account_entity && c->account_entity[a] >= 0) return c->account_entity[a];
    if (c->account_holder && c->account_holder[a] >= 0) return c->account_holder[a];
    return -1;
}

/* A field of the account's own entity record, else of its holder's. */
static const char *account_field(const iffnet_case_t *c, int64_t a, const int64_t *field)
{
    if (a < 0 || a >= c->n_accounts || !field) return "";
    int64_t own = c->account_entity ? c->account_entity[a] : -1;
    if (own >= 0 && field[own] >= 0 && c->text.buf[c->text.off[field[own]]]) return iffnet_case_text(c, field[own]);
    int64_t holder = c->account_holder ? c->account_holder[a] : -1;
    if (holder >= 0 && field[holder] >= 0) return iffnet_case_text(c, field[holder]);
    return "";
}

const char *iffnet_case_account_name(const iffnet_case_t *c, int64_t a)
{
    return account_field(c, a, c->entity_name);
}

const char *iffnet_case_account_country(const iffnet_case_t *c, int64_t a)
{
    return account_field(c, a, c->entity_country);
}

const char *iffnet_case_account_sector(const iffnet_case_t *c, int64_t a)
{
    /* An account's own record rarely has a sector: its holder's business is what counts. */
    int64_t holder = c->account_holder && a >= 0 && a < c->n_accounts ? c->account_holder[a] : -1;
    if (holder >= 0 && c->entity_sector[holder] >= 0 && *iffnet_case_text(c, c->entity_sector[holder]))
        return iffnet_case_text(c, c->entity_sector[holder]);
    return account_field(c, a, c->entity_sector);
}

const char *iffnet_case_entity_attr(const iffnet_case_t *c, int64_t e, const char *name)
{
    if (e < 0 || e >= c->n_entities) return "";
    for (int64_t k = 0; k < c->n_attrs; k++) {
        if (strcmp(iffnet_strtab_get(&c->attr_names, k), name) == 0) {
            int64_t v = c->entity_attr[e * c->n_attrs + k];
            return v >= 0 ? iffnet_case_text(c, v) : "";
        }
    }
    return "";
}

iffnet_money_t iffnet_case_tx_value(const iffnet_case_t *c, int64_t t)
{
    return c->tx_base ? c->tx_base[t] : c->tx_amount[t];
}

int32_t iffnet_case_value_currency(const iffnet_case_t *c)
{
    if (c->base_currency >= 0) return c->base_currency;
    if (c->currencies.n == 0) return -1;
    if (c->currencies.n == 1) return 0;
    /* The most common currency (lowest index on ties): the one sums are mostly in. */
    int64_t *count = calloc((size_t)c->currencies.n, sizeof *count);
    if (!count) return 0;
    for (int64_t t = 0; t < c->n_tx; t++) count[c->tx_currency[t]]++;
    int32_t best = 0;
    for (int32_t k = 1; k < (int32_t)c->currencies.n; k++)
        if (count[k] > count[best]) best = k;
    free(count);
    return best;
}

int iffnet_case_mixed_currencies(const iffnet_case_t *c)
{
    return c->base_currency < 0 && c->currencies.n > 1;
}

int iffnet_case_format_money(const iffnet_case_t *c, char *buf, size_t size, iffnet_money_t v,
                             int32_t k, int with_code)
{
    int scale = k >= 0 && c->currency_scale ? c->currency_scale[k] : 2;
    char num[48];
    iffnet_amount_format(num, sizeof num, v, scale, ',');
    if (with_code && k >= 0) return snprintf(buf, size, "%s %s", num, iffnet_case_currency(c, k));
    return snprintf(buf, size, "%s", num);
}
