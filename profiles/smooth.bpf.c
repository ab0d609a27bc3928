// SPDX-License-Identifier: GPL-2.0
/*
 * smooth - frame pacing for an even cadence, nothing else.
 *
 * What it does: per head it keeps a moving average (EWMA, 7/8 old + 1/8
 * new) of the interval between the flips a client queues -- less the time
 * smooth itself held the previous flip, so that a client that waits for
 * its flips does not slow down by its own pacing -- and of how far
 * intervals stray from it, and latches each flip one average interval plus
 * twice that deviation after the previous one: slow enough that most
 * frames are early and wait for their slot, so frames are shown at a
 * steady rhythm even when they are rendered unevenly:
 *
 *  - with VRR on, the head refreshes at that moment (the monitor's range
 *    permitting): a game at 70 fps is shown every 14.3 ms, not at 13, 16,
 *    14, 15 ms as its frames happen to finish;
 *  - at a fixed refresh rate, the flip waits for the vblank that keeps the
 *    cadence a whole number of refreshes (a 40 fps game on a 60 Hz head is
 *    held to every other vblank, 30 fps even, instead of alternating one
 *    and two refreshes).
 *
 * A flip that arrives later than its slot latches at the next vblank (the
 * default): smooth never adds latency to a late frame.
 *
 * For whom: video playback, games with a frame limiter, anyone who prefers
 * even motion to the lowest latency.
 *
 * Where it is weak: it adds up to one frame interval of latency to early
 * frames by design, and it follows a changing frame rate only gradually
 * (over about eight frames). It gives no start-time advice (see gaming).
 *
 * Tunables (nvgpolicy load smooth.bpf.o --set NAME=VALUE):
 *   slack_us  a flip within this of its slot latches at once (default 500)
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

#define MAX_HEADS	(NVG_MAX_GPUS * 8)

const volatile u32 slack_us = 500;

struct head_state {
	u64 last_queue_ns;	/* when the previous flip was queued */
	u64 avg_interval_ns;	/* EWMA of the intervals between flips */
	u64 last_latch_ns;	/* when the previous flip was (to be) latched */
	u64 last_hold_ns;	/* how long smooth held it beyond the default */
	u64 avg_dev_ns;		/* EWMA of |interval - average| */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_HEADS);
	__type(key, u32);
	__type(value, struct head_state);
} heads SEC(".maps");

NVG_UEI_DEFINE(uei);

u64 NVG_OPS(smooth_flip, struct nvg_flip *f)
{
	u32 key = (f->dev_index % NVG_MAX_GPUS) * 8 + f->head % 8;
	struct head_state *hs = bpf_map_lookup_elem(&heads, &key);
	u64 slot, t = 0, next_vblank, n;

	if (!hs)
		return 0;
	if (hs->last_queue_ns && f->now_ns > hs->last_queue_ns + hs->last_hold_ns) {
		u64 iv = f->now_ns - hs->last_queue_ns - hs->last_hold_ns;

		u64 dev = iv > hs->avg_interval_ns ? iv - hs->avg_interval_ns :
						     hs->avg_interval_ns - iv;

		if (hs->avg_interval_ns)
			hs->avg_dev_ns = (hs->avg_dev_ns * 7 + dev) / 8;
		hs->avg_interval_ns = hs->avg_interval_ns ?
			(hs->avg_interval_ns * 7 + iv) / 8 : iv;
	}
	hs->last_queue_ns = f->now_ns;
	next_vblank = f->last_vblank_ns + f->frame_ns;

	if (hs->avg_interval_ns && hs->last_latch_ns) {
		/*
		 * The cadence is the average interval plus twice its average
		 * deviation: slow enough that most frames are early and wait for
		 * their slot, so the slots, not the frames, set the rhythm.
		 */
		slot = hs->last_latch_ns + hs->avg_interval_ns + 2 * hs->avg_dev_ns;
		if (!f->vrr && f->frame_ns) {
			/* A whole number of refreshes after the last latch. */
			n = (hs->avg_interval_ns + 2 * hs->avg_dev_ns + f->frame_ns / 2) /
			    f->frame_ns;
			slot = hs->last_latch_ns + (n ? n : 1) * f->frame_ns;
		}
		if (slot > f->now_ns + (u64)slack_us * 1000 && slot <= f->window_end_ns)
			t = slot;
	}
	/* Where it will latch: the slot, or by default the next vblank. */
	hs->last_latch_ns = t ? t : (f->vrr ? f->now_ns : next_vblank);
	hs->last_hold_ns = t > (f->vrr ? f->now_ns : next_vblank) ?
			   t - (f->vrr ? f->now_ns : next_vblank) : 0;
	return t;
}

void NVG_OPS(smooth_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_PACING_OPS_DEFINE(smooth_ops,
	.flip		= (void *)smooth_flip,
	.exit		= (void *)smooth_exit,
	.name		= "smooth");
