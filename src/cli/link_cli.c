/* link_cli.c: options shared by the link-analysis commands. */
#include <string.h>
#include "link_cli.h"
#include "iffnet/alert_read.h"

void link_args_init(link_args_t *a)
{
    iffnet_view_opts_default(&a->view);
    a->min_amount = NULL;
}

int link_view_opt(link_args_t *a, int c, const char *arg)
{
    switch (c) {
    case LINK_OPT_SINCE:
        return cli_parse_time("--since", arg, &a->view.since) ? -1 : 1;
    case LINK_OPT_UNTIL:
        return cli_parse_time("--until", arg, &a->view.until) ? -1 : 1;
    case LINK_OPT_MIN_AMOUNT:
        a->min_amount = arg;
        return 1;
    case LINK_OPT_LEVEL:
        if (strcmp(arg, "account") == 0)
            a->view.level = IFFNET_LEVEL_ACCOUNT;
        else if (strcmp(arg, "entity") == 0)
            a->view.level = IFFNET_LEVEL_ENTITY;
        else {
            static const char *const valid[] = {"account", "entity", NULL};
            return cli_bad_value("--level", arg, valid), -1;
        }
        return 1;
    case LINK_OPT_WEIGHT:
        if (strcmp(arg, "amount") == 0)
            a->view.weight = IFFNET_WEIGHT_AMOUNT;
        else if (strcmp(arg, "count") == 0)
            a->view.weight = IFFNET_WEIGHT_COUNT;
        else {
            static const char *const valid[] = {"amount", "count", NULL};
            return cli_bad_value("--weight", arg, valid), -1;
        }
        return 1;
    default:
        return 0;
    }
}

void link_view_help(FILE *fp)
{
    fputs("Network options:\n"
          "      --since TIME        keep transactions at or after TIME\n"
          "      --until TIME        keep transactions before TIME\n"
          "      --min-amount AMOUNT keep transactions of at least AMOUNT (case value currency)\n"
          "      --level LEVEL       account (default) or entity: accounts collapse onto holders\n"
          "      --weight WEIGHT     amount (default) or count of transactions\n", fp);
}

int32_t link_currency(const iffnet_view_t *v)
{
    return v->value_currency < 0 ? 0 : v->value_currency;
}

int link_open(link_args_t *a, const char *case_path, iffnet_case_t *c, iffnet_view_t *v)
{
    int st, err;

    if (a->view.since != INT64_MIN && a->view.until != INT64_MAX && a->view.since >= a->view.until)
        return cli_usage("--since must be before --until");
    if ((st = cli_load_case(case_path, c)))
        return st;
    if (a->min_amount) {
        int32_t cur = iffnet_case_value_currency(c);
        int scale = cur >= 0 ? c->currency_scale[cur] : 2;
        if (cli_parse_money("--min-amount", a->min_amount, scale, &a->view.min_amount)) {
            iffnet_case_destroy(c);
            return CLI_EXIT_USAGE;
        }
    }
    if (a->min_amount && iffnet_case_mixed_currencies(c))
        cli_info("warning: the case mixes currencies without rates; --min-amount compares raw amounts");
    if ((err = iffnet_view_build(v, c, &a->view))) {
        st = cli_fail(err);
        iffnet_case_destroy(c);
        return st;
    }
    return 0;
}

int64_t link_node(const iffnet_view_t *v, const char *id)
{
    int64_t u = iffnet_view_find(v, id);
    if (u < 0)
        cli_error("%s", iffnet_errmsg());
    return u;
}

int link_flagged_nodes(const iffnet_view_t *v, const char *path, char **flagged)
{
    iffnet_alert_list_t l;
    int err;

    *flagged = calloc((size_t)(v->n_nodes ? v->n_nodes : 1), 1);
    if (!*flagged)
        return cli_fail(IFFNET_ENOMEM);
    if ((err = iffnet_alert_read_jsonl(path, v->c, &l))) {
        iffnet_alert_list_destroy(&l);
        free(*flagged);
        *flagged = NULL;
        return cli_fail(err);
    }
    for (int64_t i = 0; i < l.n; i++)
        for (int64_t j = 0; j < l.items[i].n_accounts; j++)
            (*flagged)[v->account_node[l.items[i].accounts[j]]] = 1;
    iffnet_alert_list_destroy(&l);
    return 0;
}
