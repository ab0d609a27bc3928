/* SPDX-License-Identifier: (LGPL-2.1 OR MIT) */
/*
 * nvg_present.h - libnvg: present frames on a display head.
 *
 * The smallest thing a game needs from KMS: one head lit with a mode at a
 * given refresh rate and two framebuffers to flip between, each flip with
 * an event that says at which vblank (sequence number and CLOCK_MONOTONIC
 * time) it latched. It uses the legacy KMS API (drmModeSetCrtc,
 * drmModePageFlip); nvghost implements that through its atomic helpers.
 *
 * The DRM file must be the device's primary (card) node and its process
 * DRM master (the first to open the node is). Every function returns 0 or
 * a negative errno; nothing prints.
 */
#ifndef _LIBNVG_NVG_PRESENT_H_
#define _LIBNVG_NVG_PRESENT_H_

#include <stdint.h>

#include <xf86drmMode.h>

/**
 * struct nvg_present_buf - one framebuffer: a dumb buffer, XRGB8888
 * @handle: GEM handle.
 * @fb_id: KMS framebuffer.
 * @pitch: bytes per line.
 * @size: bytes.
 * @map: CPU mapping.
 */
struct nvg_present_buf {
	uint32_t handle;
	uint32_t fb_id;
	uint32_t pitch;
	uint64_t size;
	void *map;
};

/**
 * struct nvg_present - a head presenting two framebuffers in turn
 * @fd: the DRM file (primary node).
 * @head: the CRTC's index.
 * @crtc_id: the CRTC.
 * @conn_id: the connector driving it.
 * @mode: the mode set; its refresh rate is @hz.
 * @hz: @mode's refresh rate, rounded.
 * @buf: the two framebuffers.
 * @front: which of @buf is scanned out (or will be, once a flip latches).
 * @pending: a flip is queued and its event not yet received.
 * @ev_seq: the last flip event's vblank sequence number.
 * @ev_ns: the last flip event's time (CLOCK_MONOTONIC).
 */
struct nvg_present {
	int fd;
	unsigned int head;
	uint32_t crtc_id;
	uint32_t conn_id;
	drmModeModeInfo mode;
	unsigned int hz;
	struct nvg_present_buf buf[2];
	unsigned int front;
	int pending;
	unsigned int ev_seq;
	uint64_t ev_ns;
};

int nvg_present_init(struct nvg_present *p, int fd, unsigned int head,
		     unsigned int hz);
int nvg_present_init_unfilled(struct nvg_present *p, int fd, unsigned int head,
			      unsigned int hz);
int nvg_present_flip(struct nvg_present *p);
int nvg_present_wait(struct nvg_present *p, int timeout_ms, unsigned int *seq,
		     uint64_t *time_ns);
void nvg_present_fini(struct nvg_present *p);

#endif /* _LIBNVG_NVG_PRESENT_H_ */
