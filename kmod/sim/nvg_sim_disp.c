// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_disp.c - the simulated display engine: one timing generator per
 * head (nvghost_regs.h, "display engine", says what the driver sees).
 *
 * Each head's vblanks come from a timer on device time (nvg_sim_clock.c: an
 * hrtimer on CLOCK_MONOTONIC, the clock PTIMER counts from, in live mode;
 * an event of the virtual clock in virtual mode), so VBLANK_TIME is the
 * exact PTIMER time the frame started: the timer's expiry, not the (later,
 * jittery) moment the callback ran. A head that falls behind (a busy host)
 * counts the frames it missed, as a real scanout does whether anyone looks
 * or not.
 */
#include <linux/math64.h>

#include "nvg_sim_priv.h"
#include "../nvghost_regs.h"

/* A frame as short as the raster allows: 1 kHz; no shorter. */
#define NVG_SIM_MIN_FRAME_NS	1000000ULL

/* Called with sim->lock held. */
static u64 nvg_sim_head_period_ns(struct nvg_sim_head *h)
{
	u64 pixels = (u64)h->htotal * h->vtotal;

	if (!h->pclk_khz || !pixels)
		return 0;
	return max(div64_u64(pixels * 1000000ULL, h->pclk_khz), NVG_SIM_MIN_FRAME_NS);
}

/*
 * When the next vblank is due, with sim->lock held. Fixed refresh: one
 * period after the last. VRR: no sooner than the shortest frame after the
 * last; at once when an image is ready; else at the longest frame.
 */
static u64 nvg_sim_head_next(struct nvg_sim_head *h, u64 now)
{
	if (!(h->ctrl & NVG_SIM_HEAD_CTRL_VRR) || !h->vrr_max_ns)
		return h->time + h->period_ns;
	if (h->flip_ready)
		return max(h->time + h->period_ns, now);
	return h->time + max_t(u64, h->vrr_max_ns, h->period_ns);
}

static u64 nvg_sim_head_fire(struct nvg_sim_timer *t, u64 due)
{
	struct nvg_sim_head *h = container_of(t, struct nvg_sim_head, timer);
	struct nvg_sim *sim = h->sim;
	u64 now, next, missed = 0;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	now = nvg_sim_time(sim);
	/* A fixed-rate head that fell behind: the frames it missed went by. */
	if (!(h->ctrl & NVG_SIM_HEAD_CTRL_VRR) && now > due + h->period_ns) {
		missed = div64_u64(now - due, h->period_ns);
		due += missed * h->period_ns;
	}
	h->frame_ns = due - h->time;
	h->time = due;
	h->count += 1 + missed;
	h->flip_ready = false;
	sim->disp_intr |= NVG_SIM_DISP_INTR_VBLANK(h->index);
	next = nvg_sim_head_next(h, now);
	spin_unlock_irqrestore(&sim->lock, flags);

	nvg_sim_raise_now(sim);
	return next;
}

/*
 * Reprogram the timer after the driver changed the head. Register writes
 * that move a head's timing come from process context (the driver's
 * commit), so waiting for a running callback is fine here.
 */
static void nvg_sim_head_rearm(struct nvg_sim_head *h)
{
	struct nvg_sim *sim = h->sim;
	unsigned long flags;
	u64 next, now, lfc;
	bool run;

	nvg_sim_timer_cancel(&h->timer);
	spin_lock_irqsave(&sim->lock, flags);
	run = (h->ctrl & NVG_SIM_HEAD_CTRL_ENABLE) && h->period_ns;
	now = nvg_sim_time(sim);
	/*
	 * A VRR head whose longest frame ended while its timer waited to run
	 * (a busy host): the refreshes the monitor made on its own went by,
	 * as a fixed-rate head's missed frames do; count them, so that no
	 * frame is longer than the monitor's longest.
	 */
	lfc = max_t(u64, h->vrr_max_ns, h->period_ns);
	if (run && (h->ctrl & NVG_SIM_HEAD_CTRL_VRR) && h->vrr_max_ns &&
	    now >= h->time + lfc) {
		u64 missed = div64_u64(now - h->time, lfc);

		h->time += missed * lfc;
		h->count += missed;
		h->frame_ns = lfc;
	}
	next = nvg_sim_head_next(h, now);
	if (run)
		nvg_sim_timer_start(&h->timer, next);
	spin_unlock_irqrestore(&sim->lock, flags);
}

/* Called with sim->lock held; returns whether the timer needs re-arming. */
static bool nvg_sim_head_wr32(struct nvg_sim *sim, struct nvg_sim_head *h,
			      u32 off, u32 val)
{
	bool was_on = h->ctrl & NVG_SIM_HEAD_CTRL_ENABLE;

	switch (off) {
	case 0x00: /* CTRL */
		h->ctrl = val & (NVG_SIM_HEAD_CTRL_ENABLE | NVG_SIM_HEAD_CTRL_VRR);
		h->period_ns = nvg_sim_head_period_ns(h);
		/* Scanout starts a frame the moment the head is enabled. */
		if (!was_on && (h->ctrl & NVG_SIM_HEAD_CTRL_ENABLE))
			h->time = nvg_sim_time(sim);
		h->flip_ready = false;
		return true;
	case 0x04:
		h->pclk_khz = val;
		break;
	case 0x08:
		h->htotal = val;
		break;
	case 0x0c:
		h->vtotal = val;
		break;
	case 0x10:
		h->vrr_max_ns = val;
		return was_on;
	case 0x14: /* FLIP: only a VRR head changes its timing for it */
		if (!was_on || !(h->ctrl & NVG_SIM_HEAD_CTRL_VRR))
			return false;
		h->flip_ready = true;
		return true;
	}
	return false;
}

static u32 nvg_sim_head_rd32(struct nvg_sim_head *h, u32 off)
{
	switch (off) {
	case 0x00:
		return h->ctrl;
	case 0x04:
		return h->pclk_khz;
	case 0x08:
		return h->htotal;
	case 0x0c:
		return h->vtotal;
	case 0x10:
		return h->vrr_max_ns;
	case 0x18:
		return h->count;
	case 0x1c:
		return lower_32_bits(h->time);
	case 0x20:
		return upper_32_bits(h->time);
	case 0x24:
		return h->frame_ns;
	}
	return NVG_BAD_REG_VALUE;
}

static struct nvg_sim_head *nvg_sim_head_of(struct nvg_sim *sim, u32 reg, u32 *off)
{
	u32 rel;

	if (reg < NVG_SIM_HEAD(0) || reg >= NVG_SIM_HEAD(NVG_SIM_HEADS))
		return NULL;
	rel = reg - NVG_SIM_HEAD(0);
	*off = rel % NVG_SIM_HEAD_STRIDE;
	return &sim->heads[rel / NVG_SIM_HEAD_STRIDE];
}

bool nvg_sim_disp_rd32(struct nvg_sim *sim, u32 reg, u32 *val)
{
	struct nvg_sim_head *h;
	unsigned long flags;
	u32 off;

	h = nvg_sim_head_of(sim, reg, &off);
	if (!h && (reg < NVG_SIM_DISP || reg > NVG_SIM_DISP_INTR_EN))
		return false;

	spin_lock_irqsave(&sim->lock, flags);
	if (h)
		*val = nvg_sim_head_rd32(h, off);
	else if (reg == NVG_SIM_DISP_HEADS)
		*val = NVG_SIM_HEADS;
	else if (reg == NVG_SIM_DISP_MAX_PCLK_KHZ)
		*val = NVG_SIM_HEAD_MAX_PCLK_KHZ;
	else if (reg == NVG_SIM_DISP_INTR)
		*val = sim->disp_intr;
	else if (reg == NVG_SIM_DISP_INTR_EN)
		*val = sim->disp_intr_en;
	else
		*val = NVG_BAD_REG_VALUE;
	spin_unlock_irqrestore(&sim->lock, flags);
	return true;
}

bool nvg_sim_disp_wr32(struct nvg_sim *sim, u32 reg, u32 val)
{
	struct nvg_sim_head *h;
	bool rearm = false, raise = false;
	unsigned long flags;
	u32 off;

	h = nvg_sim_head_of(sim, reg, &off);
	if (!h && (reg < NVG_SIM_DISP || reg > NVG_SIM_DISP_INTR_EN))
		return false;

	spin_lock_irqsave(&sim->lock, flags);
	if (h) {
		rearm = nvg_sim_head_wr32(sim, h, off, val);
	} else if (reg == NVG_SIM_DISP_INTR) {
		sim->disp_intr &= ~val;
	} else if (reg == NVG_SIM_DISP_INTR_EN) {
		sim->disp_intr_en = val;
		raise = true;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	if (rearm)
		nvg_sim_head_rearm(h);
	if (raise)
		nvg_sim_raise(sim);
	return true;
}

void nvg_sim_disp_init(struct nvg_sim *sim)
{
	unsigned int i;

	for (i = 0; i < NVG_SIM_HEADS; i++) {
		struct nvg_sim_head *h = &sim->heads[i];

		h->sim = sim;
		h->index = i;
		nvg_sim_timer_init(sim, &h->timer, NVG_SIM_EV_HEAD, i,
				   nvg_sim_head_fire);
	}
}

void nvg_sim_disp_fini(struct nvg_sim *sim)
{
	unsigned int i;

	for (i = 0; i < NVG_SIM_HEADS; i++)
		nvg_sim_timer_cancel(&sim->heads[i].timer);
}
