// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_job.c - channels, and the drm_sched backend that runs their jobs.
 *
 * Each engine has a drm_gpu_scheduler and each channel an entity on its
 * engine's scheduler. drm_sched resolves dependencies (syncobjs, sync
 * files) and detects hangs (job_timeout_ms without progress); once a job's
 * dependencies are met, run_job() hands it to the arbiter, where the
 * scheduling policy decides when it reaches the engine. The engine's
 * completion interrupt signals the job's hardware fence.
 */
#include <linux/capability.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <drm/drm_auth.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_job.h"
#include "nvghost_sched.h"
#include "nvghost_trace.h"
#include "../uapi/nvghost_drm.h"

static const char *nvg_fence_driver_name(struct dma_fence *f)
{
	return "nvghost";
}

/*
 * Hardware fences never reach user space (out-fences do, named
 * "nvghost-channel"); their own name tells them apart in a trace.
 */
static const char *nvg_fence_timeline_name(struct dma_fence *f)
{
	return "nvghost-hw";
}

static const struct dma_fence_ops nvg_fence_ops = {
	.get_driver_name = nvg_fence_driver_name,
	.get_timeline_name = nvg_fence_timeline_name,
};

/*
 * Out-fences. What user space gets of a job (a sync file, a syncobj's
 * fence, a timeline point) is not drm_sched's finished fence, whose
 * timeline name lives in the device's scheduler and whose parent fence's
 * ops live in this module: a sync file kept after the device went, or
 * after the module was unloaded, would reach freed memory. It is a fence of
 * nvghost's own, signalled (with the same error) when the finished fence
 * signals, that points at nothing of the device and holds a reference to
 * the module until it is freed: rmmod is refused while such a fence lives.
 * It carries the finished fence's context and seqno, since it stands for
 * the same point of the channel's timeline (drm_sched then still skips a
 * dependency on an earlier job of the same channel).
 */
struct nvg_out_fence {
	struct dma_fence base;
	spinlock_t lock; /* base's */
	struct dma_fence_cb cb;
};

static const char *nvg_out_fence_timeline_name(struct dma_fence *f)
{
	return "nvghost-channel";
}

/* Last: the module may go once this returns (nvg_exit() waits for it). */
static void nvg_out_fence_free_rcu(struct rcu_head *rcu)
{
	struct dma_fence *f = container_of(rcu, struct dma_fence, rcu);

	kfree(container_of(f, struct nvg_out_fence, base));
	module_put(THIS_MODULE);
}

static void nvg_out_fence_release(struct dma_fence *f)
{
	call_rcu(&f->rcu, nvg_out_fence_free_rcu);
}

static const struct dma_fence_ops nvg_out_fence_ops = {
	.get_driver_name = nvg_fence_driver_name,
	.get_timeline_name = nvg_out_fence_timeline_name,
	.release = nvg_out_fence_release,
};

/*
 * Signalled when the job's hardware fence was, so it carries the same
 * timestamp: the device's completion time (device time in virtual mode).
 * Unless the completion interrupt signalled it already
 * (nvg_out_fence_signal_now()): then it stays as it is, without error,
 * since the engine reported the job done without one.
 */
static void nvg_out_fence_signal(struct dma_fence *finished, struct dma_fence_cb *cb)
{
	struct nvg_out_fence *of = container_of(cb, struct nvg_out_fence, cb);
	struct dma_fence *hw = to_drm_sched_fence(finished)->parent;
	unsigned long flags;

	spin_lock_irqsave(&of->lock, flags);
	if (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &of->base.flags)) {
		if (finished->error)
			dma_fence_set_error(&of->base, finished->error);
		if (hw && test_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &hw->flags))
			dma_fence_signal_timestamp_locked(&of->base, hw->timestamp);
		else
			dma_fence_signal_locked(&of->base);
	}
	spin_unlock_irqrestore(&of->lock, flags);
	dma_fence_put(&of->base);	/* the callback's */
}

/**
 * nvg_out_fence_signal_now() - the engine finished the job without error
 * @ndev: the device.
 * @f: the job's out-fence.
 *
 * The completion interrupt (fast path) signals what user space waits for
 * at once, stamped with the device's time; the arbiter retires the job
 * (hardware fence, drm_sched, the policy's stopping) afterwards, off the
 * path the waiter sees. Any context.
 */
void nvg_out_fence_signal_now(struct nvg_device *ndev, struct dma_fence *f)
{
	struct nvg_out_fence *of = container_of(f, struct nvg_out_fence, base);
	ktime_t ts = ndev->vclock ? ns_to_ktime(nvg_ptimer_read(ndev)) : ktime_get();
	unsigned long flags;

	spin_lock_irqsave(&of->lock, flags);
	dma_fence_signal_timestamp_locked(f, ts);	/* a no-op if it was */
	spin_unlock_irqrestore(&of->lock, flags);
}

/**
 * nvg_out_fence_alloc() - memory for a job's out-fence
 *
 * Before the job is armed, since nvg_out_fence_init() must not fail.
 *
 * Return: the fence to pass to nvg_out_fence_init() (or kfree()), or NULL.
 */
struct dma_fence *nvg_out_fence_alloc(void)
{
	struct nvg_out_fence *of = kzalloc(sizeof(*of), GFP_KERNEL);

	return of ? &of->base : NULL;
}

/**
 * nvg_out_fence_init() - make @f signal when @finished does
 * @f: from nvg_out_fence_alloc().
 * @finished: the armed job's finished fence.
 *
 * Return: @f, with one reference for the caller.
 */
struct dma_fence *nvg_out_fence_init(struct dma_fence *f, struct dma_fence *finished)
{
	struct nvg_out_fence *of = container_of(f, struct nvg_out_fence, base);

	spin_lock_init(&of->lock);
	dma_fence_init(f, &nvg_out_fence_ops, &of->lock, finished->context,
		       finished->seqno);
	/* Called from an ioctl of a file of ours: the module is held already. */
	__module_get(THIS_MODULE);
	dma_fence_get(f);
	if (dma_fence_add_callback(finished, &of->cb, nvg_out_fence_signal))
		nvg_out_fence_signal(finished, &of->cb);
	return f;
}

/**
 * nvg_hwjob_complete() - the engine is done with @job
 * @job: the job.
 * @error: 0, or why it failed (-EFAULT, -ETIMEDOUT, -ECANCELED).
 *
 * Any context; called with the arbiter lock held.
 */
void nvg_hwjob_complete(struct nvg_hwjob *job, int error)
{
	struct nvg_device *ndev = job->chan->ndev;
	u32 engine = job->chan->engine;	/* @job may go once signalled */

	if (error) {
		dma_fence_set_error(job->hw_fence, error);
		if (error != -ECANCELED)
			job->chan->guilty = true;
	}
	if (trace_nvghost_job_signal_enabled())
		trace_nvghost_job_signal(ndev->index, &job->base.s_fence->finished,
					 nvg_ptimer_read(ndev), error);
	/*
	 * Virtual clock: the fence's timestamp is the device time it
	 * completed at. Signalling it makes drm_sched queue its free work
	 * (and other entities' run work) from the fence's callbacks, which
	 * no counter of ours sees until that work runs: count it once they
	 * are queued, or a settle whose flush began before they were could
	 * end with them still to run (seen on the debug kernel and in CI:
	 * "activity after a settle (after_engine; hardware +0, driver +1)").
	 */
	if (ndev->vclock) {
		dma_fence_signal_timestamp(job->hw_fence, ns_to_ktime(nvg_ptimer_read(ndev)));
		nvg_vgen_count(ndev);
	} else {
		dma_fence_signal(job->hw_fence);
	}
	atomic64_inc(&ndev->vsignals);
	nvg_clock_job_timeout_arm(ndev, engine);
}

/* A new hardware fence on @chan's timeline (one reference), or NULL. */
static struct dma_fence *nvg_hw_fence_new(struct nvg_chan *chan)
{
	struct dma_fence *fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	unsigned long flags;

	if (!fence)
		return NULL;
	spin_lock_irqsave(&chan->fence_lock, flags);
	dma_fence_init(fence, &nvg_fence_ops, &chan->fence_lock,
		       chan->fence_context, ++chan->seqno);
	spin_unlock_irqrestore(&chan->fence_lock, flags);
	return fence;
}

/**
 * nvg_hwjob_submit_early() - hand a job to the arbiter from SUBMIT
 * @job: the armed job, not yet pushed to drm_sched.
 *
 * The fast path: a job with no dependency left to wait for, on a channel
 * none of whose jobs still waits in drm_sched, needs nothing of drm_sched's
 * worker before it can run, so SUBMIT gives it to the arbiter itself (which
 * starts it at once on an idle engine). drm_sched still gets the job, in
 * order, and keeps its bookkeeping (timeout, finished fence, free_job):
 * its run_job() returns the hardware fence, signalled or not. Called under
 * the client's VM lock, which orders the channel's submissions.
 *
 * Return: true if the arbiter has the job; false if it goes drm_sched's
 * way (the fast path is off or the clock virtual, a dependency is pending,
 * an earlier job of the channel is still in drm_sched, or the arbiter
 * refused it).
 */
bool nvg_hwjob_submit_early(struct nvg_hwjob *job)
{
	struct nvg_chan *chan = job->chan;
	struct dma_fence *fence;
	u32 i;

	if (!nvg_fast(chan->ndev) || atomic_read(&chan->in_sched))
		goto slow;
	for (i = 0; i < job->nr_deps; i++)
		if (!dma_fence_is_signaled(job->deps[i]) || job->deps[i]->error)
			goto slow;
	fence = nvg_hw_fence_new(chan);
	if (!fence)
		goto slow;
	/* The job's reference, and the one run_job() returns to drm_sched. */
	job->hw_fence = dma_fence_get(fence);
	job->early = true;
	if (nvg_arbiter_submit_hw(chan->ndev, job)) {
		job->early = false;
		job->hw_fence = NULL;
		dma_fence_put(fence);
		dma_fence_put(fence);
		goto slow;
	}
	nvg_clock_job_timeout_arm(chan->ndev, chan->engine);
	return true;
slow:
	atomic_inc(&chan->in_sched);
	return false;
}

static struct dma_fence *nvg_run_job(struct drm_sched_job *sched_job)
{
	struct nvg_hwjob *job = to_nvg_hwjob(sched_job);
	struct nvg_chan *chan = job->chan;
	struct dma_fence *fence;
	int ret = 0;
	u32 i;

	/* drm_sched requeues its work for the next job: a settle goes on. */
	nvg_vgen_count(chan->ndev);
	job->ran = true;
	/* SUBMIT gave it to the arbiter already: the reference kept for here. */
	if (job->early)
		return job->hw_fence;

	/* The device is gone: nothing runs (nvg_arbiter_unplug()). */
	if (READ_ONCE(chan->ndev->arb.dead))
		ret = -ENODEV;
	/* A dependency failed, or the channel is guilty: do not run. */
	for (i = 0; !ret && i < job->nr_deps; i++)
		if (job->deps[i]->error)
			ret = -ECANCELED;
	if (!ret && READ_ONCE(chan->guilty))
		ret = -ECANCELED;
	fence = ret ? NULL : nvg_hw_fence_new(chan);
	if (!ret && !fence)
		ret = -ENOMEM;
	if (ret) {
		atomic_dec(&chan->in_sched);
		return ERR_PTR(ret);
	}
	job->hw_fence = dma_fence_get(fence);

	ret = nvg_arbiter_submit_hw(chan->ndev, job);
	if (!ret)
		nvg_clock_job_timeout_arm(chan->ndev, chan->engine);
	if (ret) {
		dma_fence_set_error(fence, ret);
		dma_fence_signal(fence);
	}
	/* Last: the channel's next job may now skip drm_sched's worker. */
	atomic_dec(&chan->in_sched);
	return fence;
}

/*
 * drm_sched's timer fired: no job of this engine finished for the job
 * timeout. The arbiter decides whether the engine really hangs (its running
 * job ran that long; then it is reset and the job fails with -ETIMEDOUT) or
 * only lost an interrupt (then the finished job is completed now). Either
 * way @sched_job goes back on the pending list, as v3d does when it skips a
 * reset, and completes through its fence like any job.
 */
static enum drm_gpu_sched_stat nvg_timedout_job(struct drm_sched_job *sched_job)
{
	struct nvg_hwjob *job = to_nvg_hwjob(sched_job);
	struct drm_gpu_scheduler *sched = sched_job->sched;

	nvg_arbiter_recover(job->chan->ndev, job->chan->engine);

	spin_lock(&sched->job_list_lock);
	list_add(&sched_job->list, &sched->pending_list);
	spin_unlock(&sched->job_list_lock);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

/*
 * Pushbuffer copies of up to a page (nearly every job's) come from a pool
 * of kernel VRAM pages that the channel's freed jobs give back: no trip
 * through the VRAM allocator, and the page's backing stays (the simulator
 * would otherwise free it at every job and allocate and clear a new one at
 * the next). The engine reads only the job's dwords, all written before it
 * starts. Used while the fast path is on; at most NVG_PB_POOL_MAX pages per
 * channel, freed with the channel.
 */
#define NVG_PB_POOL_MAX	16

/**
 * nvg_pb_pool_get() - a kernel VRAM page for a pushbuffer copy
 * @chan: the channel submitting.
 * @blocks: empty list; receives the page's block.
 * @addr: set to its VRAM address.
 *
 * Return: true, or false if the pool is empty (or the fast path off).
 */
bool nvg_pb_pool_get(struct nvg_chan *chan, struct list_head *blocks, u64 *addr)
{
	struct gpu_buddy_block *block;

	if (!nvg_fast(chan->ndev))
		return false;
	spin_lock(&chan->pb_pool_lock);
	block = list_first_entry_or_null(&chan->pb_pool, struct gpu_buddy_block, link);
	if (block) {
		list_move(&block->link, blocks);
		chan->pb_pool_n--;
	}
	spin_unlock(&chan->pb_pool_lock);
	if (block)
		*addr = gpu_buddy_block_offset(block);
	return block;
}

/**
 * nvg_pb_pool_put() - give a pushbuffer copy's VRAM back
 * @chan: the channel of the job that used it.
 * @blocks: from nvg_vram_alloc_contig() or nvg_pb_pool_get(); left empty.
 *
 * A single page goes to the pool (fast path, room left), anything else
 * to the VRAM allocator. May sleep.
 */
void nvg_pb_pool_put(struct nvg_chan *chan, struct list_head *blocks)
{
	struct nvg_device *ndev = chan->ndev;
	struct gpu_buddy_block *block = list_first_entry_or_null(blocks, struct gpu_buddy_block,
								 link);

	if (block && list_is_singular(blocks) && nvg_fast(ndev) &&
	    gpu_buddy_block_size(&ndev->vram.mm, block) == PAGE_SIZE) {
		spin_lock(&chan->pb_pool_lock);
		if (chan->pb_pool_n < NVG_PB_POOL_MAX) {
			list_move(&block->link, &chan->pb_pool);
			chan->pb_pool_n++;
		}
		spin_unlock(&chan->pb_pool_lock);
	}
	nvg_vram_free(ndev, blocks);	/* what the pool did not take */
}

static void nvg_free_job(struct drm_sched_job *sched_job)
{
	struct nvg_hwjob *job = to_nvg_hwjob(sched_job);
	u32 i;

	nvg_vgen_count(job->chan->ndev);
	if (job->early && !job->ran) {
		/*
		 * Its entity was killed before run_job() (the process died):
		 * drm_sched failed its finished fence, but the arbiter has the
		 * job, which runs or is reset like any. Wait for that.
		 */
		dma_fence_wait(job->hw_fence, false);
		dma_fence_put(job->hw_fence);	/* the one run_job() returns */
	}
	/* The arbiter signals the hardware fence under its lock, then lets go. */
	nvg_arbiter_sync(job->chan->ndev);
	if (job->out_fence)
		dma_fence_put(job->out_fence);
	for (i = 0; i < job->nr_deps; i++)
		dma_fence_put(job->deps[i]);
	kfree(job->deps);
	drm_sched_job_cleanup(sched_job);
	nvg_pb_pool_put(job->chan, &job->pb_blocks);
	dma_fence_put(job->hw_fence);
	nvg_chan_put(job->chan);
	kfree(job);
}

const struct drm_sched_backend_ops nvg_sched_backend_ops = {
	.run_job	= nvg_run_job,
	.timedout_job	= nvg_timedout_job,
	.free_job	= nvg_free_job,
};

/* Enough credits that every runnable job reaches the arbiter and policy. */
#define NVG_SCHED_CREDITS	4096

/*
 * Each engine's drm_sched runs on its own ordered, high-priority workqueue
 * (drm_sched's default is a normal one): the hop from SUBMIT to the arbiter
 * is part of every job's latency, and should not wait behind other work.
 */
int nvg_scheds_init(struct nvg_device *ndev)
{
	u32 i;
	int ret;

	nvg_clock_job_timeouts_init(ndev);
	for (i = 0; i < ndev->arb.nr_engines; i++) {
		ndev->sched_wq[i] = alloc_ordered_workqueue("nvghost-gpu%u-eng%u",
							    WQ_HIGHPRI, ndev->index, i);
		if (!ndev->sched_wq[i]) {
			ret = -ENOMEM;
			goto err;
		}
		/*
		 * Virtual clock: every engine's drm_sched, the arbiter's kick
		 * and the alarms' work share one ordered queue, so what an
		 * event sets off runs in one order, the order it was queued in.
		 */
		ret = drm_sched_init(&ndev->sched[i], &nvg_sched_backend_ops,
				     ndev->vclock ? ndev->alarm_wq : ndev->sched_wq[i],
				     DRM_SCHED_PRIORITY_COUNT,
				     NVG_SCHED_CREDITS, 0,
				     /* virtual clock: no timeout on the host's */
				     ndev->vclock ? MAX_SCHEDULE_TIMEOUT :
				     msecs_to_jiffies(nvg_job_timeout_ms),
				     /* virtual clock: its timeout work is settled */
				     ndev->vclock ? ndev->alarm_wq : NULL, NULL,
				     "nvghost", ndev->drm.dev);
		if (ret) {
			destroy_workqueue(ndev->sched_wq[i]);
			goto err;
		}
	}
	return 0;

err:
	while (i--) {
		drm_sched_fini(&ndev->sched[i]);
		destroy_workqueue(ndev->sched_wq[i]);
	}
	return ret;
}

static bool nvg_sched_has_pending(struct drm_gpu_scheduler *sched)
{
	bool pending;

	spin_lock(&sched->job_list_lock);
	pending = !list_empty(&sched->pending_list);
	spin_unlock(&sched->job_list_lock);
	return pending;
}

/*
 * The last reference to the device is gone, so every file and channel is
 * (no entity is left), and the device is unplugged, so every job's fence
 * is signalled (nvg_arbiter_unplug()). drm_sched frees finished jobs from
 * its work queue; drm_sched_fini() does not, so let it finish first: a job
 * holds VRAM and its channel.
 */
void nvg_scheds_fini(struct nvg_device *ndev)
{
	unsigned long timeout = jiffies + 10 * HZ;
	u32 i;

	nvg_clock_job_timeouts_stop(ndev);
	for (i = 0; i < ndev->arb.nr_engines; i++) {
		while (nvg_sched_has_pending(&ndev->sched[i])) {
			if (time_after(jiffies, timeout)) {
				drm_warn(&ndev->drm, "engine %u: jobs pending at release\n", i);
				break;
			}
			flush_workqueue(ndev->sched[i].submit_wq);
			usleep_range(1000, 2000);
		}
		drm_sched_fini(&ndev->sched[i]);
		destroy_workqueue(ndev->sched_wq[i]);
	}
}

/* The last job is gone: the context goes (process context: it may sleep). */
static void nvg_chan_release(struct kref *ref)
{
	struct nvg_chan *chan = container_of(ref, struct nvg_chan, ref);

	nvg_ctx_destroy(chan->ctx);
	nvg_vram_free(chan->ndev, &chan->pb_pool);
	kfree(chan->pb_state);
	kfree(chan);
}

void nvg_chan_put(struct nvg_chan *chan)
{
	kref_put(&chan->ref, nvg_chan_release);
}

/* The channel @id of @client, with a reference, or NULL. */
struct nvg_chan *nvg_chan_lookup(struct nvg_client *client, u32 id)
{
	struct nvg_chan *chan;

	xa_lock(&client->chans);
	chan = xa_load(&client->chans, id);
	if (chan)
		kref_get(&chan->ref);
	xa_unlock(&client->chans);
	return chan;
}

/*
 * The engine a new channel runs on: the scheduling policy's choice
 * (ops.select_engine). The built-in one hands the device's copy engines
 * out in turn, so channels spread over them; engine 0 computes (and copies
 * too on a GPU without copy engines).
 */
static u32 nvg_chan_pick_engine(struct nvg_device *ndev, struct nvg_ctx_obj *ctx,
				u32 engine_class)
{
	struct nvg_arbiter *arb = &ndev->arb;
	struct nvg_select_engine_args args = {
		.engine_class = engine_class,
		.first = 0,
		.nr = 1,
		.dflt = 0,
	};

	if (engine_class == DRM_NVGHOST_ENGINE_COPY && arb->nr_engines > 1) {
		args.first = 1;
		args.nr = arb->nr_engines - 1;
		args.dflt = 1 + (u32)atomic_inc_return(&arb->next_copy) % args.nr;
	}
	return nvg_sched_select_engine(ndev, ctx, &args);
}

static enum drm_sched_priority nvg_sched_prio(u32 priority)
{
	switch (priority) {
	case DRM_NVGHOST_PRIORITY_HIGH:
		return DRM_SCHED_PRIORITY_HIGH;
	case DRM_NVGHOST_PRIORITY_LOW:
		return DRM_SCHED_PRIORITY_LOW;
	default:
		return DRM_SCHED_PRIORITY_NORMAL;
	}
}

/*
 * HIGH is what policies treat as critical (gaming runs it ahead of
 * everything), so, as panthor's group_priority_permit() and amdgpu's
 * amdgpu_ctx_priority_permit() do, only a privileged caller gets it:
 * CAP_SYS_NICE (what raising a CPU priority takes) or the DRM master (the
 * compositor). NORMAL and LOW are for everyone.
 */
static int nvg_priority_permit(struct drm_file *file, u32 priority)
{
	if (priority < DRM_NVGHOST_PRIORITY_HIGH)
		return 0;
	if (capable(CAP_SYS_NICE) || drm_is_current_master(file))
		return 0;
	return -EACCES;
}

/**
 * nvg_ioctl_ctx_create() - create a channel
 * @drm: the device.
 * @data: a &struct drm_nvghost_ctx_create.
 * @file: the caller.
 *
 * The channel is a scheduling context: the attached policy's ctx_init
 * sees it (pid, command, priority) and may refuse it with an errno, which
 * this ioctl then returns.
 *
 * Return: 0, -EINVAL for a bad argument, -EACCES for HIGH priority without
 * CAP_SYS_NICE or DRM master, -ENOMEM, -ENOSPC when the file has too many
 * channels, or the policy's errno.
 */
int nvg_ioctl_ctx_create(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct nvg_device *ndev = to_nvg_device(drm);
	struct drm_nvghost_ctx_create *args = data;
	struct nvg_client *client = file->driver_priv;
	struct drm_gpu_scheduler *sched;
	struct nvg_chan *chan;
	int ret, idx;

	if (args->flags || args->ctx_id) {
		drm_dbg_driver(drm, "ctx_create: flags and ctx_id must be 0\n");
		return -EINVAL;
	}
	if (args->engine_class > DRM_NVGHOST_ENGINE_COPY ||
	    args->priority > DRM_NVGHOST_PRIORITY_HIGH) {
		drm_dbg_driver(drm, "ctx_create: bad engine class or priority\n");
		return -EINVAL;
	}
	ret = nvg_priority_permit(file, args->priority);
	if (ret) {
		drm_dbg_driver(drm, "ctx_create: priority HIGH needs CAP_SYS_NICE or DRM master\n");
		return ret;
	}

	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return -ENOMEM;
	kref_init(&chan->ref);
	chan->ndev = ndev;
	chan->client = client;
	chan->priority = args->priority;
	chan->fence_context = dma_fence_context_alloc(1);
	spin_lock_init(&chan->fence_lock);
	init_rwsem(&chan->destroy_sem);
	INIT_LIST_HEAD(&chan->backlog);
	INIT_LIST_HEAD(&chan->pb_pool);
	spin_lock_init(&chan->pb_pool_lock);

	/* An unplug tells the policy its contexts are gone: none may come after. */
	if (!drm_dev_enter(drm, &idx)) {
		ret = -ENODEV;
		goto err_free;
	}
	chan->ctx = nvg_ctx_create(ndev, current->comm, task_tgid_nr(current),
				   args->priority, args->flags);
	drm_dev_exit(idx);
	if (IS_ERR(chan->ctx)) {
		ret = PTR_ERR(chan->ctx);
		goto err_free;
	}
	chan->engine = nvg_chan_pick_engine(ndev, chan->ctx, args->engine_class);
	chan->class_id = ndev->arb.engines[chan->engine].class_id;
	sched = &ndev->sched[chan->engine];
	ret = drm_sched_entity_init(&chan->entity, nvg_sched_prio(args->priority),
				    &sched, 1, NULL);
	if (ret)
		goto err_ctx;
	ret = xa_alloc(&client->chans, &chan->id, chan, XA_LIMIT(1, 1024), GFP_KERNEL);
	if (ret) {
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto err_entity;
	}
	args->ctx_id = chan->id;
	/* The file's class for the power hook's client_key(), read locklessly. */
	if (args->priority > READ_ONCE(client->prio))
		WRITE_ONCE(client->prio, args->priority);
	return 0;

err_entity:
	drm_sched_entity_destroy(&chan->entity);
err_ctx:
	nvg_ctx_destroy(chan->ctx);
err_free:
	kfree(chan);
	return ret;
}

/*
 * No submission pushes to the entity any more (one racing with the
 * destruction gets -ENOENT), then let submitted work finish (or time
 * out) and drop the file's reference.
 */
static void nvg_chan_destroy(struct nvg_chan *chan)
{
	down_write(&chan->destroy_sem);
	chan->dead = true;
	up_write(&chan->destroy_sem);
	drm_sched_entity_destroy(&chan->entity);
	nvg_chan_put(chan);
}

int nvg_ioctl_ctx_destroy(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct drm_nvghost_ctx_destroy *args = data;
	struct nvg_client *client = file->driver_priv;
	struct nvg_chan *chan;

	if (args->pad)
		return -EINVAL;
	chan = xa_erase(&client->chans, args->ctx_id);
	if (!chan)
		return -ENOENT;
	nvg_chan_destroy(chan);
	return 0;
}

/* The file is closing: every channel goes. */
void nvg_chans_destroy(struct nvg_client *client)
{
	struct nvg_chan *chan;
	unsigned long id;

	xa_for_each(&client->chans, id, chan) {
		xa_erase(&client->chans, id);
		nvg_chan_destroy(chan);
	}
	xa_destroy(&client->chans);
}
