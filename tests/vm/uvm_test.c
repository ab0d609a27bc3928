// SPDX-License-Identifier: GPL-2.0
/*
 * uvm_test - managed memory (DRM_NVGHOST_PLACEMENT_MANAGED) against the real
 * driver, in the VM.
 *
 *   uvm_test DEVICE basic            first touch, GPU fault and replay, CPU
 *                                    fault back, read-only and fatal faults,
 *                                    PRIME refused
 *   uvm_test DEVICE oversub MB GIB   two managed buffers of MB MiB each,
 *                                    copied into each other by the GPU and
 *                                    rewritten by the CPU, round after round,
 *                                    until GIB GiB migrated (in + out), every
 *                                    byte checked after every round
 *   uvm_test DEVICE bench PATTERN MB PASSES
 *                                    a memory workload (seq, cyclic, random,
 *                                    hotcold, llm) over MB MiB: one
 *                                    "bench: uvm" line of its numbers
 *   uvm_test DEVICE vbench PATTERN MB PASSES
 *                                    the same workloads (and strided) as
 *                                    compute jobs, timed in device time on
 *                                    the virtual clock (the client advances
 *                                    it): make bench's table (bench-uvm.sh)
 *   uvm_test DEVICE vtenants LC_MB STREAM_MB JOBS [alone]
 *                                    a latency-critical client's job
 *                                    latency beside a streaming tenant (a
 *                                    child process), or alone
 *   uvm_test DEVICE touch MB         one round trip (CPU write, GPU copy to
 *                                    a second managed buffer, CPU check) of
 *                                    two MB MiB buffers: for the policy tests
 *   uvm_test DEVICE oversub_each MB GIB
 *                                    as oversub, until GIB GiB migrated in
 *                                    and GIB GiB out
 *   uvm_test DEVICE guilty hang|fault MB
 *                                    a compute job checksums a managed
 *                                    buffer after debugfs inject
 *                                    hang_migrate|fault_migrate on engine 0:
 *                                    it must fail (reset or MMU fault) after
 *                                    migrating, the data stay whole, and a
 *                                    new channel works
 *   uvm_test DEVICE innocent MB FILE  rounds of system -> managed -> VRAM
 *                                    copies, every byte checked, until FILE
 *                                    exists; the rounds done so far are
 *                                    written to FILE.rounds after each
 *   uvm_test DEVICE hold MB FILE     a managed buffer made resident by the
 *                                    GPU, FILE.ready written, then, once
 *                                    FILE exists, checked by CPU and GPU
 *   uvm_test DEVICE migfail MB       migrations that fail (debugfs inject
 *                                    fail_migration): an eviction's copy
 *                                    out, then a copy in; each fault is
 *                                    cancelled, nothing moves or is lost
 *
 * GPU access is copy-engine copies (LAUNCH_DMA, 4 MiB a job), the pushbuffer in system
 * memory. Checks read the client's fdinfo (nvghost-managed-*). Prints
 * "PASS: name" or "FAIL: name: why" per check; exits with the number of
 * failures (capped at 125).
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
#include <sys/wait.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "nvghost_chip.h"
#include "nvghost_pb.h"
#include "nvghost_drm.h"
#include "check.h"
#include "mempat.h"

#define PAGE		4096ULL
#define MIB		(1ULL << 20)
#define VRAM		DRM_NVGHOST_PLACEMENT_VRAM
#define SYSTEM		DRM_NVGHOST_PLACEMENT_SYSTEM
#define MANAGED		DRM_NVGHOST_PLACEMENT_MANAGED

#include "gpu.h"

static u32 copy_class;
static int gfd;
static int gctx;
static struct bo gpbo;

/* ---- GPU copies ---- */

#define SUBCH	4

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

/* Copy @len bytes GPU VA @src -> @dst: the fence status (1 ok), or -errno. */
static int gpu_copy1(u64 src, u64 dst, u32 len)
{
	struct pb pb = { .bo = &gpbo, .dw = gpbo.cpu };
	int sf = -1, ret;

	emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit(&pb, SUBCH, NVG_COPY_OFFSET_IN_UPPER, 4, (u32)(src >> 32), (u32)src,
	     (u32)(dst >> 32), (u32)dst);
	emit(&pb, SUBCH, NVG_COPY_LINE_LENGTH_IN, 1, len);
	emit(&pb, SUBCH, NVG_COPY_LAUNCH_DMA, 1,
	     NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED |
	     NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH | NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH);
	ret = submit(gfd, gctx, &pb, &sf);
	return ret ? ret : fence_wait(sf, 60000);
}

/*
 * As gpu_copy1(), one job per 4 MiB: a job's time includes the time its
 * faults take to service (the engine stalls), and on a slow emulated host a
 * large copy through many faults could pass the 2 s job timeout.
 */
#define COPY_JOB	(4 * MIB)

static int gpu_copy(u64 src, u64 dst, u64 len)
{
	u64 off, n;
	int st = 1;

	for (off = 0; off < len && st == 1; off += n) {
		n = len - off < COPY_JOB ? len - off : COPY_JOB;
		st = gpu_copy1(src + off, dst + off, n);
	}
	return st;
}

/* ---- data ---- */

static u32 pat(u32 seed, u64 i)
{
	u32 x = seed * 0x9e3779b1u + (u32)i * 0x85ebca6bu + (u32)(i >> 32);

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

/* Byte offset of the first word of @p that is not the pattern, or -1. */
static long long check_pat(const void *p, u64 bytes, u32 seed)
{
	const u32 *w = p;
	u64 i;

	for (i = 0; i < bytes / 4; i++)
		if (w[i] != pat(seed, i))
			return (long long)i * 4;
	return -1;
}

/*
 * Check @name: a GPU copy of @size bytes of managed buffer @m into @v
 * arrives whole (pattern @seed), @when (for the FAIL line).
 */
static void check_copy_whole(const char *name, struct bo *m, struct bo *v, u64 size,
			     u32 seed, const char *when)
{
	long long bad;
	int st;

	memset(v->cpu, 0, size);
	st = gpu_copy(m->va, v->va, size);
	bad = check_pat(v->cpu, size, seed);
	result(name, st == 1 && bad < 0,
	       "expected a copy of the managed buffer to arrive whole %s, got status %d, "
	       "bad byte %lld", when, st, bad);
}

static long long check_zero(const void *p, u64 bytes)
{
	const unsigned char *b = p;
	u64 i;

	for (i = 0; i < bytes; i++)
		if (b[i])
			return (long long)i;
	return -1;
}

/* ---- fdinfo ---- */

/* The value of fdinfo key @key of our DRM file (KiB values as printed). */
static long long fdinfo(const char *key)
{
	char path[64], line[256];
	size_t n = strlen(key);
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", gfd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtoll(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static int managed_new(struct bo *bo, u64 size, u32 bind_flags)
{
	return bo_new(gfd, bo, size, MANAGED, bind_flags);
}

static void bo_free(struct bo *bo)
{
	struct drm_nvghost_vm_bind b = { .op = DRM_NVGHOST_VM_BIND_UNMAP,
					 .va = bo->va, .range = bo->size };
	struct drm_gem_close c = { .handle = bo->handle };

	if (bo->va)
		drmIoctl(gfd, DRM_IOCTL_NVGHOST_VM_BIND, &b);
	if (bo->cpu)
		munmap(bo->cpu, bo->size);
	drmIoctl(gfd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* ---- basic ---- */

static void check_create(void)
{
	struct drm_nvghost_gem_create c = { .size = 3 * MIB + 5, .placement = MANAGED };
	struct drm_nvghost_gem_info info = {};
	struct drm_gem_close cl = {};

	if (drmIoctl(gfd, DRM_IOCTL_NVGHOST_GEM_CREATE, &c)) {
		fail("managed_create", "GEM_CREATE MANAGED: expected success, got %s",
		     strerror(errno));
		return;
	}
	info.handle = c.handle;
	if (drmIoctl(gfd, DRM_IOCTL_NVGHOST_GEM_INFO, &info))
		fail("managed_create", "GEM_INFO: %s", strerror(errno));
	else
		result("managed_create", info.placement == MANAGED && info.size >= c.size,
		       "expected placement %u and size >= %llu, got %u and %llu", MANAGED,
		       (unsigned long long)c.size, info.placement,
		       (unsigned long long)info.size);
	result("managed_not_resident_at_creation", fdinfo("drm-resident-managed") == 0,
	       "expected drm-resident-managed 0 KiB before any access, got %lld",
	       fdinfo("drm-resident-managed"));
	cl.handle = c.handle;
	drmIoctl(gfd, DRM_IOCTL_GEM_CLOSE, &cl);
}

/*
 * First touch on the GPU: a managed buffer nobody wrote is copied to a VRAM
 * buffer full of garbage: it must arrive as zeroes, and the pages become
 * resident without any migration from system memory.
 */
static void check_first_touch(void)
{
	const char *name = "first_touch_gpu_reads_zero";
	struct bo m, v;
	long long in0, res, in1, bad;
	int st;

	if (managed_new(&m, 4 * MIB, 0) || bo_new(gfd, &v, 4 * MIB, VRAM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	memset(v.cpu, 0xa5, v.size);
	in0 = fdinfo("nvghost-managed-migrated-in");
	st = gpu_copy(m.va, v.va, 4 * MIB);
	res = fdinfo("drm-resident-managed");
	in1 = fdinfo("nvghost-managed-migrated-in");
	bad = check_zero(v.cpu, v.size);
	if (st != 1)
		fail(name, "copy from an untouched managed buffer: expected fence status 1, got %d", st);
	else if (bad >= 0)
		fail(name, "expected zeroes, byte %lld is 0x%02x", bad, ((unsigned char *)v.cpu)[bad]);
	else
		pass(name);
	result("first_touch_resident_without_migration", res >= 4096 && in1 == in0,
	       "expected >= 4096 KiB resident and no bytes migrated in, got %lld KiB resident, "
	       "migrated-in %lld -> %lld KiB", res, in0, in1);
	bo_free(&m);
	bo_free(&v);
}

/*
 * GPU fault and replay: the CPU writes a managed buffer (system memory), the
 * GPU copies it into VRAM: every access to a page not in VRAM faults, the
 * driver migrates and replays, the copy completes with the data.
 */
static void check_fault_replay(struct bo *m)
{
	const char *name = "gpu_fault_migrate_replay";
	long long f0, in0, f1, in1, bad;
	struct bo v;
	int st;

	if (bo_new(gfd, &v, m->size, VRAM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	fill_pat(m->cpu, m->size, 0x51);
	f0 = fdinfo("nvghost-managed-faults");
	in0 = fdinfo("nvghost-managed-migrated-in");
	st = gpu_copy(m->va, v.va, m->size);
	f1 = fdinfo("nvghost-managed-faults");
	in1 = fdinfo("nvghost-managed-migrated-in");
	bad = check_pat(v.cpu, v.size, 0x51);
	if (st != 1)
		fail(name, "expected the copy to complete (fence status 1), got %d", st);
	else if (bad >= 0)
		fail(name, "data copied through the faults differs at byte %lld", bad);
	else
		pass(name);
	result("gpu_fault_counted", f1 > f0 && in1 - in0 >= (long long)(m->size >> 10),
	       "expected faults to grow and >= %llu KiB migrated in, got faults %lld -> %lld, "
	       "migrated-in %lld -> %lld KiB", (unsigned long long)m->size >> 10, f0, f1,
	       in0, in1);
	result("gpu_resident_after_fault", fdinfo("drm-resident-managed") >= (long long)(m->size >> 10),
	       "expected >= %llu KiB resident, got %lld", (unsigned long long)m->size >> 10,
	       fdinfo("drm-resident-managed"));
	bo_free(&v);
}

/*
 * CPU fault back: the GPU writes the managed buffer (resident in VRAM);
 * the CPU reads it through its mapping: the pages come back to system
 * memory with the GPU's data; then the CPU writes and the GPU sees it.
 */
static void check_cpu_fault_back(struct bo *m)
{
	const char *name = "cpu_fault_back_sees_gpu_data";
	long long out0, out1, res0, res1, bad;
	struct bo v;
	int st;

	if (bo_new(gfd, &v, m->size, VRAM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	fill_pat(v.cpu, v.size, 0x77);
	st = gpu_copy(v.va, m->va, m->size);	/* GPU writes the managed pages */
	res0 = fdinfo("drm-resident-managed");
	out0 = fdinfo("nvghost-managed-migrated-out");
	bad = check_pat(m->cpu, m->size, 0x77);	/* CPU faults them back */
	out1 = fdinfo("nvghost-managed-migrated-out");
	res1 = fdinfo("drm-resident-managed");
	if (st != 1)
		fail(name, "GPU write to managed memory: expected fence status 1, got %d", st);
	else if (bad >= 0)
		fail(name, "the CPU read differs from what the GPU wrote at byte %lld", bad);
	else
		pass(name);
	result("cpu_fault_migrates_out", out1 - out0 >= (long long)(m->size >> 10) && res1 < res0,
	       "expected >= %llu KiB migrated out and residency to drop, got migrated-out "
	       "%lld -> %lld KiB, resident %lld -> %lld KiB", (unsigned long long)m->size >> 10,
	       out0, out1, res0, res1);

	/* The CPU's write is what the GPU reads next. */
	fill_pat(m->cpu, m->size, 0x78);
	memset(v.cpu, 0, v.size);
	st = gpu_copy(m->va, v.va, m->size);
	bad = check_pat(v.cpu, v.size, 0x78);
	result("gpu_sees_cpu_write_after_fault_back", st == 1 && bad < 0,
	       "expected fence status 1 and the CPU's data, got status %d, first bad byte %lld",
	       st, bad);
	bo_free(&v);
}

/* A write through a READ_ONLY mapping of managed memory still faults fatally. */
static void check_read_only(void)
{
	const char *name = "read_only_managed_write_faults";
	struct bo m, v;
	int st;

	if (managed_new(&m, 2 * MIB, DRM_NVGHOST_VM_BIND_READ_ONLY) ||
	    bo_new(gfd, &v, 2 * MIB, VRAM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	fill_pat(m.cpu, m.size, 0x99);
	st = gpu_copy(m.va, v.va, m.size);
	result("read_only_managed_readable", st == 1 && check_pat(v.cpu, v.size, 0x99) < 0,
	       "expected a read through the READ_ONLY mapping to work, got status %d", st);
	st = gpu_copy(v.va, m.va, PAGE);
	result(name, st < 0, "expected the write to end the job with an error, got status %d", st);
	result("read_only_data_kept", check_pat(m.cpu, m.size, 0x99) < 0,
	       "the managed buffer's data changed after a refused write");
	bo_free(&m);
	bo_free(&v);
}

/* A managed buffer cannot be exported: its pages move. */
static void check_prime_refused(void)
{
	struct bo m;
	int pfd = -1, ret;

	if (bo_create(gfd, &m, 2 * MIB, MANAGED)) {
		fail("managed_prime_refused", "setup: %s", strerror(errno));
		return;
	}
	ret = drmPrimeHandleToFD(gfd, m.handle, DRM_CLOEXEC, &pfd);
	result("managed_prime_refused", ret != 0,
	       "expected PRIME export of a managed buffer to fail, it gave fd %d", pfd);
	if (!ret)
		close(pfd);
	bo_free(&m);
}

/* Partial last block and an odd-sized buffer, mixed with a system buffer. */
static void check_mixed(void)
{
	const char *name = "managed_and_system_in_one_vm";
	struct bo m, s;
	int st;

	if (managed_new(&m, 3 * MIB + 64 * 1024, 0) || bo_new(gfd, &s, 3 * MIB + 64 * 1024, SYSTEM, 0)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	fill_pat(s.cpu, s.size, 0x123);
	st = gpu_copy(s.va, m.va, s.size);
	result(name, st == 1 && check_pat(m.cpu, m.size, 0x123) < 0,
	       "expected a system -> managed copy to arrive whole, got status %d, bad byte %lld",
	       st, check_pat(m.cpu, m.size, 0x123));
	bo_free(&m);
	bo_free(&s);
}

static int basic(void)
{
	struct bo m;

	check_create();
	check_first_touch();
	if (managed_new(&m, 6 * MIB, 0)) {
		fail("managed_new", "%s", strerror(errno));
		return failures;
	}
	check_fault_replay(&m);
	check_cpu_fault_back(&m);
	bo_free(&m);
	check_read_only();
	check_prime_refused();
	check_mixed();
	return failures;
}

/* ---- oversubscription ---- */

/*
 * Two managed buffers A and B of @mb MiB each (together more than the
 * managed VRAM the script allows). Each round: the GPU copies src -> dst in
 * one job, the CPU checks dst byte for byte, then rewrites dst with the next
 * round's pattern, which becomes the next round's src. Every round moves
 * both buffers through VRAM and back.
 */
static int oversub(u64 mb, double gib, bool quiet, bool each)
{
	u64 size = mb * MIB, moved = 0;
	long long in0, out0, in1, out1, ev, thr, bad;
	struct bo a, b, *src = &a, *dst = &b, *t;
	u32 round, seed = 0x1000;
	int st;

	if (managed_new(&a, size, 0) || managed_new(&b, size, 0)) {
		fail("oversub_setup", "%s", strerror(errno));
		return failures;
	}
	in0 = fdinfo("nvghost-managed-migrated-in");
	out0 = fdinfo("nvghost-managed-migrated-out");
	fill_pat(src->cpu, size, seed);
	for (round = 0; moved < gib * 1024 * MIB; round++) {
		st = gpu_copy(src->va, dst->va, size);
		if (st != 1) {
			fail("oversub_copy", "round %u: expected fence status 1, got %d", round, st);
			break;
		}
		bad = check_pat(dst->cpu, size, seed);
		if (bad >= 0) {
			fail("oversub_data", "round %u: byte %lld of %llu differs from what was copied",
			     round, bad, (unsigned long long)size);
			break;
		}
		bad = check_pat(src->cpu, size, seed);
		if (bad >= 0) {
			fail("oversub_data", "round %u: the source changed at byte %lld", round, bad);
			break;
		}
		seed++;
		fill_pat(dst->cpu, size, seed);
		t = src;
		src = dst;
		dst = t;
		in1 = fdinfo("nvghost-managed-migrated-in");
		out1 = fdinfo("nvghost-managed-migrated-out");
		moved = (u64)(in1 - in0 + out1 - out0) << 10;
		if (each)	/* the smaller direction */
			moved = (u64)(in1 - in0 < out1 - out0 ? in1 - in0 : out1 - out0) << 10;
		if (round > 10000)
			break;
	}
	in1 = fdinfo("nvghost-managed-migrated-in");
	out1 = fdinfo("nvghost-managed-migrated-out");
	ev = fdinfo("nvghost-managed-evicted");
	thr = fdinfo("nvghost-managed-thrashing");
	if (!quiet)
		printf("uvm_test: %u rounds, migrated in %lld MiB, out %lld MiB, evicted %lld MiB, "
		       "thrashing reports %lld\n", round, (in1 - in0) >> 10, (out1 - out0) >> 10,
		       ev >> 10, thr);
	if (!failures)
		pass("oversub_data_intact");
	result("oversub_migrated_enough", moved >= gib * 1024 * MIB,
	       "expected >= %.2f GiB migrated%s, got %llu MiB", gib, each ? " each way" : "",
	       (unsigned long long)(moved >> 20));
	result("oversub_evicted", ev > 0,
	       "expected evictions with 2 x %llu MiB managed over the VRAM limit, got %lld KiB",
	       (unsigned long long)mb, ev);
	if (!quiet)
		result("oversub_thrashing_reported", thr > 0,
		       "expected blocks cycling through VRAM to be reported as thrashing, got %lld",
		       thr);
	bo_free(&a);
	bo_free(&b);
	return failures;
}

/* ---- memory workloads (bench) ---- */

static uint64_t rng_state = 88172645463325252ULL;	/* shared with mempat.h */

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * One workload over a managed working set of @mb MiB (CPU-initialised, so
 * every first GPU touch migrates): the GPU reads it in 2 MiB jobs (a copy
 * to a VRAM scratch buffer) in the pattern's order; "llm" also appends to a
 * growing KV cache (a second managed buffer, a quarter of the set) and
 * reads all of it each token. Prints one "bench: uvm" line of fdinfo
 * deltas, wall time and the client's copy-engine time.
 */
static int bench(const char *pattern, u64 mb, u32 passes)
{
	u64 size = mb * MIB, chunk = 2 * MIB, nchunks, i, p, n = 0, kv_used = 0;
	long long f0, in0, out0, ev0, pf0, w0, th0, e0;
	struct bo m, kv = {}, scratch;
	bool llm = !strcmp(pattern, "llm");
	struct timespec t0, t1;
	int st = 1;

	if (llm) {
		if (managed_new(&kv, size / 4, 0))
			return fail("bench_setup", "kv: %s", strerror(errno)), failures;
		size -= size / 4;
	}
	if (managed_new(&m, size, 0) || bo_new(gfd, &scratch, chunk, VRAM, 0))
		return fail("bench_setup", "%s", strerror(errno)), failures;
	fill_pat(m.cpu, size, 7);
	nchunks = size / chunk;
	f0 = fdinfo("nvghost-managed-faults");
	in0 = fdinfo("nvghost-managed-migrated-in");
	out0 = fdinfo("nvghost-managed-migrated-out");
	ev0 = fdinfo("nvghost-managed-evicted");
	pf0 = fdinfo("nvghost-managed-prefetched");
	w0 = fdinfo("nvghost-managed-prefetch-wasted");
	th0 = fdinfo("nvghost-managed-thrashing");
	e0 = fdinfo("drm-engine-copy");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (p = 0; p < passes && st == 1; p++) {
		for (i = 0; i < nchunks && st == 1; i++, n++) {
			u64 c = i;

			if (!strcmp(pattern, "random"))
				c = rng() % nchunks;
			else if (!strcmp(pattern, "hotcold"))
				c = rng() % 10 ? rng() % (nchunks / 10 ? nchunks / 10 : 1) :
						 rng() % nchunks;
			st = gpu_copy1(m.va + c * chunk, scratch.va, chunk);
		}
		if (llm && st == 1) {
			/* this token's KV entries, then attention over all of them */
			if (kv_used + chunk / 8 <= kv.size) {
				st = gpu_copy1(scratch.va, kv.va + kv_used, chunk / 8);
				kv_used += chunk / 8;
			}
			for (i = 0; i < kv_used && st == 1; i += chunk)
				st = gpu_copy1(kv.va + i, scratch.va,
					       kv_used - i < chunk ? kv_used - i : chunk);
		}
		if (!strcmp(pattern, "seq"))
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (st != 1)
		fail("bench_run", "%s: a job failed with status %d", pattern, st);
	printf("bench: uvm pattern=%s ws_mb=%llu passes=%u wall_ms=%lld gpu_copy_ms=%lld "
	       "faults=%lld in_mib=%lld out_mib=%lld evicted_mib=%lld prefetched_mib=%lld "
	       "prefetch_unused_mib=%lld thrashing=%lld\n", pattern, (unsigned long long)mb,
	       passes, (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
	       (t1.tv_nsec - t0.tv_nsec) / 1000000,
	       (fdinfo("drm-engine-copy") - e0) / 1000000,
	       fdinfo("nvghost-managed-faults") - f0,
	       (fdinfo("nvghost-managed-migrated-in") - in0) >> 10,
	       (fdinfo("nvghost-managed-migrated-out") - out0) >> 10,
	       (fdinfo("nvghost-managed-evicted") - ev0) >> 10,
	       (fdinfo("nvghost-managed-prefetched") - pf0) >> 10,
	       (fdinfo("nvghost-managed-prefetch-wasted") - w0) >> 10,
	       fdinfo("nvghost-managed-thrashing") - th0);
	bo_free(&m);
	bo_free(&scratch);
	if (llm)
		bo_free(&kv);
	return failures;
}

/* ---- memory workloads in device time (vbench, vtenants) ---- */

/*
 * The workloads of make bench's managed-memory table (tests/vm/bench-uvm.sh)
 * run on the compute engine (engine 0, where a channel always lands, so
 * that no run's copies share copy engine 1 with the migrations and every
 * policy sees the same engines), as compute jobs that checksum (read) their
 * working set, and write (FILL) for the LLM's KV cache. On the virtual clock
 * (clock=virtual) the client drives device time itself: after each submit
 * it advances the clock (DRM_IOCTL_NVGHOST_CLOCK ADVANCE, STOP_ON_SIGNAL)
 * until its fence signals; the completion time is device time, set by the
 * cost model (migrations on copy engine 1 at the chip's PCIe rate, fault
 * service, the checksums' VRAM reads), not by the emulator's speed. On the
 * live clock the same jobs run and wait on their fences.
 */

#define VB_CHUNK	(2 * MIB)
#define VB_PAGE		(64 * 1024ULL)
#define VB_OPS		NVG_MP_OPS	/* checksum ops a job at most */

static bool vmode;		/* the device runs on the virtual clock */
static u32 compute_class;

static int vclock(u32 op, u64 until, u32 flags, struct drm_nvghost_clock *c)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->until_ns = until;
	c->flags = flags;
	return drmIoctl(gfd, DRM_IOCTL_NVGHOST_CLOCK, c) ? -errno : 0;
}

static u64 dev_now(void)
{
	struct drm_nvghost_clock c;

	return vclock(DRM_NVGHOST_CLOCK_GET, 0, 0, &c) ? 0 : c.now_ns;
}

/*
 * Virtual clock: let device time pass idle up to the next multiple of
 * 100 ms, 20 ms at least, so that every run starts with its engines
 * power-gated and at the same phase of the driver's periodic alarms
 * (devfreq sampling, thermal polling): the same run, the same device time.
 */
static void vidle(void)
{
	struct drm_nvghost_clock c;
	u64 grid = 100000000ULL;

	if (vmode)
		vclock(DRM_NVGHOST_CLOCK_ADVANCE, ((dev_now() + grid / 5) / grid + 1) * grid, 0, &c);
}

/* The fence's status if it signalled (1 ok, <0 error), 0 if not yet. */
static int fence_poll(int sf)
{
	struct pollfd p = { .fd = sf, .events = POLLIN };
	struct sync_file_info info = {};

	if (poll(&p, 1, 0) != 1)
		return 0;
	return ioctl(sf, SYNC_IOC_FILE_INFO, &info) ? -errno : info.status;
}

/*
 * Advance device time until @sf signals (virtual clock; on the live clock
 * just wait), then close it. @done_ns: device time it completed at (the
 * event whose settle signalled it). Returns its status, or -ETIMEDOUT if
 * 60 s of device time pass without it.
 */
static int vwait(int sf, u64 *done_ns)
{
	struct drm_nvghost_clock c;
	u64 t0 = dev_now();
	int st;

	if (!vmode) {
		st = fence_wait(sf, 60000);
		*done_ns = dev_now();
		return st ? st : -ETIMEDOUT;
	}
	while (!(st = fence_poll(sf))) {
		if (vclock(DRM_NVGHOST_CLOCK_ADVANCE, dev_now() + 100000000ULL,
			   DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL, &c)) {
			st = -errno;
			break;
		}
		if (c.now_ns - t0 > 60000000000ULL) {
			st = -ETIMEDOUT;
			break;
		}
	}
	*done_ns = dev_now();
	close(sf);
	return st;
}

static u32 fnv1a(const void *p, u64 n)
{
	const unsigned char *b = p;
	u32 h = NVG_FNV1A32_INIT;
	u64 i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * NVG_FNV1A32_PRIME;
	return h;
}

/* A compute job being built: checksums of (va, len) into result slots. */
struct vjob {
	struct pb pb;
	u32 nops;
	u64 va[VB_OPS];
	u32 len[VB_OPS];
};

static struct bo vres;		/* checksum results (system memory), one u32 an op */

static void vjob_begin(struct vjob *j)
{
	j->pb = (struct pb){ .bo = &gpbo, .dw = gpbo.cpu };
	j->nops = 0;
	emit(&j->pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
}

static void vjob_sum(struct vjob *j, u64 va, u32 len)
{
	u64 r = vres.va + (u64)j->nops * 4;

	emit(&j->pb, 0, NVGC_SET_ADDR_HI, 3, (u32)(va >> 32), (u32)va, len);
	emit(&j->pb, 0, NVGC_SET_RESULT_HI, 2, (u32)(r >> 32), (u32)r);
	emit(&j->pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_CHECKSUM);
	j->va[j->nops] = va;
	j->len[j->nops++] = len;
}

static void vjob_fill(struct vjob *j, u64 va, u32 len, u32 value)
{
	emit(&j->pb, 0, NVGC_SET_ADDR_HI, 4, (u32)(va >> 32), (u32)va, len, value);
	emit(&j->pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_FILL);
}

/* Submit @j on channel @ctx and run it to completion: its status. */
static int vjob_run(struct vjob *j, int ctx, u64 *done_ns)
{
	int sf = -1, st;

	st = submit(gfd, ctx, &j->pb, &sf);
	if (st)
		return st;
	return vwait(sf, done_ns);
}

/* FNV-1a of bytes @off..+@len of the working set @m as the CPU wrote it. */
static u32 expected_sum(struct bo *m, u64 off, u32 len)
{
	/* A private copy of the pattern: reading @m would migrate it back. */
	static unsigned char *shadow;

	if (!shadow) {
		shadow = malloc(m->size);
		if (!shadow)
			return 0;
		fill_pat(shadow, m->size, 7);
	}
	return fnv1a(shadow + off, len);
}

/*
 * vbench PATTERN MB PASSES: the working set is MB MiB of managed memory
 * (CPU-written, so every first GPU touch migrates), read (and for llm's KV
 * cache written) by the jobs of tools/mempat.h's pattern PATTERN (seq,
 * cyclic, random, hotcold, strided, llm; see there), one compute job a
 * pass (a token for llm), split where a pass has more than 64 ranges.
 * Every checksum of the weights is checked against the CPU's. One line:
 * "bench: uvm vtime=0|1 pattern=... device_us=..." with the client's fdinfo
 * deltas (faults, KiB migrated in/out, prefetched, prefetched but evicted
 * before any GPU access, thrashing reports).
 */
static int vbench(const char *pattern, u64 mb, u32 passes)
{
	u64 size = mb * MIB, t0, t1 = 0;
	long long f0, in0, out0, pf0, w0, th0;
	int kind = nvg_mp_kind_of(pattern);
	struct nvg_mp_op ops[NVG_MP_OPS];
	struct nvg_mempat mp;
	struct bo m, kv = {};
	struct vjob j;
	u32 bad = 0, jobs = 0, n, o;
	int ctx, st = 1;

	if (kind < 0 || nvg_mp_init(&mp, kind, size, passes, &rng_state))
		return fail("vbench_setup", "%s over %llu MiB: no such pattern, or less than one 2 MiB chunk",
			    pattern, (unsigned long long)mb), failures;
	passes = mp.passes;
	ctx = ctx_new(gfd, DRM_NVGHOST_ENGINE_COMPUTE);
	if (ctx < 0)
		return fail("vbench_setup", "compute channel: %s", strerror(-ctx)), failures;
	if (mp.size[1] && managed_new(&kv, mp.size[1], 0))
		return fail("vbench_setup", "kv: %s", strerror(errno)), failures;
	if (managed_new(&m, mp.size[0], 0) || bo_new(gfd, &vres, PAGE, SYSTEM, 0))
		return fail("vbench_setup", "%s", strerror(errno)), failures;
	fill_pat(m.cpu, mp.size[0], 7);
	f0 = fdinfo("nvghost-managed-faults");
	in0 = fdinfo("nvghost-managed-migrated-in");
	out0 = fdinfo("nvghost-managed-migrated-out");
	pf0 = fdinfo("nvghost-managed-prefetched");
	w0 = fdinfo("nvghost-managed-prefetch-wasted");
	th0 = fdinfo("nvghost-managed-thrashing");
	vidle();
	t0 = dev_now();
	/* The jobs of tools/mempat.h, shared with nvgbench's mem: clients. */
	while (st == 1 && (n = nvg_mp_next(&mp, ops))) {
		u32 sums = 0;

		vjob_begin(&j);
		for (o = 0; o < n; o++) {
			u64 va = (ops[o].buf ? kv.va : m.va) + ops[o].off;

			if (ops[o].write) {
				vjob_fill(&j, va, ops[o].len, ops[o].value);
			} else {
				vjob_sum(&j, va, ops[o].len);
				sums += !ops[o].buf;
			}
		}
		st = vjob_run(&j, ctx, &t1);
		jobs++;
		/* the working set's checksums come first (the KV cache's are not checked) */
		for (o = 0; o < sums && st == 1; o++)
			bad += ((u32 *)vres.cpu)[o] != expected_sum(&m, j.va[o] - m.va, j.len[o]);
	}
	if (st != 1)
		fail("vbench_run", "%s: a job ended with status %d (%s)", pattern, st,
		     st < 0 ? strerror(-st) : "not signalled");
	else if (bad)
		fail("vbench_data", "%s: %u checksums of the working set differ from the CPU's",
		     pattern, bad);
	printf("bench: uvm vtime=%d pattern=%s ws_mb=%llu passes=%u jobs=%u device_us=%llu "
	       "faults=%lld in_kib=%lld out_kib=%lld prefetched_kib=%lld "
	       "prefetch_unused_kib=%lld thrashing=%lld data=%s\n", vmode, pattern,
	       (unsigned long long)mb, passes, jobs, (unsigned long long)(t1 - t0) / 1000,
	       fdinfo("nvghost-managed-faults") - f0,
	       fdinfo("nvghost-managed-migrated-in") - in0,
	       fdinfo("nvghost-managed-migrated-out") - out0,
	       fdinfo("nvghost-managed-prefetched") - pf0,
	       fdinfo("nvghost-managed-prefetch-wasted") - w0,
	       fdinfo("nvghost-managed-thrashing") - th0, st == 1 && !bad ? "ok" : "BAD");
	bo_free(&m);
	bo_free(&vres);
	if (kv.size)
		bo_free(&kv);
	return failures;
}

/*
 * vtenants LC_MB STREAM_MB JOBS [alone]: a latency-critical client (this
 * process: a compute job that reads its LC_MB MiB working set, JOBS times,
 * 500 us of device time apart) beside a streaming tenant (a child process,
 * another DRM client: copies of 2 MiB chunks of its STREAM_MB MiB managed
 * buffer, cyclically, one job always in flight) -- or alone. This process
 * drives the clock and tells the child when to submit (a pipe), so every
 * submission happens between two ADVANCE calls, in the same order every
 * run. One line: "bench: uvm-tenants mode=alone|shared ... lc_mean_us=
 * lc_p95_us= lc_max_us=" (submit to completion, device time) and the
 * client's faults while measured.
 */
static int child_cmd(int wfd, int rfd, char c)
{
	char r = 0;

	if (write(wfd, &c, 1) != 1 || read(rfd, &r, 1) != 1)
		return -1;
	return r;
}

static void streamer(const char *dev, u64 mb, int rfd, int wfd)
{
	u64 size = mb * MIB, next = 0;
	struct bo m, scratch;
	int ctx, sf = -1;
	char c, r;

	gfd = open(dev, O_RDWR | O_CLOEXEC);
	ctx = gfd < 0 ? -1 : ctx_new(gfd, DRM_NVGHOST_ENGINE_COPY);
	if (ctx < 0 || bo_new(gfd, &gpbo, PAGE, SYSTEM, 0) || managed_new(&m, size, 0) ||
	    bo_new(gfd, &scratch, VB_CHUNK, VRAM, 0)) {
		r = 'E';
		write(wfd, &r, 1);
		_exit(1);
	}
	fill_pat(m.cpu, size, 9);
	r = 'R';
	write(wfd, &r, 1);
	while (read(rfd, &c, 1) == 1) {
		if (sf >= 0 && fence_poll(sf)) {
			close(sf);
			sf = -1;
		}
		if (c == 's' && sf < 0) {
			struct pb pb = { .bo = &gpbo, .dw = gpbo.cpu };

			emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, copy_class);
			emit(&pb, SUBCH, NVG_COPY_OFFSET_IN_UPPER, 4,
			     (u32)((m.va + next) >> 32), (u32)(m.va + next),
			     (u32)(scratch.va >> 32), (u32)scratch.va);
			emit(&pb, SUBCH, NVG_COPY_LINE_LENGTH_IN, 1, (u32)VB_CHUNK);
			emit(&pb, SUBCH, NVG_COPY_LAUNCH_DMA, 1,
			     NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED |
			     NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH |
			     NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH);
			if (submit(gfd, ctx, &pb, &sf))
				sf = -1;
			next = (next + VB_CHUNK) % size;
		}
		r = sf >= 0 ? 'b' : 'i';	/* busy or idle */
		if (c == 'q' || write(wfd, &r, 1) != 1)
			break;
	}
	_exit(0);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int vtenants(const char *dev, u64 lc_mb, u64 stream_mb, u32 njobs, bool alone)
{
	int down[2], up[2], ctx, sf, st = 1;
	u64 *lat, sum = 0, t, done, until;
	struct drm_nvghost_clock c;
	long long f0 = 0;
	struct bo m;
	struct vjob j;
	pid_t pid = -1;
	u32 n;

	lat = calloc(njobs + 1, sizeof(*lat));
	ctx = ctx_new(gfd, DRM_NVGHOST_ENGINE_COMPUTE);
	if (!lat || ctx < 0 || managed_new(&m, lc_mb * MIB, 0) ||
	    bo_new(gfd, &vres, PAGE, SYSTEM, 0))
		return fail("vtenants_setup", "%s", strerror(errno)), failures;
	fill_pat(m.cpu, m.size, 7);
	if (!alone) {
		if (pipe(down) || pipe(up))
			return fail("vtenants_setup", "pipe: %s", strerror(errno)), failures;
		pid = fork();
		if (!pid)
			streamer(dev, stream_mb, down[0], up[1]);
		if (pid < 0)
			return fail("vtenants_setup", "fork: %s", strerror(errno)), failures;
		{
			char r = 0;

			if (read(up[0], &r, 1) != 1 || r != 'R')
				return fail("vtenants_setup", "the streaming tenant did not start"),
				       failures;
		}
	}
	vidle();
	/* The streamer gets going; the first LC job makes its set resident. */
	for (n = 0; n <= njobs && st == 1; n++) {
		vjob_begin(&j);
		for (t = 0; t < m.size; t += VB_CHUNK)
			vjob_sum(&j, m.va + t, m.size - t < VB_CHUNK ? m.size - t : VB_CHUNK);
		if (n == 1)
			f0 = fdinfo("nvghost-managed-faults");
		if (!alone)
			child_cmd(down[1], up[0], 's');
		t = dev_now();
		st = submit(gfd, ctx, &j.pb, &sf) ? -EIO : 0;
		while (!st && !(st = fence_poll(sf))) {
			if (!vmode) {
				st = fence_wait(sf, 60000) ?: -ETIMEDOUT;
				sf = -1;
				break;
			}
			if (vclock(DRM_NVGHOST_CLOCK_ADVANCE, dev_now() + 100000000ULL,
				   DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL, &c))
				st = -errno;
			else if (!alone)
				child_cmd(down[1], up[0], 's');
			if (!st && dev_now() - t > 60000000000ULL)
				st = -ETIMEDOUT;
		}
		if (sf >= 0)
			close(sf);
		done = dev_now();
		lat[n] = done - t;
		for (t = 0; t < j.nops && st == 1; t++)
			if (((u32 *)vres.cpu)[t] != expected_sum(&m, j.va[t] - m.va, j.len[t]))
				st = -EBADMSG;
		/* think time: the streamer goes on meanwhile */
		until = done + 500000;
		while (vmode && st == 1 && dev_now() < until) {
			if (vclock(DRM_NVGHOST_CLOCK_ADVANCE, until,
				   DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL, &c))
				st = -errno;
			else if (!alone)
				child_cmd(down[1], up[0], 's');
		}
		if (!vmode)
			usleep(500);
	}
	/* let the streamer's last job finish before it goes */
	while (!alone && vmode && child_cmd(down[1], up[0], 'd') == 'b')
		if (vclock(DRM_NVGHOST_CLOCK_ADVANCE, dev_now() + 100000000ULL,
			   DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL, &c))
			break;
	if (!alone) {
		char q = 'q';

		write(down[1], &q, 1);
		waitpid(pid, NULL, 0);
	}
	if (st != 1)
		fail("vtenants_run", "a latency-critical job ended with status %d (%s)", st,
		     st < 0 ? strerror(-st) : "?");
	for (n = 1; n <= njobs; n++)
		sum += lat[n];
	qsort(lat + 1, njobs, sizeof(*lat), cmp_u64);
	printf("bench: uvm-tenants vtime=%d mode=%s lc_mb=%llu stream_mb=%llu jobs=%u "
	       "lc_mean_us=%.1f lc_p95_us=%.1f lc_max_us=%.1f lc_faults=%lld\n", vmode,
	       alone ? "alone" : "shared", (unsigned long long)lc_mb,
	       (unsigned long long)stream_mb, njobs, sum / 1000.0 / njobs,
	       lat[1 + (njobs * 95 - 1) / 100] / 1000.0, lat[njobs] / 1000.0,
	       fdinfo("nvghost-managed-faults") - f0);
	bo_free(&m);
	bo_free(&vres);
	return failures;
}

/* ---- injected hang or fault during a migration ---- */

#define INJECT	"/sys/kernel/debug/nvghost/gpu0/inject"

static int inject(const char *what)
{
	FILE *f = fopen(INJECT, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%s\n", what) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/* A compute job on @ctx: *(u32 *)@res_va := FNV-1a of @len bytes at @va. */
static int gpu_checksum(int ctx, u64 va, u32 len, u64 res_va, int timeout_ms)
{
	struct pb pb = { .bo = &gpbo, .dw = gpbo.cpu };
	int sf = -1, ret;

	emit(&pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
	emit(&pb, 0, NVGC_SET_ADDR_HI, 3, (u32)(va >> 32), (u32)va, len);
	emit(&pb, 0, NVGC_SET_RESULT_HI, 2, (u32)(res_va >> 32), (u32)res_va);
	emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_CHECKSUM);
	ret = submit(gfd, ctx, &pb, &sf);
	return ret ? ret : fence_wait(sf, timeout_ms);
}

/*
 * The guilty client: a compute job reads its managed buffer (CPU-written,
 * so every page it reaches faults and migrates); the engine was told to
 * hang in, or fault at the end of, its first fault's stall. The job must
 * fail (reset after job_timeout_ms, or an MMU fault) after pages migrated
 * for it; the buffer's data stay whole; a new channel then checksums it.
 */
static int guilty(const char *how, u64 mb)
{
	bool hang = !strcmp(how, "hang");
	u64 size = mb * MIB;
	long long in0, in1, bad;
	struct bo m, res, v;
	int ctx, ctx2, st;
	u32 want;

	if (!hang && strcmp(how, "fault"))
		return fail("guilty_args", "expected hang or fault, got '%s'", how), failures;
	if (managed_new(&m, size, 0) || bo_new(gfd, &res, PAGE, SYSTEM, 0) ||
	    bo_new(gfd, &v, size, VRAM, 0))
		return fail("guilty_setup", "%s", strerror(errno)), failures;
	ctx = ctx_new(gfd, DRM_NVGHOST_ENGINE_COMPUTE);
	if (ctx < 0)
		return fail("guilty_setup", "compute channel: %s", strerror(-ctx)), failures;
	fill_pat(m.cpu, size, 0xbad);
	want = nvg_fnv1a32(m.cpu, size, NVG_FNV1A32_INIT);
	in0 = fdinfo("nvghost-managed-migrated-in");
	st = inject(hang ? "0 hang_migrate" : "0 fault_migrate");
	if (st)
		return fail("guilty_inject", "write %s: %s", INJECT, strerror(-st)), failures;
	st = gpu_checksum(ctx, m.va, size, res.va, 120000);
	in1 = fdinfo("nvghost-managed-migrated-in");
	result(hang ? "guilty_hung_job_reset" : "guilty_faulted_job_fails", st < 0,
	       "expected the job %s during its migration to end with an error, got fence status %d",
	       hang ? "hung" : "faulted", st);
	result("guilty_migrated_before_failing", in1 > in0,
	       "expected pages migrated in for the job before it %s, migrated-in %lld -> %lld KiB",
	       hang ? "hung" : "faulted", in0, in1);
	bad = check_pat(m.cpu, size, 0xbad);
	result("guilty_data_intact", bad < 0,
	       "expected the managed buffer unchanged after the failed job, byte %lld differs", bad);
	/* Recovered: a new channel reads the same pages. */
	ctx2 = ctx_new(gfd, DRM_NVGHOST_ENGINE_COMPUTE);
	*(volatile u32 *)res.cpu = 0;
	st = ctx2 < 0 ? ctx2 : gpu_checksum(ctx2, m.va, size, res.va, 60000);
	result("guilty_new_channel_works", st == 1 && *(volatile u32 *)res.cpu == want,
	       "expected a checksum job on a new channel to give 0x%08x, got status %d, 0x%08x",
	       want, st, *(volatile u32 *)res.cpu);
	check_copy_whole("guilty_copy_after_recovery", &m, &v, size, 0xbad, "after the recovery");
	bo_free(&m);
	bo_free(&res);
	bo_free(&v);
	return failures;
}

/*
 * An innocent client beside it: each round the CPU writes a system
 * buffer, the GPU copies it into a managed buffer and that into a VRAM
 * buffer; the VRAM copy and the managed buffer (a CPU fault back) are
 * checked byte for byte. Until @stop exists; @stop.rounds holds the count.
 */
static int innocent(u64 mb, const char *stop)
{
	u64 size = mb * MIB;
	struct bo s, m, v;
	char path[256], tmp[272];
	long long bad;
	u32 round;
	FILE *f;
	int st;

	snprintf(path, sizeof(path), "%s.rounds", stop);
	snprintf(tmp, sizeof(tmp), "%s.rounds.tmp", stop);
	if (bo_new(gfd, &s, size, SYSTEM, 0) || managed_new(&m, size, 0) ||
	    bo_new(gfd, &v, size, VRAM, 0))
		return fail("innocent_setup", "%s", strerror(errno)), failures;
	for (round = 0; round < 100000; round++) {
		if (round && access(stop, F_OK) == 0)
			break;
		fill_pat(s.cpu, size, 0x5000 + round);
		st = gpu_copy(s.va, m.va, size);
		if (st == 1)
			st = gpu_copy(m.va, v.va, size);
		if (st != 1) {
			fail("innocent_jobs_complete", "round %u: expected fence status 1, got %d",
			     round, st);
			break;
		}
		bad = check_pat(v.cpu, size, 0x5000 + round);
		if (bad < 0)
			bad = check_pat(m.cpu, size, 0x5000 + round);
		if (bad >= 0) {
			fail("innocent_data_intact", "round %u: byte %lld differs", round, bad);
			break;
		}
		/* whole or not at all: the test reads it while this runs */
		f = fopen(tmp, "w");
		if (f) {
			fprintf(f, "%u\n", round + 1);
			if (!fclose(f))
				rename(tmp, path);
		}
	}
	printf("uvm_test: innocent: %u rounds of %llu MiB\n", round, (unsigned long long)mb);
	if (!failures) {
		pass("innocent_jobs_complete");
		pass("innocent_data_intact");
	}
	bo_free(&s);
	bo_free(&m);
	bo_free(&v);
	return failures;
}

/* ---- failed migrations ---- */

/* A field of debugfs gpu0/uvm, or -1. */
static long long uvm_dbg(const char *key)
{
	FILE *f = fopen("/sys/kernel/debug/nvghost/gpu0/uvm", "r");
	size_t n = strlen(key);
	long long v = -1;
	char line[128];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtoll(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static int write_file(const char *path, const char *what)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fputs(what, f) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

/*
 * The client whose data a failed eviction must keep: @mb MiB of managed
 * memory written by the CPU and read by the GPU (so resident), then
 * nothing until @stop exists: no CPU access while the other client's
 * migrations fail. Then every byte is checked through a GPU copy and
 * through the CPU.
 */
static int hold(u64 mb, const char *stop)
{
	u64 size = mb * MIB;
	char path[256];
	long long bad;
	struct bo m, v;
	int st;

	if (managed_new(&m, size, 0) || bo_new(gfd, &v, size, VRAM, 0))
		return fail("hold_setup", "%s", strerror(errno)), failures;
	fill_pat(m.cpu, size, 0x401d);
	st = gpu_copy(m.va, v.va, size);
	result("hold_resident", st == 1 && fdinfo("drm-resident-managed") == (long long)(size >> 10),
	       "expected the GPU read to complete and all %llu KiB resident, got status %d, %lld KiB",
	       (unsigned long long)size >> 10, st, fdinfo("drm-resident-managed"));
	snprintf(path, sizeof(path), "%s.ready", stop);
	write_file(path, "1\n");
	while (access(stop, F_OK))
		usleep(20000);
	memset(v.cpu, 0, size);
	st = gpu_copy(m.va, v.va, size);
	bad = check_pat(v.cpu, size, 0x401d);
	result("hold_gpu_sees_data", st == 1 && bad < 0,
	       "expected a GPU copy of the held buffer to be whole, got status %d, bad byte %lld",
	       st, bad);
	bad = check_pat(m.cpu, size, 0x401d);
	result("hold_cpu_sees_data", bad < 0,
	       "expected the held buffer whole through the CPU, byte %lld differs", bad);
	bo_free(&m);
	bo_free(&v);
	return failures;
}

/*
 * With VRAM's managed share full of another client's blocks, a copy from
 * this client's managed buffer faults; the eviction that would make room
 * has its copy out fail (injected): the fault is cancelled, the job ends
 * with an MMU fault, the victim stays resident. Then, with room (the
 * limit raised), the copy in fails: cancelled again, the block gets no
 * VRAM. Then nothing is armed and the same copy works; every byte is
 * checked after each step.
 */
static int migfail(u64 mb)
{
	u64 size = mb * MIB;
	long long used0, ev0, cancels0, bad;
	struct bo m, v;
	int st;

	if (managed_new(&m, size, 0) || bo_new(gfd, &v, size, VRAM, 0))
		return fail("migfail_setup", "%s", strerror(errno)), failures;
	fill_pat(m.cpu, size, 0xfa11);
	used0 = uvm_dbg("vram_used");
	ev0 = uvm_dbg("evictions");
	cancels0 = uvm_dbg("cancels");

	/* 1. The eviction's copy out fails. */
	st = inject("1 fail_migration");
	if (st)
		return fail("migfail_inject", "%s: %s", INJECT, strerror(-st)), failures;
	st = gpu_copy1(m.va, v.va, 2 * MIB);
	result("evict_copy_fail_cancels_fault", st < 0,
	       "expected the job to end with an error when its eviction's copy failed, got status %d",
	       st);
	result("evict_copy_fail_victim_stays", uvm_dbg("vram_used") == used0 &&
	       uvm_dbg("evictions") == ev0 && uvm_dbg("cancels") > cancels0,
	       "expected VRAM use (%lld) and evictions (%lld) unchanged and a cancel, got %lld, %lld, "
	       "cancels %lld -> %lld", used0, ev0, uvm_dbg("vram_used"), uvm_dbg("evictions"),
	       cancels0, uvm_dbg("cancels"));
	result("evict_copy_fail_nothing_resident", fdinfo("drm-resident-managed") == 0,
	       "expected none of the faulting client's pages resident, got %lld KiB",
	       fdinfo("drm-resident-managed"));

	/* 2. Room without evicting: the copy in fails. (The faulted channel is guilty.) */
	gctx = ctx_new(gfd, DRM_NVGHOST_ENGINE_COPY);
	st = write_file("/sys/module/nvghost/parameters/uvm_vram_mb", "0\n");
	if (st)
		return fail("migfail_limit", "uvm_vram_mb: %s", strerror(-st)), failures;
	cancels0 = uvm_dbg("cancels");
	st = inject("1 fail_migration");
	if (st)
		return fail("migfail_inject", "%s: %s", INJECT, strerror(-st)), failures;
	st = gpu_copy1(m.va, v.va, 2 * MIB);
	result("copy_in_fail_cancels_fault", st < 0 && uvm_dbg("cancels") > cancels0,
	       "expected the job to end with an error and a cancel when the copy in failed, got "
	       "status %d, cancels %lld -> %lld", st, cancels0, uvm_dbg("cancels"));
	result("copy_in_fail_chunk_released", uvm_dbg("vram_used") == used0 &&
	       fdinfo("drm-resident-managed") == 0,
	       "expected the block's chunk given back (VRAM use %lld) and nothing resident, got %lld, "
	       "%lld KiB", used0, uvm_dbg("vram_used"), fdinfo("drm-resident-managed"));
	bad = check_pat(m.cpu, size, 0xfa11);
	result("migfail_data_intact", bad < 0,
	       "expected the faulting client's data unchanged after the failed copies, byte %lld "
	       "differs", bad);

	/* 3. Nothing armed: it works, on a new channel. */
	gctx = ctx_new(gfd, DRM_NVGHOST_ENGINE_COPY);
	check_copy_whole("copy_after_failures", &m, &v, size, 0xfa11, "once no failure is armed");
	bo_free(&m);
	bo_free(&v);
	return failures;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DEVICE basic|oversub MB GIB|touch MB|bench PATTERN MB PASSES|vbench PATTERN MB PASSES|vtenants LC_MB STREAM_MB JOBS [alone]\n", argv[0]);
		return 1;
	}
	gfd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (gfd < 0) {
		fail("open", "%s: %s", argv[1], strerror(errno));
		return 1;
	}
	{
		struct drm_nvghost_get_param p = { .param = DRM_NVGHOST_PARAM_ENGINE_CLASS,
						   .index = 1 };

		copy_class = drmIoctl(gfd, DRM_IOCTL_NVGHOST_GET_PARAM, &p) ? 0 : (u32)p.value;
	}
	{
		struct drm_nvghost_get_param p = { .param = DRM_NVGHOST_PARAM_ENGINE_CLASS };
		struct drm_nvghost_clock c;

		compute_class = drmIoctl(gfd, DRM_IOCTL_NVGHOST_GET_PARAM, &p) ? 0 : (u32)p.value;
		vmode = !vclock(DRM_NVGHOST_CLOCK_GET, 0, 0, &c) &&
			c.mode == DRM_NVGHOST_CLOCK_MODE_VIRTUAL;
	}
	/* vbench and vtenants open their own channels (vbench's comment says why) */
	if (strcmp(argv[2], "vbench") && strcmp(argv[2], "vtenants"))
		gctx = ctx_new(gfd, DRM_NVGHOST_ENGINE_COPY);
	if (gctx < 0 || bo_new(gfd, &gpbo, PAGE, SYSTEM, 0)) {
		fail("setup", "channel or pushbuffer: %s", strerror(errno));
		return 1;
	}
	if (!strcmp(argv[2], "vbench") && argc == 6)
		ret = vbench(argv[3], strtoull(argv[4], NULL, 0), strtoul(argv[5], NULL, 0));
	else if (!strcmp(argv[2], "vtenants") && (argc == 6 || argc == 7))
		ret = vtenants(argv[1], strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0),
			       strtoul(argv[5], NULL, 0), argc == 7 && !strcmp(argv[6], "alone"));
	else if (!strcmp(argv[2], "basic"))
		ret = basic();
	else if (!strcmp(argv[2], "oversub") && argc == 5)
		ret = oversub(strtoull(argv[3], NULL, 0), strtod(argv[4], NULL), false, false);
	else if (!strcmp(argv[2], "oversub_each") && argc == 5)
		ret = oversub(strtoull(argv[3], NULL, 0), strtod(argv[4], NULL), false, true);
	else if (!strcmp(argv[2], "guilty") && argc == 5)
		ret = guilty(argv[3], strtoull(argv[4], NULL, 0));
	else if (!strcmp(argv[2], "innocent") && argc == 5)
		ret = innocent(strtoull(argv[3], NULL, 0), argv[4]);
	else if (!strcmp(argv[2], "hold") && argc == 5)
		ret = hold(strtoull(argv[3], NULL, 0), argv[4]);
	else if (!strcmp(argv[2], "migfail") && argc == 4)
		ret = migfail(strtoull(argv[3], NULL, 0));
	else if (!strcmp(argv[2], "bench") && argc == 6)
		ret = bench(argv[3], strtoull(argv[4], NULL, 0), strtoul(argv[5], NULL, 0));
	else if (!strcmp(argv[2], "touch") && argc == 4)
		ret = oversub(strtoull(argv[3], NULL, 0), 0.0001, true, false);
	else {
		fprintf(stderr, "unknown mode %s\n", argv[2]);
		return 1;
	}
	close(gfd);
	return ret > 125 ? 125 : ret;
}
