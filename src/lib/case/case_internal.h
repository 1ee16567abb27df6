/* case_internal.h: the case module (private to the library).
 *
 * What a case is and how it travels: the in-memory case and its network
 * (case.c), the checksummed case file (casefile.c), ingest of transaction,
 * entity and relation files into a case (ingest.c), the summary of `iffnet info`
 * (summary.c), and alerts written out (alert.c) and read back (alert_read.c).
 * May call core/ only.
 */
#ifndef IFFNET_CASE_INTERNAL_H
#define IFFNET_CASE_INTERNAL_H

#include "core/core_internal.h"

#endif
