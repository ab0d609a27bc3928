/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * nvghost_ondemand.h - simple_ondemand's decision, as a p-state.
 *
 * The built-in default of the nvg_power_ops governor (nvghost_power_gov.c)
 * decides as the kernel's simple_ondemand governor would on the same
 * sample (drivers/devfreq/governor_simpleondemand.c of Linux 6.12), so that
 * switching governor changes nothing until a policy loads: the top p-state
 * above the up-threshold, the current clock kept inside the band
 * [upthreshold - downdifferential, upthreshold], below it a clock that
 * would bring the load to the middle of the band; then, as devfreq's
 * recommended OPP does, the lowest p-state at or above that clock.
 *
 * Pure C with no kernel dependency: the host unit tests include it
 * (tests/unit/test_ondemand.c).
 */
#ifndef _NVGHOST_ONDEMAND_H_
#define _NVGHOST_ONDEMAND_H_

#include "nvghost_chip.h"

#ifdef __KERNEL__
#include <linux/math64.h>
#define nvg_div_u64(a, b)	div64_u64(a, b)
#else
#define nvg_div_u64(a, b)	((a) / (b))
#endif

/* simple_ondemand's defaults, for thresholds left at zero. */
#define NVG_DFSO_UPTHRESHOLD		90
#define NVG_DFSO_DOWNDIFFERENTIAL	5

/* The lowest p-state at or above @hz; the top one if none is (OPP ceil). */
static inline u32 nvg_pstate_ceil(const struct nvg_pstate *ps, u32 nr, u64 hz)
{
	u32 i;

	for (i = 0; i < nr - 1; i++)
		if ((u64)ps[i].mhz * 1000000 >= hz)
			break;
	return i;
}

/**
 * nvg_ondemand_pstate() - the p-state simple_ondemand would choose
 * @ps: the p-state ladder, slowest first.
 * @nr: entries in @ps (at least 1).
 * @up: simple_ondemand's upthreshold, percent (0: its default, 90).
 * @down: its downdifferential, percent (0: its default, 5).
 * @cur_mhz: the clock the GPU ran at (devfreq's current_frequency).
 * @busy_ns: how long the GPU was busy in the period.
 * @total_ns: the period.
 *
 * Return: an index into @ps.
 */
static inline u32 nvg_ondemand_pstate(const struct nvg_pstate *ps, u32 nr, u32 up, u32 down,
				      u32 cur_mhz, u64 busy_ns, u64 total_ns)
{
	u64 cur_hz = (u64)cur_mhz * 1000000, want_hz;

	if (!up)
		up = NVG_DFSO_UPTHRESHOLD;
	if (!down)
		down = NVG_DFSO_DOWNDIFFERENTIAL;
	/* simple_ondemand refuses (-EINVAL): devfreq keeps the clock. */
	if (up > 100 || up < down)
		return nvg_pstate_ceil(ps, nr, cur_hz);
	if (!total_ns)
		return nr - 1;
	/* Its overflow guard, which also sets its rounding. */
	if (busy_ns >= (1 << 24) || total_ns >= (1 << 24)) {
		busy_ns >>= 7;
		total_ns >>= 7;
	}
	if (busy_ns * 100 > total_ns * up)
		return nr - 1;
	if (!cur_hz)
		return nr - 1;
	/* Inside the band: keep the current clock. */
	if (busy_ns * 100 > total_ns * (up - down))
		return nvg_pstate_ceil(ps, nr, cur_hz);
	want_hz = nvg_div_u64(busy_ns * cur_hz, total_ns) * 100;
	want_hz = nvg_div_u64(want_hz, up - down / 2);
	return nvg_pstate_ceil(ps, nr, want_hz);
}

#endif /* _NVGHOST_ONDEMAND_H_ */
