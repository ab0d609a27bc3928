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
 * the default density prefetch. Once a stream ran from one block into
 * the next, evict() takes, among the blocks of the buffer it ran through,
 * the one the stream will reach last going forward (the block it passed
 * most recently, counting round to the buffer's start: a scan that starts
 * over comes back to it last), never the block it is reading now, and
 * leaves other buffers' blocks (a KV cache, a small client's data) alone
 * while it has one to give. For a cyclic scan that is Belady's choice,
 * the optimum: a scan over 1.5x VRAM then misses 2 of its 6 blocks a pass,
 * where LRU misses every block (each evicted just before it is needed)
 * and evicting the most recently faulted-in block (what this policy did
 * first: a block that stays resident never faults, so its recency is not
 * seen) misses 3.
 *
 * For whom: scans, cyclic passes over weights (LLM decode streams layer
 * weights in order), large copies.
 *
 * Where it is weak: random access (no stream forms, so it is the default);
 * prefetched blocks a short stream never reaches are wasted migrations.
 *
 * Tunables: ahead_blocks (0, 0..4): blocks prefetched ahead of a stream,
 * asynchronously, after the batch (0: none; measured in virtual time, make
 * bench, the next block's prefetch made the cyclic scan and the LLM decode
 * slower: migrations share one serial copy-engine queue, so it saves only
 * the next block's fault service, and the chunk it takes is evicted while
 * the block being read still holds one, which is not Belady's choice);
 * run_faults (2): forward faults in a row that make a stream.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 ahead_blocks = 0;
const volatile u32 run_faults = 2;

NVG_UEI_DEFINE(uei);

struct stream {
	u64 bo_id;
	u32 block;
	u32 page;
	u32 run;
	u32 pad;
	u64 stream_bo;	/* the last buffer a stream ran through (0: none) */
	u32 stream_block;	/* the block of it the stream faulted last */
	u32 stream_blocks;	/* its blocks */
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
	/*
	 * A fault at the start of another block of the scanned buffer
	 * continues the stream, also after faults elsewhere: the scan went
	 * on past blocks that stayed resident (they do not fault), started
	 * over (a cyclic scan), or came back from the KV cache (LLM decode).
	 */
	if (s->stream_bo == f->blk.bo_id && !f->page && f->blk.block != s->stream_block) {
		fwd = true;
		s->run = s->run < run_faults ? run_faults - 1 : s->run;
	}
	s->run = fwd ? s->run + 1 : 0;
	/* a stream that crosses into the next block: the buffer is scanned */
	if (s->run >= run_faults && f->blk.block == s->block + 1) {
		s->stream_bo = f->blk.bo_id;
		s->stream_blocks = f->nr_blocks;
	}
	if (s->stream_bo == f->blk.bo_id)
		s->stream_block = f->blk.block;
	s->bo_id = f->blk.bo_id;
	s->block = f->blk.block;
	s->page = f->page;
	if (s->run < run_faults)
		return 0;
	/* Full blocks only ahead: the last one may be short. */
	for (k = 1; k <= 4 && k <= ahead_blocks; k++)
		if (f->blk.block + k + 1 < f->nr_blocks)
			nvg_mem_prefetch(dev, f->blk.bo_id, f->blk.block + k, 0xffffffffu);
	all = nr == 32 ? 0xffffffffu : (1u << nr) - 1;
	return all & ~((1u << f->page) - 1);
}

s32 NVG_OPS(stride_evict, struct nvg_mem_evict *e)
{
	u32 dev = e->dev_index, i, pos, nr, d, fb, best = 0;
	struct stream *s = bpf_map_lookup_elem(&streams, &dev);
	s32 pick = -1;

	if (!s || !s->stream_bo || !s->stream_blocks)
		return NVG_MEM_EVICT_DEFAULT;
	nr = s->stream_blocks;
	/*
	 * Where the stream is: the block that needs VRAM, if it is the
	 * stream's. (Both values loaded first: a select between the two
	 * pointers is one load the verifier refuses.)
	 */
	pos = s->stream_block;
	fb = e->for_blk.block;
	barrier_var(fb);
	if (e->for_blk.bo_id == s->stream_bo)
		pos = fb;
	/*
	 * The streamed buffer's block the stream reaches last going forward
	 * (round to the start: the next pass). Not only while the stream
	 * runs: a cyclic scan breaks its run where each pass starts again.
	 */
	for (i = 0; i < NVG_MEM_MAX_CANDIDATES && i < e->nr; i++) {
		if (e->cand[i].in_use || e->cand[i].bo_id != s->stream_bo ||
		    e->cand[i].block == s->stream_block || e->cand[i].block >= nr)
			continue;
		d = (e->cand[i].block + nr - pos % nr) % nr;
		if (d >= best) {
			best = d;
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
