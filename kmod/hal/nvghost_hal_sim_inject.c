// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_hal_sim_inject.c - the simulator's fault injection: an engine's
 * INJECT register and the power model's HEAT_INJECT (see nvghost_regs.h).
 */
#include <linux/array_size.h>

#include "nvghost_hal_sim.h"

static void nvg_sim_inject_engine(struct nvg_hal *hal, u32 n,
				  enum nvg_hal_inject_what what)
{
	static const u32 bits[] = {
		[NVG_HAL_INJECT_HANG]		= NVG_SIM_INJECT_HANG,
		[NVG_HAL_INJECT_FAULT]		= NVG_SIM_INJECT_FAULT,
		[NVG_HAL_INJECT_DROP_IRQ]	= NVG_SIM_INJECT_DROP_IRQ,
		[NVG_HAL_INJECT_HANG_MIGRATE]	= NVG_SIM_INJECT_MIG_HANG,
		[NVG_HAL_INJECT_FAULT_MIGRATE]	= NVG_SIM_INJECT_MIG_FAULT,
		[NVG_HAL_INJECT_FAIL_MIGRATION]	= NVG_SIM_INJECT_MIG_COPY,
	};

	if (what < ARRAY_SIZE(bits))
		nvg_hal_sim_wr(hal, NVG_SIM_ENG_INJECT(n), bits[what]);
}

static void nvg_sim_inject_heat_set(struct nvg_hal *hal, s32 mc)
{
	nvg_hal_sim_wr(hal, NVG_SIM_PWR_HEAT_INJECT, mc);
}

static s32 nvg_sim_inject_heat_get(struct nvg_hal *hal)
{
	return (s32)nvg_hal_sim_rd(hal, NVG_SIM_PWR_HEAT_INJECT);
}

const struct nvg_hal_inject_funcs nvg_hal_sim_inject = {
	.engine		= nvg_sim_inject_engine,
	.heat_set	= nvg_sim_inject_heat_set,
	.heat_get	= nvg_sim_inject_heat_get,
};
