/* cmd_communities.c: iffnet communities: groups of accounts that move money among themselves. */
#include <string.h>
#include "link_cli.h"

enum { OPT_METHOD = LINK_OPT_FIRST, OPT_RESOLUTION, OPT_ITERATIONS, OPT_TRIALS, OPT_RUNS, OPT_MEMBERSHIP,
       OPT_MIN_SIZE, OPT_ALERTS };

static void usage(FILE *fp)
{
    fputs("Usage: iffnet communities [OPTIONS] CASE\n"
          "Detect groups of accounts that move money among themselves.\n\n"
          "      --method M          leiden (default), louvain, infomap or labelprop\n"
          "      --resolution R      modularity resolution for leiden and louvain (default 1)\n"
          "      --iterations N      Leiden passes, -1 = until a pass moves no node (default 2)\n"
          "      --trials N          Infomap trials (default 1)\n"
          "      --runs N            also run with seeds SEED+1..SEED+N-1 and report the stability\n"
          "      --membership FILE   write every node's community to FILE (CSV: id,community)\n"
          "      --min-size N        summarise communities of at least N members (default 2)\n"
          "      --alerts FILE       count members flagged in an alerts JSON Lines file\n", fp);
    link_view_help(fp);
    cli_common_help(fp);
}

typedef struct {
    cli_common_t co;
    link_args_t la;
    iffnet_community_opts_t cm;
    const char *membership, *alerts;
    int64_t min_size;
} comm_args_t;

static int parse(comm_args_t *a, int argc, char **argv)
{
    static const struct option lo[] = {
        CLI_COMMON_LONGOPTS, LINK_VIEW_LONGOPTS,
        {"method", required_argument, NULL, OPT_METHOD}, {"resolution", required_argument, NULL, OPT_RESOLUTION},
        {"iterations", required_argument, NULL, OPT_ITERATIONS}, {"trials", required_argument, NULL, OPT_TRIALS},
        {"runs", required_argument, NULL, OPT_RUNS}, {"membership", required_argument, NULL, OPT_MEMBERSHIP},
        {"min-size", required_argument, NULL, OPT_MIN_SIZE}, {"alerts", required_argument, NULL, OPT_ALERTS},
        {NULL, 0, NULL, 0}};
    int ch, r;

    while ((ch = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, lo, NULL)) != -1) {
        if (ch == 'h') { usage(stdout); return -1; }
        if ((r = cli_common_opt(&a->co, ch, optarg)) || (r = link_view_opt(&a->la, ch, optarg))) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        switch (ch) {
        case OPT_METHOD:
            if (iffnet_community_parse(optarg, &a->cm.method)) {
                const char *valid[IFFNET_COMMUNITY_N + 1];
                for (int i = 0; i < IFFNET_COMMUNITY_N; i++)
                    valid[i] = iffnet_community_name((iffnet_community_method_t)i);
                valid[IFFNET_COMMUNITY_N] = NULL;
                return cli_bad_value("--method", optarg, valid);
            }
            break;
        case OPT_RESOLUTION:
            if (cli_parse_double("--resolution", optarg, 1e-9, 1e9, &a->cm.resolution)) return CLI_EXIT_USAGE;
            break;
        case OPT_ITERATIONS:
            if (cli_parse_int("--iterations", optarg, -1, 1000, &a->cm.iterations) || a->cm.iterations == 0)
                return a->cm.iterations == 0 ? cli_usage("--iterations must be -1 or positive") : CLI_EXIT_USAGE;
            break;
        case OPT_TRIALS: if (cli_parse_int("--trials", optarg, 1, 1000, &a->cm.trials)) return CLI_EXIT_USAGE; break;
        case OPT_RUNS: if (cli_parse_int("--runs", optarg, 1, 1000, &a->cm.runs)) return CLI_EXIT_USAGE; break;
        case OPT_MEMBERSHIP:
            /* An output: refused at once when it is one of the inputs. */
            if (cli_check_output(optarg)) return CLI_EXIT_USAGE;
            a->membership = optarg;
            break;
        case OPT_MIN_SIZE:
            if (cli_parse_int("--min-size", optarg, 1, INT64_MAX, &a->min_size)) return CLI_EXIT_USAGE;
            break;
        case OPT_ALERTS: a->alerts = optarg; break;
        default: return cli_bad_option(argc, argv, lo);
        }
    }
    if (argc - optind != 1)
        return cli_usage("expected one case file");
    return 0;
}

static int write_membership(const comm_args_t *a, const iffnet_view_t *v, const iffnet_communities_t *r)
{
    const char *names[] = {"id", "community"};
    int st;
    cli_table_t *t = cli_table_open(a->membership, CLI_FMT_CSV, 2, names, &st);
    if (!t)
        return st;
    for (int64_t u = 0; u < v->n_nodes; u++) {
        cli_table_str(t, iffnet_view_node_id(v, u));
        cli_table_int(t, VECTOR(r->membership)[u] + 1);
        cli_table_end_row(t);
    }
    return cli_table_commit(t);
}

static void top_members(cli_table_t *t, const iffnet_view_t *v, const iffnet_community_summary_t *s)
{
    const char *ids[IFFNET_COMMUNITY_TOP];
    for (int64_t i = 0; i < s->n_top; i++)
        ids[i] = iffnet_view_node_id(v, s->top[i]);
    cli_table_list(t, s->n_top, ids);
}

/* "ZA:3 VN:2" (the summary's form) as a list of "ZA:3", "VN:2". */
static void count_list(cli_table_t *t, const char *s)
{
    char *copy = strdup(s ? s : ""), *save = NULL;
    const char *items[64];
    int64_t n = 0;
    if (!copy) {
        cli_table_str(t, "");
        return;
    }
    for (char *w = strtok_r(copy, " ", &save); w && n < 64; w = strtok_r(NULL, " ", &save))
        items[n++] = w;
    cli_table_list(t, n, items);
    free(copy);
}

static int print(const comm_args_t *a, const iffnet_view_t *v, const iffnet_community_summary_t *s, int64_t n,
                 int with_alerts)
{
    const char *names[] = {"community", "size", "internal_amount", "internal_tx", "inflow", "outflow",
                           "top_pagerank", "countries", "sectors", "flagged"};
    int32_t cur = link_currency(v);
    int st;
    cli_table_t *t = cli_table_open(a->co.output, a->co.format, with_alerts ? 10 : 9, names, &st);

    if (!t)
        return st;
    for (int64_t i = 0; i < n; i++) {
        if (s[i].size < a->min_size)
            continue;
        cli_table_int(t, s[i].id + 1);
        cli_table_int(t, s[i].size);
        cli_table_money(t, v->c, s[i].internal, cur);
        cli_table_int(t, s[i].internal_tx);
        cli_table_money(t, v->c, s[i].inflow, cur);
        cli_table_money(t, v->c, s[i].outflow, cur);
        top_members(t, v, &s[i]);
        count_list(t, s[i].countries);
        count_list(t, s[i].sectors);
        if (with_alerts)
            cli_table_int(t, s[i].flagged);
        cli_table_end_row(t);
    }
    return cli_table_commit(t);
}

static void report(const comm_args_t *a, const iffnet_communities_t *r)
{
    cli_info("%s: %lld communities, modularity %.4f%s", iffnet_community_name(a->cm.method),
             (long long)r->n_communities, r->modularity,
             a->cm.method == IFFNET_COMMUNITY_INFOMAP ? " (of the Infomap partition)" : "");
    if (r->runs >= 2)
        cli_info("stability over %lld seeds: NMI mean %.4f min %.4f, ARI mean %.4f min %.4f",
                 (long long)r->runs, r->nmi_mean, r->nmi_min, r->ari_mean, r->ari_min);
}

int cmd_communities(int argc, char **argv)
{
    comm_args_t a = { .min_size = 2 };
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_communities_t r;
    iffnet_rank_t pr;
    iffnet_rank_opts_t ro;
    iffnet_community_summary_t *s = NULL;
    char *flagged = NULL;
    int st, err;

    cli_common_init(&a.co);
    link_args_init(&a.la);
    iffnet_community_opts_default(&a.cm);
    if ((st = parse(&a, argc, argv)))
        return st < 0 ? CLI_EXIT_OK : st;
    a.cm.seed = a.co.seed;
    if ((st = link_open(&a.la, argv[optind], &c, &v)))
        return st;
    iffnet_communities_init(&r);
    iffnet_rank_init(&pr);
    iffnet_rank_opts_default(&ro);
    if (a.alerts && (st = link_flagged_nodes(&v, a.alerts, &flagged)))
        goto out;
    if ((err = iffnet_communities_detect(&v, &a.cm, &r)) || (err = iffnet_rank_compute(&v, &ro, &pr)) ||
        (err = iffnet_community_summarise(&v, &r, &pr.score, flagged, &s))) {
        st = cli_fail(err);
        goto out;
    }
    report(&a, &r);
    if (a.membership && (st = write_membership(&a, &v, &r)))
        goto out;
    st = print(&a, &v, s, r.n_communities, flagged != NULL);
out:
    iffnet_community_summaries_free(s, r.n_communities);
    free(flagged);
    iffnet_rank_destroy(&pr);
    iffnet_communities_destroy(&r);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
    return st;
}
