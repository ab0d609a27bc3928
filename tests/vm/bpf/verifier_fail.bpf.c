// SPDX-License-Identifier: GPL-2.0
/*
 * verifier_fail - writes to a job, which policies may only read. The
 * verifier must reject it, and nvgpolicy must show why.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

void NVG_OPS(write_job, struct nvg_job *job, u64 enq_flags)
{
	job->cost_ns = 0;
}

NVG_SCHED_OPS_DEFINE(verifier_fail_ops,
	.enqueue	= (void *)write_job,
	.name		= "verifier_fail");
