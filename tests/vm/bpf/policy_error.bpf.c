// SPDX-License-Identifier: GPL-2.0
/*
 * policy_error - the policy reports an error of its own (nvg_sched_error)
 * on its 5th enqueue. Must be ejected with kind error_bpf and its code;
 * the default then runs every job.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u32 seen;

void NVG_OPS(error_enqueue, struct nvg_job *job, u64 enq_flags)
{
	if (++seen == 5)
		nvg_sched_error(77);
}

NVG_SCHED_OPS_DEFINE(policy_error_ops,
	.enqueue	= (void *)error_enqueue,
	.name		= "policy_error");
