// SPDX-License-Identifier: GPL-2.0
/*
 * performance - the GPU at its highest p-state, always.
 *
 * What it does: select() answers the top of the p-state table every
 * period. The driver clamps the answer to max_pstate, so the thermal
 * framework still throttles an overheating GPU and sysfs max_freq still
 * applies: "always" means "as high as allowed".
 *
 * For whom: benchmarks and latency-critical work where power does not
 * matter, and as the simplest power policy to learn from (compare
 * balanced and powersave).
 *
 * Where it is weak: power. An idle GPU stays at its top clock and
 * voltage; idle power gating still saves the engines' dynamic power, but
 * not the static power of the high voltage.
 *
 * No tunables.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

NVG_UEI_DEFINE(uei);

s32 NVG_OPS(performance_select, struct nvg_power_period *p)
{
	return p->nr_pstates - 1;
}

void NVG_OPS(performance_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_POWER_OPS_DEFINE(performance_ops,
	.select		= (void *)performance_select,
	.exit		= (void *)performance_exit,
	.name		= "performance");
