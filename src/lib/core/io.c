/* io.c: outputs that never destroy anything, hashing, CSV field quoting.
 *
 * An output to a regular file is written to an unnamed temporary file in the
 * same directory (O_TMPFILE), fsync'd, given a temporary name and renamed over
 * the target, so the target holds either its old bytes or the complete new ones,
 * and a run killed half-way leaves nothing behind. Where O_TMPFILE is not to be
 * had, a named "<path>.tmpXXXXXX" is used instead: it is locked while it is
 * written, removed on SIGINT/SIGTERM (iffnet_out_cleanup_on_signal()), and a
 * later run onto the same path removes the ones nobody holds any more.
 *
 * What is not a regular file is never replaced: a character device or a FIFO is
 * written into as it is, a symbolic link is followed to the file it names, the
 * standard streams (/dev/stdout, /dev/fd/N) are written through their file
 * descriptor; a dangling link, a directory or a block device is refused. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "core_internal.h"

/* ---- named temporary files, for cleanup on a signal ---- */

#define MAX_LIVE 32
static char *volatile live_tmp[MAX_LIVE];

static void live_add(char *path)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (!live_tmp[i]) {
            live_tmp[i] = path;
            return;
        }
}

static void live_remove(const char *path)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (live_tmp[i] == path) live_tmp[i] = NULL;
}

void iffnet_out_cleanup_on_signal(void)
{
    /* Async-signal-safe: unlink only. */
    for (int i = 0; i < MAX_LIVE; i++)
        if (live_tmp[i]) unlink(live_tmp[i]);
}

/* ---- where an output goes ---- */

static int open_error(const char *path, const char *why)
{
    return iffnet_i_seterr(IFFNET_EINVAL, "cannot write '%s': %s", path, why);
}

/* The descriptor behind /dev/stdout, /dev/stderr, /dev/fd/N or /proc/self/fd/N,
 * or -1. Those name an open file of this process: writing to it by name would
 * reopen (and, through a rename, replace) whatever the descriptor points at. */
static int std_stream_fd(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0) return 1;
    if (strcmp(path, "/dev/stderr") == 0) return 2;
    const char *num = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0) num = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0) num = path + 14;
    if (!num || !*num) return -1;
    char *end;
    long fd = strtol(num, &end, 10);
    return *end == '\0' && fd >= 0 && fd < INT_MAX ? (int)fd : -1;
}

static int open_stream_fd(iffnet_out_t *o, int fd, const char *path)
{
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        int e = errno;
        close(fd);
        return iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    o->stream = 1;
    return IFFNET_OK;
}

/* Removes "<final>.tmpXXXXXX" files that no running iffnet holds (their writer
 * locks them): what a run killed with SIGKILL, or a crash, left behind. */
static void remove_stale(const char *final)
{
    const char *slash = strrchr(final, '/');
    char *dir = slash ? iffnet_i_asprintf("%.*s", (int)(slash - final + (slash == final)), final) : iffnet_i_strdup(".");
    const char *base = slash ? slash + 1 : final;
    size_t bl = strlen(base);
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, base, bl) != 0 || strncmp(e->d_name + bl, ".tmp", 4) != 0 || strlen(e->d_name + bl) != 10)
            continue;
        char *p = iffnet_i_asprintf("%s/%s", dir, e->d_name);
        int fd = p ? open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1;
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
            flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlink(p);
        if (fd >= 0) close(fd);
        free(p);
    }
    if (d) closedir(d);
    free(dir);
}

/* The directory part of path ("." when there is none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return iffnet_i_strdup(".");
    if (slash == path) return iffnet_i_strdup("/");
    return iffnet_i_asprintf("%.*s", (int)(slash - path), path);
}

static int open_tmpfile(iffnet_out_t *o)
{
    int fd = -1;
#ifdef O_TMPFILE
    /* An unnamed file: nothing to clean up if the run dies. It gets a name at
     * commit through /proc/self/fd, so both must be there. */
    if (access("/proc/self/fd", X_OK) == 0) {
        char *dir = dir_of(o->final);
        if (!dir) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
        free(dir);
    }
#endif
    if (fd < 0) {
        o->tmp_path = iffnet_i_asprintf("%s.tmpXXXXXX", o->final);
        if (!o->tmp_path) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        fd = mkstemp(o->tmp_path);
        if (fd < 0) {
            int e = errno;
            free(o->tmp_path);
            o->tmp_path = NULL;
            return iffnet_i_seterr(IFFNET_EIO, "cannot create '%s': %s", o->path, strerror(e));
        }
        flock(fd, LOCK_EX | LOCK_NB);
        live_add(o->tmp_path);
        /* mkstemp creates 0600; outputs are ordinary files, subject to the umask. */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        close(fd);
        return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    }
    return IFFNET_OK;
}

int iffnet_out_open(iffnet_out_t *o, const char *path)
{
    memset(o, 0, sizeof *o);
    int err = IFFNET_OK, fd;
    struct stat st;
    o->path = iffnet_i_strdup(path);
    if (!o->path) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        o->stream = 1;
        return IFFNET_OK;
    }
    if ((fd = std_stream_fd(path)) >= 0) {
        int d = dup(fd);
        if (d < 0) err = iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", path, strerror(errno));
        else err = open_stream_fd(o, d, path);
        goto out;
    }
    int exists = lstat(path, &st) == 0;
    if (!exists && errno != ENOENT) {
        err = iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    if (exists && S_ISLNK(st.st_mode)) {
        /* Followed, never replaced: the output goes where the link points. */
        if (stat(path, &st) != 0) {
            err = open_error(path, "it is a symbolic link to a file that does not exist (give the target itself)");
            goto out;
        }
        if (!(o->final = realpath(path, NULL))) {
            err = iffnet_i_seterr(IFFNET_EIO, "cannot resolve '%s': %s", path, strerror(errno));
            goto out;
        }
    }
    if (exists) {
        if (S_ISDIR(st.st_mode)) { err = open_error(path, "it is a directory"); goto out; }
        if (S_ISBLK(st.st_mode)) { err = open_error(path, "it is a block device"); goto out; }
        if (!S_ISREG(st.st_mode)) {
            /* A device or FIFO is written into; a FIFO waits for its reader. */
            if ((fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
                err = iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", path, strerror(errno));
            else
                err = open_stream_fd(o, fd, path);
            goto out;
        }
    }
    if (!o->final && !(o->final = iffnet_i_strdup(path))) {
        err = iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        goto out;
    }
    remove_stale(o->final);
    err = open_tmpfile(o);
out:
    if (err) iffnet_out_abort(o);
    return err;
}

static void out_release(iffnet_out_t *o)
{
    if (o->tmp_path) live_remove(o->tmp_path);
    free(o->path);
    free(o->final);
    free(o->tmp_path);
    memset(o, 0, sizeof *o);
}

/* Gives the unnamed temporary file a name beside the target. */
static int name_tmpfile(iffnet_out_t *o)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->fp));
    static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    uint64_t x = (uint64_t)getpid() * 0x9E3779B97F4A7C15ULL ^ (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)o;
    for (int attempt = 0; attempt < 100; attempt++) {
        char sfx[7];
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        for (int i = 0; i < 6; i++) sfx[i] = chars[(x >> (16 + 7 * i)) % 62];
        sfx[6] = '\0';
        free(o->tmp_path);
        o->tmp_path = iffnet_i_asprintf("%s.tmp%s", o->final, sfx);
        if (!o->tmp_path) return iffnet_i_seterr(IFFNET_ENOMEM, "out of memory");
        if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp_path, AT_SYMLINK_FOLLOW) == 0) return IFFNET_OK;
        if (errno != EEXIST) break;
    }
    int e = errno;
    free(o->tmp_path);
    o->tmp_path = NULL;
    return iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", o->path, strerror(e));
}

int iffnet_out_commit(iffnet_out_t *o)
{
    int err = IFFNET_OK;
    if (o->stream) {
        if (o->fp && (fflush(o->fp) != 0 || ferror(o->fp)))
            err = iffnet_i_seterr(IFFNET_EIO, "cannot write to %s: %s",
                                  o->fp == stdout ? "standard output" : o->path, strerror(errno));
        if (o->fp && o->fp != stdout && fclose(o->fp) != 0 && !err)
            err = iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", o->path, strerror(errno));
        o->fp = NULL;
        out_release(o);
        return err;
    }
    if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0) {
        err = iffnet_i_seterr(IFFNET_EIO, "cannot write '%s': %s", o->path, strerror(errno));
        iffnet_out_abort(o);
        return err;
    }
    if (!o->tmp_path && (err = name_tmpfile(o))) {
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
    if (rename(o->tmp_path, o->final) != 0) {
        err = iffnet_i_seterr(IFFNET_EIO, "cannot rename to '%s': %s", o->path, strerror(errno));
        iffnet_out_abort(o);
        return err;
    }
    out_release(o);
    return IFFNET_OK;
}

void iffnet_out_abort(iffnet_out_t *o)
{
    if (o->fp && o->fp != stdout) fclose(o->fp);
    if (o->tmp_path) unlink(o->tmp_path);
    out_release(o);
}

int iffnet_io_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0) return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
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
    /* A device or FIFO would be read up here and be gone (or never end, as
     * /dev/zero) before the reader that the hash vouches for sees it. */
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(fp);
        return iffnet_i_seterr(IFFNET_EINVAL, "'%s' is not a regular file: it is hashed for the provenance and then "
                               "read, so copy it to a file first", path);
    }
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
 * list for CSV injection) -- unless it is a plain signed number, which the
 * spreadsheet reads as the number it is (a negative amount is not a formula). */
int iffnet_csv_is_formula(const char *s)
{
    if (s[0] == '\0' || !strchr("=+-@\t\r", s[0])) return 0;
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    const char *d = p;
    while (*p >= '0' && *p <= '9') p++;
    if (p > d && *p == '.') {
        const char *f = ++p;
        while (*p >= '0' && *p <= '9') p++;
        if (p == f) return 1;
    }
    return !(p > d && *p == '\0' && (s[0] == '+' || s[0] == '-'));
}

/* Quoted when the text needs it, and with a leading ' when it is a formula: the
 * apostrophe makes the cell text and is part of the value that a program reading
 * the CSV sees (iffnet-formats(5) says so). Written in place: no copy that could
 * fail and leave a live formula or lose the cell. */
void iffnet_csv_write_cell(FILE *fp, const char *s, char delim)
{
    int formula = iffnet_csv_is_formula(s);
    size_t n = strlen(s);
    int quote = strpbrk(s, "\"\r\n") || strchr(s, delim) || (!formula && s[0] == ' ') || (n && s[n - 1] == ' ');
    if (quote) putc('"', fp);
    if (formula) putc('\'', fp);
    if (!quote) {
        fputs(s, fp);
        return;
    }
    for (const char *p = s; *p; p++) {
        if (*p == '"') putc('"', fp);
        putc(*p, fp);
    }
    putc('"', fp);
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
