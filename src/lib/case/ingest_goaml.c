/* ingest_goaml.c: goAML XML reports (UNODC's FIU system, schema 5.0.1) into the sink.
 *
 * One streaming pass over the report (xmlread.c). The mapping (iffnet-formats(5)):
 *   <transaction>            one transaction: transactionnumber is its id,
 *                            date_transaction its time, amount_local its amount in
 *                            the report's currency_code_local (or from_/to_
 *                            foreign_currency when given), transmode_code its
 *                            channel, transaction_description its reference
 *   t_from / t_from_my_client  the payer: from_account (an account), from_person or
 *   t_to / t_to_my_client      from_entity (a person or entity that is its own
 *                            "account" of the network, as cash is); likewise the payee
 *   involved_parties/party   the multi-party form: the first party pays, the last
 *                            is paid; parties between are related to the payer
 *   accounts                 account entities (bank, swift, branch, currency, ...);
 *                            t_entity is the holder (holds_account; without one, the
 *                            first signatory is), signatories and related persons
 *                            signatory_of, directors and related persons of an
 *                            entity director_of or owns (roles SH, UBO, RBO)
 *   <report>                 an entity of kind report (report code, reason,
 *                            indicators, reporting entity, dates)
 * The same account (by its number), person (by ssn, passport or id number, else
 * name and birth date) or entity (by incorporation number and country, else name)
 * reported twice, in one report or many, is one node. */
#include <ctype.h>
#include "case_internal.h"

static const char *const GOAML_NAMES[] = {
#include "goaml_names.inc"
};

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int known_element(const char *name)
{
    return bsearch(&name, GOAML_NAMES, sizeof GOAML_NAMES / sizeof GOAML_NAMES[0], sizeof GOAML_NAMES[0], cmp_name) != NULL;
}

/* ---- objects: accounts, persons, entities being read ---- */

typedef enum { OBJ_ACCOUNT, OBJ_PERSON, OBJ_ENTITY } obj_kind_t;

#define MAX_FIELDS 40
#define MAX_OBJECTS 32
#define MAX_LINKS 64

typedef struct { char *id; const char *type; int child_is_src; } link_t;

typedef struct {
    obj_kind_t kind;
    int depth;
    int64_t line;
    const char *elem;
    int nf;
    const char *fname[MAX_FIELDS];
    char *fval[MAX_FIELDS];
    /* Values built from groups of elements, ';'-joined. */
    char *phone, *address, *email, *idents;
    int nl;
    link_t links[MAX_LINKS];
} obj_t;

/* A wrapper of one related object: signatory, account_related_person, ... */
typedef struct {
    const char *name;
    int depth;
    int obj;             /* index of the object it belongs to */
    char *child;         /* id of the object inside */
    char *role;
    int primary;
} wrap_t;

typedef struct {
    int depth;           /* of t_from..., t_to..., or party; 0 when none */
    int is_to;
    char *party;         /* account, person or entity id */
    char *fx_code, *fx_amount;
    char *country, *funds;
} side_t;

typedef struct {
    int64_t line;
    char *id, *date, *amount, *channel, *descr;
    side_t from, to;
    int in_party, n_parties;
    char *parties[64];
    side_t party;        /* the party being read */
    char *conductor;
} tx_t;

/* A group (a phone, an address, an identification) is read from its leaves
 * when it ends; their texts wait here. */
typedef struct { char v[8][256]; } group_t;

typedef struct {
    iffnet_i_sink_t *g;
    iffnet_i_xr_t *x;
    group_t g_phone, g_addr, g_ident;
    const char *path;
    obj_t obj[MAX_OBJECTS];
    int nobj;
    wrap_t wrap[MAX_OBJECTS];
    int nwrap;
    int in_tx;
    tx_t tx;
    /* the report */
    char *local_cur, *rentity_id, *report_code, *report_date, *entity_ref, *fiu_ref, *reason, *indicators,
         *rentity_branch, *submission_code;
    int64_t n_tx, n_accepted, n_extra_parties;
    /* Element names come from the XML reader's dictionary, one pointer per
     * name: whether a name is in the schema is looked up once per pointer. */
    const char *known_ptr[1024];
    char known_val[1024];
} goaml_t;

static int oom(void)
{
    return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Replaces *slot with a copy of text. */
static int set_str(char **slot, const char *s, size_t n)
{
    char *d = dup_n(s, n);
    if (!d) return oom();
    free(*slot);
    *slot = d;
    return IFFNET_OK;
}

/* Appends item to the ';'-joined list *slot (unless present). */
static int add_item(char **slot, const char *s)
{
    if (!s || !*s) return IFFNET_OK;
    if (*slot) {
        size_t n = strlen(s);
        for (const char *p = *slot; p;) {
            const char *e = strchr(p, ';');
            size_t k = e ? (size_t)(e - p) : strlen(p);
            if (k == n && memcmp(p, s, n) == 0) return IFFNET_OK;
            p = e ? e + 1 : NULL;
        }
    }
    char *d = *slot ? iffnet_i_asprintf("%s;%s", *slot, s) : iffnet_i_strdup(s);
    if (!d) return oom();
    free(*slot);
    *slot = d;
    return IFFNET_OK;
}

static const char *field(const obj_t *o, const char *name)
{
    for (int i = 0; i < o->nf; i++)
        if (strcmp(o->fname[i], name) == 0) return o->fval[i];
    return NULL;
}

static void obj_free(obj_t *o)
{
    for (int i = 0; i < o->nf; i++) free(o->fval[i]);
    for (int i = 0; i < o->nl; i++) free(o->links[i].id);
    free(o->phone);
    free(o->address);
    free(o->email);
    free(o->idents);
    memset(o, 0, sizeof *o);
}

static void side_free(side_t *s)
{
    free(s->party);
    free(s->fx_code);
    free(s->fx_amount);
    free(s->country);
    free(s->funds);
    memset(s, 0, sizeof *s);
}

static void tx_free(tx_t *t)
{
    free(t->id); free(t->date); free(t->amount); free(t->channel); free(t->descr); free(t->conductor);
    side_free(&t->from);
    side_free(&t->to);
    side_free(&t->party);
    for (int i = 0; i < t->n_parties; i++) free(t->parties[i]);
    memset(t, 0, sizeof *t);
}

/* The kind of object an element starts, or -1. */
static int object_kind(const char *name, const char *parent)
{
    static const char *const accounts[] = {"from_account", "to_account", "account_my_client", NULL};
    static const char *const persons[] = {"from_person", "to_person", "person", "person_my_client", "t_person",
                                          "t_conductor", "director_id", NULL};
    static const char *const entities[] = {"from_entity", "to_entity", "entity", "entity_my_client", "t_entity", NULL};
    for (const char *const *p = accounts; *p; p++) if (strcmp(name, *p) == 0) return OBJ_ACCOUNT;
    /* <account> is also the account number inside an account. */
    if (strcmp(name, "account") == 0 && (strcmp(parent, "party") == 0 || strcmp(parent, "account_related_account") == 0 ||
                                         strcmp(parent, "report_party") == 0))
        return OBJ_ACCOUNT;
    for (const char *const *p = persons; *p; p++) if (strcmp(name, *p) == 0) return OBJ_PERSON;
    for (const char *const *p = entities; *p; p++) if (strcmp(name, *p) == 0) return OBJ_ENTITY;
    return -1;
}

static int is_wrapper(const char *name)
{
    static const char *const w[] = {"signatory", "account_related_person", "entity_related_person", "account_related_entity",
                                    "entity_related_entity", "account_related_account", "person_related_person", NULL};
    for (const char *const *p = w; *p; p++) if (strcmp(name, *p) == 0) return 1;
    return 0;
}

/* A name or number as a key: blanks collapsed, ASCII upper case. */
static void key_text(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    int space = 0;
    for (; s && *s && n + 2 < cap; s++) {
        unsigned char ch = (unsigned char)*s;
        if (isspace(ch)) {
            space = n > 0;
            continue;
        }
        if (space) out[n++] = ' ';
        space = 0;
        out[n++] = (char)toupper(ch);
    }
    out[n] = '\0';
}

/* An identifier with something in it: templates and exports write "-" for none. */
static int meaningful(const char *v)
{
    for (; v && *v; v++)
        if (isalnum((unsigned char)*v)) return 1;
    return 0;
}

static int person_id(const obj_t *o, char *id, size_t cap)
{
    char k1[256], k2[256], k3[64];
    static const char *const ids[] = {"ssn", "passport_number", "id_number", NULL};
    for (const char *const *p = ids; *p; p++) {
        const char *v = field(o, *p);
        if (meaningful(v)) {
            key_text(k1, sizeof k1, v);
            snprintf(id, cap, "person:%s:%s", *p, k1);
            return 0;
        }
    }
    if (o->idents) {
        key_text(k1, sizeof k1, o->idents);
        char *semi = strchr(k1, ';');
        if (semi) *semi = '\0';
        snprintf(id, cap, "person:id:%s", k1);
        return 0;
    }
    const char *last = field(o, "last_name"), *first = field(o, "first_name");
    if ((!last || !*last) && (!first || !*first)) return -1;
    key_text(k1, sizeof k1, last);
    key_text(k2, sizeof k2, first);
    const char *b = field(o, "birthdate");
    snprintf(k3, sizeof k3, "%.10s", b ? b : "");
    snprintf(id, cap, "person:%s|%s|%s", k1, k2, k3);
    return 0;
}

static int entity_id(const obj_t *o, char *id, size_t cap)
{
    char k1[256], k2[16];
    const char *num = field(o, "incorporation_number"), *cc = field(o, "incorporation_country_code");
    if (meaningful(num)) {
        key_text(k1, sizeof k1, num);
        key_text(k2, sizeof k2, cc);
        snprintf(id, cap, "entity:%s:%s", k2, k1);
        return 0;
    }
    const char *name = field(o, "name");
    if (!name || !*name) return -1;
    key_text(k1, sizeof k1, name);
    snprintf(id, cap, "entity:%s", k1);
    return 0;
}

/* Field of o as an attribute of entity e. */
static int attr(goaml_t *s, int64_t e, const obj_t *o, const char *fname, const char *aname)
{
    const char *v = field(o, fname);
    return v ? iffnet_i_sink_attr(s->g, e, aname, v, strlen(v)) : IFFNET_OK;
}

static int attr_val(goaml_t *s, int64_t e, const char *aname, const char *v)
{
    return v ? iffnet_i_sink_attr(s->g, e, aname, v, strlen(v)) : IFFNET_OK;
}

static int emit_person(goaml_t *s, const obj_t *o, const char *id, int64_t *e)
{
    char name[512];
    const char *f = field(o, "first_name"), *m = field(o, "middle_name"), *l = field(o, "last_name");
    snprintf(name, sizeof name, "%s%s%s%s%s", f ? f : "", f && (m || l) ? " " : "", m ? m : "", m && l ? " " : "", l ? l : "");
    const char *country = field(o, "residence") ? field(o, "residence") : field(o, "nationality1");
    iffnet_i_entity_t x = {id, strlen(id), "person", name, country, NULL, o->line, 0};
    IFFNET_TRY(iffnet_i_sink_entity(s->g, &x, e));
    static const char *const same[][2] = {
        {"birthdate", "birthdate"}, {"birth_place", "birth_place"}, {"nationality1", "nationality"},
        {"nationality2", "nationality"}, {"nationality3", "nationality"}, {"residence", "residence"},
        {"occupation", "occupation"}, {"ssn", "ssn"}, {"passport_number", "passport"}, {"id_number", "id_number"},
        {"gender", "gender"}, {"alias", "alias"}, {"tax_number", "tax_number"}, {"employer_name", "employer"},
        {"source_of_wealth", "source_of_wealth"}, {"mothers_name", "mothers_name"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) IFFNET_TRY(attr(s, *e, o, same[i][0], same[i][1]));
    IFFNET_TRY(attr_val(s, *e, "phone", o->phone));
    IFFNET_TRY(attr_val(s, *e, "address", o->address));
    IFFNET_TRY(attr_val(s, *e, "email", o->email));
    return attr_val(s, *e, "identification", o->idents);
}

static int emit_entity(goaml_t *s, const obj_t *o, const char *id, int64_t *e)
{
    iffnet_i_entity_t x = {id, strlen(id), "company", field(o, "name"), field(o, "incorporation_country_code"), NULL,
                           o->line, 0};
    IFFNET_TRY(iffnet_i_sink_entity(s->g, &x, e));
    static const char *const same[][2] = {
        {"incorporation_number", "registration"}, {"commercial_name", "commercial_name"},
        {"incorporation_legal_form", "legal_form"}, {"business", "business"}, {"incorporation_state", "incorporation_state"},
        {"incorporation_date", "incorporation_date"}, {"tax_number", "tax_number"}, {"url", "url"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) IFFNET_TRY(attr(s, *e, o, same[i][0], same[i][1]));
    IFFNET_TRY(attr_val(s, *e, "phone", o->phone));
    IFFNET_TRY(attr_val(s, *e, "address", o->address));
    return attr_val(s, *e, "email", o->email);
}

static int emit_account(goaml_t *s, const obj_t *o, const char *id, int64_t *e)
{
    iffnet_i_entity_t x = {id, strlen(id), "account", field(o, "account_name"), field(o, "institution_country"), NULL,
                           o->line, 0};
    IFFNET_TRY(iffnet_i_sink_entity(s->g, &x, e));
    static const char *const same[][2] = {
        {"institution_name", "bank"}, {"swift", "swift"}, {"institution_code", "institution_code"}, {"branch", "branch"},
        {"currency_code", "currency"}, {"client_number", "client_number"}, {"iban", "iban"},
        {"personal_account_type", "account_type"}, {"account_type", "account_type"}, {"opened", "opened"},
        {"closed", "closed"}, {"status_code", "status"}, {"beneficiary", "beneficiary"}, {"balance", "balance"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) IFFNET_TRY(attr(s, *e, o, same[i][0], same[i][1]));
    return IFFNET_OK;
}

/* The relation type of a wrapper or director, by its role code. */
static const char *link_type(const char *wrapper, const char *role, int primary)
{
    (void)primary; /* fixed to 1 in the my-client form: not a mark of the holder */
    if (strcmp(wrapper, "signatory") == 0 || strcmp(wrapper, "account_related_person") == 0) return "signatory_of";
    if (strcmp(wrapper, "entity_related_person") == 0 || strcmp(wrapper, "director_id") == 0) {
        if (role && (strcmp(role, "SH") == 0 || strcmp(role, "UBO") == 0 || strcmp(role, "RBO") == 0)) return "owns";
        if (role && (strcmp(role, "BM") == 0 || strcmp(role, "CEO") == 0 || strcmp(role, "CS") == 0)) return "director_of";
        return strcmp(wrapper, "director_id") == 0 ? "director_of" : "related_to";
    }
    if (strcmp(wrapper, "account_related_entity") == 0) return "related_to";
    return "related_to";
}

static int add_link(obj_t *o, const char *id, const char *type, int child_is_src)
{
    if (o->nl == MAX_LINKS) return IFFNET_OK; /* a guard: schema forms never nest this many */
    if (!(o->links[o->nl].id = iffnet_i_strdup(id))) return oom();
    o->links[o->nl].type = type;
    o->links[o->nl].child_is_src = child_is_src;
    o->nl++;
    return IFFNET_OK;
}

/* The object on top ends: it becomes an entity, its links relations. */
static int end_object(goaml_t *s)
{
    obj_t *o = &s->obj[s->nobj - 1];
    char id[600], path[512];
    int64_t e;
    int bad;
    const char *acct = field(o, "account");
    if (o->kind == OBJ_ACCOUNT) bad = !acct || !*acct ? -1 : (snprintf(id, sizeof id, "%s", acct), 0);
    else if (o->kind == OBJ_PERSON) bad = person_id(o, id, sizeof id);
    else bad = entity_id(o, id, sizeof id);
    if (bad) {
        iffnet_i_xr_path(s->x, path, sizeof path);
        return iffnet_i_xr_fail_at(s->x, o->line, "%s", o->kind == OBJ_ACCOUNT ? "the account has no account number"
                                                         : o->kind == OBJ_PERSON ? "the person has no name or id number"
                                                         : "the entity has no name or incorporation number");
    }
    int err = o->kind == OBJ_ACCOUNT ? emit_account(s, o, id, &e) : o->kind == OBJ_PERSON ? emit_person(s, o, id, &e)
                                                                   : emit_entity(s, o, id, &e);
    if (err) return err < 0 ? IFFNET_OK : err;
    if (o->kind == OBJ_ACCOUNT) {
        /* The holder: the account's t_entity, else (a personal account) its first signatory. */
        int holder = 0, first = -1;
        for (int i = 0; i < o->nl; i++) {
            holder |= strcmp(o->links[i].type, "holds_account") == 0;
            if (first < 0 && strcmp(o->links[i].type, "signatory_of") == 0) first = i;
        }
        if (!holder && first >= 0)
            IFFNET_TRY(iffnet_i_sink_relation(s->g, o->links[first].id, strlen(o->links[first].id), id, strlen(id),
                                              "holds_account", o->line));
    }
    for (int i = 0; i < o->nl; i++) {
        const link_t *l = &o->links[i];
        const char *a = l->child_is_src ? l->id : id, *b = l->child_is_src ? id : l->id;
        IFFNET_TRY(iffnet_i_sink_relation(s->g, a, strlen(a), b, strlen(b), l->type, o->line));
    }
    /* Where the object sits: a party of the transaction, in a wrapper, a holder, a director. */
    int pdepth = o->depth - 1;
    const char *parent = iffnet_i_xr_parent(s->x, 1);
    side_t *side = s->tx.from.depth == pdepth && strncmp(parent, "t_from", 6) == 0 ? &s->tx.from
                 : s->tx.to.depth == pdepth && strncmp(parent, "t_to", 4) == 0 ? &s->tx.to
                 : s->tx.party.depth == pdepth && strcmp(parent, "party") == 0 ? &s->tx.party : NULL;
    if (s->in_tx && side && strcmp(o->elem, "t_conductor") == 0) {
        err = set_str(&s->tx.conductor, id, strlen(id));
    } else if (s->in_tx && side) {
        err = set_str(&side->party, id, strlen(id));
    } else if (s->nwrap && s->wrap[s->nwrap - 1].depth == pdepth) {
        err = set_str(&s->wrap[s->nwrap - 1].child, id, strlen(id));
    } else if (s->nobj >= 2 && strcmp(o->elem, "director_id") == 0) {
        err = add_link(&s->obj[s->nobj - 2], id, link_type("director_id", field(o, "role"), 0), 1);
    } else if (s->nobj >= 2 && strcmp(o->elem, "t_entity") == 0 && s->obj[s->nobj - 2].kind == OBJ_ACCOUNT) {
        err = add_link(&s->obj[s->nobj - 2], id, "holds_account", 1);
    }
    obj_free(o);
    s->nobj--;
    return err;
}

/* A leaf's text inside the top object: a field, or part of a group. */
static int object_leaf(goaml_t *s, obj_t *o, const char *name, const char *text, size_t len)
{
    int rel = iffnet_i_xr_depth(s->x) - o->depth;   /* 1: a direct child */
    const char *parent = iffnet_i_xr_parent(s->x, 1);
    if (rel == 1) {
        if (o->nf == MAX_FIELDS) return IFFNET_OK;
        if (strcmp(name, "email") == 0) return add_item(&o->email, text);
        /* Names from the reader's dictionary: equal names are one pointer. */
        for (int i = 0; i < o->nf; i++)
            if (o->fname[i] == name) return set_str(&o->fval[i], text, len);
        o->fname[o->nf] = name;
        if (!(o->fval[o->nf] = dup_n(text, len))) return oom();
        o->nf++;
        return IFFNET_OK;
    }
    if (strcmp(parent, "emails") == 0 && strcmp(name, "email") == 0) return add_item(&o->email, text);
    return IFFNET_OK;
}

static void group_leaf(goaml_t *s, const char *group, const char *name, const char *text)
{
    static const char *const phone[] = {"tph_country_prefix", "tph_number", "tph_extension", NULL};
    static const char *const addr[] = {"address", "house_number", "town", "city", "zip", "state", "country_code", NULL};
    static const char *const ident[] = {"type", "number", "issue_country", NULL};
    const char *const *list = strcmp(group, "phone") == 0 ? phone : strcmp(group, "address") == 0 ? addr : ident;
    group_t *gr = strcmp(group, "phone") == 0 ? &s->g_phone : strcmp(group, "address") == 0 ? &s->g_addr : &s->g_ident;
    for (int i = 0; list[i]; i++)
        if (strcmp(name, list[i]) == 0) snprintf(gr->v[i], sizeof gr->v[i], "%s", text);
}

static int end_group(goaml_t *s, obj_t *o, const char *group)
{
    char out[1024];
    group_t g_phone = s->g_phone, g_addr = s->g_addr, g_ident = s->g_ident;
    if (strcmp(group, "phone") == 0) {
        snprintf(out, sizeof out, "%s%s%s%s%s", g_phone.v[0], *g_phone.v[0] ? " " : "", g_phone.v[1],
                 *g_phone.v[2] ? " ext " : "", g_phone.v[2]);
        memset(&s->g_phone, 0, sizeof s->g_phone);
        return add_item(&o->phone, out);
    }
    if (strcmp(group, "address") == 0) {
        size_t n = 0;
        out[0] = '\0';
        for (int i = 0; i < 7 && n < sizeof out; i++)
            if (*g_addr.v[i]) n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", n ? ", " : "", g_addr.v[i]);
        memset(&s->g_addr, 0, sizeof s->g_addr);
        return add_item(&o->address, out);
    }
    snprintf(out, sizeof out, "%s%s%s", g_ident.v[0], *g_ident.v[0] ? ":" : "", g_ident.v[1]);
    memset(&s->g_ident, 0, sizeof s->g_ident);
    return add_item(&o->idents, out);
}

/* The group element an element belongs to inside object o, or NULL. */
static const char *group_of(goaml_t *s, const obj_t *o, int up)
{
    const char *p = iffnet_i_xr_parent(s->x, up), *pp = iffnet_i_xr_parent(s->x, up + 1);
    int d = iffnet_i_xr_depth(s->x) - up;   /* depth of p */
    if (d != o->depth + 2 && !(d == o->depth + 1 && strcmp(p, "identification") == 0)) return NULL;
    if (strcmp(p, "phone") == 0 && strcmp(pp, "phones") == 0) return "phone";
    if (strcmp(p, "address") == 0 && strcmp(pp, "addresses") == 0) return "address";
    if (strcmp(p, "identification") == 0) return "identification";
    return NULL;
}

/* ---- transactions ---- */

static int amount_in(goaml_t *s, const char *text, const char *code, const char *what, iffnet_money_t *out)
{
    if (!text) {
        char path[512];
        iffnet_i_xr_path(s->x, path, sizeof path);
        int err = iffnet_i_sink_bad(s->g, s->tx.line, path, "element %s: the transaction has no %s", path, what);
        return err ? err : -1;
    }
    iffnet_amount_status_t st = iffnet_amount_parse(text, strlen(text), iffnet_currency_scale(code), NULL, out);
    if (st == IFFNET_AMOUNT_OK) return IFFNET_OK;
    char path[512];
    iffnet_i_xr_path(s->x, path, sizeof path);
    int err = iffnet_i_sink_bad(s->g, s->tx.line, path, "element %s/%s: \"%s\" %s", path, what, text, iffnet_amount_status_str(st));
    return err ? err : -1;
}

static const char *currency(goaml_t *s, const char *code, const char *what)
{
    const char *c = code ? iffnet_i_sink_currency(s->g, code, strlen(code)) : NULL;
    if (!c) {
        char path[512];
        if (what[0] == '/') snprintf(path, sizeof path, "%s", what);
        else {
            size_t n;
            iffnet_i_xr_path(s->x, path, sizeof path);
            n = strlen(path);
            snprintf(path + n, sizeof path - n, "/%s", what);
        }
        iffnet_i_sink_bad(s->g, s->tx.line, path, "element %s: \"%s\" is not an ISO 4217 currency code", path,
                          code ? code : "");
    }
    return c;
}

static int end_transaction(goaml_t *s)
{
    tx_t *t = &s->tx;
    iffnet_i_tx_t r;
    char path[512];
    int e;
    memset(&r, 0, sizeof r);
    s->n_tx++;
    iffnet_i_xr_path(s->x, path, sizeof path);
    if (t->n_parties) {
        /* The multi-party form: the first party pays, the last is paid. */
        if (t->n_parties < 2) {
            e = iffnet_i_sink_bad(s->g, t->line, path, "element %s/involved_parties: one party (a payer and a payee are needed)", path);
            return e ? e : -1;
        }
        /* The schema's two forms exclude each other: which side paid would be a guess. */
        if (t->from.party || t->to.party) {
            e = iffnet_i_sink_bad(s->g, t->line, path, "element %s: both t_from/t_to and involved_parties (one transaction "
                                  "has one form or the other)", path);
            return e ? e : -1;
        }
        t->from.party = t->parties[0];
        t->to.party = t->parties[t->n_parties - 1];
        t->parties[0] = t->parties[t->n_parties - 1] = NULL;
        for (int i = 1; i < t->n_parties - 1; i++) {
            IFFNET_TRY(iffnet_i_sink_relation(s->g, t->parties[i], strlen(t->parties[i]), t->from.party,
                                              strlen(t->from.party), "party_with", t->line));
            s->n_extra_parties++;
        }
    }
    if (!t->id || !*t->id) {
        e = iffnet_i_sink_bad(s->g, t->line, path, "element %s: the transaction has no transactionnumber", path);
        return e ? e : -1;
    }
    if (!t->from.party || !t->to.party) {
        e = iffnet_i_sink_bad(s->g, t->line, path, "element %s: the transaction has no %s", path,
                              !t->from.party ? "payer (t_from, t_from_my_client or involved_parties)" : "payee (t_to, t_to_my_client)");
        return e ? e : -1;
    }
    if (!t->date || iffnet_i_sink_time(s->g, t->date, strlen(t->date), &r.time)) {
        e = iffnet_i_sink_bad(s->g, t->line, path, "element %s/date_transaction: \"%s\" is not a date (xs:dateTime, 2024-01-05T13:11:55)",
                              path, t->date ? t->date : "");
        return e ? e : -1;
    }
    const char *local = NULL;
    if (!s->local_cur) {
        e = iffnet_i_sink_bad(s->g, t->line, path, "element %s: the report has no currency_code_local before its transactions", path);
        return e ? e : -1;
    }
    if (!(local = currency(s, s->local_cur, "/report/currency_code_local"))) return -1;
    iffnet_money_t local_amt;
    if ((e = amount_in(s, t->amount, local, "amount_local", &local_amt))) return e;
    r.currency = local;
    r.amount = local_amt;
    if (t->from.fx_code) {
        if (!(r.currency = currency(s, t->from.fx_code, "t_from/from_foreign_currency/foreign_currency_code"))) return -1;
        if ((e = amount_in(s, t->from.fx_amount, r.currency, "from_foreign_currency/foreign_amount", &r.amount))) return e;
    }
    if (t->to.fx_code) {
        if (!(r.recv_currency = currency(s, t->to.fx_code, "t_to/to_foreign_currency/foreign_currency_code"))) return -1;
        if ((e = amount_in(s, t->to.fx_amount, r.recv_currency, "to_foreign_currency/foreign_amount", &r.recv_amount))) return e;
    } else if (t->from.fx_code) {
        r.recv_currency = local;
        r.recv_amount = local_amt;
    }
    r.id = t->id;
    r.id_len = strlen(t->id);
    r.row = s->n_tx;
    r.line = t->line;
    r.src = t->from.party;
    r.src_len = strlen(r.src);
    r.dst = t->to.party;
    r.dst_len = strlen(r.dst);
    r.channel = t->channel;
    r.channel_len = t->channel ? strlen(t->channel) : 0;
    r.reference = t->descr;
    r.ref_len = t->descr ? strlen(t->descr) : 0;
    if (t->conductor)
        IFFNET_TRY(iffnet_i_sink_relation(s->g, t->conductor, strlen(t->conductor), r.src, r.src_len, "conductor_for", t->line));
    e = iffnet_i_sink_tx(s->g, &r);
    if (e == 0) s->n_accepted++;
    return e;
}

/* A leaf inside <transaction> but outside any object. */
static int tx_leaf(goaml_t *s, const char *name, const char *parent, const char *text, size_t len)
{
    tx_t *t = &s->tx;
    if (strcmp(parent, "transaction") == 0) {
        if (strcmp(name, "transactionnumber") == 0) return set_str(&t->id, text, len);
        if (strcmp(name, "date_transaction") == 0) return set_str(&t->date, text, len);
        if (strcmp(name, "amount_local") == 0) return set_str(&t->amount, text, len);
        if (strcmp(name, "transmode_code") == 0) return len ? set_str(&t->channel, text, len) : IFFNET_OK;
        if (strcmp(name, "transaction_description") == 0) return len ? set_str(&t->descr, text, len) : IFFNET_OK;
        return IFFNET_OK;
    }
    side_t *side = strncmp(parent, "t_from", 6) == 0 ? &t->from : strncmp(parent, "t_to", 4) == 0 ? &t->to
                 : strcmp(parent, "party") == 0 ? &t->party : NULL;
    if (side) {
        if (strstr(name, "country")) return set_str(&side->country, text, len);
        if (strstr(name, "funds_code")) return set_str(&side->funds, text, len);
        return IFFNET_OK;
    }
    const char *gp = iffnet_i_xr_parent(s->x, 2);
    if (strstr(parent, "foreign_currency")) {
        side = strncmp(gp, "t_from", 6) == 0 ? &t->from : strncmp(gp, "t_to", 4) == 0 ? &t->to : &t->party;
        if (strcmp(name, "foreign_currency_code") == 0) return set_str(&side->fx_code, text, len);
        if (strcmp(name, "foreign_amount") == 0) return set_str(&side->fx_amount, text, len);
    }
    return IFFNET_OK;
}

/* A leaf directly under <report>, or in its indicators. */
static int report_leaf(goaml_t *s, const char *name, const char *parent, const char *text, size_t len)
{
    if (strcmp(parent, "report_indicators") == 0 && strcmp(name, "indicator") == 0) return add_item(&s->indicators, text);
    if (strcmp(parent, "report") != 0) return IFFNET_OK;
    struct { const char *name; char **slot; } map[] = {
        {"currency_code_local", &s->local_cur}, {"rentity_id", &s->rentity_id}, {"report_code", &s->report_code},
        {"submission_date", &s->report_date}, {"report_date", &s->report_date}, {"entity_reference", &s->entity_ref},
        {"fiu_ref_number", &s->fiu_ref}, {"reason", &s->reason}, {"rentity_branch", &s->rentity_branch},
        {"submission_code", &s->submission_code}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(name, map[i].name) == 0) return set_str(map[i].slot, text, len);
    return IFFNET_OK;
}

/* The report itself as an entity of kind report. */
static int emit_report(goaml_t *s)
{
    const char *base = strrchr(s->path, '/');
    base = base ? base + 1 : s->path;
    char id[600];
    snprintf(id, sizeof id, "goaml-report:%s:%s", s->rentity_id ? s->rentity_id : "-",
             s->entity_ref && *s->entity_ref ? s->entity_ref : base);
    char name[300];
    snprintf(name, sizeof name, "%s report%s%s", s->report_code ? s->report_code : "goAML",
             s->entity_ref ? " " : "", s->entity_ref ? s->entity_ref : "");
    iffnet_i_entity_t x = {id, strlen(id), "report", name, NULL, NULL, 1, 0};
    int64_t e;
    int err = iffnet_i_sink_entity(s->g, &x, &e);
    if (err) return err < 0 ? IFFNET_OK : err;
    struct { const char *name; const char *v; } a[] = {
        {"report_code", s->report_code}, {"rentity_id", s->rentity_id}, {"rentity_branch", s->rentity_branch},
        {"report_date", s->report_date}, {"entity_reference", s->entity_ref}, {"fiu_ref_number", s->fiu_ref},
        {"reason", s->reason}, {"indicators", s->indicators}, {"currency_local", s->local_cur},
        {"submission_code", s->submission_code}, {"file", base}};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++) IFFNET_TRY(attr_val(s, e, a[i].name, a[i].v));
    return IFFNET_OK;
}

/* What a name is, found once per name pointer: bit 0 in the schema, bit 1 a
 * wrapper of a related object, bits 2-3 the object kind + 1 (<account> depends
 * on its parent: left to object_kind). */
static int name_class(const char *name)
{
    int k = strcmp(name, "account") == 0 ? -1 : object_kind(name, "");
    return known_element(name) | is_wrapper(name) << 1 | (k + 1) << 2;
}

static int classify(goaml_t *s, const char *name)
{
    size_t h = ((uintptr_t)name >> 4) & 1023;
    for (size_t k = 0; k < 1024; k++, h = (h + 1) & 1023) {
        if (s->known_ptr[h] == name) return s->known_val[h];
        if (!s->known_ptr[h]) {
            s->known_ptr[h] = name;
            return s->known_val[h] = (char)name_class(name);
        }
    }
    return name_class(name);
}

static int on_start(goaml_t *s)
{
    const char *name = iffnet_i_xr_name(s->x), *parent = iffnet_i_xr_parent(s->x, 1);
    int depth = iffnet_i_xr_depth(s->x);
    if (depth == 1 && strcmp(name, "report") != 0)
        return iffnet_i_xr_fail_at(s->x, iffnet_i_xr_line(s->x), "the root element is '%s', not 'report': not a goAML report", name);
    int cls = classify(s, name);
    if (!(cls & 1)) return iffnet_i_xr_fail_at(s->x, iffnet_i_xr_line(s->x), "unknown element '%s' (not in the goAML 5.0.1 schema)", name);
    if (strcmp(name, "transaction") == 0 && strcmp(parent, "report") == 0) {
        tx_free(&s->tx);
        s->in_tx = 1;
        s->tx.line = iffnet_i_xr_line(s->x);
        return IFFNET_OK;
    }
    if (s->in_tx) {
        side_t *side = strncmp(name, "t_from", 6) == 0 && strcmp(parent, "transaction") == 0 ? &s->tx.from
                     : strncmp(name, "t_to", 4) == 0 && strcmp(parent, "transaction") == 0 ? &s->tx.to
                     : strcmp(name, "party") == 0 ? &s->tx.party : NULL;
        if (side) {
            side_free(side);
            side->depth = depth;
            return IFFNET_OK;
        }
    }
    int kind = strcmp(name, "account") == 0 ? object_kind(name, parent) : (cls >> 2) - 1;
    if (kind >= 0) {
        if (s->nobj == MAX_OBJECTS) return iffnet_i_xr_fail_at(s->x, iffnet_i_xr_line(s->x), "accounts, persons and entities nested too deep");
        obj_t *o = &s->obj[s->nobj++];
        memset(o, 0, sizeof *o);
        o->kind = (obj_kind_t)kind;
        o->depth = depth;
        o->line = iffnet_i_xr_line(s->x);
        o->elem = name;
        return IFFNET_OK;
    }
    if ((cls & 2) && s->nobj) {
        if (s->nwrap == MAX_OBJECTS) return iffnet_i_xr_fail_at(s->x, iffnet_i_xr_line(s->x), "related persons nested too deep");
        wrap_t *w = &s->wrap[s->nwrap++];
        memset(w, 0, sizeof *w);
        w->name = name;
        w->depth = depth;
        w->obj = s->nobj - 1;
    }
    return IFFNET_OK;
}

static int end_wrapper(goaml_t *s)
{
    wrap_t *w = &s->wrap[s->nwrap - 1];
    int err = IFFNET_OK;
    if (w->child && w->obj < s->nobj) {
        const char *type = link_type(w->name, w->role, w->primary);
        /* Accounts related to accounts, entities to entities: the wrapper's object is the source. */
        int child_is_src = strcmp(w->name, "account_related_account") != 0 && strcmp(w->name, "entity_related_entity") != 0;
        err = add_link(&s->obj[w->obj], w->child, type, child_is_src);
    }
    free(w->child);
    free(w->role);
    s->nwrap--;
    return err;
}

static int on_end(goaml_t *s)
{
    const char *name = iffnet_i_xr_name(s->x), *parent = iffnet_i_xr_parent(s->x, 1);
    int depth = iffnet_i_xr_depth(s->x);
    size_t len;
    const char *text = iffnet_i_xr_text(s->x, &len);
    if (s->nobj && s->obj[s->nobj - 1].depth == depth) return end_object(s);
    if (s->nwrap && s->wrap[s->nwrap - 1].depth == depth) return end_wrapper(s);
    if (s->nwrap && s->wrap[s->nwrap - 1].depth == depth - 1) {
        wrap_t *w = &s->wrap[s->nwrap - 1];
        if (strcmp(name, "role") == 0) return set_str(&w->role, text, len);
        if (strcmp(name, "is_primary") == 0) w->primary = strcmp(text, "1") == 0 || strcmp(text, "true") == 0;
        return IFFNET_OK;
    }
    if (s->in_tx && strcmp(name, "transaction") == 0 && depth == 2) {
        int e = end_transaction(s);
        s->in_tx = 0;
        tx_free(&s->tx);
        return e < 0 ? IFFNET_OK : e;
    }
    if (s->in_tx && strcmp(name, "party") == 0 && s->tx.party.depth == depth) {
        if (s->tx.party.party && s->tx.n_parties < 64) {
            s->tx.parties[s->tx.n_parties++] = s->tx.party.party;
            s->tx.party.party = NULL;
        }
        side_free(&s->tx.party);
        return IFFNET_OK;
    }
    if (s->nobj) {
        obj_t *o = &s->obj[s->nobj - 1];
        const char *gr = group_of(s, o, 0);
        if (gr && depth > o->depth) {
            /* The group element itself ends. */
            if (iffnet_i_xr_depth(s->x) == o->depth + 2 || strcmp(name, "identification") == 0) return end_group(s, o, gr);
        }
        gr = group_of(s, o, 1);
        if (gr) {
            group_leaf(s, gr, name, text);
            return IFFNET_OK;
        }
        return object_leaf(s, o, name, text, len);
    }
    if (s->in_tx) return tx_leaf(s, name, parent, text, len);
    return report_leaf(s, name, parent, text, len);
}

static void goaml_free(goaml_t *s)
{
    for (int i = 0; i < s->nobj; i++) obj_free(&s->obj[i]);
    for (int i = 0; i < s->nwrap; i++) {
        free(s->wrap[i].child);
        free(s->wrap[i].role);
    }
    tx_free(&s->tx);
    free(s->local_cur); free(s->rentity_id); free(s->report_code); free(s->report_date); free(s->entity_ref);
    free(s->fiu_ref); free(s->reason); free(s->indicators); free(s->rentity_branch); free(s->submission_code);
}

int iffnet_i_read_goaml(iffnet_i_sink_t *g, const iffnet_source_t *src)
{
    const char *path = src->path;
    goaml_t s;
    memset(&s, 0, sizeof s);
    s.g = g;
    s.path = path;
    int err = iffnet_i_source_open_xml(src, &s.x);
    if (err) return err;
    if ((err = iffnet_i_sink_begin_source(g, "goaml", path, "element 'transactionnumber'"))) goto out;
    int seen_root = 0;
    for (;;) {
        int ev;
        if ((err = iffnet_i_xr_next(s.x, &ev))) goto out;
        if (ev == 0) break;
        seen_root = 1;
        if ((err = ev == 1 ? on_start(&s) : on_end(&s))) goto out;
    }
    if (!seen_root) {
        err = iffnet_i_seterr(IFFNET_EDATA, "%s: empty file (a goAML <report> is needed)", path);
        goto out;
    }
    if ((err = emit_report(&s))) goto out;
    if (s.n_extra_parties)
        IFFNET_TRY(iffnet_i_sink_note(g, "%s: %lld parties of multi-party transactions between the first (payer) and the last "
                                      "(payee) were related to the payer (party_with)", path, (long long)s.n_extra_parties));
    err = iffnet_i_sink_end_source(g, iffnet_i_xr_input(s.x), s.n_tx, s.n_accepted);
out:
    goaml_free(&s);
    iffnet_i_xr_close(s.x);
    return err;
}
