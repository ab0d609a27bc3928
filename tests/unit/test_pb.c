// SPDX-License-Identifier: GPL-2.0
/*
 * test_pb.c - host unit tests of the pushbuffer formats and parser
 * (kmod/nvghost_pb.c, compiled in as is).
 *
 * Pushbuffers are written out with this file's own HDR() macro, from the
 * bit layout of NVIDIA's dev_ram.ref, not with the encoders under test, so
 * an encoder bug cannot hide a parser bug. Expected values are literals.
 *
 * The malformed-pushbuffer table holds one rule per row: everything but the
 * last method is a valid preamble, and the row names the dword index and a
 * substring of the reason the parser must give. Rows hold no pointers, so
 * they stay valid in Criterion's sandboxed test processes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <criterion/new/assert.h>

#include "nvghost_pb.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- pushbuffer words, by hand ---- */

#define HDR(op, sc, m, n)	(((uint32_t)(op) << 29) | ((uint32_t)(n) << 16) | \
				 ((uint32_t)(sc) << 13) | ((uint32_t)(m) >> 2))
#define INC(sc, m, n)		HDR(1, sc, m, n)
#define NONINC(sc, m, n)	HDR(3, sc, m, n)
#define IMM(sc, m, d)		HDR(4, sc, m, d)
#define ONEINC(sc, m, n)	HDR(5, sc, m, n)
#define ENDSEG			HDR(7, 0, 0, 0)
#define RSVD12			0x1000u

#define COPY_CLASS	0xc7b5u
#define COMPUTE_CLASS	0xc7c0u
#define CSUB		4	/* libnvg's copy subchannel */
#define KSUB		0	/* libnvg's compute subchannel */

/* SET_OBJECT: 2 dwords */
#define COPY_OBJ	INC(CSUB, 0x000, 1), COPY_CLASS
#define TURING_OBJ_	INC(CSUB, 0x000, 1), 0xc5b5u
#define COMP_OBJ	INC(KSUB, 0x000, 1), COMPUTE_CLASS
/* OFFSET_IN_UPPER .. LINE_COUNT: 9 dwords */
#define COPY_REGS(ih, il, oh, ol, pi, po, ll, lc) \
	INC(CSUB, 0x400, 8), ih, il, oh, ol, pi, po, ll, lc
/* LAUNCH_DMA: 2 dwords */
#define LAUNCH(v)	INC(CSUB, 0x300, 1), (v)
/* SET_REMAP_CONST_A, _B, _COMPONENTS: 4 dwords */
#define REMAP(a, b, c)	INC(CSUB, 0x700, 3), a, b, c
/* SET_SEMAPHORE_A, _B, _PAYLOAD: 4 dwords */
#define COPY_SEM(hi, lo, pay)	INC(CSUB, 0x240, 3), hi, lo, pay
/* NVGC_SET_CYCLES_LO .. NVGC_LAUNCH: 10 dwords */
#define NVGC(clo, chi, ahi, alo, size, val, rhi, rlo, launch) \
	INC(KSUB, 0x3400, 9), clo, chi, ahi, alo, size, val, rhi, rlo, launch

/* LAUNCH_DMA fields */
#define L_PIPE		0x001u
#define L_NONPIPE	0x002u
#define L_SEM1		0x008u
#define L_SEM4		0x010u
#define L_INTR_BLK	0x020u
#define L_INTR_NONBLK	0x040u
#define L_SRC_PITCH	0x080u
#define L_DST_PITCH	0x100u
#define L_MULTI		0x200u
#define L_REMAP		0x400u
#define L_SRC_PHYS	0x1000u
#define L_DST_PHYS	0x2000u
#define L_FLUSH_GL	0x2000000u	/* C7B5: FLUSH_TYPE GL */
#define L_SEM64		0x8000000u	/* C7B5: SEMAPHORE_PAYLOAD_SIZE TWO_WORD */
#define L_COPY		(L_PIPE | L_SRC_PITCH | L_DST_PITCH)	/* 0x181 */

/* the simplest valid copy: 0x1000 -> 0x2000, 64 bytes; launch data at 12 */
#define SIMPLE_COPY_REGS	COPY_OBJ, COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 64, 0)

/* host: SEMAPHOREA..D (5 dwords), SEM_ADDR_LO..SEM_EXECUTE (6 dwords) */
#define SEMAPHORE(a, b, c, d)	INC(0, 0x010, 4), a, b, c, d
#define SEM_EXEC(lo, hi, plo, phi, ex)	INC(0, 0x05c, 5), lo, hi, plo, phi, ex

/* ---- running the parser ---- */

#define MAX_OPS	16

struct run {
	struct nvg_pb_parser p;
	struct nvg_pb_op ops[MAX_OPS];
	unsigned int nops;
	struct nvg_pb_error err;
	int rc;		/* what ended the segment: 0 or -EINVAL */
};

/* Parse one more segment on @r's parser, collecting its ops. */
static void run_segment(struct run *r, const uint32_t *dw, uint32_t n)
{
	struct nvg_pb_op op;

	nvg_pb_parser_segment(&r->p, dw, n);
	for (;;) {
		r->rc = nvg_pb_parser_next(&r->p, &op, &r->err);
		if (r->rc != 1)
			return;
		cr_assert(lt(uint, r->nops, MAX_OPS), "precondition: too many ops");
		r->ops[r->nops++] = op;
	}
}

static void run_start(struct run *r, uint32_t engine_class)
{
	memset(r, 0, sizeof(*r));
	nvg_pb_parser_init(&r->p, engine_class);
}

/*
 * With NVG_FUZZ_SEEDS=DIR in the environment, every pushbuffer run1()
 * parses is also written to DIR, in tests/fuzz/fuzz_pb.c's input format
 * (a class selector byte, then segments of a length byte and at most 255
 * dwords): the fuzzer's seed corpus (make fuzz).
 */
static void write_seed(uint32_t engine_class, const uint32_t *dw, uint32_t n)
{
	static const uint32_t classes[] = { 0, 0xc7b5, 0xc5b5, 0xc7c0, 0xc5c0, 0xc8b5, 0xcbc0 };
	const char *dir = getenv("NVG_FUZZ_SEEDS");
	uint32_t h = nvg_fnv1a32(dw, n * 4, NVG_FNV1A32_INIT ^ engine_class), i, k;
	unsigned char sel = 0;
	char path[512];
	FILE *f;

	if (!dir)
		return;
	for (k = 0; k < ARRAY_SIZE(classes); k++)
		if (classes[k] == engine_class)
			sel = k;
	snprintf(path, sizeof(path), "%s/unit-%08x", dir, h);
	f = fopen(path, "wb");
	if (!f)
		return;
	fputc(sel, f);
	for (i = 0; i < n; i += k) {
		k = n - i < 255 ? n - i : 255;
		fputc(k, f);
		fwrite(dw + i, 4, k, f);
	}
	fclose(f);
}

/* A whole submission of one segment: parsed, then finished. */
static struct run *run1(uint32_t engine_class, const uint32_t *dw, uint32_t n)
{
	static struct run r;

	write_seed(engine_class, dw, n);
	run_start(&r, engine_class);
	run_segment(&r, dw, n);
	if (!r.rc)
		r.rc = nvg_pb_parser_finish(&r.p, &r.err);
	return &r;
}

#define RUN(cls, ...)	({						\
	static const uint32_t _dw[] = { __VA_ARGS__ };			\
	run1(cls, _dw, ARRAY_SIZE(_dw));				\
})

/* A run that must succeed with exactly @n ops. */
static void expect_ops(const struct run *r, unsigned int n)
{
	cr_assert(eq(int, r->rc, 0), "parse failed at dword %u: %s", r->err.index,
		  r->err.reason ? r->err.reason : "(null)");
	cr_assert(eq(uint, r->nops, n));
}

static void expect_range(const struct nvg_pb_range *r, uint64_t va, uint64_t size,
			 bool write)
{
	cr_assert(eq(u64, r->va, va));
	cr_assert(eq(u64, r->size, size));
	cr_assert(eq(int, r->write, write));
}

static int ranges(const struct nvg_pb_op *op, struct nvg_pb_range *r)
{
	return nvg_pb_op_ranges(op, r);
}

/* ---- method header encode / decode ---- */

Test(header, incr_encodes)
{
	cr_assert(eq(u32, nvg_pb_hdr_incr(4, 0x300, 1), 0x200180c0));
}

Test(header, nonincr_encodes)
{
	cr_assert(eq(u32, nvg_pb_hdr_nonincr(1, 0x018, 3), 0x60032006));
}

Test(header, inc_once_encodes)
{
	cr_assert(eq(u32, nvg_pb_hdr_inc_once(2, 0x400, 8191), 0xbfff4100));
}

Test(header, imm_encodes)
{
	cr_assert(eq(u32, nvg_pb_hdr_imm(4, 0x300, 0x181), 0x818180c0));
}

Test(header, end_segment_encodes)
{
	cr_assert(eq(u32, nvg_pb_hdr_end_segment(), 0xe0000000));
}

struct hdr_case {
	uint32_t sec_op;
	uint32_t subch;
	uint32_t method;
	uint32_t count;
};

ParameterizedTestParameters(header, round_trip)
{
	static const struct hdr_case cases[] = {
		{ 1, 0, 0x000, 1 }, { 1, 7, 0x3ffc, 8191 }, { 1, 4, 0x300, 0 },
		{ 3, 0, 0x018, 2 }, { 3, 5, 0x1234, 8191 }, { 3, 3, 0x3ffc, 1 },
		{ 4, 4, 0x300, 0x181 }, { 4, 0, 0x000, 0 }, { 4, 7, 0x3ffc, 0x1fff },
		{ 5, 2, 0x400, 3 }, { 5, 1, 0x3400, 8191 }, { 5, 6, 0x4, 0 },
	};

	return cr_make_param_array(struct hdr_case, (void *)cases, ARRAY_SIZE(cases));
}

ParameterizedTest(const struct hdr_case *c, header, round_trip)
{
	uint32_t dw;
	struct nvg_pb_hdr h;

	switch (c->sec_op) {
	case 1:
		dw = nvg_pb_hdr_incr(c->subch, c->method, c->count);
		break;
	case 3:
		dw = nvg_pb_hdr_nonincr(c->subch, c->method, c->count);
		break;
	case 4:
		dw = nvg_pb_hdr_imm(c->subch, c->method, c->count);
		break;
	default:
		dw = nvg_pb_hdr_inc_once(c->subch, c->method, c->count);
		break;
	}
	cr_assert(eq(u32, dw, HDR(c->sec_op, c->subch, c->method, c->count)));
	nvg_pb_hdr_decode(dw, &h);
	cr_assert(eq(u32, h.sec_op, c->sec_op));
	cr_assert(eq(u32, h.subch, c->subch));
	cr_assert(eq(u32, h.method, c->method));
	cr_assert(eq(u32, h.count, c->count));
	cr_assert(not(h.reserved));
}

Test(header, decode_sees_reserved_bit)
{
	struct nvg_pb_hdr h;

	nvg_pb_hdr_decode(INC(0, 0x008, 1) | RSVD12, &h);
	cr_assert(h.reserved);
	cr_assert(eq(u32, h.method, 0x008), "bit 12 is not part of the address");
}

Test(header, decode_end_segment)
{
	struct nvg_pb_hdr h;

	nvg_pb_hdr_decode(nvg_pb_hdr_end_segment(), &h);
	cr_assert(eq(u32, h.sec_op, NVG_PB_SEC_OP_END_PB_SEGMENT));
}

Test(header, fields_are_masked)
{
	/* an oversized count must not spill into SEC_OP */
	cr_assert(eq(u32, nvg_pb_hdr_incr(0, 0, 0x2000) >> 29, 1));
}

/* ---- GPFIFO entries ---- */

struct gp_case {
	uint64_t va;
	uint32_t ndw;
	uint32_t flags;
	uint64_t entry;
};

ParameterizedTestParameters(gpfifo, round_trip)
{
	static const struct gp_case cases[] = {
		{ 0x1000, 16, 0, 0x0000400000001000ull },
		{ 0xfffffffffcull, 1, 0, 0x000004fffffffffcull },
		{ 0x12345678, 0x1fffff, NVG_GPFIFO_F_SYNC_WAIT, 0xfffffc0012345678ull },
		{ 0xab00000000ull, 2, 0, 0x000008ab00000000ull },
	};

	return cr_make_param_array(struct gp_case, (void *)cases, ARRAY_SIZE(cases));
}

ParameterizedTest(const struct gp_case *c, gpfifo, round_trip)
{
	struct nvg_gpfifo_entry d;
	const char *why = "unset";
	uint64_t e = nvg_gpfifo_entry_encode(c->va, c->ndw, c->flags);

	cr_assert(eq(u64, e, c->entry));
	cr_assert(nvg_gpfifo_entry_args_valid(c->va, c->ndw));
	cr_assert(eq(int, nvg_gpfifo_entry_check(e, &d, &why), 0), "%s", why);
	cr_assert(zero(ptr, (void *)why));
	cr_assert(eq(u64, d.va, c->va));
	cr_assert(eq(u32, d.ndw, c->ndw));
	cr_assert(eq(u32, d.level, 0));
	cr_assert(eq(int, d.sync, !!(c->flags & NVG_GPFIFO_F_SYNC_WAIT)));
	cr_assert(eq(u32, d.fetch, 0));
}

Test(gpfifo, decode_flags)
{
	struct nvg_gpfifo_entry d;

	nvg_gpfifo_entry_decode(nvg_gpfifo_entry_encode(0x1000, 4,
		NVG_GPFIFO_F_SUBROUTINE | NVG_GPFIFO_F_FETCH_CONDITIONAL), &d);
	cr_assert(eq(u32, d.level, 1));
	cr_assert(eq(u32, d.fetch, 1));
	cr_assert(not(d.sync));
}

Test(gpfifo, control_nop_accepted)
{
	struct nvg_gpfifo_entry d;

	cr_assert(eq(int, nvg_gpfifo_entry_check(0, &d, NULL), 0));
	cr_assert(eq(u32, d.ndw, 0));
}

Test(gpfifo, control_nop_ignores_fetch_bit)
{
	struct nvg_gpfifo_entry d;

	cr_assert(eq(int, nvg_gpfifo_entry_check(1, &d, NULL), 0));
	cr_assert(eq(u32, d.ndw, 0));
}

Test(gpfifo, control_nop_with_sync_accepted)
{
	struct nvg_gpfifo_entry d;

	cr_assert(eq(int, nvg_gpfifo_entry_check(0x8000000000000000ull, &d, NULL), 0));
	cr_assert(d.sync);
}

struct gp_bad {
	uint64_t entry;
	char reason[48];
};

ParameterizedTestParameters(gpfifo, rejected)
{
	static const struct gp_bad cases[] = {
		/* LENGTH 0 with an operand: not a NOP */
		{ 0x0000000000001000ull, "control entry other than NOP" },
		/* LENGTH 0, OPCODE ILLEGAL (ENTRY1 7:0) */
		{ 0x0000000100000000ull, "control entry other than NOP" },
		/* LENGTH 0, OPCODE PB_CRC */
		{ 0x0000000300000000ull, "control entry other than NOP" },
		/* LEVEL subroutine */
		{ 0x0000060000001000ull, "subroutine" },
		/* FETCH conditional */
		{ 0x0000040000001001ull, "conditional fetch" },
		/* reserved ENTRY0 bit 1 */
		{ 0x0000040000001002ull, "reserved bits" },
		/* reserved ENTRY1 bit 8 */
		{ 0x0000050000001000ull, "reserved bits" },
		/* 2 dwords from 2^40 - 4 */
		{ 0x000008fffffffffcull, "above 2^40" },
	};

	return cr_make_param_array(struct gp_bad, (void *)cases, ARRAY_SIZE(cases));
}

ParameterizedTest(const struct gp_bad *c, gpfifo, rejected)
{
	struct nvg_gpfifo_entry d;
	const char *why = NULL;

	cr_assert(eq(int, nvg_gpfifo_entry_check(c->entry, &d, &why), -EINVAL),
		  "entry %#llx", (unsigned long long)c->entry);
	cr_assert_not_null(why);
	cr_assert(strstr(why, c->reason) != NULL, "reason \"%s\", expected \"%s\"", why, c->reason);
}

struct gp_args {
	uint64_t va;
	uint32_t ndw;
};

ParameterizedTestParameters(gpfifo, args_rejected)
{
	static const struct gp_args cases[] = {
		{ 0x1001, 1 },			/* VA not dword aligned */
		{ 0x1002, 1 },
		{ 1ull << 40, 1 },		/* VA at 2^40 */
		{ 0xffffffffffffull, 1 },
		{ 0x1000, 0 },			/* LENGTH 0 */
		{ 0x1000, 0x200000 },		/* LENGTH does not fit 21 bits */
		{ (1ull << 40) - 4, 2 },	/* ends above 2^40 */
	};

	return cr_make_param_array(struct gp_args, (void *)cases, ARRAY_SIZE(cases));
}

ParameterizedTest(const struct gp_args *c, gpfifo, args_rejected)
{
	cr_assert(not(nvg_gpfifo_entry_args_valid(c->va, c->ndw)),
		  "va %#llx ndw %u", (unsigned long long)c->va, c->ndw);
}

Test(gpfifo, args_last_dword_below_2_40)
{
	cr_assert(nvg_gpfifo_entry_args_valid((1ull << 40) - 4, 1));
}

/* ---- copy ---- */

Test(copy, plain)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    COPY_REGS(0x12, 0x34567000, 0x01, 0x00001000, 0x40, 0x80, 4096, 7),
			    LAUNCH(L_COPY));
	const struct nvg_pb_copy *c = &r->ops[0].copy;
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_COPY));
	cr_assert(eq(u32, r->ops[0].index, 12));
	cr_assert(eq(u64, c->src_va, 0x1234567000ull));
	cr_assert(eq(u64, c->dst_va, 0x0100001000ull));
	cr_assert(eq(u32, c->line_len, 4096));
	cr_assert(eq(u32, c->line_count, 1), "LINE_COUNT only counts with MULTI_LINE");
	cr_assert(eq(u32, c->pitch_in, 0));
	cr_assert(eq(u32, c->pitch_out, 0));
	cr_assert(not(c->remap));
	cr_assert(eq(u64, c->src_bytes_per_line, 4096));
	cr_assert(eq(u64, c->dst_bytes_per_line, 4096));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 2));
	expect_range(&rg[0], 0x1234567000ull, 4096, false);
	expect_range(&rg[1], 0x0100001000ull, 4096, true);
}

Test(copy, non_pipelined)
{
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS,
			    LAUNCH(L_NONPIPE | L_SRC_PITCH | L_DST_PITCH));

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_COPY));
}

Test(copy, flush_enable_accepted)
{
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS, LAUNCH(L_COPY | 0x4));

	expect_ops(r, 1);
}

Test(copy, turing_class)
{
	struct run *r = RUN(0xc5b5, INC(CSUB, 0x000, 1), 0xc5b5,
			    COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 64, 0), LAUNCH(L_COPY));

	expect_ops(r, 1);
	cr_assert(eq(u64, r->ops[0].copy.dst_va, 0x2000));
}

/* HOPPER_DMA_COPY_A (C8B5): a copy engine class, with C7B5's additions. */
Test(copy, hopper_class)
{
	struct run *r = RUN(0xc8b5, INC(CSUB, 0x000, 1), 0xc8b5,
			    COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 64, 0), LAUNCH(L_COPY | L_FLUSH_GL));

	expect_ops(r, 1);
	cr_assert(eq(u64, r->ops[0].copy.dst_va, 0x2000));
}

Test(copy, hopper_64bit_semaphore)
{
	struct run *r = RUN(0xc8b5, INC(CSUB, 0x000, 1), 0xc8b5,
			    INC(CSUB, 0x240, 4), 0, 0x3008, 0x11111111, 0x22222222,
			    LAUNCH(L_SEM1 | L_SEM64));

	expect_ops(r, 1);
	cr_assert(eq(u64, r->ops[0].release.payload, 0x2222222211111111ull));
	cr_assert(eq(u32, r->ops[0].release.size, 8));
}

Test(copy, multi_line)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    COPY_REGS(0, 0x10000, 0, 0x80000, 0x1000, 0x800, 0x100, 3),
			    LAUNCH(L_COPY | L_MULTI));
	const struct nvg_pb_copy *c = &r->ops[0].copy;
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, c->line_count, 3));
	cr_assert(eq(u32, c->pitch_in, 0x1000));
	cr_assert(eq(u32, c->pitch_out, 0x800));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 2));
	expect_range(&rg[0], 0x10000, 2 * 0x1000 + 0x100, false);
	expect_range(&rg[1], 0x80000, 2 * 0x800 + 0x100, true);
}

Test(copy, remap_swizzle)
{
	/* BGRA from RGBA: DST_X=SRC_Z, DST_Y=SRC_Y, DST_Z=SRC_X, DST_W=SRC_W */
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    REMAP(0x11, 0x22, 0x03303012),
			    COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 16, 0),
			    LAUNCH(L_COPY | L_REMAP));
	const struct nvg_pb_copy *c = &r->ops[0].copy;
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(c->remap);
	cr_assert(eq(u32, c->remap_cfg.dst[0], 2));
	cr_assert(eq(u32, c->remap_cfg.dst[1], 1));
	cr_assert(eq(u32, c->remap_cfg.dst[2], 0));
	cr_assert(eq(u32, c->remap_cfg.dst[3], 3));
	cr_assert(eq(u32, c->remap_cfg.component_size, 1));
	cr_assert(eq(u32, c->remap_cfg.num_src, 4));
	cr_assert(eq(u32, c->remap_cfg.num_dst, 4));
	cr_assert(eq(u32, c->remap_cfg.const_a, 0x11));
	cr_assert(eq(u32, c->remap_cfg.const_b, 0x22));
	cr_assert(eq(u32, c->line_len, 16), "remap line length is in elements");
	cr_assert(eq(u64, c->src_bytes_per_line, 64));
	cr_assert(eq(u64, c->dst_bytes_per_line, 64));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 2));
	expect_range(&rg[0], 0x1000, 64, false);
	expect_range(&rg[1], 0x2000, 64, true);
}

Test(copy, remap_widening)
{
	/* 2-byte components: 1 source component to 3 (X=SRC_X, Y=CONST_B, Z=NO_WRITE) */
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    REMAP(0, 0xbeef, 0x02010650),
			    COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 10, 0),
			    LAUNCH(L_COPY | L_REMAP));
	const struct nvg_pb_copy *c = &r->ops[0].copy;

	expect_ops(r, 1);
	cr_assert(eq(u32, c->remap_cfg.component_size, 2));
	cr_assert(eq(u32, c->remap_cfg.num_src, 1));
	cr_assert(eq(u32, c->remap_cfg.num_dst, 3));
	cr_assert(eq(u32, c->remap_cfg.dst[0], NVG_REMAP_SRC_X));
	cr_assert(eq(u32, c->remap_cfg.dst[1], NVG_REMAP_CONST_B));
	cr_assert(eq(u32, c->remap_cfg.dst[2], NVG_REMAP_NO_WRITE));
	cr_assert(eq(u64, c->src_bytes_per_line, 10 * 2));
	cr_assert(eq(u64, c->dst_bytes_per_line, 10 * 3 * 2));
}

Test(copy, remap_fill_reads_no_source)
{
	/* DST_X = CONST_A, 4-byte components, 1 dst component: a u32 fill */
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    REMAP(0xdeadbeef, 0, 0x00030004),
			    COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 1024, 0),
			    LAUNCH(L_COPY | L_REMAP));
	const struct nvg_pb_copy *c = &r->ops[0].copy;
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, c->remap_cfg.const_a, 0xdeadbeef));
	cr_assert(eq(u64, c->src_bytes_per_line, 0));
	cr_assert(eq(u64, c->dst_bytes_per_line, 4096));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 1));
	expect_range(&rg[0], 0x2000, 4096, true);
}

Test(copy, remap_unused_selectors_ignored)
{
	/* NUM_DST 1: DST_Y..W may hold anything, even the reserved 7 */
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    REMAP(1, 0, 0x00037774),
			    COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 8, 0),
			    LAUNCH(L_COPY | L_REMAP));

	expect_ops(r, 1);
}

Test(copy, remap_ignored_without_remap_enable)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    REMAP(0, 0, 0xffffffff),
			    COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 8, 0),
			    LAUNCH(L_COPY));

	expect_ops(r, 1);
	cr_assert(not(r->ops[0].copy.remap));
	cr_assert(eq(u64, r->ops[0].copy.dst_bytes_per_line, 8));
}

Test(copy, largest_range_is_4_gib)
{
	/* 2 lines of 2 GiB, 2 GiB apart: exactly 4 GiB each side */
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    COPY_REGS(0, 0, 1, 0, 0x80000000, 0x80000000, 0x80000000, 2),
			    LAUNCH(L_COPY | L_MULTI));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(int, ranges(&r->ops[0], rg), 2));
	expect_range(&rg[0], 0, 1ull << 32, false);
	expect_range(&rg[1], 1ull << 32, 1ull << 32, true);
}

Test(copy, range_may_end_at_2_40)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    COPY_REGS(0, 0x1000, 0xff, 0xffffffc0, 0, 0, 64, 0),
			    LAUNCH(L_COPY));

	expect_ops(r, 1);
}

Test(copy, with_one_word_semaphore)
{
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS,
			    COPY_SEM(0x01, 0x2004, 0xabcd), LAUNCH(L_COPY | L_SEM1));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 2);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_COPY));
	cr_assert(eq(u32, r->ops[1].kind, NVG_PB_OP_SEM_RELEASE));
	cr_assert(eq(u32, r->ops[1].index, 16));
	cr_assert(eq(u64, r->ops[1].release.va, 0x100002004ull));
	cr_assert(eq(u64, r->ops[1].release.payload, 0xabcd));
	cr_assert(eq(u32, r->ops[1].release.size, 4));
	cr_assert(not(r->ops[1].release.timestamp));
	cr_assert(eq(int, ranges(&r->ops[1], rg), 1));
	expect_range(&rg[0], 0x100002004ull, 4, true);
}

Test(copy, with_four_word_semaphore)
{
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS,
			    COPY_SEM(0, 0x3010, 7), LAUNCH(L_COPY | L_SEM4));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 2);
	cr_assert(eq(u32, r->ops[1].kind, NVG_PB_OP_SEM_RELEASE));
	cr_assert(eq(u32, r->ops[1].release.size, 4));
	cr_assert(r->ops[1].release.timestamp);
	cr_assert(eq(int, ranges(&r->ops[1], rg), 1));
	expect_range(&rg[0], 0x3010, 16, true);
}

Test(copy, with_semaphore_and_interrupt)
{
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS,
			    COPY_SEM(0, 0x3000, 1), LAUNCH(L_COPY | L_SEM1 | L_INTR_BLK));

	expect_ops(r, 3);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_COPY));
	cr_assert(eq(u32, r->ops[1].kind, NVG_PB_OP_SEM_RELEASE));
	cr_assert(eq(u32, r->ops[2].kind, NVG_PB_OP_INTERRUPT));
	cr_assert(eq(u32, r->ops[2].index, 16));
}

Test(copy, non_blocking_interrupt)
{
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS, LAUNCH(L_COPY | L_INTR_NONBLK));

	expect_ops(r, 2);
	cr_assert(eq(u32, r->ops[1].kind, NVG_PB_OP_INTERRUPT));
}

Test(copy, semaphore_only_launch_ignores_layouts)
{
	/* no transfer: block-linear layouts and garbage copy registers are fine */
	struct run *r = RUN(COPY_CLASS, COPY_OBJ, COPY_SEM(0, 0x3000, 9),
			    LAUNCH(L_SEM1 | L_SRC_PHYS | L_REMAP | L_MULTI));

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_SEM_RELEASE));
	cr_assert(eq(u64, r->ops[0].release.payload, 9));
}

Test(copy, empty_launch_is_no_op)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ, LAUNCH(0));

	expect_ops(r, 0);
}

Test(copy, launch_by_immediate)
{
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS, IMM(CSUB, 0x300, L_COPY));

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_COPY));
	cr_assert(eq(u32, r->ops[0].index, 11), "the header is the immediate's dword");
}

Test(copy, nop_method)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ, INC(CSUB, 0x100, 1), 0x12345678);

	expect_ops(r, 0);
}

Test(copy, any_hw_subchannel_can_bind)
{
	struct run *r = RUN(COPY_CLASS, INC(2, 0x000, 1), COPY_CLASS,
			    INC(2, 0x400, 8), 0, 0x1000, 0, 0x2000, 0, 0, 64, 0,
			    INC(2, 0x300, 1), L_COPY);

	expect_ops(r, 1);
}

Test(copy, rebinding_same_class_is_fine)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ, SIMPLE_COPY_REGS,
			    LAUNCH(L_COPY));

	expect_ops(r, 1);
}

/* ---- host semaphores ---- */

Test(host_sem, semaphored_release_4byte)
{
	struct run *r = RUN(0, SEMAPHORE(0x12, 0x34560014, 0xcafe, 0x01000002));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_SEM_RELEASE));
	cr_assert(eq(u32, r->ops[0].index, 4));
	cr_assert(eq(u64, r->ops[0].release.va, 0x1234560014ull));
	cr_assert(eq(u64, r->ops[0].release.payload, 0xcafe));
	cr_assert(eq(u32, r->ops[0].release.size, 4));
	cr_assert(not(r->ops[0].release.timestamp));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 1));
	expect_range(&rg[0], 0x1234560014ull, 4, true);
}

Test(host_sem, semaphored_release_16byte)
{
	struct run *r = RUN(0, SEMAPHORE(0, 0x5010, 3, 0x00000002));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].release.size, 4));
	cr_assert(r->ops[0].release.timestamp);
	cr_assert(eq(int, ranges(&r->ops[0], rg), 1));
	expect_range(&rg[0], 0x5010, 16, true);
}

Test(host_sem, semaphored_acquire)
{
	struct run *r = RUN(0, SEMAPHORE(0, 0x5004, 42, 0x00000001));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_SEM_ACQUIRE));
	cr_assert(eq(u64, r->ops[0].acquire.va, 0x5004));
	cr_assert(eq(u64, r->ops[0].acquire.payload, 42));
	cr_assert(eq(u32, r->ops[0].acquire.size, 4));
	cr_assert(eq(u32, r->ops[0].acquire.cond, NVG_PB_SEM_EQ));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 1));
	expect_range(&rg[0], 0x5004, 4, false);
}

Test(host_sem, semaphored_acq_geq)
{
	struct run *r = RUN(0, SEMAPHORE(0, 0x5004, 42, 0x00000004));

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_SEM_ACQUIRE));
	cr_assert(eq(u32, r->ops[0].acquire.cond, NVG_PB_SEM_GEQ));
}

Test(host_sem, semaphored_hints_accepted)
{
	/* ACQUIRE_SWITCH (12) and RELEASE_WFI (20) */
	struct run *r = RUN(0, SEMAPHORE(0, 0x5000, 1, 0x01101002));

	expect_ops(r, 1);
}

Test(host_sem, sem_execute_release_32)
{
	/* PAYLOAD_HI is ignored for a 32-bit release */
	struct run *r = RUN(0, SEM_EXEC(0x6004, 0x03, 0x11223344, 0x55667788, 0x00000001));

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_SEM_RELEASE));
	cr_assert(eq(u32, r->ops[0].index, 5));
	cr_assert(eq(u64, r->ops[0].release.va, 0x300006004ull));
	cr_assert(eq(u64, r->ops[0].release.payload, 0x11223344));
	cr_assert(eq(u32, r->ops[0].release.size, 4));
	cr_assert(not(r->ops[0].release.timestamp));
}

Test(host_sem, sem_execute_release_64)
{
	struct run *r = RUN(0, SEM_EXEC(0x6008, 0, 0x11223344, 0x55667788, 0x01000001));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u64, r->ops[0].release.payload, 0x5566778811223344ull));
	cr_assert(eq(u32, r->ops[0].release.size, 8));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 1));
	expect_range(&rg[0], 0x6008, 8, true);
}

Test(host_sem, sem_execute_release_64_timestamp)
{
	struct run *r = RUN(0, SEM_EXEC(0x6010, 0, 1, 2, 0x03000001));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].release.size, 8));
	cr_assert(r->ops[0].release.timestamp);
	cr_assert(eq(int, ranges(&r->ops[0], rg), 1));
	expect_range(&rg[0], 0x6010, 16, true);
}

Test(host_sem, sem_execute_release_32_timestamp)
{
	struct run *r = RUN(0, SEM_EXEC(0x6010, 0, 1, 2, 0x02000001));

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].release.size, 4));
	cr_assert(r->ops[0].release.timestamp);
}

Test(host_sem, sem_execute_acquire_eq_64)
{
	struct run *r = RUN(0, SEM_EXEC(0x6008, 0, 5, 6, 0x01000000));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_SEM_ACQUIRE));
	cr_assert(eq(u64, r->ops[0].acquire.payload, 0x600000005ull));
	cr_assert(eq(u32, r->ops[0].acquire.size, 8));
	cr_assert(eq(u32, r->ops[0].acquire.cond, NVG_PB_SEM_EQ));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 1));
	expect_range(&rg[0], 0x6008, 8, false);
}

Test(host_sem, sem_execute_acquire_geq_32)
{
	struct run *r = RUN(0, SEM_EXEC(0x6004, 0, 5, 6, 0x00000002));

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_SEM_ACQUIRE));
	cr_assert(eq(u64, r->ops[0].acquire.payload, 5));
	cr_assert(eq(u32, r->ops[0].acquire.size, 4));
	cr_assert(eq(u32, r->ops[0].acquire.cond, NVG_PB_SEM_GEQ));
}

Test(host_sem, sem_execute_timestamp_ignored_on_acquire)
{
	/* only 4-byte aligned, yet RELEASE_TIMESTAMP: means nothing to an acquire */
	struct run *r = RUN(0, SEM_EXEC(0x6004, 0, 5, 0, 0x02000000));

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_SEM_ACQUIRE));
}

Test(host_sem, sem_execute_hints_accepted)
{
	/* ACQUIRE_SWITCH_TSG (12), RELEASE_WFI (20) */
	struct run *r = RUN(0, SEM_EXEC(0x6004, 0, 5, 0, 0x00101001));

	expect_ops(r, 1);
}

/* ---- other host methods ---- */

Test(host, non_stall_interrupt)
{
	struct run *r = RUN(0, INC(0, 0x020, 1), 0);
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_INTERRUPT));
	cr_assert(eq(u32, r->ops[0].index, 1));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 0));
}

Test(host, wfi)
{
	struct run *r = RUN(0, INC(0, 0x078, 1), 0, IMM(3, 0x078, 1));

	expect_ops(r, 2);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_WFI));
	cr_assert(eq(u32, r->ops[1].kind, NVG_PB_OP_WFI));
	cr_assert(eq(u32, r->ops[1].index, 2));
}

Test(host, nop_method_and_nop_dwords)
{
	struct run *r = RUN(0, 0, NONINC(0, 0x008, 2), 0xffffffff, 0x12345678, 0, 0);

	expect_ops(r, 0);
}

Test(host, count_zero_header_is_no_op)
{
	/* even a non-host method on an unbound subchannel: nothing is written */
	struct run *r = RUN(COPY_CLASS, INC(CSUB, 0x300, 0), NONINC(3, 0x300, 0),
			    ONEINC(0, 0x004, 0), INC(0, 0x020, 1), 0);

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].index, 4));
}

Test(host, host_methods_on_every_hw_subchannel)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    INC(0, 0x020, 1), 0, INC(1, 0x020, 1), 0, INC(2, 0x020, 1), 0,
			    INC(3, 0x020, 1), 0, INC(4, 0x020, 1), 0);

	expect_ops(r, 5);
}

Test(host, host_only_channel)
{
	struct run *r = RUN(0, SEMAPHORE(0, 0x5000, 1, 0x01000002), INC(0, 0x020, 1), 0);

	expect_ops(r, 2);
}

Test(host, host_only_channel_cannot_bind)
{
	struct run *r = RUN(0, INC(0, 0x000, 1), COPY_CLASS);

	cr_assert(eq(int, r->rc, -EINVAL));
	cr_assert(eq(u32, r->err.index, 1));
}

Test(host, unknown_engine_class_is_host_only)
{
	struct run *r = RUN(0xc56f, INC(0, 0x000, 1), 0xc56f);

	cr_assert(eq(int, r->rc, -EINVAL));
	cr_assert(strstr(r->err.reason, "engine class") != NULL);
}

/* ---- compute ---- */

Test(compute, busy)
{
	struct run *r = RUN(COMPUTE_CLASS, COMP_OBJ, NVGC(5, 1, 0, 0, 0, 0, 0, 0, 0));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_BUSY));
	cr_assert(eq(u32, r->ops[0].index, 11));
	cr_assert(eq(u64, r->ops[0].busy.cycles, 0x100000005ull));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 0));
}

Test(compute, fill)
{
	struct run *r = RUN(COMPUTE_CLASS, COMP_OBJ,
			    NVGC(0, 0, 0x02, 0x1000, 0x400, 0xa5a5a5a5, 0, 0, 1));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_FILL));
	cr_assert(eq(u64, r->ops[0].fill.va, 0x200001000ull));
	cr_assert(eq(u64, r->ops[0].fill.size, 0x400));
	cr_assert(eq(u32, r->ops[0].fill.value, 0xa5a5a5a5));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 1));
	expect_range(&rg[0], 0x200001000ull, 0x400, true);
}

Test(compute, checksum)
{
	struct run *r = RUN(COMPUTE_CLASS, COMP_OBJ,
			    NVGC(0, 0, 0, 0x1001, 0x3, 0, 0x01, 0x8000, 2));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_CHECKSUM));
	cr_assert(eq(u64, r->ops[0].checksum.va, 0x1001), "input needs no alignment");
	cr_assert(eq(u64, r->ops[0].checksum.size, 3));
	cr_assert(eq(u64, r->ops[0].checksum.result_va, 0x100008000ull));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 2));
	expect_range(&rg[0], 0x1001, 3, false);
	expect_range(&rg[1], 0x100008000ull, 4, true);
}

Test(compute, launch_interrupt)
{
	struct run *r = RUN(COMPUTE_CLASS, COMP_OBJ, NVGC(1, 0, 0, 0, 0, 0, 0, 0, 0x10));

	expect_ops(r, 2);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_BUSY));
	cr_assert(eq(u32, r->ops[1].kind, NVG_PB_OP_INTERRUPT));
}

Test(compute, every_compute_class)
{
	static const uint32_t classes[] = { 0xc5c0, 0xc7c0, 0xc9c0, 0xcbc0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		const uint32_t dw[] = { INC(KSUB, 0x000, 1), classes[i], IMM(KSUB, 0x3420, 0) };
		struct run *r = run1(classes[i], dw, ARRAY_SIZE(dw));

		expect_ops(r, 1);
	}
}

/* ---- method stepping: incrementing, non-incrementing, increment-once ---- */

Test(stepping, non_incrementing_last_write_wins)
{
	struct run *r = RUN(0, INC(0, 0x010, 2), 0, 0x5000,
			    NONINC(0, 0x018, 3), 1, 2, 3, IMM(0, 0x01c, 2));

	expect_ops(r, 1);
	cr_assert(eq(u64, r->ops[0].release.payload, 3));
}

Test(stepping, non_incrementing_repeats_a_launch)
{
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS,
			    NONINC(CSUB, 0x300, 3), L_COPY, L_COPY, L_COPY);

	expect_ops(r, 3);
	cr_assert(eq(u32, r->ops[0].index, 12));
	cr_assert(eq(u32, r->ops[1].index, 13));
	cr_assert(eq(u32, r->ops[2].index, 14));
}

Test(stepping, increment_once)
{
	/* OFFSET_IN_UPPER := 1, then OFFSET_IN_LOWER := 0x2000, := 0x3000 */
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS,
			    ONEINC(CSUB, 0x400, 3), 1, 0x2000, 0x3000, LAUNCH(L_COPY));

	expect_ops(r, 1);
	cr_assert(eq(u64, r->ops[0].copy.src_va, 0x100003000ull));
	cr_assert(eq(u64, r->ops[0].copy.dst_va, 0x2000), "OFFSET_OUT untouched");
}

Test(stepping, increment_once_checks_second_method)
{
	/* NOP (0x100) := 0, then 0x104, which the copy class lacks: refused at its dword */
	struct run *r = RUN(COPY_CLASS, COPY_OBJ, ONEINC(CSUB, 0x100, 2), 0, 0);

	cr_assert(eq(int, r->rc, -EINVAL));
	cr_assert(eq(u32, r->err.index, 4));
	cr_assert(eq(u32, r->err.method, 0x104));
}

Test(stepping, incrementing_walks_methods)
{
	/* WFI at 0x078, then 0x07c: unknown, at the second data dword */
	struct run *r = RUN(0, INC(0, 0x078, 2), 0, 0);

	cr_assert(eq(int, r->rc, -EINVAL));
	/* ops stream out as parsed: a validator must run to the end before trusting any */
	cr_assert(eq(uint, r->nops, 1));
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_WFI));
	cr_assert(eq(u32, r->err.index, 2));
	cr_assert(eq(u32, r->err.method, 0x07c));
	cr_assert(strstr(r->err.reason, "unknown host method") != NULL);
}

Test(stepping, count_may_fill_the_segment_exactly)
{
	struct run *r = RUN(0, NONINC(0, 0x008, 3), 1, 2, 3);

	expect_ops(r, 0);
}

/* ---- fidelity to NVIDIA's formats: what hardware accepts, we accept ---- */

Test(copy, upper_fields_are_17_bits)
{
	/* OFFSET_*_UPPER and SET_SEMAPHORE_A are 16:0; only their use is checked. */
	struct run *r = RUN(COPY_CLASS, COPY_OBJ, INC(CSUB, 0x400, 1), 0x1ffff,
			    INC(CSUB, 0x408, 1), 0x10000, INC(CSUB, 0x240, 1), 0x1ffff,
			    COPY_REGS(0, 0x1000, 0xff, 0x2000, 0, 0, 64, 0), COPY_SEM(0xff, 0x10, 9),
			    LAUNCH(L_COPY | L_SEM1));

	expect_ops(r, 2);
	cr_assert(eq(u64, r->ops[0].copy.dst_va, 0xff00002000ull));
	cr_assert(eq(u64, r->ops[1].release.va, 0xff00000010ull));
}

Test(copy, c7b5_64bit_semaphore_one_word)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    INC(CSUB, 0x240, 4), 0, 0x3008, 0x11111111, 0x22222222,
			    LAUNCH(L_SEM1 | L_SEM64));
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_SEM_RELEASE));
	cr_assert(eq(u64, r->ops[0].release.va, 0x3008));
	cr_assert(eq(u64, r->ops[0].release.payload, 0x2222222211111111ull));
	cr_assert(eq(u32, r->ops[0].release.size, 8));
	cr_assert(not(r->ops[0].release.timestamp));
	cr_assert(eq(int, ranges(&r->ops[0], rg), 1));
	expect_range(&rg[0], 0x3008, 8, true);
}

Test(copy, c7b5_64bit_semaphore_four_word)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    INC(CSUB, 0x240, 4), 0, 0x3010, 5, 6, LAUNCH(L_SEM4 | L_SEM64));

	expect_ops(r, 1);
	cr_assert(eq(u64, r->ops[0].release.payload, 0x600000005ull));
	cr_assert(eq(u32, r->ops[0].release.size, 8));
	cr_assert(r->ops[0].release.timestamp);
}

Test(copy, c7b5_payload_upper_unused_without_size_bit)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ,
			    INC(CSUB, 0x240, 4), 0, 0x3000, 5, 6, LAUNCH(L_SEM1));

	expect_ops(r, 1);
	cr_assert(eq(u64, r->ops[0].release.payload, 5));
	cr_assert(eq(u32, r->ops[0].release.size, 4));
}

Test(copy, c7b5_flush_type_is_a_hint)
{
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS, LAUNCH(L_COPY | 0x4 | L_FLUSH_GL));

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_COPY));
}

Test(host, fb_flush_mem_op_reference_yield_accepted)
{
	/* FB_FLUSH, an L2 flush, SET_REFERENCE, YIELD NOP and TSG: no ops. */
	struct run *r = RUN(0, IMM(0, 0x024, 0), INC(0, 0x028, 4), 0, 0, 0, 0x10u << 27,
			    INC(0, 0x050, 1), 42, IMM(0, 0x080, 0), IMM(0, 0x080, 3),
			    INC(0, 0x034, 1), 0xdu << 27, INC(0, 0x034, 1), 0xeu << 27,
			    INC(0, 0x034, 1), 0xfu << 27, INC(0, 0x034, 1), 0x15u << 27);

	expect_ops(r, 0);
}

Test(host, mem_op_membar_waits_for_idle)
{
	struct run *r = RUN(0, INC(0, 0x028, 4), 0, 0, 0, 5u << 27);

	expect_ops(r, 1);
	cr_assert(eq(u32, r->ops[0].kind, NVG_PB_OP_WFI));
	cr_assert(eq(u32, r->ops[0].index, 4));
}

/* ---- channel state across submissions ---- */

/* The method state a parser holds, field by field. */
static void expect_same_state(const struct nvg_pb_parser *a, const struct nvg_pb_parser *b)
{
	cr_assert(eq(int, memcmp(a->subch_class, b->subch_class, sizeof(a->subch_class)), 0));
	cr_assert(eq(int, memcmp(&a->host, &b->host, sizeof(a->host)), 0));
	cr_assert(eq(int, memcmp(&a->copy, &b->copy, sizeof(a->copy)), 0));
	cr_assert(eq(int, memcmp(&a->compute, &b->compute, sizeof(a->compute)), 0));
}

/* Restore @first's end state into a fresh parser; 0 ops, same state. */
static uint32_t restore_into(struct run *r, struct run *first, uint32_t cls, uint32_t *dw)
{
	uint32_t n = nvg_pb_state_restore(&first->p, dw);

	cr_assert(le(uint, n, NVG_PB_STATE_MAX_DWORDS));
	run_start(r, cls);
	run_segment(r, dw, n);
	expect_ops(r, 0);
	expect_same_state(&r->p, &first->p);
	return n;
}

Test(state, copy_channel_round_trip)
{
	static const uint32_t sub1[] = {
		INC(2, 0x000, 1), COPY_CLASS, COPY_OBJ,
		INC(0, 0x010, 3), 0x12, 0x4000, 77, SEM_EXEC(0x6010, 0x34, 5, 6, 0x01000001),
		REMAP(0xaa, 0xbb, 0x00000004), INC(CSUB, 0x240, 4), 0x1, 0x3000, 8, 9,
		COPY_REGS(0xff, 0x1000, 0, 0x2000, 0x40, 0x80, 64, 3),
	};
	static const uint32_t launch[] = { LAUNCH(L_COPY | L_MULTI) };
	uint32_t dw[NVG_PB_STATE_MAX_DWORDS];
	struct run first, r;

	run_start(&first, COPY_CLASS);
	run_segment(&first, sub1, ARRAY_SIZE(sub1));
	cr_assert(eq(int, first.rc, 0));
	restore_into(&r, &first, COPY_CLASS, dw);
	/* The next submission uses the channel's bindings and registers. */
	run_segment(&r, launch, ARRAY_SIZE(launch));
	cr_assert(eq(int, r.rc, 0));
	cr_assert(eq(uint, r.nops, 1));
	cr_assert(eq(u64, r.ops[0].copy.src_va, 0xff00001000ull));
	cr_assert(eq(u32, r.ops[0].copy.line_count, 3));
	cr_assert(eq(u32, r.ops[0].copy.pitch_out, 0x80));
}

Test(state, compute_channel_round_trip)
{
	static const uint32_t sub1[] = {
		COMP_OBJ, NVGC(1, 2, 0, 0x1000, 0x100, 0x55, 0, 0x2000, 1),
	};
	static const uint32_t launch[] = { INC(KSUB, 0x3420, 1), 2 };
	uint32_t dw[NVG_PB_STATE_MAX_DWORDS];
	struct run first, r;

	run_start(&first, COMPUTE_CLASS);
	run_segment(&first, sub1, ARRAY_SIZE(sub1));
	cr_assert(eq(uint, first.nops, 1));
	restore_into(&r, &first, COMPUTE_CLASS, dw);
	run_segment(&r, launch, ARRAY_SIZE(launch));
	cr_assert(eq(int, r.rc, 0));
	cr_assert(eq(uint, r.nops, 1));
	cr_assert(eq(u32, r.ops[0].kind, NVG_PB_OP_CHECKSUM));
	cr_assert(eq(u64, r.ops[0].checksum.va, 0x1000));
	cr_assert(eq(u64, r.ops[0].checksum.result_va, 0x2000));
}

Test(state, turing_copy_channel_round_trip)
{
	static const uint32_t sub1[] = { TURING_OBJ_, COPY_SEM(0x1, 0x3000, 8) };
	uint32_t dw[NVG_PB_STATE_MAX_DWORDS];
	struct run first, r;

	run_start(&first, 0xc5b5);
	run_segment(&first, sub1, ARRAY_SIZE(sub1));
	cr_assert(eq(int, first.rc, 0));
	restore_into(&r, &first, 0xc5b5, dw);
}

Test(state, fresh_channel_needs_nothing)
{
	struct nvg_pb_parser p;
	uint32_t dw[NVG_PB_STATE_MAX_DWORDS];

	nvg_pb_parser_init(&p, COPY_CLASS);
	cr_assert(eq(u32, nvg_pb_state_restore(&p, dw), 0));
}

Test(state, largest_restore_fits)
{
	static const uint32_t sub1[] = {
		INC(0, 0x000, 1), COPY_CLASS, INC(1, 0x000, 1), COPY_CLASS,
		INC(2, 0x000, 1), COPY_CLASS, INC(3, 0x000, 1), COPY_CLASS, COPY_OBJ,
		INC(0, 0x010, 3), 1, 4, 1, SEM_EXEC(8, 1, 1, 1, 0x01000001),
		REMAP(1, 1, 1), INC(CSUB, 0x240, 4), 1, 8, 1, 1,
		COPY_REGS(1, 1, 1, 1, 1, 1, 1, 1),
	};
	uint32_t dw[NVG_PB_STATE_MAX_DWORDS];
	struct run first, r;

	run_start(&first, COPY_CLASS);
	run_segment(&first, sub1, ARRAY_SIZE(sub1));
	cr_assert(eq(int, first.rc, 0));
	restore_into(&r, &first, COPY_CLASS, dw);
}

/* ---- segments ---- */

Test(segments, method_continues_into_next_segment)
{
	static const uint32_t seg1[] = { COPY_OBJ, INC(CSUB, 0x400, 8), 0, 0x1000, 0 };
	static const uint32_t seg2[] = { 0x2000, 0, 0, 64, 0, LAUNCH(L_COPY) };
	struct run r;

	run_start(&r, COPY_CLASS);
	run_segment(&r, seg1, ARRAY_SIZE(seg1));
	cr_assert(eq(int, r.rc, 0));
	run_segment(&r, seg2, ARRAY_SIZE(seg2));
	expect_ops(&r, 1);
	cr_assert(eq(u64, r.ops[0].copy.src_va, 0x1000));
	cr_assert(eq(u64, r.ops[0].copy.dst_va, 0x2000));
	cr_assert(eq(u32, r.ops[0].copy.line_len, 64));
	cr_assert(eq(int, nvg_pb_parser_finish(&r.p, NULL), 0));
}

Test(segments, finish_refuses_a_method_past_the_last_segment)
{
	static const uint32_t seg1[] = { 0, INC(0, 0x05c, 2), 0x1000 };
	struct nvg_pb_error e;
	struct run r;

	run_start(&r, 0);
	run_segment(&r, seg1, ARRAY_SIZE(seg1));
	cr_assert(eq(int, r.rc, 0), "the data may yet come in another segment");
	cr_assert(eq(int, nvg_pb_parser_finish(&r.p, &e), -EINVAL));
	cr_assert(eq(u32, e.index, 1));
	cr_assert(eq(u32, e.dword, seg1[1]));
	cr_assert(strstr(e.reason, "truncated") != NULL);
}


Test(segments, state_persists)
{
	static const uint32_t seg1[] = { SIMPLE_COPY_REGS, COPY_SEM(0, 0x4000, 5) };
	static const uint32_t seg2[] = { LAUNCH(L_COPY | L_SEM1) };
	struct run r;

	run_start(&r, COPY_CLASS);
	run_segment(&r, seg1, ARRAY_SIZE(seg1));
	cr_assert(eq(int, r.rc, 0));
	cr_assert(eq(uint, r.nops, 0));
	run_segment(&r, seg2, ARRAY_SIZE(seg2));
	expect_ops(&r, 2);
	cr_assert(eq(u32, r.ops[0].index, 1), "index is within the segment");
	cr_assert(eq(u64, r.ops[0].copy.src_va, 0x1000));
	cr_assert(eq(u64, r.ops[1].release.payload, 5));
}

Test(segments, error_index_is_within_segment)
{
	static const uint32_t seg1[] = { COPY_OBJ, 0, 0 };
	static const uint32_t seg2[] = { 0, INC(CSUB, 0x104, 1), 0 };
	struct run r;

	run_start(&r, COPY_CLASS);
	run_segment(&r, seg1, ARRAY_SIZE(seg1));
	run_segment(&r, seg2, ARRAY_SIZE(seg2));
	cr_assert(eq(int, r.rc, -EINVAL));
	cr_assert(eq(u32, r.err.index, 2));
}

Test(segments, end_pb_segment_stops)
{
	static const uint32_t seg1[] = { INC(0, 0x020, 1), 0, ENDSEG,
					 INC(0, 0x020, 1), 0, 0xffffffff };
	static const uint32_t seg2[] = { INC(0, 0x078, 1), 0 };
	struct run r;

	run_start(&r, 0);
	run_segment(&r, seg1, ARRAY_SIZE(seg1));
	expect_ops(&r, 1);
	cr_assert(eq(u32, r.ops[0].kind, NVG_PB_OP_INTERRUPT));
	run_segment(&r, seg2, ARRAY_SIZE(seg2));
	expect_ops(&r, 2);
	cr_assert(eq(u32, r.ops[1].kind, NVG_PB_OP_WFI));
}

Test(segments, end_pb_segment_ignores_low_bits)
{
	struct run *r = RUN(0, ENDSEG | 0x1fffffff, 0xffffffff);

	expect_ops(r, 0);
}

Test(segments, next_after_end_keeps_returning_0)
{
	static const uint32_t dw[] = { INC(0, 0x020, 1), 0 };
	struct nvg_pb_parser p;
	struct nvg_pb_op op;

	nvg_pb_parser_init(&p, 0);
	nvg_pb_parser_segment(&p, dw, ARRAY_SIZE(dw));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, NULL), 1));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, NULL), 0));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, NULL), 0));
}

Test(segments, empty_segment)
{
	struct run r;

	run_start(&r, 0);
	run_segment(&r, NULL, 0);
	expect_ops(&r, 0);
}

Test(segments, error_is_sticky)
{
	static const uint32_t bad[] = { INC(0, 0x004, 1), 0 };
	static const uint32_t good[] = { INC(0, 0x020, 1), 0 };
	struct nvg_pb_parser p;
	struct nvg_pb_error e1, e2;
	struct nvg_pb_op op;

	nvg_pb_parser_init(&p, 0);
	nvg_pb_parser_segment(&p, bad, ARRAY_SIZE(bad));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, &e1), -EINVAL));
	nvg_pb_parser_segment(&p, good, ARRAY_SIZE(good));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, &e2), -EINVAL));
	cr_assert(eq(u32, e2.index, e1.index));
	cr_assert(eq(ptr, (void *)e2.reason, (void *)e1.reason));
}

Test(segments, refused_launch_yields_none_of_its_ops)
{
	/* the copy is fine, the semaphore misaligned: neither comes out */
	struct run *r = RUN(COPY_CLASS, SIMPLE_COPY_REGS, COPY_SEM(0, 0x3002, 1),
			    LAUNCH(L_COPY | L_SEM1));

	cr_assert(eq(int, r->rc, -EINVAL));
	cr_assert(eq(uint, r->nops, 0));
}

/* ---- error details ---- */

Test(error, method_error_fields)
{
	struct run *r = RUN(COPY_CLASS, COPY_OBJ, INC(CSUB, 0x140, 1), 0x1234);

	cr_assert(eq(int, r->rc, -EINVAL));
	cr_assert(eq(u32, r->err.index, 3));
	cr_assert(eq(u32, r->err.dword, 0x1234));
	cr_assert(eq(u32, r->err.subch, CSUB));
	cr_assert(eq(u32, r->err.method, 0x140));
	cr_assert(eq(u32, r->err.class_id, COPY_CLASS));
}

Test(error, header_error_fields)
{
	struct run *r = RUN(0, 0, HDR(6, 1, 0x10, 1), 0);

	cr_assert(eq(int, r->rc, -EINVAL));
	cr_assert(eq(u32, r->err.index, 1));
	cr_assert(eq(u32, r->err.dword, HDR(6, 1, 0x10, 1)));
	cr_assert(eq(u32, r->err.subch, NVG_PB_ERR_NONE));
	cr_assert(eq(u32, r->err.method, NVG_PB_ERR_NONE));
	cr_assert(eq(u32, r->err.class_id, 0));
}

Test(error, null_err_allowed)
{
	static const uint32_t dw[] = { INC(0, 0x004, 1), 0 };
	struct nvg_pb_parser p;
	struct nvg_pb_op op;

	nvg_pb_parser_init(&p, 0);
	nvg_pb_parser_segment(&p, dw, ARRAY_SIZE(dw));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, NULL), -EINVAL));
}

/* ---- the table of malformed pushbuffers: one rule per row ---- */

struct bad_case {
	char name[48];
	uint32_t engine_class;
	uint32_t index;		/* the offending dword */
	char reason[64];	/* a substring of err.reason */
	uint32_t n;
	uint32_t dw[40];
};

#define DW_COUNT(...)	(sizeof((uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))
#define BAD(nm, cls, idx, why, ...) \
	{ nm, cls, idx, why, DW_COUNT(__VA_ARGS__), { __VA_ARGS__ } }

/* copy preamble with a valid transfer set up; the launch data is dword 12 */
#define CP	SIMPLE_COPY_REGS
#define CC	COPY_CLASS
#define TC	0xc5b5u	/* TURING_DMA_COPY_A */
#define TURING_OBJ	TURING_OBJ_
#define KC	COMPUTE_CLASS

static const struct bad_case bad_cases[] = {
	/* method headers */
	BAD("reserved bit 12", 0, 0, "reserved bit 12", INC(0, 0x008, 1) | RSVD12, 0),
	BAD("SEC_OP 0 not all zero", 0, 1, "SEC_OP 0/2", 0, 0x00000001),
	BAD("SEC_OP 0 sub-device mask", 0, 0, "SEC_OP 0/2", 0x00010010),
	BAD("SEC_OP 2", 0, 0, "SEC_OP 0/2", HDR(2, 0, 0x008, 1), 0),
	BAD("SEC_OP 6", 0, 0, "SEC_OP 6", HDR(6, 0, 0x008, 1), 0),
	BAD("truncated incrementing", 0, 0, "truncated", INC(0, 0x05c, 3), 0, 0),
	BAD("truncated non-incrementing", 0, 2, "truncated", 0, 0, NONINC(0, 0x008, 1)),
	BAD("truncated increment-once", 0, 0, "truncated", ONEINC(0, 0x008, 8191), 0),
	BAD("software subchannel 5", 0, 0, "software subchannel", INC(5, 0x008, 1), 0),
	BAD("software subchannel 7", 0, 0, "software subchannel", IMM(7, 0x020, 0)),
	BAD("unbound subchannel", CC, 1, "unbound subchannel", INC(CSUB, 0x100, 1), 0),
	BAD("unbound other subchannel", CC, 3, "unbound subchannel",
	    COPY_OBJ, INC(3, 0x100, 1), 0),
	/* SET_OBJECT */
	BAD("SET_OBJECT other copy class", CC, 1, "engine class", INC(CSUB, 0, 1), 0xc5b5),
	BAD("SET_OBJECT compute on copy", CC, 1, "engine class", INC(CSUB, 0, 1), 0xc7c0),
	BAD("SET_OBJECT copy on compute", KC, 1, "engine class", INC(KSUB, 0, 1), 0xc7b5),
	BAD("SET_OBJECT host class", CC, 1, "engine class", INC(CSUB, 0, 1), 0xc56f),
	BAD("SET_OBJECT ENGINE field", CC, 1, "bits above the class id",
	    INC(CSUB, 0, 1), 0x001fc7b5),
	/* unknown methods */
	BAD("unknown host method ILLEGAL", 0, 1, "unknown host method", INC(0, 0x004, 1), 0),
	BAD("unknown host method CLEAR_FAULTED", 0, 0, "unknown host method",
	    IMM(0, 0x084, 0)),
	BAD("unknown host method 0x088", 0, 0, "unknown host method", IMM(0, 0x088, 0)),
	/* host methods with an effect we do not model */
	BAD("MEM_OP_D TLB invalidate", 0, 4, "MEM_OP_D: privileged",
	    INC(0, 0x028, 4), 0, 0, 0, 9u << 27),
	BAD("MEM_OP_D targeted TLB invalidate", 0, 4, "MEM_OP_D: privileged",
	    INC(0, 0x028, 4), 0, 0, 0, 0xau << 27),
	BAD("MEM_OP_D access counter clear", 0, 4, "MEM_OP_D: privileged",
	    INC(0, 0x028, 4), 0, 0, 0, 0x16u << 27),
	BAD("MEM_OP_D unknown operation", 0, 1, "MEM_OP_D: unknown operation",
	    INC(0, 0x034, 1), 1u << 27),
	BAD("YIELD reserved OP", 0, 0, "YIELD: reserved OP", IMM(0, 0x080, 1)),
	BAD("YIELD reserved bits", 0, 1, "YIELD: reserved bits", INC(0, 0x080, 1), 4),
	BAD("unknown host method 0xfc", CC, 1, "unknown host method", INC(CSUB, 0xfc, 1), 0),
	BAD("unknown copy method", CC, 3, "unknown copy method",
	    COPY_OBJ, INC(CSUB, 0x140, 1), 0),
	BAD("unknown copy method (phys mode)", CC, 3, "unknown copy method",
	    COPY_OBJ, INC(CSUB, 0x260, 1), 0),
	BAD("compute method on copy", CC, 3, "unknown copy method",
	    COPY_OBJ, INC(CSUB, 0x3400, 1), 0),
	BAD("unknown compute method", KC, 3, "unknown compute method",
	    COMP_OBJ, INC(KSUB, 0x3424, 1), 0),
	BAD("copy method on compute", KC, 3, "unknown compute method",
	    COMP_OBJ, INC(KSUB, 0x300, 1), 0),
	/* LAUNCH_DMA fields */
	BAD("blocklinear src", CC, 12, "blocklinear source",
	    CP, LAUNCH(L_PIPE | L_DST_PITCH)),
	BAD("blocklinear dst", CC, 12, "blocklinear destination",
	    CP, LAUNCH(L_PIPE | L_SRC_PITCH)),
	BAD("physical src", CC, 12, "physical source", CP, LAUNCH(L_COPY | L_SRC_PHYS)),
	BAD("physical dst", CC, 12, "physical destination", CP, LAUNCH(L_COPY | L_DST_PHYS)),
	BAD("transfer type 3", CC, 12, "DATA_TRANSFER_TYPE 3", CP, LAUNCH(L_COPY | 3)),
	BAD("semaphore type 3", CC, 12, "SEMAPHORE_TYPE 3", CP, LAUNCH(L_COPY | 0x18)),
	BAD("interrupt type 3", CC, 12, "INTERRUPT_TYPE 3", CP, LAUNCH(L_COPY | 0x60)),
	BAD("unknown bit FORCE_RMWDISABLE", CC, 12, "unknown bit", CP, LAUNCH(L_COPY | 0x800)),
	BAD("unknown bit reduction", CC, 12, "unknown bit", CP, LAUNCH(L_COPY | 0x80000)),
	BAD("unknown bit 31", CC, 12, "unknown bit", CP, LAUNCH(L_COPY | 0x80000000)),
	/* copy geometry */
	BAD("zero line length", CC, 12, "zero line length",
	    COPY_OBJ, COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 0, 1), LAUNCH(L_COPY)),
	BAD("zero line count", CC, 12, "zero line count",
	    COPY_OBJ, COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 64, 0), LAUNCH(L_COPY | L_MULTI)),
	BAD("OFFSET_IN_UPPER beyond 16:0", CC, 3, "bits above UPPER (16:0)",
	    COPY_OBJ, INC(CSUB, 0x400, 1), 0x20000),
	BAD("OFFSET_OUT_UPPER beyond 16:0", CC, 3, "bits above UPPER (16:0)",
	    COPY_OBJ, INC(CSUB, 0x408, 1), 0x80000000),
	/* 16:0 is accepted; an address past our 40 bits fails when used */
	BAD("OFFSET_IN_UPPER above 2^40 used", CC, 12, "range ends above 2^40",
	    COPY_OBJ, COPY_REGS(0x100, 0x1000, 0, 0x2000, 0, 0, 64, 0), LAUNCH(L_COPY)),
	BAD("OFFSET_OUT_UPPER above 2^40 used", CC, 12, "range ends above 2^40",
	    COPY_OBJ, COPY_REGS(0, 0x1000, 0x1ffff, 0x2000, 0, 0, 64, 0), LAUNCH(L_COPY)),
	BAD("pitch * count overflow", CC, 12, "pitch * (line count - 1)",
	    COPY_OBJ, COPY_REGS(0, 0x1000, 0, 0x2000, 0x10, 0x10, 16, 0xffffffff),
	    LAUNCH(L_COPY | L_MULTI)),
	BAD("range over 4 GiB", CC, 12, "range exceeds 4 GiB",
	    COPY_OBJ, COPY_REGS(0, 0, 0, 0x2000, 0xffffffff, 0, 16, 2),
	    LAUNCH(L_COPY | L_MULTI)),
	BAD("remap line over 4 GiB", CC, 16, "line size exceeds 4 GiB",
	    COPY_OBJ, REMAP(0, 0, 0x03333210),
	    COPY_REGS(0, 0, 0, 0, 0, 0, 0x20000000, 0), LAUNCH(L_COPY | L_REMAP)),
	BAD("src range beyond 2^40", CC, 12, "range ends above 2^40",
	    COPY_OBJ, COPY_REGS(0xff, 0xfffffff0, 0, 0x2000, 0, 0, 32, 0), LAUNCH(L_COPY)),
	BAD("dst range beyond 2^40", CC, 12, "range ends above 2^40",
	    COPY_OBJ, COPY_REGS(0, 0x1000, 0xff, 0xffffffe0, 0, 0, 64, 0), LAUNCH(L_COPY)),
	/* remap */
	BAD("remap missing source component", CC, 16, "beyond NUM_SRC_COMPONENTS",
	    COPY_OBJ, REMAP(0, 0, 0x00000001), COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 4, 0),
	    LAUNCH(L_COPY | L_REMAP)),
	BAD("remap missing source W", CC, 16, "beyond NUM_SRC_COMPONENTS",
	    COPY_OBJ, REMAP(0, 0, 0x03203210), COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 4, 0),
	    LAUNCH(L_COPY | L_REMAP)),
	BAD("remap DST value 7", CC, 16, "selector 7",
	    COPY_OBJ, REMAP(0, 0, 0x01000070), COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 4, 0),
	    LAUNCH(L_COPY | L_REMAP)),
	BAD("remap reserved bits", CC, 16, "reserved bits set in SET_REMAP",
	    COPY_OBJ, REMAP(0, 0, 0x00000008), COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 4, 0),
	    LAUNCH(L_COPY | L_REMAP)),
	/* semaphore alignment, each kind */
	BAD("SEMAPHOREB not 4-aligned", 0, 2, "not 4-byte aligned",
	    INC(0, 0x010, 2), 0, 0x5002),
	BAD("SEMAPHORED 16-byte release not 16-aligned", 0, 4, "16-byte release",
	    SEMAPHORE(0, 0x5004, 1, 0x00000002)),
	BAD("SEM_ADDR_LO not 4-aligned", 0, 1, "not 4-byte aligned", INC(0, 0x05c, 1), 0x6001),
	BAD("SEM_EXECUTE 64-bit not 8-aligned", 0, 5, "64-bit semaphore not 8-byte",
	    SEM_EXEC(0x6004, 0, 1, 0, 0x01000001)),
	BAD("SEM_EXECUTE 64-bit acquire not 8-aligned", 0, 5, "64-bit semaphore not 8-byte",
	    SEM_EXEC(0x6004, 0, 1, 0, 0x01000000)),
	BAD("SEM_EXECUTE timestamp not 16-aligned", 0, 5, "timestamped release",
	    SEM_EXEC(0x6008, 0, 1, 0, 0x02000001)),
	BAD("copy one-word semaphore not 4-aligned", CC, 7, "one-word semaphore",
	    COPY_OBJ, COPY_SEM(0, 0x3002, 1), LAUNCH(L_SEM1)),
	BAD("copy four-word semaphore not 16-aligned", CC, 7, "four-word semaphore",
	    COPY_OBJ, COPY_SEM(0, 0x3004, 1), LAUNCH(L_SEM4)),
	BAD("SEMAPHOREA above 2^40", 0, 1, "address above 2^40", INC(0, 0x010, 1), 0x100),
	BAD("SEM_ADDR_HI above 2^40", 0, 1, "address above 2^40", INC(0, 0x060, 1), 0x100),
	BAD("SET_SEMAPHORE_A beyond 16:0", CC, 3, "bits above UPPER (16:0)",
	    COPY_OBJ, INC(CSUB, 0x240, 1), 0x20000),
	BAD("SET_SEMAPHORE_A above 2^40 used", CC, 7, "range ends above 2^40",
	    COPY_OBJ, COPY_SEM(0x100, 0x3000, 1), LAUNCH(L_SEM1)),
	/* C7B5's 64-bit semaphore and FLUSH_TYPE; C5B5 has neither */
	BAD("C7B5 64-bit semaphore not 8-aligned", CC, 7, "64-bit semaphore not 8-byte",
	    COPY_OBJ, COPY_SEM(0, 0x3004, 1), LAUNCH(L_SEM1 | L_SEM64)),
	BAD("C5B5 SET_SEMAPHORE_PAYLOAD_UPPER", TC, 3, "unknown copy method",
	    TURING_OBJ, INC(CSUB, 0x24c, 1), 0),
	BAD("C5B5 SEMAPHORE_PAYLOAD_SIZE", TC, 7, "unknown bit",
	    TURING_OBJ, COPY_SEM(0, 0x3000, 1), LAUNCH(L_SEM1 | L_SEM64)),
	BAD("C5B5 FLUSH_TYPE", TC, 12, "unknown bit",
	    TURING_OBJ, COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 64, 0),
	    LAUNCH(L_COPY | L_FLUSH_GL)),
	/* semaphore operations */
	BAD("SEMAPHORED ACQ_AND", 0, 4, "SEMAPHORED: unsupported operation",
	    SEMAPHORE(0, 0x5000, 1, 0x00000008)),
	BAD("SEMAPHORED REDUCTION", 0, 4, "SEMAPHORED: unsupported operation",
	    SEMAPHORE(0, 0x5000, 1, 0x00000010)),
	BAD("SEMAPHORED operation 0", 0, 4, "SEMAPHORED: unsupported operation",
	    SEMAPHORE(0, 0x5000, 1, 0x00000000)),
	BAD("SEMAPHORED operation 3", 0, 4, "SEMAPHORED: unsupported operation",
	    SEMAPHORE(0, 0x5000, 1, 0x00000003)),
	BAD("SEMAPHORED reserved bits", 0, 4, "SEMAPHORED: reserved bits",
	    SEMAPHORE(0, 0x5000, 1, 0x80000002)),
	BAD("SEM_EXECUTE ACQ_CIRC_GEQ", 0, 5, "SEM_EXECUTE: unsupported operation",
	    SEM_EXEC(0x6000, 0, 1, 0, 3)),
	BAD("SEM_EXECUTE ACQ_AND", 0, 5, "SEM_EXECUTE: unsupported operation",
	    SEM_EXEC(0x6000, 0, 1, 0, 4)),
	BAD("SEM_EXECUTE ACQ_NOR", 0, 5, "SEM_EXECUTE: unsupported operation",
	    SEM_EXEC(0x6000, 0, 1, 0, 5)),
	BAD("SEM_EXECUTE REDUCTION", 0, 5, "SEM_EXECUTE: unsupported operation",
	    SEM_EXEC(0x6000, 0, 1, 0, 6)),
	BAD("SEM_EXECUTE operation 7", 0, 5, "SEM_EXECUTE: unsupported operation",
	    SEM_EXEC(0x6000, 0, 1, 0, 7)),
	BAD("SEM_EXECUTE reserved bits", 0, 5, "SEM_EXECUTE: reserved bits",
	    SEM_EXEC(0x6000, 0, 1, 0, 0x08000001)),
	BAD("WFI reserved bits", 0, 1, "WFI: reserved bits", INC(0, 0x078, 1), 2),
	/* compute */
	BAD("compute fill address misaligned", KC, 11, "fill address or size",
	    COMP_OBJ, NVGC(0, 0, 0, 0x1002, 0x100, 0, 0, 0, 1)),
	BAD("compute fill size misaligned", KC, 11, "fill address or size",
	    COMP_OBJ, NVGC(0, 0, 0, 0x1000, 0x101, 0, 0, 0, 1)),
	BAD("compute fill zero size", KC, 11, "zero size",
	    COMP_OBJ, NVGC(0, 0, 0, 0x1000, 0, 0, 0, 0, 1)),
	BAD("compute checksum zero size", KC, 11, "zero size",
	    COMP_OBJ, NVGC(0, 0, 0, 0x1000, 0, 0, 0, 0x2000, 2)),
	BAD("compute checksum result misaligned", KC, 11, "result not 4-byte aligned",
	    COMP_OBJ, NVGC(0, 0, 0, 0x1000, 16, 0, 0, 0x2002, 2)),
	BAD("compute op 3", KC, 11, "OP 3", COMP_OBJ, NVGC(0, 0, 0, 0x1000, 16, 0, 0, 0, 3)),
	BAD("compute launch reserved bit", KC, 11, "NVGC_LAUNCH: reserved bits",
	    COMP_OBJ, NVGC(0, 0, 0, 0, 0, 0, 0, 0, 0x100)),
	BAD("compute address above 2^40", KC, 3, "address above 2^40",
	    COMP_OBJ, INC(KSUB, 0x3408, 1), 0x100),
	BAD("compute result above 2^40", KC, 3, "address above 2^40",
	    COMP_OBJ, INC(KSUB, 0x3418, 1), 0x100),
	BAD("compute fill beyond 2^40", KC, 11, "range ends above 2^40",
	    COMP_OBJ, NVGC(0, 0, 0xff, 0xfffffff0, 0x20, 0, 0, 0, 1)),
	BAD("compute checksum input beyond 2^40", KC, 11, "range ends above 2^40",
	    COMP_OBJ, NVGC(0, 0, 0xff, 0xfffffff0, 0x20, 0, 0, 0x2000, 2)),
};

ParameterizedTestParameters(malformed, rejected)
{
	return cr_make_param_array(struct bad_case, (void *)bad_cases, ARRAY_SIZE(bad_cases));
}

ParameterizedTest(const struct bad_case *c, malformed, rejected)
{
	struct run *r = run1(c->engine_class, c->dw, c->n);

	cr_assert(eq(int, r->rc, -EINVAL), "[%s] accepted", c->name);
	cr_assert(eq(u32, r->err.index, c->index), "[%s] index (reason \"%s\")",
		  c->name, r->err.reason);
	cr_assert_not_null(r->err.reason, "[%s]", c->name);
	cr_assert(strstr(r->err.reason, c->reason) != NULL, "[%s] reason \"%s\", expected \"%s\"",
		  c->name, r->err.reason, c->reason);
	cr_assert(eq(u32, r->err.dword, c->dw[c->index]), "[%s]", c->name);
}

/* The valid preambles the rows build on, each with a valid ending. */
Test(malformed, preambles_are_valid)
{
	struct run *r;

	r = RUN(CC, CP, LAUNCH(L_COPY));
	expect_ops(r, 1);
	r = RUN(KC, COMP_OBJ, NVGC(0, 0, 0, 0x1000, 0x100, 0, 0, 0x2000, 1));
	expect_ops(r, 1);
	r = RUN(CC, COPY_OBJ, COPY_SEM(0, 0x3000, 1), LAUNCH(L_SEM4));
	expect_ops(r, 1);
	r = RUN(CC, COPY_OBJ, REMAP(0, 0, 0x00000000),
		COPY_REGS(0, 0x1000, 0, 0x2000, 0, 0, 4, 0), LAUNCH(L_COPY | L_REMAP));
	expect_ops(r, 1);
	r = RUN(0, SEMAPHORE(0, 0x5010, 1, 0x00000002));
	expect_ops(r, 1);
	r = RUN(0, SEM_EXEC(0x6010, 0, 1, 0, 0x03000001));
	expect_ops(r, 1);
}

/* ---- nvg_pb_op_ranges on hand-built ops ---- */

static struct nvg_pb_op copy_op(uint64_t src, uint64_t dst, uint64_t bpl, uint32_t count,
				uint32_t pitch)
{
	struct nvg_pb_op op = { .kind = NVG_PB_OP_COPY };

	op.copy.src_va = src;
	op.copy.dst_va = dst;
	op.copy.line_len = (uint32_t)bpl;
	op.copy.line_count = count;
	op.copy.pitch_in = pitch;
	op.copy.pitch_out = pitch;
	op.copy.src_bytes_per_line = bpl;
	op.copy.dst_bytes_per_line = bpl;
	return op;
}

Test(op_ranges, hand_built_copy_ok)
{
	struct nvg_pb_op op = copy_op(0x1000, 0x2000, 16, 2, 32);
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	cr_assert(eq(int, nvg_pb_op_ranges(&op, rg), 2));
	expect_range(&rg[0], 0x1000, 48, false);
	expect_range(&rg[1], 0x2000, 48, true);
}

Test(op_ranges, zero_line_count)
{
	struct nvg_pb_op op = copy_op(0x1000, 0x2000, 16, 0, 32);
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	cr_assert(eq(int, nvg_pb_op_ranges(&op, rg), -EINVAL));
}

Test(op_ranges, huge_bytes_per_line)
{
	struct nvg_pb_op op = copy_op(0x1000, 0x2000, UINT64_MAX, 1, 0);
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	cr_assert(eq(int, nvg_pb_op_ranges(&op, rg), -EINVAL));
}

Test(op_ranges, va_beyond_2_40)
{
	struct nvg_pb_op op = copy_op(1ull << 40, 0x2000, 16, 1, 0);
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	cr_assert(eq(int, nvg_pb_op_ranges(&op, rg), -EINVAL));
}

Test(op_ranges, va_near_u64_max)
{
	struct nvg_pb_op op = copy_op(0x1000, UINT64_MAX - 8, 16, 1, 0);
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	cr_assert(eq(int, nvg_pb_op_ranges(&op, rg), -EINVAL));
}

Test(op_ranges, zero_size_fill)
{
	struct nvg_pb_op op = { .kind = NVG_PB_OP_FILL };
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	op.fill.va = 0x1000;
	cr_assert(eq(int, nvg_pb_op_ranges(&op, rg), -EINVAL));
}

Test(op_ranges, fill_over_4_gib)
{
	struct nvg_pb_op op = { .kind = NVG_PB_OP_FILL };
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	op.fill.va = 0;
	op.fill.size = (1ull << 32) + 4;
	cr_assert(eq(int, nvg_pb_op_ranges(&op, rg), -EINVAL));
}

Test(op_ranges, bad_semaphore_size)
{
	struct nvg_pb_op op = { .kind = NVG_PB_OP_SEM_RELEASE };
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	op.release.va = 0x1000;
	op.release.size = 2;
	cr_assert(eq(int, nvg_pb_op_ranges(&op, rg), -EINVAL));
}

Test(op_ranges, unknown_kind)
{
	struct nvg_pb_op op = { .kind = 0 };
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];

	cr_assert(eq(int, nvg_pb_op_ranges(&op, rg), -EINVAL));
}

/* ---- FNV-1a ---- */

struct fnv_case {
	char s[16];
	uint32_t hash;
};

ParameterizedTestParameters(fnv1a, known_vectors)
{
	static const struct fnv_case cases[] = {
		{ "", 0x811c9dc5 },
		{ "a", 0xe40c292c },
		{ "foobar", 0xbf9cf968 },
	};

	return cr_make_param_array(struct fnv_case, (void *)cases, ARRAY_SIZE(cases));
}

ParameterizedTest(const struct fnv_case *c, fnv1a, known_vectors)
{
	cr_assert(eq(u32, nvg_fnv1a32(c->s, strlen(c->s), NVG_FNV1A32_INIT), c->hash),
		  "\"%s\"", c->s);
}

Test(fnv1a, init_is_offset_basis)
{
	cr_assert(eq(u32, NVG_FNV1A32_INIT, 2166136261u));
}

Test(fnv1a, chunked_equals_one_shot)
{
	unsigned char buf[1000];
	uint32_t whole, h;
	unsigned int i, split, step;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	whole = nvg_fnv1a32(buf, sizeof(buf), NVG_FNV1A32_INIT);

	for (split = 0; split <= sizeof(buf); split += 97) {
		h = nvg_fnv1a32(buf, split, NVG_FNV1A32_INIT);
		h = nvg_fnv1a32(buf + split, sizeof(buf) - split, h);
		cr_assert(eq(u32, h, whole), "split at %u", split);
	}
	for (step = 1; step <= 64; step *= 2) {
		h = NVG_FNV1A32_INIT;
		for (i = 0; i < sizeof(buf); i += step) {
			unsigned int n = sizeof(buf) - i < step ? sizeof(buf) - i : step;

			h = nvg_fnv1a32(buf + i, n, h);
		}
		cr_assert(eq(u32, h, whole), "chunks of %u", step);
	}
}
