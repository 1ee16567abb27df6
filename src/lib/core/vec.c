/* vec.c: the int64 toolkit the modules share: a growable vector, sorting and
 * the comparator, and union-find with deterministic roots. */
#include "core_internal.h"

int iffnet_i_vec_push(iffnet_i_vec_t *v, int64_t x)
{
    if (v->n == v->cap) IFFNET_TRY(iffnet_i_reserve((void **)&v->v, &v->cap, v->n + 1, sizeof *v->v));
    v->v[v->n++] = x;
    return IFFNET_OK;
}

int iffnet_i_cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int iffnet_i_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int iffnet_i_uf_init(iffnet_i_uf_t *u, int64_t n)
{
    u->n = n;
    u->parent = malloc((size_t)(n > 0 ? n : 1) * sizeof *u->parent);
    if (!u->parent) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (int64_t i = 0; i < n; i++) u->parent[i] = i;
    return IFFNET_OK;
}

void iffnet_i_uf_destroy(iffnet_i_uf_t *u)
{
    free(u->parent);
    u->parent = NULL;
    u->n = 0;
}

int64_t iffnet_i_uf_find_in(int64_t *parent, int64_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];   /* path halving */
        x = parent[x];
    }
    return x;
}

void iffnet_i_uf_union_in(int64_t *parent, int64_t a, int64_t b)
{
    a = iffnet_i_uf_find_in(parent, a);
    b = iffnet_i_uf_find_in(parent, b);
    /* The smaller index becomes the root: deterministic representatives. */
    if (a < b) parent[b] = a;
    else if (b < a) parent[a] = b;
}
