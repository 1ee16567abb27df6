/* timeparse.h: timestamps as found in bank exports. */
#ifndef IFFNET_TIMEPARSE_H
#define IFFNET_TIMEPARSE_H

#include "common.h"

/* How integer timestamps are read. */
typedef struct {
    int steps;               /* 1: integers are simulation steps (AMLSim), 0: epoch seconds */
    iffnet_time_t epoch;     /* time of step 0 */
    int64_t step_seconds;    /* length of one step */
} iffnet_time_syntax_t;

#define IFFNET_TIME_SYNTAX_DEFAULT { 0, 0, 86400 }

/* The times iffnet accepts: the years 0000 to 9999 of ISO 8601's four-digit years
 * (0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z), and durations up to 10,000
 * years. Keeping to them, a time plus or minus a duration never overflows 64 bits,
 * and every time can be written back as a date. */
#define IFFNET_TIME_MIN ((iffnet_time_t)-62167219200LL)
#define IFFNET_TIME_MAX ((iffnet_time_t)253402300799LL)
#define IFFNET_DURATION_MAX ((int64_t)10000 * 366 * 86400)

/* Parses "2017-01-01", "2017-01-01T10:20[:30[.123]][Z|+02:00|+0200]", the same with
 * a space instead of 'T', "2022/09/01 00:06[:SS]", or an integer (epoch seconds, or
 * steps per syntax). Date-times without a zone are UTC. Fractions of a second are
 * dropped. Returns 0 on success, -1 when the text is not a timestamp or lies
 * outside [IFFNET_TIME_MIN, IFFNET_TIME_MAX]. O(len). */
int iffnet_time_parse(const char *s, size_t len, const iffnet_time_syntax_t *syntax,
                      iffnet_time_t *out);

/* As iffnet_time_parse, and with `format` (strftime-like: %Y %y %m %d %H %M %S
 * %b %z %%; NULL for the forms above) for other layouts. *zoned says whether
 * the text fixed its own zone (an offset, Z, or an epoch integer); without one
 * the result is the wall-clock time read as if it were UTC, for the caller to
 * place in a time zone. Times outside [IFFNET_TIME_MIN, IFFNET_TIME_MAX] are
 * refused as by iffnet_time_parse. */
int iffnet_time_parse_zoned(const char *s, size_t len, const iffnet_time_syntax_t *syntax, const char *format,
                            iffnet_time_t *out, int *zoned);

/* A time zone: UTC, a fixed offset, or an IANA zone read from a TZif file of
 * the system's time-zone database (Debian: tzdata), daylight saving included. */
typedef struct iffnet_tz iffnet_tz_t;
/* name: "UTC", "+02:00" / "-0530", or "Europe/Berlin" (read from zoneinfo_dir,
 * NULL: /usr/share/zoneinfo). Fails with IFFNET_EINVAL naming the zone. */
int iffnet_tz_load(iffnet_tz_t **tz, const char *name, const char *zoneinfo_dir);
/* The UTC time of wall-clock time `local` (seconds as if UTC) in tz. A time that
 * occurs twice (clocks set back) is the earlier; one skipped (clocks set forward)
 * is read with the offset before the change. O(log transitions). */
iffnet_time_t iffnet_tz_to_utc(const iffnet_tz_t *tz, iffnet_time_t local);
/* The offset (seconds east of UTC) in force at UTC time t. */
int64_t iffnet_tz_offset(const iffnet_tz_t *tz, iffnet_time_t t);
const char *iffnet_tz_name(const iffnet_tz_t *tz);
void iffnet_tz_free(iffnet_tz_t *tz);

/* Parses a duration "30d", "12h", "90m", "45s", "2w" or plain seconds, at most
 * IFFNET_DURATION_MAX. Returns 0, or -1 when the text is not such a duration. */
int iffnet_duration_parse(const char *s, int64_t *seconds);

/* Days since 1970-01-01 of a proleptic Gregorian date (any year), and back
 * (Howard Hinnant's civil-date formulas). O(1). */
int64_t iffnet_days_from_civil(int64_t y, unsigned m, unsigned d);
void iffnet_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* Days in month m (1-12) of year y. */
int iffnet_days_in_month(int64_t y, unsigned m);

/* Formats t as "2017-01-01T00:00:00Z" (buf >= 21 bytes) or, with date_only,
 * "2017-01-01" (buf >= 11 bytes). */
void iffnet_time_format(char *buf, size_t size, iffnet_time_t t, int date_only);

#endif
