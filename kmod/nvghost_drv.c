// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: nvghost
 *
 * nvghost is a DRM driver whose policies are BPF programs. The module
 * creates one DRM device (card and render node) per simulated GPU, each
 * bound to a platform device "nvghost.N", and registers the struct_ops types
 * policies implement. The driver reaches the GPU only through the HAL
 * (hal/), whose default backend is the simulator in sim/.
 */
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_client.h>
#include <drm/drm_client_setup.h>
#include <drm/drm_fbdev_ttm.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_uvm.h"
#include "nvghost_job.h"
#include "nvghost_regs.h"
#include "nvghost_sched.h"
#include "nvghost_vm.h"
#include "../uapi/nvghost_drm.h"

static unsigned int num_gpus = 1;
module_param(num_gpus, uint, 0444);
MODULE_PARM_DESC(num_gpus, "Number of simulated GPUs (1-8, default 1)");

static char *chip = "ad102";
module_param(chip, charp, 0444);
MODULE_PARM_DESC(chip,
		 "Chip each GPU models, comma-separated per GPU, the last repeating: tu102, tu104, ga102, ga104, ad102, ad104 (default ad102)");

static unsigned int vram_mb;
module_param(vram_mb, uint, 0444);
MODULE_PARM_DESC(vram_mb, "Override the chip's VRAM size, in MiB (0 = the chip's)");

unsigned int nvg_job_timeout_ms = 2000;
module_param_named(job_timeout_ms, nvg_job_timeout_ms, uint, 0444);
MODULE_PARM_DESC(job_timeout_ms, "Time after which a running job counts as hung (default 2000)");

/* Set once module init is done: run-time writes of parameters start. */
static bool nvg_params_live;

/*
 * sched_watchdog_ms is writable at run time: 0 would eject every policy at
 * once, more than job_timeout_ms would let a policy stall work past the
 * hang timeout. At load, job_timeout_ms may come later on the command
 * line, so nvg_init() checks that bound then.
 */
static int nvg_watchdog_ms_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret;

	ret = kstrtouint(val, 0, &ms);
	if (ret)
		return ret;
	if (!ms || (READ_ONCE(nvg_params_live) && ms > nvg_job_timeout_ms))
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, ms);
	return 0;
}

static const struct kernel_param_ops nvg_watchdog_ms_ops = {
	.set = nvg_watchdog_ms_set,
	.get = param_get_uint,
};

unsigned int nvg_sched_watchdog_ms = 1000;
module_param_cb(sched_watchdog_ms, &nvg_watchdog_ms_ops, &nvg_sched_watchdog_ms, 0644);
MODULE_PARM_DESC(sched_watchdog_ms,
		 "Eject a scheduling policy that leaves a runnable job waiting longer than this (default 1000, 1..job_timeout_ms)");

/*
 * The submission fast path (docs/architecture.md, "Latency path"); 0 gives
 * the path through drm_sched's worker and the kick work, to compare with
 * (tests/vm/bench-fastpath.sh switches it at run time). Each job takes the
 * path in force when it is submitted.
 */
bool nvg_fast_path = true;
module_param_named(fast_path, nvg_fast_path, bool, 0644);
MODULE_PARM_DESC(fast_path,
		 "Submission fast path: a dependency-free job reaches the arbiter from SUBMIT, an idle engine starts at once, the completion interrupt signals the job's out-fence (default: 1)");

unsigned int nvg_sched_slice_us = NVG_SLICE_DFL_NS / 1000;
module_param_named(sched_slice_us, nvg_sched_slice_us, uint, 0644);
MODULE_PARM_DESC(sched_slice_us,
		 "Default timeslice, in us, for jobs a policy does not give one (default 5000, 100..10000000)");

/* The sched_slice_us parameter, kept within the allowed range. */
u64 nvg_default_slice_ns(void)
{
	return clamp_t(u64, (u64)READ_ONCE(nvg_sched_slice_us) * NSEC_PER_USEC,
		       NVG_SLICE_MIN_NS, NVG_SLICE_MAX_NS);
}

/* Protects nvg_devices and every device's context list. */
DEFINE_MUTEX(nvg_devices_lock);
LIST_HEAD(nvg_devices);

/* Each registered device by index, for kfuncs that name one (any context). */
struct nvg_device *nvg_devs_by_index[NVG_MAX_GPUS];

static struct platform_device *nvg_pdevs[NVG_MAX_GPUS];

static const struct drm_ioctl_desc nvg_ioctls[] = {
	DRM_IOCTL_DEF_DRV(NVGHOST_GET_PARAM, nvg_ioctl_get_param, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVGHOST_GEM_CREATE, nvg_ioctl_gem_create, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVGHOST_GEM_INFO, nvg_ioctl_gem_info, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVGHOST_VM_BIND, nvg_ioctl_vm_bind, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVGHOST_CTX_CREATE, nvg_ioctl_ctx_create, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVGHOST_CTX_DESTROY, nvg_ioctl_ctx_destroy, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(NVGHOST_SUBMIT, nvg_ioctl_submit, DRM_RENDER_ALLOW),
	/* Frame pacing is for the client that flips: the card node only. */
	DRM_IOCTL_DEF_DRV(NVGHOST_FRAME_WAIT, nvg_ioctl_frame_wait, 0),
	/* GET from any node; ADVANCE checks DRM master or CAP_SYS_ADMIN itself. */
	DRM_IOCTL_DEF_DRV(NVGHOST_CLOCK, nvg_ioctl_clock, DRM_RENDER_ALLOW),
};

static const struct file_operations nvg_fops = {
	.owner		= THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo	= drm_show_fdinfo,
};

static const struct drm_driver nvg_drm_driver = {
	.driver_features	= DRIVER_GEM | DRIVER_GEM_GPUVA | DRIVER_RENDER |
				  DRIVER_SYNCOBJ | DRIVER_SYNCOBJ_TIMELINE |
				  DRIVER_MODESET | DRIVER_ATOMIC,
	.open			= nvg_ctx_open,
	.postclose		= nvg_ctx_postclose,
	.show_fdinfo		= nvg_ctx_show_fdinfo,
	.gem_create_object	= nvg_gem_create_object,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
	.dumb_create		= nvg_gem_dumb_create,
	DRM_FBDEV_TTM_DRIVER_OPS,
	.ioctls			= nvg_ioctls,
	.num_ioctls		= ARRAY_SIZE(nvg_ioctls),
	.fops			= &nvg_fops,
	.name			= DRIVER_NAME,
	.desc			= DRIVER_DESC,
	.date			= DRIVER_DATE,
	.major			= DRIVER_MAJOR,
	.minor			= DRIVER_MINOR,
};

/* The chip= entry for GPU @index: its own, or the last one given. */
static int nvg_chip_param(unsigned int index, char *buf, size_t len)
{
	const char *p = chip, *end;
	unsigned int i;

	for (i = 0; i < index; i++) {
		end = strchr(p, ',');
		if (!end)
			break;
		p = end + 1;
	}
	end = strchrnul(p, ',');
	if (end - p == 0 || end - p >= len)
		return -EINVAL;
	memcpy(buf, p, end - p);
	buf[end - p] = '\0';
	return 0;
}

static void nvg_engines_probe(struct nvg_device *ndev)
{
	struct nvg_arbiter *arb = &ndev->arb;
	u32 i;

	arb->nr_engines = min_t(u32, nvg_hw_eng_count(&ndev->hal), NVG_MAX_ENGINES);
	for (i = 0; i < arb->nr_engines; i++)
		arb->engines[i].class_id = nvg_hw_eng_class(&ndev->hal, i);
}

/*
 * What open files, exported buffers and jobs still use lives as long as the
 * DRM device, not as long as the binding: the VRAM allocator, the
 * schedulers, the arbiter's state, the device's own context and the
 * backend's memory are released with the last reference to the DRM device
 * (drmm actions, run in the reverse order of their registration).
 */
static void nvg_hal_release(struct drm_device *drm, void *arg)
{
	nvg_hal_fini(&to_nvg_device(drm)->hal);
}

static void nvg_alarm_wq_release(struct drm_device *drm, void *arg)
{
	destroy_workqueue(to_nvg_device(drm)->alarm_wq);
}

static void nvg_vram_release(struct drm_device *drm, void *arg)
{
	nvg_vram_fini(to_nvg_device(drm));
}

static void nvg_dummy_page_release(struct drm_device *drm, void *arg)
{
	__free_page(to_nvg_device(drm)->dummy_page);
}

static void nvg_arbiter_release(struct drm_device *drm, void *arg)
{
	nvg_arbiter_fini(to_nvg_device(drm));
}

static void nvg_scheds_release(struct drm_device *drm, void *arg)
{
	nvg_scheds_fini(to_nvg_device(drm));
}

static void nvg_kctx_release(struct drm_device *drm, void *arg)
{
	nvg_ctx_destroy(to_nvg_device(drm)->kctx);
}

static int nvg_probe(struct platform_device *pdev)
{
	struct nvg_device *ndev;
	struct drm_device *drm;
	char name[16];
	int ret;

	ndev = devm_drm_dev_alloc(&pdev->dev, &nvg_drm_driver,
				  struct nvg_device, drm);
	if (IS_ERR(ndev))
		return PTR_ERR(ndev);
	drm = &ndev->drm;
	ndev->pdev = pdev;
	ndev->index = pdev->id;
	INIT_LIST_HEAD(&ndev->ctxs);
	INIT_LIST_HEAD(&ndev->clients);
	mutex_init(&ndev->clients_lock);
	platform_set_drvdata(pdev, ndev);

	ret = nvg_chip_param(ndev->index, name, sizeof(name));
	if (ret) {
		drm_err(drm, "bad chip= parameter '%s'\n", chip);
		return ret;
	}
	ret = nvg_clock_param(ndev->index, &ndev->vclock);
	if (ret)
		return ret;
	ret = nvg_hal_sim_init(&ndev->hal, &pdev->dev, name, vram_mb, ndev->index,
			       ndev->vclock);
	if (ret)
		return ret;
	ret = drmm_add_action_or_reset(drm, nvg_hal_release, NULL);
	if (ret)
		return ret;
	nvg_alarms_init(ndev);
	mutex_init(&ndev->clock_lock);
	ndev->alarm_wq = alloc_ordered_workqueue("nvghost-gpu%u-alarm", 0, ndev->index);
	if (!ndev->alarm_wq)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(drm, nvg_alarm_wq_release, NULL);
	if (ret)
		return ret;

	/* Identify the GPU as a driver for real hardware would: PMC_BOOT_0. */
	ndev->boot0 = nvg_rd32(&ndev->hal, NV_PMC_BOOT_0);
	ndev->chip = nvg_chip_by_boot0(ndev->boot0);
	if (!ndev->chip) {
		drm_err(drm, "unsupported chip, PMC_BOOT_0 0x%08x\n", ndev->boot0);
		return -ENODEV;
	}
	ndev->vram_size = nvg_vram_size(&ndev->hal);
	/* The GPU reaches system memory by DMA, 47 address bits as on Turing+. */
	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(47));
	if (ret)
		return ret;
	ret = nvg_vram_init(ndev);
	if (ret)
		return ret;
	ret = drmm_add_action_or_reset(drm, nvg_vram_release, NULL);
	if (ret)
		return ret;
	/* What a CPU mapping of VRAM shows once the device is gone. */
	ndev->dummy_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!ndev->dummy_page)
		return -ENOMEM;
	ret = drmm_add_action_or_reset(drm, nvg_dummy_page_release, NULL);
	if (ret)
		return ret;
	nvg_engines_probe(ndev);
	nvg_arbiter_init(ndev);
	ret = drmm_add_action_or_reset(drm, nvg_arbiter_release, NULL);
	if (ret)
		return ret;
	ret = nvg_scheds_init(ndev);
	if (ret)
		return ret;
	ret = drmm_add_action_or_reset(drm, nvg_scheds_release, NULL);
	if (ret)
		return ret;
	ndev->kctx = nvg_ctx_create(ndev, "nvghost-kernel", 0, 0, 0);
	if (IS_ERR(ndev->kctx))
		return PTR_ERR(ndev->kctx);
	ret = drmm_add_action_or_reset(drm, nvg_kctx_release, NULL);
	if (ret)
		return ret;

	ret = nvg_uvm_init(ndev);
	if (ret)
		return ret;
	ret = nvg_irq_init(ndev);
	if (ret)
		return ret;
	ret = nvg_power_init(ndev);
	if (ret)
		goto err_irq;
	ret = nvg_kms_init(ndev);
	if (ret)
		goto err_power;
	ret = nvg_sysfs_device_init(ndev);
	if (ret)
		goto err_kms;
	ret = drm_dev_register(drm, 0);
	if (ret)
		goto err_sysfs;

	nvg_debugfs_device_init(ndev);
	/*
	 * fbdev emulation: a console on the heads, over a dumb buffer the
	 * DRM client helpers blit a shadow copy into (drm_fbdev_ttm works
	 * with any GEM object that maps; VRAM objects are not shmem). It goes
	 * with drm_dev_unplug(). A device without heads has no console, and
	 * neither has one on a virtual clock: the console's commits block
	 * until a vblank, which only DRM_IOCTL_NVGHOST_CLOCK ADVANCE brings,
	 * and a replay's display belongs to the trace's clients.
	 */
	if (ndev->kms.nr_heads && !ndev->vclock) {
		drm_client_setup(drm, NULL);
		nvg_ctx_detach_internal(drm);
	}
	mutex_lock(&nvg_devices_lock);
	list_add_tail(&ndev->node, &nvg_devices);
	WRITE_ONCE(nvg_devs_by_index[ndev->index], ndev);
	mutex_unlock(&nvg_devices_lock);

	drm_info(drm, "GPU %u: %s (%s, PMC_BOOT_0 0x%08x), %llu MiB VRAM, %u engines, %u heads\n",
		 ndev->index, ndev->chip->name,
		 nvg_arch_name(nvg_boot0_arch(ndev->boot0)), ndev->boot0,
		 ndev->vram_size >> 20, ndev->arb.nr_engines, ndev->kms.nr_heads);
	return 0;

err_sysfs:
	nvg_sysfs_device_fini(ndev);
err_kms:
	nvg_kms_fini(ndev);
err_power:
	nvg_power_fini(ndev);
err_irq:
	nvg_irq_fini(ndev);
	return ret;
}

/* The hardware part of unplugging, between the arbiter's two steps. */
static void nvg_stop_hw(struct nvg_device *ndev)
{
	nvg_irq_fini(ndev);
	nvg_hal_stop(&ndev->hal);
}

/*
 * Unbind (or module unload): the device goes, whether or not files are
 * open, as on a hot unplug. DRM's rules (drm_dev_unplug()): from here on
 * every ioctl of an open file fails with -ENODEV, CPU mappings are torn
 * down (a VRAM page faulted in again shows a dummy page; system memory
 * stays), and the driver's own paths that reach the hardware run inside
 * drm_dev_enter()/drm_dev_exit(), which this waits for. Then the display
 * turns off (pending flips complete), the devfreq, thermal and hwmon
 * devices go, the hardware stops and every job still held ends with
 * -ENODEV. What open files still use stays until the last of them is
 * closed (the drmm actions of nvg_probe()).
 */
static void nvg_remove(struct platform_device *pdev)
{
	struct nvg_device *ndev = platform_get_drvdata(pdev);
	struct nvg_ctx_obj *ctx;

	mutex_lock(&nvg_devices_lock);
	list_del(&ndev->node);
	WRITE_ONCE(nvg_devs_by_index[ndev->index], NULL);
	mutex_unlock(&nvg_devices_lock);
	/* Policy ops (under RCU) that looked the device up are done with it. */
	synchronize_rcu();
	nvg_debugfs_device_fini(ndev);
	nvg_sysfs_device_fini(ndev);
	/*
	 * The fbdev console goes first, while its buffer can still be mapped:
	 * fbcon's last redraws blit into it, which fails (and the fbdev helper
	 * warns) once the device is unplugged. drm_dev_unplug() would do it
	 * too, but after marking the device unplugged.
	 */
	drm_client_dev_unregister(&ndev->drm);
	drm_dev_unplug(&ndev->drm);
	nvg_kms_fini(ndev);
	nvg_power_fini(ndev);
	nvg_arbiter_unplug(ndev, nvg_stop_hw);
	nvg_uvm_fini(ndev);
	/* For the scheduling policy the device's contexts are gone now. */
	mutex_lock(&nvg_devices_lock);
	list_for_each_entry(ctx, &ndev->ctxs, node)
		nvg_sched_ctx_exit(ctx);
	mutex_unlock(&nvg_devices_lock);
}

static struct platform_driver nvg_platform_driver = {
	.probe	= nvg_probe,
	.remove	= nvg_remove,
	.driver	= {
		.name = DRIVER_NAME,
	},
};

static void nvg_destroy_gpus(void)
{
	int i;

	for (i = NVG_MAX_GPUS - 1; i >= 0; i--) {
		if (nvg_pdevs[i])
			platform_device_unregister(nvg_pdevs[i]);
		nvg_pdevs[i] = NULL;
	}
}

static int __init nvg_init(void)
{
	unsigned int i;
	int ret;

	if (num_gpus < 1 || num_gpus > NVG_MAX_GPUS) {
		pr_err("nvghost: num_gpus must be 1..%d\n", NVG_MAX_GPUS);
		return -EINVAL;
	}
	if (nvg_num_heads > NVG_MAX_HEADS) {
		pr_err("nvghost: num_heads must be 0..%d\n", NVG_MAX_HEADS);
		return -EINVAL;
	}
	if (nvg_sched_watchdog_ms > nvg_job_timeout_ms) {
		pr_err("nvghost: sched_watchdog_ms (%u) may not exceed job_timeout_ms (%u)\n",
		       nvg_sched_watchdog_ms, nvg_job_timeout_ms);
		return -EINVAL;
	}
	for (i = 0; i < num_gpus; i++) {
		bool virt;

		if (nvg_clock_param(i, &virt))
			return -EINVAL;
	}

	ret = nvg_uvm_module_init();
	if (ret)
		return ret;
	nvg_debugfs_module_init();
	/* The power hook's devfreq governor, for users to switch to. */
	ret = nvg_power_gov_register();
	if (ret)
		goto err_debugfs;
	ret = platform_driver_register(&nvg_platform_driver);
	if (ret)
		goto err_gov;
	for (i = 0; i < num_gpus; i++) {
		struct platform_device *pdev;

		pdev = platform_device_register_simple(DRIVER_NAME, i, NULL, 0);
		if (IS_ERR(pdev)) {
			ret = PTR_ERR(pdev);
			goto err_gpus;
		}
		nvg_pdevs[i] = pdev;
		/* Probe ran synchronously; no driver bound means it failed. */
		if (!pdev->dev.driver) {
			ret = -ENODEV;
			goto err_gpus;
		}
	}
	/* Register the hooks last: a policy may attach as soon as they exist. */
	ret = nvg_bpf_register();
	if (ret)
		goto err_gpus;
	/* The hooks are initialised now; no policy can attach before we return. */
	ret = nvg_sysfs_module_init();
	if (ret)
		goto err_gpus;
	WRITE_ONCE(nvg_params_live, true);
	return 0;

err_gpus:
	platform_driver_unregister(&nvg_platform_driver);
	nvg_destroy_gpus();
err_gov:
	nvg_power_gov_unregister();
err_debugfs:
	nvg_debugfs_module_fini();
	nvg_uvm_module_fini();
	return ret;
}

static void __exit nvg_exit(void)
{
	nvg_sysfs_module_fini();
	nvg_bpf_unregister();
	/*
	 * Unbind before the devices go: device_del() drops a device's PM QoS
	 * requests before it unbinds, and devfreq's cooling device still
	 * owns one when remove runs.
	 */
	platform_driver_unregister(&nvg_platform_driver);
	nvg_destroy_gpus();
	nvg_power_gov_unregister();
	nvg_debugfs_module_fini();
	/* Managed buffers freed last give their VRAM back from there. */
	nvg_uvm_module_fini();
	/* The last fence's release callback may still be running (nvghost_job.c). */
	rcu_barrier();
}

module_init(nvg_init);
module_exit(nvg_exit);

/* devfreq loads the governor on demand; say so for initramfs tools. */
MODULE_SOFTDEP("pre: governor_simpleondemand");
MODULE_AUTHOR("The nvghost developers");
MODULE_DESCRIPTION(DRIVER_DESC);
MODULE_LICENSE("GPL");
