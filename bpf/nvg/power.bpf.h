/* SPDX-License-Identifier: GPL-2.0 */
/*
 * power.bpf.h - helpers power policies share: the busiest engine's load,
 * the lowest p-state whose clock carries a load at a target utilisation,
 * and, from the per-client frame information, the work per frame of the
 * presenting clients and the clock that fits it in their deadlines.
 */
#ifndef __NVG_POWER_BPF_H
#define __NVG_POWER_BPF_H

#include "nvg/common.bpf.h"

/* As in kmod/nvghost_power_ops.h (defines are not in the module's BTF). */
#define NVG_POWER_MAX_ENGINES	8
#define NVG_POWER_MAX_PSTATES	16
#define NVG_POWER_MAX_CLIENTS	8

/* The busiest engine's utilisation in the period, per mille. */
static __always_inline u32 nvg_power_busiest(const struct nvg_power_period *p)
{
	u32 i, max = 0;

	for (i = 0; i < NVG_POWER_MAX_ENGINES && i < p->nr_engines; i++)
		if (p->util_pm[i] > max)
			max = p->util_pm[i];
	return max;
}

/*
 * The clock, in MHz, that would have run the period's work at
 * @target_pm utilisation: work scales with clock (the simulated GPU's
 * BUSY cycles do), so work = util x clock.
 */
static __always_inline u32 nvg_power_needed_mhz(const struct nvg_power_period *p,
						u32 util_pm, u32 target_pm)
{
	if (!target_pm)
		return 0;
	return (u32)(((u64)p->clock_mhz * util_pm + target_pm - 1) / target_pm);
}

/* The lowest p-state whose clock is at least @mhz (the top one if none). */
static __always_inline u32 nvg_power_pstate_for(const struct nvg_power_period *p, u32 mhz)
{
	u32 i;

	for (i = 0; i < NVG_POWER_MAX_PSTATES && i + 1 < p->nr_pstates; i++)
		if (p->pstate_mhz[i] >= mhz)
			return i;
	return p->nr_pstates ? p->nr_pstates - 1 : 0;
}

/*
 * What the presenting clients did, from the per-client frame information:
 * for the most demanding client that presented (or missed) frames in the
 * period, its GPU work in cycles (its GPU time x the clock: work, unlike
 * time, does not change with the clock), its frames and its deadline; and
 * the deadlines all presenting clients missed. This is what utilisation
 * cannot say: a vsync'd game that misses a refresh waits for the next one,
 * so its utilisation falls exactly when it needs more clock.
 */
struct nvg_power_frames {
	u64 cycles;		/* that client's GPU work in the period */
	u32 frames;		/* its frames presented in the period */
	u32 missed;		/* deadlines missed, all presenting clients */
	u64 deadline_ns;	/* its deadline; 0: nobody presented */
};

static __always_inline void nvg_power_frames(const struct nvg_power_period *p,
					     struct nvg_power_frames *f)
{
	u64 cycles, need, best = 0;
	u32 i;

	f->cycles = 0;
	f->frames = 0;
	f->missed = 0;
	f->deadline_ns = 0;
#pragma unroll
	for (i = 0; i < NVG_POWER_MAX_CLIENTS; i++) {
		const struct nvg_power_client *c = &p->clients[i];

		if (i >= p->nr_clients)
			break;
		if (!c->deadline_ns)
			continue;
		f->missed += c->missed;
		cycles = c->busy_ns[0] * p->clock_mhz / 1000;
		/* The most demanding: the most work per frame per ns of deadline. */
		need = cycles * 1000 / (c->frames ? c->frames : 1) / c->deadline_ns;
		if (!f->deadline_ns || need > best) {
			best = need;
			f->cycles = cycles;
			f->frames = c->frames;
			f->deadline_ns = c->deadline_ns;
		}
	}
}

/*
 * The work per frame, in cycles, over the last periods: a ratio of sums
 * that forget an eighth each period (half in about five periods, some
 * fifteen frames at 60 Hz), so that neither frame-to-frame variation nor a
 * job counted in the period after its frame's flip sways the clock.
 * Periods in which frames took longer than the period count fully.
 */
struct nvg_power_work {
	u64 cycles;
	u64 frames;	/* 1/1024ths of a frame */
};

static __always_inline u64 nvg_power_work_per_frame(struct nvg_power_work *w,
						    const struct nvg_power_frames *f)
{
	w->cycles = w->cycles - w->cycles / 8 + f->cycles;
	w->frames = w->frames - w->frames / 8 + (u64)f->frames * 1024;
	return w->frames ? w->cycles * 1024 / w->frames : w->cycles;
}

/*
 * A learned fill: the share of its deadline a frame may take on the GPU,
 * per mille. What is left is the client's own CPU time and the way to the
 * display, which the GPU cannot see: so it is learned from misses. A
 * period with a missed deadline lowers it by @step_pm (down to @min_pm) if
 * another period within @repeat_periods before it had a miss too (0: any
 * miss lowers it). A clock too slow makes frame after frame late; a lone
 * late frame is more likely a hiccup on the CPU side, which a lower fill
 * would not have prevented.
 * Every @creep_periods (> 0) periods in a row without a miss raise it by 10 (one
 * point), back up to @start_pm. Returns the fill to use now.
 */
struct nvg_power_fill {
	u32 pm;		/* 0 until first used */
	u32 since_miss;	/* periods since the last miss (saturating) */
};

static __always_inline u32 nvg_power_fill_learn(struct nvg_power_fill *fl, u32 missed,
						u32 start_pm, u32 min_pm, u32 step_pm,
						u32 repeat_periods, u32 creep_periods)
{
	if (!fl->pm) {
		fl->pm = start_pm;
		fl->since_miss = 0xffffffff;
	}
	if (missed) {
		if (!repeat_periods || fl->since_miss < repeat_periods)
			fl->pm = fl->pm > min_pm + step_pm ? fl->pm - step_pm : min_pm;
		fl->since_miss = 0;
		return fl->pm;
	}
	if (fl->since_miss < 0xffffffff)
		fl->since_miss++;
	if (fl->since_miss % creep_periods == 0 && fl->pm + 10 <= start_pm)
		fl->pm += 10;
	return fl->pm;
}

/* The clock, in MHz, that runs @cycles in @fill_pm per mille of @deadline_ns. */
static __always_inline u32 nvg_power_mhz_for(u64 cycles, u64 deadline_ns, u32 fill_pm)
{
	u64 mhz;

	if (!deadline_ns || !fill_pm)
		return 0;
	mhz = cycles * 1000000 / (deadline_ns * fill_pm) + 1;
	return mhz > 0xffffffffULL ? 0xffffffffU : (u32)mhz;
}

/*
 * The p-state for the presenting clients: the lowest whose clock runs
 * @work cycles per frame in @fill_pm per mille of @f->deadline_ns; at
 * least one up after a missed deadline; at most one down per period, so
 * that a lull of a few frames does not drop the clock all the way.
 */
static __always_inline u32 nvg_power_frame_pstate(const struct nvg_power_period *p,
						  const struct nvg_power_frames *f,
						  u64 work, u32 fill_pm)
{
	u32 want = nvg_power_pstate_for(p, nvg_power_mhz_for(work, f->deadline_ns, fill_pm));

	if (f->missed && want <= p->pstate)
		want = p->pstate + 1 < p->nr_pstates ? p->pstate + 1 : p->pstate;
	if (want + 1 < p->pstate)
		want = p->pstate - 1;
	return want;
}

#endif /* __NVG_POWER_BPF_H */
