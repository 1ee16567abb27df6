/* trace_cli.h: the output of iffnet trace (tables, summary, notes). */
#ifndef IFFNET_TRACE_CLI_H
#define IFFNET_TRACE_CLI_H

#include "cli.h"
#include "iffnet/trace.h"

/* The tables of --table, in the order the text format prints them. */
#define TRACE_TABLES "totals, accounts, holders, exits, sources or bounds"

typedef struct {
    cli_format_t fmt;
    const char *table;               /* --table (machine formats), or NULL */
    int64_t top;                     /* rows per table: 0 all, -1 the format's default */
    const iffnet_trace_t *tr;
    int64_t target;                  /* --to, or -1 */
    const iffnet_trace_bounds_t *b;  /* LP bounds, or NULL */
} trace_out_t;

/* 1 when name is one of TRACE_TABLES. */
int trace_table_known(const char *name);
/* Writes the trace to fp: a summary and every table (text), or the one table of
 * o->table; the notes of work cut short go to stderr (even with -q: they are
 * warnings) and into the text output. Returns 0 or an exit status (the error
 * printed). */
int trace_print(FILE *fp, const trace_out_t *o);

#endif
