/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * nvghost_regs.h - the BAR0 register map the driver programs.
 *
 * Offsets and fields are NVIDIA's where NVIDIA has the register (as named in
 * NVIDIA's open-gpu-doc manuals and in nouveau's nvkm). Registers that exist
 * only on the simulated GPU sit in the NVG_SIM_* block at 0x00fe0000, a
 * range real chips leave unused, and are marked (SIM).
 */
#ifndef _NVGHOST_REGS_H_
#define _NVGHOST_REGS_H_

#ifdef __KERNEL__
#include <linux/bits.h>
#else
#define BIT(n)			(1U << (n))
#define GENMASK(h, l)		(((~0U) << (l)) & (~0U >> (31 - (h))))
#endif

/* PMC: master control */
#define NV_PMC_BOOT_0			0x00000000 /* (RO) chip identification */
#define   NV_PMC_BOOT_0_MINOR_REVISION	GENMASK(3, 0)
#define   NV_PMC_BOOT_0_MAJOR_REVISION	GENMASK(7, 4)
#define   NV_PMC_BOOT_0_IMPLEMENTATION	GENMASK(23, 20)
#define   NV_PMC_BOOT_0_ARCHITECTURE	GENMASK(28, 24)
#define NV_PMC_INTR_0			0x00000100 /* (RO) pending, by unit */
#define NV_PMC_INTR_EN_0		0x00000140 /* (RW) enabled units */
#define   NV_PMC_INTR_PFIFO		BIT(8)	   /* engine/channel events */
#define   NV_PMC_INTR_HUB		BIT(9)	   /* MMU: replayable fault buffer */
#define   NV_PMC_INTR_PTIMER		BIT(20)
#define   NV_PMC_INTR_PDISP		BIT(26)	   /* display engine */
#define NV_PMC_ENABLE			0x00000200 /* (RW) unit reset/enable */

/* PTIMER: the GPU's nanosecond clock */
#define NV_PTIMER_INTR_0		0x00009100 /* (RW1C) */
#define   NV_PTIMER_INTR_ALARM		BIT(0)
#define NV_PTIMER_INTR_EN_0		0x00009140 /* (RW) */
#define NV_PTIMER_TIME_0		0x00009400 /* (RO) ns, low 32 bits */
#define NV_PTIMER_TIME_1		0x00009410 /* (RO) ns, high 32 bits */
#define NV_PTIMER_ALARM_0		0x00009420 /* (RW) fire when TIME_0 passes */

/*
 * (SIM) engine runner block: one per engine, NVG_SIM_ENG_STRIDE apart.
 *
 * The driver hands an engine one job at a time: the job's token, the root
 * of the address space it runs in (PDB), and a validated pushbuffer in VRAM
 * (PB address and length in dwords), then writes LAUNCH. The engine fetches
 * the pushbuffer, executes its methods (nvghost_pb.c decodes them), and when
 * done stores the token in DONE, the outcome in RESULT (and the faulting
 * address in FAULT_VA), sets the engine's bit in NVG_SIM_ENG_INTR and raises
 * PFIFO in PMC_INTR_0. With PB_LEN 0 the job is synthetic: busy for COST ns.
 * RESET aborts the running job (RESULT ABORTED). PREEMPT stops it at the
 * next chunk boundary with its context saved (RESULT PREEMPTED); launching
 * the same token again resumes it. On real NVIDIA hardware
 * this is the job of the GPFIFO/runlist machinery; the handshake is ours.
 */
#define NVG_SIM_BASE			0x00fe0000
#define NVG_SIM_ENG_INTR		(NVG_SIM_BASE + 0x000) /* (RW1C) */
#define   NVG_SIM_ENG_INTR_DONE(n)	BIT(n)		/* engine n finished a job */
#define   NVG_SIM_ENG_INTR_FAULT(n)	BIT(16 + (n))	/* ... with an MMU fault */
#define   NVG_SIM_ENG_INTR_DONE_MASK	0xffffu
#define NVG_SIM_ENG_STRIDE		0x80
#define NVG_SIM_ENG(n)			(NVG_SIM_BASE + 0x100 + (n) * NVG_SIM_ENG_STRIDE)
#define NVG_SIM_ENG_CLASS(n)		(NVG_SIM_ENG(n) + 0x00) /* (RO) class id */
#define NVG_SIM_ENG_TOKEN_LO(n)		(NVG_SIM_ENG(n) + 0x04) /* (RW) */
#define NVG_SIM_ENG_TOKEN_HI(n)		(NVG_SIM_ENG(n) + 0x08) /* (RW) */
#define NVG_SIM_ENG_COST_LO(n)		(NVG_SIM_ENG(n) + 0x0c) /* (RW) ns */
#define NVG_SIM_ENG_COST_HI(n)		(NVG_SIM_ENG(n) + 0x10) /* (RW) ns */
#define NVG_SIM_ENG_LAUNCH(n)		(NVG_SIM_ENG(n) + 0x14) /* (WO) 1 = go */
#define NVG_SIM_ENG_STATUS(n)		(NVG_SIM_ENG(n) + 0x18) /* (RO) */
#define   NVG_SIM_ENG_STATUS_BUSY	BIT(0)
#define   NVG_SIM_ENG_STATUS_GATED	BIT(1)	/* idle and power-gated */
#define NVG_SIM_ENG_DONE_LO(n)		(NVG_SIM_ENG(n) + 0x1c) /* (RO) last token done */
#define NVG_SIM_ENG_DONE_HI(n)		(NVG_SIM_ENG(n) + 0x20) /* (RO) */
#define NVG_SIM_ENG_PDB_LO(n)		(NVG_SIM_ENG(n) + 0x24) /* (RW) VRAM addr of PD0 */
#define NVG_SIM_ENG_PDB_HI(n)		(NVG_SIM_ENG(n) + 0x28) /* (RW) */
#define NVG_SIM_ENG_PB_LO(n)		(NVG_SIM_ENG(n) + 0x2c) /* (RW) VRAM addr of PB */
#define NVG_SIM_ENG_PB_HI(n)		(NVG_SIM_ENG(n) + 0x30) /* (RW) */
#define NVG_SIM_ENG_PB_LEN(n)		(NVG_SIM_ENG(n) + 0x34) /* (RW) dwords */
#define NVG_SIM_ENG_RESULT(n)		(NVG_SIM_ENG(n) + 0x38) /* (RO) last job */
#define   NVG_SIM_RESULT_OK		0
#define   NVG_SIM_RESULT_FAULT		1	/* MMU fault at FAULT_VA */
#define   NVG_SIM_RESULT_ABORTED	2	/* RESET while running */
#define   NVG_SIM_RESULT_BAD_PB		3	/* undecodable pushbuffer */
#define   NVG_SIM_RESULT_PREEMPTED	4	/* context saved; LAUNCH resumes */
#define NVG_SIM_ENG_FAULT_VA_LO(n)	(NVG_SIM_ENG(n) + 0x3c) /* (RO) */
#define NVG_SIM_ENG_FAULT_VA_HI(n)	(NVG_SIM_ENG(n) + 0x40) /* (RO) */
#define NVG_SIM_ENG_RESET(n)		(NVG_SIM_ENG(n) + 0x44) /* (WO) 1 = abort job */
#define NVG_SIM_ENG_INJECT(n)		(NVG_SIM_ENG(n) + 0x48) /* (WO) fault injection */
#define NVG_SIM_ENG_PREEMPT(n)		(NVG_SIM_ENG(n) + 0x4c) /* (WO) 1 = stop at chunk end */
#define NVG_SIM_ENG_BUSY_LO(n)		(NVG_SIM_ENG(n) + 0x50) /* (RO) ns busy, total */
#define NVG_SIM_ENG_BUSY_HI(n)		(NVG_SIM_ENG(n) + 0x54) /* (RO) */
#define   NVG_SIM_INJECT_HANG		BIT(0)	/* next job never finishes */
#define   NVG_SIM_INJECT_FAULT		BIT(1)	/* next job's first access faults */
#define   NVG_SIM_INJECT_DROP_IRQ	BIT(2)	/* next completion raises nothing */
#define   NVG_SIM_INJECT_MIG_HANG	BIT(3)	/* next job hangs in its first */
						/* replayable-fault stall */
#define   NVG_SIM_INJECT_MIG_FAULT	BIT(4)	/* next job's first replayable */
						/* fault ends it, once serviced */
#define   NVG_SIM_INJECT_MIG_COPY	BIT(5)	/* the engine's next migration */
						/* copy fails (one per write) */
#define NVG_SIM_FB_SIZE_MB		(NVG_SIM_BASE + 0x010) /* (RO) VRAM in MiB */
#define NVG_SIM_ENG_COUNT		(NVG_SIM_BASE + 0x014) /* (RO) */

/*
 * (SIM) power and thermal block. The board's p-state table reads at
 * PSTATE_MHZ(i)/PSTATE_MV(i); the driver selects one by writing its index to
 * PSTATE. CLK_MHZ and VOLT_MV are what the GPU actually runs at: the
 * selected p-state, unless the hardware's own overtemperature protection
 * (STATUS_SHUTDOWN) holds it at the lowest one. POWER_MW is the board power
 * over the last model step; ENERGY counts microjoules since power-up (as
 * NVML's total energy consumption does). 64-bit counters read HI, LO, HI
 * again until HI is stable. TEMP is the die temperature in milli-degrees C (signed).
 * AMBIENT and HEAT_INJECT are test knobs: the air temperature, and an extra
 * offset added to it (see nvg_sim_power.c).
 */
#define NVG_SIM_PWR			(NVG_SIM_BASE + 0x1000)
#define NVG_SIM_PWR_PSTATE_COUNT	(NVG_SIM_PWR + 0x000) /* (RO) */
#define NVG_SIM_PWR_PSTATE		(NVG_SIM_PWR + 0x004) /* (RW) index */
#define NVG_SIM_PWR_CLK_MHZ		(NVG_SIM_PWR + 0x008) /* (RO) */
#define NVG_SIM_PWR_VOLT_MV		(NVG_SIM_PWR + 0x00c) /* (RO) */
#define NVG_SIM_PWR_POWER_MW		(NVG_SIM_PWR + 0x010) /* (RO) */
#define NVG_SIM_PWR_ENERGY_LO		(NVG_SIM_PWR + 0x014) /* (RO) uJ */
#define NVG_SIM_PWR_ENERGY_HI		(NVG_SIM_PWR + 0x018) /* (RO) */
#define NVG_SIM_PWR_TEMP		(NVG_SIM_PWR + 0x01c) /* (RO) m degC */
#define NVG_SIM_PWR_STATUS		(NVG_SIM_PWR + 0x020) /* (RO) */
#define   NVG_SIM_PWR_STATUS_SLOWDOWN	BIT(0)	/* at or above SLOWDOWN_TEMP */
#define   NVG_SIM_PWR_STATUS_SHUTDOWN	BIT(1)	/* protection: lowest p-state */
#define NVG_SIM_PWR_SLOWDOWN_TEMP	(NVG_SIM_PWR + 0x024) /* (RO) m degC */
#define NVG_SIM_PWR_SHUTDOWN_TEMP	(NVG_SIM_PWR + 0x028) /* (RO) m degC */
#define NVG_SIM_PWR_LIMIT_MW		(NVG_SIM_PWR + 0x02c) /* (RO) board power limit */
#define NVG_SIM_PWR_AMBIENT		(NVG_SIM_PWR + 0x030) /* (RW) m degC */
#define NVG_SIM_PWR_HEAT_INJECT		(NVG_SIM_PWR + 0x034) /* (RW) m degC, test */
#define NVG_SIM_PWR_THERMAL_RESET	(NVG_SIM_PWR + 0x038) /* (WO) 1: die at power-up temp */
#define NVG_SIM_PWR_PSTATE_MHZ(i)	(NVG_SIM_PWR + 0x100 + (i) * 8) /* (RO) */
#define NVG_SIM_PWR_PSTATE_MV(i)	(NVG_SIM_PWR + 0x104 + (i) * 8) /* (RO) */

/*
 * (SIM) display engine: heads, each a timing generator.
 *
 * The driver programs a head's raster (pixel clock, HTOTAL, VTOTAL) and
 * sets ENABLE; the head then starts a frame every HTOTAL x VTOTAL pixel
 * clocks. At each vblank it increments VBLANK_COUNT, latches the PTIMER
 * time into VBLANK_TIME, stores the length of the frame that ended in
 * FRAME_NS, and sets its bit in NVG_SIM_DISP_INTR (PDISP in PMC_INTR_0 when
 * enabled in NVG_SIM_DISP_INTR_EN). With VRR set, the raster is the
 * shortest frame; the head holds each frame until the driver writes FLIP
 * (a new image is ready), or until VRR_MAX_NS (the longest frame the
 * monitor accepts) and then scans the same image again: below the range,
 * frames repeat (low framerate compensation). On real NVIDIA hardware the
 * display engine is programmed through EVO/NVDisplay push channels; this
 * register-level model is ours.
 */
#define NVG_SIM_DISP			(NVG_SIM_BASE + 0x2000)
#define NVG_SIM_DISP_HEADS		(NVG_SIM_DISP + 0x00) /* (RO) heads present */
#define NVG_SIM_DISP_MAX_PCLK_KHZ	(NVG_SIM_DISP + 0x04) /* (RO) per head */
#define NVG_SIM_DISP_INTR		(NVG_SIM_DISP + 0x08) /* (RW1C) */
#define   NVG_SIM_DISP_INTR_VBLANK(n)	BIT(n)
#define NVG_SIM_DISP_INTR_EN		(NVG_SIM_DISP + 0x0c) /* (RW) */
#define NVG_SIM_HEAD_STRIDE		0x40
#define NVG_SIM_HEAD(n)			(NVG_SIM_DISP + 0x100 + (n) * NVG_SIM_HEAD_STRIDE)
#define NVG_SIM_HEAD_CTRL(n)		(NVG_SIM_HEAD(n) + 0x00) /* (RW) */
#define   NVG_SIM_HEAD_CTRL_ENABLE	BIT(0)
#define   NVG_SIM_HEAD_CTRL_VRR		BIT(1)
#define NVG_SIM_HEAD_PCLK_KHZ(n)	(NVG_SIM_HEAD(n) + 0x04) /* (RW) */
#define NVG_SIM_HEAD_HTOTAL(n)		(NVG_SIM_HEAD(n) + 0x08) /* (RW) */
#define NVG_SIM_HEAD_VTOTAL(n)		(NVG_SIM_HEAD(n) + 0x0c) /* (RW) */
#define NVG_SIM_HEAD_VRR_MAX_NS(n)	(NVG_SIM_HEAD(n) + 0x10) /* (RW) longest frame */
#define NVG_SIM_HEAD_FLIP(n)		(NVG_SIM_HEAD(n) + 0x14) /* (WO) 1 = image ready */
#define NVG_SIM_HEAD_VBLANK_COUNT(n)	(NVG_SIM_HEAD(n) + 0x18) /* (RO) */
#define NVG_SIM_HEAD_VBLANK_TIME_LO(n)	(NVG_SIM_HEAD(n) + 0x1c) /* (RO) PTIMER ns */
#define NVG_SIM_HEAD_VBLANK_TIME_HI(n)	(NVG_SIM_HEAD(n) + 0x20) /* (RO) */
#define NVG_SIM_HEAD_FRAME_NS(n)	(NVG_SIM_HEAD(n) + 0x24) /* (RO) last frame */

/* What an unimplemented register reads as (NVIDIA's "bad address" 0xbadf....). */
#define NVG_BAD_REG_VALUE		0xbadf1100

#endif /* _NVGHOST_REGS_H_ */
