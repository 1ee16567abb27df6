/* fuzz_input.h: what the format fuzz targets share: the fuzzer's bytes
 * ingested in place as one or more sources. */
#ifndef IFFNET_FUZZ_INPUT_H
#define IFFNET_FUZZ_INPUT_H

#include "fuzz.h"

/* Ingests the fuzzer's bytes as sources[0..n) (each without data of its own
 * reads them, named "fuzz.in" when it has no path); the result is discarded:
 * the target looks for crashes, leaks and undefined behaviour, not for a
 * particular outcome. */
static inline void fuzz_ingest(const uint8_t *data, size_t size, iffnet_source_t *s, int64_t n,
                               const iffnet_ingest_opts_t *o)
{
    fuzz_init();
    for (int64_t i = 0; i < n; i++) {
        if (!s[i].path) s[i].path = "fuzz.in";
        if (!s[i].data) {
            s[i].data = fuzz_bytes(data, size);
            s[i].size = size;
        }
    }
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    if (iffnet_ingest_sources(&c, s, n, o, &rep) == IFFNET_OK) iffnet_case_destroy(&c);
    iffnet_ingest_report_destroy(&rep);
}

#endif
