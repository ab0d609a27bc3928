// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_kms_crc.c - CRCs of the scanned-out frames, through DRM's
 * debugfs CRC interface (dri/N/crtc-K/crc/{control,data}).
 *
 * With the source "auto", every vblank of the head queues a worker that
 * computes a CRC32 over the visible pixels of the primary plane, as the
 * head scans them out, and reports it for that frame. A worker that falls
 * behind reports the latest frame only; frames in between have no entry.
 * The plane state is read under the plane's lock: a commit cannot free its
 * framebuffer meanwhile, and nobody waits for this worker while holding it.
 */
#include <linux/crc32.h>
#include <linux/iosys-map.h>
#include <drm/drm_debugfs_crc.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_modeset_lock.h>
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
	}
	WRITE_ONCE(head->crc_enabled, on);
	if (!on)
		drm_crtc_vblank_put(crtc);
	return 0;
}

/* CRC32 of the pixels in @rect of plane 0 of @fb, which starts at @vaddr. */
static u32 nvg_crc_pixels(struct drm_framebuffer *fb, const void *vaddr,
			  const struct drm_rect *rect)
{
	unsigned int cpp = fb->format->cpp[0];
	const u8 *row;
	u32 crc = ~0;
	int y;

	row = (const u8 *)vaddr + rect->y1 * fb->pitches[0] + rect->x1 * cpp;
	for (y = rect->y1; y < rect->y2; y++, row += fb->pitches[0]) {
		crc = crc32_le(crc, row, drm_rect_width(rect) * cpp);
		cond_resched();
	}
	return ~crc;
}

void nvg_crc_work(struct work_struct *work)
{
	struct nvg_head *head = container_of(work, struct nvg_head, crc_work);
	struct iosys_map map[DRM_FORMAT_MAX_PLANES], data[DRM_FORMAT_MAX_PLANES];
	struct drm_crtc *crtc = &head->crtc;
	struct drm_plane *plane = &head->primary;
	struct drm_framebuffer *fb = NULL;
	struct drm_rect rect;
	u64 frame;
	u32 crc;
	int ret;

	if (!READ_ONCE(head->crc_enabled))
		return;
	frame = READ_ONCE(head->crc_frame);

	drm_modeset_lock(&plane->mutex, NULL);
	if (plane->state && plane->state->visible && plane->state->crtc == crtc) {
		fb = plane->state->fb;
		drm_framebuffer_get(fb);
		rect.x1 = plane->state->src.x1 >> 16;
		rect.y1 = plane->state->src.y1 >> 16;
		rect.x2 = plane->state->src.x2 >> 16;
		rect.y2 = plane->state->src.y2 >> 16;
	}
	drm_modeset_unlock(&plane->mutex);
	if (!fb)
		return;

	ret = drm_gem_fb_vmap(fb, map, data);
	if (ret) {
		drm_dbg_driver(crtc->dev, "[CRTC:%d:%s] cannot map the framebuffer: %d\n",
			       crtc->base.id, crtc->name, ret);
		goto out;
	}
	/* VRAM and system memory are both CPU memory to the simulated head. */
	if (!data[0].is_iomem) {
		crc = nvg_crc_pixels(fb, data[0].vaddr, &rect);
		drm_crtc_add_crc_entry(crtc, true, frame, &crc);
	}
	drm_gem_fb_vunmap(fb, map);
out:
	drm_framebuffer_put(fb);
}
