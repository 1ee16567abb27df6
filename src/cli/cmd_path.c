/* cmd_path.c: iffnet path: how one account is connected to another. */
#include <string.h>
#include "link_cli.h"

enum { OPT_MAX_HOPS = LINK_OPT_FIRST, OPT_K, OPT_TIME, OPT_SKIP, OPT_TABLE };

static void usage(FILE *fp)
{
    fputs("Usage: iffnet path [OPTIONS] CASE FROM TO\n"
          "Find how two accounts are connected, with the transactions and the maximum flow.\n\n"
          "      --max-hops K        paths of at most K hops (default 6)\n"
          "      --k N               the N shortest paths (default 3)\n"
          "      --time-respecting   each hop a transaction later than the previous one\n"
          "      --skip-hubs DEGREE  do not pass through nodes of higher degree (in + out counterparts)\n"
          "      --table NAME        hops (default: the paths hop by hop) or summary (the number of\n"
          "                          paths, the maximum flow, the minimum cut and skipped hubs):\n"
          "                          the table written with --format csv, tsv or json\n", fp);
    link_view_help(fp);
    cli_common_help(fp);
}

typedef struct {
    cli_common_t co;
    link_args_t la;
    iffnet_path_opts_t po;
    int summary;             /* --table summary */
} path_args_t;

static int parse(path_args_t *a, int argc, char **argv)
{
    static const struct option lo[] = {
        CLI_COMMON_LONGOPTS, LINK_VIEW_LONGOPTS,
        {"max-hops", required_argument, NULL, OPT_MAX_HOPS}, {"k", required_argument, NULL, OPT_K},
        {"time-respecting", no_argument, NULL, OPT_TIME},
        {"skip-hubs", required_argument, NULL, OPT_SKIP}, {"table", required_argument, NULL, OPT_TABLE},
        {NULL, 0, NULL, 0}};
    int ch, r;

    while ((ch = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, lo, NULL)) != -1) {
        if (ch == 'h') { usage(stdout); return -1; }
        if ((r = cli_common_opt(&a->co, ch, optarg)) || (r = link_view_opt(&a->la, ch, optarg))) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        switch (ch) {
        case OPT_MAX_HOPS:
            if (cli_parse_int("--max-hops", optarg, 1, 100, &a->po.max_hops)) return CLI_EXIT_USAGE;
            break;
        case OPT_K: if (cli_parse_int("--k", optarg, 1, 1000, &a->po.k)) return CLI_EXIT_USAGE; break;
        case OPT_TIME: a->po.time_respecting = 1; break;
        case OPT_SKIP:
            if (cli_parse_int("--skip-hubs", optarg, 1, INT64_MAX, &a->po.skip_degree)) return CLI_EXIT_USAGE;
            break;
        case OPT_TABLE:
            if (strcmp(optarg, "hops") && strcmp(optarg, "summary"))
                return cli_usage("option '--table': \"%s\" is not hops or summary", optarg);
            a->summary = optarg[0] == 's';
            break;
        default: return cli_bad_option(argc, argv, lo);
        }
    }
    if (argc - optind != 3)
        return cli_usage("expected a case file, FROM and TO");
    return 0;
}

static void print_hop(cli_table_t *t, const iffnet_view_t *v, const iffnet_paths_t *p, int64_t path, int64_t h)
{
    int64_t i = p->off[path] + h, e = p->hop_edge[i], tx = p->hop_tx[i];
    int32_t cur = link_currency(v);
    char buf[24];

    cli_table_int(t, path + 1);
    cli_table_int(t, h + 1);
    cli_table_str(t, iffnet_view_node_id(v, p->hop_src[i]));
    cli_table_str(t, iffnet_view_node_id(v, p->hop_dst[i]));
    if (tx >= 0) {
        cli_table_str(t, iffnet_case_tx_id(v->c, tx));
        iffnet_time_format(buf, sizeof buf, v->c->tx_time[tx], 0);
        cli_table_str(t, buf);
        cli_table_money(t, v->c, iffnet_case_tx_value(v->c, tx), cur);
    } else {
        cli_table_str(t, "");
        cli_table_str(t, "");
        cli_table_money(t, v->c, v->edge_amount[e], cur);
    }
    cli_table_int(t, v->edge_tx_off[e + 1] - v->edge_tx_off[e]);
    iffnet_time_format(buf, sizeof buf, v->c->tx_time[v->edge_tx[v->edge_tx_off[e]]], 0);
    cli_table_str(t, buf);
    iffnet_time_format(buf, sizeof buf, v->c->tx_time[v->edge_tx[v->edge_tx_off[e + 1] - 1]], 0);
    cli_table_str(t, buf);
    cli_table_end_row(t);
}

/* Max flow and skipped hubs: appended to a text table, on stderr otherwise. */
static void print_summary(FILE *fp, const iffnet_view_t *v, const iffnet_paths_t *p, const char *from,
                          const char *to)
{
    char amt[64];
    iffnet_case_format_money(v->c, amt, sizeof amt, p->max_flow, link_currency(v), 1);
    fprintf(fp, "%lld path(s); maximum flow %s -> %s: %s (static, minimum cut of %lld edges)\n",
            (long long)p->n_paths, from, to, amt, (long long)p->n_cut);
    if (p->n_skipped) {
        fprintf(fp, "skipped %lld hub(s):", (long long)p->n_skipped);
        for (int64_t i = 0; i < p->n_skipped && i < 10; i++)
            fprintf(fp, " %s", iffnet_view_node_id(v, p->skipped[i]));
        fputs(p->n_skipped > 10 ? " ...\n" : "\n", fp);
    }
}

/* --table summary: one row, the maximum flow typed like every amount. */
static int print_summary_table(path_args_t *a, const iffnet_view_t *v, const iffnet_paths_t *p, char **ends)
{
    const char *names[] = {"from", "to", "paths", "max_flow", "min_cut_edges", "skipped_hubs", "currency"};
    int32_t cur = link_currency(v);
    const char **hubs = malloc((size_t)p->n_skipped * sizeof *hubs + 1);
    iffnet_out_t out;
    cli_table_t *t;
    int st;
    if (!hubs) return cli_fail(IFFNET_ENOMEM);
    if ((st = cli_open_output(&out, a->co.output))) { free(hubs); return st; }
    if (!(t = cli_table_new(out.fp, a->co.format, 7, names))) {
        free(hubs);
        iffnet_out_abort(&out);
        return cli_fail(IFFNET_ENOMEM);
    }
    for (int64_t i = 0; i < p->n_skipped; i++) hubs[i] = iffnet_view_node_id(v, p->skipped[i]);
    cli_table_str(t, ends[0]);
    cli_table_str(t, ends[1]);
    cli_table_int(t, p->n_paths);
    cli_table_money(t, v->c, p->max_flow, cur);
    cli_table_int(t, p->n_cut);
    cli_table_list(t, p->n_skipped, hubs);
    cli_table_str(t, cur >= 0 ? iffnet_case_currency(v->c, cur) : "");
    cli_table_end_row(t);
    free(hubs);
    if (cli_table_free(t)) {
        iffnet_out_abort(&out);
        return cli_fail(IFFNET_ENOMEM);
    }
    return cli_commit_output(&out);
}

static int print(path_args_t *a, const iffnet_view_t *v, const iffnet_paths_t *p, char **ends)
{
    const char *names[] = {"path", "hop", "from", "to", "tx", "time", "amount", "edge_tx", "edge_first",
                           "edge_last"};
    int st;
    cli_table_t *t = cli_table_open(a->co.output, a->co.format, 10, names, &st);

    if (!t)
        return st;
    for (int64_t i = 0; i < p->n_paths; i++)
        for (int64_t h = 0; h < p->off[i + 1] - p->off[i]; h++)
            print_hop(t, v, p, i, h);
    if (a->co.format == CLI_FMT_TABLE) {
        cli_table_flush(t);
        fputc('\n', cli_table_fp(t));
        print_summary(cli_table_fp(t), v, p, ends[0], ends[1]);
    } else if (!a->co.quiet) {
        print_summary(stderr, v, p, ends[0], ends[1]);
    }
    return cli_table_commit(t);
}

int cmd_path(int argc, char **argv)
{
    path_args_t a;
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_paths_t p;
    int64_t from, to;
    int st, err;

    memset(&a, 0, sizeof a);
    cli_common_init(&a.co);
    link_args_init(&a.la);
    iffnet_path_opts_default(&a.po);
    if ((st = parse(&a, argc, argv)))
        return st < 0 ? CLI_EXIT_OK : st;
    if ((st = link_open(&a.la, argv[optind], &c, &v)))
        return st;
    iffnet_paths_init(&p);
    if ((from = link_node(&v, argv[optind + 1])) < 0 || (to = link_node(&v, argv[optind + 2])) < 0) {
        st = CLI_EXIT_DATA;
        goto out;
    }
    if ((err = iffnet_path_find(&v, from, to, &a.po, &p))) {
        st = cli_fail(err);
        goto out;
    }
    st = a.summary ? print_summary_table(&a, &v, &p, argv + optind + 1) : print(&a, &v, &p, argv + optind + 1);
out:
    iffnet_paths_destroy(&p);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
    return st;
}
