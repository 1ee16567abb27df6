/* iffnet.h: the whole public API of the iffnet core library. */
#ifndef IFFNET_IFFNET_H
#define IFFNET_IFFNET_H

#include "common.h"
#include "strtab.h"
#include "money.h"
#include "timeparse.h"
#include "csvfile.h"
#include "io.h"
#include "case.h"
#include "ingest.h"
#include "alert.h"
#include "summary.h"
#include "config.h"

#endif
