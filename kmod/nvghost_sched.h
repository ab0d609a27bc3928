/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_sched.h - how the driver consults the scheduling policy.
 *
 * Each call runs the attached policy's op when there is one, counts it,
 * checks what it returned, and otherwise does what the built-in default
 * would. Callers may hold spinlocks: no op may sleep (check_member enforces
 * it for all but init and exit).
 */
#ifndef _NVGHOST_SCHED_H_
#define _NVGHOST_SCHED_H_

#include "nvghost_drv.h"

int nvg_sched_ctx_init(struct nvg_ctx_obj *ctx);
void nvg_sched_ctx_exit(struct nvg_ctx_obj *ctx);
u64 nvg_sched_generation(void);
void nvg_sched_enqueue(struct nvg_job_obj *job, u64 enq_flags);
u64 nvg_sched_dispatch(struct nvg_device *ndev, u32 engine, u32 nr_queued,
		       bool *idle, struct nvg_job_obj **moved);
void nvg_sched_running(struct nvg_job_obj *job);
void nvg_sched_stopping(struct nvg_job_obj *job, enum nvg_job_stop_reason why);
u32 nvg_sched_select_engine(struct nvg_device *ndev, struct nvg_ctx_obj *ctx,
			    struct nvg_select_engine_args *args);
u64 nvg_sched_slice_end(struct nvg_device *ndev, struct nvg_job_obj *job,
			u32 nr_queued);
u32 nvg_sched_watchdog_limit_ms(void);
bool nvg_sched_attached(void);
int nvg_sched_show(struct seq_file *m);

#endif /* _NVGHOST_SCHED_H_ */
