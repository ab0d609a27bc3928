// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_engine.c - the simulated engines' runner block (NVG_SIM_ENG_*).
 *
 * An engine executes one job at a time. The driver writes the job's token
 * and its modelled cost, then LAUNCH; the engine stays busy for that much
 * GPU time (an hrtimer), then records the token as done, sets its bit in
 * NVG_SIM_ENG_INTR and raises PFIFO in PMC_INTR_0. A LAUNCH while busy is
 * ignored, as a real engine ignores a doorbell for a channel it is running.
 */
#include <linux/hrtimer.h>

#include "nvg_sim_priv.h"
#include "../nvghost_regs.h"

/* Even an empty job costs a little: the engine's launch latency. */
#define NVG_SIM_MIN_COST_NS	2000

static enum hrtimer_restart nvg_sim_engine_done(struct hrtimer *t)
{
	struct nvg_sim_engine *e = container_of(t, struct nvg_sim_engine, timer);
	struct nvg_sim *sim = e->sim;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	e->busy = false;
	e->done = e->token;
	sim->eng_intr |= BIT(e->index);
	spin_unlock_irqrestore(&sim->lock, flags);
	nvg_sim_raise(sim);
	return HRTIMER_NORESTART;
}

void nvg_sim_engines_init(struct nvg_sim *sim)
{
	unsigned int i;

	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		struct nvg_sim_engine *e = &sim->engines[i];

		e->sim = sim;
		e->index = i;
		hrtimer_init(&e->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		e->timer.function = nvg_sim_engine_done;
	}
}

void nvg_sim_engines_fini(struct nvg_sim *sim)
{
	unsigned int i;

	for (i = 0; i < NVG_MAX_ENGINES; i++)
		hrtimer_cancel(&sim->engines[i].timer);
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
	switch (off) {
	case NVG_SIM_ENG_CLASS(0) - NVG_SIM_ENG(0):
		*val = nvg_chip_engine_class(sim->chip, e->index);
		break;
	case NVG_SIM_ENG_TOKEN_LO(0) - NVG_SIM_ENG(0):
		*val = lower_32_bits(e->token);
		break;
	case NVG_SIM_ENG_TOKEN_HI(0) - NVG_SIM_ENG(0):
		*val = upper_32_bits(e->token);
		break;
	case NVG_SIM_ENG_COST_LO(0) - NVG_SIM_ENG(0):
		*val = lower_32_bits(e->cost_ns);
		break;
	case NVG_SIM_ENG_COST_HI(0) - NVG_SIM_ENG(0):
		*val = upper_32_bits(e->cost_ns);
		break;
	case NVG_SIM_ENG_STATUS(0) - NVG_SIM_ENG(0):
		*val = e->busy ? NVG_SIM_ENG_STATUS_BUSY : 0;
		break;
	case NVG_SIM_ENG_DONE_LO(0) - NVG_SIM_ENG(0):
		*val = lower_32_bits(e->done);
		break;
	case NVG_SIM_ENG_DONE_HI(0) - NVG_SIM_ENG(0):
		*val = upper_32_bits(e->done);
		break;
	default:
		*val = NVG_BAD_REG_VALUE;
		break;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return true;
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
	case NVG_SIM_ENG_TOKEN_LO(0) - NVG_SIM_ENG(0):
		e->token = (e->token & ~0xffffffffULL) | val;
		break;
	case NVG_SIM_ENG_TOKEN_HI(0) - NVG_SIM_ENG(0):
		e->token = lower_32_bits(e->token) | ((u64)val << 32);
		break;
	case NVG_SIM_ENG_COST_LO(0) - NVG_SIM_ENG(0):
		e->cost_ns = (e->cost_ns & ~0xffffffffULL) | val;
		break;
	case NVG_SIM_ENG_COST_HI(0) - NVG_SIM_ENG(0):
		e->cost_ns = lower_32_bits(e->cost_ns) | ((u64)val << 32);
		break;
	case NVG_SIM_ENG_LAUNCH(0) - NVG_SIM_ENG(0):
		if (val & 1 && !e->busy) {
			e->busy = true;
			hrtimer_start(&e->timer,
				      ns_to_ktime(max_t(u64, e->cost_ns,
							NVG_SIM_MIN_COST_NS)),
				      HRTIMER_MODE_REL);
		}
		break;
	default:
		break;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return true;
}
