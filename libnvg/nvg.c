// SPDX-License-Identifier: (LGPL-2.1 OR MIT)
/*
 * nvg.c - libnvg's ioctl wrappers. See nvg.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "nvg.h"

static int nvg_ioctl(struct nvg_device *dev, unsigned long req, void *arg)
{
	return drmIoctl(dev->fd, req, arg) ? -errno : 0;
}

static int nvg_is_nvghost(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	int yes = v && !strcmp(v->name, "nvghost");

	drmFreeVersion(v);
	return yes;
}

/**
 * nvg_open() - open an nvghost device
 * @dev: filled in.
 * @path: a render node, or NULL for the first nvghost render node.
 *
 * Return: 0, -ENODEV if no (such) nvghost device, or the open's -errno.
 */
int nvg_open(struct nvg_device *dev, const char *path)
{
	char buf[64];
	uint64_t v;
	int i, ret;

	memset(dev, 0, sizeof(*dev));
	dev->fd = -1;
	if (path) {
		dev->fd = open(path, O_RDWR | O_CLOEXEC);
		if (dev->fd < 0)
			return -errno;
		if (!nvg_is_nvghost(dev->fd)) {
			nvg_close(dev);
			return -ENODEV;
		}
	}
	/* No path: the first render node that is nvghost's. */
	for (i = 0; i < 64 && dev->fd < 0; i++) {
		snprintf(buf, sizeof(buf), "/dev/dri/renderD%d", 128 + i);
		dev->fd = open(buf, O_RDWR | O_CLOEXEC);
		if (dev->fd >= 0 && !nvg_is_nvghost(dev->fd))
			nvg_close(dev);
	}
	if (dev->fd < 0)
		return -ENODEV;
	ret = nvg_get_param(dev, DRM_NVGHOST_PARAM_CHIP_ID, 0, &v);
	if (!ret) {
		dev->chip_id = (uint32_t)v;
		ret = nvg_get_param(dev, DRM_NVGHOST_PARAM_ENGINE_COUNT, 0, &v);
		dev->nr_engines = (uint32_t)v;
	}
	if (ret) {
		nvg_close(dev);
		return ret;
	}
	dev->next_va = DRM_NVGHOST_VA_START;
	return 0;
}

void nvg_close(struct nvg_device *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

int nvg_get_param(struct nvg_device *dev, uint32_t param, uint32_t index,
		  uint64_t *value)
{
	struct drm_nvghost_get_param p = { .param = param, .index = index };
	int ret = nvg_ioctl(dev, DRM_IOCTL_NVGHOST_GET_PARAM, &p);

	if (!ret)
		*value = p.value;
	return ret;
}

int nvg_bo_create(struct nvg_device *dev, uint64_t size, uint32_t placement,
		  struct nvg_bo *bo)
{
	struct drm_nvghost_gem_create c = { .size = size, .placement = placement };
	int ret = nvg_ioctl(dev, DRM_IOCTL_NVGHOST_GEM_CREATE, &c);

	if (ret)
		return ret;
	memset(bo, 0, sizeof(*bo));
	bo->handle = c.handle;
	bo->size = (size + 4095) & ~4095ULL;
	bo->placement = placement;
	return 0;
}

int nvg_bo_map(struct nvg_device *dev, struct nvg_bo *bo)
{
	struct drm_nvghost_gem_info info = { .handle = bo->handle };
	void *p;
	int ret;

	if (bo->map)
		return 0;
	ret = nvg_ioctl(dev, DRM_IOCTL_NVGHOST_GEM_INFO, &info);
	if (ret)
		return ret;
	p = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
		 info.mmap_offset);
	if (p == MAP_FAILED)
		return -errno;
	bo->map = p;
	return 0;
}

/**
 * nvg_bo_bind() - map the whole object in the GPU address space
 * @dev: the device.
 * @bo: the object.
 * @va: GPU address, or 0 to place it after the previous automatic one.
 * @flags: DRM_NVGHOST_VM_BIND_*.
 *
 * Return: 0 or -errno (see DRM_IOCTL_NVGHOST_VM_BIND).
 */
int nvg_bo_bind(struct nvg_device *dev, struct nvg_bo *bo, uint64_t va,
		uint32_t flags)
{
	struct drm_nvghost_vm_bind b = {
		.op = DRM_NVGHOST_VM_BIND_MAP,
		.flags = flags,
		.handle = bo->handle,
		.va = va ? va : dev->next_va,
		.range = bo->size,
	};
	int ret = nvg_ioctl(dev, DRM_IOCTL_NVGHOST_VM_BIND, &b);

	if (ret)
		return ret;
	bo->va = b.va;
	if (!va)	/* leave a 1 MiB-aligned gap: stray accesses fault */
		dev->next_va = (b.va + bo->size + (2 << 20) - 1) & ~((1ULL << 20) - 1);
	return 0;
}

int nvg_bo_unbind(struct nvg_device *dev, struct nvg_bo *bo)
{
	struct drm_nvghost_vm_bind b = {
		.op = DRM_NVGHOST_VM_BIND_UNMAP,
		.va = bo->va,
		.range = bo->size,
	};
	int ret = nvg_ioctl(dev, DRM_IOCTL_NVGHOST_VM_BIND, &b);

	if (!ret)
		bo->va = 0;
	return ret;
}

void nvg_bo_destroy(struct nvg_device *dev, struct nvg_bo *bo)
{
	struct drm_gem_close c = { .handle = bo->handle };

	if (bo->va)
		nvg_bo_unbind(dev, bo);
	if (bo->map)
		munmap(bo->map, bo->size);
	nvg_ioctl(dev, DRM_IOCTL_GEM_CLOSE, &c);
	memset(bo, 0, sizeof(*bo));
}

int nvg_ctx_create(struct nvg_device *dev, uint32_t engine_class,
		   uint32_t priority, uint32_t *ctx_id)
{
	struct drm_nvghost_ctx_create c = { .engine_class = engine_class,
					    .priority = priority };
	int ret = nvg_ioctl(dev, DRM_IOCTL_NVGHOST_CTX_CREATE, &c);

	if (!ret)
		*ctx_id = c.ctx_id;
	return ret;
}

int nvg_ctx_destroy(struct nvg_device *dev, uint32_t ctx_id)
{
	struct drm_nvghost_ctx_destroy d = { .ctx_id = ctx_id };

	return nvg_ioctl(dev, DRM_IOCTL_NVGHOST_CTX_DESTROY, &d);
}

int nvg_submit(struct nvg_device *dev, uint32_t ctx_id,
	       const struct nvg_submit_args *args, int *out_fence_fd)
{
	struct drm_nvghost_submit s = {
		.ctx_id = ctx_id,
		.gpfifo = (uintptr_t)args->entries,
		.gpfifo_count = args->nr_entries,
		.in_syncs = (uintptr_t)args->in_syncs,
		.in_sync_count = args->nr_in_syncs,
		.out_syncs = (uintptr_t)args->out_syncs,
		.out_sync_count = args->nr_out_syncs,
	};
	int ret;

	if (args->in_fence_fd >= 0) {
		s.flags |= DRM_NVGHOST_SUBMIT_IN_SYNC_FILE;
		s.fence_fd = args->in_fence_fd;
	}
	if (args->want_out_fence)
		s.flags |= DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE;
	ret = nvg_ioctl(dev, DRM_IOCTL_NVGHOST_SUBMIT, &s);
	if (!ret && out_fence_fd)
		*out_fence_fd = args->want_out_fence ? s.fence_fd : -1;
	return ret;
}

/**
 * nvg_fence_wait() - wait for a sync_file and close it
 * @fence_fd: the sync_file.
 * @timeout_ms: how long; -1 for ever.
 *
 * Return: 0 when it signalled without error, the job's -errno when it
 * failed (-EFAULT MMU fault, -ETIMEDOUT hang, -ECANCELED), -ETIME if it
 * did not signal in time (then the fd stays open).
 */
int nvg_fence_wait(int fence_fd, int timeout_ms)
{
	struct pollfd p = { .fd = fence_fd, .events = POLLIN };
	struct sync_file_info info = { 0 };
	int ret;

	ret = poll(&p, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -ETIME;
	ret = ioctl(fence_fd, SYNC_IOC_FILE_INFO, &info) ? -errno : 0;
	close(fence_fd);
	if (ret)
		return ret;
	return info.status < 0 ? info.status : 0;
}
