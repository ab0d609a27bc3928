// SPDX-License-Identifier: GPL-2.0
/*
 * mem_no_ops_fail - a memory policy with no decision op (only init):
 * refused at load with the reason in the status.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(no_ops_init)
{
	return 0;
}

NVG_MEM_OPS_DEFINE(mem_no_ops_ops,
	.init		= (void *)no_ops_init,
	.name		= "mem_no_ops");
