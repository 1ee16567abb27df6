/* alert_read.h: reads back the alerts JSON Lines that `iffnet detect` writes
 * (iffnet_alert_write_jsonl()), for evaluate, report and other consumers.
 *
 * Ownership: *out is initialised by the reader and owned by the caller, who
 * destroys it with iffnet_alert_list_destroy() whatever the return value (it is
 * left empty on error). Id tables passed in are the caller's.
 *
 * One JSON object per line; blank lines are skipped. The first line may be the
 * run record ({"record":"run", ...}, iffnet-formats(5)): it is read into
 * out->run (settings, profile, budgets, notes as text); a run record anywhere
 * else is an error, and lines of another "record" kind are skipped (a newer
 * writer's). Members of an alert line:
 *   id           string, unique in the file                      (required)
 *   typology     string, any spelling iffnet_typology_parse() takes (required)
 *   score        number in [0, 1]                                 (required)
 *   expected     number >= 0 (E), or null                         (optional)
 *   accounts     array of account id strings                      (required)
 *   transactions array of transaction id strings                  (required)
 *   amount       string or number in major units of `currency`    (optional, may be null)
 *   currency     string, ISO code                                 (optional, may be null)
 *   moved        string or number in major units of `currency`    (optional, may be null:
 *                derived from the transactions when a case is given)
 *   moved_by     string, a rule of IFFNET_MOVED_RULES              (optional)
 *   first, last  timestamp strings                                (optional, may be null)
 *   reasons      array of strings                                 (optional)
 *   ranked_low   true or false                                    (optional)
 * Other members are ignored, so newer writers stay readable.
 */
#ifndef IFFNET_ALERT_READ_H
#define IFFNET_ALERT_READ_H

#include "alert.h"
#include "strtab.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads alerts from `path` ("-" = stdin; plain, gzip, xz or zstd) into *out, in
 * file order. A line may hold at most 16 MiB (IFFNET_ELIMIT naming the line).
 * With a case, account and transaction ids are mapped to case indices (an id the
 * case lacks is an error) and amounts use the case currency's scale. Without a
 * case, ids are numbered in order of first appearance in the file (so alerts can
 * still be compared with each other) and currency is -1.
 * Errors: IFFNET_EIO, IFFNET_EDATA with "path:line: member 'x': what" (or the
 * JSON reader's "path:line:col: what"), IFFNET_ENOMEM.
 * O(size of file + ids x log) time. */
int iffnet_alert_read_jsonl(const char *path, iffnet_case_t *c_or_null, iffnet_alert_list_t *out);

/* As iffnet_alert_read_jsonl(); without a case, account and transaction ids are
 * interned into the caller's tables (initialised, possibly already holding ids:
 * existing entries keep their indices), so alert indices name strings of those
 * tables. The tables are ignored when a case is given. */
int iffnet_alert_read_jsonl_ids(const char *path, iffnet_case_t *c_or_null,
                                iffnet_strtab_t *account_ids, iffnet_strtab_t *tx_ids,
                                iffnet_alert_list_t *out);

/* As iffnet_alert_read_jsonl(), from size bytes at data (named `name` in
 * messages), for a caller that holds the file already. */
int iffnet_alert_read_jsonl_mem(const char *name, const void *data, size_t size, iffnet_case_t *c_or_null,
                                iffnet_alert_list_t *out);

#ifdef __cplusplus
}
#endif
#endif
