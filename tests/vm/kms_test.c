// SPDX-License-Identifier: GPL-2.0
/*
 * kms_test - display engine tests through libdrm's atomic API.
 *
 *   kms_test reject                 atomic check turns each bad request away
 *   kms_test formats                every scanout format, overlay, cursor
 *   kms_test vblank HEAD WxH@HZ     vblank period matches the mode
 *   kms_test flips HEAD WxH@HZ      flip events: timestamps and sequences
 *   kms_test crc HEAD WxH@HZ DIR    CRC follows content (DIR: debugfs crtc)
 *   kms_test vrr HEAD WxH@HZ        VRR stretches frames, LFC repeats them
 *   kms_test hotplug DBGDIR         uevents, connector status, EDID modes
 *   kms_test multihead WxH@HZ ...   every head at once, each its own mode
 *   kms_test noheads                a device loaded with num_heads=0:
 *                                   FRAME_WAIT fails cleanly, the rest works
 *   kms_test framewait-fork HEAD    FRAME_WAIT (NO_SLEEP) on HEAD from a
 *                                   forked child on the parent's file;
 *                                   prints "opener=PID caller=PID" (the
 *                                   pid the policy sees is in the
 *                                   nvghost_frame_wait trace event)
 *   kms_test pace HEAD WxH@HZ VRR SECS RENDER_US JITTER_US WAIT
 *                                   a game loop: (FRAME_WAIT if WAIT),
 *                                   render RENDER_US +- JITTER_US, flip;
 *                                   prints flip-interval jitter, present
 *                                   latency, frame rate, advice taken;
 *                                   with PACE_CSV=FILE also one line per
 *                                   flip: "t s,interval ms,present ms"
 *   kms_test vclock HEAD WxH@HZ     clock=virtual: vblanks follow device
 *                                   time only, at the mode's rate
 *   kms_test vbench HEAD WxH@HZ SECS
 *                                   clock=virtual: ADVANCE SECS of device
 *                                   time with the head on; prints events
 *                                   and the ratio to real time
 *
 * Each check prints "PASS: name" or "FAIL: name: why" (tests/vm/lib.sh).
 * A mode is WxH@HZ, the first of the connector's modes that matches, or
 * "pref" for its preferred mode.
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
#include <sys/wait.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "nvghost_drm.h"
#include "check.h"

#include "kms.h"

/* Frame time of @m in microseconds. */
static double frame_us(const drmModeModeInfo *m)
{
	return (double)m->htotal * m->vtotal * 1000.0 / m->clock;
}

/* An XRGB8888 framebuffer on an nvghost buffer object in system memory. */
static struct fb fb_system(uint32_t w, uint32_t h, uint32_t pixel)
{
	struct drm_nvghost_gem_create create = { 0 };
	struct drm_nvghost_gem_info info = { 0 };
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	struct fb fb = { .w = w, .h = h, .pitch = w * 4 };

	fb.size = (size_t)fb.pitch * h;
	create.size = fb.size;
	create.placement = DRM_NVGHOST_PLACEMENT_SYSTEM;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_CREATE, &create))
		die("gem create system");
	fb.handle = create.handle;
	info.handle = fb.handle;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_INFO, &info))
		die("gem info");
	handles[0] = fb.handle;
	pitches[0] = fb.pitch;
	if (drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches, offsets, &fb.id, 0))
		die("addfb2 system");
	fb.map = mmap(NULL, fb.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, info.mmap_offset);
	if (fb.map == MAP_FAILED)
		die("mmap system");
	fb_fill(&fb, pixel);
	return fb;
}

/* Commit @req with @flags: PASS @name if the driver refuses it with EINVAL. */
static void commit_rejected(const char *name, drmModeAtomicReqPtr req, uint32_t flags)
{
	check(name, commit(req, flags) == -EINVAL, "not rejected with EINVAL");
}

/* ---- flips and their events ---- */

struct flip_ev {
	unsigned int seq;
	double t_us;
	bool done;
};

static void flip_handler(int f __attribute__((unused)), unsigned int seq, unsigned int sec, unsigned int usec,
			 unsigned int crtc __attribute__((unused)), void *data)
{
	struct flip_ev *ev = data;

	ev->seq = seq;
	ev->t_us = sec * 1e6 + usec;
	ev->done = true;
}

/* Flip the primary plane of @h to @fb, wait for the event. */
static int flip(struct head *h, struct fb *fb, struct flip_ev *ev)
{
	drmEventContext ctx = { .version = 3, .page_flip_handler2 = flip_handler };
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	add(req, h->primary, DRM_MODE_OBJECT_PLANE, "FB_ID", fb->id);
	ret = drmModeAtomicCommit(fd, req, DRM_MODE_PAGE_FLIP_EVENT | DRM_MODE_ATOMIC_NONBLOCK, ev);
	drmModeAtomicFree(req);
	if (ret)
		return -errno;
	ev->done = false;
	while (!ev->done) {
		if (poll(&pfd, 1, 1000) != 1)
			return -ETIMEDOUT;
		drmHandleEvent(fd, &ctx);
	}
	return 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void sleep_until_us(double t)
{
	struct timespec ts = { .tv_sec = (time_t)(t / 1e6) };

	ts.tv_nsec = (long)((t - ts.tv_sec * 1e6) * 1e3);
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* ---- tests ---- */

static struct head *head_arg(const char *s)
{
	unsigned int i = atoi(s);

	if (i >= nr_heads) {
		printf("FAIL: head %u: only %u heads\n", i, nr_heads);
		exit(1);
	}
	return &heads[i];
}

/* One rule per check: a request the hardware cannot do fails TEST_ONLY. */
static void test_reject(void)
{
	struct head *dp = &heads[0], *hdmi = &heads[1];
	drmModeModeInfo m, fast;
	drmModeAtomicReqPtr req;
	struct fb fb, cur16, cur;
	const uint32_t test = DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET;
	int ret;

	mode_arg(dp, "1024x768@60", &m);
	fb = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff336699);
	cur = fb_dumb(64, 64, DRM_FORMAT_ARGB8888, 0x80ffffff);
	cur16 = fb_dumb(64, 64, DRM_FORMAT_RGB565, 0);

	req = drmModeAtomicAlloc();
	add_modeset(req, dp, &m, &fb, false);
	add_plane(req, dp->cursor, dp->crtc, cur.id, 10, 10, 64, 64, 64, 64);
	add_plane(req, dp->overlay, dp->crtc, fb.id, 100, 100, 256, 256, 512, 512);
	ret = commit(req, test);
	check("reject_baseline_accepted", !ret, strerror(-ret));

	/* A 1024x768 raster at 800 MHz: beyond the head's 700 MHz. */
	fast = m;
	fast.clock = 800000;
	fast.vrefresh = 1000;
	snprintf(fast.name, sizeof(fast.name), "1024x768-fast");
	req = drmModeAtomicAlloc();
	add_modeset(req, dp, &fast, &fb, false);
	commit_rejected("reject_pixel_clock_too_high", req, test);

	req = drmModeAtomicAlloc();
	add_modeset(req, dp, &m, &fb, false);
	add_plane(req, dp->cursor, dp->crtc, cur16.id, 10, 10, 64, 64, 64, 64);
	commit_rejected("reject_cursor_format_rgb565", req, test);

	req = drmModeAtomicAlloc();
	add_modeset(req, dp, &m, &fb, false);
	add_plane(req, dp->cursor, dp->crtc, cur.id, 10, 10, 128, 128, 64, 64);
	commit_rejected("reject_cursor_scaling", req, test);

	req = drmModeAtomicAlloc();
	add_modeset(req, dp, &m, &fb, false);
	add_plane(req, dp->overlay, dp->crtc, fb.id, 900, 600, 256, 256, 256, 256);
	commit_rejected("reject_overlay_outside_crtc", req, test);

	req = drmModeAtomicAlloc();
	add_crtc(req, dp, &m, false);
	add_plane(req, dp->primary, dp->crtc, fb.id, 16, 0, 1008, 768, 1008, 768);
	commit_rejected("reject_primary_not_covering_crtc", req, test);

	/* The HDMI TV's EDID has no refresh range. */
	check("hdmi_tv_not_vrr_capable",
	      !prop_value(hdmi->conn, DRM_MODE_OBJECT_CONNECTOR, "vrr_capable"),
	      "vrr_capable is set");
	mode_arg(hdmi, "1024x768@60", &m);
	req = drmModeAtomicAlloc();
	add_modeset(req, hdmi, &m, &fb, true);
	ret = commit(req, test);
	/* VRR_ENABLED is a hint: accepted, without effect (34-kms-conformance). */
	check("vrr_hint_accepted_on_non_capable_connector", !ret, strerror(-ret));

	check("dp_monitor_vrr_capable",
	      prop_value(dp->conn, DRM_MODE_OBJECT_CONNECTOR, "vrr_capable") == 1,
	      "vrr_capable is not set");
	fb_free(&fb);
	fb_free(&cur);
	fb_free(&cur16);
}

/*
 * Each scanout format works on the primary plane (VRAM and system memory),
 * with the overlay and the cursor on; formats no plane has are refused.
 */
static void test_formats(void)
{
	static const struct { uint32_t format; const char *name; } formats[] = {
		{ DRM_FORMAT_XRGB8888, "xrgb8888" }, { DRM_FORMAT_ARGB8888, "argb8888" },
		{ DRM_FORMAT_XBGR8888, "xbgr8888" }, { DRM_FORMAT_ABGR8888, "abgr8888" },
		{ DRM_FORMAT_RGB565, "rgb565" },
	};
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 }, id;
	struct head *h = &heads[0];
	drmModeAtomicReqPtr req;
	struct fb fb, cur, ovl, sys;
	drmModeModeInfo m;
	char name[64];
	unsigned int i;
	int ret;

	mode_arg(h, "1024x768@60", &m);
	cur = fb_dumb(64, 64, DRM_FORMAT_ARGB8888, 0x80ffffff);
	ovl = fb_dumb(256, 256, DRM_FORMAT_XRGB8888, 0xff00ff00);
	for (i = 0; i < ARRAY_SIZE(formats); i++) {
		fb = fb_dumb(m.hdisplay, m.vdisplay, formats[i].format, 0xff808080);
		req = drmModeAtomicAlloc();
		add_modeset(req, h, &m, &fb, false);
		add_plane(req, h->overlay, h->crtc, ovl.id, 100, 100, 512, 512, 256, 256);
		add_plane(req, h->cursor, h->crtc, cur.id, 1000, 700, 64, 64, 64, 64);
		ret = commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET);
		snprintf(name, sizeof(name), "scanout_%s_with_overlay_and_cursor", formats[i].name);
		check(name, !ret, strerror(-ret));
		all_off();
		fb_free(&fb);
	}
	sys = fb_system(m.hdisplay, m.vdisplay, 0xff123456);
	modeset(h, &m, &sys, false);
	pass("scanout_system_memory");
	all_off();
	fb_free(&sys);

	handles[0] = cur.handle;
	pitches[0] = cur.pitch;
	ret = drmModeAddFB2(fd, 64, 64, DRM_FORMAT_XRGB2101010, handles, pitches, offsets, &id, 0);
	check("addfb_rejects_unsupported_format", ret && errno == EINVAL, "XRGB2101010 accepted");
	if (!ret)
		drmModeRmFB(fd, id);
	fb_free(&cur);
	fb_free(&ovl);
}

/* drmWaitVBlank on @h: the next vblank's sequence and time. */
static int wait_vblank(struct head *h, unsigned int *seq, double *t_us)
{
	drmVBlank vbl = { 0 };

	vbl.request.type = DRM_VBLANK_RELATIVE |
		((h->index << DRM_VBLANK_HIGH_CRTC_SHIFT) & DRM_VBLANK_HIGH_CRTC_MASK);
	vbl.request.sequence = 1;
	if (drmWaitVBlank(fd, &vbl))
		return -errno;
	*seq = vbl.reply.sequence;
	*t_us = vbl.reply.tval_sec * 1e6 + vbl.reply.tval_usec;
	return 0;
}

/*
 * The mean vblank period over about a second, from the first and last
 * vblank timestamps and the number of frames between them (the hardware
 * counts frames the test process missed). Within 0.5% of the mode's.
 */
static void check_vblank_period(struct head *h, const drmModeModeInfo *m, const char *name)
{
	unsigned int s0, s, steps = 0;
	double t0, t, end, mean, want = frame_us(m);
	bool monotonic = true;
	unsigned int ps;
	double pt;
	char buf[160];

	if (wait_vblank(h, &s0, &t0)) {
		fail(name, "drmWaitVBlank: %s", strerror(errno));
		return;
	}
	ps = s0;
	pt = t0;
	end = now_us() + 1e6;
	do {
		if (wait_vblank(h, &s, &t)) {
			fail(name, "drmWaitVBlank: %s", strerror(errno));
			return;
		}
		if (s <= ps || t <= pt)
			monotonic = false;
		ps = s;
		pt = t;
		steps++;
	} while (now_us() < end);
	mean = (t - t0) / (s - s0);
	snprintf(buf, sizeof(buf), "mean period %.1f us over %u frames, mode %s wants %.1f us",
		 mean, s - s0, m->name, want);
	printf("# head %u %s: %s\n", h->index, name, buf);
	check(name, fabs(mean - want) <= want * 0.005 && s - s0 >= steps, buf);
	snprintf(buf, sizeof(buf), "%s_monotonic", name);
	check(buf, monotonic, "sequence or timestamp went backwards");
}

static void test_vblank(struct head *h, const char *spec)
{
	drmModeModeInfo m;
	struct fb fb;

	mode_arg(h, spec, &m);
	fb = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0);
	modeset(h, &m, &fb, false);
	check_vblank_period(h, &m, "vblank_period");
	all_off();
	fb_free(&fb);
}

/*
 * Flip back and forth, at least a second and at least 30 flips (a loaded
 * host may let this process catch only some vblanks; give up after 20 s):
 * every flip completes with an event whose sequence and timestamp advance,
 * by whole frames.
 */
static void test_flips(struct head *h, const char *spec)
{
	struct fb fb[2];
	struct flip_ev ev = { 0 }, prev = { 0 };
	drmModeModeInfo m;
	unsigned int n = 0, bad_order = 0, bad_grid = 0;
	double end, period;
	int ret;

	mode_arg(h, spec, &m);
	period = frame_us(&m);
	fb[0] = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff0000ff);
	fb[1] = fb_system(m.hdisplay, m.vdisplay, 0xffff0000);
	modeset(h, &m, &fb[0], false);
	end = now_us() + 1e6;
	while (now_us() < end || (n < 30 && now_us() < end + 19e6)) {
		ret = flip(h, &fb[++n % 2], &ev);
		if (ret) {
			fail("flip_events", "flip %u: %s", n, strerror(-ret));
			goto out;
		}
		if (n > 1) {
			double frames = (ev.t_us - prev.t_us) / period;

			if (ev.seq <= prev.seq || ev.t_us <= prev.t_us)
				bad_order++;
			/* timestamps in whole us: allow 50 us per frame */
			else if (fabs(frames - (ev.seq - prev.seq)) * period > 50.0 * (ev.seq - prev.seq))
				bad_grid++;
		}
		prev = ev;
	}
	printf("# head %u: %u flips at %s (%.2f Hz)\n", h->index, n, m.name, 1e6 / period);
	result("flip_events", n >= 30, "%u flip events in up to 20 s, expected at least 30", n);
	result("flip_timestamps_monotonic", !bad_order,
	       "%u of %u flips went back in sequence or timestamp, expected none", bad_order, n);
	result("flip_sequence_matches_time", !bad_grid,
	       "%u of %u flips' timestamp deltas differ from sequence deltas x %.1f us by more than 50 us a frame, expected none",
	       bad_grid, n, period);
out:
	all_off();
	fb_free(&fb[0]);
	fb_free(&fb[1]);
}

/*
 * Read entries up to that of frame @seq: one comes for every frame,
 * however late the CRC worker, so those of frames before a change may
 * still be queued after it.
 */
static void skip_crcs(int dfd, unsigned int seq)
{
	uint32_t f, c;

	do {
		if (read_crcs(dfd, 1, &f, &c))
			return;
	} while ((int)(f - seq) < 0);
}

static bool all_equal(const uint32_t *v, unsigned int n)
{
	unsigned int i;

	for (i = 1; i < n; i++)
		if (v[i] != v[0])
			return false;
	return true;
}

/*
 * CRCs of a static frame are all the same; after a flip to other content
 * they change once, and stay; flipping back gives the first CRC again.
 */
static void test_crc(struct head *h, const char *spec, const char *dir)
{
	uint32_t fa[6], ca[6], fb_[6], cb[6], fc[6], cc[6];
	struct flip_ev ev;
	drmModeModeInfo m;
	struct fb a, b;
	char path[256];
	int cfd, dfd;

	mode_arg(h, spec, &m);
	a = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0xff204080);
	b = fb_system(m.hdisplay, m.vdisplay, 0xff204080);
	((uint32_t *)b.map)[m.hdisplay * (m.vdisplay / 2) + 7] = 0xffffffff; /* one pixel */
	modeset(h, &m, &a, false);

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
	if (read_crcs(dfd, 6, fa, ca)) {
		fail("crc_entries", "cannot read 6 CRC entries");
		close(dfd);
		goto out;
	}
	pass("crc_entries");
	result("crc_frames_increase", fa[5] > fa[0] && fa[1] > fa[0],
	       "frame numbers %u, %u, ... %u, expected increasing", fa[0], fa[1], fa[5]);
	result("crc_static_content_stable", all_equal(ca, 6),
	       "CRCs 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x of one image, expected all equal",
	       ca[0], ca[1], ca[2], ca[3], ca[4], ca[5]);

	flip(h, &b, &ev);
	/* Entries of frames up to the flip's may still be read: skip them. */
	skip_crcs(dfd, ev.seq);
	read_crcs(dfd, 6, fb_, cb);
	result("crc_changes_with_content", cb[0] != ca[0],
	       "CRC 0x%08x before and after changing one pixel, expected a different one", ca[0]);
	result("crc_new_content_stable", all_equal(cb, 6),
	       "CRCs 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x 0x%08x of one image, expected all equal",
	       cb[0], cb[1], cb[2], cb[3], cb[4], cb[5]);

	flip(h, &a, &ev);
	skip_crcs(dfd, ev.seq);
	read_crcs(dfd, 6, fc, cc);
	result("crc_same_content_same_crc", all_equal(cc, 6) && cc[0] == ca[0],
	       "flipping back gave CRC 0x%08x (then 0x%08x), expected the first image's 0x%08x",
	       cc[0], cc[5], ca[0]);
	printf("# crc a 0x%08x b 0x%08x a again 0x%08x\n", ca[0], cb[0], cc[0]);
	close(dfd);
out:
	all_off();
	fb_free(&a);
	fb_free(&b);
}

/*
 * Flip every @interval_us after the last flip's vblank, VRR on or off;
 * collect how many frames and how much time each flip took, and when it
 * was submitted after the last vblank (@sub: the process may wake late on
 * a loaded host). Runs a second, and on until @want flips were submitted
 * within @ontime_us (at most 10 s, @max flips).
 */
static int paced_flips(struct head *h, struct fb *fb, double interval_us,
		       double *dt, unsigned int *dseq, double *sub, unsigned int max,
		       double ontime_us, unsigned int want)
{
	struct flip_ev ev = { 0 }, prev = { 0 };
	unsigned int n = 0, i = 0, ontime = 0;
	double start = now_us();

	if (flip(h, &fb[0], &prev))
		return -1;
	while (n < max && (now_us() < start + 1e6 ||
			   (ontime < want && now_us() < start + 10e6))) {
		sleep_until_us(prev.t_us + interval_us);
		sub[n] = now_us() - prev.t_us;
		if (flip(h, &fb[++i % 2], &ev))
			return -1;
		dt[n] = ev.t_us - prev.t_us;
		dseq[n] = ev.seq - prev.seq;
		ontime += sub[n] <= ontime_us;
		n++;
		prev = ev;
	}
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/*
 * VRR, checked where it is defined whatever the host's speed: the raster's
 * own timestamps (exact: the timing generator counts frames it could not
 * deliver in time), and for stretching only the flips this process
 * submitted in time (a loaded host wakes it late now and then; such a flip
 * is low framerate compensation's business, checked below).
 */
static void test_vrr(struct head *h, const char *spec)
{
	static double dt[1000], per_frame[1000], sub[1000], ontime_dt[1000];
	static unsigned int dseq[1000];
	unsigned int min_hz = 48, i, single = 0, repeated = 0, too_long = 0, ontime = 0;
	double period, med, vrr_max;
	drmModeModeInfo m;
	struct fb fb[2];
	char buf[240];
	int n;

	mode_arg(h, spec, &m);
	period = frame_us(&m);
	vrr_max = 1e6 / min_hz;
	fb[0] = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0);
	fb[1] = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0);

	/* VRR off: flips every 10 ms land on the fixed 165 Hz grid. */
	modeset(h, &m, &fb[0], false);
	n = paced_flips(h, fb, 10000, dt, dseq, sub, 1000, 1e9, 30);
	for (i = 0; n > 0 && i < (unsigned int)n; i++)
		per_frame[i] = dt[i] / dseq[i];
	med = n > 0 ? median(per_frame, n) : 0;
	snprintf(buf, sizeof(buf), "%d flips, median frame %.0f us, raster %.0f us", n, med, period);
	printf("# vrr off: %s\n", buf);
	result("vrr_off_fixed_refresh", n >= 30 && fabs(med - period) < 100,
	       "expected at least 30 flips and a median frame within 100 us of the raster's: %s", buf);

	/*
	 * VRR on, flips every 10 ms (100 Hz, inside 48-165): a flip submitted
	 * well inside the monitor's range (here: within 14 ms of the last
	 * vblank, 6.8 ms before the longest frame) ends its frame when ready:
	 * one frame, longer than the raster's. On a loaded host the commit
	 * can still reach the head after the longest frame; then the monitor
	 * refreshed on its own first (two frames, the first the longest): low
	 * framerate compensation, not a fault. What must not happen is a
	 * flip taking several frames in less than the longest: frames ended
	 * on a fixed grid instead of stretching.
	 */
	modeset(h, &m, &fb[0], true);
	n = paced_flips(h, fb, 10000, dt, dseq, sub, 1000, 14000, 30);
	for (i = 0; n > 0 && i < (unsigned int)n; i++) {
		if (sub[i] > 14000)
			continue;
		ontime++;
		if (dseq[i] == 1)
			ontime_dt[single++] = dt[i];
		else if (dt[i] < vrr_max - 500)
			too_long++;	/* here: on a grid, not stretched */
	}
	med = single ? median(ontime_dt, single) : 0;
	snprintf(buf, sizeof(buf), "%d flips, %u submitted in time: %u took one frame (median %.0f us, raster %.0f us), %u several frames within %.0f us",
		 n, ontime, single, med, period, too_long, vrr_max);
	printf("# vrr 100 Hz: %s\n", buf);
	result("vrr_stretches_frames", ontime >= 30 && single * 2 >= ontime &&
	       too_long * 10 <= ontime && med > period * 1.4 && med < vrr_max,
	       "expected 30 or more flips submitted in time, half or more one frame with a median between %.0f and %.0f us, at most 10%% several frames in less than the longest: %s",
	       period * 1.4, vrr_max, buf);
	too_long = 0;

	/* VRR on, flips every 40 ms (25 Hz, below 48): frames repeat. */
	n = paced_flips(h, fb, 40000, dt, dseq, sub, 1000, 1e9, 20);
	for (i = 0; n > 0 && i < (unsigned int)n; i++) {
		repeated += dseq[i] >= 2;
		/* no frame in between longer than the longest the monitor takes */
		if (dt[i] / dseq[i] > vrr_max + 500)
			too_long++;
	}
	snprintf(buf, sizeof(buf), "%d flips, %u with repeated frames, %u with frames over %.0f us",
		 n, repeated, too_long, vrr_max);
	printf("# vrr 25 Hz: %s\n", buf);
	result("vrr_lfc_repeats_frames", n >= 20 && repeated * 10 >= (unsigned int)n * 8,
	       "expected at least 20 flips, 80%% with repeated frames: %s", buf);
	result("vrr_lfc_frames_within_range", n >= 20 && too_long * 10 <= (unsigned int)n,
	       "expected at least 20 flips, at most 10%% with a frame over the longest: %s", buf);

	all_off();
	fb_free(&fb[0]);
	fb_free(&fb[1]);
}

/* ---- hotplug ---- */

static int uevent_open(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);

	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof(addr)))
		die("uevent socket");
	return s;
}

/* Wait up to 2 s for a DRM uevent with HOTPLUG=1. */
static bool uevent_hotplug(int s)
{
	double end = now_us() + 2e6;
	char buf[4096];

	while (now_us() < end) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		ssize_t len, off;
		bool drm = false, hp = false;

		if (poll(&p, 1, 200) != 1)
			continue;
		len = recv(s, buf, sizeof(buf) - 1, 0);
		if (len <= 0)
			continue;
		buf[len] = 0;
		for (off = 0; off < len; off += strlen(buf + off) + 1) {
			if (!strcmp(buf + off, "SUBSYSTEM=drm"))
				drm = true;
			if (!strcmp(buf + off, "HOTPLUG=1"))
				hp = true;
		}
		if (drm && hp)
			return true;
	}
	return false;
}

static void dbg_write(const char *dir, unsigned int k, const char *file, const char *s)
{
	char path[256];
	int f;

	snprintf(path, sizeof(path), "%s/connector-%u/%s", dir, k, file);
	f = open(path, O_WRONLY);
	if (f < 0 || write(f, s, strlen(s)) != (ssize_t)strlen(s))
		die(path);
	close(f);
}

/* The connector, probed again (GETCONNECTOR probes). */
static drmModeConnectorPtr probe(struct head *h)
{
	return drmModeGetConnector(fd, h->conn);
}

static bool has_mode(drmModeConnectorPtr c, unsigned int w, unsigned int hh, bool preferred)
{
	int i;

	for (i = 0; i < c->count_modes; i++)
		if (c->modes[i].hdisplay == w && c->modes[i].vdisplay == hh &&
		    (!preferred || (c->modes[i].type & DRM_MODE_TYPE_PREFERRED)))
			return true;
	return false;
}

static void test_hotplug(const char *dbg)
{
	struct head *h = &heads[1];
	drmModeConnectorPtr c;
	int s = uevent_open();

	c = probe(h);
	check("hdmi_starts_connected_4k", c->connection == DRM_MODE_CONNECTED &&
	      has_mode(c, 3840, 2160, true), "not connected with a 3840x2160 preferred mode");
	drmModeFreeConnector(c);

	dbg_write(dbg, 1, "connected", "off");
	check("unplug_uevent", uevent_hotplug(s), "no HOTPLUG=1 uevent");
	c = probe(h);
	check("unplug_disconnected", c->connection == DRM_MODE_DISCONNECTED && !c->count_modes,
	      "still connected or has modes");
	drmModeFreeConnector(c);

	dbg_write(dbg, 1, "edid", "fhd60");
	dbg_write(dbg, 1, "connected", "on");
	check("plug_uevent", uevent_hotplug(s), "no HOTPLUG=1 uevent");
	c = probe(h);
	check("plug_new_monitor_modes", c->connection == DRM_MODE_CONNECTED &&
	      has_mode(c, 1920, 1080, true) && !has_mode(c, 3840, 2160, false),
	      "modes do not follow the new EDID (1920x1080 preferred, no 4K)");
	drmModeFreeConnector(c);

	dbg_write(dbg, 1, "edid", "qhd165");
	check("edid_change_uevent", uevent_hotplug(s), "no HOTPLUG=1 uevent");
	c = probe(h);
	check("edid_change_modes", has_mode(c, 2560, 1440, true), "no 2560x1440 preferred mode");
	drmModeFreeConnector(c);
	check("edid_change_vrr_capable",
	      prop_value(h->conn, DRM_MODE_OBJECT_CONNECTOR, "vrr_capable") == 1,
	      "vrr_capable did not follow the EDID's range");

	dbg_write(dbg, 1, "edid", "uhd60");
	uevent_hotplug(s);
	c = probe(h);
	check("edid_restored", has_mode(c, 3840, 2160, true) &&
	      !prop_value(h->conn, DRM_MODE_OBJECT_CONNECTOR, "vrr_capable"),
	      "4K TV not back");
	drmModeFreeConnector(c);
	close(s);
}

/* Every head on at once, each with its own mode; each keeps its own rate. */
static void test_multihead(int argc, char **argv)
{
	drmModeModeInfo m[MAX_HEADS];
	struct fb fb[MAX_HEADS];
	drmModeAtomicReqPtr req = drmModeAtomicAlloc();
	unsigned int i, n = argc;
	char name[32];
	int ret;

	if (n > nr_heads) {
		fail("multihead_heads", "%u modes for %u heads", n, nr_heads);
		n = nr_heads;
	}
	for (i = 0; i < n; i++) {
		mode_arg(&heads[i], argv[i], &m[i]);
		fb[i] = fb_dumb(m[i].hdisplay, m[i].vdisplay, DRM_FORMAT_XRGB8888, 0);
		add_modeset(req, &heads[i], &m[i], &fb[i], false);
	}
	ret = commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET);
	check("multihead_modeset", !ret, strerror(-ret));
	for (i = 0; i < n && !ret; i++) {
		snprintf(name, sizeof(name), "multihead_%u_vblank_period", i);
		check_vblank_period(&heads[i], &m[i], name);
	}
	all_off();
	for (i = 0; i < n; i++)
		fb_free(&fb[i]);
}

/* ---- frame pacing ---- */

static double pct_of(double *v, int n, double p)
{
	int rank = (int)ceil(p / 100.0 * n);

	qsort(v, n, sizeof(*v), cmp_double);
	return n ? v[(rank < 1 ? 1 : rank) - 1] : 0;
}

/*
 * A game loop on @h for @secs: optionally ask DRM_IOCTL_NVGHOST_FRAME_WAIT
 * when to start, "render" for @render_us +- @jitter_us (a fixed
 * pseudo-random sequence), flip and wait for the flip's event. Prints one
 * "# pace:" line of results and checks that frames were presented.
 */
static void test_pace(struct head *h, const char *spec, bool vrr, double secs,
		      double render_us, double jitter_us, bool wait)
{
	static double iv[20000], dev[20000], pres[20000];
	const char *csv_path = getenv("PACE_CSV");
	struct flip_ev ev = { 0 }, prev = { 0 };
	FILE *csv = csv_path ? fopen(csv_path, "w") : NULL;
	double t0 = 0;
	unsigned int lcg = 12345, advised = 0;
	double end, start, slept = 0, med;
	drmModeModeInfo m;
	struct fb fb[2];
	int n = 0, i;

	mode_arg(h, spec, &m);
	fb[0] = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0);
	fb[1] = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0);
	modeset(h, &m, &fb[0], vrr);
	end = now_us() + secs * 1e6;
	while (now_us() < end && n < 20000) {
		if (wait) {
			struct drm_nvghost_frame_wait fw = { .crtc_id = h->crtc };

			if (ioctl(fd, DRM_IOCTL_NVGHOST_FRAME_WAIT, &fw)) {
				fail("pace_frame_wait", "%s", strerror(errno));
				break;
			}
			advised += fw.advised_ns != 0;
			slept += fw.slept_ns / 1e3;
		}
		start = now_us();
		lcg = lcg * 1103515245 + 12345;
		sleep_until_us(start + render_us + jitter_us * (((lcg >> 16) % 2001) / 1000.0 - 1));
		if (flip(h, &fb[(n + 1) % 2], &ev)) {
			fail("pace_flip", "flip %d did not complete", n);
			break;
		}
		pres[n] = ev.t_us - start;
		if (n)
			iv[n - 1] = ev.t_us - prev.t_us;
		else
			t0 = ev.t_us;
		if (csv && n)
			fprintf(csv, "%.4f,%.3f,%.3f\n", (ev.t_us - t0) / 1e6,
				iv[n - 1] / 1e3, pres[n] / 1e3);
		prev = ev;
		n++;
	}
	if (n > 2) {
		unsigned int within = 0;
		double hz;

		med = pct_of(iv, n - 1, 50);
		hz = 1e6 / med;
		/* within 1 Hz of the median rate; before sorting iv below */
		for (i = 0; i < n - 1; i++) {
			dev[i] = fabs(iv[i] - med);
			within += iv[i] > 0 && fabs(1e6 / iv[i] - hz) <= 1.0;
		}
		printf("# pace: flips=%d fps=%.1f interval_median_us=%.0f jitter_p99_us=%.0f"
		       " within_1hz_pct=%.1f present_median_us=%.0f present_p99_us=%.0f advised=%u"
		       " slept_us_avg=%.0f\n",
		       n, n / secs, med, pct_of(dev, n - 1, 99), 100.0 * within / (n - 1),
		       pct_of(pres, n, 50), pct_of(pres, n, 99), advised,
		       advised ? slept / advised : 0);
	}
	if (csv)
		fclose(csv);
	result("pace_frames_presented", n > 2, "%d flips presented in %.0f s, expected more than 2", n, secs);
	all_off();
	fb_free(&fb[0]);
	fb_free(&fb[1]);
}

/*
 * num_heads=0: no KMS objects at all, yet the card node exists. FRAME_WAIT
 * names a CRTC, so it must fail (EOPNOTSUPP, as DRM's mode ioctls do
 * without modesetting) for any id rather than look one up; the device
 * keeps working.
 */
static void test_noheads(void)
{
	struct drm_nvghost_frame_wait fw = { .crtc_id = 1 };
	struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_CHIP_ID };
	int ret;

	fd = open_nvghost();
	if (fd < 0)
		die("open nvghost card");
	ret = ioctl(fd, DRM_IOCTL_NVGHOST_FRAME_WAIT, &fw) ? -errno : 0;
	expect_errno("noheads_frame_wait_eopnotsupp", ret, EOPNOTSUPP);
	fw.crtc_id = 0;
	fw.flags = DRM_NVGHOST_FRAME_WAIT_NO_SLEEP;
	ret = ioctl(fd, DRM_IOCTL_NVGHOST_FRAME_WAIT, &fw) ? -errno : 0;
	expect_errno("noheads_frame_wait_no_sleep_eopnotsupp", ret, EOPNOTSUPP);
	ret = ioctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp) ? -errno : 0;
	result("noheads_device_still_works", !ret && (gp.value >> 24) >= 0x16,
	       "GET_PARAM CHIP_ID: %s, value 0x%llx (expected success and an NVIDIA PMC_BOOT_0)",
	       ret ? strerror(-ret) : "success", (unsigned long long)gp.value);
	close(fd);
}

/*
 * FRAME_WAIT from a process that did not open the file (a forked child on
 * the inherited file, as nvgreplay's parent calls it on the files its
 * clients opened): the frame is the opener's. The caller checks the pid in
 * the nvghost_frame_wait trace event against the two printed here.
 */
static void test_framewait_fork(struct head *h)
{
	struct drm_nvghost_frame_wait fw = { .crtc_id = h->crtc,
					     .flags = DRM_NVGHOST_FRAME_WAIT_NO_SLEEP };
	int status = 0;
	pid_t child;

	child = fork();
	if (child < 0)
		die("fork");
	if (!child)
		_exit(ioctl(fd, DRM_IOCTL_NVGHOST_FRAME_WAIT, &fw) ? 1 : 0);
	waitpid(child, &status, 0);
	result("framewait_fork_ioctl", WIFEXITED(status) && !WEXITSTATUS(status),
	       "FRAME_WAIT in the child: exit status 0x%x, expected 0", status);
	printf("opener=%d caller=%d\n", (int)getpid(), (int)child);
}

/* ---- a virtual device clock (clock=virtual) ---- */

static int vclock(uint32_t op, uint64_t until, struct drm_nvghost_clock *c)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->until_ns = until;
	return ioctl(fd, DRM_IOCTL_NVGHOST_CLOCK, c) ? -errno : 0;
}

/* The head's last vblank, without waiting for one: its count and time (ns). */
static int vblank_query(struct head *h, unsigned int *seq, uint64_t *t_ns)
{
	drmVBlank vbl = { 0 };

	vbl.request.type = DRM_VBLANK_RELATIVE |
		((h->index << DRM_VBLANK_HIGH_CRTC_SHIFT) & DRM_VBLANK_HIGH_CRTC_MASK);
	vbl.request.sequence = 0;
	if (drmWaitVBlank(fd, &vbl))
		return -errno;
	*seq = vbl.reply.sequence;
	*t_ns = (uint64_t)vbl.reply.tval_sec * 1000000000ULL + vbl.reply.tval_usec * 1000ULL;
	return 0;
}

/*
 * clock=virtual: a head's vblanks follow device time only. The modeset is
 * committed without blocking (its completion waits for a vblank, which
 * only ADVANCE brings) and the head is on once its vblank can be queried:
 * it started scanning out at device time n0 (frozen). Then no vblank comes
 * over real time; ADVANCE by 1 s of device time brings exactly the frames
 * of the mode's period (the head's period in ns: pixels * 1e6 / kHz), the
 * last one stamped at n0 + count * period (DRM reports microseconds).
 */
static void test_vclock(struct head *h, const char *spec)
{
	struct drm_nvghost_clock c0, c1;
	drmModeAtomicReqPtr req;
	unsigned int s0, s1, s2, i;
	uint64_t t0, t1, t2, period, want_n, want_t;
	drmModeModeInfo m;
	struct fb fb;
	int ret = -1;

	mode_arg(h, spec, &m);
	fb = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0);
	req = drmModeAtomicAlloc();
	add_modeset(req, h, &m, &fb, false);
	if (commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET | DRM_MODE_ATOMIC_NONBLOCK))
		die("nonblocking modeset");
	for (i = 0; i < 1000 && ret; i++) {
		ret = vblank_query(h, &s0, &t0);
		if (ret)
			usleep(10000);
	}
	if (ret) {
		fail("vclock_head_on", "vblank query: %s after 10 s", strerror(-ret));
		return;
	}
	if (vclock(DRM_NVGHOST_CLOCK_GET, 0, &c0))
		die("CLOCK GET");
	result("vclock_mode_virtual", c0.mode == DRM_NVGHOST_CLOCK_MODE_VIRTUAL,
	      "mode %u, expected %u (clock=virtual)", c0.mode, DRM_NVGHOST_CLOCK_MODE_VIRTUAL);
	result("vclock_head_on_at_now", t0 / 1000 == c0.now_ns / 1000,
	      "the head's first vblank time %llu ns, expected the device time %llu ns it was enabled at",
	      (unsigned long long)t0, (unsigned long long)c0.now_ns);
	usleep(300000);
	if (vblank_query(h, &s1, &t1))
		die("vblank query");
	result("vclock_no_vblank_without_advance", s1 == s0 && t1 == t0,
	      "after 300 ms of real time: vblank %u at %llu ns, expected still %u at %llu ns",
	      s1, (unsigned long long)t1, s0, (unsigned long long)t0);
	if (vclock(DRM_NVGHOST_CLOCK_ADVANCE, c0.now_ns + 1000000000ULL, &c1))
		die("CLOCK ADVANCE");
	if (vblank_query(h, &s2, &t2))
		die("vblank query");
	period = (uint64_t)m.htotal * m.vtotal * 1000000ULL / m.clock;
	if (period < 1000000)
		period = 1000000;
	want_n = (c1.now_ns - c0.now_ns) / period;
	want_t = c0.now_ns + want_n * period;
	printf("# vclock: %s period %llu ns, %u vblanks in 1 s of device time (%u events played)\n",
	       m.name, (unsigned long long)period, s2 - s0, c1.events);
	result("vclock_vblanks_at_mode_rate", s2 - s0 == want_n,
	      "%u vblanks in %llu ns of device time, expected %llu (period %llu ns)",
	      s2 - s0, (unsigned long long)(c1.now_ns - c0.now_ns),
	      (unsigned long long)want_n, (unsigned long long)period);
	result("vclock_vblank_timestamp_is_device_time", t2 / 1000 == want_t / 1000,
	      "last vblank stamped %llu ns, expected %llu ns (device time of vblank %llu)",
	      (unsigned long long)t2, (unsigned long long)want_t, (unsigned long long)want_n);
	all_off();
	fb_free(&fb);
}

/*
 * clock=virtual: how fast a replay runs. Head @h on at @spec, then ADVANCE
 * @secs of device time, 100 ms per call; prints the events played, the
 * real time it took and their ratio (whatever else runs, e.g. a hog from
 * debugfs gpu0/submit, is part of it).
 */
static void bench_vclock(struct head *h, const char *spec, double secs)
{
	struct drm_nvghost_clock c0, c;
	unsigned long long events = 0;
	drmModeAtomicReqPtr req;
	double t0, wall;
	drmModeModeInfo m;
	unsigned int s0, s1;
	uint64_t ts;
	struct fb fb;
	int i, ret = -1;

	mode_arg(h, spec, &m);
	fb = fb_dumb(m.hdisplay, m.vdisplay, DRM_FORMAT_XRGB8888, 0);
	req = drmModeAtomicAlloc();
	add_modeset(req, h, &m, &fb, false);
	if (commit(req, DRM_MODE_ATOMIC_ALLOW_MODESET | DRM_MODE_ATOMIC_NONBLOCK))
		die("nonblocking modeset");
	for (i = 0; i < 1000 && ret; i++) {
		ret = vblank_query(h, &s0, &ts);
		if (ret)
			usleep(10000);
	}
	if (ret || vclock(DRM_NVGHOST_CLOCK_GET, 0, &c0))
		die("head on / CLOCK GET");
	t0 = now_us();
	for (c.now_ns = c0.now_ns; c.now_ns < c0.now_ns + (uint64_t)(secs * 1e9);) {
		uint64_t until = c.now_ns + 100000000ULL;

		if (vclock(DRM_NVGHOST_CLOCK_ADVANCE, until, &c))
			die("CLOCK ADVANCE");
		events += c.events;
	}
	wall = (now_us() - t0) / 1e6;
	vblank_query(h, &s1, &ts);
	printf("# vbench: %.1f s of device time in %.2f s of real time (%.1fx), %llu events (%.0f per real second), %u vblanks\n",
	       (c.now_ns - c0.now_ns) / 1e9, wall, (c.now_ns - c0.now_ns) / 1e9 / wall, events,
	       events / wall, s1 - s0);
	result("vbench_vblanks", s1 - s0 >= (unsigned int)(secs * 1e9 / (frame_us(&m) * 1000)) - 1,
	       "%u vblanks in %.1f s of device time at %.2f Hz", s1 - s0, secs,
	       1e6 / frame_us(&m));
	all_off();
	fb_free(&fb);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: see the top of tests/vm/kms_test.c\n");
		return 2;
	}
	if (!strcmp(argv[1], "noheads")) {
		test_noheads();
		return failures ? 1 : 0;
	}
	setup();
	if (!strcmp(argv[1], "reject"))
		test_reject();
	else if (!strcmp(argv[1], "formats"))
		test_formats();
	else if (!strcmp(argv[1], "vblank") && argc == 4)
		test_vblank(head_arg(argv[2]), argv[3]);
	else if (!strcmp(argv[1], "flips") && argc == 4)
		test_flips(head_arg(argv[2]), argv[3]);
	else if (!strcmp(argv[1], "crc") && argc == 5)
		test_crc(head_arg(argv[2]), argv[3], argv[4]);
	else if (!strcmp(argv[1], "vrr") && argc == 4)
		test_vrr(head_arg(argv[2]), argv[3]);
	else if (!strcmp(argv[1], "hotplug") && argc == 3)
		test_hotplug(argv[2]);
	else if (!strcmp(argv[1], "multihead") && argc >= 3)
		test_multihead(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "framewait-fork") && argc == 3)
		test_framewait_fork(head_arg(argv[2]));
	else if (!strcmp(argv[1], "vbench") && argc == 5)
		bench_vclock(head_arg(argv[2]), argv[3], atof(argv[4]));
	else if (!strcmp(argv[1], "vclock") && argc == 4)
		test_vclock(head_arg(argv[2]), argv[3]);
	else if (!strcmp(argv[1], "pace") && argc == 9)
		test_pace(head_arg(argv[2]), argv[3], atoi(argv[4]), atof(argv[5]),
			  atof(argv[6]), atof(argv[7]), atoi(argv[8]));
	else
		return 2;
	return failures ? 1 : 0;
}
