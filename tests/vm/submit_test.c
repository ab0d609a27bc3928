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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "nvghost_chip.h"
#include "nvghost_pb.h"
#include "nvghost_drm.h"

static int failures;

static void pass(const char *name)
{
	printf("PASS: %s\n", name);
}

static void fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

/* A buffer object, mapped on the GPU at @va and on the CPU at @cpu. */
struct bo {
	u32 handle;
	u64 size;
	u64 va;
	void *cpu;
};

static u64 next_va = DRM_NVGHOST_VA_START;

static int bo_new(int fd, struct bo *bo, u64 size, u32 placement, u32 bind_flags)
{
	struct drm_nvghost_gem_create c = { .size = size, .placement = placement };
	struct drm_nvghost_gem_info info = {};
	struct drm_nvghost_vm_bind b = {};

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_CREATE, &c))
		return -errno;
	info.handle = c.handle;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_INFO, &info))
		return -errno;
	bo->handle = c.handle;
	bo->size = info.size;
	bo->cpu = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       info.mmap_offset);
	if (bo->cpu == MAP_FAILED)
		return -errno;
	bo->va = next_va;
	next_va += (info.size + 0xfffff) & ~0xfffffULL;
	b.op = DRM_NVGHOST_VM_BIND_MAP;
	b.flags = bind_flags;
	b.handle = c.handle;
	b.va = bo->va;
	b.range = info.size;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, &b))
		return -errno;
	return 0;
}

/* A pushbuffer being written into a mapped BO. */
struct pb {
	struct bo *bo;
	u32 *dw;
	u32 n;
};

static void pb_init(struct pb *pb, struct bo *bo)
{
	pb->bo = bo;
	pb->dw = bo->cpu;
	pb->n = 0;
}

static void emit(struct pb *pb, u32 subch, u32 method, u32 count, ...)
{
	va_list ap;
	u32 i;

	pb->dw[pb->n++] = nvg_pb_hdr_incr(subch, method, count);
	va_start(ap, count);
	for (i = 0; i < count; i++)
		pb->dw[pb->n++] = va_arg(ap, u32);
	va_end(ap);
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

static int ctx_new(int fd, u32 engine_class)
{
	struct drm_nvghost_ctx_create c = { .engine_class = engine_class,
					    .priority = DRM_NVGHOST_PRIORITY_NORMAL };

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &c))
		return -errno;
	return c.ctx_id;
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

/* Wait for a sync file; returns its status: 1 signalled, <0 error. */
static int fence_wait(int sync_fd, int timeout_ms)
{
	struct pollfd p = { .fd = sync_fd, .events = POLLIN };
	struct sync_file_info info = {};

	if (poll(&p, 1, timeout_ms) != 1)
		return 0;
	if (ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	close(sync_fd);
	return info.status;
}

static void check_copy(int fd, u32 src_place, u32 dst_place, u32 len, u32 off,
		       const char *name)
{
	struct bo src, dst, pbo;
	struct pb pb;
	u32 i, bad = 0;
	int ctx, sf, st;
	__u8 *s, *d;

	if (bo_new(fd, &src, len + off + 64, src_place, 0) ||
	    bo_new(fd, &dst, len + off + 64, dst_place, 0) ||
	    bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0)) {
		fail(name, "buffer setup: %s", strerror(errno));
		return;
	}
	s = src.cpu;
	d = dst.cpu;
	for (i = 0; i < len + off; i++)
		s[i] = (__u8)(i * 7 + 3);
	memset(d, 0xee, len + off + 64);
	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, AMPERE_DMA_COPY_B);
	emit_copy(&pb, src.va + off, dst.va + off, len, pbo.va + 2048, 0x1234);
	st = submit(fd, ctx, &pb, 0, &sf);
	if (st) {
		fail(name, "submit: %s", strerror(-st));
		return;
	}
	st = fence_wait(sf, 10000);
	for (i = 0; i < len; i++)
		bad += d[off + i] != s[off + i];
	if (st != 1)
		fail(name, "fence status %d", st);
	else if (bad || d[off + len] != 0xee || (off && d[off - 1] != 0xee))
		fail(name, "%u of %u bytes wrong, or bytes outside the range written", bad, len);
	else if (((u32 *)pbo.cpu)[512] != 0x1234)
		fail(name, "semaphore not released (0x%x)", ((u32 *)pbo.cpu)[512]);
	else
		pass(name);
}

static void check_fill_and_compute(int fd, u32 compute_class)
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
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, AMPERE_DMA_COPY_B);
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
	emit(&a, SUBCH, NVG_HOST_SET_OBJECT, 1, AMPERE_DMA_COPY_B);
	emit_host_sem(&a, SUBCH, sem.va, 1, true);	/* wait for B */
	emit_host_sem(&a, SUBCH, sem.va + 16, 2, false);	/* then mark */
	pb_init(&b, &pbb);
	emit(&b, SUBCH, NVG_HOST_SET_OBJECT, 1, AMPERE_DMA_COPY_B);
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

static void expect_errno(const char *name, int got, int want)
{
	if (got == -want)
		pass(name);
	else
		fail(name, "got %s, expected %s", got ? strerror(-got) : "success",
		     strerror(want));
}

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
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, AMPERE_DMA_COPY_B);
	emit(&pb, SUBCH, 0x1230, 1, 0);
	expect_errno("reject_unknown_method", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, ADA_COMPUTE_A);
	expect_errno("reject_foreign_class", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, AMPERE_DMA_COPY_B);
	emit_copy(&pb, pbo.va, 0x7000000000ULL, 64, pbo.va + 2048, 1);
	expect_errno("reject_copy_to_unmapped", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, AMPERE_DMA_COPY_B);
	emit_copy(&pb, pbo.va, ro.va, 64, pbo.va + 2048, 1);
	expect_errno("reject_write_to_read_only", submit(fd, ctx, &pb, 0, NULL), EINVAL);

	pb_init(&pb, &pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, AMPERE_DMA_COPY_B);
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

/* Inject a failure into the next job of @engine through debugfs. */
static void inject(u32 engine, const char *what)
{
	char buf[64];
	FILE *f = fopen("/sys/kernel/debug/nvghost/gpu0/inject", "w");

	if (!f)
		return;
	snprintf(buf, sizeof(buf), "%u %s\n", engine, what);
	fputs(buf, f);
	fclose(f);
}

static void check_recovery(int fd)
{
	struct bo pbo, buf;
	struct pb pb;
	int c1, c2, f1, f2, st1, st2, i, ok = 0;
	struct timespec t0, t1;
	char name[64];

	if (bo_new(fd, &pbo, 8192, DRM_NVGHOST_PLACEMENT_SYSTEM, 0) ||
	    bo_new(fd, &buf, 4096, DRM_NVGHOST_PLACEMENT_VRAM, 0)) {
		fail("recovery_setup", "%s", strerror(errno));
		return;
	}
	/* The compute engine (0) is the one a COMPUTE channel always gets. */
	for (i = 0; i < 3; i++) {
		const char *what[] = { "hang", "fault", "drop_irq" };
		int want[] = { -ETIMEDOUT, -EFAULT, 1 };

		c1 = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
		c2 = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
		pb_init(&pb, &pbo);
		emit(&pb, 0, NVG_HOST_SET_OBJECT, 1, ADA_COMPUTE_A);
		emit(&pb, 0, NVGC_SET_ADDR_HI, 4, (u32)(buf.va >> 32), (u32)buf.va, 4096, i);
		emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_FILL);
		inject(0, what[i]);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (submit(fd, c1, &pb, 0, &f1) || submit(fd, c2, &pb, 0, &f2)) {
			fail(what[i], "submit");
			continue;
		}
		st1 = fence_wait(f1, 10000);
		st2 = fence_wait(f2, 10000);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		snprintf(name, sizeof(name), "recover_%s", what[i]);
		if (st1 != want[i])
			fail(name, "faulty job status %d, expected %d", st1, want[i]);
		else if (st2 != 1)
			fail(name, "innocent job status %d", st2);
		else
			pass(name);
		/* A guilty channel takes no more work; the device does. */
		if (want[i] < 0) {
			snprintf(name, sizeof(name), "guilty_after_%s", what[i]);
			expect_errno(name, submit(fd, c1, &pb, 0, NULL), ECANCELED);
		}
		snprintf(name, sizeof(name), "new_work_after_%s", what[i]);
		c2 = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
		if (!submit(fd, c2, &pb, 0, &f2) && fence_wait(f2, 10000) == 1)
			pass(name), ok++;
		else
			fail(name, "device did not take new work");
		printf("# %s: recovered in %.2f s\n", what[i],
		       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DEVICE basic|recovery\n", argv[0]);
		return 1;
	}
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fail("open", "%s: %s", argv[1], strerror(errno));
		return 1;
	}
	if (!strcmp(argv[2], "basic")) {
		check_copy(fd, DRM_NVGHOST_PLACEMENT_VRAM, DRM_NVGHOST_PLACEMENT_VRAM, 1 << 20, 0,
			   "copy_vram_to_vram_1MiB");
		check_copy(fd, DRM_NVGHOST_PLACEMENT_SYSTEM, DRM_NVGHOST_PLACEMENT_VRAM, 4097, 3,
			   "copy_sys_to_vram_unaligned");
		check_copy(fd, DRM_NVGHOST_PLACEMENT_VRAM, DRM_NVGHOST_PLACEMENT_SYSTEM, 1, 4095,
			   "copy_vram_to_sys_1_byte");
		check_copy(fd, DRM_NVGHOST_PLACEMENT_SYSTEM, DRM_NVGHOST_PLACEMENT_SYSTEM, 8 << 20, 1,
			   "copy_sys_to_sys_8MiB");
		check_fill_and_compute(fd, ADA_COMPUTE_A);
		check_semaphore_order(fd);
		check_rejections(fd);
	} else {
		check_recovery(fd);
	}
	close(fd);
	return failures > 125 ? 125 : failures;
}
