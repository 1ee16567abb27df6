/* test_link.c: link analysis against values computed independently by NetworkX
 * (and cross-checked with python-igraph) in scripts/link-fixtures.py, plus
 * hand-made time-respecting, entity-level and shared-identifier cases. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "iffnet/iffnet.h"
#include "iffnet/link.h"
#include "link/link_internal.h"
#include "testutil.h"

#define DATA IFFNET_TEST_SRCDIR "/tests/data/link/"

static void view(iffnet_view_t *v, iffnet_case_t *c, iffnet_level_t level)
{
    iffnet_view_opts_t o;
    iffnet_view_opts_default(&o);
    o.level = level;
    ck_assert_msg(iffnet_view_build(v, c, &o) == IFFNET_OK, "%s", iffnet_errmsg());
}

/* Expected value of `measure` at `key` from expected.txt (the line's rest). */
static int expected(const char *measure, const char *key, char *rest, size_t size)
{
    FILE *fp = fopen(DATA "expected.txt", "r");
    char line[512];
    int found = 0;
    ck_assert_msg(fp != NULL, "cannot open expected.txt");
    while (!found && fgets(line, sizeof line, fp)) {
        char m[64], k[64];
        int off = 0;
        if (line[0] == '#' || sscanf(line, "%63s %63s %n", m, k, &off) < 2)
            continue;
        if (strcmp(m, measure) == 0 && strcmp(k, key) == 0) {
            snprintf(rest, size, "%s", line + off);
            rest[strcspn(rest, "\n")] = 0;
            found = 1;
        }
    }
    fclose(fp);
    return found;
}

static double expected_num(const char *measure, const char *key)
{
    char rest[256];
    ck_assert_msg(expected(measure, key, rest, sizeof rest), "no expected %s for %s", measure, key);
    return strtod(rest, NULL);
}

/* Each centrality against the values of expected.txt (measure2: the second score). */
static const struct {
    iffnet_rank_by_t by;
    const char *measure, *measure2;
    double tol;
} ranks[] = {
    {IFFNET_RANK_PAGERANK, "pagerank", NULL, 1e-6},
    {IFFNET_RANK_BETWEENNESS, "betweenness", NULL, 1e-9},
    {IFFNET_RANK_KCORE, "coreness", NULL, 0},
    {IFFNET_RANK_HITS, "hub", "authority", 1e-5},
    {IFFNET_RANK_EIGENVECTOR, "eigenvector", NULL, 1e-6},
    {IFFNET_RANK_DEGREE, "degree", NULL, 0},
    {IFFNET_RANK_STRENGTH, "strength", NULL, 0},
};

START_TEST(rank_matches_networkx)
{
    const char *measure = ranks[_i].measure, *measure2 = ranks[_i].measure2;
    double tol = ranks[_i].tol;
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_rank_opts_t o;
    iffnet_rank_t r;

    tu_case_from_files(&c, DATA "g1.csv", NULL, NULL);
    view(&v, &c, IFFNET_LEVEL_ACCOUNT);
    iffnet_rank_opts_default(&o);
    o.by = ranks[_i].by;
    ck_assert_int_eq(iffnet_rank_init(&r), IFFNET_OK);
    ck_assert_msg(iffnet_rank_compute(&v, &o, &r) == IFFNET_OK, "%s", iffnet_errmsg());
    ck_assert_str_eq(r.note, "");
    ck_assert_int_eq(igraph_vector_size(&r.score), v.n_nodes);
    for (int64_t u = 0; u < v.n_nodes; u++) {
        const char *id = iffnet_view_node_id(&v, u);
        double want = expected_num(measure, id), got = VECTOR(r.score)[u];
        ck_assert_msg(fabs(got - want) <= tol * fmax(1, fabs(want)), "%s %s: got %.12g want %.12g",
                      measure, id, got, want);
        if (measure2) {
            want = expected_num(measure2, id);
            got = VECTOR(r.score2)[u];
            ck_assert_msg(fabs(got - want) <= tol * fmax(1, fabs(want)), "%s %s: got %.12g want %.12g",
                          measure2, id, got, want);
        }
    }
    iffnet_rank_destroy(&r);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
}
END_TEST

/* Sampling with every node as a source is the exact computation; a smaller
 * sample is flagged in the note, and so is the cutoff. */
START_TEST(rank_betweenness_approx)
{
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_rank_opts_t o;
    iffnet_rank_t r;

    tu_case_from_files(&c, DATA "g1.csv", NULL, NULL);
    view(&v, &c, IFFNET_LEVEL_ACCOUNT);
    iffnet_rank_opts_default(&o);
    o.by = IFFNET_RANK_BETWEENNESS;
    iffnet_rank_init(&r);
    o.samples = 5;
    ck_assert_int_eq(iffnet_rank_compute(&v, &o, &r), IFFNET_OK);
    ck_assert_ptr_nonnull(strstr(r.note, "estimated from 5 random sources"));
    o.samples = 0;
    o.auto_limit = 3;  /* pretend the case is large: automatic cutoff */
    ck_assert_int_eq(iffnet_rank_compute(&v, &o, &r), IFFNET_OK);
    ck_assert_ptr_nonnull(strstr(r.note, "at most 4 hops"));
    o.cutoff = 1;      /* paths of one hop have no intermediate node */
    ck_assert_int_eq(iffnet_rank_compute(&v, &o, &r), IFFNET_OK);
    for (int64_t u = 0; u < v.n_nodes; u++)
        ck_assert(VECTOR(r.score)[u] == 0);
    iffnet_rank_destroy(&r);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
}
END_TEST

/* Max flow and k shortest path lengths for every connected ordered pair. */
START_TEST(paths_static)
{
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_path_opts_t o;
    int64_t checked = 0;

    tu_case_from_files(&c, DATA "g1.csv", NULL, NULL);
    view(&v, &c, IFFNET_LEVEL_ACCOUNT);
    iffnet_path_opts_default(&o);
    o.max_hops = 50;
    for (int64_t s = 0; s < v.n_nodes; s++)
        for (int64_t d = 0; d < v.n_nodes; d++) {
            char key[64], rest[256];
            iffnet_paths_t p;
            snprintf(key, sizeof key, "%s>%s", iffnet_view_node_id(&v, s), iffnet_view_node_id(&v, d));
            if (s == d)
                continue;
            ck_assert_msg(iffnet_path_find(&v, s, d, &o, &p) == IFFNET_OK, "%s", iffnet_errmsg());
            if (!expected("maxflow", key, rest, sizeof rest)) {
                ck_assert_msg(p.n_paths == 0 && p.max_flow == 0, "%s: unexpected path", key);
                iffnet_paths_destroy(&p);
                continue;
            }
            ck_assert_msg(p.max_flow == strtoll(rest, NULL, 10), "%s: flow %lld want %s", key,
                          (long long)p.max_flow, rest);
            ck_assert(expected("kpaths", key, rest, sizeof rest));
            char got[256] = "";
            for (int64_t i = 0; i < p.n_paths; i++)
                snprintf(got + strlen(got), sizeof got - strlen(got), "%s%lld", i ? " " : "",
                         (long long)(p.off[i + 1] - p.off[i]));
            ck_assert_msg(strcmp(got, rest) == 0, "%s: path lengths '%s' want '%s'", key, got, rest);
            /* Hops chain from s to d. */
            for (int64_t i = 0; i < p.n_paths; i++) {
                ck_assert_int_eq(p.hop_src[p.off[i]], s);
                ck_assert_int_eq(p.hop_dst[p.off[i + 1] - 1], d);
                for (int64_t h = p.off[i] + 1; h < p.off[i + 1]; h++)
                    ck_assert_int_eq(p.hop_src[h], p.hop_dst[h - 1]);
            }
            checked++;
            iffnet_paths_destroy(&p);
        }
    ck_assert_int_gt(checked, 50);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
}
END_TEST

/* Paths as "tx tx ... | tx ..." for compact comparison. */
static void path_string(const iffnet_view_t *v, const iffnet_paths_t *p, char *buf, size_t size)
{
    buf[0] = 0;
    for (int64_t i = 0; i < p->n_paths; i++)
        for (int64_t h = p->off[i]; h < p->off[i + 1]; h++)
            snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", h == p->off[i] ? (i ? " | " : "") : " ",
                     iffnet_case_tx_id(v->c, p->hop_tx[h]));
}

START_TEST(paths_time_respecting)
{
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_path_opts_t o;
    iffnet_paths_t p;
    char got[512];

    tu_case_from_files(&c, DATA "tr1.csv", NULL, NULL);
    view(&v, &c, IFFNET_LEVEL_ACCOUNT);
    int64_t a = iffnet_view_find(&v, "A"), d = iffnet_view_find(&v, "D"), b = iffnet_view_find(&v, "B");
    iffnet_path_opts_default(&o);
    /* Static: A-B-D is among the shortest, though B->D happened before A->B. */
    ck_assert_int_eq(iffnet_path_find(&v, a, d, &o, &p), IFFNET_OK);
    ck_assert_int_eq(p.n_paths, 3);
    ck_assert_int_eq(p.off[1], 2);
    ck_assert_int_eq(p.off[2] - p.off[1], 2);
    ck_assert_int_eq(p.max_flow, 20000);
    iffnet_paths_destroy(&p);
    /* Time-respecting: A-C-D uses T9, not T8 (same second as A->C) nor T10
     * (a later one); then the two 3-hop paths by arrival time. A-B-D is gone. */
    o.time_respecting = 1;
    ck_assert_int_eq(iffnet_path_find(&v, a, d, &o, &p), IFFNET_OK);
    path_string(&v, &p, got, sizeof got);
    ck_assert_str_eq(got, "T3 T9 | T3 T4 T5 | T2 T6 T7");
    iffnet_paths_destroy(&p);
    o.max_hops = 2;
    ck_assert_int_eq(iffnet_path_find(&v, a, d, &o, &p), IFFNET_OK);
    path_string(&v, &p, got, sizeof got);
    ck_assert_str_eq(got, "T3 T9");
    iffnet_paths_destroy(&p);
    o.max_hops = 6;
    o.k = 1;
    ck_assert_int_eq(iffnet_path_find(&v, b, d, &o, &p), IFFNET_OK);
    path_string(&v, &p, got, sizeof got);
    ck_assert_str_eq(got, "T1");
    iffnet_paths_destroy(&p);
    /* Skipping C (4 counterparts) leaves the path through B's branch. */
    o.k = 3;
    o.skip_degree = 3;
    ck_assert_int_eq(iffnet_path_find(&v, a, d, &o, &p), IFFNET_OK);
    path_string(&v, &p, got, sizeof got);
    ck_assert_str_eq(got, "T2 T6 T7");
    ck_assert_int_eq(p.n_skipped, 1);
    ck_assert_str_eq(iffnet_view_node_id(&v, p.skipped[0]), "C");
    ck_assert_int_eq(p.max_flow, 10000);
    iffnet_paths_destroy(&p);
    /* Errors. */
    ck_assert_int_eq(iffnet_path_find(&v, a, a, &o, &p), IFFNET_EINVAL);
    CHECK_ERROR(iffnet_view_find(&v, "nobody"), -1, "nobody");
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(view_window_and_floor)
{
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_view_opts_t o;

    tu_case_from_files(&c, DATA "tr1.csv", NULL, NULL);
    iffnet_view_opts_default(&o);
    ck_assert_int_eq(iffnet_time_parse("2024-01-11", 10, NULL, &o.since), 0);
    ck_assert_int_eq(iffnet_time_parse("2024-01-21", 10, NULL, &o.until), 0);
    ck_assert_int_eq(iffnet_view_build(&v, &c, &o), IFFNET_OK);
    /* T3 T8 T4 T5 T6: T7 is at the until bound, excluded. */
    ck_assert_int_eq(v.n_tx, 5);
    ck_assert_int_eq(v.n_edges, 5);
    iffnet_view_destroy(&v);
    iffnet_view_opts_default(&o);
    o.min_amount = 10001;
    ck_assert_int_eq(iffnet_view_build(&v, &c, &o), IFFNET_OK);
    ck_assert_int_eq(v.n_tx, 0);
    ck_assert_int_eq(v.n_nodes, 7);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(view_entity_level)
{
    iffnet_case_t c;
    iffnet_view_t v;

    tu_case_from_files(&c, DATA "ent_tx.csv", DATA "entities.csv", DATA "relations.csv");
    view(&v, &c, IFFNET_LEVEL_ENTITY);
    ck_assert_int_eq(v.n_nodes, 4);   /* E1 (a1, a2), E2 (a3), a4, E4 (a5) */
    ck_assert_int_eq(v.n_self, 1);    /* a1 -> a2 inside E1 */
    ck_assert_int_eq(v.n_edges, 3);
    int64_t e1 = iffnet_view_find(&v, "E1"), e2 = iffnet_view_find(&v, "a3");
    ck_assert_int_eq(iffnet_view_find(&v, "a2"), e1);
    ck_assert_str_eq(iffnet_view_node_id(&v, e2), "E2");
    ck_assert_str_eq(iffnet_view_node_name(&v, e1), "Acme Trading Ltd");
    ck_assert_str_eq(iffnet_view_node_country(&v, e1), "ZA");
    ck_assert_int_eq(v.out_amount[e1], 15000);
    ck_assert_int_eq(v.out_count[e1], 2);
    ck_assert_int_eq(v.in_amount[e2], 15000);
    ck_assert_int_eq(iffnet_view_find(&v, "P1"), -1); /* holds no account */
    iffnet_view_destroy(&v);
    view(&v, &c, IFFNET_LEVEL_ACCOUNT);
    ck_assert_int_eq(v.n_nodes, 5);
    ck_assert_int_eq(v.n_self, 0);
    ck_assert_int_eq(iffnet_view_find(&v, "E1"), -1); /* entities are not nodes here */
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(ego)
{
    iffnet_case_t c;
    iffnet_view_t v;
    igraph_vector_int_t n, d;

    tu_case_from_files(&c, DATA "tr1.csv", NULL, NULL);
    view(&v, &c, IFFNET_LEVEL_ACCOUNT);
    igraph_vector_int_init(&n, 0);
    igraph_vector_int_init(&d, 0);
    ck_assert_int_eq(iffnet_ego_nodes(&v, iffnet_view_find(&v, "E"), 1, &n, &d), IFFNET_OK);
    ck_assert_int_eq(igraph_vector_int_size(&n), 3);  /* E, C, D */
    ck_assert_str_eq(iffnet_view_node_id(&v, VECTOR(n)[0]), "E");
    ck_assert_int_eq(VECTOR(d)[0], 0);
    ck_assert_int_eq(VECTOR(d)[2], 1);
    ck_assert_int_eq(iffnet_ego_nodes(&v, iffnet_view_find(&v, "E"), 2, &n, &d), IFFNET_OK);
    ck_assert_int_eq(igraph_vector_int_size(&n), 7); /* + A, B, G */
    ck_assert_int_eq(VECTOR(d)[6], 2);
    /* Sub-network: C, D, E have edges C->D, C->E, E->D. */
    ck_assert_int_eq(iffnet_ego_nodes(&v, iffnet_view_find(&v, "E"), 1, &n, &d), IFFNET_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_int_eq(iffnet_view_write_subgraph(&v, &n, IFFNET_GRAPH_CSV, fp), IFFNET_OK);
    fclose(fp);
    ck_assert_ptr_nonnull(strstr(buf, "C,D,300.00,3,2024-01-11T09:00:00Z,2024-01-30T09:00:00Z\n"));
    ck_assert_ptr_nonnull(strstr(buf, "E,D,100.00,1,"));
    ck_assert_ptr_null(strstr(buf, "A,"));
    free(buf);
    igraph_vector_int_destroy(&n);
    igraph_vector_int_destroy(&d);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
}
END_TEST

START_TEST(normalise)
{
    const char *cases[][3] = {
        {"12 Main St.", "0", "12 main street"},
        {"12  MAIN   STREET", "0", "12 main street"},
        {"Acme Trading (Pty) Ltd", "0", "acme trading proprietary limited"},
        {"5 Long Rd,", "0", "5 long road"},
        {"+27 (11) 555-0101", "1", "27115550101"},
        {"...", "0", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = iffnet_link_normalise(cases[i][0], cases[i][1][0] == '1');
        ck_assert_str_eq(s, cases[i][2]);
        free(s);
    }
}
END_TEST

START_TEST(links)
{
    iffnet_case_t c;
    iffnet_links_opts_t o = {0};
    iffnet_links_t l;

    tu_case_from_files(&c, DATA "ent_tx.csv", DATA "entities.csv", DATA "relations.csv");
    ck_assert_int_eq(iffnet_links_find(&c, &o, &l), IFFNET_OK);
    ck_assert_int_eq(l.n_groups, 2);
    ck_assert_int_eq(l.group_size[0], 3);
    ck_assert_int_eq(l.n_keys, 4);
    ck_assert_str_eq(l.keys[0].by, "address");
    ck_assert_str_eq(l.keys[0].value, "12 main street");
    ck_assert_int_eq(l.keys[0].n, 2);
    ck_assert_str_eq(l.keys[1].by, "phone");
    ck_assert_str_eq(l.keys[2].by, "director");
    ck_assert_str_eq(l.keys[2].value, "P1");
    ck_assert_str_eq(l.keys[3].by, "registration");
    ck_assert_int_eq(l.keys[3].group, 1);
    iffnet_links_destroy(&l);
    /* Only directors; and a limit that ignores every shared value. */
    const char *by[] = {"director"};
    o.by = by;
    o.n_by = 1;
    ck_assert_int_eq(iffnet_links_find(&c, &o, &l), IFFNET_OK);
    ck_assert_int_eq(l.n_groups, 1);
    ck_assert_int_eq(l.group_size[0], 2);
    iffnet_links_destroy(&l);
    o.by = NULL;
    o.max_share = 1;
    ck_assert_int_eq(iffnet_links_find(&c, &o, &l), IFFNET_OK);
    ck_assert_int_eq(l.n_groups, 0);
    ck_assert_int_eq(l.n_ignored, 4);
    iffnet_links_destroy(&l);
    const char *bad[] = {"shoe_size"};
    o.by = bad;
    CHECK_ERROR(iffnet_links_find(&c, &o, &l), IFFNET_EINVAL, "shoe_size");
    iffnet_case_destroy(&c);
}
END_TEST

/* Three planted groups joined by weak edges: every method recovers them, the
 * modularity matches NetworkX's, and repeated runs agree. */
START_TEST(communities_planted)
{
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_community_opts_t o;
    double q = expected_num("modularity", "planted");

    tu_case_from_files(&c, DATA "g2.csv", NULL, NULL);
    view(&v, &c, IFFNET_LEVEL_ACCOUNT);
    for (int m = 0; m < IFFNET_COMMUNITY_N; m++) {
        iffnet_communities_t r;
        iffnet_community_opts_default(&o);
        o.method = (iffnet_community_method_t)m;
        o.runs = 3;
        ck_assert_int_eq(iffnet_communities_init(&r), IFFNET_OK);
        ck_assert_msg(iffnet_communities_detect(&v, &o, &r) == IFFNET_OK, "%s", iffnet_errmsg());
        ck_assert_msg(r.n_communities == 3, "%s: %lld communities", iffnet_community_name(o.method),
                      (long long)r.n_communities);
        for (int64_t u = 0; u < v.n_nodes; u++)
            for (int64_t w = 0; w < v.n_nodes; w++)
                ck_assert((VECTOR(r.membership)[u] == VECTOR(r.membership)[w]) ==
                          (iffnet_view_node_id(&v, u)[0] == iffnet_view_node_id(&v, w)[0]));
        ck_assert_msg(fabs(r.modularity - q) < 1e-9, "%s: modularity %.12g want %.12g",
                      iffnet_community_name(o.method), r.modularity, q);
        ck_assert(fabs(r.nmi_mean - 1) < 1e-9 && fabs(r.ari_mean - 1) < 1e-9);
        /* Summaries: each group holds 12 internal transactions. */
        iffnet_rank_t pr;
        iffnet_rank_opts_t ro;
        iffnet_community_summary_t *s;
        char flagged[12] = {1, 1, 0};
        iffnet_rank_init(&pr);
        iffnet_rank_opts_default(&ro);
        ck_assert_int_eq(iffnet_rank_compute(&v, &ro, &pr), IFFNET_OK);
        ck_assert_int_eq(iffnet_community_summarise(&v, &r, &pr.score, flagged, &s), IFFNET_OK);
        int64_t flagged_total = 0;
        for (int64_t i = 0; i < r.n_communities; i++) {
            ck_assert_int_eq(s[i].size, 4);
            ck_assert_int_eq(s[i].internal_tx, 12);
            ck_assert_int_eq(s[i].n_top, 3);
            flagged_total += s[i].flagged;
        }
        ck_assert_int_eq(flagged_total, 2);
        ck_assert_int_eq(s[0].inflow + s[1].inflow + s[2].inflow, 15000);
        iffnet_community_summaries_free(s, r.n_communities);
        iffnet_rank_destroy(&pr);
        iffnet_communities_destroy(&r);
    }
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
}
END_TEST

/* ---- the undirected collapse and Leiden, on random graphs ---- */

/* A view holding only what the collapse reads: a random simple directed graph
 * on n nodes (the last `isolated` of them without edges) with m edges, many of
 * them reciprocal pairs, and integer weights 1..1000. */
static void random_view(iffnet_view_t *v, int64_t n, int64_t isolated, int64_t m, unsigned long seed)
{
    igraph_t g;
    memset(v, 0, sizeof *v);
    igraph_rng_seed(igraph_rng_default(), seed);
    ck_assert_int_eq(igraph_erdos_renyi_game_gnm(&g, n - isolated, m, IGRAPH_DIRECTED, IGRAPH_NO_LOOPS),
                     IGRAPH_SUCCESS);
    ck_assert_int_eq(igraph_add_vertices(&g, isolated, NULL), IGRAPH_SUCCESS);
    v->graph = g;
    v->n_nodes = n;
    v->n_edges = m;
    ck_assert_int_eq(igraph_vector_init(&v->weight, m), IGRAPH_SUCCESS);
    for (int64_t e = 0; e < m; e++)
        VECTOR(v->weight)[e] = (double)RNG_INTEGER(1, 1000);
}

static void random_view_destroy(iffnet_view_t *v)
{
    igraph_destroy(&v->graph);
    igraph_vector_destroy(&v->weight);
}

typedef struct {
    int64_t lo, hi;
    double w;
} uedge_t;

static int cmp_uedge(const void *a, const void *b)
{
    const uedge_t *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return x->w < y->w ? -1 : x->w > y->w;
}

/* The collapse equals igraph_to_undirected(COLLAPSE) with weights summed, and
 * lists every edge at both ends with the same weight. */
START_TEST(collapse_matches_igraph)
{
    igraph_attribute_table_t *old = igraph_set_attribute_table(&igraph_cattribute_table);
    for (unsigned long seed = 1; seed <= 5; seed++) {
        iffnet_view_t v;
        iffnet_i_ugraph_t cg;
        igraph_t u;
        igraph_vector_t uw;
        igraph_attribute_combination_t comb;
        int64_t n = 40 + 20 * (int64_t)seed, m = 6 * n;

        random_view(&v, n, 3, m, seed);
        ck_assert_msg(iffnet_i_ugraph_collapse(&v, &cg) == IFFNET_OK, "%s", iffnet_errmsg());
        ck_assert_int_eq(cg.n, n);
        /* igraph's way: copy, set the weight attribute, collapse with a sum. */
        ck_assert_int_eq(igraph_copy(&u, &v.graph), IGRAPH_SUCCESS);
        ck_assert_int_eq(igraph_cattribute_EAN_setv(&u, "weight", &v.weight), IGRAPH_SUCCESS);
        ck_assert_int_eq(igraph_attribute_combination(&comb, "weight", IGRAPH_ATTRIBUTE_COMBINE_SUM,
                                                      IGRAPH_NO_MORE_ATTRIBUTES), IGRAPH_SUCCESS);
        ck_assert_int_eq(igraph_to_undirected(&u, IGRAPH_TO_UNDIRECTED_COLLAPSE, &comb), IGRAPH_SUCCESS);
        ck_assert_int_eq(igraph_vector_init(&uw, 0), IGRAPH_SUCCESS);
        ck_assert_int_eq(igraph_cattribute_EANV(&u, "weight", igraph_ess_all(IGRAPH_EDGEORDER_ID), &uw),
                         IGRAPH_SUCCESS);
        int64_t mu = igraph_ecount(&u), slots = cg.off[n];
        ck_assert_int_eq(slots, 2 * mu);
        ck_assert(mu < m); /* the random graph did have reciprocal pairs */
        uedge_t *a = malloc((size_t)slots * sizeof *a), *b = malloc((size_t)mu * sizeof *b);
        for (int64_t x = 0, k = 0; x < n; x++)
            for (int64_t i = cg.off[x]; i < cg.off[x + 1]; i++, k++) {
                int64_t y = cg.adj[i];
                ck_assert(y != x && y >= 0 && y < n);
                a[k] = (uedge_t){ x < y ? x : y, x < y ? y : x, cg.w[i] };
            }
        for (int64_t e = 0; e < mu; e++) {
            int64_t f = IGRAPH_FROM(&u, e), t = IGRAPH_TO(&u, e);
            b[e] = (uedge_t){ f < t ? f : t, f < t ? t : f, VECTOR(uw)[e] };
        }
        qsort(a, (size_t)slots, sizeof *a, cmp_uedge);
        qsort(b, (size_t)mu, sizeof *b, cmp_uedge);
        for (int64_t e = 0; e < mu; e++) {
            ck_assert(cmp_uedge(&a[2 * e], &a[2 * e + 1]) == 0);
            ck_assert_msg(cmp_uedge(&a[2 * e], &b[e]) == 0, "edge %lld-%lld: %g vs %lld-%lld: %g",
                          (long long)a[2 * e].lo, (long long)a[2 * e].hi, a[2 * e].w,
                          (long long)b[e].lo, (long long)b[e].hi, b[e].w);
        }
        free(a);
        free(b);
        igraph_vector_destroy(&uw);
        igraph_attribute_combination_destroy(&comb);
        igraph_destroy(&u);
        iffnet_i_ugraph_destroy(&cg);
        random_view_destroy(&v);
    }
    igraph_set_attribute_table(old);
}
END_TEST

static double igraph_q(const iffnet_i_ugraph_t *cg, const igraph_vector_int_t *mem)
{
    igraph_t u;
    igraph_vector_t uw;
    igraph_real_t q;
    ck_assert_int_eq(igraph_vector_init(&uw, 0), IGRAPH_SUCCESS);
    ck_assert_int_eq(iffnet_i_ugraph_igraph(cg, &u, &uw), IFFNET_OK);
    ck_assert_int_eq(igraph_modularity(&u, mem, &uw, 1, 0, &q), IGRAPH_SUCCESS);
    igraph_destroy(&u);
    igraph_vector_destroy(&uw);
    return q;
}

/* Our modularity equals igraph's, for random partitions. */
START_TEST(modularity_matches_igraph)
{
    for (unsigned long seed = 1; seed <= 5; seed++) {
        iffnet_view_t v;
        iffnet_i_ugraph_t cg;
        igraph_vector_int_t mem;
        double q;
        random_view(&v, 80, 2, 400, seed);
        ck_assert_int_eq(iffnet_i_ugraph_collapse(&v, &cg), IFFNET_OK);
        ck_assert_int_eq(igraph_vector_int_init(&mem, 80), IGRAPH_SUCCESS);
        for (int k = 1; k <= 8; k *= 2) {
            for (int64_t i = 0; i < 80; i++)
                VECTOR(mem)[i] = RNG_INTEGER(0, k - 1);
            ck_assert_int_eq(iffnet_i_ugraph_modularity(&cg, &mem, &q), IFFNET_OK);
            ck_assert_msg(fabs(q - igraph_q(&cg, &mem)) < 1e-12, "seed %lu k %d: %.15g vs %.15g",
                          seed, k, q, igraph_q(&cg, &mem));
        }
        igraph_vector_int_destroy(&mem);
        iffnet_i_ugraph_destroy(&cg);
        random_view_destroy(&v);
    }
}
END_TEST

/* Leiden's guarantee: every community is connected (checked by a search that
 * stays inside the community). */
static void check_connected(const iffnet_i_ugraph_t *g, const igraph_vector_int_t *mem)
{
    int64_t n = g->n, *stack = malloc((size_t)n * sizeof *stack);
    char *seen = calloc((size_t)n, 1), *comm_seen = calloc((size_t)n, 1);
    for (int64_t s = 0; s < n; s++) {
        int64_t c = VECTOR(*mem)[s], top = 0;
        ck_assert(c >= 0 && c < n);
        if (seen[s])
            continue;
        ck_assert_msg(!comm_seen[c], "community %lld is not connected", (long long)c);
        comm_seen[c] = 1;
        seen[s] = 1;
        stack[top++] = s;
        while (top) {
            int64_t x = stack[--top];
            for (int64_t i = g->off[x]; i < g->off[x + 1]; i++)
                if (!seen[g->adj[i]] && VECTOR(*mem)[g->adj[i]] == c) {
                    seen[g->adj[i]] = 1;
                    stack[top++] = g->adj[i];
                }
        }
    }
    free(stack);
    free(seen);
    free(comm_seen);
}

/* On random graphs (no planted structure): deterministic for a seed, connected
 * communities, and on average over seeds a modularity within 1% of igraph's
 * Leiden with the same settings (2 passes, beta 0.01). */
START_TEST(leiden_random_graphs)
{
    for (unsigned long gs = 1; gs <= 3; gs++) {
        iffnet_view_t v;
        iffnet_i_ugraph_t cg;
        igraph_t u;
        igraph_vector_t uw, strength;
        igraph_vector_int_t a, b;
        double ours = 0, theirs = 0;

        random_view(&v, 400, 5, 2400, gs);
        ck_assert_int_eq(iffnet_i_ugraph_collapse(&v, &cg), IFFNET_OK);
        ck_assert_int_eq(igraph_vector_init(&uw, 0), IGRAPH_SUCCESS);
        ck_assert_int_eq(igraph_vector_init(&strength, 0), IGRAPH_SUCCESS);
        ck_assert_int_eq(iffnet_i_ugraph_igraph(&cg, &u, &uw), IFFNET_OK);
        ck_assert_int_eq(igraph_strength(&u, &strength, igraph_vss_all(), IGRAPH_ALL, 1, &uw), IGRAPH_SUCCESS);
        ck_assert_int_eq(igraph_vector_int_init(&a, 0), IGRAPH_SUCCESS);
        ck_assert_int_eq(igraph_vector_int_init(&b, 0), IGRAPH_SUCCESS);
        for (unsigned long seed = 1; seed <= 5; seed++) {
            double q;
            ck_assert_int_eq(iffnet_i_leiden(&cg, 1, 0.01, 2, seed, &a), IFFNET_OK);
            ck_assert_int_eq(iffnet_i_leiden(&cg, 1, 0.01, 2, seed, &b), IFFNET_OK);
            ck_assert(igraph_vector_int_all_e(&a, &b));
            check_connected(&cg, &a);
            ck_assert_int_eq(iffnet_i_ugraph_modularity(&cg, &a, &q), IFFNET_OK);
            ours += q;
            igraph_rng_seed(igraph_rng_default(), seed);
            ck_assert_int_eq(igraph_community_leiden(&u, &uw, &strength, 1 / igraph_vector_sum(&strength),
                                                     0.01, 0, 2, &b, NULL, NULL), IGRAPH_SUCCESS);
            theirs += igraph_q(&cg, &b);
        }
        ck_assert_msg(ours > 0.99 * theirs, "graph %lu: modularity %.4f, igraph's %.4f",
                      gs, ours / 5, theirs / 5);
        /* Until stable: ends, and its communities are connected too. */
        ck_assert_int_eq(iffnet_i_leiden(&cg, 1, 0.01, -1, gs, &a), IFFNET_OK);
        check_connected(&cg, &a);
        /* A higher resolution gives more communities. */
        igraph_integer_t k1 = igraph_vector_int_max(&a);
        ck_assert_int_eq(iffnet_i_leiden(&cg, 4, 0.01, -1, gs, &b), IFFNET_OK);
        ck_assert_int_gt(igraph_vector_int_max(&b), k1);
        igraph_vector_int_destroy(&a);
        igraph_vector_int_destroy(&b);
        igraph_vector_destroy(&strength);
        igraph_vector_destroy(&uw);
        igraph_destroy(&u);
        iffnet_i_ugraph_destroy(&cg);
        random_view_destroy(&v);
    }
}
END_TEST

/* Planted blocks (dense inside, sparse between) are found exactly. */
START_TEST(leiden_planted_blocks)
{
    iffnet_view_t v;
    iffnet_i_ugraph_t cg;
    igraph_matrix_t pref;
    igraph_vector_int_t sizes, mem;
    igraph_t g;
    int64_t n = 200;

    memset(&v, 0, sizeof v);
    igraph_rng_seed(igraph_rng_default(), 7);
    ck_assert_int_eq(igraph_matrix_init(&pref, 4, 4), IGRAPH_SUCCESS);
    igraph_matrix_fill(&pref, 0.005);
    for (int i = 0; i < 4; i++)
        MATRIX(pref, i, i) = 0.3;
    ck_assert_int_eq(igraph_vector_int_init(&sizes, 4), IGRAPH_SUCCESS);
    igraph_vector_int_fill(&sizes, 50);
    ck_assert_int_eq(igraph_sbm_game(&g, n, &pref, &sizes, IGRAPH_DIRECTED, IGRAPH_NO_LOOPS), IGRAPH_SUCCESS);
    v.graph = g;
    v.n_nodes = n;
    v.n_edges = igraph_ecount(&g);
    ck_assert_int_eq(igraph_vector_init(&v.weight, v.n_edges), IGRAPH_SUCCESS);
    igraph_vector_fill(&v.weight, 1);
    ck_assert_int_eq(iffnet_i_ugraph_collapse(&v, &cg), IFFNET_OK);
    ck_assert_int_eq(igraph_vector_int_init(&mem, 0), IGRAPH_SUCCESS);
    for (unsigned long seed = 1; seed <= 5; seed++) {
        ck_assert_int_eq(iffnet_i_leiden(&cg, 1, 0.01, 2, seed, &mem), IFFNET_OK);
        for (int64_t i = 0; i < n; i++)
            ck_assert_int_eq(VECTOR(mem)[i], i / 50); /* labels in order of first node */
    }
    igraph_vector_int_destroy(&mem);
    iffnet_i_ugraph_destroy(&cg);
    random_view_destroy(&v);
    igraph_vector_int_destroy(&sizes);
    igraph_matrix_destroy(&pref);
}
END_TEST

START_TEST(parse_names)
{
    iffnet_rank_by_t by;
    iffnet_community_method_t m;
    ck_assert_int_eq(iffnet_rank_parse("kcore", &by), IFFNET_OK);
    ck_assert_int_eq(by, IFFNET_RANK_KCORE);
    ck_assert_int_eq(iffnet_rank_parse("closeness", &by), IFFNET_EINVAL);
    ck_assert_int_eq(iffnet_community_parse("infomap", &m), IFFNET_OK);
    ck_assert_str_eq(iffnet_community_name(m), "infomap");
    ck_assert_int_eq(iffnet_community_parse("walktrap", &m), IFFNET_EINVAL);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("link");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, rank_matches_networkx, 0, (int)(sizeof ranks / sizeof ranks[0]));
    tcase_add_test(t, rank_betweenness_approx);
    tcase_add_test(t, paths_static);
    tcase_add_test(t, paths_time_respecting);
    tcase_add_test(t, view_window_and_floor);
    tcase_add_test(t, view_entity_level);
    tcase_add_test(t, ego);
    tcase_add_test(t, normalise);
    tcase_add_test(t, links);
    tcase_add_test(t, communities_planted);
    tcase_add_test(t, collapse_matches_igraph);
    tcase_add_test(t, modularity_matches_igraph);
    tcase_add_test(t, leiden_random_graphs);
    tcase_add_test(t, leiden_planted_blocks);
    tcase_add_test(t, parse_names);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    iffnet_init_libraries(1);
    return tu_run_suite(suite());
}
