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

/* Parses "2017-01-01", "2017-01-01T10:20[:30[.123]][Z|+02:00|+0200]", the same with
 * a space instead of 'T', "2022/09/01 00:06[:SS]", or an integer (epoch seconds, or
 * steps per syntax). Date-times without a zone are UTC. Fractions of a second are
 * dropped. Returns 0 on success, -1 when the text is not a timestamp. O(len). */
int iffnet_time_parse(const char *s, size_t len, const iffnet_time_syntax_t *syntax,
                      iffnet_time_t *out);

/* Parses a duration "30d", "12h", "90m", "45s", "2w" or plain seconds. */
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
