/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_hal.h - the only way the driver reaches GPU hardware.
 *
 * A backend is one ops table, split by engine in nouveau's manner (nvkm's
 * fifo, disp, pmu/therm, mmu subdevs): the driver asks it to launch,
 * preempt and reset jobs on its engines and to report how they ended
 * (nvghost_hal_engine.h), to run heads, flip and report vblanks
 * (nvghost_hal_disp.h), to pick p-states and read sensors
 * (nvghost_hal_power.h), to invalidate the MMU's TLBs after a page table
 * update (nvghost_hal_mmu.h) and, for testing, to inject faults
 * (nvghost_hal_inject.h, optional). What is common to NVIDIA's GPUs stays
 * plain 32-bit BAR0 register access (NV_PMC_* and NV_PTIMER_* in
 * nvghost_regs.h: chip identification, the interrupt tree, the clock),
 * plus the VRAM window and the interrupt line, exactly as a PCI device.
 *
 * The simulated GPU (kmod/sim/, bound in nvghost_hal_sim*.c) is the one
 * backend: it implements the ops with its own NVG_SIM_* registers, which
 * nothing outside kmod/hal/ and kmod/sim/ names (tests/host/hal-layering.sh
 * checks). A real NVIDIA backend would map BAR0 with pci_iomap(), use the
 * device's MSI vector, and implement the same ops with runlists, EVO/
 * NVDisplay channels and the PMU, with no change to the rest of the driver.
 *
 * Device clock: PTIMER (NV_PTIMER_*), read with nvg_rd64(); see vclock.
 */
#ifndef _NVGHOST_HAL_H_
#define _NVGHOST_HAL_H_

#include <linux/types.h>

struct device;
struct nvg_hal;
struct nvg_hal_disp_funcs;
struct nvg_hal_engine_funcs;
struct nvg_hal_inject_funcs;
struct nvg_hal_mmu_funcs;
struct nvg_hal_power_funcs;
struct page;

/**
 * struct nvg_hal_funcs - a hardware backend
 * @rd32: read a BAR0 register.
 * @wr32: write a BAR0 register.
 * @vram_page: the CPU's window on video memory (what BAR1 is on a real
 *	GPU): the page that holds VRAM byte @offset, for mapping buffers to
 *	user space and for writing page tables. NULL if it cannot be had
 *	(out of host memory). The page stays valid until @fini.
 * @vram_size: bytes of video memory the board has.
 * @vram_discard: the driver no longer needs VRAM [@offset, @offset +
 *	@size) (freed, nothing can reach it). Returns true if the range now
 *	reads as zero (the simulator gives its backing memory back to the
 *	host); real hardware returns false and the allocator clears on reuse.
 * @stop: the device is gone (unbound or unplugged): from here on registers
 *	read as all ones (and the ops report what that reads as: engines
 *	busy, results errors, sensors all ones), writes and commands are
 *	lost, @vram_page returns NULL, and the hardware raises no interrupt.
 *	The IRQ must already be freed. Pages @vram_page handed out stay
 *	valid until @fini.
 * @fini: release the backend (stopping it first if need be); the IRQ must
 *	already be freed.
 * @engine: the engines: launch, preempt, reset, status and completion.
 * @disp: the display engine: heads, flips, vblanks.
 * @power: p-states and sensors.
 * @mmu: TLB invalidation.
 * @inject: fault injection for tests; NULL where the hardware has none.
 */
struct nvg_hal_funcs {
	u32 (*rd32)(struct nvg_hal *hal, u32 reg);
	void (*wr32)(struct nvg_hal *hal, u32 reg, u32 val);
	struct page *(*vram_page)(struct nvg_hal *hal, u64 offset);
	u64 (*vram_size)(struct nvg_hal *hal);
	bool (*vram_discard)(struct nvg_hal *hal, u64 offset, u64 size);
	void (*stop)(struct nvg_hal *hal);
	void (*fini)(struct nvg_hal *hal);

	const struct nvg_hal_engine_funcs *engine;
	const struct nvg_hal_disp_funcs *disp;
	const struct nvg_hal_power_funcs *power;
	const struct nvg_hal_mmu_funcs *mmu;
	const struct nvg_hal_inject_funcs *inject;
};

/**
 * enum nvg_hal_event_kind - what a virtual clock's event was
 * @NVG_HAL_EV_ALARM: PTIMER's alarm (every device alarm of the driver).
 * @NVG_HAL_EV_HEAD: a head's vblank or VRR refresh.
 * @NVG_HAL_EV_ENGINE: an engine reached its modelled time.
 * @NVG_HAL_EV_KINDS: how many.
 */
enum nvg_hal_event_kind {
	NVG_HAL_EV_ALARM,
	NVG_HAL_EV_HEAD,
	NVG_HAL_EV_ENGINE,
	NVG_HAL_EV_KINDS,
};

/**
 * struct nvg_hal_clock_funcs - a device clock in virtual mode
 * @next: device time of the next pending event, U64_MAX if none.
 * @play: play the next event if it is due by @until (the clock moves to
 *	its time); false if there was none. Sets @kind to what it was
 *	(enum nvg_hal_event_kind), for statistics.
 * @set: move the clock to @t, which no pending event comes before;
 *	returns whether that set anything going in the hardware (an engine
 *	planning its job again at a new clock): if not, a settle that was
 *	done before it still holds.
 * @settle: wait until the hardware itself is still (its interrupt
 *	delivered, no engine doing host work); returns an activity counter
 *	that moves whenever anything happened in the hardware.
 * @gen: that activity counter now, without waiting: equal to what
 *	@settle last returned only if nothing happened in the hardware since
 *	(then the hardware is still as still).
 * @still: whether the hardware is still now (no engine doing host work,
 *	no interrupt in flight), without waiting: after a settle it must
 *	stay so until the next event is played.
 */
struct nvg_hal_clock_funcs {
	u64 (*next)(struct nvg_hal *hal);
	bool (*play)(struct nvg_hal *hal, u64 until, u32 *kind);
	bool (*set)(struct nvg_hal *hal, u64 t);
	u64 (*settle)(struct nvg_hal *hal);
	u64 (*gen)(struct nvg_hal *hal);
	bool (*still)(struct nvg_hal *hal);
};

/**
 * struct nvg_hal - a bound backend
 * @funcs: its operations.
 * @clock: the virtual clock, or NULL: device time is the host's
 *	(CLOCK_MONOTONIC since power-up), as on real hardware.
 * @priv: backend data.
 * @irq: the Linux IRQ number the GPU interrupts on.
 */
struct nvg_hal {
	const struct nvg_hal_funcs *funcs;
	const struct nvg_hal_clock_funcs *clock;
	void *priv;
	int irq;
};

static inline u32 nvg_rd32(struct nvg_hal *hal, u32 reg)
{
	return hal->funcs->rd32(hal, reg);
}

static inline void nvg_wr32(struct nvg_hal *hal, u32 reg, u32 val)
{
	hal->funcs->wr32(hal, reg, val);
}

/**
 * nvg_rd64() - read a 64-bit counter held in two 32-bit registers
 * @hal: the backend.
 * @lo: the register with bits 31:0.
 * @hi: the register with bits 63:32.
 *
 * Reads HI, LO, then HI again until HI did not move, so a carry from LO
 * into HI between the reads cannot tear the value (nouveau's
 * nv04_timer_read() loop).
 *
 * Return: the 64-bit value.
 */
static inline u64 nvg_rd64(struct nvg_hal *hal, u32 lo, u32 hi)
{
	u32 h, l, h2 = nvg_rd32(hal, hi);

	do {
		h = h2;
		l = nvg_rd32(hal, lo);
		h2 = nvg_rd32(hal, hi);
	} while (h != h2);
	return (u64)h << 32 | l;
}

static inline struct page *nvg_vram_page(struct nvg_hal *hal, u64 offset)
{
	return hal->funcs->vram_page(hal, offset);
}

static inline u64 nvg_vram_size(struct nvg_hal *hal)
{
	return hal->funcs->vram_size(hal);
}

static inline bool nvg_vram_discard(struct nvg_hal *hal, u64 offset, u64 size)
{
	return hal->funcs->vram_discard(hal, offset, size);
}

/* Backend constructors. */
int nvg_hal_sim_init(struct nvg_hal *hal, struct device *dev,
		     const char *chip, u32 vram_mb, unsigned int index,
		     bool virtual_clock);

static inline void nvg_hal_stop(struct nvg_hal *hal)
{
	if (hal->funcs)
		hal->funcs->stop(hal);
}

static inline void nvg_hal_fini(struct nvg_hal *hal)
{
	if (hal->funcs)
		hal->funcs->fini(hal);
	hal->funcs = NULL;
}

#include "nvghost_hal_engine.h"
#include "nvghost_hal_disp.h"
#include "nvghost_hal_power.h"
#include "nvghost_hal_mmu.h"
#include "nvghost_hal_inject.h"

#endif /* _NVGHOST_HAL_H_ */
