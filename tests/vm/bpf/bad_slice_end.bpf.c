// SPDX-License-Identifier: GPL-2.0
/*
 * bad_slice_end - ops.slice_end answers 1 ns, below NVG_SLICE_MIN_NS. Must
 * be ejected with error_invalid at the first slice end; the built-in rule
 * then preempts as usual.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(bad_slice_end, struct nvg_job *job, u32 nr_queued)
{
	return 1;
}

NVG_SCHED_OPS_DEFINE(bad_slice_end_ops,
	.slice_end	= (void *)bad_slice_end,
	.name		= "bad_slice_end");
