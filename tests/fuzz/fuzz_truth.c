/* fuzz_truth.c: evaluate's truth files (iffnet answer keys, AMLSim
 * alert_transactions.csv, AMLworld *_Patterns.txt), then scoring against them.
 *
 * Input: one byte choosing the format (auto, answer-key, amlsim, amlworld) and
 * the AMLSim is_sar filter, then the file. Properties: reading never crashes; a
 * truth that is read can be scored against no alerts and against one alert per
 * structure. */
#include <stdlib.h>
#include "fuzz.h"
#include "iffnet/iffnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    iffnet_truth_opts_t o = {(iffnet_truth_format_t)(data[0] % 4), (data[0] >> 2) & 1, NULL};
    fuzz_init();
    iffnet_truth_t t;
    if (iffnet_truth_read_mem(&t, "truth.txt", data + 1, size - 1, &o) == IFFNET_OK) {
        iffnet_alert_list_t l;
        iffnet_eval_result_t r;
        iffnet_alert_list_init(&l);
        FUZZ_ASSERT(iffnet_eval_score(&t, &l, 0, &r) == IFFNET_OK, "a truth scores against no alerts");
        for (int64_t i = 0; i < t.n; i++) {
            const iffnet_structure_t *s = &t.items[i];
            if (iffnet_alert_list_add(&l, s->typology, 0.5, s->accounts, s->n_accounts, s->tx, s->n_tx, NULL)) abort();
        }
        FUZZ_ASSERT(iffnet_eval_score(&t, &l, 100, &r) == IFFNET_OK, "a truth scores against its own structures");
        iffnet_alert_list_destroy(&l);
    }
    iffnet_truth_destroy(&t);
    return 0;
}
