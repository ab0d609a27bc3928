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

/**
 * struct nvg_sim_fault - one entry of the replayable fault buffer
 * @va: the faulting GPU virtual address.
 * @pdb: the address space (page directory) it was in.
 * @token: the job (channel's work) that faulted.
 * @engine: the engine that stalls on it.
 * @write: a write access (else a read).
 * @time: PTIMER time of the fault.
 */
struct nvg_sim_fault {
	u64 va;
	u64 pdb;
	u64 token;
	u32 engine;
	u32 write;
	u64 time;
};

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

/* Replayable faults, the TLB and migrations (nvg_sim_fault.c). */
bool nvg_sim_fault_pop(struct nvg_sim *sim, struct nvg_sim_fault *f);
void nvg_sim_fault_ack(struct nvg_sim *sim);
void nvg_sim_fault_replay(struct nvg_sim *sim);
void nvg_sim_fault_cancel(struct nvg_sim *sim, u32 engine);
void nvg_sim_tlb_invalidate(struct nvg_sim *sim, u64 pdb);
int nvg_sim_migrate(struct nvg_sim *sim, u64 dst, bool dst_vram, u64 src,
		    bool src_vram, u64 len, u64 *cost_ns);
bool nvg_sim_vram_accessed(struct nvg_sim *sim, u64 addr, u64 len);

/* The device clock's virtual mode (nvg_sim_clock.c). */
bool nvg_sim_clock_virtual(struct nvg_sim *sim);
u64 nvg_sim_clock_next(struct nvg_sim *sim);
bool nvg_sim_clock_play(struct nvg_sim *sim, u64 until, u32 *kind);
bool nvg_sim_clock_set(struct nvg_sim *sim, u64 t);
u64 nvg_sim_clock_settle(struct nvg_sim *sim);
u64 nvg_sim_clock_gen(struct nvg_sim *sim);
bool nvg_sim_clock_still(struct nvg_sim *sim);

#endif /* _NVG_SIM_H_ */
