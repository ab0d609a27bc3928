// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_dsq.c - dispatch queues and the kfuncs scheduling policies act
 * through.
 *
 * As in sched_ext, a policy files runnable jobs in dispatch queues it
 * creates (FIFO or ordered by virtual time) and moves them to engines when
 * they go idle. Unlike sched_ext, a dispatch queue is only an index: every
 * runnable job also stays in its engine's queue in the arbiter, which owns
 * it. So when a policy goes away, its queues are simply forgotten and the
 * built-in FIFO finds every job where it always was.
 *
 * A queue keeps its jobs per (device, engine): a FIFO queue in a list per
 * engine, a vtime queue in an rbtree per engine ordered by virtual time
 * (equal vtimes keep their arrival order). Filing a job costs O(1) or
 * O(log n), finding the first job for an engine O(1), under the arbiter's
 * spinlock, however many jobs wait (up to 100 000 per engine) and however
 * many engines share the queue.
 *
 * Locking: nvg_dsq_lock protects every queue and every job's queue
 * membership; it nests inside a device's arbiter lock.
 *
 * Which op may call which kfunc (nvg_kfunc_ops[] below) is checked by the
 * verifier when a program is loaded: the kfunc set's filter sees the
 * struct_ops type and the op the program implements, and refuses a call
 * from any other program ("calling kernel function ... is not allowed"):
 * another op, another hook's policy, another subsystem's struct_ops. The
 * kfuncs check the op again at run time, recorded per CPU by the op's
 * caller, as a backstop for what the filter cannot see (a program reached
 * through a tail call runs in its caller's op).
 *
 * One kfunc serves every hook: nvg_device_now_ns(), the device clock, for
 * the ops of nvg_sched_ops, nvg_pacing_ops and nvg_power_ops alike.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "nvghost_drv.h"
#include "nvghost_dsq.h"
#include "nvghost_mem_ops.h"
#include "nvghost_pacing_ops.h"
#include "nvghost_power_ops.h"
#include "nvghost_sched.h"

/* One set of jobs per (device, engine) in every queue. */
#define NVG_DSQ_SLOTS	(NVG_MAX_GPUS * NVG_MAX_ENGINES)

/**
 * struct nvg_dsq - a policy's dispatch queue
 * @id: the policy's name for it.
 * @vtime: ordered by virtual time (else FIFO); fixed by the first insert.
 * @ordered: @vtime was fixed.
 * @nr: how many jobs it holds.
 * @fifo: a FIFO queue's jobs waiting for each (device, engine),
 *	nvg_dsq_slot(), in arrival order (set up by the first insert).
 * @tree: a vtime queue's, each ordered by vtime, then by arrival.
 */
struct nvg_dsq {
	u64 id;
	bool vtime;
	bool ordered;
	u32 nr;
	union {
		struct list_head fifo[NVG_DSQ_SLOTS];
		struct rb_root_cached tree[NVG_DSQ_SLOTS];
	};
};

static u32 nvg_dsq_slot(u32 dev_index, u32 engine)
{
	return dev_index * NVG_MAX_ENGINES + engine;
}

static u32 nvg_dsq_job_slot(struct nvg_job_obj *job)
{
	return nvg_dsq_slot(job->pub.dev_index, job->pub.engine);
}

/* Wrap-safe, as sched_ext's vtime queues; equal keys go after (FIFO). */
static bool nvg_dsq_less(struct rb_node *a, const struct rb_node *b)
{
	return time_before64(rb_entry(a, struct nvg_job_obj, dsq_node)->vtime,
			     rb_entry(b, struct nvg_job_obj, dsq_node)->vtime);
}

static DEFINE_SPINLOCK(nvg_dsq_lock);
/* IRQ-safe: queues leave it under nvg_dsq_lock, which nests in arb->lock. */
static DEFINE_XARRAY_FLAGS(nvg_dsqs, XA_FLAGS_LOCK_IRQ);

/* The op running on this CPU, for the kfunc checks (see nvg_kf_enter()). */
static DEFINE_PER_CPU(struct nvg_kf_state, nvg_kf);

/* The task running the policy's init op (it may sleep: not per CPU). */
static struct task_struct *nvg_kf_init_task;

/**
 * nvg_kf_enter() - an op is about to run on this CPU
 * @mask: NVG_KF_* the kfuncs it may call.
 * @op: its name, for ejection messages.
 * @ndev: the device (for dispatch).
 * @engine: the engine (for dispatch).
 *
 * Return: the per-CPU state, for nvg_kf_exit() and the dispatch result.
 * Callers hold an arbiter lock, so the CPU cannot change meanwhile.
 */
struct nvg_kf_state *nvg_kf_enter(u32 mask, const char *op,
				  struct nvg_device *ndev, u32 engine)
{
	struct nvg_kf_state *st = this_cpu_ptr(&nvg_kf);

	st->mask = mask;
	st->op = op;
	st->ndev = ndev;
	st->engine = engine;
	st->moved = NULL;
	return st;
}

void nvg_kf_exit(struct nvg_kf_state *st)
{
	st->mask = 0;
	st->op = NULL;
}

void nvg_kf_init_begin(void)
{
	WRITE_ONCE(nvg_kf_init_task, current);
}

void nvg_kf_init_end(void)
{
	WRITE_ONCE(nvg_kf_init_task, NULL);
}

/*
 * May the op running here call @kfunc? The verifier already refused a
 * program of any other op; this catches one that reached the kfunc some
 * other way, and ejects the policy.
 */
static bool nvg_kf_allowed(u32 mask, const char *kfunc)
{
	struct nvg_kf_state *st = raw_cpu_ptr(&nvg_kf);

	if (st->mask & mask)
		return true;
	nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_BPF, st->op ?: "?", 0,
		       "%s() may not be called from ops.%s()", kfunc,
		       st->op ?: "(an op it is not allowed in)");
	return false;
}

/* Called with nvg_dsq_lock held. */
static struct nvg_dsq *nvg_dsq_find(u64 dsq_id, const char *kfunc)
{
	struct nvg_dsq *dsq = dsq_id < NVG_DSQ_MAX_ID ? xa_load(&nvg_dsqs, dsq_id) : NULL;

	if (!dsq)
		nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID, "dsq", dsq_id,
			       "%s(): dispatch queue %llu does not exist", kfunc, dsq_id);
	return dsq;
}

/* Take @job out of its dispatch queue, if it is in one. Any context. */
void nvg_dsq_remove(struct nvg_job_obj *job)
{
	unsigned long flags;

	spin_lock_irqsave(&nvg_dsq_lock, flags);
	if (job->dsq) {
		if (job->dsq->vtime)
			rb_erase_cached(&job->dsq_node, &job->dsq->tree[nvg_dsq_job_slot(job)]);
		else
			list_del(&job->dsq_link);
		job->dsq->nr--;
		job->dsq = NULL;
	}
	spin_unlock_irqrestore(&nvg_dsq_lock, flags);
}

/**
 * nvg_dsq_destroy_all() - the policy is gone: forget its queues
 *
 * Their jobs stay in the engines' queues, where the default finds them.
 */
void nvg_dsq_destroy_all(void)
{
	struct nvg_job_obj *job, *tmp;
	struct nvg_dsq *dsq;
	unsigned long id, flags;
	u32 i;

	spin_lock_irqsave(&nvg_dsq_lock, flags);
	xa_for_each(&nvg_dsqs, id, dsq) {
		/*
		 * Interrupts are off and the kick work waits for this lock:
		 * visit only queues that hold jobs (a policy may have 128).
		 */
		for (i = 0; dsq->nr && i < NVG_DSQ_SLOTS; i++) {
			if (dsq->vtime)
				rbtree_postorder_for_each_entry_safe(job, tmp,
								     &dsq->tree[i].rb_root,
								     dsq_node)
					job->dsq = NULL;
			else
				list_for_each_entry_safe(job, tmp, &dsq->fifo[i], dsq_link)
					job->dsq = NULL;
		}
		xa_erase(&nvg_dsqs, id);
		kfree(dsq);
	}
	spin_unlock_irqrestore(&nvg_dsq_lock, flags);
}

/* Validate a policy's timeslice: 0 is the default. */
static bool nvg_slice_ok(u64 *slice_ns, struct nvg_job_obj *job)
{
	if (!*slice_ns) {
		*slice_ns = nvg_default_slice_ns();
		return true;
	}
	if (*slice_ns >= NVG_SLICE_MIN_NS && *slice_ns <= NVG_SLICE_MAX_NS)
		return true;
	nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID, "enqueue", *slice_ns,
		       "timeslice %llu ns for job %llu is outside [%llu, %llu]",
		       *slice_ns, job->pub.id, NVG_SLICE_MIN_NS, NVG_SLICE_MAX_NS);
	return false;
}

static void nvg_dsq_do_insert(struct nvg_job *pjob, u64 dsq_id, u64 slice_ns,
			      bool vtime_mode, u64 vtime, const char *kfunc)
{
	struct nvg_job_obj *job = container_of(pjob, struct nvg_job_obj, pub);
	struct nvg_dsq *dsq;
	unsigned long flags;
	u32 i;

	if (!nvg_kf_allowed(NVG_KF_ENQUEUE, kfunc) || !nvg_slice_ok(&slice_ns, job))
		return;

	spin_lock_irqsave(&nvg_dsq_lock, flags);
	dsq = nvg_dsq_find(dsq_id, kfunc);
	if (!dsq)
		goto out_unlock;
	if (job->dsq) {
		nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID, "enqueue", job->pub.id,
			       "%s(): job %llu is already in dispatch queue %llu",
			       kfunc, job->pub.id, job->dsq->id);
		goto out_unlock;
	}
	if (dsq->ordered && dsq->vtime != vtime_mode) {
		nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID, "enqueue", dsq_id,
			       "%s(): dispatch queue %llu is %s", kfunc, dsq_id,
			       dsq->vtime ? "ordered by vtime" : "FIFO");
		goto out_unlock;
	}
	if (!dsq->ordered) {
		/* The first insert fixes the mode; kzalloc() made empty trees. */
		dsq->ordered = true;
		dsq->vtime = vtime_mode;
		for (i = 0; !vtime_mode && i < NVG_DSQ_SLOTS; i++)
			INIT_LIST_HEAD(&dsq->fifo[i]);
	}
	job->pub.slice_ns = slice_ns;
	if (vtime_mode) {
		job->vtime = vtime;
		/* After every job with the same vtime: ties stay in arrival order. */
		rb_add_cached(&job->dsq_node, &dsq->tree[nvg_dsq_job_slot(job)], nvg_dsq_less);
	} else {
		list_add_tail(&job->dsq_link, &dsq->fifo[nvg_dsq_job_slot(job)]);
	}
	job->dsq = dsq;
	dsq->nr++;
out_unlock:
	spin_unlock_irqrestore(&nvg_dsq_lock, flags);
}

__bpf_kfunc_start_defs();

/**
 * nvg_dsq_create() - create a dispatch queue (from ops.init only)
 * @dsq_id: its id, below NVG_DSQ_MAX_ID.
 *
 * Return: 0, -EEXIST, -EINVAL for an id out of range, -EPERM outside init,
 * -ENOMEM.
 */
__bpf_kfunc s32 nvg_dsq_create(u64 dsq_id)
{
	struct nvg_dsq *dsq;
	int ret;

	if (current != READ_ONCE(nvg_kf_init_task)) {
		nvg_kf_allowed(0, "nvg_dsq_create");
		return -EPERM;
	}
	if (dsq_id >= NVG_DSQ_MAX_ID)
		return -EINVAL;
	dsq = kzalloc(sizeof(*dsq), GFP_KERNEL);
	if (!dsq)
		return -ENOMEM;
	dsq->id = dsq_id;
	ret = xa_insert_irq(&nvg_dsqs, dsq_id, dsq, GFP_KERNEL);
	if (ret) {
		kfree(dsq);
		return ret == -EBUSY ? -EEXIST : ret;
	}
	return 0;
}

/**
 * nvg_dsq_insert() - file a job in a FIFO dispatch queue (from ops.enqueue)
 * @job: the job being enqueued: the op's argument, nothing else
 *	(KF_TRUSTED_ARGS; the verifier refuses NULL or a policy's own copy).
 * @dsq_id: the queue.
 * @slice_ns: its timeslice; 0 for the default.
 * @enq_flags: reserved, 0.
 */
__bpf_kfunc void nvg_dsq_insert(struct nvg_job *job, u64 dsq_id, u64 slice_ns,
				u64 enq_flags)
{
	nvg_dsq_do_insert(job, dsq_id, slice_ns, false, 0, "nvg_dsq_insert");
}

/**
 * nvg_dsq_insert_vtime() - file a job in a queue ordered by virtual time
 *	(from ops.enqueue)
 * @job: the job being enqueued, as for nvg_dsq_insert().
 * @dsq_id: the queue.
 * @slice_ns: its timeslice; 0 for the default.
 * @vtime: its virtual time; the smallest runs first (wrap-safe compare).
 * @enq_flags: reserved, 0.
 */
__bpf_kfunc void nvg_dsq_insert_vtime(struct nvg_job *job, u64 dsq_id, u64 slice_ns,
				      u64 vtime, u64 enq_flags)
{
	nvg_dsq_do_insert(job, dsq_id, slice_ns, true, vtime, "nvg_dsq_insert_vtime");
}

/**
 * nvg_dsq_move_to_engine() - run the first job of a queue that waits for
 * the engine being dispatched (from ops.dispatch; once it moved a job,
 * calling it again in the same dispatch ejects the policy)
 * @dsq_id: the queue.
 *
 * Return: true if a job was moved.
 */
__bpf_kfunc bool nvg_dsq_move_to_engine(u64 dsq_id)
{
	struct nvg_kf_state *st = raw_cpu_ptr(&nvg_kf);
	struct nvg_job_obj *job = NULL;
	struct rb_root_cached *root;
	struct rb_node *first;
	struct nvg_dsq *dsq;
	unsigned long flags;
	bool moved = false;
	u32 slot;

	if (!nvg_kf_allowed(NVG_KF_DISPATCH, "nvg_dsq_move_to_engine"))
		return false;
	/* Trying several queues is fine; moving two jobs is not. */
	if (st->moved) {
		nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID, "dispatch", dsq_id,
			       "%s() called twice in one dispatch of gpu%u engine %u",
			       __func__, st->ndev->index, st->engine);
		return false;
	}
	spin_lock_irqsave(&nvg_dsq_lock, flags);
	dsq = nvg_dsq_find(dsq_id, "nvg_dsq_move_to_engine");
	if (dsq && dsq->ordered) {
		slot = nvg_dsq_slot(st->ndev->index, st->engine);
		if (dsq->vtime) {
			root = &dsq->tree[slot];
			first = rb_first_cached(root);
			if (first) {
				job = rb_entry(first, struct nvg_job_obj, dsq_node);
				rb_erase_cached(first, root);
			}
		} else {
			job = list_first_entry_or_null(&dsq->fifo[slot], struct nvg_job_obj,
						       dsq_link);
			if (job)
				list_del(&job->dsq_link);
		}
	}
	if (job) {
		dsq->nr--;
		job->dsq = NULL;
		st->moved = job;
		moved = true;
	}
	spin_unlock_irqrestore(&nvg_dsq_lock, flags);
	return moved;
}

/**
 * nvg_dsq_nr_queued() - how many jobs a dispatch queue holds
 * @dsq_id: the queue.
 *
 * Return: the count, or -ENOENT.
 */
__bpf_kfunc s32 nvg_dsq_nr_queued(u64 dsq_id)
{
	struct nvg_dsq *dsq;
	unsigned long flags;
	s32 nr = -ENOENT;

	spin_lock_irqsave(&nvg_dsq_lock, flags);
	dsq = dsq_id < NVG_DSQ_MAX_ID ? xa_load(&nvg_dsqs, dsq_id) : NULL;
	if (dsq)
		nr = dsq->nr;
	spin_unlock_irqrestore(&nvg_dsq_lock, flags);
	return nr;
}

/**
 * nvg_engine_preempt() - preempt the job an engine runs
 * @dev_index: the device.
 * @engine: the engine.
 *
 * The job stops at its next chunk boundary and goes back through
 * ops.enqueue() with NVG_ENQ_REQUEUE. Nothing happens if the engine is
 * idle. An engine that does not exist ejects the policy; a device that is
 * not there (unplugged) makes it a no-op.
 */
__bpf_kfunc void nvg_engine_preempt(u32 dev_index, u32 engine)
{
	struct nvg_device *ndev;

	if (!nvg_kf_allowed(NVG_KF_ENQUEUE | NVG_KF_DISPATCH | NVG_KF_RUNNING |
			    NVG_KF_STOPPING, "nvg_engine_preempt"))
		return;
	if (dev_index >= NVG_MAX_GPUS) {
		nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID, "preempt", dev_index,
			       "%s(): no gpu%u", __func__, dev_index);
		return;
	}
	dev_index = array_index_nospec(dev_index, NVG_MAX_GPUS);
	/*
	 * A device that is not there (any more) has nothing to preempt: the
	 * ops of its last jobs may run while it is being unplugged, after
	 * nvg_remove() unpublished it. Not the policy's fault.
	 */
	rcu_read_lock();
	ndev = READ_ONCE(nvg_devs_by_index[dev_index]);
	if (ndev && engine >= ndev->arb.nr_engines)
		nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID, "preempt", engine,
			       "%s(): no engine %u on gpu%u", __func__, engine, dev_index);
	else if (ndev)
		nvg_arbiter_request_preempt(ndev, engine);
	rcu_read_unlock();
}

/**
 * nvg_sched_error() - the policy gives up: eject it with @code
 * @code: the policy's own error code, shown in the exit record.
 *
 * Any op. The built-in default takes over at once, as for any ejection.
 */
__bpf_kfunc void nvg_sched_error(s64 code)
{
	struct nvg_kf_state *st = raw_cpu_ptr(&nvg_kf);

	nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_BPF, st->op ?: "-", code,
		       "the policy reported error %lld", code);
}

/**
 * nvg_device_now_ns() - a GPU's device time: what its PTIMER reads now
 * @dev_index: the device (the dev_index an op was given, or a job's,
 *	a context's, a flip's or a period's).
 *
 * Any op of any nvghost hook. The same clock as every time an op is
 * given (a job's enqueue_ns, a flip's now_ns, a vblank's time_ns): with
 * clock=live it follows CLOCK_MONOTONIC from the GPU's power-up, with
 * clock=virtual it moves only as the device's events are played. A policy
 * that takes its decisions on this clock, not on bpf_ktime_get_ns(),
 * decides the same in both modes. Each GPU has its own clock.
 *
 * Return: nanoseconds since the GPU powered up; 0 for a device index that
 * names no device (out of range, or a GPU being removed).
 */
__bpf_kfunc u64 nvg_device_now_ns(u32 dev_index)
{
	struct nvg_device *ndev;
	u64 now = 0;

	if (dev_index >= NVG_MAX_GPUS)
		return 0;
	dev_index = array_index_nospec(dev_index, NVG_MAX_GPUS);
	/*
	 * Sleepable ops (init, exit) run outside RCU: nvg_remove() unpublishes
	 * the device and then waits for a grace period before the hardware
	 * goes, so a device seen here is readable until the unlock.
	 */
	rcu_read_lock();
	ndev = READ_ONCE(nvg_devs_by_index[dev_index]);
	if (ndev)
		now = nvg_ptimer_read(ndev);
	rcu_read_unlock();
	return now;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(nvg_sched_kfunc_ids)
BTF_ID_FLAGS(func, nvg_dsq_create, KF_SLEEPABLE)
BTF_ID_FLAGS(func, nvg_dsq_insert, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nvg_dsq_insert_vtime, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, nvg_dsq_move_to_engine)
BTF_ID_FLAGS(func, nvg_dsq_nr_queued)
BTF_ID_FLAGS(func, nvg_engine_preempt)
BTF_ID_FLAGS(func, nvg_sched_error)
BTF_ID_FLAGS(func, nvg_device_now_ns)
BTF_ID_FLAGS(func, nvg_mem_prefetch)
BTF_ID_FLAGS(func, nvg_mem_lru_move)
BTF_ID_FLAGS(func, nvg_mem_evict_block)
BTF_KFUNCS_END(nvg_sched_kfunc_ids)

/*
 * The kfunc permissions: the nvg_sched_ops ops each kfunc may be called
 * from, and whether programs of the pacing and power hooks may call it
 * (docs/architecture.md has the table). No other program may call any.
 */
enum nvg_kfunc {
	NVG_KFUNC_DSQ_CREATE,
	NVG_KFUNC_DSQ_INSERT,
	NVG_KFUNC_DSQ_INSERT_VTIME,
	NVG_KFUNC_DSQ_MOVE_TO_ENGINE,
	NVG_KFUNC_DSQ_NR_QUEUED,
	NVG_KFUNC_ENGINE_PREEMPT,
	NVG_KFUNC_SCHED_ERROR,
	NVG_KFUNC_DEVICE_NOW_NS,
	NVG_KFUNC_MEM_PREFETCH,
	NVG_KFUNC_MEM_LRU_MOVE,
	NVG_KFUNC_MEM_EVICT_BLOCK,
	NVG_NR_KFUNCS,
};

/* In enum nvg_kfunc's order (a set is sorted by id, so a list). */
BTF_ID_LIST(nvg_kfunc_btf_ids)
BTF_ID(func, nvg_dsq_create)
BTF_ID(func, nvg_dsq_insert)
BTF_ID(func, nvg_dsq_insert_vtime)
BTF_ID(func, nvg_dsq_move_to_engine)
BTF_ID(func, nvg_dsq_nr_queued)
BTF_ID(func, nvg_engine_preempt)
BTF_ID(func, nvg_sched_error)
BTF_ID(func, nvg_device_now_ns)
BTF_ID(func, nvg_mem_prefetch)
BTF_ID(func, nvg_mem_lru_move)
BTF_ID(func, nvg_mem_evict_block)

#define NVG_KF_ANY	(BIT(NVG_SCHED_NR_OPS) - 1)
/* Beside the scheduling ops: any op of the pacing, of the power hook. */
#define NVG_KF_PACING	BIT(16)
#define NVG_KF_POWER	BIT(17)
/* The memory hook's ops (nvghost_mem_ops.c), one bit each. */
#define NVG_KF_MEM(op)		BIT(18 + (op))
#define NVG_KF_MEM_ANY		(NVG_KF_MEM(NVG_MEM_NR_OPS) - NVG_KF_MEM(0))
#define NVG_KF_EVERY_HOOK	(NVG_KF_ANY | NVG_KF_PACING | NVG_KF_POWER | NVG_KF_MEM_ANY)
static_assert(18 + NVG_MEM_NR_OPS <= 32);
static_assert(NVG_SCHED_NR_OPS <= 16);

static const u32 nvg_kfunc_ops[NVG_NR_KFUNCS] = {
	[NVG_KFUNC_DSQ_CREATE]		= NVG_KF_INIT,
	[NVG_KFUNC_DSQ_INSERT]		= NVG_KF_ENQUEUE,
	[NVG_KFUNC_DSQ_INSERT_VTIME]	= NVG_KF_ENQUEUE,
	[NVG_KFUNC_DSQ_MOVE_TO_ENGINE]	= NVG_KF_DISPATCH,
	[NVG_KFUNC_DSQ_NR_QUEUED]	= NVG_KF_ANY,
	[NVG_KFUNC_ENGINE_PREEMPT]	= NVG_KF_ENQUEUE | NVG_KF_DISPATCH |
					  NVG_KF_RUNNING | NVG_KF_STOPPING,
	[NVG_KFUNC_SCHED_ERROR]		= NVG_KF_ANY,
	[NVG_KFUNC_DEVICE_NOW_NS]	= NVG_KF_EVERY_HOOK,
	[NVG_KFUNC_MEM_PREFETCH]	= NVG_KF_MEM(NVG_MEM_OP_FAULT),
	[NVG_KFUNC_MEM_LRU_MOVE]	= NVG_KF_MEM(NVG_MEM_OP_ACCESS) |
					  NVG_KF_MEM(NVG_MEM_OP_ACTIVATE),
	[NVG_KFUNC_MEM_EVICT_BLOCK]	= NVG_KF_MEM(NVG_MEM_OP_EVICT),
};

/* What @prog is, as a bit of nvg_kfunc_ops[]'s masks; 0: none of ours. */
static u32 nvg_kfunc_prog_mask(const struct bpf_prog *prog)
{
	int op = nvg_sched_prog_op(prog);

	if (op >= 0)
		return BIT(op);
	if (nvg_pacing_prog(prog))
		return NVG_KF_PACING;
	if (nvg_power_prog(prog))
		return NVG_KF_POWER;
	op = nvg_mem_prog_op(prog);
	if (op >= 0)
		return NVG_KF_MEM(op);
	return 0;
}

/*
 * The kfunc set's filter, run by the verifier for each call of one of
 * our kfuncs: 0 lets the call through, anything else makes the program
 * fail to load with "calling kernel function %s is not allowed".
 */
static int nvg_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	u32 i;

	for (i = 0; i < NVG_NR_KFUNCS; i++)
		if (nvg_kfunc_btf_ids[i] == kfunc_id)
			return nvg_kfunc_ops[i] & nvg_kfunc_prog_mask(prog) ? 0 : -EACCES;
	return -EACCES;
}

/**
 * nvg_dsq_check_kfunc_ids() - do the build-time kfunc ids name functions
 *	in the module's BTF?
 * @btf: the module's BTF.
 *
 * Return: 0, or -EINVAL if one does not (the filter would then refuse
 * every call).
 */
int nvg_dsq_check_kfunc_ids(const struct btf *btf)
{
	const struct btf_type *t;
	u32 i;

	for (i = 0; i < NVG_NR_KFUNCS; i++) {
		t = btf_type_by_id(btf, nvg_kfunc_btf_ids[i]);
		if (!t || !btf_type_is_func(t))
			return -EINVAL;
	}
	return 0;
}

static const struct btf_kfunc_id_set nvg_sched_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &nvg_sched_kfunc_ids,
	.filter = nvg_kfunc_filter,
};

int nvg_dsq_register_kfuncs(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_STRUCT_OPS, &nvg_sched_kfunc_set);
}
