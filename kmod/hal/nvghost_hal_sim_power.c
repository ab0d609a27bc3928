// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_hal_sim_power.c - the simulator's p-states and sensors: the
 * NVG_SIM_PWR_* block (see nvghost_regs.h and sim/nvg_sim_power.c).
 */
#include "nvghost_hal_sim.h"

static u32 nvg_sim_pwr_pstate_count(struct nvg_hal *hal)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_PWR_PSTATE_COUNT);
}

static void nvg_sim_pwr_pstate_info(struct nvg_hal *hal, u32 i,
				    struct nvg_hal_pstate *p)
{
	p->mhz = nvg_hal_sim_rd(hal, NVG_SIM_PWR_PSTATE_MHZ(i));
	p->mv = nvg_hal_sim_rd(hal, NVG_SIM_PWR_PSTATE_MV(i));
}

static void nvg_sim_pwr_limits(struct nvg_hal *hal, struct nvg_hal_power_limits *l)
{
	l->slowdown_mc = nvg_hal_sim_rd(hal, NVG_SIM_PWR_SLOWDOWN_TEMP);
	l->shutdown_mc = nvg_hal_sim_rd(hal, NVG_SIM_PWR_SHUTDOWN_TEMP);
	l->limit_mw = nvg_hal_sim_rd(hal, NVG_SIM_PWR_LIMIT_MW);
}

static void nvg_sim_pwr_pstate_set(struct nvg_hal *hal, u32 i)
{
	nvg_hal_sim_wr(hal, NVG_SIM_PWR_PSTATE, i);
}

static u32 nvg_sim_pwr_clock_mhz(struct nvg_hal *hal)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_PWR_CLK_MHZ);
}

static s32 nvg_sim_pwr_temp_mc(struct nvg_hal *hal)
{
	return (s32)nvg_hal_sim_rd(hal, NVG_SIM_PWR_TEMP);
}

static void nvg_sim_pwr_sensors(struct nvg_hal *hal, struct nvg_hal_sensors *s)
{
	u32 st;

	s->pstate = nvg_hal_sim_rd(hal, NVG_SIM_PWR_PSTATE);
	s->mhz = nvg_hal_sim_rd(hal, NVG_SIM_PWR_CLK_MHZ);
	s->mv = nvg_hal_sim_rd(hal, NVG_SIM_PWR_VOLT_MV);
	s->power_mw = nvg_hal_sim_rd(hal, NVG_SIM_PWR_POWER_MW);
	s->energy_uj = nvg_hal_sim_rd64(hal, NVG_SIM_PWR_ENERGY_LO, NVG_SIM_PWR_ENERGY_HI);
	s->temp_mc = (s32)nvg_hal_sim_rd(hal, NVG_SIM_PWR_TEMP);
	st = nvg_hal_sim_rd(hal, NVG_SIM_PWR_STATUS);
	s->status = (st & NVG_SIM_PWR_STATUS_SLOWDOWN ? NVG_HAL_PWR_SLOWDOWN : 0) |
		    (st & NVG_SIM_PWR_STATUS_SHUTDOWN ? NVG_HAL_PWR_PROTECTION : 0);
}

static void nvg_sim_pwr_thermal_reset(struct nvg_hal *hal)
{
	nvg_hal_sim_wr(hal, NVG_SIM_PWR_THERMAL_RESET, 1);
}

const struct nvg_hal_power_funcs nvg_hal_sim_power = {
	.pstate_count	= nvg_sim_pwr_pstate_count,
	.pstate_info	= nvg_sim_pwr_pstate_info,
	.limits		= nvg_sim_pwr_limits,
	.pstate_set	= nvg_sim_pwr_pstate_set,
	.clock_mhz	= nvg_sim_pwr_clock_mhz,
	.temp_mc	= nvg_sim_pwr_temp_mc,
	.sensors	= nvg_sim_pwr_sensors,
	.thermal_reset	= nvg_sim_pwr_thermal_reset,
};
