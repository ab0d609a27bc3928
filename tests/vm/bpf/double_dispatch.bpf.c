// SPDX-License-Identifier: GPL-2.0
/*
 * double_dispatch - dispatch() calls nvg_dsq_move_to_engine() twice, which
 * may be called once per dispatch. Must be ejected with error_invalid; the
 * job the first call moved runs, and the default runs the rest.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(double_init)
{
	return nvg_dsq_create(0);
}

void NVG_OPS(double_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_dsq_insert(job, 0, 0, 0);
}

u64 NVG_OPS(double_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	if (nvg_dsq_move_to_engine(0))
		nvg_dsq_move_to_engine(0);
	return 0;
}

NVG_SCHED_OPS_DEFINE(double_dispatch_ops,
	.init		= (void *)double_init,
	.enqueue	= (void *)double_enqueue,
	.dispatch	= (void *)double_dispatch,
	.name		= "double_dispatch");
