/* json.c: strict recursive-descent JSON reader with a depth limit.
 * Values are built in place: a container's elements live in one array that grows
 * by doubling, so a partly built tree is always safe to free after an error. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include "core_internal.h"
#include "iffnet/json.h"

typedef struct {
    const char *start, *p, *end;
    const char *name;
    int64_t line;              /* current line */
    const char *line_start;    /* first byte of the current line */
    int max_depth;
    char *buf;                 /* scratch for decoding strings */
    size_t blen, bcap;
} parser_t;

static int perr_at(parser_t *P, int err, int64_t line, int64_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int perr_at(parser_t *P, int err, int64_t line, int64_t col, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return iffnet_i_seterr(err, "%s:%lld:%lld: %s", P->name, (long long)line, (long long)col, msg);
}

static int64_t col_of(const parser_t *P, const char *at)
{
    return (int64_t)(at - P->line_start) + 1;
}

/* Error at position `at` on the current line. */
#define PERR(P, at, ...) perr_at((P), IFFNET_EDATA, (P)->line, col_of((P), (at)), __VA_ARGS__)

/* Describes the byte at p for messages: "'x'", "end of input", "byte 0x07". */
static const char *what_at(const parser_t *P, const char *p, char *buf, size_t size)
{
    unsigned char ch;
    if (p >= P->end)
        return "end of input";
    ch = (unsigned char)*p;
    if (ch >= 0x21 && ch < 0x7f)
        snprintf(buf, size, "'%c'", ch);
    else
        snprintf(buf, size, "byte 0x%02x", ch);
    return buf;
}

static void skip_ws(parser_t *P)
{
    while (P->p < P->end) {
        char ch = *P->p;
        if (ch == '\n') {
            P->line++;
            P->line_start = ++P->p;
        } else if (ch == ' ' || ch == '\t' || ch == '\r') {
            P->p++;
        } else {
            break;
        }
    }
}

static int buf_put(parser_t *P, const char *s, size_t n)
{
    if (P->blen + n + 1 > P->bcap) {
        size_t cap = P->bcap ? P->bcap : 64;
        char *nb;
        while (cap < P->blen + n + 1)
            cap *= 2;
        nb = realloc(P->buf, cap);
        if (!nb)
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading JSON");
        P->buf = nb;
        P->bcap = cap;
    }
    memcpy(P->buf + P->blen, s, n);
    P->blen += n;
    P->buf[P->blen] = '\0';
    return IFFNET_OK;
}

/* The library's one UTF-8 check (core_internal.h); the reader uses it first. */
size_t iffnet_i_utf8_valid_prefix(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* Eight ASCII bytes at a time: most text is ASCII. */
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = iffnet_i_utf8_len(p + i, n - i);
        if (!len) return i;
        i += len;
    }
    return n;
}

size_t iffnet_i_utf8_len(const unsigned char *p, size_t left)
{
    unsigned char c = p[0];
    size_t n, i;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else
        return 0;
    if (left < n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return n;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
    unsigned v = 0;
    int i;
    if (end - p < 4)
        return -1;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static int put_codepoint(parser_t *P, unsigned cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp; n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xc0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3f)); n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xe0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
    } else {
        b[0] = (char)(0xf0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); b[3] = (char)(0x80 | (cp & 0x3f)); n = 4;
    }
    return buf_put(P, b, n);
}

/* Decodes the \u escape at P->p (pointing at 'u'), pairing surrogates. */
static int parse_u_escape(parser_t *P)
{
    const char *at = P->p - 1;
    unsigned cp, lo;
    if (hex4(P->p + 1, P->end, &cp))
        return PERR(P, at, "\\u must be followed by four hex digits");
    P->p += 5;
    if (cp >= 0xdc00 && cp <= 0xdfff)
        return PERR(P, at, "lone low surrogate \\u%04X", cp);
    if (cp >= 0xd800 && cp <= 0xdbff) {
        if (P->end - P->p < 6 || P->p[0] != '\\' || P->p[1] != 'u' ||
            hex4(P->p + 2, P->end, &lo) || lo < 0xdc00 || lo > 0xdfff)
            return PERR(P, at, "high surrogate \\u%04X is not followed by a low surrogate", cp);
        P->p += 6;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    }
    return put_codepoint(P, cp);
}

static int parse_escape(parser_t *P)
{
    const char *at = P->p;
    char out;
    P->p++; /* backslash */
    if (P->p >= P->end)
        return PERR(P, at, "unterminated string");
    switch (*P->p) {
    case '"': out = '"'; break;
    case '\\': out = '\\'; break;
    case '/': out = '/'; break;
    case 'b': out = '\b'; break;
    case 'f': out = '\f'; break;
    case 'n': out = '\n'; break;
    case 'r': out = '\r'; break;
    case 't': out = '\t'; break;
    case 'u': return parse_u_escape(P);
    default: {
        char w[16];
        return PERR(P, at, "invalid escape \\%s in string", what_at(P, P->p, w, sizeof w));
    }
    }
    P->p++;
    return buf_put(P, &out, 1);
}

/* Parses a string at P->p (a '"') into the scratch buffer. */
static int parse_string_raw(parser_t *P)
{
    const char *open = P->p;
    P->blen = 0;
    IFFNET_TRY(buf_put(P, "", 0));
    P->p++;
    for (;;) {
        const char *run = P->p;
        while (P->p < P->end && *P->p != '"' && *P->p != '\\' && (unsigned char)*P->p >= 0x20 &&
               (unsigned char)*P->p < 0x80)
            P->p++;
        IFFNET_TRY(buf_put(P, run, (size_t)(P->p - run)));
        if (P->p >= P->end)
            return PERR(P, open, "unterminated string");
        if (*P->p == '"') {
            P->p++;
            return IFFNET_OK;
        }
        if (*P->p == '\\') {
            IFFNET_TRY(parse_escape(P));
        } else if ((unsigned char)*P->p < 0x20) {
            return PERR(P, P->p, "control character 0x%02x in string (write it escaped)",
                        (unsigned char)*P->p);
        } else {
            size_t n = iffnet_i_utf8_len((const unsigned char *)P->p, (size_t)(P->end - P->p));
            if (!n)
                return PERR(P, P->p, "invalid UTF-8 in string");
            IFFNET_TRY(buf_put(P, P->p, n));
            P->p += n;
        }
    }
}

static int take_buf(parser_t *P, char **s, size_t *len)
{
    *s = malloc(P->blen + 1);
    if (!*s)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading JSON");
    memcpy(*s, P->buf, P->blen + 1);
    *len = P->blen;
    return IFFNET_OK;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Converts validated number text with the C decimal point whatever the locale. */
static double to_double(char *text)
{
    const char *dp = localeconv()->decimal_point;
    if (dp && dp[0] && !(dp[0] == '.' && !dp[1]) && strlen(dp) == 1) {
        char *dot = strchr(text, '.');
        double d;
        if (dot) *dot = dp[0];
        d = strtod(text, NULL);
        if (dot) *dot = '.';
        return d;
    }
    return strtod(text, NULL);
}

static int parse_number(parser_t *P, iffnet_json_t *v)
{
    const char *s = P->p, *p = P->p;
    if (p < P->end && *p == '-')
        p++;
    if (p >= P->end || !is_digit(*p))
        return PERR(P, s, "invalid number");
    if (*p == '0') {
        p++;
        if (p < P->end && is_digit(*p))
            return PERR(P, s, "number with a leading zero");
    } else {
        while (p < P->end && is_digit(*p)) p++;
    }
    if (p < P->end && *p == '.') {
        p++;
        if (p >= P->end || !is_digit(*p))
            return PERR(P, s, "number needs digits after the decimal point");
        while (p < P->end && is_digit(*p)) p++;
    }
    if (p < P->end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < P->end && (*p == '+' || *p == '-')) p++;
        if (p >= P->end || !is_digit(*p))
            return PERR(P, s, "number needs digits in its exponent");
        while (p < P->end && is_digit(*p)) p++;
    }
    v->type = IFFNET_JSON_NUMBER;
    v->len = (size_t)(p - s);
    v->str = malloc(v->len + 1);
    if (!v->str)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading JSON");
    memcpy(v->str, s, v->len);
    v->str[v->len] = '\0';
    errno = 0;
    v->number = to_double(v->str);
    if (isinf(v->number))
        return PERR(P, s, "number %s is out of range", v->str);
    P->p = p;
    return IFFNET_OK;
}

static int parse_literal(parser_t *P, iffnet_json_t *v)
{
    static const struct { const char *w; iffnet_json_type_t t; int b; } lit[] = {
        {"null", IFFNET_JSON_NULL, 0}, {"true", IFFNET_JSON_BOOL, 1}, {"false", IFFNET_JSON_BOOL, 0}};
    size_t i;
    for (i = 0; i < sizeof lit / sizeof lit[0]; i++) {
        size_t n = strlen(lit[i].w);
        if ((size_t)(P->end - P->p) >= n && !memcmp(P->p, lit[i].w, n)) {
            const char *after = P->p + n;
            if (after < P->end && ((*after >= 'a' && *after <= 'z') || is_digit(*after)))
                break;
            v->type = lit[i].t;
            v->boolean = lit[i].b;
            P->p = after;
            return IFFNET_OK;
        }
    }
    {
        char w[16];
        return PERR(P, P->p, "unexpected %s, expected a value", what_at(P, P->p, w, sizeof w));
    }
}

static int parse_value(parser_t *P, iffnet_json_t *v, int depth);

/* Adds a zeroed element to container v and returns it. */
static int grow(iffnet_json_t *v, int is_object, iffnet_json_t **slot)
{
    if (v->n == v->cap) {
        int64_t cap = v->cap ? v->cap * 2 : 4;
        iffnet_json_t *items = realloc(v->items, (size_t)cap * sizeof *items);
        if (!items)
            return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading JSON");
        v->items = items;
        if (is_object) {
            char **keys = realloc(v->keys, (size_t)cap * sizeof *keys);
            size_t *lens;
            if (!keys)
                return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading JSON");
            v->keys = keys;
            lens = realloc(v->key_lens, (size_t)cap * sizeof *lens);
            if (!lens)
                return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading JSON");
            v->key_lens = lens;
        }
        v->cap = cap;
    }
    memset(&v->items[v->n], 0, sizeof v->items[0]);
    if (is_object) {
        v->keys[v->n] = NULL;
        v->key_lens[v->n] = 0;
    }
    *slot = &v->items[v->n++];
    return IFFNET_OK;
}

/* After an element: ',' (returns 0, more follow) or the closing bracket (1). */
static int after_element(parser_t *P, char close, const char *what, int *done)
{
    char w[16];
    skip_ws(P);
    if (P->p < P->end && *P->p == ',') {
        P->p++;
        skip_ws(P);
        if (P->p < P->end && *P->p == close)
            return PERR(P, P->p, "trailing comma in %s", what);
        *done = 0;
        return IFFNET_OK;
    }
    if (P->p < P->end && *P->p == close) {
        P->p++;
        *done = 1;
        return IFFNET_OK;
    }
    return PERR(P, P->p, "unexpected %s in %s, expected ',' or '%c'", what_at(P, P->p, w, sizeof w),
                what, close);
}

static int parse_array(parser_t *P, iffnet_json_t *v, int depth)
{
    int done = 0;
    v->type = IFFNET_JSON_ARRAY;
    P->p++;
    skip_ws(P);
    if (P->p < P->end && *P->p == ']') {
        P->p++;
        return IFFNET_OK;
    }
    while (!done) {
        iffnet_json_t *e;
        IFFNET_TRY(grow(v, 0, &e));
        IFFNET_TRY(parse_value(P, e, depth + 1));
        IFFNET_TRY(after_element(P, ']', "array", &done));
    }
    return IFFNET_OK;
}

typedef struct {
    const char *k;
    size_t len;
    int64_t i;
} keyref_t;

static int keycmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

static int keyref_cmp(const void *x, const void *y)
{
    const keyref_t *a = x, *b = y;
    int c = keycmp(a->k, a->len, b->k, b->len);
    if (c)
        return c;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Builds the sorted key index of an object and refuses duplicate keys. */
static int index_keys(parser_t *P, iffnet_json_t *v)
{
    keyref_t *r;
    int64_t i;
    int err = IFFNET_OK;
    if (!v->n)
        return IFFNET_OK;
    r = malloc((size_t)v->n * sizeof *r);
    v->by_key = malloc((size_t)v->n * sizeof *v->by_key);
    if (!r || !v->by_key) {
        free(r);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading JSON");
    }
    for (i = 0; i < v->n; i++) {
        r[i].k = v->keys[i];
        r[i].len = v->key_lens[i];
        r[i].i = i;
    }
    qsort(r, (size_t)v->n, sizeof *r, keyref_cmp);
    for (i = 0; i < v->n; i++) {
        v->by_key[i] = r[i].i;
        if (i && !err && !keycmp(r[i - 1].k, r[i - 1].len, r[i].k, r[i].len)) {
            const iffnet_json_t *dup = &v->items[r[i].i];
            err = perr_at(P, IFFNET_EDATA, dup->line, dup->col, "duplicate member '%s' in object",
                          r[i].k);
        }
    }
    free(r);
    return err;
}

static int parse_object(parser_t *P, iffnet_json_t *v, int depth)
{
    int done = 0;
    char w[16];
    v->type = IFFNET_JSON_OBJECT;
    P->p++;
    skip_ws(P);
    if (P->p < P->end && *P->p == '}') {
        P->p++;
        return IFFNET_OK;
    }
    while (!done) {
        iffnet_json_t *e;
        if (P->p >= P->end || *P->p != '"')
            return PERR(P, P->p, "unexpected %s in object, expected a member name in double quotes",
                        what_at(P, P->p, w, sizeof w));
        IFFNET_TRY(parse_string_raw(P));
        IFFNET_TRY(grow(v, 1, &e));
        IFFNET_TRY(take_buf(P, &v->keys[v->n - 1], &v->key_lens[v->n - 1]));
        skip_ws(P);
        if (P->p >= P->end || *P->p != ':')
            return PERR(P, P->p, "unexpected %s after member name '%s', expected ':'",
                        what_at(P, P->p, w, sizeof w), v->keys[v->n - 1]);
        P->p++;
        IFFNET_TRY(parse_value(P, e, depth + 1));
        IFFNET_TRY(after_element(P, '}', "object", &done));
        if (!done && (P->p >= P->end || *P->p != '"'))
            return PERR(P, P->p, "unexpected %s in object, expected a member name in double quotes",
                        what_at(P, P->p, w, sizeof w));
    }
    return index_keys(P, v);
}

static int parse_value(parser_t *P, iffnet_json_t *v, int depth)
{
    skip_ws(P);
    v->line = P->line;
    v->col = col_of(P, P->p);
    if (P->p < P->end && (*P->p == '[' || *P->p == '{') && depth > P->max_depth)
        return perr_at(P, IFFNET_ELIMIT, v->line, v->col, "nesting deeper than %d levels",
                       P->max_depth);
    if (P->p >= P->end)
        return PERR(P, P->p, "unexpected end of input, expected a value");
    switch (*P->p) {
    case '{': return parse_object(P, v, depth);
    case '[': return parse_array(P, v, depth);
    case '"':
        v->type = IFFNET_JSON_STRING;
        IFFNET_TRY(parse_string_raw(P));
        return take_buf(P, &v->str, &v->len);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return parse_number(P, v);
    default:
        return parse_literal(P, v);
    }
}

int iffnet_json_parse(iffnet_json_t **out, const char *text, size_t len,
                      const iffnet_json_opts_t *opts)
{
    parser_t P;
    iffnet_json_t *root = NULL;
    int err;
    char w[16];

    *out = NULL;
    memset(&P, 0, sizeof P);
    P.start = P.p = P.line_start = text;
    P.end = text + len;
    P.name = opts && opts->name ? opts->name : "<json>";
    P.line = opts && opts->first_line > 0 ? opts->first_line : 1;
    P.max_depth = opts && opts->max_depth > 0 ? opts->max_depth : IFFNET_JSON_MAX_DEPTH;
    root = calloc(1, sizeof *root);
    if (!root) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading JSON");
        goto out;
    }
    err = parse_value(&P, root, 1);
    if (err)
        goto out;
    skip_ws(&P);
    if (P.p < P.end) {
        err = PERR(&P, P.p, "unexpected %s after the JSON value", what_at(&P, P.p, w, sizeof w));
        goto out;
    }
    *out = root;
    root = NULL;
out:
    iffnet_json_free(root);
    free(P.buf);
    return err;
}

/* Reads all of fp into a fresh buffer. */
static int slurp(FILE *fp, const char *path, size_t limit, char **data, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading '%s'", path);
    for (;;) {
        size_t got;
        if (n > limit) {
            free(buf);
            return iffnet_i_seterr(IFFNET_ELIMIT, "'%s' is larger than %zu bytes (%zu MiB), more than iffnet reads as "
                                   "one JSON document", path, limit, limit >> 20);
        }
        if (n == cap) {
            /* One byte past the limit is enough to know the file is over it. */
            size_t ncap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading '%s'", path);
            }
            buf = nb;
            cap = ncap;
        }
        got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        free(buf);
        return iffnet_i_seterr(IFFNET_EIO, "cannot read '%s'", path);
    }
    *data = buf;
    *len = n;
    return IFFNET_OK;
}

int iffnet_json_parse_file(iffnet_json_t **out, const char *path, const iffnet_json_opts_t *opts)
{
    FILE *fp = NULL;
    char *data = NULL;
    size_t len = 0, skip = 0;
    iffnet_json_opts_t o = {0};
    int err;

    *out = NULL;
    if (opts)
        o = *opts;
    if (!o.name)
        o.name = path;
    fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!fp) {
        err = iffnet_i_seterr(IFFNET_EIO, "cannot open '%s': %s", path, strerror(errno));
        goto out;
    }
    err = slurp(fp, path, o.max_bytes ? o.max_bytes : IFFNET_JSON_MAX_FILE, &data, &len);
    if (err)
        goto out;
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
        skip = 3;
    err = iffnet_json_parse(out, data + skip, len - skip, &o);
out:
    if (fp && fp != stdin)
        fclose(fp);
    free(data);
    return err;
}

static void json_destroy(iffnet_json_t *v)
{
    int64_t i;
    for (i = 0; i < v->n; i++) {
        json_destroy(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->key_lens);
    free(v->by_key);
    free(v->str);
}

void iffnet_json_free(iffnet_json_t *v)
{
    if (!v)
        return;
    json_destroy(v);
    free(v);
}

const iffnet_json_t *iffnet_json_find_nul(const iffnet_json_t *v)
{
    if (v->type == IFFNET_JSON_STRING)
        return memchr(v->str, '\0', v->len) ? v : NULL;
    if (v->type != IFFNET_JSON_ARRAY && v->type != IFFNET_JSON_OBJECT)
        return NULL;
    for (int64_t i = 0; i < v->n; i++) {
        if (v->keys && memchr(v->keys[i], '\0', v->key_lens[i]))
            return &v->items[i];
        const iffnet_json_t *z = iffnet_json_find_nul(&v->items[i]);
        if (z)
            return z;
    }
    return NULL;
}

const iffnet_json_t *iffnet_json_get(const iffnet_json_t *v, const char *key)
{
    int64_t lo = 0, hi;
    size_t klen;
    if (!v || v->type != IFFNET_JSON_OBJECT || !v->by_key)
        return NULL;
    klen = strlen(key);
    hi = v->n - 1;
    while (lo <= hi) {
        int64_t mid = lo + (hi - lo) / 2, i = v->by_key[mid];
        int c = keycmp(v->keys[i], v->key_lens[i], key, klen);
        if (!c)
            return &v->items[i];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

const iffnet_json_t *iffnet_json_at(const iffnet_json_t *v, int64_t i)
{
    if (!v || v->type != IFFNET_JSON_ARRAY || i < 0 || i >= v->n)
        return NULL;
    return &v->items[i];
}

const char *iffnet_json_type_name(iffnet_json_type_t t)
{
    static const char *const names[] = {"null", "boolean", "number", "string", "array", "object"};
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

int iffnet_json_int64(const iffnet_json_t *v, int64_t *out)
{
    const char *s;
    int neg = 0;
    uint64_t acc = 0, lim;
    if (!v || v->type != IFFNET_JSON_NUMBER)
        return -1;
    s = v->str;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (!is_digit(*s))
            return -1;
        if (acc > (lim - (uint64_t)(*s - '0')) / 10)
            return -1;
        acc = acc * 10 + (uint64_t)(*s - '0');
    }
    *out = neg ? (acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc) : (int64_t)acc;
    return 0;
}

iffnet_amount_status_t iffnet_json_amount(const iffnet_json_t *v, int scale, iffnet_money_t *out)
{
    iffnet_amount_syntax_t syn = IFFNET_AMOUNT_SYNTAX_DEFAULT;
    if (!v || (v->type != IFFNET_JSON_NUMBER && v->type != IFFNET_JSON_STRING))
        return IFFNET_AMOUNT_SYNTAX;
    if (v->type == IFFNET_JSON_NUMBER && strpbrk(v->str, "eE"))
        return IFFNET_AMOUNT_SYNTAX;
    return iffnet_amount_parse(v->str, v->len, scale, &syn, out);
}
