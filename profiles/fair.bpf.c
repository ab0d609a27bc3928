// SPDX-License-Identifier: GPL-2.0
/*
 * fair - per-context fair sharing of each engine, by virtual time.
 *
 * What it does: every context (a channel: job->ctx_id) has a virtual time
 * per engine it uses. When one of its jobs leaves the engine, stopping()
 * advances that vtime by the GPU time the job used since it started,
 * scaled by the context's weight:
 *
 *	vtime += ran * 100 / weight	weight: LOW 50, NORMAL 100, HIGH 200
 *
 * enqueue() files jobs in their engine's dispatch queue ordered by vtime
 * (nvg_dsq_insert_vtime()), and dispatch() runs the smallest. A context that
 * used little runs next; a HIGH context gets twice the share of a NORMAL
 * one, which gets twice the share of a LOW one, when all are busy. A job
 * preempted at the end of its slice is charged, then queued again behind
 * contexts that used less.
 *
 * No banking: a context that is new, or was idle while others ran, starts
 * at the queue's current vtime (that of the last job started on the
 * engine, the smallest that was waiting), not below it. So sleeping does
 * not earn a burst that would lock others out afterwards.
 *
 * A context with several jobs waiting at once (the kernel's own context,
 * which queues debugfs synthetic jobs; a channel has one runnable job at a
 * time) has them spread out in vtime by what each is expected to use (its
 * modelled cost if known, at most a slice), so that a context arriving
 * behind a burst of 400 jobs waits for one of them, not for all.
 *
 * Like CFS and scx_simple's weighted vtime mode, with the GPU as the CPU.
 * The vtime is kept per (context, engine): the kernel's context spans
 * several engines, and time on a copy engine must not cost compute share.
 *
 * For whom: shared GPUs with several clients of comparable importance
 * (servers, CI runners, desktops without a latency-critical client), where
 * no client should be able to monopolise an engine by submitting more.
 *
 * Where it is weak: fair is not fast. A latency-critical client (a game's
 * frames) gets its share, but may wait up to a slice behind another
 * context's job each frame; nothing preempts for it (see gaming). The
 * vtime only advances when a job stops, so a context whose long job is
 * running is charged late. Fairness is per engine, not across the GPU, and
 * rests on job->ctx_prio for the weights.
 *
 * Tunables (nvgpolicy load fair.bpf.o --set NAME=VALUE):
 *   slice_us  timeslice in microseconds (default 5000); 100 .. 10000000.
 *             A smaller slice shares more finely but preempts more often
 *             (each preemption costs a context save, ~20 us).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

#define MAX_CTXS	8192
#define MAX_JOBS	65536

/* DRM_NVGHOST_PRIORITY_* (uapi/nvghost_drm.h), as job->ctx_prio has them. */
#define PRIO_LOW	0
#define PRIO_NORMAL	1
#define PRIO_HIGH	2

const volatile u32 slice_us = 5000;

/* A context on one engine. */
struct fair_ctx_key {
	u64 ctx_id;
	u32 queue;	/* nvg_queue_index() */
	u32 pad;
};

struct fair_ctx {
	u64 vtime;	/* what it used, scaled by its weight */
	u64 ahead;	/* expected use of its jobs waiting, scaled likewise */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_CTXS);
	__type(key, struct fair_ctx_key);
	__type(value, struct fair_ctx);
} ctxs SEC(".maps");

/* A waiting job: the vtime it was filed with, and its share of ->ahead. */
struct fair_job {
	u64 vtime;
	u64 expect;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_JOBS);
	__type(key, u64);
	__type(value, struct fair_job);
} jobs SEC(".maps");

/*
 * Per engine: its queue's current vtime, and the job it runs with the
 * job's ran_ns when it started, so that stopping() charges only the delta.
 */
struct fair_queue {
	u64 vtime_now;
	u64 cur_job;
	u64 cur_ran_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NVG_NR_QUEUES);
	__type(key, u32);
	__type(value, struct fair_queue);
} queues SEC(".maps");

NVG_UEI_DEFINE(uei);

/* Wrap-safe "a is before b", as the kernel orders the queue. */
static bool vtime_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

static u64 ctx_weight(u32 prio)
{
	switch (prio) {
	case PRIO_LOW:
		return 50;
	case PRIO_HIGH:
		return 200;
	default:
		return 100;
	}
}

/* GPU time @ns as virtual time for a context of priority @prio. */
static u64 scale(u64 ns, u32 prio)
{
	return ns * 100 / ctx_weight(prio);
}

static u64 slice_ns(void)
{
	return (u64)slice_us * 1000;
}

s32 NVG_OPS_SLEEPABLE(fair_init)
{
	if (!nvg_slice_ok(slice_ns()))
		return -22;	/* -EINVAL: slice_us out of range */

	return nvg_create_engine_queues();
}

void NVG_OPS(fair_enqueue, struct nvg_job *job, u64 enq_flags)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	struct fair_ctx_key key = { .ctx_id = job->ctx_id, .queue = q };
	struct fair_queue *qs = bpf_map_lookup_elem(&queues, &q);
	struct fair_job js = {};
	struct fair_ctx *cs, init = {};
	u64 id = job->id, expect;

	if (!qs)
		return;	/* cannot happen: q < NVG_NR_QUEUES; the default picks it */

	cs = bpf_map_lookup_elem(&ctxs, &key);
	if (!cs) {
		init.vtime = qs->vtime_now;
		bpf_map_update_elem(&ctxs, &key, &init, BPF_NOEXIST);
		cs = bpf_map_lookup_elem(&ctxs, &key);
		if (!cs) {
			/* Out of room: file it at the queue's vtime. */
			nvg_dsq_insert_vtime(job, q, slice_ns(), qs->vtime_now, 0);
			return;
		}
	}

	/* New or idle for a while: start at the queue's vtime, no banking. */
	if (vtime_before(cs->vtime, qs->vtime_now))
		cs->vtime = qs->vtime_now;

	/* Behind its own jobs that wait, by what they are expected to use. */
	expect = job->cost_ns && job->cost_ns < slice_ns() ? job->cost_ns : slice_ns();
	js.vtime = cs->vtime + cs->ahead;
	js.expect = scale(expect, job->ctx_prio);
	if (!bpf_map_update_elem(&jobs, &id, &js, BPF_ANY))
		cs->ahead += js.expect;

	nvg_dsq_insert_vtime(job, q, slice_ns(), js.vtime, 0);
}

u64 NVG_OPS(fair_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_move_to_engine(nvg_queue_index(dev_index, engine));
	return 0;
}

void NVG_OPS(fair_running, struct nvg_job *job)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	struct fair_ctx_key key = { .ctx_id = job->ctx_id, .queue = q };
	struct fair_queue *qs = bpf_map_lookup_elem(&queues, &q);
	struct fair_ctx *cs = bpf_map_lookup_elem(&ctxs, &key);
	struct fair_job *js;
	u64 id = job->id;

	if (!qs)
		return;
	qs->cur_job = id;
	qs->cur_ran_ns = job->ran_ns;

	js = bpf_map_lookup_elem(&jobs, &id);
	if (!js)
		return;		/* not filed by this policy */
	/* It had the smallest vtime waiting: the queue is there now. */
	if (vtime_before(qs->vtime_now, js->vtime))
		qs->vtime_now = js->vtime;
	if (cs)
		cs->ahead = cs->ahead > js->expect ? cs->ahead - js->expect : 0;
	bpf_map_delete_elem(&jobs, &id);
}

void NVG_OPS(fair_stopping, struct nvg_job *job, u32 reason)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	struct fair_ctx_key key = { .ctx_id = job->ctx_id, .queue = q };
	struct fair_queue *qs = bpf_map_lookup_elem(&queues, &q);
	struct fair_ctx *cs;
	u64 ran = job->ran_ns;

	if (!qs)
		return;
	/* Charge what it ran since running(); all of it if we missed that. */
	if (qs->cur_job == job->id && ran >= qs->cur_ran_ns)
		ran -= qs->cur_ran_ns;
	qs->cur_job = 0;

	cs = bpf_map_lookup_elem(&ctxs, &key);
	if (cs)
		cs->vtime += scale(ran, job->ctx_prio);
}

void NVG_OPS(fair_ctx_exit, struct nvg_ctx *gctx)
{
	struct fair_ctx_key key = { .ctx_id = gctx->id };
	u32 i;

	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		key.queue = nvg_queue_index(gctx->dev_index, i);
		bpf_map_delete_elem(&ctxs, &key);
	}
}

void NVG_OPS(fair_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_SCHED_OPS_DEFINE(fair_ops,
	.init		= (void *)fair_init,
	.enqueue	= (void *)fair_enqueue,
	.dispatch	= (void *)fair_dispatch,
	.running	= (void *)fair_running,
	.stopping	= (void *)fair_stopping,
	.ctx_exit	= (void *)fair_ctx_exit,
	.exit		= (void *)fair_exit,
	.name		= "fair");
