// SPDX-License-Identifier: GPL-2.0
/*
 * fdinfo_test - per-client statistics in /proc/self/fdinfo (DRM's format):
 * engine busy time grows with work on each engine class, memory totals
 * follow the client's buffer objects per region.
 *
 *   fdinfo_test /dev/dri/renderD128
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvghost_chip.h"
#include "nvghost_pb.h"
#include "nvghost_drm.h"
#include "check.h"

/*
 * The value of "KEY:" in this process's fdinfo of @fd, or -1 if absent.
 * Sizes carry DRM's units (drm_print_memory_stats(): none, " KiB" or
 * " MiB"); they are returned in bytes.
 */
static long long fdinfo_value(int fd, const char *key)
{
	char path[64], line[256], *end;
	long long v = -1;
	size_t n = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, n) || line[n] != ':')
			continue;
		v = strtoll(line + n + 1, &end, 10);
		if (!strncmp(end, " KiB", 4))
			v <<= 10;
		else if (!strncmp(end, " MiB", 4))
			v <<= 20;
	}
	fclose(f);
	return v;
}

/* PASS if fdinfo's @key reads @want bytes. */
static void expect_fdinfo(int fd, const char *name, const char *key, long long want)
{
	long long v = fdinfo_value(fd, key);

	result(name, v == want, "%s: got %lld bytes%s, expected %lld", key, v,
	       v < 0 ? " (no such key)" : "", want);
}

/* PASS if fdinfo's job count @key reads @want. */
static void expect_jobs(int fd, const char *name, const char *key, long long want)
{
	long long v = fdinfo_value(fd, key);

	result(name, v == want, "%s: got %lld%s, expected %lld jobs", key, v,
	       v < 0 ? " (no such key)" : "", want);
}

static u32 bo(int fd, u64 size, u32 placement, u64 va, void **cpu)
{
	struct drm_nvghost_gem_create c = { .size = size, .placement = placement };
	struct drm_nvghost_gem_info info = {};
	struct drm_nvghost_vm_bind b = { .op = DRM_NVGHOST_VM_BIND_MAP };

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_CREATE, &c))
		return 0;
	info.handle = c.handle;
	drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_INFO, &info);
	*cpu = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, info.mmap_offset);
	b.handle = c.handle;
	b.va = va;
	b.range = info.size;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, &b))
		return 0;
	return c.handle;
}

/* One job on a new channel of @engine_class: fill @size bytes at @va. */
static int run_fill(int fd, u32 engine_class, u32 *pb, u64 pb_va, u64 va, u32 size)
{
	struct drm_nvghost_ctx_create cc = { .engine_class = engine_class };
	struct drm_nvghost_submit s = { .gpfifo_count = 1,
					.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
	struct pollfd p = { .events = POLLIN };
	u64 entry;
	u32 n = 0;

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &cc))
		return -errno;
	if (engine_class == DRM_NVGHOST_ENGINE_COMPUTE) {
		pb[n++] = nvg_pb_hdr_incr(0, NVG_HOST_SET_OBJECT, 1);
		pb[n++] = ADA_COMPUTE_A;
		pb[n++] = nvg_pb_hdr_incr(0, NVGC_SET_ADDR_HI, 4);
		pb[n++] = va >> 32;
		pb[n++] = (u32)va;
		pb[n++] = size;
		pb[n++] = 0x5a5a5a5a;
		pb[n++] = nvg_pb_hdr_incr(0, NVGC_LAUNCH, 1);
		pb[n++] = NVGC_LAUNCH_OP_FILL;
	} else {
		pb[n++] = nvg_pb_hdr_incr(4, NVG_HOST_SET_OBJECT, 1);
		pb[n++] = AMPERE_DMA_COPY_B;
		pb[n++] = nvg_pb_hdr_incr(4, NVG_COPY_OFFSET_IN_UPPER, 4);
		pb[n++] = va >> 32;
		pb[n++] = (u32)va;
		pb[n++] = va >> 32;
		pb[n++] = (u32)va + size / 2;
		pb[n++] = nvg_pb_hdr_incr(4, NVG_COPY_LINE_LENGTH_IN, 1);
		pb[n++] = size / 2;
		pb[n++] = nvg_pb_hdr_incr(4, NVG_COPY_LAUNCH_DMA, 1);
		pb[n++] = NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED |
			  NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH |
			  NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH;
	}
	entry = nvg_gpfifo_entry_encode(pb_va, n, 0);
	s.ctx_id = cc.ctx_id;
	s.gpfifo = (uintptr_t)&entry;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s))
		return -errno;
	p.fd = s.fence_fd;
	poll(&p, 1, 10000);
	close(s.fence_fd);
	return 0;
}

int main(int argc, char **argv)
{
	long long compute0, copy0, v;
	int fd, dmabuf = -1;
	void *pb, *buf;
	char detail[128];
	u32 vram_handle;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DEVICE\n", argv[0]);
		return 1;
	}
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("FAIL: open: %s\n", strerror(errno));
		return 1;
	}
	v = fdinfo_value(fd, "drm-engine-compute");
	result("fdinfo_driver", v == 0, "drm-engine-compute: got %lld%s, expected 0 for a fresh client",
	       v, v < 0 ? " (no such key)" : "");
	/* Jobs submitted, per engine class: exact counts (nvghost-jobs-*). */
	expect_jobs(fd, "fdinfo_jobs_compute_fresh", "nvghost-jobs-compute", 0);
	expect_jobs(fd, "fdinfo_jobs_copy_fresh", "nvghost-jobs-copy", 0);
	vram_handle = bo(fd, 1 << 20, DRM_NVGHOST_PLACEMENT_VRAM, 0x1000000, &buf);
	bo(fd, 2 << 20, DRM_NVGHOST_PLACEMENT_SYSTEM, 0x2000000, &pb);
	/* DRM's standard keys (drm_print_memory_stats()), per region. */
	expect_fdinfo(fd, "fdinfo_total_vram", "drm-total-vram", 1 << 20);
	expect_fdinfo(fd, "fdinfo_total_system", "drm-total-system", 2 << 20);
	expect_fdinfo(fd, "fdinfo_resident_vram", "drm-resident-vram", 1 << 20);
	expect_fdinfo(fd, "fdinfo_resident_system_mapped", "drm-resident-system", 2 << 20);
	expect_fdinfo(fd, "fdinfo_shared_vram_none", "drm-shared-vram", 0);
	expect_fdinfo(fd, "fdinfo_active_vram_idle", "drm-active-vram", 0);
	/* Exported as a dma-buf, the VRAM object counts as shared. */
	if (drmPrimeHandleToFD(fd, vram_handle, DRM_CLOEXEC, &dmabuf))
		fail("fdinfo_shared_vram_exported", "PRIME export: %s", strerror(errno));
	else
		expect_fdinfo(fd, "fdinfo_shared_vram_exported", "drm-shared-vram", 1 << 20);
	expect_fdinfo(fd, "fdinfo_total_vram_exported", "drm-total-vram", 1 << 20);
	if (dmabuf >= 0)
		close(dmabuf);

	compute0 = fdinfo_value(fd, "drm-engine-compute");
	copy0 = fdinfo_value(fd, "drm-engine-copy");
	run_fill(fd, DRM_NVGHOST_ENGINE_COMPUTE, pb, 0x2000000, 0x1000000, 1 << 20);
	expect_jobs(fd, "fdinfo_jobs_compute_one", "nvghost-jobs-compute", 1);
	expect_jobs(fd, "fdinfo_jobs_copy_none", "nvghost-jobs-copy", 0);
	run_fill(fd, DRM_NVGHOST_ENGINE_COMPUTE, pb, 0x2000000, 0x1000000, 1 << 20);
	run_fill(fd, DRM_NVGHOST_ENGINE_COMPUTE, pb, 0x2000000, 0x1000000, 1 << 20);
	expect_jobs(fd, "fdinfo_jobs_compute_three", "nvghost-jobs-compute", 3);
	v = fdinfo_value(fd, "drm-engine-compute");
	snprintf(detail, sizeof(detail), "compute busy %lld -> %lld ns", compute0, v);
	check("fdinfo_compute_busy_grows", v > compute0, detail);
	v = fdinfo_value(fd, "drm-engine-copy");
	result("fdinfo_copy_unchanged_by_compute", v == copy0,
	       "drm-engine-copy went %lld -> %lld ns with only compute work, expected unchanged",
	       copy0, v);
	run_fill(fd, DRM_NVGHOST_ENGINE_COPY, pb, 0x2000000, 0x1000000, 1 << 20);
	expect_jobs(fd, "fdinfo_jobs_copy_one", "nvghost-jobs-copy", 1);
	expect_jobs(fd, "fdinfo_jobs_compute_unchanged", "nvghost-jobs-compute", 3);
	v = fdinfo_value(fd, "drm-engine-copy");
	snprintf(detail, sizeof(detail), "copy busy %lld -> %lld ns", copy0, v);
	check("fdinfo_copy_busy_grows", v > copy0, detail);
	close(fd);
	return failures;
}
