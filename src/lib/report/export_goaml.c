/* export_goaml.c: a goAML report (STR/SAR, schema 5.0.1) from alerts or a sub-network.
 *
 * The case holds the transactions, accounts and parties; what it lacks (who
 * reports: rentity_id, branch, user code, address) comes from a header file of
 * "key = value" lines (iffnet-export(1)). Every transaction is written in the
 * two-party form t_from / t_to with t_account, t_person or t_entity parties, so
 * `iffnet ingest --goaml` reads back the same ids, times, accounts and amounts:
 *   - an account whose own entity is a person or company read from goAML or FtM
 *     ("person:...", "entity:...") is written as that person or entity, with the
 *     identifier its id was made from;
 *   - amount_local is in currency_code_local (the header's, else the case's
 *     base or only currency); a transaction in another currency carries
 *     from_/to_foreign_currency with the exact rate between the two amounts.
 * Code lists that each FIU defines (transmode, funds, indicators) hold "-"
 * unless the header or the data give a code the schema knows. */
#include "report_internal.h"
#include "iffnet/export.h"
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

typedef struct {
    const iffnet_export_t *x;
    const iffnet_case_t *c;
    const iffnet_config_t *h;
    FILE *fp;
    int32_t local;           /* currency index of amount_local */
    char local_code[8];
} gw_t;

/* Text of at most maxchars characters (the schema's maxLength counts characters). */
static void text_n(FILE *fp, const char *s, int64_t maxchars)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int64_t n = 0, bytes = 0, len = (int64_t)strlen((const char *)p);
    while (bytes < len && n < maxchars) {
        size_t k = iffnet_i_utf8_len(p + bytes, (size_t)(len - bytes));
        bytes += k ? (int64_t)k : 1;
        n++;
    }
    iffnet_i_xml_text(fp, (const char *)p, bytes);
}

static void elem(gw_t *w, int indent, const char *name, const char *v, int64_t maxchars)
{
    fprintf(w->fp, "%*s<%s>", indent, "", name);
    text_n(w->fp, v, maxchars);
    fprintf(w->fp, "</%s>\n", name);
}

static const char *hdr(const gw_t *w, const char *key, const char *def)
{
    return w->h ? iffnet_config_str(w->h, key, def) : def;
}

/* The schema's code lists that the data can fill. */
static int in_list(const char *v, const char *const *list)
{
    for (; v && *list; list++)
        if (strcmp(v, *list) == 0) return 1;
    return 0;
}

static const char *const CONDUCTION[] = {"-", "A", "AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "AJ", "AK", "AL",
                                         "AM", "AN", "AO", "AP", "AQ", "AR", "AS", "AT", "AU", "B", "C", "D", "E", "F", NULL};

static int country_ok(const char *cc)
{
    /* ISO 3166 alpha-2 as the schema's country_type lists them: two capitals. */
    return cc && strlen(cc) == 2 && cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z';
}

static void date_elem(gw_t *w, int indent, const char *name, iffnet_time_t t)
{
    char d[32];
    iffnet_time_format(d, sizeof d, t, 0);
    d[19] = '\0';   /* "2024-01-05T13:11:55": UTC, written without a zone as goAML does */
    elem(w, indent, name, d, 32);
}

static const char *account_attr(const gw_t *w, int64_t a, const char *name)
{
    int64_t e = w->c->account_entity ? w->c->account_entity[a] : -1;
    return e >= 0 ? iffnet_case_entity_attr(w->c, e, name) : "";
}

/* Splits "First Middle Last" into first and last name (the schema needs both). */
static void split_name(const char *full, char *first, size_t fc, char *last, size_t lc)
{
    const char *sp = strrchr(full, ' ');
    if (sp && sp > full) {
        snprintf(first, fc, "%.*s", (int)(sp - full), full);
        snprintf(last, lc, "%s", sp + 1);
    } else {
        snprintf(first, fc, "%s", *full ? full : "-");
        snprintf(last, lc, "%s", *full ? full : "-");
    }
}

static const char *kind_of(const iffnet_case_t *c, int64_t e)
{
    return e >= 0 && c->entity_kind[e] >= 0 ? iffnet_case_text(c, c->entity_kind[e]) : "";
}

/* A person party; its id ("person:ssn:X", "person:LAST|FIRST|BIRTH") is written
 * back as the fields it was made from. */
static void write_person(gw_t *w, int indent, const char *tag, int64_t e, const char *id)
{
    const iffnet_case_t *c = w->c;
    char first[256], last[256], birth[16] = "";
    const char *name = e >= 0 ? iffnet_case_text(c, c->entity_name[e]) : id;
    split_name(name, first, sizeof first, last, sizeof last);
    const char *key = strncmp(id, "person:", 7) == 0 ? id + 7 : NULL, *idfield = NULL, *idval = NULL;
    if (key && strchr(key, '|')) {
        /* Name-keyed: the key's own parts, so the same key is made again. */
        const char *b1 = strchr(key, '|'), *b2 = strchr(b1 + 1, '|');
        snprintf(last, sizeof last, "%.*s", (int)(b1 - key), key);
        snprintf(first, sizeof first, "%.*s", b2 ? (int)(b2 - b1 - 1) : (int)strlen(b1 + 1), b1 + 1);
        if (b2 && b2[1]) snprintf(birth, sizeof birth, "%.10s", b2 + 1);
    } else if (key) {
        const char *colon = strchr(key, ':');
        if (colon) {
            static const char *const idf[] = {"ssn", "passport_number", "id_number", NULL};
            for (int i = 0; idf[i]; i++)
                if ((size_t)(colon - key) == strlen(idf[i]) && strncmp(key, idf[i], strlen(idf[i])) == 0) idfield = idf[i];
            idval = colon + 1;
        }
    }
    if (!*birth && e >= 0) snprintf(birth, sizeof birth, "%.10s", iffnet_case_entity_attr(c, e, "birthdate"));
    fprintf(w->fp, "%*s<%s>\n", indent, "", tag);
    elem(w, indent + 2, "first_name", *first ? first : "-", 100);
    elem(w, indent + 2, "last_name", *last ? last : "-", 100);
    iffnet_time_t bt;
    if (*birth && iffnet_time_parse(birth, strlen(birth), NULL, &bt) == 0 && bt >= iffnet_days_from_civil(1753, 1, 1) * 86400)
        date_elem(w, indent + 2, "birthdate", bt);
    if (idfield && strcmp(idfield, "ssn") == 0) elem(w, indent + 2, "ssn", idval, 25);
    if (idfield && strcmp(idfield, "passport_number") == 0) elem(w, indent + 2, "passport_number", idval, 255);
    if (idfield && strcmp(idfield, "id_number") == 0) elem(w, indent + 2, "id_number", idval, 255);
    const char *nat = e >= 0 ? iffnet_case_entity_attr(c, e, "nationality") : "";
    char cc[3] = "";
    snprintf(cc, sizeof cc, "%s", nat);
    if (country_ok(cc)) elem(w, indent + 2, "nationality1", cc, 2);
    const char *occ = e >= 0 ? iffnet_case_entity_attr(c, e, "occupation") : "";
    if (*occ) elem(w, indent + 2, "occupation", occ, 255);
    fprintf(w->fp, "%*s</%s>\n", indent, "", tag);
}

static void write_entity(gw_t *w, int indent, const char *tag, int64_t e, const char *id)
{
    const iffnet_case_t *c = w->c;
    const char *name = e >= 0 ? iffnet_case_text(c, c->entity_name[e]) : "";
    const char *key = strncmp(id, "entity:", 7) == 0 ? id + 7 : NULL;
    char cc[8] = "", num[256] = "";
    if (key && strlen(key) >= 3 && key[2] == ':') {
        snprintf(cc, sizeof cc, "%.2s", key);
        snprintf(num, sizeof num, "%s", key + 3);
    } else if (key && key[0] == ':') {
        snprintf(num, sizeof num, "%s", key + 1);
    } else if (key && !*name) {
        name = key;
    }
    if (!*cc && e >= 0) snprintf(cc, sizeof cc, "%s", iffnet_case_text(c, c->entity_country[e]));
    fprintf(w->fp, "%*s<%s>\n", indent, "", tag);
    elem(w, indent + 2, "name", *name ? name : id, 255);
    if (*num) elem(w, indent + 2, "incorporation_number", num, 50);
    const char *business = e >= 0 ? iffnet_case_entity_attr(c, e, "business") : "";
    if (*business) elem(w, indent + 2, "business", business, 255);
    if (country_ok(cc)) elem(w, indent + 2, "incorporation_country_code", cc, 2);
    fprintf(w->fp, "%*s</%s>\n", indent, "", tag);
}

static void write_account(gw_t *w, int indent, const char *tag, int64_t a)
{
    const iffnet_case_t *c = w->c;
    const char *bank = account_attr(w, a, "bank"), *swift = account_attr(w, a, "swift");
    const char *code = account_attr(w, a, "institution_code"), *branch = account_attr(w, a, "branch");
    char first[64] = "";
    fprintf(w->fp, "%*s<%s>\n", indent, "", tag);
    /* Lists from several reports: the first value. */
    snprintf(first, sizeof first, "%s", bank);
    if (strchr(first, ';')) *strchr(first, ';') = '\0';
    elem(w, indent + 2, "institution_name", *first ? first : "-", 255);
    if (*swift) {
        snprintf(first, sizeof first, "%s", swift);
        if (strchr(first, ';')) *strchr(first, ';') = '\0';
        elem(w, indent + 2, "swift", first, 11);
    } else {
        elem(w, indent + 2, "institution_code", *code ? code : "-", 50);
    }
    if (*branch) elem(w, indent + 2, "branch", branch, 255);
    elem(w, indent + 2, "account", iffnet_case_account_id(c, a), 255);
    const char *name = iffnet_case_account_name(c, a);
    if (*name) elem(w, indent + 2, "account_name", name, 255);
    int64_t h = c->account_holder ? c->account_holder[a] : -1;
    const char *hk = kind_of(c, h);
    if (h >= 0 && strcmp(hk, "person") != 0) {
        write_entity(w, indent + 2, "t_entity", h, iffnet_strtab_get(&c->entity_ids, h));
    } else if (h >= 0) {
        fprintf(w->fp, "%*s<signatory>\n", indent + 2, "");
        elem(w, indent + 4, "is_primary", "1", 1);
        write_person(w, indent + 4, "t_person", h, iffnet_strtab_get(&c->entity_ids, h));
        fprintf(w->fp, "%*s</signatory>\n", indent + 2, "");
    }
    fprintf(w->fp, "%*s</%s>\n", indent, "", tag);
}

/* The party element of account a: a person, an entity, or an account. */
static void write_party(gw_t *w, int indent, const char *side, int64_t a)
{
    const iffnet_case_t *c = w->c;
    const char *id = iffnet_case_account_id(c, a);
    int64_t e = c->account_entity ? c->account_entity[a] : -1;
    const char *k = kind_of(c, e);
    char tag[32];
    if (strncmp(id, "person:", 7) == 0 && strcmp(k, "person") == 0) {
        snprintf(tag, sizeof tag, "%s_person", side);
        write_person(w, indent, tag, e, id);
    } else if (strncmp(id, "entity:", 7) == 0 && strcmp(k, "account") != 0 && e >= 0) {
        snprintf(tag, sizeof tag, "%s_entity", side);
        write_entity(w, indent, tag, e, id);
    } else {
        snprintf(tag, sizeof tag, "%s_account", side);
        write_account(w, indent, tag, a);
    }
}

/* rate = local / foreign as a decimal with 13 places (the schema's maximum),
 * rounded half up, by long division in 128 bits: local * 10^sf and foreign *
 * 10^sl are below 10^38 (amounts below 2^63, scales at most 18), each remainder
 * times 10 too, so no step overflows and no rate is cut to fit 64 bits. */
static __int128 exchange_rate(char *out, size_t cap, iffnet_money_t local, int sl, iffnet_money_t amount, int sf)
{
    __int128 num = local, den = amount;
    for (int i = 0; i < sf; i++) num *= 10;
    for (int i = 0; i < sl; i++) den *= 10;
    if (den <= 0 || num < 0) {
        snprintf(out, cap, "0.0000000000000");
        return 0;
    }
    __int128 whole = num / den, rem = num % den;
    char frac[15];
    for (int i = 0; i < 14; i++) {
        rem *= 10;
        frac[i] = (char)('0' + (int)(rem / den));
        rem %= den;
    }
    /* The 14th digit rounds the 13th, carrying into the whole part. */
    int carry = frac[13] >= '5';
    for (int i = 12; i >= 0 && carry; i--) {
        if (frac[i] == '9') frac[i] = '0';
        else frac[i]++, carry = 0;
    }
    whole += carry;
    frac[13] = '\0';
    __int128 rate_whole = whole;
    char digits[48];
    int n = 0;
    do digits[n++] = (char)('0' + (int)(whole % 10)); while ((whole /= 10) > 0 && n < (int)sizeof digits);
    size_t k = 0;
    while (n > 0 && k + 1 < cap) out[k++] = digits[--n];
    snprintf(out + k, cap - k, ".%s", frac);
    return rate_whole;
}

/* goAML's sql_decimal holds at most 7900000000000000 (and 13 decimals). */
#define GOAML_DECIMAL_MAX ((__int128)7900000000000000LL)

static int decimal_fits(iffnet_money_t v, int scale)
{
    __int128 lim = GOAML_DECIMAL_MAX;
    for (int i = 0; i < scale; i++) lim *= 10;
    return (__int128)v <= lim;
}

/* Every amount and rate of transaction t within goAML's decimals, checked
 * before anything of it is written: beyond them the report would be invalid. */
static int check_decimals(const gw_t *w, int64_t t, iffnet_money_t local)
{
    const iffnet_case_t *c = w->c;
    const iffnet_money_t amt[2] = {c->tx_amount[t], c->tx_recv_amount[t]};
    const int32_t cur[2] = {c->tx_currency[t], c->tx_recv_currency[t]};
    char rate[64];
    int sl = c->currency_scale[w->local];
    if (!decimal_fits(local, sl))
        return iffnet_i_seterr(IFFNET_EDATA, "goaml export: transaction \"%s\": its amount is larger than goAML's "
                               "largest amount (7900000000000000)", iffnet_case_tx_id(c, t));
    for (int k = 0; k < 2; k++) {
        if (cur[k] == w->local) continue;
        __int128 whole = exchange_rate(rate, sizeof rate, local, sl, amt[k], c->currency_scale[cur[k]]);
        if (!decimal_fits(amt[k], c->currency_scale[cur[k]]) || whole > GOAML_DECIMAL_MAX ||
            (whole == GOAML_DECIMAL_MAX && strspn(strchr(rate, '.') + 1, "0") != 13))
            return iffnet_i_seterr(IFFNET_EDATA, "goaml export: transaction \"%s\": its amount in %s or the exchange "
                                   "rate to it is larger than goAML's largest decimal (7900000000000000)",
                                   iffnet_case_tx_id(c, t), iffnet_case_currency(c, cur[k]));
    }
    return IFFNET_OK;
}

static void write_foreign(gw_t *w, int indent, const char *side, iffnet_money_t amount, int32_t cur, iffnet_money_t local)
{
    const iffnet_case_t *c = w->c;
    char buf[64], rate[64];
    exchange_rate(rate, sizeof rate, local, c->currency_scale[w->local], amount, c->currency_scale[cur]);
    fprintf(w->fp, "%*s<%s_foreign_currency>\n", indent, "", side);
    elem(w, indent + 2, "foreign_currency_code", iffnet_case_currency(c, cur), 3);
    iffnet_amount_format(buf, sizeof buf, amount, c->currency_scale[cur], 0);
    elem(w, indent + 2, "foreign_amount", buf, 64);
    elem(w, indent + 2, "foreign_exchange_rate", rate, 64);
    fprintf(w->fp, "%*s</%s_foreign_currency>\n", indent, "", side);
}

static const char *party_country(const gw_t *w, int64_t a)
{
    const char *cc = iffnet_case_account_country(w->c, a);
    return country_ok(cc) ? cc : hdr(w, "country", "-");
}

/* amount_local of transaction t: its amount, amount received, or base amount in
 * the local currency. */
static int local_amount(const gw_t *w, int64_t t, iffnet_money_t *out)
{
    const iffnet_case_t *c = w->c;
    if (c->tx_currency[t] == w->local) *out = c->tx_amount[t];
    else if (c->tx_recv_currency[t] == w->local) *out = c->tx_recv_amount[t];
    else if (c->tx_base && c->base_currency == w->local) *out = c->tx_base[t];
    else
        return iffnet_i_seterr(IFFNET_EDATA, "goaml export: transaction \"%s\" is in %s and the report's local currency is %s: "
                               "ingest with --rates, or set currency_code_local in the --goaml-header",
                               iffnet_case_tx_id(c, t), iffnet_case_currency(c, c->tx_currency[t]), w->local_code);
    return IFFNET_OK;
}

static int write_transaction(gw_t *w, int64_t t)
{
    const iffnet_case_t *c = w->c;
    const char *id = iffnet_case_tx_id(c, t);
    char buf[64], ch[16] = "-";
    iffnet_money_t local = 0;
    if (strlen(id) > 100) return iffnet_i_seterr(IFFNET_EDATA, "goaml export: transaction id \"%.40s...\" is longer than goAML's 100 characters", id);
    for (int k = 0; k < 2; k++) {
        const char *acc = iffnet_case_account_id(c, k ? c->tx_dst[t] : c->tx_src[t]);
        if (strlen(acc) > 255)
            return iffnet_i_seterr(IFFNET_EDATA, "goaml export: account \"%.40s...\" is longer than goAML's 255 characters", acc);
    }
    IFFNET_TRY(local_amount(w, t, &local));
    IFFNET_TRY(check_decimals(w, t, local));
    fputs("  <transaction>\n", w->fp);
    elem(w, 4, "transactionnumber", id, 100);
    elem(w, 4, "transaction_location", "", 255);
    elem(w, 4, "transaction_description", c->tx_reference ? iffnet_case_text(c, c->tx_reference[t]) : "", 8000);
    date_elem(w, 4, "date_transaction", c->tx_time[t]);
    const char *chan = c->tx_channel && c->tx_channel[t] >= 0 ? iffnet_strtab_get(&c->channels, c->tx_channel[t]) : "";
    for (size_t i = 0; chan[i] && i + 1 < sizeof ch; i++) ch[i] = (char)(chan[i] >= 'a' && chan[i] <= 'z' ? chan[i] - 32 : chan[i]), ch[i + 1] = '\0';
    int coded = in_list(ch, CONDUCTION);
    elem(w, 4, "transmode_code", coded ? ch : "-", 4);
    if (!coded && *chan) elem(w, 4, "transmode_comment", chan, 50);
    iffnet_amount_format(buf, sizeof buf, local, c->currency_scale[w->local], 0);
    elem(w, 4, "amount_local", buf, 64);
    fputs("    <t_from>\n", w->fp);
    elem(w, 6, "from_funds_code", hdr(w, "funds_code", "-"), 4);
    if (c->tx_currency[t] != w->local) write_foreign(w, 6, "from", c->tx_amount[t], c->tx_currency[t], local);
    write_party(w, 6, "from", c->tx_src[t]);
    elem(w, 6, "from_country", party_country(w, c->tx_src[t]), 2);
    fputs("    </t_from>\n    <t_to>\n", w->fp);
    elem(w, 6, "to_funds_code", hdr(w, "funds_code", "-"), 4);
    if (c->tx_recv_currency[t] != w->local) write_foreign(w, 6, "to", c->tx_recv_amount[t], c->tx_recv_currency[t], local);
    write_party(w, 6, "to", c->tx_dst[t]);
    elem(w, 6, "to_country", party_country(w, c->tx_dst[t]), 2);
    fputs("    </t_to>\n  </transaction>\n", w->fp);
    return IFFNET_OK;
}

/* The report's reason: what each alert found, as its reasons say it. */
static void write_reason(gw_t *w)
{
    const iffnet_alert_list_t *al = w->x->alerts;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return;
    const char *pre = hdr(w, "reason", "");
    if (*pre) fprintf(m, "%s\n", pre);
    for (int64_t k = 0; al && k < al->n; k++) {
        const iffnet_alert_t *a = &al->items[k];
        fprintf(m, "%s %s (score %.2f):", a->id ? a->id : "", iffnet_typology_name(a->typology), a->score);
        for (int64_t r = 0; r < a->n_reasons; r++) fprintf(m, " %s", a->reasons[r]);
        fputc('\n', m);
    }
    fclose(m);
    if (buf && len) elem(w, 2, "reason", buf, 8000);
    free(buf);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Transactions of the report: the alerts' (with alerts), else those between
 * selected accounts; in time order. */
static int report_transactions(const gw_t *w, int64_t **out, int64_t *n)
{
    const iffnet_case_t *c = w->c;
    const iffnet_alert_list_t *al = w->x->alerts;
    iffnet_i_vec_t v = {0};
    if (al && al->n) {
        for (int64_t k = 0; k < al->n; k++)
            for (int64_t i = 0; i < al->items[k].n_tx; i++)
                if (al->items[k].tx[i] >= 0 && al->items[k].tx[i] < c->n_tx) IFFNET_TRY(iffnet_i_vec_push(&v, al->items[k].tx[i]));
    } else {
        for (int64_t t = 0; t < c->n_tx; t++)
            if (!w->x->select || (w->x->select[c->tx_src[t]] && w->x->select[c->tx_dst[t]])) IFFNET_TRY(iffnet_i_vec_push(&v, t));
    }
    iffnet_i_sort(v.v, (size_t)v.n, sizeof *v.v, cmp_i64);
    int64_t k = 0;
    for (int64_t i = 0; i < v.n; i++)
        if (i == 0 || v.v[i] != v.v[i - 1]) v.v[k++] = v.v[i];
    *out = v.v;
    *n = k;
    return IFFNET_OK;
}

static int check_header(const gw_t *w)
{
    static const char *const need[] = {"rentity_id", "rentity_branch", "reporting_user_code", "location.address",
                                       "location.city", "location.country_code", NULL};
    char missing[256] = "";
    for (int i = 0; need[i]; i++)
        if (!*hdr(w, need[i], ""))
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s", *missing ? ", " : "", need[i]);
    if (*missing)
        return iffnet_i_seterr(IFFNET_EINVAL, "goaml export: the reporting entity's %s %s not in the case: give them in "
                               "--goaml-header FILE (key = value lines)", missing, strchr(missing, ',') ? "are" : "is");
    return IFFNET_OK;
}

int iffnet_export_write_goaml(const iffnet_export_t *x, const iffnet_config_t *header, iffnet_time_t now, FILE *fp)
{
    gw_t w = {x, x->c, header, fp, -1, ""};
    const iffnet_case_t *c = x->c;
    int64_t *tx = NULL, n = 0;
    IFFNET_TRY(check_header(&w));
    const char *lc = hdr(&w, "currency_code_local", "");
    if (*lc) {
        int64_t k = iffnet_strtab_find((iffnet_strtab_t *)&c->currencies, lc, strlen(lc));
        if (k < 0) return iffnet_i_seterr(IFFNET_EINVAL, "goaml export: currency_code_local %s is none of the case's currencies", lc);
        w.local = (int32_t)k;
    } else {
        w.local = iffnet_case_value_currency(c);
    }
    if (w.local < 0) return iffnet_i_seterr(IFFNET_EINVAL, "goaml export: the case has no currency for amount_local");
    snprintf(w.local_code, sizeof w.local_code, "%s", iffnet_case_currency(c, w.local));
    IFFNET_TRY(report_transactions(&w, &tx, &n));
    if (n == 0) {
        free(tx);
        return iffnet_i_seterr(IFFNET_EDATA, "goaml export: no transactions to report (a goAML report needs one)");
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report>\n", fp);
    elem(&w, 2, "rentity_id", hdr(&w, "rentity_id", ""), 20);
    elem(&w, 2, "rentity_branch", hdr(&w, "rentity_branch", ""), 255);
    elem(&w, 2, "submission_code", hdr(&w, "submission_code", "E"), 1);
    elem(&w, 2, "report_code", hdr(&w, "report_code", "STR"), 5);
    if (*hdr(&w, "entity_reference", "")) elem(&w, 2, "entity_reference", hdr(&w, "entity_reference", ""), 255);
    if (*hdr(&w, "fiu_ref_number", "")) elem(&w, 2, "fiu_ref_number", hdr(&w, "fiu_ref_number", ""), 255);
    date_elem(&w, 2, "submission_date", now);
    elem(&w, 2, "currency_code_local", w.local_code, 3);
    elem(&w, 2, "reporting_user_code", hdr(&w, "reporting_user_code", ""), 50);
    fputs("  <location>\n", fp);
    elem(&w, 4, "address_type", hdr(&w, "location.address_type", "-"), 1);
    elem(&w, 4, "address", hdr(&w, "location.address", ""), 100);
    elem(&w, 4, "city", hdr(&w, "location.city", ""), 255);
    elem(&w, 4, "country_code", hdr(&w, "location.country_code", ""), 2);
    fputs("  </location>\n", fp);
    write_reason(&w);
    if (*hdr(&w, "action", "")) elem(&w, 2, "action", hdr(&w, "action", ""), 8000);
    int err = IFFNET_OK;
    for (int64_t i = 0; i < n && !err; i++) err = write_transaction(&w, tx[i]);
    free(tx);
    if (err) return err;
    fputs("  <report_indicators>\n", fp);
    const char *ind = hdr(&w, "indicators", "-");
    char one[64];
    for (const char *p = ind; *p;) {
        size_t k = strcspn(p, ",; ");
        if (k) {
            snprintf(one, sizeof one, "%.*s", (int)k, p);
            elem(&w, 4, "indicator", one, 64);
        }
        p += k;
        while (*p == ',' || *p == ';' || *p == ' ') p++;
    }
    if (!*ind) elem(&w, 4, "indicator", "-", 1);
    fputs("  </report_indicators>\n</report>\n", fp);
    if (ferror(fp)) return iffnet_i_seterr(IFFNET_EIO, "goaml export: write error");
    return IFFNET_OK;
}

/* ---- validation against an XSD (libxml2's schema validator, streaming) ---- */

typedef struct { char *msg; int64_t line; int64_t n; } val_err_t;

static void val_error(void *ctx, xmlErrorPtr e)
{
    val_err_t *v = ctx;
    if (!e) return;
    v->n++;
    if (v->msg) return;
    v->msg = iffnet_i_strdup(e->message ? e->message : "invalid");
    v->line = e->line;
    if (v->msg) {
        size_t n = strlen(v->msg);
        while (n && (v->msg[n - 1] == '\n' || v->msg[n - 1] == ' ')) v->msg[--n] = '\0';
    }
}

int iffnet_export_validate_xml(FILE *fp, const char *name, const char *xsd)
{
    int err = IFFNET_OK;
    val_err_t v = {NULL, 0, 0}, sv = {NULL, 0, 0};
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
    xmlSchemaPtr schema = NULL;
    xmlSchemaValidCtxtPtr vc = NULL;
    xmlTextReaderPtr r = NULL;
    if (!pc) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    xmlSchemaSetParserStructuredErrors(pc, val_error, &sv);
    if (!(schema = xmlSchemaParse(pc))) {
        err = iffnet_i_seterr(IFFNET_EINVAL, "cannot read the schema '%s': %s", xsd, sv.msg ? sv.msg : "not an XSD");
        goto out;
    }
    if (fflush(fp) != 0 || fseek(fp, 0, SEEK_SET) != 0) {
        err = iffnet_i_seterr(IFFNET_EIO, "cannot re-read '%s' for validation", name);
        goto out;
    }
    vc = xmlSchemaNewValidCtxt(schema);
    r = xmlReaderForFd(fileno(fp), name, NULL, XML_PARSE_NONET);
    if (!vc || !r) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    xmlSchemaSetValidStructuredErrors(vc, val_error, &v);
    xmlTextReaderSetStructuredErrorHandler(r, val_error, &v);
    if (xmlTextReaderSchemaValidateCtxt(r, vc, 0) != 0) {
        err = iffnet_i_seterr(IFFNET_EINTERNAL, "cannot start validation against '%s'", xsd);
        goto out;
    }
    int k;
    while ((k = xmlTextReaderRead(r)) == 1) {}
    if (k < 0 || v.n || xmlTextReaderIsValid(r) != 1)
        err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: not valid against '%s': %s%s", name, (long long)v.line, xsd,
                              v.msg ? v.msg : "invalid", v.n > 1 ? " (and more)" : "");
out:
    if (r) xmlFreeTextReader(r);
    if (vc) xmlSchemaFreeValidCtxt(vc);
    if (schema) xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pc);
    free(v.msg);
    free(sv.msg);
    if (!err && fseek(fp, 0, SEEK_SET) != 0) err = iffnet_i_seterr(IFFNET_EIO, "cannot rewind '%s'", name);
    return err;
}
