/* export_ftm.c: the case (or a sub-network) as FollowTheMoney entities, one JSON
 * object a line ({"id", "schema", "properties": {name: [string, ...]}}), the
 * form OCCRP Aleph / OpenAleph and OpenSanctions exchange.
 *
 *   account      BankAccount (accountNumber = the account id, iban, bic, bankName)
 *   entity       Person (kind person), Company (company), Organization (bank,
 *                organization, cash), LegalEntity (any other kind); id = the
 *                entity id; name, country, registrationNumber, address, phone,
 *                email, birthDate, incorporationDate
 *   transaction  Payment (transactionNumber = the id, payerAccount and
 *                beneficiaryAccount = the accounts, amount, currency, date in UTC,
 *                purpose = the reference)
 *   relation     Ownership (holds_account, owns), Directorship (director_of),
 *                UnknownLink with the relation type as role (others)
 * An account that is itself a person or company (cash paid by a person) is that
 * entity, and the payment names it as payer or beneficiary. FtM's Payment has
 * one amount: the amount sent is written (see iffnet-formats(5)). */
#include "report_internal.h"
#include "iffnet/export.h"
#include "iffnet/json.h"

static void props_str(iffnet_jsonw_t *w, const char *key, const char *v)
{
    if (!v || !*v) return;
    iffnet_jsonw_array_begin(w, key);
    /* ';'-joined lists (values gathered from several reports) are FtM's lists. */
    for (const char *p = v; p;) {
        const char *e = strchr(p, ';');
        char buf[1024];
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= sizeof buf) n = sizeof buf - 1;
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (n) iffnet_jsonw_str(w, NULL, buf);
        p = e ? e + 1 : NULL;
    }
    iffnet_jsonw_end(w);
}

static int line_end(iffnet_jsonw_t *w, FILE *fp)
{
    (void)fp;   /* the writer ends a top-level value with a newline */
    return iffnet_jsonw_finish(w);
}

static void begin(iffnet_jsonw_t *w, FILE *fp, const char *id, const char *schema)
{
    iffnet_jsonw_init(w, fp);
    iffnet_jsonw_object_begin(w, NULL);
    iffnet_jsonw_str(w, "id", id);
    iffnet_jsonw_str(w, "schema", schema);
    iffnet_jsonw_object_begin(w, "properties");
}

static int end(iffnet_jsonw_t *w, FILE *fp)
{
    iffnet_jsonw_end(w);
    iffnet_jsonw_end(w);
    return line_end(w, fp);
}

static const char *ftm_schema(const char *kind)
{
    if (strcmp(kind, "person") == 0) return "Person";
    if (strcmp(kind, "company") == 0) return "Company";
    if (strcmp(kind, "organization") == 0 || strcmp(kind, "bank") == 0 || strcmp(kind, "cash") == 0) return "Organization";
    return "LegalEntity";
}

static const char *kind_of(const iffnet_case_t *c, int64_t e)
{
    return e >= 0 && c->entity_kind[e] >= 0 ? iffnet_case_text(c, c->entity_kind[e]) : "";
}

/* An account stands for a party itself when its own entity is not an account record. */
static int party_entity(const iffnet_case_t *c, int64_t a)
{
    int64_t e = c->account_entity ? c->account_entity[a] : -1;
    const char *k = kind_of(c, e);
    return e >= 0 && *k && strcmp(k, "account") != 0 ? (int)1 : 0;
}

static int write_entity(const iffnet_case_t *c, int64_t e, FILE *fp)
{
    iffnet_jsonw_t w;
    static const char *const attrs[][2] = {
        {"registration", "registrationNumber"}, {"address", "address"}, {"phone", "phone"}, {"email", "email"},
        {"birthdate", "birthDate"}, {"incorporation_date", "incorporationDate"}, {"nationality", "nationality"},
        {"passport", "passportNumber"}, {"id_number", "idNumber"}, {"tax_number", "taxNumber"}};
    begin(&w, fp, iffnet_strtab_get(&c->entity_ids, e), ftm_schema(kind_of(c, e)));
    props_str(&w, "name", iffnet_case_text(c, c->entity_name[e]));
    props_str(&w, "country", iffnet_case_text(c, c->entity_country[e]));
    if (c->entity_sector[e] >= 0) props_str(&w, "sector", iffnet_case_text(c, c->entity_sector[e]));
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        props_str(&w, attrs[i][1], iffnet_case_entity_attr(c, e, attrs[i][0]));
    return end(&w, fp);
}

static int write_account(const iffnet_case_t *c, int64_t a, FILE *fp)
{
    iffnet_jsonw_t w;
    int64_t e = c->account_entity ? c->account_entity[a] : -1;
    char id[600];
    snprintf(id, sizeof id, "account:%s", iffnet_case_account_id(c, a));
    begin(&w, fp, id, "BankAccount");
    props_str(&w, "accountNumber", iffnet_case_account_id(c, a));
    if (e >= 0) {
        props_str(&w, "iban", iffnet_case_entity_attr(c, e, "iban"));
        props_str(&w, "bic", iffnet_case_entity_attr(c, e, "swift"));
        props_str(&w, "bankName", iffnet_case_entity_attr(c, e, "bank"));
        props_str(&w, "name", iffnet_case_text(c, c->entity_name[e]));
        props_str(&w, "country", iffnet_case_text(c, c->entity_country[e]));
    }
    return end(&w, fp);
}

/* FtM id of account a's node: its entity, or its BankAccount. */
static void node_id(const iffnet_case_t *c, int64_t a, char *buf, size_t cap)
{
    if (party_entity(c, a)) snprintf(buf, cap, "%s", iffnet_strtab_get(&c->entity_ids, c->account_entity[a]));
    else snprintf(buf, cap, "account:%s", iffnet_case_account_id(c, a));
}

static int write_payment(const iffnet_case_t *c, int64_t t, FILE *fp)
{
    iffnet_jsonw_t w;
    char id[600], buf[64], d[32];
    snprintf(id, sizeof id, "payment:%s", iffnet_case_tx_id(c, t));
    begin(&w, fp, id, "Payment");
    props_str(&w, "transactionNumber", iffnet_case_tx_id(c, t));
    node_id(c, c->tx_src[t], id, sizeof id);
    props_str(&w, party_entity(c, c->tx_src[t]) ? "payer" : "payerAccount", id);
    node_id(c, c->tx_dst[t], id, sizeof id);
    props_str(&w, party_entity(c, c->tx_dst[t]) ? "beneficiary" : "beneficiaryAccount", id);
    iffnet_amount_format(buf, sizeof buf, c->tx_amount[t], c->currency_scale[c->tx_currency[t]], 0);
    props_str(&w, "amount", buf);
    props_str(&w, "currency", iffnet_case_currency(c, c->tx_currency[t]));
    iffnet_time_format(d, sizeof d, c->tx_time[t], 0);
    d[19] = '\0';   /* UTC, without a zone: FtM dates are plain ISO 8601 prefixes */
    props_str(&w, "date", d);
    if (c->tx_reference && c->tx_reference[t] >= 0) props_str(&w, "purpose", iffnet_case_text(c, c->tx_reference[t]));
    if (c->tx_channel && c->tx_channel[t] >= 0) props_str(&w, "programme", iffnet_strtab_get(&c->channels, c->tx_channel[t]));
    return end(&w, fp);
}

static void end_id(const iffnet_case_t *c, int64_t e, int64_t a, char *buf, size_t cap)
{
    if (a >= 0) node_id(c, a, buf, cap);
    else snprintf(buf, cap, "%s", iffnet_strtab_get(&c->entity_ids, e));
}

static int write_relation(const iffnet_case_t *c, int64_t r, FILE *fp)
{
    iffnet_jsonw_t w;
    char id[64], s[600], d[600];
    const char *type = iffnet_case_text(c, c->rel_type[r]);
    end_id(c, c->rel_src_entity[r], c->rel_src_account[r], s, sizeof s);
    end_id(c, c->rel_dst_entity[r], c->rel_dst_account[r], d, sizeof d);
    snprintf(id, sizeof id, "relation:%lld", (long long)r);
    if (strcmp(type, "holds_account") == 0 || strcmp(type, "owns") == 0) {
        begin(&w, fp, id, "Ownership");
        props_str(&w, "owner", s);
        props_str(&w, "asset", d);
    } else if (strcmp(type, "director_of") == 0) {
        begin(&w, fp, id, "Directorship");
        props_str(&w, "director", s);
        props_str(&w, "organization", d);
    } else {
        begin(&w, fp, id, "UnknownLink");
        props_str(&w, "subject", s);
        props_str(&w, "object", d);
        props_str(&w, "role", type);
    }
    return end(&w, fp);
}

int iffnet_export_write_ftm(const iffnet_export_t *x, FILE *fp)
{
    const iffnet_case_t *c = x->c;
    char *keep = calloc((size_t)c->n_entities + 1, 1);
    int err = IFFNET_OK;
    if (!keep) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    /* Entities of the selected accounts (their own records and holders), and
     * every entity a kept relation names. Without a selection: all. */
    for (int64_t e = 0; e < c->n_entities; e++) keep[e] = !x->select;
    for (int64_t a = 0; x->select && a < c->n_accounts; a++) {
        if (!x->select[a]) continue;
        if (c->account_entity[a] >= 0) keep[c->account_entity[a]] = 1;
        if (c->account_holder[a] >= 0) keep[c->account_holder[a]] = 1;
    }
    for (int64_t e = 0; e < c->n_entities && !err; e++) {
        const char *k = kind_of(c, e);
        if (keep[e] && strcmp(k, "account") != 0) err = write_entity(c, e, fp);
    }
    for (int64_t a = 0; a < c->n_accounts && !err; a++)
        if ((!x->select || x->select[a]) && !party_entity(c, a)) err = write_account(c, a, fp);
    for (int64_t t = 0; t < c->n_tx && !err; t++)
        if (!x->select || (x->select[c->tx_src[t]] && x->select[c->tx_dst[t]])) err = write_payment(c, t, fp);
    for (int64_t r = 0; r < c->n_relations && !err; r++) {
        int64_t se = c->rel_src_entity[r], sa = c->rel_src_account[r], de = c->rel_dst_entity[r], da = c->rel_dst_account[r];
        int in = (sa >= 0 ? !x->select || x->select[sa] : se >= 0 && keep[se]) &&
                 (da >= 0 ? !x->select || x->select[da] : de >= 0 && keep[de]);
        if (in) err = write_relation(c, r, fp);
    }
    free(keep);
    if (!err && ferror(fp)) err = iffnet_i_seterr(IFFNET_EIO, "ftm export: write error");
    return err;
}
