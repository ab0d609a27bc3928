// SPDX-License-Identifier: GPL-2.0
/*
 * powersave - the lowest clock that still meets the observed deadlines.
 *
 * What it does: while clients present frames, it runs the lowest p-state
 * at which the most demanding presenting client's frame (its GPU work per
 * frame, from the per-client frame information, averaged over the last
 * periods) takes at most a share "fill" of its refresh period. The fill is
 * learned: it starts at fill_pct, drops by 5 points (down to 40%) for
 * every period in which a presenting client missed a deadline -- the rest
 * of a frame, its CPU time and the way to the display, took more than was
 * left -- and creeps back up by a point every sixteen periods without a
 * miss. A miss also moves the clock up one
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
#define FILL_CREEP	16

struct nvg_power_fill fill;
/* The presenting clients' work per frame, over the last periods. */
struct nvg_power_work frame_work;

NVG_UEI_DEFINE(uei);

s32 NVG_OPS_SLEEPABLE(powersave_init)
{
	if (fill_pct < 40 || fill_pct > 95 || busy_pct < 50 || busy_pct > 100)
		return -22;	/* -EINVAL: a tunable is out of range */
	return 0;
}

s32 NVG_OPS(powersave_select, struct nvg_power_period *p)
{
	u32 util = nvg_power_busiest(p), fill_pm;
	struct nvg_power_frames f;
	u64 work;

	nvg_power_frames(p, &f);
	if (f.deadline_ns) {
		work = nvg_power_work_per_frame(&frame_work, &f);
		fill_pm = nvg_power_fill_learn(&fill, f.missed, fill_pct * 10, FILL_MIN_PM,
					       FILL_STEP_PM, 0, FILL_CREEP);
		return nvg_power_frame_pstate(p, &f, work, fill_pm);
	}
	frame_work.cycles = 0;
	frame_work.frames = 0;
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
