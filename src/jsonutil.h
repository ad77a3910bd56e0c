/* jsonutil.h - what every yajl user in nsguard needs: a cleanup for the handle. */
#ifndef NSGUARD_JSONUTIL_H
#define NSGUARD_JSONUTIL_H

#include <yajl/yajl_parse.h>

static inline void nsg_yajl_freep(yajl_handle *h)
{
	if (*h)
		yajl_free(*h);
}

#define cleanup_yajl __attribute__((cleanup(nsg_yajl_freep)))

#endif
