// SPDX-License-Identifier: GPL-2.0
/*
 * bad_timeout_fail - asks for a 60 s watchdog, above the maximum:
 * init_member must refuse the load with E2BIG.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(noop_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	return 0;
}

NVG_SCHED_OPS_DEFINE(bad_timeout_ops,
	.dispatch	= (void *)noop_dispatch,
	.timeout_ms	= 60000,
	.name		= "bad_timeout");
