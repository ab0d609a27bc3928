// SPDX-License-Identifier: GPL-2.0
/*
 * power_write_sample_fail - select() writes to the driver's read-only
 * sample (to lift its own thermal limit). The verifier must refuse it.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(write_select, struct nvg_power_period *s)
{
	s->max_pstate = s->nr_pstates - 1;
	return s->max_pstate;
}

NVG_POWER_OPS_DEFINE(power_write_sample_ops,
	.select		= (void *)write_select,
	.name		= "power_write_sample");
