// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_hal_sim_mmu.c - the simulator's MMU.
 *
 * sim/nvg_sim_mmu.c walks the page tables in VRAM on every engine access
 * and caches no translation, so a page table update is seen at once and
 * there is nothing to invalidate. The driver still asks after every update
 * (nvghost_vm.c), as real hardware needs.
 */
#include "nvghost_hal_sim.h"

static void nvg_sim_mmu_invalidate(struct nvg_hal *hal, u64 pdb)
{
}

const struct nvg_hal_mmu_funcs nvg_hal_sim_mmu = {
	.invalidate	= nvg_sim_mmu_invalidate,
};
