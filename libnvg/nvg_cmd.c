// SPDX-License-Identifier: (LGPL-2.1 OR MIT)
/*
 * nvg_cmd.c - typed commands to pushbuffer dwords. See nvg_cmd.h.
 *
 * Every command is planned before it is written: plan() checks it against
 * the rules the kernel's parser enforces (alignment, the 40-bit VA space,
 * 4 GiB per range, what the class can do) and works out how many dwords it
 * takes. Only then is space reserved and the command encoded, so a refused
 * command, or one that does not fit, leaves the builder untouched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nvg_cmd.h"

/* What a launch looks like for us: in order after earlier work, flushed. */
#define LAUNCH_COPY	(NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_NON_PIPELINED | \
			 NVG_LAUNCH_DMA_FLUSH_ENABLE | \
			 NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH | \
			 NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH)
#define LAUNCH_ALL	(LAUNCH_COPY | NVG_LAUNCH_DMA_MULTI_LINE_ENABLE | \
			 NVG_LAUNCH_DMA_REMAP_ENABLE)

/* Launches go out as immediates: one dword instead of two. */
_Static_assert(LAUNCH_ALL <= NVG_PB_MAX_IMM, "LAUNCH_DMA fits an immediate");
_Static_assert(NVGC_LAUNCH_KNOWN_MASK <= NVG_PB_MAX_IMM, "NVGC_LAUNCH fits an immediate");
_Static_assert(NVG_CMD_PIECE_MAX <= NVG_PB_MAX_RANGE && NVG_CMD_PIECE_MAX % 4 == 0 &&
	       NVG_CMD_PIECE_MAX / 4 <= UINT32_MAX, "a piece is one LAUNCH");

/* dwords of each building block */
#define DW_SET_OBJECT	2
#define DW_COPY_PIECE	10	/* OFFSET_IN_UPPER..LINE_COUNT (1 + 8), LAUNCH_DMA */
#define DW_REMAP	4	/* SET_REMAP_CONST_A..COMPONENTS (1 + 3) */
#define DW_NVGC_FILL	6	/* NVGC_SET_ADDR_HI..VALUE (1 + 4), NVGC_LAUNCH */
#define DW_NVGC_BUSY	4	/* NVGC_SET_CYCLES_LO..HI (1 + 2), NVGC_LAUNCH */
#define DW_NVGC_CSUM	8	/* ADDR_HI..SIZE (1 + 3), RESULT_HI..LO (1 + 2), LAUNCH */
#define DW_SEM		6	/* SEM_ADDR_LO..SEM_EXECUTE (1 + 5) */

/* The plan of one command, from plan(). */
struct plan {
	size_t ndw;		/* dwords, SET_OBJECT included */
	uint64_t pieces;	/* LAUNCHes of a COPY, COPY_2D or FILL32 */
	uint32_t group;		/* lines per LAUNCH of a COPY_2D */
};

/* [va, va + size) is not empty and ends at or below 2^40. */
static bool range_ok(uint64_t va, uint64_t size)
{
	return size && va < NVG_PB_VA_LIMIT && size <= NVG_PB_VA_LIMIT - va;
}

static uint64_t div_round_up(uint64_t n, uint64_t d)
{
	return n / d + !!(n % d);
}

/* The extent of @lines lines of @line_bytes, @pitch apart; false on overflow. */
static bool span_2d(uint32_t line_bytes, uint32_t lines, uint32_t pitch,
		    uint64_t *span)
{
	return !__builtin_mul_overflow((uint64_t)(lines - 1), (uint64_t)pitch, span) &&
	       !__builtin_add_overflow(*span, (uint64_t)line_bytes, span);
}

/* Most lines one LAUNCH can take on one side without passing 4 GiB. */
static uint64_t lines_within_4g(uint32_t line_bytes, uint32_t pitch)
{
	if (!pitch)
		return UINT32_MAX;	/* every line is the same bytes */
	return (NVG_PB_MAX_RANGE - line_bytes) / pitch + 1;
}

static int plan_copy_2d(const struct nvg_cmd *c, struct plan *pl)
{
	uint64_t span, group;

	if (!c->copy_2d.line_bytes || !c->copy_2d.lines)
		return -EINVAL;
	if (!span_2d(c->copy_2d.line_bytes, c->copy_2d.lines, c->copy_2d.src_pitch, &span) ||
	    !range_ok(c->copy_2d.src, span))
		return -EINVAL;
	if (!span_2d(c->copy_2d.line_bytes, c->copy_2d.lines, c->copy_2d.dst_pitch, &span) ||
	    !range_ok(c->copy_2d.dst, span))
		return -EINVAL;

	group = lines_within_4g(c->copy_2d.line_bytes, c->copy_2d.src_pitch);
	if (group > lines_within_4g(c->copy_2d.line_bytes, c->copy_2d.dst_pitch))
		group = lines_within_4g(c->copy_2d.line_bytes, c->copy_2d.dst_pitch);
	if (group > c->copy_2d.lines)
		group = c->copy_2d.lines;
	pl->group = (uint32_t)group;
	pl->pieces = div_round_up(c->copy_2d.lines, group);
	return 0;
}

static bool sem_ok(uint64_t va, uint64_t payload, enum nvg_cmd_sem_size size,
		   bool timestamp)
{
	if (size != NVG_CMD_SEM_32 && size != NVG_CMD_SEM_64)
		return false;
	if (size == NVG_CMD_SEM_32 && payload > UINT32_MAX)
		return false;
	if (va & (timestamp ? 15 : (uint64_t)size - 1))
		return false;
	return range_ok(va, timestamp ? 16 : (uint64_t)size);
}

/* Check @c for @b's class and count its dwords; -EINVAL if the kernel would refuse it. */
static int plan(const struct nvg_pb_builder *b, const struct nvg_cmd *c,
		struct plan *pl)
{
	bool copy = nvg_pb_class_is_copy(b->class_id);
	uint64_t per_piece;
	int ret;

	memset(pl, 0, sizeof(*pl));
	switch (c->kind) {
	case NVG_CMD_COPY:
		if (!copy || !range_ok(c->copy.src, c->copy.size) ||
		    !range_ok(c->copy.dst, c->copy.size))
			return -EINVAL;
		pl->pieces = div_round_up(c->copy.size, NVG_CMD_PIECE_MAX);
		per_piece = DW_COPY_PIECE;
		break;
	case NVG_CMD_COPY_2D:
		if (!copy)
			return -EINVAL;
		ret = plan_copy_2d(c, pl);
		if (ret)
			return ret;
		per_piece = DW_COPY_PIECE;
		break;
	case NVG_CMD_FILL32:
		if (((c->fill32.dst | c->fill32.size) & 3) ||
		    !range_ok(c->fill32.dst, c->fill32.size))
			return -EINVAL;
		pl->pieces = div_round_up(c->fill32.size, NVG_CMD_PIECE_MAX);
		per_piece = copy ? DW_COPY_PIECE : DW_NVGC_FILL;
		pl->ndw = copy ? DW_REMAP : 0;
		break;
	case NVG_CMD_SEM_RELEASE:
		if (!sem_ok(c->sem_release.va, c->sem_release.payload,
			    c->sem_release.size, c->sem_release.timestamp))
			return -EINVAL;
		pl->ndw = DW_SEM;
		per_piece = 0;
		break;
	case NVG_CMD_SEM_ACQUIRE:
		if (c->sem_acquire.cond != NVG_CMD_SEM_EQ &&
		    c->sem_acquire.cond != NVG_CMD_SEM_GEQ)
			return -EINVAL;
		if (!sem_ok(c->sem_acquire.va, c->sem_acquire.payload,
			    c->sem_acquire.size, false))
			return -EINVAL;
		pl->ndw = DW_SEM;
		per_piece = 0;
		break;
	case NVG_CMD_BUSY:
		if (copy)
			return -EINVAL;
		pl->ndw = DW_NVGC_BUSY;
		per_piece = 0;
		break;
	case NVG_CMD_CHECKSUM:
		/* one fresh-seed sum of a 32-bit SIZE: it cannot be split */
		if (copy || c->checksum.size > UINT32_MAX ||
		    !range_ok(c->checksum.va, c->checksum.size) ||
		    (c->checksum.result_va & 3) || !range_ok(c->checksum.result_va, 4))
			return -EINVAL;
		pl->ndw = DW_NVGC_CSUM;
		per_piece = 0;
		break;
	default:
		return -EINVAL;
	}

	/* Too many pieces for any pushbuffer: ENOSPC, and no overflow below. */
	if (pl->pieces > NVG_PB_BUILDER_MAX_DW)
		return -ENOSPC;
	pl->ndw += pl->pieces * per_piece;
	if (!b->bound)
		pl->ndw += DW_SET_OBJECT;
	return 0;
}

/* Room for @need more dwords, growing an owned buffer; nothing else changes. */
static int reserve(struct nvg_pb_builder *b, size_t need)
{
	size_t cap;
	uint32_t *dw;

	if (need > NVG_PB_BUILDER_MAX_DW - b->ndw)
		return -ENOSPC;
	if (need <= b->cap - b->ndw)
		return 0;
	if (!b->owned)
		return -ENOSPC;
	cap = b->cap ? b->cap : 256;
	while (cap - b->ndw < need)
		cap *= 2;
	if (cap > NVG_PB_BUILDER_MAX_DW)
		cap = NVG_PB_BUILDER_MAX_DW;
	dw = realloc(b->dw, cap * sizeof(*dw));
	if (!dw)
		return -ENOMEM;
	b->dw = dw;
	b->cap = cap;
	return 0;
}

static void put(struct nvg_pb_builder *b, uint32_t v)
{
	/* reserve() made room for what plan() counted; more is a libnvg bug */
	if (b->ndw >= b->cap)
		abort();
	b->dw[b->ndw++] = v;
}

static void mthd(struct nvg_pb_builder *b, uint32_t method, uint32_t count)
{
	put(b, nvg_pb_hdr_incr(b->subch, method, count));
}

static void put_va(struct nvg_pb_builder *b, uint64_t va)
{
	put(b, (uint32_t)(va >> 32));
	put(b, (uint32_t)va);
}

/* One LAUNCH_DMA with every copy register set: no state from before matters. */
static void copy_piece(struct nvg_pb_builder *b, uint64_t src, uint64_t dst,
		       uint32_t pitch_in, uint32_t pitch_out, uint32_t line_len,
		       uint32_t lines, uint32_t launch)
{
	mthd(b, NVG_COPY_OFFSET_IN_UPPER, 8);
	put_va(b, src);
	put_va(b, dst);
	put(b, pitch_in);
	put(b, pitch_out);
	put(b, line_len);
	put(b, lines);
	put(b, nvg_pb_hdr_imm(b->subch, NVG_COPY_LAUNCH_DMA, launch));
}

static void emit_copy(struct nvg_pb_builder *b, const struct nvg_cmd *c)
{
	uint64_t off, n;

	for (off = 0; off < c->copy.size; off += n) {
		n = c->copy.size - off;
		if (n > NVG_CMD_PIECE_MAX)
			n = NVG_CMD_PIECE_MAX;
		copy_piece(b, c->copy.src + off, c->copy.dst + off, 0, 0,
			   (uint32_t)n, 1, LAUNCH_COPY);
	}
}

static void emit_copy_2d(struct nvg_pb_builder *b, const struct nvg_cmd *c,
			 const struct plan *pl)
{
	uint32_t first, n;

	for (first = 0; first < c->copy_2d.lines; first += n) {
		n = c->copy_2d.lines - first;
		if (n > pl->group)
			n = pl->group;
		copy_piece(b, c->copy_2d.src + (uint64_t)first * c->copy_2d.src_pitch,
			   c->copy_2d.dst + (uint64_t)first * c->copy_2d.dst_pitch,
			   c->copy_2d.src_pitch, c->copy_2d.dst_pitch,
			   c->copy_2d.line_bytes, n,
			   LAUNCH_COPY | NVG_LAUNCH_DMA_MULTI_LINE_ENABLE);
	}
}

/*
 * A fill on the copy engine: the remap writes CONST_A as each 4-byte
 * element and reads no source, so LINE_LENGTH_IN counts elements.
 */
static void emit_fill_copy(struct nvg_pb_builder *b, const struct nvg_cmd *c)
{
	static const uint32_t sel[4] = {
		NVG_REMAP_CONST_A, NVG_REMAP_NO_WRITE, NVG_REMAP_NO_WRITE, NVG_REMAP_NO_WRITE,
	};
	uint64_t off, n;

	mthd(b, NVG_COPY_SET_REMAP_CONST_A, 3);
	put(b, c->fill32.value);
	put(b, 0);
	put(b, nvg_remap_components(sel, 4, 1, 1));
	for (off = 0; off < c->fill32.size; off += n) {
		n = c->fill32.size - off;
		if (n > NVG_CMD_PIECE_MAX)
			n = NVG_CMD_PIECE_MAX;
		/* the source offset is unused, but a valid VA keeps it obviously so */
		copy_piece(b, c->fill32.dst + off, c->fill32.dst + off, 0, 0,
			   (uint32_t)(n / 4), 1, LAUNCH_COPY | NVG_LAUNCH_DMA_REMAP_ENABLE);
	}
}

static void emit_fill_compute(struct nvg_pb_builder *b, const struct nvg_cmd *c)
{
	uint64_t off, n;

	for (off = 0; off < c->fill32.size; off += n) {
		n = c->fill32.size - off;
		if (n > NVG_CMD_PIECE_MAX)
			n = NVG_CMD_PIECE_MAX;
		mthd(b, NVGC_SET_ADDR_HI, 4);
		put_va(b, c->fill32.dst + off);
		put(b, (uint32_t)n);
		put(b, c->fill32.value);
		put(b, nvg_pb_hdr_imm(b->subch, NVGC_LAUNCH, NVGC_LAUNCH_OP_FILL));
	}
}

static void emit_sem(struct nvg_pb_builder *b, uint64_t va, uint64_t payload,
		     uint32_t execute)
{
	mthd(b, NVG_HOST_SEM_ADDR_LO, 5);
	put(b, (uint32_t)va);
	put(b, (uint32_t)(va >> 32));
	put(b, (uint32_t)payload);
	put(b, (uint32_t)(payload >> 32));
	put(b, execute);
}

static void emit_sem_release(struct nvg_pb_builder *b, const struct nvg_cmd *c)
{
	/* RELEASE_WFI: the release must follow the completion of earlier work */
	uint32_t ex = NVG_SEM_EXECUTE_OPERATION_RELEASE | NVG_SEM_EXECUTE_RELEASE_WFI;

	if (c->sem_release.size == NVG_CMD_SEM_64)
		ex |= NVG_SEM_EXECUTE_PAYLOAD_SIZE_64BIT;
	if (c->sem_release.timestamp)
		ex |= NVG_SEM_EXECUTE_RELEASE_TIMESTAMP;
	emit_sem(b, c->sem_release.va, c->sem_release.payload, ex);
}

static void emit_sem_acquire(struct nvg_pb_builder *b, const struct nvg_cmd *c)
{
	uint32_t ex = c->sem_acquire.cond == NVG_CMD_SEM_EQ ?
		      NVG_SEM_EXECUTE_OPERATION_ACQUIRE :
		      NVG_SEM_EXECUTE_OPERATION_ACQ_STRICT_GEQ;

	if (c->sem_acquire.size == NVG_CMD_SEM_64)
		ex |= NVG_SEM_EXECUTE_PAYLOAD_SIZE_64BIT;
	emit_sem(b, c->sem_acquire.va, c->sem_acquire.payload, ex);
}

static void emit_busy(struct nvg_pb_builder *b, const struct nvg_cmd *c)
{
	mthd(b, NVGC_SET_CYCLES_LO, 2);
	put(b, (uint32_t)c->busy.cycles);
	put(b, (uint32_t)(c->busy.cycles >> 32));
	put(b, nvg_pb_hdr_imm(b->subch, NVGC_LAUNCH, NVGC_LAUNCH_OP_BUSY));
}

static void emit_checksum(struct nvg_pb_builder *b, const struct nvg_cmd *c)
{
	mthd(b, NVGC_SET_ADDR_HI, 3);
	put_va(b, c->checksum.va);
	put(b, (uint32_t)c->checksum.size);
	mthd(b, NVGC_SET_RESULT_HI, 2);
	put_va(b, c->checksum.result_va);
	put(b, nvg_pb_hdr_imm(b->subch, NVGC_LAUNCH, NVGC_LAUNCH_OP_CHECKSUM));
}

/**
 * nvg_pb_builder_init() - start an empty pushbuffer for a channel class
 * @b: the builder.
 * @class_id: the channel's engine class: a copy class (0xc5b5, 0xc7b5, 0xc8b5)
 *            or a compute class (0xc5c0, 0xc7c0, 0xc9c0, 0xcbc0).
 * @buf: where to put the dwords, or NULL to let the builder allocate and
 *       grow its own buffer.
 * @cap_dw: @buf's size in dwords (ignored without @buf). The builder never
 *          holds more than NVG_PB_BUILDER_MAX_DW dwords.
 *
 * Return: 0, or -EINVAL for a class the builder cannot build for (@b is
 * then empty and nvg_pb_builder_fini() is still safe).
 */
int nvg_pb_builder_init(struct nvg_pb_builder *b, uint32_t class_id,
			uint32_t *buf, size_t cap_dw)
{
	memset(b, 0, sizeof(*b));
	if (!nvg_pb_class_is_copy(class_id) && !nvg_pb_class_is_compute(class_id))
		return -EINVAL;
	b->class_id = class_id;
	b->subch = nvg_pb_class_is_copy(class_id) ? NVG_CMD_COPY_SUBCH :
						    NVG_CMD_COMPUTE_SUBCH;
	if (buf) {
		b->dw = buf;
		b->cap = cap_dw < NVG_PB_BUILDER_MAX_DW ? cap_dw : NVG_PB_BUILDER_MAX_DW;
	} else {
		b->owned = true;
	}
	return 0;
}

/**
 * nvg_pb_builder_fini() - free what the builder allocated
 * @b: the builder; empty afterwards, usable only after nvg_pb_builder_init().
 */
void nvg_pb_builder_fini(struct nvg_pb_builder *b)
{
	if (b->owned)
		free(b->dw);
	memset(b, 0, sizeof(*b));
}

/**
 * nvg_pb_builder_reset() - empty the pushbuffer, keeping class and buffer
 * @b: the builder.
 *
 * The next command starts with SET_OBJECT again, so each pushbuffer built
 * stands on its own.
 */
void nvg_pb_builder_reset(struct nvg_pb_builder *b)
{
	b->ndw = 0;
	b->bound = false;
}

/**
 * nvg_pb_builder_dwords() - the pushbuffer built so far
 * @b: the builder.
 *
 * Return: nvg_pb_builder_count() dwords, valid until the next emit, reset or
 * fini; NULL if nothing was ever emitted into an allocated buffer.
 */
const uint32_t *nvg_pb_builder_dwords(const struct nvg_pb_builder *b)
{
	return b->dw;
}

/**
 * nvg_pb_builder_count() - how many dwords the pushbuffer holds
 * @b: the builder.
 *
 * Return: the count.
 */
size_t nvg_pb_builder_count(const struct nvg_pb_builder *b)
{
	return b->ndw;
}

/**
 * nvg_pb_emit() - append one command
 * @b: the builder.
 * @cmd: the command.
 *
 * The first command also binds the class (SET_OBJECT). The command is checked
 * first: it must be one the channel's class can do, with non-zero sizes,
 * the alignment its methods need, ranges ending at or below 2^40 and
 * semaphore payloads that fit their size. What passes is accepted by the
 * kernel's validator.
 *
 * Return: 0; -EINVAL for an invalid command; -ENOSPC if it does not fit the
 * caller's buffer or NVG_PB_BUILDER_MAX_DW; -ENOMEM. On error nothing was
 * appended.
 */
int nvg_pb_emit(struct nvg_pb_builder *b, const struct nvg_cmd *cmd)
{
	struct plan pl;
	size_t start;
	int ret;

	if (!cmd || !b->class_id)
		return -EINVAL;
	ret = plan(b, cmd, &pl);
	if (ret)
		return ret;
	ret = reserve(b, pl.ndw);
	if (ret)
		return ret;

	start = b->ndw;
	if (!b->bound) {
		mthd(b, NVG_HOST_SET_OBJECT, 1);
		put(b, b->class_id);
		b->bound = true;
	}
	switch (cmd->kind) {
	case NVG_CMD_COPY:
		emit_copy(b, cmd);
		break;
	case NVG_CMD_COPY_2D:
		emit_copy_2d(b, cmd, &pl);
		break;
	case NVG_CMD_FILL32:
		if (nvg_pb_class_is_copy(b->class_id))
			emit_fill_copy(b, cmd);
		else
			emit_fill_compute(b, cmd);
		break;
	case NVG_CMD_SEM_RELEASE:
		emit_sem_release(b, cmd);
		break;
	case NVG_CMD_SEM_ACQUIRE:
		emit_sem_acquire(b, cmd);
		break;
	case NVG_CMD_BUSY:
		emit_busy(b, cmd);
		break;
	case NVG_CMD_CHECKSUM:
		emit_checksum(b, cmd);
		break;
	}
	/* plan() and the encoders must agree exactly; a mismatch is a libnvg bug */
	if (b->ndw - start != pl.ndw)
		abort();
	return 0;
}
