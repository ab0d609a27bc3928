/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_uvm.h - managed (unified) memory: buffers whose pages live where
 * the GPU or the CPU last needed them (nvghost_uvm.c).
 */
#ifndef _NVGHOST_UVM_H_
#define _NVGHOST_UVM_H_

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct drm_file;
struct drm_printer;
struct nvg_bo;
struct nvg_device;
struct nvg_vm;
struct nvg_mem_evict;
struct seq_file;
struct task_struct;
struct drm_gem_object;
struct vm_fault;

/* NVIDIA UVM's structure: 2 MiB blocks (VRAM chunks) of 64 KiB pages. */
#define NVG_UVM_PAGE_SHIFT	16
#define NVG_UVM_PAGE_SIZE	BIT_ULL(NVG_UVM_PAGE_SHIFT)
#define NVG_UVM_BLOCK_SHIFT	21
#define NVG_UVM_BLOCK_SIZE	BIT_ULL(NVG_UVM_BLOCK_SHIFT)
#define NVG_UVM_PAGES_PER_BLOCK	(NVG_UVM_BLOCK_SIZE / NVG_UVM_PAGE_SIZE)

/**
 * struct nvg_uvm_block - one 2 MiB block of a managed buffer
 * @ubo: its buffer.
 * @index: its number in the buffer.
 * @nr_pages: 64 KiB pages in it (the last block may be short).
 * @resident: pages whose data is in VRAM (the VRAM copy is the data).
 * @populated: pages that hold data in system memory (CPU-written or
 *	evicted); a page neither resident nor populated reads as zero.
 * @prefetched: pages brought in by prefetch, not faulted on since.
 * @vram: VRAM address of its 2 MiB chunk, while @chunk is not empty.
 * @chunk: the chunk's buddy blocks.
 * @lru: entry in the device's resident list, least recently used first.
 * @faults: GPU faults on it.
 * @evictions: times it was evicted.
 * @roundtrips: evicted and faulted back in since the last thrashing report.
 * @last_ns: device time of its last fault.
 * @in_use: being migrated in (its fault or prefetch is being serviced).
 * @pinned: the fault batch (&nvg_uvm.batch) that last serviced a fault on
 *	it; while that batch is in progress the block is in use too.
 */
struct nvg_uvm_block {
	struct nvg_uvm_bo *ubo;
	u32 index;
	u32 nr_pages;
	u32 resident;
	u32 populated;
	u32 prefetched;
	u64 vram;
	struct list_head chunk;
	struct list_head lru;
	u64 faults;
	u32 evictions;
	u32 roundtrips;
	u64 last_ns;
	bool in_use;
	u64 pinned;
};

/**
 * struct nvg_uvm_bo - the managed part of a buffer object
 * @bo: the object.
 * @id: its id for policies (unique per device, never reused).
 * @nr_blocks: entries in @blocks.
 * @blocks: its blocks.
 * @sys: its system-memory pages (4 KiB), allocated when first needed.
 * @pid: the process that created it.
 * @comm: that process's name.
 * @node: entry in the device's list of managed buffers.
 * @resident_bytes: bytes in VRAM now.
 * @faults, @migrated_in, @migrated_out, @evicted_bytes, @thrash,
 * @prefetched_bytes, @wasted_prefetch: totals since creation (fdinfo).
 * @free_work: gives its VRAM back after the last reference went.
 */
struct nvg_uvm_bo {
	struct nvg_bo *bo;
	u64 id;
	u32 nr_blocks;
	struct nvg_uvm_block *blocks;
	struct page **sys;
	pid_t pid;
	char comm[16];
	struct list_head node;
	u64 resident_bytes;
	u64 faults;
	u64 migrated_in;
	u64 migrated_out;
	u64 evicted_bytes;
	u64 thrash;
	u64 prefetched_bytes;
	u64 wasted_prefetch;
	struct work_struct free_work;
};

/**
 * struct nvg_uvm - a device's managed memory
 * @lock: every managed buffer's residency, the LRU, the counters.
 * @lru: resident blocks, least recently used first.
 * @bos: managed buffers.
 * @vms: address spaces by page directory >> 12, for the fault handler.
 * @used: VRAM bytes in chunks.
 * @next_id: the next buffer id.
 * @fault_work: services the replayable fault buffer.
 * @wq: where @fault_work runs.
 * @prefetch: async migrations policies asked for, done after the replay.
 * @nr_prefetch: entries in @prefetch.
 * @batch: the fault batch being serviced (numbered from 1), 0 between
 *	batches: blocks it serviced are in use until its replay and
 *	prefetches are done.
 * @stats: device totals (debugfs).
 */
struct nvg_uvm {
	struct mutex lock; /* residency of every managed buffer */
	struct list_head lru;
	struct list_head bos;
	struct xarray vms;
	u64 used;
	u64 next_id;
	struct work_struct fault_work;
	struct workqueue_struct *wq;
	struct nvg_device *ndev;
	struct {
		u64 bo_id;
		u32 block;
		u32 pages;
	} prefetch[16];
	u32 nr_prefetch;
	u64 batch;
	/* the memory policy's op in progress (nvghost_mem_ops.c) */
	struct task_struct *kf_task;
	u32 kf_mask;
	struct nvg_uvm_block *chosen;
	struct nvg_mem_evict *evict_arg;
	struct nvg_uvm_block *cand[16];
	struct {
		u64 faults;
		u64 batches;
		u64 replays;
		u64 cancels;
		u64 migrated_in;
		u64 migrated_out;
		u64 evictions;
		u64 thrash;
		u64 cpu_faults;
		u64 prefetched;
		u64 wasted_prefetch;
		u64 migrate_ns;
	} stats;
};

/**
 * nvg_uvm_block_in_use() - whether evicting @blk is refused
 * @u: the device's managed memory, locked.
 * @blk: a block.
 *
 * In use: being migrated in, or serviced for a fault of the batch in
 * progress, whose stalled access has not been replayed (or whose replay is
 * running while the batch's prefetches migrate): evicting it would undo
 * the service and fault that access again, as UVM pins a block's chunks
 * while it services the block.
 *
 * Return: true if in use.
 */
static inline bool nvg_uvm_block_in_use(const struct nvg_uvm *u,
					const struct nvg_uvm_block *blk)
{
	return blk->in_use || (u->batch && blk->pinned == u->batch);
}

extern unsigned int nvg_uvm_vram_mb;
extern unsigned int nvg_uvm_thrash_n;

int nvg_uvm_module_init(void);
void nvg_uvm_module_fini(void);
int nvg_uvm_init(struct nvg_device *ndev);
void nvg_uvm_fini(struct nvg_device *ndev);
void nvg_uvm_settle(struct nvg_device *ndev);
void nvg_uvm_irq(struct nvg_device *ndev);
struct nvg_bo *nvg_uvm_bo_create(struct nvg_device *ndev, u64 size);
void nvg_uvm_vm_register(struct nvg_vm *vm, u64 pdb);
void nvg_uvm_vm_unregister(struct nvg_vm *vm, u64 pdb);
void nvg_uvm_show_fdinfo(struct drm_printer *p, struct drm_file *file);
int nvg_uvm_show(struct nvg_device *ndev, struct seq_file *m);

/* nvghost_vm.c: rewrite a managed buffer's entries in one address space. */
int nvg_vm_uvm_update(struct nvg_vm *vm, struct nvg_bo *bo, u64 bo_offset,
		      u64 len, u64 vram_addr);
struct drm_gem_object *nvg_vm_uvm_lookup(struct nvg_vm *vm, u64 va, u64 *bo_offset);

#endif /* _NVGHOST_UVM_H_ */
