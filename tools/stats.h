/* SPDX-License-Identifier: MIT */
/*
 * stats.h - the percentiles nvgbench and nvgreplay report, computed one way.
 */
#ifndef NVG_TOOLS_STATS_H
#define NVG_TOOLS_STATS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* qsort() comparator for uint64_t. */
static inline int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile @p (0-100) of @n sorted values; 0 if none. */
static inline uint64_t pct(const uint64_t *v, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * (double)n);

	if (!n)
		return 0;
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

#endif /* NVG_TOOLS_STATS_H */
