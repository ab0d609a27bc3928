/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_power.h - clocks, power and temperature: the driver's side.
 *
 *   nvghost_power.c    p-state table, the utilisation sample, devfreq
 *   nvghost_thermal.c  thermal zone and its devfreq cooling device
 *   nvghost_hwmon.c    hwmon sensors
 *
 * Which p-state the GPU runs at is decided in one place: the devfreq
 * governor, each polling period, from nvg_power_sample() (through devfreq's
 * get_dev_status). The built-in default is simple_ondemand; a governor that
 * wants more than utilisation (temperature, power, per-client busy time from
 * &nvg_device.clients) reads the same sample.
 */
#ifndef _NVGHOST_POWER_H_
#define _NVGHOST_POWER_H_

#include <linux/devfreq.h>
#include <linux/spinlock.h>
#include <linux/thermal.h>

#include "nvghost_power_ops.h"
#include <linux/types.h>

#include "nvghost_chip.h"

struct devfreq;
struct nvg_device;
struct seq_file;

/**
 * struct nvg_power_sample - the GPU over one sampling period
 * @total_ns: length of the period (PTIMER).
 * @busy_ns: per engine, time it was busy within the period.
 * @pstate: p-state index it runs at now.
 * @mhz: graphics clock now (lower than the p-state's under the hardware's
 *	own overtemperature protection).
 * @mv: core voltage now.
 * @power_mw: board power.
 * @energy_uj: energy counter.
 * @temp_mc: die temperature, milli-degrees C.
 * @status: %NVG_HAL_PWR_SLOWDOWN, %NVG_HAL_PWR_PROTECTION.
 */
struct nvg_power_sample {
	u64 total_ns;
	u64 busy_ns[NVG_MAX_ENGINES];
	u32 pstate;
	u32 mhz;
	u32 mv;
	u32 power_mw;
	u64 energy_uj;
	s32 temp_mc;
	u32 status;
};

/**
 * struct nvg_power - one GPU's power management
 * @nr_pstates: p-states the board has.
 * @pstates: their clocks and voltages, read from the GPU at probe.
 * @slowdown_mc: the hardware's slowdown temperature.
 * @shutdown_mc: its shutdown temperature.
 * @limit_mw: its power limit.
 * @lock: protects the sample baseline below.
 * @last_ns: PTIMER time of the previous sample.
 * @last_busy_ns: per engine, busy time at the previous sample.
 * @profile: what devfreq knows of the device.
 * @ondemand: simple_ondemand's thresholds.
 * @devfreq: the GPU's devfreq device.
 * @cooling: devfreq cooling device the thermal zone throttles with.
 * @trips: passive trip at the slowdown temperature, critical at shutdown.
 * @tz: the GPU's thermal zone.
 * @hwmon: its hwmon device.
 */
struct nvg_power {
	u32 nr_pstates;
	struct nvg_pstate pstates[NVG_MAX_PSTATES];
	s32 slowdown_mc;
	s32 shutdown_mc;
	u32 limit_mw;

	spinlock_t lock; /* sample baseline */
	u64 last_ns;
	u64 last_busy_ns[NVG_MAX_ENGINES];

	struct devfreq_dev_profile profile;
	struct devfreq_simple_ondemand_data ondemand;
	struct devfreq *devfreq;
	/*
	 * What the governor tells the power policy each period: over a KiB,
	 * too much for the stack; devfreq's lock serialises its use.
	 */
	struct nvg_power_period period;
	struct thermal_cooling_device *cooling;
	struct thermal_trip trips[2];
	struct thermal_zone_device *tz;
	struct device *hwmon;
};

/* nvghost_power.c */
int nvg_power_init(struct nvg_device *ndev);
void nvg_power_fini(struct nvg_device *ndev);
void nvg_power_read(struct nvg_device *ndev, struct nvg_power_sample *s);
void nvg_power_sample(struct nvg_device *ndev, struct nvg_power_sample *s);
int nvg_power_show(struct nvg_device *ndev, struct seq_file *m);
int nvg_power_thermal_reset(struct nvg_device *ndev);
struct nvg_device *nvg_power_devfreq_owner(struct devfreq *df);

/* nvghost_power_gov.c */
int nvg_power_gov_register(void);
void nvg_power_gov_unregister(void);

/* nvghost_thermal.c */
int nvg_thermal_init(struct nvg_device *ndev);
void nvg_thermal_fini(struct nvg_device *ndev);

/* nvghost_hwmon.c */
int nvg_hwmon_init(struct nvg_device *ndev);
void nvg_hwmon_fini(struct nvg_device *ndev);

#endif /* _NVGHOST_POWER_H_ */
