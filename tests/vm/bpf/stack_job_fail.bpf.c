// SPDX-License-Identifier: GPL-2.0
/*
 * stack_job_fail - enqueue() files its own copy of the job, on its stack.
 * The kernel would take it for one of its jobs and write beyond it: the
 * verifier must reject it at load; only the job an op was given may be
 * passed to a kfunc.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(stack_job_init)
{
	return nvg_dsq_create(0);
}

void NVG_OPS(stack_job_enqueue, struct nvg_job *job, u64 enq_flags)
{
	struct nvg_job copy;

	__builtin_memset(&copy, 0, sizeof(copy));
	copy.id = job->id;
	copy.engine = job->engine;
	nvg_dsq_insert(&copy, 0, 0, 0);
}

NVG_SCHED_OPS_DEFINE(stack_job_ops,
	.init		= (void *)stack_job_init,
	.enqueue	= (void *)stack_job_enqueue,
	.name		= "stack_job");
