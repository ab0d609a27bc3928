// SPDX-License-Identifier: GPL-2.0
/*
 * power_no_select_fail - a power policy without its required op, select().
 * The load must fail (validate: -EINVAL) with the reason in the status.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(no_select_init)
{
	return 0;
}

NVG_POWER_OPS_DEFINE(power_no_select_ops,
	.init		= (void *)no_select_init,
	.name		= "power_no_select");
