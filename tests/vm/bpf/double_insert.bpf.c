// SPDX-License-Identifier: GPL-2.0
/*
 * double_insert - enqueue() files each job in two dispatch queues. A job is
 * in one queue at a time: must be ejected with error_invalid, the reason
 * naming the job and its queue; the default then runs every job (once).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(dins_init)
{
	return nvg_dsq_create(0) ?: nvg_dsq_create(1);
}

void NVG_OPS(dins_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_dsq_insert(job, 0, 0, 0);
	nvg_dsq_insert(job, 1, 0, 0);
}

u64 NVG_OPS(dins_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_move_to_engine(0);
	return 0;
}

NVG_SCHED_OPS_DEFINE(double_insert_ops,
	.init		= (void *)dins_init,
	.enqueue	= (void *)dins_enqueue,
	.dispatch	= (void *)dins_dispatch,
	.name		= "double_insert");
