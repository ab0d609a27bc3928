// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_kms_plane.c - a head's planes and what the hardware accepts.
 *
 * Each head has a primary plane, which scans out the whole CRTC, unscaled;
 * an overlay, which sits anywhere inside the CRTC and scales by up to 4x
 * either way; and a cursor of at most 256x256 ARGB pixels, unscaled, which
 * may hang over the CRTC's edges. Framebuffers are linear (DRM's
 * gem-framebuffer helpers over nvghost buffer objects, VRAM or system
 * memory). Atomic check turns anything else away, saying why.
 */
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_kms.h"

static const u32 nvg_scanout_formats[] = {
	DRM_FORMAT_XRGB8888,
	DRM_FORMAT_ARGB8888,
	DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888,
	DRM_FORMAT_RGB565,
};

static const u32 nvg_cursor_formats[] = {
	DRM_FORMAT_ARGB8888,
};

static const u64 nvg_modifiers[] = {
	DRM_FORMAT_MOD_LINEAR,
	DRM_FORMAT_MOD_INVALID,
};

static bool nvg_plane_format_mod_supported(struct drm_plane *plane, u32 format,
					   u64 modifier)
{
	return modifier == DRM_FORMAT_MOD_LINEAR;
}

static const struct drm_plane_funcs nvg_plane_funcs = {
	.update_plane		= drm_atomic_helper_update_plane,
	.disable_plane		= drm_atomic_helper_disable_plane,
	.destroy		= drm_plane_cleanup,
	.reset			= drm_atomic_helper_plane_reset,
	.atomic_duplicate_state	= drm_atomic_helper_plane_duplicate_state,
	.atomic_destroy_state	= drm_atomic_helper_plane_destroy_state,
	.format_mod_supported	= nvg_plane_format_mod_supported,
};

static int nvg_plane_atomic_check(struct drm_plane *plane,
				  struct drm_atomic_state *state)
{
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state, plane);
	struct drm_crtc_state *cs = NULL;
	int min_scale = DRM_PLANE_NO_SCALING, max_scale = DRM_PLANE_NO_SCALING;
	bool can_position = plane->type != DRM_PLANE_TYPE_PRIMARY;
	int ret;

	if (ps->crtc)
		cs = drm_atomic_get_new_crtc_state(state, ps->crtc);
	if (!ps->fb || !cs || !cs->enable)
		return drm_atomic_helper_check_plane_state(ps, cs, min_scale, max_scale,
							   can_position, true);

	if (ps->fb->modifier != DRM_FORMAT_MOD_LINEAR) {
		drm_dbg_atomic(plane->dev,
			       "[PLANE:%d:%s] modifier 0x%llx: scanout is linear only\n",
			       plane->base.id, plane->name, ps->fb->modifier);
		return -EINVAL;
	}
	if (plane->type == DRM_PLANE_TYPE_OVERLAY) {
		min_scale = DRM_PLANE_NO_SCALING / 4;
		max_scale = DRM_PLANE_NO_SCALING * 4;
	}
	if (plane->type == DRM_PLANE_TYPE_CURSOR) {
		if (ps->crtc_w > NVG_CURSOR_MAX || ps->crtc_h > NVG_CURSOR_MAX) {
			drm_dbg_atomic(plane->dev,
				       "[PLANE:%d:%s] cursor %ux%u is larger than %ux%u\n",
				       plane->base.id, plane->name, ps->crtc_w,
				       ps->crtc_h, NVG_CURSOR_MAX, NVG_CURSOR_MAX);
			return -EINVAL;
		}
		if ((ps->src_w >> 16) != ps->crtc_w || (ps->src_h >> 16) != ps->crtc_h) {
			drm_dbg_atomic(plane->dev,
				       "[PLANE:%d:%s] the cursor cannot scale (%ux%u to %ux%u)\n",
				       plane->base.id, plane->name, ps->src_w >> 16,
				       ps->src_h >> 16, ps->crtc_w, ps->crtc_h);
			return -EINVAL;
		}
	}
	if (plane->type == DRM_PLANE_TYPE_OVERLAY &&
	    (ps->crtc_x < 0 || ps->crtc_y < 0 ||
	     ps->crtc_x + (s64)ps->crtc_w > cs->mode.hdisplay ||
	     ps->crtc_y + (s64)ps->crtc_h > cs->mode.vdisplay)) {
		drm_dbg_atomic(plane->dev,
			       "[PLANE:%d:%s] %ux%u+%d+%d is outside the %ux%u CRTC: overlays do not clip\n",
			       plane->base.id, plane->name, ps->crtc_w, ps->crtc_h,
			       ps->crtc_x, ps->crtc_y, cs->mode.hdisplay,
			       cs->mode.vdisplay);
		return -EINVAL;
	}

	ret = drm_atomic_helper_check_plane_state(ps, cs, min_scale, max_scale,
						  can_position, true);
	if (ret)
		drm_dbg_atomic(plane->dev,
			       "[PLANE:%d:%s] %ux%u+%d+%d from %ux%u: %s\n",
			       plane->base.id, plane->name, ps->crtc_w, ps->crtc_h,
			       ps->crtc_x, ps->crtc_y, ps->src_w >> 16, ps->src_h >> 16,
			       plane->type == DRM_PLANE_TYPE_PRIMARY ?
			       "the primary plane must cover the CRTC, unscaled" :
			       "scaling out of range (1/4x to 4x)");
	return ret;
}

/*
 * Nothing to program: the simulated head scans out whatever the plane state
 * points at (the CRC worker reads it from there).
 */
static void nvg_plane_atomic_update(struct drm_plane *plane,
				    struct drm_atomic_state *state)
{
}

static const struct drm_plane_helper_funcs nvg_plane_helper_funcs = {
	.prepare_fb	= drm_gem_plane_helper_prepare_fb,
	.atomic_check	= nvg_plane_atomic_check,
	.atomic_update	= nvg_plane_atomic_update,
};

/*
 * Legacy cursor updates (DRM_IOCTL_MODE_CURSOR*, and atomic commits the
 * helpers mark legacy_cursor_update) of a cursor already on a lit head
 * take effect at once, without waiting for a flip that is pending on the
 * head: the head reads the cursor's position and image at each scanout,
 * as real cursors are. nvg_plane_atomic_check() has passed the new state.
 */
static int nvg_cursor_atomic_async_check(struct drm_plane *plane,
					 struct drm_atomic_state *state)
{
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state, plane);
	struct drm_crtc_state *cs;

	if (!ps->crtc || !ps->fb)
		return -EINVAL;
	cs = drm_atomic_get_new_crtc_state(state, ps->crtc);
	if (!cs || !cs->active || drm_atomic_crtc_needs_modeset(cs))
		return -EINVAL;
	return 0;
}

static void nvg_cursor_atomic_async_update(struct drm_plane *plane,
					   struct drm_atomic_state *state)
{
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state, plane);
	struct drm_plane_state *cur = plane->state;

	cur->crtc_x = ps->crtc_x;
	cur->crtc_y = ps->crtc_y;
	cur->crtc_w = ps->crtc_w;
	cur->crtc_h = ps->crtc_h;
	cur->src_x = ps->src_x;
	cur->src_y = ps->src_y;
	cur->src_w = ps->src_w;
	cur->src_h = ps->src_h;
	cur->src = ps->src;
	cur->dst = ps->dst;
	cur->visible = ps->visible;
	/* The new state goes with the old image (the helpers' contract). */
	swap(cur->fb, ps->fb);
}

static const struct drm_plane_helper_funcs nvg_cursor_helper_funcs = {
	.prepare_fb		= drm_gem_plane_helper_prepare_fb,
	.atomic_check		= nvg_plane_atomic_check,
	.atomic_update		= nvg_plane_atomic_update,
	.atomic_async_check	= nvg_cursor_atomic_async_check,
	.atomic_async_update	= nvg_cursor_atomic_async_update,
};

static int nvg_plane_init(struct nvg_head *head, struct drm_plane *plane,
			  enum drm_plane_type type, const char *what)
{
	const u32 *formats = nvg_scanout_formats;
	unsigned int nr = ARRAY_SIZE(nvg_scanout_formats);
	int ret;

	if (type == DRM_PLANE_TYPE_CURSOR) {
		formats = nvg_cursor_formats;
		nr = ARRAY_SIZE(nvg_cursor_formats);
	}
	ret = drm_universal_plane_init(&head->ndev->drm, plane, BIT(head->index),
				       &nvg_plane_funcs, formats, nr, nvg_modifiers,
				       type, "%s-%u", what, head->index);
	if (ret)
		return ret;
	drm_plane_helper_add(plane, type == DRM_PLANE_TYPE_CURSOR ?
			     &nvg_cursor_helper_funcs : &nvg_plane_helper_funcs);
	return 0;
}

/**
 * nvg_planes_init() - create a head's primary, overlay and cursor planes
 * @head: the head.
 *
 * Return: 0, or an errno.
 */
int nvg_planes_init(struct nvg_head *head)
{
	int ret;

	ret = nvg_plane_init(head, &head->primary, DRM_PLANE_TYPE_PRIMARY, "primary");
	if (ret)
		return ret;
	ret = nvg_plane_init(head, &head->overlay, DRM_PLANE_TYPE_OVERLAY, "overlay");
	if (ret)
		return ret;
	return nvg_plane_init(head, &head->cursor, DRM_PLANE_TYPE_CURSOR, "cursor");
}
