// SPDX-License-Identifier: GPL-2.0
/*
 * bad_flags_fail - sets a flag nvg_sched_ops does not define: init_member
 * must refuse the load with EINVAL.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(noop_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	return 0;
}

NVG_SCHED_OPS_DEFINE(bad_flags_ops,
	.dispatch	= (void *)noop_dispatch,
	.flags		= 1ULL << 40,
	.name		= "bad_flags");
