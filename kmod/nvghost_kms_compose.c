// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_kms_compose.c - what a head scans out: its planes composed, a
 * row at a time (after vkms's composer).
 *
 * The head starts each row from the background, opaque black, and blends
 * its visible planes over it in their fixed order, bottom to top: primary,
 * overlay, cursor. A plane's pixels are taken as pre-multiplied by their
 * alpha (DRM's default blend mode: out = src + dst * (1 - src alpha), per
 * 8-bit channel, rounded); formats without alpha are opaque. A plane shows
 * its clipped source rectangle in its clipped destination rectangle (what
 * drm_atomic_helper_check_plane_state() left in src and dst); a scaled
 * overlay samples the nearest source pixel. The result is opaque
 * 0xffRRGGBB, 8 bits a channel, before the colour pipeline
 * (nvghost_kms_color.c).
 *
 * The plane and CRTC states are read each under its own lock, taken
 * alone: a commit cannot free a framebuffer meanwhile (a reference is
 * taken), and nobody waits for the composer while holding one. A commit
 * between two of these reads may show half-applied, as a real head could
 * scan out a frame mid-update.
 */
#include <linux/iosys-map.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_modeset_lock.h>
#include <drm/drm_print.h>
#include <drm/drm_rect.h>

#include "nvghost_drv.h"
#include "nvghost_kms.h"

#define NVG_BACKGROUND	0xff000000

/**
 * struct nvg_compose_plane - a visible plane, as the head reads it
 * @fb: its framebuffer (a reference).
 * @map: the mapping of its buffer objects.
 * @data: where plane 0's pixels start.
 * @src: the source rectangle, 16.16.
 * @dst: the destination rectangle, inside the CRTC.
 * @tmp: a row copied out of I/O memory, NULL for system memory.
 */
struct nvg_compose_plane {
	struct drm_framebuffer *fb;
	struct iosys_map map[DRM_FORMAT_MAX_PLANES];
	struct iosys_map data[DRM_FORMAT_MAX_PLANES];
	struct drm_rect src;
	struct drm_rect dst;
	u8 *tmp;
};

/**
 * struct nvg_compose - a head's output being composed
 * @width: the CRTC's width in pixels.
 * @height: its height.
 * @nr_planes: visible planes in @planes, bottom first.
 * @planes: they.
 */
struct nvg_compose {
	unsigned int width;
	unsigned int height;
	unsigned int nr_planes;
	struct nvg_compose_plane planes[3];
};

/* Pixel @x of a row of @format, as 0xAARRGGBB (opaque if it has no alpha). */
static u32 nvg_fetch(u32 format, const u8 *row, unsigned int x)
{
	const u8 *p = row + 4 * x;
	u32 r, g, b;
	u16 v;

	switch (format) {
	case DRM_FORMAT_ARGB8888:
		return get_unaligned_le32(p);
	case DRM_FORMAT_XBGR8888:
		return 0xff000000 | p[0] << 16 | p[1] << 8 | p[2];
	case DRM_FORMAT_ABGR8888:
		return p[3] << 24 | p[0] << 16 | p[1] << 8 | p[2];
	case DRM_FORMAT_RGB565:
		v = get_unaligned_le16(row + 2 * x);
		r = v >> 11;
		g = (v >> 5) & 0x3f;
		b = v & 0x1f;
		return 0xff000000 | (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 |
		       (b << 3 | b >> 2);
	default: /* XRGB8888 */
		return get_unaligned_le32(p) | 0xff000000;
	}
}

/* @src, pre-multiplied, over the opaque @dst. */
static u32 nvg_blend(u32 src, u32 dst)
{
	u32 a = src >> 24, out = 0xff000000, c;
	unsigned int s;

	if (a == 0xff)
		return src;
	for (s = 0; s <= 16; s += 8) {
		c = ((src >> s) & 0xff) + DIV_ROUND_CLOSEST(((dst >> s) & 0xff) * (255 - a), 255);
		out |= min(c, 255U) << s;
	}
	return out;
}

/* The row of @p's framebuffer at source line @sy. */
static const u8 *nvg_compose_src_row(struct nvg_compose_plane *p, unsigned int sy)
{
	struct drm_framebuffer *fb = p->fb;
	size_t off = (size_t)sy * fb->pitches[0];

	if (!p->tmp)
		return (const u8 *)p->data[0].vaddr + off;
	iosys_map_memcpy_from(p->tmp, &p->data[0], off,
			      DIV_ROUND_UP(p->src.x2, 1 << 16) * fb->format->cpp[0]);
	return p->tmp;
}

/* Blend row @y of plane @p over @out, if the plane covers it. */
static void nvg_compose_plane_row(struct nvg_compose_plane *p, int y, u32 *out)
{
	int w = drm_rect_width(&p->dst), h = drm_rect_height(&p->dst);
	u32 sw = drm_rect_width(&p->src), sh = drm_rect_height(&p->src);
	u32 format = p->fb->format->format;
	bool scaled = sw != (u32)w << 16;
	unsigned int sx;
	const u8 *row;
	int x;

	if (y < p->dst.y1 || y >= p->dst.y2)
		return;
	/* The source pixel whose centre is nearest the destination's. */
	row = nvg_compose_src_row(p, (p->src.y1 +
				      div_u64((u64)(2 * (y - p->dst.y1) + 1) * sh,
					      2 * h)) >> 16);
	out += p->dst.x1;
	/* The common case, an unscaled XRGB8888 image: a copy. */
	if (format == DRM_FORMAT_XRGB8888 && !scaled) {
		row += (p->src.x1 >> 16) * 4;
		for (x = 0; x < w; x++)
			out[x] = get_unaligned_le32(row + 4 * x) | 0xff000000;
		return;
	}
	for (x = 0; x < w; x++) {
		if (scaled)
			sx = (p->src.x1 + div_u64((u64)(2 * x + 1) * sw, 2 * w)) >> 16;
		else
			sx = (p->src.x1 >> 16) + x;
		out[x] = nvg_blend(nvg_fetch(format, row, sx), out[x]);
	}
}

/**
 * nvg_compose_row() - compose one row of the head's output
 * @c: the composition.
 * @y: the row, below nvg_compose_begin()'s height.
 * @out: room for its width of pixels: the row, 0xffRRGGBB.
 */
void nvg_compose_row(struct nvg_compose *c, unsigned int y, u32 *out)
{
	unsigned int i;

	for (i = 0; i < c->width; i++)
		out[i] = NVG_BACKGROUND;
	for (i = 0; i < c->nr_planes; i++)
		nvg_compose_plane_row(&c->planes[i], y, out);
}

/* Take @plane's state if it is visible on @crtc; then map its framebuffer. */
static int nvg_compose_add(struct nvg_compose *c, struct drm_crtc *crtc,
			   struct drm_plane *plane)
{
	struct nvg_compose_plane *p = &c->planes[c->nr_planes];
	struct drm_plane_state *ps;
	int ret;

	drm_modeset_lock(&plane->mutex, NULL);
	ps = plane->state;
	if (ps && ps->visible && ps->crtc == crtc && ps->fb) {
		p->fb = ps->fb;
		drm_framebuffer_get(p->fb);
		p->src = ps->src;
		p->dst = ps->dst;
	}
	drm_modeset_unlock(&plane->mutex);
	if (!p->fb)
		return 0;
	/* Clipped to the CRTC by atomic check; the mode may have changed since. */
	if (p->dst.x1 < 0 || p->dst.y1 < 0 || p->dst.x2 > c->width ||
	    p->dst.y2 > c->height || drm_rect_width(&p->dst) <= 0 ||
	    drm_rect_height(&p->dst) <= 0)
		goto skip;
	ret = drm_gem_fb_vmap(p->fb, p->map, p->data);
	if (ret) {
		drm_dbg_driver(crtc->dev, "[PLANE:%d:%s] cannot map the framebuffer: %d\n",
			       plane->base.id, plane->name, ret);
		goto skip;
	}
	if (p->data[0].is_iomem) {
		p->tmp = kmalloc(p->fb->pitches[0], GFP_KERNEL);
		if (!p->tmp) {
			drm_gem_fb_vunmap(p->fb, p->map);
			ret = -ENOMEM;
			goto put;
		}
	}
	c->nr_planes++;
	return 0;
skip:
	ret = 0;
put:
	drm_framebuffer_put(p->fb);
	p->fb = NULL;
	return ret;
}

/**
 * nvg_compose_end() - release what nvg_compose_begin() took
 * @c: the composition, or NULL.
 */
void nvg_compose_end(struct nvg_compose *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < c->nr_planes; i++) {
		drm_gem_fb_vunmap(c->planes[i].fb, c->planes[i].map);
		drm_framebuffer_put(c->planes[i].fb);
		kfree(c->planes[i].tmp);
	}
	kfree(c);
}

/**
 * nvg_compose_begin() - take the head's planes as it scans them out now
 * @head: the head.
 * @width: set to the width of its output.
 * @height: set to its height.
 *
 * A plane whose framebuffer cannot be mapped is left out (the debug log
 * says so).
 *
 * Return: the composition, to end with nvg_compose_end(); NULL if the head
 * is off; an ERR_PTR() without memory.
 */
struct nvg_compose *nvg_compose_begin(struct nvg_head *head, unsigned int *width,
				      unsigned int *height)
{
	struct drm_plane *planes[] = { &head->primary, &head->overlay, &head->cursor };
	struct drm_crtc *crtc = &head->crtc;
	struct nvg_compose *c;
	unsigned int i;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	drm_modeset_lock(&crtc->mutex, NULL);
	if (crtc->state && crtc->state->active) {
		c->width = crtc->state->mode.hdisplay;
		c->height = crtc->state->mode.vdisplay;
	}
	drm_modeset_unlock(&crtc->mutex);
	if (!c->width || !c->height) {
		kfree(c);
		return NULL;
	}
	for (i = 0; i < ARRAY_SIZE(planes); i++) {
		ret = nvg_compose_add(c, crtc, planes[i]);
		if (ret) {
			nvg_compose_end(c);
			return ERR_PTR(ret);
		}
	}
	*width = c->width;
	*height = c->height;
	return c;
}
