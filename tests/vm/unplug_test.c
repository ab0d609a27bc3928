// SPDX-License-Identifier: GPL-2.0
/*
 * unplug_test - hot unplug of a GPU that clients are using, in the VM.
 *
 *   unplug_test unplug N    N rounds of: a client holds buffer objects
 *                           (VRAM and system memory, mapped on the CPU and
 *                           the GPU), channels with jobs running, queued
 *                           behind each other and waiting on another job's
 *                           fence, a syncobj exported as an fd, sync files,
 *                           synthetic jobs and a page flip pending on the
 *                           card node; the device is unbound from its
 *                           driver; every ioctl of the open files fails
 *                           with ENODEV, the fences signal, the flip event
 *                           arrives, the mappings stay readable; munmap,
 *                           close; the device is bound again, the fences
 *                           kept across still answer, and a new client
 *                           runs a job on the new device
 *   unplug_test fence-rmmod a client submits with OUT_SYNC_FILE and an
 *                           out-syncobj, exports the syncobj as an fd and
 *                           as a sync file, closes its DRM file and keeps
 *                           the fds; rmmod is refused while they live;
 *                           SYNC_FILE_INFO and close are safe; then rmmod
 *                           succeeds
 *
 * The device is platform device nvghost.0; its nodes are found through
 * sysfs, since a rebound device may get other minors.
 *
 * Prints "PASS: name" or "FAIL: name: why" per check; exits with the number
 * of failures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sync_file.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "nvghost_pb.h"
#include "nvghost_drm.h"
#include "check.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define PDEV		"nvghost.0"
#define DRV		"/sys/bus/platform/drivers/nvghost"
#define DBG_SUBMIT	"/sys/kernel/debug/nvghost/gpu0/submit"

/* ~300 ms of the ad102's 2.52 GHz compute clock. */
#define BUSY_300MS	756000000ULL

static u32 copy_class, compute_class;

/* ---- the device ---- */

static int write_file(const char *path, const char *s)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (f < 0)
		return -errno;
	n = write(f, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(f);
	return n;
}

/* The /dev/dri node of nvghost.0 whose name starts with @prefix. */
static int node_path(const char *prefix, char *path, size_t len)
{
	DIR *d = opendir("/sys/bus/platform/devices/" PDEV "/drm");
	struct dirent *e;
	int ret = -ENOENT;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (!strncmp(e->d_name, prefix, strlen(prefix)) &&
		    strlen(e->d_name) > strlen(prefix)) {
			snprintf(path, len, "/dev/dri/%s", e->d_name);
			ret = 0;
			break;
		}
	}
	closedir(d);
	return ret;
}

/* Open the device's node, waiting up to 10 s for it to appear. */
static int open_node(const char *prefix)
{
	char path[64];
	int i, f;

	for (i = 0; i < 1000; i++) {
		if (!node_path(prefix, path, sizeof(path))) {
			f = open(path, O_RDWR | O_CLOEXEC);
			if (f >= 0)
				return f;
		}
		usleep(10000);
	}
	return -ENOENT;
}

static int param(int fd, u32 p, u32 index, u64 *value)
{
	struct drm_nvghost_get_param g = { .param = p, .index = index };

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &g))
		return -errno;
	*value = g.value;
	return 0;
}

/* ---- buffers, channels, jobs (as in submit_test) ---- */

#include "gpu.h"

/* Compute: spin for @cycles engine cycles, then fill @size bytes at @va. */
static void emit_busy_fill(struct pb *pb, u64 cycles, u64 va, u32 size, u32 value)
{
	emit(pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
	emit(pb, 0, NVGC_SET_CYCLES_LO, 2, (u32)cycles, (u32)(cycles >> 32));
	emit(pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_BUSY);
	emit(pb, 0, NVGC_SET_ADDR_HI, 4, (u32)(va >> 32), (u32)va, size, value);
	emit(pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_FILL);
}

/* Copy engine: copy @len bytes. */
static void emit_copy(struct pb *pb, u64 src, u64 dst, u32 len)
{
	emit(pb, 4, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit(pb, 4, NVG_COPY_OFFSET_IN_UPPER, 4, (u32)(src >> 32), (u32)src,
	     (u32)(dst >> 32), (u32)dst);
	emit(pb, 4, NVG_COPY_LINE_LENGTH_IN, 1, len);
	emit(pb, 4, NVG_COPY_LAUNCH_DMA, 1,
	     NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED |
	     NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH | NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH);
}

/*
 * Submit the dwords @pb gained since @first on @ctx. @in_fd: a sync file
 * to wait for, or -1; @out_syncobj: a syncobj to signal, or 0. Returns 0 or
 * -errno, and a sync file of the job in *@out_fd.
 */
static int submit(int fd, u32 ctx, struct pb *pb, u32 first, int in_fd,
		  u32 out_syncobj, int *out_fd)
{
	u64 entry = nvg_gpfifo_entry_encode(pb->bo->va + first * 4, pb->n - first, 0);
	struct drm_nvghost_sync out = { .handle = out_syncobj };
	struct drm_nvghost_submit s = {
		.ctx_id = ctx,
		.gpfifo = (uintptr_t)&entry,
		.gpfifo_count = 1,
		.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE,
		.fence_fd = -1,
	};

	if (in_fd >= 0) {
		s.flags |= DRM_NVGHOST_SUBMIT_IN_SYNC_FILE;
		s.fence_fd = in_fd;
	}
	if (out_syncobj) {
		s.out_sync_count = 1;
		s.out_syncs = (uintptr_t)&out;
	}
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s))
		return -errno;
	*out_fd = s.fence_fd;
	return 0;
}

/*
 * A sync file's status after waiting up to @timeout_ms: 1 signalled, < 0
 * its error, 0 still pending; -1000 - errno if SYNC_FILE_INFO failed.
 */
static int fence_status(int sync_fd, int timeout_ms, char *driver, size_t len)
{
	struct sync_fence_info fi = {};
	struct sync_file_info info = { .num_fences = 1, .sync_fence_info = (uintptr_t)&fi };
	struct pollfd p = { .fd = sync_fd, .events = POLLIN };

	poll(&p, 1, timeout_ms);
	if (ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info))
		return -1000 - errno;
	if (driver)
		snprintf(driver, len, "%s/%s", fi.driver_name, fi.obj_name);
	return info.status;
}

static bool fence_done(int st)
{
	return st == 1 || (st < 0 && st > -1000);
}

/* ---- one round of unplug ---- */

/* Per ioctl: in how many rounds it did not fail with ENODEV, and the first. */
struct enodev_check {
	const char *name;
	int bad;
	int first_errno;
	int first_round;
};

#define E(n)	{ .name = n, .bad = 0, .first_errno = 0, .first_round = 0 }
static struct enodev_check enodev[] = {
	E("get_param"), E("gem_create"), E("gem_info"), E("vm_bind"),
	E("ctx_create"), E("ctx_destroy"), E("submit"), E("gem_close"),
	E("syncobj_create"), E("prime_export"), E("mode_getresources"),
	E("frame_wait"), E("mmap"),
};
#undef E

/* Record what ioctl @i returned (0 or -errno) in @round. */
static void note_enodev(int i, int ret, int round)
{
	if (ret == -ENODEV)
		return;
	if (!enodev[i].bad++) {
		enodev[i].first_errno = -ret;
		enodev[i].first_round = round;
	}
}

static int ioc(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

/* Every ioctl of the unplugged device's files: ENODEV. */
static void try_ioctls(int r, int c, struct bo *bo, u32 ctx, u32 syncobj,
		       struct pb *pb, u32 crtc, int round)
{
	struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_CHIP_ID };
	struct drm_nvghost_gem_create gc = { .size = 4096,
					     .placement = DRM_NVGHOST_PLACEMENT_VRAM };
	struct drm_nvghost_gem_info gi = { .handle = bo->handle };
	struct drm_nvghost_vm_bind vb = { .op = DRM_NVGHOST_VM_BIND_UNMAP, .va = bo->va,
					  .range = bo->size };
	struct drm_nvghost_ctx_create cc = { .engine_class = DRM_NVGHOST_ENGINE_COMPUTE };
	struct drm_nvghost_ctx_destroy cd = { .ctx_id = ctx };
	u64 entry = nvg_gpfifo_entry_encode(pb->bo->va, pb->n, 0);
	struct drm_nvghost_submit sb = { .ctx_id = ctx, .gpfifo = (uintptr_t)&entry,
					 .gpfifo_count = 1 };
	struct drm_gem_close cl = { .handle = bo->handle };
	struct drm_syncobj_create sc = {};
	struct drm_prime_handle ph = { .handle = bo->handle, .flags = DRM_CLOEXEC };
	struct drm_mode_card_res res = {};
	struct drm_nvghost_frame_wait fw = { .crtc_id = crtc,
					     .flags = DRM_NVGHOST_FRAME_WAIT_NO_SLEEP };
	void *m;

	note_enodev(0, ioc(r, DRM_IOCTL_NVGHOST_GET_PARAM, &gp), round);
	note_enodev(1, ioc(r, DRM_IOCTL_NVGHOST_GEM_CREATE, &gc), round);
	note_enodev(2, ioc(r, DRM_IOCTL_NVGHOST_GEM_INFO, &gi), round);
	note_enodev(3, ioc(r, DRM_IOCTL_NVGHOST_VM_BIND, &vb), round);
	note_enodev(4, ioc(r, DRM_IOCTL_NVGHOST_CTX_CREATE, &cc), round);
	note_enodev(5, ioc(r, DRM_IOCTL_NVGHOST_CTX_DESTROY, &cd), round);
	note_enodev(6, ioc(r, DRM_IOCTL_NVGHOST_SUBMIT, &sb), round);
	note_enodev(7, ioc(r, DRM_IOCTL_GEM_CLOSE, &cl), round);
	note_enodev(8, ioc(r, DRM_IOCTL_SYNCOBJ_CREATE, &sc), round);
	note_enodev(9, ioc(r, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), round);
	note_enodev(10, ioc(c, DRM_IOCTL_MODE_GETRESOURCES, &res), round);
	note_enodev(11, ioc(c, DRM_IOCTL_NVGHOST_FRAME_WAIT, &fw), round);
	/* A new mapping of the device is refused too. */
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, r, 0);
	note_enodev(12, m == MAP_FAILED ? -errno : 0, round);
	if (m != MAP_FAILED)
		munmap(m, 4096);
	(void)syncobj;
}

/* The display: the first connected connector's first mode on a CRTC. */
struct display {
	u32 crtc, conn, fb[2];
	u32 handle[2];
	drmModeModeInfo mode;
	bool on;
};

static int display_on(int c, struct display *d)
{
	drmModeResPtr res = drmModeGetResources(c);
	drmModeConnectorPtr conn = NULL;
	int i, ret = -ENOENT;

	memset(d, 0, sizeof(*d));
	if (!res)
		return -errno;
	for (i = 0; i < res->count_connectors && !conn; i++) {
		conn = drmModeGetConnector(c, res->connectors[i]);
		if (conn && (conn->connection != DRM_MODE_CONNECTED || !conn->count_modes)) {
			drmModeFreeConnector(conn);
			conn = NULL;
		}
	}
	if (!conn || !res->count_crtcs)
		goto out;
	d->conn = conn->connector_id;
	d->crtc = res->crtcs[0];
	d->mode = conn->modes[0];
	for (i = 0; i < 2; i++) {
		struct drm_mode_create_dumb cd = { .width = d->mode.hdisplay,
						   .height = d->mode.vdisplay, .bpp = 32 };
		u32 handles[4] = {}, pitches[4] = {}, offsets[4] = {};

		if (drmIoctl(c, DRM_IOCTL_MODE_CREATE_DUMB, &cd)) {
			ret = -errno;
			goto out;
		}
		d->handle[i] = cd.handle;
		handles[0] = cd.handle;
		pitches[0] = cd.pitch;
		if (drmModeAddFB2(c, cd.width, cd.height, 0x34325258 /* XR24 */,
				  handles, pitches, offsets, &d->fb[i], 0)) {
			ret = -errno;
			goto out;
		}
	}
	if (drmModeSetCrtc(c, d->crtc, d->fb[0], 0, 0, &d->conn, 1, &d->mode)) {
		ret = -errno;
		goto out;
	}
	d->on = true;
	ret = 0;
out:
	if (conn)
		drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	return ret;
}

/* Wait up to @timeout_ms for a flip event on @c: 1 if one came, else 0. */
static int flip_event(int c, int timeout_ms)
{
	struct pollfd p = { .fd = c, .events = POLLIN };
	char buf[256];
	struct drm_event *e = (struct drm_event *)buf;
	ssize_t n;

	if (poll(&p, 1, timeout_ms) != 1)
		return 0;
	n = read(c, buf, sizeof(buf));
	return n >= (ssize_t)sizeof(*e) && e->type == DRM_EVENT_FLIP_COMPLETE;
}

static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/* Read (and write) a mapping of the unplugged device: 0, or the signal. */
static int touch(volatile u32 *p, u64 bytes, bool write, u32 *sum)
{
	int sig;
	u64 i;

	sig = sigsetjmp(fault_jmp, 1);
	if (sig)
		return sig;
	for (i = 0; i < bytes / 4; i += 1024) {
		*sum += p[i];
		if (write)
			p[i] = 0x5a5a5a5a;
	}
	return 0;
}

struct tally {
	int setup_failed;
	int ioctl_failed;
	int unbind_failed;
	int fence_pending;
	int fence_info_failed;
	int flip_lost;
	int fences_enodev;
	int fences_ok;
	int flip_pending_at_unbind;
	int vram_map_fault;
	int sys_map_changed;
	int bind_failed;
	int kept_fence_bad;
	int dmabuf_bad;
	int new_device_bad;
	char first[8][160];
};

static void note(struct tally *t, int *counter, int slot, const char *fmt, ...)
{
	va_list ap;

	if (!(*counter)++) {
		va_start(ap, fmt);
		vsnprintf(t->first[slot], sizeof(t->first[slot]), fmt, ap);
		va_end(ap);
	}
}

/* A fresh client on the rebound device runs a fill and sees its result. */
static int new_device_works(char *why, size_t len)
{
	struct bo dst, pbo;
	struct pb pb;
	int r, ctx, sf = -1, st, ret = -1;
	u64 boot0 = 0;
	u32 *d;

	r = open_node("renderD");
	if (r < 0) {
		snprintf(why, len, "no render node after bind: %s", strerror(-r));
		return -1;
	}
	next_va = DRM_NVGHOST_VA_START;
	if (param(r, DRM_NVGHOST_PARAM_CHIP_ID, 0, &boot0) || !boot0) {
		snprintf(why, len, "GET_PARAM CHIP_ID: %s", strerror(errno));
		goto out;
	}
	if (bo_new(r, &dst, 65536, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(r, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		snprintf(why, len, "buffers: %s", strerror(errno));
		goto out;
	}
	ctx = ctx_new(r, DRM_NVGHOST_ENGINE_COMPUTE);
	pb.bo = &pbo;
	pb.dw = pbo.cpu;
	pb.n = 0;
	emit_busy_fill(&pb, 1000, dst.va, 65536, 0xc0ffee);
	st = ctx < 0 ? ctx : submit(r, ctx, &pb, 0, -1, 0, &sf);
	if (st) {
		snprintf(why, len, "channel or submit: %s", strerror(-st));
		goto out;
	}
	st = fence_status(sf, 30000, NULL, 0);
	close(sf);
	d = dst.cpu;
	if (st != 1 || d[0] != 0xc0ffee || d[16383] != 0xc0ffee) {
		snprintf(why, len, "fill job: fence status %d, words 0x%x 0x%x, expected 1, 0xc0ffee",
			 st, d[0], d[16383]);
		goto out;
	}
	munmap(dst.cpu, dst.size);
	munmap(pbo.cpu, pbo.size);
	ret = 0;
out:
	close(r);
	return ret;
}

/*
 * A dma-buf of a VRAM object of the device that went: mapping it stays
 * safe (no signal), and the new device cannot import it (its memory is
 * gone) but says so.
 */
static int dmabuf_after_rebind(int dmabuf, char *why, size_t len)
{
	struct sigaction sa = { .sa_handler = on_fault }, old_bus, old_segv;
	u32 handle, sum = 0;
	void *m;
	int r, st;

	m = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	if (m != MAP_FAILED) {
		sigaction(SIGBUS, &sa, &old_bus);
		sigaction(SIGSEGV, &sa, &old_segv);
		st = touch(m, 65536, true, &sum);
		sigaction(SIGBUS, &old_bus, NULL);
		sigaction(SIGSEGV, &old_segv, NULL);
		munmap(m, 65536);
		if (st) {
			snprintf(why, len, "dma-buf mapping: signal %d", st);
			return -1;
		}
	}
	r = open_node("renderD");
	if (r < 0) {
		snprintf(why, len, "no render node: %s", strerror(-r));
		return -1;
	}
	st = drmPrimeFDToHandle(r, dmabuf, &handle) ? -errno : 0;
	close(r);
	if (!st) {
		snprintf(why, len, "the new device imported the gone device's VRAM");
		return -1;
	}
	return 0;
}

static void unplug_round(int round, struct tally *t)
{
	struct bo vram = {}, sys = {}, pbo = {};
	struct display disp = {};
	struct pb pb = {};
	int r, c, ctx1, ctx2, ctx3, st, i;
	int sf[4] = { -1, -1, -1, -1 }, so_fd = -1, so_sf = -1, dmabuf = -1;
	u32 syncobj = 0, sum = 0, first;
	char why[160], drv[64];
	bool flipped = false;
	struct sigaction sa = { .sa_handler = on_fault }, old_bus, old_segv;

	r = open_node("renderD");
	c = open_node("card");
	if (r < 0 || c < 0) {
		note(t, &t->setup_failed, 0, "round %d: cannot open the nodes: %d %d", round, r, c);
		goto out_close;
	}
	next_va = DRM_NVGHOST_VA_START;

	/* Memory: VRAM and system objects, mapped for the CPU and the GPU. */
	if (bo_new(r, &vram, 1 << 20, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(r, &sys, 1 << 20, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(r, &pbo, 65536, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		note(t, &t->setup_failed, 0, "round %d: buffers: %s", round, strerror(errno));
		goto out_close;
	}
	memset(vram.cpu, 0x11, vram.size);
	for (i = 0; i < (int)(sys.size / 4); i++)
		((u32 *)sys.cpu)[i] = i * 2654435761u;

	/* Work: running, queued behind it, waiting on a fence, on two engines. */
	ctx1 = ctx_new(r, DRM_NVGHOST_ENGINE_COMPUTE);
	ctx2 = ctx_new(r, DRM_NVGHOST_ENGINE_COMPUTE);
	ctx3 = ctx_new(r, DRM_NVGHOST_ENGINE_COPY);
	if (drmSyncobjCreate(r, 0, &syncobj) || ctx1 < 0 || ctx2 < 0 || ctx3 < 0) {
		note(t, &t->setup_failed, 0, "round %d: channels or syncobj: %d %d %d %s",
		     round, ctx1, ctx2, ctx3, strerror(errno));
		goto out_close;
	}
	pb.bo = &pbo;
	pb.dw = pbo.cpu;
	pb.n = 0;
	emit_busy_fill(&pb, BUSY_300MS, vram.va, 4096, 0xabcd);
	st = submit(r, ctx1, &pb, 0, -1, syncobj, &sf[0]);
	first = pb.n;
	emit_busy_fill(&pb, BUSY_300MS, vram.va + 4096, 4096, 0xabce);
	if (!st)
		st = submit(r, ctx1, &pb, first, -1, 0, &sf[1]);
	first = pb.n;
	emit_busy_fill(&pb, 1000, vram.va + 8192, 4096, 0xabcf);
	if (!st)
		st = submit(r, ctx2, &pb, first, sf[0], 0, &sf[2]);
	first = pb.n;
	emit_copy(&pb, sys.va, vram.va + 65536, 65536);
	if (!st)
		st = submit(r, ctx3, &pb, first, -1, 0, &sf[3]);
	if (!st && (drmSyncobjHandleToFD(r, syncobj, &so_fd) ||
		    drmSyncobjExportSyncFile(r, syncobj, &so_sf)))
		st = -errno;
	/* A dma-buf of the VRAM object, kept past the unbind and the close. */
	if (!st && drmPrimeHandleToFD(r, vram.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf))
		st = -errno;
	if (st) {
		note(t, &t->setup_failed, 0, "round %d: submissions: %s", round, strerror(-st));
		goto out_close;
	}
	/* The device's own synthetic jobs too (debugfs). */
	write_file(DBG_SUBMIT, "0 4 20000");

	/* The display: a mode set, and a flip waiting for its vblank. */
	if (display_on(c, &disp)) {
		note(t, &t->setup_failed, 0, "round %d: modeset: %s", round, strerror(errno));
		goto out_close;
	}
	flipped = !drmModePageFlip(c, disp.crtc, disp.fb[1], DRM_MODE_PAGE_FLIP_EVENT, NULL);
	if (!flipped) {
		note(t, &t->setup_failed, 0, "round %d: page flip: %s", round, strerror(errno));
		goto out_close;
	}
	/* Was it still pending as the device went? (a vblank may beat the unbind) */
	{
		struct pollfd p = { .fd = c, .events = POLLIN };

		if (poll(&p, 1, 0) == 0)
			t->flip_pending_at_unbind++;
	}

	/* The GPU goes away under the client. */
	st = write_file(DRV "/unbind", PDEV);
	if (st) {
		note(t, &t->unbind_failed, 1, "round %d: unbind: %s", round, strerror(-st));
		goto out_close;
	}

	try_ioctls(r, c, &vram, ctx1, syncobj, &pb, disp.crtc, round);

	/* Every fence completes, with an error if its job could not run. */
	for (i = 0; i < 4; i++) {
		st = fence_status(sf[i], 10000, drv, sizeof(drv));
		if (st <= -1000)
			note(t, &t->fence_info_failed, 2, "round %d: job %d: SYNC_FILE_INFO: %s",
			     round, i, strerror(-st - 1000));
		else if (!fence_done(st))
			note(t, &t->fence_pending, 3, "round %d: job %d: still pending 10 s after unbind",
			     round, i);
		else if (st == -ENODEV)
			t->fences_enodev++;
		else if (st == 1)
			t->fences_ok++;
	}
	st = fence_status(so_sf, 10000, NULL, 0);
	if (!fence_done(st))
		note(t, &t->fence_pending, 3, "round %d: syncobj's sync file: status %d", round, st);

	/* The flip completes: its event is not lost. */
	if (!flip_event(c, 10000))
		note(t, &t->flip_lost, 4, "round %d: no flip event within 10 s of unbind", round);

	/* Mappings stay safe: VRAM reads what a gone device gives, system memory is kept. */
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	st = touch(vram.cpu, vram.size, true, &sum);
	if (st)
		note(t, &t->vram_map_fault, 5, "round %d: VRAM mapping: signal %d", round, st);
	st = touch(sys.cpu, sys.size, false, &sum);
	if (st)
		note(t, &t->vram_map_fault, 5, "round %d: system mapping: signal %d", round, st);
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	for (i = 0; i < (int)(sys.size / 4); i += 997) {
		if (((u32 *)sys.cpu)[i] != i * 2654435761u) {
			note(t, &t->sys_map_changed, 6, "round %d: system memory word %d is 0x%x",
			     round, i, ((u32 *)sys.cpu)[i]);
			break;
		}
	}

out_close:
	/* munmap and close, in that order and the other way round. */
	if (vram.cpu)
		munmap(vram.cpu, vram.size);
	if (c >= 0)
		close(c);
	if (r >= 0)
		close(r);
	if (sys.cpu)
		munmap(sys.cpu, sys.size);
	if (pbo.cpu)
		munmap(pbo.cpu, pbo.size);
	memset(&vram, 0, sizeof(vram));
	memset(&sys, 0, sizeof(sys));
	memset(&pbo, 0, sizeof(pbo));

	/* Back: bind, and the fences kept across still answer. */
	if (access("/sys/bus/platform/devices/" PDEV "/driver", F_OK)) {
		st = write_file(DRV "/bind", PDEV);
		if (st)
			note(t, &t->bind_failed, 7, "round %d: bind: %s", round, strerror(-st));
	}
	/* The dma-buf held the old device; closing it releases it. */
	if (dmabuf >= 0) {
		st = dmabuf_after_rebind(dmabuf, why, sizeof(why));
		if (st)
			note(t, &t->dmabuf_bad, 7, "round %d: %s", round, why);
		close(dmabuf);
	}
	/* The fences kept across point at nothing of it. */
	for (i = 0; i < 4; i++) {
		if (sf[i] < 0)
			continue;
		st = fence_status(sf[i], 0, drv, sizeof(drv));
		if (!fence_done(st))
			note(t, &t->kept_fence_bad, 7, "round %d: kept fence %d after rebind: status %d",
			     round, i, st);
		close(sf[i]);
	}
	if (so_sf >= 0)
		close(so_sf);
	if (so_fd >= 0)
		close(so_fd);
	if (new_device_works(why, sizeof(why)))
		note(t, &t->new_device_bad, 7, "round %d: %s", round, why);
}

static int do_unplug(int rounds)
{
	struct tally t = {};
	char why[160];
	int r, i;
	u64 v;

	r = open_node("renderD");
	if (r < 0 || param(r, DRM_NVGHOST_PARAM_ENGINE_CLASS, 0, &v)) {
		fail("open", "render node of " PDEV ": %s", strerror(errno));
		return 1;
	}
	compute_class = v;
	param(r, DRM_NVGHOST_PARAM_ENGINE_CLASS, 1, &v);
	copy_class = v;
	close(r);
	if (new_device_works(why, sizeof(why)))
		fail("device_works_before", "%s", why);

	for (i = 0; i < rounds; i++)
		unplug_round(i, &t);

	result("setup", !t.setup_failed, "%d rounds failed, first: %s", t.setup_failed,
	       t.first[0]);
	result("unbind_with_files_open", !t.unbind_failed, "%d rounds, first: %s",
	       t.unbind_failed, t.first[1]);
	for (i = 0; i < (int)ARRAY_SIZE(enodev); i++) {
		char name[64];

		snprintf(name, sizeof(name), "enodev_after_unbind_%s", enodev[i].name);
		result(name, !enodev[i].bad,
		       "expected ENODEV in every round; in %d rounds it was %s (first in round %d)",
		       enodev[i].bad, enodev[i].first_errno ? strerror(enodev[i].first_errno) :
		       "success", enodev[i].first_round);
	}
	result("fence_info_after_unbind", !t.fence_info_failed, "%d, first: %s",
	       t.fence_info_failed, t.first[2]);
	result("fences_signal_after_unbind", !t.fence_pending,
	       "%d fences pending, first: %s", t.fence_pending, t.first[3]);
	printf("# job fences after unbind: %d failed with ENODEV, %d done before it, of %d\n",
	       t.fences_enodev, t.fences_ok, 4 * rounds);
	result("jobs_in_flight_end_with_enodev", t.fences_enodev > 0,
	       "no job fence ended with ENODEV in %d rounds: nothing was in flight", rounds);
	result("flip_event_delivered", !t.flip_lost, "%d rounds, first: %s", t.flip_lost,
	       t.first[4]);
	printf("# flip still pending at unbind in %d of %d rounds\n",
	       t.flip_pending_at_unbind, rounds);
	result("flip_pending_at_some_unbind", t.flip_pending_at_unbind > 0,
	       "the flip had completed before the unbind in all %d rounds", rounds);
	result("mappings_safe_after_unbind", !t.vram_map_fault, "%d, first: %s",
	       t.vram_map_fault, t.first[5]);
	result("system_memory_kept", !t.sys_map_changed, "%d rounds, first: %s",
	       t.sys_map_changed, t.first[6]);
	result("rebind", !t.bind_failed, "%d rounds failed", t.bind_failed);
	result("kept_fences_after_rebind", !t.kept_fence_bad, "%d, first: %s",
	       t.kept_fence_bad, t.first[7]);
	result("dmabuf_of_gone_device_safe", !t.dmabuf_bad, "%d rounds, first: %s",
	       t.dmabuf_bad, t.first[7]);
	result("device_works_after_rebind", !t.new_device_bad, "%d rounds, first: %s",
	       t.new_device_bad, t.first[7]);
	return failures;
}

/* ---- fences that outlive the module ---- */

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int do_fence_rmmod(void)
{
	struct bo dst, pbo;
	struct pb pb;
	int r, ctx, sf = -1, so_fd = -1, so_sf = -1, st, i;
	u32 syncobj;
	char drv[64];
	u64 v;

	r = open_node("renderD");
	if (r < 0 || param(r, DRM_NVGHOST_PARAM_ENGINE_CLASS, 0, &v)) {
		fail("open", "render node of " PDEV ": %s", strerror(errno));
		return 1;
	}
	compute_class = v;
	next_va = DRM_NVGHOST_VA_START;
	if (bo_new(r, &dst, 65536, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(r, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    drmSyncobjCreate(r, 0, &syncobj)) {
		fail("setup", "buffers: %s", strerror(errno));
		return 1;
	}
	ctx = ctx_new(r, DRM_NVGHOST_ENGINE_COMPUTE);
	pb.bo = &pbo;
	pb.dw = pbo.cpu;
	pb.n = 0;
	emit_busy_fill(&pb, 1000, dst.va, 4096, 0x1234);
	st = ctx < 0 ? ctx : submit(r, ctx, &pb, 0, -1, syncobj, &sf);
	if (!st && (drmSyncobjHandleToFD(r, syncobj, &so_fd) ||
		    drmSyncobjExportSyncFile(r, syncobj, &so_sf)))
		st = -errno;
	if (st) {
		fail("submit", "%s", strerror(-st));
		return 1;
	}
	munmap(dst.cpu, dst.size);
	munmap(pbo.cpu, pbo.size);
	close(r);
	check("job_done", fence_done(fence_status(sf, 30000, NULL, 0)), "fence pending");

	/* The fences keep the module; nothing else does. */
	st = run("rmmod nvghost 2>/dev/null");
	result("rmmod_refused_while_fences_live", st != 0,
	       "rmmod succeeded with three nvghost fences held");
	st = fence_status(sf, 0, drv, sizeof(drv));
	result("sync_file_info_kept_fence", st == 1, "status %d, expected 1", st);
	result("sync_file_names", !strcmp(drv, "nvghost/nvghost-channel"),
	       "driver/timeline '%s', expected 'nvghost/nvghost-channel'", drv);
	st = fence_status(so_sf, 0, NULL, 0);
	result("syncobj_sync_file_info", st == 1, "status %d, expected 1", st);
	close(so_fd);
	close(so_sf);
	close(sf);
	/* The last fence's release drops the module reference after a grace period. */
	for (i = 0; i < 100; i++) {
		st = run("rmmod nvghost 2>/dev/null");
		if (!st)
			break;
		usleep(50000);
	}
	result("rmmod_after_fences_closed", st == 0, "rmmod still refused after 5 s");
	return failures;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "unplug"))
		return do_unplug(argc >= 3 ? atoi(argv[2]) : 1);
	if (argc >= 2 && !strcmp(argv[1], "fence-rmmod"))
		return do_fence_rmmod();
	fprintf(stderr, "usage: unplug_test unplug [N] | fence-rmmod\n");
	return 2;
}
