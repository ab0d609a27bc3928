// SPDX-License-Identifier: GPL-2.0
/*
 * nvgreplay - play an nvgtrace workload (traces/FORMAT.md) through the real
 * driver paths, once per policy, and compare the results side by side.
 *
 *   nvgreplay TRACE [--policy A] [--vs B] [--set k=v] [--csv DIR] [--log FILE]
 *
 * Every client of the trace is a process (comm = the client's name; clients
 * with the same pid share one) with its own DRM file and one channel per
 * engine it uses, at the client's priority. Its jobs are real pushbuffers:
 * a timestamped semaphore release (the GPU writes the PTIMER time at which
 * the job started on the engine) and a BUSY of the job's cycles, or copies
 * and fills of the job's bytes on the copy engine; a job's deps are DRM
 * syncobjs the scheduler waits on. A game opens the primary node, sets a
 * mode on its head (VRR on for sync "vrr"), and per frame may call
 * FRAME_WAIT (with NO_SLEEP: the player schedules the frame at the advice),
 * spends cpu_ns, submits the frame's jobs and page-flips once the last one
 * completes; the next frame starts when the flip has latched.
 *
 * A client process opens its DRM file and creates its contexts itself (the
 * kernel takes a file's client and a channel's pid and comm from the
 * process that opens or creates it), sets its game's mode, then hands the
 * file (SCM_RIGHTS) and what it made (GEM handles, GPU addresses, context
 * ids, syncobjs, the head's framebuffers: struct child, in memory shared
 * since before the fork) to the parent. The parent then submits, flips and
 * reads flip events itself, on the same DRM file: the same contexts, the
 * same attribution, the same DRM master, and no round trip to another
 * process per event. FRAME_WAIT too: the kernel hands the pacing policy
 * the pid of the file's opener, not the caller's. A client process
 * (one SOCK_SEQPACKET socket each, a synchronous request and reply) is
 * asked only for its set-up and to quit; the order of every ioctl is
 * the parent's. The parent is a
 * discrete-event loop over the trace's arrivals:
 *  - virtual clock (DRM_IOCTL_NVGHOST_CLOCK GET says mode VIRTUAL): ADVANCE
 *    with STOP_ON_SIGNAL up to the next arrival; at each return, the jobs
 *    whose fences are signalled completed at now_ns, flips likewise, and
 *    think-time arrivals are scheduled from there. Same trace, same
 *    policies, same module parameters: the same decisions.
 *  - live clock (or a driver without the CLOCK ioctl): poll() the fences
 *    and the game's DRM file until the next arrival on CLOCK_MONOTONIC.
 *    Completion times are the fences' timestamps and the flip events'.
 *
 * With --policy/--vs the trace is replayed once per policy (nvgpolicy load,
 * replay, nvgpolicy unload); without, once under the built-in default. On
 * virtual clocks each replay starts at a fresh device's temperature (CLOCK
 * THERMAL_RESET), so that --vs compares both from the same start. The
 * nvghost tracepoints of each replay are read from a tracefs instance of
 * our own; --log writes them as the decision log (wall-clock, CPU and pid
 * columns stripped, job, channel and context ids renumbered per replay,
 * device times kept) and its sha256 is printed per replay.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "nvg.h"
#include "nvg_cmd.h"
#include "nvg_present.h"
#include "nvghost_chip.h"
#include "nvgtrace.h"
#include "sha256.h"
#include "stats.h"

#define MAX_RUNS	2
#define MAX_SETS	32
#define NSLOT		512		/* pushbuffer slots per process */
#define SLOT_BYTES	2048
#define TS_BYTES	16		/* one timestamped semaphore */
#define SCRATCH_MAX	(16ULL << 20)	/* copy buffers: larger copies loop */
#define SAMPLE_NS	10000000ULL	/* sensors every 10 ms of device time */
#define WAIT_TIMEOUT_NS	30000000000ULL	/* no progress for 30 s: give up */
#define TRACE_BUF_KB	"16384"
#define FLIP_RETRY_NS	1000000ULL	/* a flip refused with EBUSY: again 1 ms later */
#define FLIP_RETRIES	2000
#define FLIP_ARM_WAIT_MS 5000		/* virtual clock: a flip's commit work, in wall time */
#define SETUP_GRACE_MS	500		/* virtual clock: a mode set's programming, in wall time */
#define START_GAP_NS	50000000ULL	/* virtual clock: set-up to start, at least */
#define START_ALIGN_NS	100000000ULL	/* ... and the start on a multiple of this */

static const char *prog = "nvgreplay";
#include "util.h"

static const char usage[] =
"nvgreplay - replay an nvgtrace workload through nvghost, per policy\n"
"\n"
"Usage: nvgreplay TRACE [--policy A] [--vs B] [--set NAME=VALUE]...\n"
"                 [--csv DIR] [--log FILE] [--summary FILE] [-d DEVICE] [-q]\n"
"       nvgreplay --tenant T1[:PRIO[:GROUP]] --tenant T2... [--policy A] ...\n"
"\n"
"  TRACE            an nvgtrace v1 file (.jsonl or .jsonl.gz; traces/FORMAT.md)\n"
"  --policy A       replay under policy A (a name, as nvgpolicy load takes,\n"
"                   or a path to a .bpf.o); default: the built-in default\n"
"  --vs B           replay again under B and compare (B may be 'default')\n"
"  --set NAME=VALUE a tunable for nvgpolicy load --set: after --policy or\n"
"                   --vs it applies to that policy, before them to both\n"
"  --csv DIR        write DIR/jobs.csv, DIR/flips.csv, DIR/samples.csv\n"
"  --log FILE       write the decision log (the driver's tracepoints,\n"
"                   wall-clock columns stripped, ids renumbered per replay)\n"
"  --summary FILE   write the table's numbers as key=value lines, one per\n"
"                   run, client, head and GPU, for scripts ('-': stdout)\n"
"  --tenant T[:PRIO[:GROUP]]  replay trace T as a tenant beside the other\n"
"                   --tenant traces (its clients at priority PRIO if given:\n"
"                   low, normal, high; GROUP a name for the report); each\n"
"                   is also replayed alone, and per tenant the slowdown\n"
"                   (progress alone / progress shared), fairness (max/min\n"
"                   slowdown) and system throughput (sum of 1/slowdown)\n"
"                   are reported\n"
"  -d DEVICE        the render node (default: the first nvghost one)\n"
"  -q               no progress lines on stderr\n"
"  -h, --help       this help\n"
"\n"
"Exit status: 0 every replay finished and every job completed, 1 a replay\n"
"failed, 2 bad usage or a bad trace.\n";

/* ---- small helpers ---- */

static int read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}


/* ---- configuration ---- */

struct run_spec {
	const char *policy;	/* NULL: the built-in default */
	const char *sets[MAX_SETS];
	int nsets;
	char label[48];
};

static const char *trace_path, *csv_dir, *log_path, *summary_path, *device;
static bool quiet;
static struct run_spec runs[MAX_RUNS];
static int nruns = 1;
static struct nvgt_trace trace;

/* the device */
static char *render_path, *card_path;
static const struct nvg_chip *chip;
static bool virtual_clock;
static int parent_fd = -1;	/* the parent's render node (GPU slot 0) */

/*
 * The GPUs a trace's clients run on (a client's "gpu": the module's GPU
 * index). Slot 0 is the device probed first (-d, or the first nvghost
 * render node); each has its own device clock, which the replay keeps in
 * step (a GPU's clock never runs past the next due time of any client).
 */
#define MAX_GPUS	NVGT_MAX_GPUS
struct pgpu {
	int index;		/* the module's GPU index (nvghost.N) */
	int fd;			/* the parent's render node of it */
	char *render, *card;
	uint64_t now;		/* virtual clock: its device time, as last seen */
	uint64_t ptimer_off;	/* live clock: PTIMER - CLOCK_MONOTONIC */
};
static struct pgpu gpus[MAX_GPUS];
static int ngpus = 1;
static char hwmon_dir[512], devfreq_dir[512];

/* ---- the shared record of every GPU job ---- */

/*
 * One GPU job: a job record, or one job of a frame. Times are on the
 * replay's clock (device time in virtual mode, CLOCK_MONOTONIC in live
 * mode), 0 where not (yet) known.
 */
struct gjob {
	int client;		/* index into trace.clients */
	size_t rec;		/* job index, or frame index */
	int sub;		/* frame job index, -1 for a job record */
	uint64_t arrival, submit, start, end;
	uint64_t start_ptimer;	/* written by the child at the end (shared) */
	int fence_fd;		/* parent's copy while in flight, else -1 */
	bool submitted, done, skipped, failed;
};

struct gframe {
	uint64_t start, submit, flip;	/* frame start, first submit, flip latched */
	unsigned int seq;
	bool presented;
};

/* Shared between the parent and the children (mmap'ed before fork). */
static struct gjob *gjobs;
static size_t ngjobs;
static size_t *client_base;	/* client i's first gjob */
static size_t **frame_base;	/* game i, frame f: its first gjob */

/* ---- the child processes ---- */

/*
 * What the parent asks of a client process: its set-up, and to quit.
 * Submits, flips and a game's FRAME_WAIT the parent does itself, on the
 * process's DRM file (the kernel takes the pid the policies see from the
 * file's opener).
 */
enum op { OP_SETUP = 1, OP_QUIT = 3 };

struct msg {
	uint32_t op;
	uint32_t client;
	uint64_t gjob;
};

struct reply {
	int32_t err;
	uint32_t seq;
	uint64_t v0, v1;
	char text[200];
};

struct child;

struct proc {
	pid_t pid;
	int sock;		/* the parent's end */
	int *clients;		/* indices into trace.clients */
	int nclients;
	bool game;		/* has a game: opens the primary node */
	int gpu;		/* slot in gpus[] */
	int drm_fd;		/* parent: the process's DRM file (its copy) */
	int inflight;		/* jobs in flight, bounded by NSLOT */
	struct child *ch;	/* the child's state (shared memory): its set-up */
	struct child *pc;	/* the parent's copy, on drm_fd (NULL before set-up) */
};

static struct proc *procs;
static int nprocs;
static int *client_proc;	/* client -> proc */

/*
 * A client process's state: what its set-up made. The child fills it in
 * shared memory (struct proc's ch, with its cc and syncobj arrays), the
 * parent takes a copy on its own descriptor of the same DRM file (pc).
 */
struct child_client {
	uint32_t ctx[2];	/* per engine, 0 if unused */
	bool has_ctx[2];
	struct nvg_present pres;
	bool presenting;
	uint32_t *syncobj;	/* per job (dep targets), 0 if none */
	uint32_t frame_syncobj;	/* a frame's previous job, for a cross-engine chain */
	int frame_prev_engine;
	struct nvg_bo mbuf[NVGT_MAX_BUFS];	/* its managed buffers ("managed") */
};

struct child {
	struct proc *p;
	struct nvg_device dev;
	struct nvg_bo pb, ts, vram_a, vram_b, sys;
	uint64_t scratch;
	uint32_t compute_cls, copy_cls;
	uint32_t slot;
	size_t ts_first;	/* the first gjob of this process (timestamps index) */
	struct child_client *cc;	/* indexed by position in p->clients */
	struct nvg_bo mpb, mres;	/* memory jobs: pushbuffer slots, checksum results */
	long long mem0[4];	/* its DRM file's managed-memory counters after set-up */
};

static int child_index(struct child *ch, int client)
{
	int i;

	for (i = 0; i < ch->p->nclients; i++)
		if (ch->p->clients[i] == client)
			return i;
	return -1;
}

static int reply_err(struct reply *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
	r->err = err ? err : -EIO;
	return r->err;
}

static const struct nvgt_work *gjob_work(const struct gjob *g)
{
	const struct nvgt_client *c = &trace.clients[g->client];

	return g->sub < 0 ? &c->jobs[g->rec].w : &c->frames[g->rec].jobs[g->sub];
}

/* The cycles of a compute job: cost_ns x clock (FORMAT.md). */
static uint64_t job_cycles(const struct nvgt_work *w)
{
	uint64_t mhz;

	if (w->has_cycles)
		return (uint64_t)w->cycles;
	mhz = w->clock_mhz ? (uint64_t)w->clock_mhz :
	      trace.clock_mhz ? (uint64_t)trace.clock_mhz : chip->gpc_mhz;
	/* cost_ns < 2^63, mhz <= 100000: no overflow in 128 bits */
	return (uint64_t)(((unsigned __int128)w->cost_ns * mhz) / 1000);
}

/* ---- managed memory (the trace's "managed" buffers and "mem" ranges) ---- */

#define MEM_SLOT_BYTES	4096	/* a memory job: up to 64 ranges of 32 bytes, and more */

static int emit(struct nvg_pb_builder *b, struct nvg_cmd cmd);
static void summary_word(FILE *f, const char *key, const char *v);

/*
 * Per run and client, its DRM file's managed-memory counters over the
 * replay (fdinfo nvghost-managed-*; shared with the children, which read
 * them). Clients that share a pid share a DRM file: the counters are the
 * process's, on its first client with managed buffers.
 */
struct mem_stat {
	bool have;
	long long faults, in_kib, out_kib, evicted_kib;
};

static struct mem_stat *mem_stats;	/* [MAX_RUNS][trace.nclients], or NULL */
static int mem_run = -1;		/* the run being replayed, -1: none recorded */
static long long mem_budget_was = -1;	/* uvm_vram_mb before the trace's, to restore */
static const char mem_param[] = "/sys/module/nvghost/parameters/uvm_vram_mb";

static const char *const mem_keys[4] = {
	"nvghost-managed-faults", "nvghost-managed-migrated-in",
	"nvghost-managed-migrated-out", "nvghost-managed-evicted",
};

static void mem_fdinfo(int fd, long long v[4])
{
	char path[64], line[256];
	size_t n;
	FILE *f;
	int k;

	for (k = 0; k < 4; k++)
		v[k] = 0;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		for (k = 0; k < 4; k++) {
			n = strlen(mem_keys[k]);
			if (!strncmp(line, mem_keys[k], n) && line[n] == ':')
				v[k] = strtoll(line + n + 1, NULL, 10);
		}
	fclose(f);
}

/*
 * A child's managed buffers, CPU-written (so that the GPU's first touch of
 * each page faults and migrates it, as a CUDA program's cudaMallocManaged
 * data initialised on the host), and the memory jobs' pushbuffer slots.
 */
static int mem_child_setup(struct child *ch, struct reply *r)
{
	bool any = false;
	int i, b, ret;

	for (i = 0; i < ch->p->nclients; i++) {
		const struct nvgt_client *c = &trace.clients[ch->p->clients[i]];

		for (b = 0; b < c->nbufs; b++) {
			struct nvg_bo *bo = &ch->cc[i].mbuf[b];

			ret = nvg_bo_create(&ch->dev, (uint64_t)c->bufs[b].bytes,
					    DRM_NVGHOST_PLACEMENT_MANAGED, bo) ?:
			      nvg_bo_map(&ch->dev, bo) ?: nvg_bo_bind(&ch->dev, bo, 0, 0);
			if (ret)
				return reply_err(r, ret, "client %s: managed buffer %d (%" PRId64 " bytes): %s",
						 c->name, c->bufs[b].id, c->bufs[b].bytes,
						 strerror(-ret));
			memset(bo->map, 0x5a, (size_t)bo->size);
			any = true;
		}
	}
	if (!any)
		return 0;
	ret = nvg_bo_create(&ch->dev, (uint64_t)NSLOT * MEM_SLOT_BYTES,
			    DRM_NVGHOST_PLACEMENT_SYSTEM, &ch->mpb) ?:
	      nvg_bo_map(&ch->dev, &ch->mpb) ?: nvg_bo_bind(&ch->dev, &ch->mpb, 0, 0) ?:
	      nvg_bo_create(&ch->dev, NVGT_MAX_RANGES * 4, DRM_NVGHOST_PLACEMENT_SYSTEM,
			    &ch->mres) ?:
	      nvg_bo_bind(&ch->dev, &ch->mres, 0, 0);
	if (ret)
		return reply_err(r, ret, "memory jobs' pushbuffer objects: %s", strerror(-ret));
	mem_fdinfo(ch->dev.fd, ch->mem0);
	return 0;
}

/*
 * A memory job's work after its start timestamp: its cost (a BUSY) if it
 * has one, then per range in order a CHECKSUM ("read": the GPU reads every
 * byte; results to a scratch object nobody reads) or a FILL of the job's
 * id ("write").
 */
static int mem_emit(struct child *ch, struct nvg_pb_builder *b, int idx,
		    const struct nvgt_job *j)
{
	size_t k;
	int ret = 0;

	if (j->w.has_cycles || j->w.cost_ns)
		ret = emit(b, nvg_cmd_busy(job_cycles(&j->w)));
	for (k = 0; k < j->nmem && !ret; k++) {
		const struct nvgt_range *m = &j->mem[k];
		uint64_t va = ch->cc[idx].mbuf[m->buf].va + (uint64_t)m->offset;

		ret = m->write ? emit(b, nvg_cmd_fill32(va, (uint64_t)m->bytes, (uint32_t)j->id)) :
		      emit(b, nvg_cmd_checksum(va, (uint64_t)m->bytes, ch->mres.va + k * 4));
	}
	return ret;
}

/* At the end of a run: the process's counters since set-up, for the parent. */
static void mem_child_report(struct child *ch)
{
	long long v[4];
	int i;

	if (!mem_stats || mem_run < 0 || !ch->mpb.handle)
		return;
	mem_fdinfo(ch->dev.fd, v);
	for (i = 0; i < ch->p->nclients; i++) {
		int ci = ch->p->clients[i];
		struct mem_stat *ms = &mem_stats[(size_t)mem_run * trace.nclients + ci];

		if (!trace.clients[ci].nbufs)
			continue;
		ms->have = true;
		ms->faults = v[0] - ch->mem0[0];
		ms->in_kib = v[1] - ch->mem0[1];
		ms->out_kib = v[2] - ch->mem0[2];
		ms->evicted_kib = v[3] - ch->mem0[3];
		break;
	}
}

static void mem_budget_restore(void)
{
	FILE *f;

	if (mem_budget_was < 0)
		return;
	f = fopen(mem_param, "w");
	if (f) {
		fprintf(f, "%lld\n", mem_budget_was);
		fclose(f);
	}
	mem_budget_was = -1;
}

/*
 * The trace's managed-memory needs: the budget its header asks for
 * (device.uvm_vram_mb) set for the replay and restored after it, and the
 * counters' shared table. Before the children are forked.
 */
static void mem_plan(void)
{
	long long was = -1;
	size_t ci;
	bool any = false;
	FILE *f;

	for (ci = 0; ci < trace.nclients; ci++)
		any |= trace.clients[ci].nbufs > 0;
	if (any) {
		mem_stats = mmap(NULL, MAX_RUNS * trace.nclients * sizeof(*mem_stats),
				 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (mem_stats == MAP_FAILED)
			die(1, "mmap: %s", strerror(errno));
	}
	if (trace.uvm_vram_mb < 0)
		return;
	f = fopen(mem_param, "r");
	if (!f || fscanf(f, "%lld", &was) != 1)
		die(1, "%s: the trace needs uvm_vram_mb=%" PRId64 " (its device.uvm_vram_mb), but %s: %s",
		    trace_path, trace.uvm_vram_mb, mem_param,
		    f ? "unreadable" : strerror(errno));
	fclose(f);
	if (was == trace.uvm_vram_mb)
		return;
	f = fopen(mem_param, "w");
	if (!f || fprintf(f, "%" PRId64 "\n", trace.uvm_vram_mb) < 0 || fclose(f))
		die(1, "%s: the trace needs uvm_vram_mb=%" PRId64 " (module nvghost loaded with %lld): writing %s: %s",
		    trace_path, trace.uvm_vram_mb, was, mem_param, strerror(errno));
	mem_budget_was = was;
	atexit(mem_budget_restore);
	if (!quiet)
		fprintf(stderr, "%s: uvm_vram_mb=%" PRId64 " for this trace (was %lld; restored at exit)\n",
			prog, trace.uvm_vram_mb, was);
}

/* The managed-memory counters of run @i's clients, one line each (summary format). */
static void mem_summary(FILE *f, int i)
{
	size_t ci;

	for (ci = 0; mem_stats && ci < trace.nclients; ci++) {
		const struct mem_stat *ms = &mem_stats[(size_t)i * trace.nclients + ci];

		if (!ms->have)
			continue;
		fprintf(f, "managed run=%d", i);
		summary_word(f, "label", runs[i].label);
		summary_word(f, "name", trace.clients[ci].name);
		fprintf(f, " faults=%lld in_kib=%lld out_kib=%lld evicted_kib=%lld\n",
			ms->faults, ms->in_kib, ms->out_kib, ms->evicted_kib);
	}
}

static int child_setup(struct child *ch, struct reply *r)
{
	struct proc *p = ch->p;
	uint64_t v, maxbytes = 0;
	const char *node = p->game ? gpus[p->gpu].card : gpus[p->gpu].render;
	size_t ts_n = 0;
	int i, ret;

	ret = nvg_open(&ch->dev, node);
	if (ret)
		return reply_err(r, ret, "open %s: %s", node,
				 strerror(-ret));
	ch->compute_cls = chip->compute_class;
	ch->copy_cls = chip->copy_class;
	if (!nvg_get_param(&ch->dev, DRM_NVGHOST_PARAM_ENGINE_CLASS, 0, &v))
		ch->compute_cls = (uint32_t)v;
	/* (ch->cc and each syncobj array: zeroed shared memory, spawn()) */
	ch->ts_first = client_base[p->clients[0]];
	for (i = 0; i < p->nclients; i++) {
		int ci = p->clients[i];
		const struct nvgt_client *c = &trace.clients[ci];
		size_t k, n = (ci + 1 < (int)trace.nclients ? client_base[ci + 1] : ngjobs) -
			      client_base[ci];

		ts_n += n;
		for (k = 0; k < n; k++) {
			const struct nvgt_work *w = gjob_work(&gjobs[client_base[ci] + k]);

			ch->cc[i].has_ctx[w->engine] = true;
			if (w->engine == NVGT_COPY && (uint64_t)w->bytes > maxbytes)
				maxbytes = (uint64_t)w->bytes;
		}
		if (c->head >= 0)
			ch->cc[i].has_ctx[NVGT_COMPUTE] = true;
		for (k = 0; k < c->njobs; k++) {
			size_t d;

			for (d = 0; d < c->jobs[k].ndeps; d++) {
				uint32_t *h = &ch->cc[i].syncobj[c->jobs[k].deps[d]];

				if (!*h && drmSyncobjCreate(ch->dev.fd, 0, h))
					return reply_err(r, -errno, "syncobj: %s", strerror(errno));
			}
		}
	}
	ret = nvg_bo_create(&ch->dev, (uint64_t)NSLOT * SLOT_BYTES, DRM_NVGHOST_PLACEMENT_SYSTEM,
			    &ch->pb) ?:
	      nvg_bo_map(&ch->dev, &ch->pb) ?: nvg_bo_bind(&ch->dev, &ch->pb, 0, 0) ?:
	      nvg_bo_create(&ch->dev, (ts_n ? ts_n : 1) * TS_BYTES, DRM_NVGHOST_PLACEMENT_SYSTEM,
			    &ch->ts) ?:
	      nvg_bo_map(&ch->dev, &ch->ts) ?: nvg_bo_bind(&ch->dev, &ch->ts, 0, 0);
	if (ret)
		return reply_err(r, ret, "pushbuffer objects: %s", strerror(-ret));
	if (maxbytes) {
		ch->scratch = maxbytes < SCRATCH_MAX ? (maxbytes + 4095) & ~4095ULL : SCRATCH_MAX;
		ret = nvg_bo_create(&ch->dev, ch->scratch, DRM_NVGHOST_PLACEMENT_VRAM, &ch->vram_a) ?:
		      nvg_bo_bind(&ch->dev, &ch->vram_a, 0, 0) ?:
		      nvg_bo_create(&ch->dev, ch->scratch, DRM_NVGHOST_PLACEMENT_VRAM, &ch->vram_b) ?:
		      nvg_bo_bind(&ch->dev, &ch->vram_b, 0, 0) ?:
		      nvg_bo_create(&ch->dev, ch->scratch, DRM_NVGHOST_PLACEMENT_SYSTEM, &ch->sys) ?:
		      nvg_bo_bind(&ch->dev, &ch->sys, 0, 0);
		if (ret)
			return reply_err(r, ret, "copy buffers (%" PRIu64 " bytes each): %s",
					 ch->scratch, strerror(-ret));
	}
	for (i = 0; i < p->nclients; i++) {
		const struct nvgt_client *c = &trace.clients[p->clients[i]];
		int e;

		for (e = 0; e < 2; e++) {
			if (!ch->cc[i].has_ctx[e])
				continue;
			ret = nvg_ctx_create(&ch->dev, e == NVGT_COPY ? DRM_NVGHOST_ENGINE_COPY :
					     DRM_NVGHOST_ENGINE_COMPUTE, (uint32_t)c->prio,
					     &ch->cc[i].ctx[e]);
			if (ret)
				return reply_err(r, ret, "client %s: CTX_CREATE (%s, prio %s): %s%s",
						 c->name, nvgt_engine_name(e), nvgt_prio_name(c->prio),
						 strerror(-ret), ret == -EACCES ?
						 " (high priority needs CAP_SYS_NICE)" : "");
		}
		if (c->head >= 0) {
			unsigned int hz = trace.heads[c->head].hz;

			ret = nvg_present_init_unfilled(&ch->cc[i].pres, ch->dev.fd,
							(unsigned int)c->head, hz);
			if (ret)
				return reply_err(r, ret, "client %s: head %d%s%.0u: %s%s", c->name,
						 c->head, hz ? " at Hz " : "", hz, strerror(-ret),
						 ret == -EACCES || ret == -EPERM ?
						 " (not DRM master: another process holds the display?)" :
						 ret == -ENOENT ? " (the monitor has no such mode)" : "");
			ch->cc[i].presenting = true;
			if (c->sync == NVGT_SYNC_VRR) {
				drmModeObjectPropertiesPtr props;
				uint32_t k, prop = 0;

				props = drmModeObjectGetProperties(ch->dev.fd, ch->cc[i].pres.crtc_id,
								   DRM_MODE_OBJECT_CRTC);
				for (k = 0; props && k < props->count_props; k++) {
					drmModePropertyPtr pr = drmModeGetProperty(ch->dev.fd,
										   props->props[k]);

					if (pr && !strcmp(pr->name, "VRR_ENABLED"))
						prop = pr->prop_id;
					drmModeFreeProperty(pr);
				}
				drmModeFreeObjectProperties(props);
				if (!prop)
					return reply_err(r, -EOPNOTSUPP, "client %s: head %d has no VRR_ENABLED property",
							 c->name, c->head);
				if (drmModeObjectSetProperty(ch->dev.fd, ch->cc[i].pres.crtc_id,
							     DRM_MODE_OBJECT_CRTC, prop, 1))
					return reply_err(r, -errno, "client %s: head %d: enabling VRR: %s",
							 c->name, c->head, strerror(errno));
			}
			r->v0 = ch->cc[i].pres.hz;
			r->v1 = (uint64_t)ch->cc[i].pres.mode.hdisplay << 32 |
				ch->cc[i].pres.mode.vdisplay;
		}
	}
	return mem_child_setup(ch, r);
}

/* Emit @cmd, or say which job did not fit its slot. */
static int emit(struct nvg_pb_builder *b, struct nvg_cmd cmd)
{
	return nvg_pb_emit(b, &cmd);
}

/*
 * Submit job @gi on its process's DRM file: the parent does it, on its copy
 * of the child's state (@ch: the parent's pc), in the contexts the child
 * created. Its sync_file in *@fd_out.
 */
static int proc_submit(struct child *ch, size_t gi, struct reply *r, int *fd_out)
{
	struct gjob *g = &gjobs[gi];
	const struct nvgt_client *c = &trace.clients[g->client];
	const struct nvgt_work *w = gjob_work(g);
	int idx = child_index(ch, g->client);
	struct child_client *cc = &ch->cc[idx];
	uint32_t slot = ch->slot++ % NSLOT;
	uint64_t off = (uint64_t)slot * SLOT_BYTES;
	uint64_t tsoff = (gi - ch->ts_first) * TS_BYTES;
	struct drm_nvghost_sync in[DRM_NVGHOST_MAX_SYNCS], out[2];
	uint32_t nin = 0, nout = 0, cls = w->engine == NVGT_COPY ? ch->copy_cls : ch->compute_cls;
	struct nvg_submit_args args = { .in_fence_fd = -1, .want_out_fence = 1 };
	const struct nvgt_job *mj = g->sub < 0 && c->jobs[g->rec].nmem ? &c->jobs[g->rec] : NULL;
	struct nvg_bo *pb = mj ? &ch->mpb : &ch->pb;	/* a memory job's slots are larger */
	struct nvg_pb_builder b;
	uint64_t entry;
	int ret;

	if (mj)
		off = (uint64_t)slot * MEM_SLOT_BYTES;
	ret = nvg_pb_builder_init(&b, cls, (uint32_t *)((char *)pb->map + off),
				  (mj ? MEM_SLOT_BYTES : SLOT_BYTES) / 4);
	if (ret)
		return reply_err(r, ret, "pushbuffer: %s", strerror(-ret));
	((volatile uint32_t *)((char *)ch->ts.map + tsoff))[0] = 1;
	ret = emit(&b, nvg_cmd_sem_release(ch->ts.va + tsoff, 0, NVG_CMD_SEM_32, true));
	if (mj) {
		ret = ret ?: mem_emit(ch, &b, idx, mj);
	} else if (w->engine == NVGT_COMPUTE) {
		ret = ret ?: emit(&b, nvg_cmd_busy(job_cycles(w)));
	} else {
		uint64_t left = (uint64_t)w->bytes;

		while (!ret && left) {
			uint64_t n = left < ch->scratch ? left : ch->scratch;

			switch (w->dir) {
			case NVGT_H2D:
				ret = emit(&b, nvg_cmd_copy(ch->sys.va, ch->vram_a.va, n));
				break;
			case NVGT_D2H:
				ret = emit(&b, nvg_cmd_copy(ch->vram_a.va, ch->sys.va, n));
				break;
			case NVGT_D2D:
				ret = emit(&b, nvg_cmd_copy(ch->vram_a.va, ch->vram_b.va, n));
				break;
			case NVGT_FILL:
				/* fill32 writes whole words: round the tail up */
				ret = emit(&b, nvg_cmd_fill32(ch->vram_a.va, (n + 3) & ~3ULL, 0));
				break;
			}
			left -= n;
		}
	}
	if (ret) {
		nvg_pb_builder_fini(&b);
		return reply_err(r, ret, "client %s: %s %zu: building its pushbuffer: %s%s",
				 c->name, g->sub < 0 ? "job" : "frame", g->rec,
				 strerror(-ret), ret == -ENOSPC ? " (too many copies for one slot)" : "");
	}
	entry = nvg_gpfifo_entry_encode(pb->va + off, (uint32_t)nvg_pb_builder_count(&b), 0);
	nvg_pb_builder_fini(&b);
	if (g->sub < 0) {
		const struct nvgt_job *j = &c->jobs[g->rec];
		size_t d;

		for (d = 0; d < j->ndeps && nin < DRM_NVGHOST_MAX_SYNCS; d++)
			in[nin++] = (struct drm_nvghost_sync){ .handle = cc->syncobj[j->deps[d]] };
		if (cc->syncobj[g->rec])
			out[nout++] = (struct drm_nvghost_sync){ .handle = cc->syncobj[g->rec] };
	} else {
		/* A frame's jobs run in order: across engines, a syncobj chains them. */
		if (g->sub > 0 && cc->frame_prev_engine != (int)w->engine && cc->frame_syncobj)
			in[nin++] = (struct drm_nvghost_sync){ .handle = cc->frame_syncobj };
		if (g->sub + 1 < (int)c->frames[g->rec].njobs) {
			if (!cc->frame_syncobj && drmSyncobjCreate(ch->dev.fd, 0, &cc->frame_syncobj))
				return reply_err(r, -errno, "syncobj: %s", strerror(errno));
			/* (re-signalled by each job: a binary syncobj's fence is replaced) */
			out[nout++] = (struct drm_nvghost_sync){ .handle = cc->frame_syncobj };
		}
		cc->frame_prev_engine = (int)w->engine;
	}
	args.entries = &entry;
	args.nr_entries = 1;
	args.in_syncs = nin ? in : NULL;
	args.nr_in_syncs = nin;
	args.out_syncs = nout ? out : NULL;
	args.nr_out_syncs = nout;
	r->v0 = mono_ns();
	ret = nvg_submit(&ch->dev, cc->ctx[w->engine], &args, fd_out);
	if (ret)
		return reply_err(r, ret, "client %s: SUBMIT: %s", c->name, strerror(-ret));
	return 0;
}

/* The jobs' start times, from the timestamps the GPU wrote (@ch: a parent's pc). */
static void proc_report(struct child *ch)
{
	int i;

	for (i = 0; i < ch->p->nclients; i++) {
		int ci = ch->p->clients[i];
		size_t k, end = ci + 1 < (int)trace.nclients ? client_base[ci + 1] : ngjobs;

		for (k = client_base[ci]; k < end; k++) {
			volatile uint32_t *s = (volatile uint32_t *)((char *)ch->ts.map +
								     (k - ch->ts_first) * TS_BYTES);

			gjobs[k].start_ptimer = gjobs[k].submitted && s[0] == 0 ?
						((uint64_t)s[2] | (uint64_t)s[3] << 32) : 0;
		}
	}
	mem_child_report(ch);
}

static int send_reply(int sock, const struct reply *r, int fd)
{
	struct iovec iov = { .iov_base = (void *)r, .iov_len = sizeof(*r) };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *cm;

		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)sizeof(*r) ? 0 : -1;
}

static int child_main(struct proc *p)
{
	struct child *ch = p->ch;
	struct msg m;
	int i;

	prctl(PR_SET_NAME, trace.clients[p->clients[0]].name, 0, 0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	ch->p = p;
	for (;;) {
		struct reply r = { 0 };
		ssize_t n = recv(p->sock, &m, sizeof(m), 0);
		int fd = -1;

		if (n == 0)
			break;
		if (n != (ssize_t)sizeof(m)) {
			if (n < 0 && errno == EINTR)
				continue;
			return 1;
		}
		switch (m.op) {
		case OP_SETUP:
			/* the DRM file goes to the parent, which submits on it */
			child_setup(ch, &r);
			if (!r.err)
				fd = ch->dev.fd;
			break;
		case OP_QUIT:
			/*
			 * The parent flipped on the heads, with its copy of
			 * their state: this one's pending is 0, and fini
			 * waits for no event (the parent's last flip has
			 * latched, or the replay failed and the event is
			 * dropped with the file).
			 */
			for (i = 0; i < p->nclients; i++) {
				if (ch->cc[i].presenting)
					nvg_present_fini(&ch->cc[i].pres);
			}
			send_reply(p->sock, &r, -1);
			nvg_close(&ch->dev);
			return 0;
		default:
			reply_err(&r, -EINVAL, "unknown request %u", m.op);
		}
		if (send_reply(p->sock, &r, fd))
			return 1;
	}
	return 0;
}

static int request_send(struct proc *p, uint32_t op, int client, size_t gjob, struct reply *r)
{
	struct msg m = { .op = op, .client = (uint32_t)client, .gjob = gjob };

	if (send(p->sock, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m)) {
		snprintf(r->text, sizeof(r->text), "client process %d is gone", (int)p->pid);
		return r->err = -EPIPE;
	}
	return 0;
}

static int request_recv(struct proc *p, struct reply *r, int *fd_out)
{
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = { .iov_base = r, .iov_len = sizeof(*r) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *cm;
	ssize_t n;

	if (fd_out)
		*fd_out = -1;
	do
		n = recvmsg(p->sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*r)) {
		snprintf(r->text, sizeof(r->text), "client process %d died", (int)p->pid);
		return r->err = -EPIPE;
	}
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
			if (fd_out)
				*fd_out = fd;
			else
				close(fd);
		}
	return r->err;
}

/*
 * Wall time the parent spent in requests to its client processes, and how
 * many: set-ups (the summary's ipc_wall_s and ipc_requests count from the
 * event loop's start: none there since FRAME_WAIT is the parent's own).
 */
static uint64_t ipc_ns, ipc_n;

/* The parent's side of one request. */
static int request(struct proc *p, uint32_t op, int client, size_t gjob, struct reply *r,
		   int *fd_out)
{
	uint64_t w0 = mono_ns();
	int ret;

	if (fd_out)
		*fd_out = -1;
	ret = request_send(p, op, client, gjob, r) ?: request_recv(p, r, fd_out);
	ipc_ns += mono_ns() - w0;
	ipc_n++;
	return ret;
}

/* ---- sensors ---- */

struct sample {
	uint64_t t;		/* since the replay's start */
	uint64_t freq_hz, power_uw, energy_uj, temp_mc;
};

static void find_sensors(void)
{
	char path[512], buf[128];
	const char *node = strrchr(render_path, '/') + 1;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/class/drm/%.100s/device/hwmon", node);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "hwmon", 5))
			continue;
		snprintf(hwmon_dir, sizeof(hwmon_dir), "%.300s/%.100s", path, e->d_name);
		break;
	}
	if (d)
		closedir(d);
	snprintf(path, sizeof(path), "/sys/class/drm/%.100s/device/devfreq", node);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(devfreq_dir, sizeof(devfreq_dir), "%.300s/%.100s", path, e->d_name);
		break;
	}
	if (d)
		closedir(d);
	if (!devfreq_dir[0]) {
		/* nvgtop's way: /sys/class/devfreq/nvghost.N */
		d = opendir("/sys/class/devfreq");
		while (d && (e = readdir(d))) {
			if (strncmp(e->d_name, "nvghost", 7))
				continue;
			snprintf(devfreq_dir, sizeof(devfreq_dir), "/sys/class/devfreq/%.100s", e->d_name);
			snprintf(path, sizeof(path), "%.300s/device/drm/%.100s", devfreq_dir, node);
			if (!access(path, F_OK))
				break;
		}
		if (d)
			closedir(d);
	}
	(void)buf;
}

/*
 * One sensor file, kept open: a sample every 10 ms of device time is a
 * pread() at offset 0 (sysfs regenerates the value), not a path walk.
 */
static bool read_sensor(int *fd, const char *dir, const char *name, uint64_t *v)
{
	char path[600], buf[64];
	ssize_t n;

	if (*fd < 0) {
		snprintf(path, sizeof(path), "%.500s/%s", dir, name);
		*fd = open(path, O_RDONLY | O_CLOEXEC);
		if (*fd < 0)
			return false;
	}
	n = pread(*fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	*v = strtoull(buf, NULL, 10);
	return true;
}

static void take_sample(struct sample *s, uint64_t t)
{
	static int fds[4] = { -1, -1, -1, -1 };

	memset(s, 0, sizeof(*s));
	s->t = t;
	if (devfreq_dir[0])
		read_sensor(&fds[0], devfreq_dir, "cur_freq", &s->freq_hz);
	if (hwmon_dir[0]) {
		read_sensor(&fds[1], hwmon_dir, "power1_input", &s->power_uw);
		read_sensor(&fds[2], hwmon_dir, "energy1_input", &s->energy_uj);
		read_sensor(&fds[3], hwmon_dir, "temp1_input", &s->temp_mc);
	}
}

/* ---- tracefs: the decision log ---- */

/*
 * Virtual clock: a page flip is a nonblocking commit whose work (arming the
 * flip on the head, at the device time it runs) the kernel does later, in
 * a worker the clock's settle does not wait for. The player waits for it
 * instead: a second tracefs instance with only nvghost_flip_queued, whose
 * trace_pipe it reads after each flip, before the clock moves again.
 */
static char flip_inst[300];
static int flip_pipe = -1;
/*
 * NVGREPLAY_NO_FLIP_WATCH=1: after a page flip, rely on the driver's
 * settle alone (a test of it: selftest 53-vtime-commits). The set-up of a
 * game still watches for its mode set.
 */
static bool flip_watch_flips = true;

static void flip_watch_start(const char *root)
{
	char path[400];

	if (flip_pipe >= 0)
		return;		/* opened for the set-up */
	flip_watch_flips = !getenv("NVGREPLAY_NO_FLIP_WATCH");
	snprintf(flip_inst, sizeof(flip_inst), "%s/instances/nvgreplay.%d.flips", root, (int)getpid());
	if (mkdir(flip_inst, 0700) && errno != EEXIST) {
		flip_inst[0] = '\0';
		return;
	}
	snprintf(path, sizeof(path), "%s/events/nvghost/nvghost_flip_queued/enable", flip_inst);
	if (write_file(path, "1")) {
		rmdir(flip_inst);
		flip_inst[0] = '\0';
		return;
	}
	/* poll() on trace_pipe says readable at the first event, not at half full */
	/* (only the event's name is looked for: no context columns to format) */
	snprintf(path, sizeof(path), "%s/options/context-info", flip_inst);
	write_file(path, "0");
	snprintf(path, sizeof(path), "%s/buffer_percent", flip_inst);
	write_file(path, "0");
	snprintf(path, sizeof(path), "%s/trace_pipe", flip_inst);
	flip_pipe = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

static void flip_watch_stop(void)
{
	char path[400];

	if (flip_pipe >= 0)
		close(flip_pipe);
	flip_pipe = -1;
	if (!flip_inst[0])
		return;
	snprintf(path, sizeof(path), "%s/events/nvghost/nvghost_flip_queued/enable", flip_inst);
	write_file(path, "0");
	rmdir(flip_inst);
	flip_inst[0] = '\0';
}

/*
 * Wait (wall time, at most @ms) until a flip has been armed: 1 if it was
 * already, 2 if it was armed meanwhile, 0 if not.
 */
static int flip_watch_wait(int ms)
{
	uint64_t end = mono_ns() + (uint64_t)ms * 1000000;
	char buf[4096];
	int tries = 0;

	if (flip_pipe < 0 || !flip_watch_flips)
		return 1;
	while (mono_ns() < end) {
		struct pollfd pf = { .fd = flip_pipe, .events = POLLIN };
		ssize_t n;

		/* (the first try reads at once: the event is usually there) */
		if (tries++)
			poll(&pf, 1, 1);
		n = read(flip_pipe, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			if (strstr(buf, "nvghost_flip_queued"))
				return tries > 1 ? 2 : 1;
		}
	}
	return 0;
}

/* Read what the flip watch has (a mode set's event), without waiting. */
static void flip_watch_drain(void)
{
	char buf[4096];

	while (flip_pipe >= 0 && read(flip_pipe, buf, sizeof(buf)) > 0)
		;
}

static char trace_inst[256];
static const char *const trace_roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

/* The tracefs root with instances we may make: 0 or 1, 2 if none. */
static size_t trace_root(void)
{
	char path[400];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/instances", trace_roots[i]);
		if (!access(path, W_OK))
			break;
	}
	return i;
}

/*
 * The events nvgtrace record reads carry pids and fence contexts, which
 * differ from run to run: they are not decisions, and stay out of the log.
 */
static void recording_events_off(const char *inst)
{
	static const char *const ev[] = { "nvghost_job_submit", "nvghost_job_signal",
					  "nvghost_frame_wait", "nvghost_present" };
	char path[400];
	size_t i;

	for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/nvghost/%s/enable", inst, ev[i]);
		write_file(path, "0");	/* (a module without them: nothing to do) */
	}
}

static void trace_start(void)
{
	const char *const *roots = trace_roots;
	char path[400];
	size_t i;

	trace_inst[0] = '\0';
	i = trace_root();
	if (i == 2) {
		if (!quiet)
			fprintf(stderr, "%s: no writable tracefs: no decision log\n", prog);
		return;
	}
	snprintf(trace_inst, sizeof(trace_inst), "%s/instances/nvgreplay.%d", roots[i],
		 (int)getpid());
	if (mkdir(trace_inst, 0700) && errno != EEXIST) {
		fprintf(stderr, "%s: mkdir %s: %s: no decision log\n", prog, trace_inst,
			strerror(errno));
		trace_inst[0] = '\0';
		return;
	}
	snprintf(path, sizeof(path), "%s/buffer_size_kb", trace_inst);
	write_file(path, TRACE_BUF_KB);
	/*
	 * The log keeps each line from the event's name on: the kernel need
	 * not format the task, CPU, flags and timestamp columns before it
	 * (a third of a line), which trace_stop() would strip anyway.
	 */
	snprintf(path, sizeof(path), "%s/options/context-info", trace_inst);
	write_file(path, "0");
	/*
	 * The log's order is the order the events happened in: "counter" is
	 * one atomic count over all CPUs, taken as each event is written.
	 * A clock's timestamps are not: under TCG on a loaded host the vCPUs'
	 * clocks drift apart, "global" then clamps the lagging CPU's to the
	 * last one given out, and the per-CPU buffers merge equal stamps by
	 * CPU number, so a drm_sched work's event on CPU 1 could come out
	 * after the next ioctl's on CPU 0 that it preceded (32-replay: the
	 * replay on 2 CPUs differed from those on 1 in line order only).
	 */
	snprintf(path, sizeof(path), "%s/trace_clock", trace_inst);
	write_file(path, "counter");
	snprintf(path, sizeof(path), "%s/trace", trace_inst);
	write_file(path, "");
	snprintf(path, sizeof(path), "%s/events/nvghost/enable", trace_inst);
	if (write_file(path, "1")) {
		fprintf(stderr, "%s: %s: cannot enable the nvghost tracepoints: no decision log\n",
			prog, path);
		snprintf(path, sizeof(path), "%s", trace_inst);
		rmdir(path);
		trace_inst[0] = '\0';
	}
	if (trace_inst[0])
		recording_events_off(trace_inst);
	if (virtual_clock)
		flip_watch_start(roots[i]);
}

/*
 * A renumbering of ids: first seen, first numbered. An open-addressing
 * table (id -> number), so that a long replay's 10^4 job ids cost no scan
 * of every id seen.
 */
struct idmap {
	uint64_t *key;
	uint64_t *val;		/* its number, from 1 (0: an empty slot) */
	size_t n, cap;		/* cap: a power of two, or 0 */
};

static size_t idmap_slot(const struct idmap *m, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & (m->cap - 1);

	while (m->val[i] && m->key[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static uint64_t idmap_get(struct idmap *m, uint64_t id)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		struct idmap g = { .n = m->n, .cap = m->cap ? m->cap * 2 : 256 };
		size_t k;

		g.key = calloc(g.cap, sizeof(*g.key));
		g.val = calloc(g.cap, sizeof(*g.val));
		if (!g.key || !g.val)
			die(1, "out of memory");
		for (k = 0; k < m->cap; k++)
			if (m->val[k]) {
				i = idmap_slot(&g, m->key[k]);
				g.key[i] = m->key[k];
				g.val[i] = m->val[k];
			}
		free(m->key);
		free(m->val);
		*m = g;
	}
	i = idmap_slot(m, id);
	if (!m->val[i]) {
		m->key[i] = id;
		m->val[i] = ++m->n;
	}
	return m->val[i];
}

/* The decision log as it is built: a growing buffer (no stdio per byte). */
struct obuf {
	char *b;
	size_t n, cap;
};

/* Room for @n more bytes and the NUL after them. */
static void obuf_reserve(struct obuf *o, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 1 << 20;

		while (o->n + n + 1 > cap)
			cap *= 2;
		o->b = realloc(o->b, cap);
		if (!o->b)
			die(1, "out of memory");
		o->cap = cap;
		o->b[o->n] = '\0';
	}
}

static void obuf_put(struct obuf *o, const char *p, size_t n)
{
	obuf_reserve(o, n);
	memcpy(o->b + o->n, p, n);
	o->n += n;
	o->b[o->n] = '\0';
}

/* All of @path (a tracefs file: no size to ask for first) into @o. */
static void read_whole(const char *path, struct obuf *o)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return;
	for (;;) {
		/* big reads: the buffer holds 10^4-10^5 events after a long replay */
		obuf_reserve(o, 1 << 20);
		r = read(fd, o->b + o->n, o->cap - o->n - 1);
		if (r <= 0)
			break;
		o->n += (size_t)r;
		o->b[o->n] = '\0';
	}
	close(fd);
}

/*
 * Read the instance's buffer into @out (a heap string of the stripped,
 * renumbered lines), remove the instance. Returns the number of events
 * and sets *lost if the buffer overran.
 */
static size_t trace_stop(char **out, size_t *outlen, bool *lost)
{
	struct idmap jobs = { 0 }, ctxs = { 0 }, chans = { 0 }, pids = { 0 };
	struct obuf ob = { 0 }, raw = { 0 };
	char path[400], *line, *next;
	size_t events = 0;
	int cpu;

	*out = NULL;
	*outlen = 0;
	*lost = false;
	flip_watch_stop();
	if (!trace_inst[0])
		return 0;
	snprintf(path, sizeof(path), "%s/events/nvghost/enable", trace_inst);
	write_file(path, "0");
	for (cpu = 0; cpu < 1024; cpu++) {
		char stats[1024], *o;

		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/stats", trace_inst, cpu);
		if (read_file(path, stats, sizeof(stats)))
			break;
		o = strstr(stats, "overrun: ");
		if (o && strtoull(o + 9, NULL, 10))
			*lost = true;
	}
	obuf_put(&ob, "", 0);	/* (no event: an empty log, with its hash) */
	snprintf(path, sizeof(path), "%s/trace", trace_inst);
	read_whole(path, &raw);
	for (next = raw.b; next && *next; ) {
		char *ev, *p, *q, *run, *end, num[24];
		uint64_t v;

		line = next;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#')
			continue;
		/* "nvghost_...", or after the context columns where they are on */
		if (!strncmp(line, "nvghost_", 8))
			ev = line;
		else if ((ev = strstr(line, ": nvghost_")))
			ev += 2;
		else
			continue;
		/*
		 * "job N", "ctx N", "channel N", "pid N" (the managed-memory
		 * events': a client process's pid differs from run to run; each
		 * after a space, or first): renumbered; everything else kept,
		 * copied a run at a time. A word at a time: a 60 s replay's log
		 * is 5 MB, and a look at every byte cost a tenth of its reading.
		 */
		for (p = run = ev; p; p = strchr(p, ' '), p = p ? p + 1 : NULL) {
			struct idmap *m = NULL;
			size_t kl = 0;

			if (p[0] == 'j' && !strncmp(p, "job ", 4)) {
				m = &jobs;
				kl = 4;
			} else if (p[0] == 'c' && !strncmp(p, "ctx ", 4)) {
				m = &ctxs;
				kl = 4;
			} else if (p[0] == 'c' && !strncmp(p, "channel ", 8)) {
				m = &chans;
				kl = 8;
			} else if (p[0] == 'p' && !strncmp(p, "pid ", 4)) {
				m = &pids;
				kl = 4;
			}
			if (!m || p[kl] < '0' || p[kl] > '9')
				continue;
			obuf_put(&ob, run, (size_t)(p - run) + kl);
			v = idmap_get(m, strtoull(p + kl, &end, 10));
			/* (not snprintf(): a thousand instructions, twice a line) */
			q = num + sizeof(num);
			do
				*--q = (char)('0' + v % 10);
			while (v /= 10);
			obuf_put(&ob, q, (size_t)(num + sizeof(num) - q));
			run = end;
			p = end - 1;	/* (the word after the number: after its space) */
		}
		obuf_put(&ob, run, strlen(run));
		obuf_put(&ob, "\n", 1);
		events++;
	}
	free(raw.b);
	free(jobs.key);
	free(jobs.val);
	free(ctxs.key);
	free(ctxs.val);
	free(chans.key);
	free(chans.val);
	free(pids.key);
	free(pids.val);
	if (rmdir(trace_inst) && !quiet)
		fprintf(stderr, "%s: rmdir %s: %s\n", prog, trace_inst, strerror(errno));
	*out = ob.b;
	*outlen = ob.n;
	return events;
}

/* ---- policies ---- */

/* The name nvgpolicy pins a policy under: fifo.bpf.o -> fifo. */
static void policy_pin_name(const char *arg, char *out, size_t len)
{
	const char *base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
	size_t n = strlen(base);

	if (n > 6 && !strcmp(base + n - 6, ".bpf.o"))
		n -= 6;
	else if (n > 2 && !strcmp(base + n - 2, ".o"))
		n -= 2;
	snprintf(out, len, "%.*s", (int)n, base);
}

static int run_nvgpolicy(char *const argv[])
{
	const char *exe = getenv("NVGPOLICY") ?: "nvgpolicy";
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (quiet) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0)
				dup2(fd, 1);
		} else {
			dup2(2, 1);	/* our stdout is the table */
		}
		execvp(exe, argv);
		fprintf(stderr, "%s: cannot run %s: %s\n", prog, exe, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int policy_load(const struct run_spec *rs)
{
	char *argv[4 + 2 * MAX_SETS];
	int i, n = 0;

	argv[n++] = (char *)"nvgpolicy";
	argv[n++] = (char *)"load";
	argv[n++] = (char *)rs->policy;
	for (i = 0; i < rs->nsets; i++) {
		argv[n++] = (char *)"--set";
		argv[n++] = (char *)rs->sets[i];
	}
	argv[n] = NULL;
	return run_nvgpolicy(argv);
}

static void policy_unload(const struct run_spec *rs)
{
	char name[256];
	char *argv[] = { (char *)"nvgpolicy", (char *)"unload", name, NULL };

	policy_pin_name(rs->policy, name, sizeof(name));
	run_nvgpolicy(argv);
}

static const char *const hooks[] = { "sched", "pacing", "power" };
/* Per hook, the policy the replay attached to it ("" if none). */
static char attached[3][128];

/* Which hooks the policy just loaded took (sysfs: state and policy). */
static void policy_attached(void)
{
	char path[256], v[128];
	size_t i;

	for (i = 0; i < 3; i++) {
		attached[i][0] = '\0';
		snprintf(path, sizeof(path), "/sys/kernel/nvghost/hooks/%s/state", hooks[i]);
		if (read_file(path, v, sizeof(v)) || strcmp(v, "attached"))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/nvghost/hooks/%s/policy", hooks[i]);
		if (!read_file(path, v, sizeof(v)))
			snprintf(attached[i], sizeof(attached[i]), "%s", v);
	}
}

/* Hooks whose policy was ejected during the replay: their exit records. */
static void policy_exits(const struct run_spec *rs, char *out, size_t len)
{
	char path[256], v[256];
	size_t i, off = 0;

	out[0] = '\0';
	if (!rs->policy)
		return;
	for (i = 0; i < 3; i++) {
		char kind[64] = "", op[64] = "", code[64] = "", reason[128] = "", msg[256] = "";

		if (!attached[i][0])
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/nvghost/hooks/%s/state", hooks[i]);
		if (read_file(path, v, sizeof(v)) || strcmp(v, "ejected"))
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/nvghost/hooks/%s/policy", hooks[i]);
		if (read_file(path, v, sizeof(v)) || strcmp(v, attached[i]))
			continue;
#define RD(f, b) do { snprintf(path, sizeof(path), "/sys/kernel/nvghost/hooks/%s/" f, hooks[i]); \
		      read_file(path, b, sizeof(b)); } while (0)
		RD("exit_kind", kind);
		RD("exit_op", op);
		RD("exit_code", code);
		RD("exit_reason", reason);
		RD("exit_msg", msg);
#undef RD
		if (off < len)
			off += (size_t)snprintf(out + off, len - off,
						"%shook %s (%s): kind %s, op %s, code %s: %s%s%s",
						off ? "; " : "", hooks[i], attached[i], kind,
						op[0] ? op : "-", code[0] ? code : "-", reason,
						msg[0] ? ": " : "", msg);
	}
}

/* ---- one replay ---- */

struct cstate {
	size_t next;		/* next record */
	bool finished;		/* no more records to play */
	uint64_t due;		/* when the next step is due (0: not scheduled) */
	int inflight;
	/* job clients */
	bool prev_pending;	/* the last submitted job is not complete */
	uint64_t prev_done;
	uint64_t freed_at;	/* the last completion (an inflight slot freed) */
	/* games */
	enum { G_START, G_CPU, G_JOBS, G_FLIP } gs;
	int jobs_left;
	int flip_busy;		/* consecutive EBUSY answers to the flip */
	uint64_t frame_start;
	/* starvation: work queued without a completion */
	uint64_t waiting_since, max_gap;
};

struct result {
	struct run_spec *rs;
	bool ok;
	char err[300];
	char ejected[1024];
	uint64_t t0, span;	/* replay start (clock), and its length */
	struct gjob *jobs;	/* copy of gjobs */
	struct gframe **frames;	/* per client (games) */
	uint64_t *max_gap;	/* per client */
	struct sample *samples;
	size_t nsamples;
	size_t events;		/* tracepoint events */
	bool log_lost;
	char *log;
	size_t loglen;
	char sha[65];
	double wall_s;
	uint64_t advances, advance_ns, events_played, settles;
	uint64_t ipc_ns, flipwait_ns;	/* wall time in requests, in waits for a flip's commit */
	uint64_t ipc_n;			/* requests to the client processes */
	uint64_t loop_ns, reap_ns, sample_ns;	/* in the event loop; its reaping, its samples */
	uint64_t pre_ns, log_ns;	/* before it (policy load, set-up); reading the log */
};

static struct result results[MAX_RUNS];
static struct cstate *cs;
static uint64_t t0;		/* the replay's start on its clock */
static uint64_t ptimer_off;	/* PTIMER - clock (live mode) */

static uint64_t gpu_clock(int slot)
{
	struct drm_nvghost_clock c = { .op = DRM_NVGHOST_CLOCK_GET };

	if (drmIoctl(gpus[slot].fd, DRM_IOCTL_NVGHOST_CLOCK, &c))
		die(1, "CLOCK GET (gpu%d): %s", gpus[slot].index, strerror(errno));
	gpus[slot].now = c.now_ns;
	return c.now_ns;
}

/* The replay's clock: on virtual clocks, the GPU furthest behind. */
static uint64_t clock_now(void)
{
	uint64_t m = UINT64_MAX;
	int i;

	if (!virtual_clock)
		return mono_ns();
	for (i = 0; i < ngpus; i++) {
		uint64_t t = gpu_clock(i);

		if (t < m)
			m = t;
	}
	return m;
}

/* A client's now: its GPU's device time (virtual clocks), else @now. */
static uint64_t client_now(size_t ci, uint64_t now)
{
	return virtual_clock && ngpus > 1 ? gpus[procs[client_proc[ci]].gpu].now : now;
}

/*
 * A sync_file's state: 0 not signalled, 1 signalled (its timestamp in *@t),
 * -1 signalled with an error (*@t 0). The ioctl failing counts as not
 * signalled: the wait for progress ends such a replay.
 */
static int fence_state(int fd, uint64_t *t)
{
	struct sync_fence_info fi = { 0 };
	struct sync_file_info info = { .num_fences = 1, .sync_fence_info = (uintptr_t)&fi };

	*t = 0;
	if (ioctl(fd, SYNC_IOC_FILE_INFO, &info) || !info.status)
		return 0;
	if (info.status < 0)
		return -1;
	*t = fi.timestamp_ns;
	return 1;
}

/* Tenants: each client's own trace's duration_ns (NULL: the trace's). */
static int64_t *client_dur;

static int64_t client_duration(size_t ci)
{
	return client_dur ? client_dur[ci] : trace.duration_ns;
}

static bool in_window(size_t ci, uint64_t due)
{
	int64_t d = client_duration(ci);

	return d < 0 || due - t0 < (uint64_t)d;
}

static int fail_run(struct result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->err, sizeof(res->err), fmt, ap);
	va_end(ap);
	res->ok = false;
	return -1;
}

static void mark_waiting(int ci, uint64_t now)
{
	if (!cs[ci].inflight)
		cs[ci].waiting_since = now;
}

/* settle() for several GPUs: each at its own device time. */
static int settle_gpus(struct result *res)
{
	int i;

	for (i = 0; i < ngpus; i++) {
		struct drm_nvghost_clock c = { .op = DRM_NVGHOST_CLOCK_ADVANCE,
					       .until_ns = gpus[i].now };
		uint64_t w0 = mono_ns();

		if (drmIoctl(gpus[i].fd, DRM_IOCTL_NVGHOST_CLOCK, &c))
			return fail_run(res, "CLOCK ADVANCE (settle) of gpu%d at %" PRIu64 ": %s",
					gpus[i].index, gpus[i].now, strerror(errno));
		res->advance_ns += mono_ns() - w0;
		res->settles++;
		if (c.now_ns != gpus[i].now)
			return fail_run(res, "CLOCK ADVANCE of gpu%d to now (%" PRIu64 ") moved it to %" PRIu64,
					gpus[i].index, gpus[i].now, c.now_ns);
	}
	return 0;
}

/*
 * Virtual clocks of several GPUs: advance each that is behind @until to it,
 * stopping at its first signal; the replay's now is then the GPU furthest
 * behind, and each client acts at its own GPU's time (client_now()). No
 * GPU passes @until, the next time any client is due.
 */
static int advance_gpus(struct result *res, uint64_t until, uint64_t *now)
{
	uint64_t m = UINT64_MAX;
	int i;

	for (i = 0; i < ngpus; i++) {
		struct drm_nvghost_clock c = { .op = DRM_NVGHOST_CLOCK_ADVANCE,
					       .flags = DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL,
					       .until_ns = until };
		uint64_t w0 = mono_ns();

		if (gpus[i].now < until) {
			if (drmIoctl(gpus[i].fd, DRM_IOCTL_NVGHOST_CLOCK, &c))
				return fail_run(res, "CLOCK ADVANCE of gpu%d to %" PRIu64 ": %s",
						gpus[i].index, until, strerror(errno));
			res->advance_ns += mono_ns() - w0;
			res->events_played += c.events;
			res->advances++;
			gpus[i].now = c.now_ns;
		}
		if (gpus[i].now < m)
			m = gpus[i].now;
	}
	*now = m;
	return 0;
}

/*
 * Virtual clock: let everything the last ioctl started (drm_sched's run_job
 * work, the arbiter and its policy, a flip's commit) finish before the next
 * one, without moving the clock (ADVANCE to now plays nothing and only
 * settles). Otherwise that work races with the next client's ioctl, and
 * which comes first is a scheduling decision the host's CPUs make.
 */
static int settle(struct result *res, uint64_t now)
{
	struct drm_nvghost_clock c = { .op = DRM_NVGHOST_CLOCK_ADVANCE, .until_ns = now };
	uint64_t w0;

	if (!virtual_clock)
		return 0;
	if (ngpus > 1)
		return settle_gpus(res);
	w0 = mono_ns();
	if (drmIoctl(parent_fd, DRM_IOCTL_NVGHOST_CLOCK, &c))
		return fail_run(res, "CLOCK ADVANCE (settle) at %" PRIu64 ": %s", now, strerror(errno));
	res->advance_ns += mono_ns() - w0;
	res->settles++;
	if (c.now_ns != now)
		return fail_run(res, "CLOCK ADVANCE to now (%" PRIu64 ") moved the clock to %" PRIu64,
				now, c.now_ns);
	gpus[0].now = now;
	return 0;
}

/*
 * A settle after a submit or a FRAME_WAIT is put off (one GPU): until the
 * player's next ioctl that starts work (a submit, FRAME_WAIT, a flip) or
 * reads the device (a sample), which settles first; if the next one is
 * ADVANCE, that settles first itself (nvg_clock_advance()) and counts the
 * signals only after, so the settle before it is dropped: the same work
 * finishes in the same order, with one ioctl fewer. Several GPUs settle
 * at once (settle_gpus()), since ADVANCE only goes to those behind.
 */
static bool settle_due;
static uint64_t settle_at;

static int settle_later(struct result *res, uint64_t now)
{
	if (!virtual_clock || ngpus > 1)
		return settle(res, now);
	settle_due = true;
	settle_at = now;
	return 0;
}

static int settle_pending(struct result *res)
{
	if (!settle_due)
		return 0;
	settle_due = false;
	return settle(res, settle_at);
}

/*
 * The jobs in flight (fence_fd >= 0), by index, ascending: reaping looks
 * at these only, in the fixed order of their indices, not at every job of
 * the trace after each event.
 */
static size_t *fl, nfl, fl_cap;

static void fl_add(size_t gi)
{
	size_t i;

	if (nfl == fl_cap) {
		fl_cap = fl_cap ? fl_cap * 2 : 64;
		fl = realloc(fl, fl_cap * sizeof(*fl));
		if (!fl)
			die(1, "out of memory");
	}
	for (i = nfl; i > 0 && fl[i - 1] > gi; i--)
		fl[i] = fl[i - 1];
	fl[i] = gi;
	nfl++;
}

static int submit_gjob(struct result *res, size_t gi, uint64_t now)
{
	struct gjob *g = &gjobs[gi];
	struct proc *p = &procs[client_proc[g->client]];
	struct reply r = { 0 };
	int fd = -1;

	if (settle_pending(res))
		return -1;
	if (proc_submit(p->pc, gi, &r, &fd))
		return fail_run(res, "%s", r.text);
	if (fd < 0)
		return fail_run(res, "client %s: no fence came back", trace.clients[g->client].name);
	mark_waiting(g->client, now);
	g->fence_fd = fd;
	fl_add(gi);
	g->submitted = true;
	g->submit = virtual_clock ? now : r.v0;
	p->inflight++;
	cs[g->client].inflight++;
	return settle_later(res, now);
}

/* Play every step due at @now_all; returns 1 if something happened, -1 on error. */
static int play_due(struct result *res, uint64_t now_all)
{
	size_t ci;
	int any = 0;

	for (ci = 0; ci < trace.nclients; ci++) {
		uint64_t now = client_now(ci, now_all);
		const struct nvgt_client *c = &trace.clients[ci];
		struct cstate *s = &cs[ci];
		struct proc *p = &procs[client_proc[ci]];

		if (c->head < 0) {
			while (!s->finished && s->next < c->njobs) {
				const struct nvgt_job *j = &c->jobs[s->next];
				struct gjob *g = &gjobs[client_base[ci] + s->next];
				uint64_t due;

				if (j->t_ns >= 0) {
					due = t0 + (uint64_t)j->t_ns;
				} else {
					if (s->prev_pending)
						break;
					due = s->prev_done + (uint64_t)j->after_prev_ns;
				}
				if (!in_window(ci, due)) {
					s->finished = true;
					break;
				}
				if (due > now) {
					s->due = due;
					break;
				}
				if ((c->inflight && s->inflight >= c->inflight) || p->inflight >= NSLOT - 1) {
					s->due = 0;	/* a completion wakes it */
					break;
				}
				/* held back by inflight until the end: never started
				 * (FORMAT.md: no job starts at or after duration_ns) */
				if (!in_window(ci, now)) {
					s->finished = true;
					break;
				}
				g->arrival = due;
				if (j->t_ns >= 0 && c->late == NVGT_LATE_SKIP && s->freed_at > due) {
					/* its slot freed after its time: dropped, as nvgbench */
					g->skipped = true;
					s->next++;
					any = 1;
					continue;
				}
				if (submit_gjob(res, client_base[ci] + s->next, now))
					return -1;
				s->prev_pending = true;
				s->next++;
				s->due = 0;
				any = 1;
			}
			if (s->next >= c->njobs)
				s->finished = true;
			continue;
		}
		/* a game */
		if (s->finished || s->due == 0 || s->due > now)
			continue;
		if (s->gs == G_START) {
			const struct nvgt_frame *f;

			if (s->next >= c->nframes || !in_window(ci, s->due)) {
				s->finished = true;
				s->due = 0;
				continue;
			}
			f = &c->frames[s->next];
			res->frames[ci][s->next].start = s->due;
			s->frame_start = s->due;
			s->due = now;
			if (f->wait) {
				/* on the game's file: the policy sees its opener's pid */
				struct drm_nvghost_frame_wait fw = {
					.crtc_id = p->pc->cc[child_index(p->pc, (int)ci)].pres.crtc_id,
					.flags = DRM_NVGHOST_FRAME_WAIT_NO_SLEEP };

				if (settle_pending(res))
					return -1;
				if (drmIoctl(p->drm_fd, DRM_IOCTL_NVGHOST_FRAME_WAIT, &fw))
					return fail_run(res, "client %s: FRAME_WAIT: %s", c->name,
							strerror(errno));
				if (settle_later(res, now))
					return -1;
				if (fw.advised_ns > s->due)
					s->due = fw.advised_ns;
			}
			s->due += (uint64_t)f->cpu_ns;
			s->gs = G_CPU;
			any = 1;
		}
		if (s->gs == G_CPU && s->due <= now) {
			const struct nvgt_frame *f = &c->frames[s->next];
			size_t k, base = frame_base[ci][s->next];

			for (k = 0; k < f->njobs; k++) {
				gjobs[base + k].arrival = s->due;
				if (submit_gjob(res, base + k, now))
					return -1;
			}
			res->frames[ci][s->next].submit = f->njobs ? gjobs[base].submit : now;
			s->jobs_left = (int)f->njobs;
			s->gs = G_JOBS;
			s->due = 0;
			any = 1;
		}
		if (s->gs == G_JOBS && s->jobs_left == 0) {
			struct reply r;
			uint64_t w0;
			int armed;

			if (settle_pending(res))
				return -1;
			memset(&r, 0, sizeof(r));
			r.err = nvg_present_flip(&p->pc->cc[child_index(p->pc, (int)ci)].pres);
			r.v0 = mono_ns();
			if (r.err) {
				snprintf(r.text, sizeof(r.text), "page flip: %s", strerror(-r.err));
				/*
				 * The head's previous commit (the mode set, or a
				 * flip) has not completed: retry a little later,
				 * on the replay's clock (the same in every run).
				 */
				if (r.err == -EBUSY && ++s->flip_busy <= FLIP_RETRIES) {
					s->due = now + FLIP_RETRY_NS;
					any = 1;
					continue;
				}
				return fail_run(res, "client %s: %s%s", c->name, r.text,
						r.err == -EBUSY ? " (for too long)" : "");
			}
			s->flip_busy = 0;
			/*
			 * A driver whose settle waits for nonblocking commits
			 * has armed the flip when settle() returns, and the
			 * watch finds its trace event at once; with an older
			 * one, the watch waits for the commit's worker.
			 */
			if (settle(res, now))
				return -1;
			w0 = mono_ns();
			armed = virtual_clock ? flip_watch_wait(FLIP_ARM_WAIT_MS) : 1;
			if (!armed)
				fprintf(stderr, "%s: client %s: the flip was not armed within %d ms of wall "
					"time: the replay may not be deterministic\n", prog, c->name,
					FLIP_ARM_WAIT_MS);
			res->flipwait_ns += mono_ns() - w0;
			/* armed after the settle: settle what arming it did */
			if (armed != 1 && settle(res, now))
				return -1;
			if (!res->frames[ci][s->next].submit)
				res->frames[ci][s->next].submit = virtual_clock ? now : r.v0;
			s->gs = G_FLIP;
			s->due = 0;
			any = 1;
		}
	}
	return any;
}

/* Jobs whose fences signalled, in a fixed order; returns how many. */
static int reap(struct result *res, uint64_t now)
{
	static struct pollfd *pf;
	static size_t pf_cap;
	bool polled = false;
	size_t k, kept = 0;
	int n = 0, ret;

	/*
	 * Several in flight: one poll() says which have signalled (at most
	 * stops none has), and only those are asked for their status and time,
	 * instead of one ioctl per job in flight at every stop.
	 */
	if (nfl > 1) {
		if (nfl > pf_cap) {
			pf_cap = nfl * 2;
			pf = realloc(pf, pf_cap * sizeof(*pf));
			if (!pf)
				die(1, "out of memory");
		}
		for (k = 0; k < nfl; k++)
			pf[k] = (struct pollfd){ .fd = gjobs[fl[k]].fence_fd, .events = POLLIN };
		ret = poll(pf, nfl, 0);
		if (!ret)
			return 0;
		polled = ret > 0;	/* (on an error, ask each) */
	}
	for (k = 0; k < nfl; k++) {
		struct gjob *g = &gjobs[fl[k]];
		struct cstate *s;
		uint64_t t;
		int st;

		if (g->fence_fd < 0)
			continue;
		if (polled && !pf[k].revents) {
			fl[kept++] = fl[k];
			continue;
		}
		/*
		 * One ioctl says whether it signalled, with which status and
		 * when (not a poll(), then the timestamp, then the status).
		 */
		st = fence_state(g->fence_fd, &t);
		if (!st) {
			fl[kept++] = fl[k];
			continue;
		}
		g->failed = st < 0;
		/* the fence's timestamp: device time in virtual mode (the CLOCK contract) */
		if (!t || t > client_now(g->client, now))
			t = client_now(g->client, now);
		close(g->fence_fd);
		g->fence_fd = -1;
		g->end = t;
		g->done = true;
		n++;
		s = &cs[g->client];
		s->inflight--;
		procs[client_proc[g->client]].inflight--;
		if (t - s->waiting_since > s->max_gap)
			s->max_gap = t - s->waiting_since;
		s->waiting_since = t;
		s->freed_at = t;
		if (g->sub < 0) {
			/* the client's last submitted job: think times count from it */
			const struct nvgt_client *c = &trace.clients[g->client];
			size_t last = s->next;

			while (last > 0 && gjobs[client_base[g->client] + last - 1].skipped)
				last--;
			if (last > 0 && g->rec == last - 1) {
				s->prev_pending = false;
				s->prev_done = t;
			}
			(void)c;
		} else if (--s->jobs_left == 0 && s->gs == G_JOBS) {
			s->due = client_now(g->client, now);	/* flip now */
		}
		if (g->failed)
			fprintf(stderr, "%s: client %s: a job failed (fence error)\n", prog,
				trace.clients[g->client].name);
		(void)res;
	}
	nfl = kept;
	return n;
}

/* Flip events of games (their DRM files readable). */
static int reap_flips(struct result *res, uint64_t now)
{
	size_t ci;
	int n = 0;

	for (ci = 0; ci < trace.nclients; ci++) {
		struct cstate *s = &cs[ci];
		struct proc *p = &procs[client_proc[ci]];
		struct nvg_present *pres;
		struct gframe *f;
		unsigned int seq = 0;
		uint64_t cn, t = 0;
		int ret;

		if (trace.clients[ci].head < 0 || s->gs != G_FLIP)
			continue;
		pres = &p->pc->cc[child_index(p->pc, (int)ci)].pres;
		if (pres->pending) {
			/* its event, if the DRM file has it (no wait) */
			ret = nvg_present_wait(pres, 0, &seq, &t);
			if (ret == -ETIME)
				continue;	/* not yet */
			if (ret)
				return fail_run(res, "client %s: flip event: %s",
						trace.clients[ci].name, strerror(-ret));
		} else {
			/* read already, with another head's event from this file */
			seq = pres->ev_seq;
			t = pres->ev_ns;
		}
		f = &res->frames[ci][s->next];
		cn = client_now(ci, now);
		f->flip = t && t <= cn ? t : cn;
		f->seq = seq;
		f->presented = true;
		s->next++;
		s->gs = G_START;
		s->due = virtual_clock ? cn : mono_ns();
		n++;
	}
	return n;
}

static bool all_done(void)
{
	size_t ci;

	for (ci = 0; ci < trace.nclients; ci++)
		if (!cs[ci].finished || (trace.clients[ci].head >= 0 && cs[ci].gs != G_START))
			return false;
	return nfl == 0;
}

static uint64_t next_due(void)
{
	uint64_t m = UINT64_MAX;
	size_t ci;

	for (ci = 0; ci < trace.nclients; ci++)
		if (!cs[ci].finished && cs[ci].due && cs[ci].due < m)
			m = cs[ci].due;
	return m;
}

static size_t in_flight(void)
{
	return nfl;
}

static int add_sample(struct result *res, uint64_t now)
{
	if (!(res->nsamples & (res->nsamples + 1))) {
		struct sample *ns = realloc(res->samples, (res->nsamples * 2 + 2) * sizeof(*ns));

		if (!ns)
			return fail_run(res, "out of memory");
		res->samples = ns;
	}
	take_sample(&res->samples[res->nsamples++], now - t0);
	return 0;
}

static int event_loop(struct result *res)
{
	uint64_t now = clock_now(), next_sample, last_progress, last_report;
	int ret;

	t0 = now;
	last_progress = now;
	last_report = mono_ns();
	next_sample = now;
	for (size_t ci = 0; ci < trace.nclients; ci++) {
		cs[ci].due = t0;
		cs[ci].waiting_since = t0;
		cs[ci].prev_done = t0;
	}
	for (;;) {
		uint64_t nd;

		if (now >= next_sample) {
			uint64_t w0 = mono_ns();

			if (settle_pending(res) || add_sample(res, now))
				return -1;
			next_sample = now + SAMPLE_NS;
			res->sample_ns += mono_ns() - w0;
		}
		do {
			ret = play_due(res, now);
			if (ret < 0)
				return -1;
		} while (ret > 0);
		if (all_done())
			break;
		/* (settles first: the one put off is not needed) */
		settle_due = false;
		nd = next_due();
		if (nd > next_sample)
			nd = next_sample;
		if (virtual_clock && ngpus > 1) {
			if (advance_gpus(res, nd, &now))
				return -1;
		} else if (virtual_clock) {
			struct drm_nvghost_clock c = { .op = DRM_NVGHOST_CLOCK_ADVANCE,
						       .flags = DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL,
						       .until_ns = nd };

			uint64_t w0 = mono_ns();

			if (drmIoctl(parent_fd, DRM_IOCTL_NVGHOST_CLOCK, &c))
				return fail_run(res, "CLOCK ADVANCE to %" PRIu64 ": %s", nd,
						strerror(errno));
			res->advance_ns += mono_ns() - w0;
			res->events_played += c.events;
			res->advances++;
			now = c.now_ns;
			gpus[0].now = now;
		} else {
			struct pollfd pf[1 + 8];
			uint64_t t = mono_ns();
			int np = 0, timeout;
			size_t gi;

			/* sleep until the next due time, a fence or a flip event */
			for (size_t ci = 0; ci < trace.nclients && np < 8; ci++)
				if (trace.clients[ci].head >= 0 && cs[ci].gs == G_FLIP)
					pf[np++] = (struct pollfd){ .fd = procs[client_proc[ci]].drm_fd,
								    .events = POLLIN };
			for (gi = 0; gi < ngjobs; gi++)
				if (gjobs[gi].fence_fd >= 0)
					break;
			if (gi < ngjobs)
				pf[np++] = (struct pollfd){ .fd = gjobs[gi].fence_fd, .events = POLLIN };
			timeout = nd <= t ? 0 : (nd - t) / 1000000 > 1000 ? 1000 :
				  (int)((nd - t + 999999) / 1000000);
			/* later fences than the oldest: at most a 1 ms tick */
			if (in_flight() > 1 && timeout > 1)
				timeout = 1;
			poll(pf, (nfds_t)np, timeout);
			now = mono_ns();
		}
		{
			uint64_t w0 = mono_ns();

			ret = reap(res, now);
			ret += reap_flips(res, now);
			res->reap_ns += mono_ns() - w0;
		}
		if (ret < 0 || !res->ok)
			return -1;
		if (ret)
			last_progress = now;
		if (now - last_progress > WAIT_TIMEOUT_NS && in_flight())
			return fail_run(res, "no job completed for %llu s with %zu in flight",
					WAIT_TIMEOUT_NS / 1000000000ULL, in_flight());
		if (!quiet && mono_ns() - last_report > 2000000000ULL) {
			last_report = mono_ns();
			fprintf(stderr, "%s: %s: %.1f s replayed%s\n", prog, res->rs->label,
				(double)(now - t0) / 1e9,
				trace.duration_ns > 0 ? "" : "");
		}
	}
	if (settle_pending(res) || add_sample(res, now))
		return -1;
	return 0;
}

static void ptimer_calibrate(void)
{
	uint64_t a, b, pt;
	int i, s;

	for (s = 0; s < ngpus; s++) {
		uint64_t best = UINT64_MAX;

		gpus[s].ptimer_off = 0;
		if (virtual_clock)
			continue;
		for (i = 0; i < 8; i++) {
			struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_PTIMER_NS };

			a = mono_ns();
			if (drmIoctl(gpus[s].fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp))
				die(1, "GET_PARAM PTIMER_NS: %s", strerror(errno));
			b = mono_ns();
			pt = gp.value;
			if (b - a < best) {
				best = b - a;
				gpus[s].ptimer_off = pt - (a + (b - a) / 2);
			}
		}
	}
	ptimer_off = gpus[0].ptimer_off;
}

/* The client processes' state (struct child, cc, syncobjs): shared memory. */
static void *child_arena;
static size_t child_arena_len;

static size_t client_njobs(int ci)
{
	return trace.clients[ci].njobs ? trace.clients[ci].njobs : 1;
}

#define ARENA_ALIGN(n)	(((n) + 15) & ~(size_t)15)

/*
 * Lay out each process's struct child in one zeroed shared mapping, made
 * before the fork: what the child's set-up writes there, the parent reads
 * once the set-up's reply has come (adopt()).
 */
static void child_arena_make(void)
{
	size_t len = 0, off = 0;
	char *a;
	int i, k;

	for (i = 0; i < nprocs; i++) {
		len += ARENA_ALIGN(sizeof(struct child)) +
		       ARENA_ALIGN((size_t)procs[i].nclients * sizeof(struct child_client));
		for (k = 0; k < procs[i].nclients; k++)
			len += ARENA_ALIGN(client_njobs(procs[i].clients[k]) * sizeof(uint32_t));
	}
	a = mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (a == MAP_FAILED)
		die(1, "mmap (client state, %zu bytes): %s", len, strerror(errno));
	child_arena = a;
	child_arena_len = len ? len : 1;
	for (i = 0; i < nprocs; i++) {
		struct child *ch = (struct child *)(a + off);

		off += ARENA_ALIGN(sizeof(struct child));
		ch->cc = (struct child_client *)(a + off);
		off += ARENA_ALIGN((size_t)procs[i].nclients * sizeof(struct child_client));
		for (k = 0; k < procs[i].nclients; k++) {
			ch->cc[k].syncobj = (uint32_t *)(a + off);
			off += ARENA_ALIGN(client_njobs(procs[i].clients[k]) * sizeof(uint32_t));
		}
		procs[i].ch = ch;
		procs[i].pc = NULL;
	}
}

/*
 * The parent's copy of a child's state once its set-up is done, on @fd (the
 * parent's descriptor of the child's DRM file): its own mappings of the
 * pushbuffer and timestamp objects, its own struct nvg_present per head
 * (flips and their events go through it from now on). The syncobj arrays
 * stay the shared ones: nothing writes them after the set-up.
 */
static int adopt(struct proc *p, int fd, char *err, size_t errlen)
{
	struct child *pc = malloc(sizeof(*pc));
	int i, ret;

	if (pc)
		*pc = *p->ch;
	if (pc)
		pc->cc = malloc((size_t)p->nclients * sizeof(*pc->cc));
	if (!pc || !pc->cc) {
		free(pc);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memcpy(pc->cc, p->ch->cc, (size_t)p->nclients * sizeof(*pc->cc));
	pc->p = p;
	pc->dev.fd = fd;
	for (i = 0; i < p->nclients; i++) {
		/* (the framebuffers' CPU mappings are the child's: the parent only flips) */
		pc->cc[i].pres.fd = fd;
		pc->cc[i].pres.buf[0].map = pc->cc[i].pres.buf[1].map = NULL;
	}
	pc->pb.map = pc->ts.map = pc->mpb.map = NULL;
	p->pc = pc;
	ret = nvg_bo_map(&pc->dev, &pc->pb) ?: nvg_bo_map(&pc->dev, &pc->ts);
	/* memory jobs' slots (the managed buffers' CPU mappings stay the child's) */
	if (!ret && pc->mpb.handle)
		ret = nvg_bo_map(&pc->dev, &pc->mpb);
	if (ret)
		snprintf(err, errlen, "mapping its pushbuffer objects: %s", strerror(-ret));
	return ret;
}

static void unadopt(struct proc *p)
{
	struct child *pc = p->pc;

	if (!pc)
		return;
	/* (a mapping holds the DRM file open: the next replay's game needs it closed) */
	if (pc->pb.map)
		munmap(pc->pb.map, pc->pb.size);
	if (pc->ts.map)
		munmap(pc->ts.map, pc->ts.size);
	if (pc->mpb.map)
		munmap(pc->mpb.map, pc->mpb.size);
	free(pc->cc);
	free(pc);
	p->pc = NULL;
}

static void spawn(void)
{
	int i;

	child_arena_make();
	for (i = 0; i < nprocs; i++) {
		int sv[2];
		pid_t pid;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
			die(1, "socketpair: %s", strerror(errno));
		fflush(NULL);
		pid = fork();
		if (pid < 0)
			die(1, "fork: %s", strerror(errno));
		if (!pid) {
			int k;

			close(sv[0]);
			for (k = 0; k < i; k++)
				close(procs[k].sock);
			for (k = 0; k < ngpus; k++)
				if (gpus[k].fd >= 0)
					close(gpus[k].fd);
			procs[i].sock = sv[1];
			_exit(child_main(&procs[i]));
		}
		close(sv[1]);
		procs[i].pid = pid;
		procs[i].sock = sv[0];
		procs[i].drm_fd = -1;
		procs[i].inflight = 0;
	}
}

static void reap_children(void)
{
	int i, status;

	for (i = 0; i < nprocs; i++) {
		struct reply r;

		if (procs[i].pid <= 0)
			continue;
		unadopt(&procs[i]);
		request(&procs[i], OP_QUIT, procs[i].clients[0], 0, &r, NULL);
		close(procs[i].sock);
		if (procs[i].drm_fd >= 0)
			close(procs[i].drm_fd);
		procs[i].drm_fd = -1;
		waitpid(procs[i].pid, &status, 0);
		procs[i].pid = 0;
	}
	if (child_arena)
		munmap(child_arena, child_arena_len);
	child_arena = NULL;
	for (i = 0; i < nprocs; i++)
		procs[i].ch = NULL;
}

/*
 * Wait (wall time, the clock frozen) until the child answers (1) or one of
 * its commits has queued its flip (0: the flip watch saw
 * nvghost_flip_queued); -1 after WAIT_TIMEOUT_NS.
 */
static int setup_wait(struct proc *p)
{
	struct pollfd pf[2] = { { .fd = p->sock, .events = POLLIN },
				{ .fd = flip_pipe, .events = POLLIN } };
	uint64_t wall_end = mono_ns() + WAIT_TIMEOUT_NS;
	char buf[4096];

	while (mono_ns() < wall_end) {
		ssize_t n;

		/* (trace_pipe may not poll readable: read anyway) */
		if (poll(pf, 2, 5) > 0 && pf[0].revents)
			return 1;
		n = read(flip_pipe, buf, sizeof(buf) - 1);
		if (n > 0) {
			buf[n] = '\0';
			if (strstr(buf, "nvghost_flip_queued")) {
				flip_watch_drain();
				return 0;
			}
		}
	}
	return -1;
}

/*
 * A game's set-up on a virtual clock: its mode set (and, for VRR, the
 * property change after it) is a blocking commit that returns once the new
 * state has scanned out a frame, at a vblank, which only an ADVANCE plays.
 * So, until the child answers: wait, with the clock frozen, until its
 * commit has been programmed (its flip queued: the flip watch), settle, and
 * advance to the signal that completes it. Where the clock stands then
 * depends on the device's events only, not on how long the child took.
 * Without tracefs (no flip watch): give the child SETUP_GRACE_MS of wall
 * time before each advance of up to a second, which a slow host may not
 * meet.
 */
static int setup_game_virtual(struct result *res, struct proc *p, struct reply *r, int *fd)
{
	struct pollfd pf = { .fd = p->sock, .events = POLLIN };
	uint64_t wall_end = mono_ns() + WAIT_TIMEOUT_NS;

	memset(r, 0, sizeof(*r));
	if (request_send(p, OP_SETUP, p->clients[0], 0, r))
		return -1;
	while (mono_ns() < wall_end) {
		struct drm_nvghost_clock c = { .op = DRM_NVGHOST_CLOCK_ADVANCE,
					       .flags = DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL };

		if (flip_pipe >= 0) {
			int w = setup_wait(p);

			if (w > 0)
				return request_recv(p, r, fd);
			if (w < 0)
				break;
			if (settle(res, gpu_clock(p->gpu)))
				return -1;
		} else if (poll(&pf, 1, SETUP_GRACE_MS) == 1) {
			return request_recv(p, r, fd);
		}
		/* to the vblank that completes the commit (it stops there), or a second on */
		c.until_ns = gpu_clock(p->gpu) + 1000000000ULL;
		if (drmIoctl(gpus[p->gpu].fd, DRM_IOCTL_NVGHOST_CLOCK, &c))
			return fail_run(res, "CLOCK ADVANCE during set-up: %s", strerror(errno));
	}
	return fail_run(res, "the set-up did not complete in %llu s of wall time",
			WAIT_TIMEOUT_NS / 1000000000ULL);
}

/*
 * Virtual clocks: each replay starts from a fresh device's thermal state
 * (CLOCK THERMAL_RESET: the die at the air's temperature), not from where
 * the last replay (or whatever ran before) left it, as it would on a
 * freshly loaded module; the GPU is idle between replays. A driver without
 * the op (-EINVAL) or a busy GPU (-EBUSY) is reported and the replay goes
 * on from the temperature it finds.
 */
static void thermal_reset(void)
{
	int s;

	for (s = 0; s < ngpus; s++) {
		struct drm_nvghost_clock c = { .op = DRM_NVGHOST_CLOCK_THERMAL_RESET };

		if (drmIoctl(gpus[s].fd, DRM_IOCTL_NVGHOST_CLOCK, &c))
			fprintf(stderr, "%s: gpu%d: CLOCK THERMAL_RESET: %s: this replay starts at the temperature the GPU has now\n",
				prog, gpus[s].index, strerror(errno));
	}
}

static void replay(struct result *res)
{
	uint64_t wall0 = mono_ns();
	size_t gi, ci;
	int i;

	res->ok = true;
	if (virtual_clock)
		thermal_reset();
	mem_run = res >= results && res < results + MAX_RUNS ? (int)(res - results) : -1;
	if (res->rs->policy) {
		int st = policy_load(res->rs);

		if (st) {
			fail_run(res, "nvgpolicy load %s failed (exit status %d)", res->rs->policy, st);
			return;
		}
		policy_attached();
	}
	for (gi = 0; gi < ngjobs; gi++) {
		struct gjob *g = &gjobs[gi];

		g->arrival = g->submit = g->start = g->end = g->start_ptimer = 0;
		g->fence_fd = -1;
		g->submitted = g->done = g->skipped = g->failed = false;
	}
	nfl = 0;
	memset(cs, 0, trace.nclients * sizeof(*cs));
	res->frames = calloc(trace.nclients, sizeof(*res->frames));
	res->max_gap = calloc(trace.nclients, sizeof(*res->max_gap));
	for (ci = 0; ci < trace.nclients; ci++)
		if (trace.clients[ci].head >= 0)
			res->frames[ci] = calloc(trace.clients[ci].nframes + 1, sizeof(struct gframe));
	spawn();
	/* a game's mode set is watched for (setup_game_virtual()) */
	if (virtual_clock && trace_root() < 2)
		flip_watch_start(trace_roots[trace_root()]);
	for (i = 0; i < nprocs; i++) {
		struct reply r;
		int fd;

		if (virtual_clock && procs[i].game) {
			if (setup_game_virtual(res, &procs[i], &r, &fd)) {
				if (!r.text[0])
					snprintf(r.text, sizeof(r.text), "%.190s", res->err);
				fail_run(res, "setting up %s: %s",
					 trace.clients[procs[i].clients[0]].name, r.text);
				goto out;
			}
		} else if (request(&procs[i], OP_SETUP, procs[i].clients[0], 0, &r, &fd)) {
			fail_run(res, "setting up %s: %s", trace.clients[procs[i].clients[0]].name, r.text);
			goto out;
		}
		procs[i].drm_fd = fd;
		if (fd < 0) {
			fail_run(res, "setting up %s: its DRM file did not come back",
				 trace.clients[procs[i].clients[0]].name);
			goto out;
		}
		if (adopt(&procs[i], fd, r.text, sizeof(r.text))) {
			fail_run(res, "setting up %s: %s", trace.clients[procs[i].clients[0]].name, r.text);
			goto out;
		}
	}
	ptimer_calibrate();
	/* the mode sets' commits done before the replay starts */
	if (settle(res, clock_now()))
		goto out;
	if (virtual_clock) {
		/*
		 * Start on a round device time at least START_GAP_NS after the
		 * set-up: the heads have refreshed since their mode sets (whose
		 * completion a first flip would otherwise find pending, or
		 * not), and the start does not depend on how long set-up took.
		 */
		uint64_t now = 0;
		int s;

		/* (several GPUs: all to the same start, after the latest one's set-up) */
		for (s = 0; s < ngpus; s++)
			if (gpu_clock(s) > now)
				now = gpus[s].now;
		for (s = 0; s < ngpus; s++) {
			struct drm_nvghost_clock c = {
				.op = DRM_NVGHOST_CLOCK_ADVANCE,
				.until_ns = (now + START_GAP_NS + START_ALIGN_NS - 1) / START_ALIGN_NS *
					    START_ALIGN_NS,
			};

			if (drmIoctl(gpus[s].fd, DRM_IOCTL_NVGHOST_CLOCK, &c)) {
				fail_run(res, "CLOCK ADVANCE of gpu%d to the start (%" PRIu64 "): %s",
					 gpus[s].index, c.until_ns, strerror(errno));
				goto out;
			}
			gpus[s].now = c.now_ns;
		}
	}
	flip_watch_drain();
	trace_start();
	ipc_ns = ipc_n = 0;
	settle_due = false;
	res->loop_ns = mono_ns();
	res->pre_ns = res->loop_ns - wall0;
	event_loop(res);
	res->loop_ns = mono_ns() - res->loop_ns;
	res->ipc_ns = ipc_ns;
	res->ipc_n = ipc_n;
	res->span = clock_now() - t0;
	/* on failure, wait (boundedly) for what is in flight before the files close */
	if (!res->ok) {
		uint64_t until = mono_ns() + 5000000000ULL;

		while (in_flight() && mono_ns() < until) {
			if (virtual_clock) {
				struct drm_nvghost_clock c = { .op = DRM_NVGHOST_CLOCK_ADVANCE,
							       .flags = DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL,
							       .until_ns = clock_now() + 1000000000ULL };

				if (drmIoctl(parent_fd, DRM_IOCTL_NVGHOST_CLOCK, &c))
					break;
				for (int s = 1; s < ngpus; s++) {
					c.until_ns = gpu_clock(s) + 1000000000ULL;
					drmIoctl(gpus[s].fd, DRM_IOCTL_NVGHOST_CLOCK, &c);
				}
			} else {
				usleep(1000);
			}
			reap(res, clock_now());
		}
	}
	res->log_ns = mono_ns();
	res->events = trace_stop(&res->log, &res->loglen, &res->log_lost);
	res->log_ns = mono_ns() - res->log_ns;
	if (res->log)
		sha256_hex(res->log, res->loglen, res->sha);
	for (i = 0; i < nprocs; i++)
		proc_report(procs[i].pc);
out:
	flip_watch_stop();	/* (trace_stop() did, unless the set-up failed) */
	reap_children();
	nfl = 0;
	for (gi = 0; gi < ngjobs; gi++) {
		struct gjob *g = &gjobs[gi];

		if (g->fence_fd >= 0)
			close(g->fence_fd);
		g->fence_fd = -1;
		if (g->start_ptimer)
			g->start = g->start_ptimer - gpus[procs[client_proc[g->client]].gpu].ptimer_off;
	}
	if (res->rs->policy) {
		policy_exits(res->rs, res->ejected, sizeof(res->ejected));
		policy_unload(res->rs);
	}
	res->jobs = malloc(ngjobs * sizeof(*res->jobs));
	if (res->jobs)
		memcpy(res->jobs, gjobs, ngjobs * sizeof(*res->jobs));
	for (ci = 0; ci < trace.nclients; ci++)
		res->max_gap[ci] = cs[ci].max_gap;
	res->t0 = t0;
	res->wall_s = (double)(mono_ns() - wall0) / 1e9;
}

/* ---- results ---- */

struct cstats {
	size_t jobs, done, skipped, failed, missed, deadlines, in_window;
	uint64_t s2r[3], s2s[3];	/* p50 p99 max, ns */
	double throughput;
	uint64_t max_gap;
	/* games */
	size_t frames, late_frames, late_refreshes;
	double fps, within_1hz;
	uint64_t jitter_p99, present[2], interval_p50;
};

static void stats3(uint64_t *v, size_t n, uint64_t out[3])
{
	qsort(v, n, sizeof(*v), cmp_u64);
	out[0] = pct(v, n, 50);
	out[1] = pct(v, n, 99);
	out[2] = n ? v[n - 1] : 0;
}

static void client_stats(const struct result *res, size_t ci, struct cstats *st)
{
	const struct nvgt_client *c = &trace.clients[ci];
	size_t b = client_base[ci], e = ci + 1 < trace.nclients ? client_base[ci + 1] : ngjobs;
	uint64_t *a = calloc(e - b + 1, sizeof(*a)), *d = calloc(e - b + 1, sizeof(*d));
	uint64_t window = client_duration(ci) > 0 ? (uint64_t)client_duration(ci) : res->span;
	size_t n = 0, k;

	memset(st, 0, sizeof(*st));
	if (!a || !d)
		die(1, "out of memory");
	for (k = b; k < e; k++) {
		const struct gjob *g = &res->jobs[k];

		if (g->skipped) {
			st->skipped++;
			continue;
		}
		if (!g->submitted)
			continue;
		st->jobs++;
		if (!g->done)
			continue;
		st->done++;
		st->failed += g->failed;
		a[n] = g->start > g->submit ? g->start - g->submit : 0;
		d[n] = g->end - g->submit;
		n++;
		if (g->end - res->t0 <= window)
			st->in_window++;
		/* a t_ns job's deadline: the client's next job's arrival time */
		if (g->sub < 0 && c->jobs[g->rec].t_ns >= 0 && g->rec + 1 < c->njobs &&
		    c->jobs[g->rec + 1].t_ns > c->jobs[g->rec].t_ns) {
			st->deadlines++;
			if (g->end - res->t0 > (uint64_t)c->jobs[g->rec + 1].t_ns)
				st->missed++;
		}
	}
	st->missed += st->skipped;
	st->deadlines += st->skipped;
	stats3(a, n, st->s2r);
	stats3(d, n, st->s2s);
	st->throughput = window ? (double)st->in_window * 1e9 / (double)window : 0;
	st->max_gap = res->max_gap[ci];
	if (c->head >= 0 && res->frames[ci]) {
		const struct gframe *f = res->frames[ci];
		size_t m = 0, within = 0, nf = 0, last = 0;
		uint64_t first = 0, *iv = calloc(c->nframes + 1, sizeof(*iv)),
			 *pl = calloc(c->nframes + 1, sizeof(*pl));
		double med_hz;

		for (k = 0; k < c->nframes; k++) {
			if (!f[k].presented)
				continue;
			if (nf) {
				uint32_t dseq = f[k].seq - f[last].seq;

				iv[m++] = f[k].flip - f[last].flip;
				st->deadlines++;
				if (dseq > 1) {
					st->late_frames++;
					st->late_refreshes += dseq - 1;
				}
			} else {
				first = f[k].flip;
			}
			pl[nf++] = f[k].flip - f[k].submit;
			last = k;
		}
		st->frames = nf;
		st->missed = st->late_frames;
		st->fps = nf > 1 && f[last].flip > first ?
			  (double)(nf - 1) * 1e9 / (double)(f[last].flip - first) : 0;
		qsort(pl, nf, sizeof(*pl), cmp_u64);
		st->present[0] = pct(pl, nf, 50);
		st->present[1] = pct(pl, nf, 99);
		if (m) {
			uint64_t *dev = calloc(m, sizeof(*dev)), *s = calloc(m, sizeof(*s));

			memcpy(s, iv, m * sizeof(*s));
			qsort(s, m, sizeof(*s), cmp_u64);
			st->interval_p50 = pct(s, m, 50);
			med_hz = 1e9 / (double)st->interval_p50;
			for (k = 0; k < m; k++) {
				double hz = 1e9 / (double)iv[k];

				within += fabs(hz - med_hz) <= 1.0;
				dev[k] = iv[k] > st->interval_p50 ? iv[k] - st->interval_p50 :
					 st->interval_p50 - iv[k];
			}
			qsort(dev, m, sizeof(*dev), cmp_u64);
			st->jitter_p99 = pct(dev, m, 99);
			st->within_1hz = (double)within / (double)m;
			free(dev);
			free(s);
		}
		free(iv);
		free(pl);
	}
	free(a);
	free(d);
}

struct gstats {
	double energy_j, avg_w, peak_c, per_frame_mj;
	uint64_t frames;
	uint64_t *time_at;	/* per distinct frequency */
	uint64_t freqs[32];
	int nfreq;
	bool have;
};

static void gpu_stats(const struct result *res, struct gstats *g)
{
	size_t k, ci;

	memset(g, 0, sizeof(*g));
	g->time_at = calloc(32, sizeof(uint64_t));
	if (res->nsamples < 2 || !hwmon_dir[0])
		return;
	g->have = true;
	g->energy_j = (double)(res->samples[res->nsamples - 1].energy_uj - res->samples[0].energy_uj) / 1e6;
	g->avg_w = res->span ? g->energy_j * 1e9 / (double)res->span : 0;
	for (k = 0; k < res->nsamples; k++) {
		const struct sample *s = &res->samples[k];
		int f;

		if ((double)s->temp_mc / 1000 > g->peak_c)
			g->peak_c = (double)s->temp_mc / 1000;
		if (k + 1 == res->nsamples)
			break;
		for (f = 0; f < g->nfreq; f++)
			if (g->freqs[f] == s->freq_hz)
				break;
		if (f == g->nfreq && g->nfreq < 32)
			g->freqs[g->nfreq++] = s->freq_hz;
		if (f < 32)
			g->time_at[f] += res->samples[k + 1].t - s->t;
	}
	for (ci = 0; ci < trace.nclients; ci++)
		if (trace.clients[ci].head >= 0)
			for (k = 0; k < trace.clients[ci].nframes; k++)
				g->frames += res->frames[ci][k].presented;
	g->per_frame_mj = g->frames ? g->energy_j * 1e3 / (double)g->frames : 0;
}

static void row(const char *name, const char *fmt, const double *v, bool ratio)
{
	int i;

	printf("  %-34s", name);
	for (i = 0; i < nruns; i++) {
		char cell[32];

		if (isnan(v[i]))
			snprintf(cell, sizeof(cell), "-");
		else
			snprintf(cell, sizeof(cell), fmt, v[i]);
		printf(" %14s", cell);
	}
	if (ratio && nruns == 2 && !isnan(v[0]) && !isnan(v[1]) && v[0] != 0)
		printf(" %10.2fx", v[1] / v[0]);
	putchar('\n');
}

static void print_table(void)
{
	struct cstats st[MAX_RUNS];
	struct gstats gs[MAX_RUNS];
	double v[MAX_RUNS];
	size_t ci;
	int i;

#define ROW(name, fmt, expr, ratio) do { for (i = 0; i < nruns; i++) v[i] = (expr); \
		row(name, fmt, v, ratio); } while (0)
	printf("\nnvgreplay: trace %s%s%s: %zu clients, clock %s, chip %s\n", trace_path,
	       trace.name[0] ? " " : "", trace.name[0] ? trace.name : "", trace.nclients,
	       virtual_clock ? "virtual" : "live", chip->name);
	printf("  %-34s", "");
	for (i = 0; i < nruns; i++)
		printf(" %14.14s", runs[i].label);
	if (nruns == 2)
		printf(" %11s", "B/A");
	putchar('\n');
	ROW("replayed (s of device time)", "%.3f", (double)results[i].span / 1e9, false);
	ROW("wall time (s)", "%.2f", results[i].wall_s, false);
	ROW("speed (x real time)", "%.2f", results[i].wall_s > 0 ?
	    (double)results[i].span / 1e9 / results[i].wall_s : NAN, false);
	ROW("decision log events", "%.0f", (double)results[i].events, false);
	if (virtual_clock) {
		ROW("clock ADVANCE calls", "%.0f", (double)results[i].advances, false);
		ROW("settles after an ioctl", "%.0f", (double)results[i].settles, false);
		ROW("device events played", "%.0f", (double)results[i].events_played, false);
		ROW("wall time in ADVANCE (s)", "%.2f", (double)results[i].advance_ns / 1e9, false);
	}
	for (ci = 0; ci < trace.nclients; ci++) {
		const struct nvgt_client *c = &trace.clients[ci];

		for (i = 0; i < nruns; i++)
			client_stats(&results[i], ci, &st[i]);
		printf("client %s (%s%s%s)\n", c->name, nvgt_prio_name(c->prio),
		       c->head >= 0 ? ", game on head " : "",
		       c->head >= 0 ? (c->head == 0 ? "0" : c->head == 1 ? "1" : c->head == 2 ? "2" : "3") : "");
		ROW("jobs completed", "%.0f", (double)st[i].done, false);
		ROW("submit-to-run p50 (us)", "%.0f", (double)st[i].s2r[0] / 1e3, true);
		ROW("submit-to-run p99 (us)", "%.0f", (double)st[i].s2r[1] / 1e3, true);
		ROW("submit-to-run max (us)", "%.0f", (double)st[i].s2r[2] / 1e3, true);
		ROW("submit-to-signal p50 (us)", "%.0f", (double)st[i].s2s[0] / 1e3, true);
		ROW("submit-to-signal p99 (us)", "%.0f", (double)st[i].s2s[1] / 1e3, true);
		ROW("submit-to-signal max (us)", "%.0f", (double)st[i].s2s[2] / 1e3, true);
		ROW("throughput (jobs/s)", "%.1f", st[i].throughput, true);
		ROW("deadline misses", "%.0f", st[i].deadlines ? (double)st[i].missed : NAN, false);
		ROW("longest starvation gap (ms)", "%.2f", (double)st[i].max_gap / 1e6, true);
		if (c->head < 0)
			continue;
		printf("head %d (client %s, %s)\n", c->head, c->name,
		       c->sync == NVGT_SYNC_VRR ? "vrr" : "vsync");
		ROW("frames presented", "%.0f", (double)st[i].frames, false);
		ROW("fps", "%.2f", st[i].fps, true);
		ROW("late frames", "%.0f", (double)st[i].late_frames, false);
		ROW("flip interval p50 (us)", "%.0f", (double)st[i].interval_p50 / 1e3, true);
		ROW("flip-interval jitter p99 (us)", "%.0f", (double)st[i].jitter_p99 / 1e3, true);
		ROW("intervals within 1 Hz of median (%)", "%.1f", st[i].within_1hz * 100, true);
		ROW("present latency p50 (us)", "%.0f", (double)st[i].present[0] / 1e3, true);
		ROW("present latency p99 (us)", "%.0f", (double)st[i].present[1] / 1e3, true);
	}
	for (i = 0; i < nruns; i++)
		gpu_stats(&results[i], &gs[i]);
	printf("gpu 0 (%s)\n", hwmon_dir[0] ? "hwmon and devfreq, sampled every 10 ms" :
	       "no hwmon found");
	ROW("energy (J)", "%.3f", gs[i].have ? gs[i].energy_j : NAN, true);
	ROW("energy per frame (mJ)", "%.2f", gs[i].have && gs[i].frames ? gs[i].per_frame_mj : NAN, true);
	ROW("average power (W)", "%.2f", gs[i].have ? gs[i].avg_w : NAN, true);
	ROW("temperature at start (C)", "%.1f", gs[i].have ? (double)results[i].samples[0].temp_mc / 1e3 : NAN, false);
	ROW("peak temperature (C)", "%.1f", gs[i].have ? gs[i].peak_c : NAN, false);
	{
		uint64_t freqs[64];
		int nf = 0, f, k;

		for (i = 0; i < nruns; i++)
			for (f = 0; f < gs[i].nfreq; f++) {
				for (k = 0; k < nf; k++)
					if (freqs[k] == gs[i].freqs[f])
						break;
				if (k == nf && nf < 64)
					freqs[nf++] = gs[i].freqs[f];
			}
		qsort(freqs, (size_t)nf, sizeof(*freqs), cmp_u64);
		for (k = 0; k < nf; k++) {
			char name[64];

			snprintf(name, sizeof(name), "time at %" PRIu64 " MHz (ms)", freqs[k] / 1000000);
			for (i = 0; i < nruns; i++) {
				v[i] = 0;
				for (f = 0; f < gs[i].nfreq; f++)
					if (gs[i].freqs[f] == freqs[k])
						v[i] = (double)gs[i].time_at[f] / 1e6;
			}
			row(name, "%.1f", v, false);
		}
	}
#undef ROW
	for (i = 0; i < nruns; i++) {
		free(gs[i].time_at);
		printf("replay %s: %s", runs[i].label, results[i].ok ? "finished" : "FAILED: ");
		if (!results[i].ok)
			printf("%s", results[i].err);
		if (results[i].sha[0])
			printf(", decision log sha256 %s (%zu events%s)", results[i].sha,
			       results[i].events, results[i].log_lost ? ", BUFFER OVERRUN: incomplete" : "");
		putchar('\n');
		if (results[i].ejected[0])
			printf("replay %s: policy %s was ejected and the replay went on under the built-in default: %s\n",
			       runs[i].label, runs[i].policy, results[i].ejected);
	}
}

/*
 * --summary FILE: the table's numbers for scripts, one record a line, each
 * "KIND key=value ..." with no spaces inside a value (names have theirs
 * replaced by '_'). Times in ns, rates per second of device time, shares
 * as fractions. Format version 1 (man/nvgreplay.1.scd):
 *   nvgreplay-summary version=1 trace=T clock=C chip=X runs=N
 *   run run=I label=L policy=P status=finished|failed span_ns= wall_s= speed= events= sha256=
 *   client run=I label=L name=N prio=P head=H jobs= done= failed= s2r_p50_ns= ...
 *   head run=I label=L head=H client=N sync=S frames= fps= ...
 *   gpu run=I label=L gpu=0 have=0|1 energy_j= energy_per_frame_mj= ...
 * Values the run could not measure are "nan" (e.g. energy without hwmon).
 */
static void summary_word(FILE *f, const char *key, const char *v)
{
	fprintf(f, " %s=", key);
	if (!v || !*v) {
		fputc('-', f);
		return;
	}
	for (; *v; v++)
		fputc(*v == ' ' || *v == '\t' || *v == '=' || *v == '\n' ? '_' : *v, f);
}

static void write_summary(void)
{
	FILE *f = strcmp(summary_path, "-") ? fopen(summary_path, "w") : stdout;
	struct cstats st;
	struct gstats gs;
	size_t ci;
	int i;

	if (!f)
		die(1, "%s: %s", summary_path, strerror(errno));
	fprintf(f, "nvgreplay-summary version=1");
	summary_word(f, "trace", trace_path);
	fprintf(f, " clock=%s", virtual_clock ? "virtual" : "live");
	summary_word(f, "chip", chip->name);
	fprintf(f, " runs=%d clients=%zu\n", nruns, trace.nclients);
	for (i = 0; i < nruns; i++) {
		const struct result *r = &results[i];

		fprintf(f, "run run=%d", i);
		summary_word(f, "label", runs[i].label);
		summary_word(f, "policy", runs[i].policy ? runs[i].policy : "default");
		fprintf(f, " status=%s span_ns=%" PRIu64 " wall_s=%.3f speed=%.3f events=%zu log_lost=%d",
			r->ok ? "finished" : "failed", r->span, r->wall_s,
			r->wall_s > 0 ? (double)r->span / 1e9 / r->wall_s : NAN, r->events,
			r->log_lost);
		summary_word(f, "sha256", r->sha);
		fprintf(f, " ejected=%d", r->ejected[0] != '\0');
		if (virtual_clock)
			fprintf(f, " advances=%" PRIu64 " events_played=%" PRIu64
				" settles=%" PRIu64 " advance_wall_s=%.3f ipc_wall_s=%.3f"
				" flipwait_wall_s=%.3f loop_wall_s=%.3f reap_wall_s=%.3f"
				" sample_wall_s=%.3f pre_wall_s=%.3f log_wall_s=%.3f"
				" ipc_requests=%" PRIu64, r->advances,
				r->events_played, r->settles, (double)r->advance_ns / 1e9,
				(double)r->ipc_ns / 1e9, (double)r->flipwait_ns / 1e9,
				(double)r->loop_ns / 1e9, (double)r->reap_ns / 1e9,
				(double)r->sample_ns / 1e9, (double)r->pre_ns / 1e9,
				(double)r->log_ns / 1e9, r->ipc_n);
		fputc('\n', f);
		for (ci = 0; ci < trace.nclients; ci++) {
			const struct nvgt_client *c = &trace.clients[ci];

			client_stats(r, ci, &st);
			fprintf(f, "client run=%d", i);
			summary_word(f, "label", runs[i].label);
			summary_word(f, "name", c->name);
			summary_word(f, "prio", nvgt_prio_name(c->prio));
			fprintf(f, " head=%d jobs=%zu done=%zu failed=%zu skipped=%zu"
				" s2r_p50_ns=%" PRIu64 " s2r_p99_ns=%" PRIu64 " s2r_max_ns=%" PRIu64
				" s2s_p50_ns=%" PRIu64 " s2s_p99_ns=%" PRIu64 " s2s_max_ns=%" PRIu64
				" throughput=%.3f deadlines=%zu missed=%zu max_gap_ns=%" PRIu64 "\n",
				c->head, st.jobs, st.done, st.failed, st.skipped,
				st.s2r[0], st.s2r[1], st.s2r[2], st.s2s[0], st.s2s[1], st.s2s[2],
				st.throughput, st.deadlines, st.missed, st.max_gap);
			if (c->head < 0)
				continue;
			fprintf(f, "head run=%d", i);
			summary_word(f, "label", runs[i].label);
			fprintf(f, " head=%d", c->head);
			summary_word(f, "client", c->name);
			fprintf(f, " sync=%s frames=%zu fps=%.3f late_frames=%zu late_refreshes=%zu"
				" interval_p50_ns=%" PRIu64 " jitter_p99_ns=%" PRIu64 " within_1hz=%.4f"
				" present_p50_ns=%" PRIu64 " present_p99_ns=%" PRIu64 "\n",
				c->sync == NVGT_SYNC_VRR ? "vrr" : "vsync", st.frames, st.fps,
				st.late_frames, st.late_refreshes, st.interval_p50, st.jitter_p99,
				st.within_1hz, st.present[0], st.present[1]);
		}
		mem_summary(f, i);
		gpu_stats(r, &gs);
		fprintf(f, "gpu run=%d", i);
		summary_word(f, "label", runs[i].label);
		fprintf(f, " gpu=0 have=%d energy_j=%.6f frames=%" PRIu64 " energy_per_frame_mj=%.4f"
			" avg_w=%.4f start_c=%.2f peak_c=%.2f\n", gs.have,
			gs.have ? gs.energy_j : NAN, gs.frames,
			gs.have && gs.frames ? gs.per_frame_mj : NAN, gs.have ? gs.avg_w : NAN,
			gs.have ? (double)r->samples[0].temp_mc / 1e3 : NAN,
			gs.have ? gs.peak_c : NAN);
		free(gs.time_at);
	}
	if (f != stdout && fclose(f))
		die(1, "%s: %s", summary_path, strerror(errno));
	else if (f == stdout)
		fflush(f);
}

static void write_csv(void)
{
	char path[4096];
	FILE *fj, *ff, *fs;
	int i;

	if (mkdir(csv_dir, 0755) && errno != EEXIST)
		die(1, "mkdir %s: %s", csv_dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/jobs.csv", csv_dir);
	fj = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/flips.csv", csv_dir);
	ff = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/samples.csv", csv_dir);
	fs = fopen(path, "w");
	if (!fj || !ff || !fs)
		die(1, "cannot write %s: %s", path, strerror(errno));
	fprintf(fj, "run,client,record,sub,engine,arrival_ns,submit_ns,start_ns,end_ns,submit_to_run_ns,submit_to_signal_ns,skipped\n");
	fprintf(ff, "run,client,head,frame,start_ns,submit_ns,flip_ns,vblank,interval_ns,present_ns\n");
	fprintf(fs, "run,t_ns,freq_mhz,power_mw,energy_mj,temp_c\n");
	for (i = 0; i < nruns; i++) {
		const struct result *res = &results[i];
		uint64_t o = res->t0;
		size_t k, ci;

		if (!res->jobs)
			continue;
		for (k = 0; k < ngjobs; k++) {
			const struct gjob *g = &res->jobs[k];
			const struct nvgt_client *c = &trace.clients[g->client];

			if (!g->submitted && !g->skipped)
				continue;
			fprintf(fj, "%s,%s,%d,%d,%s,%" PRIu64 ",%" PRIu64 ",%" PRId64 ",%" PRId64
				",%" PRId64 ",%" PRId64 ",%d\n", runs[i].label, c->name,
				g->sub < 0 ? c->jobs[g->rec].id : c->frames[g->rec].id, g->sub,
				nvgt_engine_name(gjob_work(g)->engine), g->arrival - o,
				g->submitted ? g->submit - o : 0,
				g->start ? (int64_t)(g->start - o) : -1,
				g->done ? (int64_t)(g->end - o) : -1,
				g->start && g->done ? (int64_t)(g->start > g->submit ? g->start - g->submit : 0) : -1,
				g->done ? (int64_t)(g->end - g->submit) : -1, g->skipped);
		}
		for (ci = 0; ci < trace.nclients; ci++) {
			const struct nvgt_client *c = &trace.clients[ci];
			uint64_t prev = 0;

			if (c->head < 0)
				continue;
			for (k = 0; k < c->nframes; k++) {
				const struct gframe *f = &res->frames[ci][k];

				if (!f->presented)
					continue;
				fprintf(ff, "%s,%s,%d,%d,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u,%" PRId64
					",%" PRIu64 "\n", runs[i].label, c->name, c->head, c->frames[k].id,
					f->start - o, f->submit - o, f->flip - o, f->seq,
					prev ? (int64_t)(f->flip - prev) : -1, f->flip - f->submit);
				prev = f->flip;
			}
		}
		for (k = 0; k < res->nsamples; k++) {
			const struct sample *s = &res->samples[k];

			fprintf(fs, "%s,%" PRIu64 ",%" PRIu64 ",%.3f,%.3f,%.3f\n", runs[i].label, s->t,
				s->freq_hz / 1000000, (double)s->power_uw / 1e3,
				(double)s->energy_uj / 1e3, (double)s->temp_mc / 1e3);
		}
	}
	if (fclose(fj) | fclose(ff) | fclose(fs))
		die(1, "writing %s: %s", csv_dir, strerror(errno));
	if (!quiet)
		fprintf(stderr, "%s: wrote %s/jobs.csv, flips.csv, samples.csv\n", prog, csv_dir);
}

static void write_log(void)
{
	FILE *f = fopen(log_path, "w");
	int i;

	if (!f)
		die(1, "cannot write %s: %s", log_path, strerror(errno));
	for (i = 0; i < nruns; i++) {
		fprintf(f, "# nvgreplay decision log: replay %s, trace %s, clock %s, sha256 %s\n",
			runs[i].label, trace_path, virtual_clock ? "virtual" : "live",
			results[i].sha[0] ? results[i].sha : "-");
		if (results[i].log)
			fwrite(results[i].log, 1, results[i].loglen, f);
	}
	if (fclose(f))
		die(1, "writing %s: %s", log_path, strerror(errno));
}

/* ---- setup ---- */

/* The render node of the module's GPU @index (its platform device nvghost.INDEX). */
static char *gpu_node(int index)
{
	char want[32], path[64], link[256];
	int i;

	snprintf(want, sizeof(want), "nvghost.%d", index);
	for (i = 128; i < 192; i++) {
		ssize_t n;
		const char *b;

		snprintf(path, sizeof(path), "/sys/class/drm/renderD%d/device", i);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		b = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
		if (!strcmp(b, want)) {
			char *node;

			if (asprintf(&node, "/dev/dri/renderD%d", i) < 0)
				die(1, "out of memory");
			return node;
		}
	}
	return NULL;
}

/* The GPUs the clients are placed on ("gpu"), in slots in increasing order. */
static void plan_gpus(void)
{
	size_t ci;
	int g, k;

	ngpus = 0;
	for (g = 0; g < MAX_GPUS; g++)
		for (ci = 0; ci < trace.nclients; ci++)
			if (trace.clients[ci].gpu == g) {
				gpus[ngpus++].index = g;
				break;
			}
	if (!ngpus)
		ngpus = 1;
	for (k = 0; k < ngpus; k++)
		gpus[k].fd = -1;
}

static int gpu_slot(int index)
{
	int k;

	for (k = 0; k < ngpus; k++)
		if (gpus[k].index == index)
			return k;
	die(2, "gpu %d: not among the GPUs planned for this trace", index);
	return 0;
}

static void probe_device(void)
{
	uint64_t boot0;
	size_t ci;
	int ret, k;

	if (device && (ngpus > 1 || gpus[0].index))
		die(2, "-d names one device, but the trace places clients on gpu %d%s (by the "
		    "module's GPU index)", gpus[ngpus - 1].index, ngpus > 1 ? " and others" : "");
	for (k = 0; k < ngpus; k++) {
		struct drm_nvghost_clock clk = { .op = DRM_NVGHOST_CLOCK_GET };
		const struct nvg_chip *ch;
		struct nvg_device dev;
		char *node = NULL;
		bool virt = false;

		if (ngpus > 1 || gpus[k].index) {
			node = gpu_node(gpus[k].index);
			if (!node)
				die(1, "no nvghost GPU %d (the trace places clients on it; is the module "
				    "loaded with num_gpus=%d or more?)", gpus[k].index, gpus[k].index + 1);
		}
		ret = nvg_open(&dev, node ?: device);
		if (ret)
			die(1, "cannot open %s: %s%s", node ?: device ?: "an nvghost render node",
			    strerror(-ret),
			    ret == -ENODEV || ret == -ENOENT ? " (is the nvghost module loaded?)" : "");
		free(node);
		ret = nvg_get_param(&dev, DRM_NVGHOST_PARAM_CHIP_ID, 0, &boot0);
		if (ret)
			die(1, "GET_PARAM CHIP_ID: %s", strerror(-ret));
		ch = nvg_chip_by_boot0((uint32_t)boot0);
		if (!ch)
			die(1, "unknown chip: PMC_BOOT_0 0x%08" PRIx64, boot0);
		if (k && ch != chip)
			die(1, "gpu %d is a %s, gpu %d a %s: one chip for all (module parameter chip=)",
			    gpus[0].index, chip->name, gpus[k].index, ch->name);
		chip = ch;
		if (trace.chip[0] && strcmp(trace.chip, chip->name))
			die(1, "the trace wants chip %s, the device is %s (load nvghost with chip=%s)",
			    trace.chip, chip->name, trace.chip);
		gpus[k].render = drmGetDeviceNameFromFd2(dev.fd);
		if (!gpus[k].render)
			die(1, "cannot name the device's node");
		for (ci = 0; ci < trace.nclients; ci++)
			if (trace.clients[ci].head >= 0 && trace.clients[ci].gpu == gpus[k].index)
				break;
		if (ci < trace.nclients) {
			gpus[k].card = drmGetPrimaryDeviceNameFromFd(dev.fd);
			if (!gpus[k].card)
				die(1, "no primary (card) node: a game needs the display");
		}
		/* Without the CLOCK ioctl (an older driver) the clock is live. */
		if (!drmIoctl(dev.fd, DRM_IOCTL_NVGHOST_CLOCK, &clk))
			virt = clk.mode == DRM_NVGHOST_CLOCK_MODE_VIRTUAL;
		if (k && virt != virtual_clock)
			die(1, "gpu %d's clock is %s, gpu %d's %s: the same for all (module parameter clock=)",
			    gpus[0].index, virtual_clock ? "virtual" : "live", gpus[k].index,
			    virt ? "virtual" : "live");
		virtual_clock = virt;
		gpus[k].fd = dev.fd;
	}
	parent_fd = gpus[0].fd;
	render_path = gpus[0].render;
	card_path = gpus[0].card;
	find_sensors();
	if (trace.pstate >= 0 || trace.has_temp)
		fprintf(stderr, "%s: note: the trace's starting p-state/temperature are not applied "
			"(the driver has no interface to set them)\n", prog);
	for (int h = 0; h < NVGT_MAX_HEADS; h++)
		if (trace.heads[h].set && (trace.heads[h].monitor != NVGT_MON_DEFAULT ||
					   trace.heads[h].w))
			fprintf(stderr, "%s: note: head %d: the trace's monitor/mode size is not applied "
				"(only its refresh rate)\n", prog, h);
}

/* Processes: clients with the same pid share one. */
static void plan_procs(void)
{
	size_t ci, k, total = 0, games = 0;

	client_proc = calloc(trace.nclients, sizeof(int));
	procs = calloc(trace.nclients, sizeof(*procs));
	client_base = calloc(trace.nclients + 1, sizeof(size_t));
	frame_base = calloc(trace.nclients, sizeof(size_t *));
	cs = calloc(trace.nclients, sizeof(*cs));
	if (!client_proc || !procs || !client_base || !frame_base || !cs)
		die(1, "out of memory");
	for (ci = 0; ci < trace.nclients; ci++) {
		const struct nvgt_client *c = &trace.clients[ci];
		int p = -1;

		if (c->head >= 0 && ++games > 1)
			die(2, "client %s: more than one game: a game's process must be DRM master, "
			    "and only one can be", c->name);
		if (c->pid)
			for (k = 0; k < ci; k++)
				if (trace.clients[k].pid == c->pid)
					p = client_proc[k];
		if (p >= 0 && trace.clients[procs[p].clients[0]].gpu != c->gpu)
			die(2, "clients %s and %s share pid %" PRId64 " but not a GPU (a process's "
			    "DRM file is one GPU's)", trace.clients[procs[p].clients[0]].name, c->name,
			    c->pid);
		if (p < 0) {
			p = nprocs++;
			procs[p].clients = calloc(trace.nclients, sizeof(int));
			procs[p].gpu = gpu_slot(c->gpu);
		}
		procs[p].clients[procs[p].nclients++] = (int)ci;
		procs[p].game |= c->head >= 0;
		client_proc[ci] = p;
	}
	/* gjobs: each client's contiguous, in record order (the children's timestamps) */
	for (int p = 0; p < nprocs; p++)
		for (int i = 0; i < procs[p].nclients; i++) {
			(void)i;
		}
	for (ci = 0; ci < trace.nclients; ci++) {
		const struct nvgt_client *c = &trace.clients[ci];

		client_base[ci] = total;
		if (c->head < 0) {
			total += c->njobs;
		} else {
			frame_base[ci] = calloc(c->nframes + 1, sizeof(size_t));
			for (k = 0; k < c->nframes; k++) {
				frame_base[ci][k] = total;
				total += c->frames[k].njobs;
			}
		}
	}
	client_base[trace.nclients] = total;
	ngjobs = total;
	gjobs = mmap(NULL, (total ? total : 1) * sizeof(*gjobs), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (gjobs == MAP_FAILED)
		die(1, "mmap: %s", strerror(errno));
	for (ci = 0; ci < trace.nclients; ci++) {
		const struct nvgt_client *c = &trace.clients[ci];

		if (c->head < 0) {
			for (k = 0; k < c->njobs; k++)
				gjobs[client_base[ci] + k] = (struct gjob){ .client = (int)ci, .rec = k,
									    .sub = -1, .fence_fd = -1 };
		} else {
			for (k = 0; k < c->nframes; k++)
				for (size_t j = 0; j < c->frames[k].njobs; j++)
					gjobs[frame_base[ci][k] + j] =
						(struct gjob){ .client = (int)ci, .rec = k,
							       .sub = (int)j, .fence_fd = -1 };
		}
	}
	/*
	 * A process's clients must be contiguous in gjobs (its timestamp
	 * object is indexed from its first client's base): group them.
	 */
	for (int p = 0; p < nprocs; p++)
		for (int i = 1; i < procs[p].nclients; i++)
			if (procs[p].clients[i] != procs[p].clients[i - 1] + 1)
				die(2, "clients %s and %s share pid %" PRId64 " but are not next to each "
				    "other in the trace's client order (not supported yet)",
				    trace.clients[procs[p].clients[i - 1]].name,
				    trace.clients[procs[p].clients[i]].name,
				    trace.clients[procs[p].clients[i]].pid);
}

/* ---- tenants: several traces side by side (issue 15, item 4) ---- */

/*
 * nvgreplay --tenant A.jsonl[:PRIO[:GROUP]] --tenant B.jsonl ...
 *
 * Each trace is a tenant: its clients (renamed LABEL.NAME, LABEL t1, t2,
 * ... in the order given; pids moved apart so that no two tenants share a
 * process), optionally all at priority PRIO, with an optional group name
 * (a label for the report: the driver has no groups). The tool replays each
 * tenant alone, under the same policy, then all of them together, and
 * reports per tenant its slowdown: its progress alone over its progress
 * shared. Progress is the modelled GPU work (job_work_ns()) of its jobs that
 * completed within its window, per ns of the window: the trace's
 * duration_ns, or, for a trace played to its end, the time its last job
 * completed. So a tenant that plays a fixed list of jobs has slowdown
 * T_shared / T_alone, one cut off by its duration has work_alone /
 * work_shared. Over all tenants: fairness max/min slowdown, system
 * throughput sum(1/slowdown) (STP, Eyerman and Eeckhout).
 */
#define MAX_TENANTS	8
#define TENANT_PID_STRIDE 10000000LL

struct tenant {
	const char *path;
	int prio;		/* -1: the trace's own */
	char group[32];		/* "" if none */
	char label[16];		/* t1, t2, ... */
	struct nvgt_trace tr;
	/* [0]: alone, [1]: shared */
	bool ok[2];
	double work_ns[2];	/* modelled work completed in the window */
	uint64_t window_ns[2];
	size_t done[2], deadlines[2], missed[2];
	char sha[2][65];
	double slowdown;
};

static struct tenant tenants[MAX_TENANTS];
static int ntenants;
static int *client_tenant;	/* client of the merged trace -> tenant */

/* A job's modelled engine time at the top clock, ns (at least 1). */
static double job_work_ns(const struct nvgt_work *w)
{
	double ns;

	if (w->engine == NVGT_COMPUTE) {
		ns = (double)job_cycles(w) * 1000.0 / (double)chip->gpc_mhz;
	} else {
		double gbps = w->dir == NVGT_H2D || w->dir == NVGT_D2H ? chip->pcie_gbps :
			      chip->vram_gbps;

		ns = gbps > 0 ? (double)w->bytes / gbps : 0;
	}
	return ns > 1 ? ns : 1;
}

static int tenant_parse_spec(const char *spec)
{
	struct tenant *tn;
	const char *base, *c1, *c2;
	char prio[16];
	size_t n;

	if (ntenants == MAX_TENANTS)
		die(2, "at most %d tenants", MAX_TENANTS);
	tn = &tenants[ntenants];
	memset(tn, 0, sizeof(*tn));
	tn->prio = -1;
	snprintf(tn->label, sizeof(tn->label), "t%u", (unsigned int)(ntenants + 1) % 100);
	base = strrchr(spec, '/') ? strrchr(spec, '/') + 1 : spec;
	c1 = strchr(base, ':');
	if (!c1) {
		tn->path = spec;
		ntenants++;
		return 0;
	}
	tn->path = strndup(spec, (size_t)(c1 - spec));
	c2 = strchr(c1 + 1, ':');
	n = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
	snprintf(prio, sizeof(prio), "%.*s", (int)(n < 15 ? n : 15), c1 + 1);
	if (!n)
		tn->prio = -1;
	else if (!strcmp(prio, "low"))
		tn->prio = NVGT_PRIO_LOW;
	else if (!strcmp(prio, "normal"))
		tn->prio = NVGT_PRIO_NORMAL;
	else if (!strcmp(prio, "high"))
		tn->prio = NVGT_PRIO_HIGH;
	else
		die(2, "--tenant %s: priority '%s' is not low, normal or high", spec, prio);
	if (c2) {
		const char *g = c2 + 1;
		size_t i;

		if (!*g || strlen(g) >= sizeof(tn->group))
			die(2, "--tenant %s: the group name is not 1-%zu characters", spec,
			    sizeof(tn->group) - 1);
		for (i = 0; g[i]; i++)
			if (!((g[i] >= 'a' && g[i] <= 'z') || (g[i] >= 'A' && g[i] <= 'Z') ||
			      (g[i] >= '0' && g[i] <= '9') || g[i] == '_' || g[i] == '-' || g[i] == '.'))
				die(2, "--tenant %s: the group name is not of [A-Za-z0-9_.-]", spec);
		snprintf(tn->group, sizeof(tn->group), "%s", g);
	}
	ntenants++;
	return 0;
}

/* Read every tenant's trace; a job's clock comes from its own trace's header. */
static void tenants_load(void)
{
	char err[1024];
	int k;

	for (k = 0; k < ntenants; k++) {
		struct nvgt_trace *tr = &tenants[k].tr;
		size_t ci, j, f;

		if (nvgt_parse_file(tenants[k].path, tr, err, sizeof(err)))
			die(2, "tenant %s: %s", tenants[k].label, err);
		if (!tr->nclients)
			die(2, "tenant %s: %s: the trace has no clients", tenants[k].label,
			    tenants[k].path);
		if (!tr->clock_mhz)
			continue;
		for (ci = 0; ci < tr->nclients; ci++) {
			struct nvgt_client *c = &tr->clients[ci];

			for (j = 0; j < c->njobs; j++)
				if (!c->jobs[j].w.has_cycles && !c->jobs[j].w.clock_mhz)
					c->jobs[j].w.clock_mhz = tr->clock_mhz;
			for (f = 0; f < c->nframes; f++)
				for (j = 0; j < c->frames[f].njobs; j++)
					if (!c->frames[f].jobs[j].has_cycles &&
					    !c->frames[f].jobs[j].clock_mhz)
						c->frames[f].jobs[j].clock_mhz = tr->clock_mhz;
		}
	}
}

/*
 * The global trace becomes tenant @only's (or every tenant's, @only < 0),
 * its clients renamed and re-prioritised. The clients' jobs stay the
 * tenants' (shallow copies): only the client array is the merge's own.
 */
static void tenants_merge(int only)
{
	size_t n = 0, ci;
	int k, h;

	free(trace.clients);
	free(client_dur);
	free(client_tenant);
	memset(&trace, 0, sizeof(trace));
	trace.duration_ns = -1;
	trace.pstate = -1;
	for (h = 0; h < NVGT_MAX_HEADS; h++)
		trace.heads[h].monitor = NVGT_MON_DEFAULT;
	snprintf(trace.name, sizeof(trace.name), "%s", only < 0 ? "tenants" : tenants[only].label);
	for (k = 0; k < ntenants; k++)
		n += tenants[k].tr.nclients;
	trace.clients = calloc(n, sizeof(*trace.clients));
	client_dur = calloc(n, sizeof(*client_dur));
	client_tenant = calloc(n, sizeof(*client_tenant));
	if (!trace.clients || !client_dur || !client_tenant)
		die(1, "out of memory");
	for (k = 0; k < ntenants; k++) {
		const struct tenant *tn = &tenants[k];
		const struct nvgt_trace *tr = &tn->tr;

		if (only >= 0 && k != only)
			continue;
		if (tr->chip[0]) {
			if (trace.chip[0] && strcmp(trace.chip, tr->chip))
				die(2, "tenants want different chips (%s, %s)", trace.chip, tr->chip);
			snprintf(trace.chip, sizeof(trace.chip), "%s", tr->chip);
		}
		for (h = 0; h < NVGT_MAX_HEADS; h++) {
			if (!tr->heads[h].set)
				continue;
			if (trace.heads[h].set && memcmp(&trace.heads[h], &tr->heads[h],
							 sizeof(tr->heads[h])))
				die(2, "tenant %s: head %d is set up differently by another tenant",
				    tn->label, h);
			trace.heads[h] = tr->heads[h];
		}
		for (ci = 0; ci < tr->nclients; ci++) {
			struct nvgt_client *c = &trace.clients[trace.nclients];
			size_t i;

			*c = tr->clients[ci];
			if (snprintf(c->name, sizeof(c->name), "%s.%s", tn->label,
				     tr->clients[ci].name) >= (int)sizeof(c->name))
				die(2, "tenant %s: client %s: the name %s.%s is longer than %d characters",
				    tn->label, tr->clients[ci].name, tn->label, tr->clients[ci].name,
				    NVGT_NAME_MAX - 1);
			for (i = 0; i < trace.nclients; i++)
				if (!strcmp(trace.clients[i].name, c->name))
					die(2, "tenant %s: two clients are named %s", tn->label, c->name);
			if (c->pid)
				c->pid = (k + 1) * TENANT_PID_STRIDE + c->pid % TENANT_PID_STRIDE;
			if (tn->prio >= 0)
				c->prio = (enum nvgt_prio)tn->prio;
			client_dur[trace.nclients] = tr->duration_ns;
			client_tenant[trace.nclients] = k;
			trace.nclients++;
		}
	}
}

/* Undo plan_procs(), for the next replay's trace. */
static void plan_free(void)
{
	size_t ci;
	int p;

	for (p = 0; p < nprocs; p++)
		free(procs[p].clients);
	for (ci = 0; ci < trace.nclients; ci++)
		free(frame_base[ci]);
	free(procs);
	free(client_proc);
	free(client_base);
	free(frame_base);
	free(cs);
	if (gjobs)
		munmap(gjobs, (ngjobs ? ngjobs : 1) * sizeof(*gjobs));
	procs = NULL;
	client_proc = NULL;
	client_base = NULL;
	frame_base = NULL;
	cs = NULL;
	gjobs = NULL;
	nprocs = 0;
	ngjobs = 0;
}

static void result_free(struct result *res)
{
	size_t ci;

	if (res->frames)
		for (ci = 0; ci < trace.nclients; ci++)
			free(res->frames[ci]);
	free(res->frames);
	free(res->max_gap);
	free(res->jobs);
	free(res->samples);
	free(res->log);
	memset(res, 0, sizeof(*res));
}

/* What tenant @k did in replay @res (of the current trace); @which 0 alone, 1 shared. */
static void tenant_measure(const struct result *res, int k, int which)
{
	struct tenant *tn = &tenants[k];
	uint64_t last = 0, window;
	int64_t dur = tn->tr.duration_ns;
	size_t ci, gi;
	double work = 0;

	tn->ok[which] = res->ok && res->jobs;
	snprintf(tn->sha[which], sizeof(tn->sha[which]), "%s", res->sha);
	if (!res->jobs)
		return;
	for (ci = 0; ci < trace.nclients; ci++) {
		struct cstats st;

		if (client_tenant[ci] != k)
			continue;
		client_stats(res, ci, &st);
		tn->done[which] += st.done;
		tn->deadlines[which] += st.deadlines;
		tn->missed[which] += st.missed;
		for (gi = client_base[ci]; gi < client_base[ci + 1]; gi++)
			if (res->jobs[gi].done && res->jobs[gi].end - res->t0 > last)
				last = res->jobs[gi].end - res->t0;
	}
	window = dur > 0 ? (uint64_t)dur : last;
	for (ci = 0; ci < trace.nclients; ci++) {
		if (client_tenant[ci] != k)
			continue;
		for (gi = client_base[ci]; gi < client_base[ci + 1]; gi++) {
			const struct gjob *g = &res->jobs[gi];

			if (g->done && !g->failed && g->end - res->t0 <= window)
				work += job_work_ns(gjob_work(g));
		}
	}
	tn->work_ns[which] = work;
	tn->window_ns[which] = window;
}

static double tenant_progress(const struct tenant *tn, int which)
{
	return tn->ok[which] && tn->window_ns[which] ?
	       tn->work_ns[which] / (double)tn->window_ns[which] : NAN;
}

static void tenants_report(FILE *f, bool summary)
{
	double smax = NAN, smin = NAN, stp = 0;
	bool all = true;
	int k;

	for (k = 0; k < ntenants; k++) {
		struct tenant *tn = &tenants[k];
		double a = tenant_progress(tn, 0), s = tenant_progress(tn, 1);

		tn->slowdown = isnan(a) || isnan(s) || s <= 0 ? NAN : a / s;
		if (isnan(tn->slowdown)) {
			all = false;
			continue;
		}
		if (isnan(smax) || tn->slowdown > smax)
			smax = tn->slowdown;
		if (isnan(smin) || tn->slowdown < smin)
			smin = tn->slowdown;
		stp += 1 / tn->slowdown;
	}
	if (!all)
		stp = NAN;
	if (summary) {
		fprintf(f, "tenants policy=%s tenants=%d fairness=%.4f stp=%.4f max_slowdown=%.4f"
			" min_slowdown=%.4f\n", runs[0].policy ? runs[0].label : "default", ntenants,
			all ? smax / smin : NAN, stp, all ? smax : NAN, all ? smin : NAN);
		for (k = 0; k < ntenants; k++) {
			const struct tenant *tn = &tenants[k];

			fprintf(f, "tenant tenant=%s", tn->label);
			summary_word(f, "trace", tn->path);
			fprintf(f, " prio=%s", tn->prio < 0 ? "trace" : nvgt_prio_name(tn->prio));
			summary_word(f, "group", tn->group);
			fprintf(f, " alone_status=%s shared_status=%s alone_window_ns=%" PRIu64
				" shared_window_ns=%" PRIu64 " alone_work_ns=%.0f shared_work_ns=%.0f"
				" alone_jobs=%zu shared_jobs=%zu slowdown=%.4f throughput_ratio=%.4f"
				" deadlines=%zu missed=%zu alone_deadlines=%zu alone_missed=%zu",
				tn->ok[0] ? "finished" : "failed", tn->ok[1] ? "finished" : "failed",
				tn->window_ns[0], tn->window_ns[1], tn->work_ns[0], tn->work_ns[1],
				tn->done[0], tn->done[1], tn->slowdown, 1 / tn->slowdown,
				tn->deadlines[1], tn->missed[1], tn->deadlines[0], tn->missed[0]);
			summary_word(f, "alone_sha256", tn->sha[0]);
			fputc('\n', f);
		}
		return;
	}
	fprintf(f, "\nnvgreplay: %d tenants under %s, clock %s: slowdown = progress alone / "
		"progress shared\n", ntenants, runs[0].policy ? runs[0].label : "default",
		virtual_clock ? "virtual" : "live");
	fprintf(f, "  %-6s %-28s %-6s %-10s %12s %12s %9s %10s\n", "tenant", "trace", "prio",
		"group", "alone (ms)", "shared (ms)", "slowdown", "deadlines");
	for (k = 0; k < ntenants; k++) {
		const struct tenant *tn = &tenants[k];
		const char *base = strrchr(tn->path, '/') ? strrchr(tn->path, '/') + 1 : tn->path;
		char dl[32] = "-";

		if (tn->deadlines[1])
			snprintf(dl, sizeof(dl), "%.1f%% met",
				 100.0 * (double)(tn->deadlines[1] - tn->missed[1]) /
				 (double)tn->deadlines[1]);
		fprintf(f, "  %-6s %-28.28s %-6s %-10.10s %12.3f %12.3f %9.3f %10s\n", tn->label, base,
			tn->prio < 0 ? "trace" : nvgt_prio_name(tn->prio),
			tn->group[0] ? tn->group : "-", (double)tn->window_ns[0] / 1e6,
			(double)tn->window_ns[1] / 1e6, tn->slowdown, dl);
		fprintf(f, "         work %.3f ms of GPU time alone, %.3f ms shared, in those windows;"
			" %zu and %zu jobs\n", tn->work_ns[0] / 1e6, tn->work_ns[1] / 1e6,
			tn->done[0], tn->done[1]);
	}
	/* groups: their tenants' mean slowdown */
	for (k = 0; k < ntenants; k++) {
		double sum = 0;
		int j, n = 0;

		if (!tenants[k].group[0])
			continue;
		for (j = 0; j < k; j++)
			if (!strcmp(tenants[j].group, tenants[k].group))
				break;
		if (j < k)
			continue;
		for (j = k; j < ntenants; j++)
			if (!strcmp(tenants[j].group, tenants[k].group)) {
				sum += tenants[j].slowdown;
				n++;
			}
		fprintf(f, "  group %s: %d tenant%s, mean slowdown %.3f\n", tenants[k].group, n,
			n > 1 ? "s" : "", sum / n);
	}
	fprintf(f, "  fairness (max/min slowdown): %.3f\n", all ? smax / smin : NAN);
	fprintf(f, "  system throughput (sum of 1/slowdown): %.3f of %d\n", stp, ntenants);
}

/* Replay the current (merged) trace once; 0 if it finished with every job. */
static int tenants_replay_one(struct result *res, const char *what)
{
	size_t gi, lost = 0;

	memset(res, 0, sizeof(*res));
	res->rs = &runs[0];
	plan_procs();
	if (!quiet)
		fprintf(stderr, "%s: %s: %zu clients, %zu GPU jobs\n", prog, what, trace.nclients,
			ngjobs);
	replay(res);
	if (!res->ok) {
		fprintf(stderr, "%s: %s failed: %s\n", prog, what, res->err);
		return 1;
	}
	for (gi = 0; gi < ngjobs; gi++)
		lost += res->jobs[gi].submitted && !res->jobs[gi].done;
	if (lost) {
		fprintf(stderr, "%s: %s: %zu jobs did not complete\n", prog, what, lost);
		return 1;
	}
	if (!quiet)
		fprintf(stderr, "%s: %s done: %.3f s of device time in %.2f s\n", prog, what,
			(double)res->span / 1e9, res->wall_s);
	return 0;
}

static int tenants_main(void)
{
	static char label[600];
	struct result alone;
	size_t off = 0;
	int k, rc = 0;

	tenants_load();
	for (k = 0; k < ntenants && off < sizeof(label); k++)
		off += (size_t)snprintf(label + off, sizeof(label) - off, "%s%s", k ? "+" : "",
					tenants[k].path);
	trace_path = label;
	/* every tenant's set-up checked, and the device probed, before anything runs */
	tenants_merge(-1);
	plan_gpus();
	plan_procs();
	probe_device();
	plan_free();
	signal(SIGPIPE, SIG_IGN);
	if (!quiet)
		fprintf(stderr, "%s: %d tenants, clock %s, chip %s, policy %s\n", prog, ntenants,
			virtual_clock ? "virtual" : "live", chip->name, runs[0].label);
	for (k = 0; k < ntenants; k++) {
		char what[64];

		snprintf(what, sizeof(what), "tenant %s alone", tenants[k].label);
		tenants_merge(k);
		rc |= tenants_replay_one(&alone, what);
		tenant_measure(&alone, k, 0);
		result_free(&alone);
		plan_free();
	}
	/* the shared replay last: the table, --csv, --log and --summary are its */
	tenants_merge(-1);
	results[0].rs = &runs[0];
	rc |= tenants_replay_one(&results[0], "all tenants together");
	for (k = 0; k < ntenants; k++)
		tenant_measure(&results[0], k, 1);
	print_table();
	tenants_report(stdout, false);
	if (csv_dir)
		write_csv();
	if (log_path)
		write_log();
	if (summary_path) {
		FILE *f;

		write_summary();
		f = strcmp(summary_path, "-") ? fopen(summary_path, "a") : stdout;
		if (!f)
			die(1, "%s: %s", summary_path, strerror(errno));
		tenants_report(f, true);
		if (f != stdout && fclose(f))
			die(1, "%s: %s", summary_path, strerror(errno));
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct run_spec *cur = NULL;
	const char *common[MAX_SETS];
	int ncommon = 0, i, k, rc = 0;
	char err[1024];

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "-q")) {
			quiet = true;
		} else if ((!strcmp(a, "--policy") || !strcmp(a, "--vs") || !strcmp(a, "--set") ||
			    !strcmp(a, "--csv") || !strcmp(a, "--log") || !strcmp(a, "--summary") ||
			    !strcmp(a, "-d") || !strcmp(a, "--tenant"))) {
			const char *v;

			if (i + 1 >= argc)
				die(2, "%s needs a value (see --help)", a);
			v = argv[++i];
			if (!strcmp(a, "--policy") || !strcmp(a, "--vs")) {
				cur = &runs[!strcmp(a, "--vs")];
				if (cur->policy || (cur == &runs[0] && runs[1].policy && false))
					die(2, "%s given twice", a);
				cur->policy = strcmp(v, "default") ? v : NULL;
				policy_pin_name(v, cur->label, sizeof(cur->label));
				if (!strcmp(a, "--vs"))
					nruns = 2;
			} else if (!strcmp(a, "--set")) {
				if (!strchr(v, '='))
					die(2, "--set %s: expected NAME=VALUE", v);
				if (cur) {
					if (cur->nsets == MAX_SETS)
						die(2, "too many --set");
					cur->sets[cur->nsets++] = v;
				} else {
					if (ncommon == MAX_SETS)
						die(2, "too many --set");
					common[ncommon++] = v;
				}
			} else if (!strcmp(a, "--csv")) {
				csv_dir = v;
			} else if (!strcmp(a, "--log")) {
				log_path = v;
			} else if (!strcmp(a, "--summary")) {
				summary_path = v;
			} else if (!strcmp(a, "--tenant")) {
				tenant_parse_spec(v);
			} else {
				device = v;
			}
		} else if (a[0] == '-' && a[1]) {
			die(2, "unknown option %s (see --help)", a);
		} else if (trace_path) {
			die(2, "one trace at a time (got %s and %s)", trace_path, a);
		} else {
			trace_path = a;
		}
	}
	if (ntenants && trace_path)
		die(2, "a TRACE or --tenant traces, not both (got %s)", trace_path);
	if (ntenants && nruns > 1)
		die(2, "--tenant replays under one policy (--policy), not --vs");
	if (!trace_path && !ntenants)
		die(2, "no trace given (see --help)");
	for (i = 0; i < nruns; i++) {
		if (!runs[i].label[0])
			snprintf(runs[i].label, sizeof(runs[i].label), "default");
		if (ncommon && !runs[i].policy)
			die(2, "--set before --policy/--vs applies to both, but replay %d has no policy", i + 1);
		for (k = 0; k < ncommon; k++) {
			if (runs[i].nsets == MAX_SETS)
				die(2, "too many --set");
			runs[i].sets[runs[i].nsets++] = common[k];
		}
		if (runs[i].nsets && !runs[i].policy)
			die(2, "--set needs a policy (the built-in default has no tunables)");
	}
	if (nruns == 2 && !strcmp(runs[0].label, runs[1].label)) {
		strcat(runs[0].label, "(A)");
		strcat(runs[1].label, "(B)");
	}
	if (ntenants)
		return tenants_main();
	if (nvgt_parse_file(trace_path, &trace, err, sizeof(err)))
		die(2, "%s", err);
	if (!trace.nclients)
		die(2, "%s: the trace has no clients", trace_path);
	plan_gpus();
	plan_procs();
	probe_device();
	mem_plan();
	signal(SIGPIPE, SIG_IGN);
	if (!quiet)
		fprintf(stderr, "%s: %s: %zu clients, %zu GPU jobs, clock %s, chip %s\n", prog,
			trace_path, trace.nclients, ngjobs, virtual_clock ? "virtual" : "live",
			chip->name);
	for (i = 0; i < nruns; i++) {
		results[i].rs = &runs[i];
		if (!quiet)
			fprintf(stderr, "%s: replay %d/%d under %s\n", prog, i + 1, nruns, runs[i].label);
		replay(&results[i]);
		if (!results[i].ok) {
			fprintf(stderr, "%s: replay under %s failed: %s\n", prog, runs[i].label,
				results[i].err);
			rc = 1;
		} else {
			size_t gi, lost = 0;

			for (gi = 0; gi < ngjobs; gi++)
				lost += results[i].jobs[gi].submitted && !results[i].jobs[gi].done;
			if (lost) {
				fprintf(stderr, "%s: replay under %s: %zu jobs did not complete\n", prog,
					runs[i].label, lost);
				rc = 1;
			}
		}
		if (!quiet)
			fprintf(stderr, "%s: replay %d/%d done: %.3f s of device time in %.2f s\n", prog,
				i + 1, nruns, (double)results[i].span / 1e9, results[i].wall_s);
	}
	print_table();
	for (i = 0; mem_stats && i < nruns; i++)
		mem_summary(stdout, i);
	if (csv_dir)
		write_csv();
	if (log_path)
		write_log();
	if (summary_path)
		write_summary();
	return rc;
}
