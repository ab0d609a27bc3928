// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_irq.c - the simulated GPU's interrupt line.
 *
 * A real GPU asserts an MSI; the driver's handler runs in hard-IRQ context
 * and acknowledges the unit that interrupted. To give the driver that same
 * path, the simulator owns a one-line IRQ domain (a real Linux IRQ, visible
 * in /proc/interrupts) and raises it from an irq_work, i.e. in hard-IRQ
 * context, whenever an enabled unit has something pending.
 *
 * The line is level-like: after the handler ran, a source still pending is
 * delivered again. That closes the race where a unit raises while the
 * handler for an earlier event is still running on another CPU (the IRQ
 * core drops a nested delivery of a simple IRQ).
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>

#include "nvg_sim_priv.h"
#include "../nvghost_regs.h"

/* Give up re-delivering after this many rounds with nobody acknowledging. */
#define NVG_SIM_MAX_RETRIGGER	1000

/* Called with sim->lock held. */
u32 nvg_sim_pmc_intr(struct nvg_sim *sim)
{
	u32 units = 0;

	if (sim->ptimer_intr & sim->ptimer_intr_en)
		units |= NV_PMC_INTR_PTIMER;
	if (sim->eng_intr)
		units |= NV_PMC_INTR_PFIFO;
	if (sim->disp_intr & sim->disp_intr_en)
		units |= NV_PMC_INTR_PDISP;
	if (sim->fault_intr)
		units |= NV_PMC_INTR_HUB;
	return units & sim->pmc_intr_en;
}

static void nvg_sim_raise_work(struct irq_work *work);

void nvg_sim_raise(struct nvg_sim *sim)
{
	atomic64_inc(&sim->clk.gen);
	irq_work_queue(&sim->raise_work);
}

/**
 * nvg_sim_raise_now() - interrupt from the simulator's own context
 * @sim: the GPU.
 *
 * For a unit of the simulator that raises from a context of its own (an
 * engine finishing, a fault posted, a timer or a vblank played), never from
 * a register access the driver makes. Live mode: as nvg_sim_raise().
 * Virtual mode: the handler runs here and now, with interrupts off as in
 * hard-IRQ context, instead of through the irq_work's self-IPI, which is
 * an emulated APIC round trip under TCG for every interrupt; the caller
 * (the executor, or ADVANCE playing an event) is what a settle waits for,
 * so it covers the handler too. A delivery dropped because the handler is
 * running on another CPU is retried through the irq_work, as before.
 */
void nvg_sim_raise_now(struct nvg_sim *sim)
{
	unsigned long flags;

	if (!sim->clk.virt) {
		nvg_sim_raise(sim);
		return;
	}
	atomic64_inc(&sim->clk.gen);
	local_irq_save(flags);
	nvg_sim_raise_work(&sim->raise_work);
	local_irq_restore(flags);
}

static void nvg_sim_raise_work(struct irq_work *work)
{
	struct nvg_sim *sim = container_of(work, struct nvg_sim, raise_work);
	unsigned long flags;
	u32 pending;

	spin_lock_irqsave(&sim->lock, flags);
	pending = nvg_sim_pmc_intr(sim);
	spin_unlock_irqrestore(&sim->lock, flags);
	if (!pending) {
		sim->retriggers = 0;
		return;
	}

	generic_handle_irq_safe(sim->irq);

	spin_lock_irqsave(&sim->lock, flags);
	pending = nvg_sim_pmc_intr(sim);
	spin_unlock_irqrestore(&sim->lock, flags);
	if (!pending) {
		sim->retriggers = 0;
	} else if (++sim->retriggers < NVG_SIM_MAX_RETRIGGER) {
		irq_work_queue(&sim->raise_work);
	} else {
		pr_warn_ratelimited("nvghost-sim: interrupt 0x%08x never acknowledged\n",
				    pending);
		sim->retriggers = 0;
	}
}

static int nvg_sim_irq_map(struct irq_domain *d, unsigned int virq,
			   irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &dummy_irq_chip, handle_simple_irq);
	irq_set_chip_data(virq, d->host_data);
	return 0;
}

static const struct irq_domain_ops nvg_sim_irq_domain_ops = {
	.map = nvg_sim_irq_map,
	.xlate = irq_domain_xlate_onecell,
};

int nvg_sim_irq_init(struct nvg_sim *sim, unsigned int index)
{
	char name[32];

	/* HARD: run in hard-IRQ context even on PREEMPT_RT, like an MSI. */
	sim->raise_work = IRQ_WORK_INIT_HARD(nvg_sim_raise_work);

	snprintf(name, sizeof(name), "nvghost-sim%u", index);
	sim->fwnode = irq_domain_alloc_named_fwnode(name);
	if (!sim->fwnode)
		return -ENOMEM;
	sim->domain = irq_domain_create_linear(sim->fwnode, 1,
					       &nvg_sim_irq_domain_ops, sim);
	if (!sim->domain)
		goto err_fwnode;
	sim->irq = irq_create_mapping(sim->domain, 0);
	if (!sim->irq)
		goto err_domain;
	return 0;

err_domain:
	irq_domain_remove(sim->domain);
err_fwnode:
	irq_domain_free_fwnode(sim->fwnode);
	return -ENOMEM;
}

void nvg_sim_irq_fini(struct nvg_sim *sim)
{
	irq_work_sync(&sim->raise_work);
	irq_dispose_mapping(sim->irq);
	irq_domain_remove(sim->domain);
	irq_domain_free_fwnode(sim->fwnode);
}
