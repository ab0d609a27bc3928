// SPDX-License-Identifier: GPL-2.0
/*
 * smooth - frame pacing for an even cadence, nothing else.
 *
 * What it does: per head it holds every flip to a fixed period after the
 * previous one. The period is the longest frame time seen -- from the
 * latch of a flip to the queueing of the next (a head takes one flip at a
 * time, so a client's next flip comes after its previous one latched; the
 * time smooth held a flip does not count, so a client that waits for its
 * flips does not slow down by its own pacing) -- plus a margin
 * (margin_us): slow enough that
 * almost every frame is early and waits for its slot, so the slots, not
 * the frames, set the rhythm:
 *
 *  - with VRR on, the head refreshes at that moment (the monitor's range
 *    permitting): a game whose frames take 5 to 11 ms is shown every
 *    12 to 15 ms, not at 7, 10, 6, 9 ms as its frames happen to finish;
 *  - at a fixed refresh rate, the flip waits for the vblank that keeps the
 *    cadence a whole number of refreshes (a 40 fps game on a 60 Hz head is
 *    held to every other vblank, 30 fps even, instead of alternating one
 *    and two refreshes).
 *
 * The period stays put while the frames fit it: a period that followed the
 * frames (an average, say) would move the slots with every frame, and an
 * even cadence is one whose intervals do not move (1 Hz at 100 Hz is 0.1
 * ms). It changes only when it must: a frame later than its slot raises it
 * at once (to that frame's interval plus the margin), and when a whole
 * epoch (128 frames) fits in 3/4 of the period, it comes down to that
 * epoch's longest plus the margin. The first frames on a head (3) are not
 * held: they set the first period, generously (their longest plus their
 * spread plus the margin), so that later frames seldom move it. A frame
 * time over
 * twice the period (a pause: loading, a menu), or too long for any slot
 * in the head's window (&struct nvg_flip), changes nothing.
 *
 * A flip that arrives later than its slot latches at the next vblank (the
 * default): smooth never adds latency to a late frame.
 *
 * For whom: video playback, games with a frame limiter, anyone who prefers
 * even motion to the lowest latency.
 *
 * Where it is weak: it paces at the slowest frames' rate, so it adds up to
 * (longest - shortest frame) of latency to fast frames by design, and a
 * game that gets faster for good is followed only at the end of an epoch
 * (128 frames). A single late frame still shows late, and raises the
 * period for the frames after it. It gives no start-time advice (see
 * gaming).
 *
 * Tunables (nvgpolicy load smooth.bpf.o --set NAME=VALUE):
 *   margin_us  the period's margin over the longest frame (default 500)
 *   slack_us   a flip within this of its slot latches at once (default 0:
 *              held to the slot however close; the device clock's alarms
 *              are exact in virtual time, and within a timer's latency live)
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

#define MAX_HEADS	(NVG_MAX_GPUS * 8)
/* Intervals measured before the first period is set. */
#define LEARN_FRAMES	3
/* Frames per epoch, after which the period may come down. */
#define EPOCH_FRAMES	128

const volatile u32 margin_us = 500;
const volatile u32 slack_us = 0;

struct head_state {
	u32 frames;		/* intervals measured since it started */
	u32 epoch_frames;	/* ... in this epoch */
	u64 last_latch_ns;	/* when the previous flip latched (vblank), or is to */
	u64 period_ns;		/* the cadence; 0 while learning */
	u64 peak_ns;		/* the longest interval while learning / this epoch */
	u64 least_ns;		/* the shortest while learning */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_HEADS);
	__type(key, u32);
	__type(value, struct head_state);
} heads SEC(".maps");

NVG_UEI_DEFINE(uei);

/* A frame interval measured: learn, raise or (at an epoch's end) lower the period. */
static void smooth_learn(struct head_state *hs, u64 iv, u64 min_ns, u64 max_ns)
{
	u64 margin = (u64)margin_us * 1000;

	/* a pause, not a frame; or one no slot could hold */
	if ((hs->period_ns && iv > 2 * hs->period_ns) || iv + margin > max_ns)
		return;
	if (iv > hs->peak_ns)
		hs->peak_ns = iv;
	if (!hs->least_ns || iv < hs->least_ns)
		hs->least_ns = iv;
	hs->frames++;
	if (!hs->period_ns) {
		if (hs->frames >= LEARN_FRAMES) {
			/* the longest seen plus their spread: few frames, a safe guess */
			hs->period_ns = 2 * hs->peak_ns - hs->least_ns + margin;
			if (hs->period_ns + margin > max_ns)
				hs->period_ns = max_ns - margin;
			hs->peak_ns = 0;
			hs->epoch_frames = 0;
		}
	} else if (iv > hs->period_ns) {
		/* late for its slot: the period was too short */
		hs->period_ns = iv + margin;
	} else if (++hs->epoch_frames >= EPOCH_FRAMES) {
		if (hs->peak_ns + margin < hs->period_ns - hs->period_ns / 4)
			hs->period_ns = hs->peak_ns + margin;
		hs->peak_ns = 0;
		hs->epoch_frames = 0;
	}
	if (hs->period_ns && hs->period_ns < min_ns)
		hs->period_ns = min_ns;
}

u64 NVG_OPS(smooth_flip, struct nvg_flip *f)
{
	u32 key = (f->dev_index % NVG_MAX_GPUS) * 8 + f->head % 8;
	struct head_state *hs = bpf_map_lookup_elem(&heads, &key);
	u64 slot, t = 0, dflt, n;

	if (!hs)
		return 0;
	if (hs->last_latch_ns && f->now_ns > hs->last_latch_ns)
		smooth_learn(hs, f->now_ns - hs->last_latch_ns, f->vrr ? f->vrr_min_ns : 0,
			     f->window_end_ns - f->last_vblank_ns);
	/* The default latch: the next vblank; with VRR now, if the monitor can refresh yet. */
	dflt = f->last_vblank_ns + (f->vrr ? f->vrr_min_ns : f->frame_ns);
	if (f->vrr && dflt < f->now_ns)
		dflt = f->now_ns;

	if (hs->period_ns && hs->last_latch_ns) {
		slot = hs->last_latch_ns + hs->period_ns;
		if (!f->vrr && f->frame_ns) {
			/* A whole number of refreshes after the last latch. */
			n = (hs->period_ns + f->frame_ns - 1) / f->frame_ns;
			slot = hs->last_latch_ns + (n ? n : 1) * f->frame_ns;
		}
		if (slot > f->now_ns + (u64)slack_us * 1000 && slot <= f->window_end_ns)
			t = slot;
	}
	hs->last_latch_ns = t ? t : dflt;
	return t;
}

/* A flip latched: the frame times count from when it really did. */
void NVG_OPS(smooth_vblank, struct nvg_vblank *vb)
{
	u32 key = (vb->dev_index % NVG_MAX_GPUS) * 8 + vb->head % 8;
	struct head_state *hs;

	if (!vb->flipped)
		return;
	hs = bpf_map_lookup_elem(&heads, &key);
	if (hs)
		hs->last_latch_ns = vb->time_ns;
}

void NVG_OPS(smooth_exit, struct nvg_exit_info *ei)
{
	NVG_UEI_RECORD(uei, ei);
}

NVG_PACING_OPS_DEFINE(smooth_ops,
	.flip		= (void *)smooth_flip,
	.vblank		= (void *)smooth_vblank,
	.exit		= (void *)smooth_exit,
	.name		= "smooth");
