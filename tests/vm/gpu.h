/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gpu.h - buffer objects, channels and pushbuffers: the helpers shared by
 * the VM test programs (submit_test, recovery_test, unplug_test,
 * vm_bind_test, bench_submit).
 *
 * Include after <errno.h>, <stdarg.h>, <string.h>, <sys/mman.h>,
 * <xf86drm.h>, "nvghost_pb.h" and "nvghost_drm.h". A program may define
 * BO_FIRST_VA before including it to start its automatic GPU addresses
 * elsewhere; it may also reset next_va itself (e.g. for a fresh client).
 * One that writes its pushbuffers its own way defines GPU_OWN_PB to leave
 * out struct pb and emit().
 */
#ifndef NVG_TESTS_VM_GPU_H
#define NVG_TESTS_VM_GPU_H

/* A buffer object, mapped on the CPU at @cpu and (when @va) on the GPU. */
struct bo {
	u32 handle;
	u64 size;
	u64 va;
	void *cpu;
};

#ifndef BO_FIRST_VA
#define BO_FIRST_VA	DRM_NVGHOST_VA_START
#endif

/* The GPU VA that the next bo_new()/bo_map_next() uses. */
static u64 next_va = BO_FIRST_VA;

/* Create and CPU-map an object; no GPU mapping. */
static inline int bo_create(int fd, struct bo *bo, u64 size, u32 placement)
{
	struct drm_nvghost_gem_create c = { .size = size, .placement = placement };
	struct drm_nvghost_gem_info info = {};

	memset(bo, 0, sizeof(*bo));
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_CREATE, &c))
		return -errno;
	info.handle = c.handle;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_INFO, &info))
		return -errno;
	bo->handle = c.handle;
	bo->size = info.size;
	bo->cpu = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       info.mmap_offset);
	if (bo->cpu == MAP_FAILED) {
		bo->cpu = NULL;
		return -errno;
	}
	return 0;
}

/*
 * GPU-map the whole of a created object at next_va (VM_BIND MAP with
 * @bind_flags), then move next_va past it, rounded up to 1 MiB.
 */
static inline int bo_map_next(int fd, struct bo *bo, u32 bind_flags)
{
	struct drm_nvghost_vm_bind b = {};

	bo->va = next_va;
	next_va += (bo->size + 0xfffff) & ~0xfffffULL;
	b.op = DRM_NVGHOST_VM_BIND_MAP;
	b.flags = bind_flags;
	b.handle = bo->handle;
	b.va = bo->va;
	b.range = bo->size;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, &b))
		return -errno;
	return 0;
}

/* Create, CPU-map and GPU-map (whole object, at the next free VA). */
static inline int bo_new(int fd, struct bo *bo, u64 size, u32 placement, u32 bind_flags)
{
	int ret = bo_create(fd, bo, size, placement);

	return ret ? ret : bo_map_next(fd, bo, bind_flags);
}

/* A channel of @engine_class at normal priority; its id, or -errno. */
static inline int ctx_new(int fd, u32 engine_class)
{
	struct drm_nvghost_ctx_create c = { .engine_class = engine_class,
					    .priority = DRM_NVGHOST_PRIORITY_NORMAL };

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &c))
		return -errno;
	return c.ctx_id;
}

#ifndef GPU_OWN_PB
/* A pushbuffer being written into a mapped BO; @first: the segment's start. */
struct pb {
	struct bo *bo;
	u32 *dw;
	u32 n;
	u32 first;
};

/* Append an incrementing method header and its @count data dwords. */
static inline void emit(struct pb *pb, u32 subch, u32 method, u32 count, ...)
{
	va_list ap;
	u32 i;

	pb->dw[pb->n++] = nvg_pb_hdr_incr(subch, method, count);
	va_start(ap, count);
	for (i = 0; i < count; i++)
		pb->dw[pb->n++] = va_arg(ap, u32);
	va_end(ap);
}
#endif

#endif /* NVG_TESTS_VM_GPU_H */
