/* cmd_rank.c: iffnet rank: accounts (or entities) by centrality. */
#include <string.h>
#include "link_cli.h"

enum { OPT_BY = LINK_OPT_FIRST, OPT_TOP, OPT_DAMPING, OPT_CUTOFF, OPT_SAMPLES, OPT_PERSONALIZE, OPT_BUDGET };

static void usage(FILE *fp)
{
    fputs("Usage: iffnet rank [OPTIONS] CASE\n"
          "Rank accounts by centrality, strength or coreness.\n\n"
          "      --by METHOD         pagerank (default), hits, betweenness, strength, degree,\n"
          "                          kcore or eigenvector\n"
          "  -n, --top N             print the N highest (default 20, 0 = all)\n"
          "      --damping D         PageRank damping factor (default 0.85)\n"
          "      --personalize IDS   personalised PageRank restarting at these comma-separated nodes\n"
          "      --cutoff K          betweenness over paths of at most K hops (0 = exact;\n"
          "                          default: exact up to 20000 nodes, else 4)\n"
          "      --samples N         betweenness estimated from N random source nodes\n"
          "      --budget STEPS      betweenness stops after STEPS edge visits and estimates from\n"
          "                          the sources done (default 1000000000; 0 = no limit)\n", fp);
    link_view_help(fp);
    cli_common_help(fp);
}

typedef struct {
    cli_common_t co;
    link_args_t la;
    iffnet_rank_opts_t ro;
    int64_t top;
    char *personalize;
} rank_args_t;

static int parse(rank_args_t *a, int argc, char **argv)
{
    static const struct option lo[] = {
        CLI_COMMON_LONGOPTS, LINK_VIEW_LONGOPTS,
        {"by", required_argument, NULL, OPT_BY}, {"top", required_argument, NULL, 'n'},
        {"damping", required_argument, NULL, OPT_DAMPING}, {"cutoff", required_argument, NULL, OPT_CUTOFF},
        {"samples", required_argument, NULL, OPT_SAMPLES}, {"budget", required_argument, NULL, OPT_BUDGET},
        {"personalize", required_argument, NULL, OPT_PERSONALIZE}, {NULL, 0, NULL, 0}};
    int ch, r;

    while ((ch = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "n:", lo, NULL)) != -1) {
        if (ch == 'h') { usage(stdout); return -1; }
        if ((r = cli_common_opt(&a->co, ch, optarg)) || (r = link_view_opt(&a->la, ch, optarg))) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        switch (ch) {
        case OPT_BY:
            if (iffnet_rank_parse(optarg, &a->ro.by)) {
                const char *valid[IFFNET_RANK_N + 1];
                for (int i = 0; i < IFFNET_RANK_N; i++)
                    valid[i] = iffnet_rank_name((iffnet_rank_by_t)i);
                valid[IFFNET_RANK_N] = NULL;
                return cli_bad_value("--by", optarg, valid);
            }
            break;
        case 'n': if (cli_parse_int("--top", optarg, 0, INT64_MAX, &a->top)) return CLI_EXIT_USAGE; break;
        case OPT_DAMPING:
            if (cli_parse_double("--damping", optarg, 0, 0.9999, &a->ro.damping)) return CLI_EXIT_USAGE;
            break;
        case OPT_CUTOFF: if (cli_parse_int("--cutoff", optarg, 0, 1000, &a->ro.cutoff)) return CLI_EXIT_USAGE; break;
        case OPT_BUDGET: if (cli_parse_int("--budget", optarg, 0, INT64_MAX, &a->ro.budget)) return CLI_EXIT_USAGE; break;
        case OPT_SAMPLES:
            if (cli_parse_int("--samples", optarg, 1, INT64_MAX, &a->ro.samples)) return CLI_EXIT_USAGE;
            break;
        case OPT_PERSONALIZE: a->personalize = optarg; break;
        default: return cli_bad_option(argc, argv, lo);
        }
    }
    if (argc - optind != 1)
        return cli_usage("expected one case file");
    if (a->personalize && a->ro.by != IFFNET_RANK_PAGERANK)
        return cli_usage("--personalize needs --by pagerank");
    return 0;
}

/* Resolves --personalize ids into nodes. */
static int personal_nodes(rank_args_t *a, const iffnet_view_t *v, int64_t **nodes)
{
    char *list = a->personalize, *save = NULL;
    int64_t n = 0;
    *nodes = calloc(strlen(list) + 1, sizeof **nodes);
    if (!*nodes)
        return cli_fail(IFFNET_ENOMEM);
    for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        int64_t u = link_node(v, id);
        if (u < 0)
            return CLI_EXIT_DATA;
        (*nodes)[n++] = u;
    }
    a->ro.personal = *nodes;
    a->ro.n_personal = n;
    return 0;
}

static void print_row(cli_table_t *t, const iffnet_view_t *v, const iffnet_rank_t *r, int64_t rank,
                      int64_t u, iffnet_rank_by_t by)
{
    int32_t cur = link_currency(v);
    double s = VECTOR(r->score)[u];
    cli_table_int(t, rank);
    cli_table_str(t, iffnet_view_node_id(v, u));
    cli_table_str(t, iffnet_view_node_name(v, u));
    cli_table_str(t, iffnet_view_node_country(v, u));
    cli_table_str(t, iffnet_view_node_sector(v, u));
    if (by == IFFNET_RANK_DEGREE || by == IFFNET_RANK_KCORE ||
        (by == IFFNET_RANK_STRENGTH && v->opts.weight == IFFNET_WEIGHT_COUNT))
        cli_table_int(t, (int64_t)s);
    else if (by == IFFNET_RANK_STRENGTH)
        cli_table_money(t, v->c, (iffnet_money_t)s, cur);
    else
        cli_table_double(t, s, by == IFFNET_RANK_BETWEENNESS ? 2 : 8);
    if (by == IFFNET_RANK_HITS)
        cli_table_double(t, VECTOR(r->score2)[u], 8);
    cli_table_money(t, v->c, v->in_amount[u], cur);
    cli_table_money(t, v->c, v->out_amount[u], cur);
    cli_table_int(t, v->in_count[u]);
    cli_table_int(t, v->out_count[u]);
    cli_table_end_row(t);
}

static int print(rank_args_t *a, const iffnet_view_t *v, const iffnet_rank_t *r, const igraph_vector_int_t *ord)
{
    const char *names[] = {"rank", "id", "name", "country", "sector", iffnet_rank_name(a->ro.by),
                           "in_amount", "out_amount", "in_tx", "out_tx"};
    const char *hits[] = {"rank", "id", "name", "country", "sector", "hub", "authority",
                          "in_amount", "out_amount", "in_tx", "out_tx"};
    int st, is_hits = a->ro.by == IFFNET_RANK_HITS;
    int64_t n = igraph_vector_int_size(ord);
    cli_table_t *t = cli_table_open(a->co.output, a->co.format, is_hits ? 11 : 10, is_hits ? hits : names, &st);

    if (!t)
        return st;
    for (int64_t i = 0; i < n && (a->top == 0 || i < a->top); i++)
        print_row(t, v, r, i + 1, VECTOR(*ord)[i], a->ro.by);
    return cli_table_commit(t);
}

int cmd_rank(int argc, char **argv)
{
    rank_args_t a = { .top = 20 };
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_rank_t r;
    igraph_vector_int_t ord;
    int64_t *personal = NULL;
    int st, err;

    cli_common_init(&a.co);
    link_args_init(&a.la);
    iffnet_rank_opts_default(&a.ro);
    if ((st = parse(&a, argc, argv)))
        return st < 0 ? CLI_EXIT_OK : st;
    igraph_rng_seed(igraph_rng_default(), a.co.seed);
    if ((st = link_open(&a.la, argv[optind], &c, &v)))
        return st;
    iffnet_rank_init(&r);
    igraph_vector_int_init(&ord, 0);
    if (a.personalize && (st = personal_nodes(&a, &v, &personal)))
        goto out;
    a.ro.progress = cli_progress;
    a.ro.progress_arg = &a.co;
    err = iffnet_rank_compute(&v, &a.ro, &r);
    cli_progress_end(&a.co);
    if (err || (err = iffnet_rank_order(&r, &ord))) {
        st = cli_fail(err);
        goto out;
    }
    if (r.note[0])
        cli_info("note: %s", r.note);
    st = print(&a, &v, &r, &ord);
out:
    free(personal);
    igraph_vector_int_destroy(&ord);
    iffnet_rank_destroy(&r);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
    return st;
}
