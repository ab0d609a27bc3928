// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_param.c - DRM_IOCTL_NVGHOST_GET_PARAM: feature and identity
 * discovery.
 */
#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_regs.h"
#include "../uapi/nvghost_drm.h"

/*
 * PTIMER is two 32-bit registers; read high, low, high again until the high
 * word is stable, so a carry between the reads cannot tear the value (the
 * same loop as nouveau's nv04_timer_read()).
 */
u64 nvg_ptimer_read(struct nvg_device *ndev)
{
	u32 hi, lo;

	do {
		hi = nvg_rd32(&ndev->hal, NV_PTIMER_TIME_1);
		lo = nvg_rd32(&ndev->hal, NV_PTIMER_TIME_0);
	} while (hi != nvg_rd32(&ndev->hal, NV_PTIMER_TIME_1));
	return ((u64)hi << 32) | lo;
}

/**
 * nvg_ioctl_get_param() - return one device parameter
 * @drm: the device.
 * @data: a &struct drm_nvghost_get_param.
 * @file: the caller's file.
 *
 * Every input field is checked: flags and pad must be zero, the parameter
 * must be known, and only indexed parameters may carry an index.
 *
 * Return: 0, -EINVAL for any malformed request, -ENODEV once the device is
 * unplugged.
 */
int nvg_ioctl_get_param(struct drm_device *drm, void *data,
			struct drm_file *file)
{
	struct nvg_device *ndev = to_nvg_device(drm);
	struct drm_nvghost_get_param *args = data;
	int idx;

	if (args->flags) {
		drm_dbg_driver(drm, "get_param: flags 0x%x must be 0\n", args->flags);
		return -EINVAL;
	}
	if (args->pad) {
		drm_dbg_driver(drm, "get_param: pad must be 0\n");
		return -EINVAL;
	}
	if (args->index && args->param != DRM_NVGHOST_PARAM_ENGINE_CLASS) {
		drm_dbg_driver(drm, "get_param: param %u takes no index\n", args->param);
		return -EINVAL;
	}

	switch (args->param) {
	case DRM_NVGHOST_PARAM_CHIP_ID:
		args->value = ndev->boot0;
		break;
	case DRM_NVGHOST_PARAM_ARCH:
		args->value = nvg_boot0_arch(ndev->boot0);
		break;
	case DRM_NVGHOST_PARAM_IMPL:
		args->value = nvg_boot0_impl(ndev->boot0);
		break;
	case DRM_NVGHOST_PARAM_VRAM_SIZE:
		args->value = ndev->vram_size;
		break;
	case DRM_NVGHOST_PARAM_ENGINE_COUNT:
		args->value = ndev->arb.nr_engines;
		break;
	case DRM_NVGHOST_PARAM_PTIMER_NS:
		/* A register: only while the device is there. */
		if (!drm_dev_enter(drm, &idx))
			return -ENODEV;
		args->value = nvg_ptimer_read(ndev);
		drm_dev_exit(idx);
		break;
	case DRM_NVGHOST_PARAM_ENGINE_CLASS:
		if (args->index >= ndev->arb.nr_engines) {
			drm_dbg_driver(drm, "get_param: no engine %u\n", args->index);
			return -EINVAL;
		}
		args->value = ndev->arb.engines[args->index].class_id;
		break;
	default:
		drm_dbg_driver(drm, "get_param: unknown param %u\n", args->param);
		return -EINVAL;
	}
	return 0;
}
