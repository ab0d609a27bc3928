// SPDX-License-Identifier: GPL-2.0
/*
 * mem_evict_in_use - a memory policy that evicts a block in use: fault()
 * remembers the faulting block and prefetches the next one of its buffer
 * (nvg_mem_prefetch(): migrated after the batch's replay); evict() picks
 * the remembered block among the candidates. When the prefetch needs a
 * chunk, that block is resident and its fault's access has just been
 * replayed: it is in use, the driver must refuse the candidate and eject
 * the policy (error_invalid) and evict by LRU instead.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 last_bo;
u32 last_block;

s64 NVG_OPS(in_use_fault, struct nvg_mem_fault *f)
{
	last_bo = f->blk.bo_id;
	last_block = f->blk.block;
	if (f->blk.block + 1 < f->nr_blocks)
		nvg_mem_prefetch(f->blk.dev_index, f->blk.bo_id, f->blk.block + 1, 1);
	return 0;
}

s32 NVG_OPS(in_use_evict, struct nvg_mem_evict *e)
{
	u32 i;

	for (i = 0; i < 16 && i < e->nr; i++)
		if (e->cand[i].bo_id == last_bo && e->cand[i].block == last_block)
			return i;
	return NVG_MEM_EVICT_DEFAULT;
}

NVG_MEM_OPS_DEFINE(mem_evict_in_use_ops,
	.fault		= (void *)in_use_fault,
	.evict		= (void *)in_use_evict,
	.name		= "mem_evict_in_use");
