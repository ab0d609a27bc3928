// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_devfreq_dummy.ko - a devfreq device that is not nvghost's, for the
 * VM selftests only (14-power): a platform device "nvg-devfreq-dummy" with
 * two OPPs (100 and 200 MHz), an idle load and simple_ondemand. The
 * nvg_power_ops governor must refuse it (the devfreq core then keeps
 * simple_ondemand) instead of taking it for a GPU.
 *
 * Its driver data is deliberately left NULL: a governor that took any
 * device's parent for an nvghost GPU would dereference it.
 */
#include <linux/devfreq.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm_opp.h>

#define DUMMY_NAME	"nvg-devfreq-dummy"

static struct platform_device *dummy_pdev;
static struct devfreq *dummy_df;
static unsigned long dummy_freq = 100000000;

static int dummy_target(struct device *dev, unsigned long *freq, u32 flags)
{
	struct dev_pm_opp *opp = devfreq_recommended_opp(dev, freq, flags);

	if (IS_ERR(opp))
		return PTR_ERR(opp);
	dev_pm_opp_put(opp);
	dummy_freq = *freq;
	return 0;
}

static int dummy_get_dev_status(struct device *dev, struct devfreq_dev_status *s)
{
	s->current_frequency = dummy_freq;
	s->total_time = 1000;
	s->busy_time = 0;
	return 0;
}

static int dummy_get_cur_freq(struct device *dev, unsigned long *freq)
{
	*freq = dummy_freq;
	return 0;
}

static struct devfreq_dev_profile dummy_profile = {
	.initial_freq = 100000000,
	.polling_ms = 50,
	.target = dummy_target,
	.get_dev_status = dummy_get_dev_status,
	.get_cur_freq = dummy_get_cur_freq,
};

static int __init dummy_init(void)
{
	int ret;

	dummy_pdev = platform_device_register_simple(DUMMY_NAME, -1, NULL, 0);
	if (IS_ERR(dummy_pdev))
		return PTR_ERR(dummy_pdev);
	ret = dev_pm_opp_add(&dummy_pdev->dev, 100000000, 0);
	if (!ret)
		ret = dev_pm_opp_add(&dummy_pdev->dev, 200000000, 0);
	if (ret)
		goto err;
	dummy_df = devfreq_add_device(&dummy_pdev->dev, &dummy_profile,
				      DEVFREQ_GOV_SIMPLE_ONDEMAND, NULL);
	if (IS_ERR(dummy_df)) {
		ret = PTR_ERR(dummy_df);
		goto err;
	}
	return 0;

err:
	dev_pm_opp_remove_all_dynamic(&dummy_pdev->dev);
	platform_device_unregister(dummy_pdev);
	return ret;
}

static void __exit dummy_exit(void)
{
	devfreq_remove_device(dummy_df);
	dev_pm_opp_remove_all_dynamic(&dummy_pdev->dev);
	platform_device_unregister(dummy_pdev);
}

module_init(dummy_init);
module_exit(dummy_exit);
MODULE_DESCRIPTION("nvghost selftests: a devfreq device that is not a GPU");
MODULE_LICENSE("GPL");
