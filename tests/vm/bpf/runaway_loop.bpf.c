// SPDX-License-Identifier: GPL-2.0
/*
 * runaway_loop - enqueue() spins until the job's id reads 0, which never
 * happens: a loop with no bound. Ops run under the arbiter's spinlock, so
 * the verifier must reject it, and nvgpolicy must show why.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

void NVG_OPS(spin_enqueue, struct nvg_job *job, u64 enq_flags)
{
	/* volatile: read anew each time round, as a flag would be */
	while (*(volatile u64 *)&job->id)
		;
}

NVG_SCHED_OPS_DEFINE(runaway_loop_ops,
	.enqueue	= (void *)spin_enqueue,
	.name		= "runaway_loop");
