// SPDX-License-Identifier: GPL-2.0
/*
 * mem_sched_kfunc_fail - a memory policy calls nvg_sched_error(), a
 * scheduling kfunc: refused at load, as for the power and pacing hooks.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

void NVG_OPS(sched_kf_access, struct nvg_mem_fault *f)
{
	if (f->blk.faults > 1000000)
		nvg_sched_error(1);
}

NVG_MEM_OPS_DEFINE(mem_sched_kfunc_ops,
	.access		= (void *)sched_kf_access,
	.name		= "mem_sched_kf");
