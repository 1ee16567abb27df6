/* detect_redflags.c: registry of the redflag detectors (filled as they are written). */
#include "iffnet/detector.h"

const iffnet_detector_t iffnet_redflag_detectors[] = {
    { IFFNET_TYP_COUNT, NULL } /* sentinel so the array is never empty */
};
const size_t iffnet_n_redflag_detectors = 0;
