// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_vm.c - per-client GPU virtual address spaces and their page
 * tables.
 *
 * drm_gpuvm keeps track of what is mapped where and splits or merges
 * mappings; this file turns its steps into page table writes. Page tables
 * live in VRAM, allocated from the device's buddy allocator, and are written
 * through the HAL's VRAM window, as a driver for real hardware writes them
 * through BAR1. The format is in nvghost_mmu.h; the simulated MMU walks it on
 * every GPU access. After each bind the driver asks the HAL to invalidate
 * the MMU's cached translations (nvg_hw_mmu_invalidate()), as real hardware
 * needs; the simulator caches none.
 *
 * Binds are synchronous: the page tables are updated before the ioctl
 * returns. Tables emptied by unmaps are kept until the VM goes away.
 *
 * Every job records the ranges its pushbuffer reaches (struct nvg_vm_use).
 * An unmap waits, interruptibly and without the VM lock, for the jobs that
 * reach its range, and for no other: a job waiting on a semaphore that the
 * client's next submission releases does not hold up an unrelated unmap,
 * nor (through the lock) that submission.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_mmu.h"
#include "nvghost_uvm.h"
#include "nvghost_vm.h"
#include "../uapi/nvghost_drm.h"

/**
 * struct nvg_pt - one page table or directory, and its CPU-side shadow
 * @addr: where it lives in VRAM.
 * @blocks: its VRAM allocation.
 * @child: the next level's tables, by index (directories only).
 */
struct nvg_pt {
	u64 addr;
	struct list_head blocks;
	struct nvg_pt **child;
};

/**
 * struct nvg_vma - one mapping
 * @base: drm_gpuvm's view of it.
 * @read_only: the GPU may not write through it.
 */
struct nvg_vma {
	struct drm_gpuva base;
	bool read_only;
};

/* What a bind passes to the drm_gpuvm step callbacks. */
struct nvg_bind_ctx {
	struct nvg_vm *vm;
	struct drm_gpuvm_bo *vm_bo;
	bool read_only;
};

static struct nvg_vm *to_nvg_vm(struct drm_gpuvm *gpuvm)
{
	return container_of(gpuvm, struct nvg_vm, base);
}

/*
 * Write one 8-byte entry of the table at VRAM @table_addr. Callers hold a
 * drm_dev_enter() section, or found the device gone (@vm->gone): then
 * there is no GPU to see the tables and nothing is written.
 */
static int nvg_pt_write(struct nvg_vm *vm, u64 table_addr, u32 index, u64 val)
{
	u64 addr = table_addr + (u64)index * sizeof(u64);
	struct page *page;
	u64 *map;

	if (vm->gone)
		return 0;
	page = nvg_vram_page(&vm->ndev->hal, addr);
	if (!page)
		return -ENOMEM;
	map = kmap_local_page(page);
	WRITE_ONCE(map[offset_in_page(addr) / sizeof(u64)], val);
	kunmap_local(map);
	return 0;
}

static struct nvg_pt *nvg_pt_alloc(struct nvg_vm *vm, u32 entries, bool dir)
{
	u64 bytes = (u64)entries * sizeof(u64);
	struct nvg_pt *pt;
	int ret;

	pt = kzalloc(sizeof(*pt), GFP_KERNEL);
	if (!pt)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&pt->blocks);
	if (dir) {
		pt->child = kcalloc(entries, sizeof(*pt->child), GFP_KERNEL);
		if (!pt->child) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	/* The MMU indexes the table from its start: it must be contiguous. */
	ret = nvg_vram_alloc_contig(vm->ndev, bytes, &pt->blocks, &pt->addr, true);
	if (ret)
		goto err_free;
	vm->pt_bytes += bytes;
	/* VRAM is handed out zeroed: every entry starts invalid. */
	return pt;

err_free:
	kfree(pt->child);
	kfree(pt);
	return ERR_PTR(ret);
}

static void nvg_pt_free(struct nvg_vm *vm, struct nvg_pt *pt, u32 entries,
			u32 child_entries, u32 grandchild_entries)
{
	u32 i;

	if (!pt)
		return;
	if (pt->child)
		for (i = 0; i < entries; i++)
			nvg_pt_free(vm, pt->child[i], child_entries,
				    grandchild_entries, 0);
	/* Scrub, so that stale entries never reach a later owner ... */
	for (i = 0; i < entries; i++)
		nvg_pt_write(vm, pt->addr, i, 0);
	/* ... which makes it zeroed VRAM again. */
	nvg_vram_free_cleared(vm->ndev, &pt->blocks);
	kfree(pt->child);
	kfree(pt);
}

/* The next-level table under @dir at @index, created on demand. */
static struct nvg_pt *nvg_pt_get(struct nvg_vm *vm, struct nvg_pt *dir,
				 u32 index, u32 entries, bool child_is_dir)
{
	struct nvg_pt *pt = dir->child[index];
	int ret;

	if (pt)
		return pt;
	pt = nvg_pt_alloc(vm, entries, child_is_dir);
	if (IS_ERR(pt))
		return pt;
	ret = nvg_pt_write(vm, dir->addr, index, nvg_pte_encode(pt->addr, true, false));
	if (ret) {
		nvg_pt_free(vm, pt, entries, 0, 0);
		return ERR_PTR(ret);
	}
	dir->child[index] = pt;
	return pt;
}

static int nvg_vm_set_pte(struct nvg_vm *vm, u64 va, u64 pte)
{
	struct nvg_pt *pd1, *pt;

	if (!pte) {
		/* Unmapping never allocates tables. */
		pd1 = vm->root->child[nvg_va_pd0(va)];
		pt = pd1 ? pd1->child[nvg_va_pd1(va)] : NULL;
		return pt ? nvg_pt_write(vm, pt->addr, nvg_va_pt(va), 0) : 0;
	}
	pd1 = nvg_pt_get(vm, vm->root, nvg_va_pd0(va), NVG_PD1_ENTRIES, true);
	if (IS_ERR(pd1))
		return PTR_ERR(pd1);
	pt = nvg_pt_get(vm, pd1, nvg_va_pd1(va), NVG_PT_ENTRIES, false);
	if (IS_ERR(pt))
		return PTR_ERR(pt);
	return nvg_pt_write(vm, pt->addr, nvg_va_pt(va), pte);
}

static void nvg_vm_clear_range(struct nvg_vm *vm, u64 va, u64 range)
{
	u64 end = va + range;

	for (; va < end; va += NVG_PAGE_SIZE)
		nvg_vm_set_pte(vm, va, 0);
}

/* Walking a buffer object's runs: map each page of a run. */
struct nvg_map_walk {
	struct nvg_vm *vm;
	u64 va;		/* GPU VA of the run's bo_offset 0 */
	bool vram;
	bool read_only;
};

static int nvg_vm_map_run(void *arg, u64 bo_offset, u64 addr, u64 len)
{
	struct nvg_map_walk *w = arg;
	u64 off;
	int ret;

	for (off = 0; off < len; off += NVG_PAGE_SIZE) {
		ret = nvg_vm_set_pte(w->vm, w->va + bo_offset + off,
				     nvg_pte_encode(addr + off, w->vram, w->read_only));
		if (ret)
			return ret;
	}
	return 0;
}

static int nvg_vm_map_pages(struct nvg_vm *vm, struct drm_gpuva_op_map *map,
			    bool read_only)
{
	struct nvg_bo *bo = to_nvg_bo(map->gem.obj);
	struct nvg_map_walk w = {
		.vm = vm,
		.va = map->va.addr - map->gem.offset,
		.vram = bo->placement == DRM_NVGHOST_PLACEMENT_VRAM,
		.read_only = read_only,
	};
	u64 off;
	int ret;

	/*
	 * Managed memory: every page starts not resident; the first access
	 * raises a replayable fault and nvghost_uvm.c maps what it migrated.
	 */
	if (bo->placement == DRM_NVGHOST_PLACEMENT_MANAGED) {
		for (off = 0; off < map->va.range; off += NVG_PAGE_SIZE) {
			ret = nvg_vm_set_pte(vm, map->va.addr + off, NVG_PTE_REPLAYABLE |
					     (read_only ? NVG_PTE_READ_ONLY : 0));
			if (ret)
				break;
		}
		if (ret)
			nvg_vm_clear_range(vm, map->va.addr, map->va.range);
		return ret;
	}
	ret = nvg_bo_walk(bo, map->gem.offset, map->va.range, nvg_vm_map_run, &w);
	if (ret)
		nvg_vm_clear_range(vm, map->va.addr, map->va.range);
	return ret;
}

/*
 * Linking and unlinking touch the object's list of mappings, protected by
 * its reservation lock. Unlinking may drop the last vm_bo reference, and
 * with it the object: hold a reference across.
 */
static void nvg_vma_link(struct nvg_vma *vma, struct drm_gpuvm_bo *vm_bo)
{
	struct drm_gem_object *obj = vma->base.gem.obj;

	dma_resv_lock(obj->resv, NULL);
	drm_gpuva_link(&vma->base, vm_bo);
	dma_resv_unlock(obj->resv);
}

static void nvg_vma_unlink(struct nvg_vma *vma)
{
	struct drm_gem_object *obj = vma->base.gem.obj;

	drm_gem_object_get(obj);
	dma_resv_lock(obj->resv, NULL);
	drm_gpuva_unlink(&vma->base);
	dma_resv_unlock(obj->resv);
	nvg_bo_unpin(to_nvg_bo(obj));
	drm_gem_object_put(obj);
	kfree(vma);
}

static int nvg_vm_step_map(struct drm_gpuva_op *op, void *priv)
{
	struct nvg_bind_ctx *ctx = priv;
	struct nvg_bo *bo = to_nvg_bo(op->map.gem.obj);
	struct nvg_vma *vma;
	int ret;

	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return -ENOMEM;
	vma->read_only = ctx->read_only;
	ret = nvg_bo_pin(bo);
	if (ret)
		goto err_free;
	ret = nvg_vm_map_pages(ctx->vm, &op->map, vma->read_only);
	if (ret)
		goto err_unpin;
	drm_gpuva_map(&ctx->vm->base, &vma->base, &op->map);
	nvg_vma_link(vma, ctx->vm_bo);
	return 0;

err_unpin:
	nvg_bo_unpin(bo);
err_free:
	kfree(vma);
	return ret;
}

/*
 * Part of a mapping goes: clear the pages of the part, and replace the
 * mapping by what is left before and after it. Their page table entries
 * are still right.
 */
static int nvg_vm_step_remap(struct drm_gpuva_op *op, void *priv)
{
	struct nvg_vma *old = container_of(op->remap.unmap->va, struct nvg_vma, base);
	struct nvg_bind_ctx *ctx = priv;
	struct nvg_vma *prev = NULL, *next = NULL;
	struct drm_gpuvm_bo *vm_bo = old->base.vm_bo;
	u64 start, range;

	if (op->remap.prev) {
		prev = kzalloc(sizeof(*prev), GFP_KERNEL);
		if (!prev)
			return -ENOMEM;
		prev->read_only = old->read_only;
	}
	if (op->remap.next) {
		next = kzalloc(sizeof(*next), GFP_KERNEL);
		if (!next) {
			kfree(prev);
			return -ENOMEM;
		}
		next->read_only = old->read_only;
	}

	drm_gpuva_op_remap_to_unmap_range(&op->remap, &start, &range);
	nvg_vm_clear_range(ctx->vm, start, range);
	drm_gpuva_remap(prev ? &prev->base : NULL, next ? &next->base : NULL,
			&op->remap);
	/* Each remaining piece holds its own pin, like any mapping. */
	if (prev) {
		nvg_bo_pin(to_nvg_bo(prev->base.gem.obj));
		nvg_vma_link(prev, vm_bo);
	}
	if (next) {
		nvg_bo_pin(to_nvg_bo(next->base.gem.obj));
		nvg_vma_link(next, vm_bo);
	}
	nvg_vma_unlink(old);
	return 0;
}

static int nvg_vm_step_unmap(struct drm_gpuva_op *op, void *priv)
{
	struct nvg_vma *vma = container_of(op->unmap.va, struct nvg_vma, base);
	struct nvg_bind_ctx *ctx = priv;

	nvg_vm_clear_range(ctx->vm, vma->base.va.addr, vma->base.va.range);
	drm_gpuva_unmap(&op->unmap);
	nvg_vma_unlink(vma);
	return 0;
}

/**
 * struct nvg_vm_use - the ranges one job of the VM reaches
 * @node: entry in the VM's @uses.
 * @fence: the job's finished fence (a reference).
 * @nr: entries in @r.
 * @r: sorted, disjoint [start, end) ranges.
 */
struct nvg_vm_use {
	struct list_head node;
	struct dma_fence *fence;
	u32 nr;
	struct nvg_va_range r[] __counted_by(nr);
};

/**
 * nvg_vm_ranges_add() - note that a job reaches [va, va + size)
 * @rs: the ranges collected so far.
 * @va: first byte.
 * @size: bytes, not 0; va + size does not overflow (the parser checked).
 *
 * Return: 0 or -ENOMEM.
 */
int nvg_vm_ranges_add(struct nvg_vm_ranges *rs, u64 va, u64 size)
{
	struct nvg_va_range *r;
	u32 max;

	/* Ops often walk memory in order: grow the last range if they touch. */
	if (rs->nr) {
		r = &rs->r[rs->nr - 1];
		if (va <= r->end && va + size >= r->start) {
			r->start = min(r->start, va);
			r->end = max(r->end, va + size);
			return 0;
		}
	}
	if (rs->nr == rs->max) {
		max = max(16U, rs->max * 2);
		r = kvrealloc(rs->r, array_size(max, sizeof(*r)), GFP_KERNEL);
		if (!r)
			return -ENOMEM;
		rs->r = r;
		rs->max = max;
	}
	rs->r[rs->nr].start = va;
	rs->r[rs->nr].end = va + size;
	rs->nr++;
	return 0;
}

void nvg_vm_ranges_fini(struct nvg_vm_ranges *rs)
{
	kvfree(rs->r);
	memset(rs, 0, sizeof(*rs));
}

static int nvg_va_range_cmp(const void *a, const void *b)
{
	const struct nvg_va_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void nvg_vm_use_free(struct nvg_vm_use *use)
{
	if (!use)
		return;
	dma_fence_put(use->fence);
	kvfree(use);
}

/* Does @use reach any byte of [start, end)? */
static bool nvg_vm_use_overlaps(const struct nvg_vm_use *use, u64 start, u64 end)
{
	u32 lo = 0, hi = use->nr;

	/* The first range that ends after @start, by bisection. */
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (use->r[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < use->nr && use->r[lo].start < end;
}

/* Forget finished jobs: those at the head, or all of them now and then. */
static void nvg_vm_prune_uses(struct nvg_vm *vm, bool all)
{
	struct nvg_vm_use *use, *tmp;

	lockdep_assert_held(&vm->lock);
	list_for_each_entry_safe(use, tmp, &vm->uses, node) {
		if (!dma_fence_is_signaled(use->fence)) {
			if (!all)
				break;
			continue;
		}
		list_del(&use->node);
		vm->nr_uses--;
		nvg_vm_use_free(use);
	}
	if (all)
		vm->nr_uses_swept = vm->nr_uses;
}

/* The VM goes: forget every job, waiting for any not yet finished. */
static void nvg_vm_free_uses(struct nvg_vm *vm)
{
	struct nvg_vm_use *use, *tmp;

	lockdep_assert_held(&vm->lock);
	list_for_each_entry_safe(use, tmp, &vm->uses, node) {
		dma_fence_wait(use->fence, false);
		list_del(&use->node);
		nvg_vm_use_free(use);
	}
	vm->nr_uses = 0;
	vm->nr_uses_swept = 0;
}

/*
 * The oldest unfinished job that reaches [start, end), with a reference,
 * or NULL.
 */
static struct dma_fence *nvg_vm_busy_fence(struct nvg_vm *vm, u64 start, u64 end)
{
	struct nvg_vm_use *use;

	nvg_vm_prune_uses(vm, true);
	list_for_each_entry(use, &vm->uses, node)
		if (nvg_vm_use_overlaps(use, start, end))
			return dma_fence_get(use->fence);
	return NULL;
}

/* Wait for every job submitted in the VM so far. */
static void nvg_vm_wait_idle(struct nvg_vm *vm)
{
	lockdep_assert_held(&vm->lock);
	dma_resv_wait_timeout(drm_gpuvm_resv(&vm->base), DMA_RESV_USAGE_BOOKKEEP,
			      false, MAX_SCHEDULE_TIMEOUT);
}

static void nvg_vm_free(struct drm_gpuvm *gpuvm)
{
	kfree(to_nvg_vm(gpuvm));
}

static const struct drm_gpuvm_ops nvg_gpuvm_ops = {
	.vm_free	= nvg_vm_free,
	.sm_step_map	= nvg_vm_step_map,
	.sm_step_remap	= nvg_vm_step_remap,
	.sm_step_unmap	= nvg_vm_step_unmap,
};

/**
 * nvg_vm_create() - a new, empty GPU address space
 * @ndev: the device.
 *
 * Return: the VM, or an ERR_PTR (-ENOSPC if VRAM has no room for its page
 * directory).
 */
struct nvg_vm *nvg_vm_create(struct nvg_device *ndev)
{
	struct drm_gem_object *resv;
	struct nvg_vm *vm;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->ndev = ndev;
	mutex_init(&vm->lock);
	mutex_init(&vm->uvm_lock);
	INIT_LIST_HEAD(&vm->uses);
	vm->root = nvg_pt_alloc(vm, NVG_PD0_ENTRIES, true);
	if (IS_ERR(vm->root)) {
		int ret = PTR_ERR(vm->root);

		kfree(vm);
		return ERR_PTR(ret);
	}
	resv = drm_gpuvm_resv_object_alloc(&ndev->drm);
	if (!resv) {
		nvg_pt_free(vm, vm->root, NVG_PD0_ENTRIES, NVG_PD1_ENTRIES, NVG_PT_ENTRIES);
		kfree(vm);
		return ERR_PTR(-ENOMEM);
	}
	drm_gpuvm_init(&vm->base, "nvghost", 0, &ndev->drm, resv,
		       DRM_NVGHOST_VA_START, DRM_NVGHOST_VA_END - DRM_NVGHOST_VA_START,
		       0, 0, &nvg_gpuvm_ops);
	/* The VM holds the only reference it needs. */
	drm_gem_object_put(resv);
	nvg_uvm_vm_register(vm, vm->root->addr);
	return vm;
}

/**
 * nvg_vm_destroy() - unmap everything and free the address space
 * @vm: the VM; no job may still use it.
 */
void nvg_vm_destroy(struct nvg_vm *vm)
{
	struct nvg_bind_ctx ctx = { .vm = vm };
	int idx;

	nvg_uvm_vm_unregister(vm, vm->root->addr);
	mutex_lock(&vm->lock);
	nvg_vm_wait_idle(vm);
	nvg_vm_free_uses(vm);
	/* After an unplug only the bookkeeping goes: no GPU, no tables to scrub. */
	vm->gone = !drm_dev_enter(&vm->ndev->drm, &idx);
	mutex_lock(&vm->uvm_lock);
	drm_gpuvm_sm_unmap(&vm->base, &ctx, DRM_NVGHOST_VA_START,
			   DRM_NVGHOST_VA_END - DRM_NVGHOST_VA_START);
	nvg_pt_free(vm, vm->root, NVG_PD0_ENTRIES, NVG_PD1_ENTRIES, NVG_PT_ENTRIES);
	vm->root = NULL;
	mutex_unlock(&vm->uvm_lock);
	if (!vm->gone)
		drm_dev_exit(idx);
	mutex_unlock(&vm->lock);
	drm_gpuvm_put(&vm->base);
}

/**
 * nvg_vm_check_range() - is [va, va + size) mapped, and writable if asked?
 * @vm: the VM; its lock held.
 * @va: first byte.
 * @size: bytes, not 0.
 * @write: the GPU will write there.
 *
 * Return: true if every byte is mapped (and writable for @write).
 */
bool nvg_vm_check_range(struct nvg_vm *vm, u64 va, u64 size, bool write)
{
	struct drm_gpuva *gva;
	u64 next = va, end;

	lockdep_assert_held(&vm->lock);
	if (check_add_overflow(va, size, &end))
		return false;
	drm_gpuvm_for_each_va_range(gva, &vm->base, va, end) {
		if (gva->va.addr > next)
			return false;	/* a hole */
		if (write && container_of(gva, struct nvg_vma, base)->read_only)
			return false;
		next = gva->va.addr + gva->va.range;
		if (next >= end)
			return true;
	}
	return next >= end;
}

struct nvg_read_walk {
	struct nvg_device *ndev;
	u8 *dst;
};

static int nvg_vm_read_vram_run(void *arg, u64 bo_offset, u64 addr, u64 len)
{
	struct nvg_read_walk *w = arg;

	while (len) {
		u32 n = min_t(u64, len, PAGE_SIZE - offset_in_page(addr));
		struct page *page = nvg_vram_page(&w->ndev->hal, addr);
		void *map;

		if (!page)
			return -ENOMEM;
		map = kmap_local_page(page);
		memcpy(w->dst, map + offset_in_page(addr), n);
		kunmap_local(map);
		w->dst += n;
		addr += n;
		len -= n;
	}
	return 0;
}

/* Read @len bytes at @offset of a mapped (so pinned) object, as the CPU. */
static int nvg_bo_read(struct nvg_device *ndev, struct nvg_bo *bo, u64 offset,
		       void *dst, u64 len)
{
	struct nvg_read_walk w = { .ndev = ndev, .dst = dst };

	if (bo->placement == DRM_NVGHOST_PLACEMENT_VRAM)
		return nvg_bo_walk(bo, offset, len, nvg_vm_read_vram_run, &w);
	if (!bo->shmem.pages)
		return -EINVAL;	/* imported: no CPU pages of ours */
	while (len) {
		u32 n = min_t(u64, len, PAGE_SIZE - offset_in_page(offset));
		void *map = kmap_local_page(bo->shmem.pages[offset >> PAGE_SHIFT]);

		memcpy(w.dst, map + offset_in_page(offset), n);
		kunmap_local(map);
		w.dst += n;
		offset += n;
		len -= n;
	}
	return 0;
}

/**
 * nvg_vm_read() - read GPU virtual memory as the CPU (pushbuffers)
 * @vm: the VM; its lock held.
 * @va: first byte.
 * @dst: where to.
 * @len: bytes.
 *
 * Return: 0, or -EINVAL if part of the range is not mapped or lives in an
 * imported buffer.
 */
int nvg_vm_read(struct nvg_vm *vm, u64 va, void *dst, u64 len)
{
	struct drm_gpuva *gva;
	u64 end = va + len;
	int ret;

	lockdep_assert_held(&vm->lock);
	if (!nvg_vm_check_range(vm, va, len, false))
		return -EINVAL;
	drm_gpuvm_for_each_va_range(gva, &vm->base, va, end) {
		u64 from = max(va, gva->va.addr);
		u64 to = min(end, gva->va.addr + gva->va.range);

		ret = nvg_bo_read(vm->ndev, to_nvg_bo(gva->gem.obj),
				  gva->gem.offset + (from - gva->va.addr),
				  dst + (from - va), to - from);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * nvg_vm_reserve_job() - make room to record a job in the VM
 * @vm: the VM; its lock held.
 * @rs: the ranges the job reaches; sorted and merged here.
 * @use: set to the record nvg_vm_add_job() takes (free it with
 *	nvg_vm_use_free() if the job is not added after all).
 *
 * Called before the job is armed, since adding the job must not fail. On
 * success the VM's reservation object stays locked until nvg_vm_add_job():
 * a reserved fence slot is only guaranteed while the lock is held (the
 * kernel's dma-resv debugging takes it back at unlock), so nothing that can
 * fail may come between the two.
 *
 * Return: 0 or -ENOMEM (the reservation unlocked).
 */
int nvg_vm_reserve_job(struct nvg_vm *vm, struct nvg_vm_ranges *rs,
		       struct nvg_vm_use **use)
{
	struct dma_resv *resv = drm_gpuvm_resv(&vm->base);
	struct nvg_vm_use *u;
	u32 i, n = 0;
	int ret;

	lockdep_assert_held(&vm->lock);
	sort(rs->r, rs->nr, sizeof(*rs->r), nvg_va_range_cmp, NULL);
	for (i = 0; i < rs->nr; i++) {
		if (n && rs->r[i].start <= rs->r[n - 1].end)
			rs->r[n - 1].end = max(rs->r[n - 1].end, rs->r[i].end);
		else
			rs->r[n++] = rs->r[i];
	}
	u = kvmalloc(struct_size(u, r, n), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	u->fence = NULL;
	u->nr = n;
	memcpy(u->r, rs->r, array_size(n, sizeof(*rs->r)));

	dma_resv_lock(resv, NULL);
	ret = dma_resv_reserve_fences(resv, 1);
	if (ret) {
		dma_resv_unlock(resv);
		kvfree(u);
		return ret;
	}
	*use = u;
	return 0;
}

/**
 * nvg_vm_add_job() - record a job that runs in the VM
 * @vm: the VM; its lock held, nvg_vm_reserve_job() done (its reservation
 *	locked since; unlocked here).
 * @fence: the job's finished fence.
 * @use: from nvg_vm_reserve_job(); the VM owns it now.
 *
 * The job's fence goes into the VM's reservation object, as bookkeeping
 * (the VM's destruction waits for all of them), and into @use with the
 * ranges the job reaches: an unmap waits for the jobs that reach its range,
 * so that none can still reach memory that is unmapped and perhaps reused.
 */
void nvg_vm_add_job(struct nvg_vm *vm, struct dma_fence *fence,
		    struct nvg_vm_use *use)
{
	struct dma_resv *resv = drm_gpuvm_resv(&vm->base);

	lockdep_assert_held(&vm->lock);
	dma_resv_assert_held(resv);
	dma_resv_add_fence(resv, fence, DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_unlock(resv);

	use->fence = dma_fence_get(fence);
	list_add_tail(&use->node, &vm->uses);
	vm->nr_uses++;
	/* Finished jobs go from the head; a full sweep when the list doubled. */
	nvg_vm_prune_uses(vm, vm->nr_uses > 2 * vm->nr_uses_swept + 64);
}

/* The VRAM address of the root directory, for the GPU's channel setup. */
u64 nvg_vm_pdb(struct nvg_vm *vm)
{
	return vm->root->addr;
}

/*
 * The page tables changed: the MMU must not use a translation it cached
 * before (the HAL's TLB invalidate). Under vm->lock and drm_dev_enter().
 */
static void nvg_vm_flush(struct nvg_vm *vm)
{
	nvg_hw_mmu_invalidate(&vm->ndev->hal, nvg_vm_pdb(vm));
}

static int nvg_vm_bind_check(struct drm_device *drm,
			     const struct drm_nvghost_vm_bind *args)
{
	u64 end;

	if (args->pad)
		return -EINVAL;
	if (args->op > DRM_NVGHOST_VM_BIND_UNMAP) {
		drm_dbg_driver(drm, "vm_bind: unknown op %u\n", args->op);
		return -EINVAL;
	}
	if (args->flags & ~DRM_NVGHOST_VM_BIND_FLAGS ||
	    (args->op == DRM_NVGHOST_VM_BIND_UNMAP && args->flags)) {
		drm_dbg_driver(drm, "vm_bind: bad flags 0x%x\n", args->flags);
		return -EINVAL;
	}
	if (args->op == DRM_NVGHOST_VM_BIND_UNMAP && (args->handle || args->bo_offset)) {
		drm_dbg_driver(drm, "vm_bind: unmap takes no handle or offset\n");
		return -EINVAL;
	}
	if (!args->range || !IS_ALIGNED(args->va | args->bo_offset | args->range,
					NVG_PAGE_SIZE)) {
		drm_dbg_driver(drm,
			       "vm_bind: va, offset and range must be 4 KiB aligned, range > 0\n");
		return -EINVAL;
	}
	if (check_add_overflow(args->va, args->range, &end) ||
	    args->va < DRM_NVGHOST_VA_START || end > DRM_NVGHOST_VA_END) {
		drm_dbg_driver(drm, "vm_bind: [0x%llx, +0x%llx) outside the user range\n",
			       args->va, args->range);
		return -EINVAL;
	}
	return 0;
}

static int nvg_vm_bind_map(struct nvg_vm *vm, struct drm_file *file,
			   const struct drm_nvghost_vm_bind *args)
{
	struct nvg_bind_ctx ctx = {
		.vm = vm,
		.read_only = args->flags & DRM_NVGHOST_VM_BIND_READ_ONLY,
	};
	struct drm_gem_object *obj;
	u64 end;
	int ret, idx;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	if (check_add_overflow(args->bo_offset, args->range, &end) || end > obj->size) {
		drm_dbg_driver(&vm->ndev->drm, "vm_bind: range beyond the object\n");
		ret = -EINVAL;
		goto out_put;
	}

	mutex_lock(&vm->lock);
	/* Page tables live in VRAM: the device must stay while they change. */
	if (!drm_dev_enter(&vm->ndev->drm, &idx)) {
		ret = -ENODEV;
		goto out_unlock_vm;
	}
	if (!drm_gpuvm_interval_empty(&vm->base, args->va, args->range)) {
		drm_dbg_driver(&vm->ndev->drm, "vm_bind: [0x%llx, +0x%llx) is in use\n",
			       args->va, args->range);
		ret = -EEXIST;
		goto out_unlock;
	}
	dma_resv_lock(obj->resv, NULL);
	ctx.vm_bo = drm_gpuvm_bo_obtain(&vm->base, obj);
	dma_resv_unlock(obj->resv);
	if (IS_ERR(ctx.vm_bo)) {
		ret = PTR_ERR(ctx.vm_bo);
		goto out_unlock;
	}
	mutex_lock(&vm->uvm_lock);
	ret = drm_gpuvm_sm_map(&vm->base, &ctx, args->va, args->range, obj,
			       args->bo_offset);
	/* Even a failed map may have written entries (and cleared them). */
	nvg_vm_flush(vm);
	mutex_unlock(&vm->uvm_lock);
	/* The mapping holds its own vm_bo reference; drop obtain()'s. */
	drm_gem_object_get(obj);
	dma_resv_lock(obj->resv, NULL);
	drm_gpuvm_bo_put(ctx.vm_bo);
	dma_resv_unlock(obj->resv);
	drm_gem_object_put(obj);
out_unlock:
	drm_dev_exit(idx);
out_unlock_vm:
	mutex_unlock(&vm->lock);
out_put:
	drm_gem_object_put(obj);
	return ret;
}

/*
 * Unmap [va, va + range) once no job reaches it any more. The wait is
 * interruptible and holds no lock, so submissions (perhaps the very one
 * that lets a waiting job finish) go on meanwhile; nothing changes before
 * the unmap itself, so an interrupted call can simply be made again.
 */
static int nvg_vm_bind_unmap(struct nvg_vm *vm, const struct drm_nvghost_vm_bind *args)
{
	struct nvg_bind_ctx ctx = { .vm = vm };
	u64 end = args->va + args->range;
	struct dma_fence *fence;
	long ret;
	int idx;

	for (;;) {
		if (mutex_lock_interruptible(&vm->lock))
			return -ERESTARTSYS;
		if (drm_gpuvm_interval_empty(&vm->base, args->va, args->range)) {
			drm_dbg_driver(&vm->ndev->drm,
				       "vm_bind: nothing mapped in [0x%llx, +0x%llx)\n",
				       args->va, args->range);
			ret = -ENOENT;
			goto out_unlock;
		}
		if (!nvg_vm_check_range(vm, args->va, args->range, false)) {
			drm_dbg_driver(&vm->ndev->drm,
				       "vm_bind: [0x%llx, +0x%llx) is not wholly mapped\n",
				       args->va, args->range);
			ret = -EINVAL;
			goto out_unlock;
		}
		fence = nvg_vm_busy_fence(vm, args->va, end);
		if (!fence)
			break;
		mutex_unlock(&vm->lock);
		ret = dma_fence_wait(fence, true);
		dma_fence_put(fence);
		if (ret)
			return ret;
	}
	/* Entered after the wait: an unplug must not wait for the VM's jobs. */
	if (drm_dev_enter(&vm->ndev->drm, &idx)) {
		mutex_lock(&vm->uvm_lock);
		ret = drm_gpuvm_sm_unmap(&vm->base, &ctx, args->va, args->range);
		nvg_vm_flush(vm);
		mutex_unlock(&vm->uvm_lock);
		drm_dev_exit(idx);
	} else {
		ret = -ENODEV;
	}
out_unlock:
	mutex_unlock(&vm->lock);
	return ret;
}

/**
 * nvg_ioctl_vm_bind() - map or unmap a range of the caller's GPU VA space
 * @drm: the device.
 * @data: a &struct drm_nvghost_vm_bind.
 * @file: the caller.
 *
 * An unmap first waits for the jobs that reach the range (interruptibly:
 * -ERESTARTSYS, or -EINTR for a caller whose signal handler does not
 * restart system calls; nothing was unmapped then).
 *
 * Return: 0; -EINVAL for malformed arguments or an unmap of a range that
 * is only partly mapped, -ENOENT for an unknown handle or an unmap of a
 * range where nothing is mapped, -EEXIST if a map overlaps an existing
 * mapping, -ENOSPC if VRAM has no room for page tables, -ENOMEM,
 * -ERESTARTSYS, -ENODEV once the device is unplugged.
 */
int nvg_ioctl_vm_bind(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct nvg_client *client = file->driver_priv;
	struct drm_nvghost_vm_bind *args = data;
	struct nvg_vm *vm = client->vm;
	int ret;

	ret = nvg_vm_bind_check(drm, args);
	if (ret)
		return ret;
	if (args->op == DRM_NVGHOST_VM_BIND_MAP)
		return nvg_vm_bind_map(vm, file, args);
	return nvg_vm_bind_unmap(vm, args);
}

/**
 * nvg_vm_uvm_update() - rewrite the entries of a managed buffer's pages
 * @vm: the VM (a reference held).
 * @bo: the managed buffer.
 * @bo_offset: first byte of the buffer, 64 KiB aligned.
 * @len: bytes.
 * @vram_addr: where byte @bo_offset is in VRAM now, or U64_MAX: not
 *	resident (the entries become invalid and replayable).
 *
 * Every mapping of the range in @vm is rewritten, then the TLBs
 * invalidated: when this returns, no GPU access reaches the old place.
 * Called from nvghost_uvm.c under its lock, within drm_dev_enter(); takes
 * @vm->uvm_lock, never @vm->lock (see &struct nvg_vm).
 *
 * Return: 0 or -ENOMEM.
 */
int nvg_vm_uvm_update(struct nvg_vm *vm, struct nvg_bo *bo, u64 bo_offset,
		      u64 len, u64 vram_addr)
{
	struct drm_gpuva *va;
	bool written = false;
	int ret = 0;

	mutex_lock(&vm->uvm_lock);
	if (!vm->root || vm->gone)
		goto out;
	drm_gpuvm_for_each_va(va, &vm->base) {
		struct nvg_vma *vma = container_of(va, struct nvg_vma, base);
		u64 start = max(bo_offset, va->gem.offset);
		u64 end = min(bo_offset + len, va->gem.offset + va->va.range);
		u64 off, pte;

		if (va->gem.obj != &bo->shmem.base || start >= end)
			continue;
		for (off = start; off < end && !ret; off += NVG_PAGE_SIZE) {
			if (vram_addr == U64_MAX)
				pte = NVG_PTE_REPLAYABLE |
				      (vma->read_only ? NVG_PTE_READ_ONLY : 0);
			else
				pte = nvg_pte_encode(vram_addr + off - bo_offset, true,
						     vma->read_only);
			ret = nvg_vm_set_pte(vm, va->va.addr + off - va->gem.offset, pte);
		}
		written = true;
	}
	if (written)
		nvg_vm_flush(vm);
out:
	mutex_unlock(&vm->uvm_lock);
	return ret;
}

/**
 * nvg_vm_uvm_lookup() - which object is mapped at @va
 * @vm: the VM (a reference held).
 * @va: a GPU virtual address.
 * @bo_offset: set to @va's offset in the object.
 *
 * Return: the object with a reference, or NULL.
 */
struct drm_gem_object *nvg_vm_uvm_lookup(struct nvg_vm *vm, u64 va, u64 *bo_offset)
{
	struct drm_gem_object *obj = NULL;
	struct drm_gpuva *gva;

	mutex_lock(&vm->uvm_lock);
	gva = vm->root ? drm_gpuva_find_first(&vm->base, va, 1) : NULL;
	if (gva && gva->gem.obj) {
		obj = gva->gem.obj;
		drm_gem_object_get(obj);
		*bo_offset = gva->gem.offset + (va - gva->va.addr);
	}
	mutex_unlock(&vm->uvm_lock);
	return obj;
}
