// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_pb.c - libFuzzer harness for the pushbuffer parser
 * (kmod/nvghost_pb.c, compiled in as is), on the host.
 *
 * An input is one submission: byte 0 picks the channel's engine class,
 * then come up to NVG_FUZZ_MAX_SEGS GPFIFO segments, each a length byte
 * (dwords) and that many little-endian dwords (the last one may be cut
 * short). The harness runs the parser the way the driver does and checks,
 * besides ASan and UBSan's own findings:
 *
 * - every operation it hands out has ranges within the limits
 *   (nvg_pb_op_ranges() succeeds; each range non-empty, at most 4 GiB,
 *   ending at or below 2^40);
 * - if the submission is accepted, the engine's view agrees: the validated
 *   copy the driver builds (the channel state's restore, then each
 *   segment up to its END_PB_SEGMENT) parsed as one segment, as the
 *   simulated engine does, yields the same operations;
 * - the channel state the submission leaves, rebuilt by
 *   nvg_pb_state_restore() in a fresh parser, is the same state, and the
 *   restore yields no operation;
 * - a second submission on the channel, the same dwords again, is checked
 *   the same way from that state.
 *
 * A broken property aborts (a crash libFuzzer reports with the input).
 * `make fuzz` runs it for FUZZ_TIME seconds (60) over the seed corpus that
 * the unit tests write (build/fuzz/seeds); `make unit` runs it briefly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvghost_pb.h"

#define NVG_FUZZ_MAX_SEGS	16
#define NVG_FUZZ_MAX_OPS	4096

static const uint32_t classes[] = {
	0, AMPERE_DMA_COPY_B, TURING_DMA_COPY_A, AMPERE_COMPUTE_B, TURING_COMPUTE_A,
	HOPPER_DMA_COPY_A, HOPPER_COMPUTE_A,
};

struct seg {
	uint32_t *dw;
	uint32_t ndw;
};

/* What one run of the parser produced. */
struct result {
	struct nvg_pb_op ops[NVG_FUZZ_MAX_OPS];
	uint32_t nops;
	uint32_t overflow;	/* more ops than fit: not compared */
	int rc;
};

static struct result val, eng;
static struct nvg_pb_parser p, pe, pr;
static uint32_t copy[NVG_FUZZ_MAX_SEGS * 255 + NVG_PB_STATE_MAX_DWORDS];

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_pb: " __VA_ARGS__);		\
		fprintf(stderr, "\n");					\
		abort();						\
	}								\
} while (0)

static void check_op(const struct nvg_pb_op *op)
{
	struct nvg_pb_range r[NVG_PB_MAX_RANGES];
	int i, n = nvg_pb_op_ranges(op, r);

	CHECK(n >= 0, "op kind %u has invalid ranges", op->kind);
	for (i = 0; i < n; i++) {
		CHECK(r[i].size && r[i].size <= NVG_PB_MAX_RANGE,
		      "op kind %u range %d size 0x%llx", op->kind, i,
		      (unsigned long long)r[i].size);
		CHECK(r[i].va < NVG_PB_VA_LIMIT && r[i].size <= NVG_PB_VA_LIMIT - r[i].va,
		      "op kind %u range %d [0x%llx, +0x%llx) beyond 2^40", op->kind, i,
		      (unsigned long long)r[i].va, (unsigned long long)r[i].size);
	}
}

/* Take ops until the segment ends; 0 or -EINVAL. */
static int drain(struct nvg_pb_parser *pp, struct result *res)
{
	struct nvg_pb_op op;
	int rc;

	while ((rc = nvg_pb_parser_next(pp, &op, NULL)) == 1) {
		check_op(&op);
		op.index = 0;	/* segment-relative: differs between the views */
		if (res->nops < NVG_FUZZ_MAX_OPS)
			res->ops[res->nops++] = op;
		else
			res->overflow = 1;
	}
	return rc;
}

static void expect_same_state(const struct nvg_pb_parser *a, const struct nvg_pb_parser *b)
{
	CHECK(!memcmp(a->subch_class, b->subch_class, sizeof(a->subch_class)) &&
	      !memcmp(&a->host, &b->host, sizeof(a->host)) &&
	      !memcmp(&a->copy, &b->copy, sizeof(a->copy)) &&
	      !memcmp(&a->compute, &b->compute, sizeof(a->compute)),
	      "the restored channel state differs");
}

/*
 * One submission of @segs on a channel whose state @state left (NULL: a
 * new channel); @state receives the state it leaves if it is accepted.
 */
static void submission(uint32_t cls, const struct seg *segs, int nsegs,
		       struct nvg_pb_parser *state, int have_state)
{
	uint32_t ncopy = 0, nrestore = 0;
	int i;

	memset(&val, 0, sizeof(val));
	nvg_pb_parser_init(&p, cls);
	if (have_state) {
		nrestore = nvg_pb_state_restore(state, copy);
		CHECK(nrestore <= NVG_PB_STATE_MAX_DWORDS, "restore of %u dwords", nrestore);
		nvg_pb_parser_segment(&p, copy, nrestore);
		CHECK(drain(&p, &val) == 0 && val.nops == 0,
		      "the state restore was refused or made ops");
		expect_same_state(&p, state);
		ncopy = nrestore;
	}
	for (i = 0; i < nsegs; i++) {
		nvg_pb_parser_segment(&p, segs[i].dw, segs[i].ndw);
		val.rc = drain(&p, &val);
		if (val.rc)
			return;
		/* What the driver copies for the engine: up to END_PB_SEGMENT. */
		{
			uint32_t n = p.ended ? p.pos - 1 : segs[i].ndw;

			memcpy(copy + ncopy, segs[i].dw, n * sizeof(uint32_t));
			ncopy += n;
		}
	}
	if (nvg_pb_parser_finish(&p, NULL))
		return;

	/* The engine parses the copy as one segment, from a fresh channel. */
	memset(&eng, 0, sizeof(eng));
	nvg_pb_parser_init(&pe, cls);
	nvg_pb_parser_segment(&pe, copy, ncopy);
	eng.rc = drain(&pe, &eng);
	CHECK(eng.rc == 0, "the engine refused what the driver accepted");
	CHECK(!pe.run_left, "the engine's copy ends inside a method");
	if (!val.overflow && !eng.overflow) {
		CHECK(val.nops == eng.nops, "driver saw %u ops, engine %u", val.nops, eng.nops);
		CHECK(!memcmp(val.ops, eng.ops, val.nops * sizeof(val.ops[0])),
		      "driver and engine ops differ");
	}
	expect_same_state(&pe, &p);

	/* The state it leaves, rebuilt from nothing, is the same. */
	nrestore = nvg_pb_state_restore(&p, copy);
	CHECK(nrestore <= NVG_PB_STATE_MAX_DWORDS, "restore of %u dwords", nrestore);
	nvg_pb_parser_init(&pr, cls);
	nvg_pb_parser_segment(&pr, copy, nrestore);
	memset(&eng, 0, sizeof(eng));
	CHECK(drain(&pr, &eng) == 0 && eng.nops == 0, "the restore was refused or made ops");
	expect_same_state(&pr, &p);
	memcpy(state, &p, sizeof(p));
}

static uint32_t dwbuf[NVG_FUZZ_MAX_SEGS][255];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nvg_pb_parser state;
	struct seg segs[NVG_FUZZ_MAX_SEGS];
	uint32_t cls;
	size_t off = 1;
	int nsegs = 0;

	if (size < 1)
		return 0;
	cls = classes[data[0] % (sizeof(classes) / sizeof(classes[0]))];
	while (off < size && nsegs < NVG_FUZZ_MAX_SEGS) {
		uint32_t want = data[off++], n = 0;

		while (n < want && off + 4 <= size) {
			memcpy(&dwbuf[nsegs][n++], data + off, 4);	/* little endian */
			off += 4;
		}
		segs[nsegs].dw = dwbuf[nsegs];
		segs[nsegs].ndw = n;
		nsegs++;
	}
	submission(cls, segs, nsegs, &state, 0);
	if (!val.rc && !nvg_pb_parser_finish(&p, NULL))
		submission(cls, segs, nsegs, &state, 1);	/* again, on the same channel */
	return 0;
}
