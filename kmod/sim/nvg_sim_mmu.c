// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_mmu.c - the simulated GPU's MMU: every engine access to a GPU
 * virtual address walks the page tables the driver wrote in VRAM
 * (nvghost_mmu.h), and reaches VRAM or, by DMA, system memory.
 *
 * The simulated device sits behind no IOMMU, so a DMA address the driver
 * obtained with the DMA API is a physical address here, as it is for a
 * real device on such a machine.
 */
#include <linux/highmem.h>
#include <linux/mm.h>

#include "nvg_sim.h"
#include "nvg_sim_priv.h"
#include "../nvghost_mmu.h"

/* Copy to or from VRAM; @addr .. @addr + @len must stay within one page. */
int nvg_sim_vram_rw(struct nvg_sim *sim, u64 addr, void *buf, u32 len,
		    bool write)
{
	struct page *page = nvg_sim_vram_page(sim, addr);
	void *map;

	if (!page)
		return -EFAULT;
	map = kmap_local_page(page);
	if (write)
		memcpy(map + offset_in_page(addr), buf, len);
	else
		memcpy(buf, map + offset_in_page(addr), len);
	kunmap_local(map);
	return 0;
}

int nvg_sim_sys_rw(u64 addr, void *buf, u32 len, bool write)
{
	unsigned long pfn = PHYS_PFN(addr);
	void *map;

	if (!pfn_valid(pfn))
		return -EFAULT;
	map = kmap_local_pfn(pfn);
	if (write)
		memcpy(map + offset_in_page(addr), buf, len);
	else
		memcpy(buf, map + offset_in_page(addr), len);
	kunmap_local(map);
	return 0;
}

static int nvg_sim_read_entry(struct nvg_sim *sim, u64 table, u32 index, u64 *e)
{
	return nvg_sim_vram_rw(sim, table + (u64)index * sizeof(u64), e,
			       sizeof(u64), false);
}

/*
 * Translate one VA; the result is valid for the rest of its 4 KiB page.
 * An engine's accesses go through its TLB (@e may be NULL: no TLB), which
 * keeps valid entries until nvg_sim_tlb_invalidate() or the engine's next
 * job. A not-resident page of a managed buffer answers -ENODATA: a
 * replayable fault.
 */
static int nvg_sim_translate(struct nvg_sim *sim, struct nvg_sim_engine *e,
			     u64 pdb, u64 va, bool write, u64 *addr, bool *vram)
{
	u64 pde0, pde1, pte, vpn = va >> NVG_PAGE_SHIFT;
	struct nvg_sim_tlb *t = e ? &e->tlb[vpn % NVG_SIM_TLB_ENTRIES] : NULL;

	if (va >> NVG_VA_BITS)
		return -EFAULT;
	if (t && (t->pte & NVG_PTE_VALID) && t->pdb == pdb && t->vpn == vpn) {
		pte = t->pte;
		goto hit;
	}
	if (nvg_sim_read_entry(sim, pdb, nvg_va_pd0(va), &pde0) ||
	    !(pde0 & NVG_PTE_VALID))
		return -EFAULT;
	if (nvg_sim_read_entry(sim, nvg_pte_addr(pde0), nvg_va_pd1(va), &pde1) ||
	    !(pde1 & NVG_PTE_VALID))
		return -EFAULT;
	if (nvg_sim_read_entry(sim, nvg_pte_addr(pde1), nvg_va_pt(va), &pte))
		return -EFAULT;
	if (!(pte & NVG_PTE_VALID))
		return pte & NVG_PTE_REPLAYABLE ? -ENODATA : -EFAULT;
	if (t) {
		t->pdb = pdb;
		t->vpn = vpn;
		t->pte = pte;
		if (nvg_pte_aperture(pte) == NVG_PTE_APERTURE_VIDEO)
			nvg_sim_vram_loaded(sim, e, nvg_pte_addr(pte));
	}
hit:
	if (write && (pte & NVG_PTE_READ_ONLY))
		return -EACCES;
	*vram = nvg_pte_aperture(pte) == NVG_PTE_APERTURE_VIDEO;
	*addr = nvg_pte_addr(pte) | (va & (NVG_PAGE_SIZE - 1));
	return 0;
}

/**
 * nvg_sim_mmu_access() - an engine reads or writes GPU virtual memory
 * @e: the engine.
 * @pdb: the address space's root directory (VRAM).
 * @va: first byte.
 * @buf: data.
 * @len: bytes; may cross pages.
 * @write: direction.
 * @sys: set to true if any of it is in system memory.
 * @fault_va: set to the first address that could not be reached.
 *
 * Each page's translation and data transfer hold mmu_sem for reading, so
 * that once nvg_sim_tlb_invalidate() returns no access still uses an old
 * translation: a page the driver unmapped is not written behind its back.
 *
 * Return: 0, or -EFAULT (unmapped) / -EACCES (read-only) / -ENODATA (a
 * replayable fault: not resident) at @fault_va.
 */
int nvg_sim_mmu_access(struct nvg_sim_engine *e, u64 pdb, u64 va, void *buf,
		       u32 len, bool write, bool *sys, u64 *fault_va)
{
	struct nvg_sim *sim = e->sim;

	while (len) {
		u32 chunk = min_t(u64, len, NVG_PAGE_SIZE - (va & (NVG_PAGE_SIZE - 1)));
		bool vram;
		u64 addr;
		int ret;

		down_read(&sim->mmu_sem);
		ret = nvg_sim_translate(sim, e, pdb, va, write, &addr, &vram);
		if (!ret && !vram)
			*sys = true;
		if (!ret)
			ret = vram ? nvg_sim_vram_rw(sim, addr, buf, chunk, write) :
				     nvg_sim_sys_rw(addr, buf, chunk, write);
		up_read(&sim->mmu_sem);
		if (ret) {
			*fault_va = va;
			return ret;
		}
		va += chunk;
		buf += chunk;
		len -= chunk;
	}
	return 0;
}
