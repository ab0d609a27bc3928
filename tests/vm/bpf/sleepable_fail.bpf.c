// SPDX-License-Identifier: GPL-2.0
/*
 * sleepable_fail - a sleepable enqueue. enqueue runs under a spinlock, so
 * check_member must refuse it.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/sleepy_enqueue")
void BPF_PROG(sleepy_enqueue, struct nvg_job *job, u64 enq_flags)
{
}

NVG_SCHED_OPS_DEFINE(sleepable_ops,
	.enqueue	= (void *)sleepy_enqueue,
	.name		= "sleepable");
