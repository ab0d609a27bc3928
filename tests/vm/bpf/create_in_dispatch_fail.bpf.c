// SPDX-License-Identifier: GPL-2.0
/*
 * create_in_dispatch_fail - dispatch() creates a dispatch queue.
 * nvg_dsq_create() is for init() only (it may sleep; dispatch() may not),
 * so the verifier must reject the program at load ("calling kernel
 * function nvg_dsq_create is not allowed"), and nvgpolicy must show why.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(create_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_create(1);
	return 0;
}

NVG_SCHED_OPS_DEFINE(create_in_dispatch_ops,
	.dispatch	= (void *)create_dispatch,
	.name		= "create_in_dispatch");
