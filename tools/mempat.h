/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mempat.h - the memory workloads of issue 16 (sequential and cyclic scans,
 * random, hot/cold 90/10, strided, LLM decode) as a list of GPU jobs, each
 * a list of reads and writes of ranges of one or two managed buffers. One
 * definition for the programs that run them: tests/vm/uvm_test.c's vbench
 * (make bench's managed-memory table), nvgbench's mem: clients, and the
 * memory traces of traces/synthetic/generate.sh (nvgtrace mempat). Pure C,
 * header only, no I/O.
 *
 * The working set is @ws bytes. Each pass reads it in 2 MiB chunks in the
 * pattern's order, one job a pass (at most NVG_MP_OPS ranges a job: a pass
 * over more chunks is split):
 *   seq      one pass, in order
 *   cyclic   @passes passes in order
 *   random   @passes x chunks reads of uniformly random chunks
 *   hotcold  as random, 90% of them in the first 10% of the chunks
 *   strided  every 4th 64 KiB page of each chunk (stride 256 KiB)
 *   llm      weights (buffer 0, 3/4 of @ws) streamed in order each token
 *            (pass); the token's last job then writes its KV entries
 *            (256 KiB) to the KV cache (buffer 1, 1/4 of @ws) and reads all
 *            of the cache so far (attention)
 * Every other pattern has buffer 0 only, of @ws bytes.
 */
#ifndef _NVG_MEMPAT_H_
#define _NVG_MEMPAT_H_

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define NVG_MP_CHUNK	(2ULL << 20)
#define NVG_MP_PAGE	(64ULL << 10)
#define NVG_MP_OPS	64	/* ranges a job at most */

enum nvg_mp_kind { NVG_MP_SEQ, NVG_MP_CYCLIC, NVG_MP_RANDOM, NVG_MP_HOTCOLD,
		   NVG_MP_STRIDED, NVG_MP_LLM, NVG_MP_NKINDS };

static const char *const nvg_mp_names[NVG_MP_NKINDS] = {
	"seq", "cyclic", "random", "hotcold", "strided", "llm",
};

struct nvg_mp_op {
	unsigned int buf;	/* 0: the working set (llm: weights), 1: llm's KV cache */
	bool write;		/* a FILL of @value, else a read (CHECKSUM) */
	uint64_t off;
	uint32_t len;
	uint32_t value;
};

struct nvg_mempat {
	enum nvg_mp_kind kind;
	uint64_t size[2];	/* the buffers' sizes (size[1]: llm only, else 0) */
	uint32_t passes;
	uint64_t nchunks;
	uint64_t *rng;		/* xorshift64 state (the caller's, so it may share it) */
	/* where it is */
	uint64_t pass, i, kv_used;
};

/* The pattern called @name, or -1. */
static inline int nvg_mp_kind_of(const char *name)
{
	int k;

	for (k = 0; k < NVG_MP_NKINDS; k++)
		if (!strcmp(name, nvg_mp_names[k]))
			return k;
	return -1;
}

static inline uint64_t nvg_mp_rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Set @p up for pattern @kind over @ws bytes, @passes passes (seq: 1),
 * random numbers from @rng (non-zero state). -1 if the weights are less
 * than one 2 MiB chunk.
 */
static inline int nvg_mp_init(struct nvg_mempat *p, enum nvg_mp_kind kind, uint64_t ws,
			      uint32_t passes, uint64_t *rng)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->size[0] = ws;
	if (kind == NVG_MP_LLM) {
		p->size[1] = ws / 4;
		p->size[0] = ws - ws / 4;
	}
	p->passes = kind == NVG_MP_SEQ ? 1 : passes;
	p->nchunks = p->size[0] / NVG_MP_CHUNK;
	p->rng = rng;
	return p->nchunks ? 0 : -1;
}

/* How many jobs the whole workload is. */
static inline uint64_t nvg_mp_jobs(const struct nvg_mempat *p)
{
	uint64_t per = p->kind == NVG_MP_STRIDED ? NVG_MP_CHUNK / NVG_MP_PAGE / 4 : 1;
	uint64_t per_job = (NVG_MP_OPS - 8) / per + 1;	/* chunks before a split */

	return p->passes * ((p->nchunks + per_job - 1) / per_job);
}

/*
 * The next job's ranges into @ops (NVG_MP_OPS of room): how many, 0 when
 * the workload is done.
 */
static inline unsigned int nvg_mp_next(struct nvg_mempat *p, struct nvg_mp_op *ops)
{
	unsigned int n = 0, k;
	uint64_t c, o, kv_step = NVG_MP_CHUNK / 8;

	while (p->pass < p->passes) {
		c = p->i;
		if (p->kind == NVG_MP_RANDOM) {
			c = nvg_mp_rng(p->rng) % p->nchunks;
		} else if (p->kind == NVG_MP_HOTCOLD) {
			uint64_t hot = p->nchunks / 10 ? p->nchunks / 10 : 1;

			c = nvg_mp_rng(p->rng) % 10 ? nvg_mp_rng(p->rng) % hot :
						      nvg_mp_rng(p->rng) % p->nchunks;
		}
		if (p->kind == NVG_MP_STRIDED) {
			for (k = 0; k < NVG_MP_CHUNK / NVG_MP_PAGE; k += 4)
				ops[n++] = (struct nvg_mp_op){ .off = c * NVG_MP_CHUNK +
							       k * NVG_MP_PAGE,
							       .len = NVG_MP_PAGE };
		} else {
			ops[n++] = (struct nvg_mp_op){ .off = c * NVG_MP_CHUNK,
						       .len = NVG_MP_CHUNK };
		}
		if (++p->i == p->nchunks) {
			if (p->kind == NVG_MP_LLM) {
				/* this token's KV entries, then attention over all of them */
				if (p->kv_used + kv_step <= p->size[1]) {
					ops[n++] = (struct nvg_mp_op){ .buf = 1, .write = true,
								       .off = p->kv_used,
								       .len = kv_step,
								       .value = (uint32_t)p->pass + 1 };
					p->kv_used += kv_step;
				}
				for (o = 0; o < p->kv_used && n < NVG_MP_OPS; o += NVG_MP_CHUNK)
					ops[n++] = (struct nvg_mp_op){ .buf = 1, .off = o,
						.len = p->kv_used - o < NVG_MP_CHUNK ?
						       (uint32_t)(p->kv_used - o) : NVG_MP_CHUNK };
			}
			p->i = 0;
			p->pass++;
			return n;
		}
		if (n + 8 > NVG_MP_OPS)
			return n;
	}
	return 0;
}

#endif /* _NVG_MEMPAT_H_ */
