/* cmd_export.c: iffnet export: the network (or a sub-network) for Gephi,
 * Cytoscape, yEd, Graphviz or i2 Analyst's Notebook. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "iffnet/alert_read.h"
#include "iffnet/export.h"
#include "iffnet/report.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet export CASE [--format graphml|gexf|dot|csv|json|goaml|ftm] [-o OUT]\n"
            "                     [--alerts FILE] [--ego ACCOUNT [--max-hops K]] [--community N] [--communities FILE]\n"
            "                     [--goaml-header FILE] [--xsd SCHEMA]\n"
            "\n"
            "Write the accounts and transactions of the case, or of a sub-network, with\n"
            "node attributes (name, country, sector, amounts, alerts, community) and edge\n"
            "attributes (transaction id, amount, currency, time, channel, alerts).\n"
            "\n"
            "      --format FMT        graphml (default; Gephi, Cytoscape, yEd), gexf (Gephi),\n"
            "                          dot (Graphviz), json (Cytoscape.js), csv (i2 entity and link lists:\n"
            "                          accounts, persons, companies; transactions, holds, director, owner),\n"
            "                          goaml (a goAML STR/SAR of the alerts' transactions), ftm (FollowTheMoney\n"
            "                          entities, one JSON object a line: Aleph, OpenSanctions)\n"
            "      --goaml-header FILE the reporting entity's fields for goaml (key = value lines: rentity_id,\n"
            "                          rentity_branch, reporting_user_code, location.address, location.city,\n"
            "                          location.country_code, report_code, indicators, ...)\n"
            "      --xsd SCHEMA        validate the XML written against SCHEMA (goaml: goAMLSchema.xsd); an\n"
            "                          invalid report is not written\n"
            "      --alerts FILE       alerts from 'iffnet detect': export the accounts they name\n"
            "                          (with --ego or --community: only annotate)\n"
            "      --ego ACCOUNT       export the accounts within K transactions of ACCOUNT\n"
            "      --max-hops K        ego radius (default 2; --hops is the old spelling)\n"
            "      --community N       export community N of the --communities file\n"
            "      --communities FILE  membership CSV 'account,community' (also annotates nodes)\n"
            "  -o, --output OUT        output file (default: standard output); for csv a prefix (OUT-entities.csv, OUT-links.csv)\n"
            "                          or an existing directory (OUT/entities.csv, OUT/links.csv)\n"
            "\n");
    fputs("Common options:\n"
          "  -q, --quiet             no information messages\n"
          "  -h, --help              show this help and exit\n", fp);
}

enum { OPT_ALERTS = CLI_OPT_FIRST_CMD, OPT_EGO, OPT_HOPS, OPT_COMMUNITY, OPT_COMMUNITIES, OPT_OLD_HOPS, OPT_GOAML_HEADER, OPT_XSD };

typedef struct {
    cli_common_t common;
    iffnet_export_format_t fmt;
    const char *case_path, *alerts, *ego, *communities, *goaml_header, *xsd;
    int64_t hops, community;
} export_args_t;

static int parse_args(int argc, char **argv, export_args_t *a)
{
    static const struct option longopts[] = {
        {"alerts", required_argument, NULL, OPT_ALERTS}, {"ego", required_argument, NULL, OPT_EGO},
        {"max-hops", required_argument, NULL, OPT_HOPS}, {"hops", required_argument, NULL, OPT_OLD_HOPS},
        {"community", required_argument, NULL, OPT_COMMUNITY},
        {"communities", required_argument, NULL, OPT_COMMUNITIES}, {"goaml-header", required_argument, NULL, OPT_GOAML_HEADER},
        {"xsd", required_argument, NULL, OPT_XSD}, CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    int c, r;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return -1;
        case CLI_OPT_FORMAT:
            if (iffnet_export_format_parse(optarg, &a->fmt)) {
                static const char *const valid[] = {"graphml", "gexf", "dot", "csv", "json", "goaml", "ftm", NULL};
                return cli_bad_value("--format", optarg, valid);
            }
            continue;
        case OPT_ALERTS: a->alerts = optarg; continue;
        case OPT_EGO: a->ego = optarg; continue;
        case OPT_OLD_HOPS: cli_deprecated("--hops", "--max-hops"); /* fall through */
        case OPT_HOPS: if (cli_parse_int("--max-hops", optarg, 0, 1000, &a->hops)) return CLI_EXIT_USAGE; continue;
        case OPT_COMMUNITY:
            if (cli_parse_int("--community", optarg, 0, INT32_MAX, &a->community)) return CLI_EXIT_USAGE;
            continue;
        case OPT_COMMUNITIES: a->communities = optarg; continue;
        case OPT_GOAML_HEADER: a->goaml_header = optarg; continue;
        case OPT_XSD: a->xsd = optarg; continue;
        default: break;
        }
        if ((r = cli_common_opt(&a->common, c, optarg)) != 0) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        return cli_bad_option(argc, argv, longopts);
    }
    if (optind + 1 != argc) return cli_usage(optind < argc ? "expected one case file" : "no case file given");
    if (a->community >= 0 && !a->communities) return cli_usage("--community needs --communities FILE");
    if (a->ego && a->community >= 0) return cli_usage("--ego and --community select different sub-networks");
    if (a->fmt == IFFNET_EXPORT_CSV && strcmp(a->common.output, "-") == 0)
        return cli_usage("--format csv writes two files: give -o PREFIX or -o DIRECTORY");
    if (a->goaml_header && a->fmt != IFFNET_EXPORT_GOAML) return cli_usage("--goaml-header goes with --format goaml");
    if (a->xsd && a->fmt != IFFNET_EXPORT_GOAML && a->fmt != IFFNET_EXPORT_GRAPHML && a->fmt != IFFNET_EXPORT_GEXF)
        return cli_usage("--xsd validates XML output (goaml, graphml, gexf)");
    a->case_path = argv[optind];
    return 0;
}

/* Loads alerts and membership and builds the selection; returns 0 or an exit status. */
static int prepare(const export_args_t *a, iffnet_case_t *c, iffnet_alert_list_t *al, int64_t **member,
                   char **sel)
{
    int err;
    if (a->alerts && (err = iffnet_alert_read_jsonl(a->alerts, c, al))) return cli_fail(err);
    if (a->communities && (err = iffnet_report_read_communities(c, a->communities, member))) return cli_fail(err);
    if (a->ego) {
        int64_t acc = iffnet_case_find_account(c, a->ego);
        if (acc < 0) {
            cli_error("unknown account '%s'", a->ego);
            return CLI_EXIT_DATA;
        }
        err = iffnet_export_select_ego(c, acc, a->hops, sel);
    } else if (a->community >= 0) {
        err = iffnet_export_select_community(c, *member, a->community, sel);
    } else if (a->alerts) {
        err = iffnet_export_select_alerts(c, al, sel);
    } else {
        err = 0;
    }
    return err ? cli_fail(err) : 0;
}

/* CSV: two files named from -o (a directory, or a prefix). */
static int write_i2(const iffnet_export_t *x, const char *o)
{
    char *pe = NULL, *pl = NULL;
    iffnet_out_t oe, ol;
    int r, err;
    if ((err = iffnet_export_i2_paths(o, &pe, &pl))) return cli_fail(err);
    if ((r = cli_open_output(&oe, pe))) goto out;
    if ((r = cli_open_output(&ol, pl))) {
        iffnet_out_abort(&oe);
        goto out;
    }
    if ((err = iffnet_export_write_i2(x, oe.fp, ol.fp))) {
        iffnet_out_abort(&oe);
        iffnet_out_abort(&ol);
        r = cli_fail(err);
        goto out;
    }
    if ((r = cli_commit_output(&oe))) iffnet_out_abort(&ol);
    else r = cli_commit_output(&ol);
out:
    free(pe);
    free(pl);
    return r;
}

static int write_plain(const export_args_t *a, const iffnet_export_t *x)
{
    iffnet_out_t out;
    int r, err;
    if ((r = cli_open_output(&out, a->common.output))) return r;
    if ((err = iffnet_export_write(x, a->fmt, out.fp))) {
        iffnet_out_abort(&out);
        return cli_fail(err);
    }
    return cli_commit_output(&out);
}

/* Written to a temporary file first, validated, then copied to the output, so
 * an invalid report never reaches it. */
static int write_validated(const export_args_t *a, const iffnet_export_t *x)
{
    iffnet_out_t out;
    char buf[65536];
    size_t n;
    int r, err;
    FILE *tmp = tmpfile();
    if (!tmp) {
        cli_error("cannot create a temporary file: %s", strerror(errno));
        return CLI_EXIT_DATA;
    }
    const char *name = strcmp(a->common.output, "-") == 0 ? "(output)" : a->common.output;
    if ((err = iffnet_export_write(x, a->fmt, tmp)) || (err = iffnet_export_validate_xml(tmp, name, a->xsd))) {
        fclose(tmp);
        return cli_fail(err);
    }
    if ((r = cli_open_output(&out, a->common.output))) {
        fclose(tmp);
        return r;
    }
    while ((n = fread(buf, 1, sizeof buf, tmp)) > 0)
        if (fwrite(buf, 1, n, out.fp) != n) break;
    int bad = ferror(tmp);
    fclose(tmp);
    if (bad) {
        iffnet_out_abort(&out);
        cli_error("cannot read back the validated output");
        return CLI_EXIT_DATA;
    }
    if (!r) cli_info("'%s' is valid against '%s'", name, a->xsd);
    return cli_commit_output(&out);
}

int cmd_export(int argc, char **argv)
{
    export_args_t a;
    iffnet_case_t c;
    iffnet_alert_list_t al;
    iffnet_export_t x;
    iffnet_config_t header;
    int64_t *member = NULL;
    char *sel = NULL;
    int r, err;

    memset(&a, 0, sizeof a);
    cli_common_init(&a.common);
    a.fmt = IFFNET_EXPORT_GRAPHML;
    a.hops = 2;
    a.community = -1;
    if ((r = parse_args(argc, argv, &a))) return r < 0 ? CLI_EXIT_OK : r;
    if ((r = cli_load_case(a.case_path, &c))) return r;
    iffnet_alert_list_init(&al);
    if ((r = prepare(&a, &c, &al, &member, &sel))) goto out;
    memset(&x, 0, sizeof x);
    x.c = &c;
    x.select = sel;
    x.alerts = a.alerts ? &al : NULL;
    x.community = member;
    x.name = a.case_path;
    if (a.fmt == IFFNET_EXPORT_CSV) {
        r = write_i2(&x, a.common.output);
        goto out;
    }
    if (a.goaml_header) {
        if (iffnet_config_init(&header) || (err = iffnet_config_read(&header, a.goaml_header))) {
            r = cli_fail(IFFNET_EDATA);
            goto out;
        }
        x.goaml_header = &header;
    }
    x.now = cli_now();
    r = a.xsd ? write_validated(&a, &x) : write_plain(&a, &x);
    if (!r && a.goaml_header) {
        const char *origin, *unused = iffnet_config_unused(&header, &origin);
        if (unused) cli_error("warning: '%s' (%s) is not a goAML header field and was not used", unused, origin);
    }
out:
    free(sel);
    free(member);
    iffnet_alert_list_destroy(&al);
    iffnet_case_destroy(&c);
    if (a.goaml_header) iffnet_config_destroy(&header);
    return r;
}
