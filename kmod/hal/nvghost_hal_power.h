/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_hal_power.h - p-states and sensors.
 *
 * The board's p-state table, the one the driver selects, and what the GPU
 * actually runs at, draws and how hot it is. On NVIDIA hardware this is
 * the PMU's and the thermal unit's (nvkm's clk, volt, therm, iccsense);
 * the simulator models it (nvghost_hal_sim_power.c).
 */
#ifndef _NVGHOST_HAL_POWER_H_
#define _NVGHOST_HAL_POWER_H_

#include <linux/bits.h>
#include <linux/types.h>

/**
 * struct nvg_hal_pstate - one entry of the board's p-state table
 * @mhz: graphics clock.
 * @mv: core voltage.
 */
struct nvg_hal_pstate {
	u32 mhz;
	u32 mv;
};

/**
 * struct nvg_hal_power_limits - the board's thermal and power limits
 * @slowdown_mc: temperature the hardware reports as slowdown (m degC).
 * @shutdown_mc: temperature at which its own protection holds the lowest
 *	p-state (m degC).
 * @limit_mw: board power limit.
 */
struct nvg_hal_power_limits {
	s32 slowdown_mc;
	s32 shutdown_mc;
	u32 limit_mw;
};

/* struct nvg_hal_sensors.status bits */
#define NVG_HAL_PWR_SLOWDOWN	BIT(0)	/* at or above the slowdown temperature */
#define NVG_HAL_PWR_PROTECTION	BIT(1)	/* protection holds the lowest p-state */

/**
 * struct nvg_hal_sensors - the GPU's clocks, power and temperature now
 * @pstate: the p-state selected.
 * @mhz: graphics clock it runs at (lower than the p-state's under
 *	protection).
 * @mv: core voltage.
 * @power_mw: board power.
 * @energy_uj: energy since power-up.
 * @temp_mc: die temperature, milli-degrees C.
 * @status: %NVG_HAL_PWR_SLOWDOWN, %NVG_HAL_PWR_PROTECTION.
 */
struct nvg_hal_sensors {
	u32 pstate;
	u32 mhz;
	u32 mv;
	u32 power_mw;
	u64 energy_uj;
	s32 temp_mc;
	u32 status;
};

/**
 * struct nvg_hal_power_funcs - p-states and sensors of a backend
 * @pstate_count: entries in the board's p-state table.
 * @pstate_info: entry @i.
 * @limits: the board's limits.
 * @pstate_set: select p-state @i.
 * @clock_mhz: the graphics clock now. Any context.
 * @temp_mc: the die temperature now. Any context.
 * @sensors: everything at once. Any context.
 * @thermal_reset: optional, a model's only (NULL on real hardware, whose
 *	heatsink cannot be told): put the die back at a freshly powered-up
 *	GPU's temperature (the air's), the energy and power integrated up to
 *	now first. The p-state stays. Any context.
 */
struct nvg_hal_power_funcs {
	u32 (*pstate_count)(struct nvg_hal *hal);
	void (*pstate_info)(struct nvg_hal *hal, u32 i, struct nvg_hal_pstate *p);
	void (*limits)(struct nvg_hal *hal, struct nvg_hal_power_limits *l);
	void (*pstate_set)(struct nvg_hal *hal, u32 i);
	u32 (*clock_mhz)(struct nvg_hal *hal);
	s32 (*temp_mc)(struct nvg_hal *hal);
	void (*sensors)(struct nvg_hal *hal, struct nvg_hal_sensors *s);
	void (*thermal_reset)(struct nvg_hal *hal);
};

static inline u32 nvg_hw_pwr_pstate_count(struct nvg_hal *hal)
{
	return hal->funcs->power->pstate_count(hal);
}

static inline void nvg_hw_pwr_pstate_info(struct nvg_hal *hal, u32 i,
					  struct nvg_hal_pstate *p)
{
	hal->funcs->power->pstate_info(hal, i, p);
}

static inline void nvg_hw_pwr_limits(struct nvg_hal *hal,
				     struct nvg_hal_power_limits *l)
{
	hal->funcs->power->limits(hal, l);
}

static inline void nvg_hw_pwr_pstate_set(struct nvg_hal *hal, u32 i)
{
	hal->funcs->power->pstate_set(hal, i);
}

static inline u32 nvg_hw_pwr_clock_mhz(struct nvg_hal *hal)
{
	return hal->funcs->power->clock_mhz(hal);
}

static inline s32 nvg_hw_pwr_temp_mc(struct nvg_hal *hal)
{
	return hal->funcs->power->temp_mc(hal);
}

static inline bool nvg_hw_pwr_can_thermal_reset(struct nvg_hal *hal)
{
	return hal->funcs->power->thermal_reset;
}

static inline void nvg_hw_pwr_thermal_reset(struct nvg_hal *hal)
{
	hal->funcs->power->thermal_reset(hal);
}

static inline void nvg_hw_pwr_sensors(struct nvg_hal *hal, struct nvg_hal_sensors *s)
{
	hal->funcs->power->sensors(hal, s);
}

#endif /* _NVGHOST_HAL_POWER_H_ */
