/* tz.c: time zones for timestamps written without one.
 *
 * A bank export in local time must become UTC with the offset in force on that
 * day, daylight saving included. The rules are the system's time-zone database
 * (TZif files, RFC 8536; Debian package tzdata), read here rather than through
 * setenv("TZ") + mktime, which would change the whole process's zone and is not
 * thread-safe. Times after the file's last transition follow its POSIX TZ
 * footer rule (RFC 8536 section 3.3), which is how "slim" TZif files describe
 * the present rules. */
#include <ctype.h>
#include <errno.h>
#include "core_internal.h"

typedef struct {
    int kind;           /* 'M' month.week.day, 'J' Julian 1..365 (no Feb 29), 'D' zero-based day */
    int m, w, d;
    int64_t time;       /* seconds after local midnight (may be negative or > 24 h) */
} rule_date_t;

typedef struct {
    int present;
    int64_t std_off, dst_off;   /* seconds east of UTC */
    int has_dst;
    rule_date_t start, end;
} posix_rule_t;

struct iffnet_tz {
    char *name;
    int64_t n;                  /* transitions */
    int64_t *at;                /* UTC times of the transitions */
    int64_t *off;               /* offset in force from at[i] on */
    int64_t first_off;          /* before the first transition */
    posix_rule_t rule;          /* after the last one */
};

static uint64_t be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v = v << 8 | p[i];
    return v;
}

/* ---- POSIX TZ strings: "CET-1CEST,M3.5.0,M10.5.0/3" ---- */

static int parse_name(const char **p)
{
    const char *s = *p;
    if (*s == '<') {
        while (*s && *s != '>') s++;
        if (*s != '>') return -1;
        *p = s + 1;
        return 0;
    }
    while (isalpha((unsigned char)*s)) s++;
    if (s - *p < 3) return -1;
    *p = s;
    return 0;
}

/* [+-]hh[:mm[:ss]] in seconds (sign as written). */
static int parse_hms(const char **p, int64_t *out)
{
    const char *s = *p;
    int sign = 1;
    if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*s)) return -1;
    int64_t v = 0, part = 0;
    while (isdigit((unsigned char)*s)) part = part * 10 + (*s++ - '0');
    if (part > 167) return -1;
    v = part * 3600;
    for (int k = 0; k < 2 && *s == ':'; k++) {
        s++;
        if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1])) return -1;
        part = (s[0] - '0') * 10 + (s[1] - '0');
        s += 2;
        v += k == 0 ? part * 60 : part;
    }
    *out = sign * v;
    *p = s;
    return 0;
}

static int parse_int(const char **p, int lo, int hi, int *out)
{
    const char *s = *p;
    if (!isdigit((unsigned char)*s)) return -1;
    int v = 0;
    while (isdigit((unsigned char)*s) && v <= hi) v = v * 10 + (*s++ - '0');
    if (v < lo || v > hi) return -1;
    *out = v;
    *p = s;
    return 0;
}

static int parse_rule_date(const char **p, rule_date_t *r)
{
    const char *s = *p;
    r->time = 7200;     /* 02:00 local unless given */
    if (*s == 'M') {
        s++;
        r->kind = 'M';
        if (parse_int(&s, 1, 12, &r->m) || *s++ != '.' || parse_int(&s, 1, 5, &r->w) || *s++ != '.' ||
            parse_int(&s, 0, 6, &r->d))
            return -1;
    } else if (*s == 'J') {
        s++;
        r->kind = 'J';
        if (parse_int(&s, 1, 365, &r->d)) return -1;
    } else {
        r->kind = 'D';
        if (parse_int(&s, 0, 365, &r->d)) return -1;
    }
    if (*s == '/') {
        s++;
        if (parse_hms(&s, &r->time)) return -1;
    }
    *p = s;
    return 0;
}

static int parse_posix(const char *s, posix_rule_t *r)
{
    int64_t std, dst;
    memset(r, 0, sizeof *r);
    if (parse_name(&s) || parse_hms(&s, &std)) return -1;
    r->std_off = -std;  /* POSIX offsets are west of UTC */
    r->dst_off = r->std_off;
    if (*s) {
        if (parse_name(&s)) return -1;
        r->has_dst = 1;
        r->dst_off = r->std_off + 3600;
        if (*s && *s != ',') {
            if (parse_hms(&s, &dst)) return -1;
            r->dst_off = -dst;
        }
        if (*s++ != ',' || parse_rule_date(&s, &r->start) || *s++ != ',' || parse_rule_date(&s, &r->end) || *s)
            return -1;
    }
    r->present = 1;
    return 0;
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 of rule date r in year y. */
static int64_t rule_day(const rule_date_t *r, int64_t y)
{
    int64_t jan1 = iffnet_days_from_civil(y, 1, 1);
    if (r->kind == 'J') return jan1 + r->d - 1 + (is_leap(y) && r->d >= 60);
    if (r->kind == 'D') return jan1 + r->d;
    int64_t first = iffnet_days_from_civil(y, (unsigned)r->m, 1);
    int dow = (int)(((first + 4) % 7 + 7) % 7);   /* 1970-01-01 was a Thursday */
    int64_t day = 1 + (r->d - dow + 7) % 7 + 7 * (r->w - 1);
    while (day > iffnet_days_in_month(y, (unsigned)r->m)) day -= 7;
    return first + day - 1;
}

static int64_t rule_offset(const posix_rule_t *r, iffnet_time_t t)
{
    if (!r->has_dst) return r->std_off;
    int64_t y;
    unsigned m, d;
    int64_t lt = t + r->std_off;
    iffnet_civil_from_days(lt >= 0 ? lt / 86400 : -((-lt + 86399) / 86400), &y, &m, &d);
    /* The change times are local: standard time before DST starts, DST before it ends. */
    int64_t start = rule_day(&r->start, y) * 86400 + r->start.time - r->std_off;
    int64_t end = rule_day(&r->end, y) * 86400 + r->end.time - r->dst_off;
    int dst = start < end ? t >= start && t < end : !(t >= end && t < start);
    return dst ? r->dst_off : r->std_off;
}

/* ---- TZif files ---- */

static int read_file(const char *path, unsigned char **buf, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    *buf = NULL;
    if (!fp) return -1;
    size_t cap = 1 << 16, n = 0;
    unsigned char *b = malloc(cap);
    while (b) {
        size_t k = fread(b + n, 1, cap - n, fp);
        n += k;
        if (k == 0) break;
        if (n == cap) {
            if (cap >= (1u << 22)) break; /* no TZif file is this large */
            unsigned char *nb = realloc(b, cap * 2);
            if (!nb) { free(b); b = NULL; break; }
            b = nb;
            cap *= 2;
        }
    }
    int bad = ferror(fp) || !b;
    fclose(fp);
    if (bad) { free(b); return -1; }
    *buf = b;
    *len = n;
    return 0;
}

/* Parses the version 2+ data block (64-bit times) and the footer. */
static int parse_tzif(iffnet_tz_t *tz, const unsigned char *b, size_t len)
{
    if (len < 44 || memcmp(b, "TZif", 4) != 0 || b[4] < '2') return -1;
    /* Skip the version 1 block. */
    uint64_t c[6];
    for (int i = 0; i < 6; i++) c[i] = be(b + 20 + 4 * i, 4);
    uint64_t skip = 44 + c[3] * 5 + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    if (skip + 44 > len) return -1;
    const unsigned char *h = b + skip;
    if (memcmp(h, "TZif", 4) != 0) return -1;
    uint64_t isut = be(h + 20, 4), isstd = be(h + 24, 4), leap = be(h + 28, 4), timecnt = be(h + 32, 4),
             typecnt = be(h + 36, 4), charcnt = be(h + 40, 4);
    if (typecnt == 0 || typecnt > 256 || timecnt > 100000 || leap > 10000 || charcnt > 100000) return -1;
    const unsigned char *p = h + 44;
    uint64_t body = timecnt * 9 + typecnt * 6 + charcnt + leap * 12 + isstd + isut;
    if ((uint64_t)(p - b) + body > len) return -1;
    const unsigned char *times = p, *idx = p + timecnt * 8, *types = idx + timecnt;
    tz->n = (int64_t)timecnt;
    tz->at = malloc((timecnt ? timecnt : 1) * sizeof *tz->at);
    tz->off = malloc((timecnt ? timecnt : 1) * sizeof *tz->off);
    if (!tz->at || !tz->off) return -2;
    for (uint64_t i = 0; i < timecnt; i++) {
        if (idx[i] >= typecnt) return -1;
        tz->at[i] = (int64_t)be(times + 8 * i, 8);
        tz->off[i] = (int32_t)be(types + 6 * idx[i], 4);
        if (i && tz->at[i] <= tz->at[i - 1]) return -1;
    }
    tz->first_off = (int32_t)be(types, 4);
    const unsigned char *f = p + body;
    if (f < b + len && *f == '\n') {
        const unsigned char *e = memchr(f + 1, '\n', (size_t)(b + len - f - 1));
        if (e && e > f + 1) {
            char rule[256];
            size_t n = (size_t)(e - f - 1);
            if (n < sizeof rule) {
                memcpy(rule, f + 1, n);
                rule[n] = '\0';
                if (parse_posix(rule, &tz->rule)) return -1;
            }
        }
    }
    return 0;
}

static int safe_zone_name(const char *name)
{
    /* A path inside zoneinfo_dir: no "..", no absolute path. */
    if (!*name || name[0] == '/' || strstr(name, "..")) return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_-+", *p)) return 0;
    return 1;
}

int iffnet_tz_load(iffnet_tz_t **out, const char *name, const char *dir)
{
    *out = NULL;
    iffnet_tz_t *tz = calloc(1, sizeof *tz);
    if (!tz || !(tz->name = iffnet_i_strdup(name ? name : "UTC"))) {
        free(tz);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    const char *s = tz->name;
    int64_t off;
    if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0) {
        *out = tz;
        return IFFNET_OK;
    }
    if ((s[0] == '+' || s[0] == '-') && parse_hms(&s, &off) == 0 && *s == '\0' && off > -86400 && off < 86400) {
        tz->first_off = off;
        *out = tz;
        return IFFNET_OK;
    }
    /* "+0530" as well as "+05:30". */
    if ((tz->name[0] == '+' || tz->name[0] == '-') && strlen(tz->name) == 5 && isdigit((unsigned char)tz->name[1])) {
        int hh = (tz->name[1] - '0') * 10 + tz->name[2] - '0', mm = (tz->name[3] - '0') * 10 + tz->name[4] - '0';
        if (isdigit((unsigned char)tz->name[3]) && isdigit((unsigned char)tz->name[4]) && hh < 24 && mm < 60) {
            tz->first_off = (tz->name[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
            *out = tz;
            return IFFNET_OK;
        }
    }
    if (!safe_zone_name(tz->name)) {
        iffnet_tz_free(tz);
        return iffnet_i_seterr(IFFNET_EINVAL, "'%s' is not a time zone (UTC, +HH:MM, or a name such as Europe/Berlin)", name);
    }
    char *path = iffnet_i_asprintf("%s/%s", dir ? dir : "/usr/share/zoneinfo", tz->name);
    unsigned char *buf = NULL;
    size_t len = 0;
    int r = path ? read_file(path, &buf, &len) : -2;
    if (r == 0) r = parse_tzif(tz, buf, len);
    free(buf);
    if (r) {
        int e = r == -2 ? iffnet_i_seterr(IFFNET_ENOMEM, "out of memory")
                        : iffnet_i_seterr(IFFNET_EINVAL, "unknown time zone '%s' (no valid zone file '%s'; Debian package tzdata)",
                                          name, path ? path : "");
        free(path);
        iffnet_tz_free(tz);
        return e;
    }
    free(path);
    *out = tz;
    return IFFNET_OK;
}

int64_t iffnet_tz_offset(const iffnet_tz_t *tz, iffnet_time_t t)
{
    if (tz->n == 0 || t < tz->at[0]) return tz->n == 0 && tz->rule.present ? rule_offset(&tz->rule, t) : tz->first_off;
    if (t >= tz->at[tz->n - 1] && tz->rule.present) return rule_offset(&tz->rule, t);
    int64_t lo = 0, hi = tz->n - 1;   /* last transition <= t */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (tz->at[mid] <= t) lo = mid;
        else hi = mid - 1;
    }
    return tz->off[lo];
}

iffnet_time_t iffnet_tz_to_utc(const iffnet_tz_t *tz, iffnet_time_t local)
{
    /* Offsets in force a day either side bracket every change near `local`. */
    int64_t cand[3] = {iffnet_tz_offset(tz, local - 93600), iffnet_tz_offset(tz, local),
                       iffnet_tz_offset(tz, local + 93600)};
    int found = 0;
    iffnet_time_t best = 0;
    for (int i = 0; i < 3; i++) {
        iffnet_time_t u = local - cand[i];
        if (iffnet_tz_offset(tz, u) == cand[i] && (!found || u < best)) {
            best = u;
            found = 1;
        }
    }
    return found ? best : local - cand[0];
}

const char *iffnet_tz_name(const iffnet_tz_t *tz) { return tz->name; }

void iffnet_tz_free(iffnet_tz_t *tz)
{
    if (!tz) return;
    free(tz->name);
    free(tz->at);
    free(tz->off);
    free(tz);
}
