// SPDX-License-Identifier: GPL-2.0
/*
 * submit_test - command submission against the real driver, in the VM.
 *
 *   submit_test DEVICE basic      copies (a matrix of sizes, offsets and
 *                                 placements; 2D pitched), fills, compute,
 *                                 semaphores, fences (syncobjs, timeline
 *                                 points, sync files), a dma-buf shared by
 *                                 two clients, 8 clients at once, and one
 *                                 check per validation rule
 *   submit_test DEVICE priority CARD
 *                                 who may create HIGH-priority channels:
 *                                 CAP_SYS_NICE or the DRM master (CARD, the
 *                                 card node, must have no master yet)
 *   submit_test DEVICE recovery [N]
 *                                 injected hang, MMU fault and lost
 *                                 interrupt, each N times (default 1); load
 *                                 the module with a short job_timeout_ms
 *
 * Prints "PASS: name" or "FAIL: name: why" per check; exits with the number
 * of failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "nvghost_chip.h"
#include "nvghost_pb.h"
#include "nvghost_drm.h"
#include "check.h"

static u32 copy_class, compute_class;

typedef unsigned char u8;

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

#include "gpu.h"

/* Unmap from the GPU (waits for the VM's jobs) and the CPU, then close. */
static void bo_free(int fd, struct bo *bo)
{
	struct drm_nvghost_vm_bind b = { .op = DRM_NVGHOST_VM_BIND_UNMAP, .va = bo->va,
					 .range = bo->size };
	struct drm_gem_close cl = { .handle = bo->handle };

	if (!bo->handle)
		return;
	if (bo->va)
		drmIoctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, &b);
	if (bo->cpu)
		munmap(bo->cpu, bo->size);
	drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	memset(bo, 0, sizeof(*bo));
}

static void pb_init(struct pb *pb, struct bo *bo)
{
	pb->bo = bo;
	pb->dw = bo->cpu;
	pb->n = 0;
}

#define SUBCH	4

static void emit_copy(struct pb *pb, u64 src, u64 dst, u32 len, u64 sem, u32 payload)
{
	emit(pb, SUBCH, NVG_COPY_OFFSET_IN_UPPER, 4, (u32)(src >> 32), (u32)src,
	     (u32)(dst >> 32), (u32)dst);
	emit(pb, SUBCH, NVG_COPY_LINE_LENGTH_IN, 1, len);
	emit(pb, SUBCH, NVG_COPY_SET_SEMAPHORE_A, 3, (u32)(sem >> 32), (u32)sem, payload);
	emit(pb, SUBCH, NVG_COPY_LAUNCH_DMA, 1,
	     NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED |
	     NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH | NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH |
	     NVG_LAUNCH_DMA_SEMAPHORE_TYPE(NVG_LAUNCH_DMA_SEMAPHORE_TYPE_ONE_WORD));
}

static void emit_fill(struct pb *pb, u64 dst, u32 words, u32 value)
{
	u32 comps = (NVG_REMAP_CONST_A << NVG_REMAP_DST_SHIFT(0)) |
		    (3u << NVG_REMAP_COMPONENT_SIZE_SHIFT);	/* 4-byte components */

	emit(pb, SUBCH, NVG_COPY_SET_REMAP_CONST_A, 1, value);
	emit(pb, SUBCH, NVG_COPY_SET_REMAP_COMPONENTS, 1, comps);
	emit(pb, SUBCH, NVG_COPY_OFFSET_OUT_UPPER, 2, (u32)(dst >> 32), (u32)dst);
	emit(pb, SUBCH, NVG_COPY_LINE_LENGTH_IN, 1, words);
	emit(pb, SUBCH, NVG_COPY_LAUNCH_DMA, 1,
	     NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED | NVG_LAUNCH_DMA_REMAP_ENABLE |
	     NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH | NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH);
}

static void emit_host_sem(struct pb *pb, u32 subch, u64 va, u32 payload, bool acquire)
{
	emit(pb, subch, NVG_HOST_SEM_ADDR_LO, 4, (u32)va, (u32)(va >> 32), payload, 0);
	emit(pb, subch, NVG_HOST_SEM_EXECUTE, 1, acquire ? 2u : 1u);	/* ACQ_STRICT_GEQ / RELEASE */
}

/* Compute: spin for @cycles engine cycles, then fill @size bytes at @va. */
static void emit_busy_fill(struct pb *pb, u64 cycles, u64 va, u32 size, u32 value)
{
	emit(pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
	emit(pb, 0, NVGC_SET_CYCLES_LO, 2, (u32)cycles, (u32)(cycles >> 32));
	emit(pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_BUSY);
	emit(pb, 0, NVGC_SET_ADDR_HI, 4, (u32)(va >> 32), (u32)va, size, value);
	emit(pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_FILL);
}

/* ~100 ms of the ad102's 2.52 GHz compute clock. */
#define BUSY_100MS	252000000ULL

static void ctx_del(int fd, int ctx)
{
	struct drm_nvghost_ctx_destroy d = { .ctx_id = ctx };

	if (ctx > 0)
		drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_DESTROY, &d);
}

/* Submit @pb's dwords on @ctx; returns the ioctl's -errno, and a sync file. */
static int submit(int fd, u32 ctx, struct pb *pb, u32 first, int *sync_fd)
{
	u64 entry = nvg_gpfifo_entry_encode(pb->bo->va + first * 4, pb->n - first, 0);
	struct drm_nvghost_submit s = {
		.ctx_id = ctx,
		.gpfifo = (uintptr_t)&entry,
		.gpfifo_count = 1,
		.flags = sync_fd ? DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE : 0,
	};

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s))
		return -errno;
	if (sync_fd)
		*sync_fd = s.fence_fd;
	return 0;
}

/* The same with every field of the ioctl under the caller's control. */
static int submit_args(int fd, struct drm_nvghost_submit *s)
{
	return drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, s) ? -errno : 0;
}

/*
 * Wait for a sync file and close it. Returns its status: 1 signalled, <0
 * its error, 0 if it did not signal within @timeout_ms.
 */
static int fence_wait(int sync_fd, int timeout_ms)
{
	struct pollfd p = { .fd = sync_fd, .events = POLLIN };
	struct sync_file_info info = {};
	int st;

	if (poll(&p, 1, timeout_ms) != 1) {
		close(sync_fd);
		return 0;
	}
	st = ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info) ? -errno : info.status;
	close(sync_fd);
	return st;
}

/* ---- data patterns: not periodic, so a shifted copy does not match ---- */

static u32 pat(u32 seed, u32 i)
{
	u32 x = seed * 0x9e3779b1u + i * 0x85ebca6bu;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	return x ^ (x >> 12);
}

static void fill_pat(void *p, u64 bytes, u32 seed)
{
	u32 *w = p;
	u64 i;

	for (i = 0; i < bytes / 4; i++)
		w[i] = pat(seed, i);
	for (i = bytes & ~3ULL; i < bytes; i++)
		((u8 *)p)[i] = (u8)pat(seed, i);
}

/* Bytes of [a, a + n) that differ from [b, b + n); the first at *first. */
static u64 count_diff(const u8 *a, const u8 *b, u64 n, u64 *first)
{
	u64 i, bad = 0;

	*first = 0;
	if (!memcmp(a, b, n))
		return 0;
	for (i = 0; i < n; i++) {
		if (a[i] != b[i] && !bad++)
			*first = i;
	}
	return bad;
}

static const char *pl_name(u32 placement)
{
	return placement == DRM_NVGHOST_PLACEMENT_VRAM ? "vram" : "sys";
}

/* ---- copies ---- */

/*
 * Copy @len bytes from offset @soff of one object to offset @doff of
 * another; check every byte, the bytes either side, and the semaphore.
 */
static void check_copy(int fd, u32 src_place, u32 dst_place, u32 len, u32 soff, u32 doff,
		       const char *name)
{
	struct bo src, dst, pbo;
	struct pb pb;
	u64 bad, first;
	int ctx, sf, st;
	double t0, t1;
	u8 *s, *d;

	if (bo_new(fd, &src, (u64)soff + len + 64, src_place, 0) ||
	    bo_new(fd, &dst, (u64)doff + len + 64, dst_place, 0) ||
	    bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "buffer setup: %s", strerror(errno));
		goto out;
	}
	s = src.cpu;
	d = dst.cpu;
	fill_pat(s, src.size, len ^ soff);
	memset(d, 0xee, dst.size);
	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_copy(&pb, src.va + soff, dst.va + doff, len, pbo.va + 2048, 0x1234);
	t0 = now_s();
	st = submit(fd, ctx, &pb, 0, &sf);
	if (st) {
		fail(name, "submit: %s", strerror(-st));
		goto out_ctx;
	}
	st = fence_wait(sf, 60000);
	t1 = now_s();
	bad = count_diff(d + doff, s + soff, len, &first);
	if (st != 1)
		fail(name, "fence status %d", st);
	else if (bad)
		fail(name, "%llu of %u bytes wrong, the first at offset %llu",
		     (unsigned long long)bad, len, (unsigned long long)first);
	else if (d[doff + len] != 0xee || (doff && d[doff - 1] != 0xee))
		fail(name, "a byte next to the range was written");
	else if (((u32 *)pbo.cpu)[512] != 0x1234)
		fail(name, "semaphore not released (0x%x)", ((u32 *)pbo.cpu)[512]);
	else
		pass(name);
	if (len >= (32u << 20))
		printf("# %s: %u MiB in %.2f s\n", name, len >> 20, t1 - t0);
out_ctx:
	ctx_del(fd, ctx);
out:
	bo_free(fd, &src);
	bo_free(fd, &dst);
	bo_free(fd, &pbo);
}

/* Every size at unaligned offsets, in every direction. */
static void check_copy_matrix(int fd)
{
	static const struct {
		u32 len, soff, doff;
		const char *label;
	} sizes[] = {
		{ 1, 4095, 1, "1B" },			/* last byte of a page */
		{ 4097, 3, 4094, "4097B" },		/* three pages each side */
		{ (1 << 20) + 3, 4093, 7, "1MiB_plus_3" },
		{ 64 << 20, 1, 4093, "64MiB" },
	};
	static const u32 pl[4][2] = {
		{ DRM_NVGHOST_PLACEMENT_VRAM, DRM_NVGHOST_PLACEMENT_VRAM },
		{ DRM_NVGHOST_PLACEMENT_VRAM, DRM_NVGHOST_PLACEMENT_SYSTEM },
		{ DRM_NVGHOST_PLACEMENT_SYSTEM, DRM_NVGHOST_PLACEMENT_VRAM },
		{ DRM_NVGHOST_PLACEMENT_SYSTEM, DRM_NVGHOST_PLACEMENT_SYSTEM },
	};
	char name[64];
	double t0 = now_s();
	u32 i, j;

	for (i = 0; i < 4; i++) {
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			snprintf(name, sizeof(name), "copy_%s_to_%s_%s", pl_name(pl[i][0]),
				 pl_name(pl[i][1]), sizes[j].label);
			check_copy(fd, pl[i][0], pl[i][1], sizes[j].len, sizes[j].soff,
				   sizes[j].doff, name);
		}
	}
	printf("# copy matrix: %.1f s\n", now_s() - t0);
}

/*
 * A 2D copy: @lines lines of @len bytes, @pin apart in the source and
 * @pout apart in the destination, both at odd offsets. Checked line by
 * line, and the gaps between destination lines must be left alone.
 */
static void check_copy_2d(int fd, u32 src_place, u32 dst_place, u32 len, u32 lines,
			  u32 pin, u32 pout, u32 soff, u32 doff, const char *name)
{
	struct bo src, dst, pbo;
	struct pb pb;
	u64 bad, first;
	int ctx, sf, st;
	u32 l, j;
	u8 *s, *d;

	if (bo_new(fd, &src, (u64)soff + (u64)pin * lines + 64, src_place, 0) ||
	    bo_new(fd, &dst, (u64)doff + (u64)pout * lines + 64, dst_place, 0) ||
	    bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "buffer setup: %s", strerror(errno));
		goto out;
	}
	s = src.cpu;
	d = dst.cpu;
	fill_pat(s, src.size, 0x2d);
	memset(d, 0xee, dst.size);
	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit(&pb, SUBCH, NVG_COPY_OFFSET_IN_UPPER, 8,
	     (u32)((src.va + soff) >> 32), (u32)(src.va + soff),
	     (u32)((dst.va + doff) >> 32), (u32)(dst.va + doff), pin, pout, len, lines);
	emit(&pb, SUBCH, NVG_COPY_LAUNCH_DMA, 1,
	     NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED | NVG_LAUNCH_DMA_MULTI_LINE_ENABLE |
	     NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH | NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH);
	st = submit(fd, ctx, &pb, 0, &sf);
	if (st) {
		fail(name, "submit: %s", strerror(-st));
		goto out_ctx;
	}
	st = fence_wait(sf, 10000);
	if (st != 1) {
		fail(name, "fence status %d", st);
		goto out_ctx;
	}
	if (doff && d[doff - 1] != 0xee) {
		fail(name, "the byte before line 0 was written");
		goto out_ctx;
	}
	for (l = 0; l < lines; l++) {
		u8 *dl = d + doff + (u64)l * pout;

		bad = count_diff(dl, s + soff + (u64)l * pin, len, &first);
		if (bad) {
			fail(name, "line %u: %llu of %u bytes wrong, the first at %llu", l,
			     (unsigned long long)bad, len, (unsigned long long)first);
			goto out_ctx;
		}
		/* The gap after the line (after the last line: one byte). */
		for (j = len; j < (l + 1 < lines ? pout : len + 1); j++) {
			if (dl[j] != 0xee) {
				fail(name, "line %u: gap byte %u written", l, j);
				goto out_ctx;
			}
		}
	}
	pass(name);
out_ctx:
	ctx_del(fd, ctx);
out:
	bo_free(fd, &src);
	bo_free(fd, &dst);
	bo_free(fd, &pbo);
}

static void check_fill_and_compute(int fd)
{
	struct bo buf, pbo;
	struct pb pb;
	int ctx, sf, st;
	u32 i, bad = 0, sum;

	if (bo_new(fd, &buf, 1 << 20, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail("fill_setup", "%s", strerror(errno));
		return;
	}
	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_fill(&pb, buf.va, (1 << 20) / 4, 0xcafef00d);
	st = submit(fd, ctx, &pb, 0, &sf);
	st = st ? st : fence_wait(sf, 10000);
	for (i = 0; i < (1 << 20) / 4; i++)
		bad += ((u32 *)buf.cpu)[i] != 0xcafef00d;
	if (st != 1 || bad)
		fail("copy_engine_fill_1MiB", "status %d, %u words wrong", st, bad);
	else
		pass("copy_engine_fill_1MiB");

	/* Compute channel: fill, checksum, busy. */
	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	pb_init(&pb, &pbo);
	emit(&pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
	emit(&pb, 0, NVGC_SET_ADDR_HI, 4, (u32)(buf.va >> 32), (u32)buf.va, 65536, 0x01020304);
	emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_FILL);
	emit(&pb, 0, NVGC_SET_RESULT_HI, 2, (u32)((pbo.va + 3072) >> 32), (u32)(pbo.va + 3072));
	emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_CHECKSUM);
	emit(&pb, 0, NVGC_SET_CYCLES_LO, 2, 1000000, 0);
	emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_BUSY);
	st = submit(fd, ctx, &pb, 0, &sf);
	st = st ? st : fence_wait(sf, 10000);
	sum = nvg_fnv1a32(buf.cpu, 65536, NVG_FNV1A32_INIT);
	if (st != 1)
		fail("compute_fill_checksum_busy", "status %d", st);
	else if (((u32 *)buf.cpu)[0] != 0x01020304 || ((u32 *)buf.cpu)[16383] != 0x01020304)
		fail("compute_fill_checksum_busy", "fill wrong");
	else if (((u32 *)pbo.cpu)[768] != sum)
		fail("compute_fill_checksum_busy", "checksum 0x%08x, expected 0x%08x",
		     ((u32 *)pbo.cpu)[768], sum);
	else
		pass("compute_fill_checksum_busy");
}

/* Channel A waits on a semaphore that channel B, submitted later, releases. */
static void check_semaphore_order(int fd)
{
	struct bo sem, pa, pbb;
	struct pb a, b;
	int ca, cb, fa, fb, sa, sb;

	if (bo_new(fd, &sem, 4096, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &pa, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(fd, &pbb, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail("semaphore_setup", "%s", strerror(errno));
		return;
	}
	memset(sem.cpu, 0, 64);
	ca = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	cb = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	pb_init(&a, &pa);
	emit(&a, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_host_sem(&a, SUBCH, sem.va, 1, true);	/* wait for B */
	emit_host_sem(&a, SUBCH, sem.va + 16, 2, false);	/* then mark */
	pb_init(&b, &pbb);
	emit(&b, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_host_sem(&b, SUBCH, sem.va, 1, false);
	if (submit(fd, ca, &a, 0, &fa)) {
		fail("semaphore_cross_channel", "submit A");
		return;
	}
	usleep(100000);
	if (fence_wait(dup(fa), 0) != 0) {
		fail("semaphore_cross_channel", "A finished before B released");
		return;
	}
	if (submit(fd, cb, &b, 0, &fb)) {
		fail("semaphore_cross_channel", "submit B");
		return;
	}
	sb = fence_wait(fb, 10000);
	sa = fence_wait(fa, 10000);
	if (sa != 1 || sb != 1 || ((u32 *)sem.cpu)[4] != 2)
		fail("semaphore_cross_channel", "A %d B %d mark %u", sa, sb, ((u32 *)sem.cpu)[4]);
	else
		pass("semaphore_cross_channel");
}

/* ---- fences ---- */

/* Words of @p (@bytes long) that are not @v. */
static u32 words_not(const void *p, u32 bytes, u32 v)
{
	const u32 *w = p;
	u32 i, bad = 0;

	for (i = 0; i < bytes / 4; i++)
		bad += w[i] != v;
	return bad;
}

/* SUBMIT takes syncobjs: the device must let its clients make them. */
static void check_syncobj_create(int fd)
{
	u32 h, ht = 0;

	if (drmSyncobjCreate(fd, 0, &h)) {
		fail("syncobj_create", "%s (does the driver set DRIVER_SYNCOBJ?)", strerror(errno));
		return;
	}
	drmSyncobjDestroy(fd, h);
	pass("syncobj_create");
	/* A timeline point can be signalled from user space only with timelines. */
	if (drmSyncobjCreate(fd, 0, &ht) || drmSyncobjTimelineSignal(fd, &ht, &(uint64_t){ 1 }, 1))
		fail("syncobj_timeline_supported", "%s (does the driver set DRIVER_SYNCOBJ_TIMELINE?)",
		     strerror(errno));
	else
		pass("syncobj_timeline_supported");
	if (ht)
		drmSyncobjDestroy(fd, ht);
}

/*
 * Job A (compute) spins ~100 ms and then fills X; job B (copy engine, so
 * nothing but the fence orders it after A) copies X to Y. B must see A's
 * fill: it waited.
 */
static void check_fence_in_syncobj(int fd)
{
	const char *name = "fence_in_syncobj_orders_jobs";
	struct bo x, y, pa, pbb;
	struct pb a, b;
	struct drm_nvghost_sync out = {}, in = {};
	struct drm_nvghost_submit s = {};
	u64 ea, eb;
	int ca, cb, fa, st;
	u32 h;

	if (drmSyncobjCreate(fd, 0, &h)) {
		fail(name, "cannot create a syncobj: %s (see syncobj_create)", strerror(errno));
		return;
	}
	if (bo_new(fd, &x, 65536, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &y, 65536, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &pa, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(fd, &pbb, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	ca = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	cb = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	pb_init(&a, &pa);
	emit_busy_fill(&a, BUSY_100MS, x.va, 65536, 0x600df00d);
	pb_init(&b, &pbb);
	emit(&b, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_copy(&b, x.va, y.va, 65536, pbb.va + 2048, 7);
	ea = nvg_gpfifo_entry_encode(pa.va, a.n, 0);
	eb = nvg_gpfifo_entry_encode(pbb.va, b.n, 0);

	out.handle = h;
	s = (struct drm_nvghost_submit){ .ctx_id = ca, .gpfifo = (uintptr_t)&ea, .gpfifo_count = 1,
					 .out_sync_count = 1, .out_syncs = (uintptr_t)&out,
					 .flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
	st = submit_args(fd, &s);
	if (st) {
		fail(name, "submit A: %s", strerror(-st));
		return;
	}
	fa = s.fence_fd;
	in.handle = h;
	s = (struct drm_nvghost_submit){ .ctx_id = cb, .gpfifo = (uintptr_t)&eb, .gpfifo_count = 1,
					 .in_sync_count = 1, .in_syncs = (uintptr_t)&in,
					 .flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
	st = submit_args(fd, &s);
	if (st) {
		fail(name, "submit B: %s", strerror(-st));
		return;
	}
	st = fence_wait(s.fence_fd, 10000);
	if (st != 1 || fence_wait(fa, 10000) != 1)
		fail(name, "B's status %d", st);
	else if (words_not(y.cpu, 65536, 0x600df00d))
		fail(name, "B did not see A's data: %u words wrong (B ran before A finished)",
		     words_not(y.cpu, 65536, 0x600df00d));
	else
		pass(name);
	drmSyncobjDestroy(fd, h);
	ctx_del(fd, ca);
	ctx_del(fd, cb);
}

/*
 * A channel stays in order when a job without dependencies follows one that
 * waits for a fence (the fast path must not let it overtake): on channel Q,
 * B waits (syncobj) for A, a 100 ms job on another channel, and releases 1;
 * C, with no dependency, is submitted right after and releases 2. The
 * semaphore must end as 2, and C's fence must not signal before B's.
 */
static void check_order_behind_dependency(int fd)
{
	const char *name = "fast_path_order_behind_dependency";
	struct bo x, sem, pa, pq;
	struct pb a, b, c;
	struct drm_nvghost_sync out = {}, in = {};
	struct drm_nvghost_submit s = {};
	u64 ea, eb, ec;
	int ca, cq, fa, fb, fc, st, c_done;
	u32 h, sem0;

	if (drmSyncobjCreate(fd, 0, &h)) {
		fail(name, "cannot create a syncobj: %s", strerror(errno));
		return;
	}
	if (bo_new(fd, &x, 65536, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &sem, 4096, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &pa, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(fd, &pq, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	memset(sem.cpu, 0, 64);
	ca = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	cq = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	pb_init(&a, &pa);
	emit_busy_fill(&a, BUSY_100MS, x.va, 65536, 0x600df00d);
	/* B at dword 0 of pq, C at dword 256. */
	pb_init(&b, &pq);
	emit(&b, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_host_sem(&b, SUBCH, sem.va, 1, false);
	c = (struct pb){ .dw = (u32 *)pq.cpu + 256 };
	emit_host_sem(&c, SUBCH, sem.va, 2, false);
	ea = nvg_gpfifo_entry_encode(pa.va, a.n, 0);
	eb = nvg_gpfifo_entry_encode(pq.va, b.n, 0);
	ec = nvg_gpfifo_entry_encode(pq.va + 1024, c.n, 0);

	out.handle = h;
	s = (struct drm_nvghost_submit){ .ctx_id = ca, .gpfifo = (uintptr_t)&ea, .gpfifo_count = 1,
					 .out_sync_count = 1, .out_syncs = (uintptr_t)&out,
					 .flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
	st = submit_args(fd, &s);
	fa = s.fence_fd;
	in.handle = h;
	if (!st) {
		s = (struct drm_nvghost_submit){ .ctx_id = cq, .gpfifo = (uintptr_t)&eb,
						 .gpfifo_count = 1, .in_sync_count = 1,
						 .in_syncs = (uintptr_t)&in,
						 .flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
		st = submit_args(fd, &s);
		fb = s.fence_fd;
	}
	if (!st) {
		s = (struct drm_nvghost_submit){ .ctx_id = cq, .gpfifo = (uintptr_t)&ec,
						 .gpfifo_count = 1,
						 .flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
		st = submit_args(fd, &s);
		fc = s.fence_fd;
	}
	if (st) {
		fail(name, "submit: %s", strerror(-st));
		return;
	}
	/*
	 * While A runs, neither B nor C may have run. Looked at, then A's
	 * fence: if A is still running after the look, it was during it. A
	 * slow guest (the debug kernel) can take A's 100 ms to submit B and
	 * C; then only the end state below tells the order.
	 */
	c_done = fence_wait(dup(fc), 0);
	sem0 = *(volatile u32 *)sem.cpu;
	if (fence_wait(dup(fa), 0) != 0)
		printf("# %s: A finished before B and C were submitted and looked at: the end state alone tells the order\n",
		       name);
	else if (c_done != 0 || sem0 != 0) {
		fail(name, "C ran before A finished and B ran (semaphore %u, C's fence status %d, expected 0 and 0)",
		     sem0, c_done);
		return;
	}
	st = fence_wait(fc, 10000);
	if (st != 1 || fence_wait(fb, 10000) != 1 || fence_wait(fa, 10000) != 1)
		fail(name, "fences did not all signal without error (C's status %d)", st);
	else if (*(volatile u32 *)sem.cpu != 2)
		fail(name, "semaphore %u after all three, expected 2 (C ran before B)",
		     *(volatile u32 *)sem.cpu);
	else
		pass(name);
	drmSyncobjDestroy(fd, h);
	ctx_del(fd, ca);
	ctx_del(fd, cq);
}

/* A job signals timeline point 5, then another point 7; wait for each. */
static void check_fence_timeline(int fd)
{
	const char *name = "fence_timeline_out_syncobj";
	struct bo x, pa;
	struct pb a;
	struct drm_nvghost_sync out = {};
	struct drm_nvghost_submit s = {};
	uint64_t point, value = 0;
	int ctx, st, st0;
	u32 h, first;
	u64 e;

	if (drmSyncobjCreate(fd, 0, &h)) {
		fail(name, "cannot create a syncobj: %s (see syncobj_create)", strerror(errno));
		return;
	}
	if (bo_new(fd, &x, 65536, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &pa, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	pb_init(&a, &pa);
	emit_busy_fill(&a, BUSY_100MS, x.va, 65536, 0x7117e5);
	e = nvg_gpfifo_entry_encode(pa.va, a.n, 0);
	out = (struct drm_nvghost_sync){ .handle = h, .point = 5 };
	s = (struct drm_nvghost_submit){ .ctx_id = ctx, .gpfifo = (uintptr_t)&e, .gpfifo_count = 1,
					 .out_sync_count = 1, .out_syncs = (uintptr_t)&out };
	st = submit_args(fd, &s);
	if (st) {
		fail(name, "submit: %s", strerror(-st));
		return;
	}
	point = 5;
	/* Not yet: the job spins for 100 ms. */
	st0 = drmSyncobjTimelineWait(fd, &h, &point, 1, 0, 0, &first);
	st = drmSyncobjTimelineWait(fd, &h, &point, 1, (int64_t)((now_s() + 10) * 1e9), 0,
				    &first);
	if (st0 != -ETIME)
		fail(name, "point 5 signalled before the job ran (wait: %s)", strerror(-st0));
	else if (st)
		fail(name, "waiting for point 5: %s", strerror(-st));
	else if (words_not(x.cpu, 65536, 0x7117e5))
		fail(name, "point 5 signalled but the job's fill is not complete");
	else if (drmSyncobjQuery(fd, &h, &value, 1) || value != 5)
		fail(name, "the timeline is at %llu, expected 5", (unsigned long long)value);
	else
		pass(name);

	/* The next point, from a second job: the timeline advances to 7. */
	pb_init(&a, &pa);
	emit_busy_fill(&a, 1000, x.va, 65536, 0x7117e7);
	e = nvg_gpfifo_entry_encode(pa.va, a.n, 0);
	out.point = 7;
	st = submit_args(fd, &s);
	point = 7;
	if (!st)
		st = drmSyncobjTimelineWait(fd, &h, &point, 1, (int64_t)((now_s() + 10) * 1e9),
					    0, &first);
	if (st)
		fail("fence_timeline_next_point", "%s", strerror(-st));
	else if (drmSyncobjQuery(fd, &h, &value, 1) || value != 7)
		fail("fence_timeline_next_point", "the timeline is at %llu, expected 7",
		     (unsigned long long)value);
	else if (words_not(x.cpu, 65536, 0x7117e7))
		fail("fence_timeline_next_point", "the second fill is not complete");
	else
		pass("fence_timeline_next_point");
	drmSyncobjDestroy(fd, h);
	ctx_del(fd, ctx);
}

/* Job B takes job A's OUT_SYNC_FILE as its IN_SYNC_FILE, and gives its own. */
static void check_fence_in_sync_file(int fd)
{
	const char *name = "fence_in_sync_file";
	struct bo x, y, pa, pbb;
	struct pb a, b;
	struct drm_nvghost_submit s = {};
	u64 eb;
	int ca, cb, fa, st;

	if (bo_new(fd, &x, 65536, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(fd, &y, 65536, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &pa, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(fd, &pbb, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	ca = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	cb = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	pb_init(&a, &pa);
	emit_busy_fill(&a, BUSY_100MS, x.va, 65536, 0x5f11e00d);
	pb_init(&b, &pbb);
	emit(&b, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_copy(&b, x.va, y.va, 65536, pbb.va + 2048, 7);
	eb = nvg_gpfifo_entry_encode(pbb.va, b.n, 0);
	st = submit(fd, ca, &a, 0, &fa);
	if (st) {
		fail(name, "submit A: %s", strerror(-st));
		return;
	}
	s = (struct drm_nvghost_submit){ .ctx_id = cb, .gpfifo = (uintptr_t)&eb, .gpfifo_count = 1,
					 .fence_fd = fa,
					 .flags = DRM_NVGHOST_SUBMIT_IN_SYNC_FILE |
						  DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
	st = submit_args(fd, &s);
	if (st) {
		fail(name, "submit B: %s", strerror(-st));
		close(fa);
		return;
	}
	if (s.fence_fd == fa || s.fence_fd < 0) {
		fail(name, "B's out fence fd %d (A's was %d)", s.fence_fd, fa);
		close(fa);
		return;
	}
	st = fence_wait(s.fence_fd, 10000);
	if (st != 1)
		fail(name, "B's status %d", st);
	else if (fence_wait(fa, 0) != 1)
		fail(name, "B completed before A");
	else if (words_not(y.cpu, 65536, 0x5f11e00d))
		fail(name, "B did not see A's data: %u words wrong",
		     words_not(y.cpu, 65536, 0x5f11e00d));
	else
		pass(name);
	ctx_del(fd, ca);
	ctx_del(fd, cb);
}

/* One rejection per sync rule of SUBMIT; everything else is valid. */
static void check_fence_rejections(int fd)
{
	static struct drm_nvghost_sync syncs[DRM_NVGHOST_MAX_SYNCS + 1];
	static u64 entries[DRM_NVGHOST_MAX_GPFIFO_ENTRIES + 1];
	struct drm_nvghost_submit s, base;
	struct bo pbo;
	struct pb pb;
	int ctx, sf, devnull, st;
	u32 h, i;

	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	if (ctx < 0 || bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail("fence_reject_setup", "%s", strerror(errno));
		return;
	}
	/* Without syncobjs only the last check below needs one. */
	if (drmSyncobjCreate(fd, DRM_SYNCOBJ_CREATE_SIGNALED, &h))
		h = 0;
	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_host_sem(&pb, SUBCH, pbo.va + 2048, 1, false);
	entries[0] = nvg_gpfifo_entry_encode(pbo.va, pb.n, 0);
	base = (struct drm_nvghost_submit){ .ctx_id = ctx, .gpfifo = (uintptr_t)entries,
					    .gpfifo_count = 1 };
	for (i = 0; i <= DRM_NVGHOST_MAX_SYNCS; i++)
		syncs[i] = (struct drm_nvghost_sync){ .handle = h };

	/* The baseline, with a sync file out to use below. */
	s = base;
	s.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE;
	st = submit_args(fd, &s);
	expect_errno("submit_baseline", st, 0);
	if (st)
		return;
	sf = s.fence_fd;

	s = base;
	s.fence_fd = sf;
	expect_errno("reject_fence_fd_without_flag", submit_args(fd, &s), EINVAL);

	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	s = base;
	s.flags = DRM_NVGHOST_SUBMIT_IN_SYNC_FILE;
	s.fence_fd = devnull;
	expect_errno("reject_in_sync_file_not_a_fence", submit_args(fd, &s), EINVAL);
	s.fence_fd = 1000;	/* not open */
	expect_errno("reject_in_sync_file_bad_fd", submit_args(fd, &s), EINVAL);
	close(devnull);

	s = base;
	syncs[0].handle = 0x7ffffff0;
	s.in_sync_count = 1;
	s.in_syncs = (uintptr_t)syncs;
	expect_errno("reject_unknown_in_syncobj", submit_args(fd, &s), ENOENT);
	s = base;
	s.out_sync_count = 1;
	s.out_syncs = (uintptr_t)syncs;
	expect_errno("reject_unknown_out_syncobj", submit_args(fd, &s), ENOENT);
	syncs[0].handle = h;

	syncs[0].flags = 1;
	s = base;
	s.in_sync_count = 1;
	s.in_syncs = (uintptr_t)syncs;
	expect_errno("reject_in_sync_flags", submit_args(fd, &s), EINVAL);
	s = base;
	s.out_sync_count = 1;
	s.out_syncs = (uintptr_t)syncs;
	expect_errno("reject_out_sync_flags", submit_args(fd, &s), EINVAL);
	syncs[0].flags = 0;

	s = base;
	s.in_sync_count = 1;
	s.in_syncs = 8;		/* unmapped user address */
	expect_errno("reject_in_syncs_bad_pointer", submit_args(fd, &s), EFAULT);
	s = base;
	s.out_sync_count = 1;
	s.out_syncs = 8;
	expect_errno("reject_out_syncs_bad_pointer", submit_args(fd, &s), EFAULT);

	s = base;
	s.in_sync_count = DRM_NVGHOST_MAX_SYNCS + 1;
	s.in_syncs = (uintptr_t)syncs;
	expect_errno("reject_in_sync_count_over_max", submit_args(fd, &s), EINVAL);
	s = base;
	s.out_sync_count = DRM_NVGHOST_MAX_SYNCS + 1;
	s.out_syncs = (uintptr_t)syncs;
	expect_errno("reject_out_sync_count_over_max", submit_args(fd, &s), EINVAL);
	/* The limits themselves are accepted. */
	s = base;
	s.in_sync_count = DRM_NVGHOST_MAX_SYNCS;
	s.in_syncs = (uintptr_t)syncs;
	s.out_sync_count = DRM_NVGHOST_MAX_SYNCS;
	s.out_syncs = (uintptr_t)syncs;
	s.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE;
	if (!h) {
		fail("submit_max_syncs_accepted", "no syncobj (see syncobj_create)");
	} else {
		st = submit_args(fd, &s);
		if (!st)
			st = fence_wait(s.fence_fd, 10000) == 1 ? 0 : -EIO;
		expect_errno("submit_max_syncs_accepted", st, 0);
	}

	for (i = 1; i <= DRM_NVGHOST_MAX_GPFIFO_ENTRIES; i++)
		entries[i] = nvg_gpfifo_entry_encode(0, 0, 0);	/* control NOPs */
	s = base;
	s.gpfifo_count = DRM_NVGHOST_MAX_GPFIFO_ENTRIES + 1;
	expect_errno("reject_gpfifo_count_over_max", submit_args(fd, &s), EINVAL);
	s.gpfifo_count = DRM_NVGHOST_MAX_GPFIFO_ENTRIES;
	s.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE;
	st = submit_args(fd, &s);
	if (!st)
		st = fence_wait(s.fence_fd, 10000) == 1 ? 0 : -EIO;
	expect_errno("submit_max_gpfifo_entries_accepted", st, 0);

	close(sf);
	if (h)
		drmSyncobjDestroy(fd, h);
	ctx_del(fd, ctx);
}

/* ---- sharing ---- */

/*
 * Client A exports a VRAM object; client B (a second open of the device)
 * imports it, maps it in its own VM and fills it with its copy engine; A
 * sees the fill through its own CPU mapping.
 */
static void check_dmabuf_share(int fd_a, const char *path)
{
	const char *name = "dmabuf_gpu_fill_seen_by_exporter";
	struct drm_nvghost_gem_create c = { .size = 256 * 1024,
					    .placement = DRM_NVGHOST_PLACEMENT_VRAM };
	struct drm_nvghost_gem_info info = {};
	struct drm_nvghost_vm_bind b = { .op = DRM_NVGHOST_VM_BIND_MAP };
	struct bo pbo;
	struct pb pb;
	void *a_cpu;
	u32 hb, bad;
	int fd_b, dmabuf, ctx, sf, st;

	fd_b = open(path, O_RDWR | O_CLOEXEC);
	if (fd_b < 0) {
		fail(name, "second open: %s", strerror(errno));
		return;
	}
	if (drmIoctl(fd_a, DRM_IOCTL_NVGHOST_GEM_CREATE, &c)) {
		fail(name, "create: %s", strerror(errno));
		goto out;
	}
	info.handle = c.handle;
	if (drmIoctl(fd_a, DRM_IOCTL_NVGHOST_GEM_INFO, &info)) {
		fail(name, "info: %s", strerror(errno));
		goto out;
	}
	a_cpu = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd_a, info.mmap_offset);
	if (a_cpu == MAP_FAILED) {
		fail(name, "A's mmap: %s", strerror(errno));
		goto out;
	}
	memset(a_cpu, 0x11, info.size);
	if (drmPrimeHandleToFD(fd_a, c.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf)) {
		fail(name, "export: %s", strerror(errno));
		goto out;
	}
	if (drmPrimeFDToHandle(fd_b, dmabuf, &hb)) {
		fail(name, "import: %s", strerror(errno));
		close(dmabuf);
		goto out;
	}
	close(dmabuf);
	b.handle = hb;
	b.va = 0x3000000000ULL;
	b.range = info.size;
	if (drmIoctl(fd_b, DRM_IOCTL_NVGHOST_VM_BIND, &b)) {
		fail(name, "B's map: %s", strerror(errno));
		goto out;
	}
	ctx = ctx_new(fd_b, DRM_NVGHOST_ENGINE_COPY);
	if (ctx < 0 || bo_new(fd_b, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "B's setup: %s", strerror(ctx < 0 ? -ctx : errno));
		goto out;
	}
	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_fill(&pb, b.va, info.size / 4, 0xb0b0cafe);
	st = submit(fd_b, ctx, &pb, 0, &sf);
	st = st ? st : fence_wait(sf, 10000);
	bad = words_not(a_cpu, info.size, 0xb0b0cafe);
	if (st != 1)
		fail(name, "B's fill: status %d", st);
	else if (bad)
		fail(name, "%u of %llu words in A's mapping are not B's fill", bad,
		     (unsigned long long)info.size / 4);
	else
		pass(name);
	munmap(a_cpu, info.size);
out:
	close(fd_b);
}

/* Each of 8 processes opens the device and runs 20 copies, checking each. */
#define CLIENTS		8
#define CLIENT_JOBS	20

static int client_run(const char *path, int id, int *jobs_ok)
{
	struct bo src, dst, pbo;
	struct pb pb;
	int fd, ctx[2], sf, st, j, errs = 0;
	u64 first, bad;

	next_va = DRM_NVGHOST_VA_START;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("# client %d: open: %s\n", id, strerror(errno));
		return 1;
	}
	ctx[0] = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	ctx[1] = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	if (ctx[0] < 0 || ctx[1] < 0 ||
	    bo_new(fd, &src, 65536 + 4096, id & 1 ? DRM_NVGHOST_PLACEMENT_SYSTEM :
						    DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &dst, 65536 + 4096, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		printf("# client %d: setup: %s\n", id, strerror(errno));
		return 1;
	}
	for (j = 0; j < CLIENT_JOBS; j++) {
		u32 len = 65536 - 97 * j, soff = 13 * j, doff = 4096 - 31 * j;

		fill_pat(src.cpu, src.size, id * 1000 + j);
		memset(dst.cpu, 0, dst.size);
		pb_init(&pb, &pbo);
		emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
		emit_copy(&pb, src.va + soff, dst.va + doff, len, pbo.va + 2048, j + 1);
		st = submit(fd, ctx[j & 1], &pb, 0, &sf);
		st = st ? st : fence_wait(sf, 20000);
		bad = count_diff((u8 *)dst.cpu + doff, (u8 *)src.cpu + soff, len, &first);
		if (st == 1 && !bad && ((u32 *)pbo.cpu)[512] == (u32)j + 1) {
			jobs_ok[id]++;
		} else {
			if (!errs)
				printf("# client %d job %d: status %d, %llu bytes wrong (first at %llu), semaphore %u\n",
				       id, j, st, (unsigned long long)bad,
				       (unsigned long long)first, ((u32 *)pbo.cpu)[512]);
			errs++;
		}
	}
	close(fd);
	return errs > 125 ? 125 : errs;
}

static void check_many_clients(const char *path)
{
	char name[64];
	pid_t pids[CLIENTS];
	int i, status, bad = 0, first_bad = -1, first_status = 0, total = 0;
	double t0 = now_s();
	int *jobs_ok;	/* verified jobs per client, shared with the children */

	jobs_ok = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (jobs_ok == MAP_FAILED) {
		fail("many_clients", "mmap: %s", strerror(errno));
		return;
	}

	snprintf(name, sizeof(name), "many_clients_%dx%d", CLIENTS, CLIENT_JOBS);
	fflush(stdout);
	for (i = 0; i < CLIENTS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			int rc = client_run(path, i, jobs_ok);

			fflush(stdout);
			_exit(rc);
		}
		if (pids[i] < 0) {
			fail(name, "fork: %s", strerror(errno));
			pids[i] = 0;
			bad++;
		}
	}
	for (i = 0; i < CLIENTS; i++) {
		if (!pids[i])
			continue;
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			if (first_bad < 0) {
				first_bad = i;
				first_status = status;
			}
			bad++;
		}
	}
	for (i = 0; i < CLIENTS; i++)
		total += jobs_ok[i];
	if (bad)
		fail(name, "%d of %d clients failed; client %d: wait status 0x%x", bad, CLIENTS,
		     first_bad, first_status);
	else if (total != CLIENTS * CLIENT_JOBS)
		fail(name, "%d of %d jobs verified", total, CLIENTS * CLIENT_JOBS);
	else
		pass(name);
	munmap(jobs_ok, 4096);
	printf("# %d clients x %d jobs: %.1f s\n", CLIENTS, CLIENT_JOBS, now_s() - t0);
}

/* ---- resources ---- */

static long long file_value(const char *path, const char *key)
{
	char line[256];
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, strlen(key))) {
			v = atoll(line + strlen(key));
			break;
		}
	}
	fclose(f);
	return v;
}

#define VRAM_STATS	"/sys/kernel/debug/nvghost/gpu0/vram"

/*
 * @jobs more jobs, each waited for (after @warm ones not counted): how far
 * MemAvailable and never-written VRAM fell over them, in kB. Returns the
 * first failure's -errno (and *@at, the job), or 0.
 */
static int jobs_mem_drop(int fd, int ctx, struct pb *pb, int warm, int jobs,
			 long long *mem_kb, long long *clear_kb, int *at)
{
	long long m0 = 0, m1, c0 = 0, c1, f0 = 0, f1;
	int i, sf, st = 0;

	for (i = 0; i < jobs + warm && st == 0; i++) {
		if (i == warm) {
			f0 = file_value("/proc/meminfo", "MemFree:");
			m0 = file_value("/proc/meminfo", "MemAvailable:");
			c0 = file_value(VRAM_STATS, "free_clear: ");
		}
		st = submit(fd, ctx, pb, 0, &sf);
		if (!st)
			st = fence_wait(sf, 10000) == 1 ? 0 : -EIO;
	}
	usleep(200000);		/* let RCU-deferred frees happen */
	f1 = file_value("/proc/meminfo", "MemFree:");
	m1 = file_value("/proc/meminfo", "MemAvailable:");
	c1 = file_value(VRAM_STATS, "free_clear: ");
	printf("# completed_jobs_leave_no_memory_behind: %d jobs: MemFree %lld -> %lld kB, MemAvailable %lld -> %lld kB\n",
	       jobs, f0, f1, m0, m1);
	*mem_kb = m0 - m1;
	*clear_kb = (c0 - c1) / 1024;
	*at = i;
	return st;
}

/*
 * Completed jobs give everything back: 5000 of them, each waited for, may
 * not cost the machine memory (each job's pushbuffer copy lives in VRAM
 * for its lifetime only). A leak of one 4 KiB page per job is 20 MiB; the
 * limit is 2 MiB (a clean run here: 0 kB). MemAvailable is the whole
 * guest's, and the rest of it moves too: over one batch, -43 MiB to
 * +3.2 MiB in this suite's runs (the earlier tests' deferred frees, caches).
 * A leak per job repeats in every batch; that does not: a batch over the
 * limit is followed by a second one, and only both over it fail.
 */
static void check_jobs_leave_no_memory(int fd)
{
	const char *name = "completed_jobs_leave_no_memory_behind";
	const int jobs = 5000;
	long long m[2], c[2];
	struct bo pbo;
	struct pb pb;
	int ctx, at, st;

	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	if (ctx < 0 || bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_host_sem(&pb, SUBCH, pbo.va + 2048, 1, false);
	/* the first 100 warm the caches up */
	st = jobs_mem_drop(fd, ctx, &pb, 100, jobs, &m[0], &c[0], &at);
	if (!st && m[0] > 2048)
		st = jobs_mem_drop(fd, ctx, &pb, 0, jobs, &m[1], &c[1], &at);
	if (st)
		fail(name, "job %d: %s", at, strerror(-st));
	else if (m[0] > 2048 && m[1] > 2048)
		fail(name, "MemAvailable fell by %lld and %lld kB over two batches of %d completed jobs "
		     "(%.1f and %.1f kB per job; expected at most 2048 kB in one of them); "
		     "never-written VRAM (free_clear) fell by %lld and %lld kB", m[0], m[1], jobs,
		     (double)m[0] / jobs, (double)m[1] / jobs, c[0], c[1]);
	else
		pass(name);
	ctx_del(fd, ctx);
	bo_free(fd, &pbo);
}

/*
 * CTX_DESTROY while another process submits on the same channel (the
 * random-ioctl fuzzer's concurrent destroys): each submission either
 * fails with ENOENT or its job ends (runs, or is cancelled with an error
 * by the destruction); none may be left to an entity already destroyed,
 * whose fence would never signal (and whose file's close would then
 * wait for it for ever).
 */
static void check_destroy_race(int fd)
{
	const char *name = "ctx_destroy_racing_submits_loses_no_job";
	const int rounds = 30;
	int r, res[3], lost = 0, ended = 0, refused = 0, other = 0;
	struct bo pbo;
	struct pb pb;

	if (bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_host_sem(&pb, SUBCH, pbo.va + 2048, 1, false);
	for (r = 0; r < rounds; r++) {
		int ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY), p[2], go[2];
		char c;
		pid_t pid;

		if (ctx < 0 || pipe(p) || pipe(go)) {
			fail(name, "round %d: setup: %s", r, strerror(errno));
			break;
		}
		pid = fork();
		if (pid == 0) {
			int sfs[128], n = 0, st, i;

			close(p[0]);
			close(go[0]);
			memset(res, 0, sizeof(res));
			/* submit until refused; every job's fence must end */
			do {
				st = submit(fd, ctx, &pb, 0, &sfs[n]);
				if (!st && !n++ && go[1] >= 0) {
					/* submitting: the parent may destroy now */
					if (write(go[1], "g", 1) != 1)
						_exit(1);
					close(go[1]);
					go[1] = -1;
				}
				if (n == 128 || (st && n)) {
					for (i = 0; i < n; i++)
						res[fence_wait(sfs[i], 10000) ? 1 : 0]++;
					n = 0;
				}
			} while (!st);
			res[2] = st;
			_exit(write(p[1], res, sizeof(res)) == sizeof(res) ? 0 : 1);
		}
		close(p[1]);
		close(go[1]);
		/* once it submits (or has given up), a moment later */
		if (read(go[0], &c, 1) == 1)
			usleep(r % 7 * 300);
		close(go[0]);
		ctx_del(fd, ctx);
		memset(res, 0, sizeof(res));
		if (pid < 0 || read(p[0], res, sizeof(res)) != sizeof(res))
			res[2] = -EPIPE;
		close(p[0]);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		lost += res[0];
		ended += res[1];
		if (res[2] == -ENOENT)
			refused++;
		else
			other++;
	}
	printf("# %s: %d rounds, %d jobs ended, %d pending after 10 s, %d rounds ended by "
	       "ENOENT, %d otherwise\n", name, rounds, ended, lost, refused, other);
	result(name, lost == 0 && other == 0,
	       "expected every job submitted before the destruction to end and the next "
	       "submission to fail with ENOENT; got %d of %d jobs still pending after 10 s, "
	       "%d rounds ended otherwise", lost, lost + ended, other);
	bo_free(fd, &pbo);
}

/* ---- validation ---- */

static void check_rejections(int fd)
{
	struct bo pbo, ro;
	struct pb pb;
	int ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	u64 entry;
	struct drm_nvghost_submit s = { .ctx_id = ctx, .gpfifo = (uintptr_t)&entry,
					.gpfifo_count = 1 };
	struct drm_nvghost_ctx_create cc = {};
	struct drm_nvghost_ctx_destroy cd = {};

	if (bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(fd, &ro, 4096, DRM_NVGHOST_PLACEMENT_VRAM, DRM_NVGHOST_VM_BIND_READ_ONLY)) {
		fail("reject_setup", "%s", strerror(errno));
		return;
	}
	pb_init(&pb, &pbo);
	pb.dw[pb.n++] = 0x1000;	/* reserved bit 12 */
	expect_errno("reject_reserved_header_bit", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit(&pb, SUBCH, 0x1230, 1, 0);
	expect_errno("reject_unknown_method", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, compute_class);
	expect_errno("reject_foreign_class", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_copy(&pb, pbo.va, 0x7000000000ULL, 64, pbo.va + 2048, 1);
	expect_errno("reject_copy_to_unmapped", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_copy(&pb, pbo.va, ro.va, 64, pbo.va + 2048, 1);
	expect_errno("reject_write_to_read_only", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_copy(&pb, pbo.va + 4000, pbo.va, 200, pbo.va + 2048, 1);
	expect_errno("reject_read_past_mapping", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	entry = nvg_gpfifo_entry_encode(0x7000000000ULL, 4, 0);
	expect_errno("reject_unmapped_pushbuffer",
		     drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s) ? -errno : 0, EINVAL);
	entry = nvg_gpfifo_entry_encode(pbo.va, 1, 0);
	s.gpfifo_count = 0;
	expect_errno("reject_zero_entries",
		     drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s) ? -errno : 0, EINVAL);
	s.gpfifo_count = 1;
	s.flags = 1u << 7;
	expect_errno("reject_unknown_submit_flag",
		     drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s) ? -errno : 0, EINVAL);
	s.flags = 0;
	s.ctx_id = 999;
	expect_errno("reject_unknown_channel",
		     drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s) ? -errno : 0, ENOENT);

	cc.flags = 1;
	expect_errno("reject_ctx_create_flags",
		     drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &cc) ? -errno : 0, EINVAL);
	cc.flags = 0;
	cc.engine_class = 7;
	expect_errno("reject_ctx_create_class",
		     drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &cc) ? -errno : 0, EINVAL);
	cc.engine_class = 0;
	cc.priority = 9;
	expect_errno("reject_ctx_create_priority",
		     drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &cc) ? -errno : 0, EINVAL);
	cd.ctx_id = 999;
	expect_errno("reject_ctx_destroy_unknown",
		     drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_DESTROY, &cd) ? -errno : 0, ENOENT);
	cd.ctx_id = ctx;
	expect_errno("ctx_destroy", drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_DESTROY, &cd) ? -errno : 0, 0);
}

/* ---- recovery ---- */

/* Inject a failure into the next job of @engine through debugfs. */
static int inject(u32 engine, const char *what)
{
	char buf[64];
	FILE *f = fopen("/sys/kernel/debug/nvghost/gpu0/inject", "w");
	int ret;

	if (!f)
		return -errno;
	snprintf(buf, sizeof(buf), "%u %s\n", engine, what);
	ret = fputs(buf, f) < 0 ? -EIO : 0;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/*
 * A job whose in-fence failed must not run: A faults (injected), B waits
 * for A's sync file on another channel and must end -ECANCELED without
 * touching memory.
 */
static void check_failed_dependency(int fd)
{
	struct bo pbo, buf;
	struct pb a, b;
	struct drm_nvghost_submit s = { .gpfifo_count = 1 };
	int ca, cb, fa, sb_fd, st_a, st_b, dup_fa;
	u64 entry;

	if (bo_new(fd, &pbo, 8192, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(fd, &buf, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail("dependency_failed_setup", "%s", strerror(errno));
		return;
	}
	memset(buf.cpu, 0, 4096);
	ca = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	cb = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	pb_init(&a, &pbo);
	emit_busy_fill(&a, 1000, buf.va, 64, 0x11111111);
	pb_init(&b, &pbo);
	b.dw += 1024;	/* second page of the pushbuffer object */
	emit(&b, 4, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_fill(&b, buf.va + 1024, 16, 0x22222222);
	if (inject(0, "fault") || submit(fd, ca, &a, 0, &fa)) {
		fail("dependency_failed_cancels", "setup of A");
		return;
	}
	dup_fa = dup(fa);
	entry = nvg_gpfifo_entry_encode(pbo.va + 4096, b.n, 0);
	s.ctx_id = cb;
	s.gpfifo = (uintptr_t)&entry;
	s.flags = DRM_NVGHOST_SUBMIT_IN_SYNC_FILE | DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE;
	s.fence_fd = dup_fa;
	if (submit_args(fd, &s)) {
		fail("dependency_failed_cancels", "submit of B: %s", strerror(errno));
		return;
	}
	close(dup_fa);
	sb_fd = s.fence_fd;
	st_a = fence_wait(fa, 10000);
	st_b = fence_wait(sb_fd, 10000);
	if (st_a != -EFAULT || st_b != -ECANCELED || ((u32 *)buf.cpu)[256] != 0)
		fail("dependency_failed_cancels", "A %d, B %d, B's fill %s", st_a, st_b,
		     ((u32 *)buf.cpu)[256] ? "ran" : "did not run");
	else
		pass("dependency_failed_cancels");
	ctx_del(fd, ca);
	ctx_del(fd, cb);
}

static unsigned int module_param(const char *name, unsigned int dflt)
{
	char path[128];
	unsigned int v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/nvghost/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fscanf(f, "%u", &v) != 1)
		v = dflt;
	fclose(f);
	return v;
}

/* One behaviour over N iterations: how many passed, and the first failure. */
struct tally {
	int ok;
	int failed;
	char first[200];
};

static void tally_fail(struct tally *t, int iter, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!t->failed++) {
		n = snprintf(t->first, sizeof(t->first), "iteration %d: ", iter);
		va_start(ap, fmt);
		vsnprintf(t->first + n, sizeof(t->first) - n, fmt, ap);
		va_end(ap);
	}
}

static void tally_report(const struct tally *t, const char *name, int n)
{
	if (t->failed)
		fail(name, "%d of %d iterations failed; first: %s", t->failed, n, t->first);
	else if (t->ok != n)
		fail(name, "only %d of %d iterations ran", t->ok, n);
	else
		printf("PASS: %s (%d/%d)\n", name, t->ok, n);
}

/*
 * Per injection kind, @n times: the faulty job on channel 1 fails with the
 * right error (or, for a lost interrupt, completes), the innocent job
 * queued behind it on channel 2 completes with its data, the guilty channel
 * refuses new work, and a new channel's job completes within the job
 * timeout + 1 s (times NVG_SLOW) of the faulty submission.
 */
static void check_recovery(int fd, int n)
{
	static const char *const what[] = { "hang", "fault", "drop_irq" };
	static const int want[] = { -ETIMEDOUT, -EFAULT, 1 };
	unsigned int timeout_ms = module_param("job_timeout_ms", 2000);
	/* 1 s for the new channel's job, times the guest's slowness (lib.sh) */
	const char *slow = getenv("NVG_SLOW");
	unsigned int margin_ms = 1000 * (slow && atoi(slow) > 1 ? atoi(slow) : 1);
	struct bo pbo, buf[3];
	struct pb pb;
	char name[64];
	int k, i;

	if (bo_new(fd, &pbo, 3 * 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(fd, &buf[0], 4096, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &buf[1], 4096, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &buf[2], 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail("recovery_setup", "%s", strerror(errno));
		return;
	}
	printf("# recovery: job_timeout_ms %u, %d iterations per kind\n", timeout_ms, n);
	/* The compute engine (0) is the one a COMPUTE channel always gets. */
	for (k = 0; k < 3; k++) {
		struct tally rec = {}, guilty = {}, fresh = {};
		double max_rec = 0, max_new = 0, sum_new = 0, tk = now_s();

		for (i = 0; i < n; i++) {
			u32 v1 = 0x10000000 | i << 8 | k, v2 = v1 + 0x1000000, v3 = v1 + 0x2000000;
			int c1, c2, c3, f1, f2, f3, st1, st2, st3, ret;
			u32 n1;
			double t0, t1, t3;

			memset(buf[0].cpu, 0, 4096);
			memset(buf[1].cpu, 0, 4096);
			memset(buf[2].cpu, 0, 4096);
			c1 = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
			c2 = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
			c3 = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
			if (c1 < 0 || c2 < 0 || c3 < 0) {
				tally_fail(&rec, i, "channels: %s", strerror(-(c1 < 0 ? c1 : c2 < 0 ? c2 : c3)));
				goto next;
			}
			/*
			 * Three segments in one buffer, at dwords 0, 1024 and
			 * 2048: the faulty job, the innocent one, the new one.
			 */
			pb_init(&pb, &pbo);
			emit(&pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
			emit(&pb, 0, NVGC_SET_ADDR_HI, 4, (u32)(buf[0].va >> 32), (u32)buf[0].va, 4096, v1);
			emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_FILL);
			n1 = pb.n;
			ret = inject(0, what[k]);
			if (ret) {
				tally_fail(&rec, i, "inject: %s", strerror(-ret));
				goto next;
			}
			t0 = now_s();
			ret = submit(fd, c1, &pb, 0, &f1);
			pb.n = 1024;	/* the second segment starts at dword 1024 */
			emit(&pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
			emit(&pb, 0, NVGC_SET_ADDR_HI, 4, (u32)(buf[1].va >> 32), (u32)buf[1].va, 4096, v2);
			emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_FILL);
			ret = ret ?: submit(fd, c2, &pb, 1024, &f2);
			if (ret) {
				tally_fail(&rec, i, "submit: %s", strerror(-ret));
				goto next;
			}
			st1 = fence_wait(f1, timeout_ms + 10000);
			t1 = now_s();
			st2 = fence_wait(f2, timeout_ms + 10000);
			if (t1 - t0 > max_rec)
				max_rec = t1 - t0;
			if (st1 != want[k])
				tally_fail(&rec, i, "faulty job status %d, expected %d", st1, want[k]);
			else if (st2 != 1)
				tally_fail(&rec, i, "innocent job status %d", st2);
			else if (words_not(buf[1].cpu, 4096, v2))
				tally_fail(&rec, i, "innocent job's fill incomplete");
			else if (k == 2 && words_not(buf[0].cpu, 4096, v1))
				tally_fail(&rec, i, "the job whose interrupt was lost did not fill");
			else
				rec.ok++;

			/* A guilty channel takes no more work... */
			if (want[k] < 0) {
				pb.n = n1;
				ret = submit(fd, c1, &pb, 0, NULL);
				if (ret == -ECANCELED)
					guilty.ok++;
				else
					tally_fail(&guilty, i, "submit on the guilty channel: %s",
						   ret ? strerror(-ret) : "accepted");
			}
			/* ...the device does, at once. */
			pb.n = 2048;
			emit(&pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
			emit(&pb, 0, NVGC_SET_ADDR_HI, 4, (u32)(buf[2].va >> 32), (u32)buf[2].va, 4096, v3);
			emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_FILL);
			ret = submit(fd, c3, &pb, 2048, &f3);
			st3 = ret ?: fence_wait(f3, timeout_ms + 10000);
			t3 = now_s();
			if (t3 - t0 > max_new)
				max_new = t3 - t0;
			sum_new += t3 - t0;
			if (st3 != 1)
				tally_fail(&fresh, i, "new job status %d", st3);
			else if (words_not(buf[2].cpu, 4096, v3))
				tally_fail(&fresh, i, "new job's fill incomplete");
			else if ((t3 - t0) * 1000 > timeout_ms + margin_ms)
				tally_fail(&fresh, i, "new work done %.3f s after the faulty submit, limit %.3f s",
					   t3 - t0, (timeout_ms + margin_ms) / 1000.0);
			else
				fresh.ok++;
next:
			ctx_del(fd, c1);
			ctx_del(fd, c2);
			ctx_del(fd, c3);
		}
		snprintf(name, sizeof(name), "recover_%s_x%d", what[k], n);
		tally_report(&rec, name, n);
		if (want[k] < 0) {
			snprintf(name, sizeof(name), "guilty_after_%s_x%d", what[k], n);
			tally_report(&guilty, name, n);
		}
		snprintf(name, sizeof(name), "new_work_after_%s_x%d", what[k], n);
		tally_report(&fresh, name, n);
		printf("# %s: max recovery %.3f s, max to new work done %.3f s (mean %.3f s); ",
		       what[k], max_rec, max_new, sum_new / n);
		printf("%d iterations in %.1f s\n", n, now_s() - tk);
	}
}

/* ---- who may ask for HIGH priority ---- */

static const char *prio_name(u32 prio)
{
	return prio == DRM_NVGHOST_PRIORITY_HIGH ? "HIGH" :
	       prio == DRM_NVGHOST_PRIORITY_NORMAL ? "NORMAL" : "LOW";
}

/* A channel of @prio: its id, or -errno. */
static int ctx_prio(int fd, u32 engine_class, u32 prio)
{
	struct drm_nvghost_ctx_create c = { .engine_class = engine_class, .priority = prio };

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &c))
		return -errno;
	return c.ctx_id;
}

/* @name passes if a @prio channel can be created on @fd and runs a fill. */
static void expect_prio_works(int fd, u32 prio, const char *name)
{
	struct bo buf, pbo;
	struct pb pb;
	int ctx, sf, st;

	ctx = ctx_prio(fd, DRM_NVGHOST_ENGINE_COPY, prio);
	if (ctx < 0) {
		fail(name, "CTX_CREATE %s: got %s, expected a channel", prio_name(prio),
		     strerror(-ctx));
		return;
	}
	if (bo_new(fd, &buf, 4096, DRM_NVGHOST_PLACEMENT_VRAM, 0) ||
	    bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "buffer setup: %s", strerror(errno));
		ctx_del(fd, ctx);
		return;
	}
	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_fill(&pb, buf.va, 1024, 0x5eed0000 | prio);
	st = submit(fd, ctx, &pb, 0, &sf);
	st = st ? st : fence_wait(sf, 10000);
	result(name, st == 1 && ((u32 *)buf.cpu)[1023] == (0x5eed0000 | prio),
	       "%s channel's fill: fence status %d (expected 1), last word 0x%08x (expected 0x%08x)",
	       prio_name(prio), st, ((u32 *)buf.cpu)[1023], 0x5eed0000 | prio);
	bo_free(fd, &pbo);
	bo_free(fd, &buf);
	ctx_del(fd, ctx);
}

static void expect_prio_refused(int fd, u32 prio, const char *name)
{
	int ctx = ctx_prio(fd, DRM_NVGHOST_ENGINE_COMPUTE, prio);

	ctx_del(fd, ctx);
	expect_errno(name, ctx < 0 ? ctx : 0, EACCES);
}

/* Drop @cap from this process's effective, permitted and inheritable sets. */
static int drop_cap(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[CAP_TO_INDEX(cap)].effective &= ~CAP_TO_MASK(cap);
	d[CAP_TO_INDEX(cap)].permitted &= ~CAP_TO_MASK(cap);
	d[CAP_TO_INDEX(cap)].inheritable &= ~CAP_TO_MASK(cap);
	if (syscall(SYS_capset, &h, d))
		return -errno;
	return 0;
}

/* The unprivileged half, in a child so the parent keeps its capabilities. */
static void priority_unprivileged(const char *path, const char *card)
{
	int fd, cfd, ret;

	ret = drop_cap(CAP_SYS_NICE);
	if (ret) {
		fail("priority_drop_cap_sys_nice", "capset: %s", strerror(-ret));
		return;
	}
	pass("priority_drop_cap_sys_nice");
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fail("priority_open_unprivileged", "%s: %s", path, strerror(errno));
		return;
	}
	expect_prio_refused(fd, DRM_NVGHOST_PRIORITY_HIGH, "priority_high_unprivileged_eacces");
	expect_prio_works(fd, DRM_NVGHOST_PRIORITY_NORMAL, "priority_normal_unprivileged_runs");
	expect_prio_works(fd, DRM_NVGHOST_PRIORITY_LOW, "priority_low_unprivileged_runs");
	close(fd);

	/* The first opener of a card node with no master becomes its master. */
	cfd = open(card, O_RDWR | O_CLOEXEC);
	if (cfd < 0) {
		fail("priority_open_card", "%s: %s", card, strerror(errno));
		return;
	}
	if (!drmIsMaster(cfd)) {
		fail("priority_card_is_master", "%s: not the DRM master (another client holds it?)",
		     card);
	} else {
		pass("priority_card_is_master");
		expect_prio_works(cfd, DRM_NVGHOST_PRIORITY_HIGH, "priority_high_drm_master_runs");
		ret = drmDropMaster(cfd) ? -errno : 0;
		if (ret)
			fail("priority_drop_master", "DROP_MASTER: %s", strerror(-ret));
		else
			expect_prio_refused(cfd, DRM_NVGHOST_PRIORITY_HIGH,
					    "priority_high_after_drop_master_eacces");
	}
	close(cfd);
}

static void check_priority(int fd, const char *path, const char *card)
{
	pid_t pid;
	int st;

	expect_prio_works(fd, DRM_NVGHOST_PRIORITY_HIGH, "priority_high_cap_sys_nice_runs");
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fail("priority_fork", "%s", strerror(errno));
		return;
	}
	if (!pid) {
		failures = 0;
		priority_unprivileged(path, card);
		fflush(stdout);		/* _exit() does not flush stdio */
		_exit(failures > 125 ? 125 : failures);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
		fail("priority_child", "the unprivileged child did not exit normally (status 0x%x)",
		     st);
		return;
	}
	failures += WEXITSTATUS(st);
}

static u32 engine_class(int fd, u32 engine)
{
	struct drm_nvghost_get_param p = { .param = DRM_NVGHOST_PARAM_ENGINE_CLASS,
					   .index = engine };

	return drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &p) ? 0 : (u32)p.value;
}

int main(int argc, char **argv)
{
	double t0 = now_s();
	int fd, n = 1;

	if (argc < 3 || argc > 4 ||
	    (argc == 4 && strcmp(argv[2], "recovery") && strcmp(argv[2], "priority")) ||
	    (argc == 3 && strcmp(argv[2], "basic") && strcmp(argv[2], "order") &&
	     strcmp(argv[2], "recovery")) ||
	    (argc == 3 && !strcmp(argv[2], "priority"))) {
		fprintf(stderr, "usage: %s DEVICE basic|order|recovery [N]|priority CARD\n",
			argv[0]);
		return 1;
	}
	if (argc == 4 && !strcmp(argv[2], "recovery")) {
		n = atoi(argv[3]);
		if (n < 1) {
			fprintf(stderr, "%s: N must be at least 1\n", argv[0]);
			return 1;
		}
	}
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fail("open", "%s: %s", argv[1], strerror(errno));
		return 1;
	}
	copy_class = engine_class(fd, 1);
	compute_class = engine_class(fd, 0);
	if (!nvg_pb_class_is_copy(copy_class) || !nvg_pb_class_is_compute(compute_class)) {
		fail("engine_classes", "engine 0 class 0x%x, engine 1 class 0x%x", compute_class,
		     copy_class);
		return 1;
	}
	if (!strcmp(argv[2], "basic")) {
		check_jobs_leave_no_memory(fd);		/* first: the quietest moment */
		check_copy(fd, DRM_NVGHOST_PLACEMENT_VRAM, DRM_NVGHOST_PLACEMENT_VRAM, 1 << 20, 0, 0,
			   "copy_vram_to_vram_1MiB_aligned");
		check_copy(fd, DRM_NVGHOST_PLACEMENT_SYSTEM, DRM_NVGHOST_PLACEMENT_SYSTEM, 8 << 20,
			   1, 1, "copy_sys_to_sys_8MiB");
		check_copy_matrix(fd);
		check_copy_2d(fd, DRM_NVGHOST_PLACEMENT_VRAM, DRM_NVGHOST_PLACEMENT_SYSTEM,
			      250, 37, 300, 517, 7, 3, "copy_2d_vram_to_sys_pitch_300_to_517");
		check_copy_2d(fd, DRM_NVGHOST_PLACEMENT_SYSTEM, DRM_NVGHOST_PLACEMENT_VRAM,
			      1001, 64, 4100, 1003, 4095, 1, "copy_2d_sys_to_vram_pitch_4100_to_1003");
		check_fill_and_compute(fd);
		check_semaphore_order(fd);
		check_syncobj_create(fd);
		check_fence_in_syncobj(fd);
		check_order_behind_dependency(fd);
		check_fence_timeline(fd);
		check_fence_in_sync_file(fd);
		check_fence_rejections(fd);
		check_dmabuf_share(fd, argv[1]);
		check_many_clients(argv[1]);
		check_destroy_race(fd);
		check_rejections(fd);
	} else if (!strcmp(argv[2], "order")) {
		check_order_behind_dependency(fd);
	} else if (!strcmp(argv[2], "priority")) {
		check_priority(fd, argv[1], argv[3]);
	} else if (!strcmp(argv[2], "recovery")) {
		check_recovery(fd, n);
		check_failed_dependency(fd);
	} else {
		fprintf(stderr, "%s: unknown mode %s\n", argv[0], argv[2]);
		return 1;
	}
	close(fd);
	printf("# submit_test %s: %.1f s\n", argv[2], now_s() - t0);
	return failures > 125 ? 125 : failures;
}
