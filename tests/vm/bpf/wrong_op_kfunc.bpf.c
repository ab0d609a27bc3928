// SPDX-License-Identifier: GPL-2.0
/*
 * wrong_op_kfunc - enqueue() calls nvg_dsq_move_to_engine(), which only
 * dispatch() may call. The kfunc filter sees the op the program is loaded
 * for: the verifier must reject it at load ("calling kernel function
 * nvg_dsq_move_to_engine is not allowed").
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(wrong_op_init)
{
	return nvg_dsq_create(0);
}

void NVG_OPS(wrong_op_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_dsq_insert(job, 0, 0, 0);
	nvg_dsq_move_to_engine(0);
}

NVG_SCHED_OPS_DEFINE(wrong_op_kfunc_ops,
	.init		= (void *)wrong_op_init,
	.enqueue	= (void *)wrong_op_enqueue,
	.name		= "wrong_op_kfunc");
