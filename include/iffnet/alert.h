/* alert.h: the typology vocabulary and alerts, shared by generate, detect,
 * evaluate and report. The vocabulary lives here and nowhere else. */
#ifndef IFFNET_ALERT_H
#define IFFNET_ALERT_H

#include "case.h"

/* X-macro: name, one-line meaning. Add new typologies here only. */
#define IFFNET_TYPOLOGIES(X) \
    X(FAN_IN, "fan_in", "many senders pay one account within a short window") \
    X(FAN_OUT, "fan_out", "one account pays many receivers within a short window") \
    X(CYCLE, "cycle", "money returns to its origin through a time-ordered chain") \
    X(SCATTER_GATHER, "scatter_gather", "one source fans out to intermediaries that pay one sink") \
    X(GATHER_SCATTER, "gather_scatter", "many senders pay a hub that pays many receivers") \
    X(BIPARTITE, "bipartite", "a group of payers pays a group of payees, many-to-many") \
    X(STACK, "stack", "layered many-to-many flows through a middle layer that passes money on") \
    X(LAYERING, "layering", "money forwarded along three or more hops with small decay and short dwell") \
    X(MULE, "mule", "an account that passes on almost all it receives within days") \
    X(STRUCTURING, "structuring", "cash amounts kept just under a reporting threshold") \
    X(SHELL_NETWORK, "shell_network", "companies tied by shared directors, addresses or phones") \
    X(CORRIDOR, "corridor", "money moving from a source via a transit to a destination country of wildlife trade") \
    X(WILDLIFE_TRADE, "wildlife_trade", "payments to wildlife-associated traders with wildlife words or round amounts") \
    X(PEP_PAYMENT, "pep_payment", "payments to a politically exposed person") \
    X(CASH_TO_WIRE, "cash_to_wire", "cash deposits followed quickly by international wires") \
    X(BENFORD, "benford", "amounts whose leading digits depart from Benford's law") \
    X(ROUND_AMOUNTS, "round_amounts", "an unusual share of round amounts") \
    X(WATCHLIST, "watchlist", "an entity whose name or identifier matches a watch list")

typedef enum {
#define IFFNET_X_ENUM(id, name, desc) IFFNET_TYP_##id,
    IFFNET_TYPOLOGIES(IFFNET_X_ENUM)
#undef IFFNET_X_ENUM
    IFFNET_TYP_COUNT
} iffnet_typology_t;

const char *iffnet_typology_name(iffnet_typology_t t);
const char *iffnet_typology_description(iffnet_typology_t t);
/* Parses a name; also accepts AMLSim/AMLworld spellings ("FAN-IN", "random" ->
 * layering, "scatter-gather"). Returns -1 when unknown. */
int iffnet_typology_parse(const char *name, iffnet_typology_t *t);

/* How an alert's `moved` amount was derived from its transactions: the money
 * that moved through the structure, each euro counted once (see iffnet-detect(1),
 * MOVED MONEY). X-macro: name, the sentence the report prints. */
#define IFFNET_MOVED_RULES(X) \
    X(AUTO, "auto", "derived when the alert list is finished") \
    X(ENTRY, "entry", "what entered the structure: what its accounts paid beyond what they received in it") \
    X(COLLECTOR, "collector", "what reached the collector: the largest inflow of one account") \
    X(DISTRIBUTOR, "distributor", "what left the distributor: the largest outflow of one account") \
    X(HUB, "hub", "what passed through the hub: the largest min(inflow, outflow) of one account") \
    X(LEAST_HOP, "least_hop", "what went all the way round: the smallest sum paid along one hop") \
    X(CASH, "cash", "the cash deposits of the alert") \
    X(TRANSIT, "transit", "what entered the transit account: the inflow of the hub") \
    X(SUM, "sum", "the sum of the alert's payments (no payment passes money on to another)") \
    X(DETECTOR, "detector", "set by the detector from the roles it found")

typedef enum {
#define IFFNET_X_ENUM(id, name, desc) IFFNET_MOVED_##id,
    IFFNET_MOVED_RULES(IFFNET_X_ENUM)
#undef IFFNET_X_ENUM
    IFFNET_MOVED_COUNT
} iffnet_moved_rule_t;

const char *iffnet_moved_rule_name(iffnet_moved_rule_t r);
const char *iffnet_moved_rule_description(iffnet_moved_rule_t r);
/* Parses a rule name; -1 when unknown. */
int iffnet_moved_rule_parse(const char *name, iffnet_moved_rule_t *r);
/* The rule a typology's moved amount is derived by (IFFNET_MOVED_AUTO never). */
iffnet_moved_rule_t iffnet_typology_moved_rule(iffnet_typology_t t);

typedef struct {
    char *id;                   /* "A000012" */
    iffnet_typology_t typology;
    double score;               /* 0..1 */
    int64_t n_accounts;         /* account indices of the case */
    int64_t *accounts;
    int64_t n_tx;               /* transaction indices of the case */
    int64_t *tx;
    iffnet_money_t amount;      /* in `currency`: the sum of the alert's transactions (money
                                   passing through counts once per hop) */
    iffnet_money_t moved;       /* in `currency`: the money that moved through the structure,
                                   each unit once (derived by `moved_by`) */
    iffnet_moved_rule_t moved_by; /* AUTO: derived by iffnet_alert_list_finish(); a detector
                                   that knows the roles sets moved (and DETECTOR, or leaves
                                   AUTO: a non-zero moved is then taken as the detector's) */
    int32_t currency;           /* case currency index; -1 when the alert mixes currencies
                                   and the case has no rates (amount is then 0, written null) */
    iffnet_time_t first, last;
    int64_t n_reasons;
    char **reasons;             /* sentences with the numbers that fired */
    int ranked_low;             /* 1: found, but chance explains structures like it in
                                   this case; listed after every other alert */
} iffnet_alert_t;

typedef struct {
    int64_t n, cap;
    iffnet_alert_t *items;
} iffnet_alert_list_t;

int iffnet_alert_list_init(iffnet_alert_list_t *l);
void iffnet_alert_list_destroy(iffnet_alert_list_t *l);

/* Appends an alert; copies accounts and tx (sorted and de-duplicated), takes no
 * ownership of the arrays. The id is assigned by iffnet_alert_list_finish(). */
int iffnet_alert_list_add(iffnet_alert_list_t *l, iffnet_typology_t typ, double score,
                          const int64_t *accounts, int64_t n_accounts,
                          const int64_t *tx, int64_t n_tx, iffnet_alert_t **added);
/* Adds a reason sentence (printf-style) to an alert. */
int iffnet_alert_add_reason(iffnet_alert_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Derives a->moved by rule `rule` (AUTO: the typology's rule) from the alert's
 * transactions, in a->currency (which must be set: see below), and sets
 * a->moved_by to the rule used. Amounts as iffnet_alert_list_finish() sums them.
 * O(n_tx log n_tx). */
int iffnet_alert_derive_moved(iffnet_alert_t *a, const iffnet_case_t *c, iffnet_moved_rule_t rule);

/* Fills amount/currency/first/last from the transactions, and moved unless a
 * detector set it (moved_by DETECTOR), sorts (alerts not
 * ranked low first, then by score descending, ties by typology, first
 * transaction) and assigns ids A000001... */
int iffnet_alert_list_finish(iffnet_alert_list_t *l, const iffnet_case_t *c);

/* Writes one JSON object per line with the input's own ids. */
int iffnet_alert_write_jsonl(const iffnet_alert_list_t *l, const iffnet_case_t *c, FILE *fp);

#endif
