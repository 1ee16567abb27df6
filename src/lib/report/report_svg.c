/* report_svg.c: inline SVG network pictures and charts for the report; XML escaping.
 * Pictures carry <title> elements so that hovering shows details without script. */
#include <math.h>
#include "report_internal.h"

void iffnet_i_xml_text(FILE *fp, const char *s, int64_t n)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    if (n < 0) n = (int64_t)strlen((const char *)p);
    for (int64_t i = 0; i < n;) {
        unsigned c = p[i];
        switch (c) {
        case '&': fputs("&amp;", fp); i++; continue;
        case '<': fputs("&lt;", fp); i++; continue;
        case '>': fputs("&gt;", fp); i++; continue;
        case '"': fputs("&quot;", fp); i++; continue;
        case '\'': fputs("&#39;", fp); i++; continue;
        default: break;
        }
        if (c < 0x20) {
            /* XML 1.0 allows only tab, newline and carriage return below 0x20. */
            fputc(c == '\t' || c == '\n' || c == '\r' ? (int)c : ' ', fp);
            i++;
            continue;
        }
        size_t len = iffnet_i_utf8_len(p + i, (size_t)(n - i));
        if (len == 0) {
            fputs("\xEF\xBF\xBD", fp);
            i++;
            continue;
        }
        fwrite(p + i, 1, len, fp);
        i += (int64_t)len;
    }
}

void iffnet_i_compact(char *buf, size_t size, double v)
{
    /* Words a reader of a financial report expects ("1 bn", "12.5 m", "3 k"), not
     * SI prefixes ("G" reads as nothing in a money context). */
    static const struct { double unit; const char *suffix; } units[] = {
        {1e12, " tn"}, {1e9, " bn"}, {1e6, " m"}, {1e3, " k"}, {1, ""}};
    double a = fabs(v);
    for (int i = 0; i < 5; i++) {
        if (a < units[i].unit && i < 4) continue;
        double x = v / units[i].unit;
        /* Whole numbers without decimals ("2 k", not "2.0 k"); one decimal below 100. */
        if (x == floor(x) || fabs(x) >= 100) snprintf(buf, size, "%.0f%s", x, units[i].suffix);
        else if (fabs(x) >= 10 || i < 4) snprintf(buf, size, "%.1f%s", x, units[i].suffix);
        else snprintf(buf, size, "%.2f", x);
        return;
    }
}

int iffnet_i_net_alloc(iffnet_i_net_t *n, int64_t n_nodes, int64_t n_edges)
{
    memset(n, 0, sizeof *n);
    size_t nv = (size_t)(n_nodes ? n_nodes : 1), ne = (size_t)(n_edges ? n_edges : 1);
    n->n_nodes = n_nodes;
    n->n_edges = n_edges;
    n->node_label = calloc(nv, sizeof *n->node_label);
    n->node_sublabel = calloc(nv, sizeof *n->node_sublabel);
    n->node_tip = calloc(nv, sizeof *n->node_tip);
    n->node_size = calloc(nv, sizeof *n->node_size);
    n->node_fill = calloc(nv, sizeof *n->node_fill);
    n->node_ring = calloc(nv, sizeof *n->node_ring);
    n->node_shape = calloc(nv, sizeof *n->node_shape);
    n->edge_from = calloc(ne, sizeof *n->edge_from);
    n->edge_to = calloc(ne, sizeof *n->edge_to);
    n->edge_weight = calloc(ne, sizeof *n->edge_weight);
    n->edge_kind = calloc(ne, sizeof *n->edge_kind);
    n->edge_label = calloc(ne, sizeof *n->edge_label);
    n->edge_tip = calloc(ne, sizeof *n->edge_tip);
    if (!n->node_label || !n->node_sublabel || !n->node_tip || !n->node_size || !n->node_fill || !n->node_ring ||
        !n->node_shape || !n->edge_from || !n->edge_to || !n->edge_weight || !n->edge_kind || !n->edge_label ||
        !n->edge_tip) {
        iffnet_i_net_free(n);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

void iffnet_i_net_free(iffnet_i_net_t *n)
{
    for (int64_t i = 0; n->node_label && i < n->n_nodes; i++) {
        free(n->node_label[i]);
        free(n->node_sublabel[i]);
        free(n->node_tip[i]);
    }
    for (int64_t i = 0; n->edge_label && i < n->n_edges; i++) {
        free(n->edge_label[i]);
        free(n->edge_tip[i]);
    }
    free(n->node_label); free(n->node_sublabel); free(n->node_tip); free(n->node_size); free(n->node_fill);
    free(n->node_ring); free(n->node_shape); free(n->edge_from); free(n->edge_to); free(n->edge_weight);
    free(n->edge_kind); free(n->edge_label); free(n->edge_tip);
    memset(n, 0, sizeof *n);
}

#define NET_W 900.0
#define NET_H 560.0      /* the tallest picture; flat layouts get less height */
#define NET_MIN_H 260.0
#define NET_MARGIN 70.0

/* Turns the vertices `vid` (n of them) of a layout so that their longest extent
 * (principal axis) is horizontal, since pages are wider than tall, and mirrors them
 * so that money mostly flows left to right. `in` marks the vertices (for edges). */
static void orient(igraph_matrix_t *res, const iffnet_i_net_t *net, const igraph_vector_int_t *vid,
                   const char *in)
{
    int64_t n = igraph_vector_int_size(vid);
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0, flow = 0;
    for (int64_t k = 0; k < n; k++) {
        mx += MATRIX(*res, VECTOR(*vid)[k], 0);
        my += MATRIX(*res, VECTOR(*vid)[k], 1);
    }
    if (n > 0) { mx /= (double)n; my /= (double)n; }
    for (int64_t k = 0; k < n; k++) {
        double dx = MATRIX(*res, VECTOR(*vid)[k], 0) - mx, dy = MATRIX(*res, VECTOR(*vid)[k], 1) - my;
        sxx += dx * dx; syy += dy * dy; sxy += dx * dy;
    }
    double th = 0.5 * atan2(2 * sxy, sxx - syy), ct = cos(th), st = sin(th);
    for (int64_t k = 0; k < n; k++) {
        igraph_integer_t i = VECTOR(*vid)[k];
        double dx = MATRIX(*res, i, 0) - mx, dy = MATRIX(*res, i, 1) - my;
        MATRIX(*res, i, 0) = ct * dx + st * dy;
        MATRIX(*res, i, 1) = -st * dx + ct * dy;
    }
    for (int64_t e = 0; e < net->n_edges; e++)
        if (in[net->edge_from[e]] && in[net->edge_to[e]])
            flow += MATRIX(*res, net->edge_to[e], 0) - MATRIX(*res, net->edge_from[e], 0);
    if (flow < 0)
        for (int64_t k = 0; k < n; k++) MATRIX(*res, VECTOR(*vid)[k], 0) = -MATRIX(*res, VECTOR(*vid)[k], 0);
}

/* Pushes overlapping circles apart (layouts place nodes as points; drawn circles
 * have radii). A few deterministic relaxation sweeps; O(V^2) each. */
static void separate(igraph_matrix_t *xy, const double *rad, int64_t n, double height)
{
    for (int sweep = 0; sweep < 30; sweep++) {
        int moved = 0;
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = i + 1; j < n; j++) {
                double dx = MATRIX(*xy, j, 0) - MATRIX(*xy, i, 0), dy = MATRIX(*xy, j, 1) - MATRIX(*xy, i, 1);
                double d = sqrt(dx * dx + dy * dy), need = rad[i] + rad[j] + 6;
                if (d >= need) continue;
                if (d < 1e-6) { dx = 1; dy = 0; d = 1; }   /* same point: split sideways */
                double push = (need - d) / 2;
                MATRIX(*xy, i, 0) -= dx / d * push; MATRIX(*xy, i, 1) -= dy / d * push;
                MATRIX(*xy, j, 0) += dx / d * push; MATRIX(*xy, j, 1) += dy / d * push;
                moved = 1;
            }
        for (int64_t i = 0; i < n; i++) {
            MATRIX(*xy, i, 0) = fmin(fmax(MATRIX(*xy, i, 0), 30), NET_W - 30);
            MATRIX(*xy, i, 1) = fmin(fmax(MATRIX(*xy, i, 1), 30), height - 30);
        }
        if (!moved) break;
    }
}

/* Layout of a connected graph. Kamada-Kawai reads well on small evidence networks
 * and is deterministic (circle start); Fruchterman-Reingold (seeded random start)
 * copes with larger ones. */
static igraph_error_t layout_connected(const igraph_t *g, igraph_matrix_t *res, unsigned long seed)
{
    igraph_integer_t n = igraph_vcount(g);
    if (n <= 1) {
        IGRAPH_CHECK(igraph_matrix_resize(res, n, 2));
        igraph_matrix_null(res);
        return IGRAPH_SUCCESS;
    }
    if (n <= 60)
        return igraph_layout_kamada_kawai(g, res, 0, 50 * n, 0.0, (igraph_real_t)n, NULL, NULL, NULL, NULL, NULL);
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)seed);
    return igraph_layout_fruchterman_reingold(g, res, 0, 500, sqrt((double)n), IGRAPH_LAYOUT_NOGRID, NULL,
                                              NULL, NULL, NULL, NULL);
}

/* Places component boxes (w x h, in order) on shelves about `row` wide; writes the
 * offset of each box's corner. */
static void shelf_pack(int64_t nc, const double *w, const double *h, double row, double *ox, double *oy)
{
    double x = 0, y = 0, tall = 0;
    for (int64_t c = 0; c < nc; c++) {
        if (x > 0 && x + w[c] > row) {
            x = 0;
            y += tall + 2.5;
            tall = 0;
        }
        ox[c] = x;
        oy[c] = y;
        x += w[c] + 2.5;
        if (h[c] > tall) tall = h[c];
    }
}

/* One component: lays it out, turns it, and scales it so that its box grows with
 * the square root of its size (area with the number of accounts). Fills w, h and
 * leaves its coordinates relative to its box corner. */
static igraph_error_t layout_component(const igraph_t *g, const iffnet_i_net_t *net, igraph_matrix_t *res,
                                       const igraph_vector_int_t *vid, char *in, unsigned long seed,
                                       double *w, double *h)
{
    igraph_t sub;
    igraph_matrix_t sres;
    int64_t n = igraph_vector_int_size(vid);
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    IGRAPH_CHECK(igraph_matrix_init(&sres, 0, 0));
    IGRAPH_FINALLY(igraph_matrix_destroy, &sres);
    IGRAPH_CHECK(igraph_induced_subgraph(g, &sub, igraph_vss_vector(vid), IGRAPH_SUBGRAPH_COPY_AND_DELETE));
    IGRAPH_FINALLY(igraph_destroy, &sub);
    IGRAPH_CHECK(layout_connected(&sub, &sres, seed));
    /* COPY_AND_DELETE keeps the vertices in ascending order, as in vid. */
    for (int64_t k = 0; k < n; k++) {
        MATRIX(*res, VECTOR(*vid)[k], 0) = MATRIX(sres, k, 0);
        MATRIX(*res, VECTOR(*vid)[k], 1) = MATRIX(sres, k, 1);
        in[VECTOR(*vid)[k]] = 1;
    }
    orient(res, net, vid, in);
    for (int64_t k = 0; k < n; k++) in[VECTOR(*vid)[k]] = 0;
    for (int64_t k = 0; k < n; k++) {
        igraph_integer_t i = VECTOR(*vid)[k];
        minx = fmin(minx, MATRIX(*res, i, 0)); maxx = fmax(maxx, MATRIX(*res, i, 0));
        miny = fmin(miny, MATRIX(*res, i, 1)); maxy = fmax(maxy, MATRIX(*res, i, 1));
    }
    double ext = fmax(maxx - minx, maxy - miny), s = ext > 0 ? 1.3 * sqrt((double)n) / ext : 0;
    for (int64_t k = 0; k < n; k++) {
        igraph_integer_t i = VECTOR(*vid)[k];
        MATRIX(*res, i, 0) = (MATRIX(*res, i, 0) - minx) * s;
        MATRIX(*res, i, 1) = (MATRIX(*res, i, 1) - miny) * s;
    }
    *w = (maxx - minx) * s;
    *h = (maxy - miny) * s;
    igraph_destroy(&sub);
    igraph_matrix_destroy(&sres);
    IGRAPH_FINALLY_CLEAN(2);
    return IGRAPH_SUCCESS;
}

/* Lays out every weakly connected component on its own, largest first, and packs
 * them on shelves: one force layout of disconnected pieces clumps them together. */
static igraph_error_t layout_components(const igraph_t *g, const iffnet_i_net_t *net, igraph_matrix_t *res,
                                        unsigned long seed)
{
    igraph_vector_int_t memb, csize, vid, order;
    igraph_integer_t nc;
    int64_t n = igraph_vcount(g);
    double *box = NULL, area = 0;
    char *in = NULL;
    IGRAPH_VECTOR_INT_INIT_FINALLY(&memb, 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&csize, 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&vid, 0);
    IGRAPH_VECTOR_INT_INIT_FINALLY(&order, 0);
    IGRAPH_CHECK(igraph_connected_components(g, &memb, &csize, &nc, IGRAPH_WEAK));
    /* Largest component first; igraph numbers components by their first vertex,
     * and the stable sort keeps that order among equal sizes. */
    IGRAPH_CHECK(igraph_vector_int_qsort_ind(&csize, &order, IGRAPH_DESCENDING));
    box = calloc((size_t)nc * 4 + 1, sizeof *box);
    in = calloc((size_t)n + 1, 1);
    IGRAPH_CHECK_OOM(box, "layout");
    IGRAPH_FINALLY(free, box);
    IGRAPH_CHECK_OOM(in, "layout");
    IGRAPH_FINALLY(free, in);
    for (igraph_integer_t k = 0; k < nc; k++) {
        igraph_integer_t c = VECTOR(order)[k];
        igraph_vector_int_clear(&vid);
        for (int64_t i = 0; i < n; i++)
            if (VECTOR(memb)[i] == c) IGRAPH_CHECK(igraph_vector_int_push_back(&vid, i));
        IGRAPH_CHECK(layout_component(g, net, res, &vid, in, seed, &box[k], &box[nc + k]));
        area += (box[k] + 2.5) * (box[nc + k] + 2.5);
    }
    shelf_pack(nc, box, box + nc, fmax(box[0], 1.7 * sqrt(area)), box + 2 * nc, box + 3 * nc);
    for (int64_t i = 0; i < n; i++) {
        igraph_integer_t k;
        for (k = 0; k < nc && VECTOR(order)[k] != VECTOR(memb)[i]; k++) {}
        MATRIX(*res, i, 0) += box[2 * nc + k];
        MATRIX(*res, i, 1) += box[3 * nc + k];
    }
    free(in);
    free(box);
    igraph_vector_int_destroy(&order);
    igraph_vector_int_destroy(&vid);
    igraph_vector_int_destroy(&csize);
    igraph_vector_int_destroy(&memb);
    IGRAPH_FINALLY_CLEAN(6);
    return IGRAPH_SUCCESS;
}

/* Layout into res (n x 2), in layout units (net_fit scales it into the picture). */
static int net_layout(const iffnet_i_net_t *net, unsigned long seed, igraph_matrix_t *res)
{
    igraph_t g;
    igraph_vector_int_t ev, all;
    igraph_bool_t connected = 0;
    int err = IFFNET_OK, have_g = 0, have_ev = 0, have_all = 0;
    igraph_error_t ie;
    int64_t n = net->n_nodes;
    char *in = NULL;

    if ((ie = igraph_vector_int_init(&ev, 2 * net->n_edges))) goto ierr;
    have_ev = 1;
    for (int64_t e = 0; e < net->n_edges; e++) {
        VECTOR(ev)[2 * e] = net->edge_from[e];
        VECTOR(ev)[2 * e + 1] = net->edge_to[e];
    }
    if ((ie = igraph_create(&g, &ev, n, IGRAPH_UNDIRECTED))) goto ierr;
    have_g = 1;
    if ((ie = igraph_matrix_resize(res, n, 2))) goto ierr;
    igraph_matrix_null(res);
    if (n <= 1) goto out;
    if ((ie = igraph_is_connected(&g, &connected, IGRAPH_WEAK))) goto ierr;
    if (!connected) {
        ie = layout_components(&g, net, res, seed);
        if (ie) goto ierr;
        goto out;
    }
    if ((ie = layout_connected(&g, res, seed))) goto ierr;
    if ((ie = igraph_vector_int_init_range(&all, 0, n))) goto ierr;
    have_all = 1;
    if (!(in = malloc((size_t)n))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    memset(in, 1, (size_t)n);
    orient(res, net, &all, in);
    goto out;
ierr:
    err = iffnet_i_igraph_err(ie, "network layout");
out:
    free(in);
    if (have_all) igraph_vector_int_destroy(&all);
    if (have_g) igraph_destroy(&g);
    if (have_ev) igraph_vector_int_destroy(&ev);
    return err;
}

/* Scales the layout into the drawing box, keeping the aspect ratio; returns the
 * picture height, so that a flat layout (a chain) does not leave empty bands. */
static double net_fit(igraph_matrix_t *res, const iffnet_i_net_t *net)
{
    int64_t n = net->n_nodes;
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
        minx = fmin(minx, MATRIX(*res, i, 0)); maxx = fmax(maxx, MATRIX(*res, i, 0));
        miny = fmin(miny, MATRIX(*res, i, 1)); maxy = fmax(maxy, MATRIX(*res, i, 1));
    }
    double w = maxx - minx, h = maxy - miny;
    double sx = w > 0 ? (NET_W - 2 * NET_MARGIN) / w : 0;
    double sy = h > 0 ? (NET_H - 2 * NET_MARGIN) / h : 0;
    double s = sx > 0 && sy > 0 ? fmin(sx, sy) : fmax(sx, sy);
    double height = fmax(NET_MIN_H, fmin(NET_H, s * h + 2 * NET_MARGIN));
    double ox = NET_W / 2 - s * (minx + w / 2), oy = height / 2 - s * (miny + h / 2);
    for (int64_t i = 0; i < n; i++) {
        MATRIX(*res, i, 0) = ox + s * MATRIX(*res, i, 0);
        MATRIX(*res, i, 1) = oy + s * MATRIX(*res, i, 1);
    }
    return height;
}

static double node_radius(const iffnet_i_net_t *net, int64_t i, double max_size)
{
    if (net->node_shape[i] == IFFNET_I_SHAPE_ENTITY) return 9;
    if (net->node_shape[i] == IFFNET_I_SHAPE_IDENT) return 5;
    if (max_size <= 0) return 8;
    return 6 + 16 * sqrt(fmax(net->node_size[i], 0) / max_size);
}

/* ---- labels without overlap ---- */

typedef struct { double x0, y0, x1, y1; } box_t;

static int boxes_meet(const box_t *a, const box_t *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Characters of UTF-8 text (for the width of a label). */
static double text_chars(const char *s)
{
    double n = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) n += (*p & 0xC0) != 0x80;
    return n;
}

/* Where labels go: a box per node (its shape) and per placed label. */
typedef struct {
    box_t *b;
    int64_t n, cap;
} boxes_t;

static int box_free_at(const boxes_t *bs, const box_t *x, int64_t skip)
{
    if (x->x0 < 2 || x->x1 > NET_W - 2 || x->y0 < 2) return 0;
    for (int64_t i = 0; i < bs->n; i++)
        if (i != skip && boxes_meet(&bs->b[i], x)) return 0;
    return 1;
}

static int box_add(boxes_t *bs, box_t x)
{
    IFFNET_TRY(iffnet_i_reserve((void **)&bs->b, &bs->cap, bs->n + 1, sizeof *bs->b));
    bs->b[bs->n++] = x;
    return IFFNET_OK;
}

/* A node label's place: x, baseline y and anchor, or placed = 0 when it fits nowhere. */
typedef struct { double x, y; const char *anchor; int placed; } place_t;

static int cmp_by_radius(const void *pa, const void *pb, void *arg)
{
    const double *rad = arg;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    if (rad[a] != rad[b]) return rad[a] > rad[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Places node labels, largest nodes first: below, above, right, left of the
 * node, the first place that overlaps nothing placed and no node. */
static int place_labels(const iffnet_i_net_t *net, const igraph_matrix_t *xy, const double *rad, double height,
                        boxes_t *bs, place_t *pl, int64_t *hidden)
{
    int64_t n = net->n_nodes, *order = malloc(((size_t)n + 1) * sizeof *order);
    if (!order) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    *hidden = 0;
    for (int64_t i = 0; i < n; i++) {
        double x = MATRIX(*xy, i, 0), y = MATRIX(*xy, i, 1);
        IFFNET_TRY(box_add(bs, (box_t){x - rad[i], y - rad[i], x + rad[i], y + rad[i]}));
        order[i] = i;
    }
    qsort_r(order, (size_t)n, sizeof *order, cmp_by_radius, (void *)rad);
    for (int64_t k = 0; k < n; k++) {
        int64_t i = order[k];
        const char *sub = net->node_sublabel[i] && net->node_sublabel[i][0] ? net->node_sublabel[i] : NULL;
        double x = MATRIX(*xy, i, 0), y = MATRIX(*xy, i, 1), r = rad[i];
        double w = 6.2 * fmax(text_chars(net->node_label[i]), sub ? 0.85 * text_chars(sub) : 0) + 4;
        double h = sub ? 24 : 13;
        /* box corner and text position for below, above, right, left */
        const double bx[4] = {x - w / 2, x - w / 2, x + r + 3, x - r - 3 - w};
        const double by[4] = {y + r + 1, y - r - 1 - h, y - h / 2, y - h / 2};
        const char *an[4] = {"middle", "middle", "start", "end"};
        const double tx[4] = {x, x, x + r + 5, x - r - 5};
        pl[i].placed = 0;
        if (!net->node_label[i] || !net->node_label[i][0]) continue;
        for (int c = 0; c < 4 && !pl[i].placed; c++) {
            box_t b = {bx[c], by[c], bx[c] + w, by[c] + h};
            if (b.y1 > height - 2 || !box_free_at(bs, &b, i)) continue;
            IFFNET_TRY(box_add(bs, b));
            pl[i] = (place_t){tx[c], by[c] + 11, an[c], 1};
        }
        *hidden += !pl[i].placed;
    }
    free(order);
    return IFFNET_OK;
}

/* The path of edge e and the place of its label (mx, my, anchor). */
static void edge_geometry(FILE *fp, const iffnet_i_net_t *net, const igraph_matrix_t *xy, const double *rad,
                          int64_t e, double sw, const char *id, double *mx, double *my, const char **anchor)
{
    int64_t a = net->edge_from[e], b = net->edge_to[e];
    int link = net->edge_kind[e] == IFFNET_I_EDGE_LINK;
    double x0 = MATRIX(*xy, a, 0), y0 = MATRIX(*xy, a, 1);
    double x1 = MATRIX(*xy, b, 0), y1 = MATRIX(*xy, b, 1);
    double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
    *anchor = "middle";
    if (len < 1e-6) {
        /* A self-transfer: a small loop above the node. */
        double r = rad[a];
        fprintf(fp, "<path d=\"M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f\" stroke-width=\"%.1f\" "
                "marker-end=\"url(#%s-arrow)\">", x0 - r * 0.6, y0 - r * 0.8,
                x0 - 2.5 * r, y0 - 3.5 * r, x0 + 2.5 * r, y0 - 3.5 * r, x0 + r * 0.6, y0 - r * 0.8, sw, id);
        *mx = x0;
        *my = y0 - 2.9 * r;
        return;
    }
    /* Payments curve to their left so that a->b and b->a stay apart (and a
     * left-to-right edge bows upwards); links are straight. */
    double ux = dx / len, uy = dy / len, bend = link ? 0 : fmin(0.12 * len, 40);
    double sx = x0 + ux * rad[a], sy = y0 + uy * rad[a];
    double ex = x1 - ux * (rad[b] + (link ? 0 : 3)), ey = y1 - uy * (rad[b] + (link ? 0 : 3));
    double cx = (x0 + x1) / 2 + uy * bend, cy = (y0 + y1) / 2 - ux * bend;
    if (link)
        fprintf(fp, "<path class=\"link\" d=\"M%.1f %.1f L%.1f %.1f\" stroke-width=\"1.8\">", sx, sy, ex, ey);
    else
        fprintf(fp, "<path d=\"M%.1f %.1f Q%.1f %.1f %.1f %.1f\" stroke-width=\"%.1f\" "
                "marker-end=\"url(#%s-arrow)\">", sx, sy, cx, cy, ex, ey, sw, id);
    /* Label just outside the bend, so that it does not sit on the line; on
     * steep edges the text starts (or ends) there instead of centring on it. */
    double nx = uy, ny = -ux;
    *mx = 0.25 * sx + 0.5 * cx + 0.25 * ex + nx * 7;
    *my = 0.25 * sy + 0.5 * cy + 0.25 * ey + ny * 7 + 3 + (ny > 0 ? 4 : 0);
    *anchor = nx > 0.45 ? "start" : nx < -0.45 ? "end" : "middle";
}

/* Edges (paths with tooltips); their labels where they fit, into `labels`. */
static int net_edges(FILE *fp, const iffnet_i_net_t *net, const igraph_matrix_t *xy, const double *rad,
                     double max_w, const char *id, boxes_t *bs, char **labels, size_t *nlab)
{
    fputs("<g class=\"edges\">\n", fp);
    for (int64_t e = 0; e < net->n_edges; e++) {
        double sw = 1 + (max_w > 0 ? 4 * sqrt(net->edge_weight[e] / max_w) : 0), mx, my;
        const char *anchor;
        edge_geometry(fp, net, xy, rad, e, sw, id, &mx, &my, &anchor);
        fputs("<title>", fp);
        iffnet_i_xml_text(fp, net->edge_tip[e], -1);
        fputs("</title></path>\n", fp);
        if (!net->edge_label[e] || !net->edge_label[e][0]) continue;
        double w = 5.1 * text_chars(net->edge_label[e]) + 2;
        double x0 = strcmp(anchor, "start") == 0 ? mx : strcmp(anchor, "end") == 0 ? mx - w : mx - w / 2;
        box_t b = {x0, my - 9, x0 + w, my + 2};
        if (!box_free_at(bs, &b, -1)) continue;   /* it would cover a name or another amount */
        IFFNET_TRY(box_add(bs, b));
        char *t = NULL;
        size_t tl = 0;
        FILE *m = open_memstream(&t, &tl);
        if (!m) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        fprintf(m, "<text class=\"el%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
                net->edge_kind[e] == IFFNET_I_EDGE_LINK ? " link" : "", mx, my, anchor);
        iffnet_i_xml_text(m, net->edge_label[e], -1);
        fputs("</text>\n", m);
        if (fclose(m) || !t) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        labels[(*nlab)++] = t;
    }
    fputs("</g>\n", fp);
    return IFFNET_OK;
}

static void node_shape(FILE *fp, const iffnet_i_net_t *net, int64_t i, double x, double y, double r)
{
    const char *fill = net->node_fill[i] ? net->node_fill[i] : "#9ecae1", *cls = net->node_ring[i] ? " class=\"flag\"" : "";
    switch (net->node_shape[i]) {
    case IFFNET_I_SHAPE_IDENT:
    case IFFNET_I_SHAPE_CASH:
        fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s>", x - r, y - r,
                2 * r, 2 * r, fill, cls);
        return;
    case IFFNET_I_SHAPE_ENTITY:
        fprintf(fp, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"%s>", x, y - r, x + r, y,
                x, y + r, x - r, y, fill, cls);
        return;
    case IFFNET_I_SHAPE_GROUP:
        fprintf(fp, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"%s\"%s>",
                x - r, y, x - r / 2, y - 0.87 * r, x + r / 2, y - 0.87 * r, x + r, y, x + r / 2, y + 0.87 * r,
                x - r / 2, y + 0.87 * r, fill, cls);
        return;
    default:
        fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"%s>", x, y, r, fill, cls);
    }
}

static const char *const shape_end[] = {"</circle>", "</rect>", "</polygon>", "</polygon>", "</rect>"};

static void net_nodes(FILE *fp, const iffnet_i_net_t *net, const igraph_matrix_t *xy, const double *rad)
{
    fputs("<g class=\"nodes\">\n", fp);
    for (int64_t i = 0; i < net->n_nodes; i++) {
        node_shape(fp, net, i, MATRIX(*xy, i, 0), MATRIX(*xy, i, 1), rad[i]);
        fputs("<title>", fp);
        iffnet_i_xml_text(fp, net->node_tip[i], -1);
        fprintf(fp, "</title>%s\n", shape_end[net->node_shape[i] >= 0 && net->node_shape[i] <= IFFNET_I_SHAPE_IDENT
                                                   ? net->node_shape[i] : 0]);
    }
    fputs("</g>\n", fp);
}

static void net_labels(FILE *fp, const iffnet_i_net_t *net, const place_t *pl, char **elabels, size_t nel)
{
    fputs("<g class=\"labels\">\n", fp);
    for (size_t k = 0; k < nel; k++) fputs(elabels[k], fp);
    for (int64_t i = 0; i < net->n_nodes; i++) {
        if (!pl[i].placed) continue;
        fprintf(fp, "<text class=\"nl\" x=\"%.1f\" y=\"%.1f\" style=\"text-anchor:%s\">", pl[i].x, pl[i].y, pl[i].anchor);
        iffnet_i_xml_text(fp, net->node_label[i], -1);
        if (net->node_sublabel[i] && net->node_sublabel[i][0]) {
            fprintf(fp, "<tspan class=\"id\" x=\"%.1f\" dy=\"11\">", pl[i].x);
            iffnet_i_xml_text(fp, net->node_sublabel[i], -1);
            fputs("</tspan>", fp);
        }
        fputs("</text>\n", fp);
    }
    fputs("</g>\n", fp);
}

int iffnet_i_svg_network(FILE *fp, const iffnet_i_net_t *net, unsigned long seed,
                         const char *id, const char *caption)
{
    igraph_matrix_t xy;
    double *rad = NULL, max_size = 0, max_w = 0, height;
    place_t *pl = NULL;
    boxes_t bs = {0};
    char **elabels = NULL;
    size_t nel = 0;
    int64_t hidden = 0;
    int err;

    if (igraph_matrix_init(&xy, 0, 0))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    rad = malloc((size_t)(net->n_nodes + 1) * sizeof *rad);
    pl = calloc((size_t)net->n_nodes + 1, sizeof *pl);
    elabels = calloc((size_t)net->n_edges + 1, sizeof *elabels);
    if (!rad || !pl || !elabels) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    if ((err = net_layout(net, seed, &xy))) goto out;
    height = net_fit(&xy, net);
    for (int64_t i = 0; i < net->n_nodes; i++)
        if (net->node_shape[i] != IFFNET_I_SHAPE_ENTITY && net->node_shape[i] != IFFNET_I_SHAPE_IDENT)
            max_size = fmax(max_size, net->node_size[i]);
    for (int64_t e = 0; e < net->n_edges; e++) max_w = fmax(max_w, net->edge_weight[e]);
    for (int64_t i = 0; i < net->n_nodes; i++) rad[i] = node_radius(net, i, max_size);
    separate(&xy, rad, net->n_nodes, height);
    if ((err = place_labels(net, &xy, rad, height, &bs, pl, &hidden))) goto out;

    fprintf(fp, "<figure class=\"net\"><svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" "
            "class=\"zoom\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", id, NET_W, height);
    fprintf(fp, "<defs><marker id=\"%s-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
            "markerUnits=\"userSpaceOnUse\" markerWidth=\"15\" markerHeight=\"15\" orient=\"auto\">"
            "<path d=\"M0 0L10 5L0 10z\" fill=\"#495057\"/></marker></defs>\n", id);
    if ((err = net_edges(fp, net, &xy, rad, max_w, id, &bs, elabels, &nel))) goto out;
    net_nodes(fp, net, &xy, rad);
    net_labels(fp, net, pl, elabels, nel);
    fputs("</svg>", fp);
    if (caption || hidden) {
        fputs("<figcaption>", fp);
        if (caption) iffnet_i_xml_text(fp, caption, -1);
        if (hidden)
            fprintf(fp, "%sThe names of %lld smaller nodes are left out where they would overlap others: hover "
                    "over a node for its name, id and amounts.", caption ? " " : "", (long long)hidden);
        fputs("</figcaption>", fp);
    }
    fputs("</figure>\n", fp);
out:
    for (size_t k = 0; elabels && k < nel; k++) free(elabels[k]);
    free(elabels);
    free(bs.b);
    free(pl);
    free(rad);
    igraph_matrix_destroy(&xy);
    return err;
}

/* A "nice" axis maximum: 1, 2 or 5 times a power of ten, at least v. */
static double nice_max(double v)
{
    if (v <= 0) return 1;
    double p = pow(10, floor(log10(v)));
    double m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static void chart_legend(FILE *fp, const iffnet_i_chart_t *ch, double x, double y)
{
    const char *names[3] = {ch->series1, ch->v2 ? ch->series2 : NULL,
                            ch->expected ? ch->series_line : NULL};
    const char *cls[3] = {"s1", "s2", "sl"};
    for (int k = 0; k < 3; k++) {
        if (!names[k]) continue;
        fprintf(fp, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\"/>"
                "<text class=\"lg\" x=\"%.1f\" y=\"%.1f\">", cls[k], x, y, x + 14, y + 9);
        iffnet_i_xml_text(fp, names[k], -1);
        fputs("</text>", fp);
        x += 20 + 7.0 * (double)strlen(names[k]);
    }
    fputc('\n', fp);
}

static void chart_vertical(FILE *fp, const iffnet_i_chart_t *ch, double max)
{
    const double W = 900, H = 300, L = ch->money ? 96 : 70, R = 20, T = 40, B = 60;
    double pw = W - L - R, ph = H - T - B, bw = pw / (double)(ch->n ? ch->n : 1);
    char buf[32];
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", W, H);
    fputs("<text class=\"ct\" x=\"70\" y=\"18\">", fp);
    iffnet_i_xml_text(fp, ch->title, -1);
    fputs("</text>\n", fp);
    chart_legend(fp, ch, L + pw * 0.55, 10);
    /* Ticks at round steps: a maximum of 1 or 5 (x 10^k) in five steps, 2 in four. */
    double lead = max / pow(10, floor(log10(max)));
    int nt = lead > 1.5 && lead < 2.5 ? 4 : 5;
    for (int k = 0; k <= nt; k++) {
        double y = T + ph - ph * k / (double)nt;
        iffnet_i_compact(buf, sizeof buf, max * k / (double)nt);
        fprintf(fp, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s",
                L, y, W - R, y, L - 6, y + 4, buf);
        /* money ticks carry their currency: "1 bn EUR" */
        if (ch->money && ch->y_unit && k > 0) {
            fputc(' ', fp);
            iffnet_i_xml_text(fp, ch->y_unit, -1);
        }
        fputs("</text>\n", fp);
    }
    if (ch->y_unit && !ch->money) {
        fprintf(fp, "<text class=\"ax\" x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\">",
                T + ph / 2, T + ph / 2);
        iffnet_i_xml_text(fp, ch->y_unit, -1);
        fputs("</text>\n", fp);
    }
    for (int64_t i = 0; i < ch->n; i++) {
        double x = L + bw * (double)i, h1 = ph * ch->v1[i] / max;
        fprintf(fp, "<rect class=\"s1\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                x + bw * 0.1, T + ph - h1, bw * 0.8, h1);
        iffnet_i_xml_text(fp, ch->labels[i], -1);
        iffnet_i_compact(buf, sizeof buf, ch->v1[i]);
        fprintf(fp, ": %s", buf);
        if (ch->v2) {
            iffnet_i_compact(buf, sizeof buf, ch->v2[i]);
            fprintf(fp, " (%s ", buf);
            iffnet_i_xml_text(fp, ch->series2, -1);
            fputc(')', fp);
        }
        fputs("</title></rect>\n", fp);
        if (ch->v2 && ch->v2[i] > 0) {
            double h2 = ph * ch->v2[i] / max;
            fprintf(fp, "<rect class=\"s2\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
                    x + bw * 0.25, T + ph - h2, bw * 0.5, h2);
        }
        if (ch->label_every > 0 && i % ch->label_every == 0) {
            double lx = x + bw / 2, ly = T + ph + 14;
            /* Short labels (digits) stand upright; dates and ranges are turned. */
            if (strlen(ch->labels[i]) <= 3)
                fprintf(fp, "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", lx, ly);
            else
                fprintf(fp, "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                        "transform=\"rotate(-35 %.1f %.1f)\">", lx, ly, lx, ly);
            iffnet_i_xml_text(fp, ch->labels[i], -1);
            fputs("</text>\n", fp);
        }
    }
    if (ch->expected) {
        fputs("<polyline class=\"sl\" points=\"", fp);
        for (int64_t i = 0; i < ch->n; i++)
            fprintf(fp, "%s%.1f,%.1f", i ? " " : "", L + bw * ((double)i + 0.5),
                    T + ph - ph * ch->expected[i] / max);
        fputs("\"/>\n", fp);
    }
    fprintf(fp, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
            L, T + ph, W - R, T + ph);
    fputs("</svg>\n", fp);
}

static void chart_horizontal(FILE *fp, const iffnet_i_chart_t *ch, double max)
{
    const double W = 900, L = 300, R = 110, T = 34, row = 22;
    double H = T + row * (double)ch->n + 14, pw = W - L - R;
    char buf[32];
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", W, H);
    fputs("<text class=\"ct\" x=\"10\" y=\"18\">", fp);
    iffnet_i_xml_text(fp, ch->title, -1);
    fputs("</text>\n", fp);
    for (int64_t i = 0; i < ch->n; i++) {
        double y = T + row * (double)i, w = pw * ch->v1[i] / max;
        fprintf(fp, "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", L - 8, y + 14);
        iffnet_i_xml_text(fp, ch->labels[i], -1);
        fprintf(fp, "</text><rect class=\"s1\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                L, y + 3, w, row - 6);
        iffnet_i_xml_text(fp, ch->labels[i], -1);
        iffnet_i_compact(buf, sizeof buf, ch->v1[i]);
        fprintf(fp, ": %s</title></rect><text class=\"ax\" x=\"%.1f\" y=\"%.1f\">%s", buf, L + w + 6, y + 14, buf);
        if (ch->y_unit) {
            fputc(' ', fp);
            iffnet_i_xml_text(fp, ch->y_unit, -1);
        }
        fputs("</text>\n", fp);
    }
    fputs("</svg>\n", fp);
}

void iffnet_i_svg_bars(FILE *fp, const iffnet_i_chart_t *ch)
{
    double max = 0;
    for (int64_t i = 0; i < ch->n; i++) {
        max = fmax(max, ch->v1[i]);
        if (ch->v2) max = fmax(max, ch->v2[i]);
        if (ch->expected) max = fmax(max, ch->expected[i]);
    }
    max = nice_max(max);
    if (ch->horizontal) chart_horizontal(fp, ch, max);
    else chart_vertical(fp, ch, max);
}

void iffnet_i_svg_timeline(FILE *fp, int64_t n, const int64_t *t, const double *size,
                           char *const *tip, const char *caption)
{
    const double W = 900, H = 110, L = 40, R = 40, Y = 55;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    double maxs = 0;
    char d0[16], d1[16];
    for (int64_t i = 0; i < n; i++) {
        if (t[i] < lo) lo = t[i];
        if (t[i] > hi) hi = t[i];
        maxs = fmax(maxs, size[i]);
    }
    if (n == 0) lo = hi = 0;
    iffnet_time_format(d0, sizeof d0, lo, 1);
    iffnet_time_format(d1, sizeof d1, hi, 1);
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", W, H);
    if (caption) {
        fputs("<text class=\"ct\" x=\"10\" y=\"16\">", fp);
        iffnet_i_xml_text(fp, caption, -1);
        fputs("</text>\n", fp);
    }
    fprintf(fp, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", L, Y, W - R, Y);
    fprintf(fp, "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\">%s</text>"
            "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
            L, Y + 40, d0, W - R, Y + 40, d1);
    for (int64_t i = 0; i < n; i++) {
        double x = hi > lo ? L + (W - L - R) * (double)(t[i] - lo) / (double)(hi - lo) : W / 2;
        /* many points: smaller dots, so that the line stays readable */
        double r = n > 60 ? 1.5 + (maxs > 0 ? 5 * sqrt(size[i] / maxs) : 0) : 3 + (maxs > 0 ? 9 * sqrt(size[i] / maxs) : 0);
        fprintf(fp, "<circle class=\"ev\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>", x, Y, r);
        iffnet_i_xml_text(fp, tip[i], -1);
        fputs("</title></circle>\n", fp);
    }
    fputs("</svg>\n", fp);
}
