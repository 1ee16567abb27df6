/* fuzz_goaml.c: libFuzzer target for the goAML reader (ingest_goaml.c over
 * xmlread.c): any bytes as a goAML report. Seeds: corpus/goaml/. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iffnet_ingest_opts_t o;
    iffnet_ingest_opts_default(&o);
    o.created = 0;
    o.max_errors = 5;
    iffnet_source_t s = {.kind = IFFNET_SRC_GOAML};
    fuzz_ingest(data, size, &s, 1, &o);
    return 0;
}
