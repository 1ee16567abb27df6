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
    static const struct { double unit; const char *suffix; } units[] = {
        {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
    double a = fabs(v);
    for (int i = 0; i < 4; i++) {
        if (a < units[i].unit && i < 3) continue;
        double x = v / units[i].unit;
        /* Whole numbers without decimals ("2k", not "2.0k"); one decimal below 100. */
        if (x == floor(x) || fabs(x) >= 100) snprintf(buf, size, "%.0f%s", x, units[i].suffix);
        else if (fabs(x) >= 10 || i < 3) snprintf(buf, size, "%.1f%s", x, units[i].suffix);
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
    n->node_tip = calloc(nv, sizeof *n->node_tip);
    n->node_size = calloc(nv, sizeof *n->node_size);
    n->node_fill = calloc(nv, sizeof *n->node_fill);
    n->node_ring = calloc(nv, sizeof *n->node_ring);
    n->edge_from = calloc(ne, sizeof *n->edge_from);
    n->edge_to = calloc(ne, sizeof *n->edge_to);
    n->edge_weight = calloc(ne, sizeof *n->edge_weight);
    n->edge_label = calloc(ne, sizeof *n->edge_label);
    n->edge_tip = calloc(ne, sizeof *n->edge_tip);
    if (!n->node_label || !n->node_tip || !n->node_size || !n->node_fill || !n->node_ring ||
        !n->edge_from || !n->edge_to || !n->edge_weight || !n->edge_label || !n->edge_tip) {
        iffnet_i_net_free(n);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

void iffnet_i_net_free(iffnet_i_net_t *n)
{
    for (int64_t i = 0; n->node_label && i < n->n_nodes; i++) {
        free(n->node_label[i]);
        free(n->node_tip[i]);
    }
    for (int64_t i = 0; n->edge_label && i < n->n_edges; i++) {
        free(n->edge_label[i]);
        free(n->edge_tip[i]);
    }
    free(n->node_label); free(n->node_tip); free(n->node_size); free(n->node_fill);
    free(n->node_ring); free(n->edge_from); free(n->edge_to); free(n->edge_weight);
    free(n->edge_label); free(n->edge_tip);
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
    if (max_size <= 0) return 8;
    return 6 + 16 * sqrt(fmax(net->node_size[i], 0) / max_size);
}

static void net_edges(FILE *fp, const iffnet_i_net_t *net, const igraph_matrix_t *xy,
                      const double *rad, double max_w, const char *id)
{
    fputs("<g class=\"edges\">\n", fp);
    for (int64_t e = 0; e < net->n_edges; e++) {
        int64_t a = net->edge_from[e], b = net->edge_to[e];
        double x0 = MATRIX(*xy, a, 0), y0 = MATRIX(*xy, a, 1);
        double x1 = MATRIX(*xy, b, 0), y1 = MATRIX(*xy, b, 1);
        double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
        double sw = 1 + (max_w > 0 ? 4 * sqrt(net->edge_weight[e] / max_w) : 0);
        double cx, cy, mx, my;
        const char *anchor = "middle";
        if (len < 1e-6) {
            /* A self-transfer: a small loop above the node. */
            double r = rad[a];
            fprintf(fp, "<path d=\"M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f\" stroke-width=\"%.1f\" "
                    "marker-end=\"url(#%s-arrow)\">", x0 - r * 0.6, y0 - r * 0.8,
                    x0 - 2.5 * r, y0 - 3.5 * r, x0 + 2.5 * r, y0 - 3.5 * r,
                    x0 + r * 0.6, y0 - r * 0.8, sw, id);
            mx = x0; my = y0 - 2.9 * r;
        } else {
            /* Curve every edge to its left so that a->b and b->a stay apart (and a
             * left-to-right edge bows upwards, its label above it, clear of node labels). */
            double ux = dx / len, uy = dy / len, bend = fmin(0.12 * len, 40);
            double sx = x0 + ux * rad[a], sy = y0 + uy * rad[a];
            double ex = x1 - ux * (rad[b] + 3), ey = y1 - uy * (rad[b] + 3);
            cx = (x0 + x1) / 2 + uy * bend;
            cy = (y0 + y1) / 2 - ux * bend;
            fprintf(fp, "<path d=\"M%.1f %.1f Q%.1f %.1f %.1f %.1f\" stroke-width=\"%.1f\" "
                    "marker-end=\"url(#%s-arrow)\">", sx, sy, cx, cy, ex, ey, sw, id);
            /* Label just outside the bend, so that it does not sit on the line; on
             * steep edges the text starts (or ends) there instead of centring on it. */
            double nx = uy, ny = -ux;
            mx = 0.25 * sx + 0.5 * cx + 0.25 * ex + nx * 7;
            my = 0.25 * sy + 0.5 * cy + 0.25 * ey + ny * 7 + 3 + (ny > 0 ? 4 : 0);
            anchor = nx > 0.45 ? "start" : nx < -0.45 ? "end" : "middle";
        }
        fputs("<title>", fp);
        iffnet_i_xml_text(fp, net->edge_tip[e], -1);
        fputs("</title></path>\n", fp);
        if (net->edge_label[e] && net->edge_label[e][0]) {
            fprintf(fp, "<text class=\"el\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", mx, my, anchor);
            iffnet_i_xml_text(fp, net->edge_label[e], -1);
            fputs("</text>\n", fp);
        }
    }
    fputs("</g>\n", fp);
}

/* Vertical side for each node's label: below (+1) unless its edges mostly arrive
 * from below, where the label would cover the arrowheads. */
static void label_sides(const iffnet_i_net_t *net, const igraph_matrix_t *xy, double *side)
{
    for (int64_t i = 0; i < net->n_nodes; i++) side[i] = 0;
    for (int64_t e = 0; e < net->n_edges; e++) {
        int64_t a = net->edge_from[e], b = net->edge_to[e];
        double dx = MATRIX(*xy, b, 0) - MATRIX(*xy, a, 0), dy = MATRIX(*xy, b, 1) - MATRIX(*xy, a, 1);
        double len = sqrt(dx * dx + dy * dy);
        if (len < 1e-6) continue;
        side[a] += dy / len;
        side[b] -= dy / len;
    }
    for (int64_t i = 0; i < net->n_nodes; i++) side[i] = side[i] > 0.3 ? -1 : 1;
}

static void net_nodes(FILE *fp, const iffnet_i_net_t *net, const igraph_matrix_t *xy,
                      const double *rad, const double *side)
{
    fputs("<g class=\"nodes\">\n", fp);
    for (int64_t i = 0; i < net->n_nodes; i++) {
        double x = MATRIX(*xy, i, 0), y = MATRIX(*xy, i, 1);
        fprintf(fp, "<g><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"%s><title>",
                x, y, rad[i], net->node_fill[i] ? net->node_fill[i] : "#9ecae1",
                net->node_ring[i] ? " class=\"flag\"" : "");
        iffnet_i_xml_text(fp, net->node_tip[i], -1);
        /* Keep labels inside the picture: about 6.2 units per character at 11px. */
        double hw = 3.1 * (double)strlen(net->node_label[i] ? net->node_label[i] : "");
        const char *anchor = x - hw < 4 ? "start" : x + hw > NET_W - 4 ? "end" : "middle";
        double lx = x - hw < 4 ? fmax(2, x - rad[i]) : x + hw > NET_W - 4 ? fmin(NET_W - 2, x + rad[i]) : x;
        fprintf(fp, "</title></circle><text class=\"nl\" x=\"%.1f\" y=\"%.1f\" style=\"text-anchor:%s\">", lx,
                side[i] > 0 ? y + rad[i] + 12 : y - rad[i] - 5, anchor);
        iffnet_i_xml_text(fp, net->node_label[i], -1);
        fputs("</text></g>\n", fp);
    }
    fputs("</g>\n", fp);
}

int iffnet_i_svg_network(FILE *fp, const iffnet_i_net_t *net, unsigned long seed,
                         const char *id, const char *caption)
{
    igraph_matrix_t xy;
    double *rad = NULL, max_size = 0, max_w = 0, height;
    int err;

    if (igraph_matrix_init(&xy, 0, 0))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    rad = malloc((size_t)(2 * net->n_nodes + 1) * sizeof *rad);
    if (!rad) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    if ((err = net_layout(net, seed, &xy))) goto out;
    height = net_fit(&xy, net);
    for (int64_t i = 0; i < net->n_nodes; i++) max_size = fmax(max_size, net->node_size[i]);
    for (int64_t e = 0; e < net->n_edges; e++) max_w = fmax(max_w, net->edge_weight[e]);
    for (int64_t i = 0; i < net->n_nodes; i++) rad[i] = node_radius(net, i, max_size);
    separate(&xy, rad, net->n_nodes, height);

    fprintf(fp, "<figure class=\"net\"><svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" "
            "class=\"zoom\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n", id, NET_W, height);
    fprintf(fp, "<defs><marker id=\"%s-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
            "markerUnits=\"userSpaceOnUse\" markerWidth=\"15\" markerHeight=\"15\" orient=\"auto\">"
            "<path d=\"M0 0L10 5L0 10z\" fill=\"#495057\"/></marker></defs>\n", id);
    net_edges(fp, net, &xy, rad, max_w, id);
    label_sides(net, &xy, rad + net->n_nodes);
    net_nodes(fp, net, &xy, rad, rad + net->n_nodes);
    fputs("</svg>", fp);
    if (caption) {
        fputs("<figcaption>", fp);
        iffnet_i_xml_text(fp, caption, -1);
        fputs("</figcaption>", fp);
    }
    fputs("</figure>\n", fp);
out:
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
    const double W = 900, H = 300, L = 70, R = 20, T = 40, B = 60;
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
                "<text class=\"ax\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                L, y, W - R, y, L - 6, y + 4, buf);
    }
    if (ch->y_unit) {
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
    const double W = 900, L = 260, R = 90, T = 34, row = 22;
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
        double r = 3 + (maxs > 0 ? 9 * sqrt(size[i] / maxs) : 0);
        fprintf(fp, "<circle class=\"ev\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>", x, Y, r);
        iffnet_i_xml_text(fp, tip[i], -1);
        fputs("</title></circle>\n", fp);
    }
    fputs("</svg>\n", fp);
}
