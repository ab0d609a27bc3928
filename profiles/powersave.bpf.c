// SPDX-License-Identifier: GPL-2.0
/*
 * powersave - the lowest clock that still meets the observed deadlines.
 *
 * What it does: while clients present frames, it runs the lowest p-state
 * at which each presenting client's frame (its GPU time per frame, from
 * the per-client frame information) takes at most a share "fill" of its
 * refresh period. The fill is learned: it starts at fill_pct, drops by
 * 5 points (down to 40%) for every period in which a presenting client
 * missed a deadline -- the rest of a frame, its CPU time and the way to
 * the display, took more than was left -- and creeps back up by a point
 * every eight periods without a miss. A miss also moves the clock up one
 * p-state at least. Down, it moves one p-state per period. Without frames
 * it runs the busiest engine near busy_pct utilisation (work stretched
 * over the lowest clock that still finishes it), since nobody's deadline
 * is known.
 *
 * Running a job slower at a lower voltage costs less energy (dynamic
 * power falls with V^2 x f while time grows only with 1/f), so on this
 * GPU the lowest clock that keeps up is the most efficient one, until
 * static power over the longer time wins at the very bottom.
 *
 * For whom: laptops on battery, quiet machines, background compute that
 * has no deadline.
 *
 * Where it is weak: it runs close to the deadline on purpose, so a frame
 * that is heavier than the last few misses; it learns from misses after
 * they happened (see gaming, which keeps a fixed headroom and boosts).
 * Work with deadlines it cannot see (no frames presented) is run at
 * busy_pct.
 *
 * Tunables (nvgpolicy load powersave.bpf.o --set NAME=VALUE):
 *   fill_pct  with frames, the share of a refresh period a frame may take
 *             on the GPU at first, 40 .. 95 (default 85)
 *   busy_pct  without frames, the utilisation to aim for, 50 .. 100
 *             (default 95)
 */
#include "nvg/power.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 fill_pct = 85;
const volatile u32 busy_pct = 95;

#define FILL_MIN_PM	400
#define FILL_STEP_PM	50
/* Periods without a miss per point of fill regained. */
#define FILL_CREEP	8

/* The learned fill, per mille (0 until the first period with frames). */
u32 fill_pm;
u32 calm_periods;

NVG_UEI_DEFINE(uei);

s32 NVG_OPS_SLEEPABLE(powersave_init)
{
	if (fill_pct < 40 || fill_pct > 95 || busy_pct < 50 || busy_pct > 100)
		return -22;	/* -EINVAL: a tunable is out of range */
	return 0;
}

s32 NVG_OPS(powersave_select, struct nvg_power_period *p)
{
	u32 util = nvg_power_busiest(p), want, missed, mhz;

	if (!fill_pm)
		fill_pm = fill_pct * 10;
	if (nvg_power_frame_mhz(p, fill_pm, &missed)) {
		if (missed) {
			fill_pm = fill_pm > FILL_MIN_PM + FILL_STEP_PM ?
				  fill_pm - FILL_STEP_PM : FILL_MIN_PM;
			calm_periods = 0;
		} else if (++calm_periods >= FILL_CREEP) {
			calm_periods = 0;
			if (fill_pm < fill_pct * 10)
				fill_pm += 10;
		}
		mhz = nvg_power_frame_mhz(p, fill_pm, NULL);
		want = nvg_power_pstate_for(p, mhz);
		if (missed && want <= p->pstate)
			want = p->pstate + 1 < p->nr_pstates ? p->pstate + 1 : p->pstate;
		if (want + 1 < p->pstate)
			want = p->pstate - 1;
		return want;
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
