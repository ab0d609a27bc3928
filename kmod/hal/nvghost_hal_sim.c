// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_hal_sim.c - binds the HAL to the simulated GPU in kmod/sim/.
 *
 * The core: BAR0 access, the VRAM window, the IRQ, stop and release. The
 * engines, the display, power, the MMU and fault injection are each in a
 * file of their own (nvghost_hal_sim_*.c).
 */
#include <linux/err.h>

#include "nvghost_hal_sim.h"

static u32 nvg_hal_sim_rd32(struct nvg_hal *hal, u32 reg)
{
	return nvg_sim_rd32(hal->priv, reg);
}

static void nvg_hal_sim_wr32(struct nvg_hal *hal, u32 reg, u32 val)
{
	nvg_sim_wr32(hal->priv, reg, val);
}

static struct page *nvg_hal_sim_vram_page(struct nvg_hal *hal, u64 offset)
{
	return nvg_sim_vram_page(hal->priv, offset);
}

static u64 nvg_hal_sim_vram_size(struct nvg_hal *hal)
{
	return (u64)nvg_sim_rd32(hal->priv, NVG_SIM_FB_SIZE_MB) << 20;
}

static bool nvg_hal_sim_vram_discard(struct nvg_hal *hal, u64 offset, u64 size)
{
	nvg_sim_vram_discard(hal->priv, offset, size);
	return true;
}

static void nvg_hal_sim_stop(struct nvg_hal *hal)
{
	nvg_sim_stop(hal->priv);
}

static void nvg_hal_sim_fini(struct nvg_hal *hal)
{
	nvg_sim_destroy(hal->priv);
	hal->priv = NULL;
}

static u64 nvg_hal_sim_clock_next(struct nvg_hal *hal)
{
	return nvg_sim_clock_next(hal->priv);
}

static bool nvg_hal_sim_clock_play(struct nvg_hal *hal, u64 until, u32 *kind)
{
	return nvg_sim_clock_play(hal->priv, until, kind);
}

static bool nvg_hal_sim_clock_set(struct nvg_hal *hal, u64 t)
{
	return nvg_sim_clock_set(hal->priv, t);
}

static u64 nvg_hal_sim_clock_settle(struct nvg_hal *hal)
{
	return nvg_sim_clock_settle(hal->priv);
}

static u64 nvg_hal_sim_clock_gen(struct nvg_hal *hal)
{
	return nvg_sim_clock_gen(hal->priv);
}

static bool nvg_hal_sim_clock_still(struct nvg_hal *hal)
{
	return nvg_sim_clock_still(hal->priv);
}

static const struct nvg_hal_clock_funcs nvg_hal_sim_clock_funcs = {
	.next	= nvg_hal_sim_clock_next,
	.play	= nvg_hal_sim_clock_play,
	.set	= nvg_hal_sim_clock_set,
	.settle	= nvg_hal_sim_clock_settle,
	.gen	= nvg_hal_sim_clock_gen,
	.still	= nvg_hal_sim_clock_still,
};

static const struct nvg_hal_funcs nvg_hal_sim_funcs = {
	.rd32	= nvg_hal_sim_rd32,
	.wr32	= nvg_hal_sim_wr32,
	.vram_page = nvg_hal_sim_vram_page,
	.vram_size = nvg_hal_sim_vram_size,
	.vram_discard = nvg_hal_sim_vram_discard,
	.stop	= nvg_hal_sim_stop,
	.fini	= nvg_hal_sim_fini,
	.engine	= &nvg_hal_sim_engine,
	.disp	= &nvg_hal_sim_disp,
	.power	= &nvg_hal_sim_power,
	.mmu	= &nvg_hal_sim_mmu,
	.inject	= &nvg_hal_sim_inject,
};

int nvg_hal_sim_init(struct nvg_hal *hal, struct device *dev,
		     const char *chip, u32 vram_mb, unsigned int index,
		     bool virtual_clock)
{
	struct nvg_sim *sim;

	sim = nvg_sim_create(dev, chip, vram_mb, index, virtual_clock);
	if (IS_ERR(sim))
		return PTR_ERR(sim);
	hal->priv = sim;
	hal->irq = nvg_sim_irq(sim);
	hal->funcs = &nvg_hal_sim_funcs;
	hal->clock = virtual_clock ? &nvg_hal_sim_clock_funcs : NULL;
	return 0;
}
