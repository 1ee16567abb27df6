/* json.h: a small, strict JSON reader (RFC 8259) that builds a tree of values.
 *
 * Ownership: iffnet_json_parse() returns a tree owned by the caller, released with
 * iffnet_json_free(); every pointer reached from it (members, strings) is borrowed
 * from the tree and lives until it is freed.
 *
 * Strict means: no comments, no trailing commas, no single quotes, no NaN or
 * leading '+', no unescaped control characters in strings, only valid UTF-8, no
 * lone surrogates, no duplicate keys in one object, nothing after the value.
 * Errors carry "name:line:column" in the message (column counted in bytes, 1-based).
 * Nesting is limited (IFFNET_JSON_MAX_DEPTH by default), so hostile input cannot
 * exhaust the stack.
 */
#ifndef IFFNET_JSON_H
#define IFFNET_JSON_H

#include "common.h"
#include "money.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IFFNET_JSON_MAX_DEPTH 256

typedef enum {
    IFFNET_JSON_NULL,
    IFFNET_JSON_BOOL,
    IFFNET_JSON_NUMBER,
    IFFNET_JSON_STRING,
    IFFNET_JSON_ARRAY,
    IFFNET_JSON_OBJECT
} iffnet_json_type_t;

typedef struct iffnet_json iffnet_json_t;

/* A value. Read the fields directly; do not modify them. */
struct iffnet_json {
    iffnet_json_type_t type;
    int boolean;            /* BOOL: 0 or 1 */
    double number;          /* NUMBER: nearest double */
    char *str;              /* STRING: decoded UTF-8, NUL-terminated (may hold \u0000);
                             * NUMBER: the number's text exactly as written */
    size_t len;             /* bytes in str */
    int64_t n;              /* ARRAY: elements; OBJECT: members */
    iffnet_json_t *items;   /* ARRAY elements / OBJECT member values, in input order */
    char **keys;            /* OBJECT: member names (decoded, NUL-terminated) */
    size_t *key_lens;
    int64_t *by_key;        /* OBJECT: member indices sorted by key (for look-up) */
    int64_t line, col;      /* where the value starts (1-based; col in bytes) */
    int64_t cap;            /* allocated items (private) */
};

typedef struct {
    const char *name;       /* file name for messages; NULL: "<json>" */
    int64_t first_line;     /* line number of the first byte of text; 0 means 1 */
    int max_depth;          /* nesting limit; 0 means IFFNET_JSON_MAX_DEPTH */
} iffnet_json_opts_t;

/* Parses len bytes of text into a new tree *out (NULL on error). opts may be NULL.
 * Returns IFFNET_OK, IFFNET_EDATA (message "name:line:col: what"), IFFNET_ELIMIT
 * (too deep) or IFFNET_ENOMEM. O(len) time, O(len) memory plus sorting of keys
 * (O(m log m) per object of m members). */
int iffnet_json_parse(iffnet_json_t **out, const char *text, size_t len,
                      const iffnet_json_opts_t *opts);

/* Reads a whole file ("-" = stdin; a UTF-8 byte order mark is skipped) and parses
 * it; opts->name defaults to path. Errors as iffnet_json_parse(), or IFFNET_EIO. */
int iffnet_json_parse_file(iffnet_json_t **out, const char *path, const iffnet_json_opts_t *opts);

/* Frees a tree from iffnet_json_parse(); NULL is allowed. O(size). */
void iffnet_json_free(iffnet_json_t *v);

/* The member `key` of an object, or NULL when absent or v is not an object.
 * O(log m + len(key)). */
const iffnet_json_t *iffnet_json_get(const iffnet_json_t *v, const char *key);

/* Element i of an array (NULL when out of range or v is not an array). O(1). */
const iffnet_json_t *iffnet_json_at(const iffnet_json_t *v, int64_t i);

/* "null", "boolean", "number", "string", "array", "object". */
const char *iffnet_json_type_name(iffnet_json_type_t t);

/* Reads an integer NUMBER exactly from its text; only plain integer text is
 * accepted ("12", "-7"; "1e3" and "12.0" are refused, so nothing is rounded).
 * Returns 0, or -1 when v is not such a number or does not fit. O(len). */
int iffnet_json_int64(const iffnet_json_t *v, int64_t *out);

/* Reads an amount in major units from a NUMBER or STRING ("1234.5", 1234.50) into
 * minor units at `scale` decimals, exactly (from the text, never via double).
 * Exponents are refused. Returns the status of iffnet_amount_parse(), or
 * IFFNET_AMOUNT_SYNTAX when v is neither a number nor a string. O(len). */
iffnet_amount_status_t iffnet_json_amount(const iffnet_json_t *v, int scale, iffnet_money_t *out);

#ifdef __cplusplus
}
#endif
#endif
