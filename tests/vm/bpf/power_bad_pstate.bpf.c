// SPDX-License-Identifier: GPL-2.0
/*
 * power_bad_pstate - select() answers a p-state the GPU does not have.
 * Must be ejected with kind error_invalid; the default governs on.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(bad_pstate_select, struct nvg_power_period *s)
{
	return s->nr_pstates + 3;
}

NVG_POWER_OPS_DEFINE(power_bad_pstate_ops,
	.select		= (void *)bad_pstate_select,
	.name		= "power_bad_pstate");
