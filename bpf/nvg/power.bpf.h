/* SPDX-License-Identifier: GPL-2.0 */
/*
 * power.bpf.h - helpers power policies share: the busiest engine's load,
 * the lowest p-state whose clock carries a load at a target utilisation,
 * and, from the per-client frame information, the clock the presenting
 * clients need for their frames to fit their deadlines.
 */
#ifndef __NVG_POWER_BPF_H
#define __NVG_POWER_BPF_H

#include "nvg/common.bpf.h"

/* As in kmod/nvghost_power_ops.h (defines are not in the module's BTF). */
#define NVG_POWER_MAX_ENGINES	8
#define NVG_POWER_MAX_PSTATES	16
#define NVG_POWER_MAX_CLIENTS	8

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

/*
 * The clock, in MHz, at which every client that presented (or missed)
 * frames in the period would render each frame in @fill_pm per mille of its deadline:
 * its GPU time per frame (busy_ns / frames) scales with 1/clock like all
 * work. 0 if no client presented. This is what utilisation cannot say:
 * a vsync'd game that misses a refresh waits for the next one, so its
 * utilisation falls exactly when it needs more clock.
 *
 * @missed_out (may be NULL) is set to the frames the presenting clients
 * missed.
 */
static __always_inline u32 nvg_power_frame_mhz(const struct nvg_power_period *p,
					       u32 fill_pm, u32 *missed_out)
{
	u64 per_frame, need, max = 0;
	u32 i, missed = 0;

#pragma unroll
	for (i = 0; i < NVG_POWER_MAX_CLIENTS; i++) {
		const struct nvg_power_client *c = &p->clients[i];

		if (i >= p->nr_clients)
			break;
		if (!c->deadline_ns || !fill_pm)
			continue;
		missed += c->missed;
		/* No frame finished in the period: it took all of it, at least. */
		per_frame = c->busy_ns[0] / (c->frames ? c->frames : 1);
		need = (u64)p->clock_mhz * per_frame * 1000 / (c->deadline_ns * fill_pm) + 1;
		if (need > max)
			max = need;
	}
	if (missed_out)
		*missed_out = missed;
	return max > 0xffffffffULL ? 0xffffffffU : (u32)max;
}

#endif /* __NVG_POWER_BPF_H */
