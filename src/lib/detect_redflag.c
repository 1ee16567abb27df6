/* detect_redflag.c: registry of the redflag detectors (filled as they are written). */
#include "iffnet/detector.h"

const iffnet_detector_t iffnet_redflag_detectors[] = {
    { IFFNET_TYP_COUNT, NULL } /* sentinel so the array is never empty */
};
const size_t iffnet_n_redflag_detectors = 0;

#include <stdlib.h>
#include "internal.h"

/* Replaced by the real fusion when the red-flag detectors land. */
int iffnet_account_risk(const iffnet_detect_ctx_t *ctx, const iffnet_alert_list_t *alerts,
                        iffnet_account_risk_t **out, int64_t *n)
{
    (void)ctx; (void)alerts;
    *out = NULL;
    *n = 0;
    return iffnet_i_seterr(IFFNET_EINTERNAL, "account risk ranking is not implemented yet");
}

void iffnet_account_risk_free(iffnet_account_risk_t *r, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        for (int64_t k = 0; k < r[i].n_reasons; k++) free(r[i].reasons[k]);
        free(r[i].reasons);
    }
    free(r);
}
