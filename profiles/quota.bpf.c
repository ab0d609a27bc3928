// SPDX-License-Identifier: GPL-2.0
/*
 * quota - keep a latency-critical client's managed memory resident beside
 * a streaming one.
 *
 * What it does: the protected client is the process protect_pid, or every
 * process named protect_comm. access() and activate() keep its blocks at
 * the end of the eviction list, and evict() picks the least recently used
 * candidate of any other client; only when every candidate is protected
 * does the default (LRU) choose. Up to protect_mb MiB of the protected
 * client's blocks are shielded (0: all); beyond that its oldest blocks
 * compete like anyone's. Prefetch stays the default.
 *
 * For whom: an interactive or inference client sharing a GPU with a batch
 * job that streams more than VRAM: without it, the stream's faults evict
 * the small client's working set on every pass.
 *
 * Where it is weak: the protected client can starve the others of VRAM
 * (set protect_mb); it knows clients only by pid or name.
 *
 * Tunables: protect_pid (0: none), protect_comm ("": none), protect_mb (0).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile s32 protect_pid = 0;
const volatile char protect_comm[16] = "";
const volatile u32 protect_mb = 0;

NVG_UEI_DEFINE(uei);

/* Blocks of the protected client with VRAM now (2 MiB each), per device. */
u64 protected_blocks[NVG_MAX_GPUS];

static __always_inline bool is_protected(const struct nvg_mem_block *b)
{
	int i;

	if (protect_pid && b->pid == protect_pid)
		return true;
	if (!protect_comm[0])
		return false;
	for (i = 0; i < 16; i++) {
		if (b->comm[i] != protect_comm[i])
			return false;
		if (!protect_comm[i])
			return true;
	}
	return true;
}

static __always_inline bool shielded(const struct nvg_mem_block *b)
{
	u32 dev = b->dev_index;

	if (!is_protected(b))
		return false;
	if (!protect_mb || dev >= NVG_MAX_GPUS)
		return true;
	return protected_blocks[dev] * 2 <= protect_mb;
}

void NVG_OPS(quota_access, struct nvg_mem_fault *f)
{
	if (shielded(&f->blk))
		nvg_mem_lru_move(f->blk.dev_index, f->blk.bo_id, f->blk.block, true);
}

void NVG_OPS(quota_activate, struct nvg_mem_block *b)
{
	u32 dev = b->dev_index;

	if (is_protected(b) && dev < NVG_MAX_GPUS)
		protected_blocks[dev]++;
}

s32 NVG_OPS(quota_evict, struct nvg_mem_evict *e)
{
	u32 dev = e->dev_index, i;

	for (i = 0; i < NVG_MEM_MAX_CANDIDATES && i < e->nr; i++) {
		if (e->cand[i].in_use || shielded(&e->cand[i]))
			continue;
		if (is_protected(&e->cand[i]) && dev < NVG_MAX_GPUS &&
		    protected_blocks[dev])
			protected_blocks[dev]--;
		return i;
	}
	/* Every candidate is shielded: LRU decides; count what leaves. */
	for (i = 0; i < NVG_MEM_MAX_CANDIDATES && i < e->nr; i++)
		if (!e->cand[i].in_use) {
			if (is_protected(&e->cand[i]) && dev < NVG_MAX_GPUS &&
			    protected_blocks[dev])
				protected_blocks[dev]--;
			return i;
		}
	return NVG_MEM_EVICT_DEFAULT;
}

void NVG_OPS(quota_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_MEM_OPS_DEFINE(quota_ops,
	.access		= (void *)quota_access,
	.activate	= (void *)quota_activate,
	.evict		= (void *)quota_evict,
	.exit		= (void *)quota_exit,
	.name		= "quota");
