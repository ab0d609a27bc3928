// SPDX-License-Identifier: GPL-2.0
/*
 * balanced - just enough clock for the work, with headroom.
 *
 * What it does: each period it takes the busiest engine's utilisation and
 * computes the clock that would have run the same work at target_pct
 * utilisation (work scales with the clock: util x clock is constant), then
 * picks the lowest p-state at or above it. Above up_pct utilisation the
 * GPU is short of clock and the measurement saturates, so it jumps to the
 * top p-state at once, as it does when the GPU is more than 45% busy at the
 * lowest p-state (a wake-up: a game starting, before its first frame). Going
 * down it moves one p-state per period, so a short lull does not drop the
 * clock all the way.
 *
 * While clients present frames it instead makes sure the most demanding
 * presenting client's frame (its GPU work per frame, from the per-client
 * frame information, averaged over the last periods) takes at most a
 * share of its refresh period, and steps up one p-state at least after a
 * missed deadline: utilisation alone misleads with a vsync'd game, whose
 * utilisation falls when it misses a refresh. The share is learned (the
 * rest of a frame is the client's CPU time and the way to the display,
 * which the GPU cannot see): it starts at frame_pct, loses 10 points when
 * deadlines are missed in periods less than three apart (down to 30%; a
 * lone late frame is more likely a hiccup than a slow clock) and regains one
 * every 32 periods without a miss.
 *
 * The difference from simple_ondemand (the devfreq default): ondemand
 * jumps to the top whenever the load passes its threshold and otherwise
 * scales proportionally, which on a GPU that runs many short bursts tends
 * to sit at the top clock; balanced keeps the headroom explicit.
 *
 * For whom: the default choice for a desktop or laptop: near-full speed
 * when work arrives, low power when it does not.
 *
 * Where it is weak: it reacts to a miss by one step, where gaming boosts
 * and holds; the one-step-down rule wastes some energy after a burst.
 *
 * Tunables (nvgpolicy load balanced.bpf.o --set NAME=VALUE):
 *   target_pct  utilisation to aim for, 10 .. 95 (default 70)
 *   up_pct      above this, go to the top p-state at once; target_pct ..
 *               100 (default 90)
 *   frame_pct   share of a refresh period a presenting client's frame may
 *               take on the GPU at first, 30 .. 95 (default 75)
 */
#include "nvg/power.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 target_pct = 70;
const volatile u32 up_pct = 90;
const volatile u32 frame_pct = 75;

/*
 * The learned fill: down 10 points for a miss within three periods of
 * another, to 30%; a point back per 32 periods without a miss.
 */
#define FILL_MIN_PM	300
#define FILL_STEP_PM	100
#define FILL_REPEAT	3
#define FILL_CREEP	32
struct nvg_power_fill fill;

/* The presenting clients' work per frame, over the last periods. */
struct nvg_power_work frame_work;

/* Above this busiest-engine utilisation (per mille), work at the bottom is a wake-up. */
#define WAKE_PM		450

NVG_UEI_DEFINE(uei);

s32 NVG_OPS_SLEEPABLE(balanced_init)
{
	if (target_pct < 10 || target_pct > 95 || up_pct < target_pct || up_pct > 100 ||
	    frame_pct < 30 || frame_pct > 95)
		return -22;	/* -EINVAL: a tunable is out of range */
	return 0;
}

s32 NVG_OPS(balanced_select, struct nvg_power_period *p)
{
	u32 util = nvg_power_busiest(p), want, fill_pm;
	struct nvg_power_frames f;

	nvg_power_frames(p, &f);
	if (f.deadline_ns) {
		/* Frames: their deadlines decide, not the utilisation. */
		fill_pm = nvg_power_fill_learn(&fill, f.missed, frame_pct * 10, FILL_MIN_PM,
					       FILL_STEP_PM, FILL_REPEAT, FILL_CREEP);
		want = nvg_power_frame_pstate(p, &f, nvg_power_work_per_frame(&frame_work, &f),
					      fill_pm);
		/* Saturated: a frame still rendering is not counted yet. */
		return util > up_pct * 10 ? p->nr_pstates - 1 : want;
	}
	frame_work.cycles = 0;
	frame_work.frames = 0;
	/* Real work at the bottom p-state is a wake-up: the top at once. */
	if (util > up_pct * 10 || (!p->pstate && util > WAKE_PM))
		return p->nr_pstates - 1;
	want = nvg_power_pstate_for(p, nvg_power_needed_mhz(p, util, target_pct * 10));
	/* Up at once, down one step at a time. */
	if (want + 1 < p->pstate)
		want = p->pstate - 1;
	return want;
}

void NVG_OPS(balanced_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_POWER_OPS_DEFINE(balanced_ops,
	.init		= (void *)balanced_init,
	.select		= (void *)balanced_select,
	.exit		= (void *)balanced_exit,
	.name		= "balanced");
