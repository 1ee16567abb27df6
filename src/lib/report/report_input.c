/* report_input.c: the report's inputs and their lifetime: the data a report is
 * drawn from (alerts, communities, notes, and what the analyses add), tracing
 * results, shared-identifier groups, and community membership read from a CSV
 * file. Below report_trace.c and report_run.c, which fill it. */
#include <errno.h>
#include "report_internal.h"
#include "iffnet/alert_read.h"

void iffnet_report_trace_init(iffnet_report_trace_t *t)
{
    memset(t, 0, sizeof *t);
}

void iffnet_report_trace_destroy(iffnet_report_trace_t *t)
{
    for (int64_t k = 0; k < t->n_rules; k++) {
        free(t->rules[k].rule);
        free(t->rules[k].description);
        free(t->rules[k].dest_account);
        free(t->rules[k].dest_amount);
        free(t->rules[k].dest_held);
        free(t->rules[k].dest_left);
    }
    free(t->rules);
    free(t->sources);
    memset(t, 0, sizeof *t);
}

void iffnet_report_subject_init(iffnet_report_subject_t *s)
{
    memset(s, 0, sizeof *s);
    s->entity = s->account = -1;
    iffnet_report_trace_init(&s->out);
    iffnet_report_trace_init(&s->in);
}

void iffnet_report_subject_destroy(iffnet_report_subject_t *s)
{
    free(s->id);
    free(s->accounts);
    iffnet_report_trace_destroy(&s->out);
    iffnet_report_trace_destroy(&s->in);
    iffnet_report_subject_init(s);
}

static int holds(const iffnet_case_t *c, int64_t a, int64_t e)
{
    return (c->account_entity && c->account_entity[a] == e) || (c->account_holder && c->account_holder[a] == e);
}

/* Appends account a unless present (subjects have few accounts: a linear look). */
static int subject_add(iffnet_report_subject_t *s, int64_t a, int64_t *cap)
{
    for (int64_t i = 0; i < s->n_accounts; i++)
        if (s->accounts[i] == a) return IFFNET_OK;
    IFFNET_TRY(iffnet_i_reserve((void **)&s->accounts, cap, s->n_accounts + 1, sizeof *s->accounts));
    s->accounts[s->n_accounts++] = a;
    return IFFNET_OK;
}

int iffnet_report_subject_find(iffnet_report_subject_t *s, iffnet_case_t *c, const char *id)
{
    int64_t cap = 0;
    int err = IFFNET_OK;
    iffnet_report_subject_destroy(s);
    if (!(s->id = iffnet_i_strdup(id))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    s->account = iffnet_case_find_account(c, id);
    s->entity = s->account >= 0 ? (c->account_holder && c->account_holder[s->account] >= 0
                                       ? c->account_holder[s->account] : -1)
                                : iffnet_strtab_find(&c->entity_ids, id, strlen(id));
    if (s->account < 0 && s->entity < 0)
        return iffnet_i_seterr(IFFNET_EDATA, "subject '%s' is neither an account nor an entity of the case", id);
    if (s->account >= 0) return subject_add(s, s->account, &cap); /* an account: itself */
    for (int64_t a = 0; a < c->n_accounts && !err; a++)
        if (holds(c, a, s->entity)) err = subject_add(s, a, &cap);
    s->n_own = s->n_accounts;
    /* and the accounts of the companies it directs or owns */
    for (int64_t r = 0; r < c->n_relations && !err; r++) {
        const char *type = iffnet_case_text(c, c->rel_type[r]);
        int64_t d = c->rel_dst_entity[r];
        if (c->rel_src_entity[r] != s->entity || (strcmp(type, "director_of") && strcmp(type, "owns"))) continue;
        if (c->rel_dst_account[r] >= 0) err = subject_add(s, c->rel_dst_account[r], &cap);
        for (int64_t a = 0; d >= 0 && a < c->n_accounts && !err; a++)
            if (holds(c, a, d)) err = subject_add(s, a, &cap);
    }
    return err;
}

void iffnet_report_groups_init(iffnet_report_groups_t *g)
{
    memset(g, 0, sizeof *g);
}

void iffnet_report_groups_destroy(iffnet_report_groups_t *g)
{
    for (int64_t i = 0; i < g->n; i++) {
        free(g->items[i].by);
        free(g->items[i].value);
        free(g->items[i].entities);
    }
    free(g->items);
    memset(g, 0, sizeof *g);
}

/* Column index of `name` in the header, or -1. */
static int64_t header_col(iffnet_csv_t *f, const char *name)
{
    for (int64_t i = 0; i < iffnet_csv_nfields(f); i++)
        if (strcmp(iffnet_csv_field(f, i, NULL), name) == 0) return i;
    return -1;
}

int iffnet_report_read_communities(const iffnet_case_t *c, const char *path, int64_t **membership)
{
    iffnet_csv_t *f = NULL;
    int64_t *m = NULL, ca, ck;
    int eof = 0, err;
    *membership = NULL;
    if ((err = iffnet_csv_open(&f, path, ','))) return err;
    if ((err = iffnet_csv_next(f, &eof))) goto out;
    ca = eof ? -1 : header_col(f, "account");
    if (ca < 0 && !eof) ca = header_col(f, "id");   /* iffnet communities --membership */
    ck = eof ? -1 : header_col(f, "community");
    if (ca < 0 || ck < 0) {
        err = iffnet_i_seterr(IFFNET_EDATA, "%s:1: header must name columns 'account' (or 'id') and 'community'", path);
        goto out;
    }
    m = malloc(((size_t)c->n_accounts + 1) * sizeof *m);
    if (!m) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t a = 0; a < c->n_accounts; a++) m[a] = -1;
    for (;;) {
        if ((err = iffnet_csv_next(f, &eof))) goto out;
        if (eof) break;
        int64_t line = iffnet_csv_line(f);
        if (iffnet_csv_nfields(f) <= (ca > ck ? ca : ck)) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: missing fields", path, (long long)line);
            goto out;
        }
        const char *id = iffnet_csv_field(f, ca, NULL), *ks = iffnet_csv_field(f, ck, NULL);
        /* find_account builds a lookup index on first use; it does not change the case. */
        int64_t a = iffnet_case_find_account((iffnet_case_t *)c, id);
        char *end;
        errno = 0;
        long long k = strtoll(ks, &end, 10);
        if (a < 0) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'account': unknown account '%s'",
                                  path, (long long)line, id);
            goto out;
        }
        if (end == ks || *end || errno || k < 0 || k > INT32_MAX) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'community': '%s' is not a community number",
                                  path, (long long)line, ks);
            goto out;
        }
        m[a] = k;
    }
    *membership = m;
    m = NULL;
out:
    free(m);
    iffnet_csv_close(f);
    return err;
}

void iffnet_report_data_init(iffnet_report_data_t *d)
{
    memset(d, 0, sizeof *d);
    iffnet_alert_list_init(&d->alerts);
    iffnet_report_groups_init(&d->groups);
    iffnet_report_trace_init(&d->trace);
    iffnet_report_subject_init(&d->subject);
}

void iffnet_report_data_destroy(iffnet_report_data_t *d)
{
    iffnet_alert_list_destroy(&d->alerts);
    free(d->community);
    free(d->community_method);
    free(d->risk);
    for (int64_t a = 0; d->risk_reasons && a < d->n_risk_reasons; a++) free(d->risk_reasons[a]);
    free(d->risk_reasons);
    free(d->centrality);
    free(d->centrality_method);
    iffnet_report_groups_destroy(&d->groups);
    iffnet_report_trace_destroy(&d->trace);
    iffnet_report_subject_destroy(&d->subject);
    for (int64_t i = 0; i < d->n_notes; i++) free(d->notes[i]);
    free(d->notes);
    memset(d, 0, sizeof *d);
}

int iffnet_report_data_note(iffnet_report_data_t *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = iffnet_i_vasprintf(fmt, ap);
    va_end(ap);
    if (!s || iffnet_i_reserve((void **)&d->notes, &d->cap_notes, d->n_notes + 1, sizeof *d->notes)) {
        free(s);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    d->notes[d->n_notes++] = s;
    return IFFNET_OK;
}

int iffnet_report_load_alerts(iffnet_report_data_t *d, iffnet_case_t *c, const char *path)
{
    iffnet_alert_list_destroy(&d->alerts);
    int err = iffnet_alert_read_jsonl(path, c, &d->alerts);
    d->have_alerts = err == IFFNET_OK;
    return err;
}

int iffnet_report_set_subject(iffnet_report_data_t *d, iffnet_case_t *c, const char *id)
{
    int err = iffnet_report_subject_find(&d->subject, c, id);
    d->have_subject = err == IFFNET_OK;
    return err;
}

void iffnet_report_filter_alerts(iffnet_report_data_t *d, const iffnet_detect_opts_t *o)
{
    iffnet_alert_list_t *l = &d->alerts;
    int64_t k = 0;
    for (int64_t i = 0; i < l->n; i++) {
        iffnet_alert_t *a = &l->items[i];
        int keep = (unsigned)a->typology < IFFNET_TYP_COUNT && o->selected[a->typology] &&
                   !(o->hide_ranked_low && a->ranked_low);
        if (keep) {
            l->items[k++] = *a;
            continue;
        }
        free(a->id);
        free(a->accounts);
        free(a->tx);
        for (int64_t j = 0; j < a->n_reasons; j++) free(a->reasons[j]);
        free(a->reasons);
    }
    l->n = k;
}

int iffnet_report_load_communities(iffnet_report_data_t *d, iffnet_case_t *c, const char *path)
{
    int64_t *m = NULL;
    int err = iffnet_report_read_communities(c, path, &m);
    if (err) return err;
    free(d->community);
    free(d->community_method);
    d->community = m;
    d->community_method = iffnet_i_asprintf("file %s", path);
    return d->community_method ? IFFNET_OK : iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
}

void iffnet_report_data_input(const iffnet_report_data_t *d, iffnet_report_input_t *in)
{
    in->alerts = d->have_alerts ? &d->alerts : NULL;
    in->community = d->community;
    in->community_method = d->community_method;
    in->risk = d->risk;
    in->risk_reasons = d->risk_reasons;
    in->centrality = d->centrality;
    in->centrality_method = d->centrality_method;
    in->groups = d->have_groups ? &d->groups : NULL;
    in->trace = d->have_trace ? &d->trace : NULL;
    in->subject = d->have_subject ? &d->subject : NULL;
    in->n_notes = d->n_notes;
    in->notes = (const char *const *)d->notes;
}
