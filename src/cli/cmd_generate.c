/* cmd_generate.c: `iffnet generate`, a synthetic wildlife-trafficking case
 * with an answer key (the work is iffnet_generate() in src/lib/generate/generate.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "iffnet/generate.h"

enum { OPT_SCENARIO = CLI_OPT_FIRST_CMD, OPT_ACCOUNTS, OPT_TRANSACTIONS, OPT_DAYS, OPT_CURRENCY,
       OPT_START, OPT_STRUCTURES, OPT_TYPOLOGIES, OPT_PROFILE, OPT_LOOKALIKES, OPT_MAX_MEMBERS,
       OPT_MAX_SPAN, OPT_AMOUNTS };

static void usage(FILE *fp)
{
    fprintf(fp,
        "Usage: iffnet generate [--scenario wildlife] --accounts N [--transactions M] [--days D] [--seed S]\n"
        "                       [--currency EUR] [--start DATE] [--structures K] [--typologies LIST]\n"
        "                       [--profile NAME] [--lookalikes K] [--max-members N] [--max-span D]\n"
        "                       [--amounts RULE] -o DIR\n"
        "\n"
        "Writes a synthetic case into DIR: transactions.csv, entities.csv, relations.csv,\n"
        "rates.csv, answer_key.csv (the planted structures), lookalikes.csv (benign groups\n"
        "of the same shapes) and scenario.md. The same options and seed give the same bytes.\n"
        "\n"
        "  --scenario NAME      scenario (default: wildlife, the only one)\n"
        "  --accounts N         accounts in the population (20 or more)\n"
        "  --transactions M     transactions in all (default 10 per account)\n"
        "  --days D             length of the period in days (default 365)\n"
        "  --currency CODE      case currency: EUR (default), USD, GBP, CHF, ...\n"
        "  --start DATE         first day, e.g. 2024-01-01 (default)\n"
        "  --structures K       planted structures (default: scaled to the accounts)\n"
        "  --typologies LIST    comma-separated typologies to plant (default: all plantable)\n"
        "  --profile NAME       sparse, default, dense or hard: how many benign look-alikes,\n"
        "                       and (hard) planted sizes, spans and amounts from the hard end\n"
        "  --lookalikes K       benign look-alike groups (default: as the profile says)\n"
        "  --max-members N      largest planted structure, 3 to 40 (default 40)\n"
        "  --max-span D         longest planted span in days (default: a quarter of the period)\n"
        "  --amounts RULE       mixed (default), carried, decaying or independent\n");
    cli_common_help(fp);
}

/* Parses "fan_in,cycle,..." into a bit mask of plantable typologies. */
static int parse_typologies(const char *s, uint32_t *mask)
{
    char *copy = strdup(s), *save = NULL;
    int rc = 0;
    *mask = 0;
    if (!copy)
        return cli_usage("out of memory");
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        iffnet_typology_t t;
        if (iffnet_typology_parse(tok, &t) != 0 || !(iffnet_generate_plantable() & (1u << t))) {
            rc = cli_usage("option '--typologies': '%s' is not a typology the generator plants", tok);
            break;
        }
        *mask |= 1u << t;
    }
    free(copy);
    if (rc == 0 && *mask == 0)
        rc = cli_usage("option '--typologies': empty list");
    return rc;
}

static int parse(int argc, char **argv, cli_common_t *co, iffnet_generate_opts_t *o)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {"accounts", required_argument, NULL, OPT_ACCOUNTS},
        {"transactions", required_argument, NULL, OPT_TRANSACTIONS},
        {"days", required_argument, NULL, OPT_DAYS},
        {"currency", required_argument, NULL, OPT_CURRENCY},
        {"start", required_argument, NULL, OPT_START},
        {"structures", required_argument, NULL, OPT_STRUCTURES},
        {"typologies", required_argument, NULL, OPT_TYPOLOGIES},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"lookalikes", required_argument, NULL, OPT_LOOKALIKES},
        {"max-members", required_argument, NULL, OPT_MAX_MEMBERS},
        {"max-span", required_argument, NULL, OPT_MAX_SPAN},
        {"amounts", required_argument, NULL, OPT_AMOUNTS},
        {NULL, 0, NULL, 0}
    };
    int c, rc, have_accounts = 0;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        if ((rc = cli_common_opt(co, c, optarg)) < 0)
            return CLI_EXIT_USAGE;
        if (rc > 0)
            continue;
        rc = 0;
        switch (c) {
        case 'h': usage(stdout); return -1;
        case OPT_SCENARIO:
            if (strcmp(optarg, "wildlife") != 0)
                return cli_usage("option '--scenario': unknown scenario '%s' (known: wildlife)", optarg);
            o->scenario = optarg;
            break;
        case OPT_ACCOUNTS:
            rc = cli_parse_int("--accounts", optarg, 20, 100000000, &o->n_accounts), have_accounts = 1;
            break;
        case OPT_TRANSACTIONS:
            rc = cli_parse_int("--transactions", optarg, 1, INT64_C(4000000000), &o->n_transactions);
            break;
        case OPT_DAYS: rc = cli_parse_int("--days", optarg, 1, 3660, &o->days); break;
        case OPT_STRUCTURES: rc = cli_parse_int("--structures", optarg, 1, 10000000, &o->n_structures); break;
        case OPT_CURRENCY:
            if (!iffnet_generate_currency_known(optarg))
                return cli_usage("option '--currency': unknown currency '%s'", optarg);
            o->currency = optarg;
            break;
        case OPT_START:
            if ((rc = cli_parse_time("--start", optarg, &o->start)) == 0 && o->start % 86400 != 0)
                return cli_usage("option '--start': '%s' is not a date (midnight UTC)", optarg);
            break;
        case OPT_TYPOLOGIES: rc = parse_typologies(optarg, &o->typologies); break;
        case OPT_PROFILE:
            if (!iffnet_generate_profile_known(optarg))
                return cli_usage("option '--profile': unknown profile '%s' (known: %s)", optarg,
                                 iffnet_generate_profile_names());
            o->profile = optarg;
            break;
        case OPT_LOOKALIKES: rc = cli_parse_int("--lookalikes", optarg, 0, 100000000, &o->n_lookalikes); break;
        case OPT_MAX_MEMBERS: rc = cli_parse_int("--max-members", optarg, 3, 40, &o->max_members); break;
        case OPT_MAX_SPAN: rc = cli_parse_int("--max-span", optarg, 1, 3660, &o->max_span_days); break;
        case OPT_AMOUNTS:
            if (iffnet_gen_amounts_parse(optarg, &o->amounts) != 0)
                return cli_usage("option '--amounts': '%s' is not mixed, carried, decaying or independent", optarg);
            break;
        default: return cli_bad_option(argc, argv, longopts);
        }
        if (rc)
            return CLI_EXIT_USAGE;
    }
    if (optind < argc)
        return cli_usage("unexpected argument '%s'", argv[optind]);
    if (!have_accounts)
        return cli_usage("option '--accounts' is required");
    if (!co->output || strcmp(co->output, "-") == 0)
        return cli_usage("option '-o DIR' is required (a directory)");
    if (o->max_span_days > o->days)
        return cli_usage("option '--max-span': %lld days is longer than the period (--days %lld)",
                         (long long)o->max_span_days, (long long)o->days);
    o->seed = co->seed;
    return 0;
}

int cmd_generate(int argc, char **argv)
{
    cli_common_t co;
    iffnet_generate_opts_t o;
    cli_common_init(&co);
    iffnet_generate_opts_default(&o);
    int rc = parse(argc, argv, &co, &o);
    if (rc)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (mkdir(co.output, 0777) != 0 && errno != EEXIST) {
        cli_error("cannot create directory '%s': %s", co.output, strerror(errno));
        return CLI_EXIT_DATA;
    }
    o.progress = cli_progress;
    o.progress_arg = &co;
    int err = iffnet_generate(&o, co.output);
    if (!co.quiet && (co.progress || isatty(2)))
        fputc('\n', stderr); /* end the progress line */
    if (err)
        return cli_fail(err);
    cli_info("wrote the case to '%s'", co.output);
    return CLI_EXIT_OK;
}
