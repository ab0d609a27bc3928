// SPDX-License-Identifier: GPL-2.0
/*
 * vclock_test - the device clock's two modes (DRM_IOCTL_NVGHOST_CLOCK).
 *
 *   vclock_test live CARD             clock=live: GET says so, ADVANCE is
 *                                     -EOPNOTSUPP
 *   vclock_test virtual CARD RENDER MHZ
 *                                     clock=virtual: time stands still
 *                                     without ADVANCE; a render node may not
 *                                     ADVANCE (-EACCES, without
 *                                     CAP_SYS_ADMIN); a BUSY job completes
 *                                     exactly at its modelled device time at
 *                                     the compute clock MHZ; STOP_ON_SIGNAL
 *                                     stops there
 *   vclock_test advance CARD NS       ADVANCE by NS; prints the clock
 *   vclock_test thermal-reset CARD    THERMAL_RESET; prints
 *                                     "thermal_reset=0" or
 *                                     "thermal_reset=-ERRNO (message)",
 *                                     exits 0 or 1
 *   vclock_test lostirq CARD TIMEOUT_MS
 *                                     a job whose interrupt is lost
 *                                     completes at the job timeout (device
 *                                     time; the caller injects drop_irq)
 *   vclock_test scenario CARD         a hog and short jobs on two contexts,
 *                                     driven by ADVANCE: prints each job's
 *                                     completion time, in completion order
 *                                     (compared across runs by 31-vclock)
 *   vclock_test fifo CMD [ARGS...]    run CMD at SCHED_FIFO priority 10: a
 *                                     normal-priority worker (a commit's)
 *                                     then runs only when CMD and its
 *                                     children all sleep (53-vtime-commits)
 *
 * Each check prints "PASS: name" or "FAIL: name: why" (check.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "nvghost_pb.h"
#include "nvghost_drm.h"
#include "check.h"
#include "gpu.h"

/* The simulator's constants the expected times are computed from (kmod/sim/). */
#define UNGATE_NS	10000ULL	/* NVG_SIM_UNGATE_NS */
#define BUSY_STEP_NS	100000ULL	/* NVG_SIM_BUSY_STEP */

static int clk(int fd, uint32_t op, uint32_t flags, uint64_t until,
	       struct drm_nvghost_clock *c)
{
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->flags = flags;
	c->until_ns = until;
	return drmIoctl(fd, DRM_IOCTL_NVGHOST_CLOCK, c) ? -errno : 0;
}

static uint64_t now_ns(int fd)
{
	struct drm_nvghost_clock c;

	if (clk(fd, DRM_NVGHOST_CLOCK_GET, 0, 0, &c)) {
		fail("clock_get", "CLOCK GET: %s", strerror(errno));
		exit(failures);
	}
	return c.now_ns;
}

/*
 * What @cycles of BUSY cost at @mhz: whole chunks of NVG_SIM_BUSY_STEP's
 * cycles, then the rest rounded up to a nanosecond (nvg_sim_exec.c).
 */
static uint64_t busy_ns(uint64_t cycles, uint64_t mhz)
{
	uint64_t per = BUSY_STEP_NS * mhz / 1000;

	return cycles / per * BUSY_STEP_NS + ((cycles % per) * 1000 + mhz - 1) / mhz;
}

static u32 compute_class;

static int open_dev(const char *path)
{
	struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_ENGINE_CLASS };
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fail("open", "%s: %s", path, strerror(errno));
		exit(failures);
	}
	if (!compute_class && !drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp))
		compute_class = gp.value;
	return fd;
}

/* A pushbuffer BO, one segment per job. */
static struct bo pbo;
static struct pb pb;

/* Submit a BUSY job of @cycles on @ctx; returns its sync file, or -errno. */
static int submit_busy(int fd, int ctx, uint64_t cycles)
{
	struct drm_nvghost_submit s = { .ctx_id = ctx,
					.flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
	u32 first = pb.n;
	u64 entry;

	emit(&pb, 0, NVG_HOST_SET_OBJECT, 1, compute_class);
	emit(&pb, 0, NVGC_SET_CYCLES_LO, 2, (u32)cycles, (u32)(cycles >> 32));
	emit(&pb, 0, NVGC_LAUNCH, 1, NVGC_LAUNCH_OP_BUSY);
	entry = nvg_gpfifo_entry_encode(pbo.va + first * 4, pb.n - first, 0);
	s.gpfifo = (uintptr_t)&entry;
	s.gpfifo_count = 1;
	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s))
		return -errno;
	return s.fence_fd;
}

/* The fence's status (1 signalled) and, if signalled, its timestamp. */
static int fence_info(int sf, uint64_t *ts)
{
	struct sync_fence_info fi = {};
	struct sync_file_info info = { .num_fences = 1, .sync_fence_info = (uintptr_t)&fi };

	if (ioctl(sf, SYNC_IOC_FILE_INFO, &info))
		return -errno;
	*ts = fi.timestamp_ns;
	return info.status;
}

static int setup_pb(int fd)
{
	int ret = bo_new(fd, &pbo, 1 << 20, DRM_NVGHOST_PLACEMENT_SYSTEM, 0);

	pb.bo = &pbo;
	pb.dw = pbo.cpu;
	pb.n = 0;
	return ret;
}

static int ctx_prio(int fd, u32 prio)
{
	struct drm_nvghost_ctx_create c = { .engine_class = DRM_NVGHOST_ENGINE_COMPUTE,
					    .priority = prio };

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &c))
		return -errno;
	return c.ctx_id;
}

static void test_live(const char *card)
{
	int fd = open_dev(card);
	struct drm_nvghost_clock c;
	int ret;

	ret = clk(fd, DRM_NVGHOST_CLOCK_GET, 0, 0, &c);
	result("live_get", !ret && c.mode == DRM_NVGHOST_CLOCK_MODE_LIVE && !c.next_ns,
	       "GET: %s, mode %u, next_ns %llu; expected success, mode %u (live), next_ns 0",
	       ret ? strerror(-ret) : "success", c.mode, (unsigned long long)c.next_ns,
	       DRM_NVGHOST_CLOCK_MODE_LIVE);
	ret = clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, 0, c.now_ns + 1000000, &c);
	result("live_advance_eopnotsupp", ret == -EOPNOTSUPP,
	       "ADVANCE in live mode: %s, expected %s",
	       ret ? strerror(-ret) : "success", strerror(EOPNOTSUPP));
	ret = clk(fd, 7, 0, 0, &c);
	result("live_unknown_op_einval", ret == -EINVAL, "op 7: %s, expected %s",
	       ret ? strerror(-ret) : "success", strerror(EINVAL));
	close(fd);
}

/* In a child that dropped root: ADVANCE on the render node. */
static void test_render_eacces(const char *render, uint64_t until)
{
	struct drm_nvghost_clock c;
	int st, ret;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		int fd = open(render, O_RDWR | O_CLOEXEC);

		if (fd < 0 || setgid(65534) || setuid(65534))
			_exit(100);
		ret = clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, 0, until, &c);
		if (ret == -EACCES)
			_exit(0);
		_exit(ret ? (-ret & 0x7f) : 101);
	}
	waitpid(pid, &st, 0);
	result("render_advance_eacces", WIFEXITED(st) && WEXITSTATUS(st) == 0,
	       "ADVANCE on %s without CAP_SYS_ADMIN: child exit %d (%s), expected %s",
	       render, WEXITSTATUS(st),
	       WEXITSTATUS(st) == 100 ? "could not open or drop root" :
	       WEXITSTATUS(st) == 101 ? "success" : strerror(WEXITSTATUS(st)),
	       strerror(EACCES));
	/* GET is for anyone, from either node. */
	pid = fork();
	if (pid == 0) {
		int fd = open(render, O_RDWR | O_CLOEXEC);

		if (fd < 0 || setgid(65534) || setuid(65534))
			_exit(100);
		_exit(clk(fd, DRM_NVGHOST_CLOCK_GET, 0, 0, &c) ? 1 : 0);
	}
	waitpid(pid, &st, 0);
	result("render_get_allowed", WIFEXITED(st) && WEXITSTATUS(st) == 0,
	       "GET on %s as nobody: child exit %d, expected 0", render, WEXITSTATUS(st));
}

static void test_virtual(const char *card, const char *render, uint64_t mhz)
{
	struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_PTIMER_NS };
	uint64_t a, b, t0, ts = 0, want, cycles;
	struct drm_nvghost_clock c;
	int fd = open_dev(card), ctx, sf, st, ret;

	ret = clk(fd, DRM_NVGHOST_CLOCK_GET, 0, 0, &c);
	result("virtual_get", !ret && c.mode == DRM_NVGHOST_CLOCK_MODE_VIRTUAL,
	       "GET: %s, mode %u; expected success, mode %u (virtual)",
	       ret ? strerror(-ret) : "success", c.mode, DRM_NVGHOST_CLOCK_MODE_VIRTUAL);

	/* Settle, then no time passes without ADVANCE. */
	clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, 0, 0, &c);
	a = now_ns(fd);
	usleep(300000);
	b = now_ns(fd);
	drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp);
	result("time_still_without_advance", a == b && gp.value == a,
	       "CLOCK now %llu ns, 300 ms of real time later %llu ns, PTIMER %llu ns; expected all equal",
	       (unsigned long long)a, (unsigned long long)b, (unsigned long long)gp.value);

	ret = clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, 0, b + 5000000, &c);
	result("advance_moves_clock", !ret && c.now_ns == b + 5000000 && c.next_ns > c.now_ns,
	       "ADVANCE to %llu: %s, now %llu, next %llu; expected now = until < next",
	       (unsigned long long)(b + 5000000), ret ? strerror(-ret) : "success",
	       (unsigned long long)c.now_ns, (unsigned long long)c.next_ns);

	test_render_eacces(render, c.now_ns + 1000000);

	/*
	 * A BUSY job of known cycles on the (power-gated: idle for 5 ms)
	 * compute engine: ungating, then the cycles at the clock.
	 */
	if (setup_pb(fd) || (ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE)) < 0) {
		fail("busy_setup", "pushbuffer or channel: %s", strerror(errno));
		return;
	}
	cycles = 3 * mhz * 1000 + 12345;	/* ~3 ms, not whole chunks */
	t0 = now_ns(fd);
	sf = submit_busy(fd, ctx, cycles);
	if (sf < 0) {
		fail("busy_submit", "SUBMIT: %s", strerror(-sf));
		return;
	}
	want = t0 + UNGATE_NS + busy_ns(cycles, mhz);
	ret = clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL,
		  t0 + 1000000000ULL, &c);
	st = fence_info(sf, &ts);
	printf("# busy: %llu cycles at %llu MHz submitted at %llu ns, done at %llu ns (+%llu), expected %llu; %u events\n",
	       (unsigned long long)cycles, (unsigned long long)mhz, (unsigned long long)t0,
	       (unsigned long long)ts, (unsigned long long)(ts - t0), (unsigned long long)want,
	       c.events);
	result("busy_job_signalled", !ret && st == 1,
	       "ADVANCE: %s; fence status %d, expected 1", ret ? strerror(-ret) : "success", st);
	result("busy_job_completes_at_modelled_time", st == 1 && ts == want,
	       "fence timestamp %llu ns, expected %llu ns (submitted at %llu + %llu ungating + %llu cycles at %llu MHz)",
	       (unsigned long long)ts, (unsigned long long)want, (unsigned long long)t0,
	       UNGATE_NS, (unsigned long long)cycles, (unsigned long long)mhz);
	result("stop_on_signal_stops_there", c.now_ns == ts,
	       "ADVANCE with STOP_ON_SIGNAL returned at %llu ns, expected the completion at %llu ns",
	       (unsigned long long)c.now_ns, (unsigned long long)ts);
	result("busy_few_events", c.events <= 8,
	       "%u events played for one ~3 ms job, expected at most 8 (not one per chunk)",
	       c.events);
	close(sf);
	close(fd);
}

static int thermal_reset(const char *card)
{
	struct drm_nvghost_clock c;
	int fd = open_dev(card), ret;

	ret = clk(fd, DRM_NVGHOST_CLOCK_THERMAL_RESET, 0, 0, &c);
	if (ret)
		printf("thermal_reset=%d (%s)\n", ret, strerror(-ret));
	else
		printf("thermal_reset=0\n");
	close(fd);
	return ret ? 1 : 0;
}

static void advance(const char *card, uint64_t ns)
{
	struct drm_nvghost_clock c;
	int fd = open_dev(card), ret;

	ret = clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, 0, now_ns(fd) + ns, &c);
	if (ret)
		fail("advance", "ADVANCE by %llu ns: %s", (unsigned long long)ns, strerror(-ret));
	printf("now=%llu events=%u next=%llu\n", (unsigned long long)c.now_ns, c.events,
	       (unsigned long long)c.next_ns);
	close(fd);
}

/*
 * A job whose completion interrupt is lost (debugfs inject drop_irq, set by
 * the caller): in virtual mode the job timeout is a device alarm that calls
 * drm_sched_fault(); the driver then finds the job done and completes it.
 * Its fence is stamped at the device time that happened: @timeout_ms after
 * the submission.
 */
static void lost_irq(const char *card, uint64_t timeout_ms)
{
	int fd = open_dev(card), ctx, sf, st, ret;
	struct drm_nvghost_clock c;
	uint64_t t0, ts = 0;

	if (setup_pb(fd) || (ctx = ctx_new(fd, DRM_NVGHOST_ENGINE_COMPUTE)) < 0) {
		fail("lost_irq_setup", "pushbuffer or channel: %s", strerror(errno));
		return;
	}
	clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, 0, 0, &c);
	t0 = now_ns(fd);
	sf = submit_busy(fd, ctx, 2520000);	/* 1 ms at the top clock */
	if (sf < 0) {
		fail("lost_irq_submit", "SUBMIT: %s", strerror(-sf));
		return;
	}
	ret = clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL,
		  t0 + 3 * timeout_ms * 1000000ULL, &c);
	st = fence_info(sf, &ts);
	printf("# lost_irq: ADVANCE %s, fence status %d at +%llu ns (job_timeout_ms %llu)\n",
	       ret ? strerror(-ret) : "ok", st, (unsigned long long)(ts - t0),
	       (unsigned long long)timeout_ms);
	result("lost_irq_job_completes", st == 1,
	       "fence status %d (%s), expected 1: the job ran, only its interrupt was lost",
	       st, st < 0 ? strerror(-st) : "not an error");
	/*
	 * Found by the timeout, on device time: not before it, and within one
	 * period of the scheduling watchdog after it (sched_watchdog_ms / 4:
	 * 50 ms here). Since the display work (issue 13) was merged the
	 * recovery lands at +250 ms, one watchdog period late, where the
	 * virtual clock's own branch found it at exactly +200 ms; why is
	 * open (docs/architecture.md, "Two clock modes", Limits).
	 */
	result("lost_irq_found_at_timeout", st == 1 && ts - t0 >= timeout_ms * 1000000ULL &&
	       ts - t0 <= timeout_ms * 1000000ULL + timeout_ms * 1000000ULL / 4,
	       "completed at +%llu ns, expected between +%llu ns (the job timeout, on device time) and one watchdog period (%llu ns) later",
	       (unsigned long long)(ts - t0), (unsigned long long)(timeout_ms * 1000000ULL),
	       (unsigned long long)(timeout_ms * 1000000ULL / 4));
	close(sf);
	close(fd);
}

#define HOG_JOBS	4
#define SHORT_JOBS	12

struct done {
	char name[16];
	uint64_t t;
};

static int cmp_done(const void *a, const void *b)
{
	const struct done *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Two contexts of one client: a low-priority hog (HOG_JOBS jobs of 30 ms,
 * all submitted at once) and a normal one submitting a 0.4 ms job every
 * 5 ms; every arrival is at a device time reached with ADVANCE. Prints
 * each job's completion, relative to the start, in completion order.
 */
static void scenario(const char *card)
{
	struct done done[HOG_JOBS + SHORT_JOBS];
	int fd = open_dev(card), hog, sh, sf[HOG_JOBS + SHORT_JOBS], i, n = 0, st;
	struct drm_nvghost_clock c;
	uint64_t t0, ts;

	hog = ctx_prio(fd, DRM_NVGHOST_PRIORITY_LOW);
	sh = ctx_prio(fd, DRM_NVGHOST_PRIORITY_NORMAL);
	if (setup_pb(fd) || hog < 0 || sh < 0) {
		fail("scenario_setup", "pushbuffer or channels: %s", strerror(errno));
		return;
	}
	clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, 0, 0, &c);
	t0 = now_ns(fd);
	for (i = 0; i < HOG_JOBS; i++)
		sf[n++] = submit_busy(fd, hog, 75600000);	/* 30 ms at 2520 MHz */
	for (i = 0; i < SHORT_JOBS; i++) {
		clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, 0, t0 + 2000000 + i * 5000000ULL, &c);
		sf[n++] = submit_busy(fd, sh, 1008000);		/* 0.4 ms */
	}
	clk(fd, DRM_NVGHOST_CLOCK_ADVANCE, 0, t0 + 400000000ULL, &c);
	for (i = 0; i < n; i++) {
		snprintf(done[i].name, sizeof(done[i].name), "%s%d",
			 i < HOG_JOBS ? "hog" : "short", i < HOG_JOBS ? i : i - HOG_JOBS);
		st = sf[i] < 0 ? sf[i] : fence_info(sf[i], &ts);
		if (st != 1) {
			fail("scenario_all_complete", "job %s: fence status %d, expected 1 (signalled)",
			     done[i].name, st);
			return;
		}
		done[i].t = ts - t0;
		close(sf[i]);
	}
	pass("scenario_all_complete");
	qsort(done, n, sizeof(done[0]), cmp_done);
	for (i = 0; i < n; i++)
		printf("# done %s +%llu\n", done[i].name, (unsigned long long)done[i].t);
	close(fd);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "fifo")) {
		struct sched_param sp = { .sched_priority = 10 };

		if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
			fprintf(stderr, "vclock_test fifo: sched_setscheduler: %s\n", strerror(errno));
			return 2;
		}
		execvp(argv[2], argv + 2);
		fprintf(stderr, "vclock_test fifo: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	if (argc == 3 && !strcmp(argv[1], "live"))
		test_live(argv[2]);
	else if (argc == 5 && !strcmp(argv[1], "virtual"))
		test_virtual(argv[2], argv[3], strtoull(argv[4], NULL, 0));
	else if (argc == 4 && !strcmp(argv[1], "advance"))
		advance(argv[2], strtoull(argv[3], NULL, 0));
	else if (argc == 3 && !strcmp(argv[1], "thermal-reset"))
		return thermal_reset(argv[2]);
	else if (argc == 4 && !strcmp(argv[1], "lostirq"))
		lost_irq(argv[2], strtoull(argv[3], NULL, 0));
	else if (argc == 3 && !strcmp(argv[1], "scenario"))
		scenario(argv[2]);
	else {
		fprintf(stderr, "usage: see the top of tests/vm/vclock_test.c\n");
		return 2;
	}
	return failures;
}
