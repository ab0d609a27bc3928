// SPDX-License-Identifier: GPL-2.0
/*
 * init_fail - init() refuses with -ENODEV: the attach must fail with
 * ENODEV and the status must say init failed.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS_SLEEPABLE(refuse_init)
{
	return -19; /* -ENODEV */
}

NVG_SCHED_OPS_DEFINE(init_fail_ops,
	.init		= (void *)refuse_init,
	.name		= "init_fail");
