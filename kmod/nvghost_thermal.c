// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_thermal.c - the GPU as a thermal zone, throttled through devfreq.
 *
 * The zone (type "nvghost-gpuN") reads the die temperature from the GPU and
 * has two trips from the board's design: passive at the slowdown
 * temperature, critical at the shutdown temperature. The devfreq device's
 * cooling device (devfreq_cooling_register(): no device tree here, so not
 * the of_ variant) is bound to the passive trip only, so the kernel's
 * thermal governor (step_wise by default) caps the GPU's frequency through
 * a PM QoS request when it runs hot, whatever devfreq's governor or
 * userspace asked for.
 *
 * The GPU has no thermal interrupt: the zone polls, faster while passive
 * cooling is active.
 */
#include <linux/devfreq_cooling.h>
#include <linux/thermal.h>

#include "nvghost_drv.h"
#include "nvghost_power.h"

#define NVG_THERMAL_POLL_MS		500
#define NVG_THERMAL_PASSIVE_POLL_MS	100
/* The passive trip lets go this far below it, so throttling does not flap. */
#define NVG_THERMAL_HYST_MC		2000

static int nvg_thermal_get_temp(struct thermal_zone_device *tz, int *temp)
{
	struct nvg_device *ndev = thermal_zone_device_priv(tz);

	*temp = nvg_hw_pwr_temp_mc(&ndev->hal);
	return 0;
}

static bool nvg_thermal_should_bind(struct thermal_zone_device *tz,
				    const struct thermal_trip *trip,
				    struct thermal_cooling_device *cdev,
				    struct cooling_spec *c)
{
	struct nvg_device *ndev = thermal_zone_device_priv(tz);

	return cdev == ndev->power.cooling && trip->type == THERMAL_TRIP_PASSIVE;
}

/*
 * The default for a critical trip is to power the machine off. A GPU's
 * own protection (NVG_HAL_PWR_PROTECTION) already holds its clock
 * down, and the host is not what is overheating: say so and stay up.
 */
static void nvg_thermal_critical(struct thermal_zone_device *tz)
{
	struct nvg_device *ndev = thermal_zone_device_priv(tz);

	drm_err(&ndev->drm, "GPU %u at its shutdown temperature: hardware protection holds the lowest p-state\n",
		ndev->index);
}

static const struct thermal_zone_device_ops nvg_thermal_ops = {
	.get_temp	= nvg_thermal_get_temp,
	.should_bind	= nvg_thermal_should_bind,
	.critical	= nvg_thermal_critical,
};

/* Our own hwmon device reports the temperature; the zone need not. */
static const struct thermal_zone_params nvg_thermal_params = {
	.no_hwmon	= true,
};

int nvg_thermal_init(struct nvg_device *ndev)
{
	struct nvg_power *pw = &ndev->power;
	char type[THERMAL_NAME_LENGTH];
	int passive_ms, poll_ms;
	int ret;

	pw->cooling = devfreq_cooling_register(pw->devfreq);
	if (IS_ERR(pw->cooling)) {
		ret = PTR_ERR(pw->cooling);
		pw->cooling = NULL;
		drm_err(&ndev->drm, "devfreq cooling device: %d\n", ret);
		return ret;
	}

	pw->trips[0] = (struct thermal_trip) {
		.temperature = pw->slowdown_mc,
		.hysteresis = NVG_THERMAL_HYST_MC,
		.type = THERMAL_TRIP_PASSIVE,
	};
	pw->trips[1] = (struct thermal_trip) {
		.temperature = pw->shutdown_mc,
		.type = THERMAL_TRIP_CRITICAL,
	};
	snprintf(type, sizeof(type), "nvghost-gpu%u", ndev->index);
	/* Virtual clock: no polling on the host's clock; nvghost_clock.c samples. */
	passive_ms = ndev->vclock ? 0 : NVG_THERMAL_PASSIVE_POLL_MS;
	poll_ms = ndev->vclock ? 0 : NVG_THERMAL_POLL_MS;
	pw->tz = thermal_zone_device_register_with_trips(type, pw->trips,
							 ARRAY_SIZE(pw->trips),
							 ndev, &nvg_thermal_ops,
							 &nvg_thermal_params,
							 passive_ms, poll_ms);
	if (IS_ERR(pw->tz)) {
		ret = PTR_ERR(pw->tz);
		pw->tz = NULL;
		drm_err(&ndev->drm, "thermal zone: %d\n", ret);
		goto err_cooling;
	}
	ret = thermal_zone_device_enable(pw->tz);
	if (ret)
		goto err_tz;
	return 0;

err_tz:
	thermal_zone_device_unregister(pw->tz);
	pw->tz = NULL;
err_cooling:
	devfreq_cooling_unregister(pw->cooling);
	pw->cooling = NULL;
	return ret;
}

/* The zone first: it must stop polling before its cooling device goes. */
void nvg_thermal_fini(struct nvg_device *ndev)
{
	struct nvg_power *pw = &ndev->power;

	thermal_zone_device_unregister(pw->tz);
	pw->tz = NULL;
	devfreq_cooling_unregister(pw->cooling);
	pw->cooling = NULL;
}
