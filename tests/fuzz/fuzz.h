/* fuzz.h: what the fuzz targets share.
 *
 * A target is one file tests/fuzz/fuzz_<name>.c that defines
 * LLVMFuzzerTestOneInput() (and, if it needs set-up, LLVMFuzzerInitialize()).
 * Built with --enable-fuzzing it links libFuzzer; in the normal build it links
 * the replay driver (replay.c), so `make check` feeds it every committed corpus
 * file and past crash (tests/fuzz/replay.test). See tests/fuzz/README.md.
 *
 * Targets hand the fuzzer's bytes to the readers' memory entry points
 * (iffnet_source_t.data, iffnet_case_load_mem, iffnet_config_read_mem, ...),
 * which run every check of the file readers: no file is written per input, so
 * the fuzzer spends its time in the parsers, not in the file system. */
#ifndef IFFNET_FUZZ_H
#define IFFNET_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include "iffnet/iffnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Initialises the libraries once (idempotent); every target's first call. */
void fuzz_init(void);

/* A path in the process's private temporary directory (created on first use,
 * removed at exit) for an output the code under test insists on writing to a
 * file (ingest's --skip-bad file). */
const char *fuzz_path(const char *name);

/* data itself, or a valid pointer when size is 0: a source whose data is NULL
 * would be read from its path instead. */
const void *fuzz_bytes(const uint8_t *data, size_t size);

/* Writes c with the case writer into memory and loads it back into `back`
 * with the memory loader: the case file the code makes must pass its own
 * checks. Returns what the loader returns; aborts when the writer fails. */
int fuzz_case_reload(const iffnet_case_t *c, iffnet_case_t *back);

/* Splits data at each occurrence of FUZZ_SEP into at most max parts; returns
 * the number of parts (at least 1). Targets that read several files (ingest:
 * transactions, entities, relations, rates) take them from one input this way. */
#define FUZZ_SEP "\n##\n"
size_t fuzz_split(const uint8_t *data, size_t size, const uint8_t **part, size_t *len, size_t max);

/* Stops the run when a property the code promises does not hold (a case that
 * ingest wrote does not load, JSON the writer wrote does not parse): libFuzzer
 * reports it as a crash with the input that caused it. */
#define FUZZ_ASSERT(cond, what) do { if (!(cond)) fuzz_fail(what, __FILE__, __LINE__); } while (0)
void fuzz_fail(const char *what, const char *file, int line) __attribute__((noreturn));

#endif
