// SPDX-License-Identifier: GPL-2.0
/*
 * slow_attach - a policy that owns dispatch (NO_DEFAULT_DISPATCH) and
 * takes its time over ctx_init(): each call spins for spin_ms (default
 * 200 ms). At attach, ctx_init() runs for every existing context before
 * the policy is published, so jobs submitted meanwhile arrive while the
 * attach is half done. Each of them must still reach enqueue() once (as a
 * replay): a job it never hears of is never dispatched, and the watchdog
 * (timeout_ms 200) ejects the policy for the stall.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 spin_ms = 200;

static long spin_cb(u64 i, void *data)
{
	return bpf_ktime_get_ns() >= *(u64 *)data;
}

s32 NVG_OPS_SLEEPABLE(slow_init)
{
	for (u32 i = 0; i < NVG_MAX_GPUS * NVG_MAX_ENGINES; i++)
		if (nvg_dsq_create(i))
			return -22;
	return 0;
}

s32 NVG_OPS(slow_ctx_init, struct nvg_ctx *c, struct nvg_ctx_init_args *args)
{
	u64 deadline = bpf_ktime_get_ns() + spin_ms * 1000000ULL;

	bpf_loop(1 << 23, spin_cb, &deadline, 0);
	return 0;
}

void NVG_OPS(slow_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_dsq_insert(job, nvg_queue_index(job->dev_index, job->engine), 0, 0);
}

u64 NVG_OPS(slow_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_move_to_engine(nvg_queue_index(dev_index, engine));
	return 0;
}

NVG_SCHED_OPS_DEFINE(slow_attach_ops,
	.init		= (void *)slow_init,
	.ctx_init	= (void *)slow_ctx_init,
	.enqueue	= (void *)slow_enqueue,
	.dispatch	= (void *)slow_dispatch,
	.flags		= NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH,
	.timeout_ms	= 200,
	.name		= "slow_attach");
