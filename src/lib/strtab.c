/* strtab.c: interned string tables with an open-addressing hash index. */
#include "internal.h"

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

/* FNV-1a: simple, fast enough for ids, and deterministic across runs. */
static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

static int index_insert(iffnet_strtab_t *t, int64_t id)
{
    const char *s = t->buf + t->off[id];
    size_t mask = t->nslots - 1;
    size_t i = hash_bytes(s, strlen(s)) & mask;
    while (t->slots[i]) i = (i + 1) & mask;
    t->slots[i] = id + 1;
    return IFFNET_OK;
}

static int index_rebuild(iffnet_strtab_t *t, size_t nslots)
{
    int64_t *slots = calloc(nslots, sizeof *slots);
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

static int64_t index_lookup(const iffnet_strtab_t *t, const char *s, size_t len)
{
    size_t mask = t->nslots - 1;
    size_t i = hash_bytes(s, len) & mask;
    while (t->slots[i]) {
        int64_t id = t->slots[i] - 1;
        const char *c = t->buf + t->off[id];
        if (strncmp(c, s, len) == 0 && c[len] == '\0') return id;
        i = (i + 1) & mask;
    }
    return -1;
}

int iffnet_strtab_append(iffnet_strtab_t *t, const char *s, size_t len, int64_t *id)
{
    int64_t cap = (int64_t)t->cap;
    IFFNET_TRY(iffnet_i_reserve((void **)&t->buf, &cap, (int64_t)(t->len + len + 1), 1));
    t->cap = (size_t)cap;
    IFFNET_TRY(iffnet_i_reserve((void **)&t->off, &t->cap_n, t->n + 1, sizeof *t->off));
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

int iffnet_strtab_intern(iffnet_strtab_t *t, const char *s, size_t len, int64_t *id, int *is_new)
{
    IFFNET_TRY(index_ensure(t, t->n + 1));
    int64_t found = index_lookup(t, s, len);
    if (found >= 0) {
        *id = found;
        if (is_new) *is_new = 0;
        return IFFNET_OK;
    }
    if (is_new) *is_new = 1;
    return iffnet_strtab_append(t, s, len, id);
}

int64_t iffnet_strtab_find(iffnet_strtab_t *t, const char *s, size_t len)
{
    if (t->n == 0) return -1;
    if (index_ensure(t, t->n)) return -1;
    return index_lookup(t, s, len);
}
