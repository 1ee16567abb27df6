/* strtab.h: interned string tables.
 * A table owns a contiguous buffer of NUL-terminated strings, addressed by a dense
 * index 0..n-1 in order of first insertion; a hash index makes lookups O(1).
 */
#ifndef IFFNET_STRTAB_H
#define IFFNET_STRTAB_H

#include "common.h"

typedef struct {
    char *buf;          /* strings, each NUL-terminated */
    size_t len, cap;    /* bytes used / allocated in buf */
    int64_t *off;       /* off[i]: offset of string i in buf */
    int64_t n, cap_n;   /* number of strings / allocated slots in off */
    int64_t *slots;     /* open-addressing hash: string index + 1, 0 = empty */
    size_t nslots;      /* power of two, or 0 while no index is built */
} iffnet_strtab_t;

int iffnet_strtab_init(iffnet_strtab_t *t);
void iffnet_strtab_destroy(iffnet_strtab_t *t);

/* Adds s (len bytes, need not be NUL-terminated) unless present. *id receives its
 * index; *is_new (may be NULL) whether it was added. Amortised O(len). */
int iffnet_strtab_intern(iffnet_strtab_t *t, const char *s, size_t len, int64_t *id, int *is_new);

/* Interns n strings in order, as n calls of iffnet_strtab_intern would, writing
 * their indexes to ids[0..n-1]. Faster for large tables: the hash-table probes of
 * a group of strings are prefetched together, so their cache misses overlap
 * instead of following one another. */
int iffnet_strtab_intern_many(iffnet_strtab_t *t, int64_t n, const char *const *s, const size_t *len,
                              int64_t *ids);

/* Appends s without looking for a duplicate (for tables that may repeat values). */
int iffnet_strtab_append(iffnet_strtab_t *t, const char *s, size_t len, int64_t *id);

/* Index of s, or -1. Builds the hash index on first use. O(len). */
int64_t iffnet_strtab_find(iffnet_strtab_t *t, const char *s, size_t len);

/* String i (0 <= i < n); "" for i < 0. */
static inline const char *iffnet_strtab_get(const iffnet_strtab_t *t, int64_t i)
{
    return i < 0 ? "" : t->buf + t->off[i];
}

/* Makes room for n strings of `bytes` bytes in all, and sizes the hash index for
 * them, so that a large ingest does not rehash as it grows. */
int iffnet_strtab_reserve(iffnet_strtab_t *t, int64_t n, size_t bytes);

/* Frees the hash index (tables that will not be searched again). */
void iffnet_strtab_drop_index(iffnet_strtab_t *t);

#endif
