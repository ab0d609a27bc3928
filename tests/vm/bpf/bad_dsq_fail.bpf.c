// SPDX-License-Identifier: GPL-2.0
/*
 * bad_dsq_fail - enqueue() files jobs in dispatch queue 4242, which init()
 * never created (it created queue 1). Must be ejected with error_invalid,
 * the reason naming the queue; the default then runs every job.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(bad_dsq_init)
{
	return nvg_dsq_create(1);
}

void NVG_OPS(bad_dsq_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_dsq_insert(job, 4242, 0, 0);
}

u64 NVG_OPS(bad_dsq_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_move_to_engine(1);
	return 0;
}

NVG_SCHED_OPS_DEFINE(bad_dsq_ops,
	.init		= (void *)bad_dsq_init,
	.enqueue	= (void *)bad_dsq_enqueue,
	.dispatch	= (void *)bad_dsq_dispatch,
	.name		= "bad_dsq");
