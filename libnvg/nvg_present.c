// SPDX-License-Identifier: (LGPL-2.1 OR MIT)
/*
 * nvg_present.c - libnvg's display part: light a head, flip between two
 * framebuffers, receive the flip events. See nvg_present.h.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "nvg_present.h"

/* The two framebuffers' colours: a flip is visible in a CRC or a capture. */
static const uint32_t nvg_present_colour[2] = { 0x00203040, 0x00c08020 };

/* A mode's refresh rate in Hz, rounded (drm_mode_vrefresh()'s rule). */
static unsigned int mode_hz(const drmModeModeInfo *m)
{
	uint64_t num = (uint64_t)m->clock * 1000, den = (uint64_t)m->htotal * m->vtotal;

	if (m->flags & DRM_MODE_FLAG_INTERLACE)
		num *= 2;
	if (m->flags & DRM_MODE_FLAG_DBLSCAN)
		den *= 2;
	if (m->vscan > 1)
		den *= m->vscan;
	return den ? (unsigned int)((num + den / 2) / den) : 0;
}

/*
 * The connector's mode at @hz: one of the preferred mode's resolution if
 * the monitor has one at that rate (what the user would pick), else the
 * first listed at that rate (EDID lists the largest first). @hz 0: the
 * preferred mode itself.
 */
static int pick_mode(const drmModeConnector *c, unsigned int hz, drmModeModeInfo *out)
{
	const drmModeModeInfo *pref = NULL, *any = NULL;
	int i;

	for (i = 0; i < c->count_modes; i++)
		if (c->modes[i].type & DRM_MODE_TYPE_PREFERRED) {
			pref = &c->modes[i];
			break;
		}
	if (!pref && c->count_modes)
		pref = &c->modes[0];
	if (!pref)
		return -ENOENT;
	if (!hz) {
		*out = *pref;
		return 0;
	}
	if (mode_hz(pref) == hz) {
		*out = *pref;
		return 0;
	}
	for (i = 0; i < c->count_modes; i++) {
		const drmModeModeInfo *m = &c->modes[i];

		if (mode_hz(m) != hz)
			continue;
		if (m->hdisplay == pref->hdisplay && m->vdisplay == pref->vdisplay) {
			*out = *m;
			return 0;
		}
		if (!any)
			any = m;
	}
	if (!any)
		return -ENOENT;
	*out = *any;
	return 0;
}

static void buf_free(int fd, struct nvg_present_buf *b)
{
	if (b->map)
		munmap(b->map, b->size);
	if (b->fb_id)
		drmModeRmFB(fd, b->fb_id);
	if (b->handle)
		drmModeDestroyDumbBuffer(fd, b->handle);
	memset(b, 0, sizeof(*b));
}

/*
 * A dumb buffer of @w x @h XRGB8888 with a framebuffer, filled with @pixel
 * if @fill (else as allocated: black).
 */
static int buf_create(int fd, uint32_t w, uint32_t h, uint32_t pixel, bool fill,
		      struct nvg_present_buf *b)
{
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	uint64_t off;
	uint32_t x, y;
	void *map;
	int ret;

	memset(b, 0, sizeof(*b));
	ret = drmModeCreateDumbBuffer(fd, w, h, 32, 0, &b->handle, &b->pitch, &b->size);
	if (ret)
		return ret;
	handles[0] = b->handle;
	pitches[0] = b->pitch;
	ret = drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches, offsets,
			    &b->fb_id, 0);
	if (ret)
		goto err;
	ret = drmModeMapDumbBuffer(fd, b->handle, &off);
	if (ret)
		goto err;
	map = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);
	if (map == MAP_FAILED) {
		ret = -errno;
		goto err;
	}
	b->map = map;
	for (y = 0; fill && y < h; y++) {
		uint32_t *row = (uint32_t *)((char *)b->map + (size_t)y * b->pitch);

		for (x = 0; x < w; x++)
			row[x] = pixel;
	}
	return 0;
err:
	buf_free(fd, b);
	return ret;
}

/**
 * nvg_present_init() - light a head for presenting
 * @p: filled in.
 * @fd: the device's primary (card) node, DRM master.
 * @head: the CRTC index; the connector of the same index drives it (one
 *	connector per head).
 * @hz: the refresh rate: a mode of the connector's preferred resolution at
 *	@hz, else any mode at @hz; 0 for the preferred mode.
 *
 * Sets the mode with the first of two framebuffers (two colours) scanned
 * out; nvg_present_flip() then alternates.
 *
 * Return: 0; -EOPNOTSUPP if the device has no display (-EACCES on a
 * render node); -ERANGE if there is no head @head; -ENOTCONN if nothing is
 * connected to it; -ENOENT if its monitor has no mode at @hz; -EACCES if
 * @fd is not DRM master; or another ioctl's -errno.
 */
static int present_init(struct nvg_present *p, int fd, unsigned int head,
			unsigned int hz, bool fill)
{
	drmModeResPtr res;
	drmModeConnectorPtr conn;
	int ret, i;

	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->head = head;
	res = drmModeGetResources(fd);
	if (!res)
		return errno ? -errno : -EIO;
	if (!res->count_crtcs) {
		drmModeFreeResources(res);
		return -EOPNOTSUPP;
	}
	if (head >= (unsigned int)res->count_crtcs ||
	    head >= (unsigned int)res->count_connectors) {
		drmModeFreeResources(res);
		return -ERANGE;
	}
	p->crtc_id = res->crtcs[head];
	p->conn_id = res->connectors[head];
	drmModeFreeResources(res);

	/* GETCONNECTOR probes: the status and modes are current. */
	conn = drmModeGetConnector(fd, p->conn_id);
	if (!conn)
		return -errno;
	if (conn->connection != DRM_MODE_CONNECTED)
		ret = -ENOTCONN;
	else
		ret = pick_mode(conn, hz, &p->mode);
	drmModeFreeConnector(conn);
	if (ret)
		return ret;
	p->hz = mode_hz(&p->mode);

	for (i = 0; i < 2 && !ret; i++)
		ret = buf_create(fd, p->mode.hdisplay, p->mode.vdisplay,
				 nvg_present_colour[i], fill, &p->buf[i]);
	if (!ret)
		ret = drmModeSetCrtc(fd, p->crtc_id, p->buf[0].fb_id, 0, 0, &p->conn_id, 1,
				     &p->mode);
	if (ret) {
		buf_free(fd, &p->buf[0]);
		buf_free(fd, &p->buf[1]);
		return ret;
	}
	p->front = 0;
	return 0;
}

int nvg_present_init(struct nvg_present *p, int fd, unsigned int head,
		     unsigned int hz)
{
	return present_init(p, fd, head, hz, true);
}

/**
 * nvg_present_init_unfilled() - nvg_present_init(), framebuffers not filled
 * @p: filled in.
 * @fd: as nvg_present_init().
 * @head: as nvg_present_init().
 * @hz: as nvg_present_init().
 *
 * For a program that presents frames nobody looks at (nvgreplay): the two
 * framebuffers stay as allocated (black), which spares writing every pixel
 * of two full-screen buffers, and the page faults that come with it, at
 * set-up. Flips, events and timing are the same.
 *
 * Return: as nvg_present_init().
 */
int nvg_present_init_unfilled(struct nvg_present *p, int fd, unsigned int head,
			      unsigned int hz)
{
	return present_init(p, fd, head, hz, false);
}

/**
 * nvg_present_flip() - queue a flip to the other framebuffer
 * @p: the head.
 *
 * The flip latches at the next vblank; nvg_present_wait() receives its
 * event. One flip at a time.
 *
 * Return: 0, -EBUSY if a flip is still pending, or the ioctl's -errno.
 */
int nvg_present_flip(struct nvg_present *p)
{
	unsigned int next = !p->front;
	int ret;

	if (p->pending)
		return -EBUSY;
	ret = drmModePageFlip(p->fd, p->crtc_id, p->buf[next].fb_id,
			      DRM_MODE_PAGE_FLIP_EVENT, p);
	if (ret)
		return ret;
	p->front = next;
	p->pending = 1;
	return 0;
}

static void flip_handler(int fd, unsigned int seq, unsigned int sec, unsigned int usec,
			 void *data)
{
	struct nvg_present *p = data;

	(void)fd;
	p->ev_seq = seq;
	p->ev_ns = (uint64_t)sec * 1000000000ULL + (uint64_t)usec * 1000;
	p->pending = 0;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * nvg_present_wait() - wait for the pending flip's event
 * @p: the head.
 * @timeout_ms: how long; -1 for ever.
 * @seq: if not NULL, the vblank sequence number at which it latched.
 * @time_ns: if not NULL, that vblank's time (CLOCK_MONOTONIC, ns).
 *
 * Return: 0, -EINVAL if no flip is pending, -ETIME if the event did not
 * come in time (the flip stays pending), or poll's or read's -errno.
 */
int nvg_present_wait(struct nvg_present *p, int timeout_ms, unsigned int *seq,
		     uint64_t *time_ns)
{
	drmEventContext ctx = { .version = 2, .page_flip_handler = flip_handler };
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	uint64_t end = timeout_ms < 0 ? 0 : mono_ms() + (uint64_t)timeout_ms;
	int ret, left;

	if (!p->pending)
		return -EINVAL;
	while (p->pending) {
		if (timeout_ms < 0) {
			left = -1;
		} else {
			uint64_t now = mono_ms();

			left = now >= end ? 0 : (int)(end - now);
		}
		ret = poll(&pfd, 1, left);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!ret)
			return -ETIME;
		if (drmHandleEvent(p->fd, &ctx))
			return errno ? -errno : -EIO;
	}
	if (seq)
		*seq = p->ev_seq;
	if (time_ns)
		*time_ns = p->ev_ns;
	return 0;
}

/**
 * nvg_present_fini() - turn the head off and free the framebuffers
 * @p: the head (nvg_present_init() succeeded).
 *
 * A flip still pending is waited for first (at most a second), so its
 * event does not arrive after the buffers are gone.
 */
void nvg_present_fini(struct nvg_present *p)
{
	if (p->pending)
		nvg_present_wait(p, 1000, NULL, NULL);
	drmModeSetCrtc(p->fd, p->crtc_id, 0, 0, 0, NULL, 0, NULL);
	buf_free(p->fd, &p->buf[0]);
	buf_free(p->fd, &p->buf[1]);
	p->pending = 0;
}
