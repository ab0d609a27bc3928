// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_exec.c - the simulated engines execute jobs.
 *
 * The engine fetches the job's pushbuffer from VRAM and decodes it with the
 * same parser the driver validated it with (nvghost_pb.c), then performs
 * each operation: data really moves, through the MMU. Time is modelled: each
 * operation costs GPU time from the chip's clock and bandwidths (PCIe when
 * system memory is involved), and the engine does not finish a chunk before
 * its modelled time has passed. A synthetic job (no pushbuffer) is just
 * modelled time.
 *
 * Compute (BUSY cycles) runs at the graphics clock of the current p-state
 * (nvg_sim_power.c), read again at every step, so a clock change takes
 * effect within NVG_SIM_BUSY_STEP even in the middle of a job. Copies, fills
 * and checksums stay bandwidth-bound: GDDR runs on its own memory clock,
 * which the p-states here do not change. A synthetic job's COST is a
 * duration, not work, and does not scale either. An engine that was
 * power-gated pays its ungating latency before the job starts.
 *
 * Work is split into chunks of at most NVG_SIM_CHUNK bytes or
 * NVG_SIM_BUSY_STEP of compute. Between chunks the engine checks for RESET
 * (abort the job) and PREEMPT: it then saves the job's context — decoder
 * state and progress within the current operation — keyed by the job's
 * token, and reports PREEMPTED. Launching the same token again resumes it
 * where it stopped, after a modelled context switch.
 *
 * Virtual mode (nvg_sim_clock.c): the engine waits for device time instead
 * of host time, blocked on one event of the virtual clock. Compute does not
 * wait chunk by chunk: the engine registers one event at the modelled end
 * of the job's compute (the same sum of chunks live mode paces) and sleeps
 * until then; a PREEMPT or a clock change wakes it, and it plans again from
 * the next chunk boundary after that moment: the chunk in progress is
 * finished (and counted) at that boundary, where a PREEMPT then stops the
 * job. Copies and other operations wait at each of their chunks. A RESET
 * ends any wait at once.
 */
#include <linux/delay.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "nvg_sim_priv.h"
#include "../nvghost_pb.h"
#include "../nvghost_regs.h"

#define NVG_SIM_CHUNK		(256 * 1024)
#define NVG_SIM_BUSY_STEP	(100 * NSEC_PER_USEC)
#define NVG_SIM_BOUNCE		4096
/* How often a semaphore acquire looks at memory again. */
#define NVG_SIM_POLL_US		20
/* Fixed cost of an operation: method decode, semaphore write. */
#define NVG_SIM_OP_NS		500
/* Saving or restoring a job's context on a preemption. */
#define NVG_SIM_CTXSW_NS	(20 * NSEC_PER_USEC)
/* Even an empty job costs a little: the engine's launch latency. */
#define NVG_SIM_MIN_COST_NS	2000

/**
 * struct nvg_sim_job - a job's execution context, kept across preemptions
 * @pb: its pushbuffer, fetched from VRAM (NULL: synthetic job).
 * @parser: decoder state.
 * @op: the operation in progress, when @have_op.
 * @have_op: @op was started and not finished.
 * @line: copies: the line in progress.
 * @done: progress within the line (copies, in elements) or the op (bytes).
 * @sum: checksum so far.
 * @busy_left_ns: modelled time left of a synthetic job.
 * @busy_left_cycles: cycles left of a BUSY op.
 * @hung: a hang was injected: the job makes no progress, ever.
 * @mig_inject: NVG_SIM_INJECT_MIG_HANG or _MIG_FAULT, injected for its
 *	first replayable fault (kept across preemptions, as @hung).
 */
struct nvg_sim_job {
	u32 *pb;
	struct nvg_pb_parser parser;
	struct nvg_pb_op op;
	bool have_op;
	u32 line;
	u64 done;
	u32 sum;
	u64 busy_left_ns;
	u64 busy_left_cycles;
	bool hung;
	u32 mig_inject;
};

/* One stretch of execution of a job on an engine. */
struct nvg_sim_run {
	struct nvg_sim_engine *e;
	struct nvg_sim_job *job;
	u64 start_ns;		/* host (virtual mode: device) time the stretch started */
	u64 model_ns;		/* modelled GPU time spent so far */
	bool sys;		/* the chunk being paced touched system memory */
	u64 fault_va;
	u8 *src;		/* bounce buffers, NVG_SIM_BOUNCE each */
	u8 *dst;
	/* virtual mode: a wait deferred by nvg_sim_pace_later() */
	u64 owed_due;		/* until this device time (0: none) */
	bool owed_check;	/* then look at RESET and PREEMPT */
	bool save_paid;		/* the last wait included the context save */
};

/* A chip calibrated on real hardware brings its own figures (nvghost_chip.c). */
static u32 nvg_sim_op_ns(const struct nvg_sim_run *r)
{
	return r->e->sim->chip->op_ns ?: NVG_SIM_OP_NS;
}

/* Virtual mode: the engine's event came; let it run. */
void nvg_sim_exec_event(struct nvg_sim_event *ev)
{
	struct nvg_sim_engine *e = container_of(ev, struct nvg_sim_engine, ev);
	unsigned long flags;

	spin_lock_irqsave(&e->sim->lock, flags);
	nvg_sim_engine_vwake(e, true);
	spin_unlock_irqrestore(&e->sim->lock, flags);
}

/*
 * Virtual mode: the executor runs at the device time it was launched or
 * woken at, for a settle waits until it blocks again before the clock
 * moves. If the clock moved meanwhile, a settle let it go on without
 * this engine, and what the engine does next happens late. sim->lock held.
 */
static void nvg_sim_exec_late(struct nvg_sim_engine *e, const char *what)
{
	if (unlikely(e->woke_at != e->sim->clk.now && !e->abort))
		pr_warn_ratelimited("nvghost-sim: engine %u %s at %llu ns ran at %llu ns: a settle did not wait for it\n",
				    e->index, what, e->woke_at, e->sim->clk.now);
}

/*
 * Virtual mode: block until device time reaches @due (U64_MAX: only until
 * woken), a RESET, or, unless @hard, a PREEMPT or a clock change. While
 * blocked the engine counts as settled.
 *
 * Return: true if device time reached @due.
 */
static bool nvg_sim_vwait(struct nvg_sim_engine *e, u64 due, bool hard)
{
	struct nvg_sim *sim = e->sim;
	unsigned long flags;
	bool reached;

	spin_lock_irqsave(&sim->lock, flags);
	/* Its time passed while it computed: a settle did not wait for it. */
	if (unlikely(due != U64_MAX && due < sim->clk.now && !e->abort))
		pr_warn_ratelimited("nvghost-sim: engine %u planned for %llu ns, the clock is at %llu ns already\n",
				    e->index, due, sim->clk.now);
	if (due > sim->clk.now && !e->abort &&
	    (hard || !(e->preempt || e->replan))) {
		e->vhard = hard;
		e->vstate = NVG_SIM_ENG_BLOCKED;
		if (due != U64_MAX)
			nvg_sim_event_add(sim, &e->ev, due);
		atomic64_inc(&sim->clk.gen);
		wake_up(&sim->clk.settle_wq);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	wait_event(e->wake, READ_ONCE(e->vstate) != NVG_SIM_ENG_BLOCKED);
	spin_lock_irqsave(&sim->lock, flags);
	nvg_sim_exec_late(e, "woken");
	nvg_sim_event_del(sim, &e->ev);
	reached = sim->clk.now >= due;
	spin_unlock_irqrestore(&sim->lock, flags);
	return reached;
}

/* Virtual mode: start planning with the clock of now. */
static u32 nvg_sim_plan_begin(struct nvg_sim_engine *e)
{
	unsigned long flags;
	u32 mhz;

	spin_lock_irqsave(&e->sim->lock, flags);
	e->replan = false;
	mhz = e->sim->pwr.mhz;
	spin_unlock_irqrestore(&e->sim->lock, flags);
	return mhz;
}

static int nvg_sim_stop_check(struct nvg_sim_engine *e)
{
	if (READ_ONCE(e->abort))
		return -EINTR;
	if (READ_ONCE(e->preempt))
		return -EAGAIN;
	return 0;
}

/* Let host time catch up with the model, then look at RESET and PREEMPT. */
static int nvg_sim_pace(struct nvg_sim_run *r, u64 cost_ns)
{
	u64 now, due;

	/* Migrations that ran on this (copy) engine meanwhile took its time. */
	r->model_ns += cost_ns + atomic64_xchg(&r->e->steal_ns, 0);
	due = r->start_ns + r->model_ns;
	if (r->e->sim->clk.virt) {
		/* The chunk completes at its modelled time, PREEMPT or not. */
		nvg_sim_vwait(r->e, due, true);
		return nvg_sim_stop_check(r->e);
	}
	now = ktime_get_ns();
	/* Sleep until the model is due, or until told to stop. */
	if (due > now + 20 * NSEC_PER_USEC)
		wait_event_hrtimeout(r->e->wake, READ_ONCE(r->e->abort) ||
				     READ_ONCE(r->e->preempt), ns_to_ktime(due - now));
	else
		cond_resched();
	if (READ_ONCE(r->e->abort))
		return -EINTR;
	if (READ_ONCE(r->e->preempt))
		return -EAGAIN;
	return 0;
}

/* Transfer time for @bytes; GB/s is bytes per ns. */
static int nvg_sim_pace_bytes(struct nvg_sim_run *r, u64 bytes)
{
	const struct nvg_chip *chip = r->e->sim->chip;
	u64 ns = div_u64(bytes, r->sys ? chip->pcie_gbps : chip->vram_gbps);

	r->sys = false;
	return nvg_sim_pace(r, ns);
}

/*
 * Model @cost_ns as nvg_sim_pace() does, but in virtual mode do not wait
 * for it yet: the wait is owed, and taken by whatever the engine does
 * next (nvg_sim_owed_wait()), or folded into the next compute's wait
 * (nvg_sim_do_busy_virtual()). Nothing the engine does in between is
 * seen outside it (no memory access, no interrupt), so the engine acts
 * at the same device times as if it had waited, with one event of the
 * virtual clock instead of two. @check: look at RESET and PREEMPT when
 * the wait is over, as nvg_sim_pace() would have.
 *
 * Return: as nvg_sim_pace(); in virtual mode 0.
 */
static int nvg_sim_pace_later(struct nvg_sim_run *r, u64 cost_ns, bool check)
{
	int ret;

	if (!r->e->sim->clk.virt) {
		ret = nvg_sim_pace(r, cost_ns);
		return check ? ret : 0;
	}
	r->model_ns += cost_ns + atomic64_xchg(&r->e->steal_ns, 0);
	r->owed_due = r->start_ns + r->model_ns;
	r->owed_check |= check;
	return 0;
}

/* Take the wait that nvg_sim_pace_later() deferred, if any. */
static int nvg_sim_owed_wait(struct nvg_sim_run *r)
{
	bool check = r->owed_check;
	u64 due = r->owed_due;

	if (!due)
		return 0;
	r->owed_due = 0;
	r->owed_check = false;
	nvg_sim_vwait(r->e, due, true);
	return check ? nvg_sim_stop_check(r->e) : 0;
}

/*
 * Stall on a posted replayable fault until the driver replays or cancels
 * it, or the engine is reset or preempted (nvg_sim_fault.c).
 */
static int nvg_sim_fault_wait(struct nvg_sim_engine *e, u64 *mig_done)
{
	struct nvg_sim *sim = e->sim;
	unsigned long flags;

	if (!sim->clk.virt) {
		wait_event(e->wake, !READ_ONCE(e->fault_stalled) ||
			   READ_ONCE(e->abort) || READ_ONCE(e->preempt) ||
			   READ_ONCE(sim->stopped));
		return nvg_sim_fault_wait_end(e, mig_done);
	}
	/* Virtual mode: blocked, with no event of its own, like a hang. */
	spin_lock_irqsave(&sim->lock, flags);
	if (e->fault_stalled && !e->abort && !e->preempt) {
		e->vhard = false;
		e->vstate = NVG_SIM_ENG_BLOCKED;
		atomic64_inc(&sim->clk.gen);
		wake_up(&sim->clk.settle_wq);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	wait_event(e->wake, READ_ONCE(e->vstate) != NVG_SIM_ENG_BLOCKED);
	return nvg_sim_fault_wait_end(e, mig_done);
}

static int nvg_sim_do_hang(struct nvg_sim_run *r);

static int nvg_sim_rw(struct nvg_sim_run *r, u64 va, void *buf, u32 len,
		      bool write)
{
	struct nvg_sim_engine *e = r->e;
	bool sys = false, replayed = false;
	int ret;

	if (e->active_inject & NVG_SIM_INJECT_FAULT) {
		r->fault_va = va;
		return -EFAULT;
	}
	for (;;) {
		u64 mig_done, now;

		ret = nvg_sim_mmu_access(e, e->pdb, va, buf, len, write, &sys,
					 &r->fault_va);
		r->sys |= sys;
		/*
		 * Injected: hung, or a fault, once this access's own fault was
		 * serviced -- its replay finds the page. A replay may also come
		 * for another engine's fault, with this one not yet serviced:
		 * the access then faults again, as on hardware.
		 */
		if (!ret && replayed && (r->job->mig_inject & NVG_SIM_INJECT_MIG_FAULT))
			return -EFAULT;
		if (!ret && replayed && (r->job->mig_inject & NVG_SIM_INJECT_MIG_HANG)) {
			r->job->hung = true;
			return nvg_sim_do_hang(r);
		}
		if (!ret && e->mig_wait) {
			/* a page still migrating in (a prefetch): wait for its end */
			now = nvg_sim_time(e->sim);
			mig_done = e->mig_wait;
			e->mig_wait = 0;
			if (mig_done > now) {
				r->start_ns = (e->sim->clk.virt ? now : ktime_get_ns()) -
					      r->model_ns;
				return nvg_sim_pace(r, mig_done - now);
			}
		}
		if (ret != -ENODATA)
			return ret;
		/*
		 * A replayable fault: stall until the driver replays (retry
		 * the access) or cancels it (a fatal fault). Waiting is not
		 * work; the migration that serviced it is: the access goes on
		 * once the copy engine finished it.
		 */
		ret = nvg_sim_fault_post(e, e->pdb, r->fault_va, write) ?:
		      nvg_sim_fault_wait(e, &mig_done);
		if (ret)
			return ret;
		replayed = true;
		now = nvg_sim_time(e->sim);
		r->start_ns = (e->sim->clk.virt ? now : ktime_get_ns()) - r->model_ns;
		if (mig_done > now) {
			ret = nvg_sim_pace(r, mig_done - now);
			if (ret)
				return ret;
		}
	}
}

/* One remapped element: @src (num_src components) to @dst (num_dst). */
static void nvg_sim_remap_elem(const struct nvg_pb_remap *rm, const u8 *src, u8 *dst)
{
	u32 c, sz = rm->component_size;

	for (c = 0; c < rm->num_dst; c++) {
		u32 sel = rm->dst[c];
		u8 *d = dst + c * sz;

		if (sel < 4)
			memcpy(d, src + sel * sz, sz);
		else if (sel == NVG_REMAP_CONST_A)
			memcpy(d, &rm->const_a, sz);	/* little endian */
		else if (sel == NVG_REMAP_CONST_B)
			memcpy(d, &rm->const_b, sz);
		/* NO_WRITE: @dst already holds what memory holds */
	}
}

/* Copy (plain or remapped), resuming at job->line / job->done. */
static int nvg_sim_do_copy(struct nvg_sim_run *r, const struct nvg_pb_copy *c)
{
	const struct nvg_pb_remap *rm = &c->remap_cfg;
	u32 src_el = c->remap ? rm->num_src * rm->component_size : 1;
	u32 dst_el = c->remap ? rm->num_dst * rm->component_size : 1;
	u32 per = NVG_SIM_BOUNCE / max(src_el, dst_el), i;
	struct nvg_sim_job *job = r->job;
	u64 since_pace = 0;
	int ret;

	for (; job->line < c->line_count; job->line++, job->done = 0) {
		u64 src = c->src_va + (u64)job->line * c->pitch_in;
		u64 dst = c->dst_va + (u64)job->line * c->pitch_out;

		while (job->done < c->line_len) {
			u32 n = min_t(u64, per, c->line_len - job->done);
			u64 so = job->done * src_el, dof = job->done * dst_el;

			if (c->src_bytes_per_line) {
				ret = nvg_sim_rw(r, src + so, r->src, n * src_el, false);
				if (ret)
					return ret;
			}
			if (!c->remap) {
				memcpy(r->dst, r->src, n);
			} else {
				/* Read first: NO_WRITE components keep memory's bytes. */
				ret = nvg_sim_rw(r, dst + dof, r->dst, n * dst_el, false);
				if (ret)
					return ret;
				for (i = 0; i < n; i++)
					nvg_sim_remap_elem(rm, r->src + i * src_el,
							   r->dst + i * dst_el);
			}
			ret = nvg_sim_rw(r, dst + dof, r->dst, n * dst_el, true);
			if (ret)
				return ret;
			job->done += n;
			since_pace += n * dst_el;
			if (since_pace >= NVG_SIM_CHUNK) {
				ret = nvg_sim_pace_bytes(r, since_pace);
				since_pace = 0;
				if (ret)
					return ret;
			}
		}
	}
	return since_pace ? nvg_sim_pace_bytes(r, since_pace) : 0;
}

/* Fill or checksum @size bytes at @va, resuming at job->done. */
static int nvg_sim_do_span(struct nvg_sim_run *r, u64 va, u64 size, bool fill,
			   u32 value)
{
	struct nvg_sim_job *job = r->job;
	u64 since_pace = 0;
	u32 i;
	int ret;

	for (i = 0; fill && i < NVG_SIM_BOUNCE / 4; i++)
		((u32 *)r->dst)[i] = value;
	while (job->done < size) {
		u32 n = min_t(u64, NVG_SIM_BOUNCE, size - job->done);

		if (fill) {
			ret = nvg_sim_rw(r, va + job->done, r->dst, n, true);
		} else {
			ret = nvg_sim_rw(r, va + job->done, r->src, n, false);
			job->sum = nvg_fnv1a32(r->src, n, job->sum);
		}
		if (ret)
			return ret;
		job->done += n;
		since_pace += n;
		if (since_pace >= NVG_SIM_CHUNK || job->done == size) {
			ret = nvg_sim_pace_bytes(r, since_pace);
			since_pace = 0;
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int nvg_sim_do_release(struct nvg_sim_run *r, const struct nvg_pb_sem_release *s)
{
	u8 buf[16] = {};
	u64 ts;
	int ret;

	memcpy(buf, &s->payload, s->size);
	if (s->timestamp) {
		ts = nvg_sim_time(r->e->sim);
		memcpy(buf + 8, &ts, sizeof(ts));
	}
	ret = nvg_sim_rw(r, s->va, buf, s->timestamp ? 16 : s->size, true);
	return ret ?: nvg_sim_pace_later(r, nvg_sim_op_ns(r), true);
}

/* Wait until the semaphore satisfies the condition, a RESET or a PREEMPT. */
static int nvg_sim_do_acquire(struct nvg_sim_run *r, const struct nvg_pb_sem_acquire *s)
{
	u64 mask = s->size == 4 ? 0xffffffffULL : ~0ULL;
	int ret;

	for (;;) {
		u64 v = 0;

		ret = nvg_sim_rw(r, s->va, &v, s->size, false);
		if (ret)
			return ret;
		v &= mask;
		if (s->cond == NVG_PB_SEM_EQ ? v == (s->payload & mask) :
					       v >= (s->payload & mask))
			return 0;
		if (READ_ONCE(r->e->abort))
			return -EINTR;
		if (READ_ONCE(r->e->preempt))
			return -EAGAIN;
		if (r->e->sim->clk.virt) {
			/* Look again NVG_SIM_POLL_US of device time later. */
			nvg_sim_plan_begin(r->e);
			nvg_sim_vwait(r->e, nvg_sim_time(r->e->sim) +
				      NVG_SIM_POLL_US * NSEC_PER_USEC, false);
			r->start_ns = nvg_sim_time(r->e->sim) - r->model_ns;
			continue;
		}
		usleep_range(NVG_SIM_POLL_US, 2 * NVG_SIM_POLL_US);
		/* Waiting is not work: the model clock restarts after it. */
		r->start_ns = ktime_get_ns() - r->model_ns;
	}
}

/*
 * Modelled compute time, in steps so that it can be preempted: BUSY cycles
 * at the clock of the moment, then a synthetic job's fixed duration.
 */
/*
 * Virtual mode: the remaining compute in one wait, ending where live
 * mode's chunks would (each full chunk is NVG_SIM_BUSY_STEP of cycles at
 * the clock it started at, the last one the rest, rounded up). Woken early
 * by a PREEMPT or a clock change, it finishes the chunk it is in.
 */
static int nvg_sim_do_busy_virtual(struct nvg_sim_run *r)
{
	struct nvg_sim_engine *e = r->e;
	struct nvg_sim_job *job = r->job;
	u64 *left, per_step, full, rem, total, start, k, now, end;
	bool save;
	u32 mhz;
	int ret;

	for (;;) {
		mhz = nvg_sim_plan_begin(e);
		if (job->busy_left_cycles) {
			left = &job->busy_left_cycles;
			per_step = div_u64((u64)NVG_SIM_BUSY_STEP * mhz, 1000);
		} else if (job->busy_left_ns) {
			left = &job->busy_left_ns;
			per_step = NVG_SIM_BUSY_STEP;
			mhz = 1000;	/* a duration: one unit per ns */
		} else {
			return nvg_sim_owed_wait(r);
		}
		full = div64_u64_rem(*left, per_step, &rem);
		total = full * NVG_SIM_BUSY_STEP +
			(rem ? DIV_ROUND_UP_ULL(rem * 1000, mhz) : 0);
		/* an owed wait ends at start: compute begins where it ends */
		start = r->start_ns + r->model_ns;
		if (nvg_sim_vwait(e, start + total, false)) {
			r->owed_due = 0;
			r->owed_check = false;
			*left = 0;
			r->model_ns += total;
		} else {
			if (READ_ONCE(e->abort))
				return -EINTR;
			now = nvg_sim_time(e->sim);
			/*
			 * Woken within the owed wait: end it as if alone. At
			 * its very end compute has begun (a tie that, with
			 * the wait an event of its own, the queue's order of
			 * sources decided; see docs/architecture.md).
			 */
			if (r->owed_due && now < r->owed_due) {
				ret = nvg_sim_owed_wait(r);
				if (ret)
					return ret;
				continue;
			}
			r->owed_due = 0;
			r->owed_check = false;
			k = max_t(u64, 1, DIV_ROUND_UP_ULL(now - start, NVG_SIM_BUSY_STEP));
			end = k > full ? start + total : start + k * NVG_SIM_BUSY_STEP;
			/*
			 * Stopping at that boundary for a PREEMPT: the context
			 * save that follows is one wait with the chunk's.
			 */
			save = READ_ONCE(e->preempt) && !READ_ONCE(e->abort);
			nvg_sim_vwait(e, end + (save ? NVG_SIM_CTXSW_NS : 0), true);
			if (k > full) {
				*left = 0;
				r->model_ns += total;
			} else {
				*left -= k * per_step;
				r->model_ns += k * NVG_SIM_BUSY_STEP;
			}
			/* a RESET during the save: preempted all the same */
			if (save && nvg_sim_time(e->sim) >= end) {
				r->save_paid = true;
				return -EAGAIN;
			}
		}
		ret = nvg_sim_stop_check(e);
		if (ret)
			return ret;
	}
}

static int nvg_sim_do_busy(struct nvg_sim_run *r)
{
	struct nvg_sim_job *job = r->job;
	u64 step, cycles;
	u32 mhz;
	int ret;

	if (r->e->sim->clk.virt)
		return nvg_sim_do_busy_virtual(r);

	while (job->busy_left_cycles) {
		mhz = nvg_sim_clk_mhz(r->e->sim);
		cycles = min_t(u64, job->busy_left_cycles,
			       div_u64((u64)NVG_SIM_BUSY_STEP * mhz, 1000));
		job->busy_left_cycles -= cycles;
		ret = nvg_sim_pace(r, DIV_ROUND_UP_ULL(cycles * 1000, mhz));
		if (ret)
			return ret;
	}
	while (job->busy_left_ns) {
		step = min_t(u64, job->busy_left_ns, NVG_SIM_BUSY_STEP);
		job->busy_left_ns -= step;
		ret = nvg_sim_pace(r, step);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * An injected hang: no progress until a RESET. Like any job that never
 * ends (a semaphore acquire nobody releases), it still takes a PREEMPT, so
 * it shares its engine as a real hang does; its context keeps it hung.
 */
static int nvg_sim_do_hang(struct nvg_sim_run *r)
{
	struct nvg_sim_engine *e = r->e;
	int ret = nvg_sim_owed_wait(r);

	if (ret)
		return ret;
	for (;;) {
		if (e->sim->clk.virt) {
			/* Blocked until a RESET or a PREEMPT; no event. */
			nvg_sim_plan_begin(e);
			nvg_sim_vwait(e, U64_MAX, false);
		} else {
			wait_event_timeout(e->wake, READ_ONCE(e->abort) || READ_ONCE(e->preempt),
					   msecs_to_jiffies(100));
		}
		if (READ_ONCE(e->abort))
			return -EINTR;
		if (READ_ONCE(e->preempt))
			return -EAGAIN;
	}
}

/* Perform (or go on with) job->op. */
static int nvg_sim_do_op(struct nvg_sim_run *r)
{
	const struct nvg_pb_op *op = &r->job->op;
	int ret;

	/* compute folds an owed wait into its own; anything else takes it */
	if (op->kind != NVG_PB_OP_BUSY) {
		ret = nvg_sim_owed_wait(r);
		if (ret)
			return ret;
	}
	switch (op->kind) {
	case NVG_PB_OP_COPY:
		return nvg_sim_do_copy(r, &op->copy);
	case NVG_PB_OP_FILL:
		return nvg_sim_do_span(r, op->fill.va, op->fill.size, true, op->fill.value);
	case NVG_PB_OP_CHECKSUM: {
		int ret = nvg_sim_do_span(r, op->checksum.va, op->checksum.size, false, 0);

		return ret ?: nvg_sim_rw(r, op->checksum.result_va, &r->job->sum,
					 sizeof(r->job->sum), true);
	}
	case NVG_PB_OP_SEM_RELEASE:
		return nvg_sim_do_release(r, &op->release);
	case NVG_PB_OP_SEM_ACQUIRE:
		return nvg_sim_do_acquire(r, &op->acquire);
	case NVG_PB_OP_BUSY:
		return nvg_sim_do_busy(r);
	default:
		/* INTERRUPT, WFI: the engine is in order, nothing to wait for */
		return nvg_sim_pace_later(r, nvg_sim_op_ns(r), true);
	}
}

/* Set up job->op's progress when it starts. */
static void nvg_sim_start_op(struct nvg_sim_run *r)
{
	struct nvg_sim_job *job = r->job;

	job->have_op = true;
	job->line = 0;
	job->done = 0;
	job->sum = NVG_FNV1A32_INIT;
	if (job->op.kind == NVG_PB_OP_BUSY)
		job->busy_left_cycles = job->op.busy.cycles;
}

/* Run until done, failed, reset or preempted: an NVG_SIM_RESULT_*. */
static u32 nvg_sim_run_job(struct nvg_sim_run *r)
{
	struct nvg_sim_job *job = r->job;
	int ret;

	if (job->hung) {
		ret = nvg_sim_do_hang(r);
		goto out;
	}
	if (!job->pb) {
		ret = nvg_sim_do_busy(r);
		goto out;
	}
	for (;;) {
		if (!job->have_op) {
			ret = nvg_pb_parser_next(&job->parser, &job->op, NULL);
			if (ret == 0)
				return NVG_SIM_RESULT_OK;
			if (ret < 0)
				return NVG_SIM_RESULT_BAD_PB;
			nvg_sim_start_op(r);
		}
		ret = nvg_sim_do_op(r);
		if (ret)
			break;
		job->have_op = false;
	}
out:
	switch (ret) {
	case 0:
		return NVG_SIM_RESULT_OK;
	case -EINTR:
		return NVG_SIM_RESULT_ABORTED;
	case -EAGAIN:
		return NVG_SIM_RESULT_PREEMPTED;
	default:
		return NVG_SIM_RESULT_FAULT;
	}
}

static void nvg_sim_job_free(struct nvg_sim_job *job)
{
	if (job)
		kvfree(job->pb);
	kfree(job);
}

/* A new job: fetch its pushbuffer from VRAM and start decoding it. */
static struct nvg_sim_job *nvg_sim_job_load(struct nvg_sim_engine *e)
{
	struct nvg_sim_job *job = kzalloc(sizeof(*job), GFP_KERNEL);
	u64 off, bytes = (u64)e->pb_len * 4;

	if (!job)
		return NULL;
	if (!e->pb_len) {
		job->busy_left_ns = max_t(u64, e->cost_ns,
					  e->sim->chip->min_job_ns ?: NVG_SIM_MIN_COST_NS);
		return job;
	}
	job->pb = kvmalloc_array(e->pb_len, sizeof(u32), GFP_KERNEL);
	if (!job->pb)
		goto err_free;
	for (off = 0; off < bytes; ) {
		u32 n = min_t(u64, bytes - off, PAGE_SIZE - offset_in_page(e->pb_addr + off));

		if (nvg_sim_vram_rw(e->sim, e->pb_addr + off, (u8 *)job->pb + off, n, false))
			goto err_free;
		off += n;
	}
	nvg_pb_parser_init(&job->parser, e->class_id);
	nvg_pb_parser_segment(&job->parser, job->pb, e->pb_len);
	return job;

err_free:
	nvg_sim_job_free(job);
	return NULL;
}

/* Drop every saved context (power-down). */
void nvg_sim_exec_fini(struct nvg_sim_engine *e)
{
	struct nvg_sim_job *job;
	unsigned long token;

	xa_for_each(&e->saved, token, job)
		nvg_sim_job_free(job);
	xa_destroy(&e->saved);
}

/**
 * nvg_sim_exec_work() - an engine runs (or resumes) its current job
 * @work: the engine's exec_work.
 */
void nvg_sim_exec_work(struct work_struct *work)
{
	struct nvg_sim_engine *e = container_of(work, struct nvg_sim_engine, exec_work);
	struct nvg_sim_run r = { .e = e };
	u32 result = NVG_SIM_RESULT_BAD_PB;
	unsigned long flags;
	int ret;

	if (e->sim->clk.virt) {
		spin_lock_irqsave(&e->sim->lock, flags);
		nvg_sim_exec_late(e, "launched");
		spin_unlock_irqrestore(&e->sim->lock, flags);
	}
	r.start_ns = e->sim->clk.virt ? nvg_sim_time(e->sim) : ktime_get_ns();
	nvg_sim_tlb_flush_engine(e);
	if (e->ungate)
		nvg_sim_pace(&r, NVG_SIM_UNGATE_NS);
	r.job = xa_erase(&e->saved, e->token);
	if (r.job)	/* restore the context: in virtual mode, an owed wait */
		nvg_sim_pace_later(&r, NVG_SIM_CTXSW_NS, false);
	else
		r.job = nvg_sim_job_load(e);
	if (r.job && (e->active_inject & NVG_SIM_INJECT_HANG))
		r.job->hung = true;
	if (r.job)
		r.job->mig_inject |= e->active_inject &
				     (NVG_SIM_INJECT_MIG_HANG | NVG_SIM_INJECT_MIG_FAULT);
	r.src = kmalloc(NVG_SIM_BOUNCE, GFP_KERNEL);
	r.dst = kmalloc(NVG_SIM_BOUNCE, GFP_KERNEL);
	if (r.job && r.src && r.dst) {
		result = nvg_sim_run_job(&r);
		/* the last operation's owed wait, and its look at a PREEMPT */
		ret = nvg_sim_owed_wait(&r);
		if (result == NVG_SIM_RESULT_OK && ret)
			result = ret == -EINTR ? NVG_SIM_RESULT_ABORTED :
						 NVG_SIM_RESULT_PREEMPTED;
	}
	if (result == NVG_SIM_RESULT_PREEMPTED) {
		if (!r.save_paid)
			nvg_sim_pace(&r, NVG_SIM_CTXSW_NS);	/* save it */
		if (xa_err(xa_store(&e->saved, e->token, r.job, GFP_KERNEL)))
			result = NVG_SIM_RESULT_BAD_PB;	/* nowhere to save: lost */
		else
			r.job = NULL;
	}
	kfree(r.dst);
	kfree(r.src);
	nvg_sim_job_free(r.job);
	nvg_sim_engine_finish(e, result, r.fault_va);
}
