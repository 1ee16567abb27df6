/* trace.h: forensic tracing of tainted funds through a case.
 *
 * A trace replays every account's ledger in transaction order and splits each
 * balance into tainted and clean parts under several rules side by side (FIFO after
 * Clayton's Case, LIFO, pro-rata, the lowest intermediate balance rule, TIHO and
 * poison). Opening balances are unknown: an account's ledger only holds what it
 * received in the case, and money it sends beyond that is booked as "unexplained
 * funds" (clean, never invented). All amounts are exact minor units of
 * iffnet_case_tx_value() (see iffnet_case_value_currency()).
 *
 * Ownership: iffnet_trace_run() fills a caller-provided iffnet_trace_t that the
 * caller releases with iffnet_trace_destroy(); the case is borrowed and must
 * outlive the trace.
 */
#ifndef IFFNET_TRACE_H
#define IFFNET_TRACE_H

#include "case.h"

/* Tracing rules. Every rule but poison conserves money. */
typedef enum {
    IFFNET_TRACE_FIFO,     /* first in, first out (Clayton's Case) */
    IFFNET_TRACE_LIFO,     /* last in, first out */
    IFFNET_TRACE_PRORATA,  /* each outflow carries every part in proportion (haircut) */
    IFFNET_TRACE_LIBR,     /* clean money leaves first; taint only when the balance dips below it */
    IFFNET_TRACE_TIHO,     /* taint in, highest out: tainted money leaves first */
    IFFNET_TRACE_POISON,   /* once tainted, everything the account sends is tainted */
    IFFNET_TRACE_NRULES
} iffnet_trace_rule_t;

#define IFFNET_TRACE_ALL_RULES ((1u << IFFNET_TRACE_NRULES) - 1u)

/* Why tainted money left the trace. */
typedef enum {
    IFFNET_EXIT_CASH,      /* channel cash_withdrawal or target pseudo-account CASH */
    IFFNET_EXIT_EXTERNAL,  /* payment to an account outside the case: marked external, or
                              unprofiled in a profiled case and paying nobody in it */
    IFFNET_EXIT_ABROAD,    /* with stop_abroad: the two accounts' countries differ */
    IFFNET_EXIT_HOPS,      /* the sender is --max-hops away from the sources */
    IFFNET_EXIT_COUNT,
    IFFNET_EXIT_NONE = -1
} iffnet_exit_kind_t;

/* "fifo", "lifo", "pro-rata", "libr", "tiho", "poison". */
const char *iffnet_trace_rule_name(iffnet_trace_rule_t r);
/* Parses a comma-separated list of rule names or "all" (also "haircut" = pro-rata)
 * into a bit mask (1u << rule). Returns IFFNET_EINVAL with a message on a bad name. */
int iffnet_trace_rules_parse(const char *s, unsigned *mask);
/* "cash", "external", "abroad", "hop_limit". */
const char *iffnet_exit_kind_name(iffnet_exit_kind_t k);
/* 1 when rule r conserves money (every rule except poison). */
int iffnet_trace_rule_conserves(iffnet_trace_rule_t r);

typedef struct {
    int backward;                    /* 0 forward: where the seeds' money went;
                                        1 backward: where the money that reached the seed came from */
    const int64_t *seed_accounts;    /* account indices */
    int64_t n_seed_accounts;
    const int64_t *seed_tx;          /* transaction indices */
    int64_t n_seed_tx;
    iffnet_money_t amount;           /* tainted amount per seed (0 = all it sends / the whole tx) */
    iffnet_time_t since, until;      /* window, inclusive (INT64_MIN / INT64_MAX = open) */
    int max_hops;                    /* 0 = unlimited */
    int64_t max_steps;               /* budget of ledger steps per rule (0 = IFFNET_TRACE_MAX_STEPS) */
    int64_t lp_max_steps;            /* budget of steps of the LP bounds, both solves together
                                        (0 = IFFNET_TRACE_LP_MAX_STEPS) */
    int stop_abroad;                 /* 1: a payment between two countries leaves the trace
                                        (default 0: followed, as any payment inside the case) */
    unsigned rules;                  /* bit mask of rules to run */
} iffnet_trace_opts_t;

void iffnet_trace_opts_default(iffnet_trace_opts_t *o);

/* Per account and rule. Conserving rules satisfy received = held + passed + left. */
typedef struct {
    iffnet_money_t received;  /* tainted received (including amounts seeded at this account) */
    iffnet_money_t held;      /* tainted still held at the end */
    iffnet_money_t passed;    /* tainted sent to accounts of the case */
    iffnet_money_t left;      /* tainted that left the case from here (all exit kinds) */
} iffnet_trace_flow_t;

/* Tainted money carried by one transaction under one rule. */
typedef struct {
    int64_t tx;
    iffnet_money_t amount;
    int exit;                 /* iffnet_exit_kind_t: IFFNET_EXIT_NONE when received in the case */
} iffnet_trace_txflow_t;

typedef struct {
    const iffnet_case_t *c;
    iffnet_trace_opts_t opts;        /* copy (seed arrays borrowed from the caller) */
    int64_t n_accounts;
    int64_t n_tx_window;             /* transactions inside the window */
    int mixed_currencies;            /* values are not comparable across currencies */
    int32_t currency;                /* currency of all amounts */

    /* Accounts touched by taint under any rule, ascending; flows are n_touched x NRULES. */
    int64_t n_touched;
    int64_t *touched;
    iffnet_trace_flow_t *flow;
    int64_t *slot;                   /* account -> row in touched/flow, or -1 */

    iffnet_money_t *unexplained;     /* per account: sent beyond its in-case receipts */
    iffnet_money_t *final_balance;   /* per account: in-case ledger balance at the end */
    int32_t *hop;                    /* per account: fewest hops from the seeds at the end (-1 unreached) */
    uint8_t *is_seed;                /* per account */

    iffnet_money_t injected;                                  /* seeded tainted money */
    iffnet_money_t total_held[IFFNET_TRACE_NRULES];
    iffnet_money_t total_left[IFFNET_TRACE_NRULES][IFFNET_EXIT_COUNT];
    iffnet_money_t left_all[IFFNET_TRACE_NRULES]; /* total_left[r] over every exit, summed in checked arithmetic */

    /* Tainted transactions per rule, in time order. */
    iffnet_trace_txflow_t *txflow[IFFNET_TRACE_NRULES];
    int64_t n_txflow[IFFNET_TRACE_NRULES];
    int64_t cap_txflow[IFFNET_TRACE_NRULES];

    /* Backward: origins (accounts) and what reached the seed from each, per rule. */
    int64_t n_origins;
    int64_t *origin_account;         /* origin -> account */
    iffnet_money_t *origin_amount;   /* n_origins x NRULES: received by the seed accounts */

    /* Work cut short: rules stopped by the step budget (left out of opts.rules, so
     * no output shows a partial answer), and what happened in words, one note per
     * event, for stderr, the JSON document and the report's methodology. */
    unsigned rules_cut;
    int64_t n_notes;
    char **notes;

    /* Private, for iffnet_trace_path(): per rule, tainted inflows (indices into
     * txflow) grouped by receiving slot, in time order: in_idx[in_off[s] ..
     * in_off[s+1]), and at each position the largest of them so far (in_best). */
    int64_t *in_off[IFFNET_TRACE_NRULES];
    int64_t *in_idx[IFFNET_TRACE_NRULES];
    int64_t *in_best[IFFNET_TRACE_NRULES];
    int64_t *seed_tx_sorted;
} iffnet_trace_t;

/* Replays the case under the selected rules. A rule whose ledgers need more than
 * opts->max_steps steps (lots or parts taken and given) is stopped and left out,
 * with a note in tr->notes, rather than run without end or answered in part.
 * For a forward trace seeds are origins:
 * everything a seed account sends in the window (up to opts->amount per account) and
 * each seed transaction (up to opts->amount) is tainted. For a backward trace the
 * seed accounts are the destination: every account that can have sent money to them
 * within max_hops (default 3) is an origin whose unexplained funds are labelled
 * with it, and the result tells how much of what the seeds received came from each.
 * `tr` must not be initialised. O(T * R * m) for T transactions in the window, R
 * rules and m the number of distinct tainted parts per ledger (forward traces pool
 * all seeds into one tainted part; backward traces keep one per origin). */
int iffnet_trace_run(iffnet_trace_t *tr, const iffnet_case_t *c, const iffnet_trace_opts_t *o);
void iffnet_trace_destroy(iffnet_trace_t *tr);

/* Flow row of account a under rule r (zeros when untouched). */
iffnet_trace_flow_t iffnet_trace_account(const iffnet_trace_t *tr, int64_t a, iffnet_trace_rule_t r);

/* Exit kind of transaction t for a trace with the default options (no hop limit,
 * cross-border payments followed). O(accounts + transactions): for tests and
 * one-off questions, not for loops. */
iffnet_exit_kind_t iffnet_trace_exit_kind(const iffnet_case_t *c, int64_t t);

/* The principal path that brought tainted money to account a under rule r: walking
 * back from a, at each step the largest tainted inflow before the onward transfer,
 * until a seed, or for at most max_len steps (0 = no limit). Fills *txs (malloc'd,
 * caller frees, oldest first), *n, and *complete (1 when the walk reached a seed
 * or the start of the money; 0 when max_len cut it: *txs then holds the max_len
 * transfers nearest a). O(P log F) for P steps over F tainted transactions. */
int iffnet_trace_path(const iffnet_trace_t *tr, int64_t a, iffnet_trace_rule_t r, int64_t max_len,
                      int64_t **txs, int64_t *n, int *complete);

/* Path limits of the holders' lists (iffnet_trace_write_json, the CLI): at most
 * IFFNET_TRACE_PATH_MAX transfers per holder and IFFNET_TRACE_PATHS_STEPS in all
 * (a 10^6-hop chain has 10^6 holders with paths of up to 10^6 transfers); a path
 * cut short says so. */
#define IFFNET_TRACE_PATH_MAX 50
#define IFFNET_TRACE_PATHS_STEPS ((int64_t)20000000)

/* The rule whose path a holders' list shows for account slot i (tr->touched[i]):
 * the first traced rule, poison aside, under which it holds taint; -1 when it
 * holds none. */
int iffnet_trace_holding_rule(const iffnet_trace_t *tr, int64_t i);
/* The path of holder slot i for a holders' list: iffnet_trace_path() under its
 * holding rule, at most IFFNET_TRACE_PATH_MAX transfers, and none once *budget
 * (steps left for all the list's paths; start it at IFFNET_TRACE_PATHS_STEPS) is
 * spent: then *n = 0 and *complete = 0. *txs as for iffnet_trace_path(). */
int iffnet_trace_holder_path(const iffnet_trace_t *tr, int64_t i, int64_t *budget, int64_t **txs, int64_t *n,
                             int *complete);

/* LP bounds on the tainted amount received by one account. */
typedef struct {
    int status_min, status_max;      /* GLPK status code of each LP, whichever solver ran: GLP_OPT,
                                        GLP_NOFEAS, ...; 100 when stopped by the step budget; 0 if not run */
    const char *status_text;         /* "optimal", "no feasible solution", "step budget reached", ...
                                        (of the worse of the two) */
    const char *solver;              /* the solver that ran: "okalg", "network" or "simplex"
                                        (iffnet_lp_solver_name()), "none" when no LP was needed */
    double min, max;                 /* in minor units; valid when both are optimal (whole numbers
                                        unless the solver is "simplex", which works in doubles) */
    int cut_short;                   /* 1: the step budget stopped a solve, min and max are not given */
    int64_t steps, max_steps;        /* work done (network simplex steps; 1000 per simplex iteration)
                                        and the budget of each solve */
    int64_t n_tx, n_accounts;        /* sub-network: transactions and accounts */
    int64_t n_rows, n_cols, n_nonzeros;
    int64_t n_nodes, n_arcs;         /* the flow network after the exact reductions (the larger of the
                                        two directions; 0 for GLPK's simplex, which gets the LP) */
    double seconds;                  /* solver wall time, both LPs */
} iffnet_trace_bounds_t;

/* Default step budgets: the rule replay's per rule (a step is one lot or part of a
 * ledger taken or given; a transaction costs one or a few), and the LP solver's
 * per bound (a step is an arc priced or a tree node walked; measured rates in
 * iffnet-trace(1)). */
#define IFFNET_TRACE_MAX_STEPS ((int64_t)200000000)
#define IFFNET_TRACE_LP_MAX_STEPS ((int64_t)2000000000)

/* Tolerance (minor units) for comparing a rule amount with LP bounds. */
#define IFFNET_TRACE_LP_TOL 1.0

/* Solvers of the bounds LP (a minimum-cost flow problem; see trace_lp.c). */
typedef enum {
    IFFNET_LP_AUTO,      /* OKALG when every amount fits in int, else NETWORK, else SIMPLEX */
    IFFNET_LP_OKALG,     /* GLPK's out-of-kilter solver glp_mincost_okalg(), exact, int data */
    IFFNET_LP_NETWORK,   /* iffnet's network simplex (trace_mcf.c), exact, int64 data */
    IFFNET_LP_SIMPLEX    /* GLPK's simplex method glp_simplex(), any amount, doubles */
} iffnet_lp_solver_t;

/* "auto", "okalg", "network", "simplex". */
const char *iffnet_lp_solver_name(iffnet_lp_solver_t s);
/* Parses one of those names. Returns IFFNET_EINVAL with a message on a bad name. */
int iffnet_lp_solver_parse(const char *s, iffnet_lp_solver_t *out);

/* Solves min and max of the tainted amount that `target` can have received under
 * any allocation consistent with the transactions, flow conservation and the
 * ledger balances, over the time-expanded network of the transactions reachable
 * from the seeds of a forward trace `tr`. See trace_lp.c for the formulation.
 * Same as iffnet_trace_bounds_with(tr, target, IFFNET_LP_AUTO, b). */
int iffnet_trace_bounds(const iffnet_trace_t *tr, int64_t target, iffnet_trace_bounds_t *b);

/* iffnet_trace_bounds() with a chosen solver. A forced OKALG or NETWORK fails with
 * IFFNET_ELIMIT when the amounts are too large for it (AUTO falls back instead).
 * Returns IFFNET_ESOLVER when a solver fails to run; a non-optimal status is
 * reported in *b, not as an error. The LP has ~1 row, ~2 columns and ~4 non-zeros
 * per sub-network transaction. Time: pseudo-polynomial (OKALG) or exponential
 * (the simplex methods) in the worst case; measured times in iffnet-trace(1). */
int iffnet_trace_bounds_with(const iffnet_trace_t *tr, int64_t target, iffnet_lp_solver_t solver,
                             iffnet_trace_bounds_t *b);

/* Tainted money that left the case in one transaction, per rule. */
typedef struct {
    int64_t tx;
    int exit;                               /* iffnet_exit_kind_t */
    iffnet_money_t amount[IFFNET_TRACE_NRULES];
} iffnet_trace_exit_t;

/* Every transaction by which tainted money left the case under any traced rule, in
 * time order. *rows is malloc'd (caller frees). O(F log F) for F exit flows. */
int iffnet_trace_exits(const iffnet_trace_t *tr, iffnet_trace_exit_t **rows, int64_t *n);

/* 1 when the conserving rule r balances: injected = held + left (in total) and
 * received = held + passed + left for every account; 0 otherwise. O(touched). */
int iffnet_trace_conserved(const iffnet_trace_t *tr, iffnet_trace_rule_t r);

/* The notes for work cut short outside the replay (which puts its own in
 * tr->notes), in words: n_cut holders' paths cut by the path limits; LP bounds
 * stopped by their step budget (b->cut_short). */
void iffnet_trace_paths_note(char *buf, size_t size, int64_t n_cut);
void iffnet_trace_bounds_note(char *buf, size_t size, const iffnet_trace_bounds_t *b);

/* Writes the whole trace (summary, accounts, exits, holders with paths, sources,
 * bounds if not NULL, notes of work cut short) as one JSON document, amounts as
 * numbers in major units; *paths_cut (if not NULL) gets the number of holders'
 * paths that the path limits cut short. O(touched * R + paths). */
int iffnet_trace_write_json(FILE *fp, const iffnet_trace_t *tr, int64_t target,
                            const iffnet_trace_bounds_t *b, int64_t *paths_cut);

#endif
