/* detect_structural.c: registry of the structural detectors (filled as they are written). */
#include "iffnet/detector.h"

const iffnet_detector_t iffnet_structural_detectors[] = {
    { IFFNET_TYP_COUNT, NULL } /* sentinel so the array is never empty */
};
const size_t iffnet_n_structural_detectors = 0;
