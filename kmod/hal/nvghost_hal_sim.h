/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_hal_sim.h - the simulator backend's parts (kmod/hal/ only).
 *
 * Each file implements one area of the ops table with the simulator's own
 * registers (NVG_SIM_* in nvghost_regs.h), which nothing above the HAL
 * names.
 */
#ifndef _NVGHOST_HAL_SIM_H_
#define _NVGHOST_HAL_SIM_H_

#include "nvghost_hal.h"
#include "../nvghost_regs.h"
#include "../sim/nvg_sim.h"

static inline u32 nvg_hal_sim_rd(struct nvg_hal *hal, u32 reg)
{
	return nvg_sim_rd32(hal->priv, reg);
}

static inline void nvg_hal_sim_wr(struct nvg_hal *hal, u32 reg, u32 val)
{
	nvg_sim_wr32(hal->priv, reg, val);
}

/* A 64-bit register pair, read so that a carry cannot tear it. */
static inline u64 nvg_hal_sim_rd64(struct nvg_hal *hal, u32 lo, u32 hi)
{
	return nvg_rd64(hal, lo, hi);
}

extern const struct nvg_hal_engine_funcs nvg_hal_sim_engine;
extern const struct nvg_hal_disp_funcs nvg_hal_sim_disp;
extern const struct nvg_hal_power_funcs nvg_hal_sim_power;
extern const struct nvg_hal_mmu_funcs nvg_hal_sim_mmu;
extern const struct nvg_hal_inject_funcs nvg_hal_sim_inject;

#endif /* _NVGHOST_HAL_SIM_H_ */
