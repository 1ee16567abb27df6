/* cmd_ego.c: iffnet ego: the neighbourhood of an account as a sub-network. */
#include <string.h>
#include <stdarg.h>
#include <stdlib.h>
#include "link_cli.h"

/* printf into a fresh string (the library's helper is private). */
static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0) s = NULL;
    va_end(ap);
    return s;
}

enum { OPT_HOPS = LINK_OPT_FIRST, OPT_EXPORT, OPT_EXPORT_FORMAT, OPT_OLD_HOPS };

static void usage(FILE *fp)
{
    fputs("Usage: iffnet ego [OPTIONS] CASE ACCOUNT\n"
          "Extract the neighbourhood of an account.\n\n"
          "      --max-hops K        counterparts up to K hops away, either direction (default 2)\n"
          "      --export FILE       also write the sub-network (edges with amounts and dates) to FILE\n"
          "      --export-format F   csv, graphml or dot (default: from FILE's extension, else csv)\n", fp);
    link_view_help(fp);
    cli_common_help(fp);
}

typedef struct {
    cli_common_t co;
    link_args_t la;
    int64_t hops;
    const char *export_path, *export_format;
} ego_args_t;

static int parse(ego_args_t *a, int argc, char **argv)
{
    static const struct option lo[] = {
        CLI_COMMON_LONGOPTS, LINK_VIEW_LONGOPTS,
        {"max-hops", required_argument, NULL, OPT_HOPS}, {"hops", required_argument, NULL, OPT_OLD_HOPS},
        {"export", required_argument, NULL, OPT_EXPORT},
        {"export-format", required_argument, NULL, OPT_EXPORT_FORMAT}, {NULL, 0, NULL, 0}};
    int ch, r;
    iffnet_graph_format_t f;

    while ((ch = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, lo, NULL)) != -1) {
        if (ch == 'h') { usage(stdout); return -1; }
        if ((r = cli_common_opt(&a->co, ch, optarg)) || (r = link_view_opt(&a->la, ch, optarg))) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        switch (ch) {
        case OPT_OLD_HOPS: cli_deprecated("--hops", "--max-hops"); /* fall through */
        case OPT_HOPS: if (cli_parse_int("--max-hops", optarg, 0, 100, &a->hops)) return CLI_EXIT_USAGE; break;
        case OPT_EXPORT:
            /* An output: refused at once when it is one of the inputs. */
            if (cli_check_output(optarg)) return CLI_EXIT_USAGE;
            a->export_path = optarg;
            break;
        case OPT_EXPORT_FORMAT:
            if (iffnet_graph_format_parse(optarg, &f)) {
                static const char *const valid[] = {"csv", "graphml", "dot", NULL};
                return cli_bad_value("--export-format", optarg, valid);
            }
            a->export_format = optarg;
            break;
        default: return cli_bad_option(argc, argv, lo);
        }
    }
    if (argc - optind != 2)
        return cli_usage("expected a case file and an account");
    return 0;
}

static iffnet_graph_format_t export_format(const ego_args_t *a)
{
    iffnet_graph_format_t f = IFFNET_GRAPH_CSV;
    const char *dot = strrchr(a->export_path, '.');
    if (a->export_format)
        iffnet_graph_format_parse(a->export_format, &f);
    else if (dot && strcmp(dot, ".graphml") == 0)
        f = IFFNET_GRAPH_GRAPHML;
    else if (dot && (strcmp(dot, ".dot") == 0 || strcmp(dot, ".gv") == 0))
        f = IFFNET_GRAPH_DOT;
    return f;
}

static int export_graph(const ego_args_t *a, const iffnet_view_t *v, const igraph_vector_int_t *nodes)
{
    iffnet_out_t out;
    int st, err;
    if ((st = cli_open_output(&out, a->export_path)))
        return st;
    if ((err = iffnet_view_write_subgraph(v, nodes, export_format(a), out.fp))) {
        iffnet_out_abort(&out);
        return cli_fail(err);
    }
    return cli_commit_output(&out);
}

/* The member's relations to other members: "director_of C0469" (this one the
 * source) or "P1739 director_of" (this one the target). Returns -1 on memory failure. */
static int relation_list(cli_table_t *t, const iffnet_view_t *v, const iffnet_ego_t *e, int64_t m)
{
    const iffnet_case_t *c = v->c;
    char **items = calloc((size_t)e->n_links + 1, sizeof *items);
    int64_t n = 0;
    int err = 0;
    if (!items)
        return -1;
    for (int64_t k = 0; k < e->n_links && !err; k++) {
        int64_t other = e->link_from[k] == m ? e->link_to[k] : e->link_to[k] == m ? e->link_from[k] : -1;
        if (other < 0)
            continue;
        const char *type = iffnet_case_text(c, c->rel_type[e->link_rel[k]]);
        const char *oid = e->node[other] >= 0 ? iffnet_view_node_id(v, e->node[other])
                                              : iffnet_strtab_get(&c->entity_ids, e->entity[other]);
        items[n] = e->link_from[k] == m ? str_printf("%s %s", type, oid)
                                        : str_printf("%s %s", oid, type);
        if (!items[n++])
            err = -1;
    }
    if (!err)
        cli_table_list(t, n, (const char *const *)items);
    for (int64_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
    return err;
}

static int print(const ego_args_t *a, const iffnet_view_t *v, const iffnet_ego_t *e)
{
    const char *names[] = {"hops", "id", "name", "country", "sector", "in_amount", "out_amount", "in_tx",
                           "out_tx", "relations"};
    const iffnet_case_t *c = v->c;
    int32_t cur = link_currency(v);
    int st, rel = v->opts.level == IFFNET_LEVEL_ENTITY;
    cli_table_t *t = cli_table_open(a->co.output, a->co.format, rel ? 10 : 9, names, &st);

    if (!t)
        return st;
    for (int64_t i = 0; i < e->n; i++) {
        int64_t u = e->node[i], x = e->entity[i];
        cli_table_int(t, e->hops[i]);
        if (u >= 0) {
            cli_table_str(t, iffnet_view_node_id(v, u));
            cli_table_str(t, iffnet_view_node_name(v, u));
            cli_table_str(t, iffnet_view_node_country(v, u));
            cli_table_str(t, iffnet_view_node_sector(v, u));
            cli_table_money(t, c, v->in_amount[u], cur);
            cli_table_money(t, c, v->out_amount[u], cur);
            cli_table_int(t, v->in_count[u]);
            cli_table_int(t, v->out_count[u]);
        } else { /* an entity that holds no account: linked by relations only */
            cli_table_str(t, iffnet_strtab_get(&c->entity_ids, x));
            cli_table_str(t, iffnet_case_text(c, c->entity_name[x]));
            cli_table_str(t, iffnet_case_text(c, c->entity_country[x]));
            cli_table_str(t, iffnet_case_text(c, c->entity_sector[x]));
            cli_table_money(t, c, 0, cur);
            cli_table_money(t, c, 0, cur);
            cli_table_int(t, 0);
            cli_table_int(t, 0);
        }
        if (rel && relation_list(t, v, e, i)) {
            cli_table_abort(t);
            return cli_fail(IFFNET_ENOMEM);
        }
        cli_table_end_row(t);
    }
    return cli_table_commit(t);
}

/* The centre: a view node, or at entity level an entity that holds no account. */
static int find_centre(const iffnet_view_t *v, const char *id, int64_t *node, int64_t *entity)
{
    *node = iffnet_view_find(v, id);
    *entity = -1;
    if (*node >= 0)
        return 0;
    if (v->opts.level == IFFNET_LEVEL_ENTITY && (*entity = iffnet_view_find_entity(v, id)) >= 0)
        return 0;
    cli_error("%s", iffnet_errmsg());
    return -1;
}

int cmd_ego(int argc, char **argv)
{
    ego_args_t a = { .hops = 2 };
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_ego_t e;
    igraph_vector_int_t nodes;
    int64_t center, centre_entity;
    int st, err;

    cli_common_init(&a.co);
    link_args_init(&a.la);
    if ((st = parse(&a, argc, argv)))
        return st < 0 ? CLI_EXIT_OK : st;
    if ((st = link_open(&a.la, argv[optind], &c, &v)))
        return st;
    memset(&e, 0, sizeof e);
    igraph_vector_int_init(&nodes, 0);
    if (find_centre(&v, argv[optind + 1], &center, &centre_entity)) {
        st = CLI_EXIT_DATA;
        goto out;
    }
    if ((err = iffnet_ego_build(&v, center, centre_entity, a.hops, 1, &e))) {
        st = cli_fail(err);
        goto out;
    }
    cli_info("%lld member(s) within %lld hop(s) of %s%s", (long long)e.n, (long long)a.hops, argv[optind + 1],
             v.opts.level == IFFNET_LEVEL_ENTITY ? " through payments and relations" : "");
    for (int64_t i = 0; i < e.n; i++)
        if (e.node[i] >= 0 && igraph_vector_int_push_back(&nodes, e.node[i])) {
            st = cli_fail(IFFNET_ENOMEM);
            goto out;
        }
    if (a.export_path && (st = export_graph(&a, &v, &nodes)))
        goto out;
    st = print(&a, &v, &e);
out:
    iffnet_ego_destroy(&e);
    igraph_vector_int_destroy(&nodes);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
    return st;
}
