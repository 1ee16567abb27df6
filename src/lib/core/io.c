/* io.c: atomic outputs, hashing, CSV field quoting. */
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core_internal.h"

int iffnet_out_open(iffnet_out_t *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        o->path = iffnet_i_strdup("-");
        return o->path ? IFFNET_OK : iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    o->path = iffnet_i_strdup(path);
    o->tmp_path = iffnet_i_asprintf("%s.tmpXXXXXX", path);
    if (!o->path || !o->tmp_path) {
        iffnet_out_abort(o);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    int fd = mkstemp(o->tmp_path);
    if (fd < 0) {
        int e = errno;
        free(o->tmp_path);
        o->tmp_path = NULL;
        iffnet_out_abort(o);
        return iffnet_i_seterr(IFFNET_EIO, "cannot create '%s': %s", path, strerror(e));
    }
    /* mkstemp creates 0600; outputs are ordinary files, subject to the umask. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        close(fd);
        iffnet_out_abort(o);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

static void out_release(iffnet_out_t *o)
{
    free(o->path);
    free(o->tmp_path);
    memset(o, 0, sizeof *o);
}

int iffnet_out_commit(iffnet_out_t *o)
{
    int err = IFFNET_OK;
    if (!o->tmp_path) {
        if (o->fp && (fflush(o->fp) != 0 || ferror(o->fp)))
            err = iffnet_i_seterr(IFFNET_EIO, "cannot write to standard output: %s", strerror(errno));
        out_release(o);
        return err;
    }
    if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0) {
        err = iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", o->path, strerror(errno));
        iffnet_out_abort(o);
        return err;
    }
    if (fclose(o->fp) != 0) {
        o->fp = NULL;
        err = iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", o->path, strerror(errno));
        iffnet_out_abort(o);
        return err;
    }
    o->fp = NULL;
    if (rename(o->tmp_path, o->path) != 0) {
        err = iffnet_i_seterr(IFFNET_EIO, "cannot rename to '%s': %s", o->path, strerror(errno));
        iffnet_out_abort(o);
        return err;
    }
    out_release(o);
    return IFFNET_OK;
}

void iffnet_out_abort(iffnet_out_t *o)
{
    if (o->tmp_path) {
        if (o->fp) fclose(o->fp);
        unlink(o->tmp_path);
    }
    out_release(o);
}

static void hex_digest(const uint8_t *d, char out[65])
{
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[64] = '\0';
}

int iffnet_sha256_file(const char *path, char out[65], int64_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return iffnet_i_seterr(IFFNET_EIO, "cannot open '%s': %s", path, strerror(errno));
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char buf[1 << 16];
    size_t n;
    int64_t total = 0;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        sha256_update(&ctx, n, buf);
        total += (int64_t)n;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) return iffnet_i_seterr(IFFNET_EIO, "cannot read '%s'", path);
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof d, d);
    hex_digest(d, out);
    if (size) *size = total;
    return IFFNET_OK;
}

void iffnet_i_hex_digest(const uint8_t *d, char out[65])
{
    hex_digest(d, out);
}

/* A cell a spreadsheet would evaluate: a formula (= + - @) or a control
 * character that some spreadsheets strip before they look for one (OWASP's
 * list for CSV injection). */
static int looks_like_formula(const char *s)
{
    return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
}

void iffnet_csv_write_safe_field(FILE *fp, const char *s, char delim)
{
    char *quoted;
    if (!looks_like_formula(s)) {
        iffnet_csv_write_field(fp, s, delim);
        return;
    }
    /* The leading apostrophe makes the cell text; it is part of the value that
     * a program reading the CSV sees (iffnet-formats(5) says so). */
    quoted = malloc(strlen(s) + 2);
    if (!quoted) {
        fputc('\'', fp); /* cannot build the copy: the apostrophe alone, then the text */
        iffnet_csv_write_field(fp, s, delim);
        return;
    }
    quoted[0] = '\'';
    strcpy(quoted + 1, s);
    iffnet_csv_write_field(fp, quoted, delim);
    free(quoted);
}

void iffnet_csv_write_field(FILE *fp, const char *s, char delim)
{
    if (!strpbrk(s, "\"\r\n") && !strchr(s, delim) && s[0] != ' ' &&
        (s[0] == '\0' || s[strlen(s) - 1] != ' ')) {
        fputs(s, fp);
        return;
    }
    putc('"', fp);
    for (const char *p = s; *p; p++) {
        if (*p == '"') putc('"', fp);
        putc(*p, fp);
    }
    putc('"', fp);
}
