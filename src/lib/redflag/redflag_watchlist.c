/* redflag_watchlist.c: watch-list screening (watchlist.h): reading the list
 * (CSV or FollowTheMoney JSON Lines), matching the case's entities by name and
 * identifier, and the watchlist red flag that turns hits into alerts. */
#include <errno.h>
#include <math.h>
#include <strings.h>
#include "redflag_internal.h"
#include "iffnet/json.h"
#include "iffnet/names.h"
#include "iffnet/watchlist.h"

/* ---- the list ---- */

static void entry_free(iffnet_watch_entry_t *e)
{
    for (int64_t i = 0; i < e->n_names; i++) {
        free(e->names[i]);
        free(e->norm[i]);
    }
    for (int64_t i = 0; i < e->n_ids; i++) free(e->ids[i]);
    for (int64_t i = 0; i < e->n_countries; i++) free(e->countries[i]);
    free(e->names);
    free(e->norm);
    free(e->ids);
    free(e->countries);
    free(e->id);
    free(e->kind);
    free(e->source);
}

void iffnet_watchlist_destroy(iffnet_watchlist_t *w)
{
    for (int64_t i = 0; i < w->n; i++) entry_free(&w->entries[i]);
    free(w->entries);
    free(w->path);
    memset(w, 0, sizeof *w);
}

static int push_str(char ***v, int64_t *n, char *s)
{
    char **g;
    if (!s) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (!(g = realloc(*v, (size_t)(*n + 1) * sizeof *g))) {
        free(s);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    *v = g;
    g[(*n)++] = s;
    return IFFNET_OK;
}

/* A name as written and normalised; names that normalise to nothing are left out. */
static int add_name(iffnet_watch_entry_t *e, const char *s)
{
    char *norm = iffnet_name_normalise(s);
    int64_t n = e->n_names;
    if (!norm) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (!norm[0]) {
        free(norm);
        return IFFNET_OK;
    }
    for (int64_t i = 0; i < e->n_names; i++)
        if (strcmp(e->norm[i], norm) == 0) { /* an alias that only repeats the name */
            free(norm);
            return IFFNET_OK;
        }
    IFFNET_TRY(push_str(&e->names, &n, iffnet_i_strdup(s)));
    return push_str(&e->norm, &e->n_names, norm);
}

static int add_id(iffnet_watch_entry_t *e, const char *s)
{
    char *id = iffnet_id_normalise(s);
    if (!id) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (strlen(id) < 5) { /* "1", "NA": not an identifier that can single anyone out */
        free(id);
        return IFFNET_OK;
    }
    return push_str(&e->ids, &e->n_ids, id);
}

static int add_country(iffnet_watch_entry_t *e, const char *s)
{
    char *k = iffnet_i_strdup(s);
    if (!k) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (char *p = k; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    if (!k[0]) {
        free(k);
        return IFFNET_OK;
    }
    return push_str(&e->countries, &e->n_countries, k);
}

/* Calls add(e, value) for each ';'-separated, trimmed value of s. */
static int each_value(iffnet_watch_entry_t *e, const char *s, int (*add)(iffnet_watch_entry_t *, const char *))
{
    char *copy = iffnet_i_strdup(s), *save = NULL;
    int err = IFFNET_OK;
    if (!copy) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (char *v = strtok_r(copy, ";", &save); v && !err; v = strtok_r(NULL, ";", &save)) {
        while (*v == ' ') v++;
        size_t n = strlen(v);
        while (n && v[n - 1] == ' ') v[--n] = '\0';
        if (n) err = add(e, v);
    }
    free(copy);
    return err;
}

static iffnet_watch_entry_t *new_entry(iffnet_watchlist_t *w, int64_t line)
{
    if (iffnet_i_reserve((void **)&w->entries, &w->cap, w->n + 1, sizeof *w->entries)) return NULL;
    iffnet_watch_entry_t *e = &w->entries[w->n++];
    memset(e, 0, sizeof *e);
    e->line = line;
    return e;
}

/* ---- CSV ---- */

enum { COL_NAME, COL_ID, COL_KIND, COL_COUNTRY, COL_IDS, COL_ALIASES, COL_SOURCE, N_COLS };
static const char *const col_names[N_COLS] = {"name", "id", "kind", "country", "identifiers", "aliases", "source"};

static int read_csv(iffnet_watchlist_t *w, const char *path)
{
    iffnet_csv_t *f = NULL;
    int64_t col[N_COLS];
    int eof = 0, err;
    if ((err = iffnet_csv_open(&f, path, ','))) return err;
    if ((err = iffnet_csv_next(f, &eof))) goto out;
    for (int k = 0; k < N_COLS; k++) col[k] = -1;
    for (int64_t i = 0; !eof && i < iffnet_csv_nfields(f); i++)
        for (int k = 0; k < N_COLS; k++)
            if (strcmp(iffnet_csv_field(f, i, NULL), col_names[k]) == 0) col[k] = i;
    if (col[COL_NAME] < 0) {
        err = iffnet_i_seterr(IFFNET_EDATA, "%s:1: the header has no column 'name' (a watch list needs "
                              "name, and may have id, kind, country, identifiers, aliases, source)", path);
        goto out;
    }
    while (!(err = iffnet_csv_next(f, &eof)) && !eof) {
        int64_t line = iffnet_csv_line(f), nf = iffnet_csv_nfields(f);
        const char *v[N_COLS];
        iffnet_watch_entry_t *e;
        for (int k = 0; k < N_COLS; k++) v[k] = col[k] >= 0 && col[k] < nf ? iffnet_csv_field(f, col[k], NULL) : "";
        if (!v[COL_NAME][0]) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'name': the name is empty", path, (long long)line);
            break;
        }
        if (!(e = new_entry(w, line))) { err = IFFNET_ENOMEM; break; }
        e->id = v[COL_ID][0] ? iffnet_i_strdup(v[COL_ID]) : iffnet_i_asprintf("line %lld", (long long)line);
        e->kind = iffnet_i_strdup(v[COL_KIND]);
        e->source = iffnet_i_strdup(v[COL_SOURCE]);
        if (!e->id || !e->kind || !e->source) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); break; }
        if ((err = add_name(e, v[COL_NAME])) || (err = each_value(e, v[COL_ALIASES], add_name)) ||
            (err = each_value(e, v[COL_IDS], add_id)) || (err = each_value(e, v[COL_COUNTRY], add_country)))
            break;
        if (!e->n_names) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'name': \"%s\" has no letter or digit", path,
                                  (long long)line, v[COL_NAME]);
            break;
        }
    }
out:
    iffnet_csv_close(f);
    return err;
}

/* ---- FollowTheMoney JSON Lines ---- */

static int is_party(const char *schema)
{
    static const char *const parties[] = {"Person", "Company", "Organization", "LegalEntity", "PublicBody", NULL};
    for (int i = 0; parties[i]; i++)
        if (strcmp(schema, parties[i]) == 0) return 1;
    return 0;
}

/* The string values of properties[key] through add(). */
static int ftm_values(iffnet_watch_entry_t *e, const iffnet_json_t *props, const char *key, const char *path,
                      int (*add)(iffnet_watch_entry_t *, const char *))
{
    const iffnet_json_t *v = iffnet_json_get(props, key);
    if (!v) return IFFNET_OK;
    if (v->type != IFFNET_JSON_ARRAY)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: property '%s' is not an array", path, (long long)v->line,
                               (long long)v->col, key);
    for (int64_t i = 0; i < v->n; i++) {
        const iffnet_json_t *s = &v->items[i];
        if (s->type != IFFNET_JSON_STRING)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: property '%s' holds %s, not a string", path,
                                   (long long)s->line, (long long)s->col, key, iffnet_json_type_name(s->type));
        IFFNET_TRY(add(e, s->str));
    }
    return IFFNET_OK;
}

static int ftm_entity(iffnet_watchlist_t *w, const iffnet_json_t *o, const char *path, int64_t line)
{
    static const char *const names[] = {"name", "alias", "previousName", "weakAlias", NULL};
    static const char *const ids[] = {"registrationNumber", "idNumber", "taxNumber", "passportNumber", "innCode",
                                      "ogrnCode", "leiCode", "vatCode", "swiftBic", "imoNumber", "email", "phone",
                                      NULL};
    static const char *const countries[] = {"country", "nationality", "jurisdiction", "citizenship", NULL};
    const iffnet_json_t *id = iffnet_json_get(o, "id"), *schema = iffnet_json_get(o, "schema");
    const iffnet_json_t *props = iffnet_json_get(o, "properties"), *ds = iffnet_json_get(o, "datasets");
    iffnet_watch_entry_t *e;
    if (o->type != IFFNET_JSON_OBJECT || !schema || schema->type != IFFNET_JSON_STRING)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: not an entity (an object with \"schema\")", path,
                               (long long)line);
    if (!is_party(schema->str)) {
        w->n_skipped++;
        return IFFNET_OK;
    }
    if (!props || props->type != IFFNET_JSON_OBJECT)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: entity has no \"properties\" object", path, (long long)line);
    if (!(e = new_entry(w, line))) return IFFNET_ENOMEM;
    e->id = id && id->type == IFFNET_JSON_STRING ? iffnet_i_strdup(id->str) : iffnet_i_asprintf("line %lld", (long long)line);
    e->kind = iffnet_i_strdup(schema->str);
    e->source = iffnet_i_strdup(ds && ds->type == IFFNET_JSON_ARRAY && ds->n > 0 && ds->items[0].type == IFFNET_JSON_STRING
                                    ? ds->items[0].str : "");
    if (!e->id || !e->kind || !e->source) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int i = 0; names[i]; i++) IFFNET_TRY(ftm_values(e, props, names[i], path, add_name));
    for (int i = 0; ids[i]; i++) IFFNET_TRY(ftm_values(e, props, ids[i], path, add_id));
    for (int i = 0; countries[i]; i++) IFFNET_TRY(ftm_values(e, props, countries[i], path, add_country));
    if (!e->n_names && !e->n_ids) { /* nothing to match it by */
        entry_free(e);
        w->n--;
        w->n_skipped++;
    }
    return IFFNET_OK;
}

/* One entity a line, each at most IFFNET_I_MAX_RECORD bytes (a list that never
 * ends a line is refused at its first, not read into memory whole). */
static int read_ftm(iffnet_watchlist_t *w, const char *path)
{
    iffnet_i_in_t *in = NULL;
    iffnet_i_lines_t *lines = NULL;
    int err = iffnet_i_in_open(&in, path);
    if (!err) err = iffnet_i_lines_open(&lines, in);
    while (!err) {
        iffnet_json_t *v = NULL;
        iffnet_json_opts_t o = {path, 0, 0, 0};
        const char *s;
        size_t got;
        if ((err = iffnet_i_lines_next(lines, &s, &got)) || !s) break;
        int64_t line = iffnet_i_lines_number(lines);
        size_t k = 0;
        while (k < got && (s[k] == ' ' || s[k] == '\t')) k++;
        if (k == got) continue;
        o.first_line = line;
        if (!(err = iffnet_json_parse(&v, s, got, &o))) err = ftm_entity(w, v, path, line);
        iffnet_json_free(v);
    }
    iffnet_i_lines_close(lines);
    iffnet_i_in_close(in);
    return err;
}

int iffnet_watchlist_read(iffnet_watchlist_t *w, const char *path)
{
    FILE *fp;
    int c, err;
    memset(w, 0, sizeof *w);
    if (!(w->path = iffnet_i_strdup(path))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (!(fp = fopen(path, "rb"))) {
        err = iffnet_i_seterr(IFFNET_EIO, "cannot open watch list '%s': %s", path, strerror(errno));
        goto out;
    }
    do c = getc(fp); while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
    if (c == '{') {
        fclose(fp);
        err = read_ftm(w, path);
    } else {
        fclose(fp);
        err = read_csv(w, path);
    }
out:
    if (err) {
        iffnet_watchlist_destroy(w);
        memset(w, 0, sizeof *w);
    }
    return err;
}

/* ---- matching ---- */

void iffnet_watch_opts_default(iffnet_watch_opts_t *o)
{
    o->min_score = 0.8;
    o->max_block = 1000;
    o->max_pairs = 50000000;
}

void iffnet_watch_hits_destroy(iffnet_watch_hits_t *h)
{
    for (int64_t i = 0; i < h->n; i++) free(h->items[i].matched);
    free(h->items);
    memset(h, 0, sizeof *h);
}

/* Keys -> entries (blocking words, word prefixes, identifiers) in compressed rows. */
typedef struct {
    iffnet_strtab_t keys;
    int64_t *off;            /* entries of key k: ent[off[k] .. off[k+1]) */
    int64_t *ent;
} index_t;

static void index_free(index_t *x)
{
    iffnet_strtab_destroy(&x->keys);
    free(x->off);
    free(x->ent);
}

/* The blocking keys of a normalised name: its words, and the first four letters
 * of its words of five letters or more (marked by a leading '~'). */
static int name_keys(const char *norm, iffnet_i_vec_t *out, iffnet_strtab_t *keys, int add)
{
    char key[72];
    for (const char *p = norm; *p;) {
        while (*p == ' ') p++;
        if (!*p) break;
        size_t n = strcspn(p, " ");
        for (int pass = 0; pass < 2; pass++) {
            size_t kl;
            if (pass == 0) {
                if (n >= sizeof key) break;
                memcpy(key, p, n);
                kl = n;
            } else {
                if (n < 5) break;
                key[0] = '~';
                memcpy(key + 1, p, 4);
                kl = 5;
            }
            int64_t id;
            if (add) IFFNET_TRY(iffnet_strtab_intern(keys, key, kl, &id, NULL));
            else if ((id = iffnet_strtab_find(keys, key, kl)) < 0) continue;
            IFFNET_TRY(iffnet_i_vec_push(out, id));
        }
        p += n;
    }
    return IFFNET_OK;
}

static int cmp_pair(const void *pa, const void *pb)
{
    const int64_t *a = pa, *b = pb;
    if (a[0] != b[0]) return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

/* Builds the name index (names != 0) or the identifier index of the list. */
static int index_build(const iffnet_watchlist_t *w, int names, index_t *x)
{
    iffnet_i_vec_t ks = {0}, pairs = {0};
    int err = iffnet_strtab_init(&x->keys);
    x->off = x->ent = NULL;
    for (int64_t e = 0; !err && e < w->n; e++) {
        const iffnet_watch_entry_t *en = &w->entries[e];
        iffnet_i_vec_clear(&ks);
        if (names) {
            for (int64_t i = 0; !err && i < en->n_names; i++) err = name_keys(en->norm[i], &ks, &x->keys, 1);
        } else {
            for (int64_t i = 0; !err && i < en->n_ids; i++) {
                int64_t id;
                if (!(err = iffnet_strtab_intern(&x->keys, en->ids[i], strlen(en->ids[i]), &id, NULL)))
                    err = iffnet_i_vec_push(&ks, id);
            }
        }
        for (int64_t i = 0; !err && i < ks.n; i++)
            if (!(err = iffnet_i_vec_push(&pairs, ks.v[i]))) err = iffnet_i_vec_push(&pairs, e);
    }
    if (!err) {
        int64_t np = pairs.n / 2, nk = x->keys.n, m = 0;
        iffnet_i_sort(pairs.v, (size_t)np, 2 * sizeof *pairs.v, cmp_pair);
        x->off = calloc((size_t)nk + 2, sizeof *x->off);
        x->ent = malloc(((size_t)np + 1) * sizeof *x->ent);
        if (!x->off || !x->ent) {
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        } else {
            for (int64_t i = 0; i < np; i++) {
                int64_t k = pairs.v[2 * i], e = pairs.v[2 * i + 1];
                if (i && pairs.v[2 * (i - 1)] == k && pairs.v[2 * (i - 1) + 1] == e) continue;
                x->ent[m++] = e;
                x->off[k + 1]++;
            }
            for (int64_t k = 0; k < nk; k++) x->off[k + 1] += x->off[k];
        }
    }
    iffnet_i_vec_free(&ks);
    iffnet_i_vec_free(&pairs);
    if (err) index_free(x);
    return err;
}

/* Identifier attributes of entities (iffnet-formats(5), entities file). */
static int is_id_attr(const char *name)
{
    static const char *const ids[] = {"registration", "registration_number", "company_number", "tax_id",
                                      "tax_number", "vat", "vat_number", "lei", "passport", "passport_number",
                                      "id_number", "national_id", "swift", "bic", "inn", "ogrn", "imo",
                                      "email", "phone", NULL};
    for (int i = 0; ids[i]; i++)
        if (strcmp(name, ids[i]) == 0) return 1;
    return 0;
}

/* Whether entity e is screened: it has a name, and it is not the record of an
 * account that a screened holder holds (the holder stands for it). */
static int screened(const iffnet_case_t *c, const char *holder_of, int64_t e)
{
    const char *kind = iffnet_case_text(c, c->entity_kind[e]);
    if (c->entity_name[e] < 0 || !iffnet_case_text(c, c->entity_name[e])[0]) return 0;
    return strcmp(kind, "account") != 0 || !holder_of[e];
}

/* 1 same country, -1 different, 0 unknown. */
static int country_agrees(const iffnet_case_t *c, int64_t e, const iffnet_watch_entry_t *en)
{
    const char *k = iffnet_case_text(c, c->entity_country[e]);
    if (!k[0] || en->n_countries == 0) return 0;
    for (int64_t i = 0; i < en->n_countries; i++)
        if (strcasecmp(en->countries[i], k) == 0) return 1;
    return -1;
}

static int add_hit(iffnet_watch_hits_t *h, int64_t e, int64_t entry, double score, int by_id, int64_t name,
                   const char *matched, int country)
{
    /* One hit per (entity, entry): a later, better match replaces it. */
    for (int64_t i = h->n - 1; i >= 0 && h->items[i].entity == e; i--) {
        iffnet_watch_hit_t *x = &h->items[i];
        if (x->entry != entry) continue;
        if (score <= x->score && !(by_id && !x->by_id && score == x->score)) return IFFNET_OK;
        char *m = iffnet_i_strdup(matched);
        if (!m) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        free(x->matched);
        *x = (iffnet_watch_hit_t){e, entry, score, by_id, name, m, country};
        return IFFNET_OK;
    }
    IFFNET_TRY(iffnet_i_reserve((void **)&h->items, &h->cap, h->n + 1, sizeof *h->items));
    char *m = iffnet_i_strdup(matched);
    if (!m) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    h->items[h->n++] = (iffnet_watch_hit_t){e, entry, score, by_id, name, m, country};
    return IFFNET_OK;
}

/* The entries sharing a blocking key with the entity's name, compared. */
static int match_name(const iffnet_case_t *c, const iffnet_watchlist_t *w, const iffnet_watch_opts_t *o,
                      const index_t *x, int64_t e, int64_t *stamp, iffnet_i_vec_t *ks, iffnet_watch_hits_t *h)
{
    char *norm = iffnet_name_normalise(iffnet_case_text(c, c->entity_name[e]));
    int64_t use[2] = {-1, -1};
    int err = IFFNET_OK;
    if (!norm) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    iffnet_i_vec_clear(ks);
    if (!norm[0] || (err = name_keys(norm, ks, (iffnet_strtab_t *)&x->keys, 0))) goto out;
    /* the two rarest usable keys */
    for (int64_t i = 0; i < ks->n; i++) {
        int64_t k = ks->v[i], cnt = x->off[k + 1] - x->off[k];
        if (cnt > o->max_block || k == use[0] || k == use[1]) continue;
        if (use[0] < 0 || cnt < x->off[use[0] + 1] - x->off[use[0]]) use[1] = use[0], use[0] = k;
        else if (use[1] < 0 || cnt < x->off[use[1] + 1] - x->off[use[1]]) use[1] = k;
    }
    for (int u = 0; u < 2 && use[u] >= 0 && !err; u++)
        for (int64_t p = x->off[use[u]]; p < x->off[use[u] + 1] && !err; p++) {
            int64_t en = x->ent[p];
            const iffnet_watch_entry_t *we = &w->entries[en];
            double best = 0;
            int64_t bn = -1;
            if (stamp[en] == e) continue;
            stamp[en] = e;
            if (h->pairs + we->n_names > o->max_pairs) {
                h->cut = 1;
                goto out;
            }
            for (int64_t i = 0; i < we->n_names; i++) {
                double s = iffnet_name_similarity(norm, we->norm[i]);
                h->pairs++;
                if (s > best) best = s, bn = i;
            }
            int agree = country_agrees(c, e, we);
            if (agree < 0) best *= 0.9;
            if (bn >= 0 && best >= o->min_score) err = add_hit(h, e, en, best, 0, bn, we->norm[bn], agree);
        }
out:
    free(norm);
    return err;
}

static int match_ids(const iffnet_case_t *c, const iffnet_watchlist_t *w, const iffnet_watch_opts_t *o,
                     const index_t *x, int64_t e, iffnet_watch_hits_t *h)
{
    int err = IFFNET_OK;
    for (int64_t a = 0; a < c->n_attrs && !err; a++) {
        if (!is_id_attr(iffnet_strtab_get(&c->attr_names, a))) continue;
        char *id = iffnet_id_normalise(iffnet_case_text(c, c->entity_attr[e * c->n_attrs + a]));
        if (!id) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        int64_t k = strlen(id) >= 5 ? iffnet_strtab_find((iffnet_strtab_t *)&x->keys, id, strlen(id)) : -1;
        for (int64_t p = k >= 0 ? x->off[k] : 0; k >= 0 && p < x->off[k + 1] && !err; p++) {
            int agree = country_agrees(c, e, &w->entries[x->ent[p]]);
            double s = agree < 0 ? 0.9 : 1.0;
            if (s >= o->min_score) err = add_hit(h, e, x->ent[p], s, 1, -1, id, agree);
        }
        free(id);
    }
    return err;
}

static int cmp_hit(const void *pa, const void *pb)
{
    const iffnet_watch_hit_t *a = pa, *b = pb;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    if (a->entity != b->entity) return a->entity < b->entity ? -1 : 1;
    return (a->entry > b->entry) - (a->entry < b->entry);
}

int iffnet_watchlist_screen(const iffnet_case_t *c, const iffnet_watchlist_t *w,
                            const iffnet_watch_opts_t *o, iffnet_watch_hits_t *h)
{
    index_t names, ids;
    iffnet_i_vec_t ks = {0};
    int64_t *stamp = NULL;
    char *holder_of = NULL;
    int err;
    memset(h, 0, sizeof *h);
    if ((err = index_build(w, 1, &names))) return err;
    if ((err = index_build(w, 0, &ids))) {
        index_free(&names);
        return err;
    }
    stamp = malloc(((size_t)w->n + 1) * sizeof *stamp);
    holder_of = calloc((size_t)c->n_entities + 1, 1);
    if (!stamp || !holder_of) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < w->n; i++) stamp[i] = -1;
    for (int64_t a = 0; a < c->n_accounts; a++)
        if (c->account_entity && c->account_entity[a] >= 0 && c->account_holder && c->account_holder[a] >= 0)
            holder_of[c->account_entity[a]] = 1;
    for (int64_t e = 0; e < c->n_entities && !err; e++) {
        if (!screened(c, holder_of, e)) continue;
        err = match_ids(c, w, o, &ids, e, h);
        if (!err && !h->cut) err = match_name(c, w, o, &names, e, stamp, &ks, h);
    }
    if (!err) iffnet_i_sort(h->items, (size_t)h->n, sizeof *h->items, cmp_hit);
out:
    free(stamp);
    free(holder_of);
    iffnet_i_vec_free(&ks);
    index_free(&names);
    index_free(&ids);
    if (err) iffnet_watch_hits_destroy(h);
    return err;
}

/* ---- the red flag ---- */

/* Accounts an entity stands behind: its own and held ones, and those of the
 * companies it directs or owns (relations director_of, owns). */
static int entity_accounts(const iffnet_case_t *c, int64_t e, iffnet_i_vec_t *acc, int64_t *n_own)
{
    for (int64_t a = 0; a < c->n_accounts; a++)
        if ((c->account_entity && c->account_entity[a] == e) || (c->account_holder && c->account_holder[a] == e))
            IFFNET_TRY(iffnet_i_vec_push(acc, a));
    *n_own = acc->n;
    for (int64_t r = 0; r < c->n_relations; r++) {
        const char *type = iffnet_case_text(c, c->rel_type[r]);
        if (c->rel_src_entity[r] != e) continue;
        int64_t d = c->rel_dst_entity[r];
        if (c->rel_src_entity[r] != e || (strcmp(type, "director_of") && strcmp(type, "owns"))) continue;
        if (c->rel_dst_account[r] >= 0) IFFNET_TRY(iffnet_i_vec_push(acc, c->rel_dst_account[r]));
        for (int64_t a = 0; d >= 0 && a < c->n_accounts; a++)
            if ((c->account_entity && c->account_entity[a] == d) || (c->account_holder && c->account_holder[a] == d))
                IFFNET_TRY(iffnet_i_vec_push(acc, a));
    }
    return IFFNET_OK;
}

static int hit_reason(iffnet_alert_t *al, const iffnet_case_t *c, const iffnet_watchlist_t *w,
                      const iffnet_watch_hit_t *h)
{
    const iffnet_watch_entry_t *en = &w->entries[h->entry];
    const char *country = h->country > 0 ? "; same country" : h->country < 0 ? "; but the countries differ (score x 0.9)" : "";
    char src[160] = "";
    if (en->source[0]) snprintf(src, sizeof src, " of list '%s'", en->source);
    if (h->by_id)
        return iffnet_alert_add_reason(al, "%s '%s' has identifier %s, as watch-list entry %s '%s'%s (line %lld): "
                                       "score %.2f%s", iffnet_strtab_get(&c->entity_ids, h->entity),
                                       iffnet_case_text(c, c->entity_name[h->entity]), h->matched, en->id,
                                       en->n_names ? en->names[0] : "", src, (long long)en->line, h->score, country);
    char *mine = iffnet_name_normalise(iffnet_case_text(c, c->entity_name[h->entity]));
    int err;
    if (!mine) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (strcmp(mine, h->matched) == 0)
        err = iffnet_alert_add_reason(al, "%s '%s' matches watch-list entry %s '%s'%s (line %lld): both names read "
                                      "'%s' after normalisation, score %.2f%s", iffnet_strtab_get(&c->entity_ids, h->entity),
                                      iffnet_case_text(c, c->entity_name[h->entity]), en->id, en->names[h->name], src,
                                      (long long)en->line, mine, h->score, country);
    else
        err = iffnet_alert_add_reason(al, "%s '%s' matches watch-list entry %s '%s'%s (line %lld): '%s' and '%s' "
                                      "after normalisation, score %.2f%s", iffnet_strtab_get(&c->entity_ids, h->entity),
                                      iffnet_case_text(c, c->entity_name[h->entity]), en->id, en->names[h->name], src,
                                      (long long)en->line, mine, h->matched, h->score, country);
    free(mine);
    return err;
}

/* One alert per screened entity with hits: its best hit scores it, up to three
 * are named. */
static int entity_alert(const iffnet_detect_ctx_t *ctx, const iffnet_watchlist_t *w, const iffnet_watch_hits_t *h,
                        const int64_t *idx, int64_t n, iffnet_alert_list_t *out)
{
    const iffnet_case_t *c = ctx->c;
    iffnet_i_vec_t acc = {0}, tx = {0};
    iffnet_alert_t *al;
    int64_t e = h->items[idx[0]].entity, n_own = 0;
    char *mark = NULL;
    int err = entity_accounts(c, e, &acc, &n_own);
    if (err) goto out;
    if (!(mark = calloc((size_t)c->n_accounts + 1, 1))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < acc.n; i++) mark[acc.v[i]] = 1;
    for (int64_t t = 0; t < c->n_tx && !err; t++)
        if (mark[c->tx_src[t]] || mark[c->tx_dst[t]]) err = iffnet_i_vec_push(&tx, t);
    /* distinct accounts, own ones first counted */
    {
        int64_t k = 0;
        for (int64_t i = 0; i < acc.n; i++)
            if (mark[acc.v[i]] == 1) {
                mark[acc.v[i]] = 2;
                acc.v[k++] = acc.v[i];
            } else if (i < n_own) {
                n_own--;
            }
        acc.n = k;
    }
    if (err || (err = iffnet_alert_list_add(out, IFFNET_TYP_WATCHLIST, h->items[idx[0]].score, acc.v, acc.n, tx.v,
                                            tx.n, &al)))
        goto out;
    for (int64_t i = 0; i < n && i < 3 && !err; i++) err = hit_reason(al, c, w, &h->items[idx[i]]);
    if (!err && n > 3) err = iffnet_alert_add_reason(al, "and %lld further watch-list entries", (long long)(n - 3));
    if (!err && acc.n == 0) err = iffnet_alert_add_reason(al, "the entity holds, directs or owns no account of the case");
    else if (!err && acc.n > n_own)
        err = iffnet_alert_add_reason(al, "%lld account(s) held, %lld of companies it directs or owns",
                                      (long long)n_own, (long long)(acc.n - n_own));
out:
    free(mark);
    iffnet_i_vec_free(&acc);
    iffnet_i_vec_free(&tx);
    return err;
}

static int cmp_by_entity(const void *pa, const void *pb, void *arg)
{
    const iffnet_watch_hits_t *h = arg;
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    if (h->items[a].entity != h->items[b].entity) return h->items[a].entity < h->items[b].entity ? -1 : 1;
    return a < b ? -1 : a > b; /* hits are by score: the best first */
}

int iffnet_redflag_watchlist(const iffnet_detect_ctx_t *ctx, iffnet_alert_list_t *out)
{
    const char *path = iffnet_config_str(ctx->cfg, "watchlist.file", NULL);
    iffnet_watchlist_t w;
    iffnet_watch_opts_t o;
    iffnet_watch_hits_t h;
    int64_t *idx = NULL;
    int err;
    iffnet_watch_opts_default(&o);
    IFFNET_TRY(iffnet_i_setting_double(ctx->cfg, "watchlist", "min_score", o.min_score, 0.5, 1, &o.min_score));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "watchlist", "max_block", o.max_block, 1, INT64_MAX, &o.max_block));
    IFFNET_TRY(iffnet_i_setting_int(ctx->cfg, "watchlist", "max_pairs", o.max_pairs, 1, INT64_MAX, &o.max_pairs));
    if (!path || !path[0]) return IFFNET_OK; /* no list given: nothing to screen */
    IFFNET_TRY(iffnet_watchlist_read(&w, path));
    if ((err = iffnet_watchlist_screen(ctx->c, &w, &o, &h))) goto out;
    if (h.cut && ctx->note)
        ctx->note(ctx->note_arg, "watchlist: screening stopped after %lld name comparisons (watchlist.max_pairs); "
                  "entities after the cut were screened by identifier only", (long long)h.pairs);
    if (!(idx = malloc(((size_t)h.n + 1) * sizeof *idx))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    for (int64_t i = 0; i < h.n; i++) idx[i] = i;
    qsort_r(idx, (size_t)h.n, sizeof *idx, cmp_by_entity, &h);
    for (int64_t i = 0, j; i < h.n && !err; i = j) {
        for (j = i + 1; j < h.n && h.items[idx[j]].entity == h.items[idx[i]].entity; j++) {}
        err = entity_alert(ctx, &w, &h, idx + i, j - i, out);
    }
out:
    free(idx);
    iffnet_watch_hits_destroy(&h);
    iffnet_watchlist_destroy(&w);
    return err;
}
