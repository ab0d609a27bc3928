// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_kms_crc.c - CRCs of the scanned-out frames, through DRM's
 * debugfs CRC interface (dri/N/crtc-K/crc/{control,data}).
 *
 * With the source "auto", every vblank of the head queues a worker that
 * computes a CRC32 over the visible pixels of the primary plane, as the
 * head scans them out (through the CRTC's gamma LUT, if it has one), and
 * reports it for that frame. A worker that falls
 * behind reports the latest frame only; frames in between have no entry.
 * The plane state is read under the plane's lock: a commit cannot free its
 * framebuffer meanwhile, and nobody waits for this worker while holding it.
 */
#include <linux/crc32.h>
#include <linux/iosys-map.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <drm/drm_color_mgmt.h>
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

/*
 * The head's gamma: 8 bits in, 8 bits out per channel, from the CRTC's
 * GAMMA_LUT (NVG_GAMMA_SIZE entries, which atomic check ensured).
 */
struct nvg_crc_gamma {
	u8 r[NVG_GAMMA_SIZE], g[NVG_GAMMA_SIZE], b[NVG_GAMMA_SIZE];
};

static void nvg_crc_gamma_init(struct nvg_crc_gamma *gamma,
			       const struct drm_property_blob *lut)
{
	const struct drm_color_lut *e = lut->data;
	unsigned int i;

	for (i = 0; i < NVG_GAMMA_SIZE; i++) {
		gamma->r[i] = drm_color_lut_extract(e[i].red, 8);
		gamma->g[i] = drm_color_lut_extract(e[i].green, 8);
		gamma->b[i] = drm_color_lut_extract(e[i].blue, 8);
	}
}

/* A 5- or 6-bit channel through an 8-bit table. */
static u16 nvg_gamma_narrow(const u8 *table, u16 v, unsigned int bits)
{
	unsigned int max = (1 << bits) - 1;

	return DIV_ROUND_CLOSEST(table[v * 255 / max] * max, 255);
}

/*
 * Put @n pixels of @fb's format from @src through @gamma into @dst, as the
 * head outputs them; alpha and padding pass unchanged.
 */
static void nvg_crc_apply_gamma(const struct nvg_crc_gamma *gamma,
				struct drm_framebuffer *fb, const u8 *src, u8 *dst,
				unsigned int n)
{
	const u8 *r = gamma->r, *b = gamma->b;
	unsigned int i;

	switch (fb->format->format) {
	case DRM_FORMAT_RGB565:
		for (i = 0; i < n; i++) {
			u16 p = get_unaligned_le16(src + 2 * i);

			p = nvg_gamma_narrow(gamma->r, p >> 11, 5) << 11 |
			    nvg_gamma_narrow(gamma->g, (p >> 5) & 0x3f, 6) << 5 |
			    nvg_gamma_narrow(gamma->b, p & 0x1f, 5);
			put_unaligned_le16(p, dst + 2 * i);
		}
		return;
	case DRM_FORMAT_XBGR8888:
	case DRM_FORMAT_ABGR8888:
		/* bytes R, G, B, A in memory */
		swap(r, b);
		fallthrough;
	default:
		/* XRGB8888, ARGB8888: bytes B, G, R, A */
		for (i = 0; i < n; i++, src += 4, dst += 4) {
			dst[0] = b[src[0]];
			dst[1] = gamma->g[src[1]];
			dst[2] = r[src[2]];
			dst[3] = src[3];
		}
	}
}

/*
 * CRC32 of the pixels in @rect of plane 0 of @fb, which starts at @vaddr,
 * as the head outputs them: through @gamma if there is one (@tmp: room for
 * a row).
 */
static u32 nvg_crc_pixels(struct drm_framebuffer *fb, const void *vaddr,
			  const struct drm_rect *rect,
			  const struct nvg_crc_gamma *gamma, u8 *tmp)
{
	unsigned int cpp = fb->format->cpp[0];
	unsigned int w = drm_rect_width(rect);
	const u8 *row;
	u32 crc = ~0;
	int y;

	row = (const u8 *)vaddr + rect->y1 * fb->pitches[0] + rect->x1 * cpp;
	for (y = rect->y1; y < rect->y2; y++, row += fb->pitches[0]) {
		if (gamma) {
			nvg_crc_apply_gamma(gamma, fb, row, tmp, w);
			crc = crc32_le(crc, tmp, w * cpp);
		} else {
			crc = crc32_le(crc, row, w * cpp);
		}
		cond_resched();
	}
	return ~crc;
}

/*
 * The CRTC's gamma now, or NULL for none (or no memory for it: the CRC is
 * then of the pixels as they are, and says so in the debug log). The
 * CRTC's lock is taken alone, never with the plane's.
 */
static struct nvg_crc_gamma *nvg_crc_get_gamma(struct drm_crtc *crtc)
{
	struct drm_property_blob *lut = NULL;
	struct nvg_crc_gamma *gamma;

	drm_modeset_lock(&crtc->mutex, NULL);
	if (crtc->state && crtc->state->gamma_lut)
		lut = drm_property_blob_get(crtc->state->gamma_lut);
	drm_modeset_unlock(&crtc->mutex);
	if (!lut)
		return NULL;
	gamma = kmalloc(sizeof(*gamma), GFP_KERNEL);
	if (gamma)
		nvg_crc_gamma_init(gamma, lut);
	else
		drm_dbg_driver(crtc->dev, "[CRTC:%d:%s] no memory for the gamma table\n",
			       crtc->base.id, crtc->name);
	drm_property_blob_put(lut);
	return gamma;
}

void nvg_crc_work(struct work_struct *work)
{
	struct nvg_head *head = container_of(work, struct nvg_head, crc_work);
	struct iosys_map map[DRM_FORMAT_MAX_PLANES], data[DRM_FORMAT_MAX_PLANES];
	struct drm_crtc *crtc = &head->crtc;
	struct drm_plane *plane = &head->primary;
	struct drm_framebuffer *fb = NULL;
	struct nvg_crc_gamma *gamma;
	struct drm_rect rect;
	u8 *tmp = NULL;
	u64 frame;
	u32 crc;
	int ret;

	if (!READ_ONCE(head->crc_enabled))
		return;
	frame = READ_ONCE(head->crc_frame);
	gamma = nvg_crc_get_gamma(crtc);

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
	if (!fb) {
		kfree(gamma);
		return;
	}
	if (gamma) {
		tmp = kmalloc_array(drm_rect_width(&rect), fb->format->cpp[0], GFP_KERNEL);
		if (!tmp)
			goto out;
	}

	ret = drm_gem_fb_vmap(fb, map, data);
	if (ret) {
		drm_dbg_driver(crtc->dev, "[CRTC:%d:%s] cannot map the framebuffer: %d\n",
			       crtc->base.id, crtc->name, ret);
		goto out;
	}
	/* VRAM and system memory are both CPU memory to the simulated head. */
	if (!data[0].is_iomem) {
		crc = nvg_crc_pixels(fb, data[0].vaddr, &rect, gamma, tmp);
		drm_crtc_add_crc_entry(crtc, true, frame, &crc);
	}
	drm_gem_fb_vunmap(fb, map);
out:
	drm_framebuffer_put(fb);
	kfree(tmp);
	kfree(gamma);
}
