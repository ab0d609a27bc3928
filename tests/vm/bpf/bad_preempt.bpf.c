// SPDX-License-Identifier: GPL-2.0
/*
 * bad_preempt - enqueue() preempts engine 7, which the device does not
 * have (an ad102 has four). Must be ejected with error_invalid, the reason
 * naming the engine; the default then runs every job.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

void NVG_OPS(bad_preempt_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_engine_preempt(job->dev_index, 7);
}

NVG_SCHED_OPS_DEFINE(bad_preempt_ops,
	.enqueue	= (void *)bad_preempt_enqueue,
	.name		= "bad_preempt");
