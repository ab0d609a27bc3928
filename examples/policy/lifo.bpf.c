// SPDX-License-Identifier: GPL-2.0
/*
 * lifo - an example policy built outside the nvghost tree: newest job first.
 *
 * Each engine runs the job that became runnable last, so a client that
 * just submitted gets the engine before older work. Not meant for use:
 * a client that keeps submitting starves the others until the driver's
 * watchdog ejects the policy (nvgpolicy status shows why). It shows what
 * an out-of-tree policy needs: nvg/common.bpf.h from nvghost-dev, a
 * vmlinux.h made from the kernel's and the module's BTF, and this header
 * line, which becomes the description `nvgpolicy list --available` shows.
 *
 * Tunables (nvgpolicy load ./lifo.bpf.o --set NAME=VALUE):
 *   slice_us  timeslice of every job in microseconds (default 2000).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 slice_us = 2000;

/* Arrival order: the count of jobs enqueued so far. */
u64 arrivals;

s32 NVG_OPS_SLEEPABLE(lifo_init)
{
	for (u32 i = 0; i < NVG_MAX_GPUS * NVG_MAX_ENGINES; i++)
		if (nvg_dsq_create(i))
			return -22;
	return 0;
}

void NVG_OPS(lifo_enqueue, struct nvg_job *job, u64 enq_flags)
{
	/*
	 * A vtime queue runs the smallest first: newest = smallest. A count,
	 * not a time: jobs that arrive at the same device time (the rule in
	 * a virtual-time replay) would otherwise run oldest first among
	 * themselves, and the host's clock (bpf_ktime_get_ns()) is not the
	 * GPU's (nvg_device_now_ns() is).
	 */
	nvg_dsq_insert_vtime(job, nvg_queue_index(job->dev_index, job->engine),
			     slice_us * 1000ULL, ~__sync_fetch_and_add(&arrivals, 1), 0);
}

u64 NVG_OPS(lifo_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	nvg_dsq_move_to_engine(nvg_queue_index(dev_index, engine));
	return 0;
}

NVG_SCHED_OPS_DEFINE(lifo_ops,
	.init		= (void *)lifo_init,
	.enqueue	= (void *)lifo_enqueue,
	.dispatch	= (void *)lifo_dispatch,
	.name		= "lifo");
