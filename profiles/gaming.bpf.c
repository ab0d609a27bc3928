// SPDX-License-Identifier: GPL-2.0
/*
 * gaming - frame-aware scheduling: latency-critical contexts first.
 *
 * What it does, in the spirit of sched_ext's scx_lavd: it learns from each
 * context's behaviour which ones are latency-critical, and serves those
 * first, preempting background work for them.
 *
 * Per context (job->ctx_id) it keeps two moving averages (EWMA, 3/4 old +
 * 1/4 new): the GPU time of its jobs (job->ran_ns when a job completes, in
 * stopping()) and the share of its submissions that came after it had sat
 * idle -- nothing queued or running -- for at least crit_gap_us (a "paced"
 * submission). A game renders a short frame, waits for it, then sleeps
 * until the next vsync: nearly every submission is paced. A hog keeps jobs
 * queued back to back: none is. So a context is latency-critical when
 *
 *	its jobs are short (avg run < crit_run_us)
 *	and most of its submissions are paced (share > 3/4),
 *	or it asked for DRM_NVGHOST_PRIORITY_HIGH.
 *
 * To keep slow frames from flipping a game to background (where they
 * would be slower still, and never paced again), a critical context stays
 * critical until its averages cross wider margins: run time above
 * 2 x crit_run_us, or paced share below 1/4. The share, not the length of
 * the idle gaps, decides: a late frame shortens the game's next gap, but
 * the game still waits for each frame before the next, so a few late
 * frames cannot demote it.
 *
 * Idleness is measured from idle to submission rather than from one
 * submission to the next: a back-to-back client queued behind others would
 * otherwise look as if it waited, and turn critical exactly when the GPU
 * is contended.
 *
 * A context nothing is known about yet gets the benefit of the doubt: its
 * first job is critical, and the context stays critical until its
 * averages say otherwise (with the margins below), or that first job uses
 * up its short slice (then it is background at once). A game is then
 * served well from its first frame; a hog loses the benefit within one
 * job.
 *
 * Each engine has two FIFO dispatch queues. Critical jobs go to INTERACTIVE
 * with a short slice (crit_slice_us), everything else to BACKGROUND with a
 * long one (bg_slice_us). When a critical job is enqueued while its engine
 * runs background work, the engine is preempted (nvg_engine_preempt()); the
 * background job is saved and queued again, and resumes where it stopped.
 * dispatch() serves INTERACTIVE first, then BACKGROUND.
 *
 * Background still progresses: when the oldest background job has waited
 * longer than bg_max_wait_ms, dispatch() serves BACKGROUND first, once, and
 * that job is not preempted for critical work: it runs its slice. So even
 * a GPU saturated with critical work gives background about
 * bg_slice_us / (bg_max_wait_ms + bg_slice_us) of the engine, and the
 * driver's watchdog has no reason to eject the policy.
 *
 * What runs on each engine, and whether it is critical, is tracked from
 * dispatch(), running() and stopping().
 *
 * For whom: desktops and gaming machines: a game or compositor sharing the
 * GPU with an encoder, a compute job or a second game, where frame latency
 * matters more than the background's throughput.
 *
 * Where it is weak: the classification is a heuristic. A new context's
 * first job may preempt background work for up to crit_slice_us; a context
 * that submits short jobs with gaps but is not interactive (a polling
 * monitor) is treated as critical; a game whose frames grow past
 * crit_run_us (a heavy scene) loses its priority just when it needs it.
 * Background throughput drops by the preemptions (a context save each) and
 * the interactive share. Contexts are not weighted against each other
 * within a class: two heavy background clients share by FIFO round-robin.
 *
 * Power (the same object also fills the power hook, nvg_power_ops; it
 * governs once the GPU's devfreq governor is nvg_power_ops). While clients
 * present frames, it runs the lowest p-state at which the most demanding
 * presenting client's frame (its GPU work per frame, from the per-client
 * frame information, averaged over the last periods) takes at most a
 * share of its refresh period, the rest being the client's CPU time and
 * the way to the display. The share is learned, since the GPU cannot see
 * that rest: it starts at power_fill_pct, loses 15 points when deadlines
 * are missed in periods less than three apart (down to 30%; a lone late
 * frame is more likely a hiccup than a slow clock) and regains one every
 * 64 periods without a miss (about 3 s at the 50 ms period). When a
 * presenting client misses a deadline it boosts at once, to the clock that
 * renders a frame in half its refresh period and at least one p-state up,
 * and stays there for power_hold_periods periods: a vsync'd game that
 * misses a refresh waits for the next one, so its utilisation falls just
 * when it needs more clock, and a utilisation rule would let it sink to
 * the lowest p-state. It comes down one p-state per period. With no frames
 * presented it drops to the lowest p-state after power_idle_periods idle
 * periods and goes to the top when the busiest engine is more than 45%
 * busy at the lowest p-state (a game starting, before its first frame),
 * boosts to the top when the
 * busiest engine is saturated (90%:
 * the load no longer says how much clock is missing), and otherwise keeps
 * the busiest engine near power_target_pct utilisation.
 *
 * Pacing (the same object also fills the pacing hook, nvg_pacing_ops): it
 * answers DRM_IOCTL_NVGHOST_FRAME_WAIT with the latest start that still
 * makes the head's next refresh: that refresh minus the client's average
 * render time minus a margin -- at least pace_margin_us, widened at once
 * when an advised frame misses its refresh and narrowed slowly while
 * frames make it, so the advice adapts to how much render times vary. A
 * game that sleeps until then renders with the freshest input instead of finishing early and waiting for the
 * display (the Reflex idea). Flips latch at once by default (lowest
 * latency); with pace_cadence=1 and VRR it latches each flip one average
 * frame interval after the previous one, as smooth does (experimental:
 * under a noisy host the held flips cost frame rate).
 *
 * Tunables (nvgpolicy load gaming.bpf.o --set NAME=VALUE):
 *   crit_run_us     avg job time below which a context may be critical
 *                   (default 4000)
 *   crit_gap_us     idle time before a submission that makes it paced
 *                   (default 1000)
 *   crit_slice_us   timeslice of critical jobs (default 2000)
 *   bg_slice_us     timeslice of background jobs (default 20000)
 *   bg_max_wait_ms  longest the oldest background job waits before it is
 *                   served first, once (default 200)
 *   preempt         1: preempt background work for critical jobs
 *                   (default); 0: only order the queues
 *   pace_margin_us       smallest margin of the start advice (default 1500)
 *   pace_cadence         1: steady VRR cadence (default 0, see above)
 *   power_fill_pct       share of a refresh period a presenting client's
 *                        frame may take on the GPU at first, 30 .. 95
 *                        (default 70)
 *   power_hold_periods   periods a boost lasts, 0 .. 100 (default 4)
 *   power_target_pct     without frames, utilisation to keep, 10 .. 95
 *                        (default 45)
 *   power_idle_periods   idle periods before dropping to the lowest
 *                        p-state, 1 .. 100 (default 3)
 * Slices must lie within 100 .. 10000000 us: init() refuses the load
 * otherwise.
 */
#include "nvg/common.bpf.h"
#include "nvg/power.bpf.h"

char _license[] SEC("license") = "GPL";

#define MAX_CTXS	8192

/* Dispatch queue ids: INTERACTIVE and BACKGROUND of each engine. */
#define DSQ_INTERACTIVE(q)	((u64)(q))
#define DSQ_BACKGROUND(q)	((u64)NVG_NR_QUEUES + (q))

#define PRIO_HIGH	2	/* DRM_NVGHOST_PRIORITY_HIGH */

/* The paced share is kept in 1/1024ths. */
#define SHARE_ONE	1024
#define SHARE_GAIN	(SHARE_ONE * 3 / 4)	/* become critical above */
#define SHARE_LOSE	(SHARE_ONE / 4)		/* stop being critical below */

const volatile u32 crit_run_us = 4000;
const volatile u32 crit_gap_us = 1000;
const volatile u32 crit_slice_us = 2000;
const volatile u32 bg_slice_us = 20000;
const volatile u32 bg_max_wait_ms = 200;
const volatile bool preempt = true;
const volatile u32 pace_margin_us = 1500;
const volatile bool pace_cadence;
const volatile u32 power_fill_pct = 70;
const volatile u32 power_hold_periods = 4;
const volatile u32 power_target_pct = 45;
const volatile u32 power_idle_periods = 3;

/* Below this busiest-engine utilisation (per mille) a period is idle. */
#define POWER_IDLE_PM	20
/*
 * The learned fill: down 15 points for a miss within three periods of
 * another, to 30%; a point back per 64 periods without a miss.
 */
#define POWER_FILL_MIN_PM	300
#define POWER_FILL_STEP_PM	150
#define POWER_FILL_REPEAT	3
#define POWER_FILL_CREEP	64
/* Above it, work at the bottom p-state is a wake-up: the top at once. */
#define POWER_WAKE_PM	450
/* At or above it the engine is saturated: boost to the top at once. */
#define POWER_SATURATED_PM	900

/* What we know of a context. */
struct ctx_stat {
	u64 idle_since;		/* when it last had nothing in flight; 0: never */
	u64 avg_run_ns;		/* EWMA of its jobs' GPU time */
	u64 paced_share;	/* EWMA of its paced submissions, in 1/SHARE_ONE */
	u32 nr_runs;		/* samples in avg_run_ns */
	u32 nr_gaps;		/* samples in paced_share */
	u32 nr_inflight;	/* its jobs enqueued and not yet done */
	u32 critical;		/* classified latency-critical */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_CTXS);
	__type(key, u64);
	__type(value, struct ctx_stat);
} ctx_stats SEC(".maps");

/*
 * What an engine runs (UNKNOWN: not seen yet, e.g. it ran before attach),
 * and since when background work waits for it: a lower bound of the
 * oldest background job's wait, 0 when its BACKGROUND queue is empty.
 */
enum eng_run {
	RUN_UNKNOWN,
	RUN_IDLE,
	RUN_INTERACTIVE,
	RUN_BACKGROUND,
	RUN_STARVED,	/* background served because it waited too long */
};

struct engine_state {
	u32 run;		/* enum eng_run */
	u32 next;		/* the class dispatch() just moved */
	u64 bg_wait_since;	/* the oldest background job waits since */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NVG_NR_QUEUES);
	__type(key, u32);
	__type(value, struct engine_state);
} engines SEC(".maps");

enum gaming_stat {
	GAMING_STAT_CRITICAL,		/* jobs filed INTERACTIVE */
	GAMING_STAT_BACKGROUND,		/* jobs filed BACKGROUND */
	GAMING_STAT_PREEMPT,		/* preemptions asked for */
	GAMING_STAT_BG_STARVED,		/* background served first, once */
	GAMING_NR_STATS,
};

NVG_STATS_DEFINE(GAMING_NR_STATS);

NVG_UEI_DEFINE(uei);

static u64 ewma(u64 old, u64 sample, u32 nr)
{
	return nr ? (old * 3 + sample) / 4 : sample;
}

static bool slice_us_ok(u32 us)
{
	return nvg_slice_ok((u64)us * 1000);
}

/*
 * The device's clock (its PTIMER), on which every time below is taken:
 * the clock of job->enqueue_ns and of the pacing and power ops' times, and
 * the one a virtual-time replay advances; the host's clock would make the
 * policy decide differently there. Never 0, which means "not yet" in the
 * fields above (a virtual clock starts at 0).
 */
static u64 dev_now(u32 dev_index)
{
	return nvg_device_now_ns(dev_index) ?: 1;
}

/* Is @cs (priority @prio) latency-critical now? Updates cs->critical. */
static bool ctx_is_critical(struct ctx_stat *cs, u32 prio)
{
	u64 run = (u64)crit_run_us * 1000;

	if (prio == PRIO_HIGH)
		return true;
	if (!cs)
		return false;
	/*
	 * Nothing known yet: the benefit of the doubt for its first job (a
	 * first frame should not wait behind background slices), until it
	 * completes or uses up its slice (see gaming_stopping()).
	 */
	if (!cs->nr_runs)
		return cs->nr_inflight == 1;
	if (!cs->nr_gaps)
		return cs->critical;
	/* Hysteresis: once critical, it takes a wide margin to lose it. */
	if (cs->critical)
		cs->critical = cs->avg_run_ns < 2 * run && cs->paced_share > SHARE_LOSE;
	else
		cs->critical = cs->avg_run_ns < run && cs->paced_share > SHARE_GAIN;
	return cs->critical;
}

static struct ctx_stat *ctx_stat_get(u64 ctx_id)
{
	struct ctx_stat *cs, init = { .critical = 1 };	/* until shown not */

	cs = bpf_map_lookup_elem(&ctx_stats, &ctx_id);
	if (cs)
		return cs;
	bpf_map_update_elem(&ctx_stats, &ctx_id, &init, BPF_NOEXIST);
	return bpf_map_lookup_elem(&ctx_stats, &ctx_id);
}

s32 NVG_OPS_SLEEPABLE(gaming_init)
{
	s32 ret;
	u32 i;

	if (power_target_pct < 10 || power_target_pct > 95 ||
	    power_idle_periods < 1 || power_idle_periods > 100 ||
	    power_fill_pct < 30 || power_fill_pct > 95 || power_hold_periods > 100)
		return -22;	/* -EINVAL: a power tunable is out of range */

	if (!slice_us_ok(crit_slice_us) || !slice_us_ok(bg_slice_us))
		return -22;	/* -EINVAL: a slice tunable is out of range */

	for (i = 0; i < NVG_NR_QUEUES; i++) {
		ret = nvg_dsq_create(DSQ_INTERACTIVE(i));
		if (ret)
			return ret;
		ret = nvg_dsq_create(DSQ_BACKGROUND(i));
		if (ret)
			return ret;
	}
	return 0;
}

void NVG_OPS(gaming_enqueue, struct nvg_job *job, u64 enq_flags)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	struct engine_state *es = bpf_map_lookup_elem(&engines, &q);
	struct ctx_stat *cs = ctx_stat_get(job->ctx_id);
	u64 now = dev_now(job->dev_index);

	if (!es)
		return;	/* cannot happen: the default picks the job */

	/*
	 * A new submission (not a preempted job coming back): did the context
	 * sit idle for crit_gap_us before it? Not if its work was in flight.
	 */
	if (cs && !(enq_flags & NVG_ENQ_REQUEUE)) {
		if (cs->nr_inflight || cs->idle_since) {
			bool paced = !cs->nr_inflight && now > cs->idle_since &&
				     now - cs->idle_since >= (u64)crit_gap_us * 1000;

			cs->paced_share = ewma(cs->paced_share, paced ? SHARE_ONE : 0,
					       cs->nr_gaps);
			cs->nr_gaps++;
		}
		cs->nr_inflight++;
	}

	if (ctx_is_critical(cs, job->ctx_prio)) {
		stat_inc(GAMING_STAT_CRITICAL);
		nvg_dsq_insert(job, DSQ_INTERACTIVE(q), (u64)crit_slice_us * 1000, 0);
		/* Background work in the way: take the engine back. */
		if (preempt && (es->run == RUN_BACKGROUND || es->run == RUN_UNKNOWN)) {
			stat_inc(GAMING_STAT_PREEMPT);
			nvg_engine_preempt(job->dev_index, job->engine);
		}
		return;
	}

	stat_inc(GAMING_STAT_BACKGROUND);
	if (nvg_dsq_nr_queued(DSQ_BACKGROUND(q)) <= 0 || !es->bg_wait_since)
		es->bg_wait_since = now;
	nvg_dsq_insert(job, DSQ_BACKGROUND(q), (u64)bg_slice_us * 1000, 0);
}

/*
 * Only one nvg_dsq_move_to_engine() per dispatch, and it counts even when
 * it finds nothing: choose the queue by its count first. The queues are
 * per engine, so a queue that is not empty has a job for this engine.
 */
u64 NVG_OPS(gaming_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	u32 q = nvg_queue_index(dev_index, engine);
	struct engine_state *es = bpf_map_lookup_elem(&engines, &q);
	s32 nr_int = nvg_dsq_nr_queued(DSQ_INTERACTIVE(q));
	s32 nr_bg = nvg_dsq_nr_queued(DSQ_BACKGROUND(q));
	u64 now = dev_now(dev_index);
	bool bg_first = false;

	if (!es)
		return 0;
	es->next = RUN_UNKNOWN;		/* if nothing moves, the default picks */

	if (nr_bg > 0 && es->bg_wait_since && now > es->bg_wait_since &&
	    now - es->bg_wait_since > (u64)bg_max_wait_ms * 1000000) {
		bg_first = true;
		if (nr_int > 0)
			stat_inc(GAMING_STAT_BG_STARVED);
	}

	if (nr_int > 0 && !bg_first) {
		if (nvg_dsq_move_to_engine(DSQ_INTERACTIVE(q)))
			es->next = RUN_INTERACTIVE;
	} else if (nr_bg > 0) {
		if (nvg_dsq_move_to_engine(DSQ_BACKGROUND(q))) {
			es->next = bg_first ? RUN_STARVED : RUN_BACKGROUND;
			/* Whoever is now first waited since at least now. */
			es->bg_wait_since = nr_bg > 1 ? now : 0;
		}
	}
	return 0;
}

void NVG_OPS(gaming_running, struct nvg_job *job)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	struct engine_state *es = bpf_map_lookup_elem(&engines, &q);

	if (!es)
		return;
	/* running() follows the dispatch() that chose the job. */
	es->run = es->next == RUN_UNKNOWN ? RUN_BACKGROUND : es->next;
	es->next = RUN_UNKNOWN;
}

void NVG_OPS(gaming_stopping, struct nvg_job *job, u32 reason)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	struct engine_state *es = bpf_map_lookup_elem(&engines, &q);
	u32 was = RUN_UNKNOWN;
	struct ctx_stat *cs;

	if (es) {
		was = es->run;
		es->run = RUN_IDLE;
	}
	cs = ctx_stat_get(job->ctx_id);
	if (!cs)
		return;
	/*
	 * A first job, trusted as critical, that used up its short slice is
	 * no frame: its context is background from now on (until its jobs'
	 * average says otherwise).
	 */
	if (reason == NVG_JOB_SLICE_EXPIRED && was == RUN_INTERACTIVE && !cs->nr_runs) {
		cs->avg_run_ns = job->ran_ns > (u64)crit_run_us * 1000 ?
				 job->ran_ns : (u64)crit_run_us * 1000;
		cs->nr_runs = 1;
		cs->critical = 0;
		return;
	}
	/* A job's run time is known when it is done, across preemptions. */
	if (reason != NVG_JOB_COMPLETED && reason != NVG_JOB_FAILED)
		return;
	cs->avg_run_ns = ewma(cs->avg_run_ns, job->ran_ns, cs->nr_runs);
	cs->nr_runs++;
	/* Jobs that ran before the policy attached were never counted. */
	if (cs->nr_inflight)
		cs->nr_inflight--;
	if (!cs->nr_inflight)
		cs->idle_since = dev_now(job->dev_index);
}

void NVG_OPS(gaming_ctx_exit, struct nvg_ctx *gctx)
{
	u64 id = gctx->id;

	bpf_map_delete_elem(&ctx_stats, &id);
}

void NVG_OPS(gaming_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

/*
 * Power: idle periods in a row; periods left of a boost, and its p-state;
 * the presenting clients' work per frame over the last periods.
 */
u32 idle_periods;
u32 boost_left;
u32 boost_pstate;
struct nvg_power_work frame_work;
struct nvg_power_fill fill;

s32 NVG_OPS(gaming_power_select, struct nvg_power_period *p)
{
	u32 util = nvg_power_busiest(p), want, fill_pm;
	struct nvg_power_frames f;
	u64 work;

	nvg_power_frames(p, &f);
	if (f.deadline_ns) {
		idle_periods = 0;
		work = nvg_power_work_per_frame(&frame_work, &f);
		fill_pm = nvg_power_fill_learn(&fill, f.missed, power_fill_pct * 10,
					       POWER_FILL_MIN_PM, POWER_FILL_STEP_PM,
					       POWER_FILL_REPEAT, POWER_FILL_CREEP);
		want = nvg_power_pstate_for(p, nvg_power_mhz_for(work, f.deadline_ns, fill_pm));
		if (f.missed) {
			/* A frame was late: boost, and hold it a while. */
			boost_pstate = nvg_power_pstate_for(p, nvg_power_mhz_for(work,
									 f.deadline_ns, 500));
			if (boost_pstate <= p->pstate)
				boost_pstate = p->pstate + 1 < p->nr_pstates ?
					       p->pstate + 1 : p->pstate;
			boost_left = power_hold_periods + 1;
		}
		if (boost_left) {
			boost_left--;
			if (want < boost_pstate)
				want = boost_pstate;
		}
		/* Saturated: a frame still rendering is not counted yet. */
		if (util >= POWER_SATURATED_PM)
			return p->nr_pstates - 1;
	} else {
		boost_left = 0;
		frame_work.cycles = 0;
		frame_work.frames = 0;
		if (util < POWER_IDLE_PM) {
			if (++idle_periods >= power_idle_periods)
				return 0;
			return p->pstate;
		}
		idle_periods = 0;
		/*
		 * Real work at the bottom p-state (a game starting on an idle
		 * GPU): the top at once, until its frames say what it needs.
		 */
		if (!p->pstate && util > POWER_WAKE_PM)
			return p->nr_pstates - 1;
		/* Saturated: the load no longer says how much clock is missing. */
		if (util >= POWER_SATURATED_PM)
			return p->nr_pstates - 1;
		want = nvg_power_pstate_for(p, nvg_power_needed_mhz(p, util,
								    power_target_pct * 10));
	}
	if (want + 1 < p->pstate)
		want = p->pstate - 1;	/* down one step per period */
	return want;
}

/* Pacing, per head: the cadence of its flips and its client's render time. */
#define MAX_HEADS	(NVG_MAX_GPUS * 8)

struct pace_state {
	u64 last_queue_ns;	/* the previous flip was queued */
	u64 avg_interval_ns;	/* EWMA of the intervals between flips */
	u64 last_latch_ns;	/* the previous flip latched (or will) */
	u64 last_hold_ns;	/* how long gaming held it */
	u64 avg_render_ns;	/* EWMA of frame start to flip queued */
	u64 slot_ns;		/* the refresh the last advice aimed at; 0: none */
	u64 margin_ns;		/* the advice's margin, adapted to misses */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_HEADS);
	__type(key, u32);
	__type(value, struct pace_state);
} pace SEC(".maps");

static struct pace_state *pace_get(u32 dev_index, u32 head)
{
	u32 key = (dev_index % NVG_MAX_GPUS) * 8 + head % 8;

	return bpf_map_lookup_elem(&pace, &key);
}

static u64 ewma8(u64 old, u64 sample)
{
	return old ? (old * 7 + sample) / 8 : sample;
}

u64 NVG_OPS(gaming_flip, struct nvg_flip *f)
{
	struct pace_state *ps = pace_get(f->dev_index, f->head);
	u64 slot, t = 0;

	if (!ps)
		return 0;
	/* The client's own interval: less the time we held its last flip. */
	if (ps->last_queue_ns && f->now_ns > ps->last_queue_ns + ps->last_hold_ns)
		ps->avg_interval_ns = ewma8(ps->avg_interval_ns,
					    f->now_ns - ps->last_queue_ns - ps->last_hold_ns);
	ps->last_queue_ns = f->now_ns;
	/*
	 * Did the frame we advised make its refresh? A late one widens the
	 * margin at once; each on-time one narrows it a little, down to
	 * pace_margin_us: the advice adapts to how much render times vary.
	 */
	if (ps->slot_ns) {
		u64 lo = (u64)pace_margin_us * 1000, hi = f->frame_ns / 2;

		if (f->now_ns > ps->slot_ns)
			ps->margin_ns = ps->margin_ns * 3 / 2 + 250000;
		else if (ps->margin_ns > lo + 50000)
			ps->margin_ns -= 50000;
		if (ps->margin_ns < lo)
			ps->margin_ns = lo;
		if (hi > lo && ps->margin_ns > hi)
			ps->margin_ns = hi;
		ps->slot_ns = 0;
	}
	if (pace_cadence && f->vrr && ps->avg_interval_ns && ps->last_latch_ns) {
		slot = ps->last_latch_ns + ps->avg_interval_ns;
		if (slot > f->now_ns && slot <= f->window_end_ns)
			t = slot;
	}
	ps->last_latch_ns = t ? t : (f->vrr ? f->now_ns : f->last_vblank_ns + f->frame_ns);
	ps->last_hold_ns = t ? t - f->now_ns : 0;
	return t;
}

u64 NVG_OPS(gaming_frame_start, struct nvg_frame *fr)
{
	struct pace_state *ps = pace_get(fr->dev_index, fr->head);
	u64 next, lead;

	if (!ps)
		return 0;
	if (fr->last_frame_ns)
		ps->avg_render_ns = ewma8(ps->avg_render_ns, fr->last_frame_ns);
	/*
	 * The earliest the head can show a new frame: the refresh after the
	 * last one (with VRR, frame_ns is the monitor's shortest frame). A
	 * frame started so that it is done just then waits for nothing; one
	 * started earlier only waits longer for the display. Never derived
	 * from the client's own interval, which the advice itself stretches.
	 */
	next = fr->last_vblank_ns + fr->frame_ns;
	if (ps->margin_ns < (u64)pace_margin_us * 1000)
		ps->margin_ns = (u64)pace_margin_us * 1000;
	lead = ps->avg_render_ns + ps->margin_ns;
	if (!fr->frame_ns || next <= fr->now_ns + lead)
		return 0;		/* no time to spare: start now */
	ps->slot_ns = next;
	return next - lead;
}

NVG_PACING_OPS_DEFINE(gaming_pacing_ops,
	.flip		= (void *)gaming_flip,
	.frame_start	= (void *)gaming_frame_start,
	.name		= "gaming");

NVG_POWER_OPS_DEFINE(gaming_power_ops,
	.select		= (void *)gaming_power_select,
	.name		= "gaming");

NVG_SCHED_OPS_DEFINE(gaming_ops,
	.init		= (void *)gaming_init,
	.enqueue	= (void *)gaming_enqueue,
	.dispatch	= (void *)gaming_dispatch,
	.running	= (void *)gaming_running,
	.stopping	= (void *)gaming_stopping,
	.ctx_exit	= (void *)gaming_ctx_exit,
	.exit		= (void *)gaming_exit,
	.name		= "gaming");
