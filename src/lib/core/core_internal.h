/* internal.h: helpers private to the core library (not installed). */
#ifndef IFFNET_INTERNAL_H
#define IFFNET_INTERNAL_H

#include <igraph.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "iffnet/iffnet.h"

/* Sets the thread's detailed error message and returns err (so callers can
 * `return iffnet_i_seterr(IFFNET_EDATA, "...")`). */
int iffnet_i_seterr(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether work may be split over a second thread: yes unless the environment
 * says IFFNET_THREADS=1 (results are the same either way; see iffnet(1)). */
int iffnet_i_threads_allowed(void);

/* Runs fn(arg), which makes GLPK calls and owns every GLPK object it creates,
 * turning a GLPK fatal error (which would abort the process) into IFFNET_ESOLVER
 * naming `what`. fn's own return value is passed through. */
int iffnet_i_glpk_call(int (*fn)(void *), void *arg, const char *what);

/* Grows *p (array of elem-byte items, capacity *cap) to hold at least need items,
 * doubling. Returns IFFNET_OK or IFFNET_ENOMEM (with a message). */
int iffnet_i_reserve(void **p, int64_t *cap, int64_t need, size_t elem);

/* strdup / printf into a fresh string; NULL on memory failure. */
char *iffnet_i_strdup(const char *s);
char *iffnet_i_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The string hash of the strtab index (64 bits, well mixed). */
uint64_t iffnet_i_hash_bytes(const char *s, size_t len);

/* Length of the valid UTF-8 sequence (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF) at p, which has n >= 1 bytes left, or 0 when invalid.
 * The library's one UTF-8 check, for every reader and writer of text. */
size_t iffnet_i_utf8_len(const unsigned char *p, size_t n);

/* Hex of a 32-byte digest (out: 65 bytes). */
void iffnet_i_hex_digest(const uint8_t *d, char out[65]);

/* Converts an igraph error into an iffnet one with a message about `what`. */
int iffnet_i_igraph_err(igraph_error_t e, const char *what);

/* Propagates a non-zero error code. For functions with nothing to clean up;
 * others use a single `goto out`. */
#define IFFNET_TRY(expr) do { int iffnet_i_e_ = (expr); if (iffnet_i_e_) return iffnet_i_e_; } while (0)

#endif
