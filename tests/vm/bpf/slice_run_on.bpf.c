// SPDX-License-Identifier: GPL-2.0
/*
 * slice_run_on - ops.slice_end lets every job whose slice is over run on
 * for another second, even with others waiting: jobs shorter than that are
 * never preempted for their slice (the built-in rule preempts them).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(slice_run_on, struct nvg_job *job, u32 nr_queued)
{
	return 1000ULL * 1000 * 1000;
}

NVG_SCHED_OPS_DEFINE(slice_run_on_ops,
	.slice_end	= (void *)slice_run_on,
	.name		= "slice_run_on");
