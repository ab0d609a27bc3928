// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_arbiter.c - per-engine run queues and the choice of what runs.
 *
 * The arbiter owns every runnable job, in per-engine FIFO queues. Whenever
 * an engine is idle it asks the scheduling policy which queued job to run
 * (ops.dispatch) and checks the answer; with no policy, no dispatch op, or
 * an answer of 0 it takes the oldest job (the built-in FIFO). Because the
 * jobs never leave the driver's hands, ejecting a policy loses nothing.
 *
 * A watchdog ejects a policy under which an engine's oldest job is passed
 * over for longer than the limit in force (ops.timeout_ms or the
 * sched_watchdog_ms parameter). Its clock runs only while the engine sits
 * idle with work queued, or runs a job other than the oldest: a job waiting
 * behind long jobs that run in order is not starved, and not the policy's
 * doing.
 *
 * Timeslices: a job runs for its slice (the policy's, or the default, the
 * sched_slice_us parameter: 5 ms);
 * when it is over and other work waits for the engine (or as soon as some
 * arrives), the engine is told to preempt it at its next chunk boundary,
 * and the job goes back to the tail of the engine's queue and through
 * ops.enqueue(NVG_ENQ_REQUEUE). That is the built-in rule; ops.slice_end
 * may instead let the job run on for a while. With no policy this is FIFO
 * round-robin. A policy may also preempt an engine
 * at once (nvg_engine_preempt()).
 *
 * Hangs: a submitted job may use job_timeout_ms of GPU time, counted over
 * every stretch it ran, however often it was preempted. The engine's timer
 * also marks the end of that budget (and ticks every 10 ms meanwhile); a
 * job that used it up is reset there and fails with -ETIMEDOUT. Time the
 * machine stalled (the timer fired late) is not the job's. A hung job that
 * shares its engine is therefore reset as surely as one that runs alone
 * (drm_sched's own timeout restarts with every job another channel
 * submits, and cannot be relied on for it).
 */
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_dsq.h"
#include "nvghost_job.h"
#include "nvghost_sched.h"
#include "nvghost_trace.h"

/* Bound on queued jobs per device: injected work must not eat the kernel. */
#define NVG_ARB_MAX_QUEUED	100000

static atomic64_t nvg_next_job_id = ATOMIC64_INIT(0);

/* The GPU time a submitted job may use before it counts as hung. */
static u64 nvg_job_budget_ns(void)
{
	return (u64)READ_ONCE(nvg_job_timeout_ms) * NSEC_PER_MSEC;
}

/*
 * While a submitted job runs, its engine's timer fires at least this often,
 * so that a stall of the machine (below) is seen whenever it happens.
 */
#define NVG_HANG_TICK_NS	(10 * NSEC_PER_MSEC)
/* A timer this late means the machine did not run: not GPU time. */
#define NVG_STALL_MIN_NS	NSEC_PER_MSEC

/*
 * GPU time @job used so far: earlier stretches and the current one, less
 * the time the machine stalled meanwhile. PTIMER follows the host's clock;
 * a host that stops running the simulated GPU (a loaded machine, a
 * descheduled VM) would otherwise make every job look hung.
 */
static u64 nvg_job_gpu_ns(struct nvg_job_obj *job, struct nvg_engine *eng, u64 now)
{
	u64 ns = job->pub.ran_ns;

	if (eng->running == job && now > job->start_ns)
		ns += now - job->start_ns;
	return ns > job->stall_ns ? ns - job->stall_ns : 0;
}

static void nvg_engine_complete(struct nvg_device *ndev, struct nvg_engine *eng);
static void nvg_arbiter_preempt_engine(struct nvg_device *ndev,
				       struct nvg_engine *eng, u32 reason);
static void nvg_hwjob_retire(struct nvg_device *ndev, struct nvg_job_obj *job,
			     enum nvg_hal_job_result result);
static void nvg_arbiter_queue(struct nvg_device *ndev, struct nvg_job_obj *job,
			      u64 enq_flags);

/*
 * A new job: give it an id and make it findable by it. Not under the
 * arbiter's lock (this may allocate).
 */
static int nvg_job_register(struct nvg_device *ndev, struct nvg_job_obj *job)
{
	job->pub.id = atomic64_inc_return(&nvg_next_job_id);
	return xa_insert_irq(&ndev->arb.jobs, job->pub.id, job, GFP_KERNEL);
}

/*
 * The job leaves the arbiter for good. Under arb->lock, which lookups by
 * id hold while they use what they found.
 */
static void nvg_job_free(struct nvg_device *ndev, struct nvg_job_obj *job)
{
	lockdep_assert_held(&ndev->arb.lock);
	xa_erase(&ndev->arb.jobs, job->pub.id);
	kfree(job);
}

/* Job @id, if it is queued on @eng (arb->lock held): O(1), not a scan. */
static struct nvg_job_obj *nvg_engine_find(struct nvg_device *ndev,
					   struct nvg_engine *eng, u64 id)
{
	struct nvg_job_obj *job = xa_load(&ndev->arb.jobs, id);

	return job && job->queued && job->pub.engine == eng->index ? job : NULL;
}

/* The job an idle engine runs next, or NULL. Called with arb->lock held. */
static struct nvg_job_obj *nvg_arbiter_pick(struct nvg_device *ndev,
					    struct nvg_engine *eng)
{
	struct nvg_arbiter *arb = &ndev->arb;
	struct nvg_job_obj *job, *moved;
	bool idle;
	u64 id;

	id = nvg_sched_dispatch(ndev, eng->index, eng->nr_queued, &idle, &moved);
	if (moved && id) {
		nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID, "dispatch", id,
			       "dispatch moved job %llu to gpu%u engine %u and also returned job %llu",
			       moved->pub.id, ndev->index, eng->index, id);
	} else if (moved) {
		arb->by_policy++;
		return moved;	/* already out of its dispatch queue */
	} else if (id) {
		job = nvg_engine_find(ndev, eng, id);
		if (job) {
			arb->by_policy++;
			nvg_dsq_remove(job);
			return job;
		}
		nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID, "dispatch", id,
			       "dispatch returned job %llu, which is not queued on gpu%u engine %u",
			       id, ndev->index, eng->index);
	} else if (idle) {
		return NULL;
	}
	arb->by_default++;
	job = list_first_entry(&eng->queue, struct nvg_job_obj, node);
	nvg_dsq_remove(job);
	job->pub.slice_ns = nvg_default_slice_ns();
	return job;
}

/* The slice is over: preempt if someone waits, else note it. Hard IRQ. */
static void nvg_engine_slice_timer(struct nvg_alarm *t)
{
	struct nvg_engine *eng = container_of(t, struct nvg_engine, slice_timer);
	struct nvg_arbiter *arb = container_of(eng, struct nvg_arbiter,
					       engines[eng->index]);
	struct nvg_device *ndev = container_of(arb, struct nvg_device, arb);
	s64 late = nvg_ptimer_read(ndev) - t->timestamp;

	if (late > NVG_STALL_MIN_NS)
		atomic64_add(late, &eng->stalled_ns);
	atomic_or(BIT(eng->index), &arb->slice_expired);
	nvg_arbiter_kick(ndev);
}

/* Tell the engine to stop its job at the next chunk. Arbiter lock held. */
static void nvg_arbiter_preempt_engine(struct nvg_device *ndev,
				       struct nvg_engine *eng, u32 reason)
{
	if (!eng->running || eng->preempting)
		return;
	eng->preempting = true;
	eng->running->stop_reason = reason;
	trace_nvghost_job_preempt(eng->running, reason);
	nvg_hw_eng_preempt(&ndev->hal, eng->index);
}

/**
 * nvg_arbiter_request_preempt() - a policy wants @engine preempted
 * @ndev: the device.
 * @engine: the engine.
 *
 * Any context (called from policy ops, under some arbiter lock).
 */
void nvg_arbiter_request_preempt(struct nvg_device *ndev, u32 engine)
{
	atomic_or(BIT(engine), &ndev->arb.preempt_req);
	nvg_arbiter_kick(ndev);
}

/*
 * Arm @eng's timer for the next moment the arbiter must look at its running
 * job: the end of its slice (unless that is over, or a preemption is on its
 * way) or the end of its GPU time budget, whichever comes first. Arbiter
 * lock held.
 */
static void nvg_engine_arm_timer(struct nvg_device *ndev, struct nvg_engine *eng)
{
	struct nvg_job_obj *job = eng->running;
	u64 now, end, used, budget, next = U64_MAX;

	if (!job)
		return;
	now = nvg_ptimer_read(ndev);
	if (!eng->slice_over && !eng->preempting) {
		end = job->start_ns + job->pub.slice_ns;
		next = end > now ? end - now : 0;
	}
	if (job->hw && !job->hw->timed_out) {
		used = nvg_job_gpu_ns(job, eng, now);
		budget = nvg_job_budget_ns();
		next = min3(next, budget > used ? budget - used : 0, NVG_HANG_TICK_NS);
	}
	if (next != U64_MAX)
		nvg_alarm_at(ndev, &eng->slice_timer, now + next);
}

/*
 * @eng's running job has used its slice up (@now: PTIMER). The policy may
 * let it run on (ops.slice_end); the built-in rule preempts it at once if
 * another job waits for the engine, else as soon as one arrives
 * (nvg_arbiter_queue() calls this again then). Arbiter lock held.
 */
static void nvg_engine_slice_end(struct nvg_device *ndev, struct nvg_engine *eng,
				 u64 now)
{
	struct nvg_job_obj *run = eng->running;
	u64 more = nvg_sched_slice_end(ndev, run, eng->nr_queued);

	if (more) {
		/* Its slice now ends @more from @now. */
		run->pub.slice_ns = now - run->start_ns + more;
		eng->slice_over = false;
		nvg_engine_arm_timer(ndev, eng);
	} else if (eng->nr_queued) {
		nvg_arbiter_preempt_engine(ndev, eng, NVG_JOB_SLICE_EXPIRED);
	} else {
		eng->slice_over = true;
	}
}

/*
 * The running job used up its GPU time: reset the engine under it. The
 * engine ends the job ABORTED at its next check, and the job fails with
 * -ETIMEDOUT (nvg_engine_complete() counts the reset). Arbiter lock held.
 */
static void nvg_engine_reset_hung(struct nvg_device *ndev, struct nvg_engine *eng,
				  u64 used_ns)
{
	struct nvg_job_obj *job = eng->running;

	drm_dbg_driver(&ndev->drm, "engine %u: job %llu hung (%llu ms of GPU time), resetting\n",
		       eng->index, job->pub.id, used_ns / NSEC_PER_MSEC);
	trace_nvghost_job_reset(job);
	job->hw->timed_out = true;
	nvg_hw_eng_reset(&ndev->hal, eng->index);
}

/*
 * An idle engine is about to start a job: how long did it sit idle while
 * work was queued (since its last job ended, or since the oldest queued job
 * became runnable, whichever is later)? A stall of the kind a hot swap must
 * not cause shows here. Arbiter lock held.
 */
static void nvg_engine_note_idle_gap(struct nvg_device *ndev, struct nvg_engine *eng)
{
	struct nvg_job_obj *oldest = list_first_entry(&eng->queue, struct nvg_job_obj, node);
	u64 from = max(eng->idle_since, oldest->pub.enqueue_ns);
	u64 now = nvg_ptimer_read(ndev);

	if (now > from && now - from > eng->max_idle_queued_ns)
		eng->max_idle_queued_ns = now - from;
}

static void nvg_engine_start(struct nvg_device *ndev, struct nvg_engine *eng,
			     struct nvg_job_obj *job)
{
	struct nvg_hal_job hw = { .token = job->pub.id };
	u32 n = eng->index;

	nvg_engine_note_idle_gap(ndev, eng);
	list_del(&job->node);
	job->queued = false;
	eng->nr_queued--;
	eng->running = job;
	eng->slice_over = false;
	eng->preempting = false;
	/* A preemption asked for before this job started was not for it. */
	atomic_andnot(BIT(n), &ndev->arb.preempt_req);
	if (!job->pub.slice_ns)
		job->pub.slice_ns = nvg_default_slice_ns();
	nvg_sched_running(job);
	trace_nvghost_job_start(job, nvg_sched_attached());

	job->start_ns = nvg_ptimer_read(ndev);
	trace_nvghost_job_dispatch(job, nvg_sched_attached());
	nvg_engine_arm_timer(ndev, eng);
	if (job->hw) {
		hw.pdb = job->hw->pdb;
		hw.pb_addr = job->hw->pb_addr;
		hw.pb_len = job->hw->pb_len;
	} else {
		hw.cost_ns = job->pub.cost_ns;
	}
	nvg_hw_eng_launch(&ndev->hal, n, &hw);
}

/* @eng's running job is done on the engine. Arbiter lock held. */
static bool nvg_engine_finished(struct nvg_device *ndev, struct nvg_engine *eng)
{
	return nvg_hw_eng_done_token(&ndev->hal, eng->index) == eng->running->pub.id &&
	       !(nvg_hw_eng_status(&ndev->hal, eng->index) & NVG_HAL_ENG_BUSY);
}

/*
 * The finished job on @engine has no completion on its way (neither raised
 * nor handled and waiting for the kick work): its interrupt was lost, and
 * is counted. Arbiter lock held.
 */
static bool nvg_engine_irq_lost(struct nvg_device *ndev, u32 engine)
{
	if ((atomic_read(&ndev->arb.done_pending) & BIT(engine)) ||
	    nvg_hw_eng_intr_pending(&ndev->hal, engine))
		return false;
	drm_dbg_driver(&ndev->drm, "engine %u: lost interrupt for job %llu\n", engine,
		       ndev->arb.engines[engine].running->pub.id);
	atomic64_inc(&ndev->irq_lost);
	return true;
}

/*
 * If @eng is idle and has work queued, let the policy (or FIFO) pick a job
 * and start it. Arbiter lock held. Return: whether a job started.
 */
static bool nvg_engine_dispatch(struct nvg_device *ndev, struct nvg_engine *eng)
{
	struct nvg_job_obj *job;

	if (eng->running || !eng->nr_queued)
		return false;
	job = nvg_arbiter_pick(ndev, eng);
	if (job && job == list_first_entry(&eng->queue, struct nvg_job_obj, node))
		eng->stall_since = 0;	/* the oldest is served */
	else if (!eng->stall_since)
		eng->stall_since = nvg_ptimer_read(ndev) ?: 1;
	if (!job)
		return false;
	nvg_engine_start(ndev, eng, job);
	return true;
}

static void nvg_arbiter_kick_workfn(struct work_struct *work)
{
	struct nvg_device *ndev = container_of(work, struct nvg_device, arb.kick_work);
	struct nvg_arbiter *arb = &ndev->arb;
	unsigned long flags;
	u32 i, done;

	u32 expired, preempt;

	expired = atomic_xchg(&arb->slice_expired, 0);
	preempt = atomic_xchg(&arb->preempt_req, 0);

	spin_lock_irqsave(&arb->lock, flags);
	if (arb->dead) {
		/*
		 * The device is gone (nvg_arbiter_unplug() ends every job) or
		 * going away (nvg_arbiter_fini()): start nothing, arm no timer.
		 */
		spin_unlock_irqrestore(&arb->lock, flags);
		return;
	}
	/* Under the lock: nvg_arbiter_recover() must see a completion in flight. */
	done = atomic_xchg(&arb->done_pending, 0);
	for (i = 0; i < arb->nr_engines; i++) {
		struct nvg_engine *eng = &arb->engines[i];

		if (done & BIT(i))
			nvg_engine_complete(ndev, eng);
		if (eng->running && (preempt & BIT(i)))
			nvg_arbiter_preempt_engine(ndev, eng, NVG_JOB_PREEMPTED);
		/* The timer may have been armed for a job that finished since. */
		if (eng->running && (expired & BIT(i))) {
			struct nvg_job_obj *run = eng->running;
			u64 now = nvg_ptimer_read(ndev), used;

			run->stall_ns += atomic64_xchg(&eng->stalled_ns, 0);
			used = nvg_job_gpu_ns(run, eng, now);

			if (run->hw && !run->hw->timed_out && used >= nvg_job_budget_ns()) {
				/* A job the engine finished is no hang, whatever its time. */
				if (!nvg_engine_finished(ndev, eng))
					nvg_engine_reset_hung(ndev, eng, used);
				else if (nvg_engine_irq_lost(ndev, i))
					nvg_engine_complete(ndev, eng);
			} else if (!eng->slice_over && !eng->preempting &&
				   now - run->start_ns >= run->pub.slice_ns) {
				nvg_engine_slice_end(ndev, eng, now);
			}
			nvg_engine_arm_timer(ndev, eng);
		}
		nvg_engine_dispatch(ndev, eng);
	}
	spin_unlock_irqrestore(&arb->lock, flags);
}

/**
 * nvg_arbiter_sync() - wait until no CPU is inside the arbiter's lock
 * @ndev: the device.
 *
 * A job's hardware fence is signalled under the lock, and the arbiter
 * touches the job until it lets go: what frees the job calls this first.
 */
void nvg_arbiter_sync(struct nvg_device *ndev)
{
	unsigned long flags;

	spin_lock_irqsave(&ndev->arb.lock, flags);
	spin_unlock_irqrestore(&ndev->arb.lock, flags);
}

void nvg_arbiter_kick(struct nvg_device *ndev)
{
	/* Virtual clock: in order with drm_sched's and the alarms' work. */
	if (!READ_ONCE(ndev->arb.dead)) {
		queue_work(ndev->vclock ? ndev->alarm_wq : system_highpri_wq,
			   &ndev->arb.kick_work);
		nvg_vgen_count(ndev);
	}
}

/* The watchdog's device alarm: look, in process context. Hard IRQ. */
static void nvg_arbiter_watchdog_alarm(struct nvg_alarm *alarm)
{
	struct nvg_device *ndev = container_of(alarm, struct nvg_device,
					       arb.watchdog_alarm);

	if (!READ_ONCE(ndev->arb.dead))
		queue_work(ndev->alarm_wq, &ndev->arb.watchdog);
}

/* The watchdog: eject a policy under which a runnable job waits too long. */
static void nvg_arbiter_watchdog_workfn(struct work_struct *work)
{
	struct nvg_device *ndev = container_of(work, struct nvg_device, arb.watchdog);
	u32 limit_ms = nvg_sched_watchdog_limit_ms();
	u64 stalled, id;
	u32 engine;

	if (nvg_sched_attached()) {
		stalled = nvg_arbiter_stalled_ns(ndev, &engine, &id);
		if (stalled > (u64)limit_ms * NSEC_PER_MSEC)
			nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_STALL, "dispatch", id,
				       "job %llu passed over for %llu ms on gpu%u engine %u (limit %u ms)",
				       id, stalled / NSEC_PER_MSEC, ndev->index,
				       engine, limit_ms);
	}
	if (!READ_ONCE(ndev->arb.dead))
		nvg_alarm_after(ndev, &ndev->arb.watchdog_alarm,
				(u64)clamp(limit_ms / 4, 10U, 250U) * NSEC_PER_MSEC);
}

void nvg_arbiter_init(struct nvg_device *ndev)
{
	struct nvg_arbiter *arb = &ndev->arb;
	u32 i;

	spin_lock_init(&arb->lock);
	/*
	 * IRQ-safe: jobs leave it under arb->lock, which the fast path takes
	 * in the engines' interrupt handler.
	 */
	xa_init_flags(&arb->jobs, XA_FLAGS_LOCK_IRQ);
	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		arb->engines[i].index = i;
		INIT_LIST_HEAD(&arb->engines[i].queue);
		nvg_alarm_init(&arb->engines[i].slice_timer, nvg_engine_slice_timer);
	}
	INIT_WORK(&arb->kick_work, nvg_arbiter_kick_workfn);
	INIT_WORK(&arb->watchdog, nvg_arbiter_watchdog_workfn);
	nvg_alarm_init(&arb->watchdog_alarm, nvg_arbiter_watchdog_alarm);
	nvg_alarm_after(ndev, &arb->watchdog_alarm, 100 * NSEC_PER_MSEC);
}

/* The watchdog and the slice timers, once nothing re-arms them (@dead). */
static void nvg_arbiter_stop_alarms(struct nvg_device *ndev)
{
	struct nvg_arbiter *arb = &ndev->arb;
	u32 i;

	nvg_alarm_cancel_sync(ndev, &arb->watchdog_alarm);
	cancel_work_sync(&arb->watchdog);
	nvg_alarm_cancel_sync(ndev, &arb->watchdog_alarm);
	for (i = 0; i < NVG_MAX_ENGINES; i++)
		nvg_alarm_cancel_sync(ndev, &arb->engines[i].slice_timer);
}

/*
 * Called with interrupts off at the GPU: nothing completes any more.
 *
 * The kick work arms the slice timers and a timer queues the kick work, so
 * neither can simply be cancelled before the other. First nothing may arm
 * or queue anything (@dead, under the lock the kick work starts jobs
 * under); then the kick work that may be running finishes; then the timers
 * it may have armed are cancelled; then a kick a firing timer queued
 * meanwhile is cancelled too (it would do nothing).
 */
void nvg_arbiter_fini(struct nvg_device *ndev)
{
	struct nvg_arbiter *arb = &ndev->arb;
	struct nvg_job_obj *job, *tmp;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&arb->lock, flags);
	WRITE_ONCE(arb->dead, true);
	spin_unlock_irqrestore(&arb->lock, flags);
	cancel_work_sync(&arb->kick_work);
	nvg_arbiter_stop_alarms(ndev);
	cancel_work_sync(&arb->kick_work);
	spin_lock_irqsave(&arb->lock, flags);
	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		struct nvg_engine *eng = &arb->engines[i];

		list_for_each_entry_safe(job, tmp, &eng->queue, node) {
			list_del(&job->node);
			nvg_dsq_remove(job);
			nvg_job_free(ndev, job);
		}
		eng->nr_queued = 0;
		if (eng->running) {
			nvg_sched_stopping(eng->running, NVG_JOB_FAILED);
			nvg_job_free(ndev, eng->running);
			eng->running = NULL;
		}
	}
	spin_unlock_irqrestore(&arb->lock, flags);
	xa_destroy(&arb->jobs);
}

/* Unplug: end @job, and its channel's backlog, with -ENODEV. Arbiter lock held. */
static void nvg_arbiter_fail(struct nvg_device *ndev, struct nvg_job_obj *job)
{
	struct nvg_job_obj *next, *tmp;
	struct nvg_chan *chan;

	if (job->hw) {
		chan = job->hw->chan;
		nvg_hwjob_complete(job->hw, -ENODEV);
		list_for_each_entry_safe(next, tmp, &chan->backlog, node) {
			list_del(&next->node);
			nvg_hwjob_complete(next->hw, -ENODEV);
			nvg_job_free(ndev, next);
		}
		chan->active = false;
	}
	nvg_job_free(ndev, job);
}

/**
 * nvg_arbiter_unplug() - the device is gone: end every job it holds
 * @ndev: the device, unplugged (drm_dev_unplug()).
 *
 * First the arbiter stops: it starts no job and touches no register any
 * more, and refuses new jobs (nvg_arbiter_submit_hw() returns -ENODEV, and
 * drm_sched fails the job's fence with it), so drm_sched drains on its own.
 * Then, with the interrupt freed and the hardware stopped, every running,
 * queued and backlogged job ends: a submitted job's fence completes with
 * -ENODEV, the policy sees its running jobs stop (NVG_JOB_FAILED) and
 * forgets the queued ones (they leave its dispatch queues), synthetic jobs
 * are freed.
 *
 * @stop_hw is called between the two steps. May sleep.
 */
void nvg_arbiter_unplug(struct nvg_device *ndev, void (*stop_hw)(struct nvg_device *))
{
	struct nvg_arbiter *arb = &ndev->arb;
	struct nvg_job_obj *job, *tmp;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&arb->lock, flags);
	arb->dead = true;
	spin_unlock_irqrestore(&arb->lock, flags);
	/* Nothing re-arms a slice timer once the arbiter is dead. */
	nvg_arbiter_stop_alarms(ndev);
	cancel_work_sync(&arb->kick_work);

	stop_hw(ndev);

	spin_lock_irqsave(&arb->lock, flags);
	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		struct nvg_engine *eng = &arb->engines[i];

		job = eng->running;
		eng->running = NULL;
		if (job) {
			nvg_sched_stopping(job, NVG_JOB_FAILED);
			nvg_arbiter_fail(ndev, job);
		}
		list_for_each_entry_safe(job, tmp, &eng->queue, node) {
			list_del(&job->node);
			nvg_dsq_remove(job);
			nvg_arbiter_fail(ndev, job);
		}
		eng->nr_queued = 0;
		eng->stall_since = 0;
	}
	spin_unlock_irqrestore(&arb->lock, flags);
}

/**
 * nvg_arbiter_submit() - queue a job on an engine
 * @ndev: the device.
 * @ctx: the context the job belongs to.
 * @engine: engine index.
 * @cost_ns: modelled GPU time.
 *
 * Return: 0, -EINVAL for a bad engine, -ENOMEM, -EBUSY when the device
 * already has %NVG_ARB_MAX_QUEUED jobs waiting, or -ENODEV once it is
 * unplugged.
 */
int nvg_arbiter_submit(struct nvg_device *ndev, struct nvg_ctx_obj *ctx,
		       u32 engine, u64 cost_ns)
{
	struct nvg_arbiter *arb = &ndev->arb;
	struct nvg_engine *eng;
	struct nvg_job_obj *job;
	unsigned long flags;

	if (engine >= arb->nr_engines)
		return -EINVAL;
	eng = &arb->engines[engine];
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	if (nvg_job_register(ndev, job)) {
		kfree(job);
		return -ENOMEM;
	}
	job->pub.ctx_id = ctx->pub.id;
	job->pub.ctx_prio = ctx->pub.prio;
	job->pub.ctx_pid = ctx->pub.pid;
	job->pub.dev_index = ndev->index;
	job->pub.engine = engine;
	job->pub.cost_ns = cost_ns;

	spin_lock_irqsave(&arb->lock, flags);
	if (arb->dead || eng->nr_queued >= NVG_ARB_MAX_QUEUED) {
		int ret = arb->dead ? -ENODEV : -EBUSY;

		/* Under the lock: a dispatch by id may have just looked it up. */
		nvg_job_free(ndev, job);
		spin_unlock_irqrestore(&arb->lock, flags);
		return ret;
	}
	nvg_arbiter_queue(ndev, job, 0);
	spin_unlock_irqrestore(&arb->lock, flags);

	nvg_arbiter_kick(ndev);
	return 0;
}

/* Add @job's stretch on its engine up to @end to its client's GPU time. */
static void nvg_client_add_busy(struct nvg_job_obj *job, u64 end)
{
	struct nvg_chan *chan = job->hw->chan;

	atomic64_add(end - job->start_ns, &chan->client->busy_ns[chan->engine ? 1 : 0]);
}

/**
 * nvg_arbiter_engine_intr() - take the engines' completion interrupts
 * @ndev: the device.
 * @faulted: set to the engines whose job ended in an MMU fault.
 *
 * Hard-IRQ context. The acknowledgment and the mark the kick work reads
 * (done_pending) are one step under arb->lock, which nvg_engine_irq_lost()
 * holds: between the two, a finished job had no completion on its way as
 * far as it could see, and a job timeout in that window counted its
 * interrupt as lost (seen under TCG on a loaded host, where a vCPU can
 * stop for milliseconds anywhere: 101 lost interrupts counted for 100
 * dropped).
 *
 * Return: the engines that finished a job.
 */
u32 nvg_arbiter_engine_intr(struct nvg_device *ndev, u32 *faulted)
{
	unsigned long flags;
	u32 done;

	spin_lock_irqsave(&ndev->arb.lock, flags);
	done = nvg_hw_eng_intr(&ndev->hal, faulted);
	atomic_or(done, &ndev->arb.done_pending);
	spin_unlock_irqrestore(&ndev->arb.lock, flags);
	return done;
}

/**
 * nvg_arbiter_engine_done() - engines reported completion (hard-IRQ context)
 * @ndev: the device.
 * @engines: bitmask of the engines that finished a job.
 *
 * After nvg_arbiter_engine_intr(), which recorded the bits; the kick work
 * completes the jobs, so that policy ops never run in hard-IRQ context.
 * With the fast path, what user space waits for (a job's out-fence) is
 * signalled here already when the engine reports its running job done
 * without error: the rest of the retirement (hardware fence, policy, the
 * channel's next job) no longer stands between the interrupt and the
 * waiter.
 */
void nvg_arbiter_engine_done(struct nvg_device *ndev, u32 engines)
{
	struct nvg_arbiter *arb = &ndev->arb;
	unsigned long bits = engines, flags;
	u32 i;

	if (nvg_fast(ndev)) {
		spin_lock_irqsave(&arb->lock, flags);
		for_each_set_bit(i, &bits, arb->nr_engines) {
			struct nvg_job_obj *job = arb->engines[i].running;

			/* (once: a second report of the same end counts nothing) */
			if (arb->dead || !job || !job->hw || !job->hw->out_fence ||
			    job->done_in_irq ||
			    nvg_hw_eng_done_token(&ndev->hal, i) != job->pub.id ||
			    nvg_hw_eng_result(&ndev->hal, i) != NVG_HAL_JOB_OK)
				continue;
			/* GPU time first: fdinfo shows it once the waiter wakes */
			job->done_ns = nvg_ptimer_read(ndev);
			job->done_in_irq = true;
			nvg_client_add_busy(job, job->done_ns);
			nvg_out_fence_signal_now(ndev, job->hw->out_fence);
			arb->irq_signals++;
		}
		spin_unlock_irqrestore(&arb->lock, flags);
	}
	nvg_arbiter_kick(ndev);
}

/* Retire the job engine @eng finished. Called with arb->lock held. */
static void nvg_engine_complete(struct nvg_device *ndev, struct nvg_engine *eng)
{
	struct nvg_job_obj *job = eng->running;
	enum nvg_hal_job_result result;
	u32 n = eng->index;
	u64 done;

	done = nvg_hw_eng_done_token(&ndev->hal, n);
	if (!job || job->pub.id != done) {
		drm_dbg_driver(&ndev->drm, "engine %u: stale completion %llu\n", n, done);
		return;
	}
	result = nvg_hw_eng_result(&ndev->hal, n);
	nvg_alarm_cancel(ndev, &eng->slice_timer);
	eng->running = NULL;
	eng->preempting = false;
	/* The fast path saw it end in the interrupt: that was the engine's end. */
	eng->idle_since = job->done_in_irq ? job->done_ns : nvg_ptimer_read(ndev);
	job->pub.ran_ns += eng->idle_since - job->start_ns;
	/*
	 * Its client's GPU time grows with each stretch it ran, preempted or
	 * not (the last one counted already if the fast path signalled it).
	 */
	if (job->hw && !job->done_in_irq)
		nvg_client_add_busy(job, eng->idle_since);
	if (result == NVG_HAL_JOB_PREEMPTED) {
		/*
		 * A reset that came as the job was being preempted found the
		 * engine idle: its budget is spent, so it is reset again as
		 * soon as it runs.
		 */
		if (job->hw)
			job->hw->timed_out = false;
		/* Its context is saved: back to the tail, and to the policy. */
		ndev->arb.preemptions++;
		nvg_sched_stopping(job, job->stop_reason);
		nvg_arbiter_queue(ndev, job, NVG_ENQ_REQUEUE);
		return;
	}
	eng->completed++;
	if (result == NVG_HAL_JOB_ABORTED && job->hw && job->hw->timed_out)
		atomic64_inc(&ndev->engine_resets);
	trace_nvghost_job_done(job, nvg_ptimer_read(ndev));
	nvg_sched_stopping(job, result == NVG_HAL_JOB_OK ? NVG_JOB_COMPLETED :
							      NVG_JOB_FAILED);
	if (job->hw)
		nvg_hwjob_retire(ndev, job, result);
	nvg_job_free(ndev, job);
}

static int nvg_result_errno(struct nvg_device *ndev, struct nvg_job_obj *job,
			    enum nvg_hal_job_result result)
{
	u32 n = job->pub.engine;
	u64 va;

	switch (result) {
	case NVG_HAL_JOB_OK:
		return 0;
	case NVG_HAL_JOB_FAULT:
		va = nvg_hw_eng_fault_va(&ndev->hal, n);
		drm_dbg_driver(&ndev->drm, "engine %u: job %llu MMU fault at 0x%llx\n",
			       n, job->pub.id, va);
		trace_nvghost_job_fault(job, va);
		return -EFAULT;
	case NVG_HAL_JOB_ABORTED:
		return job->hw->timed_out ? -ETIMEDOUT : -ECANCELED;
	default:
		return -EIO;
	}
}

/*
 * Make @job runnable: the tail of its engine's queue, then the policy.
 * Arbiter lock held.
 */
static void nvg_arbiter_queue(struct nvg_device *ndev, struct nvg_job_obj *job,
			      u64 enq_flags)
{
	struct nvg_engine *eng = &ndev->arb.engines[job->pub.engine];

	job->pub.enqueue_ns = nvg_ptimer_read(ndev);
	job->pub.slice_ns = 0;
	list_add_tail(&job->node, &eng->queue);
	job->queued = true;
	eng->nr_queued++;
	trace_nvghost_job_queue(job);
	nvg_sched_enqueue(job, enq_flags);
	/* The running job used its slice up while nobody waited: now someone does. */
	if (eng->slice_over && eng->running)
		nvg_engine_slice_end(ndev, eng, job->pub.enqueue_ns);
}

/*
 * A submitted job left its engine: signal it, and make the channel's next
 * job runnable (or, if the channel is now guilty, cancel its backlog).
 * Arbiter lock held.
 */
static void nvg_hwjob_retire(struct nvg_device *ndev, struct nvg_job_obj *job,
			     enum nvg_hal_job_result result)
{
	struct nvg_chan *chan = job->hw->chan;
	struct nvg_job_obj *next;

	nvg_hwjob_complete(job->hw, nvg_result_errno(ndev, job, result));
	chan->active = false;
	while ((next = list_first_entry_or_null(&chan->backlog, struct nvg_job_obj,
						node))) {
		list_del(&next->node);
		if (!chan->guilty) {
			chan->active = true;
			nvg_arbiter_queue(ndev, next, 0);
			break;
		}
		nvg_hwjob_complete(next->hw, -ECANCELED);
		nvg_job_free(ndev, next);
	}
}

/**
 * nvg_arbiter_submit_hw() - a submitted job's dependencies are met
 * @ndev: the device.
 * @hw: the job.
 *
 * A channel runs in order: only its oldest unfinished job is runnable (and
 * offered to the policy); the others wait in the channel's backlog. With
 * the fast path, an idle engine is given work here, as the kick work would
 * (the policy's dispatch picks), instead of a work item later.
 *
 * Return: 0, -ENOMEM, or -ENODEV once the device is unplugged.
 */
int nvg_arbiter_submit_hw(struct nvg_device *ndev, struct nvg_hwjob *hw)
{
	struct nvg_arbiter *arb = &ndev->arb;
	struct nvg_chan *chan = hw->chan;
	struct nvg_job_obj *job;
	unsigned long flags;
	bool started = false;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	if (nvg_job_register(ndev, job)) {
		kfree(job);
		return -ENOMEM;
	}
	job->hw = hw;
	job->pub.ctx_id = chan->ctx->pub.id;
	job->pub.ctx_prio = chan->ctx->pub.prio;
	job->pub.ctx_pid = chan->ctx->pub.pid;
	job->pub.dev_index = ndev->index;
	job->pub.engine = chan->engine;

	spin_lock_irqsave(&arb->lock, flags);
	if (arb->dead) {
		nvg_job_free(ndev, job);
		spin_unlock_irqrestore(&arb->lock, flags);
		return -ENODEV;
	}
	if (hw->early)
		arb->early_submits++;
	if (chan->active) {
		list_add_tail(&job->node, &chan->backlog);
	} else {
		chan->active = true;
		nvg_arbiter_queue(ndev, job, 0);
		if (nvg_fast(ndev))
			started = nvg_engine_dispatch(ndev, &arb->engines[chan->engine]);
		if (started)
			arb->direct_starts++;
	}
	spin_unlock_irqrestore(&arb->lock, flags);
	if (started)
		nvg_vgen_count(ndev);	/* what a kick counts, for a settle */
	else
		nvg_arbiter_kick(ndev);
	return 0;
}

/**
 * nvg_arbiter_recover() - drm_sched saw no progress on @engine for a timeout
 * @ndev: the device.
 * @engine: the engine.
 *
 * If the engine already finished its job but the interrupt never came, the
 * job is retired now. If its job has used the whole timeout of GPU time
 * (over all its stretches), the engine is reset: the job ends ABORTED and
 * fails with -ETIMEDOUT; the engine's own timer normally got there first.
 * Otherwise nothing hangs (the engine is busy with jobs that do finish, or
 * a policy holds work back, which the watchdog deals with).
 */
void nvg_arbiter_recover(struct nvg_device *ndev, u32 engine)
{
	struct nvg_engine *eng = &ndev->arb.engines[engine];
	struct nvg_arbiter *arb = &ndev->arb;
	struct nvg_job_obj *job;
	unsigned long flags;
	u64 used;

	spin_lock_irqsave(&arb->lock, flags);
	if (arb->dead) {
		spin_unlock_irqrestore(&arb->lock, flags);
		return;
	}
	job = eng->running;
	if (!job)
		goto out_unlock;
	if (nvg_engine_finished(ndev, eng)) {
		/*
		 * Lost, unless it is still on its way: raised and not yet
		 * handled, or handled and not yet retired (a job preempted
		 * just now, say).
		 */
		nvg_engine_irq_lost(ndev, engine);
		atomic_or(BIT(engine), &arb->done_pending);
	} else if (job->hw && !job->hw->timed_out) {
		job->stall_ns += atomic64_xchg(&eng->stalled_ns, 0);
		used = nvg_job_gpu_ns(job, eng, nvg_ptimer_read(ndev));
		if (used >= nvg_job_budget_ns())
			nvg_engine_reset_hung(ndev, eng, used);
	}
out_unlock:
	spin_unlock_irqrestore(&arb->lock, flags);
	nvg_arbiter_kick(ndev);
}

/**
 * nvg_arbiter_replay() - tell a newly attached policy about queued jobs
 * @ndev: the device.
 *
 * Jobs the new policy's generation has not seen get ops.enqueue, in queue
 * order; the generation stamp makes this exactly-once against submissions
 * racing with it.
 */
void nvg_arbiter_replay(struct nvg_device *ndev)
{
	struct nvg_arbiter *arb = &ndev->arb;
	struct nvg_job_obj *job;
	unsigned long flags;
	u64 gen = nvg_sched_generation();
	u32 i;

	spin_lock_irqsave(&arb->lock, flags);
	for (i = 0; i < arb->nr_engines; i++)
		list_for_each_entry(job, &arb->engines[i].queue, node)
			if (job->enq_gen != gen)
				nvg_sched_enqueue(job, NVG_ENQ_REPLAY);
	spin_unlock_irqrestore(&arb->lock, flags);
}

/**
 * nvg_arbiter_stalled_ns() - the longest an engine's oldest job has been
 * passed over (see the watchdog rule at the top of this file)
 * @ndev: the device.
 * @engine: set to that engine.
 * @job_id: set to its oldest job.
 *
 * Return: the time in ns, 0 if no engine is stalling.
 */
u64 nvg_arbiter_stalled_ns(struct nvg_device *ndev, u32 *engine, u64 *job_id)
{
	struct nvg_arbiter *arb = &ndev->arb;
	struct nvg_job_obj *job;
	unsigned long flags;
	u64 now, worst = 0;
	u32 i;

	*engine = 0;
	*job_id = 0;
	spin_lock_irqsave(&arb->lock, flags);
	/* Under the lock: stall_since is set under it, and must not be later. */
	now = nvg_ptimer_read(ndev);
	for (i = 0; i < arb->nr_engines; i++) {
		struct nvg_engine *eng = &arb->engines[i];

		job = list_first_entry_or_null(&eng->queue, struct nvg_job_obj, node);
		if (!job) {
			eng->stall_since = 0;
			continue;
		}
		if (eng->stall_since && now - eng->stall_since > worst) {
			worst = now - eng->stall_since;
			*engine = i;
			*job_id = job->pub.id;
		}
	}
	spin_unlock_irqrestore(&arb->lock, flags);
	return worst;
}

/**
 * nvg_arbiter_idle() - does the GPU have no job queued or running?
 * @ndev: the device.
 *
 * Return: true if no engine has a job queued or running (what the arbiter
 * knows: jobs still waiting in drm_sched for their dependencies are not
 * counted).
 */
bool nvg_arbiter_idle(struct nvg_device *ndev)
{
	struct nvg_arbiter *arb = &ndev->arb;
	unsigned long flags;
	bool idle = true;
	u32 i;

	spin_lock_irqsave(&arb->lock, flags);
	for (i = 0; i < arb->nr_engines; i++)
		if (arb->engines[i].nr_queued || arb->engines[i].running)
			idle = false;
	spin_unlock_irqrestore(&arb->lock, flags);
	return idle;
}

int nvg_arbiter_show(struct nvg_device *ndev, struct seq_file *m)
{
	struct nvg_arbiter *arb = &ndev->arb;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&arb->lock, flags);
	seq_printf(m, "dispatched_by_policy: %llu\n", arb->by_policy);
	seq_printf(m, "dispatched_by_default: %llu\n", arb->by_default);
	seq_printf(m, "preemptions: %llu\n", arb->preemptions);
	seq_printf(m, "fast_path: early_submits %llu direct_starts %llu irq_signals %llu\n",
		   arb->early_submits, arb->direct_starts, arb->irq_signals);
	for (i = 0; i < arb->nr_engines; i++) {
		struct nvg_engine *eng = &arb->engines[i];

		seq_printf(m, "engine %u: class 0x%04x queued %u running %llu completed %llu max_idle_queued_us %llu\n",
			   i, eng->class_id, eng->nr_queued,
			   eng->running ? eng->running->pub.id : 0ULL,
			   eng->completed, eng->max_idle_queued_ns / NSEC_PER_USEC);
	}
	spin_unlock_irqrestore(&arb->lock, flags);
	return 0;
}
