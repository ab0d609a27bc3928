/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_hal.h - the only way the driver reaches GPU hardware.
 *
 * Everything above this layer programs the GPU through 32-bit BAR0 register
 * reads and writes and receives its interrupts on a Linux IRQ, exactly as it
 * would a PCI device. The simulated GPU (kmod/sim/) is one backend; a real
 * NVIDIA backend would map BAR0 with pci_iomap() and use the device's MSI
 * vector, with no change to the rest of the driver.
 */
#ifndef _NVGHOST_HAL_H_
#define _NVGHOST_HAL_H_

#include <linux/types.h>

struct device;
struct nvg_hal;
struct page;

/**
 * struct nvg_hal_funcs - a hardware backend
 * @rd32: read a BAR0 register.
 * @wr32: write a BAR0 register.
 * @vram_page: the CPU's window on video memory (what BAR1 is on a real
 *	GPU): the page that holds VRAM byte @offset, for mapping buffers to
 *	user space and for writing page tables. NULL if it cannot be had
 *	(out of host memory). The page stays valid until @fini.
 * @vram_discard: the driver no longer needs VRAM [@offset, @offset +
 *	@size) (freed, nothing can reach it). Returns true if the range now
 *	reads as zero (the simulator gives its backing memory back to the
 *	host); real hardware returns false and the allocator clears on reuse.
 * @stop: the device is gone (unbound or unplugged): from here on registers
 *	read as all ones, writes are lost, @vram_page returns NULL, and the
 *	hardware raises no interrupt. The IRQ must already be freed. Pages
 *	@vram_page handed out stay valid until @fini.
 * @fini: release the backend (stopping it first if need be); the IRQ must
 *	already be freed.
 */
struct nvg_hal_funcs {
	u32 (*rd32)(struct nvg_hal *hal, u32 reg);
	void (*wr32)(struct nvg_hal *hal, u32 reg, u32 val);
	struct page *(*vram_page)(struct nvg_hal *hal, u64 offset);
	bool (*vram_discard)(struct nvg_hal *hal, u64 offset, u64 size);
	void (*stop)(struct nvg_hal *hal);
	void (*fini)(struct nvg_hal *hal);
};

/**
 * struct nvg_hal_clock_funcs - a device clock in virtual mode
 * @next: device time of the next pending event, U64_MAX if none.
 * @play: play the next event if it is due by @until (the clock moves to
 *	its time); false if there was none.
 * @set: move the clock to @t, which no pending event comes before.
 * @settle: wait until the hardware itself is still (its interrupt
 *	delivered, no engine doing host work); returns an activity counter
 *	that moves whenever anything happened in the hardware.
 */
struct nvg_hal_clock_funcs {
	u64 (*next)(struct nvg_hal *hal);
	bool (*play)(struct nvg_hal *hal, u64 until);
	void (*set)(struct nvg_hal *hal, u64 t);
	u64 (*settle)(struct nvg_hal *hal);
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

#endif /* _NVGHOST_HAL_H_ */
