/* fuzz_input.h: what the format fuzz targets share: the fuzzer's bytes as a
 * file (the readers take paths, as the CLI gives them), ingested as one source. */
#ifndef IFFNET_FUZZ_INPUT_H
#define IFFNET_FUZZ_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "iffnet/iffnet.h"

/* Writes data to a file of this process and ingests it as sources[0..n) whose
 * path is NULL; the result is discarded: the target looks for crashes, leaks
 * and undefined behaviour, not for a particular outcome. */
static inline void fuzz_ingest(const uint8_t *data, size_t size, iffnet_source_t *s, int64_t n,
                               const iffnet_ingest_opts_t *o)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/iffnet-fuzz-%ld.in", (long)getpid());
    FILE *fp = fopen(path, "wb");
    if (!fp) return;
    if (size && fwrite(data, 1, size, fp) != size) {
        fclose(fp);
        return;
    }
    fclose(fp);
    for (int64_t i = 0; i < n; i++)
        if (!s[i].path) s[i].path = path;
    iffnet_case_t c;
    iffnet_ingest_report_t rep;
    if (iffnet_ingest_sources(&c, s, n, o, &rep) == IFFNET_OK) iffnet_case_destroy(&c);
    iffnet_ingest_report_destroy(&rep);
    unlink(path);
}

#endif
