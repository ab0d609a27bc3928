// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_mem.c - the simulated GPU's video memory.
 *
 * VRAM is sparse: a page of host memory is allocated the first time
 * anything (the CPU through the BAR1-style window, or an engine) touches
 * that page of VRAM, and stays until the GPU is destroyed. A 24 GiB board in
 * a 1 GiB test VM therefore works as long as the tests touch less than the
 * VM has. Fresh pages read as zero.
 */
#include <linux/gfp.h>
#include <linux/mm.h>

#include "nvg_sim.h"
#include "nvg_sim_priv.h"

void nvg_sim_mem_init(struct nvg_sim *sim)
{
	xa_init(&sim->vram);
}

void nvg_sim_mem_fini(struct nvg_sim *sim)
{
	struct page *page;
	unsigned long index;

	xa_for_each(&sim->vram, index, page)
		put_page(page);
	xa_destroy(&sim->vram);
}

/**
 * nvg_sim_vram_discard() - give VRAM's backing memory back to the host
 * @sim: the GPU.
 * @offset: first byte, page aligned.
 * @size: bytes, page aligned.
 *
 * The range reads as zero afterwards. A page still mapped somewhere keeps
 * its reference and goes when that mapping does.
 */
void nvg_sim_vram_discard(struct nvg_sim *sim, u64 offset, u64 size)
{
	unsigned long index = offset >> PAGE_SHIFT, last = (offset + size - 1) >> PAGE_SHIFT;
	struct page *page;

	/* A GPU that is gone keeps its memory until it is destroyed. */
	if (READ_ONCE(sim->stopped))
		return;
	xa_for_each_range(&sim->vram, index, page, offset >> PAGE_SHIFT, last) {
		xa_erase(&sim->vram, index);
		put_page(page);
	}
}

/**
 * nvg_sim_vram_page() - the host page backing VRAM at @offset
 * @sim: the GPU.
 * @offset: byte offset in VRAM.
 *
 * May sleep (allocates on first touch).
 *
 * Return: the page, or NULL if @offset is beyond VRAM, memory is short or
 * the GPU is gone.
 */
struct page *nvg_sim_vram_page(struct nvg_sim *sim, u64 offset)
{
	unsigned long index = offset >> PAGE_SHIFT;
	struct page *page, *old;

	if (offset >= (u64)sim->vram_mb << 20 || READ_ONCE(sim->stopped))
		return NULL;
	page = xa_load(&sim->vram, index);
	if (page)
		return page;

	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return NULL;
	old = xa_cmpxchg(&sim->vram, index, NULL, page, GFP_KERNEL);
	if (old) {
		/* Someone else got there first, or the store failed. */
		put_page(page);
		return xa_is_err(old) ? NULL : old;
	}
	return page;
}
