// SPDX-License-Identifier: GPL-2.0
/*
 * nvgtrace - record what clients ask of an nvghost GPU into an nvgtrace v1
 * workload trace (traces/FORMAT.md), and check traces.
 *
 *   nvgtrace record [-o FILE] [-g GPU] [--seconds N] [-q] [-- COMMAND...]
 *   nvgtrace check FILE...
 *
 * record reads four of the driver's tracepoints through a tracefs instance
 * of its own (kmod/nvghost_trace.h): nvghost_job_submit (per submitted
 * job: its channel and context, the context's pid, comm and priority, the
 * device time it was submitted at, its modelled cost -- engine cycles of
 * its BUSY methods, bytes of its copies and fills -- its finished fence and
 * the fences it waits on), nvghost_job_signal (the job completed, at
 * device time), nvghost_frame_wait and nvghost_present (a client's frame
 * start and its flip on a head). From them it writes:
 *  - per process (pid) and engine channel, a client: the process's first
 *    compute channel with its first copy channel is one client, the second
 *    of each the next, and so on (the format gives a client one channel per
 *    engine); named after the comm, with the pid and the priority;
 *  - per job, its arrival (t_ns: submission time since the first event
 *    recorded), "cycles" for compute jobs, "bytes" for copies (dir "d2d":
 *    the pushbuffer does not say where memory lives) or fills (dir
 *    "fill"), and as "deps" the earlier jobs of the same client whose
 *    fences it waited on;
 *  - a process that presented on a head becomes a game: its compute jobs
 *    between two presents are a frame (with "wait" if it called
 *    FRAME_WAIT first, and as cpu_ns the time from the frame's start -- the
 *    wait, or the previous present -- to its first submission); presents
 *    before its first job are its set-up (the mode set), not frames.
 * The file is read back with the format's strict reader before recording
 * reports success.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "nvgtrace.h"

static const char *prog = "nvgtrace";
#include "util.h"

static const char usage[] =
"nvgtrace - record and check nvgtrace workload traces (traces/FORMAT.md)\n"
"\n"
"Usage: nvgtrace record [-o FILE] [-g GPU] [--seconds N] [-q] [-- COMMAND...]\n"
"       nvgtrace check FILE...\n"
"\n"
"record: what clients ask of nvghost GPU GPU (default 0) -- jobs, their\n"
"  cost, arrival and dependencies, games' frames -- from the driver's\n"
"  tracepoints, while COMMAND runs, for N seconds, or until interrupted\n"
"  (Ctrl-C), into FILE (default nvgtrace.jsonl; '-' for stdout). Needs root\n"
"  (tracefs) and the nvghost module loaded.\n"
"  -q  no progress lines on stderr\n"
"check: read each FILE with the strict reader nvgreplay uses; print its\n"
"  clients and jobs.\n"
"\n"
"Exit status: 0 done, 1 a recording or check failed, 2 bad usage.\n";

static bool quiet;

/* ---- what was recorded ---- */

#define MAX_DEPS	16

struct rjob {
	int chan;		/* index into chans */
	uint64_t t, done_t;
	uint64_t cycles, bytes, fills;
	uint64_t fctx, fseq;
	uint64_t deps[2 * MAX_DEPS];
	int ndeps;
	bool done;
	int error;
	int client;		/* assigned at the end */
	int32_t id;
};

struct rchan {
	uint64_t ctx;
	int pid;
	unsigned int prio, engine, chan;
	char comm[16];
	int client;
};

struct rframe_ev {
	int pid;
	unsigned int head;
	uint64_t t, advised;
	bool present, vrr;
};

static struct rjob *jobs;
static size_t njobs, cap_jobs;
static struct rchan *chans;
static size_t nchans;
static struct rframe_ev *fevs;
static size_t nfevs, cap_fevs;
static unsigned int gpu;
static uint64_t t_first = UINT64_MAX;
static size_t unmatched_deps, cross_client_deps, other_gpu_events;

/* fence (context, seqno) -> job index + 1, open addressing */
static size_t *fmap;
static size_t fmap_cap;

static size_t fhash(uint64_t c, uint64_t s)
{
	uint64_t h = c * 0x9e3779b97f4a7c15ULL ^ (s + 0x632be59bd9b4e019ULL) * 0xbf58476d1ce4e5b9ULL;

	return (size_t)(h ^ h >> 31);
}

static void fmap_put(size_t j);

static void fmap_grow(void)
{
	size_t *old = fmap, ocap = fmap_cap, i;

	fmap_cap = fmap_cap ? fmap_cap * 2 : 4096;
	fmap = calloc(fmap_cap, sizeof(*fmap));
	if (!fmap)
		die(1, "out of memory");
	for (i = 0; i < ocap; i++)
		if (old[i])
			fmap_put(old[i] - 1);
	free(old);
}

static void fmap_put(size_t j)
{
	size_t i;

	if ((njobs + 1) * 2 > fmap_cap)
		fmap_grow();
	for (i = fhash(jobs[j].fctx, jobs[j].fseq) & (fmap_cap - 1); fmap[i];
	     i = (i + 1) & (fmap_cap - 1))
		;
	fmap[i] = j + 1;
}

static long fmap_get(uint64_t c, uint64_t s)
{
	size_t i;

	if (!fmap_cap)
		return -1;
	for (i = fhash(c, s) & (fmap_cap - 1); fmap[i]; i = (i + 1) & (fmap_cap - 1))
		if (jobs[fmap[i] - 1].fctx == c && jobs[fmap[i] - 1].fseq == s)
			return (long)(fmap[i] - 1);
	return -1;
}

static int chan_get(uint64_t ctx, int pid, unsigned int prio, unsigned int engine,
		    unsigned int chan, const char *comm)
{
	size_t i;

	for (i = nchans; i > 0; i--)
		if (chans[i - 1].ctx == ctx && chans[i - 1].chan == chan)
			return (int)(i - 1);
	chans = realloc(chans, (nchans + 1) * sizeof(*chans));
	if (!chans)
		die(1, "out of memory");
	memset(&chans[nchans], 0, sizeof(chans[0]));
	chans[nchans].ctx = ctx;
	chans[nchans].pid = pid;
	chans[nchans].prio = prio;
	chans[nchans].engine = engine;
	chans[nchans].chan = chan;
	snprintf(chans[nchans].comm, sizeof(chans[nchans].comm), "%s", comm);
	return (int)nchans++;
}

static void note_t(uint64_t t)
{
	if (t < t_first)
		t_first = t;
}

/* One line of the instance's trace_pipe. */
static void parse_line(char *line)
{
	char *ev = strstr(line, ": nvghost_"), *p;
	unsigned int dev, chan, engine, prio, head;
	unsigned long long ctx, t, cyc, bytes, fills, fc, fs, adv;
	int pid, n = 0, err, vrr;

	if (!ev)
		return;
	ev += 2;
	if (!strncmp(ev, "nvghost_job_submit: ", 20)) {
		struct rjob *j;
		char *d, *c;

		if (sscanf(ev + 20, "gpu%u channel %u engine %u ctx %llu pid %d prio %u at %llu "
			   "cycles %llu bytes %llu fills %llu fence %llu:%llu deps %n",
			   &dev, &chan, &engine, &ctx, &pid, &prio, &t, &cyc, &bytes, &fills, &fc,
			   &fs, &n) < 12 || !n)
			return;
		if (dev != gpu) {
			other_gpu_events++;
			return;
		}
		d = ev + 20 + n;
		c = strstr(d, " comm ");
		if (!c)
			return;
		*c = '\0';
		c += 6;
		c[strcspn(c, "\n")] = '\0';
		if (njobs == cap_jobs) {
			cap_jobs = cap_jobs ? cap_jobs * 2 : 4096;
			jobs = realloc(jobs, cap_jobs * sizeof(*jobs));
			if (!jobs)
				die(1, "out of memory");
		}
		j = &jobs[njobs];
		memset(j, 0, sizeof(*j));
		j->chan = chan_get(ctx, pid, prio, engine, chan, c);
		j->t = t;
		j->cycles = cyc;
		j->bytes = bytes;
		j->fills = fills;
		j->fctx = fc;
		j->fseq = fs;
		/* "{0x..,0x..,...}": context, seqno pairs */
		for (p = d; *p && j->ndeps < 2 * MAX_DEPS;) {
			char *end;
			unsigned long long v;

			while (*p && *p != 'x')
				p++;
			if (!*p)
				break;
			v = strtoull(p + 1, &end, 16);
			j->deps[j->ndeps++] = v;
			p = end;
		}
		j->ndeps /= 2;
		note_t(t);
		fmap_put(njobs);
		njobs++;
	} else if (!strncmp(ev, "nvghost_job_signal: ", 20)) {
		long k;

		if (sscanf(ev + 20, "gpu%u fence %llu:%llu at %llu error %d", &dev, &fc, &fs, &t,
			   &err) != 5 || dev != gpu)
			return;
		k = fmap_get(fc, fs);
		if (k < 0)
			return;		/* submitted before the recording began */
		jobs[k].done = true;
		jobs[k].done_t = t;
		jobs[k].error = err;
	} else if (!strncmp(ev, "nvghost_frame_wait: ", 20) ||
		   !strncmp(ev, "nvghost_present: ", 17)) {
		bool present = ev[8] == 'p';
		struct rframe_ev *f;

		adv = 0;
		vrr = 0;
		if (present ? sscanf(ev + 17, "gpu%u head %u pid %d at %llu vrr %d", &dev, &head,
				     &pid, &t, &vrr) != 5 :
			      sscanf(ev + 20, "gpu%u head %u pid %d at %llu advised %llu", &dev, &head,
				     &pid, &t, &adv) != 5)
			return;
		if (dev != gpu) {
			other_gpu_events++;
			return;
		}
		if (nfevs == cap_fevs) {
			cap_fevs = cap_fevs ? cap_fevs * 2 : 256;
			fevs = realloc(fevs, cap_fevs * sizeof(*fevs));
			if (!fevs)
				die(1, "out of memory");
		}
		f = &fevs[nfevs++];
		f->pid = pid;
		f->head = head;
		f->t = t;
		f->advised = adv;
		f->present = present;
		f->vrr = vrr;
		note_t(t);
	}
}

/* ---- tracefs ---- */

static const char *const events[] = { "nvghost_job_submit", "nvghost_job_signal",
				       "nvghost_frame_wait", "nvghost_present" };
static char inst[300];

static void inst_remove(void)
{
	char path[400];
	size_t i;

	if (!inst[0])
		return;
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/nvghost/%s/enable", inst, events[i]);
		write_file(path, "0");
	}
	rmdir(inst);
	inst[0] = '\0';
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The instance, its events on; returns its trace_pipe. Dies with the reason. */
static int inst_create(void)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	const char *root = NULL;
	char path[400];
	size_t i;
	int fd;

	if (access("/sys/module/nvghost", F_OK))
		die(1, "the nvghost module is not loaded (modprobe nvghost)");
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events/nvghost", roots[i]);
		if (!access(path, F_OK)) {
			root = roots[i];
			break;
		}
	}
	if (!root) {
		if (geteuid())
			die(1, "recording needs root: it reads the driver's tracepoints through tracefs "
			    "(/sys/kernel/tracing); run it as root");
		die(1, "no tracefs with nvghost's events (mount -t tracefs nodev /sys/kernel/tracing)");
	}
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/nvghost/%s", root, events[i]);
		if (access(path, F_OK))
			die(1, "the loaded nvghost module has no %s tracepoint: it is older than "
			    "nvgtrace record (load the module built with this nvgtrace)", events[i]);
	}
	snprintf(inst, sizeof(inst), "%s/instances/nvgtrace.%d", root, (int)getpid());
	if (mkdir(inst, 0700)) {
		int e = errno;

		inst[0] = '\0';
		die(1, "cannot create a tracefs instance (%s/instances): %s%s", root, strerror(e),
		    e == EACCES || e == EPERM ? " (recording needs root)" : "");
	}
	atexit(inst_remove);
	snprintf(path, sizeof(path), "%s/buffer_size_kb", inst);
	write_file(path, "32768");
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/nvghost/%s/enable", inst, events[i]);
		if (write_file(path, "1"))
			die(1, "%s: cannot enable: %s", path, strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/trace_pipe", inst);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		die(1, "%s: %s", path, strerror(errno));
	return fd;
}

static bool inst_overrun(void)
{
	char path[400], buf[1024];
	bool lost = false;
	int cpu;

	for (cpu = 0; cpu < 4096; cpu++) {
		ssize_t n;
		char *o;
		int fd;

		snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/stats", inst, cpu);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			break;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		o = strstr(buf, "overrun: ");
		if (o && strtoull(o + 9, NULL, 10))
			lost = true;
		o = strstr(buf, "dropped events: ");
		if (o && strtoull(o + 16, NULL, 10))
			lost = true;
	}
	return lost;
}

/* Read what is there; returns bytes read. */
static size_t pump(int fd, char *buf, size_t cap, size_t *fill)
{
	size_t total = 0;

	for (;;) {
		ssize_t n = read(fd, buf + *fill, cap - 1 - *fill);
		char *s, *nl;

		if (n <= 0)
			break;
		total += (size_t)n;
		*fill += (size_t)n;
		buf[*fill] = '\0';
		for (s = buf; (nl = strchr(s, '\n')); s = nl + 1) {
			*nl = '\0';
			parse_line(s);
		}
		*fill = strlen(s);
		memmove(buf, s, *fill + 1);
	}
	return total;
}

static size_t in_flight(void)
{
	size_t i, n = 0;

	for (i = 0; i < njobs; i++)
		n += !jobs[i].done;
	return n;
}

/* ---- writing the trace ---- */

struct rclient {
	int pid;
	int compute, copy;	/* channel indices, -1 */
	unsigned int prio;
	char name[NVGT_NAME_MAX];
	int head;		/* a game's, or -1 */
	bool vrr;
	int32_t next_id;
};

static void name_clean(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++)
		dst[i] = (src[i] >= 'a' && src[i] <= 'z') || (src[i] >= 'A' && src[i] <= 'Z') ||
			 (src[i] >= '0' && src[i] <= '9') || src[i] == '_' || src[i] == '-' ||
			 src[i] == '.' ? src[i] : '_';
	dst[i] = '\0';
	if (!i)
		snprintf(dst, len, "client");
}

static const char *prio_word(unsigned int p)
{
	return p == 0 ? "low" : p == 2 ? "high" : "normal";
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void work_keys(FILE *f, const struct rjob *j, unsigned int cl_engine, bool frame)
{
	unsigned int e = chans[j->chan].engine ? 1 : 0;

	if (frame ? e != 0 : e != cl_engine)
		fprintf(f, ", \"engine\": \"%s\"", e ? "copy" : "compute");
	if (!e)
		fprintf(f, ", \"cycles\": %" PRIu64, j->cycles);
	else if (j->fills && !j->bytes)
		fprintf(f, ", \"bytes\": %" PRIu64 ", \"dir\": \"fill\"", j->fills);
	else
		fprintf(f, ", \"bytes\": %" PRIu64 ", \"dir\": \"d2d\"", j->bytes + j->fills);
}

static char *write_trace(const char *cmdline, size_t *len, size_t *nclients_out)
{
	struct rclient *cl = calloc(nchans + 1, sizeof(*cl));
	size_t ncl = 0, i, k, f;
	char *buf = NULL;
	FILE *o = open_memstream(&buf, len);

	if (!cl || !o)
		die(1, "out of memory");
	/* clients: per pid in order of first appearance, compute/copy channels paired */
	for (i = 0; i < nchans; i++) {
		struct rchan *c = &chans[i];
		bool copy = c->engine != 0;

		for (k = 0; k < ncl; k++)
			if (cl[k].pid == c->pid && (copy ? cl[k].copy : cl[k].compute) < 0)
				break;
		if (k == ncl) {
			/* after this pid's last client: same-pid clients stay next to each other */
			size_t at = ncl, m;

			for (m = 0; m < ncl; m++)
				if (cl[m].pid == c->pid)
					at = m + 1;
			memmove(&cl[at + 1], &cl[at], (ncl - at) * sizeof(*cl));
			memset(&cl[at], 0, sizeof(*cl));
			cl[at].pid = c->pid;
			cl[at].compute = cl[at].copy = -1;
			cl[at].prio = c->prio;
			cl[at].head = -1;
			k = at;
			ncl++;
		}
		if (copy)
			cl[k].copy = (int)i;
		else
			cl[k].compute = (int)i;
	}
	for (k = 0; k < ncl; k++) {
		char base[NVGT_NAME_MAX];
		int dup = 1;
		size_t m;

		name_clean(base, 24, chans[cl[k].compute >= 0 ? cl[k].compute : cl[k].copy].comm);
		snprintf(cl[k].name, sizeof(cl[k].name), "%s", base);
		for (;;) {
			for (m = 0; m < k; m++)
				if (!strcmp(cl[m].name, cl[k].name))
					break;
			if (m == k)
				break;
			snprintf(cl[k].name, sizeof(cl[k].name), "%s-%d", base, ++dup);
		}
		if (cl[k].compute >= 0)
			chans[cl[k].compute].client = (int)k;
		if (cl[k].copy >= 0)
			chans[cl[k].copy].client = (int)k;
		/* a process's first client presents, if the process did */
		for (f = 0; f < nfevs; f++)
			if (fevs[f].present && fevs[f].pid == cl[k].pid && cl[k].compute >= 0) {
				for (m = 0; m < k; m++)
					if (cl[m].pid == cl[k].pid && cl[m].head >= 0)
						break;
				if (m < k)
					break;
				for (m = 0; m < k; m++)
					if (cl[m].head == (int)fevs[f].head)
						break;
				if (m < k)
					break;
				cl[k].head = (int)fevs[f].head;
				cl[k].vrr = fevs[f].vrr;
				break;
			}
	}
	fprintf(o, "{\"nvgtrace\": 1, \"name\": \"recorded\", \"source\": {\"format\": \"nvgtrace-record\", "
		"\"gpu\": %u, \"command\": ", gpu);
	json_str(o, cmdline);
	fprintf(o, ", \"jobs\": %zu, \"unmatched_deps\": %zu, \"cross_client_deps\": %zu}}\n", njobs,
		unmatched_deps, cross_client_deps);
	for (k = 0; k < ncl; k++) {
		fprintf(o, "{\"type\": \"client\", \"id\": %zu, \"name\": \"%s\", \"pid\": %d, \"prio\": \"%s\", "
			"\"engine\": \"%s\"", k + 1, cl[k].name, cl[k].pid, prio_word(cl[k].prio),
			cl[k].compute >= 0 || cl[k].head >= 0 ? "compute" : "copy");
		if (cl[k].head >= 0)
			fprintf(o, ", \"head\": %d, \"sync\": \"%s\"", cl[k].head,
				cl[k].vrr ? "vrr" : "vsync");
		fprintf(o, "}\n");
	}
	/* jobs of non-games, in submission order */
	for (i = 0; i < njobs; i++) {
		struct rjob *j = &jobs[i];
		struct rclient *c = &cl[chans[j->chan].client];
		int d, nd = 0;

		j->client = chans[j->chan].client;
		if (c->head >= 0)
			continue;
		j->id = ++c->next_id;
		fprintf(o, "{\"type\": \"job\", \"client\": %d, \"id\": %d, \"t_ns\": %" PRIu64,
			j->client + 1, j->id, j->t - t_first);
		work_keys(o, j, c->compute >= 0 ? 0 : 1, false);
		for (d = 0; d < j->ndeps; d++) {
			long p = fmap_get(j->deps[2 * d], j->deps[2 * d + 1]);

			if (p < 0 || (size_t)p >= i) {
				unmatched_deps++;
				continue;
			}
			if (jobs[p].client != j->client || !jobs[p].id) {
				cross_client_deps++;
				continue;
			}
			fprintf(o, "%s%d", nd++ ? ", " : ", \"deps\": [", jobs[p].id);
		}
		fprintf(o, "%s}\n", nd ? "]" : "");
	}
	/* games: a frame is the jobs between two presents */
	for (k = 0; k < ncl; k++) {
		uint64_t start = t_first, prev_present = t_first;
		size_t ji = 0, fi = 0;
		int32_t fid = 0;

		if (cl[k].head < 0)
			continue;
		/*
		 * Presents before the process's first job are its set-up (the
		 * mode set's commit), not frames: the first frame starts at the
		 * last of them.
		 */
		for (i = 0; i < njobs && chans[jobs[i].chan].client != (int)k; i++)
			;
		for (; fi < nfevs; fi++) {
			struct rframe_ev *e = &fevs[fi];

			if (e->pid != cl[k].pid || e->head != (unsigned int)cl[k].head)
				continue;
			if (i < njobs && e->t >= jobs[i].t)
				break;
			if (e->present)
				prev_present = e->t;
		}
		for (;;) {
			bool wait = false, any = false;
			uint64_t wait_t = 0, first = 0, present = 0;
			size_t first_job = 0, end_job;

			/* the next present of this process on its head */
			for (; fi < nfevs; fi++) {
				struct rframe_ev *e = &fevs[fi];

				if (e->pid != cl[k].pid || e->head != (unsigned int)cl[k].head)
					continue;
				if (!e->present) {
					wait = true;
					wait_t = e->t;
					continue;
				}
				present = e->t;
				fi++;
				break;
			}
			if (!present)
				break;
			for (end_job = ji; end_job < njobs && jobs[end_job].t <= present; end_job++)
				if (chans[jobs[end_job].chan].client == (int)k) {
					if (!any)
						first_job = end_job;
					any = true;
				}
			start = wait ? wait_t : prev_present;
			first = any ? jobs[first_job].t : present;
			fprintf(o, "{\"type\": \"frame\", \"client\": %zu, \"id\": %d%s, \"cpu_ns\": %" PRIu64
				", \"jobs\": [", k + 1, ++fid, wait ? ", \"wait\": true" : "",
				first > start ? first - start : 0);
			for (i = ji, any = false; i < end_job; i++) {
				if (chans[jobs[i].chan].client != (int)k)
					continue;
				fprintf(o, "%s{", any ? ", " : "");
				any = true;
				{
					char tmp[128];
					FILE *t = fmemopen(tmp, sizeof(tmp), "w");

					work_keys(t, &jobs[i], 0, true);
					fclose(t);
					fputs(tmp + 2, o);	/* without the leading ", " */
				}
				fputc('}', o);
			}
			fprintf(o, "]}\n");
			ji = end_job;
			prev_present = present;
		}
		(void)start;
	}
	fclose(o);
	free(cl);
	*nclients_out = ncl;
	return buf;
}

/* ---- commands ---- */

static int cmd_record(int argc, char **argv)
{
	const char *out = "nvgtrace.jsonl";
	char cmdline[1024] = "", *rbuf, *text, err[1024];
	size_t fill = 0, len, ncl, i, off = 0;
	double seconds = 0;
	uint64_t t0, last_report, last_data;
	struct nvgt_trace check;
	pid_t child = 0;
	int fd, status = 0, a;
	bool child_done = false;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--")) {
			a++;
			break;
		} else if (!strcmp(argv[a], "-o") && a + 1 < argc) {
			out = argv[++a];
		} else if (!strcmp(argv[a], "-g") && a + 1 < argc) {
			gpu = (unsigned int)strtoul(argv[++a], NULL, 10);
		} else if (!strcmp(argv[a], "--seconds") && a + 1 < argc) {
			char *end;

			seconds = strtod(argv[++a], &end);
			if (*end || seconds <= 0)
				die(2, "--seconds %s: expected a positive number", argv[a]);
		} else if (!strcmp(argv[a], "-q")) {
			quiet = true;
		} else if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else {
			die(2, "record: unknown argument %s (see --help)", argv[a]);
		}
	}
	for (i = (size_t)a; i < (size_t)argc && off < sizeof(cmdline); i++)
		off += (size_t)snprintf(cmdline + off, sizeof(cmdline) - off, "%s%s",
					i > (size_t)a ? " " : "", argv[i]);
	fd = inst_create();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rbuf = malloc(1 << 20);
	if (!rbuf)
		die(1, "out of memory");
	t0 = mono_ns();
	last_report = last_data = t0;
	if (a < argc) {
		fflush(NULL);
		child = fork();
		if (child < 0)
			die(1, "fork: %s", strerror(errno));
		if (!child) {
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			execvp(argv[a], argv + a);
			fprintf(stderr, "%s: cannot run %s: %s\n", prog, argv[a], strerror(errno));
			_exit(127);
		}
	}
	if (!quiet)
		fprintf(stderr, "%s: recording gpu%u%s%s%s\n", prog, gpu,
			child ? " while running: " : seconds > 0 ? " for a while" : " until interrupted (Ctrl-C)",
			child ? cmdline : "", "");
	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		uint64_t now;

		poll(&pf, 1, 100);
		if (pump(fd, rbuf, 1 << 20, &fill))
			last_data = mono_ns();
		now = mono_ns();
		if (child && !child_done && waitpid(child, &status, WNOHANG) == child)
			child_done = true;
		if (!quiet && now - last_report >= 1000000000ULL) {
			last_report = now;
			fprintf(stderr, "%s: %.0f s: %zu jobs (%zu in flight), %zu channels\n", prog,
				(double)(now - t0) / 1e9, njobs, in_flight(), nchans);
		}
		if (stop || child_done || (seconds > 0 && now - t0 >= (uint64_t)(seconds * 1e9)))
			break;
	}
	/* the last jobs' completions: until all signalled, or 2 s without events */
	while (in_flight() && mono_ns() - last_data < 2000000000ULL) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };

		poll(&pf, 1, 100);
		if (pump(fd, rbuf, 1 << 20, &fill))
			last_data = mono_ns();
	}
	usleep(100000);
	pump(fd, rbuf, 1 << 20, &fill);
	close(fd);
	if (inst_overrun()) {
		inst_remove();
		die(1, "events were lost (the trace buffer overran): the trace would miss jobs; "
		    "record a shorter run");
	}
	inst_remove();
	if (child && !child_done) {
		kill(child, SIGTERM);
		waitpid(child, &status, 0);
	}
	if (in_flight())
		fprintf(stderr, "%s: note: %zu jobs had not completed when the recording ended\n", prog,
			in_flight());
	text = write_trace(cmdline[0] ? cmdline : "", &len, &ncl);
	if (nvgt_parse_buf(text, len, out, &check, err, sizeof(err)))
		die(1, "the recorded trace does not read back (a bug): %s", err);
	nvgt_free(&check);
	if (strcmp(out, "-")) {
		FILE *f = fopen(out, "w");

		if (!f || fwrite(text, 1, len, f) != len || fclose(f))
			die(1, "%s: %s", out, strerror(errno));
	} else {
		fwrite(text, 1, len, stdout);
		fflush(stdout);
	}
	if (!quiet)
		fprintf(stderr, "%s: wrote %s: %zu clients, %zu jobs%s (%zu dependencies on other "
			"clients' jobs not kept, %zu on jobs before the recording)\n", prog,
			strcmp(out, "-") ? out : "stdout", ncl, njobs,
			other_gpu_events ? ", other GPUs' events left out" : "",
			cross_client_deps, unmatched_deps);
	free(text);
	free(rbuf);
	if (child && WIFEXITED(status) && WEXITSTATUS(status)) {
		fprintf(stderr, "%s: %s exited with status %d\n", prog, cmdline, WEXITSTATUS(status));
		return 1;
	}
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	char err[1024];
	int i, rc = 0;

	if (argc < 2)
		die(2, "check: no file given");
	for (i = 1; i < argc; i++) {
		struct nvgt_trace t;
		size_t c, nj = 0, nf = 0;

		if (nvgt_parse_file(argv[i], &t, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", prog, err);
			rc = 1;
			continue;
		}
		for (c = 0; c < t.nclients; c++) {
			nj += t.clients[c].njobs;
			nf += t.clients[c].nframes;
		}
		printf("%s: ok: %zu clients, %zu jobs, %zu frames\n", argv[i], t.nclients, nj, nf);
		for (c = 0; c < t.nclients; c++)
			printf("  client %s: pid %" PRId64 ", %s, %zu jobs, %zu frames\n",
			       t.clients[c].name, t.clients[c].pid, nvgt_prio_name(t.clients[c].prio),
			       t.clients[c].njobs, t.clients[c].nframes);
		nvgt_free(&t);
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die(2, "no command (record or check; see --help)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "record"))
		return cmd_record(argc - 1, argv + 1);
	if (!strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1);
	die(2, "unknown command %s (record or check; see --help)", argv[1]);
	return 2;
}
