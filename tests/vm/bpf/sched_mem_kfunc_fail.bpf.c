// SPDX-License-Identifier: GPL-2.0
/*
 * sched_mem_kfunc_fail - a scheduling policy calls nvg_mem_lru_move(), a
 * memory kfunc: refused at load.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

void NVG_OPS(mem_kf_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_mem_lru_move(0, 1, 0, true);
	nvg_dsq_insert(job, 0, 0, 0);
}

NVG_SCHED_OPS_DEFINE(sched_mem_kfunc_ops,
	.enqueue	= (void *)mem_kf_enqueue,
	.name		= "sched_mem_kf");
