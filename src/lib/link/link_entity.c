/* link_entity.c: entities tied by shared identifiers (address, phone,
 * registration, ...) or by common directors and owners: the FATF shell-company
 * indicator. Values are normalised before comparison. */
#include <ctype.h>
#include <strings.h>
#include "link_internal.h"
#include "iffnet/link.h"
#include "iffnet/names.h"

/* Abbreviations expanded token by token (address and company-name forms). */
static const char *const abbrev[][2] = {
    {"st", "street"}, {"str", "street"}, {"rd", "road"}, {"ave", "avenue"}, {"av", "avenue"},
    {"blvd", "boulevard"}, {"dr", "drive"}, {"ln", "lane"}, {"hwy", "highway"}, {"sq", "square"},
    {"ct", "court"}, {"pl", "place"}, {"apt", "apartment"}, {"fl", "floor"}, {"bldg", "building"},
    {"po", "post office"}, {"no", "number"}, {"nr", "number"},
    {"ltd", "limited"}, {"co", "company"}, {"corp", "corporation"}, {"inc", "incorporated"},
    {"intl", "international"}, {"pty", "proprietary"}, {"bros", "brothers"},
};

static const char *expand_token(const char *t, size_t len)
{
    for (size_t i = 0; i < sizeof abbrev / sizeof abbrev[0]; i++)
        if (strlen(abbrev[i][0]) == len && memcmp(abbrev[i][0], t, len) == 0)
            return abbrev[i][1];
    return NULL;
}

char *iffnet_link_normalise(const char *s, int digits_only)
{
    size_t n = strlen(s);
    /* The longest expansion ("post office") is 11 bytes for a 2-byte token. */
    char *raw = malloc(n + 1), *out = malloc(6 * n + 2);
    size_t r = 0, o = 0;

    if (!raw || !out) {
        free(raw);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (digits_only) {
            if (isdigit(ch))
                out[o++] = (char)ch;
            continue;
        }
        /* Bytes >= 0x80 (UTF-8) are kept as they are; ASCII punctuation separates. */
        raw[r++] = ch >= 0x80 ? (char)ch : isalnum(ch) ? (char)tolower(ch) : ' ';
    }
    raw[r] = 0;
    for (size_t i = 0; !digits_only && i < r;) {
        while (i < r && raw[i] == ' ')
            i++;
        size_t j = i;
        while (j < r && raw[j] != ' ')
            j++;
        if (j == i)
            break;
        const char *x = expand_token(raw + i, j - i);
        if (o)
            out[o++] = ' ';
        if (x) {
            memcpy(out + o, x, strlen(x));
            o += strlen(x);
        } else {
            memcpy(out + o, raw + i, j - i);
            o += j - i;
        }
        i = j;
    }
    out[o] = 0;
    free(raw);
    return out;
}

/* ---- collecting keys ---- */

typedef struct {
    int64_t by;          /* index into the list of kinds */
    char *value;
    int64_t entity;
} item_t;

typedef struct {
    item_t *a;
    int64_t n, cap;
} items_t;

static int push_item(items_t *l, int64_t by, char *value, int64_t e)
{
    if (iffnet_i_reserve((void **)&l->a, &l->cap, l->n + 1, sizeof *l->a)) {
        free(value);
        return IFFNET_ENOMEM;
    }
    l->a[l->n++] = (item_t){ by, value, e };
    return IFFNET_OK;
}

static int cmp_item(const void *x, const void *y)
{
    const item_t *a = x, *b = y;
    if (a->by != b->by)
        return a->by < b->by ? -1 : 1;
    int c = strcmp(a->value, b->value);
    if (c)
        return c;
    return (a->entity > b->entity) - (a->entity < b->entity);
}

static int is_phone(const char *name)
{
    return strstr(name, "phone") || strstr(name, "tel") || strstr(name, "mobile") || strstr(name, "fax");
}

static int rel_matches(const char *type, const char *by)
{
    static const char *const director[] = {"director_of", "director", "officer_of", NULL};
    static const char *const owner[] = {"owns", "owner_of", "shareholder_of", "beneficial_owner_of", NULL};
    const char *const *list = strcmp(by, "director") == 0 ? director : owner;
    for (; *list; list++)
        if (strcasecmp(type, *list) == 0)
            return 1;
    return 0;
}

/* Items from entity attribute column `col`. */
static int attr_items(const iffnet_case_t *c, int64_t col, int64_t by, int phone, const char *keep,
                      items_t *items)
{
    for (int64_t e = 0; e < c->n_entities; e++) {
        int64_t t = c->entity_attr[e * c->n_attrs + col];
        const char *s = iffnet_case_text(c, t);
        if (t < 0 || !*s || (keep && !keep[e]))
            continue;
        char *norm = iffnet_link_normalise(s, phone);
        if (!norm)
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        if (!*norm) {
            free(norm);
            continue;
        }
        if (push_item(items, by, norm, e))
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

/* Items from relations: the value is the director's (owner's) entity id, the
 * member the company it directs (owns). */
static int rel_items(const iffnet_case_t *c, const char *kind, int64_t by, const char *keep,
                     items_t *items)
{
    for (int64_t r = 0; r < c->n_relations; r++) {
        int64_t s = c->rel_src_entity[r], d = c->rel_dst_entity[r];
        if (s < 0 || d < 0 || (keep && !keep[d]) || !rel_matches(iffnet_case_text(c, c->rel_type[r]), kind))
            continue;
        char *val = iffnet_i_strdup(iffnet_strtab_get(&c->entity_ids, s));
        if (!val || push_item(items, by, val, d))
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

/* Items from entity names, normalised as names.h says (word order, accents,
 * legal forms): the same person or company written twice, or a namesake. */
static int name_items(const iffnet_case_t *c, int64_t by, const char *keep, items_t *items)
{
    for (int64_t e = 0; e < c->n_entities; e++) {
        const char *s = iffnet_case_text(c, c->entity_name[e]);
        if (c->entity_name[e] < 0 || !*s || (keep && !keep[e]))
            continue;
        char *norm = iffnet_name_normalise(s);
        if (!norm)
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        if (!*norm) {
            free(norm);
            continue;
        }
        if (push_item(items, by, norm, e))
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

/* "the case has no entity attribute 'x' (it has: a, b; and name, director, owner)". */
static int no_such_attr(const iffnet_case_t *c, const char *b)
{
    char list[512];
    size_t len = 0;
    list[0] = '\0';
    for (int64_t a = 0; a < c->n_attrs && len < sizeof list; a++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", a ? ", " : "",
                                iffnet_strtab_get(&c->attr_names, a));
    return iffnet_i_seterr(IFFNET_EINVAL, "the case has no entity attribute '%s' (it has%s%s; and name, director, owner)",
                           b, c->n_attrs ? ": " : " none", list);
}

/* Identifier-like attribute names used when --by is not given. */
static int default_attr(const char *name)
{
    static const char *const ids[] = {"address", "phone", "tel", "mobile", "fax", "email", "registration",
                                      "reg_no", "tax", "vat", "website", "url", "iban", "passport", NULL};
    for (const char *const *p = ids; *p; p++)
        if (strstr(name, *p))
            return 1;
    return 0;
}

typedef struct {
    const char **names;     /* kinds searched: attribute names or director/owner */
    int64_t n;
} kinds_t;

static int collect(iffnet_case_t *c, const iffnet_links_opts_t *o, kinds_t *k, items_t *items)
{
    int64_t want = o->by ? o->n_by : c->n_attrs + 2;
    k->names = calloc((size_t)want + 1, sizeof *k->names);
    if (!k->names)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (o->by) {
        for (int64_t i = 0; i < o->n_by; i++) {
            const char *b = o->by[i];
            if (strcmp(b, "director") && strcmp(b, "owner") && strcmp(b, "name") &&
                iffnet_strtab_find(&c->attr_names, b, strlen(b)) < 0)
                return no_such_attr(c, b);
            k->names[k->n++] = b;
        }
    } else {
        for (int64_t a = 0; a < c->n_attrs; a++)
            if (default_attr(iffnet_strtab_get(&c->attr_names, a)))
                k->names[k->n++] = iffnet_strtab_get(&c->attr_names, a);
        k->names[k->n++] = "director";
        k->names[k->n++] = "owner";
    }
    for (int64_t i = 0; i < k->n; i++) {
        const char *b = k->names[i];
        int err;
        if (strcmp(b, "director") == 0 || strcmp(b, "owner") == 0)
            err = rel_items(c, b, i, o->keep, items);
        else if (strcmp(b, "name") == 0 && iffnet_strtab_find(&c->attr_names, b, strlen(b)) < 0)
            err = name_items(c, i, o->keep, items);
        else
            err = attr_items(c, iffnet_strtab_find(&c->attr_names, b, strlen(b)), i, is_phone(b),
                             o->keep, items);
        if (err)
            return err;
    }
    return IFFNET_OK;
}

static int cmp_key(const void *x, const void *y)
{
    const iffnet_link_key_t *a = x, *b = y;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    int c = strcmp(a->by, b->by);
    return c ? c : strcmp(a->value, b->value);
}

static int cmp_pair(const void *x, const void *y)
{
    const int64_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

/* Numbers groups by size descending, then smallest member (the root). */
static int number_groups(const iffnet_case_t *c, int64_t *parent, const char *linked, iffnet_links_t *l,
                         int64_t *group_of)
{
    int64_t n = c->n_entities, k = 0;
    int64_t *size = calloc((size_t)(n ? n : 1), sizeof *size);
    int64_t (*key)[2] = malloc((size_t)(n ? n : 1) * sizeof *key);
    if (!size || !key) {
        free(size);
        free(key);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t e = 0; e < n; e++)
        if (linked[e])
            size[iffnet_i_uf_find_in(parent, e)]++;
    for (int64_t e = 0; e < n; e++)
        if (size[e])
            key[k][0] = -size[e], key[k][1] = e, k++;
    qsort(key, (size_t)k, sizeof *key, cmp_pair);
    l->n_groups = k;
    l->group_size = malloc((size_t)(k ? k : 1) * sizeof *l->group_size);
    if (!l->group_size) {
        free(size);
        free(key);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    for (int64_t i = 0; i < k; i++) {
        group_of[key[i][1]] = i;
        l->group_size[i] = -key[i][0];
    }
    free(size);
    free(key);
    return IFFNET_OK;
}

int iffnet_links_find(iffnet_case_t *c, const iffnet_links_opts_t *o, iffnet_links_t *l)
{
    items_t items = {0};
    kinds_t kinds = {0};
    int64_t *parent = NULL, *group_of = NULL, cap_keys = 0;
    char *linked = NULL;
    int err;

    memset(l, 0, sizeof *l);
    if ((err = collect(c, o, &kinds, &items)))
        goto out;
    if (items.n > 1)
        qsort(items.a, (size_t)items.n, sizeof *items.a, cmp_item);
    parent = malloc((size_t)(c->n_entities ? c->n_entities : 1) * sizeof *parent);
    group_of = malloc((size_t)(c->n_entities ? c->n_entities : 1) * sizeof *group_of);
    linked = calloc((size_t)(c->n_entities ? c->n_entities : 1), 1);
    if (!parent || !group_of || !linked) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t e = 0; e < c->n_entities; e++)
        parent[e] = e;
    /* Runs of equal (kind, value) with two or more entities become keys. */
    for (int64_t i = 0, j; i < items.n; i = j) {
        int64_t distinct = 1;
        for (j = i + 1; j < items.n && items.a[j].by == items.a[i].by &&
                        strcmp(items.a[j].value, items.a[i].value) == 0; j++)
            distinct += items.a[j].entity != items.a[j - 1].entity;
        if (distinct < 2)
            continue;
        if (o->max_share > 0 && distinct > o->max_share) {
            l->n_ignored++;
            continue;
        }
        if (iffnet_i_reserve((void **)&l->keys, &cap_keys, l->n_keys + 1, sizeof *l->keys)) {
            err = IFFNET_ENOMEM;
            goto out;
        }
        iffnet_link_key_t *k = &l->keys[l->n_keys++];
        memset(k, 0, sizeof *k);
        k->by = iffnet_i_strdup(kinds.names[items.a[i].by]);
        k->value = iffnet_i_strdup(items.a[i].value);
        k->members = malloc((size_t)distinct * sizeof *k->members);
        if (!k->by || !k->value || !k->members) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            goto out;
        }
        for (int64_t m = i; m < j; m++)
            if (m == i || items.a[m].entity != items.a[m - 1].entity) {
                k->members[k->n++] = items.a[m].entity;
                linked[items.a[m].entity] = 1;
                iffnet_i_uf_union_in(parent, items.a[i].entity, items.a[m].entity);
            }
    }
    if ((err = number_groups(c, parent, linked, l, group_of)))
        goto out;
    for (int64_t i = 0; i < l->n_keys; i++)
        l->keys[i].group = group_of[iffnet_i_uf_find_in(parent, l->keys[i].members[0])];
    if (l->n_keys > 1)
        qsort(l->keys, (size_t)l->n_keys, sizeof *l->keys, cmp_key);
out:
    for (int64_t i = 0; i < items.n; i++)
        free(items.a[i].value);
    free(items.a);
    free(kinds.names);
    free(parent);
    free(group_of);
    free(linked);
    if (err)
        iffnet_links_destroy(l);
    return err;
}

void iffnet_links_destroy(iffnet_links_t *l)
{
    for (int64_t i = 0; i < l->n_keys; i++) {
        free(l->keys[i].by);
        free(l->keys[i].value);
        free(l->keys[i].members);
    }
    free(l->keys);
    free(l->group_size);
    memset(l, 0, sizeof *l);
}
