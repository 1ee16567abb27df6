/* ingest_ftm.c: FollowTheMoney entity streams (one JSON object a line:
 * {"id", "schema", "properties": {name: [string, ...]}}) into the sink.
 *
 *   Person, Company, Organization, LegalEntity   entities (id = the FtM id; name,
 *        country, registrationNumber, address, phone, email, birthDate,
 *        incorporationDate as attributes)
 *   BankAccount   an account: its id is accountNumber, else iban, else the FtM id;
 *        bankName, bic, iban as attributes
 *   Payment       a transaction: transactionNumber (else the FtM id), date,
 *        amount, currency, purpose; payerAccount / beneficiaryAccount, or
 *        payer / beneficiary (a person or company is then its own account)
 *   Ownership     holds_account (asset a BankAccount) or owns
 *   Directorship  director_of;  UnknownLink  the role, else related_to
 * Other schemata are counted by name and reported, never dropped silently.
 * References are resolved when the file ends (FtM streams are in no particular
 * order); a reference to an entity of an earlier --ftm file resolves too.
 * Lines are at most 16 MiB (the core line reader); the JSON reader refuses
 * invalid UTF-8 and lone surrogates, and an object with U+0000 in a string is
 * rejected with its place, so every string reaching the case is text. */
#include "case_internal.h"
#include "iffnet/json.h"

typedef struct {
    iffnet_json_t *v;
    int64_t line;
} held_t;

typedef struct {
    iffnet_i_sink_t *g;
    const char *path;
    iffnet_i_in_t *in;
    held_t *held;              /* payments and links, resolved at the end */
    int64_t n_held, cap_held;
    iffnet_strtab_t unknown;   /* schemata not read, and their counts */
    int64_t *unknown_n;
    int64_t unknown_cap;
    int64_t n_entities, n_accepted, n_payments;
} ftm_t;

/* The first string of property `name`, or NULL. */
static const char *prop(const iffnet_json_t *props, const char *name)
{
    const iffnet_json_t *a = iffnet_json_get(props, name);
    const iffnet_json_t *s = a && a->type == IFFNET_JSON_ARRAY ? iffnet_json_at(a, 0) : a;
    return s && s->type == IFFNET_JSON_STRING && s->len ? s->str : NULL;
}

/* A string of v (a value or a member name) holding U+0000 (JSON's \u0000), or
 * NULL: the case keeps NUL-terminated text, so such an object is refused with
 * the place of the string rather than read cut short. */
static int bad(ftm_t *f, int64_t line, const char *fmt, const char *a, const char *b)
{
    int err = iffnet_i_sink_bad(f->g, line, NULL, fmt, a, b);
    return err ? err : -1;
}

static int count_unknown(ftm_t *f, const char *schema)
{
    int64_t k;
    IFFNET_TRY(iffnet_strtab_intern(&f->unknown, schema, strlen(schema), &k, NULL));
    if (k >= f->unknown_cap) {
        int64_t old = f->unknown_cap;
        IFFNET_TRY(iffnet_i_reserve((void **)&f->unknown_n, &f->unknown_cap, k + 1, sizeof *f->unknown_n));
        memset(f->unknown_n + old, 0, (size_t)(f->unknown_cap - old) * sizeof *f->unknown_n);
    }
    f->unknown_n[k]++;
    return IFFNET_OK;
}

static int each_value(ftm_t *f, int64_t e, const iffnet_json_t *props, const char *name, const char *attr)
{
    const iffnet_json_t *a = iffnet_json_get(props, name);
    for (int64_t i = 0; a && a->type == IFFNET_JSON_ARRAY && i < a->n; i++) {
        const iffnet_json_t *s = iffnet_json_at(a, i);
        if (s->type == IFFNET_JSON_STRING)
            IFFNET_TRY(iffnet_i_sink_attr(f->g, e, attr, s->str, s->len));
    }
    return IFFNET_OK;
}

static int read_party(ftm_t *f, const char *id, const char *schema, const iffnet_json_t *props, int64_t line)
{
    static const char *const kinds[][2] = {{"Person", "person"}, {"Company", "company"}, {"Organization", "organization"},
                                           {"LegalEntity", "legal_entity"}};
    static const char *const attrs[][2] = {
        {"registrationNumber", "registration"}, {"address", "address"}, {"phone", "phone"}, {"email", "email"},
        {"birthDate", "birthdate"}, {"incorporationDate", "incorporation_date"}, {"nationality", "nationality"},
        {"passportNumber", "passport"}, {"idNumber", "id_number"}, {"taxNumber", "tax_number"}};
    const char *kind = NULL;
    for (size_t i = 0; i < 4; i++)
        if (strcmp(schema, kinds[i][0]) == 0) kind = kinds[i][1];
    iffnet_i_entity_t x = {id, strlen(id), kind, prop(props, "name"), prop(props, "country"), prop(props, "sector"), line, 0};
    int64_t e;
    int err = iffnet_i_sink_entity(f->g, &x, &e);
    if (err) return err;
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) IFFNET_TRY(each_value(f, e, props, attrs[i][0], attrs[i][1]));
    f->n_entities++;
    return IFFNET_OK;
}

static int read_account(ftm_t *f, const char *id, const iffnet_json_t *props, int64_t line)
{
    const char *num = prop(props, "accountNumber"), *iban = prop(props, "iban");
    const char *acct = num ? num : iban ? iban : id;
    IFFNET_TRY(iffnet_i_sink_ref_set(f->g, id, acct));
    iffnet_i_entity_t x = {acct, strlen(acct), "account", prop(props, "name"), prop(props, "country"), NULL, line, 0};
    int64_t e;
    int err = iffnet_i_sink_entity(f->g, &x, &e);
    if (err) return err;
    IFFNET_TRY(each_value(f, e, props, "iban", "iban"));
    IFFNET_TRY(each_value(f, e, props, "bic", "swift"));
    IFFNET_TRY(each_value(f, e, props, "bankName", "bank"));
    f->n_entities++;
    return IFFNET_OK;
}

/* What an FtM id stands for: the account of a BankAccount, else the id itself. */
static const char *resolve(ftm_t *f, const char *id)
{
    const char *r = iffnet_i_sink_ref_get(f->g, id);
    return r ? r : id;
}

static int read_payment(ftm_t *f, const char *id, const iffnet_json_t *props, int64_t line)
{
    iffnet_i_tx_t t;
    memset(&t, 0, sizeof t);
    f->n_payments++;
    const char *src = prop(props, "payerAccount"), *dst = prop(props, "beneficiaryAccount");
    if (!src) src = prop(props, "payer");
    if (!dst) dst = prop(props, "beneficiary");
    if (!src || !dst)
        return bad(f, line, "Payment \"%s\": no %s (payerAccount/payer, beneficiaryAccount/beneficiary)", id, !src ? "payer" : "beneficiary");
    const char *cur = prop(props, "currency"), *amount = prop(props, "amount"), *date = prop(props, "date");
    if (!date) date = prop(props, "startDate");
    t.currency = cur ? iffnet_i_sink_currency(f->g, cur, strlen(cur)) : NULL;
    if (!t.currency) return bad(f, line, "Payment \"%s\": property 'currency': \"%s\" is not an ISO 4217 currency code", id, cur ? cur : "");
    if (!amount) return bad(f, line, "Payment \"%s\": no amount%s", id, "");
    iffnet_amount_status_t st = iffnet_amount_parse(amount, strlen(amount), iffnet_currency_scale(t.currency), NULL, &t.amount);
    if (st != IFFNET_AMOUNT_OK) return bad(f, line, "Payment \"%s\": property 'amount': %s", id, iffnet_amount_status_str(st));
    if (!date || iffnet_i_sink_time(f->g, date, strlen(date), &t.time))
        return bad(f, line, "Payment \"%s\": property 'date': \"%s\" is not a date", id, date ? date : "");
    const char *num = prop(props, "transactionNumber");
    t.id = num ? num : id;
    t.id_len = strlen(t.id);
    t.row = f->n_payments;
    t.line = line;
    t.src = resolve(f, src);
    t.src_len = strlen(t.src);
    t.dst = resolve(f, dst);
    t.dst_len = strlen(t.dst);
    t.reference = prop(props, "purpose");
    t.ref_len = t.reference ? strlen(t.reference) : 0;
    t.channel = prop(props, "programme");
    t.channel_len = t.channel ? strlen(t.channel) : 0;
    int e = iffnet_i_sink_tx(f->g, &t);
    if (e == 0) f->n_accepted++;
    return e;
}

static int read_link(ftm_t *f, const char *id, const char *schema, const iffnet_json_t *props, int64_t line)
{
    const char *a, *b, *type;
    if (strcmp(schema, "Ownership") == 0) {
        a = prop(props, "owner");
        b = prop(props, "asset");
        type = b && iffnet_i_sink_ref_get(f->g, b) ? "holds_account" : "owns";
    } else if (strcmp(schema, "Directorship") == 0) {
        a = prop(props, "director");
        b = prop(props, "organization");
        type = "director_of";
    } else {
        a = prop(props, "subject");
        b = prop(props, "object");
        type = prop(props, "role") ? prop(props, "role") : "related_to";
    }
    if (!a || !b) return bad(f, line, "%s \"%s\": one of its two ends is missing", schema, id);
    a = resolve(f, a);
    b = resolve(f, b);
    IFFNET_TRY(iffnet_i_sink_relation(f->g, a, strlen(a), b, strlen(b), type, line));
    f->n_accepted++;
    return IFFNET_OK;
}

static int is_held(const char *schema)
{
    return strcmp(schema, "Payment") == 0 || strcmp(schema, "Ownership") == 0 || strcmp(schema, "Directorship") == 0 ||
           strcmp(schema, "UnknownLink") == 0;
}

/* One object: an entity now, a payment or link when the file ends. */
static int read_object(ftm_t *f, iffnet_json_t *v, int64_t line, int *keep)
{
    *keep = 0;
    const iffnet_json_t *id = iffnet_json_get(v, "id"), *schema = iffnet_json_get(v, "schema"),
                        *props = iffnet_json_get(v, "properties");
    if (v->type != IFFNET_JSON_OBJECT) return bad(f, line, "not an FtM entity (a JSON object with id, schema, properties)%s%s", "", "");
    if (!id || id->type != IFFNET_JSON_STRING || !id->len)
        return bad(f, line, "the entity has no id%s%s", "", "");
    if (!schema || schema->type != IFFNET_JSON_STRING) return bad(f, line, "entity \"%s\": no schema%s", id->str, "");
    if (props && props->type != IFFNET_JSON_OBJECT) return bad(f, line, "entity \"%s\": 'properties' is not an object%s", id->str, "");
    const char *s = schema->str;
    if (strcmp(s, "Person") == 0 || strcmp(s, "Company") == 0 || strcmp(s, "Organization") == 0 || strcmp(s, "LegalEntity") == 0)
        return read_party(f, id->str, s, props, line);
    if (strcmp(s, "BankAccount") == 0) return read_account(f, id->str, props, line);
    if (is_held(s)) {
        *keep = 1;
        return IFFNET_OK;
    }
    return count_unknown(f, s);
}

static int resolve_held(ftm_t *f)
{
    for (int64_t i = 0; i < f->n_held; i++) {
        iffnet_json_t *v = f->held[i].v;
        const char *id = iffnet_json_get(v, "id")->str, *s = iffnet_json_get(v, "schema")->str;
        const iffnet_json_t *props = iffnet_json_get(v, "properties");
        int e = strcmp(s, "Payment") == 0 ? read_payment(f, id, props, f->held[i].line) : read_link(f, id, s, props, f->held[i].line);
        if (e > 0) return e;
    }
    return IFFNET_OK;
}

static int note_unknown(ftm_t *f)
{
    if (!f->unknown.n) return IFFNET_OK;
    char list[512] = "";
    int64_t total = 0;
    size_t n = 0;
    for (int64_t k = 0; k < f->unknown.n; k++) {
        total += f->unknown_n[k];
        if (n < sizeof list)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s %lld", k ? ", " : "", iffnet_strtab_get(&f->unknown, k),
                                  (long long)f->unknown_n[k]);
    }
    return iffnet_i_sink_note(f->g, "%s: %lld entities of schemata iffnet does not read were not loaded (%s)", f->path,
                              (long long)total, list);
}

int iffnet_i_read_ftm(iffnet_i_sink_t *g, const iffnet_source_t *s)
{
    const char *path = s->path;
    ftm_t f;
    memset(&f, 0, sizeof f);
    f.g = g;
    f.path = path;
    int64_t rows = 0, errs_before = iffnet_i_sink_errors(g);
    iffnet_i_lines_t *lines = NULL;
    int err = iffnet_i_source_open(s, &f.in);
    if (err) return err;
    if ((err = iffnet_i_lines_open(&lines, f.in))) goto out;
    if ((err = iffnet_i_sink_begin_source(g, "ftm", path, "property 'transactionNumber'"))) goto out;
    for (;;) {
        const char *line;
        size_t len;
        if ((err = iffnet_i_lines_next(lines, &line, &len))) goto out;
        if (!line) break;
        int64_t at = iffnet_i_lines_number(lines);
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
        if (k == len) continue;
        rows++;
        iffnet_json_t *v = NULL;
        iffnet_json_opts_t jo = {path, at, 0, 0};
        if (iffnet_json_parse(&v, line, len, &jo)) {
            /* The JSON reader names file, line and column. */
            if ((err = iffnet_i_sink_bad(g, -at, NULL, "%s", iffnet_errmsg()))) goto out;
            continue;
        }
        const iffnet_json_t *z = iffnet_json_find_nul(v);
        if (z) {
            /* Where the string is, taken before the tree that holds it is freed. */
            long long zline = (long long)z->line, zcol = (long long)z->col;
            iffnet_json_free(v);
            if ((err = iffnet_i_sink_bad(g, -at, NULL, "%s:%lld:%lld: a NUL character (\\u0000) in a string", path,
                                         zline, zcol)))
                goto out;
            continue;
        }
        int keep = 0;
        int e = read_object(&f, v, at, &keep);
        if (keep && (err = iffnet_i_reserve((void **)&f.held, &f.cap_held, f.n_held + 1, sizeof *f.held))) {
            iffnet_json_free(v);
            goto out;
        }
        if (keep) f.held[f.n_held++] = (held_t){v, at};
        else iffnet_json_free(v);
        if (e > 0) {
            err = e;
            goto out;
        }
        if (e == 0 && !keep) f.n_accepted++;
    }
    /* Objects of unknown schemata are neither read nor rejected: the note counts them. */
    for (int64_t k = 0; k < f.unknown.n; k++) {
        rows -= f.unknown_n[k];
        f.n_accepted -= f.unknown_n[k];
    }
    if ((err = resolve_held(&f))) goto out;
    if ((err = note_unknown(&f))) goto out;
    (void)errs_before;
    err = iffnet_i_sink_end_source(g, f.in, rows, f.n_accepted);
out:
    for (int64_t i = 0; i < f.n_held; i++) iffnet_json_free(f.held[i].v);
    free(f.held);
    iffnet_i_lines_close(lines);
    free(f.unknown_n);
    iffnet_strtab_destroy(&f.unknown);
    iffnet_i_in_close(f.in);
    return err;
}
