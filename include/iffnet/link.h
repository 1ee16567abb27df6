/* link.h: link analysis over a case: the network view (time window, amount floor,
 * account or entity level), centrality ranking, connecting paths (static and
 * time-respecting) with maximum flow, ego networks, entity links from shared
 * identifiers, and community detection with per-community summaries.
 *
 * Ownership: a view borrows its case (which must outlive it) and owns everything
 * else; result structs are filled by the function that computes them and released
 * with their `_destroy`. igraph vectors passed in are caller-initialised and
 * function-resized, as in igraph.
 */
#ifndef IFFNET_LINK_H
#define IFFNET_LINK_H

#include <igraph.h>
#include "common.h"
#include "case.h"

typedef enum { IFFNET_LEVEL_ACCOUNT = 0, IFFNET_LEVEL_ENTITY } iffnet_level_t;
typedef enum { IFFNET_WEIGHT_AMOUNT = 0, IFFNET_WEIGHT_COUNT } iffnet_weight_t;

/* Which transactions a view keeps and how it aggregates them. */
typedef struct {
    iffnet_time_t since;       /* keep tx with since <= time; INT64_MIN = open */
    iffnet_time_t until;       /* ... and time < until; INT64_MAX = open */
    iffnet_money_t min_amount; /* keep tx whose iffnet_case_tx_value() >= this */
    iffnet_level_t level;
    iffnet_weight_t weight;
} iffnet_view_opts_t;

void iffnet_view_opts_default(iffnet_view_opts_t *o);

/* The network seen by link analysis. Node = account (account level) or holder
 * entity (entity level; accounts without a holder stay account nodes). The kept
 * transactions are aggregated into a simple directed graph: one edge per ordered
 * node pair, self-transfers left out (they move no money between nodes). */
typedef struct {
    iffnet_case_t *c;
    iffnet_view_opts_t opts;
    int64_t n_nodes;
    int64_t *node_account;   /* account of each account node, else -1 */
    int64_t *node_entity;    /* entity of each entity node, else -1 */
    int64_t *account_node;   /* node of each account */
    igraph_t graph;          /* n_nodes vertices, n_edges edges */
    int64_t n_edges;
    igraph_vector_t weight;  /* per edge: value sum (amount) or tx count (count) */
    igraph_vector_t capacity;/* per edge: value sum, for max flow */
    iffnet_money_t *edge_amount;
    int64_t *edge_tx_off;    /* tx of edge e: edge_tx[edge_tx_off[e] .. edge_tx_off[e+1]) */
    int64_t *edge_tx;        /* case tx indices, in time order within an edge */
    int64_t n_tx;            /* kept transactions (self-transfers included) */
    int64_t n_self;          /* kept self-transfers, not in the graph */
    iffnet_money_t *in_amount, *out_amount;  /* per node, self-transfers excluded */
    int64_t *in_count, *out_count;
    int32_t value_currency;  /* iffnet_case_value_currency(), computed once (it may scan) */
    int value_scale;         /* its decimals */
} iffnet_view_t;

/* Builds the view of case c. O(n_tx + n_accounts + n_entities). */
int iffnet_view_build(iffnet_view_t *v, iffnet_case_t *c, const iffnet_view_opts_t *o);
void iffnet_view_destroy(iffnet_view_t *v);

/* Id, name, country, sector of node u ("" when unknown). */
const char *iffnet_view_node_id(const iffnet_view_t *v, int64_t u);
const char *iffnet_view_node_name(const iffnet_view_t *v, int64_t u);
const char *iffnet_view_node_country(const iffnet_view_t *v, int64_t u);
const char *iffnet_view_node_sector(const iffnet_view_t *v, int64_t u);

/* Node named `id`: an account id, or at entity level also an entity id (an account
 * id then maps to its holder's node). Returns -1 and sets a message when unknown. */
int64_t iffnet_view_find(const iffnet_view_t *v, const char *id);

/* ---- ranking ---- */

#define IFFNET_RANK_METHODS(X) \
    X(PAGERANK, "pagerank") X(HITS, "hits") X(BETWEENNESS, "betweenness") \
    X(STRENGTH, "strength") X(DEGREE, "degree") X(KCORE, "kcore") X(EIGENVECTOR, "eigenvector")
#define IFFNET_I_ENUM(e, s) IFFNET_RANK_##e,
typedef enum { IFFNET_RANK_METHODS(IFFNET_I_ENUM) IFFNET_RANK_N } iffnet_rank_by_t;
#undef IFFNET_I_ENUM

int iffnet_rank_parse(const char *s, iffnet_rank_by_t *by);
const char *iffnet_rank_name(iffnet_rank_by_t by);

typedef struct {
    iffnet_rank_by_t by;
    double damping;          /* PageRank, default 0.85 */
    int64_t cutoff;          /* betweenness: -1 automatic, 0 exact, k = paths of <= k hops */
    int64_t samples;         /* betweenness: 0 none, else that many random sources */
    int64_t auto_limit;      /* automatic mode is exact up to this many nodes (default 20000) */
    int64_t budget;          /* betweenness: at most this many edge visits (default
                              * IFFNET_RANK_BUDGET); 0: no limit. When it runs out the
                              * sources done so far, taken in random order, give a
                              * scaled estimate, and the note says so. */
    /* Called now and then with sources done and sources in all (may be NULL). */
    void (*progress)(void *arg, const char *what, int64_t done, int64_t total);
    void *progress_arg;
    const int64_t *personal; /* PageRank: reset nodes (personalised), or NULL */
    int64_t n_personal;
} iffnet_rank_opts_t;

/* Edge visits betweenness may make by default: about half a minute of one
 * core, counted in work rather than time so that the result does not depend on
 * the machine. */
#define IFFNET_RANK_BUDGET ((int64_t)1000000000)

void iffnet_rank_opts_default(iffnet_rank_opts_t *o);

typedef struct {
    igraph_vector_t score;   /* per node; HITS: hub score */
    igraph_vector_t score2;  /* HITS: authority score; else empty */
    char note[160];          /* how scores were computed when approximate, else "" */
} iffnet_rank_t;

int iffnet_rank_init(iffnet_rank_t *r);
void iffnet_rank_destroy(iffnet_rank_t *r);

/* Scores every node. PageRank and HITS are weighted by the view's weight and
 * directed; betweenness counts hops on directed edges (amounts are not distances);
 * strength is in+out weight; degree the number of distinct counterparts (in+out);
 * kcore the undirected coreness; eigenvector the undirected weighted centrality.
 * Time: PageRank/HITS/eigenvector O(E) per iteration, betweenness O(V E)
 * (O(s E) sampled, bounded by the cutoff and by opts->budget edge visits), the
 * others O(V + E). */
int iffnet_rank_compute(const iffnet_view_t *v, const iffnet_rank_opts_t *o, iffnet_rank_t *r);

/* Node indices sorted by score descending (score2, then node index, break ties). */
int iffnet_rank_order(const iffnet_rank_t *r, igraph_vector_int_t *order);

/* ---- paths ---- */

typedef struct {
    int64_t max_hops;        /* default 6 */
    int64_t k;               /* number of paths, default 3 */
    int time_respecting;
    int64_t skip_degree;     /* skip intermediate nodes with more distinct counterparts; 0 = none */
} iffnet_path_opts_t;

void iffnet_path_opts_default(iffnet_path_opts_t *o);

/* Paths found from one node to another. Hop h of path p is hop index
 * off[p] + h, h < off[p+1] - off[p]: it goes from hop_src to hop_dst along
 * aggregated edge hop_edge (static paths) or transaction hop_tx (time-respecting;
 * -1 for static paths). */
typedef struct {
    int64_t n_paths;
    int64_t *off;
    int64_t n_hops, cap_hops;
    int64_t *hop_src, *hop_dst, *hop_edge, *hop_tx;
    int64_t n_skipped;       /* hubs skipped (by skip_degree) */
    int64_t *skipped;
    iffnet_money_t max_flow; /* static max flow with value capacities, hubs skipped */
    int64_t n_cut;           /* edges of a minimum cut */
    int64_t *cut;
} iffnet_paths_t;

void iffnet_paths_init(iffnet_paths_t *p);
void iffnet_paths_destroy(iffnet_paths_t *p);

/* Finds up to k shortest paths of at most max_hops hops from `from` to `to`.
 * Static: fewest hops on aggregated edges (Yen's algorithm, igraph).
 * Time-respecting: each hop a transaction strictly later than the previous one;
 * paths ordered by hops then arrival time, found by a label-setting search over
 * (node, arrival time) labels with at most k labels kept per node and hop count,
 * expanding each label only by the earliest later transaction to each neighbour.
 * Also computes the static max flow from `from` to `to` (hubs skipped).
 * Time: static O(k V (V log V + E)); time-respecting O(H k E log E) for H hops. */
int iffnet_path_find(const iffnet_view_t *v, int64_t from, int64_t to,
                     const iffnet_path_opts_t *o, iffnet_paths_t *p);

/* ---- ego network ---- */

/* Nodes within `hops` hops of `center` ignoring direction, with their distance,
 * ordered by distance then node index. O(V + E). */
int iffnet_ego_nodes(const iffnet_view_t *v, int64_t center, int64_t hops,
                     igraph_vector_int_t *nodes, igraph_vector_int_t *dist);

/* An ego network through payments and, at entity level, relations too:
 * directors, owners, employers (every relation of the case but holds_account,
 * which the entity level already collapses). Members are view nodes or
 * entities that are no node (a director who holds no account). */
typedef struct {
    int64_t n;
    int64_t *node;           /* view node of member i, or -1 */
    int64_t *entity;         /* the entity when node is -1 (else -1) */
    int64_t *hops;           /* distance from the centre, ascending */
    int64_t n_links;         /* relations between members */
    int64_t *link_rel;       /* relation index of the case */
    int64_t *link_from, *link_to; /* member indices (source and target of the relation) */
} iffnet_ego_t;

/* The members within `hops` hops of the centre (a view node, or with
 * center_node -1 an entity that is no node) over payments in either direction,
 * and, when `relations` is set and the view is at entity level, over relations;
 * ordered by distance, then view nodes by index, then entities by index.
 * O(V + E + R + n_entities). */
int iffnet_ego_build(const iffnet_view_t *v, int64_t center_node, int64_t center_entity, int64_t hops,
                     int relations, iffnet_ego_t *out);
void iffnet_ego_destroy(iffnet_ego_t *e);
/* The entity of an id that holds no account (for iffnet_ego_build's centre), or -1. */
int64_t iffnet_view_find_entity(const iffnet_view_t *v, const char *id);

typedef enum { IFFNET_GRAPH_CSV = 0, IFFNET_GRAPH_GRAPHML, IFFNET_GRAPH_DOT } iffnet_graph_format_t;
int iffnet_graph_format_parse(const char *s, iffnet_graph_format_t *f);

/* Writes the sub-network induced by `nodes` (edges among them, with their value,
 * count and first/last dates). CSV: an edge list. O(V + E). */
int iffnet_view_write_subgraph(const iffnet_view_t *v, const igraph_vector_int_t *nodes,
                               iffnet_graph_format_t fmt, FILE *fp);

/* ---- entity links ---- */

/* Normalises an identifier for comparison: lowercase ASCII, punctuation to
 * spaces, runs of spaces collapsed, common abbreviations expanded (st -> street,
 * rd -> road, ltd -> limited, ...). Phone-like keys keep digits only.
 * Returns a fresh string or NULL on memory failure. O(len). */
char *iffnet_link_normalise(const char *s, int digits_only);

typedef struct {
    const char *const *by;   /* attribute names, or "director"/"owner", or "name" (entity names
                                normalised as names.h says); NULL = default set */
    int64_t n_by;
    int64_t max_share;       /* ignore values shared by more entities (0 = no limit) */
    const char *keep;        /* per entity: 0 = leave out; NULL = all entities */
} iffnet_links_opts_t;

/* One shared identifier: `n` entities share `value` of kind `by`. */
typedef struct {
    int64_t group;
    char *by;
    char *value;             /* normalised value (for director/owner: the director's id) */
    int64_t n;
    int64_t *members;        /* entity indices, ascending */
} iffnet_link_key_t;

typedef struct {
    int64_t n_groups;
    int64_t *group_size;
    int64_t n_keys;
    iffnet_link_key_t *keys; /* sorted by group, then by, then value */
    int64_t n_ignored;       /* values ignored by max_share */
} iffnet_links_t;

void iffnet_links_destroy(iffnet_links_t *l);

/* Groups entities that share identifiers (connected components of the
 * entity-identifier relation); groups numbered by size descending, then by their
 * smallest entity. O(n_entities * n_by * len + n_relations + K log K). */
int iffnet_links_find(iffnet_case_t *c, const iffnet_links_opts_t *o, iffnet_links_t *l);

/* ---- communities ---- */

#define IFFNET_COMMUNITY_METHODS(X) \
    X(LEIDEN, "leiden") X(LOUVAIN, "louvain") X(INFOMAP, "infomap") X(LABELPROP, "labelprop")
#define IFFNET_I_ENUM(e, s) IFFNET_COMMUNITY_##e,
typedef enum { IFFNET_COMMUNITY_METHODS(IFFNET_I_ENUM) IFFNET_COMMUNITY_N } iffnet_community_method_t;
#undef IFFNET_I_ENUM

int iffnet_community_parse(const char *s, iffnet_community_method_t *m);
const char *iffnet_community_name(iffnet_community_method_t m);

typedef struct {
    iffnet_community_method_t method;
    double resolution;       /* modularity resolution, default 1 */
    int64_t iterations;      /* Leiden iterations, -1 = until stable; default 2 */
    int64_t trials;          /* Infomap trials, default 1 */
    unsigned long seed;
    int64_t runs;            /* >= 2: also run with seeds seed+1.. and compare */
} iffnet_community_opts_t;

void iffnet_community_opts_default(iffnet_community_opts_t *o);

typedef struct {
    igraph_vector_int_t membership; /* per node, communities numbered by size desc */
    int64_t n_communities;
    double modularity;       /* weighted, undirected, at resolution 1 */
    double codelength;       /* Infomap only */
    int64_t runs;
    double nmi_mean, ari_mean, nmi_min, ari_min; /* across runs (pairs), when runs >= 2 */
} iffnet_communities_t;

int iffnet_communities_init(iffnet_communities_t *r);
void iffnet_communities_destroy(iffnet_communities_t *r);

/* Detects communities. Leiden (modularity objective), Louvain and label
 * propagation run on the undirected collapse (weights summed both ways);
 * Infomap on the directed weighted graph. Seeds igraph's RNG with o->seed.
 * Time: about O(E) per pass (Leiden, Louvain, label propagation), O(trials E log E)
 * Infomap; times `runs`. */
int iffnet_communities_detect(const iffnet_view_t *v, const iffnet_community_opts_t *o,
                              iffnet_communities_t *r);

#define IFFNET_COMMUNITY_TOP 3
typedef struct {
    int64_t id, size;
    iffnet_money_t internal, inflow, outflow;
    int64_t internal_tx;
    int64_t flagged;         /* members flagged by alerts (-1 when no alerts given) */
    int64_t n_top;
    int64_t top[IFFNET_COMMUNITY_TOP]; /* members with the highest PageRank */
    char *countries;         /* "ZA:3 VN:2" most common first */
    char *sectors;
} iffnet_community_summary_t;

/* Summarises each community. `pagerank` (per node) orders members; `flagged`
 * (per node, 0/1) may be NULL. *out gets n_communities summaries, freed with
 * iffnet_community_summaries_free(). O(V log V + E). */
int iffnet_community_summarise(const iffnet_view_t *v, const iffnet_communities_t *r,
                               const igraph_vector_t *pagerank, const char *flagged,
                               iffnet_community_summary_t **out);
void iffnet_community_summaries_free(iffnet_community_summary_t *s, int64_t n);

#endif
