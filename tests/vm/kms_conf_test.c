// SPDX-License-Identifier: GPL-2.0
/*
 * kms_conf_test - KMS behaviours as DRM documents them (issue 13),
 * through libdrm's legacy and atomic APIs.
 *
 *   kms_conf_test vrr DISPLAY       VRR_ENABLED is a hint: accepted on a head
 *                                   whose monitor has no VRR range, without
 *                                   effect, never blocking a later modeset
 *                                   (DISPLAY: the debugfs display file)
 *   kms_conf_test gamma CRTCDIR     legacy gamma and GAMMA_LUT, seen in the
 *                                   CRC (CRTCDIR: debugfs dri/N/crtc-1)
 *   kms_conf_test dumb              dumb buffers beyond 16384 pixels, small
 *                                   cursor framebuffers, overflowing modes
 *   kms_conf_test cursor STATE      legacy cursor moves do not wait for a
 *                                   pending flip (STATE: debugfs dri/N/state)
 *   kms_conf_test async             DRM_MODE_PAGE_FLIP_ASYNC flips
 *   kms_conf_test compose CRTCDIR   the CRC covers all planes composed, and
 *                                   the background with the primary off
 *   kms_conf_test crcframes CRTCDIR N  N CRC entries, one per vblank, with
 *                                   consecutive frame numbers (head 0)
 *   kms_conf_test color CRTCDIR     DEGAMMA_LUT, CTM, GAMMA_LUT in the CRC,
 *                                   in that order
 *   kms_conf_test fliptimes N       N vsync flips submitted around the vblank
 *                                   complete no earlier than submitted
 *
 * Each check prints "PASS: name" or "FAIL: name: why" (tests/vm/lib.sh).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "nvghost_drm.h"
#include "check.h"

#include "kms.h"

/* Paint the part of @fb's @w x @h rectangle at @x,@y that lies in it. */
static void fb_rect(struct fb *fb, int x, int y, int w, int h, uint32_t pixel)
{
	int i, j;

	for (j = y < 0 ? 0 : y; j < y + h && j < (int)fb->h; j++) {
		uint32_t *row = (uint32_t *)((char *)fb->map + (size_t)j * fb->pitch);

		for (i = x < 0 ? 0 : x; i < x + w && i < (int)fb->w; i++)
			row[i] = pixel;
	}
}




/* The line of @path that starts with "head @n:", or "" (static buffer). */
static const char *display_line(const char *path, unsigned int n)
{
	static char line[512];
	char want[16];
	FILE *f = fopen(path, "r");

	snprintf(want, sizeof(want), "head %u:", n);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want))) {
			fclose(f);
			line[strcspn(line, "\n")] = 0;
			return line;
		}
	if (f)
		fclose(f);
	return "";
}

/* ---- VRR_ENABLED is a hint ---- */

static void test_vrr(const char *display)
{
	struct head *hdmi = &heads[1];
	drmModeAtomicReqPtr req;
	drmModeModeInfo m;
	struct fb fb;
	const char *l;
	int ret;

	check("hdmi_tv_has_no_vrr_range",
	      !prop_value(hdmi->conn, DRM_MODE_OBJECT_CONNECTOR, "vrr_capable"),
	      "expected vrr_capable 0 on the HDMI TV, saw 1");
	mode_arg(hdmi, "1024x768@60", &m);
	fb = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff336699);

	/* A modeset that asks for VRR on a monitor without a range. */
	req = drmModeAtomicAlloc();
	add_modeset(req, hdmi, &m, &fb, true);
	ret = commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET);
	result("vrr_hint_modeset_accepted", !ret,
	       "modeset with VRR_ENABLED=1 on HDMI-A-1 (no VRR range): expected success, saw %s",
	       strerror(-ret));
	l = display_line(display, hdmi->index);
	result("vrr_hint_without_effect", !ret && strstr(l, ": on vrr off"),
	       "expected 'head %u: on vrr off', saw '%s'", hdmi->index, l);
	check("vrr_hint_reads_back",
	      prop_value(hdmi->crtc, DRM_MODE_OBJECT_CRTC, "VRR_ENABLED") == 1,
	      "expected VRR_ENABLED to read back 1 (the client's hint), saw 0");

	/* On a lit head, without a modeset. */
	req = drmModeAtomicAlloc();
	add(req, hdmi->crtc, DRM_MODE_OBJECT_CRTC, "VRR_ENABLED", 0);
	ret = commit(req, 0);
	req = drmModeAtomicAlloc();
	add(req, hdmi->crtc, DRM_MODE_OBJECT_CRTC, "VRR_ENABLED", 1);
	ret = ret ? ret : commit(req, 0);
	result("vrr_hint_on_lit_head", !ret,
	       "VRR_ENABLED 0 then 1 on lit HDMI-A-1: expected success, saw %s", strerror(-ret));
	all_off();

	/* An idle head keeps the hint; a later legacy modeset still works. */
	req = drmModeAtomicAlloc();
	add(req, hdmi->crtc, DRM_MODE_OBJECT_CRTC, "VRR_ENABLED", 1);
	ret = commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET);
	result("vrr_hint_on_idle_head", !ret,
	       "VRR_ENABLED=1 on idle HDMI-A-1: expected success, saw %s", strerror(-ret));
	ret = drmModeSetCrtc(fd, hdmi->crtc, fb.id, 0, 0, &hdmi->conn, 1, &m) ? -errno : 0;
	result("legacy_modeset_after_idle_vrr_hint", !ret,
	       "drmModeSetCrtc on HDMI-A-1 after VRR_ENABLED=1 while idle: expected success, saw %s",
	       strerror(-ret));
	l = display_line(display, hdmi->index);
	result("legacy_modeset_vrr_off", !ret && strstr(l, ": on vrr off"),
	       "expected 'head %u: on vrr off', saw '%s'", hdmi->index, l);
	all_off();
	fb_free(&fb);
}

/* ---- gamma ---- */


static unsigned int vblank_count(struct head *h);
static double mono_us(void);

/* The head whose CRCs crc_open() started. */
static struct head *crc_head;

/*
 * The CRC of what the head shows now: entries queued before the last
 * change may still be read (one per frame, however late the worker), so
 * skip those of frames up to the current vblank, then take 3 that agree.
 */
static uint32_t crc_now(int dfd)
{
	unsigned int v = vblank_count(crc_head), tries;
	uint32_t f[3], c[3];

	do {
		if (read_crcs(dfd, 1, f, c))
			return 0;
	} while ((int)(f[0] - v) <= 0);
	for (tries = 0; tries < 10; tries++) {
		if (read_crcs(dfd, 2, &f[1], &c[1]))
			return 0;
		if (c[0] == c[1] && c[1] == c[2])
			return c[2];
		f[0] = f[2];
		c[0] = c[2];
	}
	return 0;
}

/* Start the CRCs of head @h, debugfs directory @dir; their data file. */
static int crc_open(struct head *h, const char *dir)
{
	char path[256];
	int cfd, dfd;

	snprintf(path, sizeof(path), "%s/crc/control", dir);
	cfd = open(path, O_WRONLY);
	if (cfd < 0 || write(cfd, "auto", 4) != 4) {
		fail("crc_control", "%s: %s", path, strerror(errno));
		if (cfd >= 0)
			close(cfd);
		return -1;
	}
	close(cfd);
	crc_head = h;
	snprintf(path, sizeof(path), "%s/crc/data", dir);
	dfd = open(path, O_RDONLY);
	if (dfd < 0)
		fail("crc_data", "%s: %s", path, strerror(errno));
	return dfd;
}

static int set_gamma(struct head *h, unsigned int size, bool invert)
{
	uint16_t r[1024], g[1024], b[1024];
	unsigned int i;

	for (i = 0; i < size && i < 1024; i++) {
		uint32_t v = i * 0xffffu / (size - 1);

		r[i] = g[i] = b[i] = invert ? 0xffff - v : v;
	}
	return drmModeCrtcSetGamma(fd, h->crtc, size, r, g, b) ? -errno : 0;
}

static void test_gamma(const char *dir)
{
	struct head *h = &heads[1];
	uint32_t crc_a, crc_inv, crc;
	drmModeCrtcPtr c;
	drmModeModeInfo m;
	drmModeAtomicReqPtr req;
	struct fb a, inv;
	unsigned int size;
	int dfd, ret;

	mode_arg(h, "640x480@60", &m);
	a = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff204080);
	/* What a with every channel inverted looks like (X stays). */
	inv = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xffdfbf7f);
	modeset(h, &m, &a, false);

	c = drmModeGetCrtc(fd, h->crtc);
	size = c ? c->gamma_size : 0;
	drmModeFreeCrtc(c);
	result("gamma_size", size >= 256 && size <= 1024,
	       "expected a legacy gamma size of 256..1024 entries, saw %u", size);
	if (!size)
		size = 256;
	ret = set_gamma(h, size, false);
	result("legacy_gamma_set", !ret,
	       "DRM_IOCTL_MODE_SETGAMMA with a linear ramp of %u: expected success, saw %s",
	       size, strerror(-ret));
	check("gamma_lut_property",
	      prop_value(h->crtc, DRM_MODE_OBJECT_CRTC, "GAMMA_LUT_SIZE") == size,
	      "expected GAMMA_LUT_SIZE to equal the legacy gamma size");

	dfd = crc_open(h, dir);
	if (dfd < 0)
		goto out;
	crc_a = crc_now(dfd);
	drmModeSetPlane(fd, h->primary, h->crtc, inv.id, 0, 0, 0, m.hdisplay, m.vdisplay,
			0, 0, m.hdisplay << 16, m.vdisplay << 16);
	crc_inv = crc_now(dfd);
	check("crc_stable", crc_a && crc_inv && crc_a != crc_inv,
	      "expected stable, different CRCs for two images");

	/* An inverting ramp makes image a look like image inv. */
	drmModeSetPlane(fd, h->primary, h->crtc, a.id, 0, 0, 0, m.hdisplay, m.vdisplay,
			0, 0, m.hdisplay << 16, m.vdisplay << 16);
	ret = set_gamma(h, size, true);
	crc = crc_now(dfd);
	result("gamma_inverted_in_crc", !ret && crc == crc_inv,
	       "image 0x204080 through an inverting gamma ramp: expected the CRC 0x%08x of image 0xdfbf7f, saw 0x%08x (set: %s)",
	       crc_inv, crc, strerror(-ret));

	/* GAMMA_LUT 0 (no LUT) and a linear ramp both show the image as is. */
	req = drmModeAtomicAlloc();
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "GAMMA_LUT", 0);
	ret = commit(req, 0);
	crc = crc_now(dfd);
	result("gamma_lut_cleared", !ret && crc == crc_a,
	       "GAMMA_LUT 0: expected the CRC 0x%08x of the image as is, saw 0x%08x (commit: %s)",
	       crc_a, crc, strerror(-ret));
	set_gamma(h, size, true);
	crc_now(dfd);
	ret = set_gamma(h, size, false);
	crc = crc_now(dfd);
	result("gamma_linear_is_identity", !ret && crc == crc_a,
	       "linear ramp: expected the CRC 0x%08x of the image as is, saw 0x%08x",
	       crc_a, crc);
	printf("# crc a 0x%08x inv 0x%08x\n", crc_a, crc_inv);
	close(dfd);
out:
	all_off();
	fb_free(&a);
	fb_free(&inv);
}

/* ---- the CRC of the composed output ---- */

static int commit_planes(drmModeAtomicReqPtr req)
{
	return commit(req, 0);
}

/* Put @fb (w x h) on @plane at @x,@y, unscaled, or take the plane off (!fb). */
static void add_plane_at(drmModeAtomicReqPtr req, struct head *h, uint32_t plane,
			 struct fb *fb, int x, int y)
{
	if (!fb) {
		add(req, plane, DRM_MODE_OBJECT_PLANE, "FB_ID", 0);
		add(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0);
		return;
	}
	add_plane(req, plane, h->crtc, fb->id, x, y, fb->w, fb->h, fb->w, fb->h);
}

/* The CRC after a commit of @req (0 and a FAIL line if it failed). */
static uint32_t crc_after(int dfd, drmModeAtomicReqPtr req, const char *what)
{
	int ret = commit_planes(req);

	if (ret) {
		fail(what, "commit: expected success, saw %s", strerror(-ret));
		return 0;
	}
	return crc_now(dfd);
}

/*
 * The same picture built two ways gives the same CRC: one full-screen
 * image on the primary plane, or a primary plane with the overlay and the
 * cursor on top (moved, translucent, scaled, clipped at the edge); and a
 * head whose primary plane is off shows the black background and the
 * other planes.
 */
static void test_compose(const char *dir)
{
	/* Pre-multiplied: 50% of 0x808000 (r 0x40, g 0x40, b 0) at alpha 0x80. */
	const uint32_t bg = 0x00ff00ff, cur_px = 0xff80ff00, half = 0x80404000;
	/* 0x404000 + (1 - 0x80/0xff) * 0xff00ff, per channel. */
	const uint32_t half_on_bg = 0x00bf407f, ovl_px = 0x00123456;
	struct head *h = &heads[1];
	struct fb prim, flat, black, cur, cur_half, ovl;
	drmModeAtomicReqPtr req;
	uint32_t crc_flat, crc, crc_black;
	drmModeModeInfo m;
	int dfd;

	mode_arg(h, "640x480@60", &m);
	prim = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, bg);
	flat = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, bg);
	black = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0);
	cur = fb_dumb(64, 64, DRM_FORMAT_ARGB8888, cur_px);
	cur_half = fb_dumb(64, 64, DRM_FORMAT_ARGB8888, half);
	ovl = fb_dumb(32, 24, DRM_FORMAT_XRGB8888, ovl_px);

	fb_rect(&flat, 100, 50, 64, 64, cur_px);
	modeset(h, &m, &flat, false);
	dfd = crc_open(h, dir);
	if (dfd < 0)
		goto out;
	crc_flat = crc_now(dfd);

	/* The primary plane and an opaque cursor at 100,50. */
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &prim, 0, 0);
	add_plane_at(req, h, h->cursor, &cur, 100, 50);
	crc = crc_after(dfd, req, "compose_cursor");
	result("crc_covers_cursor", crc_flat && crc == crc_flat,
	       "primary 0x%06x + 64x64 cursor 0x%06x at 100,50: expected the CRC 0x%08x of one full-screen image of the same picture, saw 0x%08x",
	       bg, cur_px & 0xffffff, crc_flat, crc);

	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->cursor, &cur, 101, 50);
	crc = crc_after(dfd, req, "compose_cursor_moved");
	result("crc_cursor_move_changes", crc && crc != crc_flat,
	       "cursor moved from 100,50 to 101,50: expected a CRC other than 0x%08x, saw 0x%08x",
	       crc_flat, crc);
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->cursor, &cur, 100, 50);
	crc = crc_after(dfd, req, "compose_cursor_back");
	result("crc_cursor_move_back", crc == crc_flat,
	       "cursor moved back to 100,50: expected the CRC 0x%08x again, saw 0x%08x",
	       crc_flat, crc);

	/* A translucent cursor blends (pre-multiplied alpha). */
	fb_fill(&flat, bg);
	fb_rect(&flat, 100, 50, 64, 64, half_on_bg);
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &flat, 0, 0);
	add_plane_at(req, h, h->cursor, NULL, 0, 0);
	crc_flat = crc_after(dfd, req, "compose_flat_half");
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &prim, 0, 0);
	add_plane_at(req, h, h->cursor, &cur_half, 100, 50);
	crc = crc_after(dfd, req, "compose_cursor_half");
	result("crc_cursor_alpha_blended", crc_flat && crc == crc_flat,
	       "cursor 0x%08x (pre-multiplied) over 0x%06x: expected the CRC 0x%08x of the blended picture 0x%06x, saw 0x%08x",
	       half, bg, crc_flat, half_on_bg, crc);

	/* Overlay 32x24 scaled 4x at 300,200, the cursor above it at 400,260. */
	fb_fill(&flat, bg);
	fb_rect(&flat, 300, 200, 128, 96, ovl_px);
	fb_rect(&flat, 400, 260, 64, 64, cur_px);
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &flat, 0, 0);
	add_plane_at(req, h, h->cursor, NULL, 0, 0);
	crc_flat = crc_after(dfd, req, "compose_flat_overlay");
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &prim, 0, 0);
	add_plane(req, h->overlay, h->crtc, ovl.id, 300, 200, 128, 96, 32, 24);
	add_plane_at(req, h, h->cursor, &cur, 400, 260);
	crc = crc_after(dfd, req, "compose_overlay");
	result("crc_covers_overlay_in_plane_order", crc_flat && crc == crc_flat,
	       "overlay scaled 4x at 300,200 and the cursor over it at 400,260: expected the CRC 0x%08x of the flat picture, saw 0x%08x",
	       crc_flat, crc);

	/* A cursor hanging over the top-left corner shows its bottom-right. */
	fb_fill(&flat, bg);
	fb_rect(&flat, 0, 0, 32, 24, cur_px);
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &flat, 0, 0);
	add_plane_at(req, h, h->overlay, NULL, 0, 0);
	add_plane_at(req, h, h->cursor, NULL, 0, 0);
	crc_flat = crc_after(dfd, req, "compose_flat_corner");
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &prim, 0, 0);
	add_plane_at(req, h, h->cursor, &cur, -32, -40);
	crc = crc_after(dfd, req, "compose_cursor_clipped");
	result("crc_cursor_clipped", crc_flat && crc == crc_flat,
	       "cursor at -32,-40: expected the CRC 0x%08x of its visible 32x24 corner, saw 0x%08x",
	       crc_flat, crc);

	/* The primary plane off: the background, and the other planes. */
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &black, 0, 0);
	add_plane_at(req, h, h->cursor, NULL, 0, 0);
	crc_black = crc_after(dfd, req, "compose_black");
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, NULL, 0, 0);
	crc = crc_after(dfd, req, "compose_primary_off");
	result("crc_primary_off_background", crc_black && crc == crc_black,
	       "head lit, primary plane off: expected the CRC 0x%08x of a black frame, saw 0x%08x%s",
	       crc_black, crc, crc ? "" : " (no CRC entries)");
	fb_fill(&black, 0);
	fb_rect(&black, 100, 50, 64, 64, cur_px);
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &black, 0, 0);
	crc_flat = crc_after(dfd, req, "compose_black_square");
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, NULL, 0, 0);
	add_plane_at(req, h, h->cursor, &cur, 100, 50);
	crc = crc_after(dfd, req, "compose_primary_off_cursor");
	result("crc_primary_off_with_cursor", crc_flat && crc == crc_flat,
	       "primary off, cursor at 100,50: expected the CRC 0x%08x of the cursor on black, saw 0x%08x",
	       crc_flat, crc);
	close(dfd);
out:
	all_off();
	fb_free(&prim);
	fb_free(&flat);
	fb_free(&black);
	fb_free(&cur);
	fb_free(&cur_half);
	fb_free(&ovl);
}

/*
 * One CRC entry per vblank, numbered by it: @n entries in a row have
 * consecutive frame numbers, at 1080p60 with all three planes to compose
 * (a worker that falls behind must still report every frame).
 */
static void test_crc_frames(const char *dir, unsigned int n)
{
	struct head *h = &heads[0];
	struct fb prim, cur, ovl;
	drmModeAtomicReqPtr req;
	uint32_t *frames, *crcs;
	unsigned int i, gaps = 0, first_gap = 0, v0, v1;
	drmModeModeInfo m;
	int dfd, ret;

	mode_arg(h, "1920x1080@60", &m);
	prim = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0x00336699);
	cur = fb_dumb(64, 64, DRM_FORMAT_ARGB8888, 0x80404040);
	ovl = fb_dumb(320, 240, DRM_FORMAT_XRGB8888, 0x00996633);
	req = drmModeAtomicAlloc();
	add_modeset(req, h, &m, &prim, false);
	add_plane(req, h->overlay, h->crtc, ovl.id, 100, 100, 640, 480, 320, 240);
	add_plane_at(req, h, h->cursor, &cur, 500, 500);
	if (commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET))
		die("modeset 1080p with three planes");
	frames = calloc(n, sizeof(*frames));
	crcs = calloc(n, sizeof(*crcs));
	dfd = crc_open(h, dir);
	if (dfd < 0 || !frames || !crcs)
		goto out;
	v0 = vblank_count(h);
	ret = read_crcs(dfd, n, frames, crcs);
	v1 = vblank_count(h);
	if (ret) {
		fail("crc_frames_read", "expected %u CRC entries, read fewer within 5 s each", n);
		goto out;
	}
	for (i = 1; i < n; i++)
		if (frames[i] != frames[i - 1] + 1 && !gaps++)
			first_gap = i;
	result("crc_frames_consecutive", !gaps,
	       "expected %u entries with consecutive frame numbers, saw %u gaps or repeats, the first %u then %u",
	       n, gaps, first_gap ? frames[first_gap - 1] : 0, frames[first_gap]);
	/* Entries are of frames the head showed while they were read. */
	result("crc_frames_are_vblanks", frames[n - 1] <= v1 && frames[n - 1] + 1 >= v0 + n / 2,
	       "expected the last entry's frame %u between vblank %u + %u and %u",
	       frames[n - 1], v0, n / 2, v1);
	printf("# crc frames %u..%u, vblanks %u..%u\n", frames[0], frames[n - 1], v0, v1);
	close(dfd);
out:
	free(frames);
	free(crcs);
	all_off();
	fb_free(&prim);
	fb_free(&cur);
	fb_free(&ovl);
}

/* ---- DEGAMMA_LUT, CTM, GAMMA_LUT ---- */

/* S31.32 sign-magnitude. */
static uint64_t ctm_coeff(int v)
{
	return v < 0 ? (1ULL << 63) | ((uint64_t)-v << 32) : (uint64_t)v << 32;
}

/* A CTM blob: identity, or red and blue swapped. */
static uint32_t ctm_blob(bool swap_rb)
{
	struct drm_color_ctm ctm = { 0 };
	uint32_t blob;

	ctm.matrix[swap_rb ? 2 : 0] = ctm_coeff(1);
	ctm.matrix[4] = ctm_coeff(1);
	ctm.matrix[swap_rb ? 6 : 8] = ctm_coeff(1);
	if (drmModeCreatePropertyBlob(fd, &ctm, sizeof(ctm), &blob))
		die("ctm blob");
	return blob;
}

/* A 256-entry LUT blob, linear but for red, inverted if asked. */
static uint32_t lut_blob(bool invert_red)
{
	struct drm_color_lut lut[256];
	uint32_t blob;
	unsigned int i;

	for (i = 0; i < 256; i++) {
		uint16_t v = i * 257;

		lut[i].red = invert_red ? 0xffff - v : v;
		lut[i].green = v;
		lut[i].blue = v;
		lut[i].reserved = 0;
	}
	if (drmModeCreatePropertyBlob(fd, lut, sizeof(lut), &blob))
		die("lut blob");
	return blob;
}

/* The image and the cursor at 10,10 through the colour pipeline given. */
static uint32_t crc_color(int dfd, struct head *h, struct fb *img, struct fb *cur,
			  uint32_t degamma, uint32_t ctm, uint32_t gamma, const char *what)
{
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();

	add_plane_at(req, h, h->primary, img, 0, 0);
	add_plane_at(req, h, h->cursor, cur, 10, 10);

	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "DEGAMMA_LUT", degamma);
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "CTM", ctm);
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "GAMMA_LUT", gamma);
	return crc_after(dfd, req, what);
}

/* Show @fb alone, on the primary plane, with no colour pipeline: its CRC. */
static uint32_t crc_of(int dfd, struct head *h, struct fb *fb)
{
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();

	add_plane_at(req, h, h->primary, fb, 0, 0);
	add_plane_at(req, h, h->cursor, NULL, 0, 0);
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "DEGAMMA_LUT", 0);
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "CTM", 0);
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "GAMMA_LUT", 0);
	return crc_after(dfd, req, "color_reference");
}

/*
 * The CRTC's DEGAMMA_LUT, CTM and GAMMA_LUT show in the CRC, applied in
 * that order, on the composed output. Image (r, g, b) = (0x20, 0x40, 0x80)
 * with a cursor (0x10, 0x90, 0xe0); "red inverted" LUTs map r to 0xff - r.
 */
static void test_color(const char *dir)
{
	struct head *h = &heads[1];
	uint32_t id_ctm, swap_ctm, inv_lut, lin_lut, c_ref, c, want;
	struct fb img, ref, cur;
	drmModeAtomicReqPtr req;
	drmModeModeInfo m;
	int dfd, ret;

	check("degamma_lut_size", prop_value(h->crtc, DRM_MODE_OBJECT_CRTC,
					     "DEGAMMA_LUT_SIZE") == 256,
	      "expected DEGAMMA_LUT_SIZE 256");
	prop_id(h->crtc, DRM_MODE_OBJECT_CRTC, "CTM");
	mode_arg(h, "640x480@60", &m);
	img = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0x00204080);
	ref = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0x00204080);
	cur = fb_dumb(64, 64, DRM_FORMAT_ARGB8888, 0xff1090e0);
	req = drmModeAtomicAlloc();
	add_modeset(req, h, &m, &img, false);
	add_plane_at(req, h, h->cursor, &cur, 10, 10);
	if (commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET))
		die("modeset for colour");
	id_ctm = ctm_blob(false);
	swap_ctm = ctm_blob(true);
	inv_lut = lut_blob(true);
	lin_lut = lut_blob(false);
	dfd = crc_open(h, dir);
	if (dfd < 0)
		goto out;

	/* Reference: the composed picture as is, on the primary plane alone. */
	fb_rect(&ref, 10, 10, 64, 64, 0x1090e0);
	c_ref = crc_of(dfd, h, &ref);
	req = drmModeAtomicAlloc();
	add_plane_at(req, h, h->primary, &img, 0, 0);
	add_plane_at(req, h, h->cursor, &cur, 10, 10);
	c = crc_after(dfd, req, "color_composed");
	result("color_none_composed", c_ref && c == c_ref,
	       "no colour pipeline: expected the CRC 0x%08x of the flat picture, saw 0x%08x",
	       c_ref, c);

	c = crc_color(dfd, h, &img, &cur, lin_lut, id_ctm, lin_lut, "color_identity");
	result("color_identity_unchanged", c == c_ref,
	       "linear DEGAMMA_LUT, identity CTM, linear GAMMA_LUT: expected the CRC 0x%08x of the picture as is, saw 0x%08x",
	       c_ref, c);

	/* CTM alone: red and blue swapped, cursor included. */
	fb_fill(&ref, 0x00804020);
	fb_rect(&ref, 10, 10, 64, 64, 0xe09010);
	want = crc_of(dfd, h, &ref);
	c = crc_color(dfd, h, &img, &cur, 0, swap_ctm, 0, "color_ctm_swap");
	result("color_ctm_swaps_channels", want && c == want,
	       "CTM swapping red and blue: expected the CRC 0x%08x of the swapped picture, saw 0x%08x",
	       want, c);

	/* DEGAMMA_LUT alone: red inverted. */
	fb_fill(&ref, 0x00df4080);
	fb_rect(&ref, 10, 10, 64, 64, 0xef90e0);
	want = crc_of(dfd, h, &ref);
	c = crc_color(dfd, h, &img, &cur, inv_lut, 0, 0, "color_degamma");
	result("color_degamma_applied", want && c == want,
	       "DEGAMMA_LUT inverting red: expected the CRC 0x%08x of that picture, saw 0x%08x",
	       want, c);

	/* Degamma, then CTM: (0xff - r, g, b) swapped = (b, g, 0xff - r). */
	fb_fill(&ref, 0x008040df);
	fb_rect(&ref, 10, 10, 64, 64, 0xe090ef);
	want = crc_of(dfd, h, &ref);
	c = crc_color(dfd, h, &img, &cur, inv_lut, swap_ctm, 0, "color_degamma_ctm");
	result("color_degamma_before_ctm", want && c == want,
	       "DEGAMMA_LUT inverting red, then the swapping CTM: expected the CRC 0x%08x of (b, g, 0xff - r), saw 0x%08x",
	       want, c);

	/* CTM, then gamma: (b, g, r) with red inverted = (0xff - b, g, r). */
	fb_fill(&ref, 0x007f4020);
	fb_rect(&ref, 10, 10, 64, 64, 0x1f9010);
	want = crc_of(dfd, h, &ref);
	c = crc_color(dfd, h, &img, &cur, 0, swap_ctm, inv_lut, "color_ctm_gamma");
	result("color_ctm_before_gamma", want && c == want,
	       "the swapping CTM, then GAMMA_LUT inverting red: expected the CRC 0x%08x of (0xff - b, g, r), saw 0x%08x",
	       want, c);

	/* A DEGAMMA_LUT of the wrong size is refused. */
	{
		struct drm_color_lut lut[16] = { 0 };
		uint32_t blob;

		if (drmModeCreatePropertyBlob(fd, lut, sizeof(lut), &blob))
			die("lut blob");
		req = drmModeAtomicAlloc();
		add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "DEGAMMA_LUT", blob);
		ret = commit(req, DRM_MODE_ATOMIC_TEST_ONLY);
		result("degamma_lut_size_checked", ret == -EINVAL,
		       "DEGAMMA_LUT of 16 entries: expected EINVAL, saw %s",
		       ret ? strerror(-ret) : "accepted");
		drmModeDestroyPropertyBlob(fd, blob);
	}
	close(dfd);
out:
	all_off();
	drmModeDestroyPropertyBlob(fd, id_ctm);
	drmModeDestroyPropertyBlob(fd, swap_ctm);
	drmModeDestroyPropertyBlob(fd, inv_lut);
	drmModeDestroyPropertyBlob(fd, lin_lut);
	fb_free(&img);
	fb_free(&ref);
	fb_free(&cur);
}

/* ---- vsync flips complete at a vblank after their submission ---- */

struct flip_ev {
	bool done;
	unsigned int seq;
	double t_us;
};

static void flip_ev_handler(int f __attribute__((unused)), unsigned int seq,
			    unsigned int sec, unsigned int usec,
			    unsigned int crtc __attribute__((unused)), void *data)
{
	struct flip_ev *ev = data;

	ev->seq = seq;
	ev->t_us = sec * 1e6 + usec;
	ev->done = true;
}

static bool wait_flip_ev(struct flip_ev *ev, int ms)
{
	drmEventContext ctx = { .version = 3, .page_flip_handler2 = flip_ev_handler };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (!ev->done) {
		if (poll(&pfd, 1, ms) != 1)
			return false;
		drmHandleEvent(fd, &ctx);
	}
	return true;
}

static void sleep_until_us(double t)
{
	struct timespec ts = { .tv_sec = (time_t)(t / 1e6) };

	ts.tv_nsec = (long)((t - ts.tv_sec * 1e6) * 1e3);
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/*
 * @n legacy vsync page flips on head 0 at its preferred mode, each
 * submitted at an offset around the moment the next vblank is due (from
 * 0.5 ms before to 1 ms after): each completes with a timestamp not before
 * its submission, its sequence after the last flip's, and sequence and
 * timestamp of the same vblank (their distance from the last flip's is a
 * whole number of refreshes).
 */
static void test_flip_times(unsigned int n)
{
	static const int offs_us[] = { -500, -200, -50, -10, 0, 5, 10, 20, 40, 70,
				       100, 150, 250, 400, 700, 1000 };
	struct head *h = &heads[0];
	unsigned int i, early = 0, bad_seq = 0, bad_time = 0;
	double period_us, worst = 0, t_sub, t_early = 0, worst_drift = 0;
	struct flip_ev last = { 0 };
	drmModeModeInfo m;
	struct fb fbs[2];
	int ret = 0;

	mode_arg(h, "pref", &m);
	period_us = (double)m.htotal * m.vtotal * 1000.0 / m.clock;
	fbs[0] = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0x00204080);
	fbs[1] = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0x00804020);
	modeset(h, &m, &fbs[0], false);
	if (drmModePageFlip(fd, h->crtc, fbs[1].id, DRM_MODE_PAGE_FLIP_EVENT, &last) ||
	    !wait_flip_ev(&last, 5000))
		die("first page flip");

	for (i = 0; i < n; i++) {
		struct flip_ev ev = { 0 };
		double due = last.t_us + period_us, drift;
		unsigned int k;

		/* The vblank due next after now, then the offset from it. */
		while (due < mono_us() - 2000)
			due += period_us;
		sleep_until_us(due + offs_us[i % ARRAY_SIZE(offs_us)]);
		t_sub = mono_us();
		ret = drmModePageFlip(fd, h->crtc, fbs[i & 1].id, DRM_MODE_PAGE_FLIP_EVENT,
				      &ev) ? -errno : 0;
		if (ret)
			break;
		if (!wait_flip_ev(&ev, 5000)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (ev.t_us < t_sub) {
			if (t_sub - ev.t_us > worst) {
				worst = t_sub - ev.t_us;
				t_early = offs_us[i % ARRAY_SIZE(offs_us)];
			}
			early++;
		}
		if (ev.seq <= last.seq)
			bad_seq++;
		k = ev.seq - last.seq;
		drift = ev.t_us - last.t_us - k * period_us;
		if (drift < 0)
			drift = -drift;
		if (drift > worst_drift)
			worst_drift = drift;
		/* Latched times: exact to the PTIMER ns, reported in us. */
		if (drift > 2 + k * 0.01)
			bad_time++;
		last = ev;
	}
	result("vsync_flips_complete", !ret, "flip %u: %s", i, strerror(-ret));
	result("vsync_flip_time_not_before_submit", !ret && !early,
	       "expected every flip's event time at or after its submission, saw %u of %u before it, by up to %.0f us (submitted %+.0f us from the due vblank)",
	       early, n, worst, t_early);
	result("vsync_flip_seq_increases", !ret && !bad_seq,
	       "expected each flip's sequence after the last one's, saw %u not", bad_seq);
	result("vsync_flip_seq_matches_time", !ret && !bad_time,
	       "expected each flip's time to be a whole number of %.1f us refreshes after the last flip's (its sequence difference), saw %u off, by up to %.1f us",
	       period_us, bad_time, worst_drift);
	printf("# %u flips at %.2f Hz, %u early (worst %.0f us), worst drift %.1f us\n",
	       i, 1e6 / period_us, early, worst, worst_drift);
	all_off();
	fb_free(&fbs[0]);
	fb_free(&fbs[1]);
}

/* ---- dumb buffers, small framebuffers, overflowing modes ---- */

static void test_dumb(void)
{
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	const uint32_t test = DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET;
	struct head *h = &heads[0];
	struct drm_mode_create_dumb cd = { .width = 65536, .height = 1, .bpp = 32 };
	drmModeAtomicReqPtr req;
	drmModeModeInfo m, big;
	uint32_t id = 0;
	struct fb fb;
	int ret;

	ret = drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd) ? -errno : 0;
	result("dumb_wider_than_16384", !ret && cd.size >= 65536ull * 4 && cd.pitch >= 65536 * 4,
	       "65536x1x32 dumb buffer: expected success with >= 256 KiB, saw %s, size %llu pitch %u",
	       strerror(-ret), (unsigned long long)cd.size, cd.pitch);
	if (!ret)
		drmModeDestroyDumbBuffer(fd, cd.handle);
	cd = (struct drm_mode_create_dumb){ .width = 1, .height = 65536, .bpp = 32 };
	ret = drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd) ? -errno : 0;
	result("dumb_taller_than_16384", !ret && cd.size >= 65536ull * 4,
	       "1x65536x32 dumb buffer: expected success, saw %s", strerror(-ret));
	if (!ret)
		drmModeDestroyDumbBuffer(fd, cd.handle);
	/* What DRM core refuses, the driver refuses too. */
	cd = (struct drm_mode_create_dumb){ .width = 0x40000000, .height = 8, .bpp = 32 };
	ret = drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd) ? -errno : 0;
	result("dumb_overflow_refused", ret == -EINVAL,
	       "0x40000000x8x32 dumb buffer: expected EINVAL, saw %s", strerror(-ret));

	/* A 32x33 cursor image. */
	cd = (struct drm_mode_create_dumb){ .width = 32, .height = 33, .bpp = 32 };
	ret = drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd) ? -errno : 0;
	if (!ret) {
		handles[0] = cd.handle;
		pitches[0] = cd.pitch;
		ret = drmModeAddFB2(fd, 32, 33, DRM_FORMAT_ARGB8888, handles, pitches,
				    offsets, &id, 0) ? -errno : 0;
	}
	result("small_fb_32x33", !ret, "32x33 ARGB8888 framebuffer: expected success, saw %s",
	       strerror(-ret));
	mode_arg(h, "1024x768@60", &m);
	fb = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff336699);
	if (id) {
		req = drmModeAtomicAlloc();
		add_modeset(req, h, &m, &fb, false);
		add_plane(req, h->cursor, h->crtc, id, 100, 100, 32, 33, 32, 33);
		ret = commit(req, test);
		result("small_cursor_32x33", !ret,
		       "32x33 cursor on DP-1: expected success, saw %s", strerror(-ret));
		drmModeRmFB(fd, id);
	}
	if (cd.handle)
		drmModeDestroyDumbBuffer(fd, cd.handle);

	/* 65535 x 40000 pixels a frame: more than the vblank core's int. */
	big = m;
	big.htotal = 65535;
	big.vtotal = 40000;
	big.clock = 700000;
	big.vrefresh = 0;
	snprintf(big.name, sizeof(big.name), "1024x768-huge");
	req = drmModeAtomicAlloc();
	add_modeset(req, h, &big, &fb, false);
	ret = commit(req, test);
	result("mode_frame_size_overflow_refused", ret == -EINVAL,
	       "a mode of htotal 65535 x vtotal 40000: expected EINVAL, saw %s",
	       ret ? strerror(-ret) : "accepted");
	fb_free(&fb);
}

/* ---- cursor updates while a flip is pending ---- */

static void flip_handler(int f __attribute__((unused)), unsigned int seq __attribute__((unused)),
			 unsigned int sec __attribute__((unused)),
			 unsigned int usec __attribute__((unused)),
			 unsigned int crtc __attribute__((unused)), void *data)
{
	*(bool *)data = true;
}

static bool wait_event(bool *done, int ms)
{
	drmEventContext ctx = { .version = 3, .page_flip_handler2 = flip_handler };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (!*done) {
		if (poll(&pfd, 1, ms) != 1)
			return false;
		drmHandleEvent(fd, &ctx);
	}
	return true;
}

/* The cursor plane's crtc-pos in debugfs dri/N/state, or "". */
static const char *cursor_pos(const char *state, unsigned int head)
{
	static char buf[65536], pos[64];
	char name[32], *p;
	ssize_t n;
	int f = open(state, O_RDONLY);

	pos[0] = 0;
	n = f < 0 ? -1 : read(f, buf, sizeof(buf) - 1);
	if (f >= 0)
		close(f);
	if (n <= 0)
		return pos;
	buf[n] = 0;
	snprintf(name, sizeof(name), ": cursor-%u\n", head);
	p = strstr(buf, name);
	p = p ? strstr(p, "crtc-pos=") : NULL;
	if (p)
		sscanf(p, "crtc-pos=%63s", pos);
	return pos;
}

static void test_cursor(const char *state)
{
	struct head *h = &heads[0];
	drmModeAtomicReqPtr req;
	drmModeModeInfo m;
	struct fb a, b, cur;
	unsigned int i, not_blocked = 0;
	char want[64];
	int ret = 0;

	/* A 2 Hz mode: a flip stays pending for up to half a second. */
	mode_arg(h, "640x480@60", &m);
	m.vsync_start = 490;
	m.vsync_end = 492;
	m.vtotal = 4000;
	m.clock = m.htotal * 4000 * 2 / 1000;
	m.vrefresh = 2;
	snprintf(m.name, sizeof(m.name), "640x480-2hz");
	a = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff204080);
	b = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff804020);
	cur = fb_dumb(64, 64, DRM_FORMAT_ARGB8888, 0x80ffffff);
	req = drmModeAtomicAlloc();
	add_modeset(req, h, &m, &a, false);
	add_plane(req, h->cursor, h->crtc, cur.id, 0, 0, 64, 64, 64, 64);
	if (commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET))
		die("modeset at 2 Hz");

	for (i = 0; i < 3; i++) {
		bool done = false;

		req = drmModeAtomicAlloc();
		add(req, h->primary, DRM_MODE_OBJECT_PLANE, "FB_ID", i & 1 ? a.id : b.id);
		ret = drmModeAtomicCommit(fd, req, DRM_MODE_PAGE_FLIP_EVENT |
					  DRM_MODE_ATOMIC_NONBLOCK, &done) ? -errno : 0;
		drmModeAtomicFree(req);
		if (ret) {
			fail("flip", "nonblocking flip: expected success, saw %s", strerror(-ret));
			break;
		}
		ret = drmModeMoveCursor(fd, h->crtc, 10 + i, 20 + i) ? -errno : ret;
		/* Was the flip still pending when the cursor moved? */
		if (!wait_event(&done, 0))
			not_blocked++;
		if (!wait_event(&done, 5000)) {
			fail("flip_completes", "no flip event within 5 s at 2 Hz");
			break;
		}
	}
	result("cursor_move_succeeds", !ret, "drmModeMoveCursor: %s", strerror(-ret));
	result("cursor_not_blocked_by_flip", not_blocked > 0,
	       "expected a legacy cursor move to return while a flip was pending (at 2 Hz), saw it return after the flip completed in all %u tries",
	       i);
	snprintf(want, sizeof(want), "64x64+%u+%u", 10 + i - 1, 20 + i - 1);
	result("cursor_moved", !strcmp(cursor_pos(state, h->index), want),
	       "expected the cursor plane at crtc-pos=%s, saw '%s'", want,
	       cursor_pos(state, h->index));

	/* A cursor image change is an async update too. */
	ret = drmModeSetCursor(fd, h->crtc, cur.handle, 64, 64) ? -errno : 0;
	result("cursor_set_succeeds", !ret, "drmModeSetCursor: %s", strerror(-ret));
	all_off();
	fb_free(&a);
	fb_free(&b);
	fb_free(&cur);
}

/* ---- async page flips ---- */

struct async_ev {
	bool done;
	unsigned int seq;
	double t_us;
};

static void async_handler(int f __attribute__((unused)), unsigned int seq, unsigned int sec,
			  unsigned int usec, unsigned int crtc __attribute__((unused)),
			  void *data)
{
	struct async_ev *ev = data;

	ev->seq = seq;
	ev->t_us = sec * 1e6 + usec;
	ev->done = true;
}

static bool wait_async(struct async_ev *ev, int ms)
{
	drmEventContext ctx = { .version = 3, .page_flip_handler2 = async_handler };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (!ev->done) {
		if (poll(&pfd, 1, ms) != 1)
			return false;
		drmHandleEvent(fd, &ctx);
	}
	return true;
}

static unsigned int vblank_count(struct head *h)
{
	drmVBlank vbl = { .request = { .type = DRM_VBLANK_RELATIVE |
		(h->index > 1 ? (h->index << DRM_VBLANK_HIGH_CRTC_SHIFT) :
		 h->index ? DRM_VBLANK_SECONDARY : 0) } };

	return drmWaitVBlank(fd, &vbl) ? 0 : vbl.reply.sequence;
}

static double mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/*
 * DRM_MODE_PAGE_FLIP_ASYNC, atomic and legacy, on a 2 Hz head: the flip
 * completes within the frame it was submitted in, its event time not
 * before the submission; with a modeset it is refused.
 */
static void test_async(void)
{
	struct head *h = &heads[0];
	drmModeAtomicReqPtr req;
	drmModeModeInfo m;
	struct fb a, b;
	unsigned int i, in_frame = 0, before;
	double t0, worst = 0;
	int ret = 0;
	uint64_t cap = 0;

	drmGetCap(fd, DRM_CAP_ASYNC_PAGE_FLIP, &cap);
	result("async_cap", cap == 1, "expected DRM_CAP_ASYNC_PAGE_FLIP 1, saw %llu",
	       (unsigned long long)cap);
	mode_arg(h, "640x480@60", &m);
	m.vsync_start = 490;
	m.vsync_end = 492;
	m.vtotal = 4000;
	m.clock = m.htotal * 4000 * 2 / 1000;
	m.vrefresh = 2;
	snprintf(m.name, sizeof(m.name), "640x480-2hz");
	a = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff204080);
	b = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff804020);
	modeset(h, &m, &a, false);

	for (i = 0; i < 3; i++) {
		struct async_ev ev = { 0 };

		before = vblank_count(h);
		t0 = mono_us();
		req = drmModeAtomicAlloc();
		add(req, h->primary, DRM_MODE_OBJECT_PLANE, "FB_ID", i & 1 ? a.id : b.id);
		ret = drmModeAtomicCommit(fd, req, DRM_MODE_PAGE_FLIP_EVENT |
					  DRM_MODE_PAGE_FLIP_ASYNC | DRM_MODE_ATOMIC_NONBLOCK,
					  &ev) ? -errno : 0;
		drmModeAtomicFree(req);
		if (ret)
			break;
		if (!wait_async(&ev, 5000)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (ev.seq == before)
			in_frame++;
		if (t0 - ev.t_us > worst)
			worst = t0 - ev.t_us;
	}
	result("async_atomic_flip", !ret,
	       "atomic commit with DRM_MODE_PAGE_FLIP_ASYNC: expected success, saw %s",
	       strerror(-ret));
	result("async_flip_in_frame", !ret && in_frame > 0,
	       "expected an async flip to complete in the frame it was submitted in (2 Hz), saw it wait for a vblank in all %u tries",
	       i);
	result("async_flip_time_not_before_submit", !ret && worst <= 1,
	       "expected the event time at or after the submission, saw it %.0f us before", worst);

	/* The legacy page flip ioctl. */
	{
		struct async_ev ev = { 0 };

		ret = drmModePageFlip(fd, h->crtc, a.id, DRM_MODE_PAGE_FLIP_EVENT |
				      DRM_MODE_PAGE_FLIP_ASYNC, &ev) ? -errno : 0;
		if (!ret && !wait_async(&ev, 5000))
			ret = -ETIMEDOUT;
		result("async_legacy_flip", !ret,
		       "drmModePageFlip with DRM_MODE_PAGE_FLIP_ASYNC: expected success, saw %s",
		       strerror(-ret));
	}

	/* Not with a modeset. */
	req = drmModeAtomicAlloc();
	add_modeset(req, h, &m, &b, false);
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 0);
	ret = commit(req, DRM_MODE_PAGE_FLIP_ASYNC | DRM_MODE_ATOMIC_ALLOW_MODESET |
		     DRM_MODE_ATOMIC_TEST_ONLY);
	result("async_modeset_refused", ret == -EINVAL,
	       "async commit that turns the head off: expected EINVAL, saw %s",
	       ret ? strerror(-ret) : "accepted");
	all_off();
	fb_free(&a);
	fb_free(&b);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: kms_conf_test vrr|gamma|dumb|cursor|async|compose|crcframes|color|fliptimes ...\n");
		return 2;
	}
	setup();
	if (nr_heads < 2) {
		printf("FAIL: heads: expected at least 2, saw %u\n", nr_heads);
		return 1;
	}
	if (!strcmp(argv[1], "vrr") && argc == 3)
		test_vrr(argv[2]);
	else if (!strcmp(argv[1], "gamma") && argc == 3)
		test_gamma(argv[2]);
	else if (!strcmp(argv[1], "dumb"))
		test_dumb();
	else if (!strcmp(argv[1], "async"))
		test_async();
	else if (!strcmp(argv[1], "cursor") && argc == 3)
		test_cursor(argv[2]);
	else if (!strcmp(argv[1], "compose") && argc == 3)
		test_compose(argv[2]);
	else if (!strcmp(argv[1], "crcframes") && argc == 4)
		test_crc_frames(argv[2], atoi(argv[3]));
	else if (!strcmp(argv[1], "color") && argc == 3)
		test_color(argv[2]);
	else if (!strcmp(argv[1], "fliptimes") && argc == 3)
		test_flip_times(atoi(argv[2]));
	else {
		fprintf(stderr, "kms_conf_test: bad arguments\n");
		return 2;
	}
	return failures;
}
