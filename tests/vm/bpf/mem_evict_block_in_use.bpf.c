// SPDX-License-Identifier: GPL-2.0
/*
 * mem_evict_block_in_use - as mem_evict_in_use, but names the block in use
 * through nvg_mem_evict_block() (NVG_MEM_EVICT_CHOSEN) once it is resident:
 * the kfunc must refuse it and eject the policy (error_invalid).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 last_bo;
u32 last_block;

s64 NVG_OPS(block_in_use_fault, struct nvg_mem_fault *f)
{
	last_bo = f->blk.bo_id;
	last_block = f->blk.block;
	if (f->blk.block + 1 < f->nr_blocks)
		nvg_mem_prefetch(f->blk.dev_index, f->blk.bo_id, f->blk.block + 1, 1);
	return 0;
}

s32 NVG_OPS(block_in_use_evict, struct nvg_mem_evict *e)
{
	u32 i;

	/* Only once it is resident: a block with no VRAM is another refusal. */
	for (i = 0; i < 16 && i < e->nr; i++)
		if (e->cand[i].bo_id == last_bo && e->cand[i].block == last_block) {
			nvg_mem_evict_block(e->dev_index, last_bo, last_block);
			return NVG_MEM_EVICT_CHOSEN;
		}
	return NVG_MEM_EVICT_DEFAULT;
}

NVG_MEM_OPS_DEFINE(mem_evict_block_in_use_ops,
	.fault		= (void *)block_in_use_fault,
	.evict		= (void *)block_in_use_evict,
	.name		= "mem_evict_block_in_use");
