/* SPDX-License-Identifier: (LGPL-2.1 OR MIT) */
/*
 * nvg.h - libnvg: the user-space side of nvghost.
 *
 * Thin wrappers over the ioctls (device, buffer objects, GPU address space,
 * channels, submission, fences), and in nvg_cmd.h the type-safe command
 * builder that encodes NVIDIA-format pushbuffers. Every function returns 0
 * or a negative errno; nothing prints.
 */
#ifndef _LIBNVG_NVG_H_
#define _LIBNVG_NVG_H_

#include <stddef.h>
#include <stdint.h>

#include "nvghost_drm.h"

/**
 * struct nvg_device - an open nvghost device
 * @fd: the DRM file (render node).
 * @chip_id: PMC_BOOT_0.
 * @nr_engines: engines on the device.
 * @next_va: where nvg_bo_bind() with va 0 places the next mapping.
 */
struct nvg_device {
	int fd;
	uint32_t chip_id;
	uint32_t nr_engines;
	uint64_t next_va;
};

/**
 * struct nvg_bo - a buffer object
 * @handle: GEM handle.
 * @size: bytes (page-rounded).
 * @placement: DRM_NVGHOST_PLACEMENT_*.
 * @map: CPU mapping, or NULL until nvg_bo_map().
 * @va: GPU virtual address, or 0 until nvg_bo_bind().
 */
struct nvg_bo {
	uint32_t handle;
	uint64_t size;
	uint32_t placement;
	void *map;
	uint64_t va;
};

int nvg_open(struct nvg_device *dev, const char *path);
void nvg_close(struct nvg_device *dev);
int nvg_get_param(struct nvg_device *dev, uint32_t param, uint32_t index,
		  uint64_t *value);

int nvg_bo_create(struct nvg_device *dev, uint64_t size, uint32_t placement,
		  struct nvg_bo *bo);
int nvg_bo_map(struct nvg_device *dev, struct nvg_bo *bo);
int nvg_bo_bind(struct nvg_device *dev, struct nvg_bo *bo, uint64_t va,
		uint32_t flags);
int nvg_bo_unbind(struct nvg_device *dev, struct nvg_bo *bo);
void nvg_bo_destroy(struct nvg_device *dev, struct nvg_bo *bo);

int nvg_ctx_create(struct nvg_device *dev, uint32_t engine_class,
		   uint32_t priority, uint32_t *ctx_id);
int nvg_ctx_destroy(struct nvg_device *dev, uint32_t ctx_id);

/**
 * struct nvg_submit_args - what nvg_submit() takes besides the channel
 * @entries: GPFIFO entries (nvg_gpfifo_entry_encode()).
 * @nr_entries: how many.
 * @in_syncs: syncobjs to wait for, or NULL.
 * @nr_in_syncs: how many.
 * @out_syncs: syncobjs to signal, or NULL.
 * @nr_out_syncs: how many.
 * @in_fence_fd: a sync_file to wait for, or -1.
 * @want_out_fence: return a sync_file of completion in *out_fence_fd.
 */
struct nvg_submit_args {
	const uint64_t *entries;
	uint32_t nr_entries;
	const struct drm_nvghost_sync *in_syncs;
	uint32_t nr_in_syncs;
	const struct drm_nvghost_sync *out_syncs;
	uint32_t nr_out_syncs;
	int in_fence_fd;
	int want_out_fence;
};

int nvg_submit(struct nvg_device *dev, uint32_t ctx_id,
	       const struct nvg_submit_args *args, int *out_fence_fd);
int nvg_fence_wait(int fence_fd, int timeout_ms);

#endif /* _LIBNVG_NVG_H_ */
