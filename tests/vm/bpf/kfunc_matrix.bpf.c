// SPDX-License-Identifier: GPL-2.0
/*
 * kfunc_matrix - calls every nvghost kfunc from every op the kfunc
 * permissions allow it in (docs/architecture.md, "kfunc permissions"), so
 * that the filter is seen to let through what it must. The calls that
 * would change scheduling (preempt, error) sit behind a .bss flag that
 * stays 0: the verifier cannot know that, so it checks them all, and
 * running the policy ejects nothing. (nvg_device_now_ns() from the pacing
 * and power ops: devclock_watch.)
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u32 never;		/* stays 0; the verifier cannot tell */
u64 seen;		/* nvg_dsq_nr_queued() results, summed */
u64 clock_ns;		/* nvg_device_now_ns(0), the latest read */

static __always_inline void any_op(void)
{
	s32 n = nvg_dsq_nr_queued(0);

	if (n > 0)
		seen += n;
	clock_ns = nvg_device_now_ns(0);
	if (never)
		nvg_sched_error(never);
}

static __always_inline void preempt_op(struct nvg_job *job)
{
	any_op();
	if (never)
		nvg_engine_preempt(job->dev_index, job->engine);
}

s32 NVG_OPS_SLEEPABLE(matrix_init)
{
	s32 ret = nvg_dsq_create(0);

	any_op();
	return ret;
}

void NVG_OPS_SLEEPABLE(matrix_exit, struct nvg_exit_info *ei)
{
	any_op();
}

s32 NVG_OPS(matrix_ctx_init, struct nvg_ctx *c, struct nvg_ctx_init_args *args)
{
	any_op();
	return 0;
}

void NVG_OPS(matrix_ctx_exit, struct nvg_ctx *c)
{
	any_op();
}

void NVG_OPS(matrix_enqueue, struct nvg_job *job, u64 enq_flags)
{
	preempt_op(job);
	if (never)
		nvg_dsq_insert_vtime(job, 1, 0, job->id, 0);
	else
		nvg_dsq_insert(job, 0, 0, 0);
}

u64 NVG_OPS(matrix_dispatch, u32 dev_index, u32 engine, u32 nr_queued)
{
	any_op();
	if (never)
		nvg_engine_preempt(dev_index, engine);
	nvg_dsq_move_to_engine(0);
	return 0;
}

void NVG_OPS(matrix_running, struct nvg_job *job)
{
	preempt_op(job);
}

void NVG_OPS(matrix_stopping, struct nvg_job *job, u32 reason)
{
	preempt_op(job);
}

NVG_SCHED_OPS_DEFINE(kfunc_matrix_ops,
	.init		= (void *)matrix_init,
	.exit		= (void *)matrix_exit,
	.ctx_init	= (void *)matrix_ctx_init,
	.ctx_exit	= (void *)matrix_ctx_exit,
	.enqueue	= (void *)matrix_enqueue,
	.dispatch	= (void *)matrix_dispatch,
	.running	= (void *)matrix_running,
	.stopping	= (void *)matrix_stopping,
	.name		= "kfunc_matrix");
