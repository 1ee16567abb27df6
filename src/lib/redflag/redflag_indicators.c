/* redflag_indicators.c: the indicator lists (countries, sectors, keywords). */
#include <ctype.h>
#include <strings.h>
#include <unistd.h>
#include "redflag_internal.h"

#ifndef IFFNET_DATADIR
#define IFFNET_DATADIR "/usr/local/share/iffnet"
#endif

const char *iffnet_indicators_dir(const char *ctx_dir)
{
    /* The environment (IFFNET_DATADIR) is the caller's to read: the CLI resolves
     * it once and passes the directory in. */
    return ctx_dir && *ctx_dir ? ctx_dir : IFFNET_DATADIR;
}

int iffnet_i_rf_indicators(const iffnet_detect_ctx_t *ctx, iffnet_indicators_t *ind)
{
    int err = iffnet_indicators_load(ind, iffnet_indicators_dir(ctx->datadir));
    if (err == IFFNET_EIO) {
        char *msg = iffnet_i_strdup(iffnet_errmsg());
        if (!msg) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        iffnet_i_seterr(err, "%s (the wildlife indicator lists are installed with iffnet; "
                        "IFFNET_DATADIR=DIR names another directory)", msg);
        free(msg);
    }
    return err;
}

static void lower_ascii(char *s)
{
    for (; *s; s++) *s = (char)tolower((unsigned char)*s);
}

/* Opens dir/name and checks that the header starts with the expected columns. */
static int open_list(iffnet_csv_t **r, const char *dir, const char *name, char **path,
                     const char *const *cols, int ncols)
{
    int eof = 0, err;
    *r = NULL;
    if (!(*path = iffnet_i_asprintf("%s/%s", dir, name)))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if ((err = iffnet_csv_open(r, *path, ','))) return err;
    if ((err = iffnet_csv_next(*r, &eof))) return err;
    if (eof) return iffnet_i_seterr(IFFNET_EDATA, "%s: empty indicator list (no header)", *path);
    for (int i = 0; i < ncols; i++) {
        const char *f = i < iffnet_csv_nfields(*r) ? iffnet_csv_field(*r, i, NULL) : "";
        if (strcasecmp(f, cols[i]) != 0)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:1: column %d: expected '%s', found '%s'",
                                   *path, i + 1, cols[i], f);
    }
    return IFFNET_OK;
}

/* Next data row with at least `need` fields; skips blank rows and '#' comments. */
static int next_row(iffnet_csv_t *r, const char *path, int need, int *eof)
{
    for (;;) {
        IFFNET_TRY(iffnet_csv_next(r, eof));
        if (*eof) return IFFNET_OK;
        const char *f0 = iffnet_csv_field(r, 0, NULL);
        if (iffnet_csv_nfields(r) == 1 && *f0 == '\0') continue;
        if (*f0 == '#') continue;
        if (iffnet_csv_nfields(r) < need)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: expected %d columns, found %lld", path,
                                   (long long)iffnet_csv_line(r), need,
                                   (long long)iffnet_csv_nfields(r));
        for (int i = 0; i < need; i++)
            if (*iffnet_csv_field(r, i, NULL) == '\0')
                return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column %d is empty (every row cites its source)",
                                       path, (long long)iffnet_csv_line(r), i + 1);
        return IFFNET_OK;
    }
}

static int load_countries(iffnet_indicators_t *ind, const char *dir)
{
    static const char *const cols[] = { "code", "role", "citation" };
    iffnet_csv_t *r = NULL;
    char *path = NULL;
    int64_t cap = 0;
    int eof = 0, err = open_list(&r, dir, "countries.csv", &path, cols, 3);
    while (!err && !(err = next_row(r, path, 3, &eof)) && !eof) {
        const char *code = iffnet_csv_field(r, 0, NULL), *role = iffnet_csv_field(r, 1, NULL);
        unsigned bit = strcasecmp(role, "source") == 0 ? IFFNET_ROLE_SOURCE
                     : strcasecmp(role, "transit") == 0 ? IFFNET_ROLE_TRANSIT
                     : strcasecmp(role, "destination") == 0 ? IFFNET_ROLE_DESTINATION : 0;
        if (strlen(code) != 2 || !isalpha((unsigned char)code[0]) || !isalpha((unsigned char)code[1])) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'code': '%s' is not an ISO 3166 alpha-2 code",
                                  path, (long long)iffnet_csv_line(r), code);
            break;
        }
        if (!bit) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'role': '%s' is not source, transit or destination",
                                  path, (long long)iffnet_csv_line(r), role);
            break;
        }
        char up[3] = { (char)toupper((unsigned char)code[0]), (char)toupper((unsigned char)code[1]), 0 };
        int64_t i = 0;
        while (i < ind->n_countries && strcmp(ind->countries[i].code, up) != 0) i++;
        if (i == ind->n_countries) {
            if ((err = iffnet_i_reserve((void **)&ind->countries, &cap, i + 1, sizeof *ind->countries))) break;
            memcpy(ind->countries[i].code, up, 3);
            ind->countries[i].roles = 0;
            ind->n_countries++;
        }
        ind->countries[i].roles |= bit;
    }
    iffnet_csv_close(r);
    free(path);
    return err;
}

static int load_sectors(iffnet_indicators_t *ind, const char *dir)
{
    static const char *const cols[] = { "sector", "why", "citation" };
    iffnet_csv_t *r = NULL;
    char *path = NULL;
    int64_t cap = 0;
    int eof = 0, err = open_list(&r, dir, "sectors.csv", &path, cols, 3);
    while (!err && !(err = next_row(r, path, 3, &eof)) && !eof) {
        if ((err = iffnet_i_reserve((void **)&ind->sectors, &cap, ind->n_sectors + 1, sizeof *ind->sectors))) break;
        char *s = iffnet_i_strdup(iffnet_csv_field(r, 0, NULL));
        if (!s) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); break; }
        lower_ascii(s);
        ind->sectors[ind->n_sectors++] = s;
    }
    iffnet_csv_close(r);
    free(path);
    return err;
}

static int load_keywords(iffnet_indicators_t *ind, const char *dir)
{
    static const char *const cols[] = { "keyword", "language", "kind", "citation" };
    iffnet_csv_t *r = NULL;
    char *path = NULL;
    int64_t cap = 0;
    int eof = 0, err = open_list(&r, dir, "keywords.csv", &path, cols, 4);
    while (!err && !(err = next_row(r, path, 4, &eof)) && !eof) {
        const char *kind = iffnet_csv_field(r, 2, NULL);
        int covert = strcasecmp(kind, "covert") == 0 ? 1 : strcasecmp(kind, "overt") == 0 ? 0 : -1;
        if (covert < 0) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: column 'kind': '%s' is not covert or overt",
                                  path, (long long)iffnet_csv_line(r), kind);
            break;
        }
        if ((err = iffnet_i_reserve((void **)&ind->keywords, &cap, ind->n_keywords + 1, sizeof *ind->keywords))) break;
        iffnet_keyword_ind_t *k = &ind->keywords[ind->n_keywords];
        k->word = iffnet_i_strdup(iffnet_csv_field(r, 0, NULL));
        k->language = iffnet_i_strdup(iffnet_csv_field(r, 1, NULL));
        k->covert = covert;
        if (!k->word || !k->language) {
            free(k->word);
            free(k->language);
            err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            break;
        }
        lower_ascii(k->word);
        ind->n_keywords++;
    }
    iffnet_csv_close(r);
    free(path);
    return err;
}

/* Buckets the keywords by first byte (counting sort keeps list order). */
static int index_keywords(iffnet_indicators_t *ind)
{
    ind->kw_order = malloc((size_t)(ind->n_keywords + 1) * sizeof *ind->kw_order);
    if (!ind->kw_order) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    int64_t fill[257] = { 0 };
    memset(ind->kw_start, 0, sizeof ind->kw_start);
    for (int64_t i = 0; i < ind->n_keywords; i++) ind->kw_start[(unsigned char)ind->keywords[i].word[0] + 1]++;
    for (int b = 0; b < 256; b++) ind->kw_start[b + 1] += ind->kw_start[b];
    memcpy(fill, ind->kw_start, sizeof fill);
    for (int64_t i = 0; i < ind->n_keywords; i++) ind->kw_order[fill[(unsigned char)ind->keywords[i].word[0]]++] = i;
    return IFFNET_OK;
}

int iffnet_indicators_load(iffnet_indicators_t *ind, const char *dir)
{
    int err;
    memset(ind, 0, sizeof *ind);
    if (!(ind->dir = iffnet_i_strdup(dir))) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if ((err = load_countries(ind, dir)) || (err = load_sectors(ind, dir)) ||
        (err = load_keywords(ind, dir)) || (err = index_keywords(ind)))
        iffnet_indicators_destroy(ind);
    return err;
}

void iffnet_indicators_destroy(iffnet_indicators_t *ind)
{
    for (int64_t i = 0; i < ind->n_sectors; i++) free(ind->sectors[i]);
    for (int64_t i = 0; i < ind->n_keywords; i++) {
        free(ind->keywords[i].word);
        free(ind->keywords[i].language);
    }
    free(ind->sectors);
    free(ind->keywords);
    free(ind->countries);
    free(ind->kw_order);
    free(ind->dir);
    memset(ind, 0, sizeof *ind);
}

unsigned iffnet_indicators_country_roles(const iffnet_indicators_t *ind, const char *code)
{
    if (!code || strlen(code) != 2) return 0;
    char up[3] = { (char)toupper((unsigned char)code[0]), (char)toupper((unsigned char)code[1]), 0 };
    for (int64_t i = 0; i < ind->n_countries; i++)
        if (strcmp(ind->countries[i].code, up) == 0) return ind->countries[i].roles;
    return 0;
}

int iffnet_indicators_sector_listed(const iffnet_indicators_t *ind, const char *sector)
{
    if (!sector || !*sector) return 0;
    for (int64_t i = 0; i < ind->n_sectors; i++)
        if (strcasecmp(ind->sectors[i], sector) == 0) return 1;
    return 0;
}

static int is_word_char(unsigned char ch)
{
    return isalnum(ch) || ch >= 0x80;
}

/* Whole-word test at position p, so "scales" matches "pangolin scales" but not
 * "wholescales"; keywords in scripts without spaces (Chinese) start with a
 * non-ASCII byte and match anywhere. */
static int word_at(const char *text, const char *p, const char *w, size_t wl)
{
    if (strncmp(p, w, wl) != 0) return 0;
    if (isalnum((unsigned char)w[0]) && p > text && is_word_char((unsigned char)p[-1])) return 0;
    if (isalnum((unsigned char)w[wl - 1]) && is_word_char((unsigned char)p[wl])) return 0;
    return 1;
}

int64_t iffnet_indicators_match(const iffnet_indicators_t *ind, const char *text)
{
    char buf[1024];
    size_t n = 0;
    int64_t best = -1;
    if (!text || !*text || !ind->kw_order) return -1;
    for (; text[n] && n + 1 < sizeof buf; n++) buf[n] = (char)tolower((unsigned char)text[n]);
    buf[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)buf[i];
        for (int64_t k = ind->kw_start[b]; k < ind->kw_start[b + 1]; k++) {
            int64_t kw = ind->kw_order[k];
            const iffnet_keyword_ind_t *w = &ind->keywords[kw];
            if (!word_at(buf, buf + i, w->word, strlen(w->word))) continue;
            /* Overt words say more than covert ones; then list order. */
            if (best < 0 || (!w->covert && ind->keywords[best].covert) ||
                (w->covert == ind->keywords[best].covert && kw < best))
                best = kw;
        }
    }
    return best;
}
