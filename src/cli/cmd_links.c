/* cmd_links.c: iffnet links: entities tied by shared identifiers, directors or owners. */
#include <string.h>
#include "link_cli.h"

enum { OPT_BY = LINK_OPT_FIRST, OPT_MAX_SHARE };

static void usage(FILE *fp)
{
    fputs("Usage: iffnet links [OPTIONS] CASE\n"
          "Group entities that share identifiers, directors or owners.\n\n"
          "      --by LIST           comma-separated entity attributes (address, phone, registration...)\n"
          "                          and/or director, owner, name (names compared as names.h says:\n"
          "                          accents, word order, legal forms; default: identifier-like\n"
          "                          attributes, director and owner)\n"
          "      --max-share N       ignore values shared by more than N entities (default 50, 0 = no limit)\n"
          "With --since, --until or --min-amount, only entities holding an account with a kept\n"
          "transaction are linked; --level and --weight do not apply.\n", fp);
    link_view_help(fp);
    cli_common_help(fp);
}

#define MAX_BY 64

typedef struct {
    cli_common_t co;
    link_args_t la;
    iffnet_links_opts_t lo;
    const char *by[MAX_BY];
    char *by_list;
} links_args_t;

static int parse(links_args_t *a, int argc, char **argv)
{
    static const struct option lo[] = {
        CLI_COMMON_LONGOPTS, LINK_VIEW_LONGOPTS,
        {"by", required_argument, NULL, OPT_BY}, {"max-share", required_argument, NULL, OPT_MAX_SHARE},
        {NULL, 0, NULL, 0}};
    int ch, r;
    char *save = NULL;

    while ((ch = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, lo, NULL)) != -1) {
        if (ch == 'h') { usage(stdout); return -1; }
        if ((r = cli_common_opt(&a->co, ch, optarg)) || (r = link_view_opt(&a->la, ch, optarg))) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        switch (ch) {
        case OPT_BY:
            a->lo.n_by = 0;
            for (char *b = strtok_r(optarg, ",", &save); b; b = strtok_r(NULL, ",", &save)) {
                if (a->lo.n_by == MAX_BY)
                    return cli_usage("too many --by values");
                a->by[a->lo.n_by++] = b;
            }
            if (!a->lo.n_by)
                return cli_usage("empty --by");
            a->lo.by = a->by;
            break;
        case OPT_MAX_SHARE:
            if (cli_parse_int("--max-share", optarg, 0, INT64_MAX, &a->lo.max_share)) return CLI_EXIT_USAGE;
            break;
        default: return cli_bad_option(argc, argv, lo);
        }
    }
    if (argc - optind != 1)
        return cli_usage("expected one case file");
    return 0;
}

/* Entities active in the view: the accounts with a kept transaction, their own
 * entity records and their holders. */
static char *active_entities(const iffnet_view_t *v)
{
    const iffnet_case_t *c = v->c;
    char *keep = calloc((size_t)(c->n_entities ? c->n_entities : 1), 1);
    if (!keep)
        return NULL;
    for (int64_t a = 0; a < c->n_accounts; a++) {
        int64_t u = v->account_node[a];
        if (!v->in_count[u] && !v->out_count[u])
            continue;
        if (c->account_entity && c->account_entity[a] >= 0)
            keep[c->account_entity[a]] = 1;
        if (c->account_holder && c->account_holder[a] >= 0)
            keep[c->account_holder[a]] = 1;
    }
    return keep;
}

/* The members' ids or names as a list cell. Returns -1 on memory failure. */
static int member_list(cli_table_t *t, const iffnet_case_t *c, const iffnet_link_key_t *k, int names)
{
    const char **v = malloc((size_t)(k->n ? k->n : 1) * sizeof *v);
    if (!v)
        return -1;
    for (int64_t i = 0; i < k->n; i++)
        v[i] = names ? iffnet_case_text(c, c->entity_name[k->members[i]])
                     : iffnet_strtab_get(&c->entity_ids, k->members[i]);
    cli_table_list(t, k->n, v);
    free(v);
    return 0;
}

static int print(const links_args_t *a, const iffnet_case_t *c, const iffnet_links_t *l)
{
    const char *names[] = {"group", "group_size", "by", "value", "n", "entities", "names"};
    int st;
    cli_table_t *t = cli_table_open(a->co.output, a->co.format, 7, names, &st);

    if (!t)
        return st;
    for (int64_t i = 0; i < l->n_keys; i++) {
        const iffnet_link_key_t *k = &l->keys[i];
        cli_table_int(t, k->group + 1);
        cli_table_int(t, l->group_size[k->group]);
        cli_table_str(t, k->by);
        cli_table_str(t, k->value);
        cli_table_int(t, k->n);
        if (member_list(t, c, k, 0) || member_list(t, c, k, 1)) {
            cli_table_abort(t);
            return cli_fail(IFFNET_ENOMEM);
        }
        cli_table_end_row(t);
    }
    return cli_table_commit(t);
}

int cmd_links(int argc, char **argv)
{
    links_args_t a = { .lo = { .max_share = 50 } };
    iffnet_case_t c;
    iffnet_view_t v;
    iffnet_links_t l = {0};
    char *keep = NULL;
    int st, err;

    cli_common_init(&a.co);
    link_args_init(&a.la);
    if ((st = parse(&a, argc, argv)))
        return st < 0 ? CLI_EXIT_OK : st;
    a.la.view.level = IFFNET_LEVEL_ACCOUNT;
    if ((st = link_open(&a.la, argv[optind], &c, &v)))
        return st;
    if (a.la.view.since != INT64_MIN || a.la.view.until != INT64_MAX || a.la.min_amount) {
        if (!(keep = active_entities(&v))) {
            st = cli_fail(IFFNET_ENOMEM);
            goto out;
        }
        a.lo.keep = keep;
    }
    if ((err = iffnet_links_find(&c, &a.lo, &l))) {
        st = cli_fail(err);
        goto out;
    }
    cli_info("%lld group(s) of linked entities from %lld shared value(s)%s", (long long)l.n_groups,
             (long long)l.n_keys, l.n_ignored ? " (some values ignored by --max-share)" : "");
    st = print(&a, &c, &l);
out:
    free(keep);
    iffnet_links_destroy(&l);
    iffnet_view_destroy(&v);
    iffnet_case_destroy(&c);
    return st;
}
