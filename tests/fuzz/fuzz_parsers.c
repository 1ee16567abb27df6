/* fuzz_parsers.c: the small parsers: amounts, timestamps, durations, currency
 * names, settings files and exchange-rate files.
 *
 * Input: one byte choosing the parser and its syntax, then the text.
 * Properties: nothing crashes or overflows (UBSan); an amount that parses is
 * written back and parses to the same value; a time that parses lies in the
 * documented range and is written back as a timestamp that parses to itself. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "iffnet/iffnet.h"

static void amount(unsigned sel, const char *s, size_t n)
{
    iffnet_amount_syntax_t syn = IFFNET_AMOUNT_SYNTAX_DEFAULT;
    static const char seps[] = {0, ',', '.', ' ', '\''};
    syn.thousands_sep = seps[(sel >> 3) % 5];
    if (sel & 0x80) syn.decimal_mark = ',';
    if (syn.thousands_sep == syn.decimal_mark) syn.thousands_sep = 0;
    int scale = (int)(sel >> 3) % 20 - 1; /* -1 and 19: out of range on purpose */
    iffnet_money_t v, back;
    if (iffnet_amount_parse(s, n, scale, &syn, &v) != IFFNET_AMOUNT_OK) return;
    char buf[48];
    int len = iffnet_amount_format(buf, sizeof buf, v, scale, 0);
    FUZZ_ASSERT(len > 0 && (size_t)len < sizeof buf, "an amount is formatted");
    FUZZ_ASSERT(iffnet_amount_parse(buf, (size_t)len, scale, NULL, &back) == IFFNET_AMOUNT_OK && back == v,
                "a formatted amount parses to itself");
}

static void timestamp(unsigned sel, const char *s, size_t n)
{
    iffnet_time_syntax_t syn = IFFNET_TIME_SYNTAX_DEFAULT;
    if (sel & 0x10) {
        syn.steps = 1;
        syn.epoch = (sel & 0x20) ? IFFNET_TIME_MAX - 86400 : 1483228800;
        syn.step_seconds = (sel & 0x40) ? 1 : 86400 * 7;
    }
    iffnet_time_t t, back;
    if (iffnet_time_parse(s, n, &syn, &t)) return;
    FUZZ_ASSERT(t >= IFFNET_TIME_MIN && t <= IFFNET_TIME_MAX, "a parsed time is in range");
    char buf[32];
    iffnet_time_format(buf, sizeof buf, t, 0);
    FUZZ_ASSERT(iffnet_time_parse(buf, strlen(buf), NULL, &back) == 0 && back == t,
                "a formatted time parses to itself");
}

static void duration(const char *s)
{
    int64_t d;
    if (iffnet_duration_parse(s, &d) == 0) FUZZ_ASSERT(d >= 0 && d <= IFFNET_DURATION_MAX, "a duration is in range");
}

static void settings(const char *text, size_t n)
{
    iffnet_config_t cfg;
    iffnet_config_init(&cfg);
    if (iffnet_config_read_mem(&cfg, "settings.conf", text, n) == IFFNET_OK) {
        double d;
        int64_t i;
        iffnet_money_t m;
        for (int64_t k = 0; k < cfg.n; k++) {
            (void)iffnet_config_double(&cfg, cfg.keys[k], 0, -1e300, 1e300, &d);
            (void)iffnet_config_int(&cfg, cfg.keys[k], 0, INT64_MIN, INT64_MAX, &i);
            (void)iffnet_config_duration(&cfg, cfg.keys[k], 0, &i);
            (void)iffnet_config_money(&cfg, cfg.keys[k], 0, 2, &m);
        }
    }
    iffnet_config_destroy(&cfg);
}

/* A rates file applied to a small case in two currencies. */
static void rates(const char *text, size_t n)
{
    static const char tx[] =
        "tx_id,timestamp,source,target,amount,currency\n"
        "t1,2024-01-01,A,B,92233720368547758.07,EUR\n"
        "t2,2024-01-02,B,C,12.5,USD\n"
        "t3,2024-01-03,C,A,0.01,JPY\n";
    iffnet_ingest_opts_t o;
    iffnet_ingest_report_t rep;
    iffnet_case_t c;
    iffnet_ingest_opts_default(&o);
    o.created = 0;
    const iffnet_source_t src[2] = {{IFFNET_SRC_TRANSACTIONS, "rates-tx.csv", NULL, tx, sizeof tx - 1},
                                    {IFFNET_SRC_RATES, "rates.csv", NULL, fuzz_bytes((const uint8_t *)text, n), n}};
    if (iffnet_ingest_sources(&c, src, 2, &o, &rep) == IFFNET_OK) {
        iffnet_summary_t s;
        if (iffnet_case_summarize(&c, 2, &s) == IFFNET_OK) iffnet_summary_destroy(&s);
        iffnet_case_destroy(&c);
    }
    iffnet_ingest_report_destroy(&rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    fuzz_init();
    unsigned sel = data[0];
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    char *z = malloc(n + 1); /* a NUL-terminated copy for the C-string parsers */
    if (!z) abort();
    memcpy(z, text, n);
    z[n] = '\0';
    switch (sel % 7) {
    case 0: amount(sel, text, n); break;
    case 1: timestamp(sel, text, n); break;
    case 2: duration(z); break;
    case 3: (void)iffnet_currency_code(z); (void)iffnet_currency_scale(z); break;
    case 4: settings(text, n); break;
    case 5: rates(text, n); break;
    case 6: {
        iffnet_typology_t t;
        (void)iffnet_typology_parse(z, &t);
        break;
    }
    }
    free(z);
    return 0;
}
