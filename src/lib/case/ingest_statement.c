#include "case_internal.h"
int iffnet_i_read_statement_csv(iffnet_i_sink_t *g, const char *path, const char *account) { (void)g; (void)account; return iffnet_i_seterr(IFFNET_EINVAL, "%s: not yet", path); }
int iffnet_i_read_camt(iffnet_i_sink_t *g, const char *path) { (void)g; return iffnet_i_seterr(IFFNET_EINVAL, "%s: not yet", path); }
