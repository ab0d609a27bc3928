/* SPDX-License-Identifier: GPL-2.0 */
/* sha256.h - SHA-256 (FIPS 180-4), for nvgreplay's decision-log hash. */
#ifndef _NVG_SHA256_H_
#define _NVG_SHA256_H_

#include <stddef.h>

/* The digest of @len bytes at @data, as 64 lower-case hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif /* _NVG_SHA256_H_ */
