// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim.c - the simulated GPU's register file: PMC and PTIMER.
 *
 * The simulator behaves like the hardware it models at the register level:
 * PMC_BOOT_0 identifies the chip, PTIMER counts nanoseconds from power-up,
 * an alarm raises the PTIMER interrupt, and PMC_INTR_0 reports which units
 * have an interrupt pending (enabled in PMC_INTR_EN_0). The engines
 * (nvg_sim_engine.c) and the power/thermal unit (nvg_sim_power.c) decode
 * their own blocks. Reads of registers it does not implement return
 * NVIDIA's 0xbadf.... pattern, as a real GPU does.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "nvg_sim.h"
#include "nvg_sim_priv.h"
#include "../nvghost_regs.h"

static u64 nvg_sim_alarm_fire(struct nvg_sim_timer *t, u64 due)
{
	struct nvg_sim *sim = t->sim;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	sim->ptimer_intr |= NV_PTIMER_INTR_ALARM;
	spin_unlock_irqrestore(&sim->lock, flags);
	nvg_sim_raise_now(sim);
	return U64_MAX;
}

/*
 * ALARM_0 compares against TIME_0, the low 32 bits, with wrap-around: an
 * alarm up to 2^31 ns ahead fires then; one behind (it passed while the
 * driver programmed it) fires at once. Called with sim->lock held.
 */
static void nvg_sim_alarm_arm(struct nvg_sim *sim, u32 alarm)
{
	u64 now = nvg_sim_time(sim);
	s32 delta = (s32)(alarm - lower_32_bits(now));

	sim->ptimer_alarm = alarm;
	nvg_sim_timer_start(&sim->alarm_timer, now + max(delta, 0));
}

static u32 __nvg_sim_rd32(struct nvg_sim *sim, u32 reg)
{
	unsigned long flags;
	u32 val;

	if (nvg_sim_engine_rd32(sim, reg, &val) ||
	    nvg_sim_power_rd32(sim, reg, &val) ||
	    nvg_sim_disp_rd32(sim, reg, &val))
		return val;

	spin_lock_irqsave(&sim->lock, flags);
	switch (reg) {
	case NV_PMC_BOOT_0:
		val = sim->chip->boot0;
		break;
	case NV_PMC_INTR_0:
		val = nvg_sim_pmc_intr(sim);
		break;
	case NV_PMC_INTR_EN_0:
		val = sim->pmc_intr_en;
		break;
	case NV_PTIMER_INTR_0:
		val = sim->ptimer_intr;
		break;
	case NV_PTIMER_INTR_EN_0:
		val = sim->ptimer_intr_en;
		break;
	case NV_PTIMER_TIME_0:
		val = lower_32_bits(nvg_sim_time(sim));
		break;
	case NV_PTIMER_TIME_1:
		val = upper_32_bits(nvg_sim_time(sim));
		break;
	case NV_PTIMER_ALARM_0:
		val = sim->ptimer_alarm;
		break;
	case NVG_SIM_FB_SIZE_MB:
		val = sim->vram_mb;
		break;
	case NVG_SIM_ENG_COUNT:
		val = nvg_chip_nr_engines(sim->chip);
		break;
	default:
		val = NVG_BAD_REG_VALUE;
		break;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return val;
}

static void __nvg_sim_wr32(struct nvg_sim *sim, u32 reg, u32 val)
{
	unsigned long flags;
	bool raise = false;

	if (nvg_sim_engine_wr32(sim, reg, val) ||
	    nvg_sim_power_wr32(sim, reg, val) ||
	    nvg_sim_disp_wr32(sim, reg, val))
		return;

	spin_lock_irqsave(&sim->lock, flags);
	switch (reg) {
	case NV_PMC_INTR_EN_0:
		sim->pmc_intr_en = val;
		raise = true;	/* enabling a pending source interrupts */
		break;
	case NV_PTIMER_INTR_0:
		sim->ptimer_intr &= ~val;	/* write 1 to clear */
		break;
	case NV_PTIMER_INTR_EN_0:
		sim->ptimer_intr_en = val;
		raise = true;
		break;
	case NV_PTIMER_ALARM_0:
		nvg_sim_alarm_arm(sim, val);
		break;
	default:
		/* Writes to read-only or absent registers are dropped. */
		break;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	if (raise)
		nvg_sim_raise(sim);
}

/*
 * A GPU that is gone (nvg_sim_stop()) answers no register access: reads
 * return all ones, as a PCIe device that was surprise-removed does, and
 * writes are lost. The check and the access are one RCU read-side section,
 * so that once nvg_sim_stop() has waited for a grace period no access is
 * still running into the parts it tears down.
 */
u32 nvg_sim_rd32(struct nvg_sim *sim, u32 reg)
{
	u32 val = NVG_SIM_GONE_VALUE;

	rcu_read_lock();
	if (!READ_ONCE(sim->stopped))
		val = __nvg_sim_rd32(sim, reg);
	rcu_read_unlock();
	return val;
}

void nvg_sim_wr32(struct nvg_sim *sim, u32 reg, u32 val)
{
	rcu_read_lock();
	if (!READ_ONCE(sim->stopped))
		__nvg_sim_wr32(sim, reg, val);
	rcu_read_unlock();
}

int nvg_sim_irq(struct nvg_sim *sim)
{
	return sim->irq;
}

struct nvg_sim *nvg_sim_create(struct device *dev, const char *chip,
			       u32 vram_mb, unsigned int index, bool virt)
{
	struct nvg_sim *sim;
	int ret;

	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);
	sim->chip = nvg_chip_by_name(chip);
	if (!sim->chip) {
		dev_err(dev, "unknown chip '%s'\n", chip);
		ret = -EINVAL;
		goto err_free;
	}
	sim->vram_mb = vram_mb ?: sim->chip->vram_mb;
	spin_lock_init(&sim->lock);
	sim->t0 = ktime_get_ns();
	nvg_sim_clock_init(sim, virt);
	nvg_sim_timer_init(sim, &sim->alarm_timer, NVG_SIM_EV_ALARM, 0,
			   nvg_sim_alarm_fire);
	nvg_sim_mem_init(sim);
	ret = nvg_sim_fault_init(sim);
	if (ret)
		goto err_free;
	nvg_sim_disp_init(sim);
	ret = nvg_sim_engines_init(sim);
	if (ret)
		goto err_fault;
	ret = nvg_sim_irq_init(sim, index);
	if (ret)
		goto err_engines;
	nvg_sim_power_init(sim);
	return sim;

err_engines:
	nvg_sim_engines_fini(sim);
err_fault:
	nvg_sim_fault_fini(sim);
err_free:
	kfree(sim);
	return ERR_PTR(ret);
}

/**
 * nvg_sim_stop() - the GPU is unplugged
 * @sim: the GPU.
 *
 * From here on it answers no register access and no CPU access to VRAM,
 * runs nothing, raises nothing: every timer and engine stops first, so
 * nothing raises after the line goes. Its memory stays until
 * nvg_sim_destroy(), since pages handed out through the VRAM window may
 * still be mapped (by a dma-buf importer, say). Idempotent; may sleep.
 */
void nvg_sim_stop(struct nvg_sim *sim)
{
	if (sim->stopped)
		return;
	WRITE_ONCE(sim->stopped, true);
	synchronize_rcu();	/* no register access is still running */
	nvg_sim_timer_cancel(&sim->alarm_timer);
	nvg_sim_disp_fini(sim);
	nvg_sim_power_fini(sim);
	nvg_sim_engines_fini(sim);
	nvg_sim_irq_fini(sim);
}

/* Power-down and free, memory included. */
void nvg_sim_destroy(struct nvg_sim *sim)
{
	nvg_sim_stop(sim);
	nvg_sim_mem_fini(sim);
	nvg_sim_fault_fini(sim);
	kfree(sim);
}
