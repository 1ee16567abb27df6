/* summary.h: what `iffnet info` and the report show about a case as a whole. */
#ifndef IFFNET_SUMMARY_H
#define IFFNET_SUMMARY_H

#include "case.h"

typedef struct {
    int64_t account;
    iffnet_money_t value;     /* in the value currency (iffnet_case_value_currency) */
    int64_t count;
} iffnet_account_volume_t;

typedef struct {
    iffnet_time_t first, last;
    int64_t active_accounts;              /* accounts with at least one transaction */
    int64_t self_transfers;               /* source == target */
    int64_t n_currencies;
    iffnet_money_t *currency_total;       /* per currency, in its own minor units */
    int64_t *currency_count;
    int64_t n_channels;                   /* channels + 1: the last entry is "unknown" */
    int64_t *channel_count;
    iffnet_money_t *channel_value;        /* in the value currency */
    int64_t max_in_degree, max_out_degree;
    double mean_degree;                   /* transactions per active account, in + out */
    int64_t median_degree;
    int64_t n_components;                 /* weakly connected, among active accounts */
    int64_t largest_component;            /* accounts in the largest one */
    int64_t n_top;
    iffnet_account_volume_t *top_in, *top_out;  /* by strength (value received / sent); by count when
                                                  the case mixes currencies without rates */
} iffnet_summary_t;

/* Computes the summary with `top` accounts in each strength list. O(V + E log*). */
int iffnet_case_summarize(const iffnet_case_t *c, int64_t top, iffnet_summary_t *s);
void iffnet_summary_destroy(iffnet_summary_t *s);

#endif
