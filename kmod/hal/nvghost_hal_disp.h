/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_hal_disp.h - the display engine: heads, flips and vblanks.
 *
 * A head is a timing generator: given a raster it starts a frame every
 * HTOTAL x VTOTAL pixel clocks and, at each vblank, counts it and latches
 * the PTIMER time. With VRR it holds each frame until @flip says an image
 * is ready, or until the longest frame the monitor accepts. On NVIDIA
 * hardware this is programmed through EVO/NVDisplay channels (nvkm's disp
 * subdev); the simulator's heads are registers (nvghost_hal_sim_disp.c).
 *
 * Interrupts: the driver's handler sees NV_PMC_INTR_PDISP in NV_PMC_INTR_0
 * and calls @intr, which acknowledges and says which heads had a vblank.
 */
#ifndef _NVGHOST_HAL_DISP_H_
#define _NVGHOST_HAL_DISP_H_

#include <linux/types.h>

/**
 * struct nvg_hal_head_mode - what a head scans out
 * @pclk_khz: pixel clock.
 * @htotal: pixels per line, blanking included.
 * @vtotal: lines per frame, blanking included.
 * @vrr_max_ns: with VRR, the longest frame (the monitor's lowest rate).
 * @vrr: adaptive sync: the raster is the shortest frame, a flip ends it.
 */
struct nvg_hal_head_mode {
	u32 pclk_khz;
	u32 htotal;
	u32 vtotal;
	u32 vrr_max_ns;
	bool vrr;
};

/**
 * struct nvg_hal_head_state - a head as the hardware reports it (debugfs)
 * @enabled: scanning out.
 * @mode: the raster last programmed.
 * @vblanks: vblank counter.
 * @vblank_ns: PTIMER time of the last vblank.
 * @frame_ns: length of the frame that vblank ended.
 */
struct nvg_hal_head_state {
	bool enabled;
	struct nvg_hal_head_mode mode;
	u32 vblanks;
	u64 vblank_ns;
	u32 frame_ns;
};

/**
 * struct nvg_hal_disp_funcs - the display engine of a backend
 * @heads: how many heads the display engine has.
 * @max_pclk_khz: the fastest pixel clock a head drives.
 * @vblank_irq: turn head @head's vblank interrupt on or off (the caller
 *	serialises calls: it may be a read-modify-write).
 * @vblank_irq_off: turn every head's vblank interrupt off.
 * @intr: acknowledge the display interrupts: returns the heads that had a
 *	vblank (bit n: head n). Hard-IRQ context.
 * @head_enable: program @mode and start scanning.
 * @head_set_vrr: turn VRR on or off on an enabled head, keeping its raster.
 * @head_disable: stop scanning.
 * @head_enabled: whether head @head scans out.
 * @head_state: fill @s (for debugfs).
 * @vblank_count: the head's vblank counter. Any context.
 * @vblank_time: PTIMER time the head's last vblank began. Any context.
 * @vrr_max_ns: the longest frame programmed for the head.
 * @flip: with VRR, a new image is ready: end the frame. Any context.
 */
struct nvg_hal_disp_funcs {
	u32 (*heads)(struct nvg_hal *hal);
	u32 (*max_pclk_khz)(struct nvg_hal *hal);
	void (*vblank_irq)(struct nvg_hal *hal, u32 head, bool on);
	void (*vblank_irq_off)(struct nvg_hal *hal);
	u32 (*intr)(struct nvg_hal *hal);
	void (*head_enable)(struct nvg_hal *hal, u32 head,
			    const struct nvg_hal_head_mode *mode);
	void (*head_set_vrr)(struct nvg_hal *hal, u32 head, bool vrr);
	void (*head_disable)(struct nvg_hal *hal, u32 head);
	bool (*head_enabled)(struct nvg_hal *hal, u32 head);
	void (*head_state)(struct nvg_hal *hal, u32 head,
			   struct nvg_hal_head_state *s);
	u32 (*vblank_count)(struct nvg_hal *hal, u32 head);
	u64 (*vblank_time)(struct nvg_hal *hal, u32 head);
	u32 (*vrr_max_ns)(struct nvg_hal *hal, u32 head);
	void (*flip)(struct nvg_hal *hal, u32 head);
};

static inline u32 nvg_hw_disp_heads(struct nvg_hal *hal)
{
	return hal->funcs->disp->heads(hal);
}

static inline u32 nvg_hw_disp_max_pclk_khz(struct nvg_hal *hal)
{
	return hal->funcs->disp->max_pclk_khz(hal);
}

static inline void nvg_hw_disp_vblank_irq(struct nvg_hal *hal, u32 head, bool on)
{
	hal->funcs->disp->vblank_irq(hal, head, on);
}

static inline void nvg_hw_disp_vblank_irq_off(struct nvg_hal *hal)
{
	hal->funcs->disp->vblank_irq_off(hal);
}

static inline u32 nvg_hw_disp_intr(struct nvg_hal *hal)
{
	return hal->funcs->disp->intr(hal);
}

static inline void nvg_hw_head_enable(struct nvg_hal *hal, u32 head,
				      const struct nvg_hal_head_mode *mode)
{
	hal->funcs->disp->head_enable(hal, head, mode);
}

static inline void nvg_hw_head_set_vrr(struct nvg_hal *hal, u32 head, bool vrr)
{
	hal->funcs->disp->head_set_vrr(hal, head, vrr);
}

static inline void nvg_hw_head_disable(struct nvg_hal *hal, u32 head)
{
	hal->funcs->disp->head_disable(hal, head);
}

static inline bool nvg_hw_head_enabled(struct nvg_hal *hal, u32 head)
{
	return hal->funcs->disp->head_enabled(hal, head);
}

static inline void nvg_hw_head_state(struct nvg_hal *hal, u32 head,
				     struct nvg_hal_head_state *s)
{
	hal->funcs->disp->head_state(hal, head, s);
}

static inline u32 nvg_hw_head_vblank_count(struct nvg_hal *hal, u32 head)
{
	return hal->funcs->disp->vblank_count(hal, head);
}

static inline u64 nvg_hw_head_vblank_time(struct nvg_hal *hal, u32 head)
{
	return hal->funcs->disp->vblank_time(hal, head);
}

static inline u32 nvg_hw_head_vrr_max_ns(struct nvg_hal *hal, u32 head)
{
	return hal->funcs->disp->vrr_max_ns(hal, head);
}

static inline void nvg_hw_head_flip(struct nvg_hal *hal, u32 head)
{
	hal->funcs->disp->flip(hal, head);
}

#endif /* _NVGHOST_HAL_DISP_H_ */
