// SPDX-License-Identifier: GPL-2.0
/*
 * vm_bind_test - DRM_IOCTL_NVGHOST_VM_BIND against the real driver, in the VM.
 *
 *   vm_bind_test DEVICE
 *
 * One check per validation rule of VM_BIND (uapi/nvghost_drm.h, and
 * nvg_vm_bind_check() / nvg_vm_bind_map() in kmod/nvghost_vm.c), each with
 * the exact errno, then the behaviours, proven with GPU copies submitted on
 * a copy channel: map / unmap / map again, a partial unmap that splits a
 * mapping (the remaining pieces still reach the old object, the hole the new
 * one), per-client address spaces, a copy to an unmapped VA rejected, and a
 * READ_ONLY mapping the GPU reads from.
 *
 * Prints "PASS: name" or "FAIL: name: why" per check; exits with the number
 * of failures (capped at 125).
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
#include <time.h>
#include <unistd.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "nvghost_chip.h"
#include "nvghost_pb.h"
#include "nvghost_drm.h"
#include "check.h"

#define PAGE		4096ULL

typedef unsigned char u8;
#define VRAM		DRM_NVGHOST_PLACEMENT_VRAM
#define SYSTEM		DRM_NVGHOST_PLACEMENT_SYSTEM
#define MAP		DRM_NVGHOST_VM_BIND_MAP
#define UNMAP		DRM_NVGHOST_VM_BIND_UNMAP
#define RO		DRM_NVGHOST_VM_BIND_READ_ONLY

/* Fixed VAs of the tests; automatic ones (bo_new) start at AUTO_VA. */
#define VA_RULES	0x0000000010000000ULL	/* the validation rules */
#define VA_OVERLAP	0x0000000011000000ULL
#define VA_REMAP	0x0000000012000000ULL
#define VA_SPLIT	0x0000000013000000ULL
#define VA_SHARED	0x0000000014000000ULL	/* same VA in two clients */
#define VA_GONE		0x0000000015000000ULL
#define VA_RO		0x0000000016000000ULL
#define VA_ORPHAN	0x0000000017000000ULL
#define VA_BUSY		0x0000000018000000ULL
#define VA_BUSY2	0x0000000019000000ULL
#define VA_GIB		0x0000000080000000ULL	/* a PD0 (1 GiB) boundary */
#define AUTO_VA		0x0000000040000000ULL

static u32 copy_class, compute_class;

/* ---- ioctls ---- */

static int bind(int fd, u32 op, u32 flags, u32 handle, u64 va, u64 bo_offset, u64 range)
{
	struct drm_nvghost_vm_bind b = {
		.op = op, .flags = flags, .handle = handle,
		.va = va, .bo_offset = bo_offset, .range = range,
	};

	return drmIoctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, &b) ? -errno : 0;
}

static int bind_raw(int fd, struct drm_nvghost_vm_bind *b)
{
	return drmIoctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, b) ? -errno : 0;
}

#define BO_FIRST_VA	AUTO_VA
#include "gpu.h"

/* ---- pushbuffers (as in submit_test.c) ---- */

static void pb_init(struct pb *pb, struct bo *bo)
{
	pb->bo = bo;
	pb->dw = bo->cpu;
	pb->n = 0;
}

#define SUBCH	4

static void emit_copy(struct pb *pb, u64 src, u64 dst, u32 len)
{
	emit(pb, SUBCH, NVG_COPY_OFFSET_IN_UPPER, 4, (u32)(src >> 32), (u32)src,
	     (u32)(dst >> 32), (u32)dst);
	emit(pb, SUBCH, NVG_COPY_LINE_LENGTH_IN, 1, len);
	emit(pb, SUBCH, NVG_COPY_LAUNCH_DMA, 1,
	     NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED |
	     NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH | NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH);
}

static int submit(int fd, u32 ctx, struct pb *pb, int *sync_fd)
{
	u64 entry = nvg_gpfifo_entry_encode(pb->bo->va, pb->n, 0);
	struct drm_nvghost_submit s = {
		.ctx_id = ctx,
		.gpfifo = (uintptr_t)&entry,
		.gpfifo_count = 1,
		.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE,
	};

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s))
		return -errno;
	*sync_fd = s.fence_fd;
	return 0;
}

/* Wait for a sync file and close it: 1 signalled, 0 timeout, <0 error. */
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

/*
 * Copy @len bytes from GPU VA @src to @dst on channel @ctx, the pushbuffer
 * in @pbo. Returns the submit's -errno, else the fence status (1: done).
 */
static int gpu_copy(int fd, u32 ctx, struct bo *pbo, u64 src, u64 dst, u32 len)
{
	struct pb pb;
	int sf = -1, ret;

	pb_init(&pb, pbo);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_copy(&pb, src, dst, len);
	ret = submit(fd, ctx, &pb, &sf);
	return ret ? ret : fence_wait(sf, 10000);
}

/* ---- data patterns ---- */

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
}

/* First word of @p that is not the pattern, or -1. */
static long check_pat(const void *p, u64 bytes, u32 seed)
{
	const u32 *w = p;
	u64 i;

	for (i = 0; i < bytes / 4; i++)
		if (w[i] != pat(seed, i))
			return i;
	return -1;
}

/* ---- the validation rules ---- */

static void check_rules(int fd)
{
	struct drm_nvghost_vm_bind b;
	struct bo obj, big;
	u32 h;

	if (bo_create(fd, &obj, 2 * PAGE, VRAM)) {
		fail("bind_setup", "%s", strerror(errno));
		return;
	}
	h = obj.handle;

	/* The baseline each rule below breaks one field of: it is accepted. */
	expect_errno("bind_map_baseline", bind(fd, MAP, 0, h, VA_RULES, 0, 2 * PAGE), 0);
	expect_errno("bind_unmap_baseline", bind(fd, UNMAP, 0, 0, VA_RULES, 0, 2 * PAGE), 0);

	expect_errno("bind_unknown_op", bind(fd, 2, 0, h, VA_RULES, 0, PAGE), EINVAL);
	expect_errno("bind_unknown_op_high", bind(fd, 0x80000000u, 0, h, VA_RULES, 0, PAGE),
		     EINVAL);
	expect_errno("bind_unknown_flag", bind(fd, MAP, 1u << 1, h, VA_RULES, 0, PAGE), EINVAL);
	expect_errno("bind_unknown_flag_high", bind(fd, MAP, RO | 1u << 31, h, VA_RULES, 0, PAGE),
		     EINVAL);
	expect_errno("bind_unmap_flags", bind(fd, UNMAP, RO, 0, VA_RULES, 0, PAGE), EINVAL);
	b = (struct drm_nvghost_vm_bind){ .op = MAP, .handle = h, .pad = 1,
					  .va = VA_RULES, .range = PAGE };
	expect_errno("bind_nonzero_pad", bind_raw(fd, &b), EINVAL);
	b = (struct drm_nvghost_vm_bind){ .op = UNMAP, .pad = 0x80000000u,
					  .va = VA_RULES, .range = PAGE };
	expect_errno("bind_unmap_nonzero_pad", bind_raw(fd, &b), EINVAL);
	expect_errno("bind_unmap_handle", bind(fd, UNMAP, 0, h, VA_RULES, 0, PAGE), EINVAL);
	expect_errno("bind_unmap_bo_offset", bind(fd, UNMAP, 0, 0, VA_RULES, PAGE, PAGE), EINVAL);

	expect_errno("bind_unaligned_va", bind(fd, MAP, 0, h, VA_RULES + 0x800, 0, PAGE), EINVAL);
	expect_errno("bind_unaligned_bo_offset", bind(fd, MAP, 0, h, VA_RULES, 0x10, PAGE), EINVAL);
	expect_errno("bind_unaligned_range", bind(fd, MAP, 0, h, VA_RULES, 0, PAGE + 1), EINVAL);
	expect_errno("bind_unmap_unaligned_va", bind(fd, UNMAP, 0, 0, VA_RULES + 4, 0, PAGE),
		     EINVAL);
	expect_errno("bind_unmap_unaligned_range", bind(fd, UNMAP, 0, 0, VA_RULES, 0, 0x1800),
		     EINVAL);
	expect_errno("bind_zero_range", bind(fd, MAP, 0, h, VA_RULES, 0, 0), EINVAL);
	expect_errno("bind_unmap_zero_range", bind(fd, UNMAP, 0, 0, VA_RULES, 0, 0), EINVAL);

	expect_errno("bind_va_below_start",
		     bind(fd, MAP, 0, h, DRM_NVGHOST_VA_START - PAGE, 0, PAGE), EINVAL);
	expect_errno("bind_va_zero", bind(fd, MAP, 0, h, 0, 0, PAGE), EINVAL);
	expect_errno("bind_straddles_start",
		     bind(fd, MAP, 0, h, DRM_NVGHOST_VA_START - PAGE, 0, 2 * PAGE), EINVAL);
	expect_errno("bind_end_above_va_end",
		     bind(fd, MAP, 0, h, DRM_NVGHOST_VA_END - PAGE, 0, 2 * PAGE), EINVAL);
	expect_errno("bind_va_at_va_end", bind(fd, MAP, 0, h, DRM_NVGHOST_VA_END, 0, PAGE), EINVAL);
	expect_errno("bind_unmap_above_va_end",
		     bind(fd, UNMAP, 0, 0, DRM_NVGHOST_VA_END - PAGE, 0, 2 * PAGE), EINVAL);
	/* va + range wraps to exactly VA_START: only the overflow check sees it. */
	expect_errno("bind_va_range_overflow",
		     bind(fd, MAP, 0, h, 2 * DRM_NVGHOST_VA_START, 0, -DRM_NVGHOST_VA_START),
		     EINVAL);
	expect_errno("bind_unmap_va_range_overflow",
		     bind(fd, UNMAP, 0, 0, 2 * DRM_NVGHOST_VA_START, 0, -DRM_NVGHOST_VA_START),
		     EINVAL);
	/* The first and last pages of the user range are usable. */
	expect_errno("bind_first_page_ok", bind(fd, MAP, 0, h, DRM_NVGHOST_VA_START, 0, PAGE), 0);
	bind(fd, UNMAP, 0, 0, DRM_NVGHOST_VA_START, 0, PAGE);
	expect_errno("bind_last_page_ok",
		     bind(fd, MAP, 0, h, DRM_NVGHOST_VA_END - PAGE, PAGE, PAGE), 0);
	bind(fd, UNMAP, 0, 0, DRM_NVGHOST_VA_END - PAGE, 0, PAGE);

	expect_errno("bind_beyond_object", bind(fd, MAP, 0, h, VA_RULES, PAGE, 2 * PAGE), EINVAL);
	expect_errno("bind_offset_at_object_end", bind(fd, MAP, 0, h, VA_RULES, 2 * PAGE, PAGE),
		     EINVAL);
	expect_errno("bind_range_larger_than_object", bind(fd, MAP, 0, h, VA_RULES, 0, 3 * PAGE),
		     EINVAL);
	/* bo_offset + range wraps to PAGE, inside the object. */
	expect_errno("bind_bo_offset_range_overflow",
		     bind(fd, MAP, 0, h, VA_RULES, -PAGE, 2 * PAGE), EINVAL);
	expect_errno("bind_unknown_handle", bind(fd, MAP, 0, 0x7fffffff, VA_RULES, 0, PAGE), ENOENT);
	expect_errno("bind_handle_zero", bind(fd, MAP, 0, 0, VA_RULES, 0, PAGE), ENOENT);

	/* Overlaps: any byte in use refuses the whole map. */
	if (bo_create(fd, &big, 4 * PAGE, SYSTEM) ||
	    bind(fd, MAP, 0, h, VA_OVERLAP + PAGE, 0, 2 * PAGE)) {
		fail("bind_overlap_setup", "%s", strerror(errno));
		return;
	}
	expect_errno("bind_overlap_same", bind(fd, MAP, 0, big.handle, VA_OVERLAP + PAGE, 0, 2 * PAGE),
		     EEXIST);
	expect_errno("bind_overlap_head", bind(fd, MAP, 0, big.handle, VA_OVERLAP, 0, 2 * PAGE),
		     EEXIST);
	expect_errno("bind_overlap_tail",
		     bind(fd, MAP, 0, big.handle, VA_OVERLAP + 2 * PAGE, 0, 2 * PAGE), EEXIST);
	expect_errno("bind_overlap_around", bind(fd, MAP, 0, big.handle, VA_OVERLAP, 0, 4 * PAGE),
		     EEXIST);
	expect_errno("bind_overlap_inside", bind(fd, MAP, 0, big.handle, VA_OVERLAP + PAGE, 0, PAGE),
		     EEXIST);
	/* Adjacent on both sides is not an overlap. */
	expect_errno("bind_adjacent_below", bind(fd, MAP, 0, big.handle, VA_OVERLAP, 0, PAGE), 0);
	expect_errno("bind_adjacent_above",
		     bind(fd, MAP, 0, big.handle, VA_OVERLAP + 3 * PAGE, 3 * PAGE, PAGE), 0);
	/* One unmap over three mappings frees them all. */
	expect_errno("bind_unmap_three_mappings", bind(fd, UNMAP, 0, 0, VA_OVERLAP, 0, 4 * PAGE), 0);
	expect_errno("bind_map_after_unmap_all",
		     bind(fd, MAP, 0, big.handle, VA_OVERLAP, 0, 4 * PAGE), 0);
	bind(fd, UNMAP, 0, 0, VA_OVERLAP, 0, 4 * PAGE);
}

/* ---- behaviours, proven by the GPU ---- */

struct gpu {
	int fd;
	int ctx;
	struct bo pbo;	/* pushbuffers */
	struct bo dst;	/* where copies land */
};

static int gpu_setup(int fd, struct gpu *g, u64 dst_size)
{
	g->fd = fd;
	g->ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	if (g->ctx < 0)
		return g->ctx;
	if (bo_new(fd, &g->pbo, PAGE, SYSTEM, 0))
		return -errno;
	if (bo_new(fd, &g->dst, dst_size, VRAM, 0))
		return -errno;
	return 0;
}

/* Map, copy through it, unmap, map the same VA to another object, copy. */
static void check_map_unmap_remap(struct gpu *g)
{
	const char *name = "bind_map_unmap_remap";
	struct bo a, b;
	int st;
	long bad;

	if (bo_create(g->fd, &a, PAGE, VRAM) || bo_create(g->fd, &b, PAGE, SYSTEM)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	fill_pat(a.cpu, PAGE, 0xa);
	fill_pat(b.cpu, PAGE, 0xb);
	st = bind(g->fd, MAP, 0, a.handle, VA_REMAP, 0, PAGE);
	if (st) {
		fail(name, "map a: %s", strerror(-st));
		return;
	}
	st = gpu_copy(g->fd, g->ctx, &g->pbo, VA_REMAP, g->dst.va, PAGE);
	bad = check_pat(g->dst.cpu, PAGE, 0xa);
	if (st != 1 || bad >= 0) {
		fail(name, "copy through the first mapping: status %d, word %ld wrong", st, bad);
		return;
	}
	st = bind(g->fd, UNMAP, 0, 0, VA_REMAP, 0, PAGE);
	if (st) {
		fail(name, "unmap: %s", strerror(-st));
		return;
	}
	st = bind(g->fd, MAP, 0, b.handle, VA_REMAP, 0, PAGE);
	if (st) {
		fail(name, "map b at the same VA: %s", strerror(-st));
		return;
	}
	st = gpu_copy(g->fd, g->ctx, &g->pbo, VA_REMAP, g->dst.va, PAGE);
	bad = check_pat(g->dst.cpu, PAGE, 0xb);
	if (st != 1 || bad >= 0)
		fail(name, "copy through the second mapping: status %d, word %ld wrong", st, bad);
	else
		pass(name);
	bind(g->fd, UNMAP, 0, 0, VA_REMAP, 0, PAGE);
}

/*
 * A 3-page mapping of A loses its middle page, and B's second page takes
 * its place. A GPU read of the 3 pages sees A0 B1 A2; a GPU write of them
 * lands in A0, B1 and A2 and leaves A1 (and B0) alone.
 */
static void check_partial_unmap(struct gpu *g)
{
	static u8 a0[3 * PAGE], b0[2 * PAGE];
	struct bo a, b, src;
	u8 *d = g->dst.cpu, *pa, *pb, *ps;
	int st;

	if (bo_create(g->fd, &a, 3 * PAGE, VRAM) || bo_create(g->fd, &b, 2 * PAGE, SYSTEM) ||
	    bo_new(g->fd, &src, 3 * PAGE, SYSTEM, 0)) {
		fail("bind_partial_unmap_setup", "%s", strerror(errno));
		return;
	}
	pa = a.cpu;
	pb = b.cpu;
	ps = src.cpu;
	fill_pat(pa, 3 * PAGE, 0xa0);
	fill_pat(pb, 2 * PAGE, 0xb0);
	memcpy(a0, pa, sizeof(a0));
	memcpy(b0, pb, sizeof(b0));
	st = bind(g->fd, MAP, 0, a.handle, VA_SPLIT, 0, 3 * PAGE);
	if (!st)
		st = bind(g->fd, UNMAP, 0, 0, VA_SPLIT + PAGE, 0, PAGE);
	expect_errno("bind_unmap_middle_page", st, 0);
	if (st)
		return;

	/* The hole is a hole: a copy that touches it is refused... */
	expect_errno("bind_hole_rejected",
		     gpu_copy(g->fd, g->ctx, &g->pbo, VA_SPLIT, g->dst.va, 3 * PAGE), EINVAL);
	/* ...and the pieces on either side are still mapped. */
	memset(d, 0xee, 3 * PAGE);
	st = gpu_copy(g->fd, g->ctx, &g->pbo, VA_SPLIT + 2 * PAGE, g->dst.va, PAGE);
	if (st == 1)
		st = gpu_copy(g->fd, g->ctx, &g->pbo, VA_SPLIT, g->dst.va + 2 * PAGE, PAGE);
	if (st != 1)
		fail("bind_split_pieces_mapped", "copy status %d", st);
	else if (memcmp(d, a0 + 2 * PAGE, PAGE) || memcmp(d + 2 * PAGE, a0, PAGE))
		fail("bind_split_pieces_mapped", "the pieces do not reach A's pages 0 and 2");
	else
		pass("bind_split_pieces_mapped");

	st = bind(g->fd, MAP, 0, b.handle, VA_SPLIT + PAGE, PAGE, PAGE);
	expect_errno("bind_map_into_hole", st, 0);
	if (st)
		return;

	memset(d, 0xee, 3 * PAGE);
	st = gpu_copy(g->fd, g->ctx, &g->pbo, VA_SPLIT, g->dst.va, 3 * PAGE);
	if (st != 1)
		fail("bind_partial_unmap_gpu_read", "copy status %d", st);
	else if (memcmp(d, a0, PAGE))
		fail("bind_partial_unmap_gpu_read", "page 0 is not A's page 0");
	else if (memcmp(d + PAGE, b0 + PAGE, PAGE))
		fail("bind_partial_unmap_gpu_read", "page 1 is not B's page 1%s",
		     memcmp(d + PAGE, a0 + PAGE, PAGE) ? "" : " (still A's page 1)");
	else if (memcmp(d + 2 * PAGE, a0 + 2 * PAGE, PAGE))
		fail("bind_partial_unmap_gpu_read", "page 2 is not A's page 2");
	else
		pass("bind_partial_unmap_gpu_read");

	fill_pat(ps, 3 * PAGE, 0x5c);
	st = gpu_copy(g->fd, g->ctx, &g->pbo, src.va, VA_SPLIT, 3 * PAGE);
	if (st != 1)
		fail("bind_partial_unmap_gpu_write", "copy status %d", st);
	else if (memcmp(pa, ps, PAGE) || memcmp(pa + 2 * PAGE, ps + 2 * PAGE, PAGE))
		fail("bind_partial_unmap_gpu_write", "A's pages 0 and 2 not written");
	else if (memcmp(pb + PAGE, ps + PAGE, PAGE))
		fail("bind_partial_unmap_gpu_write", "B's page 1 not written");
	else if (memcmp(pa + PAGE, a0 + PAGE, PAGE))
		fail("bind_partial_unmap_gpu_write", "A's unmapped page 1 changed");
	else if (memcmp(pb, b0, PAGE))
		fail("bind_partial_unmap_gpu_write", "B's unmapped page 0 changed");
	else
		pass("bind_partial_unmap_gpu_write");

	/* One unmap over the three mappings frees the whole range. */
	st = bind(g->fd, UNMAP, 0, 0, VA_SPLIT, 0, 3 * PAGE);
	if (!st)
		st = bind(g->fd, MAP, 0, b.handle, VA_SPLIT, 0, 2 * PAGE);
	if (!st)
		st = bind(g->fd, MAP, 0, a.handle, VA_SPLIT + 2 * PAGE, 0, PAGE);
	expect_errno("bind_unmap_split_range", st, 0);
	bind(g->fd, UNMAP, 0, 0, VA_SPLIT, 0, 3 * PAGE);
}

/* Same VA, two clients, two objects: each client's copy sees its own. */
static void check_two_clients(struct gpu *g1, const char *path)
{
	struct gpu g2;
	struct bo o1, o2;
	int fd2, st1, st2;
	long bad1, bad2;

	fd2 = open(path, O_RDWR | O_CLOEXEC);
	if (fd2 < 0) {
		fail("bind_second_client_open", "%s", strerror(errno));
		return;
	}
	if (gpu_setup(fd2, &g2, PAGE) || bo_create(g1->fd, &o1, PAGE, VRAM) ||
	    bo_create(fd2, &o2, PAGE, VRAM)) {
		fail("bind_two_clients_setup", "%s", strerror(errno));
		close(fd2);
		return;
	}
	fill_pat(o1.cpu, PAGE, 0x111);
	fill_pat(o2.cpu, PAGE, 0x222);
	st1 = bind(g1->fd, MAP, 0, o1.handle, VA_SHARED, 0, PAGE);
	st2 = bind(fd2, MAP, 0, o2.handle, VA_SHARED, 0, PAGE);
	if (st1 || st2) {
		fail("bind_same_va_two_clients", "map: %s / %s", strerror(-st1), strerror(-st2));
		close(fd2);
		return;
	}
	pass("bind_same_va_two_clients");
	st1 = gpu_copy(g1->fd, g1->ctx, &g1->pbo, VA_SHARED, g1->dst.va, PAGE);
	st2 = gpu_copy(fd2, g2.ctx, &g2.pbo, VA_SHARED, g2.dst.va, PAGE);
	bad1 = check_pat(g1->dst.cpu, PAGE, 0x111);
	bad2 = check_pat(g2.dst.cpu, PAGE, 0x222);
	if (st1 != 1 || st2 != 1 || bad1 >= 0 || bad2 >= 0)
		fail("bind_address_spaces_independent",
		     "client 1: status %d, word %ld wrong; client 2: status %d, word %ld wrong%s",
		     st1, bad1, st2, bad2,
		     check_pat(g2.dst.cpu, PAGE, 0x111) < 0 ? " (client 2 read client 1's object)" : "");
	else
		pass("bind_address_spaces_independent");

	/* Unmapping in one client leaves the other's mapping alone. */
	bind(g1->fd, UNMAP, 0, 0, VA_SHARED, 0, PAGE);
	memset(g2.dst.cpu, 0, PAGE);
	st2 = gpu_copy(fd2, g2.ctx, &g2.pbo, VA_SHARED, g2.dst.va, PAGE);
	bad2 = check_pat(g2.dst.cpu, PAGE, 0x222);
	if (st2 != 1 || bad2 >= 0)
		fail("bind_unmap_other_client_unaffected", "status %d, word %ld wrong", st2, bad2);
	else
		pass("bind_unmap_other_client_unaffected");
	close(fd2);
}

/* Unmapped memory is out of reach: a copy into it is refused at submit. */
static void check_unmapped_rejected(struct gpu *g)
{
	struct bo o;
	int st;

	if (bo_create(g->fd, &o, PAGE, VRAM)) {
		fail("bind_unmapped_setup", "%s", strerror(errno));
		return;
	}
	st = bind(g->fd, MAP, 0, o.handle, VA_GONE, 0, PAGE);
	if (!st)
		st = gpu_copy(g->fd, g->ctx, &g->pbo, g->dst.va, VA_GONE, PAGE) == 1 ? 0 : -EIO;
	if (!st)
		st = bind(g->fd, UNMAP, 0, 0, VA_GONE, 0, PAGE);
	if (st) {
		fail("bind_copy_to_unmapped_rejected", "setup: %s", strerror(-st));
		return;
	}
	expect_errno("bind_copy_to_unmapped_rejected",
		     gpu_copy(g->fd, g->ctx, &g->pbo, g->dst.va, VA_GONE, PAGE), EINVAL);
	expect_errno("bind_copy_from_unmapped_rejected",
		     gpu_copy(g->fd, g->ctx, &g->pbo, VA_GONE, g->dst.va, PAGE), EINVAL);
}

static void check_read_only(struct gpu *g)
{
	struct bo o;
	int st;

	if (bo_create(g->fd, &o, 2 * PAGE, SYSTEM)) {
		fail("bind_read_only_setup", "%s", strerror(errno));
		return;
	}
	fill_pat(o.cpu, 2 * PAGE, 0x70);
	st = bind(g->fd, MAP, RO, o.handle, VA_RO, 0, 2 * PAGE);
	if (st) {
		fail("bind_read_only_gpu_read", "map: %s", strerror(-st));
		return;
	}
	memset(g->dst.cpu, 0, 2 * PAGE);
	st = gpu_copy(g->fd, g->ctx, &g->pbo, VA_RO + 8, g->dst.va, 2 * PAGE - 8);
	if (st != 1)
		fail("bind_read_only_gpu_read", "copy status %d", st);
	else if (memcmp(g->dst.cpu, (u8 *)o.cpu + 8, 2 * PAGE - 8))
		fail("bind_read_only_gpu_read", "data differs");
	else
		pass("bind_read_only_gpu_read");
	expect_errno("bind_read_only_gpu_write_rejected",
		     gpu_copy(g->fd, g->ctx, &g->pbo, g->dst.va, VA_RO, PAGE), EINVAL);
	/* The piece of a read-only mapping left by a split stays read-only. */
	st = bind(g->fd, UNMAP, 0, 0, VA_RO, 0, PAGE);
	if (st)
		fail("bind_read_only_survives_split", "unmap: %s", strerror(-st));
	else
		expect_errno("bind_read_only_survives_split",
			     gpu_copy(g->fd, g->ctx, &g->pbo, g->dst.va, VA_RO + PAGE, PAGE), EINVAL);
	bind(g->fd, UNMAP, 0, 0, VA_RO, 0, 2 * PAGE);
}

/* Mappings across table boundaries, and at the very top of the user range. */
static void check_table_boundaries(struct gpu *g)
{
	struct bo o, top;
	u8 *d = g->dst.cpu;
	int st;

	if (bo_create(g->fd, &o, 3 * PAGE, VRAM) || bo_create(g->fd, &top, PAGE, SYSTEM)) {
		fail("bind_boundaries_setup", "%s", strerror(errno));
		return;
	}
	fill_pat(o.cpu, 3 * PAGE, 0x1e);
	fill_pat(top.cpu, PAGE, 0x70e);
	/* Pages 0 | 1 2 on either side of 1 GiB: two PD0 entries, two tables. */
	st = bind(g->fd, MAP, 0, o.handle, VA_GIB - PAGE, 0, 3 * PAGE);
	if (!st) {
		memset(d, 0, 3 * PAGE);
		st = gpu_copy(g->fd, g->ctx, &g->pbo, VA_GIB - PAGE + 100, g->dst.va,
			      3 * PAGE - 200) == 1 ? 0 : -EIO;
	}
	if (st)
		fail("bind_across_pd0_boundary", "%s", strerror(-st));
	else if (memcmp(d, (u8 *)o.cpu + 100, 3 * PAGE - 200))
		fail("bind_across_pd0_boundary", "data differs");
	else
		pass("bind_across_pd0_boundary");
	bind(g->fd, UNMAP, 0, 0, VA_GIB - PAGE, 0, 3 * PAGE);

	st = bind(g->fd, MAP, 0, top.handle, DRM_NVGHOST_VA_END - PAGE, 0, PAGE);
	if (!st) {
		memset(d, 0, PAGE);
		st = gpu_copy(g->fd, g->ctx, &g->pbo, DRM_NVGHOST_VA_END - PAGE, g->dst.va,
			      PAGE) == 1 ? 0 : -EIO;
	}
	if (st)
		fail("bind_last_page_gpu_copy", "%s", strerror(-st));
	else if (memcmp(d, top.cpu, PAGE))
		fail("bind_last_page_gpu_copy", "data differs");
	else
		pass("bind_last_page_gpu_copy");
	bind(g->fd, UNMAP, 0, 0, DRM_NVGHOST_VA_END - PAGE, 0, PAGE);
}

/* A mapping keeps its object alive after the handle and CPU mapping go. */
static void check_mapping_outlives_handle(struct gpu *g)
{
	struct drm_gem_close cl = {};
	static u8 copy[PAGE];
	struct bo o;
	int st;

	if (bo_create(g->fd, &o, PAGE, VRAM)) {
		fail("bind_mapping_outlives_handle", "setup: %s", strerror(errno));
		return;
	}
	fill_pat(o.cpu, PAGE, 0x0ff);
	memcpy(copy, o.cpu, PAGE);
	st = bind(g->fd, MAP, 0, o.handle, VA_ORPHAN, 0, PAGE);
	munmap(o.cpu, PAGE);
	cl.handle = o.handle;
	if (!st)
		st = drmIoctl(g->fd, DRM_IOCTL_GEM_CLOSE, &cl) ? -errno : 0;
	if (!st) {
		memset(g->dst.cpu, 0, PAGE);
		st = gpu_copy(g->fd, g->ctx, &g->pbo, VA_ORPHAN, g->dst.va, PAGE) == 1 ? 0 : -EIO;
	}
	if (st)
		fail("bind_mapping_outlives_handle", "%s", strerror(-st));
	else if (memcmp(g->dst.cpu, copy, PAGE))
		fail("bind_mapping_outlives_handle", "data differs");
	else
		pass("bind_mapping_outlives_handle");
	expect_errno("bind_unmap_orphan", bind(g->fd, UNMAP, 0, 0, VA_ORPHAN, 0, PAGE), 0);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/*
 * An unmap waits for the VM's jobs: a compute job that spins ~100 ms, then
 * checksums a buffer, still reads it although the buffer is unmapped
 * right after the submit.
 */
static void check_unmap_waits(int fd)
{
	const char *name = "bind_unmap_waits_for_jobs";
	struct bo o, pbo;
	struct pb pb;
	double t0, t1;
	int ctx, sf, st;
	u32 sum;

	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	if (ctx < 0 || bo_create(fd, &o, 64 * 1024, SYSTEM) || bo_new(fd, &pbo, PAGE, SYSTEM, 0)) {
		fail(name, "setup: %s", strerror(ctx < 0 ? -ctx : errno));
		return;
	}
	fill_pat(o.cpu, 64 * 1024, 0xc5);
	sum = nvg_fnv1a32(o.cpu, 64 * 1024, NVG_FNV1A32_INIT);
	st = bind(fd, MAP, 0, o.handle, VA_BUSY, 0, 64 * 1024);
	if (st) {
		fail(name, "map: %s", strerror(-st));
		return;
	}
	pb_init(&pb, &pbo);
	((u32 *)pbo.cpu)[1000] = 0;
	emit(&pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
	emit(&pb, 0, NVGC_SET_CYCLES_LO, 2, 250000000, 0);	/* ~100 ms at 2.5 GHz */
	emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_BUSY);
	emit(&pb, 0, NVGC_SET_ADDR_HI, 3, (u32)(VA_BUSY >> 32), (u32)VA_BUSY, 64 * 1024);
	emit(&pb, 0, NVGC_SET_RESULT_HI, 2, (u32)((pbo.va + 4000) >> 32), (u32)(pbo.va + 4000));
	emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_CHECKSUM);
	st = submit(fd, ctx, &pb, &sf);
	if (st) {
		fail(name, "submit: %s", strerror(-st));
		return;
	}
	t0 = now_s();
	st = bind(fd, UNMAP, 0, 0, VA_BUSY, 0, 64 * 1024);
	t1 = now_s();
	if (st) {
		fail(name, "unmap: %s", strerror(-st));
		close(sf);
		return;
	}
	st = fence_wait(sf, 0);		/* the unmap returned: the job is done */
	printf("# %s: the unmap returned after %.3f s\n", name, t1 - t0);
	if (st != 1)
		fail(name, "job status %d when the unmap returned after %.3f s", st, t1 - t0);
	else if (((u32 *)pbo.cpu)[1000] != sum)
		fail(name, "checksum 0x%08x, expected 0x%08x", ((u32 *)pbo.cpu)[1000], sum);
	else
		pass(name);
}

/*
 * The same when the job that uses the mapping is not the VM's latest: a
 * compute job spins ~100 ms and then checksums X; a quick job on a copy
 * channel (another engine) is submitted after it and finishes first. The
 * unmap of X must still wait for the compute job, which must not fault.
 */
static void check_unmap_waits_all_channels(int fd)
{
	const char *name = "bind_unmap_waits_for_all_channels";
	struct bo o, pbo, pbo2;
	struct pb pa, pb;
	double t0, t1;
	int ca, cb, fa, fb, st, stb;
	u32 sum;

	ca = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	cb = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	if (ca < 0 || cb < 0 || bo_create(fd, &o, 64 * 1024, SYSTEM) ||
	    bo_new(fd, &pbo, PAGE, SYSTEM, 0) || bo_new(fd, &pbo2, PAGE, SYSTEM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	fill_pat(o.cpu, 64 * 1024, 0xc6);
	sum = nvg_fnv1a32(o.cpu, 64 * 1024, NVG_FNV1A32_INIT);
	st = bind(fd, MAP, 0, o.handle, VA_BUSY2, 0, 64 * 1024);
	if (st) {
		fail(name, "map: %s", strerror(-st));
		return;
	}
	pb_init(&pa, &pbo);
	((u32 *)pbo.cpu)[1000] = 0;
	emit(&pa, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
	emit(&pa, 0, NVGC_SET_CYCLES_LO, 2, 250000000, 0);	/* ~100 ms at 2.5 GHz */
	emit(&pa, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_BUSY);
	emit(&pa, 0, NVGC_SET_ADDR_HI, 3, (u32)(VA_BUSY2 >> 32), (u32)VA_BUSY2, 64 * 1024);
	emit(&pa, 0, NVGC_SET_RESULT_HI, 2, (u32)((pbo.va + 4000) >> 32), (u32)(pbo.va + 4000));
	emit(&pa, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_CHECKSUM);
	pb_init(&pb, &pbo2);
	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit(&pb, SUBCH, NVG_HOST_SEM_ADDR_LO, 4, (u32)(pbo2.va + 2048), (u32)((pbo2.va + 2048) >> 32),
	     1, 0);
	emit(&pb, SUBCH, NVG_HOST_SEM_EXECUTE, 1, NVG_SEM_EXECUTE_OPERATION_RELEASE);
	st = submit(fd, ca, &pa, &fa);
	if (st) {
		fail(name, "submit A: %s", strerror(-st));
		return;
	}
	st = submit(fd, cb, &pb, &fb);
	if (st) {
		fail(name, "submit B: %s", strerror(-st));
		close(fa);
		return;
	}
	stb = fence_wait(fb, 10000);	/* the latest job is done; A still spins */
	t0 = now_s();
	st = bind(fd, UNMAP, 0, 0, VA_BUSY2, 0, 64 * 1024);
	t1 = now_s();
	if (st) {
		fail(name, "unmap: %s", strerror(-st));
		close(fa);
		return;
	}
	st = fence_wait(fa, 10000);
	printf("# %s: the unmap returned after %.3f s\n", name, t1 - t0);
	if (stb != 1)
		fail(name, "the copy channel's job: status %d", stb);
	else if (st != 1)
		fail(name, "the unmap did not wait: the compute job using the mapping ended with %d (%s)",
		     st, st < 0 ? strerror(-st) : "?");
	else if (((u32 *)pbo.cpu)[1000] != sum)
		fail(name, "checksum 0x%08x, expected 0x%08x", ((u32 *)pbo.cpu)[1000], sum);
	else
		pass(name);
}

static u32 engine_class(int fd, u32 engine)
{
	struct drm_nvghost_get_param p = { .param = DRM_NVGHOST_PARAM_ENGINE_CLASS,
					   .index = engine };

	return drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &p) ? 0 : (u32)p.value;
}

int main(int argc, char **argv)
{
	struct gpu g;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DEVICE\n", argv[0]);
		return 1;
	}
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fail("open", "%s: %s", argv[1], strerror(errno));
		return 1;
	}
	copy_class = engine_class(fd, 1);
	if (!nvg_pb_class_is_copy(copy_class)) {
		fail("copy_engine_class", "engine 1 has class 0x%x", copy_class);
		return 1;
	}
	compute_class = engine_class(fd, 0);
	check_rules(fd);
	if (gpu_setup(fd, &g, 3 * PAGE)) {
		fail("gpu_setup", "%s", strerror(errno));
		return failures;
	}
	check_map_unmap_remap(&g);
	check_partial_unmap(&g);
	check_two_clients(&g, argv[1]);
	check_unmapped_rejected(&g);
	check_read_only(&g);
	check_table_boundaries(&g);
	check_mapping_outlives_handle(&g);
	check_unmap_waits(fd);
	check_unmap_waits_all_channels(fd);
	close(fd);
	return failures > 125 ? 125 : failures;
}
