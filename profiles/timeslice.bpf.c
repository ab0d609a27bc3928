// SPDX-License-Identifier: GPL-2.0
/*
 * timeslice - time-slicing like NVIDIA's GPUs: a slice per context, not per
 * job, in round robin, renewed while nobody else waits.
 *
 * What it does: the unit that gets a timeslice is a context on an engine
 * (job->ctx_id: a client's DRM file, whose channels on one engine are what
 * NVIDIA calls a time-slice group, TSG), not a job. Per engine the policy
 * keeps whose turn it is and when that turn's slice ends (slice_us, 2 ms,
 * what the H100's waits in traces/real/ show):
 *
 *  - A job of the context whose turn it is, made runnable while the turn
 *    lasts (typically the channel's next job, made runnable by the one
 *    before completing), is filed ahead of every other context's jobs, with
 *    the rest of the turn's slice: a request of several kernels runs in one
 *    turn, as on NVIDIA hardware, where a TSG runs whatever its channels
 *    have queued during its timeslice.
 *  - Any other job waits for a turn of its context: a context that is not
 *    already waiting gets the next turn number and goes to the back of the
 *    round robin. A vtime dispatch queue per engine ordered by turn number
 *    is the round robin; dispatch() runs its head.
 *  - When the running job's slice is over, slice_end() renews the turn (a
 *    fresh slice, from now) if no other job waits for the engine, else ends
 *    it: the driver preempts the job, which goes to the back with a new
 *    turn. So a context that arrives while another runs alone waits for the
 *    rest of that context's current slice (0 .. slice_us), not for nothing
 *    (the built-in rule preempts a job past its slice as soon as anyone
 *    arrives) and not for a slice per job of its own (the built-in default
 *    gives each job a turn, so a request of k kernels needs k turns).
 *  - running() starts a new turn when a job of another context starts (or
 *    of the same context after its turn ended): the turn's slice ends
 *    slice_us later, whatever the job was filed with; slice_end() lets a
 *    job filed with a shorter slice run on to the end of its turn.
 *
 * For whom: reproducing what NVIDIA's default scheduling (no MPS, no
 * priorities, compute mode Default) does to processes sharing a GPU, e.g.
 * to replay traces recorded on real hardware (make bench's calibration
 * replay, bench/README.md). A fair, simple scheduler for clients that
 * submit chains of short kernels beside long-running ones.
 *
 * Where it is weak: it is round robin and nothing more. Priorities are
 * ignored (job->ctx_prio; NVIDIA's runlist interleave levels are not
 * modelled); a latency-critical client waits up to a whole slice per
 * request (see gaming); a context that submits more jobs does not get
 * more, but one with longer jobs gets a full slice each turn however short
 * the others'. A context that went idle and submits again before its slice
 * ran out continues that slice instead of starting a fresh one (NVIDIA
 * would give it a fresh one); with renewal this only shortens that slice.
 * Several channels of one context on one engine share its turn, but a
 * context whose turn ended by a preemption while another of its channels'
 * jobs waited in that turn starts its next turn early (that job was filed
 * ahead of the others).
 *
 * Tunables (nvgpolicy load timeslice.bpf.o --set NAME=VALUE):
 *   slice_us  a context's timeslice in microseconds (default 2000); 100 ..
 *             10000000. init() refuses anything else.
 *   renew     1 (default): an expired turn is renewed while nobody else
 *             waits. 0: the built-in rule instead (the context runs on
 *             past its slice and is preempted as soon as another job
 *             arrives), to see what renewal changes.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

#define MAX_CTXS	8192

const volatile u32 slice_us = 2000;
const volatile bool renew = true;

/* A context on one engine (a TSG, in NVIDIA's words). */
struct ts_ctx_key {
	u64 ctx_id;
	u32 queue;	/* nvg_queue_index() */
	u32 pad;
};

struct ts_ctx {
	u64 turn;	/* the turn it waits for, or the last it had */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_CTXS);
	__type(key, struct ts_ctx_key);
	__type(value, struct ts_ctx);
} ctxs SEC(".maps");

/* Per engine: whose turn it is, until when, and the last turn handed out. */
struct ts_engine {
	u64 cur_ctx;	/* 0: nobody's turn yet */
	u64 cur_turn;
	u64 turn_end;	/* device time (nvg_device_now_ns()) its slice ends */
	u64 next_turn;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NVG_NR_QUEUES);
	__type(key, u32);
	__type(value, struct ts_engine);
} engines SEC(".maps");

/* Statistics, per CPU (bpftool map dump name stats). */
enum ts_stat {
	TS_STAT_IN_TURN,	/* jobs filed into the running turn */
	TS_STAT_QUEUED,		/* jobs filed to wait for a turn */
	TS_STAT_TURNS,		/* turns started */
	TS_STAT_RENEWED,	/* slices renewed: nobody else waited */
	TS_STAT_EXPIRED,	/* turns ended by the slice: others waited */
	TS_STAT_RAN_ON,		/* slice_end: the turn had time left */
	TS_NR_STATS,
};

NVG_STATS_DEFINE(TS_NR_STATS);

NVG_UEI_DEFINE(uei);

static u64 slice_ns(void)
{
	return (u64)slice_us * 1000;
}

s32 NVG_OPS_SLEEPABLE(timeslice_init)
{
	if (!nvg_slice_ok(slice_ns()))
		return -22;	/* -EINVAL: slice_us out of range */

	return nvg_create_engine_queues();
}

void NVG_OPS(timeslice_enqueue, struct nvg_job *job, u64 enq_flags)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	struct ts_ctx_key key = { .ctx_id = job->ctx_id, .queue = q };
	struct ts_engine *es = bpf_map_lookup_elem(&engines, &q);
	u64 now = nvg_device_now_ns(job->dev_index), left, turn;
	struct ts_ctx *cs, init = {};

	if (!es)
		return;	/* cannot happen: q < NVG_NR_QUEUES; the default picks it */

	/*
	 * Its context's turn, not over: ahead of everyone, for what is left
	 * of the slice. A job back from a preemption never is: its turn
	 * ended (slice_end() said so), and it waits for the next one.
	 */
	if (!(enq_flags & NVG_ENQ_REQUEUE) && es->cur_ctx == job->ctx_id &&
	    now < es->turn_end) {
		left = es->turn_end - now;
		if (left < NVG_SLICE_MIN_NS)
			left = NVG_SLICE_MIN_NS;
		stat_inc(TS_STAT_IN_TURN);
		nvg_dsq_insert_vtime(job, q, left, es->cur_turn, 0);
		return;
	}

	/* Its context's turn in the round robin: the one it waits for, or the next. */
	cs = bpf_map_lookup_elem(&ctxs, &key);
	if (!cs) {
		bpf_map_update_elem(&ctxs, &key, &init, BPF_NOEXIST);
		cs = bpf_map_lookup_elem(&ctxs, &key);
	}
	if (cs && cs->turn > es->cur_turn) {
		turn = cs->turn;
	} else {
		turn = ++es->next_turn;
		if (cs)
			cs->turn = turn;
	}
	stat_inc(TS_STAT_QUEUED);
	nvg_dsq_insert_vtime(job, q, slice_ns(), turn, 0);
}

u64 NVG_OPS(timeslice_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_move_to_engine(nvg_queue_index(dev_index, engine));
	return 0;
}

void NVG_OPS(timeslice_running, struct nvg_job *job)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	struct ts_ctx_key key = { .ctx_id = job->ctx_id, .queue = q };
	struct ts_engine *es = bpf_map_lookup_elem(&engines, &q);
	u64 now = nvg_device_now_ns(job->dev_index);
	struct ts_ctx *cs;

	if (!es)
		return;
	if (es->cur_ctx == job->ctx_id && now < es->turn_end)
		return;		/* its context's turn goes on */

	/* A new turn: the context's, for a whole slice from now. */
	cs = bpf_map_lookup_elem(&ctxs, &key);
	if (cs && cs->turn > es->cur_turn)
		es->cur_turn = cs->turn;
	if (cs)
		cs->turn = es->cur_turn;
	es->cur_ctx = job->ctx_id;
	es->turn_end = now + slice_ns();
	stat_inc(TS_STAT_TURNS);
}

u64 NVG_OPS(timeslice_slice_end, struct nvg_job *job, u32 nr_queued)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	struct ts_engine *es = bpf_map_lookup_elem(&engines, &q);
	u64 now = nvg_device_now_ns(job->dev_index), left;

	if (!es)
		return 0;
	/* The job was filed with less than its turn has left: run on. */
	if (es->cur_ctx == job->ctx_id && now < es->turn_end) {
		left = es->turn_end - now;
		stat_inc(TS_STAT_RAN_ON);
		return left < NVG_SLICE_MIN_NS ? NVG_SLICE_MIN_NS : left;
	}
	if (!nr_queued && renew) {
		/* Nobody else waits: a fresh slice, and the turn goes on. */
		es->cur_ctx = job->ctx_id;
		es->turn_end = now + slice_ns();
		stat_inc(TS_STAT_RENEWED);
		return slice_ns();
	}
	/*
	 * The turn is over: the driver preempts the job now if a job waits,
	 * else (renew=0) as soon as one arrives.
	 */
	es->turn_end = now;
	stat_inc(TS_STAT_EXPIRED);
	return 0;
}

void NVG_OPS(timeslice_ctx_exit, struct nvg_ctx *gctx)
{
	struct ts_ctx_key key = { .ctx_id = gctx->id };
	u32 i;

	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		key.queue = nvg_queue_index(gctx->dev_index, i);
		bpf_map_delete_elem(&ctxs, &key);
	}
}

void NVG_OPS(timeslice_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_SCHED_OPS_DEFINE(timeslice_ops,
	.init		= (void *)timeslice_init,
	.enqueue	= (void *)timeslice_enqueue,
	.dispatch	= (void *)timeslice_dispatch,
	.running	= (void *)timeslice_running,
	.slice_end	= (void *)timeslice_slice_end,
	.ctx_exit	= (void *)timeslice_ctx_exit,
	.exit		= (void *)timeslice_exit,
	.name		= "timeslice");
