// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_hwmon.c - the GPU's sensors for hwmon (and so for `sensors`).
 *
 *   temp1_input   die temperature              (m degC)
 *   temp1_max     slowdown temperature
 *   temp1_crit    shutdown temperature
 *   power1_input  board power, last model step (uW)
 *   power1_cap    board power limit (TGP)      (uW, read-only)
 *   energy1_input energy since power-up        (uJ)
 *   in0_input     core voltage                 (mV)
 *   freq1_input   graphics clock               (Hz)
 *
 * Units are hwmon's (Documentation/hwmon/sysfs-interface.rst). hwmon has no
 * clock sensor type; freq1_input/freq1_label are extra attributes named as
 * amdgpu names its GPU clock, which `sensors` shows the same way.
 */
#include <linux/hwmon.h>
#include <linux/platform_device.h>
#include <linux/units.h>

#include "nvghost_drv.h"
#include "nvghost_power.h"

static umode_t nvg_hwmon_is_visible(const void *data,
				    enum hwmon_sensor_types type, u32 attr,
				    int channel)
{
	return 0444;
}

static int nvg_hwmon_read(struct device *dev, enum hwmon_sensor_types type,
			  u32 attr, int channel, long *val)
{
	struct nvg_device *ndev = dev_get_drvdata(dev);
	struct nvg_power *pw = &ndev->power;
	struct nvg_power_sample s;

	nvg_power_read(ndev, &s);
	switch (type) {
	case hwmon_temp:
		if (attr == hwmon_temp_input)
			*val = s.temp_mc;
		else if (attr == hwmon_temp_max)
			*val = pw->slowdown_mc;
		else if (attr == hwmon_temp_crit)
			*val = pw->shutdown_mc;
		else
			return -EOPNOTSUPP;
		return 0;
	case hwmon_power:
		if (attr == hwmon_power_input)
			*val = (long)s.power_mw * 1000;
		else if (attr == hwmon_power_cap)
			*val = (long)pw->limit_mw * 1000;
		else
			return -EOPNOTSUPP;
		return 0;
	case hwmon_energy:
		*val = s.energy_uj;
		return 0;
	case hwmon_in:
		*val = s.mv;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int nvg_hwmon_read_string(struct device *dev,
				 enum hwmon_sensor_types type, u32 attr,
				 int channel, const char **str)
{
	if (type != hwmon_in)
		return -EOPNOTSUPP;
	*str = "vddgfx";
	return 0;
}

static ssize_t freq1_input_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct nvg_device *ndev = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n",
			  (u64)nvg_hw_pwr_clock_mhz(&ndev->hal) * HZ_PER_MHZ);
}

static ssize_t freq1_label_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "gpc\n");
}

static DEVICE_ATTR_RO(freq1_input);
static DEVICE_ATTR_RO(freq1_label);

static struct attribute *nvg_hwmon_attrs[] = {
	&dev_attr_freq1_input.attr,
	&dev_attr_freq1_label.attr,
	NULL
};
ATTRIBUTE_GROUPS(nvg_hwmon);

static const struct hwmon_channel_info *const nvg_hwmon_info[] = {
	HWMON_CHANNEL_INFO(temp, HWMON_T_INPUT | HWMON_T_MAX | HWMON_T_CRIT),
	HWMON_CHANNEL_INFO(power, HWMON_P_INPUT | HWMON_P_CAP),
	HWMON_CHANNEL_INFO(energy, HWMON_E_INPUT),
	HWMON_CHANNEL_INFO(in, HWMON_I_INPUT | HWMON_I_LABEL),
	NULL
};

static const struct hwmon_ops nvg_hwmon_ops = {
	.is_visible	= nvg_hwmon_is_visible,
	.read		= nvg_hwmon_read,
	.read_string	= nvg_hwmon_read_string,
};

static const struct hwmon_chip_info nvg_hwmon_chip = {
	.ops	= &nvg_hwmon_ops,
	.info	= nvg_hwmon_info,
};

int nvg_hwmon_init(struct nvg_device *ndev)
{
	struct device *hw;

	hw = hwmon_device_register_with_info(&ndev->pdev->dev, "nvghost", ndev,
					     &nvg_hwmon_chip, nvg_hwmon_groups);
	if (IS_ERR(hw)) {
		drm_err(&ndev->drm, "hwmon: %ld\n", PTR_ERR(hw));
		return PTR_ERR(hw);
	}
	ndev->power.hwmon = hw;
	return 0;
}

void nvg_hwmon_fini(struct nvg_device *ndev)
{
	hwmon_device_unregister(ndev->power.hwmon);
	ndev->power.hwmon = NULL;
}
