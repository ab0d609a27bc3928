/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_hal_inject.h - fault injection, for tests (debugfs).
 *
 * What the simulator can be made to do wrong, so that the driver's
 * recovery can be tested: an engine's next job hangs, faults or loses its
 * completion interrupt; the GPU runs hotter. Real hardware has none of it:
 * its backend leaves &nvg_hal_funcs.inject NULL and debugfs says so.
 */
#ifndef _NVGHOST_HAL_INJECT_H_
#define _NVGHOST_HAL_INJECT_H_

#include <linux/types.h>

/**
 * enum nvg_hal_inject_what - what an engine's next job does wrong
 * @NVG_HAL_INJECT_HANG: it never finishes.
 * @NVG_HAL_INJECT_FAULT: its first memory access faults.
 * @NVG_HAL_INJECT_DROP_IRQ: its completion raises no interrupt.
 * @NVG_HAL_INJECT_HANG_MIGRATE: it hangs in its first replayable-fault
 *	stall: the driver migrates the pages and replays, the engine never
 *	goes on.
 * @NVG_HAL_INJECT_FAULT_MIGRATE: its first replayable fault, once the
 *	driver migrated the pages and replayed, ends it with an MMU fault.
 * @NVG_HAL_INJECT_FAIL_MIGRATION: not a job: the next migration copy the
 *	engine makes for the driver (nvg_hw_mmu_migrate()) fails; each
 *	injection arms one.
 */
enum nvg_hal_inject_what {
	NVG_HAL_INJECT_HANG,
	NVG_HAL_INJECT_FAULT,
	NVG_HAL_INJECT_DROP_IRQ,
	NVG_HAL_INJECT_HANG_MIGRATE,
	NVG_HAL_INJECT_FAULT_MIGRATE,
	NVG_HAL_INJECT_FAIL_MIGRATION,
};

/**
 * struct nvg_hal_inject_funcs - fault injection of a backend
 * @engine: make engine @n's next job do @what wrong.
 * @heat_set: add @mc milli-degrees C to the GPU's surroundings.
 * @heat_get: what @heat_set added.
 */
struct nvg_hal_inject_funcs {
	void (*engine)(struct nvg_hal *hal, u32 n, enum nvg_hal_inject_what what);
	void (*heat_set)(struct nvg_hal *hal, s32 mc);
	s32 (*heat_get)(struct nvg_hal *hal);
};

/* Whether the backend can inject faults at all. */
static inline bool nvg_hw_can_inject(struct nvg_hal *hal)
{
	return hal->funcs->inject;
}

static inline void nvg_hw_inject_engine(struct nvg_hal *hal, u32 n,
					enum nvg_hal_inject_what what)
{
	hal->funcs->inject->engine(hal, n, what);
}

static inline void nvg_hw_inject_heat(struct nvg_hal *hal, s32 mc)
{
	hal->funcs->inject->heat_set(hal, mc);
}

static inline s32 nvg_hw_injected_heat(struct nvg_hal *hal)
{
	return hal->funcs->inject->heat_get(hal);
}

#endif /* _NVGHOST_HAL_INJECT_H_ */
