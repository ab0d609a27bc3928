// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_fuzz - a bounded, seeded random-ioctl run with concurrent closes
 * and kills, in the VM.
 *
 *   ioctl_fuzz RENDER CARD [SEED [OPS [WORKERS [SECONDS]]]]
 *
 * WORKERS processes (default 4) each run two threads issuing random
 * nvghost and core DRM ioctls on a few shared DRM files (render and card
 * nodes): GEM create/info/close/mmap, VM_BIND map/unmap of random ranges,
 * CTX create/destroy, SUBMIT of small pushbuffers (mostly valid compute,
 * copy and semaphore work, then randomly mutated: bits flipped, dwords
 * replaced, lengths and addresses off), syncobj create/destroy/wait/
 * signal/reset/query/export/import, sync files in and out, FRAME_WAIT,
 * PRIME export/import and dma-buf mmap, GET_PARAM, CLOCK, the core
 * VERSION/GET_CAP/SET_CLIENT_CAP/GEM_FLINK/GEM_OPEN, and raw ioctls with
 * random arguments. A third thread of each worker closes a file at random
 * (while the others may be inside an ioctl on it, or about to use it),
 * unmaps its buffers and opens a new one. The parent SIGKILLs a random
 * worker now and then and starts a new one (with the next seed), until
 * OPS operations in all (default 20000) or SECONDS (default 30, a bound
 * for slow hosts: the run then says how far it got) have passed. With
 * OPS 0 only the fresh client's check runs.
 *
 * Every random choice comes from SEED (printed; default: the time), so a
 * run is repeated with the same SEED; the threads' interleaving is not.
 * Errors of the fuzzed ioctls are expected and counted, not checked.
 *
 * Then it checks: every worker is reaped within 30 s of its SIGKILL
 * (none hangs in the kernel), and a fresh client runs a compute job whose
 * checksum is right. tests/vm/selftests/33-ioctl-fuzz.sh checks the rest:
 * no process in D state, rmmod and modprobe, and a clean dmesg.
 *
 * Prints "PASS: name" or "FAIL: name: why" per check; exits with the
 * number of failures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
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

#include "nvghost_pb.h"
#include "nvghost_drm.h"
#include "check.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

typedef unsigned char u8;

#define MAX_WORKERS	16
#define NSLOTS		4	/* DRM files per worker */
#define NHANDLES	32	/* remembered GEM handles, syncobjs, fds */
#define NMAPS		4	/* CPU mappings a thread keeps */
#define IOCTL_THREADS	2

/* Each file's own buffers, at fixed GPU addresses; random binds go below. */
#define PB_VA		0x48000000ULL
#define PB_SIZE		65536
#define DATA_VA		0x40000000ULL
#define DATA_SIZE	65536
#define RAND_VA_PAGES	16384	/* random binds: [VA_START, + 64 MiB) */

/* ---- the operations, for the counts printed at the end ---- */

enum op {
	OP_GEM_CREATE, OP_GEM_CLOSE, OP_GEM_MMAP, OP_MUNMAP, OP_BIND_MAP, OP_BIND_UNMAP,
	OP_CTX_CREATE, OP_CTX_DESTROY, OP_SUBMIT, OP_SYNCOBJ, OP_SYNC_FILE, OP_FRAME_WAIT,
	OP_PRIME, OP_GET_PARAM, OP_CLOCK, OP_CORE, OP_RAW, OP_CLOSE_FD, NR_OPS,
};

static const char *const op_names[NR_OPS] = {
	"gem_create", "gem_close", "gem_mmap", "munmap", "bind_map", "bind_unmap",
	"ctx_create", "ctx_destroy", "submit", "syncobj", "sync_file", "frame_wait",
	"prime", "get_param", "clock", "core", "raw", "close_fd",
};

/* Shared by every process (MAP_SHARED): the budget and the counts. */
struct shared {
	unsigned long ops;		/* operations begun */
	unsigned long limit;		/* stop at this many */
	int stop;			/* the parent says: stop now */
	unsigned long count[NR_OPS];	/* tries */
	unsigned long ok[NR_OPS];	/* that returned 0 */
	unsigned long submitted_valid;	/* unmutated submissions accepted */
};

static struct shared *sh;
static const char *render_path, *card_path;
static u32 compute_class, copy_class;

/* ---- seeded random numbers (splitmix64) ---- */

struct rng {
	u64 s;
};

static u64 rnd(struct rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static u32 rn(struct rng *r, u32 n)
{
	return (u32)(rnd(r) % n);
}

/* True one time in @n. */
static bool one_in(struct rng *r, u32 n)
{
	return rn(r, n) == 0;
}

/* ---- a worker's files ---- */

struct slot {
	pthread_rwlock_t lock;	/* write: the closer replaces the file */
	int fd;
	u32 pb_handle, data_handle;
	u32 *pb;		/* CPU mapping of the pushbuffer object */
	u32 ctx[2];		/* compute, copy channel */
};

struct worker {
	struct slot slot[NSLOTS];
	/* Numbers seen, shared by the threads unlocked: reuse is the point. */
	u32 handles[NHANDLES];
	u32 syncobjs[NHANDLES];
	int fds[NHANDLES];	/* sync files, syncobj fds, dma-bufs */
	u32 ctxs[NHANDLES];
	u64 seed;
};

static struct worker W;

static void count(enum op op, int ret)
{
	__atomic_fetch_add(&sh->count[op], 1, __ATOMIC_RELAXED);
	if (!ret)
		__atomic_fetch_add(&sh->ok[op], 1, __ATOMIC_RELAXED);
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	return drmIoctl(fd, req, arg) ? -errno : 0;
}

static u64 mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (u64)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* Open a file and give it its buffers and channels; the slot's lock is held. */
static void slot_open(struct slot *s, struct rng *r)
{
	struct drm_nvghost_gem_create c = { .size = PB_SIZE,
					    .placement = DRM_NVGHOST_PLACEMENT_SYSTEM };
	struct drm_nvghost_gem_info info = {};
	struct drm_nvghost_vm_bind b = { .op = DRM_NVGHOST_VM_BIND_MAP };
	struct drm_nvghost_ctx_create cc = { .priority = DRM_NVGHOST_PRIORITY_NORMAL };
	void *p;

	s->fd = open(one_in(r, 4) ? card_path : render_path, O_RDWR | O_CLOEXEC);
	s->pb = NULL;
	s->pb_handle = s->data_handle = 0;
	s->ctx[0] = s->ctx[1] = 0;
	if (s->fd < 0)
		return;
	if (!xioctl(s->fd, DRM_IOCTL_NVGHOST_GEM_CREATE, &c)) {
		s->pb_handle = c.handle;
		info.handle = c.handle;
		if (!xioctl(s->fd, DRM_IOCTL_NVGHOST_GEM_INFO, &info)) {
			p = mmap(NULL, PB_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd,
				 info.mmap_offset);
			if (p != MAP_FAILED)
				s->pb = p;
		}
		b.handle = c.handle;
		b.va = PB_VA;
		b.range = PB_SIZE;
		xioctl(s->fd, DRM_IOCTL_NVGHOST_VM_BIND, &b);
	}
	c = (struct drm_nvghost_gem_create){ .size = DATA_SIZE,
					     .placement = rn(r, 2) };
	if (!xioctl(s->fd, DRM_IOCTL_NVGHOST_GEM_CREATE, &c)) {
		s->data_handle = c.handle;
		b.handle = c.handle;
		b.va = DATA_VA;
		b.range = DATA_SIZE;
		xioctl(s->fd, DRM_IOCTL_NVGHOST_VM_BIND, &b);
	}
	cc.engine_class = DRM_NVGHOST_ENGINE_COMPUTE;
	if (!xioctl(s->fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &cc))
		s->ctx[0] = cc.ctx_id;
	cc.engine_class = DRM_NVGHOST_ENGINE_COPY;
	cc.ctx_id = 0;
	if (!xioctl(s->fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &cc))
		s->ctx[1] = cc.ctx_id;
}

/* Close the file (its jobs may still run) and unmap its pushbuffer. */
static void slot_close(struct slot *s)
{
	if (s->pb)
		munmap(s->pb, PB_SIZE);
	s->pb = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static int any_fd(struct rng *r)
{
	return W.slot[rn(r, NSLOTS)].fd;
}

static u32 pick_handle(struct rng *r, const u32 *tab)
{
	if (one_in(r, 16))
		return (u32)rnd(r) & (one_in(r, 2) ? 0xff : 0xffffffff);
	return tab[rn(r, NHANDLES)];
}

static void remember(u32 *tab, struct rng *r, u32 v)
{
	__atomic_store_n(&tab[rn(r, NHANDLES)], v, __ATOMIC_RELAXED);
}

/* Keep @fd for later use; close the one it displaces (maybe in use: fine). */
static void keep_fd(struct rng *r, int fd)
{
	int old;

	if (fd < 0)
		return;
	old = __atomic_exchange_n(&W.fds[rn(r, NHANDLES)], fd, __ATOMIC_RELAXED);
	if (old > 2)
		close(old);
}

static int pick_fd(struct rng *r)
{
	if (one_in(r, 16))
		return (int)rn(r, 64);
	return W.fds[rn(r, NHANDLES)];
}

/* ---- pushbuffers ---- */

struct pbw {
	u32 dw[512];
	u32 n;
};

static void put(struct pbw *p, u32 subch, u32 method, u32 count, const u32 *data)
{
	u32 i;

	if (p->n + count + 1 > ARRAY_SIZE(p->dw))
		return;
	p->dw[p->n++] = nvg_pb_hdr_incr(subch, method, count);
	for (i = 0; i < count; i++)
		p->dw[p->n++] = data[i];
}

/* A VA inside the file's data object, @len bytes from the end at most. */
static u64 data_va(struct rng *r, u32 len)
{
	return DATA_VA + (rn(r, (DATA_SIZE - len) / 4 + 1) * 4);
}

/* Mostly valid work for @engine (0 compute, 1 copy); a few commands. */
static void build_pb(struct rng *r, struct pbw *p, int engine)
{
	u32 i, nops = 1 + rn(r, 4), len;
	u64 a, b;

	p->n = 0;
	if (engine == 0) {
		put(p, 0, NVG_HOST_SET_OBJECT, 1, &compute_class);
		for (i = 0; i < nops; i++) {
			len = 4 * (1 + rn(r, 1024));
			a = data_va(r, len);
			b = data_va(r, 4);
			switch (rn(r, 4)) {
			case 0: {
				u32 d[4] = { (u32)(a >> 32), (u32)a, len, (u32)rnd(r) };
				u32 l = NVGC_LAUNCH_OP_FILL;

				put(p, 0, NVGC_SET_ADDR_HI, 4, d);
				put(p, 0, NVGC_LAUNCH, 1, &l);
				break;
			}
			case 1: {
				u32 d[4] = { (u32)(a >> 32), (u32)a, len, 0 };
				u32 res[2] = { (u32)(b >> 32), (u32)b };
				u32 l = NVGC_LAUNCH_OP_CHECKSUM;

				put(p, 0, NVGC_SET_ADDR_HI, 4, d);
				put(p, 0, NVGC_SET_RESULT_HI, 2, res);
				put(p, 0, NVGC_LAUNCH, 1, &l);
				break;
			}
			case 2: {
				/* Up to ~0.4 ms at 2.5 GHz. */
				u32 cyc[2] = { rn(r, 1000000), 0 };
				u32 l = NVGC_LAUNCH_OP_BUSY;

				put(p, 0, NVGC_SET_CYCLES_LO, 2, cyc);
				put(p, 0, NVGC_LAUNCH, 1, &l);
				break;
			}
			default: {
				/* A semaphore release, rarely an acquire (it may hang). */
				u32 d[4] = { (u32)b, (u32)(b >> 32), (u32)rnd(r), 0 };
				u32 x = one_in(r, 40) ? 2 : 1;

				put(p, 0, NVG_HOST_SEM_ADDR_LO, 4, d);
				put(p, 0, NVG_HOST_SEM_EXECUTE, 1, &x);
				break;
			}
			}
		}
	} else {
		put(p, 4, NVG_HOST_SET_OBJECT, 1, &copy_class);
		for (i = 0; i < nops; i++) {
			len = 4 * (1 + rn(r, 1024));
			a = data_va(r, len);
			b = data_va(r, len);
			if (one_in(r, 2)) {
				u32 d[4] = { (u32)(a >> 32), (u32)a, (u32)(b >> 32), (u32)b };
				u32 l = NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED |
					NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH |
					NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH;

				put(p, 4, NVG_COPY_OFFSET_IN_UPPER, 4, d);
				put(p, 4, NVG_COPY_LINE_LENGTH_IN, 1, &len);
				put(p, 4, NVG_COPY_LAUNCH_DMA, 1, &l);
			} else {
				u32 v = (u32)rnd(r);
				u32 comps = (NVG_REMAP_CONST_A << NVG_REMAP_DST_SHIFT(0)) |
					    (3u << NVG_REMAP_COMPONENT_SIZE_SHIFT);
				u32 o[2] = { (u32)(b >> 32), (u32)b };
				u32 words = len / 4;
				u32 l = NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED |
					NVG_LAUNCH_DMA_REMAP_ENABLE |
					NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH |
					NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH;

				put(p, 4, NVG_COPY_SET_REMAP_CONST_A, 1, &v);
				put(p, 4, NVG_COPY_SET_REMAP_COMPONENTS, 1, &comps);
				put(p, 4, NVG_COPY_OFFSET_OUT_UPPER, 2, o);
				put(p, 4, NVG_COPY_LINE_LENGTH_IN, 1, &words);
				put(p, 4, NVG_COPY_LAUNCH_DMA, 1, &l);
			}
		}
	}
}

/* Random damage; returns whether any was done. */
static bool mutate(struct rng *r, struct pbw *p)
{
	u32 i, k = 1 + rn(r, 3);

	if (!p->n || !one_in(r, 3))
		return false;
	for (i = 0; i < k; i++) {
		u32 at = rn(r, p->n);

		switch (rn(r, 5)) {
		case 0:
			p->dw[at] ^= 1u << rn(r, 32);
			break;
		case 1:
			p->dw[at] = (u32)rnd(r);
			break;
		case 2:
			p->n = at ? at : 1;	/* truncated mid-method */
			break;
		case 3:
			if (p->n < ARRAY_SIZE(p->dw))
				p->dw[p->n++] = (u32)rnd(r);
			break;
		default:
			/* A header with another count, subchannel or method. */
			p->dw[at] = nvg_pb_hdr_incr(rn(r, 8), rn(r, 0x4000) * 4, rn(r, 16));
			break;
		}
	}
	return true;
}

static void op_submit(struct rng *r, struct slot *s)
{
	struct drm_nvghost_sync in[2], out[2];
	struct drm_nvghost_submit sub = {};
	u64 entries[3];
	struct pbw p;
	bool damaged;
	int engine = rn(r, 2), fd, ret;
	u32 i, n, off;

	build_pb(r, &p, engine);
	damaged = mutate(r, &p);
	/* Write it into the file's pushbuffer object, unless the closer is at it. */
	pthread_rwlock_rdlock(&s->lock);
	fd = s->fd;
	off = rn(r, (PB_SIZE / 4 - ARRAY_SIZE(p.dw)) / 64) * 64;
	if (s->pb)
		memcpy(s->pb + off, p.dw, p.n * 4);
	sub.ctx_id = one_in(r, 10) ? pick_handle(r, W.ctxs) : s->ctx[engine];
	pthread_rwlock_unlock(&s->lock);

	n = 1 + (one_in(r, 4) ? rn(r, 3) : 0);
	for (i = 0; i < n; i++)
		entries[i] = nvg_gpfifo_entry_encode(PB_VA + off * 4, p.n, 0);
	if (one_in(r, 8)) {
		damaged = true;
		switch (rn(r, 3)) {
		case 0:
			entries[rn(r, n)] = rnd(r);
			break;
		case 1:
			entries[rn(r, n)] = nvg_gpfifo_entry_encode(PB_VA + off * 4,
								    p.n + 1 + rn(r, 8), 0);
			break;
		default:
			entries[rn(r, n)] = nvg_gpfifo_entry_encode(PB_VA + off * 4 - 4096 +
								    rn(r, 8192) * 4, p.n, 0);
			break;
		}
	}
	sub.gpfifo = (uintptr_t)entries;
	sub.gpfifo_count = n;
	if (one_in(r, 4)) {
		sub.in_sync_count = 1 + rn(r, 2);
		for (i = 0; i < sub.in_sync_count; i++)
			in[i] = (struct drm_nvghost_sync){ .handle = pick_handle(r, W.syncobjs),
							   .point = one_in(r, 3) ? rn(r, 4) : 0 };
		sub.in_syncs = (uintptr_t)in;
	}
	if (one_in(r, 3)) {
		sub.out_sync_count = 1 + rn(r, 2);
		for (i = 0; i < sub.out_sync_count; i++)
			out[i] = (struct drm_nvghost_sync){ .handle = pick_handle(r, W.syncobjs),
							    .point = one_in(r, 3) ? rn(r, 4) : 0 };
		sub.out_syncs = (uintptr_t)out;
	}
	if (one_in(r, 6)) {
		sub.flags |= DRM_NVGHOST_SUBMIT_IN_SYNC_FILE;
		sub.fence_fd = pick_fd(r);
	}
	if (one_in(r, 3))
		sub.flags |= DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE;
	if (one_in(r, 50))
		sub.flags |= 1u << rn(r, 32);
	ret = xioctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &sub);
	count(OP_SUBMIT, ret);
	if (!ret && !damaged)
		__atomic_fetch_add(&sh->submitted_valid, 1, __ATOMIC_RELAXED);
	if (!ret && (sub.flags & DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE))
		keep_fd(r, sub.fence_fd);
}

static void op_gem_create(struct rng *r)
{
	static const u64 sizes[] = { 1, 4096, 4097, 65536, 1 << 20, 4 << 20 };
	struct drm_nvghost_gem_create c = {
		.size = one_in(r, 20) ? rnd(r) >> rn(r, 64) : sizes[rn(r, ARRAY_SIZE(sizes))],
		.placement = one_in(r, 20) ? rn(r, 4) : rn(r, 2),
		.flags = one_in(r, 30) ? 1u << rn(r, 32) : 0,
	};
	int ret;

	/* A huge system object is lazily allocated, but bounded all the same. */
	if (c.size > (16 << 20) && c.placement == DRM_NVGHOST_PLACEMENT_SYSTEM)
		c.size = 16 << 20;
	ret = xioctl(any_fd(r), DRM_IOCTL_NVGHOST_GEM_CREATE, &c);
	count(OP_GEM_CREATE, ret);
	if (!ret)
		remember(W.handles, r, c.handle);
}

static void op_gem_close(struct rng *r)
{
	struct drm_gem_close cl = { .handle = pick_handle(r, W.handles) };

	count(OP_GEM_CLOSE, xioctl(any_fd(r), DRM_IOCTL_GEM_CLOSE, &cl));
}

struct maps {
	void *p[NMAPS];
	size_t len[NMAPS];
};

static void op_munmap(struct rng *r, struct maps *m)
{
	u32 i = rn(r, NMAPS);

	if (m->p[i]) {
		count(OP_MUNMAP, munmap(m->p[i], m->len[i]));
		m->p[i] = NULL;
	}
}

static void map_touch(struct rng *r, struct maps *m, void *p, size_t len)
{
	u32 i = rn(r, NMAPS);
	volatile u8 *b = p;

	if (m->p[i])
		munmap(m->p[i], m->len[i]);
	m->p[i] = p;
	m->len[i] = len;
	/* Read and write a few pages (fault them in, through the object). */
	b[0] = b[0] + 1;
	b[rn(r, len)] ^= 0x5a;
}

static void op_gem_mmap(struct rng *r, struct maps *m)
{
	struct drm_nvghost_gem_info info = { .handle = pick_handle(r, W.handles) };
	int fd = any_fd(r), ret;
	size_t len;
	void *p;

	ret = xioctl(fd, DRM_IOCTL_NVGHOST_GEM_INFO, &info);
	count(OP_GEM_MMAP, ret);
	if (ret || !info.size || info.size > (16 << 20))
		return;
	len = info.size;
	if (one_in(r, 10))
		info.mmap_offset += 4096 * rn(r, 4);	/* past the object's offset */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, info.mmap_offset);
	if (p != MAP_FAILED)
		map_touch(r, m, p, len);
}

static void op_bind(struct rng *r, bool map)
{
	struct drm_nvghost_vm_bind b = { .op = map ? DRM_NVGHOST_VM_BIND_MAP :
					       DRM_NVGHOST_VM_BIND_UNMAP };
	u64 pages = 1 + rn(r, one_in(r, 4) ? 1024 : 16);

	b.va = DRM_NVGHOST_VA_START + (u64)rn(r, RAND_VA_PAGES) * 4096;
	if (one_in(r, 16))		/* the file's own pushbuffer or data */
		b.va = one_in(r, 2) ? PB_VA : DATA_VA + rn(r, 16) * 4096;
	b.range = pages * 4096;
	if (map) {
		b.handle = pick_handle(r, W.handles);
		b.bo_offset = one_in(r, 4) ? (u64)rn(r, 256) * 4096 : 0;
		b.flags = one_in(r, 4) ? DRM_NVGHOST_VM_BIND_READ_ONLY : 0;
	}
	if (one_in(r, 16)) {
		switch (rn(r, 5)) {
		case 0: b.va += rn(r, 4096); break;
		case 1: b.range = rnd(r); break;
		case 2: b.va = rnd(r); break;
		case 3: b.flags = (u32)rnd(r); break;
		default: b.bo_offset = rnd(r); break;
		}
	}
	count(map ? OP_BIND_MAP : OP_BIND_UNMAP, xioctl(any_fd(r), DRM_IOCTL_NVGHOST_VM_BIND, &b));
}

static void op_ctx(struct rng *r, bool create)
{
	int ret;

	if (create) {
		struct drm_nvghost_ctx_create c = {
			.engine_class = one_in(r, 20) ? rn(r, 8) : rn(r, 2),
			.priority = rn(r, one_in(r, 20) ? 8 : 3),
			.flags = one_in(r, 30) ? 1 : 0,
		};

		ret = xioctl(any_fd(r), DRM_IOCTL_NVGHOST_CTX_CREATE, &c);
		if (!ret)
			remember(W.ctxs, r, c.ctx_id);
		count(OP_CTX_CREATE, ret);
	} else {
		struct drm_nvghost_ctx_destroy d = { .ctx_id = pick_handle(r, W.ctxs),
						     .pad = one_in(r, 30) };

		count(OP_CTX_DESTROY, xioctl(any_fd(r), DRM_IOCTL_NVGHOST_CTX_DESTROY, &d));
	}
}

static void op_syncobj(struct rng *r)
{
	int fd = any_fd(r), ret = 0, sfd = -1;
	u32 h = pick_handle(r, W.syncobjs), h2;
	uint64_t point = rn(r, 8);
	u32 first;

	switch (rn(r, 11)) {
	case 0:
	case 1:
		ret = drmSyncobjCreate(fd, one_in(r, 2) ? DRM_SYNCOBJ_CREATE_SIGNALED : 0, &h2);
		if (!ret)
			remember(W.syncobjs, r, h2);
		break;
	case 2:
		ret = drmSyncobjDestroy(fd, h);
		break;
	case 3:
		/* At most 5 ms: the fuzz never waits long. */
		ret = drmSyncobjWait(fd, &h, 1, mono_ns() + rn(r, 5000000),
				     one_in(r, 2) ? DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT : 0, &first);
		break;
	case 4:
		ret = drmSyncobjTimelineWait(fd, &h, &point, 1, mono_ns() + rn(r, 5000000),
					     rn(r, 8), &first);
		break;
	case 5:
		ret = one_in(r, 2) ? drmSyncobjSignal(fd, &h, 1) :
				     drmSyncobjTimelineSignal(fd, &h, &point, 1);
		break;
	case 6:
		ret = drmSyncobjReset(fd, &h, 1);
		break;
	case 7:
		ret = drmSyncobjQuery(fd, &h, &point, 1);
		break;
	case 8:
		ret = drmSyncobjHandleToFD(fd, h, &sfd);
		if (!ret)
			keep_fd(r, sfd);
		break;
	case 9:
		ret = drmSyncobjFDToHandle(fd, pick_fd(r), &h2);
		if (!ret)
			remember(W.syncobjs, r, h2);
		break;
	default:
		if (one_in(r, 2)) {
			ret = drmSyncobjExportSyncFile(fd, h, &sfd);
			if (!ret)
				keep_fd(r, sfd);
		} else {
			ret = drmSyncobjImportSyncFile(fd, h, pick_fd(r));
		}
		break;
	}
	count(OP_SYNCOBJ, ret);
}

/* A sync file: info, a short poll, or a close. */
static void op_sync_file(struct rng *r)
{
	struct sync_file_info info = {};
	int i = rn(r, NHANDLES), fd = W.fds[i], ret;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	switch (rn(r, 3)) {
	case 0:
		ret = ioctl(fd, SYNC_IOC_FILE_INFO, &info) ? -errno : 0;
		break;
	case 1:
		ret = poll(&p, 1, rn(r, 3)) < 0 ? -errno : 0;
		break;
	default:
		fd = __atomic_exchange_n(&W.fds[i], -1, __ATOMIC_RELAXED);
		ret = fd > 2 ? close(fd) : -EBADF;
		break;
	}
	count(OP_SYNC_FILE, ret);
}

static void op_frame_wait(struct rng *r)
{
	struct drm_nvghost_frame_wait w = {
		.crtc_id = one_in(r, 2) ? rn(r, 64) : (u32)rnd(r),
		.flags = one_in(r, 4) ? 0 : DRM_NVGHOST_FRAME_WAIT_NO_SLEEP,
	};

	if (one_in(r, 30))
		w.flags = (u32)rnd(r);
	count(OP_FRAME_WAIT, xioctl(any_fd(r), DRM_IOCTL_NVGHOST_FRAME_WAIT, &w));
}

static void op_prime(struct rng *r, struct maps *m)
{
	int fd = any_fd(r), pfd = -1, ret;
	u32 h;
	void *p;

	if (one_in(r, 3)) {
		ret = drmPrimeFDToHandle(any_fd(r), pick_fd(r), &h);
		if (!ret)
			remember(W.handles, r, h);
		count(OP_PRIME, ret);
		return;
	}
	ret = drmPrimeHandleToFD(fd, pick_handle(r, W.handles), DRM_CLOEXEC | DRM_RDWR, &pfd);
	count(OP_PRIME, ret);
	if (ret)
		return;
	/* Import it into another file (or the same), map it, keep or close it. */
	if (!drmPrimeFDToHandle(any_fd(r), pfd, &h))
		remember(W.handles, r, h);
	if (one_in(r, 3)) {
		off_t len = lseek(pfd, 0, SEEK_END);

		if (len > 0 && len <= (16 << 20)) {
			p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, pfd, 0);
			if (p != MAP_FAILED)
				map_touch(r, m, p, len);
		}
	}
	if (one_in(r, 2))
		keep_fd(r, pfd);
	else
		close(pfd);
}

static void op_get_param(struct rng *r)
{
	struct drm_nvghost_get_param p = {
		.param = rn(r, one_in(r, 10) ? 64 : 8),
		.index = one_in(r, 4) ? rn(r, 8) : 0,
		.flags = one_in(r, 30),
		.pad = one_in(r, 30),
	};

	count(OP_GET_PARAM, xioctl(any_fd(r), DRM_IOCTL_NVGHOST_GET_PARAM, &p));
}

static void op_clock(struct rng *r)
{
	struct drm_nvghost_clock c = {};

	if (one_in(r, 4)) {
		/* ADVANCE (refused in live mode), or nonsense. */
		c.op = one_in(r, 2) ? DRM_NVGHOST_CLOCK_ADVANCE : (u32)rnd(r);
		c.flags = one_in(r, 2) ? DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL : (u32)rnd(r);
		c.until_ns = rnd(r) >> rn(r, 64);
	}
	count(OP_CLOCK, xioctl(any_fd(r), DRM_IOCTL_NVGHOST_CLOCK, &c));
}

static void op_core(struct rng *r)
{
	int fd = any_fd(r), ret;

	switch (rn(r, 5)) {
	case 0: {
		drmVersionPtr v = drmGetVersion(fd);

		ret = v ? 0 : -EINVAL;
		drmFreeVersion(v);
		break;
	}
	case 1: {
		uint64_t val;

		ret = drmGetCap(fd, rn(r, 0x20), &val);
		break;
	}
	case 2:
		ret = drmSetClientCap(fd, rn(r, 8), rn(r, 3));
		break;
	case 3: {
		struct drm_gem_flink f = { .handle = pick_handle(r, W.handles) };

		ret = xioctl(fd, DRM_IOCTL_GEM_FLINK, &f);
		break;
	}
	default: {
		struct drm_gem_open o = { .name = rn(r, 16) };

		ret = xioctl(fd, DRM_IOCTL_GEM_OPEN, &o);
		if (!ret)
			remember(W.handles, r, o.handle);
		break;
	}
	}
	count(OP_CORE, ret);
}

/* A driver ioctl with a random number and random bytes (no pointers that work). */
static void op_raw(struct rng *r)
{
	u64 buf[8];
	u32 nr = rn(r, 12), size = 8 * (1 + rn(r, 8)), i;
	unsigned long req;

	for (i = 0; i < ARRAY_SIZE(buf); i++)
		buf[i] = one_in(r, 2) ? rnd(r) >> rn(r, 64) : 0;
	req = rn(r, 2) ? DRM_IOWR(DRM_COMMAND_BASE + nr, u8[size]) :
			 DRM_IOW(DRM_COMMAND_BASE + nr, u8[size]);
	/* GEM_CREATE's size would be huge: those go through op_gem_create. */
	if (nr == DRM_NVGHOST_GEM_CREATE)
		buf[0] &= 0xffffff;
	count(OP_RAW, xioctl(any_fd(r), req, buf));
}

static bool budget(void)
{
	return !__atomic_load_n(&sh->stop, __ATOMIC_RELAXED) &&
	       __atomic_fetch_add(&sh->ops, 1, __ATOMIC_RELAXED) < sh->limit;
}

struct thread_arg {
	u64 seed;
};

static void *ioctl_thread(void *p)
{
	struct rng r = { ((struct thread_arg *)p)->seed };
	struct maps m = {};
	struct slot *s;

	while (budget()) {
		s = &W.slot[rn(&r, NSLOTS)];
		switch (rn(&r, 24)) {
		case 0: case 1: op_gem_create(&r); break;
		case 2: op_gem_close(&r); break;
		case 3: op_gem_mmap(&r, &m); break;
		case 4: op_munmap(&r, &m); break;
		case 5: case 6: op_bind(&r, true); break;
		case 7: op_bind(&r, false); break;
		case 8: op_ctx(&r, true); break;
		case 9: op_ctx(&r, false); break;
		case 10: case 11: case 12: case 13: op_submit(&r, s); break;
		case 14: case 15: op_syncobj(&r); break;
		case 16: op_sync_file(&r); break;
		case 17: op_frame_wait(&r); break;
		case 18: op_prime(&r, &m); break;
		case 19: op_get_param(&r); break;
		case 20: op_clock(&r); break;
		case 21: op_core(&r); break;
		default: op_raw(&r); break;
		}
	}
	return NULL;
}

/* Close a file at random (others may be using it) and open another. */
static void *closer_thread(void *p)
{
	struct rng r = { ((struct thread_arg *)p)->seed };
	struct timespec ts;
	struct slot *s;

	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&sh->ops, __ATOMIC_RELAXED) < sh->limit) {
		ts.tv_sec = 0;
		ts.tv_nsec = 1000000 + rn(&r, 10000000);
		nanosleep(&ts, NULL);
		s = &W.slot[rn(&r, NSLOTS)];
		pthread_rwlock_wrlock(&s->lock);
		slot_close(s);
		slot_open(s, &r);
		pthread_rwlock_unlock(&s->lock);
		count(OP_CLOSE_FD, 0);
	}
	return NULL;
}

/* A worker process: its files, two ioctl threads, a closer. Never returns. */
static void worker_main(u64 seed)
{
	struct thread_arg args[IOCTL_THREADS + 1];
	pthread_t t[IOCTL_THREADS + 1];
	struct rng r = { seed };
	int i;

	W.seed = seed;
	for (i = 0; i < NHANDLES; i++)
		W.fds[i] = -1;
	for (i = 0; i < NSLOTS; i++) {
		pthread_rwlock_init(&W.slot[i].lock, NULL);
		slot_open(&W.slot[i], &r);
	}
	for (i = 0; i <= IOCTL_THREADS; i++) {
		args[i].seed = rnd(&r);
		pthread_create(&t[i], NULL, i < IOCTL_THREADS ? ioctl_thread : closer_thread,
			       &args[i]);
	}
	for (i = 0; i <= IOCTL_THREADS; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

/* The seed of worker @w's @gen-th incarnation. */
static u64 worker_seed(u64 seed, int w, int gen)
{
	struct rng r = { seed ^ ((u64)w << 32) ^ (u64)gen * 0x1000193 };

	return rnd(&r);
}

static pid_t spawn(u64 seed, int w, int gen)
{
	pid_t pid = fork();

	if (pid == 0)
		worker_main(worker_seed(seed, w, gen));
	return pid;
}

/* Read a small file into @buf, newlines as spaces; "" if it cannot be read. */
static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0, i;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	for (i = 0; i < n; i++)
		if (buf[i] == '\n')
			buf[i] = ' ';
}

/*
 * What the tasks of a process that does not die are doing: each thread's
 * state and, for those not yet dead, its wait channel and kernel stack (the
 * leader may be a zombie while another thread is stuck in the kernel).
 */
static void describe(pid_t pid, char *buf, size_t len)
{
	char path[96], stat[256], wchan[64], stack[1024];
	struct dirent *de;
	size_t off = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d) {
		snprintf(buf, len, "(no /proc/%d/task: %s)", pid, strerror(errno));
		return;
	}
	buf[0] = 0;
	while ((de = readdir(d)) && off + 1 < len) {
		const char *st;
		int tid = atoi(de->d_name);

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
		slurp(path, stat, sizeof(stat));
		st = strrchr(stat, ')');
		st = st && st[1] ? st + 2 : "?";
		if (*st == 'Z') {
			off += snprintf(buf + off, len - off, "task %d: Z; ", tid);
			continue;
		}
		snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", pid, tid);
		slurp(path, wchan, sizeof(wchan));
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stack", pid, tid);
		slurp(path, stack, sizeof(stack));
		off += snprintf(buf + off, len - off, "task %d: %c in %s, stack: %s; ", tid,
				*st, wchan[0] ? wchan : "?", stack[0] ? stack : "(none)");
	}
	closedir(d);
}

/* Reap @pid (already killed) within @ms; FAIL with its state if it hangs. */
static bool reap(pid_t pid, int ms, const char *name)
{
	char why[3000];
	struct timespec ts = { 0, 10000000 };
	int i, st;

	for (i = 0; i < ms / 10; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return true;
		nanosleep(&ts, NULL);
	}
	describe(pid, why, sizeof(why));
	fail(name, "worker %d not reaped %d ms after SIGKILL (a task stuck in the kernel): %s",
	     pid, ms, why);
	return false;
}

static u32 engine_class(int fd, u32 engine)
{
	struct drm_nvghost_get_param p = { .param = DRM_NVGHOST_PARAM_ENGINE_CLASS,
					   .index = engine };

	return drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &p) ? 0 : (u32)p.value;
}

/* A fresh client: a compute checksum of a known pattern, checked on the CPU. */
static void fresh_client(void)
{
	struct drm_nvghost_gem_create c = { .size = 65536 };
	struct drm_nvghost_gem_info info = {};
	struct drm_nvghost_vm_bind b = { .op = DRM_NVGHOST_VM_BIND_MAP };
	struct drm_nvghost_ctx_create cc = { .engine_class = DRM_NVGHOST_ENGINE_COMPUTE,
					     .priority = DRM_NVGHOST_PRIORITY_NORMAL };
	struct drm_nvghost_submit s = { .flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
	struct sync_file_info si = {};
	struct pollfd pf = { .events = POLLIN };
	u32 *data = MAP_FAILED, *pbm = MAP_FAILED, sum, i;
	u32 handles[2];
	struct pbw p = { .n = 0 };
	u64 entry, va[2] = { 0x100000, 0x200000 };
	int fd, ret = 0;

	fd = open(render_path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fail("fresh_client_open", "expected to open %s, got %s", render_path,
		     strerror(errno));
		return;
	}
	for (i = 0; i < 2 && !ret; i++) {
		c.placement = i ? DRM_NVGHOST_PLACEMENT_SYSTEM : DRM_NVGHOST_PLACEMENT_VRAM;
		ret = xioctl(fd, DRM_IOCTL_NVGHOST_GEM_CREATE, &c);
		handles[i] = c.handle;
		info.handle = c.handle;
		ret = ret ?: xioctl(fd, DRM_IOCTL_NVGHOST_GEM_INFO, &info);
		if (!ret) {
			void *m = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
				       info.mmap_offset);

			if (m == MAP_FAILED)
				ret = -errno;
			else if (i)
				pbm = m;
			else
				data = m;
		}
		b.handle = handles[i];
		b.va = va[i];
		b.range = 65536;
		ret = ret ?: xioctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, &b);
	}
	ret = ret ?: xioctl(fd, DRM_IOCTL_NVGHOST_CTX_CREATE, &cc);
	if (ret) {
		fail("fresh_client_setup", "expected buffers, mappings and a channel, got %s",
		     strerror(-ret));
		goto out;
	}
	for (i = 0; i < 65536 / 4; i++)
		data[i] = i * 0x9e3779b1u ^ 0x5bd1e995u;
	sum = nvg_fnv1a32(data, 65536, NVG_FNV1A32_INIT);
	pbm[768] = ~sum;
	{
		u32 d[4] = { 0, (u32)va[0], 65536, 0 };
		u32 res[2] = { 0, (u32)(va[1] + 3072) };
		u32 l = NVGC_LAUNCH_OP_CHECKSUM;

		put(&p, 0, NVG_HOST_SET_OBJECT, 1, &compute_class);
		put(&p, 0, NVGC_SET_ADDR_HI, 4, d);
		put(&p, 0, NVGC_SET_RESULT_HI, 2, res);
		put(&p, 0, NVGC_LAUNCH, 1, &l);
	}
	memcpy(pbm, p.dw, p.n * 4);
	entry = nvg_gpfifo_entry_encode(va[1], p.n, 0);
	s.ctx_id = cc.ctx_id;
	s.gpfifo = (uintptr_t)&entry;
	s.gpfifo_count = 1;
	ret = xioctl(fd, DRM_IOCTL_NVGHOST_SUBMIT, &s);
	if (ret) {
		fail("fresh_client_submit", "expected the submission accepted, got %s",
		     strerror(-ret));
		goto out;
	}
	pf.fd = s.fence_fd;
	if (poll(&pf, 1, 20000) != 1) {
		fail("fresh_client_job_done", "expected the job's fence to signal within 20 s, it did not");
	} else if (ioctl(s.fence_fd, SYNC_IOC_FILE_INFO, &si) || si.status != 1) {
		fail("fresh_client_job_done", "expected fence status 1, got %d (%s)", si.status,
		     strerror(errno));
	} else {
		pass("fresh_client_job_done");
		result("fresh_client_checksum", pbm[768] == sum,
		       "expected FNV-1a 0x%08x of the pattern, the GPU wrote 0x%08x", sum, pbm[768]);
	}
	close(s.fence_fd);
out:
	if (data != MAP_FAILED)
		munmap(data, 65536);
	if (pbm != MAP_FAILED)
		munmap(pbm, 65536);
	close(fd);
}

int main(int argc, char **argv)
{
	u64 seed, t0, deadline;
	unsigned long limit = 20000;
	int nworkers = 4, seconds = 30, gen[MAX_WORKERS] = {}, i, fd, kills = 0;
	pid_t pid[MAX_WORKERS];
	struct timespec ts;
	struct rng r;
	bool hung = false;

	if (argc < 3) {
		fprintf(stderr, "usage: %s RENDER CARD [SEED [OPS [WORKERS [SECONDS]]]]\n", argv[0]);
		return 2;
	}
	render_path = argv[1];
	card_path = argv[2];
	seed = argc > 3 ? strtoull(argv[3], NULL, 0) : (u64)time(NULL);
	if (argc > 4)
		limit = strtoul(argv[4], NULL, 0);
	if (argc > 5)
		nworkers = atoi(argv[5]);
	if (argc > 6)
		seconds = atoi(argv[6]);
	if (nworkers < 1 || nworkers > MAX_WORKERS) {
		fprintf(stderr, "WORKERS must be 1..%d\n", MAX_WORKERS);
		return 2;
	}
	printf("# ioctl_fuzz: seed %llu, %lu operations, %d workers, at most %d s (repeat: %s %s %s %llu %lu %d %d)\n",
	       (unsigned long long)seed, limit, nworkers, seconds, argv[0], render_path,
	       card_path, (unsigned long long)seed, limit, nworkers, seconds);
	fflush(stdout);

	fd = open(render_path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fail("open", "expected to open %s, got %s", render_path, strerror(errno));
		return failures;
	}
	compute_class = engine_class(fd, 0);
	copy_class = engine_class(fd, 1);
	close(fd);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		fail("setup", "mmap: %s", strerror(errno));
		return failures;
	}
	sh->limit = limit;
	r.s = seed;
	for (i = 0; i < nworkers; i++)
		pid[i] = spawn(seed, i, 0);

	/* The controller: kill and restart workers until the budget is spent. */
	t0 = mono_ns();
	deadline = t0 + (u64)seconds * 1000000000ULL;
	while (!hung && __atomic_load_n(&sh->ops, __ATOMIC_RELAXED) < limit &&
	       mono_ns() < deadline) {
		ts.tv_sec = 0;
		ts.tv_nsec = 5000000 + rn(&r, 50000000);
		nanosleep(&ts, NULL);
		i = rn(&r, nworkers);
		if (one_in(&r, 3)) {
			kill(pid[i], SIGKILL);
			kills++;
			if (!reap(pid[i], 30000, "killed_worker_reaped")) {
				hung = true;
				break;
			}
			pid[i] = spawn(seed, i, ++gen[i]);
		}
	}
	if (mono_ns() >= deadline)
		printf("# ioctl_fuzz: the %d s bound passed after %lu operations\n", seconds,
		       __atomic_load_n(&sh->ops, __ATOMIC_RELAXED));
	/* The end: let them see it, then kill whatever is left. */
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	ts.tv_sec = 0;
	ts.tv_nsec = 200000000;
	nanosleep(&ts, NULL);
	for (i = 0; i < nworkers; i++) {
		kill(pid[i], SIGKILL);
		if (!reap(pid[i], 30000, "worker_reaped_at_end"))
			hung = true;
	}
	if (!hung)
		pass("workers_reaped");
	printf("# ioctl_fuzz: %lu operations in %.1f s, %d workers killed, %lu valid submissions accepted\n",
	       __atomic_load_n(&sh->ops, __ATOMIC_RELAXED), (mono_ns() - t0) / 1e9, kills,
	       sh->submitted_valid);
	for (i = 0; i < NR_OPS; i++)
		printf("#   %-12s %6lu tried, %6lu returned 0\n", op_names[i], sh->count[i], sh->ok[i]);
	/* It did fuzz: work ran, and every kind of operation was tried. */
	if (limit >= 1000) {
		result("fuzz_submitted_work", sh->submitted_valid > 0,
		       "expected some valid submissions accepted, got %lu", sh->submitted_valid);
		for (i = 0; i < NR_OPS; i++)
			if (!sh->count[i])
				fail("fuzz_every_op_tried",
				     "expected every operation tried, %s never was", op_names[i]);
	}
	fresh_client();
	return failures;
}
