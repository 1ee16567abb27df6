/* fuzz.h: what the fuzz targets share.
 *
 * A target is one file tests/fuzz/fuzz_<name>.c that defines
 * LLVMFuzzerTestOneInput() (and, if it needs set-up, LLVMFuzzerInitialize()).
 * Built with --enable-fuzzing it links libFuzzer; in the normal build it links
 * the replay driver (replay.c), so `make check` feeds it every committed corpus
 * file and past crash (tests/fuzz/replay.test). See tests/fuzz/README.md. */
#ifndef IFFNET_FUZZ_H
#define IFFNET_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Writes size bytes to `name` in the process's private temporary directory
 * (created on first use, removed at exit) and returns its path (owned here,
 * valid until the next call with the same name). Aborts when the file cannot be
 * written: that is the harness failing, not the code under test. */
const char *fuzz_file(const char *name, const void *data, size_t size);

/* A path in the temporary directory for an output the code under test writes. */
const char *fuzz_path(const char *name);

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
