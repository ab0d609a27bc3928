// SPDX-License-Identifier: GPL-2.0
/*
 * fifo - the simplest nvghost scheduling policy: each engine runs its jobs
 * in the order they became runnable.
 *
 * What it shows: the shape of a policy built on dispatch queues, the way
 * sched_ext's scx_simple is built on DSQs.
 *
 *  - init() (sleepable) creates one FIFO dispatch queue per (device,
 *    engine); its id is nvg_queue_index(dev_index, engine).
 *  - enqueue() files the job at the tail of its engine's queue with
 *    nvg_dsq_insert(), choosing its timeslice.
 *  - dispatch() runs the head of that queue on the idle engine with
 *    nvg_dsq_move_to_engine() and returns 0.
 *
 * The driver keeps ownership of every job: a dispatch queue is only an
 * index into the jobs the arbiter holds. If the policy moves nothing (its
 * queue is empty, e.g. a job it was never told about), returning 0 lets the
 * built-in FIFO pick, and if the policy is ejected its queues are simply
 * forgotten.
 *
 * A job preempted at the end of its slice comes back through enqueue()
 * with NVG_ENQ_REQUEUE and goes to the tail again: with several jobs per
 * engine this is round-robin, like the built-in default.
 *
 * For whom: people learning to write a policy, and as a baseline to compare
 * other policies against. It schedules exactly like the built-in default.
 *
 * Where it is weak: everything a FIFO is weak at. A client submitting long
 * jobs back to back delays everyone else's short ones by up to a timeslice
 * per job (see fair and gaming).
 *
 * Tunables (nvgpolicy load fifo.bpf.o --set NAME=VALUE):
 *   slice_us  timeslice of every job in microseconds; 0 (the default) means
 *             the driver's default (module parameter sched_slice_us).
 *             Otherwise 100 .. 10000000; init() refuses anything else.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 slice_us;

/* Statistics, per CPU so that counting never contends. */
enum fifo_stat {
	FIFO_STAT_ENQUEUED,	/* first enqueues */
	FIFO_STAT_REQUEUED,	/* jobs back from a preemption */
	FIFO_STAT_DISPATCHED,	/* moved to an engine by the policy */
	FIFO_STAT_EMPTY,	/* dispatch found nothing: the default picked */
	FIFO_NR_STATS,
};

NVG_STATS_DEFINE(FIFO_NR_STATS);

NVG_UEI_DEFINE(uei);

static u64 fifo_slice_ns(void)
{
	return (u64)slice_us * 1000;
}

s32 NVG_OPS_SLEEPABLE(fifo_init)
{
	u64 slice = fifo_slice_ns();

	if (slice && !nvg_slice_ok(slice))
		return -22;	/* -EINVAL: the slice_us tunable is out of range */

	return nvg_create_engine_queues();
}

void NVG_OPS(fifo_enqueue, struct nvg_job *job, u64 enq_flags)
{
	stat_inc(enq_flags & NVG_ENQ_REQUEUE ? FIFO_STAT_REQUEUED : FIFO_STAT_ENQUEUED);
	nvg_dsq_insert(job, nvg_queue_index(job->dev_index, job->engine),
		       fifo_slice_ns(), 0);
}

u64 NVG_OPS(fifo_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	if (nvg_dsq_move_to_engine(nvg_queue_index(dev_index, engine)))
		stat_inc(FIFO_STAT_DISPATCHED);
	else
		stat_inc(FIFO_STAT_EMPTY);
	return 0;
}

void NVG_OPS(fifo_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_SCHED_OPS_DEFINE(fifo_ops,
	.init		= (void *)fifo_init,
	.enqueue	= (void *)fifo_enqueue,
	.dispatch	= (void *)fifo_dispatch,
	.exit		= (void *)fifo_exit,
	.name		= "fifo");
