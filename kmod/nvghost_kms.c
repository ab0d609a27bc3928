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
#include <linux/dma-fence.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
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

/*
 * Virtual clock: a nonblocking commit (a page flip) is programmed by a
 * worker (drm_atomic_helper_commit()'s commit_work) at whatever host time
 * it runs, so the device time at which its flip is armed, and the vblank
 * it latches at, would depend on the host's scheduling. The clock's settle
 * waits for it instead (nvg_kms_vcommits_settle()): every such commit is
 * tracked from atomic_commit until the hardware has it (hw_done), unless
 * it waits for a framebuffer fence that is not signalled yet, which only
 * device time can bring: then the settle after the event that signals it
 * waits for the commit.
 */
struct nvg_vcommit {
	struct list_head node;
	struct drm_atomic_state *state;
	bool gave_up;
	unsigned int ncommits, nfences;
	struct drm_crtc_commit *commits[NVG_MAX_HEADS];
	struct dma_fence *fences[NVG_MAX_HEADS * 3];
};

static void nvg_vcommit_free(struct nvg_vcommit *vc)
{
	unsigned int i;

	for (i = 0; i < vc->ncommits; i++)
		drm_crtc_commit_put(vc->commits[i]);
	for (i = 0; i < vc->nfences; i++)
		dma_fence_put(vc->fences[i]);
	drm_atomic_state_put(vc->state);
	kfree(vc);
}

/* Called with the commit's modeset locks held, after it was queued. */
static void nvg_vcommit_track(struct nvg_device *ndev, struct drm_atomic_state *state,
			      struct nvg_vcommit *vc)
{
	struct drm_crtc_state *crtc_state;
	struct drm_plane_state *plane_state;
	struct drm_plane *plane;
	struct drm_crtc *crtc;
	int i;

	vc->state = state;
	for_each_new_crtc_in_state(state, crtc, crtc_state, i)
		if (crtc_state->commit && vc->ncommits < ARRAY_SIZE(vc->commits))
			vc->commits[vc->ncommits++] = drm_crtc_commit_get(crtc_state->commit);
	for_each_new_plane_in_state(state, plane, plane_state, i) {
		struct dma_fence *f;

		/* the worker may be dropping it right now (wait_for_fences) */
		rcu_read_lock();
		f = dma_fence_get_rcu_safe((struct dma_fence __rcu **)&plane_state->fence);
		rcu_read_unlock();
		if (f && vc->nfences < ARRAY_SIZE(vc->fences))
			vc->fences[vc->nfences++] = f;
		else
			dma_fence_put(f);
	}
	spin_lock(&ndev->kms.vcommit_lock);
	list_add_tail(&vc->node, &ndev->kms.vcommits);
	spin_unlock(&ndev->kms.vcommit_lock);
}

static int nvg_atomic_commit(struct drm_device *drm, struct drm_atomic_state *state,
			     bool nonblock)
{
	struct nvg_device *ndev = to_nvg_device(drm);
	struct nvg_vcommit *vc;
	int ret;

	if (!ndev->vclock || !nonblock)
		return drm_atomic_helper_commit(drm, state, nonblock);
	vc = kzalloc(sizeof(*vc), GFP_KERNEL);
	if (!vc)
		return -ENOMEM;
	drm_atomic_state_get(state);
	ret = drm_atomic_helper_commit(drm, state, nonblock);
	if (ret) {
		drm_atomic_state_put(state);
		kfree(vc);
		return ret;
	}
	nvg_vcommit_track(ndev, state, vc);
	return 0;
}

/* Whether the hardware has it (or it waits for a fence): 1 if it was waited for. */
static int nvg_vcommit_settle(struct nvg_device *ndev, struct nvg_vcommit *vc, bool *done)
{
	unsigned int i;
	int waited = 0;

	*done = true;
	for (i = 0; i < vc->nfences; i++)
		if (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &vc->fences[i]->flags)) {
			*done = false;
			return 0;
		}
	for (i = 0; i < vc->ncommits; i++) {
		if (completion_done(&vc->commits[i]->hw_done))
			continue;
		/*
		 * Bounded, once: a commit stuck on something else (a commit
		 * before it, whose flip a later vblank completes) must not
		 * hang the clock; it is then only dropped once done.
		 */
		if (vc->gave_up ||
		    !wait_for_completion_timeout(&vc->commits[i]->hw_done, 10 * HZ)) {
			if (!vc->gave_up)
				drm_warn_once(&ndev->drm,
					      "virtual clock: a nonblocking commit did not reach the hardware in 10 s\n");
			vc->gave_up = true;
			*done = false;
			return 0;
		}
		waited = 1;
	}
	return waited;
}

/**
 * nvg_kms_vcommits_settle() - wait for the nonblocking commits in flight
 * @ndev: the device, virtual clock.
 *
 * Part of the clock's settle (nvghost_clock.c): returns once every
 * nonblocking commit has programmed the hardware (its flip armed, its
 * pacing decided), except those waiting for a framebuffer fence not yet
 * signalled. Not from a commit's worker.
 *
 * Return: how many it waited for (what they did may need settling).
 */
int nvg_kms_vcommits_settle(struct nvg_device *ndev)
{
	struct nvg_kms *kms = &ndev->kms;
	struct nvg_vcommit *vc, *tmp;
	LIST_HEAD(list);
	int waited = 0;

	if (!kms->nr_heads)
		return 0;
	spin_lock(&kms->vcommit_lock);
	list_splice_init(&kms->vcommits, &list);
	spin_unlock(&kms->vcommit_lock);
	list_for_each_entry_safe(vc, tmp, &list, node) {
		bool done;

		waited += nvg_vcommit_settle(ndev, vc, &done);
		if (done) {
			list_del(&vc->node);
			nvg_vcommit_free(vc);
		}
	}
	spin_lock(&kms->vcommit_lock);
	list_splice(&list, &kms->vcommits);
	spin_unlock(&kms->vcommit_lock);
	return waited;
}

/* Drop what is still tracked; the heads are off. */
static void nvg_kms_vcommits_drop(struct nvg_device *ndev)
{
	struct nvg_vcommit *vc, *tmp;
	LIST_HEAD(list);

	spin_lock(&ndev->kms.vcommit_lock);
	list_splice_init(&ndev->kms.vcommits, &list);
	spin_unlock(&ndev->kms.vcommit_lock);
	list_for_each_entry_safe(vc, tmp, &list, node) {
		list_del(&vc->node);
		nvg_vcommit_free(vc);
	}
}

static const struct drm_mode_config_funcs nvg_mode_config_funcs = {
	.fb_create = nvg_fb_create,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = nvg_atomic_commit,
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
	spin_lock_init(&kms->vcommit_lock);
	INIT_LIST_HEAD(&kms->vcommits);
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
	nvg_kms_vcommits_drop(ndev);
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
