// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_kms_crtc.c - a head's CRTC: timing, vblanks, flips, VRR.
 *
 * Enabling the CRTC programs the head's raster (pixel clock, HTOTAL,
 * VTOTAL) into the simulated timing generator, which then interrupts at
 * every vblank. The vblank core reads the head's hardware frame counter
 * and the PTIMER time it latched at the vblank, so sequence numbers and
 * timestamps are the hardware's, also when VRR stretches frames.
 *
 * A flip is armed in atomic_flush and completes in the vblank interrupt
 * at the vblank nvg_flip_latch_seq() names: that one function decides when
 * a flip becomes visible, for a frame-pacing policy to override. With VRR,
 * atomic_flush also tells the head (FLIP) that a new image is ready, which
 * ends the current frame as early as the monitor allows.
 */
#include <linux/ktime.h>
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_color_mgmt.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#include "nvghost_drv.h"
#include "nvghost_kms.h"

static struct nvg_hal *nvg_head_hal(struct nvg_head *head)
{
	return &head->ndev->hal;
}

/* Turn a head's vblank interrupt on or off (perhaps a read-modify-write). */
static void nvg_crtc_vblank_irq(struct drm_crtc *crtc, bool on)
{
	struct nvg_head *head = to_nvg_head(crtc);
	struct nvg_kms *kms = &head->ndev->kms;
	unsigned long flags;

	spin_lock_irqsave(&kms->intr_lock, flags);
	nvg_hw_disp_vblank_irq(nvg_head_hal(head), head->index, on);
	spin_unlock_irqrestore(&kms->intr_lock, flags);
}

static int nvg_crtc_enable_vblank(struct drm_crtc *crtc)
{
	nvg_crtc_vblank_irq(crtc, true);
	return 0;
}

static void nvg_crtc_disable_vblank(struct drm_crtc *crtc)
{
	nvg_crtc_vblank_irq(crtc, false);
}

static u32 nvg_crtc_get_vblank_counter(struct drm_crtc *crtc)
{
	struct nvg_head *head = to_nvg_head(crtc);

	return nvg_hw_head_vblank_count(nvg_head_hal(head), head->index);
}

/**
 * nvg_head_vblank_time() - PTIMER time the head's last vblank began
 * @head: the head.
 *
 * The head latched it in a 64-bit register pair. Any context.
 *
 * Return: the time in PTIMER ns.
 */
u64 nvg_head_vblank_time(struct nvg_head *head)
{
	return nvg_hw_head_vblank_time(nvg_head_hal(head), head->index);
}

/*
 * The time the last vblank began: the head latched PTIMER then. The vblank
 * core reads the counter around this and retries if a vblank came between.
 */
static bool nvg_crtc_get_vblank_timestamp(struct drm_crtc *crtc, int *max_error,
					  ktime_t *vblank_time, bool in_vblank_irq)
{
	struct nvg_head *head = to_nvg_head(crtc);

	if (!nvg_hw_head_enabled(nvg_head_hal(head), head->index))
		return false;
	*vblank_time = ns_to_ktime(nvg_head_vblank_time(head) + head->ndev->kms.ptimer_to_ktime);
	*max_error = 0;
	return true;
}

static const struct drm_crtc_funcs nvg_crtc_funcs = {
	.set_config		= drm_atomic_helper_set_config,
	.page_flip		= drm_atomic_helper_page_flip,
	.reset			= drm_atomic_helper_crtc_reset,
	.atomic_duplicate_state	= drm_atomic_helper_crtc_duplicate_state,
	.atomic_destroy_state	= drm_atomic_helper_crtc_destroy_state,
	.enable_vblank		= nvg_crtc_enable_vblank,
	.disable_vblank		= nvg_crtc_disable_vblank,
	.get_vblank_counter	= nvg_crtc_get_vblank_counter,
	.get_vblank_timestamp	= nvg_crtc_get_vblank_timestamp,
	.get_crc_sources	= nvg_crtc_get_crc_sources,
	.set_crc_source		= nvg_crtc_set_crc_source,
	.verify_crc_source	= nvg_crtc_verify_crc_source,
};

static int nvg_crtc_atomic_check(struct drm_crtc *crtc,
				 struct drm_atomic_state *state)
{
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);
	struct nvg_head *head = to_nvg_head(crtc);
	struct nvg_connector *conn = &head->conn;

	if (nvg_color_check(crtc, cs))
		return -EINVAL;
	if (cs->async_flip && (!cs->active || drm_atomic_crtc_needs_modeset(cs))) {
		drm_dbg_atomic(crtc->dev,
			       "[CRTC:%d:%s] an async flip needs a lit head and no modeset\n",
			       crtc->base.id, crtc->name);
		return -EINVAL;
	}
	if (!cs->enable)
		return 0;
	/* Probing filters such modes too (nvg_connector_mode_valid()). */
	if (cs->mode.clock > head->ndev->kms.max_pclk_khz) {
		drm_dbg_atomic(crtc->dev,
			       "[CRTC:%d:%s] mode %s needs a %d kHz pixel clock, the head drives at most %u kHz\n",
			       crtc->base.id, crtc->name, cs->mode.name,
			       cs->mode.clock, head->ndev->kms.max_pclk_khz);
		return -EINVAL;
	}
	if (!cs->mode.htotal || !cs->mode.vtotal) {
		drm_dbg_atomic(crtc->dev, "[CRTC:%d:%s] mode %s has no blanking totals\n",
			       crtc->base.id, crtc->name, cs->mode.name);
		return -EINVAL;
	}
	/*
	 * The vblank core counts a frame's pixels in an int
	 * (drm_calc_timestamping_constants()): a larger raster would give it
	 * a wrong frame duration.
	 */
	if ((u64)cs->adjusted_mode.crtc_htotal * cs->adjusted_mode.crtc_vtotal > INT_MAX ||
	    (u64)cs->mode.htotal * cs->mode.vtotal > INT_MAX) {
		drm_dbg_atomic(crtc->dev,
			       "[CRTC:%d:%s] mode %s: %ux%u pixels a frame, more than the refresh computation takes\n",
			       crtc->base.id, crtc->name, cs->mode.name,
			       cs->mode.htotal, cs->mode.vtotal);
		return -EINVAL;
	}
	/*
	 * VRR_ENABLED is a hint (DRM's "Variable Refresh Properties"): on a
	 * monitor without a refresh range the head runs at the fixed rate
	 * (nvg_head_vrr()), and the hint stays for a monitor that has one.
	 */
	if (cs->vrr_enabled && !READ_ONCE(conn->vrr_min_hz))
		drm_dbg_atomic(crtc->dev,
			       "[CRTC:%d:%s] VRR hint ignored: [CONNECTOR:%d:%s] reports no refresh range\n",
			       crtc->base.id, crtc->name, conn->base.base.id,
			       conn->base.name);
	return 0;
}

/* Program the raster and the adaptive-sync window, then start scanning. */
static void nvg_crtc_atomic_enable(struct drm_crtc *crtc,
				   struct drm_atomic_state *state)
{
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);
	struct nvg_head *head = to_nvg_head(crtc);
	unsigned int min_hz = READ_ONCE(head->conn.vrr_min_hz);
	struct nvg_hal_head_mode mode = {
		.pclk_khz = cs->adjusted_mode.clock,
		.htotal = cs->adjusted_mode.htotal,
		.vtotal = cs->adjusted_mode.vtotal,
		.vrr_max_ns = min_hz ? DIV_ROUND_UP(NSEC_PER_SEC, min_hz) : 0,
		.vrr = nvg_head_vrr(head, cs),
	};

	nvg_crc_restart(head);
	nvg_hw_head_enable(nvg_head_hal(head), head->index, &mode);
	drm_crtc_vblank_on(crtc);
}

static void nvg_crtc_atomic_disable(struct drm_crtc *crtc,
				    struct drm_atomic_state *state)
{
	struct nvg_head *head = to_nvg_head(crtc);

	/* A flip still waiting to latch never will: complete it now. */
	nvg_pacing_head_off(head);
	spin_lock_irq(&crtc->dev->event_lock);
	if (head->flip_event) {
		drm_crtc_send_vblank_event(crtc, head->flip_event);
		head->flip_event = NULL;
		drm_crtc_vblank_put(crtc);
	}
	spin_unlock_irq(&crtc->dev->event_lock);

	drm_crtc_vblank_off(crtc);
	nvg_hw_head_disable(nvg_head_hal(head), head->index);

	/* A commit that turns the head off completes now: no vblank follows. */
	spin_lock_irq(&crtc->dev->event_lock);
	if (crtc->state->event && !crtc->state->active) {
		drm_crtc_send_vblank_event(crtc, crtc->state->event);
		crtc->state->event = NULL;
	}
	spin_unlock_irq(&crtc->dev->event_lock);
}

/*
 * An async flip (DRM_MODE_PAGE_FLIP_ASYNC) is on screen now, mid-frame
 * (tearing allowed): it completes at once, with the current vblank count
 * and the time it was done, not a vblank's. So does a commit of the fbdev
 * console. Under the event lock.
 */
static void nvg_crtc_send_async_flip_event(struct drm_crtc *crtc,
					   struct drm_pending_vblank_event *e)
{
	ktime_t now = ktime_get();
	struct timespec64 tv = ktime_to_timespec64(now);

	e->pipe = drm_crtc_index(crtc);
	e->event.vbl.sequence = lower_32_bits(drm_crtc_vblank_count(crtc));
	e->event.vbl.tv_sec = tv.tv_sec;
	e->event.vbl.tv_usec = tv.tv_nsec / NSEC_PER_USEC;
	drm_send_event_timestamp_locked(crtc->dev, &e->base, now);
}

/*
 * The planes are updated; arm the flip's completion for the vblank at which
 * it latches, and with VRR, tell the head an image is ready.
 */
static void nvg_crtc_atomic_flush(struct drm_crtc *crtc,
				  struct drm_atomic_state *state)
{
	struct drm_crtc_state *old = drm_atomic_get_old_crtc_state(state, crtc);
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);
	struct drm_pending_vblank_event *event = cs->event;
	struct nvg_head *head = to_nvg_head(crtc);
	struct nvg_hal *hal = nvg_head_hal(head);
	unsigned int n = head->index;
	bool vrr = nvg_head_vrr(head, cs);
	u64 next, after;

	/* The hint changed, or what it means for this monitor did. */
	if (nvg_head_vrr(head, old) != vrr && !drm_atomic_crtc_needs_modeset(cs))
		nvg_hw_head_set_vrr(hal, n, vrr);

	/*
	 * The fbdev console's commits complete at once too: no application
	 * presents them, so they are not frames for the pacing and power
	 * hooks (and the console needs no vblank).
	 */
	if (event && (cs->async_flip || nvg_fb_is_console(head->primary.state->fb))) {
		cs->event = NULL;
		spin_lock_irq(&crtc->dev->event_lock);
		nvg_crtc_send_async_flip_event(crtc, event);
		spin_unlock_irq(&crtc->dev->event_lock);
		event = NULL;
	}
	if (event) {
		cs->event = NULL;
		after = nvg_ptimer_read(head->ndev) + head->ndev->kms.ptimer_to_ktime;
		next = drm_crtc_accurate_vblank_count(crtc) + 1;
		spin_lock_irq(&crtc->dev->event_lock);
		if (drm_crtc_vblank_get(crtc)) {
			drm_crtc_send_vblank_event(crtc, event);
		} else {
			/*
			 * Commits on a CRTC wait for the last one's flip, so
			 * none is pending; should one be, it completes now.
			 */
			if (drm_WARN_ON_ONCE(crtc->dev, head->flip_event)) {
				drm_crtc_send_vblank_event(crtc, head->flip_event);
				drm_crtc_vblank_put(crtc);
			}
			head->flip_event = event;
			head->flip_after = ns_to_ktime(after);
			/* The frame-pacing hook decides (default: @next). */
			head->flip_seq = nvg_pacing_latch(head, cs, next);
		}
		spin_unlock_irq(&crtc->dev->event_lock);
	}
	/* With VRR the image is ready now, unless pacing holds it. */
	if (vrr && !READ_ONCE(head->pace_hold))
		nvg_hw_head_flip(hal, n);
}

static const struct drm_crtc_helper_funcs nvg_crtc_helper_funcs = {
	.atomic_check	= nvg_crtc_atomic_check,
	.atomic_flush	= nvg_crtc_atomic_flush,
	.atomic_enable	= nvg_crtc_atomic_enable,
	.atomic_disable	= nvg_crtc_atomic_disable,
};

/**
 * nvg_crtc_vblank() - a head's vblank interrupt (hard-IRQ context)
 * @head: the head.
 *
 * Count the vblank, complete the flip that latches at it, and have the
 * frame's CRC computed if a CRC source is set. A flip completes with this
 * vblank's number and time, which is never before the flip was armed.
 */
void nvg_crtc_vblank(struct nvg_head *head)
{
	struct drm_crtc *crtc = &head->crtc;
	unsigned long flags;
	ktime_t time;
	bool flipped;
	u64 seq;

	if (!drm_crtc_handle_vblank(crtc))
		return;
	seq = drm_crtc_vblank_count_and_time(crtc, &time);

	spin_lock_irqsave(&crtc->dev->event_lock, flags);
	/*
	 * Not at a vblank that began before the flip was armed: the head's
	 * interrupt may come late, after a commit that read the counter
	 * before it moved.
	 */
	flipped = head->flip_event && !head->pace_hold && seq >= head->flip_seq &&
		  ktime_compare(time, head->flip_after) >= 0;
	if (flipped) {
		drm_crtc_send_vblank_event(crtc, head->flip_event);
		head->flip_event = NULL;
		drm_crtc_vblank_put(crtc);
		atomic64_inc(&head->latched);	/* sysfs heads/H/frames */
		atomic64_inc(&head->ndev->vsignals);
	}
	nvg_pacing_vblank_seen(head, seq, flipped);
	spin_unlock_irqrestore(&crtc->dev->event_lock, flags);

	if (READ_ONCE(head->crc_enabled))
		nvg_crc_vblank(head, seq);
}

/**
 * nvg_crtc_init() - create a head's CRTC on its planes
 * @head: the head, its planes created.
 *
 * Return: 0, or an errno.
 */
int nvg_crtc_init(struct nvg_head *head)
{
	struct drm_crtc *crtc = &head->crtc;
	int ret;

	ret = drmm_crtc_init_with_planes(&head->ndev->drm, crtc, &head->primary,
					 &head->cursor, &nvg_crtc_funcs,
					 "head-%u", head->index);
	if (ret)
		return ret;
	drm_crtc_helper_add(crtc, &nvg_crtc_helper_funcs);
	/*
	 * Colour: DEGAMMA_LUT, CTM and GAMMA_LUT, and the legacy gamma ioctl
	 * on top of GAMMA_LUT (DRM core turns it into a GAMMA_LUT commit).
	 * They show in the CRC (nvghost_kms_color.c).
	 */
	ret = drm_mode_crtc_set_gamma_size(crtc, NVG_GAMMA_SIZE);
	if (ret)
		return ret;
	drm_crtc_enable_color_mgmt(crtc, NVG_GAMMA_SIZE, true, NVG_GAMMA_SIZE);
	nvg_pacing_head_init(head);
	return 0;
}
