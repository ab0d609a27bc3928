// SPDX-License-Identifier: GPL-2.0
/*
 * dsq_order - checks, on many queued jobs, the order in which dispatch
 * queues hand jobs out, and ejects itself (nvg_sched_error(), code 1000 +
 * engine) at the first job that starts out of order.
 *
 * It owns dispatch (NO_DEFAULT_DISPATCH) and dispatches nothing until it
 * has been told about "hold" jobs, so that all of them wait at once; the
 * test submits exactly that many. Then, per engine, jobs must start:
 *
 *   mode 0  FIFO queue (nvg_dsq_insert): in submission order (job ids
 *           increase);
 *   mode 1  vtime queue (nvg_dsq_insert_vtime), vtime = one of 16 values
 *           hashed from the id: by vtime, and in submission order among
 *           equal vtimes;
 *   mode 2  no dispatch queue: dispatch() returns the id of the newest
 *           job waiting for the engine (a BPF stack per engine), so the
 *           driver finds each by id far from the head of its queue: in
 *           reverse submission order.
 *
 * One dispatch queue serves every engine, so nvg_dsq_move_to_engine()
 * must skip the jobs of the other engines. Engines 0 and 1 only.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 mode = 1;
const volatile u32 hold = 1000;

u32 enqueued, started, bad;
u64 last_key[2], last_id[2];
bool begun[2];

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 100000);
	__type(value, u64);
} ids0 SEC(".maps"), ids1 SEC(".maps");

static __always_inline u64 key_of(u64 id)
{
	return mode == 1 ? ((id * 2654435761ULL) >> 7) % 16 : 0;
}

s32 NVG_OPS_SLEEPABLE(order_init)
{
	return nvg_dsq_create(0);
}

void NVG_OPS(order_enqueue, struct nvg_job *job, u64 enq_flags)
{
	u64 id = job->id;

	enqueued++;
	if (mode == 2) {
		if (job->engine == 0)
			bpf_map_push_elem(&ids0, &id, 0);
		else if (job->engine == 1)
			bpf_map_push_elem(&ids1, &id, 0);
		return;
	}
	if (mode == 1)
		nvg_dsq_insert_vtime(job, 0, 0, key_of(id), 0);
	else
		nvg_dsq_insert(job, 0, 0, 0);
}

u64 NVG_OPS(order_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	u64 id = 0;

	if (enqueued < hold)
		return 0;
	if (mode != 2) {
		nvg_dsq_move_to_engine(0);
		return 0;
	}
	if (engine == 0)
		bpf_map_pop_elem(&ids0, &id);
	else if (engine == 1)
		bpf_map_pop_elem(&ids1, &id);
	return id;
}

void NVG_OPS(order_running, struct nvg_job *job)
{
	u32 e = job->engine;
	u64 id = job->id, key = key_of(id);
	bool ok;

	started++;
	if (e > 1)
		return;
	if (begun[e]) {
		if (mode == 2)
			ok = id < last_id[e];
		else
			ok = key > last_key[e] || (key == last_key[e] && id > last_id[e]);
		if (!ok) {
			bad++;
			nvg_sched_error(1000 + e);
		}
	}
	begun[e] = true;
	last_key[e] = key;
	last_id[e] = id;
}

NVG_SCHED_OPS_DEFINE(dsq_order_ops,
	.init		= (void *)order_init,
	.enqueue	= (void *)order_enqueue,
	.dispatch	= (void *)order_dispatch,
	.running	= (void *)order_running,
	.flags		= NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH,
	.timeout_ms	= 30000,
	.name		= "dsq_order");
