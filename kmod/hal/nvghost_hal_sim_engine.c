// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_hal_sim_engine.c - the simulator's engines: the runner register
 * block of each engine (NVG_SIM_ENG_*, see nvghost_regs.h).
 */
#include <linux/wordpart.h>

#include "nvghost_hal_sim.h"

static u32 nvg_sim_eng_count(struct nvg_hal *hal)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_ENG_COUNT);
}

static u32 nvg_sim_eng_class(struct nvg_hal *hal, u32 n)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_ENG_CLASS(n));
}

/* Token, then the job's memory (or its cost), then LAUNCH. */
static void nvg_sim_eng_launch(struct nvg_hal *hal, u32 n,
			       const struct nvg_hal_job *job)
{
	nvg_hal_sim_wr(hal, NVG_SIM_ENG_TOKEN_LO(n), lower_32_bits(job->token));
	nvg_hal_sim_wr(hal, NVG_SIM_ENG_TOKEN_HI(n), upper_32_bits(job->token));
	if (job->pb_len) {
		nvg_hal_sim_wr(hal, NVG_SIM_ENG_PDB_LO(n), lower_32_bits(job->pdb));
		nvg_hal_sim_wr(hal, NVG_SIM_ENG_PDB_HI(n), upper_32_bits(job->pdb));
		nvg_hal_sim_wr(hal, NVG_SIM_ENG_PB_LO(n), lower_32_bits(job->pb_addr));
		nvg_hal_sim_wr(hal, NVG_SIM_ENG_PB_HI(n), upper_32_bits(job->pb_addr));
		nvg_hal_sim_wr(hal, NVG_SIM_ENG_PB_LEN(n), job->pb_len);
	} else {
		nvg_hal_sim_wr(hal, NVG_SIM_ENG_COST_LO(n), lower_32_bits(job->cost_ns));
		nvg_hal_sim_wr(hal, NVG_SIM_ENG_COST_HI(n), upper_32_bits(job->cost_ns));
		nvg_hal_sim_wr(hal, NVG_SIM_ENG_PB_LEN(n), 0);
	}
	nvg_hal_sim_wr(hal, NVG_SIM_ENG_LAUNCH(n), 1);
}

static void nvg_sim_eng_preempt(struct nvg_hal *hal, u32 n)
{
	nvg_hal_sim_wr(hal, NVG_SIM_ENG_PREEMPT(n), 1);
}

static void nvg_sim_eng_reset(struct nvg_hal *hal, u32 n)
{
	nvg_hal_sim_wr(hal, NVG_SIM_ENG_RESET(n), 1);
}

static u32 nvg_sim_eng_intr(struct nvg_hal *hal, u32 *faulted)
{
	u32 intr = nvg_hal_sim_rd(hal, NVG_SIM_ENG_INTR);

	nvg_hal_sim_wr(hal, NVG_SIM_ENG_INTR, intr);
	*faulted = intr >> 16;
	return intr & NVG_SIM_ENG_INTR_DONE_MASK;
}

static bool nvg_sim_eng_intr_pending(struct nvg_hal *hal, u32 n)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_ENG_INTR) & NVG_SIM_ENG_INTR_DONE(n);
}

static u64 nvg_sim_eng_done_token(struct nvg_hal *hal, u32 n)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_ENG_DONE_LO(n)) |
	       (u64)nvg_hal_sim_rd(hal, NVG_SIM_ENG_DONE_HI(n)) << 32;
}

static enum nvg_hal_job_result nvg_sim_eng_result(struct nvg_hal *hal, u32 n)
{
	switch (nvg_hal_sim_rd(hal, NVG_SIM_ENG_RESULT(n))) {
	case NVG_SIM_RESULT_OK:
		return NVG_HAL_JOB_OK;
	case NVG_SIM_RESULT_FAULT:
		return NVG_HAL_JOB_FAULT;
	case NVG_SIM_RESULT_ABORTED:
		return NVG_HAL_JOB_ABORTED;
	case NVG_SIM_RESULT_PREEMPTED:
		return NVG_HAL_JOB_PREEMPTED;
	default:	/* NVG_SIM_RESULT_BAD_PB, or a GPU that is gone */
		return NVG_HAL_JOB_ERROR;
	}
}

static u64 nvg_sim_eng_fault_va(struct nvg_hal *hal, u32 n)
{
	return nvg_hal_sim_rd(hal, NVG_SIM_ENG_FAULT_VA_LO(n)) |
	       (u64)nvg_hal_sim_rd(hal, NVG_SIM_ENG_FAULT_VA_HI(n)) << 32;
}

static u32 nvg_sim_eng_status(struct nvg_hal *hal, u32 n)
{
	u32 st = nvg_hal_sim_rd(hal, NVG_SIM_ENG_STATUS(n));

	return (st & NVG_SIM_ENG_STATUS_BUSY ? NVG_HAL_ENG_BUSY : 0) |
	       (st & NVG_SIM_ENG_STATUS_GATED ? NVG_HAL_ENG_GATED : 0);
}

static u64 nvg_sim_eng_busy_ns(struct nvg_hal *hal, u32 n)
{
	return nvg_hal_sim_rd64(hal, NVG_SIM_ENG_BUSY_LO(n), NVG_SIM_ENG_BUSY_HI(n));
}

const struct nvg_hal_engine_funcs nvg_hal_sim_engine = {
	.count		= nvg_sim_eng_count,
	.class_id	= nvg_sim_eng_class,
	.launch		= nvg_sim_eng_launch,
	.preempt	= nvg_sim_eng_preempt,
	.reset		= nvg_sim_eng_reset,
	.intr		= nvg_sim_eng_intr,
	.intr_pending	= nvg_sim_eng_intr_pending,
	.done_token	= nvg_sim_eng_done_token,
	.result		= nvg_sim_eng_result,
	.fault_va	= nvg_sim_eng_fault_va,
	.status		= nvg_sim_eng_status,
	.busy_ns	= nvg_sim_eng_busy_ns,
};
