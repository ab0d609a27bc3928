/* SPDX-License-Identifier: GPL-2.0 */
/*
 * power.bpf.h - helpers power policies share: the busiest engine's load,
 * and the lowest p-state whose clock carries a load at a target
 * utilisation.
 */
#ifndef __NVG_POWER_BPF_H
#define __NVG_POWER_BPF_H

#include "nvg/common.bpf.h"

/* As in kmod/nvghost_power_ops.h (defines are not in the module's BTF). */
#define NVG_POWER_MAX_ENGINES	8
#define NVG_POWER_MAX_PSTATES	16

/* The busiest engine's utilisation in the period, per mille. */
static __always_inline u32 nvg_power_busiest(const struct nvg_power_period *p)
{
	u32 i, max = 0;

	for (i = 0; i < NVG_POWER_MAX_ENGINES && i < p->nr_engines; i++)
		if (p->util_pm[i] > max)
			max = p->util_pm[i];
	return max;
}

/*
 * The clock, in MHz, that would have run the period's work at
 * @target_pm utilisation: work scales with clock (the simulated GPU's
 * BUSY cycles do), so work = util x clock.
 */
static __always_inline u32 nvg_power_needed_mhz(const struct nvg_power_period *p,
						u32 util_pm, u32 target_pm)
{
	if (!target_pm)
		return 0;
	return (u32)(((u64)p->clock_mhz * util_pm + target_pm - 1) / target_pm);
}

/* The lowest p-state whose clock is at least @mhz (the top one if none). */
static __always_inline u32 nvg_power_pstate_for(const struct nvg_power_period *p, u32 mhz)
{
	u32 i;

	for (i = 0; i < NVG_POWER_MAX_PSTATES && i + 1 < p->nr_pstates; i++)
		if (p->pstate_mhz[i] >= mhz)
			return i;
	return p->nr_pstates ? p->nr_pstates - 1 : 0;
}

#endif /* __NVG_POWER_BPF_H */
