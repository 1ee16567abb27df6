/* casefile.c: the binary case file.
 *
 * Layout (all integers little-endian):
 *   "IFFNCASE" u32 format-version u32 section-count
 *   then section-count sections: char tag[4] u32 crc32(payload) u64 length, payload
 * Arrays are stored raw (int32/int64 little-endian), string tables as their
 * NUL-separated bytes. Every section is checked on load (length and CRC-32), so a
 * truncated or damaged file is refused with the name of the damaged section.
 * The file is written to a temporary name, fsync'd and renamed (iffnet_out_t).
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include "case_internal.h"

static const char MAGIC[8] = {'I', 'F', 'F', 'N', 'C', 'A', 'S', 'E'};

/* The sections are listed first (their count comes first in the file, and the
 * output may be a FIFO, which cannot seek back to fill it in), then written. */
#define MAX_OUT_SECTIONS 64

typedef struct {
    char tag[4];
    const void *data;
    uint64_t len;
    uint32_t crc;
} out_section_t;

typedef struct {
    out_section_t s[MAX_OUT_SECTIONS];
    uint32_t count;
} writer_t;

/* zlib's crc32 takes a uInt length: feed large payloads in pieces. */
static uint32_t crc_of(const void *data, uint64_t len)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    const unsigned char *p = data;
    while (len > 0) {
        uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
        crc = crc32(crc, p, n);
        p += n;
        len -= n;
    }
    return (uint32_t)crc;
}

static void put_section(writer_t *w, const char tag[4], const void *data, uint64_t len)
{
    /* put_sections lists fewer than MAX_OUT_SECTIONS (KNOWN_TAGS). */
    out_section_t *o = &w->s[w->count++];
    memcpy(o->tag, tag, 4);
    o->data = data;
    o->len = len;
}

/* The checksums, made on a second thread while the sections before are written:
 * `done` of them are ready. */
typedef struct {
    writer_t *w;
    uint32_t done;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} crc_ahead_t;

static void *crc_ahead(void *arg)
{
    crc_ahead_t *a = arg;
    for (uint32_t i = 0; i < a->w->count; i++) {
        a->w->s[i].crc = crc_of(a->w->s[i].data, a->w->s[i].len);
        pthread_mutex_lock(&a->mu);
        a->done = i + 1;
        pthread_cond_signal(&a->cv);
        pthread_mutex_unlock(&a->mu);
    }
    return NULL;
}

/* Below this many bytes in all, the checksums are made as the sections are written. */
#define CRC_AHEAD_MIN_BYTES ((uint64_t)8 << 20)

/* Writes the listed sections to fp; 0, or -1 when a write failed (errno set). */
static int write_sections(writer_t *w, FILE *fp)
{
    uint32_t version = IFFNET_CASE_FORMAT_VERSION;
    int failed = fwrite(MAGIC, 1, 8, fp) != 8 || fwrite(&version, 4, 1, fp) != 1 || fwrite(&w->count, 4, 1, fp) != 1;
    int err_no = errno;
    uint64_t total = 0;
    for (uint32_t i = 0; i < w->count; i++) total += w->s[i].len;
    crc_ahead_t a = {w, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
    pthread_t th;
    int threaded = total >= CRC_AHEAD_MIN_BYTES && iffnet_i_threads_allowed() &&
                   pthread_create(&th, NULL, crc_ahead, &a) == 0;
    for (uint32_t i = 0; i < w->count; i++) {
        out_section_t *o = &w->s[i];
        if (threaded) {
            pthread_mutex_lock(&a.mu);
            while (a.done <= i) pthread_cond_wait(&a.cv, &a.mu);
            pthread_mutex_unlock(&a.mu);
        } else {
            o->crc = crc_of(o->data, o->len);
        }
        /* After a failed write the rest is not written; the thread still runs to its end. */
        if (!failed && (fwrite(o->tag, 1, 4, fp) != 4 || fwrite(&o->crc, 4, 1, fp) != 1 ||
                        fwrite(&o->len, 8, 1, fp) != 1 || (o->len && fwrite(o->data, 1, o->len, fp) != o->len))) {
            failed = 1;
            err_no = errno;
        }
    }
    if (threaded) pthread_join(th, NULL);
    errno = err_no;
    return failed ? -1 : 0;
}

static void put_strtab(writer_t *w, const char tag[4], const iffnet_strtab_t *t)
{
    put_section(w, tag, t->buf, t->len);
}

/* Transaction columns that most cases leave predictable are stored only when
 * they are not: amounts received equal to amounts sent (no currency conversion),
 * no references, one currency, one channel, source lines one after another.
 * META says which columns were left out and how to rebuild them, so a missing
 * section is never mistaken for a predictable one. */
typedef struct {
    int recv_stored, ref_stored, cur_stored, chan_stored, line_stored, input_stored;
    int32_t cur_value, chan_value, input_value;
    int64_t line_first;
} layout_t;

static int32_t const_i32(const int32_t *v, int64_t n, int *is_const)
{
    *is_const = 1;
    for (int64_t t = 1; t < n; t++)
        if (v[t] != v[0]) {
            *is_const = 0;
            break;
        }
    return n ? v[0] : 0;
}

static void plan_layout(const iffnet_case_t *c, layout_t *L)
{
    int64_t n = c->n_tx;
    int same;
    L->recv_stored = 0;
    for (int64_t t = 0; t < n && !L->recv_stored; t++)
        L->recv_stored = c->tx_recv_amount[t] != c->tx_amount[t] || c->tx_recv_currency[t] != c->tx_currency[t];
    L->ref_stored = 0;
    for (int64_t t = 0; t < n && !L->ref_stored; t++) L->ref_stored = c->tx_reference[t] != -1;
    L->cur_value = const_i32(c->tx_currency, n, &same);
    L->cur_stored = !same;
    L->chan_value = const_i32(c->tx_channel, n, &same);
    L->chan_stored = !same;
    if (c->tx_input) {
        L->input_value = const_i32(c->tx_input, n, &same);
        L->input_stored = !same;
    } else {
        L->input_value = c->tx_input_all;
        L->input_stored = 0;
    }
    L->line_first = n ? c->tx_line[0] : 0;
    L->line_stored = 0;
    for (int64_t t = 1; t < n && !L->line_stored; t++) L->line_stored = c->tx_line[t] != L->line_first + t;
}

/* The META lines for the columns left out. */
static int layout_text(const layout_t *L, char *s, size_t cap)
{
    int n = snprintf(s, cap, "tx_recv_stored\t%d\ntx_ref_stored\t%d\n", L->recv_stored, L->ref_stored);
    if (!L->cur_stored && n >= 0 && (size_t)n < cap) n += snprintf(s + n, cap - (size_t)n, "tx_currency_all\t%d\n", (int)L->cur_value);
    if (!L->chan_stored && n >= 0 && (size_t)n < cap) n += snprintf(s + n, cap - (size_t)n, "tx_channel_all\t%d\n", (int)L->chan_value);
    if (!L->line_stored && n >= 0 && (size_t)n < cap) n += snprintf(s + n, cap - (size_t)n, "tx_line_first\t%lld\n", (long long)L->line_first);
    if (!L->input_stored && n >= 0 && (size_t)n < cap) n += snprintf(s + n, cap - (size_t)n, "tx_input_all\t%d\n", (int)L->input_value);
    return n;
}

/* Scalars and provenance, as a small text block: robust and easy to inspect. */
static char *meta_text(const iffnet_case_t *c, const layout_t *L)
{
    size_t cap = 4096;
    for (int64_t i = 0; i < c->prov.n_inputs; i++)
        cap += strlen(c->prov.inputs[i].path) + strlen(c->prov.inputs[i].role) + 256;
    cap += (c->prov.command_line ? strlen(c->prov.command_line) : 0) + (c->prov.timezone ? strlen(c->prov.timezone) : 0) + 256;
    char *s = malloc(cap);
    if (!s) return NULL;
    int n = snprintf(s, cap,
        "n_accounts\t%lld\nn_tx\t%lld\nn_entities\t%lld\nn_attrs\t%lld\nn_relations\t%lld\n"
        "n_currencies\t%lld\nn_channels\t%lld\nn_text\t%lld\nbase_currency\t%d\nhas_rates\t%d\n"
        "version\t%s\ncommand_line\t%s\npreset\t%s\ncreated\t%lld\nn_inputs\t%lld\n",
        (long long)c->n_accounts, (long long)c->n_tx, (long long)c->n_entities,
        (long long)c->n_attrs, (long long)c->n_relations, (long long)c->currencies.n,
        (long long)c->channels.n, (long long)c->text.n, c->base_currency,
        c->currency_rate != NULL, c->prov.version ? c->prov.version : "",
        c->prov.command_line ? c->prov.command_line : "", c->prov.preset ? c->prov.preset : "",
        (long long)c->prov.created, (long long)c->prov.n_inputs);
    if (n > 0 && (size_t)n < cap) n += layout_text(L, s + n, cap - (size_t)n);
    if (n > 0 && (size_t)n < cap)
        n += snprintf(s + n, cap - (size_t)n, "tx_merged\t%lld\ntx_matched\t%lld\ntimezone\t%s\nlocal_times\t%lld\n",
                      (long long)c->prov.tx_merged, (long long)c->prov.tx_matched,
                      c->prov.timezone ? c->prov.timezone : "UTC", (long long)c->prov.local_times);
    for (int64_t i = 0; i < c->prov.n_inputs && n > 0 && (size_t)n < cap; i++) {
        const iffnet_input_t *in = &c->prov.inputs[i];
        n += snprintf(s + n, cap - (size_t)n, "input\t%s\t%s\t%lld\t%lld\t%lld\t%lld\t%s\n",
                      in->role, in->sha256, (long long)in->size, (long long)in->rows_read,
                      (long long)in->rows_accepted, (long long)in->rows_rejected, in->path);
        if (in->rows_merged && n > 0 && (size_t)n < cap)
            n += snprintf(s + n, cap - (size_t)n, "input_merged\t%lld\t%lld\n", (long long)i, (long long)in->rows_merged);
    }
    return s;
}

static void put_sections(writer_t *w, const iffnet_case_t *c, const layout_t *L, const char *meta)
{
    int64_t na = c->n_accounts, nt = c->n_tx, ne = c->n_entities, nr = c->n_relations;
    int64_t nc = c->currencies.n;
    put_section(w, "META", meta, strlen(meta));
    put_strtab(w, "SACC", &c->account_ids);
    put_strtab(w, "STXI", &c->tx_ids);
    put_strtab(w, "SCUR", &c->currencies);
    put_strtab(w, "SCHN", &c->channels);
    put_strtab(w, "SENT", &c->entity_ids);
    put_strtab(w, "SATT", &c->attr_names);
    put_strtab(w, "STXT", &c->text);
    put_section(w, "AENT", c->account_entity, (uint64_t)na * 8);
    put_section(w, "AHOL", c->account_holder, (uint64_t)na * 8);
    put_section(w, "TTIM", c->tx_time, (uint64_t)nt * 8);
    put_section(w, "TSRC", c->tx_src, (uint64_t)nt * 4);
    put_section(w, "TDST", c->tx_dst, (uint64_t)nt * 4);
    put_section(w, "TAMT", c->tx_amount, (uint64_t)nt * 8);
    if (L->cur_stored) put_section(w, "TCUR", c->tx_currency, (uint64_t)nt * 4);
    if (L->recv_stored) {
        put_section(w, "TRAM", c->tx_recv_amount, (uint64_t)nt * 8);
        put_section(w, "TRCU", c->tx_recv_currency, (uint64_t)nt * 4);
    }
    if (L->chan_stored) put_section(w, "TCHN", c->tx_channel, (uint64_t)nt * 4);
    if (L->ref_stored) put_section(w, "TREF", c->tx_reference, (uint64_t)nt * 8);
    if (L->line_stored) put_section(w, "TLIN", c->tx_line, (uint64_t)nt * 8);
    if (L->input_stored) put_section(w, "TINP", c->tx_input, (uint64_t)nt * 4);
    if (c->tx_base) put_section(w, "TBAS", c->tx_base, (uint64_t)nt * 8);
    put_section(w, "CSCL", c->currency_scale, (uint64_t)nc * 4);
    if (c->currency_rate) put_section(w, "CRAT", c->currency_rate, (uint64_t)nc * 8);
    put_section(w, "EKND", c->entity_kind, (uint64_t)ne * 8);
    put_section(w, "ENAM", c->entity_name, (uint64_t)ne * 8);
    put_section(w, "ECTY", c->entity_country, (uint64_t)ne * 8);
    put_section(w, "ESEC", c->entity_sector, (uint64_t)ne * 8);
    put_section(w, "EATR", c->entity_attr, (uint64_t)(ne * c->n_attrs) * 8);
    put_section(w, "RSEN", c->rel_src_entity, (uint64_t)nr * 8);
    put_section(w, "RSAC", c->rel_src_account, (uint64_t)nr * 8);
    put_section(w, "RDEN", c->rel_dst_entity, (uint64_t)nr * 8);
    put_section(w, "RDAC", c->rel_dst_account, (uint64_t)nr * 8);
    put_section(w, "RTYP", c->rel_type, (uint64_t)nr * 8);
    put_section(w, "END.", "", 0);
}

/* The file's bytes into fp; IFFNET_EIO (errno set) when a write fails. */
static int write_case(const iffnet_case_t *c, FILE *fp)
{
    layout_t L;
    plan_layout(c, &L);
    char *meta = meta_text(c, &L);
    if (!meta) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    writer_t *w = calloc(1, sizeof *w);
    if (!w) {
        free(meta);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    put_sections(w, c, &L, meta);
    int failed = write_sections(w, fp);
    int e = errno;
    free(w);
    free(meta);
    errno = e;
    return failed ? IFFNET_EIO : IFFNET_OK;
}

int iffnet_case_write(const iffnet_case_t *c, FILE *fp)
{
    int err = write_case(c, fp);
    if (err == IFFNET_EIO) return iffnet_i_seterr(IFFNET_EIO, "cannot write the case: %s", strerror(errno));
    return err;
}

int iffnet_case_save(const iffnet_case_t *c, const char *path)
{
    iffnet_out_t out;
    IFFNET_TRY(iffnet_out_open(&out, path));
    int err = write_case(c, out.fp);
    if (err) {
        int e = errno;
        iffnet_out_abort(&out);
        return err == IFFNET_EIO ? iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", path, strerror(e)) : err;
    }
    return iffnet_out_commit(&out);
}

/* ---- loading ---- */

typedef struct {
    char tag[5];
    uint32_t crc;
    uint64_t len;
    long pos;      /* payload offset in the file */
    /* Sections read ahead by the second thread: its buffer (until taken) and how
     * the read went (0, IFFNET_EIO with errno, or IFFNET_ECORRUPT for a bad CRC). */
    int ahead;
    void *buf;
    int err, err_no;
} section_t;

typedef struct {
    FILE *fp;                  /* the file, or NULL when reading bytes in memory */
    const unsigned char *mem;
    const char *path;
    int64_t file_size;
    section_t *sec;
    uint32_t nsec;
    pthread_t thread;
    int thread_live;
} reader_t;

static int corrupt(const reader_t *r, const char *what)
{
    return iffnet_i_seterr(IFFNET_ECORRUPT, "'%s' is not a valid iffnet case file: %s", r->path, what);
}

static const section_t *find_section(const reader_t *r, const char *tag)
{
    for (uint32_t i = 0; i < r->nsec; i++)
        if (memcmp(r->sec[i].tag, tag, 4) == 0) return &r->sec[i];
    return NULL;
}

/* Every section a version-1 file may hold. A tag outside this list means damage
 * (a flipped tag would otherwise make an optional section silently vanish). */
static const char *const KNOWN_TAGS[] = {
    "META", "SACC", "STXI", "SCUR", "SCHN", "SENT", "SATT", "STXT", "AENT", "AHOL", "TTIM",
    "TSRC", "TDST", "TAMT", "TCUR", "TRAM", "TRCU", "TCHN", "TREF", "TLIN", "TBAS", "CSCL",
    "CRAT", "EKND", "ENAM", "ECTY", "ESEC", "EATR", "RSEN", "RSAC", "RDEN", "RDAC", "RTYP", "TINP", "END.", NULL
};

static int known_tag(const char *tag)
{
    for (const char *const *k = KNOWN_TAGS; *k; k++)
        if (memcmp(*k, tag, 4) == 0) return 1;
    return 0;
}

/* n bytes at offset pos of the file (pread: no shared offset, so the second
 * thread and the caller can both read) or of the bytes in memory; -1 on a
 * read error (errno set), else the count read (less than n only at the end). */
static ssize_t read_at(const reader_t *r, void *buf, size_t n, int64_t pos)
{
    if (r->mem) {
        if (pos >= r->file_size) return 0;
        size_t k = (uint64_t)(r->file_size - pos) < n ? (size_t)(r->file_size - pos) : n;
        memcpy(buf, r->mem + pos, k);
        return (ssize_t)k;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t k = pread(fileno(r->fp), (char *)buf + done, n - done, (off_t)pos + (off_t)done);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) break;
        done += (size_t)k;
    }
    return (ssize_t)done;
}

/* Reads exactly n bytes at *pos and moves *pos past them; 0, or -1 short. */
static int take(const reader_t *r, void *buf, size_t n, int64_t *pos)
{
    if (read_at(r, buf, n, *pos) != (ssize_t)n) return -1;
    *pos += (int64_t)n;
    return 0;
}

static int read_directory(reader_t *r)
{
    char magic[8];
    uint32_t version, n;
    int64_t pos = 0;
    if (take(r, magic, 8, &pos) || memcmp(magic, MAGIC, 8) != 0)
        return corrupt(r, "wrong magic bytes (not written by iffnet ingest)");
    if (take(r, &version, 4, &pos) || take(r, &n, 4, &pos))
        return corrupt(r, "truncated header");
    if (version != IFFNET_CASE_FORMAT_VERSION)
        return iffnet_i_seterr(IFFNET_ECORRUPT, "'%s' has case format version %u; this iffnet reads version %d",
                               r->path, version, IFFNET_CASE_FORMAT_VERSION);
    if (n == 0 || n > 1024) return corrupt(r, "bad section count");
    r->sec = calloc(n, sizeof *r->sec);
    if (!r->sec) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        section_t *s = &r->sec[i];
        if (take(r, s->tag, 4, &pos) || take(r, &s->crc, 4, &pos) || take(r, &s->len, 8, &pos))
            return corrupt(r, "truncated (a section header is missing)");
        if (!known_tag(s->tag) || find_section(r, s->tag) != NULL) {
            char m[96];
            snprintf(m, sizeof m, "unknown or repeated section tag at section %u", i + 1);
            return corrupt(r, m);
        }
        r->nsec = i + 1;
        s->pos = (long)pos;
        if (s->len > (uint64_t)r->file_size || (int64_t)s->len > r->file_size - s->pos) {
            char m[96];
            snprintf(m, sizeof m, "truncated in section %.4s", s->tag);
            return corrupt(r, m);
        }
        pos += (int64_t)s->len;
    }
    r->nsec = n;
    const section_t *end = &r->sec[n - 1];
    if (memcmp(end->tag, "END.", 4) != 0) return corrupt(r, "truncated (no end marker)");
    if (end->len != 0 || end->crc != crc_of("", 0)) return corrupt(r, "damaged end marker");
    if (pos != r->file_size) return corrupt(r, "trailing bytes after the end marker");
    return IFFNET_OK;
}

/* ---- reading sections, some ahead on a second thread ---- */

/* Bytes copied and checksummed at a time: the CRC reads each piece while it is
 * still in the cache the copy left it in, not again from memory. */
#define COPY_PIECE ((size_t)256 << 10)

/* Reads a section into a buffer of its own and checks its CRC; the outcome
 * stays in s. */
static void read_ahead_one(const reader_t *r, section_t *s)
{
    s->buf = malloc(s->len ? s->len : 1);
    if (!s->buf) {
        s->err = IFFNET_ENOMEM;
        return;
    }
    uLong crc = crc32(0L, Z_NULL, 0);
    for (uint64_t done = 0; done < s->len;) {
        size_t want = s->len - done < COPY_PIECE ? (size_t)(s->len - done) : COPY_PIECE;
        ssize_t n = read_at(r, (char *)s->buf + done, want, s->pos + (int64_t)done);
        if (n != (ssize_t)want) {
            s->err = IFFNET_EIO;
            s->err_no = n < 0 ? errno : EIO;
            return;
        }
        crc = crc32(crc, (const unsigned char *)s->buf + done, (uInt)want);
        done += want;
    }
    if ((uint32_t)crc != s->crc) s->err = IFFNET_ECORRUPT;
}

static void *read_ahead(void *arg)
{
    reader_t *r = arg;
    for (uint32_t i = 0; i < r->nsec; i++)
        if (r->sec[i].ahead) read_ahead_one(r, &r->sec[i]);
    return NULL;
}

/* Below this many bytes in all, one thread reads the whole file. */
#define AHEAD_MIN_BYTES ((uint64_t)8 << 20)

/* Gives the second thread about half of the bytes: the largest sections, taken
 * alternately from the largest down, so neither thread waits long for the other. */
static void start_read_ahead(reader_t *r)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < r->nsec; i++) total += r->sec[i].len;
    if (total < AHEAD_MIN_BYTES || !iffnet_i_threads_allowed()) return;
    uint64_t mine = 0, theirs = 0;
    for (;;) {
        section_t *big = NULL;
        for (uint32_t i = 0; i < r->nsec; i++) {
            section_t *s = &r->sec[i];
            if (s->ahead == 0 && (!big || s->len > big->len)) big = s;
        }
        if (!big) break;
        /* 1: the second thread reads it, -1: the caller does. */
        if (theirs <= mine) {
            big->ahead = 1;
            theirs += big->len;
        } else {
            big->ahead = -1;
            mine += big->len;
        }
    }
    for (uint32_t i = 0; i < r->nsec; i++)
        if (r->sec[i].ahead < 0) r->sec[i].ahead = 0;
    if (pthread_create(&r->thread, NULL, read_ahead, r) == 0) {
        r->thread_live = 1;
    } else {
        for (uint32_t i = 0; i < r->nsec; i++) r->sec[i].ahead = 0;
    }
}

static void join_read_ahead(reader_t *r)
{
    if (!r->thread_live) return;
    pthread_join(r->thread, NULL);
    r->thread_live = 0;
}

static void free_read_ahead(reader_t *r)
{
    join_read_ahead(r);
    for (uint32_t i = 0; r->sec && i < r->nsec; i++) free(r->sec[i].buf);
}

/* Reads section `tag` into a fresh buffer holding exactly n items of elem bytes
 * (n < 0: any length). n comes from META, which is as untrusted as the rest of
 * the file: it is compared with the section's length by division, so no size
 * computed from it can wrap. */
static int load_section(reader_t *r, const char *tag, int64_t n, size_t elem, int optional, void **out,
                        uint64_t *len)
{
    *out = NULL;
    section_t *s = (section_t *)find_section(r, tag); /* r owns its sections */
    if (!s) {
        if (optional) return IFFNET_OK;
        char m[64];
        snprintf(m, sizeof m, "section %s is missing", tag);
        return corrupt(r, m);
    }
    if (n >= 0 && (s->len % elem != 0 || s->len / elem != (uint64_t)n)) {
        char m[128];
        snprintf(m, sizeof m, "section %s has %llu bytes, expected %lld items of %zu bytes", tag,
                 (unsigned long long)s->len, (long long)n, elem);
        return corrupt(r, m);
    }
    /* Sections not read ahead are read here the same way (pread + CRC). */
    if (s->ahead) join_read_ahead(r);
    else read_ahead_one(r, s);
    if (s->err == IFFNET_ENOMEM) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory loading '%s'", r->path);
    if (s->err == IFFNET_EIO) return iffnet_i_seterr(IFFNET_EIO, "cannot read '%s': %s", r->path, strerror(s->err_no));
    if (s->err) {
        char m[96];
        snprintf(m, sizeof m, "checksum mismatch in section %s (the file is damaged)", tag);
        return corrupt(r, m);
    }
    *out = s->buf;
    s->buf = NULL;
    if (len) *len = s->len;
    return IFFNET_OK;
}

/* Counts the NUL-terminated strings of buf[0..len) (whose last byte is a NUL)
 * and writes the offsets of the first cap of them to off. Eight bytes at a
 * time: ids are short, and a call of memchr per string costs more than the
 * scan. */
static int64_t string_starts(const char *buf, uint64_t len, int64_t *off, int64_t cap)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    int64_t k = 0;
    uint64_t start = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, buf + i, 8);
        /* 0x80 in exactly the bytes of w that are zero. */
        uint64_t z = ~(((w & low7) + low7) | w | low7);
        while (z) {
            uint64_t at = i + (uint64_t)(__builtin_ctzll(z) >> 3);
            if (k < cap) off[k] = (int64_t)start;
            k++;
            start = at + 1;
            z &= z - 1;
        }
    }
    for (; i < len; i++) {
        if (buf[i]) continue;
        if (k < cap) off[k] = (int64_t)start;
        k++;
        start = i + 1;
    }
    return k;
}

static int load_strtab(reader_t *r, const char *tag, int64_t n, iffnet_strtab_t *t)
{
    void *buf;
    uint64_t len;
    IFFNET_TRY(load_section(r, tag, -1, 1, 0, &buf, &len));
    iffnet_strtab_init(t);
    t->buf = buf;
    t->len = t->cap = len;
    char m[128];
    if (len && ((char *)buf)[len - 1] != '\0') {
        snprintf(m, sizeof m, "string table %s is not terminated", tag);
        return corrupt(r, m);
    }
    /* Text is UTF-8 everywhere in iffnet (ingest makes sure): a case that holds
     * other bytes would write ids into JSON that no reader maps back. */
    size_t bad = iffnet_i_utf8_valid_prefix(buf, len);
    if (bad < len) {
        snprintf(m, sizeof m, "string table %s holds bytes that are not UTF-8 (at byte %zu)", tag, bad);
        return corrupt(r, m);
    }
    /* n comes from META: the offsets array is sized by it only when the section
     * can hold n strings (each takes at least its NUL), so it is never larger
     * than the section allows; the strings are counted in the same pass. */
    if (n <= (int64_t)len) {
        t->off = malloc((size_t)(n ? n : 1) * sizeof *t->off);
        if (!t->off) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        t->cap_n = n;
    }
    int64_t k = string_starts(buf, len, t->off, t->off ? n : 0);
    if (k != n) {
        snprintf(m, sizeof m, "string table %s holds %lld strings, expected %lld", tag, (long long)k, (long long)n);
        return corrupt(r, m);
    }
    t->n = n;
    return IFFNET_OK;
}

/* An integer META value: "key<TAB>digits" on a line of its own. */
static int meta_int(const char *meta, const char *key, int64_t *v)
{
    size_t kl = strlen(key);
    for (const char *p = meta; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '\t') {
            char *end;
            errno = 0;
            *v = strtoll(p + kl + 1, &end, 10);
            return end != p + kl + 1 && errno == 0 && (*end == '\n' || *end == '\0') ? 0 : -1;
        }
    }
    return -1;
}

/* 1 when META has a line for key. */
static int meta_has(const char *meta, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = meta; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, key, kl) == 0 && p[kl] == '\t') return 1;
    return 0;
}

static char *meta_str(const char *meta, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = meta; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '\t') {
            const char *b = p + kl + 1, *e = strchr(b, '\n');
            size_t n = e ? (size_t)(e - b) : strlen(b);
            char *s = malloc(n + 1);
            if (s) {
                memcpy(s, b, n);
                s[n] = '\0';
            }
            return s;
        }
    }
    return iffnet_i_strdup("");
}

/* The provenance records ("input" lines) of META; n of them are expected. */
static int parse_inputs(reader_t *r, iffnet_case_t *c, const char *meta, int64_t n)
{
    c->prov.n_inputs = 0;
    c->prov.inputs = calloc((size_t)(n ? n : 1), sizeof *c->prov.inputs);
    if (!c->prov.inputs) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    for (const char *p = meta; p && *p && c->prov.n_inputs < n; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, "input\t", 6) != 0) continue;
        iffnet_input_t *in = &c->prov.inputs[c->prov.n_inputs];
        char role[64], sha[65];
        long long size, rr, ra, rj;
        int used = 0;
        if (sscanf(p + 6, "%63[^\t\n]\t%64[0-9a-f]\t%lld\t%lld\t%lld\t%lld\t%n", role, sha, &size, &rr, &ra, &rj, &used) < 6 ||
            !used || strlen(sha) != 64 || size < 0 || rr < 0 || ra < 0 || rj < 0)
            return corrupt(r, "bad provenance record in META");
        const char *path = p + 6 + used, *e = strchr(path, '\n');
        size_t pl = e ? (size_t)(e - path) : strlen(path);
        in->role = iffnet_i_strdup(role);
        in->path = malloc(pl + 1);
        c->prov.n_inputs++; /* so that destroy frees what was allocated */
        if (!in->role || !in->path) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        memcpy(in->path, path, pl);
        in->path[pl] = '\0';
        memcpy(in->sha256, sha, 65);
        in->size = size;
        in->rows_read = rr;
        in->rows_accepted = ra;
        in->rows_rejected = rj;
    }
    if (c->prov.n_inputs != n) return corrupt(r, "META announces more provenance records than it holds");
    /* "input_merged<TAB>k<TAB>m": m of input k's accepted rows repeated payments
     * of an earlier file. */
    for (const char *p = meta; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        long long k, mg;
        int used = 0;
        if (strncmp(p, "input_merged\t", 13) != 0) continue;
        if (sscanf(p + 13, "%lld\t%lld%n", &k, &mg, &used) != 2 || (p[13 + used] != '\n' && p[13 + used] != '\0') ||
            k < 0 || k >= n || mg < 0 || mg > c->prov.inputs[k].rows_read)
            return corrupt(r, "bad input_merged record in META");
        c->prov.inputs[k].rows_merged = mg;
    }
    return IFFNET_OK;
}

/* A column META may say was left out: absent key (files written before these keys
 * existed store every column) means the section is there. */
static int meta_flag(const char *meta, const char *key, int64_t *v)
{
    return meta_int(meta, key, v) == 0;
}

static int alloc_column(void **p, int64_t n, size_t elem)
{
    *p = malloc((size_t)(n ? n : 1) * elem);
    return *p ? IFFNET_OK : iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
}

static int load_or_fill_i32(reader_t *r, const char *meta, const char *key, const char *tag, int64_t n, int32_t **out)
{
    int64_t v;
    if (!meta_flag(meta, key, &v)) return load_section(r, tag, n, 4, 0, (void **)out, NULL);
    if (find_section(r, tag) || v < INT32_MIN || v > INT32_MAX) return corrupt(r, "a column section contradicts the META section");
    IFFNET_TRY(alloc_column((void **)out, n, sizeof **out));
    for (int64_t t = 0; t < n; t++) (*out)[t] = (int32_t)v;
    return IFFNET_OK;
}

static int load_optional_columns(reader_t *r, iffnet_case_t *c, const char *meta)
{
    int64_t recv_stored = 1, ref_stored = 1, first, n = c->n_tx;
    meta_flag(meta, "tx_recv_stored", &recv_stored);
    meta_flag(meta, "tx_ref_stored", &ref_stored);
    if ((!recv_stored && (find_section(r, "TRAM") || find_section(r, "TRCU"))) || (!ref_stored && find_section(r, "TREF")))
        return corrupt(r, "a column section contradicts the META section");
    IFFNET_TRY(load_or_fill_i32(r, meta, "tx_currency_all", "TCUR", n, &c->tx_currency));
    IFFNET_TRY(load_or_fill_i32(r, meta, "tx_channel_all", "TCHN", n, &c->tx_channel));
    if (recv_stored) {
        IFFNET_TRY(load_section(r, "TRAM", n, 8, 0, (void **)&c->tx_recv_amount, NULL));
        IFFNET_TRY(load_section(r, "TRCU", n, 4, 0, (void **)&c->tx_recv_currency, NULL));
    } else {
        IFFNET_TRY(alloc_column((void **)&c->tx_recv_amount, n, sizeof *c->tx_recv_amount));
        IFFNET_TRY(alloc_column((void **)&c->tx_recv_currency, n, sizeof *c->tx_recv_currency));
        if (n) {
            memcpy(c->tx_recv_amount, c->tx_amount, (size_t)n * sizeof *c->tx_recv_amount);
            memcpy(c->tx_recv_currency, c->tx_currency, (size_t)n * sizeof *c->tx_recv_currency);
        }
    }
    if (ref_stored) {
        IFFNET_TRY(load_section(r, "TREF", n, 8, 0, (void **)&c->tx_reference, NULL));
    } else {
        IFFNET_TRY(alloc_column((void **)&c->tx_reference, n, sizeof *c->tx_reference));
        for (int64_t t = 0; t < n; t++) c->tx_reference[t] = -1;
    }
    /* Which input each transaction came from: a column, or one input for all
     * (tx_input NULL, tx_input_all; files from before several inputs per case
     * have neither, and every transaction is from input 0). */
    int64_t input_all = 0;
    if (meta_flag(meta, "tx_input_all", &input_all) || !find_section(r, "TINP")) {
        if (find_section(r, "TINP") || input_all < 0 || (n > 0 && input_all >= c->prov.n_inputs))
            return corrupt(r, "a column section contradicts the META section");
        c->tx_input_all = (int32_t)input_all;
    } else {
        IFFNET_TRY(load_section(r, "TINP", n, 4, 0, (void **)&c->tx_input, NULL));
    }
    if (!meta_flag(meta, "tx_line_first", &first)) return load_section(r, "TLIN", n, 8, 0, (void **)&c->tx_line, NULL);
    if (find_section(r, "TLIN") || first < 0 || first > INT64_MAX - n) return corrupt(r, "a column section contradicts the META section");
    IFFNET_TRY(alloc_column((void **)&c->tx_line, n, sizeof *c->tx_line));
    for (int64_t t = 0; t < n; t++) c->tx_line[t] = first + t;
    return IFFNET_OK;
}

/* ---- checking what was loaded ----
 * Every index is checked against the table it points into, so that no reader
 * of a loaded case (summary, detectors, report, export) can be led outside an
 * array by a crafted file; amounts, scales and times against the ranges ingest
 * produces, so that sums and time arithmetic downstream cannot overflow. */

static int bad_index(const reader_t *r, const char *tag, int64_t i, int64_t v)
{
    char m[128];
    snprintf(m, sizeof m, "section %s: item %lld holds %lld, out of range", tag, (long long)i, (long long)v);
    return corrupt(r, m);
}

/* Values checked a block at a time without a branch per value (the compiler
 * vectorises the block); the first bad one is then found in its block. */
#define CHECK_BLOCK 4096

/* Each of v[0..n-1] lies in [lo, hi). */
static int check_range64(const reader_t *r, const char *tag, const int64_t *v, int64_t n, int64_t lo, int64_t hi)
{
    for (int64_t b = 0; b < n; b += CHECK_BLOCK) {
        int64_t e = n - b < CHECK_BLOCK ? n : b + CHECK_BLOCK;
        int bad = 0;
        for (int64_t i = b; i < e; i++) bad |= (v[i] < lo) | (v[i] >= hi);
        if (!bad) continue;
        for (int64_t i = b; i < e; i++)
            if (v[i] < lo || v[i] >= hi) return bad_index(r, tag, i, v[i]);
    }
    return IFFNET_OK;
}

static int check_range32(const reader_t *r, const char *tag, const int32_t *v, int64_t n, int64_t lo, int64_t hi)
{
    if (lo > INT32_MAX) { /* every value fails: the first is named */
        for (int64_t i = 0; i < n; i++) return bad_index(r, tag, i, v[i]);
        return IFFNET_OK;
    }
    /* Bounds beyond int32_t hold for every value: clamp them so the block
     * compares 32-bit lanes. */
    int32_t lo32 = lo < INT32_MIN ? INT32_MIN : (int32_t)lo;
    int64_t hi_c = hi < INT32_MIN ? INT32_MIN : hi;
    if (hi_c > (int64_t)INT32_MAX) {
        /* v[i] < hi always; only the lower bound can fail. */
        for (int64_t b = 0; b < n; b += CHECK_BLOCK) {
            int64_t e = n - b < CHECK_BLOCK ? n : b + CHECK_BLOCK;
            int bad = 0;
            for (int64_t i = b; i < e; i++) bad |= v[i] < lo32;
            if (!bad) continue;
            for (int64_t i = b; i < e; i++)
                if (v[i] < lo || v[i] >= hi) return bad_index(r, tag, i, v[i]);
        }
        return IFFNET_OK;
    }
    int32_t hi32 = (int32_t)hi_c;
    for (int64_t b = 0; b < n; b += CHECK_BLOCK) {
        int64_t e = n - b < CHECK_BLOCK ? n : b + CHECK_BLOCK;
        int bad = 0;
        for (int64_t i = b; i < e; i++) bad |= (v[i] < lo32) | (v[i] >= hi32);
        if (!bad) continue;
        for (int64_t i = b; i < e; i++)
            if (v[i] < lo || v[i] >= hi) return bad_index(r, tag, i, v[i]);
    }
    return IFFNET_OK;
}

/* Amounts are never negative, and a whole column adds up without overflow (as
 * ingest makes sure), so every sum over transactions fits in 64 bits. */
static int check_amounts(const reader_t *r, const char *tag, const iffnet_money_t *v, int64_t n)
{
    iffnet_money_t sum = 0;
    for (int64_t i = 0; i < n; i++) {
        if (v[i] < 0) return bad_index(r, tag, i, v[i]);
        if (__builtin_add_overflow(sum, v[i], &sum)) {
            char m[96];
            snprintf(m, sizeof m, "section %s: the amounts add up to more than 64 bits hold", tag);
            return corrupt(r, m);
        }
    }
    return IFFNET_OK;
}

static int check_transactions(const iffnet_case_t *c, const reader_t *r)
{
    int64_t n = c->n_tx, ncur = c->currencies.n;
    IFFNET_TRY(check_range32(r, "TSRC", c->tx_src, n, 0, c->n_accounts));
    IFFNET_TRY(check_range32(r, "TDST", c->tx_dst, n, 0, c->n_accounts));
    IFFNET_TRY(check_range32(r, "TCUR", c->tx_currency, n, 0, ncur));
    IFFNET_TRY(check_range32(r, "TRCU", c->tx_recv_currency, n, 0, ncur));
    IFFNET_TRY(check_range32(r, "TCHN", c->tx_channel, n, -1, c->channels.n));
    IFFNET_TRY(check_range64(r, "TREF", c->tx_reference, n, -1, c->text.n));
    IFFNET_TRY(check_range64(r, "TLIN", c->tx_line, n, 0, INT64_MAX));
    if (c->tx_input) IFFNET_TRY(check_range32(r, "TINP", c->tx_input, n, 0, c->prov.n_inputs));
    IFFNET_TRY(check_range64(r, "TTIM", c->tx_time, n, IFFNET_TIME_MIN, IFFNET_TIME_MAX + 1));
    for (int64_t t = 1; t < n; t++)
        if (c->tx_time[t] < c->tx_time[t - 1]) return corrupt(r, "section TTIM: transactions are not in time order");
    IFFNET_TRY(check_amounts(r, "TAMT", c->tx_amount, n));
    IFFNET_TRY(check_amounts(r, "TRAM", c->tx_recv_amount, n));
    if (c->tx_base) IFFNET_TRY(check_amounts(r, "TBAS", c->tx_base, n));
    return IFFNET_OK;
}

static int check_tables(const iffnet_case_t *c, const reader_t *r)
{
    int64_t ne = c->n_entities, nt = c->text.n, na = c->n_accounts, nr = c->n_relations;
    IFFNET_TRY(check_range64(r, "AENT", c->account_entity, na, -1, ne));
    IFFNET_TRY(check_range64(r, "AHOL", c->account_holder, na, -1, ne));
    IFFNET_TRY(check_range32(r, "CSCL", c->currency_scale, c->currencies.n, 0, 19));
    if (c->currency_rate) IFFNET_TRY(check_range64(r, "CRAT", c->currency_rate, c->currencies.n, 0, INT64_MAX));
    IFFNET_TRY(check_range64(r, "EKND", c->entity_kind, ne, -1, nt));
    IFFNET_TRY(check_range64(r, "ENAM", c->entity_name, ne, -1, nt));
    IFFNET_TRY(check_range64(r, "ECTY", c->entity_country, ne, -1, nt));
    IFFNET_TRY(check_range64(r, "ESEC", c->entity_sector, ne, -1, nt));
    IFFNET_TRY(check_range64(r, "EATR", c->entity_attr, ne * c->n_attrs, -1, nt));
    IFFNET_TRY(check_range64(r, "RSEN", c->rel_src_entity, nr, -1, ne));
    IFFNET_TRY(check_range64(r, "RDEN", c->rel_dst_entity, nr, -1, ne));
    IFFNET_TRY(check_range64(r, "RSAC", c->rel_src_account, nr, -1, na));
    IFFNET_TRY(check_range64(r, "RDAC", c->rel_dst_account, nr, -1, na));
    IFFNET_TRY(check_range64(r, "RTYP", c->rel_type, nr, -1, nt));
    /* Each end of a relation is an entity, an account, or both. */
    for (int64_t k = 0; k < nr; k++)
        if ((c->rel_src_entity[k] < 0 && c->rel_src_account[k] < 0) || (c->rel_dst_entity[k] < 0 && c->rel_dst_account[k] < 0))
            return bad_index(r, "RSEN", k, -1);
    return IFFNET_OK;
}

/* The counts of META. Each is later held against the length of its sections. */
typedef struct {
    int64_t ncur, nchan, ntext, base, has_rates, created, n_inputs;
} meta_counts_t;

static int read_meta_counts(const char *meta, uint64_t mlen, iffnet_case_t *c, meta_counts_t *m)
{
    m->base = -1;
    if (meta_int(meta, "n_accounts", &c->n_accounts) || meta_int(meta, "n_tx", &c->n_tx) ||
        meta_int(meta, "n_entities", &c->n_entities) || meta_int(meta, "n_attrs", &c->n_attrs) ||
        meta_int(meta, "n_relations", &c->n_relations) || meta_int(meta, "n_currencies", &m->ncur) ||
        meta_int(meta, "n_channels", &m->nchan) || meta_int(meta, "n_text", &m->ntext) ||
        meta_int(meta, "base_currency", &m->base) || meta_int(meta, "has_rates", &m->has_rates) ||
        meta_int(meta, "created", &m->created) || meta_int(meta, "n_inputs", &m->n_inputs))
        return -1;
    /* Account and currency indices are stored in 32 bits; there is a base currency
     * exactly when there are rates (ingest sets both from the rates file). */
    int64_t prod;
    if (c->n_accounts < 0 || c->n_tx < 0 || c->n_entities < 0 || c->n_attrs < 0 || c->n_relations < 0 ||
        m->ncur < 0 || m->nchan < 0 || m->ntext < 0 || c->n_accounts > INT32_MAX || m->ncur > INT32_MAX ||
        m->nchan > INT32_MAX || m->base < -1 || m->base >= m->ncur || (m->has_rates != 0 && m->has_rates != 1) ||
        (m->base >= 0) != (m->has_rates == 1) || m->n_inputs < 0 || m->n_inputs > (int64_t)(mlen / 16) ||
        __builtin_mul_overflow(c->n_entities, c->n_attrs, &prod))
        return -1;
    return 0;
}

/* A zone name as ingest records it: an IANA name or a fixed offset. */
static int zone_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_+-/:", *s)) return 0;
    return 1;
}

/* The META lines of an ingest of several sources: counts of merged and matched
 * payments and of times read in a zone, and that zone. Files from before these
 * lines existed lack them (0 and UTC); present, they must be what ingest writes. */
static int read_meta_ingest(const reader_t *r, const char *meta, iffnet_case_t *c)
{
    static const char *const keys[] = {"tx_merged", "tx_matched", "local_times"};
    int64_t *vals[] = {&c->prov.tx_merged, &c->prov.tx_matched, &c->prov.local_times};
    for (int i = 0; i < 3; i++) {
        *vals[i] = 0;
        if (!meta_has(meta, keys[i])) continue;
        if (meta_int(meta, keys[i], vals[i]) || *vals[i] < 0) {
            char m[64];
            snprintf(m, sizeof m, "bad %s in META", keys[i]);
            return corrupt(r, m);
        }
    }
    if (!*c->prov.timezone) {
        char *utc = iffnet_i_strdup("UTC");
        if (!utc) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        free(c->prov.timezone);
        c->prov.timezone = utc;
    } else if (!zone_name_ok(c->prov.timezone)) {
        return corrupt(r, "bad timezone in META");
    }
    return IFFNET_OK;
}

#define LOAD(tag, field, n, elem) \
    do { if ((err = load_section(&r, tag, (n), (elem), 0, (void **)&c->field, NULL))) goto out; } while (0)

/* The sections of an opened reader into c (initialised). */
static int load(reader_t *rp, iffnet_case_t *c)
{
    int err = IFFNET_OK;
    char *meta = NULL;
    reader_t r = *rp;
    if ((err = read_directory(&r))) goto out;
    start_read_ahead(&r);
    uint64_t mlen;
    if ((err = load_section(&r, "META", -1, 1, 0, (void **)&meta, &mlen))) goto out;
    char *m2 = realloc(meta, mlen + 1);
    if (!m2) { err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory"); goto out; }
    meta = m2;
    meta[mlen] = '\0';
    meta_counts_t m;
    if (read_meta_counts(meta, mlen, c, &m)) {
        err = corrupt(&r, "bad META section");
        goto out;
    }
    c->base_currency = (int32_t)m.base;
    c->prov.created = m.created;
    c->prov.version = meta_str(meta, "version");
    c->prov.command_line = meta_str(meta, "command_line");
    c->prov.preset = meta_str(meta, "preset");
    c->prov.timezone = meta_str(meta, "timezone");
    if (!c->prov.version || !c->prov.command_line || !c->prov.preset || !c->prov.timezone) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    if ((err = read_meta_ingest(&r, meta, c))) goto out;
    if ((err = parse_inputs(&r, c, meta, m.n_inputs))) goto out;
    if ((err = load_strtab(&r, "SACC", c->n_accounts, &c->account_ids))) goto out;
    if ((err = load_strtab(&r, "STXI", c->n_tx, &c->tx_ids))) goto out;
    if ((err = load_strtab(&r, "SCUR", m.ncur, &c->currencies))) goto out;
    if ((err = load_strtab(&r, "SCHN", m.nchan, &c->channels))) goto out;
    if ((err = load_strtab(&r, "SENT", c->n_entities, &c->entity_ids))) goto out;
    if ((err = load_strtab(&r, "SATT", c->n_attrs, &c->attr_names))) goto out;
    if ((err = load_strtab(&r, "STXT", m.ntext, &c->text))) goto out;
    LOAD("AENT", account_entity, c->n_accounts, 8);
    LOAD("AHOL", account_holder, c->n_accounts, 8);
    LOAD("TTIM", tx_time, c->n_tx, 8);
    LOAD("TSRC", tx_src, c->n_tx, 4);
    LOAD("TDST", tx_dst, c->n_tx, 4);
    LOAD("TAMT", tx_amount, c->n_tx, 8);
    if ((err = load_optional_columns(&r, c, meta))) goto out;
    if (m.has_rates) LOAD("TBAS", tx_base, c->n_tx, 8);
    else if (find_section(&r, "TBAS") || find_section(&r, "CRAT")) { err = corrupt(&r, "rate sections in a case without rates"); goto out; }
    LOAD("CSCL", currency_scale, m.ncur, 4);
    if (m.has_rates) LOAD("CRAT", currency_rate, m.ncur, 8);
    LOAD("EKND", entity_kind, c->n_entities, 8);
    LOAD("ENAM", entity_name, c->n_entities, 8);
    LOAD("ECTY", entity_country, c->n_entities, 8);
    LOAD("ESEC", entity_sector, c->n_entities, 8);
    LOAD("EATR", entity_attr, c->n_entities * c->n_attrs, 8);
    LOAD("RSEN", rel_src_entity, c->n_relations, 8);
    LOAD("RSAC", rel_src_account, c->n_relations, 8);
    LOAD("RDEN", rel_dst_entity, c->n_relations, 8);
    LOAD("RDAC", rel_dst_account, c->n_relations, 8);
    LOAD("RTYP", rel_type, c->n_relations, 8);
    if ((err = check_transactions(c, &r))) goto out;
    err = check_tables(c, &r);
out:
    free(meta);
    free_read_ahead(&r);
    free(r.sec);
    if (err) iffnet_case_destroy(c);
    return err;
}

/* The file's bytes mapped into memory, or NULL where it cannot be (a pipe, a
 * device, an empty file, no address space): the loader then reads with pread.
 * MAP_POPULATE reads the whole file in at once, faster than a fault per page. */
static void *map_file(FILE *fp, int64_t size)
{
    if (size <= 0 || (uint64_t)size > SIZE_MAX) return NULL;
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE;
#endif
    void *p = mmap(NULL, (size_t)size, PROT_READ, flags, fileno(fp), 0);
    return p == MAP_FAILED ? NULL : p;
}

int iffnet_i_case_load_file(iffnet_case_t *c, const char *path, int map)
{
    reader_t r = {0};
    int err;
    r.path = path;
    iffnet_case_init(c);
    r.fp = fopen(path, "rb");
    if (!r.fp) return iffnet_i_seterr(IFFNET_EIO, "cannot open '%s': %s", path, strerror(errno));
    void *mapped = NULL;
    if (fseek(r.fp, 0, SEEK_END) != 0 || (r.file_size = ftell(r.fp)) < 0) {
        err = iffnet_i_seterr(IFFNET_EIO, "cannot read '%s': %s", path, strerror(errno));
        iffnet_case_destroy(c);
    } else {
        /* Every section is copied out of the mapping into a buffer of its own
         * (the arrays in the file are not aligned) and checked as from pread. */
        if (map && (mapped = map_file(r.fp, r.file_size))) r.mem = mapped;
        err = load(&r, c);
    }
    if (mapped) munmap(mapped, (size_t)r.file_size);
    fclose(r.fp);
    return err;
}

/* Read with pread, not mapped: every section is copied into a buffer of its
 * own either way (the arrays in the file are not aligned), so the mapping
 * gained nothing measurable (0.73 s both ways on a 356 MB case), and a file
 * that another process truncates while it is mapped kills the process with
 * SIGBUS where pread returns a short read that is reported as damage. */
int iffnet_case_load(iffnet_case_t *c, const char *path)
{
    return iffnet_i_case_load_file(c, path, 0);
}

int iffnet_case_load_mem(iffnet_case_t *c, const char *name, const void *data, size_t size)
{
    reader_t r = {0};
    r.path = name;
    r.mem = data ? data : (const void *)"";
    r.file_size = (int64_t)size;
    iffnet_case_init(c);
    return load(&r, c);
}
