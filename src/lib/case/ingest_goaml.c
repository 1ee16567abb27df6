#include "case_internal.h"
int iffnet_i_read_goaml(iffnet_i_sink_t *g, const char *path) { (void)g; return iffnet_i_seterr(IFFNET_EINVAL, "%s: goAML not yet", path); }
