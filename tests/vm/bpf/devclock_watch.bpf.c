// SPDX-License-Identifier: GPL-2.0
/*
 * devclock_watch - reads the device clock, nvg_device_now_ns(), from every
 * op of all three hooks (the kfunc filter must let each through) and
 * records what it saw, for 24-kfunc-filter to compare with the times the
 * driver gives (a job's enqueue_ns) and with PTIMER read through
 * DRM_NVGHOST_PARAM_PTIMER_NS (bpftool map dump name devclock.bss):
 *
 *   init_ns               the clock of GPU 0 in sched init (sleepable)
 *   jobs                  enqueue() calls seen
 *   first_enq_ns/first_ns the first job's enqueue_ns, and the clock then
 *   last_enq_ns/last_ns   the same for the last job
 *   max_lag_ns            largest clock - enqueue_ns seen in enqueue()
 *   bad_order             calls where the clock read before the job's
 *                         enqueue_ns (never, on one device clock), or 0
 *                         for the device an op was given
 *   absent_ns             the clock of GPU 1, which the test does not load
 *   out_of_range_ns       the clock of GPU ~0
 *   periods, power_first_ns, power_last_ns, power_backwards
 *                         power select() calls, the clock at the first and
 *                         the last, and calls where it went back
 *   flips, flip_bad       pacing flip() calls, and pacing calls where the
 *                         clock read before the time they were given
 *
 * It schedules nothing itself: jobs stay with the built-in FIFO, the power
 * hook answers the p-state in force, flips latch at the next vblank.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 init_ns, jobs, first_enq_ns, first_ns, last_enq_ns, last_ns, max_lag_ns;
u64 bad_order, absent_ns, out_of_range_ns, exit_ns;
u64 periods, power_first_ns, power_last_ns, power_backwards;
u64 flips, flip_bad;

s32 NVG_OPS_SLEEPABLE(dcw_init)
{
	init_ns = nvg_device_now_ns(0);
	return 0;
}

void NVG_OPS_SLEEPABLE(dcw_exit, struct nvg_exit_info *ei)
{
	exit_ns = nvg_device_now_ns(0);
}

s32 NVG_OPS(dcw_ctx_init, struct nvg_ctx *c, struct nvg_ctx_init_args *args)
{
	if (!nvg_device_now_ns(c->dev_index))
		bad_order++;
	return 0;
}

void NVG_OPS(dcw_enqueue, struct nvg_job *job, u64 enq_flags)
{
	u64 now = nvg_device_now_ns(job->dev_index);

	if (!jobs) {
		first_enq_ns = job->enqueue_ns;
		first_ns = now;
		absent_ns = nvg_device_now_ns(1);
		out_of_range_ns = nvg_device_now_ns(~0U);
	}
	jobs++;
	last_enq_ns = job->enqueue_ns;
	last_ns = now;
	if (now < job->enqueue_ns)
		bad_order++;
	else if (now - job->enqueue_ns > max_lag_ns)
		max_lag_ns = now - job->enqueue_ns;
}

u64 NVG_OPS(dcw_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	if (!nvg_device_now_ns(dev_index))
		bad_order++;
	return 0;
}

void NVG_OPS(dcw_running, struct nvg_job *job)
{
	if (nvg_device_now_ns(job->dev_index) < job->enqueue_ns)
		bad_order++;
}

void NVG_OPS(dcw_stopping, struct nvg_job *job, u32 reason)
{
	if (nvg_device_now_ns(job->dev_index) < job->enqueue_ns)
		bad_order++;
}

NVG_SCHED_OPS_DEFINE(devclock_watch_sched,
	.init		= (void *)dcw_init,
	.exit		= (void *)dcw_exit,
	.ctx_init	= (void *)dcw_ctx_init,
	.enqueue	= (void *)dcw_enqueue,
	.dispatch	= (void *)dcw_dispatch,
	.running	= (void *)dcw_running,
	.stopping	= (void *)dcw_stopping,
	.name		= "devclock_watch");

s32 NVG_OPS_SLEEPABLE(dcw_power_init)
{
	return nvg_device_now_ns(0) ? 0 : -19;
}

s32 NVG_OPS(dcw_select, struct nvg_power_period *p)
{
	u64 now = nvg_device_now_ns(p->dev_index);

	if (!periods)
		power_first_ns = now;
	else if (now < power_last_ns)
		power_backwards++;
	power_last_ns = now;
	periods++;
	return p->pstate;
}

NVG_POWER_OPS_DEFINE(devclock_watch_power,
	.init		= (void *)dcw_power_init,
	.select		= (void *)dcw_select,
	.name		= "devclock_watch");

u64 NVG_OPS(dcw_flip, struct nvg_flip *f)
{
	flips++;
	if (nvg_device_now_ns(f->dev_index) < f->now_ns)
		flip_bad++;
	return 0;
}

void NVG_OPS(dcw_vblank, struct nvg_vblank *vb)
{
	if (nvg_device_now_ns(vb->dev_index) < vb->time_ns)
		flip_bad++;
}

u64 NVG_OPS(dcw_frame_start, struct nvg_frame *fr)
{
	if (nvg_device_now_ns(fr->dev_index) < fr->now_ns)
		flip_bad++;
	return 0;
}

NVG_PACING_OPS_DEFINE(devclock_watch_pacing,
	.flip		= (void *)dcw_flip,
	.vblank		= (void *)dcw_vblank,
	.frame_start	= (void *)dcw_frame_start,
	.name		= "devclock_watch");
