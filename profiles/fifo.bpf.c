// SPDX-License-Identifier: GPL-2.0
/*
 * fifo - the simplest nvghost scheduling policy: each engine runs its jobs
 * in the order they became runnable.
 *
 * What it shows: the shape of a policy. enqueue() records each job id in a
 * per-engine ring; dispatch() hands the oldest back when the engine is
 * idle. The driver keeps ownership of the jobs, so returning 0 (ring empty
 * or overflowed) simply lets the built-in FIFO choose; returning an id that
 * is not queued would get the policy ejected.
 *
 * The driver calls enqueue and dispatch for one device under one lock, so a
 * ring is never touched by two CPUs at once and needs no lock of its own.
 *
 * For whom: people learning to write a policy. It schedules exactly like
 * the built-in default.
 *
 * Where it is weak: everything a FIFO is weak at. A client submitting long
 * jobs back to back delays everyone else's short ones (see fair and gaming).
 *
 * Tunables (nvgpolicy load fifo.bpf.o --set NAME=VALUE):
 *   depth  jobs remembered per engine (1..FIFO_RING); beyond that the
 *          built-in FIFO picks, which keeps order anyway.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

#define FIFO_RING	1024	/* power of two: ring indices are masked */
#define NR_QUEUES	(NVG_MAX_GPUS * NVG_MAX_ENGINES)

const volatile u32 depth = FIFO_RING;

struct fifo_ring {
	u64 head;	/* next slot to dispatch */
	u64 tail;	/* next slot to fill */
	u64 ids[FIFO_RING];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NR_QUEUES);
	__type(key, u32);
	__type(value, struct fifo_ring);
} rings SEC(".maps");

/* Statistics, per CPU so that counting never contends. */
enum fifo_stat { FIFO_STAT_ENQUEUED, FIFO_STAT_DISPATCHED, FIFO_STAT_OVERFLOW, FIFO_NR_STATS };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FIFO_NR_STATS);
	__type(key, u32);
	__type(value, u64);
} stats SEC(".maps");

NVG_UEI_DEFINE(uei);

static void stat_inc(u32 idx)
{
	u64 *cnt = bpf_map_lookup_elem(&stats, &idx);

	if (cnt)
		(*cnt)++;
}

void NVG_OPS(fifo_enqueue, struct nvg_job *job, u64 enq_flags)
{
	u32 q = nvg_queue_index(job->dev_index, job->engine);
	u32 limit = depth < FIFO_RING ? depth : FIFO_RING;
	struct fifo_ring *r = bpf_map_lookup_elem(&rings, &q);

	if (!r)
		return;
	if (r->tail - r->head >= limit) {
		stat_inc(FIFO_STAT_OVERFLOW);
		return;
	}
	r->ids[r->tail & (FIFO_RING - 1)] = job->id;
	r->tail++;
	stat_inc(FIFO_STAT_ENQUEUED);
}

u64 NVG_OPS(fifo_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	u32 q = nvg_queue_index(dev_index, engine);
	struct fifo_ring *r = bpf_map_lookup_elem(&rings, &q);
	u64 id;

	if (!r || r->head == r->tail)
		return 0;
	id = r->ids[r->head & (FIFO_RING - 1)];
	r->head++;
	stat_inc(FIFO_STAT_DISPATCHED);
	return id;
}

void NVG_OPS(fifo_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_SCHED_OPS_DEFINE(fifo_ops,
	.enqueue	= (void *)fifo_enqueue,
	.dispatch	= (void *)fifo_dispatch,
	.exit		= (void *)fifo_exit,
	.name		= "fifo");
