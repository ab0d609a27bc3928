/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_hal_engine.h - the engines, as the arbiter programs them.
 *
 * The arbiter decides which job runs where and when (nvghost_arbiter.c,
 * with the scheduling policy); this is the "program" half: hand an engine
 * one job, stop it at its next preemption point, reset it, and find out
 * how a job ended. On NVIDIA hardware it is the work of host/FIFO
 * (runlists, channel preemption, engine reset: nvkm's fifo subdev); the
 * simulator has a register handshake of its own (nvghost_hal_sim_engine.c).
 *
 * Interrupts: the driver's handler sees NV_PMC_INTR_PFIFO in NV_PMC_INTR_0
 * and calls @intr, which acknowledges and says which engines finished.
 */
#ifndef _NVGHOST_HAL_ENGINE_H_
#define _NVGHOST_HAL_ENGINE_H_

#include <linux/bits.h>
#include <linux/types.h>

/**
 * struct nvg_hal_job - what an engine needs to run one job
 * @token: the driver's id of the job; reported back by @done_token.
 * @pdb: VRAM address of the page directory the job runs in (0: none).
 * @pb_addr: VRAM address of the validated pushbuffer copy.
 * @pb_len: its length in dwords; 0 makes the job synthetic: it keeps the
 *	engine busy for @cost_ns and touches no memory.
 * @cost_ns: GPU time of a synthetic job.
 */
struct nvg_hal_job {
	u64 token;
	u64 pdb;
	u64 pb_addr;
	u32 pb_len;
	u64 cost_ns;
};

/**
 * enum nvg_hal_job_result - how an engine's last job ended
 * @NVG_HAL_JOB_OK: completed.
 * @NVG_HAL_JOB_FAULT: stopped by an MMU fault (@fault_va says where).
 * @NVG_HAL_JOB_ABORTED: the engine was reset under it.
 * @NVG_HAL_JOB_PREEMPTED: stopped at a preemption point with its context
 *	saved; launching the same token again resumes it.
 * @NVG_HAL_JOB_ERROR: anything else (an undecodable pushbuffer, a device
 *	that is gone).
 */
enum nvg_hal_job_result {
	NVG_HAL_JOB_OK,
	NVG_HAL_JOB_FAULT,
	NVG_HAL_JOB_ABORTED,
	NVG_HAL_JOB_PREEMPTED,
	NVG_HAL_JOB_ERROR,
};

/* nvg_hw_eng_status() bits */
#define NVG_HAL_ENG_BUSY	BIT(0)	/* running a job */
#define NVG_HAL_ENG_GATED	BIT(1)	/* idle and power-gated */

/* nvg_hw_eng_intr() bits: engine n is bit n; at most 16 engines. */
#define NVG_HAL_ENG_MAX		16

/**
 * struct nvg_hal_engine_funcs - the engines of a backend
 * @count: how many engines the GPU has (at most %NVG_HAL_ENG_MAX).
 * @class_id: the class engine @n implements (e.g. AMPERE_DMA_COPY_B).
 * @launch: start @job on idle engine @n. Any context, no sleeping.
 * @preempt: stop engine @n's job at its next preemption point; it ends
 *	%NVG_HAL_JOB_PREEMPTED (or otherwise, if it ended first).
 * @reset: abort engine @n's job; it ends %NVG_HAL_JOB_ABORTED.
 * @intr: acknowledge the engines' interrupts: returns the engines that
 *	finished a job (bit n: engine n), and in *@faulted those whose job
 *	ended with an MMU fault. Hard-IRQ context.
 * @intr_pending: whether engine @n's completion is raised and not yet
 *	acknowledged by @intr (a completion on its way, not a lost one).
 * @done_token: the token of the last job engine @n finished.
 * @result: how that job ended.
 * @fault_va: the GPU virtual address of that job's MMU fault.
 * @status: %NVG_HAL_ENG_BUSY, %NVG_HAL_ENG_GATED.
 * @busy_ns: how long engine @n has run jobs since power-up (ns).
 */
struct nvg_hal_engine_funcs {
	u32 (*count)(struct nvg_hal *hal);
	u32 (*class_id)(struct nvg_hal *hal, u32 n);
	void (*launch)(struct nvg_hal *hal, u32 n, const struct nvg_hal_job *job);
	void (*preempt)(struct nvg_hal *hal, u32 n);
	void (*reset)(struct nvg_hal *hal, u32 n);
	u32 (*intr)(struct nvg_hal *hal, u32 *faulted);
	bool (*intr_pending)(struct nvg_hal *hal, u32 n);
	u64 (*done_token)(struct nvg_hal *hal, u32 n);
	enum nvg_hal_job_result (*result)(struct nvg_hal *hal, u32 n);
	u64 (*fault_va)(struct nvg_hal *hal, u32 n);
	u32 (*status)(struct nvg_hal *hal, u32 n);
	u64 (*busy_ns)(struct nvg_hal *hal, u32 n);
};

static inline u32 nvg_hw_eng_count(struct nvg_hal *hal)
{
	return hal->funcs->engine->count(hal);
}

static inline u32 nvg_hw_eng_class(struct nvg_hal *hal, u32 n)
{
	return hal->funcs->engine->class_id(hal, n);
}

static inline void nvg_hw_eng_launch(struct nvg_hal *hal, u32 n,
				     const struct nvg_hal_job *job)
{
	hal->funcs->engine->launch(hal, n, job);
}

static inline void nvg_hw_eng_preempt(struct nvg_hal *hal, u32 n)
{
	hal->funcs->engine->preempt(hal, n);
}

static inline void nvg_hw_eng_reset(struct nvg_hal *hal, u32 n)
{
	hal->funcs->engine->reset(hal, n);
}

static inline u32 nvg_hw_eng_intr(struct nvg_hal *hal, u32 *faulted)
{
	return hal->funcs->engine->intr(hal, faulted);
}

static inline bool nvg_hw_eng_intr_pending(struct nvg_hal *hal, u32 n)
{
	return hal->funcs->engine->intr_pending(hal, n);
}

static inline u64 nvg_hw_eng_done_token(struct nvg_hal *hal, u32 n)
{
	return hal->funcs->engine->done_token(hal, n);
}

static inline enum nvg_hal_job_result nvg_hw_eng_result(struct nvg_hal *hal, u32 n)
{
	return hal->funcs->engine->result(hal, n);
}

static inline u64 nvg_hw_eng_fault_va(struct nvg_hal *hal, u32 n)
{
	return hal->funcs->engine->fault_va(hal, n);
}

static inline u32 nvg_hw_eng_status(struct nvg_hal *hal, u32 n)
{
	return hal->funcs->engine->status(hal, n);
}

static inline u64 nvg_hw_eng_busy_ns(struct nvg_hal *hal, u32 n)
{
	return hal->funcs->engine->busy_ns(hal, n);
}

#endif /* _NVGHOST_HAL_ENGINE_H_ */
