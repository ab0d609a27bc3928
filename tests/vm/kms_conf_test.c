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

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_HEADS	4

static void die(const char *what)
{
	printf("FAIL: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* ---- the device and its heads ---- */

struct head {
	uint32_t conn, crtc, primary, overlay, cursor;
	unsigned int index;
};

static int fd;
static struct head heads[MAX_HEADS];
static unsigned int nr_heads;

static int open_nvghost(void)
{
	char path[32];
	int i;

	for (i = 0; i < 8; i++) {
		drmVersionPtr v;
		int f;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		f = open(path, O_RDWR | O_CLOEXEC);
		if (f < 0)
			continue;
		v = drmGetVersion(f);
		if (v && !strcmp(v->name, "nvghost")) {
			drmFreeVersion(v);
			return f;
		}
		drmFreeVersion(v);
		close(f);
	}
	errno = ENODEV;
	return -1;
}

static uint32_t prop_id(uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, obj, type);
	uint32_t id = 0, i;

	for (i = 0; props && i < props->count_props; i++) {
		drmModePropertyPtr p = drmModeGetProperty(fd, props->props[i]);

		if (p && !strcmp(p->name, name))
			id = p->prop_id;
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	if (!id) {
		printf("FAIL: property %s missing on object %u\n", name, obj);
		exit(1);
	}
	return id;
}

static uint64_t prop_value(uint32_t obj, uint32_t type, const char *name)
{
	drmModeObjectPropertiesPtr props = drmModeObjectGetProperties(fd, obj, type);
	uint32_t want = prop_id(obj, type, name), i;
	uint64_t v = 0;

	for (i = 0; props && i < props->count_props; i++)
		if (props->props[i] == want)
			v = props->prop_values[i];
	drmModeFreeObjectProperties(props);
	return v;
}

static void setup(void)
{
	drmModeResPtr res;
	drmModePlaneResPtr pres;
	unsigned int i, j;

	fd = open_nvghost();
	if (fd < 0)
		die("open nvghost card");
	if (drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) ||
	    drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1))
		die("atomic client cap");
	res = drmModeGetResources(fd);
	pres = drmModeGetPlaneResources(fd);
	if (!res || !pres)
		die("get resources");
	nr_heads = res->count_crtcs;
	for (i = 0; i < nr_heads && i < MAX_HEADS; i++) {
		heads[i].index = i;
		heads[i].crtc = res->crtcs[i];
		heads[i].conn = res->connectors[i];
		for (j = 0; j < pres->count_planes; j++) {
			drmModePlanePtr p = drmModeGetPlane(fd, pres->planes[j]);
			uint64_t type;

			if (!(p->possible_crtcs & (1u << i))) {
				drmModeFreePlane(p);
				continue;
			}
			type = prop_value(p->plane_id, DRM_MODE_OBJECT_PLANE, "type");
			if (type == DRM_PLANE_TYPE_PRIMARY)
				heads[i].primary = p->plane_id;
			else if (type == DRM_PLANE_TYPE_OVERLAY)
				heads[i].overlay = p->plane_id;
			else
				heads[i].cursor = p->plane_id;
			drmModeFreePlane(p);
		}
	}
	drmModeFreePlaneResources(pres);
	drmModeFreeResources(res);
}

/* The connector's mode named by @spec (WxH@HZ or "pref"). */
static bool find_mode(struct head *h, const char *spec, drmModeModeInfo *out)
{
	drmModeConnectorPtr c = drmModeGetConnector(fd, h->conn);
	unsigned int w = 0, hh = 0, hz = 0;
	bool found = false;
	int i;

	if (strcmp(spec, "pref"))
		sscanf(spec, "%ux%u@%u", &w, &hh, &hz);
	for (i = 0; c && i < c->count_modes && !found; i++) {
		drmModeModeInfo *m = &c->modes[i];

		if (!strcmp(spec, "pref") ? (m->type & DRM_MODE_TYPE_PREFERRED) :
		    (m->hdisplay == w && m->vdisplay == hh && m->vrefresh == hz)) {
			*out = *m;
			found = true;
		}
	}
	drmModeFreeConnector(c);
	return found;
}

/* ---- framebuffers ---- */

struct fb {
	uint32_t id, handle, w, h, pitch;
	void *map;
	size_t size;
};

static void fb_fill(struct fb *fb, uint32_t pixel)
{
	uint32_t y, x;

	for (y = 0; y < fb->h; y++) {
		uint32_t *row = (uint32_t *)((char *)fb->map + (size_t)y * fb->pitch);

		for (x = 0; x < fb->w; x++)
			row[x] = pixel;
	}
}

/* A dumb buffer (VRAM) of @format, filled with @pixel if 32 bpp. */
static struct fb fb_dumb(uint32_t w, uint32_t h, uint32_t format, uint32_t pixel)
{
	uint32_t bpp = format == DRM_FORMAT_RGB565 ? 16 : 32;
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	struct fb fb = { .w = w, .h = h };
	uint64_t size, off;

	if (drmModeCreateDumbBuffer(fd, w, h, bpp, 0, &fb.handle, &fb.pitch, &size))
		die("create dumb");
	fb.size = size;
	handles[0] = fb.handle;
	pitches[0] = fb.pitch;
	if (drmModeAddFB2(fd, w, h, format, handles, pitches, offsets, &fb.id, 0))
		die("addfb2");
	if (bpp == 32) {
		if (drmModeMapDumbBuffer(fd, fb.handle, &off))
			die("map dumb");
		fb.map = mmap(NULL, fb.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
		if (fb.map == MAP_FAILED)
			die("mmap dumb");
		fb_fill(&fb, pixel);
	}
	return fb;
}

static void fb_free(struct fb *fb)
{
	if (fb->map)
		munmap(fb->map, fb->size);
	drmModeRmFB(fd, fb->id);
	drmModeDestroyDumbBuffer(fd, fb->handle);
}

/* ---- atomic requests ---- */

static void add(drmModeAtomicReqPtr req, uint32_t obj, uint32_t type,
		const char *name, uint64_t value)
{
	if (drmModeAtomicAddProperty(req, obj, prop_id(obj, type, name), value) < 0)
		die("atomic add property");
}

static void add_plane(drmModeAtomicReqPtr req, uint32_t plane, uint32_t crtc,
		      uint32_t fb, int x, int y, uint32_t w, uint32_t h,
		      uint32_t sw, uint32_t sh)
{
	add(req, plane, DRM_MODE_OBJECT_PLANE, "FB_ID", fb);
	add(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_ID", crtc);
	add(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_X", (uint64_t)(int64_t)x);
	add(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_Y", (uint64_t)(int64_t)y);
	add(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_W", w);
	add(req, plane, DRM_MODE_OBJECT_PLANE, "CRTC_H", h);
	add(req, plane, DRM_MODE_OBJECT_PLANE, "SRC_X", 0);
	add(req, plane, DRM_MODE_OBJECT_PLANE, "SRC_Y", 0);
	add(req, plane, DRM_MODE_OBJECT_PLANE, "SRC_W", (uint64_t)sw << 16);
	add(req, plane, DRM_MODE_OBJECT_PLANE, "SRC_H", (uint64_t)sh << 16);
}

/* Add a modeset of @h to @m, VRR as asked; no plane. */
static void add_crtc(drmModeAtomicReqPtr req, struct head *h,
		     const drmModeModeInfo *m, bool vrr)
{
	uint32_t blob;

	if (drmModeCreatePropertyBlob(fd, m, sizeof(*m), &blob))
		die("mode blob");
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 1);
	add(req, h->crtc, DRM_MODE_OBJECT_CRTC, "VRR_ENABLED", vrr);
	add(req, h->conn, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", h->crtc);
}

/* Add a modeset of @h to @m scanning out @fb, VRR as asked. */
static void add_modeset(drmModeAtomicReqPtr req, struct head *h,
			const drmModeModeInfo *m, struct fb *fb, bool vrr)
{
	add_crtc(req, h, m, vrr);
	add_plane(req, h->primary, h->crtc, fb->id, 0, 0, m->hdisplay, m->vdisplay,
		  m->hdisplay, m->vdisplay);
}

static int commit(drmModeAtomicReqPtr req, uint32_t flags)
{
	int ret = drmModeAtomicCommit(fd, req, flags, NULL);

	drmModeAtomicFree(req);
	return ret ? -errno : 0;
}

static void modeset(struct head *h, const drmModeModeInfo *m, struct fb *fb, bool vrr)
{
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();

	add_modeset(req, h, m, fb, vrr);
	if (commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET))
		die("modeset");
}

static void all_off(void)
{
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();
	unsigned int i;

	for (i = 0; i < nr_heads; i++) {
		add(req, heads[i].crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", 0);
		add(req, heads[i].crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", 0);
		add(req, heads[i].conn, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID", 0);
		add(req, heads[i].primary, DRM_MODE_OBJECT_PLANE, "FB_ID", 0);
		add(req, heads[i].primary, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0);
		add(req, heads[i].overlay, DRM_MODE_OBJECT_PLANE, "FB_ID", 0);
		add(req, heads[i].overlay, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0);
		add(req, heads[i].cursor, DRM_MODE_OBJECT_PLANE, "FB_ID", 0);
		add(req, heads[i].cursor, DRM_MODE_OBJECT_PLANE, "CRTC_ID", 0);
	}
	if (commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET))
		die("all off");
}


static void mode_arg(struct head *h, const char *spec, drmModeModeInfo *m)
{
	if (!find_mode(h, spec, m)) {
		printf("FAIL: head %u has no mode %s\n", h->index, spec);
		exit(1);
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

static int read_crcs(int dfd, unsigned int n, uint32_t *frames, uint32_t *crcs)
{
	char line[64];
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct pollfd p = { .fd = dfd, .events = POLLIN };
		ssize_t len;

		if (poll(&p, 1, 5000) != 1)
			return -1;
		len = read(dfd, line, sizeof(line) - 1);
		if (len <= 0)
			return -1;
		line[len] = 0;
		if (sscanf(line, "%x %x", &frames[i], &crcs[i]) != 2)
			return -1;
	}
	return 0;
}

/*
 * The CRC of what the head shows now: entries queued before the last
 * change may still be read, so skip some, then take 3 that agree.
 */
static uint32_t crc_now(int dfd)
{
	uint32_t f[4], c[4];
	unsigned int tries;

	for (tries = 0; tries < 10; tries++) {
		if (read_crcs(dfd, 4, f, c))
			return 0;
		if (c[1] == c[2] && c[2] == c[3])
			return c[3];
	}
	return 0;
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
	char path[256];
	int cfd, dfd, ret;

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

	snprintf(path, sizeof(path), "%s/crc/control", dir);
	cfd = open(path, O_WRONLY);
	if (cfd < 0 || write(cfd, "auto", 4) != 4) {
		fail("crc_control", "%s: %s", path, strerror(errno));
		goto out;
	}
	close(cfd);
	snprintf(path, sizeof(path), "%s/crc/data", dir);
	dfd = open(path, O_RDONLY);
	if (dfd < 0) {
		fail("crc_data", "%s: %s", path, strerror(errno));
		goto out;
	}
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
		fprintf(stderr, "usage: kms_conf_test vrr|gamma|dumb|cursor|async ...\n");
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
	else {
		fprintf(stderr, "kms_conf_test: bad arguments\n");
		return 2;
	}
	return failures;
}
