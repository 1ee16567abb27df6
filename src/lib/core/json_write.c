/* json_write.c: the JSON writer (see json.h). Separators, escaping and number
 * checks live here so that no output of iffnet writes JSON syntax by hand. */
#include <inttypes.h>
#include <math.h>
#include "core_internal.h"
#include "iffnet/json.h"

/* Bits of w->level[i]. */
enum {
    LV_OBJECT = 1,  /* an object (else an array) */
    LV_LINES = 2,   /* one element per line */
    LV_FILLED = 4   /* has a member or element already: the next needs a comma */
};

void iffnet_jsonw_init(iffnet_jsonw_t *w, FILE *fp)
{
    w->fp = fp;
    w->depth = 0;
    w->misuse = NULL;
}

static void misuse(iffnet_jsonw_t *w, const char *what)
{
    if (!w->misuse) w->misuse = what;
}

/* Writes the bytes at p that need no escape in one call (most strings are all
 * such bytes), and returns how many there were. */
static size_t plain_run(FILE *fp, const unsigned char *p)
{
    size_t n = 0;
    while (p[n] >= 0x20 && p[n] < 0x80 && p[n] != '"' && p[n] != '\\') n++;
    if (n) fwrite(p, 1, n, fp);
    return n;
}

/* The one place strings are escaped: keys and values alike. */
static void write_string(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    putc('"', fp);
    while (*p) {
        size_t len;
        p += plain_run(fp, p);
        switch (*p) {
        case '\0': continue;
        case '"': fputs("\\\"", fp); p++; continue;
        case '\\': fputs("\\\\", fp); p++; continue;
        case '\n': fputs("\\n", fp); p++; continue;
        case '\r': fputs("\\r", fp); p++; continue;
        case '\t': fputs("\\t", fp); p++; continue;
        default: break;
        }
        if (*p < 0x20) {
            fprintf(fp, "\\u%04x", *p++);
            continue;
        }
        /* A byte that starts no valid sequence becomes U+FFFD on its own, as
         * iffnet's XML text does, and the bytes after it are looked at afresh. */
        len = iffnet_i_utf8_len(p, (size_t)(end - p));
        if (len == 0) {
            fputs("\xef\xbf\xbd", fp);
            len = 1;
        } else {
            fwrite(p, 1, len, fp);
        }
        p += len;
    }
    putc('"', fp);
}

/* Writes what goes before a value (comma, line break, member name) and checks
 * that a key is given exactly where one belongs. Returns 0, or -1 after misuse. */
static int before_value(iffnet_jsonw_t *w, const char *key)
{
    unsigned char *lv;
    if (w->misuse) return -1;
    if (w->depth == 0) {
        if (key) misuse(w, "a member name outside an object");
        return key ? -1 : 0;
    }
    lv = &w->level[w->depth - 1];
    if (!(*lv & LV_OBJECT) != !key) {
        misuse(w, key ? "a member name inside an array" : "an object member without a name");
        return -1;
    }
    if (*lv & LV_FILLED) fputs(*lv & LV_LINES ? ",\n" : ",", w->fp);
    *lv |= LV_FILLED;
    if (key) {
        write_string(w->fp, key);
        putc(':', w->fp);
    }
    return 0;
}

/* Ends a value: a top-level one gets its newline (JSON Lines). */
static void after_value(iffnet_jsonw_t *w)
{
    if (w->depth == 0) putc('\n', w->fp);
}

static void begin(iffnet_jsonw_t *w, const char *key, unsigned char kind)
{
    /* The reader's limit too: whatever the writer writes can be read back. */
    if (w->depth == IFFNET_JSON_MAX_DEPTH) misuse(w, "nesting deeper than IFFNET_JSON_MAX_DEPTH");
    if (before_value(w, key)) return;
    w->level[w->depth++] = kind;
    fputs(kind & LV_OBJECT ? "{" : kind & LV_LINES ? "[\n" : "[", w->fp);
}

void iffnet_jsonw_object_begin(iffnet_jsonw_t *w, const char *key) { begin(w, key, LV_OBJECT); }
void iffnet_jsonw_array_begin(iffnet_jsonw_t *w, const char *key) { begin(w, key, 0); }
void iffnet_jsonw_array_begin_lines(iffnet_jsonw_t *w, const char *key) { begin(w, key, LV_LINES); }

void iffnet_jsonw_end(iffnet_jsonw_t *w)
{
    unsigned char lv;
    if (w->misuse) return;
    if (w->depth == 0) {
        misuse(w, "an end with no object or array open");
        return;
    }
    lv = w->level[--w->depth];
    fputs(lv & LV_OBJECT ? "}" : lv & LV_LINES ? "\n]" : "]", w->fp);
    after_value(w);
}

/* Writes a value's text as it is, with what goes before and after it. */
static void put_raw(iffnet_jsonw_t *w, const char *key, const char *text)
{
    if (before_value(w, key)) return;
    fputs(text, w->fp);
    after_value(w);
}

void iffnet_jsonw_str(iffnet_jsonw_t *w, const char *key, const char *s)
{
    if (!s) {
        iffnet_jsonw_null(w, key);
        return;
    }
    if (before_value(w, key)) return;
    write_string(w->fp, s);
    after_value(w);
}

void iffnet_jsonw_int(iffnet_jsonw_t *w, const char *key, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    put_raw(w, key, buf);
}

/* Whether s is one JSON number (RFC 8259 section 6), nothing before or after. */
static int is_json_number(const char *s)
{
    if (*s == '-') s++;
    if (*s == '0') s++;
    else if (*s >= '1' && *s <= '9') while (*s >= '0' && *s <= '9') s++;
    else return 0;
    if (*s == '.') {
        if (*++s < '0' || *s > '9') return 0;
        while (*s >= '0' && *s <= '9') s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-') s++;
        if (*s < '0' || *s > '9') return 0;
        while (*s >= '0' && *s <= '9') s++;
    }
    return *s == '\0';
}

void iffnet_jsonw_number(iffnet_jsonw_t *w, const char *key, const char *text)
{
    if (!is_json_number(text)) {
        misuse(w, "number text that is not a JSON number");
        return;
    }
    put_raw(w, key, text);
}

void iffnet_jsonw_double(iffnet_jsonw_t *w, const char *key, double v, int decimals)
{
    char buf[512]; /* 309 digits of DBL_MAX, the point and up to 100 decimals */
    if (decimals < 0) decimals = 0;
    if (decimals > 100) decimals = 100;
    if (!isfinite(v)) {
        iffnet_jsonw_null(w, key);
        return;
    }
    /* Through the number check: a decimal comma from a non-C locale would
     * otherwise split the value in two. */
    snprintf(buf, sizeof buf, "%.*f", decimals, v);
    iffnet_jsonw_number(w, key, buf);
}

void iffnet_jsonw_bool(iffnet_jsonw_t *w, const char *key, int v) { put_raw(w, key, v ? "true" : "false"); }
void iffnet_jsonw_null(iffnet_jsonw_t *w, const char *key) { put_raw(w, key, "null"); }
void iffnet_jsonw_money(iffnet_jsonw_t *w, const char *key, iffnet_money_t v) { iffnet_jsonw_int(w, key, v); }

void iffnet_jsonw_amount(iffnet_jsonw_t *w, const char *key, iffnet_money_t v, int scale)
{
    char buf[48];
    /* A JSON number in major units, exact from the integer (never via a double):
     * readers that parse numbers as doubles hold it to the cent up to 2^53 minor
     * units; iffnet's own readers take the text as written. */
    iffnet_amount_format(buf, sizeof buf, v, scale, 0);
    iffnet_jsonw_number(w, key, buf);
}

void iffnet_jsonw_time(iffnet_jsonw_t *w, const char *key, iffnet_time_t t)
{
    char buf[32];
    if (t == INT64_MIN || t == INT64_MAX) {
        iffnet_jsonw_null(w, key);
        return;
    }
    iffnet_time_format(buf, sizeof buf, t, 0);
    iffnet_jsonw_str(w, key, buf);
}

int iffnet_jsonw_finish(iffnet_jsonw_t *w)
{
    if (!w->misuse && w->depth) misuse(w, "objects or arrays left open");
    if (w->misuse) return iffnet_i_seterr(IFFNET_EINVAL, "JSON writer: %s", w->misuse);
    if (ferror(w->fp)) return iffnet_i_seterr(IFFNET_EIO, "write error");
    return IFFNET_OK;
}
