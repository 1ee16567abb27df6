/* xmlread.c: streaming XML for the goAML and CAMT.053 readers, over libxml2's
 * xmlTextReader (a 1 GB report needs memory for one open element path, not the
 * document).
 *
 * The readers see element starts and ends; at an end, the element's own text
 * (its text children joined, surrounding blanks trimmed). Messages name the
 * file, the line and the path of open elements ("/report/transaction/t_from").
 * Input comes through the instream, so compressed reports work and the hash
 * is the file's own. Untrusted input: no network, no DTD (refused: a report
 * has none, and entity declarations are how XML bombs are built), libxml2's
 * default size limits on names, text nodes and nesting, and at most
 * IFFNET_I_MAX_RECORD bytes of text in one element. libxml2 hands over UTF-8
 * (another declared encoding is converted; bytes invalid in it, and NUL
 * characters, which XML does not allow, are parse errors), so every string the
 * readers see is valid UTF-8 without NUL bytes. */
#include <libxml/xmlreader.h>
#include "core_internal.h"

#define MAX_DEPTH 256

typedef struct {
    const char *name;      /* from the reader's dictionary: stable while it lives */
    size_t text_off;       /* where this element's text starts in x->text */
    int64_t line;
} frame_t;

struct iffnet_i_xr {
    iffnet_i_in_t *in;
    xmlTextReaderPtr r;
    frame_t stack[MAX_DEPTH];
    int depth;
    int pending_end;       /* an empty element <a/> was started: its end comes next */
    char *text;
    size_t text_len, text_cap;
    const char *cur_text;  /* text of the element just ended */
    size_t cur_len;
    int io_err;            /* the instream failed (its message is set) */
    char *parse_msg;       /* libxml2's first error */
    int64_t parse_line;
    int done;
};

static int read_cb(void *ctx, char *buf, int len)
{
    iffnet_i_xr_t *x = ctx;
    size_t got;
    if (len <= 0) return 0;
    if (iffnet_i_in_read(x->in, buf, (size_t)len, &got)) {
        x->io_err = 1;
        return -1;
    }
    return (int)got;
}

static int close_cb(void *ctx)
{
    (void)ctx;
    return 0;
}

static void error_cb(void *ctx, xmlErrorPtr e)
{
    iffnet_i_xr_t *x = ctx;
    if (x->parse_msg || !e) return;
    x->parse_msg = iffnet_i_strdup(e->message ? e->message : "malformed XML");
    if (x->parse_msg) {
        size_t n = strlen(x->parse_msg);
        while (n && (x->parse_msg[n - 1] == '\n' || x->parse_msg[n - 1] == ' ')) x->parse_msg[--n] = '\0';
    }
    x->parse_line = e->line;
}

/* A reader over the input `in` (taken over: closed with the reader). */
static int open_on(iffnet_i_xr_t **out, const char *path, iffnet_i_in_t *in)
{
    *out = NULL;
    iffnet_i_xr_t *x = calloc(1, sizeof *x);
    if (!x) {
        iffnet_i_in_close(in);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    x->in = in;
    x->r = xmlReaderForIO(read_cb, close_cb, x, NULL, NULL, XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS);
    if (!x->r) {
        iffnet_i_xr_close(x);
        return iffnet_i_seterr(IFFNET_ENOMEM, "cannot start the XML reader for '%s'", path);
    }
    xmlTextReaderSetStructuredErrorHandler(x->r, error_cb, x);
    *out = x;
    return IFFNET_OK;
}

int iffnet_i_xr_open(iffnet_i_xr_t **out, const char *path)
{
    iffnet_i_in_t *in;
    *out = NULL;
    IFFNET_TRY(iffnet_i_in_open(&in, path));
    return open_on(out, path, in);
}

int iffnet_i_xr_open_mem(iffnet_i_xr_t **out, const char *name, const void *data, size_t size)
{
    iffnet_i_in_t *in;
    *out = NULL;
    IFFNET_TRY(iffnet_i_in_open_mem(&in, name, data, size));
    return open_on(out, name, in);
}

void iffnet_i_xr_path(const iffnet_i_xr_t *x, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < x->depth && n + 1 < cap; i++) {
        int k = snprintf(buf + n, cap - n, "/%s", x->stack[i].name);
        if (k < 0) break;
        n += (size_t)k;
    }
    if (n >= cap) n = cap - 1;
    buf[n] = '\0';
}

int iffnet_i_xr_fail_at(const iffnet_i_xr_t *x, int64_t line, const char *fmt, ...)
{
    char path[1024], msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    iffnet_i_xr_path(x, path, sizeof path);
    return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: element %s: %s", iffnet_i_in_path(x->in), (long long)line,
                           *path ? path : "(document)", msg);
}

static int parse_failure(iffnet_i_xr_t *x)
{
    if (x->io_err) return IFFNET_EDATA;    /* the instream's message (truncated xz, ...) stands */
    int64_t line = x->parse_msg ? x->parse_line : xmlTextReaderGetParserLineNumber(x->r);
    return iffnet_i_xr_fail_at(x, line, "malformed XML: %s", x->parse_msg ? x->parse_msg : "cannot be parsed");
}

static int push_text(iffnet_i_xr_t *x, const char *s)
{
    size_t n = strlen(s);
    /* libxml2 bounds each text node (10 MB without XML_PARSE_HUGE), not the
     * text of one element made of many nodes (text between comments, CDATA
     * sections): that is held to the record limit too. */
    if (n > IFFNET_I_MAX_RECORD || x->text_len > IFFNET_I_MAX_RECORD - n)
        return iffnet_i_xr_fail_at(x, xmlTextReaderGetParserLineNumber(x->r), "more than %d MiB of text in one element",
                                    (int)(IFFNET_I_MAX_RECORD >> 20));
    if (x->text_len + n + 1 > x->text_cap) {
        size_t cap = x->text_cap ? x->text_cap : 256;
        while (cap < x->text_len + n + 1) cap *= 2;
        char *p = realloc(x->text, cap);
        if (!p) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        x->text = p;
        x->text_cap = cap;
    }
    memcpy(x->text + x->text_len, s, n);
    x->text_len += n;
    x->text[x->text_len] = '\0';
    return IFFNET_OK;
}

/* Ends the innermost element: its text is what was added since it started. */
static void end_element(iffnet_i_xr_t *x)
{
    frame_t *f = &x->stack[x->depth - 1];
    char *s = x->text ? x->text + f->text_off : (char *)"";
    size_t n = x->text ? x->text_len - f->text_off : 0;
    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
    if (x->text) s[n] = '\0';
    x->cur_text = s;
    x->cur_len = n;
}

int iffnet_i_xr_next(iffnet_i_xr_t *x, int *ev)
{
    *ev = 0;
    if (x->pending_end) {
        /* The end of the element <a/> started last time (or of the one ended then). */
        x->pending_end = 0;
        end_element(x);
        *ev = 2;
        return IFFNET_OK;
    }
    if (x->cur_text) {
        /* Drop the ended element now that its text was seen. */
        x->text_len = x->stack[x->depth - 1].text_off;
        if (x->text) x->text[x->text_len] = '\0';
        x->depth--;
        x->cur_text = NULL;
    }
    if (x->done) return IFFNET_OK;
    for (;;) {
        int r = xmlTextReaderRead(x->r);
        if (r < 0 || x->parse_msg || x->io_err) return parse_failure(x);
        if (r == 0) {
            x->done = 1;
            if (x->depth) return parse_failure(x);
            return IFFNET_OK;
        }
        int type = xmlTextReaderNodeType(x->r);
        switch (type) {
        case XML_READER_TYPE_ELEMENT: {
            if (x->depth == MAX_DEPTH)
                return iffnet_i_xr_fail_at(x, xmlTextReaderGetParserLineNumber(x->r), "nested more than %d deep", MAX_DEPTH);
            frame_t *f = &x->stack[x->depth++];
            f->name = (const char *)xmlTextReaderConstLocalName(x->r);
            if (!f->name) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            f->text_off = x->text_len;
            f->line = xmlTextReaderGetParserLineNumber(x->r);
            x->pending_end = xmlTextReaderIsEmptyElement(x->r) == 1;
            *ev = 1;
            return IFFNET_OK;
        }
        case XML_READER_TYPE_END_ELEMENT:
            if (x->depth == 0) return parse_failure(x);
            end_element(x);
            *ev = 2;
            return IFFNET_OK;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
            const char *v = (const char *)xmlTextReaderConstValue(x->r);
            if (v && x->depth) IFFNET_TRY(push_text(x, v));
            break;
        }
        case XML_READER_TYPE_DOCUMENT_TYPE:
        case XML_READER_TYPE_ENTITY_REFERENCE:
        case XML_READER_TYPE_ENTITY:
            return iffnet_i_xr_fail_at(x, xmlTextReaderGetParserLineNumber(x->r),
                                        "a document type declaration or entity is not accepted in a report");
        default:
            break;
        }
    }
}

const char *iffnet_i_xr_name(const iffnet_i_xr_t *x) { return x->depth ? x->stack[x->depth - 1].name : ""; }
int iffnet_i_xr_depth(const iffnet_i_xr_t *x) { return x->depth; }

const char *iffnet_i_xr_parent(const iffnet_i_xr_t *x, int up)
{
    int k = x->depth - 1 - up;
    return k >= 0 ? x->stack[k].name : "";
}

const char *iffnet_i_xr_text(const iffnet_i_xr_t *x, size_t *len)
{
    if (len) *len = x->cur_text ? x->cur_len : 0;
    return x->cur_text ? x->cur_text : "";
}

int64_t iffnet_i_xr_line(const iffnet_i_xr_t *x)
{
    return x->depth ? x->stack[x->depth - 1].line : xmlTextReaderGetParserLineNumber(x->r);
}

char *iffnet_i_xr_attr(const iffnet_i_xr_t *x, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(x->r, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = iffnet_i_strdup((const char *)v);
    xmlFree(v);
    return s;
}

iffnet_i_in_t *iffnet_i_xr_input(iffnet_i_xr_t *x) { return x->in; }

void iffnet_i_xr_close(iffnet_i_xr_t *x)
{
    if (!x) return;
    if (x->r) xmlFreeTextReader(x->r);
    iffnet_i_in_close(x->in);
    free(x->text);
    free(x->parse_msg);
    free(x);
}
