// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_gem.c - buffer objects in VRAM and in system memory.
 *
 * System-memory objects are the kernel's shmem GEM objects: the helpers
 * allocate their pages, map them to user space, export and import them.
 * Objects imported from a dma-buf are shmem objects too, backed by the
 * exporter's scatter/gather table.
 *
 * VRAM objects are a list of blocks from the device's buddy allocator
 * (nvghost_vram.c). The CPU reaches them through the HAL's window on VRAM,
 * as it reaches a real GPU's memory through BAR1: page faults on a user
 * mapping, the kernel's vmap and dma-buf exports all look up the host page
 * that backs each VRAM page.
 *
 * Every object gets its mmap offset at creation, so GEM_INFO never fails
 * for lack of one.
 */
#include <linux/dma-buf.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "nvghost_drv.h"
#include "nvghost_uvm.h"
#include "../uapi/nvghost_drm.h"

/*
 * The shmem helpers free a system-memory object with kfree() on its
 * drm_gem_shmem_object: that must be the start of the nvg_bo.
 */
static_assert(offsetof(struct nvg_bo, shmem) == 0);

static struct nvg_device *nvg_bo_device(struct nvg_bo *bo)
{
	return to_nvg_device(bo->shmem.base.dev);
}

static bool nvg_bo_is_vram(struct nvg_bo *bo)
{
	return bo->placement == DRM_NVGHOST_PLACEMENT_VRAM;
}

/* ---- system memory ---- */

/* The shmem helpers' own functions; objects free to kfree(). */
static const struct drm_gem_object_funcs nvg_shmem_funcs = {
	.free = drm_gem_shmem_object_free,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/**
 * nvg_gem_create_object() - allocate a system-memory object for the helpers
 * @drm: the DRM device.
 * @size: the object's size (unused: the helpers initialise the object).
 *
 * The &drm_driver.gem_create_object hook: the shmem helpers call it for
 * objects nvghost creates and for dma-bufs it imports, so both are
 * &struct nvg_bo.
 *
 * Return: the object's &drm_gem_object, or an ERR_PTR.
 */
struct drm_gem_object *nvg_gem_create_object(struct drm_device *drm, size_t size)
{
	struct nvg_bo *bo;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->placement = DRM_NVGHOST_PLACEMENT_SYSTEM;
	INIT_LIST_HEAD(&bo->blocks);
	bo->shmem.base.funcs = &nvg_shmem_funcs;
	return &bo->shmem.base;
}

static struct nvg_bo *nvg_bo_create_system(struct nvg_device *ndev, u64 size)
{
	struct drm_gem_shmem_object *shmem;

	/*
	 * shmem objects get their pages when first used, so creation would
	 * succeed at any size; the first mmap would then push the machine
	 * into the OOM killer. Refuse what could never fit.
	 */
	if (size > (u64)totalram_pages() << PAGE_SHIFT) {
		drm_dbg_driver(&ndev->drm, "%llu bytes is more than the system's memory\n",
			       size);
		return ERR_PTR(-ENOMEM);
	}
	shmem = drm_gem_shmem_create(&ndev->drm, size);
	if (IS_ERR(shmem))
		return ERR_CAST(shmem);
	return to_nvg_bo(&shmem->base);
}

/* ---- VRAM ---- */

/* The VRAM offset of byte @offset of @bo, which must be inside it. */
static u64 nvg_bo_vram_addr(struct nvg_bo *bo, u64 offset)
{
	struct gpu_buddy *mm = &nvg_bo_device(bo)->vram.mm;
	struct gpu_buddy_block *block;
	u64 len;

	list_for_each_entry(block, &bo->blocks, link) {
		len = gpu_buddy_block_size(mm, block);
		if (offset < len)
			return gpu_buddy_block_offset(block) + offset;
		offset -= len;
	}
	/* Callers check the offset against the object's size. */
	WARN_ON_ONCE(1);
	return 0;
}

/*
 * The host pages behind @bo, in object order, from the CPU window on VRAM.
 * The array is the caller's to kvfree(); the pages are the simulator's.
 */
static struct page **nvg_bo_vram_pages(struct nvg_bo *bo)
{
	struct nvg_device *ndev = nvg_bo_device(bo);
	size_t i = 0, npages = bo->shmem.base.size >> PAGE_SHIFT;
	struct gpu_buddy_block *block;
	struct page **pages;
	u64 addr, end;

	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return ERR_PTR(-ENOMEM);
	list_for_each_entry(block, &bo->blocks, link) {
		addr = gpu_buddy_block_offset(block);
		end = addr + gpu_buddy_block_size(&ndev->vram.mm, block);
		for (; addr < end && i < npages; addr += PAGE_SIZE) {
			pages[i] = nvg_vram_page(&ndev->hal, addr);
			if (!pages[i]) {
				kvfree(pages);
				return ERR_PTR(-ENOMEM);
			}
			i++;
		}
		cond_resched();
	}
	if (WARN_ON(i != npages)) {
		kvfree(pages);
		return ERR_PTR(-EINVAL);
	}
	return pages;
}

static void nvg_vram_bo_free(struct drm_gem_object *obj)
{
	struct nvg_bo *bo = to_nvg_bo(obj);
	struct nvg_device *ndev = nvg_bo_device(bo);

	drm_WARN_ON(obj->dev, bo->vmap_count);
	drm_gem_object_release(obj);
	/*
	 * Memory nobody could have written still reads as zero: give it
	 * back as such, so the next owner need not clear it.
	 */
	if (READ_ONCE(bo->touched))
		nvg_vram_free(ndev, &bo->blocks);
	else
		nvg_vram_free_cleared(ndev, &bo->blocks);
	kfree(bo);
}

/*
 * A CPU access to a user mapping: map the host page behind that VRAM page.
 * The page is an ordinary alloc_page() page the simulator keeps until the
 * device goes, and the mapping holds a reference to the object (so to its
 * blocks), so handing the page to the core with a reference of its own is
 * enough.
 */
static vm_fault_t nvg_vram_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct nvg_bo *bo = to_nvg_bo(obj);
	struct page *page;
	pgoff_t pgoff;
	int idx;

	/*
	 * vm_pgoff carries the fake mmap offset, both for a mapping of the
	 * DRM file and for one made through a dma-buf (drm_gem_prime_mmap()
	 * adds it), and a dma-buf mapping may start inside the object.
	 */
	pgoff = vmf->pgoff - drm_vma_node_start(&obj->vma_node);
	if (pgoff >= obj->size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;

	/*
	 * Once the device is gone (drm_dev_unplug() tore the mappings down)
	 * so is its memory: a fault maps a dummy page, as TTM drivers do, so
	 * that the client does not die of SIGBUS before it notices.
	 */
	if (!drm_dev_enter(obj->dev, &idx)) {
		page = nvg_bo_device(bo)->dummy_page;
	} else {
		page = nvg_vram_page(&nvg_bo_device(bo)->hal,
				     nvg_bo_vram_addr(bo, (u64)pgoff << PAGE_SHIFT));
		drm_dev_exit(idx);
	}
	if (!page)
		return VM_FAULT_OOM;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct nvg_vram_vm_ops = {
	.fault = nvg_vram_fault,
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

static int nvg_vram_bo_mmap(struct drm_gem_object *obj,
			    struct vm_area_struct *vma)
{
	struct nvg_bo *bo = to_nvg_bo(obj);

	/* A private mapping would copy VRAM on write: not what the user wants. */
	if (is_cow_mapping(vma->vm_flags)) {
		drm_dbg_driver(obj->dev, "VRAM objects can only be mapped shared\n");
		return -EINVAL;
	}
	WRITE_ONCE(bo->touched, true);
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	/* The simulator's VRAM is ordinary cached memory. */
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	return 0;
}

/* PRIME export: the pages behind the object, for drm_gem_map_dma_buf(). */
static struct sg_table *nvg_vram_bo_get_sg_table(struct drm_gem_object *obj)
{
	struct nvg_bo *bo = to_nvg_bo(obj);
	struct sg_table *sgt;
	struct page **pages;
	int idx;

	if (!drm_dev_enter(obj->dev, &idx))
		return ERR_PTR(-ENODEV);
	WRITE_ONCE(bo->touched, true);
	pages = nvg_bo_vram_pages(bo);
	drm_dev_exit(idx);
	if (IS_ERR(pages))
		return ERR_CAST(pages);
	sgt = drm_prime_pages_to_sg(obj->dev, pages, obj->size >> PAGE_SHIFT);
	kvfree(pages);
	return sgt;
}

static int nvg_vram_bo_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	struct nvg_bo *bo = to_nvg_bo(obj);
	struct page **pages;
	int idx;

	dma_resv_assert_held(obj->resv);
	if (bo->vmap_count) {
		bo->vmap_count++;
		iosys_map_set_vaddr(map, bo->vaddr);
		return 0;
	}
	if (!drm_dev_enter(obj->dev, &idx))
		return -ENODEV;
	WRITE_ONCE(bo->touched, true);
	pages = nvg_bo_vram_pages(bo);
	drm_dev_exit(idx);
	if (IS_ERR(pages))
		return PTR_ERR(pages);
	/* vmap() copies the page pointers: the array can go at once. */
	bo->vaddr = vmap(pages, obj->size >> PAGE_SHIFT, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	if (!bo->vaddr)
		return -ENOMEM;
	bo->vmap_count = 1;
	iosys_map_set_vaddr(map, bo->vaddr);
	return 0;
}

static void nvg_vram_bo_vunmap(struct drm_gem_object *obj,
			       struct iosys_map *map)
{
	struct nvg_bo *bo = to_nvg_bo(obj);

	dma_resv_assert_held(obj->resv);
	if (drm_WARN_ON_ONCE(obj->dev, !bo->vmap_count))
		return;
	if (--bo->vmap_count)
		return;
	vunmap(bo->vaddr);
	bo->vaddr = NULL;
}

static const struct drm_gem_object_funcs nvg_vram_funcs = {
	.free = nvg_vram_bo_free,
	.get_sg_table = nvg_vram_bo_get_sg_table,
	.vmap = nvg_vram_bo_vmap,
	.vunmap = nvg_vram_bo_vunmap,
	.mmap = nvg_vram_bo_mmap,
	.vm_ops = &nvg_vram_vm_ops,
};

static struct nvg_bo *nvg_bo_create_vram(struct nvg_device *ndev, u64 size)
{
	struct drm_gem_object *obj;
	struct nvg_bo *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->placement = DRM_NVGHOST_PLACEMENT_VRAM;
	INIT_LIST_HEAD(&bo->blocks);
	obj = &bo->shmem.base;
	obj->funcs = &nvg_vram_funcs;
	drm_gem_private_object_init(&ndev->drm, obj, size);

	/* From here on, the last reference frees whatever was set up. */
	ret = nvg_vram_alloc(ndev, size, &bo->blocks);
	if (ret) {
		drm_dbg_driver(&ndev->drm, "no %llu bytes of VRAM: %d\n", size, ret);
		goto err_put;
	}
	ret = drm_gem_create_mmap_offset(obj);
	if (ret)
		goto err_put;
	return bo;

err_put:
	drm_gem_object_put(obj);
	return ERR_PTR(ret);
}

/**
 * nvg_bo_create() - create a buffer object
 * @ndev: the device.
 * @size: bytes, rounded up to the page size; not zero.
 * @placement: DRM_NVGHOST_PLACEMENT_VRAM or DRM_NVGHOST_PLACEMENT_SYSTEM.
 *
 * VRAM objects are backed at once and read as zero; system-memory objects
 * get their (zeroed) pages when first mapped or pinned.
 *
 * Return: the object, holding one reference, or an ERR_PTR: -ENOSPC if
 * VRAM is full, -ENOMEM if system memory is short (or @size exceeds it),
 * -EINVAL for a zero size or an unknown placement.
 */
struct nvg_bo *nvg_bo_create(struct nvg_device *ndev, u64 size, u32 placement)
{
	if (!size || size > DRM_NVGHOST_GEM_MAX_SIZE)
		return ERR_PTR(-EINVAL);
	size = PAGE_ALIGN(size);

	switch (placement) {
	case DRM_NVGHOST_PLACEMENT_VRAM:
		return nvg_bo_create_vram(ndev, size);
	case DRM_NVGHOST_PLACEMENT_SYSTEM:
		return nvg_bo_create_system(ndev, size);
	case DRM_NVGHOST_PLACEMENT_MANAGED:
		return nvg_uvm_bo_create(ndev, size);
	default:
		return ERR_PTR(-EINVAL);
	}
}

/* ---- ioctls ---- */

/* nvg_bo_create() for an ioctl: VRAM is cleared through the CPU window. */
static struct nvg_bo *nvg_bo_create_unplug_safe(struct nvg_device *ndev, u64 size,
						u32 placement)
{
	struct nvg_bo *bo;
	int idx;

	if (!drm_dev_enter(&ndev->drm, &idx))
		return ERR_PTR(-ENODEV);
	bo = nvg_bo_create(ndev, size, placement);
	drm_dev_exit(idx);
	return bo;
}

/**
 * nvg_ioctl_gem_create() - DRM_IOCTL_NVGHOST_GEM_CREATE
 * @drm: the DRM device.
 * @data: a &struct drm_nvghost_gem_create.
 * @file: the caller's DRM file.
 *
 * Return: 0 with the new handle in @data; -EINVAL for a non-zero flags or
 * pad, a size of 0 or above DRM_NVGHOST_GEM_MAX_SIZE, or an unknown
 * placement; -ENOSPC if VRAM is full; -ENOMEM if memory is short.
 */
int nvg_ioctl_gem_create(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_nvghost_gem_create *args = data;
	struct nvg_bo *bo;
	int ret;

	if (args->flags || args->pad) {
		drm_dbg_driver(drm, "GEM_CREATE: flags 0x%x, pad 0x%x must be 0\n",
			       args->flags, args->pad);
		return -EINVAL;
	}
	if (!args->size || args->size > DRM_NVGHOST_GEM_MAX_SIZE) {
		drm_dbg_driver(drm, "GEM_CREATE: size %llu not in 1..%llu\n",
			       args->size, DRM_NVGHOST_GEM_MAX_SIZE);
		return -EINVAL;
	}
	if (args->placement != DRM_NVGHOST_PLACEMENT_VRAM &&
	    args->placement != DRM_NVGHOST_PLACEMENT_SYSTEM &&
	    args->placement != DRM_NVGHOST_PLACEMENT_MANAGED) {
		drm_dbg_driver(drm, "GEM_CREATE: unknown placement %u\n",
			       args->placement);
		return -EINVAL;
	}

	bo = nvg_bo_create_unplug_safe(to_nvg_device(drm), args->size, args->placement);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->shmem.base, &args->handle);
	/* The handle holds the object now, or nothing does. */
	drm_gem_object_put(&bo->shmem.base);
	return ret;
}

/**
 * nvg_gem_dumb_create() - DRM_IOCTL_MODE_CREATE_DUMB: a scanout buffer
 * @file: the caller's DRM file.
 * @drm: the DRM device.
 * @args: width, height and bpp in; handle, pitch and size out.
 *
 * Dumb buffers live in VRAM, where a real GPU scans out from; rows are
 * aligned to 256 bytes, the display engine's pitch alignment. Those of
 * in-kernel DRM clients (the fbdev console, whose &drm_file has no struct
 * file) live in system memory, which the head scans out as well: a console
 * of the largest mode (33 MB at 4K) must not take VRAM from applications.
 *
 * Return: 0, or an errno.
 */
int nvg_gem_dumb_create(struct drm_file *file, struct drm_device *drm,
			struct drm_mode_create_dumb *args)
{
	u32 cpp = DIV_ROUND_UP(args->bpp, 8);
	struct nvg_bo *bo;
	u64 pitch, size;
	int ret;

	/*
	 * DRM core checked that width * cpp * height fits 32 bits; no cap
	 * of its own beyond what VRAM holds (nvg_bo_create()). The aligned
	 * pitch must still fit the ioctl's 32-bit field.
	 */
	if (!args->width || !args->height || !cpp)
		return -EINVAL;
	pitch = ALIGN((u64)args->width * cpp, 256);
	if (pitch > U32_MAX)
		return -EINVAL;
	size = PAGE_ALIGN(pitch * args->height);

	bo = nvg_bo_create_unplug_safe(to_nvg_device(drm), size,
				       file->filp ? DRM_NVGHOST_PLACEMENT_VRAM :
				       DRM_NVGHOST_PLACEMENT_SYSTEM);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = drm_gem_handle_create(file, &bo->shmem.base, &args->handle);
	drm_gem_object_put(&bo->shmem.base);
	if (ret)
		return ret;
	args->pitch = pitch;
	args->size = size;
	return 0;
}

/**
 * nvg_ioctl_gem_info() - DRM_IOCTL_NVGHOST_GEM_INFO
 * @drm: the DRM device.
 * @data: a &struct drm_nvghost_gem_info.
 * @file: the caller's DRM file.
 *
 * Return: 0 with size, placement and mmap offset in @data; -EINVAL for a
 * non-zero flags or pad; -ENOENT if the handle names no object.
 */
int nvg_ioctl_gem_info(struct drm_device *drm, void *data,
		       struct drm_file *file)
{
	struct drm_nvghost_gem_info *args = data;
	struct drm_gem_object *obj;

	if (args->flags || args->pad) {
		drm_dbg_driver(drm, "GEM_INFO: flags 0x%x, pad 0x%x must be 0\n",
			       args->flags, args->pad);
		return -EINVAL;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		drm_dbg_driver(drm, "GEM_INFO: no object with handle %u\n",
			       args->handle);
		return -ENOENT;
	}
	args->size = obj->size;
	args->placement = to_nvg_bo(obj)->placement;
	args->mmap_offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return 0;
}

/* ---- GPU access ---- */

/**
 * nvg_bo_pin() - make an object's backing stable for GPU access
 * @bo: the object.
 *
 * VRAM objects never move. A system-memory object gets its pages pinned and
 * DMA-mapped for the GPU; nvg_bo_walk() then gives their DMA addresses.
 * (In 6.12 the shmem helpers' DMA-mapped table itself keeps the pages until
 * the object is freed; the pin count taken here is what this driver relies
 * on, and stays right if the helpers ever release the table earlier.) An
 * imported object's pages stay mapped by the exporter for as long as the
 * import exists: nothing to do.
 *
 * Each successful call needs one nvg_bo_unpin(). Pinning an object that is
 * already pinned cannot fail.
 *
 * Return: 0, or a negative errno (-ENOMEM, -EINTR).
 */
int nvg_bo_pin(struct nvg_bo *bo)
{
	struct drm_gem_shmem_object *shmem = &bo->shmem;
	struct sg_table *sgt;
	bool have_sgt;
	int ret;

	/* Managed memory is never pinned: it migrates (nvghost_uvm.c). */
	if (bo->placement == DRM_NVGHOST_PLACEMENT_MANAGED)
		return 0;
	if (nvg_bo_is_vram(bo)) {
		/* The GPU may write it from now on. */
		WRITE_ONCE(bo->touched, true);
		return 0;
	}
	if (shmem->base.import_attach)
		return 0;

	/* Not interruptible: a pin of a pinned object must not fail. */
	dma_resv_lock(shmem->base.resv, NULL);
	ret = drm_gem_shmem_pin_locked(shmem);
	have_sgt = shmem->sgt;
	dma_resv_unlock(shmem->base.resv);
	if (ret || have_sgt)
		return ret;

	sgt = drm_gem_shmem_get_pages_sgt(shmem);
	if (IS_ERR(sgt)) {
		drm_gem_shmem_unpin(shmem);
		return PTR_ERR(sgt);
	}
	return 0;
}

/**
 * nvg_bo_unpin() - end a nvg_bo_pin()
 * @bo: the object.
 */
void nvg_bo_unpin(struct nvg_bo *bo)
{
	if (nvg_bo_is_vram(bo) || bo->shmem.base.import_attach ||
	    bo->placement == DRM_NVGHOST_PLACEMENT_MANAGED)
		return;
	drm_gem_shmem_unpin(&bo->shmem);
}

/*
 * A walk in progress: pieces of the object come in object order, get cut
 * to the requested range, and physically adjacent pieces are merged into
 * one run before the caller sees them.
 */
struct nvg_walk {
	u64 start;
	u64 end;
	nvg_bo_addr_fn fn;
	void *arg;
	u64 run_offset;
	u64 run_addr;
	u64 run_len;
};

static int nvg_walk_flush(struct nvg_walk *w)
{
	int ret = 0;

	if (w->run_len)
		ret = w->fn(w->arg, w->run_offset, w->run_addr, w->run_len);
	w->run_len = 0;
	return ret;
}

/* Bytes [@pos, @pos + @len) of the object are at @addr. */
static int nvg_walk_piece(struct nvg_walk *w, u64 pos, u64 addr, u64 len)
{
	u64 start = max(pos, w->start);
	u64 end = min(pos + len, w->end);
	int ret;

	if (start >= end)
		return 0;
	addr += start - pos;
	len = end - start;
	if (w->run_len && w->run_offset + w->run_len == start &&
	    w->run_addr + w->run_len == addr) {
		w->run_len += len;
		return 0;
	}
	ret = nvg_walk_flush(w);
	if (ret)
		return ret;
	w->run_offset = start;
	w->run_addr = addr;
	w->run_len = len;
	return 0;
}

static int nvg_bo_walk_vram(struct nvg_bo *bo, struct nvg_walk *w)
{
	struct gpu_buddy *mm = &nvg_bo_device(bo)->vram.mm;
	struct gpu_buddy_block *block;
	u64 pos = 0, len;
	int ret;

	list_for_each_entry(block, &bo->blocks, link) {
		if (pos >= w->end)
			break;
		len = gpu_buddy_block_size(mm, block);
		ret = nvg_walk_piece(w, pos, gpu_buddy_block_offset(block), len);
		if (ret)
			return ret;
		pos += len;
	}
	return 0;
}

static int nvg_bo_walk_sgt(struct nvg_bo *bo, struct nvg_walk *w)
{
	struct sg_table *sgt = bo->shmem.sgt;
	struct scatterlist *sg;
	u64 pos = 0;
	int i, ret;

	/* The caller must have pinned the object: that is what makes the table. */
	if (drm_WARN_ON_ONCE(bo->shmem.base.dev, !sgt))
		return -EINVAL;
	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (pos >= w->end)
			break;
		ret = nvg_walk_piece(w, pos, sg_dma_address(sg), sg_dma_len(sg));
		if (ret)
			return ret;
		pos += sg_dma_len(sg);
	}
	return 0;
}

/**
 * nvg_bo_walk() - visit the physical runs behind a range of an object
 * @bo: the object; a system-memory object must be pinned (nvg_bo_pin()).
 * @offset: start of the range, in bytes from the start of the object.
 * @size: bytes in the range; not zero.
 * @fn: called for each physically contiguous run in the range, in object
 *	order, with VRAM offsets (VRAM objects) or DMA addresses (system
 *	memory). Adjacent runs are merged, so runs need not match blocks or
 *	pages.
 * @arg: passed to @fn.
 *
 * Return: 0; -EINVAL if the range is empty or not inside the object; or
 * the first non-zero value @fn returned, which ends the walk.
 */
int nvg_bo_walk(struct nvg_bo *bo, u64 offset, u64 size, nvg_bo_addr_fn fn,
		void *arg)
{
	struct nvg_walk w = { .start = offset, .fn = fn, .arg = arg };
	int ret;

	if (!size || check_add_overflow(offset, size, &w.end) ||
	    w.end > bo->shmem.base.size)
		return -EINVAL;

	if (bo->placement == DRM_NVGHOST_PLACEMENT_MANAGED)
		return -EINVAL;	/* no fixed backing to walk */
	if (nvg_bo_is_vram(bo))
		ret = nvg_bo_walk_vram(bo, &w);
	else
		ret = nvg_bo_walk_sgt(bo, &w);
	if (ret)
		return ret;
	return nvg_walk_flush(&w);
}
