/* json.h: a small, strict JSON reader (RFC 8259) that builds a tree of values,
 * and the one JSON writer every JSON output of iffnet goes through.
 *
 * Ownership: iffnet_json_parse() returns a tree owned by the caller, released with
 * iffnet_json_free(); every pointer reached from it (members, strings) is borrowed
 * from the tree and lives until it is freed. A writer (iffnet_jsonw_t) lives in
 * the caller's memory and holds nothing on the heap: it borrows its FILE, which
 * the caller opens and closes, and copies every key and value as it is written.
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
    size_t max_bytes;       /* iffnet_json_parse_file(): largest file; 0 means IFFNET_JSON_MAX_FILE */
} iffnet_json_opts_t;

/* Parses len bytes of text into a new tree *out (NULL on error). opts may be NULL.
 * Returns IFFNET_OK, IFFNET_EDATA (message "name:line:col: what"), IFFNET_ELIMIT
 * (too deep) or IFFNET_ENOMEM. O(len) time, O(len) memory plus sorting of keys
 * (O(m log m) per object of m members). */
int iffnet_json_parse(iffnet_json_t **out, const char *text, size_t len,
                      const iffnet_json_opts_t *opts);

/* The largest file iffnet_json_parse_file() reads: a document is held whole,
 * and its tree takes several times its size. */
#define IFFNET_JSON_MAX_FILE ((size_t)256 << 20)

/* Reads a whole file ("-" = stdin; a UTF-8 byte order mark is skipped) and parses
 * it; opts->name defaults to path. Errors as iffnet_json_parse(), IFFNET_EIO, or
 * IFFNET_ELIMIT for a file larger than IFFNET_JSON_MAX_FILE (/dev/zero, a stream
 * that never ends), refused before it fills memory. */
int iffnet_json_parse_file(iffnet_json_t **out, const char *path, const iffnet_json_opts_t *opts);

/* Frees a tree from iffnet_json_parse(); NULL is allowed. O(size). */
void iffnet_json_free(iffnet_json_t *v);

/* The first string or member name in v (depth first) that holds a NUL
 * character (\u0000 is valid JSON; str and len keep it), or NULL when none
 * does. For a member name the member's value is returned (its line and column
 * point there). A reader that keeps strings as C strings refuses these: the NUL
 * would cut them short. O(size). */
const iffnet_json_t *iffnet_json_find_nul(const iffnet_json_t *v);

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

/* ---- writer --------------------------------------------------------------- */

/* Writes JSON text to a FILE, compact (no spaces), with the commas between
 * members and elements placed by the writer, so callers only say what comes next
 * (after git's json-writer.h):
 *
 *     iffnet_jsonw_t w;
 *     iffnet_jsonw_init(&w, fp);
 *     iffnet_jsonw_object_begin(&w, NULL);
 *     iffnet_jsonw_str(&w, "id", id);
 *     iffnet_jsonw_array_begin(&w, "accounts");
 *     for (...) iffnet_jsonw_str(&w, NULL, account);
 *     iffnet_jsonw_end(&w);
 *     iffnet_jsonw_end(&w);
 *     err = iffnet_jsonw_finish(&w);
 *
 * Every add and begin function takes the member name `key`: non-NULL inside an
 * object, NULL inside an array and for a top-level value. Each top-level value is
 * followed by a newline, so a run of them is JSON Lines and a single one is a
 * document ending in a newline.
 *
 * Strings (keys and values) are escaped in one place: '"', '\\', \n, \r and \t by
 * their short escapes, other control characters as \u00xx, everything else
 * as it is; each byte that does not start a valid UTF-8 sequence (RFC 3629) is
 * written as U+FFFD, so the output is valid JSON whatever the input.
 *
 * Misuse (a key where none belongs or a missing one, an end with nothing open,
 * nesting deeper than IFFNET_JSON_MAX_DEPTH, number text that is not a JSON
 * number) stops the writer: nothing more is written, and iffnet_jsonw_finish()
 * reports it. Each function takes O(1) time plus the length of what it writes. */

/* The fields are private: use the functions below. */
typedef struct {
    FILE *fp;
    int depth;                                  /* open objects and arrays */
    const char *misuse;                         /* what went wrong, or NULL */
    unsigned char level[IFFNET_JSON_MAX_DEPTH]; /* kind and state of each open one */
} iffnet_jsonw_t;

/* Starts a writer on fp (borrowed; the caller closes it). O(1). */
void iffnet_jsonw_init(iffnet_jsonw_t *w, FILE *fp);

/* Opens an object or an array as the next value. O(1) plus the key. */
void iffnet_jsonw_object_begin(iffnet_jsonw_t *w, const char *key);
void iffnet_jsonw_array_begin(iffnet_jsonw_t *w, const char *key);
/* As iffnet_jsonw_array_begin(), but laid out one element per line, with the
 * brackets on lines of their own: "[\n" elem ",\n" elem "\n]" (an empty one is
 * "[\n\n]"). For long lists meant to be read or diffed line by line. O(1). */
void iffnet_jsonw_array_begin_lines(iffnet_jsonw_t *w, const char *key);
/* Closes the innermost open object or array. O(1). */
void iffnet_jsonw_end(iffnet_jsonw_t *w);

/* A string; NULL writes null. O(strlen(s) + key). */
void iffnet_jsonw_str(iffnet_jsonw_t *w, const char *key, const char *s);
/* An integer, exactly (INT64_MIN and INT64_MAX included). O(1). */
void iffnet_jsonw_int(iffnet_jsonw_t *w, const char *key, int64_t v);
/* A double with `decimals` (0 to 100) digits after the point, as printf("%.*f")
 * writes it; NaN and infinities, which JSON cannot hold, write null. Under a
 * locale with a decimal comma the text is not a JSON number: misuse. O(digits). */
void iffnet_jsonw_double(iffnet_jsonw_t *w, const char *key, double v, int decimals);
/* true or false (v != 0), and null. O(1). */
void iffnet_jsonw_bool(iffnet_jsonw_t *w, const char *key, int v);
void iffnet_jsonw_null(iffnet_jsonw_t *w, const char *key);
/* Money as an integer count of minor units, which every JSON reader holds
 * exactly up to 2^53 (the document states the scale elsewhere). O(1). */
void iffnet_jsonw_money(iffnet_jsonw_t *w, const char *key, iffnet_money_t v);
/* Money as a JSON number in major units at `scale` decimals (1234.50, with the
 * trailing zeros), exact, as iffnet_amount_format() writes it: the output
 * convention of iffnet-formats(5). O(1). */
void iffnet_jsonw_amount(iffnet_jsonw_t *w, const char *key, iffnet_money_t v, int scale);
/* A time as an ISO 8601 string in UTC ("2024-03-01T12:00:00Z", as
 * iffnet_time_format() writes it), or null for INT64_MIN and INT64_MAX, which
 * stand for an open end of a time window. O(1). */
void iffnet_jsonw_time(iffnet_jsonw_t *w, const char *key, iffnet_time_t t);
/* A number already formatted by the caller (text shared with other output
 * formats), written as it is; text that does not follow the JSON number grammar
 * is misuse. O(strlen(text)). */
void iffnet_jsonw_number(iffnet_jsonw_t *w, const char *key, const char *text);

/* Ends the writer: IFFNET_OK; IFFNET_EINVAL after misuse or with objects or
 * arrays left open; IFFNET_EIO when fp has seen a write error (ferror). Bytes
 * still in fp's buffer are checked by whoever flushes it (iffnet_out_commit()).
 * O(1). */
int iffnet_jsonw_finish(iffnet_jsonw_t *w);

#ifdef __cplusplus
}
#endif
#endif
