/* report_subject.c: the subject-centred report (iffnet report --subject ID):
 * who the subject is, its accounts and relations, its money in and out over
 * time, its counterparties with what each exchanged with the subject (not their
 * totals over the case), and its money traced both ways. Its alerts are the
 * report's alert sections, limited to those that hold one of its accounts. */
#include "report_internal.h"

/* Counterparties listed at most (the rest are counted). */
#define MAX_COUNTERPARTIES 50

const char *iffnet_i_rep_subject_label(const iffnet_i_rep_t *r, char *buf, size_t n)
{
    const iffnet_report_subject_t *s = r->in->subject;
    char name[160];
    if (s->account >= 0) return iffnet_i_rep_acc_label(r, s->account, buf, n);
    iffnet_i_rep_entity_label(r, s->entity, name, sizeof name);
    if (r->o->pseudonymize) snprintf(buf, n, "%s", name);
    else snprintf(buf, n, "%s (%s)", name, iffnet_strtab_get(&r->c->entity_ids, s->entity));
    return buf;
}

/* The entity's own facts: kind, country, sector and the other columns of the
 * entities file (identifying values hidden when pseudonymized). */
static void who(iffnet_i_rep_t *r, int64_t e)
{
    static const char *const h[] = {"Field", "Value"};
    const iffnet_case_t *c = r->c;
    iffnet_i_rep_table(r, 2, h);
    iffnet_i_rep_cell(r, "%s", "kind");
    iffnet_i_rep_cell(r, "%s", iffnet_case_text(c, c->entity_kind[e]));
    iffnet_i_rep_row_end(r);
    iffnet_i_rep_cell(r, "%s", "country");
    iffnet_i_rep_cell(r, "%s", iffnet_case_text(c, c->entity_country[e]));
    iffnet_i_rep_row_end(r);
    if (c->entity_sector[e] >= 0) {
        iffnet_i_rep_cell(r, "%s", "sector");
        iffnet_i_rep_cell(r, "%s", iffnet_case_text(c, c->entity_sector[e]));
        iffnet_i_rep_row_end(r);
    }
    for (int64_t k = 0; k < c->n_attrs; k++) {
        const char *v = iffnet_case_text(c, c->entity_attr[e * c->n_attrs + k]);
        if (!v[0]) continue;
        iffnet_i_rep_cell(r, "%s", iffnet_strtab_get(&c->attr_names, k));
        iffnet_i_rep_cell(r, "%s", r->o->pseudonymize ? "(not shown)" : v);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
}

static void accounts_table(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"Account", "Name", "Country", "Whose", "In (whole case)", "Out (whole case)",
                                    "Transactions", "Alerts"};
    const iffnet_report_subject_t *s = r->in->subject;
    char m1[64], m2[64], b[192];
    if (s->n_accounts == 0) {
        iffnet_i_rep_para(r, "The subject holds no account of the case, and directs or owns no company that does.");
        return;
    }
    iffnet_i_rep_para(r, "%lld account(s): %lld held by the subject%s.", (long long)s->n_accounts, (long long)s->n_own,
                      s->n_accounts > s->n_own ? ", the others of the companies it directs or owns" : "");
    iffnet_i_rep_table(r, 8, h);
    for (int64_t i = 0; i < s->n_accounts; i++) {
        int64_t a = s->accounts[i], p = iffnet_case_account_profile(r->c, a);
        iffnet_i_rep_cell_acc_id(r, a);
        iffnet_i_rep_cell_acc_name(r, a);
        iffnet_i_rep_cell(r, "%s", iffnet_case_account_country(r->c, a));
        if (i < s->n_own) iffnet_i_rep_cell(r, "%s", "the subject's");
        else iffnet_i_rep_cell(r, "of %s", p >= 0 ? iffnet_i_rep_entity_label(r, p, b, sizeof b) : "a company it controls");
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->acc_in[a], m1, sizeof m1));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, r->acc_out[a], m2, sizeof m2));
        iffnet_i_rep_cell(r, "%lld", (long long)r->acc_ntx[a]);
        iffnet_i_rep_alert_links(r, a, 10);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
}

/* One end of relation k as shown: the entity (name and id) or the account. */
static const char *rel_end(const iffnet_i_rep_t *r, int64_t k, int src, char *buf, size_t n)
{
    const iffnet_case_t *c = r->c;
    int64_t e = src ? c->rel_src_entity[k] : c->rel_dst_entity[k], a = src ? c->rel_src_account[k] : c->rel_dst_account[k];
    char name[160];
    if (e >= 0) {
        iffnet_i_rep_entity_label(r, e, name, sizeof name);
        if (r->o->pseudonymize) snprintf(buf, n, "%s", name);
        else snprintf(buf, n, "%s (%s)", name, iffnet_strtab_get(&c->entity_ids, e));
        return buf;
    }
    return a >= 0 ? iffnet_i_rep_acc_label(r, a, buf, n) : "?";
}

/* Relations of the subject: holders, directors, owners, employers, both ways. */
static void relations_table(iffnet_i_rep_t *r)
{
    static const char *const h[] = {"From", "Relation", "To"};
    const iffnet_report_subject_t *s = r->in->subject;
    const iffnet_case_t *c = r->c;
    char b1[192], b2[192];
    int64_t n = 0;
    for (int64_t k = 0; k < c->n_relations; k++) {
        int mine = (s->entity >= 0 && (c->rel_src_entity[k] == s->entity || c->rel_dst_entity[k] == s->entity)) ||
                   (s->account >= 0 && (c->rel_src_account[k] == s->account || c->rel_dst_account[k] == s->account));
        if (!mine) continue;
        if (n++ == 0) iffnet_i_rep_table(r, 3, h);
        iffnet_i_rep_cell(r, "%s", rel_end(r, k, 1, b1, sizeof b1));
        iffnet_i_rep_cell(r, "%s", iffnet_case_text(c, c->rel_type[k]));
        iffnet_i_rep_cell(r, "%s", rel_end(r, k, 0, b2, sizeof b2));
        iffnet_i_rep_row_end(r);
    }
    if (n) iffnet_i_rep_table_end(r);
    else iffnet_i_rep_para(r, "The relations file names no holder, director, owner or employer of the subject.");
}

/* What each counterparty exchanged with the subject. */
typedef struct {
    iffnet_money_t *to, *from;        /* per account: paid by the subject to it, paid to the subject by it */
    int64_t *n_to, *n_from;
    iffnet_time_t *first, *last;
    iffnet_money_t in, out, internal; /* the subject's totals: in from others, out to others, among its own */
    int64_t *order, n;                /* counterparties by money exchanged, descending */
} exchange_t;

static void exchange_free(exchange_t *x)
{
    free(x->to); free(x->from); free(x->n_to); free(x->n_from); free(x->first); free(x->last); free(x->order);
}

static int cmp_exchanged(const void *pa, const void *pb, void *arg)
{
    const exchange_t *x = arg;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    iffnet_money_t va = x->to[a] + x->from[a], vb = x->to[b] + x->from[b];
    if (va != vb) return va > vb ? -1 : 1;
    return a < b ? -1 : a > b;
}

static int exchange_build(const iffnet_i_rep_t *r, exchange_t *x)
{
    const iffnet_case_t *c = r->c;
    size_t na = (size_t)c->n_accounts + 1;
    memset(x, 0, sizeof *x);
    x->to = calloc(na, sizeof *x->to);
    x->from = calloc(na, sizeof *x->from);
    x->n_to = calloc(na, sizeof *x->n_to);
    x->n_from = calloc(na, sizeof *x->n_from);
    x->first = calloc(na, sizeof *x->first);
    x->last = calloc(na, sizeof *x->last);
    x->order = malloc(na * sizeof *x->order);
    if (!x->to || !x->from || !x->n_to || !x->n_from || !x->first || !x->last || !x->order) {
        exchange_free(x);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        int64_t s = c->tx_src[t], d = c->tx_dst[t], cp;
        iffnet_money_t v = iffnet_case_tx_value(c, t);
        int ms = r->acc_subject[s], md = r->acc_subject[d];
        if (ms && md) {
            x->internal += v;
            continue;
        }
        if (!ms && !md) continue;
        cp = ms ? d : s;
        if (ms) x->to[cp] += v, x->n_to[cp]++, x->out += v;
        else x->from[cp] += v, x->n_from[cp]++, x->in += v;
        if (x->n_to[cp] + x->n_from[cp] == 1) x->first[cp] = c->tx_time[t];
        x->last[cp] = c->tx_time[t];
    }
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (x->n_to[a] + x->n_from[a] > 0) x->order[x->n++] = a;
    qsort_r(x->order, (size_t)x->n, sizeof *x->order, cmp_exchanged, x);
    return IFFNET_OK;
}

static void counterparties_table(iffnet_i_rep_t *r, const exchange_t *x)
{
    static const char *const h[] = {"Counterparty", "Country", "Paid to it by the subject", "Payments",
                                    "Paid by it to the subject", "Payments", "First", "Last", "Alerts"};
    char m1[64], m2[64], d0[16], d1[16];
    int64_t n = x->n < MAX_COUNTERPARTIES ? x->n : MAX_COUNTERPARTIES;
    iffnet_i_rep_heading(r, 2, "counterparties", "Counterparties");
    if (x->n == 0) {
        iffnet_i_rep_para(r, "The subject's accounts exchanged no money with any other account of the case.");
        return;
    }
    iffnet_i_rep_para(r, "%lld counterparties, by the money they exchanged with the subject (both directions). Every "
                      "amount is what passed between the counterparty and the subject's accounts, not the "
                      "counterparty's totals over the case.%s", (long long)x->n,
                      n < x->n ? " The first 50 are listed." : "");
    iffnet_i_rep_table(r, 9, h);
    for (int64_t i = 0; i < n; i++) {
        int64_t a = x->order[i];
        iffnet_i_rep_cell_acc(r, a);
        iffnet_i_rep_cell(r, "%s", iffnet_case_account_country(r->c, a));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, x->to[a], m1, sizeof m1));
        iffnet_i_rep_cell(r, "%lld", (long long)x->n_to[a]);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_money(r, x->from[a], m2, sizeof m2));
        iffnet_i_rep_cell(r, "%lld", (long long)x->n_from[a]);
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_date(x->first[a], d0, sizeof d0));
        iffnet_i_rep_cell(r, "%s", iffnet_i_rep_date(x->last[a], d1, sizeof d1));
        iffnet_i_rep_alert_links(r, a, 5);
        iffnet_i_rep_row_end(r);
    }
    iffnet_i_rep_table_end(r);
}

/* Money in and out per month (or day for short cases), from and to others. */
static int money_over_time(iffnet_i_rep_t *r, const exchange_t *x)
{
    const iffnet_case_t *c = r->c;
    char m1[64], m2[64], m3[64];
    int64_t *tx = NULL, ntx = 0;
    int err;
    iffnet_i_rep_heading(r, 2, "money", "Money in and out");
    iffnet_i_rep_para(r, "The subject's accounts received %s from other accounts and paid %s to them; %s moved "
                      "between its own accounts (not counted in either).", iffnet_i_rep_money(r, x->in, m1, sizeof m1),
                      iffnet_i_rep_money(r, x->out, m2, sizeof m2), iffnet_i_rep_money(r, x->internal, m3, sizeof m3));
    if ((err = iffnet_i_rep_flows_chart(r))) return err;
    if (r->md) return IFFNET_OK;
    if (!(tx = malloc(((size_t)c->n_tx + 1) * sizeof *tx))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t t = 0; t < c->n_tx; t++)
        if (r->acc_subject[c->tx_src[t]] || r->acc_subject[c->tx_dst[t]]) tx[ntx++] = t;
    err = iffnet_i_rep_timeline(r, tx, ntx, "Every payment of the subject's accounts (dot size: amount, or the sum "
                                "of the payments binned together)");
    free(tx);
    return err;
}

int iffnet_i_rep_subject(iffnet_i_rep_t *r)
{
    const iffnet_report_subject_t *s = r->in->subject;
    char b[192];
    exchange_t x;
    int err;
    iffnet_i_rep_heading(r, 2, "subject", "Subject");
    for (int64_t i = 0; i < r->in->n_notes; i++) iffnet_i_rep_note(r, "%s", r->in->notes[i]);
    if (s->account >= 0)
        iffnet_i_rep_para(r, "The subject is account %s%s.", iffnet_i_rep_acc_label(r, s->account, b, sizeof b),
                          s->entity >= 0 ? ", and its holder below" : " (the entities file names no holder)");
    else
        iffnet_i_rep_para(r, "The subject is the %s %s.", iffnet_case_text(r->c, r->c->entity_kind[s->entity]),
                          iffnet_i_rep_subject_label(r, b, sizeof b));
    if (s->entity >= 0) who(r, s->entity);
    iffnet_i_rep_heading(r, 3, NULL, "Its accounts");
    accounts_table(r);
    iffnet_i_rep_heading(r, 3, NULL, "Its relations");
    relations_table(r);
    if ((err = exchange_build(r, &x))) return err;
    if (!r->md && s->n_accounts > 0) {
        iffnet_i_rep_heading(r, 3, NULL, "Its network");
        err = iffnet_i_rep_network_subject(r, x.order, x.n);
    }
    if (!err) err = money_over_time(r, &x);
    if (!err) counterparties_table(r, &x);
    exchange_free(&x);
    return err;
}

void iffnet_i_rep_subject_trace(iffnet_i_rep_t *r)
{
    const iffnet_report_subject_t *s = r->in->subject;
    iffnet_i_rep_heading(r, 2, "subject-trace", "Where its money went and came from");
    if (!s->have_out && !s->have_in) {
        iffnet_i_rep_note(r, "the subject's money was not traced (it holds no account, or tracing was not run)");
        return;
    }
    if (s->have_out) {
        iffnet_i_rep_heading(r, 3, NULL, "Forward: where the money it sent went");
        iffnet_i_rep_trace_result(r, &s->out, "Traced forward (all money they sent in the case) from the subject's "
                                              "accounts: ");
    }
    if (s->have_in) {
        iffnet_i_rep_heading(r, 3, NULL, "Backward: where the money it received came from");
        iffnet_i_rep_trace_result(r, &s->in, "Traced backward (where the money that reached them came from, at "
                                             "most three transfers back) to the subject's accounts: ");
    }
}
