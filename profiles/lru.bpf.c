// SPDX-License-Identifier: GPL-2.0
/*
 * lru - the managed memory hook's built-in default, as a BPF program.
 *
 * What it does: on a GPU fault, fault() answers UVM's density prefetch:
 * of the aligned subregions of the 2 MiB block that hold the faulting
 * 64 KiB page (2, 4, 8, 16 and 32 pages), the largest in which more than
 * threshold_pct percent of the pages are resident or faulting comes in
 * whole, else the page alone. access() moves the block to the end of the
 * eviction list on every fault, and evict() picks the least recently used
 * block that is not in use (being migrated, or serviced in the fault batch
 * in progress; if all are, the default's choice). That is what the driver
 * does with no policy attached (kmod/nvghost_mem_ops.c), so the two
 * compare equal: the baseline, and the example to copy.
 *
 * For whom: learning the hook; workloads whose reuse distance is shorter
 * than VRAM.
 *
 * Where it is weak: a cyclic scan over more than VRAM evicts every block
 * just before it is needed again (each pass migrates the whole buffer);
 * the stride and lfu profiles do better there.
 *
 * Tunables: threshold_pct (51): the density above which a subregion is
 * prefetched whole (1..100; 100 disables prefetch).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 threshold_pct = 51;

NVG_UEI_DEFINE(uei);

static __always_inline u32 density_region(u32 resident, u32 faulting, u32 page, u32 nr)
{
	u32 all = nr >= 32 ? 0xffffffffu : (1u << nr) - 1;
	u32 present = (resident | faulting | (1u << page)) & all;
	u32 region = 1u << page, size, sub;

	for (size = 2; size <= 32; size *= 2) {
		sub = size == 32 ? 0xffffffffu : ((1u << size) - 1) << (page & ~(size - 1));
		sub &= all;
		if (__builtin_popcount(present & sub) * 100 >
		    threshold_pct * __builtin_popcount(sub))
			region = sub;
	}
	return region;
}

s32 NVG_OPS_SLEEPABLE(lru_init)
{
	return threshold_pct >= 1 && threshold_pct <= 100 ? 0 : -22;
}

s64 NVG_OPS(lru_fault, struct nvg_mem_fault *f)
{
	if (f->page >= 32)
		return 0;
	return density_region(f->blk.resident, f->faulting, f->page, f->blk.nr_pages);
}

void NVG_OPS(lru_access, struct nvg_mem_fault *f)
{
	nvg_mem_lru_move(f->blk.dev_index, f->blk.bo_id, f->blk.block, true);
}

s32 NVG_OPS(lru_evict, struct nvg_mem_evict *e)
{
	u32 i;

	for (i = 0; i < NVG_MEM_MAX_CANDIDATES && i < e->nr; i++)
		if (!e->cand[i].in_use)
			return i;
	return NVG_MEM_EVICT_DEFAULT;
}

void NVG_OPS(lru_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_MEM_OPS_DEFINE(lru_ops,
	.init		= (void *)lru_init,
	.fault		= (void *)lru_fault,
	.access		= (void *)lru_access,
	.evict		= (void *)lru_evict,
	.exit		= (void *)lru_exit,
	.name		= "lru");
