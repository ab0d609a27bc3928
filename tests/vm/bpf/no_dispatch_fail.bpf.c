// SPDX-License-Identifier: GPL-2.0
/*
 * no_dispatch_fail - NO_DEFAULT_DISPATCH without a dispatch op: validate
 * must refuse it (cross-field rule).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

void NVG_OPS(noop_enqueue, struct nvg_job *job, u64 enq_flags)
{
}

NVG_SCHED_OPS_DEFINE(no_dispatch_ops,
	.enqueue	= (void *)noop_enqueue,
	.flags		= NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH,
	.name		= "no_dispatch");
