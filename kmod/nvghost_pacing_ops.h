/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_pacing_ops.h - the frame-pacing hook: struct nvg_pacing_ops.
 *
 * When a client's page flip is queued on a head, the policy may choose the
 * moment it is latched (shown): on a fixed-refresh head the flip waits for
 * the first vblank at or after that moment; on a head with VRR on, the head
 * refreshes at that moment (within the range the monitor allows). When a
 * client asks when to start its next frame (DRM_IOCTL_NVGHOST_FRAME_WAIT),
 * the policy may answer with a start time -- the Reflex-style "sleep until
 * the best moment to start rendering". It also sees every vblank.
 *
 * Built-in default (no policy, or an op missing): latch at the next vblank,
 * no start-time advice. A latch time in the past or beyond the head's
 * window (see &struct nvg_flip) ejects the policy.
 */
#ifndef _NVGHOST_PACING_OPS_H_
#define _NVGHOST_PACING_OPS_H_

#include <linux/types.h>
#include "nvghost_policy.h"

/* How far ahead of the last vblank a fixed-refresh flip may be held. */
#define NVG_PACING_MAX_FRAMES_AHEAD	4
/* How far in the future a frame start may be advised. */
#define NVG_PACING_MAX_START_NS		(1000ULL * 1000 * 1000)

/**
 * struct nvg_flip - a page flip just queued on a head, read-only
 * @dev_index: which nvghost device.
 * @head: which head (CRTC index).
 * @pid: the process that flipped: thread group id of the opener of the DRM
 *	file its flip event goes to; for a flip that asked for no event, the
 *	process that committed it if the commit was blocking, else 0.
 * @vrr: VRR is on for this head.
 * @seq: vblanks the head has had.
 * @now_ns: PTIMER time the flip was queued.
 * @last_vblank_ns: PTIMER time the head's last refresh began.
 * @frame_ns: the mode's refresh period.
 * @vrr_min_ns: with @vrr, the shortest frame the monitor takes (its
 *	highest refresh rate); 0 otherwise.
 * @vrr_max_ns: with @vrr, the longest (its lowest refresh rate); 0
 *	otherwise.
 * @window_end_ns: the latest latch time allowed: @last_vblank_ns +
 *	@vrr_max_ns with VRR, else @last_vblank_ns +
 *	NVG_PACING_MAX_FRAMES_AHEAD * @frame_ns.
 */
struct nvg_flip {
	u32 dev_index;
	u32 head;
	s32 pid;
	u32 vrr;
	u64 seq;
	u64 now_ns;
	u64 last_vblank_ns;
	u64 frame_ns;
	u64 vrr_min_ns;
	u64 vrr_max_ns;
	u64 window_end_ns;
};

/**
 * struct nvg_vblank - a head's refresh began, read-only
 * @dev_index: which nvghost device.
 * @head: which head.
 * @seq: its vblank count.
 * @time_ns: PTIMER time of the vblank.
 * @flipped: a flip latched at this vblank.
 */
struct nvg_vblank {
	u32 dev_index;
	u32 head;
	u64 seq;
	u64 time_ns;
	u32 flipped;
};

/**
 * struct nvg_frame - a client is about to start a frame, read-only
 * @dev_index: which nvghost device.
 * @head: the head it presents on.
 * @pid: the client process: thread group id of the opener of the DRM
 *	file the request came on (whichever process made it), as for a flip.
 * @now_ns: PTIMER time of the request.
 * @last_vblank_ns: PTIMER time the head's last refresh began.
 * @frame_ns: the head's refresh period (VRR: the current frame interval).
 * @last_frame_ns: the client's previous frame, from its start to the
 *	latch of its flip; 0 if unknown.
 * @queued: flips of the client still waiting to latch.
 */
struct nvg_frame {
	u32 dev_index;
	u32 head;
	s32 pid;
	u32 queued;
	u64 now_ns;
	u64 last_vblank_ns;
	u64 frame_ns;
	u64 last_frame_ns;
};

/**
 * struct nvg_pacing_ops - a frame-pacing policy
 *
 * @flip is required. Only @init and @exit may be sleepable.
 */
struct nvg_pacing_ops {
	/** @init: on attach; 0 or a negative errno to refuse. */
	s32 (*init)(void);

	/** @exit: when the policy stops being used, with the record why. */
	void (*exit)(struct nvg_exit_info *info);

	/**
	 * @flip: a flip was queued: return the PTIMER time to latch it at,
	 * within [@flip->now_ns, @flip->window_end_ns], or 0 for the next
	 * vblank. Anything else ejects the policy.
	 */
	u64 (*flip)(struct nvg_flip *flip);

	/** @vblank: a head refreshed. */
	void (*vblank)(struct nvg_vblank *vblank);

	/**
	 * @frame_start: when should the client start its next frame? Return
	 * a PTIMER time (a past one means now) no later than @frame->now_ns
	 * + NVG_PACING_MAX_START_NS, or 0 for no advice (start now).
	 */
	u64 (*frame_start)(struct nvg_frame *frame);

	/** @flags: reserved, must be 0. */
	u64 flags;

	/** @name: the policy's name, a valid BPF object name, not empty. */
	char name[NVG_OPS_NAME_LEN];
};

enum nvg_pacing_op {
	NVG_PACING_OP_INIT,
	NVG_PACING_OP_EXIT,
	NVG_PACING_OP_FLIP,
	NVG_PACING_OP_VBLANK,
	NVG_PACING_OP_FRAME_START,
	NVG_PACING_NR_OPS,
};

extern struct nvg_hook nvg_pacing_hook;

int nvg_pacing_ops_register(void);
bool nvg_pacing_prog(const struct bpf_prog *prog);
int nvg_pacing_ops_show(struct seq_file *m);
u64 nvg_pacing_flip(struct nvg_flip *flip);
void nvg_pacing_vblank(struct nvg_vblank *vblank);
u64 nvg_pacing_frame_start(struct nvg_frame *frame);

#endif /* _NVGHOST_PACING_OPS_H_ */
