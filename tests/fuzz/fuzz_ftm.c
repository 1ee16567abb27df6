/* fuzz_ftm.c: libFuzzer target for the FollowTheMoney reader (ingest_ftm.c):
 * any bytes as an FtM entity stream. Seeds: corpus/ftm/. */
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iffnet_ingest_opts_t o;
    iffnet_ingest_opts_default(&o);
    o.created = 0;
    o.max_errors = 5;
    iffnet_source_t s = {.kind = IFFNET_SRC_FTM};
    fuzz_ingest(data, size, &s, 1, &o);
    return 0;
}
