// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: display engine
 *
 * Each simulated GPU drives num_heads heads. A head is a CRTC with a
 * primary, a cursor and an overlay plane, feeding one connector:
 * DisplayPort on even heads, HDMI-A on odd ones, each with a simulated
 * monitor whose EDID (nvghost_edid.c) debugfs can change or unplug. The
 * driver is built on the atomic helpers; the simulator's timing generators
 * (sim/nvg_sim_disp.c) give each head vblanks at its mode's refresh rate,
 * with a hardware frame counter and PTIMER timestamps, and adaptive sync.
 */
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_mode_config.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_vblank.h>

#include "nvghost_drv.h"
#include "nvghost_kms.h"

unsigned int nvg_num_heads = 2;
module_param_named(num_heads, nvg_num_heads, uint, 0444);
MODULE_PARM_DESC(num_heads,
		 "Display heads per GPU, each a CRTC with one connector (0-4, default 2; 0 = no display)");

/* drm_gem_fb_create()'s, under another name: the console's framebuffers. */
static const struct drm_framebuffer_funcs nvg_console_fb_funcs = {
	.destroy	= drm_gem_fb_destroy,
	.create_handle	= drm_gem_fb_create_handle,
};

/**
 * nvg_fb_is_console() - whether an in-kernel client (the fbdev console)
 *	made a framebuffer
 * @fb: the framebuffer.
 *
 * Return: true for the console's framebuffers.
 */
bool nvg_fb_is_console(const struct drm_framebuffer *fb)
{
	return fb && fb->funcs == &nvg_console_fb_funcs;
}

/*
 * Framebuffers over GEM objects. Those of in-kernel clients, whose DRM file
 * has no struct file, are marked by their funcs: their commits are no
 * application's presentation (nvg_crtc_atomic_flush()).
 */
static struct drm_framebuffer *nvg_fb_create(struct drm_device *drm, struct drm_file *file,
					     const struct drm_mode_fb_cmd2 *cmd)
{
	if (!file->filp)
		return drm_gem_fb_create_with_funcs(drm, file, cmd, &nvg_console_fb_funcs);
	return drm_gem_fb_create(drm, file, cmd);
}

static const struct drm_mode_config_funcs nvg_mode_config_funcs = {
	.fb_create = nvg_fb_create,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = drm_atomic_helper_commit,
};

/*
 * The commit tail: heads are enabled before the planes are updated, so a
 * head's vblank interrupt is on before the flip that needs it is armed
 * (nvg_crtc_atomic_flush()). Then it waits for every head's flip to
 * complete, not merely for a vblank: a flip completes at the vblank it
 * latches at (nvg_flip_latch_seq(), which a pacing policy may delay), and
 * only then may the old framebuffers go. Every commit on an active head
 * carries an event (the helpers add one), so every commit completes.
 */
static void nvg_atomic_commit_tail(struct drm_atomic_state *state)
{
	struct drm_device *drm = state->dev;

	drm_atomic_helper_commit_modeset_disables(drm, state);
	drm_atomic_helper_commit_modeset_enables(drm, state);
	drm_atomic_helper_commit_planes(drm, state, DRM_PLANE_COMMIT_ACTIVE_ONLY);
	drm_atomic_helper_fake_vblank(state);
	drm_atomic_helper_commit_hw_done(state);
	drm_atomic_helper_wait_for_flip_done(drm, state);
	drm_atomic_helper_cleanup_planes(drm, state);
}

static const struct drm_mode_config_helper_funcs nvg_mode_config_helpers = {
	.atomic_commit_tail = nvg_atomic_commit_tail,
};

/*
 * The offset from PTIMER to CLOCK_MONOTONIC, to turn the head's latched
 * vblank times into the timestamps DRM reports: sampled between two reads
 * of the system clock, so it is off by at most half their distance.
 */
static void nvg_kms_sync_clocks(struct nvg_device *ndev)
{
	u64 before, after, ptimer;

	/* A virtual clock has no relation to the host's: report device time. */
	if (ndev->vclock) {
		ndev->kms.ptimer_to_ktime = 0;
		return;
	}
	before = ktime_get_ns();
	ptimer = nvg_ptimer_read(ndev);
	after = ktime_get_ns();
	ndev->kms.ptimer_to_ktime = (s64)(before + (after - before) / 2 - ptimer);
}

/* What the heads hold besides their DRM objects; they are off. */
static void nvg_kms_release(struct nvg_device *ndev)
{
	struct nvg_kms *kms = &ndev->kms;
	unsigned int i;

	nvg_hw_disp_vblank_irq_off(&ndev->hal);
	for (i = 0; i < kms->nr_heads; i++) {
		WRITE_ONCE(kms->heads[i].crc_enabled, false);
		if (kms->crc_wq)
			cancel_work_sync(&kms->heads[i].crc_work);
		nvg_connector_fini(&kms->heads[i]);
	}
	if (kms->crc_wq)
		destroy_workqueue(kms->crc_wq);
	kms->crc_wq = NULL;
}

/**
 * nvg_kms_init() - set up the display engine of a device
 * @ndev: the device, before drm_dev_register().
 *
 * Return: 0, or an errno.
 */
int nvg_kms_init(struct nvg_device *ndev)
{
	struct nvg_kms *kms = &ndev->kms;
	struct drm_device *drm = &ndev->drm;
	unsigned int i, hw_heads;
	int ret;

	hw_heads = nvg_hw_disp_heads(&ndev->hal);
	if (nvg_num_heads > min(hw_heads, NVG_MAX_HEADS)) {
		drm_err(drm, "num_heads=%u: the display engine has %u heads\n",
			nvg_num_heads, min(hw_heads, NVG_MAX_HEADS));
		return -EINVAL;
	}
	kms->nr_heads = nvg_num_heads;
	kms->max_pclk_khz = nvg_hw_disp_max_pclk_khz(&ndev->hal);
	spin_lock_init(&kms->intr_lock);
	nvg_kms_sync_clocks(ndev);
	nvg_hw_disp_vblank_irq_off(&ndev->hal);
	if (!kms->nr_heads) {
		/* No display: a render-only device, no KMS objects. */
		drm->driver_features &= ~(DRIVER_MODESET | DRIVER_ATOMIC);
		return 0;
	}

	ret = drmm_mode_config_init(drm);
	if (ret)
		return ret;
	/* Framebuffers as small as a plane takes: cursors of any size. */
	drm->mode_config.min_width = 1;
	drm->mode_config.min_height = 1;
	drm->mode_config.max_width = 8192;
	drm->mode_config.max_height = 8192;
	drm->mode_config.cursor_width = NVG_CURSOR_MAX;
	drm->mode_config.cursor_height = NVG_CURSOR_MAX;
	drm->mode_config.preferred_depth = 24;
	/* Primary-plane flips may tear (nvg_crtc_send_async_flip_event()). */
	drm->mode_config.async_page_flip = true;
	drm->mode_config.funcs = &nvg_mode_config_funcs;
	drm->mode_config.helper_private = &nvg_mode_config_helpers;

	ret = drm_vblank_init(drm, kms->nr_heads);
	if (ret)
		return ret;
	/*
	 * VBLANK_COUNT is a full 32-bit hardware frame counter, and VRR frames
	 * vary in length: the vblank core must count, not estimate from time.
	 * With the counter and latched timestamps it need not keep vblank
	 * interrupts on either.
	 */
	drm->max_vblank_count = U32_MAX;
	drm->vblank_disable_immediate = true;

	for (i = 0; i < kms->nr_heads; i++) {
		struct nvg_head *head = &kms->heads[i];

		head->ndev = ndev;
		head->index = i;
		mutex_init(&head->conn.lock);
		spin_lock_init(&head->crc_lock);
		INIT_WORK(&head->crc_work, nvg_crc_work);
	}
	kms->crc_wq = alloc_ordered_workqueue("nvghost-crc%u", 0, ndev->index);
	if (!kms->crc_wq) {
		ret = -ENOMEM;
		goto err;
	}

	for (i = 0; i < kms->nr_heads; i++) {
		struct nvg_head *head = &kms->heads[i];

		ret = nvg_planes_init(head);
		if (ret)
			goto err;
		ret = nvg_crtc_init(head);
		if (ret)
			goto err;
		ret = nvg_connector_init(head);
		if (ret)
			goto err;
	}
	drm_mode_config_reset(drm);
	return 0;

err:
	nvg_kms_release(ndev);
	return ret;
}

/**
 * nvg_kms_fini() - turn every head off and stop the display engine
 * @ndev: the device, unplugged.
 *
 * The DRM objects go with the DRM device (drmm).
 */
void nvg_kms_fini(struct nvg_device *ndev)
{
	unsigned int i;

	if (!ndev->kms.nr_heads)
		return;
	drm_atomic_helper_shutdown(&ndev->drm);
	for (i = 0; i < ndev->kms.nr_heads; i++)
		nvg_pacing_head_off(&ndev->kms.heads[i]);
	nvg_kms_release(ndev);
}

/**
 * nvg_kms_show() - the heads as the hardware sees them, for debugfs
 * @ndev: the device.
 * @m: where to print: per head, its registers (raster, frame counter, the
 *	last vblank's PTIMER time and the length of the frame it ended).
 *
 * Return: 0.
 */
int nvg_kms_show(struct nvg_device *ndev, struct seq_file *m)
{
	struct nvg_hal_head_state s;
	unsigned int i;

	seq_printf(m, "heads: %u\nmax_pclk_khz: %u\n", ndev->kms.nr_heads,
		   ndev->kms.max_pclk_khz);
	for (i = 0; i < ndev->kms.nr_heads; i++) {
		nvg_hw_head_state(&ndev->hal, i, &s);
		seq_printf(m, "head %u: %s vrr %s pclk_khz %u htotal %u vtotal %u vrr_max_ns %u",
			   i, s.enabled ? "on" : "off", s.mode.vrr ? "on" : "off",
			   s.mode.pclk_khz, s.mode.htotal, s.mode.vtotal,
			   s.mode.vrr_max_ns);
		seq_printf(m, " vblanks %u last_vblank_ns %llu last_frame_ns %u\n",
			   s.vblanks, s.vblank_ns, s.frame_ns);
	}
	return 0;
}

/**
 * nvg_kms_irq() - the display engine interrupted (hard-IRQ context)
 * @ndev: the device.
 */
void nvg_kms_irq(struct nvg_device *ndev)
{
	struct nvg_kms *kms = &ndev->kms;
	unsigned int i;
	u32 intr;

	intr = nvg_hw_disp_intr(&ndev->hal);
	for (i = 0; i < kms->nr_heads; i++)
		if (intr & BIT(i))
			nvg_crtc_vblank(&kms->heads[i]);
}
