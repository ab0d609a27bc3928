// SPDX-License-Identifier: GPL-2.0
/*
 * stall - owns dispatch (NO_DEFAULT_DISPATCH) and never dispatches. The
 * watchdog must eject it (error_stall) within its 200 ms limit, and the
 * default must then run the jobs it sat on.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(stall_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	return 0;
}

NVG_SCHED_OPS_DEFINE(stall_ops,
	.dispatch	= (void *)stall_dispatch,
	.flags		= NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH,
	.timeout_ms	= 200,
	.name		= "stall");
