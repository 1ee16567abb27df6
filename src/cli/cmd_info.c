/* cmd_info.c: iffnet info: what a case holds. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "iffnet/json.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: iffnet info CASE [--top N] [options]\n"
            "\n"
            "Summarise a case: counts, time span, totals per currency and channel, degrees,\n"
            "weakly connected components, the accounts with the largest in- and out-flows,\n"
            "and the provenance of every input file with its SHA-256.\n"
            "\n"
            "  -n, --top N         accounts in each top list (default 5)\n"
            "With --format json, one typed JSON document (see iffnet-formats(5)).\n"
            "\n");
    cli_common_help(fp);
}

/* Rows are (section, key, value): printed as "key: value" under section headings
 * for people, or as a three-column table for scripts. */
typedef struct {
    cli_format_t fmt;
    FILE *fp;
    cli_table_t *t;
    const char *section;
} sink_t;

static void emit(sink_t *s, const char *section, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void emit(sink_t *s, const char *section, const char *key, const char *fmt, ...)
{
    char v[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    if (s->fmt != CLI_FMT_TABLE) {
        cli_table_str(s->t, section);
        cli_table_str(s->t, key);
        cli_table_str(s->t, v);
        cli_table_end_row(s->t);
        return;
    }
    if (!s->section || strcmp(s->section, section) != 0) {
        fprintf(s->fp, "%s%s\n", s->section ? "\n" : "", section);
        s->section = section;
    }
    fprintf(s->fp, "  %-22s %s\n", key, v);
}

static void emit_overview(sink_t *s, const iffnet_case_t *c, const iffnet_summary_t *m)
{
    char a[32], b[32];
    emit(s, "case", "accounts", "%lld (%lld with transactions)", (long long)c->n_accounts, (long long)m->active_accounts);
    emit(s, "case", "transactions", "%lld", (long long)c->n_tx);
    emit(s, "case", "entities", "%lld", (long long)c->n_entities);
    emit(s, "case", "relations", "%lld", (long long)c->n_relations);
    iffnet_time_format(a, sizeof a, m->first, 0);
    iffnet_time_format(b, sizeof b, m->last, 0);
    emit(s, "case", "time span", "%s .. %s (%.1f days)", a, b, (double)(m->last - m->first) / 86400.0);
    emit(s, "case", "self-transfers", "%lld", (long long)m->self_transfers);
    if (c->base_currency >= 0)
        emit(s, "case", "base currency", "%s (amounts converted with the rates file)", iffnet_case_currency(c, c->base_currency));
    else if (iffnet_case_mixed_currencies(c))
        emit(s, "case", "base currency", "none: %lld currencies and no rates; cross-currency sums are not meaningful",
             (long long)c->currencies.n);
}

static void emit_totals(sink_t *s, const iffnet_case_t *c, const iffnet_summary_t *m)
{
    char buf[64];
    int32_t vc = iffnet_case_value_currency(c);
    for (int64_t k = 0; k < m->n_currencies; k++) {
        iffnet_case_format_money(c, buf, sizeof buf, m->currency_total[k], (int32_t)k, 1);
        emit(s, "totals per currency", iffnet_case_currency(c, (int32_t)k), "%s in %lld transactions", buf,
             (long long)m->currency_count[k]);
    }
    for (int64_t k = 0; k < m->n_channels; k++) {
        if (!m->channel_count[k]) continue;
        const char *name = k < c->channels.n ? iffnet_strtab_get(&c->channels, k) : "(none)";
        if (iffnet_case_mixed_currencies(c)) {
            emit(s, "totals per channel", name, "%lld transactions (mixed currencies: no sum)", (long long)m->channel_count[k]);
            continue;
        }
        iffnet_case_format_money(c, buf, sizeof buf, m->channel_value[k], vc, 1);
        emit(s, "totals per channel", name, "%lld transactions, %s", (long long)m->channel_count[k], buf);
    }
}

/* One top list: by value, or by count when the case mixes currencies without rates. */
static void emit_top(sink_t *s, const iffnet_case_t *c, const iffnet_account_volume_t *top, int64_t n,
                     const char *by_value, const char *by_count, const char *verb)
{
    char buf[64], key[32];
    int mixed = iffnet_case_mixed_currencies(c);
    int32_t vc = iffnet_case_value_currency(c);
    const char *sec = mixed ? by_count : by_value; /* the sink keeps the pointer: literals only */
    for (int64_t i = 0; i < n && top[i].count; i++) {
        const iffnet_account_volume_t *v = &top[i];
        const char *plural = v->count == 1 ? "" : "s";
        snprintf(key, sizeof key, "#%lld", (long long)(i + 1));
        if (mixed) {
            emit(s, sec, key, "%s %s %s %lld transaction%s", iffnet_case_account_id(c, v->account),
                 iffnet_case_account_name(c, v->account), verb, (long long)v->count, plural);
        } else {
            iffnet_case_format_money(c, buf, sizeof buf, v->value, vc, 1);
            emit(s, sec, key, "%s %s %s %s in %lld transaction%s", iffnet_case_account_id(c, v->account),
                 iffnet_case_account_name(c, v->account), verb, buf, (long long)v->count, plural);
        }
    }
}

static void emit_structure(sink_t *s, const iffnet_case_t *c, const iffnet_summary_t *m)
{
    emit(s, "network", "max in-degree", "%lld", (long long)m->max_in_degree);
    emit(s, "network", "max out-degree", "%lld", (long long)m->max_out_degree);
    emit(s, "network", "mean degree", "%.2f", m->mean_degree);
    emit(s, "network", "median degree", "%lld", (long long)m->median_degree);
    emit(s, "network", "components", "%lld weakly connected (largest: %lld accounts)",
         (long long)m->n_components, (long long)m->largest_component);
    emit_top(s, c, m->top_in, m->n_top, "largest inflows", "most inflows (by count: mixed currencies)", "received");
    emit_top(s, c, m->top_out, m->n_top, "largest outflows", "most outflows (by count: mixed currencies)", "sent");
}

static void emit_provenance(sink_t *s, const iffnet_case_t *c)
{
    char t[32];
    iffnet_time_format(t, sizeof t, c->prov.created, 0);
    emit(s, "provenance", "written by", "iffnet %s on %s", c->prov.version, t);
    emit(s, "provenance", "command", "%s", c->prov.command_line);
    emit(s, "provenance", "preset", "%s", c->prov.preset);
    emit(s, "provenance", "time zone", "%lld timestamps without a zone read as %s", (long long)c->prov.local_times,
         c->prov.timezone ? c->prov.timezone : "UTC");
    if (c->prov.tx_merged)
        emit(s, "provenance", "merged", "%lld transactions given by two files with the same id and content, kept once",
             (long long)c->prov.tx_merged);
    if (c->prov.tx_matched)
        emit(s, "provenance", "matched", "%lld payments in the statements of both sides, kept once", (long long)c->prov.tx_matched);
    for (int64_t i = 0; i < c->prov.n_inputs; i++) {
        const iffnet_input_t *in = &c->prov.inputs[i];
        emit(s, "provenance", in->role, "%s (%lld bytes, sha256 %s; %lld rows read, %lld accepted, %lld rejected%s)",
             in->path, (long long)in->size, in->sha256, (long long)in->rows_read, (long long)in->rows_accepted,
             (long long)in->rows_rejected, in->rows_merged ? "; some repeat payments of an earlier file" : "");
    }
}

/* ---- JSON: one typed document (iffnet-formats(5)) ---- */

static void json_amount(iffnet_jsonw_t *w, const iffnet_case_t *c, const char *key, iffnet_money_t v, int32_t k)
{
    iffnet_jsonw_amount(w, key, v, k >= 0 && c->currency_scale ? c->currency_scale[k] : 2);
}

static void json_case(iffnet_jsonw_t *w, const iffnet_case_t *c, const iffnet_summary_t *m)
{
    iffnet_jsonw_object_begin(w, "case");
    iffnet_jsonw_int(w, "accounts", c->n_accounts);
    iffnet_jsonw_int(w, "active_accounts", m->active_accounts);
    iffnet_jsonw_int(w, "transactions", c->n_tx);
    iffnet_jsonw_int(w, "entities", c->n_entities);
    iffnet_jsonw_int(w, "relations", c->n_relations);
    iffnet_jsonw_time(w, "first", m->first);
    iffnet_jsonw_time(w, "last", m->last);
    iffnet_jsonw_double(w, "days", (double)(m->last - m->first) / 86400.0, 1);
    iffnet_jsonw_int(w, "self_transfers", m->self_transfers);
    iffnet_jsonw_str(w, "base_currency", c->base_currency >= 0 ? iffnet_case_currency(c, c->base_currency) : NULL);
    iffnet_jsonw_bool(w, "mixed_currencies", iffnet_case_mixed_currencies(c));
    iffnet_jsonw_end(w);
}

static void json_totals(iffnet_jsonw_t *w, const iffnet_case_t *c, const iffnet_summary_t *m)
{
    int32_t vc = iffnet_case_value_currency(c);
    int mixed = iffnet_case_mixed_currencies(c);
    iffnet_jsonw_array_begin(w, "currencies");
    for (int64_t k = 0; k < m->n_currencies; k++) {
        iffnet_jsonw_object_begin(w, NULL);
        iffnet_jsonw_str(w, "currency", iffnet_case_currency(c, (int32_t)k));
        json_amount(w, c, "total", m->currency_total[k], (int32_t)k);
        iffnet_jsonw_int(w, "transactions", m->currency_count[k]);
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
    iffnet_jsonw_array_begin(w, "channels");
    for (int64_t k = 0; k < m->n_channels; k++) {
        if (!m->channel_count[k]) continue;
        iffnet_jsonw_object_begin(w, NULL);
        iffnet_jsonw_str(w, "channel", k < c->channels.n ? iffnet_strtab_get(&c->channels, k) : NULL);
        iffnet_jsonw_int(w, "transactions", m->channel_count[k]);
        if (mixed || vc < 0) iffnet_jsonw_null(w, "total"); /* no sum across currencies */
        else json_amount(w, c, "total", m->channel_value[k], vc);
        iffnet_jsonw_str(w, "currency", mixed || vc < 0 ? NULL : iffnet_case_currency(c, vc));
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
}

static void json_top(iffnet_jsonw_t *w, const iffnet_case_t *c, const char *key, const iffnet_account_volume_t *top,
                     int64_t n)
{
    int32_t vc = iffnet_case_value_currency(c);
    int mixed = iffnet_case_mixed_currencies(c);
    iffnet_jsonw_array_begin(w, key);
    for (int64_t i = 0; i < n && top[i].count; i++) {
        iffnet_jsonw_object_begin(w, NULL);
        iffnet_jsonw_int(w, "rank", i + 1);
        iffnet_jsonw_str(w, "account", iffnet_case_account_id(c, top[i].account));
        iffnet_jsonw_str(w, "name", iffnet_case_account_name(c, top[i].account));
        if (mixed || vc < 0) iffnet_jsonw_null(w, "amount");
        else json_amount(w, c, "amount", top[i].value, vc);
        iffnet_jsonw_str(w, "currency", mixed || vc < 0 ? NULL : iffnet_case_currency(c, vc));
        iffnet_jsonw_int(w, "transactions", top[i].count);
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
}

static void json_network(iffnet_jsonw_t *w, const iffnet_summary_t *m)
{
    iffnet_jsonw_object_begin(w, "network");
    iffnet_jsonw_int(w, "max_in_degree", m->max_in_degree);
    iffnet_jsonw_int(w, "max_out_degree", m->max_out_degree);
    iffnet_jsonw_double(w, "mean_degree", m->mean_degree, 2);
    iffnet_jsonw_int(w, "median_degree", m->median_degree);
    iffnet_jsonw_int(w, "components", m->n_components);
    iffnet_jsonw_int(w, "largest_component", m->largest_component);
    iffnet_jsonw_end(w);
}

static void json_provenance(iffnet_jsonw_t *w, const iffnet_case_t *c)
{
    iffnet_jsonw_object_begin(w, "provenance");
    iffnet_jsonw_str(w, "version", c->prov.version);
    iffnet_jsonw_time(w, "created", c->prov.created);
    iffnet_jsonw_str(w, "command_line", c->prov.command_line);
    iffnet_jsonw_str(w, "preset", c->prov.preset);
    iffnet_jsonw_array_begin(w, "inputs");
    for (int64_t i = 0; i < c->prov.n_inputs; i++) {
        const iffnet_input_t *in = &c->prov.inputs[i];
        iffnet_jsonw_object_begin(w, NULL);
        iffnet_jsonw_str(w, "role", in->role);
        iffnet_jsonw_str(w, "path", in->path);
        iffnet_jsonw_int(w, "bytes", in->size);
        iffnet_jsonw_str(w, "sha256", in->sha256);
        iffnet_jsonw_int(w, "rows_read", in->rows_read);
        iffnet_jsonw_int(w, "rows_accepted", in->rows_accepted);
        iffnet_jsonw_int(w, "rows_rejected", in->rows_rejected);
        iffnet_jsonw_end(w);
    }
    iffnet_jsonw_end(w);
    iffnet_jsonw_end(w);
}

static int emit_json(FILE *fp, const iffnet_case_t *c, const iffnet_summary_t *m)
{
    iffnet_jsonw_t w;
    iffnet_jsonw_init(&w, fp);
    iffnet_jsonw_object_begin(&w, NULL);
    json_case(&w, c, m);
    json_totals(&w, c, m);
    json_network(&w, m);
    json_top(&w, c, "top_in", m->top_in, m->n_top);
    json_top(&w, c, "top_out", m->top_out, m->n_top);
    json_provenance(&w, c);
    iffnet_jsonw_end(&w);
    return iffnet_jsonw_finish(&w);
}

int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {{"top", required_argument, NULL, 'n'}, CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    cli_common_t common;
    cli_common_init(&common);
    int64_t top = 5;
    int c, r;
    while ((c = getopt_long(argc, argv, "n:" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
        if ((r = cli_common_opt(&common, c, optarg)) != 0) {
            if (r < 0) return CLI_EXIT_USAGE;
            continue;
        }
        if (c == 'h') { usage(stdout); return CLI_EXIT_OK; }
        if (c == 'n') { if (cli_parse_int("--top", optarg, 0, 1000000, &top)) return CLI_EXIT_USAGE; continue; }
        return cli_bad_option(argc, argv, longopts);
    }
    if (optind + 1 != argc) return cli_usage(optind < argc ? "expected one case file" : "no case file given");
    iffnet_case_t cs;
    if ((r = cli_load_case(argv[optind], &cs))) return r;
    iffnet_summary_t m;
    iffnet_out_t out;
    int err = iffnet_case_summarize(&cs, top, &m);
    if (err) {
        iffnet_case_destroy(&cs);
        return cli_fail(err);
    }
    if (common.format == CLI_FMT_JSON) {
        if ((r = cli_open_output(&out, common.output)) == 0) {
            if ((err = emit_json(out.fp, &cs, &m))) {
                iffnet_out_abort(&out);
                r = cli_fail(err);
            } else {
                r = cli_commit_output(&out);
            }
        }
    } else if ((r = cli_open_output(&out, common.output)) == 0) {
        static const char *const cols[] = {"section", "key", "value"};
        sink_t s = {common.format, out.fp, NULL, NULL};
        if (common.format != CLI_FMT_TABLE) s.t = cli_table_new(out.fp, common.format, 3, cols);
        emit_overview(&s, &cs, &m);
        emit_totals(&s, &cs, &m);
        emit_structure(&s, &cs, &m);
        emit_provenance(&s, &cs);
        if (s.t && cli_table_free(s.t)) { cli_error("out of memory"); r = CLI_EXIT_DATA; }
        if (!r) r = cli_commit_output(&out);
        else iffnet_out_abort(&out);
    }
    iffnet_summary_destroy(&m);
    iffnet_case_destroy(&cs);
    return r;
}
