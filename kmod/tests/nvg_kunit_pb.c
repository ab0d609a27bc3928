// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_kunit_pb.c - KUnit: the pushbuffer parser as the kernel builds it.
 *
 * tests/unit/test_pb.c holds the exhaustive table on the host; this suite
 * runs the kernel's own compilation of kmod/nvghost_pb.c (kernel compiler
 * flags, KASAN and UBSAN instrumentation) over one case of each rule, with
 * every segment in a kmalloc() of exactly its size, so that a parser that
 * reads one dword past its segment is a KASAN report, not a silent pass.
 *
 * Pushbuffers are written with this file's HDR(), from the bit layout of
 * NVIDIA's dev_ram.ref, not with the encoders under test.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

/* its static add_range() would clash with <linux/range.h>'s */
#define add_range nvg_pb_add_range
#include "../nvghost_pb.c"
#undef add_range

#define HDR(op, sc, m, n)	(((u32)(op) << 29) | ((u32)(n) << 16) | \
				 ((u32)(sc) << 13) | ((u32)(m) >> 2))
#define INC(sc, m, n)		HDR(1, sc, m, n)
#define NONINC(sc, m, n)	HDR(3, sc, m, n)
#define IMM(sc, m, d)		HDR(4, sc, m, d)
#define ONEINC(sc, m, n)	HDR(5, sc, m, n)
#define ENDSEG			HDR(7, 0, 0, 0)
#define RSVD12			0x1000u

#define CC		0xc7b5u		/* copy class */
#define KC		0xc7c0u		/* compute class */
#define CSUB		4
#define KSUB		0

#define L_PIPE		0x001u
#define L_SEM4		0x010u
#define L_SRC_PITCH	0x080u
#define L_DST_PITCH	0x100u
#define L_MULTI		0x200u
#define L_COPY		(L_PIPE | L_SRC_PITCH | L_DST_PITCH)

#define MAX_OPS		8

struct pb_run {
	struct nvg_pb_parser p;
	struct nvg_pb_op ops[MAX_OPS];
	unsigned int nops;
	struct nvg_pb_error err;
	int rc;
};

/* Parse @n dwords as one segment, from an allocation of exactly that size. */
static void pb_parse(struct kunit *test, struct pb_run *r, u32 cls, const u32 *dw, u32 n)
{
	u32 *seg = kunit_kmalloc(test, n * sizeof(*seg), GFP_KERNEL);
	struct nvg_pb_op op;

	KUNIT_ASSERT_NOT_NULL(test, seg);
	memcpy(seg, dw, n * sizeof(*seg));
	memset(r, 0, sizeof(*r));
	nvg_pb_parser_init(&r->p, cls);
	nvg_pb_parser_segment(&r->p, seg, n);
	for (;;) {
		r->rc = nvg_pb_parser_next(&r->p, &op, &r->err);
		if (r->rc != 1)
			break;
		KUNIT_ASSERT_LT_MSG(test, r->nops, MAX_OPS, "more ops than the test expects");
		r->ops[r->nops++] = op;
	}
	/* One segment is the last: a method whose data runs past it is truncated. */
	if (!r->rc)
		r->rc = nvg_pb_parser_finish(&r->p, &r->err);
}

#define PARSE(test, r, cls, ...) ({					\
	static const u32 _dw[] = { __VA_ARGS__ };			\
	pb_parse(test, r, cls, _dw, ARRAY_SIZE(_dw));			\
})

static void pb_expect_ok(struct kunit *test, struct pb_run *r, unsigned int nops)
{
	KUNIT_ASSERT_EQ_MSG(test, r->rc, 0, "rejected at dword %u: %s", r->err.index,
			    r->err.reason ?: "(no reason)");
	KUNIT_EXPECT_EQ(test, r->nops, nops);
}

static void pb_copy_plain(struct kunit *test)
{
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];
	struct pb_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	PARSE(test, r, CC, INC(CSUB, 0x000, 1), CC,
	      INC(CSUB, 0x400, 8), 0x12, 0x34567000, 0x01, 0x00001000, 0x40, 0x80, 4096, 7,
	      INC(CSUB, 0x300, 1), L_COPY);
	pb_expect_ok(test, r, 1);
	KUNIT_EXPECT_EQ(test, r->ops[0].kind, NVG_PB_OP_COPY);
	KUNIT_EXPECT_EQ(test, r->ops[0].index, 12);
	KUNIT_EXPECT_EQ(test, r->ops[0].copy.src_va, 0x1234567000ull);
	KUNIT_EXPECT_EQ(test, r->ops[0].copy.dst_va, 0x0100001000ull);
	KUNIT_EXPECT_EQ_MSG(test, r->ops[0].copy.line_count, 1,
			    "LINE_COUNT only counts with MULTI_LINE");
	KUNIT_ASSERT_EQ(test, nvg_pb_op_ranges(&r->ops[0], rg), 2);
	KUNIT_EXPECT_EQ(test, rg[0].va, 0x1234567000ull);
	KUNIT_EXPECT_EQ(test, rg[0].size, 4096);
	KUNIT_EXPECT_FALSE(test, rg[0].write);
	KUNIT_EXPECT_EQ(test, rg[1].va, 0x0100001000ull);
	KUNIT_EXPECT_TRUE(test, rg[1].write);
}

static void pb_copy_multi_line(struct kunit *test)
{
	struct nvg_pb_range rg[NVG_PB_MAX_RANGES];
	struct pb_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	PARSE(test, r, CC, INC(CSUB, 0x000, 1), CC,
	      INC(CSUB, 0x400, 8), 0, 0x10000, 0, 0x80000, 0x1000, 0x800, 0x100, 3,
	      INC(CSUB, 0x300, 1), L_COPY | L_MULTI);
	pb_expect_ok(test, r, 1);
	KUNIT_ASSERT_EQ(test, nvg_pb_op_ranges(&r->ops[0], rg), 2);
	KUNIT_EXPECT_EQ(test, rg[0].size, 2 * 0x1000 + 0x100);
	KUNIT_EXPECT_EQ(test, rg[1].size, 2 * 0x800 + 0x100);
}

static void pb_compute_and_semaphores(struct kunit *test)
{
	struct pb_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	PARSE(test, r, KC, INC(KSUB, 0x000, 1), KC,
	      INC(KSUB, 0x3400, 9), 0, 0, 0, 0x1000, 0x100, 0, 0, 0x2000, 1);
	pb_expect_ok(test, r, 1);
	KUNIT_EXPECT_EQ(test, r->ops[0].kind, NVG_PB_OP_FILL);

	PARSE(test, r, CC, INC(CSUB, 0x000, 1), CC, INC(CSUB, 0x240, 3), 0, 0x3000, 1,
	      INC(CSUB, 0x300, 1), L_SEM4);
	pb_expect_ok(test, r, 1);
	KUNIT_EXPECT_EQ(test, r->ops[0].kind, NVG_PB_OP_SEM_RELEASE);

	PARSE(test, r, 0, INC(0, 0x010, 4), 0, 0x5010, 1, 0x00000002);
	pb_expect_ok(test, r, 1);
	KUNIT_EXPECT_EQ(test, r->ops[0].kind, NVG_PB_OP_SEM_RELEASE);

	PARSE(test, r, 0, INC(0, 0x05c, 5), 0x6010, 0, 1, 0, 0x03000001);
	pb_expect_ok(test, r, 1);
}

/* END_PB_SEGMENT stops the parser: the dwords after it are not read. */
static void pb_end_segment_stops(struct kunit *test)
{
	struct pb_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	PARSE(test, r, CC, INC(CSUB, 0x000, 1), CC,
	      INC(CSUB, 0x400, 8), 0, 0x1000, 0, 0x2000, 0, 0, 64, 0,
	      INC(CSUB, 0x300, 1), L_COPY, ENDSEG, INC(0, 0x008, 1) | RSVD12, 0);
	pb_expect_ok(test, r, 1);
}

/* Subchannel bindings carry over from one segment to the next. */
static void pb_two_segments(struct kunit *test)
{
	static const u32 seg1[] = { INC(CSUB, 0x000, 1), CC,
		INC(CSUB, 0x400, 8), 0, 0x1000, 0, 0x2000, 0, 0, 64, 0 };
	static const u32 seg2[] = { INC(CSUB, 0x300, 1), L_COPY };
	struct pb_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct nvg_pb_op op;
	u32 *a = kunit_kmalloc(test, sizeof(seg1), GFP_KERNEL);
	u32 *b = kunit_kmalloc(test, sizeof(seg2), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memcpy(a, seg1, sizeof(seg1));
	memcpy(b, seg2, sizeof(seg2));
	nvg_pb_parser_init(&r->p, CC);
	nvg_pb_parser_segment(&r->p, a, ARRAY_SIZE(seg1));
	KUNIT_EXPECT_EQ(test, nvg_pb_parser_next(&r->p, &op, &r->err), 0);
	nvg_pb_parser_segment(&r->p, b, ARRAY_SIZE(seg2));
	KUNIT_ASSERT_EQ_MSG(test, nvg_pb_parser_next(&r->p, &op, &r->err), 1,
			    "rejected: %s", r->err.reason ?: "(none)");
	KUNIT_EXPECT_EQ(test, op.kind, NVG_PB_OP_COPY);
	KUNIT_EXPECT_EQ(test, nvg_pb_parser_next(&r->p, &op, &r->err), 0);
}

/* ---- one malformed pushbuffer per rule ---- */

struct pb_bad {
	const char *name;
	u32 cls;
	u32 index;		/* the offending dword */
	const char *reason;	/* a substring of err.reason */
	u32 n;
	u32 dw[24];
};

#define DW_COUNT(...)	(sizeof((u32[]){ __VA_ARGS__ }) / sizeof(u32))
#define BAD(nm, cls, idx, why, ...) \
	{ nm, cls, idx, why, DW_COUNT(__VA_ARGS__), { __VA_ARGS__ } }

static const struct pb_bad pb_bad_cases[] = {
	BAD("reserved bit 12", 0, 0, "reserved bit 12", INC(0, 0x008, 1) | RSVD12, 0),
	BAD("SEC_OP 0 not all zero", 0, 1, "SEC_OP 0/2", 0, 0x00000001),
	BAD("SEC_OP 6", 0, 0, "SEC_OP 6", HDR(6, 0, 0x008, 1), 0),
	BAD("truncated incrementing", 0, 0, "truncated", INC(0, 0x05c, 3), 0, 0),
	BAD("truncated non-incrementing", 0, 2, "truncated", 0, 0, NONINC(0, 0x008, 1)),
	BAD("truncated increment-once", 0, 0, "truncated", ONEINC(0, 0x008, 8191), 0),
	BAD("software subchannel", 0, 0, "software subchannel", IMM(7, 0x020, 0)),
	BAD("unbound subchannel", CC, 1, "unbound subchannel", INC(CSUB, 0x100, 1), 0),
	BAD("SET_OBJECT compute on copy", CC, 1, "engine class", INC(CSUB, 0, 1), KC),
	BAD("unknown host method", 0, 1, "unknown host method", INC(0, 0x004, 1), 0),
	BAD("unknown copy method", CC, 3, "unknown copy method",
	    INC(CSUB, 0x000, 1), CC, INC(CSUB, 0x140, 1), 0),
	BAD("unknown compute method", KC, 3, "unknown compute method",
	    INC(KSUB, 0x000, 1), KC, INC(KSUB, 0x3424, 1), 0),
	BAD("blocklinear source", CC, 12, "blocklinear source", INC(CSUB, 0x000, 1), CC,
	    INC(CSUB, 0x400, 8), 0, 0x1000, 0, 0x2000, 0, 0, 64, 0,
	    INC(CSUB, 0x300, 1), L_PIPE | L_DST_PITCH),
	BAD("unknown LAUNCH_DMA bit", CC, 12, "unknown bit", INC(CSUB, 0x000, 1), CC,
	    INC(CSUB, 0x400, 8), 0, 0x1000, 0, 0x2000, 0, 0, 64, 0,
	    INC(CSUB, 0x300, 1), L_COPY | 0x80000000),
	BAD("zero line count", CC, 12, "zero line count",
	    INC(CSUB, 0x000, 1), CC, INC(CSUB, 0x400, 8), 0, 0x1000, 0, 0x2000, 0, 0, 64, 0,
	    INC(CSUB, 0x300, 1), L_COPY | L_MULTI),
	BAD("pitch * count overflow", CC, 12, "pitch * (line count - 1)",
	    INC(CSUB, 0x000, 1), CC,
	    INC(CSUB, 0x400, 8), 0, 0x1000, 0, 0x2000, 0x10, 0x10, 16, 0xffffffff,
	    INC(CSUB, 0x300, 1), L_COPY | L_MULTI),
	BAD("range beyond 2^40", CC, 12, "range ends above 2^40",
	    INC(CSUB, 0x000, 1), CC, INC(CSUB, 0x400, 8), 0xff, 0xfffffff0, 0, 0x2000, 0, 0, 32, 0,
	    INC(CSUB, 0x300, 1), L_COPY),
	BAD("semaphore not aligned", 0, 2, "not 4-byte aligned", INC(0, 0x010, 2), 0, 0x5002),
	BAD("SEM_EXECUTE operation 7", 0, 5, "SEM_EXECUTE: unsupported operation",
	    INC(0, 0x05c, 5), 0x6000, 0, 1, 0, 7),
	BAD("compute fill zero size", KC, 11, "zero size",
	    INC(KSUB, 0x000, 1), KC, INC(KSUB, 0x3400, 9), 0, 0, 0, 0x1000, 0, 0, 0, 0, 1),
	BAD("compute fill beyond 2^40", KC, 11, "range ends above 2^40",
	    INC(KSUB, 0x000, 1), KC,
	    INC(KSUB, 0x3400, 9), 0, 0, 0xff, 0xfffffff0, 0x20, 0, 0, 0, 1),
};

static void pb_bad_desc(const struct pb_bad *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pb_bad, pb_bad_cases, pb_bad_desc);

static void pb_malformed_rejected(struct kunit *test)
{
	const struct pb_bad *c = test->param_value;
	struct pb_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	pb_parse(test, r, c->cls, c->dw, c->n);
	KUNIT_ASSERT_EQ_MSG(test, r->rc, -EINVAL, "[%s] accepted", c->name);
	KUNIT_ASSERT_NOT_NULL(test, r->err.reason);
	KUNIT_EXPECT_EQ_MSG(test, r->err.index, c->index, "[%s] reason \"%s\"",
			    c->name, r->err.reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(r->err.reason, c->reason),
				  "[%s] reason \"%s\", expected \"%s\"",
				  c->name, r->err.reason, c->reason);
	KUNIT_EXPECT_EQ(test, r->err.dword, c->dw[c->index]);
}

static struct kunit_case nvg_pb_cases[] = {
	KUNIT_CASE(pb_copy_plain),
	KUNIT_CASE(pb_copy_multi_line),
	KUNIT_CASE(pb_compute_and_semaphores),
	KUNIT_CASE(pb_end_segment_stops),
	KUNIT_CASE(pb_two_segments),
	KUNIT_CASE_PARAM(pb_malformed_rejected, pb_bad_gen_params),
	{}
};

static struct kunit_suite nvg_pb_suite = {
	.name = "nvghost_pb",
	.test_cases = nvg_pb_cases,
};

kunit_test_suite(nvg_pb_suite);
