/* csvfile.c: CSV records with physical line numbers, over libcsv.
 *
 * libcsv reports fields and records but not where they are, so we feed it one
 * physical line at a time: a record ends at a line end, and its first line is the
 * first non-blank line fed after the previous record ended.
 *
 * Large files are parsed ahead on a second thread: reading, hashing, inflating and
 * libcsv run there and hand over batches of records (fields, line numbers, and the
 * error that ended the input, if any), while the caller converts the previous
 * batch. The caller sees the same records, lines and errors in the same order as
 * without the thread; only the time differs. */
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include "core_internal.h"

#define RAW_CHUNK (1 << 20)
#define BLOCK ((size_t)1 << 16) /* libcsv's growth step of a field buffer; see fit_block */
/* Files at least this large are parsed on a second thread. */
#define THREAD_MIN_BYTES ((int64_t)8 << 20)
#define BATCH_RECORDS 8192
#define N_BATCHES 3
/* Transcoded text is at most 4 bytes of UTF-8 per input byte. */
#define CONV_CHUNK(chunk) (4 * (chunk) + 64)

/* Records parsed ahead: field bytes (each NUL-terminated), field offsets into
 * bytes, and per record its first field, field count, end of bytes and line. */
typedef struct {
    char *bytes;
    int64_t len, cap;
    int64_t *foff;
    uint64_t *fhash;             /* each field's iffnet_i_hash_bytes, beside foff */
    int64_t nfo, cap_fo, cap_fh;
    int64_t first[BATCH_RECORDS], nf[BATCH_RECORDS], end[BATCH_RECORDS], line[BATCH_RECORDS];
    int64_t n;                   /* records in the batch */
    int64_t raw_bytes;           /* raw bytes read when the batch was handed over */
    int status;                  /* after the records: 0 more, 1 end of input, or an error code */
    char *errmsg;                /* the error's message */
} batch_t;

struct iffnet_csv {
    char *path;
    iffnet_i_in_t *in;           /* the file's decoded bytes (plain, gzip, xz, zstd) */

    size_t chunk;                /* bytes read at a time: RAW_CHUNK, less for a small file */
    unsigned char *dat;          /* decoded bytes */
    size_t dat_len, dat_pos;
    int started;                 /* first bytes read */
    int bom_checked;

    /* --encoding: bytes of another character set become UTF-8 through iconv.
     * ic holds decoded input waiting to be converted (a sequence cut at the
     * end of a chunk waits for the next one); ic_err the iconv error that
     * stopped the conversion, reported where the text before it ends. */
    iconv_t cd;
    char *encoding;
    char *ic;
    size_t ic_len;
    int ic_err, ic_eof;

    /* The UTF-8 check of every byte fed to libcsv: continuation bytes still
     * expected, the range the next one must fall in, and where the sequence
     * began (column in bytes, 1-based). */
    int u8_need;
    unsigned char u8_lo, u8_hi, u8_lead;
    int64_t u8_col;
    int64_t col;                 /* bytes of the current physical line fed so far */
    int64_t rec_bytes;           /* bytes of the pending record fed so far */
    int records_in_line;         /* on_record calls within one csv_parse call */

    struct csv_parser parser;
    int parser_live;
    unsigned char delim;
    int plain_ok;                /* lines without quotes may be split here (see split_plain) */
    int lib_idle;                /* libcsv holds no part of a record */
    uint64_t hash_mask;          /* fields (below 64) whose hashes the parsing thread makes */
    int finished;                /* csv_fini called */

    char *fbuf;                  /* fields of the current record */
    int64_t flen, fcap;
    int64_t *foff;
    int64_t nf, fcap_n;
    int cb_err;                  /* memory failure inside a callback */
    int rec_done;

    int64_t line;                /* line number of the next line fed */
    int pending;                 /* a record has started and not ended */
    int64_t pending_line;        /* where it started */
    int64_t rec_line;            /* first line of the current record */
    int64_t records;

    /* The current record as the caller sees it: the parser's own buffers, or a
     * record of a batch handed over by the parsing thread. */
    const char *v_fbuf;
    const int64_t *v_foff;
    const uint64_t *v_fhash;     /* the fields' hashes, or NULL (computed when asked) */
    int64_t v_nf, v_flen, v_line, v_records, v_bytes;
    int v_done;                  /* end of input (or its error) delivered */

    int threaded;                /* 0 not decided, 1 thread running, -1 no thread */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv_full, cv_free;
    batch_t *batch;              /* N_BATCHES of them, allocated with the thread (768 KiB) */
    int full[N_BATCHES];         /* ring of handed-over batches, in order */
    int n_full, full_head;
    int free_list[N_BATCHES], n_free;
    int cancel;                  /* the caller closed the reader early */
    int cur;                     /* the caller's batch, or -1 */
    int64_t cur_k;               /* its current record */
};

static void on_field(void *s, size_t len, void *data)
{
    iffnet_csv_t *r = data;
    if (r->cb_err) return;
    if (iffnet_i_reserve((void **)&r->fbuf, &r->fcap, r->flen + (int64_t)len + 1, 1) ||
        iffnet_i_reserve((void **)&r->foff, &r->fcap_n, r->nf + 1, sizeof *r->foff)) {
        r->cb_err = 1;
        return;
    }
    if (len) memcpy(r->fbuf + r->flen, s, len);
    r->fbuf[r->flen + (int64_t)len] = '\0';
    r->foff[r->nf++] = r->flen;
    r->flen += (int64_t)len + 1;
}

static void on_record(int c, void *data)
{
    (void)c;
    iffnet_csv_t *r = data;
    r->rec_done = 1;
    r->records_in_line++;
}

/* A reader over the input `in` (taken over: closed with the reader, also on
 * failure). */
static int open_on(iffnet_csv_t **out, const char *path, iffnet_i_in_t *in, char delimiter)
{
    *out = NULL;
    iffnet_csv_t *r = calloc(1, sizeof *r);
    if (!r) {
        iffnet_i_in_close(in);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    r->cd = (iconv_t)-1;
    r->in = in;
    r->path = iffnet_i_strdup(path);
    if (!r->path) {
        iffnet_csv_close(r);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    /* A small file is read in one piece that fits it: most inputs of a case are
     * small, and a megabyte buffer for each would be mostly untouched. */
    int64_t size = iffnet_i_in_size(r->in);
    r->chunk = iffnet_i_in_size_known(r->in) && size < RAW_CHUNK ? (size_t)size + 1 : RAW_CHUNK;
    if (r->chunk < 4096) r->chunk = 4096;
    if (!(r->dat = malloc(r->chunk))) {
        iffnet_csv_close(r);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        iffnet_csv_close(r);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    r->parser_live = 1;
    csv_set_delim(&r->parser, (unsigned char)delimiter);
    r->delim = (unsigned char)delimiter;
    iffnet_i_csv_set_plain(r, 1);
    r->lib_idle = 1;
    /* libcsv grows a field's buffer by this much at a time (128 bytes by
     * default): a long field would be copied over and over. */
    csv_set_blk_size(&r->parser, BLOCK);
    r->line = 1;
    *out = r;
    return IFFNET_OK;
}

int iffnet_csv_open(iffnet_csv_t **out, const char *path, char delimiter)
{
    iffnet_i_in_t *in;
    *out = NULL;
    IFFNET_TRY(iffnet_i_in_open(&in, path));
    return open_on(out, path, in, delimiter);
}

int iffnet_csv_open_mem(iffnet_csv_t **out, const char *name, const void *data, size_t size, char delimiter)
{
    iffnet_i_in_t *in;
    *out = NULL;
    IFFNET_TRY(iffnet_i_in_open_mem(&in, name, data, size));
    return open_on(out, name, in, delimiter);
}

static int refill_bytes(iffnet_csv_t *r)
{
    r->dat_pos = r->dat_len = 0;
    r->started = 1;
    return iffnet_i_in_read(r->in, r->dat, r->chunk, &r->dat_len);
}

/* Converts waiting input into dat; more input is decoded when none waits. An
 * error stops the conversion where it happened: the text before it is handed
 * on first, and the error is reported at the position that text ends at. */
static int refill_transcoded(iffnet_csv_t *r)
{
    for (;;) {
        r->dat_pos = r->dat_len = 0;
        if (r->ic_err) {
            int e = r->ic_err;
            r->ic_err = 0;
            r->ic_len = 0;
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: %s", r->path, (long long)r->line,
                                   (long long)r->col + 1,
                                   e == EILSEQ ? "these bytes are not valid in the encoding given with --encoding"
                                               : "the file ends inside a character of the encoding given with --encoding");
        }
        if (r->ic_len) {
            char *in = r->ic, *out = (char *)r->dat;
            size_t in_left = r->ic_len, out_left = CONV_CHUNK(r->chunk);
            size_t rc = iconv(r->cd, &in, &in_left, &out, &out_left);
            int e = rc == (size_t)-1 ? errno : 0;
            r->dat_len = CONV_CHUNK(r->chunk) - out_left;
            memmove(r->ic, in, in_left);
            r->ic_len = in_left;
            if (e == EILSEQ || (e == EINVAL && r->ic_eof)) r->ic_err = e;
            if (r->dat_len) return IFFNET_OK;
            if (e == E2BIG) return iffnet_i_seterr(IFFNET_EINTERNAL, "%s: transcoding made no progress", r->path);
            if (r->ic_err) continue;
        }
        if (r->ic_eof) return IFFNET_OK;
        IFFNET_TRY(refill_bytes(r));
        size_t n = r->dat_len - r->dat_pos;
        if (n == 0) {
            r->ic_eof = 1;
            if (r->ic_len) r->ic_err = EINVAL;
            continue;
        }
        memcpy(r->ic + r->ic_len, r->dat + r->dat_pos, n);
        r->ic_len += n;
    }
}

/* libcsv grows a field's buffer a block at a time (BLOCK, set at open): a
 * small plain file's fields all fit in a block the size of the file (its
 * transcoding at most a few such blocks), so the reader of a small file does
 * not hold a 64 KiB block per field buffer. Known once the first bytes have
 * told the compression. */
static void fit_block(iffnet_csv_t *r)
{
    int64_t size = iffnet_i_in_size(r->in);
    if (size > 0 && (uint64_t)size < BLOCK && !iffnet_i_in_compressed(r->in))
        csv_set_blk_size(&r->parser, (size_t)size < 256 ? 256 : (size_t)size + 1);
}

static int refill(iffnet_csv_t *r)
{
    IFFNET_TRY(r->cd != (iconv_t)-1 ? refill_transcoded(r) : refill_bytes(r));
    /* A UTF-8 byte order mark is not part of the first header name. */
    if (!r->bom_checked && r->dat_len > r->dat_pos) {
        r->bom_checked = 1;
        fit_block(r);
        if (r->dat_len - r->dat_pos >= 3 && r->dat[r->dat_pos] == 0xEF && r->dat[r->dat_pos + 1] == 0xBB &&
            r->dat[r->dat_pos + 2] == 0xBF)
            r->dat_pos += 3;
    }
    return IFFNET_OK;
}

void iffnet_i_csv_set_plain(iffnet_csv_t *r, int on)
{
    r->plain_ok = on && r->delim != '"' && r->delim != '\r' && r->delim != '\n';
}

int iffnet_csv_set_encoding(iffnet_csv_t *r, const char *encoding)
{
    if (!encoding || strcasecmp(encoding, "UTF-8") == 0 || strcasecmp(encoding, "UTF8") == 0) return IFFNET_OK;
    if (r->started) return iffnet_i_seterr(IFFNET_EINTERNAL, "the encoding of '%s' is set after reading began", r->path);
    r->cd = iconv_open("UTF-8", encoding);
    if (r->cd == (iconv_t)-1)
        return iffnet_i_seterr(IFFNET_EINVAL, "unknown encoding '%s' (`iconv -l` lists the known ones)", encoding);
    r->encoding = iffnet_i_strdup(encoding);
    unsigned char *d = malloc(CONV_CHUNK(r->chunk));
    r->ic = malloc(r->chunk + 64);
    if (!r->encoding || !d || !r->ic) {
        free(d);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    free(r->dat);
    r->dat = d;
    return IFFNET_OK;
}

/* ---- what is fed to libcsv: valid UTF-8 without NUL bytes, records of a
 * bounded size ---- */

static int bad_text(const iffnet_csv_t *r, int64_t col, unsigned char b)
{
    if (b == 0)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: NUL byte in the text (a binary file, or UTF-16, which "
                               "iffnet ingest reads with --encoding UTF-16)", r->path, (long long)r->line, (long long)col);
    if (r->encoding)
        return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: invalid UTF-8 after transcoding from %s", r->path,
                               (long long)r->line, (long long)col, r->encoding);
    return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld:%lld: invalid UTF-8 (byte 0x%02X): the file is in another encoding "
                           "(iffnet ingest reads it with --encoding, e.g. --encoding ISO-8859-1 or WINDOWS-1252)", r->path,
                           (long long)r->line, (long long)col, b);
}

/* Checks n bytes of the current physical line, which continue at column
 * r->col + 1; a multi-byte character may run on into the next chunk. RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static int check_text(iffnet_csv_t *r, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* Plain ASCII without NUL, 8 bytes at a time: the common case. */
        if (r->u8_need == 0 && n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL) && !((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        unsigned char b = s[i];
        int64_t col = r->col + (int64_t)i + 1;
        if (r->u8_need) {
            if (b < r->u8_lo || b > r->u8_hi) return bad_text(r, r->u8_col, r->u8_lead);
            r->u8_need--;
            r->u8_lo = 0x80;
            r->u8_hi = 0xBF;
        } else if (b == 0) {
            return bad_text(r, col, b);
        } else if (b >= 0x80) {
            r->u8_col = col;
            r->u8_lead = b;
            r->u8_lo = 0x80;
            r->u8_hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) r->u8_need = 1;
            else if (b == 0xE0) { r->u8_need = 2; r->u8_lo = 0xA0; }
            else if (b == 0xED) { r->u8_need = 2; r->u8_hi = 0x9F; }
            else if (b >= 0xE1 && b <= 0xEF) r->u8_need = 2;
            else if (b == 0xF0) { r->u8_need = 3; r->u8_lo = 0x90; }
            else if (b >= 0xF1 && b <= 0xF3) r->u8_need = 3;
            else if (b == 0xF4) { r->u8_need = 3; r->u8_hi = 0x8F; }
            else return bad_text(r, col, b);
        }
        i++;
    }
    return IFFNET_OK;
}

/* A record larger than IFFNET_I_MAX_RECORD is refused: a file without line ends
 * (or with an unbalanced quote) would otherwise be held in memory whole. */
#define MAX_RECORD_BYTES ((int64_t)IFFNET_I_MAX_RECORD)


static int is_blank_chunk(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\n' && s[i] != '\r' && s[i] != ' ' && s[i] != '\t') return 0;
    return 1;
}

static int parse_error(iffnet_csv_t *r, int64_t line)
{
    int e = csv_error(&r->parser);
    if (e == CSV_ENOMEM || r->cb_err) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading '%s'", r->path);
    if (e == CSV_ETOOBIG) return iffnet_i_seterr(IFFNET_ELIMIT, "%s:%lld: field too large", r->path, (long long)line);
    return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: malformed CSV: %s", r->path, (long long)line,
                           r->pending ? "stray or unbalanced quote in a field" : "stray quote");
}

/* ---- lines without quotes, split without libcsv ----
 *
 * Most lines of a large file hold no quote: libcsv's byte-at-a-time state
 * machine is most of the cost of reading them. Such a line, fed while no
 * record is open, is split here into the fields libcsv would make: fields end
 * at the delimiter, spaces and tabs (other than the delimiter) around a field
 * are dropped, and the record ends at the line's LF or CRLF. Anything else (a
 * quote, a CR elsewhere in the line, a blank line, a line the chunk cuts) goes
 * to libcsv as before, so records, errors and their messages are libcsv's.
 * libcsv is known to hold nothing after a line whose record ended at its end:
 * a line of libcsv's in which a record ends and no CR comes before the final
 * CRLF (a CR inside the line may end one record and a quote open the next). */

static int is_pad(const iffnet_csv_t *r, unsigned char c)
{
    return (c == ' ' || c == '\t') && c != r->delim;
}

/* Appends field s[0..len) (trimmed here) to the current record, as on_field. */
static int plain_field(iffnet_csv_t *r, const unsigned char *s, size_t len)
{
    while (len && is_pad(r, s[0])) {
        s++;
        len--;
    }
    while (len && is_pad(r, s[len - 1])) len--;
    /* The buffers rarely need to grow: the test is made here, the call only then. */
    if ((r->flen + (int64_t)len + 1 > r->fcap &&
         iffnet_i_reserve((void **)&r->fbuf, &r->fcap, r->flen + (int64_t)len + 1, 1)) ||
        (r->nf + 1 > r->fcap_n && iffnet_i_reserve((void **)&r->foff, &r->fcap_n, r->nf + 1, sizeof *r->foff)))
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory reading '%s'", r->path);
    if (len) memcpy(r->fbuf + r->flen, s, len);
    r->fbuf[r->flen + (int64_t)len] = '\0';
    r->foff[r->nf++] = r->flen;
    r->flen += (int64_t)len + 1;
    return IFFNET_OK;
}

/* Whether the only CR of s[0..n) (ending in LF), if any, is the one before the LF. */
static int cr_only_at_end(const unsigned char *s, size_t n)
{
    const unsigned char *cr = memchr(s, '\r', n);
    return !cr || cr == s + n - 2;
}

/* Splits the line s[0..n) (ending in LF) into the current record and sets
 * *done, or leaves *done 0 (and the record empty) when the line is libcsv's. */
static int split_plain(iffnet_csv_t *r, const unsigned char *s, size_t n, int *done)
{
    size_t end = n - 1;                      /* the LF */
    *done = 0;
    if (end && s[end - 1] == '\r') end--;
    /* Eight bytes at a time: 0x80 in each byte that is a quote, a CR or the
     * delimiter (exact per byte, no carries between bytes). */
    const uint64_t ones = 0x0101010101010101ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
    const uint64_t quote = ones * '"', cr = ones * '\r', delim = ones * r->delim;
#define ZERO_BYTES(x) (~((((x) & low7) + low7) | (x) | low7))
    size_t start = 0, i = 0;
    for (; i + 8 <= end; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (ZERO_BYTES(w ^ quote) | ZERO_BYTES(w ^ cr)) goto libcsv;
        for (uint64_t d = ZERO_BYTES(w ^ delim); d; d &= d - 1) {
            size_t at = i + (size_t)(__builtin_ctzll(d) >> 3);
            IFFNET_TRY(plain_field(r, s + start, at - start));
            start = at + 1;
        }
    }
#undef ZERO_BYTES
    for (; i < end; i++) {
        if (s[i] == '"' || s[i] == '\r') goto libcsv;
        if (s[i] == r->delim) {
            IFFNET_TRY(plain_field(r, s + start, i - start));
            start = i + 1;
        }
    }
    IFFNET_TRY(plain_field(r, s + start, end - start));
    r->rec_done = 1;
    r->records_in_line = 1;
    *done = 1;
    return IFFNET_OK;
libcsv:
    /* The fields split so far are dropped: the record is libcsv's. */
    r->nf = 0;
    r->flen = 0;
    return IFFNET_OK;
}

static void begin_record(iffnet_csv_t *r)
{
    r->rec_done = 0;
    r->nf = 0;
    r->flen = 0;
}

static int finish_input(iffnet_csv_t *r, int *eof)
{
    r->finished = 1;
    if (r->u8_need) return bad_text(r, r->u8_col, r->u8_lead);
    if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
        int64_t at = r->pending ? r->pending_line : r->line;
        if (csv_error(&r->parser) == CSV_EPARSE)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: malformed CSV: unterminated quoted field",
                                   r->path, (long long)at);
        return parse_error(r, at);
    }
    if (r->cb_err) return parse_error(r, r->line);
    if (r->rec_done) {
        r->rec_line = r->pending_line;
        r->pending = 0;
        r->records++;
        *eof = 0;
        return IFFNET_OK;
    }
    *eof = 1;
    return IFFNET_OK;
}

/* The next record from libcsv, in the parser's own buffers. */
static int parse_next(iffnet_csv_t *r, int *eof)
{
    *eof = 0;
    if (r->finished) {
        *eof = 1;
        return IFFNET_OK;
    }
    begin_record(r);
    for (;;) {
        if (r->dat_pos == r->dat_len) {
            IFFNET_TRY(refill(r));
            if (r->dat_pos == r->dat_len) return finish_input(r, eof);
        }
        unsigned char *s = r->dat + r->dat_pos;
        size_t avail = r->dat_len - r->dat_pos;
        unsigned char *nl = memchr(s, '\n', avail);
        size_t n = nl ? (size_t)(nl - s) + 1 : avail;
        int blank = is_blank_chunk(s, n);
        if (!r->pending && !blank) {
            r->pending = 1;
            r->pending_line = r->line;
            r->rec_bytes = 0;
        }
        int plain = r->plain_ok && r->lib_idle && nl && !blank;
        IFFNET_TRY(check_text(r, s, n));
        if ((r->rec_bytes += (int64_t)n) > MAX_RECORD_BYTES)
            return iffnet_i_seterr(IFFNET_ELIMIT, "%s:%lld: a record larger than %lld MiB (a file without line ends, "
                                   "or a quote that is never closed?)", r->path, (long long)r->pending_line,
                                   (long long)(MAX_RECORD_BYTES >> 20));
        r->records_in_line = 0;
        int split = 0;
        if (plain) IFFNET_TRY(split_plain(r, s, n, &split));
        if (!split && (csv_parse(&r->parser, s, n, on_field, on_record, r) != n || r->cb_err))
            return parse_error(r, r->pending ? r->pending_line : r->line);
        /* A blank line leaves libcsv as it was (or ends its record: then the
         * next line goes to libcsv all the same, which is never wrong). */
        if (!split && !blank) r->lib_idle = r->rec_done && nl && cr_only_at_end(s, n);
        /* libcsv ends a record at a CR too: two records in one physical line mean
         * line ends of a bare CR, which would run every row into one. */
        if (r->records_in_line > 1)
            return iffnet_i_seterr(IFFNET_EDATA, "%s:%lld: the lines end in a bare CR (an old Mac export?): convert "
                                   "them to LF first, e.g. with tr '\\r' '\\n'", r->path, (long long)r->line);
        r->dat_pos += n;
        r->col = nl ? 0 : r->col + (int64_t)n;
        if (nl) r->line++;
        if (r->rec_done) {
            r->rec_line = r->pending_line;
            r->pending = 0;
            r->records++;
            return IFFNET_OK;
        }
    }
}

/* ---- the parsing thread ---- */

static int batch_add_record(batch_t *b, const iffnet_csv_t *r)
{
    if (b->len + r->flen > b->cap) IFFNET_TRY(iffnet_i_reserve((void **)&b->bytes, &b->cap, b->len + r->flen, 1));
    if (b->nfo + r->nf > b->cap_fo) IFFNET_TRY(iffnet_i_reserve((void **)&b->foff, &b->cap_fo, b->nfo + r->nf, sizeof *b->foff));
    if (b->nfo + r->nf > b->cap_fh) IFFNET_TRY(iffnet_i_reserve((void **)&b->fhash, &b->cap_fh, b->nfo + r->nf, sizeof *b->fhash));
    if (r->flen) memcpy(b->bytes + b->len, r->fbuf, (size_t)r->flen);
    /* The hashes the caller asked for are made here, on the parsing thread,
     * for its look-ups (ids interned, repeats found) to take. */
    for (int64_t i = 0; i < r->nf; i++) {
        b->foff[b->nfo + i] = b->len + r->foff[i];
        if (i < 64 && (r->hash_mask >> i & 1)) {
            int64_t end = i + 1 < r->nf ? r->foff[i + 1] : r->flen;
            b->fhash[b->nfo + i] = iffnet_i_hash_bytes(r->fbuf + r->foff[i], (size_t)(end - r->foff[i] - 1));
        }
    }
    b->first[b->n] = b->nfo;
    b->nf[b->n] = r->nf;
    b->line[b->n] = r->rec_line;
    b->len += r->flen;
    b->end[b->n] = b->len;
    b->nfo += r->nf;
    b->n++;
    return IFFNET_OK;
}

/* Fills b with records until it is full or the input ends (status 1) or fails. */
static void fill_batch(iffnet_csv_t *r, batch_t *b)
{
    b->n = b->len = b->nfo = 0;
    b->status = 0;
    free(b->errmsg);
    b->errmsg = NULL;
    while (b->n < BATCH_RECORDS) {
        int eof, err = parse_next(r, &eof);
        if (!err && eof) {
            b->status = 1;
            break;
        }
        if (!err) err = batch_add_record(b, r);
        if (err) {
            b->status = err;
            b->errmsg = iffnet_i_strdup(iffnet_errmsg());
            break;
        }
    }
    b->raw_bytes = iffnet_i_in_raw_bytes(r->in);
}

static void *parse_ahead(void *arg)
{
    iffnet_csv_t *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->n_free == 0 && !r->cancel) pthread_cond_wait(&r->cv_free, &r->mu);
        if (r->cancel) {
            pthread_mutex_unlock(&r->mu);
            return NULL;
        }
        int k = r->free_list[--r->n_free];
        pthread_mutex_unlock(&r->mu);
        fill_batch(r, &r->batch[k]);
        int last = r->batch[k].status != 0;
        pthread_mutex_lock(&r->mu);
        r->full[(r->full_head + r->n_full) % N_BATCHES] = k;
        r->n_full++;
        pthread_cond_signal(&r->cv_full);
        pthread_mutex_unlock(&r->mu);
        if (last) return NULL;
    }
}

static void free_batches(iffnet_csv_t *r)
{
    for (int k = 0; r->batch && k < N_BATCHES; k++) {
        free(r->batch[k].bytes);
        free(r->batch[k].foff);
        free(r->batch[k].fhash);
        free(r->batch[k].errmsg);
    }
    free(r->batch);
    r->batch = NULL;
}

/* The batches are allocated here, not with the reader: a reader of a small
 * file (most inputs of a case) never holds them. */
static void start_thread(iffnet_csv_t *r)
{
    r->threaded = -1;
    if (iffnet_csv_size(r) < THREAD_MIN_BYTES || !iffnet_i_threads_allowed()) return;
    /* Without a thread the reader still works: it parses in the caller's thread. */
    if (!(r->batch = calloc(N_BATCHES, sizeof *r->batch))) return;
    if (pthread_mutex_init(&r->mu, NULL) != 0) {
        free_batches(r);
        return;
    }
    if (pthread_cond_init(&r->cv_full, NULL) != 0) {
        pthread_mutex_destroy(&r->mu);
        free_batches(r);
        return;
    }
    if (pthread_cond_init(&r->cv_free, NULL) != 0) {
        pthread_cond_destroy(&r->cv_full);
        pthread_mutex_destroy(&r->mu);
        free_batches(r);
        return;
    }
    for (int k = 0; k < N_BATCHES; k++) r->free_list[k] = k;
    r->n_free = N_BATCHES;
    r->cur = -1;
    if (pthread_create(&r->thread, NULL, parse_ahead, r) != 0) {
        pthread_cond_destroy(&r->cv_free);
        pthread_cond_destroy(&r->cv_full);
        pthread_mutex_destroy(&r->mu);
        free_batches(r);
        return;
    }
    r->threaded = 1;
}

static void stop_thread(iffnet_csv_t *r)
{
    if (r->threaded != 1) return;
    pthread_mutex_lock(&r->mu);
    r->cancel = 1;
    pthread_cond_signal(&r->cv_free);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    pthread_cond_destroy(&r->cv_free);
    pthread_cond_destroy(&r->cv_full);
    pthread_mutex_destroy(&r->mu);
    r->threaded = -1;
    r->v_nf = 0;
    free_batches(r);
}

/* Hands the caller's batch back to the thread and waits for the next one. */
static batch_t *next_batch(iffnet_csv_t *r)
{
    pthread_mutex_lock(&r->mu);
    if (r->cur >= 0) {
        r->free_list[r->n_free++] = r->cur;
        pthread_cond_signal(&r->cv_free);
    }
    while (r->n_full == 0) pthread_cond_wait(&r->cv_full, &r->mu);
    r->cur = r->full[r->full_head];
    r->full_head = (r->full_head + 1) % N_BATCHES;
    r->n_full--;
    pthread_mutex_unlock(&r->mu);
    r->cur_k = -1;
    return &r->batch[r->cur];
}

static int next_threaded(iffnet_csv_t *r, int *eof)
{
    batch_t *b = r->cur >= 0 ? &r->batch[r->cur] : NULL;
    while (!b || r->cur_k + 1 >= b->n) {
        if (b && b->status != 0) {
            /* Every record of the last batch was delivered: now its ending. */
            r->v_done = 1;
            if (b->status == 1) {
                *eof = 1;
                return IFFNET_OK;
            }
            return iffnet_i_seterr(b->status, "%s", b->errmsg ? b->errmsg : "error reading CSV");
        }
        b = next_batch(r);
    }
    int64_t k = ++r->cur_k;
    r->v_fbuf = b->bytes;
    r->v_foff = b->foff + b->first[k];
    r->v_fhash = b->fhash + b->first[k];
    r->v_nf = b->nf[k];
    r->v_flen = b->end[k];
    r->v_line = b->line[k];
    r->v_bytes = b->raw_bytes;
    r->v_records++;
    return IFFNET_OK;
}

int iffnet_csv_next(iffnet_csv_t *r, int *eof)
{
    *eof = 0;
    if (r->v_done) {
        *eof = 1;
        return IFFNET_OK;
    }
    /* The header is read here; the thread starts with the first record, so
     * that the caller can ask for hashes (iffnet_i_csv_hash_fields) after
     * reading the header. */
    if (r->threaded == 0 && r->records > 0) start_thread(r);
    if (r->threaded == 1) return next_threaded(r, eof);
    int err = parse_next(r, eof);
    if (err || *eof) {
        r->v_done = !err;
        return err;
    }
    r->v_fbuf = r->fbuf;
    r->v_foff = r->foff;
    r->v_fhash = NULL;
    r->v_nf = r->nf;
    r->v_flen = r->flen;
    r->v_line = r->rec_line;
    r->v_records = r->records;
    r->v_bytes = iffnet_i_in_raw_bytes(r->in);
    return IFFNET_OK;
}

int64_t iffnet_csv_nfields(const iffnet_csv_t *r) { return r->v_nf; }

const char *iffnet_csv_field(const iffnet_csv_t *r, int64_t i, size_t *len)
{
    if (i < 0 || i >= r->v_nf) {
        if (len) *len = 0;
        return "";
    }
    const char *s = r->v_fbuf + r->v_foff[i];
    if (len) *len = (size_t)((i + 1 < r->v_nf ? r->v_foff[i + 1] : r->v_flen) - r->v_foff[i]) - 1;
    return s;
}

void iffnet_i_csv_hash_fields(iffnet_csv_t *r, const int64_t *cols, int n)
{
    /* The thread reads the mask from its start on: later requests are served
     * by iffnet_i_csv_field_hash itself. */
    if (r->threaded != 0) return;
    for (int k = 0; k < n; k++)
        if (cols[k] >= 0 && cols[k] < 64) r->hash_mask |= (uint64_t)1 << cols[k];
}

uint64_t iffnet_i_csv_field_hash(const iffnet_csv_t *r, int64_t i)
{
    if (r->v_fhash && i >= 0 && i < r->v_nf && i < 64 && (r->hash_mask >> i & 1)) return r->v_fhash[i];
    size_t len;
    const char *s = iffnet_csv_field(r, i, &len);
    return iffnet_i_hash_bytes(s, len);
}

int64_t iffnet_csv_line(const iffnet_csv_t *r) { return r->v_line; }
int64_t iffnet_csv_records(const iffnet_csv_t *r) { return r->v_records; }
const char *iffnet_csv_path(const iffnet_csv_t *r) { return r->path; }
int64_t iffnet_csv_bytes(const iffnet_csv_t *r) { return r->v_bytes; }
int64_t iffnet_csv_size(const iffnet_csv_t *r) { return iffnet_i_in_size(r->in); }

int iffnet_csv_finish_hash(iffnet_csv_t *r, char hex[65], int64_t *bytes)
{
    /* The thread owns the raw input until it stops. */
    stop_thread(r);
    return iffnet_i_in_finish_hash(r->in, hex, bytes);
}

void iffnet_csv_write_record(const iffnet_csv_t *r, FILE *fp, char delimiter)
{
    for (int64_t i = 0; i < r->v_nf; i++) {
        if (i) putc(delimiter, fp);
        iffnet_csv_write_cell(fp, iffnet_csv_field(r, i, NULL), delimiter);
    }
}

void iffnet_csv_close(iffnet_csv_t *r)
{
    if (!r) return;
    stop_thread(r);
    iffnet_i_in_close(r->in);
    if (r->cd != (iconv_t)-1) iconv_close(r->cd);
    free(r->encoding);
    free(r->ic);
    if (r->parser_live) csv_free(&r->parser);
    free(r->path);
    free(r->dat);
    free(r->fbuf);
    free(r->foff);
    free(r);
}
