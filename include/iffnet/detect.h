/* detect.h: the detect driver. Builds the detector context, runs the detectors of
 * both registries (structural and red-flag) that the caller selected, collects
 * notes about search bounds that were hit, drops alerts that only repeat a part of
 * a more specific structure, and finishes the alert list (scores, ids, order).
 *
 * Ownership: iffnet_detect_run() appends to a caller-initialised alert list and
 * notes; the caller destroys both. The context borrows the case, graph and config.
 */
#ifndef IFFNET_DETECT_H
#define IFFNET_DETECT_H

#include "detector.h"

typedef struct {
    int selected[IFFNET_TYP_COUNT]; /* 1: run the detectors of this typology */
    int64_t window;                 /* default window in seconds (30 days) */
    iffnet_money_t threshold;       /* reporting threshold in value-currency minor units; < 0: 10,000 units */
    const char *datadir;            /* indicator lists for the red-flag detectors */
    unsigned long seed;
    int all;                        /* 1: list alerts ranked low too (--all); 0: the analyst's list */
    /* For the run record (borrowed, may be NULL). */
    const char *command_line, *case_path, *case_sha256;
    /* Called before each detector with its index and the number to run. */
    void (*progress)(void *arg, const char *what, int64_t done, int64_t total);
    void *progress_arg;
} iffnet_detect_opts_t;

/* Lines such as "cycle: search stopped after 200000000 steps ...". */
typedef struct {
    int64_t n, cap;
    char **lines;
} iffnet_detect_notes_t;

void iffnet_detect_notes_init(iffnet_detect_notes_t *n);
void iffnet_detect_notes_destroy(iffnet_detect_notes_t *n);

/* All typologies selected, window 30 days, threshold 10,000 units, seed 1. */
void iffnet_detect_opts_default(iffnet_detect_opts_t *o);

/* Selects the typologies of a comma-separated list ("fan_in,cycle"; the groups
 * "all", "structural" and "redflag" are accepted; AMLSim spellings too).
 * IFFNET_EINVAL naming the unknown name. O(length of list). */
int iffnet_detect_select(iffnet_detect_opts_t *o, const char *list);

/* 1 when some registered detector implements typology t. */
int iffnet_detect_available(iffnet_typology_t t);

/* Fills the context every detector gets. `notes` receives the detectors' notes
 * (may be NULL: notes are dropped). Reads "detect.window" and "detect.threshold"
 * from cfg when the options left them at their defaults. O(1). */
int iffnet_detect_ctx_init(iffnet_detect_ctx_t *ctx, const iffnet_case_t *c, const igraph_t *graph,
                           const iffnet_config_t *cfg, const iffnet_detect_opts_t *o,
                           iffnet_detect_notes_t *notes);

/* The case profile (see detector.h). O(V + E) time and memory, plus sorting
 * samples of at most a million values per distribution. */
int iffnet_detect_profile(const iffnet_case_t *c, iffnet_detect_profile_t *p);
/* Appends the profile to a run record, as dotted keys ("tx_per_pair.p50"). */
int iffnet_detect_profile_record(const iffnet_detect_profile_t *p, iffnet_run_record_t *r);

/* Runs the selected detectors and finishes `out` (sorted by score, ids A000001...).
 * out->run receives the run record: version, the settings every detector used and
 * how each was derived, the case profile, the budgets that cut work short and the
 * notes. Each alert's score is 1 / (1 + E) (alert.h); without o->all the alerts
 * ranked low (E >= 1) are left out (counted in the run record).
 * Alerts of one typology on one structure (the same hub, or the same accounts in
 * most part) are merged into one; then
 * an alert of a partial typology (fan_in, fan_out, layering, mule) whose accounts
 * lie for at least "detect.dedupe_overlap" (default 0.8) inside one alert of a
 * complete structure (cycle, scatter_gather, gather_scatter, bipartite, stack) is
 * dropped: it is part of that structure, not a second finding. Inside a larger
 * bipartite or stack block, an alert (not a cycle) is dropped only when the block
 * also holds that share of its transactions.
 * Time: the sum of the detectors' (see iffnet-detect(1)), plus O(A log A) for the list. */
int iffnet_detect_run(const iffnet_detect_ctx_t *ctx, const iffnet_detect_opts_t *o,
                      iffnet_alert_list_t *out);

#endif
