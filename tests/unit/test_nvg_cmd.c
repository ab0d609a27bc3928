// SPDX-License-Identifier: GPL-2.0
/*
 * test_nvg_cmd.c - host unit tests of libnvg's command builder
 * (libnvg/nvg_cmd.c), checked against the kernel's own parser
 * (kmod/nvghost_pb.c): whatever the builder emits is parsed back, and must
 * come out as the operations the commands asked for.
 *
 * Commands the kernel would refuse must be refused by nvg_pb_emit() with
 * -EINVAL, leaving the builder as it was. A randomized test throws
 * boundary-heavy commands at both and requires they agree.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <criterion/new/assert.h>

#include "nvg_cmd.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define CC	0xc7b5u		/* AMPERE_DMA_COPY_B */
#define KC	0xc7c0u		/* AMPERE_COMPUTE_B */
#define GiB	(1ULL << 30)
#define VA_END	(1ULL << 40)

#define MAX_OPS	64

struct parsed {
	struct nvg_pb_op ops[MAX_OPS];
	unsigned int n;		/* ops, counted past MAX_OPS too */
	int rc;
	struct nvg_pb_error err;
};

/* Run the kernel's parser over what @b built. */
static void parse(const struct nvg_pb_builder *b, uint32_t cls, struct parsed *out)
{
	static struct nvg_pb_parser p;
	struct nvg_pb_op op;

	memset(out, 0, sizeof(*out));
	nvg_pb_parser_init(&p, cls);
	nvg_pb_parser_segment(&p, nvg_pb_builder_dwords(b),
			      (uint32_t)nvg_pb_builder_count(b));
	while ((out->rc = nvg_pb_parser_next(&p, &op, &out->err)) == 1) {
		if (out->n < MAX_OPS)
			out->ops[out->n] = op;
		out->n++;
	}
}

static void expect_parsed(const struct parsed *ps, unsigned int n)
{
	cr_assert(eq(int, ps->rc, 0), "kernel parser refused dword %u: %s",
		  ps->err.index, ps->err.reason ? ps->err.reason : "?");
	cr_assert(eq(uint, ps->n, n));
}

/* A builder with an allocated buffer; static, as each test runs in its own process. */
static struct nvg_pb_builder *builder(uint32_t cls)
{
	static struct nvg_pb_builder b;

	cr_assert(eq(int, nvg_pb_builder_init(&b, cls, NULL, 0), 0),
		  "precondition: builder for class %#x", cls);
	return &b;
}

/* Emit one command on a fresh builder and parse it back. */
static void one(uint32_t cls, struct nvg_cmd cmd, struct parsed *ps)
{
	struct nvg_pb_builder *b = builder(cls);

	cr_assert(eq(int, nvg_pb_emit(b, &cmd), 0), "emit kind %d", cmd.kind);
	parse(b, cls, ps);
	nvg_pb_builder_fini(b);
}

/* ---- SET_OBJECT ---- */

Test(builder, copy_binds_subchannel_4_first)
{
	struct nvg_pb_builder *b = builder(CC);
	struct nvg_cmd c = nvg_cmd_copy(0x1000, 0x2000, 16);

	cr_assert(eq(int, nvg_pb_emit(b, &c), 0));
	cr_assert(eq(u32, nvg_pb_builder_dwords(b)[0], 0x20018000));	/* INC subch 4, 0x000, 1 */
	cr_assert(eq(u32, nvg_pb_builder_dwords(b)[1], CC));
	nvg_pb_builder_fini(b);
}

Test(builder, compute_binds_subchannel_0_first)
{
	struct nvg_pb_builder *b = builder(KC);
	struct nvg_cmd c = nvg_cmd_busy(1);

	cr_assert(eq(int, nvg_pb_emit(b, &c), 0));
	cr_assert(eq(u32, nvg_pb_builder_dwords(b)[0], 0x20010000));	/* INC subch 0, 0x000, 1 */
	cr_assert(eq(u32, nvg_pb_builder_dwords(b)[1], KC));
	nvg_pb_builder_fini(b);
}

Test(builder, set_object_only_once)
{
	struct nvg_pb_builder *b = builder(CC);
	struct nvg_cmd c = nvg_cmd_copy(0x1000, 0x2000, 16);
	size_t after_one, i;

	cr_assert(eq(int, nvg_pb_emit(b, &c), 0));
	after_one = nvg_pb_builder_count(b);
	cr_assert(eq(int, nvg_pb_emit(b, &c), 0));
	cr_assert(eq(sz, nvg_pb_builder_count(b), 2 * after_one - 2));
	for (i = 2; i < nvg_pb_builder_count(b); i++)
		cr_assert(ne(u32, nvg_pb_builder_dwords(b)[i], CC), "dword %zu", i);
	nvg_pb_builder_fini(b);
}

Test(builder, reset_rebinds)
{
	struct nvg_pb_builder *b = builder(CC);
	struct nvg_cmd c = nvg_cmd_copy(0x1000, 0x2000, 16);
	struct parsed ps;

	cr_assert(eq(int, nvg_pb_emit(b, &c), 0));
	nvg_pb_builder_reset(b);
	cr_assert(eq(sz, nvg_pb_builder_count(b), 0));
	cr_assert(eq(int, nvg_pb_emit(b, &c), 0));
	cr_assert(eq(u32, nvg_pb_builder_dwords(b)[1], CC));
	parse(b, CC, &ps);	/* a fresh channel: needs the SET_OBJECT */
	expect_parsed(&ps, 1);
	nvg_pb_builder_fini(b);
}

/* ---- every command kind, round trip ---- */

Test(roundtrip, copy)
{
	struct parsed ps;
	struct nvg_pb_range r[NVG_PB_MAX_RANGES];
	const struct nvg_pb_copy *c = &ps.ops[0].copy;

	one(CC, nvg_cmd_copy(0x12345678, 0xab00001000ull, 4097), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].kind, NVG_PB_OP_COPY));
	cr_assert(eq(u64, c->src_va, 0x12345678));
	cr_assert(eq(u64, c->dst_va, 0xab00001000ull));
	cr_assert(eq(u32, c->line_len, 4097));
	cr_assert(eq(u32, c->line_count, 1));
	cr_assert(not(c->remap));
	cr_assert(eq(int, nvg_pb_op_ranges(&ps.ops[0], r), 2));
	cr_assert(eq(u64, r[0].size, 4097));
	cr_assert(eq(u64, r[1].size, 4097));
}

Test(roundtrip, copy_on_turing)
{
	struct parsed ps;

	one(0xc5b5, nvg_cmd_copy(0x1000, 0x2000, 1), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].copy.line_len, 1));
}

Test(roundtrip, copy_on_hopper)
{
	struct parsed ps;

	one(0xc8b5, nvg_cmd_copy(0x1000, 0x2000, 1), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].copy.line_len, 1));
}

Test(roundtrip, copy_2d)
{
	struct parsed ps;
	const struct nvg_pb_copy *c = &ps.ops[0].copy;

	one(CC, nvg_cmd_copy_2d(0x100000, 0x200000, 256, 8, 1024, 512), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].kind, NVG_PB_OP_COPY));
	cr_assert(eq(u64, c->src_va, 0x100000));
	cr_assert(eq(u64, c->dst_va, 0x200000));
	cr_assert(eq(u32, c->line_len, 256));
	cr_assert(eq(u32, c->line_count, 8));
	cr_assert(eq(u32, c->pitch_in, 1024));
	cr_assert(eq(u32, c->pitch_out, 512));
}

Test(roundtrip, copy_2d_broadcast_source)
{
	struct parsed ps;

	one(CC, nvg_cmd_copy_2d(0x100000, 0x200000, 64, 1000, 0, 64), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].copy.line_count, 1000));
	cr_assert(eq(u32, ps.ops[0].copy.pitch_in, 0));
}

Test(roundtrip, fill32_on_copy_engine)
{
	struct parsed ps;
	struct nvg_pb_range r[NVG_PB_MAX_RANGES];
	const struct nvg_pb_copy *c = &ps.ops[0].copy;

	one(CC, nvg_cmd_fill32(0x40000, 0x1000, 0xdeadbeef), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].kind, NVG_PB_OP_COPY));
	cr_assert(c->remap);
	cr_assert(eq(u32, c->remap_cfg.const_a, 0xdeadbeef));
	cr_assert(eq(u32, c->remap_cfg.dst[0], NVG_REMAP_CONST_A));
	cr_assert(eq(u32, c->remap_cfg.component_size, 4));
	cr_assert(eq(u32, c->remap_cfg.num_src, 1));
	cr_assert(eq(u32, c->remap_cfg.num_dst, 1));
	cr_assert(eq(u64, c->dst_va, 0x40000));
	cr_assert(eq(u32, c->line_len, 0x400), "elements of 4 bytes");
	cr_assert(eq(u64, c->src_bytes_per_line, 0), "a fill reads nothing");
	cr_assert(eq(u64, c->dst_bytes_per_line, 0x1000));
	cr_assert(eq(int, nvg_pb_op_ranges(&ps.ops[0], r), 1));
	cr_assert(eq(u64, r[0].va, 0x40000));
	cr_assert(eq(u64, r[0].size, 0x1000));
	cr_assert(r[0].write);
}

Test(roundtrip, fill32_on_compute_engine)
{
	struct parsed ps;

	one(KC, nvg_cmd_fill32(0x40000, 0x1000, 0xdeadbeef), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].kind, NVG_PB_OP_FILL));
	cr_assert(eq(u64, ps.ops[0].fill.va, 0x40000));
	cr_assert(eq(u64, ps.ops[0].fill.size, 0x1000));
	cr_assert(eq(u32, ps.ops[0].fill.value, 0xdeadbeef));
}

struct sem_case {
	uint32_t cls;
	uint64_t va;
	uint64_t payload;
	uint32_t size;
	bool timestamp;
};

ParameterizedTestParameters(roundtrip, sem_release)
{
	static const struct sem_case cases[] = {
		{ CC, 0x1004, 0xffffffff, NVG_CMD_SEM_32, false },
		{ CC, 0x1008, 0x123456789abcdef0ull, NVG_CMD_SEM_64, false },
		{ CC, 0x1010, 7, NVG_CMD_SEM_32, true },
		{ CC, 0xfffffffff0ull, 7, NVG_CMD_SEM_64, true },
		{ KC, 0x1004, 1, NVG_CMD_SEM_32, false },
		{ KC, 0x2008, 1ull << 63, NVG_CMD_SEM_64, false },
		{ KC, 0x3010, 0, NVG_CMD_SEM_64, true },
		{ 0xc9c0, 0x1004, 5, NVG_CMD_SEM_32, false },
	};

	return cr_make_param_array(struct sem_case, (void *)cases, ARRAY_SIZE(cases));
}

ParameterizedTest(const struct sem_case *c, roundtrip, sem_release)
{
	struct parsed ps;

	one(c->cls, nvg_cmd_sem_release(c->va, c->payload, c->size, c->timestamp), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].kind, NVG_PB_OP_SEM_RELEASE));
	cr_assert(eq(u64, ps.ops[0].release.va, c->va));
	cr_assert(eq(u64, ps.ops[0].release.payload, c->payload));
	cr_assert(eq(u32, ps.ops[0].release.size, c->size));
	cr_assert(eq(int, ps.ops[0].release.timestamp, c->timestamp));
}

struct acq_case {
	uint32_t cls;
	uint64_t va;
	uint64_t payload;
	uint32_t cond;
	uint32_t size;
};

ParameterizedTestParameters(roundtrip, sem_acquire)
{
	static const struct acq_case cases[] = {
		{ CC, 0x1004, 3, NVG_CMD_SEM_EQ, NVG_CMD_SEM_32 },
		{ CC, 0x1008, 0x100000000ull, NVG_CMD_SEM_GEQ, NVG_CMD_SEM_64 },
		{ KC, 0x1004, 3, NVG_CMD_SEM_GEQ, NVG_CMD_SEM_32 },
		{ KC, 0xfffffffff8ull, 9, NVG_CMD_SEM_EQ, NVG_CMD_SEM_64 },
	};

	return cr_make_param_array(struct acq_case, (void *)cases, ARRAY_SIZE(cases));
}

ParameterizedTest(const struct acq_case *c, roundtrip, sem_acquire)
{
	struct parsed ps;

	one(c->cls, nvg_cmd_sem_acquire(c->va, c->payload, c->cond, c->size), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].kind, NVG_PB_OP_SEM_ACQUIRE));
	cr_assert(eq(u64, ps.ops[0].acquire.va, c->va));
	cr_assert(eq(u64, ps.ops[0].acquire.payload, c->payload));
	cr_assert(eq(u32, ps.ops[0].acquire.size, c->size));
	cr_assert(eq(u32, ps.ops[0].acquire.cond,
		     c->cond == NVG_CMD_SEM_EQ ? NVG_PB_SEM_EQ : NVG_PB_SEM_GEQ));
}

Test(roundtrip, busy)
{
	struct parsed ps;

	one(KC, nvg_cmd_busy(0x123456789ull), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].kind, NVG_PB_OP_BUSY));
	cr_assert(eq(u64, ps.ops[0].busy.cycles, 0x123456789ull));
}

Test(roundtrip, checksum)
{
	struct parsed ps;

	one(KC, nvg_cmd_checksum(0x10001, 0xffffffff, 0x20004), &ps);
	expect_parsed(&ps, 1);
	cr_assert(eq(u32, ps.ops[0].kind, NVG_PB_OP_CHECKSUM));
	cr_assert(eq(u64, ps.ops[0].checksum.va, 0x10001));
	cr_assert(eq(u64, ps.ops[0].checksum.size, 0xffffffff));
	cr_assert(eq(u64, ps.ops[0].checksum.result_va, 0x20004));
}

Test(roundtrip, every_compute_class)
{
	static const uint32_t classes[] = { 0xc5c0, 0xc7c0, 0xc9c0, 0xcbc0 };
	unsigned int i;
	struct parsed ps;

	for (i = 0; i < ARRAY_SIZE(classes); i++) {
		one(classes[i], nvg_cmd_checksum(0x1000, 16, 0x2000), &ps);
		expect_parsed(&ps, 1);
	}
}

Test(roundtrip, sequence_in_order)
{
	struct nvg_pb_builder *b = builder(CC);
	const struct nvg_cmd cmds[] = {
		nvg_cmd_sem_acquire(0x1000, 1, NVG_CMD_SEM_GEQ, NVG_CMD_SEM_32),
		nvg_cmd_copy(0x10000, 0x20000, 100),
		nvg_cmd_fill32(0x30000, 64, 5),
		nvg_cmd_copy_2d(0x10000, 0x40000, 16, 4, 32, 16),
		nvg_cmd_sem_release(0x1010, 2, NVG_CMD_SEM_64, true),
	};
	static const uint32_t kinds[] = {
		NVG_PB_OP_SEM_ACQUIRE, NVG_PB_OP_COPY, NVG_PB_OP_COPY, NVG_PB_OP_COPY,
		NVG_PB_OP_SEM_RELEASE,
	};
	struct parsed ps;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		cr_assert(eq(int, nvg_pb_emit(b, &cmds[i]), 0), "command %u", i);
	parse(b, CC, &ps);
	expect_parsed(&ps, ARRAY_SIZE(kinds));
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		cr_assert(eq(u32, ps.ops[i].kind, kinds[i]), "op %u", i);
	/* the fill's remap must not leak into the 2-D copy after it */
	cr_assert(not(ps.ops[3].copy.remap));
	nvg_pb_builder_fini(b);
}

Test(roundtrip, state_carries_over_to_second_segment)
{
	/* two builders = two segments of one submission on one channel */
	struct nvg_pb_builder b1, b2;
	struct nvg_pb_parser p;
	struct nvg_pb_op op;
	struct nvg_cmd c = nvg_cmd_copy(0x1000, 0x2000, 8);

	cr_assert(eq(int, nvg_pb_builder_init(&b1, CC, NULL, 0), 0));
	cr_assert(eq(int, nvg_pb_builder_init(&b2, CC, NULL, 0), 0));
	cr_assert(eq(int, nvg_pb_emit(&b1, &c), 0));
	cr_assert(eq(int, nvg_pb_emit(&b2, &c), 0));
	nvg_pb_parser_init(&p, CC);
	nvg_pb_parser_segment(&p, nvg_pb_builder_dwords(&b1), nvg_pb_builder_count(&b1));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, NULL), 1));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, NULL), 0));
	nvg_pb_parser_segment(&p, nvg_pb_builder_dwords(&b2), nvg_pb_builder_count(&b2));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, NULL), 1));
	cr_assert(eq(int, nvg_pb_parser_next(&p, &op, NULL), 0));
	nvg_pb_builder_fini(&b1);
	nvg_pb_builder_fini(&b2);
}

/* ---- splitting ---- */

Test(split, copy_over_4_gib)
{
	const uint64_t src = 0x1000000000ull, dst = 0x2000000000ull;
	const uint64_t size = 5 * GiB + 12;
	static const uint64_t off[] = { 0, 2 * GiB, 4 * GiB };
	static const uint64_t len[] = { 2 * GiB, 2 * GiB, 1 * GiB + 12 };
	struct parsed ps;
	unsigned int i;

	one(CC, nvg_cmd_copy(src, dst, size), &ps);
	expect_parsed(&ps, 3);
	for (i = 0; i < 3; i++) {
		const struct nvg_pb_copy *c = &ps.ops[i].copy;

		cr_assert(eq(u32, ps.ops[i].kind, NVG_PB_OP_COPY), "piece %u", i);
		cr_assert(eq(u64, c->src_va, src + off[i]), "piece %u", i);
		cr_assert(eq(u64, c->dst_va, dst + off[i]), "piece %u", i);
		cr_assert(eq(u32, c->line_count, 1), "piece %u", i);
		cr_assert(eq(u64, c->src_bytes_per_line, len[i]), "piece %u", i);
		cr_assert(eq(u64, c->dst_bytes_per_line, len[i]), "piece %u", i);
	}
}

Test(split, copy_of_exactly_4_gib)
{
	struct parsed ps;

	one(CC, nvg_cmd_copy(0, 4 * GiB, 4 * GiB), &ps);
	expect_parsed(&ps, 2);
	cr_assert(eq(u64, ps.ops[1].copy.src_va, 2 * GiB));
	cr_assert(eq(u32, ps.ops[1].copy.line_len, 0x80000000u));
}

Test(split, largest_copy_below_piece_is_one_launch)
{
	struct parsed ps;

	one(CC, nvg_cmd_copy(0, 4 * GiB, 2 * GiB), &ps);
	expect_parsed(&ps, 1);
}

Test(split, fill_over_4_gib_copy_engine)
{
	struct parsed ps;

	one(CC, nvg_cmd_fill32(0x1000000000ull, 4 * GiB + 8, 0x01020304), &ps);
	expect_parsed(&ps, 3);
	cr_assert(eq(u32, ps.ops[0].copy.line_len, 2 * GiB / 4));
	cr_assert(eq(u64, ps.ops[2].copy.dst_va, 0x1000000000ull + 4 * GiB));
	cr_assert(eq(u32, ps.ops[2].copy.line_len, 2));
	cr_assert(eq(u32, ps.ops[2].copy.remap_cfg.const_a, 0x01020304));
}

Test(split, fill_over_4_gib_compute_engine)
{
	struct parsed ps;

	one(KC, nvg_cmd_fill32(0x1000000000ull, 4 * GiB + 8, 7), &ps);
	expect_parsed(&ps, 3);
	cr_assert(eq(u64, ps.ops[1].fill.va, 0x1000000000ull + 2 * GiB));
	cr_assert(eq(u64, ps.ops[1].fill.size, 2 * GiB));
	cr_assert(eq(u64, ps.ops[2].fill.size, 8));
}

Test(split, copy_2d_over_4_gib)
{
	/* 0x30000 lines 64 KiB apart: 12 GiB of source, 0x10000 lines per launch */
	const uint64_t src = 0x1000000000ull, dst = 0x2000000000ull;
	struct parsed ps;
	struct nvg_pb_range r[NVG_PB_MAX_RANGES];
	unsigned int i;

	one(CC, nvg_cmd_copy_2d(src, dst, 0x1000, 0x30000, 0x10000, 0x1000), &ps);
	expect_parsed(&ps, 3);
	for (i = 0; i < 3; i++) {
		const struct nvg_pb_copy *c = &ps.ops[i].copy;

		cr_assert(eq(u32, c->line_count, 0x10000), "group %u", i);
		cr_assert(eq(u64, c->src_va, src + (uint64_t)i * 0x10000 * 0x10000), "group %u", i);
		cr_assert(eq(u64, c->dst_va, dst + (uint64_t)i * 0x10000 * 0x1000), "group %u", i);
		cr_assert(eq(int, nvg_pb_op_ranges(&ps.ops[i], r), 2));
		cr_assert(le(u64, r[0].size, 4 * GiB));
	}
}

Test(split, copy_2d_uneven_groups)
{
	/* lines 3 GiB apart: two fit in 4 GiB, so 5 lines take launches of 2, 2, 1 */
	static const uint32_t count[] = { 2, 2, 1 };
	struct parsed ps;
	unsigned int i;

	one(CC, nvg_cmd_copy_2d(0, 0x8000000000ull, 0x100, 5, 0xc0000000u, 0x100), &ps);
	expect_parsed(&ps, 3);
	for (i = 0; i < 3; i++) {
		cr_assert(eq(u32, ps.ops[i].copy.line_count, count[i]), "group %u", i);
		cr_assert(eq(u64, ps.ops[i].copy.src_va, (uint64_t)i * 2 * 0xc0000000u),
			  "group %u", i);
		cr_assert(eq(u64, ps.ops[i].copy.dst_va, 0x8000000000ull + i * 2 * 0x100),
			  "group %u", i);
	}
}

/* ---- refused commands: -EINVAL, nothing emitted ---- */

struct bad_cmd {
	char name[56];
	uint32_t cls;
	struct nvg_cmd cmd;
};

#define COPY(s, d, n)	{ .kind = NVG_CMD_COPY, .copy = { s, d, n } }
#define COPY2D(s, d, lb, l, sp, dp) \
	{ .kind = NVG_CMD_COPY_2D, .copy_2d = { s, d, lb, l, sp, dp } }
#define FILL(d, n, v)	{ .kind = NVG_CMD_FILL32, .fill32 = { d, n, v } }
#define REL(va, p, sz, ts) \
	{ .kind = NVG_CMD_SEM_RELEASE, .sem_release = { va, p, sz, ts } }
#define ACQ(va, p, sz, cond) \
	{ .kind = NVG_CMD_SEM_ACQUIRE, .sem_acquire = { va, p, sz, cond } }
#define BUSY(n)		{ .kind = NVG_CMD_BUSY, .busy = { n } }
#define CSUM(va, n, r)	{ .kind = NVG_CMD_CHECKSUM, .checksum = { va, n, r } }

static const struct bad_cmd bad_cmds[] = {
	{ "copy: zero size", CC, COPY(0x1000, 0x2000, 0) },
	{ "copy: src at 2^40", CC, COPY(VA_END, 0x2000, 4) },
	{ "copy: dst at 2^40", CC, COPY(0x1000, VA_END, 4) },
	{ "copy: src crosses 2^40", CC, COPY(VA_END - 4, 0x2000, 8) },
	{ "copy: dst crosses 2^40", CC, COPY(0x1000, VA_END - 4, 8) },
	{ "copy: size wraps u64", CC, COPY(0x1000, 0x2000, UINT64_MAX) },
	{ "copy: huge va", CC, COPY(UINT64_MAX - 3, 0x2000, 4) },
	{ "copy: on compute channel", KC, COPY(0x1000, 0x2000, 4) },
	{ "copy_2d: zero line bytes", CC, COPY2D(0x1000, 0x2000, 0, 4, 16, 16) },
	{ "copy_2d: zero lines", CC, COPY2D(0x1000, 0x2000, 16, 0, 16, 16) },
	{ "copy_2d: src crosses 2^40", CC,
	  COPY2D(VA_END - 0x2000, 0x2000, 0x1000, 3, 0x1000, 0x1000) },
	{ "copy_2d: dst crosses 2^40", CC,
	  COPY2D(0x2000, VA_END - 0x2000, 0x1000, 3, 0x1000, 0x1000) },
	{ "copy_2d: pitch * lines past 2^40", CC,
	  COPY2D(0, 0, 1, UINT32_MAX, UINT32_MAX, 0) },
	{ "copy_2d: on compute channel", KC, COPY2D(0x1000, 0x2000, 16, 2, 16, 16) },
	{ "fill: zero size (copy)", CC, FILL(0x1000, 0, 1) },
	{ "fill: zero size (compute)", KC, FILL(0x1000, 0, 1) },
	{ "fill: dst misaligned (copy)", CC, FILL(0x1002, 16, 1) },
	{ "fill: dst misaligned (compute)", KC, FILL(0x1001, 16, 1) },
	{ "fill: size misaligned (copy)", CC, FILL(0x1000, 15, 1) },
	{ "fill: size misaligned (compute)", KC, FILL(0x1000, 6, 1) },
	{ "fill: crosses 2^40", KC, FILL(VA_END - 4, 8, 1) },
	{ "fill: at 2^40", CC, FILL(VA_END, 4, 1) },
	{ "release: 32-bit misaligned", CC, REL(0x1002, 1, NVG_CMD_SEM_32, false) },
	{ "release: 64-bit misaligned", CC, REL(0x1004, 1, NVG_CMD_SEM_64, false) },
	{ "release: timestamp misaligned", KC, REL(0x1008, 1, NVG_CMD_SEM_64, true) },
	{ "release: 32-bit timestamp misaligned", KC, REL(0x1004, 1, NVG_CMD_SEM_32, true) },
	{ "release: size 2", CC, REL(0x1000, 1, 2, false) },
	{ "release: size 0", CC, REL(0x1000, 1, 0, false) },
	{ "release: 32-bit payload too wide", CC,
	  REL(0x1000, 0x100000000ull, NVG_CMD_SEM_32, false) },
	{ "release: at 2^40", KC, REL(VA_END, 1, NVG_CMD_SEM_32, false) },
	{ "acquire: 32-bit misaligned", CC, ACQ(0x1001, 1, NVG_CMD_SEM_32, NVG_CMD_SEM_EQ) },
	{ "acquire: 64-bit misaligned", KC, ACQ(0x100c, 1, NVG_CMD_SEM_64, NVG_CMD_SEM_GEQ) },
	{ "acquire: cond 0", CC, ACQ(0x1000, 1, NVG_CMD_SEM_32, 0) },
	{ "acquire: cond 3", CC, ACQ(0x1000, 1, NVG_CMD_SEM_32, 3) },
	{ "acquire: size 16", CC, ACQ(0x1000, 1, 16, NVG_CMD_SEM_EQ) },
	{ "acquire: 32-bit payload too wide", KC,
	  ACQ(0x1000, 0x1ffffffffull, NVG_CMD_SEM_32, NVG_CMD_SEM_EQ) },
	{ "acquire: at 2^40", KC, ACQ(VA_END, 1, NVG_CMD_SEM_64, NVG_CMD_SEM_EQ) },
	{ "busy: on copy channel", CC, BUSY(100) },
	{ "checksum: on copy channel", CC, CSUM(0x1000, 16, 0x2000) },
	{ "checksum: zero size", KC, CSUM(0x1000, 0, 0x2000) },
	{ "checksum: size needs 33 bits", KC, CSUM(0x1000, 0x100000000ull, 0x2000) },
	{ "checksum: result misaligned", KC, CSUM(0x1000, 16, 0x2002) },
	{ "checksum: result at 2^40", KC, CSUM(0x1000, 16, VA_END) },
	{ "checksum: input crosses 2^40", KC, CSUM(VA_END - 8, 16, 0x2000) },
	{ "unknown kind 0", CC, { .kind = 0 } },
	{ "unknown kind 99", KC, { .kind = 99 } },
};

ParameterizedTestParameters(refused, einval_nothing_emitted)
{
	return cr_make_param_array(struct bad_cmd, (void *)bad_cmds, ARRAY_SIZE(bad_cmds));
}

ParameterizedTest(const struct bad_cmd *c, refused, einval_nothing_emitted)
{
	struct nvg_pb_builder *b = builder(c->cls);

	cr_assert(eq(int, nvg_pb_emit(b, &c->cmd), -EINVAL), "[%s]", c->name);
	cr_assert(eq(sz, nvg_pb_builder_count(b), 0), "[%s]", c->name);
	nvg_pb_builder_fini(b);
}

ParameterizedTestParameters(refused, einval_after_valid_leaves_buffer)
{
	return cr_make_param_array(struct bad_cmd, (void *)bad_cmds, ARRAY_SIZE(bad_cmds));
}

ParameterizedTest(const struct bad_cmd *c, refused, einval_after_valid_leaves_buffer)
{
	struct nvg_pb_builder *b = builder(c->cls);
	struct nvg_cmd ok = nvg_cmd_sem_release(0x1000, 1, NVG_CMD_SEM_32, false);
	uint32_t before[16];
	size_t n;
	struct parsed ps;

	cr_assert(eq(int, nvg_pb_emit(b, &ok), 0));
	n = nvg_pb_builder_count(b);
	cr_assert(le(sz, n, ARRAY_SIZE(before)), "precondition");
	memcpy(before, nvg_pb_builder_dwords(b), n * sizeof(uint32_t));
	cr_assert(eq(int, nvg_pb_emit(b, &c->cmd), -EINVAL), "[%s]", c->name);
	cr_assert(eq(sz, nvg_pb_builder_count(b), n), "[%s]", c->name);
	cr_assert(zero(memcmp(before, nvg_pb_builder_dwords(b), n * sizeof(uint32_t))));
	parse(b, c->cls, &ps);
	expect_parsed(&ps, 1);
	nvg_pb_builder_fini(b);
}

/* ---- builder plumbing ---- */

Test(builder, init_refuses_host_class)
{
	struct nvg_pb_builder b;

	cr_assert(eq(int, nvg_pb_builder_init(&b, 0xc56f, NULL, 0), -EINVAL));
	cr_assert(eq(sz, nvg_pb_builder_count(&b), 0));
	nvg_pb_builder_fini(&b);
}

Test(builder, init_refuses_zero_class)
{
	struct nvg_pb_builder b;
	struct nvg_cmd c = nvg_cmd_copy(0x1000, 0x2000, 4);

	cr_assert(eq(int, nvg_pb_builder_init(&b, 0, NULL, 0), -EINVAL));
	cr_assert(eq(int, nvg_pb_emit(&b, &c), -EINVAL), "a failed init leaves no usable builder");
	nvg_pb_builder_fini(&b);
}

Test(builder, null_command)
{
	struct nvg_pb_builder *b = builder(CC);

	cr_assert(eq(int, nvg_pb_emit(b, NULL), -EINVAL));
	cr_assert(eq(sz, nvg_pb_builder_count(b), 0));
	nvg_pb_builder_fini(b);
}

Test(builder, caller_buffer_used)
{
	uint32_t buf[12];	/* SET_OBJECT (2) + one copy piece (10) */
	struct nvg_pb_builder b;
	struct nvg_cmd c = nvg_cmd_copy(0x1000, 0x2000, 4);
	struct parsed ps;

	cr_assert(eq(int, nvg_pb_builder_init(&b, CC, buf, ARRAY_SIZE(buf)), 0));
	cr_assert(eq(int, nvg_pb_emit(&b, &c), 0));
	cr_assert(eq(ptr, (void *)nvg_pb_builder_dwords(&b), (void *)buf));
	cr_assert(eq(sz, nvg_pb_builder_count(&b), 12));
	parse(&b, CC, &ps);
	expect_parsed(&ps, 1);
	nvg_pb_builder_fini(&b);
}

Test(builder, caller_buffer_full)
{
	uint32_t buf[12];
	struct nvg_pb_builder b;
	struct nvg_cmd c = nvg_cmd_copy(0x1000, 0x2000, 4);

	cr_assert(eq(int, nvg_pb_builder_init(&b, CC, buf, ARRAY_SIZE(buf)), 0));
	cr_assert(eq(int, nvg_pb_emit(&b, &c), 0));
	cr_assert(eq(int, nvg_pb_emit(&b, &c), -ENOSPC));
	cr_assert(eq(sz, nvg_pb_builder_count(&b), 12), "nothing of the refused command");
	nvg_pb_builder_fini(&b);
}

Test(builder, caller_buffer_too_small_for_first)
{
	uint32_t buf[11];
	struct nvg_pb_builder b;
	struct nvg_cmd c = nvg_cmd_copy(0x1000, 0x2000, 4);

	cr_assert(eq(int, nvg_pb_builder_init(&b, CC, buf, ARRAY_SIZE(buf)), 0));
	cr_assert(eq(int, nvg_pb_emit(&b, &c), -ENOSPC));
	cr_assert(eq(sz, nvg_pb_builder_count(&b), 0));
	nvg_pb_builder_fini(&b);
}

Test(builder, grows)
{
	struct nvg_pb_builder *b = builder(KC);
	struct parsed ps;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		struct nvg_cmd c = nvg_cmd_sem_release(0x1000 + 4 * i, i, NVG_CMD_SEM_32, false);

		cr_assert(eq(int, nvg_pb_emit(b, &c), 0), "command %u", i);
	}
	cr_assert(eq(sz, nvg_pb_builder_count(b), 2 + 1000 * 6));
	parse(b, KC, &ps);
	expect_parsed(&ps, 1000);
	cr_assert(eq(u64, ps.ops[MAX_OPS - 1].release.payload, MAX_OPS - 1));
	nvg_pb_builder_fini(b);
}

Test(builder, too_many_pieces_is_enospc)
{
	/* 2^19 launches of 2 lines: more dwords than one GPFIFO entry holds */
	struct nvg_pb_builder *b = builder(CC);
	struct nvg_cmd c = nvg_cmd_copy_2d(0, 0, 0xffffffffu, 1u << 20, 1, 0);

	cr_assert(eq(int, nvg_pb_emit(b, &c), -ENOSPC));
	cr_assert(eq(sz, nvg_pb_builder_count(b), 0));
	nvg_pb_builder_fini(b);
}

/* ---- libnvg and the kernel agree, on random boundary-heavy commands ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, so a failure reproduces */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t pick(const uint64_t *v, size_t n)
{
	return v[rnd() % n];
}

static uint64_t rnd_va(void)
{
	static const uint64_t base[] = {
		0, 0x1000, 0x10000000, 0xfffff000ull, 0x100000000ull,
		VA_END - 0x100000000ull, VA_END - 0x1000, VA_END - 16, VA_END, 1ull << 63,
	};
	static const uint64_t jitter[] = { 0, 0, 0, 1, 2, 4, 8, 12, 16 };

	return pick(base, ARRAY_SIZE(base)) + pick(jitter, ARRAY_SIZE(jitter));
}

static uint64_t rnd_size(void)
{
	static const uint64_t v[] = {
		0, 1, 3, 4, 8, 15, 16, 4096, 0x7ffffffc, 0x80000000ull, 0x80000004ull,
		0xfffffffcull, 0xffffffffull, 0x100000000ull, 0x100000004ull,
		5 * GiB + 12, UINT64_MAX,
	};

	return pick(v, ARRAY_SIZE(v));
}

static struct nvg_cmd rnd_cmd(void)
{
	static const uint64_t u32s[] = { 0, 1, 4, 16, 4096, 0x10000, 0x80000000ull, 0xffffffffull };
	static const uint64_t lines[] = { 0, 1, 2, 3, 100, 0x10000 };
	static const uint64_t sizes[] = { 0, 2, 4, 8, 16 };
	static const uint64_t conds[] = { 0, 1, 2, 3 };
	struct nvg_cmd c;

	memset(&c, 0, sizeof(c));
	c.kind = (enum nvg_cmd_kind)(rnd() % 8);
	switch (c.kind) {
	case NVG_CMD_COPY:
		c = nvg_cmd_copy(rnd_va(), rnd_va(), rnd_size());
		break;
	case NVG_CMD_COPY_2D:
		c = nvg_cmd_copy_2d(rnd_va(), rnd_va(), (uint32_t)pick(u32s, ARRAY_SIZE(u32s)),
				    (uint32_t)pick(lines, ARRAY_SIZE(lines)),
				    (uint32_t)pick(u32s, ARRAY_SIZE(u32s)),
				    (uint32_t)pick(u32s, ARRAY_SIZE(u32s)));
		break;
	case NVG_CMD_FILL32:
		c = nvg_cmd_fill32(rnd_va(), rnd_size(), (uint32_t)rnd());
		break;
	case NVG_CMD_SEM_RELEASE:
		c = nvg_cmd_sem_release(rnd_va(), rnd() >> (rnd() % 64),
					(enum nvg_cmd_sem_size)pick(sizes, ARRAY_SIZE(sizes)),
					rnd() & 1);
		break;
	case NVG_CMD_SEM_ACQUIRE:
		c = nvg_cmd_sem_acquire(rnd_va(), rnd() >> (rnd() % 64),
					(enum nvg_cmd_sem_cond)pick(conds, ARRAY_SIZE(conds)),
					(enum nvg_cmd_sem_size)pick(sizes, ARRAY_SIZE(sizes)));
		break;
	case NVG_CMD_BUSY:
		c = nvg_cmd_busy(rnd());
		break;
	case NVG_CMD_CHECKSUM:
		c = nvg_cmd_checksum(rnd_va(), rnd_size(), rnd_va());
		break;
	default:
		break;	/* kind 0: invalid */
	}
	return c;
}

Test(agree, random_commands_pass_the_kernel)
{
	static const uint32_t classes[] = { 0xc5b5, 0xc7b5, 0xc8b5, 0xc5c0, 0xc7c0, 0xc9c0,
					    0xcbc0 };
	unsigned int i, accepted = 0, refused = 0;

	for (i = 0; i < 20000; i++) {
		uint32_t cls = classes[rnd() % ARRAY_SIZE(classes)];
		struct nvg_cmd c = rnd_cmd();
		struct nvg_pb_builder b;
		struct parsed ps;
		int ret;

		cr_assert(eq(int, nvg_pb_builder_init(&b, cls, NULL, 0), 0));
		ret = nvg_pb_emit(&b, &c);
		if (ret) {
			cr_assert(eq(int, ret, -EINVAL), "case %u: kind %d", i, c.kind);
			cr_assert(eq(sz, nvg_pb_builder_count(&b), 0), "case %u", i);
			refused++;
		} else {
			parse(&b, cls, &ps);
			cr_assert(eq(int, ps.rc, 0),
				  "case %u: class %#x kind %d emitted, kernel refuses dword %u: %s",
				  i, cls, c.kind, ps.err.index, ps.err.reason);
			cr_assert(gt(uint, ps.n, 0), "case %u: no op", i);
			accepted++;
		}
		nvg_pb_builder_fini(&b);
	}
	/* the generator must exercise both outcomes to mean anything */
	cr_assert(gt(uint, accepted, 1000));
	cr_assert(gt(uint, refused, 1000));
}
