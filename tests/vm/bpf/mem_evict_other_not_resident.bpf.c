// SPDX-License-Identifier: GPL-2.0
/*
 * mem_evict_other_not_resident - evict() names, through
 * nvg_mem_evict_block(), an earlier block of the faulting buffer that is
 * not among the candidates (so holds no VRAM) and is not the one being
 * serviced: a block that exists but is not resident. The driver must eject
 * the policy (error_invalid, "is not resident") and evict by LRU.
 * (mem_evict_not_resident names the block being serviced instead.)
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(other_evict, struct nvg_mem_evict *e)
{
	u32 b, i;
	bool resident;

	for (b = 0; b < 64 && b < e->for_blk.block; b++) {
		resident = false;
		for (i = 0; i < 16 && i < e->nr; i++)
			if (e->cand[i].bo_id == e->for_blk.bo_id && e->cand[i].block == b)
				resident = true;
		if (resident)
			continue;
		/* Every resident block is a candidate only if there are few. */
		if (e->nr >= 16)
			break;
		nvg_mem_evict_block(e->dev_index, e->for_blk.bo_id, b);
		return NVG_MEM_EVICT_CHOSEN;
	}
	return NVG_MEM_EVICT_DEFAULT;
}

NVG_MEM_OPS_DEFINE(mem_evict_other_not_resident_ops,
	.evict		= (void *)other_evict,
	.name		= "mem_evict_other_not_resident");
