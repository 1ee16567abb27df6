/* ingest.c: the ingest driver: the order in which the sources are read into
 * the sink (ingest_sink.c). Options and presets are in ingest_opts.c, below
 * the readers that use them.
 *
 * Order: entity and account files (so later sources complete known entities),
 * then every transaction source in the order given, then the sink merges,
 * sorts by time and links accounts, then relation files, then rates. */
#include <time.h>
#include "case_internal.h"

static int set_provenance(iffnet_case_t *c, const iffnet_ingest_opts_t *o)
{
    c->prov.created = o->created >= 0 ? o->created : (iffnet_time_t)time(NULL);
    c->prov.version = iffnet_i_strdup(iffnet_version());
    c->prov.command_line = iffnet_i_strdup(o->command_line ? o->command_line : "");
    c->prov.preset = iffnet_i_strdup(o->preset ? o->preset : "native");
    if (!c->prov.version || !c->prov.command_line || !c->prov.preset)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    /* Newlines would break the case file's META block. */
    for (char *p = c->prov.command_line; *p; p++)
        if (*p == '\n' || *p == '\t') *p = ' ';
    return IFFNET_OK;
}

static int is_tx_source(iffnet_source_kind_t k)
{
    return k == IFFNET_SRC_TRANSACTIONS || k == IFFNET_SRC_GOAML || k == IFFNET_SRC_FTM ||
           k == IFFNET_SRC_STATEMENT || k == IFFNET_SRC_CAMT;
}

static int read_source(iffnet_i_sink_t *g, const iffnet_source_t *s)
{
    switch (s->kind) {
    case IFFNET_SRC_TRANSACTIONS: return iffnet_i_read_tx_csv(g, s);
    case IFFNET_SRC_ENTITIES: return iffnet_i_read_entities_csv(g, s, 0);
    case IFFNET_SRC_ACCOUNTS: return iffnet_i_read_entities_csv(g, s, 1);
    case IFFNET_SRC_RELATIONS: return iffnet_i_read_relations_csv(g, s);
    case IFFNET_SRC_RATES: return iffnet_i_read_rates(g, s);
    case IFFNET_SRC_GOAML: return iffnet_i_read_goaml(g, s);
    case IFFNET_SRC_FTM: return iffnet_i_read_ftm(g, s);
    case IFFNET_SRC_STATEMENT: return iffnet_i_read_statement_csv(g, s);
    case IFFNET_SRC_CAMT: return iffnet_i_read_camt(g, s);
    }
    return iffnet_i_seterr(IFFNET_EINVAL, "unknown kind of source");
}

static int check_sources(const iffnet_source_t *s, int64_t n)
{
    int64_t rates = 0, tx = 0, accounts = 0, entities = 0;
    for (int64_t i = 0; i < n; i++) {
        rates += s[i].kind == IFFNET_SRC_RATES;
        tx += is_tx_source(s[i].kind);
        accounts += s[i].kind == IFFNET_SRC_ACCOUNTS;
        entities += s[i].kind == IFFNET_SRC_ENTITIES;
        if (!s[i].path) return iffnet_i_seterr(IFFNET_EINVAL, "a source without a file name");
        if (s[i].kind == IFFNET_SRC_STATEMENT && (!s[i].account || !*s[i].account))
            return iffnet_i_seterr(IFFNET_EINVAL, "statement '%s': whose account it is must be given (--statement-of)", s[i].path);
    }
    if (rates > 1) return iffnet_i_seterr(IFFNET_EINVAL, "give one rates file");
    if (accounts && entities) return iffnet_i_seterr(IFFNET_EINVAL, "give either an accounts file or an entities file, not both");
    if (tx == 0) return iffnet_i_seterr(IFFNET_EINVAL, "no transaction source (-t, --goaml, --ftm, --camt)");
    return IFFNET_OK;
}

/* Runs the readers of one phase: entities, transaction sources, relations, rates. */
static int read_phase(iffnet_i_sink_t *g, const iffnet_source_t *s, int64_t n, int phase)
{
    for (int64_t i = 0; i < n; i++) {
        int p = s[i].kind == IFFNET_SRC_ENTITIES || s[i].kind == IFFNET_SRC_ACCOUNTS ? 0
              : is_tx_source(s[i].kind) ? 1 : s[i].kind == IFFNET_SRC_RELATIONS ? 2 : 3;
        if (p == phase) IFFNET_TRY(read_source(g, &s[i]));
    }
    return IFFNET_OK;
}

int iffnet_ingest_sources(iffnet_case_t *c, const iffnet_source_t *sources, int64_t n,
                          const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *report)
{
    iffnet_i_sink_t *g = NULL;
    memset(report, 0, sizeof *report);
    iffnet_case_init(c);
    int err = check_sources(sources, n);
    if (!err) err = set_provenance(c, o);
    if (!err) err = iffnet_i_sink_new(&g, c, o, report);
    if (!err) err = read_phase(g, sources, n, 0);
    if (!err) err = read_phase(g, sources, n, 1);
    if (!err) err = iffnet_i_sink_finish_tx(g);
    if (!err) err = read_phase(g, sources, n, 2);
    if (!err) err = read_phase(g, sources, n, 3);
    if (!err && c->n_tx == 0) {
        const char *first = "";
        for (int64_t i = 0; i < n && !*first; i++)
            if (is_tx_source(sources[i].kind)) first = sources[i].path;
        err = iffnet_i_seterr(IFFNET_EDATA, "%s: no transactions were accepted", first);
    }
    if (!err) err = iffnet_i_sink_finish(g);
    /* Rows that were rejected are written out even when the ingest fails
     * because of them (every row bad): that file is how the user finds out why. */
    if (err == IFFNET_EDATA && report->skipped > 0) {
        char *msg = iffnet_i_strdup(iffnet_errmsg());
        int cerr = iffnet_i_sink_commit_skipped(g);
        if (cerr) err = cerr;
        else if (msg) iffnet_i_seterr(err, "%s", msg);
        free(msg);
    }
    iffnet_i_sink_free(g);
    if (err) iffnet_case_destroy(c);
    return err;
}

int iffnet_ingest(iffnet_case_t *c, const char *tx_path, const char *entities_path,
                  const char *relations_path, const char *rates_path,
                  const iffnet_ingest_opts_t *o, iffnet_ingest_report_t *report)
{
    iffnet_source_t s[5];
    int64_t n = 0;
    if (o->accounts_path) s[n++] = (iffnet_source_t){IFFNET_SRC_ACCOUNTS, o->accounts_path, NULL, NULL, 0};
    if (entities_path) s[n++] = (iffnet_source_t){IFFNET_SRC_ENTITIES, entities_path, NULL, NULL, 0};
    s[n++] = (iffnet_source_t){IFFNET_SRC_TRANSACTIONS, tx_path, NULL, NULL, 0};
    if (relations_path) s[n++] = (iffnet_source_t){IFFNET_SRC_RELATIONS, relations_path, NULL, NULL, 0};
    if (rates_path) s[n++] = (iffnet_source_t){IFFNET_SRC_RATES, rates_path, NULL, NULL, 0};
    return iffnet_ingest_sources(c, s, n, o, report);
}
