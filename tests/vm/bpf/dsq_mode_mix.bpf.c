// SPDX-License-Identifier: GPL-2.0
/*
 * dsq_mode_mix - files jobs in queue 0 alternately by vtime and FIFO. A
 * queue is one or the other, fixed by its first insert: must be ejected
 * with error_invalid at the first job filed the other way; the default then
 * runs every job.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u32 seen;

s32 NVG_OPS_SLEEPABLE(mix_init)
{
	return nvg_dsq_create(0);
}

void NVG_OPS(mix_enqueue, struct nvg_job *job, u64 enq_flags)
{
	if (seen++ & 1)
		nvg_dsq_insert(job, 0, 0, 0);
	else
		nvg_dsq_insert_vtime(job, 0, 0, job->id, 0);
}

u64 NVG_OPS(mix_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_move_to_engine(0);
	return 0;
}

NVG_SCHED_OPS_DEFINE(dsq_mode_mix_ops,
	.init		= (void *)mix_init,
	.enqueue	= (void *)mix_enqueue,
	.dispatch	= (void *)mix_dispatch,
	.name		= "dsq_mode_mix");
