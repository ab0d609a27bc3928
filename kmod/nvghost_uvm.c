// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_uvm.c - managed (unified) memory: replayable GPU faults,
 * migration, eviction under oversubscription, CPU faults back.
 *
 * A managed buffer (DRM_NVGHOST_PLACEMENT_MANAGED) has no backing when it
 * is created. Its layout follows NVIDIA UVM: 2 MiB blocks of 64 KiB pages.
 * Each page is in exactly one place: VRAM (resident: the block then owns a
 * 2 MiB VRAM chunk, and the VRAM copy is the data), system memory
 * (populated: 4 KiB host pages, allocated when first needed), or nowhere
 * yet (reads as zero).
 *
 * GPU side: a mapping's page table entries start invalid and replayable
 * (nvghost_vm.c). An engine that reaches such a page stalls and reports
 * the fault (sim/nvg_sim_fault.c); the interrupt handler acknowledges and
 * queues fault_work, which reads the whole fault buffer (one batch),
 * services each fault under the device's uvm lock and then replays every
 * stalled access. Servicing a fault on page P of block B:
 *   1. asks the memory policy (nvghost_mem_ops.c: a BPF nvg_mem_ops or the
 *      built-in default, UVM's density prefetch) which pages of B to bring
 *      in: P, plus a prefetch region;
 *   2. gives B a VRAM chunk if it has none, evicting the least recently
 *      used block (or the policy's choice) while VRAM -- or the managed
 *      share of it, module parameter uvm_vram_mb -- is full;
 *   3. tears down CPU mappings of those pages, copies the populated ones
 *      from system memory with the copy engine (its PCIe time is charged
 *      to copy engine 1 and to the faulting engine's access), and leaves
 *      the others as the chunk's zeroes (first touch);
 *   4. points every mapping's entries at the chunk and invalidates the
 *      TLBs.
 * A fault in a range that maps no managed buffer, or that cannot be
 * serviced (no VRAM even after evicting everything else), is cancelled:
 * that engine's job ends with an MMU fault, as for an unmapped address.
 *
 * Eviction of a block: its entries become replayable again and the TLBs
 * are invalidated (which waits for accesses in flight), then its resident
 * pages are copied back to system memory and the chunk is freed. The order
 * is what keeps data whole: after the invalidation no GPU write can land
 * in the chunk, and a CPU access waits on the uvm lock.
 *
 * CPU side: CPU mappings show the system-memory pages. A CPU fault on a
 * page that is resident in VRAM migrates that 64 KiB page back first (GPU
 * entries invalidated, copied out); migrating a page to VRAM unmaps it
 * from every CPU mapping first. So there is one copy of each page, CPU
 * and GPU never see different data, and nothing needs a coherent VRAM
 * window (what UVM does by default; mapping VRAM through BAR1 would make
 * CPU access to GPU-resident data slow and uncached on real hardware).
 *
 * Thrashing: a block evicted and faulted back in uvm_thrash_n times is
 * reported (tracepoint nvghost_uvm_thrash, fdinfo, debugfs).
 *
 * Lock order: mmap_lock (CPU faults), then uvm->lock, then a VM's
 * uvm_lock (nvg_vm_uvm_update(): never its lock, which a submit holds
 * while it reads user memory) or the mapping's i_mmap_rwsem, then the
 * simulator's locks. No path takes uvm->lock under a VM's locks: a buffer's
 * last reference, which may go in an unmap, frees it from a work item, and
 * a VM being destroyed leaves the registry (under uvm->lock) before it
 * takes its locks and waits for its jobs, so those jobs' faults get
 * cancelled, not stuck.
 */
#include <linux/bitmap.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "nvghost_drv.h"
#include "nvghost_mem_ops.h"
#include "nvghost_trace.h"
#include "nvghost_uvm.h"
#include "nvghost_vm.h"
#include "../uapi/nvghost_drm.h"

unsigned int nvg_uvm_vram_mb;
module_param_named(uvm_vram_mb, nvg_uvm_vram_mb, uint, 0644);
MODULE_PARM_DESC(uvm_vram_mb,
		 "VRAM managed memory may use, MiB (0: all that is free; at run time too)");

unsigned int nvg_uvm_thrash_n = 3;
module_param_named(uvm_thrash_n, nvg_uvm_thrash_n, uint, 0644);
MODULE_PARM_DESC(uvm_thrash_n,
		 "A block evicted and faulted back this many times is reported as thrashing (3)");

/*
 * Where managed buffers are freed (nvg_uvm_bo_free()): module-wide, so that
 * a work that drops its device's last reference is not on a queue that the
 * device's release destroys, and module unload drains it.
 */
static struct workqueue_struct *nvg_uvm_free_wq;

/* Faults serviced in one batch, as UVM's fault batch. */
#define NVG_UVM_BATCH		32
#define NVG_UVM_SUBPAGES	(NVG_UVM_PAGE_SIZE >> PAGE_SHIFT)

static struct nvg_uvm *nvg_uvm_of(struct nvg_device *ndev)
{
	return ndev->uvm;
}

static u64 nvg_uvm_limit(void)
{
	u32 mb = READ_ONCE(nvg_uvm_vram_mb);

	return mb ? (u64)mb << 20 : U64_MAX;
}

static u32 nvg_uvm_all_pages(struct nvg_uvm_block *blk)
{
	return blk->nr_pages == 32 ? U32_MAX : BIT(blk->nr_pages) - 1;
}

static u64 nvg_uvm_block_offset(struct nvg_uvm_block *blk)
{
	return (u64)blk->index << NVG_UVM_BLOCK_SHIFT;
}

/* ---- system memory pages ---- */

/* The 4 KiB host page @i of @ubo, allocated (zeroed) when first needed. */
static struct page *nvg_uvm_sys_page(struct nvg_uvm_bo *ubo, pgoff_t i)
{
	if (!ubo->sys[i])
		ubo->sys[i] = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	return ubo->sys[i];
}

/*
 * Copy 64 KiB page @page of @blk between its system pages and its VRAM
 * chunk with the copy engine.
 */
static int nvg_uvm_copy_page(struct nvg_uvm *u, struct nvg_uvm_block *blk,
			     u32 page, bool to_vram)
{
	struct nvg_device *ndev = u->ndev;
	struct device *dev = ndev->drm.dev;
	pgoff_t first = (nvg_uvm_block_offset(blk) + ((u64)page << NVG_UVM_PAGE_SHIFT)) >>
			PAGE_SHIFT;
	u64 vram = blk->vram + ((u64)page << NVG_UVM_PAGE_SHIFT), cost;
	struct page *p;
	dma_addr_t dma;
	u32 i;
	int ret;

	for (i = 0; i < NVG_UVM_SUBPAGES; i++) {
		p = nvg_uvm_sys_page(blk->ubo, first + i);
		if (!p)
			return -ENOMEM;
		dma = dma_map_page(dev, p, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
		if (dma_mapping_error(dev, dma))
			return -ENOMEM;
		if (to_vram)
			ret = nvg_hw_mmu_migrate(&ndev->hal, vram + i * PAGE_SIZE, true,
						 dma, false, PAGE_SIZE, &cost);
		else
			ret = nvg_hw_mmu_migrate(&ndev->hal, dma, false,
						 vram + i * PAGE_SIZE, true, PAGE_SIZE, &cost);
		dma_unmap_page(dev, dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
		if (ret)
			return ret;
		u->stats.migrate_ns += cost;
	}
	return 0;
}

/*
 * Whether an engine reached 64 KiB page @page of @blk's chunk since the
 * last call for it (the MMU's accessed bits; read and cleared).
 */
static bool nvg_uvm_accessed(struct nvg_uvm *u, struct nvg_uvm_block *blk, u32 page)
{
	return nvg_hw_mmu_accessed(&u->ndev->hal, blk->vram + ((u64)page << NVG_UVM_PAGE_SHIFT),
				   NVG_UVM_PAGE_SIZE);
}

/* ---- page tables and CPU mappings ---- */

/*
 * Point every GPU mapping of @mask's pages at the chunk (@resident) or make
 * them replayable again; TLBs invalidated on return.
 */
static int nvg_uvm_set_ptes(struct nvg_uvm *u, struct nvg_uvm_block *blk, u32 mask,
			    bool resident)
{
	struct nvg_bo *bo = blk->ubo->bo;
	unsigned long bits = mask, idx;
	u32 first, n;
	int ret = 0;

	for (first = 0; first < 32; first += n) {
		u64 off, len, vram;
		struct nvg_vm *vm;

		first = find_next_bit(&bits, 32, first);
		if (first >= 32)
			break;
		n = find_next_zero_bit(&bits, 32, first) - first;
		off = nvg_uvm_block_offset(blk) + ((u64)first << NVG_UVM_PAGE_SHIFT);
		len = (u64)n << NVG_UVM_PAGE_SHIFT;
		vram = resident ? blk->vram + ((u64)first << NVG_UVM_PAGE_SHIFT) : U64_MAX;
		xa_for_each(&u->vms, idx, vm)
			ret = nvg_vm_uvm_update(vm, bo, off, len, vram) ?: ret;
	}
	return ret;
}

/* CPU mappings of @mask's pages go: the next CPU access faults. */
static void nvg_uvm_cpu_unmap(struct nvg_uvm *u, struct nvg_uvm_block *blk, u32 mask)
{
	struct drm_gem_object *obj = &blk->ubo->bo->shmem.base;
	struct address_space *mapping = u->ndev->drm.anon_inode->i_mapping;
	unsigned long bits = mask;
	u32 first, n;

	for (first = 0; first < 32; first += n) {
		first = find_next_bit(&bits, 32, first);
		if (first >= 32)
			break;
		n = find_next_zero_bit(&bits, 32, first) - first;
		unmap_mapping_range(mapping, drm_vma_node_offset_addr(&obj->vma_node) +
				    nvg_uvm_block_offset(blk) +
				    ((u64)first << NVG_UVM_PAGE_SHIFT),
				    (u64)n << NVG_UVM_PAGE_SHIFT, 1);
	}
}

/* ---- migration ---- */

static void nvg_uvm_chunk_free(struct nvg_uvm *u, struct nvg_uvm_block *blk)
{
	if (list_empty(&blk->chunk))
		return;
	list_del_init(&blk->lru);
	nvg_vram_free(u->ndev, &blk->chunk);
	u->used -= NVG_UVM_BLOCK_SIZE;
}

/*
 * Move @mask's resident pages of @blk back to system memory; the chunk goes
 * when nothing of it is left resident.
 */
static int nvg_uvm_out(struct nvg_uvm *u, struct nvg_uvm_block *blk, u32 mask)
{
	struct nvg_uvm_bo *ubo = blk->ubo;
	unsigned long bits;
	u32 page, wasted;
	int ret;

	mask &= blk->resident;
	if (!mask)
		return 0;
	/* First no GPU access can reach the pages, then copy them out. */
	ret = nvg_uvm_set_ptes(u, blk, mask, false);
	if (ret)
		return ret;
	bits = mask;
	for_each_set_bit(page, &bits, 32) {
		ret = nvg_uvm_copy_page(u, blk, page, false);
		if (ret) {
			/* The data stays in VRAM: map it again. */
			nvg_uvm_set_ptes(u, blk, mask, true);
			return ret;
		}
	}
	/* prefetched pages no engine reached since they came in (nvg_uvm_in()) */
	wasted = 0;
	bits = mask & blk->prefetched;
	for_each_set_bit(page, &bits, 32)
		wasted += !nvg_uvm_accessed(u, blk, page);
	blk->prefetched &= ~mask;
	blk->resident &= ~mask;
	blk->populated |= mask;
	ubo->resident_bytes -= (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT;
	ubo->migrated_out += (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT;
	ubo->wasted_prefetch += (u64)wasted << NVG_UVM_PAGE_SHIFT;
	u->stats.migrated_out += (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT;
	u->stats.wasted_prefetch += (u64)wasted << NVG_UVM_PAGE_SHIFT;
	if (!blk->resident)
		nvg_uvm_chunk_free(u, blk);
	return 0;
}

static int nvg_uvm_evict(struct nvg_uvm *u, struct nvg_uvm_block *blk)
{
	u32 mask = blk->resident;
	int ret;

	ret = nvg_uvm_out(u, blk, mask);
	if (ret)
		return ret;
	nvg_uvm_chunk_free(u, blk);	/* also if nothing was resident */
	blk->evictions++;
	blk->ubo->evicted_bytes += (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT;
	u->stats.evictions++;
	trace_nvghost_uvm_evict(u->ndev->index, blk->ubo->pid, blk->index, mask,
				(u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT);
	return 0;
}

/* Find @bo_id's block @block (policies name blocks so). uvm->lock held. */
struct nvg_uvm_block *nvg_uvm_find_block(struct nvg_uvm *u, u64 bo_id, u32 block)
{
	struct nvg_uvm_bo *ubo;

	list_for_each_entry(ubo, &u->bos, node)
		if (ubo->id == bo_id)
			return block < ubo->nr_blocks ? &ubo->blocks[block] : NULL;
	return NULL;
}

/* Give @blk a VRAM chunk, evicting others while VRAM is full. */
static int nvg_uvm_chunk_alloc(struct nvg_uvm *u, struct nvg_uvm_block *blk)
{
	struct nvg_uvm_block *victim;
	int ret;

	for (;;) {
		if (u->used + NVG_UVM_BLOCK_SIZE <= nvg_uvm_limit()) {
			ret = nvg_vram_alloc_chunk(u->ndev, NVG_UVM_BLOCK_SIZE,
						   &blk->chunk, &blk->vram);
			if (!ret)
				break;
			if (ret != -ENOSPC)
				return ret;
		}
		victim = nvg_mem_choose_victim(u, blk);
		if (!victim)
			return -ENOSPC;
		ret = nvg_uvm_evict(u, victim);
		if (ret)
			return ret;
	}
	u->used += NVG_UVM_BLOCK_SIZE;
	list_add_tail(&blk->lru, &u->lru);
	if (blk->evictions && ++blk->roundtrips >= max(1U, READ_ONCE(nvg_uvm_thrash_n))) {
		blk->roundtrips = 0;
		blk->ubo->thrash++;
		u->stats.thrash++;
		trace_nvghost_uvm_thrash(u->ndev->index, blk->ubo->pid, blk->index,
					 blk->resident, (u64)blk->evictions);
	}
	nvg_mem_notify_activate(u, blk);
	return 0;
}

/* Make @mask's pages of @blk resident. */
static int nvg_uvm_in(struct nvg_uvm *u, struct nvg_uvm_block *blk, u32 mask)
{
	struct nvg_uvm_bo *ubo = blk->ubo;
	unsigned long bits;
	u32 page, copied = 0;
	int ret;

	mask &= ~blk->resident & nvg_uvm_all_pages(blk);
	if (!mask)
		return 0;
	if (list_empty(&blk->chunk)) {
		ret = nvg_uvm_chunk_alloc(u, blk);
		if (ret)
			return ret;
	}
	/* No CPU access may write behind the copy. */
	nvg_uvm_cpu_unmap(u, blk, mask & blk->populated);
	bits = mask & blk->populated;
	for_each_set_bit(page, &bits, 32) {
		ret = nvg_uvm_copy_page(u, blk, page, true);
		if (ret)
			goto err;
		copied++;
	}
	/* nothing maps them yet: from here on an access is this residency's */
	bits = mask;
	for_each_set_bit(page, &bits, 32)
		nvg_uvm_accessed(u, blk, page);
	/*
	 * The others were never written anywhere: they keep the chunk's
	 * zeroes (a page only leaves the chunk through nvg_uvm_out(), which
	 * makes it populated).
	 */
	blk->resident |= mask;
	ubo->resident_bytes += (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT;
	ubo->migrated_in += (u64)copied << NVG_UVM_PAGE_SHIFT;
	u->stats.migrated_in += (u64)copied << NVG_UVM_PAGE_SHIFT;
	ret = nvg_uvm_set_ptes(u, blk, mask, true);
	if (ret)
		return ret;
	trace_nvghost_uvm_migrate(u->ndev->index, ubo->pid, blk->index, mask,
				  (u64)copied << NVG_UVM_PAGE_SHIFT);
	return 0;

err:
	if (!blk->resident)
		nvg_uvm_chunk_free(u, blk);
	return ret;
}

/* ---- the fault buffer ---- */

static void nvg_uvm_touch(struct nvg_uvm *u, struct nvg_uvm_block *blk)
{
	if (!list_empty(&blk->chunk))
		list_move_tail(&blk->lru, &u->lru);
}

/*
 * Pages of the block at @base (GPU VA of the block's start in @pdb) that
 * faults of this batch reach.
 */
static u32 nvg_uvm_batch_mask(const struct nvg_hal_fault *batch, u32 n, u64 pdb,
			      u64 base, u32 nr_pages)
{
	u32 i, mask = 0;

	for (i = 0; i < n; i++) {
		u64 va = batch[i].va;

		if (batch[i].pdb == pdb && va >= base && va < base + NVG_UVM_BLOCK_SIZE)
			mask |= BIT((va - base) >> NVG_UVM_PAGE_SHIFT);
	}
	return nr_pages == 32 ? mask : mask & (BIT(nr_pages) - 1);
}

/*
 * Service one fault; false if it must be cancelled. uvm->lock held, inside
 * drm_dev_enter().
 */
static bool nvg_uvm_service(struct nvg_uvm *u, const struct nvg_hal_fault *f,
			    const struct nvg_hal_fault *batch, u32 n)
{
	struct drm_gem_object *obj;
	struct nvg_uvm_block *blk;
	struct nvg_uvm_bo *ubo;
	struct nvg_mem_fault mf;
	struct nvg_vm *vm;
	u32 page, faulting, mask;
	u64 off, now;
	bool ok = false;
	int ret;

	vm = xa_load(&u->vms, f->pdb >> PAGE_SHIFT);
	if (!vm)
		return false;
	obj = nvg_vm_uvm_lookup(vm, f->va, &off);
	if (!obj)
		return false;
	if (to_nvg_bo(obj)->placement != DRM_NVGHOST_PLACEMENT_MANAGED)
		goto out;
	ubo = to_nvg_bo(obj)->uvm;
	blk = &ubo->blocks[off >> NVG_UVM_BLOCK_SHIFT];
	page = (off & (NVG_UVM_BLOCK_SIZE - 1)) >> NVG_UVM_PAGE_SHIFT;
	now = nvg_ptimer_read(u->ndev);
	u->stats.faults++;
	ubo->faults++;
	blk->faults++;
	blk->last_ns = now;
	blk->pinned = u->batch;

	faulting = nvg_uvm_batch_mask(batch, n, f->pdb, f->va - (off & (NVG_UVM_BLOCK_SIZE - 1)),
				      blk->nr_pages) | BIT(page);
	nvg_uvm_touch(u, blk);
	nvg_mem_fill_fault(u, &mf, blk, page, faulting, f);
	nvg_mem_notify_access(u, blk, &mf);

	if (blk->resident & BIT(page)) {
		/* Resident already (a prefetch, or another mapping faulted it in). */
		blk->prefetched &= ~BIT(page);
		ok = !nvg_uvm_set_ptes(u, blk, BIT(page), true);
		goto trace;
	}
	blk->in_use = true;
	mask = nvg_mem_fault_region(u, blk, &mf);
	ret = nvg_uvm_in(u, blk, mask);
	blk->in_use = false;
	if (ret) {
		drm_dbg_driver(&u->ndev->drm, "managed fault at 0x%llx not serviced: %d\n",
			       f->va, ret);
		goto out;
	}
	blk->prefetched &= ~faulting;
	mask &= ~faulting;
	if (mask) {
		blk->prefetched |= mask;
		ubo->prefetched_bytes += (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT;
		u->stats.prefetched += (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT;
		trace_nvghost_uvm_prefetch(u->ndev->index, ubo->pid, blk->index, mask,
					   (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT);
	}
	ok = true;
trace:
	trace_nvghost_uvm_fault(u->ndev->index, ubo->pid, f->va, f->write, f->engine,
				blk->index, page, nvg_ptimer_read(u->ndev) - f->time);
out:
	drm_gem_object_put(obj);
	return ok;
}

/* Async migrations the policy asked for (nvg_mem_prefetch()). uvm->lock held. */
static void nvg_uvm_run_prefetch(struct nvg_uvm *u)
{
	struct nvg_uvm_block *blk;
	u32 i, mask;

	for (i = 0; i < u->nr_prefetch; i++) {
		blk = nvg_uvm_find_block(u, u->prefetch[i].bo_id, u->prefetch[i].block);
		if (!blk)
			continue;
		mask = u->prefetch[i].pages & ~blk->resident & nvg_uvm_all_pages(blk);
		if (!mask)
			continue;
		blk->in_use = true;
		if (!nvg_uvm_in(u, blk, mask)) {
			blk->prefetched |= mask;
			blk->ubo->prefetched_bytes += (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT;
			u->stats.prefetched += (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT;
			trace_nvghost_uvm_prefetch(u->ndev->index, blk->ubo->pid,
						   blk->index, mask,
						   (u64)hweight32(mask) << NVG_UVM_PAGE_SHIFT);
		}
		blk->in_use = false;
	}
	u->nr_prefetch = 0;
}

static void nvg_uvm_fault_work(struct work_struct *work)
{
	struct nvg_uvm *u = container_of(work, struct nvg_uvm, fault_work);
	struct nvg_device *ndev = u->ndev;
	struct nvg_hal_fault *batch;
	u32 n, i;
	int idx;

	batch = kcalloc(NVG_UVM_BATCH, sizeof(*batch), GFP_KERNEL);
	if (!batch) {
		/* Try again later; the engines stay stalled meanwhile. */
		queue_work(u->wq, &u->fault_work);
		return;
	}
	if (!drm_dev_enter(&ndev->drm, &idx)) {
		kfree(batch);
		return;	/* the stopped GPU aborts its stalled engines */
	}
	for (;;) {
		for (n = 0; n < NVG_UVM_BATCH && nvg_hw_mmu_fault_pop(&ndev->hal, &batch[n]); n++)
			;
		if (!n)
			break;
		mutex_lock(&u->lock);
		nvg_vgen_count(ndev);	/* a settle goes on (nvg_uvm_settle()) */
		u->stats.batches++;
		u->batch = u->stats.batches;
		for (i = 0; i < n; i++) {
			if (!nvg_uvm_service(u, &batch[i], batch, n)) {
				u->stats.cancels++;
				nvg_hw_mmu_fault_cancel(&ndev->hal, batch[i].engine);
			}
			nvg_mem_watchdog(u, &batch[i]);
		}
		u->stats.replays++;
		nvg_hw_mmu_fault_replay(&ndev->hal);
		nvg_uvm_run_prefetch(u);
		u->batch = 0;	/* its blocks may be evicted again */
		mutex_unlock(&u->lock);
	}
	drm_dev_exit(idx);
	kfree(batch);
}

/**
 * nvg_uvm_irq() - the MMU fault interrupt (NV_PMC_INTR_HUB)
 * @ndev: the device.
 *
 * Hard-IRQ context: acknowledge, and let fault_work read the buffer.
 */
void nvg_uvm_irq(struct nvg_device *ndev)
{
	struct nvg_uvm *u = nvg_uvm_of(ndev);

	nvg_hw_mmu_fault_ack(&ndev->hal);
	atomic64_inc(&ndev->irq_mmu_fault);
	if (u && u->wq)
		queue_work(u->wq, &u->fault_work);
}

/* ---- address spaces ---- */

void nvg_uvm_vm_register(struct nvg_vm *vm, u64 pdb)
{
	struct nvg_uvm *u = nvg_uvm_of(vm->ndev);

	mutex_lock(&u->lock);
	/* On failure (no memory) its faults are cancelled: fatal, not stuck. */
	xa_store(&u->vms, pdb >> PAGE_SHIFT, vm, GFP_KERNEL);
	mutex_unlock(&u->lock);
}

void nvg_uvm_vm_unregister(struct nvg_vm *vm, u64 pdb)
{
	struct nvg_uvm *u = nvg_uvm_of(vm->ndev);

	mutex_lock(&u->lock);
	xa_cmpxchg(&u->vms, pdb >> PAGE_SHIFT, vm, NULL, GFP_KERNEL);
	mutex_unlock(&u->lock);
}

/* ---- buffer objects ---- */

/*
 * The last reference may go under a VM's lock (an unmap), which the fault
 * handler takes under the uvm lock: the chunks are given back from a work
 * item instead. Until then the object's blocks may still be evicted (they
 * are reachable from the LRU): harmless, nothing maps them any more. The
 * object holds its DRM device, so the uvm state outlives the work.
 */
static void nvg_uvm_bo_free_work(struct work_struct *work)
{
	struct nvg_uvm_bo *ubo = container_of(work, struct nvg_uvm_bo, free_work);
	struct nvg_bo *bo = ubo->bo;
	struct drm_gem_object *obj = &bo->shmem.base;
	struct nvg_uvm *u = nvg_uvm_of(to_nvg_device(obj->dev));
	pgoff_t i, npages = obj->size >> PAGE_SHIFT;
	u32 b;

	mutex_lock(&u->lock);
	for (b = 0; b < ubo->nr_blocks; b++)
		nvg_uvm_chunk_free(u, &ubo->blocks[b]);
	list_del(&ubo->node);
	mutex_unlock(&u->lock);
	for (i = 0; i < npages; i++)
		if (ubo->sys[i])
			put_page(ubo->sys[i]);
	kvfree(ubo->sys);
	kvfree(ubo->blocks);
	kfree(ubo);
	drm_gem_object_release(obj);
	kfree(bo);
}

static void nvg_uvm_bo_free(struct drm_gem_object *obj)
{
	struct nvg_bo *bo = to_nvg_bo(obj);

	if (!bo->uvm) {	/* creation failed early */
		drm_gem_object_release(obj);
		kfree(bo);
		return;
	}
	INIT_WORK(&bo->uvm->free_work, nvg_uvm_bo_free_work);
	queue_work(nvg_uvm_free_wq, &bo->uvm->free_work);
}

/*
 * A CPU access: bring the 64 KiB page back to system memory if it is in
 * VRAM, and map its host page.
 */
static vm_fault_t nvg_uvm_cpu_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct drm_gem_object *obj = vma->vm_private_data;
	struct nvg_bo *bo = to_nvg_bo(obj);
	struct nvg_device *ndev = to_nvg_device(obj->dev);
	struct nvg_uvm *u = nvg_uvm_of(ndev);
	struct nvg_uvm_bo *ubo = bo->uvm;
	struct nvg_uvm_block *blk;
	struct page *page;
	vm_fault_t ret = 0;
	pgoff_t pgoff;
	u32 bit;
	int idx;

	pgoff = vmf->pgoff - drm_vma_node_start(&obj->vma_node);
	if (pgoff >= obj->size >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	if (!drm_dev_enter(obj->dev, &idx)) {
		/* Gone: VRAM with it. What was in system memory stays. */
		page = ubo->sys[pgoff] ?: ndev->dummy_page;
		get_page(page);
		vmf->page = page;
		return 0;
	}
	blk = &ubo->blocks[pgoff >> (NVG_UVM_BLOCK_SHIFT - PAGE_SHIFT)];
	bit = (pgoff >> (NVG_UVM_PAGE_SHIFT - PAGE_SHIFT)) % NVG_UVM_PAGES_PER_BLOCK;
	mutex_lock(&u->lock);
	u->stats.cpu_faults++;
	if ((blk->resident & BIT(bit)) && nvg_uvm_out(u, blk, BIT(bit))) {
		ret = VM_FAULT_SIGBUS;
		goto out;
	}
	page = nvg_uvm_sys_page(ubo, pgoff);
	if (!page) {
		ret = VM_FAULT_OOM;
		goto out;
	}
	/* The CPU may write it: the system page is the data from now on. */
	blk->populated |= BIT(bit);
	get_page(page);
	vmf->page = page;
out:
	mutex_unlock(&u->lock);
	drm_dev_exit(idx);
	return ret;
}

static const struct vm_operations_struct nvg_uvm_vm_ops = {
	.fault = nvg_uvm_cpu_fault,
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

static int nvg_uvm_bo_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	/* A private mapping would copy pages on write: a second copy of the data. */
	if (is_cow_mapping(vma->vm_flags)) {
		drm_dbg_driver(obj->dev, "managed objects can only be mapped shared\n");
		return -EINVAL;
	}
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	return 0;
}

static struct dma_buf *nvg_uvm_bo_export(struct drm_gem_object *obj, int flags)
{
	/* Its pages move: no importer could keep a DMA address. */
	return ERR_PTR(-EOPNOTSUPP);
}

static const struct drm_gem_object_funcs nvg_uvm_funcs = {
	.free = nvg_uvm_bo_free,
	.export = nvg_uvm_bo_export,
	.mmap = nvg_uvm_bo_mmap,
	.vm_ops = &nvg_uvm_vm_ops,
};

/**
 * nvg_uvm_bo_create() - a managed buffer object
 * @ndev: the device.
 * @size: bytes, page aligned, not 0.
 *
 * Nothing backs it yet: VRAM comes with the GPU's first touch, system
 * memory with the CPU's or with an eviction.
 *
 * Return: the object with one reference, or an ERR_PTR (-ENOMEM).
 */
struct nvg_bo *nvg_uvm_bo_create(struct nvg_device *ndev, u64 size)
{
	struct nvg_uvm *u = nvg_uvm_of(ndev);
	struct drm_gem_object *obj;
	struct nvg_uvm_bo *ubo;
	struct nvg_bo *bo;
	u32 b, nr_pages;
	int ret;

	if (size > (u64)totalram_pages() << PAGE_SHIFT)
		return ERR_PTR(-ENOMEM);
	size = ALIGN(size, NVG_UVM_PAGE_SIZE);
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->placement = DRM_NVGHOST_PLACEMENT_MANAGED;
	INIT_LIST_HEAD(&bo->blocks);
	obj = &bo->shmem.base;
	obj->funcs = &nvg_uvm_funcs;
	drm_gem_private_object_init(&ndev->drm, obj, size);

	ret = -ENOMEM;
	ubo = kzalloc(sizeof(*ubo), GFP_KERNEL);
	if (!ubo)
		goto err_put;
	ubo->bo = bo;
	ubo->nr_blocks = DIV_ROUND_UP_ULL(size, NVG_UVM_BLOCK_SIZE);
	ubo->blocks = kvcalloc(ubo->nr_blocks, sizeof(*ubo->blocks), GFP_KERNEL);
	ubo->sys = kvcalloc(size >> PAGE_SHIFT, sizeof(*ubo->sys), GFP_KERNEL);
	if (!ubo->blocks || !ubo->sys) {
		kvfree(ubo->blocks);
		kvfree(ubo->sys);
		kfree(ubo);
		goto err_put;
	}
	for (b = 0; b < ubo->nr_blocks; b++) {
		struct nvg_uvm_block *blk = &ubo->blocks[b];

		nr_pages = min_t(u64, NVG_UVM_PAGES_PER_BLOCK,
				 (size - ((u64)b << NVG_UVM_BLOCK_SHIFT)) >> NVG_UVM_PAGE_SHIFT);
		blk->ubo = ubo;
		blk->index = b;
		blk->nr_pages = nr_pages;
		INIT_LIST_HEAD(&blk->chunk);
		INIT_LIST_HEAD(&blk->lru);
	}
	ubo->pid = task_tgid_nr(current);
	get_task_comm(ubo->comm, current);
	mutex_lock(&u->lock);
	ubo->id = ++u->next_id;
	list_add_tail(&ubo->node, &u->bos);
	mutex_unlock(&u->lock);
	bo->uvm = ubo;

	ret = drm_gem_create_mmap_offset(obj);
	if (ret)
		goto err_put;
	return bo;

err_put:
	drm_gem_object_put(obj);
	return ERR_PTR(ret);
}

/* ---- reporting ---- */

struct nvg_uvm_fdinfo {
	u64 total, resident, evicted, faults, in, out, thrash, prefetched, wasted;
};

static int nvg_uvm_fdinfo_obj(int id, void *ptr, void *data)
{
	struct nvg_bo *bo = to_nvg_bo(ptr);
	struct nvg_uvm_fdinfo *s = data;
	struct nvg_uvm_bo *ubo = bo->uvm;

	if (bo->placement != DRM_NVGHOST_PLACEMENT_MANAGED || !ubo)
		return 0;
	s->total += bo->shmem.base.size;
	s->resident += READ_ONCE(ubo->resident_bytes);
	s->evicted += READ_ONCE(ubo->evicted_bytes);
	s->faults += READ_ONCE(ubo->faults);
	s->in += READ_ONCE(ubo->migrated_in);
	s->out += READ_ONCE(ubo->migrated_out);
	s->thrash += READ_ONCE(ubo->thrash);
	s->prefetched += READ_ONCE(ubo->prefetched_bytes);
	s->wasted += READ_ONCE(ubo->wasted_prefetch);
	return 0;
}

/**
 * nvg_uvm_show_fdinfo() - a client's managed memory, in fdinfo
 * @p: where to print.
 * @file: the client.
 *
 * Its managed buffers: size, bytes resident in VRAM now, bytes evicted
 * from VRAM so far, GPU faults, bytes migrated in and out, prefetched and
 * prefetched-but-evicted-unused bytes, thrashing reports.
 */
void nvg_uvm_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct nvg_uvm_fdinfo s = {};

	spin_lock(&file->table_lock);
	idr_for_each(&file->object_idr, nvg_uvm_fdinfo_obj, &s);
	spin_unlock(&file->table_lock);
	drm_printf(p, "drm-total-managed:\t%llu KiB\n", s.total >> 10);
	drm_printf(p, "drm-resident-managed:\t%llu KiB\n", s.resident >> 10);
	drm_printf(p, "nvghost-managed-evicted:\t%llu KiB\n", s.evicted >> 10);
	drm_printf(p, "nvghost-managed-faults:\t%llu\n", s.faults);
	drm_printf(p, "nvghost-managed-migrated-in:\t%llu KiB\n", s.in >> 10);
	drm_printf(p, "nvghost-managed-migrated-out:\t%llu KiB\n", s.out >> 10);
	drm_printf(p, "nvghost-managed-prefetched:\t%llu KiB\n", s.prefetched >> 10);
	drm_printf(p, "nvghost-managed-prefetch-wasted:\t%llu KiB\n", s.wasted >> 10);
	drm_printf(p, "nvghost-managed-thrashing:\t%llu\n", s.thrash);
}

/**
 * nvg_uvm_show() - the device's managed memory (debugfs gpuN/uvm)
 * @ndev: the device.
 * @m: the file.
 *
 * Return: 0.
 */
int nvg_uvm_show(struct nvg_device *ndev, struct seq_file *m)
{
	struct nvg_uvm *u = nvg_uvm_of(ndev);
	struct nvg_uvm_block *blk;
	u64 resident = 0;

	mutex_lock(&u->lock);
	list_for_each_entry(blk, &u->lru, lru)
		resident++;
	seq_printf(m, "vram_used: %llu\n", u->used);
	seq_printf(m, "vram_limit: %llu\n", nvg_uvm_limit() == U64_MAX ? 0 : nvg_uvm_limit());
	seq_printf(m, "resident_blocks: %llu\n", resident);
	seq_printf(m, "faults: %llu\n", u->stats.faults);
	seq_printf(m, "batches: %llu\n", u->stats.batches);
	seq_printf(m, "replays: %llu\n", u->stats.replays);
	seq_printf(m, "cancels: %llu\n", u->stats.cancels);
	seq_printf(m, "cpu_faults: %llu\n", u->stats.cpu_faults);
	seq_printf(m, "migrated_in: %llu\n", u->stats.migrated_in);
	seq_printf(m, "migrated_out: %llu\n", u->stats.migrated_out);
	seq_printf(m, "evictions: %llu\n", u->stats.evictions);
	seq_printf(m, "prefetched: %llu\n", u->stats.prefetched);
	seq_printf(m, "prefetch_wasted: %llu\n", u->stats.wasted_prefetch);
	seq_printf(m, "thrashing: %llu\n", u->stats.thrash);
	seq_printf(m, "migrate_ns: %llu\n", u->stats.migrate_ns);
	mutex_unlock(&u->lock);
	return 0;
}

/* ---- device ---- */

int nvg_uvm_module_init(void)
{
	nvg_uvm_free_wq = alloc_workqueue("nvghost-uvm-free", 0, 0);
	return nvg_uvm_free_wq ? 0 : -ENOMEM;
}

void nvg_uvm_module_fini(void)
{
	if (nvg_uvm_free_wq)
		destroy_workqueue(nvg_uvm_free_wq);
	nvg_uvm_free_wq = NULL;
}

static void nvg_uvm_release(struct drm_device *drm, void *arg)
{
	struct nvg_uvm *u = arg;

	if (u->wq)
		destroy_workqueue(u->wq);
	u->wq = NULL;
	xa_destroy(&u->vms);
}

/**
 * nvg_uvm_init() - a device's managed memory
 * @ndev: the device.
 *
 * Before the IRQ is requested. Everything goes with the DRM device.
 *
 * Return: 0 or -ENOMEM.
 */
int nvg_uvm_init(struct nvg_device *ndev)
{
	struct nvg_uvm *u;

	u = drmm_kzalloc(&ndev->drm, sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	u->ndev = ndev;
	mutex_init(&u->lock);
	INIT_LIST_HEAD(&u->lru);
	INIT_LIST_HEAD(&u->bos);
	xa_init(&u->vms);
	INIT_WORK(&u->fault_work, nvg_uvm_fault_work);
	u->evict_arg = drmm_kzalloc(&ndev->drm, sizeof(*u->evict_arg), GFP_KERNEL);
	if (!u->evict_arg)
		return -ENOMEM;
	u->wq = alloc_ordered_workqueue("nvghost-uvm%u", WQ_MEM_RECLAIM, ndev->index);
	if (!u->wq)
		return -ENOMEM;
	ndev->uvm = u;
	return drmm_add_action_or_reset(&ndev->drm, nvg_uvm_release, u);
}

/**
 * nvg_uvm_fini() - the hardware is stopping: no fault is serviced any more
 * @ndev: the device.
 */
void nvg_uvm_fini(struct nvg_device *ndev)
{
	struct nvg_uvm *u = nvg_uvm_of(ndev);

	/* fault_work is all that runs there: flushing it is cheaper when idle */
	if (u && u->wq)
		flush_work(&u->fault_work);
}

/**
 * nvg_uvm_settle() - virtual clock: the faults raised so far are serviced
 * @ndev: the device.
 *
 * Part of the clock's settle (nvghost_clock.c): a stalled engine counts as
 * settled, so without this the clock could move on (to the next event, or
 * to ADVANCE's end) while its fault is being serviced, and the migration
 * would start, and the access resume, at whatever device time that was.
 * The fault interrupt has been handled by then (the simulator's settle
 * syncs it), so fault_work is queued; what it does (a replay, a migration
 * queued on the copy engine) moves the activity counters, and the settle
 * goes on until everything it set off is still too.
 */
void nvg_uvm_settle(struct nvg_device *ndev)
{
	struct nvg_uvm *u = nvg_uvm_of(ndev);

	/* fault_work is all that runs there: flushing it is cheaper when idle */
	if (u && u->wq)
		flush_work(&u->fault_work);
}
