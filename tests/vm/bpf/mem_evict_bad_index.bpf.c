// SPDX-License-Identifier: GPL-2.0
/*
 * mem_evict_bad_index - a memory policy whose evict() answers a candidate
 * index past the list: ejected (error_invalid), LRU evicts instead.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(bad_index_evict, struct nvg_mem_evict *e)
{
	return e->nr + 3;
}

NVG_MEM_OPS_DEFINE(mem_evict_bad_index_ops,
	.evict		= (void *)bad_index_evict,
	.name		= "mem_evict_bad_index");
