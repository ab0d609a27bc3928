// SPDX-License-Identifier: GPL-2.0
/*
 * power_kfunc_fail - a power policy's select() calls nvg_sched_error(),
 * a scheduling kfunc: it would eject the scheduling policy, which is not
 * the power policy's to eject. The verifier must reject it at load.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(kf_select, struct nvg_power_period *p)
{
	if (p->temp_mc > 90000)
		nvg_sched_error(1);
	return p->pstate;
}

NVG_POWER_OPS_DEFINE(power_kfunc_ops,
	.select		= (void *)kf_select,
	.name		= "power_kfunc");
