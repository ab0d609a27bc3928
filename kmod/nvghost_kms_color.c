// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_kms_color.c - a head's colour pipeline: DEGAMMA_LUT, CTM and
 * GAMMA_LUT, in that order, on the composed output (DRM's "Color
 * Management Properties").
 *
 * The head works on 16 bits a channel: an 8-bit channel v enters as
 * v * 257; a LUT of N entries maps a value x to its entry nearest
 * x * (N - 1) / 0xffff (no interpolation); the CTM is a 3x3 matrix of
 * S31.32 sign-magnitude coefficients (coefficients beyond +-256 count as
 * +-256), its results clamped to 0..0xffff; the output is 8 bits a
 * channel, rounded (drm_color_lut_extract()). With no LUT and no CTM, and
 * with linear LUTs and an identity CTM, a pixel comes out as it went in.
 */
#include <linux/slab.h>
#include <drm/drm_atomic.h>
#include <drm/drm_color_mgmt.h>
#include <drm/drm_modeset_lock.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_kms.h"

/* CTM coefficients are clamped to this magnitude (S31.32: 256.0). */
#define NVG_CTM_MAX	(256ULL << 32)

/**
 * struct nvg_color - a head's colour pipeline, ready to apply
 * @has_ctm: @ctm applies; without it, @out maps each channel at once.
 * @ctm: the matrix, row-major, in signed Q31.32.
 * @degamma: per channel (R, G, B), an 8-bit input through DEGAMMA_LUT.
 * @gamma: GAMMA_LUT, or NULL for none.
 * @gamma_size: its entries.
 * @out: per channel, an 8-bit input through the whole pipeline, when
 *	there is no CTM.
 */
struct nvg_color {
	bool has_ctm;
	s64 ctm[9];
	u16 degamma[3][256];
	struct drm_color_lut *gamma;
	unsigned int gamma_size;
	u8 out[3][256];
};

/* Entry of @lut (@size entries) for the 16-bit value @x, channel @c. */
static u16 nvg_lut_lookup(const struct drm_color_lut *lut, unsigned int size,
			  u16 x, unsigned int c)
{
	const struct drm_color_lut *e = &lut[DIV_ROUND_CLOSEST((u32)x * (size - 1), 0xffff)];

	return c == 0 ? e->red : c == 1 ? e->green : e->blue;
}

static u8 nvg_color_gamma(const struct nvg_color *color, u16 x, unsigned int c)
{
	if (color->gamma)
		x = nvg_lut_lookup(color->gamma, color->gamma_size, x, c);
	return drm_color_lut_extract(x, 8);
}

static s64 nvg_ctm_coeff(u64 v)
{
	u64 mag = min(v & ~BIT_ULL(63), NVG_CTM_MAX);

	return v & BIT_ULL(63) ? -(s64)mag : (s64)mag;
}

/**
 * nvg_color_check() - whether the head takes a CRTC state's colour blobs
 * @crtc: the CRTC.
 * @cs: its new state.
 *
 * DRM core checked the blobs' element sizes; the head takes LUTs of
 * exactly NVG_GAMMA_SIZE entries.
 *
 * Return: 0, or -EINVAL, saying why in the debug log.
 */
int nvg_color_check(struct drm_crtc *crtc, struct drm_crtc_state *cs)
{
	if (cs->degamma_lut && drm_color_lut_size(cs->degamma_lut) != NVG_GAMMA_SIZE) {
		drm_dbg_atomic(crtc->dev,
			       "[CRTC:%d:%s] DEGAMMA_LUT of %d entries, the head takes %d\n",
			       crtc->base.id, crtc->name,
			       drm_color_lut_size(cs->degamma_lut), NVG_GAMMA_SIZE);
		return -EINVAL;
	}
	if (cs->gamma_lut && drm_color_lut_size(cs->gamma_lut) != NVG_GAMMA_SIZE) {
		drm_dbg_atomic(crtc->dev,
			       "[CRTC:%d:%s] GAMMA_LUT of %d entries, the head takes %d\n",
			       crtc->base.id, crtc->name,
			       drm_color_lut_size(cs->gamma_lut), NVG_GAMMA_SIZE);
		return -EINVAL;
	}
	return 0;
}

static void nvg_color_fill(struct nvg_color *color, const struct drm_property_blob *degamma,
			   const struct drm_property_blob *ctm)
{
	unsigned int v, c;

	for (v = 0; v < 256; v++)
		for (c = 0; c < 3; c++)
			color->degamma[c][v] = degamma ?
				nvg_lut_lookup(degamma->data, drm_color_lut_size(degamma),
					       v * 257, c) : v * 257;
	color->has_ctm = ctm;
	if (ctm) {
		const struct drm_color_ctm *m = ctm->data;

		for (c = 0; c < 9; c++)
			color->ctm[c] = nvg_ctm_coeff(m->matrix[c]);
		return;
	}
	for (v = 0; v < 256; v++)
		for (c = 0; c < 3; c++)
			color->out[c][v] = nvg_color_gamma(color, color->degamma[c][v], c);
}

/**
 * nvg_color_get() - the colour pipeline a head applies now
 * @crtc: the CRTC; its lock is taken (alone).
 *
 * Return: the pipeline, to free with nvg_color_free(); NULL when it is the
 * identity (no LUT, no CTM), or when there is no memory for it: the CRC is
 * then of the pixels as they are, and the debug log says so.
 */
struct nvg_color *nvg_color_get(struct drm_crtc *crtc)
{
	struct drm_property_blob *degamma = NULL, *ctm = NULL, *gamma = NULL;
	struct nvg_color *color = NULL;

	drm_modeset_lock(&crtc->mutex, NULL);
	if (crtc->state) {
		if (crtc->state->degamma_lut)
			degamma = drm_property_blob_get(crtc->state->degamma_lut);
		if (crtc->state->ctm)
			ctm = drm_property_blob_get(crtc->state->ctm);
		if (crtc->state->gamma_lut)
			gamma = drm_property_blob_get(crtc->state->gamma_lut);
	}
	drm_modeset_unlock(&crtc->mutex);
	if (!degamma && !ctm && !gamma)
		return NULL;

	color = kzalloc(sizeof(*color), GFP_KERNEL);
	if (color && gamma) {
		color->gamma_size = drm_color_lut_size(gamma);
		color->gamma = kmemdup(gamma->data, gamma->length, GFP_KERNEL);
		if (!color->gamma) {
			kfree(color);
			color = NULL;
		}
	}
	if (color)
		nvg_color_fill(color, degamma, ctm);
	else
		drm_dbg_driver(crtc->dev, "[CRTC:%d:%s] no memory for the colour pipeline\n",
			       crtc->base.id, crtc->name);
	drm_property_blob_put(degamma);
	drm_property_blob_put(ctm);
	drm_property_blob_put(gamma);
	return color;
}

/**
 * nvg_color_free() - free what nvg_color_get() returned
 * @color: the pipeline, or NULL.
 */
void nvg_color_free(struct nvg_color *color)
{
	if (color)
		kfree(color->gamma);
	kfree(color);
}

static u16 nvg_ctm_row(const s64 *m, const u16 *in)
{
	s64 v = m[0] * in[0] + m[1] * in[1] + m[2] * in[2];

	/* Round to nearest; negative results clamp to 0 anyway. */
	v = (v + (1LL << 31)) >> 32;
	return clamp_t(s64, v, 0, 0xffff);
}

/**
 * nvg_color_apply() - put a row of composed pixels through the pipeline
 * @color: the pipeline.
 * @px: the pixels, 0xAARRGGBB; alpha passes unchanged.
 * @n: how many.
 */
void nvg_color_apply(const struct nvg_color *color, u32 *px, unsigned int n)
{
	unsigned int i, c;

	for (i = 0; i < n; i++) {
		u8 in[3] = { (u8)(px[i] >> 16), (u8)(px[i] >> 8), (u8)px[i] };
		u16 lin[3], out[3];

		if (!color->has_ctm) {
			px[i] = (px[i] & 0xff000000) | color->out[0][in[0]] << 16 |
				color->out[1][in[1]] << 8 | color->out[2][in[2]];
			continue;
		}
		for (c = 0; c < 3; c++)
			lin[c] = color->degamma[c][in[c]];
		for (c = 0; c < 3; c++)
			out[c] = nvg_ctm_row(&color->ctm[3 * c], lin);
		px[i] = (px[i] & 0xff000000) | nvg_color_gamma(color, out[0], 0) << 16 |
			nvg_color_gamma(color, out[1], 1) << 8 | nvg_color_gamma(color, out[2], 2);
	}
}
