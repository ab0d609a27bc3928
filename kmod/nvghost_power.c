// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_power.c - the GPU's p-states as a devfreq device.
 *
 * At probe the driver reads the board's p-state table from the GPU
 * (nvg_hw_pwr_pstate_info()) and makes each entry an OPP, then registers a
 * devfreq device with the simple_ondemand governor, as panfrost does:
 * every polling period devfreq asks for a sample (get_dev_status, from the
 * engines' busy counters) and the governor picks a frequency, which target()
 * turns into a p-state write. Userspace limits it through devfreq's
 * min_freq/max_freq, and the thermal framework through the devfreq cooling
 * device (nvghost_thermal.c).
 *
 * Utilisation is the compute engine's: only compute work runs on the
 * graphics clock (copies are bandwidth-bound, nvg_sim_exec.c), so a
 * copy-only load has nothing to gain from a higher p-state.
 */
#include <linux/devfreq.h>
#include <linux/platform_device.h>
#include <linux/pm_opp.h>
#include <linux/seq_file.h>
#include <linux/units.h>

#include "nvghost_drv.h"
#include "nvghost_power.h"

/* ~3 frames at 60 Hz, as panfrost polls. */
#define NVG_DEVFREQ_POLL_MS	50

/**
 * nvg_power_read() - the GPU's clocks, power and temperature now
 * @ndev: the device.
 * @s: filled in, except the per-period fields (@total_ns, @busy_ns).
 */
void nvg_power_read(struct nvg_device *ndev, struct nvg_power_sample *s)
{
	struct nvg_hal_sensors hw;

	nvg_hw_pwr_sensors(&ndev->hal, &hw);
	s->pstate = hw.pstate;
	s->mhz = hw.mhz;
	s->mv = hw.mv;
	s->power_mw = hw.power_mw;
	s->energy_uj = hw.energy_uj;
	s->temp_mc = hw.temp_mc;
	s->status = hw.status;
}

/**
 * nvg_power_sample() - the GPU over the period since the previous sample
 * @ndev: the device.
 * @s: filled in.
 *
 * The one source of what a p-state decision is made from: devfreq's
 * get_dev_status calls it each polling period, and a governor that replaces
 * simple_ondemand reads the same. Each call starts a new period.
 */
void nvg_power_sample(struct nvg_device *ndev, struct nvg_power_sample *s)
{
	struct nvg_power *pw = &ndev->power;
	unsigned long flags;
	u64 now, busy;
	u32 i;

	nvg_power_read(ndev, s);
	spin_lock_irqsave(&pw->lock, flags);
	now = nvg_ptimer_read(ndev);
	s->total_ns = now - pw->last_ns;
	pw->last_ns = now;
	for (i = 0; i < ndev->arb.nr_engines; i++) {
		busy = nvg_hw_eng_busy_ns(&ndev->hal, i);
		s->busy_ns[i] = min(busy - pw->last_busy_ns[i], s->total_ns);
		pw->last_busy_ns[i] = busy;
	}
	spin_unlock_irqrestore(&pw->lock, flags);
}

static int nvg_devfreq_target(struct device *dev, unsigned long *freq, u32 flags)
{
	struct nvg_device *ndev = dev_get_drvdata(dev);
	struct nvg_power *pw = &ndev->power;
	struct dev_pm_opp *opp;
	u32 i;

	opp = devfreq_recommended_opp(dev, freq, flags);
	if (IS_ERR(opp))
		return PTR_ERR(opp);
	dev_pm_opp_put(opp);
	for (i = 0; i < pw->nr_pstates; i++) {
		if ((u64)pw->pstates[i].mhz * HZ_PER_MHZ == *freq) {
			nvg_hw_pwr_pstate_set(&ndev->hal, i);
			return 0;
		}
	}
	return -EINVAL;
}

static int nvg_devfreq_get_dev_status(struct device *dev,
				      struct devfreq_dev_status *status)
{
	struct nvg_device *ndev = dev_get_drvdata(dev);
	struct nvg_power_sample s;

	nvg_power_sample(ndev, &s);
	status->current_frequency = (unsigned long)s.mhz * HZ_PER_MHZ;
	status->total_time = s.total_ns;
	status->busy_time = s.busy_ns[0];
	return 0;
}

/**
 * nvg_power_devfreq_owner() - the GPU a devfreq device belongs to
 * @df: any devfreq device.
 *
 * Tells nvghost's devfreq devices from others by their profile's
 * callbacks, without touching a foreign device's driver data.
 *
 * Return: the nvghost device, or NULL if @df is not one of ours.
 */
struct nvg_device *nvg_power_devfreq_owner(struct devfreq *df)
{
	if (!df->profile || df->profile->get_dev_status != nvg_devfreq_get_dev_status)
		return NULL;
	return container_of(df->profile, struct nvg_device, power.profile);
}

/* What the GPU runs at: below the request under overtemperature protection. */
static int nvg_devfreq_get_cur_freq(struct device *dev, unsigned long *freq)
{
	struct nvg_device *ndev = dev_get_drvdata(dev);

	*freq = (unsigned long)nvg_hw_pwr_clock_mhz(&ndev->hal) * HZ_PER_MHZ;
	return 0;
}

/* The p-state ladder and thermal limits, as the GPU reports them. */
static int nvg_power_probe(struct nvg_device *ndev)
{
	struct nvg_power *pw = &ndev->power;
	struct nvg_hal *hal = &ndev->hal;
	struct nvg_hal_power_limits lim;
	struct nvg_hal_pstate ps;
	u32 i;

	pw->nr_pstates = nvg_hw_pwr_pstate_count(hal);
	if (!pw->nr_pstates || pw->nr_pstates > NVG_MAX_PSTATES) {
		drm_err(&ndev->drm, "bad p-state count %u\n", pw->nr_pstates);
		return -ENODEV;
	}
	for (i = 0; i < pw->nr_pstates; i++) {
		nvg_hw_pwr_pstate_info(hal, i, &ps);
		pw->pstates[i].mhz = ps.mhz;
		pw->pstates[i].mv = ps.mv;
	}
	nvg_hw_pwr_limits(hal, &lim);
	pw->slowdown_mc = lim.slowdown_mc;
	pw->shutdown_mc = lim.shutdown_mc;
	pw->limit_mw = lim.limit_mw;
	return 0;
}

static int nvg_devfreq_init(struct nvg_device *ndev)
{
	struct device *dev = &ndev->pdev->dev;
	struct nvg_power *pw = &ndev->power;
	struct devfreq_dev_profile *p = &pw->profile;
	u32 i;
	int ret;

	for (i = 0; i < pw->nr_pstates; i++) {
		ret = dev_pm_opp_add(dev, (unsigned long)pw->pstates[i].mhz * HZ_PER_MHZ,
				     (unsigned long)pw->pstates[i].mv * 1000);
		if (ret)
			goto err_opp;
	}

	p->timer = DEVFREQ_TIMER_DELAYED;
	/* Virtual clock: sampled by a device alarm instead (nvghost_clock.c). */
	p->polling_ms = ndev->vclock ? 0 : NVG_DEVFREQ_POLL_MS;
	p->initial_freq = (unsigned long)nvg_hw_pwr_clock_mhz(&ndev->hal) * HZ_PER_MHZ;
	p->target = nvg_devfreq_target;
	p->get_dev_status = nvg_devfreq_get_dev_status;
	p->get_cur_freq = nvg_devfreq_get_cur_freq;
	/* panfrost's thresholds: full speed as soon as the GPU is half busy. */
	pw->ondemand.upthreshold = 45;
	pw->ondemand.downdifferential = 5;

	pw->devfreq = devfreq_add_device(dev, p, DEVFREQ_GOV_SIMPLE_ONDEMAND,
					 &pw->ondemand);
	if (IS_ERR(pw->devfreq)) {
		ret = PTR_ERR(pw->devfreq);
		pw->devfreq = NULL;
		drm_err(&ndev->drm, "devfreq: %d\n", ret);
		goto err_opp;
	}
	return 0;

err_opp:
	dev_pm_opp_remove_all_dynamic(dev);
	return ret;
}

static void nvg_devfreq_fini(struct nvg_device *ndev)
{
	devfreq_remove_device(ndev->power.devfreq);
	ndev->power.devfreq = NULL;
	dev_pm_opp_remove_all_dynamic(&ndev->pdev->dev);
}

/**
 * nvg_power_init() - devfreq, thermal zone and hwmon for a GPU
 * @ndev: the device, its engines probed.
 *
 * Return: 0 or a negative errno.
 */
int nvg_power_init(struct nvg_device *ndev)
{
	struct nvg_power *pw = &ndev->power;
	int ret;

	spin_lock_init(&pw->lock);
	pw->last_ns = nvg_ptimer_read(ndev);
	ret = nvg_power_probe(ndev);
	if (ret)
		return ret;
	ret = nvg_devfreq_init(ndev);
	if (ret)
		return ret;
	ret = nvg_thermal_init(ndev);
	if (ret)
		goto err_devfreq;
	ret = nvg_hwmon_init(ndev);
	if (ret)
		goto err_thermal;
	nvg_clock_power_start(ndev);
	return 0;

err_thermal:
	nvg_thermal_fini(ndev);
err_devfreq:
	nvg_devfreq_fini(ndev);
	return ret;
}

/* Reverse order: nothing may poll the GPU once the HAL goes. */
void nvg_power_fini(struct nvg_device *ndev)
{
	nvg_clock_power_stop(ndev);
	nvg_hwmon_fini(ndev);
	nvg_thermal_fini(ndev);
	nvg_devfreq_fini(ndev);
}

/**
 * nvg_power_thermal_reset() - the GPU's die back at a fresh device's
 *	temperature (DRM_NVGHOST_CLOCK_THERMAL_RESET)
 * @ndev: the device.
 *
 * Virtual mode only, and only while the GPU is idle: so that a replay can
 * start from where one on a freshly loaded module would, without a reload.
 * The device clock, the energy counter and the p-state (the governor's)
 * stay as they are.
 *
 * Return: 0; -EOPNOTSUPP in live mode (the heatsink follows wall time, no
 * one may reset it) or on a backend that cannot; -EBUSY if a job is queued
 * or running.
 */
int nvg_power_thermal_reset(struct nvg_device *ndev)
{
	if (!ndev->vclock || !nvg_hw_pwr_can_thermal_reset(&ndev->hal))
		return -EOPNOTSUPP;
	if (!nvg_arbiter_idle(ndev))
		return -EBUSY;
	nvg_hw_pwr_thermal_reset(&ndev->hal);
	return 0;
}

/* debugfs gpuN/power */
int nvg_power_show(struct nvg_device *ndev, struct seq_file *m)
{
	struct nvg_power *pw = &ndev->power;
	struct nvg_power_sample s;
	u32 i, st;

	nvg_power_read(ndev, &s);
	seq_printf(m, "pstate: %u\n", s.pstate);
	seq_printf(m, "clock_mhz: %u\n", s.mhz);
	seq_printf(m, "voltage_mv: %u\n", s.mv);
	seq_printf(m, "power_mw: %u\n", s.power_mw);
	seq_printf(m, "power_limit_mw: %u\n", pw->limit_mw);
	seq_printf(m, "energy_uj: %llu\n", s.energy_uj);
	seq_printf(m, "temp_mc: %d\n", s.temp_mc);
	seq_printf(m, "slowdown_mc: %d\n", pw->slowdown_mc);
	seq_printf(m, "shutdown_mc: %d\n", pw->shutdown_mc);
	seq_printf(m, "slowdown: %u\n", !!(s.status & NVG_HAL_PWR_SLOWDOWN));
	seq_printf(m, "protection: %u\n", !!(s.status & NVG_HAL_PWR_PROTECTION));
	if (nvg_hw_can_inject(&ndev->hal))
		seq_printf(m, "heat_inject_mc: %d\n", nvg_hw_injected_heat(&ndev->hal));
	for (i = 0; i < pw->nr_pstates; i++)
		seq_printf(m, "pstate %u: %u MHz %u mV\n", i, pw->pstates[i].mhz,
			   pw->pstates[i].mv);
	for (i = 0; i < ndev->arb.nr_engines; i++) {
		st = nvg_hw_eng_status(&ndev->hal, i);
		seq_printf(m, "engine %u: busy_ns %llu %s\n", i,
			   nvg_hw_eng_busy_ns(&ndev->hal, i),
			   st & NVG_HAL_ENG_BUSY ? "busy" :
			   st & NVG_HAL_ENG_GATED ? "gated" : "idle");
	}
	return 0;
}
