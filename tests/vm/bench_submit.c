// SPDX-License-Identifier: GPL-2.0
/*
 * bench_submit - micro-benchmarks of nvghost against baselines measured in
 * the same run, inside the test VM (tests/vm/bench.sh, `make bench`).
 *
 *   bench_submit [-n N] [-w WARMUP] [-r REPS]
 *
 * 1. Submit-to-signal latency of an empty job on a COPY channel (a
 *    pushbuffer with one host NOP method; and the smallest real job,
 *    SET_OBJECT + a host semaphore release), submitted with
 *    OUT_SYNC_FILE and waited for by poll() on the sync file, against a
 *    null ioctl (GET_PARAM CHIP_ID). The three are measured in alternating
 *    blocks of 100 so that drift in the host affects all of them alike.
 * 2. Copy throughput on the copy engine, VRAM->VRAM and SYS->VRAM, 16 and
 *    64 MiB, wall time from submit to signal, best and median of REPS,
 *    next to the chip table's modelled bandwidth.
 * 3. Buffer-object create + mmap + touch + munmap + destroy rate, 4 KiB and
 *    1 MiB, VRAM and system memory, against vgem's dumb buffers
 *    (modprobe vgem first; skipped with a note if no vgem node exists).
 *
 * 4. (-s throughput) Small-job throughput: nop jobs with 64 in flight, on
 *    one COPY channel and over eight.
 *
 * -s picks the sections (default all four); -F measures latency and
 * throughput with nvghost's fast_path parameter off and on, switched
 * between blocks; -J N only submits N nop jobs one at a time (the workload
 * tests/vm/bench-fastpath.sh traces).
 *
 * Every result is one line starting with "bench: " (key=value fields,
 * groups separated by " | "); scripts/bench.sh collects them. Lines starting
 * with "bench: error" mean a measurement could not be made; the exit status
 * is the number of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
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

#define MiB		(1ULL << 20)
#define KiB		(1ULL << 10)
#define SUBCH		4
#define BLOCK		100	/* iterations per block when interleaving */
#define FENCE_TIMEOUT_MS	60000
#define ROUNDS_TPUT	3	/* throughput rounds, the median is kept */

static int errors;

static void __attribute__((format(printf, 1, 2))) error(const char *fmt, ...)
{
	va_list ap;

	printf("bench: error ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	errors++;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array, @q in [0, 1]. */
static uint64_t pct(const uint64_t *v, size_t n, double q)
{
	size_t k = (size_t)(q * (double)n + 0.999999);

	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

static double median_d(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Open the first DRM node under @pattern (printf with an int) whose driver is @name. */
static int open_driver(const char *pattern, int first, const char *name, char *path,
		       size_t len)
{
	int i, fd;

	for (i = first; i < first + 64; i++) {
		drmVersionPtr v;
		bool match;

		snprintf(path, len, pattern, i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		match = v && !strcmp(v->name, name);
		drmFreeVersion(v);
		if (match)
			return fd;
		close(fd);
	}
	return -1;
}

/* ---- nvghost objects, channels, pushbuffers (as in submit_test.c) ---- */

#define GPU_OWN_PB	/* its own struct pb and emit(), at an offset */
#include "gpu.h"

/* A pushbuffer at dword @first of @bo. */
struct pb {
	struct bo *bo;
	u32 first;
	u32 n;
};

static void pb_init(struct pb *pb, struct bo *bo, u32 first)
{
	pb->bo = bo;
	pb->first = first;
	pb->n = 0;
}

static void emit(struct pb *pb, u32 subch, u32 method, u32 count, ...)
{
	u32 *dw = (u32 *)pb->bo->cpu + pb->first;
	va_list ap;
	u32 i;

	dw[pb->n++] = nvg_pb_hdr_incr(subch, method, count);
	va_start(ap, count);
	for (i = 0; i < count; i++)
		dw[pb->n++] = va_arg(ap, u32);
	va_end(ap);
}

static void emit_host_release(struct pb *pb, u64 va, u32 payload)
{
	emit(pb, SUBCH, NVG_HOST_SEM_ADDR_LO, 4, (u32)va, (u32)(va >> 32), payload, 0);
	emit(pb, SUBCH, NVG_HOST_SEM_EXECUTE, 1, NVG_SEM_EXECUTE_OPERATION_RELEASE);
}

static void emit_copy(struct pb *pb, u64 src, u64 dst, u32 len)
{
	emit(pb, SUBCH, NVG_COPY_OFFSET_IN_UPPER, 4, (u32)(src >> 32), (u32)src,
	     (u32)(dst >> 32), (u32)dst);
	emit(pb, SUBCH, NVG_COPY_LINE_LENGTH_IN, 1, len);
	emit(pb, SUBCH, NVG_COPY_LAUNCH_DMA, 1,
	     NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED |
	     NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH | NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH);
}

/*
 * Submit @pb on @ctx with OUT_SYNC_FILE and poll the sync file until it
 * signals. Returns the fence status (1 signalled, <0 error, 0 timeout), or
 * the ioctl's -errno; @t_ioctl/@t_total get the time until the ioctl
 * returned and until poll() did.
 */
static int submit_wait(int fd, u32 ctx, const struct pb *pb, uint64_t *t_ioctl,
		       uint64_t *t_total)
{
	u64 entry = nvg_gpfifo_entry_encode(pb->bo->va + pb->first * 4ULL, pb->n, 0);
	struct drm_nvghost_submit s = {
		.ctx_id = ctx,
		.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE,
		.gpfifo = (uintptr_t)&entry,
		.gpfifo_count = 1,
	};
	struct sync_file_info info = {};
	struct pollfd p = { .events = POLLIN };
	uint64_t t0, t1, t2;
	int ret;

	t0 = now_ns();
	if (ioctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s))
		return -errno;
	t1 = now_ns();
	p.fd = s.fence_fd;
	do {
		ret = poll(&p, 1, FENCE_TIMEOUT_MS);
	} while (ret < 0 && errno == EINTR);
	t2 = now_ns();
	if (t_ioctl)
		*t_ioctl = t1 - t0;
	if (t_total)
		*t_total = t2 - t0;
	if (ret != 1) {
		close(s.fence_fd);
		return 0;
	}
	ret = ioctl(s.fence_fd, SYNC_IOC_FILE_INFO, &info) ? -errno : info.status;
	close(s.fence_fd);
	return ret;
}

static int null_ioctl(int fd)
{
	struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_CHIP_ID };

	return ioctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp) ? -errno : 0;
}

/* ---- 1. submit-to-signal latency vs a null ioctl ---- */

struct series {
	const char *name;
	uint64_t *v;		/* ns, one per measured iteration */
	uint64_t *v2;		/* ioctl part, for submits */
	size_t n;
};

/*
 * -F: nvghost's fast_path parameter, switched between blocks so that both
 * paths are measured in the same stretch of the run (tests/vm/bench-fastpath.sh).
 */
#define FAST_PATH_PARAM	"/sys/module/nvghost/parameters/fast_path"
static bool fp_switch;

static int set_fast_path(int on)
{
	FILE *f;
	int ok;

	if (!fp_switch)
		return 0;
	f = fopen(FAST_PATH_PARAM, "w");
	if (!f)
		return -1;
	ok = fprintf(f, "%d\n", on) > 0;
	return (fclose(f) || !ok) ? -1 : 0;
}

static void bench_latency(int fd, const struct nvg_chip *chip, int n, int warmup)
{
	struct series s_null = { .name = "null_ioctl" }, s_nop[2] = { { .name = "nop" },
		{ .name = "nop" } }, s_sem[2] = { { .name = "sem" }, { .name = "sem" } };
	struct series *all[] = { &s_null, &s_nop[0], &s_sem[0], &s_nop[1], &s_sem[1] };
	int npath = fp_switch ? 2 : 1, nall = 1 + 2 * npath, path;
	struct pb pb_nop, pb_sem;
	struct bo pbo;
	int ctx, ret, i, k, round;
	u32 *sem;

	ret = bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0);
	ctx = ret ? ret : ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	if (ret || ctx < 0) {
		error("latency setup: %s", strerror(-(ret ? ret : ctx)));
		return;
	}
	/* Dwords 0-1: one host NOP. Dwords 64-: SET_OBJECT + host release. */
	pb_init(&pb_nop, &pbo, 0);
	emit(&pb_nop, SUBCH, NVG_HOST_NOP, 1, 0);
	pb_init(&pb_sem, &pbo, 64);
	emit(&pb_sem, SUBCH, NVG_HOST_SET_OBJECT, 1, chip->copy_class);
	emit_host_release(&pb_sem, pbo.va + 2048, 0);
	sem = (u32 *)pbo.cpu + 512;

	for (k = 0; k < nall; k++) {
		all[k]->v = calloc((size_t)n, sizeof(uint64_t));
		all[k]->v2 = calloc((size_t)n, sizeof(uint64_t));
		if (!all[k]->v || !all[k]->v2) {
			error("latency: out of memory");
			return;
		}
	}

	/* Warm-up, then blocks of BLOCK of each kind in turn. */
	for (i = 0; i < warmup; i++) {
		if (null_ioctl(fd) || submit_wait(fd, ctx, &pb_nop, NULL, NULL) != 1 ||
		    submit_wait(fd, ctx, &pb_sem, NULL, NULL) != 1) {
			error("latency warm-up: a null ioctl or a submission failed");
			return;
		}
	}
	for (round = 0; s_null.n < (size_t)n; round++) {
		int m = n - (int)s_null.n < BLOCK ? n - (int)s_null.n : BLOCK;

		for (i = 0; i < m; i++) {
			uint64_t t0 = now_ns();

			if (null_ioctl(fd)) {
				error("null ioctl failed: %s", strerror(errno));
				return;
			}
			s_null.v[s_null.n++] = now_ns() - t0;
		}
		/* -F: each block of jobs once per path, the order alternating. */
		for (path = 0; path < npath; path++) {
			int fp = npath == 1 ? -1 : (path + round) % 2;
			struct series *nop = &s_nop[fp < 0 ? 0 : fp], *sm = &s_sem[fp < 0 ? 0 : fp];

			if (fp >= 0 && set_fast_path(fp)) {
				error("cannot write %s: %s", FAST_PATH_PARAM, strerror(errno));
				return;
			}
			for (i = 0; i < m; i++) {
				ret = submit_wait(fd, ctx, &pb_nop, &nop->v2[nop->n], &nop->v[nop->n]);
				if (ret != 1) {
					error("nop job: submit/fence status %d", ret);
					return;
				}
				nop->n++;
			}
			for (i = 0; i < m; i++) {
				u32 payload = (u32)((round * npath + path) * BLOCK + i + 1);

				/* A new payload each time, checked after the fence. */
				((u32 *)pbo.cpu)[pb_sem.first + 5] = payload;
				ret = submit_wait(fd, ctx, &pb_sem, &sm->v2[sm->n], &sm->v[sm->n]);
				if (ret != 1 || *(volatile u32 *)sem != payload) {
					error("sem job: fence status %d, semaphore 0x%x, expected 0x%x",
					      ret, *(volatile u32 *)sem, payload);
					return;
				}
				sm->n++;
			}
		}
	}
	for (k = 0; k < nall; k++) {
		qsort(all[k]->v, all[k]->n, sizeof(uint64_t), cmp_u64);
		qsort(all[k]->v2, all[k]->n, sizeof(uint64_t), cmp_u64);
	}
	for (k = 1; k < nall; k++) {
		struct series *s = all[k];
		char tag[24] = "";

		if (npath == 2)
			snprintf(tag, sizeof(tag), "fast_path=%d ", (k - 1) / 2);
		printf("bench: submit_latency_us %sjob=%s n=%zu p50=%.1f p99=%.1f max=%.1f"
		       " ioctl_p50=%.1f | null_ioctl_us p50=%.2f p99=%.2f"
		       " | ratio_p50=%.1f\n", tag,
		       s->name, s->n, pct(s->v, s->n, 0.5) / 1e3, pct(s->v, s->n, 0.99) / 1e3,
		       s->v[s->n - 1] / 1e3, pct(s->v2, s->n, 0.5) / 1e3,
		       pct(s_null.v, s_null.n, 0.5) / 1e3, pct(s_null.v, s_null.n, 0.99) / 1e3,
		       (double)pct(s->v, s->n, 0.5) / (double)pct(s_null.v, s_null.n, 0.5));
	}
	fflush(stdout);
	set_fast_path(1);
	for (k = 0; k < nall; k++) {
		free(all[k]->v);
		free(all[k]->v2);
	}
}

/*
 * Nop jobs only, one at a time, no null ioctls in between: the workload
 * tests/vm/bench-fastpath.sh traces (ftrace) to break the path into hops.
 */
static void bench_trace_jobs(int fd, int n)
{
	struct pb pb;
	struct bo pbo;
	int ctx, ret, i;

	ret = bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0);
	ctx = ret ? ret : ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	if (ret || ctx < 0) {
		error("trace setup: %s", strerror(-(ret ? ret : ctx)));
		return;
	}
	pb_init(&pb, &pbo, 0);
	emit(&pb, SUBCH, NVG_HOST_NOP, 1, 0);
	for (i = 0; i < n; i++) {
		ret = submit_wait(fd, ctx, &pb, NULL, NULL);
		if (ret != 1) {
			error("trace job %d: submit/fence status %d", i, ret);
			return;
		}
	}
	printf("bench: trace_jobs n=%d done\n", n);
}

/* ---- small-job throughput: 64 nop jobs in flight ---- */

#define TPUT_INFLIGHT	64

/*
 * @n nop jobs over @nch COPY channels (round robin), at most TPUT_INFLIGHT
 * in flight: submit until 64 are out, then wait for the oldest before the
 * next. Every fence must signal without error. Jobs per second of wall time.
 */
static double tput_run(int fd, const int *ctx, int nch, const struct pb *pb, int n)
{
	int fds[TPUT_INFLIGHT], head = 0, inflight = 0, i, ret;
	uint64_t t0 = now_ns();

	for (i = 0; i < n || inflight; ) {
		if (i < n && inflight < TPUT_INFLIGHT) {
			u64 entry = nvg_gpfifo_entry_encode(pb->bo->va + pb->first * 4ULL, pb->n, 0);
			struct drm_nvghost_submit s = {
				.ctx_id = (u32)ctx[i % nch],
				.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE,
				.gpfifo = (uintptr_t)&entry,
				.gpfifo_count = 1,
			};

			if (ioctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s)) {
				error("throughput: submit %d: %s", i, strerror(errno));
				return -1;
			}
			fds[(head + inflight) % TPUT_INFLIGHT] = s.fence_fd;
			inflight++;
			i++;
		} else {
			struct pollfd p = { .fd = fds[head], .events = POLLIN };
			struct sync_file_info info = {};

			do {
				ret = poll(&p, 1, FENCE_TIMEOUT_MS);
			} while (ret < 0 && errno == EINTR);
			if (ret != 1 || ioctl(fds[head], SYNC_IOC_FILE_INFO, &info) ||
			    info.status != 1) {
				error("throughput: fence did not signal without error"
				      " (poll %d, status %d)", ret, info.status);
				return -1;
			}
			close(fds[head]);
			head = (head + 1) % TPUT_INFLIGHT;
			inflight--;
		}
	}
	return (double)n * 1e9 / (double)(now_ns() - t0);
}

static void bench_throughput(int fd, int n)
{
	static const int nchs[] = { 1, 8 };
	double r[2][2][ROUNDS_TPUT];
	int npath = fp_switch ? 2 : 1, path, fp;
	int ctx[8], ret, k, c, round;
	struct pb pb;
	struct bo pbo;

	ret = bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0);
	for (c = 0; !ret && c < 8; c++) {
		ctx[c] = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
		if (ctx[c] < 0)
			ret = ctx[c];
	}
	if (ret) {
		error("throughput setup: %s", strerror(-ret));
		return;
	}
	pb_init(&pb, &pbo, 0);
	emit(&pb, SUBCH, NVG_HOST_NOP, 1, 0);
	/* Warm-up, then rounds alternating one channel and eight. */
	if (tput_run(fd, ctx, 8, &pb, 64) < 0)
		return;
	for (round = 0; round < ROUNDS_TPUT; round++) {
		for (path = 0; path < npath; path++) {
			fp = (path + round) % 2;
			if (npath == 2 && set_fast_path(fp)) {
				error("cannot write %s: %s", FAST_PATH_PARAM, strerror(errno));
				return;
			}
			if (npath == 1)
				fp = 0;
			for (k = 0; k < 2; k++)
				if ((r[fp][k][round] = tput_run(fd, ctx, nchs[k], &pb, n)) < 0)
					return;
		}
	}
	set_fast_path(1);
	for (path = 0; path < npath; path++) {
		char tag[24] = "";

		if (npath == 2)
			snprintf(tag, sizeof(tag), "fast_path=%d ", path);
		for (k = 0; k < 2; k++)
			printf("bench: throughput %sjob=nop inflight=%d channels=%d jobs=%d rounds=%d"
			       " median_jobs_per_s=%.0f\n", tag, TPUT_INFLIGHT, nchs[k], n,
			       ROUNDS_TPUT, median_d(r[path][k], ROUNDS_TPUT));
	}
	fflush(stdout);
}

/* ---- 2. copy throughput vs the chip's modelled bandwidth ---- */

static u32 pattern(u64 i)
{
	u32 x = (u32)i * 2654435761u ^ 0x5a5a1234u;

	return x ^ (x >> 15);
}

static void bench_copy(int fd, const struct nvg_chip *chip, int reps)
{
	static const u64 sizes[] = { 16 * MiB, 64 * MiB };
	struct bo vsrc, ssrc, vdst, pbo;
	struct { const char *name; struct bo *src; u32 model_gbps; } dirs[] = {
		{ "vram_to_vram", &vsrc, chip->vram_gbps },
		{ "sys_to_vram", &ssrc, chip->pcie_gbps },
	};
	double t[2][2][16];
	int ctx, ret, r, d, z;
	u64 i;

	if (reps > 16)
		reps = 16;
	ret = bo_new(fd, &vsrc, 64 * MiB, DRM_NVGHOST_PLACEMENT_VRAM, 0);
	ret = ret ?: bo_new(fd, &ssrc, 64 * MiB, DRM_NVGHOST_PLACEMENT_SYSTEM, 0);
	ret = ret ?: bo_new(fd, &vdst, 64 * MiB, DRM_NVGHOST_PLACEMENT_VRAM, 0);
	ret = ret ?: bo_new(fd, &pbo, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, 0);
	ctx = ret ? ret : ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);
	if (ret || ctx < 0) {
		error("copy setup: %s", strerror(-(ret ? ret : ctx)));
		return;
	}
	for (i = 0; i < 64 * MiB / 4; i++) {
		((u32 *)vsrc.cpu)[i] = pattern(i);
		((u32 *)ssrc.cpu)[i] = ~pattern(i);
	}

	/*
	 * One pushbuffer per (direction, size), 64 dwords apart. A warm-up
	 * copy of each first (the simulator backs VRAM pages on first write),
	 * checked byte for byte: the data really moved. Then REPS rounds, each
	 * running every combination once.
	 */
	for (r = -1; r < reps; r++) {
		for (d = 0; d < 2; d++) {
			for (z = 0; z < 2; z++) {
				struct pb pb;
				uint64_t ns;

				pb_init(&pb, &pbo, (u32)(d * 2 + z) * 64);
				emit(&pb, SUBCH, NVG_HOST_SET_OBJECT, 1, chip->copy_class);
				emit_copy(&pb, dirs[d].src->va, vdst.va, (u32)sizes[z]);
				if (r < 0)
					memset(vdst.cpu, 0, sizes[z]);
				ret = submit_wait(fd, ctx, &pb, NULL, &ns);
				if (ret != 1) {
					error("copy %s %llu MiB: submit/fence status %d", dirs[d].name,
					      (unsigned long long)(sizes[z] / MiB), ret);
					return;
				}
				if (r < 0 && memcmp(vdst.cpu, dirs[d].src->cpu, sizes[z])) {
					error("copy %s %llu MiB: destination differs from source",
					      dirs[d].name, (unsigned long long)(sizes[z] / MiB));
					return;
				}
				if (r >= 0)
					t[d][z][r] = (double)ns;
			}
		}
	}
	for (d = 0; d < 2; d++) {
		for (z = 0; z < 2; z++) {
			double best = t[d][z][0], med, model_ns;

			for (r = 1; r < reps; r++)
				if (t[d][z][r] < best)
					best = t[d][z][r];
			med = median_d(t[d][z], (size_t)reps);
			model_ns = (double)sizes[z] / dirs[d].model_gbps;	/* GB/s = bytes/ns */
			printf("bench: copy dir=%s size_mib=%llu reps=%d best_gbps=%.3f"
			       " median_gbps=%.3f best_ms=%.2f | model_gbps=%u model_ms=%.3f"
			       " | best_vs_model=%.0fx slower | floor_ok=%s\n",
			       dirs[d].name, (unsigned long long)(sizes[z] / MiB), reps,
			       sizes[z] / best, sizes[z] / med, best / 1e6, dirs[d].model_gbps,
			       model_ns / 1e6, best / model_ns, best >= model_ns ? "yes" : "NO");
		}
	}
	printf("bench: copy note: data really moves, on the VM's CPU, through the"
	       " simulated MMU, so the measured rate is bounded by the CPU (under TCG,"
	       " by emulation); the engine never finishes before its modelled time,"
	       " so it cannot beat the model (floor_ok)\n");
	fflush(stdout);
}

/* ---- 3. buffer-object create + mmap + touch + munmap + destroy rate ---- */

/* One nvghost object's life; 0 or -errno. */
static int cycle_nvghost(int fd, u64 size, u32 placement)
{
	struct drm_nvghost_gem_create c = { .size = size, .placement = placement };
	struct drm_nvghost_gem_info info = {};
	struct drm_gem_close cl = {};
	void *p;

	if (ioctl(fd, DRM_IOCTL_NVGHOST_GEM_CREATE, &c))
		return -errno;
	info.handle = c.handle;
	cl.handle = c.handle;
	if (ioctl(fd, DRM_IOCTL_NVGHOST_GEM_INFO, &info))
		return -errno;
	p = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, info.mmap_offset);
	if (p == MAP_FAILED)
		return -errno;
	*(volatile char *)p = 1;
	munmap(p, info.size);
	if (ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl))
		return -errno;
	return 0;
}

/* One vgem dumb buffer's life; 0 or -errno. */
static int cycle_vgem(int fd, u64 size, u32 unused)
{
	struct drm_mode_create_dumb c = { .width = 1024, .bpp = 32,
					  .height = (u32)(size / 4096) };
	struct drm_mode_map_dumb m = {};
	struct drm_mode_destroy_dumb d = {};
	void *p;

	(void)unused;
	if (ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return -errno;
	m.handle = c.handle;
	d.handle = c.handle;
	if (ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return -errno;
	p = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (p == MAP_FAILED)
		return -errno;
	*(volatile char *)p = 1;
	munmap(p, c.size);
	if (ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d))
		return -errno;
	return 0;
}

#define ROUNDS	5

static void bench_bo(int nfd, int vfd, const char *vpath, int n4k, int n1m)
{
	static const struct { u64 size; const char *name; } sizes[] = {
		{ 4 * KiB, "4KiB" }, { 1 * MiB, "1MiB" },
	};
	/* kind 0: nvghost VRAM, 1: nvghost system, 2: vgem */
	double rate[2][3][ROUNDS], vg;
	int z, r, k, i, ret;

	for (z = 0; z < 2; z++) {
		int n = z ? n1m : n4k, per = (n + ROUNDS - 1) / ROUNDS;

		/* Warm-up: a few of each, so that first-use costs stay out. */
		for (k = 0; k < 3; k++) {
			if (k == 2 && vfd < 0)
				continue;
			for (i = 0; i < 20; i++) {
				ret = k < 2 ? cycle_nvghost(nfd, sizes[z].size, k) :
					      cycle_vgem(vfd, sizes[z].size, 0);
				if (ret) {
					error("bo %s kind %d warm-up: %s", sizes[z].name, k,
					      strerror(-ret));
					return;
				}
			}
		}
		for (r = 0; r < ROUNDS; r++) {
			for (k = 0; k < 3; k++) {
				uint64_t t0;

				if (k == 2 && vfd < 0)
					continue;
				t0 = now_ns();
				for (i = 0; i < per; i++) {
					ret = k < 2 ? cycle_nvghost(nfd, sizes[z].size, k) :
						      cycle_vgem(vfd, sizes[z].size, 0);
					if (ret) {
						error("bo %s kind %d: %s", sizes[z].name, k,
						      strerror(-ret));
						return;
					}
				}
				rate[z][k][r] = per / ((now_ns() - t0) / 1e9);
			}
		}
		vg = vfd < 0 ? 0 : median_d(rate[z][2], ROUNDS);
		for (k = 0; k < 2; k++) {
			double nv = median_d(rate[z][k], ROUNDS);

			if (vfd < 0) {
				printf("bench: bo_cycle size=%s placement=%s n=%d nvghost_per_s=%.0f"
				       " | vgem_per_s=unavailable | ratio=n/a\n", sizes[z].name,
				       k ? "system" : "vram", per * ROUNDS, nv);
				continue;
			}
			printf("bench: bo_cycle size=%s placement=%s n=%d nvghost_per_s=%.0f"
			       " | vgem_per_s=%.0f | ratio=%.2f\n", sizes[z].name,
			       k ? "system" : "vram", per * ROUNDS, nv, vg, nv / vg);
		}
	}
	if (vfd < 0)
		printf("bench: bo_cycle note: no vgem node found; modprobe vgem for the baseline\n");
	else
		printf("bench: bo_cycle note: one object = create, map offset, mmap, write 1 byte,"
		       " munmap, destroy; rates are medians of %d rounds; vgem at %s"
		       " (dumb buffers, shmem)\n", ROUNDS, vpath);
	fflush(stdout);
}

/* Is @name one of the comma-separated @list? */
static bool has_section(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int n = 2000, warmup = 100, reps = 5, n4k = 2000, n1m = 500, opt, nfd, vfd;
	int ntput = 1000, ntrace = 0;
	const char *sections = "latency,throughput,copy,bo";
	struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_CHIP_ID };
	char npath[64], vpath[64];
	const struct nvg_chip *chip;

	while ((opt = getopt(argc, argv, "n:w:r:b:B:s:T:J:F")) != -1) {
		switch (opt) {
		case 'n':
			n = atoi(optarg);
			break;
		case 'w':
			warmup = atoi(optarg);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'b':
			n4k = atoi(optarg);
			break;
		case 'B':
			n1m = atoi(optarg);
			break;
		case 's':
			sections = optarg;
			break;
		case 'T':
			ntput = atoi(optarg);
			break;
		case 'J':
			ntrace = atoi(optarg);
			break;
		case 'F':
			fp_switch = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-n N] [-w WARMUP] [-r REPS]"
				" [-b N_4KIB] [-B N_1MIB]\n"
				"\t[-s latency,throughput,copy,bo] [-T N_THROUGHPUT] [-J N_TRACE] [-F]\n", argv[0]);
			return 1;
		}
	}
	if (n < 1 || warmup < 0 || reps < 1 || n4k < ROUNDS || n1m < ROUNDS || ntput < 64 ||
	    ntrace < 0) {
		fprintf(stderr, "%s: bad counts\n", argv[0]);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	nfd = open_driver("/dev/dri/renderD%d", 128, "nvghost", npath, sizeof(npath));
	if (nfd < 0) {
		error("no nvghost render node (modprobe nvghost)");
		return 1;
	}
	chip = ioctl(nfd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp) ? NULL :
	       nvg_chip_by_boot0((u32)gp.value);
	if (!chip) {
		error("GET_PARAM CHIP_ID failed or unknown chip");
		return 1;
	}
	/* vgem's dumb buffers are on its primary node. */
	vfd = open_driver("/dev/dri/card%d", 0, "vgem", vpath, sizeof(vpath));

	printf("bench: device node=%s chip=%s board=\"%s\" boot0=0x%08x vram_gbps=%u"
	       " pcie_gbps=%u copy_class=0x%04x | vgem=%s\n", npath, chip->name,
	       chip->marketing, (u32)gp.value, chip->vram_gbps, chip->pcie_gbps,
	       chip->copy_class, vfd < 0 ? "none" : vpath);

	if (ntrace) {
		/* -J: only the traced jobs. */
		bench_trace_jobs(nfd, ntrace);
		goto out;
	}
	if (has_section(sections, "latency"))
		bench_latency(nfd, chip, n, warmup);
	if (has_section(sections, "throughput"))
		bench_throughput(nfd, ntput);
	if (has_section(sections, "copy"))
		bench_copy(nfd, chip, reps);
	if (has_section(sections, "bo"))
		bench_bo(nfd, vfd, vpath, n4k, n1m);
out:

	if (vfd >= 0)
		close(vfd);
	close(nfd);
	return errors > 125 ? 125 : errors;
}
