// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_fault.c - the simulated GPU's replayable faults, TLBs and the
 * copy engine's physical migrations (managed memory, nvghost_uvm.c).
 *
 * As on NVIDIA GPUs since Pascal: an engine that reaches a page whose
 * entry is invalid but replayable (NVG_PTE_REPLAYABLE) does not end its
 * job with a fault. It writes an entry to the replayable fault buffer
 * (address, access type, address space, the job's token, the engine),
 * raises the MMU fault interrupt (NV_PMC_INTR_HUB, bit 9, where nouveau's
 * tu102 finds its fault unit) and stalls that access. The driver reads the
 * buffer, makes the pages resident, updates the page tables, invalidates
 * the TLBs and then either replays (every stalled engine retries its
 * access) or cancels one engine's fault (its job ends with an MMU fault, as
 * an unmapped address ends it).
 *
 * Each engine has a small direct-mapped TLB of valid entries, emptied when
 * it starts a job and by nvg_sim_tlb_invalidate(). Every access translates
 * and moves its page's data holding mmu_sem for reading; an invalidation
 * takes it for writing, so when it returns no access is still using a
 * translation it dropped. That is what lets the driver copy a page out of
 * VRAM after unmapping it without a GPU write landing behind the copy.
 *
 * Migrations are copy-engine work: nvg_sim_migrate() moves the bytes
 * between physical VRAM and system memory (the way the copy engine's
 * physical-mode LAUNCH_DMA does) and charges their PCIe time to copy
 * engine 1: a user job running on it is delayed by that much, and the
 * migration queue itself is serial (each migration starts when the
 * previous one ended).
 *
 * Fault service costs device time too: the interrupt, reading the batch,
 * the driver's work per fault and the replay are host CPU work on a real
 * GPU, 20-50 us a fault as measured on Pascal..Volta (Zheng et al., HPCA
 * 2016; Allen and Ge, SC 2021); the model charges NVG_SIM_FAULT_BATCH_NS
 * a batch (when the driver reads its first entry) and NVG_SIM_FAULT_NS an
 * entry, to the same serial queue, ahead of the batch's migrations. A
 * stalled engine, replayed, resumes its access once the queue reached
 * where it stood at the replay (what the driver queued afterwards, an
 * asynchronous prefetch, does not hold it up). An access that reaches a
 * page whose migration in is still running (an asynchronous prefetch)
 * waits for its end: the data moved at once, but not in device time.
 *
 * The MMU also keeps an accessed bit per 64 KiB of VRAM, set when an
 * engine's TLB loads a translation to it (nvg_sim_translate()), which the
 * driver reads and clears (nvg_sim_vram_accessed()): so it knows whether a
 * prefetched page was used before it was evicted, as a real GMMU's access
 * counters would tell.
 */
#include <linux/bitops.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "nvg_sim_priv.h"
#include "../nvghost_mmu.h"
#include "../nvghost_regs.h"

/* The copy engine migrations run on (engine 0 is compute). */
#define NVG_SIM_MIGRATE_ENGINE	1
/* Fault service: a batch (interrupt, buffer read, replay), each fault. */
#define NVG_SIM_FAULT_BATCH_NS	(20 * NSEC_PER_USEC)
#define NVG_SIM_FAULT_NS	(1 * NSEC_PER_USEC)
/* Granules of the migrations' end times and of the accessed bits. */
#define NVG_SIM_READY_SHIFT	21
#define NVG_SIM_ACCESSED_SHIFT	16

int nvg_sim_fault_init(struct nvg_sim *sim)
{
	u64 vram = (u64)sim->vram_mb << 20;
	u64 granules = DIV_ROUND_UP_ULL(vram, 1ULL << NVG_SIM_ACCESSED_SHIFT);

	init_rwsem(&sim->mmu_sem);
	sim->mig_ready = kvcalloc(DIV_ROUND_UP_ULL(vram, 1ULL << NVG_SIM_READY_SHIFT),
				  sizeof(u64), GFP_KERNEL);
	sim->accessed = kvcalloc(BITS_TO_LONGS(granules), sizeof(unsigned long), GFP_KERNEL);
	if (!sim->mig_ready || !sim->accessed) {
		nvg_sim_fault_fini(sim);
		return -ENOMEM;
	}
	return 0;
}

void nvg_sim_fault_fini(struct nvg_sim *sim)
{
	kvfree(sim->mig_ready);
	kvfree(sim->accessed);
	sim->mig_ready = NULL;
	sim->accessed = NULL;
}

/*
 * A TLB loads a translation to VRAM @addr (nvg_sim_translate(), mmu_sem
 * held for reading): mark it accessed, and tell the engine until when a
 * migration into it is still running.
 */
void nvg_sim_vram_loaded(struct nvg_sim *sim, struct nvg_sim_engine *e, u64 addr)
{
	unsigned long flags;
	u64 ready;

	if (addr >= (u64)sim->vram_mb << 20)
		return;
	if (!test_bit(addr >> NVG_SIM_ACCESSED_SHIFT, sim->accessed))
		set_bit(addr >> NVG_SIM_ACCESSED_SHIFT, sim->accessed);
	spin_lock_irqsave(&sim->lock, flags);
	ready = sim->mig_ready[addr >> NVG_SIM_READY_SHIFT];
	spin_unlock_irqrestore(&sim->lock, flags);
	if (ready > e->mig_wait)
		e->mig_wait = ready;
}

/**
 * nvg_sim_vram_accessed() - was VRAM in a range reached since last asked?
 * @sim: the GPU.
 * @addr: first byte.
 * @len: bytes.
 *
 * Reads and clears the accessed bits of the 64 KiB granules the range
 * covers.
 *
 * Return: true if an engine's TLB loaded a translation to any of them.
 */
bool nvg_sim_vram_accessed(struct nvg_sim *sim, u64 addr, u64 len)
{
	u64 g, last;
	bool any = false;

	if (!len || addr >= (u64)sim->vram_mb << 20)
		return false;
	last = min(addr + len, (u64)sim->vram_mb << 20) - 1;
	for (g = addr >> NVG_SIM_ACCESSED_SHIFT; g <= last >> NVG_SIM_ACCESSED_SHIFT; g++)
		any |= test_and_clear_bit(g, sim->accessed);
	return any;
}

/* An engine starts a job: nothing of the last one's translations is kept. */
void nvg_sim_tlb_flush_engine(struct nvg_sim_engine *e)
{
	down_read(&e->sim->mmu_sem);
	memset(e->tlb, 0, sizeof(e->tlb));
	e->mig_wait = 0;
	up_read(&e->sim->mmu_sem);
}

/**
 * nvg_sim_tlb_invalidate() - drop every cached translation of an address space
 * @sim: the GPU.
 * @pdb: the address space's page directory.
 *
 * Waits for accesses in flight. Process context.
 */
void nvg_sim_tlb_invalidate(struct nvg_sim *sim, u64 pdb)
{
	unsigned int n, i;

	down_write(&sim->mmu_sem);
	for (n = 0; n < NVG_MAX_ENGINES; n++)
		for (i = 0; i < NVG_SIM_TLB_ENTRIES; i++)
			if (sim->engines[n].tlb[i].pdb == pdb)
				sim->engines[n].tlb[i].pte = 0;
	up_write(&sim->mmu_sem);
}

/**
 * nvg_sim_fault_post() - an engine hit a replayable fault: report it
 * @e: the engine, which stalls until nvg_sim_fault_replay() or
 *	nvg_sim_fault_cancel().
 * @pdb: its address space.
 * @va: the address.
 * @write: the access.
 *
 * Return: 0, or -EFAULT if the GPU is gone.
 */
int nvg_sim_fault_post(struct nvg_sim_engine *e, u64 pdb, u64 va, bool write)
{
	struct nvg_sim *sim = e->sim;
	struct nvg_sim_fault *f;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->stopped) {
		spin_unlock_irqrestore(&sim->lock, flags);
		return -EFAULT;
	}
	/* One entry per stalled engine: the buffer cannot overflow. */
	f = &sim->fault_buf[sim->fault_put++ % NVG_SIM_FAULT_ENTRIES];
	f->va = va;
	f->pdb = pdb;
	f->token = e->token;
	f->engine = e->index;
	f->write = write;
	f->time = nvg_sim_time(sim);
	e->fault_stalled = true;
	e->fault_cancelled = false;
	sim->fault_intr = true;
	sim->faults++;
	spin_unlock_irqrestore(&sim->lock, flags);
	nvg_sim_raise_now(sim);
	return 0;
}

/**
 * nvg_sim_fault_pop() - the oldest unread fault buffer entry
 * @sim: the GPU.
 * @f: filled in.
 *
 * Return: false if the buffer is empty.
 */
bool nvg_sim_fault_pop(struct nvg_sim *sim, struct nvg_sim_fault *f)
{
	unsigned long flags;
	bool ret = false;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->fault_get != sim->fault_put) {
		*f = sim->fault_buf[sim->fault_get++ % NVG_SIM_FAULT_ENTRIES];
		ret = true;
		/* the driver's service time, ahead of its migrations */
		if (!sim->fault_batch)
			sim->mig_free_at = max(nvg_sim_time(sim), sim->mig_free_at) +
					   NVG_SIM_FAULT_BATCH_NS;
		sim->fault_batch = true;
		sim->mig_free_at += NVG_SIM_FAULT_NS;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return ret;
}

/* Acknowledge the fault interrupt (the driver then reads the buffer). */
void nvg_sim_fault_ack(struct nvg_sim *sim)
{
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	sim->fault_intr = false;
	spin_unlock_irqrestore(&sim->lock, flags);
}

static void nvg_sim_fault_wake(struct nvg_sim_engine *e)
{
	e->fault_stalled = false;
	nvg_sim_engine_vwake(e, true);
	wake_up(&e->wake);
}

/* Every stalled engine retries its access. */
void nvg_sim_fault_replay(struct nvg_sim *sim)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&sim->lock, flags);
	sim->replays++;
	sim->fault_batch = false;
	sim->replay_at = sim->mig_free_at;
	for (n = 0; n < NVG_MAX_ENGINES; n++)
		if (sim->engines[n].fault_stalled)
			nvg_sim_fault_wake(&sim->engines[n]);
	spin_unlock_irqrestore(&sim->lock, flags);
}

/* Engine @engine's stalled access becomes a fatal fault. */
void nvg_sim_fault_cancel(struct nvg_sim *sim, u32 engine)
{
	struct nvg_sim_engine *e;
	unsigned long flags;

	if (engine >= NVG_MAX_ENGINES)
		return;
	e = &sim->engines[engine];
	spin_lock_irqsave(&sim->lock, flags);
	if (e->fault_stalled) {
		e->fault_cancelled = true;
		nvg_sim_fault_wake(e);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
}

/*
 * After the wait: 0 and when the migrations are done, or why the access
 * does not go on (-EFAULT cancelled, -EINTR reset, -EAGAIN preempted).
 */
int nvg_sim_fault_wait_end(struct nvg_sim_engine *e, u64 *mig_done)
{
	struct nvg_sim *sim = e->sim;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&sim->lock, flags);
	if (e->fault_stalled) {
		/* Reset or preempted while stalled: the entry stays serviced. */
		e->fault_stalled = false;
		ret = e->abort || sim->stopped ? -EINTR : -EAGAIN;
	} else if (e->fault_cancelled) {
		e->fault_cancelled = false;
		ret = -EFAULT;
	}
	*mig_done = sim->replay_at;
	spin_unlock_irqrestore(&sim->lock, flags);
	return ret;
}

static void *nvg_sim_phys_map(struct nvg_sim *sim, u64 addr, bool vram)
{
	struct page *page;

	if (vram) {
		page = nvg_sim_vram_page(sim, addr);
		return page ? kmap_local_page(page) : NULL;
	}
	if (!pfn_valid(PHYS_PFN(addr)))
		return NULL;
	return kmap_local_pfn(PHYS_PFN(addr));
}

/**
 * nvg_sim_migrate() - the copy engine moves physical memory
 * @sim: the GPU.
 * @dst: destination: a VRAM offset if @dst_vram, else a DMA address.
 * @dst_vram: where @dst is.
 * @src: source, likewise.
 * @src_vram: where @src is.
 * @len: bytes, a multiple of PAGE_SIZE; both ends page aligned.
 * @cost_ns: set to the copy's modelled time.
 *
 * The data moves at once; its time is charged to copy engine 1 and to the
 * migration queue (see the file comment). Process context.
 *
 * Return: 0, or -EFAULT if an address is out of range, the GPU is gone or
 * a failure was injected (NVG_SIM_INJECT_MIG_COPY: the copy engine faults
 * after moving half the bytes).
 */
int nvg_sim_migrate(struct nvg_sim *sim, u64 dst, bool dst_vram, u64 src,
		    bool src_vram, u64 len, u64 *cost_ns)
{
	const struct nvg_chip *chip = sim->chip;
	struct nvg_sim_engine *ce = &sim->engines[NVG_SIM_MIGRATE_ENGINE];
	unsigned long flags;
	u64 off, cost, start, stop = len;
	void *s, *d;

	if (READ_ONCE(sim->stopped))
		return -EFAULT;
	spin_lock_irqsave(&sim->lock, flags);
	if (ce->mig_fail) {
		ce->mig_fail--;
		stop = round_down(len / 2, PAGE_SIZE);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	for (off = 0; off < len; off += PAGE_SIZE) {
		if (off == stop)
			return -EFAULT;
		s = nvg_sim_phys_map(sim, src + off, src_vram);
		if (!s)
			return -EFAULT;
		d = nvg_sim_phys_map(sim, dst + off, dst_vram);
		if (!d) {
			kunmap_local(s);
			return -EFAULT;
		}
		memcpy(d, s, PAGE_SIZE);
		kunmap_local(d);
		kunmap_local(s);
	}
	cost = div_u64(len, src_vram && dst_vram ? chip->vram_gbps : chip->pcie_gbps);
	spin_lock_irqsave(&sim->lock, flags);
	start = max(nvg_sim_time(sim), sim->mig_free_at);
	sim->mig_free_at = start + cost;
	if (dst_vram && (dst >> NVG_SIM_READY_SHIFT) <
			DIV_ROUND_UP_ULL((u64)sim->vram_mb << 20, 1ULL << NVG_SIM_READY_SHIFT))
		sim->mig_ready[dst >> NVG_SIM_READY_SHIFT] = sim->mig_free_at;
	if (ce->busy)
		atomic64_add(cost, &ce->steal_ns);
	spin_unlock_irqrestore(&sim->lock, flags);
	*cost_ns = cost;
	return 0;
}
