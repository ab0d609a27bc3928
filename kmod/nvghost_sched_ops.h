/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_sched_ops.h - the GPU scheduling hook: struct nvg_sched_ops.
 *
 * Which runnable job an engine runs next is decided by a BPF struct_ops
 * program implementing struct nvg_sched_ops, or by the built-in default
 * (FIFO in submission order) when none is attached or an op is missing.
 *
 * The driver always owns the jobs: a policy only names which queued job an
 * engine should take. So a policy that misbehaves and is ejected cannot lose
 * a job; the default simply goes on with the jobs still queued.
 *
 * Like sched_ext's ops this interface has no stability guarantee: policies
 * are built against the module's BTF.
 */
#ifndef _NVGHOST_SCHED_OPS_H_
#define _NVGHOST_SCHED_OPS_H_

#include <linux/bits.h>
#include <linux/types.h>
#include "nvghost_policy.h"

/**
 * enum nvg_sched_ops_flags - behaviour switches in nvg_sched_ops.flags
 * @NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH: when ops.dispatch() returns 0, leave
 *	the engine idle instead of letting the built-in FIFO pick. The policy
 *	then owns progress completely, and the watchdog is what keeps it
 *	honest. Requires ops.dispatch().
 * @NVG_SCHED_OPS_ALL_FLAGS: every flag a policy may set.
 */
enum nvg_sched_ops_flags {
	NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH = 1LLU << 0,
	NVG_SCHED_OPS_ALL_FLAGS = NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH,
};

/* The watchdog limit a policy may ask for, in ms (see nvg_sched_ops). */
#define NVG_SCHED_TIMEOUT_MIN_MS	10
#define NVG_SCHED_TIMEOUT_MAX_MS	30000

/*
 * Timeslices. A job runs for its slice, then, if other work waits for its
 * engine (or as soon as some arrives), is preempted at the engine's next
 * chunk boundary and goes back to the policy (ops.enqueue with
 * NVG_ENQ_REQUEUE), unless ops.slice_end lets it run on. A slice of 0 means the
 * default; anything else outside [MIN, MAX] is an invalid decision that
 * ejects the policy. The built-in default is FIFO round-robin with
 * NVG_SLICE_DFL_NS.
 */
#define NVG_SLICE_MIN_NS		(100ULL * 1000)		/* 100 us */
#define NVG_SLICE_DFL_NS		(5ULL * 1000 * 1000)	/* 5 ms */
#define NVG_SLICE_MAX_NS		(10ULL * 1000 * 1000 * 1000)	/* 10 s */

/* Dispatch queue ids a policy may create: 0 .. NVG_DSQ_MAX_ID - 1. */
#define NVG_DSQ_MAX_ID			BIT_ULL(32)

/*
 * enq_flags of ops.enqueue(): why it is called. Plain defines, like the
 * limits above: bpf/nvg/common.bpf.h repeats them for policies.
 *
 * NVG_ENQ_REQUEUE: the job ran and was preempted (timeslice expired or
 *	nvg_engine_preempt()); it keeps its place in the channel's order.
 * NVG_ENQ_REPLAY: a policy just attached and is told about a job that was
 *	already waiting.
 */
#define NVG_ENQ_REQUEUE			BIT_ULL(0)
#define NVG_ENQ_REPLAY			BIT_ULL(1)

/**
 * enum nvg_job_stop_reason - why a job left its engine (ops.stopping)
 * @NVG_JOB_COMPLETED: it finished.
 * @NVG_JOB_PREEMPTED: another job took the engine.
 * @NVG_JOB_SLICE_EXPIRED: it used up its timeslice.
 * @NVG_JOB_FAILED: it faulted or was reset.
 */
enum nvg_job_stop_reason {
	NVG_JOB_COMPLETED = 0,
	NVG_JOB_PREEMPTED = 1,
	NVG_JOB_SLICE_EXPIRED = 2,
	NVG_JOB_FAILED = 3,
};

/**
 * struct nvg_ctx - a client's scheduling context, read-only to policies
 * @id: unique (module-wide) context id, never 0.
 * @dev_index: which nvghost device (0-based).
 * @pid: thread group id of the process that opened the context.
 * @prio: the context's priority class (DRM_NVGHOST_PRIORITY_*; the
 *	kernel's own context is LOW).
 * @flags: context flags (reserved, 0 for now).
 * @comm: command name of that process.
 */
struct nvg_ctx {
	u64 id;
	u32 dev_index;
	s32 pid;
	u32 prio;
	u32 flags;
	char comm[16];
};

/**
 * struct nvg_ctx_init_args - argument container for ops.ctx_init()
 * @pid: as in &struct nvg_ctx.
 * @prio: requested priority class.
 * @flags: requested flags.
 *
 * A container rather than parameters, so that fields can be added without
 * breaking policies (the scx_init_task_args pattern).
 */
struct nvg_ctx_init_args {
	s32 pid;
	u32 prio;
	u64 flags;
};

/**
 * struct nvg_select_engine_args - argument container for ops.select_engine()
 * @engine_class: what the client asked for (&enum drm_nvghost_engine_class).
 * @first: the device's engines of that class are [@first, @first + @nr).
 * @nr: how many there are (at least 1).
 * @dflt: the built-in choice: the device's engines of the class in turn.
 */
struct nvg_select_engine_args {
	u32 engine_class;
	u32 first;
	u32 nr;
	u32 dflt;
};

/**
 * struct nvg_job - a unit of GPU work, read-only to policies
 * @id: unique (module-wide) job id, never 0; what ops.dispatch() returns.
 * @ctx_id: the &struct nvg_ctx it belongs to.
 * @dev_index: which nvghost device.
 * @engine: engine index on that device it must run on.
 * @cost_ns: modelled GPU time of a synthetic job; 0 for a submitted job
 *	(its cost is known only once it ran: see @ran_ns).
 * @enqueue_ns: PTIMER time at which it (last) became runnable.
 * @ran_ns: GPU time it has run so far (it may have been preempted).
 * @slice_ns: the timeslice it runs with (set when it is dispatched).
 * @ctx_prio: its context's priority class (DRM_NVGHOST_PRIORITY_*).
 * @ctx_pid: its context's process.
 * @__kernel_only: no data (zero bytes). A struct of plain numbers is one
 *	the verifier lets a BPF program pass to a kfunc from its own memory
 *	(stack, map); with this member it is not, so the kfuncs that take a
 *	job accept only the one an op was given (KF_TRUSTED_ARGS), and a
 *	policy's copy is refused at load.
 */
struct nvg_job {
	u64 id;
	u64 ctx_id;
	u32 dev_index;
	u32 engine;
	u64 cost_ns;
	u64 enqueue_ns;
	u64 ran_ns;
	u64 slice_ns;
	u32 ctx_prio;
	s32 ctx_pid;
	u8 __kernel_only[];
};

/**
 * struct nvg_sched_ops - a GPU scheduling policy
 *
 * Every op is optional. A missing op means the built-in default for that
 * decision. Every value an op returns is checked before it is used; a bad
 * one ejects the policy (see &enum nvg_exit_kind) and the default takes
 * over with every queued job still queued.
 *
 * Only @init and @exit may be sleepable programs.
 */
struct nvg_sched_ops {
	/**
	 * @init: called once when the policy is attached, before any other
	 * op. Return 0, or a negative errno to refuse the attachment (the
	 * errno and an exit record reach the loader). Any other value is
	 * treated as -EPROTO.
	 */
	s32 (*init)(void);

	/**
	 * @exit: called once when the policy stops being used, for whatever
	 * reason, with the record of why. No other op runs after it.
	 */
	void (*exit)(struct nvg_exit_info *info);

	/**
	 * @ctx_init: a client opened a context (a DRM file of an nvghost
	 * device). Return 0 or a negative errno; an errno fails the open
	 * with that error. A value outside [-4095, 0] ejects the policy and
	 * the open succeeds under the default.
	 */
	s32 (*ctx_init)(struct nvg_ctx *ctx, struct nvg_ctx_init_args *args);

	/**
	 * @ctx_exit: the context is going away. Its jobs have all left.
	 */
	void (*ctx_exit)(struct nvg_ctx *ctx);

	/**
	 * @enqueue: @job became runnable (@enq_flags: NVG_ENQ_*).
	 * The policy typically files it in one of its dispatch queues with
	 * nvg_dsq_insert() or nvg_dsq_insert_vtime(), choosing its
	 * timeslice, and may preempt an engine for it (nvg_engine_preempt()).
	 * A job filed nowhere stays in the driver's FIFO, where the default
	 * finds it. Ops for one device run one at a time.
	 */
	void (*enqueue)(struct nvg_job *job, u64 enq_flags);

	/**
	 * @dispatch: engine @engine of device @dev_index is idle and
	 * @nr_queued jobs wait for it. Either move a job from a dispatch
	 * queue with nvg_dsq_move_to_engine() (once) and return 0, or return
	 * the id of one of the waiting jobs (it then runs with the default
	 * slice), or do neither and return 0 to let the built-in FIFO pick
	 * (with %NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH: to leave the engine
	 * idle). An id that is not waiting for that engine, or both a move
	 * and an id, ejects the policy.
	 */
	u64 (*dispatch)(u32 dev_index, u32 engine, u32 nr_queued);

	/**
	 * @running: @job started on its engine.
	 */
	void (*running)(struct nvg_job *job);

	/**
	 * @stopping: @job left its engine; @reason is an
	 * &enum nvg_job_stop_reason.
	 */
	void (*stopping)(struct nvg_job *job, u32 reason);

	/**
	 * @select_engine: a client creates a channel in context @ctx; pick
	 * the engine of @args->engine_class it runs on, for its whole life.
	 * Return an engine in [@args->first, @args->first + @args->nr), or a
	 * negative value for the built-in choice (@args->dflt: the device's
	 * engines of the class in turn). Any other engine ejects the policy
	 * and the channel gets @args->dflt.
	 */
	s32 (*select_engine)(struct nvg_ctx *ctx, struct nvg_select_engine_args *args);

	/**
	 * @slice_end: running @job has used its timeslice up, and @nr_queued
	 * jobs wait for its engine. Return 0 for the built-in rule: preempt
	 * it now if a job waits, else as soon as one arrives (slice_end is
	 * then asked again, with @nr_queued 1). Or return a number of ns in
	 * [NVG_SLICE_MIN_NS, NVG_SLICE_MAX_NS] to let it run on that much
	 * longer; slice_end is asked again when that is over. Any other value
	 * ejects the policy. The job's GPU time budget (job_timeout_ms)
	 * holds whatever the policy answers.
	 */
	u64 (*slice_end)(struct nvg_job *job, u32 nr_queued);

	/**
	 * @flags: &enum nvg_sched_ops_flags; unknown bits refuse the load.
	 */
	u64 flags;

	/**
	 * @timeout_ms: watchdog limit: a runnable job left waiting longer
	 * than this ejects the policy. 0 means the module's default
	 * (parameter sched_watchdog_ms). Must lie within
	 * [NVG_SCHED_TIMEOUT_MIN_MS, NVG_SCHED_TIMEOUT_MAX_MS] and not exceed
	 * the module's job timeout, or the load is refused.
	 */
	u32 timeout_ms;

	/**
	 * @name: the policy's name, a valid BPF object name, not empty.
	 */
	char name[NVG_OPS_NAME_LEN];
};

/* Index of each op, for the per-op counters in the status file. */
enum nvg_sched_op {
	NVG_SCHED_OP_INIT,
	NVG_SCHED_OP_EXIT,
	NVG_SCHED_OP_CTX_INIT,
	NVG_SCHED_OP_CTX_EXIT,
	NVG_SCHED_OP_ENQUEUE,
	NVG_SCHED_OP_DISPATCH,
	NVG_SCHED_OP_RUNNING,
	NVG_SCHED_OP_STOPPING,
	NVG_SCHED_OP_SELECT_ENGINE,
	NVG_SCHED_OP_SLICE_END,
	NVG_SCHED_NR_OPS,
};

extern struct nvg_hook nvg_sched_hook;

int nvg_sched_ops_register(void);

#endif /* _NVGHOST_SCHED_OPS_H_ */
