// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_irq.c - the GPU's interrupt handler, and the PTIMER clock whose
 * alarm is one of its sources.
 *
 * PMC_INTR_0 says which units interrupted; each unit's own status register
 * says why, and writing those bits back acknowledges them. The handler runs
 * in hard-IRQ context, acknowledges everything it sees and defers the real
 * work (completing jobs, picking the next) to the arbiter's work item; with
 * the fast path it signals the out-fence of a job done without error here
 * (nvg_arbiter_engine_done()). Vblanks are handled here (nvghost_kms.c).
 */
#include <linux/interrupt.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_regs.h"
#include "nvghost_uvm.h"

#define NVG_INTR_UNITS	(NV_PMC_INTR_PTIMER | NV_PMC_INTR_PFIFO | NV_PMC_INTR_PDISP | \
			 NV_PMC_INTR_HUB)

/* Bound the loop: a unit that never clears must not hang the CPU. */
#define NVG_IRQ_MAX_LOOPS	16

/**
 * nvg_ptimer_read() - the GPU's PTIMER, in nanoseconds
 * @ndev: the device.
 *
 * Any context.
 *
 * Return: PTIMER_TIME_1:PTIMER_TIME_0, read so a carry cannot tear it.
 */
u64 nvg_ptimer_read(struct nvg_device *ndev)
{
	return nvg_rd64(&ndev->hal, NV_PTIMER_TIME_0, NV_PTIMER_TIME_1);
}

static void nvg_irq_pfifo(struct nvg_device *ndev)
{
	u32 faulted, done = nvg_arbiter_engine_intr(ndev, &faulted);

	/* A fault ends the job; the arbiter asks where (nvg_hw_eng_fault_va()). */
	if (faulted)
		atomic64_inc(&ndev->irq_mmu_fault);
	nvg_arbiter_engine_done(ndev, done);
	atomic64_inc(&ndev->irq_pfifo);
}

static irqreturn_t nvg_irq_handler(int irq, void *arg)
{
	struct nvg_device *ndev = arg;
	irqreturn_t ret = IRQ_NONE;
	unsigned int loops;
	u32 intr;

	for (loops = 0; loops < NVG_IRQ_MAX_LOOPS; loops++) {
		intr = nvg_rd32(&ndev->hal, NV_PMC_INTR_0);
		if (!intr)
			break;
		ret = IRQ_HANDLED;
		if (intr & NV_PMC_INTR_PTIMER) {
			u32 t = nvg_rd32(&ndev->hal, NV_PTIMER_INTR_0);

			nvg_wr32(&ndev->hal, NV_PTIMER_INTR_0, t);
			atomic64_inc(&ndev->irq_ptimer);
			if (t & NV_PTIMER_INTR_ALARM)
				nvg_alarms_irq(ndev);
		}
		if (intr & NV_PMC_INTR_PFIFO)
			nvg_irq_pfifo(ndev);
		if (intr & NV_PMC_INTR_PDISP)
			nvg_kms_irq(ndev);
		if (intr & NV_PMC_INTR_HUB)
			nvg_uvm_irq(ndev);	/* replayable MMU faults */
	}
	if (ret == IRQ_NONE)
		atomic64_inc(&ndev->irq_spurious);
	return ret;
}

int nvg_irq_init(struct nvg_device *ndev)
{
	int ret;

	nvg_wr32(&ndev->hal, NV_PMC_INTR_EN_0, 0);
	ret = request_irq(ndev->hal.irq, nvg_irq_handler, 0,
			  dev_name(ndev->drm.dev), ndev);
	if (ret) {
		drm_err(&ndev->drm, "cannot get IRQ %d: %d\n", ndev->hal.irq, ret);
		return ret;
	}
	nvg_wr32(&ndev->hal, NV_PTIMER_INTR_EN_0, NV_PTIMER_INTR_ALARM);
	nvg_wr32(&ndev->hal, NV_PMC_INTR_EN_0, NVG_INTR_UNITS);
	return 0;
}

void nvg_irq_fini(struct nvg_device *ndev)
{
	nvg_wr32(&ndev->hal, NV_PMC_INTR_EN_0, 0);
	free_irq(ndev->hal.irq, ndev);
}
