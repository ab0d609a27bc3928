// SPDX-License-Identifier: GPL-2.0
/*
 * null_job_fail - enqueue() files a NULL job. nvg_dsq_insert() takes the
 * job it is given (KF_TRUSTED_ARGS): the verifier must reject it at load
 * ("Possibly NULL pointer passed to trusted arg0"), not let the kernel
 * dereference it.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(null_job_init)
{
	return nvg_dsq_create(0);
}

void NVG_OPS(null_job_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_dsq_insert(NULL, 0, 0, 0);
}

NVG_SCHED_OPS_DEFINE(null_job_ops,
	.init		= (void *)null_job_init,
	.enqueue	= (void *)null_job_enqueue,
	.name		= "null_job");
