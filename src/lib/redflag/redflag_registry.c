/* redflag_registry.c: registry of the red-flag detectors (wildlife-trafficking
 * indicators and amount statistics). The account risk fusion is in redflag_risk.c. */
#include "iffnet/redflag.h"

const iffnet_detector_t iffnet_redflag_detectors[] = {
    { IFFNET_TYP_STRUCTURING, iffnet_redflag_structuring },
    { IFFNET_TYP_SHELL_NETWORK, iffnet_redflag_shell_network },
    { IFFNET_TYP_CORRIDOR, iffnet_redflag_corridor },
    { IFFNET_TYP_WILDLIFE_TRADE, iffnet_redflag_wildlife_trade },
    { IFFNET_TYP_PEP_PAYMENT, iffnet_redflag_pep_payment },
    { IFFNET_TYP_CASH_TO_WIRE, iffnet_redflag_cash_to_wire },
    { IFFNET_TYP_BENFORD, iffnet_redflag_benford },
    { IFFNET_TYP_ROUND_AMOUNTS, iffnet_redflag_round_amounts },
    { IFFNET_TYP_WATCHLIST, iffnet_redflag_watchlist },
};
const size_t iffnet_n_redflag_detectors = sizeof iffnet_redflag_detectors / sizeof iffnet_redflag_detectors[0];
