/* SPDX-License-Identifier: GPL-2.0 */
/* sha256.h - SHA-256 (FIPS 180-4), for nvgreplay's decision-log hash. */
#ifndef _NVG_SHA256_H_
#define _NVG_SHA256_H_

#include <stdbool.h>
#include <stddef.h>

/*
 * The digest of @len bytes at @data, as 64 lower-case hex digits and a NUL:
 * with the CPU's SHA extensions where it has them (sha256_accelerated()).
 */
void sha256_hex(const void *data, size_t len, char out[65]);

/* The same, never with the SHA extensions (for the unit test). */
void sha256_hex_portable(const void *data, size_t len, char out[65]);
bool sha256_accelerated(void);

#endif /* _NVG_SHA256_H_ */
