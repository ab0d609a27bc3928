/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_mmu.h - the GPU page table format, shared by the driver (which
 * writes page tables) and the simulated MMU (which walks them).
 *
 * A simplified NVIDIA GMMU: 40-bit virtual addresses, 4 KiB pages, three
 * levels of tables in VRAM, 8-byte entries:
 *
 *   VA 39:30  PD0 index (1024 entries, 8 KiB table; the root, "PDB")
 *   VA 29:21  PD1 index (512 entries, 4 KiB)
 *   VA 20:12  PT index (512 entries, 4 KiB)
 *   VA 11:0   offset in the page
 *
 * Entry bits follow GMMU version 2's PTE: VALID 0, APERTURE 2:1
 * (1 video memory, 2 coherent system memory), READ_ONLY 6, ADDRESS 53:8
 * holding the target address >> 12. Directory entries always point to VRAM.
 * Real GMMU v2 has five levels, 64 KiB/2 MiB pages and more bits; the
 * simulated GPU does not need them.
 */
#ifndef _NVGHOST_MMU_H_
#define _NVGHOST_MMU_H_

#include <linux/bits.h>
#include <linux/types.h>

#define NVG_VA_BITS		40
#define NVG_PAGE_SHIFT		12
#define NVG_PAGE_SIZE		BIT_ULL(NVG_PAGE_SHIFT)
#define NVG_PD0_SHIFT		30
#define NVG_PD1_SHIFT		21
#define NVG_PD0_ENTRIES		1024
#define NVG_PD1_ENTRIES		512
#define NVG_PT_ENTRIES		512

#define NVG_PTE_VALID		BIT_ULL(0)
#define NVG_PTE_APERTURE	GENMASK_ULL(2, 1)
#define   NVG_PTE_APERTURE_VIDEO	1ULL
#define   NVG_PTE_APERTURE_SYSTEM	2ULL
#define NVG_PTE_READ_ONLY	BIT_ULL(6)
/*
 * An invalid entry (VALID clear) with REPLAYABLE set: the page belongs to a
 * managed buffer and is not resident in VRAM. An access raises a replayable
 * fault (the engine stalls, the driver migrates and replays) instead of the
 * fatal fault an unmapped address raises. Real GMMU decides replayability by
 * the faulting unit and the channel's fault mode; the simulated GPU reads it
 * from the entry, which keeps non-managed mappings' faults fatal.
 */
#define NVG_PTE_REPLAYABLE	BIT_ULL(7)
#define NVG_PTE_ADDRESS		GENMASK_ULL(53, 8)

static inline u32 nvg_va_pd0(u64 va)
{
	return (va >> NVG_PD0_SHIFT) & (NVG_PD0_ENTRIES - 1);
}

static inline u32 nvg_va_pd1(u64 va)
{
	return (va >> NVG_PD1_SHIFT) & (NVG_PD1_ENTRIES - 1);
}

static inline u32 nvg_va_pt(u64 va)
{
	return (va >> NVG_PAGE_SHIFT) & (NVG_PT_ENTRIES - 1);
}

static inline u64 nvg_pte_encode(u64 addr, bool vram, bool read_only)
{
	return NVG_PTE_VALID |
	       ((vram ? NVG_PTE_APERTURE_VIDEO : NVG_PTE_APERTURE_SYSTEM) << 1) |
	       (read_only ? NVG_PTE_READ_ONLY : 0) |
	       (((addr >> NVG_PAGE_SHIFT) << 8) & NVG_PTE_ADDRESS);
}

static inline u64 nvg_pte_addr(u64 pte)
{
	return ((pte & NVG_PTE_ADDRESS) >> 8) << NVG_PAGE_SHIFT;
}

static inline u32 nvg_pte_aperture(u64 pte)
{
	return (pte & NVG_PTE_APERTURE) >> 1;
}

#endif /* _NVGHOST_MMU_H_ */
