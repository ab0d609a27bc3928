// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_vram.c - the video memory allocator.
 *
 * VRAM is handed out by the kernel's GPU buddy allocator in 4 KiB chunks.
 * Allocations need not be contiguous: the GPU reaches every buffer through
 * its page tables, so a buffer is a list of blocks.
 *
 * Memory is always handed out reading as zero, so that no client sees what
 * another left behind and page tables start with every entry invalid. The
 * buddy allocator tracks which free blocks are known to be clear; dirty ones
 * are cleared when they are handed out again. Blocks whose owner never
 * exposed them to a writer come back clear (nvg_vram_free_cleared()), so a
 * large buffer that was never written costs nothing to recycle: the
 * simulator backs VRAM sparsely, and clearing a block through the CPU window
 * makes it allocate host memory for every page.
 *
 * The start of VRAM is a reserve for the kernel's own allocations (page
 * tables, the validated pushbuffer copies): buffer objects are allocated
 * above it, kernel allocations from it first and elsewhere when it is full.
 * A client that fills VRAM with buffer objects therefore leaves room for
 * other clients' page directories, page tables and pushbuffers: they can
 * still open the device, map system memory and submit.
 */
#include <linux/highmem.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <drm/drm_drv.h>

#include "nvghost_drv.h"

/* The smallest allocation: the GPU's page size. */
#define NVG_VRAM_CHUNK	SZ_4K

/*
 * The kernel's reserve: 1/32 of VRAM, at least 2 MiB (enough for the page
 * directories and tables of about a hundred clients and their pushbuffer
 * copies), at most 64 MiB, and never more than half of VRAM.
 */
static u64 nvg_vram_reserve_size(u64 size)
{
	u64 r = clamp_t(u64, size / 32, SZ_2M, SZ_64M);

	return rounddown_pow_of_two(min(r, size / 2));
}

/**
 * nvg_vram_init() - set up the allocator over the device's VRAM
 * @ndev: the device; @ndev->vram_size must be set.
 *
 * Return: 0, or a negative errno.
 */
int nvg_vram_init(struct nvg_device *ndev)
{
	struct nvg_vram *vram = &ndev->vram;
	int ret;

	mutex_init(&vram->lock);
	vram->size = ndev->vram_size;
	vram->reserve = nvg_vram_reserve_size(vram->size);
	vram->reserve_used = 0;
	ret = gpu_buddy_init(&vram->mm, vram->size, NVG_VRAM_CHUNK);
	if (ret) {
		mutex_destroy(&vram->lock);
		return ret;
	}
	/*
	 * The simulator's VRAM reads as zero until something writes it, so
	 * all of it starts out clear. A backend for real hardware would
	 * clear it with the copy engine here, or leave it marked dirty.
	 */
	gpu_buddy_reset_clear(&vram->mm, true);
	return 0;
}

/**
 * nvg_vram_fini() - tear the allocator down
 * @ndev: the device, at its release: every file, buffer and job is gone.
 *
 * Every block must have been returned: the buddy allocator warns about any
 * that were not. The allocator outlives an unplug (buffers of open files
 * are freed into it afterwards).
 */
void nvg_vram_fini(struct nvg_device *ndev)
{
	struct nvg_vram *vram = &ndev->vram;

	gpu_buddy_fini(&vram->mm);
	mutex_destroy(&vram->lock);
}

/* Zero @block through the CPU window on VRAM. */
static int nvg_vram_clear_block(struct nvg_device *ndev,
				struct gpu_buddy_block *block)
{
	u64 start = gpu_buddy_block_offset(block);
	u64 end = start + gpu_buddy_block_size(&ndev->vram.mm, block);
	struct page *page;
	u64 addr;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		page = nvg_vram_page(&ndev->hal, addr);
		if (!page)
			return -ENOMEM;
		clear_highpage(page);
		cond_resched();
	}
	return 0;
}

/* Bytes of @blocks that lie in the reserve. vram->lock held. */
static u64 nvg_vram_in_reserve(struct nvg_vram *vram, struct list_head *blocks)
{
	struct gpu_buddy_block *block;
	u64 n = 0;

	list_for_each_entry(block, blocks, link)
		if (gpu_buddy_block_offset(block) < vram->reserve)
			n += gpu_buddy_block_size(&vram->mm, block);
	return n;
}

/* Free bytes a buffer object can get: everything but the reserve. */
static u64 nvg_vram_bo_avail(struct nvg_vram *vram)
{
	return vram->mm.avail - (vram->reserve - vram->reserve_used);
}

/*
 * Allocate @size bytes: @kernel allocations from the reserve first, then
 * anywhere; buffer objects only above the reserve. vram->lock held.
 */
static int nvg_vram_buddy_alloc(struct nvg_vram *vram, u64 size,
				struct list_head *blocks, unsigned long flags,
				bool kernel)
{
	int ret = -ENOSPC;

	/*
	 * The buddy allocator calls a request larger than the whole of VRAM
	 * invalid; for the caller it is simply memory that is not there.
	 */
	if (kernel) {
		if (size <= vram->reserve - vram->reserve_used)
			ret = gpu_buddy_alloc_blocks(&vram->mm, 0, vram->reserve, size,
						     NVG_VRAM_CHUNK, blocks,
						     flags | GPU_BUDDY_RANGE_ALLOCATION);
		if (ret && size <= vram->mm.avail)
			ret = gpu_buddy_alloc_blocks(&vram->mm, 0, vram->size, size,
						     NVG_VRAM_CHUNK, blocks, flags);
	} else if (size <= nvg_vram_bo_avail(vram)) {
		ret = gpu_buddy_alloc_blocks(&vram->mm, vram->reserve, vram->size, size,
					     NVG_VRAM_CHUNK, blocks,
					     flags | GPU_BUDDY_RANGE_ALLOCATION);
	}
	if (!ret)
		vram->reserve_used += nvg_vram_in_reserve(vram, blocks);
	return ret == -EINVAL ? -ENOSPC : ret;
}

/**
 * nvg_vram_alloc() - allocate video memory for a buffer object
 * @ndev: the device.
 * @size: bytes, rounded up to a multiple of 4 KiB.
 * @blocks: an empty list that receives the blocks, in allocation order;
 *	their sizes add up to the rounded @size. They are not contiguous in
 *	general, and each is naturally aligned to its power-of-two size.
 *
 * The memory reads as zero, and lies above the kernel's reserve. May sleep.
 *
 * Return: 0; -ENOSPC if VRAM has not @size bytes free; -EINVAL if @size is
 * zero; -ENOMEM if kernel memory is short.
 */
static int __nvg_vram_alloc(struct nvg_device *ndev, u64 size,
			    struct list_head *blocks, unsigned long flags, bool zero,
			    bool kernel)
{
	struct nvg_vram *vram = &ndev->vram;
	struct gpu_buddy_block *block;
	int ret;

	if (!size)
		return -EINVAL;
	if (size > vram->size)
		return -ENOSPC;
	size = ALIGN(size, NVG_VRAM_CHUNK);

	mutex_lock(&vram->lock);
	ret = nvg_vram_buddy_alloc(vram, size, blocks,
				   (zero ? GPU_BUDDY_CLEAR_ALLOCATION : 0) | flags, kernel);
	mutex_unlock(&vram->lock);
	if (ret || !zero)
		return ret;

	/*
	 * Clear blocks are preferred, but when they run short the allocator
	 * hands out dirty ones. Clear those outside the lock: the blocks are
	 * ours, and clearing may take a while.
	 */
	list_for_each_entry(block, blocks, link) {
		if (gpu_buddy_block_is_clear(block))
			continue;
		ret = nvg_vram_clear_block(ndev, block);
		if (ret) {
			nvg_vram_free(ndev, blocks);
			return ret;
		}
	}
	return 0;
}

int nvg_vram_alloc(struct nvg_device *ndev, u64 size, struct list_head *blocks)
{
	return __nvg_vram_alloc(ndev, size, blocks, 0, true, false);
}

/**
 * nvg_vram_alloc_contig() - allocate physically contiguous VRAM
 * @ndev: the device.
 * @size: bytes.
 * @blocks: receives the blocks (free with nvg_vram_free()).
 * @addr: set to the VRAM address of the first byte.
 * @zero: it must read as zero. Without, the allocator prefers blocks that
 *	were used before: kernel buffers the driver overwrites whole (the
 *	pushbuffer copies) then recycle VRAM that is already backed, instead
 *	of touching fresh VRAM on every job.
 *
 * For what the GPU reaches by physical address: page tables and the
 * validated pushbuffer copies. These come from the kernel's reserve first.
 *
 * Return: 0, -ENOSPC if no contiguous range is free, -ENOMEM.
 */
int nvg_vram_alloc_contig(struct nvg_device *ndev, u64 size,
			  struct list_head *blocks, u64 *addr, bool zero)
{
	struct gpu_buddy_block *block;
	u64 lowest = U64_MAX;
	int ret;

	ret = __nvg_vram_alloc(ndev, size, blocks, GPU_BUDDY_CONTIGUOUS_ALLOCATION, zero, true);
	if (ret)
		return ret;
	list_for_each_entry(block, blocks, link)
		lowest = min(lowest, gpu_buddy_block_offset(block));
	*addr = lowest;
	return 0;
}

/**
 * nvg_vram_alloc_chunk() - contiguous VRAM for managed memory
 * @ndev: the device.
 * @size: bytes.
 * @blocks: receives the blocks (free with nvg_vram_free()).
 * @addr: set to the first byte's VRAM address.
 *
 * As buffer objects get it: never from the kernel's reserve; zeroed.
 *
 * Return: 0, -ENOSPC, -ENOMEM.
 */
int nvg_vram_alloc_chunk(struct nvg_device *ndev, u64 size,
			 struct list_head *blocks, u64 *addr)
{
	struct gpu_buddy_block *block;
	u64 lowest = U64_MAX;
	int ret;

	ret = __nvg_vram_alloc(ndev, size, blocks, GPU_BUDDY_CONTIGUOUS_ALLOCATION, true, false);
	if (ret)
		return ret;
	list_for_each_entry(block, blocks, link)
		lowest = min(lowest, gpu_buddy_block_offset(block));
	*addr = lowest;
	return 0;
}

static void nvg_vram_free_flags(struct nvg_device *ndev,
				struct list_head *blocks, unsigned int flags)
{
	struct nvg_vram *vram = &ndev->vram;

	if (list_empty(blocks))
		return;
	mutex_lock(&vram->lock);
	vram->reserve_used -= nvg_vram_in_reserve(vram, blocks);
	gpu_buddy_free_list(&vram->mm, blocks, flags);
	mutex_unlock(&vram->lock);
}

/**
 * nvg_vram_free() - return video memory that may have been written
 * @ndev: the device.
 * @blocks: blocks from nvg_vram_alloc(); the list is left empty.
 *
 * The blocks are cleared before they are handed out again.
 */
void nvg_vram_free(struct nvg_device *ndev, struct list_head *blocks)
{
	struct gpu_buddy_block *block;
	bool zero = !list_empty(blocks);
	int idx;

	/*
	 * Nothing can reach freed VRAM any more. Where the hardware can drop
	 * its contents (the simulator returns its backing pages to the host),
	 * the blocks are clean again and need no clearing when reused. Once
	 * the device is gone only the allocator's bookkeeping remains.
	 */
	if (drm_dev_enter(&ndev->drm, &idx)) {
		list_for_each_entry(block, blocks, link)
			zero &= nvg_vram_discard(&ndev->hal, gpu_buddy_block_offset(block),
						 gpu_buddy_block_size(&ndev->vram.mm, block));
		drm_dev_exit(idx);
	}
	nvg_vram_free_flags(ndev, blocks, zero ? GPU_BUDDY_CLEARED : 0);
}

/**
 * nvg_vram_free_cleared() - return video memory that still reads as zero
 * @ndev: the device.
 * @blocks: blocks from nvg_vram_alloc(); the list is left empty.
 *
 * For owners that know nothing wrote the memory, or that zeroed it: the
 * blocks can be handed out again without being cleared.
 */
void nvg_vram_free_cleared(struct nvg_device *ndev, struct list_head *blocks)
{
	nvg_vram_free_flags(ndev, blocks, GPU_BUDDY_CLEARED);
}

/**
 * nvg_vram_show() - print VRAM usage, for debugfs
 * @ndev: the device.
 * @m: where to print: "total", "used" bytes, "free" (what buffer objects
 *	can still get), "free_clear" (free bytes known to read as zero, the
 *	reserve's included), "reserve" (the kernel's reserve) and
 *	"reserve_free".
 *
 * Return: 0.
 */
int nvg_vram_show(struct nvg_device *ndev, struct seq_file *m)
{
	struct nvg_vram *vram = &ndev->vram;
	u64 avail, clear, bo_avail, reserve_used;

	mutex_lock(&vram->lock);
	avail = vram->mm.avail;
	clear = vram->mm.clear_avail;
	bo_avail = nvg_vram_bo_avail(vram);
	reserve_used = vram->reserve_used;
	mutex_unlock(&vram->lock);

	seq_printf(m, "total: %llu\n", vram->mm.size);
	seq_printf(m, "used: %llu\n", vram->mm.size - avail);
	seq_printf(m, "free: %llu\n", bo_avail);
	seq_printf(m, "free_clear: %llu\n", clear);
	seq_printf(m, "reserve: %llu\n", vram->reserve);
	seq_printf(m, "reserve_free: %llu\n", vram->reserve - reserve_used);
	return 0;
}
