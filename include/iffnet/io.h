/* io.h: atomic output files and small file helpers. */
#ifndef IFFNET_IO_H
#define IFFNET_IO_H

#include "common.h"

/* An output that appears under its final name only when complete:
 * written to "<path>.tmpXXXXXX" beside it, fsync'd and renamed by commit.
 * path "-" writes to stdout directly. */
typedef struct {
    FILE *fp;
    char *path;
    char *tmp_path;   /* NULL for stdout */
} iffnet_out_t;

int iffnet_out_open(iffnet_out_t *o, const char *path);
/* Flushes, checks for write errors, fsyncs and renames. Always releases o. */
int iffnet_out_commit(iffnet_out_t *o);
/* Removes the temporary file. Always releases o. Safe after a failed open. */
void iffnet_out_abort(iffnet_out_t *o);

/* Hex SHA-256 of a whole file (out: 65 bytes). */
int iffnet_sha256_file(const char *path, char out[65], int64_t *size);

/* Writes s as a CSV field, quoted when needed. */
void iffnet_csv_write_field(FILE *fp, const char *s, char delim);
/* As iffnet_csv_write_field(), for a CSV meant for spreadsheets: text that a
 * spreadsheet would evaluate as a formula (starting with = + - @, a tab or a
 * carriage return) is written with a leading ' so that it stays text. Write
 * numbers the program formatted itself with iffnet_csv_write_field(): a
 * negative amount is not a formula. */
void iffnet_csv_write_safe_field(FILE *fp, const char *s, char delim);

#endif
