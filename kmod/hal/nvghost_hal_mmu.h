/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_hal_mmu.h - the GPU MMU: TLB invalidation, replayable faults and
 * the physical copies that migrate managed memory.
 *
 * The driver writes page tables through the VRAM window (nvghost_vm.c);
 * the MMU may cache translations, so after an update the driver asks the
 * backend to drop what it cached for that address space. On NVIDIA
 * hardware that is the MMU invalidate registers (nvkm's gf100_vmm_flush());
 * the simulated MMU walks the tables on every access and caches nothing
 * (nvghost_hal_sim_mmu.c).
 *
 * Replayable faults (managed memory, nvghost_uvm.c): an access to a page
 * whose entry is invalid but NVG_PTE_REPLAYABLE stalls its engine and
 * queues a &struct nvg_hal_fault; the GPU interrupts with
 * NV_PMC_INTR_HUB. The driver acknowledges (@fault_ack), reads the queue
 * (@fault_pop), services each fault and then replays every stalled access
 * (@fault_replay) or cancels one engine's (@fault_cancel: its job ends
 * with an MMU fault). Migrations are copy-engine work (@migrate).
 */
#ifndef _NVGHOST_HAL_MMU_H_
#define _NVGHOST_HAL_MMU_H_

#include <linux/types.h>

/**
 * struct nvg_hal_fault - one replayable fault
 * @va: faulting GPU virtual address.
 * @pdb: page directory of the address space.
 * @token: the job that faulted (the driver's token).
 * @engine: the engine stalled on it.
 * @write: the access was a write.
 * @time: device time of the fault.
 */
struct nvg_hal_fault {
	u64 va;
	u64 pdb;
	u64 token;
	u32 engine;
	bool write;
	u64 time;
};

/**
 * struct nvg_hal_mmu_funcs - the MMU of a backend
 * @invalidate: page tables under page directory @pdb changed: drop every
 *	translation cached for it before the next access; when it returns,
 *	no access in flight still uses one. Process context.
 * @fault_pop: take the oldest replayable fault; false if none. Any context.
 * @fault_ack: acknowledge the fault interrupt. Any context.
 * @fault_replay: every stalled access is retried. Any context.
 * @fault_cancel: engine @engine's stalled access fails: its job ends with
 *	an MMU fault. Any context.
 * @migrate: the copy engine copies @len bytes (page multiple) from @src
 *	(VRAM offset if @src_vram, else DMA address) to @dst; sets
 *	@cost_ns to its modelled time. Process context.
 * @accessed: whether an engine reached VRAM @vram..+@len (a TLB loaded a
 *	translation to it, 64 KiB granules) since the last call for it;
 *	clears what it reports. Any context.
 */
struct nvg_hal_mmu_funcs {
	void (*invalidate)(struct nvg_hal *hal, u64 pdb);
	bool (*fault_pop)(struct nvg_hal *hal, struct nvg_hal_fault *f);
	void (*fault_ack)(struct nvg_hal *hal);
	void (*fault_replay)(struct nvg_hal *hal);
	void (*fault_cancel)(struct nvg_hal *hal, u32 engine);
	int (*migrate)(struct nvg_hal *hal, u64 dst, bool dst_vram, u64 src,
		       bool src_vram, u64 len, u64 *cost_ns);
	bool (*accessed)(struct nvg_hal *hal, u64 vram, u64 len);
};

static inline void nvg_hw_mmu_invalidate(struct nvg_hal *hal, u64 pdb)
{
	hal->funcs->mmu->invalidate(hal, pdb);
}

static inline bool nvg_hw_mmu_fault_pop(struct nvg_hal *hal, struct nvg_hal_fault *f)
{
	return hal->funcs->mmu->fault_pop(hal, f);
}

static inline void nvg_hw_mmu_fault_ack(struct nvg_hal *hal)
{
	hal->funcs->mmu->fault_ack(hal);
}

static inline void nvg_hw_mmu_fault_replay(struct nvg_hal *hal)
{
	hal->funcs->mmu->fault_replay(hal);
}

static inline void nvg_hw_mmu_fault_cancel(struct nvg_hal *hal, u32 engine)
{
	hal->funcs->mmu->fault_cancel(hal, engine);
}

static inline int nvg_hw_mmu_migrate(struct nvg_hal *hal, u64 dst, bool dst_vram,
				     u64 src, bool src_vram, u64 len, u64 *cost_ns)
{
	return hal->funcs->mmu->migrate(hal, dst, dst_vram, src, src_vram, len, cost_ns);
}

static inline bool nvg_hw_mmu_accessed(struct nvg_hal *hal, u64 vram, u64 len)
{
	return hal->funcs->mmu->accessed(hal, vram, len);
}

#endif /* _NVGHOST_HAL_MMU_H_ */
