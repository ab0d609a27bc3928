// SPDX-License-Identifier: GPL-2.0
/*
 * pacing_kfunc_fail - a pacing policy's flip() reads a scheduling
 * policy's dispatch queue (nvg_dsq_nr_queued()). Scheduling kfuncs belong
 * to scheduling ops: the verifier must reject it at load.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(kf_flip, struct nvg_flip *flip)
{
	if (nvg_dsq_nr_queued(0) > 0)
		return 0;
	return 0;
}

NVG_PACING_OPS_DEFINE(pacing_kfunc_ops,
	.flip		= (void *)kf_flip,
	.name		= "pacing_kfunc");
