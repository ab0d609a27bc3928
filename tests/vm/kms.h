/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kms.h - what the KMS selftests (kms_test, kms_conf_test) share: the
 * nvghost card and its heads, dumb-buffer framebuffers, atomic requests and
 * CRC entries, through libdrm. Included once, by the program's only source
 * file, after check.h.
 */
#ifndef _NVG_TESTS_VM_KMS_H_
#define _NVG_TESTS_VM_KMS_H_

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "check.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_HEADS	4

static inline void die(const char *what)
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

static inline int open_nvghost(void)
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

static inline uint32_t prop_id(uint32_t obj, uint32_t type, const char *name)
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

static inline uint64_t prop_value(uint32_t obj, uint32_t type, const char *name)
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

static inline void setup(void)
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
static inline bool find_mode(struct head *h, const char *spec, drmModeModeInfo *out)
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

static inline void fb_fill(struct fb *fb, uint32_t pixel)
{
	uint32_t y, x;

	for (y = 0; y < fb->h; y++) {
		uint32_t *row = (uint32_t *)((char *)fb->map + (size_t)y * fb->pitch);

		for (x = 0; x < fb->w; x++)
			row[x] = pixel;
	}
}

/* A dumb buffer (VRAM) of @format, filled with @pixel if 32 bpp. */
static inline struct fb fb_dumb(uint32_t w, uint32_t h, uint32_t format, uint32_t pixel)
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

static inline void fb_free(struct fb *fb)
{
	if (fb->map)
		munmap(fb->map, fb->size);
	drmModeRmFB(fd, fb->id);
	drmModeDestroyDumbBuffer(fd, fb->handle);
}

/* ---- atomic requests ---- */

static inline void add(drmModeAtomicReqPtr req, uint32_t obj, uint32_t type,
		const char *name, uint64_t value)
{
	if (drmModeAtomicAddProperty(req, obj, prop_id(obj, type, name), value) < 0)
		die("atomic add property");
}

static inline void add_plane(drmModeAtomicReqPtr req, uint32_t plane, uint32_t crtc,
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
static inline void add_crtc(drmModeAtomicReqPtr req, struct head *h,
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
static inline void add_modeset(drmModeAtomicReqPtr req, struct head *h,
			const drmModeModeInfo *m, struct fb *fb, bool vrr)
{
	add_crtc(req, h, m, vrr);
	add_plane(req, h->primary, h->crtc, fb->id, 0, 0, m->hdisplay, m->vdisplay,
		  m->hdisplay, m->vdisplay);
}

static inline int commit(drmModeAtomicReqPtr req, uint32_t flags)
{
	int ret = drmModeAtomicCommit(fd, req, flags, NULL);

	drmModeAtomicFree(req);
	return ret ? -errno : 0;
}

static inline void modeset(struct head *h, const drmModeModeInfo *m, struct fb *fb, bool vrr)
{
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();

	add_modeset(req, h, m, fb, vrr);
	if (commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET))
		die("modeset");
}

static inline void all_off(void)
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


static inline void mode_arg(struct head *h, const char *spec, drmModeModeInfo *m)
{
	if (!find_mode(h, spec, m)) {
		printf("FAIL: head %u has no mode %s\n", h->index, spec);
		exit(1);
	}
}

/* Read @n CRC entries (frame, crc) from a CRTC's debugfs crc/data. */
static inline int read_crcs(int dfd, unsigned int n, uint32_t *frames, uint32_t *crcs)
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

#endif /* _NVG_TESTS_VM_KMS_H_ */
