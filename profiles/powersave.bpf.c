// SPDX-License-Identifier: GPL-2.0
/*
 * powersave - the lowest clock that still meets the observed deadlines.
 *
 * What it does: while the GPU's clients present frames (the pacing hook
 * counts them), it steps the p-state down one per period as long as no
 * frame missed its deadline, and up one for every period with a miss:
 * it settles just above the slowest clock the game tolerates. Without
 * frames it runs the busiest engine near busy_pct utilisation (work
 * stretched over the lowest clock that still finishes it), since nobody's
 * deadline is known.
 *
 * Running a job slower at a lower voltage costs less energy (dynamic
 * power falls with V^2 x f while time grows only with 1/f), so on this
 * GPU the lowest clock that keeps up is the most efficient one, until
 * static power over the longer time wins at the very bottom.
 *
 * For whom: laptops on battery, quiet machines, background compute that
 * has no deadline.
 *
 * Where it is weak: it reacts to a miss after it happened: a game whose
 * load jumps misses a few frames while the clock climbs back, one p-state
 * per period (see gaming, which boosts at once). Work with deadlines it
 * cannot see (no frames presented) is run at busy_pct.
 *
 * Tunables (nvgpolicy load powersave.bpf.o --set NAME=VALUE):
 *   busy_pct  without frames, the utilisation to aim for, 50 .. 100
 *             (default 95)
 */
#include "nvg/power.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 busy_pct = 95;

NVG_UEI_DEFINE(uei);

s32 NVG_OPS_SLEEPABLE(powersave_init)
{
	if (busy_pct < 50 || busy_pct > 100)
		return -22;	/* -EINVAL: busy_pct out of range */
	return 0;
}

s32 NVG_OPS(powersave_select, struct nvg_power_period *p)
{
	u32 util = nvg_power_busiest(p);

	if (p->frames) {
		if (p->missed)
			return p->pstate + 1 < p->nr_pstates ? p->pstate + 1 : p->pstate;
		return p->pstate ? p->pstate - 1 : 0;
	}
	/* Saturated: the load says nothing of what is needed; go up a step. */
	if (util >= 990)
		return p->pstate + 1 < p->nr_pstates ? p->pstate + 1 : p->pstate;
	return nvg_power_pstate_for(p, nvg_power_needed_mhz(p, util, busy_pct * 10));
}

void NVG_OPS(powersave_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_POWER_OPS_DEFINE(powersave_ops,
	.init		= (void *)powersave_init,
	.select		= (void *)powersave_select,
	.exit		= (void *)powersave_exit,
	.name		= "powersave");
