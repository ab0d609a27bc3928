// SPDX-License-Identifier: GPL-2.0
/*
 * lfu - managed memory eviction by fault frequency with decay.
 *
 * What it does: every fault on a block adds one to the block's score, and
 * scores halve every half_life_ms of device time. When VRAM is full,
 * evict() picks, among the least recently used blocks the driver offers
 * (up to 16), the one with the lowest score now. Prefetch stays the
 * default (density).
 *
 * For whom: mixes of a hot working set that is touched again and again
 * (a KV cache, embedding tables, a hot 10%) and streaming data touched
 * once: LRU evicts the hot set whenever a long stream passes; a stream's
 * blocks score 1 and go first.
 *
 * Where it is weak: phase changes (an old hot set keeps its score for a
 * few half-lives) and pure scans (every block scores the same, and the
 * choice falls back to LRU order among them).
 *
 * Tunables: half_life_ms (50): how fast scores decay (1..60000).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u64 half_life_ms = 50;

NVG_UEI_DEFINE(uei);

struct freq {
	u64 score;	/* faults, << 10 */
	u64 stamp_ns;	/* device time @score was computed at */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, u64);
	__type(value, struct freq);
} freqs SEC(".maps");

static __always_inline u64 block_key(u64 bo_id, u32 block)
{
	return bo_id << 24 | block;
}

static __always_inline u64 decayed(const struct freq *f, u64 now)
{
	u64 halvings = now > f->stamp_ns ?
		       (now - f->stamp_ns) / (half_life_ms * 1000000ULL) : 0;

	return halvings >= 63 ? 0 : f->score >> halvings;
}

s32 NVG_OPS_SLEEPABLE(lfu_init)
{
	return half_life_ms >= 1 && half_life_ms <= 60000 ? 0 : -22;
}

void NVG_OPS(lfu_access, struct nvg_mem_fault *f)
{
	u64 key = block_key(f->blk.bo_id, f->blk.block);
	struct freq *v, nv = { .score = 1 << 10, .stamp_ns = f->now_ns };

	v = bpf_map_lookup_elem(&freqs, &key);
	if (!v) {
		bpf_map_update_elem(&freqs, &key, &nv, BPF_ANY);
		return;
	}
	v->score = decayed(v, f->now_ns) + (1 << 10);
	v->stamp_ns = f->now_ns;
}

s32 NVG_OPS(lfu_evict, struct nvg_mem_evict *e)
{
	u64 now = nvg_device_now_ns(e->dev_index), best_score = ~0ULL, s, key;
	s32 best = -1;
	struct freq *v;
	u32 i;

	for (i = 0; i < NVG_MEM_MAX_CANDIDATES && i < e->nr; i++) {
		if (e->cand[i].in_use)
			continue;
		key = block_key(e->cand[i].bo_id, e->cand[i].block);
		v = bpf_map_lookup_elem(&freqs, &key);
		s = v ? decayed(v, now) : 0;
		if (s < best_score) {
			best_score = s;
			best = i;
		}
	}
	return best >= 0 ? best : NVG_MEM_EVICT_DEFAULT;
}

void NVG_OPS(lfu_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_MEM_OPS_DEFINE(lfu_ops,
	.init		= (void *)lfu_init,
	.access		= (void *)lfu_access,
	.evict		= (void *)lfu_evict,
	.exit		= (void *)lfu_exit,
	.name		= "lfu");
