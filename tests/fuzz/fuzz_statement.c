/* fuzz_statement.c: libFuzzer target for the bank-statement readers
 * (ingest_statement.c): the first byte picks CSV (even; the default layout or,
 * with bit 1, ';', decimal comma and a date format) or camt.053 (odd), the rest
 * is the file. Both statement kinds go through the matching of both sides, so
 * the input is read twice, as two statements of different accounts.
 * Seeds: corpus/statement/. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    iffnet_ingest_opts_t o;
    iffnet_ingest_opts_default(&o);
    o.created = 0;
    o.max_errors = 5;
    o.default_currency = "EUR";
    if (data[0] & 2) {
        o.delimiter = ';';
        o.amount_syntax.decimal_mark = ',';
        o.amount_syntax.thousands_sep = '.';
        o.date_format = "%d.%m.%y";
    }
    iffnet_source_t s[2];
    if (data[0] & 1) {
        s[0] = (iffnet_source_t){.kind = IFFNET_SRC_CAMT};
        s[1] = (iffnet_source_t){.kind = IFFNET_SRC_CAMT};
    } else {
        s[0] = (iffnet_source_t){.kind = IFFNET_SRC_STATEMENT, .account = "DE44500105175407324931"};
        s[1] = (iffnet_source_t){.kind = IFFNET_SRC_STATEMENT, .account = "KE11CSB0001"};
    }
    fuzz_ingest(data + 1, size - 1, s, 2, &o);
    return 0;
}
