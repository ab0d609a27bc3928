/* SPDX-License-Identifier: (LGPL-2.1 OR MIT) */
/*
 * nvg_cmd.h - build nvghost pushbuffers from typed commands.
 *
 * A command (struct nvg_cmd) says what to do: copy, fill, checksum, wait for
 * or release a semaphore, keep the engine busy. A builder
 * (struct nvg_pb_builder) turns commands into the methods of one channel's
 * class, using the encoders of kmod/nvghost_pb.h. nvg_pb_emit() checks a
 * command against the same rules as the kernel's validator (the parser in
 * kmod/nvghost_pb.c) before it writes a single dword, so what a builder
 * holds always passes validation, and a refused command leaves the builder
 * as it was.
 *
 * Which class does what:
 *
 *   command          copy channel (0xc5b5, 0xc7b5,   compute (0xc5c0, 0xc7c0, 0xc9c0,
 *                    0xc8b5)                         0xcbc0)
 *   COPY, COPY_2D    LAUNCH_DMA                      -EINVAL
 *   FILL32           LAUNCH_DMA with remap CONST_A   NVGC_LAUNCH FILL
 *   SEM_RELEASE      host SEM_EXECUTE                host SEM_EXECUTE
 *   SEM_ACQUIRE      host SEM_EXECUTE                host SEM_EXECUTE
 *   BUSY, CHECKSUM   -EINVAL                         NVGC_LAUNCH BUSY / CHECKSUM
 *
 * Large operations are split: each LAUNCH of a 1-D copy or a fill covers at
 * most NVG_CMD_PIECE_MAX bytes, and a 2-D copy is cut into groups of lines
 * whose ranges stay within the parser's 4 GiB per-range limit.
 */
#ifndef NVG_CMD_H
#define NVG_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "nvghost_pb.h"

/* The subchannel the engine class is bound to; host methods use it too. */
#define NVG_CMD_COPY_SUBCH	4
#define NVG_CMD_COMPUTE_SUBCH	0

/* Bytes per LAUNCH of a COPY or FILL32; a power of two keeps pieces aligned. */
#define NVG_CMD_PIECE_MAX	(1ULL << 31)

enum nvg_cmd_kind {
	NVG_CMD_COPY = 1,
	NVG_CMD_COPY_2D,
	NVG_CMD_FILL32,
	NVG_CMD_SEM_RELEASE,
	NVG_CMD_SEM_ACQUIRE,
	NVG_CMD_BUSY,
	NVG_CMD_CHECKSUM,
};

enum nvg_cmd_sem_size {
	NVG_CMD_SEM_32 = 4,	/* 4-byte aligned */
	NVG_CMD_SEM_64 = 8,	/* 8-byte aligned */
};

enum nvg_cmd_sem_cond {
	NVG_CMD_SEM_EQ = 1,	/* wait until *va == payload */
	NVG_CMD_SEM_GEQ,	/* wait until *va >= payload (unsigned) */
};

/**
 * struct nvg_cmd - one command; @kind selects the member
 *
 * All addresses are GPU virtual addresses below 2^40.
 *
 * @copy: copy @copy.size bytes from @copy.src to @copy.dst (COPY).
 * @copy_2d: copy @copy_2d.lines lines of @copy_2d.line_bytes bytes; line i
 *           from @copy_2d.src + i * @copy_2d.src_pitch to @copy_2d.dst +
 *           i * @copy_2d.dst_pitch (COPY_2D).
 * @fill32: fill @fill32.size bytes at @fill32.dst with the 32-bit
 *          @fill32.value, little endian; dst and size 4-byte aligned
 *          (FILL32).
 * @sem_release: write @sem_release.payload to @sem_release.va once the work
 *               before it completed; with @sem_release.timestamp, also the
 *               8-byte GPU time at va + 8 (va then 16-byte aligned)
 *               (SEM_RELEASE).
 * @sem_acquire: wait until the semaphore at @sem_acquire.va compares
 *               @sem_acquire.cond to @sem_acquire.payload (SEM_ACQUIRE).
 * @busy: keep the compute engine busy for @busy.cycles cycles (BUSY).
 * @checksum: write the FNV-1a (nvg_fnv1a32(), fresh seed) of
 *            @checksum.size bytes at @checksum.va, at most 4 GiB - 1, as a
 *            u32 to the 4-byte aligned @checksum.result_va (CHECKSUM).
 *
 * A 32-bit semaphore's payload must fit in 32 bits: nothing is truncated
 * silently. Build commands with the nvg_cmd_*() helpers below.
 */
struct nvg_cmd {
	enum nvg_cmd_kind kind;
	union {
		struct {
			uint64_t src;
			uint64_t dst;
			uint64_t size;
		} copy;
		struct {
			uint64_t src;
			uint64_t dst;
			uint32_t line_bytes;
			uint32_t lines;
			uint32_t src_pitch;
			uint32_t dst_pitch;
		} copy_2d;
		struct {
			uint64_t dst;
			uint64_t size;
			uint32_t value;
		} fill32;
		struct {
			uint64_t va;
			uint64_t payload;
			enum nvg_cmd_sem_size size;
			bool timestamp;
		} sem_release;
		struct {
			uint64_t va;
			uint64_t payload;
			enum nvg_cmd_sem_size size;
			enum nvg_cmd_sem_cond cond;
		} sem_acquire;
		struct {
			uint64_t cycles;
		} busy;
		struct {
			uint64_t va;
			uint64_t size;
			uint64_t result_va;
		} checksum;
	};
};

static inline struct nvg_cmd nvg_cmd_copy(uint64_t src, uint64_t dst, uint64_t size)
{
	struct nvg_cmd c = { .kind = NVG_CMD_COPY };

	c.copy.src = src;
	c.copy.dst = dst;
	c.copy.size = size;
	return c;
}

static inline struct nvg_cmd nvg_cmd_copy_2d(uint64_t src, uint64_t dst,
					     uint32_t line_bytes, uint32_t lines,
					     uint32_t src_pitch, uint32_t dst_pitch)
{
	struct nvg_cmd c = { .kind = NVG_CMD_COPY_2D };

	c.copy_2d.src = src;
	c.copy_2d.dst = dst;
	c.copy_2d.line_bytes = line_bytes;
	c.copy_2d.lines = lines;
	c.copy_2d.src_pitch = src_pitch;
	c.copy_2d.dst_pitch = dst_pitch;
	return c;
}

static inline struct nvg_cmd nvg_cmd_fill32(uint64_t dst, uint64_t size, uint32_t value)
{
	struct nvg_cmd c = { .kind = NVG_CMD_FILL32 };

	c.fill32.dst = dst;
	c.fill32.size = size;
	c.fill32.value = value;
	return c;
}

static inline struct nvg_cmd nvg_cmd_sem_release(uint64_t va, uint64_t payload,
						 enum nvg_cmd_sem_size size,
						 bool timestamp)
{
	struct nvg_cmd c = { .kind = NVG_CMD_SEM_RELEASE };

	c.sem_release.va = va;
	c.sem_release.payload = payload;
	c.sem_release.size = size;
	c.sem_release.timestamp = timestamp;
	return c;
}

static inline struct nvg_cmd nvg_cmd_sem_acquire(uint64_t va, uint64_t payload,
						 enum nvg_cmd_sem_cond cond,
						 enum nvg_cmd_sem_size size)
{
	struct nvg_cmd c = { .kind = NVG_CMD_SEM_ACQUIRE };

	c.sem_acquire.va = va;
	c.sem_acquire.payload = payload;
	c.sem_acquire.cond = cond;
	c.sem_acquire.size = size;
	return c;
}

static inline struct nvg_cmd nvg_cmd_busy(uint64_t cycles)
{
	struct nvg_cmd c = { .kind = NVG_CMD_BUSY };

	c.busy.cycles = cycles;
	return c;
}

static inline struct nvg_cmd nvg_cmd_checksum(uint64_t va, uint64_t size,
					      uint64_t result_va)
{
	struct nvg_cmd c = { .kind = NVG_CMD_CHECKSUM };

	c.checksum.va = va;
	c.checksum.size = size;
	c.checksum.result_va = result_va;
	return c;
}

/**
 * struct nvg_pb_builder - a pushbuffer being built for one channel class
 *
 * Fields are private; use the functions below.
 */
struct nvg_pb_builder {
	uint32_t class_id;
	uint32_t subch;
	uint32_t *dw;
	size_t ndw;
	size_t cap;
	bool owned;	/* dw is ours to grow and free */
	bool bound;	/* SET_OBJECT is in the buffer */
};

/*
 * The most dwords a builder holds: one GPFIFO entry's worth, so that the
 * whole buffer can be submitted as one segment.
 */
#define NVG_PB_BUILDER_MAX_DW	NVG_GPFIFO_MAX_LENGTH

int nvg_pb_builder_init(struct nvg_pb_builder *b, uint32_t class_id,
			uint32_t *buf, size_t cap_dw);
void nvg_pb_builder_fini(struct nvg_pb_builder *b);
void nvg_pb_builder_reset(struct nvg_pb_builder *b);
const uint32_t *nvg_pb_builder_dwords(const struct nvg_pb_builder *b);
size_t nvg_pb_builder_count(const struct nvg_pb_builder *b);
int nvg_pb_emit(struct nvg_pb_builder *b, const struct nvg_cmd *cmd);

#ifdef __cplusplus
}
#endif

#endif /* NVG_CMD_H */
