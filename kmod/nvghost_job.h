/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_job.h - channels and the jobs submitted to them.
 */
#ifndef _NVGHOST_JOB_H_
#define _NVGHOST_JOB_H_

#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/rwsem.h>
#include <drm/gpu_scheduler.h>

struct nvg_client;
struct nvg_ctx_obj;
struct nvg_pb_parser;
struct nvg_device;

/**
 * struct nvg_chan - a channel: an in-order stream of jobs on one engine
 * @ref: jobs hold references; the file holds one until CTX_DESTROY.
 * @ndev: the device.
 * @client: the DRM file it belongs to.
 * @ctx: its scheduling context, what policies see.
 * @id: the id user space names it by.
 * @engine: the engine it runs on.
 * @class_id: that engine's class, which its pushbuffers must use.
 * @priority: DRM_NVGHOST_PRIORITY_*.
 * @entity: its drm_sched entity: dependencies and submission order.
 * @fence_context: dma_fence context of its hardware fences.
 * @seqno: last hardware fence seqno.
 * @fence_lock: lock of its hardware fences.
 * @guilty: one of its jobs faulted or hung; it accepts no more work.
 * @backlog: jobs that wait for the channel's runnable one (arbiter lock).
 * @active: a job of the channel is runnable or running (arbiter lock).
 * @in_sched: its jobs that drm_sched's worker has yet to hand to the
 *	arbiter; a job may skip the worker (nvg_hwjob_submit_early()) only
 *	while there are none, so that the channel stays in order.
 * @pb_pool: kernel VRAM pages its freed jobs' pushbuffer copies used, for
 *	its next ones (nvg_pb_pool_get()); freed with the channel.
 * @pb_pool_n: pages in @pb_pool.
 * @pb_pool_lock: protects @pb_pool and @pb_pool_n.
 * @pb_state: method state (bindings, registers) its last submission left,
 *	which the next one starts from; NULL before the first (its client's
 *	VM lock).
 */
struct nvg_chan {
	struct kref ref;
	struct nvg_device *ndev;
	struct nvg_client *client;
	struct nvg_ctx_obj *ctx;
	u32 id;
	u32 engine;
	u32 class_id;
	u32 priority;
	struct drm_sched_entity entity;
	u64 fence_context;
	u64 seqno;
	spinlock_t fence_lock; /* hardware fences */
	/*
	 * Held for reading from a submission's check of @dead to its push
	 * to @entity, for writing to set @dead before the entity goes: a
	 * job pushed to a destroyed entity would never run, and its fence,
	 * which the VM keeps, would never signal.
	 */
	struct rw_semaphore destroy_sem;
	bool dead;
	bool guilty;
	struct list_head backlog;
	bool active;
	atomic_t in_sched;
	struct list_head pb_pool;
	u32 pb_pool_n;
	spinlock_t pb_pool_lock; /* pb_pool */
	struct nvg_pb_parser *pb_state;
};

/**
 * struct nvg_hwjob - a submitted job
 * @base: drm_sched's part.
 * @chan: its channel (holds a reference).
 * @pb_blocks: VRAM holding the validated copy of its pushbuffer.
 * @pb_addr: that copy's VRAM address.
 * @pb_len: its length in dwords.
 * @pdb: the address space it runs in.
 * @hw_fence: signalled when the engine reports the job done.
 * @timed_out: the timeout handler reset the engine under it.
 * @deps: its in-fences, kept to see whether one failed (drm_sched drops
 *	them once signalled, and with them their error).
 * @nr_deps: entries in @deps.
 * @out_fence: what user space waits for (a reference), or NULL; the
 *	completion interrupt signals it when the job ends without error.
 * @early: SUBMIT handed it to the arbiter itself; run_job() only returns
 *	@hw_fence (whose second reference it holds until then).
 * @ran: run_job() saw it.
 */
struct nvg_hwjob {
	struct drm_sched_job base;
	struct nvg_chan *chan;
	struct list_head pb_blocks;
	u64 pb_addr;
	u32 pb_len;
	u64 pdb;
	struct dma_fence *hw_fence;
	bool timed_out;
	struct dma_fence **deps;
	u32 nr_deps;
	struct dma_fence *out_fence;
	bool early;
	bool ran;
};

static inline struct nvg_hwjob *to_nvg_hwjob(struct drm_sched_job *job)
{
	return container_of(job, struct nvg_hwjob, base);
}

extern const struct drm_sched_backend_ops nvg_sched_backend_ops;

int nvg_scheds_init(struct nvg_device *ndev);
void nvg_scheds_fini(struct nvg_device *ndev);
struct nvg_chan *nvg_chan_lookup(struct nvg_client *client, u32 id);
void nvg_chan_put(struct nvg_chan *chan);
void nvg_chans_destroy(struct nvg_client *client);
void nvg_hwjob_complete(struct nvg_hwjob *job, int error);
struct dma_fence *nvg_out_fence_alloc(void);
struct dma_fence *nvg_out_fence_init(struct dma_fence *f, struct dma_fence *finished);
void nvg_out_fence_signal_now(struct nvg_device *ndev, struct dma_fence *f);
bool nvg_hwjob_submit_early(struct nvg_hwjob *job);
bool nvg_pb_pool_get(struct nvg_chan *chan, struct list_head *blocks, u64 *addr);
void nvg_pb_pool_put(struct nvg_chan *chan, struct list_head *blocks);
int nvg_ioctl_ctx_create(struct drm_device *drm, void *data,
			 struct drm_file *file);
int nvg_ioctl_ctx_destroy(struct drm_device *drm, void *data,
			  struct drm_file *file);
int nvg_ioctl_submit(struct drm_device *drm, void *data,
		     struct drm_file *file);

#endif /* _NVGHOST_JOB_H_ */
