/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvg_sim.h - the simulated GPU, as the HAL sees it: a register file and an
 * interrupt line. Nothing else of the driver includes this.
 */
#ifndef _NVG_SIM_H_
#define _NVG_SIM_H_

#include <linux/types.h>

/* What a register of a GPU that is gone reads as. */
#define NVG_SIM_GONE_VALUE	0xffffffffu

struct device;
struct nvg_sim;
struct page;

struct nvg_sim *nvg_sim_create(struct device *dev, const char *chip,
			       u32 vram_mb, unsigned int index, bool virt);
void nvg_sim_stop(struct nvg_sim *sim);
void nvg_sim_destroy(struct nvg_sim *sim);
u32 nvg_sim_rd32(struct nvg_sim *sim, u32 reg);
void nvg_sim_wr32(struct nvg_sim *sim, u32 reg, u32 val);
int nvg_sim_irq(struct nvg_sim *sim);
struct page *nvg_sim_vram_page(struct nvg_sim *sim, u64 offset);
void nvg_sim_vram_discard(struct nvg_sim *sim, u64 offset, u64 size);

/* The device clock's virtual mode (nvg_sim_clock.c). */
bool nvg_sim_clock_virtual(struct nvg_sim *sim);
u64 nvg_sim_clock_next(struct nvg_sim *sim);
bool nvg_sim_clock_play(struct nvg_sim *sim, u64 until);
void nvg_sim_clock_set(struct nvg_sim *sim, u64 t);
u64 nvg_sim_clock_settle(struct nvg_sim *sim);

#endif /* _NVG_SIM_H_ */
