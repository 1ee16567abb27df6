/* evaluate_internal.h: the evaluate module (private to the library).
 *
 * Scores alerts against the true structures of an answer key, AMLSim's
 * alert_transactions.csv or AMLworld's patterns file (evaluate.c). May call
 * core/ and case/ (alerts read back, the case for its ids).
 */
#ifndef IFFNET_EVALUATE_INTERNAL_H
#define IFFNET_EVALUATE_INTERNAL_H

#include "core/core_internal.h"

#endif
