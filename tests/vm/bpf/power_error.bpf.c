// SPDX-License-Identifier: GPL-2.0
/*
 * power_error - select() returns an error (-EIO) on its third call. Must be
 * ejected with kind error_bpf and code -5.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u32 calls;

s32 NVG_OPS(error_select, struct nvg_power_period *s)
{
	if (++calls == 3)
		return -5;
	return s->pstate;
}

NVG_POWER_OPS_DEFINE(power_error_ops,
	.select		= (void *)error_select,
	.name		= "power_error");
