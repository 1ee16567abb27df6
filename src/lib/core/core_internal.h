/* core_internal.h: the core module (private to the library, not installed).
 *
 * What every other module stands on: errors and the libraries' handlers
 * (error.c), interned strings (strtab.c), exact money (money.c), timestamps and
 * civil dates (timeparse.c), files written atomically and hashed (io.c), CSV
 * reading (csvfile.c), JSON (json.c), settings (config.c) and the int64 toolkit
 * (vec.c). core/ calls nothing above it; every module includes this header.
 */
#ifndef IFFNET_CORE_INTERNAL_H
#define IFFNET_CORE_INTERNAL_H

#include <igraph.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "iffnet/iffnet.h"

/* Sets the thread's detailed error message and returns err (so callers can
 * `return iffnet_i_seterr(IFFNET_EDATA, "...")`). */
int iffnet_i_seterr(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether work may be split over a second thread: yes unless the caller said
 * iffnet_set_threads(1) (results are the same either way; see iffnet(1)). */
int iffnet_i_threads_allowed(void);

/* Runs fn(arg), which makes GLPK calls and owns every GLPK object it creates,
 * turning a GLPK fatal error (which would abort the process) into IFFNET_ESOLVER
 * naming `what`. fn's own return value is passed through. */
int iffnet_i_glpk_call(int (*fn)(void *), void *arg, const char *what);

/* Grows *p (array of elem-byte items, capacity *cap) to hold at least need items,
 * doubling. Returns IFFNET_OK or IFFNET_ENOMEM (with a message). */
int iffnet_i_reserve(void **p, int64_t *cap, int64_t need, size_t elem);

/* strdup / printf into a fresh string; NULL on memory failure. The va_list form
 * leaves ap to the caller (it is consumed). */
char *iffnet_i_strdup(const char *s);
char *iffnet_i_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *iffnet_i_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Formats into a per-thread buffer of 512 bytes, overwritten by the next call:
 * only for building one error message from parts. */
const char *iffnet_i_tmpf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether the CSV reader splits lines without quotes itself (on, the default)
 * or hands every line to libcsv; the records and errors are the same either
 * way (the tests hold the two to that). */
void iffnet_i_csv_set_plain(iffnet_csv_t *r, int on);

/* The string hash of the strtab index (64 bits, well mixed). */
uint64_t iffnet_i_hash_bytes(const char *s, size_t len);

/* Asks the parsing thread (which starts with the first record after the
 * header) to make iffnet_i_hash_bytes() of fields cols[0..n) of every record;
 * iffnet_i_csv_field_hash(r, i) then returns them, or makes the hash of any
 * other field, or of any field without the thread. */
void iffnet_i_csv_hash_fields(iffnet_csv_t *r, const int64_t *cols, int n);
uint64_t iffnet_i_csv_field_hash(const iffnet_csv_t *r, int64_t i);

/* An index of a string table for interning millions of short strings (account
 * ids at ingest): each slot holds a string of up to 23 bytes itself, so a
 * lookup reads one cache line where the table's own index reads three (slot,
 * offset, string). Longer strings are compared in the table. The table `t`
 * keeps the strings; the index covers every string t holds when a call starts
 * (strings appended to t by other means are indexed then). Zero-initialise;
 * free with iffnet_i_keyidx_free. */
typedef struct {
    struct iffnet_i_keyslot *slot;
    size_t nslots;               /* power of two, 0 before the first call */
    int64_t n;                   /* strings of the table indexed */
} iffnet_i_keyidx_t;

/* iffnet_strtab_intern_many() through x: the same ids, the same table. hash
 * (NULL: computed here) holds iffnet_i_hash_bytes() of each string. */
int iffnet_i_keyidx_intern_many(iffnet_i_keyidx_t *x, iffnet_strtab_t *t, int64_t n, const char *const *s,
                                const size_t *len, const uint64_t *hash, int64_t *ids);
void iffnet_i_keyidx_free(iffnet_i_keyidx_t *x);

/* Length of the valid UTF-8 sequence (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF) at p, which has n >= 1 bytes left, or 0 when invalid.
 * The library's one UTF-8 check, for every reader and writer of text. */
size_t iffnet_i_utf8_len(const unsigned char *p, size_t n);

/* Offset of the first byte of p[0..n) that does not start a valid UTF-8
 * sequence (iffnet_i_utf8_len), or n when all of it is valid UTF-8. O(n). */
size_t iffnet_i_utf8_valid_prefix(const unsigned char *p, size_t n);

/* Hex of a 32-byte digest (out: 65 bytes). */
void iffnet_i_hex_digest(const uint8_t *d, char out[65]);

/* Converts an igraph error into an iffnet one with a message about `what`;
 * IGRAPH_SUCCESS passes through as IFFNET_OK. */
int iffnet_i_igraph_err(igraph_error_t e, const char *what);

/* Money sums are exact or an error, never wrapped: adds v to *sum and returns 0,
 * or returns -1 and leaves *sum as it was when the result would not fit in 64
 * bits. iffnet_i_money_overflow() then sets the message (IFFNET_ELIMIT) naming
 * what was being added up. Ingest and the case loader make sure one column of
 * amounts adds up without overflow; sums that count a payment more than once
 * (both ends, overlapping alerts, traced pieces) need these checks. */
static inline int iffnet_i_money_add(iffnet_money_t *sum, iffnet_money_t v)
{
    iffnet_money_t r;
    if (__builtin_add_overflow(*sum, v, &r)) return -1;
    *sum = r;
    return 0;
}
int iffnet_i_money_overflow(const char *what);

/* Propagates a non-zero error code. For functions with nothing to clean up;
 * others use a single `goto out`. */
#define IFFNET_TRY(expr) do { int iffnet_i_e_ = (expr); if (iffnet_i_e_) return iffnet_i_e_; } while (0)

/* ---- input files (instream.c) ----
 * The decoded bytes of a file ("-" = stdin): plain, gzip, xz or zstd, told by
 * the magic bytes; the raw bytes are hashed (SHA-256) as they are read. */
typedef struct iffnet_i_in iffnet_i_in_t;
int iffnet_i_in_open(iffnet_i_in_t **in, const char *path);
/* The same over size bytes at data (not copied: they must outlive the input),
 * named `name` in messages. */
int iffnet_i_in_open_mem(iffnet_i_in_t **in, const char *name, const void *data, size_t size);
/* Up to cap decoded bytes into buf; *got = 0 at the end. Errors name the file. */
int iffnet_i_in_read(iffnet_i_in_t *in, void *buf, size_t cap, size_t *got);
const char *iffnet_i_in_path(const iffnet_i_in_t *in);
/* Raw bytes read so far, and the file size (0 when unknown: pipes). */
int64_t iffnet_i_in_raw_bytes(const iffnet_i_in_t *in);
int64_t iffnet_i_in_size(const iffnet_i_in_t *in);
/* Whether iffnet_i_in_size() is exact (a regular file, bytes in memory), an
 * empty input included, rather than unknown (a pipe). */
int iffnet_i_in_size_known(const iffnet_i_in_t *in);
int iffnet_i_in_compressed(const iffnet_i_in_t *in);
/* Reads the rest of the raw file and gives the SHA-256 of all of it. */
int iffnet_i_in_finish_hash(iffnet_i_in_t *in, char hex[65], int64_t *bytes);
void iffnet_i_in_close(iffnet_i_in_t *in);

/* The most a reader holds of one record (a CSV record, a JSON Lines line, an
 * XML element's text) or of a whole JSON document: beyond it the input is
 * refused (IFFNET_ELIMIT, naming the file and line) instead of growing memory
 * without end, as a file without line ends (/dev/zero) would. Real records are
 * a few hundred bytes. */
#define IFFNET_I_MAX_RECORD ((size_t)16 << 20)

/* Lines of an input (LF or CRLF; a first-line BOM dropped), each at most
 * IFFNET_I_MAX_RECORD bytes. The input stays the caller's. */
typedef struct iffnet_i_lines iffnet_i_lines_t;
int iffnet_i_lines_open(iffnet_i_lines_t **l, iffnet_i_in_t *in);
/* The next line (without its end) in *line, valid until the next call; NULL at
 * the end of the input. */
int iffnet_i_lines_next(iffnet_i_lines_t *l, const char **line, size_t *len);
/* 1-based number of the line last returned. */
int64_t iffnet_i_lines_number(const iffnet_i_lines_t *l);
void iffnet_i_lines_close(iffnet_i_lines_t *l);

/* ---- streaming XML (xmlread.c, over libxml2's xmlTextReader) ----
 * Element starts and ends in document order; at an end, the element's own text
 * (blanks trimmed). No DTDs or entities, no network. */
typedef struct iffnet_i_xr iffnet_i_xr_t;
int iffnet_i_xr_open(iffnet_i_xr_t **x, const char *path);
int iffnet_i_xr_open_mem(iffnet_i_xr_t **x, const char *name, const void *data, size_t size);
/* *ev: 1 an element starts, 2 it ends, 0 the document ended. Malformed XML is
 * IFFNET_EDATA naming file, line and element path. */
int iffnet_i_xr_next(iffnet_i_xr_t *x, int *ev);
const char *iffnet_i_xr_name(const iffnet_i_xr_t *x);      /* local name of the current element */
int iffnet_i_xr_depth(const iffnet_i_xr_t *x);             /* 1: the root */
const char *iffnet_i_xr_parent(const iffnet_i_xr_t *x, int up); /* ancestor `up` levels up, "" */
const char *iffnet_i_xr_text(const iffnet_i_xr_t *x, size_t *len); /* at an end */
char *iffnet_i_xr_attr(const iffnet_i_xr_t *x, const char *name);  /* at a start; malloc'd or NULL */
int64_t iffnet_i_xr_line(const iffnet_i_xr_t *x);          /* where the current element starts */
void iffnet_i_xr_path(const iffnet_i_xr_t *x, char *buf, size_t cap);
/* Sets "file:line: element /a/b: message" and returns IFFNET_EDATA. */
int iffnet_i_xr_fail_at(const iffnet_i_xr_t *x, int64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
iffnet_i_in_t *iffnet_i_xr_input(iffnet_i_xr_t *x);
void iffnet_i_xr_close(iffnet_i_xr_t *x);

/* ---- detector settings (config.c) ----
 * Every detector reads its thresholds as "<prefix>.<name>" through these; cfg may
 * be NULL (nothing set: the default). A duration that is set must be positive.
 * Money is in major units of a currency with `scale` decimals. Errors name the
 * key and where it was set (IFFNET_EDATA / IFFNET_EINVAL). */
int iffnet_i_setting_int(const iffnet_config_t *cfg, const char *prefix, const char *name,
                         int64_t def, int64_t lo, int64_t hi, int64_t *out);
int iffnet_i_setting_double(const iffnet_config_t *cfg, const char *prefix, const char *name,
                            double def, double lo, double hi, double *out);
int iffnet_i_setting_duration(const iffnet_config_t *cfg, const char *prefix, const char *name,
                              int64_t def, int64_t *out);
int iffnet_i_setting_money(const iffnet_config_t *cfg, const char *prefix, const char *name,
                           iffnet_money_t def, int scale, iffnet_money_t *out);

/* ---- the shared int64 toolkit (vec.c) ---- */

/* A growable int64 vector; {0} is empty. */
typedef struct { int64_t n, cap; int64_t *v; } iffnet_i_vec_t;
int iffnet_i_vec_push(iffnet_i_vec_t *v, int64_t x);
static inline void iffnet_i_vec_clear(iffnet_i_vec_t *v) { v->n = 0; }
static inline void iffnet_i_vec_free(iffnet_i_vec_t *v) { free(v->v); v->v = NULL; v->n = v->cap = 0; }

/* qsort comparators of int64_t and uint64_t, ascending. */
int iffnet_i_cmp_i64(const void *a, const void *b);
int iffnet_i_cmp_u64(const void *a, const void *b);

/* qsort that accepts an empty (possibly NULL) array. */
static inline void iffnet_i_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1) qsort(base, n, size, cmp);
}

/* Union-find over 0..n-1 with path halving; the smaller index of two joined sets
 * becomes the root, so representatives are deterministic. The _in forms work on
 * a caller's parent array (parent[i] = i initially). O(alpha(n)) amortised. */
typedef struct { int64_t *parent; int64_t n; } iffnet_i_uf_t;
int iffnet_i_uf_init(iffnet_i_uf_t *u, int64_t n);
void iffnet_i_uf_destroy(iffnet_i_uf_t *u);
int64_t iffnet_i_uf_find_in(int64_t *parent, int64_t x);
void iffnet_i_uf_union_in(int64_t *parent, int64_t a, int64_t b);
static inline int64_t iffnet_i_uf_find(iffnet_i_uf_t *u, int64_t x) { return iffnet_i_uf_find_in(u->parent, x); }
static inline void iffnet_i_uf_union(iffnet_i_uf_t *u, int64_t a, int64_t b) { iffnet_i_uf_union_in(u->parent, a, b); }

#endif
