/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvgtrace.h - a strict reader of nvgtrace version 1 (traces/FORMAT.md):
 * JSON Lines, integers only, every record checked as the format says. A
 * bad file is rejected whole, with the line number and the key, in the
 * words of tools/nvgtrace_import.py's checker.
 *
 * Pure C with no dependency but zlib (for .jsonl.gz): the host unit test
 * (tests/unit/test_nvgtrace.c) links it as nvgreplay does.
 */
#ifndef _NVGTRACE_H_
#define _NVGTRACE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NVGT_VERSION	1
#define NVGT_MAX_HEADS	4
#define NVGT_MAX_GPUS	8
#define NVGT_NAME_MAX	32	/* 31 characters and the NUL */
#define NVGT_MAX_BUFS	8	/* managed buffers a client */
#define NVGT_MAX_RANGES	64	/* memory ranges a job */

enum nvgt_engine { NVGT_COMPUTE = 0, NVGT_COPY = 1 };
enum nvgt_prio { NVGT_PRIO_LOW = 0, NVGT_PRIO_NORMAL = 1, NVGT_PRIO_HIGH = 2 };
enum nvgt_dir { NVGT_H2D, NVGT_D2H, NVGT_D2D, NVGT_FILL };
enum nvgt_host_mem { NVGT_HOST_NONE, NVGT_HOST_PINNED, NVGT_HOST_PAGEABLE };
enum nvgt_sync { NVGT_SYNC_NONE, NVGT_SYNC_VSYNC, NVGT_SYNC_VRR };
enum nvgt_late { NVGT_LATE_RUN, NVGT_LATE_SKIP };
enum nvgt_monitor { NVGT_MON_DEFAULT = -1, NVGT_MON_QHD165, NVGT_MON_UHD60,
		    NVGT_MON_FHD60, NVGT_MON_OFF };

/* One piece of GPU work: a job's, or one of a frame's jobs. */
struct nvgt_work {
	enum nvgt_engine engine;
	bool has_cycles;	/* compute: @cycles given, else @cost_ns */
	int64_t cost_ns;
	int64_t cycles;
	int64_t clock_mhz;	/* the clock @cost_ns was measured at; 0: the trace's */
	int64_t bytes;		/* copy */
	enum nvgt_dir dir;	/* copy */
	enum nvgt_host_mem host_mem;
	int64_t recorded_ns;	/* copy, -1 if not given */
};

/* A range of a client's managed buffer that a job reads or writes. */
struct nvgt_range {
	int buf;		/* index into the client's bufs[] */
	bool write;		/* "write": FILL, else "read": CHECKSUM */
	int64_t offset, bytes;
};

/* A managed buffer of a client (DRM_NVGHOST_PLACEMENT_MANAGED). */
struct nvgt_buf {
	int32_t id;
	int64_t bytes;
};

struct nvgt_job {
	int32_t id;
	unsigned int line;	/* where it is in the file */
	int64_t t_ns;		/* arrival at an absolute time, or -1 */
	int64_t after_prev_ns;	/* think time after the previous job, or -1 */
	struct nvgt_work w;
	size_t *deps;		/* indices into the client's jobs[] */
	size_t ndeps;
	struct nvgt_range *mem;	/* "mem": ranges it touches, in order */
	size_t nmem;
};

struct nvgt_frame {
	int32_t id;
	unsigned int line;
	bool wait;
	int64_t cpu_ns;
	struct nvgt_work *jobs;
	size_t njobs;
};

struct nvgt_client {
	int32_t id;
	char name[NVGT_NAME_MAX];
	int64_t pid;		/* 0 if not given */
	enum nvgt_prio prio;
	enum nvgt_engine engine;
	int inflight;		/* 0: no limit */
	enum nvgt_late late;
	int gpu;		/* the GPU it runs on (the module's index; 0 if not given) */
	int head;		/* a game's head, or -1 */
	enum nvgt_sync sync;
	struct nvgt_buf bufs[NVGT_MAX_BUFS];	/* "managed" */
	int nbufs;
	struct nvgt_job *jobs;
	size_t njobs, cap_jobs;
	struct nvgt_frame *frames;
	size_t nframes, cap_frames;
	/* reader state */
	int32_t last_id;
	int64_t last_t;
};

struct nvgt_head {
	bool set;		/* listed in the header */
	enum nvgt_monitor monitor;
	int w, h, hz;		/* 0 where not given */
	int vrr_min, vrr_max;	/* 0 where not given */
};

struct nvgt_trace {
	char name[201];		/* "" if not given */
	int64_t duration_ns;	/* -1 if not given */
	int64_t clock_mhz;	/* 0 if not given */
	char chip[16];		/* "" if not given */
	int pstate;		/* -1 if not given */
	bool has_temp;
	int temp_c;
	int64_t uvm_vram_mb;	/* the managed-memory budget it needs, -1 if not given */
	struct nvgt_head heads[NVGT_MAX_HEADS];
	struct nvgt_client *clients;
	size_t nclients;
	unsigned int lines;
};

/*
 * Parse @len bytes at @buf (plain JSON Lines) into @t, naming the input
 * @name in errors. 0 on success; -1 with "NAME:LINE: what" in @err.
 */
int nvgt_parse_buf(const char *buf, size_t len, const char *name,
		   struct nvgt_trace *t, char *err, size_t errlen);
/* The same for a file, gzipped or not (recognised by its magic bytes). */
int nvgt_parse_file(const char *path, struct nvgt_trace *t, char *err, size_t errlen);
void nvgt_free(struct nvgt_trace *t);

const char *nvgt_engine_name(enum nvgt_engine e);
const char *nvgt_prio_name(enum nvgt_prio p);
const char *nvgt_dir_name(enum nvgt_dir d);
const char *nvgt_monitor_name(enum nvgt_monitor m);

#endif /* _NVGTRACE_H_ */
