/* cmd_ego.c: iffnet ego: the neighbourhood of an account as a sub-network. */
#include <string.h>
#include "link_cli.h"

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
        case OPT_EXPORT: a->export_path = optarg; break;
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

static int print(const ego_args_t *a, const iffnet_view_t *v, const igraph_vector_int_t *nodes,
                 const igraph_vector_int_t *dist)
{
    const char *names[] = {"hops", "id", "name", "country", "sector", "in_amount", "out_amount", "in_tx",
                           "out_tx"};
    int32_t cur = link_currency(v);
    int st;
    cli_table_t *t = cli_table_open(a->co.output, a->co.format, 9, names, &st);

    if (!t)
        return st;
    for (int64_t i = 0; i < igraph_vector_int_size(nodes); i++) {
        int64_t u = VECTOR(*nodes)[i];
        cli_table_int(t, VECTOR(*dist)[i]);
        cli_table_str(t, iffnet_view_node_id(v, u));
        cli_table_str(t, iffnet_view_node_name(v, u));
        cli_table_str(t, iffnet_view_node_country(v, u));
        cli_table_str(t, iffnet_view_node_sector(v, u));
        cli_table_money(t, v->c, v->in_amount[u], cur);
        cli_table_money(t, v->c, v->out_amount[u], cur);
        cli_table_int(t, v->in_count[u]);
        cli_table_int(t, v->out_count[u]);
        cli_table_end_row(t);
    }
    return cli_table_commit(t);
}

int cmd_ego(int argc, char **argv)
{
    ego_args_t a = { .hops = 2 };
    iffnet_case_t c;
    iffnet_view_t v;
    igraph_vector_int_t nodes, dist;
    int64_t center;
    int st, err;

    cli_common_init(&a.co);
    link_args_init(&a.la);
    if ((st = parse(&a, argc, argv)))
        return st < 0 ? CLI_EXIT_OK : st;
    if ((st = link_open(&a.la, argv[optind], &c, &v)))
        return st;
    igraph_vector_int_init(&nodes, 0);
    igraph_vector_int_init(&dist, 0);
    if ((center = link_node(&v, argv[optind + 1])) < 0) {
        st = CLI_EXIT_DATA;
        goto out;
    }
    if ((err = iffnet_ego_nodes(&v, center, a.hops, &nodes, &dist))) {
        st = cli_fail(err);
        goto out;
    }
    cli_info("%lld node(s) within %lld hop(s) of %s", (long long)igraph_vector_int_size(&nodes),
             (long long)a.hops, argv[optind + 1]);
    if (a.export_path && (st = export_graph(&a, &v, &nodes)))
        goto out;
    st = print(&a, &v, &nodes, &dist);
out:
    igraph_vector_int_destroy(&nodes);
    igraph_vector_int_destroy(&dist);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
    return st;
}
