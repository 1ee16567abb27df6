/* link_i.h: helpers private to the link-analysis sources. */
#ifndef IFFNET_LINK_I_H
#define IFFNET_LINK_I_H

#include "internal.h"

/* iffnet_i_igraph_err() always records an error; this passes success through. */
static inline int iffnet_i_link_ig(igraph_error_t e, const char *what)
{
    return e == IGRAPH_SUCCESS ? IFFNET_OK : iffnet_i_igraph_err(e, what);
}

#endif
