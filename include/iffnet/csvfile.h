/* csvfile.h: a CSV record reader over libcsv that knows physical line numbers.
 * Accepts UTF-8 with or without BOM (other encodings through
 * iffnet_csv_set_encoding()), LF or CRLF line ends, quoted fields with
 * embedded delimiters and newlines, gzip, xz or zstd input (by magic bytes) and
 * "-" for standard input. Hashes the raw bytes (SHA-256) as it reads them.
 */
#ifndef IFFNET_CSVFILE_H
#define IFFNET_CSVFILE_H

#include "common.h"

typedef struct iffnet_csv iffnet_csv_t;

/* Opens path for reading. *r must be freed with iffnet_csv_close().
 * Every record is checked as it is read: text that is not UTF-8 or holds a NUL
 * byte is an error naming file:line:column (column in bytes, 1-based), and so is
 * a record larger than 16 MiB (a file without line ends) and line ends of a bare
 * CR. */
int iffnet_csv_open(iffnet_csv_t **r, const char *path, char delimiter);
/* The same over size bytes at data (a file already in memory; not copied, so
 * they must outlive the reader), named `name` in messages. */
int iffnet_csv_open_mem(iffnet_csv_t **r, const char *name, const void *data, size_t size, char delimiter);

/* Reads the file as text in `encoding` (any name iconv knows: "ISO-8859-1",
 * "WINDOWS-1252", "UTF-16"...), transcoded to UTF-8 before it is parsed; NULL or
 * "UTF-8" reads UTF-8 as it is. Call before the first record. IFFNET_EINVAL for
 * an encoding iconv does not know. */
int iffnet_csv_set_encoding(iffnet_csv_t *r, const char *encoding);

/* Reads the next record. Returns IFFNET_OK with *eof = 0 and a record, IFFNET_OK
 * with *eof = 1 at the end, or IFFNET_EDATA for malformed CSV (message names file
 * and line), IFFNET_EIO for read errors. */
int iffnet_csv_next(iffnet_csv_t *r, int *eof);

int64_t iffnet_csv_nfields(const iffnet_csv_t *r);
/* Field i (0-based) of the current record, NUL-terminated; *len may be NULL. */
const char *iffnet_csv_field(const iffnet_csv_t *r, int64_t i, size_t *len);
/* First physical line of the current record (1-based). */
int64_t iffnet_csv_line(const iffnet_csv_t *r);
/* Number of records read so far (header included). */
int64_t iffnet_csv_records(const iffnet_csv_t *r);
const char *iffnet_csv_path(const iffnet_csv_t *r);
/* Bytes read from the file so far, and its size (0 when unknown: pipes). */
int64_t iffnet_csv_bytes(const iffnet_csv_t *r);
int64_t iffnet_csv_size(const iffnet_csv_t *r);

/* Reads the rest of the input (so the hash covers the whole file) and gives the
 * SHA-256 of the raw bytes and their count. */
int iffnet_csv_finish_hash(iffnet_csv_t *r, char hex[65], int64_t *bytes);

/* The current record as CSV text (for --skip-bad files, which people open in
 * spreadsheets: cells are neutralised as by iffnet_csv_write_cell()). */
void iffnet_csv_write_record(const iffnet_csv_t *r, FILE *fp, char delimiter);

void iffnet_csv_close(iffnet_csv_t *r);

#endif
