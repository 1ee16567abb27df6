/* instream.c: the decoded bytes of an input file, whatever its compression.
 *
 * Every reader of input files (CSV, XML, JSON Lines) reads through this, so each
 * of them takes plain, gzip, xz and zstd input alike and hashes the file's raw
 * bytes as stored (the SHA-256 in the provenance is the file's own). The
 * compression is recognised by the magic bytes at the start, never by the file
 * name: pipes and misnamed files work too. The decoders are zlib, liblzma and
 * libzstd (Debian: zlib1g-dev, liblzma-dev, libzstd-dev).
 *
 * An input may also be bytes in memory (iffnet_i_in_open_mem: a library caller
 * that holds the file already, the fuzz targets): the same decoders and hash,
 * read in place without a copy of the whole. */
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <nettle/sha2.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "core_internal.h"

#define RAW_CHUNK (1 << 20)

typedef enum { CODEC_PLAIN, CODEC_GZIP, CODEC_XZ, CODEC_ZSTD } codec_t;

struct iffnet_i_in {
    char *path;
    int fd;
    int in_memory;               /* raw points at the caller's bytes, not owned */
    size_t chunk;                /* raw bytes read at a time: RAW_CHUNK, less for a small file */
    int64_t size;                /* file size, 0 when unknown (pipes) */
    int size_known;              /* a regular file or bytes in memory: size is exact, 0 too */
    int64_t raw_bytes;           /* raw bytes read and hashed */
    struct sha256_ctx sha;
    int raw_eof;
    int started;
    codec_t codec;
    unsigned char *raw;          /* raw bytes waiting for the decoder */
    size_t raw_len, raw_pos;
    int dec_end;                 /* the decoder reached the end of the input */
    z_stream zs;
    int zs_live;
    lzma_stream xz;
    int xz_live;
    ZSTD_DStream *zst;
    size_t zst_last;             /* ZSTD_decompressStream's last hint: 0 = frame complete */
};

int iffnet_i_in_open(iffnet_i_in_t **out, const char *path)
{
    *out = NULL;
    iffnet_i_in_t *in = calloc(1, sizeof *in);
    if (!in) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    in->fd = -1;
    in->path = iffnet_i_strdup(path);
    if (!in->path) {
        iffnet_i_in_close(in);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    if (strcmp(path, "-") == 0) {
        in->fd = 0;
    } else {
        in->fd = open(path, O_RDONLY);
        if (in->fd < 0) {
            int e = errno;
            iffnet_i_in_close(in);
            return iffnet_i_seterr(IFFNET_EIO, "cannot open '%s': %s", path, strerror(e));
        }
        struct stat st;
        if (fstat(in->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            iffnet_i_in_close(in);
            return iffnet_i_seterr(IFFNET_EIO, "cannot read '%s': is a directory", path);
        }
        if (fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode)) {
            in->size = st.st_size;
            in->size_known = 1;
        }
    }
    /* A small file is read in one piece that fits it: most inputs of a case are
     * small, and a megabyte buffer for each would be mostly untouched. */
    in->chunk = in->size > 0 && in->size < RAW_CHUNK ? (size_t)in->size + 1 : RAW_CHUNK;
    if (in->chunk < 4096) in->chunk = 4096;
    if (!(in->raw = malloc(in->chunk))) {
        iffnet_i_in_close(in);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    sha256_init(&in->sha);
    *out = in;
    return IFFNET_OK;
}

int iffnet_i_in_open_mem(iffnet_i_in_t **out, const char *name, const void *data, size_t size)
{
    *out = NULL;
    iffnet_i_in_t *in = calloc(1, sizeof *in);
    if (!in) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    in->fd = -1;
    in->in_memory = 1;
    if (!(in->path = iffnet_i_strdup(name))) {
        iffnet_i_in_close(in);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    /* All the raw bytes are there at once: hashed now, handed to the decoder
     * (or copied out, for plain text) from where they are. */
    in->raw = (unsigned char *)(uintptr_t)data;
    in->raw_len = size;
    in->size = (int64_t)size;
    in->size_known = 1;
    in->raw_bytes = (int64_t)size;
    in->raw_eof = 1;
    in->chunk = RAW_CHUNK;
    sha256_init(&in->sha);
    sha256_update(&in->sha, size, data);
    *out = in;
    return IFFNET_OK;
}

/* Reads raw bytes into dst, hashing them. Returns bytes read, 0 at end, -1 on error. */
static ssize_t read_raw(iffnet_i_in_t *in, unsigned char *dst, size_t cap)
{
    if (in->raw_eof) return 0;
    ssize_t n;
    do n = read(in->fd, dst, cap); while (n < 0 && errno == EINTR);
    if (n < 0) {
        iffnet_i_seterr(IFFNET_EIO, "cannot read '%s': %s", in->path, strerror(errno));
        return -1;
    }
    if (n == 0) in->raw_eof = 1;
    sha256_update(&in->sha, (size_t)n, dst);
    in->raw_bytes += n;
    return n;
}

/* Makes raw bytes available to a decoder; *eof when the file has none left. */
static int fill_raw(iffnet_i_in_t *in, int *eof)
{
    *eof = 0;
    if (in->raw_pos < in->raw_len) return IFFNET_OK;
    if (in->in_memory) return *eof = 1, IFFNET_OK;
    ssize_t n = read_raw(in, in->raw, in->chunk);
    if (n < 0) return IFFNET_EIO;
    in->raw_len = (size_t)n;
    in->raw_pos = 0;
    *eof = n == 0;
    return IFFNET_OK;
}

static int truncated(const iffnet_i_in_t *in, const char *what)
{
    return iffnet_i_seterr(IFFNET_EDATA, "%s: truncated %s data", in->path, what);
}

static int read_gzip(iffnet_i_in_t *in, unsigned char *buf, size_t cap, size_t *got)
{
    while (*got == 0 && !in->dec_end) {
        int eof;
        IFFNET_TRY(fill_raw(in, &eof));
        if (eof) return truncated(in, "gzip");
        in->zs.next_in = in->raw + in->raw_pos;
        in->zs.avail_in = (uInt)(in->raw_len - in->raw_pos);
        in->zs.next_out = buf;
        in->zs.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
        uInt room = in->zs.avail_out;
        int zr = inflate(&in->zs, Z_NO_FLUSH);
        in->raw_pos = in->raw_len - in->zs.avail_in;
        *got = room - in->zs.avail_out;
        if (zr == Z_STREAM_END) {
            /* Concatenated gzip members (as `cat a.gz b.gz` makes) continue. */
            IFFNET_TRY(fill_raw(in, &eof));
            if (eof) in->dec_end = 1;
            else inflateReset(&in->zs);
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return iffnet_i_seterr(IFFNET_EDATA, "%s: corrupt gzip data", in->path);
        }
    }
    return IFFNET_OK;
}

static int read_xz(iffnet_i_in_t *in, unsigned char *buf, size_t cap, size_t *got)
{
    while (*got == 0 && !in->dec_end) {
        int eof;
        IFFNET_TRY(fill_raw(in, &eof));
        in->xz.next_in = in->raw + in->raw_pos;
        in->xz.avail_in = in->raw_len - in->raw_pos;
        in->xz.next_out = buf;
        in->xz.avail_out = cap;
        /* LZMA_CONCATENATED: LZMA_FINISH tells it no more input follows. */
        lzma_ret lr = lzma_code(&in->xz, eof ? LZMA_FINISH : LZMA_RUN);
        in->raw_pos = in->raw_len - in->xz.avail_in;
        *got = cap - in->xz.avail_out;
        if (lr == LZMA_STREAM_END) in->dec_end = 1;
        else if (lr == LZMA_MEM_ERROR) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory decoding '%s'", in->path);
        else if (lr == LZMA_BUF_ERROR && eof) return truncated(in, "xz");
        else if (lr != LZMA_OK && lr != LZMA_BUF_ERROR)
            return iffnet_i_seterr(IFFNET_EDATA, "%s: corrupt xz data", in->path);
    }
    return IFFNET_OK;
}

static int read_zstd(iffnet_i_in_t *in, unsigned char *buf, size_t cap, size_t *got)
{
    while (*got == 0 && !in->dec_end) {
        int eof;
        IFFNET_TRY(fill_raw(in, &eof));
        if (eof) {
            /* A file may end only where a frame ends. */
            if (in->zst_last != 0) return truncated(in, "zstd");
            in->dec_end = 1;
            break;
        }
        ZSTD_inBuffer ib = {in->raw, in->raw_len, in->raw_pos};
        ZSTD_outBuffer ob = {buf, cap, 0};
        size_t r = ZSTD_decompressStream(in->zst, &ob, &ib);
        if (ZSTD_isError(r))
            return iffnet_i_seterr(IFFNET_EDATA, "%s: corrupt zstd data (%s)", in->path, ZSTD_getErrorName(r));
        in->zst_last = r;
        in->raw_pos = ib.pos;
        *got = ob.pos;
    }
    return IFFNET_OK;
}

static int start_decoder(iffnet_i_in_t *in)
{
    const unsigned char *m = in->raw;
    size_t n = in->raw_len;
    if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        if (inflateInit2(&in->zs, 15 + 32) != Z_OK)
            return iffnet_i_seterr(IFFNET_ENOMEM, "cannot start the gzip decoder for '%s'", in->path);
        in->zs_live = 1;
        in->codec = CODEC_GZIP;
    } else if (n >= 6 && memcmp(m, "\xFD" "7zXZ\0", 6) == 0) {
        lzma_stream init = LZMA_STREAM_INIT;
        in->xz = init;
        if (lzma_stream_decoder(&in->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
            return iffnet_i_seterr(IFFNET_ENOMEM, "cannot start the xz decoder for '%s'", in->path);
        in->xz_live = 1;
        in->codec = CODEC_XZ;
    } else if (n >= 4 && memcmp(m, "\x28\xB5\x2F\xFD", 4) == 0) {
        if (!(in->zst = ZSTD_createDStream()) || ZSTD_isError(ZSTD_initDStream(in->zst)))
            return iffnet_i_seterr(IFFNET_ENOMEM, "cannot start the zstd decoder for '%s'", in->path);
        in->codec = CODEC_ZSTD;
    } else if ((n >= 3 && memcmp(m, "BZh", 3) == 0) || (n >= 4 && memcmp(m, "PK\3\4", 4) == 0)) {
        /* Say what it is rather than parse compressed bytes as text. */
        return iffnet_i_seterr(IFFNET_EDATA, "%s: is a %s archive (iffnet reads plain, gzip, xz and zstd files): unpack it first",
                               in->path, m[0] == 'B' ? "bzip2" : "zip");
    }
    return IFFNET_OK;
}

int iffnet_i_in_read(iffnet_i_in_t *in, void *buf, size_t cap, size_t *got)
{
    *got = 0;
    if (cap == 0) return IFFNET_OK;
    if (!in->started) {
        in->started = 1;
        if (!in->in_memory) {
            ssize_t n = read_raw(in, in->raw, in->chunk);
            if (n < 0) return IFFNET_EIO;
            in->raw_len = (size_t)n;
            in->raw_pos = 0;
        }
        IFFNET_TRY(start_decoder(in));
    }
    switch (in->codec) {
    case CODEC_GZIP: return read_gzip(in, buf, cap, got);
    case CODEC_XZ: return read_xz(in, buf, cap, got);
    case CODEC_ZSTD: return read_zstd(in, buf, cap, got);
    case CODEC_PLAIN: break;
    }
    if (in->raw_pos < in->raw_len) {
        /* The first chunk, read to look at its magic bytes (or the bytes in memory). */
        size_t k = in->raw_len - in->raw_pos < cap ? in->raw_len - in->raw_pos : cap;
        memcpy(buf, in->raw + in->raw_pos, k);
        in->raw_pos += k;
        *got = k;
        return IFFNET_OK;
    }
    if (in->in_memory) return IFFNET_OK;
    ssize_t n = read_raw(in, buf, cap);
    if (n < 0) return IFFNET_EIO;
    *got = (size_t)n;
    return IFFNET_OK;
}

const char *iffnet_i_in_path(const iffnet_i_in_t *in) { return in->path; }
int64_t iffnet_i_in_raw_bytes(const iffnet_i_in_t *in) { return in->raw_bytes; }
int64_t iffnet_i_in_size(const iffnet_i_in_t *in) { return in->size; }
int iffnet_i_in_size_known(const iffnet_i_in_t *in) { return in->size_known; }
int iffnet_i_in_compressed(const iffnet_i_in_t *in) { return in->codec != CODEC_PLAIN; }

int iffnet_i_in_finish_hash(iffnet_i_in_t *in, char hex[65], int64_t *bytes)
{
    while (!in->raw_eof) {
        if (read_raw(in, in->raw, in->chunk) < 0) return IFFNET_EIO;
        in->raw_len = in->raw_pos = 0;
    }
    uint8_t d[SHA256_DIGEST_SIZE];
    struct sha256_ctx copy = in->sha;
    sha256_digest(&copy, sizeof d, d);
    iffnet_i_hex_digest(d, hex);
    if (bytes) *bytes = in->raw_bytes;
    return IFFNET_OK;
}

void iffnet_i_in_close(iffnet_i_in_t *in)
{
    if (!in) return;
    if (in->fd > 0) close(in->fd);
    if (in->zs_live) inflateEnd(&in->zs);
    if (in->xz_live) lzma_end(&in->xz);
    if (in->zst) ZSTD_freeDStream(in->zst);
    free(in->path);
    if (!in->in_memory) free(in->raw);
    free(in);
}

/* ---- lines ---- */

struct iffnet_i_lines {
    iffnet_i_in_t *in;
    char *buf;
    size_t len, cap, pos;
    int eof;
    int64_t line;
};

int iffnet_i_lines_open(iffnet_i_lines_t **out, iffnet_i_in_t *in)
{
    iffnet_i_lines_t *l = calloc(1, sizeof *l);
    *out = l;
    if (!l) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    l->in = in;
    return IFFNET_OK;
}

int iffnet_i_lines_next(iffnet_i_lines_t *l, const char **line, size_t *len)
{
    *line = NULL;
    *len = 0;
    for (;;) {
        char *nl = l->pos < l->len ? memchr(l->buf + l->pos, '\n', l->len - l->pos) : NULL;
        if (nl || (l->eof && l->pos < l->len)) {
            size_t end = nl ? (size_t)(nl - l->buf) : l->len;
            *line = l->buf + l->pos;
            *len = end - l->pos;
            if (*len && (*line)[*len - 1] == '\r') (*len)--;
            l->pos = nl ? end + 1 : l->len;
            l->line++;
            /* A UTF-8 byte order mark is not part of the first line. */
            if (l->line == 1 && *len >= 3 && memcmp(*line, "\xEF\xBB\xBF", 3) == 0) {
                *line += 3;
                *len -= 3;
            }
            return IFFNET_OK;
        }
        if (l->eof) return IFFNET_OK;
        if (l->pos) {
            memmove(l->buf, l->buf + l->pos, l->len - l->pos);
            l->len -= l->pos;
            l->pos = 0;
        }
        if (l->len == l->cap) {
            /* The line so far fills the buffer: a line longer than the limit
             * (a file without line ends, /dev/zero) is refused, not held. */
            if (l->cap >= IFFNET_I_MAX_RECORD)
                return iffnet_i_seterr(IFFNET_ELIMIT, "%s:%lld: a line longer than %d MiB (a file without line ends?)",
                                       iffnet_i_in_path(l->in), (long long)l->line + 1, (int)(IFFNET_I_MAX_RECORD >> 20));
            int64_t size = iffnet_i_in_size(l->in);
            size_t cap = l->cap ? 2 * l->cap
                       : iffnet_i_in_size_known(l->in) && size < (1 << 20) && !iffnet_i_in_compressed(l->in)
                       ? (size_t)size + 1 : 1 << 16;
            if (cap > IFFNET_I_MAX_RECORD) cap = IFFNET_I_MAX_RECORD;
            char *p = realloc(l->buf, cap);
            if (!p) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
            l->buf = p;
            l->cap = cap;
        }
        size_t got;
        IFFNET_TRY(iffnet_i_in_read(l->in, l->buf + l->len, l->cap - l->len, &got));
        if (got == 0) l->eof = 1;
        l->len += got;
    }
}

int64_t iffnet_i_lines_number(const iffnet_i_lines_t *l) { return l->line; }

void iffnet_i_lines_close(iffnet_i_lines_t *l)
{
    if (!l) return;
    free(l->buf);
    free(l);
}
