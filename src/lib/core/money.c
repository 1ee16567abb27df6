/* money.c: exact decimal amounts. No floating point touches an amount. */
#include <ctype.h>
#include "core_internal.h"

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static const int64_t pow10_table[19] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL,
    1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
    100000000000000LL, 1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL
};

/* Checks that thousands separators, if any, group the integer digits by three. */
static int groups_ok(const char *s, size_t len, char sep)
{
    size_t digits_since = 0;
    int seen_sep = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == sep) {
            if ((!seen_sep && (digits_since == 0 || digits_since > 3)) || (seen_sep && digits_since != 3))
                return 0;
            seen_sep = 1;
            digits_since = 0;
        } else {
            digits_since++;
        }
    }
    return !seen_sep || digits_since == 3;
}

iffnet_amount_status_t iffnet_amount_parse(const char *s, size_t len, int scale,
                                           const iffnet_amount_syntax_t *syntax,
                                           iffnet_money_t *out)
{
    static const iffnet_amount_syntax_t dflt = IFFNET_AMOUNT_SYNTAX_DEFAULT;
    if (!syntax) syntax = &dflt;
    size_t b = 0, e = len;
    while (b < e && is_blank(s[b])) b++;
    while (e > b && is_blank(s[e - 1])) e--;
    if (b == e) return IFFNET_AMOUNT_EMPTY;
    int negative = 0;
    if (s[b] == '+' || s[b] == '-') {
        negative = s[b] == '-';
        b++;
    }
    /* Integer part: digits and (optionally) thousands separators. */
    size_t ib = b;
    while (b < e && (isdigit((unsigned char)s[b]) || (syntax->thousands_sep && s[b] == syntax->thousands_sep)))
        b++;
    size_t ie = b;
    size_t fb = e, fe = e;
    if (b < e && s[b] == syntax->decimal_mark) {
        fb = ++b;
        while (b < e && isdigit((unsigned char)s[b])) b++;
        fe = b;
    }
    if (b != e) return IFFNET_AMOUNT_SYNTAX;
    size_t int_digits = 0;
    for (size_t i = ib; i < ie; i++) int_digits += isdigit((unsigned char)s[i]) != 0;
    if (int_digits == 0 && fe == fb) return IFFNET_AMOUNT_SYNTAX;
    if (syntax->thousands_sep && !groups_ok(s + ib, ie - ib, syntax->thousands_sep))
        return IFFNET_AMOUNT_SYNTAX;
    if (negative) return IFFNET_AMOUNT_NEGATIVE;
    if (scale < 0 || scale > 18) return IFFNET_AMOUNT_OVERFLOW;

    int64_t v = 0;
    for (size_t i = ib; i < ie; i++) {
        if (!isdigit((unsigned char)s[i])) continue;
        if (v > (INT64_MAX - 9) / 10) return IFFNET_AMOUNT_OVERFLOW;
        v = v * 10 + (s[i] - '0');
    }
    if (v > INT64_MAX / pow10_table[scale]) return IFFNET_AMOUNT_OVERFLOW;
    v *= pow10_table[scale];
    int64_t frac = 0;
    for (size_t i = fb, k = 0; i < fe; i++, k++) {
        int d = s[i] - '0';
        if ((int)k >= scale) {
            if (d != 0) return IFFNET_AMOUNT_PRECISION;
            continue;
        }
        frac += d * pow10_table[scale - 1 - (int)k];
    }
    if (v > INT64_MAX - frac) return IFFNET_AMOUNT_OVERFLOW;
    *out = v + frac;
    return IFFNET_AMOUNT_OK;
}

const char *iffnet_amount_status_str(iffnet_amount_status_t st)
{
    switch (st) {
    case IFFNET_AMOUNT_OK: return "is an amount";
    case IFFNET_AMOUNT_EMPTY: return "is empty";
    case IFFNET_AMOUNT_SYNTAX: return "is not an amount";
    case IFFNET_AMOUNT_NEGATIVE: return "is negative (amounts must be positive; the direction is given by source and target)";
    case IFFNET_AMOUNT_PRECISION: return "has more decimals than the currency's minor unit";
    case IFFNET_AMOUNT_OVERFLOW: return "is too large";
    }
    return "is not an amount";
}

int iffnet_amount_format(char *buf, size_t size, iffnet_money_t v, int scale, char group)
{
    char digits[32];
    int neg = v < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (nd <= scale) digits[nd++] = '0';
    char tmp[64];
    int k = 0;
    if (neg) tmp[k++] = '-';
    int int_digits = nd - scale;
    for (int i = nd - 1; i >= scale; i--) {
        tmp[k++] = digits[i];
        int left = i - scale;
        if (group && left > 0 && left % 3 == 0) tmp[k++] = group;
    }
    (void)int_digits;
    if (scale > 0) {
        tmp[k++] = '.';
        for (int i = scale - 1; i >= 0; i--) tmp[k++] = digits[i];
    }
    tmp[k] = '\0';
    return snprintf(buf, size, "%s", tmp);
}

typedef struct { const char *code; int scale; } currency_scale_t;

/* ISO 4217 minor units above 2, and crypto units. Everything else is kept at 2. */
static const currency_scale_t scales[] = {
    {"BHD", 3}, {"IQD", 3}, {"JOD", 3}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"TND", 3},
    {"BTC", 8}, {"XBT", 8}, {"ETH", 9}, {"USDT", 6}, {"USDC", 6},
};

int iffnet_currency_scale(const char *code)
{
    for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++)
        if (strcmp(scales[i].code, code) == 0) return scales[i].scale;
    return 2;
}

typedef struct { const char *name; const char *code; } currency_name_t;

/* Names used by AMLworld and similar exports. */
static const currency_name_t names[] = {
    {"US Dollar", "USD"}, {"Euro", "EUR"}, {"Yuan", "CNY"}, {"Yen", "JPY"}, {"UK Pound", "GBP"},
    {"Rupee", "INR"}, {"Ruble", "RUB"}, {"Canadian Dollar", "CAD"}, {"Australian Dollar", "AUD"},
    {"Swiss Franc", "CHF"}, {"Mexican Peso", "MXN"}, {"Brazil Real", "BRL"}, {"Saudi Riyal", "SAR"},
    {"Shekel", "ILS"}, {"Bitcoin", "BTC"},
};

const char *iffnet_currency_code(const char *name)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0) return names[i].code;
    size_t n = strlen(name);
    if (n < 3 || n > 4) return NULL;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)name[i])) return NULL;
    return name;
}

int iffnet_money_convert(iffnet_money_t v, int from_scale, int64_t rate_nano,
                         int to_scale, iffnet_money_t *out)
{
    /* v * rate / 1e9 * 10^(to - from), rounded half away from zero, in 128 bits. */
    __int128 num = (__int128)v * rate_nano;
    __int128 den = 1000000000;
    int shift = to_scale - from_scale;
    for (; shift > 0; shift--) num *= 10;
    for (; shift < 0; shift++) den *= 10;
    __int128 q = num / den, r = num % den;
    if (r < 0) r = -r;
    if (2 * r >= den) q += num < 0 ? -1 : 1;
    if (q > INT64_MAX || q < INT64_MIN)
        return iffnet_i_seterr(IFFNET_ELIMIT, "converted amount is too large");
    *out = (iffnet_money_t)q;
    return IFFNET_OK;
}
