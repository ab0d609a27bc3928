/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_mem_ops.h - the managed memory hook: struct nvg_mem_ops.
 *
 * When the GPU faults on managed memory (nvghost_uvm.c), the policy decides
 * what to bring in with the faulting page (the prefetch region, within the
 * 2 MiB block; other blocks through nvg_mem_prefetch(), migrated after the
 * fault batch is replayed), hears of every fault (@access) and of every
 * block that gets VRAM (@activate) and may reorder the eviction list
 * (nvg_mem_lru_move()), and chooses which block leaves VRAM when it is full
 * (@evict). With no policy, or after an ejection, the built-in default
 * decides: UVM's density prefetch (the largest aligned subregion of the
 * block, 2 to 32 pages, in which more than 51% of the pages are resident
 * or faulting, is brought in whole) and LRU eviction (the block whose last
 * fault is oldest).
 *
 * Every answer is checked: a region without the faulting page or beyond
 * the block, a victim that is not resident or is in use, a block
 * that does not exist, a kfunc from an op that may not call it eject the
 * policy; a fault that waits longer than the watchdog (sched_watchdog_ms)
 * while a policy is attached ejects it too. Nothing is lost: decisions are
 * taken before any data moves.
 *
 * Like the other hooks, no stability guarantee: policies are built against
 * the module's BTF.
 */
#ifndef _NVGHOST_MEM_OPS_H_
#define _NVGHOST_MEM_OPS_H_

#include <linux/types.h>
#include "nvghost_policy.h"

#define NVG_MEM_MAX_CANDIDATES	16
#define NVG_MEM_COMM_LEN	16

/* @access of struct nvg_mem_fault */
enum nvg_mem_access {
	NVG_MEM_ACCESS_READ = 0,
	NVG_MEM_ACCESS_WRITE = 1,
};

/* What nvg_mem_ops.evict() may answer beside a candidate's index. */
enum nvg_mem_evict_answer {
	NVG_MEM_EVICT_DEFAULT = 0x10000,	/* the built-in LRU choice */
	NVG_MEM_EVICT_CHOSEN = 0x10001,		/* the block nvg_mem_evict_block() named */
};

/**
 * struct nvg_mem_block - a managed block, read-only
 * @dev_index: which nvghost device.
 * @pid: the process that created its buffer.
 * @comm: that process's name.
 * @bo_id: its buffer's id (unique on the device, never reused).
 * @block: its number in the buffer (2 MiB each).
 * @nr_pages: 64 KiB pages in it (32, fewer for a short last block).
 * @resident: bitmap of its pages in VRAM.
 * @faults: GPU faults on it so far.
 * @evictions: times it was evicted so far.
 * @last_ns: device time of its last fault.
 * @in_use: it is in use: being migrated in, or serviced for a fault of
 *	the batch in progress, whose access waits for the replay (or is being
 *	replayed while the batch's prefetches run); evicting it is refused.
 */
struct nvg_mem_block {
	u32 dev_index;
	s32 pid;
	char comm[NVG_MEM_COMM_LEN];
	u64 bo_id;
	u32 block;
	u32 nr_pages;
	u32 resident;
	u32 in_use;
	u64 faults;
	u64 evictions;
	u64 last_ns;
};

/**
 * struct nvg_mem_fault - a GPU fault on managed memory, read-only
 * @blk: the block.
 * @page: the faulting 64 KiB page in the block.
 * @faulting: bitmap of the block's pages faulting in this batch (@page
 *	included).
 * @density: resident or faulting pages, per mille of @blk.nr_pages.
 * @access: an &enum nvg_mem_access.
 * @engine: the engine stalled on it.
 * @nr_blocks: blocks in the buffer.
 * @va: the faulting GPU virtual address.
 * @now_ns: device time.
 */
struct nvg_mem_fault {
	struct nvg_mem_block blk;
	u32 page;
	u32 faulting;
	u32 density;
	u32 access;
	u32 engine;
	u32 nr_blocks;
	u64 va;
	u64 now_ns;
};

/**
 * struct nvg_mem_evict - VRAM is full: which block goes, read-only
 * @dev_index: which nvghost device.
 * @for_blk: the block that needs VRAM.
 * @used_bytes: VRAM managed memory uses.
 * @limit_bytes: what it may use (0: all of VRAM).
 * @nr: entries in @cand.
 * @cand: the least recently used blocks holding VRAM, oldest first
 *	(blocks in use included, flagged @in_use).
 */
struct nvg_mem_evict {
	u32 dev_index;
	u32 nr;
	struct nvg_mem_block for_blk;
	u64 used_bytes;
	u64 limit_bytes;
	struct nvg_mem_block cand[NVG_MEM_MAX_CANDIDATES];
};

/**
 * struct nvg_mem_ops - a managed memory policy
 *
 * Every op is optional; the default decides what a policy leaves out. Only
 * @init and @exit may be sleepable programs. The ops run one at a time per
 * device, in the fault handler's process context, under the device's
 * managed memory lock.
 */
struct nvg_mem_ops {
	/**
	 * @init: called once when the policy is attached. Return 0, or a
	 * negative errno to refuse the attachment.
	 */
	s32 (*init)(void);

	/**
	 * @exit: called once when the policy stops being used, with the
	 * record of why.
	 */
	void (*exit)(struct nvg_exit_info *info);

	/**
	 * @fault: a page not in VRAM faulted: which pages of its block come
	 * in. Return 0 for the default (density prefetch), or a bitmap of
	 * pages that includes @fault->page and has no bit at or above
	 * @fault->blk.nr_pages. A negative errno or a bad region ejects the
	 * policy. May call nvg_mem_prefetch() for other blocks.
	 */
	s64 (*fault)(struct nvg_mem_fault *fault);

	/**
	 * @access: every fault on managed memory, before it is serviced
	 * (also one on a page already resident: another mapping, a prefetch
	 * race). May reorder the eviction list (nvg_mem_lru_move()).
	 */
	void (*access)(struct nvg_mem_fault *fault);

	/**
	 * @activate: a block got a VRAM chunk (it is the most recently used
	 * now). May reorder the eviction list.
	 */
	void (*activate)(struct nvg_mem_block *blk);

	/**
	 * @evict: VRAM is full: return the index of the candidate to evict,
	 * NVG_MEM_EVICT_DEFAULT for the LRU block, or NVG_MEM_EVICT_CHOSEN
	 * after naming any resident block with nvg_mem_evict_block(). A
	 * block in use (@in_use), a block not resident, any other value eject the
	 * policy.
	 */
	s32 (*evict)(struct nvg_mem_evict *evict);

	/**
	 * @flags: reserved, must be 0.
	 */
	u64 flags;

	/**
	 * @name: the policy's name, a valid BPF object name, not empty.
	 */
	char name[NVG_OPS_NAME_LEN];
};

enum nvg_mem_op {
	NVG_MEM_OP_INIT,
	NVG_MEM_OP_EXIT,
	NVG_MEM_OP_FAULT,
	NVG_MEM_OP_ACCESS,
	NVG_MEM_OP_ACTIVATE,
	NVG_MEM_OP_EVICT,
	NVG_MEM_NR_OPS,
};

extern struct nvg_hook nvg_mem_hook;

struct bpf_prog;
struct seq_file;
struct nvg_uvm;
struct nvg_uvm_block;
struct nvg_hal_fault;

int nvg_mem_ops_register(void);
int nvg_mem_prog_op(const struct bpf_prog *prog);
int nvg_mem_ops_show(struct seq_file *m);

/* Called by nvghost_uvm.c, its lock held. */
u32 nvg_mem_density_region(u32 resident, u32 faulting, u32 page, u32 nr_pages);
void nvg_mem_fill_fault(struct nvg_uvm *u, struct nvg_mem_fault *mf,
			struct nvg_uvm_block *blk, u32 page, u32 faulting,
			const struct nvg_hal_fault *f);
void nvg_mem_notify_access(struct nvg_uvm *u, struct nvg_uvm_block *blk,
			   struct nvg_mem_fault *mf);
void nvg_mem_notify_activate(struct nvg_uvm *u, struct nvg_uvm_block *blk);
u32 nvg_mem_fault_region(struct nvg_uvm *u, struct nvg_uvm_block *blk,
			 struct nvg_mem_fault *mf);
struct nvg_uvm_block *nvg_mem_choose_victim(struct nvg_uvm *u,
					    struct nvg_uvm_block *for_blk);
void nvg_mem_watchdog(struct nvg_uvm *u, const struct nvg_hal_fault *f);
struct nvg_uvm_block *nvg_uvm_find_block(struct nvg_uvm *u, u64 bo_id, u32 block);

#endif /* _NVGHOST_MEM_OPS_H_ */
