/* strtab.c: interned string tables with an open-addressing hash index. */
#include <sys/mman.h>
#include "core_internal.h"

int iffnet_strtab_init(iffnet_strtab_t *t)
{
    memset(t, 0, sizeof *t);
    return IFFNET_OK;
}

void iffnet_strtab_destroy(iffnet_strtab_t *t)
{
    free(t->buf);
    free(t->off);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

void iffnet_strtab_drop_index(iffnet_strtab_t *t)
{
    free(t->slots);
    t->slots = NULL;
    t->nslots = 0;
}

/* A fast 64-bit hash: 8 bytes at a time, then a murmur3-style finaliser so that
 * ids differing only in their last digits spread over all slot bits. */
uint64_t iffnet_i_hash_bytes(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (len * 0xC2B2AE3D27D4EB4FULL);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x87C37B91114253D5ULL;
        h ^= h >> 31;
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, len);
    h = (h ^ w) * 0x4CF5AD432745937FULL;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}

#define hash_bytes iffnet_i_hash_bytes

/* A slot holds the string index + 1 in its low 40 bits and 24 bits of the hash
 * above them, so most mismatches are rejected without touching the strings. */
#define SLOT_ID_BITS 40
#define SLOT_ID_MASK ((1ULL << SLOT_ID_BITS) - 1)

static uint64_t slot_tag(uint64_t h)
{
    return (h >> 40) << SLOT_ID_BITS;
}

static void index_insert_hashed(iffnet_strtab_t *t, int64_t id, uint64_t h)
{
    size_t mask = t->nslots - 1;
    size_t i = h & mask;
    while (t->slots[i]) i = (i + 1) & mask;
    t->slots[i] = (int64_t)(slot_tag(h) | (uint64_t)(id + 1));
}

static int index_insert(iffnet_strtab_t *t, int64_t id)
{
    const char *s = t->buf + t->off[id];
    size_t len = (size_t)((id + 1 < t->n ? t->off[id + 1] : (int64_t)t->len) - t->off[id]) - 1;
    index_insert_hashed(t, id, hash_bytes(s, len));
    return IFFNET_OK;
}

/* Makes room for `need_bytes` string bytes and `need_n` offsets. */
static int grow(iffnet_strtab_t *t, size_t need_bytes, int64_t need_n)
{
    if (need_bytes <= t->cap && need_n <= t->cap_n) return IFFNET_OK;
    int64_t cap = (int64_t)t->cap;
    IFFNET_TRY(iffnet_i_reserve((void **)&t->buf, &cap, (int64_t)need_bytes, 1));
    t->cap = (size_t)cap;
    return iffnet_i_reserve((void **)&t->off, &t->cap_n, need_n, sizeof *t->off);
}

/* A zeroed index of `bytes`. Indexes are read at random: on 4 KiB pages nearly
 * every probe of a large one misses the TLB, so those past a few megabytes are
 * advised onto huge pages (advice only: where the kernel declines, nothing
 * changes but the speed). Freed with free(). */
static void *alloc_index(size_t bytes)
{
    if (bytes < ((size_t)4 << 20)) return calloc(1, bytes);
    void *p = NULL;
    if (posix_memalign(&p, (size_t)2 << 20, bytes) != 0) return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    memset(p, 0, bytes);
    return p;
}

static int64_t *alloc_slots(size_t nslots)
{
    return alloc_index(nslots * sizeof(int64_t));
}

static int index_rebuild(iffnet_strtab_t *t, size_t nslots)
{
    int64_t *slots = alloc_slots(nslots);
    if (!slots) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (string index)");
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    for (int64_t id = 0; id < t->n; id++) index_insert(t, id);
    return IFFNET_OK;
}

/* Keeps the load factor under 1/2. */
static int index_ensure(iffnet_strtab_t *t, int64_t n)
{
    if (t->nslots && (size_t)n * 2 < t->nslots) return IFFNET_OK;
    size_t ns = t->nslots ? t->nslots : 64;
    while ((size_t)n * 2 >= ns) ns *= 2;
    return index_rebuild(t, ns);
}

static int64_t index_lookup_hashed(const iffnet_strtab_t *t, const char *s, size_t len, uint64_t h)
{
    size_t mask = t->nslots - 1;
    size_t i = h & mask;
    uint64_t tag = slot_tag(h);
    while (t->slots[i]) {
        uint64_t v = (uint64_t)t->slots[i];
        if ((v & ~SLOT_ID_MASK) == tag) {
            int64_t id = (int64_t)(v & SLOT_ID_MASK) - 1;
            const char *c = t->buf + t->off[id];
            if (memcmp(c, s, len) == 0 && c[len] == '\0') return id;
        }
        i = (i + 1) & mask;
    }
    return -1;
}

static int64_t index_lookup(const iffnet_strtab_t *t, const char *s, size_t len)
{
    return index_lookup_hashed(t, s, len, hash_bytes(s, len));
}

int iffnet_strtab_append(iffnet_strtab_t *t, const char *s, size_t len, int64_t *id)
{
    IFFNET_TRY(grow(t, t->len + len + 1, t->n + 1));
    memcpy(t->buf + t->len, s, len);
    t->buf[t->len + len] = '\0';
    t->off[t->n] = (int64_t)t->len;
    t->len += len + 1;
    *id = t->n++;
    if (t->nslots) {
        IFFNET_TRY(index_ensure(t, t->n));
        /* index_ensure may have rebuilt the index with the new string in it. */
        if (index_lookup(t, s, len) != *id) index_insert(t, *id);
    }
    return IFFNET_OK;
}


/* Strings per prefetch group: enough misses in flight to cover memory latency,
 * few enough that the group's slots and strings stay in L1. */
#define INTERN_GROUP 32

static int intern_hashed(iffnet_strtab_t *t, const char *s, size_t len, uint64_t h, int64_t *id, int *is_new)
{
    IFFNET_TRY(index_ensure(t, t->n + 1));
    int64_t found = index_lookup_hashed(t, s, len, h);
    if (is_new) *is_new = found < 0;
    if (found >= 0) {
        *id = found;
        return IFFNET_OK;
    }
    /* Append without the index, then insert with the hash we already have. */
    size_t nslots = t->nslots;
    int64_t *slots = t->slots;
    t->nslots = 0;
    t->slots = NULL;
    int err = iffnet_strtab_append(t, s, len, id);
    t->nslots = nslots;
    t->slots = slots;
    if (err) return err;
    index_insert_hashed(t, *id, h);
    return IFFNET_OK;
}

int iffnet_strtab_intern(iffnet_strtab_t *t, const char *s, size_t len, int64_t *id, int *is_new)
{
    return intern_hashed(t, s, len, hash_bytes(s, len), id, is_new);
}

/* A lookup touches three cache lines one after the other: the slot, the string's
 * offset, the string. For a group, each stage is prefetched for all members before
 * the next stage reads, so the group waits for memory three times, not 3 x 32.
 * (Always inlined: GCC's IPA otherwise deems a function that only prefetches
 * side-effect free and deletes the call.) */
static inline __attribute__((always_inline)) void prefetch_group(const iffnet_strtab_t *t, int64_t m, const uint64_t *h)
{
    if (!t->nslots) return;
    size_t mask = t->nslots - 1;
    int64_t cand[INTERN_GROUP];
    for (int64_t k = 0; k < m; k++) __builtin_prefetch(&t->slots[h[k] & mask]);
    for (int64_t k = 0; k < m; k++) {
        /* The first slot whose tag matches, among the few that follow the home
         * slot (linear probing keeps them in the line just fetched). */
        cand[k] = -1;
        for (size_t i = h[k] & mask, j = 0; j < 4; i = (i + 1) & mask, j++) {
            uint64_t v = (uint64_t)t->slots[i];
            if (!v) break;
            if ((v & ~SLOT_ID_MASK) == slot_tag(h[k])) {
                cand[k] = (int64_t)(v & SLOT_ID_MASK) - 1;
                __builtin_prefetch(&t->off[cand[k]]);
                break;
            }
        }
    }
    for (int64_t k = 0; k < m; k++)
        if (cand[k] >= 0) __builtin_prefetch(t->buf + t->off[cand[k]]);
}

int iffnet_strtab_intern_many(iffnet_strtab_t *t, int64_t n, const char *const *s, const size_t *len,
                              int64_t *ids)
{
    uint64_t h[INTERN_GROUP];
    for (int64_t base = 0; base < n; base += INTERN_GROUP) {
        int64_t m = n - base < INTERN_GROUP ? n - base : INTERN_GROUP;
        for (int64_t k = 0; k < m; k++) h[k] = hash_bytes(s[base + k], len[base + k]);
        prefetch_group(t, m, h);
        for (int64_t k = 0; k < m; k++)
            IFFNET_TRY(intern_hashed(t, s[base + k], len[base + k], h[k], &ids[base + k], NULL));
    }
    return IFFNET_OK;
}

int64_t iffnet_strtab_find(iffnet_strtab_t *t, const char *s, size_t len)
{
    if (t->n == 0) return -1;
    if (index_ensure(t, t->n)) return -1;
    return index_lookup(t, s, len);
}

int iffnet_strtab_reserve(iffnet_strtab_t *t, int64_t n, size_t bytes)
{
    IFFNET_TRY(grow(t, bytes, n));
    return index_ensure(t, n);
}

/* ---- iffnet_i_keyidx_t: short strings held in the index's own slots ---- */

#define KEY_INLINE 23
#define KEY_LONG 0xFF

/* key[KEY_INLINE] is the string's length, or KEY_LONG for a string longer than
 * KEY_INLINE bytes (then key holds nothing and the table's string is read). */
struct iffnet_i_keyslot {
    uint32_t id1;                /* string index + 1; 0: empty */
    uint32_t tag;                /* top 32 bits of the hash; its low bits are the home slot, so
                                  * the index grows without hashing a string again */
    unsigned char key[KEY_INLINE + 1];
};
typedef struct iffnet_i_keyslot keyslot_t;

/* The slot contents for s: its bytes zero-padded, then its length. */
static void key_make(unsigned char key[KEY_INLINE + 1], const char *s, size_t len)
{
    memset(key, 0, KEY_INLINE + 1);
    if (len > KEY_INLINE) {
        key[KEY_INLINE] = KEY_LONG;
        return;
    }
    memcpy(key, s, len);
    key[KEY_INLINE] = (unsigned char)len;
}

static int key_equal(const keyslot_t *sl, const unsigned char key[KEY_INLINE + 1], const iffnet_strtab_t *t,
                     const char *s, size_t len)
{
    if (memcmp(sl->key, key, KEY_INLINE + 1) != 0) return 0;
    if (key[KEY_INLINE] != KEY_LONG) return 1;
    const char *c = t->buf + t->off[sl->id1 - 1];
    return memcmp(c, s, len) == 0 && c[len] == '\0';
}

static void keyidx_put(iffnet_i_keyidx_t *x, const keyslot_t *v)
{
    size_t mask = x->nslots - 1, i = v->tag & mask;
    while (x->slot[i].id1) i = (i + 1) & mask;
    x->slot[i] = *v;
}

static void keyidx_put_new(iffnet_i_keyidx_t *x, uint64_t h, const unsigned char key[KEY_INLINE + 1], int64_t id)
{
    keyslot_t v;
    v.id1 = (uint32_t)(id + 1);
    v.tag = (uint32_t)(h >> 32);
    memcpy(v.key, key, KEY_INLINE + 1);
    keyidx_put(x, &v);
}

/* Room for `need` strings at a load under 0.7 (a slot is 32 bytes: the table is
 * kept fuller than the plain index, whose slots are 8). */
static int keyidx_ensure(iffnet_i_keyidx_t *x, int64_t need)
{
    if (need > (int64_t)UINT32_MAX - 1) return iffnet_i_seterr(IFFNET_ELIMIT, "more than 2^32 strings to index");
    if (x->nslots && (size_t)need * 10 < x->nslots * 7) return IFFNET_OK;
    size_t ns = x->nslots ? x->nslots : 1024;
    while ((size_t)need * 10 >= ns * 7) ns *= 2;
    keyslot_t *slot = alloc_index(ns * sizeof *slot), *old = x->slot;
    if (!slot) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory (string index)");
    size_t old_n = x->nslots;
    x->slot = slot;
    x->nslots = ns;
    for (size_t i = 0; i < old_n; i++)
        if (old[i].id1) keyidx_put(x, &old[i]);
    free(old);
    return IFFNET_OK;
}

/* Indexes the strings appended to t since the last call. */
static int keyidx_catch_up(iffnet_i_keyidx_t *x, const iffnet_strtab_t *t)
{
    IFFNET_TRY(keyidx_ensure(x, t->n));
    for (; x->n < t->n; x->n++) {
        int64_t id = x->n;
        const char *s = t->buf + t->off[id];
        size_t len = (size_t)((id + 1 < t->n ? t->off[id + 1] : (int64_t)t->len) - t->off[id]) - 1;
        unsigned char key[KEY_INLINE + 1];
        key_make(key, s, len);
        keyidx_put_new(x, hash_bytes(s, len), key, id);
    }
    return IFFNET_OK;
}

static int keyidx_intern(iffnet_i_keyidx_t *x, iffnet_strtab_t *t, const char *s, size_t len, uint64_t h,
                         int64_t *id)
{
    unsigned char key[KEY_INLINE + 1];
    key_make(key, s, len);
    uint32_t tag = (uint32_t)(h >> 32);
    size_t mask = x->nslots - 1, i = tag & mask;
    for (; x->slot[i].id1; i = (i + 1) & mask) {
        if (x->slot[i].tag == tag && key_equal(&x->slot[i], key, t, s, len)) {
            *id = (int64_t)x->slot[i].id1 - 1;
            return IFFNET_OK;
        }
    }
    /* New: appended to the table (whose own index, if it has one, follows),
     * then put in this index. */
    IFFNET_TRY(iffnet_strtab_append(t, s, len, id));
    IFFNET_TRY(keyidx_ensure(x, t->n));
    keyidx_put_new(x, h, key, *id);
    x->n = t->n;
    return IFFNET_OK;
}

int iffnet_i_keyidx_intern_many(iffnet_i_keyidx_t *x, iffnet_strtab_t *t, int64_t n, const char *const *s,
                                const size_t *len, const uint64_t *hash, int64_t *ids)
{
    uint64_t h[INTERN_GROUP];
    IFFNET_TRY(keyidx_catch_up(x, t));
    for (int64_t base = 0; base < n; base += INTERN_GROUP) {
        int64_t m = n - base < INTERN_GROUP ? n - base : INTERN_GROUP;
        /* The whole group's home slots are fetched together: one wait for memory
         * per group, not one per string. */
        for (int64_t k = 0; k < m; k++) {
            h[k] = hash ? hash[base + k] : hash_bytes(s[base + k], len[base + k]);
            __builtin_prefetch(&x->slot[(h[k] >> 32) & (x->nslots - 1)]);
        }
        for (int64_t k = 0; k < m; k++) IFFNET_TRY(keyidx_intern(x, t, s[base + k], len[base + k], h[k], &ids[base + k]));
    }
    return IFFNET_OK;
}

void iffnet_i_keyidx_free(iffnet_i_keyidx_t *x)
{
    free(x->slot);
    memset(x, 0, sizeof *x);
}
