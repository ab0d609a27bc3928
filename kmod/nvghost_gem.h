/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_gem.h - buffer objects in VRAM and in system memory.
 */
#ifndef _NVGHOST_GEM_H_
#define _NVGHOST_GEM_H_

#include <linux/list.h>
#include <drm/drm_buddy.h>
#include <drm/drm_gem_shmem_helper.h>

struct drm_mode_create_dumb;
struct nvg_device;
struct nvg_uvm_bo;

/**
 * struct nvg_bo - an nvghost buffer object
 * @shmem: the GEM object. System-memory objects are shmem objects (the
 *	kernel's shmem helpers do pages, mmap and PRIME). VRAM objects use
 *	only @shmem.base, initialised as a private object with nvghost's own
 *	functions.
 * @placement: DRM_NVGHOST_PLACEMENT_VRAM or _SYSTEM.
 * @blocks: VRAM objects: the gpu_buddy blocks that back the object, in
 *	object order.
 * @touched: VRAM objects: the CPU or the GPU may have written the object
 *	(it was mapped, exported, vmapped or pinned), so its blocks go back to
 *	the allocator as dirty, to be cleared before their next use.
 * @vaddr: VRAM objects: the kernel mapping while @vmap_count is not zero.
 * @vmap_count: VRAM objects: users of @vaddr; under the reservation lock.
 */
struct nvg_bo {
	struct drm_gem_shmem_object shmem;
	u32 placement;
	struct list_head blocks;
	bool touched;
	void *vaddr;
	unsigned int vmap_count;
	struct nvg_uvm_bo *uvm;
};

static inline struct nvg_bo *to_nvg_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct nvg_bo, shmem.base);
}

/**
 * struct nvg_vram - the device's video memory allocator
 * @lock: protects @mm and @reserve_used.
 * @mm: the buddy allocator over [0, size).
 * @size: bytes of VRAM.
 * @reserve: [0, reserve) is kept for the kernel's own allocations (page
 *	tables, pushbuffer copies): buffer objects never get it, so a client
 *	that fills VRAM cannot stop others from opening the device and
 *	submitting.
 * @reserve_used: bytes of the reserve allocated.
 */
struct nvg_vram {
	struct mutex lock; /* protects mm and reserve_used */
	struct gpu_buddy mm;
	u64 size;
	u64 reserve;
	u64 reserve_used;
};

/* nvghost_vram.c */
int nvg_vram_init(struct nvg_device *ndev);
void nvg_vram_fini(struct nvg_device *ndev);
int nvg_vram_alloc(struct nvg_device *ndev, u64 size, struct list_head *blocks);
int nvg_vram_alloc_contig(struct nvg_device *ndev, u64 size,
			  struct list_head *blocks, u64 *addr, bool zero);
int nvg_vram_alloc_chunk(struct nvg_device *ndev, u64 size,
			 struct list_head *blocks, u64 *addr);
void nvg_vram_free(struct nvg_device *ndev, struct list_head *blocks);
void nvg_vram_free_cleared(struct nvg_device *ndev, struct list_head *blocks);
int nvg_vram_show(struct nvg_device *ndev, struct seq_file *m);

/* nvghost_gem.c */
struct drm_gem_object *nvg_gem_create_object(struct drm_device *drm, size_t size);
struct nvg_bo *nvg_bo_create(struct nvg_device *ndev, u64 size, u32 placement);
int nvg_ioctl_gem_create(struct drm_device *drm, void *data,
			 struct drm_file *file);
int nvg_gem_dumb_create(struct drm_file *file, struct drm_device *drm,
			struct drm_mode_create_dumb *args);
int nvg_ioctl_gem_info(struct drm_device *drm, void *data,
		       struct drm_file *file);

/**
 * typedef nvg_bo_addr_fn - called for each physically contiguous run of an object
 * @arg: the caller's argument.
 * @bo_offset: offset of the run in the object.
 * @addr: VRAM offset (VRAM objects) or DMA address (system memory).
 * @len: bytes in the run.
 *
 * Return: 0 to go on, or an errno to stop the walk with it.
 */
typedef int (*nvg_bo_addr_fn)(void *arg, u64 bo_offset, u64 addr, u64 len);

int nvg_bo_pin(struct nvg_bo *bo);
void nvg_bo_unpin(struct nvg_bo *bo);
int nvg_bo_walk(struct nvg_bo *bo, u64 offset, u64 size, nvg_bo_addr_fn fn,
		void *arg);

#endif /* _NVGHOST_GEM_H_ */
