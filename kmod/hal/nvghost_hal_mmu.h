/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_hal_mmu.h - the GPU MMU: TLB invalidation.
 *
 * The driver writes page tables through the VRAM window (nvghost_vm.c);
 * the MMU may cache translations, so after an update the driver asks the
 * backend to drop what it cached for that address space. On NVIDIA
 * hardware that is the MMU invalidate registers (nvkm's gf100_vmm_flush());
 * the simulated MMU walks the tables on every access and caches nothing
 * (nvghost_hal_sim_mmu.c).
 */
#ifndef _NVGHOST_HAL_MMU_H_
#define _NVGHOST_HAL_MMU_H_

#include <linux/types.h>

/**
 * struct nvg_hal_mmu_funcs - the MMU of a backend
 * @invalidate: page tables under page directory @pdb changed: drop every
 *	translation cached for it before the next access. Process context.
 */
struct nvg_hal_mmu_funcs {
	void (*invalidate)(struct nvg_hal *hal, u64 pdb);
};

static inline void nvg_hw_mmu_invalidate(struct nvg_hal *hal, u64 pdb)
{
	hal->funcs->mmu->invalidate(hal, pdb);
}

#endif /* _NVGHOST_HAL_MMU_H_ */
