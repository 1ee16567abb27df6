/* iffnet: follow illicit financial flows.
 * common.h: error codes, money and time types shared by every module.
 *
 * Ownership rule for the whole public API: a function that fills a caller's
 * struct (`_init`, `_load`, `_read`) leaves it owned by the caller, who releases it
 * with the matching `_destroy`; pointers passed as `const` are borrowed and never
 * kept. On error, outputs are left destroyed-or-empty, never half-built.
 */
#ifndef IFFNET_COMMON_H
#define IFFNET_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Money is always an exact integer count of a currency's minor units
 * (cents for EUR, satoshi/100 for BTC: see iffnet_currency_scale()). */
typedef int64_t iffnet_money_t;

/* Seconds since 1970-01-01T00:00:00Z (UTC). */
typedef int64_t iffnet_time_t;

typedef enum {
    IFFNET_OK = 0,
    IFFNET_ENOMEM,    /* out of memory */
    IFFNET_EIO,       /* a file could not be read or written */
    IFFNET_EDATA,     /* input data is invalid (bad CSV, bad value, unknown id) */
    IFFNET_EINVAL,    /* an argument is invalid (caller's mistake or bad option value) */
    IFFNET_ECORRUPT,  /* a case file is truncated or corrupted */
    IFFNET_ELIMIT,    /* a size limit was exceeded */
    IFFNET_ESOLVER,   /* an external solver (igraph, GLPK, GSL) failed */
    IFFNET_EINTERNAL  /* a bug in iffnet */
} iffnet_err_t;

/* A short description of an error code. */
const char *iffnet_strerror(iffnet_err_t err);

/* The detailed message left by the last failing library call in this thread,
 * e.g. "tx.csv:12: column 'amount': \"12,5x\" is not an amount". Never NULL. */
const char *iffnet_errmsg(void);

/* Clears the detailed message. */
void iffnet_errmsg_clear(void);

/* Installs iffnet's handlers for igraph, GSL and GLPK so that none of them
 * aborts the process or writes to the terminal; seeds igraph's RNG.
 * Call once at start-up. */
void iffnet_init_libraries(unsigned long seed);

/* How many threads the library may use (default 2; 1 keeps every step on the
 * calling thread). Results are the same either way. Not thread-safe: set it at
 * start-up. */
void iffnet_set_threads(int n);

/* iffnet's version string, and the versions of the libraries it runs on. */
const char *iffnet_version(void);
void iffnet_print_versions(FILE *out);

#define IFFNET_MONEY_MAX INT64_MAX

#ifdef __cplusplus
}
#endif
#endif
