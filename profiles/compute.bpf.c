// SPDX-License-Identifier: GPL-2.0
/*
 * compute - throughput first: long timeslices, one FIFO, no preemption.
 *
 * What it does: every job goes to a single FIFO dispatch queue shared by
 * all engines of all devices, with a long timeslice (slice_ms, 100 ms by
 * default, 20 times the driver's default). dispatch() runs the first job
 * of that queue that waits for the idle engine. The policy never calls
 * nvg_engine_preempt(); the driver preempts a job only when its long slice
 * is over and another job waits for the engine.
 *
 * Fewer preemptions mean fewer context saves and restores and better
 * locality for long kernels and large copies: the GPU spends its time on
 * the work. Jobs run in submission order, so a batch of jobs finishes in
 * the order it was queued.
 *
 * For whom: batch compute, training and offline rendering machines, where
 * the GPU is shared by throughput jobs and nobody watches frames.
 *
 * Where it is weak: latency. A short job queued behind long ones waits for
 * each of them up to a full slice (100 ms by default); an interactive
 * client (a desktop, a game) stutters. Priorities are ignored. The shared
 * queue is scanned for a job of the idle engine, which costs a little with
 * thousands of jobs queued on several engines. Do not use it on a desktop
 * (see gaming or fair).
 *
 * Tunables (nvgpolicy load compute.bpf.o --set NAME=VALUE):
 *   slice_ms  timeslice in milliseconds (default 100); 1 .. 10000. init()
 *             refuses anything else.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

#define COMPUTE_DSQ	0

const volatile u32 slice_ms = 100;

NVG_UEI_DEFINE(uei);

static u64 compute_slice_ns(void)
{
	return (u64)slice_ms * 1000 * 1000;
}

s32 NVG_OPS_SLEEPABLE(compute_init)
{
	u64 slice = compute_slice_ns();

	if (slice < NVG_SLICE_MIN_NS || slice > NVG_SLICE_MAX_NS)
		return -22;	/* -EINVAL: slice_ms out of range */
	return nvg_dsq_create(COMPUTE_DSQ);
}

void NVG_OPS(compute_enqueue, struct nvg_job *job, u64 enq_flags)
{
	nvg_dsq_insert(job, COMPUTE_DSQ, compute_slice_ns(), 0);
}

u64 NVG_OPS(compute_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_move_to_engine(COMPUTE_DSQ);
	return 0;
}

void NVG_OPS(compute_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_SCHED_OPS_DEFINE(compute_ops,
	.init		= (void *)compute_init,
	.enqueue	= (void *)compute_enqueue,
	.dispatch	= (void *)compute_dispatch,
	.exit		= (void *)compute_exit,
	.name		= "compute");
