/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_dsq.h - dispatch queues and the kfunc permission state.
 */
#ifndef _NVGHOST_DSQ_H_
#define _NVGHOST_DSQ_H_

#include <linux/bits.h>
#include <linux/types.h>

#include "nvghost_sched_ops.h"

struct bpf_prog;
struct btf;
struct nvg_device;
struct nvg_job_obj;

/* The op running, as a mask of the ops a kfunc may be called from. */
#define NVG_KF_INIT		BIT(NVG_SCHED_OP_INIT)
#define NVG_KF_ENQUEUE		BIT(NVG_SCHED_OP_ENQUEUE)
#define NVG_KF_DISPATCH		BIT(NVG_SCHED_OP_DISPATCH)
#define NVG_KF_RUNNING		BIT(NVG_SCHED_OP_RUNNING)
#define NVG_KF_STOPPING		BIT(NVG_SCHED_OP_STOPPING)
#define NVG_KF_SLICE_END	BIT(NVG_SCHED_OP_SLICE_END)

/**
 * struct nvg_kf_state - the op running on a CPU, for the kfuncs
 * @mask: NVG_KF_* it may call.
 * @op: its name.
 * @ndev: the device being dispatched (dispatch only).
 * @engine: the engine being dispatched (dispatch only).
 * @moved: the job nvg_dsq_move_to_engine() chose.
 */
struct nvg_kf_state {
	u32 mask;
	const char *op;
	struct nvg_device *ndev;
	u32 engine;
	struct nvg_job_obj *moved;
};

struct nvg_kf_state *nvg_kf_enter(u32 mask, const char *op,
				  struct nvg_device *ndev, u32 engine);
void nvg_kf_exit(struct nvg_kf_state *st);
void nvg_kf_init_begin(void);
void nvg_kf_init_end(void);
void nvg_dsq_remove(struct nvg_job_obj *job);
void nvg_dsq_destroy_all(void);
int nvg_dsq_register_kfuncs(void);
int nvg_dsq_check_kfunc_ids(const struct btf *btf);

/* nvghost_sched_ops.c: which op of nvg_sched_ops @prog is, or -ENOENT. */
int nvg_sched_prog_op(const struct bpf_prog *prog);

#endif /* _NVGHOST_DSQ_H_ */
