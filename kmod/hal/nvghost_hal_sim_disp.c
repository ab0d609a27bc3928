// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_hal_sim_disp.c - the simulator's display engine: its heads are
 * timing generators programmed through NVG_SIM_DISP_* and NVG_SIM_HEAD_*
 * (see nvghost_regs.h).
 */
#include "nvghost_hal_sim.h"

static u32 nvg_sim_disp_heads(struct nvg_hal *hal)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_DISP_HEADS);
}

static u32 nvg_sim_disp_max_pclk_khz(struct nvg_hal *hal)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_DISP_MAX_PCLK_KHZ);
}

/* A read-modify-write of INTR_EN: the caller serialises. */
static void nvg_sim_disp_vblank_irq(struct nvg_hal *hal, u32 head, bool on)
{
	u32 bit = NVG_SIM_DISP_INTR_VBLANK(head);
	u32 en = nvg_hal_sim_rd(hal, NVG_SIM_DISP_INTR_EN);

	nvg_hal_sim_wr(hal, NVG_SIM_DISP_INTR_EN, on ? en | bit : en & ~bit);
}

static void nvg_sim_disp_vblank_irq_off(struct nvg_hal *hal)
{
	nvg_hal_sim_wr(hal, NVG_SIM_DISP_INTR_EN, 0);
}

/* Head n's vblank is bit n of DISP_INTR. */
static u32 nvg_sim_disp_intr(struct nvg_hal *hal)
{
	u32 intr = nvg_hal_sim_rd(hal, NVG_SIM_DISP_INTR);

	nvg_hal_sim_wr(hal, NVG_SIM_DISP_INTR, intr);
	return intr;
}

static u32 nvg_sim_head_ctrl(bool vrr)
{
	return NVG_SIM_HEAD_CTRL_ENABLE | (vrr ? NVG_SIM_HEAD_CTRL_VRR : 0);
}

/* The raster and the adaptive-sync window, then CTRL starts the head. */
static void nvg_sim_head_enable(struct nvg_hal *hal, u32 n,
				const struct nvg_hal_head_mode *mode)
{
	nvg_hal_sim_wr(hal, NVG_SIM_HEAD_PCLK_KHZ(n), mode->pclk_khz);
	nvg_hal_sim_wr(hal, NVG_SIM_HEAD_HTOTAL(n), mode->htotal);
	nvg_hal_sim_wr(hal, NVG_SIM_HEAD_VTOTAL(n), mode->vtotal);
	nvg_hal_sim_wr(hal, NVG_SIM_HEAD_VRR_MAX_NS(n), mode->vrr_max_ns);
	nvg_hal_sim_wr(hal, NVG_SIM_HEAD_CTRL(n), nvg_sim_head_ctrl(mode->vrr));
}

static void nvg_sim_head_set_vrr(struct nvg_hal *hal, u32 n, bool vrr)
{
	nvg_hal_sim_wr(hal, NVG_SIM_HEAD_CTRL(n), nvg_sim_head_ctrl(vrr));
}

static void nvg_sim_head_disable(struct nvg_hal *hal, u32 n)
{
	nvg_hal_sim_wr(hal, NVG_SIM_HEAD_CTRL(n), 0);
}

static bool nvg_sim_head_enabled(struct nvg_hal *hal, u32 n)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_HEAD_CTRL(n)) & NVG_SIM_HEAD_CTRL_ENABLE;
}

static u32 nvg_sim_head_vblank_count(struct nvg_hal *hal, u32 n)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_HEAD_VBLANK_COUNT(n));
}

static u64 nvg_sim_head_vblank_time(struct nvg_hal *hal, u32 n)
{
	return nvg_hal_sim_rd64(hal, NVG_SIM_HEAD_VBLANK_TIME_LO(n),
				NVG_SIM_HEAD_VBLANK_TIME_HI(n));
}

static u32 nvg_sim_head_vrr_max_ns(struct nvg_hal *hal, u32 n)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_HEAD_VRR_MAX_NS(n));
}

static void nvg_sim_head_state(struct nvg_hal *hal, u32 n,
			       struct nvg_hal_head_state *s)
{
	u32 ctrl = nvg_hal_sim_rd(hal, NVG_SIM_HEAD_CTRL(n));

	s->enabled = ctrl & NVG_SIM_HEAD_CTRL_ENABLE;
	s->mode.vrr = ctrl & NVG_SIM_HEAD_CTRL_VRR;
	s->mode.pclk_khz = nvg_hal_sim_rd(hal, NVG_SIM_HEAD_PCLK_KHZ(n));
	s->mode.htotal = nvg_hal_sim_rd(hal, NVG_SIM_HEAD_HTOTAL(n));
	s->mode.vtotal = nvg_hal_sim_rd(hal, NVG_SIM_HEAD_VTOTAL(n));
	s->mode.vrr_max_ns = nvg_sim_head_vrr_max_ns(hal, n);
	s->vblanks = nvg_sim_head_vblank_count(hal, n);
	s->vblank_ns = nvg_sim_head_vblank_time(hal, n);
	s->frame_ns = nvg_hal_sim_rd(hal, NVG_SIM_HEAD_FRAME_NS(n));
}

static void nvg_sim_head_flip(struct nvg_hal *hal, u32 n)
{
	nvg_hal_sim_wr(hal, NVG_SIM_HEAD_FLIP(n), 1);
}

const struct nvg_hal_disp_funcs nvg_hal_sim_disp = {
	.heads		= nvg_sim_disp_heads,
	.max_pclk_khz	= nvg_sim_disp_max_pclk_khz,
	.vblank_irq	= nvg_sim_disp_vblank_irq,
	.vblank_irq_off	= nvg_sim_disp_vblank_irq_off,
	.intr		= nvg_sim_disp_intr,
	.head_enable	= nvg_sim_head_enable,
	.head_set_vrr	= nvg_sim_head_set_vrr,
	.head_disable	= nvg_sim_head_disable,
	.head_enabled	= nvg_sim_head_enabled,
	.head_state	= nvg_sim_head_state,
	.vblank_count	= nvg_sim_head_vblank_count,
	.vblank_time	= nvg_sim_head_vblank_time,
	.vrr_max_ns	= nvg_sim_head_vrr_max_ns,
	.flip		= nvg_sim_head_flip,
};
