/* config.c: named parameters from config files and --set. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include "core_internal.h"

int iffnet_config_init(iffnet_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    return IFFNET_OK;
}

void iffnet_config_destroy(iffnet_config_t *cfg)
{
    for (int64_t i = 0; i < cfg->n; i++) {
        free(cfg->keys[i]);
        free(cfg->values[i]);
        free(cfg->origin[i]);
    }
    free(cfg->keys);
    free(cfg->values);
    free(cfg->used);
    free(cfg->origin);
    memset(cfg, 0, sizeof *cfg);
}

static char *trimmed(const char *b, const char *e)
{
    while (b < e && isspace((unsigned char)*b)) b++;
    while (e > b && isspace((unsigned char)e[-1])) e--;
    char *s = malloc((size_t)(e - b) + 1);
    if (s) {
        memcpy(s, b, (size_t)(e - b));
        s[e - b] = '\0';
    }
    return s;
}

static int64_t find_key(const iffnet_config_t *cfg, const char *key)
{
    for (int64_t i = cfg->n - 1; i >= 0; i--)
        if (strcmp(cfg->keys[i], key) == 0) return i;
    return -1;
}

static int valid_key(const char *k)
{
    if (!*k) return 0;
    for (const char *p = k; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-') return 0;
    return 1;
}

int iffnet_config_set(iffnet_config_t *cfg, const char *assignment, const char *origin)
{
    const char *eq = strchr(assignment, '=');
    if (!eq) return iffnet_i_seterr(IFFNET_EDATA, "%s: expected key = value, got \"%s\"", origin, assignment);
    char *k = trimmed(assignment, eq), *v = trimmed(eq + 1, eq + strlen(eq));
    char *o = iffnet_i_strdup(origin);
    int err = IFFNET_OK;
    if (!k || !v || !o) err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    else if (!valid_key(k)) err = iffnet_i_seterr(IFFNET_EDATA, "%s: \"%s\" is not a parameter name", origin, k);
    if (!err) {
        int64_t cap = cfg->cap;
        if ((err = iffnet_i_reserve((void **)&cfg->keys, &cap, cfg->n + 1, sizeof *cfg->keys)) == 0) {
            cap = cfg->cap;
            err = iffnet_i_reserve((void **)&cfg->values, &cap, cfg->n + 1, sizeof *cfg->values);
        }
        if (!err) { cap = cfg->cap; err = iffnet_i_reserve((void **)&cfg->origin, &cap, cfg->n + 1, sizeof *cfg->origin); }
        if (!err) { cap = cfg->cap; err = iffnet_i_reserve((void **)&cfg->used, &cap, cfg->n + 1, sizeof *cfg->used); }
        if (!err) cfg->cap = cap;
    }
    if (err) {
        free(k);
        free(v);
        free(o);
        return err;
    }
    cfg->keys[cfg->n] = k;
    cfg->values[cfg->n] = v;
    cfg->origin[cfg->n] = o;
    cfg->used[cfg->n] = 0;
    cfg->n++;
    return IFFNET_OK;
}

/* key = value lines of an input ('#' starts a comment), each at most
 * IFFNET_I_MAX_RECORD bytes: a long line is one setting, never cut into several
 * (a fixed buffer did that at 4095 bytes). The input is closed here. */
static int read_settings(iffnet_config_t *cfg, const char *name, iffnet_i_in_t *in)
{
    iffnet_i_lines_t *lines = NULL;
    char *copy = NULL;
    size_t cap = 0;
    int err = iffnet_i_lines_open(&lines, in);
    while (!err) {
        const char *s;
        size_t n;
        if ((err = iffnet_i_lines_next(lines, &s, &n)) || !s) break;
        long long ln = (long long)iffnet_i_lines_number(lines);
        if (memchr(s, '\0', n)) {
            err = iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: a NUL byte in a settings file", name, ln);
            break;
        }
        if (n + 1 > cap) {
            char *p = realloc(copy, n + 1);
            if (!p) {
                err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
                break;
            }
            copy = p;
            cap = n + 1;
        }
        memcpy(copy, s, n);
        copy[n] = '\0';
        char *hash = strchr(copy, '#');
        if (hash) *hash = '\0';
        char *p = copy;
        while (isspace((unsigned char)*p)) p++;
        if (!*p) continue;
        char origin[512];
        snprintf(origin, sizeof origin, "%s:%lld", name, ln);
        err = iffnet_config_set(cfg, p, origin);
    }
    free(copy);
    iffnet_i_lines_close(lines);
    iffnet_i_in_close(in);
    return err;
}

int iffnet_config_read(iffnet_config_t *cfg, const char *path)
{
    iffnet_i_in_t *in;
    IFFNET_TRY(iffnet_i_in_open(&in, path));
    return read_settings(cfg, path, in);
}

int iffnet_config_read_mem(iffnet_config_t *cfg, const char *name, const void *data, size_t size)
{
    iffnet_i_in_t *in;
    IFFNET_TRY(iffnet_i_in_open_mem(&in, name, data ? data : "", size));
    return read_settings(cfg, name, in);
}

static const char *lookup(const iffnet_config_t *cfg, const char *key, const char **origin)
{
    int64_t i = find_key(cfg, key);
    if (i < 0) return NULL;
    /* Mark every setting of the key as read (later ones override earlier ones). */
    for (int64_t j = 0; j < cfg->n; j++)
        if (strcmp(cfg->keys[j], key) == 0) cfg->used[j] = 1;
    *origin = cfg->origin[i];
    return cfg->values[i];
}

int iffnet_config_double(const iffnet_config_t *cfg, const char *key, double def, double lo, double hi, double *out)
{
    const char *origin, *v = lookup(cfg, key, &origin);
    if (!v) {
        *out = def;
        return IFFNET_OK;
    }
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end || errno || !isfinite(d) || d < lo || d > hi)
        return iffnet_i_seterr(IFFNET_EDATA, "%s: %s = \"%s\" is not a number between %g and %g", origin, key, v, lo, hi);
    *out = d;
    return IFFNET_OK;
}

int iffnet_config_int(const iffnet_config_t *cfg, const char *key, int64_t def, int64_t lo, int64_t hi, int64_t *out)
{
    const char *origin, *v = lookup(cfg, key, &origin);
    if (!v) {
        *out = def;
        return IFFNET_OK;
    }
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (end == v || *end || errno || x < lo || x > hi)
        return iffnet_i_seterr(IFFNET_EDATA, "%s: %s = \"%s\" is not a whole number between %lld and %lld",
                               origin, key, v, (long long)lo, (long long)hi);
    *out = x;
    return IFFNET_OK;
}

int iffnet_config_duration(const iffnet_config_t *cfg, const char *key, int64_t def, int64_t *out)
{
    const char *origin, *v = lookup(cfg, key, &origin);
    if (!v) {
        *out = def;
        return IFFNET_OK;
    }
    if (iffnet_duration_parse(v, out))
        return iffnet_i_seterr(IFFNET_EDATA, "%s: %s = \"%s\" is not a duration (e.g. 30d, 12h, 90m)", origin, key, v);
    return IFFNET_OK;
}

int iffnet_config_money(const iffnet_config_t *cfg, const char *key, iffnet_money_t def, int scale, iffnet_money_t *out)
{
    const char *origin, *v = lookup(cfg, key, &origin);
    if (!v) {
        *out = def;
        return IFFNET_OK;
    }
    iffnet_amount_status_t st = iffnet_amount_parse(v, strlen(v), scale, NULL, out);
    if (st != IFFNET_AMOUNT_OK)
        return iffnet_i_seterr(IFFNET_EDATA, "%s: %s = \"%s\" %s", origin, key, v, iffnet_amount_status_str(st));
    return IFFNET_OK;
}

const char *iffnet_config_str(const iffnet_config_t *cfg, const char *key, const char *def)
{
    const char *origin, *v = lookup(cfg, key, &origin);
    return v ? v : def;
}

const char *iffnet_config_unused(const iffnet_config_t *cfg, const char **origin)
{
    for (int64_t i = 0; i < cfg->n; i++)
        if (!cfg->used[i]) {
            if (origin) *origin = cfg->origin[i];
            return cfg->keys[i];
        }
    return NULL;
}

/* ---- detector settings: "<prefix>.<name>", no config at all means defaults ---- */

static const char *setting_key(char *buf, size_t size, const char *prefix, const char *name)
{
    snprintf(buf, size, "%s.%s", prefix, name);
    return buf;
}

int iffnet_i_setting_int(const iffnet_config_t *cfg, const char *prefix, const char *name,
                         int64_t def, int64_t lo, int64_t hi, int64_t *out)
{
    char k[128];
    *out = def;
    return cfg ? iffnet_config_int(cfg, setting_key(k, sizeof k, prefix, name), def, lo, hi, out) : IFFNET_OK;
}

int iffnet_i_setting_double(const iffnet_config_t *cfg, const char *prefix, const char *name,
                            double def, double lo, double hi, double *out)
{
    char k[128];
    *out = def;
    return cfg ? iffnet_config_double(cfg, setting_key(k, sizeof k, prefix, name), def, lo, hi, out) : IFFNET_OK;
}

int iffnet_i_setting_duration(const iffnet_config_t *cfg, const char *prefix, const char *name,
                              int64_t def, int64_t *out)
{
    char k[128];
    *out = def;
    if (!cfg) return IFFNET_OK;
    IFFNET_TRY(iffnet_config_duration(cfg, setting_key(k, sizeof k, prefix, name), def, out));
    if (*out <= 0) return iffnet_i_seterr(IFFNET_EINVAL, "config key '%s': duration must be positive", k);
    return IFFNET_OK;
}

int iffnet_i_setting_money(const iffnet_config_t *cfg, const char *prefix, const char *name,
                           iffnet_money_t def, int scale, iffnet_money_t *out)
{
    char k[128];
    *out = def;
    return cfg ? iffnet_config_money(cfg, setting_key(k, sizeof k, prefix, name), def, scale, out) : IFFNET_OK;
}
