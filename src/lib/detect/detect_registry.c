/* detect_registry.c: registry of the structural (network) detectors.
 * Order matters only for the table of timings in scripts/bench-detect; the driver
 * sorts alerts afterwards. */
#include "detect_internal.h"

const iffnet_detector_t iffnet_structural_detectors[] = {
    { IFFNET_TYP_FAN_IN, iffnet_i_detect_fan_in },
    { IFFNET_TYP_FAN_OUT, iffnet_i_detect_fan_out },
    { IFFNET_TYP_CYCLE, iffnet_i_detect_cycle },
    { IFFNET_TYP_SCATTER_GATHER, iffnet_i_detect_scatter_gather },
    { IFFNET_TYP_GATHER_SCATTER, iffnet_i_detect_gather_scatter },
    { IFFNET_TYP_BIPARTITE, iffnet_i_detect_bipartite },
    { IFFNET_TYP_STACK, iffnet_i_detect_stack },
    { IFFNET_TYP_LAYERING, iffnet_i_detect_layering },
    { IFFNET_TYP_MULE, iffnet_i_detect_mule },
};
const size_t iffnet_n_structural_detectors = sizeof iffnet_structural_detectors / sizeof iffnet_structural_detectors[0];
