/* fuzz_casefile.c: the case-file loader, with checksums recomputed.
 *
 * A mutated case file almost always fails its CRC-32 and stops there. This
 * harness first repairs the container: it walks the section headers, cuts a
 * section length that runs past the end, recomputes every CRC and the section
 * count, and only then hands the bytes to iffnet_case_load_mem() (the file
 * loader's checks, without the file). Mutations of counts, indices and META
 * text thus reach the parser and the checks behind it.
 * Properties: the loader never crashes; a case it accepts can be read through
 * every accessor and summarised, and written and loaded again. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "fuzz.h"
#include "iffnet/iffnet.h"

static uint8_t *repair(const uint8_t *data, size_t size)
{
    uint8_t *b = malloc(size ? size : 1);
    if (!b) abort();
    memcpy(b, data, size);
    if (size < 16 || memcmp(b, "IFFNCASE", 8) != 0) return b;
    uint32_t count = 0;
    size_t p = 16;
    while (size - p >= 16) {
        uint64_t len;
        memcpy(&len, b + p + 8, 8);
        if (len > size - p - 16) {
            len = size - p - 16;
            memcpy(b + p + 8, &len, 8);
        }
        uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), b + p + 16, (uInt)len);
        memcpy(b + p + 4, &crc, 4);
        p += 16 + len;
        count++;
    }
    memcpy(b + 12, &count, 4);
    return b;
}

/* Reads every field a command may read, so that an index the loader let through
 * shows up here under ASan. */
static void use_case(const iffnet_case_t *c)
{
    char buf[64];
    size_t total = 0;
    for (int64_t a = 0; a < c->n_accounts; a++) {
        total += strlen(iffnet_case_account_id(c, a)) + strlen(iffnet_case_account_name(c, a));
        total += strlen(iffnet_case_account_country(c, a)) + strlen(iffnet_case_account_sector(c, a));
        int64_t e = iffnet_case_account_profile(c, a);
        for (int64_t k = 0; k < c->n_attrs; k++)
            total += strlen(iffnet_case_entity_attr(c, e, iffnet_strtab_get(&c->attr_names, k)));
    }
    for (int64_t t = 0; t < c->n_tx; t++) {
        total += strlen(iffnet_case_tx_id(c, t)) + strlen(iffnet_case_text(c, c->tx_reference[t]));
        total += (size_t)iffnet_case_format_money(c, buf, sizeof buf, iffnet_case_tx_value(c, t),
                                                  iffnet_case_value_currency(c), 1);
        iffnet_time_format(buf, sizeof buf, c->tx_time[t], 0);
        total += strlen(iffnet_strtab_get(&c->channels, c->tx_channel[t]));
    }
    for (int64_t e = 0; e < c->n_entities; e++) {
        total += strlen(iffnet_case_text(c, c->entity_kind[e])) + strlen(iffnet_case_text(c, c->entity_name[e]));
        total += strlen(iffnet_case_text(c, c->entity_country[e])) + strlen(iffnet_case_text(c, c->entity_sector[e]));
    }
    for (int64_t k = 0; k < c->n_relations; k++) {
        total += strlen(iffnet_case_text(c, c->rel_type[k]));
        if (c->rel_src_entity[k] >= 0) total += strlen(iffnet_strtab_get(&c->entity_ids, c->rel_src_entity[k]));
        if (c->rel_dst_account[k] >= 0) total += strlen(iffnet_case_account_id(c, c->rel_dst_account[k]));
    }
    FUZZ_ASSERT(total < SIZE_MAX, "strings are read");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    uint8_t *b = repair(data, size);
    iffnet_case_t c, again;
    int err = iffnet_case_load_mem(&c, "in.iffn", b, size);
    free(b);
    if (err != IFFNET_OK) return 0;
    use_case(&c);
    iffnet_summary_t s;
    if (iffnet_case_summarize(&c, 3, &s) == IFFNET_OK) iffnet_summary_destroy(&s);
    igraph_t g;
    if (iffnet_case_graph(&c, &g) == IFFNET_OK) igraph_destroy(&g);
    FUZZ_ASSERT(fuzz_case_reload(&c, &again) == IFFNET_OK, "a case written from a loaded one loads");
    FUZZ_ASSERT(again.n_tx == c.n_tx && again.n_accounts == c.n_accounts, "counts survive a write");
    iffnet_case_destroy(&again);
    iffnet_case_destroy(&c);
    return 0;
}
