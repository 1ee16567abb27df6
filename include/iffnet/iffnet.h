/* iffnet.h: the whole public API of the iffnet core library, one header per
 * module's contract. Ownership, in one sentence: whatever a function fills in
 * (an _init'ed struct, an output array) belongs to the caller and is released
 * with the matching _destroy or _free; every other pointer is borrowed. */
#ifndef IFFNET_IFFNET_H
#define IFFNET_IFFNET_H

/* core/ */
#include "common.h"
#include "strtab.h"
#include "money.h"
#include "timeparse.h"
#include "csvfile.h"
#include "io.h"
#include "json.h"
#include "names.h"
#include "config.h"
/* case/ */
#include "case.h"
#include "ingest.h"
#include "summary.h"
#include "alert.h"
#include "alert_read.h"
/* redflag/ and detect/ */
#include "detector.h"
#include "redflag.h"
#include "watchlist.h"
#include "detect.h"
/* link/, trace/, report/, generate/, evaluate/ */
#include "link.h"
#include "trace.h"
#include "report.h"
#include "export.h"
#include "generate.h"
#include "evaluate.h"

#endif
