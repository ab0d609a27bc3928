// SPDX-License-Identifier: GPL-2.0
/*
 * mem_wrong_op_kfunc_fail - fault() calls nvg_mem_evict_block(), which
 * only evict() may call: the verifier must refuse the program at load.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s64 NVG_OPS(wrong_op_fault, struct nvg_mem_fault *f)
{
	nvg_mem_evict_block(f->blk.dev_index, f->blk.bo_id, f->blk.block);
	return 0;
}

NVG_MEM_OPS_DEFINE(mem_wrong_op_kfunc_ops,
	.fault		= (void *)wrong_op_fault,
	.name		= "mem_wrong_op");
