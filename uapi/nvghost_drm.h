/* SPDX-License-Identifier: MIT */
/*
 * nvghost_drm.h - user-space interface of the nvghost DRM driver.
 *
 * Conventions (Documentation/process/botching-up-ioctls.rst): only fixed-size
 * types, explicit padding that the kernel checks to be zero, every struct a
 * multiple of 8 bytes, pointers passed as __u64, unknown flags and parameters
 * rejected with -EINVAL. Features are discovered through GET_PARAM, not
 * through version numbers.
 */
#ifndef _NVGHOST_DRM_H_
#define _NVGHOST_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_NVGHOST_GET_PARAM		0x00

#define DRM_IOCTL_NVGHOST_GET_PARAM	DRM_IOWR(DRM_COMMAND_BASE + DRM_NVGHOST_GET_PARAM, \
						 struct drm_nvghost_get_param)

/**
 * enum drm_nvghost_param - what DRM_IOCTL_NVGHOST_GET_PARAM can return
 *
 * @DRM_NVGHOST_PARAM_CHIP_ID: the raw PMC_BOOT_0 register (architecture,
 *	implementation and revision fields, NVIDIA's layout).
 * @DRM_NVGHOST_PARAM_ARCH: architecture, PMC_BOOT_0 bits 28:24
 *	(0x16 Turing, 0x17 Ampere, 0x19 Ada).
 * @DRM_NVGHOST_PARAM_IMPL: implementation, PMC_BOOT_0 bits 23:20
 *	(e.g. 2 for TU102/GA102/AD102).
 * @DRM_NVGHOST_PARAM_VRAM_SIZE: video memory in bytes.
 * @DRM_NVGHOST_PARAM_ENGINE_COUNT: number of engines work can run on.
 * @DRM_NVGHOST_PARAM_PTIMER_NS: the GPU's PTIMER, in nanoseconds.
 * @DRM_NVGHOST_PARAM_ENGINE_CLASS: the class id (e.g. 0xc7b5 for
 *	AMPERE_DMA_COPY_B) of engine number @index.
 *
 * Only @DRM_NVGHOST_PARAM_ENGINE_CLASS takes an index; the others require
 * index == 0.
 */
enum drm_nvghost_param {
	DRM_NVGHOST_PARAM_CHIP_ID = 0,
	DRM_NVGHOST_PARAM_ARCH = 1,
	DRM_NVGHOST_PARAM_IMPL = 2,
	DRM_NVGHOST_PARAM_VRAM_SIZE = 3,
	DRM_NVGHOST_PARAM_ENGINE_COUNT = 4,
	DRM_NVGHOST_PARAM_PTIMER_NS = 5,
	DRM_NVGHOST_PARAM_ENGINE_CLASS = 6,
};

/**
 * struct drm_nvghost_get_param - query a device parameter
 * @param: in, one of &enum drm_nvghost_param.
 * @flags: in, must be zero (no flags are defined yet).
 * @value: out, the parameter's value.
 * @index: in, the engine number for indexed parameters, otherwise zero.
 * @pad: must be zero.
 */
struct drm_nvghost_get_param {
	__u32 param;
	__u32 flags;
	__u64 value;
	__u32 index;
	__u32 pad;
};

#if defined(__cplusplus)
}
#endif

#endif /* _NVGHOST_DRM_H_ */
