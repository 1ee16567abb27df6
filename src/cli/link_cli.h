/* link_cli.h: options shared by the link-analysis commands (rank, path, ego,
 * links, communities): the time window, amount floor, level and weight. */
#ifndef IFFNET_LINK_CLI_H
#define IFFNET_LINK_CLI_H

#include "cli.h"
#include "iffnet/link.h"

enum {
    LINK_OPT_SINCE = CLI_OPT_FIRST_CMD, LINK_OPT_UNTIL, LINK_OPT_MIN_AMOUNT, LINK_OPT_LEVEL,
    LINK_OPT_WEIGHT, LINK_OPT_FIRST  /* commands number their own options from here */
};

#define LINK_VIEW_LONGOPTS \
    {"since", required_argument, NULL, LINK_OPT_SINCE}, \
    {"until", required_argument, NULL, LINK_OPT_UNTIL}, \
    {"min-amount", required_argument, NULL, LINK_OPT_MIN_AMOUNT}, \
    {"level", required_argument, NULL, LINK_OPT_LEVEL}, \
    {"weight", required_argument, NULL, LINK_OPT_WEIGHT}

typedef struct {
    iffnet_view_opts_t view;
    const char *min_amount;  /* parsed once the case (and its currency) is known */
} link_args_t;

void link_args_init(link_args_t *a);
/* 1 handled, 0 not a view option, -1 bad value (usage message printed). */
int link_view_opt(link_args_t *a, int c, const char *arg);
/* Help lines of the view options. */
void link_view_help(FILE *fp);
/* Loads the case and builds the view; returns 0 or an exit status (message printed).
 * On success the caller destroys both. */
int link_open(link_args_t *a, const char *case_path, iffnet_case_t *c, iffnet_view_t *v);
/* Node named on the command line, or -1 with the error printed. */
int64_t link_node(const iffnet_view_t *v, const char *id);
/* The currency amounts of the view are in, for money columns (computed once). */
int32_t link_currency(const iffnet_view_t *v);

/* Reads an alerts JSON Lines file and marks (*flagged, per node, 0/1) the nodes of
 * every account an alert names. Returns 0 or an exit status (message printed). */
int link_flagged_nodes(const iffnet_view_t *v, const char *path, char **flagged);

#endif
