// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * nvghost_pb.c - the pushbuffer parser: one state machine that turns a
 * channel's pushbuffer segments into resolved operations. The driver runs it
 * to validate a submission, the simulated GPU runs it to execute one, host
 * tests and libnvg run it to check what they build. See nvghost_pb.h.
 *
 * The parser is strict on purpose: whatever it accepts, the executor must be
 * able to perform exactly, so every field it does not model (sub-device
 * masks, block-linear layouts, physical addressing, reductions, reserved
 * bits) is refused rather than ignored. The exceptions are pure hints whose
 * effect an in-order executor already has (ACQUIRE_SWITCH, RELEASE_WFI,
 * FLUSH_ENABLE, C7B5's FLUSH_TYPE, pipelined versus non-pipelined
 * transfers, YIELD) and host methods whose effect coherent, in-order memory
 * already has (FB_FLUSH, MEM_OP membars and L2 maintenance, SET_REFERENCE,
 * whose USERD field is not modelled).
 *
 * Method state belongs to the channel, as on hardware: it carries over from
 * one segment to the next (a method's data may even continue into the next
 * segment) and, through nvg_pb_state_restore(), from one submission to the
 * next.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include "nvghost_pb.h"

/* ---- helpers shared with the executor ---- */

/**
 * nvg_fnv1a32() - 32-bit FNV-1a
 * @p: the bytes.
 * @n: how many.
 * @seed: NVG_FNV1A32_INIT for a fresh sum, or the result over the bytes
 *        before @p, so a sum can be taken in chunks.
 *
 * The compute engine's CHECKSUM, and what tests compare it with.
 *
 * Return: the sum.
 */
u32 nvg_fnv1a32(const void *p, size_t n, u32 seed)
{
	const unsigned char *b = p;
	u32 h = seed;

	while (n--) {
		h ^= *b++;
		h *= NVG_FNV1A32_PRIME;
	}
	return h;
}

/**
 * nvg_pb_class_is_copy() - is @class_id a copy engine class we model?
 * @class_id: a class id.
 *
 * Return: true for TURING_DMA_COPY_A, AMPERE_DMA_COPY_B and HOPPER_DMA_COPY_A.
 */
bool nvg_pb_class_is_copy(u32 class_id)
{
	return class_id == TURING_DMA_COPY_A || class_id == AMPERE_DMA_COPY_B ||
	       class_id == HOPPER_DMA_COPY_A;
}

/*
 * C7B5's additions to C5B5 that we model: SET_SEMAPHORE_PAYLOAD_UPPER and
 * LAUNCH_DMA's FLUSH_TYPE and SEMAPHORE_PAYLOAD_SIZE. Hopper's C8B5 keeps
 * both LAUNCH_DMA fields at the same bits (clc8b5.h: 25:25, 27:27), so a
 * 64-bit payload has its upper half there too.
 */
static bool copy_class_has_c7b5(u32 class_id)
{
	return class_id == AMPERE_DMA_COPY_B || class_id == HOPPER_DMA_COPY_A;
}

/**
 * nvg_pb_class_is_compute() - is @class_id a compute class we model?
 * @class_id: a class id.
 *
 * Return: true for the Turing, Ampere, Ada and Hopper compute classes.
 */
bool nvg_pb_class_is_compute(u32 class_id)
{
	return class_id == TURING_COMPUTE_A || class_id == AMPERE_COMPUTE_B ||
	       class_id == ADA_COMPUTE_A || class_id == HOPPER_COMPUTE_A;
}

/* ---- GPFIFO entries ---- */

/**
 * nvg_gpfifo_entry_decode() - split a GPFIFO entry into its fields
 * @entry: ENTRY0 in bits 31:0, ENTRY1 in bits 63:32.
 * @d: the fields.
 *
 * No check: see nvg_gpfifo_entry_check().
 */
void nvg_gpfifo_entry_decode(u64 entry, struct nvg_gpfifo_entry *d)
{
	u32 e0 = (u32)entry;
	u32 e1 = (u32)(entry >> 32);

	d->va = ((u64)(e1 & NVG_GPFIFO_ENTRY1_GET_HI_MASK) << 32) |
		(e0 & NVG_GPFIFO_ENTRY0_GET_MASK);
	d->ndw = (e1 >> NVG_GPFIFO_ENTRY1_LENGTH_SHIFT) & NVG_GPFIFO_ENTRY1_LENGTH_MASK;
	d->level = !!(e1 & NVG_GPFIFO_ENTRY1_LEVEL_SUBROUTINE);
	d->sync = !!(e1 & NVG_GPFIFO_ENTRY1_SYNC_WAIT);
	d->fetch = e0 & NVG_GPFIFO_ENTRY0_FETCH_CONDITIONAL;
}

/**
 * nvg_gpfifo_entry_check() - decode a GPFIFO entry and check we can run it
 * @entry: ENTRY0 in bits 31:0, ENTRY1 in bits 63:32.
 * @d: the decoded fields, also filled when the entry is refused.
 * @reason: set to a static string when the entry is refused; may be NULL.
 *
 * Accepted: main-level, unconditional segments of 1 to
 * NVG_GPFIFO_MAX_LENGTH dwords ending at or below 2^40, and the control NOP
 * (LENGTH 0, OPCODE 0, ENTRY0 zero apart from FETCH), for which @d->ndw is 0
 * and nothing is fetched. Subroutines, conditional fetches, the other
 * control opcodes (ILLEGAL, GP_CRC, PB_CRC) and reserved bits are refused.
 *
 * Return: 0, or -EINVAL.
 */
int nvg_gpfifo_entry_check(u64 entry, struct nvg_gpfifo_entry *d,
			   const char **reason)
{
	u32 e0 = (u32)entry;
	u32 e1 = (u32)(entry >> 32);
	const char *why = NULL;

	nvg_gpfifo_entry_decode(entry, d);
	if (d->level)
		why = "GPFIFO: subroutine entries not supported";
	else if ((e0 & NVG_GPFIFO_ENTRY0_RESERVED) ||
		 (e1 & NVG_GPFIFO_ENTRY1_RESERVED))
		why = "GPFIFO: reserved bits set";
	else if (!d->ndw &&
		 ((e0 & ~NVG_GPFIFO_ENTRY0_FETCH_CONDITIONAL) ||
		  (e1 & NVG_GPFIFO_ENTRY1_OPCODE_MASK)))
		why = "GPFIFO: control entry other than NOP";
	else if (d->ndw && d->fetch)
		why = "GPFIFO: conditional fetch not supported";
	else if (d->ndw && (u64)d->ndw * 4 > NVG_PB_VA_LIMIT - d->va)
		why = "GPFIFO: segment ends above 2^40";

	if (reason)
		*reason = why;
	return why ? -EINVAL : 0;
}

/* ---- memory ranges of an op ---- */

/*
 * The extent of @count lines of @bpl bytes, @pitch apart, from @va. Every
 * step is overflow checked although u32 inputs cannot overflow u64: the
 * bytes per line come from the op, which a caller may have built by hand.
 */
static const char *range_2d(u64 va, u64 bpl, u32 count, u32 pitch, u64 *size)
{
	u64 span;

	*size = 0;
	if (!bpl)
		return NULL;	/* reads or writes nothing */
	if (!count)
		return "zero line count";
	if (bpl > NVG_PB_MAX_RANGE)
		return "line size exceeds 4 GiB";
	if (__builtin_mul_overflow((u64)(count - 1), (u64)pitch, &span))
		return "arithmetic overflow";
	if (span > NVG_PB_MAX_RANGE)
		return "pitch * (line count - 1) exceeds 4 GiB";
	if (__builtin_add_overflow(span, bpl, &span))
		return "arithmetic overflow";
	if (span > NVG_PB_MAX_RANGE)
		return "range exceeds 4 GiB";
	if (va >= NVG_PB_VA_LIMIT || span > NVG_PB_VA_LIMIT - va)
		return "range ends above 2^40";
	*size = span;
	return NULL;
}

static const char *range_1d(u64 va, u64 size)
{
	u64 got;
	const char *why = range_2d(va, size, 1, 0, &got);

	if (!why && !got)
		why = "zero size";
	return why;
}

static void add_range(struct nvg_pb_range *r, int *n, u64 va, u64 size,
		      bool write)
{
	r[*n].va = va;
	r[*n].size = size;
	r[*n].write = write;
	(*n)++;
}

/* The ranges of @op and whether they are within limits: NULL if they are. */
static const char *op_ranges(const struct nvg_pb_op *op,
			     struct nvg_pb_range *r, int *n)
{
	const struct nvg_pb_copy *c = &op->copy;
	const char *why;
	u64 size;

	*n = 0;
	switch (op->kind) {
	case NVG_PB_OP_COPY:
		why = range_2d(c->src_va, c->src_bytes_per_line, c->line_count,
			       c->pitch_in, &size);
		if (why)
			return why;
		if (size)
			add_range(r, n, c->src_va, size, false);
		why = range_2d(c->dst_va, c->dst_bytes_per_line, c->line_count,
			       c->pitch_out, &size);
		if (why)
			return why;
		if (!size)
			return "zero size";
		add_range(r, n, c->dst_va, size, true);
		return NULL;
	case NVG_PB_OP_SEM_RELEASE:
		if (op->release.size != 4 && op->release.size != 8)
			return "semaphore size not 4 or 8";
		size = op->release.timestamp ? 16 : op->release.size;
		why = range_1d(op->release.va, size);
		if (!why)
			add_range(r, n, op->release.va, size, true);
		return why;
	case NVG_PB_OP_SEM_ACQUIRE:
		if (op->acquire.size != 4 && op->acquire.size != 8)
			return "semaphore size not 4 or 8";
		why = range_1d(op->acquire.va, op->acquire.size);
		if (!why)
			add_range(r, n, op->acquire.va, op->acquire.size, false);
		return why;
	case NVG_PB_OP_FILL:
		why = range_1d(op->fill.va, op->fill.size);
		if (!why)
			add_range(r, n, op->fill.va, op->fill.size, true);
		return why;
	case NVG_PB_OP_CHECKSUM:
		why = range_1d(op->checksum.va, op->checksum.size);
		if (!why)
			why = range_1d(op->checksum.result_va, 4);
		if (why)
			return why;
		add_range(r, n, op->checksum.va, op->checksum.size, false);
		add_range(r, n, op->checksum.result_va, 4, true);
		return NULL;
	case NVG_PB_OP_BUSY:
	case NVG_PB_OP_INTERRUPT:
	case NVG_PB_OP_WFI:
		return NULL;
	default:
		return "unknown op kind";
	}
}

/**
 * nvg_pb_op_ranges() - the memory an operation reads and writes
 * @op: an operation, normally from nvg_pb_parser_next().
 * @r: filled with up to NVG_PB_MAX_RANGES ranges, none empty. A COPY
 *     gives its source (read; absent for a remap fill) then its destination
 *     (written); a CHECKSUM its input then its result.
 *
 * Sizes are computed with overflow checks, and the limits of nvghost_pb.h
 * (4 GiB per range, end at or below 2^40) applied; the parser refuses any
 * operation that fails them, so -EINVAL only comes from hand-built ops.
 *
 * Return: the number of ranges, or -EINVAL.
 */
int nvg_pb_op_ranges(const struct nvg_pb_op *op,
		     struct nvg_pb_range r[NVG_PB_MAX_RANGES])
{
	int n;

	if (op_ranges(op, r, &n))
		return -EINVAL;
	return n;
}

/* ---- the parser ---- */

/*
 * Refuse the method (or header) being processed. Where it is was recorded
 * in p->err before it was applied; the error is sticky, so no op queued by
 * the refused method is ever handed out.
 */
static int fail(struct nvg_pb_parser *p, const char *reason)
{
	p->err.reason = reason;
	p->failed = true;
	return -EINVAL;
}

/* Queue an op; the caller fills its union member. */
static struct nvg_pb_op *push_op(struct nvg_pb_parser *p, u32 kind)
{
	struct nvg_pb_op *op = &p->pending[p->npending++];

	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->index = p->err.index;
	return op;
}

/* Check the ranges of the op just queued; refuse the method if they fail. */
static int commit_op(struct nvg_pb_parser *p)
{
	struct nvg_pb_range r[NVG_PB_MAX_RANGES];
	const char *why;
	int n;

	why = op_ranges(&p->pending[p->npending - 1], r, &n);
	return why ? fail(p, why) : 0;
}

static u64 va40(u32 hi, u32 lo)
{
	return ((u64)hi << 32) | lo;
}

/* The register holds VA bits 39:32; more would be past our 40-bit space. */
static int set_upper(struct nvg_pb_parser *p, u32 *reg, u32 data)
{
	if (data & ~0xffu)
		return fail(p, "address above 2^40");
	*reg = data;
	return 0;
}

/*
 * The copy engine's UPPER fields are 16:0, as NVIDIA defines them. An
 * address past our 40 bits is refused where it is used (the operation's
 * range check), as a GPU faults on an unmapped address, not when set.
 */
static int set_upper_copy(struct nvg_pb_parser *p, u32 *reg, u32 data)
{
	if (data & ~NVG_COPY_UPPER_MASK)
		return fail(p, "bits above UPPER (16:0) set");
	*reg = data;
	return 0;
}

/* Host semaphore registers hold bits 31:2 only; refuse rather than round. */
static int set_lower_4(struct nvg_pb_parser *p, u32 *reg, u32 data)
{
	if (data & 3)
		return fail(p, "semaphore address not 4-byte aligned");
	*reg = data;
	return 0;
}

static int sem_acquire(struct nvg_pb_parser *p, u64 va, u64 payload, u32 size,
		       u32 cond)
{
	struct nvg_pb_op *op = push_op(p, NVG_PB_OP_SEM_ACQUIRE);

	op->acquire.va = va;
	op->acquire.payload = payload;
	op->acquire.size = size;
	op->acquire.cond = cond;
	return commit_op(p);
}

static int sem_release(struct nvg_pb_parser *p, u64 va, u64 payload, u32 size,
		       bool timestamp)
{
	struct nvg_pb_op *op = push_op(p, NVG_PB_OP_SEM_RELEASE);

	op->release.va = va;
	op->release.payload = payload;
	op->release.size = size;
	op->release.timestamp = timestamp;
	return commit_op(p);
}

/* SEMAPHORED: the pre-Volta style semaphore, 32-bit payload in SEMAPHOREC. */
static int host_semaphored(struct nvg_pb_parser *p, u32 data)
{
	const u32 known = NVG_SEMAPHORED_OPERATION_MASK |
			  NVG_SEMAPHORED_ACQUIRE_SWITCH |
			  NVG_SEMAPHORED_RELEASE_WFI_DIS |
			  NVG_SEMAPHORED_RELEASE_SIZE_4BYTE;
	u64 va = va40(p->host.sema, p->host.semb);
	u32 payload = p->host.semc;
	u32 operation = data & NVG_SEMAPHORED_OPERATION_MASK;

	if (operation != NVG_SEMAPHORED_OPERATION_ACQUIRE &&
	    operation != NVG_SEMAPHORED_OPERATION_RELEASE &&
	    operation != NVG_SEMAPHORED_OPERATION_ACQ_GEQ)
		return fail(p, "SEMAPHORED: unsupported operation");
	if (data & ~known)
		return fail(p, "SEMAPHORED: reserved bits set");

	switch (operation) {
	case NVG_SEMAPHORED_OPERATION_ACQUIRE:
		return sem_acquire(p, va, payload, 4, NVG_PB_SEM_EQ);
	case NVG_SEMAPHORED_OPERATION_ACQ_GEQ:
		return sem_acquire(p, va, payload, 4, NVG_PB_SEM_GEQ);
	default:
		if (data & NVG_SEMAPHORED_RELEASE_SIZE_4BYTE)
			return sem_release(p, va, payload, 4, false);
		if (va & 15)
			return fail(p, "SEMAPHORED: 16-byte release not 16-byte aligned");
		return sem_release(p, va, payload, 4, true);
	}
}

/* SEM_EXECUTE: the Volta+ semaphore, 32- or 64-bit payload. */
static int host_sem_execute(struct nvg_pb_parser *p, u32 data)
{
	const u32 known = NVG_SEM_EXECUTE_OPERATION_MASK |
			  NVG_SEM_EXECUTE_ACQUIRE_SWITCH_TSG |
			  NVG_SEM_EXECUTE_RELEASE_WFI |
			  NVG_SEM_EXECUTE_PAYLOAD_SIZE_64BIT |
			  NVG_SEM_EXECUTE_RELEASE_TIMESTAMP;
	u32 operation = data & NVG_SEM_EXECUTE_OPERATION_MASK;
	bool wide = data & NVG_SEM_EXECUTE_PAYLOAD_SIZE_64BIT;
	u64 va = va40(p->host.sem_addr_hi, p->host.sem_addr_lo);
	u64 payload = p->host.sem_payload_lo;
	u32 size = 4;

	if (operation != NVG_SEM_EXECUTE_OPERATION_ACQUIRE &&
	    operation != NVG_SEM_EXECUTE_OPERATION_RELEASE &&
	    operation != NVG_SEM_EXECUTE_OPERATION_ACQ_STRICT_GEQ)
		return fail(p, "SEM_EXECUTE: unsupported operation");
	if (data & ~known)
		return fail(p, "SEM_EXECUTE: reserved bits set");
	if (wide) {
		size = 8;
		payload |= (u64)p->host.sem_payload_hi << 32;
		if (va & 7)
			return fail(p, "SEM_EXECUTE: 64-bit semaphore not 8-byte aligned");
	}

	switch (operation) {
	case NVG_SEM_EXECUTE_OPERATION_ACQUIRE:
		return sem_acquire(p, va, payload, size, NVG_PB_SEM_EQ);
	case NVG_SEM_EXECUTE_OPERATION_ACQ_STRICT_GEQ:
		return sem_acquire(p, va, payload, size, NVG_PB_SEM_GEQ);
	default:
		/* RELEASE_TIMESTAMP means nothing to an acquire: hardware ignores it there too. */
		if ((data & NVG_SEM_EXECUTE_RELEASE_TIMESTAMP) && (va & 15))
			return fail(p, "SEM_EXECUTE: timestamped release not 16-byte aligned");
		return sem_release(p, va, payload, size,
				   data & NVG_SEM_EXECUTE_RELEASE_TIMESTAMP);
	}
}

/*
 * MEM_OP_D runs the memory operation MEM_OP_A-C set up. Memory here is
 * coherent and the engine in order: a membar is a wait for idle, L2
 * maintenance has nothing to do. TLB invalidates and access counters are
 * the kernel's (NVIDIA refuses them on unprivileged channels too).
 */
static int host_mem_op_d(struct nvg_pb_parser *p, u32 data)
{
	switch (data >> NVG_MEM_OP_D_OPERATION_SHIFT) {
	case NVG_MEM_OP_D_OPERATION_MEMBAR:
		push_op(p, NVG_PB_OP_WFI);
		return 0;
	case NVG_MEM_OP_D_OPERATION_L2_PEERMEM_INVALIDATE:
	case NVG_MEM_OP_D_OPERATION_L2_SYSMEM_INVALIDATE:
	case NVG_MEM_OP_D_OPERATION_L2_CLEAN_COMPTAGS:
	case NVG_MEM_OP_D_OPERATION_L2_FLUSH_DIRTY:
	case NVG_MEM_OP_D_OPERATION_L2_WAIT_FOR_SYS_PENDING_READS:
		return 0;
	case NVG_MEM_OP_D_OPERATION_MMU_TLB_INVALIDATE:
	case NVG_MEM_OP_D_OPERATION_MMU_TLB_INVALIDATE_TARGETED:
	case NVG_MEM_OP_D_OPERATION_ACCESS_COUNTER_CLR:
		return fail(p, "MEM_OP_D: privileged operation");
	default:
		return fail(p, "MEM_OP_D: unknown operation");
	}
}

static int host_method(struct nvg_pb_parser *p, u32 subch, u32 method, u32 data)
{
	switch (method) {
	case NVG_HOST_SET_OBJECT:
		/* ENGINE (20:16) selects software objects, which we have none of. */
		if (data & 0xffff0000u)
			return fail(p, "SET_OBJECT: bits above the class id set");
		if (!p->engine_class || data != p->engine_class)
			return fail(p,
				    "SET_OBJECT of a class other than the channel's engine class");
		p->subch_class[subch] = data;
		return 0;
	case NVG_HOST_NOP:
		return 0;
	case NVG_HOST_SEMAPHOREA:
		return set_upper(p, &p->host.sema, data);
	case NVG_HOST_SEMAPHOREB:
		return set_lower_4(p, &p->host.semb, data);
	case NVG_HOST_SEMAPHOREC:
		p->host.semc = data;
		return 0;
	case NVG_HOST_SEMAPHORED:
		return host_semaphored(p, data);
	case NVG_HOST_NON_STALL_INTERRUPT:
		push_op(p, NVG_PB_OP_INTERRUPT);
		return 0;
	case NVG_HOST_FB_FLUSH:
	case NVG_HOST_MEM_OP_A:
	case NVG_HOST_MEM_OP_B:
	case NVG_HOST_MEM_OP_C:
	case NVG_HOST_SET_REFERENCE:
		return 0;
	case NVG_HOST_MEM_OP_D:
		return host_mem_op_d(p, data);
	case NVG_HOST_YIELD:
		if (data & ~NVG_YIELD_OP_MASK)
			return fail(p, "YIELD: reserved bits set");
		if (data != NVG_YIELD_OP_NOP && data != NVG_YIELD_OP_TSG)
			return fail(p, "YIELD: reserved OP");
		return 0;	/* a hint: the arbiter's timeslices decide */
	case NVG_HOST_SEM_ADDR_LO:
		return set_lower_4(p, &p->host.sem_addr_lo, data);
	case NVG_HOST_SEM_ADDR_HI:
		return set_upper(p, &p->host.sem_addr_hi, data);
	case NVG_HOST_SEM_PAYLOAD_LO:
		p->host.sem_payload_lo = data;
		return 0;
	case NVG_HOST_SEM_PAYLOAD_HI:
		p->host.sem_payload_hi = data;
		return 0;
	case NVG_HOST_SEM_EXECUTE:
		return host_sem_execute(p, data);
	case NVG_HOST_WFI:
		if (data & ~1u)
			return fail(p, "WFI: reserved bits set");
		push_op(p, NVG_PB_OP_WFI);
		return 0;
	default:
		return fail(p, "unknown host method");
	}
}

/* SET_REMAP_COMPONENTS, resolved; only the @num_dst used selectors count. */
static int copy_remap(struct nvg_pb_parser *p, struct nvg_pb_copy *c)
{
	struct nvg_pb_remap *rm = &c->remap_cfg;
	u32 v = p->copy.remap_components;
	bool reads_src = false;
	u32 elem_src, elem_dst;
	u32 i;

	if (v & ~NVG_REMAP_KNOWN_MASK)
		return fail(p, "remap: reserved bits set in SET_REMAP_COMPONENTS");
	rm->component_size = ((v >> NVG_REMAP_COMPONENT_SIZE_SHIFT) & 3) + 1;
	rm->num_src = ((v >> NVG_REMAP_NUM_SRC_SHIFT) & 3) + 1;
	rm->num_dst = ((v >> NVG_REMAP_NUM_DST_SHIFT) & 3) + 1;
	rm->const_a = p->copy.remap_const_a;
	rm->const_b = p->copy.remap_const_b;
	for (i = 0; i < 4; i++) {
		u32 sel = (v >> NVG_REMAP_DST_SHIFT(i)) & 7;

		rm->dst[i] = sel;
		if (i >= rm->num_dst)
			continue;
		if (sel == 7)
			return fail(p, "remap: DST component selector 7 is reserved");
		if (sel <= NVG_REMAP_SRC_W) {
			if (sel >= rm->num_src)
				return fail(p,
					    "remap: DST component reads a source component beyond NUM_SRC_COMPONENTS");
			reads_src = true;
		}
	}

	/* At most 4 * 4 bytes per element: no u64 overflow is possible. */
	elem_src = rm->num_src * rm->component_size;
	elem_dst = rm->num_dst * rm->component_size;
	c->src_bytes_per_line = reads_src ? (u64)c->line_len * elem_src : 0;
	c->dst_bytes_per_line = (u64)c->line_len * elem_dst;
	return 0;
}

static int copy_transfer(struct nvg_pb_parser *p, u32 data)
{
	struct nvg_pb_op *op;
	struct nvg_pb_copy *c;
	int ret;

	if (!(data & NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH))
		return fail(p, "LAUNCH_DMA: blocklinear source not supported");
	if (!(data & NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH))
		return fail(p, "LAUNCH_DMA: blocklinear destination not supported");
	if (data & NVG_LAUNCH_DMA_SRC_TYPE_PHYSICAL)
		return fail(p, "LAUNCH_DMA: physical source not supported");
	if (data & NVG_LAUNCH_DMA_DST_TYPE_PHYSICAL)
		return fail(p, "LAUNCH_DMA: physical destination not supported");

	op = push_op(p, NVG_PB_OP_COPY);
	c = &op->copy;
	c->src_va = va40(p->copy.offset_in_upper, p->copy.offset_in_lower);
	c->dst_va = va40(p->copy.offset_out_upper, p->copy.offset_out_lower);
	c->line_len = p->copy.line_length_in;
	c->line_count = 1;
	if (data & NVG_LAUNCH_DMA_MULTI_LINE_ENABLE) {
		c->line_count = p->copy.line_count;
		c->pitch_in = p->copy.pitch_in;
		c->pitch_out = p->copy.pitch_out;
	}
	if (!c->line_len)
		return fail(p, "LAUNCH_DMA: zero line length");
	if (!c->line_count)
		return fail(p, "LAUNCH_DMA: zero line count");

	if (data & NVG_LAUNCH_DMA_REMAP_ENABLE) {
		c->remap = true;
		ret = copy_remap(p, c);
		if (ret)
			return ret;
	} else {
		c->src_bytes_per_line = c->line_len;
		c->dst_bytes_per_line = c->line_len;
	}
	return commit_op(p);
}

static int copy_launch(struct nvg_pb_parser *p, u32 class_id, u32 data)
{
	u32 xfer = data & NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_MASK;
	u32 sem = (data >> NVG_LAUNCH_DMA_SEMAPHORE_TYPE_SHIFT) & 3;
	u32 intr = (data >> NVG_LAUNCH_DMA_INTERRUPT_TYPE_SHIFT) & 3;
	u64 va = va40(p->copy.sem_a, p->copy.sem_b);
	u32 known = NVG_LAUNCH_DMA_KNOWN_MASK;
	u64 payload = p->copy.sem_payload;
	u32 size = 4;
	int ret = 0;

	if (copy_class_has_c7b5(class_id))
		known |= NVG_LAUNCH_DMA_FLUSH_TYPE_GL |
			 NVG_LAUNCH_DMA_SEMAPHORE_PAYLOAD_SIZE_64BIT;
	if (data & ~known)
		return fail(p, "LAUNCH_DMA: unknown bit set");
	if (data & NVG_LAUNCH_DMA_SEMAPHORE_PAYLOAD_SIZE_64BIT) {
		size = 8;
		payload |= (u64)p->copy.sem_payload_upper << 32;
	}
	if (xfer == 3)
		return fail(p, "LAUNCH_DMA: DATA_TRANSFER_TYPE 3 is reserved");
	if (sem == 3)
		return fail(p,
			    "LAUNCH_DMA: SEMAPHORE_TYPE 3 (conditional interrupt) not supported");
	if (intr == 3)
		return fail(p, "LAUNCH_DMA: INTERRUPT_TYPE 3 is reserved");

	/*
	 * Without a transfer the layout, type, multi-line and remap fields say
	 * nothing; NVIDIA's own semaphore-only launches leave the layouts at
	 * BLOCKLINEAR (0), so they are only checked when data moves.
	 */
	if (xfer != NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_NONE) {
		ret = copy_transfer(p, data);
		if (ret)
			return ret;
	}

	if (sem == NVG_LAUNCH_DMA_SEMAPHORE_TYPE_ONE_WORD) {
		if (va & (size - 1))
			return fail(p, size == 4 ?
				    "LAUNCH_DMA: one-word semaphore not 4-byte aligned" :
				    "LAUNCH_DMA: 64-bit semaphore not 8-byte aligned");
		ret = sem_release(p, va, payload, size, false);
	} else if (sem == NVG_LAUNCH_DMA_SEMAPHORE_TYPE_FOUR_WORD) {
		if (va & 15)
			return fail(p, "LAUNCH_DMA: four-word semaphore not 16-byte aligned");
		ret = sem_release(p, va, payload, size, true);
	}
	if (ret)
		return ret;

	/* Blocking or not, for us both mean: interrupt once this completed. */
	if (intr != NVG_LAUNCH_DMA_INTERRUPT_TYPE_NONE)
		push_op(p, NVG_PB_OP_INTERRUPT);
	return 0;
}

static int copy_method(struct nvg_pb_parser *p, u32 class_id, u32 method, u32 data)
{
	switch (method) {
	case NVG_COPY_NOP:
		return 0;
	case NVG_COPY_SET_SEMAPHORE_A:
		return set_upper_copy(p, &p->copy.sem_a, data);
	case NVG_COPY_SET_SEMAPHORE_PAYLOAD_UPPER:
		if (!copy_class_has_c7b5(class_id))
			return fail(p, "unknown copy method");
		p->copy.sem_payload_upper = data;
		return 0;
	case NVG_COPY_SET_SEMAPHORE_B:
		/* alignment depends on the semaphore type: checked at launch */
		p->copy.sem_b = data;
		return 0;
	case NVG_COPY_SET_SEMAPHORE_PAYLOAD:
		p->copy.sem_payload = data;
		return 0;
	case NVG_COPY_LAUNCH_DMA:
		return copy_launch(p, class_id, data);
	case NVG_COPY_OFFSET_IN_UPPER:
		return set_upper_copy(p, &p->copy.offset_in_upper, data);
	case NVG_COPY_OFFSET_IN_LOWER:
		p->copy.offset_in_lower = data;
		return 0;
	case NVG_COPY_OFFSET_OUT_UPPER:
		return set_upper_copy(p, &p->copy.offset_out_upper, data);
	case NVG_COPY_OFFSET_OUT_LOWER:
		p->copy.offset_out_lower = data;
		return 0;
	case NVG_COPY_PITCH_IN:
		p->copy.pitch_in = data;
		return 0;
	case NVG_COPY_PITCH_OUT:
		p->copy.pitch_out = data;
		return 0;
	case NVG_COPY_LINE_LENGTH_IN:
		p->copy.line_length_in = data;
		return 0;
	case NVG_COPY_LINE_COUNT:
		p->copy.line_count = data;
		return 0;
	case NVG_COPY_SET_REMAP_CONST_A:
		p->copy.remap_const_a = data;
		return 0;
	case NVG_COPY_SET_REMAP_CONST_B:
		p->copy.remap_const_b = data;
		return 0;
	case NVG_COPY_SET_REMAP_COMPONENTS:
		/* checked at launch, and only if REMAP_ENABLE asks for it */
		p->copy.remap_components = data;
		return 0;
	default:
		return fail(p, "unknown copy method");
	}
}

static int compute_launch(struct nvg_pb_parser *p, u32 data)
{
	u64 va = va40(p->compute.addr_hi, p->compute.addr_lo);
	u32 size = p->compute.size;
	struct nvg_pb_op *op;
	int ret;

	if ((data & NVGC_LAUNCH_OP_MASK) == 3)
		return fail(p, "NVGC_LAUNCH: OP 3 is reserved");
	if (data & ~NVGC_LAUNCH_KNOWN_MASK)
		return fail(p, "NVGC_LAUNCH: reserved bits set");

	switch (data & NVGC_LAUNCH_OP_MASK) {
	case NVGC_LAUNCH_OP_BUSY:
		op = push_op(p, NVG_PB_OP_BUSY);
		op->busy.cycles = va40(p->compute.cycles_hi, p->compute.cycles_lo);
		break;
	case NVGC_LAUNCH_OP_FILL:
		if (!size)
			return fail(p, "NVGC_LAUNCH: zero size");
		if ((va | size) & 3)
			return fail(p, "NVGC_LAUNCH: fill address or size not 4-byte aligned");
		op = push_op(p, NVG_PB_OP_FILL);
		op->fill.va = va;
		op->fill.size = size;
		op->fill.value = p->compute.value;
		break;
	default:
		if (!size)
			return fail(p, "NVGC_LAUNCH: zero size");
		if (p->compute.result_lo & 3)
			return fail(p, "NVGC_LAUNCH: checksum result not 4-byte aligned");
		op = push_op(p, NVG_PB_OP_CHECKSUM);
		op->checksum.va = va;
		op->checksum.size = size;
		op->checksum.result_va = va40(p->compute.result_hi,
					      p->compute.result_lo);
		break;
	}
	ret = commit_op(p);
	if (ret)
		return ret;
	if (data & NVGC_LAUNCH_INTERRUPT)
		push_op(p, NVG_PB_OP_INTERRUPT);
	return 0;
}

static int compute_method(struct nvg_pb_parser *p, u32 method, u32 data)
{
	switch (method) {
	case NVGC_SET_CYCLES_LO:
		p->compute.cycles_lo = data;
		return 0;
	case NVGC_SET_CYCLES_HI:
		p->compute.cycles_hi = data;
		return 0;
	case NVGC_SET_ADDR_HI:
		return set_upper(p, &p->compute.addr_hi, data);
	case NVGC_SET_ADDR_LO:
		p->compute.addr_lo = data;
		return 0;
	case NVGC_SET_SIZE:
		p->compute.size = data;
		return 0;
	case NVGC_SET_VALUE:
		p->compute.value = data;
		return 0;
	case NVGC_SET_RESULT_HI:
		return set_upper(p, &p->compute.result_hi, data);
	case NVGC_SET_RESULT_LO:
		p->compute.result_lo = data;
		return 0;
	case NVGC_LAUNCH:
		return compute_launch(p, data);
	default:
		return fail(p, "unknown compute method");
	}
}

/* One method write: @data to @method on @subch, from dword @index. */
static int apply(struct nvg_pb_parser *p, u32 index, u32 dword, u32 subch,
		 u32 method, u32 data)
{
	u32 class_id;

	p->err.index = index;
	p->err.dword = dword;
	p->err.subch = subch;
	p->err.method = method;
	p->err.class_id = 0;

	/* Host methods reach host whatever the subchannel is bound to. */
	if (method < NVG_HOST_METHODS_END)
		return host_method(p, subch, method, data);

	class_id = p->subch_class[subch];
	if (!class_id)
		return fail(p, "non-host method on an unbound subchannel");
	p->err.class_id = class_id;
	/* SET_OBJECT only ever binds the engine class, so one test suffices. */
	if (nvg_pb_class_is_copy(class_id))
		return copy_method(p, class_id, method, data);
	return compute_method(p, method, data);
}

static int header_fail(struct nvg_pb_parser *p, u32 index, const char *reason)
{
	p->err.index = index;
	p->err.dword = p->dw[index];
	p->err.subch = NVG_PB_ERR_NONE;
	p->err.method = NVG_PB_ERR_NONE;
	p->err.class_id = 0;
	return fail(p, reason);
}

/**
 * nvg_pb_parser_init() - start a channel's method state
 * @p: the parser.
 * @engine_class: the one engine class the channel may bind besides host:
 *                a copy or compute class id (nvg_pb_class_is_copy(),
 *                nvg_pb_class_is_compute()), or 0 for a host-only channel.
 *                Any other value is treated as 0.
 *
 * All method state starts at zero and no subchannel is bound, as on a new
 * channel.
 */
void nvg_pb_parser_init(struct nvg_pb_parser *p, u32 engine_class)
{
	memset(p, 0, sizeof(*p));
	if (nvg_pb_class_is_copy(engine_class) ||
	    nvg_pb_class_is_compute(engine_class))
		p->engine_class = engine_class;
}

/**
 * nvg_pb_parser_segment() - start parsing the next pushbuffer segment
 * @p: the parser.
 * @dw: the segment's dwords; read, never written, until the next call.
 * @ndw: how many.
 *
 * Method state (bindings, registers) carries over from earlier segments, as
 * on a real channel; segments are the GPFIFO entries of a submission, in
 * order. So does a method run: a header's data may continue into the next
 * segment, as the PBDMA's method state does. Ops of the previous segment
 * not yet taken are dropped. An error is sticky: once nvg_pb_parser_next()
 * failed, it fails until the next nvg_pb_parser_init().
 */
void nvg_pb_parser_segment(struct nvg_pb_parser *p, const u32 *dw, u32 ndw)
{
	p->dw = dw;
	p->ndw = ndw;
	p->pos = 0;
	p->ended = false;
	p->npending = 0;
	p->next_pending = 0;
}

/**
 * nvg_pb_parser_finish() - the last segment of a submission was parsed
 * @p: the parser.
 * @err: filled when -EINVAL is returned; may be NULL.
 *
 * A method whose data would continue past the last segment is refused:
 * nothing would ever complete it.
 *
 * Return: 0, or -EINVAL (also if the parser had already failed).
 */
int nvg_pb_parser_finish(struct nvg_pb_parser *p, struct nvg_pb_error *err)
{
	if (!p->failed && p->run_left) {
		p->err.index = p->run_hdr_index;
		p->err.dword = p->run_hdr_dword;
		p->err.subch = NVG_PB_ERR_NONE;
		p->err.method = NVG_PB_ERR_NONE;
		p->err.class_id = 0;
		fail(p, "method data runs past the last segment (truncated)");
	}
	if (!p->failed)
		return 0;
	if (err)
		*err = p->err;
	return -EINVAL;
}

/* Append an incrementing method run to @dw at *@n. */
static void emit_run(u32 *dw, u32 *n, u32 subch, u32 method, const u32 *v, u32 count)
{
	u32 i;

	dw[(*n)++] = nvg_pb_hdr_incr(subch, method, count);
	for (i = 0; i < count; i++)
		dw[(*n)++] = v[i];
}

static bool any_set(const u32 *v, u32 count)
{
	while (count--)
		if (v[count])
			return true;
	return false;
}

/**
 * nvg_pb_state_restore() - methods that rebuild a channel's method state
 * @p: a parser after the channel's last submission (its state is read).
 * @dw: receives at most NVG_PB_STATE_MAX_DWORDS dwords.
 *
 * On hardware a channel's subchannel bindings and method registers live in
 * its context and survive from one submission to the next. nvghost's
 * engines start every job afresh, so the driver puts these methods in front
 * of each validated pushbuffer: SET_OBJECT for every bound subchannel, then
 * the host, copy or compute registers that are not zero. They yield no
 * operation, and a fresh parser that reads them is in @p's state.
 *
 * Return: the number of dwords written; 0 for a fresh channel.
 */
u32 nvg_pb_state_restore(const struct nvg_pb_parser *p, u32 dw[NVG_PB_STATE_MAX_DWORDS])
{
	u32 n = 0, subch, bound = NVG_PB_NR_HW_SUBCH, v[8];

	for (subch = 0; subch < NVG_PB_NR_HW_SUBCH; subch++) {
		if (!p->subch_class[subch])
			continue;
		emit_run(dw, &n, subch, NVG_HOST_SET_OBJECT, &p->subch_class[subch], 1);
		if (bound == NVG_PB_NR_HW_SUBCH)
			bound = subch;
	}
	v[0] = p->host.sema;
	v[1] = p->host.semb;
	v[2] = p->host.semc;
	if (any_set(v, 3))
		emit_run(dw, &n, 0, NVG_HOST_SEMAPHOREA, v, 3);
	v[0] = p->host.sem_addr_lo;
	v[1] = p->host.sem_addr_hi;
	v[2] = p->host.sem_payload_lo;
	v[3] = p->host.sem_payload_hi;
	if (any_set(v, 4))
		emit_run(dw, &n, 0, NVG_HOST_SEM_ADDR_LO, v, 4);
	/* Engine registers can only have been set through a bound subchannel. */
	if (bound == NVG_PB_NR_HW_SUBCH)
		return n;
	if (nvg_pb_class_is_copy(p->engine_class)) {
		v[0] = p->copy.sem_a;
		v[1] = p->copy.sem_b;
		v[2] = p->copy.sem_payload;
		v[3] = p->copy.sem_payload_upper;
		if (any_set(v, 4))
			emit_run(dw, &n, bound, NVG_COPY_SET_SEMAPHORE_A, v,
				 copy_class_has_c7b5(p->engine_class) ? 4 : 3);
		v[0] = p->copy.offset_in_upper;
		v[1] = p->copy.offset_in_lower;
		v[2] = p->copy.offset_out_upper;
		v[3] = p->copy.offset_out_lower;
		v[4] = p->copy.pitch_in;
		v[5] = p->copy.pitch_out;
		v[6] = p->copy.line_length_in;
		v[7] = p->copy.line_count;
		if (any_set(v, 8))
			emit_run(dw, &n, bound, NVG_COPY_OFFSET_IN_UPPER, v, 8);
		v[0] = p->copy.remap_const_a;
		v[1] = p->copy.remap_const_b;
		v[2] = p->copy.remap_components;
		if (any_set(v, 3))
			emit_run(dw, &n, bound, NVG_COPY_SET_REMAP_CONST_A, v, 3);
	} else {
		v[0] = p->compute.cycles_lo;
		v[1] = p->compute.cycles_hi;
		v[2] = p->compute.addr_hi;
		v[3] = p->compute.addr_lo;
		v[4] = p->compute.size;
		v[5] = p->compute.value;
		v[6] = p->compute.result_hi;
		v[7] = p->compute.result_lo;
		if (any_set(v, 8))
			emit_run(dw, &n, bound, NVGC_SET_CYCLES_LO, v, 8);
	}
	return n;
}

/**
 * nvg_pb_parser_next() - the next operation of the segment
 * @p: the parser, after nvg_pb_parser_segment().
 * @op: filled when 1 is returned.
 * @err: filled when -EINVAL is returned; may be NULL.
 *
 * Consumes method headers and data until a method produces an operation.
 * One call reads at most the rest of the segment (NVG_GPFIFO_MAX_LENGTH
 * dwords for a segment from a GPFIFO entry).
 *
 * Operations come out as they are parsed, and a later method may still be
 * refused: a validator must run every segment to its end before it trusts
 * any operation. The ops of one refused method (a LAUNCH_DMA's copy and
 * semaphore) are never handed out.
 *
 * Return: 1 with @op filled; 0 at the end of the segment (its last dword or
 * END_PB_SEGMENT); -EINVAL if the pushbuffer breaks a rule, with @err saying
 * where and which.
 */
int nvg_pb_parser_next(struct nvg_pb_parser *p, struct nvg_pb_op *op,
		       struct nvg_pb_error *err)
{
	struct nvg_pb_hdr h;
	u32 index, dword;

	for (;;) {
		if (p->failed)
			break;
		if (p->next_pending < p->npending) {
			*op = p->pending[p->next_pending++];
			return 1;
		}
		p->npending = 0;
		p->next_pending = 0;

		if (p->run_left && p->pos < p->ndw) {
			u32 method = p->run_method;

			index = p->pos++;
			p->run_left--;
			if (p->run_sec_op == NVG_PB_SEC_OP_INC_METHOD) {
				p->run_method += 4;
			} else if (p->run_sec_op == NVG_PB_SEC_OP_ONE_INC) {
				p->run_method += 4;
				p->run_sec_op = NVG_PB_SEC_OP_NON_INC_METHOD;
			}
			apply(p, index, p->dw[index], p->run_subch, method,
			      p->dw[index]);
			continue;
		}

		if (p->ended || p->pos >= p->ndw)
			return 0;	/* a run may go on in the next segment */

		index = p->pos++;
		dword = p->dw[index];
		if (dword == NVG_PB_DW_NOP)
			continue;
		nvg_pb_hdr_decode(dword, &h);
		switch (h.sec_op) {
		case NVG_PB_SEC_OP_END_PB_SEGMENT:
			/* Its other bits are undefined; hardware ignores them. */
			p->ended = true;
			continue;
		case NVG_PB_SEC_OP_GRP0_USE_TERT:
		case NVG_PB_SEC_OP_GRP2_USE_TERT:
			header_fail(p, index,
				    "SEC_OP 0/2 (sub-device masks, old formats) not supported");
			continue;
		case NVG_PB_SEC_OP_RESERVED6:
			header_fail(p, index, "SEC_OP 6 is reserved");
			continue;
		}
		if (h.reserved) {
			header_fail(p, index, "reserved bit 12 set in method header");
			continue;
		}
		if (h.subch >= NVG_PB_NR_HW_SUBCH) {
			header_fail(p, index, "software subchannel (5-7) not supported");
			continue;
		}
		if (h.sec_op == NVG_PB_SEC_OP_IMMD_DATA_METHOD) {
			apply(p, index, dword, h.subch, h.method, h.count);
			continue;
		}
		/* The data may run on into the next segment (nvg_pb_parser_finish()). */
		p->run_left = h.count;	/* COUNT 0: a header that writes nothing */
		p->run_hdr_index = index;
		p->run_hdr_dword = dword;
		p->run_sec_op = h.sec_op;
		p->run_subch = h.subch;
		p->run_method = h.method;
	}

	if (err)
		*err = p->err;
	return -EINVAL;
}
