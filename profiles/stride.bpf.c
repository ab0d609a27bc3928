// SPDX-License-Identifier: GPL-2.0
/*
 * stride - a sequential prefetcher with scan-resistant eviction for
 * managed memory.
 *
 * What it does: fault() watches each device's faults. Once run_faults
 * faults in a row move forward through one buffer (a later page of the
 * same block, or the next block), the stream is sequential: the rest of
 * the block comes in with the fault, and the next ahead_blocks blocks are
 * migrated right after the batch (nvg_mem_prefetch()). Other faults get
 * the default density prefetch. Once a stream ran, evict() takes the
 * candidate the stream faulted in most recently instead of the oldest
 * (MRU among the blocks of the last buffer a stream ran through, also
 * between passes): a scan over more than VRAM then keeps
 * a stable part of the buffer resident for the next pass instead of
 * evicting each block just before it is needed (what LRU does).
 *
 * For whom: scans, cyclic passes over weights (LLM decode streams layer
 * weights in order), large copies.
 *
 * Where it is weak: random access (no stream forms, so it is the default);
 * prefetched blocks a short stream never reaches are wasted migrations.
 *
 * Tunables: ahead_blocks (1, 0..4): blocks prefetched ahead of a stream;
 * run_faults (2): forward faults in a row that make a stream.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 ahead_blocks = 1;
const volatile u32 run_faults = 2;

NVG_UEI_DEFINE(uei);

struct stream {
	u64 bo_id;
	u32 block;
	u32 page;
	u32 run;
	u32 pad;
	u64 stream_bo;	/* the last buffer a stream ran through (0: none) */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NVG_MAX_GPUS);
	__type(key, u32);
	__type(value, struct stream);
} streams SEC(".maps");

s32 NVG_OPS_SLEEPABLE(stride_init)
{
	return ahead_blocks <= 4 && run_faults >= 1 ? 0 : -22;
}

s64 NVG_OPS(stride_fault, struct nvg_mem_fault *f)
{
	u32 dev = f->blk.dev_index, k, all, nr = f->blk.nr_pages;
	struct stream *s = bpf_map_lookup_elem(&streams, &dev);
	bool fwd;

	if (!s || f->page >= 32 || nr > 32)
		return 0;
	fwd = s->bo_id == f->blk.bo_id &&
	      ((f->blk.block == s->block && f->page > s->page) ||
	       f->blk.block == s->block + 1);
	s->run = fwd ? s->run + 1 : 0;
	s->bo_id = f->blk.bo_id;
	s->block = f->blk.block;
	s->page = f->page;
	if (s->run < run_faults)
		return 0;
	s->stream_bo = f->blk.bo_id;
	/* Full blocks only ahead: the last one may be short. */
	for (k = 1; k <= 4 && k <= ahead_blocks; k++)
		if (f->blk.block + k + 1 < f->nr_blocks)
			nvg_mem_prefetch(dev, f->blk.bo_id, f->blk.block + k, 0xffffffffu);
	all = nr == 32 ? 0xffffffffu : (1u << nr) - 1;
	return all & ~((1u << f->page) - 1);
}

s32 NVG_OPS(stride_evict, struct nvg_mem_evict *e)
{
	u32 dev = e->dev_index, i;
	struct stream *s = bpf_map_lookup_elem(&streams, &dev);
	s32 pick = -1;
	u64 last = 0;

	if (!s || !s->stream_bo)
		return NVG_MEM_EVICT_DEFAULT;
	/*
	 * The streamed buffer's most recently faulted block among the
	 * candidates. Not only while the stream runs: a cyclic scan breaks
	 * its run where each pass starts again, and LRU there would evict
	 * the part the last pass kept resident.
	 */
	for (i = 0; i < NVG_MEM_MAX_CANDIDATES && i < e->nr; i++) {
		if (e->cand[i].in_use || e->cand[i].bo_id != s->stream_bo)
			continue;
		if (e->cand[i].last_ns >= last) {
			last = e->cand[i].last_ns;
			pick = i;
		}
	}
	return pick >= 0 ? pick : NVG_MEM_EVICT_DEFAULT;
}

void NVG_OPS(stride_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_MEM_OPS_DEFINE(stride_ops,
	.init		= (void *)stride_init,
	.fault		= (void *)stride_fault,
	.evict		= (void *)stride_evict,
	.exit		= (void *)stride_exit,
	.name		= "stride");
