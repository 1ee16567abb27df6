/* money.h: exact decimal amounts, currencies and their minor units. */
#ifndef IFFNET_MONEY_H
#define IFFNET_MONEY_H

#include "common.h"

/* How amount text is written. */
typedef struct {
    char decimal_mark;   /* '.' (default) or ',' */
    char thousands_sep;  /* 0 = none accepted (default), else ',', '.', ' ' or '\'' */
} iffnet_amount_syntax_t;

#define IFFNET_AMOUNT_SYNTAX_DEFAULT { '.', 0 }

typedef enum {
    IFFNET_AMOUNT_OK = 0,
    IFFNET_AMOUNT_EMPTY,      /* empty text */
    IFFNET_AMOUNT_SYNTAX,     /* not an amount */
    IFFNET_AMOUNT_NEGATIVE,   /* negative amount */
    IFFNET_AMOUNT_PRECISION,  /* more significant decimals than the currency's minor unit */
    IFFNET_AMOUNT_OVERFLOW    /* does not fit in 64 bits of minor units */
} iffnet_amount_status_t;

/* Parses decimal text such as "1234.5", "1,234.50" (with thousands_sep ','),
 * "0.370287" into minor units at `scale` decimals (0..18). Trailing zeros beyond
 * scale are accepted; other extra digits are IFFNET_AMOUNT_PRECISION. Leading and
 * trailing blanks are ignored; a leading '+' is accepted, '-' gives NEGATIVE.
 * No floating point is involved. O(len). */
iffnet_amount_status_t iffnet_amount_parse(const char *s, size_t len, int scale,
                                           const iffnet_amount_syntax_t *syntax,
                                           iffnet_money_t *out);

/* Human-readable reason for a status ("is not an amount", ...). */
const char *iffnet_amount_status_str(iffnet_amount_status_t st);

/* Writes `v` minor units at `scale` decimals, e.g. 123456 at 2 -> "1234.56"
 * (group != 0 inserts that character every three digits: "1,234.56").
 * Returns the number of characters written (excluding NUL); buf needs 32 bytes. */
int iffnet_amount_format(char *buf, size_t size, iffnet_money_t v, int scale, char group);

/* Minor-unit decimals iffnet stores for an ISO 4217 code (or BTC/XBT/ETH).
 * Every currency is kept at 2 decimals or more, so that exports that write cents
 * for zero-decimal currencies (AMLworld writes yen with cents) stay exact. */
int iffnet_currency_scale(const char *code);

/* Maps a currency name used by exports ("US Dollar", "Euro", "Yuan", "Bitcoin"...)
 * to its ISO 4217 code; returns NULL when the name is not known. Codes map to themselves. */
const char *iffnet_currency_code(const char *name);

/* Converts `v` (at scale `from_scale`) using rate = rate_num / 10^9 into base
 * minor units at `to_scale`, rounding half away from zero; 128-bit exact. */
int iffnet_money_convert(iffnet_money_t v, int from_scale, int64_t rate_nano,
                         int to_scale, iffnet_money_t *out);

#endif
