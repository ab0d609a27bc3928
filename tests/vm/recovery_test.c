// SPDX-License-Identifier: GPL-2.0
/*
 * recovery_test - hangs that share their engine, unmaps beside waiting
 * jobs, and a full VRAM, against the real driver in the VM.
 *
 *   recovery_test DEVICE hang_shared  a job that never ends (a semaphore
 *                                     acquire nobody releases, a BUSY of
 *                                     2^62 cycles; then both at once; a
 *                                     debugfs-injected hang) on
 *                                     the compute engine while another
 *                                     client streams jobs onto it: the
 *                                     stream's jobs run while the hang
 *                                     lasts, each hung job fails
 *                                     -ETIMEDOUT, the other
 *                                     client's jobs all complete with their
 *                                     data. Load with a short job_timeout_ms.
 *   recovery_test DEVICE hang_kill    a child process with two hung jobs on
 *                                     one engine is SIGKILLed while another
 *                                     client streams: it exits (the caller
 *                                     then unloads the module)
 *   recovery_test DEVICE unmap        an unmap waits only for the jobs that
 *                                     use its range, interruptibly, and a
 *                                     job waiting on a semaphore that the
 *                                     next submission releases completes
 *                                     without a reset; unmap of nothing or
 *                                     of a range with a hole fails
 *   recovery_test DEVICE vram_full    one client fills VRAM with buffer
 *                                     objects; another process still opens
 *                                     the device, maps system memory and
 *                                     runs jobs
 *
 * Behaviour, not time, is checked: bounds on waits are only there so that
 * a failure ends the test, and are many times the job timeout.
 * Prints "PASS: name" or "FAIL: name: why" per check; exits with the number
 * of failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

#include "nvghost_chip.h"
#include "nvghost_pb.h"
#include "nvghost_drm.h"
#include "check.h"

typedef unsigned char u8;

#define PAGE		4096u
#define MiB		(1024ull * 1024)
#define SYS		DRM_NVGHOST_PLACEMENT_SYSTEM
#define VRAM		DRM_NVGHOST_PLACEMENT_VRAM
#define DEBUGFS		"/sys/kernel/debug/nvghost/gpu0"

static u32 copy_class, compute_class;
static const char *dev_path;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
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

/* A "key: value" line of a debugfs file; -1 if absent. */
static long long debugfs_value(const char *file, const char *key)
{
	char path[128], line[256], k[64];
	long long v, found = -1;
	FILE *f;

	snprintf(path, sizeof(path), DEBUGFS "/%s", file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63[^:]: %lld", k, &v) == 2 && !strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

static long long engine_resets(void)
{
	return debugfs_value("info", "engine_resets");
}

/* ---- buffer objects, pushbuffers, channels ---- */

#include "gpu.h"

static int vm_bind(int fd, u32 op, u32 handle, u64 va, u64 range)
{
	struct drm_nvghost_vm_bind b = { .op = op, .handle = handle, .va = va, .range = range };

	return drmIoctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, &b) ? -errno : 0;
}

/* bo_new() of gpu.h, with the CPU view cleared before the GPU mapping. */
static int bo_new_zeroed(int fd, struct bo *bo, u64 size, u32 placement)
{
	int ret = bo_create(fd, bo, size, placement);

	if (ret)
		return ret;
	memset(bo->cpu, 0, bo->size);
	return bo_map_next(fd, bo, 0);
}

/* Start a new segment at dword @at of @bo. */
static void pb_at(struct pb *pb, struct bo *bo, u32 at)
{
	pb->bo = bo;
	pb->dw = bo->cpu;
	pb->n = at;
	pb->first = at;
}

/* Host semaphore: acquire (wait until *va >= payload) or release. */
static void emit_sem(struct pb *pb, u64 va, u32 payload, bool acquire)
{
	emit(pb, 0, NVG_HOST_SEM_ADDR_LO, 4, (u32)va, (u32)(va >> 32), payload, 0);
	emit(pb, 0, NVG_HOST_SEM_EXECUTE, 1,
	     acquire ? NVG_SEM_EXECUTE_OPERATION_ACQ_STRICT_GEQ :
		       NVG_SEM_EXECUTE_OPERATION_RELEASE);
}

/* Compute: fill @size bytes at @va with @value. */
static void emit_fill(struct pb *pb, u64 va, u32 size, u32 value)
{
	emit(pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
	emit(pb, 0, NVGC_SET_ADDR_HI, 4, (u32)(va >> 32), (u32)va, size, value);
	emit(pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_FILL);
}

/* Compute: busy for @cycles engine cycles. */
static void emit_busy(struct pb *pb, u64 cycles)
{
	emit(pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
	emit(pb, 0, NVGC_SET_CYCLES_LO, 2, (u32)cycles, (u32)(cycles >> 32));
	emit(pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_BUSY);
}

/* Submit the current segment of @pb on @ctx; a sync file in *@sync_fd. */
static int submit(int fd, int ctx, struct pb *pb, int *sync_fd)
{
	u64 entry = nvg_gpfifo_entry_encode(pb->bo->va + pb->first * 4, pb->n - pb->first, 0);
	struct drm_nvghost_submit s = {
		.ctx_id = ctx,
		.gpfifo = (uintptr_t)&entry,
		.gpfifo_count = 1,
		.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE,
	};

	if (ctx < 0)
		return ctx;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s))
		return -errno;
	*sync_fd = s.fence_fd;
	return 0;
}

/*
 * A sync file's state, waiting up to @timeout_ms: 1 signalled, <0 its
 * error, 0 still pending. The file stays open.
 */
static int fence_status(int sync_fd, int timeout_ms)
{
	struct pollfd p = { .fd = sync_fd, .events = POLLIN };
	struct sync_file_info info = {};

	if (poll(&p, 1, timeout_ms) != 1)
		return 0;
	return ioctl(sync_fd, SYNC_IOC_FILE_INFO, &info) ? -errno : info.status;
}

static const char *status_str(int st)
{
	static char buf[64];

	if (st == 1)
		return "signalled";
	if (st == 0)
		return "still pending";
	snprintf(buf, sizeof(buf), "failed (%s)", strerror(-st));
	return buf;
}

static u32 words_not(const void *p, u32 bytes, u32 v)
{
	const u32 *w = p;
	u32 i, n = 0;

	for (i = 0; i < bytes / 4; i++)
		n += w[i] != v;
	return n;
}

static int open_dev(void)
{
	return open(dev_path, O_RDWR | O_CLOEXEC);
}

static u32 engine_class(int fd, u32 engine)
{
	struct drm_nvghost_get_param p = { .param = DRM_NVGHOST_PARAM_ENGINE_CLASS,
					   .index = engine };

	return drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &p) ? 0 : (u32)p.value;
}

/* ---- a client that streams short jobs onto the compute engine ---- */

struct streamer {
	int fd;
	int ctx;
	struct bo pbo, buf;
	u32 seq;
	u32 ok;
	char err[160];
};

static int streamer_init(struct streamer *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = open_dev();
	if (s->fd < 0)
		return -errno;
	s->ctx = ctx_new(s->fd, DRM_NVGHOST_ENGINE_COMPUTE);
	if (s->ctx < 0)
		return s->ctx;
	return bo_new_zeroed(s->fd, &s->pbo, PAGE, SYS) ?: bo_new_zeroed(s->fd, &s->buf, PAGE, SYS);
}

/*
 * One job: fill the buffer with a fresh value, wait (up to @wait_ms),
 * check every word. Returns 1 if it completed right, 0 on a failure
 * (recorded in s->err once).
 */
static int streamer_step(struct streamer *s, int wait_ms)
{
	u32 v = 0x5a000000 | ++s->seq, bad;
	struct pb pb;
	int f, st, ret;

	pb_at(&pb, &s->pbo, 0);
	emit_fill(&pb, s->buf.va, PAGE, v);
	ret = submit(s->fd, s->ctx, &pb, &f);
	if (ret) {
		if (!s->err[0])
			snprintf(s->err, sizeof(s->err), "job %u: submit: %s", s->seq,
				 strerror(-ret));
		return 0;
	}
	st = fence_status(f, wait_ms);
	close(f);
	bad = words_not(s->buf.cpu, PAGE, v);
	if (st != 1 || bad) {
		if (!s->err[0])
			snprintf(s->err, sizeof(s->err), "job %u: %s, %u of %u words wrong",
				 s->seq, status_str(st), bad, PAGE / 4);
		return 0;
	}
	s->ok++;
	return 1;
}

/* ---- hang_shared ---- */

enum hang_kind { HANG_SEMAPHORE, HANG_BUSY, HANG_INJECTED };

static const char *const hang_names[] = {
	"semaphore acquire", "BUSY 2^62", "injected hang",
};

/* Arm a failure on the next job of the compute engine (debugfs). */
static int inject(const char *what)
{
	FILE *f = fopen(DEBUGFS "/inject", "w");
	int ret;

	if (!f)
		return -errno;
	ret = fprintf(f, "0 %s\n", what) < 0 ? -EIO : 0;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

/* Submit a job on @ctx that never ends. */
static int submit_hang(int fd, int ctx, struct bo *pbo, u32 at, struct bo *sem,
		       enum hang_kind kind, int *f)
{
	struct pb pb;
	int ret;

	pb_at(&pb, pbo, at);
	if (kind == HANG_SEMAPHORE) {
		emit_sem(&pb, sem->va, 1, true);	/* *sem stays 0 */
	} else if (kind == HANG_BUSY) {
		emit_busy(&pb, 1ULL << 62);
	} else {
		/* A plain fill, hung by injection: the engine runs nothing else yet. */
		emit_fill(&pb, sem->va + 512, 64, 0x1);
		ret = inject("hang");
		if (ret)
			return ret;
	}
	return submit(fd, ctx, &pb, f);
}

/*
 * @n hung jobs on compute channels of one client, a second client streaming
 * jobs onto the same engine until every hung job ended (or the bound).
 */
static void check_hang_shared(const char *name, const enum hang_kind *kinds, int n)
{
	unsigned int timeout_ms = module_param("job_timeout_ms", 2000);
	double bound = (20.0 * timeout_ms + 5000) / 1000, t0, t_end = 0;
	long long resets0 = engine_resets(), resets;
	struct bo pbo, sem;
	struct streamer s;
	int fd, f[2], st[2] = { 0, 0 }, i, done, ret;
	u32 beside = 0;	/* stream jobs done while every hung job was pending */
	char what[64];

	fd = open_dev();
	if (fd < 0 || bo_new_zeroed(fd, &pbo, PAGE, SYS) || bo_new_zeroed(fd, &sem, PAGE, SYS) ||
	    streamer_init(&s)) {
		fail(name, "setup: %s", strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		ret = submit_hang(fd, ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE), &pbo, 256 * i,
				  &sem, kinds[i], &f[i]);
		if (ret) {
			fail(name, "submit of hung job %d: %s", i, strerror(-ret));
			return;
		}
	}
	t0 = now_s();
	/* Stream until every hung job has ended, or the bound. */
	for (;;) {
		int ok = streamer_step(&s, (int)(bound * 1000));

		for (i = 0, done = 0; i < n; i++) {
			if (!st[i])
				st[i] = fence_status(f[i], 0);
			done += st[i] != 0;
		}
		if (ok && !done)
			beside++;
		if (done == n) {
			t_end = now_s();
			break;
		}
		if (now_s() - t0 > bound)
			break;
	}
	/* A few more jobs after the reset: the engine works on. */
	for (i = 0; i < 5; i++)
		streamer_step(&s, (int)(bound * 1000));
	resets = engine_resets();

	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "%s_hung_job%d_timed_out", name, i);
		result(what, st[i] == -ETIMEDOUT,
		       "hung job %d (%s) is %s after %.1f s of another client streaming %u jobs; expected -ETIMEDOUT (job_timeout_ms %u)",
		       i, hang_names[kinds[i]], status_str(st[i]), now_s() - t0, s.seq, timeout_ms);
		close(f[i]);
	}
	/* A hang shares its engine: the other client's work runs beside it. */
	snprintf(what, sizeof(what), "%s_engine_shared_while_hung", name);
	result(what, beside > 0,
	       "none of the other client's %u jobs completed while the hung job(s) were pending",
	       s.seq);
	snprintf(what, sizeof(what), "%s_other_client_jobs_correct", name);
	result(what, !s.err[0] && s.ok == s.seq && s.ok > 5, "%u of %u jobs right; first failure: %s",
	       s.ok, s.seq, s.err[0] ? s.err : "none");
	snprintf(what, sizeof(what), "%s_one_reset_per_hung_job", name);
	result(what, resets - resets0 == n, "engine_resets went from %lld to %lld, expected +%d",
	       resets0, resets, n);
	if (t_end)
		printf("# %s: %d hung job(s) reset %.2f s after submission, job_timeout_ms %u, "
		       "%u jobs of the other client meanwhile\n", name, n, t_end - t0, timeout_ms,
		       s.seq);
	close(s.fd);
	close(fd);
}

/* ---- hang_kill ---- */

/*
 * A child with two hung jobs on the compute engine is killed while this
 * process streams jobs onto the same engine: the child must exit (its
 * file's teardown waits for its jobs, which must be reset), and the
 * stream's jobs complete.
 */
static void check_hang_kill(void)
{
	unsigned int timeout_ms = module_param("job_timeout_ms", 2000);
	double bound = (20.0 * timeout_ms + 5000) / 1000, t0;
	struct streamer s;
	int pipefd[2], status = 0, i;
	pid_t pid, got = 0;
	char c = 0;

	if (streamer_init(&s) || pipe(pipefd)) {
		fail("hang_kill_setup", "%s", strerror(errno));
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct bo pbo, sem;
		int fd = open_dev(), f0, f1;

		close(pipefd[0]);
		if (fd < 0 || bo_new_zeroed(fd, &pbo, PAGE, SYS) ||
		    bo_new_zeroed(fd, &sem, PAGE, SYS) ||
		    submit_hang(fd, ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE), &pbo, 0, &sem,
				HANG_SEMAPHORE, &f0) ||
		    submit_hang(fd, ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE), &pbo, 256, &sem,
				HANG_BUSY, &f1))
			_exit(1);
		c = 1;
		if (write(pipefd[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pipefd[1]);
	if (pid < 0 || read(pipefd[0], &c, 1) != 1 || c != 1) {
		fail("hang_kill_setup", "the child did not submit its hung jobs");
		if (pid > 0)
			kill(pid, SIGKILL);
		return;
	}
	close(pipefd[0]);
	/* Let the hung jobs alternate with the stream a little, then kill. */
	for (i = 0; i < 3; i++)
		streamer_step(&s, (int)(bound * 1000));
	kill(pid, SIGKILL);
	t0 = now_s();
	while (now_s() - t0 < bound) {
		streamer_step(&s, (int)(bound * 1000));
		got = waitpid(pid, &status, WNOHANG);
		if (got)
			break;
	}
	result("hang_kill_child_exits", got == pid && WIFSIGNALED(status),
	       "the SIGKILLed child with two hung jobs %s after %.1f s (job_timeout_ms %u)",
	       got == pid ? "ended, but not by the signal" : "has not exited", now_s() - t0,
	       timeout_ms);
	result("hang_kill_other_client_jobs_correct", !s.err[0] && s.ok == s.seq,
	       "%u of %u jobs right; first failure: %s", s.ok, s.seq, s.err[0] ? s.err : "none");
	if (got == pid)
		printf("# hang_kill: child exited %.2f s after SIGKILL\n", now_s() - t0);
	close(s.fd);
}

/* ---- unmap ---- */

static void on_alarm(int sig)
{
	(void)sig;
}

static void check_unmap(void)
{
	long long resets0 = engine_resets();
	struct bo pbo, sem, sem2, data, data2, other, a, b;
	int fd, cc, ck, fa, fb, fc, st_a, st_b, st_c, ret, e;
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct drm_nvghost_vm_bind ub = { .op = DRM_NVGHOST_VM_BIND_UNMAP };
	struct pb pb;

	fd = open_dev();
	if (fd < 0 || bo_new_zeroed(fd, &pbo, 4 * PAGE, SYS) ||
	    bo_new_zeroed(fd, &sem, PAGE, SYS) ||
	    bo_new_zeroed(fd, &sem2, PAGE, SYS) || bo_new_zeroed(fd, &data, PAGE, SYS) ||
	    bo_new_zeroed(fd, &data2, PAGE, SYS) || bo_new_zeroed(fd, &other, PAGE, VRAM)) {
		fail("unmap_setup", "%s", strerror(errno));
		return;
	}
	cc = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	ck = ctx_new(fd, DRM_NVGHOST_ENGINE_COPY);

	/* A: wait for *sem >= 1, then fill data. */
	pb_at(&pb, &pbo, 0);
	emit_sem(&pb, sem.va, 1, true);
	emit_fill(&pb, data.va, PAGE, 0xa1a1a1a1);
	ret = submit(fd, cc, &pb, &fa);
	if (ret) {
		fail("unmap_setup", "submit A: %s", strerror(-ret));
		return;
	}
	/* An unrelated unmap neither waits for A nor blocks the next submit. */
	expect_errno("unmap_unrelated_while_job_waits",
		     vm_bind(fd, DRM_NVGHOST_VM_BIND_UNMAP, 0, other.va, other.size), 0);
	st_a = fence_status(fa, 0);
	result("unmap_unrelated_did_not_wait", st_a == 0,
	       "job A (waiting on a semaphore) is %s when the unmap returned; expected still pending",
	       status_str(st_a));
	/* B, on another channel: release the semaphore A waits for. */
	pb_at(&pb, &pbo, 256);
	emit(&pb, 4, NVG_HOST_SET_OBJECT, 1, copy_class);
	emit_sem(&pb, sem.va, 1, false);
	ret = submit(fd, ck, &pb, &fb);
	expect_errno("unmap_then_submit_release", ret, 0);
	st_b = ret ? 0 : fence_status(fb, 60000);
	st_a = fence_status(fa, 60000);
	result("unmap_waiting_job_completes", st_a == 1 && st_b == 1 &&
	       !words_not(data.cpu, PAGE, 0xa1a1a1a1),
	       "A %s, B %s, A's fill %s; expected both signalled without error",
	       status_str(st_a), ret ? "not submitted" : status_str(st_b),
	       words_not(data.cpu, PAGE, 0xa1a1a1a1) ? "missing" : "done");
	result("unmap_no_job_reset", engine_resets() == resets0,
	       "engine_resets went from %lld to %lld: a job was taken for hung",
	       resets0, engine_resets());
	close(fa);
	if (!ret)
		close(fb);

	/* An unmap of a range a running job uses returns only once it is done. */
	pb_at(&pb, &pbo, 512);
	emit_busy(&pb, 25200000);	/* ~10 ms at 2.52 GHz */
	emit_fill(&pb, data2.va, PAGE, 0xc3c3c3c3);
	ret = submit(fd, cc, &pb, &fc);
	e = vm_bind(fd, DRM_NVGHOST_VM_BIND_UNMAP, 0, data2.va, data2.size);
	st_c = ret ? 0 : fence_status(fc, 0);
	result("unmap_waits_for_job_using_range", !ret && !e && st_c == 1 &&
	       !words_not(data2.cpu, PAGE, 0xc3c3c3c3),
	       "submit %s, unmap %s, then the job using the range was %s, its fill %s",
	       strerror(-ret), strerror(-e), status_str(st_c),
	       words_not(data2.cpu, PAGE, 0xc3c3c3c3) ? "incomplete" : "done");
	if (!ret)
		close(fc);

	/* The wait is interruptible, and an interrupted unmap changes nothing. */
	pb_at(&pb, &pbo, 768);
	emit_sem(&pb, sem2.va, 1, true);
	emit_fill(&pb, sem2.va + 64, 64, 0xd4d4d4d4);
	ret = submit(fd, cc, &pb, &fa);
	sigaction(SIGALRM, &sa, NULL);
	ub.va = sem2.va;
	ub.range = sem2.size;
	alarm(1);
	e = ioctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, &ub) ? errno : 0;
	alarm(0);
	st_a = ret ? 0 : fence_status(fa, 0);
	result("unmap_wait_interruptible", !ret && e == EINTR && st_a == 0,
	       "unmap of the range a waiting job uses, signal after 1 s: %s (job %s); expected EINTR, job pending",
	       e ? strerror(e) : "success", status_str(st_a));
	((volatile u32 *)sem2.cpu)[0] = 1;	/* release it from the CPU */
	st_a = ret ? 0 : fence_status(fa, 60000);
	result("unmap_interrupted_left_mapping", st_a == 1 &&
	       !words_not((u8 *)sem2.cpu + 64, 64, 0xd4d4d4d4),
	       "after the interrupted unmap the job is %s; expected it to complete through the mapping",
	       status_str(st_a));
	if (!ret)
		close(fa);
	expect_errno("unmap_after_job_done",
		     vm_bind(fd, DRM_NVGHOST_VM_BIND_UNMAP, 0, sem2.va, sem2.size), 0);

	/* UNMAP takes whole mappings or parts of them, nothing else. */
	if (bo_new_zeroed(fd, &a, 2 * PAGE, SYS) || bo_new_zeroed(fd, &b, PAGE, SYS)) {
		fail("unmap_rules_setup", "%s", strerror(errno));
		return;
	}
	expect_errno("unmap_nothing_mapped_enoent",
		     vm_bind(fd, DRM_NVGHOST_VM_BIND_UNMAP, 0, next_va + 16 * MiB, PAGE), ENOENT);
	/* a and b are 1 MiB apart: [a, b + PAGE) has a hole. */
	expect_errno("unmap_with_hole_einval",
		     vm_bind(fd, DRM_NVGHOST_VM_BIND_UNMAP, 0, a.va, b.va + PAGE - a.va), EINVAL);
	expect_errno("unmap_beyond_mapping_einval",
		     vm_bind(fd, DRM_NVGHOST_VM_BIND_UNMAP, 0, a.va, 3 * PAGE), EINVAL);
	expect_errno("unmap_refused_left_mapping",
		     vm_bind(fd, DRM_NVGHOST_VM_BIND_MAP, a.handle, a.va, PAGE), EEXIST);
	expect_errno("unmap_part_of_mapping",
		     vm_bind(fd, DRM_NVGHOST_VM_BIND_UNMAP, 0, a.va + PAGE, PAGE), 0);
	expect_errno("unmap_rest_of_mapping",
		     vm_bind(fd, DRM_NVGHOST_VM_BIND_UNMAP, 0, a.va, PAGE), 0);
	close(fd);
}

/* ---- vram_full ---- */

/* In a child process: open, map system memory, run a job; 0 if all went. */
static int small_client(char *why, size_t len)
{
	struct bo pbo, buf;
	struct pb pb;
	int fd, ctx, f, st, ret;

	fd = open_dev();
	if (fd < 0) {
		snprintf(why, len, "open: %s", strerror(errno));
		return 1;
	}
	ret = bo_new_zeroed(fd, &pbo, PAGE, SYS) ?: bo_new_zeroed(fd, &buf, PAGE, SYS);
	if (ret) {
		snprintf(why, len, "system-memory object and VM_BIND: %s", strerror(-ret));
		return 1;
	}
	ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE);
	pb_at(&pb, &pbo, 0);
	emit_fill(&pb, buf.va, PAGE, 0x77777777);
	ret = submit(fd, ctx, &pb, &f);
	if (ret) {
		snprintf(why, len, "submit: %s", strerror(-ret));
		return 1;
	}
	st = fence_status(f, 60000);
	if (st != 1 || words_not(buf.cpu, PAGE, 0x77777777)) {
		snprintf(why, len, "job %s, fill %s", status_str(st),
			 words_not(buf.cpu, PAGE, 0x77777777) ? "wrong" : "right");
		return 1;
	}
	close(f);
	close(fd);
	return 0;
}

static void check_vram_full(void)
{
	static const u64 sizes[] = { 16 * MiB, MiB, 64 * 1024, PAGE };
	struct drm_nvghost_gem_create c;
	u64 filled = 0;
	int fd, i, n = 0, clients = 4, ok = 0, pfd[2];
	char why[160] = "";

	fd = open_dev();
	if (fd < 0) {
		fail("vram_full_setup", "%s", strerror(errno));
		return;
	}
	/* Fill VRAM with buffer objects, biggest first. */
	for (i = 0; i < 4; i++) {
		for (;;) {
			c = (struct drm_nvghost_gem_create){ .size = sizes[i], .placement = VRAM };
			if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_CREATE, &c))
				break;
			filled += sizes[i];
			n++;
		}
		if (errno != ENOSPC) {
			fail("vram_full_fill", "GEM_CREATE of %llu bytes: %s",
			     (unsigned long long)sizes[i], strerror(errno));
			return;
		}
	}
	result("vram_full_filled", debugfs_value("vram", "free") == 0,
	       "after %d objects (%llu MiB) debugfs still says %lld bytes free", n,
	       (unsigned long long)(filled / MiB), debugfs_value("vram", "free"));
	printf("# vram_full: %d objects, %llu KiB of VRAM held by one client\n", n,
	       (unsigned long long)(filled / 1024));

	/* Other processes still open the device, map and submit. */
	if (pipe(pfd)) {
		fail("vram_full_setup", "pipe: %s", strerror(errno));
		return;
	}
	for (i = 0; i < clients; i++) {
		pid_t pid;
		int status;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			int r = small_client(why, sizeof(why));

			if (r && write(pfd[1], why, strlen(why) + 1) < 0)
				_exit(2);
			_exit(r);
		}
		if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		    !WEXITSTATUS(status))
			ok++;
		else if (!why[0] && read(pfd[0], why, sizeof(why) - 1) < 0)
			why[0] = 0;
	}
	result("vram_full_other_clients_open_map_submit", ok == clients,
	       "%d of %d processes could open the render node, map a system-memory object and run a job while VRAM was full; first failure: %s",
	       ok, clients, why[0] ? why : "unknown");
	close(pfd[0]);
	close(pfd[1]);
	close(fd);
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DEVICE hang_shared|hang_kill|unmap|vram_full\n",
			argv[0]);
		return 1;
	}
	dev_path = argv[1];
	fd = open_dev();
	if (fd < 0) {
		fail("open", "%s: %s", argv[1], strerror(errno));
		return 1;
	}
	copy_class = engine_class(fd, 1);
	compute_class = engine_class(fd, 0);
	close(fd);
	if (!nvg_pb_class_is_copy(copy_class) || !nvg_pb_class_is_compute(compute_class)) {
		fail("engine_classes", "engine 0 class 0x%x, engine 1 class 0x%x", compute_class,
		     copy_class);
		return 1;
	}
	if (!strcmp(argv[2], "hang_shared")) {
		static const enum hang_kind sem[] = { HANG_SEMAPHORE };
		static const enum hang_kind busy[] = { HANG_BUSY };
		static const enum hang_kind both[] = { HANG_SEMAPHORE, HANG_BUSY };
		static const enum hang_kind injected[] = { HANG_INJECTED };

		check_hang_shared("hang_semaphore_shared", sem, 1);
		check_hang_shared("hang_busy_shared", busy, 1);
		check_hang_shared("two_hangs_shared", both, 2);
		check_hang_shared("hang_injected_shared", injected, 1);
	} else if (!strcmp(argv[2], "hang_kill")) {
		check_hang_kill();
	} else if (!strcmp(argv[2], "unmap")) {
		check_unmap();
	} else if (!strcmp(argv[2], "vram_full")) {
		check_vram_full();
	} else {
		fprintf(stderr, "%s: unknown mode %s\n", argv[0], argv[2]);
		return 1;
	}
	return failures > 125 ? 125 : failures;
}
