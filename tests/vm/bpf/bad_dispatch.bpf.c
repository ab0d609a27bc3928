// SPDX-License-Identifier: GPL-2.0
/*
 * bad_dispatch - dispatch() names a job that does not exist. Must be ejected
 * with error_invalid; the default must then run every queued job.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(bad_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	return 0xdead0000ULL + nr_queued;
}

NVG_SCHED_OPS_DEFINE(bad_dispatch_ops,
	.dispatch	= (void *)bad_dispatch,
	.name		= "bad_dispatch");
