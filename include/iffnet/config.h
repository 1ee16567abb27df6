/* config.h: named parameters with documented defaults, settable from a config
 * file ("key = value" lines, '#' comments) or the command line (--set key=value).
 * Detectors read their thresholds through it so that every threshold can be set. */
#ifndef IFFNET_CONFIG_H
#define IFFNET_CONFIG_H

#include "common.h"

typedef struct {
    int64_t n, cap;
    char **keys, **values;
    int *used;           /* set when a getter read the key */
    char **origin;       /* "file.conf:12" or "--set" for messages */
} iffnet_config_t;

int iffnet_config_init(iffnet_config_t *cfg);
void iffnet_config_destroy(iffnet_config_t *cfg);
/* Reads a file; a malformed line fails with "file:line: ..." (IFFNET_EDATA), a
 * line over 16 MiB with IFFNET_ELIMIT. */
int iffnet_config_read(iffnet_config_t *cfg, const char *path);
/* The same from size bytes at data, named `name` in messages. */
int iffnet_config_read_mem(iffnet_config_t *cfg, const char *name, const void *data, size_t size);
/* Sets "key=value" (later settings win). */
int iffnet_config_set(iffnet_config_t *cfg, const char *assignment, const char *origin);

/* Getters: return IFFNET_OK and the default when the key is absent, IFFNET_EDATA
 * with a message naming the key and its origin when the value does not parse or
 * is outside [lo, hi]. */
int iffnet_config_double(const iffnet_config_t *cfg, const char *key, double def,
                         double lo, double hi, double *out);
int iffnet_config_int(const iffnet_config_t *cfg, const char *key, int64_t def,
                      int64_t lo, int64_t hi, int64_t *out);
/* Durations: "30d", "12h", seconds. */
int iffnet_config_duration(const iffnet_config_t *cfg, const char *key, int64_t def, int64_t *out);
/* Money in major units ("10000", "9500.50") at scale decimals. */
int iffnet_config_money(const iffnet_config_t *cfg, const char *key, iffnet_money_t def,
                        int scale, iffnet_money_t *out);
const char *iffnet_config_str(const iffnet_config_t *cfg, const char *key, const char *def);

/* The first key never read by a getter (a typo in a config file), or NULL. */
const char *iffnet_config_unused(const iffnet_config_t *cfg, const char **origin);

#endif
