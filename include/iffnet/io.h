/* io.h: atomic output files and small file helpers. */
#ifndef IFFNET_IO_H
#define IFFNET_IO_H

#include "common.h"

/* An output that never destroys anything. A regular file appears under its
 * final name only when complete: it is written to a temporary file beside it
 * (unnamed where the system allows, else "<path>.tmpXXXXXX"), fsync'd and
 * renamed by commit. "-" writes to stdout; a character device, a FIFO and the
 * standard streams (/dev/stdout, /dev/fd/N) are written into as they are, never
 * replaced; a symbolic link is followed (the file it names is replaced, the
 * link stays); a dangling link, a directory or a block device is refused
 * (IFFNET_EINVAL). Opening removes temporary files of the same path that a
 * killed run left behind. */
typedef struct {
    FILE *fp;
    char *path;       /* as given */
    char *final;      /* the file renamed over: path, or what a symlink names */
    char *tmp_path;   /* the temporary file's name once it has one */
    int stream;       /* written straight into stdout, a device or a FIFO */
} iffnet_out_t;

int iffnet_out_open(iffnet_out_t *o, const char *path);
/* Flushes, checks for write errors, fsyncs and renames. Always releases o. */
int iffnet_out_commit(iffnet_out_t *o);
/* Removes the temporary file. Always releases o. Safe after a failed open. */
void iffnet_out_abort(iffnet_out_t *o);

/* Removes the named temporary files of outputs still open, for a handler of
 * SIGINT/SIGTERM to call before the process dies. Async-signal-safe. */
void iffnet_out_cleanup_on_signal(void);

/* 1 when both paths exist and name the same file (device and inode, after
 * symbolic links), else 0. */
int iffnet_io_same_file(const char *a, const char *b);

/* Hex SHA-256 of a whole regular file (out: 65 bytes); a device or FIFO is
 * refused (IFFNET_EINVAL): it could not be read again after the hash. */
int iffnet_sha256_file(const char *path, char out[65], int64_t *size);

/* Writes s as a CSV field, quoted when needed, exactly as it is: for files that
 * programs read back (generated datasets). */
void iffnet_csv_write_field(FILE *fp, const char *s, char delim);
/* 1 when a spreadsheet would take text s as a formula rather than as text: it
 * starts with '=', '+', '-', '@', a tab or a CR, and is not a plain number
 * ("-12.50" and "+3" are numbers; "-2+3", "+31 20 555" and "=SUM(A1)" are not). */
int iffnet_csv_is_formula(const char *s);

/* Writes s as a CSV cell of a file meant for a spreadsheet (every CSV and TSV
 * output of iffnet's commands, the i2 export): as iffnet_csv_write_field(), but
 * text a spreadsheet would run as a formula is neutralised by a leading '\''
 * (OWASP's rule), so "=HYPERLINK(...)" from a bank export stays text. The one
 * place this is done; iffnet-formats(5) documents it. */
void iffnet_csv_write_cell(FILE *fp, const char *s, char delim);

#endif
