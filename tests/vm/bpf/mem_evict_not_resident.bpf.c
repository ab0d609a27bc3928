// SPDX-License-Identifier: GPL-2.0
/*
 * mem_evict_not_resident - a memory policy whose evict() names, through
 * nvg_mem_evict_block(), the block that needs VRAM: a block with no VRAM
 * to give. The driver must eject it (error_invalid) and evict by LRU.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(not_resident_evict, struct nvg_mem_evict *e)
{
	nvg_mem_evict_block(e->dev_index, e->for_blk.bo_id, e->for_blk.block);
	return NVG_MEM_EVICT_CHOSEN;
}

NVG_MEM_OPS_DEFINE(mem_evict_not_resident_ops,
	.evict		= (void *)not_resident_evict,
	.name		= "mem_evict_not_resident");
