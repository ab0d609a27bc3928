// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_kms_crc.c - CRCs of the scanned-out frames, through DRM's
 * debugfs CRC interface (dri/N/crtc-K/crc/{control,data}).
 *
 * With the source "auto", every vblank of the head queues a worker that
 * computes a CRC32 over the head's output: its planes composed
 * (nvghost_kms_compose.c) and put through its colour pipeline
 * (nvghost_kms_color.c), each row as XRGB8888 (little-endian, X 0xff).
 * Every frame while the head is lit gets one entry, numbered by its
 * vblank, with no gap and no repeat: a worker that falls behind reports
 * the frames it missed with the image it computes (as vkms does).
 */
#include <linux/crc32.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <drm/drm_debugfs_crc.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#include "nvghost_drv.h"
#include "nvghost_kms.h"

static const char *const nvg_crc_sources[] = { "auto" };

const char *const *nvg_crtc_get_crc_sources(struct drm_crtc *crtc, size_t *count)
{
	*count = ARRAY_SIZE(nvg_crc_sources);
	return nvg_crc_sources;
}

int nvg_crtc_verify_crc_source(struct drm_crtc *crtc, const char *source,
			       size_t *values_cnt)
{
	if (source && strcmp(source, "auto")) {
		drm_dbg_driver(crtc->dev, "[CRTC:%d:%s] unknown CRC source '%s'\n",
			       crtc->base.id, crtc->name, source);
		return -EINVAL;
	}
	*values_cnt = 1;
	return 0;
}

/*
 * Called with the CRTC's lock held. While CRCs are on, the head's vblank
 * interrupt stays on (a vblank reference), since every frame needs one.
 * Turning them off does not wait for a running worker: a late entry for a
 * closed CRC file is dropped.
 */
int nvg_crtc_set_crc_source(struct drm_crtc *crtc, const char *source)
{
	struct nvg_head *head = to_nvg_head(crtc);
	bool on = source && !strcmp(source, "auto");
	int ret;

	if (on == head->crc_enabled)
		return 0;
	if (on) {
		ret = drm_crtc_vblank_get(crtc);
		if (ret)
			return ret;
		nvg_crc_restart(head);
	}
	WRITE_ONCE(head->crc_enabled, on);
	if (!on)
		drm_crtc_vblank_put(crtc);
	return 0;
}

/*
 * The frames to report: from the one after the last reported (or, first,
 * the latest) to the latest vblank. The vblank interrupt notes each in
 * crc_end; a worker that runs late, or a vblank core that counted several
 * frames at one interrupt (a late one), leaves several to report.
 */
static bool nvg_crc_frames(struct nvg_head *head, u64 *first, u64 *last)
{
	unsigned long flags;
	bool any;

	spin_lock_irqsave(&head->crc_lock, flags);
	any = head->crc_pending;
	*last = head->crc_end;
	*first = head->crc_next && head->crc_next <= *last ? head->crc_next : *last;
	head->crc_next = *last + 1;
	head->crc_pending = false;
	spin_unlock_irqrestore(&head->crc_lock, flags);
	return any;
}

/**
 * nvg_crc_vblank() - a head's vblank, with CRCs on (hard IRQ)
 * @head: the head.
 * @seq: the vblank's number.
 */
void nvg_crc_vblank(struct nvg_head *head, u64 seq)
{
	unsigned long flags;

	spin_lock_irqsave(&head->crc_lock, flags);
	head->crc_end = seq;
	head->crc_pending = true;
	spin_unlock_irqrestore(&head->crc_lock, flags);
	queue_work(head->ndev->kms.crc_wq, &head->crc_work);
}

/**
 * nvg_crc_restart() - the head starts scanning out: no frame is owed
 * @head: the head.
 */
void nvg_crc_restart(struct nvg_head *head)
{
	unsigned long flags;

	spin_lock_irqsave(&head->crc_lock, flags);
	head->crc_next = 0;
	head->crc_pending = false;
	spin_unlock_irqrestore(&head->crc_lock, flags);
}

/* CRC32 of the head's output now, each row as XRGB8888 with X 0xff. */
static int nvg_crc_compute(struct nvg_head *head, u32 *crc)
{
	struct nvg_compose *c;
	struct nvg_color *color;
	unsigned int w, h, y;
	u32 *row;

	c = nvg_compose_begin(head, &w, &h);
	if (IS_ERR_OR_NULL(c))
		return c ? PTR_ERR(c) : -ENODEV;
	color = nvg_color_get(&head->crtc);
	row = kmalloc_array(w, sizeof(*row), GFP_KERNEL);
	if (!row) {
		nvg_color_free(color);
		nvg_compose_end(c);
		return -ENOMEM;
	}
	*crc = ~0;
	for (y = 0; y < h; y++) {
		nvg_compose_row(c, y, row);
		if (color)
			nvg_color_apply(color, row, w);
		cpu_to_le32_array(row, w);
		*crc = crc32_le(*crc, (const u8 *)row, w * sizeof(*row));
		cond_resched();
	}
	*crc = ~*crc;
	kfree(row);
	nvg_color_free(color);
	nvg_compose_end(c);
	return 0;
}

/*
 * One entry per frame since the last: the image is computed once, as the
 * head shows it now, for all of them (frames the worker came late for
 * showed this image, unless a commit changed it meanwhile).
 */
void nvg_crc_work(struct work_struct *work)
{
	struct nvg_head *head = container_of(work, struct nvg_head, crc_work);
	struct drm_crtc *crtc = &head->crtc;
	u64 first, last;
	u32 crc;
	int ret;

	if (!READ_ONCE(head->crc_enabled) || !nvg_crc_frames(head, &first, &last))
		return;
	ret = nvg_crc_compute(head, &crc);
	if (ret) {
		drm_dbg_driver(crtc->dev, "[CRTC:%d:%s] no CRC for frames %llu-%llu: %d\n",
			       crtc->base.id, crtc->name, first, last, ret);
		return;
	}
	for (; first <= last; first++)
		if (drm_crtc_add_crc_entry(crtc, true, first, &crc))
			break;
}
