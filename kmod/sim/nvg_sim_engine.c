// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_engine.c - the simulated engines' runner block (NVG_SIM_ENG_*):
 * registers, launch, completion.
 *
 * An engine executes one job at a time (see nvghost_regs.h for the
 * handshake), in nvg_sim_exec.c on a workqueue, since jobs move data and
 * sleep to model GPU time. A LAUNCH while busy is ignored, as a real engine
 * ignores a doorbell for a channel it is running.
 */
#include <linux/workqueue.h>

#include "nvg_sim_priv.h"
#include "../nvghost_regs.h"

/**
 * nvg_sim_engine_finish() - a job ended: report it and interrupt
 * @e: the engine.
 * @result: NVG_SIM_RESULT_*.
 * @fault_va: the faulting address for NVG_SIM_RESULT_FAULT.
 */
void nvg_sim_engine_finish(struct nvg_sim_engine *e, u32 result, u64 fault_va)
{
	struct nvg_sim *sim = e->sim;
	unsigned long flags;
	bool drop;

	spin_lock_irqsave(&sim->lock, flags);
	e->idle_since = nvg_sim_time(sim);
	e->busy_ns += e->idle_since - e->busy_since;
	e->busy = false;
	e->abort = false;
	e->preempt = false;
	e->done = e->token;
	e->result = result;
	e->fault_va = fault_va;
	drop = e->active_inject & NVG_SIM_INJECT_DROP_IRQ;
	e->active_inject = 0;
	if (!drop) {
		sim->eng_intr |= NVG_SIM_ENG_INTR_DONE(e->index);
		if (result == NVG_SIM_RESULT_FAULT)
			sim->eng_intr |= NVG_SIM_ENG_INTR_FAULT(e->index);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	if (!drop)
		nvg_sim_raise_now(sim);
	/*
	 * Virtual mode: idle only once the interrupt is queued, so that a
	 * settle that sees the engine idle also waits for the interrupt.
	 */
	if (sim->clk.virt) {
		spin_lock_irqsave(&sim->lock, flags);
		if (e->vstate == NVG_SIM_ENG_RUNNING && !e->busy)
			e->vstate = NVG_SIM_ENG_IDLE;
		atomic64_inc(&sim->clk.gen);
		spin_unlock_irqrestore(&sim->lock, flags);
		wake_up(&sim->clk.settle_wq);
	}
}

int nvg_sim_engines_init(struct nvg_sim *sim)
{
	unsigned int i;

	/* High priority: an engine that waits for a kworker adds latency no GPU has. */
	sim->exec_wq = alloc_workqueue("nvghost-sim-exec", WQ_UNBOUND | WQ_HIGHPRI, 0);
	if (!sim->exec_wq)
		return -ENOMEM;
	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		struct nvg_sim_engine *e = &sim->engines[i];

		e->sim = sim;
		e->index = i;
		e->class_id = nvg_chip_engine_class(sim->chip, i);
		INIT_WORK(&e->exec_work, nvg_sim_exec_work);
		e->ev.kind = NVG_SIM_EV_ENGINE;
		e->ev.id = i;
		e->ev.fire = nvg_sim_exec_event;
		init_waitqueue_head(&e->wake);
		xa_init(&e->saved);
	}
	return 0;
}

/* Power-down: abort whatever runs and wait for it. */
void nvg_sim_engines_fini(struct nvg_sim *sim)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&sim->lock, flags);
	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		sim->engines[i].abort = true;
		nvg_sim_engine_vwake(&sim->engines[i], true);
		/* a live engine stalled on a replayable fault waits here */
		wake_up(&sim->engines[i].wake);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		cancel_work_sync(&sim->engines[i].exec_work);
		nvg_sim_exec_fini(&sim->engines[i]);
	}
	destroy_workqueue(sim->exec_wq);
}

/* Which engine and which of its registers @reg is, if it is one. */
static struct nvg_sim_engine *nvg_sim_engine_reg(struct nvg_sim *sim, u32 reg,
						 u32 *off)
{
	u32 n;

	if (reg < NVG_SIM_ENG(0))
		return NULL;
	n = (reg - NVG_SIM_ENG(0)) / NVG_SIM_ENG_STRIDE;
	if (n >= nvg_chip_nr_engines(sim->chip))
		return NULL;
	*off = reg - NVG_SIM_ENG(n);
	return &sim->engines[n];
}

#define ENG_OFF(r)	(NVG_SIM_ENG_##r(0) - NVG_SIM_ENG(0))

static u32 nvg_sim_engine_read(struct nvg_sim_engine *e, u32 off)
{
	u64 now = nvg_sim_time(e->sim);

	switch (off) {
	case ENG_OFF(CLASS):
		return e->class_id;
	case ENG_OFF(TOKEN_LO):
		return lower_32_bits(e->token);
	case ENG_OFF(TOKEN_HI):
		return upper_32_bits(e->token);
	case ENG_OFF(COST_LO):
		return lower_32_bits(e->cost_ns);
	case ENG_OFF(COST_HI):
		return upper_32_bits(e->cost_ns);
	case ENG_OFF(STATUS):
		return (e->busy ? NVG_SIM_ENG_STATUS_BUSY : 0) |
		       (nvg_sim_engine_gated(e, now) ? NVG_SIM_ENG_STATUS_GATED : 0);
	case ENG_OFF(BUSY_LO):
		return lower_32_bits(nvg_sim_engine_busy_ns(e, now));
	case ENG_OFF(BUSY_HI):
		return upper_32_bits(nvg_sim_engine_busy_ns(e, now));
	case ENG_OFF(DONE_LO):
		return lower_32_bits(e->done);
	case ENG_OFF(DONE_HI):
		return upper_32_bits(e->done);
	case ENG_OFF(PDB_LO):
		return lower_32_bits(e->pdb);
	case ENG_OFF(PDB_HI):
		return upper_32_bits(e->pdb);
	case ENG_OFF(PB_LO):
		return lower_32_bits(e->pb_addr);
	case ENG_OFF(PB_HI):
		return upper_32_bits(e->pb_addr);
	case ENG_OFF(PB_LEN):
		return e->pb_len;
	case ENG_OFF(RESULT):
		return e->result;
	case ENG_OFF(FAULT_VA_LO):
		return lower_32_bits(e->fault_va);
	case ENG_OFF(FAULT_VA_HI):
		return upper_32_bits(e->fault_va);
	default:
		return NVG_BAD_REG_VALUE;
	}
}

bool nvg_sim_engine_rd32(struct nvg_sim *sim, u32 reg, u32 *val)
{
	struct nvg_sim_engine *e;
	unsigned long flags;
	u32 off;

	if (reg == NVG_SIM_ENG_INTR) {
		spin_lock_irqsave(&sim->lock, flags);
		*val = sim->eng_intr;
		spin_unlock_irqrestore(&sim->lock, flags);
		return true;
	}
	e = nvg_sim_engine_reg(sim, reg, &off);
	if (!e)
		return false;
	spin_lock_irqsave(&sim->lock, flags);
	*val = nvg_sim_engine_read(e, off);
	spin_unlock_irqrestore(&sim->lock, flags);
	return true;
}

static inline void set_lo(u64 *r, u32 v)
{
	*r = (*r & ~0xffffffffULL) | v;
}

static inline void set_hi(u64 *r, u32 v)
{
	*r = lower_32_bits(*r) | ((u64)v << 32);
}

/* Called with sim->lock held. */
static void nvg_sim_engine_launch(struct nvg_sim_engine *e)
{
	u64 now = nvg_sim_time(e->sim);

	if (e->busy)
		return;
	e->ungate = nvg_sim_engine_gated(e, now);
	e->busy_since = now;
	e->busy = true;
	e->abort = false;
	e->preempt = false;
	e->active_inject = e->inject;
	e->inject = 0;
	e->replan = false;
	if (e->sim->clk.virt) {
		/* A settle waits for the executor until it blocks or finishes. */
		e->vstate = NVG_SIM_ENG_RUNNING;
		e->woke_at = now;
		atomic64_inc(&e->sim->clk.gen);
	}
	queue_work(e->sim->exec_wq, &e->exec_work);
}

bool nvg_sim_engine_wr32(struct nvg_sim *sim, u32 reg, u32 val)
{
	struct nvg_sim_engine *e;
	unsigned long flags;
	u32 off;

	if (reg == NVG_SIM_ENG_INTR) {
		spin_lock_irqsave(&sim->lock, flags);
		sim->eng_intr &= ~val;	/* write 1 to clear */
		spin_unlock_irqrestore(&sim->lock, flags);
		return true;
	}
	e = nvg_sim_engine_reg(sim, reg, &off);
	if (!e)
		return false;

	spin_lock_irqsave(&sim->lock, flags);
	switch (off) {
	case ENG_OFF(TOKEN_LO):
		set_lo(&e->token, val);
		break;
	case ENG_OFF(TOKEN_HI):
		set_hi(&e->token, val);
		break;
	case ENG_OFF(COST_LO):
		set_lo(&e->cost_ns, val);
		break;
	case ENG_OFF(COST_HI):
		set_hi(&e->cost_ns, val);
		break;
	case ENG_OFF(PDB_LO):
		set_lo(&e->pdb, val);
		break;
	case ENG_OFF(PDB_HI):
		set_hi(&e->pdb, val);
		break;
	case ENG_OFF(PB_LO):
		set_lo(&e->pb_addr, val);
		break;
	case ENG_OFF(PB_HI):
		set_hi(&e->pb_addr, val);
		break;
	case ENG_OFF(PB_LEN):
		e->pb_len = val;
		break;
	case ENG_OFF(INJECT):
		if (val & NVG_SIM_INJECT_MIG_COPY)
			e->mig_fail++;
		e->inject |= val & ~NVG_SIM_INJECT_MIG_COPY;
		break;
	case ENG_OFF(LAUNCH):
		if (val & 1)
			nvg_sim_engine_launch(e);
		break;
	case ENG_OFF(RESET):
		/* The executor sees it at its next check and ends ABORTED. */
		if ((val & 1) && e->busy) {
			e->abort = true;
			nvg_sim_engine_vwake(e, true);
			wake_up(&e->wake);
		}
		break;
	case ENG_OFF(PREEMPT):
		/* ... or saves the job's context and ends PREEMPTED. */
		if ((val & 1) && e->busy) {
			e->preempt = true;
			nvg_sim_engine_vwake(e, false);
			wake_up(&e->wake);
		}
		break;
	default:
		break;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return true;
}
