/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvg_sim_priv.h - state shared by the simulated GPU's units.
 */
#ifndef _NVG_SIM_PRIV_H_
#define _NVG_SIM_PRIV_H_

#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "../nvghost_chip.h"

struct irq_domain;
struct fwnode_handle;

/**
 * struct nvg_sim_engine - one engine's runner state
 * @sim: back pointer.
 * @index: engine number.
 * @token: job token written by the driver.
 * @cost_ns: modelled duration written by the driver.
 * @done: token of the last finished job.
 * @busy: a job is executing.
 * @timer: fires when the job's modelled time has passed.
 */
struct nvg_sim_engine {
	struct nvg_sim *sim;
	unsigned int index;
	u64 token;
	u64 cost_ns;
	u64 done;
	bool busy;
	struct hrtimer timer;
};

/**
 * struct nvg_sim - one simulated GPU
 * @chip: the chip it models.
 * @vram_mb: its memory size.
 * @lock: protects every register below; taken from any context.
 * @t0: CLOCK_MONOTONIC ns at power-up; PTIMER counts from there.
 * @pmc_intr_en: NV_PMC_INTR_EN_0.
 * @ptimer_intr: NV_PTIMER_INTR_0 pending bits.
 * @ptimer_intr_en: NV_PTIMER_INTR_EN_0.
 * @ptimer_alarm: NV_PTIMER_ALARM_0.
 * @alarm_timer: fires when PTIMER passes the alarm.
 * @eng_intr: NVG_SIM_ENG_INTR pending bits.
 * @engines: the engine runners.
 * @fwnode: names the interrupt domain.
 * @domain: the GPU's interrupt controller, one line.
 * @irq: Linux IRQ number of that line.
 * @raise_work: delivers the interrupt in hard-IRQ context.
 * @retriggers: consecutive deliveries that left it pending.
 */
struct nvg_sim {
	const struct nvg_chip *chip;
	u32 vram_mb;
	spinlock_t lock; /* the register file; any context */
	u64 t0;

	u32 pmc_intr_en;
	u32 ptimer_intr;
	u32 ptimer_intr_en;
	u32 ptimer_alarm;
	struct hrtimer alarm_timer;

	u32 eng_intr;
	struct nvg_sim_engine engines[NVG_MAX_ENGINES];

	struct fwnode_handle *fwnode;
	struct irq_domain *domain;
	int irq;
	struct irq_work raise_work;
	unsigned int retriggers;
};

/* nvg_sim_irq.c */
int nvg_sim_irq_init(struct nvg_sim *sim, unsigned int index);
void nvg_sim_irq_fini(struct nvg_sim *sim);
u32 nvg_sim_pmc_intr(struct nvg_sim *sim);
void nvg_sim_raise(struct nvg_sim *sim);

/* nvg_sim_engine.c */
void nvg_sim_engines_init(struct nvg_sim *sim);
void nvg_sim_engines_fini(struct nvg_sim *sim);
bool nvg_sim_engine_rd32(struct nvg_sim *sim, u32 reg, u32 *val);
bool nvg_sim_engine_wr32(struct nvg_sim *sim, u32 reg, u32 val);

static inline u64 nvg_sim_time(struct nvg_sim *sim)
{
	return ktime_get_ns() - sim->t0;
}

#endif /* _NVG_SIM_PRIV_H_ */
