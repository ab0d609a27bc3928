// SPDX-License-Identifier: GPL-2.0
/*
 * nvgbench - a GPU workload generator: several clients, each a process with
 * its own DRM file (its own GPU address space) and one channel on the compute
 * engine, submitting BUSY jobs (libnvg's nvg_cmd_busy) that contend for
 * engine 0. The client shapes are the ones the DRM fair-scheduler work
 * measures: an interactive frame loop against heavy and very heavy
 * back-to-back submitters. A game client also presents: each frame, one
 * job and then a page flip on a display head (libnvg's nvg_present.c),
 * vsync'd, so the display paces it; it opens the device's primary (card)
 * node, since only that has KMS.
 *
 *   nvgbench [-d DEVICE] [-t SECONDS] [-o CSV_PREFIX] CLIENT...
 *   nvgbench -t 5 interactive:game hog:bg
 *   nvgbench -t 5 game:g,head=0,hz=60,cost=4,jitter=1
 *
 * Per client, one result line:
 *
 *   nvgbench: client=game kind=interactive jobs=N throughput=J/s
 *             lat_us p50=.. p99=.. max=.. start_us p50=.. p99=.. max=..
 *             missed=M/N starved_max_gap_ms=..
 *
 * (on one line), and for a game also
 *
 *             mode=WxH@HZ fps=.. late_refreshes=.. present_us p50=.. p99=..
 *
 * where jobs is frames presented, missed=M/N counts the frames whose flip
 * latched later than the refresh after the previous frame's (N: frames but
 * the first, which has no deadline), late_refreshes sums by how many
 * refreshes, and present_us is submit-to-flip (the vblank it latched at).
 *
 * lat_us is submit-to-signal, what the client sees;
 * start_us is submit-to-run, the part a scheduler decides: each job begins
 * with a timestamped semaphore release (NVIDIA's RELEASE_TIMESTAMP), so the
 * GPU itself writes the PTIMER time at which the job started on the engine,
 * and the client maps PTIMER to CLOCK_MONOTONIC with GET_PARAM PTIMER_NS.
 *
 * A mem client (issue 16 item 5) runs a memory workload over managed memory
 * (DRM_NVGHOST_PLACEMENT_MANAGED): the jobs of tools/mempat.h's patterns,
 * compute jobs that checksum (read) or fill (write) ranges of its buffer,
 * one in flight; its line adds the fdinfo deltas of its DRM file
 *
 *             pattern=P ws_mib=N passes=N faults=N in_kib=N out_kib=N
 *             evicted_kib=N thrashing=N
 *
 * With -o, each client also writes PREFIX-NAME.csv with one line per job:
 * submit time (seconds since the start), latency (ms), start latency (ms),
 * and for a game present latency (ms).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "nvg.h"
#include "nvg_cmd.h"
#include "nvg_present.h"
#include "nvghost_chip.h"
#include "mempat.h"
#include "stats.h"

#define MAX_CLIENTS	16
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_INFLIGHT	8
/*
 * The client's 4 KiB system-memory object: one pushbuffer per in-flight
 * slot, then one 16-byte timestamped semaphore per slot.
 */
#define PB_SLOT_BYTES	256
#define SEM_BASE	(MAX_INFLIGHT * PB_SLOT_BYTES)
#define SEM_BYTES	16
#define NAME_MAX_LEN	32
/* How long a client waits for one job before it gives up on the run. */
#define FENCE_TIMEOUT_MS	30000
/* How long a game waits for a flip event: a refresh is 42 ms at 24 Hz. */
#define FLIP_TIMEOUT_MS		2000
/* The game's jitter generator starts from this, so runs are comparable. */
#define JITTER_SEED		0x6e7667686f737421ULL

static const char usage[] =
"nvgbench - GPU workload generator for nvghost (compute engine contention)\n"
"\n"
"Usage: nvgbench [-d DEVICE] [-t SECONDS] [-o CSV_PREFIX] CLIENT...\n"
"\n"
"  -d DEVICE      render node (default: the first nvghost render node); a\n"
"                 game uses the primary (card) node of the same device\n"
"  -t SECONDS     how long clients submit work (default 5)\n"
"  -o PREFIX      write PREFIX-NAME.csv per client: one line per job,\n"
"                 \"submit time (s since start),latency (ms),start latency (ms)\"\n"
"                 (a game adds \",present latency (ms)\")\n"
"  -h             this help\n"
"\n"
"CLIENT is  kind[:name][,period=MS][,cost=MS][,prio=low|normal|high]\n"
"           game only: [,head=N][,hz=HZ][,jitter=MS]\n"
"       or  mem[:name],pattern=P,ws=MIB|PCT%[,passes=N][,prio=...]\n"
"\n"
"  interactive  a frame loop: every period (10 ms) submit one job of cost\n"
"               (1 ms) and wait for it; a frame whose submit-to-signal\n"
"               latency exceeds the period misses its deadline. A late frame\n"
"               makes the next one start at the next period boundary.\n"
"  heavy        back-to-back jobs of 2.5 ms, 2 in flight\n"
"  veryheavy    back-to-back jobs of 50 ms, 2 in flight\n"
"  hog          veryheavy on a DRM_NVGHOST_PRIORITY_LOW channel\n"
"  game         a presenting frame loop: set a mode on display head N\n"
"               (0) at HZ (default: the monitor's preferred mode), then per\n"
"               frame submit one job of cost (4 ms) +- a uniform jitter (0;\n"
"               the same sequence every run), wait for it, page-flip to it,\n"
"               wait for the flip to latch, and start the next at once: the\n"
"               display paces it (vsync). A frame whose flip latches later\n"
"               than the refresh after the previous one misses its deadline.\n"
"               At most one game (it must be DRM master of the device).\n"
"  mem          a memory workload over a managed buffer of ws MiB, or PCT%\n"
"               of the managed-memory budget (module parameter uvm_vram_mb;\n"
"               ws=150% oversubscribes it 1.5x), CPU-written first so the\n"
"               first GPU touch migrates. Jobs, back to back, one in flight,\n"
"               each checksums (reads) up to 64 ranges; pattern is one of\n"
"               seq (one pass in order), cyclic (passes in order), random\n"
"               (random 2 MiB chunks), hotcold (90% in the first 10%),\n"
"               strided (every 4th 64 KiB page), llm (weights, 3/4 of ws,\n"
"               streamed each token; a KV cache, 1/4, grows by 256 KiB a\n"
"               token and is read whole). One pass (a token) is one job, or\n"
"               more where it has over 57 ranges. It stops after passes\n"
"               passes (default: when the run ends; seq: 1).\n"
"\n"
"Every client is a process with its own DRM file and one channel on the\n"
"compute engine (engine 0); a job is one BUSY command whose cycle count is\n"
"cost x the chip's clock. Priority defaults to normal (low for hog).\n"
"\n"
"Output, one line per client:\n"
"  nvgbench: client=NAME kind=KIND jobs=N throughput=J/s lat_us p50=.. p99=..\n"
"            max=.. start_us p50=.. p99=.. max=.. missed=M/N\n"
"            starved_max_gap_ms=..\n"
"  jobs: jobs completed (the last ones may complete after the window);\n"
"  throughput: jobs completed within the window per second; lat_us:\n"
"  submit-to-signal latency; start_us: submit-to-run latency (until the\n"
"  job started on the engine, timestamped by the GPU); missed: frames\n"
"  whose lat_us is over their period (interactive), or whose flip was\n"
"  late (game: of the frames but the first), '-' otherwise;\n"
"  starved_max_gap_ms: the longest time the client had work queued\n"
"  without a job completing.\n"
"  A game adds: mode=WxH@HZ fps=.. late_refreshes=.. present_us p50=.. p99=..\n"
"  jobs is then frames presented; fps: flips per second; late_refreshes:\n"
"  the refreshes the late frames cost in all; present_us: submit to the\n"
"  vblank its flip latched at.\n"
"  A mem client adds: pattern=P ws_mib=N passes=N (done) faults=N\n"
"  in_kib=N out_kib=N evicted_kib=N thrashing=N: its DRM file's fdinfo\n"
"  (nvghost-managed-*) over the run: GPU faults serviced, KiB migrated to\n"
"  and from VRAM, evicted, thrashing reports.\n"
"\n"
"Examples: nvgbench -t 5 interactive:game hog:bg\n"
"          nvgbench -t 5 game:g,head=0,hz=60,cost=4,jitter=1 hog:bg\n"
"          nvgbench -t 5 mem:scan,pattern=cyclic,ws=150% interactive:game\n";

enum kind { K_INTERACTIVE, K_HEAVY, K_VERYHEAVY, K_HOG, K_GAME, K_MEM };

static const struct {
	const char *name;
	double period_ms, cost_ms;
	int inflight;
	uint32_t prio;
} kinds[] = {
	[K_INTERACTIVE] = { "interactive", 10.0, 1.0, 1, DRM_NVGHOST_PRIORITY_NORMAL },
	[K_HEAVY] = { "heavy", 0, 2.5, 2, DRM_NVGHOST_PRIORITY_NORMAL },
	[K_VERYHEAVY] = { "veryheavy", 0, 50.0, 2, DRM_NVGHOST_PRIORITY_NORMAL },
	[K_HOG] = { "hog", 0, 50.0, 2, DRM_NVGHOST_PRIORITY_LOW },
	[K_GAME] = { "game", 0, 4.0, 1, DRM_NVGHOST_PRIORITY_NORMAL },
	[K_MEM] = { "mem", 0, 0, 1, DRM_NVGHOST_PRIORITY_NORMAL },
};

struct client {
	enum kind kind;
	char name[NAME_MAX_LEN];
	double period_ms, cost_ms;
	int inflight;
	uint32_t prio;
	/* game: the head it presents on, the refresh rate (0: preferred mode) */
	unsigned int head, hz;
	double jitter_ms;	/* game: each frame's cost is cost +- this */
	/* mem: the pattern, the working set (MiB, or a share of the budget) */
	int pattern;
	unsigned int ws_mib, ws_pct, passes;	/* passes 0: until the run ends */
};

/* What a client process hands back to the parent (shared memory). */
struct result {
	int finished;		/* the child got to the end */
	int failed;
	char err[200];
	uint64_t jobs, jobs_in_window, missed;
	uint64_t p50_us, p99_us, max_us;
	uint64_t start_p50_us, start_p99_us, start_max_us;
	double max_gap_ms;
	/* game only */
	uint64_t late_refreshes;
	uint64_t present_p50_us, present_p99_us;
	double fps;
	unsigned int mode_w, mode_h, mode_hz;
	/* mem only: passes done, fdinfo deltas */
	uint64_t passes, faults, in_kib, out_kib, evicted_kib, thrashing;
};

struct shared {
	int abort;		/* a client failed to set up: everyone stops */
	uint64_t t0_ns;		/* the common start */
	struct result res[MAX_CLIENTS];
};

struct sample {
	uint64_t submit_ns;	/* since t0 */
	uint64_t lat_ns;
	uint64_t start_ns;	/* submit to running on the engine */
	uint64_t present_ns;	/* game: submit to the flip's vblank */
};

static const char *prog = "nvgbench";
#include "util.h"
static const char *device;
static double duration_s = 5.0;
static const char *csv_prefix;
static struct client clients[MAX_CLIENTS];
static int nr_clients;
static uint64_t busy_cycles_per_ms;
static const char *chip_name = "?";
static uint32_t gpc_mhz;
static char *card_path;		/* the primary node of the device, for games */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t t_ns)
{
	struct timespec ts = { .tv_sec = t_ns / 1000000000ULL,
			       .tv_nsec = t_ns % 1000000000ULL };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static bool parse_ms(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 60000)
		return false;
	*out = v;
	return true;
}

/* An unsigned integer in [@min, @max]. */
static bool parse_uint(const char *s, unsigned int min, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = (unsigned int)v;
	return true;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

/* A mem client's pattern=, ws= or passes= (@opt) into @c. */
static void parse_mem_opt(const char *arg, const char *opt, struct client *c)
{
	const char *v = strchr(opt, '=') + 1;
	size_t n = strlen(v);

	if (opt[0] == 'p' && opt[1] == 'a' && opt[2] == 't') {
		c->pattern = nvg_mp_kind_of(v);
		if (c->pattern < 0)
			die(2, "client '%s': unknown pattern '%s' (seq, cyclic, random, hotcold, strided, llm)",
			    arg, v);
	} else if (opt[0] == 'w') {
		char num[16];

		if (n && v[n - 1] == '%') {
			snprintf(num, sizeof(num), "%.*s", (int)(n - 1), v);
			if (n > sizeof(num) || !parse_uint(num, 1, 10000, &c->ws_pct))
				die(2, "client '%s': bad ws '%s' (MiB, 1-1048576, or a share of uvm_vram_mb, 1%%-10000%%)",
				    arg, v);
			c->ws_mib = 0;
		} else if (!parse_uint(v, 1, 1048576, &c->ws_mib)) {
			die(2, "client '%s': bad ws '%s' (MiB, 1-1048576, or a share of uvm_vram_mb, 1%%-10000%%)",
			    arg, v);
		} else {
			c->ws_pct = 0;
		}
	} else if (!parse_uint(v, 1, 1000000, &c->passes)) {
		die(2, "client '%s': bad passes '%s' (1-1000000)", arg, v);
	}
}

/*
 * kind[:name][,period=ms][,cost=ms][,prio=low|normal|high]
 *            [,head=N][,hz=HZ][,jitter=ms]    (the last three: game only)
 */
static void parse_client(const char *arg, struct client *c)
{
	char buf[256], *opt, *save, *colon;
	size_t i;

	if (strlen(arg) >= sizeof(buf))
		die(2, "client '%s': too long", arg);
	snprintf(buf, sizeof(buf), "%s", arg);
	opt = strtok_r(buf, ",", &save);
	if (!opt)
		die(2, "empty client (see -h)");
	colon = strchr(opt, ':');
	if (colon)
		*colon++ = '\0';
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(opt, kinds[i].name))
			break;
	if (i == ARRAY_SIZE(kinds))
		die(2, "client '%s': unknown kind '%s' (interactive, heavy, veryheavy, hog, game, mem)",
		    arg, opt);
	c->kind = (enum kind)i;
	c->period_ms = kinds[i].period_ms;
	c->cost_ms = kinds[i].cost_ms;
	c->inflight = kinds[i].inflight;
	c->prio = kinds[i].prio;
	if (colon) {
		if (!valid_name(colon) || strlen(colon) >= NAME_MAX_LEN)
			die(2, "client '%s': name '%s' must be 1-%d characters of [A-Za-z0-9_.-]",
			    arg, colon, NAME_MAX_LEN - 1);
		snprintf(c->name, sizeof(c->name), "%s", colon);
	}
	c->pattern = -1;
	while ((opt = strtok_r(NULL, ",", &save))) {
		if (!strncmp(opt, "pattern=", 8) || !strncmp(opt, "ws=", 3) ||
		    !strncmp(opt, "passes=", 7)) {
			if (c->kind != K_MEM)
				die(2, "client '%s': %.*s= is for mem clients only", arg,
				    (int)(strchr(opt, '=') - opt), opt);
			parse_mem_opt(arg, opt, c);
		} else if (c->kind == K_MEM && strncmp(opt, "prio=", 5)) {
			die(2, "client '%s': unknown option '%s' (pattern=, ws=, passes=, prio=)",
			    arg, opt);
		} else if (!strncmp(opt, "period=", 7)) {
			if (c->kind != K_INTERACTIVE)
				die(2, "client '%s': period= is for interactive clients only", arg);
			if (!parse_ms(opt + 7, &c->period_ms))
				die(2, "client '%s': bad period '%s' (milliseconds, > 0)",
				    arg, opt + 7);
		} else if (!strncmp(opt, "cost=", 5)) {
			if (!parse_ms(opt + 5, &c->cost_ms))
				die(2, "client '%s': bad cost '%s' (milliseconds, > 0)", arg, opt + 5);
		} else if (!strncmp(opt, "prio=", 5)) {
			if (!strcmp(opt + 5, "low"))
				c->prio = DRM_NVGHOST_PRIORITY_LOW;
			else if (!strcmp(opt + 5, "normal"))
				c->prio = DRM_NVGHOST_PRIORITY_NORMAL;
			else if (!strcmp(opt + 5, "high"))
				c->prio = DRM_NVGHOST_PRIORITY_HIGH;
			else
				die(2, "client '%s': bad prio '%s' (low, normal, high)", arg, opt + 5);
		} else if (!strncmp(opt, "head=", 5) || !strncmp(opt, "hz=", 3) ||
			   !strncmp(opt, "jitter=", 7)) {
			const char *v = strchr(opt, '=') + 1;

			if (c->kind != K_GAME)
				die(2, "client '%s': %.*s= is for game clients only", arg,
				    (int)(v - 1 - opt), opt);
			if (opt[0] == 'h' && opt[1] == 'e') {
				/* Whether the head exists is the device's to say (setup). */
				if (!parse_uint(v, 0, 31, &c->head))
					die(2, "client '%s': bad head '%s' (a head index, 0-31)", arg, v);
			} else if (opt[0] == 'h') {
				if (!parse_uint(v, 1, 1000, &c->hz))
					die(2, "client '%s': bad hz '%s' (a refresh rate, 1-1000)", arg, v);
			} else {
				char *end;

				errno = 0;
				c->jitter_ms = strtod(v, &end);
				if (errno || end == v || *end || !(c->jitter_ms >= 0) ||
				    c->jitter_ms > 60000)
					die(2, "client '%s': bad jitter '%s' (milliseconds, >= 0)", arg, v);
			}
		} else {
			die(2, "client '%s': unknown option '%s' (%s)", arg, opt,
			    c->kind == K_GAME ? "cost=, prio=, head=, hz=, jitter=" :
			    "period=, cost=, prio=");
		}
	}
	if (c->kind == K_MEM && (c->pattern < 0 || !(c->ws_mib || c->ws_pct)))
		die(2, "client '%s': a mem client needs pattern= (%s) and ws= (MiB, or N%% of uvm_vram_mb)",
		    arg, "seq, cyclic, random, hotcold, strided, llm");
	/* A frame's cost is cost +- jitter: it must stay positive. */
	if (c->kind == K_GAME && c->jitter_ms >= c->cost_ms)
		die(2, "client '%s': jitter (%g ms) must be less than cost (%g ms)", arg,
		    c->jitter_ms, c->cost_ms);
}

/* Unnamed clients are called after their kind, numbered if that repeats. */
static void name_clients(void)
{
	int i, j, n;

	for (i = 0; i < nr_clients; i++) {
		if (clients[i].name[0])
			continue;
		n = 0;
		for (j = 0; j < nr_clients; j++)
			n += clients[j].kind == clients[i].kind;
		if (n == 1) {
			snprintf(clients[i].name, NAME_MAX_LEN, "%s", kinds[clients[i].kind].name);
			continue;
		}
		for (n = 1;; n++) {
			char cand[NAME_MAX_LEN];
			bool taken = false;

			snprintf(cand, sizeof(cand), "%s%d", kinds[clients[i].kind].name, n);
			for (j = 0; j < nr_clients; j++)
				taken |= !strcmp(clients[j].name, cand);
			if (!taken) {
				snprintf(clients[i].name, NAME_MAX_LEN, "%s", cand);
				break;
			}
		}
	}
	for (i = 0; i < nr_clients; i++)
		for (j = i + 1; j < nr_clients; j++)
			if (!strcmp(clients[i].name, clients[j].name))
				die(2, "two clients are named '%s'", clients[i].name);
}

static const char *prio_name(uint32_t p)
{
	return p == DRM_NVGHOST_PRIORITY_LOW ? "low" :
	       p == DRM_NVGHOST_PRIORITY_HIGH ? "high" : "normal";
}

/* ---- one client, in its own process ---- */

struct run {
	struct client *c;
	struct result *res;
	struct nvg_device dev;
	struct nvg_bo pb;
	uint32_t ctx;
	uint32_t cls;			/* the compute engine's class */
	uint64_t entry[MAX_INFLIGHT];	/* slot i: pushbuffer i */
	int64_t ptimer_off;		/* PTIMER - CLOCK_MONOTONIC */
	uint32_t seq;			/* jobs submitted */
	struct sample *s;
	size_t ns, cap;
	FILE *csv;		/* -o: opened before the run, so a bad path fails early */
	/* in-flight jobs, oldest first */
	int fence[MAX_INFLIGHT];
	uint64_t submitted[MAX_INFLIGHT];
	uint32_t job_seq[MAX_INFLIGHT];
	int nin;
	uint64_t t0, end;
	uint64_t waiting_since;	/* start of the current gap, while work is queued */
	uint64_t max_gap;
	/* game */
	struct nvg_present pres;
	bool presenting;	/* pres is set up: fini it */
	uint64_t rng;		/* the jitter's xorshift64* state */
	/* mem */
	struct nvg_bo mbuf[2];	/* the working set (llm: weights), llm's KV cache */
	struct nvg_bo mpb;	/* its jobs' pushbuffer */
	struct nvg_mempat mp;
	long long fdinfo0[5];
};

static int client_fail(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->res->err, sizeof(r->res->err), fmt, ap);
	va_end(ap);
	r->res->failed = 1;
	return -1;
}

/*
 * PTIMER - CLOCK_MONOTONIC, from the GET_PARAM call that took least time
 * of a few (its error is half that call's duration, tens of microseconds
 * in a VM).
 */
static int ptimer_calibrate(struct run *r)
{
	uint64_t best = UINT64_MAX, t0, t1, ptimer;
	int i, ret;

	for (i = 0; i < 8; i++) {
		t0 = now_ns();
		ret = nvg_get_param(&r->dev, DRM_NVGHOST_PARAM_PTIMER_NS, 0, &ptimer);
		t1 = now_ns();
		if (ret)
			return client_fail(r, "GET_PARAM PTIMER_NS: %s", strerror(-ret));
		if (t1 - t0 < best) {
			best = t1 - t0;
			r->ptimer_off = (int64_t)(ptimer - (t0 + (t1 - t0) / 2));
		}
	}
	return 0;
}

/*
 * Slot @slot's job: a timestamped release of the slot's semaphore (the GPU
 * notes when the job started), then one BUSY of @cycles.
 */
static int build_job(struct run *r, uint32_t slot, uint64_t cycles)
{
	uint64_t off = (uint64_t)slot * PB_SLOT_BYTES;
	struct nvg_pb_builder b;
	struct nvg_cmd cmd;
	int ret;

	ret = nvg_pb_builder_init(&b, r->cls, (uint32_t *)((char *)r->pb.map + off),
				  PB_SLOT_BYTES / 4);
	if (ret)
		return ret;
	cmd = nvg_cmd_sem_release(r->pb.va + SEM_BASE + (uint64_t)slot * SEM_BYTES, 0,
				  NVG_CMD_SEM_32, true);
	ret = nvg_pb_emit(&b, &cmd);
	cmd = nvg_cmd_busy(cycles);
	ret = ret ?: nvg_pb_emit(&b, &cmd);
	if (!ret)
		r->entry[slot] = nvg_gpfifo_entry_encode(r->pb.va + off,
							 (uint32_t)nvg_pb_builder_count(&b), 0);
	nvg_pb_builder_fini(&b);
	return ret;
}

/* Why the display could not be set up, in words (nvg_present_init()). */
static int present_fail(struct run *r, int err)
{
	const struct client *c = r->c;
	drmModeResPtr res;
	int n;

	switch (err) {
	case -ERANGE:
		res = drmModeGetResources(r->dev.fd);
		n = res ? res->count_crtcs : 0;
		drmModeFreeResources(res);
		return client_fail(r, "head %u: no such head (the device has %d: 0-%d)",
				   c->head, n, n - 1);
	case -ENOTCONN:
		return client_fail(r, "head %u: no monitor connected", c->head);
	case -ENOENT:
		if (c->hz)
			return client_fail(r, "head %u: the monitor has no %u Hz mode",
					   c->head, c->hz);
		return client_fail(r, "head %u: the monitor has no modes", c->head);
	case -EOPNOTSUPP:
		return client_fail(r, "%s has no display (loaded with num_heads=0?)", card_path);
	case -EACCES:
	case -EPERM:
		return client_fail(r, "head %u: %s: not DRM master (does another process hold the display?)",
				   c->head, card_path);
	default:
		return client_fail(r, "head %u: setting up the display: %s", c->head,
				   strerror(-err));
	}
}

/* The managed-memory counters of the client's DRM file, in fdinfo's units. */
static const char *const mem_keys[5] = {
	"nvghost-managed-faults", "nvghost-managed-migrated-in",
	"nvghost-managed-migrated-out", "nvghost-managed-evicted",
	"nvghost-managed-thrashing",
};

static void mem_fdinfo(struct run *r, long long v[5])
{
	char path[64], line[256];
	size_t n;
	FILE *f;
	int k;

	for (k = 0; k < 5; k++)
		v[k] = 0;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", r->dev.fd);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		for (k = 0; k < 5; k++) {
			n = strlen(mem_keys[k]);
			if (!strncmp(line, mem_keys[k], n) && line[n] == ':')
				v[k] = strtoll(line + n + 1, NULL, 10);
		}
	fclose(f);
}

/*
 * A mem client's buffers: managed, CPU-written (so the GPU's first touch
 * of each page faults and migrates it), and a pushbuffer for its jobs.
 */
static int mem_setup(struct run *r)
{
	const struct client *c = r->c;
	unsigned int b;
	int ret;

	r->rng = 88172645463325252ULL;
	if (nvg_mp_init(&r->mp, (enum nvg_mp_kind)c->pattern, (uint64_t)c->ws_mib << 20,
			c->passes ? c->passes : UINT32_MAX, &r->rng))
		return client_fail(r, "ws=%u MiB: the %s pattern needs at least one 2 MiB chunk%s",
				   c->ws_mib, nvg_mp_names[c->pattern],
				   c->pattern == NVG_MP_LLM ? " of weights (3/4 of ws)" : "");
	for (b = 0; b < 2 && r->mp.size[b]; b++) {
		ret = nvg_bo_create(&r->dev, r->mp.size[b], DRM_NVGHOST_PLACEMENT_MANAGED,
				    &r->mbuf[b]) ?:
		      nvg_bo_map(&r->dev, &r->mbuf[b]) ?: nvg_bo_bind(&r->dev, &r->mbuf[b], 0, 0);
		if (ret)
			return client_fail(r, "managed buffer of %llu bytes: %s",
					   (unsigned long long)r->mp.size[b], strerror(-ret));
		memset(r->mbuf[b].map, 0x5a + b, r->mp.size[b]);
	}
	ret = nvg_bo_create(&r->dev, 16384, DRM_NVGHOST_PLACEMENT_SYSTEM, &r->mpb) ?:
	      nvg_bo_map(&r->dev, &r->mpb) ?: nvg_bo_bind(&r->dev, &r->mpb, 0, 0);
	if (ret)
		return client_fail(r, "pushbuffer object: %s", strerror(-ret));
	mem_fdinfo(r, r->fdinfo0);
	return 0;
}

/*
 * The next job of the pattern into slot 0 (one in flight), after its start
 * timestamp: a CHECKSUM a read (results in the pushbuffer object's second
 * half), a FILL a write. 0 when the workload is done.
 */
static int mem_build(struct run *r)
{
	struct nvg_mp_op ops[NVG_MP_OPS];
	struct nvg_pb_builder b;
	struct nvg_cmd cmd;
	unsigned int n, i;
	int ret;

	n = nvg_mp_next(&r->mp, ops);
	if (!n)
		return 0;
	ret = nvg_pb_builder_init(&b, r->cls, (uint32_t *)r->mpb.map, 8192 / 4);
	if (ret)
		return ret;
	cmd = nvg_cmd_sem_release(r->pb.va + SEM_BASE, 0, NVG_CMD_SEM_32, true);
	ret = nvg_pb_emit(&b, &cmd);
	for (i = 0; i < n && !ret; i++) {
		uint64_t va = r->mbuf[ops[i].buf].va + ops[i].off;

		cmd = ops[i].write ? nvg_cmd_fill32(va, ops[i].len, ops[i].value) :
			nvg_cmd_checksum(va, ops[i].len, r->mpb.va + 8192 + i * 4);
		ret = nvg_pb_emit(&b, &cmd);
	}
	if (!ret)
		r->entry[0] = nvg_gpfifo_entry_encode(r->mpb.va,
						      (uint32_t)nvg_pb_builder_count(&b), 0);
	nvg_pb_builder_fini(&b);
	return ret ?: 1;
}

static int submit_one(struct run *r);
static int complete_one(struct run *r, uint64_t *lat_out);

/* A mem client: its pattern's jobs back to back, one in flight. */
static int run_mem(struct run *r)
{
	long long v[5];
	int ret;

	sleep_until(r->t0);
	while (now_ns() < r->end) {
		ret = mem_build(r);
		if (ret < 0)
			return client_fail(r, "building job %llu: %s",
					   (unsigned long long)r->res->jobs + 1, strerror(-ret));
		if (!ret)
			break;
		r->seq = 0;	/* slot 0 always */
		if (submit_one(r) || complete_one(r, NULL))
			return -1;
	}
	r->res->passes = r->mp.pass;
	mem_fdinfo(r, v);
	r->res->faults = (uint64_t)(v[0] - r->fdinfo0[0]);
	r->res->in_kib = (uint64_t)(v[1] - r->fdinfo0[1]);
	r->res->out_kib = (uint64_t)(v[2] - r->fdinfo0[2]);
	r->res->evicted_kib = (uint64_t)(v[3] - r->fdinfo0[3]);
	r->res->thrashing = (uint64_t)(v[4] - r->fdinfo0[4]);
	return 0;
}

static int client_setup(struct run *r)
{
	const char *path = r->c->kind == K_GAME ? card_path : device;
	uint64_t cls;
	int i, ret;

	if (csv_prefix) {
		char path[4096];

		snprintf(path, sizeof(path), "%s-%s.csv", csv_prefix, r->c->name);
		r->csv = fopen(path, "w");
		if (!r->csv)
			return client_fail(r, "cannot write %s: %s", path, strerror(errno));
	}
	ret = nvg_open(&r->dev, path);
	if (ret)
		return client_fail(r, "open %s: %s", path ?: "(first nvghost node)",
				   strerror(-ret));
	ret = nvg_get_param(&r->dev, DRM_NVGHOST_PARAM_ENGINE_CLASS, 0, &cls);
	if (ret)
		return client_fail(r, "GET_PARAM ENGINE_CLASS: %s", strerror(-ret));
	r->cls = (uint32_t)cls;
	if (r->c->kind == K_GAME) {
		ret = nvg_present_init(&r->pres, r->dev.fd, r->c->head, r->c->hz);
		if (ret)
			return present_fail(r, ret);
		r->presenting = true;
		r->res->mode_w = r->pres.mode.hdisplay;
		r->res->mode_h = r->pres.mode.vdisplay;
		r->res->mode_hz = r->pres.hz;
		r->rng = JITTER_SEED ^ ((uint64_t)(r->c - clients) + 1) * 0x9e3779b97f4a7c15ULL;
	}
	ret = nvg_bo_create(&r->dev, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, &r->pb) ?:
	      nvg_bo_map(&r->dev, &r->pb) ?: nvg_bo_bind(&r->dev, &r->pb, 0, 0);
	if (ret)
		return client_fail(r, "pushbuffer object: %s", strerror(-ret));
	ret = nvg_ctx_create(&r->dev, DRM_NVGHOST_ENGINE_COMPUTE, r->c->prio, &r->ctx);
	if (ret)
		return client_fail(r, "CTX_CREATE (compute, prio %s): %s",
				   prio_name(r->c->prio), strerror(-ret));
	/*
	 * The jobs, built once, one per in-flight slot, of cost x clock (a
	 * game with jitter rebuilds each frame's).
	 */
	for (i = 0; i < MAX_INFLIGHT && !ret; i++)
		ret = build_job(r, (uint32_t)i,
				(uint64_t)llround(r->c->cost_ms * (double)busy_cycles_per_ms));
	if (ret)
		return client_fail(r, "building the pushbuffers: %s", strerror(-ret));
	if (r->c->kind == K_MEM && mem_setup(r))
		return -1;
	return ptimer_calibrate(r);
}

/* Slot @slot's semaphore: u32 payload, padding, u64 PTIMER timestamp. */
static volatile uint32_t *sem_slot(struct run *r, uint32_t slot)
{
	return (volatile uint32_t *)((char *)r->pb.map + SEM_BASE + slot * SEM_BYTES);
}

static int submit_one(struct run *r)
{
	uint32_t slot = r->seq % MAX_INFLIGHT;
	struct nvg_submit_args args = { .entries = &r->entry[slot], .nr_entries = 1,
					.in_fence_fd = -1, .want_out_fence = 1 };
	volatile uint32_t *sem = sem_slot(r, slot);
	uint64_t t;
	int ret, fd;

	/* The GPU writes 0 (and the time) when the job starts; the slot is free. */
	sem[0] = 1;
	t = now_ns();
	ret = nvg_submit(&r->dev, r->ctx, &args, &fd);
	if (ret)
		return client_fail(r, "SUBMIT: %s", strerror(-ret));
	if (!r->nin)
		r->waiting_since = t;
	r->fence[r->nin] = fd;
	r->submitted[r->nin] = t;
	r->job_seq[r->nin] = r->seq++;
	r->nin++;
	return 0;
}

/* Wait for the oldest job in flight (a channel completes in order). */
static int complete_one(struct run *r, uint64_t *lat_out)
{
	uint64_t t, lat, start;
	volatile uint32_t *sem;
	int64_t started;
	int ret;

	ret = nvg_fence_wait(r->fence[0], FENCE_TIMEOUT_MS);
	t = now_ns();
	if (ret == -ETIME)
		return client_fail(r, "a job did not complete within %d ms", FENCE_TIMEOUT_MS);
	if (ret)
		return client_fail(r, "a job failed: %s", strerror(-ret));
	lat = t - r->submitted[0];
	sem = sem_slot(r, r->job_seq[0] % MAX_INFLIGHT);
	if (sem[0] != 0)
		return client_fail(r, "job %u: its start timestamp was not written", r->job_seq[0]);
	started = (int64_t)((uint64_t)sem[2] | (uint64_t)sem[3] << 32) - r->ptimer_off;
	/* (calibration error can put it a little before the submit) */
	start = started > (int64_t)r->submitted[0] ? (uint64_t)started - r->submitted[0] : 0;
	if (r->ns == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024;
		struct sample *s = realloc(r->s, cap * sizeof(*s));

		if (!s)
			return client_fail(r, "out of memory");
		r->s = s;
		r->cap = cap;
	}
	r->s[r->ns].submit_ns = r->submitted[0] - r->t0;
	r->s[r->ns].lat_ns = lat;
	r->s[r->ns].start_ns = start;
	r->ns++;
	r->res->jobs++;
	if (t <= r->end)
		r->res->jobs_in_window++;
	if (t - r->waiting_since > r->max_gap)
		r->max_gap = t - r->waiting_since;
	memmove(r->fence, r->fence + 1, (r->nin - 1) * sizeof(r->fence[0]));
	memmove(r->submitted, r->submitted + 1, (r->nin - 1) * sizeof(r->submitted[0]));
	memmove(r->job_seq, r->job_seq + 1, (r->nin - 1) * sizeof(r->job_seq[0]));
	r->nin--;
	r->waiting_since = t;	/* if more is queued, a new gap starts now */
	if (lat_out)
		*lat_out = lat;
	return 0;
}

static int run_interactive(struct run *r)
{
	uint64_t period = (uint64_t)llround(r->c->period_ms * 1e6), k = 0, lat, t, next;

	for (;;) {
		t = r->t0 + k * period;
		if (t >= r->end)
			return 0;
		sleep_until(t);
		if (submit_one(r) || complete_one(r, &lat))
			return -1;
		if (lat > period)
			r->res->missed++;
		/* The next frame starts at the next period boundary not yet past. */
		next = (now_ns() - r->t0 + period - 1) / period;
		k = next > k + 1 ? next : k + 1;
	}
}

static int run_backtoback(struct run *r)
{
	for (;;) {
		while (r->nin < r->c->inflight && now_ns() < r->end)
			if (submit_one(r))
				return -1;
		if (!r->nin)
			return 0;
		if (complete_one(r, NULL))
			return -1;
	}
}

/* Uniform in [0, 1), xorshift64*: the same jitter every run. */
static double rng_unit(struct run *r)
{
	uint64_t x = r->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->rng = x;
	return (double)((x * 0x2545f4914f6cdd1dULL) >> 11) / 9007199254740992.0;
}

/*
 * A game: render a frame (one job), wait for it, flip to it and wait for
 * the flip to latch; then at once the next frame. The display paces the
 * loop (vsync): a frame meets its deadline when its flip latches at the
 * refresh right after the previous frame's, so a frame that takes longer
 * than a refresh costs whole refreshes, never a torn or early frame.
 */
static int run_game(struct run *r)
{
	const struct client *c = r->c;
	uint64_t submitted, flip_ns, first_ns = 0, last_ns = 0, frames = 0, in_window = 0;
	unsigned int seq, prev_seq = 0;
	int ret;

	sleep_until(r->t0);
	while (now_ns() < r->end) {
		if (c->jitter_ms > 0) {
			double cost = c->cost_ms + c->jitter_ms * (2 * rng_unit(r) - 1);
			uint64_t cycles = (uint64_t)llround(cost * (double)busy_cycles_per_ms);

			ret = build_job(r, r->seq % MAX_INFLIGHT, cycles ? cycles : 1);
			if (ret)
				return client_fail(r, "building frame %llu's job: %s",
						   (unsigned long long)frames, strerror(-ret));
		}
		if (submit_one(r))
			return -1;
		submitted = r->submitted[0];
		if (complete_one(r, NULL))
			return -1;
		ret = nvg_present_flip(&r->pres);
		if (ret)
			return client_fail(r, "head %u: page flip: %s", c->head, strerror(-ret));
		ret = nvg_present_wait(&r->pres, FLIP_TIMEOUT_MS, &seq, &flip_ns);
		if (ret == -ETIME)
			return client_fail(r, "head %u: no flip event within %d ms", c->head,
					   FLIP_TIMEOUT_MS);
		if (ret)
			return client_fail(r, "head %u: waiting for the flip: %s", c->head,
					   strerror(-ret));
		r->s[r->ns - 1].present_ns = flip_ns > submitted ? flip_ns - submitted : 0;
		if (frames) {
			/* Each refresh it latched past the next one, it was late. */
			uint32_t d = seq - prev_seq;

			if (d > 1) {
				r->res->missed++;
				r->res->late_refreshes += d - 1;
			}
		} else {
			first_ns = flip_ns;
		}
		prev_seq = seq;
		last_ns = flip_ns;
		frames++;
		if (flip_ns <= r->end)
			in_window++;
	}
	/* A frame counts once presented (complete_one() counted jobs). */
	r->res->jobs = frames;
	r->res->jobs_in_window = in_window;
	r->res->fps = frames > 1 && last_ns > first_ns ?
		      (double)(frames - 1) * 1e9 / (double)(last_ns - first_ns) : 0;
	return 0;
}

/* Sort @v (@n values) and set its median, 99th percentile and (if @max) maximum. */
static void percentiles(uint64_t *v, size_t n, uint64_t *p50, uint64_t *p99, uint64_t *max)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	*p50 = pct(v, n, 50);
	*p99 = pct(v, n, 99);
	if (max)
		*max = n ? v[n - 1] : 0;
}

static void client_stats(struct run *r)
{
	uint64_t *lat = malloc((r->ns ? r->ns : 1) * sizeof(*lat));
	size_t i;

	if (!lat) {
		client_fail(r, "out of memory");
		return;
	}
	for (i = 0; i < r->ns; i++)
		lat[i] = r->s[i].lat_ns / 1000;
	percentiles(lat, r->ns, &r->res->p50_us, &r->res->p99_us, &r->res->max_us);
	for (i = 0; i < r->ns; i++)
		lat[i] = r->s[i].start_ns / 1000;
	percentiles(lat, r->ns, &r->res->start_p50_us, &r->res->start_p99_us,
		    &r->res->start_max_us);
	r->res->max_gap_ms = (double)r->max_gap / 1e6;
	if (r->c->kind == K_GAME) {
		size_t n = 0;

		/* (a failed run's last job may not have been presented) */
		for (i = 0; i < r->ns; i++)
			if (r->s[i].present_ns)
				lat[n++] = r->s[i].present_ns / 1000;
		percentiles(lat, n, &r->res->present_p50_us, &r->res->present_p99_us, NULL);
	}
	free(lat);
}

static void client_csv(struct run *r)
{
	size_t i;

	for (i = 0; i < r->ns; i++) {
		fprintf(r->csv, "%.6f,%.3f,%.3f", (double)r->s[i].submit_ns / 1e9,
			(double)r->s[i].lat_ns / 1e6, (double)r->s[i].start_ns / 1e6);
		if (r->c->kind == K_GAME)
			fprintf(r->csv, ",%.3f", (double)r->s[i].present_ns / 1e6);
		fputc('\n', r->csv);
	}
	if (fclose(r->csv))
		client_fail(r, "writing %s-%s.csv: %s", csv_prefix, r->c->name,
			    strerror(errno));
	r->csv = NULL;
}

static int client_main(int idx, struct shared *sh, int ready_fd, int go_fd)
{
	struct run r = { .c = &clients[idx], .res = &sh->res[idx] };
	char ch;
	int ret, i;

	/* its name as the process name: nvgtop, ps and nvgtrace record show it */
	prctl(PR_SET_NAME, clients[idx].name, 0, 0, 0);
	ret = client_setup(&r);
	ch = ret ? 'e' : 'r';
	if (write(ready_fd, &ch, 1) != 1)
		return 1;
	close(ready_fd);
	/* The parent closes the go pipe when everyone is ready: read sees EOF. */
	while (read(go_fd, &ch, 1) < 0 && errno == EINTR)
		;
	close(go_fd);
	if (ret || sh->abort) {
		if (r.presenting)
			nvg_present_fini(&r.pres);
		return 1;
	}
	r.t0 = sh->t0_ns;
	r.end = r.t0 + (uint64_t)llround(duration_s * 1e9);
	if (r.c->kind == K_INTERACTIVE)
		ret = run_interactive(&r);
	else if (r.c->kind == K_GAME)
		ret = run_game(&r);
	else if (r.c->kind == K_MEM)
		ret = run_mem(&r);
	else
		ret = run_backtoback(&r);
	/* On failure, still drain what is in flight before the file closes. */
	while (ret && r.nin) {
		nvg_fence_wait(r.fence[0], FENCE_TIMEOUT_MS);
		memmove(r.fence, r.fence + 1, (r.nin - 1) * sizeof(r.fence[0]));
		r.nin--;
	}
	client_stats(&r);
	if (r.csv)
		client_csv(&r);
	if (r.presenting)
		nvg_present_fini(&r.pres);
	nvg_ctx_destroy(&r.dev, r.ctx);
	nvg_bo_destroy(&r.dev, &r.pb);
	if (r.mpb.handle)
		nvg_bo_destroy(&r.dev, &r.mpb);
	for (i = 0; i < 2; i++)
		if (r.mbuf[i].handle)
			nvg_bo_destroy(&r.dev, &r.mbuf[i]);
	nvg_close(&r.dev);
	free(r.s);
	r.res->finished = 1;
	return r.res->failed;
}

/* ---- the parent ---- */

static void print_result(const struct client *c, const struct result *res)
{
	char missed[48];

	if (c->kind == K_INTERACTIVE)
		snprintf(missed, sizeof(missed), "%llu/%llu",
			 (unsigned long long)res->missed, (unsigned long long)res->jobs);
	else if (c->kind == K_GAME)	/* the first frame has no deadline */
		snprintf(missed, sizeof(missed), "%llu/%llu",
			 (unsigned long long)res->missed,
			 (unsigned long long)(res->jobs ? res->jobs - 1 : 0));
	else
		snprintf(missed, sizeof(missed), "-");
	printf("nvgbench: client=%s kind=%s jobs=%llu throughput=%.1f/s",
	       c->name, kinds[c->kind].name, (unsigned long long)res->jobs,
	       (double)res->jobs_in_window / duration_s);
	printf(" lat_us p50=%llu p99=%llu max=%llu", (unsigned long long)res->p50_us,
	       (unsigned long long)res->p99_us, (unsigned long long)res->max_us);
	printf(" start_us p50=%llu p99=%llu max=%llu", (unsigned long long)res->start_p50_us,
	       (unsigned long long)res->start_p99_us, (unsigned long long)res->start_max_us);
	printf(" missed=%s starved_max_gap_ms=%.1f", missed, res->max_gap_ms);
	if (c->kind == K_GAME)
		printf(" mode=%ux%u@%u fps=%.1f late_refreshes=%llu present_us p50=%llu p99=%llu",
		       res->mode_w, res->mode_h, res->mode_hz, res->fps,
		       (unsigned long long)res->late_refreshes,
		       (unsigned long long)res->present_p50_us,
		       (unsigned long long)res->present_p99_us);
	if (c->kind == K_MEM)
		printf(" pattern=%s ws_mib=%u passes=%llu faults=%llu in_kib=%llu out_kib=%llu evicted_kib=%llu thrashing=%llu",
		       nvg_mp_names[c->pattern], c->ws_mib, (unsigned long long)res->passes,
		       (unsigned long long)res->faults, (unsigned long long)res->in_kib,
		       (unsigned long long)res->out_kib, (unsigned long long)res->evicted_kib,
		       (unsigned long long)res->thrashing);
	putchar('\n');
}

/* ws=PCT% of mem clients: a share of the managed-memory budget, in MiB. */
static void resolve_ws(void)
{
	const char *param = "/sys/module/nvghost/parameters/uvm_vram_mb";
	unsigned int budget = 0;
	FILE *f = NULL;
	int i;

	for (i = 0; i < nr_clients; i++) {
		struct client *c = &clients[i];

		if (c->kind != K_MEM || !c->ws_pct)
			continue;
		if (!f) {
			f = fopen(param, "r");
			if (!f || fscanf(f, "%u", &budget) != 1)
				die(2, "client '%s': ws=%u%% needs %s: %s", c->name, c->ws_pct,
				    param, f ? "unreadable" : strerror(errno));
		}
		if (!budget)
			die(2, "client '%s': ws=%u%%: uvm_vram_mb is 0 (no managed-memory budget: all of VRAM); give ws in MiB, or load nvghost with uvm_vram_mb=N",
			    c->name, c->ws_pct);
		c->ws_mib = (unsigned int)(((uint64_t)budget * c->ws_pct + 50) / 100);
		if (!c->ws_mib)
			c->ws_mib = 1;
	}
	if (f)
		fclose(f);
}

static void probe_device(void)
{
	const struct nvg_chip *chip;
	struct nvg_device dev;
	uint64_t boot0;
	bool game = false;
	int i, ret;

	ret = nvg_open(&dev, device);
	if (ret)
		die(2, "cannot open %s: %s%s", device ?: "an nvghost render node", strerror(-ret),
		    ret == -ENODEV ? " (is the nvghost module loaded?)" : "");
	ret = nvg_get_param(&dev, DRM_NVGHOST_PARAM_CHIP_ID, 0, &boot0);
	if (ret)
		die(2, "GET_PARAM CHIP_ID: %s", strerror(-ret));
	/*
	 * A game needs KMS, which only the primary node has: the card node of
	 * the same device (from sysfs; render ioctls work there too).
	 */
	for (i = 0; i < nr_clients; i++)
		game |= clients[i].kind == K_GAME;
	if (game) {
		card_path = drmGetPrimaryDeviceNameFromFd(dev.fd);
		if (!card_path)
			die(2, "no primary (card) node for %s: a game client needs the display",
			    device ?: "the nvghost render node");
	}
	nvg_close(&dev);
	chip = nvg_chip_by_boot0((uint32_t)boot0);
	if (!chip)
		die(2, "unknown chip: PMC_BOOT_0 0x%08llx is not in the chip table",
		    (unsigned long long)boot0);
	chip_name = chip->name;
	gpc_mhz = chip->gpc_mhz;
	resolve_ws();
	busy_cycles_per_ms = (uint64_t)gpc_mhz * 1000;
}

int main(int argc, char **argv)
{
	int ready[2], go[2], i, opt, status, rc = 0;
	pid_t pids[MAX_CLIENTS];
	struct shared *sh;
	char *end;
	char ch;

	while ((opt = getopt(argc, argv, "d:t:o:h")) != -1) {
		switch (opt) {
		case 'd':
			device = optarg;
			break;
		case 't':
			errno = 0;
			duration_s = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(duration_s > 0) ||
			    duration_s > 3600)
				die(2, "-t: '%s' is not a duration in seconds (0 < t <= 3600)",
				    optarg);
			break;
		case 'o':
			if (!*optarg)
				die(2, "-o: empty prefix");
			csv_prefix = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s -h'.\n", prog);
			return 2;
		}
	}
	if (optind == argc)
		die(2, "no clients given; e.g. '%s -t 5 interactive:game hog:bg' (see -h)", prog);
	if (argc - optind > MAX_CLIENTS)
		die(2, "at most %d clients", MAX_CLIENTS);
	for (i = optind; i < argc; i++) {
		parse_client(argv[i], &clients[nr_clients]);
		/* Setting a mode takes DRM master: one process per device has it. */
		if (clients[nr_clients].kind == K_GAME)
			for (opt = 0; opt < nr_clients; opt++)
				if (clients[opt].kind == K_GAME)
					die(2, "client '%s': at most one game client (it must be DRM master)",
					    argv[i]);
		nr_clients++;
	}
	name_clients();
	probe_device();

	printf("nvgbench: chip=%s gpc_mhz=%u engine=0 duration_s=%.1f clients=%d\n",
	       chip_name, gpc_mhz, duration_s, nr_clients);
	for (i = 0; i < nr_clients; i++) {
		struct client *c = &clients[i];

		printf("nvgbench: setup client=%s kind=%s cost_ms=%g", c->name,
		       kinds[c->kind].name, c->cost_ms);
		if (c->kind == K_INTERACTIVE) {
			printf(" period_ms=%g", c->period_ms);
		} else if (c->kind == K_MEM) {
			printf(" pattern=%s ws_mib=%u", nvg_mp_names[c->pattern], c->ws_mib);
			if (c->passes)
				printf(" passes=%u", c->passes);
			else
				printf(" passes=until-end");
		} else if (c->kind == K_GAME) {
			printf(" jitter_ms=%g head=%u", c->jitter_ms, c->head);
			if (c->hz)
				printf(" hz=%u", c->hz);
			else
				printf(" hz=preferred");
		} else {
			printf(" in_flight=%d", c->inflight);
		}
		printf(" prio=%s cycles=%llu\n", prio_name(c->prio),
		       (unsigned long long)llround(c->cost_ms * (double)busy_cycles_per_ms));
	}
	fflush(stdout);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die(2, "mmap: %s", strerror(errno));
	memset(sh, 0, sizeof(*sh));
	if (pipe(ready) || pipe(go))
		die(2, "pipe: %s", strerror(errno));
	for (i = 0; i < nr_clients; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die(2, "fork: %s", strerror(errno));
		if (!pids[i]) {
			/*
			 * A client goes with nvgbench: killed (kill PID, a
			 * test's clean-up), it must not leave its clients
			 * submitting until their time is up.
			 */
			prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
			if (getppid() == 1)
				_exit(1);
			close(ready[0]);
			close(go[1]);
			_exit(client_main(i, sh, ready[1], go[0]));
		}
	}
	close(ready[1]);
	close(go[0]);
	/* Everyone set up (or failed to): start them together. */
	for (i = 0; i < nr_clients; i++) {
		if (read(ready[0], &ch, 1) != 1) {
			sh->abort = 1;
			break;
		}
		if (ch != 'r')
			sh->abort = 1;
	}
	sh->t0_ns = now_ns() + 1000000;	/* 1 ms from now: all are awake by then */
	close(go[1]);
	close(ready[0]);

	for (i = 0; i < nr_clients; i++) {
		if (waitpid(pids[i], &status, 0) < 0)
			die(2, "waitpid: %s", strerror(errno));
		if (WIFSIGNALED(status)) {
			fprintf(stderr, "%s: client=%s error: killed by signal %d\n", prog,
				clients[i].name, WTERMSIG(status));
			rc = 1;
		}
	}
	for (i = 0; i < nr_clients; i++) {
		struct result *res = &sh->res[i];

		if (res->failed) {
			printf("nvgbench: client=%s kind=%s error: %s\n", clients[i].name,
			       kinds[clients[i].kind].name, res->err);
			rc = 1;
		} else if (sh->abort) {
			printf("nvgbench: client=%s kind=%s error: %s\n", clients[i].name,
			       kinds[clients[i].kind].name,
			       "not run (another client failed to set up)");
			rc = 1;
		} else if (res->finished) {
			print_result(&clients[i], res);
		}
	}
	return rc;
}
