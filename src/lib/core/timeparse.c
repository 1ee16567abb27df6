/* timeparse.c: timestamps and durations, all in UTC seconds. */
#include <ctype.h>
#include <strings.h>
#include "core_internal.h"

/* Howard Hinnant's days_from_civil algorithm (public-domain formula). */
int64_t iffnet_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void iffnet_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

int iffnet_days_in_month(int64_t y, unsigned m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

/* Reads exactly n digits at *p. */
static int read_digits(const char **p, const char *e, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (*p >= e || !isdigit((unsigned char)**p)) return -1;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return 0;
}

static int parse_zone(const char *p, const char *e, int64_t *offset, int *zoned)
{
    *offset = 0;
    if (p == e) return 0;
    *zoned = 1;
    if (*p == 'Z' || *p == 'z') return p + 1 == e ? 0 : -1;
    if (*p != '+' && *p != '-') return -1;
    int sign = *p == '-' ? -1 : 1;
    p++;
    int hh, mm = 0;
    if (read_digits(&p, e, 2, &hh)) return -1;
    if (p < e && *p == ':') p++;
    if (p < e && read_digits(&p, e, 2, &mm)) return -1;
    if (p != e || hh > 23 || mm > 59) return -1;
    *offset = sign * (hh * 3600 + mm * 60);
    return 0;
}

static int parse_integer_time(const char *p, const char *e, const iffnet_time_syntax_t *syn,
                              iffnet_time_t *out)
{
    int neg = 0;
    if (p < e && *p == '-') { neg = 1; p++; }
    if (p == e) return -1;
    int64_t v = 0;
    for (; p < e; p++) {
        if (!isdigit((unsigned char)*p) || v > (INT64_MAX - 9) / 10) return -1;
        v = v * 10 + (*p - '0');
    }
    if (neg) v = -v;
    int64_t t = v;
    if (syn && syn->steps && (__builtin_mul_overflow(v, syn->step_seconds, &t) || __builtin_add_overflow(t, syn->epoch, &t)))
        return -1;
    if (t < IFFNET_TIME_MIN || t > IFFNET_TIME_MAX) return -1;
    *out = t;
    return 0;
}

/* A date or date-time by a strftime-like format: %Y %y %m %d %H %M %S %z, %%,
 * and literal characters; %b takes an English month abbreviation. */
static int parse_format(const char *p, const char *e, const char *fmt, iffnet_time_t *out, int *zoned)
{
    static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    int y = -1, mo = -1, d = -1, hh = 0, mi = 0, ss = 0, v;
    int64_t offset = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            if (p >= e || *p != *f) return -1;
            p++;
            continue;
        }
        switch (*++f) {
        case 'Y': if (read_digits(&p, e, 4, &y)) return -1; break;
        case 'y':
            /* Two digits (20yy), or four where an export writes the full year. */
            if (e - p >= 4 && isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3])) {
                if (read_digits(&p, e, 4, &y)) return -1;
            } else {
                if (read_digits(&p, e, 2, &v)) return -1;
                y = 2000 + v;
            }
            break;
        case 'm': if (read_digits(&p, e, 2, &mo)) return -1; break;
        case 'd': if (read_digits(&p, e, 2, &d)) return -1; break;
        case 'H': if (read_digits(&p, e, 2, &hh)) return -1; break;
        case 'M': if (read_digits(&p, e, 2, &mi)) return -1; break;
        case 'S': if (read_digits(&p, e, 2, &ss)) return -1; break;
        case 'b':
            mo = -1;
            for (int k = 0; k < 12 && mo < 0; k++)
                if (e - p >= 3 && strncasecmp(p, months[k], 3) == 0) mo = k + 1;
            if (mo < 0) return -1;
            p += 3;
            break;
        case 'z': {
            const char *zb = p;
            while (p < e && (isdigit((unsigned char)*p) || *p == '+' || *p == '-' || *p == ':' || *p == 'Z')) p++;
            if (parse_zone(zb, p, &offset, zoned) || p == zb) return -1;
            break;
        }
        case '%': if (p >= e || *p++ != '%') return -1; break;
        default: return -1;
        }
    }
    if (p != e || y < 0 || mo < 1 || mo > 12 || d < 1 || d > iffnet_days_in_month(y, (unsigned)mo) ||
        hh > 23 || mi > 59 || ss > 60)
        return -1;
    int64_t t = iffnet_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + hh * 3600 + mi * 60 + ss - offset;
    if (t < IFFNET_TIME_MIN || t > IFFNET_TIME_MAX) return -1;
    *out = t;
    return 0;
}

int iffnet_time_parse_zoned(const char *s, size_t len, const iffnet_time_syntax_t *syn, const char *format,
                            iffnet_time_t *out, int *zoned)
{
    const char *p = s, *e = s + len;
    *zoned = 0;
    while (p < e && isspace((unsigned char)*p)) p++;
    while (e > p && isspace((unsigned char)e[-1])) e--;
    if (p == e) return -1;
    if (format) return parse_format(p, e, format, out, zoned);
    /* Integers (epoch seconds or steps) have no date separator after 4 digits. */
    const char *q = p;
    if (q < e && *q == '-') q++;
    while (q < e && isdigit((unsigned char)*q)) q++;
    if (q == e) {
        /* Epoch seconds are UTC by definition; steps count from an epoch given in UTC. */
        *zoned = 1;
        return parse_integer_time(p, e, syn, out);
    }

    int y, mo, d, hh = 0, mi = 0, ss = 0;
    if (read_digits(&p, e, 4, &y)) return -1;
    if (p >= e || (*p != '-' && *p != '/')) return -1;
    char sep = *p++;
    if (read_digits(&p, e, 2, &mo) || p >= e || *p++ != sep || read_digits(&p, e, 2, &d)) return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > iffnet_days_in_month(y, (unsigned)mo)) return -1;
    int64_t offset = 0;
    if (p < e) {
        if (*p != 'T' && *p != 't' && *p != ' ') return -1;
        p++;
        if (read_digits(&p, e, 2, &hh) || p >= e || *p++ != ':' || read_digits(&p, e, 2, &mi)) return -1;
        if (p < e && *p == ':') {
            p++;
            if (read_digits(&p, e, 2, &ss)) return -1;
            if (p < e && (*p == '.' || *p == ',')) {
                p++;
                const char *fb = p;
                while (p < e && isdigit((unsigned char)*p)) p++;
                if (p == fb) return -1;
            }
        }
        if (hh > 23 || mi > 59 || ss > 60) return -1;
        if (parse_zone(p, e, &offset, zoned)) return -1;
    }
    int64_t days = iffnet_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t t = days * 86400 + hh * 3600 + mi * 60 + ss - offset;
    /* A zone offset can move 0000-01-01 or 9999-12-31 across the edge. */
    if (t < IFFNET_TIME_MIN || t > IFFNET_TIME_MAX) return -1;
    *out = t;
    return 0;
}

int iffnet_time_parse(const char *s, size_t len, const iffnet_time_syntax_t *syn, iffnet_time_t *out)
{
    int zoned;
    return iffnet_time_parse_zoned(s, len, syn, NULL, out, &zoned);
}

int iffnet_duration_parse(const char *s, int64_t *seconds)
{
    char *end;
    if (!s || !*s) return -1;
    long long v = strtoll(s, &end, 10);
    if (end == s || v < 0) return -1;
    int64_t mult = 1;
    if (*end) {
        switch (*end) {
        case 's': mult = 1; break;
        case 'm': mult = 60; break;
        case 'h': mult = 3600; break;
        case 'd': mult = 86400; break;
        case 'w': mult = 7 * 86400; break;
        default: return -1;
        }
        if (end[1]) return -1;
    }
    if (v > IFFNET_DURATION_MAX / mult) return -1;
    *seconds = (int64_t)v * mult;
    return 0;
}

void iffnet_time_format(char *buf, size_t size, iffnet_time_t t, int date_only)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    int64_t y;
    unsigned m, d;
    iffnet_civil_from_days(days, &y, &m, &d);
    if (date_only)
        snprintf(buf, size, "%04lld-%02u-%02u", (long long)y, m, d);
    else
        snprintf(buf, size, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
                 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}
