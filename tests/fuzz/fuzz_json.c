/* fuzz_json.c: the strict JSON reader, and the writer's promise that whatever
 * bytes it is given, what it writes is valid JSON.
 *
 * Properties: parsing never crashes; a parsed tree written back through the
 * writer parses again; the input written as one JSON string parses again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "iffnet/iffnet.h"

static void write_value(iffnet_jsonw_t *w, const char *key, const iffnet_json_t *v)
{
    switch (v->type) {
    case IFFNET_JSON_NULL: iffnet_jsonw_null(w, key); break;
    case IFFNET_JSON_BOOL: iffnet_jsonw_bool(w, key, v->boolean); break;
    case IFFNET_JSON_NUMBER: iffnet_jsonw_number(w, key, v->str); break;
    case IFFNET_JSON_STRING: iffnet_jsonw_str(w, key, v->str); break;
    case IFFNET_JSON_ARRAY:
        iffnet_jsonw_array_begin(w, key);
        for (int64_t i = 0; i < v->n; i++) write_value(w, NULL, &v->items[i]);
        iffnet_jsonw_end(w);
        break;
    case IFFNET_JSON_OBJECT:
        iffnet_jsonw_object_begin(w, key);
        for (int64_t i = 0; i < v->n; i++) write_value(w, v->keys[i], &v->items[i]);
        iffnet_jsonw_end(w);
        break;
    }
}

/* Runs write(arg) into memory and checks that the text parses. */
static void check_written(void (*write)(iffnet_jsonw_t *, const void *), const void *arg, const char *what)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp) abort();
    iffnet_jsonw_t w;
    iffnet_jsonw_init(&w, fp);
    write(&w, arg);
    int err = iffnet_jsonw_finish(&w);
    if (fclose(fp) != 0) abort();
    if (err == IFFNET_OK) {
        iffnet_json_t *back = NULL;
        int perr = iffnet_json_parse(&back, text, len, NULL);
        FUZZ_ASSERT(perr == IFFNET_OK, what);
        iffnet_json_free(back);
    }
    free(text);
}

static void write_tree(iffnet_jsonw_t *w, const void *v) { write_value(w, NULL, v); }

/* Duplicate keys are legal for the writer but refused by the strict reader:
 * only trees without them are written back. Keys holding \u0000 would be cut at
 * the NUL by the writer's C strings, which can make two keys equal. */
static int writable(const iffnet_json_t *v)
{
    if (v->type == IFFNET_JSON_STRING) return strlen(v->str) == v->len;
    if (v->type != IFFNET_JSON_ARRAY && v->type != IFFNET_JSON_OBJECT) return 1;
    for (int64_t i = 0; i < v->n; i++) {
        if (v->type == IFFNET_JSON_OBJECT && strlen(v->keys[i]) != v->key_lens[i]) return 0;
        if (!writable(&v->items[i])) return 0;
    }
    return 1;
}

typedef struct { const uint8_t *data; size_t size; } bytes_t;

static void write_string(iffnet_jsonw_t *w, const void *arg)
{
    const bytes_t *b = arg;
    char *s = malloc(b->size + 1);
    if (!s) abort();
    memcpy(s, b->data, b->size);
    s[b->size] = '\0';
    iffnet_jsonw_object_begin(w, NULL);
    iffnet_jsonw_str(w, s, s);
    iffnet_jsonw_end(w);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    iffnet_json_t *v = NULL;
    iffnet_json_opts_t o = {"fuzz.json", 1, 0, 0};
    if (iffnet_json_parse(&v, (const char *)data, size, &o) == IFFNET_OK) {
        int64_t i64;
        iffnet_money_t m;
        if (v->type == IFFNET_JSON_NUMBER) {
            (void)iffnet_json_int64(v, &i64);
            (void)iffnet_json_amount(v, 2, &m);
        }
        if (writable(v)) check_written(write_tree, v, "a parsed tree written back parses");
        iffnet_json_free(v);
    }
    bytes_t b = {data, size};
    check_written(write_string, &b, "any bytes written as a JSON string parse");
    return 0;
}
