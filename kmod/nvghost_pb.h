/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * nvghost_pb.h - NVIDIA's pushbuffer and GPFIFO formats: encoders, decoders
 * and the one parser that both validates and executes pushbuffers.
 *
 * The driver runs every pushbuffer through nvg_pb_parser before the GPU sees
 * it, and the simulated GPU runs the same parser to execute it. Because both
 * sides share this code, "validated" and "executable" cannot drift apart: the
 * parser emits fully resolved operations (struct nvg_pb_op) and rejects
 * anything the executor would not handle.
 *
 * Pure C with no kernel dependency (only <linux/types.h>, <linux/errno.h>,
 * <linux/string.h> and compiler builtins), so host unit tests and libnvg
 * compile the same files, as with nvghost_chip.h.
 *
 * Formats follow NVIDIA's: dev_ram.ref "FIFO DMA RAM" (method headers),
 * dev_pbdma.ref NV_PPBDMA_GP_ENTRY_* (GPFIFO entries), clc56f.h (host
 * methods), clc5b5.h / clc7b5.h (copy engine). The compute methods are
 * nvghost's own (see "Synthetic compute methods" below).
 *
 * Limits (the parser enforces them; libnvg never emits past them):
 * - GPU virtual addresses are 40 bits: every range must end at or below
 *   2^40 (NVG_PB_VA_LIMIT).
 * - Each memory range of one operation is at most 4 GiB (NVG_PB_MAX_RANGE).
 *   Larger copies and fills are several operations.
 */
#ifndef _NVGHOST_PB_H_
#define _NVGHOST_PB_H_

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#ifndef BIT
#define BIT(n)			(1U << (n))
#endif
#ifndef BIT_ULL
#define BIT_ULL(n)		(1ULL << (n))
#endif
#endif

#include "nvghost_chip.h"	/* u32/u64 on the host, class ids */

#define NVG_PB_VA_BITS		40
#define NVG_PB_VA_LIMIT		BIT_ULL(NVG_PB_VA_BITS)
#define NVG_PB_MAX_RANGE	BIT_ULL(32)	/* bytes, per range of one op */

/* ---- method header dword (dev_ram.ref NV_FIFO_DMA_*) ---- */

#define NVG_PB_HDR_ADDRESS_MASK		0x00000fffu	/* 11:0, dword address */
#define NVG_PB_HDR_RESERVED_MASK	0x00001000u	/* 12, must be 0 */
#define NVG_PB_HDR_SUBCH_SHIFT		13		/* 15:13 */
#define NVG_PB_HDR_SUBCH_MASK		0x7u
#define NVG_PB_HDR_COUNT_SHIFT		16		/* 28:16, also IMMD_DATA */
#define NVG_PB_HDR_COUNT_MASK		0x1fffu
#define NVG_PB_HDR_SEC_OP_SHIFT		29		/* 31:29 */

#define NVG_PB_SEC_OP_GRP0_USE_TERT	0	/* only the all-zero NOP */
#define NVG_PB_SEC_OP_INC_METHOD	1
#define NVG_PB_SEC_OP_GRP2_USE_TERT	2	/* sub-device masks: rejected */
#define NVG_PB_SEC_OP_NON_INC_METHOD	3
#define NVG_PB_SEC_OP_IMMD_DATA_METHOD	4
#define NVG_PB_SEC_OP_ONE_INC		5
#define NVG_PB_SEC_OP_RESERVED6		6
#define NVG_PB_SEC_OP_END_PB_SEGMENT	7

#define NVG_PB_MAX_COUNT	NVG_PB_HDR_COUNT_MASK	/* 8191 data dwords */
#define NVG_PB_MAX_IMM		NVG_PB_HDR_COUNT_MASK	/* 13-bit immediate */
#define NVG_PB_MAX_METHOD	(NVG_PB_HDR_ADDRESS_MASK << 2)	/* byte offset */
#define NVG_PB_NR_SUBCH		8
#define NVG_PB_NR_HW_SUBCH	5	/* 0-4; 5-7 are software methods */

/* The universal NOP: SEC_OP 0 with every other bit clear. */
#define NVG_PB_DW_NOP		0x00000000u

/**
 * nvg_pb_hdr() - encode a method header
 * @sec_op: NVG_PB_SEC_OP_*.
 * @subch: subchannel, 0-7.
 * @method: method byte offset (a multiple of 4, at most NVG_PB_MAX_METHOD).
 * @count: data dwords that follow, or the 13-bit immediate for IMMD_DATA.
 *
 * Fields are masked to their width; callers keep them in range (libnvg checks
 * before it encodes).
 *
 * Return: the header dword.
 */
static inline u32 nvg_pb_hdr(u32 sec_op, u32 subch, u32 method, u32 count)
{
	return (sec_op << NVG_PB_HDR_SEC_OP_SHIFT) |
	       ((count & NVG_PB_HDR_COUNT_MASK) << NVG_PB_HDR_COUNT_SHIFT) |
	       ((subch & NVG_PB_HDR_SUBCH_MASK) << NVG_PB_HDR_SUBCH_SHIFT) |
	       ((method >> 2) & NVG_PB_HDR_ADDRESS_MASK);
}

/* Incrementing: data i goes to method + 4 * i. */
static inline u32 nvg_pb_hdr_incr(u32 subch, u32 method, u32 count)
{
	return nvg_pb_hdr(NVG_PB_SEC_OP_INC_METHOD, subch, method, count);
}

/* Non-incrementing: every data dword goes to @method. */
static inline u32 nvg_pb_hdr_nonincr(u32 subch, u32 method, u32 count)
{
	return nvg_pb_hdr(NVG_PB_SEC_OP_NON_INC_METHOD, subch, method, count);
}

/* Increment-once: the first data dword to @method, the rest to @method + 4. */
static inline u32 nvg_pb_hdr_inc_once(u32 subch, u32 method, u32 count)
{
	return nvg_pb_hdr(NVG_PB_SEC_OP_ONE_INC, subch, method, count);
}

/* Immediate: one method write of a 13-bit value, no data dword follows. */
static inline u32 nvg_pb_hdr_imm(u32 subch, u32 method, u32 data13)
{
	return nvg_pb_hdr(NVG_PB_SEC_OP_IMMD_DATA_METHOD, subch, method, data13);
}

/* END_PB_SEGMENT: the rest of the segment is not fetched. */
static inline u32 nvg_pb_hdr_end_segment(void)
{
	return (u32)NVG_PB_SEC_OP_END_PB_SEGMENT << NVG_PB_HDR_SEC_OP_SHIFT;
}

/**
 * struct nvg_pb_hdr - a decoded method header
 * @sec_op: NVG_PB_SEC_OP_*.
 * @subch: subchannel.
 * @method: method byte offset (ADDRESS << 2).
 * @count: COUNT, or the immediate data for IMMD_DATA_METHOD.
 * @reserved: bit 12 was set.
 */
struct nvg_pb_hdr {
	u32 sec_op;
	u32 subch;
	u32 method;
	u32 count;
	bool reserved;
};

static inline void nvg_pb_hdr_decode(u32 dw, struct nvg_pb_hdr *h)
{
	h->sec_op = dw >> NVG_PB_HDR_SEC_OP_SHIFT;
	h->subch = (dw >> NVG_PB_HDR_SUBCH_SHIFT) & NVG_PB_HDR_SUBCH_MASK;
	h->method = (dw & NVG_PB_HDR_ADDRESS_MASK) << 2;
	h->count = (dw >> NVG_PB_HDR_COUNT_SHIFT) & NVG_PB_HDR_COUNT_MASK;
	h->reserved = dw & NVG_PB_HDR_RESERVED_MASK;
}

/* ---- GPFIFO entry (dev_pbdma.ref NV_PPBDMA_GP_ENTRY*, clc56f.h) ---- */

#define NVG_GPFIFO_ENTRY0_FETCH_CONDITIONAL	0x00000001u	/* 0:0 */
#define NVG_GPFIFO_ENTRY0_RESERVED		0x00000002u	/* 1:1 */
#define NVG_GPFIFO_ENTRY0_GET_MASK		0xfffffffcu	/* 31:2, VA 31:2 */
#define NVG_GPFIFO_ENTRY1_GET_HI_MASK		0x000000ffu	/* 7:0, VA 39:32 */
#define NVG_GPFIFO_ENTRY1_OPCODE_MASK		0x000000ffu	/* 7:0 if LENGTH 0 */
#define NVG_GPFIFO_ENTRY1_RESERVED		0x00000100u	/* 8:8 */
#define NVG_GPFIFO_ENTRY1_LEVEL_SUBROUTINE	0x00000200u	/* 9:9 */
#define NVG_GPFIFO_ENTRY1_LENGTH_SHIFT		10		/* 30:10, dwords */
#define NVG_GPFIFO_ENTRY1_LENGTH_MASK		0x1fffffu
#define NVG_GPFIFO_ENTRY1_SYNC_WAIT		0x80000000u	/* 31:31 */

#define NVG_GPFIFO_MAX_LENGTH	NVG_GPFIFO_ENTRY1_LENGTH_MASK	/* dwords */

/* @flags of nvg_gpfifo_entry_encode() */
#define NVG_GPFIFO_F_SYNC_WAIT		BIT(0)
#define NVG_GPFIFO_F_SUBROUTINE		BIT(1)	/* rejected by the check */
#define NVG_GPFIFO_F_FETCH_CONDITIONAL	BIT(2)	/* rejected by the check */

/**
 * nvg_gpfifo_entry_encode() - encode one GPFIFO entry
 * @va: pushbuffer segment GPU VA; dword aligned and below 2^40
 *      (nvg_gpfifo_entry_args_valid()), else the bits are masked off.
 * @ndw: segment length in dwords, at most NVG_GPFIFO_MAX_LENGTH. 0 makes a
 *       control entry, which only passes the check as a NOP (@va 0).
 * @flags: NVG_GPFIFO_F_*.
 *
 * Return: the entry, ENTRY0 in the low 32 bits (the order in memory on a
 * little-endian host).
 */
static inline u64 nvg_gpfifo_entry_encode(u64 va, u32 ndw, u32 flags)
{
	u32 e0 = (u32)va & NVG_GPFIFO_ENTRY0_GET_MASK;
	u32 e1 = (u32)(va >> 32) & NVG_GPFIFO_ENTRY1_GET_HI_MASK;

	if (flags & NVG_GPFIFO_F_FETCH_CONDITIONAL)
		e0 |= NVG_GPFIFO_ENTRY0_FETCH_CONDITIONAL;
	e1 |= (ndw & NVG_GPFIFO_ENTRY1_LENGTH_MASK) << NVG_GPFIFO_ENTRY1_LENGTH_SHIFT;
	if (flags & NVG_GPFIFO_F_SUBROUTINE)
		e1 |= NVG_GPFIFO_ENTRY1_LEVEL_SUBROUTINE;
	if (flags & NVG_GPFIFO_F_SYNC_WAIT)
		e1 |= NVG_GPFIFO_ENTRY1_SYNC_WAIT;
	return ((u64)e1 << 32) | e0;
}

/**
 * nvg_gpfifo_entry_args_valid() - can (@va, @ndw) be encoded without loss?
 * @va: segment VA.
 * @ndw: segment length in dwords.
 *
 * Return: true if @va is dword aligned, the segment has 1 to
 * NVG_GPFIFO_MAX_LENGTH dwords and it ends at or below 2^40.
 */
static inline bool nvg_gpfifo_entry_args_valid(u64 va, u32 ndw)
{
	return !(va & 3) && ndw && ndw <= NVG_GPFIFO_MAX_LENGTH &&
	       va < NVG_PB_VA_LIMIT && (u64)ndw * 4 <= NVG_PB_VA_LIMIT - va;
}

/**
 * struct nvg_gpfifo_entry - a decoded GPFIFO entry
 * @va: segment VA (bits 39:2 from GET and GET_HI).
 * @ndw: LENGTH, in dwords; 0 for a control entry.
 * @level: 0 main, 1 subroutine.
 * @sync: wait for the previous segments' work before fetching.
 * @fetch: 0 unconditional, 1 conditional.
 */
struct nvg_gpfifo_entry {
	u64 va;
	u32 ndw;
	u32 level;
	bool sync;
	u32 fetch;
};

void nvg_gpfifo_entry_decode(u64 entry, struct nvg_gpfifo_entry *d);
int nvg_gpfifo_entry_check(u64 entry, struct nvg_gpfifo_entry *d,
			   const char **reason);

/* ---- host methods (AMPERE_CHANNEL_GPFIFO_A 0xc56f; TURING_..._A 0xc46f) ---- */

#define NVG_HOST_SET_OBJECT		0x000	/* NVCLASS 15:0 */
#define NVG_HOST_NOP			0x008
#define NVG_HOST_SEMAPHOREA		0x010	/* OFFSET_UPPER 7:0 */
#define NVG_HOST_SEMAPHOREB		0x014	/* OFFSET_LOWER 31:2 */
#define NVG_HOST_SEMAPHOREC		0x018	/* PAYLOAD */
#define NVG_HOST_SEMAPHORED		0x01c
#define NVG_HOST_NON_STALL_INTERRUPT	0x020
#define NVG_HOST_FB_FLUSH		0x024	/* HANDLE: ignored */
#define NVG_HOST_MEM_OP_A		0x028
#define NVG_HOST_MEM_OP_B		0x02c
#define NVG_HOST_MEM_OP_C		0x030
#define NVG_HOST_MEM_OP_D		0x034	/* OPERATION 31:27: runs it */
#define NVG_HOST_SET_REFERENCE		0x050	/* USERD's Reference: not modelled */
#define NVG_HOST_SEM_ADDR_LO		0x05c	/* OFFSET 31:2 */
#define NVG_HOST_SEM_ADDR_HI		0x060	/* OFFSET 7:0 */
#define NVG_HOST_SEM_PAYLOAD_LO		0x064
#define NVG_HOST_SEM_PAYLOAD_HI		0x068
#define NVG_HOST_SEM_EXECUTE		0x06c
#define NVG_HOST_WFI			0x078	/* SCOPE 0:0 */
#define NVG_HOST_YIELD			0x080	/* OP 1:0 */
#define NVG_HOST_CLEAR_FAULTED		0x084	/* RM's: refused */
#define NVG_HOST_METHODS_END		0x100	/* host methods are below this */

#define NVG_SEMAPHORED_OPERATION_MASK		0x1fu	/* 4:0 */
#define NVG_SEMAPHORED_OPERATION_ACQUIRE	0x01u
#define NVG_SEMAPHORED_OPERATION_RELEASE	0x02u
#define NVG_SEMAPHORED_OPERATION_ACQ_GEQ	0x04u
#define NVG_SEMAPHORED_ACQUIRE_SWITCH		BIT(12)	/* a hint */
#define NVG_SEMAPHORED_RELEASE_WFI_DIS		BIT(20)	/* a hint */
#define NVG_SEMAPHORED_RELEASE_SIZE_4BYTE	BIT(24)	/* else 16 */

#define NVG_MEM_OP_D_OPERATION_SHIFT		27	/* 31:27 */
#define NVG_MEM_OP_D_OPERATION_MEMBAR		0x05u
#define NVG_MEM_OP_D_OPERATION_MMU_TLB_INVALIDATE	0x09u
#define NVG_MEM_OP_D_OPERATION_MMU_TLB_INVALIDATE_TARGETED 0x0au
#define NVG_MEM_OP_D_OPERATION_L2_PEERMEM_INVALIDATE	0x0du
#define NVG_MEM_OP_D_OPERATION_L2_SYSMEM_INVALIDATE	0x0eu
#define NVG_MEM_OP_D_OPERATION_L2_CLEAN_COMPTAGS	0x0fu
#define NVG_MEM_OP_D_OPERATION_L2_FLUSH_DIRTY	0x10u
#define NVG_MEM_OP_D_OPERATION_L2_WAIT_FOR_SYS_PENDING_READS 0x15u
#define NVG_MEM_OP_D_OPERATION_ACCESS_COUNTER_CLR	0x16u

#define NVG_YIELD_OP_MASK			0x3u	/* 1:0 */
#define NVG_YIELD_OP_NOP			0x0u
#define NVG_YIELD_OP_TSG			0x3u

#define NVG_SEM_EXECUTE_OPERATION_MASK		0x7u	/* 2:0 */
#define NVG_SEM_EXECUTE_OPERATION_ACQUIRE	0x0u
#define NVG_SEM_EXECUTE_OPERATION_RELEASE	0x1u
#define NVG_SEM_EXECUTE_OPERATION_ACQ_STRICT_GEQ 0x2u
#define NVG_SEM_EXECUTE_ACQUIRE_SWITCH_TSG	BIT(12)	/* a hint */
#define NVG_SEM_EXECUTE_RELEASE_WFI		BIT(20)	/* a hint */
#define NVG_SEM_EXECUTE_PAYLOAD_SIZE_64BIT	BIT(24)
#define NVG_SEM_EXECUTE_RELEASE_TIMESTAMP	BIT(25)

/* ---- copy engine (TURING_DMA_COPY_A 0xc5b5, AMPERE_DMA_COPY_B 0xc7b5, C8B5) ---- */

#define NVG_COPY_NOP			0x100
#define NVG_COPY_SET_SEMAPHORE_A	0x240	/* UPPER 16:0 */
#define NVG_COPY_SET_SEMAPHORE_B	0x244
#define NVG_COPY_SET_SEMAPHORE_PAYLOAD	0x248
#define NVG_COPY_SET_SEMAPHORE_PAYLOAD_UPPER 0x24c	/* C7B5, C8B5 */
#define NVG_COPY_LAUNCH_DMA		0x300
#define NVG_COPY_OFFSET_IN_UPPER	0x400	/* UPPER 16:0 */
#define NVG_COPY_OFFSET_IN_LOWER	0x404
#define NVG_COPY_OFFSET_OUT_UPPER	0x408
#define NVG_COPY_OFFSET_OUT_LOWER	0x40c
#define NVG_COPY_PITCH_IN		0x410
#define NVG_COPY_PITCH_OUT		0x414
#define NVG_COPY_LINE_LENGTH_IN		0x418
#define NVG_COPY_LINE_COUNT		0x41c
#define NVG_COPY_SET_REMAP_CONST_A	0x700
#define NVG_COPY_SET_REMAP_CONST_B	0x704
#define NVG_COPY_SET_REMAP_COMPONENTS	0x708

/* OFFSET_*_UPPER and SET_SEMAPHORE_A hold VA bits 48:32 (16:0). */
#define NVG_COPY_UPPER_MASK		0x0001ffffu

#define NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_MASK		0x3u	/* 1:0 */
#define NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_NONE		0x0u
#define NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED	0x1u
#define NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_NON_PIPELINED	0x2u
#define NVG_LAUNCH_DMA_FLUSH_ENABLE			BIT(2)
#define NVG_LAUNCH_DMA_SEMAPHORE_TYPE_SHIFT		3	/* 4:3 */
#define NVG_LAUNCH_DMA_SEMAPHORE_TYPE_NONE		0x0u
#define NVG_LAUNCH_DMA_SEMAPHORE_TYPE_ONE_WORD		0x1u
#define NVG_LAUNCH_DMA_SEMAPHORE_TYPE_FOUR_WORD		0x2u
#define NVG_LAUNCH_DMA_INTERRUPT_TYPE_SHIFT		5	/* 6:5 */
#define NVG_LAUNCH_DMA_INTERRUPT_TYPE_NONE		0x0u
#define NVG_LAUNCH_DMA_INTERRUPT_TYPE_BLOCKING		0x1u
#define NVG_LAUNCH_DMA_INTERRUPT_TYPE_NON_BLOCKING	0x2u
#define NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH		BIT(7)
#define NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH		BIT(8)
#define NVG_LAUNCH_DMA_MULTI_LINE_ENABLE		BIT(9)
#define NVG_LAUNCH_DMA_REMAP_ENABLE			BIT(10)
#define NVG_LAUNCH_DMA_SRC_TYPE_PHYSICAL		BIT(12)
#define NVG_LAUNCH_DMA_DST_TYPE_PHYSICAL		BIT(13)
#define NVG_LAUNCH_DMA_KNOWN_MASK			0x000037ffu
/* AMPERE_DMA_COPY_B (C7B5) and HOPPER_DMA_COPY_A (C8B5) add these two. */
#define NVG_LAUNCH_DMA_FLUSH_TYPE_GL			BIT(25)	/* a hint */
#define NVG_LAUNCH_DMA_SEMAPHORE_PAYLOAD_SIZE_64BIT	BIT(27)

#define NVG_LAUNCH_DMA_SEMAPHORE_TYPE(v)	((u32)(v) << NVG_LAUNCH_DMA_SEMAPHORE_TYPE_SHIFT)
#define NVG_LAUNCH_DMA_INTERRUPT_TYPE(v)	((u32)(v) << NVG_LAUNCH_DMA_INTERRUPT_TYPE_SHIFT)

/* SET_REMAP_COMPONENTS: DST_X 2:0, DST_Y 6:4, DST_Z 10:8, DST_W 14:12 */
#define NVG_REMAP_SRC_X			0
#define NVG_REMAP_SRC_Y			1
#define NVG_REMAP_SRC_Z			2
#define NVG_REMAP_SRC_W			3
#define NVG_REMAP_CONST_A		4
#define NVG_REMAP_CONST_B		5
#define NVG_REMAP_NO_WRITE		6
#define NVG_REMAP_DST_SHIFT(i)		(4 * (i))	/* i: 0 X .. 3 W */
#define NVG_REMAP_COMPONENT_SIZE_SHIFT	16	/* 17:16, bytes - 1 */
#define NVG_REMAP_NUM_SRC_SHIFT		20	/* 21:20, components - 1 */
#define NVG_REMAP_NUM_DST_SHIFT		24	/* 25:24, components - 1 */
#define NVG_REMAP_KNOWN_MASK		0x03337777u

/**
 * nvg_remap_components() - encode SET_REMAP_COMPONENTS
 * @dst: the four DST_* selectors (NVG_REMAP_*), X first.
 * @comp_size: component size in bytes, 1-4.
 * @num_src: source components per element, 1-4.
 * @num_dst: destination components per element, 1-4.
 *
 * Return: the method data.
 */
static inline u32 nvg_remap_components(const u32 dst[4], u32 comp_size,
				       u32 num_src, u32 num_dst)
{
	u32 v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v |= (dst[i] & 7) << NVG_REMAP_DST_SHIFT(i);
	v |= ((comp_size - 1) & 3) << NVG_REMAP_COMPONENT_SIZE_SHIFT;
	v |= ((num_src - 1) & 3) << NVG_REMAP_NUM_SRC_SHIFT;
	v |= ((num_dst - 1) & 3) << NVG_REMAP_NUM_DST_SHIFT;
	return v;
}

/*
 * ---- Synthetic compute methods ----
 *
 * nvghost's own, NOT NVIDIA's: a real compute class (0xc5c0, 0xc7c0, 0xc9c0, 0xcbc0)
 * launches shaders through QMDs with entirely different methods. The
 * simulated compute engine runs no shaders, so it offers three fixed
 * operations at otherwise unused offsets of the compute classes' method
 * space. Only these offsets are valid on a compute subchannel.
 */
#define NVGC_SET_CYCLES_LO	0x3400
#define NVGC_SET_CYCLES_HI	0x3404
#define NVGC_SET_ADDR_HI	0x3408	/* 7:0 -> VA 39:32 */
#define NVGC_SET_ADDR_LO	0x340c
#define NVGC_SET_SIZE		0x3410	/* bytes */
#define NVGC_SET_VALUE		0x3414
#define NVGC_SET_RESULT_HI	0x3418	/* 7:0 -> VA 39:32 */
#define NVGC_SET_RESULT_LO	0x341c
#define NVGC_LAUNCH		0x3420

#define NVGC_LAUNCH_OP_MASK	0x3u	/* 1:0 */
#define NVGC_LAUNCH_OP_BUSY	0x0u	/* busy for CYCLES engine cycles */
#define NVGC_LAUNCH_OP_FILL	0x1u	/* SIZE bytes at ADDR := VALUE (u32) */
#define NVGC_LAUNCH_OP_CHECKSUM	0x2u	/* *(u32 *)RESULT := FNV-1a(ADDR, SIZE) */
#define NVGC_LAUNCH_INTERRUPT	BIT(4)
#define NVGC_LAUNCH_KNOWN_MASK	0x00000013u

/* FNV-1a, 32 bits: offset basis and prime. */
#define NVG_FNV1A32_INIT	2166136261u
#define NVG_FNV1A32_PRIME	16777619u

u32 nvg_fnv1a32(const void *p, size_t n, u32 seed);

bool nvg_pb_class_is_copy(u32 class_id);
bool nvg_pb_class_is_compute(u32 class_id);

/* ---- operations ---- */

enum nvg_pb_op_kind {
	NVG_PB_OP_COPY = 1,
	NVG_PB_OP_SEM_RELEASE,
	NVG_PB_OP_SEM_ACQUIRE,
	NVG_PB_OP_BUSY,
	NVG_PB_OP_FILL,
	NVG_PB_OP_CHECKSUM,
	NVG_PB_OP_INTERRUPT,
	NVG_PB_OP_WFI,
};

enum nvg_pb_sem_cond {
	NVG_PB_SEM_EQ = 1,	/* wait until *va == payload */
	NVG_PB_SEM_GEQ,		/* wait until *va >= payload, unsigned */
};

/**
 * struct nvg_pb_remap - a resolved SET_REMAP_COMPONENTS and its constants
 * @dst: the selector of each destination component (NVG_REMAP_*); only the
 *       first @num_dst are meaningful.
 * @const_a: SET_REMAP_CONST_A.
 * @const_b: SET_REMAP_CONST_B.
 * @component_size: bytes per component, 1-4.
 * @num_src: components per source element, 1-4.
 * @num_dst: components per destination element, 1-4.
 *
 * A component of CONST_A/CONST_B is the constant's low @component_size bytes,
 * little endian; a NO_WRITE component leaves the destination bytes alone.
 */
struct nvg_pb_remap {
	u32 dst[4];
	u32 const_a;
	u32 const_b;
	u32 component_size;
	u32 num_src;
	u32 num_dst;
};

/**
 * struct nvg_pb_copy - a resolved copy engine transfer
 * @src_va: OFFSET_IN.
 * @dst_va: OFFSET_OUT.
 * @line_len: LINE_LENGTH_IN: bytes, or elements when @remap.
 * @line_count: lines; 1 without MULTI_LINE_ENABLE.
 * @pitch_in: bytes between source lines; 0 without MULTI_LINE_ENABLE.
 * @pitch_out: bytes between destination lines; 0 without MULTI_LINE_ENABLE.
 * @remap: REMAP_ENABLE was set; @remap_cfg applies.
 * @remap_cfg: the remap, when @remap.
 * @src_bytes_per_line: bytes read per line; 0 when a remap reads no source
 *                      component (a fill).
 * @dst_bytes_per_line: bytes written per line (NO_WRITE bytes included).
 *
 * Line i copies @src_bytes_per_line bytes at @src_va + i * @pitch_in to
 * @dst_bytes_per_line bytes at @dst_va + i * @pitch_out.
 */
struct nvg_pb_copy {
	u64 src_va;
	u64 dst_va;
	u32 line_len;
	u32 line_count;
	u32 pitch_in;
	u32 pitch_out;
	bool remap;
	struct nvg_pb_remap remap_cfg;
	u64 src_bytes_per_line;
	u64 dst_bytes_per_line;
};

/**
 * struct nvg_pb_sem_release - write a semaphore
 * @va: semaphore address; aligned to 4, 8 (@size 8) or 16 (@timestamp).
 * @payload: the value; only the low 32 bits when @size is 4.
 * @size: payload bytes, 4 or 8.
 * @timestamp: also write the 8-byte PTIMER time at @va + 8. The release is
 *             then 16 bytes: payload, zero up to byte 8, timestamp.
 */
struct nvg_pb_sem_release {
	u64 va;
	u64 payload;
	u32 size;
	bool timestamp;
};

/**
 * struct nvg_pb_sem_acquire - wait for a semaphore
 * @va: semaphore address, aligned to @size.
 * @payload: the value compared with; only the low 32 bits when @size is 4.
 * @size: 4 or 8.
 * @cond: enum nvg_pb_sem_cond.
 */
struct nvg_pb_sem_acquire {
	u64 va;
	u64 payload;
	u32 size;
	u32 cond;
};

/**
 * struct nvg_pb_op - one resolved operation, what the executor performs
 * @kind: enum nvg_pb_op_kind; selects the union member (INTERRUPT and WFI
 *        have none).
 * @index: dword index, within its segment, of the method that caused it.
 * @copy: NVG_PB_OP_COPY.
 * @release: NVG_PB_OP_SEM_RELEASE.
 * @acquire: NVG_PB_OP_SEM_ACQUIRE.
 * @busy: NVG_PB_OP_BUSY: @busy.cycles engine cycles.
 * @fill: NVG_PB_OP_FILL: @fill.size bytes at @fill.va := @fill.value
 *        repeated (little endian); va and size 4-byte aligned.
 * @checksum: NVG_PB_OP_CHECKSUM: nvg_fnv1a32() of @checksum.size bytes at
 *            @checksum.va, fresh seed, stored as a u32 at
 *            @checksum.result_va.
 *
 * NVG_PB_OP_INTERRUPT asks for an interrupt once everything before it has
 * completed; NVG_PB_OP_WFI waits for everything before it to complete.
 */
struct nvg_pb_op {
	u32 kind;
	u32 index;
	union {
		struct nvg_pb_copy copy;
		struct nvg_pb_sem_release release;
		struct nvg_pb_sem_acquire acquire;
		struct {
			u64 cycles;
		} busy;
		struct {
			u64 va;
			u64 size;
			u32 value;
		} fill;
		struct {
			u64 va;
			u64 size;
			u64 result_va;
		} checksum;
	};
};

#define NVG_PB_MAX_RANGES	2

/**
 * struct nvg_pb_range - memory an operation touches
 * @va: first byte.
 * @size: bytes, at most NVG_PB_MAX_RANGE; never 0.
 * @write: written (else only read).
 */
struct nvg_pb_range {
	u64 va;
	u64 size;
	bool write;
};

int nvg_pb_op_ranges(const struct nvg_pb_op *op,
		     struct nvg_pb_range r[NVG_PB_MAX_RANGES]);

/* ---- the parser ---- */

/**
 * struct nvg_pb_error - why a pushbuffer was rejected
 * @index: dword index within the segment of the offending dword.
 * @dword: its value.
 * @subch: the subchannel of the method, or NVG_PB_ERR_NONE.
 * @method: the method byte offset, or NVG_PB_ERR_NONE (a header error).
 * @class_id: the class the method went to: 0 for host methods, unbound
 *            subchannels and header errors.
 * @reason: a static string saying which rule was broken. The numbers that
 *          make it specific (method, class) are the fields above, so that
 *          no formatting is needed where the error is detected.
 */
struct nvg_pb_error {
	u32 index;
	u32 dword;
	u32 subch;
	u32 method;
	u32 class_id;
	const char *reason;
};

#define NVG_PB_ERR_NONE		0xffffffffu

/* LAUNCH_DMA yields up to three ops: the copy, the semaphore, the interrupt. */
#define NVG_PB_MAX_PENDING	3

/**
 * struct nvg_pb_parser - a channel's method state while a pushbuffer runs
 *
 * Treat as opaque; nvg_pb_parser_init() sets it up. It holds no pointer but
 * the current segment's, and about 500 bytes: allocate it, don't put it on
 * a kernel stack.
 */
struct nvg_pb_parser {
	/* current segment */
	const u32 *dw;
	u32 ndw;
	u32 pos;
	bool ended;

	/* the method run of the header being consumed */
	u32 run_left;
	u32 run_sec_op;
	u32 run_subch;
	u32 run_method;
	u32 run_hdr_index;	/* its header: where, in its segment */
	u32 run_hdr_dword;

	u32 engine_class;
	u32 subch_class[NVG_PB_NR_HW_SUBCH];	/* 0: unbound */

	struct {
		u32 sema, semb, semc;
		u32 sem_addr_lo, sem_addr_hi;
		u32 sem_payload_lo, sem_payload_hi;
	} host;
	struct {
		u32 sem_a, sem_b, sem_payload, sem_payload_upper;
		u32 offset_in_upper, offset_in_lower;
		u32 offset_out_upper, offset_out_lower;
		u32 pitch_in, pitch_out;
		u32 line_length_in, line_count;
		u32 remap_const_a, remap_const_b, remap_components;
	} copy;
	struct {
		u32 cycles_lo, cycles_hi;
		u32 addr_hi, addr_lo;
		u32 size, value;
		u32 result_hi, result_lo;
	} compute;

	struct nvg_pb_op pending[NVG_PB_MAX_PENDING];
	u32 npending;
	u32 next_pending;

	bool failed;
	struct nvg_pb_error err;
};

void nvg_pb_parser_init(struct nvg_pb_parser *p, u32 engine_class);
void nvg_pb_parser_segment(struct nvg_pb_parser *p, const u32 *dw, u32 ndw);
int nvg_pb_parser_next(struct nvg_pb_parser *p, struct nvg_pb_op *op,
		       struct nvg_pb_error *err);
int nvg_pb_parser_finish(struct nvg_pb_parser *p, struct nvg_pb_error *err);

/* The most dwords nvg_pb_state_restore() writes. */
#define NVG_PB_STATE_MAX_DWORDS	64

u32 nvg_pb_state_restore(const struct nvg_pb_parser *p,
			 u32 dw[NVG_PB_STATE_MAX_DWORDS]);

#endif /* _NVGHOST_PB_H_ */
