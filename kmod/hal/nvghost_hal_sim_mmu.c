// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_hal_sim_mmu.c - the simulator's MMU.
 *
 * sim/nvg_sim_mmu.c walks the page tables in VRAM through a small TLB per
 * engine; invalidation drops the address space's entries and waits for
 * accesses in flight. Replayable faults, their buffer and the copy
 * engine's migrations are in sim/nvg_sim_fault.c.
 */
#include "nvghost_hal_sim.h"

static void nvg_sim_mmu_invalidate(struct nvg_hal *hal, u64 pdb)
{
	nvg_sim_tlb_invalidate(hal->priv, pdb);
}

static bool nvg_sim_mmu_fault_pop(struct nvg_hal *hal, struct nvg_hal_fault *f)
{
	struct nvg_sim_fault sf;

	if (!nvg_sim_fault_pop(hal->priv, &sf))
		return false;
	f->va = sf.va;
	f->pdb = sf.pdb;
	f->token = sf.token;
	f->engine = sf.engine;
	f->write = sf.write;
	f->time = sf.time;
	return true;
}

static void nvg_sim_mmu_fault_ack(struct nvg_hal *hal)
{
	nvg_sim_fault_ack(hal->priv);
}

static void nvg_sim_mmu_fault_replay(struct nvg_hal *hal)
{
	nvg_sim_fault_replay(hal->priv);
}

static void nvg_sim_mmu_fault_cancel(struct nvg_hal *hal, u32 engine)
{
	nvg_sim_fault_cancel(hal->priv, engine);
}

static int nvg_sim_mmu_migrate(struct nvg_hal *hal, u64 dst, bool dst_vram,
			       u64 src, bool src_vram, u64 len, u64 *cost_ns)
{
	return nvg_sim_migrate(hal->priv, dst, dst_vram, src, src_vram, len, cost_ns);
}

static bool nvg_sim_mmu_accessed(struct nvg_hal *hal, u64 vram, u64 len)
{
	return nvg_sim_vram_accessed(hal->priv, vram, len);
}

const struct nvg_hal_mmu_funcs nvg_hal_sim_mmu = {
	.invalidate	= nvg_sim_mmu_invalidate,
	.fault_pop	= nvg_sim_mmu_fault_pop,
	.fault_ack	= nvg_sim_mmu_fault_ack,
	.fault_replay	= nvg_sim_mmu_fault_replay,
	.fault_cancel	= nvg_sim_mmu_fault_cancel,
	.migrate	= nvg_sim_mmu_migrate,
	.accessed	= nvg_sim_mmu_accessed,
};
