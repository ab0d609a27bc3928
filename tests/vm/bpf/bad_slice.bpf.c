// SPDX-License-Identifier: GPL-2.0
/*
 * bad_slice - files jobs with an 11 s timeslice, above NVG_SLICE_MAX_NS
 * (10 s). Must be ejected with error_invalid, the reason quoting the
 * slice; the default then runs every job with its own slice.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(bad_slice_init)
{
	return nvg_dsq_create(0);
}

void NVG_OPS(bad_slice_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_dsq_insert(job, 0, NVG_SLICE_MAX_NS + 1000000000ULL, 0);
}

u64 NVG_OPS(bad_slice_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_move_to_engine(0);
	return 0;
}

NVG_SCHED_OPS_DEFINE(bad_slice_ops,
	.init		= (void *)bad_slice_init,
	.enqueue	= (void *)bad_slice_enqueue,
	.dispatch	= (void *)bad_slice_dispatch,
	.name		= "bad_slice");
