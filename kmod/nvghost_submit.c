// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_submit.c - DRM_IOCTL_NVGHOST_SUBMIT: validate, copy, queue.
 *
 * The GPU never sees a pushbuffer the driver has not checked. The driver
 * reads each GPFIFO entry's segment from the caller's GPU address space
 * into kernel memory, decodes it with the same parser the engine uses
 * (nvghost_pb.c), checks every method and every address an operation
 * touches against the caller's mappings, and then gives the engine a copy
 * in kernel-owned VRAM. Changing the buffers after the ioctl changes
 * nothing, and a pushbuffer cannot reach memory its client has not mapped.
 *
 * Method state is the channel's, as on hardware: a submission starts where
 * the channel's previous one left its subchannel bindings and registers.
 * The copy the engine runs starts with methods that rebuild that state
 * (nvg_pb_state_restore()), validated like the rest.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/drm_syncobj.h>

#include "nvghost_drv.h"
#include "nvghost_job.h"
#include "nvghost_pb.h"
#include "nvghost_trace.h"
#include "nvghost_vm.h"
#include "../uapi/nvghost_drm.h"

/* An out-syncobj and, for a timeline point, its preallocated chain link. */
struct nvg_out_sync {
	struct drm_syncobj *obj;
	struct dma_fence_chain *chain;
	u64 point;
};

/* What one submission is being built from. */
struct nvg_submit {
	struct drm_device *drm;
	struct nvg_chan *chan;
	struct nvg_vm *vm;
	u32 *dw;		/* validated dwords, as the engine will see them */
	u32 ndw;
	u32 max_dw;		/* room at @dw */
	u32 state_dw;		/* of which the channel state's restore */
	struct nvg_pb_parser *parser;
	struct nvg_vm_ranges ranges;	/* what the job's ops reach */
	u64 cycles, bytes, fills;	/* its modelled cost (nvghost_job_submit) */
};

static int nvg_submit_check_op(struct nvg_submit *s, const struct nvg_pb_op *op,
			       u32 entry)
{
	struct nvg_pb_range r[NVG_PB_MAX_RANGES];
	int i, n;

	if (op->kind == NVG_PB_OP_BUSY)
		s->cycles += op->busy.cycles;
	else if (op->kind == NVG_PB_OP_COPY)
		s->bytes += (u64)op->copy.line_len * op->copy.line_count;
	else if (op->kind == NVG_PB_OP_FILL)
		s->fills += op->fill.size;
	n = nvg_pb_op_ranges(op, r);
	for (i = 0; i < n; i++) {
		if (!nvg_vm_check_range(s->vm, r[i].va, r[i].size, r[i].write)) {
			drm_dbg_driver(s->drm,
				       "submit: entry %u dword %u: %s [0x%llx, +0x%llx) not mapped%s\n",
				       entry, op->index, r[i].write ? "write to" : "read of",
				       r[i].va, r[i].size, r[i].write ? " writable" : "");
			return -EINVAL;
		}
		if (nvg_vm_ranges_add(&s->ranges, r[i].va, r[i].size))
			return -ENOMEM;
	}
	return 0;
}

/* Read, validate and append the segment of GPFIFO entry @i. */
static int nvg_submit_segment(struct nvg_submit *s, u64 raw, u32 i)
{
	struct nvg_pb_parser *p = s->parser;
	struct nvg_gpfifo_entry e;
	struct nvg_pb_error err;
	struct nvg_pb_op op;
	const char *reason;
	u32 *seg;
	int ret;

	if (nvg_gpfifo_entry_check(raw, &e, &reason)) {
		drm_dbg_driver(s->drm, "submit: GPFIFO entry %u (0x%016llx): %s\n",
			       i, raw, reason);
		return -EINVAL;
	}
	if (!e.ndw)
		return 0;	/* a control NOP entry */
	if (e.ndw > s->max_dw - s->ndw) {
		drm_dbg_driver(s->drm, "submit: more than %u pushbuffer dwords\n",
			       DRM_NVGHOST_MAX_PUSH_DWORDS);
		return -EINVAL;
	}
	seg = s->dw + s->ndw;
	ret = nvg_vm_read(s->vm, e.va, seg, (u64)e.ndw * 4);
	if (ret) {
		drm_dbg_driver(s->drm,
			       "submit: entry %u: pushbuffer [0x%llx, +%u dwords) not readable\n",
			       i, e.va, e.ndw);
		return ret;
	}

	nvg_pb_parser_segment(p, seg, e.ndw);
	while ((ret = nvg_pb_parser_next(p, &op, &err)) > 0) {
		ret = nvg_submit_check_op(s, &op, i);
		if (ret)
			return ret;
	}
	if (ret < 0) {
		drm_dbg_driver(s->drm,
			       "submit: entry %u dword %u (0x%08x): %s (subch %d method 0x%x class 0x%x)\n",
			       i, err.index, err.dword, err.reason, (int)err.subch,
			       err.method, err.class_id);
		return -EINVAL;
	}
	/* The engine must see exactly what was checked: stop at END_PB_SEGMENT. */
	s->ndw += p->ended ? p->pos - 1 : e.ndw;
	return 0;
}

/* Copy the validated dwords into VRAM that only the kernel can reach. */
static int nvg_submit_shadow(struct nvg_submit *s, struct nvg_hwjob *job)
{
	struct nvg_device *ndev = s->chan->ndev;
	u64 bytes = ALIGN((u64)s->ndw * 4, PAGE_SIZE), off;
	int ret;

	/* The engine fetches the copy by VRAM address: it must be contiguous. */
	if (bytes != PAGE_SIZE || !nvg_pb_pool_get(s->chan, &job->pb_blocks, &job->pb_addr)) {
		ret = nvg_vram_alloc_contig(ndev, bytes, &job->pb_blocks, &job->pb_addr, false);
		if (ret)
			return ret;
	}
	job->pb_len = s->ndw;
	for (off = 0; off < (u64)s->ndw * 4; off += PAGE_SIZE) {
		struct page *page = nvg_vram_page(&ndev->hal, job->pb_addr + off);
		void *map;

		if (!page)
			return -ENOMEM;
		map = kmap_local_page(page);
		memcpy(map, (u8 *)s->dw + off, min_t(u64, PAGE_SIZE, (u64)s->ndw * 4 - off));
		kunmap_local(map);
	}
	return 0;
}

/* Make @fence a dependency of @job (consumes the reference). */
static int nvg_submit_add_dep(struct nvg_hwjob *job, struct dma_fence *fence)
{
	/* One reference for drm_sched, one to look at its error in run_job. */
	job->deps[job->nr_deps++] = dma_fence_get(fence);
	return drm_sched_job_add_dependency(&job->base, fence);
}

static int nvg_submit_in_syncs(struct drm_file *file, struct nvg_hwjob *job,
			       const struct drm_nvghost_submit *args)
{
	struct drm_nvghost_sync __user *u = u64_to_user_ptr(args->in_syncs);
	struct drm_nvghost_sync sync;
	struct dma_fence *fence;
	u32 i;
	int ret;

	job->deps = kcalloc(args->in_sync_count + 1, sizeof(*job->deps), GFP_KERNEL);
	if (!job->deps)
		return -ENOMEM;
	for (i = 0; i < args->in_sync_count; i++) {
		if (copy_from_user(&sync, &u[i], sizeof(sync)))
			return -EFAULT;
		if (sync.flags)
			return -EINVAL;
		ret = drm_syncobj_find_fence(file, sync.handle, sync.point, 0, &fence);
		if (ret)
			return ret;
		ret = nvg_submit_add_dep(job, fence);
		if (ret)
			return ret;
	}
	if (args->flags & DRM_NVGHOST_SUBMIT_IN_SYNC_FILE) {
		fence = sync_file_get_fence(args->fence_fd);
		if (!fence)
			return -EINVAL;
		ret = nvg_submit_add_dep(job, fence);
		if (ret)
			return ret;
	}
	return 0;
}

/* Look every out-syncobj up before the job is armed: nothing may fail after. */
static int nvg_submit_out_syncs(struct drm_file *file,
				const struct drm_nvghost_submit *args,
				struct nvg_out_sync *out)
{
	struct drm_nvghost_sync __user *u = u64_to_user_ptr(args->out_syncs);
	struct drm_nvghost_sync sync;
	u32 i;

	for (i = 0; i < args->out_sync_count; i++) {
		if (copy_from_user(&sync, &u[i], sizeof(sync)))
			return -EFAULT;
		if (sync.flags)
			return -EINVAL;
		out[i].obj = drm_syncobj_find(file, sync.handle);
		if (!out[i].obj)
			return -ENOENT;
		out[i].point = sync.point;
		if (sync.point) {
			out[i].chain = dma_fence_chain_alloc();
			if (!out[i].chain)
				return -ENOMEM;
		}
	}
	return 0;
}

static void nvg_out_syncs_free(struct nvg_out_sync *out, u32 count)
{
	u32 i;

	for (i = 0; out && i < count; i++) {
		if (out[i].obj)
			drm_syncobj_put(out[i].obj);
		dma_fence_chain_free(out[i].chain);
	}
	kfree(out);
}

static int nvg_submit_check_args(struct drm_device *drm,
				 const struct drm_nvghost_submit *args)
{
	if (args->flags & ~DRM_NVGHOST_SUBMIT_FLAGS) {
		drm_dbg_driver(drm, "submit: unknown flags 0x%x\n", args->flags);
		return -EINVAL;
	}
	if (!args->gpfifo_count || args->gpfifo_count > DRM_NVGHOST_MAX_GPFIFO_ENTRIES) {
		drm_dbg_driver(drm, "submit: %u GPFIFO entries\n", args->gpfifo_count);
		return -EINVAL;
	}
	if (args->in_sync_count > DRM_NVGHOST_MAX_SYNCS ||
	    args->out_sync_count > DRM_NVGHOST_MAX_SYNCS) {
		drm_dbg_driver(drm, "submit: too many syncobjs\n");
		return -EINVAL;
	}
	if (!(args->flags & DRM_NVGHOST_SUBMIT_IN_SYNC_FILE) && args->fence_fd &&
	    !(args->flags & DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE)) {
		drm_dbg_driver(drm, "submit: fence_fd without a sync-file flag\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * Validate every entry; on success s->dw holds what the engine will run:
 * the channel state's restore, then the segments.
 */
static int nvg_submit_validate(struct nvg_submit *s, const u64 *entries, u32 count)
{
	struct nvg_pb_parser *p = s->parser;
	struct nvg_pb_error err;
	struct nvg_pb_op op;
	u32 i;
	int ret;

	nvg_pb_parser_init(p, s->chan->class_id);
	if (s->chan->pb_state) {
		s->ndw = nvg_pb_state_restore(s->chan->pb_state, s->dw);
		s->state_dw = s->ndw;
		nvg_pb_parser_segment(p, s->dw, s->ndw);
		/* It sets registers and binds subchannels: no operation. */
		if (WARN_ON_ONCE(nvg_pb_parser_next(p, &op, NULL)))
			return -EINVAL;
	}
	for (i = 0; i < count; i++) {
		ret = nvg_submit_segment(s, entries[i], i);
		if (ret)
			return ret;
	}
	if (nvg_pb_parser_finish(p, &err)) {
		drm_dbg_driver(s->drm, "submit: dword 0x%08x: %s\n", err.dword, err.reason);
		return -EINVAL;
	}
	if (s->ndw == s->state_dw) {
		drm_dbg_driver(s->drm, "submit: no methods\n");
		return -EINVAL;
	}
	return 0;
}

/**
 * nvg_ioctl_submit() - validate pushbuffers and queue them on a channel
 * @drm: the device.
 * @data: a &struct drm_nvghost_submit.
 * @file: the caller.
 *
 * The fences user space gets (sync file, syncobjs) are nvghost's own
 * out-fences (nvg_out_fence_init()), safe to keep after the device or the
 * module went.
 *
 * Return: 0; -EINVAL for malformed arguments or pushbuffers, -ENOENT for an
 * unknown channel or syncobj, -ECANCELED on a guilty channel, -ENOSPC if
 * VRAM has no room for the pushbuffer copy, -EFAULT, -ENOMEM, -ENODEV once
 * the device is unplugged.
 */
int nvg_ioctl_submit(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_nvghost_submit *args = data;
	struct nvg_client *client = file->driver_priv;
	struct nvg_submit s = { .drm = drm, .vm = client->vm };
	struct nvg_out_sync *out = NULL;
	struct sync_file *sync_file = NULL;
	struct dma_fence *finished, *out_fence = NULL;
	struct nvg_vm_use *use = NULL;
	struct nvg_hwjob *job;
	int out_fd = -1, ret, idx;
	u64 *entries = NULL, total = 0;
	u32 i;

	ret = nvg_submit_check_args(drm, args);
	if (ret)
		return ret;
	s.chan = nvg_chan_lookup(client, args->ctx_id);
	if (!s.chan)
		return -ENOENT;
	if (READ_ONCE(s.chan->guilty)) {
		ret = -ECANCELED;
		goto out_chan;
	}

	entries = memdup_array_user(u64_to_user_ptr(args->gpfifo), args->gpfifo_count,
				    sizeof(u64));
	if (IS_ERR(entries)) {
		ret = PTR_ERR(entries);
		entries = NULL;
		goto out_free;
	}
	/* Room for every segment: the lengths are checked again when read. */
	for (i = 0; i < args->gpfifo_count; i++) {
		struct nvg_gpfifo_entry e;

		nvg_gpfifo_entry_decode(entries[i], &e);
		total = min_t(u64, total + e.ndw, DRM_NVGHOST_MAX_PUSH_DWORDS);
	}
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	s.parser = kmalloc(sizeof(*s.parser), GFP_KERNEL);
	s.dw = kvmalloc_array(total + NVG_PB_STATE_MAX_DWORDS, sizeof(u32), GFP_KERNEL);
	out = kcalloc(args->out_sync_count, sizeof(*out), GFP_KERNEL);
	if (!job || !s.parser || !s.dw || (args->out_sync_count && !out)) {
		ret = -ENOMEM;
		goto out_free;
	}
	s.max_dw = total + NVG_PB_STATE_MAX_DWORDS;
	INIT_LIST_HEAD(&job->pb_blocks);
	job->chan = s.chan;
	if (args->out_sync_count || (args->flags & DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE)) {
		out_fence = nvg_out_fence_alloc();
		if (!out_fence) {
			ret = -ENOMEM;
			goto out_free;
		}
	}

	mutex_lock(&s.vm->lock);
	/* Reading and copying go through VRAM: the device must stay. */
	if (!drm_dev_enter(drm, &idx)) {
		mutex_unlock(&s.vm->lock);
		ret = -ENODEV;
		goto out_free;
	}
	/* Where the channel's method state is kept between submissions. */
	if (!s.chan->pb_state) {
		s.chan->pb_state = kzalloc(sizeof(*s.chan->pb_state), GFP_KERNEL);
		if (!s.chan->pb_state) {
			ret = -ENOMEM;
			goto out_unlock;
		}
		nvg_pb_parser_init(s.chan->pb_state, s.chan->class_id);
	}
	ret = nvg_submit_validate(&s, entries, args->gpfifo_count);
	if (!ret)
		ret = nvg_submit_shadow(&s, job);
	if (ret)
		goto out_unlock;
	job->pdb = nvg_vm_pdb(s.vm);

	ret = drm_sched_job_init(&job->base, &s.chan->entity, 1, NULL, file->client_id);
	if (ret)
		goto out_unlock;
	ret = nvg_submit_in_syncs(file, job, args);
	if (!ret)
		ret = nvg_submit_out_syncs(file, args, out);
	if (!ret && (args->flags & DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE)) {
		out_fd = get_unused_fd_flags(O_CLOEXEC);
		ret = out_fd < 0 ? out_fd : 0;
	}
	/*
	 * The channel may be being destroyed by another thread (CTX_DESTROY):
	 * its entity must take this job, or it would never run.
	 */
	if (!ret) {
		down_read(&s.chan->destroy_sem);
		if (s.chan->dead)
			ret = -ENOENT;
		/* Last: on success it returns with the VM's reservation locked. */
		if (!ret)
			ret = nvg_vm_reserve_job(s.vm, &s.ranges, &use);
		if (ret)
			up_read(&s.chan->destroy_sem);
	}
	if (ret)
		goto out_cleanup_job;

	/* From here on nothing can fail. */
	drm_sched_job_arm(&job->base);
	finished = &job->base.s_fence->finished;
	if (out_fence) {
		nvg_out_fence_init(out_fence, finished);
		/* The completion interrupt may signal it (fast path). */
		job->out_fence = dma_fence_get(out_fence);
	}
	if (out_fd >= 0) {
		sync_file = sync_file_create(out_fence);
		if (sync_file) {
			fd_install(out_fd, sync_file->file);
			args->fence_fd = out_fd;
		} else {
			put_unused_fd(out_fd);
			args->fence_fd = -1;
		}
	}
	for (i = 0; i < args->out_sync_count; i++) {
		if (out[i].point) {
			drm_syncobj_add_point(out[i].obj, out[i].chain, out_fence,
					      out[i].point);
			out[i].chain = NULL;
		} else {
			drm_syncobj_replace_fence(out[i].obj, out_fence);
		}
	}
	/* The VM's own bookkeeping keeps the finished fence (and unlocks). */
	nvg_vm_add_job(s.vm, finished, use);
	use = NULL;
	trace_nvghost_submit(s.chan->ndev->index, s.chan->id, s.chan->engine, s.ndw);
	if (trace_nvghost_job_submit_enabled())
		trace_nvghost_job_submit(s.chan->ndev->index, s.chan->id, s.chan->engine,
					 &s.chan->ctx->pub, nvg_ptimer_read(s.chan->ndev),
					 s.cycles, s.bytes, s.fills, finished, job->deps,
					 job->nr_deps);
	kref_get(&s.chan->ref);		/* the job's */
	/* Nothing to wait for: to the arbiter now, and drm_sched keeps the books. */
	nvg_hwjob_submit_early(job);
	drm_sched_entity_push_job(&job->base);
	up_read(&s.chan->destroy_sem);
	atomic64_inc(&client->jobs[s.chan->engine ? 1 : 0]);
	drm_dev_exit(idx);
	/* The next submission on the channel starts from this one's state. */
	memcpy(s.chan->pb_state, s.parser, sizeof(*s.parser));
	s.chan->pb_state->dw = NULL;	/* only its state is kept */
	mutex_unlock(&s.vm->lock);
	if (out_fence)
		dma_fence_put(out_fence);	/* the syncs hold their own */
	out_fence = NULL;
	job = NULL;
	ret = 0;
	goto out_free;

out_cleanup_job:
	if (out_fd >= 0)
		put_unused_fd(out_fd);
	drm_sched_job_cleanup(&job->base);
	for (i = 0; i < job->nr_deps; i++)
		dma_fence_put(job->deps[i]);
	kfree(job->deps);
out_unlock:
	drm_dev_exit(idx);
	mutex_unlock(&s.vm->lock);
	if (job)
		nvg_pb_pool_put(s.chan, &job->pb_blocks);
out_free:
	kfree(out_fence);	/* never initialised if still here */
	nvg_vm_use_free(use);
	nvg_vm_ranges_fini(&s.ranges);
	nvg_out_syncs_free(out, args->out_sync_count);
	kvfree(s.dw);
	kfree(s.parser);
	kfree(job);
	kfree(entries);
out_chan:
	nvg_chan_put(s.chan);
	return ret;
}
