/* report_net.c: network pictures of the report: the overview of flagged
 * sub-networks (and, when they do not fit, their communities as nodes), one
 * evidence picture per alert, and the subject's neighbourhood.
 *
 * Pictures stay readable and bounded whatever the input: at most
 * max_picture_nodes accounts are drawn; the rest of an alert becomes one node
 * ("12,345 other accounts of the alert"); payments between two nodes are one
 * edge with their count and sum; the cash pseudo-account is drawn as a square;
 * directors, owners and shared identifiers are dashed links. */
#include <math.h>
#include "report_internal.h"
#include "iffnet/link.h"

/* Colour-blind-safe qualitative palette (Okabe-Ito, then Tableau tints). */
static const char *const palette[] = {
    "#56b4e9", "#e69f00", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
    "#b7d7a8", "#c9b3e6", "#f4b6c2", "#a3c4bc", "#ffd39b"};
#define N_PALETTE (int64_t)(sizeof palette / sizeof palette[0])
static const char *const risk_ramp[] = {"#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#8c2d04"};
#define CASH_FILL "#adb5bd"
#define ENTITY_FILL "#e0c3fc"
#define GROUP_FILL "#ced4da"

#define OTHER_COMMUNITY_FILL "#f1f3f5"

static const char *community_fill(const iffnet_i_rep_t *r, int64_t k)
{
    if (k < 0) return "#dddddd";
    if (!r->comm_colour || k >= r->n_comm || r->comm_colour[k] < 0) return OTHER_COMMUNITY_FILL;
    return palette[r->comm_colour[k]];
}

typedef struct { int64_t id, flagged, size; } comm_rank_t;

static int cmp_comm_rank(const void *pa, const void *pb)
{
    const comm_rank_t *a = pa, *b = pb;
    if (a->flagged != b->flagged) return a->flagged > b->flagged ? -1 : 1;
    if (a->size != b->size) return a->size > b->size ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

int iffnet_i_rep_colours(iffnet_i_rep_t *r)
{
    comm_rank_t *k;
    int64_t n = 0;
    if (!r->in->community) return IFFNET_OK;
    for (int64_t a = 0; a < r->c->n_accounts; a++)
        if (r->in->community[a] + 1 > n) n = r->in->community[a] + 1;
    k = calloc((size_t)n + 1, sizeof *k);
    r->comm_colour = malloc(((size_t)n + 1) * sizeof *r->comm_colour);
    if (!k || !r->comm_colour) {
        free(k);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    r->n_comm = n;
    for (int64_t i = 0; i < n; i++) k[i].id = i, r->comm_colour[i] = -1;
    for (int64_t a = 0; a < r->c->n_accounts; a++) {
        int64_t c = r->in->community[a];
        if (c < 0) continue;
        k[c].size++;
        k[c].flagged += r->acc_nalerts[a] > 0;
    }
    iffnet_i_sort(k, (size_t)n, sizeof *k, cmp_comm_rank);
    for (int64_t i = 0; i < n && i < N_PALETTE; i++) r->comm_colour[k[i].id] = i;
    free(k);
    return IFFNET_OK;
}

const char *iffnet_i_rep_node_fill(const iffnet_i_rep_t *r, int64_t a)
{
    if (r->in->community) return community_fill(r, r->in->community[a]);
    double s = r->in->risk ? r->in->risk[a] : r->acc_score[a];
    if (s < 0) return "#dddddd";
    int i = (int)floor(s * 5);
    return risk_ramp[i > 4 ? 4 : i < 0 ? 0 : i];
}

static int is_cash(const iffnet_i_rep_t *r, int64_t a)
{
    return strcmp(iffnet_case_account_id(r->c, a), "CASH") == 0;
}

/* ---- what a picture holds ---- */

/* Nodes of a picture: accounts (acc >= 0), a group of the other accounts of an
 * alert (acc -1, kind GROUP), entities linked by relations (entity >= 0). */
typedef struct {
    int64_t n, cap;
    int64_t *acc, *entity;
    int *shape;
    char **kind, **value;      /* an identifier node: what is shared (owned), else NULL */
    int64_t rest_members;      /* accounts the group node stands for (0: none) */
} nodes_t;

static void nodes_free(nodes_t *n)
{
    for (int64_t i = 0; i < n->n; i++) {
        free(n->kind[i]);
        free(n->value[i]);
    }
    free(n->acc);
    free(n->entity);
    free(n->shape);
    free(n->kind);
    free(n->value);
}

static int nodes_add(nodes_t *n, int64_t acc, int64_t entity, int shape)
{
    if (n->n >= n->cap) {
        int64_t cap = n->cap ? 2 * n->cap : 64;
        int64_t *a = realloc(n->acc, (size_t)cap * sizeof *a);
        if (a) n->acc = a;
        int64_t *e = a ? realloc(n->entity, (size_t)cap * sizeof *e) : NULL;
        if (e) n->entity = e;
        int *s = e ? realloc(n->shape, (size_t)cap * sizeof *s) : NULL;
        if (s) n->shape = s;
        char **k = s ? realloc(n->kind, (size_t)cap * sizeof *k) : NULL;
        if (k) n->kind = k;
        char **v = k ? realloc(n->value, (size_t)cap * sizeof *v) : NULL;
        if (!v) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        n->value = v;
        n->cap = cap;
    }
    n->acc[n->n] = acc;
    n->entity[n->n] = entity;
    n->kind[n->n] = n->value[n->n] = NULL;
    n->shape[n->n++] = shape;
    return IFFNET_OK;
}

/* Aggregated payments among the nodes (node_of[a] = node or -1) from transactions
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
    /* nv is bounded by the picture, so a dense nv x nv index is small. */
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

static char *pair_label(const iffnet_i_rep_t *r, const pairs_t *p, int64_t e, int tip)
{
    char m[64], d0[16], d1[16];
    iffnet_i_rep_money(r, p->sum[e], m, sizeof m);
    iffnet_i_rep_date(p->first[e], d0, sizeof d0);
    iffnet_i_rep_date(p->last[e], d1, sizeof d1);
    char n[32];
    iffnet_i_rep_int(p->count[e], n, sizeof n);
    if (p->count[e] == 1) return iffnet_i_asprintf("%s, %s", m, d0);
    if (tip || strcmp(d0, d1) == 0)
        return iffnet_i_asprintf("%s payments, %s in all, %s%s%s", n, m, d0,
                                 strcmp(d0, d1) ? " to " : "", strcmp(d0, d1) ? d1 : "");
    return iffnet_i_asprintf("%sx %s, %s..%s", n, m, d0 + 5, d1 + 5);
}

static char *account_tip(const iffnet_i_rep_t *r, int64_t a, iffnet_money_t vol)
{
    char id[96], name[160], m1[64], m2[64], m3[64], k[32] = "";
    if (r->in->community && r->in->community[a] >= 0)
        snprintf(k, sizeof k, ", community %lld", (long long)r->in->community[a]);
    const char *country = iffnet_case_account_country(r->c, a), *sector = iffnet_case_account_sector(r->c, a);
    iffnet_i_rep_acc_name(r, a, name, sizeof name);
    return iffnet_i_asprintf("%s %s\ncountry: %s, sector: %s\nin %s, out %s (whole case); here %s\nalerts: %lld%s",
                             iffnet_i_rep_acc_id(r, a, id, sizeof id), name,
                             country[0] ? country : "?", sector[0] ? sector : "?",
                             iffnet_i_rep_money(r, r->acc_in[a], m1, sizeof m1),
                             iffnet_i_rep_money(r, r->acc_out[a], m2, sizeof m2), iffnet_i_rep_money(r, vol, m3, sizeof m3),
                             (long long)r->acc_nalerts[a], k);
}

/* Label, second line and tooltip of node i. */
static int node_text(const iffnet_i_rep_t *r, const nodes_t *nd, int64_t i, iffnet_money_t vol, iffnet_i_net_t *net)
{
    char b[192], id[96], m[64];
    int64_t a = nd->acc[i], e = nd->entity[i];
    if (a >= 0) {
        iffnet_i_rep_acc_name(r, a, b, sizeof b);
        iffnet_i_rep_acc_id(r, a, id, sizeof id);
        if (is_cash(r, a)) snprintf(b, sizeof b, "Cash");
        if (strlen(b) > 26) strcpy(b + 23, "...");
        /* the name first, the id beneath it (names are not unique) */
        net->node_label[i] = iffnet_i_strdup(b[0] ? b : id);
        net->node_sublabel[i] = iffnet_i_strdup(b[0] && strcmp(b, id) ? id : "");
        net->node_tip[i] = account_tip(r, a, vol);
    } else if (nd->shape[i] == IFFNET_I_SHAPE_IDENT) {
        net->node_label[i] = iffnet_i_asprintf("same %s", nd->kind[i]);
        net->node_sublabel[i] = iffnet_i_strdup(r->o->pseudonymize ? "" : nd->value[i]);
        net->node_tip[i] = iffnet_i_asprintf("%s %s, given by the holders of the accounts linked to it", nd->kind[i],
                                             r->o->pseudonymize ? "(identifier)" : nd->value[i]);
    } else if (e >= 0) {
        iffnet_i_rep_entity_label(r, e, b, sizeof b);
        if (strlen(b) > 26) strcpy(b + 23, "...");
        net->node_label[i] = iffnet_i_strdup(b);
        net->node_sublabel[i] = iffnet_i_strdup(r->o->pseudonymize ? "" : iffnet_strtab_get(&r->c->entity_ids, e));
        net->node_tip[i] = iffnet_i_asprintf("%s %s (%s), linked by relations, holds no account drawn here",
                                             r->o->pseudonymize ? "" : iffnet_strtab_get(&r->c->entity_ids, e), b,
                                             iffnet_case_text(r->c, r->c->entity_kind[e]));
    } else {
        char cnt[32];
        snprintf(b, sizeof b, "%s other accounts", iffnet_i_rep_int(nd->rest_members, cnt, sizeof cnt));
        net->node_label[i] = iffnet_i_strdup(b);
        net->node_sublabel[i] = iffnet_i_strdup("of the alert");
        net->node_tip[i] = iffnet_i_asprintf("%lld further accounts of the alert, drawn as one; their payments "
                                             "here: %s", (long long)nd->rest_members,
                                             iffnet_i_rep_money(r, vol, m, sizeof m));
    }
    if (!net->node_label[i] || !net->node_sublabel[i] || !net->node_tip[i])
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    return IFFNET_OK;
}

/* ---- entity links: directors, owners, shared identifiers ---- */

typedef struct {
    int64_t from, to;          /* nodes */
    char *label, *tip;
} link_t;

typedef struct {
    int64_t n, cap;
    link_t *l;
} links_t;

static void links_free(links_t *l)
{
    for (int64_t i = 0; i < l->n; i++) {
        free(l->l[i].label);
        free(l->l[i].tip);
    }
    free(l->l);
}

static int link_add(links_t *l, int64_t from, int64_t to, char *label, char *tip)
{
    /* a second relation between the same two (director and owner): one line, both words */
    for (int64_t i = 0; label && tip && i < l->n; i++) {
        if (l->l[i].from != from || l->l[i].to != to) continue;
        char *lb = iffnet_i_asprintf("%s, %s", l->l[i].label, label), *tp = iffnet_i_asprintf("%s; %s", l->l[i].tip, tip);
        free(label);
        free(tip);
        if (!lb || !tp) {
            free(lb);
            free(tp);
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        }
        free(l->l[i].label);
        free(l->l[i].tip);
        l->l[i].label = lb;
        l->l[i].tip = tp;
        return IFFNET_OK;
    }
    if (!label || !tip || iffnet_i_reserve((void **)&l->l, &l->cap, l->n + 1, sizeof *l->l)) {
        free(label);
        free(tip);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    l->l[l->n++] = (link_t){from, to, label, tip};
    return IFFNET_OK;
}

/* The entity behind node i: an account's holder (else its own record), or the
 * entity node's entity; -1 when none. */
static int64_t node_holder(const iffnet_i_rep_t *r, const nodes_t *nd, int64_t i)
{
    int64_t a = nd->acc[i];
    if (a < 0) return nd->entity[i];
    if (r->c->account_holder && r->c->account_holder[a] >= 0) return r->c->account_holder[a];
    return r->c->account_entity ? r->c->account_entity[a] : -1;
}

/* Directors and owners of the drawn accounts' holders (relations director_of,
 * owns): each becomes a diamond node (up to `max_entities`) with a dashed link
 * to every account whose holder it directs or owns. */
static int relation_links(const iffnet_i_rep_t *r, nodes_t *nd, int64_t max_entities, links_t *out)
{
    const iffnet_case_t *c = r->c;
    int64_t n_acc = nd->n, added = 0;
    for (int64_t k = 0; k < c->n_relations; k++) {
        const char *type = iffnet_case_text(c, c->rel_type[k]);
        int64_t p = c->rel_src_entity[k], d = c->rel_dst_entity[k], pn = -1;
        if (p < 0 || d < 0 || (strcmp(type, "director_of") && strcmp(type, "owns"))) continue;
        for (int64_t i = 0; i < n_acc; i++) {
            if (node_holder(r, nd, i) != d) continue;
            if (pn < 0) { /* the director's own node: an account it holds, or a new diamond */
                for (int64_t j = 0; j < nd->n && pn < 0; j++)
                    if (node_holder(r, nd, j) == p) pn = j;
                if (pn < 0) {
                    if (added >= max_entities) break;
                    IFFNET_TRY(nodes_add(nd, -1, p, IFFNET_I_SHAPE_ENTITY));
                    pn = nd->n - 1;
                    added++;
                }
            }
            IFFNET_TRY(link_add(out, pn, i, iffnet_i_strdup(strcmp(type, "owns") ? "director" : "owner"),
                                iffnet_i_asprintf("%s %s %s", r->o->pseudonymize ? "entity" : iffnet_strtab_get(&c->entity_ids, p),
                                                  type, r->o->pseudonymize ? "entity" : iffnet_strtab_get(&c->entity_ids, d))));
        }
    }
    return IFFNET_OK;
}

/* Identifying attribute values (address, phone, email, registration, website)
 * that the holders of two or more drawn accounts share: each becomes a small
 * node ("same phone", the value beneath) with a dashed link to those accounts,
 * up to `max_values`. */
static int shared_links(const iffnet_i_rep_t *r, nodes_t *nd, int64_t n_acc, int64_t max_values, links_t *out)
{
    static const char *const kinds[] = {"address", "phone", "email", "registration", "website"};
    const iffnet_case_t *c = r->c;
    char **norm = calloc((size_t)n_acc + 1, sizeof *norm);
    int64_t added = 0;
    int err = IFFNET_OK;
    if (!norm) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !err; k++) {
        int64_t col = iffnet_strtab_find((iffnet_strtab_t *)&c->attr_names, kinds[k], strlen(kinds[k]));
        int phone = strcmp(kinds[k], "phone") == 0;
        if (col < 0) continue;
        for (int64_t i = 0; i < n_acc && !err; i++) {
            int64_t e = node_holder(r, nd, i);
            free(norm[i]);
            norm[i] = e >= 0 ? iffnet_link_normalise(iffnet_case_text(c, c->entity_attr[e * c->n_attrs + col]), phone)
                             : iffnet_i_strdup("");
            if (!norm[i]) err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        }
        for (int64_t i = 0; i < n_acc && !err && added < max_values; i++) {
            int64_t ei = node_holder(r, nd, i), holders = 1, first = 1;
            if (!norm[i][0]) continue;
            for (int64_t j = 0; j < i; j++) first &= strcmp(norm[j], norm[i]) != 0;
            for (int64_t j = i + 1; j < n_acc && first; j++)
                holders += strcmp(norm[j], norm[i]) == 0 && node_holder(r, nd, j) != ei;
            if (!first || holders < 2) continue;
            if ((err = nodes_add(nd, -1, -1, IFFNET_I_SHAPE_IDENT))) break;
            int64_t v = nd->n - 1;
            nd->kind[v] = iffnet_i_strdup(kinds[k]);
            nd->value[v] = iffnet_i_strdup(iffnet_case_text(c, c->entity_attr[ei * c->n_attrs + col]));
            if (!nd->kind[v] || !nd->value[v]) err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            added++;
            for (int64_t j = i; j < n_acc && !err; j++)
                if (strcmp(norm[j], norm[i]) == 0)
                    err = link_add(out, v, j, iffnet_i_strdup(""),
                                   iffnet_i_asprintf("the holder gives %s %s", kinds[k],
                                                     r->o->pseudonymize ? "(identifier)" : nd->value[v]));
        }
    }
    for (int64_t i = 0; i < n_acc; i++) free(norm[i]);
    free(norm);
    return err;
}

/* ---- drawing ---- */

/* The n_labels-th largest sum (labels go to the heaviest payments). */
static iffnet_money_t label_cut(const pairs_t *p, int64_t n_labels)
{
    iffnet_money_t cut;
    iffnet_money_t *s;
    if (n_labels <= 0) return IFFNET_MONEY_MAX;
    if (p->n <= n_labels) return 0;
    if (!(s = malloc((size_t)p->n * sizeof *s))) return IFFNET_MONEY_MAX; /* no labels rather than a failure */
    memcpy(s, p->sum, (size_t)p->n * sizeof *s);
    for (int64_t i = 0; i < n_labels; i++)
        for (int64_t j = i + 1; j < p->n; j++)
            if (s[j] > s[i]) { iffnet_money_t x = s[i]; s[i] = s[j]; s[j] = x; }
    cut = s[n_labels - 1];
    free(s);
    return cut;
}

static int net_fill(const iffnet_i_rep_t *r, iffnet_i_net_t *net, const nodes_t *nd, const pairs_t *p,
                    const links_t *lk, int64_t max_labels)
{
    iffnet_money_t cut = label_cut(p, max_labels);
    IFFNET_TRY(iffnet_i_net_alloc(net, nd->n, p->n + lk->n));
    for (int64_t e = 0; e < p->n; e++) {
        net->node_size[p->from[e]] += (double)p->sum[e];
        net->node_size[p->to[e]] += (double)p->sum[e];
    }
    for (int64_t i = 0; i < nd->n; i++) {
        int64_t a = nd->acc[i];
        IFFNET_TRY(node_text(r, nd, i, (iffnet_money_t)(net->node_size[i] / 2), net));
        net->node_shape[i] = nd->shape[i];
        net->node_fill[i] = nd->shape[i] == IFFNET_I_SHAPE_CASH ? CASH_FILL :
                            nd->shape[i] == IFFNET_I_SHAPE_ENTITY || nd->shape[i] == IFFNET_I_SHAPE_IDENT ? ENTITY_FILL :
                            a < 0 ? GROUP_FILL : iffnet_i_rep_node_fill(r, a);
        net->node_ring[i] = a >= 0 && r->acc_nalerts[a] > 0 && !is_cash(r, a);
    }
    for (int64_t e = 0; e < p->n; e++) {
        net->edge_from[e] = p->from[e];
        net->edge_to[e] = p->to[e];
        net->edge_weight[e] = (double)p->sum[e];
        net->edge_kind[e] = IFFNET_I_EDGE_PAYMENT;
        net->edge_tip[e] = pair_label(r, p, e, 1);
        /* the payments to or from the rest of an alert always say how many */
        int rest = nd->shape[p->from[e]] == IFFNET_I_SHAPE_GROUP || nd->shape[p->to[e]] == IFFNET_I_SHAPE_GROUP;
        net->edge_label[e] = p->sum[e] >= cut || rest ? pair_label(r, p, e, 0) : iffnet_i_strdup("");
        if (!net->edge_tip[e] || !net->edge_label[e]) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t k = 0; k < lk->n; k++) {
        int64_t e = p->n + k;
        net->edge_from[e] = lk->l[k].from;
        net->edge_to[e] = lk->l[k].to;
        net->edge_kind[e] = IFFNET_I_EDGE_LINK;
        net->edge_label[e] = iffnet_i_strdup(lk->l[k].label);
        net->edge_tip[e] = iffnet_i_strdup(lk->l[k].tip);
        if (!net->edge_tip[e] || !net->edge_label[e]) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

/* Draws the nodes with the payments among them (from tx, or all when NULL):
 * accounts outside the nodes but in `rest` (per account, may be NULL) go to the
 * group node when there is one. Entity links when `links` is set. */
static int draw(iffnet_i_rep_t *r, nodes_t *nd, const char *rest, const int64_t *tx, int64_t ntx, int links,
                int64_t max_labels, const char *id, const char *caption)
{
    int64_t *node_of = malloc(((size_t)r->c->n_accounts + 1) * sizeof *node_of), group = -1;
    pairs_t p;
    links_t lk = {0};
    iffnet_i_net_t net;
    int err = IFFNET_OK;
    memset(&p, 0, sizeof p);
    memset(&net, 0, sizeof net);
    if (!node_of) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    int64_t n_drawn = nd->n; /* the accounts, before entity and identifier nodes join */
    if (links && (err = relation_links(r, nd, 10, &lk))) goto out;
    if (links && (err = shared_links(r, nd, n_drawn, 6, &lk))) goto out;
    for (int64_t i = 0; i < nd->n; i++)
        if (nd->shape[i] == IFFNET_I_SHAPE_GROUP) group = i;
    for (int64_t a = 0; a < r->c->n_accounts; a++) node_of[a] = rest && rest[a] ? group : -1;
    for (int64_t i = 0; i < nd->n; i++)
        if (nd->acc[i] >= 0) node_of[nd->acc[i]] = i;
    if ((err = pairs_build(r, node_of, nd->n, tx, ntx, &p))) goto out;
    if ((err = net_fill(r, &net, nd, &p, &lk, max_labels))) goto out;
    err = iffnet_i_svg_network(r->fp, &net, r->in->seed, id, caption);
out:
    iffnet_i_net_free(&net);
    pairs_free(&p);
    links_free(&lk);
    free(node_of);
    return err;
}

static int cmp_key(const void *pa, const void *pb, void *arg)
{
    const double *key = arg;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    if (key[a] != key[b]) return key[a] > key[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* The legend under a picture: what the colours, shapes and lines mean. For
 * community colours, the communities drawn (with their sizes). */
static void legend(iffnet_i_rep_t *r, const nodes_t *nd, int links)
{
    fputs("<p class=\"legend\">", r->fp);
    if (r->in->community) {
        int64_t shown[12], ns = 0, more = 0, other = 0;
        fputs("Colour: community", r->fp);
        for (int64_t i = 0; i < nd->n; i++) {
            int64_t a = nd->acc[i], k, j;
            if (a < 0 || is_cash(r, a) || (k = r->in->community[a]) < 0) continue;
            if (!r->comm_colour || k >= r->n_comm || r->comm_colour[k] < 0) {
                other = 1;
                continue;
            }
            for (j = 0; j < ns && shown[j] != k; j++) {}
            if (j < ns) continue;
            if (ns == 12) { more = 1; continue; }
            shown[ns++] = k;
        }
        for (int64_t j = 0; j < ns; j++) {
            int64_t size = 0;
            for (int64_t a = 0; a < r->c->n_accounts; a++) size += r->in->community[a] == shown[j] && !is_cash(r, a);
            fprintf(r->fp, "<span style=\"background:%s\"></span>%lld (%lld accounts)", community_fill(r, shown[j]),
                    (long long)shown[j], (long long)size);
        }
        if (more) fputs(" and more", r->fp);
        if (other)
            fputs("<span style=\"background:" OTHER_COMMUNITY_FILL "\"></span>other communities (beyond the twelve "
                  "with the most flagged accounts)", r->fp);
        fputs("<span style=\"background:#dddddd\"></span>none.", r->fp);
    } else {
        fputs("Colour: risk<span style=\"background:#fff5eb\"></span>low<span style=\"background:#fd8d3c\"></span>"
              "medium<span style=\"background:#8c2d04\"></span>high<span style=\"background:#dddddd\"></span>no signal.",
              r->fp);
    }
    int cash = 0, group = 0;
    for (int64_t i = 0; i < nd->n; i++) {
        cash |= nd->shape[i] == IFFNET_I_SHAPE_CASH;
        group |= nd->shape[i] == IFFNET_I_SHAPE_GROUP;
    }
    fputs(" Red outline: account in an alert", r->fp);
    if (cash) fputs("<span class=\"sq\" style=\"background:" CASH_FILL "\"></span>cash (deposits, withdrawals)", r->fp);
    if (group) fputs("<span class=\"sq\" style=\"background:" GROUP_FILL "\"></span>accounts drawn as one", r->fp);
    if (links)
        fputs("<span class=\"sq\" style=\"background:" ENTITY_FILL ";transform:rotate(45deg)\"></span>person or "
              "company<span class=\"dash\"></span>director, owner or shared identifier", r->fp);
    fputs(". Arrow: payments from one to the other, summed (count, sum, dates). Size: money moved in the picture. "
          "Hover for details; wheel to zoom, drag to pan, double-click to reset.</p>\n", r->fp);
}

int iffnet_i_rep_network_alert(iffnet_i_rep_t *r, const iffnet_alert_t *al, int64_t k)
{
    int64_t max = r->o->max_picture_nodes, nv = 0;
    int64_t *cand = NULL;
    double *vol = calloc((size_t)r->c->n_accounts + 1, sizeof *vol);
    char *in = calloc((size_t)r->c->n_accounts + 1, 1), *rest = NULL;
    nodes_t nd = {0};
    char id[64], cap[400];
    int err = IFFNET_OK, links = al->typology == IFFNET_TYP_SHELL_NETWORK || al->typology == IFFNET_TYP_WATCHLIST;
    if (!vol || !in) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    /* The alert's accounts and the other ends of its transactions (the cash of
     * a structuring alert), the busiest first when they do not all fit. */
    for (int64_t i = 0; i < al->n_accounts; i++) in[al->accounts[i]] = 1;
    for (int64_t i = 0; i < al->n_tx; i++) {
        int64_t t = al->tx[i];
        in[r->c->tx_src[t]] = in[r->c->tx_dst[t]] = 1;
        vol[r->c->tx_src[t]] += (double)iffnet_case_tx_value(r->c, t);
        vol[r->c->tx_dst[t]] += (double)iffnet_case_tx_value(r->c, t);
    }
    if (!(cand = malloc(((size_t)r->c->n_accounts + 1) * sizeof *cand))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t a = 0; a < r->c->n_accounts; a++)
        if (in[a]) cand[nv++] = a;
    if (nv > max) {
        qsort_r(cand, (size_t)nv, sizeof *cand, cmp_key, vol);
        if (!(rest = calloc((size_t)r->c->n_accounts + 1, 1))) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
        for (int64_t i = max - 1; i < nv; i++) rest[cand[i]] = 1;
        nd.rest_members = nv - (max - 1);
        nv = max - 1;
        qsort(cand, (size_t)nv, sizeof *cand, iffnet_i_cmp_i64);
    }
    for (int64_t i = 0; i < nv && !err; i++)
        err = nodes_add(&nd, cand[i], -1, is_cash(r, cand[i]) ? IFFNET_I_SHAPE_CASH : IFFNET_I_SHAPE_ACCOUNT);
    if (!err && rest) err = nodes_add(&nd, -1, -1, IFFNET_I_SHAPE_GROUP);
    if (err) goto out;
    snprintf(id, sizeof id, "net-%lld", (long long)k);
    if (rest)
        snprintf(cap, sizeof cap, "Evidence network of %s: its %lld busiest accounts and the other %lld drawn as one "
                 "node, with the alert's payments between them summed per direction.", al->id, (long long)nv,
                 (long long)nd.rest_members);
    else
        snprintf(cap, sizeof cap, "Evidence network of %s: its accounts%s and the alert's payments between them, "
                 "summed per direction%s.", al->id, nv > al->n_accounts ? " (with the other ends of its payments)" : "",
                 links ? "; dashed: directors, owners and shared identifiers of the holders" : "");
    legend(r, &nd, links);
    /* Every edge labelled while that stays readable, else the heaviest. */
    err = draw(r, &nd, rest, al->tx, al->n_tx, links, 24, id, cap);
out:
    nodes_free(&nd);
    free(cand);
    free(vol);
    free(in);
    free(rest);
    return err;
}

/* When the flagged accounts do not fit in one picture: their communities as
 * nodes (size: the money inside), with the money between them. */
static int overview_communities(iffnet_i_rep_t *r)
{
    const iffnet_case_t *c = r->c;
    int64_t nk = 0, max = r->o->max_picture_nodes, *order = NULL, *flagged = NULL, *size = NULL, *node_of = NULL;
    double *key = NULL;
    pairs_t p;
    iffnet_i_net_t net;
    int err = IFFNET_OK;
    char cap[320];
    memset(&p, 0, sizeof p);
    memset(&net, 0, sizeof net);
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (r->in->community[a] + 1 > nk) nk = r->in->community[a] + 1;
    flagged = calloc((size_t)nk + 1, sizeof *flagged);
    size = calloc((size_t)nk + 1, sizeof *size);
    key = calloc((size_t)nk + 1, sizeof *key);
    order = malloc(((size_t)nk + 1) * sizeof *order);
    node_of = malloc(((size_t)c->n_accounts + 1) * sizeof *node_of);
    if (!flagged || !size || !key || !order || !node_of) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int64_t k = r->in->community[a];
        if (k < 0 || is_cash(r, a)) continue;
        size[k]++;
        flagged[k] += r->acc_nalerts[a] > 0;
    }
    int64_t n = 0;
    for (int64_t k = 0; k < nk; k++)
        if (flagged[k] > 0) key[k] = (double)flagged[k], order[n++] = k;
    qsort_r(order, (size_t)n, sizeof *order, cmp_key, key);
    if (n > max) n = max;
    int64_t *comm_node = calloc((size_t)nk + 1, sizeof *comm_node);
    if (!comm_node) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t k = 0; k < nk; k++) comm_node[k] = -1;
    for (int64_t i = 0; i < n; i++) comm_node[order[i]] = i;
    for (int64_t a = 0; a < c->n_accounts; a++)
        node_of[a] = r->in->community[a] >= 0 && !is_cash(r, a) ? comm_node[r->in->community[a]] : -1;
    free(comm_node);
    if ((err = pairs_build(r, node_of, n, NULL, 0, &p))) goto out;
    /* Money inside a community sizes its node; between communities only the
     * heaviest flows are drawn (as many as communities), the rest would be a hairball. */
    int64_t ne = 0, keep_n = n > 12 ? n : 12;
    for (int64_t e = 0; e < p.n; e++) {
        if (p.from[e] == p.to[e]) continue;
        p.from[ne] = p.from[e], p.to[ne] = p.to[e], p.count[ne] = p.count[e], p.sum[ne] = p.sum[e];
        p.first[ne] = p.first[e], p.last[ne] = p.last[e];
        ne++;
    }
    int64_t n_between = ne;
    iffnet_money_t keep_cut = label_cut(&(pairs_t){ne, p.from, p.to, p.count, p.sum, p.first, p.last}, keep_n);
    if ((err = iffnet_i_net_alloc(&net, n, ne < keep_n ? ne : keep_n))) goto out;
    for (int64_t t = 0; t < c->n_tx; t++) {
        int64_t u = node_of[c->tx_src[t]];
        if (u >= 0 && u == node_of[c->tx_dst[t]]) net.node_size[u] += (double)iffnet_case_tx_value(c, t);
    }
    iffnet_money_t cut = label_cut(&(pairs_t){ne, p.from, p.to, p.count, p.sum, p.first, p.last}, 8);
    int64_t k2 = 0;
    for (int64_t e = 0; e < ne && k2 < net.n_edges; e++) {
        if (p.sum[e] < keep_cut) continue;
        net.edge_from[k2] = p.from[e];
        net.edge_to[k2] = p.to[e];
        net.edge_weight[k2] = (double)p.sum[e];
        net.edge_tip[k2] = pair_label(r, &p, e, 1);
        net.edge_label[k2] = p.sum[e] >= cut ? pair_label(r, &p, e, 0) : iffnet_i_strdup("");
        if (!net.edge_tip[k2] || !net.edge_label[k2]) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
        k2++;
    }
    net.n_edges = k2;
    for (int64_t i = 0; i < n; i++) {
        int64_t k = order[i];
        net.node_label[i] = iffnet_i_asprintf("community %lld", (long long)k);
        net.node_sublabel[i] = iffnet_i_asprintf("%lld accounts, %lld flagged", (long long)size[k], (long long)flagged[k]);
        net.node_tip[i] = iffnet_i_asprintf("community %lld: %lld accounts, %lld in alerts; size: money paid inside it",
                                            (long long)k, (long long)size[k], (long long)flagged[k]);
        net.node_fill[i] = community_fill(r, k);
        net.node_shape[i] = IFFNET_I_SHAPE_GROUP;
        net.node_ring[i] = 1;
        if (!net.node_label[i] || !net.node_sublabel[i] || !net.node_tip[i]) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
    }
    snprintf(cap, sizeof cap, "The %lld communities that hold flagged accounts%s, each drawn as one node (size: money "
             "paid inside it), with the %lld largest of the %lld flows of money between them (all transactions, "
             "summed per direction).", (long long)n, n == max ? " with the most flagged accounts" : "",
             (long long)net.n_edges, (long long)n_between);
    iffnet_i_rep_para(r, "Not every flagged account fits in one picture: here are their communities instead, each as "
                      "one node. Colour: the community's, as in the picture above.");
    err = iffnet_i_svg_network(r->fp, &net, r->in->seed, "overview-communities", cap);
out:
    iffnet_i_net_free(&net);
    pairs_free(&p);
    free(flagged); free(size); free(key); free(order); free(node_of);
    return err;
}

int iffnet_i_rep_network_overview(iffnet_i_rep_t *r)
{
    int64_t n = 0, max = r->o->max_picture_nodes, n_alerts = 0, n_in_pictures = 0;
    int64_t *acc = malloc(((size_t)max + 1) * sizeof *acc);
    char *in = calloc((size_t)r->c->n_accounts + 1, 1);
    nodes_t nd = {0};
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
    n_in_pictures = n;
    if (n == 0) {
        iffnet_i_rep_para(r, r->n_flagged_acc ? "Every alert is larger than a picture can show; see the alert sections."
                                     : "No account is flagged, so there is no flagged network to draw.");
    } else {
        qsort(acc, (size_t)n, sizeof *acc, iffnet_i_cmp_i64);
        for (int64_t i = 0; i < n && !err; i++)
            err = nodes_add(&nd, acc[i], -1, is_cash(r, acc[i]) ? IFFNET_I_SHAPE_CASH : IFFNET_I_SHAPE_ACCOUNT);
        if (err) goto out;
        snprintf(cap, sizeof cap, "The %lld accounts of the %lld highest-scoring alerts that fit in one picture "
                 "(of %lld flagged accounts), and all transactions among them, summed per direction.",
                 (long long)n, (long long)n_alerts, (long long)r->n_flagged_acc);
        iffnet_i_rep_para(r, "The accounts named in alerts and the money moving between them. The whole network "
                    "of the case is not drawn: it would be unreadable.");
        legend(r, &nd, 0);
        /* The overview shows structure: only the heaviest flows carry labels. */
        if ((err = draw(r, &nd, NULL, NULL, 0, 0, 8, "overview-net", cap))) goto out;
    }
    if (r->in->community && r->n_flagged_acc > n_in_pictures) err = overview_communities(r);
out:
    nodes_free(&nd);
    free(acc);
    free(in);
    return err;
}

int iffnet_i_rep_network_subject(iffnet_i_rep_t *r, const int64_t *counterparties, int64_t n_cp)
{
    const iffnet_report_subject_t *s = r->in->subject;
    nodes_t nd = {0};
    int64_t *tx = NULL, ntx = 0;
    int err = IFFNET_OK;
    for (int64_t i = 0; i < s->n_accounts && i < r->o->max_picture_nodes && !err; i++)
        err = nodes_add(&nd, s->accounts[i], -1, IFFNET_I_SHAPE_ACCOUNT);
    for (int64_t i = 0; i < n_cp && nd.n < r->o->max_picture_nodes && !err; i++)
        err = nodes_add(&nd, counterparties[i], -1, is_cash(r, counterparties[i]) ? IFFNET_I_SHAPE_CASH
                                                                               : IFFNET_I_SHAPE_ACCOUNT);
    if (err) goto out;
    /* the subject's own transactions only: not those among its counterparties */
    if (!(tx = malloc(((size_t)r->c->n_tx + 1) * sizeof *tx))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t t = 0; t < r->c->n_tx; t++)
        if (r->acc_subject[r->c->tx_src[t]] || r->acc_subject[r->c->tx_dst[t]]) tx[ntx++] = t;
    legend(r, &nd, 1);
    err = draw(r, &nd, NULL, tx, ntx, 1, 16, "subject-net",
               "The subject's accounts, its largest counterparties and the payments between the subject and them, "
               "summed per direction; dashed: directors, owners and shared identifiers.");
out:
    free(tx);
    nodes_free(&nd);
    return err;
}
