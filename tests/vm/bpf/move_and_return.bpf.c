// SPDX-License-Identifier: GPL-2.0
/*
 * move_and_return - dispatch() moves a job with nvg_dsq_move_to_engine()
 * and also returns the id of a queued job: one decision too many. Must be
 * ejected with error_invalid; the default then runs every job.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 last_id;

s32 NVG_OPS_SLEEPABLE(mar_init)
{
	return nvg_dsq_create(0);
}

void NVG_OPS(mar_enqueue, struct nvg_job *job, u64 enq_flags)
{
	last_id = job->id;
	nvg_dsq_insert(job, 0, 0, 0);
}

u64 NVG_OPS(mar_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	if (nvg_dsq_move_to_engine(0))
		return last_id;
	return 0;
}

NVG_SCHED_OPS_DEFINE(move_and_return_ops,
	.init		= (void *)mar_init,
	.enqueue	= (void *)mar_enqueue,
	.dispatch	= (void *)mar_dispatch,
	.name		= "move_and_return");
