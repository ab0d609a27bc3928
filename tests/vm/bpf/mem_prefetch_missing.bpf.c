// SPDX-License-Identifier: GPL-2.0
/*
 * mem_prefetch_missing - a memory policy that asks nvg_mem_prefetch() for
 * a block its buffer does not have: ejected (error_invalid).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s64 NVG_OPS(missing_fault, struct nvg_mem_fault *f)
{
	nvg_mem_prefetch(f->blk.dev_index, f->blk.bo_id, f->nr_blocks + 7, 1);
	return 0;
}

NVG_MEM_OPS_DEFINE(mem_prefetch_missing_ops,
	.fault		= (void *)missing_fault,
	.name		= "mem_prefetch_missing");
